/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-channel.c: the reference texts' BackpressuredStream (an asyncio.Queue(maxsize) between a
 * producer task and the consumer), with a policy for when the queue is full.
 *
 * The producer is an input stream the channel pumps, or code calling fw_channel_send_async().
 * Under BLOCK the pump asks the input for no more than the free room, and not at all while
 * the queue is full, so the backpressure reaches the source; a full queue is refilled from
 * half-empty on. Under the dropping policies the
 * pump runs freely and the policy decides what is dropped. The counters are properties the
 * UI can bind; their notifications are coalesced to one per main-loop iteration, since the
 * values change per item. */

#include "fw-channel.h"

#include "fw-combinator-private.h"
#include "fw-enums.h"
#include "fw-item-queue-private.h"

typedef struct
{
  FwChannel *channel;
  GTask     *task;
  FwItem    *item;
  GSource   *cancel_source;
} PendingSend;

struct _FwChannel
{
  FwStream         parent_instance;
  FwChannelPolicy  policy;
  guint            capacity;

  FwItemQueue      queue;

  FwInput         *input;
  GQueue           senders;         /* PendingSend*, waiting for room (BLOCK) */
  GError          *sending_error;   /* the producer's error, after the queue drains */

  guint64          n_in;
  guint64          n_out;
  guint64          n_dropped;
  guint            high_water;
  guint            pull_max;

  /* What the last notification said */
  guint64          notified[5];
  GSource         *notify_source;

  guint            started : 1;
  guint            pull_pending : 1;
  guint            sending_closed : 1;
  guint            closed : 1;
  guint            refilling : 1;
  guint            notify_scheduled : 1;
};

/**
 * FwChannel:
 *
 * A bounded queue between a producer and a consumer, read as a stream. The producer sends items
 * (fw_channel_send_async(), fw_channel_try_send()) or is an input stream the channel pumps
 * (fw_channel_new_for_stream()); the #FwChannelPolicy says what happens when the queue is full:
 * backpressure or dropping, counted in #FwChannel:n-dropped.
 */
G_DEFINE_FINAL_TYPE (FwChannel, fw_channel, FW_TYPE_STREAM)

enum {
  PROP_0,
  PROP_CAPACITY,
  PROP_POLICY,
  PROP_LENGTH,
  PROP_N_IN,
  PROP_N_OUT,
  PROP_N_DROPPED,
  PROP_HIGH_WATER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void fw_channel_pump (FwChannel *self);

/* ---------------------------------------------------------------------------------------- */
/* Coalesced notifications */

typedef struct
{
  GSource    source;
  FwChannel *channel;
} NotifySource;

static gboolean
notify_source_dispatch (GSource     *source,
                        GSourceFunc  callback,
                        gpointer     user_data)
{
  FwChannel *self = ((NotifySource *) source)->channel;
  guint64 now[5] = { fw_channel_get_length (self), self->n_in, self->n_out, self->n_dropped,
                     self->high_water };

  g_source_set_ready_time (source, -1);
  self->notify_scheduled = FALSE;
  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = 0; i < G_N_ELEMENTS (now); i++)
    if (now[i] != self->notified[i])
      {
        self->notified[i] = now[i];
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LENGTH + i]);
      }
  g_object_thaw_notify (G_OBJECT (self));

  return G_SOURCE_CONTINUE;
}

static GSourceFuncs notify_source_funcs = {
  .dispatch = notify_source_dispatch,
};

static inline guint queue_len (FwChannel *self);

static void
fw_channel_changed (FwChannel *self)
{
  guint len = queue_len (self);

  if (len > self->high_water)
    self->high_water = len;

  /* Setting a ready time takes the context's lock: once per iteration is enough. */
  if (self->notify_scheduled)
    return;
  self->notify_scheduled = TRUE;

  if (self->notify_source == NULL)
    {
      self->notify_source = g_source_new (&notify_source_funcs, sizeof (NotifySource));
      ((NotifySource *) self->notify_source)->channel = self;
      g_source_set_static_name (self->notify_source, "[feedwatch] channel counters");
      g_source_set_priority (self->notify_source, G_PRIORITY_DEFAULT_IDLE);
      g_source_attach (self->notify_source, g_main_context_get_thread_default ());
    }
  g_source_set_ready_time (self->notify_source, 0);
}

/* ---------------------------------------------------------------------------------------- */
/* The queue */

static inline guint
queue_len (FwChannel *self)
{
  return fw_item_queue_len (&self->queue);
}

static void
queue_push (FwChannel *self,
            FwItem    *item)
{
  fw_item_queue_push (&self->queue, item);
}

static FwItem *
queue_pop (FwChannel *self)
{
  return fw_item_queue_pop (&self->queue);
}

static void
queue_clear (FwChannel *self)
{
  fw_item_queue_clear (&self->queue);
}

/* Applies the policy to one item offered by the producer. The caller checked for room under
 * BLOCK (an item that does not fit is not offered). */
static void
fw_channel_offer (FwChannel *self,
                  FwItem    *item)
{
  self->n_in++;

  if (self->policy == FW_CHANNEL_BLOCK || queue_len (self) < self->capacity)
    {
      queue_push (self, item);
      return;
    }

  self->n_dropped++;
  switch (self->policy)
    {
    case FW_CHANNEL_DROP_NEWEST:
      fw_item_unref (item);
      break;

    case FW_CHANNEL_DROP_OLDEST:
    case FW_CHANNEL_KEEP_LATEST:
      fw_item_unref (queue_pop (self));
      queue_push (self, item);
      break;

    case FW_CHANNEL_BLOCK:
    default:
      g_assert_not_reached ();
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Producers waiting for room */

static void
pending_send_free (PendingSend *send)
{
  if (send->cancel_source != NULL)
    {
      g_source_destroy (send->cancel_source);
      g_source_unref (send->cancel_source);
    }
  g_clear_pointer (&send->item, fw_item_unref);
  g_clear_object (&send->task);
  g_free (send);
}

static gboolean
on_send_cancelled (GCancellable *cancellable,
                   gpointer      user_data)
{
  PendingSend *send = user_data;
  FwChannel *self = send->channel;
  GTask *task = g_object_ref (send->task);

  g_queue_remove (&self->senders, send);
  pending_send_free (send);
  g_task_return_error_if_cancelled (task);
  g_object_unref (task);

  return G_SOURCE_REMOVE;
}

static void
fail_senders (FwChannel  *self,
              const char *why)
{
  PendingSend *send;

  while ((send = g_queue_pop_head (&self->senders)) != NULL)
    {
      GTask *task = g_steal_pointer (&send->task);

      pending_send_free (send);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED, "%s", why);
      g_object_unref (task);
    }
}

static void
admit_senders (FwChannel *self)
{
  PendingSend *send;

  while (queue_len (self) < self->capacity &&
         (send = g_queue_pop_head (&self->senders)) != NULL)
    {
      GTask *task = g_steal_pointer (&send->task);

      fw_channel_offer (self, g_steal_pointer (&send->item));
      pending_send_free (send);
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      fw_channel_changed (self);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* The consumer's side */

static void
fw_channel_serve (FwChannel *self)
{
  FwStream *stream = (FwStream *) self; /* hot path: one call per `next` */
  guint n;

  if (!self->pull_pending)
    return;

  /* Hand over no more than was asked for: what the consumer did not take stays counted in
   * the queue, so the capacity and the counters are exact. */
  n = MIN (queue_len (self), self->pull_max);
  if (n > 0)
    {
      for (guint i = 0; i < n; i++)
        fw_stream_yield (stream, queue_pop (self));
      self->n_out += n;
      self->pull_pending = FALSE;
      fw_channel_changed (self);
      fw_stream_pull_done (stream);
    }
  else if (self->sending_closed)
    {
      self->pull_pending = FALSE;
      if (self->sending_error != NULL)
        fw_stream_pull_error (stream, g_error_copy (self->sending_error));
      else
        fw_stream_pull_end (stream);
    }
}

static void
on_input_answer (gpointer   owner,
                 FwInput   *input,
                 GPtrArray *batch,
                 GError    *error)
{
  FwChannel *self = owner;

  if (batch == NULL || batch->len == 0)
    {
      self->sending_closed = TRUE;
      self->sending_error = error;
    }
  else
    {
      for (guint i = 0; i < batch->len; i++)
        fw_channel_offer (self, fw_item_ref (g_ptr_array_index (batch, i)));
      fw_channel_changed (self);
    }
  g_clear_pointer (&batch, g_ptr_array_unref);

  fw_channel_serve (self);
  fw_channel_pump (self);
}

static void
fw_channel_pump (FwChannel *self)
{
  guint room;

  if (self->input == NULL || self->input->pulling || self->input->done || !self->started ||
      self->closed)
    return;

  if (self->policy == FW_CHANNEL_BLOCK)
    {
      /* Backpressure: the input is asked for no more than fits, and not at all when full.
       * Once full, it is asked again only when the queue is down to half (hysteresis), so a
       * consumer taking one item at a time does not cost an input round trip per item. */
      if (queue_len (self) >= self->capacity)
        {
          self->refilling = FALSE;
          return;
        }
      if (!self->refilling && queue_len (self) > self->capacity / 2)
        return;
      self->refilling = TRUE;
      room = self->capacity - queue_len (self);
    }
  else
    room = MAX (self->capacity, FW_COMBINATOR_BATCH);

  _fw_input_pull (self->input, room);
}

static void
fw_channel_pull (FwStream     *stream,
                 guint         max_items,
                 GCancellable *cancellable)
{
  FwChannel *self = (FwChannel *) stream;

  self->started = TRUE;
  self->pull_pending = TRUE;
  self->pull_max = MAX (max_items, 1);
  fw_channel_serve (self);
  /* The consumer made room: the producers waiting for it go on. */
  admit_senders (self);
  fw_channel_serve (self);
  fw_channel_pump (self);
}

static void
fw_channel_shut (FwChannel *self)
{
  self->closed = TRUE;
  self->sending_closed = TRUE;
  fail_senders (self, "The channel was closed by its consumer");
  queue_clear (self);
  fw_channel_changed (self);
}

static void
fw_channel_release (FwStream *stream)
{
  FwChannel *self = FW_CHANNEL (stream);

  fw_channel_shut (self);
  g_clear_pointer (&self->input, _fw_input_detach);
}

static void
on_inputs_closed (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  _fw_inputs_close_finish (result, NULL);
  g_task_return_boolean (task, TRUE);
}

static void
fw_channel_close_async (FwStream            *stream,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  FwChannel *self = FW_CHANNEL (stream);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, fw_channel_close_async);
  fw_channel_shut (self);
  _fw_inputs_close_async (&self->input, 1, on_inputs_closed, task);
  self->input = NULL;
}

static gboolean
fw_channel_close_finish (FwStream      *stream,
                         GAsyncResult  *result,
                         GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---------------------------------------------------------------------------------------- */
/* GObject */

static void
fw_channel_dispose (GObject *object)
{
  FwChannel *self = FW_CHANNEL (object);

  G_OBJECT_CLASS (fw_channel_parent_class)->dispose (object);

  if (self->notify_source != NULL)
    {
      g_source_destroy (self->notify_source);
      g_clear_pointer (&self->notify_source, g_source_unref);
    }
}

static void
fw_channel_finalize (GObject *object)
{
  FwChannel *self = FW_CHANNEL (object);

  g_assert (g_queue_is_empty (&self->senders));
  queue_clear (self);
  g_clear_error (&self->sending_error);

  G_OBJECT_CLASS (fw_channel_parent_class)->finalize (object);
}

static void
fw_channel_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  FwChannel *self = FW_CHANNEL (object);

  switch (prop_id)
    {
    case PROP_CAPACITY:
      g_value_set_uint (value, self->capacity);
      break;

    case PROP_POLICY:
      g_value_set_enum (value, self->policy);
      break;

    case PROP_LENGTH:
      g_value_set_uint (value, fw_channel_get_length (self));
      break;

    case PROP_N_IN:
      g_value_set_uint64 (value, self->n_in);
      break;

    case PROP_N_OUT:
      g_value_set_uint64 (value, self->n_out);
      break;

    case PROP_N_DROPPED:
      g_value_set_uint64 (value, self->n_dropped);
      break;

    case PROP_HIGH_WATER:
      g_value_set_uint (value, self->high_water);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_channel_class_init (FwChannelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  FwStreamClass *stream_class = FW_STREAM_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = fw_channel_dispose;
  object_class->finalize = fw_channel_finalize;
  object_class->get_property = fw_channel_get_property;

  stream_class->pull = fw_channel_pull;
  stream_class->release = fw_channel_release;
  stream_class->close_async = fw_channel_close_async;
  stream_class->close_finish = fw_channel_close_finish;

  /**
   * FwChannel:capacity:
   *
   * The most items that may wait.
   */
  properties[PROP_CAPACITY] =
    g_param_spec_uint ("capacity", NULL, NULL, 1, G_MAXUINT, 1, ro);
  /**
   * FwChannel:policy:
   *
   * What the channel does with a new item when it is full.
   */
  properties[PROP_POLICY] =
    g_param_spec_enum ("policy", NULL, NULL, FW_TYPE_CHANNEL_POLICY, FW_CHANNEL_BLOCK, ro);
  /* The five below are notified in this order by notify_source_dispatch(). */
  /**
   * FwChannel:length:
   *
   * How many items wait for the consumer. The counter properties are notified from an idle
   * callback, not once per item.
   */
  properties[PROP_LENGTH] =
    g_param_spec_uint ("length", NULL, NULL, 0, G_MAXUINT, 0, ro);
  /**
   * FwChannel:n-in:
   *
   * How many items the channel has accepted.
   */
  properties[PROP_N_IN] =
    g_param_spec_uint64 ("n-in", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  /**
   * FwChannel:n-out:
   *
   * How many items the consumer has taken.
   */
  properties[PROP_N_OUT] =
    g_param_spec_uint64 ("n-out", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  /**
   * FwChannel:n-dropped:
   *
   * How many items the policy dropped.
   */
  properties[PROP_N_DROPPED] =
    g_param_spec_uint64 ("n-dropped", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  /**
   * FwChannel:high-water:
   *
   * The most items that ever waited at once.
   */
  properties[PROP_HIGH_WATER] =
    g_param_spec_uint ("high-water", NULL, NULL, 0, G_MAXUINT, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fw_channel_init (FwChannel *self)
{
  g_queue_init (&self->senders);
}

/**
 * fw_channel_new:
 * @capacity: how many items may wait, at least 1
 * @policy: what a full channel does with a new item
 *
 * A channel fed by code: fw_channel_send_async() or fw_channel_try_send(), then
 * fw_channel_close_sending(). Read it as any stream.
 *
 * Returns: (transfer full): a new #FwChannel
 */
FwStream *
fw_channel_new (guint           capacity,
                FwChannelPolicy policy)
{
  FwChannel *self;

  g_return_val_if_fail (capacity > 0, NULL);
  g_return_val_if_fail (policy <= FW_CHANNEL_KEEP_LATEST, NULL);

  self = g_object_new (FW_TYPE_CHANNEL, "name", "channel", NULL);
  self->policy = policy;
  self->capacity = policy == FW_CHANNEL_KEEP_LATEST ? 1 : capacity;

  return FW_STREAM (self);
}

/**
 * fw_channel_new_for_stream:
 * @input: (transfer full): the producer, pumped from the first `next` on
 * @capacity: how many items may wait, at least 1
 * @policy: what a full channel does with a new item
 *
 * Puts a bounded queue after @input: the channel pulls @input as fast as it produces and queues its
 * items, so a slow consumer costs at most @capacity items of memory (or backpressure, with
 * %FW_CHANNEL_BLOCK).
 *
 * Returns: (transfer full): a new #FwChannel that closes @input when it is closed
 */
FwStream *
fw_channel_new_for_stream (FwStream        *input,
                           guint            capacity,
                           FwChannelPolicy  policy)
{
  FwStream *stream;

  g_return_val_if_fail (FW_IS_STREAM (input), NULL);

  stream = fw_channel_new (capacity, policy);
  if (stream != NULL)
    FW_CHANNEL (stream)->input = _fw_input_new (input, stream, on_input_answer);

  return stream;
}

/**
 * fw_channel_try_send:
 * @item: (transfer none): the item
 *
 * Offers @item without waiting. Under the dropping policies it is always accepted (the policy
 * may then drop it or an older one).
 *
 * Returns: %FALSE if the channel is full under %FW_CHANNEL_BLOCK, or closed
 */
gboolean
fw_channel_try_send (FwChannel *self,
                     FwItem    *item)
{
  g_return_val_if_fail (FW_IS_CHANNEL (self), FALSE);
  g_return_val_if_fail (item != NULL, FALSE);

  if (self->sending_closed || fw_stream_is_closed (FW_STREAM (self)))
    return FALSE;
  if (self->policy == FW_CHANNEL_BLOCK &&
      (queue_len (self) >= self->capacity || !g_queue_is_empty (&self->senders)))
    return FALSE;

  fw_channel_offer (self, fw_item_ref (item));
  fw_channel_changed (self);
  fw_channel_serve (self);

  return TRUE;
}

/**
 * fw_channel_send_async:
 * @item: (transfer none): the item
 * @cancellable: (nullable): gives up waiting for room
 * @callback: called once the item is queued or refused
 * @user_data: data for @callback
 *
 * Offers @item, waiting for room under %FW_CHANNEL_BLOCK. Completes with %G_IO_ERROR_CLOSED
 * if the consumer closes the channel (or sending was closed) first.
 */
void
fw_channel_send_async (FwChannel           *self,
                       FwItem              *item,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PendingSend *send;

  g_return_if_fail (FW_IS_CHANNEL (self));
  g_return_if_fail (item != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fw_channel_send_async);

  if (self->sending_closed || fw_stream_is_closed (FW_STREAM (self)))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED, "The channel is closed");
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  if (fw_channel_try_send (self, item))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  send = g_new0 (PendingSend, 1);
  send->channel = self;
  send->task = g_steal_pointer (&task);
  send->item = fw_item_ref (item);
  if (cancellable != NULL)
    {
      send->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (send->cancel_source, G_SOURCE_FUNC (on_send_cancelled), send, NULL);
      g_source_attach (send->cancel_source, g_main_context_get_thread_default ());
    }
  g_queue_push_tail (&self->senders, send);
}

/**
 * fw_channel_send_finish:
 * @result: the result given to the callback
 *
 * Finishes fw_channel_send_async().
 *
 * Returns: %TRUE when the item was accepted, %FALSE with @error set (%G_IO_ERROR_CLOSED,
 *   %G_IO_ERROR_CANCELLED)
 */
gboolean
fw_channel_send_finish (FwChannel     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * fw_channel_close_sending:
 * @error: (nullable): what the consumer gets after the waiting items, instead of the end
 *
 * The producer is done: the consumer gets what is queued, then the end (or @error). Senders
 * still waiting for room complete with %G_IO_ERROR_CLOSED.
 */
void
fw_channel_close_sending (FwChannel    *self,
                          const GError *error)
{
  g_return_if_fail (FW_IS_CHANNEL (self));

  if (self->sending_closed)
    return;

  self->sending_closed = TRUE;
  if (error != NULL)
    self->sending_error = g_error_copy (error);
  fail_senders (self, "Sending was closed");
  fw_channel_serve (self);
}

/**
 * fw_channel_get_capacity:
 *
 * The channel's capacity (#FwChannel:capacity).
 *
 * Returns: the most items that may wait
 */
guint
fw_channel_get_capacity (FwChannel *self)
{
  g_return_val_if_fail (FW_IS_CHANNEL (self), 0);
  return self->capacity;
}

/**
 * fw_channel_get_policy:
 *
 * What the channel does when full (#FwChannel:policy).
 *
 * Returns: the channel's policy
 */
FwChannelPolicy
fw_channel_get_policy (FwChannel *self)
{
  g_return_val_if_fail (FW_IS_CHANNEL (self), 0);
  return self->policy;
}

/**
 * fw_channel_get_length:
 *
 * How many items wait for the consumer now.
 *
 * Returns: the number of items waiting
 */
guint
fw_channel_get_length (FwChannel *self)
{
  g_return_val_if_fail (FW_IS_CHANNEL (self), 0);
  return queue_len (self);
}

/**
 * fw_channel_get_n_in:
 *
 * How many items the channel has accepted from the producer.
 *
 * Returns: the number of items accepted
 */
guint64
fw_channel_get_n_in (FwChannel *self)
{
  g_return_val_if_fail (FW_IS_CHANNEL (self), 0);
  return self->n_in;
}

/**
 * fw_channel_get_n_out:
 *
 * How many items the consumer has taken.
 *
 * Returns: the number of items delivered
 */
guint64
fw_channel_get_n_out (FwChannel *self)
{
  g_return_val_if_fail (FW_IS_CHANNEL (self), 0);
  return self->n_out;
}

/**
 * fw_channel_get_n_dropped:
 *
 * How many items the policy dropped because the channel was full.
 *
 * Returns: the number of items dropped
 */
guint64
fw_channel_get_n_dropped (FwChannel *self)
{
  g_return_val_if_fail (FW_IS_CHANNEL (self), 0);
  return self->n_dropped;
}

/**
 * fw_channel_get_high_water:
 *
 * The most items that ever waited at once: how close the consumer came to falling behind.
 *
 * Returns: the greatest length
 */
guint
fw_channel_get_high_water (FwChannel *self)
{
  g_return_val_if_fail (FW_IS_CHANNEL (self), 0);
  return self->high_water;
}
