/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-recording.c: recordings against their peers, in one run.
 *
 * 1. Recording overhead: a log file flooded through a for_each loop (as --print's), with and
 *    without fw_recording_writer_add() per item; what the writer thread wrote and dropped.
 * 2. Replay: a recording of FW_BENCH_RECORDING_MB uncompressed megabytes (default 256; the
 *    1 GB takes minutes on a shared 2-core machine) replayed at speed=max into
 *    `feedwatch --summary`, beside `zstdcat FILE | wc -l` and Python's zstandard + json.loads
 *    per line.
 * 3. Seek to the middle: from opening `replay:FILE?from=MIDDLE` to its first item.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib/gstdio.h>

#include "fw-streams.h"
#include "fw-recording-reader.h"
#include "fw-recording-writer.h"

#define T0 G_GINT64_CONSTANT (1795000000000000)

static guint64
env_uint (const char *name,
          guint64     fallback)
{
  const char *value = g_getenv (name);

  return value != NULL && value[0] != '\0' ? g_ascii_strtoull (value, NULL, 10) : fallback;
}

static double
now_s (void)
{
  return g_get_monotonic_time () / 1e6;
}

/* Runs a shell command; returns its wall time, its stdout in @out */
static double
run_shell (const char  *command,
           char       **out)
{
  const char *argv[] = { "/bin/sh", "-c", command, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  double start = now_s ();

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, &err, &status,
                     &error) || !g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("bench-recording: “%s” failed: %s\n%s", command,
                  error != NULL ? error->message : "", err != NULL ? err : "");
      exit (1);
    }
  return now_s () - start;
}

/* ---------------------------------------------------------------------------------------- */
/* 1. Overhead */

typedef struct
{
  FwRecordingWriter *writer;
  guint64            n;
  gboolean           done;
} Flood;

static gboolean
on_flood_item (FwItem   *item,
               gpointer  user_data)
{
  Flood *flood = user_data;

  flood->n++;
  if (flood->writer != NULL)
    fw_recording_writer_add (flood->writer, item);
  return TRUE;
}

static void
on_flood_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Flood *flood = user_data;

  fw_stream_for_each_finish (FW_STREAM (object), result, NULL);
  flood->done = TRUE;
}

static double
thread_cpu_s (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Returns the wall time; *@cpu the calling (ingesting) thread's CPU time */
static double
flood_once (const char        *log,
            FwRecordingWriter *writer,
            guint64           *n,
            double            *cpu)
{
  double cpu_start = thread_cpu_s ();
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = fw_feed_open (log, FW_FEED_OPEN_ONCE, &error);
  Flood flood = { writer, 0, FALSE };
  double start = now_s ();

  g_assert_no_error (error);
  fw_stream_for_each_async (stream, 0, on_flood_item, &flood, NULL, NULL, on_flood_done, &flood);
  while (!flood.done)
    g_main_context_iteration (NULL, TRUE);
  *n = flood.n;
  *cpu = thread_cpu_s () - cpu_start;
  return now_s () - start;
}

static void
generate_log (const char *path,
              guint       lines)
{
  g_autoptr(GString) text = g_string_sized_new (lines * 80);

  for (guint i = 0; i < lines; i++)
    g_string_append_printf (text, "2026-11-22T03:12:%02u.%06u host app[%u]: %s request %u "
                            "served in %u ms\n", i / 1000 % 60, i % 1000000, 1000 + i % 7,
                            i % 50 == 0 ? "ERROR" : "INFO", i, i % 250);
  g_file_set_contents (path, text->str, text->len, NULL);
}

static void
bench_overhead (const char *dir)
{
  g_autofree char *log = g_build_filename (dir, "flood.log", NULL);
  g_autofree char *rec = g_build_filename (dir, "flood.jsonl.zst", NULL);
  guint lines = (guint) env_uint ("FW_BENCH_FLOOD_LINES", 3000000);
  double plain_s = G_MAXDOUBLE, rec_s = G_MAXDOUBLE, close_s = 0;
  double plain_cpu = G_MAXDOUBLE, rec_cpu = G_MAXDOUBLE, cpu;
  guint64 n = 0, written = 0, dropped = 0, bytes = 0;

  generate_log (log, lines);
  /* Best of three each, alternating, so the page cache and the CPU's clock treat both alike */
  for (guint round = 0; round < 3; round++)
    {
      g_autoptr(FwRecordingWriter) writer = fw_recording_writer_new (rec);
      double s, start;

      plain_s = MIN (plain_s, flood_once (log, NULL, &n, &cpu));
      plain_cpu = MIN (plain_cpu, cpu);
      fw_recording_writer_add_feed (writer, log, NULL, NULL);
      g_assert_true (fw_recording_writer_start (writer, NULL));
      s = flood_once (log, writer, &n, &cpu);
      rec_cpu = MIN (rec_cpu, cpu);
      start = now_s ();
      fw_recording_writer_close (writer, NULL);
      if (s < rec_s)
        {
          rec_s = s;
          close_s = now_s () - start;
          written = fw_recording_writer_get_n_written (writer);
          dropped = fw_recording_writer_get_n_dropped (writer);
          bytes = fw_recording_writer_get_bytes (writer);
        }
    }

  printf ("\n### Recording overhead: a log flood of %" G_GUINT64_FORMAT " lines through a "
          "for_each loop (best of 3)\n\n", n);
  printf ("| %-44s | %16s |\n", "run", "items/s");
  printf ("|%s|%s|\n", "----------------------------------------------", "------------------");
  printf ("| %-44s | %16.0f |\n", "without recording", n / plain_s);
  printf ("| %-44s | %16.0f |\n", "with recording (ingest)", n / rec_s);
  printf ("| %-44s | %16.0f |\n", "recorded (written by the thread, to close)",
          written / (rec_s + close_s));
  printf ("\nOn the ingesting (main) thread: %.0f ns CPU per item without recording, %.0f ns "
          "with: handing items over costs it %.1f %%.", plain_cpu * 1e9 / n, rec_cpu * 1e9 / n,
          100.0 * (rec_cpu / plain_cpu - 1));
  printf ("\nCost to the ingest rate: %.1f %% (goal ≤ 10 %%). Recorded %" G_GUINT64_FORMAT
          ", dropped %"
          G_GUINT64_FORMAT " (the writer thread's share of 2 cores did not keep up); %.1f MB "
          "written, %.2f s to close.\n", 100.0 * (1 - plain_s / rec_s), written, dropped,
          bytes / 1e6, close_s);
  g_unlink (log);
  g_unlink (rec);
}

/* ---------------------------------------------------------------------------------------- */
/* 2. Replay */

static guint64
generate_recording (const char *path,
                    guint64     bytes)
{
  g_autoptr(FwRecordingWriter) writer = fw_recording_writer_new (path);
  g_autoptr(GRefString) cpu = fw_ref_string_intern ("cpu:");
  g_autoptr(GRefString) log = fw_ref_string_intern ("/var/log/app.log");
  g_autoptr(GRefString) sse = fw_ref_string_intern ("sse:https://example.com/events");
  guint64 n = 0, approx = 0;

  fw_recording_writer_add_feed (writer, "cpu:", "Processor", NULL);
  fw_recording_writer_add_feed (writer, "/var/log/app.log", "app.log", NULL);
  fw_recording_writer_add_feed (writer, "sse:https://example.com/events", "Events", NULL);
  g_assert_true (fw_recording_writer_start (writer, NULL));
  while (approx < bytes)
    {
      g_autoptr(FwItem) item = NULL;
      gint64 t = T0 + (gint64) n * 1000;
      char text[160];

      switch (n % 4)
        {
        case 0:
          item = fw_item_new_reading (cpu, t, "cpu", (n % 1000) / 10.0, "%");
          break;
        case 1:
        case 2:
          g_snprintf (text, sizeof text, "2026-11-22T03:12:%02u host app[%u]: request %"
                      G_GUINT64_FORMAT " served in %u ms", (guint) (n % 60),
                      (guint) (1000 + n % 7), n,
                      (guint) (n % 250));
          item = fw_item_new (FW_ITEM_LINE, log, t, text, -1);
          fw_item_set_level (item, n % 50 == 1 ? FW_LEVEL_ERROR : FW_LEVEL_INFO);
          break;
        default:
          g_snprintf (text, sizeof text, "{\"user\":%u,\"action\":\"update\",\"ok\":true}",
                      (guint) (n % 10000));
          item = fw_item_new (FW_ITEM_EVENT, sse, t, text, -1);
          fw_item_set_name (item, "update");
          break;
        }
      /* Made as fast as the thread takes them, none dropped */
      while (!fw_recording_writer_add (writer, item))
        g_usleep (200);
      approx += 110 + item->text_len;
      n++;
    }
  g_assert_true (fw_recording_writer_close (writer, NULL));
  return n;
}

typedef struct
{
  FwItem   *item;
  gboolean  done;
} NextWait;

static void
on_next (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  NextWait *wait = user_data;

  wait->item = fw_stream_next_finish (FW_STREAM (object), result, NULL);
  wait->done = TRUE;
}

static double
median (const double *values,
        guint         n)
{
  double sorted[16];

  g_assert (n <= G_N_ELEMENTS (sorted));
  memcpy (sorted, values, n * sizeof *values);
  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      if (sorted[j] < sorted[i])
        {
          double x = sorted[i];

          sorted[i] = sorted[j];
          sorted[j] = x;
        }
  return sorted[n / 2];
}

static guint64
summary_items (const char *out)
{
  const char *p = strstr (out, "\"items\":");

  return p != NULL ? g_ascii_strtoull (p + 8, NULL, 10) : 0;
}

static void
row (const char *what,
     double      ours,
     const char *peer,
     double      theirs)
{
  printf ("| %-40s | %12.0f | %-40s | %12.0f | %6.2f× |\n", what, ours, peer, theirs,
          ours / theirs);
}

static void
bench_replay (const char *dir)
{
  /* FW_BENCH_RECORDING_KEEP=PATH keeps the recording there, for a profiler */
  const char *keep = g_getenv ("FW_BENCH_RECORDING_KEEP");
  g_autofree char *rec = keep != NULL ? g_strdup (keep)
                                      : g_build_filename (dir, "replay.jsonl.zst", NULL);
  guint64 mb = env_uint ("FW_BENCH_RECORDING_MB", 256);
  const char *feedwatch = g_getenv ("FEEDWATCH_BIN");
  const char *python = g_getenv ("PYTHON") != NULL ? g_getenv ("PYTHON") : "/usr/bin/python3";
  g_autofree char *replay_cmd = NULL, *zstd_cmd = NULL, *py_cmd = NULL;
  g_autofree char *out = NULL, *zout = NULL, *pyout = NULL;
  double gen_s, replay_s, zstd_s, py_s, seek_ms[5], reader_ms[5];
  guint64 n, replayed;
  GStatBuf st;
  gint64 first, last, middle;

  gen_s = now_s ();
  n = generate_recording (rec, mb * 1000 * 1000);
  gen_s = now_s () - gen_s;
  g_stat (rec, &st);

  replay_cmd = g_strdup_printf ("'%s' --summary 'replay:%s?speed=max'", feedwatch, rec);
  replay_s = run_shell (replay_cmd, &out);
  replayed = summary_items (out);
  zstd_cmd = g_strdup_printf ("zstdcat '%s' | wc -l", rec);
  zstd_s = run_shell (zstd_cmd, &zout);
  py_cmd = g_strdup_printf ("'%s' -c 'import sys, io, json, zstandard\n"
                            "n = 0\n"
                            "with open(sys.argv[1], \"rb\") as f:\n"
                            "    r = zstandard.ZstdDecompressor().stream_reader(\n"
                            "        f, read_across_frames=True)\n"
                            "    for line in io.BufferedReader(r, 1 << 20):\n"
                            "        json.loads(line); n += 1\n"
                            "print(n)' '%s'", python, rec);
  py_s = run_shell (py_cmd, &pyout);
  g_assert_cmpuint (replayed, ==, n);
  g_assert_cmpuint (g_ascii_strtoull (zout, NULL, 10), ==, n);
  g_assert_cmpuint (g_ascii_strtoull (pyout, NULL, 10), ==, n);

  /* 3. Seek: to the middle, from opening to the first item; cold each time but for the cache */
  {
    g_autoptr(FwRecordingReader) reader = fw_recording_reader_open (rec, NULL);

    g_assert_true (fw_recording_reader_get_span (reader, &first, &last));
    middle = first + (last - first) / 2;
  }
  for (guint i = 0; i < G_N_ELEMENTS (seek_ms); i++)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (middle / G_USEC_PER_SEC);
      g_autofree char *when = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
      g_autofree char *feed = g_strdup_printf ("replay:%s?speed=max&from=%s", rec, when);
      g_autoptr(FwStream) stream = NULL;
      g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
      double start = now_s ();

      stream = fw_feed_open (feed, FW_FEED_OPEN_NONE, NULL);
      {
        NextWait wait = { NULL, FALSE };

        fw_stream_next_async (stream, NULL, on_next, &wait);
        while (!wait.done)
          g_main_context_iteration (NULL, TRUE);
        seek_ms[i] = (now_s () - start) * 1000;
        g_assert_nonnull (wait.item);
        g_assert_cmpint (wait.item->time_us, >=, middle / G_USEC_PER_SEC * G_USEC_PER_SEC);
        fw_item_unref (wait.item);
      }
      fw_stream_close (stream);

      {
        g_autoptr(FwRecordingReader) reader = NULL;
        double t = now_s ();

        reader = fw_recording_reader_open (rec, NULL);
        fw_recording_reader_seek (reader, middle, NULL);
        fw_recording_reader_read (reader, items, 1, NULL);
        reader_ms[i] = (now_s () - t) * 1000;
        g_assert_cmpuint (items->len, ==, 1);
        g_assert_cmpint (((FwItem *) items->pdata[0])->time_us, >=, middle);
      }
    }

  printf ("\n### Replay of a %" G_GUINT64_FORMAT " MB recording (%" G_GUINT64_FORMAT " items, "
          "%.0f MB compressed, written in %.1f s) at speed=max\n\n", mb, n,
          st.st_size / 1e6, gen_s);
  printf ("| %-40s | %12s | %-40s | %12s | %7s |\n", "Feedwatch", "items/s", "peer", "items/s",
          "ratio");
  printf ("|%s|%s|%s|%s|%s|\n", "------------------------------------------", "--------------",
          "------------------------------------------", "--------------", "---------");
  row ("feedwatch --summary replay:…?speed=max", n / replay_s, "zstdcat FILE | wc -l",
       n / zstd_s);
  row ("feedwatch --summary replay:…?speed=max", n / replay_s, "Python zstandard + json.loads",
       n / py_s);
  printf ("\nSeek to the middle, time to the first item (median of 5): %.2f ms through "
          "replay:…?from= (open, index, first frame), %.2f ms with the reader alone "
          "(goal < 50 ms)\n", median (seek_ms, 5), median (reader_ms, 5));
  printf ("Goals: replay ≥ 0.5× zstdcat | wc -l.\n");
  if (keep == NULL)
    g_unlink (rec);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = g_dir_make_tmp ("fw-bench-recording-XXXXXX", NULL);

  setvbuf (stdout, NULL, _IOLBF, 0);
  if (g_getenv ("FW_BENCH_ONLY_REPLAY") == NULL)
    bench_overhead (dir);
  bench_replay (dir);
  g_rmdir (dir);
  return 0;
}
