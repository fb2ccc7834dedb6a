/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-plot-pointer.c: what FwPlot does for the pointer and the keyboard.
 *
 * Hovering: a vertical marker at the pointer and a readout beside it with, for each shown
 * series, the reading nearest to that time and its time, written as the list writes values
 * (fw_units_format()). The readout is a label, so it is also what a screen reader reads; it
 * goes when the pointer leaves.
 *
 * Pausing: the pause button (or the window's Space) fixes the plot's end. Paused, dragging,
 * scrolling and Left/Right move the shown window back and forth through the history the
 * series keep; "Back to Live" follows the clock again.
 *
 * Series from other feeds: "Add a Series from Another Feed" lists the numeric series of the
 * window's other feeds; a chosen one joins the plot with its feed's name in the legend, and is
 * remembered for the feed being shown, for the session. */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "fw-plot-private.h"
#include "fw-units.h"

#define EXTRA_SEPARATOR "\x1f"

/* ---- the readout ------------------------------------------------------------------------- */

static gboolean
hover_time (FwPlot *self,
            gint64 *time_us)
{
  if (!self->hovering || self->frame_col_us == 0 ||
      self->hover_x < self->plot_x0 || self->hover_x > self->plot_x1)
    return FALSE;

  *time_us = self->frame_start + (gint64) ((self->hover_x - self->plot_x0) * self->frame_col_us);
  return TRUE;
}

/* How far from the pointer's time a reading may be to be read there: a few columns, or a
 * few of the series' own intervals for a slow one */
static gint64
reach_for (FwPlot             *self,
           const FwPlotSeries *ps)
{
  gint64 reach = 4 * self->frame_col_us;

  if (ps->stats.count > 1)
    reach = MAX (reach, 2 * _fw_plot_window_span (self) / ps->stats.count);

  return reach;
}

static char *
format_clock (gint64 time_us)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (time_us / G_USEC_PER_SEC);

  return g_date_time_format (when, "%H:%M:%S");
}

/* The readout's text: the pointer's time, then a line per shown series */
static char *
dup_readout (FwPlot *self)
{
  g_autoptr(GString) text = NULL;
  g_autofree char *clock = NULL;
  gint64 at;

  if (!hover_time (self, &at))
    return NULL;

  clock = format_clock (at);
  text = g_string_new (clock);
  for (guint i = 0; i < self->series->len; i++)
    {
      FwPlotSeries *ps = g_ptr_array_index (self->series, i);
      g_autofree char *title = NULL;
      gint64 found_us;
      double value;

      if (!_fw_plot_series_visible (ps))
        continue;
      title = _fw_plot_dup_series_title (ps);
      if (fw_series_get_nearest (ps->series, at, reach_for (self, ps), &found_us, &value))
        {
          g_autofree char *v = fw_units_format (value, fw_series_get_unit (ps->series));
          g_autofree char *t = format_clock (found_us);

          g_string_append_printf (text, "\n%s: %s at %s", title, v, t);
        }
      else
        {
          g_string_append_c (text, '\n');
          g_string_append_printf (text, _("%s: no reading here"), title);
        }
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The label and the plot's accessible description follow the pointer (and, live, the data
 * moving under it). */
void
_fw_plot_update_readout (FwPlot *self)
{
  g_autofree char *text = dup_readout (self);

  if (text == NULL)
    {
      if (gtk_widget_get_visible (self->readout))
        {
          gtk_widget_set_visible (self->readout, FALSE);
          gtk_accessible_reset_property (GTK_ACCESSIBLE (self),
                                         GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
        }
      return;
    }

  /* Plain text: names come from feeds. */
  if (g_strcmp0 (gtk_label_get_text (GTK_LABEL (self->readout)), text) != 0)
    {
      gtk_label_set_text (GTK_LABEL (self->readout), text);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
    }
  gtk_widget_set_visible (self->readout, TRUE);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

/**
 * _fw_plot_dup_readout_text:
 *
 * Returns: (transfer full) (nullable): what the readout shows, %NULL when it is not shown
 */
char *
_fw_plot_dup_readout_text (FwPlot *self)
{
  if (!gtk_widget_get_visible (self->readout))
    return NULL;

  return g_strdup (gtk_label_get_text (GTK_LABEL (self->readout)));
}

/* The marker, and a dot on each shown series at the reading the readout gives */
void
_fw_plot_snapshot_marker (FwPlot      *self,
                          GtkSnapshot *snapshot,
                          GArray      *groups,
                          gboolean     dark)
{
  GdkRGBA fg;
  gint64 at;

  if (!hover_time (self, &at))
    return;

  _fw_plot_is_dark (self, &fg);
  fg = _fw_plot_with_alpha (&fg, 0.5);
  gtk_snapshot_append_color (snapshot, &fg,
                             &GRAPHENE_RECT_INIT (round (self->hover_x), self->plot_y0, 1,
                                                  self->plot_y1 - self->plot_y0));

  for (guint i = 0; i < self->series->len; i++)
    {
      FwPlotSeries *ps = g_ptr_array_index (self->series, i);
      const FwPlotUnitGroup *g = &g_array_index (groups, FwPlotUnitGroup, ps->group);
      gint64 found_us;
      double value, x, y;
      GdkRGBA color;

      if (!_fw_plot_series_visible (ps) ||
          !fw_series_get_nearest (ps->series, at, reach_for (self, ps), &found_us, &value))
        continue;
      x = self->plot_x0 + (double) (found_us - self->frame_start) / self->frame_col_us;
      y = _fw_plot_value_to_y (g, value, self->plot_y0, self->plot_y1);
      if (x < self->plot_x0 || x > self->plot_x1)
        continue;
      _fw_plot_get_series_color (ps->color, dark, &color);
      gtk_snapshot_append_color (snapshot, &color, &GRAPHENE_RECT_INIT (x - 3, y - 3, 6, 6));
    }

  gtk_widget_snapshot_child (GTK_WIDGET (self), self->readout, snapshot);
}

static void
on_motion (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           FwPlot                   *self)
{
  gboolean over = y >= self->plot_y0 && y <= self->plot_y1 &&
                  x >= self->plot_x0 && x <= self->plot_x1;

  if (!over && !self->hovering)
    return;
  self->hovering = over;
  self->hover_x = x;
  _fw_plot_update_readout (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_leave (GtkEventControllerMotion *motion,
          FwPlot                   *self)
{
  if (!self->hovering)
    return;
  self->hovering = FALSE;
  _fw_plot_update_readout (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ---- pause and scroll back --------------------------------------------------------------- */

/**
 * fw_plot_scroll_by:
 * @delta_us: how far to move the shown window; negative goes back in time
 *
 * Paused, moves the shown window within the history the shown series keep, from their oldest
 * reading to now. Live, does nothing.
 */
void
fw_plot_scroll_by (FwPlot *self,
                   gint64  delta_us)
{
  gint64 now = _fw_plot_now (self);
  gint64 oldest = G_MAXINT64, lowest, end;

  g_return_if_fail (FW_IS_PLOT (self));

  if (self->end_time == 0)
    return;

  for (guint i = 0; i < self->series->len; i++)
    {
      FwPlotSeries *ps = g_ptr_array_index (self->series, i);
      gint64 first;

      if (_fw_plot_series_visible (ps) && fw_series_get_time_range (ps->series, &first, NULL))
        oldest = MIN (oldest, first);
    }

  /* Back to where the window starts at the oldest reading, not into nothing; forward to now.
   * Where the plot already is stays allowed (a history shorter than the window). */
  lowest = oldest == G_MAXINT64 ? self->end_time : oldest + _fw_plot_window_span (self);
  lowest = MIN (lowest, self->end_time);
  end = CLAMP (self->end_time + delta_us, lowest, MAX (now, self->end_time));
  fw_plot_set_end_time (self, MAX (end, 1));
}

static gint64
step_us (FwPlot *self)
{
  return _fw_plot_window_span (self) / 10;
}

static gboolean
on_key_pressed (GtkEventControllerKey *key,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                FwPlot                *self)
{
  gint64 step = (state & GDK_SHIFT_MASK) ? _fw_plot_window_span (self) : step_us (self);

  if (self->end_time == 0)
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      fw_plot_scroll_by (self, -step);
      return TRUE;

    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      fw_plot_scroll_by (self, step);
      return TRUE;

    case GDK_KEY_Page_Up:
      fw_plot_scroll_by (self, -_fw_plot_window_span (self));
      return TRUE;

    case GDK_KEY_Page_Down:
      fw_plot_scroll_by (self, _fw_plot_window_span (self));
      return TRUE;

    default:
      return FALSE;
    }
}

static gboolean
on_scroll (GtkEventControllerScroll *scroll,
           double                    dx,
           double                    dy,
           FwPlot                   *self)
{
  /* Live, the list under the plot scrolls as usual. */
  if (self->end_time == 0)
    return FALSE;

  fw_plot_scroll_by (self, (gint64) ((dx != 0 ? dx : dy) * step_us (self) / 2));
  return TRUE;
}

static void
on_drag_begin (GtkGestureDrag *drag,
               double          x,
               double          y,
               FwPlot         *self)
{
  if (self->end_time == 0 || self->frame_col_us == 0)
    {
      gtk_gesture_set_state (GTK_GESTURE (drag), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  self->drag_end = self->end_time;
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

/* The data follows the pointer: dragging right brings earlier readings into view. */
static void
on_drag_update (GtkGestureDrag *drag,
                double          dx,
                double          dy,
                FwPlot         *self)
{
  gint64 target;

  if (self->end_time == 0 || self->drag_end == 0)
    return;
  target = self->drag_end - (gint64) (dx * self->frame_col_us);
  fw_plot_scroll_by (self, target - self->end_time);
}

static void
on_drag_end (GtkGestureDrag *drag,
             double          dx,
             double          dy,
             FwPlot         *self)
{
  self->drag_end = 0;
}

static void
sync_pause_controls (FwPlot *self)
{
  gboolean paused = self->end_time != 0;

  gtk_widget_set_visible (self->live_button, paused);
  gtk_widget_set_tooltip_text (self->pause_button,
                               paused ? _("Resume the Plot") : _("Pause the Plot"));
}

static void
back_to_live_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  fw_plot_set_paused (FW_PLOT (widget), FALSE);
}

/* ---- series from other feeds ------------------------------------------------------------- */

static GPtrArray *
context_extras (FwPlot   *self,
                gboolean  create)
{
  const char *key = self->context != NULL ? self->context : "";
  GPtrArray *extras = g_hash_table_lookup (self->extras, key);

  if (extras == NULL && create)
    {
      extras = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (self->extras, g_strdup (key), extras);
    }

  return extras;
}

static FwSeries *
lookup_series (FwPlot        *self,
               const char    *feed_id,
               const char    *name,
               FwFeedRunner **runner)
{
  GPtrArray *list;

  *runner = self->feeds != NULL ? fw_feed_list_lookup (self->feeds, feed_id, NULL) : NULL;
  if (*runner == NULL)
    return NULL;
  list = fw_feed_list_get_series (self->feeds, feed_id);
  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      FwSeries *series = g_ptr_array_index (list, i);

      if (g_str_equal (fw_series_get_name (series), name))
        return series;
    }

  return NULL;
}

static void
show_extra (FwPlot     *self,
            const char *key)
{
  g_auto(GStrv) parts = g_strsplit (key, EXTRA_SEPARATOR, 2);
  FwFeedRunner *runner = NULL;
  FwSeries *series;

  if (g_strv_length (parts) != 2)
    return;
  series = lookup_series (self, parts[0], parts[1], &runner);
  if (series != NULL)
    _fw_plot_add_series_full (self, series, parts[0], fw_feed_runner_get_title (runner));
}

void
_fw_plot_forget_extras (FwPlot     *self,
                        const char *feed_id,
                        const char *name)
{
  g_autofree char *key = g_strconcat (feed_id, EXTRA_SEPARATOR, name, NULL);
  GPtrArray *extras = context_extras (self, FALSE);

  for (guint i = 0; extras != NULL && i < extras->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (extras, i), key))
        {
          g_ptr_array_remove_index (extras, i);
          _fw_plot_notify_feed_series (self);
          break;
        }
    }
}

/**
 * fw_plot_show_feed:
 * @feeds: the window's feeds, where series from other feeds are found
 * @feed_id: (nullable): the feed whose series the plot shows now, %NULL for all
 *
 * Puts back the series the user added from other feeds while @feed_id was shown, after the
 * feed's own (call it once they are added), and takes away those added for another feed.
 */
void
fw_plot_show_feed (FwPlot     *self,
                   FwFeedList *feeds,
                   const char *feed_id)
{
  GPtrArray *extras;

  g_return_if_fail (FW_IS_PLOT (self));
  g_return_if_fail (FW_IS_FEED_LIST (feeds));

  g_set_object (&self->feeds, feeds);
  for (guint i = self->series->len; i > 0; i--)
    {
      FwPlotSeries *ps = g_ptr_array_index (self->series, i - 1);

      if (ps->feed_id != NULL)
        fw_plot_remove_series (self, ps->series);
    }
  g_free (self->context);
  self->context = g_strdup (feed_id);

  extras = context_extras (self, FALSE);
  for (guint i = 0; extras != NULL && i < extras->len; i++)
    show_extra (self, g_ptr_array_index (extras, i));
}

/**
 * fw_plot_add_feed_series:
 * @feed_id: another feed of the window
 * @name: the name of one of its series
 *
 * Adds that series to the plot, with its feed's name, for as long as the feed shown now is.
 *
 * Returns: %FALSE if there is no such series (any more)
 */
gboolean
fw_plot_add_feed_series (FwPlot     *self,
                         const char *feed_id,
                         const char *name)
{
  g_autofree char *key = NULL;
  FwFeedRunner *runner = NULL;
  FwSeries *series;
  GPtrArray *extras;

  g_return_val_if_fail (FW_IS_PLOT (self), FALSE);

  series = lookup_series (self, feed_id, name, &runner);
  if (series == NULL)
    return FALSE;

  key = g_strconcat (feed_id, EXTRA_SEPARATOR, name, NULL);
  extras = context_extras (self, TRUE);
  if (!g_ptr_array_find_with_equal_func (extras, key, g_str_equal, NULL))
    {
      g_ptr_array_add (extras, g_strdup (key));
      _fw_plot_notify_feed_series (self);
    }
  _fw_plot_add_series_full (self, series, feed_id, fw_feed_runner_get_title (runner));

  return TRUE;
}

/**
 * fw_plot_dup_feed_series:
 *
 * Returns: (transfer full): the series added from other feeds, as FwPlot:feed-series
 */
GVariant *
fw_plot_dup_feed_series (FwPlot *self)
{
  GVariantBuilder builder;
  g_autoptr(GList) contexts = NULL;

  g_return_val_if_fail (FW_IS_PLOT (self), NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{sa(ss)}"));
  /* Sorted, so that the same series make the same value */
  contexts = g_list_sort (g_hash_table_get_keys (self->extras), (GCompareFunc) strcmp);
  for (GList *l = contexts; l != NULL; l = l->next)
    {
      GPtrArray *extras = g_hash_table_lookup (self->extras, l->data);

      if (extras->len == 0)
        continue;
      g_variant_builder_open (&builder, G_VARIANT_TYPE ("{sa(ss)}"));
      g_variant_builder_add (&builder, "s", l->data);
      g_variant_builder_open (&builder, G_VARIANT_TYPE ("a(ss)"));
      for (guint i = 0; i < extras->len; i++)
        {
          g_auto(GStrv) parts = g_strsplit (g_ptr_array_index (extras, i), EXTRA_SEPARATOR, 2);

          g_variant_builder_add (&builder, "(ss)", parts[0], parts[1]);
        }
      g_variant_builder_close (&builder);
      g_variant_builder_close (&builder);
    }

  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

/**
 * fw_plot_set_feed_series:
 * @feed_series: (nullable): as FwPlot:feed-series; %NULL for none
 *
 * Puts back the series added from other feeds, as kept from an earlier launch. Series whose
 * feeds have brought no readings yet show when they do (the window calls fw_plot_show_feed()
 * as series come).
 */
void
fw_plot_set_feed_series (FwPlot   *self,
                         GVariant *feed_series)
{
  GVariantIter iter;
  const char *context;
  GVariantIter *pairs;

  g_return_if_fail (FW_IS_PLOT (self));
  g_return_if_fail (feed_series == NULL ||
                    g_variant_is_of_type (feed_series, G_VARIANT_TYPE ("a{sa(ss)}")));

  g_hash_table_remove_all (self->extras);
  if (feed_series != NULL)
    {
      g_variant_iter_init (&iter, feed_series);
      while (g_variant_iter_next (&iter, "{&sa(ss)}", &context, &pairs))
        {
          GPtrArray *extras = g_ptr_array_new_with_free_func (g_free);
          const char *feed_id, *name;

          while (g_variant_iter_next (pairs, "(&s&s)", &feed_id, &name))
            {
              /* A key of ours could not be split back */
              if (strstr (feed_id, EXTRA_SEPARATOR) == NULL)
                g_ptr_array_add (extras, g_strconcat (feed_id, EXTRA_SEPARATOR, name, NULL));
            }
          g_variant_iter_free (pairs);
          g_hash_table_replace (self->extras, g_strdup (context), extras);
        }
    }
  if (self->feeds != NULL)
    {
      g_autofree char *shown = g_strdup (self->context);

      fw_plot_show_feed (self, self->feeds, shown);
    }
  _fw_plot_notify_feed_series (self);
}

static void
add_series_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  const char *feed_id, *name;

  g_variant_get (parameter, "(&s&s)", &feed_id, &name);
  fw_plot_add_feed_series (FW_PLOT (widget), feed_id, name);
}

static gboolean
is_plotted (FwPlot   *self,
            FwSeries *series)
{
  for (guint i = 0; i < self->series->len; i++)
    {
      if (((FwPlotSeries *) g_ptr_array_index (self->series, i))->series == series)
        return TRUE;
    }

  return FALSE;
}

/* The menu, made as it opens: the series of the other feeds now, those not on the plot. */
static void
build_add_menu (GtkMenuButton *button,
                gpointer       user_data)
{
  FwPlot *self = user_data;
  g_autoptr(GMenu) menu = g_menu_new ();
  guint n_feeds = self->feeds != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->feeds)) : 0;

  for (guint f = 0; f < n_feeds; f++)
    {
      g_autoptr(FwFeedRunner) runner = g_list_model_get_item (G_LIST_MODEL (self->feeds), f);
      const char *feed_id = fw_feed_runner_get_spec (runner);
      GPtrArray *list = fw_feed_list_get_series (self->feeds, feed_id);
      g_autoptr(GMenu) section = g_menu_new ();

      if (g_strcmp0 (feed_id, self->context) == 0 || list == NULL)
        continue;
      for (guint i = 0; i < list->len; i++)
        {
          FwSeries *series = g_ptr_array_index (list, i);
          const char *unit = fw_series_get_unit (series);
          g_autofree char *label = NULL;
          g_autoptr(GMenuItem) item = NULL;

          if (is_plotted (self, series))
            continue;
          label = unit[0] != '\0' ? g_strdup_printf ("%s (%s)", fw_series_get_name (series), unit)
                                  : g_strdup (fw_series_get_name (series));
          /* Menu labels take mnemonics: a feed's "_" stays an underscore. */
          {
            g_autoptr(GString) escaped = g_string_new (label);

            g_string_replace (escaped, "_", "__", 0);
            item = g_menu_item_new (escaped->str, NULL);
          }
          g_menu_item_set_action_and_target (item, "plot.add-series", "(ss)", feed_id,
                                             fw_series_get_name (series));
          g_menu_append_item (section, item);
        }
      if (g_menu_model_get_n_items (G_MENU_MODEL (section)) > 0)
        {
          g_autoptr(GString) title = g_string_new (fw_feed_runner_get_title (runner));

          g_string_replace (title, "_", "__", 0);
          g_menu_append_section (menu, title->str, G_MENU_MODEL (section));
        }
    }

  if (g_menu_model_get_n_items (G_MENU_MODEL (menu)) == 0)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (_("No other feed has numeric readings yet"),
                                                   "plot.nothing-to-add");

      g_menu_append_item (menu, item);
    }

  gtk_menu_button_set_menu_model (button, G_MENU_MODEL (menu));
}

/* ---- the context menu: an alert at the readings under the pointer ------------------------ */

/**
 * _fw_plot_dup_alert_menu:
 * @x: where the pointer is, in the plot's coordinates
 *
 * Returns: (transfer full): "Alert When … Is Above …" for each shown series with a reading
 *   at @x's time, its value the limit; or an item saying there is none
 */
GMenu *
_fw_plot_dup_alert_menu (FwPlot *self,
                         double  x)
{
  GMenu *menu = g_menu_new ();
  gint64 at;

  if (self->frame_col_us != 0 && x >= self->plot_x0 && x <= self->plot_x1)
    {
      at = self->frame_start + (gint64) ((x - self->plot_x0) * self->frame_col_us);
      for (guint i = 0; i < self->series->len; i++)
        {
          FwPlotSeries *ps = g_ptr_array_index (self->series, i);
          const char *unit = fw_series_get_unit (ps->series);
          const char *feed = ps->feed_id != NULL ? ps->feed_id
                             : self->context != NULL ? self->context : "";
          g_autofree char *title = NULL;
          g_autofree char *value_text = NULL;
          g_autofree char *label = NULL;
          g_autoptr(GString) escaped = NULL;
          g_autoptr(GMenuItem) item = NULL;
          gint64 found_us;
          double value;

          if (!_fw_plot_series_visible (ps) ||
              !fw_series_get_nearest (ps->series, at, reach_for (self, ps), &found_us, &value))
            continue;
          title = _fw_plot_dup_series_title (ps);
          value_text = fw_units_format (value, unit);
          /* Translators: the first %s is a series ("cpu usage"), the second a value ("92 %") */
          label = g_strdup_printf (_("Alert When %s Is Above %s…"), title, value_text);
          /* Menu labels take mnemonics: a feed's "_" stays an underscore. */
          escaped = g_string_new (label);
          g_string_replace (escaped, "_", "__", 0);
          item = g_menu_item_new (escaped->str, NULL);
          g_menu_item_set_action_and_target (item, "win.alert-above", "(ssds)", feed,
                                             fw_series_get_name (ps->series), value,
                                             unit != NULL ? unit : "");
          g_menu_append_item (menu, item);
        }
    }
  if (g_menu_model_get_n_items (G_MENU_MODEL (menu)) == 0)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (_("No reading here to alert on"),
                                                   "plot.nothing-to-add");

      g_menu_append_item (menu, item);
    }

  return menu;
}

static void
on_context_click (GtkGestureClick *click,
                  int              n_press,
                  double           x,
                  double           y,
                  FwPlot          *self)
{
  g_autoptr(GMenu) menu = _fw_plot_dup_alert_menu (self, x);

  gtk_gesture_set_state (GTK_GESTURE (click), GTK_EVENT_SEQUENCE_CLAIMED);
  if (self->context_menu == NULL)
    {
      self->context_menu = gtk_popover_menu_new_from_model (NULL);
      gtk_popover_set_has_arrow (GTK_POPOVER (self->context_menu), FALSE);
      gtk_widget_set_halign (self->context_menu, GTK_ALIGN_START);
      gtk_widget_set_parent (self->context_menu, GTK_WIDGET (self));
    }
  gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->context_menu), G_MENU_MODEL (menu));
  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu),
                               &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
}

/* ---- set-up ------------------------------------------------------------------------------ */

void
_fw_plot_pointer_init (FwPlot *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkEventController *key = gtk_event_controller_key_new ();
  GtkEventController *scroll =
    gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES |
                                     GTK_EVENT_CONTROLLER_SCROLL_DISCRETE);
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkGesture *context_click = gtk_gesture_click_new ();
  PangoAttrList *attrs = pango_attr_list_new ();

  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  g_signal_connect (key, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);

  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (context_click), GDK_BUTTON_SECONDARY);
  g_signal_connect (context_click, "pressed", G_CALLBACK (on_context_click), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (context_click));

  /* The plot takes focus for the arrow keys when paused. */
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);

  self->controls = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  gtk_widget_set_visible (self->controls, FALSE);
  gtk_widget_set_parent (self->controls, GTK_WIDGET (self));

  self->live_button = gtk_button_new_with_label (_("Back to Live"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->live_button), "plot.back-to-live");
  gtk_widget_set_tooltip_text (self->live_button, _("Follow New Readings Again"));
  gtk_widget_add_css_class (self->live_button, "pill");
  gtk_widget_add_css_class (self->live_button, "suggested-action");
  gtk_widget_add_css_class (self->live_button, "fw-plot-live");
  gtk_box_append (GTK_BOX (self->controls), self->live_button);

  self->pause_button = gtk_toggle_button_new ();
  gtk_button_set_icon_name (GTK_BUTTON (self->pause_button), "media-playback-pause-symbolic");
  gtk_widget_add_css_class (self->pause_button, "flat");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->pause_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Pause the Plot"), -1);
  g_object_bind_property (self, "paused", self->pause_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  gtk_box_append (GTK_BOX (self->controls), self->pause_button);

  self->add_button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (self->add_button), "list-add-symbolic");
  gtk_widget_set_tooltip_text (self->add_button, _("Add a Series from Another Feed…"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->add_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Add a Series from Another Feed…"), -1);
  gtk_menu_button_set_has_frame (GTK_MENU_BUTTON (self->add_button), FALSE);
  gtk_menu_button_set_create_popup_func (GTK_MENU_BUTTON (self->add_button), build_add_menu,
                                         self, NULL);
  gtk_box_append (GTK_BOX (self->controls), self->add_button);

  g_signal_connect_swapped (self, "notify::paused", G_CALLBACK (sync_pause_controls), self);
  sync_pause_controls (self);

  self->readout = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->readout), 0);
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum"));
  gtk_label_set_attributes (GTK_LABEL (self->readout), attrs);
  pango_attr_list_unref (attrs);
  gtk_widget_add_css_class (self->readout, "fw-plot-readout");
  gtk_widget_set_can_target (self->readout, FALSE);
  gtk_widget_set_visible (self->readout, FALSE);
  gtk_widget_set_parent (self->readout, GTK_WIDGET (self));
}

void
_fw_plot_class_pointer_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "plot.back-to-live", NULL,
                                   back_to_live_action);
  gtk_widget_class_install_action (widget_class, "plot.add-series", "(ss)", add_series_action);
}
