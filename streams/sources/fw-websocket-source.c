/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-websocket-source.c: `ws://host/path#options`, `wss://…`.
 *
 * Text messages become FW_ITEM_MESSAGE items (a JSON object is parsed as an NDJSON line is,
 * by fw-json-item; U+0000 is kept); binary ones show their size and a hex prefix
 * (FW_ITEM_FLAG_BINARY) and carry the whole payload in their fields ("data", ay).
 *
 * The source is its own RFC 6455 client (libsoup 3.2's SoupWebsocketConnection reads on its
 * own with no pause and no bound). It reads the socket 64 KiB at a time while connected, so
 * pings are answered whatever the consumer does, and queues the messages for the next pull,
 * up to max-queue messages or MAX_QUEUED_BYTES (the cap is checked between reads). At the cap
 * it stops reading: the kernel buffers fill and TCP flow control holds the server back, so a
 * consumer that is only slower loses nothing. A consumer that does not pull for STALL_GRACE_MS
 * more would leave pings unanswered and the server would drop the connection: the socket is
 * then read on, control frames answered, and the messages that do not fit are dropped and
 * counted in a warning at the end of the queue, where the gap is. The frames are decoded by
 * the pure FwWebsocketDecoder (fw-websocket-frame.c); a message over max-message (default
 * 1 MiB) is legal but not kept: a warning says its size, and the connection goes on.
 *
 * The connection: GSocketClient (system proxies through its default GProxyResolver; TLS for
 * wss://, verified unless `insecure=1`), then our own HTTP/1.1 upgrade request, then a
 * response head of at most 16 KiB that must be 101 with the right Sec-WebSocket-Accept; the
 * bytes after it are the first frames. Writes (the `send` text, pongs, pings, close) go out one
 * at a time from a queue, bounded: a pong waiting there answers only the latest ping, and a
 * server that floods pings without reading our answers loses the connection. A close from
 * the server is answered and ends the connection; a protocol error is answered with a close
 * frame of its code (1002, 1007). Either way the feed reconnects with backoff; with --once
 * a normal close (1000, 1001, none) ends the stream, and anything else (refused, a failed
 * handshake, another close code, a lost connection) fails it with the reason. Every
 * connection state change is a status item ("connected", "retrying in N s: why", "idle for
 * N s").
 *
 * Options: send=TEXT (sent after each connection: a subscribe command), keepalive (s between
 * pings, default 30, 0 = none), protocol (a subprotocol to ask for), idle-timeout (ms waiting
 * for data while reading, default none), max-message (bytes), max-queue (messages), retry and
 * retry-max, and the headers and TLS option of fw-http-options.h (the method and body do not
 * apply: the handshake is a GET). */

#include "config.h"

#include "fw-websocket-source.h"

#include <glib/gi18n-lib.h>

#include "fw-websocket-source-private.h"

#include <inttypes.h>
#include <libsoup/soup.h>
#include <string.h>

#include "fw-reconnect.h"
#include "fw-http.h"
#include "fw-source-private.h"
#include "fw-http-options.h"
#include "fw-json-item.h"
#include "fw-websocket-frame.h"

#define READ_SIZE         (64 * 1024)
#define MAX_HEAD_SIZE     (16 * 1024)
/* How long our close frame may take to go out after the server's close or a protocol error */
#define CLOSE_TIMEOUT_MS  2000
/* The bytes of frames waiting behind the one in flight: only a server that does not read
 * lets them pile up (pongs and keepalive pings replace their older selves, so this is a
 * backstop). */
#define MAX_QUEUED_WRITE_BYTES       (256 * 1024)
/* The pings whose pongs were replaced, unsent, because no write finished since: a server that
 * floods pings and never reads our answers */
#define MAX_UNANSWERED_PING_BYTES    (4 * 1024 * 1024)
/* The bytes of messages waiting for a pull, whatever max-queue says */
#define MAX_QUEUED_BYTES             (16 * 1024 * 1024)
/* How long a full queue waits for a pull before the socket is read on, dropping messages:
 * well under the heartbeat timeouts of servers (10 s and more) */
#define STALL_GRACE_MS               1000

/* One connection: every async operation on it holds a reference, and the source lets go by
 * detaching it (its token's owner = NULL) and cancelling it, so a late callback finds nobody home and
 * only cleans up. The read buffer lives here for the same reason. */
typedef struct
{
  FwSourceToken      token;        /* owner: the source, NULL once detached */
  GCancellable      *cancellable;
  GSocketConnection *stream;       /* NULL until connected */
  GByteArray        *head;         /* the handshake response as it arrives */
  char              *accept;       /* the Sec-WebSocket-Accept the server must answer */
  GQueue             writes;       /* GBytes waiting behind the one in flight */
  gsize              queued_bytes; /* of the frames in writes */
  GList             *pong;         /* the pong in writes, if any: a newer ping replaces it */
  GList             *ping;         /* the keepalive ping in writes, if any */
  gsize              unanswered;   /* ping bytes whose pongs were replaced since a write ended */
  gboolean           stuck;        /* the server does not read: the connection must end */
  GBytes            *writing;      /* the frame in flight */
  GSource           *close_timer;  /* bounds a close in progress */
  gboolean           open;         /* the handshake succeeded */
  gboolean           closing;      /* our close frame is queued: shut down after it */
  guint8             buf[READ_SIZE];
} Conn;

struct _FwWebsocketSource
{
  FwStream            parent_instance;

  GRefString         *feed;
  char               *url;          /* as http(s)://, the form proxies and errors know */
  GUri               *uri;
  FwHttpOptions      *options;
  char               *send;
  char               *protocol;
  guint               keepalive_s;
  guint               max_message;
  guint               max_queue;
  guint               stall_grace_ms;
  gboolean            once;
  gboolean            tls;

  GSocketClient      *client;
  Conn               *conn;          /* connecting, handshaking or open */
  Conn               *closing;       /* the last connection, sending its close frame */
  FwWebsocketDecoder *decoder;
  FwReconnect        *reconnect;
  GSource            *idle_timer;    /* armed only while waiting for bytes */
  GSource            *keepalive_timer;
  gint64              waiting_since; /* monotonic µs since bytes are awaited, 0 when not */
  GPtrArray          *queued;        /* items for the next answer */
  guint               n_queued;      /* the messages among them */
  gsize               queued_bytes;  /* and their size */
  GSource            *stall_timer;   /* the queue is full and nobody pulls */
  gboolean            dropping;      /* the stall lasted: read on, drop what does not fit */
  guint64             dropped_since; /* messages dropped since the last answer */
  guint64             n_dropped;
  GError             *failure;       /* ends the stream after the queued items */
  guint               close_code;    /* of the server's close frame, in this read */
  char               *close_reason;
  gint64              now_us;        /* the arrival time of the read being decoded */
  gboolean            waiting;       /* a pull is unanswered */
  gboolean            reading;
  gboolean            ended;

  guint64             n_received;
  guint               n_connects;
  gsize               peak_queued_bytes;
};

G_DEFINE_FINAL_TYPE (FwWebsocketSource, fw_websocket_source, FW_TYPE_STREAM)

static void advance (FwWebsocketSource *self);
static void lost    (FwWebsocketSource *self,
                     const char        *reason);

#define STUCK_REASON \
  _("the server does not read what Feedwatch sends (its pings went unanswered)")

/* ---------------------------------------------------------------------------------------- */
/* Connections */

static void conn_clear (gpointer data);

static Conn *
conn_new (FwWebsocketSource *self)
{
  Conn *conn = fw_source_token_new_sized (self, sizeof (Conn), conn_clear);

  conn->cancellable = g_cancellable_new ();
  conn->head = g_byte_array_new ();
  g_queue_init (&conn->writes);

  return conn;
}

static Conn *
conn_ref (Conn *conn)
{
  fw_source_token_ref (&conn->token);
  return conn;
}

/* Closes the socket itself, not the TLS layer over it: a TLS close would block writing its
 * close_notify to a peer that may not read. */
static void
conn_shut (Conn *conn)
{
  if (conn->stream != NULL)
    g_socket_close (g_socket_connection_get_socket (conn->stream), NULL);
}

static void
conn_unref (Conn *conn)
{
  fw_source_token_unref (&conn->token);
}

static void
conn_clear (gpointer data)
{
  Conn *conn = data;

  g_assert (conn->close_timer == NULL);
  conn_shut (conn);
  g_clear_object (&conn->stream);
  g_clear_object (&conn->cancellable);
  g_clear_pointer (&conn->head, g_byte_array_unref);
  g_queue_clear_full (&conn->writes, (GDestroyNotify) g_bytes_unref);
  g_clear_pointer (&conn->writing, g_bytes_unref);
  g_free (conn->accept);
}

static void
conn_stop_close_timer (Conn *conn)
{
  if (conn->close_timer != NULL)
    {
      g_source_destroy (conn->close_timer);
      g_clear_pointer (&conn->close_timer, g_source_unref);
    }
}

/* Lets go of @conn at once: whatever is in flight is cancelled. */
static void
conn_detach (Conn *conn)
{
  conn->token.owner = NULL;
  conn_stop_close_timer (conn);
  g_cancellable_cancel (conn->cancellable);
  conn_unref (conn);
}

static void conn_write_next (Conn *conn);

/* The close is done (or could not be): the connection is over. */
static void
conn_finish_closing (Conn *conn)
{
  FwWebsocketSource *self = conn->token.owner;

  conn_stop_close_timer (conn);
  conn_shut (conn);
  if (self != NULL && self->closing == conn)
    {
      self->closing = NULL;
      conn_detach (conn);
    }
}

static void conn_drain (Conn *conn);

static void
on_drained (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Conn *conn = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, NULL);

  if (n > 0 && conn->close_timer != NULL)
    conn_drain (conn);
  else
    conn_finish_closing (conn);
  conn_unref (conn);
}

/* Our close frame is out. RFC 6455 §7.1.1: the client waits for the server to close the TCP
 * connection; closing first with bytes unread would reset it, and the server could lose our
 * close frame. So: no more writes, then read and drop what still comes, until the end or the
 * close timer. */
static void
conn_drain (Conn *conn)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (conn->stream)),
                             conn->buf, sizeof conn->buf, G_PRIORITY_DEFAULT,
                             conn->cancellable, on_drained, conn_ref (conn));
}

static void
on_written (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Conn *conn = user_data;
  FwWebsocketSource *self = conn->token.owner;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&conn->writing, g_bytes_unref);
  conn->unanswered = 0;
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      if (conn->closing)
        conn_finish_closing (conn);
      else if (self != NULL && self->conn == conn)
        {
          g_autofree char *reason = fw_http_describe_error (error, self->url);
          lost (self, reason);
        }
    }
  else if (self != NULL)
    conn_write_next (conn);
  conn_unref (conn);
}

/* One write at a time: a frame must not interleave with another. */
static void
conn_write_next (Conn *conn)
{
  GOutputStream *output;
  gsize len;
  const void *data;

  if (conn->writing != NULL)
    return;

  if (conn->writes.head != NULL && conn->writes.head == conn->pong)
    conn->pong = NULL;
  if (conn->writes.head != NULL && conn->writes.head == conn->ping)
    conn->ping = NULL;
  conn->writing = g_queue_pop_head (&conn->writes);
  if (conn->writing != NULL)
    conn->queued_bytes -= g_bytes_get_size (conn->writing);
  if (conn->writing == NULL)
    {
      if (conn->closing)
        {
          g_socket_shutdown (g_socket_connection_get_socket (conn->stream), FALSE, TRUE, NULL);
          conn_drain (conn);
        }
      return;
    }

  output = g_io_stream_get_output_stream (G_IO_STREAM (conn->stream));
  data = g_bytes_get_data (conn->writing, &len);
  g_output_stream_write_all_async (output, data, len, G_PRIORITY_DEFAULT, conn->cancellable,
                                   on_written, conn_ref (conn));
}

static void
note_queued (Conn *conn)
{
  FwWebsocketSource *self = conn->token.owner;

  if (self != NULL)
    self->peak_queued_bytes = MAX (self->peak_queued_bytes, conn->queued_bytes);
}

/* Queues @frame (taking it). Past MAX_QUEUED_WRITE_BYTES the frame is dropped and the
 * connection marked stuck, for the caller to end it; one frame always fits (a long `send`). */
static void
conn_write (Conn   *conn,
            GBytes *frame)
{
  gsize size = g_bytes_get_size (frame);

  if (conn->writes.length > 0 && conn->queued_bytes + size > MAX_QUEUED_WRITE_BYTES)
    {
      conn->stuck = TRUE;
      g_bytes_unref (frame);
      return;
    }
  g_queue_push_tail (&conn->writes, frame);
  conn->queued_bytes += size;
  conn_write_next (conn);
  note_queued (conn);
}

/* Queues @frame (taking it) in place of the frame in *@link if there is one, else at the end;
 * *@link is then its place. RFC 6455 §5.5.3 lets a pong answer only the latest ping. */
static void
conn_write_replacing (Conn    *conn,
                      GList  **link,
                      GBytes  *frame)
{
  if (*link != NULL)
    {
      conn->queued_bytes -= g_bytes_get_size ((*link)->data);
      g_bytes_unref ((*link)->data);
      (*link)->data = frame;
      conn->queued_bytes += g_bytes_get_size (frame);
      note_queued (conn);
      return;
    }
  conn_write (conn, frame);
  /* Still waiting (not in flight, not refused): a later one may replace it. */
  if (conn->writes.tail != NULL && conn->writes.tail->data == frame)
    *link = conn->writes.tail;
}

static gboolean
on_close_timeout (gpointer user_data)
{
  Conn *conn = user_data;

  /* The peer does not read, or does not close: give up on a clean close. */
  g_clear_pointer (&conn->close_timer, g_source_unref);
  g_cancellable_cancel (conn->cancellable);
  conn_finish_closing (conn);
  return G_SOURCE_REMOVE;
}

/* ---------------------------------------------------------------------------------------- */
/* Timers */

static void
stop_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static GSource *
start_timeout (FwWebsocketSource *self,
               guint              delay_ms,
               GSourceFunc        func,
               gpointer           data,
               const char        *name)
{
  GSource *source = g_timeout_source_new (delay_ms);

  g_source_set_callback (source, func, data, NULL);
  g_source_set_static_name (source, name);
  g_source_attach (source, fw_stream_get_context (FW_STREAM (self)));
  return source;
}

/* The idle timeout: see fw_source_idle_arm() */
static gboolean
on_idle_timeout (gpointer user_data)
{
  FwWebsocketSource *self = user_data;
  g_autofree char *reason = NULL;
  g_autofree char *idle = NULL;

  if (!fw_source_idle_expired (self->idle_timer, &self->waiting_since,
                             self->options->idle_timeout_ms))
    return G_SOURCE_CONTINUE;

  idle = fw_reconnect_format_delay (self->reconnect, self->options->idle_timeout_ms);
  g_ptr_array_add (self->queued, fw_feed_status_new_printf (self->feed, FW_FEED_STATE_IDLE,
                                                            FW_LEVEL_WARNING, _("idle for %s"),
                                                            idle));
  reason = g_strdup_printf (_("no message for %s"), idle);
  lost (self, reason);
  return G_SOURCE_CONTINUE;
}

/* Bytes are awaited from now (connecting, or a read for a pull). */
static void
arm_idle_timer (FwWebsocketSource *self)
{
  fw_source_idle_arm (&self->idle_timer, &self->waiting_since, self->options->idle_timeout_ms,
                    fw_stream_get_context (FW_STREAM (self)),
                    "[feedwatch] websocket idle timeout", on_idle_timeout, self);
}

static void
disarm_idle_timer (FwWebsocketSource *self)
{
  self->waiting_since = 0;
}

static gboolean
on_keepalive (gpointer user_data)
{
  FwWebsocketSource *self = user_data;

  /* An unanswered ping shows as silence: the idle timeout, if set, ends the connection. */
  if (self->conn != NULL && self->conn->open)
    {
      conn_write_replacing (self->conn, &self->conn->ping,
                            fw_websocket_encode_client_frame (FW_WEBSOCKET_OPCODE_PING, NULL, 0));
      if (self->conn->stuck)
        lost (self, STUCK_REASON);
    }
  return G_SOURCE_CONTINUE;
}

/* ---------------------------------------------------------------------------------------- */
/* Answering pulls */

static void
drop_queued (FwWebsocketSource *self)
{
  fw_source_drop_queued (self->queued);
}

static void
answer (FwWebsocketSource *self)
{
  if (self->dropped_since > 0)
    {
      /* At the end of what was kept: the gap is there. */
      g_ptr_array_add (self->queued,
                       fw_feed_status_new_printf (self->feed, FW_FEED_STATE_LIVE,
                                                  FW_LEVEL_WARNING,
                                                  g_dngettext (GETTEXT_PACKAGE,
                                                               "%" PRIu64 " message dropped: the "
                                                               "feed was not read while %u waited "
                                                               "(max-queue), and the connection "
                                                               "was kept alive (%" PRIu64
                                                               " dropped so far)",
                                                               "%" PRIu64 " messages dropped: the "
                                                               "feed was not read while %u waited "
                                                               "(max-queue), and the connection "
                                                               "was kept alive (%" PRIu64
                                                               " dropped so far)",
                                                               (gulong) self->dropped_since),
                                                  self->dropped_since, self->n_queued,
                                                  self->n_dropped));
      self->dropped_since = 0;
    }
  self->n_queued = 0;
  self->queued_bytes = 0;
  self->dropping = FALSE;
  stop_source (&self->stall_timer);
  self->waiting = FALSE;
  fw_source_answer_pull (FW_STREAM (self), self->queued, self->ended, &self->failure);
}

static gboolean
queue_is_full (FwWebsocketSource *self)
{
  return self->n_queued >= self->max_queue || self->queued_bytes >= MAX_QUEUED_BYTES;
}

/* A message for the next answer; past the cap, once the stall lasted, dropped and counted. */
static void
queue_message (FwWebsocketSource *self,
               FwItem            *item)
{
  if (self->dropping && queue_is_full (self))
    {
      self->n_dropped++;
      self->dropped_since++;
      fw_item_unref (item);
      return;
    }
  self->n_queued++;
  self->queued_bytes += item->text_len;
  if (item->fields != NULL)
    self->queued_bytes += g_variant_get_size (item->fields);
  g_ptr_array_add (self->queued, item);
}

/* ---------------------------------------------------------------------------------------- */
/* Messages */

FwItem *
fw_websocket_item_new_binary (GRefString   *feed,
                              gint64        time_us,
                              const guint8 *data,
                              gsize         len)
{
  static const char hex[] = "0123456789abcdef";
  GString *text = g_string_sized_new (32 + 3 * FW_WEBSOCKET_HEX_PREFIX);
  gsize n = MIN (len, FW_WEBSOCKET_HEX_PREFIX);
  FwItem *item;

  g_string_append_printf (text, "%" G_GSIZE_FORMAT " bytes", len);
  if (n > 0)
    g_string_append_c (text, ':');
  for (gsize i = 0; i < n; i++)
    {
      g_string_append_c (text, ' ');
      g_string_append_c (text, hex[data[i] >> 4]);
      g_string_append_c (text, hex[data[i] & 0xf]);
    }
  if (len > n)
    g_string_append (text, " …");

  item = fw_item_new (FW_ITEM_MESSAGE, feed, time_us, text->str, text->len);
  fw_item_add_flags (item, FW_ITEM_FLAG_BINARY);
  g_string_free (text, TRUE);
  /* The whole payload, for --print (base64) and the row's details */
  {
    GVariantBuilder fields;

    g_variant_builder_init (&fields, G_VARIANT_TYPE_VARDICT);
    g_variant_builder_add (&fields, "{sv}", "data",
                           g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, data, len, 1));
    fw_item_take_fields (item, g_variant_builder_end (&fields));
  }

  return item;
}

static FwItem *
text_item (FwWebsocketSource *self,
           const char        *text,
           gsize              len,
           gint64             now)
{
  const char *p = text;
  FwItem *item = NULL;

  while (p < text + len && g_ascii_isspace (*p))
    p++;
  /* Only what looks like JSON pays for the parser. */
  if (p < text + len && (*p == '{' || *p == '['))
    {
      gboolean invalid = FALSE;

      item = fw_json_item_parse (self->feed, now, text, len, &invalid);
      if (invalid)
        g_clear_pointer (&item, fw_item_unref);
    }
  /* The decoder checked it is UTF-8; a U+0000 stays one, as in every feed's text. */
  if (item == NULL)
    item = fw_item_new (FW_ITEM_MESSAGE, self->feed, now, text, (gssize) len);

  return item;
}

static void
on_message (const FwWebsocketMessage *message,
            gpointer                  user_data)
{
  FwWebsocketSource *self = user_data;

  if (message->too_big)
    {
      self->n_received++;
      queue_message (self,
                     fw_feed_status_new_printf (self->feed, FW_FEED_STATE_LIVE, FW_LEVEL_WARNING,
                                                message->opcode == FW_WEBSOCKET_OPCODE_TEXT
                                                ? _("a text message of %" PRIu64 " bytes was "
                                                    "dropped: it is larger than the %u bytes "
                                                    "allowed (max-message)")
                                                : _("a binary message of %" PRIu64 " bytes was "
                                                    "dropped: it is larger than the %u bytes "
                                                    "allowed (max-message)"),
                                                message->size, self->max_message));
      return;
    }

  switch (message->opcode)
    {
    case FW_WEBSOCKET_OPCODE_TEXT:
      self->n_received++;
      queue_message (self, text_item (self, (const char *) message->data, message->len,
                                      self->now_us));
      break;

    case FW_WEBSOCKET_OPCODE_BINARY:
      self->n_received++;
      queue_message (self, fw_websocket_item_new_binary (self->feed, self->now_us,
                                                         message->data, message->len));
      break;

    case FW_WEBSOCKET_OPCODE_PING:
      if (self->conn->pong != NULL)
        {
          /* Its pong is still waiting: the server has not read what came before. */
          self->conn->unanswered += 2 + message->len;
          if (self->conn->unanswered > MAX_UNANSWERED_PING_BYTES)
            self->conn->stuck = TRUE;
        }
      conn_write_replacing (self->conn, &self->conn->pong,
                            fw_websocket_encode_client_frame (FW_WEBSOCKET_OPCODE_PONG,
                                                              message->data, message->len));
      break;

    case FW_WEBSOCKET_OPCODE_CLOSE:
      self->close_code = message->close_code;
      g_free (self->close_reason);
      self->close_reason = g_strdup (message->close_reason);
      break;

    case FW_WEBSOCKET_OPCODE_PONG:
    case FW_WEBSOCKET_OPCODE_CONTINUATION:
    default:
      break;
    }
}

/* ---------------------------------------------------------------------------------------- */
/* The connection's life */

static void
drop_conn (FwWebsocketSource *self)
{
  disarm_idle_timer (self);
  stop_source (&self->keepalive_timer);
  self->reading = FALSE;
  if (self->conn != NULL)
    conn_detach (g_steal_pointer (&self->conn));
}

/* Ends the connection with a close frame (@code 0: one without a code), sent before the
 * socket is shut; the reads stop now. */
static void
close_conn (FwWebsocketSource *self,
            guint              code,
            const char        *reason)
{
  Conn *conn = self->conn;

  if (conn == NULL || !conn->open)
    {
      drop_conn (self);
      return;
    }

  self->conn = NULL;
  drop_conn (self);
  if (self->closing != NULL)
    conn_detach (g_steal_pointer (&self->closing));
  self->closing = conn;
  conn->closing = TRUE;
  conn->close_timer = start_timeout (self, CLOSE_TIMEOUT_MS, on_close_timeout, conn,
                                     "[feedwatch] websocket close");
  conn_write (conn, fw_websocket_encode_close (code, reason));
}

static void fail (FwWebsocketSource *self,
                  GError            *error);

/* The URL as the user wrote it (ws://, wss://), without its secrets */
static char *
shown_url (FwWebsocketSource *self)
{
  g_autofree char *redacted = fw_feed_spec_redact (self->url);
  const char *colon = strchr (redacted, ':');

  return g_strconcat (self->tls ? "wss" : "ws", colon != NULL ? colon : "", NULL);
}

/* The connection is gone: a status and a retry later, or with --once a failure that says
 * why (only a clean close from the server is the end: see decode()). */
static void
lost (FwWebsocketSource *self,
      const char        *reason)
{
  drop_conn (self);

  if (self->once)
    {
      /* The feed is named wherever this is shown (--print's stderr, its row). */
      fail (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, reason));
      return;
    }

  g_ptr_array_add (self->queued, fw_reconnect_schedule (self->reconnect, self->feed,
                                                        FW_LEVEL_WARNING, "retrying", reason));
  /* The retry starts on the next pull, so a feed nobody reads does not reconnect. */
  advance (self);
}

/* Retrying cannot fix this one (a certificate, or anything under --once): the stream ends
 * with @error, said in a status first. */
static void
fail (FwWebsocketSource *self,
      GError            *error)
{
  drop_conn (self);
  g_ptr_array_add (self->queued, fw_feed_status_new (self->feed, FW_FEED_STATE_FAILED,
                                                     FW_LEVEL_ERROR, error->message));
  g_clear_error (&self->failure);
  self->failure = error;
  self->ended = TRUE;
  advance (self);
}

/* Decodes what the server sent: messages are queued, pings answered; a close frame or a
 * protocol error ends the connection with our close frame. Then moves the feed on. */
static void
decode (FwWebsocketSource *self,
        const guint8      *data,
        gsize              len)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  guint code;

  self->now_us = g_get_real_time ();
  self->close_code = 0;
  if (!fw_websocket_decoder_feed (self->decoder, data, len, on_message, self, &error))
    {
      reason = g_strdup_printf (_("the server broke the WebSocket protocol: %s (closed with %d)"),
                                error->message, error->code);
      close_conn (self, (guint) error->code,
                  fw_websocket_decoder_get_close_reason (self->decoder));
      lost (self, reason);
      return;
    }

  if (self->conn != NULL && self->conn->stuck)
    {
      lost (self, STUCK_REASON);
      return;
    }

  if (!fw_websocket_decoder_is_closed (self->decoder))
    {
      advance (self);
      return;
    }

  code = self->close_code;
  if (code == FW_WEBSOCKET_CLOSE_NO_STATUS)
    reason = g_strdup (_("closed by the server"));
  else if (self->close_reason[0] != '\0')
    reason = g_strdup_printf (_("closed by the server (%u %s)"), code, self->close_reason);
  else
    reason = g_strdup_printf (_("closed by the server (%u)"), code);
  /* The usual answer echoes the server's code (RFC 6455 §5.5.1). */
  close_conn (self, code == FW_WEBSOCKET_CLOSE_NO_STATUS ? 0 : code, NULL);
  if (self->once && (code == FW_WEBSOCKET_CLOSE_NORMAL || code == FW_WEBSOCKET_CLOSE_GOING_AWAY ||
                     code == FW_WEBSOCKET_CLOSE_NO_STATUS))
    {
      /* The server's way of saying it has sent everything */
      self->ended = TRUE;
      advance (self);
      return;
    }
  lost (self, reason);
}

static void
on_read (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Conn *conn = user_data;
  FwWebsocketSource *self = conn->token.owner;
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);

  if (self == NULL || self->conn != conn)
    {
      conn_unref (conn);
      return;
    }

  self->reading = FALSE;
  disarm_idle_timer (self);

  if (n <= 0)
    {
      g_autofree char *reason = NULL;

      if (n == 0)
        reason = g_strdup (fw_websocket_decoder_is_idle (self->decoder)
                             ? _("the connection was lost")
                             : _("the connection was lost in the middle of a message"));
      else
        reason = fw_http_describe_error (error, self->url);
      conn_unref (conn);
      lost (self, reason);
      return;
    }

  decode (self, conn->buf, (gsize) n);
  conn_unref (conn);
}

static void
start_read (FwWebsocketSource *self)
{
  Conn *conn = self->conn;

  self->reading = TRUE;
  arm_idle_timer (self);
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (conn->stream)),
                             conn->buf, sizeof conn->buf, G_PRIORITY_DEFAULT,
                             conn->cancellable, on_read, conn_ref (conn));
}

/* ---------------------------------------------------------------------------------------- */
/* The handshake */

static gboolean
header_has_token (SoupMessageHeaders *headers,
                  const char         *name,
                  const char         *token)
{
  const char *value = soup_message_headers_get_list (headers, name);

  return value != NULL && soup_header_contains (value, token);
}

/* Whether @head (the status line and headers, up to the blank line) accepts the upgrade. */
static gboolean
check_response (FwWebsocketSource  *self,
                Conn               *conn,
                const char         *head,
                gsize               len,
                char              **out_reason)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autofree char *phrase = NULL;
  const char *value;
  guint status;

  if (!soup_headers_parse_response (head, (int) len, headers, NULL, &status, &phrase))
    {
      *out_reason = g_strdup (_("the server's answer to the WebSocket handshake is not HTTP"));
      return FALSE;
    }

  if (status != SOUP_STATUS_SWITCHING_PROTOCOLS)
    {
      g_autofree char *described = fw_http_describe_status_code (status, phrase);

      fw_reconnect_note_response (self->reconnect, headers);
      *out_reason = g_strdup_printf (_("the server refused the WebSocket handshake: %s"),
                                     described);
      return FALSE;
    }

  if (!header_has_token (headers, "Upgrade", "websocket") ||
      !header_has_token (headers, "Connection", "upgrade"))
    {
      *out_reason = g_strdup (_("the server's 101 response does not upgrade to a WebSocket"));
      return FALSE;
    }

  value = soup_message_headers_get_one (headers, "Sec-WebSocket-Accept");
  if (value == NULL || strcmp (value, conn->accept) != 0)
    {
      *out_reason = g_strdup (_("the server's Sec-WebSocket-Accept does not answer our key"));
      return FALSE;
    }

  /* We offer no extension, so the server may not use one. */
  value = soup_message_headers_get_list (headers, "Sec-WebSocket-Extensions");
  if (value != NULL && value[0] != '\0')
    {
      *out_reason = g_strdup_printf (_("the server chose the extension “%s”, which was not "
                                       "offered"), value);
      return FALSE;
    }

  value = soup_message_headers_get_one (headers, "Sec-WebSocket-Protocol");
  if (value != NULL && g_strcmp0 (value, self->protocol) != 0)
    {
      *out_reason = g_strdup_printf (_("the server chose the subprotocol “%s”, which was not "
                                       "asked for"), value);
      return FALSE;
    }

  return TRUE;
}

static void
open_conn (FwWebsocketSource *self,
           const guint8      *rest,
           gsize              rest_len)
{
  Conn *conn = self->conn;

  conn->open = TRUE;
  self->n_connects++;
  fw_reconnect_succeeded (self->reconnect);
  fw_websocket_decoder_reset (self->decoder);
  g_ptr_array_add (self->queued, fw_feed_status_new (self->feed, FW_FEED_STATE_LIVE,
                                                     FW_LEVEL_INFO, "connected"));

  if (self->send != NULL)
    conn_write (conn, fw_websocket_encode_client_frame (FW_WEBSOCKET_OPCODE_TEXT,
                                                        (const guint8 *) self->send,
                                                        strlen (self->send)));
  if (self->keepalive_s > 0)
    {
      self->keepalive_timer = g_timeout_source_new_seconds (self->keepalive_s);
      g_source_set_callback (self->keepalive_timer, on_keepalive, self, NULL);
      g_source_set_static_name (self->keepalive_timer, "[feedwatch] websocket keepalive");
      g_source_attach (self->keepalive_timer, fw_stream_get_context (FW_STREAM (self)));
    }

  /* The frames that came with the head are read already. */
  if (rest_len > 0)
    decode (self, rest, rest_len);
  else
    advance (self);
}

static void read_head (Conn *conn);

/* The CR LF CR LF that ends a head, or NULL. */
static const guint8 *
find_blank_line (const guint8 *data,
                 gsize         len)
{
  const guint8 *p = data;
  const guint8 *end = data + len;

  while ((p = memchr (p, '\r', end - p)) != NULL)
    {
      if (end - p >= 4 && memcmp (p, "\r\n\r\n", 4) == 0)
        return p;
      p++;
    }
  return NULL;
}

static void
on_head_read (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Conn *conn = user_data;
  FwWebsocketSource *self = conn->token.owner;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autoptr(GByteArray) head = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  const guint8 *end_of_head;
  gsize searched, head_len;

  if (self == NULL || self->conn != conn)
    {
      conn_unref (conn);
      return;
    }

  if (n <= 0)
    {
      reason = n == 0 ? g_strdup (_("the server closed the connection during the handshake"))
                      : fw_http_describe_error (error, self->url);
      conn_unref (conn);
      lost (self, reason);
      return;
    }

  /* A blank line ends the head; it may straddle two reads. */
  searched = conn->head->len >= 3 ? conn->head->len - 3 : 0;
  g_byte_array_append (conn->head, conn->buf, (guint) n);
  end_of_head = find_blank_line (conn->head->data + searched, conn->head->len - searched);
  if (end_of_head == NULL)
    {
      if (conn->head->len >= MAX_HEAD_SIZE)
        {
          conn_unref (conn);
          lost (self, _("the server's answer to the WebSocket handshake has a head over 16 KiB"));
          return;
        }
      read_head (conn);
      conn_unref (conn);
      return;
    }

  head_len = (gsize) (end_of_head - conn->head->data) + 4;
  if (head_len > MAX_HEAD_SIZE)
    {
      conn_unref (conn);
      lost (self, _("the server's answer to the WebSocket handshake has a head over 16 KiB"));
      return;
    }
  if (!check_response (self, conn, (const char *) conn->head->data, head_len, &reason))
    {
      conn_unref (conn);
      lost (self, reason);
      return;
    }

  disarm_idle_timer (self);
  /* The bytes after the head are the first frames. */
  head = g_steal_pointer (&conn->head);
  conn_unref (conn);
  open_conn (self, head->data + head_len, head->len - head_len);
}

static void
read_head (Conn *conn)
{
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (conn->stream));

  g_input_stream_read_async (input, conn->buf, sizeof conn->buf, G_PRIORITY_DEFAULT,
                             conn->cancellable, on_head_read, conn_ref (conn));
}

static void
on_request_written (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Conn *conn = user_data;
  FwWebsocketSource *self = conn->token.owner;
  g_autoptr(GError) error = NULL;
  gboolean ok = g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL,
                                                  &error);

  g_clear_pointer (&conn->writing, g_bytes_unref);
  if (self == NULL || self->conn != conn)
    {
      conn_unref (conn);
      return;
    }

  if (!ok)
    {
      g_autofree char *reason = fw_http_describe_error (error, self->url);

      conn_unref (conn);
      lost (self, reason);
      return;
    }

  read_head (conn);
  conn_unref (conn);
}

static gboolean
is_handshake_header (const char *name)
{
  static const char *const ours[] = {
    "Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version",
    "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions", "Content-Length",
    "Transfer-Encoding",
  };

  for (guint i = 0; i < G_N_ELEMENTS (ours); i++)
    {
      if (g_ascii_strcasecmp (name, ours[i]) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
has_option_header (FwWebsocketSource *self,
                   const char        *name)
{
  for (guint i = 0; i + 1 < self->options->headers->len; i += 2)
    {
      if (g_ascii_strcasecmp (g_ptr_array_index (self->options->headers, i), name) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The upgrade request (RFC 6455 §4.1), with the feed's own headers. */
static GBytes *
build_request (FwWebsocketSource *self,
               const char        *key)
{
  GString *request = g_string_sized_new (512);
  const char *path = g_uri_get_path (self->uri);
  const char *query = g_uri_get_query (self->uri);
  const char *host = g_uri_get_host (self->uri);
  const char *user = g_uri_get_user (self->uri);
  int port = g_uri_get_port (self->uri);

  g_string_append_printf (request, "GET %s%s%s HTTP/1.1\r\n", path[0] != '\0' ? path : "/",
                          query != NULL ? "?" : "", query != NULL ? query : "");

  if (!has_option_header (self, "Host"))
    {
      gboolean ipv6 = strchr (host, ':') != NULL;

      g_string_append_printf (request, "Host: %s%s%s", ipv6 ? "[" : "", host, ipv6 ? "]" : "");
      if (port > 0 && port != (self->tls ? 443 : 80))
        g_string_append_printf (request, ":%d", port);
      g_string_append (request, "\r\n");
    }
  g_string_append_printf (request,
                          "Upgrade: websocket\r\n"
                          "Connection: Upgrade\r\n"
                          "Sec-WebSocket-Key: %s\r\n"
                          "Sec-WebSocket-Version: 13\r\n", key);
  if (self->protocol != NULL)
    g_string_append_printf (request, "Sec-WebSocket-Protocol: %s\r\n", self->protocol);
  if (!has_option_header (self, "User-Agent"))
    g_string_append (request, "User-Agent: Feedwatch\r\n");
  /* Credentials in the URL are sent as a browser would after a challenge, but at once: this
   * client does not answer challenges. */
  if (user != NULL && !has_option_header (self, "Authorization"))
    {
      const char *password = g_uri_get_password (self->uri);
      g_autofree char *pair = g_strconcat (user, ":", password != NULL ? password : "", NULL);
      g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));

      g_string_append_printf (request, "Authorization: Basic %s\r\n", encoded);
    }
  for (guint i = 0; i + 1 < self->options->headers->len; i += 2)
    {
      const char *name = g_ptr_array_index (self->options->headers, i);

      if (!is_handshake_header (name))
        g_string_append_printf (request, "%s: %s\r\n", name,
                                (const char *) g_ptr_array_index (self->options->headers, i + 1));
    }
  g_string_append (request, "\r\n");

  return g_string_free_to_bytes (request);
}

static void
on_connected (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Conn *conn = user_data;
  FwWebsocketSource *self = conn->token.owner;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) stream =
    g_socket_client_connect_to_uri_finish (G_SOCKET_CLIENT (object), result, &error);
  g_autofree char *key = NULL;
  GOutputStream *output;
  gsize len;
  const void *data;

  if (self == NULL || self->conn != conn)
    {
      conn_unref (conn);
      return;
    }

  if (stream == NULL)
    {
      g_autofree char *reason = fw_http_describe_error (error, self->url);

      conn_unref (conn);
      if (error->domain == G_TLS_ERROR)
        {
          g_autofree char *shown = shown_url (self);

          fail (self, g_error_new (error->domain, error->code, "%s: %s", shown, reason));
        }
      else
        lost (self, reason);
      return;
    }

  conn->stream = g_steal_pointer (&stream);
  key = fw_websocket_new_key ();
  conn->accept = fw_websocket_compute_accept (key);
  conn->writing = build_request (self, key);
  output = g_io_stream_get_output_stream (G_IO_STREAM (conn->stream));
  data = g_bytes_get_data (conn->writing, &len);
  /* The connect's reference goes on to the write. */
  g_output_stream_write_all_async (output, data, len, G_PRIORITY_DEFAULT, conn->cancellable,
                                   on_request_written, conn);
}

static gboolean
accept_any_certificate (GTlsConnection       *connection,
                        GTlsCertificate      *certificate,
                        GTlsCertificateFlags  errors,
                        gpointer              user_data)
{
  /* Only reached with `insecure=1`: the user asked for it, for this feed. */
  return TRUE;
}

static void
on_client_event (GSocketClient      *client,
                 GSocketClientEvent  event,
                 GSocketConnectable *connectable,
                 GIOStream          *connection,
                 gpointer            user_data)
{
  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING && G_IS_TLS_CLIENT_CONNECTION (connection))
    g_signal_connect (connection, "accept-certificate", G_CALLBACK (accept_any_certificate),
                      NULL);
}

static void
connect_now (FwWebsocketSource *self)
{
  Conn *conn;

  if (self->client == NULL)
    {
      /* No timeout of its own: the idle timeout bounds the whole handshake. */
      self->client = g_socket_client_new ();
      g_socket_client_set_tls (self->client, self->tls);
      if (self->options->insecure)
        g_signal_connect (self->client, "event", G_CALLBACK (on_client_event), NULL);
    }

  conn = conn_new (self);
  self->conn = conn;
  arm_idle_timer (self);
  g_socket_client_connect_to_uri_async (self->client, self->url, self->tls ? 443 : 80,
                                        conn->cancellable, on_connected, conn_ref (conn));
}

static gboolean
on_retry_due (gpointer user_data)
{
  FwWebsocketSource *self = user_data;

  advance (self);
  return G_SOURCE_REMOVE;
}

static gboolean
on_stall (gpointer user_data)
{
  FwWebsocketSource *self = user_data;

  /* Nobody pulled: read on, so pings are answered, and drop what does not fit. */
  g_clear_pointer (&self->stall_timer, g_source_unref);
  self->dropping = TRUE;
  advance (self);
  return G_SOURCE_REMOVE;
}

/* Reads on while connected, unless the queue is full and nobody pulls: then TCP holds the
 * server back, for STALL_GRACE_MS. */
static void
keep_reading (FwWebsocketSource *self)
{
  if (self->conn == NULL || !self->conn->open || self->reading)
    return;
  if (!self->waiting && !self->dropping && queue_is_full (self))
    {
      if (self->stall_timer == NULL)
        self->stall_timer = start_timeout (self, self->stall_grace_ms, on_stall, self,
                                           "[feedwatch] websocket stall");
      return;
    }
  start_read (self);
}

/* Moves the feed on: if someone is waiting, answer with what is queued, or do what it takes
 * to get more (connect); and read on while connected. */
static void
advance (FwWebsocketSource *self)
{
  if (self->waiting)
    {
      if (self->queued->len > 0 || self->ended)
        answer (self);
      else if (self->conn == NULL &&
               !fw_reconnect_wait (self->reconnect, FW_STREAM (self), on_retry_due,
                                   "[feedwatch] websocket retry"))
        connect_now (self);
    }
  keep_reading (self);
}

/* ---------------------------------------------------------------------------------------- */
/* FwStream */

static void
fw_websocket_source_pull (FwStream     *stream,
                          guint         max_items,
                          GCancellable *cancellable)
{
  FwWebsocketSource *self = FW_WEBSOCKET_SOURCE (stream);

  self->waiting = TRUE;
  advance (self);
}

/* A goodbye (1001, going away) on close, if it goes out without waiting: release may neither
 * block nor leave I/O behind, so a frame that does not fit the socket now is not sent. */
static void
say_going_away (Conn *conn)
{
  g_autoptr(GBytes) frame = NULL;
  GOutputStream *output;
  const void *data;
  gsize len;

  if (conn == NULL || !conn->open || conn->writing != NULL)
    return;
  output = g_io_stream_get_output_stream (G_IO_STREAM (conn->stream));
  if (!G_IS_POLLABLE_OUTPUT_STREAM (output) ||
      !g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (output)))
    return;

  frame = fw_websocket_encode_close (FW_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
  data = g_bytes_get_data (frame, &len);
  g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (output), data, len,
                                              NULL, NULL);
}

static void
fw_websocket_source_release (FwStream *stream)
{
  FwWebsocketSource *self = FW_WEBSOCKET_SOURCE (stream);

  say_going_away (self->conn);
  drop_conn (self);
  if (self->closing != NULL)
    conn_detach (g_steal_pointer (&self->closing));
  fw_reconnect_stop (self->reconnect);
  stop_source (&self->idle_timer);
  stop_source (&self->stall_timer);
  g_clear_object (&self->client);
  drop_queued (self);
  self->waiting = FALSE;
  self->ended = TRUE;
}

static void
fw_websocket_source_finalize (GObject *object)
{
  FwWebsocketSource *self = FW_WEBSOCKET_SOURCE (object);

  g_assert (self->idle_timer == NULL);
  g_assert (self->keepalive_timer == NULL);
  g_assert (self->stall_timer == NULL);
  g_assert (self->conn == NULL);
  g_assert (self->closing == NULL);

  g_clear_object (&self->client);
  drop_queued (self);
  g_ptr_array_unref (self->queued);
  g_clear_error (&self->failure);
  g_clear_pointer (&self->decoder, fw_websocket_decoder_free);
  g_clear_pointer (&self->options, fw_http_options_free);
  g_clear_pointer (&self->reconnect, fw_reconnect_free);
  g_clear_pointer (&self->uri, g_uri_unref);
  g_free (self->url);
  g_free (self->send);
  g_free (self->protocol);
  g_free (self->close_reason);
  g_clear_pointer (&self->feed, g_ref_string_release);

  G_OBJECT_CLASS (fw_websocket_source_parent_class)->finalize (object);
}

static void
fw_websocket_source_class_init (FwWebsocketSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  FwStreamClass *stream_class = FW_STREAM_CLASS (klass);

  object_class->finalize = fw_websocket_source_finalize;
  stream_class->pull = fw_websocket_source_pull;
  stream_class->release = fw_websocket_source_release;
}

static void
fw_websocket_source_init (FwWebsocketSource *self)
{
  /* No free function: answering hands the items over, so emptying it must not unref. */
  self->queued = g_ptr_array_new ();
}

/* A request target the request line can carry as it is. */
static gboolean
is_request_target (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if ((guchar) *p <= 0x20 || *p == 0x7F)
        return FALSE;
    }
  return TRUE;
}

/**
 * fw_websocket_source_open:
 *
 * `ws://…#options` or `wss://…#options`. Returns: (transfer full) (nullable): the stream,
 *   which connects on its first `next`, or %NULL with @error set for bad options
 */
FwStream *
fw_websocket_source_open (const FwFeedSpec  *spec,
                          FwFeedOpenFlags    flags,
                          GError           **error)
{
  g_autoptr(FwWebsocketSource) self = NULL;
  g_autoptr(FwHttpOptions) options = NULL;
  g_autoptr(SoupMessage) probe = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *url = NULL;
  guint keepalive, max_queue, max_message, retry_max;
  gboolean tls;

  /* The handshake is an HTTP request: ws → http, wss → https. */
  if (g_ascii_strncasecmp (spec->target, "ws://", 5) == 0)
    {
      url = g_strconcat ("http://", spec->target + 5, NULL);
      tls = FALSE;
    }
  else if (g_ascii_strncasecmp (spec->target, "wss://", 6) == 0)
    {
      url = g_strconcat ("https://", spec->target + 6, NULL);
      tls = TRUE;
    }
  else
    {
      g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                   _("Feed “%s”: a WebSocket URL starts with ws:// or wss://"), spec->text);
      return NULL;
    }

  options = fw_http_options_parse (spec, 0, error);
  if (options == NULL ||
      !fw_feed_spec_get_uint (spec, "keepalive", FW_WEBSOCKET_DEFAULT_KEEPALIVE_S, &keepalive,
                              error) ||
      !fw_feed_spec_get_uint (spec, "max-queue", FW_WEBSOCKET_DEFAULT_MAX_QUEUE, &max_queue,
                              error) ||
      !fw_feed_spec_get_uint (spec, "max-message", FW_WEBSOCKET_DEFAULT_MAX_MESSAGE,
                              &max_message, error) ||
      (retry_max = fw_http_get_retry_max (spec, error)) == 0)
    return NULL;
  /* The same checks, and words, as the HTTP feeds' URLs. */
  probe = fw_http_options_new_message (options, url, error);
  if (probe == NULL)
    return NULL;
  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL || !is_request_target (g_uri_get_path (uri)) ||
      (g_uri_get_query (uri) != NULL && !is_request_target (g_uri_get_query (uri))))
    {
      g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                   _("Feed “%s”: the URL's path cannot hold spaces or control characters"),
                   spec->text);
      return NULL;
    }
  if (fw_feed_spec_get_option (spec, "protocol") != NULL &&
      !is_request_target (fw_feed_spec_get_option (spec, "protocol")))
    {
      g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                   _("Feed “%s”: the protocol must be a single word"), spec->text);
      return NULL;
    }

  self = g_object_new (FW_TYPE_WEBSOCKET_SOURCE, "name", spec->text, NULL);
  self->feed = fw_ref_string_intern (spec->text);
  self->url = g_steal_pointer (&url);
  self->uri = g_steal_pointer (&uri);
  self->tls = tls;
  self->send = g_strdup (fw_feed_spec_get_option (spec, "send"));
  self->protocol = g_strdup (fw_feed_spec_get_option (spec, "protocol"));
  self->keepalive_s = keepalive;
  self->max_message = MAX (max_message, FW_WEBSOCKET_MAX_CONTROL_PAYLOAD);
  self->max_queue = MAX (max_queue, 1);
  self->stall_grace_ms = STALL_GRACE_MS;
  self->decoder = fw_websocket_decoder_new (self->max_message);
  self->once = (flags & FW_FEED_OPEN_ONCE) != 0;
  self->reconnect = fw_reconnect_new (options->retry_ms >= 0 ? (guint) options->retry_ms
                                                             : FW_BACKOFF_DEFAULT_BASE_MS,
                                      retry_max, FALSE);
  self->options = g_steal_pointer (&options);

  return FW_STREAM (g_steal_pointer (&self));
}

/* The messages dropped because the queue was full and nobody pulled */
guint64
fw_websocket_source_get_n_dropped (FwWebsocketSource *self)
{
  g_return_val_if_fail (FW_IS_WEBSOCKET_SOURCE (self), 0);
  return self->n_dropped;
}

/* The messages waiting for a pull */
guint
fw_websocket_source_get_n_queued (FwWebsocketSource *self)
{
  g_return_val_if_fail (FW_IS_WEBSOCKET_SOURCE (self), 0);
  return self->n_queued;
}

/* How long a full queue waits for a pull before messages are dropped (tests make it longer
 * or shorter than STALL_GRACE_MS) */
void
fw_websocket_source_set_stall_grace (FwWebsocketSource *self,
                                     guint              ms)
{
  g_return_if_fail (FW_IS_WEBSOCKET_SOURCE (self));
  self->stall_grace_ms = ms;
}

guint64
fw_websocket_source_get_n_received (FwWebsocketSource *self)
{
  g_return_val_if_fail (FW_IS_WEBSOCKET_SOURCE (self), 0);
  return self->n_received;
}

guint
fw_websocket_source_get_n_connects (FwWebsocketSource *self)
{
  g_return_val_if_fail (FW_IS_WEBSOCKET_SOURCE (self), 0);
  return self->n_connects;
}

/* The most bytes of frames that ever waited behind the one in flight, over all connections */
gsize
fw_websocket_source_get_peak_queued_bytes (FwWebsocketSource *self)
{
  g_return_val_if_fail (FW_IS_WEBSOCKET_SOURCE (self), 0);
  return self->peak_queued_bytes;
}

static const FwFeedOption websocket_source_options[] = {
  { .key = "send", .type = FW_FEED_OPTION_STRING,
    .help = N_("A message sent once connected") },
  { .key = "protocol", .type = FW_FEED_OPTION_STRING,
    .help = N_("The subprotocol asked for (Sec-WebSocket-Protocol)") },
  { .key = "keepalive", .type = FW_FEED_OPTION_SECONDS, .default_value = "30",
    .help = N_("Seconds between pings (0: none)") },
  { .key = "max-message", .type = FW_FEED_OPTION_BYTES, .default_value = "1048576",
    .help = N_("The largest message, in bytes") },
  { .key = "max-queue", .type = FW_FEED_OPTION_UINT, .default_value = "10000",
    .help = N_("Messages kept while the feed is not read (then TCP holds the server back; "
               "after a second more, the rest are dropped and counted)") },
  { .key = "idle-timeout", .type = FW_FEED_OPTION_MILLISECONDS, .default_value = "0",
    .help = N_("Milliseconds without data, while reading, before the connection counts as "
               "dead (0: never)") },
  { NULL }
};

static const FwFeedOption *const websocket_source_option_list[] = {
  websocket_source_options, fw_http_connection_options, NULL
};

const FwFeedKind fw_websocket_source_ws_kind = {
  .name = "ws",
  .open = fw_websocket_source_open,
  .description = N_("WebSocket"),
  .title = N_("WebSocket"),
  .icon_name = "mail-send-receive-symbolic",
  .example = "ws://",
  .options = websocket_source_option_list,
  .default_title = fw_feed_title_from_url,
};

const FwFeedKind fw_websocket_source_wss_kind = {
  .name = "wss",
  .open = fw_websocket_source_open,
  .description = N_("WebSocket over TLS"),
  .title = N_("WebSocket"),
  .icon_name = "mail-send-receive-symbolic",
  .example = "wss://",
  .options = websocket_source_option_list,
  .default_title = fw_feed_title_from_url,
};
