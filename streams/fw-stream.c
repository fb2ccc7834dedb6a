/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-stream.c: the stream contract (DESIGN.md §3) and its light completion path
 *
 * Completing an operation must not cost a GTask and a main-loop source per item: each stream
 * keeps one reusable result object (only one operation is pending at a time), and each main
 * context has one dispatcher source that drains a list of streams with a ready completion,
 * within a budget per main-loop iteration. Sources answer pulls by yielding items into the
 * stream's buffer; `next` and `next_batch` are served from that buffer, so a source that reads
 * a block of a thousand lines answers a thousand `next` calls with one pull.
 */

#include "fw-stream.h"

#include <string.h>

#include "fw-close-registry.h"
#include "fw-item-array.h"

/* ---------------------------------------------------------------------------------------- */
/* The reusable GAsyncResult */

#define FW_TYPE_STREAM_RESULT (fw_stream_result_get_type ())
G_DECLARE_FINAL_TYPE (FwStreamResult, fw_stream_result, FW, STREAM_RESULT, GObject)

struct _FwStreamResult
{
  GObject    parent_instance;
  FwStream  *stream;      /* strong while an operation is being completed, else NULL */
  gpointer   user_data;
  gpointer   source_tag;
  FwItem    *item;
  GPtrArray *batch;
  GError    *error;
};

static void fw_stream_result_iface_init (GAsyncResultIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FwStreamResult, fw_stream_result, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_ASYNC_RESULT,
                                                      fw_stream_result_iface_init))

static void
fw_stream_result_clear (FwStreamResult *self)
{
  g_clear_pointer (&self->item, fw_item_unref);
  g_clear_pointer (&self->batch, g_ptr_array_unref);
  g_clear_error (&self->error);
  g_clear_object (&self->stream);
  self->user_data = NULL;
  self->source_tag = NULL;
}

static void
fw_stream_result_finalize (GObject *object)
{
  fw_stream_result_clear (FW_STREAM_RESULT (object));

  G_OBJECT_CLASS (fw_stream_result_parent_class)->finalize (object);
}

static gpointer
fw_stream_result_get_user_data (GAsyncResult *result)
{
  return FW_STREAM_RESULT (result)->user_data;
}

static GObject *
fw_stream_result_get_source_object (GAsyncResult *result)
{
  FwStreamResult *self = FW_STREAM_RESULT (result);

  return self->stream != NULL ? g_object_ref (G_OBJECT (self->stream)) : NULL;
}

static gboolean
fw_stream_result_is_tagged (GAsyncResult *result,
                            gpointer      source_tag)
{
  return FW_STREAM_RESULT (result)->source_tag == source_tag;
}

static void
fw_stream_result_iface_init (GAsyncResultIface *iface)
{
  iface->get_user_data = fw_stream_result_get_user_data;
  iface->get_source_object = fw_stream_result_get_source_object;
  iface->is_tagged = fw_stream_result_is_tagged;
}

static void
fw_stream_result_class_init (FwStreamResultClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fw_stream_result_finalize;
}

static void
fw_stream_result_init (FwStreamResult *self)
{
}

/* ---------------------------------------------------------------------------------------- */
/* The stream */

typedef enum
{
  OP_NONE,
  OP_NEXT,
  OP_BATCH,
} OpKind;

typedef struct _FwDispatcher FwDispatcher;

typedef struct
{
  char               *name;
  GMainContext       *context;
  FwDispatcher       *dispatcher;
  GCancellable       *cancellable;

  /* Items a source yielded that no caller took yet, from buffer_head on. */
  GPtrArray          *buffer;
  guint               buffer_head;
  GError             *pending_error;

  /* The one pending operation */
  OpKind              op_kind;
  guint               op_max;
  GCancellable       *op_cancellable;
  GAsyncReadyCallback op_callback;
  gpointer            op_user_data;
  GSource            *op_cancel_source;

  FwStreamResult     *result;
  FwStream           *ready_next;
  GList              *close_tasks;
  GObject            *owner;
  FwStreamRetryFunc   retry_func;   /* while the source waits to try again */
  gpointer            retry_data;

  guint               started : 1;
  guint               pulling : 1;
  guint               ended : 1;
  guint               failed : 1;
  guint               released : 1;
  guint               closing : 1;
  guint               closed : 1;
  guint               queued : 1;
  guint               op_cancelled : 1;
} FwStreamPrivate;

/**
 * FwStream:
 *
 * An asynchronous iterator over items: the base class of every source and combinator.
 *
 * Consumers call fw_stream_next_async() or fw_stream_next_batch_async() until the end, then
 * fw_stream_close_async(); sources subclass it and implement #FwStreamClass.pull and
 * #FwStreamClass.release. Every stream follows [the stream contract](stream-contract.html): lazy
 * start, one pending call, close rules, cancellation and the thread-default main context.
 */
G_DEFINE_TYPE_WITH_PRIVATE (FwStream, fw_stream, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_CLOSED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void fw_stream_enqueue (FwStream *self);
static void on_owner_disposed (gpointer data, GObject *where_the_owner_was);

/* ---------------------------------------------------------------------------------------- */
/* One dispatcher per main context */

struct _FwDispatcher
{
  GSource   source;
  FwStream *head;
  FwStream *tail;
  gboolean  dispatching;
};

static void dispatch_stream (FwStream *self);

static gboolean
fw_dispatcher_dispatch (GSource     *source,
                        GSourceFunc  callback,
                        gpointer     user_data)
{
  FwDispatcher *d = (FwDispatcher *) source;
  gint64 start = g_get_monotonic_time ();
  guint n = 0;

  g_source_set_ready_time (source, -1);
  d->dispatching = TRUE;

  while (d->head != NULL)
    {
      FwStream *stream = d->head;
      FwStreamPrivate *priv = fw_stream_get_instance_private (stream);

      d->head = priv->ready_next;
      if (d->head == NULL)
        d->tail = NULL;
      priv->ready_next = NULL;
      priv->queued = FALSE;

      dispatch_stream (stream);
      g_object_unref (stream);

      /* Bounded work per main-loop iteration: other sources get their turn. */
      n++;
      if (n >= FW_STREAM_DISPATCH_BUDGET_ITEMS ||
          ((n & 63) == 0 && g_get_monotonic_time () - start > FW_STREAM_DISPATCH_BUDGET_USEC))
        break;
    }

  d->dispatching = FALSE;
  if (d->head != NULL)
    g_source_set_ready_time (source, 0);

  return G_SOURCE_CONTINUE;
}

static GSourceFuncs dispatcher_funcs = {
  .dispatch = fw_dispatcher_dispatch,
};

static FwDispatcher *
fw_dispatcher_for_context (GMainContext *context)
{
  static GMutex lock;
  static GHashTable *dispatchers;
  FwDispatcher *d;

  g_mutex_lock (&lock);
  if (dispatchers == NULL)
    dispatchers = g_hash_table_new (NULL, NULL);
  d = g_hash_table_lookup (dispatchers, context);
  if (d == NULL)
    {
      d = (FwDispatcher *) g_source_new (&dispatcher_funcs, sizeof (FwDispatcher));
      g_source_set_static_name ((GSource *) d, "[feedwatch] stream dispatcher");
      g_source_set_priority ((GSource *) d, G_PRIORITY_DEFAULT);
      g_source_set_ready_time ((GSource *) d, -1);
      g_source_attach ((GSource *) d, context);
      /* The table keeps the context alive: it is looked up by address. */
      g_hash_table_insert (dispatchers, g_main_context_ref (context), d);
    }
  g_mutex_unlock (&lock);

  return d;
}

static void
fw_stream_bind_context (FwStream *self)
{
  FwStreamPrivate *priv = fw_stream_get_instance_private (self);

  if (priv->context != NULL)
    return;

  priv->context = g_main_context_ref_thread_default ();
  priv->dispatcher = fw_dispatcher_for_context (priv->context);
}

static void
fw_stream_enqueue (FwStream *self)
{
  FwStreamPrivate *priv = fw_stream_get_instance_private (self);
  FwDispatcher *d;

  if (priv->queued)
    return;

  fw_stream_bind_context (self);
  d = priv->dispatcher;
  priv->queued = TRUE;
  g_object_ref (self);

  if (d->tail != NULL)
    {
      FwStreamPrivate *tail_priv = fw_stream_get_instance_private (d->tail);
      tail_priv->ready_next = self;
    }
  else
    {
      d->head = self;
      if (!d->dispatching)
        g_source_set_ready_time ((GSource *) d, 0);
    }
  d->tail = self;
}

/* ---------------------------------------------------------------------------------------- */
/* Buffer */

static inline guint
buffer_len (FwStreamPrivate *priv)
{
  return priv->buffer->len - priv->buffer_head;
}

static FwItem *
buffer_take_one (FwStreamPrivate *priv)
{
  FwItem *item = g_ptr_array_index (priv->buffer, priv->buffer_head);

  priv->buffer_head++;
  if (priv->buffer_head == priv->buffer->len)
    {
      g_ptr_array_set_size (priv->buffer, 0);
      priv->buffer_head = 0;
    }

  return item;
}

static GPtrArray *
buffer_take_batch (FwStreamPrivate *priv,
                   guint            max)
{
  guint n = MIN (max, buffer_len (priv));
  GPtrArray *batch;

  /* The common case hands the whole buffer over instead of copying it. */
  if (priv->buffer_head == 0 && n == priv->buffer->len)
    {
      batch = g_steal_pointer (&priv->buffer);
      g_ptr_array_set_free_func (batch, (GDestroyNotify) fw_item_unref);
      priv->buffer = g_ptr_array_sized_new (MAX (n, 16));
      return batch;
    }

  batch = g_ptr_array_new_full (n, (GDestroyNotify) fw_item_unref);
  if (n > 0)
    {
      g_ptr_array_set_size (batch, n);
      memcpy (batch->pdata, priv->buffer->pdata + priv->buffer_head, n * sizeof (gpointer));
    }
  priv->buffer_head += n;
  if (priv->buffer_head == priv->buffer->len)
    {
      g_ptr_array_set_size (priv->buffer, 0);
      priv->buffer_head = 0;
    }

  return batch;
}

static void
buffer_clear (FwStreamPrivate *priv)
{
  for (guint i = priv->buffer_head; i < priv->buffer->len; i++)
    fw_item_unref (g_ptr_array_index (priv->buffer, i));
  g_ptr_array_set_size (priv->buffer, 0);
  priv->buffer_head = 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Operations */

static gboolean
op_is_ready (FwStreamPrivate *priv)
{
  return priv->op_kind != OP_NONE &&
         (priv->op_cancelled || priv->closing || priv->closed ||
          buffer_len (priv) > 0 || priv->ended);
}

static void
fw_stream_release (FwStream *self)
{
  FwStreamPrivate *priv = fw_stream_get_instance_private (self);

  if (priv->released)
    return;

  priv->released = TRUE;
  FW_STREAM_GET_CLASS (self)->release (self);
}

static void
op_clear (FwStreamPrivate *priv)
{
  priv->op_kind = OP_NONE;
  priv->op_cancelled = FALSE;
  priv->op_callback = NULL;
  priv->op_user_data = NULL;
  g_clear_object (&priv->op_cancellable);
  if (priv->op_cancel_source != NULL)
    {
      g_source_destroy (priv->op_cancel_source);
      g_clear_pointer (&priv->op_cancel_source, g_source_unref);
    }
}

static FwStreamResult *
fw_stream_take_result (FwStream *self)
{
  FwStreamPrivate *priv = fw_stream_get_instance_private (self);

  /* Reuse the result unless a caller still holds the previous one. */
  if (priv->result == NULL || G_OBJECT (priv->result)->ref_count > 1)
    {
      g_clear_object (&priv->result);
      priv->result = g_object_new (FW_TYPE_STREAM_RESULT, NULL);
    }

  return priv->result;
}

static void
complete_op (FwStream *self)
{
  FwStreamPrivate *priv = fw_stream_get_instance_private (self);
  FwStreamResult *result = fw_stream_take_result (self);
  GAsyncReadyCallback callback = priv->op_callback;
  gpointer user_data = priv->op_user_data;
  OpKind kind = priv->op_kind;

  result->stream = g_object_ref (self);
  result->user_data = user_data;
  result->source_tag = kind == OP_NEXT ? (gpointer) fw_stream_next_async
                                       : (gpointer) fw_stream_next_batch_async;

  if (priv->op_cancelled)
    result->error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                         "Operation was cancelled");
  else if (priv->closing || priv->closed)
    result->error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                         "The stream was closed while the operation was pending");
  else if (buffer_len (priv) > 0)
    {
      if (kind == OP_NEXT)
        result->item = buffer_take_one (priv);
      else
        result->batch = buffer_take_batch (priv, priv->op_max);
    }
  else if (priv->pending_error != NULL)
    {
      result->error = g_steal_pointer (&priv->pending_error);
      priv->failed = TRUE;
    }
  else if (kind == OP_BATCH)
    result->batch = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);

  op_clear (priv);

  g_object_ref (result);
  callback (G_OBJECT (self), G_ASYNC_RESULT (result), user_data);
  /* Drop what the callback did not take. A caller that kept the result for later owns it
   * alone from now on (it holds the stream, as a GTask would); the next operation gets a
   * fresh one. */
  if (G_OBJECT (result)->ref_count <= 2)
    fw_stream_result_clear (result);
  else if (priv->result == result)
    g_clear_object (&priv->result);
  g_object_unref (result);

  g_object_unref (self); /* the operation's reference */
}

static void
dispatch_stream (FwStream *self)
{
  FwStreamPrivate *priv = fw_stream_get_instance_private (self);

  /* The generator's `finally` runs before the caller hears of the end. */
  if (priv->ended && !priv->released && !priv->closing && !priv->closed)
    fw_stream_release (self);

  if (op_is_ready (priv))
    complete_op (self);
}

static gboolean
on_op_cancelled (GCancellable *cancellable,
                 gpointer      user_data)
{
  FwStream *self = user_data;
  FwStreamPrivate *priv = fw_stream_get_instance_private (self);

  if (priv->op_kind != OP_NONE)
    {
      priv->op_cancelled = TRUE;
      fw_stream_enqueue (self);
    }

  return G_SOURCE_REMOVE;
}

static void
start_pull (FwStream *self,
            guint     max_items)
{
  FwStreamPrivate *priv = fw_stream_get_instance_private (self);

  if (priv->cancellable == NULL)
    priv->cancellable = g_cancellable_new ();

  priv->started = TRUE;
  priv->pulling = TRUE;
  FW_STREAM_GET_CLASS (self)->pull (self, max_items, priv->cancellable);
}

static gboolean
fw_stream_begin_op (FwStream            *self,
                    OpKind               kind,
                    guint                max_items,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data,
                    gpointer             source_tag)
{
  FwStreamPrivate *priv = fw_stream_get_instance_private (self);

  if (priv->op_kind != OP_NONE)
    {
      g_task_report_new_error (self, callback, user_data, source_tag,
                               G_IO_ERROR, G_IO_ERROR_PENDING,
                               "Stream has outstanding operation");
      return FALSE;
    }
  if (priv->closed || priv->closing)
    {
      g_task_report_new_error (self, callback, user_data, source_tag,
                               G_IO_ERROR, G_IO_ERROR_CLOSED,
                               "Stream is already closed");
      return FALSE;
    }

  fw_stream_bind_context (self);

  priv->op_kind = kind;
  priv->op_max = MAX (max_items, 1);
  priv->op_callback = callback;
  priv->op_user_data = user_data;
  g_object_ref (self);

  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    priv->op_cancelled = TRUE;

  if (!op_is_ready (priv) && !priv->pulling && !priv->failed)
    start_pull (self, priv->op_max);

  if (priv->failed && !op_is_ready (priv))
    priv->ended = TRUE;

  if (op_is_ready (priv))
    {
      fw_stream_enqueue (self);
    }
  else if (cancellable != NULL)
    {
      priv->op_cancellable = g_object_ref (cancellable);
      priv->op_cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (priv->op_cancel_source, G_SOURCE_FUNC (on_op_cancelled), self, NULL);
      g_source_set_static_name (priv->op_cancel_source, "[feedwatch] stream op cancel");
      g_source_attach (priv->op_cancel_source, priv->context);
    }

  return TRUE;
}

/**
 * fw_stream_next_async:
 * @cancellable: (nullable): cancels this call only; the stream stays usable
 * @callback: called on the thread-default main context with the item
 * @user_data: data for @callback
 *
 * Asks for the next item: `await anext(stream)`. The first call starts the source (lazy start).
 * Completes on the thread-default main context of the first call, never from within this call.
 * Fails with %G_IO_ERROR_PENDING while another call is pending and with %G_IO_ERROR_CLOSED after
 * close. See [the stream contract](stream-contract.html).
 */
void
fw_stream_next_async (FwStream            *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_return_if_fail (FW_IS_STREAM (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (callback != NULL);

  fw_stream_begin_op (self, OP_NEXT, 1, cancellable, callback, user_data, fw_stream_next_async);
}

/**
 * fw_stream_next_finish:
 * @result: the result given to the callback
 *
 * Finishes fw_stream_next_async(). An error set after some items means those items were delivered
 * first; the stream has ended with it.
 *
 * Returns: (transfer full) (nullable): the next item, or %NULL with no error at the natural end of
 *   the stream (`StopAsyncIteration`), or %NULL with @error set.
 */
FwItem *
fw_stream_next_finish (FwStream      *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  FwStreamResult *res;

  g_return_val_if_fail (FW_IS_STREAM (self), NULL);

  if (G_IS_TASK (result))
    return g_task_propagate_pointer (G_TASK (result), error);

  g_return_val_if_fail (FW_IS_STREAM_RESULT (result), NULL);
  res = FW_STREAM_RESULT (result);
  g_return_val_if_fail (res->source_tag == fw_stream_next_async, NULL);

  if (res->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&res->error));
      return NULL;
    }

  return g_steal_pointer (&res->item);
}

/**
 * fw_stream_next_batch_async:
 * @max_items: the most items to return, at least 1
 * @cancellable: (nullable): cancels this call only; the stream stays usable
 * @callback: called on the thread-default main context with the batch
 * @user_data: data for @callback
 *
 * Asks for 1 to @max_items items at once, `fetchmany()`: the fast path for consumers of many items.
 * A short batch is normal; an empty batch is the end. The same rules as fw_stream_next_async()
 * apply.
 */
void
fw_stream_next_batch_async (FwStream            *self,
                            guint                max_items,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (FW_IS_STREAM (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (callback != NULL);

  fw_stream_begin_op (self, OP_BATCH, max_items, cancellable, callback, user_data,
                      fw_stream_next_batch_async);
}

/**
 * fw_stream_next_batch_finish:
 * @result: the result given to the callback
 *
 * The array owns its items (it unrefs them when it goes), hence "transfer container" for
 * bindings: they take their own reference to each item and drop the array.
 *
 * Returns: (transfer container) (element-type FwItem) (nullable): 1 or more items, an empty array
 *   at the natural end, or %NULL with @error set.
 */
GPtrArray *
fw_stream_next_batch_finish (FwStream      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  FwStreamResult *res;

  g_return_val_if_fail (FW_IS_STREAM (self), NULL);

  if (G_IS_TASK (result))
    return g_task_propagate_pointer (G_TASK (result), error);

  g_return_val_if_fail (FW_IS_STREAM_RESULT (result), NULL);
  res = FW_STREAM_RESULT (result);
  g_return_val_if_fail (res->source_tag == fw_stream_next_batch_async, NULL);

  if (res->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&res->error));
      return NULL;
    }

  return g_steal_pointer (&res->batch);
}

/**
 * fw_stream_next_batch_finish_array:
 * @result: the result given to the callback of fw_stream_next_batch_async()
 *
 * Ends a fw_stream_next_batch_async() call as fw_stream_next_batch_finish() does, with the batch
 * as an #FwItemArray: a binding reads it a field at a time (fw_item_array_get_kinds(), …) instead
 * of wrapping each item.
 *
 * Returns: (transfer full) (nullable): 1 or more items, an empty array at the natural end, or
 *   %NULL with @error set.
 */
FwItemArray *
fw_stream_next_batch_finish_array (FwStream      *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  GPtrArray *batch = fw_stream_next_batch_finish (self, result, error);

  return batch != NULL ? fw_item_array_new_take (batch) : NULL;
}

/* ---------------------------------------------------------------------------------------- */
/* Answering a pull */

/**
 * fw_stream_yield:
 * @item: (transfer full): an item
 *
 * Adds an item to the answer of the current pull. Items yielded after the stream was closed
 * are dropped.
 */
void
fw_stream_yield (FwStream *self,
                 FwItem   *item)
{
  FwStreamPrivate *priv = fw_stream_get_instance_private (self);

  g_return_if_fail (item != NULL);

  if (priv->closing || priv->closed || priv->released)
    {
      fw_item_unref (item);
      return;
    }

  g_ptr_array_add (priv->buffer, item);
}

/**
 * fw_stream_pull_done:
 *
 * Completes the current pull with the items yielded since it began (at least one).
 */
void
fw_stream_pull_done (FwStream *self)
{
  FwStreamPrivate *priv = fw_stream_get_instance_private (self);

  g_return_if_fail (FW_IS_STREAM (self));

  priv->pulling = FALSE;
  if (priv->closing || priv->closed)
    return;

  g_return_if_fail (buffer_len (priv) > 0);

  if (priv->op_kind != OP_NONE)
    fw_stream_enqueue (self);
}

/**
 * fw_stream_pull_return:
 * @item: (transfer full): the only item of this answer
 *
 * For implementations: answers the current pull with one item. The same as fw_stream_yield()
 * followed by fw_stream_pull_done().
 */
void
fw_stream_pull_return (FwStream *self,
                       FwItem   *item)
{
  fw_stream_yield (self, item);
  fw_stream_pull_done (self);
}

/**
 * fw_stream_pull_end:
 *
 * Completes the current pull with the natural end, after any items yielded.
 */
void
fw_stream_pull_end (FwStream *self)
{
  FwStreamPrivate *priv = fw_stream_get_instance_private (self);

  g_return_if_fail (FW_IS_STREAM (self));

  priv->pulling = FALSE;
  if (priv->closing || priv->closed)
    return;

  priv->ended = TRUE;
  fw_stream_enqueue (self);
}

/**
 * fw_stream_pull_error:
 * @error: (transfer full): what went wrong
 *
 * Completes the current pull with an error. Items yielded before it are delivered first; the
 * error comes with the call after them, and the stream ends there.
 */
void
fw_stream_pull_error (FwStream *self,
                      GError   *error)
{
  FwStreamPrivate *priv = fw_stream_get_instance_private (self);

  g_return_if_fail (FW_IS_STREAM (self));
  g_return_if_fail (error != NULL);

  priv->pulling = FALSE;
  if (priv->closing || priv->closed)
    {
      g_error_free (error);
      return;
    }

  g_clear_error (&priv->pending_error);
  priv->pending_error = error;
  priv->ended = TRUE;
  fw_stream_enqueue (self);
}

/**
 * fw_stream_pull_error_literal:
 * @domain: the error domain
 * @code: the error code
 * @message: what went wrong, in words
 *
 * For implementations: fw_stream_pull_error() with a new error made of @domain, @code and @message.
 */
void
fw_stream_pull_error_literal (FwStream   *self,
                              GQuark      domain,
                              int         code,
                              const char *message)
{
  fw_stream_pull_error (self, g_error_new_literal (domain, code, message));
}

/**
 * fw_stream_get_cancellable:
 *
 * For implementations: the cancellable a source passes to its own I/O. It is triggered when the
 * stream is closed or disposed, not when a caller cancels one `next`, so no partly read item is
 * lost.
 *
 * Returns: (transfer none): the stream's own cancellable, triggered on close and dispose.
 */
GCancellable *
fw_stream_get_cancellable (FwStream *self)
{
  FwStreamPrivate *priv = fw_stream_get_instance_private (self);

  g_return_val_if_fail (FW_IS_STREAM (self), NULL);

  if (priv->cancellable == NULL)
    priv->cancellable = g_cancellable_new ();

  return priv->cancellable;
}

/**
 * fw_stream_get_context:
 *
 * For implementations: the main context the stream completes on, fixed by its first call. A source
 * that completes a pull from another thread returns to this context first.
 *
 * Returns: (transfer none) (nullable): the main context the stream completes on, once used.
 */
GMainContext *
fw_stream_get_context (FwStream *self)
{
  FwStreamPrivate *priv = fw_stream_get_instance_private (self);

  return priv->context;
}

/* ---------------------------------------------------------------------------------------- */
/* Close */

static void
fw_stream_finish_close (FwStream *self,
                        GError   *error)
{
  FwStreamPrivate *priv = fw_stream_get_instance_private (self);
  GList *tasks = g_steal_pointer (&priv->close_tasks);

  priv->closing = FALSE;
  priv->closed = TRUE;

  for (GList *l = tasks; l != NULL; l = l->next)
    {
      if (error != NULL)
        g_task_return_error (l->data, g_error_copy (error));
      else
        g_task_return_boolean (l->data, TRUE);
      g_object_unref (l->data);
    }
  g_list_free (tasks);
  g_clear_error (&error);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOSED]);

  if (priv->owner != NULL)
    {
      /* The binding's reference goes with the binding. */
      GObject *owner = g_steal_pointer (&priv->owner);
      g_object_weak_unref (owner, on_owner_disposed, self);
      g_object_unref (self);
    }

  _fw_close_registry_remove (fw_close_registry_get_default (), self);
}

static void
on_close_vfunc_done (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  FwStream *self = FW_STREAM (object);
  GError *error = NULL;

  FW_STREAM_GET_CLASS (self)->close_finish (self, result, &error);
  fw_stream_finish_close (self, error);
  g_object_unref (self);
}

/**
 * fw_stream_close_async:
 * @cancellable: (nullable): when triggered, the call reports %G_IO_ERROR_CANCELLED; the stream is
 *   closed all the same
 * @callback: (nullable): called once the stream is closed
 * @user_data: data for @callback
 *
 * `aclose()`: cancels a pending operation (it completes with %G_IO_ERROR_CANCELLED), releases
 * the source's resources, running its cleanup if it has not run yet, and completes once that
 * is done. Idempotent: every call completes, the later ones when the first does. While it
 * runs, the stream is in the default #FwCloseRegistry, which quitting waits on.
 */
void
fw_stream_close_async (FwStream            *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  FwStreamPrivate *priv = fw_stream_get_instance_private (self);
  GTask *task;

  g_return_if_fail (FW_IS_STREAM (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fw_stream_close_async);
  g_task_set_name (task, "[feedwatch] fw_stream_close_async");

  if (priv->closed)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  priv->close_tasks = g_list_append (priv->close_tasks, task);
  if (priv->closing)
    return;

  priv->closing = TRUE;
  fw_stream_bind_context (self);
  _fw_close_registry_add (fw_close_registry_get_default (), self);

  if (priv->cancellable != NULL)
    g_cancellable_cancel (priv->cancellable);
  buffer_clear (priv);
  g_clear_error (&priv->pending_error);

  if (priv->op_kind != OP_NONE)
    fw_stream_enqueue (self);

  if (!priv->released)
    {
      priv->released = TRUE;
      FW_STREAM_GET_CLASS (self)->close_async (self, NULL, on_close_vfunc_done,
                                               g_object_ref (self));
    }
  else
    {
      fw_stream_finish_close (self, NULL);
    }
}

/**
 * fw_stream_close_finish:
 * @result: the result given to the callback
 *
 * Finishes fw_stream_close_async().
 *
 * Returns: %TRUE when the source closed cleanly, %FALSE with @error set when its cleanup failed
 *   (the stream is closed either way)
 */
gboolean
fw_stream_close_finish (FwStream      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (FW_IS_STREAM (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * fw_stream_close:
 *
 * Closes without waiting; the default #FwCloseRegistry tracks the close until it completes.
 */
void
fw_stream_close (FwStream *self)
{
  fw_stream_close_async (self, NULL, NULL, NULL);
}

/**
 * fw_stream_is_closed:
 *
 * Whether fw_stream_close_async() or fw_stream_close() was called. A closed stream answers every
 * `next` with %G_IO_ERROR_CLOSED.
 *
 * Returns: %TRUE once a close has started
 */
gboolean
fw_stream_is_closed (FwStream *self)
{
  FwStreamPrivate *priv = fw_stream_get_instance_private (self);

  g_return_val_if_fail (FW_IS_STREAM (self), FALSE);

  return priv->closed || priv->closing;
}

/**
 * fw_stream_set_retry_func: (skip)
 * @func: (nullable): what cuts the wait short, or %NULL once the source waits no more
 * @user_data: data for @func
 *
 * For a source that waits before it tries again (a reconnect's backoff): how to try now
 * instead, for a user's "Retry Now". @func runs in the stream's main context.
 */
void
fw_stream_set_retry_func (FwStream          *self,
                          FwStreamRetryFunc  func,
                          gpointer           user_data)
{
  FwStreamPrivate *priv = fw_stream_get_instance_private (self);

  g_return_if_fail (FW_IS_STREAM (self));

  priv->retry_func = func;
  priv->retry_data = func != NULL ? user_data : NULL;
}

/**
 * fw_stream_retry_now:
 *
 * Asks a stream that waits to try again (to reconnect) to try now.
 *
 * Returns: %TRUE when it was waiting and tries now, %FALSE when it waits for nothing
 */
gboolean
fw_stream_retry_now (FwStream *self)
{
  FwStreamPrivate *priv = fw_stream_get_instance_private (self);
  FwStreamRetryFunc func;

  g_return_val_if_fail (FW_IS_STREAM (self), FALSE);

  if (priv->retry_func == NULL || priv->closed || priv->closing)
    return FALSE;

  func = priv->retry_func;
  priv->retry_func = NULL;
  func (g_steal_pointer (&priv->retry_data));
  return TRUE;
}

/**
 * fw_stream_has_pending:
 *
 * Whether a `next`, `next_batch` or `for_each` call is in flight; another one would fail with
 * %G_IO_ERROR_PENDING.
 *
 * Returns: %TRUE while a call is pending
 */
gboolean
fw_stream_has_pending (FwStream *self)
{
  FwStreamPrivate *priv = fw_stream_get_instance_private (self);

  g_return_val_if_fail (FW_IS_STREAM (self), FALSE);

  return priv->op_kind != OP_NONE;
}

/**
 * fw_stream_is_started:
 *
 * Whether the stream has started: a stream starts on its first `next` (lazy start), so one that was
 * never read has opened nothing.
 *
 * Returns: %TRUE once the source was asked for items
 */
gboolean
fw_stream_is_started (FwStream *self)
{
  FwStreamPrivate *priv = fw_stream_get_instance_private (self);

  g_return_val_if_fail (FW_IS_STREAM (self), FALSE);

  return priv->started;
}

/**
 * fw_stream_get_name:
 *
 * The name used in debug messages and status items, usually the feed's text.
 *
 * Returns: (nullable): the stream's name, or %NULL when it has none
 */
const char *
fw_stream_get_name (FwStream *self)
{
  FwStreamPrivate *priv = fw_stream_get_instance_private (self);

  g_return_val_if_fail (FW_IS_STREAM (self), NULL);

  return priv->name;
}

/**
 * fw_stream_set_name:
 * @name: (nullable): the new name, or %NULL
 *
 * Sets the name debug messages give the stream (the #FwStream:name property).
 */
void
fw_stream_set_name (FwStream   *self,
                    const char *name)
{
  FwStreamPrivate *priv = fw_stream_get_instance_private (self);

  g_return_if_fail (FW_IS_STREAM (self));

  if (g_strcmp0 (priv->name, name) == 0)
    return;

  g_free (priv->name);
  priv->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

/* ---------------------------------------------------------------------------------------- */
/* Owner lifetime */

static void
on_owner_disposed (gpointer  data,
                   GObject  *where_the_owner_was)
{
  FwStream *self = data;
  FwStreamPrivate *priv = fw_stream_get_instance_private (self);

  priv->owner = NULL;
  g_debug ("Owner of stream “%s” went away: closing it", priv->name ? priv->name : "");
  fw_stream_close (self);
  g_object_unref (self); /* the binding's reference; the close registry holds its own */
}

/**
 * fw_stream_bind_to_owner:
 * @owner: (type GObject): a window, say
 *
 * Ties the stream to @owner's lifetime: when @owner is disposed, the stream is cancelled and
 * closed (and quitting waits for that close). The binding holds a reference on the stream
 * until then, or until the stream is closed some other way.
 */
void
fw_stream_bind_to_owner (FwStream *self,
                         gpointer  owner)
{
  FwStreamPrivate *priv = fw_stream_get_instance_private (self);

  g_return_if_fail (FW_IS_STREAM (self));
  g_return_if_fail (G_IS_OBJECT (owner));
  g_return_if_fail (priv->owner == NULL);

  if (priv->closed || priv->closing)
    return;

  priv->owner = owner;
  g_object_weak_ref (owner, on_owner_disposed, g_object_ref (self));
}

/* ---------------------------------------------------------------------------------------- */
/* Defaults and GObject */

static void
fw_stream_real_pull (FwStream     *self,
                     guint         max_items,
                     GCancellable *cancellable)
{
  fw_stream_pull_error (self, g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                                           "%s does not implement pull",
                                           G_OBJECT_TYPE_NAME (self)));
}

static void
fw_stream_real_release (FwStream *self)
{
}

static void
fw_stream_real_close_async (FwStream            *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, fw_stream_real_close_async);
  FW_STREAM_GET_CLASS (self)->release (self);
  g_task_return_boolean (task, TRUE);
}

static gboolean
fw_stream_real_close_finish (FwStream      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
fw_stream_dispose (GObject *object)
{
  FwStream *self = FW_STREAM (object);
  FwStreamPrivate *priv = fw_stream_get_instance_private (self);

  /* The reference texts' finalization problem: nobody called aclose(). Release without
   * blocking, and say so, since it usually means a consumer forgot to close. */
  if (!priv->released)
    {
      g_debug ("Stream “%s” (%s) disposed without close: releasing it now",
               priv->name ? priv->name : "", G_OBJECT_TYPE_NAME (self));
      if (priv->cancellable != NULL)
        g_cancellable_cancel (priv->cancellable);
      fw_stream_release (self);
    }

  buffer_clear (priv);
  g_clear_error (&priv->pending_error);

  G_OBJECT_CLASS (fw_stream_parent_class)->dispose (object);
}

static void
fw_stream_finalize (GObject *object)
{
  FwStream *self = FW_STREAM (object);
  FwStreamPrivate *priv = fw_stream_get_instance_private (self);

  g_assert (priv->op_kind == OP_NONE);
  g_assert (!priv->queued);

  g_clear_pointer (&priv->buffer, g_ptr_array_unref);
  g_clear_object (&priv->cancellable);
  g_clear_object (&priv->result);
  g_clear_pointer (&priv->context, g_main_context_unref);
  g_clear_pointer (&priv->name, g_free);

  G_OBJECT_CLASS (fw_stream_parent_class)->finalize (object);
}

static void
fw_stream_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  FwStream *self = FW_STREAM (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, fw_stream_get_name (self));
      break;

    case PROP_CLOSED:
      g_value_set_boolean (value, fw_stream_is_closed (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_stream_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  FwStream *self = FW_STREAM (object);

  switch (prop_id)
    {
    case PROP_NAME:
      fw_stream_set_name (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_stream_class_init (FwStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fw_stream_dispose;
  object_class->finalize = fw_stream_finalize;
  object_class->get_property = fw_stream_get_property;
  object_class->set_property = fw_stream_set_property;

  klass->pull = fw_stream_real_pull;
  klass->release = fw_stream_real_release;
  klass->close_async = fw_stream_real_close_async;
  klass->close_finish = fw_stream_real_close_finish;

  /**
   * FwStream:name:
   *
   * The stream's name for debug messages and status items, usually the feed's text.
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * FwStream:closed:
   *
   * Whether the stream has been closed. Notified once the close has completed.
   */
  properties[PROP_CLOSED] =
    g_param_spec_boolean ("closed", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fw_stream_init (FwStream *self)
{
  FwStreamPrivate *priv = fw_stream_get_instance_private (self);

  priv->buffer = g_ptr_array_sized_new (16);
}
