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
 * After a crawl ends (no next page, or max-pages pages), the source waits interval and
 * crawls again: from the first page (poll-from=start, the default, for APIs whose new records
 * may land anywhere), or from the last page fetched (poll-from=end, for cursor APIs that
 * append). Records already seen, by the id option's path (default "id"; a record without one
 * counts by its whole text), are not yielded twice. The seen set keeps the max-seen newest
 * keys (default 10000): memory stays bounded, and a record older than that may come back.
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

#include <string.h>

#define ACCEPT "application/json"
#define MAX_PAGE_DEPTH 512

static const char * const default_item_paths[] = { "results", "items", "data", NULL };
static const char * const default_cursor_paths[] = { "next_cursor", "next", "links.next", NULL };

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
  guint          interval_ms;
  guint          max_seen;
  guint          max_pages;
  gboolean       poll_from_end;
  gboolean       once;

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
  GHashTable    *visited;     /* this crawl's URLs: a cursor loop ends the crawl */
  guint          crawl_pages;

  GHashTable    *seen;        /* keys, owned by seen_order */
  GQueue        *seen_order;

  GHashTable    *notes_said;  /* the secrets notes already yielded */

  guint          n_requests;
  guint          n_duplicates;
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
      return with_query_param (self->url, self->cursor_param, cursor);
    }

  link = fw_pages_find_link_next (
    soup_message_headers_get_list (soup_message_get_response_headers (msg), "Link"));
  if (link != NULL)
    return g_uri_resolve_relative (page_url, link, G_URI_FLAGS_ENCODED, NULL);

  return NULL;
}

/* Records seen: a set bounded by max_seen, oldest out first. */
static gboolean
remember (FwPagesSource *self,
          char          *key)
{
  if (g_hash_table_contains (self->seen, key))
    {
      g_free (key);
      return FALSE;
    }

  g_hash_table_add (self->seen, key);
  g_queue_push_tail (self->seen_order, key);
  while (self->seen_order->length > self->max_seen)
    {
      char *old = g_queue_pop_head (self->seen_order);
      g_hash_table_remove (self->seen, old);
      g_free (old);
    }
  return TRUE;
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
      char *key;
      FwItem *item;

      if (id != NULL)
        key = g_strconcat ("i", id, NULL);
      else
        {
          g_autofree char *text = json_to_string (record, FALSE);
          g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA1, text, -1);

          key = g_strconcat ("h", sum, NULL);
        }
      if (!remember (self, key))
        {
          self->n_duplicates++;
          continue;
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
  g_autofree char *next = NULL;
  g_autofree char *fixed = NULL;
  JsonNode *root, *records;
  guint yielded = 0;
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
  if (body == NULL)
    {
      retry_later (self, self->page_msg, error);
      return;
    }

  page_url = g_steal_pointer (&self->next_url);
  data = g_bytes_get_data (body, &len);
  parser = json_parser_new_immutable ();
  if (!fw_json_prepare (data, len, MAX_PAGE_DEPTH, &fixed) ||
      !json_parser_load_from_data (parser, fixed != NULL ? fixed : data, (gssize) len, &error) ||
      (root = json_parser_get_root (parser)) == NULL)
    {
      const char *why = error != NULL ? error->message : "nested too deep, or more than one value";
      g_autoptr(GError) bad = g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                           "the response is not JSON: %s", why);
      self->next_url = g_steal_pointer (&page_url);
      retry_later (self, NULL, bad);
      return;
    }

  fw_reconnect_succeeded (self->reconnect);
  if (!self->connected)
    {
      self->connected = TRUE;
      fw_stream_yield (FW_STREAM (self), fw_feed_status_new (self->feed, FW_FEED_STATE_LIVE,
                                                             FW_LEVEL_INFO, "connected"));
      yielded++;
    }

  records = find_records (self, root);
  if (records != NULL && JSON_NODE_HOLDS_ARRAY (records))
    yielded += yield_records (self, records);

  g_free (self->last_url);
  self->last_url = g_strdup (page_url);
  g_hash_table_add (self->visited, g_strdup (page_url));
  self->crawl_pages++;

  /* The Link header is in the response the fetch just read. */
  msg = g_steal_pointer (&self->page_msg);
  next = next_page_url (self, msg, root, page_url);
  if (next != NULL && !g_hash_table_contains (self->visited, next) &&
      self->crawl_pages < self->max_pages)
    self->next_url = g_steal_pointer (&next);
  else
    end_crawl (self);

  if (self->next_url == NULL && self->once)
    fw_stream_pull_end (FW_STREAM (self));
  else if (yielded > 0)
    fw_stream_pull_done (FW_STREAM (self));
  else
    wait_then_fetch (self);
}

static void
fetch_page (FwPagesSource *self)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) body = NULL;
  g_autoptr(GError) error = NULL;

  if (self->session == NULL)
    self->session = fw_http_session_new ();

  if (self->next_url == NULL)
    self->next_url = g_strdup (self->poll_from_end && self->last_url != NULL ? self->last_url
                                                                             : self->url);

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
  g_clear_pointer (&self->notes_said, g_hash_table_unref);
  g_queue_free_full (self->seen_order, g_free);
  g_free (self->url);
  g_free (self->items_path);
  g_free (self->cursor_path);
  g_free (self->cursor_param);
  g_free (self->id_path);
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
  self->seen = g_hash_table_new (g_str_hash, g_str_equal);
  self->seen_order = g_queue_new ();
  self->notes_said = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
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
                   "Feed “%s”: poll-from must be start or end", spec->text);
      return NULL;
    }
  probe = fw_http_options_new_message (options, url, error);
  if (probe == NULL)
    return NULL;

  self = g_object_new (FW_TYPE_PAGES_SOURCE, "name", spec->text, NULL);
  self->feed = g_ref_string_new_intern (spec->text);
  if (page_size != NULL)
    self->url = with_query_param (url, fw_feed_spec_get_option (spec, "page-size-param") ?: "limit",
                                  page_size);
  else
    self->url = g_strdup (url);
  self->items_path = g_strdup (fw_feed_spec_get_option (spec, "items"));
  self->cursor_path = g_strdup (fw_feed_spec_get_option (spec, "cursor"));
  self->cursor_param = g_strdup (fw_feed_spec_get_option (spec, "cursor-param") ?: "cursor");
  self->id_path = g_strdup (fw_feed_spec_get_option (spec, "id") ?: "id");
  self->interval_ms = MAX (interval, 10);
  self->max_seen = MAX (max_seen, 1);
  self->max_pages = MAX (max_pages, 1);
  self->poll_from_end = poll_from != NULL && g_str_equal (poll_from, "end");
  self->once = (flags & FW_FEED_OPEN_ONCE) != 0;
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
  { .key = "page-size", .type = FW_FEED_OPTION_UINT,
    .help = N_("Records asked for each page") },
  { .key = "page-size-param", .type = FW_FEED_OPTION_STRING, .default_value = "limit",
    .help = N_("The query parameter page-size is sent as") },
  { .key = "max-seen", .type = FW_FEED_OPTION_UINT, .default_value = "10000",
    .help = N_("The most record IDs remembered") },
  { .key = "max-pages", .type = FW_FEED_OPTION_UINT, .default_value = "100",
    .help = N_("The most pages fetched in one crawl") },
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
