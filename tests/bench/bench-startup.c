/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-startup.c: a window opening with many saved feeds (run under Xvfb by run-bench.sh).
 *
 * For N saved feeds (quiet simulated sensors, each its own feed), the time from fw_window_new()
 * to the first frame painted with the window mapped (and how much of it fw_window_new() takes:
 * the feeds opened; the rest is showing, measuring and drawing, the sidebar's rows made for the
 * feeds on screen),
 * and the time from destroying it to every stream closed. FW_BENCH_FEEDS=N measures one N alone (for profiling).
 */

#include "config.h"

#include <stdio.h>

#include "fw-window.h"

static gboolean
on_time_up (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
run_for (guint ms)
{
  gboolean up = FALSE;

  g_timeout_add (ms, on_time_up, &up);
  while (!up)
    g_main_context_iteration (NULL, TRUE);
}

static void
on_after_paint (GdkFrameClock *clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

static void
save_feeds (GSettings *settings,
            guint      n)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) feeds = NULL;
  const char *none[] = { NULL };

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *feed = g_strdup_printf ("sim:sensor?interval=3600000&seed=%u", i + 1);

      g_strv_builder_add (builder, feed);
    }
  feeds = g_strv_builder_end (builder);
  g_settings_delay (settings);
  g_settings_set_strv (settings, "feeds", (const char * const *) feeds);
  g_settings_set_strv (settings, "feed-names", none);
  g_settings_set_boolean (settings, "first-run", FALSE);
  g_settings_set_int (settings, "running-pid", 0);
  g_settings_apply (settings);
}

static void
measure (GSettings *settings,
         guint      n)
{
  FwCloseRegistry *registry = fw_close_registry_get_default ();
  GtkWidget *window;
  GdkFrameClock *clock;
  gboolean painted = FALSE;
  GWeakRef weak;
  GObject *alive;
  gint64 start, built, shown, closed;
  guint n_rows = 0;

  save_feeds (settings, n);
  start = g_get_monotonic_time ();
  window = GTK_WIDGET (fw_window_new (NULL));
  built = g_get_monotonic_time () - start;
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (window))
    g_main_context_iteration (NULL, TRUE);
  clock = gtk_widget_get_frame_clock (window);
  g_signal_connect_after (clock, "after-paint", G_CALLBACK (on_after_paint), &painted);
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
  shown = g_get_monotonic_time () - start;
  g_signal_handlers_disconnect_by_data (clock, &painted);
  n_rows = g_list_model_get_n_items (fw_window_get_feeds (FW_WINDOW (window)));

  run_for (300);

  g_weak_ref_init (&weak, window);
  start = g_get_monotonic_time ();
  gtk_window_destroy (GTK_WINDOW (window));
  while ((alive = g_weak_ref_get (&weak)) != NULL || fw_close_registry_get_n_closing (registry) > 0)
    {
      g_clear_object (&alive);
      g_main_context_iteration (NULL, TRUE);
    }
  closed = g_get_monotonic_time () - start;
  g_weak_ref_clear (&weak);

  printf ("| %u | %u | %.0f ms | %.0f ms | %.0f ms |\n", n, n_rows, shown / 1000.0, built / 1000.0,
          closed / 1000.0);
  fflush (stdout);
  run_for (200);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GSettings) settings = NULL;
  guint counts[] = { 100, 500, 2000 };
  guint n_counts = G_N_ELEMENTS (counts);

  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_init ();
  adw_init ();
  settings = g_settings_new (APP_ID);

  if (g_getenv ("FW_BENCH_FEEDS") != NULL)
    {
      counts[0] = (guint) g_ascii_strtoull (g_getenv ("FW_BENCH_FEEDS"), NULL, 10);
      n_counts = 1;
    }

  printf ("Window 1280x800 under Xvfb, GSK renderer %s, accessibility %s; saved feeds: quiet "
          "simulated sensors (sim:sensor?interval=3600000&seed=K).\n\n",
          g_getenv ("GSK_RENDERER") ?: "default",
          g_strcmp0 (g_getenv ("GTK_A11Y"), "none") == 0 ? "off" : "on (AT-SPI bus)");
  printf ("| saved feeds | sidebar rows | shown (new to first frame) | of which fw_window_new | "
          "closed (destroy to every stream closed) |\n");
  printf ("| ---: | ---: | ---: | ---: | ---: |\n");
  for (guint i = 0; i < n_counts; i++)
    measure (settings, counts[i]);
  printf ("\nTarget: 2,000 saved feeds shown in under 1 s.\n");

  return 0;
}
