/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-print.c: `feedwatch --print FEED…`: every feed runs its own `for_each` loop on one main
 * loop; items become JSON Lines on stdout. Stopping (count reached, duration over, SIGINT or
 * SIGTERM) closes every stream, and the process exits once the closes finished or a short
 * deadline passed. */

#include "config.h"

#include "fw-print.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <inttypes.h>
#include <malloc.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>

#include "fw-streams.h"
#include "fw-alert-rule.h"
#include "fw-alert-engine.h"
#include "fw-safe-text.h"
#include "fw-recording-reader.h"
#include "fw-recording-writer.h"

#define CLOSE_DEADLINE_MS 2000
/* Output goes out in writes of about this size (and whenever the main loop is about to wait):
 * at a million small items a second, a write per 64 KiB cost a tenth of the run. */
#define FLUSH_THRESHOLD   (512 * 1024)

typedef struct _Run Run;

typedef struct
{
  Run      *run;
  char     *text;   /* its identity, secrets masked: all that is printed */
  char     *spec;   /* as written, secrets and all: only to mask them in errors */
  FwStream *stream;
  guint64   items;    /* data items: lines, readings, events, messages */
  guint64   levels[FW_N_LEVELS];
  guint64   status;   /* what the feed said about itself: printed, never counted as items */
  gboolean  counted;  /* its lines are counted by the source, not handed to us as items */
  gboolean  done;
} Feed;

struct _Run
{
  const FwPrintOptions *options;
  GPtrArray            *feeds;
  GMainLoop            *loop;
  GCancellable         *cancellable;
  GString              *out;
  guint                 flush_id;
  guint                 duration_id;
  gint64                deadline_us;  /* of --duration, on the monotonic clock */
  guint                 running;
  gint64                total;  /* data items of every feed, for --count and --stats */
  gboolean              stopping;
  gboolean              output_broken;
  int                   exit_status;
  FwLoopMonitor        *lag;
  gint64                started_us;
  FwAlertEngine        *alerts;  /* or NULL: no rules */
  gboolean              alert_fired;
  FwRecordingWriter    *recorder;
};

/* Every line for stderr goes through here: what feeds and servers say (a reason phrase, a
 * Content-Type, a command's output) can carry terminal escapes and invalid UTF-8, and is written
 * as safe text on one line. */
G_GNUC_PRINTF (1, 2)
static void
print_error (const char *format,
             ...)
{
  g_autofree char *text = NULL;
  g_autofree char *safe = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  safe = fw_safe_text (text, strlen (text), G_MAXSIZE);
  g_printerr ("feedwatch: %s\n", safe);
}

static void
feed_free (Feed *feed)
{
  g_clear_object (&feed->stream);
  g_free (feed->text);
  g_free (feed->spec);
  g_free (feed);
}

/* Straight to the descriptor: stdio would cut each buffer into a write of whole blocks and a
 * write of the rest. Nothing else writes to stdout. */
static gboolean
write_all (int         fd,
           const char *data,
           gsize       len)
{
  while (len > 0)
    {
      gssize n = write (fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          if (n == 0)
            errno = EIO;
          return FALSE;
        }
      data += n;
      len -= (gsize) n;
    }
  return TRUE;
}

static void
run_flush (Run *run)
{
  if (run->out->len == 0)
    return;

  if (!run->output_broken && !write_all (STDOUT_FILENO, run->out->str, run->out->len))
    {
      /* A closed pipe (`| head`) is a normal way to stop reading us. */
      run->output_broken = TRUE;
      if (errno != EPIPE)
        print_error (_("cannot write the output: %s"), g_strerror (errno));
    }
  g_string_truncate (run->out, 0);
}

static gboolean
on_flush_due (gpointer user_data)
{
  Run *run = user_data;

  run->flush_id = 0;
  run_flush (run);

  return G_SOURCE_REMOVE;
}

static void
run_stop (Run *run)
{
  if (run->stopping)
    return;

  run->stopping = TRUE;
  g_cancellable_cancel (run->cancellable);
  for (guint i = 0; i < run->feeds->len; i++)
    {
      Feed *feed = g_ptr_array_index (run->feeds, i);
      if (!feed->done)
        fw_stream_close (feed->stream);
    }
}

static void
run_write_item (Run    *run,
                FwItem *item)
{
  fw_item_append_json (item, run->out);
  g_string_append_c (run->out, '\n');
  if (run->out->len >= FLUSH_THRESHOLD)
    run_flush (run);
  else if (run->flush_id == 0)
    /* When the main loop is about to wait (nothing else ready): a slow feed's items go out
     * at once, a fast one's in large writes. */
    run->flush_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, on_flush_due, run, NULL);
}

/* Alerts are written with or without --print: without it, they are all the output */
static void
on_alert (FwItem   *alert,
          gpointer  user_data)
{
  Run *run = user_data;
  const char *what = NULL;

  /* A reader that stopped reading (`| head -1`) still gets the exit status */
  if (!run->output_broken)
    run_write_item (run, alert);
  if (g_variant_lookup (alert->fields, "alert", "&s", &what) && g_str_equal (what, "fired"))
    {
      run->alert_fired = TRUE;
      if (run->options->exit_on_alert)
        run_stop (run);
    }
}

static gboolean
on_item (FwItem   *item,
         gpointer  user_data)
{
  Feed *feed = user_data;
  Run *run = feed->run;

  if (run->stopping || run->output_broken)
    return FALSE;

  /* A feed that reconnects says so in status items: --count and the summary mean the data. */
  if (item->kind == FW_ITEM_STATUS)
    {
      feed->status++;
    }
  else
    {
      feed->items++;
      feed->levels[item->level]++;
      run->total++;
    }

  /* Handed to the writer thread; dropped and counted there if the disk cannot keep up */
  if (run->recorder != NULL)
    fw_recording_writer_add (run->recorder, item);

  if (run->options->print)
    run_write_item (run, item);

  if (run->alerts != NULL)
    {
      fw_alert_engine_process (run->alerts, item);
      if (run->stopping)
        return FALSE;
    }

  if (run->options->count > 0 && run->total >= run->options->count)
    {
      run_stop (run);
      return FALSE;
    }

  return TRUE;
}

static void
on_closes_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Run *run = user_data;
  guint remaining = 0;

  if (!fw_close_registry_wait_finish (FW_CLOSE_REGISTRY (object), result, &remaining, NULL))
    print_error (_("%u feeds did not close within %d ms"), remaining, CLOSE_DEADLINE_MS);

  g_main_loop_quit (run->loop);
}

static void
on_loop_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Feed *feed = user_data;
  Run *run = feed->run;
  g_autoptr(GError) error = NULL;
  FwForEachEnd end;

  end = fw_stream_for_each_finish (FW_STREAM (object), result, &error);
  feed->done = TRUE;

  if (end == FW_FOR_EACH_FAILED)
    {
      g_autofree char *message = fw_feed_spec_mask (feed->spec, error->message);

      print_error ("%s: %s", feed->text, message);
      run->exit_status = 1;
      if (run->alerts != NULL)
        fw_alert_engine_set_feed_state (run->alerts, feed->text, FW_FEED_STATE_FAILED, message);
    }
  else if (end == FW_FOR_EACH_EXHAUSTED && FW_IS_COMMAND_SOURCE (feed->stream) &&
           fw_command_source_get_failure (FW_COMMAND_SOURCE (feed->stream)) != NULL)
    {
      /* Its stream ends naturally, the exit status its last item; the run still failed. */
      const char *failure = fw_command_source_get_failure (FW_COMMAND_SOURCE (feed->stream));

      print_error (_("%s: the command failed: %s"), feed->text, failure);
      run->exit_status = 1;
      if (run->alerts != NULL)
        fw_alert_engine_set_feed_state (run->alerts, feed->text, FW_FEED_STATE_FAILED, failure);
    }

  if (--run->running == 0)
    fw_close_registry_wait_async (fw_close_registry_get_default (), CLOSE_DEADLINE_MS, NULL,
                                  on_closes_done, run);
}

static gboolean
on_stop_signal (gpointer user_data)
{
  run_stop (user_data);

  return G_SOURCE_CONTINUE;
}

static gboolean on_duration_step (gpointer user_data);

/* g_timeout_add() counts milliseconds in a guint (49.7 days): a longer --duration is waited out
 * in steps towards its deadline. */
static void
arm_duration (Run *run)
{
  gint64 left_ms = (run->deadline_us - g_get_monotonic_time () + 999) / 1000;

  run->duration_id = g_timeout_add ((guint) CLAMP (left_ms, 0, G_MAXINT32), on_duration_step, run);
}

static gboolean
on_duration_step (gpointer user_data)
{
  Run *run = user_data;

  run->duration_id = 0;
  if (g_get_monotonic_time () < run->deadline_us)
    arm_duration (run);
  else
    run_stop (run);

  return G_SOURCE_REMOVE;
}

static void
print_summaries (Run *run)
{
  for (guint i = 0; i < run->feeds->len; i++)
    {
      Feed *feed = g_ptr_array_index (run->feeds, i);
      gboolean first = TRUE;

      if (feed->counted)
        {
          FwLogSource *log = FW_LOG_SOURCE (feed->stream);

          feed->items += fw_log_source_get_line_count (log);
          for (guint level = 0; level < FW_N_LEVELS; level++)
            feed->levels[level] += fw_log_source_get_level_count (log, level);
        }

      g_string_append (run->out, "{\"feed\":");
      fw_append_json_string (run->out, feed->text, strlen (feed->text));
      g_string_append_printf (run->out, ",\"summary\":{\"items\":%" G_GUINT64_FORMAT ",\"levels\":{",
                              feed->items);
      for (guint level = FW_LEVEL_TRACE; level < FW_N_LEVELS; level++)
        {
          g_string_append_printf (run->out, "%s\"%s\":%" G_GUINT64_FORMAT, first ? "" : ",",
                                  fw_level_to_string (level), feed->levels[level]);
          first = FALSE;
        }
      g_string_append_printf (run->out, "},\"status\":%" G_GUINT64_FORMAT "}}\n", feed->status);
    }
}

/* The rules of --alert and --alerts, in one engine; NULL with @error when there are none */
static FwAlertEngine *
load_alert_rules (const FwPrintOptions  *options,
                  GError               **error)
{
  g_autoptr(FwAlertEngine) engine = fw_alert_engine_new ();

  for (guint i = 0; options->alerts != NULL && options->alerts[i] != NULL; i++)
    {
      g_autoptr(FwAlertRule) rule = fw_alert_rule_parse (options->alerts[i], error);

      if (rule == NULL)
        return NULL;
      fw_alert_engine_add_rule (engine, rule);
    }

  if (options->alerts_file != NULL)
    {
      g_autofree char *contents = NULL;
      g_autofree char *name = g_filename_display_name (options->alerts_file);
      g_autoptr(GError) local = NULL;
      g_autoptr(GPtrArray) rules = NULL;

      if (!g_file_get_contents (options->alerts_file, &contents, NULL, &local))
        {
          g_set_error (error, local->domain, local->code,
                       _("cannot read the alert rules: %s; check the path given to --alerts"),
                       local->message);
          return NULL;
        }
      rules = fw_alert_rule_parse_lines (contents, name, error);
      if (rules == NULL)
        return NULL;
      for (guint i = 0; i < rules->len; i++)
        fw_alert_engine_add_rule (engine, g_ptr_array_index (rules, i));
    }

  return g_steal_pointer (&engine);
}

/* A bare path to a recording (`feedwatch incident.jsonl.zst`) is replayed, not followed as a
 * log. Returns: (transfer full) (nullable): the replay feed, or %NULL for @text as it is */
static char *
replay_for_path (const char *text)
{
  g_autoptr(FwFeedSpec) spec = fw_feed_spec_parse (text, NULL);

  if (spec == NULL || !g_str_equal (spec->kind, "file") ||
      g_str_has_prefix (text, "file:") || !fw_recording_path_is_recording (spec->target))
    return NULL;
  return g_strconcat ("replay:", text, NULL);
}

/* The header names every feed, masked, with the title the window would give it */
static gboolean
start_recording (Run                  *run,
                 const FwPrintOptions *options)
{
  g_autoptr(GError) error = NULL;

  run->recorder = fw_recording_writer_new (options->record);
  fw_recording_writer_set_max_size (run->recorder, options->record_max_size);
  fw_recording_writer_set_max_duration (run->recorder,
                                        (gint64) (options->record_max_duration * G_USEC_PER_SEC));
  for (guint i = 0; i < run->feeds->len; i++)
    {
      Feed *feed = g_ptr_array_index (run->feeds, i);
      g_autoptr(FwFeedSpec) spec = fw_feed_spec_parse (feed->spec, NULL);
      g_autofree char *title = spec != NULL ? fw_feed_default_title (spec) : NULL;

      fw_recording_writer_add_feed (run->recorder, feed->spec, title, NULL);
    }
  if (!fw_recording_writer_start (run->recorder, &error))
    {
      print_error (_("%s; choose a folder you may write to, with room"), error->message);
      g_clear_object (&run->recorder);
      return FALSE;
    }
  return TRUE;
}

static void
finish_recording (Run *run)
{
  g_autoptr(GError) error = NULL;
  guint64 dropped;

  if (!fw_recording_writer_close (run->recorder, &error))
    {
      print_error (_("the recording is incomplete: %s"), error->message);
      run->exit_status = MAX (run->exit_status, 1);
    }
  else if ((dropped = fw_recording_writer_get_n_dropped (run->recorder)) > 0)
    print_error (_("the recording left out %" PRIu64 " items: the disk did not keep "
                   "up with the feeds"), dropped);
  if (run->options->stats)
    /* TRANSLATORS: --stats: items, bytes and files written; the plural follows the items */
    print_error (ngettext ("recorded %" PRIu64 " item, %" PRIu64 " bytes in %u files",
                           "recorded %" PRIu64 " items, %" PRIu64 " bytes in %u files",
                           fw_recording_writer_get_n_written (run->recorder)),
                 fw_recording_writer_get_n_written (run->recorder),
                 fw_recording_writer_get_bytes (run->recorder),
                 fw_recording_writer_get_n_files (run->recorder));
  g_clear_object (&run->recorder);
}

/**
 * fw_print_run:
 * @feeds: the feeds, as the user wrote them
 *
 * Returns: the exit status: 0, 1 when a feed failed while running, 2 when a feed or an alert
 *   rule was not understood (nothing is started then), 3 when an alert fired
 */
int
fw_print_run (const char * const   *feeds,
              const FwPrintOptions *options)
{
  Run run = { 0 };
  guint sigint_id, sigterm_id;
  FwFeedOpenFlags flags = options->once ? FW_FEED_OPEN_ONCE : FW_FEED_OPEN_NONE;

  if (feeds == NULL || feeds[0] == NULL)
    {
      print_error (_("--print and --record need at least one feed, e.g. "
                     "“feedwatch --print sim:sensor”"));
      return 2;
    }

  if (options->alerts != NULL || options->alerts_file != NULL)
    {
      g_autoptr(GError) error = NULL;

      run.alerts = load_alert_rules (options, &error);
      if (run.alerts == NULL)
        {
          print_error ("%s", error->message);
          return 2;
        }
      fw_alert_engine_set_func (run.alerts, on_alert, &run, NULL);
    }

  run.options = options;
  run.feeds = g_ptr_array_new_with_free_func ((GDestroyNotify) feed_free);
  run.out = g_string_sized_new (FLUSH_THRESHOLD + 4096);

  /* Understand every feed before starting any: a typo should not half-start a run. */
  for (guint i = 0; feeds[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *replay = replay_for_path (feeds[i]);
      const char *text = replay != NULL ? replay : feeds[i];
      FwStream *stream = fw_feed_open (text, flags, &error);
      Feed *feed;

      if (stream == NULL)
        {
          print_error ("%s", error->message);
          g_ptr_array_unref (run.feeds);
          g_string_free (run.out, TRUE);
          g_clear_object (&run.alerts);
          return 2;
        }

      feed = g_new0 (Feed, 1);
      feed->run = &run;
      feed->text = fw_feed_spec_redact (text);
      feed->spec = g_strdup (text);
      feed->stream = stream;
      /* Counts alone need no items: a log file is then read at the speed of splitting it. */
      if (options->summary && !options->print && options->count == 0 && !options->stats &&
          run.alerts == NULL && options->record == NULL &&
          FW_IS_LOG_SOURCE (stream))
        {
          fw_log_source_set_count_only (FW_LOG_SOURCE (stream), TRUE);
          feed->counted = TRUE;
        }
      g_ptr_array_add (run.feeds, feed);
      /* Its silence counts from the start */
      if (run.alerts != NULL)
        fw_alert_engine_watch_feed (run.alerts, feed->text, NULL);
    }

  if (options->record != NULL && !start_recording (&run, options))
    {
      g_ptr_array_unref (run.feeds);
      g_string_free (run.out, TRUE);
      return 2;
    }

  /* Write errors are handled where they happen. */
  signal (SIGPIPE, SIG_IGN);
#ifdef M_TRIM_THRESHOLD
  /* A fast feed's items live in blocks freed before its next read: by default glibc gives the
   * heap's top back to the system each time, and the next read faults it in again. */
  mallopt (M_TRIM_THRESHOLD, 16 * 1024 * 1024);
#endif

  run.loop = g_main_loop_new (NULL, FALSE);
  if (run.alerts != NULL)
    fw_alert_engine_attach (run.alerts, NULL);
  run.cancellable = g_cancellable_new ();
  sigint_id = g_unix_signal_add (SIGINT, on_stop_signal, &run);
  sigterm_id = g_unix_signal_add (SIGTERM, on_stop_signal, &run);
  /* main() refuses what is not in 0…FW_PRINT_MAX_DURATION, NaN included */
  if (options->duration > 0 && options->duration <= FW_PRINT_MAX_DURATION)
    {
      run.deadline_us = g_get_monotonic_time ()
                        + (gint64) ceil (options->duration * G_USEC_PER_SEC);
      arm_duration (&run);
    }

  for (guint i = 0; i < run.feeds->len; i++)
    {
      Feed *feed = g_ptr_array_index (run.feeds, i);

      run.running++;
      fw_stream_for_each_async (feed->stream, 0, on_item, feed, NULL, run.cancellable,
                                on_loop_done, feed);
    }

  if (options->stats)
    {
      run.lag = fw_loop_monitor_new (100, 600);
      fw_loop_monitor_start (run.lag);
    }
  run.started_us = g_get_monotonic_time ();

  g_main_loop_run (run.loop);

  if (run.lag != NULL)
    {
      g_autofree char *lag = fw_loop_monitor_format (run.lag);
      double seconds = (g_get_monotonic_time () - run.started_us) / 1e6;

      fw_loop_monitor_stop (run.lag);
      /* TRANSLATORS: --stats: the items read, the seconds they took, the rate, then the
       * main loop's lag */
      print_error (ngettext ("%" PRId64 " item in %.2f s (%.0f items/s); %s",
                             "%" PRId64 " items in %.2f s (%.0f items/s); %s", run.total),
                   run.total, seconds, run.total / MAX (seconds, 1e-6), lag);
      g_clear_object (&run.lag);
    }

  if (run.recorder != NULL)
    finish_recording (&run);
  if (run.flush_id != 0)
    g_source_remove (run.flush_id);
  if (options->summary)
    print_summaries (&run);
  run_flush (&run);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  if (run.duration_id != 0)
    g_source_remove (run.duration_id);

  if (run.alert_fired)
    run.exit_status = FW_PRINT_EXIT_ALERT;
  g_clear_object (&run.alerts);
  g_ptr_array_unref (run.feeds);
  g_string_free (run.out, TRUE);
  g_main_loop_unref (run.loop);
  g_object_unref (run.cancellable);

  return run.exit_status;
}
