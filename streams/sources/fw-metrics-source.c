/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-metrics-source.c: `metrics:URL#interval=MS&match=PATTERN`.
 *
 * Each pull that finds nothing buffered polls the endpoint (no sooner than interval after the
 * last poll), parses the body with fw-metrics-parser and yields one reading per chosen series:
 * gauges and untyped series as they are, cumulative series (counters, and the _bucket, _sum
 * and _count of histograms and summaries) as a rate per second against the previous poll, so
 * the first poll gives no rate for them, and a counter reset gives none either. The previous
 * values live in a table rebuilt at each poll: series that vanished are forgotten, and at
 * most max-series are kept. With --once there is a single poll and counters are given as
 * their totals.
 *
 * Options: interval (ms, default 10 s), match (glob on the metric name; several separated by
 * '|', e.g. `node_cpu_*|node_load1`), max-series, and those of fw-http-options.h (its
 * idle-timeout bounds each request, default 30 s). */

#include "config.h"

#include "fw-metrics-source.h"

#include <glib/gi18n-lib.h>

#include "fw-reconnect.h"
#include "fw-http.h"
#include "fw-http-fetch.h"
#include "fw-source-private.h"
#include "fw-http-options.h"
#include "fw-metrics-parser.h"
#include "fw-units.h"

#include <math.h>

#define ACCEPT "text/plain;version=0.0.4;q=1, */*;q=0.1"

typedef struct
{
  double value;
  gint64 time_us;
} Previous;

struct _FwMetricsSource
{
  FwStream       parent_instance;

  GRefString    *feed;
  char          *url;
  FwHttpOptions *options;
  GPtrArray     *patterns;   /* GPatternSpec, or NULL for all */
  guint          interval_ms;
  guint          max_series;
  gboolean       once;

  SoupSession   *session;
  SoupMessage   *first_msg;  /* handed over by the detector */
  SoupMessage   *poll_msg;   /* the request in flight: its Retry-After when it fails */
  GInputStream  *first_body;
  FwSourceToken *token;      /* of the request in flight */
  GCancellable  *cancellable;
  FwReconnect   *reconnect;   /* the delay after a failed poll */
  GSource       *timer;
  gint64         next_poll_at;  /* monotonic µs */
  gboolean       connected;

  GHashTable    *previous;   /* series → Previous */

  /* During one parse */
  GHashTable    *current;
  gint64         poll_time_us;
  gint64         poll_real_us;
  guint          yielded;

  guint          n_polls;
  guint          n_invalid;
};

G_DEFINE_FINAL_TYPE (FwMetricsSource, fw_metrics_source, FW_TYPE_STREAM)

static void poll_now (FwMetricsSource *self);

static gboolean
on_poll_due (gpointer user_data)
{
  FwMetricsSource *self = user_data;

  g_clear_pointer (&self->timer, g_source_unref);
  poll_now (self);

  return G_SOURCE_REMOVE;
}

static void
wait_then_poll (FwMetricsSource *self)
{
  gint64 now = g_get_monotonic_time ();

  if (self->next_poll_at <= now)
    {
      poll_now (self);
      return;
    }

  self->timer = fw_source_timer_new (FW_STREAM (self), self->next_poll_at, on_poll_due,
                                     "[feedwatch] metrics poll");
}

static gboolean
is_chosen (FwMetricsSource *self,
           const char      *name)
{
  if (self->patterns == NULL)
    return TRUE;

  for (guint i = 0; i < self->patterns->len; i++)
    {
      if (g_pattern_spec_match_string (g_ptr_array_index (self->patterns, i), name))
        return TRUE;
    }
  return FALSE;
}

static void
on_sample (const FwMetricsSample *sample,
           gpointer               user_data)
{
  FwMetricsSource *self = user_data;
  /* A timestamp too far out for microseconds is no time to take a rate over: the poll's. */
  gint64 t = sample->has_timestamp && sample->timestamp_ms >= G_MININT64 / 1000 &&
             sample->timestamp_ms <= G_MAXINT64 / 1000
             ? sample->timestamp_ms * 1000 : self->poll_time_us;
  Previous *prev, *cur;
  FwItem *item;

  if (!is_chosen (self, sample->name))
    return;

  if (!sample->cumulative || self->once)
    {
      item = fw_item_new_reading (self->feed, self->poll_real_us, sample->series,
                                  sample->value, NULL);
      fw_stream_yield (FW_STREAM (self), item);
      self->yielded++;
      return;
    }

  if (g_hash_table_size (self->current) >= self->max_series ||
      g_hash_table_contains (self->current, sample->series))
    return;

  cur = g_new (Previous, 1);
  cur->value = sample->value;
  cur->time_us = t;
  g_hash_table_insert (self->current, g_strdup (sample->series), cur);

  prev = g_hash_table_lookup (self->previous, sample->series);
  /* No rate without an earlier value, across a reset, or with no time between. */
  if (prev == NULL || sample->value < prev->value || t <= prev->time_us ||
      !isfinite (sample->value))
    return;

  item = fw_item_new_reading (self->feed, self->poll_real_us, sample->series,
                              (sample->value - prev->value) * G_USEC_PER_SEC / (t - prev->time_us),
                              FW_UNIT_PER_SECOND);
  fw_stream_yield (FW_STREAM (self), item);
  self->yielded++;
}

static void
on_fetched (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  FwSourceToken *token = user_data;
  FwMetricsSource *self = token->owner;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = fw_http_fetch_finish (result, &error);
  gboolean was_connected;
  FwMetricsDropped dropped = { 0 };
  g_autofree char *dropped_text = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  if (self == NULL)
    {
      fw_source_token_unref (token);
      return;
    }
  fw_source_token_unref (g_steal_pointer (&self->token)); /* the source's */
  fw_source_token_unref (token);                          /* the callback's */
  msg = g_steal_pointer (&self->poll_msg);

  self->next_poll_at = g_get_monotonic_time () + (gint64) self->interval_ms * 1000;

  if (body == NULL)
    {
      if (self->once || fw_http_error_is_fatal (error))
        {
          g_autofree char *shown = fw_feed_spec_redact (self->url);

          fw_stream_pull_error (FW_STREAM (self),
                                g_error_new (error->domain, error->code, "%s: %s", shown,
                                             error->message));
          return;
        }
      self->connected = FALSE;
      fw_reconnect_note_response (self->reconnect, soup_message_get_response_headers (msg));
      fw_stream_yield (FW_STREAM (self),
                       fw_reconnect_schedule (self->reconnect, self->feed, FW_LEVEL_WARNING,
                                              "retrying", error->message));
      /* The retry waits on the poll timer. */
      self->next_poll_at = fw_reconnect_get_due (self->reconnect);
      fw_stream_pull_done (FW_STREAM (self));
      return;
    }

  fw_reconnect_succeeded (self->reconnect);
  was_connected = self->connected;
  self->connected = TRUE;
  self->n_polls++;
  self->yielded = 0;
  if (!was_connected)
    {
      fw_stream_yield (FW_STREAM (self), fw_feed_status_new (self->feed, FW_FEED_STATE_LIVE,
                                                             FW_LEVEL_INFO, "connected"));
      self->yielded++;
    }

  self->current = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->poll_real_us = g_get_real_time ();
  fw_metrics_parse_full (g_bytes_get_data (body, NULL), g_bytes_get_size (body), on_sample,
                         self, &dropped);
  self->n_invalid += dropped.n_lines;
  /* One warning per scrape, not per line: a broken exporter must not flood the feed. */
  dropped_text = fw_metrics_dropped_describe (&dropped);
  if (dropped_text != NULL)
    {
      FwItem *item = fw_feed_status_new (self->feed, FW_FEED_STATE_IDLE, FW_LEVEL_WARNING,
                                         dropped_text);

      fw_item_set_name (item, "dropped");
      fw_stream_yield (FW_STREAM (self), item);
      self->yielded++;
    }
  g_hash_table_unref (self->previous);
  self->previous = g_steal_pointer (&self->current);

  if (self->once)
    fw_stream_pull_end (FW_STREAM (self));
  else if (self->yielded > 0)
    fw_stream_pull_done (FW_STREAM (self));
  else
    wait_then_poll (self); /* only counters, first poll: their rates come next time */
}

static void
poll_now (FwMetricsSource *self)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) body = NULL;
  g_autoptr(GError) error = NULL;

  if (self->session == NULL)
    self->session = fw_http_session_new ();

  if (self->first_msg != NULL)
    {
      msg = g_steal_pointer (&self->first_msg);
      body = g_steal_pointer (&self->first_body);
    }
  else
    {
      msg = fw_http_new_request (self->options, self->url, ACCEPT, &error);
      if (msg == NULL)
        {
          fw_stream_pull_error (FW_STREAM (self), g_steal_pointer (&error));
          return;
        }
    }

  /* Counter rates divide by the time between the responses' arrivals; this is close. */
  self->poll_time_us = g_get_real_time ();
  self->token = fw_source_token_new (self);
  fw_source_token_ref (self->token);
  g_set_object (&self->poll_msg, msg);
  fw_http_fetch_async (self->session, msg, body, FW_METRICS_MAX_BODY,
                       self->options->idle_timeout_ms, self->cancellable, on_fetched,
                       self->token);
}

static void
fw_metrics_source_pull (FwStream     *stream,
                        guint         max_items,
                        GCancellable *cancellable)
{
  FwMetricsSource *self = FW_METRICS_SOURCE (stream);

  wait_then_poll (self);
}

static void
fw_metrics_source_release (FwStream *stream)
{
  FwMetricsSource *self = FW_METRICS_SOURCE (stream);

  fw_source_timer_stop (&self->timer);
  fw_source_token_clear (&self->token);
  g_cancellable_cancel (self->cancellable);
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->first_msg);
  g_clear_object (&self->poll_msg);
  g_clear_object (&self->first_body);
}

static void
fw_metrics_source_finalize (GObject *object)
{
  FwMetricsSource *self = FW_METRICS_SOURCE (object);

  g_assert (self->timer == NULL);
  g_assert (self->token == NULL);

  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->options, fw_http_options_free);
  g_clear_pointer (&self->patterns, g_ptr_array_unref);
  g_clear_pointer (&self->reconnect, fw_reconnect_free);
  g_clear_pointer (&self->previous, g_hash_table_unref);
  g_free (self->url);
  g_ref_string_release (self->feed);

  G_OBJECT_CLASS (fw_metrics_source_parent_class)->finalize (object);
}

static void
fw_metrics_source_class_init (FwMetricsSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  FwStreamClass *stream_class = FW_STREAM_CLASS (klass);

  object_class->finalize = fw_metrics_source_finalize;
  stream_class->pull = fw_metrics_source_pull;
  stream_class->release = fw_metrics_source_release;
}

static void
fw_metrics_source_init (FwMetricsSource *self)
{
  self->cancellable = g_cancellable_new ();
  self->previous = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static FwMetricsSource *
fw_metrics_source_new (const FwFeedSpec  *spec,
                       FwFeedOpenFlags    flags,
                       const char        *url,
                       GError           **error)
{
  g_autoptr(FwMetricsSource) self = NULL;
  g_autoptr(FwHttpOptions) options = NULL;
  g_autoptr(SoupMessage) probe = NULL;
  const char *match = fw_feed_spec_get_option (spec, "match");
  guint interval, max_series, retry_max;

  options = fw_http_options_parse (spec, 30 * 1000, error);
  if (options == NULL ||
      !fw_feed_spec_get_uint (spec, "interval", FW_METRICS_DEFAULT_INTERVAL_MS, &interval, error) ||
      !fw_feed_spec_get_uint (spec, "max-series", FW_METRICS_DEFAULT_MAX_SERIES, &max_series,
                              error) ||
      (retry_max = fw_http_get_retry_max (spec, error)) == 0)
    return NULL;
  probe = fw_http_options_new_message (options, url, error);
  if (probe == NULL)
    return NULL;

  self = g_object_new (FW_TYPE_METRICS_SOURCE, "name", spec->text, NULL);
  self->feed = g_ref_string_new_intern (spec->text);
  self->url = g_strdup (url);
  self->interval_ms = MAX (interval, 10);
  self->max_series = max_series;
  self->once = (flags & FW_FEED_OPEN_ONCE) != 0;
  self->reconnect = fw_reconnect_new (options->retry_ms >= 0 ? (guint) options->retry_ms
                                                             : FW_BACKOFF_DEFAULT_BASE_MS,
                                      retry_max, FALSE);
  self->options = g_steal_pointer (&options);

  if (match != NULL && match[0] != '\0')
    {
      g_auto(GStrv) globs = g_strsplit (match, "|", -1);

      self->patterns = g_ptr_array_new_with_free_func ((GDestroyNotify) g_pattern_spec_free);
      for (guint i = 0; globs[i] != NULL; i++)
        {
          if (globs[i][0] != '\0')
            g_ptr_array_add (self->patterns, g_pattern_spec_new (globs[i]));
        }
    }

  return g_steal_pointer (&self);
}

/**
 * fw_metrics_source_open:
 *
 * `metrics:URL#options`. Returns: (transfer full) (nullable): the stream, or %NULL with
 *   @error set for bad options
 */
FwStream *
fw_metrics_source_open (const FwFeedSpec  *spec,
                        FwFeedOpenFlags    flags,
                        GError           **error)
{
  return (FwStream *) fw_metrics_source_new (spec, flags, spec->target, error);
}

/**
 * fw_metrics_source_new_for_response:
 *
 * For the Content-Type detector: the first poll reads @body instead of asking again.
 */
FwStream *
fw_metrics_source_new_for_response (const FwFeedSpec  *spec,
                                    FwFeedOpenFlags    flags,
                                    SoupSession       *session,
                                    SoupMessage       *msg,
                                    GInputStream      *body,
                                    GError           **error)
{
  g_autofree char *url = g_uri_to_string (soup_message_get_uri (msg));
  FwMetricsSource *self = fw_metrics_source_new (spec, flags, url, error);

  if (self == NULL)
    return NULL;

  self->session = g_object_ref (session);
  self->first_msg = g_object_ref (msg);
  self->first_body = g_object_ref (body);

  return FW_STREAM (self);
}

guint
fw_metrics_source_get_n_polls (FwMetricsSource *self)
{
  g_return_val_if_fail (FW_IS_METRICS_SOURCE (self), 0);
  return self->n_polls;
}

guint
fw_metrics_source_get_n_invalid (FwMetricsSource *self)
{
  g_return_val_if_fail (FW_IS_METRICS_SOURCE (self), 0);
  return self->n_invalid;
}

/* The counters remembered for rates: bounded by max-series. */
guint
fw_metrics_source_get_n_series (FwMetricsSource *self)
{
  g_return_val_if_fail (FW_IS_METRICS_SOURCE (self), 0);
  return g_hash_table_size (self->previous);
}

/* Without interval, which http: shares with pages: */
const FwFeedOption fw_metrics_source_options[] = {
  { .key = "match", .type = FW_FEED_OPTION_STRING,
    .help = N_("Keep only the metrics whose names match these globs, separated by |") },
  { .key = "max-series", .type = FW_FEED_OPTION_UINT, .default_value = "20000",
    .help = N_("The most series kept") },
  { NULL }
};

static const FwFeedOption metrics_source_timing[] = {
  { .key = "interval", .type = FW_FEED_OPTION_MILLISECONDS, .default_value = "10000",
    .help = N_("Milliseconds between polls") },
  { .key = "idle-timeout", .type = FW_FEED_OPTION_MILLISECONDS, .default_value = "30000",
    .help = N_("Milliseconds without a byte before the connection counts as dead (0: never)") },
  { NULL }
};

static const FwFeedOption *const metrics_source_option_list[] = {
  metrics_source_timing, fw_metrics_source_options, fw_http_request_options,
  fw_http_connection_options, NULL
};

const FwFeedKind fw_metrics_source_kind = {
  .name = "metrics",
  .open = fw_metrics_source_open,
  .description = N_("Prometheus metrics, polled"),
  .title = N_("Metrics"),
  .icon_name = "network-server-symbolic",
  .example = "metrics:http://localhost:9100/metrics",
  .options = metrics_source_option_list,
  .default_title = fw_feed_title_from_url,
};
