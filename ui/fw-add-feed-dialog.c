/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-add-feed-dialog.c: "Add Feed". What the user pastes is recognised as they type (the same
 * parser --print uses), the kind is shown in words with a row for each of its options (from
 * the kind's schema), and the feed is checked before Add is offered: a feed Feedwatch does not
 * understand says why, in the dialog.
 *
 * The feed's text is the one truth: an option row (fw-feed-option-row.c) writes its option into
 * the text, and what is typed in the text shows in the rows. */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "fw-add-feed-dialog.h"
#include "fw-feed-option-row.h"
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
  const FwFeedKind     *shown_kind;   /* the kind whose option rows are shown */
  GArray               *option_rows;  /* FwFeedOptionRow */
  GtkWidget            *more_row;     /* the shared options' expander, or NULL */
  gboolean              syncing;      /* rows and text are being brought in step */

  GtkButton            *add_button;
  AdwEntryRow          *feed_row;
  AdwActionRow         *kind_row;
  GtkImage             *kind_icon;
  GtkMenuButton        *kind_button;
  AdwEntryRow          *name_row;
  AdwPreferencesGroup  *options_group;
  GtkLabel             *error_label;
};

G_DEFINE_FINAL_TYPE (FwAddFeedDialog, fw_add_feed_dialog, ADW_TYPE_WINDOW)

static void validate (FwAddFeedDialog *self);

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

/* A row's change, written into the feed's text */
static void
on_option_changed (FwAddFeedDialog *self,
                   GtkWidget       *editor)
{
  const FwFeedOptionRow *row = NULL;
  g_autofree char *text = NULL;

  if (self->syncing)
    return;

  for (guint i = 0; i < self->option_rows->len && row == NULL; i++)
    {
      FwFeedOptionRow *candidate = &g_array_index (self->option_rows, FwFeedOptionRow, i);
      if (candidate->editor == editor)
        row = candidate;
    }
  g_return_if_fail (row != NULL);

  text = fw_feed_option_row_write_into (row, row_text (self->feed_row));

  /* on_changed() checks the new text, but leaves the rows as the user is editing them */
  self->syncing = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->feed_row), text);
  self->syncing = FALSE;
}

/* The rows of @kind's options: what to read in the group, how to connect in an expander */
static void
build_rows (FwAddFeedDialog  *self,
            const FwFeedKind *kind)
{
  for (guint i = 0; i < self->option_rows->len; i++)
    {
      FwFeedOptionRow *row = &g_array_index (self->option_rows, FwFeedOptionRow, i);
      if (gtk_widget_get_parent (row->row) != NULL &&
          gtk_widget_get_ancestor (row->row, ADW_TYPE_EXPANDER_ROW) == NULL)
        adw_preferences_group_remove (self->options_group, row->row);
    }
  g_array_set_size (self->option_rows, 0);
  if (self->more_row != NULL)
    adw_preferences_group_remove (self->options_group, g_steal_pointer (&self->more_row));

  self->shown_kind = kind;
  for (guint f = 0; kind != NULL && kind->options != NULL && kind->options[f] != NULL; f++)
    {
      for (const FwFeedOption *option = kind->options[f]; option->key != NULL; option++)
        {
          FwFeedOptionRow row = { NULL, };

          if (option->flags & (FW_FEED_OPTION_HIDDEN | FW_FEED_OPTION_FIELD_NAME))
            continue;
          fw_feed_option_row_build (&row, option, G_CALLBACK (on_option_changed), self);
          if (!(option->flags & FW_FEED_OPTION_CONNECTION))
            {
              adw_preferences_group_add (self->options_group, row.row);
            }
          else
            {
              if (self->more_row == NULL)
                {
                  self->more_row = adw_expander_row_new ();
                  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->more_row),
                                                 _("Connection"));
                  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self->more_row),
                                                 _("Headers, request, retries and TLS"));
                  adw_preferences_group_add (self->options_group, self->more_row);
                }
              adw_expander_row_add_row (ADW_EXPANDER_ROW (self->more_row), row.row);
            }
          g_array_append_val (self->option_rows, row);
        }
    }

  gtk_widget_set_visible (GTK_WIDGET (self->options_group), self->option_rows->len > 0);
}

/* The text's options, shown in the rows */
static void
show_options (FwAddFeedDialog  *self,
              const FwFeedSpec *parsed)
{
  gboolean shared_set = FALSE;

  if (parsed == NULL)
    return;
  if (parsed->kind_info != self->shown_kind)
    build_rows (self, parsed->kind_info);

  self->syncing = TRUE;
  for (guint i = 0; i < self->option_rows->len; i++)
    {
      FwFeedOptionRow *row = &g_array_index (self->option_rows, FwFeedOptionRow, i);
      g_autofree char *value = fw_feed_option_row_dup_value_in_spec (row, parsed);

      fw_feed_option_row_show_value (row, value);
      if (value[0] != '\0' && gtk_widget_get_ancestor (row->row, ADW_TYPE_EXPANDER_ROW) != NULL)
        shared_set = TRUE;
    }
  if (shared_set)
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (self->more_row), TRUE);
  self->syncing = FALSE;
}

/**
 * fw_add_feed_dialog_get_spec:
 *
 * Returns: (transfer full) (nullable): the feed as it will be added, options included
 */
char *
fw_add_feed_dialog_get_spec (FwAddFeedDialog *self)
{
  g_autofree char *spec = g_strstrip (g_strdup (row_text (self->feed_row)));

  return spec[0] != '\0' ? g_steal_pointer (&spec) : NULL;
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

/* The kind in words, and whether the feed can be added */
static void
validate (FwAddFeedDialog *self)
{
  g_autofree char *spec = fw_add_feed_dialog_get_spec (self);
  g_autoptr(FwFeedSpec) parsed = NULL;
  g_autoptr(FwStream) probe = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->kind_text, g_free);

  if (spec == NULL)
    {
      adw_action_row_set_subtitle (self->kind_row, _("Write or paste a feed above"));
      gtk_image_set_from_icon_name (self->kind_icon, fw_feed_row_icon_for_kind (NULL));
      set_error (self, NULL);
      gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), FALSE);
      return;
    }

  parsed = fw_feed_spec_parse (spec, &error);
  if (parsed != NULL)
    {
      self->kind_text = g_strdup (parsed->kind_info != NULL
                                  ? fw_feed_kind_get_description (parsed->kind_info)
                                  : parsed->kind);
      adw_action_row_set_subtitle (self->kind_row, self->kind_text);
      gtk_image_set_from_icon_name (self->kind_icon, fw_feed_row_icon_for_kind (parsed->kind));
      /* Opening checks the kind and its options; a stream opens nothing before it is read. */
      probe = fw_feed_open_spec (parsed, FW_FEED_OPEN_NONE, &error);
    }

  if (probe == NULL)
    set_error (self, error->message);
  else if (is_watched (self, spec))
    set_error (self, _("This feed is already watched in this window."));
  else
    set_error (self, NULL);

  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), self->error == NULL);
}

static void
on_changed (FwAddFeedDialog *self)
{
  if (!self->syncing)
    {
      g_autofree char *spec = fw_add_feed_dialog_get_spec (self);
      g_autoptr(FwFeedSpec) parsed = spec != NULL ? fw_feed_spec_parse (spec, NULL) : NULL;

      if (spec == NULL)
        build_rows (self, NULL);
      show_options (self, parsed);
    }
  validate (self);
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

/* "Pick a kind": writes the kind's example in the feed row, keeping what was typed after a
 * kind of the same shape (an HTTP URL stays, under the kind chosen), for the user to finish. */
static void
pick_kind_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  FwAddFeedDialog *self = FW_ADD_FEED_DIALOG (widget);
  const FwFeedKind *kind = fw_feed_kind_lookup (g_variant_get_string (parameter, NULL));
  const char *typed = row_text (self->feed_row);
  const char *url = strstr (typed, "https://");
  const char *example = kind != NULL ? fw_feed_kind_get_example (kind) : NULL;
  const char *name = kind != NULL ? fw_feed_kind_get_name (kind) : NULL;
  g_autofree char *text = NULL;

  if (example == NULL)
    return;

  if (url == NULL)
    url = strstr (typed, "http://");
  /* Kinds whose example is "kind:http…" read an HTTP URL (a WebSocket has its own scheme) */
  if (url != NULL && g_str_has_prefix (example, name) && example[strlen (name)] == ':' &&
      g_str_has_prefix (example + strlen (name) + 1, "http"))
    text = g_strconcat (name, ":", url, NULL);
  else
    text = g_strdup (example);

  gtk_editable_set_text (GTK_EDITABLE (self->feed_row), text);
  gtk_widget_grab_focus (GTK_WIDGET (self->feed_row));
  gtk_editable_set_position (GTK_EDITABLE (self->feed_row), -1);
}

/* Every kind offered, in the registry's order: local feeds, machine sensors, network feeds */
static GMenuModel *
kinds_menu (void)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) section = g_menu_new ();
  guint n_kinds;
  const FwFeedKind *const *kinds = fw_feed_kind_list (&n_kinds);

  for (guint i = 0; i < n_kinds; i++)
    {
      const char *name = fw_feed_kind_get_name (kinds[i]);
      g_autoptr(GMenuItem) item = NULL;

      if (fw_feed_kind_get_example (kinds[i]) == NULL)
        continue;
      if ((g_str_equal (name, "cpu") || g_str_equal (name, "sse")) &&
          g_menu_model_get_n_items (G_MENU_MODEL (section)) > 0)
        {
          g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
          g_object_unref (section);
          section = g_menu_new ();
        }
      item = g_menu_item_new (fw_feed_kind_get_description (kinds[i]), NULL);
      g_menu_item_set_action_and_target_value (item, "dialog.pick-kind",
                                               g_variant_new_string (name));
      g_menu_append_item (section, item);
    }
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));

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
  g_array_unref (self->option_rows);

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
  self->option_rows = g_array_new (FALSE, FALSE, sizeof (FwFeedOptionRow));
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
  fw_add_feed_dialog_set_feed_text (self, spec);

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
 * @option: "name", "headers" (every `header.NAME`, as "Name: value; …") or an option of the
 *   feed's kind
 * @value: (nullable): its value; %NULL or "" for none
 *
 * Fills in an option's row, as the user would; an option without a row is written into the
 * feed's text.
 */
void
fw_add_feed_dialog_set_option (FwAddFeedDialog *self,
                               const char      *option,
                               const char      *value)
{
  g_autofree char *text = NULL;

  g_return_if_fail (FW_IS_ADD_FEED_DIALOG (self));

  if (g_str_equal (option, "name"))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), value != NULL ? value : "");
      return;
    }

  for (guint i = 0; i < self->option_rows->len; i++)
    {
      FwFeedOptionRow *row = &g_array_index (self->option_rows, FwFeedOptionRow, i);

      if (g_str_equal (fw_feed_option_row_get_key (row), option))
        {
          /* One change, not the emptied row that replacing an entry's text passes through
           * (which would move the option to the end of the text) */
          self->syncing = TRUE;
          fw_feed_option_row_show_value (row, value);
          self->syncing = FALSE;
          on_option_changed (self, row->editor);
          return;
        }
    }

  text = fw_feed_text_set_option (row_text (self->feed_row), option,
                                  value != NULL && value[0] != '\0' ? value : NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->feed_row), text);
}

/**
 * fw_add_feed_dialog_get_option:
 * @option: as for fw_add_feed_dialog_set_option()
 *
 * Returns: (transfer full) (nullable): what the option's row shows ("" when it is not set),
 *   or %NULL when the feed's kind has no such row
 */
char *
fw_add_feed_dialog_get_option (FwAddFeedDialog *self,
                               const char      *option)
{
  g_return_val_if_fail (FW_IS_ADD_FEED_DIALOG (self), NULL);

  for (guint i = 0; i < self->option_rows->len; i++)
    {
      FwFeedOptionRow *row = &g_array_index (self->option_rows, FwFeedOptionRow, i);

      if (g_str_equal (fw_feed_option_row_get_key (row), option))
        {
          char *value = fw_feed_option_row_dup_value (row);
          return value != NULL ? value : g_strdup ("");
        }
    }

  return NULL;
}

/**
 * fw_add_feed_dialog_get_n_option_rows:
 *
 * Returns: how many option rows the feed's kind shows
 */
guint
fw_add_feed_dialog_get_n_option_rows (FwAddFeedDialog *self)
{
  g_return_val_if_fail (FW_IS_ADD_FEED_DIALOG (self), 0);

  return self->option_rows->len;
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
