/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-recorder.c: what chosen feeds bring, into a recording, while the window runs.
 *
 * The feeds' runners hand their batches over on the main thread; the recording writer takes
 * them without waiting (its own thread compresses and writes, and drops and counts what a slow
 * disk cannot take). Opening the file and closing it (the last frame, the index) may wait on
 * the disk, so they run in a worker thread too: the window never waits for either. */

#include "config.h"

#include "fw-recorder.h"

struct _FwRecorder
{
  GObject            parent_instance;

  FwRecordingWriter *writer;
  char              *path;
  GMutex             io_lock;      /* the writer's start and close, in worker threads, in turn */
  GPtrArray         *runners;      /* FwFeedRunner: those whose items are recorded */
  gint64             started_us;   /* monotonic; 0 before the start, -1 stopped before it */
  gint64             stopped_us;
  gboolean           running;
};

G_DEFINE_FINAL_TYPE (FwRecorder, fw_recorder, G_TYPE_OBJECT)

static void
disconnect_runners (FwRecorder *self)
{
  for (guint i = 0; i < self->runners->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->runners, i), self);
}

static void
fw_recorder_dispose (GObject *object)
{
  FwRecorder *self = FW_RECORDER (object);

  disconnect_runners (self);
  g_ptr_array_set_size (self->runners, 0);

  G_OBJECT_CLASS (fw_recorder_parent_class)->dispose (object);
}

static void
fw_recorder_finalize (GObject *object)
{
  FwRecorder *self = FW_RECORDER (object);

  /* The writer's own finalize closes the file whole if nobody stopped it */
  g_clear_object (&self->writer);
  g_ptr_array_unref (self->runners);
  g_free (self->path);
  g_mutex_clear (&self->io_lock);

  G_OBJECT_CLASS (fw_recorder_parent_class)->finalize (object);
}

static void
fw_recorder_class_init (FwRecorderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fw_recorder_dispose;
  object_class->finalize = fw_recorder_finalize;
}

static void
fw_recorder_init (FwRecorder *self)
{
  self->runners = g_ptr_array_new_with_free_func (g_object_unref);
  g_mutex_init (&self->io_lock);
}

/**
 * fw_recorder_new:
 * @path: the recording's first file (later parts go beside it)
 *
 * Returns: (transfer full): a recorder, to be given its feeds, its caps (on its writer) and
 *   started
 */
FwRecorder *
fw_recorder_new (const char *path)
{
  FwRecorder *self = g_object_new (FW_TYPE_RECORDER, NULL);

  self->writer = fw_recording_writer_new (path);
  self->path = g_strdup (path);
  return self;
}

/**
 * fw_recorder_get_writer:
 *
 * Returns: (transfer none): the writer: its caps before the start, its counts afterwards
 */
FwRecordingWriter *
fw_recorder_get_writer (FwRecorder *self)
{
  g_return_val_if_fail (FW_IS_RECORDER (self), NULL);

  return self->writer;
}

/* The first file's name */
const char *
fw_recorder_get_path (FwRecorder *self)
{
  g_return_val_if_fail (FW_IS_RECORDER (self), NULL);

  return self->path;
}

static void
on_runner_items (FwFeedRunner *runner,
                 GPtrArray    *batch,
                 FwRecorder   *self)
{
  /* One lock for the batch: the main thread only hands items over */
  fw_recording_writer_add_batch (self->writer, (FwItem * const *) batch->pdata, batch->len);
}

/**
 * fw_recorder_add_runner:
 * @runner: a feed to record; the header names it (secrets masked)
 *
 * Before fw_recorder_start_async().
 */
void
fw_recorder_add_runner (FwRecorder   *self,
                        FwFeedRunner *runner)
{
  g_return_if_fail (FW_IS_RECORDER (self));
  g_return_if_fail (!self->running);

  fw_recording_writer_add_feed (self->writer, fw_feed_runner_get_spec (runner),
                                fw_feed_runner_get_title (runner),
                                fw_feed_runner_get_color (runner));
  g_ptr_array_add (self->runners, g_object_ref (runner));
}

/**
 * fw_recorder_watch_runner:
 * @runner: a feed added while recording: its items are recorded from now on, though the
 *   header (written at the start) does not name it
 */
void
fw_recorder_watch_runner (FwRecorder   *self,
                          FwFeedRunner *runner)
{
  g_return_if_fail (FW_IS_RECORDER (self));

  if (g_ptr_array_find (self->runners, runner, NULL))
    return;
  g_ptr_array_add (self->runners, g_object_ref (runner));
  if (self->running)
    g_signal_connect_object (runner, "items", G_CALLBACK (on_runner_items), self, 0);
}

static void
start_in_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  FwRecorder *self = source;
  GError *error = NULL;
  gboolean ok;

  g_mutex_lock (&self->io_lock);
  ok = fw_recording_writer_start (self->writer, &error);
  g_mutex_unlock (&self->io_lock);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * fw_recorder_start_async:
 *
 * Creates the file and writes its header in a worker thread, then records the feeds' items
 * from the moment it completes.
 */
void
fw_recorder_start_async (FwRecorder          *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (FW_IS_RECORDER (self));

  g_task_set_source_tag (task, fw_recorder_start_async);
  g_task_run_in_thread (task, start_in_thread);
}

gboolean
fw_recorder_start_finish (FwRecorder    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  /* A stop may have come while the file was being created */
  if (!self->running && self->started_us == 0)
    {
      self->running = TRUE;
      self->started_us = g_get_monotonic_time ();
      for (guint i = 0; i < self->runners->len; i++)
        g_signal_connect_object (g_ptr_array_index (self->runners, i), "items",
                                 G_CALLBACK (on_runner_items), self, 0);
    }
  return TRUE;
}

gboolean
fw_recorder_get_running (FwRecorder *self)
{
  g_return_val_if_fail (FW_IS_RECORDER (self), FALSE);

  return self->running;
}

/* How long it has recorded, or recorded for once stopped */
gint64
fw_recorder_get_elapsed_us (FwRecorder *self)
{
  g_return_val_if_fail (FW_IS_RECORDER (self), 0);

  if (self->started_us <= 0)
    return 0;
  return (self->running ? g_get_monotonic_time () : self->stopped_us) - self->started_us;
}

static void
close_in_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  FwRecorder *self = source;
  GError *error = NULL;
  gboolean ok;

  g_mutex_lock (&self->io_lock);
  ok = fw_recording_writer_close (self->writer, &error);
  g_mutex_unlock (&self->io_lock);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
stop_recording (FwRecorder *self)
{
  disconnect_runners (self);
  if (self->running)
    self->stopped_us = g_get_monotonic_time ();
  self->running = FALSE;
  if (self->started_us == 0)
    self->started_us = -1; /* a start still under way records nothing */
}

/**
 * fw_recorder_stop_async:
 *
 * Stops taking items and closes the file (what waits, the last frame, the index) in a worker
 * thread. Fails when something could not be written: @error says what, and how many items
 * were left out.
 */
void
fw_recorder_stop_async (FwRecorder          *self,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);

  g_return_if_fail (FW_IS_RECORDER (self));

  g_task_set_source_tag (task, fw_recorder_stop_async);
  stop_recording (self);
  g_task_run_in_thread (task, close_in_thread);
}

gboolean
fw_recorder_stop_finish (FwRecorder    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * fw_recorder_stop:
 *
 * Stops and closes the file whole before it returns (a batch's write at most): for a window
 * that is going away, and the process perhaps with it.
 */
void
fw_recorder_stop (FwRecorder *self)
{
  g_return_if_fail (FW_IS_RECORDER (self));

  stop_recording (self);
  g_mutex_lock (&self->io_lock);
  fw_recording_writer_close (self->writer, NULL);
  g_mutex_unlock (&self->io_lock);
}

/* ---------------------------------------------------------------------------------------- */
/* A history at once */

static void
save_in_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  FwRecordingWriter *writer = g_object_get_data (G_OBJECT (task), "writer");
  GPtrArray *items = task_data;
  GError *error = NULL;

  if (!fw_recording_writer_start (writer, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  fw_recording_writer_add_all (writer, (FwItem * const *) items->pdata, items->len);
  if (!fw_recording_writer_close (writer, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * fw_recorder_save_items_async:
 * @writer: a writer not started, its feeds named
 * @items: (element-type FwItem): the items, in their order; kept until written
 *
 * Writes @items to a recording at once, in a worker thread: the incident bundle.
 */
void
fw_recorder_save_items_async (FwRecordingWriter   *writer,
                              GPtrArray           *items,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_return_if_fail (FW_IS_RECORDING_WRITER (writer));

  g_task_set_source_tag (task, fw_recorder_save_items_async);
  g_object_set_data_full (G_OBJECT (task), "writer", g_object_ref (writer), g_object_unref);
  g_task_set_task_data (task, g_ptr_array_ref (items), (GDestroyNotify) g_ptr_array_unref);
  g_task_run_in_thread (task, save_in_thread);
}

/**
 * fw_recorder_save_items_finish:
 * @n_written: (out) (optional): how many items the recording holds
 */
gboolean
fw_recorder_save_items_finish (GAsyncResult  *result,
                               guint64       *n_written,
                               GError       **error)
{
  GTask *task = G_TASK (result);
  FwRecordingWriter *writer = g_object_get_data (G_OBJECT (task), "writer");

  if (n_written != NULL)
    *n_written = fw_recording_writer_get_n_written (writer);
  return g_task_propagate_boolean (task, error);
}
