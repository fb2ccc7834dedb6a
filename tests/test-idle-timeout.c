/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-idle-timeout.c: an error or heartbeats when the input stalls */

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

static void
test_pass_through (void)
{
  FwScriptSource src = { .n_items = 1000, .per_pull = 10, .idle = TRUE };
  g_autoptr(FwStream) stream = fw_idle_timeout_new (fw_script_source_new (&src), 10000,
                                                    FW_IDLE_TIMEOUT_ERROR);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = fw_test_collect (stream, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 1000);
  g_assert_cmpuint (src.n_cleanups, ==, 1);
}

/* A stalled connection: the items, then TIMED_OUT, and the input is closed. */
static void
test_error_on_stall (void)
{
  FwScriptSource src = { .n_items = 2, .per_pull = 1, .hang = TRUE };
  g_autoptr(FwStream) stream = fw_idle_timeout_new (fw_script_source_new (&src), 30,
                                                    FW_IDLE_TIMEOUT_ERROR);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(FwItem) item = fw_test_next (stream, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (fw_test_item_number (item), ==, i);
    }
  g_assert_null (fw_test_next (stream, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpuint (src.n_cleanups, ==, 1);
}

/* A quiet feed: heartbeats between the items, and no item is lost to them. */
static void
test_heartbeat (void)
{
  FwScriptSource src = { .name = "quiet", .n_items = 3, .per_pull = 1, .delay_ms = 250 };
  g_autoptr(FwStream) stream = fw_idle_timeout_new (fw_script_source_new (&src), 15,
                                                    FW_IDLE_TIMEOUT_HEARTBEAT);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = fw_test_collect (stream, &error);
  guint n_lines = 0, n_beats = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    {
      FwItem *item = g_ptr_array_index (all, i);

      if (item->kind == FW_ITEM_STATUS)
        {
          g_assert_cmpstr (item->name, ==, "idle");
          n_beats++;
        }
      else
        g_assert_cmpint (fw_test_item_number (item), ==, n_lines++);
    }
  g_assert_cmpuint (n_lines, ==, 3);
  /* 250 ms silences against a 15 ms timeout: a heartbeat before the first item, unless the
   * whole process stalled for more than 235 ms. */
  g_assert_cmpint (((FwItem *) g_ptr_array_index (all, 0))->kind, ==, FW_ITEM_STATUS);
  g_assert_cmpuint (n_beats, >=, 1);
  g_assert_cmpuint (src.n_cleanups, ==, 1);
}

/* The clock restarts with each item: steady items 10 ms apart never time out at 500 ms. */
static void
test_clock_restarts (void)
{
  FwScriptSource src = { .n_items = 20, .per_pull = 1, .delay_ms = 10 };
  g_autoptr(FwStream) stream = fw_idle_timeout_new (fw_script_source_new (&src), 500,
                                                    FW_IDLE_TIMEOUT_ERROR);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = fw_test_collect (stream, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 20);
}

static void
test_errors (void)
{
  FwScriptSource before = { .n_items = 0, .fail = TRUE, .idle = TRUE };
  FwScriptSource src = { .n_items = 1, .fail = TRUE, .idle = TRUE };
  g_autoptr(FwStream) s1 = fw_idle_timeout_new (fw_script_source_new (&before), 1000,
                                                FW_IDLE_TIMEOUT_ERROR);
  g_autoptr(FwStream) stream = fw_idle_timeout_new (fw_script_source_new (&src), 1000,
                                                    FW_IDLE_TIMEOUT_HEARTBEAT);
  g_autoptr(GError) error = NULL;
  g_autoptr(FwItem) item = NULL;

  g_assert_null (fw_test_next (s1, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_cmpuint (before.n_cleanups, ==, 1);

  item = fw_test_next (stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (item);
  g_assert_null (fw_test_next (stream, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpuint (src.n_cleanups, ==, 1);
}

static void
test_close_while_pending (void)
{
  FwScriptSource src = { .n_items = 0, .hang = TRUE };
  g_autoptr(FwStream) stream = fw_idle_timeout_new (fw_script_source_new (&src), 60000,
                                                    FW_IDLE_TIMEOUT_ERROR);
  NextWait wait = { 0 };

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
  g_autoptr(FwStream) stream = fw_idle_timeout_new (fw_script_source_new (&src), 5000,
                                                    FW_IDLE_TIMEOUT_ERROR);
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
  FwScriptSource src = { .n_items = 1, .hang = TRUE };
  FwStream *stream = fw_idle_timeout_new (fw_script_source_new (&src), 5,
                                          FW_IDLE_TIMEOUT_HEARTBEAT);
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

  g_test_add_func ("/idle-timeout/pass-through", test_pass_through);
  g_test_add_func ("/idle-timeout/error-on-stall", test_error_on_stall);
  g_test_add_func ("/idle-timeout/heartbeat", test_heartbeat);
  g_test_add_func ("/idle-timeout/clock-restarts", test_clock_restarts);
  g_test_add_func ("/idle-timeout/errors", test_errors);
  g_test_add_func ("/idle-timeout/close-while-pending", test_close_while_pending);
  g_test_add_func ("/idle-timeout/cancel-mid-next", test_cancel_mid_next);
  g_test_add_func ("/idle-timeout/dispose-without-close", test_dispose_without_close);

  return g_test_run ();
}
