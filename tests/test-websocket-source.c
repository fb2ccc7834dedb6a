/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-websocket-source.c: `ws://` and `wss://`. Against a loopback SoupServer as the peer:
 * text, JSON and binary messages (the whole payload kept), the message sent on connect,
 * reconnection (our close frame echoing the server's), --once (and its failures: refused, a
 * 404), a flood read without a drop, a refused handshake, the subprotocol, the feed's headers,
 * close while waiting, the idle timeout, TLS verified and insecure. Against a raw server of our
 * own, in a thread doing the handshake itself: the request as sent, pings answered inside a
 * fragmented message, keepalive pings, the server's close (under --once: which codes end and
 * which fail), U+0000 kept, a message over max-message dropped with the connection kept, each
 * protocol error answered with its close code, bad handshakes; backpressure: the server writes
 * until TCP blocks it while nobody pulls, and every message arrives once, in order, when the
 * reader comes back; and a stalled reader: pings still answered, the messages kept bounded,
 * the dropped ones counted in a warning. */

#include "fw-test-util.h"
#include "fw-test-server.h"

#include "sources/fw-websocket-frame.h"
#include "sources/fw-websocket-source.h"
#include "sources/fw-websocket-source-private.h"

#include <libsoup/soup.h>
#include <string.h>
#include <sys/socket.h>

/* A self-signed certificate for 127.0.0.1 (100 years), for the TLS tests only. */
/* ---------------------------------------------------------------------------------------- */
/* Against a SoupServer */

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
  else if (g_str_equal (path, "/headers"))
    {
      SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
      g_autofree char *text =
        g_strdup_printf ("token=%s agent=%s", soup_message_headers_get_one (headers, "X-Token"),
                         soup_message_headers_get_one (headers, "User-Agent"));
      soup_websocket_connection_send_text (conn, text);
    }
  else if (g_str_equal (path, "/chat"))
    soup_websocket_connection_send_text (conn, soup_websocket_connection_get_protocol (conn));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  char *protocols[] = { (char *) "chat", NULL };

  f->conns = g_ptr_array_new_with_free_func (g_object_unref);
  f->server = soup_server_new (NULL, NULL);
  soup_server_add_websocket_handler (f->server, "/chat", NULL, protocols, on_websocket, f,
                                     NULL);
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

/* The whole payload is in the item's fields: 0, 1, 2, … */
static void
assert_binary_data (FwItem *item,
                    gsize   expected_len)
{
  g_autoptr(GVariant) data = NULL;
  const guint8 *bytes;
  gsize len = 0;

  g_assert_nonnull (item->fields);
  data = g_variant_lookup_value (item->fields, "data", G_VARIANT_TYPE_BYTESTRING);
  g_assert_nonnull (data);
  bytes = g_variant_get_fixed_array (data, &len, 1);
  g_assert_cmpuint (len, ==, expected_len);
  for (gsize i = 0; i < len; i++)
    g_assert_cmpuint (bytes[i], ==, i);
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
  assert_binary_data (binary, 100);
  small = fw_test_next_item (stream);
  g_assert_cmpstr (small->text, ==, "2 bytes: 00 01");
  assert_binary_data (small, 2);

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

static gboolean
server_conns_closed (gpointer user_data)
{
  Fixture *f = user_data;

  for (guint i = 0; i < f->conns->len; i++)
    {
      if (soup_websocket_connection_get_state (f->conns->pdata[i]) != SOUP_WEBSOCKET_STATE_CLOSED)
        return FALSE;
    }
  return TRUE;
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

  /* The server's close was answered with its own code: a clean close on both. */
  fw_test_wait_until (server_conns_closed, f, "the server's connections to close");
  for (guint i = 0; i < f->conns->len; i++)
    g_assert_cmpuint (soup_websocket_connection_get_close_code (f->conns->pdata[i]), ==,
                      SOUP_WEBSOCKET_CLOSE_NORMAL);
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

/* A reader that reads gets every message, in order. */
static void
test_no_drops (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(FwStream) stream = open_feed (f, "/flood", 0);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);

  assert_status (stream, "connected");
  while (items->len < 20)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) batch = fw_test_next_batch (stream, 100, NULL, &error);

      g_assert_no_error (error);
      for (guint i = 0; i < batch->len; i++)
        g_ptr_array_add (items, fw_item_ref (batch->pdata[i]));
    }
  g_assert_cmpuint (items->len, ==, 20);
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *text = g_strdup_printf ("m%u", i);

      g_assert_cmpint (((FwItem *) items->pdata[i])->kind, ==, FW_ITEM_MESSAGE);
      g_assert_cmpstr (((FwItem *) items->pdata[i])->text, ==, text);
    }
  g_assert_cmpuint (fw_websocket_source_get_n_dropped (FW_WEBSOCKET_SOURCE (stream)), ==, 0);
  g_assert_cmpuint (fw_websocket_source_get_n_received (FW_WEBSOCKET_SOURCE (stream)), ==, 20);
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
  g_autoptr(FwItem) item = NULL;
  g_autofree char *text = NULL;

  text = g_strdup_printf ("ws://127.0.0.1:%u/none#retry=60000",
                          fw_test_server_listen (plain, 0));
  stream = fw_feed_open (text, 0, &error);
  g_assert_no_error (error);

  /* The status in words, as the HTTP feeds say it. */
  item = fw_test_next_item (stream);
  fw_test_assert_status (item, "retrying in 60 s: the server refused the WebSocket handshake: "
                         "HTTP 404 Not Found");
  g_assert_true (fw_test_close (stream, NULL));
  soup_server_disconnect (plain);
}

/* Under --once a feed that cannot connect fails, saying why: it does not end as if it had
 * read everything. */
static void
test_once_refused (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(SoupServer) plain = soup_server_new (NULL, NULL);
  g_autoptr(GSocket) unused = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GError) error = NULL;
  struct { char *url; const char *words; } cases[2];

  cases[0].url = g_strdup_printf ("ws://127.0.0.1:%u/none", fw_test_server_listen (plain, 0));
  cases[0].words = "the server refused the WebSocket handshake: HTTP 404 Not Found";
  /* A port nobody listens on: bound, never listening */
  unused = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (unused, address, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (unused, &error);
  g_assert_no_error (error);
  cases[1].url = g_strdup_printf ("ws://127.0.0.1:%u/x",
                                  g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  cases[1].words = "refused";

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(FwStream) stream = fw_feed_open (cases[i].url, FW_FEED_OPEN_ONCE, &error);
      g_autoptr(GPtrArray) items = NULL;

      g_assert_no_error (error);
      items = fw_test_collect (stream, &error);
      g_assert_null (items);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
      g_test_message ("%s: %s", cases[i].url, error->message);
      g_assert_nonnull (strstr (error->message, cases[i].words));
      g_clear_error (&error);
      g_free (cases[i].url);
    }
  soup_server_disconnect (plain);
}

static void
test_subprotocol (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(FwStream) chat = open_feed (f, "/chat#protocol=chat", 0);
  g_autoptr(FwStream) other = open_feed (f, "/chat#protocol=other&retry=60000", 0);

  assert_status (chat, "connected");
  assert_text (chat, "chat");
  g_assert_true (fw_test_close (chat, NULL));

  assert_status (other, "retrying in 60 s: the server refused the WebSocket handshake: HTTP 400");
  g_assert_true (fw_test_close (other, NULL));
}

static void
test_headers (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(FwStream) stream = open_feed (f, "/headers#header.X-Token=abc%20def", 0);

  assert_status (stream, "connected");
  assert_text (stream, "token=abc def agent=Feedwatch");
  g_assert_true (fw_test_close (stream, NULL));
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

  /* The server was told: going away. */
  fw_test_wait_until (server_conns_closed, f, "the server's connection to close");
  g_assert_cmpuint (soup_websocket_connection_get_close_code (f->conns->pdata[0]), ==,
                    SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
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
  const char *bad[] = {
    "ws://",
    "ws://127.0.0.1/x#keepalive=often",
    "ws://127.0.0.1/x#max-message=big",
    "ws://127.0.0.1/x#protocol=two%20words",
    "ws://127.0.0.1/x#header.X=a%0Ab",
    "ws://127.0.0.1/x#insecure=maybe",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (fw_feed_open (bad[i], 0, &error));
      g_assert_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID);
      g_test_message ("%s: %s", bad[i], error->message);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* TLS, against a SoupServer with a self-signed certificate */

typedef struct
{
  SoupServer *server;
  char       *base;
} TlsServer;

static void
on_tls_websocket (SoupServer              *server,
                  SoupServerMessage       *msg,
                  const char              *path,
                  SoupWebsocketConnection *conn,
                  gpointer                 user_data)
{
  soup_websocket_connection_send_text (conn, "secret hello");
  soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_ptr_array_add (user_data, g_object_ref (conn));
}

static FwStream *
open_tls_feed (GPtrArray  *conns,
               SoupServer **out_server,
               const char  *options,
               FwFeedOpenFlags flags)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = fw_test_localhost_certificate (&error);
  g_autofree char *text = NULL;
  FwStream *stream;
  guint16 port;

  g_assert_no_error (error);
  *out_server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_websocket_handler (*out_server, NULL, NULL, NULL, on_tls_websocket, conns,
                                     NULL);
  port = fw_test_server_listen (*out_server, SOUP_SERVER_LISTEN_HTTPS);
  text = g_strdup_printf ("wss://127.0.0.1:%u/tls%s", port, options);
  stream = fw_feed_open (text, flags, &error);
  g_assert_no_error (error);
  return stream;
}

static void
test_tls_verified (void)
{
  g_autoptr(GPtrArray) conns = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(FwStream) stream = open_tls_feed (conns, &server, "#retry=1", 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = fw_test_collect (stream, &error);

  /* A bad certificate is a clear error that names the way out, and is not retried. */
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  g_assert_nonnull (strstr (error->message, "TLS certificate of 127.0.0.1 is not valid"));
  g_assert_nonnull (strstr (error->message, "insecure=1"));
  g_assert_null (items);
  g_assert_cmpuint (conns->len, ==, 0);
  soup_server_disconnect (server);
}

static void
test_tls_insecure (void)
{
  g_autoptr(GPtrArray) conns = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(FwStream) stream = open_tls_feed (conns, &server, "#insecure=1",
                                              FW_FEED_OPEN_ONCE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = fw_test_collect (stream, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);
  fw_test_assert_status (items->pdata[0], "connected");
  g_assert_cmpstr (((FwItem *) items->pdata[1])->text, ==, "secret hello");
  soup_server_disconnect (server);
}

/* ---------------------------------------------------------------------------------------- */
/* Against a raw server: a thread with blocking sockets that does the handshake itself, so a
 * test controls every byte, and can write without reading. */

typedef enum
{
  RAW_GOOD,
  RAW_GOOD_WITH_PROTOCOL,
  RAW_BAD_ACCEPT,
  RAW_HUGE_HEAD,
  RAW_FORBIDDEN,
} RawResponse;

typedef struct
{
  guint8  opcode;
  GBytes *payload;
} RawFrame;

typedef struct
{
  GSocket      *listener;
  guint16       port;
  GThread      *thread;
  GCancellable *cancellable;
  GMainContext *context;       /* the test's, woken at each change */

  /* What to do, set before the client connects */
  RawResponse   response;
  GBytes       *after;         /* sent right after the head */
  guint         flood_messages;
  gsize         flood_size;
  guint64       ping_flood;    /* bytes of pings to send, never reading the answers */

  /* What happened, under the lock */
  GMutex        lock;
  char         *request;
  GPtrArray    *frames;        /* RawFrame, the client's, all masked */
  guint         n_accepted;
  guint64       written;       /* flood bytes sent */
  guint64       written_at_first_block;
  guint         n_blocks;
  gboolean      blocked;       /* the flood's last write would block */
  gboolean      flood_done;
  gboolean      unmasked_frame;
} RawServer;

static void
raw_frame_free (gpointer p)
{
  RawFrame *frame = p;

  g_bytes_unref (frame->payload);
  g_free (frame);
}

static void
raw_changed (RawServer *rs)
{
  g_main_context_wakeup (rs->context);
}

static gboolean
recv_exact (RawServer *rs,
            GSocket   *sock,
            guint8    *buf,
            gsize      len)
{
  gsize got = 0;

  while (got < len)
    {
      gssize n = g_socket_receive (sock, (char *) buf + got, len - got, rs->cancellable, NULL);

      if (n <= 0)
        return FALSE;
      got += (gsize) n;
    }
  return TRUE;
}

static gboolean
send_all (RawServer    *rs,
          GSocket      *sock,
          const guint8 *data,
          gsize         len)
{
  while (len > 0)
    {
      gssize n = g_socket_send (sock, (const char *) data, len, rs->cancellable, NULL);

      if (n <= 0)
        return FALSE;
      data += n;
      len -= (gsize) n;
    }
  return TRUE;
}

static char *
header_value (const char *head,
              const char *name)
{
  g_auto(GStrv) lines = g_strsplit (head, "\r\n", -1);

  for (guint i = 1; lines[i] != NULL; i++)
    {
      char *colon = strchr (lines[i], ':');

      if (colon != NULL && (gsize) (colon - lines[i]) == strlen (name) &&
          g_ascii_strncasecmp (lines[i], name, strlen (name)) == 0)
        return g_strstrip (g_strdup (colon + 1));
    }
  return NULL;
}

/* The client's frames until its close frame or the end of the connection. */
static void
raw_read_frames (RawServer *rs,
                 GSocket   *sock)
{
  for (;;)
    {
      guint8 b[2], ext[8], mask[4];
      guint64 len;
      guint8 *payload;
      RawFrame *frame;

      if (!recv_exact (rs, sock, b, 2))
        return;
      len = b[1] & 0x7f;
      if (len >= 126)
        {
          guint n = len == 126 ? 2 : 8;

          if (!recv_exact (rs, sock, ext, n))
            return;
          len = 0;
          for (guint i = 0; i < n; i++)
            len = (len << 8) | ext[i];
        }
      g_assert_cmpuint (len, <=, 1024 * 1024);
      if (!(b[1] & 0x80))
        {
          g_mutex_lock (&rs->lock);
          rs->unmasked_frame = TRUE;
          g_mutex_unlock (&rs->lock);
          memset (mask, 0, sizeof mask);
        }
      else if (!recv_exact (rs, sock, mask, 4))
        return;
      payload = g_malloc (MAX (len, 1));
      if (!recv_exact (rs, sock, payload, len))
        {
          g_free (payload);
          return;
        }
      for (gsize i = 0; i < len; i++)
        payload[i] ^= mask[i & 3];

      frame = g_new0 (RawFrame, 1);
      frame->opcode = b[0] & 0x0f;
      frame->payload = g_bytes_new_take (payload, len);
      g_mutex_lock (&rs->lock);
      g_ptr_array_add (rs->frames, frame);
      g_mutex_unlock (&rs->lock);
      raw_changed (rs);

      /* After the client's close, a server closes the TCP connection. */
      if ((b[0] & 0x0f) == FW_WEBSOCKET_OPCODE_CLOSE)
        return;
    }
}

/* Numbered text messages, as fast as TCP takes them: the socket is non-blocking, and a write
 * that would block waits for room (the reader's window to open). */
static void
raw_flood (RawServer *rs,
           GSocket   *sock)
{
  g_autoptr(GByteArray) chunk = g_byte_array_new ();
  g_autofree char *payload = g_malloc (rs->flood_size);
  guint next = 0;
  gsize offset = 0;

  memset (payload, 'x', rs->flood_size);
  g_socket_set_blocking (sock, FALSE);
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gssize n;

      if (offset == chunk->len)
        {
          if (next == rs->flood_messages)
            break;
          g_byte_array_set_size (chunk, 0);
          offset = 0;
          while (next < rs->flood_messages && chunk->len < 256 * 1024)
            {
              char number[16];

              g_snprintf (number, sizeof number, "%08u", next++);
              memcpy (payload, number, 8);
              fw_websocket_append_frame (chunk, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_TEXT,
                                         NULL, (const guint8 *) payload, rs->flood_size);
            }
        }

      n = g_socket_send (sock, (const char *) chunk->data + offset, chunk->len - offset, NULL,
                         &error);
      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          g_mutex_lock (&rs->lock);
          if (rs->n_blocks++ == 0)
            rs->written_at_first_block = rs->written;
          rs->blocked = TRUE;
          g_mutex_unlock (&rs->lock);
          raw_changed (rs);
          g_clear_error (&error);
          if (!g_socket_condition_wait (sock, G_IO_OUT, rs->cancellable, NULL))
            return;
          g_mutex_lock (&rs->lock);
          rs->blocked = FALSE;
          g_mutex_unlock (&rs->lock);
          continue;
        }
      if (n < 0)
        return;
      offset += (gsize) n;
      g_mutex_lock (&rs->lock);
      rs->written += (guint64) n;
      g_mutex_unlock (&rs->lock);
    }
  g_socket_set_blocking (sock, TRUE);
  g_mutex_lock (&rs->lock);
  rs->flood_done = TRUE;
  g_mutex_unlock (&rs->lock);
  raw_changed (rs);
}

/* Pings of 125 bytes, as fast as TCP takes them, and not one byte read: the client's pongs
 * pile up in its socket's buffers, then in its own queue. Then waits for the end of the test
 * (or of the connection), still without reading. */
static void
raw_ping_flood (RawServer *rs,
                GSocket   *sock)
{
  g_autoptr(GByteArray) chunk = g_byte_array_new ();
  guint8 payload[125];
  guint64 sent = 0;

  memset (payload, 'p', sizeof payload);
  while (chunk->len < 256 * 1024)
    fw_websocket_append_frame (chunk, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_PING, NULL,
                               payload, sizeof payload);
  while (sent < rs->ping_flood && send_all (rs, sock, chunk->data, chunk->len))
    {
      sent += chunk->len;
      g_mutex_lock (&rs->lock);
      rs->written = sent;
      g_mutex_unlock (&rs->lock);
    }
  g_mutex_lock (&rs->lock);
  rs->flood_done = TRUE;
  g_mutex_unlock (&rs->lock);
  raw_changed (rs);
  g_socket_condition_wait (sock, G_IO_ERR | G_IO_HUP, rs->cancellable, NULL);
}

static void
raw_serve (RawServer *rs,
           GSocket   *sock)
{
  g_autoptr(GString) head = g_string_new (NULL);
  g_autoptr(GString) response = g_string_new (NULL);
  g_autofree char *key = NULL;
  g_autofree char *accept = NULL;
  char *end;

  while ((end = strstr (head->str, "\r\n\r\n")) == NULL)
    {
      char buf[4096];
      gssize n = g_socket_receive (sock, buf, sizeof buf, rs->cancellable, NULL);

      if (n <= 0)
        return;
      g_string_append_len (head, buf, n);
    }
  /* The client sends nothing before the 101: the head is all there is. */
  g_assert_cmpuint (end + 4 - head->str, ==, head->len);

  g_mutex_lock (&rs->lock);
  g_free (rs->request);
  rs->request = g_strdup (head->str);
  g_mutex_unlock (&rs->lock);
  raw_changed (rs);

  key = header_value (head->str, "Sec-WebSocket-Key");
  accept = fw_websocket_compute_accept (key != NULL ? key : "");
  switch (rs->response)
    {
    case RAW_GOOD:
    case RAW_GOOD_WITH_PROTOCOL:
    case RAW_HUGE_HEAD:
      g_string_append_printf (response, "HTTP/1.1 101 Switching Protocols\r\n"
                              "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                              "Sec-WebSocket-Accept: %s\r\n", accept);
      if (rs->response == RAW_GOOD_WITH_PROTOCOL)
        g_string_append (response, "Sec-WebSocket-Protocol: chat\r\n");
      if (rs->response == RAW_HUGE_HEAD)
        for (guint i = 0; i < 400; i++)
          g_string_append_printf (response, "X-Filler-%u: %050u\r\n", i, i);
      break;
    case RAW_BAD_ACCEPT:
      g_string_append (response, "HTTP/1.1 101 Switching Protocols\r\n"
                       "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                       "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n");
      break;
    case RAW_FORBIDDEN:
    default:
      g_string_append (response, "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n");
      break;
    }
  g_string_append (response, "\r\n");
  if (rs->after != NULL)
    g_string_append_len (response, g_bytes_get_data (rs->after, NULL),
                         g_bytes_get_size (rs->after));
  if (!send_all (rs, sock, (const guint8 *) response->str, response->len))
    return;

  if (rs->ping_flood > 0)
    {
      raw_ping_flood (rs, sock);
      return;
    }
  if (rs->flood_messages > 0)
    raw_flood (rs, sock);
  raw_read_frames (rs, sock);
}

static gpointer
raw_server_run (gpointer data)
{
  RawServer *rs = data;

  for (;;)
    {
      g_autoptr(GSocket) sock = g_socket_accept (rs->listener, rs->cancellable, NULL);

      if (sock == NULL)
        break;
      g_mutex_lock (&rs->lock);
      rs->n_accepted++;
      g_mutex_unlock (&rs->lock);
      raw_serve (rs, sock);
      g_socket_close (sock, NULL);
      raw_changed (rs);
    }
  return NULL;
}

static RawServer *
raw_server_new (RawResponse  response,
                GByteArray  *after)
{
  RawServer *rs = g_new0 (RawServer, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_mutex_init (&rs->lock);
  rs->response = response;
  rs->after = after != NULL ? g_bytes_new (after->data, after->len) : NULL;
  rs->frames = g_ptr_array_new_with_free_func (raw_frame_free);
  rs->cancellable = g_cancellable_new ();
  rs->context = g_main_context_ref_thread_default ();
  rs->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                               G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (rs->listener, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (rs->listener, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (rs->listener, &error);
  g_assert_no_error (error);
  rs->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return rs;
}

static void
raw_server_start (RawServer *rs)
{
  rs->thread = g_thread_new ("raw-websocket-server", raw_server_run, rs);
}

static void
raw_server_free (RawServer *rs)
{
  g_cancellable_cancel (rs->cancellable);
  if (rs->thread != NULL)
    g_thread_join (rs->thread);
  g_socket_close (rs->listener, NULL);
  g_object_unref (rs->listener);
  g_object_unref (rs->cancellable);
  g_main_context_unref (rs->context);
  g_clear_pointer (&rs->after, g_bytes_unref);
  g_ptr_array_unref (rs->frames);
  g_free (rs->request);
  g_mutex_clear (&rs->lock);
  g_free (rs);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RawServer, raw_server_free)

static FwStream *
raw_open_with_flags (RawServer       *rs,
                     const char      *rest,
                     FwFeedOpenFlags  flags)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup_printf ("ws://127.0.0.1:%u%s", rs->port, rest);
  FwStream *stream = fw_feed_open (text, flags, &error);

  g_assert_no_error (error);
  if (rs->thread == NULL)
    raw_server_start (rs);
  return stream;
}

static FwStream *
raw_open (RawServer  *rs,
          const char *rest)
{
  return raw_open_with_flags (rs, rest, 0);
}

typedef struct
{
  RawServer *rs;
  guint8     opcode;
} FrameWait;

static gboolean
raw_has_frame (gpointer user_data)
{
  FrameWait *wait = user_data;
  gboolean found = FALSE;

  g_mutex_lock (&wait->rs->lock);
  for (guint i = 0; i < wait->rs->frames->len && !found; i++)
    found = ((RawFrame *) wait->rs->frames->pdata[i])->opcode == wait->opcode;
  g_mutex_unlock (&wait->rs->lock);
  return found;
}

/* The first frame of the client with @opcode, once it arrived (transfer none: the server
 * keeps it until freed). */
static RawFrame *
raw_wait_for_frame (RawServer *rs,
                    guint8     opcode)
{
  FrameWait wait = { rs, opcode };
  RawFrame *found = NULL;

  fw_test_wait_until (raw_has_frame, &wait, "a frame from the client");
  g_mutex_lock (&rs->lock);
  for (guint i = 0; i < rs->frames->len && found == NULL; i++)
    if (((RawFrame *) rs->frames->pdata[i])->opcode == opcode)
      found = rs->frames->pdata[i];
  g_mutex_unlock (&rs->lock);
  return found;
}

static guint
close_code_of (RawFrame *frame)
{
  const guint8 *p = g_bytes_get_data (frame->payload, NULL);

  g_assert_cmpuint (g_bytes_get_size (frame->payload), >=, 2);
  return ((guint) p[0] << 8) | p[1];
}

static void
add_server_frame (GByteArray *out,
                  guint8      first_byte,
                  const char *payload)
{
  fw_websocket_append_frame (out, first_byte, NULL, (const guint8 *) payload, strlen (payload));
}

/* The request as it goes out: a GET upgrade with every header RFC 6455 asks for, the feed's
 * own, and the `send` text after it, masked. */
static void
test_raw_request (void)
{
  g_autoptr(GByteArray) after = g_byte_array_new ();
  g_autoptr(RawServer) rs = NULL;
  g_autoptr(FwStream) stream = NULL;
  g_autofree char *host = NULL;
  g_autofree char *key = NULL;
  g_autofree char *version = NULL;
  g_autofree char *protocol = NULL;
  g_autofree char *token = NULL;
  g_autofree guchar *nonce = NULL;
  RawFrame *sent;
  gsize nonce_len = 0;

  add_server_frame (after, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_TEXT, "welcome");
  rs = raw_server_new (RAW_GOOD_WITH_PROTOCOL, after);
  stream = raw_open (rs, "/path/x?q=1&r=%20#protocol=chat&header.X-Token=abc&send=sub");

  assert_status (stream, "connected");
  assert_text (stream, "welcome");
  sent = raw_wait_for_frame (rs, FW_WEBSOCKET_OPCODE_TEXT);
  g_assert_cmpmem (g_bytes_get_data (sent->payload, NULL), g_bytes_get_size (sent->payload),
                   "sub", 3);
  g_assert_false (rs->unmasked_frame);

  g_mutex_lock (&rs->lock);
  g_test_message ("request:\n%s", rs->request);
  g_assert_true (g_str_has_prefix (rs->request, "GET /path/x?q=1&r=%20 HTTP/1.1\r\n"));
  host = header_value (rs->request, "Host");
  key = header_value (rs->request, "Sec-WebSocket-Key");
  version = header_value (rs->request, "Sec-WebSocket-Version");
  protocol = header_value (rs->request, "Sec-WebSocket-Protocol");
  token = header_value (rs->request, "X-Token");
  g_assert_nonnull (strstr (rs->request, "\r\nUpgrade: websocket\r\n"));
  g_assert_nonnull (strstr (rs->request, "\r\nConnection: Upgrade\r\n"));
  g_mutex_unlock (&rs->lock);
  {
    g_autofree char *expected_host = g_strdup_printf ("127.0.0.1:%u", rs->port);
    g_assert_cmpstr (host, ==, expected_host);
  }
  nonce = g_base64_decode (key, &nonce_len);
  g_assert_cmpuint (nonce_len, ==, 16);
  g_assert_cmpstr (version, ==, "13");
  g_assert_cmpstr (protocol, ==, "chat");
  g_assert_cmpstr (token, ==, "abc");
  g_assert_true (fw_test_close (stream, NULL));
}

/* A ping inside a fragmented message is answered with its payload, and the message comes
 * whole. */
static void
test_raw_ping_in_fragments (void)
{
  g_autoptr(GByteArray) after = g_byte_array_new ();
  g_autoptr(RawServer) rs = NULL;
  g_autoptr(FwStream) stream = NULL;
  RawFrame *pong;

  add_server_frame (after, FW_WEBSOCKET_OPCODE_TEXT, "caf\xc3");
  add_server_frame (after, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_PING, "p1");
  add_server_frame (after, FW_WEBSOCKET_OPCODE_CONTINUATION, "\xa9 au ");
  add_server_frame (after, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_PONG, "unasked");
  add_server_frame (after, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_CONTINUATION, "lait");
  add_server_frame (after, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_TEXT, "next");
  rs = raw_server_new (RAW_GOOD, after);
  stream = raw_open (rs, "/");

  assert_status (stream, "connected");
  assert_text (stream, "café au lait");
  assert_text (stream, "next");
  pong = raw_wait_for_frame (rs, FW_WEBSOCKET_OPCODE_PONG);
  g_assert_cmpmem (g_bytes_get_data (pong->payload, NULL), g_bytes_get_size (pong->payload),
                   "p1", 2);
  g_assert_false (rs->unmasked_frame);
  g_assert_true (fw_test_close (stream, NULL));
}

static void
test_raw_keepalive (void)
{
  g_autoptr(RawServer) rs = raw_server_new (RAW_GOOD, NULL);
  g_autoptr(FwStream) stream = raw_open (rs, "/#keepalive=1");

  /* Nobody pulls after the connection: the pings go out anyway. */
  assert_status (stream, "connected");
  raw_wait_for_frame (rs, FW_WEBSOCKET_OPCODE_PING);
  g_assert_true (fw_test_close (stream, NULL));
}

static void
test_raw_server_close (void)
{
  g_autoptr(GByteArray) after = g_byte_array_new ();
  g_autoptr(RawServer) rs = NULL;
  g_autoptr(FwStream) stream = NULL;
  guint8 close_payload[] = { 0x03, 0xe9, 'r', 'e', 's', 't', 'a', 'r', 't' };
  RawFrame *reply;

  add_server_frame (after, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_TEXT, "last words");
  fw_websocket_append_frame (after, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_CLOSE, NULL,
                             close_payload, sizeof close_payload);
  rs = raw_server_new (RAW_GOOD, after);
  stream = raw_open (rs, "/#retry=60000");

  assert_status (stream, "connected");
  assert_text (stream, "last words");
  assert_status (stream, "retrying in 60 s: closed by the server (1001 restart)");
  /* Answered with the same code. */
  reply = raw_wait_for_frame (rs, FW_WEBSOCKET_OPCODE_CLOSE);
  g_assert_cmpuint (close_code_of (reply), ==, 1001);
  g_assert_true (fw_test_close (stream, NULL));
}

typedef struct
{
  const char *name;
  const char *frame;
  gsize       len;
  guint       code;
  const char *words;
} RawBadCase;

static const RawBadCase raw_bad_cases[] = {
  { "masked", "\x81\x82\x01\x02\x03\x04hi", 8, 1002, "masked a frame" },
  { "reserved-bits", "\xc1\x02hi", 4, 1002, "reserved bits" },
  { "unknown-opcode", "\x83\x00", 2, 1002, "unknown opcode" },
  { "bad-utf8", "\x81\x02\xc3\x28", 4, 1007, "not valid UTF-8" },
};

static void
test_raw_protocol_error (gconstpointer data)
{
  const RawBadCase *bad = data;
  g_autoptr(GByteArray) after = g_byte_array_new ();
  g_autoptr(RawServer) rs = NULL;
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(FwItem) status = NULL;
  g_autofree char *expected_code = g_strdup_printf ("(closed with %u)", bad->code);
  RawFrame *reply;

  add_server_frame (after, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_TEXT, "fine");
  g_byte_array_append (after, (const guint8 *) bad->frame, bad->len);
  rs = raw_server_new (RAW_GOOD, after);
  stream = raw_open (rs, "/#retry=60000&max-message=200");

  assert_status (stream, "connected");
  assert_text (stream, "fine");
  status = fw_test_next_item (stream);
  g_test_message ("%s: %s", bad->name, status->text);
  fw_test_assert_status (status, "retrying in 60 s: the server broke the WebSocket protocol: ");
  g_assert_nonnull (strstr (status->text, bad->words));
  g_assert_nonnull (strstr (status->text, expected_code));

  reply = raw_wait_for_frame (rs, FW_WEBSOCKET_OPCODE_CLOSE);
  g_assert_cmpuint (close_code_of (reply), ==, bad->code);
  /* The close frame's reason is the protocol error in English, whatever the user's language:
   * the words of the error alone, not the status line's sentence around them. */
  {
    gsize size;
    const char *p = g_bytes_get_data (reply->payload, &size);
    g_autofree char *reason = g_strndup (p + 2, size - 2);

    g_assert_cmpuint (size - 2, <=, 123);
    g_assert_nonnull (strstr (reason, bad->words));
    g_assert_null (strstr (reason, "retrying"));
    g_assert_true (g_str_has_prefix (reason, "a ") || g_str_has_prefix (reason, "the "));
  }
  g_assert_true (fw_test_close (stream, NULL));
}

/* A text message's U+0000 stays one, as SSE's do: JSON Lines show it as \u0000. */
static void
test_raw_nul (void)
{
  g_autoptr(GByteArray) after = g_byte_array_new ();
  g_autoptr(RawServer) rs = NULL;
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(FwItem) item = NULL;
  g_autoptr(GString) json = g_string_new (NULL);

  fw_websocket_append_frame (after, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_TEXT, NULL,
                             (const guint8 *) "a\0b\xc3\xa9", 5);
  rs = raw_server_new (RAW_GOOD, after);
  stream = raw_open (rs, "/");

  assert_status (stream, "connected");
  item = fw_test_next_item (stream);
  g_assert_cmpint (item->kind, ==, FW_ITEM_MESSAGE);
  g_assert_cmpmem (item->text, item->text_len, "a\0b\xc3\xa9", 5);
  fw_item_append_json (item, json);
  g_assert_nonnull (strstr (json->str, "\"text\":\"a\\u0000bé\""));
  g_assert_true (fw_test_close (stream, NULL));
}

/* A message over max-message is legal: it is dropped with a warning that says its size, the
 * connection stays (no close, no reconnect) and what follows arrives. */
static void
test_raw_too_big (void)
{
  g_autoptr(GByteArray) after = g_byte_array_new ();
  g_autoptr(RawServer) rs = NULL;
  g_autoptr(FwStream) stream = NULL;
  g_autofree char *big = g_strnfill (5000, 'x');
  g_autofree char *part = g_strnfill (150, 'y');
  RawFrame *pong;

  add_server_frame (after, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_TEXT, "before");
  add_server_frame (after, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_TEXT, big);
  add_server_frame (after, FW_WEBSOCKET_OPCODE_BINARY, part);
  add_server_frame (after, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_PING, "inside");
  add_server_frame (after, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_CONTINUATION, part);
  add_server_frame (after, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_TEXT, "after");
  rs = raw_server_new (RAW_GOOD, after);
  stream = raw_open (rs, "/#max-message=200&retry=10");

  assert_status (stream, "connected");
  assert_text (stream, "before");
  assert_status (stream, "a text message of 5000 bytes was dropped: it is larger than the 200 "
                 "bytes allowed (max-message)");
  assert_status (stream, "a binary message of 300 bytes was dropped: it is larger than the 200 "
                 "bytes allowed (max-message)");
  assert_text (stream, "after");
  pong = raw_wait_for_frame (rs, FW_WEBSOCKET_OPCODE_PONG);
  g_assert_cmpmem (g_bytes_get_data (pong->payload, NULL), g_bytes_get_size (pong->payload),
                   "inside", 6);
  g_assert_cmpuint (fw_websocket_source_get_n_connects (FW_WEBSOCKET_SOURCE (stream)), ==, 1);
  g_assert_cmpuint (rs->n_accepted, ==, 1);
  g_assert_true (fw_test_close (stream, NULL));
}

typedef struct
{
  const char *name;
  guint       code;
  gboolean    fails;
} RawOnceCloseCase;

static const RawOnceCloseCase raw_once_close_cases[] = {
  { "1000", 1000, FALSE },
  { "1001", 1001, FALSE },
  { "1007", 1007, TRUE },
  { "1009", 1009, TRUE },
  { "1011", 1011, TRUE },
};

/* Under --once a normal close is the end; any other close code fails the stream with the
 * server's words, after the messages that came before it. */
static void
test_raw_once_close (gconstpointer data)
{
  const RawOnceCloseCase *c = data;
  g_autoptr(GByteArray) after = g_byte_array_new ();
  g_autoptr(RawServer) rs = NULL;
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  g_autoptr(GError) error = NULL;
  guint8 close_payload[] = { c->code >> 8, c->code & 0xff, 'o', 'o', 'p', 's' };

  add_server_frame (after, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_TEXT, "fine");
  fw_websocket_append_frame (after, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_CLOSE, NULL,
                             close_payload, sizeof close_payload);
  rs = raw_server_new (RAW_GOOD, after);
  stream = raw_open_with_flags (rs, "/", FW_FEED_OPEN_ONCE);

  for (;;)
    {
      g_autoptr(GPtrArray) batch = fw_test_next_batch (stream, 100, NULL, &error);

      if (batch == NULL || batch->len == 0)
        break;
      for (guint i = 0; i < batch->len; i++)
        g_ptr_array_add (items, fw_item_ref (batch->pdata[i]));
    }
  g_assert_cmpuint (items->len, >=, 2);
  fw_test_assert_status (items->pdata[0], "connected");
  g_assert_cmpstr (((FwItem *) items->pdata[1])->text, ==, "fine");
  if (!c->fails)
    {
      g_assert_no_error (error);
      g_assert_cmpuint (items->len, ==, 2);
      return;
    }
  {
    g_autofree char *words = g_strdup_printf ("closed by the server (%u oops)", c->code);

    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
    g_assert_cmpstr (error->message, ==, words);
    /* Said in a status too, for the views */
    g_assert_cmpuint (items->len, ==, 3);
    fw_test_assert_status (items->pdata[2], words);
    g_assert_cmpint (fw_item_get_feed_state (items->pdata[2]), ==, FW_FEED_STATE_FAILED);
  }
}

typedef struct
{
  const char  *name;
  RawResponse  response;
  const char  *words;
} RawHandshakeCase;

static const RawHandshakeCase raw_handshake_cases[] = {
  { "bad-accept", RAW_BAD_ACCEPT, "Sec-WebSocket-Accept does not answer our key" },
  { "huge-head", RAW_HUGE_HEAD, "head over 16 KiB" },
  { "forbidden", RAW_FORBIDDEN, "refused the WebSocket handshake: HTTP 403 Forbidden" },
  { "unasked-protocol", RAW_GOOD_WITH_PROTOCOL, "subprotocol “chat”, which was not asked for" },
};

static void
test_raw_bad_handshake (gconstpointer data)
{
  const RawHandshakeCase *bad = data;
  g_autoptr(RawServer) rs = raw_server_new (bad->response, NULL);
  g_autoptr(FwStream) stream = raw_open (rs, "/#retry=60000");
  g_autoptr(FwItem) status = fw_test_next_item (stream);

  g_test_message ("%s: %s", bad->name, status->text);
  fw_test_assert_status (status, "retrying in 60 s: ");
  g_assert_nonnull (strstr (status->text, bad->words));
  g_assert_cmpuint (fw_websocket_source_get_n_connects (FW_WEBSOCKET_SOURCE (stream)), ==, 0);
  g_assert_true (fw_test_close (stream, NULL));
}

/* ---------------------------------------------------------------------------------------- */
/* Backpressure */

#define FLOOD_MESSAGE_SIZE  4096
#define FLOOD_MESSAGES      (256 * 1024 * 1024 / FLOOD_MESSAGE_SIZE)

static gboolean
raw_is_blocked (gpointer user_data)
{
  RawServer *rs = user_data;
  gboolean blocked;

  g_mutex_lock (&rs->lock);
  blocked = rs->blocked;
  g_mutex_unlock (&rs->lock);
  return blocked;
}

static guint64
raw_get_written (RawServer *rs)
{
  guint64 written;

  g_mutex_lock (&rs->lock);
  written = rs->written;
  g_mutex_unlock (&rs->lock);
  return written;
}

/* Checks each message of @batch is the next number; returns how many messages it held. */
static guint
check_flood_batch (GPtrArray *batch,
                   guint     *next)
{
  guint n = 0;

  for (guint i = 0; i < batch->len; i++)
    {
      FwItem *item = batch->pdata[i];
      char number[16];

      if (item->kind == FW_ITEM_STATUS)
        {
          fw_test_assert_status (item, "connected");
          continue;
        }
      g_snprintf (number, sizeof number, "%08u", *next);
      if (strncmp (item->text, number, 8) != 0)
        g_error ("message %.8s arrived where %s was due", item->text, number);
      g_assert_cmpuint (strlen (item->text), ==, FLOOD_MESSAGE_SIZE);
      (*next)++;
      n++;
    }
  return n;
}

/* The server wants to write 256 MiB. While nobody pulls, the client reads only until its
 * queue is full (16 MiB here), so the kernel buffers fill and the server's non-blocking writes
 * would block: it is held back after a few MiB more. Then the reader pulls everything (before
 * the stall grace, made long here, ends): every message arrives, once, in order. */
static void
test_raw_backpressure (void)
{
  g_autoptr(RawServer) rs = raw_server_new (RAW_GOOD, NULL);
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) first = NULL;
  FwWebsocketSource *source;
  guint next = 0, pulled = 0, n_batches = 1;
  guint64 blocked_at, written_later;

  rs->flood_messages = FLOOD_MESSAGES;
  rs->flood_size = FLOOD_MESSAGE_SIZE;
  stream = raw_open (rs, "/");
  source = FW_WEBSOCKET_SOURCE (stream);
  fw_websocket_source_set_stall_grace (source, 600 * 1000);

  /* A few pulls: the connection, then what each read brought (one read per pull). */
  first = fw_test_next_batch (stream, G_MAXUINT, NULL, &error);
  g_assert_no_error (error);
  pulled = check_flood_batch (first, &next);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GPtrArray) batch = fw_test_next_batch (stream, G_MAXUINT, NULL, &error);

      g_assert_no_error (error);
      pulled += check_flood_batch (batch, &next);
      n_batches++;
    }
  g_assert_cmpuint (pulled, >, 0);

  fw_test_wait_until (raw_is_blocked, rs, "the server to be blocked by TCP");
  blocked_at = raw_get_written (rs);
  /* The client goes on with its main loop but reads nothing while nobody pulls. */
  fw_test_iterate_idle ();
  written_later = raw_get_written (rs);
  g_test_message ("server blocked after writing %" G_GUINT64_FORMAT " bytes (first block at "
                  "%" G_GUINT64_FORMAT ") of %u; the client had decoded %" G_GUINT64_FORMAT
                  " messages, %u pulled", blocked_at, rs->written_at_first_block,
                  FLOOD_MESSAGES * (FLOOD_MESSAGE_SIZE + 4),
                  fw_websocket_source_get_n_received (source), pulled);
  g_assert_cmpuint (blocked_at, <, 64 * 1024 * 1024);
  g_assert_cmpuint (written_later, <, 64 * 1024 * 1024);
  /* Queued: up to the 16 MiB cap, and one read past it */
  g_assert_cmpuint (fw_websocket_source_get_n_received (source), ==,
                    pulled + fw_websocket_source_get_n_queued (source));
  g_assert_cmpuint (fw_websocket_source_get_n_queued (source), <=,
                    (16 * 1024 * 1024 + 64 * 1024) / FLOOD_MESSAGE_SIZE + 1);

  /* Now read it all. */
  while (next < FLOOD_MESSAGES)
    {
      g_autoptr(GPtrArray) batch = fw_test_next_batch (stream, G_MAXUINT, NULL, &error);

      g_assert_no_error (error);
      check_flood_batch (batch, &next);
      n_batches++;
    }
  g_test_message ("%u messages in %u batches; the server was blocked %u times",
                  next, n_batches, rs->n_blocks);
  g_assert_cmpuint (next, ==, FLOOD_MESSAGES);
  g_assert_cmpuint (fw_websocket_source_get_n_received (source), ==, FLOOD_MESSAGES);
  g_assert_cmpuint (fw_websocket_source_get_n_dropped (source), ==, 0);
  g_assert_cmpuint (raw_get_written (rs), ==, (guint64) FLOOD_MESSAGES * (FLOOD_MESSAGE_SIZE + 4));
  g_assert_true (fw_test_close (stream, NULL));
}

#define STALL_ROUNDS        30
#define STALL_PER_ROUND     20
#define STALL_MESSAGE_SIZE  500
#define STALL_MAX_QUEUE     10

typedef struct
{
  RawServer  *rs;
  const char *payload;
} PongWait;

static gboolean
raw_has_pong (gpointer user_data)
{
  PongWait *wait = user_data;
  gboolean found = FALSE;

  g_mutex_lock (&wait->rs->lock);
  for (guint i = 0; i < wait->rs->frames->len && !found; i++)
    {
      RawFrame *frame = wait->rs->frames->pdata[i];

      found = frame->opcode == FW_WEBSOCKET_OPCODE_PONG &&
              g_bytes_get_size (frame->payload) == strlen (wait->payload) &&
              memcmp (g_bytes_get_data (frame->payload, NULL), wait->payload,
                      strlen (wait->payload)) == 0;
    }
  g_mutex_unlock (&wait->rs->lock);
  return found;
}

/* A server with a heartbeat sends data and pings while nobody pulls: the pings are answered
 * (a server would otherwise drop the connection); the messages kept meanwhile are bounded by
 * max-queue (and one read), and the pull that comes later gets them in order, then a warning
 * that counts the ones dropped. */
static void
test_raw_pongs_while_stalled (void)
{
  g_autoptr(GByteArray) after = g_byte_array_new ();
  g_autoptr(RawServer) rs = NULL;
  g_autoptr(FwStream) stream = NULL;
  g_autofree char *payload = g_strnfill (STALL_MESSAGE_SIZE, 'x');
  g_autofree char *last_ping = g_strdup_printf ("ping %u", STALL_ROUNDS - 1);
  g_autofree char *rest = g_strdup_printf ("/#keepalive=0&max-queue=%u", STALL_MAX_QUEUE);
  PongWait wait;
  FwWebsocketSource *source;
  guint next = 0;
  guint64 dropped = 0;
  gboolean warned = FALSE;

  for (guint round = 0; round < STALL_ROUNDS; round++)
    {
      g_autofree char *ping = g_strdup_printf ("ping %u", round);

      for (guint i = 0; i < STALL_PER_ROUND; i++)
        {
          char number[16];

          g_snprintf (number, sizeof number, "%08u", round * STALL_PER_ROUND + i);
          memcpy (payload, number, 8);
          add_server_frame (after, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_TEXT, payload);
        }
      add_server_frame (after, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_PING, ping);
    }
  rs = raw_server_new (RAW_GOOD, after);
  stream = raw_open (rs, rest);
  source = FW_WEBSOCKET_SOURCE (stream);
  fw_websocket_source_set_stall_grace (source, 100);

  /* One pull, then none while the server sends everything. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) first = fw_test_next_batch (stream, G_MAXUINT, NULL, &error);

    g_assert_no_error (error);
    fw_test_assert_status (first->pdata[0], "connected");
    for (guint i = 1; i < first->len; i++)
      {
        char number[16];

        g_snprintf (number, sizeof number, "%08u", next++);
        g_assert_cmpmem (((FwItem *) first->pdata[i])->text, 8, number, 8);
      }
  }
  wait.rs = rs;
  wait.payload = last_ping;
  fw_test_wait_until (raw_has_pong, &wait, "the pong of the server's last ping");

  g_test_message ("%u messages with the first pull, %u queued since, %" G_GUINT64_FORMAT
                  " dropped", next, fw_websocket_source_get_n_queued (source),
                  fw_websocket_source_get_n_dropped (source));
  g_assert_cmpuint (fw_websocket_source_get_n_queued (source), <=,
                    STALL_MAX_QUEUE + 64 * 1024 / STALL_MESSAGE_SIZE + 1);
  g_assert_cmpuint (fw_websocket_source_get_n_dropped (source), >, 0);

  /* What was kept comes in order, then the warning where the gap is. */
  while (!warned)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) batch = fw_test_next_batch (stream, G_MAXUINT, NULL, &error);

      g_assert_no_error (error);
      for (guint i = 0; i < batch->len; i++)
        {
          FwItem *item = batch->pdata[i];
          char number[16];

          g_assert_false (warned);
          if (item->kind == FW_ITEM_STATUS)
            {
              g_autofree char *expected = NULL;

              dropped = g_ascii_strtoull (item->text, NULL, 10);
              expected = g_strdup_printf ("%" G_GUINT64_FORMAT " %s dropped: the feed "
                                          "was not read while ", dropped,
                                          dropped == 1 ? "message" : "messages");
              fw_test_assert_status (item, expected);
              g_assert_cmpint (item->level, ==, FW_LEVEL_WARNING);
              warned = TRUE;
              continue;
            }
          g_snprintf (number, sizeof number, "%08u", next++);
          g_assert_cmpmem (item->text, 8, number, 8);
        }
    }
  g_assert_cmpuint (dropped, ==, fw_websocket_source_get_n_dropped (source));
  g_assert_cmpuint (next + dropped, ==, STALL_ROUNDS * STALL_PER_ROUND);
  g_assert_cmpuint (fw_websocket_source_get_n_connects (source), ==, 1);
  g_assert_true (fw_test_close (stream, NULL));
}

/* A server that floods pings and never reads: the pongs do not queue without limit (one waits,
 * answering the latest ping), and after 4 MiB of pings left unanswered the connection ends,
 * saying why. */
static void
test_raw_ping_flood (void)
{
  g_autoptr(RawServer) rs = raw_server_new (RAW_GOOD, NULL);
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *big = g_strnfill (6 * 1024 * 1024, 'x');
  g_autofree char *rest = g_strdup_printf ("/#keepalive=0&send=%s", big);
  gboolean said = FALSE;

  /* A small receive window on the server's side, and a `send` larger than the client's socket
   * buffer: that write never finishes, so every pong waits behind it. */
  g_socket_set_option (rs->listener, SOL_SOCKET, SO_RCVBUF, 4096, &error);
  g_assert_no_error (error);
  rs->ping_flood = G_GUINT64_CONSTANT (256) * 1024 * 1024;
  stream = raw_open (rs, rest);

  assert_status (stream, "connected");
  while (!said)
    {
      g_autoptr(FwItem) item = fw_test_next (stream, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (item);
      g_assert_cmpint (item->kind, ==, FW_ITEM_STATUS);
      said = g_str_has_prefix (item->text, "retrying in ") &&
             g_str_has_suffix (item->text, ": the server does not read what Feedwatch sends "
                                           "(its pings went unanswered)");
      if (!said)
        g_test_message ("status: %s", item->text);
    }
  /* One pong of 131 bytes waits at most (the one in flight is not counted). */
  g_assert_cmpuint (fw_websocket_source_get_peak_queued_bytes (FW_WEBSOCKET_SOURCE (stream)),
                    <=, 131);
  g_assert_cmpuint (fw_websocket_source_get_peak_queued_bytes (FW_WEBSOCKET_SOURCE (stream)),
                    >, 0);
  g_assert_true (fw_test_close (stream, NULL));
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
  ADD ("no-drops", test_no_drops);
  ADD ("refused", test_refused);
  ADD ("once-refused", test_once_refused);
  ADD ("subprotocol", test_subprotocol);
  ADD ("headers", test_headers);
  ADD ("close-while-waiting", test_close_while_waiting);
  ADD ("idle-timeout", test_idle_timeout);
#undef ADD
  g_test_add_func ("/websocket/bad-url", test_bad_url);
  g_test_add_data_func ("/websocket/tls-verified", "/websocket/tls-verified",
                        fw_test_run_subprocess_without_leak_check);
  g_test_add_func ("/websocket/tls-verified/subprocess", test_tls_verified);
  g_test_add_data_func ("/websocket/tls-insecure", "/websocket/tls-insecure",
                        fw_test_run_subprocess_without_leak_check);
  g_test_add_func ("/websocket/tls-insecure/subprocess", test_tls_insecure);

  g_test_add_func ("/websocket/raw/request", test_raw_request);
  g_test_add_func ("/websocket/raw/ping-in-fragments", test_raw_ping_in_fragments);
  g_test_add_func ("/websocket/raw/keepalive", test_raw_keepalive);
  g_test_add_func ("/websocket/raw/server-close", test_raw_server_close);
  g_test_add_func ("/websocket/raw/nul", test_raw_nul);
  g_test_add_func ("/websocket/raw/too-big", test_raw_too_big);
  for (guint i = 0; i < G_N_ELEMENTS (raw_once_close_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/websocket/raw/once-close/",
                                           raw_once_close_cases[i].name, NULL);
      g_test_add_data_func (path, &raw_once_close_cases[i], test_raw_once_close);
    }
  for (guint i = 0; i < G_N_ELEMENTS (raw_bad_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/websocket/raw/protocol-error/", raw_bad_cases[i].name,
                                           NULL);
      g_test_add_data_func (path, &raw_bad_cases[i], test_raw_protocol_error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (raw_handshake_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/websocket/raw/handshake/",
                                           raw_handshake_cases[i].name, NULL);
      g_test_add_data_func (path, &raw_handshake_cases[i], test_raw_bad_handshake);
    }
  g_test_add_func ("/websocket/raw/backpressure", test_raw_backpressure);
  g_test_add_func ("/websocket/raw/ping-flood", test_raw_ping_flood);
  g_test_add_func ("/websocket/raw/pongs-while-stalled", test_raw_pongs_while_stalled);

  return g_test_run ();
}
