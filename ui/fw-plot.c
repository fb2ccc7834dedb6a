/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-plot.c: a live plot of several FwSeries over a time window of 1 to 60 minutes.
 *
 * Every frame asks each series for one (min, max, avg) column per pixel of plot width:
 * FwSeries answers from its decimation levels, so a frame costs O(width x series) whatever
 * the history. Each series draws its average as a line and its min..max spread as a faint
 * band; a column without data breaks the line when the gap is long for that series.
 *
 * Units: series are grouped by unit. The first unit gets the left axis (and the grid), the
 * second the right axis, a third and a fourth get a second axis outside the first two. Axis
 * labels take the series' colour when their unit has a single series, so it is clear which
 * axis reads which line. Beyond four units, a group has no axis and is scaled to the plot
 * height; its legend entry still gives its values with their unit. Tick labels carry their
 * unit and the legend's prefixes ("20 GB", fw-units.h), so no label is needed over an axis.
 *
 * The window ends at "now" (or a fixed end time) rounded up to a whole column, so columns
 * stay put between frames and the picture shifts by whole pixels; a timer redraws when the
 * next column starts, and a series' (coalesced) "changed" signal queues a draw. GTK merges
 * queued draws into one per frame. */

#include "config.h"

#include <math.h>

#include "fw-plot-private.h"
#include "fw-units.h"

#define PAD             6.0
#define LEGEND_SWATCH   12.0
#define LEGEND_SPACING  18.0
#define AXIS_GAP        6.0
#define AXIS_SPACING    10.0
#define MAX_AXES        4
#define MIN_TICK_SPACE  44.0
#define MIN_TIME_SPACE  80.0

/* GNOME palette: darker shades on light backgrounds, lighter ones on dark. */
static const char * const palette_light[] = {
  "#1c71d8", "#e66100", "#26a269", "#9141ac", "#c01c28", "#865e3c",
};
static const char * const palette_dark[] = {
  "#62a0ea", "#ffa348", "#57e389", "#c061cb", "#f66151", "#cdab8f",
};
#define N_COLORS G_N_ELEMENTS (palette_light)

typedef struct
{
  FwSeries       *series;
  gulong          changed_id;
  guint           color;
  guint           group;
  FwSeriesStats   stats;
  FwSeriesColumn *columns;
  guint           n_columns;
} PlotSeries;

typedef struct
{
  const char *unit;
  guint       n_series;
  guint       first_series;
  gboolean    has_data;
  double      data_min;
  double      data_max;
  double      lo;
  double      hi;
  double      step;
  int         side;        /* -1: no axis, 0: left, 1: right */
  double      width;       /* of the widest tick label */
  GPtrArray  *labels;      /* PangoLayout per tick, lo to hi */
} UnitGroup;

struct _FwPlot
{
  GtkWidget  parent_instance;

  GPtrArray *series;        /* PlotSeries */
  guint      window_minutes;
  gint64     end_time;
  guint      redraw_id;
  GPtrArray *tick_log;      /* the tick texts of a frame, when a test asks for them */
};

G_DEFINE_FINAL_TYPE (FwPlot, fw_plot, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_WINDOW_MINUTES,
  PROP_END_TIME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
plot_series_free (gpointer data)
{
  PlotSeries *ps = data;

  g_clear_signal_handler (&ps->changed_id, ps->series);
  g_clear_object (&ps->series);
  g_free (ps->columns);
  g_free (ps);
}

/* ---- numbers ---------------------------------------------------------------------------- */

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

static char *
format_stats (const PlotSeries *ps)
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

/* ---- state ------------------------------------------------------------------------------- */

static gint64
window_span (FwPlot *self)
{
  return (gint64) self->window_minutes * 60 * G_USEC_PER_SEC;
}

static gint64
window_end (FwPlot *self)
{
  return self->end_time != 0 ? self->end_time : g_get_real_time ();
}

/* Legend statistics cover [end - span, end]. */
static void
update_stats (FwPlot *self,
              gint64  end)
{
  for (guint i = 0; i < self->series->len; i++)
    {
      PlotSeries *ps = g_ptr_array_index (self->series, i);

      fw_series_get_stats (ps->series, end - window_span (self), end + 1, &ps->stats);
    }
}

static void
update_accessible_label (FwPlot *self)
{
  g_autoptr(GString) label = g_string_new ("Plot");

  for (guint i = 0; i < self->series->len; i++)
    {
      PlotSeries *ps = g_ptr_array_index (self->series, i);

      g_string_append (label, i == 0 ? ": " : ", ");
      g_string_append (label, fw_series_get_name (ps->series));
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label->str,
                                  -1);
}

static void
series_changed_cb (FwPlot *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
redraw_cb (gpointer user_data)
{
  FwPlot *self = user_data;

  self->redraw_id = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));

  return G_SOURCE_REMOVE;
}

/* ---- drawing helpers --------------------------------------------------------------------- */

static PangoLayout *
make_layout (GtkWidget  *widget,
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

static void
draw_layout (GtkSnapshot   *snapshot,
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

static void
layout_size (PangoLayout *layout,
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

static GdkRGBA
with_alpha (const GdkRGBA *color,
            double         alpha)
{
  GdkRGBA c = *color;

  c.alpha *= alpha;
  return c;
}

static void
get_series_color (guint    index,
                  gboolean dark,
                  GdkRGBA *color)
{
  gdk_rgba_parse (color, (dark ? palette_dark : palette_light)[index % N_COLORS]);
}

static void
draw_centered_message (GtkWidget     *widget,
                       GtkSnapshot   *snapshot,
                       const graphene_rect_t *area,
                       const char    *title,
                       const char    *subtitle,
                       const GdkRGBA *fg)
{
  g_autoptr(PangoLayout) title_layout = make_layout (widget, title, FALSE, TRUE);
  g_autoptr(PangoLayout) sub_layout = make_layout (widget, subtitle, TRUE, FALSE);
  double tw, th, sw, sh, y;
  GdkRGBA dim = with_alpha (fg, 0.55);

  layout_size (title_layout, &tw, &th);
  layout_size (sub_layout, &sw, &sh);
  y = area->origin.y + (area->size.height - th - sh - 4) / 2;
  draw_layout (snapshot, title_layout, area->origin.x + (area->size.width - tw) / 2, y, &dim);
  draw_layout (snapshot, sub_layout, area->origin.x + (area->size.width - sw) / 2,
               y + th + 4, &dim);
}

/* The legend flows left to right and wraps; returns its height. */
static double
snapshot_legend (FwPlot        *self,
                 GtkSnapshot   *snapshot,
                 double         width,
                 gboolean       dark,
                 const GdkRGBA *fg)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GdkRGBA dim = with_alpha (fg, 0.7);
  double x = PAD, y = PAD, row_h = 0;

  for (guint i = 0; i < self->series->len; i++)
    {
      PlotSeries *ps = g_ptr_array_index (self->series, i);
      const char *unit = fw_series_get_unit (ps->series);
      g_autofree char *name = unit[0] != '\0'
        ? g_strdup_printf ("%s (%s)", fw_series_get_name (ps->series), unit)
        : g_strdup (fw_series_get_name (ps->series));
      g_autofree char *stats = format_stats (ps);
      g_autoptr(PangoLayout) name_layout = make_layout (widget, name, FALSE, TRUE);
      g_autoptr(PangoLayout) stats_layout = make_layout (widget, stats, FALSE, FALSE);
      double nw, nh, sw, sh, item_w;
      GdkRGBA color;

      layout_size (name_layout, &nw, &nh);
      layout_size (stats_layout, &sw, &sh);
      item_w = LEGEND_SWATCH + 6 + nw + 8 + sw;

      if (x > PAD && x + item_w > width - PAD)
        {
          x = PAD;
          y += row_h + 2;
          row_h = 0;
        }
      row_h = MAX (row_h, MAX (nh, sh));

      get_series_color (ps->color, dark, &color);
      gtk_snapshot_append_color (snapshot, &color,
                                 &GRAPHENE_RECT_INIT (x, y + round ((nh - 4) / 2),
                                                      LEGEND_SWATCH, 4));
      draw_layout (snapshot, name_layout, x + LEGEND_SWATCH + 6, y, fg);
      draw_layout (snapshot, stats_layout, x + LEGEND_SWATCH + 6 + nw + 8, y, &dim);
      x += item_w + LEGEND_SPACING;
    }

  return y + row_h - PAD;
}

static void
compute_group_ticks (FwPlot    *self,
                     UnitGroup *g,
                     double     plot_h)
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
      PangoLayout *layout = make_layout (widget, text, TRUE, FALSE);
      double w;

      layout_size (layout, &w, NULL);
      g->width = MAX (g->width, w);
      g_ptr_array_add (g->labels, layout);
      if (self->tick_log != NULL)
        g_ptr_array_add (self->tick_log, g_steal_pointer (&text));
    }
}

static double
value_to_y (const UnitGroup *g,
            double           value,
            double           y0,
            double           y1)
{
  return y1 - (value - g->lo) / (g->hi - g->lo) * (y1 - y0);
}

static void
draw_series (FwPlot          *self,
             cairo_t         *cr,
             const PlotSeries *ps,
             const UnitGroup *g,
             gboolean         dark,
             double           x0,
             double           y0,
             double           y1,
             gint64           col_us)
{
  GdkRGBA color;
  guint max_gap = 2;
  int last = -1;

  get_series_color (ps->color, dark, &color);

  /* How many empty columns still count as "between two readings" rather than a gap: three
   * mean intervals of this series in the window. */
  if (ps->stats.count > 1)
    {
      double interval = (double) window_span (self) / ps->stats.count;

      max_gap = MAX (2, (guint) ceil (3.0 * interval / col_us));
    }

  /* The min..max spread of each column, faintly. */
  for (guint i = 0; i < ps->n_columns; i++)
    {
      const FwSeriesColumn *c = &ps->columns[i];
      double ya, yb;

      if (c->count == 0 || c->max <= c->min)
        continue;
      ya = value_to_y (g, c->max, y0, y1);
      yb = value_to_y (g, c->min, y0, y1);
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
      y = value_to_y (g, c->avg, y0, y1);
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
          cairo_arc (cr, x0 + i + 0.5, value_to_y (g, c->avg, y0, y1), 2.5, 0, 2 * G_PI);
        }
      last = i;
    }
  cairo_fill (cr);
}

static void
snapshot_time_axis (FwPlot        *self,
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
  double span_s = window_span (self) / (double) G_USEC_PER_SEC;
  double px_per_s = (x1 - x0) / span_s;
  GdkRGBA grid = with_alpha (fg, 0.08);
  GdkRGBA dim = with_alpha (fg, 0.6);
  int step = steps_s[G_N_ELEMENTS (steps_s) - 1];

  for (guint i = 0; i < G_N_ELEMENTS (steps_s); i++)
    {
      if (steps_s[i] * px_per_s >= MIN_TIME_SPACE)
        {
          step = steps_s[i];
          break;
        }
    }

  for (int k = 0; k * step <= span_s; k++)
    {
      double x = x1 - k * step * px_per_s;
      g_autofree char *text = NULL;
      g_autoptr(PangoLayout) layout = NULL;
      double w, lx;

      if (k == 0)
        text = g_strdup ("now");
      else if (step < 60)
        text = g_strdup_printf ("−%d s", k * step);
      else
        text = g_strdup_printf ("−%d min", k * step / 60);

      if (k > 0)
        gtk_snapshot_append_color (snapshot, &grid,
                                   &GRAPHENE_RECT_INIT (round (x), y0, 1, y1 - y0));

      layout = make_layout (widget, text, TRUE, FALSE);
      layout_size (layout, &w, NULL);
      lx = k == 0 ? x - w : x - w / 2;
      /* The oldest label would stick out into the axis labels: leave it out. */
      if (lx < x0 - 2)
        break;
      draw_layout (snapshot, layout, lx, y1 + 3, &dim);
    }
}

/* ---- GtkWidget --------------------------------------------------------------------------- */

static void
fw_plot_snapshot (GtkWidget   *widget,
                  GtkSnapshot *snapshot)
{
  FwPlot *self = FW_PLOT (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  gint64 span = window_span (self);
  gint64 end = window_end (self);
  gint64 col_us, end_aligned, start;
  g_autoptr(GArray) groups = NULL;
  g_autoptr(PangoLayout) probe = NULL;
  double legend_h, small_h, x0, x1, y0, y1, left_w = 0, right_w = 0;
  double left_edge, right_edge;
  guint n_left = 0, n_right = 0, n_axes = 0, n_cols;
  gboolean any_data = FALSE, dark;
  GdkRGBA fg;
  cairo_t *cr;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  /* Light text means a dark background, whatever made it so (AdwStyleManager, a theme). */
  dark = 0.2126 * fg.red + 0.7152 * fg.green + 0.0722 * fg.blue > 0.5;

  if (self->series->len == 0)
    {
      draw_centered_message (widget, snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height),
                             "No Readings", "Numeric feeds are plotted here", &fg);
      return;
    }

  update_stats (self, end);
  legend_h = snapshot_legend (self, snapshot, width, dark, &fg);

  probe = make_layout (widget, "0", TRUE, FALSE);
  layout_size (probe, NULL, &small_h);

  /* Room above the plot for half of the top tick label. */
  y0 = round (PAD + legend_h + 10 + small_h / 2);
  y1 = height - PAD - small_h - 3;
  if (y1 - y0 < 20)
    return;

  /* Group the series by unit, each group's range from the window's min and max. */
  groups = g_array_new (FALSE, TRUE, sizeof (UnitGroup));
  for (guint i = 0; i < self->series->len; i++)
    {
      PlotSeries *ps = g_ptr_array_index (self->series, i);
      const char *unit = fw_series_get_unit (ps->series);
      UnitGroup *g = NULL;

      for (guint j = 0; j < groups->len; j++)
        {
          if (g_str_equal (g_array_index (groups, UnitGroup, j).unit, unit))
            {
              g = &g_array_index (groups, UnitGroup, j);
              ps->group = j;
              break;
            }
        }
      if (g == NULL)
        {
          UnitGroup empty = { .unit = unit, .first_series = i, .side = -1 };

          g_array_append_val (groups, empty);
          ps->group = groups->len - 1;
          g = &g_array_index (groups, UnitGroup, groups->len - 1);
          if (groups->len <= MAX_AXES)
            g->side = (groups->len - 1) % 2;
        }

      g->n_series++;
      if (ps->stats.count > 0)
        {
          g->data_min = g->has_data ? MIN (g->data_min, ps->stats.min) : ps->stats.min;
          g->data_max = g->has_data ? MAX (g->data_max, ps->stats.max) : ps->stats.max;
          g->has_data = TRUE;
          any_data = TRUE;
        }
    }

  /* Axes stack outwards: the first on each side next to the plot. */
  for (guint j = 0; j < groups->len; j++)
    {
      UnitGroup *g = &g_array_index (groups, UnitGroup, j);

      compute_group_ticks (self, g, y1 - y0);
      if (g->side == 0)
        left_w += (n_left++ > 0 ? AXIS_SPACING : 0) + g->width + AXIS_GAP;
      else if (g->side == 1)
        right_w += (n_right++ > 0 ? AXIS_SPACING : 0) + g->width + AXIS_GAP;
      if (g->side >= 0)
        n_axes++;
    }

  x0 = floor (PAD + left_w);
  x1 = floor (width - PAD - MAX (right_w, 12.0));   /* room for "now" to end in */
  n_cols = x1 > x0 ? (guint) (x1 - x0) : 0;
  if (n_cols < 2)
    goto out;

  /* Whole columns: a column keeps its content until new data lands in it. */
  col_us = MAX (span / n_cols, 1);
  end_aligned = (end / col_us + 1) * col_us;
  start = end_aligned - col_us * n_cols;

  for (guint i = 0; i < self->series->len; i++)
    {
      PlotSeries *ps = g_ptr_array_index (self->series, i);

      if (ps->n_columns != n_cols)
        {
          ps->columns = g_renew (FwSeriesColumn, ps->columns, n_cols);
          ps->n_columns = n_cols;
        }
      fw_series_get_columns (ps->series, start, end_aligned, n_cols, ps->columns);
    }

  /* Grid from the first axis; the plot's bottom edge a little stronger. */
  {
    const UnitGroup *g0 = &g_array_index (groups, UnitGroup, 0);
    GdkRGBA grid = with_alpha (&fg, 0.1);
    GdkRGBA base = with_alpha (&fg, 0.3);

    if (g0->has_data)
      for (double v = g0->lo + g0->step; v < g0->hi - g0->step * 1e-6; v += g0->step)
        gtk_snapshot_append_color (snapshot, &grid,
                                   &GRAPHENE_RECT_INIT (x0, round (value_to_y (g0, v, y0, y1)),
                                                        x1 - x0, 1));
    gtk_snapshot_append_color (snapshot, &grid, &GRAPHENE_RECT_INIT (x0, y0, x1 - x0, 1));
    gtk_snapshot_append_color (snapshot, &base, &GRAPHENE_RECT_INIT (x0, y1, x1 - x0, 1));
  }

  snapshot_time_axis (self, snapshot, x0, x1, y0, y1, &fg);

  /* Axis labels: right-aligned on the left, left-aligned on the right. */
  left_edge = x0 - AXIS_GAP;
  right_edge = x1 + AXIS_GAP;
  for (guint j = 0; j < groups->len; j++)
    {
      UnitGroup *g = &g_array_index (groups, UnitGroup, j);
      GdkRGBA color = with_alpha (&fg, 0.6);
      double edge;

      if (g->side < 0)
        continue;
      if (n_axes > 1 && g->n_series == 1)
        {
          PlotSeries *ps = g_ptr_array_index (self->series, g->first_series);

          get_series_color (ps->color, dark, &color);
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
            double w, h, y = value_to_y (g, g->lo + t * g->step, y0, y1);

            layout_size (layout, &w, &h);
            draw_layout (snapshot, layout, g->side == 0 ? edge - w : edge, y - h / 2, &color);
          }
    }

  if (!any_data)
    {
      g_autofree char *subtitle = g_strdup_printf ("Nothing in the last %u minute%s",
                                                   self->window_minutes,
                                                   self->window_minutes == 1 ? "" : "s");

      draw_centered_message (widget, snapshot, &GRAPHENE_RECT_INIT (x0, y0, x1 - x0, y1 - y0),
                             "No Data", subtitle, &fg);
      goto out;
    }

  /* A little wider than the plot: a line at the top or bottom keeps its full width. */
  cr = gtk_snapshot_append_cairo (snapshot,
                                  &GRAPHENE_RECT_INIT (x0, y0 - 3, x1 - x0 + 3, y1 - y0 + 6));
  for (guint i = 0; i < self->series->len; i++)
    {
      PlotSeries *ps = g_ptr_array_index (self->series, i);
      const UnitGroup *g = &g_array_index (groups, UnitGroup, ps->group);

      if (ps->stats.count > 0)
        draw_series (self, cr, ps, g, dark, x0, y0, y1, col_us);
    }
  cairo_destroy (cr);

  /* Live: redraw when the next column starts, whether or not data comes. */
  if (self->end_time == 0 && self->redraw_id == 0)
    {
      gint64 delay_ms = (end_aligned - g_get_real_time ()) / 1000 + 1;

      self->redraw_id = g_timeout_add (CLAMP (delay_ms, 16, 60000), redraw_cb, self);
      g_source_set_name_by_id (self->redraw_id, "[feedwatch] plot redraw");
    }

out:
  for (guint j = 0; j < groups->len; j++)
    {
      UnitGroup *g = &g_array_index (groups, UnitGroup, j);

      g_clear_pointer (&g->labels, g_ptr_array_unref);
    }
}

static void
fw_plot_measure (GtkWidget      *widget,
                 GtkOrientation  orientation,
                 int             for_size,
                 int            *minimum,
                 int            *natural,
                 int            *minimum_baseline,
                 int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 200;
      *natural = 480;
    }
  else
    {
      *minimum = 140;
      *natural = 260;
    }
}

static void
fw_plot_unmap (GtkWidget *widget)
{
  FwPlot *self = FW_PLOT (widget);

  g_clear_handle_id (&self->redraw_id, g_source_remove);

  GTK_WIDGET_CLASS (fw_plot_parent_class)->unmap (widget);
}

static void
fw_plot_dispose (GObject *object)
{
  FwPlot *self = FW_PLOT (object);

  g_clear_handle_id (&self->redraw_id, g_source_remove);
  if (self->series != NULL)
    g_ptr_array_set_size (self->series, 0);

  G_OBJECT_CLASS (fw_plot_parent_class)->dispose (object);
}

static void
fw_plot_finalize (GObject *object)
{
  FwPlot *self = FW_PLOT (object);

  g_clear_pointer (&self->series, g_ptr_array_unref);

  G_OBJECT_CLASS (fw_plot_parent_class)->finalize (object);
}

static void
fw_plot_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  FwPlot *self = FW_PLOT (object);

  switch (prop_id)
    {
    case PROP_WINDOW_MINUTES:
      g_value_set_uint (value, self->window_minutes);
      break;

    case PROP_END_TIME:
      g_value_set_int64 (value, self->end_time);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_plot_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  FwPlot *self = FW_PLOT (object);

  switch (prop_id)
    {
    case PROP_WINDOW_MINUTES:
      fw_plot_set_window_minutes (self, g_value_get_uint (value));
      break;

    case PROP_END_TIME:
      fw_plot_set_end_time (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_plot_class_init (FwPlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fw_plot_dispose;
  object_class->finalize = fw_plot_finalize;
  object_class->get_property = fw_plot_get_property;
  object_class->set_property = fw_plot_set_property;

  widget_class->snapshot = fw_plot_snapshot;
  widget_class->measure = fw_plot_measure;
  widget_class->unmap = fw_plot_unmap;

  /**
   * FwPlot:window-minutes:
   *
   * How far back the plot reaches. The UI offers 1, 5, 15 and 60.
   */
  properties[PROP_WINDOW_MINUTES] =
    g_param_spec_uint ("window-minutes", NULL, NULL, 1, 24 * 60, 5,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * FwPlot:end-time:
   *
   * Wall-clock time (µs) at the right edge, or 0 to follow the clock (live).
   */
  properties[PROP_END_TIME] =
    g_param_spec_int64 ("end-time", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "plot");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
fw_plot_init (FwPlot *self)
{
  self->series = g_ptr_array_new_with_free_func (plot_series_free);
  self->window_minutes = 5;
  update_accessible_label (self);
}

GtkWidget *
fw_plot_new (void)
{
  return g_object_new (FW_TYPE_PLOT, NULL);
}

static guint
find_series (FwPlot   *self,
             FwSeries *series)
{
  for (guint i = 0; i < self->series->len; i++)
    {
      PlotSeries *ps = g_ptr_array_index (self->series, i);

      if (ps->series == series)
        return i;
    }

  return G_MAXUINT;
}

/* Colours stay with their series: removing one does not repaint the others, and the next
 * series added takes the colour it left. */
static guint
first_free_color (FwPlot *self)
{
  for (guint color = 0; color < N_COLORS; color++)
    {
      gboolean taken = FALSE;

      for (guint i = 0; i < self->series->len && !taken; i++)
        taken = ((PlotSeries *) g_ptr_array_index (self->series, i))->color == color;
      if (!taken)
        return color;
    }

  return self->series->len % N_COLORS;
}

/**
 * fw_plot_add_series:
 * @series: a series; the plot keeps a reference
 *
 * Adds @series with the first colour no other series of the plot has. Adding a series twice
 * does nothing.
 */
void
fw_plot_add_series (FwPlot   *self,
                    FwSeries *series)
{
  PlotSeries *ps;

  g_return_if_fail (FW_IS_PLOT (self));
  g_return_if_fail (FW_IS_SERIES (series));

  if (find_series (self, series) != G_MAXUINT)
    return;

  ps = g_new0 (PlotSeries, 1);
  ps->series = g_object_ref (series);
  ps->color = first_free_color (self);
  ps->changed_id = g_signal_connect_object (series, "changed",
                                            G_CALLBACK (series_changed_cb), self,
                                            G_CONNECT_SWAPPED);
  g_ptr_array_add (self->series, ps);

  update_accessible_label (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
fw_plot_remove_series (FwPlot   *self,
                       FwSeries *series)
{
  guint pos;

  g_return_if_fail (FW_IS_PLOT (self));
  g_return_if_fail (FW_IS_SERIES (series));

  pos = find_series (self, series);
  if (pos == G_MAXUINT)
    return;

  g_ptr_array_remove_index (self->series, pos);
  update_accessible_label (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
fw_plot_get_n_series (FwPlot *self)
{
  g_return_val_if_fail (FW_IS_PLOT (self), 0);

  return self->series->len;
}

guint
fw_plot_get_window_minutes (FwPlot *self)
{
  g_return_val_if_fail (FW_IS_PLOT (self), 0);

  return self->window_minutes;
}

void
fw_plot_set_window_minutes (FwPlot *self,
                            guint   minutes)
{
  g_return_if_fail (FW_IS_PLOT (self));
  g_return_if_fail (minutes >= 1 && minutes <= 24 * 60);

  if (self->window_minutes == minutes)
    return;

  self->window_minutes = minutes;
  /* The next column boundary moved: the pending timer is for the old one. */
  g_clear_handle_id (&self->redraw_id, g_source_remove);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WINDOW_MINUTES]);
}

gint64
fw_plot_get_end_time (FwPlot *self)
{
  g_return_val_if_fail (FW_IS_PLOT (self), 0);

  return self->end_time;
}

/**
 * fw_plot_set_end_time:
 * @end_us: wall-clock time (µs) of the right edge, or 0 to follow the clock
 *
 * A fixed end time freezes the plot (pause, tests).
 */
void
fw_plot_set_end_time (FwPlot *self,
                      gint64  end_us)
{
  g_return_if_fail (FW_IS_PLOT (self));
  g_return_if_fail (end_us >= 0);

  if (self->end_time == end_us)
    return;

  self->end_time = end_us;
  g_clear_handle_id (&self->redraw_id, g_source_remove);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_END_TIME]);
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

  update_stats (self, window_end (self));
  for (guint i = 0; i < self->series->len; i++)
    {
      PlotSeries *ps = g_ptr_array_index (self->series, i);
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

/**
 * _fw_plot_dup_tick_labels:
 *
 * The value axes' tick labels as a frame at the plot's current size draws them: each axis
 * from its lowest tick to its highest, the axes in the order of their units' first series.
 *
 * Returns: (transfer full): the labels
 */
char **
_fw_plot_dup_tick_labels (FwPlot *self)
{
  GtkSnapshot *snapshot;
  GskRenderNode *node;

  g_return_val_if_fail (FW_IS_PLOT (self), NULL);
  g_return_val_if_fail (self->tick_log == NULL, NULL);

  self->tick_log = g_ptr_array_new_with_free_func (g_free);
  snapshot = gtk_snapshot_new ();
  fw_plot_snapshot (GTK_WIDGET (self), snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_clear_pointer (&node, gsk_render_node_unref);
  g_ptr_array_add (self->tick_log, NULL);

  return (char **) g_ptr_array_free (g_steal_pointer (&self->tick_log), FALSE);
}
