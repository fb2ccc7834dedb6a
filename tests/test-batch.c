/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-batch.c: groups by count or time, and the buffered iterator of the base class */

#include "fw-test-util.h"
#include "fw-script-source.h"

typedef struct
{
  gboolean  done;
  FwItem   *item;
  GError   *error;
} NextWait;

static void
on_next (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  NextWait *wait = user_data;

  wait->item = fw_stream_next_finish (FW_STREAM (object), result, &wait->error);
  wait->done = TRUE;
}

/* The reference texts' BufferedAsyncIterator: one pull of the source serves many `next`. */
static void
test_buffered_next (void)
{
  FwScriptSource src = { .n_items = 1000, .per_pull = 100 };
  g_autoptr(FwStream) stream = fw_script_source_new (&src);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 1000; i++)
    {
      g_autoptr(FwItem) item = fw_test_next (stream, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (fw_test_item_number (item), ==, i);
    }
  g_assert_cmpuint (src.n_pulls, ==, 10);
  g_assert_null (fw_test_next (stream, NULL, &error));
  g_assert_cmpuint (src.n_pulls, ==, 11);
}

/* Checks that the groups hold items 0..n-1 in order, and returns their sizes. */
static GArray *
group_sizes (GPtrArray *groups,
             guint      n_items)
{
  GArray *sizes = g_array_new (FALSE, FALSE, sizeof (guint));
  guint next = 0;

  for (guint i = 0; i < groups->len; i++)
    {
      FwItem *item = g_ptr_array_index (groups, i);
      GPtrArray *group = fw_item_get_group (item);

      g_assert_cmpint (item->kind, ==, FW_ITEM_MESSAGE);
      g_assert_nonnull (group);
      g_assert_cmpuint (group->len, >, 0);
      g_assert_cmpint (item->time_us, ==, ((FwItem *) g_ptr_array_index (group, 0))->time_us);
      for (guint j = 0; j < group->len; j++)
        g_assert_cmpint (fw_test_item_number (g_ptr_array_index (group, j)), ==, next++);
      g_array_append_val (sizes, group->len);
    }
  g_assert_cmpuint (next, ==, n_items);

  return sizes;
}

static void
test_by_count (void)
{
  FwScriptSource src = { .name = "feed", .n_items = 25, .per_pull = 7 };
  g_autoptr(FwStream) stream = fw_batch_new (fw_script_source_new (&src), 4, 0);
  g_autoptr(GPtrArray) groups = fw_test_collect (stream, NULL);
  g_autoptr(GArray) sizes = group_sizes (groups, 25);
  FwItem *first = g_ptr_array_index (groups, 0);

  g_assert_cmpuint (sizes->len, ==, 7);
  for (guint i = 0; i < 6; i++)
    g_assert_cmpuint (g_array_index (sizes, guint, i), ==, 4);
  g_assert_cmpuint (g_array_index (sizes, guint, 6), ==, 1); /* the short last group */
  g_assert_cmpstr (first->feed, ==, "feed");
  g_assert_cmpstr (first->text, ==, "4 items");
  g_assert_cmpuint (src.n_cleanups, ==, 1);
}

/* A slow input: groups close on their deadline, well before they are full. */
static void
test_by_time (void)
{
  FwScriptSource src = { .n_items = 30, .per_pull = 1, .delay_ms = 5 };
  g_autoptr(FwStream) stream = fw_batch_new (fw_script_source_new (&src), 1000, 40);
  g_autoptr(GPtrArray) groups = fw_test_collect (stream, NULL);
  g_autoptr(GArray) sizes = group_sizes (groups, 30);

  /* 30 items at least 5 ms apart take 150 ms or more: several 40 ms windows. */
  g_assert_cmpuint (sizes->len, >=, 2);
  g_assert_cmpuint (src.n_cleanups, ==, 1);
}

/* Whichever comes first: a fast input fills groups by count despite a long deadline. */
static void
test_count_before_time (void)
{
  FwScriptSource src = { .n_items = 100, .per_pull = 3, .idle = TRUE };
  g_autoptr(FwStream) stream = fw_batch_new (fw_script_source_new (&src), 10, 60000);
  g_autoptr(GPtrArray) groups = fw_test_collect (stream, NULL);
  g_autoptr(GArray) sizes = group_sizes (groups, 100);

  g_assert_cmpuint (sizes->len, ==, 10);
}

/* A group waiting on its deadline goes out alone while the input is still silent. */
static void
test_deadline_while_input_hangs (void)
{
  FwScriptSource src = { .n_items = 3, .per_pull = 3, .hang = TRUE };
  g_autoptr(FwStream) stream = fw_batch_new (fw_script_source_new (&src), 10, 20);
  g_autoptr(FwItem) item = fw_test_next (stream, NULL, NULL);
  NextWait wait = { 0 };

  g_assert_cmpuint (fw_item_get_group (item)->len, ==, 3);
  g_assert_true (src.pending);
  fw_stream_next_async (stream, NULL, on_next, &wait);
  g_assert_true (fw_test_close (stream, NULL));
  fw_test_wait_for (&wait.done);
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&wait.error);
  g_assert_cmpuint (src.n_cleanups, ==, 1);
}

static void
test_errors (void)
{
  FwScriptSource before = { .n_items = 0, .fail = TRUE };
  FwScriptSource after = { .n_items = 5, .per_pull = 5, .fail = TRUE, .idle = TRUE };
  g_autoptr(FwStream) s1 = fw_batch_new (fw_script_source_new (&before), 4, 10);
  g_autoptr(FwStream) s2 = fw_batch_new (fw_script_source_new (&after), 4, 0);
  g_autoptr(GError) error = NULL;
  FwItem *item;

  g_assert_null (fw_test_next (s1, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);

  item = fw_test_next (s2, NULL, &error);
  g_assert_cmpuint (fw_item_get_group (item)->len, ==, 4);
  fw_item_unref (item);
  item = fw_test_next (s2, NULL, &error);
  g_assert_cmpuint (fw_item_get_group (item)->len, ==, 1); /* the partial group first */
  fw_item_unref (item);
  g_assert_null (fw_test_next (s2, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpuint (before.n_cleanups + after.n_cleanups, ==, 2);
}

static void
test_cancel_mid_next (void)
{
  FwScriptSource src = { .n_items = 4, .per_pull = 2, .delay_ms = 20 };
  g_autoptr(FwStream) stream = fw_batch_new (fw_script_source_new (&src), 4, 0);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) groups = NULL;
  NextWait wait = { 0 };

  fw_stream_next_async (stream, cancellable, on_next, &wait);
  g_cancellable_cancel (cancellable);
  fw_test_wait_for (&wait.done);
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&wait.error);
  groups = fw_test_collect (stream, NULL);
  g_assert_cmpuint (groups->len, ==, 1);
  g_assert_cmpuint (fw_item_get_group (g_ptr_array_index (groups, 0))->len, ==, 4);
}

/* take 2 groups of an endless input: the input is closed once, at the second group. */
static void
test_early_stop_nested (void)
{
  g_autoptr(GString) log = g_string_new ("");
  FwScriptSource src = { .name = "src", .n_items = G_MAXUINT, .per_pull = 3, .idle = TRUE,
                         .log = log };
  g_autoptr(FwStream) stream = fw_take_new (fw_batch_new (fw_script_source_new (&src), 5, 0), 2);
  g_autoptr(GPtrArray) groups = fw_test_collect (stream, NULL);

  g_assert_cmpuint (groups->len, ==, 2);
  g_assert_cmpstr (log->str, ==, "src;");
}

static void
test_dispose_without_close (void)
{
  FwScriptSource src = { .n_items = G_MAXUINT, .per_pull = 1, .delay_ms = 1 };
  FwStream *stream = fw_batch_new (fw_script_source_new (&src), 100, 5);
  FwItem *item = fw_test_next (stream, NULL, NULL);

  fw_item_unref (item);
  g_object_unref (stream);
  fw_test_iterate_idle ();
  g_assert_cmpuint (src.n_cleanups, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/batch/buffered-next", test_buffered_next);
  g_test_add_func ("/batch/by-count", test_by_count);
  g_test_add_func ("/batch/by-time", test_by_time);
  g_test_add_func ("/batch/count-before-time", test_count_before_time);
  g_test_add_func ("/batch/deadline-while-input-hangs", test_deadline_while_input_hangs);
  g_test_add_func ("/batch/errors", test_errors);
  g_test_add_func ("/batch/cancel-mid-next", test_cancel_mid_next);
  g_test_add_func ("/batch/early-stop-nested", test_early_stop_nested);
  g_test_add_func ("/batch/dispose-without-close", test_dispose_without_close);

  return g_test_run ();
}
