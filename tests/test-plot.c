/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-plot.c: FwPlot and FwSparkline render, their legend and summary say the right things */

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fw-plot-private.h"
#include "fw-sparkline.h"
#include "fw-test-ui.h"
#include "fw-test-util.h"
#include "fw-units.h"
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
  guint       frames;
  guint       renders;
  GdkSurface *surface;  /* the watched window's: other windows' frames are not counted */
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
  FrameCount *count = user_data;

  if (g_value_get_object (&params[0]) == (GObject *) count->surface)
    count->renders++;
  return TRUE;
}

static guint
watch_frames (GtkWidget  *widget,
              FrameCount *count,
              guint      *tick_id)
{
  count->surface = gtk_native_get_surface (gtk_widget_get_native (widget));
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


/* ---- what a person does with the plot ---------------------------------------------------- */

/* The widgets under @widget of @type, in order */
static void
collect_widgets (GtkWidget *widget,
                 GType      type,
                 GPtrArray *out)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (g_type_is_a (G_OBJECT_TYPE (child), type))
        g_ptr_array_add (out, child);
      collect_widgets (child, type, out);
    }
}

/* The mapped button (or menu button) under @widget whose tooltip is @tooltip, as a person
 * finds it */
static GtkWidget *
find_button_by_tooltip (GtkWidget  *widget,
                        const char *tooltip)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  collect_widgets (widget, GTK_TYPE_BUTTON, buttons);
  collect_widgets (widget, GTK_TYPE_MENU_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (buttons, i);

      if (gtk_widget_get_mapped (button) &&
          g_strcmp0 (gtk_widget_get_tooltip_text (button), tooltip) == 0)
        return button;
    }

  return NULL;
}

/* Lets the plot lay out and draw what changed */
static void
settle (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  guint painted = 0;

  g_signal_connect_swapped (clock, "after-paint", G_CALLBACK (count_cb), &painted);
  gtk_widget_queue_draw (widget);
  fw_test_wait_for_count (&painted, 1);
  g_signal_handlers_disconnect_by_data (clock, &painted);
  fw_test_iterate_idle ();
}

static double
last_tick_value (FwPlot *plot)
{
  g_auto(GStrv) ticks = _fw_plot_dup_tick_labels (plot);
  guint n = g_strv_length (ticks);

  g_assert_cmpuint (n, >=, 2);
  return g_ascii_strtod (ticks[n - 1], NULL);
}

/* Moves the pointer over the plot at @x, @y as GTK's motion controller reports it */
static void
move_pointer (GtkWidget *widget,
              gboolean   inside,
              double     x,
              double     y)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean found = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_EVENT_CONTROLLER_MOTION (controller))
        continue;
      if (inside)
        g_signal_emit_by_name (controller, "motion", x, y);
      else
        g_signal_emit_by_name (controller, "leave");
      found = TRUE;
    }
  g_assert_true (found);
}

/* Each series keeps the colour of its name, in whatever order series come */
static void
test_plot_color_follows_name (Fixture       *fixture,
                              gconstpointer  data)
{
  FwPlot *plot = FW_PLOT (fixture->widget);
  g_autoptr(FwPlot) other = g_object_ref_sink (FW_PLOT (fw_plot_new ()));
  g_autoptr(FwSeries) a = make_series ("cpu0 usage", "%", 50, 40, T_END - MIN_US, T_END);
  g_autoptr(FwSeries) b = make_series ("Package", "°C", 55, 10, T_END - MIN_US, T_END);
  g_autoptr(FwSeries) a2 = fw_series_new ("cpu0 usage", "%");
  g_autofree char *a_here = NULL, *a_there = NULL, *b_here = NULL, *b_there = NULL;

  fw_plot_add_series (plot, b);
  fw_plot_add_series (plot, a);
  fw_plot_add_series (other, a2);   /* another feed's series of that name */
  fw_plot_add_series (other, b);
  a_here = series_color (plot, 1);
  b_here = series_color (plot, 0);
  a_there = series_color (other, 0);
  b_there = series_color (other, 1);
  g_assert_cmpstr (a_here, ==, a_there);
  g_assert_cmpstr (b_here, ==, b_there);
  g_assert_cmpstr (a_here, !=, b_here);
}

/* The legend's entries are toggle buttons: hiding a series takes its line away and its axis
 * fits the others; showing it brings both back. By click and by keyboard (activate). */
static void
test_plot_legend_hides_series (Fixture       *fixture,
                               gconstpointer  data)
{
  FwPlot *plot = FW_PLOT (fixture->widget);
  g_autoptr(FwSeries) big = make_series ("cpu0 usage", "%", 50, 45, T_END - 5 * MIN_US, T_END);
  g_autoptr(FwSeries) small = make_series ("cpu1 usage", "%", 5, 4, T_END - 5 * MIN_US, T_END);
  g_autofree char *big_color = NULL;
  g_autofree char *small_color = NULL;
  GtkWidget *toggle;

  fw_plot_set_end_time (plot, T_END);
  fw_plot_add_series (plot, big);
  fw_plot_add_series (plot, small);
  settle (fixture->widget);
  big_color = series_color (plot, 0);
  small_color = series_color (plot, 1);

  g_assert_cmpfloat (last_tick_value (plot), >=, 90);
  g_assert_cmpuint (count_pixels_near (fixture->widget, big_color), >, 300);

  toggle = find_button_by_tooltip (fixture->widget, "Hide cpu0 usage");
  g_assert_nonnull (toggle);
  g_assert_true (GTK_IS_TOGGLE_BUTTON (toggle));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle)));
  g_assert_true (gtk_widget_get_focusable (toggle));
  g_assert_nonnull (find_button_by_tooltip (fixture->widget, "Hide cpu1 usage"));

  g_signal_emit_by_name (toggle, "clicked");
  settle (fixture->widget);
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle)));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (toggle), ==, "Show cpu0 usage");
  /* not drawn (its swatch's outline is all that is left of its colour), the axis fits cpu1 */
  g_assert_cmpuint (count_pixels_near (fixture->widget, big_color), <, 60);
  g_assert_cmpuint (count_pixels_near (fixture->widget, small_color), >, 300);
  g_assert_cmpfloat (last_tick_value (plot), <=, 10);
  g_assert_cmpfloat (last_tick_value (plot), >=, 8);

  /* Space or Enter on the focused entry: what gtk_widget_activate() does */
  g_assert_true (gtk_widget_activate (toggle));
  fw_test_wait_until ((FwTestPredicate) gtk_toggle_button_get_active, toggle, "shown again");
  settle (fixture->widget);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (toggle), ==, "Hide cpu0 usage");
  g_assert_cmpuint (count_pixels_near (fixture->widget, big_color), >, 300);
  g_assert_cmpfloat (last_tick_value (plot), >=, 90);

  /* Hidden stays hidden when the window puts the series back (feeds re-listed) */
  fw_plot_set_series_visible (plot, small, FALSE);
  fw_plot_remove_series (plot, small);
  fw_plot_add_series (plot, small);
  settle (fixture->widget);
  g_assert_nonnull (find_button_by_tooltip (fixture->widget, "Show cpu1 usage"));
}

/* Over the plot, the readout gives each series' nearest reading and its time, written as the
 * list writes values; it goes when the pointer leaves. */
static void
test_plot_hover_readout (Fixture       *fixture,
                         gconstpointer  data)
{
  FwPlot *plot = FW_PLOT (fixture->widget);
  g_autoptr(FwSeries) fan = fw_series_new ("fan", "RPM");
  g_autoptr(FwSeries) temp = fw_series_new ("cpu temp", "°C");
  g_autofree char *text = NULL;
  g_autofree char *want_fan = NULL, *want_temp = NULL, *fan_value = NULL, *temp_value = NULL;
  g_autofree char *clock = NULL;
  g_autoptr(GDateTime) when = NULL;
  gint64 at, nearest;
  double x, y;
  NodeCounts hovered, left;

  /* a reading every 2 s over the last minute: fan 1000 + seconds, temp 40 + seconds / 10 */
  for (gint64 s = 60; s >= 0; s -= 2)
    {
      fw_series_append (fan, T_END - s * SEC, 1000 + (60 - s));
      fw_series_append (temp, T_END - s * SEC, 40 + (60 - s) / 10.0);
    }
  fw_plot_set_window_minutes (plot, 1);
  fw_plot_set_end_time (plot, T_END);
  fw_plot_add_series (plot, fan);
  fw_plot_add_series (plot, temp);
  settle (fixture->widget);
  g_assert_null (_fw_plot_dup_readout_text (plot));

  /* A third of the way along the plot */
  x = plot->plot_x0 + (plot->plot_x1 - plot->plot_x0) / 3;
  y = (plot->plot_y0 + plot->plot_y1) / 2;
  move_pointer (fixture->widget, TRUE, x, y);
  settle (fixture->widget);

  at = plot->frame_start + (gint64) ((x - plot->plot_x0) * plot->frame_col_us);
  nearest = T_END - 60 * SEC + (at - (T_END - 60 * SEC) + SEC) / (2 * SEC) * 2 * SEC;
  fan_value = fw_units_format (1000 + (nearest - (T_END - 60 * SEC)) / SEC, "RPM");
  temp_value = fw_units_format (40 + (nearest - (T_END - 60 * SEC)) / SEC / 10.0, "°C");
  when = g_date_time_new_from_unix_local (nearest / SEC);
  clock = g_date_time_format (when, "%H:%M:%S");
  want_fan = g_strdup_printf ("\nfan: %s at %s", fan_value, clock);
  want_temp = g_strdup_printf ("\ncpu temp: %s at %s", temp_value, clock);

  text = _fw_plot_dup_readout_text (plot);
  g_test_message ("readout: %s", text);
  g_assert_nonnull (text);
  g_assert_nonnull (strstr (text, want_fan));
  g_assert_nonnull (strstr (text, want_temp));
  g_assert_true (gtk_widget_get_mapped (plot->readout));
  /* the marker and a dot on each line are drawn (they go with the pointer, below) */
  hovered = render_counts (fixture->widget);

  /* A hidden series is not read */
  fw_plot_set_series_visible (plot, temp, FALSE);
  g_clear_pointer (&text, g_free);
  text = _fw_plot_dup_readout_text (plot);
  g_assert_null (strstr (text, "cpu temp"));
  g_assert_nonnull (strstr (text, want_fan));

  move_pointer (fixture->widget, FALSE, 0, 0);
  settle (fixture->widget);
  g_assert_null (_fw_plot_dup_readout_text (plot));
  g_assert_false (gtk_widget_get_visible (plot->readout));
  fw_plot_set_series_visible (plot, temp, TRUE);
  left = render_counts (fixture->widget);
  g_assert_cmpuint (hovered.n_color, >=, left.n_color + 3);
  g_assert_cmpuint (hovered.n_text, >, left.n_text);
}

/* Paused, Left goes back by a tenth of the window, and the pointer drags the window; new
 * readings do not move it nor draw anything; "Back to Live" follows the clock again. */
static void
test_plot_pause_and_scroll_back (Fixture       *fixture,
                                 gconstpointer  data)
{
  FwPlot *plot = FW_PLOT (fixture->widget);
  g_autoptr(FwSeries) series = fw_series_new ("fan", "RPM");
  g_autoptr(GListModel) controllers = NULL;
  GtkWidget *pause, *live;
  FrameCount count = { 0 };
  guint hook_id, tick_id, renders;
  gint64 now = g_get_real_time (), paused_at, end;
  g_autofree char *legend_before = NULL, *legend_after = NULL;

  /* ten minutes of readings, one every 2 s */
  for (gint64 t = now - 10 * MIN_US; t <= now; t += 2 * SEC)
    fw_series_append (series, t, 1000 + (t - now) / SEC);
  fw_plot_set_window_minutes (plot, 1);
  fw_plot_add_series (plot, series);
  settle (fixture->widget);

  pause = find_button_by_tooltip (fixture->widget, "Pause the Plot");
  g_assert_nonnull (pause);
  g_assert_null (find_button_by_tooltip (fixture->widget, "Follow New Readings Again"));
  g_signal_emit_by_name (pause, "clicked");
  g_assert_true (fw_plot_get_paused (plot));
  paused_at = fw_plot_get_end_time (plot);
  g_assert_cmpint (paused_at, >=, now);
  settle (fixture->widget);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (pause), ==, "Resume the Plot");
  live = find_button_by_tooltip (fixture->widget, "Follow New Readings Again");
  g_assert_nonnull (live);

  /* Left, as the key controller gets it: back 6 s (a tenth of a minute) */
  gtk_widget_grab_focus (fixture->widget);
  controllers = gtk_widget_observe_controllers (fixture->widget);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);
      gboolean handled = FALSE;

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        {
          g_signal_emit_by_name (controller, "key-pressed", GDK_KEY_Left, 0, 0, &handled);
          g_assert_true (handled);
        }
      else if (GTK_IS_EVENT_CONTROLLER_SCROLL (controller))
        {
          /* two notches of the wheel up: back 6 s, then down: forward again */
          g_signal_emit_by_name (controller, "scroll", 0.0, -2.0, &handled);
          g_assert_true (handled);
          g_signal_emit_by_name (controller, "scroll", 0.0, 2.0, &handled);
          g_assert_true (handled);
        }
    }
  g_assert_cmpint (fw_plot_get_end_time (plot), ==, paused_at - 6 * SEC);

  /* Page Up: a whole window further back; the legend's figures follow */
  legend_before = fw_plot_dup_legend_text (plot);
  fw_plot_scroll_by (plot, -MIN_US);
  end = fw_plot_get_end_time (plot);
  g_assert_cmpint (end, ==, paused_at - 6 * SEC - MIN_US);
  legend_after = fw_plot_dup_legend_text (plot);
  g_assert_cmpstr (legend_before, !=, legend_after);

  /* Not beyond the oldest reading kept, nor past now */
  fw_plot_scroll_by (plot, -60 * MIN_US);
  g_assert_cmpint (fw_plot_get_end_time (plot), ==, now - 10 * MIN_US + MIN_US);
  fw_plot_scroll_by (plot, 60 * MIN_US);
  g_assert_cmpint (fw_plot_get_end_time (plot), <=, g_get_real_time ());
  g_assert_cmpint (fw_plot_get_end_time (plot), >=, paused_at);
  fw_plot_scroll_by (plot, end - fw_plot_get_end_time (plot));
  g_assert_cmpint (fw_plot_get_end_time (plot), ==, end);
  settle (fixture->widget);

  /* GTK hides the focus ring 3 s after the last key press, a frame not of the plot's making:
   * hidden now, before counting */
  gtk_window_set_focus_visible (GTK_WINDOW (gtk_widget_get_root (fixture->widget)), FALSE);
  settle (fixture->widget);

  /* New readings: the shown range stays, and nothing is drawn for them. First the window's own
   * transitions (the buttons that pausing changed) run out: five frames in a row draw nothing. */
  hook_id = watch_frames (fixture->widget, &count, &tick_id);
  for (guint quiet = 0, i = 0; quiet < 5; i++)
    {
      renders = count.renders;
      pass_frames (&count, 1);
      quiet = count.renders == renders ? quiet + 1 : 0;
      g_assert_cmpuint (i, <, 600);
    }
  renders = count.renders;
  for (int i = 0; i < 20; i++)
    fw_series_append (series, g_get_real_time (), 5000);
  fw_test_iterate_idle ();
  pass_frames (&count, 3);
  g_assert_cmpuint (count.renders, ==, renders);
  g_assert_cmpint (fw_plot_get_end_time (plot), ==, end);
  g_clear_pointer (&legend_before, g_free);
  legend_before = fw_plot_dup_legend_text (plot);
  g_assert_cmpstr (legend_before, ==, legend_after);
  unwatch_frames (fixture->widget, hook_id, tick_id);

  /* Back to live */
  g_signal_emit_by_name (live, "clicked");
  g_assert_false (fw_plot_get_paused (plot));
  g_assert_cmpint (fw_plot_get_end_time (plot), ==, 0);
  settle (fixture->widget);
  g_assert_false (gtk_widget_get_mapped (live));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (pause)));
}

/* ---- in the window ----------------------------------------------------------------------- */

static GSettings *settings;

static void
reset_settings (void)
{
  const char *none[] = { NULL };

  g_settings_set_strv (settings, "feeds", none);
  g_settings_set_strv (settings, "feed-names", none);
  g_settings_set_boolean (settings, "first-run", FALSE);
  g_settings_reset (settings, "plot-feed-series");
}

/* @n readings of each (name, value, unit), a second apart, ending now */
static GPtrArray *
make_readings (const char         *feed,
               const char * const *names,
               const double       *values,
               const char * const *units,
               guint               n)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  GRefString *feed_name = fw_ref_string_intern (feed);
  gint64 now = g_get_real_time ();

  for (guint i = 0; i < n; i++)
    for (guint k = 0; names[k] != NULL; k++)
      g_ptr_array_add (items, fw_item_new_reading (feed_name, now - (n - 1 - i) * SEC, names[k],
                                                   values[k], units[k]));
  g_ref_string_release (feed_name);

  return items;
}

static FwPlot *
window_plot (FwWindow *window)
{
  GtkWidget *plot = fw_test_ui_find_widget (GTK_WIDGET (window), FW_TYPE_PLOT);

  g_assert_nonnull (plot);
  return FW_PLOT (plot);
}

/* The list's value cells, the plot's readout, its legend and its axis write a reading the
 * same way, for °C, RPM and bytes: one formatter (fw_units_format()) */
static void
test_plot_list_and_readout_agree (void)
{
  static const char * const names[] = { "cpu temp", "fan", "mem used", NULL };
  static const double values[] = { 55.25, 2400, 25276182528 };
  static const char * const units[] = { "°C", "RPM", "B", NULL };
  FwWindow *window;
  FwPlot *plot;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *readout = NULL;
  g_autofree char *legend = NULL;
  g_auto(GStrv) ticks = NULL;
  guint n_checked = 0;

  reset_settings ();
  window = fw_test_ui_open_window ();
  fw_test_ui_add_items (window, "test:machine", make_readings ("test:machine", names, values,
                                                               units, 30));
  g_assert_true (fw_test_ui_activate_sidebar_row (window, "test:machine"));
  fw_test_ui_settle (window);
  plot = window_plot (window);
  g_assert_cmpuint (fw_plot_get_n_series (plot), ==, 3);
  settle (GTK_WIDGET (plot));

  move_pointer (GTK_WIDGET (plot), TRUE, plot->plot_x1 - 2, (plot->plot_y0 + plot->plot_y1) / 2);
  settle (GTK_WIDGET (plot));
  readout = _fw_plot_dup_readout_text (plot);
  legend = fw_plot_dup_legend_text (plot);
  g_test_message ("readout: %s", readout);
  g_assert_nonnull (readout);

  /* Each reading's text in the list is in the readout and the legend, word for word */
  rows = fw_test_ui_read_rows (window);
  for (guint i = 0; i < rows->len; i++)
    {
      g_autofree char *line = fw_test_ui_row_to_string (g_ptr_array_index (rows, i));

      for (guint k = 0; names[k] != NULL; k++)
        {
          g_autofree char *cell = g_strdup_printf ("%s = ", names[k]);
          const char *at = strstr (line, cell);
          g_autofree char *value = NULL;
          g_autofree char *in_readout = NULL;
          g_autofree char *in_legend = NULL;
          g_autofree char *direct = NULL;
          const char *end;

          if (at == NULL)
            continue;
          at += strlen (cell);
          end = strstr (at, " | ");
          value = end != NULL ? g_strndup (at, end - at) : g_strdup (at);
          direct = fw_units_format (values[k], units[k]);
          g_assert_cmpstr (value, ==, direct);
          in_readout = g_strdup_printf ("%s: %s at ", names[k], value);
          in_legend = g_strdup_printf ("max %s", value);
          g_assert_nonnull (strstr (readout, in_readout));
          g_assert_nonnull (strstr (legend, in_legend));
          n_checked++;
        }
    }
  g_assert_cmpuint (n_checked, >=, 3);
  g_assert_nonnull (strstr (readout, "cpu temp: 55.2 °C at "));
  g_assert_nonnull (strstr (readout, "fan: 2400 RPM at "));
  g_assert_nonnull (strstr (readout, "mem used: 25.3 GB at "));

  /* and the axes write their units as the list does */
  ticks = _fw_plot_dup_tick_labels (plot);
  for (guint i = 0; ticks[i] != NULL; i++)
    g_assert_true (g_str_has_suffix (ticks[i], " °C") || g_str_has_suffix (ticks[i], " RPM") ||
                   g_str_has_suffix (ticks[i], " GB"));

  fw_test_ui_close_window (window);
}

/* The window's Space pauses the plot with the list */
static void
test_plot_window_pause (void)
{
  static const char * const names[] = { "fan", NULL };
  static const double values[] = { 2400 };
  static const char * const units[] = { "RPM", NULL };
  FwWindow *window;
  FwPlot *plot;

  reset_settings ();
  window = fw_test_ui_open_window ();
  fw_test_ui_add_items (window, "test:fans", make_readings ("test:fans", names, values, units, 5));
  g_assert_true (fw_test_ui_activate_sidebar_row (window, "test:fans"));
  fw_test_ui_settle (window);
  plot = window_plot (window);

  g_assert_false (fw_plot_get_paused (plot));
  g_action_activate (g_action_map_lookup_action (G_ACTION_MAP (window), "pause-view"), NULL);
  fw_test_ui_settle (window);
  g_assert_true (fw_plot_get_paused (plot));
  g_action_activate (g_action_map_lookup_action (G_ACTION_MAP (window), "pause-view"), NULL);
  fw_test_ui_settle (window);
  g_assert_false (fw_plot_get_paused (plot));

  fw_test_ui_close_window (window);
}

/* The label and target of the add menu's item for @label, or %FALSE */
static gboolean
find_menu_item (GMenuModel  *menu,
                const char  *label,
                GVariant   **target)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *item_label = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      if (section != NULL && find_menu_item (section, label, target))
        return TRUE;
      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &item_label) &&
          g_str_equal (item_label, label))
        {
          *target = g_menu_model_get_item_attribute_value (menu, i, G_MENU_ATTRIBUTE_TARGET,
                                                           NULL);
          return TRUE;
        }
    }

  return FALSE;
}

/* CPU temperature beside fan speed: "Add a Series from Another Feed" lists the other feeds'
 * series; the chosen one is drawn with its feed's name, kept for this feed (across launches
 * too), and removable. */
static void
test_plot_series_from_another_feed (void)
{
  static const char * const temp_names[] = { "cpu temp", NULL };
  static const double temp_values[] = { 55 };
  static const char * const temp_units[] = { "°C", NULL };
  static const char * const fan_names[] = { "fan", NULL };
  static const double fan_values[] = { 2400 };
  static const char * const fan_units[] = { "RPM", NULL };
  FwWindow *window;
  FwPlot *plot;
  GtkWidget *add, *remove;
  GMenuModel *menu;
  g_autoptr(GVariant) target = NULL;
  g_autofree char *legend = NULL;
  g_autofree char *readout = NULL;

  reset_settings ();
  window = fw_test_ui_open_window ();
  fw_test_ui_add_items (window, "test:temps",
                        make_readings ("test:temps", temp_names, temp_values, temp_units, 20));
  fw_test_ui_add_items (window, "test:fans",
                        make_readings ("test:fans", fan_names, fan_values, fan_units, 20));
  g_assert_true (fw_test_ui_activate_sidebar_row (window, "test:temps"));
  fw_test_ui_settle (window);
  plot = window_plot (window);
  g_assert_cmpuint (fw_plot_get_n_series (plot), ==, 1);

  add = find_button_by_tooltip (GTK_WIDGET (plot), "Add a Series from Another Feed…");
  g_assert_nonnull (add);
  gtk_menu_button_popup (GTK_MENU_BUTTON (add));
  fw_test_ui_settle (window);
  menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (add));
  g_assert_nonnull (menu);
  /* not the feed shown, nor what is on the plot */
  g_assert_false (find_menu_item (menu, "cpu temp (°C)", &target));
  g_assert_true (find_menu_item (menu, "fan (RPM)", &target));
  gtk_menu_button_popdown (GTK_MENU_BUTTON (add));
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (plot), "plot.add-series",
                                                     target));
  fw_test_ui_settle (window);

  g_assert_cmpuint (fw_plot_get_n_series (plot), ==, 2);
  legend = fw_plot_dup_legend_text (plot);
  g_assert_nonnull (strstr (legend, "cpu temp (°C): "));
  g_assert_nonnull (strstr (legend, "test:fans — fan (RPM): "));
  settle (GTK_WIDGET (plot));
  g_assert_nonnull (find_button_by_tooltip (GTK_WIDGET (plot), "Hide test:fans — fan"));
  move_pointer (GTK_WIDGET (plot), TRUE, plot->plot_x1 - 2, (plot->plot_y0 + plot->plot_y1) / 2);
  readout = _fw_plot_dup_readout_text (plot);
  g_assert_nonnull (strstr (readout, "test:fans — fan: 2400 RPM at "));
  g_assert_nonnull (strstr (readout, "cpu temp: 55.0 °C at "));
  move_pointer (GTK_WIDGET (plot), FALSE, 0, 0);

  /* Another feed shown: its own series only; back: the added one again */
  g_assert_true (fw_test_ui_activate_sidebar_row (window, "test:fans"));
  fw_test_ui_settle (window);
  g_assert_cmpuint (fw_plot_get_n_series (plot), ==, 1);
  g_clear_pointer (&legend, g_free);
  legend = fw_plot_dup_legend_text (plot);
  g_assert_true (g_str_has_prefix (legend, "fan (RPM): "));
  g_assert_true (fw_test_ui_activate_sidebar_row (window, "test:temps"));
  fw_test_ui_settle (window);
  g_assert_cmpuint (fw_plot_get_n_series (plot), ==, 2);

  /* Kept across launches: a new window, its feeds' readings coming again, has it back */
  fw_test_ui_close_window (window);
  window = fw_test_ui_open_window ();
  fw_test_ui_add_items (window, "test:temps",
                        make_readings ("test:temps", temp_names, temp_values, temp_units, 20));
  fw_test_ui_add_items (window, "test:fans",
                        make_readings ("test:fans", fan_names, fan_values, fan_units, 20));
  g_assert_true (fw_test_ui_activate_sidebar_row (window, "test:temps"));
  fw_test_ui_settle (window);
  plot = window_plot (window);
  g_assert_cmpuint (fw_plot_get_n_series (plot), ==, 2);
  g_clear_pointer (&legend, g_free);
  legend = fw_plot_dup_legend_text (plot);
  g_assert_nonnull (strstr (legend, "test:fans — fan (RPM): "));

  /* Removed with its entry's button: gone, and not back next time */
  settle (GTK_WIDGET (plot));
  remove = find_button_by_tooltip (GTK_WIDGET (plot), "Remove test:fans — fan from the Plot");
  g_assert_nonnull (remove);
  g_signal_emit_by_name (remove, "clicked");
  fw_test_ui_settle (window);
  g_assert_cmpuint (fw_plot_get_n_series (plot), ==, 1);
  g_assert_true (fw_test_ui_activate_sidebar_row (window, "test:fans"));
  fw_test_ui_settle (window);
  g_assert_true (fw_test_ui_activate_sidebar_row (window, "test:temps"));
  fw_test_ui_settle (window);
  g_assert_cmpuint (fw_plot_get_n_series (plot), ==, 1);
  /* and not at the next launch either */
  fw_test_ui_close_window (window);
  window = fw_test_ui_open_window ();
  fw_test_ui_add_items (window, "test:temps",
                        make_readings ("test:temps", temp_names, temp_values, temp_units, 20));
  fw_test_ui_add_items (window, "test:fans",
                        make_readings ("test:fans", fan_names, fan_values, fan_units, 20));
  g_assert_true (fw_test_ui_activate_sidebar_row (window, "test:temps"));
  fw_test_ui_settle (window);
  g_assert_cmpuint (fw_plot_get_n_series (window_plot (window)), ==, 1);

  fw_test_ui_close_window (window);
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
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  settings = g_settings_new (APP_ID);

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

  g_test_add ("/plot/color-follows-name", Fixture, NULL,
              fixture_set_up, test_plot_color_follows_name, fixture_tear_down);
  g_test_add ("/plot/legend-hides-series", Fixture, NULL,
              fixture_set_up, test_plot_legend_hides_series, fixture_tear_down);
  g_test_add ("/plot/hover-readout", Fixture, NULL,
              fixture_set_up, test_plot_hover_readout, fixture_tear_down);
  g_test_add ("/plot/pause-and-scroll-back", Fixture, NULL,
              fixture_set_up, test_plot_pause_and_scroll_back, fixture_tear_down);
  g_test_add_func ("/plot/window/list-and-readout-agree", test_plot_list_and_readout_agree);
  g_test_add_func ("/plot/window/space-pauses-the-plot", test_plot_window_pause);
  g_test_add_func ("/plot/window/series-from-another-feed", test_plot_series_from_another_feed);

  status = g_test_run ();
  g_object_unref (settings);

  return status;
}
