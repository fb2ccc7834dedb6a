/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plot-demo.c: not a test. A window with an FwPlot of three synthetic series (CPU %,
 * temperature °C, fan RPM) holding 15 minutes of history and growing live at 2 Hz, plus a
 * row of sparklines, for screenshots and for looking at it:
 *
 *   xvfb-run -a -s '-screen 0 1280x800x24' build/tests/plot-demo [--dark] [--minutes N]
 *                                                              [--units N] [--empty]
 */

#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "fw-plot.h"
#include "fw-sparkline.h"

#define SEC ((gint64) G_USEC_PER_SEC)

typedef struct
{
  FwSeries  *series[3];
  GtkWidget *sparks[3];
  guint      n_series;
  gint64     t0;
  GRand     *rand;
  double     cpu;
  double     temp;
  double     fan;
  gint64     last_t;
  int        units;
} Demo;

/* Synthetic readings: a bursty CPU, a package temperature that follows it slowly (a minute
 * to settle), and a fan that steps with the temperature, with some hysteresis. */
static void
demo_sample (Demo   *demo,
             gint64  t,
             double  values[3])
{
  double s = (double) (t - demo->t0) / SEC;
  double target = 22 + 12 * sin (s / 97.0) + (fmod (s, 330.0) < 50 ? 55 : 0);
  double fan_target;

  demo->cpu += (target - demo->cpu) * 0.3 + g_rand_double_range (demo->rand, -5, 5);
  demo->cpu = CLAMP (demo->cpu, 0, 100);
  demo->temp += ((38 + demo->cpu * 0.35) - demo->temp) * 0.008;
  fan_target = 1400 + 200 * floor ((demo->temp - 40) / 3);
  if (fabs (fan_target - demo->fan) >= 300)
    demo->fan = fan_target;
  values[0] = demo->cpu;
  values[1] = demo->temp + g_rand_double_range (demo->rand, -0.3, 0.3);
  values[2] = demo->fan + g_rand_double_range (demo->rand, -20, 20);

  /* Fewer units: a GPU temperature, or three CPU percentages. */
  if (demo->units == 2)
    values[2] = 30 + (values[1] - 30) * 1.3 + g_rand_double_range (demo->rand, -0.3, 0.3);
  else if (demo->units == 1)
    {
      double system = values[0] * 0.3 + g_rand_double_range (demo->rand, -2, 2);
      double iowait = (demo->fan - 1300) / 40 + g_rand_double_range (demo->rand, -1, 1);

      values[1] = CLAMP (system, 0, 100);
      values[2] = CLAMP (iowait, 0, 100);
    }
}

static void
demo_append (Demo   *demo,
             gint64  t)
{
  double values[3];

  demo_sample (demo, t, values);
  demo->last_t = t;
  for (guint i = 0; i < demo->n_series; i++)
    {
      fw_series_append (demo->series[i], t, values[i]);
      fw_sparkline_push (FW_SPARKLINE (demo->sparks[i]), values[i]);
    }
}

/* Live at 2 Hz; catches up on what a slow start or a busy machine skipped. */
static gboolean
tick_cb (gpointer user_data)
{
  Demo *demo = user_data;
  gint64 now = g_get_real_time ();

  for (gint64 t = demo->last_t + SEC / 2; t <= now; t += SEC / 2)
    demo_append (demo, t);
  return G_SOURCE_CONTINUE;
}

static void
window_toggled_cb (GtkToggleButton *button,
                   FwPlot          *plot)
{
  if (gtk_toggle_button_get_active (button))
    fw_plot_set_window_minutes (plot, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button),
                                                                           "minutes")));
}

static void
quit_cb (GtkWindow *window,
         gboolean  *done)
{
  *done = TRUE;
}

int
main (int   argc,
      char *argv[])
{
  static const char *names[3][3] = {
    { "User", "System", "I/O wait" },
    { "CPU", "Package", "GPU" },
    { "CPU", "Package", "Fan" },
  };
  static const char *unit_names[3][3] = {
    { "%", "%", "%" },
    { "%", "°C", "°C" },
    { "%", "°C", "RPM" },
  };
  static const guint minutes_choices[] = { 1, 5, 15, 60 };
  gboolean dark = FALSE, empty = FALSE, done = FALSE;
  int minutes = 15, units = 3, width = 1000, height = 620;
  GOptionEntry entries[] = {
    { "dark", 0, 0, G_OPTION_ARG_NONE, &dark, "Dark style", NULL },
    { "minutes", 0, 0, G_OPTION_ARG_INT, &minutes, "Time window (1, 5, 15, 60)", "N" },
    { "units", 0, 0, G_OPTION_ARG_INT, &units, "1, 2 or 3 distinct units", "N" },
    { "empty", 0, 0, G_OPTION_ARG_NONE, &empty, "No series at all", NULL },
    { "width", 0, 0, G_OPTION_ARG_INT, &width, "Window width", "PX" },
    { "height", 0, 0, G_OPTION_ARG_INT, &height, "Window height", "PX" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- FwPlot demo");
  g_autoptr(GError) error = NULL;
  Demo demo = { 0 };
  GtkWidget *window, *box, *header, *switcher, *plot, *sparks, *first = NULL;
  gint64 now = g_get_real_time ();

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  adw_init ();
  if (dark)
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                        ADW_COLOR_SCHEME_FORCE_DARK);

  window = adw_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), "Plot demo");
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  adw_window_set_content (ADW_WINDOW (window), box);
  header = adw_header_bar_new ();
  gtk_box_append (GTK_BOX (box), header);

  switcher = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (switcher, "linked");
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), switcher);

  plot = fw_plot_new ();
  gtk_widget_set_vexpand (plot, TRUE);
  gtk_widget_set_margin_start (plot, 12);
  gtk_widget_set_margin_end (plot, 12);
  gtk_widget_set_margin_top (plot, 12);
  fw_plot_set_window_minutes (FW_PLOT (plot), CLAMP (minutes, 1, 60));
  gtk_box_append (GTK_BOX (box), plot);

  for (guint i = 0; i < G_N_ELEMENTS (minutes_choices); i++)
    {
      g_autofree char *label = g_strdup_printf ("%u min", minutes_choices[i]);
      GtkWidget *button = gtk_toggle_button_new_with_label (label);

      g_object_set_data (G_OBJECT (button), "minutes", GUINT_TO_POINTER (minutes_choices[i]));
      if (first != NULL)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), GTK_TOGGLE_BUTTON (first));
      else
        first = button;
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button),
                                    minutes_choices[i] == (guint) minutes);
      g_signal_connect (button, "toggled", G_CALLBACK (window_toggled_cb), plot);
      gtk_box_append (GTK_BOX (switcher), button);
    }

  sparks = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 18);
  gtk_widget_set_margin_start (sparks, 12);
  gtk_widget_set_margin_end (sparks, 12);
  gtk_widget_set_margin_top (sparks, 6);
  gtk_widget_set_margin_bottom (sparks, 12);
  gtk_box_append (GTK_BOX (box), sparks);

  demo.rand = g_rand_new_with_seed (42);
  demo.t0 = now - 15 * 60 * SEC;
  demo.cpu = 30;
  demo.temp = 45;
  demo.fan = 1400;
  demo.n_series = empty ? 0 : 3;
  demo.units = CLAMP (units, 1, 3);
  for (guint i = 0; i < 3; i++)
    {
      const char *name = names[demo.units - 1][i];
      const char *unit = unit_names[demo.units - 1][i];
      GtkWidget *label = gtk_label_new (name);

      demo.series[i] = fw_series_new (name, unit);
      demo.sparks[i] = fw_sparkline_new (60);
      fw_sparkline_set_label (FW_SPARKLINE (demo.sparks[i]), name);
      fw_sparkline_set_unit (FW_SPARKLINE (demo.sparks[i]), unit);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (GTK_BOX (sparks), label);
      gtk_box_append (GTK_BOX (sparks), demo.sparks[i]);
      if (!empty)
        fw_plot_add_series (FW_PLOT (plot), demo.series[i]);
    }

  /* 15 minutes of history at 2 Hz, with a one-minute hole in the middle. */
  for (gint64 t = demo.t0; t < now; t += SEC / 2)
    {
      if (t > now - 8 * 60 * SEC && t < now - 7 * 60 * SEC)
        continue;
      demo_append (&demo, t);
    }
  g_timeout_add (250, tick_cb, &demo);

  g_signal_connect (window, "destroy", G_CALLBACK (quit_cb), &done);
  gtk_window_present (GTK_WINDOW (window));
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < 3; i++)
    g_object_unref (demo.series[i]);
  g_rand_free (demo.rand);

  return 0;
}
