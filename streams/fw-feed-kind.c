/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-feed-kind.c: a kind's words and option schema, and the one check of a feed's options
 * against it (the list of kinds is in fw-feed.c) */

#include "config.h"

#include "fw-feed-kind.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/**
 * fw_feed_kind_get_name:
 * @kind: a kind of feed
 *
 * The kind's name, the scheme its feeds start with.
 *
 * Returns: (transfer none): the scheme, lower case ("sim", "ws"); "file" for paths
 */
const char *
fw_feed_kind_get_name (const FwFeedKind *kind)
{
  return kind->name;
}

/**
 * fw_feed_kind_get_description:
 * @kind: a kind of feed
 *
 * Says what the kind is, for help texts and the Add Feed dialog.
 *
 * Returns: (transfer none): one translated line
 */
const char *
fw_feed_kind_get_description (const FwFeedKind *kind)
{
  return g_dgettext (GETTEXT_PACKAGE, kind->description);
}

/**
 * fw_feed_kind_get_title:
 * @kind: a kind of feed
 *
 * A name for a feed of this kind ("Simulated sensor"), when nothing better is known.
 *
 * Returns: (transfer none): translated
 */
const char *
fw_feed_kind_get_title (const FwFeedKind *kind)
{
  return g_dgettext (GETTEXT_PACKAGE, kind->title);
}

/**
 * fw_feed_kind_get_icon_name:
 * @kind: a kind of feed
 *
 * The icon that stands for the kind's feeds.
 *
 * Returns: (transfer none): a symbolic icon name
 */
const char *
fw_feed_kind_get_icon_name (const FwFeedKind *kind)
{
  return kind->icon_name;
}

/**
 * fw_feed_kind_get_example:
 * @kind: a kind of feed
 *
 * An example feed of this kind.
 *
 * Returns: (transfer none) (nullable): what the Add Feed dialog writes for the kind, %NULL when not
 *   offered
 */
const char *
fw_feed_kind_get_example (const FwFeedKind *kind)
{
  return kind->example;
}

/**
 * fw_feed_kind_get_n_options:
 * @kind: a kind of feed
 *
 * Counts the options the kind takes; fw_feed_kind_get_option() reads them.
 *
 * Returns: the number of options, shared ones included
 */
guint
fw_feed_kind_get_n_options (const FwFeedKind *kind)
{
  guint n = 0;

  for (guint f = 0; kind->options != NULL && kind->options[f] != NULL; f++)
    {
      for (const FwFeedOption *option = kind->options[f]; option->key != NULL; option++)
        n++;
    }

  return n;
}

/**
 * fw_feed_kind_get_option:
 * @index: from 0 to fw_feed_kind_get_n_options() - 1
 *
 * Reads the kind's option schema by position.
 *
 * Returns: (transfer none) (nullable): the kind's option at @index, in the order the schema gives
 *   them (the kind's own first, shared ones after), or %NULL past the end
 */
const FwFeedOption *
fw_feed_kind_get_option (const FwFeedKind *kind,
                         guint             index)
{
  for (guint f = 0; kind->options != NULL && kind->options[f] != NULL; f++)
    {
      for (const FwFeedOption *option = kind->options[f]; option->key != NULL; option++)
        {
          if (index-- == 0)
            return option;
        }
    }

  return NULL;
}

/* A journal field's name: capitals, digits and underscores, not starting with a digit */
static gboolean
is_field_name (const char *key)
{
  if (key[0] == '\0' || g_ascii_isdigit (key[0]))
    return FALSE;
  for (const char *p = key; *p != '\0'; p++)
    {
      if (!g_ascii_isupper (*p) && !g_ascii_isdigit (*p) && *p != '_')
        return FALSE;
    }
  return TRUE;
}

/**
 * fw_feed_kind_find_option:
 * @key: an option as written in a feed ("interval", "header.Authorization")
 *
 * Finds the schema's entry for an option as written in a feed.
 *
 * Returns: (transfer none) (nullable): the schema's entry for @key (for `header.NAME`, the
 *   `header.` prefix entry), or %NULL when the kind does not take it
 */
const FwFeedOption *
fw_feed_kind_find_option (const FwFeedKind *kind,
                          const char       *key)
{
  for (guint f = 0; kind->options != NULL && kind->options[f] != NULL; f++)
    {
      for (const FwFeedOption *option = kind->options[f]; option->key != NULL; option++)
        {
          if ((option->flags & FW_FEED_OPTION_PREFIX)
              ? g_str_has_prefix (key, option->key) && key[strlen (option->key)] != '\0'
              : (option->flags & FW_FEED_OPTION_FIELD_NAME)
              ? is_field_name (key)
              : g_str_equal (key, option->key))
            return option;
        }
    }

  return NULL;
}

/**
 * fw_feed_title_from_url:
 * @spec: a network feed
 *
 * A #FwFeedTitleFunc for the network kinds.
 *
 * Returns: (transfer full): the URL's host and path ("example.org/events"), never its credentials
 *   or query; the feed (its secrets masked) when it has no host
 */
char *
fw_feed_title_from_url (const FwFeedSpec *spec)
{
  g_autoptr(GUri) uri = g_uri_parse (spec->target, G_URI_FLAGS_NONE, NULL);
  const char *path;

  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    return g_strdup (spec->text);

  path = g_uri_get_path (uri);
  return g_strdup_printf ("%s%s", g_uri_get_host (uri),
                          path != NULL && !g_str_equal (path, "/") ? path : "");
}

/**
 * fw_feed_title_from_path:
 * @spec: a feed of a file or folder
 *
 * A #FwFeedTitleFunc for files and folders.
 *
 * Returns: (transfer full) (nullable): the last part of the path ("syslog"), or %NULL when the path
 *   is empty
 */
char *
fw_feed_title_from_path (const FwFeedSpec *spec)
{
  return spec->target[0] != '\0' ? g_path_get_basename (spec->target) : NULL;
}

/**
 * fw_feed_title_from_target:
 * @spec: a feed
 *
 * A #FwFeedTitleFunc for commands.
 *
 * Returns: (transfer full): the feed's target, a command line say
 */
char *
fw_feed_title_from_target (const FwFeedSpec *spec)
{
  return g_strdup (spec->target);
}

/* "a, b and c" */
static void
append_list (GString    *text,
             GPtrArray  *words,
             const char *last_joint)
{
  for (guint i = 0; i < words->len; i++)
    {
      if (i > 0)
        g_string_append (text, i + 1 == words->len ? last_joint : ", ");
      g_string_append (text, g_ptr_array_index (words, i));
    }
}

/**
 * fw_feed_kind_list_options:
 *
 * Lists the options a kind takes, in words, for error messages and help.
 *
 * Returns: (transfer full): the options a user may write, for messages: "interval, jitter, count
 *   and seed" (a family as "header.NAME"); "" when the kind takes none
 */
char *
fw_feed_kind_list_options (const FwFeedKind *kind)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  GString *text = g_string_new (NULL);
  guint n = fw_feed_kind_get_n_options (kind);

  for (guint i = 0; i < n; i++)
    {
      const FwFeedOption *option = fw_feed_kind_get_option (kind, i);

      if (option->flags & FW_FEED_OPTION_HIDDEN)
        continue;
      g_ptr_array_add (words, option->flags & FW_FEED_OPTION_PREFIX
                              ? g_strconcat (option->key, "NAME", NULL)
                              : option->flags & FW_FEED_OPTION_FIELD_NAME
                              ? g_strdup_printf (_("any %s in capitals"), option->key)
                              : g_strdup (option->key));
    }
  /* Translators: joins the last two of a list: "interval, jitter and seed" */
  append_list (text, words, _(" and "));

  return g_string_free (text, FALSE);
}

/**
 * fw_feed_option_get_help:
 * @option: an option of a kind's schema
 *
 * One line saying what the option does, for help texts and the Add Feed dialog.
 *
 * Returns: (transfer none): translated
 */
const char *
fw_feed_option_get_help (const FwFeedOption *option)
{
  return g_dgettext (GETTEXT_PACKAGE, option->help);
}

static gboolean
is_number_type (FwFeedOptionType type)
{
  return type == FW_FEED_OPTION_UINT || type == FW_FEED_OPTION_MILLISECONDS ||
         type == FW_FEED_OPTION_SECONDS || type == FW_FEED_OPTION_BYTES;
}

static guint64
option_max (const FwFeedOption *option)
{
  return option->max != 0 ? option->max : G_MAXUINT;
}

/**
 * fw_feed_option_describe_values:
 *
 * Says in words what values an option takes, for error messages and help.
 *
 * Returns: (transfer full): the values @option takes, in words: "a whole number of milliseconds
 *   from 0 to 2000000000", "drop or refuse", "1 or 0", "any text"
 */
char *
fw_feed_option_describe_values (const FwFeedOption *option)
{
  g_autofree char *min = NULL;
  g_autofree char *max = NULL;
  GString *text;

  switch (option->type)
    {
    case FW_FEED_OPTION_BOOL:
      return g_strdup (_("1 or 0 (true or false)"));
    case FW_FEED_OPTION_STRING:
      return g_strdup (_("any text"));
    case FW_FEED_OPTION_CHOICE:
      {
        g_autoptr(GPtrArray) words = g_ptr_array_new ();

        text = g_string_new (NULL);
        for (guint i = 0; option->choices != NULL && option->choices[i] != NULL; i++)
          g_ptr_array_add (words, (gpointer) option->choices[i]);
        /* Translators: joins the last two of a list of choices: "drop or refuse" */
        append_list (text, words, _(" or "));
        return g_string_free (text, FALSE);
      }
    case FW_FEED_OPTION_UINT:
    case FW_FEED_OPTION_MILLISECONDS:
    case FW_FEED_OPTION_SECONDS:
    case FW_FEED_OPTION_BYTES:
    default:
      break;
    }

  /* Whole phrases, one for each unit and bound, so that each can be translated */
  min = g_strdup_printf ("%" G_GUINT64_FORMAT, option->min);
  max = g_strdup_printf ("%" G_GUINT64_FORMAT, option->max);
  switch (option->type)
    {
    case FW_FEED_OPTION_MILLISECONDS:
      if (option->max != 0)
        return g_strdup_printf (_("a whole number of milliseconds from %s to %s"), min, max);
      if (option->min != 0)
        return g_strdup_printf (_("a whole number of milliseconds, at least %s"), min);
      return g_strdup (_("a whole number of milliseconds"));
    case FW_FEED_OPTION_SECONDS:
      if (option->max != 0)
        return g_strdup_printf (_("a whole number of seconds from %s to %s"), min, max);
      if (option->min != 0)
        return g_strdup_printf (_("a whole number of seconds, at least %s"), min);
      return g_strdup (_("a whole number of seconds"));
    case FW_FEED_OPTION_BYTES:
      if (option->max != 0)
        return g_strdup_printf (_("a whole number of bytes from %s to %s"), min, max);
      if (option->min != 0)
        return g_strdup_printf (_("a whole number of bytes, at least %s"), min);
      return g_strdup (_("a whole number of bytes"));
    case FW_FEED_OPTION_UINT:
    case FW_FEED_OPTION_BOOL:
    case FW_FEED_OPTION_STRING:
    case FW_FEED_OPTION_CHOICE:
    default:
      if (option->max != 0)
        return g_strdup_printf (_("a whole number from %s to %s"), min, max);
      if (option->min != 0)
        return g_strdup_printf (_("a whole number, at least %s"), min);
      return g_strdup (_("a whole number"));
    }
}

/**
 * fw_feed_option_check_value:
 * @value: the option's value as written (decoded)
 *
 * Checks one option's value against its schema.
 *
 * Returns: %FALSE with @error set (%FW_FEED_ERROR_INVALID; a message naming the option and the
 *   values it takes, for the caller to prefix with the feed) when @value is not one @option takes
 */
gboolean
fw_feed_option_check_value (const FwFeedOption  *option,
                            const char          *value,
                            GError             **error)
{
  gboolean ok = TRUE;

  if (is_number_type (option->type))
    {
      guint64 number;

      ok = g_ascii_string_to_unsigned (value, 10, option->min, option_max (option), &number,
                                       NULL);
    }
  else if (option->type == FW_FEED_OPTION_BOOL)
    {
      ok = g_str_equal (value, "") || g_str_equal (value, "1") || g_str_equal (value, "0") ||
           g_str_equal (value, "true") || g_str_equal (value, "false");
    }
  else if (option->type == FW_FEED_OPTION_CHOICE)
    {
      ok = option->choices != NULL && g_strv_contains (option->choices, value);
    }

  if (!ok)
    {
      g_autofree char *values = fw_feed_option_describe_values (option);

      g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID, _("%s must be %s, not “%s”"),
                   option->key, values, value);
    }

  return ok;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/**
 * fw_feed_kind_check:
 * @spec: a feed of @kind
 *
 * The one check of a feed's options: every key is one the kind takes, every value one its
 * option takes. Options are checked in the schema's order, so the message is the same each
 * time.
 *
 * Returns: %FALSE with @error set (%FW_FEED_ERROR_UNKNOWN_OPTION naming the options the kind
 *   takes, or %FW_FEED_ERROR_INVALID naming the values the option takes)
 */
gboolean
fw_feed_kind_check (const FwFeedKind  *kind,
                    const FwFeedSpec  *spec,
                    GError           **error)
{
  g_autoptr(GPtrArray) unknown = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;
  guint n;

  g_hash_table_iter_init (&iter, spec->options);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      if (fw_feed_kind_find_option (kind, key) == NULL)
        g_ptr_array_add (unknown, key);
    }
  if (unknown->len > 0)
    {
      g_autofree char *known = fw_feed_kind_list_options (kind);

      g_ptr_array_sort (unknown, compare_strings);
      if (known[0] == '\0')
        g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_UNKNOWN_OPTION,
                     _("Feed “%s”: unknown option “%s”; %s: feeds take no options"),
                     spec->text, (const char *) g_ptr_array_index (unknown, 0), kind->name);
      else
        g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_UNKNOWN_OPTION,
                     _("Feed “%s”: unknown option “%s”; the options of %s: feeds are %s"),
                     spec->text, (const char *) g_ptr_array_index (unknown, 0), kind->name,
                     known);
      return FALSE;
    }

  n = fw_feed_kind_get_n_options (kind);
  for (guint i = 0; i < n; i++)
    {
      const FwFeedOption *option = fw_feed_kind_get_option (kind, i);
      g_autoptr(GError) local_error = NULL;
      const char *value;

      /* A family's values are the source's to check (a header's name and value). */
      if (option->flags & (FW_FEED_OPTION_PREFIX | FW_FEED_OPTION_FIELD_NAME))
        continue;
      value = g_hash_table_lookup (spec->options, option->key);
      if (value != NULL && !fw_feed_option_check_value (option, value, &local_error))
        {
          g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID, _("Feed “%s”: %s"),
                       spec->text, local_error->message);
          return FALSE;
        }
    }

  return TRUE;
}
