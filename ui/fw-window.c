/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-window.c: the main window.
 *
 * Every feed runs in an FwFeedRunner whose stream is bound to this window: closing the window
 * closes them all (the application's close registry sees the closes through). Items go into
 * an FwHistory ring with no per-item widget or GObject work; the live list (FwItemView)
 * publishes its changes at most once per frame, from a frame-clock tick that is only armed
 * while something is new; while items come slowly, the window asks it to once a second, with
 * the sidebar's and the status line's update, so that an idle window draws a frame a second.
 * Everything from a feed (names, lines, errors) is shown as plain text, never markup. */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "fw-feed-group-row.h"
#include "fw-feed-list.h"
#include "fw-feed-row.h"
#include "fw-feed-store.h"
#include "fw-history.h"
#include "fw-item-view.h"
#include "fw-loop-monitor.h"
#include "fw-plot.h"
#include "fw-series.h"
#include "fw-ui-resources.h"
#include "fw-accessible.h"
#include "fw-window-private.h"

#define MAX_PLOT_SERIES 8

G_DEFINE_FINAL_TYPE (FwWindow, fw_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_RECORDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void fw_window_sync_plot_window (FwWindow *self);

/* ---------------------------------------------------------------------------------------- */
/* Helpers */

static void
toast (FwWindow   *self,
       const char *text)
{
  /* The text may come from a feed, and a toast's title is markup in libadwaita 1.2. */
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* A toast with a button; timeout 0: it stays until the user acts on it or dismisses it. */
void
_fw_window_toast_with_action (FwWindow   *self,
                              const char *text,
                              guint       timeout_s,
                              const char *button,
                              const char *action,
                              GVariant   *target)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, timeout_s);
  adw_toast_set_button_label (toast, button);
  adw_toast_set_action_name (toast, action);
  adw_toast_set_action_target_value (toast, target);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
_fw_window_update_empty_state (FwWindow *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->feeds)) == 0;

  if (self->showing_alerts)
    gtk_stack_set_visible_child_name (self->content_stack, "alerts");
  else
    gtk_stack_set_visible_child_name (self->content_stack, empty ? "empty" : "feeds");
}

/* ---------------------------------------------------------------------------------------- */
/* The sidebar's feeds */

/* The sidebar's rows: made for the feeds on screen, then bound to one feed after another as
 * the list scrolls; a group's folder row takes the place of a feed's row where the list
 * shows a group (and the other way round), so most rows are made once. */
static void
on_feed_row_setup (GtkListItemFactory *factory,
                   GtkListItem        *item)
{
  gtk_list_item_set_child (item, fw_feed_row_new ());
}

static void
on_feed_row_bind (GtkListItemFactory *factory,
                  GtkListItem        *item)
{
  gpointer shown = gtk_list_item_get_item (item);
  GtkWidget *child = gtk_list_item_get_child (item);

  if (FW_IS_FEED_GROUP (shown))
    {
      if (!FW_IS_FEED_GROUP_ROW (child))
        gtk_list_item_set_child (item, child = fw_feed_group_row_new ());
      gtk_list_item_set_selectable (item, FALSE);
      fw_feed_group_row_bind (FW_FEED_GROUP_ROW (child), shown);
      return;
    }
  if (!FW_IS_FEED_ROW (child))
    gtk_list_item_set_child (item, child = fw_feed_row_new ());
  gtk_list_item_set_selectable (item, TRUE);
  fw_feed_row_bind (FW_FEED_ROW (child), FW_FEED_RUNNER (shown));
}

static void
on_feed_row_unbind (GtkListItemFactory *factory,
                    GtkListItem        *item)
{
  GtkWidget *child = gtk_list_item_get_child (item);

  if (FW_IS_FEED_ROW (child))
    fw_feed_row_unbind (FW_FEED_ROW (child));
  else if (FW_IS_FEED_GROUP_ROW (child))
    fw_feed_group_row_unbind (FW_FEED_GROUP_ROW (child));
}

/* ---------------------------------------------------------------------------------------- */
/* Selection, plot */

void
_fw_window_update_plot_series (FwWindow *self)
{
  GPtrArray *series;
  guint n = 0;

  if (self->plot == NULL)
    return;

  for (guint i = 0; i < self->plotted->len; i++)
    fw_plot_remove_series (self->plot, g_ptr_array_index (self->plotted, i));
  g_ptr_array_set_size (self->plotted, 0);

  /* The merged timeline is a list; a numeric feed on its own gets its plot. */
  series = fw_feed_list_get_series (self->feeds, self->selected_feed);
  for (guint i = 0; series != NULL && i < series->len && n < MAX_PLOT_SERIES; i++)
    {
      fw_plot_add_series (self->plot, g_ptr_array_index (series, i));
      g_ptr_array_add (self->plotted, g_object_ref (g_ptr_array_index (series, i)));
      n++;
    }
  /* and what the user added to it from other feeds, while this feed is shown */
  fw_plot_show_feed (self->plot, self->feeds, self->selected_feed);

  gtk_widget_set_visible (GTK_WIDGET (self->plot_box), n > 0);
}

static void
select_feed (FwWindow     *self,
             FwFeedRunner *runner)
{
  g_clear_pointer (&self->selected_feed, g_free);
  if (self->showing_alerts)
    {
      self->showing_alerts = FALSE;
      _fw_window_update_empty_state (self);
    }
  if (runner != NULL)
    {
      self->selected_feed = g_strdup (fw_feed_runner_get_spec (runner));
      adw_window_title_set_title (self->content_title, fw_feed_runner_get_title (runner));
      adw_window_title_set_subtitle (self->content_title, fw_feed_runner_get_spec (runner));
    }
  else
    {
      adw_window_title_set_title (self->content_title, _("All Feeds"));
      adw_window_title_set_subtitle (self->content_title, NULL);
    }

  fw_item_view_set_feed (self->item_view, self->selected_feed);
  _fw_window_update_plot_series (self);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
on_feed_filter_changed (FwWindow *self)
{
  fw_sidebar_model_set_filter (self->sidebar,
                               gtk_editable_get_text (GTK_EDITABLE (self->feed_filter_entry)));
}

static void
on_feed_selected (FwWindow *self)
{
  gpointer runner = gtk_single_selection_get_selected_item (self->feed_selection);

  /* A feed removed or replaced while selected leaves nothing selected: its view stays until
   * the user picks another. */
  if (runner == NULL || !FW_IS_FEED_RUNNER (runner))
    return;

  /* Two lists, one selection */
  gtk_list_box_unselect_all (self->all_list);
  select_feed (self, runner);
}

static void
show_alerts (FwWindow *self)
{
  self->showing_alerts = TRUE;
  /* No feed is selected now: behind the alerts the list shows all feeds, and a sidebar change
   * does not select the last feed again (on_sidebar_changed()) */
  g_clear_pointer (&self->selected_feed, g_free);
  fw_item_view_set_feed (self->item_view, NULL);
  _fw_window_update_plot_series (self);
  adw_window_title_set_title (self->content_title, _("Alerts"));
  adw_window_title_set_subtitle (self->content_title, NULL);
  _fw_window_update_empty_state (self);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

/* The Alerts row counts the active alerts nobody acknowledged yet */
static void
update_alerts_badge (FwWindow *self)
{
  guint n = g_list_model_get_n_items (fw_alert_log_get_active (self->alert_log));
  g_autofree char *text = g_strdup_printf ("%u", n);
  g_autofree char *spoken = g_strdup_printf (g_dngettext (NULL, "%u active alert",
                                                          "%u active alerts", n), n);

  gtk_widget_set_visible (GTK_WIDGET (self->alerts_badge), n > 0);
  gtk_label_set_text (self->alerts_badge, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->alerts_badge),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, spoken, -1);
}

static void
on_all_selected (GtkListBox    *box,
                 GtkListBoxRow *row,
                 FwWindow      *self)
{
  if (row == NULL)
    return;

  /* unselect_all() leaves GtkSingleSelection's item selected (GTK 4.8): this does not */
  gtk_single_selection_set_selected (self->feed_selection, GTK_INVALID_LIST_POSITION);
  if (row == self->alerts_row)
    show_alerts (self);
  else
    select_feed (self, NULL);
}

static void
on_back_clicked (FwWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
on_list_row_activated (FwWindow *self)
{
  /* A tap on the row already selected still opens its items on a narrow window. */
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

/* Enter or a double click: on a feed, opens its items; on a group, folds or unfolds it */
static void
on_feed_list_activated (GtkListView *list,
                        guint        position,
                        FwWindow    *self)
{
  g_autoptr(GObject) shown = g_list_model_get_item (G_LIST_MODEL (self->sidebar), position);

  if (FW_IS_FEED_GROUP (shown))
    _fw_window_toggle_group (self, fw_feed_group_get_name (FW_FEED_GROUP (shown)));
  else
    on_list_row_activated (self);
}

/* The feed list selects on a click and activates only on Enter or a double click: a tap on
 * the feed already selected (not on its menu button) opens its items too, as a tap on
 * "All Feeds" does. */
static void
on_feed_list_pressed (GtkGestureClick *click,
                      int              n_press,
                      double           x,
                      double           y,
                      FwWindow        *self)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self->feed_list), x, y, GTK_PICK_DEFAULT);

  if (n_press == 1 && picked != NULL &&
      gtk_widget_get_ancestor (picked, FW_TYPE_FEED_ROW) != NULL &&
      gtk_widget_get_ancestor (picked, GTK_TYPE_MENU_BUTTON) == NULL)
    on_list_row_activated (self);
}

/* ---------------------------------------------------------------------------------------- */
/* Once a second: rates, sparklines, status line */

/* Runs once a second: a label whose text stays is left alone, so that an idle window draws no
 * frame for it. */
static void
set_label_text (GtkLabel   *label,
                const char *text)
{
  if (g_strcmp0 (gtk_label_get_text (label), text) != 0)
    gtk_label_set_text (label, text);
}

void
_fw_window_update_status_line (FwWindow *self)
{
  g_autofree char *rate = NULL;
  g_autofree char *dropped = NULL;
  g_autofree char *lag = NULL;
  guint64 n_dropped = fw_history_get_n_dropped (self->history);

  rate = g_strdup_printf (_("%.0f items/s"), self->rate);
  dropped = g_strdup_printf (_("%" PRIu64 " dropped · %u kept"), n_dropped,
                             fw_history_get_n_stored (self->history));
  lag = g_strdup_printf (_("main-loop lag p99 %.1f ms"),
                         fw_loop_monitor_get_lag_p99_us (self->lag) / 1000.0);
  set_label_text (self->rate_label, rate);
  set_label_text (self->dropped_label, dropped);
  set_label_text (self->lag_label, lag);
}

/* New items are announced politely: the status line's arrivals label, an accessible of role
 * "status", says how many came in, and GTK 4.8 (which has no gtk_accessible_announce()) tells
 * assistive technologies of its new name (object:property-change:accessible-name). At most once
 * every ANNOUNCE_INTERVAL_US, however fast they come; only while the list follows the live end
 * and the window is the active one: a paused or scrolled-up list has its own "N new items" on
 * the jump button, and a window in the background should not talk over the one in front. What
 * arrived while it could not speak (up to a second before it can again) is not announced. */
#define ANNOUNCE_INTERVAL_US (5 * G_USEC_PER_SEC)

static void
announce_arrivals (FwWindow *self,
                   gint64    now)
{
  g_autofree char *feed = NULL;
  g_autofree char *text = NULL;
  FwFeedRunner *runner;
  guint64 n;

  if (self->item_view == NULL || !fw_item_view_get_following (self->item_view) ||
      !gtk_window_is_active (GTK_WINDOW (self)))
    {
      fw_history_take_arrivals (self->history, NULL);
      return;
    }
  if (self->announced_us != 0 && now - self->announced_us < ANNOUNCE_INTERVAL_US)
    return;
  n = fw_history_take_arrivals (self->history, &feed);
  if (n == 0)
    return;

  runner = feed != NULL ? fw_feed_list_lookup (self->feeds, feed, NULL) : NULL;
  if (runner != NULL)
    /* Translators: announced to screen readers, and shown in the status line; %s is a feed's title */
    text = g_strdup_printf (g_dngettext (NULL, "%" PRIu64 " new item in %s",
                                         "%" PRIu64 " new items in %s", n),
                            n, fw_feed_runner_get_title (runner));
  else
    text = g_strdup_printf (g_dngettext (NULL, "%" PRIu64 " new item",
                                         "%" PRIu64 " new items", n), n);
  /* The same words again would not be heard as news */
  if (g_strcmp0 (gtk_label_get_text (self->arrivals_label), text) == 0)
    gtk_label_set_text (self->arrivals_label, "");
  gtk_label_set_text (self->arrivals_label, text);
  self->announced_us = now;
}

/* The sidebar's rows: each list row holds a feed row. The list also keeps rows for a few
 * feeds beyond its edges; @in_view_only leaves those alone, and they catch up as they scroll
 * into view. */
static void
tick_feed_rows (FwWindow *self,
                gboolean  in_view_only)
{
  GtkWidget *list = GTK_WIDGET (self->feed_list);
  int height = gtk_widget_get_height (list);

  for (GtkWidget *item = gtk_widget_get_first_child (list);
       item != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *row = gtk_widget_get_first_child (item);
      graphene_rect_t bounds;

      if (row == NULL || !FW_IS_FEED_ROW (row))
        continue;
      if (in_view_only &&
          (!gtk_widget_get_child_visible (item) ||
           !gtk_widget_compute_bounds (item, list, &bounds) ||
           bounds.origin.y + bounds.size.height <= 0 || bounds.origin.y >= height))
        continue;
      fw_feed_row_tick (FW_FEED_ROW (row));
    }
}

static void
on_feed_list_scrolled (FwWindow *self)
{
  tick_feed_rows (self, FALSE);
}

/* What the window shows that changes by the second: the sidebar's rows, new items in the list,
 * the status line, the plot */
static void
refresh (FwWindow *self,
         gint64    now)
{
  guint64 total = fw_history_get_n_total (self->history);

  self->ticks_unshown = 0;
  tick_feed_rows (self, TRUE);
  _fw_window_publish_items (self);
  fw_plot_catch_up (self->plot);

  if (self->last_tick_us != 0)
    self->rate = (total - self->items_at_tick) / ((now - self->last_tick_us) / 1e6);
  else
    fw_loop_monitor_reset (self->lag); /* the first second is start-up, not steady state */
  self->items_at_tick = total;
  self->last_tick_us = now;
  _fw_window_update_status_line (self);
  announce_arrivals (self, now);
}

/* In the background (another window is in front), the window refreshes every
 * BACKGROUND_REFRESH_S seconds instead of every second, unless the user turned that off
 * ("save-power-in-background"): each refresh draws a frame, which on software OpenGL is most of
 * what an idle window costs. The feeds' rates are still sampled every second, and the items
 * are all kept: they only show later. An item after a quiet spell or a burst still shows at
 * once (fw-window-feeds.c), and coming to the front refreshes at once. */
#define BACKGROUND_REFRESH_S 3

static gboolean
refreshes_slowly (FwWindow *self)
{
  return !gtk_window_is_active (GTK_WINDOW (self)) &&
         g_settings_get_boolean (self->settings, "save-power-in-background");
}

static void
on_active_changed (FwWindow *self)
{
  gboolean slow = refreshes_slowly (self);

  fw_plot_set_held (self->plot, slow);
  if (!slow && self->ticks_unshown > 0)
    refresh (self, g_get_monotonic_time ());
}

/* The once-a-second tick (tests call it for the timer) */
void
_fw_window_second_tick (FwWindow *self)
{
  gint64 now = g_get_monotonic_time ();
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->feeds));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FwFeedRunner) runner = g_list_model_get_item (G_LIST_MODEL (self->feeds), i);

      fw_feed_runner_tick (runner, now);
      fw_feed_row_record_rate (runner);
    }

  if (++self->ticks_unshown >= BACKGROUND_REFRESH_S || !refreshes_slowly (self))
    refresh (self, now);
}

static gboolean
on_second_tick (gpointer user_data)
{
  _fw_window_second_tick (user_data);

  return G_SOURCE_CONTINUE;
}

/* ---------------------------------------------------------------------------------------- */
/* GObject */

static gboolean
history_max_bytes_from_mb (GValue   *value,
                           GVariant *variant,
                           gpointer  user_data)
{
  g_value_set_uint64 (value, (guint64) g_variant_get_uint32 (variant) * 1000 * 1000);
  return TRUE;
}

static void
on_plot_feed_series_changed (FwWindow *self)
{
  g_autoptr(GVariant) feed_series = fw_plot_dup_feed_series (self->plot);
  g_autoptr(GVariant) kept = g_settings_get_value (self->settings, "plot-feed-series");

  if (!g_variant_equal (feed_series, kept))
    g_settings_set_value (self->settings, "plot-feed-series", feed_series);
}

static void
fw_window_constructed (GObject *object)
{
  FwWindow *self = FW_WINDOW (object);

  G_OBJECT_CLASS (fw_window_parent_class)->constructed (object);

  self->settings = g_settings_new (APP_ID);
  fw_history_set_capacity (self->history, g_settings_get_uint (self->settings, "history-length"));
  g_settings_bind (self->settings, "history-length", self->history, "capacity",
                   G_SETTINGS_BIND_GET);
  g_settings_bind_with_mapping (self->settings, "history-max-mb", self->history, "max-bytes",
                                G_SETTINGS_BIND_GET, history_max_bytes_from_mb, NULL, NULL, NULL);
  _fw_window_sidebar_load (self);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (self->settings, "changed::save-power-in-background",
                           G_CALLBACK (on_active_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::is-active", G_CALLBACK (on_active_changed), NULL);
  on_active_changed (self);
  g_settings_bind (self->settings, "details-width", self->item_view, "details-width",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "details-height", self->item_view, "details-height",
                   G_SETTINGS_BIND_DEFAULT);
  /* GSettings binds no GVariant property */
  {
    g_autoptr(GVariant) feed_series = g_settings_get_value (self->settings, "plot-feed-series");

    fw_plot_set_feed_series (self->plot, feed_series);
    g_signal_connect_object (self->plot, "notify::feed-series",
                             G_CALLBACK (on_plot_feed_series_changed), self, G_CONNECT_SWAPPED);
  }

  if (self->recording != NULL)
    _fw_window_replay_load (self);
  else
    _fw_window_load_feeds (self);
}

static void
fw_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  FwWindow *self = FW_WINDOW (object);

  switch (prop_id)
    {
    case PROP_RECORDING:
      g_value_set_string (value, self->recording);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  FwWindow *self = FW_WINDOW (object);

  switch (prop_id)
    {
    case PROP_RECORDING:
      self->recording = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_window_dispose (GObject *object)
{
  FwWindow *self = FW_WINDOW (object);

  /* Before anything else goes: no stream callback may reach a dying widget. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->second_tick_id, g_source_remove);
  _fw_window_record_dispose (self);
  _fw_window_replay_dispose (self);

  /* Where the logs were read to, before their streams go */
  if (self->store != NULL)
    fw_feed_store_close (self->store);

  /* Runners stop here (their streams close through the registry); their signal handlers were
   * connected with g_signal_connect_object and go with this window. */
  if (self->feeds != NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->feeds));
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(FwFeedRunner) runner = g_list_model_get_item (G_LIST_MODEL (self->feeds), i);
          fw_feed_runner_stop (runner);
        }
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), FW_TYPE_WINDOW);

  g_clear_object (&self->feed_selection);
  g_clear_object (&self->sidebar);
  g_clear_object (&self->alert_log);
  g_clear_object (&self->feeds);
  if (self->lag != NULL)
    fw_loop_monitor_stop (self->lag);
  g_clear_object (&self->lag);
  g_clear_pointer (&self->plotted, g_ptr_array_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (fw_window_parent_class)->dispose (object);
}

static void
fw_window_finalize (GObject *object)
{
  FwWindow *self = FW_WINDOW (object);

  g_clear_object (&self->history);
  g_clear_object (&self->cancellable);
  g_free (self->selected_feed);
  g_free (self->recording);

  G_OBJECT_CLASS (fw_window_parent_class)->finalize (object);
}

static void
fw_window_class_init (FwWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = fw_window_constructed;
  object_class->dispose = fw_window_dispose;
  object_class->finalize = fw_window_finalize;
  object_class->get_property = fw_window_get_property;
  object_class->set_property = fw_window_set_property;

  /* A replay window's recording (fw_window_open_recording()) */
  properties[PROP_RECORDING] =
    g_param_spec_string ("recording", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  fw_ui_ensure_resources ();

  g_type_ensure (FW_TYPE_HISTORY);
  g_type_ensure (FW_TYPE_PLOT);
  g_type_ensure (FW_TYPE_ITEM_VIEW);
  g_type_ensure (FW_TYPE_ALERTS_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/feedwatch/Feedwatch/fw-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FwWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, sidebar_bin);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, sidebar_separator);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, all_list);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, all_row);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, alerts_row);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, alerts_badge);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, alerts_view);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, feed_list);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, feed_filter_entry);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, sidebar_title);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, paused_banner);
  gtk_widget_class_bind_template_callback (widget_class, on_feed_filter_changed);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, pause_button);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, plot_box);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, plot);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, item_view);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, plot_window);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, rate_label);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, dropped_label);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, lag_label);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, arrivals_label);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);

  _fw_window_class_actions_init (widget_class);
  _fw_window_class_export_init (widget_class);
  _fw_window_class_record_init (widget_class);
  _fw_window_class_sidebar_init (widget_class);
  _fw_window_class_replay_init (widget_class);
}

static void
fw_window_init (FwWindow *self)
{
  g_autoptr(GtkListItemFactory) feed_rows = NULL;
  GtkGesture *click;

  /* The app's own symbolic icon, for the empty state, also without an application */
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (self))),
                                    "/io/github/feedwatch/Feedwatch/icons");

  self->cancellable = g_cancellable_new ();
  self->history = fw_history_new (FW_HISTORY_DEFAULT_CAPACITY);
  self->feeds = fw_feed_list_new ();
  self->plotted = g_ptr_array_new_with_free_func (g_object_unref);

  gtk_widget_init_template (GTK_WIDGET (self));
  fw_accessible_name_drop_down (self->plot_window, _("Time Window"));

  _fw_window_actions_init (self);
  _fw_window_record_init (self);

  /* The sidebar: "All feeds" (in the template), then the groups and the feeds the filter lets
   * by (fw-sidebar-model.c) */
  self->sidebar = fw_sidebar_model_new (self->feeds);
  self->feed_selection =
    gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->sidebar)));
  gtk_single_selection_set_autoselect (self->feed_selection, FALSE);
  gtk_single_selection_set_can_unselect (self->feed_selection, TRUE);
  gtk_single_selection_set_selected (self->feed_selection, GTK_INVALID_LIST_POSITION);
  feed_rows = gtk_signal_list_item_factory_new ();
  g_signal_connect (feed_rows, "setup", G_CALLBACK (on_feed_row_setup), NULL);
  g_signal_connect (feed_rows, "bind", G_CALLBACK (on_feed_row_bind), NULL);
  g_signal_connect (feed_rows, "unbind", G_CALLBACK (on_feed_row_unbind), NULL);
  gtk_list_view_set_factory (self->feed_list, feed_rows);
  gtk_list_view_set_model (self->feed_list, GTK_SELECTION_MODEL (self->feed_selection));
  gtk_list_box_select_row (self->all_list, self->all_row);
  g_signal_connect_swapped (self->feed_selection, "notify::selected-item",
                            G_CALLBACK (on_feed_selected), self);
  g_signal_connect (self->all_list, "row-selected", G_CALLBACK (on_all_selected), self);
  /* Seen before the row's own gesture claims the click (see on_feed_list_pressed()) */
  click = gtk_gesture_click_new ();
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect (click, "pressed", G_CALLBACK (on_feed_list_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->feed_list), GTK_EVENT_CONTROLLER (click));
  g_signal_connect (self->feed_list, "activate", G_CALLBACK (on_feed_list_activated), self);
  g_signal_connect_object (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->feed_list)),
                           "value-changed", G_CALLBACK (on_feed_list_scrolled), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_swapped (self->all_list, "row-activated",
                            G_CALLBACK (on_list_row_activated), self);
  _fw_window_sidebar_init (self);
  _fw_window_replay_init (self);

  /* The live list shows the history (the view is in the template) */
  fw_item_view_set_feeds (self->item_view, self->feeds);
  fw_item_view_set_history (self->item_view, self->history);

  /* The alerts are the process's, as the rules are: every window shows them */
  self->alert_log = g_object_ref (fw_alert_log_get_default ());
  fw_item_view_set_alert_log (self->item_view, self->alert_log);
  fw_alerts_view_set_feeds (self->alerts_view, self->feeds);
  fw_alerts_view_set_log (self->alerts_view, self->alert_log);
  g_signal_connect_object (fw_alert_log_get_active (self->alert_log), "items-changed",
                           G_CALLBACK (update_alerts_badge), self, G_CONNECT_SWAPPED);
  update_alerts_badge (self);

  /* The plot's time window (the plot and its header are in the template) */
  g_signal_connect_swapped (self->plot_window, "notify::selected",
                            G_CALLBACK (fw_window_sync_plot_window), self);
  fw_window_sync_plot_window (self);

  /* The lag probe: how late the main loop runs a 100 ms timer, over the last minute */
  self->lag = fw_loop_monitor_new (100, 600);
  fw_loop_monitor_start (self->lag);
  self->second_tick_id = g_timeout_add_seconds (1, on_second_tick, self);
  /* Set once: setting a tooltip asks the display server where the pointer is */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->dropped_label),
                               _("Items dropped because the history is full (set its length in Preferences)"));
  _fw_window_update_status_line (self);
}

/* Public */

/**
 * fw_ui_ensure_resources:
 *
 * Registers the UI's resources, once. By hand, because a constructor in a static library may
 * never be linked in; and early, because AdwApplication loads style.css at startup.
 */
void
fw_ui_ensure_resources (void)
{
  static gsize done;

  if (g_once_init_enter (&done))
    {
      fw_ui_register_resource ();
      g_once_init_leave (&done, 1);
    }
}

/**
 * fw_format_value:
 *
 * The list's text for a reading's value, the same as the plot's legend and the sparklines
 * write (fw_units_format()).
 *
 * Returns: (transfer full): a reading for people: "25.3 GB", "42.0%", "55.2 °C"
 */
char *
fw_format_value (double      value,
                 const char *unit)
{
  return fw_units_format (value, unit);
}

FwWindow *
fw_window_new (GtkApplication *application)
{
  return g_object_new (FW_TYPE_WINDOW, "application", application, NULL);
}

static void
fw_window_sync_plot_window (FwWindow *self)
{
  static const guint minutes[] = { 1, 5, 15, 60 };
  guint selected = gtk_drop_down_get_selected (self->plot_window);

  fw_plot_set_window_minutes (self->plot, minutes[MIN (selected, G_N_ELEMENTS (minutes) - 1)]);
}

/**
 * fw_window_get_cancellable:
 *
 * Returns: (transfer none): cancelled when the window closes
 */
GCancellable *
fw_window_get_cancellable (FwWindow *self)
{
  g_return_val_if_fail (FW_IS_WINDOW (self), NULL);

  return self->cancellable;
}

/**
 * fw_window_get_history:
 *
 * Returns: (transfer none): the live list's model
 */
FwHistory *
fw_window_get_history (FwWindow *self)
{
  g_return_val_if_fail (FW_IS_WINDOW (self), NULL);

  return self->history;
}

/**
 * fw_window_get_feeds:
 *
 * Returns: (transfer none): the window's feeds, as a list of #FwFeedRunner
 */
GListModel *
fw_window_get_feeds (FwWindow *self)
{
  g_return_val_if_fail (FW_IS_WINDOW (self), NULL);

  return G_LIST_MODEL (self->feeds);
}

/**
 * fw_window_get_loop_monitor:
 *
 * Returns: (transfer none): the window's main-loop lag probe
 */
FwLoopMonitor *
fw_window_get_loop_monitor (FwWindow *self)
{
  g_return_val_if_fail (FW_IS_WINDOW (self), NULL);

  return self->lag;
}

void
fw_window_toast (FwWindow   *self,
                 const char *text)
{
  g_return_if_fail (FW_IS_WINDOW (self));

  toast (self, text);
}

gboolean
fw_window_is_following (FwWindow *self)
{
  g_return_val_if_fail (FW_IS_WINDOW (self), FALSE);

  return fw_item_view_get_following (self->item_view);
}
