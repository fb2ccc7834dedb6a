/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-log.c: the log source against its peers, in one run.
 *
 * 1. Read a generated log (1 GB in /tmp, FW_BENCH_LOG_MB for another size) to its end and
 *    count the ERROR lines: the library (FwLogSource + for_each), `feedwatch --summary --once`,
 *    `grep -c ERROR`, and the reference texts' aiofiles loop (on a prefix: it is slow).
 *    FW_BENCH_ONLY_LIBRARY=1 runs the library read alone and adds its CPU time per line.
 * 2. Follow latency: a writer thread appends 100,000 lines/s for 10 s (FW_BENCH_FOLLOW_S);
 *    each line carries its write time; we report how many arrived and the p99 delay.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "fw-streams.h"
#include "fw-log-source.h"
#include "fw-bench-util.h"

static guint64
env_uint (const char *name,
          guint64     fallback)
{
  const char *value = g_getenv (name);

  return value != NULL && value[0] != '\0' ? g_ascii_strtoull (value, NULL, 10) : fallback;
}

/* ---------------------------------------------------------------------------------------- */
/* The file */

static guint64
generate_log (const char *path,
              guint64     bytes)
{
  static const char *levels[] = { "INFO ", "INFO ", "DEBUG", "INFO ", "WARN ", "INFO ",
                                  "INFO ", "DEBUG", "INFO ", "INFO ", "INFO ", "INFO ",
                                  "DEBUG", "INFO ", "INFO ", "INFO ", "INFO ", "INFO ",
                                  "INFO ", "ERROR" };
  g_autoptr(GString) block = g_string_sized_new (8 * 1024 * 1024 + 256);
  guint64 written = 0, errors = 0, line = 0;
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

  g_assert (fd >= 0);
  while (written < bytes)
    {
      guint64 block_errors = 0;

      g_string_truncate (block, 0);
      while (block->len < 8 * 1024 * 1024 && written + block->len < bytes)
        {
          const char *level = levels[line % G_N_ELEMENTS (levels)];

          g_string_append_printf (block,
                                  "2026-11-22T02:%02u:%02u.%06uZ web-%u app[%u]: %s request %"
                                  G_GUINT64_FORMAT " served /api/items/%u in %u ms\n",
                                  (guint) (line / 60000) % 60, (guint) (line / 1000) % 60,
                                  (guint) (line * 37) % 1000000, (guint) line % 8,
                                  1000 + (guint) line % 50, level, line,
                                  (guint) (line * 7919) % 100000, (guint) line % 250);
          block_errors += level[0] == 'E';
          line++;
        }
      g_assert (write (fd, block->str, block->len) == (ssize_t) block->len);
      written += block->len;
      errors += block_errors;
    }
  close (fd);

  return errors;
}

/* ---------------------------------------------------------------------------------------- */
/* Ours */

typedef struct
{
  guint64  items;
  guint64  errors;
} Count;

static gboolean
on_item (FwItem   *item,
         gpointer  user_data)
{
  Count *count = user_data;

  count->items++;
  count->errors += item->level == FW_LEVEL_ERROR;
  return TRUE;
}

static double
read_with_library (const char *path,
                   guint64    *lines,
                   guint64    *errors)
{
  g_autoptr(FwStream) stream = fw_log_source_new (path, path, G_MAXUINT, FALSE);
  Count count = { 0 };
  double seconds = fw_bench_drain (stream, 4096, on_item, &count);

  *lines = count.items;
  *errors = count.errors;
  return seconds;
}

static guint64
summary_errors (const char *out)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *summary, *levels;

  if (out == NULL || !json_parser_load_from_data (parser, out, -1, NULL))
    return 0;
  summary = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                           "summary");
  levels = json_object_get_object_member (summary, "levels");
  return json_object_get_int_member (levels, "error");
}

/* ---------------------------------------------------------------------------------------- */
/* Follow latency */

typedef struct
{
  const char *path;
  guint       rate;
  guint       seconds;
  guint64     written;
} Writer;

static gpointer
writer_thread (gpointer data)
{
  Writer *writer = data;
  int fd = open (writer->path, O_WRONLY | O_APPEND);
  guint per_ms = writer->rate / 1000;
  gint64 start = g_get_monotonic_time ();
  g_autoptr(GString) batch = g_string_new (NULL);

  g_assert (fd >= 0);
  for (guint64 tick = 0; tick < (guint64) writer->seconds * 1000; tick++)
    {
      gint64 due = start + (gint64) tick * 1000;
      gint64 now = g_get_monotonic_time ();

      if (due > now)
        g_usleep (due - now);
      now = g_get_monotonic_time ();
      g_string_truncate (batch, 0);
      for (guint i = 0; i < per_ms; i++)
        g_string_append_printf (batch, "%" G_GINT64_FORMAT " INFO line %" G_GUINT64_FORMAT
                                " of the follow benchmark\n", now, writer->written + i);
      g_assert (write (fd, batch->str, batch->len) == (ssize_t) batch->len);
      writer->written += per_ms;
    }
  close (fd);

  return NULL;
}

typedef struct
{
  GArray  *delays;
  guint64  lines;
} Follow;

static gboolean
on_followed (FwItem   *item,
             gpointer  user_data)
{
  Follow *follow = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 written;

  if (item->kind != FW_ITEM_LINE)
    return TRUE;
  written = g_ascii_strtoll (item->text, NULL, 10);
  g_array_append_val (follow->delays, (gint64) { now - written });
  follow->lines++;
  return TRUE;
}

static void
on_follow_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  *(gboolean *) user_data = TRUE;
  fw_stream_for_each_finish (FW_STREAM (object), result, NULL);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static gboolean
on_follow_deadline (gpointer user_data)
{
  fw_stream_close (user_data);
  return G_SOURCE_REMOVE;
}

static void
follow_latency (const char *path,
                guint       seconds,
                guint64    *written,
                guint64    *arrived,
                double     *p50_ms,
                double     *p99_ms,
                double     *max_ms)
{
  g_autoptr(FwStream) stream = NULL;
  Writer writer = { path, 100000, seconds, 0 };
  Follow follow = { g_array_new (FALSE, FALSE, sizeof (gint64)), 0 };
  GThread *thread;
  gboolean done = FALSE;
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

  close (fd);
  stream = fw_log_source_new (path, path, 0, TRUE);
  fw_stream_for_each_async (stream, 4096, on_followed, &follow, NULL, NULL, on_follow_done, &done);
  /* let the source open the file before the writer starts */
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);

  thread = g_thread_new ("writer", writer_thread, &writer);
  while (follow.lines < (guint64) writer.rate * seconds)
    {
      g_main_context_iteration (NULL, TRUE);
      if (writer.written == (guint64) writer.rate * seconds && follow.lines < writer.written)
        {
          /* the writer is done: give the reader one more second, then stop */
          g_timeout_add_once (1000, (GSourceOnceFunc) on_follow_deadline, stream);
          while (!done && follow.lines < writer.written)
            g_main_context_iteration (NULL, TRUE);
          break;
        }
    }
  g_thread_join (thread);
  if (!done)
    {
      fw_stream_close (stream);
      while (!done)
        g_main_context_iteration (NULL, TRUE);
    }

  *written = writer.written;
  *arrived = follow.lines;
  g_array_sort (follow.delays, compare_gint64);
  if (follow.delays->len > 0)
    {
      *p50_ms = g_array_index (follow.delays, gint64, follow.delays->len / 2) / 1000.0;
      *p99_ms = g_array_index (follow.delays, gint64, (guint) (follow.delays->len * 0.99)) / 1000.0;
      *max_ms = g_array_index (follow.delays, gint64, follow.delays->len - 1) / 1000.0;
    }
  g_array_unref (follow.delays);
}

/* ---------------------------------------------------------------------------------------- */

static void
row (const char *what,
     double      ours,
     const char *peer,
     double      theirs,
     const char *unit)
{
  printf ("| %-38s | %10.0f %-7s | %-44s | %10.0f %-7s | %6.2f× |\n", what, ours, unit, peer, theirs,
          unit, ours / theirs);
}

int
main (int   argc,
      char *argv[])
{
  guint64 mb = env_uint ("FW_BENCH_LOG_MB", 1024);
  guint64 py_mb = env_uint ("FW_BENCH_PY_MB", 32);
  guint follow_s = (guint) env_uint ("FW_BENCH_FOLLOW_S", 10);
  const char *python = g_getenv ("PYTHON") ? g_getenv ("PYTHON") : "/usr/bin/python3";
  const char *feedwatch = g_getenv ("FEEDWATCH_BIN");
  g_autofree char *script = g_build_filename (g_getenv ("FW_BENCH_SRC") ? g_getenv ("FW_BENCH_SRC") : ".",
                                              "bench_log.py", NULL);
  g_autofree char *path = g_strdup_printf ("%s/fw-bench-%d.log", g_get_tmp_dir (), (int) getpid ());
  g_autofree char *follow_path = g_strdup_printf ("%s/fw-bench-follow-%d.log", g_get_tmp_dir (),
                                                  (int) getpid ());
  g_autofree char *grep_out = NULL;
  g_autofree char *fw_out = NULL;
  g_autofree char *py_out = NULL;
  guint64 expected_errors, lines = 0, errors = 0, bytes = mb * 1024 * 1024;
  double lib_s, grep_s, fw_s = -1, py_s, py_mb_s = 0, py_lines_s = 0;
  guint64 written = 0, arrived = 0;
  double p50 = 0, p99 = 0, max = 0;

  printf ("Generating a %" G_GUINT64_FORMAT " MB log in %s…\n", mb, g_get_tmp_dir ());
  expected_errors = generate_log (path, bytes);
  if (g_getenv ("FW_BENCH_ONLY_LIBRARY"))
    {
      struct rusage a, b;
      double s, cpu;

      getrusage (RUSAGE_SELF, &a);
      s = read_with_library (path, &lines, &errors);
      getrusage (RUSAGE_SELF, &b);
      cpu = (b.ru_utime.tv_sec - a.ru_utime.tv_sec) + (b.ru_utime.tv_usec - a.ru_utime.tv_usec) / 1e6 +
            (b.ru_stime.tv_sec - a.ru_stime.tv_sec) + (b.ru_stime.tv_usec - a.ru_stime.tv_usec) / 1e6;
      printf ("library: %.0f MB/s wall, %.3f s cpu (%.0f ns cpu per line)\n", mb / s, cpu,
              cpu * 1e9 / lines);
      g_unlink (path);
      return 0;
    }

  /* The page cache holds the file for every reader alike: warm it once. */
  {
    const char *warm[] = { "sh", "-c", "cat \"$0\" > /dev/null", path, NULL };
    g_autofree char *ignored = NULL;
    fw_bench_spawn_timed (warm, &ignored);
  }

  lib_s = read_with_library (path, &lines, &errors);
  g_assert (errors == expected_errors);

  {
    const char *grep_argv[] = { "grep", "-c", "ERROR", path, NULL };
    grep_s = fw_bench_spawn_timed (grep_argv, &grep_out);
    g_assert (grep_out != NULL && g_ascii_strtoull (grep_out, NULL, 10) == expected_errors);
  }

  if (feedwatch != NULL && g_file_test (feedwatch, G_FILE_TEST_IS_EXECUTABLE))
    {
      const char *fw_argv[] = { feedwatch, "--summary", "--once", path, NULL };
      fw_s = fw_bench_spawn_timed (fw_argv, &fw_out);
      if (fw_s > 0 && summary_errors (fw_out) != expected_errors)
        {
          g_printerr ("feedwatch --summary counted %" G_GUINT64_FORMAT " errors, expected %"
                      G_GUINT64_FORMAT "\n", summary_errors (fw_out), expected_errors);
          fw_s = -1;
        }
    }

  {
    g_autofree char *max_bytes = g_strdup_printf ("%" G_GUINT64_FORMAT, MIN (py_mb, mb) * 1024 * 1024);
    const char *py_argv[] = { python, script, path, max_bytes, NULL };
    g_autoptr(JsonParser) parser = json_parser_new ();

    py_s = fw_bench_spawn_timed (py_argv, &py_out);
    if (py_s > 0 && json_parser_load_from_data (parser, py_out, -1, NULL))
      {
        JsonObject *o = json_node_get_object (json_parser_get_root (parser));
        double seconds = json_object_get_double_member (o, "seconds");

        py_mb_s = json_object_get_int_member (o, "bytes") / 1048576.0 / seconds;
        py_lines_s = json_object_get_int_member (o, "lines") / seconds;
      }
  }
  g_unlink (path);

  follow_latency (follow_path, follow_s, &written, &arrived, &p50, &p99, &max);
  g_unlink (follow_path);

  printf ("\n%" G_GUINT64_FORMAT " MB, %" G_GUINT64_FORMAT " lines, %" G_GUINT64_FORMAT
          " ERROR lines; one run each, file in the page cache\n\n", mb, lines, errors);
  printf ("| %-38s | %18s | %-44s | %18s | %7s |\n", "Feedwatch", "figure", "peer", "peer figure", "ratio");
  printf ("|%s|%s|%s|%s|%s|\n", "----------------------------------------", "--------------------",
          "----------------------------------------------", "--------------------", "---------");
  row ("log source, count ERROR (library)", mb / lib_s, "grep -c ERROR", mb / grep_s, "MB/s");
  row ("log source, count ERROR (library)", lines / lib_s, "grep -c ERROR", lines / grep_s, "lines/s");
  if (fw_s > 0)
    row ("feedwatch --summary --once", mb / fw_s, "grep -c ERROR", mb / grep_s, "MB/s");
  if (py_mb_s > 0)
    {
      g_autofree char *peer = g_strdup_printf ("aiofiles async for (first %" G_GUINT64_FORMAT " MB)",
                                               MIN (py_mb, mb));
      row ("log source, count ERROR (library)", mb / lib_s, peer, py_mb_s, "MB/s");
      row ("log source, count ERROR (library)", lines / lib_s, peer, py_lines_s, "lines/s");
    }
  printf ("\nFollow: %" G_GUINT64_FORMAT " lines written at 100,000/s for %u s, %" G_GUINT64_FORMAT
          " arrived (%s); delay write→item p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
          written, follow_s, arrived, arrived == written ? "all" : "MISSING SOME", p50, p99, max);
  printf ("\nTargets: within 2× of grep -c (ratio ≥ 0.5), ≥ 10× the aiofiles loop; follow: all "
          "lines, p99 < 50 ms.\n");

  return 0;
}
