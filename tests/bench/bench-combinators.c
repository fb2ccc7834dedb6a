/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-combinators.c: items per second through merge (4 inputs), a BLOCK channel and
 * to_thread, beside the reference text's Python (merge_iterators, BackpressuredStream,
 * asyncio.to_thread per item) on the same item counts, in the same run. Best of 3. */

#include <stdio.h>

#include <json-glib/json-glib.h>

#include "fw-streams.h"
#include "fw-bench-util.h"

#define N_ITEMS   1000000
#define N_THREAD  100000
#define CAPACITY  256
#define RUNS      3

static GPtrArray *items;

typedef struct
{
  guint    count;
  guint    batch;
  gboolean done;
} Count;

static void
on_next (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Count *count = user_data;
  g_autoptr(GError) error = NULL;
  FwItem *item = fw_stream_next_finish (FW_STREAM (object), result, &error);

  g_assert_no_error (error);
  if (item == NULL)
    {
      count->done = TRUE;
      return;
    }
  fw_item_unref (item);
  count->count++;
  fw_stream_next_async (FW_STREAM (object), NULL, on_next, count);
}

static void
on_batch (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Count *count = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batch = fw_stream_next_batch_finish (FW_STREAM (object), result, &error);

  g_assert_no_error (error);
  if (batch->len == 0)
    {
      count->done = TRUE;
      return;
    }
  count->count += batch->len;
  fw_stream_next_batch_async (FW_STREAM (object), count->batch, NULL, on_batch, count);
}

/* Items per second draining @stream, one at a time (batch 0) or in batches. */
static double
drain (FwStream *stream,
       guint     batch,
       guint     expected)
{
  Count count = { .batch = batch };
  gint64 start = g_get_monotonic_time ();

  if (batch == 0)
    fw_stream_next_async (stream, NULL, on_next, &count);
  else
    fw_stream_next_batch_async (stream, batch, NULL, on_batch, &count);
  while (!count.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (count.count, ==, expected);

  return expected / ((g_get_monotonic_time () - start) / 1e6);
}

static FwStream *
new_merge (void)
{
  guint quarter = N_ITEMS / 4;
  FwStream *inputs[4];

  for (guint i = 0; i < 4; i++)
    inputs[i] = fw_array_stream_new ((FwItem * const *) items->pdata + i * quarter, quarter);

  return fw_merge_new (inputs, 4, FW_MERGE_NONE);
}

static FwStream *
new_channel (void)
{
  return fw_channel_new_for_stream (fw_array_stream_new ((FwItem * const *) items->pdata,
                                                         N_ITEMS),
                                    CAPACITY, FW_CHANNEL_BLOCK);
}

typedef struct
{
  gint position;
  gint n;
} Cursor;

/* The blocking pull function: what asyncio.to_thread runs per item on the Python side. */
static FwItem *
cursor_next (gpointer       user_data,
             GCancellable  *cancellable,
             GError       **error)
{
  Cursor *cursor = user_data;

  if (cursor->position >= cursor->n)
    return NULL;

  return fw_item_ref (g_ptr_array_index (items, cursor->position++));
}

static double
to_thread_rate (guint prefetch,
                guint batch)
{
  Cursor *cursor = g_new0 (Cursor, 1);
  g_autoptr(FwStream) stream = NULL;
  double rate;

  cursor->n = N_THREAD;
  stream = fw_to_thread_new (cursor_next, cursor, g_free, prefetch);
  rate = drain (stream, batch, N_THREAD);
  fw_stream_close (stream);

  return rate;
}

typedef enum { MERGE, CHANNEL } Kind;

static double
best_of (Kind  kind,
         guint batch)
{
  double best = 0;

  for (guint i = 0; i < RUNS; i++)
    {
      g_autoptr(FwStream) stream = kind == MERGE ? new_merge () : new_channel ();
      double rate = drain (stream, batch, N_ITEMS); /* not inside MAX (): evaluated twice */

      best = MAX (best, rate);
      fw_stream_close (stream);
    }

  return best;
}

static double
best_to_thread (guint prefetch,
                guint batch)
{
  double best = 0;

  for (guint i = 0; i < RUNS; i++)
    {
      double rate = to_thread_rate (prefetch, batch);

      best = MAX (best, rate);
    }

  return best;
}

static gboolean
python_rates (double *merge,
              double *channel,
              double *thread)
{
  g_autofree char *n = g_strdup_printf ("%d", N_ITEMS);
  g_autofree char *n_thread = g_strdup_printf ("%d", N_THREAD);
  g_autofree char *capacity = g_strdup_printf ("%d", CAPACITY);
  const char *args[] = { n, n_thread, capacity, NULL };
  g_autoptr(JsonObject) object = fw_bench_run_python ("bench_combinators.py", args);

  if (object == NULL)
    return FALSE;
  *merge = json_object_get_double_member (object, "merge");
  *channel = json_object_get_double_member (object, "backpressured");
  *thread = json_object_get_double_member (object, "to_thread");
  return TRUE;
}

static void
row (const char *what,
     double      ours,
     const char *peer,
     double      theirs)
{
  printf ("| %-36s | %12.0f | %-44s | %12.0f | %7.2f× |\n", what, ours, peer, theirs,
          ours / theirs);
}

int
main (int   argc,
      char *argv[])
{
  GRefString *feed = fw_ref_string_intern ("bench");
  double merge_next, merge_batch, chan_next, chan_batch, t1, t64, t64_batch;
  double py_merge = 0, py_channel = 0, py_thread = 0;
  g_autoptr(FwLoopMonitor) monitor = fw_loop_monitor_new (10, 100000);
  g_autofree char *lag = NULL;

  items = g_ptr_array_new_full (N_ITEMS, (GDestroyNotify) fw_item_unref);
  for (guint i = 0; i < N_ITEMS; i++)
    {
      char text[16];
      int len = g_snprintf (text, sizeof text, "%u", i);
      g_ptr_array_add (items, fw_item_new (FW_ITEM_LINE, feed, 0, text, len));
    }

  fw_loop_monitor_start (monitor);
  merge_next = best_of (MERGE, 0);
  merge_batch = best_of (MERGE, 1024);
  chan_next = best_of (CHANNEL, 0);
  chan_batch = best_of (CHANNEL, 1024);
  t1 = best_to_thread (1, 0);
  t64 = best_to_thread (64, 0);
  t64_batch = best_to_thread (64, 1024);
  fw_loop_monitor_stop (monitor);
  lag = fw_loop_monitor_format (monitor);
  if (!python_rates (&py_merge, &py_channel, &py_thread))
    return 1;

  printf ("%d items (to_thread: %d), best of %d; items/s\n\n", N_ITEMS, N_THREAD, RUNS);
  printf ("| %-36s | %12s | %-44s | %12s | %8s |\n", "Feedwatch", "items/s", "peer", "items/s",
          "ratio");
  printf ("|%s|%s|%s|%s|%s|\n", "--------------------------------------", "--------------",
          "----------------------------------------------", "--------------", "----------");
  row ("merge of 4, next one at a time", merge_next, "asyncio merge_iterators (Queue+TaskGroup)",
       py_merge);
  row ("merge of 4, next_batch (1024)", merge_batch, "asyncio merge_iterators (Queue+TaskGroup)",
       py_merge);
  row ("BLOCK channel (256), next", chan_next, "BackpressuredStream (Queue(maxsize=256))",
       py_channel);
  row ("BLOCK channel (256), next_batch 1024", chan_batch,
       "BackpressuredStream (Queue(maxsize=256))", py_channel);
  row ("to_thread, prefetch 1, next", t1, "asyncio.to_thread per item", py_thread);
  row ("to_thread, prefetch 64, next", t64, "asyncio.to_thread per item", py_thread);
  row ("to_thread, prefetch 64, next_batch", t64_batch, "asyncio.to_thread per item", py_thread);
  printf ("\nTarget: merge and channel ≥ 10× Python on the same item counts.\n");
  printf ("During the C runs, %s.\n", lag);

  g_ptr_array_unref (items);
  g_ref_string_release (feed);

  return 0;
}
