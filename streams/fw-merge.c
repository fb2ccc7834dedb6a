/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-merge.c: the reference texts' merge_iterators, without a task and a queue per item.
 *
 * Each input has at most one batch in flight or waiting (the merge prefetches one batch per
 * input, so memory stays bounded whatever the input rates). A pull hands out everything that
 * is waiting, interleaved round-robin in small quanta starting from a rotating input, so an
 * input that is always ready cannot starve one that is ready only now and then: the slow
 * input's items go out in the same answer as the fast one's. */

#include "fw-merge.h"

#include "fw-combinator-private.h"
#include "fw-item-queue-private.h"

/* Items taken from one input before the next input's turn. */
#define QUANTUM 16

typedef struct
{
  FwItemQueue queue;  /* the input's last batch */
} Slot;

struct _FwMerge
{
  FwStream      parent_instance;
  GPtrArray    *inputs;        /* FwInput*, each with a Slot as data */
  FwMergeFlags  flags;
  guint         rr;
  GError       *error;         /* fail-fast: waiting for the next pull */
  guint         started : 1;
  guint         pull_pending : 1;
  guint         finished : 1;
};

/**
 * FwMerge:
 *
 * The items of several streams as they arrive, fairly: no input can starve the others. An input's
 * error ends that input and is reported by #FwMerge::input-error, or, with %FW_MERGE_FAIL_FAST,
 * ends the merge. Inputs may be added while it runs.
 */
G_DEFINE_FINAL_TYPE (FwMerge, fw_merge, FW_TYPE_STREAM)

enum {
  INPUT_ERROR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static inline guint
slot_len (Slot *slot)
{
  return fw_item_queue_len (&slot->queue);
}

static void
slot_clear (Slot *slot)
{
  fw_item_queue_clear (&slot->queue);
}

static void
slot_free (gpointer data)
{
  Slot *slot = data;

  slot_clear (slot);
  g_free (slot);
}

static void
fw_merge_serve (FwMerge *self)
{
  FwStream *stream = FW_STREAM (self);
  guint n = self->inputs->len;
  guint n_out = 0;
  gboolean progress = TRUE;

  if (self->pull_pending && n > 0)
    {
      while (progress)
        {
          progress = FALSE;
          for (guint k = 0; k < n; k++)
            {
              FwInput *input = g_ptr_array_index (self->inputs, (self->rr + k) % n);
              Slot *slot = input->data;
              guint take = MIN (slot_len (slot), QUANTUM);

              for (guint i = 0; i < take; i++)
                fw_stream_yield (stream, fw_item_queue_pop (&slot->queue));
              if (take > 0)
                {
                  progress = TRUE;
                  n_out += take;
                }
              if (slot->queue.items != NULL && slot_len (slot) == 0)
                slot_clear (slot);
            }
        }
      self->rr = (self->rr + 1) % n;
    }

  /* Ended inputs with nothing left go; the others get their next batch asked for. */
  for (guint i = self->inputs->len; i > 0; i--)
    {
      FwInput *input = g_ptr_array_index (self->inputs, i - 1);

      if (input->done && slot_len (input->data) == 0)
        g_ptr_array_remove_index (self->inputs, i - 1);
      else if (self->started && !input->done && !input->pulling && slot_len (input->data) == 0)
        _fw_input_pull (input, FW_COMBINATOR_BATCH);
    }
  if (self->inputs->len > 0)
    self->rr %= self->inputs->len;

  if (!self->pull_pending)
    return;

  if (n_out > 0)
    {
      self->pull_pending = FALSE;
      fw_stream_pull_done (stream);
    }
  else if (self->error != NULL)
    {
      self->pull_pending = FALSE;
      self->finished = TRUE;
      fw_stream_pull_error (stream, g_steal_pointer (&self->error));
    }
  else if (self->inputs->len == 0 && !(self->flags & FW_MERGE_KEEP_OPEN))
    {
      self->pull_pending = FALSE;
      self->finished = TRUE;
      fw_stream_pull_end (stream);
    }
}

static void
on_input_answer (gpointer   owner,
                 FwInput   *input,
                 GPtrArray *batch,
                 GError    *error)
{
  FwMerge *self = owner;
  Slot *slot = input->data;

  if (error != NULL && (self->flags & FW_MERGE_FAIL_FAST))
    {
      /* TaskGroup: the first failure cancels the rest, and is what the merge ends with. */
      g_debug ("Merge input “%s” failed, closing the others: %s",
               fw_stream_get_name (input->stream), error->message);
      g_clear_error (&self->error);
      self->error = error;
      g_ptr_array_set_size (self->inputs, 0);
    }
  else if (error != NULL)
    {
      g_autoptr(FwMerge) hold = g_object_ref (self);

      g_signal_emit (self, signals[INPUT_ERROR], 0, input->stream, error);
      g_error_free (error);
      if (fw_stream_is_closed (FW_STREAM (self)))
        return;
    }
  else if (batch->len > 0)
    {
      fw_item_queue_take_batch (&slot->queue, g_steal_pointer (&batch));
    }
  g_clear_pointer (&batch, g_ptr_array_unref);

  fw_merge_serve (self);
}

static void
fw_merge_pull (FwStream     *stream,
               guint         max_items,
               GCancellable *cancellable)
{
  FwMerge *self = FW_MERGE (stream);

  self->started = TRUE;
  self->pull_pending = TRUE;
  fw_merge_serve (self);
}

static void
fw_merge_release (FwStream *stream)
{
  FwMerge *self = FW_MERGE (stream);

  self->finished = TRUE;
  g_ptr_array_set_size (self->inputs, 0);
}

static void
fw_merge_close_async (FwStream            *stream,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  FwMerge *self = FW_MERGE (stream);
  g_autoptr(GPtrArray) inputs = g_steal_pointer (&self->inputs);

  self->finished = TRUE;
  /* The close takes over the inputs' references. */
  self->inputs = g_ptr_array_new_with_free_func ((GDestroyNotify) _fw_input_detach);
  g_ptr_array_set_free_func (inputs, NULL);
  _fw_combinator_close_inputs (stream, (FwInput **) inputs->pdata, inputs->len, cancellable,
                               callback, user_data, fw_merge_close_async);
}

static void
fw_merge_finalize (GObject *object)
{
  FwMerge *self = FW_MERGE (object);

  g_clear_pointer (&self->inputs, g_ptr_array_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (fw_merge_parent_class)->finalize (object);
}

static void
fw_merge_class_init (FwMergeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  FwStreamClass *stream_class = FW_STREAM_CLASS (klass);

  object_class->finalize = fw_merge_finalize;
  stream_class->pull = fw_merge_pull;
  stream_class->release = fw_merge_release;
  stream_class->close_async = fw_merge_close_async;
  stream_class->close_finish = _fw_combinator_close_finish;

  /**
   * FwMerge::input-error:
   * @self: the merge
   * @input: the input that failed; it is closed, the others go on
   * @error: what went wrong
   *
   * Emitted, without fail-fast, when an input fails.
   */
  signals[INPUT_ERROR] =
    g_signal_new ("input-error",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, FW_TYPE_STREAM, G_TYPE_ERROR);
}

static void
fw_merge_init (FwMerge *self)
{
  self->inputs = g_ptr_array_new_with_free_func ((GDestroyNotify) _fw_input_detach);
}

/**
 * fw_merge_new:
 * @inputs: (array length=n_inputs) (transfer full): the streams to merge; the merge owns them
 * @n_inputs: the number of streams at @inputs
 * @flags: how errors and the end of the inputs are handled
 *
 * Merges streams into one, for a timeline of several feeds.
 *
 * Returns: (transfer full): a stream of the items of every input, in the order they arrive
 */
FwStream *
fw_merge_new (FwStream * const *inputs,
              guint             n_inputs,
              FwMergeFlags      flags)
{
  FwMerge *self = g_object_new (FW_TYPE_MERGE, "name", "merge", NULL);

  self->flags = flags;
  for (guint i = 0; i < n_inputs; i++)
    fw_merge_add_input (self, inputs[i]);

  return FW_STREAM (self);
}

/**
 * fw_merge_add_input:
 * @input: (transfer full): a stream to merge in, even while the merge runs
 *
 * Adds a stream to a running merge, a feed added to a live window.
 *
 * Returns: %TRUE if @input was added; %FALSE if the merge already ended or was closed, in which
 *   case @input is closed at once
 */
gboolean
fw_merge_add_input (FwMerge  *self,
                    FwStream *input)
{
  FwInput *in;

  g_return_val_if_fail (FW_IS_MERGE (self), FALSE);
  g_return_val_if_fail (FW_IS_STREAM (input), FALSE);

  if (self->finished || fw_stream_is_closed (FW_STREAM (self)))
    {
      fw_stream_close (input);
      g_object_unref (input);
      return FALSE;
    }

  in = _fw_input_new (input, self, on_input_answer);
  in->data = g_new0 (Slot, 1);
  in->data_destroy = slot_free;
  g_ptr_array_add (self->inputs, in);

  /* A running merge reads the newcomer at once. */
  if (self->started)
    _fw_input_pull (in, FW_COMBINATOR_BATCH);

  return TRUE;
}

/**
 * fw_merge_get_n_inputs:
 * @self: a merge
 *
 * How many inputs are still being read.
 *
 * Returns: the number of inputs
 */
guint
fw_merge_get_n_inputs (FwMerge *self)
{
  g_return_val_if_fail (FW_IS_MERGE (self), 0);

  return self->inputs->len;
}
