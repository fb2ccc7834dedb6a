/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-stream.c: every rule of the stream contract (DESIGN.md §3), one test each */

#include "fw-test-util.h"

typedef struct
{
  gboolean      done;
  GAsyncResult *result;
  GThread      *thread;
} Wait;

static void
on_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  wait->thread = g_thread_self ();
  wait->done = TRUE;
}

static void
test_lazy_start (void)
{
  FwTestSource *source = fw_test_source_new ();
  Wait wait = { 0 };
  g_autoptr(FwItem) item = NULL;
  g_autoptr(GError) error = NULL;

  /* Nothing is opened or pulled until the first next. */
  fw_test_iterate_idle ();
  g_assert_cmpuint (source->n_pulls, ==, 0);
  g_assert_false (fw_stream_is_started (source->stream));

  fw_stream_next_async (source->stream, NULL, on_done, &wait);
  g_assert_cmpuint (source->n_pulls, ==, 1);
  g_assert_true (fw_stream_is_started (source->stream));
  g_assert_false (wait.done);

  fw_test_source_answer (source, 1);
  g_assert_false (wait.done); /* never completes inside the source's answer either */
  fw_test_wait_for (&wait.done);
  item = fw_stream_next_finish (source->stream, wait.result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (item->text, ==, "0");
  g_object_unref (wait.result);

  g_assert_true (fw_test_close (source->stream, NULL));
  fw_test_source_free (source);
}

static void
test_pending (void)
{
  FwTestSource *source = fw_test_source_new ();
  Wait first = { 0 }, second = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(FwItem) item = NULL;

  fw_stream_next_async (source->stream, NULL, on_done, &first);
  g_assert_true (fw_stream_has_pending (source->stream));
  fw_stream_next_async (source->stream, NULL, on_done, &second);
  fw_test_wait_for (&second.done);
  g_assert_null (fw_stream_next_finish (source->stream, second.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_object_unref (second.result);

  /* The first call is unharmed. */
  g_assert_false (first.done);
  fw_test_source_answer (source, 1);
  fw_test_wait_for (&first.done);
  item = fw_stream_next_finish (source->stream, first.result, NULL);
  g_assert_nonnull (item);
  g_object_unref (first.result);

  fw_test_source_free (source);
}

static void
test_closed (void)
{
  FwTestSource *source = fw_test_source_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batch = NULL;

  g_assert_true (fw_test_close (source->stream, NULL));
  g_assert_true (fw_stream_is_closed (source->stream));
  g_assert_null (fw_test_next (source->stream, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_clear_error (&error);
  batch = fw_test_next_batch (source->stream, 10, NULL, &error);
  g_assert_null (batch);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_assert_cmpuint (source->n_pulls, ==, 0);

  fw_test_source_free (source);
}

static void
test_cancel_mid_next (void)
{
  FwTestSource *source = fw_test_source_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Wait wait = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(FwItem) item = NULL;

  fw_stream_next_async (source->stream, cancellable, on_done, &wait);
  g_assert_cmpuint (source->n_pulls, ==, 1);
  g_cancellable_cancel (cancellable);
  fw_test_wait_for (&wait.done);
  g_assert_null (fw_stream_next_finish (source->stream, wait.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_object_unref (wait.result);
  g_assert_false (fw_stream_has_pending (source->stream));

  /* The source answers late: the item is kept for the next call, not lost, and no second
   * pull is made while the first is unanswered. */
  fw_test_source_answer (source, 1);
  item = fw_test_next (source->stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (item->text, ==, "0");
  g_assert_cmpuint (source->n_pulls, ==, 1);

  fw_test_source_free (source);
}

static void
test_cancelled_before_call (void)
{
  FwTestSource *source = fw_test_source_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_null (fw_test_next (source->stream, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (source->n_pulls, ==, 0);

  fw_test_source_free (source);
}

static void
test_deferred_error (void)
{
  FwTestSource *source = fw_test_source_new ();
  Wait wait = { 0 };
  g_autoptr(GError) error = NULL;
  FwItem *item;

  /* Two items and then an error, all in one answer. */
  fw_stream_next_async (source->stream, NULL, on_done, &wait);
  fw_stream_yield (source->stream, fw_item_new (FW_ITEM_LINE, source->feed, 0, "a", 1));
  fw_stream_yield (source->stream, fw_item_new (FW_ITEM_LINE, source->feed, 0, "b", 1));
  source->pull_outstanding = TRUE;
  fw_test_source_fail (source, "the disk caught fire");
  fw_test_wait_for (&wait.done);
  item = fw_stream_next_finish (source->stream, wait.result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (item->text, ==, "a");
  fw_item_unref (item);
  g_object_unref (wait.result);

  item = fw_test_next (source->stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (item->text, ==, "b");
  fw_item_unref (item);

  g_assert_null (fw_test_next (source->stream, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "the disk caught fire");
  g_clear_error (&error);
  g_assert_cmpuint (source->n_cleanups, ==, 1);

  /* After the error, the stream is over: the end, with no error and no new pull. */
  g_assert_null (fw_test_next (source->stream, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (source->n_pulls, ==, 1);

  fw_test_source_free (source);
}

static void
on_end_check_cleanup (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  FwTestSource *source = user_data;
  g_autoptr(GError) error = NULL;
  FwItem *item = fw_stream_next_finish (FW_STREAM (object), result, &error);

  g_assert_no_error (error);
  g_assert_null (item);
  /* `finally` ran before the consumer heard of the end */
  source->cleanup_seen_by_end = source->n_cleanups == 1;
}

static void
test_cleanup_once_on_exhaustion (void)
{
  FwTestSource *source = fw_test_source_new ();
  g_autoptr(FwItem) item = NULL;
  g_autoptr(GError) error = NULL;

  fw_stream_next_async (source->stream, NULL, on_end_check_cleanup, source);
  fw_test_source_end (source);
  while (!source->cleanup_seen_by_end && source->n_cleanups == 0)
    g_main_context_iteration (NULL, TRUE);
  fw_test_iterate_idle ();
  g_assert_true (source->cleanup_seen_by_end);
  g_assert_true (source->started_at_cleanup);

  /* The end repeats; close after the end runs nothing again. */
  g_assert_null (fw_test_next (source->stream, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (fw_test_close (source->stream, NULL));
  g_assert_true (fw_test_close (source->stream, NULL));
  g_assert_cmpuint (source->n_cleanups, ==, 1);

  fw_test_source_free (source);
}

static void
test_cleanup_once_on_close (void)
{
  FwTestSource *source = fw_test_source_new ();
  Wait first = { 0 }, second = { 0 };
  g_autoptr(FwItem) item = NULL;

  fw_stream_next_async (source->stream, NULL, on_done, &first);
  fw_test_source_answer (source, 3);
  fw_test_wait_for (&first.done);
  item = fw_stream_next_finish (source->stream, first.result, NULL);
  g_object_unref (first.result);

  /* Two closes at once: both complete, the cleanup runs once. */
  fw_stream_close_async (source->stream, NULL, on_done, &first);
  first.done = FALSE;
  fw_stream_close_async (source->stream, NULL, on_done, &second);
  fw_test_wait_for (&first.done);
  fw_test_wait_for (&second.done);
  g_assert_true (fw_stream_close_finish (source->stream, first.result, NULL));
  g_assert_true (fw_stream_close_finish (source->stream, second.result, NULL));
  g_object_unref (first.result);
  g_object_unref (second.result);
  g_assert_cmpuint (source->n_cleanups, ==, 1);

  g_assert_true (fw_test_close (source->stream, NULL));
  g_assert_cmpuint (source->n_cleanups, ==, 1);

  fw_test_source_free (source);
}

static void
test_dispose_releases (void)
{
  FwTestSource *source = fw_test_source_new ();
  Wait wait = { 0 };
  GWeakRef weak;

  /* Started, and an item taken, but never closed: the finalization problem. */
  fw_stream_next_async (source->stream, NULL, on_done, &wait);
  fw_test_source_answer (source, 1);
  fw_test_wait_for (&wait.done);
  fw_item_unref (fw_stream_next_finish (source->stream, wait.result, NULL));
  g_object_unref (wait.result);
  g_assert_cmpuint (source->n_cleanups, ==, 0);

  g_weak_ref_init (&weak, source->stream);
  g_clear_object (&source->stream);
  g_assert_null (g_weak_ref_get (&weak));
  g_weak_ref_clear (&weak);

  g_assert_cmpuint (source->n_cleanups, ==, 1);
  fw_test_source_free (source);
}

static void
test_close_while_pending (void)
{
  FwTestSource *source = fw_test_source_new ();
  Wait wait = { 0 };
  g_autoptr(GError) error = NULL;

  fw_stream_next_async (source->stream, NULL, on_done, &wait);
  g_assert_true (fw_test_close (source->stream, NULL));
  fw_test_wait_for (&wait.done);
  g_assert_null (fw_stream_next_finish (source->stream, wait.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_object_unref (wait.result);
  g_assert_cmpuint (source->n_cleanups, ==, 1);

  /* A late answer after close is dropped, not delivered and not leaked. */
  fw_test_source_answer (source, 2);
  fw_test_iterate_idle ();

  fw_test_source_free (source);
}

static void
test_batch (void)
{
  FwTestSource *source = fw_test_source_new ();
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GPtrArray) last = NULL;
  Wait wait = { 0 };
  g_autoptr(GError) error = NULL;

  fw_stream_next_batch_async (source->stream, 4, NULL, on_done, &wait);
  g_assert_cmpuint (source->last_max, ==, 4);
  fw_test_source_answer (source, 6);
  fw_test_wait_for (&wait.done);
  first = fw_stream_next_batch_finish (source->stream, wait.result, &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  g_assert_cmpuint (first->len, ==, 4);

  /* A short batch is normal: the 2 left over, without a new pull */
  second = fw_test_next_batch (source->stream, 4, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (second->len, ==, 2);
  g_assert_cmpstr (((FwItem *) g_ptr_array_index (second, 1))->text, ==, "5");
  g_assert_cmpuint (source->n_pulls, ==, 1);

  wait.done = FALSE;
  fw_stream_next_batch_async (source->stream, 4, NULL, on_done, &wait);
  fw_test_source_end (source);
  fw_test_wait_for (&wait.done);
  last = fw_stream_next_batch_finish (source->stream, wait.result, &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  g_assert_nonnull (last);
  g_assert_cmpuint (last->len, ==, 0);

  fw_test_source_free (source);
}

static void
test_one_pull_serves_many_next (void)
{
  FwTestSource *source = fw_test_source_new ();
  Wait wait = { 0 };

  fw_stream_next_async (source->stream, NULL, on_done, &wait);
  fw_test_source_answer (source, 100);
  fw_test_wait_for (&wait.done);
  fw_item_unref (fw_stream_next_finish (source->stream, wait.result, NULL));
  g_object_unref (wait.result);

  for (guint i = 1; i < 100; i++)
    {
      g_autoptr(FwItem) item = fw_test_next (source->stream, NULL, NULL);
      g_assert_cmpint (fw_test_item_number (item), ==, i);
    }
  g_assert_cmpuint (source->n_pulls, ==, 1);

  fw_test_source_free (source);
}

typedef struct
{
  GMainContext *context;
  GThread      *completed_on;
  gboolean      ok;
} ThreadRun;

static gpointer
run_in_thread (gpointer data)
{
  ThreadRun *run = data;
  g_autoptr(FwStream) stream = fw_test_array_stream ("t", 3);
  Wait wait = { 0 };
  FwItem *item;

  g_main_context_push_thread_default (run->context);
  fw_stream_next_async (stream, NULL, on_done, &wait);
  while (!wait.done)
    g_main_context_iteration (run->context, TRUE);
  item = fw_stream_next_finish (stream, wait.result, NULL);
  run->ok = item != NULL && g_str_equal (item->text, "0");
  run->completed_on = wait.thread;
  fw_item_unref (item);
  g_object_unref (wait.result);
  g_main_context_pop_thread_default (run->context);

  return NULL;
}

static void
test_callback_on_callers_context (void)
{
  ThreadRun run = { 0 };
  GThread *thread;

  run.context = g_main_context_new ();
  thread = g_thread_new ("consumer", run_in_thread, &run);
  g_thread_join (thread);
  g_assert_true (run.ok);
  g_assert_true (run.completed_on == thread);
  g_main_context_unref (run.context);
}

static void
test_result_kept_by_caller (void)
{
  g_autoptr(FwStream) stream = fw_test_array_stream ("t", 3);
  Wait first = { 0 }, second = { 0 };
  FwItem *a, *b;

  /* A caller that keeps the result and finishes late must still get its own item. */
  fw_stream_next_async (stream, NULL, on_done, &first);
  fw_test_wait_for (&first.done);
  fw_stream_next_async (stream, NULL, on_done, &second);
  fw_test_wait_for (&second.done);
  b = fw_stream_next_finish (stream, second.result, NULL);
  a = fw_stream_next_finish (stream, first.result, NULL);
  g_assert_cmpstr (a->text, ==, "0");
  g_assert_cmpstr (b->text, ==, "1");
  fw_item_unref (a);
  fw_item_unref (b);
  g_object_unref (first.result);
  g_object_unref (second.result);
}

static gboolean
count_idle (gpointer data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

static void
on_next_loop (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  guint *remaining = user_data;
  FwItem *item = fw_stream_next_finish (FW_STREAM (object), result, NULL);

  if (item == NULL)
    {
      *remaining = 0;
      return;
    }
  fw_item_unref (item);
  (*remaining)--;
  fw_stream_next_async (FW_STREAM (object), NULL, on_next_loop, user_data);
}

static void
test_dispatch_is_bounded (void)
{
  const guint n = 100000;
  g_autoptr(FwStream) stream = fw_test_array_stream ("t", n);
  guint remaining = n;
  guint idles = 0;
  guint id;

  /* A consumer whose every next completes at once still gives the loop back: another source
   * of the same priority runs many times before 100,000 items are through. */
  id = g_idle_add_full (G_PRIORITY_DEFAULT, count_idle, &idles, NULL);
  fw_stream_next_async (stream, NULL, on_next_loop, &remaining);
  while (remaining > 0)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);

  g_assert_cmpuint (idles, >=, n / FW_STREAM_DISPATCH_BUDGET_ITEMS);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stream/lazy-start", test_lazy_start);
  g_test_add_func ("/stream/pending", test_pending);
  g_test_add_func ("/stream/closed", test_closed);
  g_test_add_func ("/stream/cancel-mid-next", test_cancel_mid_next);
  g_test_add_func ("/stream/cancelled-before-call", test_cancelled_before_call);
  g_test_add_func ("/stream/deferred-error", test_deferred_error);
  g_test_add_func ("/stream/cleanup-once/exhaustion", test_cleanup_once_on_exhaustion);
  g_test_add_func ("/stream/cleanup-once/close", test_cleanup_once_on_close);
  g_test_add_func ("/stream/cleanup-once/dispose", test_dispose_releases);
  g_test_add_func ("/stream/close-while-pending", test_close_while_pending);
  g_test_add_func ("/stream/batch", test_batch);
  g_test_add_func ("/stream/one-pull-serves-many-next", test_one_pull_serves_many_next);
  g_test_add_func ("/stream/callback-on-callers-context", test_callback_on_callers_context);
  g_test_add_func ("/stream/result-kept-by-caller", test_result_kept_by_caller);
  g_test_add_func ("/stream/dispatch-is-bounded", test_dispatch_is_bounded);

  return g_test_run ();
}
