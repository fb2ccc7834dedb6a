/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-sim-sensor.c: `sim:sensor`, an endless stream of readings (id, timestamp, a value from 10
 * to 50) every interval, written as a generator: the step sleeps on a main-loop timer and
 * yields one reading; the cleanup removes the timer. Options: interval (ms, default 800),
 * jitter (ms, ± at random), count (end after that many; 0 = never), seed. */

#include "config.h"

#include "fw-sim-sensor.h"

#include <glib/gi18n-lib.h>

#include "../fw-generator.h"

/* The delay, interval ± jitter, is drawn with g_rand_int_range() (gint32 bounds) and armed as a
 * guint of milliseconds: both stay well in range up to this (about 23 days). */
#define MAX_INTERVAL_MS 2000000000u

typedef struct
{
  GRefString *feed;
  FwStream   *stream;   /* unowned: the generator owns us */
  GSource    *timer;
  GRand      *rand;
  guint       interval_ms;
  guint       jitter_ms;
  guint       count;
  guint       produced;
} SimSensor;

static gboolean
on_reading_due (gpointer user_data)
{
  SimSensor *sensor = user_data;
  g_autofree char *id = NULL;
  FwItem *item;

  g_clear_pointer (&sensor->timer, g_source_unref);

  sensor->produced++;
  id = g_strdup_printf ("%u", sensor->produced);
  item = fw_item_new_reading (sensor->feed, g_get_real_time (), "sensor",
                              g_rand_int_range (sensor->rand, 10, 51), NULL);
  fw_item_set_id (item, id);
  fw_stream_yield (sensor->stream, item);

  if (sensor->count > 0 && sensor->produced >= sensor->count)
    fw_stream_pull_end (sensor->stream);
  else
    fw_stream_pull_done (sensor->stream);

  return G_SOURCE_REMOVE;
}

static void
sim_sensor_step (FwStream     *stream,
                 guint         max_items,
                 GCancellable *cancellable,
                 gpointer      state)
{
  SimSensor *sensor = state;
  gint64 delay = sensor->interval_ms;

  if (sensor->jitter_ms > 0)
    delay += g_rand_int_range (sensor->rand, -(gint32) sensor->jitter_ms,
                               (gint32) sensor->jitter_ms + 1);

  sensor->stream = stream;
  sensor->timer = g_timeout_source_new ((guint) MAX (delay, 0));
  g_source_set_callback (sensor->timer, on_reading_due, sensor, NULL);
  g_source_set_static_name (sensor->timer, "[feedwatch] sim:sensor");
  g_source_attach (sensor->timer, fw_stream_get_context (stream));
}

static void
sim_sensor_cleanup (gpointer state,
                    gboolean started)
{
  SimSensor *sensor = state;

  if (sensor->timer != NULL)
    {
      g_source_destroy (sensor->timer);
      g_source_unref (sensor->timer);
    }
  g_rand_free (sensor->rand);
  g_ref_string_release (sensor->feed);
  g_free (sensor);
}

/**
 * fw_sim_sensor_new:
 * @feed: the feed name items carry
 * @count: end after this many readings; 0 for never
 * @seed: for the random values and jitter; 0 for a random seed
 *
 * Returns: (transfer full): the sensor's stream
 */
FwStream *
fw_sim_sensor_new (const char *feed,
                   guint       interval_ms,
                   guint       jitter_ms,
                   guint       count,
                   guint32     seed)
{
  SimSensor *sensor = g_new0 (SimSensor, 1);

  sensor->feed = fw_ref_string_intern (feed);
  sensor->interval_ms = MIN (interval_ms, MAX_INTERVAL_MS);
  sensor->jitter_ms = MIN (jitter_ms, sensor->interval_ms);
  sensor->count = count;
  sensor->rand = seed != 0 ? g_rand_new_with_seed (seed) : g_rand_new ();

  return fw_generator_new (feed, sim_sensor_step, sensor, sim_sensor_cleanup);
}

FwStream *
fw_sim_sensor_open (const FwFeedSpec  *spec,
                    FwFeedOpenFlags    flags,
                    GError           **error)
{
  guint interval, jitter, count, seed;

  if (!g_str_equal (spec->target, "sensor"))
    {
      g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_UNKNOWN_KIND,
                   _("“%s”: the simulator knows “sim:sensor”, not “sim:%s”"),
                   spec->text, spec->target);
      return NULL;
    }

  if (!fw_feed_spec_get_uint_or_default (spec, "interval", &interval, error) ||
      !fw_feed_spec_get_uint_or_default (spec, "jitter", &jitter, error) ||
      !fw_feed_spec_get_uint_or_default (spec, "count", &count, error) ||
      !fw_feed_spec_get_uint_or_default (spec, "seed", &seed, error))
    return NULL;

  if (interval > MAX_INTERVAL_MS || jitter > MAX_INTERVAL_MS)
    {
      gboolean bad_interval = interval > MAX_INTERVAL_MS;

      g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                   _("Feed “%s”: %s must be at most %u milliseconds (about 23 days), not %u"),
                   spec->text, bad_interval ? "interval" : "jitter", MAX_INTERVAL_MS,
                   bad_interval ? interval : jitter);
      return NULL;
    }

  return fw_sim_sensor_new (spec->text, interval, jitter, count, seed);
}

static const FwFeedOption sim_sensor_options[] = {
  { .key = "interval", .type = FW_FEED_OPTION_MILLISECONDS, .default_value = "800",
    .max = MAX_INTERVAL_MS, .help = N_("Milliseconds between readings") },
  { .key = "jitter", .type = FW_FEED_OPTION_MILLISECONDS, .default_value = "0",
    .max = MAX_INTERVAL_MS, .help = N_("Up to this many milliseconds more or less each time") },
  { .key = "count", .type = FW_FEED_OPTION_UINT, .default_value = "0",
    .help = N_("End after this many readings (0: never)") },
  { .key = "seed", .type = FW_FEED_OPTION_UINT, .default_value = "0",
    .help = N_("Repeat the same readings for the same seed (0: different each time)") },
  { NULL }
};

/* "Simulated sensor · 200 ms": two simulators side by side differ by their pace */
static char *
sim_sensor_title (const FwFeedSpec *spec)
{
  guint interval;

  if (!fw_feed_spec_get_uint_or_default (spec, "interval", &interval, NULL))
    return NULL;
  if (interval >= 1000 && interval % 1000 == 0)
    return g_strdup_printf (_("Simulated sensor · %u s"), interval / 1000);
  return g_strdup_printf (_("Simulated sensor · %u ms"), interval);
}

static const FwFeedOption *const sim_sensor_option_list[] = { sim_sensor_options, NULL };

const FwFeedKind fw_sim_sensor_kind = {
  .name = "sim",
  .open = fw_sim_sensor_open,
  .description = N_("Simulated sensor"),
  .title = N_("Simulated sensor"),
  .icon_name = "applications-science-symbolic",
  .example = "sim:sensor",
  .options = sim_sensor_option_list,
  .default_title = sim_sensor_title,
};
