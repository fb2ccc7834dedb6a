/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-transform.c: map, filter, take, take_while, skip */

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

static FwItem *
prefix_map (FwItem   *item,
            gpointer  user_data,
            GError  **error)
{
  g_autofree char *text = g_strdup_printf ("m%s", item->text);

  if (g_strcmp0 (item->text, user_data) == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bad item %s", item->text);
      return NULL;
    }

  return fw_item_new (FW_ITEM_LINE, (GRefString *) item->feed, item->time_us, text, -1);
}

static gboolean
is_even (FwItem   *item,
         gpointer  user_data)
{
  return fw_test_item_number (item) % 2 == 0;
}

static gboolean
is_below_5 (FwItem   *item,
            gpointer  user_data)
{
  return fw_test_item_number (item) < 5;
}

static void
log_destroy (gpointer data)
{
  g_string_append ((GString *) data, "map;");
}

static FwItem *
pass_map (FwItem   *item,
          gpointer  user_data,
          GError  **error)
{
  return fw_item_ref (item);
}

static void
test_map (void)
{
  FwScriptSource src = { .n_items = 1000, .per_pull = 100 };
  g_autoptr(FwStream) stream = fw_map_new (fw_script_source_new (&src), prefix_map, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;

  g_assert_false (src.started); /* lazy */
  all = fw_test_collect (stream, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 1000);
  for (guint i = 0; i < all->len; i++)
    {
      char expected[16];
      g_snprintf (expected, sizeof expected, "m%u", i);
      g_assert_cmpstr (((FwItem *) g_ptr_array_index (all, i))->text, ==, expected);
    }
  g_assert_cmpuint (src.n_cleanups, ==, 1);
  g_assert_true (fw_test_close (stream, NULL));
  g_assert_cmpuint (src.n_cleanups, ==, 1);
}

static void
test_filter (void)
{
  FwScriptSource src = { .n_items = 100, .per_pull = 7, .idle = TRUE };
  g_autoptr(FwStream) stream = fw_filter_new (fw_script_source_new (&src), is_even, NULL, NULL);
  g_autoptr(GPtrArray) all = fw_test_collect (stream, NULL);

  g_assert_cmpuint (all->len, ==, 50);
  for (guint i = 0; i < all->len; i++)
    g_assert_cmpint (fw_test_item_number (g_ptr_array_index (all, i)), ==, 2 * i);
  g_assert_cmpuint (src.n_cleanups, ==, 1);
}

/* `async for r in readings: … break after 3` runs the generator's finally at once. */
static void
test_take_closes_input (void)
{
  FwScriptSource src = { .n_items = G_MAXUINT, .per_pull = 1, .delay_ms = 1 };
  g_autoptr(FwStream) stream = fw_take_new (fw_script_source_new (&src), 3);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(FwItem) item = fw_test_next (stream, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (fw_test_item_number (item), ==, i);
    }
  /* The input was closed when its third item passed, before the consumer asked again. */
  g_assert_cmpuint (src.n_cleanups, ==, 1);
  g_assert_cmpuint (src.n_produced, ==, 3);
  g_assert_null (fw_test_next (stream, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (fw_test_close (stream, NULL));
  g_assert_cmpuint (src.n_cleanups, ==, 1);
}

static void
test_take_batched (void)
{
  FwScriptSource src = { .n_items = 1000, .per_pull = 256 };
  g_autoptr(FwStream) stream = fw_take_new (fw_script_source_new (&src), 300);
  g_autoptr(GPtrArray) all = fw_test_collect (stream, NULL);
  g_autoptr(FwStream) zero = fw_take_new (fw_test_array_stream ("z", 5), 0);
  g_autoptr(GPtrArray) none = fw_test_collect (zero, NULL);

  g_assert_cmpuint (all->len, ==, 300);
  g_assert_cmpint (fw_test_item_number (g_ptr_array_index (all, 299)), ==, 299);
  g_assert_cmpuint (src.n_cleanups, ==, 1);
  g_assert_cmpuint (none->len, ==, 0);
}

static void
test_take_while_and_skip (void)
{
  FwScriptSource src = { .n_items = G_MAXUINT, .per_pull = 3 };
  g_autoptr(FwStream) stream = fw_take_while_new (fw_skip_new (fw_script_source_new (&src), 2),
                                                  is_below_5, NULL, NULL);
  g_autoptr(GPtrArray) all = fw_test_collect (stream, NULL);

  g_assert_cmpuint (all->len, ==, 3);
  for (guint i = 0; i < all->len; i++)
    g_assert_cmpint (fw_test_item_number (g_ptr_array_index (all, i)), ==, i + 2);
  g_assert_cmpuint (src.n_cleanups, ==, 1);
}

/* Closing the outer stream closes the inner ones, innermost first, each exactly once. */
static void
test_early_stop_nested (void)
{
  g_autoptr(GString) log = g_string_new ("");
  FwScriptSource src = { .n_items = G_MAXUINT, .per_pull = 4, .idle = TRUE, .log = log };
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(FwItem) a = NULL;
  g_autoptr(FwItem) b = NULL;

  stream = fw_map_new (fw_filter_new (fw_script_source_new (&src), is_even, NULL, NULL),
                       pass_map, log, log_destroy);
  a = fw_test_next (stream, NULL, NULL);
  b = fw_test_next (stream, NULL, NULL);
  g_assert_cmpint (fw_test_item_number (b), ==, 2);
  g_assert_true (fw_test_close (stream, NULL));
  g_assert_cmpstr (log->str, ==, "src;map;");
  g_assert_true (fw_test_close (stream, NULL)); /* idempotent */
  g_assert_cmpstr (log->str, ==, "src;map;");
  g_assert_cmpuint (src.n_cleanups, ==, 1);
}

/* for_each's break closes the chain too. */
static gboolean
stop_at_3 (FwItem   *item,
           gpointer  user_data)
{
  guint *n = user_data;

  return ++*n < 3;
}

static void
on_for_each (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  FwForEachEnd *end = user_data;

  *end = fw_stream_for_each_finish (FW_STREAM (object), result, NULL);
}

static void
test_for_each_break (void)
{
  g_autoptr(GString) log = g_string_new ("");
  FwScriptSource src = { .n_items = G_MAXUINT, .per_pull = 1, .idle = TRUE, .log = log };
  g_autoptr(FwStream) stream = fw_map_new (fw_script_source_new (&src), pass_map, log, log_destroy);
  FwForEachEnd end = (FwForEachEnd) -1;
  guint n = 0;

  fw_stream_for_each_async (stream, 16, stop_at_3, &n, NULL, NULL, on_for_each, &end);
  while (end == (FwForEachEnd) -1)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (end, ==, FW_FOR_EACH_STOPPED);
  g_assert_cmpstr (log->str, ==, "src;map;");
}

/* A caller cancelling one `next` loses nothing: the item comes with the next call. */
static void
test_cancel_mid_next (void)
{
  FwScriptSource src = { .n_items = 5, .per_pull = 1, .delay_ms = 30 };
  g_autoptr(FwStream) stream = fw_map_new (fw_script_source_new (&src), pass_map, NULL, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(FwItem) item = NULL;
  NextWait wait = { 0 };

  fw_stream_next_async (stream, cancellable, on_next, &wait);
  g_assert_true (src.pending);
  g_cancellable_cancel (cancellable);
  fw_test_wait_for (&wait.done);
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&wait.error);

  item = fw_test_next (stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fw_test_item_number (item), ==, 0);
  g_assert_cmpuint (src.n_cleanups, ==, 0);
  g_assert_true (fw_test_close (stream, NULL));
  g_assert_cmpuint (src.n_cleanups, ==, 1);
}

static void
test_errors (void)
{
  FwScriptSource before = { .n_items = 0, .fail = TRUE, .idle = TRUE };
  FwScriptSource after = { .n_items = 3, .per_pull = 2, .fail = TRUE };
  FwScriptSource mapped = { .n_items = 10, .per_pull = 10 };
  g_autoptr(FwStream) s1 = fw_filter_new (fw_script_source_new (&before), is_even, NULL, NULL);
  g_autoptr(FwStream) s2 = fw_skip_new (fw_script_source_new (&after), 0);
  g_autoptr(FwStream) s3 = fw_map_new (fw_script_source_new (&mapped), prefix_map, (gpointer) "2", NULL);
  g_autoptr(GError) error = NULL;
  FwItem *item;

  g_assert_null (fw_test_next (s1, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_cmpuint (before.n_cleanups, ==, 1);

  for (guint i = 0; i < 3; i++)
    {
      item = fw_test_next (s2, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (fw_test_item_number (item), ==, i);
      fw_item_unref (item);
    }
  g_assert_null (fw_test_next (s2, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_cmpuint (after.n_cleanups, ==, 1);

  /* The map function's own failure, after the items mapped before it. */
  for (guint i = 0; i < 2; i++)
    {
      item = fw_test_next (s3, NULL, &error);
      g_assert_no_error (error);
      fw_item_unref (item);
    }
  g_assert_null (fw_test_next (s3, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_cmpuint (mapped.n_cleanups, ==, 1);
}

static void
test_close_while_pending (void)
{
  FwScriptSource src = { .n_items = 0, .hang = TRUE };
  g_autoptr(FwStream) stream = fw_take_new (fw_script_source_new (&src), 10);
  NextWait wait = { 0 };

  fw_stream_next_async (stream, NULL, on_next, &wait);
  g_assert_true (src.pending);
  g_assert_true (fw_test_close (stream, NULL));
  fw_test_wait_for (&wait.done);
  g_assert_null (wait.item);
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&wait.error);
  g_assert_cmpuint (src.n_cleanups, ==, 1);

  /* After close, next fails with CLOSED. */
  wait.done = FALSE;
  fw_stream_next_async (stream, NULL, on_next, &wait);
  fw_test_wait_for (&wait.done);
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_clear_error (&wait.error);
}

static void
test_pending_rule (void)
{
  FwScriptSource src = { .n_items = 5, .delay_ms = 5 };
  g_autoptr(FwStream) stream = fw_map_new (fw_script_source_new (&src), pass_map, NULL, NULL);
  NextWait a = { 0 }, b = { 0 };

  fw_stream_next_async (stream, NULL, on_next, &a);
  fw_stream_next_async (stream, NULL, on_next, &b);
  fw_test_wait_for (&b.done);
  g_assert_error (b.error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_clear_error (&b.error);
  fw_test_wait_for (&a.done);
  g_assert_nonnull (a.item);
  fw_item_unref (a.item);
}

/* Dropped without close: released without blocking, the input's cleanup runs once. */
static void
test_dispose_without_close (void)
{
  g_autoptr(GString) log = g_string_new ("");
  FwScriptSource src = { .n_items = G_MAXUINT, .per_pull = 2, .idle = TRUE, .log = log };
  FwStream *stream = fw_map_new (fw_take_new (fw_script_source_new (&src), 100), pass_map, log,
                                 log_destroy);
  FwItem *item = fw_test_next (stream, NULL, NULL);

  fw_item_unref (item);
  g_object_unref (stream);
  fw_test_iterate_idle ();
  g_assert_cmpstr (log->str, ==, "src;map;");
  g_assert_cmpuint (fw_close_registry_get_n_closing (fw_close_registry_get_default ()), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/transform/map", test_map);
  g_test_add_func ("/transform/filter", test_filter);
  g_test_add_func ("/transform/take/closes-input", test_take_closes_input);
  g_test_add_func ("/transform/take/batched", test_take_batched);
  g_test_add_func ("/transform/take-while-and-skip", test_take_while_and_skip);
  g_test_add_func ("/transform/early-stop-nested", test_early_stop_nested);
  g_test_add_func ("/transform/for-each-break", test_for_each_break);
  g_test_add_func ("/transform/cancel-mid-next", test_cancel_mid_next);
  g_test_add_func ("/transform/errors", test_errors);
  g_test_add_func ("/transform/close-while-pending", test_close_while_pending);
  g_test_add_func ("/transform/pending-rule", test_pending_rule);
  g_test_add_func ("/transform/dispose-without-close", test_dispose_without_close);

  return g_test_run ();
}
