/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-to-thread.c: a blocking pull function on a worker thread */

#include "fw-test-util.h"

typedef struct
{
  guint     n_items;        /* then the end, or the error */
  gboolean  fail;
  guint     block_ms;       /* each call sleeps this long first */
  gboolean  block_until_cancelled;
  GThread  *main_thread;

  /* Seen by the worker */
  gint      n_calls;
  gint      n_cleanups;
  gint      entered;        /* a call is blocking now */
  gint      wrong_thread;
  GMutex    lock;
  GCond     cond;
  gboolean  cancelled;
} Job;

static void
job_init (Job *job)
{
  job->main_thread = g_thread_self ();
  g_mutex_init (&job->lock);
  g_cond_init (&job->cond);
}

static void
job_clear (Job *job)
{
  g_mutex_clear (&job->lock);
  g_cond_clear (&job->cond);
}

static void
on_job_cancelled (GCancellable *cancellable,
                  gpointer      user_data)
{
  Job *job = user_data;

  g_mutex_lock (&job->lock);
  job->cancelled = TRUE;
  g_cond_broadcast (&job->cond);
  g_mutex_unlock (&job->lock);
}

static FwItem *
job_pull (gpointer       user_data,
          GCancellable  *cancellable,
          GError       **error)
{
  Job *job = user_data;
  guint n = (guint) g_atomic_int_add (&job->n_calls, 1);
  char text[16];

  if (g_thread_self () == job->main_thread)
    g_atomic_int_set (&job->wrong_thread, 1);

  if (job->block_until_cancelled)
    {
      gulong id = g_cancellable_connect (cancellable, G_CALLBACK (on_job_cancelled), job, NULL);

      g_atomic_int_set (&job->entered, 1);
      g_mutex_lock (&job->lock);
      while (!job->cancelled)
        g_cond_wait (&job->cond, &job->lock);
      g_mutex_unlock (&job->lock);
      g_cancellable_disconnect (cancellable, id);
      g_cancellable_set_error_if_cancelled (cancellable, error);
      return NULL;
    }

  if (job->block_ms > 0)
    {
      g_atomic_int_set (&job->entered, 1);
      g_usleep (job->block_ms * G_TIME_SPAN_MILLISECOND); /* the blocking work itself */
    }

  if (n >= job->n_items)
    {
      if (job->fail)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "worker failure");
      return NULL;
    }

  g_snprintf (text, sizeof text, "%u", n);
  return fw_item_new (FW_ITEM_LINE, NULL, 0, text, -1);
}

static void
job_cleanup (gpointer user_data)
{
  Job *job = user_data;

  if (g_thread_self () == job->main_thread)
    g_atomic_int_set (&job->wrong_thread, 1);
  g_atomic_int_inc (&job->n_cleanups);
}

/* Spins the main context until *value is set, polling since a worker thread sets it. */
static void
wait_atomic (gint *value,
             gint  expected)
{
  gint64 deadline = g_get_monotonic_time () + FW_TEST_DEADLINE_MS * G_TIME_SPAN_MILLISECOND;

  while (g_atomic_int_get (value) < expected)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (G_TIME_SPAN_MILLISECOND);
    }
}

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
test_items_off_main_thread (void)
{
  Job job = { .n_items = 100 };
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  job_init (&job);
  stream = fw_to_thread_new (job_pull, &job, job_cleanup, 8);
  g_assert_cmpint (job.n_calls, ==, 0); /* lazy */
  for (;;)
    {
      g_autoptr(FwItem) item = fw_test_next (stream, NULL, &error);

      g_assert_no_error (error);
      if (item == NULL)
        break;
      g_assert_cmpint (fw_test_item_number (item), ==, n);
      n++;
    }
  g_assert_cmpuint (n, ==, 100);
  /* The worker's finally ran before the end was delivered, on the worker. */
  g_assert_cmpint (g_atomic_int_get (&job.n_cleanups), ==, 1);
  g_assert_cmpint (job.wrong_thread, ==, 0);
  g_assert_true (fw_test_close (stream, NULL));
  g_assert_cmpint (g_atomic_int_get (&job.n_cleanups), ==, 1);
  job_clear (&job);
}

static void
test_prefetch_bound (void)
{
  Job job = { .n_items = G_MAXUINT };
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(FwItem) item = NULL;

  job_init (&job);
  stream = fw_to_thread_new (job_pull, &job, job_cleanup, 4);
  item = fw_test_next (stream, NULL, NULL);
  wait_atomic (&job.n_calls, 4);
  /* An unbounded worker would be thousands of calls ahead by now; a bounded one can never
   * be more than the prefetch ahead, however long this waits. */
  g_usleep (50 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (g_atomic_int_get (&job.n_calls), <=, 1 + 4);
  g_assert_true (fw_test_close (stream, NULL));
  g_assert_cmpint (g_atomic_int_get (&job.n_cleanups), ==, 1);
  job_clear (&job);
}

static void
test_batches (void)
{
  Job job = { .n_items = 1000 };
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(GPtrArray) all = NULL;

  job_init (&job);
  stream = fw_to_thread_new (job_pull, &job, job_cleanup, 64);
  all = fw_test_collect (stream, NULL);
  g_assert_cmpuint (all->len, ==, 1000);
  for (guint i = 0; i < all->len; i++)
    g_assert_cmpint (fw_test_item_number (g_ptr_array_index (all, i)), ==, i);
  g_assert_cmpint (g_atomic_int_get (&job.n_cleanups), ==, 1);
  job_clear (&job);
}

/* Closing while the worker blocks: the function is cancelled, the cleanup runs on the worker,
 * the close completes after it, and the pending `next` is cancelled. */
static void
test_close_while_blocked (void)
{
  Job job = { .block_until_cancelled = TRUE };
  g_autoptr(FwStream) stream = NULL;
  NextWait wait = { 0 };

  job_init (&job);
  stream = fw_to_thread_new (job_pull, &job, job_cleanup, 1);
  fw_stream_next_async (stream, NULL, on_next, &wait);
  wait_atomic (&job.entered, 1);
  g_assert_true (fw_test_close (stream, NULL));
  g_assert_cmpint (g_atomic_int_get (&job.n_cleanups), ==, 1);
  g_assert_cmpint (job.wrong_thread, ==, 0);
  fw_test_wait_for (&wait.done);
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&wait.error);
  job_clear (&job);
}

static void
test_dispose_while_blocked (void)
{
  Job job = { .block_until_cancelled = TRUE };
  FwStream *stream;
  NextWait wait = { 0 };
  GCancellable *cancellable = g_cancellable_new ();

  job_init (&job);
  stream = fw_to_thread_new (job_pull, &job, job_cleanup, 1);
  fw_stream_next_async (stream, cancellable, on_next, &wait);
  wait_atomic (&job.entered, 1);
  g_cancellable_cancel (cancellable);
  fw_test_wait_for (&wait.done);
  g_clear_error (&wait.error);
  g_object_unref (stream); /* does not block */
  wait_atomic (&job.n_cleanups, 1);
  g_assert_cmpint (g_atomic_int_get (&job.n_cleanups), ==, 1);
  g_object_unref (cancellable);
  job_clear (&job);
}

static void
test_never_started (void)
{
  Job job = { .n_items = 3 };
  FwStream *stream;

  job_init (&job);
  stream = fw_to_thread_new (job_pull, &job, job_cleanup, 1);
  g_assert_true (fw_test_close (stream, NULL));
  g_assert_cmpint (g_atomic_int_get (&job.n_cleanups), ==, 1);
  g_assert_cmpint (job.n_calls, ==, 0);
  g_object_unref (stream);
  job_clear (&job);
}

static void
test_cancel_mid_next (void)
{
  Job job = { .n_items = 2, .block_ms = 30 };
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(FwItem) item = NULL;
  NextWait wait = { 0 };

  job_init (&job);
  stream = fw_to_thread_new (job_pull, &job, job_cleanup, 1);
  fw_stream_next_async (stream, cancellable, on_next, &wait);
  g_cancellable_cancel (cancellable);
  fw_test_wait_for (&wait.done);
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&wait.error);
  item = fw_test_next (stream, NULL, NULL);
  g_assert_cmpint (fw_test_item_number (item), ==, 0); /* not lost */
  g_assert_true (fw_test_close (stream, NULL));
  g_assert_cmpint (g_atomic_int_get (&job.n_cleanups), ==, 1);
  job_clear (&job);
}

static void
test_errors (void)
{
  Job before = { .n_items = 0, .fail = TRUE };
  Job after = { .n_items = 2, .fail = TRUE };
  g_autoptr(FwStream) s1 = NULL;
  g_autoptr(FwStream) s2 = NULL;
  g_autoptr(GError) error = NULL;

  job_init (&before);
  job_init (&after);
  s1 = fw_to_thread_new (job_pull, &before, job_cleanup, 4);
  s2 = fw_to_thread_new (job_pull, &after, job_cleanup, 4);

  g_assert_null (fw_test_next (s1, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_cmpint (g_atomic_int_get (&before.n_cleanups), ==, 1);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(FwItem) item = fw_test_next (s2, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (fw_test_item_number (item), ==, i);
    }
  g_assert_null (fw_test_next (s2, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpint (g_atomic_int_get (&after.n_cleanups), ==, 1);
  job_clear (&before);
  job_clear (&after);
}

/* The point of to_thread: a worker blocking for a second leaves the main loop responsive. A
 * behaviour check with a loose bound, not a speed check. */
static void
test_main_loop_stays_responsive (void)
{
  Job job = { .n_items = 1, .block_ms = 1000 };
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(FwLoopMonitor) monitor = fw_loop_monitor_new (5, 10000);
  g_autoptr(FwItem) item = NULL;
  g_autofree char *stats = NULL;

  job_init (&job);
  stream = fw_to_thread_new (job_pull, &job, job_cleanup, 1);
  fw_loop_monitor_start (monitor);
  item = fw_test_next (stream, NULL, NULL);
  fw_loop_monitor_stop (monitor);
  g_assert_nonnull (item);
  stats = fw_loop_monitor_format (monitor);
  g_test_message ("%s", stats);
  g_assert_cmpuint (fw_loop_monitor_get_n_samples (monitor), >=, 20);
  g_assert_cmpint (fw_loop_monitor_get_lag_max_us (monitor), <, 1000 * 1000 / 4);
  g_assert_true (fw_test_close (stream, NULL));
  job_clear (&job);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/to-thread/items-off-main-thread", test_items_off_main_thread);
  g_test_add_func ("/to-thread/prefetch-bound", test_prefetch_bound);
  g_test_add_func ("/to-thread/batches", test_batches);
  g_test_add_func ("/to-thread/close-while-blocked", test_close_while_blocked);
  g_test_add_func ("/to-thread/dispose-while-blocked", test_dispose_while_blocked);
  g_test_add_func ("/to-thread/never-started", test_never_started);
  g_test_add_func ("/to-thread/cancel-mid-next", test_cancel_mid_next);
  g_test_add_func ("/to-thread/errors", test_errors);
  g_test_add_func ("/to-thread/main-loop-stays-responsive", test_main_loop_stays_responsive);

  return g_test_run ();
}
