/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-loop-monitor.c: a main-loop lag probe. A source asks to run at a precise monotonic time
 * (a ready time, not a millisecond timeout that may be coalesced); how much later it actually
 * runs is the time the loop was busy elsewhere: a blocking call, a long dispatch. The last
 * `window` lags are kept; percentiles are computed when read, not per sample. */

#include "config.h"

#include "fw-loop-monitor.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>

typedef struct
{
  GSource        source;
  FwLoopMonitor *monitor;
} ProbeSource;

struct _FwLoopMonitor
{
  GObject  parent_instance;
  guint    interval_ms;
  guint    window;
  gint64  *lags;       /* ring of window samples, µs */
  guint    n_lags;
  guint    next;
  gint64   expected;   /* when the probe asked to run */
  gint64   stats[3];   /* p50, p99, max, valid while !dirty */
  gboolean dirty;
  GSource *probe;
};

/**
 * FwLoopMonitor:
 *
 * Measures how late the main loop runs: a probe asks to run at a precise time, and how much later
 * it runs is the time the loop was busy elsewhere. Keeps the latest samples and reports their
 * median, 99th percentile and maximum, for a status line and for tests that check that nothing
 * blocks the loop.
 */
G_DEFINE_FINAL_TYPE (FwLoopMonitor, fw_loop_monitor, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_INTERVAL_MS,
  PROP_WINDOW,
  PROP_RUNNING,
  PROP_N_SAMPLES,
  PROP_LAG_P50_US,
  PROP_LAG_P99_US,
  PROP_LAG_MAX_US,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
probe_dispatch (GSource     *source,
                GSourceFunc  callback,
                gpointer     user_data)
{
  FwLoopMonitor *self = ((ProbeSource *) source)->monitor;
  gint64 now = g_get_monotonic_time ();
  /* Includes up to 1 ms of the poll timeout's rounding up: the floor of what a timer sees. */
  gint64 lag = MAX (now - self->expected, 0);

  self->lags[self->next] = lag;
  self->next = (self->next + 1) % self->window;
  self->n_lags = MIN (self->n_lags + 1, self->window);
  self->dirty = TRUE;

  self->expected = now + (gint64) self->interval_ms * 1000;
  g_source_set_ready_time (source, self->expected);

  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = PROP_N_SAMPLES; i <= PROP_LAG_MAX_US; i++)
    g_object_notify_by_pspec (G_OBJECT (self), properties[i]);
  g_object_thaw_notify (G_OBJECT (self));

  return G_SOURCE_CONTINUE;
}

static GSourceFuncs probe_funcs = {
  .dispatch = probe_dispatch,
};

static int
compare_lags (gconstpointer a,
              gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
fw_loop_monitor_update (FwLoopMonitor *self)
{
  g_autofree gint64 *sorted = NULL;

  if (!self->dirty)
    return;
  self->dirty = FALSE;

  if (self->n_lags == 0)
    {
      self->stats[0] = self->stats[1] = self->stats[2] = 0;
      return;
    }

  sorted = g_memdup2 (self->lags, sizeof (gint64) * self->n_lags);
  qsort (sorted, self->n_lags, sizeof (gint64), compare_lags);
  self->stats[0] = sorted[(self->n_lags - 1) * 50 / 100];
  self->stats[1] = sorted[(self->n_lags - 1) * 99 / 100];
  self->stats[2] = sorted[self->n_lags - 1];
}

static void
fw_loop_monitor_dispose (GObject *object)
{
  fw_loop_monitor_stop (FW_LOOP_MONITOR (object));

  G_OBJECT_CLASS (fw_loop_monitor_parent_class)->dispose (object);
}

static void
fw_loop_monitor_finalize (GObject *object)
{
  FwLoopMonitor *self = FW_LOOP_MONITOR (object);

  g_free (self->lags);

  G_OBJECT_CLASS (fw_loop_monitor_parent_class)->finalize (object);
}

static void
fw_loop_monitor_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  FwLoopMonitor *self = FW_LOOP_MONITOR (object);

  switch (prop_id)
    {
    case PROP_INTERVAL_MS:
      g_value_set_uint (value, self->interval_ms);
      break;

    case PROP_WINDOW:
      g_value_set_uint (value, self->window);
      break;

    case PROP_RUNNING:
      g_value_set_boolean (value, fw_loop_monitor_is_running (self));
      break;

    case PROP_N_SAMPLES:
      g_value_set_uint (value, self->n_lags);
      break;

    case PROP_LAG_P50_US:
      g_value_set_int64 (value, fw_loop_monitor_get_lag_p50_us (self));
      break;

    case PROP_LAG_P99_US:
      g_value_set_int64 (value, fw_loop_monitor_get_lag_p99_us (self));
      break;

    case PROP_LAG_MAX_US:
      g_value_set_int64 (value, fw_loop_monitor_get_lag_max_us (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_loop_monitor_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  FwLoopMonitor *self = FW_LOOP_MONITOR (object);

  switch (prop_id)
    {
    case PROP_INTERVAL_MS:
      self->interval_ms = g_value_get_uint (value);
      break;

    case PROP_WINDOW:
      self->window = g_value_get_uint (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_loop_monitor_constructed (GObject *object)
{
  FwLoopMonitor *self = FW_LOOP_MONITOR (object);

  G_OBJECT_CLASS (fw_loop_monitor_parent_class)->constructed (object);

  self->lags = g_new0 (gint64, self->window);
}

static void
fw_loop_monitor_class_init (FwLoopMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags co = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = fw_loop_monitor_dispose;
  object_class->finalize = fw_loop_monitor_finalize;
  object_class->constructed = fw_loop_monitor_constructed;
  object_class->get_property = fw_loop_monitor_get_property;
  object_class->set_property = fw_loop_monitor_set_property;

  /**
   * FwLoopMonitor:interval-ms:
   *
   * How often the monitor probes, in milliseconds.
   */
  properties[PROP_INTERVAL_MS] =
    g_param_spec_uint ("interval-ms", NULL, NULL, 1, 60000, 100, co);
  /**
   * FwLoopMonitor:window:
   *
   * How many of the latest samples the statistics cover.
   */
  properties[PROP_WINDOW] =
    g_param_spec_uint ("window", NULL, NULL, 1, 1000000, 600, co);
  /**
   * FwLoopMonitor:running:
   *
   * Whether the monitor is probing.
   */
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE, ro);
  /**
   * FwLoopMonitor:n-samples:
   *
   * How many samples the statistics cover.
   */
  properties[PROP_N_SAMPLES] =
    g_param_spec_uint ("n-samples", NULL, NULL, 0, G_MAXUINT, 0, ro);
  /**
   * FwLoopMonitor:lag-p50-us:
   *
   * The median lag, in microseconds.
   */
  properties[PROP_LAG_P50_US] =
    g_param_spec_int64 ("lag-p50-us", NULL, NULL, 0, G_MAXINT64, 0, ro);
  /**
   * FwLoopMonitor:lag-p99-us:
   *
   * The 99th percentile of the lag, in microseconds.
   */
  properties[PROP_LAG_P99_US] =
    g_param_spec_int64 ("lag-p99-us", NULL, NULL, 0, G_MAXINT64, 0, ro);
  /**
   * FwLoopMonitor:lag-max-us:
   *
   * The greatest lag, in microseconds.
   */
  properties[PROP_LAG_MAX_US] =
    g_param_spec_int64 ("lag-max-us", NULL, NULL, 0, G_MAXINT64, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fw_loop_monitor_init (FwLoopMonitor *self)
{
}

/**
 * fw_loop_monitor_new:
 * @interval_ms: how often to probe (100 is plenty for a status line)
 * @window: how many of the latest samples the statistics cover
 *
 * Makes a monitor; fw_loop_monitor_start() starts probing.
 *
 * Returns: (transfer full): a stopped monitor
 */
FwLoopMonitor *
fw_loop_monitor_new (guint interval_ms,
                     guint window)
{
  return g_object_new (FW_TYPE_LOOP_MONITOR,
                       "interval-ms", MAX (interval_ms, 1),
                       "window", MAX (window, 1),
                       NULL);
}

/**
 * fw_loop_monitor_start:
 * @self: a monitor
 *
 * Probes the thread-default main context from now on. Does nothing when it runs already.
 */
void
fw_loop_monitor_start (FwLoopMonitor *self)
{
  g_return_if_fail (FW_IS_LOOP_MONITOR (self));

  if (self->probe != NULL)
    return;

  self->probe = g_source_new (&probe_funcs, sizeof (ProbeSource));
  ((ProbeSource *) self->probe)->monitor = self;
  g_source_set_static_name (self->probe, "[feedwatch] loop monitor");
  /* Default priority: what it measures is what a stream completion would wait. */
  g_source_set_priority (self->probe, G_PRIORITY_DEFAULT);
  self->expected = g_get_monotonic_time () + (gint64) self->interval_ms * 1000;
  g_source_set_ready_time (self->probe, self->expected);
  g_source_attach (self->probe, g_main_context_get_thread_default ());
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

/**
 * fw_loop_monitor_stop:
 * @self: a monitor
 *
 * Stops probing; the samples so far stay.
 */
void
fw_loop_monitor_stop (FwLoopMonitor *self)
{
  g_return_if_fail (FW_IS_LOOP_MONITOR (self));

  if (self->probe == NULL)
    return;

  g_source_destroy (self->probe);
  g_clear_pointer (&self->probe, g_source_unref);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

/**
 * fw_loop_monitor_reset:
 * @self: a monitor
 *
 * Forgets the samples so far, to measure a new period.
 */
void
fw_loop_monitor_reset (FwLoopMonitor *self)
{
  g_return_if_fail (FW_IS_LOOP_MONITOR (self));

  self->n_lags = 0;
  self->next = 0;
  self->dirty = TRUE;
}

/**
 * fw_loop_monitor_is_running:
 * @self: a monitor
 *
 * Whether the monitor is probing.
 *
 * Returns: %TRUE between fw_loop_monitor_start() and fw_loop_monitor_stop()
 */
gboolean
fw_loop_monitor_is_running (FwLoopMonitor *self)
{
  g_return_val_if_fail (FW_IS_LOOP_MONITOR (self), FALSE);
  return self->probe != NULL;
}

/**
 * fw_loop_monitor_get_interval:
 * @self: a monitor
 *
 * How often the monitor probes.
 *
 * Returns: milliseconds between probes
 */
guint
fw_loop_monitor_get_interval (FwLoopMonitor *self)
{
  g_return_val_if_fail (FW_IS_LOOP_MONITOR (self), 0);
  return self->interval_ms;
}

/**
 * fw_loop_monitor_get_n_samples:
 * @self: a monitor
 *
 * How many samples the statistics cover.
 *
 * Returns: the number of samples, at most the window
 */
guint
fw_loop_monitor_get_n_samples (FwLoopMonitor *self)
{
  g_return_val_if_fail (FW_IS_LOOP_MONITOR (self), 0);
  return self->n_lags;
}

/**
 * fw_loop_monitor_get_lag_p50_us:
 * @self: a monitor
 *
 * The median lag of the samples kept: how late the loop usually runs.
 *
 * Returns: microseconds
 */
gint64
fw_loop_monitor_get_lag_p50_us (FwLoopMonitor *self)
{
  g_return_val_if_fail (FW_IS_LOOP_MONITOR (self), 0);
  fw_loop_monitor_update (self);
  return self->stats[0];
}

/**
 * fw_loop_monitor_get_lag_p99_us:
 * @self: a monitor
 *
 * The 99th percentile of the lag of the samples kept.
 *
 * Returns: microseconds
 */
gint64
fw_loop_monitor_get_lag_p99_us (FwLoopMonitor *self)
{
  g_return_val_if_fail (FW_IS_LOOP_MONITOR (self), 0);
  fw_loop_monitor_update (self);
  return self->stats[1];
}

/**
 * fw_loop_monitor_get_lag_max_us:
 * @self: a monitor
 *
 * The greatest lag of the samples kept: the longest the loop was blocked.
 *
 * Returns: microseconds
 */
gint64
fw_loop_monitor_get_lag_max_us (FwLoopMonitor *self)
{
  g_return_val_if_fail (FW_IS_LOOP_MONITOR (self), 0);
  fw_loop_monitor_update (self);
  return self->stats[2];
}

/**
 * fw_loop_monitor_format:
 * @self: a monitor
 *
 * The statistics in one line.
 *
 * Returns: (transfer full): one line for `--print --stats` and logs, e.g. "main-loop lag: p50 0.05
 *   ms, p99 0.80 ms, max 2.10 ms (600 samples every 100 ms)"
 */
char *
fw_loop_monitor_format (FwLoopMonitor *self)
{
  g_return_val_if_fail (FW_IS_LOOP_MONITOR (self), NULL);

  fw_loop_monitor_update (self);
  /* TRANSLATORS: p50 and p99 are percentiles (the median, and what 99 % stay under) */
  return g_strdup_printf (_("main-loop lag: p50 %.2f ms, p99 %.2f ms, max %.2f ms "
                            "(%u samples every %u ms)"),
                          self->stats[0] / 1000.0, self->stats[1] / 1000.0,
                          self->stats[2] / 1000.0, self->n_lags, self->interval_ms);
}
