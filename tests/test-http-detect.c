/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-http-detect.c: a bare http:// feed recognised by its Content-Type, for each kind,
 * against a loopback SoupServer; the first response is not requested twice; unknown types,
 * HTTP errors and a server that never answers give clear errors. */

#include "fw-test-util.h"
#include "fw-test-server.h"

#include "sources/fw-http-detect.h"
#include "sources/fw-metrics-source.h"
#include "sources/fw-ndjson-source.h"
#include "sources/fw-pages-source.h"
#include "sources/fw-sse-source.h"

#include <libsoup/soup.h>
#include <string.h>

typedef struct
{
  SoupServer *server;
  char       *base;
  GHashTable *hits;     /* path → count */
  GPtrArray  *paused;
} Fixture;

static void
respond (SoupServerMessage *msg,
         const char        *type,
         const char        *body)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, type, SOUP_MEMORY_COPY, body, strlen (body));
}

static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  Fixture *f = user_data;

  g_hash_table_replace (f->hits, g_strdup (path),
                        GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (f->hits, path)) + 1));

  if (g_str_equal (path, "/sse"))
    respond (msg, "text/event-stream", "data: hi\n\n");
  else if (g_str_equal (path, "/ndjson"))
    respond (msg, "application/x-ndjson", "{\"msg\":\"first\"}\n{\"msg\":\"second\"}\n");
  else if (g_str_equal (path, "/jsonl"))
    respond (msg, "application/jsonl; charset=utf-8", "{\"msg\":\"line\"}\n");
  else if (g_str_equal (path, "/json"))
    respond (msg, "application/json", "{\"results\":[{\"id\":1,\"msg\":\"record\"}]}");
  else if (g_str_equal (path, "/metrics"))
    respond (msg, "text/plain; version=0.0.4; charset=utf-8",
             "# TYPE up gauge\nup 1\n");
  else if (g_str_equal (path, "/html"))
    respond (msg, "text/html", "<p>hello</p>");
  else if (g_str_equal (path, "/silent"))
    {
      soup_server_message_pause (msg);
      g_ptr_array_add (f->paused, g_object_ref (msg));
    }
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->hits = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  f->paused = g_ptr_array_new_with_free_func (g_object_unref);
  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, NULL, on_request, f, NULL);
  f->base = g_strdup_printf ("http://127.0.0.1:%u", fw_test_server_listen (f->server, 0));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  for (guint i = 0; i < f->paused->len; i++)
    {
      SoupServerMessage *msg = f->paused->pdata[i];
      soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
      soup_server_message_unpause (msg);
    }
  soup_server_disconnect (f->server);
  fw_test_iterate_idle ();
  g_clear_object (&f->server);
  g_ptr_array_unref (f->paused);
  g_hash_table_unref (f->hits);
  g_free (f->base);
}

static guint
hits (Fixture    *f,
      const char *path)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (f->hits, path));
}

/* Opens base+path with --once and reads it to its end. */
static GPtrArray *
collect (Fixture     *f,
         const char  *path,
         FwStream   **out_stream)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup_printf ("%s%s", f->base, path);
  FwStream *stream = fw_feed_open (text, FW_FEED_OPEN_ONCE, &error);
  GPtrArray *items;

  g_assert_no_error (error);
  g_assert_true (FW_IS_HTTP_DETECT (stream));
  items = fw_test_collect (stream, &error);
  g_assert_no_error (error);
  *out_stream = stream;
  return items;
}

static const char *
text_at (GPtrArray *items,
         guint      i)
{
  g_assert_cmpuint (i, <, items->len);
  return ((FwItem *) items->pdata[i])->text;
}

static void
test_ndjson (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(GPtrArray) items = collect (f, "/ndjson", &stream);

  g_assert_cmpint (fw_http_detect_get_kind (FW_HTTP_DETECT (stream)), ==, FW_HTTP_KIND_NDJSON);
  g_assert_true (FW_IS_NDJSON_SOURCE (fw_http_detect_get_inner (FW_HTTP_DETECT (stream))));
  g_assert_cmpstr (text_at (items, 0), ==, "recognised as ndjson: application/x-ndjson");
  g_assert_cmpstr (text_at (items, 1), ==, "connected");
  g_assert_cmpstr (text_at (items, 2), ==, "first");
  g_assert_cmpstr (text_at (items, 3), ==, "second");
  g_assert_cmpuint (items->len, ==, 4);
  /* The items carry the feed as the user wrote it. */
  g_assert_true (g_str_has_prefix (((FwItem *) items->pdata[2])->feed, "http://127.0.0.1:"));
  /* The first response was read, not thrown away and asked for again. */
  g_assert_cmpuint (hits (f, "/ndjson"), ==, 1);
}

static void
test_jsonl (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(GPtrArray) items = collect (f, "/jsonl", &stream);

  g_assert_cmpint (fw_http_detect_get_kind (FW_HTTP_DETECT (stream)), ==, FW_HTTP_KIND_NDJSON);
  g_assert_cmpstr (text_at (items, 2), ==, "line");
  g_assert_cmpuint (hits (f, "/jsonl"), ==, 1);
}

static void
test_pages (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(GPtrArray) items = collect (f, "/json", &stream);

  g_assert_cmpint (fw_http_detect_get_kind (FW_HTTP_DETECT (stream)), ==, FW_HTTP_KIND_PAGES);
  g_assert_true (FW_IS_PAGES_SOURCE (fw_http_detect_get_inner (FW_HTTP_DETECT (stream))));
  g_assert_cmpstr (text_at (items, 0), ==, "recognised as pages: application/json");
  g_assert_cmpstr (text_at (items, 2), ==, "record");
  g_assert_cmpstr (((FwItem *) items->pdata[2])->id, ==, "1");
  g_assert_cmpuint (hits (f, "/json"), ==, 1);
}

static void
test_metrics (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(GPtrArray) items = collect (f, "/metrics", &stream);
  FwItem *up;

  g_assert_cmpint (fw_http_detect_get_kind (FW_HTTP_DETECT (stream)), ==, FW_HTTP_KIND_METRICS);
  g_assert_true (FW_IS_METRICS_SOURCE (fw_http_detect_get_inner (FW_HTTP_DETECT (stream))));
  g_assert_cmpuint (items->len, ==, 3);
  up = items->pdata[2];
  g_assert_cmpint (up->kind, ==, FW_ITEM_READING);
  g_assert_cmpstr (up->name, ==, "up");
  g_assert_cmpfloat (up->value, ==, 1.0);
  g_assert_cmpuint (hits (f, "/metrics"), ==, 1);
}

static void
test_sse (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup_printf ("%s/sse#retry=60000", f->base);
  g_autoptr(FwStream) stream = fw_feed_open (text, 0, &error);
  g_autoptr(FwItem) recognised = NULL;
  gboolean saw_hi = FALSE;

  g_assert_no_error (error);
  recognised = fw_test_next (stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (recognised->text, ==, "recognised as sse: text/event-stream");
  g_assert_true (FW_IS_SSE_SOURCE (fw_http_detect_get_inner (FW_HTTP_DETECT (stream))));

  /* The SSE source's items follow, read from the response that told the kind. */
  for (guint i = 0; i < 5 && !saw_hi; i++)
    {
      g_autoptr(FwItem) item = fw_test_next (stream, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (item);
      saw_hi = item->kind != FW_ITEM_STATUS && g_str_equal (item->text, "hi");
    }
  g_assert_true (saw_hi);
  g_assert_cmpuint (hits (f, "/sse"), ==, 1);
  g_assert_true (fw_test_close (stream, NULL));
}

static void
test_unknown_type (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup_printf ("%s/html", f->base);
  g_autoptr(FwStream) stream = fw_feed_open (text, 0, &error);

  g_assert_no_error (error);
  g_assert_null (fw_test_next (stream, NULL, &error));
  g_assert_error (error, FW_FEED_ERROR, FW_FEED_ERROR_UNKNOWN_KIND);
  g_assert_nonnull (strstr (error->message, "“text/html”"));
}

static void
test_http_error (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup_printf ("%s/missing", f->base);
  g_autoptr(FwStream) stream = fw_feed_open (text, 0, &error);

  g_assert_no_error (error);
  g_assert_null (fw_test_next (stream, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "HTTP 404 Not Found"));
}

static void
test_never_answers (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup_printf ("%s/silent#idle-timeout=300", f->base);
  g_autoptr(FwStream) stream = fw_feed_open (text, 0, &error);

  g_assert_no_error (error);
  g_assert_null (fw_test_next (stream, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_nonnull (strstr (error->message, "no answer for 0.3 s"));
}

/* A socket bound to a free loopback port, not listening yet: a connection there is refused
 * until the test makes it listen, and no other program can take the port meanwhile. */
static GSocket *
reserve_port (guint16 *out_port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                  G_SOCKET_PROTOCOL_TCP, &error);

  g_assert_no_error (error);
  g_socket_bind (socket, any, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  *out_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return socket;
}

typedef struct
{
  Fixture  *fixture;
  GSocket  *socket;
  gboolean  started;
} LateStart;

static gboolean
on_start_late (gpointer user_data)
{
  LateStart *late = user_data;
  g_autoptr(GError) error = NULL;

  g_socket_listen (late->socket, &error);
  g_assert_no_error (error);
  soup_server_listen_socket (late->fixture->server, late->socket, 0, &error);
  g_assert_no_error (error);
  late->started = TRUE;
  return G_SOURCE_REMOVE;
}

/* A bare URL whose server is not up yet: the detector says it retries, with the state typed,
 * until the server answers ~4 s later; then the feed is recognised and its items arrive. */
static void
test_late_server (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = NULL;
  g_autofree char *text = NULL;
  LateStart late = { f, NULL, FALSE };
  guint16 port;
  guint n_retrying = 0;
  gboolean recognised = FALSE, saw_first = FALSE, saw_second = FALSE;

  late.socket = reserve_port (&port);
  text = g_strdup_printf ("http://127.0.0.1:%u/ndjson#retry=200&retry-max=500", port);
  stream = fw_feed_open (text, 0, &error);
  g_assert_no_error (error);
  g_assert_true (FW_IS_HTTP_DETECT (stream));
  g_timeout_add_seconds (4, on_start_late, &late);

  /* Each fw_test_next waits with a deadline; the loop ends with the items, or fails. */
  while (!saw_second)
    {
      g_autoptr(FwItem) item = fw_test_next (stream, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (item);
      if (item->kind == FW_ITEM_STATUS && !recognised &&
          g_str_has_prefix (item->text, "recognised as "))
        {
          recognised = TRUE;
          g_assert_true (late.started);
          g_assert_cmpstr (item->text, ==, "recognised as ndjson: application/x-ndjson");
        }
      else if (item->kind == FW_ITEM_STATUS && !recognised)
        {
          g_assert_cmpint (fw_item_get_feed_state (item), ==, FW_FEED_STATE_RETRYING);
          g_assert_cmpint (item->level, ==, FW_LEVEL_WARNING);
          fw_test_assert_status (item, "retrying in ");
          n_retrying++;
        }
      else if (item->kind != FW_ITEM_STATUS)
        {
          g_assert_true (recognised);
          saw_first |= g_strrstr (item->text, "first") != NULL;
          saw_second |= g_strrstr (item->text, "second") != NULL;
        }
    }

  g_assert_true (saw_first);
  g_assert_cmpuint (n_retrying, >=, 2);
  g_assert_true (FW_IS_NDJSON_SOURCE (fw_http_detect_get_inner (FW_HTTP_DETECT (stream))));
  g_assert_cmpuint (hits (f, "/ndjson"), >=, 1);
  g_assert_true (fw_test_close (stream, NULL));
  g_object_unref (late.socket);
}

static void
on_next_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  FwItem **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = fw_stream_next_finish (FW_STREAM (source), result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*out);
}

typedef struct
{
  FwStream *stream;
  gboolean  retried;
} RetryNow;

/* Asks until the feed waits, once (the wait's check asks the predicate again) */
static gboolean
retried_now (gpointer user_data)
{
  RetryNow *retry = user_data;

  retry->retried = retry->retried || fw_stream_retry_now (retry->stream);
  return retry->retried;
}

/* "Retry Now": a feed that waits (here ten minutes) to reconnect tries at once when asked,
 * on the same stream, and its items arrive. */
static void
test_retry_now (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(FwItem) first = NULL;
  g_autoptr(FwItem) pulled = NULL;
  g_autofree char *text = NULL;
  LateStart late = { f, NULL, FALSE };
  RetryNow retry = { NULL, FALSE };
  gboolean saw_second = FALSE;
  guint16 port;

  late.socket = reserve_port (&port);
  text = g_strdup_printf ("http://127.0.0.1:%u/ndjson#retry=600000&retry-max=600000", port);
  stream = fw_feed_open (text, 0, &error);
  g_assert_no_error (error);

  /* Nothing waits before the first attempt, which fails */
  g_assert_false (fw_stream_retry_now (stream));
  first = fw_test_next (stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fw_item_get_feed_state (first), ==, FW_FEED_STATE_RETRYING);
  fw_test_assert_status (first, "retrying in 600 s");

  /* The server is up now, but the feed would wait ten minutes: asked, it tries at once */
  on_start_late (&late);
  retry.stream = stream;
  fw_stream_next_async (stream, NULL, on_next_done, &pulled);
  fw_test_wait_until (retried_now, &retry, "the feed to wait for its next attempt");
  while (pulled == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (pulled->text, ==, "recognised as ndjson: application/x-ndjson");

  while (!saw_second)
    {
      g_autoptr(FwItem) item = fw_test_next (stream, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (item);
      saw_second |= g_strrstr (item->text, "second") != NULL;
    }
  g_assert_false (fw_stream_retry_now (stream));
  g_assert_true (fw_test_close (stream, NULL));
  g_object_unref (late.socket);
}

/* Under --once nothing retries: a server that is down fails the feed, with the reason. */
static void
test_down_once (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autofree char *text = NULL;
  guint16 port;

  socket = reserve_port (&port);
  text = g_strdup_printf ("http://127.0.0.1:%u/ndjson", port);
  stream = fw_feed_open (text, FW_FEED_OPEN_ONCE, &error);
  g_assert_no_error (error);
  g_assert_null (fw_test_next (stream, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, text));
  g_assert_cmpuint (fw_http_detect_get_n_requests (FW_HTTP_DETECT (stream)), ==, 1);
}

static void
test_content_types (void)
{
  static const struct { const char *type; FwHttpKind kind; } cases[] = {
    { "text/event-stream", FW_HTTP_KIND_SSE },
    { "Text/Event-Stream; charset=utf-8", FW_HTTP_KIND_SSE },
    { "application/x-ndjson", FW_HTTP_KIND_NDJSON },
    { "application/jsonl", FW_HTTP_KIND_NDJSON },
    { "application/json", FW_HTTP_KIND_PAGES },
    { "application/json; charset=utf-8", FW_HTTP_KIND_PAGES },
    { "application/vnd.github+json", FW_HTTP_KIND_PAGES },
    { "text/plain; version=0.0.4", FW_HTTP_KIND_METRICS },
    { "text/plain; version=0.0.4; charset=utf-8", FW_HTTP_KIND_METRICS },
    { "text/plain", FW_HTTP_KIND_UNKNOWN },
    { "text/html", FW_HTTP_KIND_UNKNOWN },
    { "", FW_HTTP_KIND_UNKNOWN },
    { NULL, FW_HTTP_KIND_UNKNOWN },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (fw_http_kind_from_content_type (cases[i].type), ==, cases[i].kind);
}

static void
test_spec (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwFeedSpec) http = fw_feed_spec_parse ("http://h:1/x?q=1#idle-timeout=5", &error);
  g_autoptr(FwFeedSpec) ws = fw_feed_spec_parse ("wss://h/s?a=b#send=hi", &error);
  g_autoptr(FwFeedSpec) ndjson = fw_feed_spec_parse ("ndjson:https://h/w?watch=1#max-line=10", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (http->kind, ==, "http");
  g_assert_cmpstr (http->target, ==, "http://h:1/x?q=1");
  g_assert_cmpstr (fw_feed_spec_get_option (http, "idle-timeout"), ==, "5");
  g_assert_cmpstr (ws->target, ==, "wss://h/s?a=b");
  g_assert_cmpstr (fw_feed_spec_get_option (ws, "send"), ==, "hi");
  g_assert_cmpstr (ndjson->target, ==, "https://h/w?watch=1");
  g_assert_cmpstr (fw_feed_spec_get_option (ndjson, "max-line"), ==, "10");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ("/http-detect/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("ndjson", test_ndjson);
  ADD ("jsonl", test_jsonl);
  ADD ("pages", test_pages);
  ADD ("metrics", test_metrics);
  ADD ("sse", test_sse);
  ADD ("unknown-type", test_unknown_type);
  ADD ("http-error", test_http_error);
  ADD ("never-answers", test_never_answers);
  ADD ("late-server", test_late_server);
  ADD ("down-once", test_down_once);
  ADD ("retry-now", test_retry_now);
#undef ADD
  g_test_add_func ("/http-detect/content-types", test_content_types);
  g_test_add_func ("/http-detect/spec", test_spec);

  return g_test_run ();
}
