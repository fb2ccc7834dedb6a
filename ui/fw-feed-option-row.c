/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-feed-option-row.c: the Add Feed dialog's row for one option of a feed kind's schema: an
 * entry for text and numbers, a switch for yes/no, a list for a choice, and one entry for every
 * `header.NAME` at once. A row shows the option as the feed's text has it, and writes its value
 * back into that text; the dialog (fw-add-feed-dialog.c) keeps the two in step. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "fw-feed-option-row.h"

static gboolean
is_number (const FwFeedOption *option)
{
  return option->type == FW_FEED_OPTION_UINT || option->type == FW_FEED_OPTION_MILLISECONDS ||
         option->type == FW_FEED_OPTION_SECONDS || option->type == FW_FEED_OPTION_BYTES;
}

static gboolean
is_true (const char *value)
{
  return value != NULL && (g_str_equal (value, "1") || g_ascii_strcasecmp (value, "true") == 0 ||
                           g_ascii_strcasecmp (value, "yes") == 0);
}

/**
 * fw_feed_option_row_get_key:
 *
 * Returns: the option's name, or "headers" for the row of every `header.NAME`
 */
const char *
fw_feed_option_row_get_key (const FwFeedOptionRow *self)
{
  return self->option->flags & FW_FEED_OPTION_PREFIX ? FW_FEED_OPTION_ROW_HEADERS_KEY
                                                     : self->option->key;
}

/**
 * fw_feed_option_row_dup_value_in_spec:
 * @spec: (nullable): the feed as parsed
 *
 * Returns: (transfer full): what the row shows for its option in @spec: "" for absent; headers
 *   joined
 */
char *
fw_feed_option_row_dup_value_in_spec (const FwFeedOptionRow *self,
                                      const FwFeedSpec      *spec)
{
  const FwFeedOption *option = self->option;

  if (spec == NULL)
    return g_strdup ("");

  if (option->flags & FW_FEED_OPTION_PREFIX)
    {
      g_autofree const char **keys = NULL;
      GString *joined = g_string_new (NULL);
      guint n_keys;

      keys = (const char **) g_hash_table_get_keys_as_array (spec->options, &n_keys);
      qsort (keys, n_keys, sizeof *keys, (GCompareFunc) g_strcmp0);
      for (guint i = 0; i < n_keys; i++)
        {
          if (!g_str_has_prefix (keys[i], option->key))
            continue;
          g_string_append_printf (joined, "%s%s: %s", joined->len > 0 ? "; " : "",
                                  keys[i] + strlen (option->key),
                                  (const char *) g_hash_table_lookup (spec->options, keys[i]));
        }
      return g_string_free (joined, FALSE);
    }

  /* a bare flag (`insecure`) is a yes; an absent one is "" like any option not set */
  if (option->type == FW_FEED_OPTION_BOOL && fw_feed_spec_get_option (spec, option->key) != NULL &&
      fw_feed_spec_get_option (spec, option->key)[0] == '\0')
    return g_strdup ("1");
  return g_strdup (fw_feed_spec_get_option (spec, option->key) != NULL
                   ? fw_feed_spec_get_option (spec, option->key) : "");
}

/**
 * fw_feed_option_row_dup_value:
 *
 * Returns: (transfer full) (nullable): what the row holds, to write into the feed: %NULL for
 *   "not set"
 */
char *
fw_feed_option_row_dup_value (const FwFeedOptionRow *self)
{
  switch (self->option->type)
    {
    case FW_FEED_OPTION_BOOL:
      return gtk_switch_get_active (GTK_SWITCH (self->editor)) ? g_strdup ("1") : NULL;

    case FW_FEED_OPTION_CHOICE:
      {
        guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->row));

        /* the first entry is "Default" */
        return selected >= 1 && selected != GTK_INVALID_LIST_POSITION
               ? g_strdup (self->option->choices[selected - 1]) : NULL;
      }

    default:
      {
        const char *text = gtk_editable_get_text (GTK_EDITABLE (self->editor));

        return text[0] != '\0' ? g_strdup (text) : NULL;
      }
    }
}

/**
 * fw_feed_option_row_show_value:
 * @value: (nullable): the option's value as the feed's text has it
 */
void
fw_feed_option_row_show_value (FwFeedOptionRow *self,
                               const char      *value)
{
  switch (self->option->type)
    {
    case FW_FEED_OPTION_BOOL:
      /* not set: the option's default, which for every flag so far is off */
      gtk_switch_set_active (GTK_SWITCH (self->editor),
                             value != NULL && value[0] != '\0'
                             ? is_true (value) : is_true (self->option->default_value));
      break;

    case FW_FEED_OPTION_CHOICE:
      {
        guint selected = 0;

        for (guint i = 0; value != NULL && self->option->choices[i] != NULL; i++)
          {
            if (g_str_equal (self->option->choices[i], value))
              selected = i + 1;
          }
        adw_combo_row_set_selected (ADW_COMBO_ROW (self->row), selected);
      }
      break;

    default:
      /* Left alone when equal, so the cursor stays where the user is typing */
      if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->editor)), value) != 0)
        gtk_editable_set_text (GTK_EDITABLE (self->editor), value != NULL ? value : "");
      break;
    }
}

/**
 * fw_feed_option_row_write_into:
 * @text: a feed's text
 *
 * Returns: (transfer full): @text with the row's value for its option: the headers' row
 *   replaces every header @text has with those it names, in its order
 */
char *
fw_feed_option_row_write_into (const FwFeedOptionRow *self,
                               const char            *text)
{
  g_autofree char *written = g_strdup (text);
  g_autofree char *value = fw_feed_option_row_dup_value (self);

  if (self->option->flags & FW_FEED_OPTION_PREFIX)
    {
      g_autoptr(FwFeedSpec) parsed = fw_feed_spec_parse (text, NULL);
      g_auto(GStrv) entries = g_strsplit (value != NULL ? value : "", ";", -1);

      /* every header the text had goes, then those the row names, in its order */
      if (parsed != NULL)
        {
          g_autofree const char **keys = NULL;
          guint n_keys;

          keys = (const char **) g_hash_table_get_keys_as_array (parsed->options, &n_keys);
          for (guint i = 0; i < n_keys; i++)
            {
              if (g_str_has_prefix (keys[i], self->option->key))
                {
                  char *without = fw_feed_text_set_option (written, keys[i], NULL);
                  g_free (written);
                  written = without;
                }
            }
        }
      for (guint i = 0; entries[i] != NULL; i++)
        {
          g_auto(GStrv) pair = g_strsplit (entries[i], ":", 2);
          g_autofree char *key = NULL;
          char *with;

          if (pair[0] == NULL || pair[1] == NULL || g_strstrip (pair[0])[0] == '\0')
            continue;
          key = g_strconcat (self->option->key, pair[0], NULL);
          with = fw_feed_text_set_option (written, key, g_strstrip (pair[1]));
          g_free (written);
          written = with;
        }
    }
  else
    {
      char *with = fw_feed_text_set_option (written, self->option->key, value);
      g_free (written);
      written = with;
    }

  return g_steal_pointer (&written);
}

/**
 * fw_feed_option_row_build:
 * @changed: called, swapped, with @user_data and the row's editor whenever the user changes it
 *
 * Makes the row for @option, from its schema: its type, its help, its default.
 */
void
fw_feed_option_row_build (FwFeedOptionRow    *self,
                          const FwFeedOption *option,
                          GCallback           changed,
                          gpointer            user_data)
{
  const char *help = fw_feed_option_get_help (option);
  GtkWidget *row;

  self->option = option;

  if (option->flags & FW_FEED_OPTION_PREFIX)
    {
      row = adw_entry_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Headers (Name: value; …)"));
      g_signal_connect_swapped (row, "changed", changed, user_data);
      self->editor = row;
    }
  else if (option->type == FW_FEED_OPTION_BOOL)
    {
      GtkWidget *toggle = gtk_switch_new ();

      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), help);
      gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
      g_signal_connect_swapped (toggle, "notify::active", changed, user_data);
      self->editor = toggle;
    }
  else if (option->type == FW_FEED_OPTION_CHOICE)
    {
      g_autoptr(GtkStringList) choices = gtk_string_list_new (NULL);
      g_autofree char *by_default = g_strdup_printf (_("Default (%s)"), option->default_value);

      gtk_string_list_append (choices, by_default);
      for (guint i = 0; option->choices[i] != NULL; i++)
        gtk_string_list_append (choices, option->choices[i]);
      row = adw_combo_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), help);
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (choices));
      g_signal_connect_swapped (row, "notify::selected", changed, user_data);
      self->editor = row;
    }
  else
    {
      /* A default of 0 is "none", which an empty row says already */
      g_autofree char *title = option->default_value != NULL &&
                               option->default_value[0] != '\0' &&
                               !g_str_equal (option->default_value, "0")
                               ? g_strdup_printf (_("%s (default %s)"), help,
                                                  option->default_value)
                               : g_strdup (help);

      row = adw_entry_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      if (is_number (option))
        adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), GTK_INPUT_PURPOSE_DIGITS);
      g_signal_connect_swapped (row, "changed", changed, user_data);
      self->editor = row;
    }

  /* The whole help, which a narrow row cuts, and the name as written in the feed */
  {
    g_autofree char *tooltip = g_strdup_printf ("%s — %s", option->flags & FW_FEED_OPTION_PREFIX
                                                           ? "header.NAME" : option->key,
                                                help);
    gtk_widget_set_tooltip_text (row, tooltip);
  }
  self->row = row;
}
