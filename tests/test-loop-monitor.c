/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-loop-monitor.c: the main-loop lag probe */

#include "fw-test-util.h"

static gboolean
block_main_loop (gpointer user_data)
{
  gboolean *done = user_data;

  g_usleep (200 * G_TIME_SPAN_MILLISECOND); /* the stall the probe must see */
  *done = TRUE;

  return G_SOURCE_REMOVE;
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_sees_a_stall (void)
{
  g_autoptr(FwLoopMonitor) monitor = fw_loop_monitor_new (5, 1000);
  g_autofree char *text = NULL;
  gboolean blocked = FALSE;
  guint n_notify = 0;
  gint64 max = 0;

  g_signal_connect (monitor, "notify::lag-max-us", G_CALLBACK (on_notify), &n_notify);
  g_assert_false (fw_loop_monitor_is_running (monitor));
  fw_loop_monitor_start (monitor);
  g_assert_true (fw_loop_monitor_is_running (monitor));

  g_timeout_add (20, block_main_loop, &blocked);
  fw_test_wait_for (&blocked);
  /* The probe due during the stall runs when it ends, and records how late. */
  while (fw_loop_monitor_get_n_samples (monitor) < 10)
    g_main_context_iteration (NULL, TRUE);

  g_object_get (monitor, "lag-max-us", &max, NULL);
  g_assert_cmpint (max, >=, 150 * 1000);
  g_assert_cmpint (fw_loop_monitor_get_lag_max_us (monitor), ==, max);
  /* One stall among ten samples is not the median. */
  g_assert_cmpint (fw_loop_monitor_get_lag_p50_us (monitor), <, max);
  g_assert_cmpint (fw_loop_monitor_get_lag_p99_us (monitor), <=, max);
  g_assert_cmpuint (n_notify, >=, 10);
  text = fw_loop_monitor_format (monitor);
  g_assert_nonnull (strstr (text, "main-loop lag: p50"));

  fw_loop_monitor_reset (monitor);
  g_assert_cmpuint (fw_loop_monitor_get_n_samples (monitor), ==, 0);
  g_assert_cmpint (fw_loop_monitor_get_lag_max_us (monitor), ==, 0);
  fw_loop_monitor_stop (monitor);
  g_assert_false (fw_loop_monitor_is_running (monitor));
}

/* The window forgets old samples. */
static void
test_window (void)
{
  g_autoptr(FwLoopMonitor) monitor = fw_loop_monitor_new (1, 5);
  gboolean blocked = FALSE;
  guint n_samples = 0;

  g_signal_connect (monitor, "notify::n-samples", G_CALLBACK (on_notify), &n_samples);
  fw_loop_monitor_start (monitor);
  g_timeout_add (5, block_main_loop, &blocked);
  fw_test_wait_for (&blocked);
  n_samples = 0;
  fw_test_wait_for_count (&n_samples, 1);
  g_assert_cmpint (fw_loop_monitor_get_lag_max_us (monitor), >=, 150 * 1000);
  /* Twenty more quiet samples push the stall out of a window of five. */
  fw_test_wait_for_count (&n_samples, 21);
  g_assert_cmpuint (fw_loop_monitor_get_n_samples (monitor), ==, 5);
  g_assert_cmpint (fw_loop_monitor_get_lag_max_us (monitor), <, 150 * 1000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/loop-monitor/sees-a-stall", test_sees_a_stall);
  g_test_add_func ("/loop-monitor/window", test_window);

  return g_test_run ();
}
