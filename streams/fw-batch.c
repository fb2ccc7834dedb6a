/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-batch.c: tokio's chunks_timeout. Items of the input are grouped until the group has
 * max_count items or max_wait_ms passed since its first item arrived, whichever comes first;
 * no empty group is ever made. Each group goes out as one item, a FW_ITEM_MESSAGE whose
 * fw_item_get_group() holds the grouped items (its text says how many, its feed is theirs
 * when they share one, its time is the first item's), so a batch composes with every other
 * combinator: merge groups, take 3 groups, throttle them.
 *
 * (The other batching of the reference texts, the BufferedAsyncIterator that fetches a batch
 * and hands items out one by one, is FwStream itself: every source's surplus is kept in the
 * base class's buffer and serves later `next` calls.) */

#include "fw-batch.h"

#include "fw-combinator-private.h"

struct _FwBatch
{
  FwStream   parent_instance;
  FwInput   *input;
  guint      max_count;     /* 0: no count limit */
  guint      max_wait_ms;   /* 0: no time limit */
  GPtrArray *group;         /* being filled */
  GPtrArray *ready;         /* finished group items */
  GSource   *timer;
  GError    *error;
  guint      input_ended : 1;
  guint      pull_pending : 1;
};

/**
 * FwBatch:
 *
 * A combinator that groups the items of its input by count or by time, whichever comes first: each
 * item it yields is a group item (fw_item_get_group()). Made by fw_batch_new().
 */
G_DEFINE_FINAL_TYPE (FwBatch, fw_batch, FW_TYPE_STREAM)

static void
stop_timer (FwBatch *self)
{
  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
}

static void
finish_group (FwBatch *self)
{
  GPtrArray *group = g_steal_pointer (&self->group);
  FwItem *first, *item;
  const char *feed;
  char text[32];
  int len;

  stop_timer (self);
  if (group == NULL)
    return;
  if (group->len == 0)
    {
      g_ptr_array_unref (group);
      return;
    }

  first = g_ptr_array_index (group, 0);
  feed = first->feed;
  for (guint i = 1; i < group->len && feed != NULL; i++)
    if (((FwItem *) g_ptr_array_index (group, i))->feed != feed)
      feed = NULL;

  len = g_snprintf (text, sizeof text, "%u items", group->len);
  item = fw_item_new (FW_ITEM_MESSAGE, (GRefString *) feed, first->time_us, text, len);
  fw_item_take_group (item, group);
  g_ptr_array_add (self->ready, item);
}

static void
fw_batch_serve (FwBatch *self)
{
  FwStream *stream = FW_STREAM (self);

  if (!self->pull_pending)
    return;

  if (self->ready->len > 0)
    {
      for (guint i = 0; i < self->ready->len; i++)
        fw_stream_yield (stream, fw_item_ref (g_ptr_array_index (self->ready, i)));
      g_ptr_array_set_size (self->ready, 0);
      self->pull_pending = FALSE;
      fw_stream_pull_done (stream);
    }
  else if (self->input_ended)
    {
      self->pull_pending = FALSE;
      if (self->error != NULL)
        fw_stream_pull_error (stream, g_steal_pointer (&self->error));
      else
        fw_stream_pull_end (stream);
    }
  else if (!self->input->pulling)
    {
      guint want = FW_COMBINATOR_BATCH;

      if (self->max_count > 0)
        want = self->max_count - (self->group != NULL ? self->group->len : 0);
      _fw_input_pull (self->input, want);
    }
}

static gboolean
on_deadline (gpointer user_data)
{
  FwBatch *self = user_data;

  g_clear_pointer (&self->timer, g_source_unref);
  finish_group (self);
  fw_batch_serve (self);

  return G_SOURCE_REMOVE;
}

static void
on_input_answer (gpointer   owner,
                 FwInput   *input,
                 GPtrArray *batch,
                 GError    *error)
{
  FwBatch *self = owner;

  if (batch == NULL || batch->len == 0)
    {
      /* The partial group goes out before the end or the error. */
      finish_group (self);
      self->input_ended = TRUE;
      self->error = error;
    }
  else
    {
      for (guint i = 0; i < batch->len; i++)
        {
          if (self->group == NULL)
            {
              self->group = g_ptr_array_new_full (self->max_count ? self->max_count : 16,
                                                  (GDestroyNotify) fw_item_unref);
              /* The deadline counts from the group's first item. */
              if (self->max_wait_ms > 0)
                {
                  self->timer = g_timeout_source_new (self->max_wait_ms);
                  g_source_set_callback (self->timer, on_deadline, self, NULL);
                  g_source_set_static_name (self->timer, "[feedwatch] batch deadline");
                  g_source_attach (self->timer, fw_stream_get_context (FW_STREAM (self)));
                }
            }
          g_ptr_array_add (self->group, fw_item_ref (g_ptr_array_index (batch, i)));
          if (self->max_count > 0 && self->group->len >= self->max_count)
            finish_group (self);
        }
    }
  g_clear_pointer (&batch, g_ptr_array_unref);

  fw_batch_serve (self);
}

static void
fw_batch_pull (FwStream     *stream,
               guint         max_items,
               GCancellable *cancellable)
{
  FwBatch *self = FW_BATCH (stream);

  self->pull_pending = TRUE;
  fw_batch_serve (self);
}

static void
fw_batch_drop (FwBatch *self)
{
  stop_timer (self);
  g_clear_pointer (&self->group, g_ptr_array_unref);
  g_ptr_array_set_size (self->ready, 0);
}

static void
fw_batch_release (FwStream *stream)
{
  FwBatch *self = FW_BATCH (stream);

  fw_batch_drop (self);
  g_clear_pointer (&self->input, _fw_input_detach);
}

static void
fw_batch_close_async (FwStream            *stream,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  FwBatch *self = FW_BATCH (stream);

  fw_batch_drop (self);
  _fw_combinator_close_inputs (stream, &self->input, 1, cancellable, callback, user_data,
                               fw_batch_close_async);
  self->input = NULL;
}

static void
fw_batch_finalize (GObject *object)
{
  FwBatch *self = FW_BATCH (object);

  fw_batch_drop (self);
  g_clear_pointer (&self->ready, g_ptr_array_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (fw_batch_parent_class)->finalize (object);
}

static void
fw_batch_class_init (FwBatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  FwStreamClass *stream_class = FW_STREAM_CLASS (klass);

  object_class->finalize = fw_batch_finalize;
  stream_class->pull = fw_batch_pull;
  stream_class->release = fw_batch_release;
  stream_class->close_async = fw_batch_close_async;
  stream_class->close_finish = _fw_combinator_close_finish;
}

static void
fw_batch_init (FwBatch *self)
{
  self->ready = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
}

/**
 * fw_batch_new:
 * @input: (transfer full): the stream to group
 * @max_count: the most items in a group; 0 for no limit (then @max_wait_ms must be set)
 * @max_wait_ms: the longest a group stays open after its first item; 0 for no limit
 *
 * Groups the items of @input, for consumers that handle items in bulk (a database insert, a network
 * send) and want neither too many nor too stale.
 *
 * Returns: (transfer full): a stream of group items (see fw_item_get_group()); the last group may
 *   be short, and comes before the input's end or error
 */
FwStream *
fw_batch_new (FwStream *input,
              guint     max_count,
              guint     max_wait_ms)
{
  FwBatch *self;

  g_return_val_if_fail (FW_IS_STREAM (input), NULL);
  g_return_val_if_fail (max_count > 0 || max_wait_ms > 0, NULL);

  self = g_object_new (FW_TYPE_BATCH, "name", "batch", NULL);
  self->max_count = max_count;
  self->max_wait_ms = max_wait_ms;
  self->input = _fw_input_new (input, self, on_input_answer);

  return FW_STREAM (self);
}
