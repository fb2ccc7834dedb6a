/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-plot-axes.c: FwPlot's axes.
 *
 * Series are grouped by unit. The first unit gets the left axis (and the grid), the second the
 * right axis, a third and a fourth get a second axis outside the first two. Axis labels take
 * the series' colour when their unit has a single series, so it is clear which axis reads which
 * line. Beyond four units, a group has no axis and is scaled to the plot height; its legend
 * entry still gives its values with their unit. Tick labels carry their unit and the legend's
 * prefixes ("20 GB", fw-units.h), so no label is needed over an axis.
 *
 * The time axis counts back from "now" at the right edge, in steps that leave room for their
 * labels. */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "fw-plot-private.h"
#include "fw-units.h"

#define AXIS_GAP        6.0
#define AXIS_SPACING    10.0
#define MAX_AXES        4
#define MIN_TICK_SPACE  44.0
#define MIN_TIME_SPACE  80.0

static double
nice_step (double raw)
{
  double mag, norm;

  if (!(raw > 0) || !isfinite (raw))
    return 1.0;

  mag = pow (10.0, floor (log10 (raw)));
  norm = raw / mag;
  if (norm <= 1.0)
    return mag;
  if (norm <= 2.0)
    return 2.0 * mag;
  if (norm <= 2.5)
    return 2.5 * mag;
  if (norm <= 5.0)
    return 5.0 * mag;
  return 10.0 * mag;
}

static void
unit_group_clear (gpointer data)
{
  FwPlotUnitGroup *g = data;

  g_clear_pointer (&g->labels, g_ptr_array_unref);
}

/**
 * _fw_plot_group_units:
 * @any_data: (out): set when a series has data in the window
 *
 * Groups the series by unit, each group's range from the window's min and max (the series'
 * stats, up to date), and sets each series' group.
 *
 * Returns: (transfer full): the groups (#FwPlotUnitGroup), in the order of their first series
 */
GArray *
_fw_plot_group_units (FwPlot   *self,
                      gboolean *any_data)
{
  GArray *groups = g_array_new (FALSE, TRUE, sizeof (FwPlotUnitGroup));

  g_array_set_clear_func (groups, unit_group_clear);
  *any_data = FALSE;
  for (guint i = 0; i < self->series->len; i++)
    {
      FwPlotSeries *ps = g_ptr_array_index (self->series, i);
      const char *unit = fw_series_get_unit (ps->series);
      FwPlotUnitGroup *g = NULL;

      for (guint j = 0; j < groups->len; j++)
        {
          if (g_str_equal (g_array_index (groups, FwPlotUnitGroup, j).unit, unit))
            {
              g = &g_array_index (groups, FwPlotUnitGroup, j);
              ps->group = j;
              break;
            }
        }
      if (g == NULL)
        {
          FwPlotUnitGroup empty = { .unit = unit, .first_series = i, .side = -1 };

          g_array_append_val (groups, empty);
          ps->group = groups->len - 1;
          g = &g_array_index (groups, FwPlotUnitGroup, groups->len - 1);
          if (groups->len <= MAX_AXES)
            g->side = (groups->len - 1) % 2;
        }

      g->n_series++;
      /* A hidden series does not stretch its axis: the axis fits the lines drawn. */
      if (ps->stats.count > 0 && _fw_plot_series_visible (ps))
        {
          g->data_min = g->has_data ? MIN (g->data_min, ps->stats.min) : ps->stats.min;
          g->data_max = g->has_data ? MAX (g->data_max, ps->stats.max) : ps->stats.max;
          g->has_data = TRUE;
          *any_data = TRUE;
        }
    }

  return groups;
}

static void
compute_group_ticks (FwPlot          *self,
                     FwPlotUnitGroup *g,
                     double           plot_h)
{
  GtkWidget *widget = GTK_WIDGET (self);
  double range, target, magnitude;

  g->labels = g_ptr_array_new_with_free_func (g_object_unref);
  g->width = 0;

  if (!g->has_data)
    {
      g->lo = 0, g->hi = 1, g->step = 1;
      return;
    }

  range = g->data_max - g->data_min;
  if (range <= 0)
    {
      /* A flat line sits in the middle of a small range around it; a flat zero of a
       * quantity that is never negative (a rate, a size) at the bottom, not over "-1 B/s". */
      double pad = MAX (fabs (g->data_max) * 0.05, 1.0);

      g->data_min = g->data_min >= 0 && g->data_min < pad ? 0 : g->data_min - pad;
      g->data_max += pad;
      range = g->data_max - g->data_min;
    }

  target = MAX (2.0, floor (plot_h / MIN_TICK_SPACE));
  g->step = nice_step (range / target);
  g->lo = floor (g->data_min / g->step) * g->step;
  g->hi = ceil (g->data_max / g->step) * g->step;
  if (g->hi <= g->lo)
    g->hi = g->lo + g->step;

  if (g->side < 0)
    return;

  magnitude = MAX (fabs (g->lo), fabs (g->hi));
  for (double v = g->lo; v <= g->hi + g->step * 1e-6; v += g->step)
    {
      g_autofree char *text = fw_units_format_tick (v, g->step, magnitude, g->unit);
      PangoLayout *layout = _fw_plot_make_layout (widget, text, TRUE, FALSE);
      double w;

      _fw_plot_layout_size (layout, &w, NULL);
      g->width = MAX (g->width, w);
      g_ptr_array_add (g->labels, layout);
      if (self->tick_log != NULL)
        g_ptr_array_add (self->tick_log, g_steal_pointer (&text));
    }
}

/* Each group's ticks, and the room the axes take on each side of the plot. */
void
_fw_plot_measure_axes (FwPlot *self,
                       GArray *groups,
                       double  plot_h,
                       double *left_w,
                       double *right_w,
                       guint  *n_axes)
{
  guint n_left = 0, n_right = 0;

  /* Axes stack outwards: the first on each side next to the plot. */
  for (guint j = 0; j < groups->len; j++)
    {
      FwPlotUnitGroup *g = &g_array_index (groups, FwPlotUnitGroup, j);

      compute_group_ticks (self, g, plot_h);
      if (g->side == 0)
        *left_w += (n_left++ > 0 ? AXIS_SPACING : 0) + g->width + AXIS_GAP;
      else if (g->side == 1)
        *right_w += (n_right++ > 0 ? AXIS_SPACING : 0) + g->width + AXIS_GAP;
      if (g->side >= 0)
        (*n_axes)++;
    }
}

double
_fw_plot_value_to_y (const FwPlotUnitGroup *g,
                     double                 value,
                     double                 y0,
                     double                 y1)
{
  return y1 - (value - g->lo) / (g->hi - g->lo) * (y1 - y0);
}

/* Grid from the first axis; the plot's bottom edge a little stronger. */
void
_fw_plot_snapshot_grid (GArray        *groups,
                        GtkSnapshot   *snapshot,
                        double         x0,
                        double         x1,
                        double         y0,
                        double         y1,
                        const GdkRGBA *fg)
{
  const FwPlotUnitGroup *g0 = &g_array_index (groups, FwPlotUnitGroup, 0);
  GdkRGBA grid = _fw_plot_with_alpha (fg, 0.1);
  GdkRGBA base = _fw_plot_with_alpha (fg, 0.3);

  if (g0->has_data)
    for (double v = g0->lo + g0->step; v < g0->hi - g0->step * 1e-6; v += g0->step)
      {
        double y = round (_fw_plot_value_to_y (g0, v, y0, y1));

        gtk_snapshot_append_color (snapshot, &grid, &GRAPHENE_RECT_INIT (x0, y, x1 - x0, 1));
      }
  gtk_snapshot_append_color (snapshot, &grid, &GRAPHENE_RECT_INIT (x0, y0, x1 - x0, 1));
  gtk_snapshot_append_color (snapshot, &base, &GRAPHENE_RECT_INIT (x0, y1, x1 - x0, 1));
}

void
_fw_plot_snapshot_time_axis (FwPlot        *self,
                             GtkSnapshot   *snapshot,
                             double         x0,
                             double         x1,
                             double         y0,
                             double         y1,
                             const GdkRGBA *fg)
{
  static const int steps_s[] = {
    1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200,
  };
  GtkWidget *widget = GTK_WIDGET (self);
  double span_s = _fw_plot_window_span (self) / (double) G_USEC_PER_SEC;
  double px_per_s = (x1 - x0) / span_s;
  GdkRGBA grid = _fw_plot_with_alpha (fg, 0.08);
  GdkRGBA dim = _fw_plot_with_alpha (fg, 0.6);
  int step = steps_s[G_N_ELEMENTS (steps_s) - 1];

  for (guint i = 0; i < G_N_ELEMENTS (steps_s); i++)
    {
      if (steps_s[i] * px_per_s >= MIN_TIME_SPACE)
        {
          step = steps_s[i];
          break;
        }
    }

  /* Paused, the right edge is not now: the ticks are the clock's whole steps, with its time. */
  if (self->end_time != 0)
    {
      gint64 end_s = self->end_time / G_USEC_PER_SEC;
      gint64 first = end_s / step * step;

      for (gint64 t = first; t >= end_s - span_s; t -= step)
        {
          double x = x1 - (end_s - t) * px_per_s;
          g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (t);
          g_autofree char *text = g_date_time_format (when, step < 60 ? "%H:%M:%S" : "%H:%M");
          g_autoptr(PangoLayout) layout = _fw_plot_make_layout (widget, text, TRUE, FALSE);
          double w, lx;

          gtk_snapshot_append_color (snapshot, &grid,
                                     &GRAPHENE_RECT_INIT (round (x), y0, 1, y1 - y0));
          _fw_plot_layout_size (layout, &w, NULL);
          lx = MIN (x - w / 2, x1 + 10 - w);
          if (lx < x0 - 2)
            break;
          _fw_plot_draw_layout (snapshot, layout, lx, y1 + 3, &dim);
        }
      return;
    }

  for (int k = 0; k * step <= span_s; k++)
    {
      double x = x1 - k * step * px_per_s;
      g_autofree char *text = NULL;
      g_autoptr(PangoLayout) layout = NULL;
      double w, lx;

      if (k == 0)
        text = g_strdup (_("now"));
      else if (step < 60)
        text = g_strdup_printf ("−%d s", k * step);
      else
        text = g_strdup_printf ("−%d min", k * step / 60);

      if (k > 0)
        gtk_snapshot_append_color (snapshot, &grid,
                                   &GRAPHENE_RECT_INIT (round (x), y0, 1, y1 - y0));

      layout = _fw_plot_make_layout (widget, text, TRUE, FALSE);
      _fw_plot_layout_size (layout, &w, NULL);
      lx = k == 0 ? x - w : x - w / 2;
      /* The oldest label would stick out into the axis labels: leave it out. */
      if (lx < x0 - 2)
        break;
      _fw_plot_draw_layout (snapshot, layout, lx, y1 + 3, &dim);
    }
}

/* Axis labels: right-aligned on the left, left-aligned on the right. */
void
_fw_plot_snapshot_value_axes (FwPlot        *self,
                              GtkSnapshot   *snapshot,
                              GArray        *groups,
                              guint          n_axes,
                              gboolean       dark,
                              double         x0,
                              double         x1,
                              double         y0,
                              double         y1,
                              const GdkRGBA *fg)
{
  double left_edge = x0 - AXIS_GAP;
  double right_edge = x1 + AXIS_GAP;

  for (guint j = 0; j < groups->len; j++)
    {
      FwPlotUnitGroup *g = &g_array_index (groups, FwPlotUnitGroup, j);
      GdkRGBA color = _fw_plot_with_alpha (fg, 0.6);
      double edge;

      if (g->side < 0)
        continue;
      if (n_axes > 1 && g->n_series == 1)
        {
          FwPlotSeries *ps = g_ptr_array_index (self->series, g->first_series);

          _fw_plot_get_series_color (ps->color, dark, &color);
        }

      if (g->side == 0)
        {
          edge = left_edge;
          left_edge -= g->width + AXIS_SPACING + AXIS_GAP;
        }
      else
        {
          edge = right_edge;
          right_edge += g->width + AXIS_SPACING + AXIS_GAP;
        }

      if (g->has_data)
        for (guint t = 0; t < g->labels->len; t++)
          {
            PangoLayout *layout = g_ptr_array_index (g->labels, t);
            double w, h, y = _fw_plot_value_to_y (g, g->lo + t * g->step, y0, y1);

            _fw_plot_layout_size (layout, &w, &h);
            _fw_plot_draw_layout (snapshot, layout, g->side == 0 ? edge - w : edge, y - h / 2,
                                  &color);
          }
    }
}
