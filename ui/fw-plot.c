/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-plot.c: a live plot of several FwSeries over a time window of 1 to 60 minutes.
 *
 * This file is the widget: its properties, the series it plots (each keeps its colour while it
 * stays) and the clock. A frame is drawn in fw-plot-draw.c, the axes in fw-plot-axes.c, the
 * legend in fw-plot-legend.c; they share fw-plot-private.h.
 *
 * A series' (coalesced) "changed" signal queues a draw, and a timer redraws when the next column
 * starts; live, both wait for the next whole second (redraw_in_seconds()), so that slow feeds
 * cost a frame a second at most, the one the window's second tick draws anyway. */

#include "config.h"

#include "fw-plot-private.h"

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
  FwPlotSeries *ps = data;

  g_clear_signal_handler (&ps->changed_id, ps->series);
  g_clear_object (&ps->series);
  g_free (ps->columns);
  g_free (ps);
}

/* ---- state ------------------------------------------------------------------------------- */

gint64
_fw_plot_window_span (FwPlot *self)
{
  return (gint64) self->window_minutes * 60 * G_USEC_PER_SEC;
}

gint64
_fw_plot_window_end (FwPlot *self)
{
  return self->end_time != 0 ? self->end_time : g_get_real_time ();
}

/* Legend statistics cover [end - span, end]. */
void
_fw_plot_update_stats (FwPlot *self,
                       gint64  end)
{
  for (guint i = 0; i < self->series->len; i++)
    {
      FwPlotSeries *ps = g_ptr_array_index (self->series, i);

      fw_series_get_stats (ps->series, end - _fw_plot_window_span (self), end + 1, &ps->stats);
    }
}

static void
update_accessible_label (FwPlot *self)
{
  g_autoptr(GString) label = g_string_new ("Plot");

  for (guint i = 0; i < self->series->len; i++)
    {
      FwPlotSeries *ps = g_ptr_array_index (self->series, i);

      g_string_append (label, i == 0 ? ": " : ", ");
      g_string_append (label, fw_series_get_name (ps->series));
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label->str,
                                  -1);
}

static gboolean
redraw_cb (gpointer user_data)
{
  FwPlot *self = user_data;

  self->redraw_id = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));

  return G_SOURCE_REMOVE;
}

/* Draws in @seconds (at least 1), on the whole second at which GLib runs the window's
 * once-a-second tick too (g_timeout_add_seconds()), so that both make one frame; or sooner, if
 * a redraw is due sooner. */
static void
redraw_in_seconds (FwPlot *self,
                   guint   seconds)
{
  gint64 due_us = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  if (self->redraw_id != 0 && self->redraw_due_us <= due_us)
    return;

  g_clear_handle_id (&self->redraw_id, g_source_remove);
  self->redraw_due_us = due_us;
  self->redraw_id = g_timeout_add_seconds (seconds, redraw_cb, self);
  g_source_set_name_by_id (self->redraw_id, "[feedwatch] plot redraw");
}

/* New data: live, drawn at the next whole second */
static void
series_changed_cb (FwPlot *self)
{
  if (self->end_time != 0 || self->drawn_us == 0 || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_queue_draw (GTK_WIDGET (self));
  else
    redraw_in_seconds (self, 1);
}

/* A frame is being drawn: what was due is in it. */
static void
frame_started (FwPlot *self)
{
  g_clear_handle_id (&self->redraw_id, g_source_remove);
  self->drawn_us = g_get_monotonic_time ();
}

/* Live: redraw when the next column (starting at @next_column_us, wall-clock) starts, whether
 * or not data comes, but at the earliest at the next whole second. */
void
_fw_plot_schedule_redraw (FwPlot *self,
                          gint64  next_column_us)
{
  gint64 delay_us = next_column_us - g_get_real_time ();

  if (self->end_time != 0)
    return;
  redraw_in_seconds (self, (guint) CLAMP ((delay_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC, 1, 60));
}

/* ---- GtkWidget --------------------------------------------------------------------------- */

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
fw_plot_snapshot (GtkWidget   *widget,
                  GtkSnapshot *snapshot)
{
  frame_started (FW_PLOT (widget));
  _fw_plot_snapshot (widget, snapshot);
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
      FwPlotSeries *ps = g_ptr_array_index (self->series, i);

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
  for (guint color = 0; color < FW_PLOT_N_COLORS; color++)
    {
      gboolean taken = FALSE;

      for (guint i = 0; i < self->series->len && !taken; i++)
        taken = ((FwPlotSeries *) g_ptr_array_index (self->series, i))->color == color;
      if (!taken)
        return color;
    }

  return self->series->len % FW_PLOT_N_COLORS;
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
  FwPlotSeries *ps;

  g_return_if_fail (FW_IS_PLOT (self));
  g_return_if_fail (FW_IS_SERIES (series));

  if (find_series (self, series) != G_MAXUINT)
    return;

  ps = g_new0 (FwPlotSeries, 1);
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
  _fw_plot_snapshot (GTK_WIDGET (self), snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_clear_pointer (&node, gsk_render_node_unref);
  g_ptr_array_add (self->tick_log, NULL);

  return (char **) g_ptr_array_free (g_steal_pointer (&self->tick_log), FALSE);
}
