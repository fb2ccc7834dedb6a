/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-websocket-source.c: `ws://host/path#options`, `wss://…`.
 *
 * Text messages become FW_ITEM_MESSAGE items (a JSON object is parsed as an NDJSON line is,
 * by fw-json-item); binary ones show their size and a hex prefix (FW_ITEM_FLAG_BINARY).
 *
 * Backpressure: libsoup 3.2's SoupWebsocketConnection reads on its own as long as it is open
 * (it has no pause), so the source cannot leave messages in the socket the way the HTTP feeds
 * do. Messages wait in a bounded queue (max-queue, default 10000): when it is full the oldest
 * go, and the next answer starts with a status item saying how many were dropped. The size of
 * one message is capped too (max-message, default 1 MiB; libsoup closes the connection with
 * 1009 on a larger one, and the source reconnects).
 *
 * Options: send=TEXT (sent after each connection: a subscribe command), keepalive (s between
 * pings, default 30, 0 = none), protocol (a subprotocol to ask for), idle-timeout (ms without
 * a message, default none), retry and retry-max, and the headers and TLS option of
 * fw-http-options.h. */

#include "fw-websocket-source.h"

#include <libsoup/soup.h>
#include <string.h>

#include "fw-backoff.h"
#include "fw-http-detect.h"
#include "fw-http-options.h"
#include "fw-json-item.h"

typedef struct
{
  gatomicrefcount    ref_count;
  FwWebsocketSource *self;   /* NULL once detached */
  GCancellable      *cancellable;
} Token;

struct _FwWebsocketSource
{
  FwStream                 parent_instance;

  GRefString              *feed;
  char                    *url;       /* as http(s)://, which the handshake is */
  FwHttpOptions           *options;
  char                    *send;
  char                    *protocol;
  guint                    keepalive_s;
  guint                    max_queue;
  guint                    max_message;
  gboolean                 once;

  SoupSession             *session;
  Token                   *token;     /* of the connection attempt in flight */
  SoupWebsocketConnection *conn;
  FwBackoff               *backoff;
  GSource                 *timer;     /* retry, or idle */
  gint64                   retry_at;
  gboolean                 waiting;   /* a pull is unanswered */
  gboolean                 ended;     /* --once: the connection closed */

  GQueue                  *queue;     /* FwItem */
  guint64                  dropped_unreported;
  guint64                  n_dropped;
  guint64                  n_received;
  guint                    n_connects;
};

G_DEFINE_FINAL_TYPE (FwWebsocketSource, fw_websocket_source, FW_TYPE_STREAM)

static void connect_now (FwWebsocketSource *self);
static void lost (FwWebsocketSource *self, const char *reason);

static void
token_unref (Token *token)
{
  if (!g_atomic_ref_count_dec (&token->ref_count))
    return;
  g_clear_object (&token->cancellable);
  g_free (token);
}

static void
stop_timer (FwWebsocketSource *self)
{
  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
}

static void
start_timer (FwWebsocketSource *self,
             guint              delay_ms,
             GSourceFunc        func)
{
  stop_timer (self);
  self->timer = g_timeout_source_new (delay_ms);
  g_source_set_callback (self->timer, func, self, NULL);
  g_source_set_static_name (self->timer, "[feedwatch] websocket timer");
  g_source_attach (self->timer, fw_stream_get_context (FW_STREAM (self)));
}

/* ---------------------------------------------------------------------------------------- */
/* The queue and the pending pull */

static void
enqueue (FwWebsocketSource *self,
         FwItem            *item)
{
  g_queue_push_tail (self->queue, item);
  while (self->queue->length > self->max_queue)
    {
      fw_item_unref (g_queue_pop_head (self->queue));
      self->n_dropped++;
      self->dropped_unreported++;
    }
}

/* Answers the pending pull if there is anything to say. */
static void
deliver (FwWebsocketSource *self)
{
  FwItem *item;

  if (!self->waiting)
    return;
  if (self->queue->length == 0 && self->dropped_unreported == 0)
    {
      if (self->ended)
        {
          self->waiting = FALSE;
          fw_stream_pull_end (FW_STREAM (self));
        }
      return;
    }

  self->waiting = FALSE;
  if (self->dropped_unreported > 0)
    {
      fw_stream_yield (FW_STREAM (self),
                       fw_http_status_item_new (self->feed,
                                                "dropped %" G_GUINT64_FORMAT " messages: the "
                                                "reader was slower than the server",
                                                self->dropped_unreported));
      self->dropped_unreported = 0;
    }
  while ((item = g_queue_pop_head (self->queue)) != NULL)
    fw_stream_yield (FW_STREAM (self), item);
  fw_stream_pull_done (FW_STREAM (self));
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
  if (item == NULL)
    {
      g_autofree char *valid = g_utf8_make_valid (text, (gssize) len);
      item = fw_item_new (FW_ITEM_MESSAGE, self->feed, now, valid, -1);
    }

  return item;
}

static gboolean
on_idle_timeout (gpointer user_data)
{
  FwWebsocketSource *self = user_data;
  char secs[32];
  g_autofree char *reason = NULL;

  g_clear_pointer (&self->timer, g_source_unref);
  fw_http_format_seconds (secs, sizeof secs, self->options->idle_timeout_ms);
  enqueue (self, fw_http_status_item_new (self->feed, "idle for %s s", secs));
  reason = g_strdup_printf ("no message for %s s", secs);
  lost (self, reason);

  return G_SOURCE_REMOVE;
}

static void
arm_idle_timer (FwWebsocketSource *self)
{
  if (self->options->idle_timeout_ms > 0)
    start_timer (self, self->options->idle_timeout_ms, on_idle_timeout);
}

static void
on_message (SoupWebsocketConnection *conn,
            int                      type,
            GBytes                  *message,
            gpointer                 user_data)
{
  FwWebsocketSource *self = user_data;
  gsize len;
  const guint8 *data = g_bytes_get_data (message, &len);
  gint64 now = g_get_real_time ();

  self->n_received++;
  arm_idle_timer (self);
  if (type == SOUP_WEBSOCKET_DATA_TEXT)
    enqueue (self, text_item (self, (const char *) data, len, now));
  else
    enqueue (self, fw_websocket_item_new_binary (self->feed, now, data, len));
  deliver (self);
}

static void
drop_conn (FwWebsocketSource *self)
{
  SoupWebsocketConnection *conn = g_steal_pointer (&self->conn);

  if (conn == NULL)
    return;

  g_signal_handlers_disconnect_by_data (conn, self);
  if (soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
  g_object_unref (conn);
}

/* The connection is gone: a status and a retry later, or with --once the end. */
static void
lost (FwWebsocketSource *self,
      const char        *reason)
{
  char secs[32];
  guint delay;

  stop_timer (self);
  drop_conn (self);
  if (self->token != NULL)
    {
      /* Timed out while connecting: that attempt is abandoned. */
      self->token->self = NULL;
      g_cancellable_cancel (self->token->cancellable);
      token_unref (g_steal_pointer (&self->token));
    }

  if (self->once)
    {
      self->ended = TRUE;
      deliver (self);
      return;
    }

  delay = fw_backoff_next_delay (self->backoff);
  self->retry_at = g_get_monotonic_time () + (gint64) delay * 1000;
  fw_http_format_seconds (secs, sizeof secs, delay);
  enqueue (self, fw_http_status_item_new (self->feed, "retrying in %s s: %s", secs, reason));
  deliver (self);
  /* The retry starts on the next pull, so a feed nobody reads does not reconnect. */
}

static void
on_closed (SoupWebsocketConnection *conn,
           gpointer                 user_data)
{
  FwWebsocketSource *self = user_data;
  gushort code = soup_websocket_connection_get_close_code (conn);
  const char *data = soup_websocket_connection_get_close_data (conn);
  g_autofree char *reason = NULL;

  if (code == 0)
    reason = g_strdup ("the connection was lost");
  else if (data != NULL && data[0] != '\0')
    reason = g_strdup_printf ("closed by the server (%u %s)", code, data);
  else
    reason = g_strdup_printf ("closed by the server (%u)", code);
  lost (self, reason);
}

static void
on_error (SoupWebsocketConnection *conn,
          GError                  *error,
          gpointer                 user_data)
{
  g_autofree char *shown = fw_feed_spec_redact (FW_WEBSOCKET_SOURCE (user_data)->url);

  /* A protocol error is followed by "closed": say what it was. */
  g_debug ("WebSocket “%s”: %s", shown, error->message);
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Token *token = user_data;
  FwWebsocketSource *self = token->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupWebsocketConnection) conn =
    soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);

  if (self == NULL)
    {
      if (conn != NULL)
        soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
      token_unref (token);
      return;
    }
  token_unref (g_steal_pointer (&self->token));
  token_unref (token);

  if (conn == NULL)
    {
      g_autofree char *reason = fw_http_describe_error (error, self->url);

      if (error->domain == G_TLS_ERROR)
        {
          g_autofree char *shown = fw_feed_spec_redact (self->url);

          /* Retrying cannot fix a certificate. */
          stop_timer (self);
          self->waiting = FALSE;
          fw_stream_pull_error (FW_STREAM (self),
                                g_error_new (error->domain, error->code, "%s: %s", shown,
                                             reason));
          return;
        }
      lost (self, reason);
      return;
    }

  self->conn = g_steal_pointer (&conn);
  self->n_connects++;
  fw_backoff_reset (self->backoff);
  soup_websocket_connection_set_max_incoming_payload_size (self->conn, self->max_message);
  soup_websocket_connection_set_keepalive_interval (self->conn, self->keepalive_s);
  g_signal_connect (self->conn, "message", G_CALLBACK (on_message), self);
  g_signal_connect (self->conn, "closed", G_CALLBACK (on_closed), self);
  g_signal_connect (self->conn, "error", G_CALLBACK (on_error), self);
  if (self->send != NULL)
    soup_websocket_connection_send_text (self->conn, self->send);

  arm_idle_timer (self);
  enqueue (self, fw_http_status_item_new (self->feed, "connected"));
  deliver (self);
}

static void
connect_now (FwWebsocketSource *self)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) error = NULL;
  char *protocols[] = { self->protocol, NULL };
  Token *token;

  if (self->session == NULL)
    self->session = fw_http_session_new ();

  msg = fw_http_options_new_message (self->options, self->url, &error);
  if (msg == NULL)
    {
      self->waiting = FALSE;
      fw_stream_pull_error (FW_STREAM (self), g_steal_pointer (&error));
      return;
    }

  token = g_new0 (Token, 1);
  g_atomic_ref_count_init (&token->ref_count);
  token->self = self;
  token->cancellable = g_cancellable_new ();
  self->token = token;
  g_atomic_ref_count_inc (&token->ref_count);

  arm_idle_timer (self);
  soup_session_websocket_connect_async (self->session, msg, NULL,
                                        self->protocol != NULL ? protocols : NULL,
                                        G_PRIORITY_DEFAULT, token->cancellable, on_connected,
                                        token);
}

static gboolean
on_retry_due (gpointer user_data)
{
  FwWebsocketSource *self = user_data;

  g_clear_pointer (&self->timer, g_source_unref);
  connect_now (self);

  return G_SOURCE_REMOVE;
}

/* ---------------------------------------------------------------------------------------- */
/* FwStream */

static void
fw_websocket_source_pull (FwStream     *stream,
                          guint         max_items,
                          GCancellable *cancellable)
{
  FwWebsocketSource *self = FW_WEBSOCKET_SOURCE (stream);
  gint64 now;

  self->waiting = TRUE;
  deliver (self);
  if (!self->waiting || self->conn != NULL || self->token != NULL || self->ended ||
      self->timer != NULL)
    return;

  now = g_get_monotonic_time ();
  if (self->retry_at > now)
    start_timer (self, (guint) ((self->retry_at - now + 999) / 1000), on_retry_due);
  else
    connect_now (self);
}

static void
fw_websocket_source_release (FwStream *stream)
{
  FwWebsocketSource *self = FW_WEBSOCKET_SOURCE (stream);

  stop_timer (self);
  if (self->token != NULL)
    {
      self->token->self = NULL;
      g_cancellable_cancel (self->token->cancellable);
      token_unref (g_steal_pointer (&self->token));
    }
  drop_conn (self);
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_queue_clear_full (self->queue, (GDestroyNotify) fw_item_unref);
}

static void
fw_websocket_source_finalize (GObject *object)
{
  FwWebsocketSource *self = FW_WEBSOCKET_SOURCE (object);

  g_assert (self->timer == NULL);
  g_assert (self->token == NULL);
  g_assert (self->conn == NULL);

  g_clear_object (&self->session);
  g_queue_free_full (self->queue, (GDestroyNotify) fw_item_unref);
  g_clear_pointer (&self->options, fw_http_options_free);
  g_clear_pointer (&self->backoff, fw_backoff_free);
  g_free (self->url);
  g_free (self->send);
  g_free (self->protocol);
  g_ref_string_release (self->feed);

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
  self->queue = g_queue_new ();
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
  g_autofree char *url = NULL;
  guint keepalive, max_queue, max_message, retry_max;

  /* The handshake is an HTTP request: ws → http, wss → https. */
  if (g_ascii_strncasecmp (spec->target, "ws://", 5) == 0)
    url = g_strconcat ("http://", spec->target + 5, NULL);
  else if (g_ascii_strncasecmp (spec->target, "wss://", 6) == 0)
    url = g_strconcat ("https://", spec->target + 6, NULL);
  else
    {
      g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                   "Feed “%s”: a WebSocket URL starts with ws:// or wss://", spec->text);
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
  probe = fw_http_options_new_message (options, url, error);
  if (probe == NULL)
    return NULL;

  self = g_object_new (FW_TYPE_WEBSOCKET_SOURCE, "name", spec->text, NULL);
  self->feed = g_ref_string_new_intern (spec->text);
  self->url = g_steal_pointer (&url);
  self->send = g_strdup (fw_feed_spec_get_option (spec, "send"));
  self->protocol = g_strdup (fw_feed_spec_get_option (spec, "protocol"));
  self->keepalive_s = keepalive;
  self->max_queue = MAX (max_queue, 1);
  self->max_message = MAX (max_message, 125);
  self->once = (flags & FW_FEED_OPEN_ONCE) != 0;
  self->backoff = fw_backoff_new (options->retry_ms >= 0 ? (guint) options->retry_ms
                                                         : FW_BACKOFF_DEFAULT_BASE_MS,
                                  retry_max, FW_BACKOFF_JITTER_FULL);
  self->options = g_steal_pointer (&options);

  return FW_STREAM (g_steal_pointer (&self));
}

guint64
fw_websocket_source_get_n_dropped (FwWebsocketSource *self)
{
  g_return_val_if_fail (FW_IS_WEBSOCKET_SOURCE (self), 0);
  return self->n_dropped;
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
