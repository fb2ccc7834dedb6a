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

static void
on_batch_cancelled (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batch = fw_stream_next_batch_finish (FW_STREAM (source), result, &error);

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  *(gboolean *) user_data = TRUE;
}

/* Near 2^31 ms, interval ± jitter would leave the timer's and the random range's types: too
 * large a value is refused when the feed is opened, saying the largest value taken, and the
 * largest arms its timer cleanly. */
static void
test_huge_interval_refused (void)
{
  static const char * const specs[] = {
    "sim:sensor?interval=2000000001",
    "sim:sensor?interval=2147483648",
    "sim:sensor?interval=4294967295&jitter=10",
    "sim:sensor?interval=1000&jitter=2147483648",
    "sim:sensor?interval=4294967295&jitter=4294967295",
  };
  g_autoptr(FwStream) largest = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gboolean done = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", specs[i]);
      g_assert_null (fw_feed_open (specs[i], FW_FEED_OPEN_NONE, &error));
      g_assert_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, i == 3 ? "jitter" : "interval"));
      g_assert_nonnull (strstr (error->message, "2000000000"));
    }

  largest = fw_feed_open ("sim:sensor?interval=2000000000&jitter=2000000000", FW_FEED_OPEN_NONE,
                          NULL);
  g_assert_nonnull (largest);
  fw_stream_next_batch_async (largest, 1, cancellable, on_batch_cancelled, &done);
  fw_test_iterate_idle ();
  g_cancellable_cancel (cancellable);
  fw_test_wait_for (&done);
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
  g_test_add_func ("/sim-sensor/huge-interval-refused", test_huge_interval_refused);

  return g_test_run ();
}
