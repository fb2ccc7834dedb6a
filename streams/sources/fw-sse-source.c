/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-sse-source.c: `sse:URL`, a Server-Sent Events feed.
 *
 * Pull-driven: the body is read (64 KiB at a time) only while a pull is unanswered, so when
 * nobody asks, nothing is read and TCP flow control holds the server back. Each read is parsed
 * by the pure FwSseParser; all the events of one read answer one pull.
 *
 * Reconnects follow the WHATWG spec: after the stream ends or the network fails, wait the
 * reconnection time (the server's `retry:`, 3 s by default and never under
 * MIN_SERVER_RETRY_MS, or the feed's `retry` option, which wins) and reconnect with
 * Last-Event-ID; repeated failures back off exponentially with jitter (FwBackoff), reset by a
 * good connection. An answer other than 200 with text/event-stream fails the feed, as the spec
 * fails the connection: HTTP 204 ends it, another status or type fails it, and so does a
 * redirect loop, which retrying cannot mend. `retry-on=5xx` retries server errors (5xx) too,
 * waiting at least their Retry-After. Every change of connection state is a status item whose
 * name is the state ("connecting", "live", "retrying", "ended", "failed") and whose text says
 * why and which rule applied, so the UI and --print show it.
 *
 * Options: the HTTP ones (fw-http-options.h: header.NAME, method, body, content-type,
 * last-event-id, retry, idle-timeout in ms, insecure), plus `retry-max` (the backoff's cap, ms,
 * default 60 s), `retry-on` (network, the default, or 5xx) and `max-event-size` (bytes,
 * default 16 MiB).
 */

#include "config.h"

#include "fw-sse-source.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "fw-http.h"
#include "fw-source-private.h"
#include "fw-http-options.h"
#include "fw-reconnect.h"
#include "fw-safe-text.h"
#include "fw-sse-parser.h"


#define READ_SIZE (256 * 1024)

/* A server's `retry: 0` would otherwise reconnect in a tight loop (thousands of connections a
 * second to a server that closes at once). The feed's own `retry` is the user's to choose. */
#define MIN_SERVER_RETRY_MS 100

typedef enum
{
  STATE_IDLE,        /* not connected; connect at the next pull */
  STATE_CONNECTING,
  STATE_OPEN,
  STATE_WAITING,     /* the reconnect timer runs */
  STATE_ENDED,
} State;

typedef struct _Connection Connection;

struct _FwSseSource
{
  FwStream        parent_instance;

  char           *uri;
  GRefString     *feed;
  GRefString     *message_type;  /* "message", shared by most events */
  GRefString     *last_type;     /* the last other type seen, reused while it repeats */
  FwHttpOptions  *options;
  FwFeedOpenFlags flags;
  FwSseParser    *parser;
  guint           idle_timeout_ms;
  gboolean        retry_override;  /* the feed's `retry` wins over the server's */
  gboolean        retry_on_5xx;    /* retry-on=5xx: a server error is retried, not fatal */
  FwReconnect    *reconnect;
  SoupSession    *session;
  Connection     *connection;
  GSource        *idle_timer;    /* armed only while waiting for bytes */
  GPtrArray      *queued;        /* items for the next answer */
  guint           yielded;       /* items yielded straight into the unanswered pull */
  GError         *failure;       /* ends the stream after the queued items */
  gint64          now_us;        /* the arrival time of the read being parsed */
  FwItemBlock    *block;         /* the items of the read being parsed (see fw-item.c) */
  gsize           read_len;      /* its bytes: a bound on what is left to become items */
  gint64          waiting_since; /* monotonic µs since bytes are awaited, 0 when they are not */
  guint64         dropped_seen;
  State           state;
  guint           pulling : 1;
  guint           reading : 1;
  guint           ended : 1;
};

/**
 * FwSseSource:
 *
 * An `sse:URL` feed: Server-Sent Events as event items, read only when pulled, reconnecting with
 * Last-Event-ID and a backoff when the connection ends or fails.
 */
G_DEFINE_FINAL_TYPE (FwSseSource, fw_sse_source, FW_TYPE_STREAM)

/* One HTTP request and its body. Async callbacks hold a reference; its token's owner is cleared
 * when the source lets go, so a callback that arrives after close or dispose does nothing. */
struct _Connection
{
  FwSourceToken token;  /* owner: the source, NULL once it let go */
  GCancellable *cancellable;
  SoupMessage  *message;
  GInputStream *body;
  guint8       *buffer;
  gboolean      idle_expired;
};

static void
connection_clear (gpointer data)
{
  Connection *connection = data;

  g_clear_object (&connection->cancellable);
  g_clear_object (&connection->message);
  g_clear_object (&connection->body);
  g_clear_pointer (&connection->buffer, g_free);
}

static Connection *
connection_ref (Connection *connection)
{
  fw_source_token_ref (&connection->token);
  return connection;
}

static void
connection_unref (Connection *connection)
{
  fw_source_token_unref (&connection->token);
}

static void fw_sse_source_connect (FwSseSource *self);
static void fw_sse_source_read    (FwSseSource *self);

/* ---------------------------------------------------------------------------------------- */
/* Answering pulls */

static void
drop_queued (FwSseSource *self)
{
  fw_source_drop_queued (self->queued);
}

static void
fw_sse_source_answer (FwSseSource *self)
{
  self->pulling = FALSE;
  self->yielded = 0;
  fw_source_answer_pull (FW_STREAM (self), self->queued, self->ended, &self->failure);
}

/* Moves the feed on if someone is waiting: answer with what is queued, or do what it takes
 * to get more (connect, read). */
static void
fw_sse_source_advance (FwSseSource *self)
{
  if (!self->pulling)
    return;

  if (self->queued->len > 0 || self->yielded > 0 || self->ended)
    {
      fw_sse_source_answer (self);
      return;
    }

  switch (self->state)
    {
    case STATE_IDLE:
      fw_sse_source_connect (self);
      break;

    case STATE_OPEN:
      if (!self->reading)
        fw_sse_source_read (self);
      break;

    case STATE_CONNECTING:
    case STATE_WAITING:
    case STATE_ENDED:
    default:
      break;
    }
}

static void
queue_status (FwSseSource *self,
              FwFeedState  state,
              FwLevel      level,
              const char  *text)
{
  g_ptr_array_add (self->queued, fw_feed_status_new (self->feed, state, level, text));
}

/* Which secret headers a redirect to another origin left out: a warning, not a state. */
static void
queue_secrets_note (FwSseSource *self,
                    SoupMessage *message)
{
  g_autofree char *note = fw_http_options_take_secrets_note (message);

  if (note != NULL)
    queue_status (self, FW_FEED_STATE_IDLE, FW_LEVEL_WARNING, note);
}

/* ---------------------------------------------------------------------------------------- */
/* Connections */

/* The idle timeout: see fw_source_idle_arm() */
static void
disarm_idle_timer (FwSseSource *self)
{
  self->waiting_since = 0;
}

static gboolean
on_idle_timeout (gpointer user_data)
{
  FwSseSource *self = user_data;

  if (!fw_source_idle_expired (self->idle_timer, &self->waiting_since, self->idle_timeout_ms) ||
      self->connection == NULL)
    return G_SOURCE_CONTINUE;

  self->connection->idle_expired = TRUE;
  g_cancellable_cancel (self->connection->cancellable);
  return G_SOURCE_CONTINUE;
}

static void
arm_idle_timer (FwSseSource *self)
{
  fw_source_idle_arm (&self->idle_timer, &self->waiting_since, self->idle_timeout_ms,
                    fw_stream_get_context (FW_STREAM (self)), "[feedwatch] sse idle timeout",
                    on_idle_timeout, self);
}

static void
drop_connection (FwSseSource *self)
{
  Connection *connection = g_steal_pointer (&self->connection);

  disarm_idle_timer (self);
  self->reading = FALSE;
  if (connection == NULL)
    return;

  connection->token.owner = NULL;
  g_cancellable_cancel (connection->cancellable);
  connection_unref (connection);
}

static gboolean
on_retry_due (gpointer user_data)
{
  FwSseSource *self = user_data;

  /* Connect only when someone wants items: an unread feed holds no socket. */
  self->state = STATE_IDLE;
  fw_sse_source_advance (self);
  return G_SOURCE_REMOVE;
}

/* Queues @status (the retry) and waits for the attempt to be due. */
static void
schedule_reconnect (FwSseSource *self,
                    FwItem      *status)
{
  g_ptr_array_add (self->queued, status);
  if (fw_reconnect_wait (self->reconnect, FW_STREAM (self), on_retry_due,
                         "[feedwatch] sse reconnect"))
    self->state = STATE_WAITING;
  else
    self->state = STATE_IDLE;
}

/* The reconnection time: the feed's `retry` option, else the server's last `retry:`. */
static void
update_reconnection_time (FwSseSource *self)
{
  guint64 retry;

  if (!self->retry_override && fw_sse_parser_get_retry (self->parser, &retry))
    fw_backoff_set_base (fw_reconnect_get_backoff (self->reconnect),
                         (guint) CLAMP (retry, MIN_SERVER_RETRY_MS, G_MAXUINT / 2));
}

static void
fail (FwSseSource *self,
      GError      *error)
{
  drop_connection (self);
  fw_sse_parser_end (self->parser);
  queue_status (self, FW_FEED_STATE_FAILED, FW_LEVEL_ERROR, error->message);
  g_clear_error (&self->failure);
  self->failure = error;
  self->ended = TRUE;
  self->state = STATE_ENDED;
  fw_sse_source_advance (self);
}

/* An answer the spec fails the connection for: retrying would get the same answer. */
static void
refuse_answer (FwSseSource *self,
               const char  *reason)
{
  fail (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, reason));
}

/* Retrying cannot end a redirect loop, nor mend a redirect without a usable Location. */
static gboolean
is_redirect_failure (const GError *error)
{
  return g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS) ||
         g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_REDIRECT_NO_LOCATION) ||
         g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_REDIRECT_BAD_URI);
}

/* Something went wrong with the connection: try again later, or stop under --once. */
static void
connection_failed (FwSseSource *self,
                   const char  *reason)
{
  if (self->flags & FW_FEED_OPEN_ONCE)
    {
      g_autofree char *shown = fw_feed_spec_redact (self->uri);

      fail (self, g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", shown, reason));
      return;
    }

  drop_connection (self);
  fw_sse_parser_end (self->parser);
  update_reconnection_time (self);
  schedule_reconnect (self, fw_reconnect_schedule (self->reconnect, self->feed,
                                                   FW_LEVEL_WARNING, "retrying", reason));
  fw_sse_source_advance (self);
}

/* The server closed a good stream: reconnect after the reconnection time, as the spec says. */
static void
connection_ended (FwSseSource *self)
{
  gboolean discarded;

  drop_connection (self);
  discarded = fw_sse_parser_end (self->parser);

  if (self->flags & FW_FEED_OPEN_ONCE)
    {
      self->ended = TRUE;
      self->state = STATE_ENDED;
      fw_sse_source_advance (self);
      return;
    }

  update_reconnection_time (self);
  schedule_reconnect (self, fw_reconnect_schedule (self->reconnect, self->feed, FW_LEVEL_INFO,
                                                   "reconnecting",
                                                   discarded ? _("the server closed the stream in "
                                                                 "the middle of an event")
                                                             : _("the server closed the stream")));
  fw_sse_source_advance (self);
}

static void
on_event (const FwSseEvent *event,
          gpointer          user_data)
{
  FwSseSource *self = user_data;
  FwItem *item = fw_item_block_add_to (&self->block, self->feed, self->read_len, FW_ITEM_EVENT,
                                       self->now_us, event->data, event->data_len);

  if (event->type_is_default)
    fw_item_set_name_ref (item, self->message_type);
  else
    {
      if (self->last_type == NULL || !g_str_equal (self->last_type, event->type))
        {
          g_clear_pointer (&self->last_type, g_ref_string_release);
          self->last_type = fw_ref_string_intern (event->type);
        }
      fw_item_set_name_ref (item, self->last_type);
    }

  if (event->last_event_id[0] != '\0')
    fw_item_set_id (item, event->last_event_id);

  /* Reads happen only for a pull, and on_read put anything queued before: straight in. */
  fw_stream_yield (FW_STREAM (self), item);
  self->yielded++;
}

static void
on_read (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Connection *connection = user_data;
  FwSseSource *self = connection->token.owner;
  g_autoptr(GError) error = NULL;
  gssize n;
  guint64 dropped;

  n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  if (self == NULL)
    {
      connection_unref (connection);
      return;
    }

  self->reading = FALSE;
  disarm_idle_timer (self);

  if (n < 0)
    {
      g_autofree char *reason = NULL;

      if (connection->idle_expired)
        {
          g_autofree char *idle = fw_reconnect_format_delay (self->reconnect,
                                                             self->idle_timeout_ms);

          reason = g_strdup_printf (_("no data for %s"), idle);
        }
      else
        reason = fw_http_describe_error (error, self->uri);
      connection_unref (connection);
      connection_failed (self, reason);
      return;
    }

  if (n == 0)
    {
      connection_unref (connection);
      connection_ended (self);
      return;
    }

  /* What was queued (a status) comes before this read's events. */
  for (guint i = 0; i < self->queued->len; i++)
    fw_stream_yield (FW_STREAM (self), g_ptr_array_index (self->queued, i));
  self->yielded += self->queued->len;
  g_ptr_array_set_size (self->queued, 0);

  self->now_us = g_get_real_time ();
  self->read_len = (gsize) n;
  fw_sse_parser_feed (self->parser, connection->buffer, n, on_event, self);
  /* The block's free room goes with it: it is freed with its last item */
  g_clear_pointer (&self->block, fw_item_block_release);
  connection_unref (connection);

  dropped = fw_sse_parser_get_dropped (self->parser);
  if (dropped != self->dropped_seen)
    {
      g_autofree char *text =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%" PRIu64 " event over the size limit dropped "
                                      "(%" PRIu64 " so far)",
                                      "%" PRIu64 " events over the size limit dropped "
                                      "(%" PRIu64 " so far)",
                                      (gulong) (dropped - self->dropped_seen)),
                         dropped - self->dropped_seen, dropped);
      self->dropped_seen = dropped;
      queue_status (self, FW_FEED_STATE_LIVE, FW_LEVEL_WARNING, text);
    }

  fw_sse_source_advance (self);
}

static void
fw_sse_source_read (FwSseSource *self)
{
  Connection *connection = self->connection;

  self->reading = TRUE;
  arm_idle_timer (self);
  g_input_stream_read_async (connection->body, connection->buffer, READ_SIZE,
                             G_PRIORITY_DEFAULT, connection->cancellable, on_read,
                             connection_ref (connection));
}

static gboolean
is_event_stream (SoupMessage  *message,
                 const char  **out_type)
{
  const char *type;

  type = soup_message_headers_get_content_type (soup_message_get_response_headers (message),
                                                NULL);
  *out_type = type;
  return type != NULL && g_ascii_strcasecmp (type, "text/event-stream") == 0;
}

/* A response that is an event stream: read it. */
static void
connection_opened (FwSseSource  *self,
                   GInputStream *body)
{
  self->connection->body = body;
  self->state = STATE_OPEN;
  fw_reconnect_succeeded (self->reconnect);
  fw_sse_parser_reset (self->parser);
  queue_status (self, FW_FEED_STATE_LIVE, FW_LEVEL_INFO, _("connected"));
  fw_sse_source_advance (self);
}

static void
on_sent (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Connection *connection = user_data;
  FwSseSource *self = connection->token.owner;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) body = NULL;
  g_autofree char *status = NULL;
  const char *type;
  guint code;

  body = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (self == NULL)
    {
      connection_unref (connection);
      return;
    }

  disarm_idle_timer (self);
  queue_secrets_note (self, connection->message);

  if (body == NULL)
    {
      g_autofree char *reason = NULL;

      gboolean idle_expired = connection->idle_expired;

      if (idle_expired)
        {
          g_autofree char *idle = fw_reconnect_format_delay (self->reconnect,
                                                             self->idle_timeout_ms);

          reason = g_strdup_printf (_("no response for %s"), idle);
        }
      else
        reason = fw_http_describe_error (error, self->uri);
      connection_unref (connection);

      /* A bad certificate will not fix itself: say so once, clearly, and stop. */
      if (!idle_expired && error->domain == G_TLS_ERROR)
        fail (self, g_error_new_literal (G_TLS_ERROR, error->code, reason));
      else if (!idle_expired && is_redirect_failure (error))
        {
          g_autofree char *text =
            g_strdup_printf (_("the server's redirects lead nowhere (%s): the feed stops; check "
                               "its address"), reason);

          fail (self, g_error_new_literal (error->domain, error->code, text));
        }
      else
        connection_failed (self, reason);
      return;
    }

  if (!fw_http_options_check_redirect (connection->message, &error))
    {
      connection_unref (connection);
      fail (self, g_steal_pointer (&error));
      return;
    }

  code = soup_message_get_status (connection->message);
  status = fw_http_describe_status (connection->message);
  connection_unref (connection);

  if (code == SOUP_STATUS_NO_CONTENT)
    {
      g_autofree char *text = g_strdup_printf (_("the server ended the stream (%s)"), status);

      drop_connection (self);
      queue_status (self, FW_FEED_STATE_ENDED, FW_LEVEL_INFO, text);
      self->ended = TRUE;
      self->state = STATE_ENDED;
      fw_sse_source_advance (self);
      return;
    }

  /* Only 200 is an event stream (the spec fails the connection for any other status, 201 or
   * 206 included); the user may choose to wait out server errors. */
  if (code != SOUP_STATUS_OK)
    {
      SoupMessageHeaders *headers =
        soup_message_get_response_headers (self->connection->message);
      g_autofree char *reason = NULL;

      if (self->retry_on_5xx && SOUP_STATUS_IS_SERVER_ERROR (code))
        {
          reason = g_strdup_printf ("%s (retry-on=5xx)", status);
          fw_reconnect_note_response (self->reconnect, headers);
          connection_failed (self, reason);
        }
      else
        {
          /* TRANSLATORS: %s is the HTTP status: "503 Service Unavailable" */
          reason = SOUP_STATUS_IS_SERVER_ERROR (code)
                   ? g_strdup_printf (_("the server answered %s; an event stream must answer "
                                        "200 OK (retry-on=5xx retries it)"), status)
                   : g_strdup_printf (_("the server answered %s; an event stream must answer "
                                        "200 OK"), status);
          refuse_answer (self, reason);
        }
      return;
    }

  if (!is_event_stream (self->connection->message, &type))
    {
      g_autofree char *shown = type != NULL ? fw_safe_text (type, strlen (type), 80) : NULL;
      g_autofree char *reason =
        g_strdup_printf (_("the server sent %s, not text/event-stream: the address is not an "
                           "event stream"), shown != NULL ? shown : _("no Content-Type"));

      refuse_answer (self, reason);
      return;
    }

  connection_opened (self, g_steal_pointer (&body));
}

static void
fw_sse_source_connect (FwSseSource *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) message = NULL;
  SoupMessageHeaders *headers;
  const char *last_event_id;
  Connection *connection;

  message = fw_http_options_new_message (self->options, self->uri, &error);
  if (message == NULL)
    {
      fail (self, g_steal_pointer (&error));
      return;
    }

  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "Accept", "text/event-stream");
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");
  last_event_id = fw_sse_parser_get_last_event_id (self->parser);
  if (last_event_id[0] != '\0')
    soup_message_headers_replace (headers, "Last-Event-ID", last_event_id);

  if (self->session == NULL)
    {
      /* Our own idle timeout replaces libsoup's I/O timeout, which knows nothing of pulls:
       * a feed nobody reads is not a dead one. Proxies come from the system resolver. */
      self->session = soup_session_new_with_options ("timeout", 0, NULL);
    }

  connection = fw_source_token_new_sized (self, sizeof (Connection), connection_clear);
  connection->cancellable = g_cancellable_new ();
  connection->message = g_steal_pointer (&message);
  connection->buffer = g_malloc (READ_SIZE);
  self->connection = connection;
  self->state = STATE_CONNECTING;

  queue_status (self, FW_FEED_STATE_CONNECTING, FW_LEVEL_INFO, _("connecting"));
  arm_idle_timer (self);
  soup_session_send_async (self->session, connection->message, G_PRIORITY_DEFAULT,
                           connection->cancellable, on_sent, connection_ref (connection));
  fw_sse_source_advance (self);
}

/* ---------------------------------------------------------------------------------------- */
/* FwStream */

static void
fw_sse_source_pull (FwStream     *stream,
                    guint         max_items,
                    GCancellable *cancellable)
{
  FwSseSource *self = FW_SSE_SOURCE (stream);

  self->pulling = TRUE;
  fw_sse_source_advance (self);
}

static void
fw_sse_source_release (FwStream *stream)
{
  FwSseSource *self = FW_SSE_SOURCE (stream);

  drop_connection (self);
  fw_reconnect_stop (self->reconnect);
  if (self->idle_timer != NULL)
    {
      g_source_destroy (self->idle_timer);
      g_clear_pointer (&self->idle_timer, g_source_unref);
    }
  g_clear_object (&self->session);
  drop_queued (self);
  self->state = STATE_ENDED;
  self->pulling = FALSE;
}

static void
fw_sse_source_finalize (GObject *object)
{
  FwSseSource *self = FW_SSE_SOURCE (object);

  g_free (self->uri);
  g_clear_pointer (&self->feed, g_ref_string_release);
  g_clear_pointer (&self->message_type, g_ref_string_release);
  g_clear_pointer (&self->last_type, g_ref_string_release);
  g_clear_pointer (&self->options, fw_http_options_free);
  g_clear_pointer (&self->parser, fw_sse_parser_free);
  g_clear_pointer (&self->reconnect, fw_reconnect_free);
  drop_queued (self);
  g_clear_pointer (&self->queued, g_ptr_array_unref);
  g_clear_error (&self->failure);

  G_OBJECT_CLASS (fw_sse_source_parent_class)->finalize (object);
}

static void
fw_sse_source_class_init (FwSseSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  FwStreamClass *stream_class = FW_STREAM_CLASS (klass);

  object_class->finalize = fw_sse_source_finalize;
  stream_class->pull = fw_sse_source_pull;
  stream_class->release = fw_sse_source_release;
}

static void
fw_sse_source_init (FwSseSource *self)
{
  /* No free function: answering hands the items over, so emptying it must not unref. */
  self->queued = g_ptr_array_new ();
  self->message_type = fw_ref_string_intern ("message");
}

/**
 * fw_sse_source_open:
 * @spec: the feed
 * @flags: how it is opened
 *
 * Opens an SSE feed (the kind's #FwFeedKind.open).
 *
 * Returns: (transfer full) (nullable): the stream of `sse:URL#options`; it connects on the first
 *   `next`. %NULL with @error set for a bad URL or option.
 */
FwStream *
fw_sse_source_open (const FwFeedSpec  *spec,
                    FwFeedOpenFlags    flags,
                    GError           **error)
{
  g_autoptr(FwHttpOptions) options = NULL;
  g_autoptr(FwSseSource) self = NULL;
  g_autoptr(SoupMessage) probe = NULL;
  const char *retry_on = fw_feed_spec_get_option (spec, "retry-on");
  guint max_event_size, retry_max;

  options = fw_http_options_parse (spec, FW_SSE_DEFAULT_IDLE_TIMEOUT_MS, error);
  if (options == NULL ||
      !fw_feed_spec_get_uint (spec, "max-event-size", FW_SSE_PARSER_DEFAULT_MAX_EVENT_SIZE,
                              &max_event_size, error) ||
      !fw_feed_spec_get_uint (spec, "retry-max", FW_SSE_DEFAULT_RETRY_MAX_MS, &retry_max,
                              error))
    return NULL;

  /* A URL that cannot work fails now, not at the first read. */
  probe = fw_http_options_new_message (options, spec->target, error);
  if (probe == NULL)
    return NULL;

  self = g_object_new (FW_TYPE_SSE_SOURCE, NULL);
  fw_stream_set_name (FW_STREAM (self), spec->text);
  self->feed = fw_ref_string_intern (spec->text);
  self->uri = g_strdup (spec->target);
  self->flags = flags;
  self->idle_timeout_ms = options->idle_timeout_ms;
  self->retry_override = options->retry_ms >= 0;
  self->retry_on_5xx = g_strcmp0 (retry_on, "5xx") == 0;
  self->reconnect = fw_reconnect_new (self->retry_override ? (guint) options->retry_ms
                                                           : FW_BACKOFF_DEFAULT_BASE_MS,
                                      retry_max, TRUE);
  self->parser = fw_sse_parser_new (max_event_size);
  if (options->last_event_id != NULL)
    fw_sse_parser_set_last_event_id (self->parser, options->last_event_id);
  self->options = g_steal_pointer (&options);

  return FW_STREAM (g_steal_pointer (&self));
}

/**
 * fw_sse_source_new_for_response: (skip)
 * @spec: the feed
 * @flags: how it is opened
 * @msg: a request already answered with success and `text/event-stream`
 * @body: its response body, not read yet
 *
 * For the Content-Type detector: the response that told the kind is the first connection,
 * not thrown away; reconnections request the feed's URL again, with Last-Event-ID.
 *
 * Returns: (transfer full) (nullable): the stream, or %NULL with @error set for a bad option or an
 *   answer other than 200, which is no event stream
 */
FwStream *
fw_sse_source_new_for_response (const FwFeedSpec  *spec,
                                FwFeedOpenFlags    flags,
                                SoupMessage       *msg,
                                GInputStream      *body,
                                GError           **error)
{
  FwStream *stream = NULL;
  FwSseSource *self;
  Connection *connection;

  if (soup_message_get_status (msg) != SOUP_STATUS_OK)
    {
      g_autofree char *status = fw_http_describe_status (msg);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("the server answered %s; an event stream must answer 200 OK"), status);
      return NULL;
    }

  stream = fw_sse_source_open (spec, flags, error);
  if (stream == NULL)
    return NULL;

  self = FW_SSE_SOURCE (stream);
  connection = fw_source_token_new_sized (self, sizeof (Connection), connection_clear);
  connection->cancellable = g_cancellable_new ();
  connection->message = g_object_ref (msg);
  connection->buffer = g_malloc (READ_SIZE);
  self->connection = connection;
  queue_status (self, FW_FEED_STATE_CONNECTING, FW_LEVEL_INFO, _("connecting"));
  queue_secrets_note (self, msg);
  connection_opened (self, g_object_ref (body));

  return stream;
}

/**
 * fw_sse_source_get_backoff: (skip)
 * @self: the source
 *
 * The source's reconnect policy.
 *
 * Returns: (transfer none): the reconnect policy, for tests that want a fixed random source
 */
FwBackoff *
fw_sse_source_get_backoff (FwSseSource *self)
{
  return fw_reconnect_get_backoff (self->reconnect);
}

/**
 * fw_sse_source_get_dropped:
 * @self: an SSE source
 *
 * How many events were dropped for being over the size limit; the stream also says so in a status
 * item.
 *
 * Returns: the number of events dropped
 */
guint64
fw_sse_source_get_dropped (FwSseSource *self)
{
  return fw_sse_parser_get_dropped (self->parser);
}

static const char * const retry_on_choices[] = { "network", "5xx", NULL };

const FwFeedOption fw_sse_source_options[] = {
  { .key = "max-event-size", .type = FW_FEED_OPTION_BYTES, .default_value = "16777216",
    .help = N_("The largest event, in bytes") },
  { .key = "retry-on", .type = FW_FEED_OPTION_CHOICE, .flags = FW_FEED_OPTION_CONNECTION,
    .default_value = "network", .choices = retry_on_choices,
    .help = N_("What reconnects: a network failure or ended stream only, as the SSE spec says "
               "(network), or a server error (5xx) too; any other answer stops the feed") },
  { NULL }
};

static const FwFeedOption sse_source_timeouts[] = {
  { .key = "idle-timeout", .type = FW_FEED_OPTION_MILLISECONDS, .default_value = "300000",
    .help = N_("Milliseconds without a byte before the connection counts as dead (0: never)") },
  { NULL }
};

static const FwFeedOption *const sse_source_option_list[] = {
  fw_sse_source_options, sse_source_timeouts, fw_http_request_options,
  fw_http_connection_options, NULL
};

const FwFeedKind fw_sse_source_kind = {
  .name = "sse",
  .open = fw_sse_source_open,
  .description = N_("Server-Sent Events"),
  .title = N_("Server-Sent Events"),
  .icon_name = "network-transmit-receive-symbolic",
  .example = "sse:https://",
  .options = sse_source_option_list,
  .default_title = fw_feed_title_from_url,
};
