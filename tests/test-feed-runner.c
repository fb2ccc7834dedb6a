/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-feed-runner.c: one watched feed: states, counters, pause, rate, restart, owner */

#include "fw-test-util.h"
#include "fw-feed-runner.h"

#include <glib/gstdio.h>
#include <stdio.h>

typedef struct
{
  guint batches;
  guint items;
} Seen;

static void
on_items (FwFeedRunner *runner,
          GPtrArray    *batch,
          Seen         *seen)
{
  seen->batches++;
  seen->items += batch->len;
}

static void
yield_status (FwTestSource *source,
              const char   *name,
              const char   *text)
{
  FwItem *item = fw_item_new (FW_ITEM_STATUS, source->feed, g_get_real_time (), text, -1);

  fw_item_set_name (item, name);
  g_assert_true (source->pull_outstanding);
  source->pull_outstanding = FALSE;
  fw_stream_pull_return (source->stream, item);
}

static void
wait_for_pull (FwTestSource *source)
{
  while (!source->pull_outstanding)
    g_main_context_iteration (NULL, TRUE);
}

static void
wait_for_state (FwFeedRunner *runner,
                FwFeedState   state)
{
  while (fw_feed_runner_get_state (runner) != state)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_states (void)
{
  FwTestSource *source = fw_test_source_new ();
  g_autoptr(FwFeedRunner) runner = fw_feed_runner_new_for_stream ("test:x", source->stream);
  Seen seen = { 0 };

  g_signal_connect (runner, "items", G_CALLBACK (on_items), &seen);
  g_assert_cmpint (fw_feed_runner_get_state (runner), ==, FW_FEED_STATE_IDLE);
  g_assert_cmpuint (source->n_pulls, ==, 0);

  fw_feed_runner_start (runner, NULL);
  g_assert_cmpint (fw_feed_runner_get_state (runner), ==, FW_FEED_STATE_CONNECTING);
  wait_for_pull (source);

  fw_test_source_answer (source, 5);
  wait_for_state (runner, FW_FEED_STATE_LIVE);
  g_assert_cmpuint (seen.items, ==, 5);
  g_assert_cmpuint (fw_feed_runner_get_n_items (runner), ==, 5);

  /* a source that lost its server says so, and the state follows, with the reason */
  wait_for_pull (source);
  yield_status (source, "retrying", "retrying in 3 s: HTTP 500 Internal Server Error");
  wait_for_state (runner, FW_FEED_STATE_RETRYING);
  g_assert_cmpstr (fw_feed_runner_get_state_text (runner), ==,
                   "retrying in 3 s: HTTP 500 Internal Server Error");
  g_assert_cmpuint (fw_feed_runner_get_n_items (runner), ==, 5); /* status is not data */

  /* status words without a name are understood too */
  wait_for_pull (source);
  yield_status (source, NULL, "waiting for file");
  wait_for_state (runner, FW_FEED_STATE_WAITING);

  wait_for_pull (source);
  fw_test_source_answer (source, 1);
  wait_for_state (runner, FW_FEED_STATE_LIVE);
  g_assert_null (fw_feed_runner_get_state_text (runner));

  wait_for_pull (source);
  fw_test_source_fail (source, "Connection refused");
  wait_for_state (runner, FW_FEED_STATE_FAILED);
  g_assert_cmpstr (fw_feed_runner_get_state_text (runner), ==, "Connection refused");

  fw_test_source_free (source);
}

typedef struct
{
  char      *text_at_notify;
  GPtrArray *items;
} Failure;

static void
on_failure_state (FwFeedRunner *runner,
                  GParamSpec   *pspec,
                  Failure      *failure)
{
  if (fw_feed_runner_get_state (runner) == FW_FEED_STATE_FAILED)
    failure->text_at_notify = g_strdup (fw_feed_runner_get_state_text (runner));
}

static void
on_failure_items (FwFeedRunner *runner,
                  GPtrArray    *batch,
                  Failure      *failure)
{
  for (guint i = 0; i < batch->len; i++)
    g_ptr_array_add (failure->items, fw_item_ref (g_ptr_array_index (batch, i)));
}

/* A failure is known with its reason by whoever hears of it first, and is said where the
 * feed's items go: one status item, level error, counted neither as data nor as an error. */
static void
test_failure_says_why (void)
{
  FwTestSource *source = fw_test_source_new ();
  g_autoptr(FwFeedRunner) runner = fw_feed_runner_new_for_stream ("test:x", source->stream);
  Failure failure = { NULL, g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref) };
  FwItem *status;

  g_signal_connect (runner, "notify::state", G_CALLBACK (on_failure_state), &failure);
  g_signal_connect (runner, "items", G_CALLBACK (on_failure_items), &failure);
  fw_feed_runner_start (runner, NULL);
  wait_for_pull (source);
  fw_test_source_answer (source, 2);
  wait_for_state (runner, FW_FEED_STATE_LIVE);

  wait_for_pull (source);
  fw_test_source_fail (source, "Connection refused");
  wait_for_state (runner, FW_FEED_STATE_FAILED);
  g_assert_cmpstr (failure.text_at_notify, ==, "Connection refused");

  g_assert_cmpuint (failure.items->len, ==, 3);
  status = g_ptr_array_index (failure.items, 2);
  g_assert_cmpint (status->kind, ==, FW_ITEM_STATUS);
  g_assert_cmpint (status->level, ==, FW_LEVEL_ERROR);
  g_assert_cmpstr (status->feed, ==, "test:x");
  g_assert_cmpstr (status->text, ==, "Failed: Connection refused");
  g_assert_cmpuint (fw_feed_runner_get_n_items (runner), ==, 2);
  g_assert_cmpuint (fw_feed_runner_get_n_level (runner, FW_LEVEL_ERROR), ==, 0);

  /* A failure from outside the stream (the keyring) is said the same way */
  fw_feed_runner_fail (runner, "Its credentials could not be read from the keyring");
  g_assert_cmpuint (failure.items->len, ==, 4);
  status = g_ptr_array_index (failure.items, 3);
  g_assert_cmpstr (status->text, ==, "Failed: Its credentials could not be read from the keyring");
  g_assert_cmpuint (fw_feed_runner_get_n_level (runner, FW_LEVEL_ERROR), ==, 0);

  g_free (failure.text_at_notify);
  g_ptr_array_unref (failure.items);
  fw_test_source_free (source);
}

static void
test_levels_and_numeric (void)
{
  FwTestSource *source = fw_test_source_new ();
  g_autoptr(FwFeedRunner) runner = fw_feed_runner_new_for_stream ("test:x", source->stream);
  FwItem *error_line = fw_item_new (FW_ITEM_LINE, source->feed, 0, "boom", -1);
  FwItem *warn_line = fw_item_new (FW_ITEM_LINE, source->feed, 0, "hm", -1);

  fw_item_set_level (error_line, FW_LEVEL_ERROR);
  fw_item_set_level (warn_line, FW_LEVEL_WARNING);
  fw_feed_runner_start (runner, NULL);
  wait_for_pull (source);
  source->pull_outstanding = FALSE;
  fw_stream_yield (source->stream, error_line);
  fw_stream_yield (source->stream, warn_line);
  fw_stream_yield (source->stream, fw_item_new_reading (source->feed, 0, "t", 1, "°C"));
  fw_stream_pull_done (source->stream);
  wait_for_state (runner, FW_FEED_STATE_LIVE);
  g_assert_cmpuint (fw_feed_runner_get_n_level (runner, FW_LEVEL_ERROR), ==, 1);
  g_assert_cmpuint (fw_feed_runner_get_n_level (runner, FW_LEVEL_WARNING), ==, 1);
  g_assert_true (fw_feed_runner_is_numeric (runner));

  fw_feed_runner_stop (runner);
  g_assert_cmpint (fw_feed_runner_get_state (runner), ==, FW_FEED_STATE_ENDED);
  fw_test_iterate_idle ();
  g_assert_cmpuint (source->n_cleanups, ==, 1);
  fw_test_source_free (source);
}

static void
test_pause_stops_pulling (void)
{
  FwTestSource *source = fw_test_source_new ();
  g_autoptr(FwFeedRunner) runner = fw_feed_runner_new_for_stream ("test:x", source->stream);
  guint pulls;

  fw_feed_runner_start (runner, NULL);
  wait_for_pull (source);
  fw_feed_runner_set_paused (runner, TRUE);
  g_assert_cmpint (fw_feed_runner_get_state (runner), ==, FW_FEED_STATE_PAUSED);

  /* the batch already asked for is delivered; no new pull follows while paused */
  fw_test_source_answer (source, 3);
  fw_test_iterate_idle ();
  pulls = source->n_pulls;
  fw_test_iterate_idle ();
  g_assert_cmpuint (source->n_pulls, ==, pulls);
  g_assert_false (source->pull_outstanding);
  g_assert_cmpint (fw_feed_runner_get_state (runner), ==, FW_FEED_STATE_PAUSED);

  fw_feed_runner_set_paused (runner, FALSE);
  wait_for_pull (source);
  g_assert_cmpuint (source->n_pulls, ==, pulls + 1);
  g_assert_cmpint (fw_feed_runner_get_state (runner), !=, FW_FEED_STATE_PAUSED);

  fw_test_source_free (source);
}

static void
test_rate (void)
{
  FwTestSource *source = fw_test_source_new ();
  g_autoptr(FwFeedRunner) runner = fw_feed_runner_new_for_stream ("test:x", source->stream);

  fw_feed_runner_start (runner, NULL);
  fw_feed_runner_tick (runner, 1000000);
  wait_for_pull (source);
  fw_test_source_answer (source, 50);
  wait_for_state (runner, FW_FEED_STATE_LIVE);
  fw_feed_runner_tick (runner, 1500000);
  g_assert_cmpfloat_with_epsilon (fw_feed_runner_get_rate (runner), 100.0, 1e-9);
  /* A quiet second after the burst: it is measured back to where ten items came */
  fw_feed_runner_tick (runner, 2500000);
  g_assert_cmpfloat_with_epsilon (fw_feed_runner_get_rate (runner), 50 / 1.5, 1e-9);
  /* Ten quiet seconds: nothing left to count */
  for (gint64 t = 3500000; t <= 12500000; t += 1000000)
    fw_feed_runner_tick (runner, t);
  g_assert_cmpfloat_with_epsilon (fw_feed_runner_get_rate (runner), 0.0, 1e-9);

  fw_test_source_free (source);
}

/* An item every two seconds reads 0.5/s once ten seconds are counted, never 0 between
 * items (nor 1/s in the second that had one). */
static void
test_rate_sparse (void)
{
  FwTestSource *source = fw_test_source_new ();
  g_autoptr(FwFeedRunner) runner = fw_feed_runner_new_for_stream ("test:x", source->stream);

  fw_feed_runner_start (runner, NULL);
  fw_feed_runner_tick (runner, 1000000);
  for (guint second = 1; second <= 30; second++)
    {
      if (second % 2 == 1)
        {
          guint64 before = fw_feed_runner_get_n_items (runner);

          wait_for_pull (source);
          fw_test_source_answer (source, 1);
          while (fw_feed_runner_get_n_items (runner) == before)
            g_main_context_iteration (NULL, TRUE);
        }
      fw_feed_runner_tick (runner, (second + 1) * G_GINT64_CONSTANT (1000000));
      if (second >= 10)
        g_assert_cmpfloat_with_epsilon (fw_feed_runner_get_rate (runner), 0.5, 1e-9);
      else
        g_assert_cmpfloat (fw_feed_runner_get_rate (runner), >, 0);
    }

  fw_test_source_free (source);
}

/* A feed whose first items come a few seconds after it starts (a connection, a first reading
 * due after an interval) reads its rate from the first second that had items: 3/s at once,
 * not 1.5/s while the ticks before them are still in the window. */
static void
test_rate_from_first_item (void)
{
  FwTestSource *source = fw_test_source_new ();
  g_autoptr(FwFeedRunner) runner = fw_feed_runner_new_for_stream ("test:x", source->stream);

  fw_feed_runner_start (runner, NULL);
  for (guint second = 1; second <= 3; second++)
    {
      fw_feed_runner_tick (runner, second * G_GINT64_CONSTANT (1000000));
      g_assert_cmpfloat (fw_feed_runner_get_rate (runner), ==, 0);
    }
  for (guint second = 4; second <= 12; second++)
    {
      guint64 before = fw_feed_runner_get_n_items (runner);

      wait_for_pull (source);
      fw_test_source_answer (source, 3);
      while (fw_feed_runner_get_n_items (runner) < before + 3)
        g_main_context_iteration (NULL, TRUE);
      fw_feed_runner_tick (runner, second * G_GINT64_CONSTANT (1000000));
      g_assert_cmpfloat_with_epsilon (fw_feed_runner_get_rate (runner), 3.0, 1e-9);
    }

  fw_test_source_free (source);
}

static void
test_owner_gone (void)
{
  FwTestSource *source = fw_test_source_new ();
  g_autoptr(FwFeedRunner) runner = fw_feed_runner_new_for_stream ("test:x", source->stream);
  GObject *window = g_object_new (G_TYPE_OBJECT, NULL);

  fw_feed_runner_start (runner, window);
  wait_for_pull (source);
  g_object_unref (window);
  wait_for_state (runner, FW_FEED_STATE_ENDED);
  g_assert_true (fw_stream_is_closed (fw_feed_runner_get_stream (runner)));
  g_assert_cmpuint (source->n_cleanups, ==, 1);

  fw_test_source_free (source);
}

static void
test_restart (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwFeedRunner) runner = fw_feed_runner_new ("sim:sensor?interval=1&count=2", &error);
  Seen seen = { 0 };

  g_assert_no_error (error);
  g_assert_cmpstr (fw_feed_runner_get_title (runner), ==, "Simulated sensor · 1 ms");
  g_signal_connect (runner, "items", G_CALLBACK (on_items), &seen);
  fw_feed_runner_start (runner, NULL);
  wait_for_state (runner, FW_FEED_STATE_ENDED);
  g_assert_cmpuint (seen.items, ==, 2);

  g_assert_true (fw_feed_runner_restart (runner, &error));
  g_assert_no_error (error);
  wait_for_state (runner, FW_FEED_STATE_LIVE);
  wait_for_state (runner, FW_FEED_STATE_ENDED);
  g_assert_cmpuint (seen.items, ==, 4);
}

/* Lines read before (a log's backlog shown again) are items, but not counted again by level. */
static void
test_replayed_lines_not_counted (void)
{
  FwTestSource *source = fw_test_source_new ();
  g_autoptr(FwFeedRunner) runner = fw_feed_runner_new_for_stream ("test:x", source->stream);
  const struct { FwLevel level; gboolean replayed; } lines[] = {
    { FW_LEVEL_ERROR, TRUE }, { FW_LEVEL_WARNING, TRUE }, { FW_LEVEL_CRITICAL, TRUE },
    { FW_LEVEL_ERROR, FALSE }, { FW_LEVEL_ERROR, TRUE }, { FW_LEVEL_WARNING, FALSE },
  };

  fw_feed_runner_start (runner, NULL);
  wait_for_pull (source);
  source->pull_outstanding = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      FwItem *item = fw_item_new (FW_ITEM_LINE, source->feed, 0, "line", -1);

      fw_item_set_level (item, lines[i].level);
      if (lines[i].replayed)
        fw_item_add_flags (item, FW_ITEM_FLAG_REPLAYED);
      fw_stream_yield (source->stream, item);
    }
  fw_stream_pull_done (source->stream);
  wait_for_state (runner, FW_FEED_STATE_LIVE);
  g_assert_cmpuint (fw_feed_runner_get_n_items (runner), ==, G_N_ELEMENTS (lines));
  g_assert_cmpuint (fw_feed_runner_get_n_level (runner, FW_LEVEL_ERROR), ==, 1);
  g_assert_cmpuint (fw_feed_runner_get_n_level (runner, FW_LEVEL_CRITICAL), ==, 0);
  g_assert_cmpuint (fw_feed_runner_get_n_level (runner, FW_LEVEL_WARNING), ==, 1);

  fw_test_source_free (source);
}

static void
append_line (const char *path,
             const char *line)
{
  FILE *f = fopen (path, "a");

  g_assert_nonnull (f);
  fprintf (f, "%s\n", line);
  g_assert_cmpint (fclose (f), ==, 0);
}

static void
wait_for_n_items (FwFeedRunner *runner,
                  guint64       n)
{
  gint64 deadline = g_get_monotonic_time () + FW_TEST_DEADLINE_MS * 1000;

  while (fw_feed_runner_get_n_items (runner) < n)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("%" G_GUINT64_FORMAT " items of %" G_GUINT64_FORMAT " after %d ms",
                 fw_feed_runner_get_n_items (runner), n, FW_TEST_DEADLINE_MS);
      g_main_context_iteration (NULL, TRUE);
    }
  fw_test_iterate_idle ();
  g_assert_cmpuint (fw_feed_runner_get_n_items (runner), ==, n);
}

static gboolean
all_closed (gpointer user_data)
{
  return fw_close_registry_get_n_closing (fw_close_registry_get_default ()) == 0;
}

static guint64
n_errors (FwFeedRunner *runner)
{
  return fw_feed_runner_get_n_level (runner, FW_LEVEL_ERROR);
}

/* Restarting a log feed reads its last lines again: they show again, but count once. And a
 * runner given the mark of an earlier one (a relaunch) counts only what is new. */
static void
test_log_counts_once (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fw-runner-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "app.log", NULL);
  g_autoptr(FwFeedRunner) runner = NULL;
  g_autoptr(FwFeedRunner) relaunched = NULL;
  g_autofree char *mark = NULL;

  g_assert_no_error (error);
  append_line (path, "ERROR one");
  append_line (path, "WARN two");
  append_line (path, "ERROR three");
  runner = fw_feed_runner_new (path, &error);
  g_assert_no_error (error);
  fw_feed_runner_start (runner, NULL);
  wait_for_n_items (runner, 3);
  g_assert_cmpuint (n_errors (runner), ==, 2);
  g_assert_cmpuint (fw_feed_runner_get_n_level (runner, FW_LEVEL_WARNING), ==, 1);

  g_assert_true (fw_feed_runner_restart (runner, &error));
  g_assert_no_error (error);
  wait_for_n_items (runner, 6);
  g_assert_cmpuint (n_errors (runner), ==, 2);
  g_assert_cmpuint (fw_feed_runner_get_n_level (runner, FW_LEVEL_WARNING), ==, 1);

  append_line (path, "ERROR four");
  wait_for_n_items (runner, 7);
  g_assert_cmpuint (n_errors (runner), ==, 3);

  mark = fw_feed_runner_dup_resume_mark (runner);
  g_assert_nonnull (mark);
  fw_feed_runner_stop (runner);

  append_line (path, "ERROR five");
  relaunched = fw_feed_runner_new (path, &error);
  g_assert_no_error (error);
  g_assert_true (fw_feed_runner_set_resume_mark (relaunched, mark));
  fw_feed_runner_start (relaunched, NULL);
  wait_for_n_items (relaunched, 5);
  g_assert_cmpuint (n_errors (relaunched), ==, 1);
  g_assert_cmpuint (fw_feed_runner_get_n_level (relaunched, FW_LEVEL_WARNING), ==, 0);

  /* Not a log: nothing to resume */
  {
    g_autoptr(FwFeedRunner) sim = fw_feed_runner_new ("sim:sensor", &error);

    g_assert_no_error (error);
    g_assert_false (fw_feed_runner_set_resume_mark (sim, mark));
    g_assert_null (fw_feed_runner_dup_resume_mark (sim));
  }

  fw_feed_runner_stop (relaunched);
  fw_test_wait_until (all_closed, NULL, "the log streams closed");
  fw_test_remove_tree (dir);
}

static void
check_title (const char *spec,
             const char *title)
{
  g_autoptr(FwFeedSpec) parsed = fw_feed_spec_parse (spec, NULL);
  g_autofree char *got = fw_feed_default_title (parsed);

  g_assert_cmpstr (got, ==, title);
}

static void
test_titles (void)
{
  check_title ("/var/log/syslog", "syslog");
  check_title ("cmd:journalctl -f", "journalctl -f");
  check_title ("sse:https://example.org/events?x=1", "example.org/events");
  check_title ("ws://localhost:9000/", "localhost");
  check_title ("cpu:", "CPU");
  check_title ("sim:sensor?interval=5", "Simulated sensor · 5 ms");
  /* feeds of a kind are told apart */
  check_title ("sim:sensor", "Simulated sensor · 800 ms");
  check_title ("sim:sensor?interval=2000", "Simulated sensor · 2 s");
  check_title ("dir:/var/spool/incoming", "incoming");
  check_title ("file:///var/log/auth.log", "auth.log");
  check_title ("pages:https://api.example.org/v1/items#interval=500", "api.example.org/v1/items");
  check_title ("https://u:pw@metrics.example.org/?token=t0k", "metrics.example.org");
  check_title ("mem:", "Memory");
  check_title ("futurekind:abc", "futurekind:abc");
}

static void
test_unknown_feed (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (fw_feed_runner_new ("nonsense:x", &error));
  g_assert_error (error, FW_FEED_ERROR, FW_FEED_ERROR_UNKNOWN_KIND);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/feed-runner/states", test_states);
  g_test_add_func ("/feed-runner/failure-says-why", test_failure_says_why);
  g_test_add_func ("/feed-runner/levels-and-numeric", test_levels_and_numeric);
  g_test_add_func ("/feed-runner/pause-stops-pulling", test_pause_stops_pulling);
  g_test_add_func ("/feed-runner/rate", test_rate);
  g_test_add_func ("/feed-runner/rate-sparse", test_rate_sparse);
  g_test_add_func ("/feed-runner/rate-from-first-item", test_rate_from_first_item);
  g_test_add_func ("/feed-runner/owner-gone", test_owner_gone);
  g_test_add_func ("/feed-runner/restart", test_restart);
  g_test_add_func ("/feed-runner/replayed-lines-not-counted", test_replayed_lines_not_counted);
  g_test_add_func ("/feed-runner/log-counts-once", test_log_counts_once);
  g_test_add_func ("/feed-runner/titles", test_titles);
  g_test_add_func ("/feed-runner/unknown-feed", test_unknown_feed);

  return g_test_run ();
}
