/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-window.c: the window itself, under a synthetic flood (run under Xvfb by run-bench.sh).
 *
 * 1. Ingestion: a generator feeds the window at rising rates, 3 s each after a warm-up; for
 *    each rate we report what the window took in, frames drawn, and the lag probe's p50, p99
 *    and maximum (the window's own FwLoopMonitor). The answer is the highest rate whose p99,
 *    and every lower rate's, stays within one frame (16 ms) with the view still following.
 * 2. Memory: resident memory of the whole process with the window's history filled to its cap
 *    (100,000 and 1,000,000 items of 80 characters), less the same window empty, per item.
 * 3. Recording overhead (--recording): a flood as fast as the window takes it, without and
 *    with the window recording all feeds (win.start-recording, to a temporary file), runs
 *    alternating; medians of items/s, of main-thread CPU per item (all of it, and outside the
 *    frames' layout and paint, which a window given less of the cores by the machine's load
 *    spreads over fewer items), and the recorder's own handler's CPU per item. Each recording
 *    is read back and must hold every item handed to it but those its writer counted as
 *    dropped.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib/gstdio.h>

#include "fw-history.h"
#include "fw-loop-monitor.h"
#include "fw-recording-reader.h"
#include "fw-window-private.h"

#define TICK_MS  5
#define TEXT_LEN 80

typedef struct
{
  GRefString *feed;
  FwStream   *stream;
  GSource    *timer;
  guint       rate;       /* items/s; 0: as many as the window asks for, whenever it is idle */
  guint       max_items;
  gint64      start;
  guint64     n;
} Flood;

static FwItem *
make_item (GRefString *feed,
           guint64     i)
{
  static const FwLevel levels[] = { FW_LEVEL_INFO, FW_LEVEL_DEBUG, FW_LEVEL_WARNING, FW_LEVEL_ERROR };
  char text[TEXT_LEN + 1];
  FwItem *item;

  g_snprintf (text, sizeof text, "%010" G_GUINT64_FORMAT " %-69s", i,
              "GET /api/v1/items?page=42 200 OK 1532 bytes in 3.2 ms from 10.0.0.7");
  item = fw_item_new (FW_ITEM_LINE, feed, g_get_real_time (), text, TEXT_LEN);
  fw_item_set_level (item, levels[i % G_N_ELEMENTS (levels)]);

  return item;
}

static gboolean
on_flood_tick (gpointer data)
{
  Flood *flood = data;
  gint64 now = g_get_monotonic_time ();
  guint64 due;

  /* What a real feed would have sent by now: a loop that fell behind finds more waiting, as
   * with a socket or a file, rather than a source that slows down with it. */
  if (flood->start == 0)
    flood->start = now;
  if (flood->rate > 0)
    due = (guint64) ((now - flood->start) * (double) flood->rate / G_USEC_PER_SEC) + 1;
  else
    due = flood->n + flood->max_items;
  g_clear_pointer (&flood->timer, g_source_unref);
  while (flood->n < due)
    fw_stream_yield (flood->stream, make_item (flood->feed, flood->n++));
  fw_stream_pull_done (flood->stream);

  return G_SOURCE_REMOVE;
}

static void
flood_step (FwStream     *stream,
            guint         max_items,
            GCancellable *cancellable,
            gpointer      state)
{
  Flood *flood = state;

  flood->stream = stream;
  flood->max_items = max_items;
  /* At the idle priority, a flood without a rate leaves the frames (a higher one) their turn */
  flood->timer = flood->rate > 0 ? g_timeout_source_new (TICK_MS) : g_idle_source_new ();
  g_source_set_callback (flood->timer, on_flood_tick, flood, NULL);
  g_source_attach (flood->timer, fw_stream_get_context (stream));
}

static void
flood_cleanup (gpointer state,
               gboolean started)
{
  Flood *flood = state;

  if (flood->timer != NULL)
    {
      g_source_destroy (flood->timer);
      g_source_unref (flood->timer);
    }
  g_ref_string_release (flood->feed);
  g_free (flood);
}

static gboolean
on_time_up (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
run_for (guint ms)
{
  gboolean up = FALSE;

  g_timeout_add (ms, on_time_up, &up);
  while (!up)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
count_frame (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  (*(guint *) user_data)++;
  return G_SOURCE_CONTINUE;
}

/* How long each frame's own work takes, from before-paint to the end of after-paint: what
 * the lag probe sees at worst when it falls due just as a frame starts. */
typedef struct
{
  gint64  start;
  gint64  cpu_start;
  gint64  phase[4]; /* CPU time at the ends of update, layout, paint, after-paint */
  GArray *us;
} FrameWork;

static gint64
cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * G_GINT64_CONSTANT (1000000) + ts.tv_nsec / 1000;
}

static void
on_update_done (GdkFrameClock *clock,
                FrameWork     *work)
{
  work->phase[0] = cpu_us ();
}

static void
on_layout_done (GdkFrameClock *clock,
                FrameWork     *work)
{
  work->phase[1] = cpu_us ();
}

static void
on_paint_done (GdkFrameClock *clock,
               FrameWork     *work)
{
  work->phase[2] = cpu_us ();
}

static void
on_before_paint (GdkFrameClock *clock,
                 FrameWork     *work)
{
  work->start = g_get_monotonic_time ();
  work->cpu_start = cpu_us ();
}

static void
on_after_paint (GdkFrameClock *clock,
                FrameWork     *work)
{
  gint64 us = g_get_monotonic_time () - work->start;

  if (work->start != 0)
    g_array_append_val (work->us, us);
  if (work->start != 0 && g_getenv ("FW_BENCH_SLOW") && us > 12000)
    {
      work->phase[3] = cpu_us ();
      g_printerr ("slow frame %u: %.1f ms at %.3f s; CPU ms: update %.1f layout %.1f paint %.1f after %.1f\n",
                  work->us->len, us / 1000.0, work->start / 1e6,
                  (work->phase[0] - work->cpu_start) / 1000.0, (work->phase[1] - work->phase[0]) / 1000.0,
                  (work->phase[2] - work->phase[1]) / 1000.0, (work->phase[3] - work->phase[2]) / 1000.0);
    }
  work->start = 0;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static double
percentile_ms (GArray *us,
               double  p)
{
  if (us->len == 0)
    return 0;
  g_array_sort (us, compare_gint64);
  return g_array_index (us, gint64, MIN ((guint) (p * us->len), us->len - 1)) / 1000.0;
}

static FwWindow *
open_window (GSettings *settings,
             guint      history)
{
  const char *none[] = { NULL };
  FwWindow *window;

  g_settings_set_strv (settings, "feeds", none);
  g_settings_set_boolean (settings, "first-run", FALSE);
  g_settings_set_uint (settings, "history-length", history);
  window = fw_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  run_for (500);

  return window;
}

static void
close_window (FwWindow *window)
{
  GWeakRef weak;
  GObject *alive;

  g_weak_ref_init (&weak, window);
  gtk_window_destroy (GTK_WINDOW (window));
  while ((alive = g_weak_ref_get (&weak)) != NULL)
    {
      g_object_unref (alive);
      g_main_context_iteration (NULL, TRUE);
    }
  g_weak_ref_clear (&weak);
  run_for (200);
}

static FwFeedRunner *
add_flood (FwWindow *window,
           guint     rate)
{
  Flood *flood = g_new0 (Flood, 1);
  g_autoptr(FwStream) stream = NULL;
  FwFeedRunner *runner;

  flood->feed = fw_ref_string_intern ("bench:flood");
  flood->rate = rate;
  stream = fw_generator_new ("flood", flood_step, flood, flood_cleanup);
  runner = fw_feed_runner_new_for_stream ("bench:flood", stream);
  fw_window_add_runner (window, runner, FALSE);

  return runner;
}

static guint64
resident_bytes (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmRSS:")) == NULL)
    return 0;
  return g_ascii_strtoull (line + 6, NULL, 10) * 1024;
}

static void
ingestion (GSettings *settings)
{
  guint rates[] = { 25000, 50000, 100000, 200000, 400000, 800000 };
  guint n_rates = G_N_ELEMENTS (rates);
  guint best = 0;
  gboolean smooth = TRUE;

  /* FW_BENCH_RATE=N measures one rate alone (for profiling) */
  if (g_getenv ("FW_BENCH_RATE") != NULL)
    {
      rates[0] = (guint) g_ascii_strtoull (g_getenv ("FW_BENCH_RATE"), NULL, 10);
      n_rates = 1;
    }

  printf ("| offered items/s | ingested items/s | frames/s | lag p50 | lag p99 | lag max | frame work p50 | frame work p99 |\n");
  printf ("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
  for (guint r = 0; r < n_rates; r++)
    {
      FwWindow *window = open_window (settings, 100000);
      FwHistory *history = fw_window_get_history (window);
      FwLoopMonitor *lag = fw_window_get_loop_monitor (window);
      g_autoptr(FwFeedRunner) runner = add_flood (window, rates[r]);
      GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
      FrameWork work = { .us = g_array_new (FALSE, FALSE, sizeof (gint64)) };
      gulong before_id, after_id;
      guint frames = 0, tick;
      guint64 before;
      gint64 start;
      double seconds, ingested, p99;
      gboolean following;

      run_for (1000);
      fw_loop_monitor_reset (lag);
      tick = gtk_widget_add_tick_callback (GTK_WIDGET (window), count_frame, &frames, NULL);
      before_id = g_signal_connect (clock, "before-paint", G_CALLBACK (on_before_paint), &work);
      after_id = g_signal_connect_after (clock, "after-paint", G_CALLBACK (on_after_paint), &work);
      g_signal_connect_after (clock, "update", G_CALLBACK (on_update_done), &work);
      g_signal_connect_after (clock, "layout", G_CALLBACK (on_layout_done), &work);
      g_signal_connect_after (clock, "paint", G_CALLBACK (on_paint_done), &work);
      before = fw_history_get_n_total (history);
      start = g_get_monotonic_time ();
      run_for (3000);
      seconds = (g_get_monotonic_time () - start) / 1e6;
      gtk_widget_remove_tick_callback (GTK_WIDGET (window), tick);
      g_signal_handler_disconnect (clock, before_id);
      g_signal_handler_disconnect (clock, after_id);
      ingested = (fw_history_get_n_total (history) - before) / seconds;
      p99 = fw_loop_monitor_get_lag_p99_us (lag) / 1000.0;
      /* A view that stopped following draws nothing new: cheap, and not what is measured */
      following = fw_window_is_following (window) && !fw_history_get_frozen (history);
      printf ("| %u | %.0f | %.0f | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.1f ms |%s\n", rates[r], ingested,
              frames / seconds, fw_loop_monitor_get_lag_p50_us (lag) / 1000.0, p99,
              fw_loop_monitor_get_lag_max_us (lag) / 1000.0, percentile_ms (work.us, 0.5),
              percentile_ms (work.us, 0.99), following ? "" : " view stopped following |");
      g_array_unref (work.us);
      fflush (stdout);
      /* The answer: the highest rate below which every rate was smooth too */
      if (smooth && p99 <= 16.0 && ingested >= 0.95 * rates[r] && following)
        best = MAX (best, (guint) ingested);
      else
        smooth = FALSE;
      close_window (window);
    }
  printf ("\nHighest rate ingested with lag p99 within 16 ms, at it and every lower rate: %u items/s (target 200,000)\n", best);
}

/* One cap per process, so memory freed by an earlier measurement does not hide this one. */
static void
memory (GSettings *settings,
        guint      cap)
{
  static const guint caps[1] = { 0 };
  GRefString *feed = fw_ref_string_intern ("bench:memory");

  for (guint c = 0; c < G_N_ELEMENTS (caps); c++)
    {
      FwWindow *window = open_window (settings, cap);
      FwHistory *history = fw_window_get_history (window);
      guint64 empty, full;

      run_for (300);
      empty = resident_bytes ();
      /* Twice the cap: the history drops the oldest, as it would after hours of use */
      for (guint64 i = 0; i < 2ull * cap;)
        {
          FwItem *batch[1024];
          guint n = 0;

          for (; n < G_N_ELEMENTS (batch); n++, i++)
            batch[n] = make_item (feed, i);
          fw_history_append (history, batch, n);
          for (guint k = 0; k < n; k++)
            fw_item_unref (batch[k]);
          if (i % (64 * 1024) == 0)
            g_main_context_iteration (NULL, FALSE);
        }
      run_for (500);
      full = resident_bytes ();
      printf ("| %u | %.1f MB | %.0f |\n", cap, (full - empty) / 1e6, (double) (full - empty) / cap);
      fflush (stdout);
      close_window (window);
    }
  g_ref_string_release (feed);
}

/* ---------------------------------------------------------------------------------------- */
/* Recording overhead */

#define RECORD_RUNS       5
#define RECORD_WARMUP_MS  1000
#define RECORD_MEASURE_MS 3000

typedef struct
{
  FwWindow *window;
  guint64   n;           /* items the feed handed to the window */
  guint64   n_recorded;  /* of them, while the window's recorder took them */
  gint64    mark_ns;
  gint64    between_ns;  /* CPU between the first handler and the last: the recorder's */
  gint64    draw_mark_ns;
  gint64    draw_ns;     /* CPU of the frames' layout and paint: drawing, whatever came in */
} Count;

typedef struct
{
  double  items_s;
  double  cpu_ns;        /* main thread CPU per item */
  double  handover_ns;   /* of it, in the runner's "items" handlers after the window's */
  double  ingest_ns;     /* of it, outside the frames' layout and paint */
  guint64 handed;        /* items the recorder was given */
  guint64 dropped;       /* of them, counted as dropped by its writer */
  guint64 read_back;     /* items the recording holds, read back */
  guint64 bytes;
  double  close_s;
  gboolean following;
} RecordRun;

static gint64
cpu_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

/* Connected before the recorder's handler, and after it: what is in between is its cost */
static void
on_items_counted (FwFeedRunner *runner,
                  GPtrArray    *batch,
                  Count        *count)
{
  FwRecorder *recorder = count->window->recorder;

  count->mark_ns = cpu_ns ();
  count->n += batch->len;
  /* The recorder takes a runner's batches exactly while it runs */
  if (recorder != NULL && fw_recorder_get_running (recorder))
    count->n_recorded += batch->len;
}

static void
on_draw_start (GdkFrameClock *clock,
               Count         *count)
{
  count->draw_mark_ns = cpu_ns ();
}

static void
on_draw_done (GdkFrameClock *clock,
              Count         *count)
{
  if (count->draw_mark_ns != 0)
    count->draw_ns += cpu_ns () - count->draw_mark_ns;
  count->draw_mark_ns = 0;
}

static void
on_items_handed (FwFeedRunner *runner,
                 GPtrArray    *batch,
                 Count        *count)
{
  count->between_ns += cpu_ns () - count->mark_ns;
}

static double
load_average (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return 0;
  return g_ascii_strtod (text, NULL);
}

/* Every item of every part of the recording, and that it was closed whole */
static guint64
read_back (FwRecordingWriter *writer)
{
  guint64 n = 0;

  for (guint part = 1; part <= fw_recording_writer_get_n_files (writer); part++)
    {
      g_autofree char *path = fw_recording_writer_get_path_of_part (writer, part);
      g_autoptr(GError) error = NULL;
      g_autoptr(FwRecordingReader) reader = fw_recording_reader_open (path, &error);
      g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);

      if (reader == NULL || fw_recording_reader_is_truncated (reader))
        {
          g_printerr ("bench-window: the recording “%s” is not whole: %s\n", path,
                      error != NULL ? error->message : "it has no index");
          exit (1);
        }
      do
        {
          g_ptr_array_set_size (items, 0);
          if (!fw_recording_reader_read (reader, items, 4096, &error))
            {
              g_printerr ("bench-window: cannot read back “%s”: %s\n", path, error->message);
              exit (1);
            }
          n += items->len;
        }
      while (items->len > 0);
      if (fw_recording_reader_get_n_invalid (reader, NULL) > 0)
        {
          g_printerr ("bench-window: the recording “%s” has lines that are no items\n", path);
          exit (1);
        }
      g_unlink (path);
    }
  return n;
}

/* One window, one flood (@rate items/s, 0: as fast as it takes them); @path NULL without
 * recording */
static RecordRun
record_run (GSettings  *settings,
            guint       rate,
            const char *path)
{
  FwWindow *window = open_window (settings, 100000);
  g_autoptr(FwFeedRunner) runner = add_flood (window, rate);
  g_autoptr(FwRecorder) recorder = NULL;
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  Count count = { window, 0, 0, 0, 0, 0, 0 };
  RecordRun run = { 0 };
  gulong counted, handed, update_id, paint_id;
  gint64 between, drawn;
  guint64 before;
  gint64 start, cpu_start;
  double seconds;

  counted = g_signal_connect (runner, "items", G_CALLBACK (on_items_counted), &count);
  handed = g_signal_connect_after (runner, "items", G_CALLBACK (on_items_handed), &count);
  /* Drawing costs each frame much the same, however many items came in since the last one: a
   * window with less of the cores (the machine's load) draws as often for fewer items */
  update_id = g_signal_connect_after (clock, "update", G_CALLBACK (on_draw_start), &count);
  paint_id = g_signal_connect_after (clock, "paint", G_CALLBACK (on_draw_done), &count);
  if (path != NULL)
    {
      const char *all[] = { NULL };
      gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

      /* As the Record button's file chooser ends: all feeds, to @path */
      if (!gtk_widget_activate_action (GTK_WIDGET (window), "win.start-recording", "(s^as)",
                                       path, all))
        g_error ("the window has no win.start-recording action");
      while (window->recorder == NULL || !fw_recorder_get_running (window->recorder))
        {
          if (window->recorder == NULL || g_get_monotonic_time () > deadline)
            g_error ("the window did not start recording to “%s”", path);
          g_main_context_iteration (NULL, TRUE);
        }
      recorder = g_object_ref (window->recorder);
    }

  run_for (RECORD_WARMUP_MS);
  before = count.n;
  between = count.between_ns;
  drawn = count.draw_ns;
  cpu_start = cpu_us ();
  start = g_get_monotonic_time ();
  run_for (RECORD_MEASURE_MS);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  run.items_s = (count.n - before) / seconds;
  run.cpu_ns = (cpu_us () - cpu_start) * 1e3 / MAX (count.n - before, 1);
  run.handover_ns = (double) (count.between_ns - between) / MAX (count.n - before, 1);
  run.ingest_ns = run.cpu_ns - (double) (count.draw_ns - drawn) / MAX (count.n - before, 1);
  run.following = fw_window_is_following (window) &&
                  !fw_history_get_frozen (fw_window_get_history (window));

  if (recorder != NULL)
    {
      FwRecordingWriter *writer = fw_recorder_get_writer (recorder);

      gtk_widget_activate_action (GTK_WIDGET (window), "win.stop-recording", NULL);
      /* The window closes the file in a worker thread; this waits for that close */
      start = g_get_monotonic_time ();
      fw_recorder_stop (recorder);
      run.close_s = (g_get_monotonic_time () - start) / 1e6;
      run.handed = count.n_recorded;
      run.dropped = fw_recording_writer_get_n_dropped (writer);
      run.bytes = fw_recording_writer_get_bytes (writer);
      run.read_back = read_back (writer);
      if (run.read_back == 0 || run.read_back != run.handed - run.dropped)
        {
          g_printerr ("bench-window: the recording holds %" G_GUINT64_FORMAT " items, not the %"
                      G_GUINT64_FORMAT " handed to it less %" G_GUINT64_FORMAT " dropped\n",
                      run.read_back, run.handed, run.dropped);
          exit (1);
        }
    }
  g_signal_handler_disconnect (runner, counted);
  g_signal_handler_disconnect (runner, handed);
  g_signal_handler_disconnect (clock, update_id);
  g_signal_handler_disconnect (clock, paint_id);
  close_window (window);

  return run;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* The median of one field of the runs */
static double
median (RecordRun *runs,
        gsize      offset)
{
  double values[RECORD_RUNS];

  for (guint i = 0; i < RECORD_RUNS; i++)
    values[i] = G_STRUCT_MEMBER (double, &runs[i], offset);
  qsort (values, RECORD_RUNS, sizeof *values, compare_doubles);
  return values[RECORD_RUNS / 2];
}

static void
print_runs (const char *name,
            RecordRun  *runs)
{
  printf ("%s: ", name);
  for (guint i = 0; i < RECORD_RUNS; i++)
    printf ("%s%.0f", i > 0 ? ", " : "", runs[i].items_s);
  printf (" items/s\n");
}

typedef struct
{
  guint64 handed, dropped, back, bytes;
  double  close_s;
} Totals;

/* Runs alternating without and with recording, so that what else the machine does treats both
 * alike, and prints their medians; FW_BENCH_RECORD=without or =with runs one kind alone (for
 * profiling) */
static void
compare (GSettings  *settings,
         guint       rate,
         const char *path,
         Totals     *totals)
{
  RecordRun plain[RECORD_RUNS], rec[RECORD_RUNS];
  const char *only = g_getenv ("FW_BENCH_RECORD");
  const RecordRun skipped = { 1, 1, .following = TRUE };
  double plain_s, rec_s, cpu_plain, cpu_rec, ingest_plain, ingest_rec, handover;
  gboolean following = TRUE;

  for (guint i = 0; i < RECORD_RUNS; i++)
    {
      plain[i] = g_strcmp0 (only, "with") != 0 ? record_run (settings, rate, NULL) : skipped;
      rec[i] = g_strcmp0 (only, "without") != 0 ? record_run (settings, rate, path) : skipped;
      totals->handed += rec[i].handed;
      totals->dropped += rec[i].dropped;
      totals->back += rec[i].read_back;
      totals->bytes += rec[i].bytes;
      totals->close_s = MAX (totals->close_s, rec[i].close_s);
      following = following && plain[i].following && rec[i].following;
    }

  plain_s = median (plain, G_STRUCT_OFFSET (RecordRun, items_s));
  rec_s = median (rec, G_STRUCT_OFFSET (RecordRun, items_s));
  cpu_plain = median (plain, G_STRUCT_OFFSET (RecordRun, cpu_ns));
  cpu_rec = median (rec, G_STRUCT_OFFSET (RecordRun, cpu_ns));
  ingest_plain = median (plain, G_STRUCT_OFFSET (RecordRun, ingest_ns));
  ingest_rec = median (rec, G_STRUCT_OFFSET (RecordRun, ingest_ns));
  /* Less what the same two handlers measure with nothing between them */
  handover = median (rec, G_STRUCT_OFFSET (RecordRun, handover_ns)) -
             median (plain, G_STRUCT_OFFSET (RecordRun, handover_ns));

  printf ("\n");
  print_runs ("Runs without recording", plain);
  print_runs ("Runs with recording", rec);
  printf ("\n| run (median of %d)%31s | %12s | %24s | %20s | %28s |\n", RECORD_RUNS, "", "items/s",
          "main-thread CPU per item", "items per CPU second", "of it, outside layout+paint");
  printf ("| :--- | ---: | ---: | ---: | ---: |\n");
  printf ("| %-48s | %12.0f | %21.0f ns | %20.0f | %25.0f ns |\n", "without recording", plain_s,
          cpu_plain, 1e9 / cpu_plain, ingest_plain);
  printf ("| %-48s | %12.0f | %21.0f ns | %20.0f | %25.0f ns |\n",
          "with recording (all feeds, to a temporary file)", rec_s, cpu_rec, 1e9 / cpu_rec,
          ingest_rec);
  printf ("| %-48s | %12.3f | %24.3f | %20.3f | %28.3f |\n", "ratio, with / without",
          rec_s / plain_s, cpu_rec / cpu_plain, cpu_plain / cpu_rec, ingest_rec / ingest_plain);
  printf ("\nCost of recording to the ingest rate: %.1f %% in items/s, %.1f %% in items per "
          "main-thread CPU second, %.1f %% outside drawing (goal ≤ 10 %%).%s\n",
          100.0 * (1 - rec_s / plain_s), 100.0 * (1 - cpu_plain / cpu_rec),
          100.0 * (1 - ingest_plain / ingest_rec),
          following ? "" : " A view stopped following in some run.");
  printf ("Handing the items to the recording on the main thread (the recorder's \"items\" "
          "handler): %.0f ns per item, %.1f %% of the main thread's CPU per item without "
          "recording.\n", handover, 100.0 * handover / cpu_plain);
  fflush (stdout);
}

static void
recording (GSettings *settings)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fw-bench-window-XXXXXX", &error);
  g_autofree char *path = NULL;
  double load_start = load_average ();
  Totals totals = { 0 };

  g_assert_no_error (error);
  path = g_build_filename (dir, "flood.jsonl.zst", NULL);
  compare (settings, 0, path, &totals);
  g_rmdir (dir);

  printf ("\nRead back from the %d recordings: %" G_GUINT64_FORMAT " items = %" G_GUINT64_FORMAT
          " handed to the recorder − %" G_GUINT64_FORMAT " dropped by its writer (%.1f %%); "
          "%.1f MB written; closing took %.2f s at most.\n", RECORD_RUNS, totals.back,
          totals.handed, totals.dropped, 100.0 * totals.dropped / MAX (totals.handed, 1),
          totals.bytes / 1e6, totals.close_s);
  printf ("Load average %.2f at the start, %.2f at the end, on %u cores.\n", load_start,
          load_average (), g_get_num_processors ());
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GSettings) settings = NULL;

  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_init ();
  adw_init ();
  settings = g_settings_new (APP_ID);

  if (argc == 3 && g_str_equal (argv[1], "--memory"))
    {
      memory (settings, (guint) g_ascii_strtoull (argv[2], NULL, 10));
      return 0;
    }
  if (argc == 2 && g_str_equal (argv[1], "--recording"))
    {
      printf ("Window %dx%d under Xvfb, GSK renderer %s, accessibility %s; a generator giving "
              "the window as many items as it asks for, at the idle priority (frames keep "
              "theirs); %d s warm-up, %d s measured, %d runs each way, "
              "alternating.\n",
              1280, 800, g_getenv ("GSK_RENDERER") ?: "default",
              g_strcmp0 (g_getenv ("GTK_A11Y"), "none") == 0 ? "off" : "on (AT-SPI bus)",
              RECORD_WARMUP_MS / 1000,
              RECORD_MEASURE_MS / 1000, RECORD_RUNS);
      fflush (stdout);
      recording (settings);
      return 0;
    }

  printf ("Window %dx%d under Xvfb, GSK renderer %s, accessibility %s; a generator offering "
          "items at a steady rate, checked every %d ms.\n\n", 1280, 800,
          g_getenv ("GSK_RENDERER") ?: "default",
          g_strcmp0 (g_getenv ("GTK_A11Y"), "none") == 0 ? "off" : "on (AT-SPI bus)", TICK_MS);
  ingestion (settings);

  return 0;
}
