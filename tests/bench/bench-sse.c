/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-sse.c: Server-Sent Events, 10^6 small events from a loopback server (bench-sse-server)
 * sending as fast as it can, read by Feedwatch and by its peers in the same run:
 * curl -N to /dev/null (the transport ceiling), Python aiohttp with the reference texts'
 * sse_events loop, and the npm `eventsource` package (installed into /tmp when npm can;
 * skipped with a note otherwise). Our figures: the parser alone on the same bytes in memory,
 * the sse: stream in process (items made and dropped), and `feedwatch --print --once` writing
 * JSON Lines to /dev/null. External programs are timed from spawn to exit, startup included;
 * the Python and Node peers time themselves from the request to the last event. The fast
 * measurements (ours and curl) are the best of 3, the slow peers run once: on a shared
 * machine, best-of-3 filters out the moments when another process had the CPU. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

#include <json-glib/json-glib.h>

#include "fw-streams.h"
#include "fw-sse-parser.h"

#define N_EVENTS 1000000
#define NPM_PREFIX "/tmp/fw-bench-npm"

static char *url;
static char *bin_dir;

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e6;
}

/* ---------------------------------------------------------------------------------------- */
/* Ours */

static void
count_event (const FwSseEvent *event,
             gpointer          user_data)
{
  (*(guint *) user_data)++;
}

static double
parser_alone (void)
{
  g_autoptr(GString) body = g_string_new (NULL);
  double best = 0;

  for (guint i = 0; i < N_EVENTS; i++)
    g_string_append_printf (body, "data: {\"seq\":%u}\n\n", i);

  for (guint run = 0; run < 3; run++)
    {
      g_autoptr(FwSseParser) parser = fw_sse_parser_new (0);
      gint64 start = g_get_monotonic_time ();
      guint count = 0;

      for (gsize offset = 0; offset < body->len; offset += 65536)
        fw_sse_parser_feed (parser, (const guint8 *) body->str + offset,
                            MIN (65536, body->len - offset), count_event, &count);
      g_assert_cmpuint (count, ==, N_EVENTS);
      best = MAX (best, N_EVENTS / seconds_since (start));
    }
  return best;
}

typedef struct
{
  guint    events;
  gboolean done;
  GError  *error;
} Count;

static void
on_batch (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Count *count = user_data;
  g_autoptr(GPtrArray) batch = fw_stream_next_batch_finish (FW_STREAM (object), result,
                                                            &count->error);

  if (batch == NULL || batch->len == 0)
    {
      count->done = TRUE;
      return;
    }
  for (guint i = 0; i < batch->len; i++)
    count->events += ((FwItem *) g_ptr_array_index (batch, i))->kind == FW_ITEM_EVENT;
  fw_stream_next_batch_async (FW_STREAM (object), 4096, NULL, on_batch, count);
}

static double
stream_in_process (void)
{
  g_autofree char *feed = g_strdup_printf ("sse:%s", url);
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = fw_feed_open (feed, FW_FEED_OPEN_ONCE, &error);
  Count count = { 0 };
  gint64 start = g_get_monotonic_time ();

  g_assert_no_error (error);
  fw_stream_next_batch_async (stream, 4096, NULL, on_batch, &count);
  while (!count.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (count.error);
  g_assert_cmpuint (count.events, ==, N_EVENTS);
  return N_EVENTS / seconds_since (start);
}

/* ---------------------------------------------------------------------------------------- */
/* Programs */

/* Runs a program to its end; returns its wall time in s, or a negative number on failure. */
static double
run_program (const char * const  *argv,
             gboolean             quiet_stdout,
             char               **out_stdout)
{
  g_autoptr(GError) error = NULL;
  int status = 0;
  gint64 start = g_get_monotonic_time ();

  if (!g_spawn_sync (NULL, (char **) argv, NULL,
                     G_SPAWN_SEARCH_PATH | (quiet_stdout ? G_SPAWN_STDOUT_TO_DEV_NULL : 0),
                     NULL, NULL, quiet_stdout ? NULL : out_stdout, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("%s failed: %s\n", argv[0], error->message);
      return -1;
    }
  return seconds_since (start);
}

static double
events_per_s_from_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
    return -1;
  object = json_node_get_object (json_parser_get_root (parser));
  if ((guint64) json_object_get_int_member (object, "events") != N_EVENTS)
    return -1;
  return json_object_get_double_member (object, "events_per_s");
}

static double
feedwatch_print (void)
{
  const char *bin = g_getenv ("FEEDWATCH_BIN");
  g_autofree char *fallback = g_build_filename (bin_dir, "..", "..", "app", "feedwatch", NULL);
  g_autofree char *feed = g_strdup_printf ("sse:%s", url);
  const char *argv[] = { bin != NULL ? bin : fallback, "--print", "--once", feed, NULL };
  double seconds = run_program (argv, TRUE, NULL);

  return seconds > 0 ? N_EVENTS / seconds : -1;
}

static double
curl_ceiling (void)
{
  const char *argv[] = { "curl", "-sSN", "-o", "/dev/null", url, NULL };
  double seconds = run_program (argv, FALSE, NULL);

  return seconds > 0 ? N_EVENTS / seconds : -1;
}

static double
python_aiohttp (void)
{
  const char *python = g_getenv ("PYTHON");
  const char *src = g_getenv ("FW_BENCH_SRC");
  g_autofree char *script = g_build_filename (src != NULL ? src : FW_BENCH_SRCDIR,
                                              "bench_sse.py", NULL);
  g_autofree char *n = g_strdup_printf ("%d", N_EVENTS);
  const char *argv[] = { python != NULL ? python : "/usr/bin/python3", script, url, n, NULL };
  g_autofree char *out = NULL;

  if (run_program (argv, FALSE, &out) < 0)
    return -1;
  return events_per_s_from_json (out);
}

/* The npm package goes to /tmp, never into the tree; no npm or no registry: no row. */
static double
node_eventsource (char **out_note)
{
  const char *src = g_getenv ("FW_BENCH_SRC");
  g_autofree char *script = g_build_filename (src != NULL ? src : FW_BENCH_SRCDIR,
                                              "bench_sse.mjs", NULL);
  g_autofree char *n = g_strdup_printf ("%d", N_EVENTS);
  const char *argv[] = { "node", script, url, n, NPM_PREFIX, NULL };
  const char *install[] = { "npm", "install", "--silent", "--no-audit", "--no-fund",
                            "--prefix", NPM_PREFIX, "eventsource", NULL };
  g_autofree char *out = NULL;
  g_autofree char *package = NULL;

  if (!g_file_test (NPM_PREFIX "/node_modules/eventsource/dist/index.js", G_FILE_TEST_EXISTS) &&
      run_program (install, TRUE, NULL) < 0)
    {
      *out_note = g_strdup ("npm eventsource: skipped, `npm install eventsource` failed");
      return -1;
    }
  if (g_file_get_contents (NPM_PREFIX "/node_modules/eventsource/package.json", &package, NULL,
                           NULL))
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      if (json_parser_load_from_data (parser, package, -1, NULL))
        *out_note = g_strdup_printf ("npm eventsource %s",
                                     json_object_get_string_member (
                                       json_node_get_object (json_parser_get_root (parser)),
                                       "version"));
    }
  if (run_program (argv, FALSE, &out) < 0)
    {
      g_free (*out_note);
      *out_note = g_strdup ("npm eventsource: skipped, node failed");
      return -1;
    }
  return events_per_s_from_json (out);
}

/* ---------------------------------------------------------------------------------------- */

static void
row (const char *what,
     double      ours,
     const char *peer,
     double      theirs)
{
  if (theirs > 0)
    printf ("| %-38s | %12.0f | %-42s | %12.0f | %7.2f× |\n", what, ours, peer, theirs,
            ours / theirs);
  else
    printf ("| %-38s | %12.0f | %-42s | %12s | %8s |\n", what, ours, peer, "—", "—");
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *server = NULL;
  g_autofree char *n = g_strdup_printf ("%d", N_EVENTS);
  g_autofree char *node_note = NULL;
  g_autofree char *node_label = NULL;
  char line[256];
  GPid pid;
  int server_in, server_out;
  FILE *server_stdout;
  double parse, stream, print, curl, python, node;

  bin_dir = g_path_get_dirname (argv[0]);
  server = g_build_filename (bin_dir, "bench-sse-server", NULL);
  {
    const char *server_argv[] = { server, n, NULL };

    if (!g_spawn_async_with_pipes (NULL, (char **) server_argv, NULL, G_SPAWN_DEFAULT, NULL,
                                   NULL, &pid, &server_in, &server_out, NULL, &error))
      g_error ("cannot start %s: %s", server, error->message);
  }
  server_stdout = fdopen (server_out, "r");
  if (fgets (line, sizeof line, server_stdout) == NULL)
    g_error ("the bench server said nothing");
  url = g_strstrip (g_strdup (line));

  /* FW_BENCH_QUICK=N: the in-process stream and curl only, N rounds (for profiling) */
  if (g_getenv ("FW_BENCH_QUICK") != NULL)
    {
      guint rounds = MAX (1, atoi (g_getenv ("FW_BENCH_QUICK")));

      for (guint run = 0; run < rounds; run++)
        {
          struct rusage before, after;
          double cpu;

          getrusage (RUSAGE_SELF, &before);
          stream = stream_in_process ();
          getrusage (RUSAGE_SELF, &after);
          cpu = (after.ru_utime.tv_sec - before.ru_utime.tv_sec + after.ru_stime.tv_sec - before.ru_stime.tv_sec) +
                (after.ru_utime.tv_usec - before.ru_utime.tv_usec + after.ru_stime.tv_usec - before.ru_stime.tv_usec) / 1e6;
          curl = curl_ceiling ();
          printf ("in process %.0f events/s (%.0f ns CPU an event), curl %.0f events/s: %.2f×\n",
                  stream, cpu * 1e9 / N_EVENTS, curl, stream / curl);
        }
      return 0;
    }

  parse = parser_alone ();
  stream = curl = print = 0;
  for (guint run = 0; run < 3; run++)
    {
      stream = MAX (stream, stream_in_process ());
      print = MAX (print, feedwatch_print ());
      curl = MAX (curl, curl_ceiling ());
    }
  python = python_aiohttp ();
  node = node_eventsource (&node_note);

  printf ("%d events of ~20 bytes (`data: {\"seq\":N}`) from a loopback server; events/s, "
          "best of 3 for ours and curl, one run for Python and Node\n\n", N_EVENTS);
  printf ("| %-38s | %12s | %-42s | %12s | %8s |\n", "Feedwatch", "events/s", "peer", "events/s",
          "ratio");
  printf ("|%s|%s|%s|%s|%s|\n", "----------------------------------------", "--------------",
          "--------------------------------------------", "--------------", "----------");
  row ("sse: stream in process (parse + items)", stream, "curl -N > /dev/null (transport ceiling)",
       curl);
  row ("feedwatch --print --once > /dev/null", print, "curl -N > /dev/null (transport ceiling)",
       curl);
  row ("sse: stream in process (parse + items)", stream, "Python aiohttp, sse_events loop", python);
  row ("feedwatch --print --once > /dev/null", print, "Python aiohttp, sse_events loop", python);
  node_label = g_strdup (node_note != NULL ? node_note : "npm eventsource");
  if (node > 0)
    row ("sse: stream in process (parse + items)", stream, node_label, node);
  else
    printf ("| %-38s | %12s | %-42s | %12s | %8s |\n", "", "", node_label, "skipped", "");
  row ("SSE parser alone, in memory", parse, "curl -N > /dev/null (transport ceiling)", curl);

  printf ("\nTargets: ≥ 0.5× the curl ceiling; ≥ 10× aiohttp.\n");

  close (server_in);
  fclose (server_stdout);
  g_spawn_close_pid (pid);
  g_free (url);
  g_free (bin_dir);
  return 0;
}
