/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sim-sensor.c: `sim:sensor`, the reference texts' simulated sensor */

#include "fw-test-util.h"

#include <string.h>

static void
test_readings (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = fw_feed_open ("sim:sensor?interval=5&count=20&seed=7",
                                             FW_FEED_OPEN_NONE, &error);
  g_autoptr(GPtrArray) items = NULL;
  gint64 last_time = 0;

  g_assert_no_error (error);
  items = fw_test_collect (stream, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 20); /* count= ends the stream naturally */

  for (guint i = 0; i < items->len; i++)
    {
      FwItem *item = g_ptr_array_index (items, i);
      g_autofree char *id = g_strdup_printf ("%u", i + 1);

      g_assert_cmpint (item->kind, ==, FW_ITEM_READING);
      g_assert_cmpstr (item->feed, ==, "sim:sensor?interval=5&count=20&seed=7");
      g_assert_cmpstr (item->name, ==, "sensor");
      g_assert_cmpstr (item->id, ==, id);
      g_assert_true (item->flags & FW_ITEM_FLAG_HAS_VALUE);
      g_assert_cmpfloat (item->value, >=, 10);
      g_assert_cmpfloat (item->value, <=, 50);
      g_assert_cmpfloat (item->value, ==, (double) (gint64) item->value);
      /* A timer never fires early: readings are at least an interval apart (1 ms of slack
       * for the millisecond rounding of timeouts). */
      if (last_time != 0)
        g_assert_cmpint (item->time_us - last_time, >=, 4 * 1000);
      last_time = item->time_us;
    }
}

static GArray *
values_for_seed (guint seed)
{
  g_autofree char *spec = g_strdup_printf ("sim:sensor?interval=0&count=50&seed=%u", seed);
  g_autoptr(FwStream) stream = fw_feed_open (spec, FW_FEED_OPEN_NONE, NULL);
  g_autoptr(GPtrArray) items = fw_test_collect (stream, NULL);
  GArray *values = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < items->len; i++)
    g_array_append_val (values, ((FwItem *) g_ptr_array_index (items, i))->value);

  return values;
}

static void
test_seeded_and_spread (void)
{
  g_autoptr(GArray) a = values_for_seed (11);
  g_autoptr(GArray) b = values_for_seed (11);
  g_autoptr(GArray) c = values_for_seed (12);
  gboolean differs = FALSE;
  double lo = 100, hi = 0;

  g_assert_cmpuint (a->len, ==, 50);
  g_assert_cmpmem (a->data, a->len * sizeof (double), b->data, b->len * sizeof (double));
  for (guint i = 0; i < a->len; i++)
    {
      double v = g_array_index (a, double, i);
      differs |= v != g_array_index (c, double, i);
      lo = MIN (lo, v);
      hi = MAX (hi, v);
    }
  g_assert_true (differs);
  g_assert_cmpfloat (hi - lo, >, 10); /* not a constant */
}

static void
test_break_after_three_runs_cleanup (void)
{
  g_autoptr(FwStream) stream = fw_feed_open ("sim:sensor?interval=1", FW_FEED_OPEN_NONE, NULL);
  GWeakRef weak;

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(FwItem) item = fw_test_next (stream, NULL, NULL);
      g_assert_nonnull (item);
    }
  /* the next reading's timer is not armed until asked for; closing leaves nothing behind */
  g_assert_true (fw_test_close (stream, NULL));
  g_weak_ref_init (&weak, stream);
  g_clear_object (&stream);
  fw_test_iterate_idle ();
  g_assert_null (g_weak_ref_get (&weak));
  g_weak_ref_clear (&weak);
}

static void
test_jitter_clamped (void)
{
  /* Jitter larger than the interval is clamped to it: no negative delay, the stream runs. */
  g_autoptr(FwStream) stream = fw_feed_open ("sim:sensor?interval=2&jitter=50&count=30&seed=3",
                                             FW_FEED_OPEN_NONE, NULL);
  g_autoptr(GPtrArray) items = fw_test_collect (stream, NULL);

  g_assert_cmpuint (items->len, ==, 30);
}

static void
test_bad_options (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (fw_feed_open ("sim:sensor?interval=soon", FW_FEED_OPEN_NONE, &error));
  g_assert_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "interval"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sim-sensor/readings", test_readings);
  g_test_add_func ("/sim-sensor/seeded-and-spread", test_seeded_and_spread);
  g_test_add_func ("/sim-sensor/break-after-three-runs-cleanup", test_break_after_three_runs_cleanup);
  g_test_add_func ("/sim-sensor/jitter-clamped", test_jitter_clamped);
  g_test_add_func ("/sim-sensor/bad-options", test_bad_options);

  return g_test_run ();
}
