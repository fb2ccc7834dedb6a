/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-throttle.c: at most one item per interval, the latest */

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

/* A fast input: one item per interval, the latest; the input's last item is never lost. */
static void
test_fast_input (void)
{
  FwScriptSource src = { .n_items = 20000, .per_pull = 50, .idle = TRUE };
  g_autoptr(FwStream) stream = fw_throttle_new (fw_script_source_new (&src), 20);
  gint64 last = -1, start = g_get_monotonic_time (), elapsed;
  guint n = 0;

  for (;;)
    {
      g_autoptr(FwItem) item = fw_test_next (stream, NULL, NULL);

      if (item == NULL)
        break;
      /* The first goes at once: the latest of what had arrived, the first block's last. */
      if (n == 0)
        g_assert_cmpint (fw_test_item_number (item), ==, 49);
      g_assert_cmpint (fw_test_item_number (item), >, last);
      last = fw_test_item_number (item);
      n++;
    }
  elapsed = g_get_monotonic_time () - start;
  /* Items leave at least 20 ms apart: an upper bound that no slowness can break. */
  g_assert_cmpuint (n, <=, elapsed / (20 * 1000) + 1);
  g_assert_cmpuint (n, >=, 2);
  g_assert_cmpint (last, ==, 19999);
  g_assert_cmpuint (fw_throttle_get_n_dropped (FW_THROTTLE (stream)), ==, 20000 - n);
  g_assert_cmpuint (src.n_cleanups, ==, 1);
}

/* A slow input loses nothing. */
static void
test_slow_input (void)
{
  FwScriptSource src = { .n_items = 5, .per_pull = 1, .delay_ms = 30 };
  g_autoptr(FwStream) stream = fw_throttle_new (fw_script_source_new (&src), 5);
  g_autoptr(GPtrArray) all = fw_test_collect (stream, NULL);

  g_assert_cmpuint (all->len, ==, 5);
  g_assert_cmpuint (fw_throttle_get_n_dropped (FW_THROTTLE (stream)), ==, 0);
}

static void
test_errors (void)
{
  FwScriptSource before = { .n_items = 0, .fail = TRUE };
  FwScriptSource after = { .n_items = 10, .per_pull = 10, .fail = TRUE };
  g_autoptr(FwStream) s1 = fw_throttle_new (fw_script_source_new (&before), 10);
  g_autoptr(FwStream) s2 = fw_throttle_new (fw_script_source_new (&after), 10);
  g_autoptr(GError) error = NULL;
  g_autoptr(FwItem) item = NULL;

  g_assert_null (fw_test_next (s1, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);

  /* The latest item waiting goes out before the error. */
  item = fw_test_next (s2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fw_test_item_number (item), ==, 9);
  g_assert_null (fw_test_next (s2, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpuint (before.n_cleanups + after.n_cleanups, ==, 2);
}

static void
test_close_while_pending (void)
{
  FwScriptSource src = { .n_items = 2, .per_pull = 2, .hang = TRUE };
  g_autoptr(FwStream) stream = fw_throttle_new (fw_script_source_new (&src), 10000);
  g_autoptr(FwItem) first = fw_test_next (stream, NULL, NULL);
  NextWait wait = { 0 };

  /* The second item waits for the long interval; closing ends that wait. */
  fw_stream_next_async (stream, NULL, on_next, &wait);
  g_assert_true (fw_test_close (stream, NULL));
  fw_test_wait_for (&wait.done);
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&wait.error);
  g_assert_cmpuint (src.n_cleanups, ==, 1);
}

static void
test_cancel_mid_next (void)
{
  FwScriptSource src = { .n_items = 1, .delay_ms = 20 };
  g_autoptr(FwStream) stream = fw_throttle_new (fw_script_source_new (&src), 10);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) all = NULL;
  NextWait wait = { 0 };

  fw_stream_next_async (stream, cancellable, on_next, &wait);
  g_cancellable_cancel (cancellable);
  fw_test_wait_for (&wait.done);
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&wait.error);
  all = fw_test_collect (stream, NULL);
  g_assert_cmpuint (all->len, ==, 1);
}

static void
test_dispose_without_close (void)
{
  FwScriptSource src = { .n_items = G_MAXUINT, .idle = TRUE };
  FwStream *stream = fw_throttle_new (fw_script_source_new (&src), 5);
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

  g_test_add_func ("/throttle/fast-input", test_fast_input);
  g_test_add_func ("/throttle/slow-input", test_slow_input);
  g_test_add_func ("/throttle/errors", test_errors);
  g_test_add_func ("/throttle/close-while-pending", test_close_while_pending);
  g_test_add_func ("/throttle/cancel-mid-next", test_cancel_mid_next);
  g_test_add_func ("/throttle/dispose-without-close", test_dispose_without_close);

  return g_test_run ();
}
