/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-feed-state.c: status items carry a typed state and a level, for every network feed
 * (ndjson:, ws:, pages:, metrics:), whether it connects or must retry; the runner reads the
 * typed state; the reconnect helper honours Retry-After within the feed's cap. */

#include "fw-test-util.h"
#include "fw-test-server.h"

#include "sources/fw-reconnect.h"

#include <libsoup/soup.h>
#include <string.h>

static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  const char *type = "application/json";
  const char *body = "{\"results\":[{\"id\":1,\"msg\":\"record\"}]}";

  if (g_str_equal (path, "/busy"))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", "2");
      soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      return;
    }
  if (g_str_equal (path, "/metrics"))
    {
      type = "text/plain; version=0.0.4";
      body = "# TYPE up gauge\nup 1\n";
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, type, SOUP_MEMORY_COPY, body, strlen (body));
}

/* A loopback port nobody listens on: a connection there is refused. */
static guint16
closed_port (GSocket **out_socket)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  *out_socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                              G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (*out_socket, any, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (*out_socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static FwItem *
first_item (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = fw_feed_open (text, 0, &error);
  FwItem *item;

  g_assert_no_error (error);
  item = fw_test_next_item (stream);
  g_assert_true (fw_test_close (stream, NULL));
  return item;
}

static void
assert_state (const FwItem *item,
              FwFeedState   state,
              FwLevel       level,
              const char   *prefix)
{
  fw_test_assert_status (item, prefix);
  g_assert_cmpint (fw_item_get_feed_state (item), ==, state);
  g_assert_cmpstr (item->name, ==, fw_feed_state_to_string (state));
  g_assert_cmpint (item->level, ==, level);
  g_assert_cmpint (fw_feed_state_from_status (item), ==, state);
}

/* Each network kind: "connected" is live (info), a refused connection is retrying (warning). */
static void
test_network_kinds (void)
{
  static const struct { const char *kind; const char *path; } kinds[] = {
    { "ndjson:http", "/lines" },
    { "ws", "/ws" },
    { "pages:http", "/json" },
    { "metrics:http", "/metrics" },
  };
  g_autoptr(FwNumberedServer) numbered = fw_numbered_server_new (10);
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GSocket) socket = NULL;
  guint16 down = closed_port (&socket);
  guint16 up;

  soup_server_add_handler (server, NULL, on_request, NULL, NULL);
  up = fw_test_server_listen (server, 0);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      gboolean numbered_kind = g_str_equal (kinds[i].path, "/lines") ||
                               g_str_equal (kinds[i].path, "/ws");
      guint16 port = numbered_kind ? fw_numbered_server_get_port (numbered) : up;
      g_autofree char *live_text = g_strdup_printf ("%s://127.0.0.1:%u%s", kinds[i].kind, port,
                                                    kinds[i].path);
      g_autofree char *down_text = g_strdup_printf ("%s://127.0.0.1:%u%s#retry=5000",
                                                    kinds[i].kind, down, kinds[i].path);
      g_autoptr(FwItem) live = first_item (live_text);
      g_autoptr(FwItem) retrying = first_item (down_text);

      g_test_message ("%s: %s; %s", kinds[i].kind, live->text, retrying->text);
      assert_state (live, FW_FEED_STATE_LIVE, FW_LEVEL_INFO, "connected");
      assert_state (retrying, FW_FEED_STATE_RETRYING, FW_LEVEL_WARNING, "retrying in 5 s: ");
    }

  soup_server_disconnect (server);
  fw_test_iterate_idle ();
}

/* A note (no state) stays a note; an item that is not a status has no state. */
static void
test_notes (void)
{
  g_autoptr(GRefString) feed = fw_ref_string_intern ("feed");
  g_autoptr(FwItem) note = fw_feed_status_new (feed, FW_FEED_STATE_IDLE, FW_LEVEL_WARNING,
                                               "the redirect left the header out");
  g_autoptr(FwItem) line = fw_item_new (FW_ITEM_LINE, feed, 0, "retrying", -1);
  g_autoptr(FwItem) failed = fw_feed_status_new_printf (feed, FW_FEED_STATE_FAILED,
                                                        FW_LEVEL_ERROR, "gone: %d", 3);
  GObjectClass *klass;

  g_assert_null (note->name);
  g_assert_cmpint (note->level, ==, FW_LEVEL_WARNING);
  g_assert_cmpint (fw_item_get_feed_state (note), ==, FW_FEED_STATE_IDLE);
  g_assert_cmpint (fw_item_get_feed_state (line), ==, FW_FEED_STATE_IDLE);
  g_assert_cmpstr (failed->text, ==, "gone: 3");
  g_assert_cmpint (fw_item_get_feed_state (failed), ==, FW_FEED_STATE_FAILED);
  /* The runner's property is the enum, with its GType. */
  g_assert_true (G_TYPE_IS_ENUM (FW_TYPE_FEED_STATE));
  klass = g_type_class_ref (FW_TYPE_FEED_RUNNER);
  g_assert_true (G_PARAM_SPEC_VALUE_TYPE (g_object_class_find_property (klass, "state")) ==
                 FW_TYPE_FEED_STATE);
  g_type_class_unref (klass);
}

static double
zero (gpointer user_data)
{
  return 0.0;
}

/* Retry-After (seconds or a date) lengthens the next delay, never past the cap; it is used once. */
static void
test_retry_after (void)
{
  g_autoptr(GRefString) feed = fw_ref_string_intern ("feed");
  g_autoptr(FwReconnect) reconnect = fw_reconnect_new (1000, 10000, FALSE);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 1000);
  g_autofree char *date = NULL;
  FwItem *item;

  fw_backoff_set_random (fw_reconnect_get_backoff (reconnect), zero, NULL);

  soup_message_headers_replace (headers, "Retry-After", "7");
  fw_reconnect_note_response (reconnect, headers);
  item = fw_reconnect_schedule (reconnect, feed, FW_LEVEL_WARNING, "retrying", "HTTP 503");
  g_assert_cmpstr (item->text, ==, "retrying in 7 s: HTTP 503");
  g_assert_true (fw_reconnect_is_waiting (reconnect));
  fw_item_unref (item);

  /* Without it, the backoff's own delay again (the base, as r is 0). */
  item = fw_reconnect_schedule (reconnect, feed, FW_LEVEL_WARNING, "retrying", "HTTP 503");
  g_assert_cmpstr (item->text, ==, "retrying in 1 s: HTTP 503");
  fw_item_unref (item);

  date = soup_date_time_to_string (later, SOUP_DATE_HTTP);
  soup_message_headers_replace (headers, "Retry-After", date);
  fw_reconnect_note_response (reconnect, headers);
  item = fw_reconnect_schedule (reconnect, feed, FW_LEVEL_WARNING, "retrying", "HTTP 429");
  g_assert_cmpstr (item->text, ==, "retrying in 10 s: HTTP 429");
  fw_item_unref (item);

  fw_reconnect_succeeded (reconnect);
  g_assert_false (fw_reconnect_is_waiting (reconnect));
  g_assert_cmpint (fw_reconnect_get_due (reconnect), ==, 0);
}

/* Each network kind reads Retry-After from the failed response (a WebSocket from the refused
 * handshake): 2 s, not the 100 ms of `retry`. */
static void
test_retry_after_sources (void)
{
  static const struct { const char *kind; const char *options; const char *prefix; } kinds[] = {
    { "ndjson:http", "", "retrying in 2 s: HTTP 503 Service Unavailable" },
    { "pages:http", "", "retrying in 2 s: HTTP 503 Service Unavailable" },
    { "metrics:http", "", "retrying in 2 s: HTTP 503 Service Unavailable" },
    /* an event stream retries a server error only when told to (the spec fails it) */
    { "sse:http", "&retry-on=5xx", "retrying in 2 s: HTTP 503 Service Unavailable" },
    { "http", "", "retrying in 2 s: HTTP 503 Service Unavailable" },
    { "ws", "", "retrying in 2 s: the server refused the WebSocket handshake: HTTP 503" },
  };
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  guint16 port;

  soup_server_add_handler (server, NULL, on_request, NULL, NULL);
  port = fw_test_server_listen (server, 0);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *text = g_strdup_printf ("%s://127.0.0.1:%u/busy#retry=100%s",
                                               kinds[i].kind, port, kinds[i].options);
      g_autoptr(GError) error = NULL;
      g_autoptr(FwStream) stream = fw_feed_open (text, 0, &error);
      g_autoptr(FwItem) item = NULL;

      g_assert_no_error (error);
      /* sse: says it connects first */
      item = fw_test_next_item (stream);
      while (fw_item_get_feed_state (item) == FW_FEED_STATE_CONNECTING)
        {
          fw_item_unref (item);
          item = fw_test_next_item (stream);
        }
      g_test_message ("%s: %s", kinds[i].kind, item->text);
      assert_state (item, FW_FEED_STATE_RETRYING, FW_LEVEL_WARNING, kinds[i].prefix);
      g_assert_true (fw_test_close (stream, NULL));
    }

  soup_server_disconnect (server);
  fw_test_iterate_idle ();
}

static void
test_delay_text (void)
{
  static const struct { guint ms; gboolean short_in_ms; const char *text; } cases[] = {
    { 300, TRUE, "300 ms" }, { 300, FALSE, "0.3 s" }, { 3000, TRUE, "3 s" },
    { 2500, FALSE, "2.5 s" }, { 60000, FALSE, "60 s" }, { 0, TRUE, "0 ms" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = fw_units_format_delay (cases[i].ms, cases[i].short_in_ms);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/feed-state/network-kinds", test_network_kinds);
  g_test_add_func ("/feed-state/notes", test_notes);
  g_test_add_func ("/feed-state/retry-after", test_retry_after);
  g_test_add_func ("/feed-state/retry-after-sources", test_retry_after_sources);
  g_test_add_func ("/feed-state/delay-text", test_delay_text);

  return g_test_run ();
}
