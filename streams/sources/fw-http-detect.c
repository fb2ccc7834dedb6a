/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-http-detect.c: see fw-http-detect.h.
 *
 * A bare http(s):// feed is requested once, on the first pull; the response's Content-Type
 * picks the kind, and the response itself is handed to the SSE, NDJSON, pages or metrics
 * source, which reads it as its first connection or first poll: nothing is requested twice.
 * The detector then forwards each pull to the chosen stream, a batch at a time. A server that
 * cannot be reached yet is tried again (FwReconnect), one attempt per pull, until it answers. */

#include "config.h"

#include "fw-http-detect.h"

#include <glib/gi18n-lib.h>

#include "fw-backoff.h"
#include "fw-http.h"
#include "fw-metrics-source.h"
#include "fw-ndjson-source.h"
#include "fw-pages-source.h"
#include "fw-reconnect.h"
#include "fw-source-private.h"
#include "fw-sse-source.h"

#include <string.h>

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
/* The detecting stream */

#define DETECT_ACCEPT "text/event-stream, application/x-ndjson, application/jsonl, " \
                      "application/json;q=0.9, text/plain;version=0.0.4;q=0.8, */*;q=0.1"

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
  FwSourceToken   *token;    /* held by the request or pull in flight */
  GSource         *timer;
  FwReconnect     *reconnect;  /* while the server cannot be reached */
  gboolean         timed_out;
  guint            n_requests;
};

G_DEFINE_FINAL_TYPE (FwHttpDetect, fw_http_detect, FW_TYPE_STREAM)

static void
on_inner_batch (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batch = fw_stream_next_batch_finish (FW_STREAM (source), result, &error);
  FwHttpDetect *self = fw_source_token_claim (user_data, G_STRUCT_OFFSET (FwHttpDetect, token));

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
  self->token = fw_source_token_new (self);
  fw_stream_next_batch_async (self->inner, max_items, self->cancellable, on_inner_batch,
                              fw_source_token_ref (self->token));
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
  FwHttpDetect *self = fw_source_token_claim (user_data, G_STRUCT_OFFSET (FwHttpDetect, token));
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
                                         _("%s: no answer for %s"), self->spec->target, secs));
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
                   _("%s answered with the Content-Type “%s”, which is not a kind of feed "
                     "Feedwatch recognises; write sse:, ndjson:, pages: or metrics: before "
                     "the URL to say which it is"), self->spec->target,
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
                                              FW_LEVEL_INFO, _("recognised as %s: %s"),
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
  self->token = fw_source_token_new (self);
  soup_session_send_async (self->session, self->msg, G_PRIORITY_DEFAULT, self->cancellable,
                           on_detect_sent, fw_source_token_ref (self->token));
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
  fw_source_token_clear (&self->token);
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
  self->spec = fw_feed_spec_ref ((FwFeedSpec *) spec);
  self->feed = fw_ref_string_intern (spec->text);
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

/* What the answer turns out to be decides which of these apply, and some defaults. */
static const FwFeedOption http_detect_timing[] = {
  { .key = "interval", .type = FW_FEED_OPTION_MILLISECONDS,
    .help = N_("Milliseconds between polls, for a metrics or paginated feed (default 10 s and "
               "30 s)") },
  { .key = "idle-timeout", .type = FW_FEED_OPTION_MILLISECONDS,
    .help = N_("Milliseconds without a byte before the connection counts as dead (0: never; "
               "the default is the feed's kind's)") },
  { NULL }
};

static const FwFeedOption *const http_detect_option_list[] = {
  http_detect_timing, fw_sse_source_options, fw_ndjson_source_options, fw_pages_source_options,
  fw_metrics_source_options, fw_http_request_options, fw_http_connection_options, NULL
};

const FwFeedKind fw_http_detect_http_kind = {
  .name = "http",
  .open = fw_http_detect_open,
  .description = N_("HTTP feed, recognised by its Content-Type on connect"),
  .title = N_("HTTP feed"),
  .icon_name = "network-transmit-receive-symbolic",
  .options = http_detect_option_list,
  .default_title = fw_feed_title_from_url,
};

const FwFeedKind fw_http_detect_https_kind = {
  .name = "https",
  .open = fw_http_detect_open,
  .description = N_("HTTPS feed, recognised by its Content-Type on connect"),
  .title = N_("HTTPS feed"),
  .icon_name = "network-transmit-receive-symbolic",
  .options = http_detect_option_list,
  .default_title = fw_feed_title_from_url,
};
