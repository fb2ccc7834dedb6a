/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-item-array.c: a batch of items read a field at a time (for language bindings) */

#include "fw-test-util.h"

#include <math.h>

#define SOME_TIME_US (G_GINT64_CONSTANT (1795312984) * G_USEC_PER_SEC + 5)

/* A line with a level and a source time, a reading, an event with an id, a message */
static GPtrArray *
make_items (void)
{
  GRefString *feed = fw_ref_string_intern ("app.log");
  GRefString *sensor = fw_ref_string_intern ("sim:sensor");
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  FwItem *item;

  item = fw_item_new (FW_ITEM_LINE, feed, SOME_TIME_US, "disk full", -1);
  fw_item_set_level (item, FW_LEVEL_ERROR);
  item->source_time_us = SOME_TIME_US - 7;
  g_ptr_array_add (items, item);

  item = fw_item_new_reading (sensor, SOME_TIME_US + 1, "CPU", 42.5, "%");
  g_ptr_array_add (items, item);

  item = fw_item_new (FW_ITEM_EVENT, feed, SOME_TIME_US + 2, "ping", -1);
  fw_item_set_name (item, "heartbeat");
  fw_item_set_id (item, "17");
  fw_item_add_flags (item, FW_ITEM_FLAG_REPLAYED);
  g_ptr_array_add (items, item);

  item = fw_item_new (FW_ITEM_MESSAGE, feed, SOME_TIME_US + 3, "{}", -1);
  g_ptr_array_add (items, item);

  g_ref_string_release (feed);
  g_ref_string_release (sensor);
  return items;
}

/* Every column gives, item by item, what the item's own getter gives */
static void
test_columns (void)
{
  g_autoptr(GPtrArray) items = make_items ();
  g_autoptr(FwItemArray) array = fw_item_array_new ((FwItem **) items->pdata, items->len);
  g_autofree guint8 *kinds = NULL, *levels = NULL, *flags = NULL;
  g_autofree gint64 *times = NULL, *source_times = NULL;
  g_autofree double *values = NULL;
  g_autofree const char **texts = NULL, **feeds = NULL, **names = NULL, **units = NULL;
  g_autofree const char **ids = NULL;
  guint n[11];

  g_assert_cmpuint (fw_item_array_get_length (array), ==, 4);
  kinds = fw_item_array_get_kinds (array, &n[0]);
  levels = fw_item_array_get_levels (array, &n[1]);
  flags = fw_item_array_get_flags (array, &n[2]);
  times = fw_item_array_get_times (array, &n[3]);
  source_times = fw_item_array_get_source_times (array, &n[4]);
  values = fw_item_array_get_values (array, &n[5]);
  texts = fw_item_array_get_texts (array, &n[6]);
  feeds = fw_item_array_get_feeds (array, &n[7]);
  names = fw_item_array_get_names (array, &n[8]);
  units = fw_item_array_get_units (array, &n[9]);
  ids = fw_item_array_get_ids (array, &n[10]);
  for (guint c = 0; c < G_N_ELEMENTS (n); c++)
    g_assert_cmpuint (n[c], ==, 4);

  for (guint i = 0; i < items->len; i++)
    {
      FwItem *item = g_ptr_array_index (items, i);

      g_assert_true (fw_item_array_get (array, i) == item);
      g_assert_cmpint (kinds[i], ==, fw_item_get_kind (item));
      g_assert_cmpint (levels[i], ==, fw_item_get_level (item));
      g_assert_cmpint (flags[i], ==, fw_item_get_flags (item));
      g_assert_cmpint (times[i], ==, fw_item_get_time (item));
      g_assert_cmpint (source_times[i], ==, fw_item_get_source_time (item));
      if (fw_item_has_value (item))
        g_assert_cmpfloat (values[i], ==, fw_item_get_value (item));
      else
        g_assert_true (isnan (values[i]));
      g_assert_cmpstr (texts[i], ==, fw_item_get_text (item));
      g_assert_cmpstr (feeds[i], ==, fw_item_get_feed (item));
      g_assert_cmpstr (names[i], ==, fw_item_get_name (item));
      g_assert_cmpstr (units[i], ==, fw_item_get_unit (item));
      g_assert_cmpstr (ids[i], ==, fw_item_get_id (item));
    }

  /* the values themselves, not only agreement with the getters */
  g_assert_cmpint (kinds[1], ==, FW_ITEM_READING);
  g_assert_cmpint (levels[0], ==, FW_LEVEL_ERROR);
  g_assert_cmpint (source_times[0], ==, SOME_TIME_US - 7);
  g_assert_cmpfloat (values[1], ==, 42.5);
  g_assert_cmpstr (units[1], ==, "%");
  g_assert_cmpstr (ids[2], ==, "17");
  g_assert_true (flags[2] & FW_ITEM_FLAG_REPLAYED);
  g_assert_null (names[3]);
}

/* No items: every column is an empty array, never NULL; the count is optional */
static void
test_empty (void)
{
  g_autoptr(FwItemArray) array = fw_item_array_new (NULL, 0);
  g_autofree guint8 *kinds = NULL;
  g_autofree const char **texts = NULL;
  g_autofree gint64 *times = NULL;
  guint n = 99;

  g_assert_cmpuint (fw_item_array_get_length (array), ==, 0);
  kinds = fw_item_array_get_kinds (array, &n);
  g_assert_nonnull (kinds);
  g_assert_cmpuint (n, ==, 0);
  texts = fw_item_array_get_texts (array, NULL);
  g_assert_nonnull (texts);
  times = fw_item_array_get_times (array, NULL);
  g_assert_nonnull (times);
}

/* fw_item_array_new() takes its own references; new_take() the array's; the last unref of the
 * array drops them */
static void
test_references (void)
{
  g_autoptr(GPtrArray) items = make_items ();
  FwItem *first = g_ptr_array_index (items, 0);
  FwItemArray *copy = fw_item_array_new ((FwItem **) items->pdata, items->len);
  FwItemArray *taken;

  g_assert_cmpint (first->ref_count, ==, 2);
  g_assert_true (fw_item_array_ref (copy) == copy);
  fw_item_array_unref (copy);
  g_assert_cmpint (first->ref_count, ==, 2);
  fw_item_array_unref (copy);
  g_assert_cmpint (first->ref_count, ==, 1);

  taken = fw_item_array_new_take (g_ptr_array_ref (items));
  g_assert_cmpint (first->ref_count, ==, 1);
  g_assert_true (fw_item_array_get (taken, 0) == first);
  fw_item_array_unref (taken);
  g_assert_cmpuint (items->len, ==, 4);   /* our reference to the GPtrArray keeps it whole */
}

typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} Wait;

static void
on_batch (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  wait->done = TRUE;
}

static FwItemArray *
next_batch_array (FwStream *stream,
                  guint     max_items)
{
  g_autoptr(GError) error = NULL;
  Wait wait = { 0 };
  FwItemArray *array;

  fw_stream_next_batch_async (stream, max_items, NULL, on_batch, &wait);
  fw_test_wait_for (&wait.done);
  array = fw_stream_next_batch_finish_array (stream, wait.result, &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  g_assert_nonnull (array);
  return array;
}

/* A stream's batch, as an array: the same items as fw_stream_next_batch_finish() would give,
 * then an empty array at the end */
static void
test_stream_batch (void)
{
  g_autoptr(GPtrArray) items = fw_test_make_lines ("app.log", 5);
  g_autoptr(FwStream) stream = fw_array_stream_new ((FwItem **) items->pdata, items->len);
  g_autoptr(FwItemArray) first = next_batch_array (stream, 3);
  g_autoptr(FwItemArray) rest = next_batch_array (stream, 100);
  g_autoptr(FwItemArray) end = next_batch_array (stream, 100);

  g_assert_cmpuint (fw_item_array_get_length (first), ==, 3);
  g_assert_cmpuint (fw_item_array_get_length (rest), ==, 2);
  for (guint i = 0; i < 5; i++)
    g_assert_true (fw_item_array_get (i < 3 ? first : rest, i < 3 ? i : i - 3)
                   == g_ptr_array_index (items, i));
  g_assert_cmpuint (fw_item_array_get_length (end), ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/item-array/columns", test_columns);
  g_test_add_func ("/item-array/empty", test_empty);
  g_test_add_func ("/item-array/references", test_references);
  g_test_add_func ("/item-array/stream-batch", test_stream_batch);

  return g_test_run ();
}
