/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-window-actions.c: the window's actions ("win.*") and its keys */

#include "config.h"

#include <glib/gi18n.h>

#include "fw-add-feed-dialog.h"
#include "fw-alert-rule-dialog.h"
#include "fw-alert-rules-window.h"
#include "fw-window-private.h"

static void
add_feed_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  FwWindow *self = FW_WINDOW (widget);

  gtk_window_present (GTK_WINDOW (fw_add_feed_dialog_new (self)));
}

/* Alert rules: the list of them, and the rule dialog opened ready for where it was asked from */

static void
alert_rules_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  gtk_window_present (GTK_WINDOW (fw_alert_rules_window_new (FW_WINDOW (widget))));
}

static FwAlertRuleDialog *
new_alert_rule_dialog (FwWindow *self)
{
  return FW_ALERT_RULE_DIALOG (fw_alert_rule_dialog_new (GTK_WINDOW (self), self));
}

/* "Alert When…" in a feed's menu */
static void
alert_when_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  FwAlertRuleDialog *dialog = new_alert_rule_dialog (FW_WINDOW (widget));

  fw_alert_rule_dialog_prefill_feed (dialog, g_variant_get_string (parameter, NULL));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* "Alert on Lines Like This" in a row's menu: (feed, the row's line) */
static void
alert_on_line_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  FwAlertRuleDialog *dialog = new_alert_rule_dialog (FW_WINDOW (widget));
  const char *feed, *line;

  g_variant_get (parameter, "(&s&s)", &feed, &line);
  fw_alert_rule_dialog_prefill_match (dialog, feed[0] != '\0' ? feed : NULL, line);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* "Alert Above This Value" from the plot: (feed or "", series, value, unit or "") */
static void
alert_above_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  FwAlertRuleDialog *dialog = new_alert_rule_dialog (FW_WINDOW (widget));
  const char *feed, *series, *unit;
  double value;

  g_variant_get (parameter, "(&s&sd&s)", &feed, &series, &value, &unit);
  fw_alert_rule_dialog_prefill_threshold (dialog, feed, series, value, unit);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  FwWindow *self = FW_WINDOW (widget);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  gboolean searching = FALSE;

  /* Ctrl+F opens the search, or closes it from its entry */
  g_object_get (self->item_view, "search-mode", &searching, NULL);
  if (searching && focus != NULL && gtk_widget_get_ancestor (focus, GTK_TYPE_SEARCH_ENTRY) != NULL)
    g_object_set (self->item_view, "search-mode", FALSE, NULL);
  else
    fw_item_view_start_search (self->item_view);
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  FwWindow *self = FW_WINDOW (widget);

  fw_history_clear (self->history);
  _fw_window_update_status_line (self);
}

static void
remove_feed_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  fw_window_remove_feed (FW_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
toggle_feed_paused_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  FwFeedRunner *runner =
    fw_feed_list_lookup (FW_WINDOW (widget)->feeds, g_variant_get_string (parameter, NULL), NULL);

  if (runner != NULL)
    fw_feed_runner_set_paused (runner, !fw_feed_runner_get_paused (runner));
}

static void
show_feed_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  FwWindow *self = FW_WINDOW (widget);
  FwFeedRunner *runner = fw_feed_list_lookup (self->feeds, g_variant_get_string (parameter, NULL),
                                              NULL);
  guint position;

  /* The sidebar lists every feed once its filter is cleared and the feed's group unfolded:
   * selecting the row selects the feed. */
  if (runner == NULL)
    return;
  gtk_editable_set_text (GTK_EDITABLE (self->feed_filter_entry), "");
  fw_sidebar_model_set_filter (self->sidebar, NULL);
  if (fw_feed_runner_get_group (runner) != NULL &&
      !fw_sidebar_model_get_expanded (self->sidebar, fw_feed_runner_get_group (runner)))
    _fw_window_toggle_group (self, fw_feed_runner_get_group (runner));
  if (fw_sidebar_model_find (self->sidebar, runner, &position))
    {
      gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->feed_selection), position,
                                       TRUE);
      gtk_widget_activate_action (GTK_WIDGET (self->feed_list), "list.scroll-to-item", "u",
                                  position);
    }
}

/* An alert's "Show": its feed, and in it the item that fired (when the history still keeps
 * it); time 0 shows the feed alone */
static void
show_item_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  FwWindow *self = FW_WINDOW (widget);
  const char *feed;
  gint64 time_us;

  g_variant_get (parameter, "(&sx)", &feed, &time_us);
  gtk_widget_activate_action (widget, "win.show-feed", "s", feed);
  if (time_us != 0)
    fw_item_view_show_item (self->item_view, feed, time_us);
}

static void
save_credentials_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  FwWindow *self = FW_WINDOW (widget);
  FwFeedRunner *runner =
    fw_feed_list_lookup (self->feeds, g_variant_get_string (parameter, NULL), NULL);

  if (runner != NULL && fw_feed_store_secrets_unsaved (self->store, runner))
    fw_feed_store_store_secrets (self->store, runner);
}

static void
restart_feed_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  FwWindow *self = FW_WINDOW (widget);
  FwFeedRunner *runner =
    fw_feed_list_lookup (self->feeds, g_variant_get_string (parameter, NULL), NULL);
  g_autoptr(GError) error = NULL;

  /* A feed whose credentials could not be read tries the keyring again. */
  if (runner != NULL &&
      fw_feed_spec_has_placeholders (fw_feed_runner_get_spec_with_secrets (runner)))
    fw_feed_store_restore_secrets (self->store, runner, self->cancellable);
  else if (runner != NULL && !fw_feed_runner_retry_now (runner, &error))
    fw_window_toast (self, error->message);
}

/* What the rename dialog's answer applies to: the dialog owns it. */
typedef struct
{
  GtkEditable  *entry;
  FwFeedRunner *runner;
} Rename;

static void
rename_free (gpointer  data,
             GClosure *closure)
{
  Rename *rename = data;

  g_object_unref (rename->runner);
  g_free (rename);
}

static void
on_rename_response (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  Rename *rename = user_data;

  if (g_str_equal (response, "rename"))
    fw_feed_runner_set_title (rename->runner, gtk_editable_get_text (rename->entry));
}

static void
rename_feed_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  FwWindow *self = FW_WINDOW (widget);
  FwFeedRunner *runner =
    fw_feed_list_lookup (self->feeds, g_variant_get_string (parameter, NULL), NULL);
  GtkWidget *dialog;
  GtkWidget *entry;
  Rename *rename;

  if (runner == NULL)
    return;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Rename Feed"),
                                   fw_feed_runner_get_spec (runner));
  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), fw_feed_runner_get_title (runner));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "rename", _("_Rename"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "rename",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "rename");
  rename = g_new0 (Rename, 1);
  rename->entry = GTK_EDITABLE (entry);
  rename->runner = g_object_ref (runner);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_rename_response), rename,
                         rename_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
edit_feed_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  FwWindow *self = FW_WINDOW (widget);
  FwFeedRunner *runner =
    fw_feed_list_lookup (self->feeds, g_variant_get_string (parameter, NULL), NULL);

  if (runner != NULL)
    gtk_window_present (GTK_WINDOW (fw_add_feed_dialog_new_for_feed (self, runner)));
}

static void
resume_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  FwWindow *self = FW_WINDOW (widget);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->feeds));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FwFeedRunner) runner = g_list_model_get_item (G_LIST_MODEL (self->feeds), i);
      fw_feed_runner_set_paused (runner, FALSE);
    }
}

static void
set_view_paused (FwWindow *self,
                 gboolean  paused)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "pause-view");

  g_action_change_state (action, g_variant_new_boolean (paused));
}

static void
jump_to_live (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  fw_item_view_jump_to_live (FW_WINDOW (widget)->item_view);
}

static void
pause_view_change_state (GSimpleAction *action,
                         GVariant      *state,
                         gpointer       user_data)
{
  FwWindow *self = user_data;

  /* The action's state follows the view's (on_view_paused()) */
  fw_item_view_set_paused (self->item_view, g_variant_get_boolean (state));
}

static void
on_view_paused (FwWindow *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "pause-view");

  g_simple_action_set_state (G_SIMPLE_ACTION (action),
                             g_variant_new_boolean (fw_item_view_get_paused (self->item_view)));
  /* Paused looks unlike scrolled up (whose "N new items" button offers the way back) */
  gtk_revealer_set_reveal_child (self->paused_banner, fw_item_view_get_paused (self->item_view));
  /* The plot holds still with the list (its own button resumes it alone). */
  fw_plot_set_paused (self->plot, fw_item_view_get_paused (self->item_view));
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                FwWindow              *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  /* Space pauses the view, unless someone is typing. */
  if (keyval == GDK_KEY_space && (state & GDK_MODIFIER_MASK) == 0 &&
      (focus == NULL || !GTK_IS_EDITABLE (focus)))
    {
      set_view_paused (self, !fw_item_view_get_paused (self->item_view));
      return TRUE;
    }

  return FALSE;
}

/* Before the rows see it: a focused row of the list would take Space for itself (selecting),
 * and Space must still pause there. Ctrl+Space and Shift+Space stay the list's. */
static gboolean
on_key_captured (GtkEventControllerKey *controller,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 FwWindow              *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  GtkWidget *rows = GTK_WIDGET (fw_item_view_get_scroller (self->item_view));

  if (keyval == GDK_KEY_space && (state & GDK_MODIFIER_MASK) == 0 && focus != NULL &&
      (focus == rows || gtk_widget_is_ancestor (focus, rows)))
    {
      set_view_paused (self, !fw_item_view_get_paused (self->item_view));
      return TRUE;
    }

  return FALSE;
}

void
_fw_window_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.add-feed", NULL, add_feed_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.clear", NULL, clear_action);
  gtk_widget_class_install_action (widget_class, "win.jump-to-live", NULL, jump_to_live);
  gtk_widget_class_install_action (widget_class, "win.remove-feed", "s", remove_feed_action);
  gtk_widget_class_install_action (widget_class, "win.rename-feed", "s", rename_feed_action);
  gtk_widget_class_install_action (widget_class, "win.edit-feed", "s", edit_feed_action);
  gtk_widget_class_install_action (widget_class, "win.restart-feed", "s", restart_feed_action);
  gtk_widget_class_install_action (widget_class, "win.show-feed", "s", show_feed_action);
  gtk_widget_class_install_action (widget_class, "win.show-item", "(sx)", show_item_action);
  gtk_widget_class_install_action (widget_class, "win.resume-all", NULL, resume_all_action);
  gtk_widget_class_install_action (widget_class, "win.save-credentials", "s",
                                   save_credentials_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-feed-paused", "s",
                                   toggle_feed_paused_action);
  gtk_widget_class_install_action (widget_class, "win.alert-rules", NULL, alert_rules_action);
  gtk_widget_class_install_action (widget_class, "win.alert-when", "s", alert_when_action);
  gtk_widget_class_install_action (widget_class, "win.alert-on-line", "(ss)",
                                   alert_on_line_action);
  gtk_widget_class_install_action (widget_class, "win.alert-above", "(ssds)",
                                   alert_above_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK,
                                       "win.clear", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.add-feed", NULL);
}

void
_fw_window_actions_init (FwWindow *self)
{
  static const GActionEntry win_actions[] = {
    { "pause-view", NULL, NULL, "false", pause_view_change_state },
  };
  GtkEventController *keys;

  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions),
                                   self);

  g_signal_connect_object (self->item_view, "notify::paused", G_CALLBACK (on_view_paused), self,
                           G_CONNECT_SWAPPED);

  /* Space for pause, unless typing */
  keys = gtk_event_controller_key_new ();
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_captured), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}
