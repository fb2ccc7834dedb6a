/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-stream.c: items per second through the stream contract, 10^6 items from the
 * in-memory stream, beside Python asyncio doing the same in the same run. Best of 3. */

#include <stdio.h>

#include <json-glib/json-glib.h>

#include "fw-streams.h"
#include "fw-bench-util.h"

#define N_ITEMS 1000000
#define RUNS    3

static GPtrArray *items;

typedef struct
{
  guint    count;
  gboolean done;
} Count;

static void
on_next (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Count *count = user_data;
  FwItem *item = fw_stream_next_finish (FW_STREAM (object), result, NULL);

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
  g_autoptr(GPtrArray) batch = fw_stream_next_batch_finish (FW_STREAM (object), result, NULL);

  if (batch->len == 0)
    {
      count->done = TRUE;
      return;
    }
  count->count += batch->len;
  fw_stream_next_batch_async (FW_STREAM (object), 1024, NULL, on_batch, count);
}

static gboolean
on_item (FwItem   *item,
         gpointer  user_data)
{
  ((Count *) user_data)->count++;
  return TRUE;
}

static void
on_loop_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  fw_stream_for_each_finish (FW_STREAM (object), result, NULL);
  ((Count *) user_data)->done = TRUE;
}

static FwStream *
new_stream (void)
{
  return fw_array_stream_new ((FwItem * const *) items->pdata, items->len);
}

typedef enum { WAY_NEXT, WAY_BATCH, WAY_FOR_EACH } Way;

static double
run_once (Way way)
{
  g_autoptr(FwStream) stream = new_stream ();
  Count count = { 0 };
  gint64 start = g_get_monotonic_time ();

  switch (way)
    {
    case WAY_NEXT:
      fw_stream_next_async (stream, NULL, on_next, &count);
      break;
    case WAY_BATCH:
      fw_stream_next_batch_async (stream, 1024, NULL, on_batch, &count);
      break;
    case WAY_FOR_EACH:
      fw_stream_for_each_async (stream, 1024, on_item, &count, NULL, NULL, on_loop_done, &count);
      break;
    default:
      g_assert_not_reached ();
    }
  while (!count.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (count.count, ==, N_ITEMS);

  return N_ITEMS / ((g_get_monotonic_time () - start) / 1e6);
}

static double
best_of (Way way)
{
  double best = 0;

  for (guint i = 0; i < RUNS; i++)
    best = MAX (best, run_once (way));

  return best;
}

/* The floor: creating and freeing the same items in a plain loop, no stream at all */
static double
plain_loop (void)
{
  GRefString *feed = fw_ref_string_intern ("bench");
  double best = 0;

  for (guint r = 0; r < RUNS; r++)
    {
      gint64 start = g_get_monotonic_time ();
      for (guint i = 0; i < N_ITEMS; i++)
        {
          char text[16];
          int len = g_snprintf (text, sizeof text, "%u", i);
          fw_item_unref (fw_item_new (FW_ITEM_LINE, feed, 0, text, len));
        }
      best = MAX (best, N_ITEMS / ((g_get_monotonic_time () - start) / 1e6));
    }
  g_ref_string_release (feed);

  return best;
}

static gboolean
python_rates (double *async_for,
              double *sleep0)
{
  g_autofree char *count = g_strdup_printf ("%d", N_ITEMS);
  const char *args[] = { count, NULL };
  g_autoptr(JsonObject) object = fw_bench_run_python ("bench_stream.py", args);

  if (object == NULL)
    return FALSE;
  *async_for = json_object_get_double_member (object, "async_for");
  *sleep0 = json_object_get_double_member (object, "sleep0");
  return TRUE;
}

static void
row (const char *what,
     double      ours,
     const char *peer,
     double      theirs)
{
  printf ("| %-34s | %12.0f | %-40s | %12.0f | %7.2f× |\n", what, ours, peer, theirs, ours / theirs);
}

int
main (int   argc,
      char *argv[])
{
  GRefString *feed = fw_ref_string_intern ("bench");
  double next, batch, for_each, plain, py_for = 0, py_sleep = 0;

  items = g_ptr_array_new_full (N_ITEMS, (GDestroyNotify) fw_item_unref);
  for (guint i = 0; i < N_ITEMS; i++)
    {
      char text[16];
      int len = g_snprintf (text, sizeof text, "%u", i);
      g_ptr_array_add (items, fw_item_new (FW_ITEM_LINE, feed, 0, text, len));
    }

  next = best_of (WAY_NEXT);
  batch = best_of (WAY_BATCH);
  for_each = best_of (WAY_FOR_EACH);
  plain = plain_loop ();
  if (!python_rates (&py_for, &py_sleep))
    return 1;

  printf ("%d items, best of %d; items/s\n\n", N_ITEMS, RUNS);
  printf ("| %-34s | %12s | %-40s | %12s | %8s |\n", "Feedwatch", "items/s", "peer", "items/s", "ratio");
  printf ("|%s|%s|%s|%s|%s|\n", "------------------------------------", "--------------",
          "------------------------------------------", "--------------", "----------");
  row ("next, one at a time", next, "asyncio async for + sleep(0) per item", py_sleep);
  row ("next, one at a time", next, "asyncio async for (no loop pass)", py_for);
  row ("next_batch (1024)", batch, "asyncio async for + sleep(0) per item", py_sleep);
  row ("for_each (batches of 1024)", for_each, "asyncio async for + sleep(0) per item", py_sleep);
  row ("next_batch (1024)", batch, "plain C loop creating the items", plain);
  printf ("\nTargets: next ≥ 10× asyncio's per-item loop path; next_batch ≥ 1/3 of the plain C loop.\n");

  g_ptr_array_unref (items);
  g_ref_string_release (feed);

  return 0;
}
