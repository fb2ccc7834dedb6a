/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-array-stream.c: a stream over items already in memory, the simplest source and the one
 * the benchmarks and tests feed through every combinator. */

#include "fw-array-stream.h"

struct _FwArrayStream
{
  FwStream   parent_instance;
  GPtrArray *items;
  guint      position;
  guint      block;
};

/**
 * FwArrayStream:
 *
 * A stream over items already in memory: it yields them in order, then ends. Useful for tests, for
 * replaying history through the same code as a live feed, and as a source of known input for
 * combinators.
 */
G_DEFINE_FINAL_TYPE (FwArrayStream, fw_array_stream, FW_TYPE_STREAM)

static void
fw_array_stream_pull (FwStream     *stream,
                      guint         max_items,
                      GCancellable *cancellable)
{
  FwArrayStream *self = FW_ARRAY_STREAM (stream);
  guint n;

  if (self->items == NULL || self->position >= self->items->len)
    {
      fw_stream_pull_end (stream);
      return;
    }

  /* Hand over a block, as a file source would: the base class keeps what the caller did
   * not ask for yet. */
  n = MIN (MAX (max_items, self->block), self->items->len - self->position);
  for (guint i = 0; i < n; i++)
    fw_stream_yield (stream, fw_item_ref (g_ptr_array_index (self->items, self->position + i)));
  self->position += n;

  fw_stream_pull_done (stream);
}

static void
fw_array_stream_release (FwStream *stream)
{
  FwArrayStream *self = FW_ARRAY_STREAM (stream);

  g_clear_pointer (&self->items, g_ptr_array_unref);
}

static void
fw_array_stream_class_init (FwArrayStreamClass *klass)
{
  FwStreamClass *stream_class = FW_STREAM_CLASS (klass);

  stream_class->pull = fw_array_stream_pull;
  stream_class->release = fw_array_stream_release;
}

static void
fw_array_stream_init (FwArrayStream *self)
{
  self->block = 256;
}

/**
 * fw_array_stream_new:
 * @items: (array length=n_items): items, referenced
 * @n_items: the number of items at @items
 *
 * Makes a stream of copies of the references in @items; the caller keeps its own.
 *
 * Returns: (transfer full): a stream that yields @items in order and then ends
 */
FwStream *
fw_array_stream_new (FwItem * const *items,
                     guint           n_items)
{
  GPtrArray *array = g_ptr_array_new_full (n_items, (GDestroyNotify) fw_item_unref);

  for (guint i = 0; i < n_items; i++)
    g_ptr_array_add (array, fw_item_ref (items[i]));

  return fw_array_stream_new_take (array);
}

/**
 * fw_array_stream_new_take: (skip)
 * @items: (transfer full) (element-type FwItem): items, whose free function unrefs them
 *
 * Makes a stream of @items without copying the array.
 *
 * Returns: (transfer full): a stream that yields @items in order and then ends
 */
FwStream *
fw_array_stream_new_take (GPtrArray *items)
{
  FwArrayStream *self = g_object_new (FW_TYPE_ARRAY_STREAM, "name", "array", NULL);

  self->items = items;

  return FW_STREAM (self);
}

/**
 * fw_array_stream_get_block:
 * @self: an array stream
 *
 * How many items one pull hands over at most (fw_array_stream_set_block()).
 *
 * Returns: the most items one pull hands over
 */
guint
fw_array_stream_get_block (FwArrayStream *self)
{
  g_return_val_if_fail (FW_IS_ARRAY_STREAM (self), 0);

  return self->block;
}

/**
 * fw_array_stream_set_block:
 * @self: an array stream
 * @block: the most items one pull hands over, at least 1
 *
 * Sets how many items one pull hands over at most; 1 makes every `next` a pull, which tests use to
 * exercise the per-item path.
 */
void
fw_array_stream_set_block (FwArrayStream *self,
                           guint          block)
{
  g_return_if_fail (FW_IS_ARRAY_STREAM (self));

  self->block = MAX (block, 1);
}
