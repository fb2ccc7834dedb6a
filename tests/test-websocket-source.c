/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-websocket-source.c: `ws://` against a loopback SoupServer: text, JSON and binary
 * messages, the message sent on connect, reconnection, --once, the bounded queue, a refused
 * handshake, close while waiting. */

#include "fw-test-util.h"
#include "fw-test-server.h"

#include "sources/fw-websocket-source.h"

#include <libsoup/soup.h>
#include <string.h>

typedef struct
{
  SoupServer *server;
  char       *base;   /* ws://127.0.0.1:PORT */
  GPtrArray  *conns;  /* server side */
  guint       accepted;
} Fixture;

static void
on_server_message (SoupWebsocketConnection *conn,
                   int                      type,
                   GBytes                  *message,
                   gpointer                 user_data)
{
  g_autofree char *reply = g_strdup_printf ("ack: %.*s", (int) g_bytes_get_size (message),
                                            (const char *) g_bytes_get_data (message, NULL));
  soup_websocket_connection_send_text (conn, reply);
}

static void
on_websocket (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *conn,
              gpointer                 user_data)
{
  Fixture *f = user_data;

  f->accepted++;
  g_ptr_array_add (f->conns, g_object_ref (conn));

  if (g_str_equal (path, "/greet"))
    {
      guint8 bytes[100];

      for (guint i = 0; i < sizeof bytes; i++)
        bytes[i] = (guint8) i;
      soup_websocket_connection_send_text (conn, "hello");
      soup_websocket_connection_send_text (conn, "{\"level\":\"warn\",\"msg\":\"careful\",\"n\":3}");
      soup_websocket_connection_send_binary (conn, bytes, sizeof bytes);
      soup_websocket_connection_send_binary (conn, bytes, 2);
      soup_websocket_connection_send_text (conn, "{not json");
    }
  else if (g_str_equal (path, "/echo"))
    g_signal_connect (conn, "message", G_CALLBACK (on_server_message), NULL);
  else if (g_str_equal (path, "/bye"))
    {
      g_autofree char *text = g_strdup_printf ("bye %u", f->accepted);
      soup_websocket_connection_send_text (conn, text);
      soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_NORMAL, "done");
    }
  else if (g_str_equal (path, "/flood"))
    {
      for (guint i = 0; i < 20; i++)
        {
          g_autofree char *text = g_strdup_printf ("m%u", i);
          soup_websocket_connection_send_text (conn, text);
        }
    }
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->conns = g_ptr_array_new_with_free_func (g_object_unref);
  f->server = soup_server_new (NULL, NULL);
  soup_server_add_websocket_handler (f->server, NULL, NULL, NULL, on_websocket, f, NULL);
  f->base = g_strdup_printf ("ws://127.0.0.1:%u", fw_test_server_listen (f->server, 0));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  for (guint i = 0; i < f->conns->len; i++)
    {
      SoupWebsocketConnection *conn = f->conns->pdata[i];
      if (soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
    }
  fw_test_iterate_idle ();
  soup_server_disconnect (f->server);
  fw_test_iterate_idle ();
  g_ptr_array_unref (f->conns);
  g_clear_object (&f->server);
  g_free (f->base);
}

static FwStream *
open_feed (Fixture         *f,
           const char      *rest,
           FwFeedOpenFlags  flags)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup_printf ("%s%s", f->base, rest);
  FwStream *stream = fw_feed_open (text, flags, &error);

  g_assert_no_error (error);
  g_assert_true (FW_IS_WEBSOCKET_SOURCE (stream));
  return stream;
}

static void
assert_status (FwStream   *stream,
               const char *prefix)
{
  g_autoptr(FwItem) item = fw_test_next_item (stream);

  fw_test_assert_status (item, prefix);
}

static void
assert_text (FwStream   *stream,
             const char *text)
{
  g_autoptr(FwItem) item = fw_test_next_item (stream);

  g_assert_cmpint (item->kind, ==, FW_ITEM_MESSAGE);
  g_assert_cmpstr (item->text, ==, text);
}

static void
test_text_json_binary (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(FwStream) stream = open_feed (f, "/greet", 0);
  g_autoptr(FwItem) json = NULL;
  g_autoptr(FwItem) binary = NULL;
  g_autoptr(FwItem) small = NULL;
  g_autoptr(FwItem) broken = NULL;
  gint64 n = 0;

  assert_status (stream, "connected");
  assert_text (stream, "hello");

  json = fw_test_next_item (stream);
  g_assert_cmpint (json->kind, ==, FW_ITEM_MESSAGE);
  g_assert_cmpstr (json->text, ==, "careful");
  g_assert_cmpint (json->level, ==, FW_LEVEL_WARNING);
  g_assert_true (g_variant_lookup (json->fields, "n", "x", &n));
  g_assert_cmpint (n, ==, 3);

  binary = fw_test_next_item (stream);
  g_assert_true (binary->flags & FW_ITEM_FLAG_BINARY);
  g_assert_cmpstr (binary->text, ==,
                   "100 bytes: 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13 "
                   "14 15 16 17 18 19 1a 1b 1c 1d 1e 1f …");
  small = fw_test_next_item (stream);
  g_assert_cmpstr (small->text, ==, "2 bytes: 00 01");

  /* Text that is not JSON stays a plain message. */
  broken = fw_test_next_item (stream);
  g_assert_cmpint (broken->kind, ==, FW_ITEM_MESSAGE);
  g_assert_cmpstr (broken->text, ==, "{not json");
  g_assert_true (fw_test_close (stream, NULL));
}

static void
test_send_on_connect (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(FwStream) stream = open_feed (f, "/echo#send=subscribe%20ticker&keepalive=1", 0);

  assert_status (stream, "connected");
  assert_text (stream, "ack: subscribe ticker");
  g_assert_true (fw_test_close (stream, NULL));
}

static void
test_reconnect (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(FwStream) stream = open_feed (f, "/bye#retry=10&retry-max=40", 0);

  assert_status (stream, "connected");
  assert_text (stream, "bye 1");
  assert_status (stream, "retrying in ");
  assert_status (stream, "connected");
  assert_text (stream, "bye 2");
  g_assert_cmpuint (fw_websocket_source_get_n_connects (FW_WEBSOCKET_SOURCE (stream)), ==, 2);
  g_assert_true (fw_test_close (stream, NULL));
}

static void
test_once (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(FwStream) stream = open_feed (f, "/bye", FW_FEED_OPEN_ONCE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = fw_test_collect (stream, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpstr (((FwItem *) items->pdata[1])->text, ==, "bye 1");
  g_assert_cmpuint (f->accepted, ==, 1);
}

static gboolean
wake_up (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
test_bounded_queue (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(FwStream) stream = open_feed (f, "/flood#max-queue=5", 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batch = NULL;
  gint64 deadline = g_get_monotonic_time () + FW_TEST_DEADLINE_MS * 1000;
  guint tick = g_timeout_add (20, wake_up, NULL);

  assert_status (stream, "connected");
  /* Nobody reads: the messages arrive anyway (libsoup has no pause), the queue keeps 5. */
  while (fw_websocket_source_get_n_received (FW_WEBSOCKET_SOURCE (stream)) < 20)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (tick);
  g_assert_cmpuint (fw_websocket_source_get_n_dropped (FW_WEBSOCKET_SOURCE (stream)), ==, 15);

  batch = fw_test_next_batch (stream, 100, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (batch->len, ==, 6);
  g_assert_cmpint (((FwItem *) batch->pdata[0])->kind, ==, FW_ITEM_STATUS);
  g_assert_true (g_str_has_prefix (((FwItem *) batch->pdata[0])->text, "dropped 15 messages"));
  g_assert_cmpstr (((FwItem *) batch->pdata[1])->text, ==, "m15");
  g_assert_cmpstr (((FwItem *) batch->pdata[5])->text, ==, "m19");
  g_assert_true (fw_test_close (stream, NULL));
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  /* A plain HTTP server path that is no WebSocket: the handshake fails, the feed retries. */
  g_autoptr(SoupServer) plain = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = NULL;
  g_autofree char *text = NULL;

  text = g_strdup_printf ("ws://127.0.0.1:%u/none#retry=60000",
                          fw_test_server_listen (plain, 0));
  stream = fw_feed_open (text, 0, &error);
  g_assert_no_error (error);

  assert_status (stream, "retrying in 60 s: ");
  g_assert_true (fw_test_close (stream, NULL));
  soup_server_disconnect (plain);
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
test_close_while_waiting (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(FwStream) stream = open_feed (f, "/echo", 0);
  NextResult r = { 0 };

  assert_status (stream, "connected");
  fw_stream_next_async (stream, NULL, on_next, &r);
  fw_test_iterate_idle ();
  g_assert_false (r.done);
  fw_stream_close (stream);
  fw_test_wait_for (&r.done);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&r.error);
}

static void
test_idle_timeout (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(FwStream) stream = open_feed (f, "/echo#idle-timeout=300&retry=60000", 0);

  assert_status (stream, "connected");
  assert_status (stream, "idle for 0.3 s");
  assert_status (stream, "retrying in 60 s: no message for 0.3 s");
  g_assert_true (fw_test_close (stream, NULL));
}

static void
test_bad_url (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (fw_feed_open ("ws://", 0, &error));
  g_assert_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ("/websocket/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("text-json-binary", test_text_json_binary);
  ADD ("send-on-connect", test_send_on_connect);
  ADD ("reconnect", test_reconnect);
  ADD ("once", test_once);
  ADD ("bounded-queue", test_bounded_queue);
  ADD ("refused", test_refused);
  ADD ("close-while-waiting", test_close_while_waiting);
  ADD ("idle-timeout", test_idle_timeout);
#undef ADD
  g_test_add_func ("/websocket/bad-url", test_bad_url);

  return g_test_run ();
}
