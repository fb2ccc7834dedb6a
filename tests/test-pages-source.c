/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-pages-source.c: `pages:URL` against a loopback SoupServer: a body cursor (a token and
 * a URL), a Link: rel="next" header, the page size, offset and page-number pagination the way
 * json-server and others do it, polling with de-duplication (changed records, the bounded
 * seen map, the high-water mark, ETags), asking only for what changed since the newest
 * record (since-param), --once, and a body that is not JSON. */

#include "fw-test-util.h"
#include "fw-test-server.h"

#include "sources/fw-pages-source.h"

#include <libsoup/soup.h>
#include <string.h>

typedef struct
{
  SoupServer *server;
  char       *base;
  gboolean    grown;       /* record 5 has been added */
  guint       requests;
  char       *last_limit;
  char       *authorization;  /* the secret headers of the last request */
  char       *api_key;
  char       *cookie;
  SoupServer *other;          /* another origin: the same host, another port */
  char       *other_base;
  guint       other_requests;
  char       *other_authorization;
  char       *other_api_key;
  char       *other_cookie;
  char       *other_trace;
  guint       n_records;      /* /api, /etag: records 1..n_records */
  guint       cap;            /* /api by offset: the most records a page gives, or 0 */
  guint       updated_id;     /* /api, /big: this record's content changed */
  guint       big_top;        /* /big: records big_top..1, newest first */
  gboolean    shuffled;       /* /many: ids out of order */
  guint       not_modified;   /* /etag: 304 answers */
  gboolean    since_changed;  /* /since: record 2 changed, record 4 added */
  GPtrArray  *since_sent;     /* /since: each request's updated_after, "" for none */
} Fixture;

#define SECRET_HEADERS "header.Authorization=Bearer%20t&header.X-Api-Key=k1" \
                       "&header.Cookie=session%3Ds1&header.X-Trace=t-42"

static void
keep_header (char              **field,
             SoupServerMessage  *msg,
             const char         *name)
{
  g_free (*field);
  *field = g_strdup (soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   name));
}

static void
respond_json (SoupServerMessage *msg,
              const char        *json)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    json, strlen (json));
}

/* Records first..first+count-1 (or down from first when @down), capped to 1..n. */
static void
append_records (GString  *json,
                Fixture  *f,
                gint64    first,
                gint64    count,
                guint     n,
                gboolean  down)
{
  gboolean any = FALSE;

  g_string_append_c (json, '[');
  for (gint64 i = 0; i < count; i++)
    {
      gint64 id = down ? first - i : first + i;

      if (id < 1 || id > n)
        continue;
      g_string_append_printf (json, "%s{\"id\":%" G_GINT64_FORMAT ",\"msg\":\"r%" G_GINT64_FORMAT
                              "%s\"}", any ? "," : "", id, id,
                              (guint) id == f->updated_id ? " v2" : "");
      any = TRUE;
    }
  g_string_append_c (json, ']');
}

static gint64
query_number (GHashTable *query,
              const char *name,
              gint64      fallback)
{
  const char *value = query != NULL ? g_hash_table_lookup (query, name) : NULL;

  return value != NULL ? g_ascii_strtoll (value, NULL, 10) : fallback;
}

/* /api the way json-server (_start/_end, _page/_limit, with X-Total-Count and no Link
 * header), offset/limit APIs (no total) and page/per_page APIs (total_count in the body)
 * answer. */
static void
respond_api (Fixture           *f,
             SoupServerMessage *msg,
             GHashTable        *query)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autoptr(GString) json = g_string_new (NULL);
  g_autofree char *total = g_strdup_printf ("%u", f->n_records);
  gint64 start, count;

  if (g_hash_table_contains (query, "_start"))
    {
      start = query_number (query, "_start", 0);
      count = query_number (query, "_end", f->n_records) - start;
      soup_message_headers_append (headers, "X-Total-Count", total);
      append_records (json, f, start + 1, count, f->n_records, FALSE);
    }
  else if (g_hash_table_contains (query, "_page"))
    {
      count = query_number (query, "_limit", 10);
      start = (query_number (query, "_page", 1) - 1) * count;
      soup_message_headers_append (headers, "X-Total-Count", total);
      append_records (json, f, start + 1, count, f->n_records, FALSE);
    }
  else if (g_hash_table_contains (query, "page"))
    {
      count = query_number (query, "per_page", 30);
      start = (query_number (query, "page", 1) - 1) * count;
      g_string_append (json, "{\"data\":");
      append_records (json, f, start + 1, count, f->n_records, FALSE);
      g_string_append_printf (json, ",\"total_count\":%u}", f->n_records);
    }
  else
    {
      start = query_number (query, "offset", 0);
      count = query_number (query, "limit", f->n_records);
      if (f->cap > 0)
        count = MIN (count, f->cap);
      g_string_append (json, "{\"items\":");
      append_records (json, f, start + 1, count, f->n_records, FALSE);
      g_string_append_c (json, '}');
    }
  respond_json (msg, json->str);
}

/* /etag?page=N&per_page=M: an ETag per page and version; 304 when the client has it. */
static void
respond_etag (Fixture           *f,
              SoupServerMessage *msg,
              GHashTable        *query)
{
  g_autoptr(GString) json = g_string_new (NULL);
  gint64 count = query_number (query, "per_page", 2);
  gint64 page = query_number (query, "page", 1);
  g_autofree char *etag = g_strdup_printf ("\"n%u-p%" G_GINT64_FORMAT "\"", f->n_records, page);
  const char *sent = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "If-None-Match");

  soup_message_headers_append (soup_server_message_get_response_headers (msg), "ETag", etag);
  if (sent != NULL && g_str_equal (sent, etag))
    {
      f->not_modified++;
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      return;
    }
  append_records (json, f, (page - 1) * count + 1, count, f->n_records, FALSE);
  respond_json (msg, json->str);
}

/* /since?updated_after=T&cursor=N: records by time of change, those at or after T (the
 * boundary comes again, as many APIs do it), two a page. */
static void
respond_since (Fixture           *f,
               SoupServerMessage *msg,
               GHashTable        *query)
{
  static const struct { guint id; const char *updated, *msg; } before[] = {
    { 1, "2026-01-01T00:00:01Z", "r1" },
    { 2, "2026-01-01T00:00:02Z", "r2" },
    { 3, "2026-01-01T00:00:03Z", "r3" },
  }, after[] = {
    { 1, "2026-01-01T00:00:01Z", "r1" },
    { 3, "2026-01-01T00:00:03Z", "r3" },
    { 4, "2026-01-01T00:00:04Z", "r4" },
    { 2, "2026-01-01T00:00:05Z", "r2 v2" },
  };
  const char *since = query != NULL ? g_hash_table_lookup (query, "updated_after") : NULL;
  gint64 start = query_number (query, "cursor", 0);
  g_autoptr(GString) json = g_string_new ("{\"results\":[");
  guint n = f->since_changed ? G_N_ELEMENTS (after) : G_N_ELEMENTS (before);
  guint matched = 0, listed = 0;

  g_ptr_array_add (f->since_sent, g_strdup (since ?: ""));
  for (guint i = 0; i < n; i++)
    {
      guint id = f->since_changed ? after[i].id : before[i].id;
      const char *updated = f->since_changed ? after[i].updated : before[i].updated;
      const char *text = f->since_changed ? after[i].msg : before[i].msg;

      if (since != NULL && strcmp (updated, since) < 0)
        continue;
      if (matched++ < start || listed == 2)
        continue;
      g_string_append_printf (json, "%s{\"id\":%u,\"updated_at\":\"%s\",\"msg\":\"%s\"}",
                              listed++ > 0 ? "," : "", id, updated, text);
    }
  if (start + listed < matched)
    g_string_append_printf (json, "],\"next_cursor\":\"%" G_GINT64_FORMAT "\"}", start + listed);
  else
    g_string_append (json, "],\"next_cursor\":null}");
  respond_json (msg, json->str);
}

static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  Fixture *f = user_data;
  const char *cursor = query != NULL ? g_hash_table_lookup (query, "cursor") : NULL;
  const char *page = query != NULL ? g_hash_table_lookup (query, "page") : NULL;

  f->requests++;
  keep_header (&f->authorization, msg, "Authorization");
  keep_header (&f->api_key, msg, "X-Api-Key");
  keep_header (&f->cookie, msg, "Cookie");
  g_free (f->last_limit);
  f->last_limit = g_strdup (query != NULL ? g_hash_table_lookup (query, "limit") : NULL);

  if (g_str_equal (path, "/cursor"))
    {
      if (cursor == NULL)
        respond_json (msg, "{\"results\":[{\"id\":1,\"msg\":\"one\",\"level\":\"info\"},"
                           "{\"id\":2,\"msg\":\"two\"}],\"next_cursor\":\"c2\"}");
      else if (g_str_equal (cursor, "c2"))
        respond_json (msg, f->grown
                             ? "{\"results\":[{\"id\":3,\"msg\":\"three\"},{\"id\":4,\"msg\":\"four\"},"
                               "{\"id\":5,\"msg\":\"five\"}],\"next_cursor\":null}"
                             : "{\"results\":[{\"id\":3,\"msg\":\"three\"},{\"id\":4,\"msg\":\"four\"}],"
                               "\"next_cursor\":null}");
      else
        soup_server_message_set_status (msg, SOUP_STATUS_BAD_REQUEST, NULL);
    }
  else if (g_str_equal (path, "/link"))
    {
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

      if (page == NULL)
        {
          soup_message_headers_append (headers, "Link",
                                       "</link?page=2>; rel=\"next\", </link?page=9>; rel=\"last\"");
          respond_json (msg, "[{\"id\":\"a\",\"message\":\"A\"},{\"id\":\"b\",\"message\":\"B\"}]");
        }
      else
        {
          soup_message_headers_append (headers, "Link", "</link>; rel=\"first\"");
          respond_json (msg, "[{\"id\":\"c\",\"message\":\"C\"}]");
        }
    }
  else if (g_str_equal (path, "/urlnext"))
    {
      if (query == NULL || g_hash_table_lookup (query, "p") == NULL)
        {
          g_autofree char *json = g_strdup_printf (
            "{\"data\":[{\"msg\":\"no id 1\"}],\"links\":{\"next\":\"%s/urlnext?p=2\"}}", f->base);
          respond_json (msg, json);
        }
      else
        respond_json (msg, "{\"data\":[{\"msg\":\"no id 2\"}],\"links\":{\"next\":null}}");
    }
  else if (g_str_equal (path, "/many"))
    {
      /* Ids 1..10 (or the same, shuffled) on every poll, the map remembers only max-seen of
       * them; the body says which request it answers, so it is never the same twice. */
      g_autofree char *json = g_strdup_printf (
        f->shuffled
          ? "{\"request\":%u,\"items\":[{\"id\":5},{\"id\":2},{\"id\":9},{\"id\":1},{\"id\":7},"
            "{\"id\":3},{\"id\":10},{\"id\":4},{\"id\":8},{\"id\":6}]}"
          : "{\"request\":%u,\"items\":[{\"id\":1},{\"id\":2},{\"id\":3},{\"id\":4},{\"id\":5},"
            "{\"id\":6},{\"id\":7},{\"id\":8},{\"id\":9},{\"id\":10}]}", f->requests);
      respond_json (msg, json);
    }
  else if (g_str_equal (path, "/api") && query != NULL)
    respond_api (f, msg, query);
  else if (g_str_equal (path, "/etag"))
    respond_etag (f, msg, query);
  else if (g_str_equal (path, "/since"))
    respond_since (f, msg, query);
  else if (g_str_equal (path, "/big"))
    {
      /* big_top..1, newest first, by offset and limit: a new record moves every page. */
      g_autoptr(GString) json = g_string_new ("{\"items\":");

      append_records (json, f, f->big_top - query_number (query, "offset", 0),
                      query_number (query, "limit", 1000), f->big_top, TRUE);
      g_string_append_c (json, '}');
      respond_json (msg, json->str);
    }
  else if (g_str_equal (path, "/noway"))
    respond_json (msg, "[{\"id\":1,\"msg\":\"a\"},{\"id\":2,\"msg\":\"b\"}]");
  else if (g_str_equal (path, "/noway-total"))
    respond_json (msg, "{\"results\":[{\"id\":1,\"msg\":\"a\"}],\"total\":5}");
  else if (g_str_equal (path, "/cross"))
    {
      g_autofree char *json = g_strdup_printf (
        "{\"results\":[{\"id\":1,\"msg\":\"near\"}],\"next\":\"%s/elsewhere\"}", f->other_base);
      respond_json (msg, json);
    }
  else if (g_str_equal (path, "/bounce"))
    {
      g_autofree char *there = g_strdup_printf ("%s/elsewhere", f->other_base);
      soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, there);
    }
  else if (g_str_equal (path, "/garbage"))
    respond_json (msg, "{this is not json");
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static void
on_other_request (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  Fixture *f = user_data;

  f->other_requests++;
  keep_header (&f->other_authorization, msg, "Authorization");
  keep_header (&f->other_api_key, msg, "X-Api-Key");
  keep_header (&f->other_cookie, msg, "Cookie");
  keep_header (&f->other_trace, msg, "X-Trace");
  respond_json (msg, "{\"results\":[{\"id\":9,\"msg\":\"far\"}],\"next\":null}");
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->since_sent = g_ptr_array_new_with_free_func (g_free);
  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, NULL, on_request, f, NULL);
  f->base = g_strdup_printf ("http://127.0.0.1:%u", fw_test_server_listen (f->server, 0));
  f->other = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->other, NULL, on_other_request, f, NULL);
  f->other_base = g_strdup_printf ("http://127.0.0.1:%u", fw_test_server_listen (f->other, 0));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  soup_server_disconnect (f->server);
  fw_test_iterate_idle ();
  soup_server_disconnect (f->other);
  fw_test_iterate_idle ();
  g_clear_object (&f->server);
  g_clear_object (&f->other);
  g_free (f->base);
  g_free (f->other_base);
  g_free (f->last_limit);
  g_free (f->authorization);
  g_free (f->api_key);
  g_free (f->cookie);
  g_free (f->other_authorization);
  g_free (f->other_api_key);
  g_free (f->other_cookie);
  g_free (f->other_trace);
  g_ptr_array_unref (f->since_sent);
}

static FwStream *
open_feed (Fixture         *f,
           const char      *rest,
           FwFeedOpenFlags  flags)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup_printf ("pages:%s%s", f->base, rest);
  FwStream *stream = fw_feed_open (text, flags, &error);

  g_assert_no_error (error);
  g_assert_true (FW_IS_PAGES_SOURCE (stream));
  return stream;
}

static void
assert_message (FwStream   *stream,
                const char *text,
                const char *id)
{
  g_autoptr(FwItem) item = fw_test_next_item (stream);

  g_assert_cmpint (item->kind, ==, FW_ITEM_MESSAGE);
  g_assert_cmpstr (item->text, ==, text);
  g_assert_cmpstr (item->id, ==, id);
}

static void
assert_id (FwStream   *stream,
           const char *id)
{
  g_autoptr(FwItem) item = fw_test_next_item (stream);

  g_assert_cmpint (item->kind, ==, FW_ITEM_MESSAGE);
  g_assert_cmpstr (item->id, ==, id);
}

static void
assert_status (FwStream   *stream,
               const char *prefix)
{
  g_autoptr(FwItem) item = fw_test_next_item (stream);

  fw_test_assert_status (item, prefix);
}

static void
test_cursor_and_poll (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(FwStream) stream = open_feed (f, "/cursor#interval=20&page-size=2", 0);
  g_autoptr(FwItem) one = NULL;

  assert_status (stream, "connected");
  one = fw_test_next_item (stream);
  g_assert_cmpstr (one->text, ==, "one");
  g_assert_cmpint (one->level, ==, FW_LEVEL_INFO);
  g_assert_cmpstr (one->id, ==, "1");
  g_assert_cmpstr (f->last_limit, ==, "2");
  assert_message (stream, "two", "2");
  assert_message (stream, "three", "3");
  assert_message (stream, "four", "4");
  /* The cursor page kept the page size: the token replaces only the cursor parameter. */
  g_assert_cmpstr (f->last_limit, ==, "2");
  g_assert_cmpuint (f->requests, ==, 2);

  /* Polls crawl again from the start; only the new record comes out. */
  f->grown = TRUE;
  assert_message (stream, "five", "5");
  g_assert_cmpuint (f->requests % 2, ==, 0);
  g_assert_cmpuint (fw_pages_source_get_n_duplicates (FW_PAGES_SOURCE (stream)), >=, 4);
  g_assert_true (fw_test_close (stream, NULL));
}

static void
test_link_header (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(FwStream) stream = open_feed (f, "/link", FW_FEED_OPEN_ONCE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = fw_test_collect (stream, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 4);
  g_assert_cmpint (((FwItem *) items->pdata[0])->kind, ==, FW_ITEM_STATUS);
  g_assert_cmpstr (((FwItem *) items->pdata[1])->text, ==, "A");
  g_assert_cmpstr (((FwItem *) items->pdata[2])->text, ==, "B");
  g_assert_cmpstr (((FwItem *) items->pdata[3])->text, ==, "C");
  g_assert_cmpstr (((FwItem *) items->pdata[3])->id, ==, "c");
  g_assert_cmpuint (f->requests, ==, 2);
}

typedef struct
{
  gboolean  done;
  FwItem   *item;
  GError   *error;
} NextResult;

static void
on_next (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  NextResult *r = user_data;

  r->item = fw_stream_next_finish (FW_STREAM (object), result, &r->error);
  r->done = TRUE;
}

static void
test_url_cursor_without_ids (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(FwStream) stream = open_feed (f, "/urlnext#interval=20", 0);
  NextResult r = { 0 };

  assert_status (stream, "connected");
  assert_message (stream, "no id 1", NULL);
  assert_message (stream, "no id 2", NULL);
  /* Records without ids are told apart by their content: the next polls give nothing new,
   * so after a few more requests the pending `next` has still nothing to return. */
  fw_stream_next_async (stream, NULL, on_next, &r);
  fw_test_wait_for_count (&f->requests, 8);
  g_assert_false (r.done);
  g_assert_cmpuint (fw_pages_source_get_n_duplicates (FW_PAGES_SOURCE (stream)), >=, 4);
  fw_stream_close (stream);
  fw_test_wait_for (&r.done);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&r.error);
}

typedef struct
{
  Fixture    *f;
  NextResult *r;
  guint       until;
} NothingNew;

static gboolean
requests_or_item (gpointer user_data)
{
  NothingNew *w = user_data;

  return w->r->done || w->f->requests >= w->until;
}

/* Nothing more comes while the source makes @more requests: the pending `next` stays
 * pending. */
static void
assert_nothing_new (Fixture  *f,
                    FwStream *stream,
                    guint     more)
{
  NextResult r = { 0 };
  NothingNew w;

  w.f = f;
  w.r = &r;
  w.until = f->requests + more;
  fw_stream_next_async (stream, NULL, on_next, &r);
  fw_test_wait_until (requests_or_item, &w, "requests, or an item that should not come");
  if (r.done)
    g_error ("after the crawl, another item came: “%s” (id %s)",
             r.item != NULL ? r.item->text : "none", r.item != NULL ? r.item->id : "none");
  fw_stream_close (stream);
  fw_test_wait_for (&r.done);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&r.error);
}

/* The map holds 4 of 10 records whose ids grow: the high-water mark keeps the other 6 from
 * coming back, though every poll's body differs and each record is looked at. */
static void
test_seen_bounded (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(FwStream) stream = open_feed (f, "/many#interval=20&max-seen=4", 0);

  assert_status (stream, "connected");
  for (guint i = 1; i <= 10; i++)
    {
      g_autoptr(FwItem) item = fw_test_next_item (stream);
      g_autofree char *id = g_strdup_printf ("%u", i);
      g_assert_cmpstr (item->id, ==, id);
    }
  g_assert_cmpuint (fw_pages_source_get_n_seen (FW_PAGES_SOURCE (stream)), ==, 4);
  assert_nothing_new (f, stream, 4);
  g_assert_cmpuint (fw_pages_source_get_n_seen (FW_PAGES_SOURCE (stream)), ==, 4);
  g_assert_cmpuint (fw_pages_source_get_n_duplicates (FW_PAGES_SOURCE (stream)), >=, 30);
}

/* Ids out of order: no high-water mark. The map keeps the crawl's first 4 records, a status
 * item says the rest will come again, and each poll gives only those 6, never the 10. */
static void
test_seen_bounded_unordered (Fixture       *f,
                             gconstpointer  data)
{
  static const char * const first[] = { "5", "2", "9", "1" };
  static const char * const rest[] = { "7", "3", "10", "4", "8", "6" };
  g_autoptr(FwStream) stream = NULL;

  f->shuffled = TRUE;
  stream = open_feed (f, "/many#interval=20&max-seen=4", 0);
  assert_status (stream, "connected");
  for (guint i = 0; i < G_N_ELEMENTS (first); i++)
    assert_id (stream, first[i]);
  assert_status (stream, "The pages hold more records than max-seen (4) remembers, and their "
                         "ids do not grow in order");
  for (guint poll = 0; poll < 3; poll++)
    for (guint i = 0; i < G_N_ELEMENTS (rest); i++)
      assert_id (stream, rest[i]);
  g_assert_cmpuint (fw_pages_source_get_n_seen (FW_PAGES_SOURCE (stream)), ==, 4);
  g_assert_true (fw_test_close (stream, NULL));
}

static void
assert_since_sent (Fixture            *f,
                   guint               from,
                   const char * const *expected)
{
  guint n = g_strv_length ((char **) expected);

  g_assert_cmpuint (f->since_sent->len, >=, from + n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (g_ptr_array_index (f->since_sent, from + i), ==, expected[i]);
}

/* The first crawl asks for everything; later ones for what changed since the newest record
 * seen, on every page of the crawl. What the server gives again (the boundary record, the
 * same record unchanged) is dropped by the seen map; new and changed records come once. */
static void
test_since_param (Fixture       *f,
                  gconstpointer  data)
{
  static const char * const first_crawl[] = { "", "", NULL };
  static const char * const second_crawl[] = { "2026-01-01T00:00:03Z", "2026-01-01T00:00:03Z",
                                               NULL };
  g_autoptr(FwStream) stream = open_feed (f, "/since#interval=20&since-param=updated_after", 0);

  assert_status (stream, "connected");
  assert_message (stream, "r1", "1");
  assert_message (stream, "r2", "2");
  assert_message (stream, "r3", "3");
  g_assert_cmpuint (f->since_sent->len, ==, 2);
  assert_since_sent (f, 0, first_crawl);

  f->since_changed = TRUE;
  assert_message (stream, "r4", "4");
  assert_message (stream, "r2 v2", "2");
  g_assert_cmpuint (f->since_sent->len, ==, 4);
  assert_since_sent (f, 2, second_crawl);
  g_assert_cmpuint (fw_pages_source_get_n_duplicates (FW_PAGES_SOURCE (stream)), ==, 1);

  /* Then only the changed record comes back from the server, and nothing from the feed. */
  assert_nothing_new (f, stream, 3);
  for (guint i = 4; i < f->since_sent->len; i++)
    g_assert_cmpstr (g_ptr_array_index (f->since_sent, i), ==, "2026-01-01T00:00:05Z");
}

/* since-field names where the time is; without since-param nothing is sent. */
static void
test_since_field (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(FwStream) plain = open_feed (f, "/since#interval=20", 0);
  g_autoptr(FwStream) by_id = NULL;

  assert_status (plain, "connected");
  for (guint i = 1; i <= 3; i++)
    fw_item_unref (fw_test_next_item (plain));
  f->since_changed = TRUE;
  assert_message (plain, "r4", "4");
  assert_message (plain, "r2 v2", "2");
  for (guint i = 0; i < f->since_sent->len; i++)
    g_assert_cmpstr (g_ptr_array_index (f->since_sent, i), ==, "");
  g_assert_true (fw_test_close (plain, NULL));

  /* The ids as the value: the newest id of the first crawl is 4. */
  g_ptr_array_set_size (f->since_sent, 0);
  by_id = open_feed (f, "/since#interval=20&since-param=updated_after&since-field=id", 0);
  assert_status (by_id, "connected");
  for (guint i = 0; i < 4; i++)
    fw_item_unref (fw_test_next_item (by_id));
  assert_nothing_new (f, by_id, 3);
  g_assert_cmpstr (g_ptr_array_index (f->since_sent, 2), ==, "4");
}

/* Each style crawls every page and stops at the end: a short or empty page, or the total. */
static void
test_offset_and_page_styles (Fixture       *f,
                             gconstpointer  data)
{
  static const struct { const char *rest; guint n; guint cap; guint requests; } cases[] = {
    /* json-server: X-Total-Count, no Link header; the last page is short */
    { "/api?_start=0&_end=3", 7, 0, 3 },
    { "/api?_page=1&_limit=3", 7, 0, 3 },
    /* no total: the empty page after two full ones ends it */
    { "/api?offset=0&limit=3", 6, 0, 3 },
    /* a server that gives 2 where 50 were asked for: pages of 2 until a shorter one */
    { "/api?offset=0&limit=50", 5, 2, 3 },
    /* total_count in the body: four full pages, and no fifth request */
    { "/api?page=1&per_page=2", 8, 0, 4 },
    /* the option, for a URL that shows only the page size */
    { "/api?limit=2#paginate=offset", 5, 0, 3 },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(FwStream) stream = NULL;
      g_autoptr(GPtrArray) items = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", cases[c].rest);
      f->n_records = cases[c].n;
      f->cap = cases[c].cap;
      f->requests = 0;
      stream = open_feed (f, cases[c].rest, FW_FEED_OPEN_ONCE);
      items = fw_test_collect (stream, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (items->len, ==, cases[c].n + 1);
      fw_test_assert_status (items->pdata[0], "connected");
      for (guint i = 1; i <= cases[c].n; i++)
        {
          g_autofree char *id = g_strdup_printf ("%u", i);
          g_assert_cmpstr (((FwItem *) items->pdata[i])->id, ==, id);
        }
      g_assert_cmpuint (f->requests, ==, cases[c].requests);
    }
}

/* A record that changes (same id, new content) comes once more, and only once; with
 * updates=ignore, not again. */
static void
test_updated_record (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(FwStream) stream = NULL;

  f->n_records = 7;
  stream = open_feed (f, "/api?_page=1&_limit=3#interval=20", 0);
  assert_status (stream, "connected");
  for (guint i = 1; i <= 7; i++)
    {
      g_autofree char *text = g_strdup_printf ("r%u", i);
      g_autofree char *id = g_strdup_printf ("%u", i);
      assert_message (stream, text, id);
    }
  f->updated_id = 5;
  assert_message (stream, "r5 v2", "5");
  assert_nothing_new (f, stream, 6);
  g_clear_object (&stream);

  /* updates=ignore: only new records. */
  f->updated_id = 0;
  stream = open_feed (f, "/api?_page=1&_limit=3#interval=20&updates=ignore", 0);
  assert_status (stream, "connected");
  for (guint i = 1; i <= 7; i++)
    {
      g_autofree char *id = g_strdup_printf ("%u", i);
      assert_id (stream, id);
    }
  f->updated_id = 5;
  f->n_records = 8;
  assert_id (stream, "8");
  assert_nothing_new (f, stream, 6);
}

/* 12,000 records newest first, by offset, polled with a map of 3,000: each comes once. A
 * new record moves every page, so no page is the same as before: the high-water mark keeps
 * the 9,000 the map let go; the new record and a changed one (in the map) come once. */
static void
test_many_records_polled (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(FwStream) stream = NULL;

  f->big_top = 12000;
  stream = open_feed (f, "/big?offset=0&limit=1000#interval=20&max-seen=3000", 0);
  assert_status (stream, "connected");
  for (guint i = 12000; i >= 1; i--)
    {
      g_autoptr(FwItem) item = fw_test_next_item (stream);

      g_assert_cmpint (item->kind, ==, FW_ITEM_MESSAGE);
      g_assert_cmpint (g_ascii_strtoll (item->id, NULL, 10), ==, i);
    }
  g_assert_cmpuint (fw_pages_source_get_n_seen (FW_PAGES_SOURCE (stream)), ==, 3000);

  f->big_top = 12001;
  f->updated_id = 2;
  assert_message (stream, "r12001", "12001");
  assert_message (stream, "r2 v2", "2");
  /* Two more crawls of 13 pages bring nothing. */
  assert_nothing_new (f, stream, 26);
}

/* A page whose ETag still matches is not sent again (304): nothing new, the crawl goes on
 * the way it went; a changed page comes with its new record. */
static void
test_etag (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(FwStream) stream = NULL;

  f->n_records = 5;
  stream = open_feed (f, "/etag?page=1&per_page=2#interval=20", 0);
  assert_status (stream, "connected");
  for (guint i = 1; i <= 5; i++)
    {
      g_autofree char *text = g_strdup_printf ("r%u", i);
      g_autofree char *id = g_strdup_printf ("%u", i);
      assert_message (stream, text, id);
    }
  g_assert_cmpuint (f->requests, ==, 3);

  /* Two crawls of three pages, all 304. */
  {
    NextResult r = { 0 };

    fw_stream_next_async (stream, NULL, on_next, &r);
    fw_test_wait_for_count (&f->not_modified, 6);
    g_assert_false (r.done);
    /* The sixth answer may still be on its way to the source. */
    g_assert_cmpuint (fw_pages_source_get_n_unmodified (FW_PAGES_SOURCE (stream)), >=, 5);

    f->n_records = 6;
    fw_test_wait_for (&r.done);
    g_assert_no_error (r.error);
    g_assert_cmpstr (r.item->id, ==, "6");
    g_clear_pointer (&r.item, fw_item_unref);
  }
  assert_nothing_new (f, stream, 6);
}

/* A first page as long as its page size, or shorter than the total, and no way on: said. */
static void
test_no_way_on (Fixture       *f,
                gconstpointer  data)
{
  static const struct { const char *rest; guint n; const char *said; } cases[] = {
    { "/noway?limit=2", 2, "gave 2 records, a whole page and no way to the next page" },
    { "/noway-total", 1, "gave 1 of 5 records and no way to the next page" },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(FwStream) stream = open_feed (f, cases[c].rest, FW_FEED_OPEN_ONCE);
      g_autoptr(GPtrArray) items = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *said = g_strdup_printf ("%s%s %s", f->base, cases[c].rest, cases[c].said);
      FwItem *note;

      items = fw_test_collect (stream, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (items->len, ==, cases[c].n + 2);
      note = items->pdata[items->len - 1];
      fw_test_assert_status (note, said);
      g_assert_cmpint (note->level, ==, FW_LEVEL_WARNING);
      g_assert_nonnull (strstr (note->text, "paginate=offset"));
    }
}

static void
test_not_json (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(FwStream) stream = open_feed (f, "/garbage#retry=60000", 0);
  g_autoptr(FwStream) once = open_feed (f, "/garbage", FW_FEED_OPEN_ONCE);
  g_autoptr(GError) error = NULL;

  assert_status (stream, "retrying in 60 s: the response is not JSON");
  g_assert_true (fw_test_close (stream, NULL));

  g_assert_null (fw_test_next (once, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

/* A next link on another origin (another port) is followed without the secret headers, and a
 * status item names what was left out and where; the feed's own server had them all. */
static void
test_cross_origin_next_drops_secrets (Fixture       *f,
                                      gconstpointer  data)
{
  g_autoptr(FwStream) stream = open_feed (f, "/cross#" SECRET_HEADERS, FW_FEED_OPEN_ONCE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = fw_test_collect (stream, &error);
  g_autofree char *note = g_strdup_printf ("Authorization, Cookie and X-Api-Key were not sent "
                                           "to %s, where the feed's next request goes: secret "
                                           "headers go only to the feed's own origin %s",
                                           f->other_base, f->base);
  guint notes = 0;

  g_assert_no_error (error);
  g_assert_cmpstr (f->authorization, ==, "Bearer t");
  g_assert_cmpstr (f->api_key, ==, "k1");
  g_assert_cmpstr (f->cookie, ==, "session=s1");
  g_assert_cmpuint (f->other_requests, ==, 1);
  g_assert_null (f->other_authorization);
  g_assert_null (f->other_api_key);
  g_assert_null (f->other_cookie);
  g_assert_cmpstr (f->other_trace, ==, "t-42");

  g_assert_cmpuint (items->len, ==, 4);
  g_assert_cmpstr (((FwItem *) items->pdata[1])->text, ==, "near");
  g_assert_cmpstr (((FwItem *) items->pdata[3])->text, ==, "far");
  for (guint i = 0; i < items->len; i++)
    {
      FwItem *item = items->pdata[i];

      if (item->kind == FW_ITEM_STATUS && g_str_has_prefix (item->text, note))
        {
          g_assert_cmpint (item->level, ==, FW_LEVEL_WARNING);
          notes++;
        }
    }
  g_assert_cmpuint (notes, ==, 1);
}

/* follow-cross-origin=refuse: the other origin gets no request, and the feed fails naming
 * both origins. */
static void
test_cross_origin_next_refused (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(FwStream) stream = open_feed (f, "/cross#" SECRET_HEADERS
                                          "&follow-cross-origin=refuse", 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = fw_test_collect (stream, &error);

  g_assert_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, f->base));
  g_assert_nonnull (strstr (error->message, f->other_base));
  g_assert_cmpuint (f->requests, ==, 1);
  g_assert_cmpuint (f->other_requests, ==, 0);
}

/* The same for a redirect of a page request: followed without the secrets, or refused. */
static void
test_cross_origin_redirect (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(FwStream) stream = open_feed (f, "/bounce#" SECRET_HEADERS, FW_FEED_OPEN_ONCE);
  g_autoptr(FwStream) refusing = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = fw_test_collect (stream, &error);
  g_autoptr(GPtrArray) refused = NULL;
  g_autofree char *note = g_strdup_printf ("Authorization, Cookie and X-Api-Key were not sent "
                                           "to %s, where the feed was redirected",
                                           f->other_base);

  g_assert_no_error (error);
  g_assert_cmpstr (f->authorization, ==, "Bearer t");
  g_assert_cmpuint (f->other_requests, ==, 1);
  g_assert_null (f->other_authorization);
  g_assert_null (f->other_api_key);
  g_assert_null (f->other_cookie);
  g_assert_cmpuint (items->len, ==, 3);
  fw_test_assert_status (items->pdata[0], note);
  g_assert_cmpstr (((FwItem *) items->pdata[2])->text, ==, "far");

  refusing = open_feed (f, "/bounce#" SECRET_HEADERS "&follow-cross-origin=refuse", 0);
  refused = fw_test_collect (refusing, &error);
  g_assert_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, f->base));
  g_assert_nonnull (strstr (error->message, f->other_base));
  g_assert_cmpuint (f->other_requests, ==, 1);
}

static void
test_link_parser (void)
{
  static const struct { const char *header; const char *next; } cases[] = {
    { "<https://api.github.com/x?page=2>; rel=\"next\", <https://api.github.com/x?page=5>; rel=\"last\"",
      "https://api.github.com/x?page=2" },
    { "</a>; rel=\"prev\", </b>; rel=\"next\"", "/b" },
    { "</a>; title=\"x, y\"; rel=\"prev next\"", "/a" },
    { "</a>; REL=next", "/a" },
    { "</a>; rel=\"last\"", NULL },
    { "garbage", NULL },
    { "<unterminated; rel=next", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *next_url = fw_pages_find_link_next (cases[i].header);
      g_assert_cmpstr (next_url, ==, cases[i].next);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ("/pages/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("cursor-and-poll", test_cursor_and_poll);
  ADD ("link-header", test_link_header);
  ADD ("url-cursor-without-ids", test_url_cursor_without_ids);
  ADD ("seen-bounded", test_seen_bounded);
  ADD ("seen-bounded-unordered", test_seen_bounded_unordered);
  ADD ("offset-and-page-styles", test_offset_and_page_styles);
  ADD ("updated-record", test_updated_record);
  ADD ("many-records-polled", test_many_records_polled);
  ADD ("etag", test_etag);
  ADD ("since-param", test_since_param);
  ADD ("since-field", test_since_field);
  ADD ("no-way-on", test_no_way_on);
  ADD ("not-json", test_not_json);
  ADD ("cross-origin-next-drops-secrets", test_cross_origin_next_drops_secrets);
  ADD ("cross-origin-next-refused", test_cross_origin_next_refused);
  ADD ("cross-origin-redirect", test_cross_origin_redirect);
#undef ADD
  g_test_add_func ("/pages/link-parser", test_link_parser);

  return g_test_run ();
}
