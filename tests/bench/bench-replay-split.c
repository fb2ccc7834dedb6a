/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-replay-split.c: a replay window's feeds at speed=max, two ways, in one run.
 *
 * A recording of FW_BENCH_FEEDS feeds (default 5) taking turns, FW_BENCH_ITEMS items in all
 * (default 1,500,000), replayed to its end as a replay window does: one stream per feed, all
 * read at once, as its feed runners read them.
 *   filtered: each feed's stream a whole replay of the file (fw_replay_source_new()) filtered
 *             to its feed: the file is decompressed and parsed once per feed
 *   split:    the feeds' streams split from one reading (fw_replay_source_new_split())
 * Prints wall and CPU time (all threads) and the bytes decoded for each, and the ratios.
 */

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include "fw-streams.h"
#include "fw-recording-private.h"
#include "fw-recording-writer.h"
#include "sources/fw-replay-source.h"

#define T0 G_GINT64_CONSTANT (1795000000000000)

typedef struct
{
  guint     running;
  guint64   items;
} Run;

static guint64
env_uint (const char *name,
          guint64     fallback)
{
  const char *value = g_getenv (name);

  return value != NULL && value[0] != '\0' ? g_ascii_strtoull (value, NULL, 10) : fallback;
}

static double
cpu_s (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static gboolean
is_feed (FwItem   *item,
         gpointer  user_data)
{
  return g_str_equal (item->feed, user_data);
}

static gboolean
count_item (FwItem   *item,
            gpointer  user_data)
{
  ((Run *) user_data)->items++;
  return TRUE;
}

static void
on_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (fw_stream_for_each_finish (FW_STREAM (object), result, &error) == FW_FOR_EACH_FAILED)
    g_error ("bench-replay-split: %s", error->message);
  ((Run *) user_data)->running--;
}

static void
replay_all (GPtrArray *streams,
            guint64    expected,
            double    *wall,
            double    *cpu,
            gsize     *decoded)
{
  Run run = { streams->len, 0 };
  double wall0 = g_get_monotonic_time () / 1e6, cpu0 = cpu_s ();
  gsize decoded0 = _fw_recording_reader_get_n_decoded ();

  for (guint i = 0; i < streams->len; i++)
    fw_stream_for_each_async (streams->pdata[i], 1024, count_item, &run, NULL, NULL, on_done,
                              &run);
  while (run.running > 0)
    g_main_context_iteration (NULL, TRUE);
  *wall = g_get_monotonic_time () / 1e6 - wall0;
  *cpu = cpu_s () - cpu0;
  *decoded = _fw_recording_reader_get_n_decoded () - decoded0;
  if (run.items != expected)
    g_error ("bench-replay-split: %" G_GUINT64_FORMAT " items replayed, %" G_GUINT64_FORMAT
             " recorded", run.items, expected);
}

int
main (void)
{
  guint n_feeds = env_uint ("FW_BENCH_FEEDS", 5);
  guint64 n_items = env_uint ("FW_BENCH_ITEMS", 1500000);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bench-replay-split-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "feeds.jsonl.zst", NULL);
  g_autoptr(FwRecordingWriter) writer = fw_recording_writer_new (path);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) filtered = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) split = NULL;
  double wall[2], cpu[2];
  gsize decoded[2];
  GStatBuf st;

  g_assert_no_error (error);
  for (guint f = 0; f < n_feeds; f++)
    {
      g_ptr_array_add (names, g_strdup_printf ("sim:sensor%u", f));
      fw_recording_writer_add_feed (writer, names->pdata[f], NULL, NULL);
    }
  g_ptr_array_add (names, NULL);
  if (!fw_recording_writer_start (writer, &error))
    g_error ("bench-replay-split: %s", error->message);
  for (guint64 i = 0; i < n_items; i++)
    {
      g_autoptr(GRefString) feed = fw_ref_string_intern (names->pdata[i % n_feeds]);
      g_autoptr(FwItem) item = fw_item_new_reading (feed, T0 + (gint64) i * 1000, "temp",
                                                    (double) (i % 1000) / 10, "°C");

      while (!fw_recording_writer_add (writer, item))
        g_usleep (1000);
    }
  if (!fw_recording_writer_close (writer, &error))
    g_error ("bench-replay-split: %s", error->message);
  g_stat (path, &st);

  for (guint f = 0; f < n_feeds; f++)
    {
      FwStream *replay = fw_replay_source_new ("replay:bench", path);

      fw_replay_source_set_speed (FW_REPLAY_SOURCE (replay), 0);
      g_ptr_array_add (filtered, fw_filter_new (replay, is_feed, g_strdup (names->pdata[f]),
                                                g_free));
    }
  replay_all (filtered, n_items, &wall[0], &cpu[0], &decoded[0]);

  split = fw_replay_source_new_split ("replay:bench", path, (const char * const *) names->pdata);
  fw_replay_source_set_speed (split->pdata[0], 0);
  replay_all (split, n_items, &wall[1], &cpu[1], &decoded[1]);

  printf ("Replay of %u feeds, %" G_GUINT64_FORMAT " items (%.1f MB compressed), speed=max\n",
          n_feeds, n_items, st.st_size / 1e6);
  printf ("%-10s %10s %10s %14s\n", "", "wall s", "CPU s", "decoded MB");
  printf ("%-10s %10.2f %10.2f %14.1f\n", "filtered", wall[0], cpu[0], decoded[0] / 1e6);
  printf ("%-10s %10.2f %10.2f %14.1f\n", "split", wall[1], cpu[1], decoded[1] / 1e6);
  printf ("%-10s %10.2f %10.2f %14.2f\n", "ratio", wall[0] / wall[1], cpu[0] / cpu[1],
          (double) decoded[0] / decoded[1]);

  g_unlink (path);
  g_rmdir (dir);
  return 0;
}
