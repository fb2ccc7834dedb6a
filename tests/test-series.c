/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-series.c: FwSeries decimation against brute force, bounds, window stats, gaps, NaN */

#include "config.h"

#include <math.h>

#include "fw-series.h"

#define SEC ((gint64) G_USEC_PER_SEC)
#define MIN_US (60 * SEC)
/* A realistic wall-clock origin, so bucket indices are large. */
#define T0 ((gint64) 1763776800 * G_USEC_PER_SEC)

typedef struct
{
  gint64 t;
  double v;
} Sample;

/* Random walk with irregular spacing (mean ~100 ms), occasional gaps; the same points go to
 * the series and to the returned array, the brute-force reference. */
static GArray *
fill_random (FwSeries *series,
             gint64    start,
             gint64    duration)
{
  GArray *samples = g_array_new (FALSE, FALSE, sizeof (Sample));
  gint64 t = start;
  double v = 50.0;

  while (t < start + duration)
    {
      Sample s;

      if (g_test_rand_int_range (0, 1000) == 0)
        t += g_test_rand_int_range (1, 120) * SEC;   /* a gap */
      else
        t += g_test_rand_int_range (1, 200 * 1000);
      v += g_test_rand_double_range (-1.0, 1.0);
      s.t = t;
      s.v = v;
      g_array_append_val (samples, s);
      fw_series_append (series, t, v);
    }

  return samples;
}

typedef struct
{
  double min, max, sum;
  guint count;
} Brute;

static Brute
brute (GArray *samples,
       gint64  a,
       gint64  b)
{
  Brute r = { INFINITY, -INFINITY, 0.0, 0 };
  guint lo = 0, hi = samples->len;

  /* Samples are in time order: find the first one, then add them one by one. */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (samples, Sample, mid).t < a)
        lo = mid + 1;
      else
        hi = mid;
    }

  for (guint i = lo; i < samples->len; i++)
    {
      const Sample *s = &g_array_index (samples, Sample, i);

      if (s->t >= b)
        break;
      r.min = MIN (r.min, s->v);
      r.max = MAX (r.max, s->v);
      r.sum += s->v;
      r.count++;
    }

  return r;
}

static void
assert_column_exact (const FwSeriesColumn *col,
                     const Brute          *ref)
{
  g_assert_cmpuint (col->count, ==, ref->count);
  if (ref->count == 0)
    {
      g_assert_true (isnan (col->min) && isnan (col->max) && isnan (col->avg));
      return;
    }
  g_assert_cmpfloat (col->min, ==, ref->min);
  g_assert_cmpfloat (col->max, ==, ref->max);
  /* Sums are added in another order: equal up to rounding. */
  g_assert_cmpfloat_with_epsilon (col->avg, ref->sum / ref->count, 1e-9 * (1 + fabs (col->avg)));
}

static void
check_columns (FwSeries *series,
               GArray   *samples,
               gint64    start,
               gint64    end,
               guint     n)
{
  g_autofree FwSeriesColumn *cols = g_new (FwSeriesColumn, n);
  guint filled, n_ref_filled = 0;

  filled = fw_series_get_columns (series, start, end, n, cols);
  for (guint i = 0; i < n; i++)
    {
      gint64 a = start + (end - start) * i / n;
      gint64 b = start + (end - start) * (i + 1) / n;
      Brute ref = brute (samples, a, b);

      assert_column_exact (&cols[i], &ref);
      n_ref_filled += ref.count > 0;
    }
  g_assert_cmpuint (filled, ==, n_ref_filled);
}

/* Random windows and column counts over 40 min of data (all still held at full resolution):
 * every column is exact, whatever the alignment. */
static void
test_columns_exact (void)
{
  g_autoptr(FwSeries) series = fw_series_new ("walk", "V");
  g_autoptr(GArray) samples = fill_random (series, T0, 40 * MIN_US);
  gint64 first, last;

  g_assert_true (fw_series_get_time_range (series, &first, &last));
  g_assert_cmpint (first, ==, g_array_index (samples, Sample, 0).t);
  g_assert_cmpint (last, ==, g_array_index (samples, Sample, samples->len - 1).t);

  for (guint round = 0; round < 60; round++)
    {
      gint64 span = g_test_rand_int_range (1, 3600) * (gint64) g_test_rand_int_range (1, 1000) * 1000;
      gint64 end = T0 + g_test_rand_int_range (0, 45 * 60) * (gint64) SEC +
                   g_test_rand_int_range (0, 1000000);
      guint n = g_test_rand_int_range (1, 900);

      check_columns (series, samples, end - span, end, n);
    }

  /* The windows the plot uses: 1, 5, 15, 60 min ending at the last point. */
  check_columns (series, samples, last - 1 * MIN_US, last + 1, 800);
  check_columns (series, samples, last - 5 * MIN_US, last + 1, 800);
  check_columns (series, samples, last - 15 * MIN_US, last + 1, 777);
  check_columns (series, samples, last - 60 * MIN_US, last + 1, 1280);
}

static void
test_stats_exact (void)
{
  g_autoptr(FwSeries) series = fw_series_new ("walk", "V");
  g_autoptr(GArray) samples = fill_random (series, T0, 20 * MIN_US);

  for (guint round = 0; round < 200; round++)
    {
      gint64 a = T0 + g_test_rand_int_range (-60, 21 * 60) * (gint64) SEC +
                 g_test_rand_int_range (0, 1000000);
      gint64 b = a + g_test_rand_int_range (0, 16 * 60 * 1000) * (gint64) 1000;
      Brute ref = brute (samples, a, b);
      FwSeriesStats stats;
      gboolean found = fw_series_get_stats (series, a, b, &stats);
      FwSeriesColumn as_col = { stats.min, stats.max, stats.avg, stats.count };

      g_assert_cmpint (found, ==, ref.count > 0);
      assert_column_exact (&as_col, &ref);

      if (ref.count > 0)
        {
          const Sample *last_in = NULL;

          for (guint i = 0; i < samples->len; i++)
            {
              const Sample *s = &g_array_index (samples, Sample, i);

              if (s->t >= a && s->t < b)
                last_in = s;
            }
          g_assert_nonnull (last_in);
          g_assert_cmpfloat (stats.last, ==, last_in->v);
          g_assert_cmpint (stats.last_time_us, ==, last_in->t);
        }
      else
        {
          g_assert_true (isnan (stats.last));
        }
    }
}

/* Known values: 1..10 at 1 s steps. */
static void
test_window_stats (void)
{
  g_autoptr(FwSeries) series = fw_series_new ("count", "items");
  FwSeriesStats stats;

  g_assert_false (fw_series_get_stats (series, T0, T0 + MIN_US, &stats));
  g_assert_cmpuint (stats.count, ==, 0);
  g_assert_true (isnan (stats.min) && isnan (stats.avg) && isnan (stats.max) && isnan (stats.last));

  for (int i = 1; i <= 10; i++)
    fw_series_append (series, T0 + i * SEC, i);

  g_assert_true (fw_series_get_stats (series, T0, T0 + MIN_US, &stats));
  g_assert_cmpuint (stats.count, ==, 10);
  g_assert_cmpfloat (stats.min, ==, 1);
  g_assert_cmpfloat (stats.max, ==, 10);
  g_assert_cmpfloat (stats.avg, ==, 5.5);
  g_assert_cmpfloat (stats.last, ==, 10);

  /* [3 s, 7 s): 3, 4, 5, 6 */
  g_assert_true (fw_series_get_stats (series, T0 + 3 * SEC, T0 + 7 * SEC, &stats));
  g_assert_cmpuint (stats.count, ==, 4);
  g_assert_cmpfloat (stats.min, ==, 3);
  g_assert_cmpfloat (stats.max, ==, 6);
  g_assert_cmpfloat (stats.avg, ==, 4.5);
  g_assert_cmpfloat (stats.last, ==, 6);
  g_assert_cmpint (stats.last_time_us, ==, T0 + 6 * SEC);

  g_assert_cmpstr (fw_series_get_name (series), ==, "count");
  g_assert_cmpstr (fw_series_get_unit (series), ==, "items");
}

/* No data, no column: a 9-minute gap shows as empty columns, not as a line across it. */
static void
test_gaps (void)
{
  g_autoptr(FwSeries) series = fw_series_new ("gappy", NULL);
  FwSeriesColumn cols[66];
  guint filled;

  for (int i = 0; i < 60; i++)
    fw_series_append (series, T0 + i * SEC, i);
  for (int i = 600; i < 660; i++)
    fw_series_append (series, T0 + i * SEC, i);

  filled = fw_series_get_columns (series, T0, T0 + 660 * SEC, 66, cols);
  g_assert_cmpuint (filled, ==, 12);
  for (guint i = 0; i < 66; i++)
    {
      if (i < 6 || i >= 60)
        {
          g_assert_cmpuint (cols[i].count, ==, 10);
          g_assert_cmpfloat (cols[i].min, ==, i * 10);
          g_assert_cmpfloat (cols[i].max, ==, i * 10 + 9);
          g_assert_cmpfloat (cols[i].avg, ==, i * 10 + 4.5);
        }
      else
        {
          g_assert_cmpuint (cols[i].count, ==, 0);
          g_assert_true (isnan (cols[i].avg));
        }
    }

  /* Before the first point and after the last: nothing. */
  filled = fw_series_get_columns (series, T0 - 660 * SEC, T0, 66, cols);
  g_assert_cmpuint (filled, ==, 0);
  filled = fw_series_get_columns (series, T0 + 661 * SEC, T0 + 700 * SEC, 66, cols);
  g_assert_cmpuint (filled, ==, 0);
  g_assert_cmpuint (fw_series_get_columns (series, T0, T0 + SEC, 0, NULL), ==, 0);
}

static void
test_nan_ignored (void)
{
  g_autoptr(FwSeries) series = fw_series_new ("noisy", "W");
  FwSeriesStats stats;

  fw_series_append (series, T0, 1.0);
  fw_series_append (series, T0 + 1, NAN);
  fw_series_append (series, T0 + 2, INFINITY);
  fw_series_append (series, T0 + 3, -INFINITY);
  fw_series_append (series, T0 + 4, 3.0);

  g_assert_cmpuint (fw_series_get_n_points (series), ==, 2);
  g_assert_cmpuint (fw_series_get_n_invalid (series), ==, 3);
  g_assert_true (fw_series_get_stats (series, T0, T0 + SEC, &stats));
  g_assert_cmpuint (stats.count, ==, 2);
  g_assert_cmpfloat (stats.min, ==, 1.0);
  g_assert_cmpfloat (stats.max, ==, 3.0);
  g_assert_cmpfloat (stats.avg, ==, 2.0);
  g_assert_cmpfloat (stats.last, ==, 3.0);

  /* Only invalid values: no data at all. */
  fw_series_clear (series);
  fw_series_append (series, T0, NAN);
  g_assert_false (fw_series_get_stats (series, T0 - SEC, T0 + SEC, &stats));
  g_assert_false (fw_series_get_time_range (series, NULL, NULL));
}

/* A clock stepping back must not break the ordering the lookups rely on. */
static void
test_time_goes_back (void)
{
  g_autoptr(FwSeries) series = fw_series_new ("clock", NULL);
  FwSeriesStats stats;
  gint64 last;

  fw_series_append (series, T0 + 10 * SEC, 1.0);
  fw_series_append (series, T0 + 5 * SEC, 2.0);
  g_assert_true (fw_series_get_time_range (series, NULL, &last));
  g_assert_cmpint (last, ==, T0 + 10 * SEC);
  g_assert_true (fw_series_get_stats (series, T0 + 10 * SEC, T0 + 11 * SEC, &stats));
  g_assert_cmpuint (stats.count, ==, 2);
  g_assert_cmpfloat (stats.last, ==, 2.0);
}

static gsize
max_memory (void)
{
  gsize size = 0;

  /* Level 0 holds 16-byte points, the others 40-byte buckets at most. */
  for (guint i = 0; i < FW_SERIES_N_LEVELS; i++)
    size += fw_series_level_capacity (i) * (i == 0 ? 16 : 40);

  return size + 1024;
}

/* Ten days at 10 Hz: every level stays within its capacity, memory within the fixed bound,
 * the last seven days are still there (coarsely), older data is gone, and recent windows
 * are still exact. */
static void
test_bounds (void)
{
  g_autoptr(FwSeries) series = fw_series_new ("long", "Hz");
  g_autoptr(GArray) recent = g_array_new (FALSE, FALSE, sizeof (Sample));
  const gint64 duration = 10 * 24 * 60 * MIN_US;
  const gint64 step = 100 * 1000;
  gsize peak = 0;
  FwSeriesStats stats;
  gint64 end = T0 + duration;
  gint64 first;

  for (gint64 t = T0; t < end; t += step)
    {
      double v = sin ((double) (t - T0) / (600.0 * SEC)) * 100.0 + (t % 7);

      fw_series_append (series, t, v);
      if (t >= end - 3 * 60 * MIN_US)
        {
          Sample s = { t, v };
          g_array_append_val (recent, s);
        }
      if ((t - T0) % (6 * 60 * MIN_US) == 0)
        peak = MAX (peak, fw_series_get_memory_size (series));
    }

  peak = MAX (peak, fw_series_get_memory_size (series));
  g_test_message ("10 days at 10 Hz: %" G_GSIZE_FORMAT " bytes (bound %" G_GSIZE_FORMAT ")",
                  peak, max_memory ());
  g_assert_cmpuint (peak, <=, max_memory ());
  for (guint i = 0; i < FW_SERIES_N_LEVELS; i++)
    g_assert_cmpuint (fw_series_get_level_length (series, i), ==, fw_series_level_capacity (i));

  /* Seven days of 60 s buckets remain; the first three days are gone. */
  g_assert_true (fw_series_get_time_range (series, &first, NULL));
  g_assert_cmpint (first, >=, end - 7 * 24 * 60 * MIN_US - MIN_US);
  g_assert_cmpint (first, <=, end - 7 * 24 * 60 * MIN_US + MIN_US);
  g_assert_false (fw_series_get_stats (series, T0, T0 + 24 * 60 * MIN_US, &stats));
  g_assert_true (fw_series_get_stats (series, end - 6 * 24 * 60 * MIN_US,
                                      end - 5 * 24 * 60 * MIN_US, &stats));
  g_assert_cmpuint (stats.count, ==, 24 * 60 * 60 * 10);

  /* Within the last hour (raw level): exact at any alignment. */
  check_columns (series, recent, end - 60 * MIN_US + 12345, end, 800);
  check_columns (series, recent, end - 5 * MIN_US - 777, end - 77, 333);

  /* 90 min back, raw points are gone but 1 s buckets are not: columns on whole seconds are
   * exact; columns across seconds may take whole buckets but never miss a point. */
  check_columns (series, recent, end - 100 * MIN_US, end - 80 * MIN_US, 600);
  {
    gint64 a = end - 90 * MIN_US + 300 * 1000, b = a + 2 * SEC;
    Brute ref = brute (recent, a, b);

    g_assert_true (fw_series_get_stats (series, a, b, &stats));
    g_assert_cmpuint (stats.count, >=, ref.count);
    g_assert_cmpuint (stats.count, <=, ref.count + 20);
    g_assert_cmpfloat (stats.min, <=, ref.min);
    g_assert_cmpfloat (stats.max, >=, ref.max);
  }
}


/* The reading nearest a time (what the plot's pointer reads): from the raw points, and from
 * the finest buckets once the raw points of that time are gone; none beyond the distance. */
static void
test_nearest (void)
{
  g_autoptr(FwSeries) series = fw_series_new ("fan", "RPM");
  g_autoptr(FwSeries) old = fw_series_new ("old", "");
  gsize n_raw = fw_series_level_capacity (0);
  gint64 found;
  double value;

  g_assert_false (fw_series_get_nearest (series, T0, G_MAXINT64, &found, &value));
  for (int i = 0; i < 3; i++)
    fw_series_append (series, T0 + i * 10 * SEC, 1000 + i);

  g_assert_true (fw_series_get_nearest (series, T0 + 4 * SEC, 5 * SEC, &found, &value));
  g_assert_cmpint (found, ==, T0);
  g_assert_cmpfloat (value, ==, 1000);
  g_assert_true (fw_series_get_nearest (series, T0 + 6 * SEC, 5 * SEC, &found, &value));
  g_assert_cmpint (found, ==, T0 + 10 * SEC);
  g_assert_cmpfloat (value, ==, 1001);
  g_assert_true (fw_series_get_nearest (series, T0 + 60 * SEC, G_MAXINT64, &found, &value));
  g_assert_cmpint (found, ==, T0 + 20 * SEC);
  g_assert_false (fw_series_get_nearest (series, T0 + 15 * SEC, 3 * SEC, &found, &value));
  g_assert_false (fw_series_get_nearest (series, T0 - 10 * SEC, 3 * SEC, NULL, NULL));

  /* One a second, more than the raw level holds: the first ones are read from buckets */
  for (gsize i = 0; i < n_raw + 100; i++)
    fw_series_append (old, T0 + (gint64) i * SEC, (double) i);
  g_assert_true (fw_series_get_nearest (old, T0 + 10 * SEC + 300 * 1000, 10 * SEC, &found,
                                        &value));
  g_assert_cmpint (ABS (found - (T0 + 10 * SEC)), <=, 10 * SEC);
  /* a bucket's middle and its average: the readings are its whole seconds */
  g_assert_cmpfloat_with_epsilon (value, (double) (found - T0) / SEC - 0.5, 1e-9);
  /* and recent ones from the raw points, exactly */
  g_assert_true (fw_series_get_nearest (old, T0 + (gint64) (n_raw + 50) * SEC + 400 * 1000, SEC,
                                        &found, &value));
  g_assert_cmpint (found, ==, T0 + (gint64) (n_raw + 50) * SEC);
  g_assert_cmpfloat (value, ==, n_raw + 50);
}

/* A slow series keeps little memory: the rings grow with the data. */
static void
test_memory_grows_with_data (void)
{
  g_autoptr(FwSeries) series = fw_series_new ("slow", NULL);
  gsize empty = fw_series_get_memory_size (series);

  for (int i = 0; i < 100; i++)
    fw_series_append (series, T0 + i * 10 * SEC, i);

  g_assert_cmpuint (fw_series_get_memory_size (series), <, empty + 5 * 128 * 40);
}

static void
count_cb (FwSeries *series,
          guint    *counter)
{
  (*counter)++;
}

/* "changed" is coalesced: one emission for a burst of appends, before the next idle. */
static void
test_changed_coalesced (void)
{
  g_autoptr(FwSeries) series = fw_series_new ("busy", NULL);
  guint changed = 0;
  guint64 generation = fw_series_get_generation (series);

  g_signal_connect (series, "changed", G_CALLBACK (count_cb), &changed);

  for (int i = 0; i < 1000; i++)
    fw_series_append (series, T0 + i * 1000, i);
  g_assert_cmpuint (fw_series_get_generation (series), >, generation);
  g_assert_cmpuint (changed, ==, 0);

  while (changed == 0)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (changed, ==, 1);

  fw_series_append (series, T0 + SEC * 10, 1.0);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (changed, ==, 2);

  /* Disposed with a pending emission: nothing fires later. */
  fw_series_append (series, T0 + SEC * 11, 1.0);
  g_clear_object (&series);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (changed, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/series/columns-exact", test_columns_exact);
  g_test_add_func ("/series/stats-exact", test_stats_exact);
  g_test_add_func ("/series/window-stats", test_window_stats);
  g_test_add_func ("/series/gaps", test_gaps);
  g_test_add_func ("/series/nan-ignored", test_nan_ignored);
  g_test_add_func ("/series/time-goes-back", test_time_goes_back);
  g_test_add_func ("/series/bounds", test_bounds);
  g_test_add_func ("/series/memory-grows-with-data", test_memory_grows_with_data);
  g_test_add_func ("/series/changed-coalesced", test_changed_coalesced);
  g_test_add_func ("/series/nearest", test_nearest);

  return g_test_run ();
}
