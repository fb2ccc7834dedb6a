/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-plot.c: FwPlot and FwSparkline render, their legend and summary say the right things */

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fw-plot-private.h"
#include "fw-sparkline.h"
#include "fw-test-util.h"
#include "fw-window.h"

#define SEC ((gint64) G_USEC_PER_SEC)
#define MIN_US (60 * SEC)
#define T_END ((gint64) 1763776800 * G_USEC_PER_SEC)

static void
count_cb (guint *counter)
{
  (*counter)++;
}

typedef struct
{
  guint n_cairo;
  guint n_text;
  guint n_color;
} NodeCounts;

static void
count_nodes (GskRenderNode *node,
             NodeCounts    *counts)
{
  switch ((int) gsk_render_node_get_node_type (node))
    {
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        count_nodes (gsk_container_node_get_child (node, i), counts);
      break;

    case GSK_TRANSFORM_NODE:
      count_nodes (gsk_transform_node_get_child (node), counts);
      break;

    case GSK_CLIP_NODE:
      count_nodes (gsk_clip_node_get_child (node), counts);
      break;

    case GSK_OPACITY_NODE:
      count_nodes (gsk_opacity_node_get_child (node), counts);
      break;

    case GSK_CAIRO_NODE:
      counts->n_cairo++;
      break;

    case GSK_TEXT_NODE:
      counts->n_text++;
      break;

    case GSK_COLOR_NODE:
      counts->n_color++;
      break;

    default:
      break;
    }
}

typedef struct
{
  GtkWindow *window;
  GtkWidget *widget;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 720, 420);
  fixture->widget = data != NULL ? fw_sparkline_new (5) : fw_plot_new ();
  gtk_window_set_child (fixture->window, fixture->widget);
  gtk_window_present (fixture->window);

  while (!gtk_widget_get_mapped (fixture->widget) || gtk_widget_get_width (fixture->widget) == 0)
    g_main_context_iteration (NULL, TRUE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  fw_test_iterate_idle ();
}

/* The widget's own snapshot, as GTK would take it for a frame. */
static GskRenderNode *
snapshot_widget (GtkWidget *widget)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  /* The legend's entries, added since the last frame, need their places first. */
  if (FW_IS_PLOT (widget))
    _fw_plot_ensure_layout (FW_PLOT (widget));
  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  return gtk_snapshot_free_to_node (snapshot);
}

static NodeCounts
render_counts (GtkWidget *widget)
{
  GskRenderNode *node = snapshot_widget (widget);
  NodeCounts counts = { 0 };

  /* Nothing drawn at all gives no node. */
  if (node == NULL)
    return counts;
  count_nodes (node, &counts);
  gsk_render_node_unref (node);

  return counts;
}

/* Pixels within a small distance of @hex, once rendered with the cairo renderer. */
static guint
count_pixels_near (GtkWidget  *widget,
                   const char *hex)
{
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  GskRenderNode *node = snapshot_widget (widget);
  g_autoptr(GskRenderer) renderer = gsk_cairo_renderer_new ();
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guchar *pixels = g_malloc (width * height * 4);
  GdkRGBA want;
  guint n = 0;

  g_assert_true (gdk_rgba_parse (&want, hex));
  g_assert_true (gsk_renderer_realize (renderer, NULL, &error));
  g_assert_no_error (error);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_texture_download (texture, pixels, width * 4);
  gsk_renderer_unrealize (renderer);
  gsk_render_node_unref (node);

  /* GDK_MEMORY_DEFAULT: B, G, R, A, premultiplied; lines are drawn opaque. */
  for (int i = 0; i < width * height; i++)
    {
      const guchar *p = pixels + i * 4;

      if (p[3] > 240 &&
          abs (p[2] - (int) (want.red * 255)) < 24 &&
          abs (p[1] - (int) (want.green * 255)) < 24 &&
          abs (p[0] - (int) (want.blue * 255)) < 24)
        n++;
    }

  return n;
}

/* The colour the plot gave its @i-th series (light style) */
static char *
series_color (FwPlot *plot,
              guint   i)
{
  FwPlotSeries *ps = g_ptr_array_index (plot->series, i);
  GdkRGBA color;

  _fw_plot_get_series_color (ps->color, FALSE, &color);
  return gdk_rgba_to_string (&color);
}

static FwSeries *
make_series (const char *name,
             const char *unit,
             double      base,
             double      amplitude,
             gint64      from,
             gint64      to)
{
  FwSeries *series = fw_series_new (name, unit);
  /* A period per series, so three lines do not lie on top of each other. */
  double period = 40.0 + 25.0 * (g_str_hash (name) % 5);

  for (gint64 t = from; t <= to; t += SEC)
    fw_series_append (series, t, base + amplitude * sin ((double) (t - from) / (period * SEC)));

  return series;
}

static void
test_plot_empty (Fixture       *fixture,
                 gconstpointer  data)
{
  FwPlot *plot = FW_PLOT (fixture->widget);
  g_autofree char *legend = fw_plot_dup_legend_text (plot);
  NodeCounts counts = render_counts (fixture->widget);
  int min, nat;

  gtk_widget_measure (fixture->widget, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  g_assert_cmpint (min, >, 0);
  g_assert_cmpint (nat, >=, min);
  gtk_widget_measure (fixture->widget, GTK_ORIENTATION_VERTICAL, -1, &min, &nat, NULL, NULL);
  g_assert_cmpint (min, >, 0);

  g_assert_cmpuint (fw_plot_get_n_series (plot), ==, 0);
  g_assert_cmpstr (legend, ==, "");
  /* The empty state: a title and a line of text, no curves. */
  g_assert_cmpuint (counts.n_text, ==, 2);
  g_assert_cmpuint (counts.n_cairo, ==, 0);
}

static void
test_plot_one_series (Fixture       *fixture,
                      gconstpointer  data)
{
  FwPlot *plot = FW_PLOT (fixture->widget);
  g_autoptr(FwSeries) cpu = make_series ("CPU", "%", 50, 40, T_END - 15 * MIN_US, T_END);
  g_autofree char *legend = NULL;
  g_autofree char *color = NULL;
  NodeCounts counts;

  fw_plot_set_end_time (plot, T_END);
  fw_plot_add_series (plot, cpu);
  fw_plot_add_series (plot, cpu);   /* twice: once */
  g_assert_cmpuint (fw_plot_get_n_series (plot), ==, 1);

  legend = fw_plot_dup_legend_text (plot);
  g_assert_true (g_str_has_prefix (legend, "CPU (%): min "));
  g_assert_nonnull (strstr (legend, " · avg "));
  g_assert_nonnull (strstr (legend, " · max "));
  g_assert_true (g_str_has_suffix (legend, "%"));

  counts = render_counts (fixture->widget);
  g_assert_cmpuint (counts.n_cairo, ==, 1);
  /* Legend (2), unit label, tick labels and time labels. */
  g_assert_cmpuint (counts.n_text, >=, 8);
  g_assert_cmpuint (counts.n_color, >=, 3);

  /* The line is there, in its colour, across most of the width. */
  color = series_color (plot, 0);
  g_assert_cmpuint (count_pixels_near (fixture->widget, color), >, 500);

  fw_plot_remove_series (plot, cpu);
  g_assert_cmpuint (fw_plot_get_n_series (plot), ==, 0);
  counts = render_counts (fixture->widget);
  g_assert_cmpuint (counts.n_cairo, ==, 0);
}

/* What the plot shows, kept: its data as CSV over its window, its picture as PNG */
static void
test_plot_export (Fixture       *fixture,
                  gconstpointer  data)
{
  FwPlot *plot = FW_PLOT (fixture->widget);
  g_autoptr(FwSeries) fan = fw_series_new ("fan, front", "rpm");
  g_autofree char *csv = NULL;
  g_auto(GStrv) rows = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  guint n_rows = 0, n_points = 0;

  /* a reading a second for two minutes (1000, 1001, …), but for a gap in the first half of
   * the plot's last minute: rows only where there are readings */
  for (gint64 i = 0; i <= 120; i++)
    if (i < 60 || i >= 90)
      fw_series_append (fan, T_END - 120 * SEC + i * SEC, 1000 + i);
  fw_plot_set_window_minutes (plot, 1);
  fw_plot_set_end_time (plot, T_END);
  fw_plot_add_series (plot, fan);

  csv = fw_plot_dup_csv (plot);
  rows = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpstr (rows[0], ==, "time,series,unit,min,avg,max,count");
  for (guint i = 1; rows[i] != NULL && rows[i][0] != '\0'; i++)
    {
      g_auto(GStrv) cells = g_strsplit (rows[i], ",", -1);
      /* the name with a comma is quoted: its two halves are cells 1 and 2 here */
      double min, avg, max;

      g_assert_cmpuint (g_strv_length (cells), ==, 8);
      g_assert_cmpstr (cells[1], ==, "\"fan");
      g_assert_cmpstr (cells[2], ==, " front\"");
      g_assert_cmpstr (cells[3], ==, "rpm");
      min = g_ascii_strtod (cells[4], NULL);
      avg = g_ascii_strtod (cells[5], NULL);
      max = g_ascii_strtod (cells[6], NULL);
      /* only the last minute's readings, 1090 to 1120 */
      g_assert_cmpfloat (min, >=, 1090);
      g_assert_cmpfloat (max, <=, 1120);
      g_assert_cmpfloat (min, <=, avg);
      g_assert_cmpfloat (avg, <=, max);
      n_points += (guint) g_ascii_strtoull (cells[7], NULL, 10);
      n_rows++;
    }
  g_assert_cmpuint (n_rows, ==, 30);
  g_assert_cmpuint (n_points, ==, 31);

  png = fw_plot_render_png (plot, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (png, NULL), 8, "\x89PNG\r\n\x1a\n", 8);
  texture = gdk_texture_new_from_bytes (png, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, gtk_widget_get_width (fixture->widget));
  g_assert_cmpint (gdk_texture_get_height (texture), ==, gtk_widget_get_height (fixture->widget));
}

static void
test_plot_three_series (Fixture       *fixture,
                        gconstpointer  data)
{
  FwPlot *plot = FW_PLOT (fixture->widget);
  g_autoptr(FwSeries) cpu = make_series ("CPU", "%", 50, 40, T_END - 15 * MIN_US, T_END);
  g_autoptr(FwSeries) temp = make_series ("Package", "°C", 55, 10, T_END - 15 * MIN_US, T_END);
  g_autoptr(FwSeries) fan = make_series ("Fan", "RPM", 2400, 600, T_END - 15 * MIN_US, T_END);
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) ticks = NULL;
  guint n_percent = 0, n_celsius = 0, n_rpm = 0;
  g_autofree char *legend = NULL;
  char *colors[3];
  NodeCounts counts;

  fw_plot_set_end_time (plot, T_END);
  fw_plot_set_window_minutes (plot, 15);
  fw_plot_add_series (plot, cpu);
  fw_plot_add_series (plot, temp);
  fw_plot_add_series (plot, fan);

  legend = fw_plot_dup_legend_text (plot);
  lines = g_strsplit (legend, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_true (g_str_has_prefix (lines[0], "CPU (%): min "));
  g_assert_true (g_str_has_prefix (lines[1], "Package (°C): min "));
  g_assert_nonnull (strstr (lines[1], " °C · avg "));
  g_assert_true (g_str_has_suffix (lines[1], " °C"));
  g_assert_true (g_str_has_prefix (lines[2], "Fan (RPM): min 1800 RPM · avg "));
  g_assert_true (g_str_has_suffix (lines[2], "max 3000 RPM"));

  /* Three axes, each tick with its unit: "%" glued, "°C" and "RPM" after a space. */
  ticks = _fw_plot_dup_tick_labels (plot);
  for (guint i = 0; ticks[i] != NULL; i++)
    {
      g_assert_true (g_ascii_isdigit (ticks[i][0]));
      if (g_str_has_suffix (ticks[i], "%"))
        {
          g_assert_null (strchr (ticks[i], ' '));
          n_percent++;
        }
      else if (g_str_has_suffix (ticks[i], " °C"))
        n_celsius++;
      else if (g_str_has_suffix (ticks[i], " RPM"))
        n_rpm++;
      else
        g_error ("tick label \"%s\" has no unit", ticks[i]);
    }
  g_assert_cmpuint (n_percent, >=, 2);
  g_assert_cmpuint (n_celsius, >=, 2);
  g_assert_cmpuint (n_rpm, >=, 2);

  counts = render_counts (fixture->widget);
  g_assert_cmpuint (counts.n_cairo, ==, 1);
  g_assert_cmpuint (counts.n_text, >=, 3 * 2 + 3 * 3);

  /* Each series drawn in its own colour. */
  for (guint i = 0; i < 3; i++)
    {
      colors[i] = series_color (plot, i);
      for (guint j = 0; j < i; j++)
        g_assert_cmpstr (colors[i], !=, colors[j]);
      g_assert_cmpuint (count_pixels_near (fixture->widget, colors[i]), >, 300);
    }

  /* A removed series comes back in its colour; the others keep theirs. */
  fw_plot_remove_series (plot, temp);
  fw_plot_add_series (plot, temp);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *again = series_color (plot, i);

      g_assert_cmpstr (again, ==, colors[i == 2 ? 1 : i == 1 ? 2 : 0]);
    }
  g_assert_cmpuint (count_pixels_near (fixture->widget, colors[1]), >, 300);
  for (guint i = 0; i < 3; i++)
    g_free (colors[i]);
}

/* The list (fw_format_value), the legend and the axis write a series' values with the same
 * prefix and unit spelling: "25.3 GB" everywhere, never "25276M B" or "20G". */
static void
test_plot_units_agree (Fixture       *fixture,
                       gconstpointer  data)
{
  FwPlot *plot = FW_PLOT (fixture->widget);
  g_autoptr(FwSeries) mem = make_series ("mem used", "B", 23e9, 3e9, T_END - 15 * MIN_US, T_END);
  g_autoptr(FwSeries) net = make_series ("eth0 rx", "B/s", 1.5e6, 1e6, T_END - 15 * MIN_US, T_END);
  g_autofree char *legend = NULL;
  g_autofree char *want = NULL;
  g_autofree char *list_min = NULL, *list_avg = NULL, *list_max = NULL;
  g_autofree char *net_max = NULL;
  g_autofree char *list_text = fw_format_value (25276182528, "B");
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) ticks = NULL;
  FwSeriesStats stats;
  guint n_gb = 0, n_mbs = 0;

  g_assert_cmpstr (list_text, ==, "25.3 GB");

  fw_plot_set_end_time (plot, T_END);
  fw_plot_add_series (plot, mem);
  fw_plot_add_series (plot, net);

  /* The legend's figures are the list's text for the same values. */
  g_assert_true (fw_series_get_stats (mem, T_END - 5 * MIN_US, T_END + 1, &stats));
  list_min = fw_format_value (stats.min, fw_series_get_unit (mem));
  list_avg = fw_format_value (stats.avg, fw_series_get_unit (mem));
  list_max = fw_format_value (stats.max, fw_series_get_unit (mem));
  want = g_strdup_printf ("mem used (B): min %s · avg %s · max %s", list_min, list_avg, list_max);
  g_assert_true (g_str_has_suffix (list_min, " GB"));
  g_assert_true (g_str_has_suffix (list_max, " GB"));
  g_assert_true (fw_series_get_stats (net, T_END - 5 * MIN_US, T_END + 1, &stats));
  net_max = fw_format_value (stats.max, fw_series_get_unit (net));
  g_assert_true (g_str_has_suffix (net_max, " MB/s"));

  legend = fw_plot_dup_legend_text (plot);
  lines = g_strsplit (legend, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_assert_cmpstr (lines[0], ==, want);
  g_assert_true (g_str_has_suffix (lines[1], net_max));

  /* The axes: a number, a space, the legend's prefix and unit. */
  ticks = _fw_plot_dup_tick_labels (plot);
  for (guint i = 0; ticks[i] != NULL; i++)
    {
      const char *unit = ticks[i] + strspn (ticks[i], "0123456789.");

      g_test_message ("tick: %s", ticks[i]);
      g_assert_true (g_ascii_isdigit (ticks[i][0]));
      if (g_str_equal (unit, " GB"))
        n_gb++;
      else if (g_str_equal (unit, " MB/s"))
        n_mbs++;
      else
        g_error ("tick label \"%s\" does not say GB or MB/s", ticks[i]);
    }
  g_assert_cmpuint (n_gb, >=, 2);
  g_assert_cmpuint (n_mbs, >=, 2);
}

/* A rate that stays at zero: its axis starts at zero and never reads "-1 B/s". */
static void
test_plot_flat_zero_axis (Fixture       *fixture,
                          gconstpointer  data)
{
  FwPlot *plot = FW_PLOT (fixture->widget);
  g_autoptr(FwSeries) rx = make_series ("eth0 rx", "B/s", 0, 0, T_END - 5 * MIN_US, T_END);
  g_auto(GStrv) ticks = NULL;

  fw_plot_set_end_time (plot, T_END);
  fw_plot_add_series (plot, rx);

  ticks = _fw_plot_dup_tick_labels (plot);
  g_assert_cmpuint (g_strv_length (ticks), >=, 2);
  g_assert_cmpfloat (g_ascii_strtod (ticks[0], NULL), ==, 0.0);
  for (guint i = 0; ticks[i] != NULL; i++)
    {
      g_test_message ("tick: %s", ticks[i]);
      g_assert_true (g_ascii_isdigit (ticks[i][0]));
      g_assert_true (g_str_has_suffix (ticks[i], " B/s"));
    }
}

/* High values 20 to 60 minutes ago, low ones in the last 10: the window decides. */
static void
test_plot_window_changes_stats (Fixture       *fixture,
                                gconstpointer  data)
{
  FwPlot *plot = FW_PLOT (fixture->widget);
  g_autoptr(FwSeries) load = fw_series_new ("Load", "W");
  g_autofree char *legend5 = NULL;
  g_autofree char *legend60 = NULL;
  g_autofree char *legend1 = NULL;
  guint notified = 0;

  for (gint64 t = T_END - 59 * MIN_US; t <= T_END - 20 * MIN_US; t += 10 * SEC)
    fw_series_append (load, t, 100.0);
  for (gint64 t = T_END - 10 * MIN_US; t <= T_END; t += 10 * SEC)
    fw_series_append (load, t, t == T_END ? 30.0 : 10.0);

  g_signal_connect_swapped (plot, "notify::window-minutes",
                            G_CALLBACK (count_cb), &notified);
  fw_plot_set_end_time (plot, T_END);
  g_assert_cmpint (fw_plot_get_end_time (plot), ==, T_END);
  fw_plot_add_series (plot, load);

  g_assert_cmpuint (fw_plot_get_window_minutes (plot), ==, 5);
  legend5 = fw_plot_dup_legend_text (plot);
  g_assert_cmpstr (legend5, ==, "Load (W): min 10.0 W · avg 10.6 W · max 30.0 W");

  fw_plot_set_window_minutes (plot, 60);
  g_assert_cmpuint (notified, ==, 1);
  fw_plot_set_window_minutes (plot, 60);
  g_assert_cmpuint (notified, ==, 1);
  legend60 = fw_plot_dup_legend_text (plot);
  g_assert_true (g_str_has_prefix (legend60, "Load (W): min 10.0 W · avg "));
  g_assert_true (g_str_has_suffix (legend60, " · max 100 W"));
  g_assert_cmpuint (render_counts (fixture->widget).n_cairo, ==, 1);

  /* Nothing in a one-minute window 30 minutes back: "no data", and the empty message. */
  fw_plot_set_window_minutes (plot, 1);
  fw_plot_set_end_time (plot, T_END - 15 * MIN_US);
  legend1 = fw_plot_dup_legend_text (plot);
  g_assert_cmpstr (legend1, ==, "Load (W): no data");
  g_assert_cmpuint (render_counts (fixture->widget).n_cairo, ==, 0);
}

/* Live: a series' "changed" makes the plot draw a new frame. */
static void
test_plot_redraws_on_change (Fixture       *fixture,
                             gconstpointer  data)
{
  FwPlot *plot = FW_PLOT (fixture->widget);
  g_autoptr(FwSeries) series = fw_series_new ("Live", "V");
  GdkFrameClock *clock = gtk_widget_get_frame_clock (fixture->widget);
  guint painted = 0;

  fw_plot_add_series (plot, series);
  fw_test_iterate_idle ();

  g_signal_connect_swapped (clock, "after-paint", G_CALLBACK (count_cb), &painted);
  for (int i = 0; i < 100; i++)
    fw_series_append (series, g_get_real_time (), i);
  fw_test_wait_for_count (&painted, 1);
  g_signal_handlers_disconnect_by_data (clock, &painted);
}

/* Frames and what they drew: a tick callback keeps the frame clock running, so frames pass
 * whether or not anything is drawn, and the surface's "render" says when a frame drew. */
typedef struct
{
  guint frames;
  guint renders;
} FrameCount;

static gboolean
count_frame (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  ((FrameCount *) user_data)->frames++;
  return G_SOURCE_CONTINUE;
}

static gboolean
count_render (GSignalInvocationHint *hint,
              guint                  n_params,
              const GValue          *params,
              gpointer               user_data)
{
  ((FrameCount *) user_data)->renders++;
  return TRUE;
}

static guint
watch_frames (GtkWidget  *widget,
              FrameCount *count,
              guint      *tick_id)
{
  *tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (gtk_widget_get_root (widget)),
                                           count_frame, count, NULL);
  return g_signal_add_emission_hook (g_signal_lookup ("render", GDK_TYPE_SURFACE), 0,
                                     count_render, count, NULL);
}

static void
unwatch_frames (GtkWidget *widget,
                guint      hook_id,
                guint      tick_id)
{
  g_signal_remove_emission_hook (g_signal_lookup ("render", GDK_TYPE_SURFACE), hook_id);
  gtk_widget_remove_tick_callback (GTK_WIDGET (gtk_widget_get_root (widget)), tick_id);
}

/* Lets @n frames pass (and whatever they draw) */
static void
pass_frames (FrameCount *count,
             guint       n)
{
  fw_test_wait_for_count (&count->frames, count->frames + n);
}

/* Live, new data waits for the next whole second: a slow feed's readings do not each draw a
 * frame; they are drawn together with the rest of the window's once-a-second updates. */
static void
test_plot_live_draws_on_the_second (Fixture       *fixture,
                                    gconstpointer  data)
{
  FwPlot *plot = FW_PLOT (fixture->widget);
  g_autoptr(FwSeries) series = fw_series_new ("Live", "V");
  FrameCount count = { 0 };
  guint hook_id, tick_id, renders;

  fw_series_append (series, g_get_real_time () - SEC, 1);
  fw_plot_add_series (plot, series);
  hook_id = watch_frames (fixture->widget, &count, &tick_id);
  fw_test_wait_for_count (&count.renders, 1);

  /* Right after a frame: the next is at least most of a second away */
  renders = count.renders;
  fw_series_append (series, g_get_real_time (), 2);
  fw_test_iterate_idle ();
  pass_frames (&count, 3);
  g_assert_cmpuint (count.renders, ==, renders);
  g_assert_cmpuint (plot->redraw_id, !=, 0);
  g_assert_cmpint (plot->redraw_due_us - plot->drawn_us, >=, G_USEC_PER_SEC / 2);

  /* and it comes */
  fw_test_wait_for_count (&count.renders, renders + 1);

  unwatch_frames (fixture->widget, hook_id, tick_id);
}

/* A push that leaves the line as it is (a full ring of one reading: an idle feed's rate) draws
 * nothing; one that changes it draws a frame. */
static void
test_sparkline_unchanged_draws_nothing (Fixture       *fixture,
                                        gconstpointer  data)
{
  FwSparkline *spark = FW_SPARKLINE (fixture->widget);
  FrameCount count = { 0 };
  guint hook_id, tick_id, renders;

  hook_id = watch_frames (fixture->widget, &count, &tick_id);
  for (int i = 0; i < 5; i++)
    fw_sparkline_push (spark, 0);
  fw_test_wait_for_count (&count.renders, 1);
  pass_frames (&count, 2);

  renders = count.renders;
  for (int i = 0; i < 3; i++)
    {
      fw_sparkline_push (spark, 0);
      pass_frames (&count, 3);
    }
  g_assert_cmpuint (count.renders, ==, renders);

  fw_sparkline_push (spark, 2.5);
  fw_test_wait_for_count (&count.renders, renders + 1);
  g_assert_cmpuint (render_counts (fixture->widget).n_cairo, ==, 1);

  unwatch_frames (fixture->widget, hook_id, tick_id);
}

static void
test_sparkline (Fixture       *fixture,
                gconstpointer  data)
{
  FwSparkline *spark = FW_SPARKLINE (fixture->widget);
  g_autofree char *empty = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *gap = NULL;
  g_autofree char *percent = NULL;
  g_autofree char *bytes = NULL;
  int min, nat;

  gtk_widget_measure (fixture->widget, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  g_assert_cmpint (nat, ==, 64);
  gtk_widget_measure (fixture->widget, GTK_ORIENTATION_VERTICAL, -1, &min, &nat, NULL, NULL);
  g_assert_cmpint (nat, ==, 20);

  g_assert_cmpuint (fw_sparkline_get_capacity (spark), ==, 5);
  g_assert_true (isnan (fw_sparkline_get_last (spark)));
  empty = fw_sparkline_dup_summary (spark);
  g_assert_cmpstr (empty, ==, "Last value: no data");
  g_assert_cmpuint (render_counts (fixture->widget).n_cairo, ==, 0);

  fw_sparkline_set_label (spark, "Rate");
  fw_sparkline_set_unit (spark, "items/s");
  for (int i = 1; i <= 7; i++)
    fw_sparkline_push (spark, i * 1.5);
  g_assert_cmpuint (fw_sparkline_get_n_values (spark), ==, 5);
  g_assert_cmpfloat (fw_sparkline_get_last (spark), ==, 10.5);
  summary = fw_sparkline_dup_summary (spark);
  g_assert_cmpstr (summary, ==, "Rate: 10.5 items/s");
  g_assert_cmpuint (render_counts (fixture->widget).n_cairo, ==, 1);

  fw_sparkline_push (spark, NAN);
  gap = fw_sparkline_dup_summary (spark);
  g_assert_cmpstr (gap, ==, "Rate: no data");

  fw_sparkline_set_unit (spark, "%");
  fw_sparkline_push (spark, 42);
  percent = fw_sparkline_dup_summary (spark);
  g_assert_cmpstr (percent, ==, "Rate: 42.0%");

  /* The same text as the list's for the value. */
  fw_sparkline_set_unit (spark, "B");
  fw_sparkline_push (spark, 25276182528);
  bytes = fw_sparkline_dup_summary (spark);
  g_assert_cmpstr (bytes, ==, "Rate: 25.3 GB");

  fw_sparkline_clear (spark);
  g_assert_cmpuint (fw_sparkline_get_n_values (spark), ==, 0);
  g_assert_cmpuint (render_counts (fixture->widget).n_cairo, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add ("/plot/empty", Fixture, NULL,
              fixture_set_up, test_plot_empty, fixture_tear_down);
  g_test_add ("/plot/one-series", Fixture, NULL,
              fixture_set_up, test_plot_one_series, fixture_tear_down);
  g_test_add ("/plot/export", Fixture, NULL,
              fixture_set_up, test_plot_export, fixture_tear_down);
  g_test_add ("/plot/three-series", Fixture, NULL,
              fixture_set_up, test_plot_three_series, fixture_tear_down);
  g_test_add ("/plot/units-agree", Fixture, NULL,
              fixture_set_up, test_plot_units_agree, fixture_tear_down);
  g_test_add ("/plot/flat-zero-axis", Fixture, NULL,
              fixture_set_up, test_plot_flat_zero_axis, fixture_tear_down);
  g_test_add ("/plot/window-changes-stats", Fixture, NULL,
              fixture_set_up, test_plot_window_changes_stats, fixture_tear_down);
  g_test_add ("/plot/redraws-on-change", Fixture, NULL,
              fixture_set_up, test_plot_redraws_on_change, fixture_tear_down);
  g_test_add ("/plot/live-draws-on-the-second", Fixture, NULL,
              fixture_set_up, test_plot_live_draws_on_the_second, fixture_tear_down);
  g_test_add ("/sparkline/values-and-summary", Fixture, "sparkline",
              fixture_set_up, test_sparkline, fixture_tear_down);
  g_test_add ("/sparkline/unchanged-draws-nothing", Fixture, "sparkline",
              fixture_set_up, test_sparkline_unchanged_draws_nothing, fixture_tear_down);

  return g_test_run ();
}
