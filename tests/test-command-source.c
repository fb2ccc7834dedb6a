/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-command-source.c: `cmd:`: lines in order, stderr marked, the exit status, close ends
 * the child (and reaps it) and what it left running, a command that does not exist, restart
 * on failure or always; on a terminal (pty=1), stdout and stderr in one order */

#include "fw-test-util.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

#include "fw-command-source.h"
#include "fw-safe-text.h"

static FwItem *
item_at (GPtrArray *items,
         guint      i)
{
  return g_ptr_array_index (items, i);
}

static void
test_lines_in_order (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = fw_feed_open ("cmd:seq 1 20000", FW_FEED_OPEN_NONE, &error);
  g_autoptr(GPtrArray) items = NULL;
  FwItem *last;

  g_assert_no_error (error);
  g_assert_false (fw_stream_is_started (stream));
  items = fw_test_collect (stream, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 20001);
  for (guint i = 0; i < 20000; i++)
    {
      char expected[16];

      g_snprintf (expected, sizeof expected, "%u", i + 1);
      g_assert_cmpint (item_at (items, i)->kind, ==, FW_ITEM_LINE);
      g_assert_cmpstr (item_at (items, i)->text, ==, expected);
      g_assert_false (item_at (items, i)->flags & FW_ITEM_FLAG_STDERR);
    }
  last = item_at (items, 20000);
  g_assert_cmpint (last->kind, ==, FW_ITEM_STATUS);
  g_assert_cmpstr (last->text, ==, "exited with status 0");
  g_assert_cmpstr (last->feed, ==, "cmd:seq 1 20000");
}

/* A command's lines keep the time they say they were written, on either pipe */
static void
test_source_times (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream =
    fw_feed_open ("cmd:sh -c 'echo 2026-12-06T06:44:01Z up; echo plain; "
                  "echo 2026-12-06T06:44:02Z down >&2'", FW_FEED_OPEN_NONE, &error);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GDateTime) up = g_date_time_new_utc (2026, 12, 6, 6, 44, 1);
  gint64 down_us = 0;

  g_assert_no_error (error);
  items = fw_test_collect (stream, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 4);
  for (guint i = 0; i < 3; i++)
    {
      FwItem *item = item_at (items, i);

      if (g_str_equal (item->text, "2026-12-06T06:44:01Z up"))
        g_assert_cmpint (item->source_time_us, ==, g_date_time_to_unix (up) * G_USEC_PER_SEC);
      else if (g_str_equal (item->text, "plain"))
        g_assert_cmpint (item->source_time_us, ==, 0);
      else
        down_us = item->source_time_us;
    }
  g_assert_cmpint (down_us, ==, (g_date_time_to_unix (up) + 1) * G_USEC_PER_SEC);
}

static void
test_stderr_and_exit_status (void)
{
  g_autoptr(GError) error = NULL;
  /* quoted like a shell would, but no shell runs it: sh is the program here */
  g_autoptr(FwStream) stream = fw_feed_open ("cmd:sh -c 'echo out; echo \"ERROR bad\" >&2; exit 3'",
                                             FW_FEED_OPEN_NONE, &error);
  g_autoptr(GPtrArray) items = NULL;
  gboolean saw_out = FALSE, saw_err = FALSE;

  g_assert_no_error (error);
  items = fw_test_collect (stream, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 3);
  for (guint i = 0; i < 2; i++)
    {
      FwItem *item = item_at (items, i);

      if (g_str_equal (item->text, "out"))
        {
          saw_out = TRUE;
          g_assert_false (item->flags & FW_ITEM_FLAG_STDERR);
        }
      else
        {
          saw_err = TRUE;
          g_assert_cmpstr (item->text, ==, "ERROR bad");
          g_assert_true (item->flags & FW_ITEM_FLAG_STDERR);
          g_assert_cmpint (item->level, ==, FW_LEVEL_ERROR);
        }
    }
  g_assert_true (saw_out && saw_err);
  g_assert_cmpstr (item_at (items, 2)->text, ==, "exited with status 3");
  g_assert_cmpint (item_at (items, 2)->kind, ==, FW_ITEM_STATUS);
}

/* Without a terminal each pipe keeps its own order, however the two interleave. */
static void
test_each_pipe_in_order (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = fw_feed_open ("cmd:sh -c 'i=1; while [ $i -le 3000 ]; do "
                                             "echo out$i; echo err$i >&2; i=$((i+1)); done'",
                                             FW_FEED_OPEN_NONE, &error);
  g_autoptr(GPtrArray) items = NULL;
  guint n_out = 0, n_err = 0;

  g_assert_no_error (error);
  items = fw_test_collect (stream, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 6001);
  for (guint i = 0; i < 6000; i++)
    {
      FwItem *item = item_at (items, i);
      gboolean is_err = (item->flags & FW_ITEM_FLAG_STDERR) != 0;
      g_autofree char *expected = g_strdup_printf ("%s%u", is_err ? "err" : "out",
                                                   is_err ? ++n_err : ++n_out);

      g_assert_cmpint (item->kind, ==, FW_ITEM_LINE);
      g_assert_cmpstr (item->text, ==, expected);
    }
  g_assert_cmpuint (n_out, ==, 3000);
  g_assert_cmpuint (n_err, ==, 3000);
  fw_test_assert_status (item_at (items, 6000), "exited with status 0");
}

/* On a terminal, stdout and stderr lines come in the order they were written, as one stream
 * with the terminal's CR LF line ends cut, and the exit status last. */
static void
test_pty_in_order (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = fw_feed_open ("cmd:sh -c 'i=1; while [ $i -le 200 ]; do "
                                             "echo out$i; echo err$i >&2; i=$((i+1)); done; "
                                             "exit 2'#pty=1", FW_FEED_OPEN_NONE, &error);
  g_autoptr(GPtrArray) items = NULL;

  g_assert_no_error (error);
  items = fw_test_collect (stream, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 401);
  for (guint i = 0; i < 400; i++)
    {
      FwItem *item = item_at (items, i);
      g_autofree char *expected = g_strdup_printf ("%s%u", i % 2 ? "err" : "out", i / 2 + 1);

      g_assert_cmpint (item->kind, ==, FW_ITEM_LINE);
      g_assert_cmpstr (item->text, ==, expected);
      g_assert_true (item->flags & FW_ITEM_FLAG_TERMINAL);
      g_assert_false (item->flags & FW_ITEM_FLAG_STDERR);
    }
  fw_test_assert_status (item_at (items, 400), "exited with status 2");
  g_assert_cmpint (item_at (items, 400)->level, ==, FW_LEVEL_ERROR);
  g_assert_cmpstr (fw_command_source_get_failure (FW_COMMAND_SOURCE (stream)), ==,
                   "exited with status 2");
}

/* The command sees a terminal: on all three standard streams, as its controlling terminal
 * (/dev/tty), of the size and TERM we chose. */
static void
test_pty_is_terminal (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = fw_feed_open ("cmd:sh -c 'test -t 0 && test -t 1 && test -t 2 "
                                             "&& echo tty; echo TERM=$TERM; stty size; "
                                             "echo via-dev-tty >/dev/tty'#pty=1",
                                             FW_FEED_OPEN_NONE, &error);
  g_autoptr(GPtrArray) items = NULL;

  g_assert_no_error (error);
  items = fw_test_collect (stream, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 5);
  g_assert_cmpstr (item_at (items, 0)->text, ==, "tty");
  g_assert_cmpstr (item_at (items, 1)->text, ==, "TERM=dumb");
  g_assert_cmpstr (item_at (items, 2)->text, ==, "50 160");
  g_assert_cmpstr (item_at (items, 3)->text, ==, "via-dev-tty");
  fw_test_assert_status (item_at (items, 4), "exited with status 0");
}

/* A command that lets go of its terminal and goes on: the terminal's end (EIO) is no error,
 * and the stream still waits for the exit status. */
static void
test_pty_closed_early (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = fw_feed_open ("cmd:sh -c 'echo before; exec >/dev/null 2>&1 "
                                             "</dev/null; sleep 0.2; exit 4'#pty=1",
                                             FW_FEED_OPEN_NONE, &error);
  g_autoptr(GPtrArray) items = NULL;

  g_assert_no_error (error);
  items = fw_test_collect (stream, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpstr (item_at (items, 0)->text, ==, "before");
  fw_test_assert_status (item_at (items, 1), "exited with status 4");
}

/* A program's colours reach the item as they are; --print's JSON escapes them, and the
 * display's safe text drops them. */
static void
test_pty_escapes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = fw_feed_open ("cmd:printf '\\033[31mred\\033[0m\\n'#pty=1",
                                             FW_FEED_OPEN_NONE, &error);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GString) json = g_string_new (NULL);
  g_autofree char *safe = NULL;
  FwItem *item;

  g_assert_no_error (error);
  items = fw_test_collect (stream, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);
  item = item_at (items, 0);
  g_assert_cmpstr (item->text, ==, "\033[31mred\033[0m");

  fw_item_append_json (item, json);
  g_assert_null (memchr (json->str, '\033', json->len));
  g_assert_nonnull (strstr (json->str, "\"text\":\"\\u001b[31mred\\u001b[0m\""));
  g_assert_nonnull (strstr (json->str, "\"stream\":\"terminal\""));

  safe = fw_safe_text (item->text, item->text_len, G_MAXSIZE);
  g_assert_cmpstr (safe, ==, "red");
}

static void
test_no_shell (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = fw_feed_open ("cmd:echo $HOME 'a  b' ; ls", FW_FEED_OPEN_NONE, &error);
  g_autoptr(GPtrArray) items = NULL;

  g_assert_no_error (error);
  items = fw_test_collect (stream, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (item_at (items, 0)->text, ==, "$HOME a  b ; ls");
}

enum
{
  CLOSE_TERM = 0,
  CLOSE_STUBBORN = 1 << 0,
  CLOSE_ON_PTY = 1 << 1,
};

static void
test_close_kills_child (gconstpointer data)
{
  gboolean ignores_term = (GPOINTER_TO_INT (data) & CLOSE_STUBBORN) != 0;
  /* On a terminal, the stubborn one ignores the hangup too. */
  const char *argv_term[] = { "sh", "-c", "echo ready; exec sleep 300", NULL };
  const char *argv_stubborn[] = { "sh", "-c",
                                  "trap '' TERM HUP; echo ready; while :; do sleep 0.05; done",
                                  NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = fw_command_source_new ("cmd", ignores_term ? argv_stubborn : argv_term,
                                                      200);
  g_autoptr(FwItem) item = NULL;
  GPid pid;

  fw_command_source_set_pty (FW_COMMAND_SOURCE (stream), GPOINTER_TO_INT (data) & CLOSE_ON_PTY);

  item = fw_test_next (stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (item->text, ==, "ready");
  pid = fw_command_source_get_pid (FW_COMMAND_SOURCE (stream));
  g_assert_cmpint (pid, >, 0);
  g_assert_cmpint (kill (pid, 0), ==, 0);

  g_assert_true (fw_test_close (stream, &error));
  g_assert_no_error (error);

  /* Gone and reaped: no such process, and no zombie of ours to wait for. */
  g_assert_cmpint (kill (pid, 0), ==, -1);
  g_assert_cmpint (errno, ==, ESRCH);
  g_assert_cmpint (waitpid (pid, NULL, WNOHANG), ==, -1);
  g_assert_cmpint (fw_command_source_get_pid (FW_COMMAND_SOURCE (stream)), ==, 0);
}

/* Gone, or a zombie waiting for init (which may be slow to reap in a container). */
static gboolean
process_gone (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *stat = NULL;
  const char *end;

  if (kill (pid, 0) < 0 && errno == ESRCH)
    return TRUE;
  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return TRUE;
  end = strrchr (stat, ')');
  return end != NULL && (end[2] == 'Z' || end[2] == 'X');
}

/* Polls (a process ends without telling us), within the deadline. */
static void
poll_until (FwTestPredicate  predicate,
            gpointer         user_data,
            const char      *what)
{
  gint64 deadline = g_get_monotonic_time () + FW_TEST_DEADLINE_MS * G_TIME_SPAN_MILLISECOND;

  while (!predicate (user_data) && g_get_monotonic_time () < deadline)
    {
      fw_test_iterate_idle ();
      g_usleep (10 * G_TIME_SPAN_MILLISECOND);
    }
  if (!predicate (user_data))
    g_error ("Timed out after %d ms waiting for %s", FW_TEST_DEADLINE_MS, what);
}

static gboolean
is_gone (gpointer user_data)
{
  return process_gone (GPOINTER_TO_INT (user_data));
}

static void
assert_gone_soon (GPid pid)
{
  poll_until (is_gone, GINT_TO_POINTER (pid), "a job the command left running to end");
}

static gboolean
is_reaped (gpointer user_data)
{
  return fw_command_source_get_pid (user_data) == 0;
}

static GPid
item_pid (FwItem *item)
{
  guint64 pid = 0;

  g_assert_cmpint (item->kind, ==, FW_ITEM_LINE);
  g_assert_true (g_ascii_string_to_unsigned (item->text, 10, 1, G_MAXINT, &pid, NULL));
  return (GPid) pid;
}

/* The command exits at once, leaving two jobs that hold its output open: they end with it (else
 * the stream never would), what was written is still read, and the exit status comes last. */
static void
test_leftovers_end_with_child (void)
{
  const char *argv[] = { "sh", "-c", "sleep 3011 & echo $!; sleep 3012 & echo $!; exit 0", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = fw_command_source_new ("cmd", argv, 200);
  g_autoptr(GPtrArray) items = NULL;

  items = fw_test_collect (stream, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 3);
  assert_gone_soon (item_pid (item_at (items, 0)));
  assert_gone_soon (item_pid (item_at (items, 1)));
  fw_test_assert_status (item_at (items, 2), "exited with status 0");
  g_assert_null (fw_command_source_get_failure (FW_COMMAND_SOURCE (stream)));
  g_assert_true (fw_test_close (stream, &error));
  g_assert_no_error (error);
}

/* Closing after the child exited still ends its group, also jobs that ignore SIGTERM (SIGKILL
 * after the grace). */
static void
test_close_ends_leftovers (void)
{
  const char *argv[] = { "sh", "-c",
                         "trap '' TERM; sleep 3013 & echo $!; sleep 3014 >/dev/null 2>&1 & echo $!; "
                         "echo started; exit 0", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = fw_command_source_new ("cmd", argv, 200);
  GPid pids[2];

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(FwItem) item = fw_test_next (stream, NULL, &error);

      g_assert_no_error (error);
      pids[i] = item_pid (item);
    }
  poll_until (is_reaped, stream, "the command to exit");
  g_assert_false (process_gone (pids[0]));
  g_assert_false (process_gone (pids[1]));

  g_assert_true (fw_test_close (stream, &error));
  g_assert_no_error (error);
  assert_gone_soon (pids[0]);
  assert_gone_soon (pids[1]);
}

static void
test_missing_command (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = fw_feed_open ("cmd:fw-no-such-command --flag", FW_FEED_OPEN_NONE, &error);
  g_autoptr(FwItem) item = NULL;

  g_assert_no_error (error);
  item = fw_test_next (stream, NULL, &error);
  g_assert_null (item);
  g_assert_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT);
  /* In words, with what to do, and once (GLib's own message repeats the command) */
  g_assert_cmpstr (error->message, ==,
                   "There is no command “fw-no-such-command”: check its name, or write its "
                   "full path");
}

static void
test_bad_command_lines (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) unterminated = fw_feed_open ("cmd:echo 'oops", FW_FEED_OPEN_NONE, &error);

  g_assert_null (unterminated);
  g_assert_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_null (fw_feed_open ("cmd:   ", FW_FEED_OPEN_NONE, &error));
  g_assert_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID);
}

static void
test_killed_by_signal (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = fw_feed_open ("cmd:sh -c 'kill -9 $$'", FW_FEED_OPEN_NONE, &error);
  g_autoptr(GPtrArray) items = fw_test_collect (stream, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_true (g_str_has_prefix (item_at (items, 0)->text, "killed by signal 9"));
}

/* Short, exact delays: 10 ms, then 20 ms at most */
static FwBackoff *
quick_backoff (void)
{
  return fw_backoff_new (10, 20, FW_BACKOFF_JITTER_NONE);
}

static FwStream *
open_with_restart (const char       *text,
                   const char       *restart,
                   FwFeedOpenFlags   flags,
                   GError          **error)
{
  g_autoptr(FwFeedSpec) spec = fw_feed_spec_parse (text, error);
  FwStream *stream;

  if (spec == NULL)
    return NULL;
  /* What the feed's options would hold: `cmd:` takes the whole rest as the command line */
  g_hash_table_replace (spec->options, g_strdup ("restart"), g_strdup (restart));
  stream = fw_command_source_open (spec, flags, error);
  if (stream != NULL && !(flags & FW_FEED_OPEN_ONCE))
    fw_command_source_set_restart (FW_COMMAND_SOURCE (stream),
                                   g_str_equal (restart, "always") ? FW_COMMAND_RESTART_ALWAYS
                                   : g_str_equal (restart, "on-failure")
                                   ? FW_COMMAND_RESTART_ON_FAILURE : FW_COMMAND_RESTART_NEVER,
                                   quick_backoff ());
  return stream;
}

/* Reads until @runs lines "run" were seen; checks what comes between them. */
static void
assert_restarts (FwStream   *stream,
                 guint       runs,
                 const char *why,
                 FwLevel     level)
{
  guint seen = 0;
  guint restarts = 0;

  while (seen < runs)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FwItem) item = fw_test_next (stream, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (item);
      if (item->kind == FW_ITEM_LINE)
        {
          g_assert_cmpstr (item->text, ==, "run");
          /* each run follows the status that announced it */
          g_assert_cmpuint (restarts, ==, seen);
          seen++;
          continue;
        }
      g_assert_cmpint (item->kind, ==, FW_ITEM_STATUS);
      g_assert_cmpstr (item->name, ==, "retrying");
      g_assert_cmpint (item->level, ==, level);
      g_assert_true (g_str_has_prefix (item->text, restarts == 0 ? "restarting in 10 ms ("
                                                                 : "restarting in 20 ms ("));
      g_assert_true (g_str_has_suffix (item->text, why));
      restarts++;
    }
}

static void
test_restart_on_failure (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = open_with_restart ("cmd:sh -c 'echo run; exit 3'", "on-failure",
                                                  FW_FEED_OPEN_NONE, &error);

  g_assert_no_error (error);
  assert_restarts (stream, 4, "(exit status 3)", FW_LEVEL_WARNING);
  g_assert_null (fw_command_source_get_failure (FW_COMMAND_SOURCE (stream)));
  g_assert_true (fw_test_close (stream, NULL));
}

static void
test_restart_killed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = open_with_restart ("cmd:sh -c 'echo run; kill -9 $$'",
                                                  "on-failure", FW_FEED_OPEN_NONE, &error);

  g_assert_no_error (error);
  assert_restarts (stream, 3, "(killed by signal 9 (Killed))", FW_LEVEL_WARNING);
  g_assert_true (fw_test_close (stream, NULL));
}

/* On a terminal, a new one for each run. */
static void
test_pty_restart (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = open_with_restart ("cmd:sh -c 'echo run; exit 3'#pty=1",
                                                  "on-failure", FW_FEED_OPEN_NONE, &error);

  g_assert_no_error (error);
  assert_restarts (stream, 4, "(exit status 3)", FW_LEVEL_WARNING);
  g_assert_true (fw_test_close (stream, NULL));
}

static void
test_restart_always (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = open_with_restart ("cmd:echo run", "always", FW_FEED_OPEN_NONE,
                                                  &error);

  g_assert_no_error (error);
  assert_restarts (stream, 3, "(exit status 0)", FW_LEVEL_INFO);
  g_assert_true (fw_test_close (stream, NULL));
}

/* Success with on-failure, any end with never (the default) or under --once: the stream ends
 * with the exit status, as without the option. */
static void
test_restart_not_wanted (void)
{
  static const struct { const char *text, *restart; FwFeedOpenFlags flags; const char *last; }
  cases[] = {
    { "cmd:echo run", "on-failure", FW_FEED_OPEN_NONE, "exited with status 0" },
    { "cmd:sh -c 'echo run; exit 3'", "never", FW_FEED_OPEN_NONE, "exited with status 3" },
    { "cmd:sh -c 'echo run; exit 3'", "on-failure", FW_FEED_OPEN_ONCE, "exited with status 3" },
    { "cmd:echo run", "always", FW_FEED_OPEN_ONCE, "exited with status 0" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FwStream) stream = open_with_restart (cases[i].text, cases[i].restart,
                                                      cases[i].flags, &error);
      g_autoptr(GPtrArray) items = NULL;

      g_assert_no_error (error);
      items = fw_test_collect (stream, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (items->len, ==, 2);
      g_assert_cmpstr (item_at (items, 0)->text, ==, "run");
      g_assert_cmpstr (item_at (items, 1)->text, ==, cases[i].last);
    }
}

/* The option as the feed spec carries it: the default backoff, and a bad value in words. */
static void
test_restart_option (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwFeedSpec) spec = fw_feed_spec_parse ("cmd:sh -c 'exit 3'", &error);
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(FwItem) item = NULL;
  FwCommandRestart restart;

  g_assert_no_error (error);
  g_hash_table_replace (spec->options, g_strdup ("restart"), g_strdup ("on-failure"));
  stream = fw_command_source_open (spec, FW_FEED_OPEN_NONE, &error);
  g_assert_no_error (error);
  item = fw_test_next (stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (item->kind, ==, FW_ITEM_STATUS);
  g_assert_cmpstr (item->text, ==, "restarting in 1 s (exit status 3)");
  g_assert_true (fw_test_close (stream, NULL));

  g_assert_true (fw_command_restart_from_string (NULL, &restart, NULL));
  g_assert_cmpint (restart, ==, FW_COMMAND_RESTART_NEVER);
  g_hash_table_replace (spec->options, g_strdup ("restart"), g_strdup ("sometimes"));
  g_assert_null (fw_command_source_open (spec, FW_FEED_OPEN_NONE, &error));
  g_assert_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "“cmd:sh -c 'exit 3'”: restart must be “never”, "
                   "“on-failure” or “always”, not “sometimes”");
}

static void
test_host_in_flatpak (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fw-flatpak-info-XXXXXX", &error);
  g_autofree char *granted = g_build_filename (dir, "granted", NULL);
  g_autofree char *plain = g_build_filename (dir, "plain", NULL);
  const char *argv[] = { "journalctl", "-f", NULL };
  g_auto(GStrv) wrapped = NULL;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (granted,
                                      "[Application]\nname=io.github.feedwatch.Feedwatch\n\n"
                                      "[Session Bus Policy]\norg.freedesktop.Flatpak=talk\n", -1, NULL));
  g_assert_true (g_file_set_contents (plain,
                                      "[Application]\nname=io.github.feedwatch.Feedwatch\n", -1, NULL));

  /* on the host only with the user's grant; outside Flatpak (no file), where we are */
  g_assert_true (fw_command_runs_on_host (granted));
  g_assert_false (fw_command_runs_on_host (plain));
  g_assert_false (fw_command_runs_on_host ("/nonexistent/.flatpak-info"));

  wrapped = fw_command_wrap_for_host (argv);
  g_assert_cmpstr (wrapped[0], ==, "flatpak-spawn");
  g_assert_cmpstr (wrapped[1], ==, "--host");
  g_assert_cmpstr (wrapped[2], ==, "--watch-bus");
  g_assert_cmpstr (wrapped[3], ==, "journalctl");
  g_assert_cmpstr (wrapped[4], ==, "-f");
  g_assert_null (wrapped[5]);

  g_unlink (granted);
  g_unlink (plain);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/command-source/lines-in-order", test_lines_in_order);
  g_test_add_func ("/command-source/source-times", test_source_times);
  g_test_add_func ("/command-source/stderr-and-exit-status", test_stderr_and_exit_status);
  g_test_add_func ("/command-source/no-shell", test_no_shell);
  g_test_add_func ("/command-source/each-pipe-in-order", test_each_pipe_in_order);
  g_test_add_data_func ("/command-source/close-kills-child/term", GINT_TO_POINTER (CLOSE_TERM),
                        test_close_kills_child);
  g_test_add_data_func ("/command-source/close-kills-child/kill-after-grace",
                        GINT_TO_POINTER (CLOSE_STUBBORN), test_close_kills_child);
  g_test_add_data_func ("/command-source/pty/close-kills-child/term",
                        GINT_TO_POINTER (CLOSE_ON_PTY), test_close_kills_child);
  g_test_add_data_func ("/command-source/pty/close-kills-child/kill-after-grace",
                        GINT_TO_POINTER (CLOSE_ON_PTY | CLOSE_STUBBORN), test_close_kills_child);
  g_test_add_func ("/command-source/pty/in-order", test_pty_in_order);
  g_test_add_func ("/command-source/pty/is-terminal", test_pty_is_terminal);
  g_test_add_func ("/command-source/pty/closed-early", test_pty_closed_early);
  g_test_add_func ("/command-source/pty/escapes", test_pty_escapes);
  g_test_add_func ("/command-source/pty/restart", test_pty_restart);
  g_test_add_func ("/command-source/leftovers-end-with-child", test_leftovers_end_with_child);
  g_test_add_func ("/command-source/close-ends-leftovers", test_close_ends_leftovers);
  g_test_add_func ("/command-source/missing-command", test_missing_command);
  g_test_add_func ("/command-source/bad-command-lines", test_bad_command_lines);
  g_test_add_func ("/command-source/killed-by-signal", test_killed_by_signal);
  g_test_add_func ("/command-source/host-in-flatpak", test_host_in_flatpak);
  g_test_add_func ("/command-source/restart/on-failure", test_restart_on_failure);
  g_test_add_func ("/command-source/restart/killed", test_restart_killed);
  g_test_add_func ("/command-source/restart/always", test_restart_always);
  g_test_add_func ("/command-source/restart/not-wanted", test_restart_not_wanted);
  g_test_add_func ("/command-source/restart/option", test_restart_option);

  return g_test_run ();
}
