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
 * Options: interval (ms, default 10 s), match (glob on the metric name with PromQL label
 * matchers; several separated by '|', e.g. `node_cpu_*{mode="idle"}|node_load1`), max-series
 * (every series alike), and those of fw-http-options.h (its idle-timeout bounds each request,
 * default 30 s). */

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
#include <string.h>

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
  GPtrArray     *matchers;   /* Matcher, or NULL for all */
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
  GHashTable    *scraped;     /* every series kept, gauges too: what max-series bounds */
  gint64         poll_time_us;
  gint64         poll_real_us;
  guint          yielded;
  guint          n_samples;   /* every sample of the scrape */
  guint          n_chosen;    /* of those, the ones match= chose */
  guint          n_capped;    /* series over max-series, left out */

  /* What was last said, so that a note comes when it changes, not every scrape */
  guint          said_capped;
  gboolean       said_unmatched;

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

/* ---------------------------------------------------------------------------------------- */
/* match=: globs on the metric's name, each with label matchers as PromQL writes them
 * (`node_cpu_seconds_total{mode="idle"}`, `=`, `!=`, `=~`, `!~`), separated by '|' */

typedef struct
{
  char   *label;
  char   *value;    /* as written between the quotes, escapes kept: the series keeps them too */
  GRegex *regex;    /* for =~ and !~, anchored */
  gboolean negate;
} LabelMatcher;

typedef struct
{
  GPatternSpec *name;
  GPtrArray    *labels;  /* LabelMatcher */
} Matcher;

static void
label_matcher_free (gpointer data)
{
  LabelMatcher *matcher = data;

  g_free (matcher->label);
  g_free (matcher->value);
  g_clear_pointer (&matcher->regex, g_regex_unref);
  g_free (matcher);
}

static void
matcher_free (gpointer data)
{
  Matcher *matcher = data;

  g_pattern_spec_free (matcher->name);
  g_ptr_array_unref (matcher->labels);
  g_free (matcher);
}

/* After an opening quote: the end of the quoted text, or NULL */
static const char *
quoted_end (const char *p)
{
  for (; *p != '\0'; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        p++;
      else if (*p == '"')
        return p;
    }
  return NULL;
}

/* One "label op "value"" at @p; returns what follows it, or NULL */
static const char *
parse_label_matcher (const char  *p,
                     GPtrArray   *labels,
                     GError     **error)
{
  g_autoptr(GError) regex_error = NULL;
  LabelMatcher *matcher;
  const char *start = p;
  const char *end;
  gboolean regex;

  while (g_ascii_isalnum (*p) || *p == '_')
    p++;
  if (p == start)
    return NULL;
  matcher = g_new0 (LabelMatcher, 1);
  matcher->label = g_strndup (start, p - start);
  g_ptr_array_add (labels, matcher);

  /* =, !=, =~ or !~ */
  matcher->negate = *p == '!';
  if (*p != '=' && *p != '!')
    return NULL;
  p++;
  regex = *p == '~';
  if (!regex && !matcher->negate && *p != '"')
    return NULL;
  if (*p == '~' || (matcher->negate && *p == '='))
    p++;
  if (*p != '"' || (end = quoted_end (p + 1)) == NULL)
    return NULL;
  matcher->value = g_strndup (p + 1, end - p - 1);
  if (regex)
    {
      g_autofree char *anchored = g_strdup_printf ("^(?:%s)$", matcher->value);

      matcher->regex = g_regex_new (anchored, G_REGEX_OPTIMIZE, 0, &regex_error);
      if (matcher->regex == NULL)
        {
          g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                       _("match: “%s” is not a regular expression: %s"), matcher->value,
                       regex_error->message);
          return NULL;
        }
    }
  return end + 1;
}

static Matcher *
parse_matcher (const char  *text,
               GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *brace = strchr (text, '{');
  g_autofree char *name = g_strndup (text, brace != NULL ? (gsize) (brace - text) : strlen (text));
  Matcher *matcher = g_new0 (Matcher, 1);
  const char *p;

  matcher->name = g_pattern_spec_new (name[0] != '\0' ? name : "*");
  matcher->labels = g_ptr_array_new_with_free_func (label_matcher_free);
  if (brace == NULL)
    return matcher;

  for (p = brace + 1; *p != '}';)
    {
      while (*p == ' ')
        p++;
      if (*p == '}')
        break;
      p = parse_label_matcher (p, matcher->labels, &local_error);
      if (p != NULL)
        while (*p == ' ')
          p++;
      if (p == NULL || (*p != ',' && *p != '}'))
        {
          if (local_error != NULL)
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                         _("match: “%s” is not understood; write labels as "
                           "name{label=\"value\"}, with =, !=, =~ or !~"), text);
          matcher_free (matcher);
          return NULL;
        }
      if (*p == ',')
        p++;
    }
  if (p[1] != '\0')
    {
      g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                   _("match: “%s” has text after its labels' closing brace"), text);
      matcher_free (matcher);
      return NULL;
    }
  return matcher;
}

/* The globs of match=, split at the '|' that are outside quotes (a regex may hold some) */
static GPtrArray *
parse_matchers (const char  *match,
                GError     **error)
{
  g_autoptr(GPtrArray) matchers = g_ptr_array_new_with_free_func (matcher_free);
  const char *start = match;
  gboolean quoted = FALSE;

  for (const char *p = match;; p++)
    {
      if (quoted && *p == '\\' && p[1] != '\0')
        {
          p++;
          continue;
        }
      if (*p == '"')
        quoted = !quoted;
      if (*p == '\0' || (*p == '|' && !quoted))
        {
          g_autofree char *one = g_strndup (start, p - start);

          if (one[0] != '\0')
            {
              Matcher *matcher = parse_matcher (one, error);

              if (matcher == NULL)
                return NULL;
              g_ptr_array_add (matchers, matcher);
            }
          if (*p == '\0')
            break;
          start = p + 1;
        }
    }
  return matchers->len > 0 ? g_steal_pointer (&matchers) : NULL;
}

/* A label's value in a canonical series (`name{a="1",b="2"}`), escapes kept; "" when absent */
static char *
series_label (const char *series,
              const char *label)
{
  gsize len = strlen (label);
  const char *p = strchr (series, '{');

  while (p != NULL && *p != '\0' && *p != '}')
    {
      const char *end;

      p++;
      if (strncmp (p, label, len) == 0 && p[len] == '=' && p[len + 1] == '"')
        {
          end = quoted_end (p + len + 2);
          return end != NULL ? g_strndup (p + len + 2, end - p - len - 2) : g_strdup ("");
        }
      p = strchr (p, '"');
      p = p != NULL ? quoted_end (p + 1) : NULL;
      if (p != NULL)
        p++;
    }
  return g_strdup ("");
}

static gboolean
matcher_matches (const Matcher         *matcher,
                 const FwMetricsSample *sample)
{
  if (!g_pattern_spec_match_string (matcher->name, sample->name))
    return FALSE;

  for (guint i = 0; i < matcher->labels->len; i++)
    {
      const LabelMatcher *label = g_ptr_array_index (matcher->labels, i);
      g_autofree char *value = series_label (sample->series, label->label);
      gboolean equal = label->regex != NULL ? g_regex_match (label->regex, value, 0, NULL)
                                            : g_str_equal (value, label->value);

      if (equal == label->negate)
        return FALSE;
    }
  return TRUE;
}

static gboolean
is_chosen (FwMetricsSource       *self,
           const FwMetricsSample *sample)
{
  if (self->matchers == NULL)
    return TRUE;

  for (guint i = 0; i < self->matchers->len; i++)
    {
      if (matcher_matches (g_ptr_array_index (self->matchers, i), sample))
        return TRUE;
    }
  return FALSE;
}

/* ---------------------------------------------------------------------------------------- */

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

  self->n_samples++;
  if (!is_chosen (self, sample))
    return;
  self->n_chosen++;

  /* Every series counts against max-series alike, gauges as counters */
  if (!g_hash_table_contains (self->scraped, sample->series))
    {
      if (g_hash_table_size (self->scraped) >= self->max_series)
        {
          self->n_capped++;
          return;
        }
      g_hash_table_add (self->scraped, g_strdup (sample->series));
    }

  if (!sample->cumulative || self->once)
    {
      item = fw_item_new_reading (self->feed, self->poll_real_us, sample->series,
                                  sample->value, NULL);
      fw_stream_yield (FW_STREAM (self), item);
      self->yielded++;
      return;
    }

  if (g_hash_table_contains (self->current, sample->series))
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
yield_note (FwMetricsSource *self,
            char            *text)
{
  fw_stream_yield (FW_STREAM (self),
                   fw_feed_status_new (self->feed, FW_FEED_STATE_IDLE, FW_LEVEL_WARNING, text));
  self->yielded++;
  g_free (text);
}

/* What a scrape left out, said when it changes: series over max-series, and a match= that
 * chose nothing */
static void
say_what_was_left_out (FwMetricsSource *self)
{
  gboolean unmatched = self->matchers != NULL && self->n_samples > 0 && self->n_chosen == 0;

  if (self->n_capped != self->said_capped && self->n_capped > 0)
    yield_note (self, g_strdup_printf (_("kept %u of %u series (max-series=%u): raise max-series, "
                                         "or choose fewer with match="),
                                       self->max_series, self->max_series + self->n_capped,
                                       self->max_series));
  self->said_capped = self->n_capped;

  if (unmatched && !self->said_unmatched)
    yield_note (self, g_strdup_printf (_("match= chose none of the %u samples the server "
                                         "serves: check its names and labels"), self->n_samples));
  self->said_unmatched = unmatched;
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
  self->scraped = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->n_samples = self->n_chosen = self->n_capped = 0;
  fw_metrics_parse_full (g_bytes_get_data (body, NULL), g_bytes_get_size (body), on_sample,
                         self, &dropped);
  g_clear_pointer (&self->scraped, g_hash_table_unref);
  say_what_was_left_out (self);
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
  g_clear_pointer (&self->matchers, g_ptr_array_unref);
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
  self->feed = fw_ref_string_intern (spec->text);
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
      g_autoptr(GError) local_error = NULL;

      self->matchers = parse_matchers (match, &local_error);
      if (local_error != NULL)
        {
          g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID, _("Feed “%s”: %s"),
                       spec->text, local_error->message);
          return NULL;
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
    .help = N_("Keep only these metrics: name globs, each with label matchers as PromQL "
               "writes them (node_cpu_seconds_total{mode=\"idle\"}), separated by |") },
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
