/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-history.c: the live list's model (ui/fw-history.c). Items/s through append with a
 * flush every 16 ms (as the window's tick callback does) while a simulated view binds the 40
 * rows at the live end after each change; and resident memory with the history full, in bytes
 * per item of 80 characters, beside Python keeping the same items in a deque(maxlen). */

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <json-glib/json-glib.h>

#include "../../ui/fw-history.h"
#include "fw-bench-util.h"

#define N_ITEMS     1000000
#define BATCH       1024
#define FRAME_US    16000
#define VISIBLE     40
#define TEXT_LEN    80

static GRefString *feed;

static FwItem *
make_item (guint i)
{
  char text[TEXT_LEN + 1];
  static const FwLevel levels[] = { FW_LEVEL_INFO, FW_LEVEL_DEBUG, FW_LEVEL_WARNING, FW_LEVEL_ERROR };
  FwItem *item;

  /* 80 characters, distinct per item, an "error" now and then */
  g_snprintf (text, sizeof text, "%010u %-69s", i,
              i % 100 == 0 ? "request failed: error 503 from upstream backend, retrying in 2 s" :
                             "GET /api/v1/items?page=42 200 OK 1532 bytes in 3.2 ms from 10.0.0.7");
  item = fw_item_new (FW_ITEM_LINE, feed, g_get_real_time (), text, TEXT_LEN);
  fw_item_set_level (item, levels[i % G_N_ELEMENTS (levels)]);

  return item;
}

static gint64 worst_flush_us;

/* What GtkColumnView does after items-changed at the live end: bind the visible rows. */
static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = n > VISIBLE ? n - VISIBLE : 0; i < n; i++)
    {
      g_autoptr(FwItemObject) row = g_list_model_get_item (model, i);
      g_autofree char *time = NULL;
      g_autofree char *text = NULL;
      g_autofree char *level = NULL;

      g_object_get (row, "time", &time, "text", &text, "level-name", &level, NULL);
    }
}

static double
ingest_rate (GPtrArray  *items,
             const char *search,
             gboolean    regex)
{
  g_autoptr(FwHistory) history = fw_history_new (FW_HISTORY_DEFAULT_CAPACITY);
  gint64 start, last_flush;

  if (search != NULL && !fw_history_set_search (history, search, regex, NULL))
    g_error ("bad search");
  g_signal_connect (history, "items-changed", G_CALLBACK (on_items_changed), NULL);

  start = last_flush = g_get_monotonic_time ();
  for (guint i = 0; i < items->len; i += BATCH)
    {
      gint64 now;

      fw_history_append (history, (FwItem **) items->pdata + i, MIN (BATCH, items->len - i));
      now = g_get_monotonic_time ();
      if (now - last_flush >= FRAME_US)
        {
          fw_history_flush (history);
          last_flush = g_get_monotonic_time ();
          worst_flush_us = MAX (worst_flush_us, last_flush - now);
        }
    }
  fw_history_flush (history);

  return items->len / ((g_get_monotonic_time () - start) / 1e6);
}

static gsize
resident_bytes (void)
{
  g_autofree char *statm = NULL;
  unsigned long size, resident;

  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL) ||
      sscanf (statm, "%lu %lu", &size, &resident) != 2)
    g_error ("cannot read /proc/self/statm");

  return resident * (gsize) sysconf (_SC_PAGESIZE);
}

/* In a fresh process, so earlier runs' freed memory does not hide this one's. */
static int
measure_memory (guint    n,
                gboolean filtered)
{
  gsize before = resident_bytes (), after;
  FwHistory *history = fw_history_new (n);

  /* Bytes per item of a full history: its byte cap would stop it short of n. */
  fw_history_set_max_bytes (history, G_MAXUINT64);

  if (filtered)
    fw_history_set_search (history, "0", FALSE, NULL); /* matches all: the index's worst case */
  for (guint i = 0; i < n; i++)
    {
      FwItem *item = make_item (i);

      fw_history_append (history, &item, 1);
      fw_item_unref (item);
    }
  /* A flush publishes in steps, a filter's scan runs from idles: as frames would, until all
   * is shown. */
  for (guint frames = 0; g_list_model_get_n_items (G_LIST_MODEL (history)) < n; frames++)
    {
      g_assert (frames < 100000);
      fw_history_flush (history);
      g_main_context_iteration (NULL, FALSE);
    }
  g_assert (g_list_model_get_n_items (G_LIST_MODEL (history)) == n);
  after = resident_bytes ();
  printf ("%.1f\n", (double) (after - before) / n);
  g_object_unref (history);

  return 0;
}

static double
bytes_per_item (const char *self,
                guint       n,
                gboolean    filtered)
{
  g_autofree char *count = g_strdup_printf ("%u", n);
  const char *argv[] = { self, filtered ? "--memory-filtered" : "--memory", count, NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                     &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("memory run failed: %s", error->message);

  return g_ascii_strtod (out, NULL);
}

static gboolean
python_figures (JsonObject **object)
{
  *object = fw_bench_run_python ("bench_history.py", NULL);
  return *object != NULL;
}

static void
row (const char *what,
     double      ours,
     const char *peer,
     double      theirs,
     gboolean    lower_is_better)
{
  printf ("| %-38s | %12.0f | %-40s | %12.0f | %7.2f× |\n", what, ours, peer, theirs,
          lower_is_better ? theirs / ours : ours / theirs);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(JsonObject) py = NULL;
  double plain, substring, regex, mem_100k, mem_1m, mem_1m_filtered;

  feed = fw_ref_string_intern ("bench");
  if (argc == 3 && g_str_equal (argv[1], "--memory"))
    return measure_memory (atoi (argv[2]), FALSE);
  if (argc == 3 && g_str_equal (argv[1], "--memory-filtered"))
    return measure_memory (atoi (argv[2]), TRUE);

  items = g_ptr_array_new_full (N_ITEMS, (GDestroyNotify) fw_item_unref);
  for (guint i = 0; i < N_ITEMS; i++)
    g_ptr_array_add (items, make_item (i));

  plain = ingest_rate (items, NULL, FALSE);
  substring = ingest_rate (items, "Error 503", FALSE);
  regex = ingest_rate (items, "error [0-9]+", TRUE);
  g_clear_pointer (&items, g_ptr_array_unref);

  mem_100k = bytes_per_item (argv[0], 100000, FALSE);
  mem_1m = bytes_per_item (argv[0], 1000000, FALSE);
  mem_1m_filtered = bytes_per_item (argv[0], 1000000, TRUE);

  if (!python_figures (&py))
    return 1;

  printf ("%d items of %d characters, history of %d, a flush per %d ms binding %d rows; "
          "worst flush %.2f ms\n\n", N_ITEMS, TEXT_LEN, FW_HISTORY_DEFAULT_CAPACITY,
          FRAME_US / 1000, VISIBLE, worst_flush_us / 1000.0);
  printf ("| %-38s | %12s | %-40s | %12s | %8s |\n", "Feedwatch", "ours", "peer", "peer", "ratio");
  printf ("|%s|%s|%s|%s|%s|\n", "----------------------------------------", "--------------",
          "------------------------------------------", "--------------", "----------");
  row ("ingest items/s, no filter", plain, "target (issue 6)", 200000, FALSE);
  row ("ingest items/s, no filter", plain, "Python deque(maxlen) append",
       json_object_get_double_member (py, "append"), FALSE);
  row ("ingest items/s, substring search", substring, "Python deque + `in lower()` test",
       json_object_get_double_member (py, "append_search"), FALSE);
  row ("ingest items/s, regex search", regex, "Python deque + re.search",
       json_object_get_double_member (py, "append_regex"), FALSE);
  row ("bytes/item, 100,000 full", mem_100k, "target (issue 6)", 300, TRUE);
  row ("bytes/item, 100,000 full", mem_100k, "Python deque of tuples",
       json_object_get_double_member (py, "bytes_100k"), TRUE);
  row ("bytes/item, 1,000,000 full", mem_1m, "Python deque of tuples",
       json_object_get_double_member (py, "bytes_1m"), TRUE);
  row ("bytes/item, 1,000,000, search on", mem_1m_filtered, "target (issue 6)", 300, TRUE);
  printf ("\nTargets: ≥ 200,000 items/s ingested; ≤ 300 bytes per item of 80 characters "
          "(ratio ≥ 1 is better than the peer).\n");

  g_ref_string_release (feed);

  return 0;
}
