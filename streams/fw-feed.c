/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-feed.c: from what the user writes ("sim:sensor?interval=200", "/var/log/syslog",
 * "sse:https://host/events#retry=5000") to a stream.
 *
 * Options: a target that is itself a URL keeps its own query for the server, so its options
 * follow a '#' (a fragment is never sent); other targets take them after '?' or '#'. A command
 * line or a file's name takes them only after a last '#', and only options of its kind.
 */

#include "config.h"

#include "fw-feed.h"
#include "fw-feed-kind.h"
#include "fw-feed-private.h"

#include "sources/fw-sim-sensor.h"
#include "sources/fw-log-source.h"
#include "sources/fw-command-source.h"
#include "sources/fw-dir-source.h"
#include "sources/fw-machine-sensors.h"
#include "sources/fw-ndjson-source.h"
#include "sources/fw-metrics-source.h"
#include "sources/fw-pages-source.h"
#include "sources/fw-websocket-source.h"
#include "sources/fw-http-detect.h"
#include "sources/fw-sse-source.h"
#include "sources/fw-replay-source.h"
#include "sources/fw-journal-source.h"
#include "sources/fw-postgres-source.h"
#include "sources/fw-mqtt-source.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/**
 * fw_feed_error_quark:
 *
 * The error domain of feeds that cannot be understood.
 *
 * Returns: the #FwFeedError domain, %FW_FEED_ERROR
 */
G_DEFINE_QUARK (fw-feed-error-quark, fw_feed_error)

/* Errors quote the feed or parts of it: none may show its secrets. */
static void
mask_error (const char  *text,
            GError     **error)
{
  if (error != NULL && *error != NULL)
    {
      char *masked = fw_feed_spec_mask (text, (*error)->message);

      g_free ((*error)->message);
      (*error)->message = masked;
    }
}

G_DEFINE_BOXED_TYPE (FwFeedSpec, fw_feed_spec, fw_feed_spec_ref, fw_feed_spec_unref)

/**
 * fw_feed_spec_ref:
 * @spec: a parsed feed
 *
 * Takes a reference on @spec. A spec is immutable, so it may be shared freely.
 *
 * Returns: (transfer full): @spec
 */
FwFeedSpec *
fw_feed_spec_ref (FwFeedSpec *spec)
{
  g_return_val_if_fail (spec != NULL, NULL);

  g_atomic_ref_count_inc (&spec->ref_count);
  return spec;
}

/**
 * fw_feed_spec_unref:
 * @spec: (nullable): a parsed feed, or %NULL
 *
 * Drops a reference on @spec, freeing it with the last one.
 */
void
fw_feed_spec_unref (FwFeedSpec *spec)
{
  if (spec == NULL || !g_atomic_ref_count_dec (&spec->ref_count))
    return;

  g_free (spec->text);
  g_free (spec->kind);
  g_free (spec->target);
  g_clear_pointer (&spec->options, g_hash_table_unref);
  g_clear_pointer (&spec->secret_forms, g_ptr_array_unref);
  g_free (spec);
}

/**
 * fw_feed_spec_free:
 * @spec: (nullable): a parsed feed the caller owns alone, or %NULL
 *
 * The same as fw_feed_spec_unref(), for a caller that owns its spec alone (g_autoptr()).
 */
void
fw_feed_spec_free (FwFeedSpec *spec)
{
  fw_feed_spec_unref (spec);
}

/* A command line and a file name may hold any '?' or '#', so their options are only a last
 * '#' followed by options that @kind_name takes (`cmd:make -k#restart=on-failure`,
 * `/var/log/syslog#lines=20`); anything else after a '#' stays part of the name. */
static const char *
trailing_options (const char *rest,
                  const char *kind_name)
{
  const FwFeedKind *kind = fw_feed_kind_lookup (kind_name);
  const char *hash = strrchr (rest, '#');
  g_auto(GStrv) pairs = NULL;

  if (kind == NULL || hash == NULL || hash[1] == '\0')
    return NULL;

  pairs = g_strsplit (hash + 1, "&", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      char *eq = strchr (pairs[i], '=');

      if (eq == NULL)
        return NULL;
      *eq = '\0';
      if (fw_feed_kind_find_option (kind, pairs[i]) == NULL)
        return NULL;
    }

  return hash;
}

/* The feed grammar, in one place: fw_feed_spec_parse() and the secrets' finder both read a
 * feed's parts from here. */
void
fw_feed_scan (const char *text,
              FwFeedScan *scan)
{
  const char *colon = strchr (text, ':');
  gsize len;

  scan->kind_len = 0;
  scan->rest = text;
  scan->options = NULL;
  scan->is_url = FALSE;
  scan->separator = '#';

  if (text[0] == '/' || text[0] == '.' || text[0] == '~' || colon == NULL || colon == text ||
      !g_ascii_isalpha (text[0]))
    {
      scan->options = trailing_options (text, "file");
      return;
    }
  len = colon - text;
  for (gsize i = 1; i < len; i++)
    {
      if (!g_ascii_isalnum (text[i]) && text[i] != '+' && text[i] != '-' && text[i] != '.')
        {
          scan->options = trailing_options (text, "file");
          return;
        }
    }

  scan->kind_len = len;
  scan->rest = colon + 1;
  if (len == 3 && g_ascii_strncasecmp (text, "cmd", 3) == 0)
    {
      scan->options = trailing_options (scan->rest, "cmd");
      return;
    }
  if (len == 4 && g_ascii_strncasecmp (text, "file", 4) == 0)
    {
      scan->options = trailing_options (scan->rest, "file");
      return;
    }

  /* mqtt://host/sensors/#?qos=1: no server reads a query there, and '#' is a topic filter's
   * wildcard, so options follow '?' */
  if ((len == 4 && g_ascii_strncasecmp (text, "mqtt", 4) == 0) ||
      (len == 5 && g_ascii_strncasecmp (text, "mqtts", 5) == 0))
    {
      scan->is_url = TRUE;
      scan->separator = '?';
      scan->options = strchr (scan->rest, '?');
      return;
    }

  /* http://, ws://, or sse:https://: the URL's own query is the server's */
  scan->is_url = strstr (text, "://") != NULL;
  scan->separator = scan->is_url ? '#' : '?';
  scan->options = scan->is_url ? strchr (scan->rest, '#') : strpbrk (scan->rest, "?#");
}

static gboolean
parse_options (FwFeedSpec  *spec,
               const char  *query,
               GError     **error)
{
  g_auto(GStrv) pairs = g_strsplit (query, "&", -1);

  for (guint i = 0; pairs[i] != NULL; i++)
    {
      const char *eq;
      g_autofree char *key = NULL;
      g_autofree char *value = NULL;

      if (pairs[i][0] == '\0')
        continue;

      eq = strchr (pairs[i], '=');
      key = g_uri_unescape_segment (pairs[i], eq, NULL);
      value = eq != NULL ? g_uri_unescape_string (eq + 1, NULL) : g_strdup ("");
      /* The feed is UTF-8, and so must be what its escapes decode to ("%FF" is not). */
      if (key == NULL || value == NULL || key[0] == '\0' ||
          !g_utf8_validate (key, -1, NULL) || !g_utf8_validate (value, -1, NULL))
        {
          g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                       _("Feed “%s”: the option “%s” is not valid"), spec->text, pairs[i]);
          return FALSE;
        }
      /* One value a key: a repeat would silently win over the first (`header.NAME` too, which
       * holds one value; a header's several values join with a comma, as HTTP allows). */
      if (g_hash_table_contains (spec->options, key))
        {
          if (g_str_has_prefix (key, "header."))
            g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                         _("Feed “%s”: the option “%s” is given more than once; give it once "
                           "(join a header's several values with a comma)"), spec->text, key);
          else
            g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                         _("Feed “%s”: the option “%s” is given more than once; give it once"),
                         spec->text, key);
          return FALSE;
        }
      g_hash_table_replace (spec->options, g_steal_pointer (&key), g_steal_pointer (&value));
    }

  return TRUE;
}

/**
 * fw_feed_spec_parse:
 * @text: a feed as the user wrote it
 *
 * Parses a feed as a user writes it ("sim:sensor", a path, "sse:https://…?retry=5000") into its
 * kind, target and options, once. Fails with %FW_FEED_ERROR_INVALID and a message in words for
 * text that is not a feed; whether Feedwatch knows the kind, and whether the kind takes the
 * options, is checked when the feed is opened (fw_feed_open_spec()).
 *
 * Returns: (transfer full) (nullable): the parts of @text, or %NULL with @error set
 */
FwFeedSpec *
fw_feed_spec_parse (const char  *text,
                    GError     **error)
{
  g_autoptr(FwFeedSpec) spec = NULL;
  FwFeedScan scan;
  const char *rest;
  const char *opts;

  g_return_val_if_fail (text != NULL, NULL);

  if (text[0] == '\0' || !g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                           _("A feed cannot be empty or invalid UTF-8"));
      return NULL;
    }

  spec = g_new0 (FwFeedSpec, 1);
  g_atomic_ref_count_init (&spec->ref_count);
  /* The identity goes everywhere (items, rows, output, errors): never with its secrets. */
  spec->text = fw_feed_spec_redact (text);

  /* A feed read back from the settings opens only once the keyring gave its secrets. */
  if (fw_feed_spec_has_placeholders (text))
    {
      g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                   _("Feed “%s”: its credentials are kept in the keyring and were not filled in"),
                   spec->text);
      return NULL;
    }

  spec->options = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  /* Found once: what the messages about this feed must not show (fw_feed_spec_mask()) */
  spec->secret_forms = fw_feed_secret_forms (text);

  fw_feed_scan (text, &scan);
  rest = scan.rest;
  opts = scan.options;
  spec->kind = scan.kind_len == 0 ? g_strdup ("file") : g_ascii_strdown (text, scan.kind_len);
  spec->kind_info = fw_feed_kind_lookup (spec->kind);

  if (scan.kind_len == 0 || g_str_equal (spec->kind, "cmd"))
    {
      /* A path (the log tail) or a command line keeps its '?' and '#', but for last options. */
      spec->target = opts != NULL ? g_strndup (rest, opts - rest) : g_strdup (rest);
    }
  else if (g_str_equal (spec->kind, "file"))
    {
      g_autofree char *uri = opts != NULL ? g_strndup (text, opts - text) : g_strdup (text);
      g_autoptr(GFile) file = g_file_new_for_uri (uri);
      g_autofree char *host = NULL;

      /* GIO drops the host and reads the local file: another computer's would be meant. */
      if (g_uri_split (uri, G_URI_FLAGS_NONE, NULL, NULL, &host, NULL, NULL, NULL, NULL, NULL) &&
          host != NULL && host[0] != '\0' && g_ascii_strcasecmp (host, "localhost") != 0)
        {
          g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                       _("“%s” names the computer “%s”: Feedwatch reads files on this computer "
                         "only; write file:///path (three slashes), or for another computer's log "
                         "a command feed such as “cmd:ssh %s tail -F /path”"), text, host, host);
          return NULL;
        }

      spec->target = g_file_get_path (file);
      if (spec->target == NULL)
        {
          g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                       _("“%s” is not a local file URI"), text);
          return NULL;
        }
    }
  else if (scan.is_url)
    {
      spec->target = opts != NULL ? g_strndup (rest, opts - rest) : g_strdup (rest);
      if (g_str_equal (spec->kind, "http") || g_str_equal (spec->kind, "https") ||
          g_str_equal (spec->kind, "ws") || g_str_equal (spec->kind, "wss"))
        {
          g_autofree char *url = g_strndup (text, opts != NULL ? opts - text : (gssize) strlen (text));
          g_free (spec->target);
          spec->target = g_steal_pointer (&url);
        }
    }
  else
    {
      spec->target = opts != NULL ? g_strndup (rest, opts - rest) : g_strdup (rest);
    }

  if (opts != NULL && !parse_options (spec, opts + 1, error))
    {
      mask_error (text, error);
      return NULL;
    }

  return g_steal_pointer (&spec);
}

/**
 * fw_feed_text_set_option:
 * @text: a feed as the user wrote it
 * @key: an option's name
 * @value: (nullable): its new value, or %NULL to remove it
 *
 * Writes an option into a feed's text where the grammar puts options, replacing the value the
 * text had (in its place) or adding it last; the text's other parts stay as they were written.
 *
 * Returns: (transfer full): the feed's new text
 */
char *
fw_feed_text_set_option (const char *text,
                         const char *key,
                         const char *value)
{
  FwFeedScan scan;
  GString *out;
  g_auto(GStrv) pairs = NULL;
  g_autofree char *escaped = NULL;
  gboolean found = FALSE;
  gboolean first = TRUE;
  char separator;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  fw_feed_scan (text, &scan);
  if (scan.options != NULL)
    {
      out = g_string_new_len (text, scan.options - text);
      separator = scan.options[0];
      pairs = g_strsplit (scan.options + 1, "&", -1);
    }
  else
    {
      out = g_string_new (text);
      separator = scan.separator;
      pairs = g_new0 (char *, 1);
    }

  if (value != NULL)
    {
      g_autofree char *escaped_value = g_uri_escape_string (value, "/:,|*", FALSE);

      escaped = g_strconcat (key, "=", escaped_value, NULL);
    }

  for (guint i = 0; pairs[i] != NULL; i++)
    {
      const char *eq = strchr (pairs[i], '=');
      g_autofree char *pair_key = g_uri_unescape_segment (pairs[i], eq, NULL);
      const char *kept = pairs[i];

      if (pairs[i][0] == '\0')
        continue;
      if (g_strcmp0 (pair_key, key) == 0)
        {
          kept = found ? NULL : escaped;
          found = TRUE;
        }
      if (kept == NULL)
        continue;
      g_string_append_c (out, first ? separator : '&');
      g_string_append (out, kept);
      first = FALSE;
    }

  if (!found && escaped != NULL)
    {
      g_string_append_c (out, first ? separator : '&');
      g_string_append (out, escaped);
    }

  return g_string_free (out, FALSE);
}

/**
 * fw_feed_spec_get_option:
 * @spec: a parsed feed
 * @key: an option's name ("interval")
 *
 * Reads an option as the feed's text gives it, without its kind's default; see
 * fw_feed_spec_get_string() for the value with its default.
 *
 * Returns: (transfer none) (nullable): the option's value as written (decoded), or %NULL when the
 *   feed does not set it
 */
const char *
fw_feed_spec_get_option (const FwFeedSpec *spec,
                         const char       *key)
{
  return g_hash_table_lookup (spec->options, key);
}

/**
 * fw_feed_spec_get_text:
 * @spec: a parsed feed
 *
 * The feed as the user wrote it, with its secrets masked: its identity in items, output and errors.
 *
 * Returns: (transfer none): the feed, its secrets masked
 */
const char *
fw_feed_spec_get_text (const FwFeedSpec *spec)
{
  return spec->text;
}

/**
 * fw_feed_spec_get_kind:
 * @spec: a parsed feed
 *
 * The feed's kind, as a scheme ("sim", "sse", "file").
 *
 * Returns: (transfer none): the scheme, lower case; "file" for a path
 */
const char *
fw_feed_spec_get_kind (const FwFeedSpec *spec)
{
  return spec->kind;
}

/**
 * fw_feed_spec_get_target:
 * @spec: a parsed feed
 *
 * The feed's target: a path, a URL, a command line.
 *
 * Returns: (transfer none): what follows the scheme, without the options
 */
const char *
fw_feed_spec_get_target (const FwFeedSpec *spec)
{
  return spec->target;
}

/**
 * fw_feed_spec_get_kind_info:
 * @spec: a parsed feed
 *
 * The descriptor of the feed's kind, which tells how to open and present it.
 *
 * Returns: (transfer none) (nullable): the kind's descriptor, %NULL for a kind Feedwatch does not
 *   know
 */
const FwFeedKind *
fw_feed_spec_get_kind_info (const FwFeedSpec *spec)
{
  return spec->kind_info;
}

/**
 * fw_feed_spec_mask_message:
 * @message: (nullable): a text made from the feed (an error, a status)
 *
 * fw_feed_spec_mask() with the secrets found when @spec was parsed, not searched again.
 *
 * Returns: (transfer full) (nullable): @message without the feed's secrets
 */
char *
fw_feed_spec_mask_message (const FwFeedSpec *spec,
                           const char       *message)
{
  return fw_feed_mask_with_forms (spec->secret_forms, message);
}

static const FwFeedOption *
schema_option (const FwFeedSpec *spec,
               const char       *key)
{
  return spec->kind_info != NULL ? fw_feed_kind_find_option (spec->kind_info, key) : NULL;
}

/**
 * fw_feed_spec_get_string:
 * @key: an option's name
 *
 * Reads a text option, with its kind's default.
 *
 * Returns: (transfer none) (nullable): the option's value, or else the default its kind's schema
 *   gives it, or else %NULL
 */
const char *
fw_feed_spec_get_string (const FwFeedSpec *spec,
                         const char       *key)
{
  const char *value = fw_feed_spec_get_option (spec, key);
  const FwFeedOption *option;

  if (value != NULL)
    return value;
  option = schema_option (spec, key);
  return option != NULL ? option->default_value : NULL;
}

/**
 * fw_feed_spec_get_uint_or_default:
 * @key: an option's name
 * @out_value: (out): where to store the number
 *
 * Reads a number option, or the default its kind's schema gives it (0 when none).
 *
 * Returns: %FALSE with @error set when the option is there but not a number
 */
gboolean
fw_feed_spec_get_uint_or_default (const FwFeedSpec  *spec,
                                  const char        *key,
                                  guint             *out_value,
                                  GError           **error)
{
  const FwFeedOption *option = schema_option (spec, key);
  guint64 fallback = 0;

  if (option != NULL && option->default_value != NULL &&
      !g_ascii_string_to_unsigned (option->default_value, 10, 0, G_MAXUINT, &fallback, NULL))
    g_return_val_if_reached (FALSE);

  return fw_feed_spec_get_uint (spec, key, (guint) fallback, out_value, error);
}

/**
 * fw_feed_spec_get_bool:
 * @key: an option's name
 *
 * Reads a yes-or-no option (`insecure`, `once=1`).
 *
 * Returns: whether a yes-or-no option (fw-feed-kind.h) says yes, its schema's default when the feed
 *   does not set it; a value that is not one (a spec not checked) is no
 */
gboolean
fw_feed_spec_get_bool (const FwFeedSpec *spec,
                       const char       *key)
{
  const char *value = fw_feed_spec_get_string (spec, key);

  return value != NULL && (value[0] == '\0' || g_str_equal (value, "1") ||
                           g_str_equal (value, "true"));
}

/**
 * fw_feed_spec_get_uint:
 * @key: an option's name
 * @default_value: the value when the feed does not set the option
 * @out_value: (out): where to store the number
 *
 * Reads an unsigned option, or @default_value when it is absent.
 *
 * Returns: %FALSE with @error set when the option is there but not a number
 */
gboolean
fw_feed_spec_get_uint (const FwFeedSpec  *spec,
                       const char        *key,
                       guint              default_value,
                       guint             *out_value,
                       GError           **error)
{
  const char *text = fw_feed_spec_get_option (spec, key);
  guint64 value;

  if (text == NULL)
    {
      *out_value = default_value;
      return TRUE;
    }

  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT, &value, NULL))
    {
      g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                   _("Feed “%s”: %s must be a whole number, not “%s”"), spec->text, key, text);
      return FALSE;
    }

  *out_value = (guint) value;
  return TRUE;
}

/* Every kind of feed Feedwatch knows: the only list. */
static const FwFeedKind *const builtin_kinds[] = {
  &fw_log_source_kind,
  &fw_command_source_kind,
  &fw_dir_source_kind,
  &fw_sim_sensor_kind,
  &fw_machine_sensors_cpu_kind,
  &fw_machine_sensors_mem_kind,
  &fw_machine_sensors_hwmon_kind,
  &fw_machine_sensors_net_kind,
  &fw_machine_sensors_disk_kind,
  &fw_machine_sensors_all_kind,
  &fw_sse_source_kind,
  &fw_ndjson_source_kind,
  &fw_pages_source_kind,
  &fw_websocket_source_ws_kind,
  &fw_websocket_source_wss_kind,
  &fw_metrics_source_kind,
  &fw_http_detect_http_kind,
  &fw_http_detect_https_kind,
  &fw_replay_source_kind,
  &fw_journal_source_kind,
#if HAVE_LIBPQ
  &fw_postgres_source_kind,
  &fw_postgresql_source_kind,
#endif
#if HAVE_LIBMOSQUITTO
  &fw_mqtt_source_mqtt_kind,
  &fw_mqtt_source_mqtts_kind,
#endif
};

/**
 * fw_feed_kind_list:
 * @n_kinds: (out) (optional): how many there are
 *
 * Lists the kinds of feed Feedwatch knows, for help texts and the Add Feed dialog.
 *
 * Returns: (transfer none) (array length=n_kinds zero-terminated=0): every kind of feed, in the
 *   order the Add Feed dialog offers them
 */
const FwFeedKind *const *
fw_feed_kind_list (guint *n_kinds)
{
  if (n_kinds != NULL)
    *n_kinds = G_N_ELEMENTS (builtin_kinds);
  return builtin_kinds;
}

/**
 * fw_feed_kind_lookup:
 * @name: a scheme ("sim", "wss"), in any case
 *
 * Finds a kind of feed by its scheme.
 *
 * Returns: (transfer none) (nullable): its kind, or %NULL when Feedwatch knows none by that name
 */
const FwFeedKind *
fw_feed_kind_lookup (const char *name)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (builtin_kinds); i++)
    {
      if (g_ascii_strcasecmp (builtin_kinds[i]->name, name) == 0)
        return builtin_kinds[i];
    }

  return NULL;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static char *
list_kinds (void)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (builtin_kinds); i++)
    g_ptr_array_add (names, (gpointer) builtin_kinds[i]->name);
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);

  return g_strjoinv (":, ", (char **) names->pdata);
}

/**
 * fw_feed_open:
 * @text: a feed as the user wrote it
 * @flags: how to open it: follow the feed, or read it once to its end
 *
 * Opens a feed from its text: parses it, checks its options against its kind's schema and makes the
 * kind's stream. Fails with a #FwFeedError, its message in words, for a feed Feedwatch does not
 * understand; problems reaching the feed (a missing file, a refused connection) come later, from
 * the stream.
 *
 * Returns: (transfer full) (nullable): a stream that has opened nothing yet (streams start on their
 *   first `next`), or %NULL with @error set for a feed that is not understood
 */
FwStream *
fw_feed_open (const char       *text,
              FwFeedOpenFlags   flags,
              GError          **error)
{
  g_autoptr(FwFeedSpec) spec = NULL;

  spec = fw_feed_spec_parse (text, error);
  if (spec == NULL)
    return NULL;

  return fw_feed_open_spec (spec, flags, error);
}

/**
 * fw_feed_open_spec:
 * @spec: a feed parsed once, kept by whoever opens it again (a restart)
 * @flags: how to open it: follow the feed, or read it once to its end
 *
 * fw_feed_open() without parsing the feed again: its options are checked against its kind's
 * schema, then its kind opens it.
 *
 * Returns: (transfer full) (nullable): a stream that has opened nothing yet, or %NULL with @error
 *   set
 */
FwStream *
fw_feed_open_spec (FwFeedSpec       *spec,
                   FwFeedOpenFlags   flags,
                   GError          **error)
{
  const FwFeedKind *kind = spec->kind_info;
  FwStream *stream;

  if (kind == NULL)
    {
      g_autofree char *known = list_kinds ();

      g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_UNKNOWN_KIND,
                   _("“%s” is not a feed Feedwatch understands: unknown kind “%s:” "
                     "(known: %s:, or a file path)"), spec->text, spec->kind, known);
      return NULL;
    }

  /* Errors quote the feed or parts of it: none may show its secrets. */
  if (!fw_feed_kind_check (kind, spec, error) ||
      (stream = kind->open (spec, flags, error)) == NULL)
    {
      if (error != NULL && *error != NULL)
        {
          char *masked = fw_feed_spec_mask_message (spec, (*error)->message);

          g_free ((*error)->message);
          (*error)->message = masked;
        }
      return NULL;
    }

  return stream;
}
