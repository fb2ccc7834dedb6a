/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-plot-draw.c: one frame of FwPlot. The legend's entries on top (widgets, fw-plot-legend.c),
 * the plot below them between its value axes (fw-plot-axes.c), each shown series' average as a
 * line over its min..max spread; the pointer's marker and readout over it.
 *
 * Every frame asks each series for one (min, max, avg) column per pixel of plot width:
 * FwSeries answers from its decimation levels, so a frame costs O(width x series) whatever
 * the history. A column without data breaks the line when the gap is long for that series.
 *
 * The window ends at "now" (or a fixed end time) rounded up to a whole column, so columns
 * stay put between frames and the picture shifts by whole pixels; a timer redraws when the
 * next column starts. */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "fw-plot-private.h"

/* GNOME palette: darker shades on light backgrounds, lighter ones on dark. */
static const char * const palette_light[] = {
  "#1c71d8", "#e66100", "#26a269", "#9141ac", "#c01c28", "#865e3c",
};
static const char * const palette_dark[] = {
  "#62a0ea", "#ffa348", "#57e389", "#c061cb", "#f66151", "#cdab8f",
};
G_STATIC_ASSERT (G_N_ELEMENTS (palette_light) == FW_PLOT_N_COLORS);
G_STATIC_ASSERT (G_N_ELEMENTS (palette_dark) == FW_PLOT_N_COLORS);

/* ---- text and colour --------------------------------------------------------------------- */

PangoLayout *
_fw_plot_make_layout (GtkWidget  *widget,
                      const char *text,
                      gboolean    small,
                      gboolean    bold)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
  PangoAttrList *attrs = pango_attr_list_new ();

  /* Tabular figures: numbers that change every frame must not make the text dance. */
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum"));
  if (small)
    pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
  if (bold)
    pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);

  return layout;
}

void
_fw_plot_draw_layout (GtkSnapshot   *snapshot,
                      PangoLayout   *layout,
                      double         x,
                      double         y,
                      const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (round (x), round (y)));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

void
_fw_plot_layout_size (PangoLayout *layout,
                      double      *width,
                      double      *height)
{
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  if (width != NULL)
    *width = w;
  if (height != NULL)
    *height = h;
}

GdkRGBA
_fw_plot_with_alpha (const GdkRGBA *color,
                     double         alpha)
{
  GdkRGBA c = *color;

  c.alpha *= alpha;
  return c;
}

void
_fw_plot_get_series_color (guint    index,
                           gboolean dark,
                           GdkRGBA *color)
{
  gdk_rgba_parse (color, (dark ? palette_dark : palette_light)[index % FW_PLOT_N_COLORS]);
}

/* ---- a frame ----------------------------------------------------------------------------- */

static void
draw_centered_message (GtkWidget             *widget,
                       GtkSnapshot           *snapshot,
                       const graphene_rect_t *area,
                       const char            *title,
                       const char            *subtitle,
                       const GdkRGBA         *fg)
{
  g_autoptr(PangoLayout) title_layout = _fw_plot_make_layout (widget, title, FALSE, TRUE);
  g_autoptr(PangoLayout) sub_layout = _fw_plot_make_layout (widget, subtitle, TRUE, FALSE);
  double tw, th, sw, sh, y;
  GdkRGBA dim = _fw_plot_with_alpha (fg, 0.55);

  _fw_plot_layout_size (title_layout, &tw, &th);
  _fw_plot_layout_size (sub_layout, &sw, &sh);
  y = area->origin.y + (area->size.height - th - sh - 4) / 2;
  _fw_plot_draw_layout (snapshot, title_layout, area->origin.x + (area->size.width - tw) / 2, y,
                        &dim);
  _fw_plot_draw_layout (snapshot, sub_layout, area->origin.x + (area->size.width - sw) / 2,
                        y + th + 4, &dim);
}

static void
draw_series (FwPlot                *self,
             cairo_t               *cr,
             const FwPlotSeries    *ps,
             const FwPlotUnitGroup *g,
             gboolean               dark,
             double                 x0,
             double                 y0,
             double                 y1,
             gint64                 col_us)
{
  GdkRGBA color;
  guint max_gap = 2;
  int last = -1;

  _fw_plot_get_series_color (ps->color, dark, &color);

  /* How many empty columns still count as "between two readings" rather than a gap: three
   * mean intervals of this series in the window. */
  if (ps->stats.count > 1)
    {
      double interval = (double) _fw_plot_window_span (self) / ps->stats.count;

      max_gap = MAX (2, (guint) ceil (3.0 * interval / col_us));
    }

  /* The min..max spread of each column, faintly. */
  for (guint i = 0; i < ps->n_columns; i++)
    {
      const FwSeriesColumn *c = &ps->columns[i];
      double ya, yb;

      if (c->count == 0 || c->max <= c->min)
        continue;
      ya = _fw_plot_value_to_y (g, c->max, y0, y1);
      yb = _fw_plot_value_to_y (g, c->min, y0, y1);
      if (yb - ya >= 1.0)
        cairo_rectangle (cr, x0 + i, ya, 1, yb - ya);
    }
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, dark ? 0.28 : 0.22);
  cairo_fill (cr);

  /* The averages as a line, broken at gaps; lone readings as dots. */
  cairo_set_line_width (cr, 1.5);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (guint i = 0; i < ps->n_columns; i++)
    {
      const FwSeriesColumn *c = &ps->columns[i];
      double x = x0 + i + 0.5, y;

      if (c->count == 0)
        continue;
      y = _fw_plot_value_to_y (g, c->avg, y0, y1);
      if (last >= 0 && i - last <= max_gap)
        cairo_line_to (cr, x, y);
      else
        cairo_move_to (cr, x, y);
      last = i;
    }
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, 1.0);
  cairo_stroke (cr);

  last = -1;
  for (guint i = 0; i < ps->n_columns; i++)
    {
      const FwSeriesColumn *c = &ps->columns[i];
      gboolean joined_before, joined_after = FALSE;

      if (c->count == 0)
        continue;
      joined_before = last >= 0 && i - last <= max_gap;
      for (guint j = i + 1; j < ps->n_columns && j - i <= max_gap; j++)
        {
          if (ps->columns[j].count > 0)
            {
              joined_after = TRUE;
              break;
            }
        }
      if (!joined_before && !joined_after)
        {
          cairo_new_sub_path (cr);
          cairo_arc (cr, x0 + i + 0.5, _fw_plot_value_to_y (g, c->avg, y0, y1), 2.5, 0, 2 * G_PI);
        }
      last = i;
    }
  cairo_fill (cr);
}

void
_fw_plot_snapshot (GtkWidget   *widget,
                   GtkSnapshot *snapshot)
{
  FwPlot *self = FW_PLOT (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  gint64 span = _fw_plot_window_span (self);
  gint64 end = _fw_plot_window_end (self);
  gint64 col_us, end_aligned, start;
  g_autoptr(GArray) groups = NULL;
  g_autoptr(PangoLayout) probe = NULL;
  double legend_h, small_h, x0, x1, y0, y1, left_w = 0, right_w = 0;
  guint n_axes = 0, n_cols;
  gboolean any_data = FALSE, dark;
  GdkRGBA fg;
  cairo_t *cr;

  dark = _fw_plot_is_dark (self, &fg);
  self->frame_col_us = 0;

  if (self->series->len == 0)
    {
      draw_centered_message (widget, snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height),
                             _("No Readings"), _("Numeric feeds are plotted here"), &fg);
      return;
    }

  _fw_plot_update_stats (self, end);
  legend_h = self->header_h - FW_PLOT_PAD;
  gtk_widget_snapshot_child (widget, self->controls, snapshot);
  for (guint i = 0; i < self->series->len; i++)
    gtk_widget_snapshot_child (widget,
                               ((FwPlotSeries *) g_ptr_array_index (self->series, i))->entry,
                               snapshot);
  _fw_plot_snapshot_swatches (self, snapshot, dark);

  probe = _fw_plot_make_layout (widget, "0", TRUE, FALSE);
  _fw_plot_layout_size (probe, NULL, &small_h);

  /* Room above the plot for half of the top tick label. */
  y0 = round (FW_PLOT_PAD + legend_h + 10 + small_h / 2);
  y1 = height - FW_PLOT_PAD - small_h - 3;
  if (y1 - y0 < 20)
    return;

  groups = _fw_plot_group_units (self, &any_data);
  _fw_plot_measure_axes (self, groups, y1 - y0, &left_w, &right_w, &n_axes);

  x0 = floor (FW_PLOT_PAD + left_w);
  x1 = floor (width - FW_PLOT_PAD - MAX (right_w, 12.0));   /* room for "now" to end in */
  n_cols = x1 > x0 ? (guint) (x1 - x0) : 0;
  if (n_cols < 2)
    return;

  /* Whole columns: a column keeps its content until new data lands in it. */
  col_us = MAX (span / n_cols, 1);
  end_aligned = (end / col_us + 1) * col_us;
  start = end_aligned - col_us * n_cols;

  self->plot_x0 = x0, self->plot_x1 = x1, self->plot_y0 = y0, self->plot_y1 = y1;
  self->frame_start = start;
  self->frame_col_us = col_us;
  self->shown_end_us = end_aligned;

  for (guint i = 0; i < self->series->len; i++)
    {
      FwPlotSeries *ps = g_ptr_array_index (self->series, i);

      if (!_fw_plot_series_visible (ps))
        continue;
      if (ps->n_columns != n_cols)
        {
          ps->columns = g_renew (FwSeriesColumn, ps->columns, n_cols);
          ps->n_columns = n_cols;
        }
      fw_series_get_columns (ps->series, start, end_aligned, n_cols, ps->columns);
    }

  _fw_plot_snapshot_grid (groups, snapshot, x0, x1, y0, y1, &fg);
  _fw_plot_snapshot_time_axis (self, snapshot, x0, x1, y0, y1, &fg);
  _fw_plot_snapshot_value_axes (self, snapshot, groups, n_axes, dark, x0, x1, y0, y1, &fg);

  if (!any_data)
    {
      g_autofree char *subtitle = g_strdup_printf (ngettext ("Nothing in the last %u minute",
                                                             "Nothing in the last %u minutes",
                                                             self->window_minutes),
                                                   self->window_minutes);

      draw_centered_message (widget, snapshot, &GRAPHENE_RECT_INIT (x0, y0, x1 - x0, y1 - y0),
                             _("No Data"), subtitle, &fg);
      return;
    }

  /* A little wider than the plot: a line at the top or bottom keeps its full width. */
  cr = gtk_snapshot_append_cairo (snapshot,
                                  &GRAPHENE_RECT_INIT (x0, y0 - 3, x1 - x0 + 3, y1 - y0 + 6));
  for (guint i = 0; i < self->series->len; i++)
    {
      FwPlotSeries *ps = g_ptr_array_index (self->series, i);
      const FwPlotUnitGroup *g = &g_array_index (groups, FwPlotUnitGroup, ps->group);

      if (ps->stats.count > 0 && _fw_plot_series_visible (ps))
        draw_series (self, cr, ps, g, dark, x0, y0, y1, col_us);
    }
  cairo_destroy (cr);

  _fw_plot_snapshot_marker (self, snapshot, groups, dark);

  /* Live: redraw when the next column starts, whether or not data comes. */
  _fw_plot_schedule_redraw (self, end_aligned);
}
