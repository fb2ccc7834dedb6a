/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-alerts-view.c: the Alerts view, which the sidebar's "Alerts" row shows: the active alerts,
 * each with the rule's name, its feed, since when and the value or line that fired it, and a
 * button to acknowledge it; the acknowledged ones; then the history of firings and clearings.
 * All of it comes from the process's FwAlertLog; a row opens its feed. What feeds say is
 * never markup here either. */

#include "config.h"

#include <inttypes.h>

#include <string.h>

#include <glib/gi18n.h>

#include "fw-alerts-view.h"
#include "fw-item-object.h"

struct _FwAlertsView
{
  GtkWidget   parent_instance;

  FwAlertLog *log;
  FwFeedList *feeds;
  gboolean    bound;  /* the lists made their rows: on the first showing, not before */

  /* template */
  GtkStack   *stack;
  GtkLabel   *active_heading;
  GtkListBox *active_list;
  GtkLabel   *acknowledged_heading;
  GtkListBox *acknowledged_list;
  GtkLabel   *history_heading;
  GtkListBox *history_list;
  GtkLabel   *dropped_label;
};

G_DEFINE_FINAL_TYPE (FwAlertsView, fw_alerts_view, GTK_TYPE_WIDGET)

typedef enum
{
  SECTION_ACTIVE,
  SECTION_ACKNOWLEDGED,
  SECTION_HISTORY,
} Section;

static const char *
feed_title (FwAlertsView *self,
            const char   *feed)
{
  FwFeedRunner *runner = self->feeds != NULL ? fw_feed_list_lookup (self->feeds, feed, NULL)
                                             : NULL;

  return runner != NULL ? fw_feed_runner_get_title (runner) : feed;
}

static char *
subtitle_for (FwAlertsView *self,
              FwAlertEntry *entry,
              Section       section)
{
  char time[FW_TIME_TEXT_SIZE];
  char *dot;
  const char *feed = feed_title (self, fw_alert_entry_get_feed (entry));
  const char *text = fw_alert_entry_get_text (entry);
  g_autofree char *when = NULL;

  fw_time_format_write (fw_time_format_get_default (), fw_alert_entry_get_time (entry), time);
  /* To the second: the list's milliseconds say little here */
  dot = strchr (time, '.');
  if (dot != NULL && strlen (dot) >= 4)
    memmove (dot, dot + 4, strlen (dot + 4) + 1);
  if (section != SECTION_HISTORY)
    /* Translators: when an alert that is still active fired */
    when = g_strdup_printf (_("since %s"), time);
  else if (fw_alert_entry_get_cleared (entry))
    when = g_strdup_printf (_("cleared at %s"), time);
  else
    when = g_strdup_printf (_("fired at %s"), time);

  if (text == NULL || text[0] == '\0')
    return g_strdup_printf ("%s · %s", feed, when);
  /* Translators: an alert's feed, when it fired or cleared, and the value or line that did it */
  return g_strdup_printf (_("%s · %s · %s"), feed, when, text);
}

static void
update_row (GtkWidget *row)
{
  FwAlertsView *self = g_object_get_data (G_OBJECT (row), "fw-alerts-view");
  FwAlertEntry *entry = g_object_get_data (G_OBJECT (row), "fw-alert-entry");
  Section section = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "fw-section"));
  g_autofree char *subtitle = subtitle_for (self, entry, section);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
}

static void
on_acknowledge_clicked (GtkButton *button,
                        GtkWidget *row)
{
  FwAlertsView *self = g_object_get_data (G_OBJECT (row), "fw-alerts-view");
  FwAlertEntry *entry = g_object_get_data (G_OBJECT (row), "fw-alert-entry");

  fw_alert_log_acknowledge (self->log, entry);
}

static void
on_row_activated (AdwActionRow *row)
{
  FwAlertEntry *entry = g_object_get_data (G_OBJECT (row), "fw-alert-entry");

  /* The feed, and in it the item that fired when the history still keeps it */
  gtk_widget_activate_action (GTK_WIDGET (row), "win.show-item", "(sx)",
                              fw_alert_entry_get_feed (entry), fw_alert_entry_get_time (entry));
}

static GtkWidget *
create_row (FwAlertsView *self,
            FwAlertEntry *entry,
            Section       section)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *spoken = NULL;

  /* The rule's name is the user's, the text the feed's: plain text, both */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), fw_alert_entry_get_rule_name (entry));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  g_object_set_data (G_OBJECT (row), "fw-alerts-view", self);
  g_object_set_data_full (G_OBJECT (row), "fw-alert-entry", g_object_ref (entry), g_object_unref);
  g_object_set_data (G_OBJECT (row), "fw-section", GUINT_TO_POINTER (section));
  gtk_widget_set_tooltip_text (row, fw_alert_entry_get_rule (entry));
  update_row (row);

  if (section == SECTION_HISTORY)
    {
      gboolean cleared = fw_alert_entry_get_cleared (entry);
      GtkWidget *icon = gtk_image_new_from_icon_name (cleared ? "object-select-symbolic"
                                                              : "alarm-symbolic");

      gtk_widget_add_css_class (icon, cleared ? "success" : "warning");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      cleared ? _("Cleared") : _("Fired"), -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
    }
  else
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("alarm-symbolic");

      gtk_widget_add_css_class (icon, section == SECTION_ACTIVE ? "error" : "dim-label");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      /* The value shown follows the series while the alert lasts */
      g_signal_connect_object (entry, "notify::text", G_CALLBACK (update_row), row,
                               G_CONNECT_SWAPPED);
    }

  if (section == SECTION_ACTIVE)
    {
      GtkWidget *button = gtk_button_new_with_label (_("Acknowledge"));

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (button, _("Move to the acknowledged alerts: you saw it"));
      g_signal_connect (button, "clicked", G_CALLBACK (on_acknowledge_clicked), row);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_signal_connect (row, "activated", G_CALLBACK (on_row_activated), NULL);

  return row;
}

static GtkWidget *
create_active_row (gpointer item,
                   gpointer user_data)
{
  return create_row (user_data, item, SECTION_ACTIVE);
}

static GtkWidget *
create_acknowledged_row (gpointer item,
                         gpointer user_data)
{
  return create_row (user_data, item, SECTION_ACKNOWLEDGED);
}

static GtkWidget *
create_history_row (gpointer item,
                    gpointer user_data)
{
  return create_row (user_data, item, SECTION_HISTORY);
}

static void
update_sections (FwAlertsView *self)
{
  guint64 n_dropped;
  gboolean any_acknowledged;

  if (self->log == NULL || fw_alert_log_is_empty (self->log))
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, "alerts");

  any_acknowledged = g_list_model_get_n_items (fw_alert_log_get_acknowledged (self->log)) > 0;
  gtk_widget_set_visible (GTK_WIDGET (self->acknowledged_heading), any_acknowledged);
  gtk_widget_set_visible (GTK_WIDGET (self->acknowledged_list), any_acknowledged);

  n_dropped = fw_alert_log_get_n_dropped (self->log);
  gtk_widget_set_visible (GTK_WIDGET (self->dropped_label), n_dropped > 0);
  if (n_dropped > 0)
    {
      g_autofree char *text = NULL;

      text = g_strdup_printf (g_dngettext (NULL,
                                           "%" PRIu64 " older entry dropped · "
                                           "the history keeps the last %u",
                                           "%" PRIu64 " older entries dropped · "
                                           "the history keeps the last %u",
                                           n_dropped),
                              n_dropped, fw_alert_log_get_max_history (self->log));
      gtk_label_set_text (self->dropped_label, text);
    }
}

static GtkWidget *
placeholder_new (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);

  return label;
}

/* A full history is hundreds of rows, which a window that never shows its alerts need not
 * make: the lists are bound to the log when the view is first shown */
static void
bind_lists (FwAlertsView *self)
{
  if (self->bound || self->log == NULL)
    return;
  self->bound = TRUE;
  gtk_list_box_bind_model (self->active_list, fw_alert_log_get_active (self->log),
                           create_active_row, self, NULL);
  gtk_list_box_bind_model (self->acknowledged_list, fw_alert_log_get_acknowledged (self->log),
                           create_acknowledged_row, self, NULL);
  gtk_list_box_bind_model (self->history_list, fw_alert_log_get_history (self->log),
                           create_history_row, self, NULL);
}

static void
unbind_lists (FwAlertsView *self)
{
  if (!self->bound)
    return;
  self->bound = FALSE;
  gtk_list_box_bind_model (self->active_list, NULL, NULL, NULL, NULL);
  gtk_list_box_bind_model (self->acknowledged_list, NULL, NULL, NULL, NULL);
  gtk_list_box_bind_model (self->history_list, NULL, NULL, NULL, NULL);
}

static void
fw_alerts_view_map (GtkWidget *widget)
{
  bind_lists (FW_ALERTS_VIEW (widget));
  GTK_WIDGET_CLASS (fw_alerts_view_parent_class)->map (widget);
}

/**
 * fw_alerts_view_set_log:
 * @log: (nullable): the alerts to show
 */
void
fw_alerts_view_set_log (FwAlertsView *self,
                        FwAlertLog   *log)
{
  g_return_if_fail (FW_IS_ALERTS_VIEW (self));

  if (self->log != NULL)
    {
      g_signal_handlers_disconnect_by_data (fw_alert_log_get_active (self->log), self);
      g_signal_handlers_disconnect_by_data (fw_alert_log_get_acknowledged (self->log), self);
      g_signal_handlers_disconnect_by_data (fw_alert_log_get_history (self->log), self);
      g_signal_handlers_disconnect_by_data (self->log, self);
    }
  g_set_object (&self->log, log);
  unbind_lists (self);
  if (log != NULL)
    {
      g_signal_connect_object (fw_alert_log_get_active (log), "items-changed",
                               G_CALLBACK (update_sections), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (fw_alert_log_get_acknowledged (log), "items-changed",
                               G_CALLBACK (update_sections), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (fw_alert_log_get_history (log), "items-changed",
                               G_CALLBACK (update_sections), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (log, "notify::n-dropped", G_CALLBACK (update_sections), self,
                               G_CONNECT_SWAPPED);
    }
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    bind_lists (self);
  update_sections (self);
}

/**
 * fw_alerts_view_set_feeds:
 * @feeds: (nullable): the window's feeds, whose titles the rows show
 */
void
fw_alerts_view_set_feeds (FwAlertsView *self,
                          FwFeedList   *feeds)
{
  g_return_if_fail (FW_IS_ALERTS_VIEW (self));

  g_set_object (&self->feeds, feeds);
}

static void
fw_alerts_view_dispose (GObject *object)
{
  FwAlertsView *self = FW_ALERTS_VIEW (object);

  if (self->active_list != NULL)
    unbind_lists (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), FW_TYPE_ALERTS_VIEW);
  g_clear_object (&self->log);
  g_clear_object (&self->feeds);

  G_OBJECT_CLASS (fw_alerts_view_parent_class)->dispose (object);
}

static void
fw_alerts_view_class_init (FwAlertsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fw_alerts_view_dispose;
  widget_class->map = fw_alerts_view_map;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/feedwatch/Feedwatch/fw-alerts-view.ui");
  gtk_widget_class_bind_template_child (widget_class, FwAlertsView, stack);
  gtk_widget_class_bind_template_child (widget_class, FwAlertsView, active_heading);
  gtk_widget_class_bind_template_child (widget_class, FwAlertsView, active_list);
  gtk_widget_class_bind_template_child (widget_class, FwAlertsView, acknowledged_heading);
  gtk_widget_class_bind_template_child (widget_class, FwAlertsView, acknowledged_list);
  gtk_widget_class_bind_template_child (widget_class, FwAlertsView, history_heading);
  gtk_widget_class_bind_template_child (widget_class, FwAlertsView, history_list);
  gtk_widget_class_bind_template_child (widget_class, FwAlertsView, dropped_label);
}

static void
fw_alerts_view_init (FwAlertsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_set_placeholder (self->active_list,
                                placeholder_new (_("No alert is active now")));
  gtk_list_box_set_placeholder (self->history_list, placeholder_new (_("Nothing fired yet")));
  update_sections (self);
}

GtkWidget *
fw_alerts_view_new (void)
{
  return g_object_new (FW_TYPE_ALERTS_VIEW, NULL);
}
