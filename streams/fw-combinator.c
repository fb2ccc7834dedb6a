/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-combinator.c: the input plumbing every combinator shares (see fw-combinator-private.h) */

#include "fw-combinator-private.h"

FwInput *
_fw_input_new (FwStream    *stream,
               gpointer     owner,
               FwInputFunc  func)
{
  FwInput *input = g_new0 (FwInput, 1);

  input->stream = stream;
  input->owner = owner;
  input->func = func;
  input->ref_count = 1;

  return input;
}

static void
fw_input_unref (FwInput *input)
{
  if (--input->ref_count > 0)
    return;

  if (input->data_destroy != NULL)
    input->data_destroy (input->data);
  g_clear_object (&input->stream);
  g_free (input);
}

static void
on_input_batch (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  FwInput *input = user_data;
  GError *error = NULL;
  GPtrArray *batch;

  batch = fw_stream_next_batch_finish (FW_STREAM (object), result, &error);
  input->pulling = FALSE;
  if (batch == NULL || batch->len == 0)
    input->done = TRUE;

  if (input->owner != NULL)
    input->func (input->owner, input, batch, error);
  else
    {
      g_clear_pointer (&batch, g_ptr_array_unref);
      g_clear_error (&error);
    }

  fw_input_unref (input);
}

/* The operation holds the input (not the owner) until it completes. */
void
_fw_input_pull (FwInput *input,
                guint    max_items)
{
  g_assert (!input->pulling);
  g_assert (input->owner != NULL);

  input->pulling = TRUE;
  input->ref_count++;
  fw_stream_next_batch_async (input->stream, max_items, NULL, on_input_batch, input);
}

/* The owner lets go without waiting: the close is tracked by the close registry. */
void
_fw_input_detach (FwInput *input)
{
  if (input == NULL)
    return;

  input->owner = NULL;
  fw_stream_close (input->stream);
  fw_input_unref (input);
}

typedef struct
{
  guint n_left;
} CloseAll;

static void
on_input_closed (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  CloseAll *state = g_task_get_task_data (task);

  /* A failing input close does not stop the others; the owner's close still completes. */
  fw_stream_close_finish (FW_STREAM (object), result, NULL);

  if (--state->n_left == 0)
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* Detaches every input, closes them all and completes when the last close has. Each input's
 * reference is handed to the close. */
void
_fw_inputs_close_async (FwInput            **inputs,
                        guint                n_inputs,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task = g_task_new (NULL, NULL, callback, user_data);
  CloseAll *state = g_new0 (CloseAll, 1);

  g_task_set_source_tag (task, _fw_inputs_close_async);
  g_task_set_task_data (task, state, g_free);
  state->n_left = 1;

  for (guint i = 0; i < n_inputs; i++)
    {
      FwInput *input = inputs[i];

      if (input == NULL)
        continue;
      input->owner = NULL;
      state->n_left++;
      fw_stream_close_async (input->stream, NULL, on_input_closed, g_object_ref (task));
      fw_input_unref (input);
    }

  if (--state->n_left == 0)
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

gboolean
_fw_inputs_close_finish (GAsyncResult  *result,
                         GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_combinator_inputs_closed (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  /* An input that fails to close does not fail the combinator's close. */
  _fw_inputs_close_finish (result, NULL);
  g_task_return_boolean (task, TRUE);
}

/**
 * _fw_combinator_close_inputs:
 * @inputs: (array length=n_inputs): taken over by the close
 *
 * The close of a combinator whose only resources are its inputs: closes them all and
 * completes when they are closed. Pair with _fw_combinator_close_finish() as close_finish.
 */
void
_fw_combinator_close_inputs (FwStream            *self,
                             FwInput            **inputs,
                             guint                n_inputs,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data,
                             gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  _fw_inputs_close_async (inputs, n_inputs, on_combinator_inputs_closed, task);
}

gboolean
_fw_combinator_close_finish (FwStream      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
