/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-alert-rules-window.c: "Alert Rules", the rules of the `alert-rules` setting, one row
 * each, with New, Edit and Remove. Export writes them to a file, one a line, as
 * `feedwatch --alerts FILE` reads them; Import adds a file's rules that are not there yet.
 * The file chooser is GtkFileChooserNative: the portal's inside Flatpak. */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "fw-alert-rules-window.h"

#include "fw-alert-rule-dialog.h"
#include "fw-alert-rule.h"
#include "fw-window.h"

struct _FwAlertRulesWindow
{
  AdwWindow        parent_instance;

  FwWindow        *window;  /* weak: the rules' dialogs preview on its history */
  GSettings       *settings;

  /* template */
  AdwToastOverlay *toast_overlay;
  GtkListBox      *rules_list;
};

G_DEFINE_FINAL_TYPE (FwAlertRulesWindow, fw_alert_rules_window, ADW_TYPE_WINDOW)

static void
toast (FwAlertRulesWindow *self,
       const char         *text)
{
  /* A toast's title is markup in libadwaita 1.2; file names and rules are not */
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static GtkWidget *
icon_button (const char *icon,
             const char *tooltip,
             const char *action,
             guint       index)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "u", index);

  return button;
}

static void
fill_rules (FwAlertRulesWindow *self)
{
  g_auto(GStrv) rules = g_settings_get_strv (self->settings, "alert-rules");
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->rules_list))) != NULL)
    gtk_list_box_remove (self->rules_list, child);

  if (rules[0] == NULL)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No alert rules yet"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("Add one here, from a feed’s menu (Alert When…), from a "
                                     "row’s menu or from the plot."));
      gtk_list_box_append (self->rules_list, row);
      return;
    }

  for (guint i = 0; rules[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FwAlertRule) rule = fw_alert_rule_parse (rules[i], &error);
      GtkWidget *row = adw_action_row_new ();

      /* Rules hold the user's text: never markup */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      if (rule == NULL)
        {
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), rules[i]);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), error->message);
          gtk_widget_add_css_class (row, "error");
        }
      else
        {
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                         fw_alert_rule_get_name (rule));
          if (g_strcmp0 (fw_alert_rule_get_name (rule), fw_alert_rule_to_string (rule)) != 0)
            adw_action_row_set_subtitle (ADW_ACTION_ROW (row), fw_alert_rule_to_string (rule));
        }
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 icon_button ("document-edit-symbolic", _("Edit Rule"),
                                              "rules.edit", i));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 icon_button ("user-trash-symbolic", _("Remove Rule"),
                                              "rules.remove", i));
      gtk_list_box_append (self->rules_list, row);
    }
}

static void
open_dialog (FwAlertRulesWindow *self,
             int                 index)
{
  GtkWidget *dialog = fw_alert_rule_dialog_new (GTK_WINDOW (self), self->window);

  if (index >= 0)
    {
      g_auto(GStrv) rules = g_settings_get_strv (self->settings, "alert-rules");

      if ((guint) index >= g_strv_length (rules))
        {
          gtk_window_destroy (GTK_WINDOW (dialog));
          return;
        }
      fw_alert_rule_dialog_edit_rule (FW_ALERT_RULE_DIALOG (dialog), index, rules[index]);
    }
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  open_dialog (FW_ALERT_RULES_WINDOW (widget), -1);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  open_dialog (FW_ALERT_RULES_WINDOW (widget), (int) g_variant_get_uint32 (parameter));
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  FwAlertRulesWindow *self = FW_ALERT_RULES_WINDOW (widget);
  g_auto(GStrv) rules = g_settings_get_strv (self->settings, "alert-rules");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) kept = NULL;
  guint index = g_variant_get_uint32 (parameter);

  for (guint i = 0; rules[i] != NULL; i++)
    {
      if (i != index)
        g_strv_builder_add (builder, rules[i]);
    }
  kept = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "alert-rules", (const char * const *) kept);
}

/* ---------------------------------------------------------------------------------------- */
/* The file */

/**
 * fw_alert_rules_dup_file_contents:
 * @rules: rules in their one-line text
 *
 * Returns: a file's text that `feedwatch --alerts` and Import read back as @rules
 */
char *
fw_alert_rules_dup_file_contents (const char * const *rules)
{
  GString *out = g_string_new ("# Feedwatch alert rules, one a line: feedwatch --alerts FILE\n");

  for (guint i = 0; rules[i] != NULL; i++)
    g_string_append_printf (out, "%s\n", rules[i]);

  return g_string_free (out, FALSE);
}

/**
 * fw_alert_rules_add_from_text:
 * @contents: rules, one a line, as fw_alert_rule_parse_lines() reads them
 * @origin: where they come from, for errors
 *
 * Adds to the `alert-rules` setting each rule of @contents it does not hold yet; nothing when
 * a line is not a rule.
 *
 * Returns: how many rules were added, or -1 with @error naming the line that does not read
 */
int
fw_alert_rules_add_from_text (GSettings   *settings,
                              const char  *contents,
                              const char  *origin,
                              GError     **error)
{
  g_autoptr(GPtrArray) parsed = fw_alert_rule_parse_lines (contents, origin, error);
  g_auto(GStrv) rules = NULL;
  g_auto(GStrv) merged = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  int added = 0;

  if (parsed == NULL)
    return -1;

  rules = g_settings_get_strv (settings, "alert-rules");
  builder = g_strv_builder_new ();
  g_strv_builder_addv (builder, (const char **) rules);
  for (guint i = 0; i < parsed->len; i++)
    {
      const char *text = fw_alert_rule_to_string (g_ptr_array_index (parsed, i));
      gboolean known = g_strv_contains ((const char * const *) rules, text);

      for (guint j = 0; j < i && !known; j++)
        known = g_str_equal (fw_alert_rule_to_string (g_ptr_array_index (parsed, j)), text);
      if (known)
        continue;
      g_strv_builder_add (builder, text);
      added++;
    }
  merged = g_strv_builder_end (builder);
  if (added > 0)
    g_settings_set_strv (settings, "alert-rules", (const char * const *) merged);

  return added;
}

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * fw_alert_rules_window_export_async:
 * @file: where; replaced once written whole
 *
 * Writes the rules of the setting to @file, one a line.
 */
void
fw_alert_rules_window_export_async (FwAlertRulesWindow  *self,
                                    GFile               *file,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_auto(GStrv) rules = g_settings_get_strv (self->settings, "alert-rules");
  char *contents = fw_alert_rules_dup_file_contents ((const char * const *) rules);
  g_autoptr(GBytes) bytes = g_bytes_new_take (contents, strlen (contents));

  g_task_set_source_tag (task, fw_alert_rules_window_export_async);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_NONE, cancellable,
                                      on_written, task);
}

gboolean
fw_alert_rules_window_export_finish (FwAlertRulesWindow  *self,
                                     GAsyncResult        *result,
                                     GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FwAlertRulesWindow *self = g_task_get_source_object (task);
  g_autofree char *contents = NULL;
  g_autofree char *name = NULL;
  GError *error = NULL;
  gsize length;
  int added;

  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, &length, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  name = g_file_get_basename (G_FILE (source));
  if (!g_utf8_validate (contents, length, NULL) || memchr (contents, '\0', length) != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("“%s” is not a text file of rules"), name);
      return;
    }
  added = fw_alert_rules_add_from_text (self->settings, contents, name, &error);
  if (added < 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, added);
}

/**
 * fw_alert_rules_window_import_async:
 * @file: a file of rules, one a line
 *
 * Adds the rules of @file the setting does not hold yet.
 */
void
fw_alert_rules_window_import_async (FwAlertRulesWindow  *self,
                                    GFile               *file,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, fw_alert_rules_window_import_async);
  g_file_load_contents_async (file, cancellable, on_read, task);
}

/**
 * fw_alert_rules_window_import_finish:
 *
 * Returns: how many rules were added, or -1 with @error set
 */
int
fw_alert_rules_window_import_finish (FwAlertRulesWindow  *self,
                                     GAsyncResult        *result,
                                     GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);

  return (int) g_task_propagate_int (G_TASK (result), error);
}

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  FwAlertRulesWindow *self = FW_ALERT_RULES_WINDOW (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!fw_alert_rules_window_export_finish (self, result, &error))
    text = g_strdup_printf (_("Could not export the rules: %s. Choose another folder or name."),
                            error->message);
  else
    text = g_strdup (_("Rules exported"));
  toast (self, text);
}

static void
on_imported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  FwAlertRulesWindow *self = FW_ALERT_RULES_WINDOW (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  int added = fw_alert_rules_window_import_finish (self, result, &error);

  if (added < 0)
    text = g_strdup_printf (_("Could not import the rules: %s. Nothing was added; correct the "
                              "file and import it again."), error->message);
  else if (added == 0)
    text = g_strdup (_("Every rule of the file is here already"));
  else
    text = g_strdup_printf (ngettext ("Imported %d rule", "Imported %d rules", added), added);
  toast (self, text);
}

static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     gpointer         user_data)
{
  FwAlertRulesWindow *self = user_data;
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL)
    {
      if (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)) == GTK_FILE_CHOOSER_ACTION_SAVE)
        fw_alert_rules_window_export_async (self, file, NULL, on_exported, NULL);
      else
        fw_alert_rules_window_import_async (self, file, NULL, on_imported, NULL);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
choose_file (FwAlertRulesWindow *self,
             gboolean            save)
{
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (save ? _("Export Alert Rules") : _("Import Alert Rules"),
                                         GTK_WINDOW (self),
                                         save ? GTK_FILE_CHOOSER_ACTION_SAVE
                                              : GTK_FILE_CHOOSER_ACTION_OPEN,
                                         save ? _("_Export") : _("_Import"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  if (save)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "feedwatch-alerts.txt");
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_chooser_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  choose_file (FW_ALERT_RULES_WINDOW (widget), TRUE);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  choose_file (FW_ALERT_RULES_WINDOW (widget), FALSE);
}

/* ---------------------------------------------------------------------------------------- */

static void
fw_alert_rules_window_dispose (GObject *object)
{
  FwAlertRulesWindow *self = FW_ALERT_RULES_WINDOW (object);

  g_clear_weak_pointer (&self->window);
  gtk_widget_dispose_template (GTK_WIDGET (self), FW_TYPE_ALERT_RULES_WINDOW);

  G_OBJECT_CLASS (fw_alert_rules_window_parent_class)->dispose (object);
}

static void
fw_alert_rules_window_finalize (GObject *object)
{
  FwAlertRulesWindow *self = FW_ALERT_RULES_WINDOW (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (fw_alert_rules_window_parent_class)->finalize (object);
}

static void
fw_alert_rules_window_class_init (FwAlertRulesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fw_alert_rules_window_dispose;
  object_class->finalize = fw_alert_rules_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/feedwatch/Feedwatch/fw-alert-rules-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FwAlertRulesWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FwAlertRulesWindow, rules_list);

  gtk_widget_class_install_action (widget_class, "rules.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "rules.edit", "u", edit_action);
  gtk_widget_class_install_action (widget_class, "rules.remove", "u", remove_action);
  gtk_widget_class_install_action (widget_class, "rules.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "rules.import", NULL, import_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
fw_alert_rules_window_init (FwAlertRulesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = g_settings_new (APP_ID);
  g_signal_connect_object (self->settings, "changed::alert-rules", G_CALLBACK (fill_rules), self,
                           G_CONNECT_SWAPPED);
  fill_rules (self);
}

/**
 * fw_alert_rules_window_new:
 * @window: (nullable): the window the rules window was opened from; rules are tried on its
 *   kept history
 */
GtkWidget *
fw_alert_rules_window_new (FwWindow *window)
{
  FwAlertRulesWindow *self = g_object_new (FW_TYPE_ALERT_RULES_WINDOW,
                                           "transient-for", window,
                                           NULL);

  g_set_weak_pointer (&self->window, window);

  return GTK_WIDGET (self);
}
