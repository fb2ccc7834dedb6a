/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-add-feed-dialog.c: "Add Feed". What the user pastes is recognised as they type (the same
 * parser --print uses), the kind is shown in words with its options, and the feed is checked
 * before Add is offered: a feed Feedwatch does not understand says why, in the dialog. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "fw-add-feed-dialog.h"
#include "fw-feed-row.h"
#include "fw-streams.h"
#include "fw-window.h"

struct _FwAddFeedDialog
{
  AdwWindow             parent_instance;

  FwWindow             *window;
  char                 *editing;      /* the spec of the feed being edited, or NULL to add */
  char                 *kind_text;
  char                 *error;

  GtkButton            *add_button;
  AdwEntryRow          *feed_row;
  AdwActionRow         *kind_row;
  GtkImage             *kind_icon;
  GtkMenuButton        *kind_button;
  AdwEntryRow          *name_row;
  AdwPreferencesGroup  *options_group;
  AdwEntryRow          *interval_row;
  AdwEntryRow          *lines_row;
  AdwEntryRow          *headers_row;
  AdwComboRow          *method_row;
  AdwEntryRow          *body_row;
  GtkLabel             *error_label;
};

G_DEFINE_FINAL_TYPE (FwAddFeedDialog, fw_add_feed_dialog, ADW_TYPE_WINDOW)

typedef struct
{
  const char *kind;
  const char *description;
  gboolean    interval;
  gboolean    lines;
  gboolean    http;
  gboolean    method;
  const char *start;  /* what choosing the kind writes, or NULL when not offered in the menu */
} KindInfo;

static const KindInfo kinds[] = {
  { "file", N_("Log file, followed like tail -F"), FALSE, TRUE, FALSE, FALSE, "file:///var/log/" },
  { "cmd", N_("Command output, line by line"), FALSE, FALSE, FALSE, FALSE, "cmd:" },
  { "dir", N_("Changes in a folder"), FALSE, FALSE, FALSE, FALSE, "dir:" },
  { "sim", N_("Simulated sensor"), TRUE, FALSE, FALSE, FALSE, "sim:sensor" },
  { "cpu", N_("CPU usage"), TRUE, FALSE, FALSE, FALSE, "cpu:" },
  { "mem", N_("Memory and swap"), TRUE, FALSE, FALSE, FALSE, "mem:" },
  { "hwmon", N_("Temperatures, fans, voltages"), TRUE, FALSE, FALSE, FALSE, "hwmon:" },
  { "net", N_("Network traffic"), TRUE, FALSE, FALSE, FALSE, "net:" },
  { "disk", N_("Disk traffic"), TRUE, FALSE, FALSE, FALSE, "disk:" },
  { "sensors", N_("All machine sensors"), TRUE, FALSE, FALSE, FALSE, "sensors:" },
  { "sse", N_("Server-Sent Events"), FALSE, FALSE, TRUE, TRUE, "sse:https://" },
  { "ndjson", N_("JSON lines over HTTP"), FALSE, FALSE, TRUE, TRUE, "ndjson:https://" },
  { "pages", N_("Paginated JSON API, then polled"), TRUE, FALSE, TRUE, FALSE, "pages:https://" },
  { "ws", N_("WebSocket"), FALSE, FALSE, TRUE, FALSE, "ws://" },
  { "wss", N_("WebSocket over TLS"), FALSE, FALSE, TRUE, FALSE, "wss://" },
  { "metrics", N_("Prometheus metrics, polled"), TRUE, FALSE, TRUE, FALSE, "metrics:http://localhost:9100/metrics" },
  { "http", N_("HTTP feed, recognised by its Content-Type on connect"), FALSE, FALSE, TRUE, FALSE, NULL },
  { "https", N_("HTTPS feed, recognised by its Content-Type on connect"), FALSE, FALSE, TRUE, FALSE, NULL },
};

static const KindInfo *
kind_info (const char *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      if (g_str_equal (kinds[i].kind, kind))
        return &kinds[i];
    }

  return NULL;
}

static void
append_option (GString    *spec,
               gboolean   *first,
               gboolean    url_target,
               const char *key,
               const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_c (spec, *first ? (url_target ? '#' : '?') : '&');
  g_string_append (spec, key);
  g_string_append_c (spec, '=');
  g_string_append (spec, escaped);
  *first = FALSE;
}

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

/**
 * fw_add_feed_dialog_get_spec:
 *
 * Returns: (transfer full) (nullable): the feed as it will be added: what was written, with
 *   the options filled in appended to it
 */
char *
fw_add_feed_dialog_get_spec (FwAddFeedDialog *self)
{
  g_autofree char *base = g_strstrip (g_strdup (row_text (self->feed_row)));
  g_autoptr(FwFeedSpec) parsed = NULL;
  const KindInfo *info;
  GString *spec;
  gboolean first, url_target;

  if (base[0] == '\0')
    return NULL;

  parsed = fw_feed_spec_parse (base, NULL);
  if (parsed == NULL)
    return g_steal_pointer (&base);

  info = kind_info (parsed->kind);
  spec = g_string_new (base);
  url_target = strstr (base, "://") != NULL && !g_str_equal (parsed->kind, "file");
  first = g_hash_table_size (parsed->options) == 0 &&
          strchr (base, url_target ? '#' : '?') == NULL;

  if (info != NULL && info->interval && row_text (self->interval_row)[0] != '\0')
    append_option (spec, &first, url_target, "interval", row_text (self->interval_row));
  if (info != NULL && info->lines && row_text (self->lines_row)[0] != '\0')
    append_option (spec, &first, url_target, "lines", row_text (self->lines_row));
  if (info != NULL && info->http && row_text (self->headers_row)[0] != '\0')
    {
      g_auto(GStrv) headers = g_strsplit (row_text (self->headers_row), ";", -1);
      for (guint i = 0; headers[i] != NULL; i++)
        {
          g_auto(GStrv) pair = g_strsplit (headers[i], ":", 2);
          g_autofree char *key = NULL;

          if (pair[0] == NULL || pair[1] == NULL)
            continue;
          key = g_strdup_printf ("header.%s", g_strstrip (pair[0]));
          append_option (spec, &first, url_target, key, g_strstrip (pair[1]));
        }
    }
  if (info != NULL && info->method && adw_combo_row_get_selected (self->method_row) == 1)
    {
      append_option (spec, &first, url_target, "method", "POST");
      if (row_text (self->body_row)[0] != '\0')
        append_option (spec, &first, url_target, "body", row_text (self->body_row));
    }

  return g_string_free (spec, FALSE);
}

static void
set_error (FwAddFeedDialog *self,
           const char      *error)
{
  g_free (self->error);
  self->error = g_strdup (error);
  gtk_label_set_text (self->error_label, error != NULL ? error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
  if (error != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->feed_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->feed_row), "error");
}

static gboolean
is_watched (FwAddFeedDialog *self,
            const char      *spec)
{
  GListModel *feeds = self->window != NULL ? fw_window_get_feeds (self->window) : NULL;
  guint n = feeds != NULL ? g_list_model_get_n_items (feeds) : 0;
  /* Feeds are known by their identity, secrets masked. */
  g_autofree char *feed_id = fw_feed_spec_redact (spec);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FwFeedRunner) runner = g_list_model_get_item (feeds, i);
      if (g_str_equal (fw_feed_runner_get_spec (runner), feed_id) &&
          g_strcmp0 (feed_id, self->editing) != 0)
        return TRUE;
    }

  return FALSE;
}

static void
on_changed (FwAddFeedDialog *self)
{
  g_autofree char *spec = fw_add_feed_dialog_get_spec (self);
  g_autoptr(FwFeedSpec) parsed = NULL;
  g_autoptr(FwStream) probe = NULL;
  g_autoptr(GError) error = NULL;
  const KindInfo *info = NULL;

  g_clear_pointer (&self->kind_text, g_free);

  if (spec == NULL)
    {
      adw_action_row_set_subtitle (self->kind_row, _("Write or paste a feed above"));
      gtk_image_set_from_icon_name (self->kind_icon, "emblem-documents-symbolic");
      gtk_widget_set_visible (GTK_WIDGET (self->options_group), FALSE);
      set_error (self, NULL);
      gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), FALSE);
      return;
    }

  parsed = fw_feed_spec_parse (spec, &error);
  if (parsed != NULL)
    {
      info = kind_info (parsed->kind);
      self->kind_text = g_strdup (info != NULL ? _(info->description) : parsed->kind);
      adw_action_row_set_subtitle (self->kind_row, self->kind_text);
      gtk_image_set_from_icon_name (self->kind_icon, fw_feed_kind_icon_name (parsed->kind));
      /* Opening checks the kind and its options; a stream opens nothing before it is read. */
      probe = fw_feed_open (spec, FW_FEED_OPEN_NONE, &error);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->options_group),
                          info != NULL && (info->interval || info->lines || info->http));
  gtk_widget_set_visible (GTK_WIDGET (self->interval_row), info != NULL && info->interval);
  gtk_widget_set_visible (GTK_WIDGET (self->lines_row), info != NULL && info->lines);
  gtk_widget_set_visible (GTK_WIDGET (self->headers_row), info != NULL && info->http);
  gtk_widget_set_visible (GTK_WIDGET (self->method_row), info != NULL && info->method);
  gtk_widget_set_visible (GTK_WIDGET (self->body_row),
                          info != NULL && info->method &&
                          adw_combo_row_get_selected (self->method_row) == 1);

  if (probe == NULL)
    set_error (self, error->message);
  else if (is_watched (self, spec))
    set_error (self, _("This feed is already watched in this window."));
  else
    set_error (self, NULL);

  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), self->error == NULL);
}

/**
 * fw_add_feed_dialog_add:
 *
 * Adds the feed to the window and closes the dialog, or shows why it cannot.
 */
gboolean
fw_add_feed_dialog_add (FwAddFeedDialog *self)
{
  g_autofree char *spec = fw_add_feed_dialog_get_spec (self);
  g_autoptr(GError) error = NULL;
  FwFeedRunner *runner;
  const char *name = row_text (self->name_row);

  if (spec == NULL || self->window == NULL || !fw_add_feed_dialog_can_add (self))
    return FALSE;

  if (self->editing != NULL)
    runner = fw_window_replace_feed (self->window, self->editing, spec, name, &error);
  else
    runner = fw_window_add_feed (self->window, spec, &error);
  if (runner == NULL)
    {
      set_error (self, error->message);
      gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), FALSE);
      return FALSE;
    }
  if (name[0] != '\0')
    fw_feed_runner_set_title (runner, name);

  gtk_window_close (GTK_WINDOW (self));

  return TRUE;
}

static void
on_add_clicked (FwAddFeedDialog *self)
{
  fw_add_feed_dialog_add (self);
}

static void
on_file_chosen (GtkNativeDialog *chooser,
                int              response,
                FwAddFeedDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        gtk_editable_set_text (GTK_EDITABLE (self->feed_row), path);
    }
  g_object_unref (chooser);
}

static void
on_choose_file (FwAddFeedDialog *self)
{
  GtkFileChooserNative *chooser;

  /* Through the file chooser portal inside Flatpak. */
  chooser = gtk_file_chooser_native_new (_("Choose a Log File"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Watch"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_file_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* "Pick a kind": writes the kind's start in the feed row, keeping what was typed after a
 * kind of the same shape (a URL stays a URL), for the user to finish. */
static void
pick_kind_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  FwAddFeedDialog *self = FW_ADD_FEED_DIALOG (widget);
  const KindInfo *info = kind_info (g_variant_get_string (parameter, NULL));
  const char *typed = row_text (self->feed_row);
  const char *url = strstr (typed, "https://");
  g_autofree char *text = NULL;

  if (info == NULL || info->start == NULL)
    return;

  if (url == NULL)
    url = strstr (typed, "http://");
  /* An HTTP URL already typed stays, under the kind chosen (a WebSocket has its own scheme) */
  if (info->http && url != NULL && !g_str_has_prefix (info->start, "ws"))
    text = g_strconcat (info->kind, ":", url, NULL);
  else
    text = g_strdup (info->start);

  gtk_editable_set_text (GTK_EDITABLE (self->feed_row), text);
  gtk_widget_grab_focus (GTK_WIDGET (self->feed_row));
  gtk_editable_set_position (GTK_EDITABLE (self->feed_row), -1);
}

static GMenuModel *
kinds_menu (void)
{
  GMenu *menu = g_menu_new ();
  GMenu *section = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr(GMenuItem) item = NULL;

      if (kinds[i].start == NULL)
        continue;
      /* Local feeds, machine sensors, then network feeds */
      if (section == NULL || g_str_equal (kinds[i].kind, "cpu") || g_str_equal (kinds[i].kind, "sse"))
        {
          if (section != NULL)
            {
              g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
              g_object_unref (section);
            }
          section = g_menu_new ();
        }
      item = g_menu_item_new (_(kinds[i].description), NULL);
      g_menu_item_set_action_and_target_value (item, "dialog.pick-kind",
                                               g_variant_new_string (kinds[i].kind));
      g_menu_append_item (section, item);
    }
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
  g_object_unref (section);

  return G_MENU_MODEL (menu);
}

static void
fw_add_feed_dialog_dispose (GObject *object)
{
  FwAddFeedDialog *self = FW_ADD_FEED_DIALOG (object);

  g_clear_weak_pointer (&self->window);
  gtk_widget_dispose_template (GTK_WIDGET (self), FW_TYPE_ADD_FEED_DIALOG);

  G_OBJECT_CLASS (fw_add_feed_dialog_parent_class)->dispose (object);
}

static void
fw_add_feed_dialog_finalize (GObject *object)
{
  FwAddFeedDialog *self = FW_ADD_FEED_DIALOG (object);

  g_free (self->editing);
  g_free (self->kind_text);
  g_free (self->error);

  G_OBJECT_CLASS (fw_add_feed_dialog_parent_class)->finalize (object);
}

static void
fw_add_feed_dialog_class_init (FwAddFeedDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fw_add_feed_dialog_dispose;
  object_class->finalize = fw_add_feed_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/feedwatch/Feedwatch/fw-add-feed-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, FwAddFeedDialog, add_button);
  gtk_widget_class_bind_template_child (widget_class, FwAddFeedDialog, feed_row);
  gtk_widget_class_bind_template_child (widget_class, FwAddFeedDialog, kind_row);
  gtk_widget_class_bind_template_child (widget_class, FwAddFeedDialog, kind_icon);
  gtk_widget_class_bind_template_child (widget_class, FwAddFeedDialog, kind_button);
  gtk_widget_class_bind_template_child (widget_class, FwAddFeedDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, FwAddFeedDialog, options_group);
  gtk_widget_class_bind_template_child (widget_class, FwAddFeedDialog, interval_row);
  gtk_widget_class_bind_template_child (widget_class, FwAddFeedDialog, lines_row);
  gtk_widget_class_bind_template_child (widget_class, FwAddFeedDialog, headers_row);
  gtk_widget_class_bind_template_child (widget_class, FwAddFeedDialog, method_row);
  gtk_widget_class_bind_template_child (widget_class, FwAddFeedDialog, body_row);
  gtk_widget_class_bind_template_child (widget_class, FwAddFeedDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_file);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_install_action (widget_class, "dialog.pick-kind", "s", pick_kind_action);
}

static void
fw_add_feed_dialog_init (FwAddFeedDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->feed_row, "entry-activated", G_CALLBACK (on_add_clicked), self);
  g_signal_connect_swapped (self->name_row, "entry-activated", G_CALLBACK (on_add_clicked), self);
  {
    g_autoptr(GMenuModel) menu = kinds_menu ();
    gtk_menu_button_set_menu_model (self->kind_button, menu);
  }
  /* Ready to paste into at once */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->feed_row));
}

GtkWidget *
fw_add_feed_dialog_new (FwWindow *window)
{
  FwAddFeedDialog *self = g_object_new (FW_TYPE_ADD_FEED_DIALOG,
                                        "transient-for", window,
                                        NULL);

  g_set_weak_pointer (&self->window, window);

  return GTK_WIDGET (self);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Splits a feed into what its option rows show and the rest, which stays in the feed row. */
static void
fill_from_spec (FwAddFeedDialog *self,
                const char      *spec)
{
  g_autoptr(FwFeedSpec) parsed = fw_feed_spec_parse (spec, NULL);
  const KindInfo *info = parsed != NULL ? kind_info (parsed->kind) : NULL;
  gboolean url_target;
  const char *separator;
  g_autofree char *base = NULL;
  g_autoptr(GString) rest = NULL;
  g_autoptr(GString) headers = g_string_new (NULL);
  g_autofree const char **keys = NULL;
  guint n_keys;
  gboolean first;

  if (parsed == NULL || g_hash_table_size (parsed->options) == 0)
    {
      fw_add_feed_dialog_set_feed_text (self, spec);
      return;
    }

  url_target = strstr (spec, "://") != NULL && !g_str_equal (parsed->kind, "file");
  separator = strchr (spec, url_target ? '#' : '?');
  base = separator != NULL ? g_strndup (spec, separator - spec) : g_strdup (spec);
  rest = g_string_new (base);
  first = TRUE;

  keys = (const char **) g_hash_table_get_keys_as_array (parsed->options, &n_keys);
  qsort (keys, n_keys, sizeof *keys, compare_strings);
  for (guint i = 0; i < n_keys; i++)
    {
      const char *key = keys[i];
      const char *value = g_hash_table_lookup (parsed->options, key);

      if (info != NULL && info->interval && g_str_equal (key, "interval"))
        fw_add_feed_dialog_set_option (self, "interval", value);
      else if (info != NULL && info->lines && g_str_equal (key, "lines"))
        fw_add_feed_dialog_set_option (self, "lines", value);
      else if (info != NULL && info->http && g_str_has_prefix (key, "header."))
        g_string_append_printf (headers, "%s%s: %s", headers->len > 0 ? "; " : "",
                                key + strlen ("header."), value);
      else if (info != NULL && info->method && g_str_equal (key, "method") &&
               g_ascii_strcasecmp (value, "POST") == 0)
        fw_add_feed_dialog_set_option (self, "method", "POST");
      else if (info != NULL && info->method && g_str_equal (key, "body"))
        fw_add_feed_dialog_set_option (self, "body", value);
      else
        append_option (rest, &first, url_target, key, value);
    }
  if (headers->len > 0)
    fw_add_feed_dialog_set_option (self, "headers", headers->str);
  fw_add_feed_dialog_set_feed_text (self, rest->str);
}

/**
 * fw_add_feed_dialog_new_for_feed:
 * @runner: a feed of @window
 *
 * The same dialog, to edit a feed: its options in their rows, its name; saving replaces the
 * feed with the edited one in place.
 */
GtkWidget *
fw_add_feed_dialog_new_for_feed (FwWindow     *window,
                                 FwFeedRunner *runner)
{
  FwAddFeedDialog *self = FW_ADD_FEED_DIALOG (fw_add_feed_dialog_new (window));
  const char *spec = fw_feed_runner_get_spec (runner);
  g_autoptr(FwFeedSpec) parsed = fw_feed_spec_parse (spec, NULL);
  g_autofree char *default_title = parsed != NULL ? fw_feed_default_title (parsed) : NULL;

  self->editing = g_strdup (spec);
  gtk_window_set_title (GTK_WINDOW (self), _("Edit Feed"));
  gtk_button_set_label (self->add_button, _("_Save"));
  if (g_strcmp0 (fw_feed_runner_get_title (runner), default_title) != 0)
    fw_add_feed_dialog_set_option (self, "name", fw_feed_runner_get_title (runner));
  fill_from_spec (self, spec);

  return GTK_WIDGET (self);
}

void
fw_add_feed_dialog_set_feed_text (FwAddFeedDialog *self,
                                  const char      *text)
{
  g_return_if_fail (FW_IS_ADD_FEED_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->feed_row), text);
}

/**
 * fw_add_feed_dialog_set_option:
 * @option: "interval", "lines", "headers", "method" or "body"
 *
 * Fills in an option row, as the user would.
 */
void
fw_add_feed_dialog_set_option (FwAddFeedDialog *self,
                               const char      *option,
                               const char      *value)
{
  g_return_if_fail (FW_IS_ADD_FEED_DIALOG (self));

  if (g_str_equal (option, "interval"))
    gtk_editable_set_text (GTK_EDITABLE (self->interval_row), value);
  else if (g_str_equal (option, "lines"))
    gtk_editable_set_text (GTK_EDITABLE (self->lines_row), value);
  else if (g_str_equal (option, "headers"))
    gtk_editable_set_text (GTK_EDITABLE (self->headers_row), value);
  else if (g_str_equal (option, "method"))
    adw_combo_row_set_selected (self->method_row, g_str_equal (value, "POST") ? 1 : 0);
  else if (g_str_equal (option, "body"))
    gtk_editable_set_text (GTK_EDITABLE (self->body_row), value);
  else if (g_str_equal (option, "name"))
    gtk_editable_set_text (GTK_EDITABLE (self->name_row), value);
  else
    g_return_if_reached ();
}

const char *
fw_add_feed_dialog_get_kind_text (FwAddFeedDialog *self)
{
  g_return_val_if_fail (FW_IS_ADD_FEED_DIALOG (self), NULL);

  return self->kind_text;
}

const char *
fw_add_feed_dialog_get_error (FwAddFeedDialog *self)
{
  g_return_val_if_fail (FW_IS_ADD_FEED_DIALOG (self), NULL);

  return self->error;
}

gboolean
fw_add_feed_dialog_can_add (FwAddFeedDialog *self)
{
  g_return_val_if_fail (FW_IS_ADD_FEED_DIALOG (self), FALSE);

  return gtk_widget_get_sensitive (GTK_WIDGET (self->add_button));
}
