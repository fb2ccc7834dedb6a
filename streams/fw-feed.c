/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-feed.c: from what the user writes ("sim:sensor?interval=200", "/var/log/syslog",
 * "sse:https://host/events#retry=5000") to a stream.
 *
 * Options: a target that is itself a URL keeps its own query for the server, so its options
 * follow a '#' (a fragment is never sent); other targets take them after '?' or '#'. `cmd:`
 * takes the whole rest as the command line.
 */

#include "fw-feed.h"
#include "fw-feed-kind.h"

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

#include <string.h>

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

void
fw_feed_spec_free (FwFeedSpec *spec)
{
  if (spec == NULL)
    return;

  g_free (spec->text);
  g_free (spec->kind);
  g_free (spec->target);
  g_clear_pointer (&spec->options, g_hash_table_unref);
  g_free (spec);
}

static gboolean
is_scheme (const char *text,
           gsize       len)
{
  if (len == 0 || !g_ascii_isalpha (text[0]))
    return FALSE;

  for (gsize i = 1; i < len; i++)
    {
      if (!g_ascii_isalnum (text[i]) && text[i] != '+' && text[i] != '-' && text[i] != '.')
        return FALSE;
    }

  return TRUE;
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
                       "Feed “%s”: the option “%s” is not valid", spec->text, pairs[i]);
          return FALSE;
        }
      /* One value a key: a repeat would silently win over the first (`header.NAME` too, which
       * holds one value; a header's several values join with a comma, as HTTP allows). */
      if (g_hash_table_contains (spec->options, key))
        {
          g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                       "Feed “%s”: the option “%s” is given more than once; give it once%s",
                       spec->text, key,
                       g_str_has_prefix (key, "header.")
                       ? " (join a header's several values with a comma)" : "");
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
 * Returns: (transfer full) (nullable): the parts of @text, or %NULL with @error set
 */
FwFeedSpec *
fw_feed_spec_parse (const char  *text,
                    GError     **error)
{
  g_autoptr(FwFeedSpec) spec = NULL;
  const char *colon;
  const char *rest;
  const char *opts = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  if (text[0] == '\0' || !g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                           "A feed cannot be empty or invalid UTF-8");
      return NULL;
    }

  spec = g_new0 (FwFeedSpec, 1);
  /* The identity goes everywhere (items, rows, output, errors): never with its secrets. */
  spec->text = fw_feed_spec_redact (text);

  /* A feed read back from the settings opens only once the keyring gave its secrets. */
  if (fw_feed_spec_has_placeholders (text))
    {
      g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                   "Feed “%s”: its credentials are kept in the keyring and were not filled in",
                   spec->text);
      return NULL;
    }

  spec->options = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  colon = strchr (text, ':');
  if (text[0] == '/' || text[0] == '.' || text[0] == '~' || colon == NULL ||
      !is_scheme (text, colon - text))
    {
      /* A path: the log tail. A path never has options, so '?' and '#' stay in it. */
      spec->kind = g_strdup ("file");
      spec->target = g_strdup (text);
      return g_steal_pointer (&spec);
    }

  spec->kind = g_ascii_strdown (text, colon - text);
  rest = colon + 1;

  if (g_str_equal (spec->kind, "cmd"))
    {
      spec->target = g_strdup (rest);
    }
  else if (g_str_equal (spec->kind, "file"))
    {
      g_autoptr(GFile) file = g_file_new_for_uri (text);
      g_autofree char *host = NULL;

      /* GIO drops the host and reads the local file: another computer's would be meant. */
      if (g_uri_split (text, G_URI_FLAGS_NONE, NULL, NULL, &host, NULL, NULL, NULL, NULL, NULL) &&
          host != NULL && host[0] != '\0' && g_ascii_strcasecmp (host, "localhost") != 0)
        {
          g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                       "“%s” names the computer “%s”: Feedwatch reads files on this computer "
                       "only; write file:///path (three slashes), or for another computer's log "
                       "a command feed such as “cmd:ssh %s tail -F /path”", text, host, host);
          return NULL;
        }

      spec->target = g_file_get_path (file);
      if (spec->target == NULL)
        {
          g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                       "“%s” is not a local file URI", text);
          return NULL;
        }
    }
  else if (strstr (text, "://") != NULL)
    {
      /* http://, ws://, or sse:https://: the URL's own query is the server's */
      opts = strchr (rest, '#');
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
      opts = strpbrk (rest, "?#");
      spec->target = opts != NULL ? g_strndup (rest, opts - rest) : g_strdup (rest);
    }

  if (opts != NULL && !parse_options (spec, opts + 1, error))
    {
      mask_error (text, error);
      return NULL;
    }

  return g_steal_pointer (&spec);
}

const char *
fw_feed_spec_get_option (const FwFeedSpec *spec,
                         const char       *key)
{
  return g_hash_table_lookup (spec->options, key);
}

/**
 * fw_feed_spec_get_uint:
 *
 * Reads an unsigned option, or @default_value when it is absent.
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
                   "Feed “%s”: %s must be a whole number, not “%s”", spec->text, key, text);
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
};

/**
 * fw_feed_kind_list:
 * @n_kinds: (out) (optional): how many there are
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
 *
 * Returns: (transfer full) (nullable): a stream that has opened nothing yet (streams start on
 *   their first `next`), or %NULL with @error set for a feed that is not understood
 */
FwStream *
fw_feed_open (const char       *text,
              FwFeedOpenFlags   flags,
              GError          **error)
{
  g_autoptr(FwFeedSpec) spec = NULL;
  const FwFeedKind *kind;
  FwStream *stream;

  spec = fw_feed_spec_parse (text, error);
  if (spec == NULL)
    return NULL;

  kind = fw_feed_kind_lookup (spec->kind);
  if (kind == NULL)
    {
      g_autofree char *known = list_kinds ();

      g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_UNKNOWN_KIND,
                   "“%s” is not a feed Feedwatch understands: unknown kind “%s:” "
                   "(known: %s:, or a file path)", spec->text, spec->kind, known);
      return NULL;
    }

  if (!fw_feed_kind_check (kind, spec, error))
    {
      mask_error (text, error);
      return NULL;
    }

  stream = kind->open (spec, flags, error);
  if (stream == NULL)
    mask_error (text, error);

  return stream;
}
