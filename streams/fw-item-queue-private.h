/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-item-queue-private.h: the one FIFO of items in streams/ (a channel's buffer, a merge
 * input's last batch): a GPtrArray read from a head index, so a pop moves nothing and a whole
 * batch is queued without a copy. Private to streams/. */
#pragma once

#include "fw-item.h"

G_BEGIN_DECLS

/* Zero-initialised is empty. The items from head on are owned; the array has no free func. */
typedef struct
{
  GPtrArray *items;
  guint      head;
} FwItemQueue;

static inline guint
fw_item_queue_len (const FwItemQueue *queue)
{
  return queue->items != NULL ? queue->items->len - queue->head : 0;
}

/* @item: (transfer full) */
static inline void
fw_item_queue_push (FwItemQueue *queue,
                    FwItem      *item)
{
  if (queue->items == NULL)
    queue->items = g_ptr_array_new ();
  g_ptr_array_add (queue->items, item);
}

/* Queues a whole batch (transfer full, items included) in an empty queue, without a copy. */
static inline void
fw_item_queue_take_batch (FwItemQueue *queue,
                          GPtrArray   *batch)
{
  g_assert (fw_item_queue_len (queue) == 0);
  g_clear_pointer (&queue->items, g_ptr_array_unref);
  g_ptr_array_set_free_func (batch, NULL);
  queue->items = batch;
  queue->head = 0;
}

/* Returns: (transfer full): the oldest item; the queue must not be empty */
static inline FwItem *
fw_item_queue_pop (FwItemQueue *queue)
{
  FwItem *item = g_ptr_array_index (queue->items, queue->head);

  queue->head++;
  if (queue->head == queue->items->len)
    {
      g_ptr_array_set_size (queue->items, 0);
      queue->head = 0;
    }
  else if (queue->head >= 64 && queue->head * 2 >= queue->items->len)
    {
      /* Slide the live part down now and then instead of moving per pop. */
      g_ptr_array_remove_range (queue->items, 0, queue->head);
      queue->head = 0;
    }

  return item;
}

/* Drops the items left, and the array. */
static inline void
fw_item_queue_clear (FwItemQueue *queue)
{
  while (fw_item_queue_len (queue) > 0)
    fw_item_unref (fw_item_queue_pop (queue));
  g_clear_pointer (&queue->items, g_ptr_array_unref);
  queue->head = 0;
}

G_END_DECLS
