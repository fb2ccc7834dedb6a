/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-pages-source.c: `pages:URL` against a loopback SoupServer: a body cursor (a token and
 * a URL), a Link: rel="next" header, the page size, polling with de-duplication, the bounded
 * seen set, --once, and a body that is not JSON. */

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
      /* Ids 1..10 on every poll; the set remembers only max-seen of them. */
      respond_json (msg, "{\"items\":[{\"id\":1},{\"id\":2},{\"id\":3},{\"id\":4},{\"id\":5},"
                         "{\"id\":6},{\"id\":7},{\"id\":8},{\"id\":9},{\"id\":10}]}");
    }
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
  /* With room for 4 of 10, older records come back on the next poll: the price of a
   * bounded set, and the proof that it is bounded. */
  {
    g_autoptr(FwItem) again = fw_test_next_item (stream);
    g_assert_cmpstr (again->id, ==, "1");
  }
  g_assert_cmpuint (fw_pages_source_get_n_seen (FW_PAGES_SOURCE (stream)), ==, 4);
  g_assert_true (fw_test_close (stream, NULL));
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
  ADD ("not-json", test_not_json);
  ADD ("cross-origin-next-drops-secrets", test_cross_origin_next_drops_secrets);
  ADD ("cross-origin-next-refused", test_cross_origin_next_refused);
  ADD ("cross-origin-redirect", test_cross_origin_redirect);
#undef ADD
  g_test_add_func ("/pages/link-parser", test_link_parser);

  return g_test_run ();
}
