/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-http-detect.c: see fw-http-detect.h.
 *
 * A bare http(s):// feed is requested once, on the first pull; the response's Content-Type
 * picks the kind, and the response itself is handed to the SSE, NDJSON, pages or metrics
 * source, which reads it as its first connection or first poll: nothing is requested twice.
 * The detector then forwards each pull to the chosen stream, a batch at a time. */

#include "fw-http-detect.h"

#include "fw-backoff.h"
#include "fw-metrics-source.h"
#include "fw-ndjson-source.h"
#include "fw-pages-source.h"
#include "fw-reconnect.h"
#include "fw-sse-source.h"


#include <string.h>

/* ---------------------------------------------------------------------------------------- */
/* Shared by the HTTP feeds */

/* Proxies come from the system: a SoupSession uses the default GProxyResolver unless told
 * otherwise. TLS is verified by default; only `insecure=1` (fw-http-options.c) relaxes it. */
SoupSession *
fw_http_session_new (void)
{
  /* No libsoup I/O timeout: each feed has its own idle timeout, which knows whether anybody
   * is reading (a quiet stream nobody pulls is not a dead one), and libsoup's 60 s would cut
   * a quiet watch stream first. */
  return soup_session_new_with_options ("user-agent", "Feedwatch",
                                        "timeout", 0,
                                        NULL);
}

/**
 * fw_http_new_request:
 * @accept: (nullable): the Accept header, unless the feed set its own
 *
 * Returns: (transfer full) (nullable): the request, or %NULL with @error set
 */
SoupMessage *
fw_http_new_request (const FwHttpOptions  *options,
                     const char           *url,
                     const char           *accept,
                     GError              **error)
{
  SoupMessage *msg = fw_http_options_new_message (options, url, error);
  SoupMessageHeaders *headers;

  if (msg == NULL)
    return NULL;

  headers = soup_message_get_request_headers (msg);
  if (accept != NULL && soup_message_headers_get_one (headers, "Accept") == NULL)
    soup_message_headers_replace (headers, "Accept", accept);

  return msg;
}

/**
 * fw_http_describe_failure:
 * @error: (nullable): the transport error, or %NULL when the failure is the HTTP status
 *
 * Returns: (transfer full): a phrase for a status item or an error message
 */
char *
fw_http_describe_failure (SoupMessage  *msg,
                          const GError *error)
{
  g_autofree char *uri = NULL;

  if (error == NULL)
    return fw_http_describe_status (msg);

  uri = g_uri_to_string (soup_message_get_uri (msg));
  return fw_http_describe_error (error, uri);
}

/* Retrying cannot fix a certificate, nor a refused redirect: the feed must change. */
gboolean
fw_http_error_is_fatal (const GError *error)
{
  return error != NULL && (error->domain == G_TLS_ERROR || error->domain == FW_FEED_ERROR);
}

/* The cap of the reconnect backoff: `retry-max` (ms). */
guint
fw_http_get_retry_max (const FwFeedSpec  *spec,
                       GError           **error)
{
  guint value;

  if (!fw_feed_spec_get_uint (spec, "retry-max", FW_BACKOFF_DEFAULT_CAP_MS, &value, error))
    return 0;

  return MAX (value, 1);
}

FwItem *
fw_http_status_item_new (GRefString *feed,
                         const char *format,
                         ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  return fw_item_new (FW_ITEM_STATUS, feed, g_get_real_time (), text, -1);
}

/* "3" for whole seconds, "0.1" otherwise: for "retrying in N s". */
void
fw_http_format_seconds (char  *buf,
                        gsize  size,
                        guint  ms)
{
  if (ms % 1000 == 0)
    g_snprintf (buf, size, "%u", ms / 1000);
  else
    g_snprintf (buf, size, "%.1f", ms / 1000.0);
}

/* Items a feed queued for its next answer (status items, messages) */
void
fw_http_drop_queued (GPtrArray *queued)
{
  for (guint i = 0; i < queued->len; i++)
    fw_item_unref (g_ptr_array_index (queued, i));
  g_ptr_array_set_size (queued, 0);
}

/**
 * fw_http_answer_pull:
 * @queued: items to answer with, taken (the array is emptied)
 * @failure: (inout) (nullable): with @ended, the error the stream ends with (taken)
 *
 * Answers the pull in progress: the queued items, then done, or with @ended the end or
 * *@failure.
 */
void
fw_http_answer_pull (FwStream   *stream,
                     GPtrArray  *queued,
                     gboolean    ended,
                     GError    **failure)
{
  for (guint i = 0; i < queued->len; i++)
    fw_stream_yield (stream, g_ptr_array_index (queued, i));
  g_ptr_array_set_size (queued, 0);

  if (!ended)
    fw_stream_pull_done (stream);
  else if (*failure != NULL)
    fw_stream_pull_error (stream, g_steal_pointer (failure));
  else
    fw_stream_pull_end (stream);
}

/* Idle timeouts. The timer is not moved for every read (each move wakes the main context): a
 * wait for bytes only notes when it began, and the timer, when it fires, checks that a wait
 * is still in progress and sleeps until that one's deadline if need be. A source with a
 * movable ready time, so a wait costs no allocation. */

static gboolean
idle_timer_dispatch (GSource     *source,
                     GSourceFunc  callback,
                     gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs idle_timer_funcs = { NULL, NULL, idle_timer_dispatch, NULL, NULL, NULL };

/**
 * fw_http_idle_arm:
 * @timer: (inout): the feed's timer, made at the first wait (destroy it when the feed goes)
 * @since: (inout): when the wait in progress began (monotonic µs), 0 when none
 * @func: called when the timer fires; it asks fw_http_idle_expired() whether the wait is over
 *
 * Bytes are awaited from now on; with @timeout_ms 0 there is no idle timeout.
 */
void
fw_http_idle_arm (GSource      **timer,
                  gint64        *since,
                  guint          timeout_ms,
                  GMainContext  *context,
                  const char    *name,
                  GSourceFunc    func,
                  gpointer       data)
{
  if (timeout_ms == 0)
    return;

  *since = g_get_monotonic_time ();
  if (*timer == NULL)
    {
      *timer = g_source_new (&idle_timer_funcs, sizeof (GSource));
      g_source_set_callback (*timer, func, data, NULL);
      g_source_set_static_name (*timer, name);
      g_source_attach (*timer, context);
    }
  if (g_source_get_ready_time (*timer) < 0)
    g_source_set_ready_time (*timer, *since + (gint64) timeout_ms * 1000);
}

/**
 * fw_http_idle_expired:
 *
 * For the timer's callback: whether the wait in progress has lasted @timeout_ms (it is then
 * over: @since goes back to 0). Otherwise the timer sleeps until the wait's deadline, or
 * until the next wait when none is in progress.
 */
gboolean
fw_http_idle_expired (GSource *timer,
                      gint64  *since,
                      guint    timeout_ms)
{
  gint64 deadline = *since + (gint64) timeout_ms * 1000;

  if (*since == 0)
    {
      g_source_set_ready_time (timer, -1);
      return FALSE;
    }
  if (g_get_monotonic_time () < deadline)
    {
      g_source_set_ready_time (timer, deadline);
      return FALSE;
    }
  g_source_set_ready_time (timer, -1);
  *since = 0;
  return TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* Recognising a feed by its Content-Type */

FwHttpKind
fw_http_kind_from_content_type (const char *content_type)
{
  g_autofree char *type = NULL;
  const char *semi;
  gboolean v004;

  if (content_type == NULL)
    return FW_HTTP_KIND_UNKNOWN;

  semi = strchr (content_type, ';');
  type = g_ascii_strdown (content_type, semi != NULL ? semi - content_type : -1);
  g_strstrip (type);
  v004 = semi != NULL && strstr (semi, "0.0.4") != NULL;

  if (g_str_equal (type, "text/event-stream"))
    return FW_HTTP_KIND_SSE;
  if (g_str_equal (type, "application/x-ndjson") || g_str_equal (type, "application/ndjson") ||
      g_str_equal (type, "application/jsonl") || g_str_equal (type, "application/x-jsonl") ||
      g_str_equal (type, "application/json-seq") || g_str_equal (type, "application/jsonlines"))
    return FW_HTTP_KIND_NDJSON;
  if (g_str_equal (type, "application/json") || g_str_has_suffix (type, "+json"))
    return FW_HTTP_KIND_PAGES;
  if ((g_str_equal (type, "text/plain") && v004) ||
      g_str_equal (type, "application/openmetrics-text"))
    return FW_HTTP_KIND_METRICS;

  return FW_HTTP_KIND_UNKNOWN;
}

const char *
fw_http_kind_to_feed_kind (FwHttpKind kind)
{
  switch (kind)
    {
    case FW_HTTP_KIND_SSE: return "sse";
    case FW_HTTP_KIND_NDJSON: return "ndjson";
    case FW_HTTP_KIND_PAGES: return "pages";
    case FW_HTTP_KIND_METRICS: return "metrics";
    case FW_HTTP_KIND_UNKNOWN:
    default: return NULL;
    }
}

/* ---------------------------------------------------------------------------------------- */
/* A whole response body, bounded: for the polled feeds (pages:, metrics:). A GTask is fine
 * here: one per request, not per item. */

typedef struct
{
  SoupSession  *session;
  SoupMessage  *msg;
  GInputStream *body;
  GByteArray   *data;
  gsize         max_bytes;
  guint         idle_timeout_ms;
  GCancellable *op_cancellable;  /* ours: cancelled by the caller's, or the idle timer */
  GCancellable *caller_cancellable;
  gulong        cancel_id;
  GSource      *timer;
  gboolean      timed_out;
} Fetch;

static void
fetch_free (gpointer data)
{
  Fetch *fetch = data;

  if (fetch->timer != NULL)
    {
      g_source_destroy (fetch->timer);
      g_source_unref (fetch->timer);
    }
  if (fetch->caller_cancellable != NULL)
    {
      g_cancellable_disconnect (fetch->caller_cancellable, fetch->cancel_id);
      g_object_unref (fetch->caller_cancellable);
    }
  g_clear_object (&fetch->session);
  g_clear_object (&fetch->msg);
  g_clear_object (&fetch->body);
  g_clear_pointer (&fetch->data, g_byte_array_unref);
  g_clear_object (&fetch->op_cancellable);
  g_free (fetch);
}

static gboolean
on_fetch_idle (gpointer user_data)
{
  Fetch *fetch = user_data;

  g_clear_pointer (&fetch->timer, g_source_unref);
  fetch->timed_out = TRUE;
  g_cancellable_cancel (fetch->op_cancellable);

  return G_SOURCE_REMOVE;
}

static void
fetch_arm_timer (Fetch *fetch)
{
  if (fetch->timer != NULL)
    {
      g_source_destroy (fetch->timer);
      g_clear_pointer (&fetch->timer, g_source_unref);
    }
  if (fetch->idle_timeout_ms == 0)
    return;
  fetch->timer = g_timeout_source_new (fetch->idle_timeout_ms);
  g_source_set_callback (fetch->timer, on_fetch_idle, fetch, NULL);
  g_source_set_static_name (fetch->timer, "[feedwatch] http fetch idle timeout");
  g_source_attach (fetch->timer, g_main_context_get_thread_default ());
}

static void
fetch_fail (GTask  *task,
            GError *error)
{
  Fetch *fetch = g_task_get_task_data (task);
  GCancellable *caller = g_task_get_cancellable (task);

  if (fetch->timed_out && (caller == NULL || !g_cancellable_is_cancelled (caller)))
    {
      char secs[32];

      fw_http_format_seconds (secs, sizeof secs, fetch->idle_timeout_ms);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               "no data for %s s", secs);
      g_error_free (error);
    }
  else if (error->domain == G_TLS_ERROR)
    {
      g_autofree char *text = fw_http_describe_failure (fetch->msg, error);

      g_task_return_new_error (task, error->domain, error->code, "%s", text);
      g_error_free (error);
    }
  else
    g_task_return_error (task, error);
}

static void fetch_read_more (GTask *task);

static void
on_fetch_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result,
                                                              &error);

  if (chunk == NULL)
    {
      fetch_fail (task, error);
      return;
    }
  if (g_bytes_get_size (chunk) == 0)
    {
      g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&fetch->data)),
                             (GDestroyNotify) g_bytes_unref);
      return;
    }
  if (fetch->data->len + g_bytes_get_size (chunk) > fetch->max_bytes)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                               "the response is larger than %" G_GSIZE_FORMAT " bytes",
                               fetch->max_bytes);
      return;
    }
  g_byte_array_append (fetch->data, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  fetch_read_more (g_steal_pointer (&task));
}

static void
fetch_read_more (GTask *task)
{
  Fetch *fetch = g_task_get_task_data (task);

  fetch_arm_timer (fetch);
  g_input_stream_read_bytes_async (fetch->body, 64 * 1024, G_PRIORITY_DEFAULT,
                                   fetch->op_cancellable, on_fetch_read, task);
}

static void
on_fetch_sent (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  GError *error = NULL;

  fetch->body = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (fetch->body == NULL)
    {
      fetch_fail (task, error);
      return;
    }
  if (!fw_http_options_check_redirect (fetch->msg, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (fetch->msg)))
    {
      g_autofree char *text = fw_http_describe_status (fetch->msg);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", text);
      return;
    }
  fetch_read_more (g_steal_pointer (&task));
}

static void
on_caller_cancelled (GCancellable *cancellable,
                     gpointer      user_data)
{
  g_cancellable_cancel (user_data);
}

/**
 * fw_http_fetch_async:
 * @body: (nullable): the response body of @msg when it was already sent (the detector's), or
 *   %NULL to send @msg now
 * @max_bytes: a larger body fails with %G_IO_ERROR_MESSAGE_TOO_LARGE
 * @idle_timeout_ms: no data for this long fails with %G_IO_ERROR_TIMED_OUT; 0 for none
 *
 * Fetches a whole response body. A status other than 2xx fails with the status in words;
 * @msg's response headers are there for the caller to read after.
 */
void
fw_http_fetch_async (SoupSession         *session,
                     SoupMessage         *msg,
                     GInputStream        *body,
                     gsize                max_bytes,
                     guint                idle_timeout_ms,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Fetch *fetch = g_new0 (Fetch, 1);

  g_task_set_source_tag (task, fw_http_fetch_async);
  /* Our own cancellable so the idle timer can stop the operation; the GTask does not
   * check the caller's on return, we pass its cancellation on. */
  g_task_set_check_cancellable (task, FALSE);
  fetch->session = g_object_ref (session);
  fetch->msg = g_object_ref (msg);
  fetch->body = body != NULL ? g_object_ref (body) : NULL;
  fetch->data = g_byte_array_new ();
  fetch->max_bytes = max_bytes;
  fetch->idle_timeout_ms = idle_timeout_ms;
  fetch->op_cancellable = g_cancellable_new ();
  g_task_set_task_data (task, fetch, fetch_free);

  if (cancellable != NULL)
    {
      fetch->caller_cancellable = g_object_ref (cancellable);
      fetch->cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                                                g_object_ref (fetch->op_cancellable),
                                                g_object_unref);
    }

  if (fetch->body != NULL)
    fetch_read_more (g_steal_pointer (&task));
  else
    {
      fetch_arm_timer (fetch);
      soup_session_send_async (session, msg, G_PRIORITY_DEFAULT, fetch->op_cancellable,
                               on_fetch_sent, g_steal_pointer (&task));
    }
}

GBytes *
fw_http_fetch_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------------------------------- */
/* The detecting stream */

#define DETECT_ACCEPT "text/event-stream, application/x-ndjson, application/jsonl, " \
                      "application/json;q=0.9, text/plain;version=0.0.4;q=0.8, */*;q=0.1"

typedef struct
{
  gatomicrefcount  ref_count;
  FwHttpDetect    *self;   /* NULL once detached */
} DetectToken;

struct _FwHttpDetect
{
  FwStream         parent_instance;

  FwFeedSpec      *spec;   /* a copy: the inner source is made from it later */
  GRefString      *feed;
  FwFeedOpenFlags  flags;
  FwHttpOptions   *options;
  FwHttpKind       kind;

  SoupSession     *session;
  SoupMessage     *msg;
  FwStream        *inner;
  GCancellable    *cancellable;
  DetectToken     *token;
  GSource         *timer;
  FwReconnect     *reconnect;  /* while the server cannot be reached */
  gboolean         timed_out;
  guint            n_requests;
};

G_DEFINE_FINAL_TYPE (FwHttpDetect, fw_http_detect, FW_TYPE_STREAM)

static DetectToken *
detect_token_new (FwHttpDetect *self)
{
  DetectToken *token = g_new0 (DetectToken, 1);

  g_atomic_ref_count_init (&token->ref_count);
  token->self = self;
  return token;
}

static void
detect_token_unref (DetectToken *token)
{
  if (g_atomic_ref_count_dec (&token->ref_count))
    g_free (token);
}

/* Takes the in-flight token back: returns the stream, or NULL when it was released. */
static FwHttpDetect *
detect_token_claim (DetectToken *token)
{
  FwHttpDetect *self = token->self;

  if (self != NULL)
    detect_token_unref (g_steal_pointer (&self->token));
  detect_token_unref (token);
  return self;
}

static FwFeedSpec *
copy_spec (const FwFeedSpec *spec)
{
  FwFeedSpec *copy = g_new0 (FwFeedSpec, 1);
  GHashTableIter iter;
  gpointer key, value;

  copy->text = g_strdup (spec->text);
  copy->kind = g_strdup (spec->kind);
  copy->target = g_strdup (spec->target);
  copy->options = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_iter_init (&iter, spec->options);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy->options, g_strdup (key), g_strdup (value));

  return copy;
}

static void
on_inner_batch (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batch = fw_stream_next_batch_finish (FW_STREAM (source), result, &error);
  FwHttpDetect *self = detect_token_claim (user_data);

  if (self == NULL)
    return;

  if (batch == NULL)
    fw_stream_pull_error (FW_STREAM (self), g_steal_pointer (&error));
  else if (batch->len == 0)
    fw_stream_pull_end (FW_STREAM (self));
  else
    {
      for (guint i = 0; i < batch->len; i++)
        fw_stream_yield (FW_STREAM (self), fw_item_ref (batch->pdata[i]));
      fw_stream_pull_done (FW_STREAM (self));
    }
}

static void
forward_pull (FwHttpDetect *self,
              guint         max_items)
{
  self->token = detect_token_new (self);
  g_atomic_ref_count_inc (&self->token->ref_count);
  fw_stream_next_batch_async (self->inner, max_items, self->cancellable, on_inner_batch,
                              self->token);
}

static void
stop_detect_timer (FwHttpDetect *self)
{
  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
}

static gboolean
on_detect_timeout (gpointer user_data)
{
  FwHttpDetect *self = user_data;

  g_clear_pointer (&self->timer, g_source_unref);
  self->timed_out = TRUE;
  g_cancellable_cancel (self->cancellable);

  return G_SOURCE_REMOVE;
}

/* Whether a failed first request is worth repeating: the server cannot be reached yet (refused,
 * unknown host, reset) or says it is not ready (5xx, 408, 429). An answer that says the feed
 * is wrong (another 4xx), a certificate, a refused redirect, or a server that takes the
 * request and never answers fail the feed, as does any failure under --once. */
static gboolean
may_retry (FwHttpDetect *self,
           const GError *error,
           guint         status)
{
  if (self->flags & FW_FEED_OPEN_ONCE)
    return FALSE;
  if (error != NULL)
    return !fw_http_error_is_fatal (error);
  return status >= 500 || status == SOUP_STATUS_REQUEST_TIMEOUT ||
         status == 429 /* Too Many Requests */;
}

static void
retry_later (FwHttpDetect *self,
             const char   *reason)
{
  g_clear_object (&self->msg);
  fw_stream_yield (FW_STREAM (self),
                   fw_reconnect_schedule (self->reconnect, self->feed, FW_LEVEL_WARNING,
                                          "retrying", reason));
  fw_stream_pull_done (FW_STREAM (self));
}

static void
on_detect_sent (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) body = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  FwHttpDetect *self = detect_token_claim (user_data);
  const char *content_type;

  if (self == NULL)
    return;

  stop_detect_timer (self);
  if (body == NULL && self->timed_out)
    {
      g_autofree char *secs = fw_reconnect_format_delay (self->reconnect,
                                                         self->options->idle_timeout_ms);

      fw_stream_pull_error (FW_STREAM (self),
                            g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                         "%s: no answer for %s", self->spec->target, secs));
      return;
    }
  if (body == NULL)
    {
      g_autofree char *reason = fw_http_describe_failure (self->msg, error);

      if (may_retry (self, error, 0))
        retry_later (self, reason);
      else
        {
          g_autofree char *shown = fw_feed_spec_redact (self->spec->target);

          fw_stream_pull_error (FW_STREAM (self),
                                g_error_new (error->domain, error->code, "%s: %s", shown,
                                             reason));
        }
      return;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (self->msg)))
    {
      g_autofree char *reason = fw_http_describe_failure (self->msg, NULL);

      if (may_retry (self, NULL, soup_message_get_status (self->msg)))
        {
          fw_reconnect_note_response (self->reconnect,
                                      soup_message_get_response_headers (self->msg));
          retry_later (self, reason);
        }
      else
        {
          g_autofree char *shown = fw_feed_spec_redact (self->spec->target);

          fw_stream_pull_error (FW_STREAM (self),
                                g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", shown,
                                             reason));
        }
      return;
    }

  content_type = soup_message_headers_get_one (soup_message_get_response_headers (self->msg),
                                               "Content-Type");
  self->kind = fw_http_kind_from_content_type (content_type);

  switch (self->kind)
    {
    case FW_HTTP_KIND_NDJSON:
      self->inner = fw_ndjson_source_new_for_response (self->spec, self->flags, self->session,
                                                       self->msg, body, &error);
      break;
    case FW_HTTP_KIND_PAGES:
      self->inner = fw_pages_source_new_for_response (self->spec, self->flags, self->session,
                                                      self->msg, body, &error);
      break;
    case FW_HTTP_KIND_METRICS:
      self->inner = fw_metrics_source_new_for_response (self->spec, self->flags, self->session,
                                                        self->msg, body, &error);
      break;
    case FW_HTTP_KIND_SSE:
      self->inner = fw_sse_source_new_for_response (self->spec, self->flags, self->msg, body,
                                                    &error);
      break;
    case FW_HTTP_KIND_UNKNOWN:
    default:
      g_set_error (&error, FW_FEED_ERROR, FW_FEED_ERROR_UNKNOWN_KIND,
                   "%s answered with the Content-Type “%s”, which is not a kind of feed "
                   "Feedwatch recognises; write sse:, ndjson:, pages: or metrics: before "
                   "the URL to say which it is", self->spec->target,
                   content_type != NULL ? content_type : "(none)");
      break;
    }

  g_clear_object (&self->msg);
  if (self->inner == NULL)
    {
      fw_stream_pull_error (FW_STREAM (self), g_steal_pointer (&error));
      return;
    }
  fw_reconnect_succeeded (self->reconnect);

  fw_stream_yield (FW_STREAM (self),
                   fw_feed_status_new_printf (self->feed, FW_FEED_STATE_CONNECTING,
                                              FW_LEVEL_INFO, "recognised as %s: %s",
                                              fw_http_kind_to_feed_kind (self->kind),
                                              content_type));
  fw_stream_pull_done (FW_STREAM (self));
}

static void
send_request (FwHttpDetect *self)
{
  g_autoptr(GError) error = NULL;

  if (self->session == NULL)
    self->session = fw_http_session_new ();
  self->msg = fw_http_new_request (self->options, self->spec->target, DETECT_ACCEPT, &error);
  if (self->msg == NULL)
    {
      fw_stream_pull_error (FW_STREAM (self), g_steal_pointer (&error));
      return;
    }
  /* The idle timer of an earlier attempt cancelled the cancellable. */
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_object_unref (self->cancellable);
      self->cancellable = g_cancellable_new ();
    }

  self->n_requests++;
  self->timed_out = FALSE;
  if (self->options->idle_timeout_ms > 0)
    {
      self->timer = g_timeout_source_new (self->options->idle_timeout_ms);
      g_source_set_callback (self->timer, on_detect_timeout, self, NULL);
      g_source_set_static_name (self->timer, "[feedwatch] http detect timeout");
      g_source_attach (self->timer, fw_stream_get_context (FW_STREAM (self)));
    }
  self->token = detect_token_new (self);
  g_atomic_ref_count_inc (&self->token->ref_count);
  soup_session_send_async (self->session, self->msg, G_PRIORITY_DEFAULT, self->cancellable,
                           on_detect_sent, self->token);
}

static gboolean
on_retry_due (gpointer user_data)
{
  send_request (user_data);
  return G_SOURCE_REMOVE;
}

static void
fw_http_detect_pull (FwStream     *stream,
                     guint         max_items,
                     GCancellable *cancellable)
{
  FwHttpDetect *self = FW_HTTP_DETECT (stream);

  if (self->inner != NULL)
    {
      forward_pull (self, max_items);
      return;
    }

  /* After a failed attempt, the next waits its delay; a feed nobody reads does not retry. */
  if (!fw_reconnect_wait (self->reconnect, stream, on_retry_due, "[feedwatch] http detect retry"))
    send_request (self);
}

static void
fw_http_detect_release (FwStream *stream)
{
  FwHttpDetect *self = FW_HTTP_DETECT (stream);

  stop_detect_timer (self);
  fw_reconnect_stop (self->reconnect);
  if (self->token != NULL)
    {
      self->token->self = NULL;
      detect_token_unref (g_steal_pointer (&self->token));
    }
  g_cancellable_cancel (self->cancellable);
  /* Closed now; the object stays until finalize, for fw_http_detect_get_inner(). */
  if (self->inner != NULL)
    fw_stream_close (self->inner);
  g_clear_object (&self->msg);
  g_clear_object (&self->session);
}

static void
fw_http_detect_finalize (GObject *object)
{
  FwHttpDetect *self = FW_HTTP_DETECT (object);

  g_assert (self->token == NULL);

  g_clear_object (&self->inner);
  g_clear_object (&self->msg);
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->options, fw_http_options_free);
  g_clear_pointer (&self->reconnect, fw_reconnect_free);
  g_clear_pointer (&self->spec, fw_feed_spec_free);
  g_clear_pointer (&self->feed, g_ref_string_release);

  G_OBJECT_CLASS (fw_http_detect_parent_class)->finalize (object);
}

static void
fw_http_detect_class_init (FwHttpDetectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  FwStreamClass *stream_class = FW_STREAM_CLASS (klass);

  object_class->finalize = fw_http_detect_finalize;
  stream_class->pull = fw_http_detect_pull;
  stream_class->release = fw_http_detect_release;
}

static void
fw_http_detect_init (FwHttpDetect *self)
{
  self->cancellable = g_cancellable_new ();
}

/**
 * fw_http_detect_open:
 *
 * A bare `http://…` or `https://…` feed. Returns: (transfer full) (nullable): a stream that
 *   requests the URL on its first `next`, or %NULL with @error set for bad options
 */
FwStream *
fw_http_detect_open (const FwFeedSpec  *spec,
                     FwFeedOpenFlags    flags,
                     GError           **error)
{
  g_autoptr(FwHttpOptions) options = fw_http_options_parse (spec, 30 * 1000, error);
  g_autoptr(SoupMessage) probe = NULL;
  FwHttpDetect *self;
  guint retry_max;

  if (options == NULL || (retry_max = fw_http_get_retry_max (spec, error)) == 0)
    return NULL;
  probe = fw_http_options_new_message (options, spec->target, error);
  if (probe == NULL)
    return NULL;

  self = g_object_new (FW_TYPE_HTTP_DETECT, "name", spec->text, NULL);
  self->spec = copy_spec (spec);
  self->feed = g_ref_string_new_intern (spec->text);
  self->flags = flags;
  self->reconnect = fw_reconnect_new (options->retry_ms >= 0 ? (guint) options->retry_ms
                                                             : FW_BACKOFF_DEFAULT_BASE_MS,
                                      retry_max, FALSE);
  self->options = g_steal_pointer (&options);

  return FW_STREAM (self);
}

FwHttpKind
fw_http_detect_get_kind (FwHttpDetect *self)
{
  g_return_val_if_fail (FW_IS_HTTP_DETECT (self), FW_HTTP_KIND_UNKNOWN);
  return self->kind;
}

/* Returns: (transfer none) (nullable): the stream the feed turned out to be */
FwStream *
fw_http_detect_get_inner (FwHttpDetect *self)
{
  g_return_val_if_fail (FW_IS_HTTP_DETECT (self), NULL);
  return self->inner;
}

guint
fw_http_detect_get_n_requests (FwHttpDetect *self)
{
  g_return_val_if_fail (FW_IS_HTTP_DETECT (self), 0);
  return self->n_requests;
}
