/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-transform.c: the per-item combinators. One type with a mode: each pulls a batch from its
 * input, transforms it in one loop and yields the survivors, so a transform costs one round
 * trip per input batch, never one per item. `take` and `take_while` end as soon as they have
 * what they need, and ending releases the stream, which closes the input at once: the
 * reference texts' "break after 3 readings runs the generator's finally". */

#include "fw-transform.h"

#include "fw-combinator-private.h"

typedef enum
{
  MODE_MAP,
  MODE_FILTER,
  MODE_TAKE,
  MODE_TAKE_WHILE,
  MODE_SKIP,
} Mode;

struct _FwTransform
{
  FwStream        parent_instance;
  FwInput        *input;
  Mode            mode;
  guint           count;      /* take: items still to pass; skip: items still to drop */
  FwMapFunc       map;
  FwPredicateFunc predicate;
  gpointer        user_data;
  GDestroyNotify  destroy;
};

/**
 * FwTransform:
 *
 * The stream behind fw_map_new(), fw_filter_new(), fw_take_new(), fw_take_while_new() and
 * fw_skip_new(): one input, transformed item by item.
 */
G_DEFINE_FINAL_TYPE (FwTransform, fw_transform, FW_TYPE_STREAM)

static void
fw_transform_destroy_data (FwTransform *self)
{
  GDestroyNotify destroy = g_steal_pointer (&self->destroy);

  if (destroy != NULL)
    destroy (g_steal_pointer (&self->user_data));
}

static void
on_input_answer (gpointer   owner,
                 FwInput   *input,
                 GPtrArray *batch,
                 GError    *error)
{
  FwTransform *self = owner;
  FwStream *stream = owner;
  g_autoptr(GPtrArray) items = batch;
  GError *map_error = NULL;
  gboolean stop = FALSE;
  guint n_out = 0;

  if (error != NULL)
    {
      fw_stream_pull_error (stream, error);
      return;
    }
  if (items->len == 0)
    {
      fw_stream_pull_end (stream);
      return;
    }

  for (guint i = 0; i < items->len && !stop; i++)
    {
      FwItem *item = g_ptr_array_index (items, i);
      FwItem *out = NULL;

      switch (self->mode)
        {
        case MODE_MAP:
          out = self->map (item, self->user_data, &map_error);
          stop = map_error != NULL;
          break;

        case MODE_FILTER:
          if (self->predicate (item, self->user_data))
            out = fw_item_ref (item);
          break;

        case MODE_TAKE:
          out = fw_item_ref (item);
          stop = --self->count == 0;
          break;

        case MODE_TAKE_WHILE:
          if (self->predicate (item, self->user_data))
            out = fw_item_ref (item);
          else
            stop = TRUE;
          break;

        case MODE_SKIP:
          if (self->count > 0)
            self->count--;
          else
            out = fw_item_ref (item);
          break;

        default:
          g_assert_not_reached ();
        }

      if (out != NULL)
        {
          fw_stream_yield (stream, out);
          n_out++;
        }
    }

  if (map_error != NULL)
    fw_stream_pull_error (stream, map_error);
  else if (stop)
    fw_stream_pull_end (stream);
  else if (n_out > 0)
    fw_stream_pull_done (stream);
  else
    _fw_input_pull (input, FW_COMBINATOR_BATCH); /* all filtered out: ask again */
}

static void
fw_transform_pull (FwStream     *stream,
                   guint         max_items,
                   GCancellable *cancellable)
{
  FwTransform *self = FW_TRANSFORM (stream);
  guint want = MAX (max_items, FW_COMBINATOR_BATCH);

  if (self->mode == MODE_TAKE)
    {
      /* Never take more from the input than will pass. */
      if (self->count == 0)
        {
          fw_stream_pull_end (stream);
          return;
        }
      want = MIN (want, self->count);
    }

  _fw_input_pull (self->input, want);
}

static void
fw_transform_release (FwStream *stream)
{
  FwTransform *self = FW_TRANSFORM (stream);

  /* Inner first, as nested `async with aclosing()` blocks unwind. */
  g_clear_pointer (&self->input, _fw_input_detach);
  fw_transform_destroy_data (self);
}

static void
on_inputs_closed (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FwTransform *self = g_task_get_source_object (task);

  _fw_inputs_close_finish (result, NULL);
  fw_transform_destroy_data (self);
  g_task_return_boolean (task, TRUE);
}

static void
fw_transform_close_async (FwStream            *stream,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  FwTransform *self = FW_TRANSFORM (stream);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, fw_transform_close_async);
  _fw_inputs_close_async (&self->input, 1, on_inputs_closed, task);
  self->input = NULL;
}

static gboolean
fw_transform_close_finish (FwStream      *stream,
                           GAsyncResult  *result,
                           GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
fw_transform_class_init (FwTransformClass *klass)
{
  FwStreamClass *stream_class = FW_STREAM_CLASS (klass);

  stream_class->pull = fw_transform_pull;
  stream_class->release = fw_transform_release;
  stream_class->close_async = fw_transform_close_async;
  stream_class->close_finish = fw_transform_close_finish;
}

static void
fw_transform_init (FwTransform *self)
{
}

static FwStream *
fw_transform_new (FwStream   *input,
                  Mode        mode,
                  const char *name)
{
  FwTransform *self = g_object_new (FW_TYPE_TRANSFORM, "name", name, NULL);

  self->mode = mode;
  self->input = _fw_input_new (input, self, on_input_answer);

  return FW_STREAM (self);
}

/**
 * fw_map_new:
 * @input: (transfer full): the stream to read
 * @func: called on each item, on the stream's main context
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data once the stream is closed or finalized
 *
 * Transforms each item, or drops it when @func returns %NULL; an error from @func fails the stream.
 *
 * Returns: (transfer full): a stream of what @func returns for each item of @input
 */
FwStream *
fw_map_new (FwStream       *input,
            FwMapFunc       func,
            gpointer        user_data,
            GDestroyNotify  destroy)
{
  FwTransform *self;

  g_return_val_if_fail (FW_IS_STREAM (input), NULL);
  g_return_val_if_fail (func != NULL, NULL);

  self = FW_TRANSFORM (fw_transform_new (input, MODE_MAP, "map"));
  self->map = func;
  self->user_data = user_data;
  self->destroy = destroy;

  return FW_STREAM (self);
}

/**
 * fw_filter_new:
 * @input: (transfer full): the stream to read
 * @func: called on each item, on the stream's main context
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data once the stream is closed or finalized
 *
 * Keeps the items that pass a test.
 *
 * Returns: (transfer full): a stream of the items of @input for which @func returns %TRUE
 */
FwStream *
fw_filter_new (FwStream        *input,
               FwPredicateFunc  func,
               gpointer         user_data,
               GDestroyNotify   destroy)
{
  FwTransform *self;

  g_return_val_if_fail (FW_IS_STREAM (input), NULL);
  g_return_val_if_fail (func != NULL, NULL);

  self = FW_TRANSFORM (fw_transform_new (input, MODE_FILTER, "filter"));
  self->predicate = func;
  self->user_data = user_data;
  self->destroy = destroy;

  return FW_STREAM (self);
}

/**
 * fw_take_new:
 * @input: (transfer full): the stream to read
 * @n_items: how many items to pass on
 *
 * Stops a stream after a number of items, closing its input early.
 *
 * Returns: (transfer full): a stream of the first @n_items items of @input; @input is closed as
 *   soon as they have been read from it
 */
FwStream *
fw_take_new (FwStream *input,
             guint     n_items)
{
  FwTransform *self;

  g_return_val_if_fail (FW_IS_STREAM (input), NULL);

  self = FW_TRANSFORM (fw_transform_new (input, MODE_TAKE, "take"));
  self->count = n_items;

  return FW_STREAM (self);
}

/**
 * fw_take_while_new:
 * @input: (transfer full): the stream to read
 * @func: called on each item, on the stream's main context
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data once the stream is closed or finalized
 *
 * Passes items on while they pass a test, then ends.
 *
 * Returns: (transfer full): a stream of the items of @input up to the first for which @func returns
 *   %FALSE (dropped, as itertools.takewhile does); @input is closed there
 */
FwStream *
fw_take_while_new (FwStream        *input,
                   FwPredicateFunc  func,
                   gpointer         user_data,
                   GDestroyNotify   destroy)
{
  FwTransform *self;

  g_return_val_if_fail (FW_IS_STREAM (input), NULL);
  g_return_val_if_fail (func != NULL, NULL);

  self = FW_TRANSFORM (fw_transform_new (input, MODE_TAKE_WHILE, "take-while"));
  self->predicate = func;
  self->user_data = user_data;
  self->destroy = destroy;

  return FW_STREAM (self);
}

/**
 * fw_skip_new:
 * @input: (transfer full): the stream to read
 * @n_items: how many items to drop first
 *
 * Drops the first items of a stream.
 *
 * Returns: (transfer full): a stream of the items of @input after the first @n_items
 */
FwStream *
fw_skip_new (FwStream *input,
             guint     n_items)
{
  FwTransform *self;

  g_return_val_if_fail (FW_IS_STREAM (input), NULL);

  self = FW_TRANSFORM (fw_transform_new (input, MODE_SKIP, "skip"));
  self->count = n_items;

  return FW_STREAM (self);
}
