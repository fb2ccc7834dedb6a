/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-to-thread.c: asyncio.to_thread for iteration. A blocking pull function (a read of /sys,
 * a library without an async API, a CPU-heavy parse) runs on a shared worker pool, at most
 * `prefetch` items ahead of the consumer; items cross back to the stream's main context
 * through one wake-up source, per run of items rather than per item.
 *
 * The state the worker touches lives in a refcounted Shared block, not in the stream, so a
 * stream disposed while its worker blocks goes away at once: the worker finishes its call,
 * sees `stop`, runs the cleanup on its own thread and drops the last reference. */

#include "fw-to-thread.h"

typedef struct
{
  gatomicrefcount   ref_count;
  GMutex            lock;

  /* Set once */
  FwThreadPullFunc  func;
  gpointer          user_data;
  GDestroyNotify    cleanup;
  GCancellable     *cancellable;
  guint             prefetch;

  /* Under lock */
  GPtrArray        *ready;          /* produced, not handed out yet */
  GError           *error;
  GSource          *wake;           /* on the stream's main context; NULL once let go */
  gboolean          ended;          /* the function returned NULL (or failed) */
  gboolean          running;        /* a job is queued or running in the pool */
  gboolean          stop;           /* the stream let go: no more calls, clean up */
  gboolean          cleaned;        /* the cleanup ran */
  gboolean          main_waiting;   /* wake the main side on the next item or the end */
  gboolean          close_waiting;  /* wake the main side once cleaned */

  /* Main thread only */
  FwToThread       *stream;         /* NULL once released */
  GTask            *close_task;
} Shared;

struct _FwToThread
{
  FwStream  parent_instance;
  Shared   *shared;
  guint     pull_max;
  gboolean  pull_pending;
};

/**
 * FwToThread:
 *
 * A stream whose items a blocking function produces on a worker thread, delivered on the consumer's
 * main context: the C form of `asyncio.to_thread()` for libraries without an asynchronous API. Made
 * by fw_to_thread_new().
 */
G_DEFINE_FINAL_TYPE (FwToThread, fw_to_thread, FW_TYPE_STREAM)

static Shared *
shared_ref (Shared *sh)
{
  g_atomic_ref_count_inc (&sh->ref_count);
  return sh;
}

static void
shared_unref (gpointer data)
{
  Shared *sh = data;

  if (!g_atomic_ref_count_dec (&sh->ref_count))
    return;

  g_assert (sh->wake == NULL);
  for (guint i = 0; i < sh->ready->len; i++)
    fw_item_unref (g_ptr_array_index (sh->ready, i));
  g_ptr_array_unref (sh->ready);
  g_clear_error (&sh->error);
  g_clear_object (&sh->cancellable);
  g_mutex_clear (&sh->lock);
  g_free (sh);
}

/* Called with the lock held. */
static void
wake_main_locked (Shared *sh)
{
  if (sh->wake != NULL)
    g_source_set_ready_time (sh->wake, 0);
}

static void
worker_run (gpointer data,
            gpointer pool_data)
{
  Shared *sh = data;

  g_mutex_lock (&sh->lock);
  for (;;)
    {
      GError *error = NULL;
      FwItem *item;

      if (sh->stop || sh->ended)
        {
          if (!sh->cleaned)
            {
              g_mutex_unlock (&sh->lock);
              /* The `finally`, on the worker: it may block (closing a device, joining). */
              if (sh->cleanup != NULL)
                sh->cleanup (sh->user_data);
              g_mutex_lock (&sh->lock);
              sh->cleaned = TRUE;
              if (sh->main_waiting || sh->close_waiting)
                wake_main_locked (sh);
            }
          break;
        }
      if (sh->ready->len >= sh->prefetch)
        break;

      g_mutex_unlock (&sh->lock);
      item = sh->func (sh->user_data, sh->cancellable, &error);
      g_mutex_lock (&sh->lock);

      if (item != NULL)
        {
          g_ptr_array_add (sh->ready, item);
          if (sh->main_waiting)
            {
              sh->main_waiting = FALSE;
              wake_main_locked (sh);
            }
        }
      else
        {
          /* The end is announced after the cleanup, as a generator's finally runs first. */
          sh->ended = TRUE;
          sh->error = error;
        }
    }
  sh->running = FALSE;
  g_mutex_unlock (&sh->lock);

  shared_unref (sh);
}

static GThreadPool *
get_pool (void)
{
  static gsize initialized;
  static GThreadPool *pool;

  if (g_once_init_enter (&initialized))
    {
      /* Shared, unbounded: a worker blocked on a slow read must not hold up another stream. */
      pool = g_thread_pool_new (worker_run, NULL, -1, FALSE, NULL);
      g_once_init_leave (&initialized, 1);
    }

  return pool;
}

/* Called with the lock held; the caller pushes the job after unlocking when TRUE. */
static gboolean
claim_job_locked (Shared *sh)
{
  if (sh->running || sh->cleaned)
    return FALSE;
  if (!sh->stop && !sh->ended && sh->ready->len > sh->prefetch / 2)
    return FALSE; /* enough ahead: resume once the consumer took half */
  sh->running = TRUE;
  return TRUE;
}

static void
push_job (Shared *sh)
{
  g_thread_pool_push (get_pool (), shared_ref (sh), NULL);
}

static void
fw_to_thread_serve (FwToThread *self)
{
  FwStream *stream = FW_STREAM (self);
  Shared *sh = self->shared;
  GError *error = NULL;
  gboolean end = FALSE;
  gboolean job;
  guint n;

  if (!self->pull_pending)
    return;

  g_mutex_lock (&sh->lock);
  n = MIN (sh->ready->len, self->pull_max);
  for (guint i = 0; i < n; i++)
    fw_stream_yield (stream, g_ptr_array_index (sh->ready, i));
  if (n > 0)
    g_ptr_array_remove_range (sh->ready, 0, n);
  else if (sh->ended && sh->cleaned)
    {
      error = g_steal_pointer (&sh->error);
      end = TRUE;
    }
  else
    sh->main_waiting = TRUE;
  job = claim_job_locked (sh);
  g_mutex_unlock (&sh->lock);

  if (job)
    push_job (sh);

  if (n > 0)
    {
      self->pull_pending = FALSE;
      fw_stream_pull_done (stream);
    }
  else if (error != NULL)
    {
      self->pull_pending = FALSE;
      fw_stream_pull_error (stream, error);
    }
  else if (end)
    {
      self->pull_pending = FALSE;
      fw_stream_pull_end (stream);
    }
}

/* The main side lets go: no more wake-ups. */
static void
shared_detach (Shared *sh)
{
  GSource *wake;

  g_mutex_lock (&sh->lock);
  wake = g_steal_pointer (&sh->wake);
  g_mutex_unlock (&sh->lock);

  sh->stream = NULL;
  if (wake != NULL)
    {
      g_source_destroy (wake); /* drops the source's reference on sh */
      g_source_unref (wake);
    }
}

static gboolean
on_wake (gpointer user_data)
{
  Shared *sh = user_data;
  gboolean cleaned;

  if (sh->close_task != NULL)
    {
      g_mutex_lock (&sh->lock);
      cleaned = sh->cleaned;
      g_mutex_unlock (&sh->lock);
      if (cleaned)
        {
          GTask *task = g_steal_pointer (&sh->close_task);

          shared_ref (sh);
          shared_detach (sh);
          g_task_return_boolean (task, TRUE);
          g_object_unref (task);
          shared_unref (sh);
          return G_SOURCE_REMOVE;
        }
    }

  if (sh->stream != NULL)
    fw_to_thread_serve (sh->stream);

  return G_SOURCE_CONTINUE;
}

static gboolean
wake_dispatch (GSource     *source,
               GSourceFunc  callback,
               gpointer     user_data)
{
  g_source_set_ready_time (source, -1);
  return callback (user_data);
}

static GSourceFuncs wake_funcs = {
  .dispatch = wake_dispatch,
};

static void
ensure_wake (FwToThread *self)
{
  Shared *sh = self->shared;
  GSource *wake;

  if (sh->wake != NULL)
    return;

  wake = g_source_new (&wake_funcs, sizeof (GSource));
  g_source_set_static_name (wake, "[feedwatch] to_thread wake-up");
  g_source_set_callback (wake, on_wake, shared_ref (sh), shared_unref);
  g_source_attach (wake, fw_stream_get_context (FW_STREAM (self)));
  g_mutex_lock (&sh->lock);
  sh->wake = wake;
  g_mutex_unlock (&sh->lock);
}

static void
fw_to_thread_pull (FwStream     *stream,
                   guint         max_items,
                   GCancellable *cancellable)
{
  FwToThread *self = FW_TO_THREAD (stream);

  ensure_wake (self);
  self->pull_pending = TRUE;
  self->pull_max = MAX (max_items, 1);
  fw_to_thread_serve (self);
}

/* Stops the worker; returns whether the cleanup already ran. */
static gboolean
shared_stop (Shared   *sh,
             gboolean  wait)
{
  gboolean job, cleaned;

  g_mutex_lock (&sh->lock);
  sh->stop = TRUE;
  sh->main_waiting = FALSE;
  sh->close_waiting = wait;
  cleaned = sh->cleaned;
  job = claim_job_locked (sh);
  g_mutex_unlock (&sh->lock);

  g_cancellable_cancel (sh->cancellable);
  if (job)
    push_job (sh);

  return cleaned;
}

static void
fw_to_thread_release (FwStream *stream)
{
  FwToThread *self = FW_TO_THREAD (stream);

  shared_stop (self->shared, FALSE);
  shared_detach (self->shared);
}

static void
fw_to_thread_close_async (FwStream            *stream,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  FwToThread *self = FW_TO_THREAD (stream);
  Shared *sh = self->shared;
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, fw_to_thread_close_async);

  /* The close completes once the cleanup ran on the worker. */
  ensure_wake (self);
  self->pull_pending = FALSE;
  sh->close_task = task;
  if (shared_stop (sh, TRUE))
    {
      g_mutex_lock (&sh->lock);
      wake_main_locked (sh);
      g_mutex_unlock (&sh->lock);
    }
}

static gboolean
fw_to_thread_close_finish (FwStream      *stream,
                           GAsyncResult  *result,
                           GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
fw_to_thread_finalize (GObject *object)
{
  FwToThread *self = FW_TO_THREAD (object);

  g_clear_pointer (&self->shared, shared_unref);

  G_OBJECT_CLASS (fw_to_thread_parent_class)->finalize (object);
}

static void
fw_to_thread_class_init (FwToThreadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  FwStreamClass *stream_class = FW_STREAM_CLASS (klass);

  object_class->finalize = fw_to_thread_finalize;
  stream_class->pull = fw_to_thread_pull;
  stream_class->release = fw_to_thread_release;
  stream_class->close_async = fw_to_thread_close_async;
  stream_class->close_finish = fw_to_thread_close_finish;
}

static void
fw_to_thread_init (FwToThread *self)
{
}

/**
 * fw_to_thread_new:
 * @func: the blocking pull function, called on a worker thread
 * @user_data: (transfer full): its state
 * @cleanup: (nullable): frees @user_data; runs exactly once, on a worker thread, after the last
 *   call of @func (at the end, on error, on close or dispose, or without any call if the stream
 *   never started)
 * @prefetch: how many items the worker may produce ahead of the consumer, at least 1
 *
 * Runs a blocking pull function on a worker thread, at most @prefetch items ahead of the consumer.
 *
 * Returns: (transfer full): a stream whose items @func produces; nothing runs before the first
 *   `next`
 */
FwStream *
fw_to_thread_new (FwThreadPullFunc func,
                  gpointer         user_data,
                  GDestroyNotify   cleanup,
                  guint            prefetch)
{
  FwToThread *self;
  Shared *sh;

  g_return_val_if_fail (func != NULL, NULL);

  sh = g_new0 (Shared, 1);
  g_atomic_ref_count_init (&sh->ref_count);
  g_mutex_init (&sh->lock);
  sh->func = func;
  sh->user_data = user_data;
  sh->cleanup = cleanup;
  sh->cancellable = g_cancellable_new ();
  sh->prefetch = MAX (prefetch, 1);
  sh->ready = g_ptr_array_new ();

  self = g_object_new (FW_TYPE_TO_THREAD, "name", "to-thread", NULL);
  self->shared = sh;
  sh->stream = self;

  return FW_STREAM (self);
}
