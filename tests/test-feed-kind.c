/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-feed-kind.c: the kinds of feed, their option schemas, and the check of a feed's options
 * against them */

#include "config.h"

#include "fw-test-util.h"

#include <string.h>

#include "sources/fw-backoff.h"
#include "sources/fw-metrics-source.h"
#include "sources/fw-ndjson-source.h"
#include "sources/fw-pages-source.h"
#include "sources/fw-sse-parser.h"
#include "sources/fw-websocket-source.h"

static void
assert_refused (const char  *feed,
                int          code,
                const char  *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = fw_feed_open (feed, FW_FEED_OPEN_NONE, &error);

  g_test_message ("%s → %s", feed, error != NULL ? error->message : "(opened)");
  g_assert_null (stream);
  g_assert_error (error, FW_FEED_ERROR, code);
  g_assert_nonnull (strstr (error->message, expected));
}

/* A misspelt or foreign option is refused, naming it and the options the kind takes */
static void
test_unknown_option (void)
{
  assert_refused ("sim:sensor?intervall=5", FW_FEED_ERROR_UNKNOWN_OPTION,
                  "Feed “sim:sensor?intervall=5”: unknown option “intervall”; "
                  "the options of sim: feeds are interval, jitter, count and seed");
  assert_refused ("sim:sensor?interval=5&colour=red", FW_FEED_ERROR_UNKNOWN_OPTION,
                  "unknown option “colour”");
  /* a test hook is taken but not offered */
  assert_refused ("cpu:?colour=red", FW_FEED_ERROR_UNKNOWN_OPTION,
                  "unknown option “colour”; the options of cpu: feeds are interval");
  assert_refused ("sensors:?intervall=5", FW_FEED_ERROR_UNKNOWN_OPTION,
                  "the options of sensors: feeds are interval");
  assert_refused ("dir:/tmp?colour=red", FW_FEED_ERROR_UNKNOWN_OPTION,
                  "unknown option “colour”; dir: feeds take no options");
  assert_refused ("sse:http://127.0.0.1:9/x#retyr=5", FW_FEED_ERROR_UNKNOWN_OPTION,
                  "unknown option “retyr”; the options of sse: feeds are max-event-size, "
                  "retry-on, idle-timeout, method, body, content-type, last-event-id, "
                  "follow-cross-origin, header.NAME, retry, retry-max and insecure");
  /* a WebSocket makes no HTTP request of its own: no method or body */
  assert_refused ("ws://127.0.0.1:9/x#method=POST", FW_FEED_ERROR_UNKNOWN_OPTION,
                  "unknown option “method”; the options of ws: feeds are send, protocol");
  assert_refused ("pages:http://127.0.0.1:9/x#cursor-parm=c", FW_FEED_ERROR_UNKNOWN_OPTION,
                  "unknown option “cursor-parm”");
  assert_refused ("metrics:http://127.0.0.1:9/m#matches=a", FW_FEED_ERROR_UNKNOWN_OPTION,
                  "unknown option “matches”");
  assert_refused ("ndjson:http://127.0.0.1:9/x#max-lines=5", FW_FEED_ERROR_UNKNOWN_OPTION,
                  "unknown option “max-lines”");
  /* a bare URL may turn out to be any HTTP kind: it takes their options, and no other */
  assert_refused ("http://127.0.0.1:9/x#send=hi", FW_FEED_ERROR_UNKNOWN_OPTION,
                  "unknown option “send”");
  /* header.NAME is a family; header alone, or another kind's, is not */
  assert_refused ("sse:http://127.0.0.1:9/x#header=1", FW_FEED_ERROR_UNKNOWN_OPTION,
                  "unknown option “header”");
  assert_refused ("sim:sensor?header.Accept=x", FW_FEED_ERROR_UNKNOWN_OPTION,
                  "unknown option “header.Accept”");
}

/* Its secrets are masked in the message like in every other */
static void
test_unknown_option_masked (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (fw_feed_open ("sse:https://h/x?token=abcdef#colour=red", FW_FEED_OPEN_NONE,
                               &error));
  g_assert_error (error, FW_FEED_ERROR, FW_FEED_ERROR_UNKNOWN_OPTION);
  g_assert_null (strstr (error->message, "abcdef"));
  g_assert_nonnull (strstr (error->message, "colour"));
}

/* A value out of range or not among the choices names the option and the values it takes */
static void
test_bad_value (void)
{
  assert_refused ("sim:sensor?interval=2000000001", FW_FEED_ERROR_INVALID,
                  "interval must be a whole number of milliseconds from 0 to 2000000000, "
                  "not “2000000001”");
  assert_refused ("sim:sensor?count=-1", FW_FEED_ERROR_INVALID,
                  "count must be a whole number, not “-1”");
  assert_refused ("cpu:?interval=0", FW_FEED_ERROR_INVALID,
                  "interval must be a whole number of milliseconds, at least 1, not “0”");
  assert_refused ("pages:http://127.0.0.1:9/x#poll-from=middle", FW_FEED_ERROR_INVALID,
                  "poll-from must be start or end, not “middle”");
  assert_refused ("sse:http://127.0.0.1:9/x#follow-cross-origin=always", FW_FEED_ERROR_INVALID,
                  "follow-cross-origin must be drop or refuse, not “always”");
  assert_refused ("ws://127.0.0.1:9/x#insecure=maybe", FW_FEED_ERROR_INVALID,
                  "insecure must be 1 or 0 (true or false), not “maybe”");
  assert_refused ("ws://127.0.0.1:9/x#keepalive=often", FW_FEED_ERROR_INVALID,
                  "keepalive must be a whole number of seconds, not “often”");
  assert_refused ("ndjson:http://127.0.0.1:9/x#max-line=4294967296", FW_FEED_ERROR_INVALID,
                  "max-line must be a whole number of bytes, not “4294967296”");
  /* options are checked in the schema's order: the first bad one is named, every time */
  assert_refused ("sim:sensor?seed=x&jitter=y&interval=z", FW_FEED_ERROR_INVALID,
                  "interval must be");
}

/* What the schema takes still opens */
static void
test_good_options (void)
{
  static const char * const good[] = {
    "sim:sensor?interval=2000000000&jitter=0&count=3&seed=7",
    "cpu:?interval=1",
    "sse:http://127.0.0.1:9/x#header.Accept=x&retry=5&insecure&follow-cross-origin=refuse",
    "ws://127.0.0.1:9/x#send=hi&keepalive=0&max-queue=5&insecure=true",
    "pages:http://127.0.0.1:9/x#poll-from=end&page-size=10&items=a.b",
    "http://127.0.0.1:9/x#interval=100&max-line=100&max-event-size=100&match=a*",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FwStream) stream = fw_feed_open (good[i], FW_FEED_OPEN_NONE, &error);

      g_test_message ("%s", good[i]);
      g_assert_no_error (error);
      g_assert_nonnull (stream);
    }
}

/* Every kind has its words, icon and a schema whose keys are unique and whose defaults and
 * choices are values it takes */
static void
test_descriptors (void)
{
  guint n_kinds = 0;
  const FwFeedKind *const *kinds = fw_feed_kind_list (&n_kinds);
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_cmpuint (n_kinds, >=, 18);
  for (guint i = 0; i < n_kinds; i++)
    {
      const FwFeedKind *kind = kinds[i];
      g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
      const char *name = fw_feed_kind_get_name (kind);
      g_autofree char *lower = g_ascii_strdown (name, -1);
      guint n_options = fw_feed_kind_get_n_options (kind);

      g_test_message ("%s: %u options", name, n_options);
      g_assert_cmpstr (name, ==, lower);
      g_assert_true (g_hash_table_add (names, (gpointer) name));
      g_assert_true (fw_feed_kind_lookup (name) == kind);
      g_assert_nonnull (kind->open);
      g_assert_cmpuint (strlen (fw_feed_kind_get_description (kind)), >, 0);
      g_assert_cmpuint (strlen (fw_feed_kind_get_title (kind)), >, 0);
      g_assert_true (g_str_has_suffix (fw_feed_kind_get_icon_name (kind), "-symbolic"));
      if (fw_feed_kind_get_example (kind) != NULL)
        g_assert_true (g_str_has_prefix (fw_feed_kind_get_example (kind), name) ||
                       g_str_equal (name, "file"));
      g_assert_null (fw_feed_kind_get_option (kind, n_options));

      for (guint j = 0; j < n_options; j++)
        {
          const FwFeedOption *option = fw_feed_kind_get_option (kind, j);

          g_assert_nonnull (option);
          g_assert_true (g_hash_table_add (keys, (gpointer) option->key));
          g_assert_true (fw_feed_kind_find_option (kind, option->key) == option ||
                         (option->flags & FW_FEED_OPTION_PREFIX));
          g_assert_cmpuint (strlen (fw_feed_option_get_help (option)), >, 0);
          g_assert_true (option->max == 0 || option->min <= option->max);
          if (option->type == FW_FEED_OPTION_CHOICE)
            g_assert_true (option->choices != NULL && option->choices[0] != NULL &&
                           option->choices[1] != NULL);
          if (option->default_value != NULL)
            {
              g_autoptr(GError) error = NULL;

              g_assert_true (fw_feed_option_check_value (option, option->default_value,
                                                         &error));
              g_assert_no_error (error);
            }
        }
    }

  g_assert_null (fw_feed_kind_lookup ("futurekind"));
  g_assert_true (fw_feed_kind_lookup ("SIM") == fw_feed_kind_lookup ("sim"));
  g_assert_true (fw_feed_kind_find_option (fw_feed_kind_lookup ("sse"), "header.X-A") != NULL);
  g_assert_null (fw_feed_kind_find_option (fw_feed_kind_lookup ("sse"), "header."));
}

static void
check_default (const char *kind,
               const char *key,
               guint64     expected)
{
  const FwFeedOption *option = fw_feed_kind_find_option (fw_feed_kind_lookup (kind), key);

  g_test_message ("%s: %s", kind, key);
  g_assert_nonnull (option);
  g_assert_nonnull (option->default_value);
  g_assert_cmpuint (g_ascii_strtoull (option->default_value, NULL, 10), ==, expected);
}

/* The defaults the schemas show are those the sources use */
static void
test_defaults (void)
{
  const char * const http_kinds[] = { "sse", "ndjson", "pages", "metrics", "ws", "wss" };

  check_default ("cpu", "interval", FW_MACHINE_SENSORS_DEFAULT_INTERVAL_MS);
  check_default ("sensors", "interval", FW_MACHINE_SENSORS_DEFAULT_INTERVAL_MS);
  check_default ("sse", "idle-timeout", FW_SSE_DEFAULT_IDLE_TIMEOUT_MS);
  check_default ("sse", "max-event-size", FW_SSE_PARSER_DEFAULT_MAX_EVENT_SIZE);
  check_default ("sse", "retry-max", FW_SSE_DEFAULT_RETRY_MAX_MS);
  check_default ("ndjson", "idle-timeout", FW_NDJSON_DEFAULT_IDLE_TIMEOUT_MS);
  check_default ("ndjson", "max-line", FW_NDJSON_DEFAULT_MAX_LINE);
  check_default ("metrics", "interval", FW_METRICS_DEFAULT_INTERVAL_MS);
  check_default ("metrics", "max-series", FW_METRICS_DEFAULT_MAX_SERIES);
  check_default ("metrics", "idle-timeout", 30 * 1000);
  check_default ("pages", "interval", FW_PAGES_DEFAULT_INTERVAL_MS);
  check_default ("pages", "max-seen", FW_PAGES_DEFAULT_MAX_SEEN);
  check_default ("pages", "max-pages", FW_PAGES_DEFAULT_MAX_PAGES);
  check_default ("pages", "idle-timeout", 30 * 1000);
  check_default ("ws", "keepalive", FW_WEBSOCKET_DEFAULT_KEEPALIVE_S);
  check_default ("ws", "max-message", FW_WEBSOCKET_DEFAULT_MAX_MESSAGE);
  check_default ("ws", "max-queue", FW_WEBSOCKET_DEFAULT_MAX_QUEUE);
  check_default ("ws", "idle-timeout", 0);
  for (guint i = 0; i < G_N_ELEMENTS (http_kinds); i++)
    check_default (http_kinds[i], "retry-max", FW_BACKOFF_DEFAULT_CAP_MS);
}

/* A table row's cells, split at '|' but not at an escaped one */
static GPtrArray *
split_row (const char *line)
{
  GPtrArray *cells = g_ptr_array_new_with_free_func (g_free);
  GString *cell = g_string_new (NULL);

  g_assert_true (line[0] == '|');
  for (const char *p = line + 1; *p != '\0'; p++)
    {
      if (p[0] == '\\' && p[1] == '|')
        g_string_append_c (cell, *++p);
      else if (*p == '|')
        {
          g_ptr_array_add (cells, g_strstrip (g_string_free (g_steal_pointer (&cell), FALSE)));
          cell = g_string_new (NULL);
        }
      else
        g_string_append_c (cell, *p);
    }
  g_string_free (cell, TRUE);

  return cells;
}

/* The `code` spans of @text, outside parentheses (where defaults and remarks are) */
static GPtrArray *
code_spans (const char *text)
{
  GPtrArray *spans = g_ptr_array_new_with_free_func (g_free);
  int depth = 0;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '`')
        {
          const char *end = strchr (p + 1, '`');

          g_assert_nonnull (end);
          if (depth == 0)
            g_ptr_array_add (spans, g_strndup (p + 1, end - p - 1));
          p = end;
        }
      else if (*p == '(')
        depth++;
      else if (*p == ')')
        depth--;
    }

  return spans;
}

static void
add_to_set (GHashTable *sets,
            const char *kind,
            const char *key)
{
  GHashTable *set = g_hash_table_lookup (sets, kind);

  if (set == NULL)
    {
      set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (sets, g_strdup (kind), set);
    }
  if (key != NULL)
    g_hash_table_add (set, g_strdup (key));
}

/* README's "Feed options" table, kind → options it names */
static GHashTable *
readme_options (void)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  GHashTable *sets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) g_hash_table_unref);
  gboolean in_section = FALSE;
  guint n_rows = 0;

  g_file_get_contents (g_test_get_filename (G_TEST_DIST, "..", "README.md", NULL), &text, NULL,
                       &error);
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) cells = NULL;
      g_autoptr(GPtrArray) kinds = NULL;
      g_autoptr(GPtrArray) options = NULL;

      if (g_str_equal (lines[i], "### Feed options"))
        {
          in_section = TRUE;
          continue;
        }
      if (!in_section || !g_str_has_prefix (lines[i], "| "))
        {
          if (in_section && n_rows > 0)
            break;
          continue;
        }
      cells = split_row (lines[i]);
      g_assert_cmpuint (cells->len, ==, 3);
      if (g_str_equal (g_ptr_array_index (cells, 0), "feed") ||
          g_str_has_prefix (g_ptr_array_index (cells, 0), "---"))
        continue;
      n_rows++;

      kinds = code_spans (g_ptr_array_index (cells, 0));
      if (kinds->len == 0)
        {
          g_assert_cmpstr (g_ptr_array_index (cells, 0), ==, "a log file");
          g_ptr_array_add (kinds, g_strdup ("file:"));
        }
      options = code_spans (g_ptr_array_index (cells, 1));
      if (options->len == 0)
        g_assert_cmpstr (g_ptr_array_index (cells, 1), ==, "none");

      for (guint k = 0; k < kinds->len; k++)
        {
          const char *span = g_ptr_array_index (kinds, k);
          g_autofree char *kind = g_strndup (span, strcspn (span, ":"));

          g_assert_nonnull (strchr (span, ':'));
          add_to_set (sets, kind, NULL);
          for (guint o = 0; o < options->len; o++)
            {
              const char *option = g_ptr_array_index (options, o);
              g_autofree char *key = g_strndup (option, strcspn (option, "="));

              /* every span in the options column is an option (remarks go in parentheses) */
              g_assert_true (g_regex_match_simple ("^[a-z][a-z0-9-]*(\\.NAME)?$", key, 0, 0));
              add_to_set (sets, kind, key);
            }
        }
    }

  g_assert_cmpuint (n_rows, >, 0);
  return sets;
}

/* README's table of options and the schemas name the same options for every kind */
static void
test_readme (void)
{
  g_autoptr(GHashTable) documented = readme_options ();
  g_autoptr(GString) differences = g_string_new (NULL);
  guint n_kinds = 0;
  const FwFeedKind *const *kinds = fw_feed_kind_list (&n_kinds);
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < n_kinds; i++)
    {
      const char *name = fw_feed_kind_get_name (kinds[i]);
      GHashTable *set = g_hash_table_lookup (documented, name);
      g_autoptr(GHashTable) schema = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                            NULL);

      if (set == NULL)
        {
          g_string_append_printf (differences, "%s: not in README's table\n", name);
          continue;
        }
      for (guint j = 0; j < fw_feed_kind_get_n_options (kinds[i]); j++)
        {
          const FwFeedOption *option = fw_feed_kind_get_option (kinds[i], j);

          /* A journal's FIELD=value is named in the table's remarks, not as an option */
          if (option->flags & (FW_FEED_OPTION_HIDDEN | FW_FEED_OPTION_FIELD_NAME))
            continue;
          g_hash_table_add (schema, option->flags & FW_FEED_OPTION_PREFIX
                                    ? g_strconcat (option->key, "NAME", NULL)
                                    : g_strdup (option->key));
        }

      g_hash_table_iter_init (&iter, schema);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          if (!g_hash_table_contains (set, key))
            g_string_append_printf (differences, "%s: %s is not in README\n", name,
                                    (const char *) key);
        }
      g_hash_table_iter_init (&iter, set);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          if (!g_hash_table_contains (schema, key))
            g_string_append_printf (differences, "%s: README names %s, which it does not take\n",
                                    name, (const char *) key);
        }
    }

  g_hash_table_iter_init (&iter, documented);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      /* A build on a system without libpq or libmosquitto has no postgres:// or mqtt://
       * feeds */
      if ((!HAVE_LIBPQ && g_str_has_prefix (key, "postgres")) ||
          (!HAVE_LIBMOSQUITTO && g_str_has_prefix (key, "mqtt")))
        continue;
      if (fw_feed_kind_lookup (key) == NULL)
        g_string_append_printf (differences, "README names a kind %s: that does not exist\n",
                                (const char *) key);
    }

  g_assert_cmpstr (differences->str, ==, "");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/feed-kind/unknown-option", test_unknown_option);
  g_test_add_func ("/feed-kind/unknown-option-masked", test_unknown_option_masked);
  g_test_add_func ("/feed-kind/bad-value", test_bad_value);
  g_test_add_func ("/feed-kind/good-options", test_good_options);
  g_test_add_func ("/feed-kind/descriptors", test_descriptors);
  g_test_add_func ("/feed-kind/defaults", test_defaults);
  g_test_add_func ("/feed-kind/readme", test_readme);

  return g_test_run ();
}
