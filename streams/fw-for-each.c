/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-for-each.c: `async for … else`, with the loop owning the stream: whatever way the loop
 * ends, the stream is closed before the loop reports how it ended (`break` runs `finally`). */

#include "fw-stream.h"

typedef struct
{
  FwForEachFunc  func;
  gpointer       func_data;
  GDestroyNotify func_data_destroy;
  guint          batch_size;
  FwForEachEnd   end;
  GError        *error;
} ForEach;

static void
for_each_free (ForEach *state)
{
  if (state->func_data_destroy != NULL)
    state->func_data_destroy (state->func_data);
  g_clear_error (&state->error);
  g_free (state);
}

static void
on_closed (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ForEach *state = g_task_get_task_data (task);

  /* A failing close does not hide how the loop ended. */
  fw_stream_close_finish (FW_STREAM (object), result, NULL);

  if (state->error != NULL)
    g_task_return_error (task, g_steal_pointer (&state->error));
  else
    g_task_return_int (task, state->end);
}

static void
for_each_end (GTask        *task,
              FwForEachEnd  end,
              GError       *error)
{
  ForEach *state = g_task_get_task_data (task);
  FwStream *stream = g_task_get_source_object (task);

  state->end = end;
  state->error = error;
  fw_stream_close_async (stream, NULL, on_closed, task);
}

static void
on_batch (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  FwStream *stream = FW_STREAM (object);
  GTask *task = user_data;
  ForEach *state = g_task_get_task_data (task);
  g_autoptr(GPtrArray) batch = NULL;
  GError *error = NULL;

  batch = fw_stream_next_batch_finish (stream, result, &error);
  if (batch == NULL)
    {
      /* A stream closed from outside (its owner went away) ends the loop as cancelled. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED))
        for_each_end (task, FW_FOR_EACH_CANCELLED, error);
      else
        for_each_end (task, FW_FOR_EACH_FAILED, error);
      return;
    }

  if (batch->len == 0)
    {
      for_each_end (task, FW_FOR_EACH_EXHAUSTED, NULL);
      return;
    }

  for (guint i = 0; i < batch->len; i++)
    {
      if (!state->func (g_ptr_array_index (batch, i), state->func_data))
        {
          for_each_end (task, FW_FOR_EACH_STOPPED, NULL);
          return;
        }
    }
  /* All at once: items of one block give it back their references in one atomic operation */
  g_ptr_array_set_free_func (batch, NULL);
  fw_item_unref_many ((FwItem * const *) batch->pdata, batch->len);

  /* The next batch completes through the dispatcher, whose budget gives the main loop back
   * between batches. */
  fw_stream_next_batch_async (stream, state->batch_size, g_task_get_cancellable (task),
                              on_batch, task);
}

/**
 * fw_stream_for_each_async:
 * @batch_size: how many items to pull at once (0 for the default, 256)
 * @func: called for each item; returns %FALSE to stop
 * @func_data: data for @func
 * @func_data_destroy: (nullable): frees @func_data when the loop ends
 * @cancellable: (nullable): stops the loop, which then ends as %FW_FOR_EACH_CANCELLED
 * @callback: called on the thread-default main context once the loop has ended and the stream is
 *   closed
 * @user_data: data for @callback
 *
 * Runs the loop `async for item in stream: if not func(item): break`, and closes the stream
 * when the loop ends, however it ends.
 */
void
fw_stream_for_each_async (FwStream            *self,
                          guint                batch_size,
                          FwForEachFunc        func,
                          gpointer             func_data,
                          GDestroyNotify       func_data_destroy,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;
  ForEach *state;

  g_return_if_fail (FW_IS_STREAM (self));
  g_return_if_fail (func != NULL);

  state = g_new0 (ForEach, 1);
  state->func = func;
  state->func_data = func_data;
  state->func_data_destroy = func_data_destroy;
  state->batch_size = batch_size > 0 ? batch_size : 256;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fw_stream_for_each_async);
  g_task_set_task_data (task, state, (GDestroyNotify) for_each_free);
  /* The loop reports its own ending, "cancelled" included, after closing the stream. */
  g_task_set_check_cancellable (task, FALSE);

  fw_stream_next_batch_async (self, state->batch_size, cancellable, on_batch, task);
}

/**
 * fw_stream_for_each_finish:
 * @result: the result given to the callback
 *
 * Finishes fw_stream_for_each_async(). The stream is closed by then, whatever way the loop ended.
 *
 * Returns: how the loop ended. %FW_FOR_EACH_CANCELLED and %FW_FOR_EACH_FAILED also set @error
 *   (%G_IO_ERROR_CANCELLED for the first).
 */
FwForEachEnd
fw_stream_for_each_finish (FwStream      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  GError *local_error = NULL;
  gssize end;

  g_return_val_if_fail (g_task_is_valid (result, self), FW_FOR_EACH_FAILED);

  end = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      FwForEachEnd how = (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
                          g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CLOSED))
                         ? FW_FOR_EACH_CANCELLED : FW_FOR_EACH_FAILED;
      g_propagate_error (error, local_error);
      return how;
    }

  return (FwForEachEnd) end;
}
