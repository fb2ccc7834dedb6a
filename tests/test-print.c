/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-print.c: `feedwatch --print`, run as a user runs it */

#include "fw-test-util.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

typedef struct
{
  int    status;
  char  *out;
  char  *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

static const char *
feedwatch_bin (void)
{
  const char *bin = g_getenv ("FEEDWATCH_BIN");

  g_assert_nonnull (bin);
  return bin;
}

static void
run_feedwatch (Run               *run,
               const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (char *) feedwatch_bin ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  proc = g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1;
}

static JsonObject *
parse_line (JsonParser *parser,
            const char *line)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, line, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_count (void)
{
  const char *args[] = { "--print", "--count", "3", "sim:sensor?interval=5", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(GStrv) lines = NULL;
  Run run = { 0 };

  run_feedwatch (&run, args);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  lines = g_strsplit (run.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4); /* three lines and the empty tail */
  g_assert_cmpstr (lines[3], ==, "");

  for (guint i = 0; i < 3; i++)
    {
      JsonObject *object = parse_line (parser, lines[i]);
      g_autofree char *id = g_strdup_printf ("%u", i + 1);
      const char *time = json_object_get_string_member (object, "time");
      g_autoptr(GDateTime) parsed = g_date_time_new_from_iso8601 (time, NULL);
      double value = json_object_get_double_member (object, "value");

      g_assert_cmpstr (json_object_get_string_member (object, "feed"), ==, "sim:sensor?interval=5");
      g_assert_cmpstr (json_object_get_string_member (object, "kind"), ==, "reading");
      g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "sensor");
      g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, id);
      g_assert_nonnull (parsed);
      g_assert_true (g_str_has_suffix (time, "Z"));
      g_assert_cmpuint (strlen (time), ==, strlen ("2026-11-22T02:03:04.000005Z"));
      g_assert_cmpfloat (value, >=, 10);
      g_assert_cmpfloat (value, <=, 50);
    }
  run_clear (&run);
}

static void
test_unknown_feed (void)
{
  const char *args[] = { "--print", "--once", "nonsense:x", NULL };
  Run run = { 0 };

  run_feedwatch (&run, args);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "nonsense:x"));
  g_assert_nonnull (strstr (run.err, "unknown kind"));
  run_clear (&run);
}

static void
test_bad_option_value (void)
{
  const char *args[] = { "--print", "sim:sensor?interval=soon", NULL };
  Run run = { 0 };

  run_feedwatch (&run, args);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "interval"));
  run_clear (&run);
}

static void
test_summary (void)
{
  const char *args[] = { "--summary", "--once", "sim:sensor?interval=1&count=4", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object, *summary;
  Run run = { 0 };

  /* --summary alone prints only the summary line, at the natural end */
  run_feedwatch (&run, args);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_suffix (run.out, "}\n"));
  g_assert_true (strchr (run.out, '\n') == run.out + strlen (run.out) - 1); /* one line */
  object = parse_line (parser, run.out);
  g_assert_cmpstr (json_object_get_string_member (object, "feed"), ==, "sim:sensor?interval=1&count=4");
  summary = json_object_get_object_member (object, "summary");
  g_assert_cmpint (json_object_get_int_member (summary, "items"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (summary, "levels"),
                                               "error"), ==, 0);
  run_clear (&run);
}

static void
test_print_and_summary (void)
{
  const char *args[] = { "--print", "--summary", "sim:sensor?interval=1&count=2",
                         "sim:sensor?interval=1&count=3", NULL };
  g_auto(GStrv) lines = NULL;
  Run run = { 0 };

  run_feedwatch (&run, args);
  g_assert_cmpint (run.status, ==, 0);
  lines = g_strsplit (run.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2 + 3 + 2 + 1);
  /* items first, then one summary per feed, in the order given */
  g_assert_nonnull (strstr (lines[5], "\"summary\":{\"items\":2"));
  g_assert_nonnull (strstr (lines[6], "\"summary\":{\"items\":3"));
  run_clear (&run);
}

/* The summary line of a --summary run, the last line of its output */
static char *
last_line (const char *out)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  guint n = g_strv_length (lines);

  g_assert_cmpuint (n, >=, 2);
  g_assert_cmpstr (lines[n - 1], ==, "");
  return g_strdup (lines[n - 2]);
}

static void
test_summary_log (void)
{
  g_autofree char *dir = g_dir_make_tmp ("fw-test-print-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "app.log", NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *alone = NULL;
  g_autofree char *printed = NULL;
  const char *summary_args[] = { "--summary", "--once", path, NULL };
  const char *print_args[] = { "--print", "--summary", "--once", path, NULL };
  JsonObject *summary, *levels;
  Run run = { 0 };

  /* 3,000 lines of every shape the splitter meets, across its 1 MiB reads: CRLF, a 200 KiB
   * line without a level (truncated to one item), invalid UTF-8, syslog and JSON levels, and a
   * last line without a newline */
  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (text, "2026-12-05 ERROR failed %u\r\n<4>kernel: warn %u\n"
                            "{\"level\":\"info\",\"n\":%u,\"bad\":\"\xff\"}\n", i, i, i);
  for (guint i = 0; i < 200 * 1024; i++)
    g_string_append_c (text, 'x');
  g_string_append (text, "\nDEBUG last");
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));

  /* --summary alone counts the lines without making items; with --print it counts the
   * items: both say the same */
  run_feedwatch (&run, summary_args);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  alone = g_strdup (run.out);
  run_clear (&run);
  run = (Run) { 0 };
  run_feedwatch (&run, print_args);
  g_assert_cmpint (run.status, ==, 0);
  printed = last_line (run.out);
  run_clear (&run);
  g_assert_true (g_str_has_suffix (alone, "\n"));
  alone[strlen (alone) - 1] = '\0';
  g_assert_cmpstr (alone, ==, printed);

  summary = json_object_get_object_member (parse_line (parser, alone), "summary");
  levels = json_object_get_object_member (summary, "levels");
  g_assert_cmpint (json_object_get_int_member (levels, "error"), ==, 1000);
  g_assert_cmpint (json_object_get_int_member (levels, "warning"), ==, 1000);
  g_assert_cmpint (json_object_get_int_member (levels, "info"), ==, 1000);
  g_assert_cmpint (json_object_get_int_member (levels, "debug"), ==, 1);
  /* the lines, and the status items the source says (the same in both runs) */
  g_assert_cmpint (json_object_get_int_member (summary, "items"), >=, 3002);
  g_assert_cmpint (json_object_get_int_member (summary, "items"), <=, 3004);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_stats (void)
{
  const char *args[] = { "--print", "--stats", "--count", "5", "sim:sensor?interval=1", NULL };
  g_auto(GStrv) lines = NULL;
  Run run = { 0 };

  run_feedwatch (&run, args);
  g_assert_cmpint (run.status, ==, 0);
  lines = g_strsplit (run.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 6);
  g_assert_nonnull (strstr (run.err, "5 items in"));
  g_assert_nonnull (strstr (run.err, "main-loop lag: p50"));
  run_clear (&run);
}

static void
test_duration (void)
{
  const char *args[] = { "--print", "--duration", "0.2", "sim:sensor?interval=10000", NULL };
  Run run = { 0 };

  run_feedwatch (&run, args);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_cmpstr (run.err, ==, "");
  run_clear (&run);
}

static void
on_line (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  char **line = user_data;
  g_autoptr(GError) error = NULL;

  *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result,
                                                     NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*line);
}

static void
on_process_exit (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  gboolean *done = user_data;

  g_assert_true (g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL));
  *done = TRUE;
}

static void
check_signal_stops_cleanly (int signum)
{
  const char *argv[] = { feedwatch_bin (), "--print", "sim:sensor?interval=5", NULL };
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  gboolean exited = FALSE;

  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));

  /* Once it is live (a first line is out), the signal stops it: streams closed, exit 0. */
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, on_line, &line);
  while (line == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_subprocess_send_signal (proc, signum);
  g_subprocess_wait_async (proc, NULL, on_process_exit, &exited);
  fw_test_wait_for (&exited);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
}

static void
test_sigint (void)
{
  check_signal_stops_cleanly (SIGINT);
}

static void
test_sigterm (void)
{
  check_signal_stops_cleanly (SIGTERM);
}

static void
test_version_and_help (void)
{
  const char *version[] = { "--version", NULL };
  const char *help[] = { "--help", NULL };
  const char *bad[] = { "--frobnicate", NULL };
  Run run = { 0 };

  run_feedwatch (&run, version);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "feedwatch "));
  run_clear (&run);

  run_feedwatch (&run, help);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "--print"));
  g_assert_nonnull (strstr (run.out, "--once"));
  g_assert_nonnull (strstr (run.out, "--count"));
  g_assert_nonnull (strstr (run.out, "--duration"));
  run_clear (&run);

  run_feedwatch (&run, bad);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "frobnicate"));
  run_clear (&run);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/print/count", test_count);
  g_test_add_func ("/print/unknown-feed", test_unknown_feed);
  g_test_add_func ("/print/bad-option-value", test_bad_option_value);
  g_test_add_func ("/print/summary", test_summary);
  g_test_add_func ("/print/print-and-summary", test_print_and_summary);
  g_test_add_func ("/print/summary-log", test_summary_log);
  g_test_add_func ("/print/duration", test_duration);
  g_test_add_func ("/print/stats", test_stats);
  g_test_add_func ("/print/sigint", test_sigint);
  g_test_add_func ("/print/sigterm", test_sigterm);
  g_test_add_func ("/print/version-and-help", test_version_and_help);

  return g_test_run ();
}
