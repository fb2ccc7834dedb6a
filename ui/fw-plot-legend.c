/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-plot-legend.c: FwPlot's legend, over the plot: each series' colour, name and unit, and its
 * min, average and max over the window, in the units' prefixes (fw-units.h). The same text is
 * what fw_plot_dup_legend_text() gives. */

#include "config.h"

#include <math.h>

#include "fw-plot-private.h"
#include "fw-units.h"

#define LEGEND_SWATCH   12.0
#define LEGEND_SPACING  18.0

static char *
format_stats (const FwPlotSeries *ps)
{
  const char *unit = fw_series_get_unit (ps->series);
  g_autofree char *min = NULL;
  g_autofree char *avg = NULL;
  g_autofree char *max = NULL;

  if (ps->stats.count == 0)
    return g_strdup ("no data");

  min = fw_units_format (ps->stats.min, unit);
  avg = fw_units_format (ps->stats.avg, unit);
  max = fw_units_format (ps->stats.max, unit);

  return g_strdup_printf ("min %s · avg %s · max %s", min, avg, max);
}

/* The legend flows left to right and wraps; returns its height. */
double
_fw_plot_snapshot_legend (FwPlot        *self,
                          GtkSnapshot   *snapshot,
                          double         width,
                          gboolean       dark,
                          const GdkRGBA *fg)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GdkRGBA dim = _fw_plot_with_alpha (fg, 0.7);
  double x = FW_PLOT_PAD, y = FW_PLOT_PAD, row_h = 0;

  for (guint i = 0; i < self->series->len; i++)
    {
      FwPlotSeries *ps = g_ptr_array_index (self->series, i);
      const char *unit = fw_series_get_unit (ps->series);
      g_autofree char *name = unit[0] != '\0'
        ? g_strdup_printf ("%s (%s)", fw_series_get_name (ps->series), unit)
        : g_strdup (fw_series_get_name (ps->series));
      g_autofree char *stats = format_stats (ps);
      g_autoptr(PangoLayout) name_layout = _fw_plot_make_layout (widget, name, FALSE, TRUE);
      g_autoptr(PangoLayout) stats_layout = _fw_plot_make_layout (widget, stats, FALSE, FALSE);
      double nw, nh, sw, sh, item_w;
      GdkRGBA color;

      _fw_plot_layout_size (name_layout, &nw, &nh);
      _fw_plot_layout_size (stats_layout, &sw, &sh);
      item_w = LEGEND_SWATCH + 6 + nw + 8 + sw;

      if (x > FW_PLOT_PAD && x + item_w > width - FW_PLOT_PAD)
        {
          x = FW_PLOT_PAD;
          y += row_h + 2;
          row_h = 0;
        }
      row_h = MAX (row_h, MAX (nh, sh));

      _fw_plot_get_series_color (ps->color, dark, &color);
      gtk_snapshot_append_color (snapshot, &color,
                                 &GRAPHENE_RECT_INIT (x, y + round ((nh - 4) / 2),
                                                      LEGEND_SWATCH, 4));
      _fw_plot_draw_layout (snapshot, name_layout, x + LEGEND_SWATCH + 6, y, fg);
      _fw_plot_draw_layout (snapshot, stats_layout, x + LEGEND_SWATCH + 6 + nw + 8, y, &dim);
      x += item_w + LEGEND_SPACING;
    }

  return y + row_h - FW_PLOT_PAD;
}

/**
 * fw_plot_dup_legend_text:
 *
 * The legend as drawn for the current window, one line per series:
 * "Name (unit): min … · avg … · max …".
 *
 * Returns: (transfer full): the legend text
 */
char *
fw_plot_dup_legend_text (FwPlot *self)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (FW_IS_PLOT (self), NULL);

  _fw_plot_update_stats (self, _fw_plot_window_end (self));
  for (guint i = 0; i < self->series->len; i++)
    {
      FwPlotSeries *ps = g_ptr_array_index (self->series, i);
      const char *unit = fw_series_get_unit (ps->series);
      g_autofree char *stats = format_stats (ps);

      if (i > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, fw_series_get_name (ps->series));
      if (unit[0] != '\0')
        g_string_append_printf (text, " (%s)", unit);
      g_string_append_printf (text, ": %s", stats);
    }

  return g_string_free (text, FALSE);
}
