/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-stream.h: the stream contract, Python's async iterator protocol in GIO's shape */
#pragma once

#include <gio/gio.h>

#include "fw-item.h"

G_BEGIN_DECLS

#define FW_TYPE_STREAM (fw_stream_get_type ())

G_DECLARE_DERIVABLE_TYPE (FwStream, fw_stream, FW, STREAM, GObject)

/**
 * FwStreamRetryFunc:
 * @user_data: the data given to fw_stream_set_retry_func()
 *
 * Cuts a source's wait before it tries again short (a reconnect's backoff).
 */
typedef void (*FwStreamRetryFunc) (gpointer user_data);

/**
 * FwStreamClass:
 * @pull: produce items. Called on the stream's main context, only while no earlier pull is
 *   unanswered; the first call is the lazy start, so a source opens nothing before it. Answer
 *   exactly once, now (inside @pull) or later (from the same main context), with
 *   fw_stream_yield() for each item followed by fw_stream_pull_done(), or with
 *   fw_stream_pull_end() / fw_stream_pull_error() (items yielded before those are delivered
 *   first). @max_items is a hint: yield what is cheaply at hand, a whole block of lines say;
 *   the base class keeps the surplus. @cancellable is the stream's own, triggered when the
 *   stream is closed or disposed: a caller cancelling one `next` does not reach the source,
 *   so no partly read item is lost. An implementation with an operation in flight either
 *   holds a reference on the stream for it or cancels it in @release.
 * @release: free every resource without blocking. Called exactly once by the base class:
 *   after the end or an error was delivered, on close (through the default @close_async), or
 *   on dispose when the owner never closed the stream. Memory-only state may stay for
 *   finalize.
 * @close_async: optional; for sources whose close must wait (a child process's exit, closing
 *   inputs). The default calls @release and completes. Called at most once, and never when
 *   @release already ran. Implementations must still provide @release for the dispose path.
 * @close_finish: the pair of @close_async.
 */
struct _FwStreamClass
{
  GObjectClass parent_class;

  void     (*pull)         (FwStream            *self,
                            guint                max_items,
                            GCancellable        *cancellable);
  void     (*release)      (FwStream            *self);
  void     (*close_async)  (FwStream            *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data);
  gboolean (*close_finish) (FwStream            *self,
                            GAsyncResult        *result,
                            GError             **error);

  /*< private >*/
  gpointer padding[8];
};

/* Consumers */
void          fw_stream_next_async          (FwStream             *self,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
FwItem       *fw_stream_next_finish         (FwStream             *self,
                                             GAsyncResult         *result,
                                             GError              **error);
void          fw_stream_next_batch_async    (FwStream             *self,
                                             guint                 max_items,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
GPtrArray    *fw_stream_next_batch_finish   (FwStream             *self,
                                             GAsyncResult         *result,
                                             GError              **error);
FwItemArray  *fw_stream_next_batch_finish_array (FwStream         *self,
                                                 GAsyncResult     *result,
                                                 GError          **error);
void          fw_stream_close_async         (FwStream             *self,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean      fw_stream_close_finish        (FwStream             *self,
                                             GAsyncResult         *result,
                                             GError              **error);
void          fw_stream_close               (FwStream             *self);

gboolean      fw_stream_is_closed           (FwStream             *self);
void          fw_stream_set_retry_func      (FwStream             *self,
                                             FwStreamRetryFunc     func,
                                             gpointer              user_data);
gboolean      fw_stream_retry_now           (FwStream             *self);
gboolean      fw_stream_has_pending         (FwStream             *self);
gboolean      fw_stream_is_started          (FwStream             *self);
const char   *fw_stream_get_name            (FwStream             *self);
void          fw_stream_set_name            (FwStream             *self,
                                             const char           *name);

/**
 * FwForEachFunc:
 * @item: (transfer none): the next item
 * @user_data: the data given to fw_stream_for_each_async()
 *
 * The body of the fw_stream_for_each_async() loop, called once per item on the stream's main
 * context.
 *
 * Returns: %TRUE to go on, %FALSE to stop the loop (`break`); the stream is then closed.
 */
typedef gboolean (*FwForEachFunc) (FwItem   *item,
                                   gpointer  user_data);

void          fw_stream_for_each_async      (FwStream             *self,
                                             guint                 batch_size,
                                             FwForEachFunc         func,
                                             gpointer              func_data,
                                             GDestroyNotify        func_data_destroy,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
FwForEachEnd  fw_stream_for_each_finish     (FwStream             *self,
                                             GAsyncResult         *result,
                                             GError              **error);

void          fw_stream_bind_to_owner       (FwStream             *self,
                                             gpointer              owner);

/* Implementations: answering a pull */
void          fw_stream_yield               (FwStream             *self,
                                             FwItem               *item);
void          fw_stream_pull_done           (FwStream             *self);
void          fw_stream_pull_return         (FwStream             *self,
                                             FwItem               *item);
void          fw_stream_pull_end            (FwStream             *self);
void          fw_stream_pull_error          (FwStream             *self,
                                             GError               *error);
void          fw_stream_pull_error_literal  (FwStream             *self,
                                             GQuark                domain,
                                             int                   code,
                                             const char           *message);
GCancellable *fw_stream_get_cancellable     (FwStream             *self);
GMainContext *fw_stream_get_context         (FwStream             *self);

/* Tuning */
/**
 * FW_STREAM_DISPATCH_BUDGET_ITEMS:
 *
 * The most items a main context's dispatcher delivers in one main-loop iteration before it yields
 * to other sources.
 */
#define FW_STREAM_DISPATCH_BUDGET_ITEMS 4096
/**
 * FW_STREAM_DISPATCH_BUDGET_USEC:
 *
 * The most time, in microseconds, a main context's dispatcher spends delivering items in one
 * main-loop iteration before it yields to other sources.
 */
#define FW_STREAM_DISPATCH_BUDGET_USEC  2000

G_END_DECLS
