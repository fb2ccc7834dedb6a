/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-ndjson-source.c: `ndjson:URL`.
 *
 * Pull-driven: a read is started only when the consumer asks, so while nobody asks nothing is
 * read and TCP flow control holds the server back. Each read takes up to 64 KiB and yields
 * every complete line in it as one block. A line longer than the cap (1 MiB by default,
 * option max-line) is cut: its first max-line bytes are yielded at once, flagged truncated,
 * and the rest is dropped up to the next newline, so memory stays bounded even when no
 * newline ever comes.
 *
 * Every network operation runs on a Conn, one per connection, that the callbacks hold: a
 * release or a reconnection detaches it (its token's owner = NULL) and cancels it, and the late
 * callback finds nobody home. The read buffer lives in the Conn for the same reason.
 *
 * The idle timer runs only while an operation is in flight (connecting or reading): no data
 * for idle-timeout means a dead connection, reconnected with backoff. Options:
 * idle-timeout (ms, default 90 s, 0 = none), max-line (bytes), retry and retry-max (backoff
 * base and cap, ms), and the request options of fw-http-options.h. */

#include "config.h"

#include "fw-ndjson-source.h"

#include <glib/gi18n-lib.h>

#include "fw-http.h"
#include "fw-source-private.h"
#include "fw-json-item.h"
#include "fw-reconnect.h"

#include <string.h>

#define READ_SIZE (64 * 1024)
#define ACCEPT "application/x-ndjson, application/jsonl, application/json;q=0.9, */*;q=0.1"

typedef struct
{
  FwSourceToken    token;       /* owner: the source, NULL once detached */
  GCancellable    *cancellable;
  SoupMessage     *msg;
  GInputStream    *body;
  gboolean         announced;
  gboolean         idle_fired;
  guint8           buf[READ_SIZE];
} Conn;

struct _FwNdjsonSource
{
  FwStream       parent_instance;

  GRefString    *feed;
  char          *url;
  FwHttpOptions *options;
  gsize          max_line;
  gboolean       once;

  SoupSession   *session;
  Conn          *conn;
  FwReconnect   *reconnect;
  GSource       *timer;      /* the idle timer, made at the first wait */
  gint64         waiting_since; /* monotonic µs since bytes are awaited, 0 when they are not */

  char          *partial;    /* the line read so far, at most max_line bytes */
  gsize          partial_len;
  gsize          partial_alloc; /* grown by doubling, but never past max_line */
  gboolean       discarding; /* dropping the rest of a cut line */
  guint          yielded;    /* in the current pull */

  guint          n_invalid;
  guint          n_truncated;
  guint          n_connects;
};

G_DEFINE_FINAL_TYPE (FwNdjsonSource, fw_ndjson_source, FW_TYPE_STREAM)

static void start_read (FwNdjsonSource *self);
static void connect_now (FwNdjsonSource *self);

/* ---------------------------------------------------------------------------------------- */
/* Connections */

static void
conn_clear (gpointer data)
{
  Conn *conn = data;

  g_clear_object (&conn->body);
  g_clear_object (&conn->msg);
  g_clear_object (&conn->cancellable);
}

static Conn *
conn_new (FwNdjsonSource *self)
{
  Conn *conn = fw_source_token_new_sized (self, sizeof (Conn), conn_clear);

  conn->cancellable = g_cancellable_new ();

  return conn;
}

static Conn *
conn_ref (Conn *conn)
{
  fw_source_token_ref (&conn->token);
  return conn;
}

static void
conn_unref (Conn *conn)
{
  fw_source_token_unref (&conn->token);
}

static void
conn_detach (Conn *conn)
{
  conn->token.owner = NULL;
  g_cancellable_cancel (conn->cancellable);
  conn_unref (conn);
}

/* The idle timeout: see fw_source_idle_arm(). It runs only while an operation is in flight. */
static void
stop_timer (FwNdjsonSource *self)
{
  self->waiting_since = 0;
}

static gboolean
on_idle_timeout (gpointer user_data)
{
  FwNdjsonSource *self = user_data;

  if (!fw_source_idle_expired (self->timer, &self->waiting_since,
                               self->options->idle_timeout_ms) ||
      self->conn == NULL)
    return G_SOURCE_CONTINUE;

  /* The operation in flight completes as cancelled and sees why. */
  self->conn->idle_fired = TRUE;
  g_cancellable_cancel (self->conn->cancellable);

  return G_SOURCE_CONTINUE;
}

static void
start_idle_timer (FwNdjsonSource *self)
{
  fw_source_idle_arm (&self->timer, &self->waiting_since, self->options->idle_timeout_ms,
                      fw_stream_get_context (FW_STREAM (self)), "[feedwatch] ndjson idle timeout",
                      on_idle_timeout, self);
}

/* ---------------------------------------------------------------------------------------- */
/* Lines */

static void
emit_line (FwNdjsonSource *self,
           const char     *line,
           gsize           len,
           gboolean        truncated,
           gint64          now)
{
  FwItem *item;

  if (truncated)
    {
      g_autofree char *valid = g_utf8_make_valid (line, (gssize) len);

      item = fw_item_new (FW_ITEM_LINE, self->feed, now, valid, -1);
      fw_item_add_flags (item, FW_ITEM_FLAG_TRUNCATED);
      self->n_truncated++;
    }
  else
    {
      gboolean invalid = FALSE;

      item = fw_json_item_parse (self->feed, now, line, len, &invalid);
      if (item == NULL)
        return;
      self->n_invalid += invalid;
    }

  fw_stream_yield (FW_STREAM (self), item);
  self->yielded++;
}

/* The line left without its newline when the response ended. A response that ends with the
 * connection (neither a length nor chunks) cannot tell its end from a lost connection, so
 * there that line must be whole JSON to count: anything else was most likely cut, and is
 * dropped rather than passed off as an item. Returns %FALSE for a line so dropped. */
static gboolean
emit_last_line (FwNdjsonSource *self,
                gboolean        ends_with_connection)
{
  gboolean invalid = FALSE;
  FwItem *item;

  if (!ends_with_connection)
    {
      emit_line (self, self->partial, self->partial_len, FALSE, g_get_real_time ());
      return TRUE;
    }

  item = fw_json_item_parse (self->feed, g_get_real_time (), self->partial, self->partial_len,
                             &invalid);
  if (invalid)
    {
      g_clear_pointer (&item, fw_item_unref);
      return FALSE;
    }
  if (item != NULL)
    {
      fw_stream_yield (FW_STREAM (self), item);
      self->yielded++;
    }
  return TRUE;
}

static void
append_partial (FwNdjsonSource *self,
                const char     *data,
                gsize           len)
{
  gsize needed = self->partial_len + len;

  if (needed > self->partial_alloc)
    {
      self->partial_alloc = MIN (MAX (needed, MAX (self->partial_alloc * 2, 256)),
                                 self->max_line);
      self->partial = g_realloc (self->partial, self->partial_alloc);
    }
  memcpy (self->partial + self->partial_len, data, len);
  self->partial_len = needed;
}

static void
split_lines (FwNdjsonSource *self,
             const char     *data,
             gsize           len)
{
  const char *p = data;
  const char *end = data + len;
  gint64 now = g_get_real_time ();

  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *stop = nl != NULL ? nl : end;
      gsize n = stop - p;

      if (self->discarding)
        {
          if (nl != NULL)
            self->discarding = FALSE;
        }
      else if (self->partial_len == 0 && nl != NULL && n <= self->max_line)
        {
          /* The common case: a whole line inside the block, no copy. */
          emit_line (self, p, n, FALSE, now);
        }
      else
        {
          gsize room = self->max_line - self->partial_len;

          append_partial (self, p, MIN (n, room));
          if (n > room)
            {
              /* Cut now rather than at the newline that may never come. */
              emit_line (self, self->partial, self->partial_len, TRUE, now);
              self->partial_len = 0;
              self->discarding = nl == NULL;
            }
          else if (nl != NULL)
            {
              emit_line (self, self->partial, self->partial_len, FALSE, now);
              self->partial_len = 0;
            }
        }

      p = nl != NULL ? nl + 1 : end;
    }
}

static void
reset_lines (FwNdjsonSource *self)
{
  self->partial_len = 0;
  self->discarding = FALSE;
  /* A cut line's buffer may be large: give it back. */
  if (self->partial_alloc > READ_SIZE)
    {
      g_clear_pointer (&self->partial, g_free);
      self->partial_alloc = 0;
    }
}

/* ---------------------------------------------------------------------------------------- */
/* The connection's life */

static void
drop_conn (FwNdjsonSource *self)
{
  stop_timer (self);
  if (self->conn != NULL)
    conn_detach (g_steal_pointer (&self->conn));
  reset_lines (self);
}

/* Ends this pull on a failed or ended connection: a status and a retry later, or, with
 * --once or a failure retrying cannot fix, the stream's error. */
static void
fail (FwNdjsonSource *self,
      const char     *reason,
      gboolean        fatal)
{
  drop_conn (self);

  if (self->once || fatal)
    {
      g_autofree char *shown = fw_feed_spec_redact (self->url);

      fw_stream_pull_error (FW_STREAM (self),
                            g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s",
                                         shown, reason));
      return;
    }

  /* The attempt waits for the next pull (fw_ndjson_source_pull). */
  fw_stream_yield (FW_STREAM (self),
                   fw_reconnect_schedule (self->reconnect, self->feed, FW_LEVEL_WARNING,
                                          "retrying", reason));
  fw_stream_pull_done (FW_STREAM (self));
}

static void
fail_idle (FwNdjsonSource *self)
{
  g_autofree char *idle = fw_reconnect_format_delay (self->reconnect,
                                                     self->options->idle_timeout_ms);
  g_autofree char *reason = g_strdup_printf (_("no data for %s"), idle);

  fw_stream_yield (FW_STREAM (self),
                   fw_feed_status_new_printf (self->feed, FW_FEED_STATE_IDLE, FW_LEVEL_WARNING,
                                              _("idle for %s"), idle));
  fail (self, reason, FALSE);
}

static void
announce (FwNdjsonSource *self)
{
  self->conn->announced = TRUE;
  self->n_connects++;
  fw_reconnect_succeeded (self->reconnect);
  fw_stream_yield (FW_STREAM (self),
                   fw_feed_status_new (self->feed, FW_FEED_STATE_LIVE, FW_LEVEL_INFO,
                                       _("connected")));
  fw_stream_pull_done (FW_STREAM (self));
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Conn *conn = user_data;
  FwNdjsonSource *self = conn->token.owner;
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (self == NULL || self->conn != conn)
    {
      conn_unref (conn);
      return;
    }

  stop_timer (self);

  if (n < 0)
    {
      if (conn->idle_fired)
        fail_idle (self);
      else
        fail (self, error->message, FALSE);
    }
  else if (n == 0)
    {
      SoupMessageHeaders *headers = soup_message_get_response_headers (conn->msg);
      gboolean cut = FALSE;

      /* A last line without its newline still counts, if it was not cut. */
      if (!self->discarding && self->partial_len > 0)
        cut = !emit_last_line (self, soup_message_headers_get_encoding (headers) ==
                                     SOUP_ENCODING_EOF);
      if (self->once)
        {
          if (cut)
            fw_stream_yield (FW_STREAM (self),
                             fw_feed_status_new (self->feed, FW_FEED_STATE_IDLE,
                                                 FW_LEVEL_WARNING, _("the connection closed in "
                                                   "the middle of a line, which was dropped")));
          drop_conn (self);
          fw_stream_pull_end (FW_STREAM (self));
        }
      else
        fail (self, cut ? _("the connection closed in the middle of a line, which was dropped")
                        : _("the server ended the response"), FALSE);
    }
  else
    {
      split_lines (self, (const char *) conn->buf, (gsize) n);
      if (self->yielded > 0)
        fw_stream_pull_done (FW_STREAM (self));
      else
        start_read (self);
    }

  conn_unref (conn);
}

static void
start_read (FwNdjsonSource *self)
{
  Conn *conn = self->conn;

  start_idle_timer (self);
  g_input_stream_read_async (conn->body, conn->buf, sizeof conn->buf, G_PRIORITY_DEFAULT,
                             conn->cancellable, on_read, conn_ref (conn));
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Conn *conn = user_data;
  FwNdjsonSource *self = conn->token.owner;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) body = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  g_autofree char *note = NULL;

  if (self == NULL || self->conn != conn)
    {
      conn_unref (conn);
      return;
    }

  stop_timer (self);
  note = fw_http_options_take_secrets_note (conn->msg);
  if (note != NULL)
    {
      fw_stream_yield (FW_STREAM (self),
                       fw_feed_status_new (self->feed, FW_FEED_STATE_IDLE, FW_LEVEL_WARNING,
                                           note));
    }

  if (body == NULL)
    {
      g_autofree char *reason = fw_http_describe_failure (conn->msg, error);

      if (conn->idle_fired)
        fail_idle (self);
      else
        fail (self, reason, fw_http_error_is_fatal (error));
    }
  else if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (conn->msg)))
    {
      g_autofree char *reason = fw_http_describe_failure (conn->msg, NULL);

      fw_reconnect_note_response (self->reconnect, soup_message_get_response_headers (conn->msg));
      /* A refused redirect is no passing failure: the feed must change. */
      fail (self, reason, !fw_http_options_check_redirect (conn->msg, NULL));
    }
  else
    {
      conn->body = g_steal_pointer (&body);
      announce (self);
    }

  conn_unref (conn);
}

static void
connect_now (FwNdjsonSource *self)
{
  g_autoptr(GError) error = NULL;
  Conn *conn;

  if (self->session == NULL)
    self->session = fw_http_session_new ();

  conn = self->conn = conn_new (self);
  conn->msg = fw_http_new_request (self->options, self->url, ACCEPT, &error);
  if (conn->msg == NULL)
    {
      drop_conn (self);
      fw_stream_pull_error (FW_STREAM (self), g_steal_pointer (&error));
      return;
    }

  start_idle_timer (self);
  soup_session_send_async (self->session, conn->msg, G_PRIORITY_DEFAULT, conn->cancellable,
                           on_sent, conn_ref (conn));
}

static gboolean
on_retry_due (gpointer user_data)
{
  FwNdjsonSource *self = user_data;

  connect_now (self);

  return G_SOURCE_REMOVE;
}

/* ---------------------------------------------------------------------------------------- */
/* FwStream */

static void
fw_ndjson_source_pull (FwStream     *stream,
                       guint         max_items,
                       GCancellable *cancellable)
{
  FwNdjsonSource *self = FW_NDJSON_SOURCE (stream);

  self->yielded = 0;

  if (self->conn != NULL && !self->conn->announced)
    {
      announce (self); /* a response handed over by the detector */
      return;
    }
  if (self->conn != NULL)
    {
      start_read (self);
      return;
    }

  if (!fw_reconnect_wait (self->reconnect, stream, on_retry_due, "[feedwatch] ndjson retry"))
    connect_now (self);
}

static void
fw_ndjson_source_release (FwStream *stream)
{
  FwNdjsonSource *self = FW_NDJSON_SOURCE (stream);

  drop_conn (self);
  fw_reconnect_stop (self->reconnect);
  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
}

static void
fw_ndjson_source_finalize (GObject *object)
{
  FwNdjsonSource *self = FW_NDJSON_SOURCE (object);

  g_assert (self->conn == NULL);
  g_assert (self->timer == NULL);

  g_clear_object (&self->session);
  g_clear_pointer (&self->options, fw_http_options_free);
  g_free (self->url);
  g_clear_pointer (&self->reconnect, fw_reconnect_free);
  g_free (self->partial);
  g_ref_string_release (self->feed);

  G_OBJECT_CLASS (fw_ndjson_source_parent_class)->finalize (object);
}

static void
fw_ndjson_source_class_init (FwNdjsonSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  FwStreamClass *stream_class = FW_STREAM_CLASS (klass);

  object_class->finalize = fw_ndjson_source_finalize;
  stream_class->pull = fw_ndjson_source_pull;
  stream_class->release = fw_ndjson_source_release;
}

static void
fw_ndjson_source_init (FwNdjsonSource *self)
{
}

static FwNdjsonSource *
fw_ndjson_source_new (const FwFeedSpec  *spec,
                      FwFeedOpenFlags    flags,
                      const char        *url,
                      GError           **error)
{
  g_autoptr(FwNdjsonSource) self = NULL;
  g_autoptr(FwHttpOptions) options = NULL;
  g_autoptr(SoupMessage) probe = NULL;
  guint max_line, retry_max;

  options = fw_http_options_parse (spec, FW_NDJSON_DEFAULT_IDLE_TIMEOUT_MS, error);
  if (options == NULL ||
      !fw_feed_spec_get_uint (spec, "max-line", FW_NDJSON_DEFAULT_MAX_LINE, &max_line, error) ||
      (retry_max = fw_http_get_retry_max (spec, error)) == 0)
    return NULL;
  /* A bad URL fails the open, not the first read. */
  probe = fw_http_options_new_message (options, url, error);
  if (probe == NULL)
    return NULL;

  self = g_object_new (FW_TYPE_NDJSON_SOURCE, "name", spec->text, NULL);
  self->feed = fw_ref_string_intern (spec->text);
  self->url = g_strdup (url);
  self->options = g_steal_pointer (&options);
  self->max_line = MAX (max_line, 16);
  self->once = (flags & FW_FEED_OPEN_ONCE) != 0;
  self->reconnect = fw_reconnect_new (self->options->retry_ms >= 0
                                      ? (guint) self->options->retry_ms
                                      : FW_BACKOFF_DEFAULT_BASE_MS,
                                      retry_max, FALSE);

  return g_steal_pointer (&self);
}

/**
 * fw_ndjson_source_open:
 *
 * `ndjson:URL#options`. Returns: (transfer full) (nullable): the stream, which opens nothing
 *   before its first `next`
 */
FwStream *
fw_ndjson_source_open (const FwFeedSpec  *spec,
                       FwFeedOpenFlags    flags,
                       GError           **error)
{
  return (FwStream *) fw_ndjson_source_new (spec, flags, spec->target, error);
}

/**
 * fw_ndjson_source_new_for_response:
 * @msg: a request already answered with success
 * @body: its response body, not read yet
 *
 * For the Content-Type detector: the first response is read, not thrown away; reconnections
 * request @msg's URL again.
 */
FwStream *
fw_ndjson_source_new_for_response (const FwFeedSpec  *spec,
                                   FwFeedOpenFlags    flags,
                                   SoupSession       *session,
                                   SoupMessage       *msg,
                                   GInputStream      *body,
                                   GError           **error)
{
  g_autofree char *url = g_uri_to_string (soup_message_get_uri (msg));
  FwNdjsonSource *self = fw_ndjson_source_new (spec, flags, url, error);

  if (self == NULL)
    return NULL;

  self->session = g_object_ref (session);
  self->conn = conn_new (self);
  self->conn->msg = g_object_ref (msg);
  self->conn->body = g_object_ref (body);

  return FW_STREAM (self);
}

guint
fw_ndjson_source_get_n_invalid (FwNdjsonSource *self)
{
  g_return_val_if_fail (FW_IS_NDJSON_SOURCE (self), 0);
  return self->n_invalid;
}

guint
fw_ndjson_source_get_n_truncated (FwNdjsonSource *self)
{
  g_return_val_if_fail (FW_IS_NDJSON_SOURCE (self), 0);
  return self->n_truncated;
}

guint
fw_ndjson_source_get_n_connects (FwNdjsonSource *self)
{
  g_return_val_if_fail (FW_IS_NDJSON_SOURCE (self), 0);
  return self->n_connects;
}

/* What a line in progress holds: at most max-line, whatever the server sends. */
gsize
fw_ndjson_source_get_pending_bytes (FwNdjsonSource *self)
{
  g_return_val_if_fail (FW_IS_NDJSON_SOURCE (self), 0);
  return self->partial_alloc;
}

const FwFeedOption fw_ndjson_source_options[] = {
  { .key = "max-line", .type = FW_FEED_OPTION_BYTES, .default_value = "1048576",
    .help = N_("The longest line kept whole, in bytes; the rest of a longer one is dropped") },
  { NULL }
};

static const FwFeedOption ndjson_source_timeouts[] = {
  { .key = "idle-timeout", .type = FW_FEED_OPTION_MILLISECONDS, .default_value = "90000",
    .help = N_("Milliseconds without a byte before the connection counts as dead (0: never)") },
  { NULL }
};

static const FwFeedOption *const ndjson_source_option_list[] = {
  fw_ndjson_source_options, ndjson_source_timeouts, fw_http_request_options,
  fw_http_connection_options, NULL
};

const FwFeedKind fw_ndjson_source_kind = {
  .name = "ndjson",
  .open = fw_ndjson_source_open,
  .description = N_("JSON lines over HTTP"),
  .title = N_("JSON lines"),
  .icon_name = "network-transmit-receive-symbolic",
  .example = "ndjson:https://",
  .options = ndjson_source_option_list,
  .default_title = fw_feed_title_from_url,
};
