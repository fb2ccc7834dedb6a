/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-pages-source.c: `pages:URL#options`.
 *
 * A crawl fetches the first page, yields its records, and follows the next page: a cursor
 * found in the body (option cursor, a dotted path; by default next_cursor, next, links.next)
 * or else an RFC 8288 `Link: <…>; rel="next"` header. A cursor that is a URL (absolute or
 * relative) is fetched as it is; any other value is sent as the cursor-param query parameter
 * (default "cursor") of the feed's URL. Records come from the array at option items (by
 * default results, items, data, or the body itself when it is an array). With page-size=N,
 * page-size-param (default "limit") is added to the first request.
 *
 * Without a cursor or Link header, the URL's own query says how to go on (paginate=auto):
 * `_start`/`_end`, `offset` or `skip` move by the records received, `_page` or `page` count
 * pages (paginate=offset|page and page-param say it for a URL that does not show it). The
 * crawl stops at an empty page, a page shorter than the crawl's first (which may be shorter
 * than asked for: servers cap the page size), the total (X-Total-Count, or total in the
 * body), or a page the same as the one before (a server that ignores the parameter). A first
 * page as long as the URL's limit (_limit, per_page…), or shorter than the total, with no way
 * on is said in a status item.
 *
 * After a crawl ends (no next page, or max-pages pages), the source waits interval and
 * crawls again: from the first page (poll-from=start, the default, for APIs whose new records
 * may land anywhere), or from the last page fetched (poll-from=end, for cursor APIs that
 * append). A record comes out when its id (the id option's path, default "id"; a record
 * without one counts by its whole text) is new or its content changed (unless
 * updates=ignore). What stops a poll from repeating a crawl, cheapest first: a page whose
 * ETag still matches (If-None-Match, 304) or whose body is the same as last crawl's is
 * skipped whole; the seen map keeps, for max-seen ids (default 10000), a hash of each
 * record's content; and when ids grow in the listing's order, a record not in the map at or
 * below the highest id of earlier crawls was shown before (the map evicts the least recently
 * seen, the high-water mark stays). Ids that do not grow keep the map's records of the
 * crawl: only what does not fit comes again, and a status item says to raise max-seen.
 *
 * Many APIs can list only what changed since a time (`updated_since`, `modified_after`…).
 * With since-param=NAME, each crawl after the first full one starts from the first page and
 * sends NAME=<the newest value of the records' since-field (default updated_at) seen before
 * the crawl began> on all its pages; the seen map still drops what comes again (servers often
 * include the boundary record). Values compare as numbers when they are decimal, else as text
 * (ISO 8601 times in one zone and format sort so).
 *
 * Pull-driven: a page is fetched only when the consumer asks and nothing is buffered; a
 * page with no new record goes straight on to the next without answering. */

#include "config.h"

#include "fw-pages-source.h"

#include <glib/gi18n-lib.h>

#include "fw-reconnect.h"
#include "fw-http.h"
#include "fw-http-fetch.h"
#include "fw-source-private.h"
#include "fw-http-options.h"
#include "fw-json-item.h"

#include <inttypes.h>
#include <string.h>

#define ACCEPT "application/json"
#define MAX_PAGE_DEPTH 512

static const char * const default_item_paths[] = { "results", "items", "data", NULL };
static const char * const default_cursor_paths[] = { "next_cursor", "next", "links.next", NULL };
static const char * const total_paths[] = {
  "total", "total_count", "totalCount", "meta.total", "pagination.total", NULL
};
/* The query parameters a URL shows its pagination by, in the order they are looked for. */
static const char * const offset_params[] = { "_start", "offset", "skip", NULL };
static const char * const page_params[] = { "_page", "page", NULL };
static const char * const size_params[] = {
  "_limit", "limit", "per_page", "page_size", "pageSize", "size", NULL
};

typedef enum
{
  PAGINATE_NONE,    /* a cursor or Link header, or nothing */
  PAGINATE_OFFSET,  /* the parameter counts records */
  PAGINATE_PAGE,    /* the parameter counts pages */
} Paginate;

/* A record remembered: its content's hash, and the crawl that saw it last. */
typedef struct
{
  char    *key;
  guint64  sum;
  guint    crawl;
  GList   *link;  /* in seen_order, least recently seen first */
} Seen;

/* A page of the last crawl, by URL: enough to skip it when it did not change. */
typedef struct
{
  guint64  body_sum;
  char    *etag;
  char    *next;    /* where that response said to go on, or NULL */
  guint    n_records;
} PageMemo;

struct _FwPagesSource
{
  FwStream       parent_instance;

  GRefString    *feed;
  char          *url;         /* the first page, with the page size */
  FwHttpOptions *options;
  char          *items_path;  /* or NULL for the defaults */
  char          *cursor_path; /* or NULL for the defaults */
  char          *cursor_param;
  char          *id_path;
  char          *since_param; /* or NULL: no since parameter */
  char          *since_field;
  guint          interval_ms;
  guint          max_seen;
  guint          max_pages;
  gboolean       poll_from_end;
  gboolean       once;
  gboolean       ignore_updates;  /* a changed record is not shown again */

  Paginate       paginate;
  char          *index_param; /* offset or page number, when paginate is not NONE */
  char          *end_param;   /* _end, moved with _start */
  char          *size_param;  /* the URL's page size, or NULL */
  gint64         first_index; /* the index a URL without index_param stands for */

  SoupSession   *session;
  SoupMessage   *first_msg;
  GInputStream  *first_body;
  SoupMessage   *page_msg;    /* the request in flight */
  GCancellable  *cancellable;
  FwSourceToken *token;
  FwReconnect   *reconnect;   /* the delay after a failed request */
  GSource       *timer;
  gint64         next_poll_at;
  gboolean       connected;

  char          *next_url;    /* the page to fetch now, or NULL between crawls */
  char          *last_url;    /* the last page fetched */
  char          *crawl_url;   /* the crawl's first URL (a cursor token goes on it), or NULL */
  char          *newest;      /* the newest since-field value yet */
  GHashTable    *visited;     /* this crawl's URLs: a cursor loop ends the crawl */
  guint          crawl_pages;
  guint          crawl;       /* counts crawls, from 1 */
  gint64         crawl_page_size;  /* records on the crawl's first page */
  guint64        prev_body_sum;    /* the crawl's previous page */
  GHashTable    *pages;       /* URL → PageMemo, this crawl */
  GHashTable    *last_pages;  /* URL → PageMemo, the crawl before */

  GHashTable    *seen;        /* key → Seen */
  GQueue        *seen_order;
  char          *hwm;         /* the highest id yet */
  char          *crawl_hwm;   /* the highest id of the crawls before this one */
  char          *prev_id;     /* the crawl's previous id, for the order of ids */
  int            id_direction;  /* 1 ascending, -1 descending, 0 not known yet */
  gboolean       ids_ordered; /* every crawl listed ids in one order */
  gboolean       ids_grow;    /* no new record came below the high-water mark */
  gboolean       overflowed;  /* the seen map has let a record go */
  gboolean       overflow_said;
  gboolean       no_way_said;

  GHashTable    *notes_said;  /* the secrets notes already yielded */

  guint          n_requests;
  guint          n_duplicates;
  guint          n_not_modified;
};

G_DEFINE_FINAL_TYPE (FwPagesSource, fw_pages_source, FW_TYPE_STREAM)

static void fetch_page (FwPagesSource *self);

static gboolean
on_poll_due (gpointer user_data)
{
  FwPagesSource *self = user_data;

  g_clear_pointer (&self->timer, g_source_unref);
  fetch_page (self);

  return G_SOURCE_REMOVE;
}

static void
wait_then_fetch (FwPagesSource *self)
{
  gint64 now = g_get_monotonic_time ();

  if (self->next_poll_at <= now)
    {
      fetch_page (self);
      return;
    }

  self->timer = fw_source_timer_new (FW_STREAM (self), self->next_poll_at, on_poll_due,
                                     "[feedwatch] pages poll");
}

/* ---------------------------------------------------------------------------------------- */
/* Pages */

/* `<https://api/x?page=2>; rel="next", <…>; rel="last"` → the next URL, as written. */
char *
fw_pages_find_link_next (const char *link_header)
{
  const char *p = link_header;

  if (link_header == NULL)
    return NULL;

  while (*p != '\0')
    {
      const char *open = strchr (p, '<');
      const char *close, *end;
      g_autofree char *params = NULL;
      g_auto(GStrv) parts = NULL;

      if (open == NULL)
        return NULL;
      close = strchr (open, '>');
      if (close == NULL)
        return NULL;
      /* The parameters run to the next link, a comma outside quotes. */
      end = close + 1;
      {
        gboolean quoted = FALSE;
        while (*end != '\0' && (quoted || *end != ','))
          {
            if (*end == '"')
              quoted = !quoted;
            end++;
          }
      }
      params = g_strndup (close + 1, end - close - 1);
      parts = g_strsplit (params, ";", -1);
      for (guint i = 0; parts[i] != NULL; i++)
        {
          char *param = g_strstrip (parts[i]);
          char *value;
          g_auto(GStrv) rels = NULL;

          if (g_ascii_strncasecmp (param, "rel", 3) != 0)
            continue;
          value = g_strstrip (param + 3);
          if (*value != '=')
            continue;
          value = g_strstrip (value + 1);
          if (*value == '"')
            {
              value++;
              if (strchr (value, '"') != NULL)
                *strchr (value, '"') = '\0';
            }
          rels = g_strsplit (value, " ", -1);
          for (guint j = 0; rels[j] != NULL; j++)
            {
              if (g_ascii_strcasecmp (rels[j], "next") == 0)
                return g_strndup (open + 1, close - open - 1);
            }
        }
      p = *end != '\0' ? end + 1 : end;
    }

  return NULL;
}

static char *
with_query_param (const char *url,
                  const char *name,
                  const char *value)
{
  g_autoptr(GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  g_autoptr(GString) query = g_string_new (NULL);
  g_autoptr(GUri) result = NULL;
  g_autofree char *escaped = NULL;
  const char *old;

  if (uri == NULL)
    return NULL;

  old = g_uri_get_query (uri);
  if (old != NULL)
    {
      g_auto(GStrv) pairs = g_strsplit (old, "&", -1);
      gsize name_len = strlen (name);

      for (guint i = 0; pairs[i] != NULL; i++)
        {
          if (strncmp (pairs[i], name, name_len) == 0 &&
              (pairs[i][name_len] == '=' || pairs[i][name_len] == '\0'))
            continue;
          if (pairs[i][0] == '\0')
            continue;
          if (query->len > 0)
            g_string_append_c (query, '&');
          g_string_append (query, pairs[i]);
        }
    }
  escaped = g_uri_escape_string (value, NULL, FALSE);
  if (query->len > 0)
    g_string_append_c (query, '&');
  g_string_append_printf (query, "%s=%s", name, escaped);

  result = g_uri_build (g_uri_get_flags (uri), g_uri_get_scheme (uri), g_uri_get_userinfo (uri),
                        g_uri_get_host (uri), g_uri_get_port (uri), g_uri_get_path (uri),
                        query->str, NULL);
  return g_uri_to_string (result);
}

static JsonNode *
find_records (FwPagesSource *self,
              JsonNode      *root)
{
  JsonNode *node;

  if (self->items_path != NULL)
    return fw_json_lookup_path (root, self->items_path);
  if (JSON_NODE_HOLDS_ARRAY (root))
    return root;
  for (guint i = 0; default_item_paths[i] != NULL; i++)
    {
      node = fw_json_lookup_path (root, default_item_paths[i]);
      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
        return node;
    }
  return NULL;
}

static char *
find_cursor (FwPagesSource *self,
             JsonNode      *root)
{
  if (self->cursor_path != NULL)
    return fw_json_node_dup_scalar (fw_json_lookup_path (root, self->cursor_path));

  for (guint i = 0; default_cursor_paths[i] != NULL; i++)
    {
      char *value = fw_json_node_dup_scalar (fw_json_lookup_path (root, default_cursor_paths[i]));

      if (value != NULL && value[0] != '\0')
        return value;
      g_free (value);
    }
  return NULL;
}

/* Where the next page is: the body's cursor, else the Link header; NULL at the end. */
static char *
next_page_url (FwPagesSource *self,
               SoupMessage   *msg,
               JsonNode      *root,
               const char    *page_url)
{
  g_autofree char *cursor = find_cursor (self, root);
  g_autofree char *link = NULL;

  if (cursor != NULL && cursor[0] != '\0')
    {
      if (strstr (cursor, "://") != NULL || cursor[0] == '/' || cursor[0] == '?')
        return g_uri_resolve_relative (page_url, cursor, G_URI_FLAGS_ENCODED, NULL);
      return with_query_param (self->crawl_url ?: self->url, self->cursor_param, cursor);
    }

  link = fw_pages_find_link_next (
    soup_message_headers_get_list (soup_message_get_response_headers (msg), "Link"));
  if (link != NULL)
    return g_uri_resolve_relative (page_url, link, G_URI_FLAGS_ENCODED, NULL);

  return NULL;
}

/* FNV-1a: a content hash that is cheap for thousands of records a poll. */
static guint64
hash_bytes (const void *data,
            gsize       len)
{
  const guchar *p = data;
  guint64 h = G_GUINT64_CONSTANT (0xcbf29ce484222325);

  for (gsize i = 0; i < len; i++)
    {
      h ^= p[i];
      h *= G_GUINT64_CONSTANT (0x100000001b3);
    }
  return h;
}

static char *
dup_query_param (const char *url,
                 const char *name)
{
  g_autoptr(GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  g_autoptr(GHashTable) params = NULL;
  const char *query = uri != NULL ? g_uri_get_query (uri) : NULL;

  if (query == NULL)
    return NULL;
  params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  if (params == NULL)
    return NULL;
  return g_strdup (g_hash_table_lookup (params, name));
}

/* The integer value of @name in @url's query, or @fallback. */
static gint64
query_int (const char *url,
           const char *name,
           gint64      fallback)
{
  g_autofree char *value = name != NULL ? dup_query_param (url, name) : NULL;
  gint64 n;

  if (value == NULL || !g_ascii_string_to_signed (value, 10, 0, G_MAXINT64, &n, NULL))
    return fallback;
  return n;
}

static const char *
first_param_in (const char         *url,
                const char * const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *value = dup_query_param (url, names[i]);

      if (value != NULL)
        return names[i];
    }
  return NULL;
}

/* The number of records the API says there are: X-Total-Count, or a total in the body. */
static gint64
find_total (SoupMessage *msg,
            JsonNode    *root)
{
  const char *header = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                     "X-Total-Count");
  guint64 n;

  if (header != NULL && g_ascii_string_to_unsigned (header, 10, 0, G_MAXINT64, &n, NULL))
    return (gint64) n;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return -1;
  for (guint i = 0; total_paths[i] != NULL; i++)
    {
      JsonNode *node = fw_json_lookup_path (root, total_paths[i]);

      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_INT64 && json_node_get_int (node) >= 0)
        return json_node_get_int (node);
    }
  return -1;
}

/* The page after @page_url by offset or page number, or NULL when this page was the last.
 * The crawl's first page shows how many records the server gives a page (it may give fewer
 * than asked for): a later page with fewer is the last. */
static char *
next_index_url (FwPagesSource *self,
                const char    *page_url,
                guint          n,
                gint64         total,
                guint64        body_sum)
{
  gint64 index = query_int (page_url, self->index_param, self->first_index);
  gint64 size = MAX (self->crawl_page_size, 1);
  gint64 next_index, end;
  g_autofree char *value = NULL;
  g_autofree char *url = NULL;

  /* Empty, short, or the same as the page before: the server has no more, or ignores the
   * parameter. */
  if (n == 0 || (self->crawl_pages > 0 &&
                 ((gint64) n < self->crawl_page_size || body_sum == self->prev_body_sum)))
    return NULL;

  if (self->paginate == PAGINATE_PAGE)
    {
      gint64 base = self->first_index == 0 ? 0 : 1;

      if (total >= 0 && (index - base + 1) * size >= total)
        return NULL;
      next_index = index + 1;
    }
  else
    {
      next_index = index + n;
      if (total >= 0 && next_index >= total)
        return NULL;
    }

  value = g_strdup_printf ("%" G_GINT64_FORMAT, next_index);
  url = with_query_param (page_url, self->index_param, value);
  if (url != NULL && self->end_param != NULL &&
      (end = query_int (page_url, self->end_param, -1)) > index)
    {
      g_autofree char *end_value = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                    next_index + (end - index));
      char *moved = with_query_param (url, self->end_param, end_value);

      g_free (url);
      url = moved;
    }
  return g_steal_pointer (&url);
}

/* A first page that looks like the start of more, and nothing to say where the rest is. */
static gboolean
say_no_way_on (FwPagesSource *self,
               const char    *page_url,
               guint          n,
               gint64         total)
{
  gint64 size = query_int (page_url, self->size_param, 0);
  g_autofree char *shown = NULL;
  g_autofree char *what = NULL;

  if (self->no_way_said || self->crawl_pages > 0 || n == 0 ||
      !((total >= 0 && total > n) || (size > 0 && n >= size)))
    return FALSE;

  self->no_way_said = TRUE;
  shown = fw_feed_spec_redact (page_url);
  if (total >= 0)
    what = g_strdup_printf (_("%s gave %u of %" PRId64 " records"), shown, n, total);
  else
    what = g_strdup_printf (_("%s gave %u records, a whole page"), shown, n);
  fw_stream_yield (FW_STREAM (self),
                   fw_feed_status_new_printf (self->feed, FW_FEED_STATE_IDLE, FW_LEVEL_WARNING,
                                              _("%s and no way to the next page (no cursor in the "
                                                "body, no Link header, no offset or page in the "
                                                "URL): the rest is not read. Add paginate=offset "
                                                "or paginate=page (with page-param) to the feed's "
                                                "options, or cursor with the body's path to the "
                                                "next page"), what));
  return TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* Records */

static void
seen_free (gpointer data)
{
  Seen *seen = data;

  g_free (seen->key);
  g_free (seen);
}

static void
page_memo_free (gpointer data)
{
  PageMemo *memo = data;

  g_free (memo->etag);
  g_free (memo->next);
  g_free (memo);
}

static gboolean
is_decimal (const char *s)
{
  if (*s == '\0')
    return FALSE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

/* Numbers by value, other ids as text (ULIDs, timestamps); FALSE in @comparable for one of
 * each. */
static int
compare_ids (const char *a,
             const char *b,
             gboolean   *comparable)
{
  gboolean da = is_decimal (a), db = is_decimal (b);
  gsize la, lb;
  int c;

  *comparable = da == db;
  if (!*comparable)
    return 0;
  if (da)
    {
      while (a[0] == '0' && a[1] != '\0')
        a++;
      while (b[0] == '0' && b[1] != '\0')
        b++;
      la = strlen (a);
      lb = strlen (b);
      if (la != lb)
        return la < lb ? -1 : 1;
    }
  c = strcmp (a, b);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

/* Keeps ids_ordered up to date: a crawl that lists ids out of order has no high-water mark. */
static void
note_id_order (FwPagesSource *self,
               const char    *id)
{
  gboolean comparable = TRUE;
  int c;

  if (self->prev_id != NULL)
    {
      c = compare_ids (self->prev_id, id, &comparable);
      if (!comparable)
        self->ids_ordered = FALSE;
      else if (c != 0 && self->id_direction == 0)
        self->id_direction = -c;
      else if (c != 0 && self->id_direction != -c)
        self->ids_ordered = FALSE;
    }
  g_free (self->prev_id);
  self->prev_id = g_strdup (id);

  if (self->hwm == NULL)
    self->hwm = g_strdup (id);
  else if (compare_ids (id, self->hwm, &comparable) > 0 && comparable)
    {
      g_free (self->hwm);
      self->hwm = g_strdup (id);
    }
  else if (!comparable)
    self->ids_ordered = FALSE;
}

static gboolean
hwm_usable (FwPagesSource *self)
{
  return self->ids_ordered && self->ids_grow && self->crawl_hwm != NULL;
}

/* At or below the high-water mark: shown in an earlier crawl, even if the map let it go. */
static gboolean
below_hwm (FwPagesSource *self,
           const char    *id)
{
  gboolean comparable;

  return self->crawl_hwm != NULL && compare_ids (id, self->crawl_hwm, &comparable) <= 0 &&
         comparable;
}

static void
touch (FwPagesSource *self,
       Seen          *seen)
{
  seen->crawl = self->crawl;
  g_queue_unlink (self->seen_order, seen->link);
  g_queue_push_tail_link (self->seen_order, seen->link);
}

static void
insert_seen (FwPagesSource *self,
             const char    *key,
             guint64        sum)
{
  Seen *seen = g_new0 (Seen, 1);

  seen->key = g_strdup (key);
  seen->sum = sum;
  seen->crawl = self->crawl;
  seen->link = g_list_alloc ();
  seen->link->data = seen;
  g_queue_push_tail_link (self->seen_order, seen->link);
  g_hash_table_insert (self->seen, seen->key, seen);
}

static void
evict_oldest (FwPagesSource *self)
{
  GList *link = g_queue_pop_head_link (self->seen_order);
  Seen *oldest = link->data;

  g_list_free_1 (link);
  self->overflowed = TRUE;
  g_hash_table_remove (self->seen, oldest->key);
}

/* A new record, in the map if there is room. When the map is full of this crawl's records,
 * the least recently seen goes only if the high-water mark will still know it (ids that grow
 * in order); otherwise the new record stays out, and comes again next poll: the crawl does
 * not push its own beginning out of the map. Returns whether a status item was yielded. */
static gboolean
remember (FwPagesSource *self,
          const char    *key,
          guint64        sum)
{
  if (g_hash_table_size (self->seen) >= self->max_seen)
    {
      Seen *oldest = self->seen_order->head->data;

      if (oldest->crawl == self->crawl &&
          !(oldest->key[0] == 'i' && self->ids_ordered && self->ids_grow))
        {
          self->overflowed = TRUE;
          if (self->overflow_said)
            return FALSE;
          self->overflow_said = TRUE;
          fw_stream_yield (FW_STREAM (self),
                           fw_feed_status_new_printf (self->feed, FW_FEED_STATE_IDLE,
                                                      FW_LEVEL_WARNING,
                                                      _("The pages hold more records than max-seen "
                                                        "(%u) remembers, and their ids do not grow "
                                                        "in order: the others may be shown again "
                                                        "on each poll. Raise max-seen in the "
                                                        "feed's options"), self->max_seen));
          return TRUE;
        }
      evict_oldest (self);
    }
  insert_seen (self, key, sum);
  return FALSE;
}

/* Keeps the newest value of the records' since-field. */
static void
note_since (FwPagesSource *self,
            JsonNode      *record)
{
  g_autofree char *value = fw_json_node_dup_scalar (fw_json_lookup_path (record,
                                                                         self->since_field));
  gboolean comparable = TRUE;

  if (value == NULL || value[0] == '\0')
    return;
  if (self->newest == NULL || (compare_ids (value, self->newest, &comparable) > 0 && comparable))
    {
      g_free (self->newest);
      self->newest = g_steal_pointer (&value);
    }
}

static guint
yield_records (FwPagesSource *self,
               JsonNode      *records)
{
  JsonArray *array = json_node_get_array (records);
  guint n = json_array_get_length (array);
  gint64 now = g_get_real_time ();
  guint yielded = 0;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *record = json_array_get_element (array, i);
      g_autofree char *id = fw_json_node_dup_scalar (fw_json_lookup_path (record, self->id_path));
      g_autofree char *text = json_to_string (record, FALSE);
      guint64 sum = hash_bytes (text, strlen (text));
      g_autofree char *key = NULL;
      Seen *seen;
      FwItem *item;

      if (self->since_param != NULL)
        note_since (self, record);
      if (id != NULL)
        {
          key = g_strconcat ("i", id, NULL);
          note_id_order (self, id);
        }
      else
        {
          g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA1, text, -1);

          key = g_strconcat ("h", digest, NULL);
        }

      seen = g_hash_table_lookup (self->seen, key);
      if (seen != NULL)
        {
          touch (self, seen);
          if (seen->sum == sum || self->ignore_updates)
            {
              self->n_duplicates++;
              continue;
            }
          seen->sum = sum;  /* the same record, changed: shown again */
        }
      else if (id != NULL && below_hwm (self, id) && self->overflowed && hwm_usable (self))
        {
          self->n_duplicates++;
          if (g_hash_table_size (self->seen) < self->max_seen)
            insert_seen (self, key, sum);
          continue;
        }
      else
        {
          /* Nothing was let go, so this record is new: below the mark, ids do not grow. */
          if (id != NULL && !self->overflowed && below_hwm (self, id))
            self->ids_grow = FALSE;
          if (remember (self, key, sum))
            yielded++;
        }

      item = fw_json_item_new_from_node (self->feed, now, record, NULL, 0);
      if (id != NULL)
        fw_item_set_id (item, id);
      fw_stream_yield (FW_STREAM (self), item);
      yielded++;
    }

  return yielded;
}

/* ---------------------------------------------------------------------------------------- */
/* Requests */

static void
retry_later (FwPagesSource *self,
             SoupMessage   *msg,
             const GError  *error)
{
  if (self->once || fw_http_error_is_fatal (error))
    {
      g_autofree char *shown = fw_feed_spec_redact (self->url);

      fw_stream_pull_error (FW_STREAM (self),
                            g_error_new (error->domain, error->code, "%s: %s", shown,
                                         error->message));
      return;
    }

  self->connected = FALSE;
  /* The same page is asked for again, after the delay, on the poll timer. */
  if (self->next_url == NULL)
    self->next_url = g_strdup (self->last_url != NULL ? self->last_url : self->url);
  if (msg != NULL)
    fw_reconnect_note_response (self->reconnect, soup_message_get_response_headers (msg));
  fw_stream_yield (FW_STREAM (self),
                   fw_reconnect_schedule (self->reconnect, self->feed, FW_LEVEL_WARNING,
                                          "retrying", error->message));
  self->next_poll_at = fw_reconnect_get_due (self->reconnect);
  fw_stream_pull_done (FW_STREAM (self));
}

static void
end_crawl (FwPagesSource *self)
{
  g_clear_pointer (&self->next_url, g_free);
  g_hash_table_remove_all (self->visited);
  self->crawl_pages = 0;
  self->next_poll_at = g_get_monotonic_time () + (gint64) self->interval_ms * 1000;

  /* The next crawl compares its pages with this one's, and only this one's. */
  g_hash_table_unref (self->last_pages);
  self->last_pages = g_steal_pointer (&self->pages);
  self->pages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, page_memo_free);
}

static void
begin_crawl (FwPagesSource *self)
{
  self->crawl++;
  self->crawl_page_size = 0;
  self->prev_body_sum = 0;
  self->id_direction = 0;
  g_clear_pointer (&self->prev_id, g_free);
  g_free (self->crawl_hwm);
  self->crawl_hwm = g_strdup (self->hwm);
}

static PageMemo *
lookup_memo (FwPagesSource *self,
             const char    *url)
{
  PageMemo *memo = g_hash_table_lookup (self->pages, url);

  return memo != NULL ? memo : g_hash_table_lookup (self->last_pages, url);
}

static void
keep_memo (FwPagesSource *self,
           const char    *url,
           guint64        body_sum,
           const char    *etag,
           const char    *next,
           guint          n_records)
{
  PageMemo *memo = g_new0 (PageMemo, 1);

  memo->body_sum = body_sum;
  memo->etag = g_strdup (etag);
  memo->next = g_strdup (next);
  memo->n_records = n_records;
  g_hash_table_replace (self->pages, g_strdup (url), memo);
}

/* Which secret headers this request left out, and where it went: said once per distinct
 * note, not on every poll. */
static guint
say_secrets_note (FwPagesSource *self)
{
  g_autofree char *note = NULL;
  FwItem *item;

  if (self->page_msg == NULL)
    return 0;
  note = fw_http_options_take_secrets_note (self->page_msg);
  if (note == NULL || g_hash_table_contains (self->notes_said, note))
    return 0;

  item = fw_feed_status_new (self->feed, FW_FEED_STATE_IDLE, FW_LEVEL_WARNING, note);
  fw_stream_yield (FW_STREAM (self), item);
  g_hash_table_add (self->notes_said, g_steal_pointer (&note));
  return 1;
}

static guint
say_connected (FwPagesSource *self)
{
  fw_reconnect_succeeded (self->reconnect);
  if (self->connected)
    return 0;
  self->connected = TRUE;
  fw_stream_yield (FW_STREAM (self), fw_feed_status_new (self->feed, FW_FEED_STATE_LIVE,
                                                         FW_LEVEL_INFO, "connected"));
  return 1;
}

/* The page at @page_url is done: go on to @next, or end the crawl, and answer the pull. */
static void
page_done (FwPagesSource *self,
           const char    *page_url,
           char          *next,
           guint          yielded)
{
  g_free (self->last_url);
  self->last_url = g_strdup (page_url);
  g_hash_table_add (self->visited, g_strdup (page_url));
  self->crawl_pages++;

  if (next != NULL && !g_hash_table_contains (self->visited, next) &&
      self->crawl_pages < self->max_pages)
    self->next_url = next;
  else
    {
      g_free (next);
      end_crawl (self);
    }

  if (self->next_url == NULL && self->once)
    fw_stream_pull_end (FW_STREAM (self));
  else if (yielded > 0)
    fw_stream_pull_done (FW_STREAM (self));
  else
    wait_then_fetch (self);
}

static void
on_fetched (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  FwSourceToken *token = user_data;
  FwPagesSource *self = token->owner;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = fw_http_fetch_finish (result, &error);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *page_url = NULL;
  g_autofree char *fixed = NULL;
  JsonNode *root, *records;
  PageMemo *memo;
  char *next;
  guint yielded = 0, n = 0;
  guint64 body_sum;
  gint64 total;
  gsize len;
  const char *data;

  if (self == NULL)
    {
      fw_source_token_unref (token);
      return;
    }
  fw_source_token_unref (g_steal_pointer (&self->token));
  fw_source_token_unref (token);

  yielded += say_secrets_note (self);
  msg = g_steal_pointer (&self->page_msg);
  if (body == NULL && msg != NULL &&
      soup_message_get_status (msg) == SOUP_STATUS_NOT_MODIFIED &&
      (memo = lookup_memo (self, self->next_url)) != NULL)
    {
      /* Unchanged since the last crawl (If-None-Match): nothing new, and the same way on. */
      page_url = g_steal_pointer (&self->next_url);
      self->n_not_modified++;
      self->n_duplicates += memo->n_records;
      yielded += say_connected (self);
      next = g_strdup (memo->next);
      keep_memo (self, page_url, memo->body_sum, memo->etag, memo->next, memo->n_records);
      page_done (self, page_url, next, yielded);
      return;
    }
  if (body == NULL)
    {
      retry_later (self, msg, error);
      return;
    }

  page_url = g_steal_pointer (&self->next_url);
  data = g_bytes_get_data (body, &len);
  parser = json_parser_new_immutable ();
  if (!fw_json_prepare (data, len, MAX_PAGE_DEPTH, &fixed) ||
      !json_parser_load_from_data (parser, fixed != NULL ? fixed : data, (gssize) len, &error) ||
      (root = json_parser_get_root (parser)) == NULL)
    {
      const char *why = error != NULL ? error->message
                                      : _("nested too deep, or more than one value");
      g_autoptr(GError) bad = g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                           _("the response is not JSON: %s"), why);
      self->next_url = g_steal_pointer (&page_url);
      retry_later (self, NULL, bad);
      return;
    }

  yielded += say_connected (self);

  /* A body the same as last crawl's for this URL has nothing new: its records are not
   * looked at one by one, so that the seen map's bound cannot make them come again. */
  body_sum = hash_bytes (data, len);
  memo = lookup_memo (self, page_url);
  records = find_records (self, root);
  if (records != NULL && JSON_NODE_HOLDS_ARRAY (records))
    {
      n = json_array_get_length (json_node_get_array (records));
      if (memo != NULL && memo->body_sum == body_sum)
        self->n_duplicates += n;
      else
        yielded += yield_records (self, records);
    }
  if (self->crawl_pages == 0)
    self->crawl_page_size = n;

  /* The Link header is in the response the fetch just read. */
  next = next_page_url (self, msg, root, page_url);
  if (next == NULL)
    {
      total = find_total (msg, root);
      if (self->paginate != PAGINATE_NONE)
        next = next_index_url (self, page_url, n, total, body_sum);
      else if (say_no_way_on (self, page_url, n, total))
        yielded++;
    }
  self->prev_body_sum = body_sum;
  keep_memo (self, page_url, body_sum,
             soup_message_headers_get_one (soup_message_get_response_headers (msg), "ETag"),
             next, n);
  page_done (self, page_url, next, yielded);
}

static void
fetch_page (FwPagesSource *self)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) body = NULL;
  g_autoptr(GError) error = NULL;
  PageMemo *memo;

  if (self->session == NULL)
    self->session = fw_http_session_new ();

  if (self->next_url == NULL)
    {
      begin_crawl (self);
      g_clear_pointer (&self->crawl_url, g_free);
      /* Only what changed since, from the start: this takes poll-from's place. */
      if (self->since_param != NULL && self->newest != NULL)
        self->crawl_url = with_query_param (self->url, self->since_param, self->newest);
      if (self->crawl_url != NULL)
        self->next_url = g_strdup (self->crawl_url);
      else
        self->next_url = g_strdup (self->poll_from_end && self->last_url != NULL
                                   ? self->last_url : self->url);
    }

  if (self->first_msg != NULL)
    {
      msg = g_steal_pointer (&self->first_msg);
      body = g_steal_pointer (&self->first_body);
    }
  else
    {
      msg = fw_http_new_request (self->options, self->next_url, ACCEPT, &error);
      if (msg == NULL)
        {
          fw_stream_pull_error (FW_STREAM (self), g_steal_pointer (&error));
          return;
        }
      memo = lookup_memo (self, self->next_url);
      if (memo != NULL && memo->etag != NULL)
        soup_message_headers_replace (soup_message_get_request_headers (msg), "If-None-Match",
                                      memo->etag);
    }

  self->n_requests++;
  g_set_object (&self->page_msg, msg);
  self->token = fw_source_token_new (self);
  fw_source_token_ref (self->token);
  fw_http_fetch_async (self->session, msg, body, FW_PAGES_MAX_BODY,
                       self->options->idle_timeout_ms, self->cancellable, on_fetched,
                       self->token);
}

/* ---------------------------------------------------------------------------------------- */
/* FwStream */

static void
fw_pages_source_pull (FwStream     *stream,
                      guint         max_items,
                      GCancellable *cancellable)
{
  wait_then_fetch (FW_PAGES_SOURCE (stream));
}

static void
fw_pages_source_release (FwStream *stream)
{
  FwPagesSource *self = FW_PAGES_SOURCE (stream);

  fw_source_timer_stop (&self->timer);
  fw_source_token_clear (&self->token);
  g_cancellable_cancel (self->cancellable);
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->first_msg);
  g_clear_object (&self->first_body);
  g_clear_object (&self->page_msg);
}

static void
fw_pages_source_finalize (GObject *object)
{
  FwPagesSource *self = FW_PAGES_SOURCE (object);

  g_assert (self->timer == NULL);
  g_assert (self->token == NULL);

  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->options, fw_http_options_free);
  g_clear_pointer (&self->reconnect, fw_reconnect_free);
  g_clear_pointer (&self->visited, g_hash_table_unref);
  g_clear_pointer (&self->seen, g_hash_table_unref);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->last_pages, g_hash_table_unref);
  g_clear_pointer (&self->notes_said, g_hash_table_unref);
  g_queue_free (self->seen_order);
  g_free (self->url);
  g_free (self->items_path);
  g_free (self->cursor_path);
  g_free (self->cursor_param);
  g_free (self->id_path);
  g_free (self->since_param);
  g_free (self->since_field);
  g_free (self->crawl_url);
  g_free (self->newest);
  g_free (self->index_param);
  g_free (self->end_param);
  g_free (self->size_param);
  g_free (self->hwm);
  g_free (self->crawl_hwm);
  g_free (self->prev_id);
  g_free (self->next_url);
  g_free (self->last_url);
  g_ref_string_release (self->feed);

  G_OBJECT_CLASS (fw_pages_source_parent_class)->finalize (object);
}

static void
fw_pages_source_class_init (FwPagesSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  FwStreamClass *stream_class = FW_STREAM_CLASS (klass);

  object_class->finalize = fw_pages_source_finalize;
  stream_class->pull = fw_pages_source_pull;
  stream_class->release = fw_pages_source_release;
}

static void
fw_pages_source_init (FwPagesSource *self)
{
  self->cancellable = g_cancellable_new ();
  self->visited = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->seen = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, seen_free);
  self->seen_order = g_queue_new ();
  self->pages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, page_memo_free);
  self->last_pages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, page_memo_free);
  self->ids_ordered = TRUE;
  self->ids_grow = TRUE;
  self->notes_said = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static const char * const paginate_choices[] = { "auto", "cursor", "offset", "page", NULL };
static const char * const updates_choices[] = { "show", "ignore", NULL };

/* How the pages go on when no cursor or Link header says: from the option, or from what
 * the URL's query shows. */
static void
setup_pagination (FwPagesSource *self,
                  const char    *paginate,
                  const char    *page_param,
                  const char    *size_param)
{
  const char *offset_name = first_param_in (self->url, offset_params);
  const char *page_name = first_param_in (self->url, page_params);

  if (paginate == NULL || g_str_equal (paginate, "auto"))
    {
      if (page_param != NULL)
        self->paginate = g_strv_contains (offset_params, page_param) ? PAGINATE_OFFSET
                                                                       : PAGINATE_PAGE;
      else
        self->paginate = offset_name != NULL ? PAGINATE_OFFSET
                         : page_name != NULL ? PAGINATE_PAGE : PAGINATE_NONE;
    }
  else if (g_str_equal (paginate, "offset"))
    self->paginate = PAGINATE_OFFSET;
  else if (g_str_equal (paginate, "page"))
    self->paginate = PAGINATE_PAGE;
  else
    self->paginate = PAGINATE_NONE;

  if (self->paginate == PAGINATE_OFFSET)
    self->index_param = g_strdup (page_param ?: offset_name ?: "offset");
  else if (self->paginate == PAGINATE_PAGE)
    self->index_param = g_strdup (page_param ?: page_name ?: "page");
  self->first_index = query_int (self->url, self->index_param,
                                 self->paginate == PAGINATE_PAGE ? 1 : 0);

  /* json-server's _start/_end: the window moves with the start. */
  if (self->paginate == PAGINATE_OFFSET && g_str_equal (self->index_param, "_start"))
    {
      g_autofree char *end = dup_query_param (self->url, "_end");

      if (end != NULL)
        self->end_param = g_strdup ("_end");
    }
  self->size_param = g_strdup (size_param ?: first_param_in (self->url, size_params));
}

static FwPagesSource *
fw_pages_source_new (const FwFeedSpec  *spec,
                     FwFeedOpenFlags    flags,
                     const char        *url,
                     GError           **error)
{
  g_autoptr(FwPagesSource) self = NULL;
  g_autoptr(FwHttpOptions) options = NULL;
  g_autoptr(SoupMessage) probe = NULL;
  const char *poll_from = fw_feed_spec_get_option (spec, "poll-from");
  const char *page_size = fw_feed_spec_get_option (spec, "page-size");
  const char *size_param = fw_feed_spec_get_option (spec, "page-size-param");
  const char *paginate = fw_feed_spec_get_option (spec, "paginate");
  const char *page_param = fw_feed_spec_get_option (spec, "page-param");
  const char *updates = fw_feed_spec_get_option (spec, "updates");
  guint interval, max_seen, max_pages, retry_max, size;

  options = fw_http_options_parse (spec, 30 * 1000, error);
  if (options == NULL ||
      !fw_feed_spec_get_uint (spec, "interval", FW_PAGES_DEFAULT_INTERVAL_MS, &interval, error) ||
      !fw_feed_spec_get_uint (spec, "max-seen", FW_PAGES_DEFAULT_MAX_SEEN, &max_seen, error) ||
      !fw_feed_spec_get_uint (spec, "max-pages", FW_PAGES_DEFAULT_MAX_PAGES, &max_pages, error) ||
      !fw_feed_spec_get_uint (spec, "page-size", 0, &size, error) ||
      (retry_max = fw_http_get_retry_max (spec, error)) == 0)
    return NULL;
  if (poll_from != NULL && !g_str_equal (poll_from, "start") && !g_str_equal (poll_from, "end"))
    {
      g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                   _("Feed “%s”: poll-from must be start or end"), spec->text);
      return NULL;
    }
  if (paginate != NULL && !g_strv_contains (paginate_choices, paginate))
    {
      g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                   _("Feed “%s”: paginate must be auto, cursor, offset or page"), spec->text);
      return NULL;
    }
  if (updates != NULL && !g_strv_contains (updates_choices, updates))
    {
      g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                   _("Feed “%s”: updates must be show or ignore"), spec->text);
      return NULL;
    }
  probe = fw_http_options_new_message (options, url, error);
  if (probe == NULL)
    return NULL;

  self = g_object_new (FW_TYPE_PAGES_SOURCE, "name", spec->text, NULL);
  self->feed = fw_ref_string_intern (spec->text);
  if (page_size != NULL)
    self->url = with_query_param (url, size_param ?: "limit", page_size);
  else
    self->url = g_strdup (url);
  if (self->url == NULL)
    {
      g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                   _("Feed “%s”: the URL cannot be read as an HTTP URL"), spec->text);
      return NULL;
    }
  setup_pagination (self, paginate, page_param,
                    size_param != NULL || page_size != NULL ? (size_param ?: "limit") : NULL);
  self->items_path = g_strdup (fw_feed_spec_get_option (spec, "items"));
  self->cursor_path = g_strdup (fw_feed_spec_get_option (spec, "cursor"));
  self->cursor_param = g_strdup (fw_feed_spec_get_option (spec, "cursor-param") ?: "cursor");
  self->id_path = g_strdup (fw_feed_spec_get_option (spec, "id") ?: "id");
  self->since_param = g_strdup (fw_feed_spec_get_option (spec, "since-param"));
  if (self->since_param != NULL && self->since_param[0] == '\0')
    g_clear_pointer (&self->since_param, g_free);
  self->since_field = g_strdup (fw_feed_spec_get_option (spec, "since-field") ?: "updated_at");
  self->interval_ms = MAX (interval, 10);
  self->max_seen = MAX (max_seen, 1);
  self->max_pages = MAX (max_pages, 1);
  self->poll_from_end = poll_from != NULL && g_str_equal (poll_from, "end");
  self->once = (flags & FW_FEED_OPEN_ONCE) != 0;
  self->ignore_updates = updates != NULL && g_str_equal (updates, "ignore");
  self->reconnect = fw_reconnect_new (options->retry_ms >= 0 ? (guint) options->retry_ms
                                                             : FW_BACKOFF_DEFAULT_BASE_MS,
                                      retry_max, FALSE);
  self->options = g_steal_pointer (&options);

  return g_steal_pointer (&self);
}

/**
 * fw_pages_source_open:
 *
 * `pages:URL#options`. Returns: (transfer full) (nullable): the stream, or %NULL with @error
 *   set for bad options
 */
FwStream *
fw_pages_source_open (const FwFeedSpec  *spec,
                      FwFeedOpenFlags    flags,
                      GError           **error)
{
  return (FwStream *) fw_pages_source_new (spec, flags, spec->target, error);
}

/**
 * fw_pages_source_new_for_response:
 *
 * For the Content-Type detector: @body is the first page.
 */
FwStream *
fw_pages_source_new_for_response (const FwFeedSpec  *spec,
                                  FwFeedOpenFlags    flags,
                                  SoupSession       *session,
                                  SoupMessage       *msg,
                                  GInputStream      *body,
                                  GError           **error)
{
  g_autofree char *url = g_uri_to_string (soup_message_get_uri (msg));
  FwPagesSource *self = fw_pages_source_new (spec, flags, url, error);

  if (self == NULL)
    return NULL;

  self->session = g_object_ref (session);
  self->first_msg = g_object_ref (msg);
  self->first_body = g_object_ref (body);

  return FW_STREAM (self);
}

guint
fw_pages_source_get_n_requests (FwPagesSource *self)
{
  g_return_val_if_fail (FW_IS_PAGES_SOURCE (self), 0);
  return self->n_requests;
}

guint
fw_pages_source_get_n_duplicates (FwPagesSource *self)
{
  g_return_val_if_fail (FW_IS_PAGES_SOURCE (self), 0);
  return self->n_duplicates;
}

guint
fw_pages_source_get_n_seen (FwPagesSource *self)
{
  g_return_val_if_fail (FW_IS_PAGES_SOURCE (self), 0);
  return g_hash_table_size (self->seen);
}

guint
fw_pages_source_get_n_unmodified (FwPagesSource *self)
{
  g_return_val_if_fail (FW_IS_PAGES_SOURCE (self), 0);
  return self->n_not_modified;
}

static const char * const poll_from_choices[] = { "start", "end", NULL };

/* Without interval, which http: shares with metrics: */
const FwFeedOption fw_pages_source_options[] = {
  { .key = "items", .type = FW_FEED_OPTION_STRING,
    .help = N_("The dotted path of the array of records (default results, items, data, or the "
               "body itself)") },
  { .key = "cursor", .type = FW_FEED_OPTION_STRING,
    .help = N_("The dotted path of the next page's cursor (default next_cursor, next, "
               "links.next; else the Link header)") },
  { .key = "cursor-param", .type = FW_FEED_OPTION_STRING, .default_value = "cursor",
    .help = N_("The query parameter a cursor that is not a URL is sent as") },
  { .key = "id", .type = FW_FEED_OPTION_STRING, .default_value = "id",
    .help = N_("The dotted path of a record's ID, so that no record comes twice") },
  { .key = "since-param", .type = FW_FEED_OPTION_STRING,
    .help = N_("The query parameter that asks the API for records changed since a value: "
               "polls after the first send the newest since-field seen") },
  { .key = "since-field", .type = FW_FEED_OPTION_STRING, .default_value = "updated_at",
    .help = N_("The dotted path of a record's time of change, for since-param") },
  { .key = "updates", .type = FW_FEED_OPTION_CHOICE, .default_value = "show",
    .choices = updates_choices,
    .help = N_("Whether a record comes again when its content changes (ignore: for records "
               "with a field that changes on every request)") },
  { .key = "page-size", .type = FW_FEED_OPTION_UINT,
    .help = N_("Records asked for each page") },
  { .key = "page-size-param", .type = FW_FEED_OPTION_STRING, .default_value = "limit",
    .help = N_("The query parameter page-size is sent as") },
  { .key = "max-seen", .type = FW_FEED_OPTION_UINT, .default_value = "10000",
    .help = N_("The most record IDs remembered, with a hash of their content") },
  { .key = "max-pages", .type = FW_FEED_OPTION_UINT, .default_value = "100",
    .help = N_("The most pages fetched in one crawl") },
  { .key = "paginate", .type = FW_FEED_OPTION_CHOICE, .default_value = "auto",
    .choices = paginate_choices,
    .help = N_("How pages go on without a cursor or Link header: by the URL's _start, offset, "
               "skip, _page or page parameter (auto), not at all (cursor), by offset, or by "
               "page number") },
  { .key = "page-param", .type = FW_FEED_OPTION_STRING,
    .help = N_("The query parameter of the offset or page number (default: the one the URL "
               "has, else offset or page)") },
  { .key = "poll-from", .type = FW_FEED_OPTION_CHOICE, .default_value = "start",
    .choices = poll_from_choices,
    .help = N_("Where each new crawl starts: the first page, or the last one fetched") },
  { NULL }
};

static const FwFeedOption pages_source_timing[] = {
  { .key = "interval", .type = FW_FEED_OPTION_MILLISECONDS, .default_value = "30000",
    .help = N_("Milliseconds between crawls") },
  { .key = "idle-timeout", .type = FW_FEED_OPTION_MILLISECONDS, .default_value = "30000",
    .help = N_("Milliseconds without a byte before the connection counts as dead (0: never)") },
  { NULL }
};

static const FwFeedOption *const pages_source_option_list[] = {
  pages_source_timing, fw_pages_source_options, fw_http_request_options,
  fw_http_connection_options, NULL
};

const FwFeedKind fw_pages_source_kind = {
  .name = "pages",
  .open = fw_pages_source_open,
  .description = N_("Paginated JSON API, then polled"),
  .title = N_("Paginated API"),
  .icon_name = "network-transmit-receive-symbolic",
  .example = "pages:https://",
  .options = pages_source_option_list,
  .default_title = fw_feed_title_from_url,
};
