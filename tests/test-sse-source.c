/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sse-source.c: `sse:URL` against loopback SoupServers this test starts (port 0, same
 * thread: the client never blocks). Faults: drops in the middle of an event, replay after
 * Last-Event-ID across 20 disconnects, 204, 500, 503 with Retry-After, 404, 201, a wrong or
 * missing Content-Type, a redirect loop, `retry: 0`, silence past the idle timeout, a line that
 * never ends, invalid UTF-8, TLS with a bad certificate. */

#include "fw-test-util.h"
#include "fw-sse-source.h"

#include <libsoup/soup.h>
#include <string.h>

/* A self-signed certificate for 127.0.0.1 (100 years), for the TLS tests only. */
#define REPLAY_EVENTS   10000
#define REPLAY_SEGMENT  500
#define ENDLESS_BYTES   (32 * 1024 * 1024)
#define CHUNK           (64 * 1024)

typedef struct
{
  SoupServer *server;
  char       *base;            /* http://127.0.0.1:PORT or https://… */
  guint       requests;
  GPtrArray  *last_event_ids;  /* one per request; "" when the header was absent */
  GArray     *request_times;   /* one per request: monotonic µs */
  char       *method;
  char       *body;
  char       *authorization;
  char       *api_key;
  char       *cookie;
  char       *feed_token;      /* X-Feed-Token: secret by its name */
  char       *trace;           /* X-Trace: no secret */
  char       *redirect_to;     /* where /away sends the client */
  char       *accept;
  char       *cache_control;
  GPtrArray  *held;            /* responses kept open and silent */
  gsize       endless_left;
  gboolean    endless_done;
  gsize       flow_written;
  guint       port;
} TestServer;

static void
respond (SoupServerMessage *msg,
         guint              status,
         const char        *type,
         const char        *body,
         gsize              len,
         gboolean           close_at_end)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *response = soup_server_message_get_response_body (msg);

  soup_server_message_set_status (msg, status, NULL);
  if (type == NULL)
    return;

  /* Ending with the connection is what a server that goes away looks like. */
  soup_message_headers_set_encoding (headers, close_at_end ? SOUP_ENCODING_EOF
                                                           : SOUP_ENCODING_CONTENT_LENGTH);
  if (!close_at_end)
    soup_message_headers_set_content_length (headers, len);
  soup_message_headers_set_content_type (headers, type, NULL);
  soup_message_body_append (response, SOUP_MEMORY_COPY, body, len);
  soup_message_body_complete (response);
}

static void
respond_text (SoupServerMessage *msg,
              const char        *text)
{
  respond (msg, SOUP_STATUS_OK, "text/event-stream", text, strlen (text), TRUE);
}

static void
respond_replay (SoupServerMessage *msg,
                const char        *last_event_id)
{
  guint64 start = 0;
  guint64 end;
  g_autoptr(GString) text = g_string_new ("retry: 0\n");

  if (last_event_id != NULL)
    g_assert_true (g_ascii_string_to_unsigned (last_event_id, 10, 0, REPLAY_EVENTS, &start,
                                               NULL));
  if (start >= REPLAY_EVENTS)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
      return;
    }

  end = MIN (start + REPLAY_SEGMENT, REPLAY_EVENTS);
  for (guint64 i = start + 1; i <= end; i++)
    g_string_append_printf (text, "id: %" G_GUINT64_FORMAT "\ndata: event %" G_GUINT64_FORMAT
                            "\n\n", i, i);
  /* The drop, in the middle of the next event: it must not be dispatched. */
  g_string_append_printf (text, "id: %" G_GUINT64_FORMAT "\ndata: half of an ev",
                          end + 1);
  respond (msg, SOUP_STATUS_OK, "text/event-stream", text->str, text->len, start % 1000 == 0);
}

static void
write_next_endless_chunk (SoupServerMessage *msg,
                          gpointer           user_data)
{
  TestServer *ts = user_data;
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  if (ts->endless_done)
    return;

  /* One block at a time, so the server's memory stays small too. */
  if (ts->endless_left > 0)
    {
      gsize n = MIN (ts->endless_left, CHUNK);
      char *block = g_malloc (n);

      memset (block, 'x', n);
      soup_message_body_append (body, SOUP_MEMORY_TAKE, block, n);
      ts->endless_left -= n;
    }
  else
    {
      soup_message_body_append (body, SOUP_MEMORY_STATIC, "\n\ndata: ok\n\n", 12);
      soup_message_body_complete (body);
      ts->endless_done = TRUE;
    }
  soup_server_message_unpause (msg);
}

static void
write_next_flow_chunk (SoupServerMessage *msg,
                       gpointer           user_data)
{
  TestServer *ts = user_data;
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  GString *block = g_string_sized_new (CHUNK + 64);

  while (block->len < CHUNK)
    g_string_append (block, "data: 0123456789012345678901234567890123456789\n\n");
  ts->flow_written += block->len;
  soup_message_body_append (body, SOUP_MEMORY_TAKE, block->str, block->len);
  g_string_free (block, FALSE);
  soup_server_message_unpause (msg);
}

static void
start_chunked (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type (headers, "text/event-stream", NULL);
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  TestServer *ts = user_data;
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  const char *last_event_id = soup_message_headers_get_one (request, "Last-Event-ID");
  gint64 now = g_get_monotonic_time ();
  guint n;

  n = ++ts->requests;
  g_array_append_val (ts->request_times, now);
  g_ptr_array_add (ts->last_event_ids, g_strdup (last_event_id != NULL ? last_event_id : ""));
  g_free (ts->method);
  ts->method = g_strdup (soup_server_message_get_method (msg));
  g_free (ts->authorization);
  ts->authorization = g_strdup (soup_message_headers_get_one (request, "Authorization"));
  g_free (ts->api_key);
  ts->api_key = g_strdup (soup_message_headers_get_one (request, "X-Api-Key"));
  g_free (ts->cookie);
  ts->cookie = g_strdup (soup_message_headers_get_one (request, "Cookie"));
  g_free (ts->feed_token);
  ts->feed_token = g_strdup (soup_message_headers_get_one (request, "X-Feed-Token"));
  g_free (ts->trace);
  ts->trace = g_strdup (soup_message_headers_get_one (request, "X-Trace"));
  g_free (ts->accept);
  ts->accept = g_strdup (soup_message_headers_get_one (request, "Accept"));
  g_free (ts->cache_control);
  ts->cache_control = g_strdup (soup_message_headers_get_one (request, "Cache-Control"));
  {
    g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
    g_free (ts->body);
    ts->body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  }

  if (g_str_equal (path, "/basic"))
    {
      static const char text[] = "retry: 5\n: a comment\nevent: greet\nid: 1\ndata: hello\n"
                                 "data: world\n\ndata: a\0b\n\nid: 3\r\ndata: third\r\n\r\n";
      respond (msg, SOUP_STATUS_OK, "text/event-stream; charset=utf-8", text,
               sizeof text - 1, FALSE);
    }
  else if (g_str_equal (path, "/replay"))
    respond_replay (msg, last_event_id);
  else if (g_str_equal (path, "/204"))
    soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
  else if (g_str_equal (path, "/flaky"))
    {
      if (n <= 2)
        respond (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "text/plain", "oops", 4, FALSE);
      else if (n == 3)
        respond_text (msg, "id: 1\ndata: x\n\n");
      else
        soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
    }
  else if (g_str_equal (path, "/busy"))
    {
      if (n == 1)
        {
          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Retry-After", "1");
          respond (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "text/plain", "later", 5, FALSE);
        }
      else
        soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
    }
  else if (g_str_equal (path, "/created"))
    respond (msg, SOUP_STATUS_CREATED, "text/event-stream", "data: x\n\n", 9, FALSE);
  else if (g_str_equal (path, "/no-type"))
    {
      respond (msg, SOUP_STATUS_OK, "text/event-stream", "data: x\n\n", 9, FALSE);
      soup_message_headers_remove (soup_server_message_get_response_headers (msg),
                                   "Content-Type");
    }
  else if (g_str_equal (path, "/loop"))
    soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, "/loop");
  else if (g_str_equal (path, "/retry-0"))
    {
      if (n <= 3)
        respond_text (msg, "retry: 0\ndata: x\n\n");
      else
        soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
    }
  else if (g_str_equal (path, "/404"))
    respond (msg, SOUP_STATUS_NOT_FOUND, "text/plain", "nothing here", 12, FALSE);
  else if (g_str_equal (path, "/wrong-type"))
    {
      if (n == 1)
        respond (msg, SOUP_STATUS_OK, "text/plain", "hello", 5, FALSE);
      else
        soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
    }
  else if (g_str_equal (path, "/idle"))
    {
      if (n == 1)
        {
          start_chunked (msg);
          soup_message_body_append (soup_server_message_get_response_body (msg),
                                    SOUP_MEMORY_STATIC, "id: 7\ndata: first\n\n", 20);
          g_ptr_array_add (ts->held, g_object_ref (msg));
        }
      else
        soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
    }
  else if (g_str_equal (path, "/endless"))
    {
      start_chunked (msg);
      ts->endless_left = ENDLESS_BYTES;
      soup_message_body_append (soup_server_message_get_response_body (msg),
                                SOUP_MEMORY_STATIC, "data: ", 6);
      g_signal_connect (msg, "wrote-chunk", G_CALLBACK (write_next_endless_chunk), ts);
    }
  else if (g_str_equal (path, "/flow"))
    {
      start_chunked (msg);
      g_signal_connect (msg, "wrote-chunk", G_CALLBACK (write_next_flow_chunk), ts);
      write_next_flow_chunk (msg, ts);
    }
  else if (g_str_equal (path, "/restart"))
    {
      guint64 start = 0;
      g_autoptr(GString) text = g_string_new (NULL);

      if (last_event_id != NULL)
        g_ascii_string_to_unsigned (last_event_id, 10, 0, G_MAXUINT, &start, NULL);
      for (guint64 i = start + 1; i <= start + 5; i++)
        g_string_append_printf (text, "id: %" G_GUINT64_FORMAT "\ndata: %" G_GUINT64_FORMAT
                                "\n\n", i, i);
      respond (msg, SOUP_STATUS_OK, "text/event-stream", text->str, text->len, TRUE);
    }
  else if (g_str_equal (path, "/hang"))
    {
      /* Headers never come. */
      soup_server_message_pause (msg);
      g_ptr_array_add (ts->held, g_object_ref (msg));
    }
  else if (g_str_equal (path, "/huge-retry"))
    respond_text (msg, "retry: 10000000000000000000000\ndata: x\n\n");
  else if (g_str_equal (path, "/bad-utf8"))
    respond_text (msg, "data: a\xff\xfe b\xc3\n\n");
  else if (g_str_equal (path, "/post"))
    respond_text (msg, "data: got it\n\n");
  else if (g_str_equal (path, "/away"))
    soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, ts->redirect_to);
  else if (g_str_equal (path, "/home"))
    soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, "/post");
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static void
test_server_listen (TestServer *ts,
                    guint       port,
                    gboolean    tls)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;

  if (tls)
    {
      certificate = fw_test_localhost_certificate (&error);
      g_assert_no_error (error);
      ts->server = soup_server_new ("tls-certificate", certificate, NULL);
    }
  else
    ts->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (ts->server, NULL, server_callback, ts, NULL);
  soup_server_listen_local (ts->server, port,
                            SOUP_SERVER_LISTEN_IPV4_ONLY | (tls ? SOUP_SERVER_LISTEN_HTTPS : 0),
                            &error);
  g_assert_no_error (error);
}

static TestServer *
test_server_new (gboolean tls)
{
  TestServer *ts = g_new0 (TestServer, 1);
  GSList *uris;

  ts->last_event_ids = g_ptr_array_new_with_free_func (g_free);
  ts->request_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  ts->held = g_ptr_array_new_with_free_func (g_object_unref);
  test_server_listen (ts, 0, tls);

  uris = soup_server_get_uris (ts->server);
  ts->port = g_uri_get_port (uris->data);
  ts->base = g_strdup_printf ("%s://127.0.0.1:%u", tls ? "https" : "http", ts->port);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return ts;
}

static void
test_server_free (TestServer *ts)
{
  if (ts->server != NULL)
    soup_server_disconnect (ts->server);
  g_ptr_array_unref (ts->held);
  g_clear_object (&ts->server);
  g_ptr_array_unref (ts->last_event_ids);
  g_array_unref (ts->request_times);
  g_free (ts->base);
  g_free (ts->method);
  g_free (ts->body);
  g_free (ts->authorization);
  g_free (ts->api_key);
  g_free (ts->cookie);
  g_free (ts->feed_token);
  g_free (ts->trace);
  g_free (ts->redirect_to);
  g_free (ts->accept);
  g_free (ts->cache_control);
  g_free (ts);
  /* Let the closed connections' sources run down before the next test. */
  fw_test_iterate_idle ();
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestServer, test_server_free)

static FwStream *
open_feed (TestServer      *ts,
           const char      *path,
           const char      *options,
           FwFeedOpenFlags  flags)
{
  g_autofree char *text = g_strdup_printf ("sse:%s%s%s%s", ts->base, path,
                                           options != NULL ? "#" : "",
                                           options != NULL ? options : "");
  g_autoptr(GError) error = NULL;
  FwStream *stream = fw_feed_open (text, flags, &error);

  g_assert_no_error (error);
  g_assert_true (FW_IS_SSE_SOURCE (stream));
  return stream;
}

/* Every item to the end, and the error that ended it (if any) */
static GPtrArray *
collect_all (FwStream  *stream,
             GError   **error)
{
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);

  for (;;)
    {
      g_autoptr(GPtrArray) batch = fw_test_next_batch (stream, 4096, NULL, error);

      if (batch == NULL || batch->len == 0)
        break;
      for (guint i = 0; i < batch->len; i++)
        g_ptr_array_add (all, fw_item_ref (g_ptr_array_index (batch, i)));
    }

  return all;
}

static GPtrArray *
only_kind (GPtrArray  *items,
           FwItemKind  kind)
{
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; i < items->len; i++)
    {
      FwItem *item = g_ptr_array_index (items, i);
      if (item->kind == kind)
        g_ptr_array_add (out, item);
    }
  return out;
}

static guint
count_status (GPtrArray  *items,
              const char *state,
              const char *text_prefix)
{
  guint n = 0;

  for (guint i = 0; i < items->len; i++)
    {
      FwItem *item = g_ptr_array_index (items, i);

      if (item->kind == FW_ITEM_STATUS && g_strcmp0 (item->name, state) == 0 &&
          (text_prefix == NULL || g_str_has_prefix (item->text, text_prefix)))
        n++;
    }
  return n;
}

static void
dump_statuses (GPtrArray *items)
{
  for (guint i = 0; i < items->len; i++)
    {
      FwItem *item = g_ptr_array_index (items, i);
      if (item->kind == FW_ITEM_STATUS)
        g_test_message ("status %s: %s", item->name, item->text);
    }
}

static void
test_sse_source_basic (void)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE);
  g_autoptr(FwStream) stream = open_feed (ts, "/basic", "header.Authorization=Bearer%20x",
                                          FW_FEED_OPEN_ONCE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) events = NULL;
  FwItem *item;

  /* Lazy: nothing is asked of the server before the first next. */
  fw_test_iterate_idle ();
  g_assert_cmpuint (ts->requests, ==, 0);

  items = collect_all (stream, &error);
  g_assert_no_error (error);
  dump_statuses (items);
  events = only_kind (items, FW_ITEM_EVENT);
  g_assert_cmpuint (events->len, ==, 3);

  item = g_ptr_array_index (events, 0);
  g_assert_cmpstr (item->name, ==, "greet");
  g_assert_cmpstr (item->id, ==, "1");
  g_assert_cmpstr (item->text, ==, "hello\nworld");

  item = g_ptr_array_index (events, 1);
  g_assert_cmpstr (item->name, ==, "message");
  g_assert_cmpstr (item->id, ==, "1");
  g_assert_cmpuint (item->text_len, ==, 3);
  g_assert_cmpmem (item->text, 3, "a\0b", 3);

  item = g_ptr_array_index (events, 2);
  g_assert_cmpstr (item->id, ==, "3");
  g_assert_cmpstr (item->text, ==, "third");

  g_assert_cmpuint (count_status (items, "connecting", NULL), ==, 1);
  g_assert_cmpuint (count_status (items, "live", "connected"), ==, 1);

  /* The request an EventSource makes, plus the feed's header */
  g_assert_cmpuint (ts->requests, ==, 1);
  g_assert_cmpstr (ts->method, ==, "GET");
  g_assert_cmpstr (ts->accept, ==, "text/event-stream");
  g_assert_cmpstr (ts->cache_control, ==, "no-cache");
  g_assert_cmpstr (ts->authorization, ==, "Bearer x");
  g_assert_cmpstr (g_ptr_array_index (ts->last_event_ids, 0), ==, "");
}

static void
test_sse_source_post_with_last_event_id (void)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE);
  g_autoptr(FwStream) stream = open_feed (ts, "/post",
                                          "method=POST&body=%7B%22prompt%22%3A1%7D"
                                          "&last-event-id=41", FW_FEED_OPEN_ONCE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = collect_all (stream, &error);
  g_autoptr(GPtrArray) events = only_kind (items, FW_ITEM_EVENT);

  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (((FwItem *) g_ptr_array_index (events, 0))->text, ==, "got it");
  g_assert_cmpstr (((FwItem *) g_ptr_array_index (events, 0))->id, ==, "41");
  g_assert_cmpstr (ts->method, ==, "POST");
  g_assert_cmpstr (ts->body, ==, "{\"prompt\":1}");
  g_assert_cmpstr (g_ptr_array_index (ts->last_event_ids, 0), ==, "41");
}

static void
test_sse_source_replay_after_disconnects (void)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE);
  g_autoptr(FwStream) stream = open_feed (ts, "/replay", NULL, FW_FEED_OPEN_NONE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = collect_all (stream, &error);
  g_autoptr(GPtrArray) events = only_kind (items, FW_ITEM_EVENT);

  g_assert_no_error (error);
  /* Complete, in order, exactly once; no half event ever dispatched. */
  g_assert_cmpuint (events->len, ==, REPLAY_EVENTS);
  for (guint i = 0; i < events->len; i++)
    {
      FwItem *item = g_ptr_array_index (events, i);
      char expected[32];

      g_snprintf (expected, sizeof expected, "event %u", i + 1);
      g_assert_cmpstr (item->text, ==, expected);
      g_assert_cmpint (g_ascii_strtoll (item->id, NULL, 10), ==, i + 1);
    }

  /* 20 drops, each resumed from the last whole event; then 204 ends the feed. */
  g_assert_cmpuint (ts->requests, ==, REPLAY_EVENTS / REPLAY_SEGMENT + 1);
  for (guint r = 0; r < ts->requests; r++)
    {
      char expected[32];

      if (r == 0)
        expected[0] = '\0';
      else
        g_snprintf (expected, sizeof expected, "%u", r * REPLAY_SEGMENT);
      g_assert_cmpstr (g_ptr_array_index (ts->last_event_ids, r), ==, expected);
    }
  g_assert_cmpuint (count_status (items, "retrying",
                                  "reconnecting in 100 ms: the server closed the stream in "
                                  "the middle of an event"), ==, REPLAY_EVENTS / REPLAY_SEGMENT);
  g_assert_cmpuint (count_status (items, "ended", "the server ended the stream (HTTP 204"), ==,
                    1);
}

static void on_next_done (GObject *object, GAsyncResult *result, gpointer user_data);

static FwItem *
next_item (FwStream *stream)
{
  g_autoptr(GError) error = NULL;
  FwItem *item = fw_test_next (stream, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (item);
  return item;
}

static void
test_sse_source_server_restart (void)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE);
  g_autoptr(FwStream) stream = open_feed (ts, "/restart", "retry=20", FW_FEED_OPEN_NONE);
  g_autoptr(GError) error = NULL;
  guint next_event = 1;
  gboolean refused = FALSE;

  /* The first life of the server: events 1 to 5, then it goes away. */
  while (next_event <= 5)
    {
      g_autoptr(FwItem) item = next_item (stream);

      if (item->kind == FW_ITEM_EVENT)
        g_assert_cmpint (g_ascii_strtoll (item->text, NULL, 10), ==, next_event++);
    }
  soup_server_disconnect (ts->server);
  g_clear_object (&ts->server);

  /* While it is down, the feed says why it retries. */
  while (!refused)
    {
      g_autoptr(FwItem) item = next_item (stream);

      g_assert_cmpint (item->kind, ==, FW_ITEM_STATUS);
      refused = g_str_equal (item->name, "retrying") && g_str_has_prefix (item->text, "retrying");
      g_test_message ("while down: %s", item->text);
    }

  /* Back on the same port: the feed resumes after event 5, with nothing lost or repeated. */
  test_server_listen (ts, ts->port, FALSE);
  while (next_event <= 10)
    {
      g_autoptr(FwItem) item = next_item (stream);

      if (item->kind == FW_ITEM_EVENT)
        g_assert_cmpint (g_ascii_strtoll (item->text, NULL, 10), ==, next_event++);
    }
  g_assert_cmpstr (g_ptr_array_index (ts->last_event_ids, 1), ==, "5");
  g_assert_true (fw_test_close (stream, &error));
}

static void
test_sse_source_close_while_connecting (void)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE);
  g_autoptr(FwStream) stream = open_feed (ts, "/hang", NULL, FW_FEED_OPEN_NONE);
  g_autoptr(FwItem) connecting = next_item (stream);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) next_error = NULL;

  g_assert_cmpstr (connecting->name, ==, "connecting");
  fw_stream_next_async (stream, NULL, on_next_done, &next_error);
  while (ts->requests == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (fw_test_close (stream, &error));
  while (next_error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_error_matches (next_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
                 g_error_matches (next_error, G_IO_ERROR, G_IO_ERROR_CLOSED));
}

static void
test_sse_source_204_stops (void)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE);
  g_autoptr(FwStream) stream = open_feed (ts, "/204", NULL, FW_FEED_OPEN_NONE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = collect_all (stream, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (ts->requests, ==, 1);
  g_assert_cmpuint (count_status (items, "ended",
                                  "the server ended the stream (HTTP 204 No Content)"), ==, 1);
}

static double
almost_one (gpointer user_data)
{
  return 0.999;
}

static void
test_sse_source_500_backs_off (void)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE);
  g_autoptr(FwStream) stream = open_feed (ts, "/flaky", "retry=10&retry-on=5xx",
                                          FW_FEED_OPEN_NONE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) events = NULL;

  fw_backoff_set_random (fw_sse_source_get_backoff (FW_SSE_SOURCE (stream)), almost_one, NULL);
  items = collect_all (stream, &error);
  g_assert_no_error (error);
  dump_statuses (items);

  /* Two failures back off (10 ms, then up to 20 ms), the good connection resets. */
  g_assert_cmpuint (count_status (items, "retrying",
                                  "retrying in 10 ms: HTTP 500 Internal Server Error "
                                  "(retry-on=5xx)"), ==, 1);
  g_assert_cmpuint (count_status (items, "retrying",
                                  "retrying in 19 ms: HTTP 500 Internal Server Error "
                                  "(retry-on=5xx)"), ==, 1);
  g_assert_cmpuint (count_status (items, "retrying",
                                  "reconnecting in 10 ms: the server closed the stream"), ==, 1);
  events = only_kind (items, FW_ITEM_EVENT);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpuint (ts->requests, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (ts->last_event_ids, 3), ==, "1");
}

static void
test_sse_source_404_once_fails (void)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE);
  g_autoptr(FwStream) stream = open_feed (ts, "/404", NULL, FW_FEED_OPEN_ONCE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = collect_all (stream, &error);

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "HTTP 404 Not Found"));
  g_assert_cmpuint (count_status (items, "failed", NULL), ==, 1);
  g_assert_cmpuint (ts->requests, ==, 1);
}

/* Reads @path to its end (bounded: a feed that retried instead would never end) and checks
 * that it failed after one request, with @text as its error and its one failed status. */
static void
assert_fails_at_once (const char *path,
                      const char *options,
                      GQuark      domain,
                      gint        code,
                      const char *text)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE);
  g_autoptr(FwStream) stream = open_feed (ts, path, options, FW_FEED_OPEN_NONE);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;

  for (guint n = 0; n < 50 && error == NULL; n++)
    {
      g_autoptr(GPtrArray) batch = fw_test_next_batch (stream, 64, NULL, &error);

      if (batch == NULL || batch->len == 0)
        break;
      for (guint i = 0; i < batch->len; i++)
        g_ptr_array_add (items, fw_item_ref (g_ptr_array_index (batch, i)));
    }
  dump_statuses (items);

  g_assert_error (error, domain, code);
  g_assert_cmpstr (error->message, ==, text);
  g_assert_cmpuint (count_status (items, "failed", text), ==, 1);
  g_assert_cmpuint (count_status (items, "retrying", NULL), ==, 0);
  events = only_kind (items, FW_ITEM_EVENT);
  g_assert_cmpuint (events->len, ==, 0);
  if (g_str_equal (path, "/loop"))
    g_assert_cmpuint (ts->requests, >, 1);
  else
    g_assert_cmpuint (ts->requests, ==, 1);
}

/* The spec fails the connection for any status but 200: a 404 stops the feed, with the status
 * and the rule in words; retry-on=5xx does not change that for a 4xx. */
static void
test_sse_source_404_fails (void)
{
  static const char *const options[] = { "retry=1", "retry=1&retry-on=5xx" };

  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    assert_fails_at_once ("/404", options[i], G_IO_ERROR, G_IO_ERROR_FAILED,
                          "the server answered HTTP 404 Not Found; an event stream must answer "
                          "200 OK");
}

/* A 5xx is fatal too unless the feed says retry-on=5xx, and the status names the option. */
static void
test_sse_source_500_fails (void)
{
  assert_fails_at_once ("/flaky", "retry=1", G_IO_ERROR, G_IO_ERROR_FAILED,
                        "the server answered HTTP 500 Internal Server Error; an event stream "
                        "must answer 200 OK (retry-on=5xx retries it)");
}

/* 201 is a success, but not the 200 an event stream answers. */
static void
test_sse_source_201_fails (void)
{
  assert_fails_at_once ("/created", "retry=1", G_IO_ERROR, G_IO_ERROR_FAILED,
                        "the server answered HTTP 201 Created; an event stream must answer "
                        "200 OK");
}

/* A bare URL answering 201 with text/event-stream is no event stream either. */
static void
test_sse_source_201_bare_url_fails (void)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE);
  g_autofree char *text = g_strdup_printf ("%s/created", ts->base);
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = fw_feed_open (text, FW_FEED_OPEN_NONE, &error);
  g_autoptr(GPtrArray) items = NULL;

  g_assert_no_error (error);
  items = collect_all (stream, &error);
  dump_statuses (items);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "the server answered HTTP 201 Created; an event stream "
                                       "must answer 200 OK");
  g_assert_cmpuint (ts->requests, ==, 1);
}

static void
test_sse_source_wrong_content_type (void)
{
  assert_fails_at_once ("/wrong-type", "retry=5", G_IO_ERROR, G_IO_ERROR_FAILED,
                        "the server sent text/plain, not text/event-stream: the address is not "
                        "an event stream");
}

static void
test_sse_source_missing_content_type (void)
{
  assert_fails_at_once ("/no-type", "retry=5", G_IO_ERROR, G_IO_ERROR_FAILED,
                        "the server sent no Content-Type, not text/event-stream: the address "
                        "is not an event stream");
}

/* A redirect loop is not a network failure retrying could mend. */
static void
test_sse_source_redirect_loop_fails (void)
{
  assert_fails_at_once ("/loop", "retry=1", SOUP_SESSION_ERROR,
                        SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS,
                        "the server's redirects lead nowhere (Too many redirects): the feed "
                        "stops; check its address");
}

/* retry-on=5xx waits out a 503 for as long as its Retry-After asks (1 s, not the 10 ms of
 * `retry`), then connects again. */
static void
test_sse_source_503_retry_after (void)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE);
  g_autoptr(FwStream) stream = open_feed (ts, "/busy", "retry=10&retry-on=5xx",
                                          FW_FEED_OPEN_NONE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = collect_all (stream, &error);
  gint64 waited;

  g_assert_no_error (error);
  dump_statuses (items);
  g_assert_cmpuint (count_status (items, "retrying",
                                  "retrying in 1 s: HTTP 503 Service Unavailable "
                                  "(retry-on=5xx)"), ==, 1);
  g_assert_cmpuint (count_status (items, "ended", NULL), ==, 1);
  g_assert_cmpuint (ts->requests, ==, 2);
  waited = g_array_index (ts->request_times, gint64, 1) -
           g_array_index (ts->request_times, gint64, 0);
  g_assert_cmpint (waited, >=, G_USEC_PER_SEC);
}

/* A server's `retry: 0` waits at least 100 ms between connections, not a tight loop. */
static void
test_sse_source_retry_zero_floor (void)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE);
  g_autoptr(FwStream) stream = open_feed (ts, "/retry-0", NULL, FW_FEED_OPEN_NONE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = collect_all (stream, &error);

  g_assert_no_error (error);
  dump_statuses (items);
  g_assert_cmpuint (count_status (items, "retrying",
                                  "reconnecting in 100 ms: the server closed the stream"), ==, 3);
  g_assert_cmpuint (ts->requests, ==, 4);
  for (guint i = 1; i < ts->requests; i++)
    g_assert_cmpint (g_array_index (ts->request_times, gint64, i) -
                     g_array_index (ts->request_times, gint64, i - 1), >=, 100 * 1000);
}

static void
test_sse_source_idle_timeout (void)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE);
  g_autoptr(FwStream) stream = open_feed (ts, "/idle", "retry=5&idle-timeout=300",
                                          FW_FEED_OPEN_NONE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = collect_all (stream, &error);
  g_autoptr(GPtrArray) events = only_kind (items, FW_ITEM_EVENT);

  g_assert_no_error (error);
  dump_statuses (items);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpuint (count_status (items, "retrying", "retrying in 5 ms: no data for 300 ms"),
                    ==, 1);
  /* The silent connection was treated as dead and resumed after the event it gave. */
  g_assert_cmpuint (ts->requests, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (ts->last_event_ids, 1), ==, "7");
}

static void
test_sse_source_endless_line (void)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE);
  g_autoptr(FwStream) stream = open_feed (ts, "/endless", "max-event-size=1048576",
                                          FW_FEED_OPEN_ONCE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = collect_all (stream, &error);
  g_autoptr(GPtrArray) events = only_kind (items, FW_ITEM_EVENT);

  g_assert_no_error (error);
  dump_statuses (items);
  g_assert_true (ts->endless_done);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (((FwItem *) g_ptr_array_index (events, 0))->text, ==, "ok");
  g_assert_cmpuint (fw_sse_source_get_dropped (FW_SSE_SOURCE (stream)), ==, 1);
  g_assert_cmpuint (count_status (items, "live", "1 event over the size limit dropped"), ==,
                    1);
}

static void
test_sse_source_invalid_utf8 (void)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE);
  g_autoptr(FwStream) stream = open_feed (ts, "/bad-utf8", NULL, FW_FEED_OPEN_ONCE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = collect_all (stream, &error);
  g_autoptr(GPtrArray) events = only_kind (items, FW_ITEM_EVENT);

  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (((FwItem *) g_ptr_array_index (events, 0))->text, ==,
                   "a\xEF\xBF\xBD\xEF\xBF\xBD b\xEF\xBF\xBD");
}

static void
on_next_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GError **error = user_data;
  g_autoptr(FwItem) item = fw_stream_next_finish (FW_STREAM (object), result, error);

  g_assert_null (item);
  g_assert_nonnull (*error);
}

static void
test_sse_source_close_while_reading (void)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE);
  g_autoptr(FwStream) stream = open_feed (ts, "/idle", NULL, FW_FEED_OPEN_NONE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) next_error = NULL;

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(FwItem) item = fw_test_next (stream, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (item);
    }

  /* A read is in flight on a silent server: close cancels it and lets the socket go. */
  fw_stream_next_async (stream, NULL, on_next_done, &next_error);
  fw_test_iterate_idle ();
  g_assert_true (fw_test_close (stream, &error));
  g_assert_no_error (error);
  while (next_error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_error_matches (next_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
                 g_error_matches (next_error, G_IO_ERROR, G_IO_ERROR_CLOSED));
}

static void
set_flag (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
test_sse_source_pull_driven (void)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE);
  g_autoptr(FwStream) stream = open_feed (ts, "/flow", NULL, FW_FEED_OPEN_NONE);
  g_autoptr(GError) error = NULL;
  gsize before;
  guint stalls = 0;

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(FwItem) item = fw_test_next (stream, NULL, &error);
      g_assert_no_error (error);
    }

  /* Nobody pulls now: the server fills the socket buffers and then can write no more. Run
   * the main loop (the server's side included) until its writes have stopped for 50 turns of
   * 1 ms, which must happen long before the bound below if flow control works; without it the
   * server would write its whole endless stream and trip the bound. */
  before = ts->flow_written;
  while (stalls < 50)
    {
      gsize now = ts->flow_written;
      gboolean tick = FALSE;
      g_timeout_add_once (1, set_flag, &tick);
      while (!tick)
        g_main_context_iteration (NULL, TRUE);
      stalls = ts->flow_written == now ? stalls + 1 : 0;
      g_assert_cmpuint (ts->flow_written, <, 64 * 1024 * 1024);
    }
  g_test_message ("server wrote %zu bytes before stalling (%zu at the first item)",
                  ts->flow_written, before);
  g_assert_cmpuint (ts->flow_written, <, 32 * 1024 * 1024);
  g_assert_true (fw_test_close (stream, &error));
}

static void
test_sse_source_tls_verified (void)
{
  g_autoptr(TestServer) ts = test_server_new (TRUE);
  g_autoptr(FwStream) stream = open_feed (ts, "/basic", "retry=1", FW_FEED_OPEN_NONE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = collect_all (stream, &error);
  g_autoptr(GPtrArray) events = only_kind (items, FW_ITEM_EVENT);

  /* A bad certificate is a clear error that names the way out, and is not retried. */
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  g_assert_nonnull (strstr (error->message, "TLS certificate of 127.0.0.1 is not valid"));
  g_assert_nonnull (strstr (error->message, "insecure=1"));
  g_assert_cmpuint (count_status (items, "failed", NULL), ==, 1);
  g_assert_cmpuint (events->len, ==, 0);
}

static void
test_sse_source_tls_insecure (void)
{
  g_autoptr(TestServer) ts = test_server_new (TRUE);
  g_autoptr(FwStream) stream = open_feed (ts, "/basic", "insecure=1", FW_FEED_OPEN_ONCE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = collect_all (stream, &error);
  g_autoptr(GPtrArray) events = only_kind (items, FW_ITEM_EVENT);

  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 3);
}

#define SECRET_HEADERS "header.Authorization=Bearer%20x&header.X-Api-Key=k1" \
                       "&header.Cookie=session%3Ds1&header.X-Feed-Token=t1&header.X-Trace=t-42"

/* A redirect to another origin (another port is another origin) takes no secret header along,
 * and the feed says which it left out and where; the feed's own server had them all. */
static void
test_sse_source_cross_origin_redirect_drops_secrets (void)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE);
  g_autoptr(TestServer) other = test_server_new (FALSE);
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *note = NULL;

  ts->redirect_to = g_strdup_printf ("%s/post", other->base);
  stream = open_feed (ts, "/away", SECRET_HEADERS, FW_FEED_OPEN_ONCE);
  items = collect_all (stream, &error);
  g_assert_no_error (error);
  dump_statuses (items);

  g_assert_cmpuint (ts->requests, ==, 1);
  g_assert_cmpstr (ts->authorization, ==, "Bearer x");
  g_assert_cmpstr (ts->api_key, ==, "k1");
  g_assert_cmpstr (ts->cookie, ==, "session=s1");
  g_assert_cmpstr (ts->feed_token, ==, "t1");

  g_assert_cmpuint (other->requests, ==, 1);
  g_assert_null (other->authorization);
  g_assert_null (other->api_key);
  g_assert_null (other->cookie);
  g_assert_null (other->feed_token);
  g_assert_cmpstr (other->trace, ==, "t-42");
  events = only_kind (items, FW_ITEM_EVENT);
  g_assert_cmpuint (events->len, ==, 1);

  note = g_strdup_printf ("Authorization, Cookie, X-Api-Key and X-Feed-Token were not sent to "
                          "http://127.0.0.1:%u, where the feed was redirected: secret headers "
                          "go only to the feed's own origin http://127.0.0.1:%u",
                          other->port, ts->port);
  g_assert_cmpuint (count_status (items, NULL, note), ==, 1);
}

/* A redirect within the origin keeps the headers. */
static void
test_sse_source_same_origin_redirect_keeps_secrets (void)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE);
  g_autoptr(FwStream) stream = open_feed (ts, "/home", SECRET_HEADERS, FW_FEED_OPEN_ONCE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = collect_all (stream, &error);
  g_autoptr(GPtrArray) events = only_kind (items, FW_ITEM_EVENT);

  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpuint (ts->requests, ==, 2);
  g_assert_cmpstr (ts->authorization, ==, "Bearer x");
  g_assert_cmpstr (ts->api_key, ==, "k1");
  g_assert_cmpstr (ts->cookie, ==, "session=s1");
  g_assert_cmpstr (ts->feed_token, ==, "t1");
  g_assert_cmpuint (count_status (items, NULL, NULL), ==, 0);
}

/* follow-cross-origin=refuse: the other origin gets nothing, and the feed stops (retrying
 * would not help) naming both origins. */
static void
test_sse_source_cross_origin_redirect_refused (void)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE);
  g_autoptr(TestServer) other = test_server_new (FALSE);
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *here = NULL;
  g_autofree char *there = NULL;

  ts->redirect_to = g_strdup_printf ("%s/post", other->base);
  stream = open_feed (ts, "/away",
                      SECRET_HEADERS "&follow-cross-origin=refuse&retry=1&retry-max=5",
                      FW_FEED_OPEN_NONE);
  /* Bounded: a feed that retried instead would never end. */
  items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  for (guint n = 0; n < 50 && error == NULL; n++)
    {
      g_autoptr(GPtrArray) batch = fw_test_next_batch (stream, 64, NULL, &error);

      if (batch == NULL || batch->len == 0)
        break;
      for (guint i = 0; i < batch->len; i++)
        g_ptr_array_add (items, fw_item_ref (g_ptr_array_index (batch, i)));
    }
  dump_statuses (items);

  g_assert_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID);
  here = g_strdup_printf ("http://127.0.0.1:%u", ts->port);
  there = g_strdup_printf ("http://127.0.0.1:%u", other->port);
  g_assert_nonnull (strstr (error->message, here));
  g_assert_nonnull (strstr (error->message, there));
  g_assert_nonnull (strstr (error->message, "follow-cross-origin"));
  g_assert_cmpuint (count_status (items, "failed", NULL), ==, 1);
  g_assert_cmpuint (ts->requests, ==, 1);
  g_assert_cmpuint (other->requests, ==, 0);
}

static void
test_sse_source_bad_options (void)
{
  const char *bad[] = {
    "sse:ftp://127.0.0.1/x",
    "sse:http://127.0.0.1/x#retry=soon",
    "sse:http://127.0.0.1/x#idle-timeout=-1",
    "sse:http://127.0.0.1/x#header.Bad%20Name=1",
    "sse:http://127.0.0.1/x#header.X=a%0Ab",
    "sse:http://127.0.0.1/x#insecure=maybe",
    "sse:http://127.0.0.1/x#max-event-size=big",
    "sse:http://127.0.0.1/x#follow-cross-origin=always",
    "sse:http://127.0.0.1/x#retry-on=always",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FwStream) stream = fw_feed_open (bad[i], FW_FEED_OPEN_NONE, &error);

      g_assert_null (stream);
      g_assert_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID);
      g_test_message ("%s: %s", bad[i], error->message);
    }
}

/* A server's `retry:` of 10^22 ms is clamped to retry-max, not "2147483.6 s". */
static void
test_sse_source_huge_retry_clamped (void)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE);
  g_autoptr(FwStream) stream = open_feed (ts, "/huge-retry", "retry-max=5000",
                                          FW_FEED_OPEN_NONE);

  for (;;)
    {
      g_autoptr(FwItem) item = next_item (stream);

      if (item->kind == FW_ITEM_STATUS && g_str_equal (item->name, "retrying"))
        {
          g_assert_cmpstr (item->text, ==, "reconnecting in 5 s: the server closed the stream");
          break;
        }
    }
  g_assert_cmpuint (fw_backoff_get_base (fw_sse_source_get_backoff (FW_SSE_SOURCE (stream))),
                    ==, 5000);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sse-source/basic", test_sse_source_basic);
  g_test_add_func ("/sse-source/post-last-event-id", test_sse_source_post_with_last_event_id);
  g_test_add_func ("/sse-source/replay", test_sse_source_replay_after_disconnects);
  g_test_add_func ("/sse-source/server-restart", test_sse_source_server_restart);
  g_test_add_func ("/sse-source/close-while-connecting", test_sse_source_close_while_connecting);
  g_test_add_func ("/sse-source/204", test_sse_source_204_stops);
  g_test_add_func ("/sse-source/500-backoff", test_sse_source_500_backs_off);
  g_test_add_func ("/sse-source/huge-retry-clamped", test_sse_source_huge_retry_clamped);
  g_test_add_func ("/sse-source/404-once", test_sse_source_404_once_fails);
  g_test_add_func ("/sse-source/404-fails", test_sse_source_404_fails);
  g_test_add_func ("/sse-source/500-fails", test_sse_source_500_fails);
  g_test_add_func ("/sse-source/201-fails", test_sse_source_201_fails);
  g_test_add_func ("/sse-source/201-bare-url-fails", test_sse_source_201_bare_url_fails);
  g_test_add_func ("/sse-source/503-retry-after", test_sse_source_503_retry_after);
  g_test_add_func ("/sse-source/retry-zero-floor", test_sse_source_retry_zero_floor);
  g_test_add_func ("/sse-source/wrong-content-type", test_sse_source_wrong_content_type);
  g_test_add_func ("/sse-source/missing-content-type", test_sse_source_missing_content_type);
  g_test_add_func ("/sse-source/redirect-loop", test_sse_source_redirect_loop_fails);
  g_test_add_func ("/sse-source/idle-timeout", test_sse_source_idle_timeout);
  g_test_add_func ("/sse-source/endless-line", test_sse_source_endless_line);
  g_test_add_func ("/sse-source/invalid-utf8", test_sse_source_invalid_utf8);
  g_test_add_func ("/sse-source/close-while-reading", test_sse_source_close_while_reading);
  g_test_add_func ("/sse-source/pull-driven", test_sse_source_pull_driven);
  g_test_add_data_func ("/sse-source/tls-verified", "/sse-source/tls-verified",
                        fw_test_run_subprocess_without_leak_check);
  g_test_add_func ("/sse-source/tls-verified/subprocess", test_sse_source_tls_verified);
  g_test_add_data_func ("/sse-source/tls-insecure", "/sse-source/tls-insecure",
                        fw_test_run_subprocess_without_leak_check);
  g_test_add_func ("/sse-source/tls-insecure/subprocess", test_sse_source_tls_insecure);
  g_test_add_func ("/sse-source/bad-options", test_sse_source_bad_options);
  g_test_add_func ("/sse-source/cross-origin-redirect-drops-secrets",
                   test_sse_source_cross_origin_redirect_drops_secrets);
  g_test_add_func ("/sse-source/same-origin-redirect-keeps-secrets",
                   test_sse_source_same_origin_redirect_keeps_secrets);
  g_test_add_func ("/sse-source/cross-origin-redirect-refused",
                   test_sse_source_cross_origin_redirect_refused);

  return g_test_run ();
}
