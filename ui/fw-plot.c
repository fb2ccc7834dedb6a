/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-plot.c: a live plot of several FwSeries over a time window of 1 to 60 minutes.
 *
 * This file is the widget: its properties, the series it plots (each keeps the colour its name
 * picks), where its children go, and the clock. A frame is drawn in fw-plot-draw.c, the axes in
 * fw-plot-axes.c; the legend's entries are toggle buttons (fw-plot-legend.c), and the pointer's
 * readout, pausing and series from other feeds are in fw-plot-pointer.c; they share
 * fw-plot-private.h.
 *
 * A series' (coalesced) "changed" signal queues a draw, and a timer redraws when the next column
 * starts; live, both wait for the next whole second (redraw_in_seconds()), so that slow feeds
 * cost a frame a second at most, the one the window's second tick draws anyway. A window in
 * the background holds them for its own slower refresh (fw_plot_set_held()). */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "fw-plot-private.h"

G_DEFINE_FINAL_TYPE (FwPlot, fw_plot, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_WINDOW_MINUTES,
  PROP_END_TIME,
  PROP_PAUSED,
  PROP_FEED_SERIES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
_fw_plot_notify_feed_series (FwPlot *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FEED_SERIES]);
}

static void
plot_series_free (gpointer data)
{
  FwPlotSeries *ps = data;

  g_clear_signal_handler (&ps->changed_id, ps->series);
  g_clear_pointer (&ps->entry, gtk_widget_unparent);
  g_clear_object (&ps->series);
  g_free (ps->feed_id);
  g_free (ps->feed_title);
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
  return self->end_time != 0 ? self->end_time : _fw_plot_now (self);
}

/* The clock the plot follows: the wall clock, or a replay's */
gint64
_fw_plot_now (FwPlot *self)
{
  return g_get_real_time () + self->clock_offset;
}

/**
 * fw_plot_set_clock_offset:
 * @offset_us: how far the time the plot follows is ahead of the wall clock (negative: behind)
 *
 * A replay's plot follows the replay's time, as a live one follows the clock.
 */
void
fw_plot_set_clock_offset (FwPlot *self,
                          gint64  offset_us)
{
  g_return_if_fail (FW_IS_PLOT (self));

  if (self->clock_offset == offset_us)
    return;
  self->clock_offset = offset_us;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
_fw_plot_series_visible (const FwPlotSeries *ps)
{
  return !ps->hidden;
}

/* Light text means a dark background, whatever made it so (AdwStyleManager, a theme). */
gboolean
_fw_plot_is_dark (FwPlot  *self,
                  GdkRGBA *fg)
{
  GdkRGBA color;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS
  if (fg != NULL)
    *fg = color;

  return 0.2126 * color.red + 0.7152 * color.green + 0.0722 * color.blue > 0.5;
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
  g_autoptr(GString) label = g_string_new (_("Plot"));

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

/* What is shown changed: the legend's figures and the readout follow (widgets, so not while
 * a frame is drawn), then a frame. */
void
_fw_plot_changed (FwPlot *self)
{
  _fw_plot_legend_update (self);
  _fw_plot_update_readout (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
redraw_cb (gpointer user_data)
{
  FwPlot *self = user_data;

  self->redraw_id = 0;
  _fw_plot_changed (self);

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

  if (self->held)
    {
      self->held_due = TRUE;
      return;
    }
  if (self->redraw_id != 0 && self->redraw_due_us <= due_us)
    return;

  g_clear_handle_id (&self->redraw_id, g_source_remove);
  self->redraw_due_us = due_us;
  self->redraw_id = g_timeout_add_seconds (seconds, redraw_cb, self);
  g_source_set_name_by_id (self->redraw_id, "[feedwatch] plot redraw");
}

/* New data: live, drawn at the next whole second; paused, only if it lands in what is shown
 * (readings come in time order, so one after the shown end changes nothing on screen). */
static void
series_changed_cb (FwPlot   *self,
                   FwSeries *series)
{
  gint64 last_us;

  if (self->end_time != 0 && self->drawn_us != 0 &&
      fw_series_get_time_range (series, NULL, &last_us) &&
      last_us >= MAX (self->shown_end_us, self->end_time + 1))
    return;
  /* Not on screen: nothing to update until it is (fw_plot_map()) */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_queue_draw (GTK_WIDGET (self));
  else if (self->end_time != 0 || self->drawn_us == 0)
    _fw_plot_changed (self);
  else
    redraw_in_seconds (self, 1);
}

/* A frame is being drawn: what was due is in it. */
static void
frame_started (FwPlot *self)
{
  g_clear_handle_id (&self->redraw_id, g_source_remove);
  self->held_due = FALSE;
  self->drawn_us = g_get_monotonic_time ();
}

/* Live: redraw when the next column (starting at @next_column_us, wall-clock) starts, whether
 * or not data comes, but at the earliest at the next whole second. */
void
_fw_plot_schedule_redraw (FwPlot *self,
                          gint64  next_column_us)
{
  gint64 delay_us = next_column_us - _fw_plot_now (self);

  if (self->end_time != 0)
    return;
  redraw_in_seconds (self, (guint) CLAMP ((delay_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC, 1, 60));
}

/* ---- GtkWidget --------------------------------------------------------------------------- */

/* The legend's entries flow from the top left and wrap before the controls at the top right.
 * Returns the height they take; places them when @allocate. */
static double
layout_header (FwPlot   *self,
               int       width,
               gboolean  allocate)
{
  double x = FW_PLOT_PAD, y = FW_PLOT_PAD, row_h = 0, right = width - FW_PLOT_PAD;
  double bottom = 0;

  if (gtk_widget_get_visible (self->controls))
    {
      int cw, ch;

      gtk_widget_measure (self->controls, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &cw, NULL, NULL);
      gtk_widget_measure (self->controls, GTK_ORIENTATION_VERTICAL, cw, NULL, &ch, NULL, NULL);
      right -= cw + 6;
      bottom = FW_PLOT_PAD + ch;
      if (allocate)
        gtk_widget_size_allocate (self->controls,
                                  &(GtkAllocation) { width - FW_PLOT_PAD - cw, FW_PLOT_PAD, cw, ch },
                                  -1);
    }

  for (guint i = 0; i < self->series->len; i++)
    {
      FwPlotSeries *ps = g_ptr_array_index (self->series, i);
      int w, h;

      gtk_widget_measure (ps->entry, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &w, NULL, NULL);
      gtk_widget_measure (ps->entry, GTK_ORIENTATION_VERTICAL, w, NULL, &h, NULL, NULL);
      if (x > FW_PLOT_PAD && x + w > right)
        {
          x = FW_PLOT_PAD;
          y += row_h + 2;
          row_h = 0;
        }
      w = MIN (w, MAX (right - x, 1));
      if (allocate)
        gtk_widget_size_allocate (ps->entry, &(GtkAllocation) { x, y, w, h }, -1);
      row_h = MAX (row_h, h);
      x += w + 6;
    }

  return MAX (bottom, y + row_h);
}

static GtkSizeRequestMode
fw_plot_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
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
  FwPlot *self = FW_PLOT (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 200;
      *natural = 480;
    }
  else
    {
      int header = (int) ceil (layout_header (self, for_size > 0 ? for_size : 480, FALSE));

      /* The legend comes on top of room for a readable plot */
      *minimum = 200 + header;
      *natural = 320 + header;
    }
}

static void
fw_plot_size_allocate (GtkWidget *widget,
                       int        width,
                       int        height,
                       int        baseline)
{
  FwPlot *self = FW_PLOT (widget);

  self->header_h = layout_header (self, width, TRUE);
  if (self->context_menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->context_menu));

  /* The readout beside the pointer, on the side with room for it */
  if (gtk_widget_get_visible (self->readout))
    {
      int w, h;
      double x;

      gtk_widget_measure (self->readout, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &w, NULL, NULL);
      gtk_widget_measure (self->readout, GTK_ORIENTATION_VERTICAL, w, NULL, &h, NULL, NULL);
      x = self->hover_x + 12;
      if (x + w > width - FW_PLOT_PAD)
        x = self->hover_x - 12 - w;
      gtk_widget_size_allocate (self->readout,
                                &(GtkAllocation) { MAX (0, x), self->header_h + FW_PLOT_PAD + 8,
                                                   w, h }, -1);
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
fw_plot_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (fw_plot_parent_class)->map (widget);

  _fw_plot_changed (FW_PLOT (widget));
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
  g_clear_pointer (&self->controls, gtk_widget_unparent);
  g_clear_pointer (&self->readout, gtk_widget_unparent);
  g_clear_pointer (&self->context_menu, gtk_widget_unparent);
  g_clear_pointer (&self->hidden, g_hash_table_unref);
  g_clear_object (&self->feeds);

  G_OBJECT_CLASS (fw_plot_parent_class)->dispose (object);
}

static void
fw_plot_finalize (GObject *object)
{
  FwPlot *self = FW_PLOT (object);

  g_clear_pointer (&self->series, g_ptr_array_unref);
  g_clear_pointer (&self->extras, g_hash_table_unref);
  g_free (self->context);

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

    case PROP_PAUSED:
      g_value_set_boolean (value, self->end_time != 0);
      break;

    case PROP_FEED_SERIES:
      g_value_take_variant (value, fw_plot_dup_feed_series (self));
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

    case PROP_PAUSED:
      fw_plot_set_paused (self, g_value_get_boolean (value));
      break;

    case PROP_FEED_SERIES:
      fw_plot_set_feed_series (self, g_value_get_variant (value));
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
  widget_class->size_allocate = fw_plot_size_allocate;
  widget_class->get_request_mode = fw_plot_get_request_mode;
  widget_class->map = fw_plot_map;
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

  /**
   * FwPlot:paused:
   *
   * Whether the plot holds still (its end time is fixed) rather than following the clock.
   * Pausing fixes the end at now; resuming goes back to live.
   */
  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * FwPlot:feed-series:
   *
   * The series added from other feeds, for each feed shown ("" for all), as `a{sa(ss)}`: the
   * feed shown → (feed, series name) pairs; what the window keeps across launches.
   */
  properties[PROP_FEED_SERIES] =
    g_param_spec_variant ("feed-series", NULL, NULL, G_VARIANT_TYPE ("a{sa(ss)}"), NULL,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  _fw_plot_class_pointer_init (widget_class);

  gtk_widget_class_set_css_name (widget_class, "plot");
  /* A group: its legend entries and controls are buttons of their own. */
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
fw_plot_init (FwPlot *self)
{
  self->series = g_ptr_array_new_with_free_func (plot_series_free);
  self->window_minutes = 5;
  self->hidden = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->extras = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) g_ptr_array_unref);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  _fw_plot_pointer_init (self);
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

/* A series' name picks its colour, so "cpu0 usage" is the same colour whichever feed is shown
 * and in whatever order its series came; when another series of the plot has that colour, the
 * next free one. Removing a series does not repaint the others. */
static guint
color_for_name (FwPlot     *self,
                const char *name)
{
  guint preferred = g_str_hash (name) % FW_PLOT_N_COLORS;

  for (guint k = 0; k < FW_PLOT_N_COLORS; k++)
    {
      guint color = (preferred + k) % FW_PLOT_N_COLORS;
      gboolean taken = FALSE;

      for (guint i = 0; i < self->series->len && !taken; i++)
        taken = ((FwPlotSeries *) g_ptr_array_index (self->series, i))->color == color;
      if (!taken)
        return color;
    }

  return preferred;
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
  g_return_if_fail (FW_IS_PLOT (self));
  g_return_if_fail (FW_IS_SERIES (series));

  _fw_plot_add_series_full (self, series, NULL, NULL);
}

/* @feed_id and @feed_title: of the other feed a series was added from */
FwPlotSeries *
_fw_plot_add_series_full (FwPlot     *self,
                          FwSeries   *series,
                          const char *feed_id,
                          const char *feed_title)
{
  FwPlotSeries *ps;
  guint pos = find_series (self, series);

  if (pos != G_MAXUINT)
    {
      /* Added from its feed while another was shown, and now its own feed's: the plain one */
      if (feed_id != NULL || ((FwPlotSeries *) g_ptr_array_index (self->series, pos))->feed_id == NULL)
        return NULL;
      g_ptr_array_remove_index (self->series, pos);
    }

  ps = g_new0 (FwPlotSeries, 1);
  ps->plot = self;
  ps->series = g_object_ref (series);
  ps->feed_id = g_strdup (feed_id);
  ps->feed_title = g_strdup (feed_title);
  ps->color = color_for_name (self, fw_series_get_name (series));
  ps->hidden = g_hash_table_contains (self->hidden, series);
  ps->changed_id = g_signal_connect_object (series, "changed",
                                            G_CALLBACK (series_changed_cb), self,
                                            G_CONNECT_SWAPPED);
  g_ptr_array_add (self->series, ps);
  _fw_plot_legend_add_entry (self, ps);
  gtk_widget_set_visible (self->controls, TRUE);

  update_accessible_label (self);
  _fw_plot_changed (self);
  return ps;
}

/**
 * fw_plot_set_series_visible:
 *
 * Shows or hides @series, as its legend entry does: a hidden series is not drawn and the
 * value axes fit the others. It stays hidden if the plot loses and regains it.
 */
void
fw_plot_set_series_visible (FwPlot   *self,
                            FwSeries *series,
                            gboolean  visible)
{
  guint pos;
  FwPlotSeries *ps;

  g_return_if_fail (FW_IS_PLOT (self));
  g_return_if_fail (FW_IS_SERIES (series));

  pos = find_series (self, series);
  if (pos == G_MAXUINT)
    return;
  ps = g_ptr_array_index (self->series, pos);
  if (ps->hidden == !visible)
    return;

  ps->hidden = !visible;
  if (visible)
    g_hash_table_remove (self->hidden, series);
  else
    g_hash_table_add (self->hidden, g_object_ref (series));
  _fw_plot_changed (self);
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
  gtk_widget_set_visible (self->controls, self->series->len > 0);
  update_accessible_label (self);
  _fw_plot_changed (self);
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
  _fw_plot_changed (self);
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

  gboolean was_paused;

  if (self->end_time == end_us)
    return;

  was_paused = self->end_time != 0;
  self->end_time = end_us;
  g_clear_handle_id (&self->redraw_id, g_source_remove);
  _fw_plot_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_END_TIME]);
  if (was_paused != (end_us != 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

gboolean
fw_plot_get_paused (FwPlot *self)
{
  g_return_val_if_fail (FW_IS_PLOT (self), FALSE);

  return self->end_time != 0;
}

/**
 * fw_plot_set_held:
 *
 * Held, the live plot redraws only when asked to (fw_plot_catch_up()): new readings and the
 * next column wait for it. A window in the background refreshes that way, less often. Released,
 * what waited is drawn at the next whole second.
 */
void
fw_plot_set_held (FwPlot   *self,
                  gboolean  held)
{
  g_return_if_fail (FW_IS_PLOT (self));

  held = !!held;
  if (self->held == held)
    return;
  self->held = held;
  if (held)
    {
      /* A redraw already due keeps its time */
      self->held_due = self->held_due || self->redraw_id != 0;
      g_clear_handle_id (&self->redraw_id, g_source_remove);
    }
  else if (self->held_due)
    {
      self->held_due = FALSE;
      redraw_in_seconds (self, 1);
    }
}

/**
 * fw_plot_catch_up:
 *
 * Draws what a held plot kept waiting, if anything: see fw_plot_set_held().
 */
void
fw_plot_catch_up (FwPlot *self)
{
  g_return_if_fail (FW_IS_PLOT (self));

  if (!self->held_due)
    return;
  self->held_due = FALSE;
  _fw_plot_changed (self);
}

/**
 * fw_plot_set_paused:
 *
 * Pausing holds the plot at now: new readings do not move it, and it can be scrolled back
 * through the history it keeps (fw_plot_scroll_by()). Resuming goes back to live.
 */
void
fw_plot_set_paused (FwPlot   *self,
                    gboolean  paused)
{
  g_return_if_fail (FW_IS_PLOT (self));

  if (paused == (self->end_time != 0))
    return;
  fw_plot_set_end_time (self, paused ? _fw_plot_now (self) : 0);
}

/**
 * _fw_plot_ensure_layout:
 *
 * Places the legend's entries now rather than at the next frame, for a snapshot taken outside
 * of one (the tests').
 */
void
_fw_plot_ensure_layout (FwPlot *self)
{
  GtkAllocation allocation;

  gtk_widget_get_allocation (GTK_WIDGET (self), &allocation);
  if (allocation.width > 0 && allocation.height > 0)
    gtk_widget_size_allocate (GTK_WIDGET (self), &allocation, -1);
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

  _fw_plot_ensure_layout (self);
  self->tick_log = g_ptr_array_new_with_free_func (g_free);
  snapshot = gtk_snapshot_new ();
  _fw_plot_snapshot (GTK_WIDGET (self), snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_clear_pointer (&node, gsk_render_node_unref);
  g_ptr_array_add (self->tick_log, NULL);

  return (char **) g_ptr_array_free (g_steal_pointer (&self->tick_log), FALSE);
}
