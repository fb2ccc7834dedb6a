/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-alert-print.c: `feedwatch --alert`, `--alerts` and `--exit-on-alert` without a window:
 * the exit status and the alert items written, run as a script runs them */

#include "fw-test-util.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

/* The lines of stdout, parsed */
static GPtrArray *
parse_lines (const char *out)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  GPtrArray *objects = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      if (lines[i][0] == '\0')
        continue;
      json_parser_load_from_data (parser, lines[i], -1, &error);
      g_assert_no_error (error);
      g_ptr_array_add (objects,
                       json_object_ref (json_node_get_object (json_parser_get_root (parser))));
    }

  return objects;
}

static char *
write_temp (const char *name,
            const char *contents)
{
  g_autofree char *dir = g_dir_make_tmp ("fw-test-alert-XXXXXX", NULL);
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

static void
remove_temp (char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  g_unlink (path);
  g_rmdir (dir);
  g_free (path);
}

/* The CI check: exit 3 when the log has an error, 0 when not; only alerts are written */
static void
test_once_exit_status (void)
{
  char *bad = write_temp ("app.log", "INFO start\nWARN careful\nERROR disk on fire\nINFO ok\n");
  char *good = write_temp ("app.log", "INFO start\nWARN careful\nINFO ok\n");
  const char *bad_args[] = { "--once", "--alert", "level>=error", bad, NULL };
  const char *good_args[] = { "--once", "--alert", "level>=error", good, NULL };
  g_autoptr(GPtrArray) objects = NULL;
  JsonObject *alert;
  FwTestRun run = { 0 };

  fw_test_run_feedwatch (&run, bad_args);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 3);
  objects = parse_lines (run.out);
  g_assert_cmpuint (objects->len, ==, 1);
  alert = g_ptr_array_index (objects, 0);
  g_assert_cmpstr (json_object_get_string_member (alert, "kind"), ==, "alert");
  g_assert_cmpstr (json_object_get_string_member (alert, "alert"), ==, "fired");
  g_assert_cmpstr (json_object_get_string_member (alert, "rule"), ==, "level>=error");
  g_assert_cmpstr (json_object_get_string_member (alert, "name"), ==, "level>=error");
  g_assert_cmpstr (json_object_get_string_member (alert, "feed"), ==, bad);
  g_assert_cmpstr (json_object_get_string_member (alert, "level"), ==, "error");
  g_assert_cmpstr (json_object_get_string_member (alert, "text"), ==, "ERROR disk on fire");
  fw_test_run_clear (&run);

  fw_test_run_feedwatch (&run, good_args);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpstr (run.out, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  fw_test_run_clear (&run);

  remove_temp (bad);
  remove_temp (good);
}

/* --print writes the alert after the item that fired it; --exit-on-alert stops there */
static void
test_exit_on_alert (void)
{
  GString *text = g_string_new ("INFO start\nERROR connect: timeout\n");
  g_autoptr(GPtrArray) objects = NULL;
  g_autofree char *contents = NULL;
  char *path;
  FwTestRun run = { 0 };

  for (guint i = 0; i < 100000; i++)
    g_string_append_printf (text, "INFO line %u after the alert\n", i);
  contents = g_string_free (text, FALSE);
  path = write_temp ("app.log", contents);

  {
    const char *args[] = { "--once", "--print", "--alert", "name=timeouts app.log: /time(out)?/",
                           "--exit-on-alert", path, NULL };
    JsonObject *last, *before;

    fw_test_run_feedwatch (&run, args);
    g_assert_cmpstr (run.err, ==, "");
    g_assert_cmpint (run.status, ==, 3);
    objects = parse_lines (run.out);
    /* Stopped at the alert: not the 100,000 lines after it */
    g_assert_cmpuint (objects->len, ==, 3);
    before = g_ptr_array_index (objects, 1);
    last = g_ptr_array_index (objects, 2);
    g_assert_cmpstr (json_object_get_string_member (before, "kind"), ==, "line");
    g_assert_cmpstr (json_object_get_string_member (last, "kind"), ==, "alert");
    g_assert_cmpstr (json_object_get_string_member (last, "name"), ==, "timeouts");
    g_assert_cmpstr (json_object_get_string_member (last, "rule"), ==,
                     "name=timeouts app.log: /time(out)?/");
    g_assert_cmpstr (json_object_get_string_member (last, "text"), ==, "ERROR connect: timeout");
    fw_test_run_clear (&run);
  }

  /* Without --exit-on-alert the whole file is read, and the run still says an alert fired */
  {
    const char *args[] = { "--once", "--summary", "--alert", "/timeout/", path, NULL };
    JsonObject *summary;

    fw_test_run_feedwatch (&run, args);
    g_assert_cmpint (run.status, ==, 3);
    g_clear_pointer (&objects, g_ptr_array_unref);
    objects = parse_lines (run.out);
    g_assert_cmpuint (objects->len, ==, 2);
    g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (objects, 0), "kind"), ==,
                     "alert");
    summary = json_object_get_object_member (g_ptr_array_index (objects, 1), "summary");
    g_assert_cmpint (json_object_get_int_member (summary, "items"), ==, 100002);
    fw_test_run_clear (&run);
  }

  remove_temp (path);
}

static void
test_alerts_file (void)
{
  char *log = write_temp ("db.log", "INFO up\nWARN slow query\nWARN slow query\n");
  char *rules = write_temp ("web.rules", "# rules for the box\n\n"
                                         "name=slow \"slow query\" rate > 1 in 60s\n"
                                         "  level>=error\n");
  char *bad = write_temp ("bad.rules", "level>=error\n# fine so far\ncpu > hot\n");
  const char *args[] = { "--once", "--alerts", rules, log, NULL };
  const char *bad_args[] = { "--once", "--alerts", bad, log, NULL };
  const char *missing_args[] = { "--once", "--alerts", "/nonexistent/feedwatch.rules", log, NULL };
  g_autoptr(GPtrArray) objects = NULL;
  g_autofree char *expected = NULL;
  FwTestRun run = { 0 };

  fw_test_run_feedwatch (&run, args);
  g_assert_cmpint (run.status, ==, 3);
  objects = parse_lines (run.out);
  g_assert_cmpuint (objects->len, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (objects, 0), "name"), ==,
                   "slow");
  fw_test_run_clear (&run);

  /* A rule that does not read: which file, which line, what is wrong; nothing starts */
  fw_test_run_feedwatch (&run, bad_args);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.out, ==, "");
  expected = g_strdup_printf ("feedwatch: %s, line 3: The alert rule “cpu > hot” cannot be read: "
                              "the limit “hot” is not a number", bad);
  g_assert_true (g_str_has_prefix (run.err, expected));
  fw_test_run_clear (&run);

  fw_test_run_feedwatch (&run, missing_args);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "cannot read the alert rules"));
  g_assert_nonnull (strstr (run.err, "check the path given to --alerts"));
  fw_test_run_clear (&run);

  remove_temp (log);
  remove_temp (rules);
  remove_temp (bad);
}

static void
test_refused (void)
{
  const char *bad_rule[] = { "--once", "--alert", "level>=loud", "sim:sensor", NULL };
  const char *no_rule[] = { "--once", "--exit-on-alert", "sim:sensor", NULL };
  FwTestRun run = { 0 };

  fw_test_run_feedwatch (&run, bad_rule);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_true (g_str_has_prefix (run.err, "feedwatch: The alert rule “level>=loud” cannot be "
                                            "read: “loud” is not a level"));
  fw_test_run_clear (&run);

  fw_test_run_feedwatch (&run, no_rule);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--exit-on-alert needs a rule"));
  fw_test_run_clear (&run);
}

/* Time-driven rules work headless: a silence fires on its own timer, a failed feed's state
 * from how its stream ended */
static void
test_silence_and_state (void)
{
  char *quiet = write_temp ("quiet.log", "");
  const char *silence_args[] = { "--alert", "silence 200ms", "--exit-on-alert", quiet, NULL };
  const char *state_args[] = { "--once", "--alert", "name=down *: state failed",
                               "cmd:sh -c 'exit 4'", NULL };
  g_autoptr(GPtrArray) objects = NULL;
  JsonObject *alert;
  FwTestRun run = { 0 };

  fw_test_run_feedwatch (&run, silence_args);
  g_assert_cmpint (run.status, ==, 3);
  objects = parse_lines (run.out);
  g_assert_cmpuint (objects->len, ==, 1);
  alert = g_ptr_array_index (objects, 0);
  g_assert_cmpstr (json_object_get_string_member (alert, "text"), ==, "no item for 200 ms");
  fw_test_run_clear (&run);

  fw_test_run_feedwatch (&run, state_args);
  g_assert_cmpint (run.status, ==, 3);
  g_clear_pointer (&objects, g_ptr_array_unref);
  objects = parse_lines (run.out);
  g_assert_cmpuint (objects->len, ==, 1);
  alert = g_ptr_array_index (objects, 0);
  g_assert_cmpstr (json_object_get_string_member (alert, "name"), ==, "down");
  g_assert_cmpstr (json_object_get_string_member (alert, "feed"), ==, "cmd:sh -c 'exit 4'");
  g_assert_nonnull (strstr (run.err, "the command"));
  fw_test_run_clear (&run);

  remove_temp (quiet);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/alert-print/once-exit-status", test_once_exit_status);
  g_test_add_func ("/alert-print/exit-on-alert", test_exit_on_alert);
  g_test_add_func ("/alert-print/alerts-file", test_alerts_file);
  g_test_add_func ("/alert-print/refused", test_refused);
  g_test_add_func ("/alert-print/silence-and-state", test_silence_and_state);

  return g_test_run ();
}
