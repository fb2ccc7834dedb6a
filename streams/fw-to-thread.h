/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-to-thread.h: a stream from a blocking pull function, run on a worker thread */
#pragma once

#include "fw-stream.h"

G_BEGIN_DECLS

/**
 * FwThreadPullFunc:
 * @user_data: the data given to fw_to_thread_new()
 * @cancellable: triggered when the stream is closed or disposed; a function that blocks
 *   should watch it (g_cancellable_get_fd(), a GIO call taking it, a timed wait)
 * @error: where to report a failure; the stream then fails with it
 *
 * Runs on a worker thread, one call at a time, never on the main thread.
 *
 * Returns: (transfer full) (nullable): the next item, or %NULL with no error at the end, or
 *   %NULL with @error set
 */
typedef FwItem *(*FwThreadPullFunc) (gpointer       user_data,
                                     GCancellable  *cancellable,
                                     GError       **error);

#define FW_TYPE_TO_THREAD (fw_to_thread_get_type ())

G_DECLARE_FINAL_TYPE (FwToThread, fw_to_thread, FW, TO_THREAD, FwStream)

FwStream *fw_to_thread_new (FwThreadPullFunc func,
                            gpointer         user_data,
                            GDestroyNotify   cleanup,
                            guint            prefetch);

G_END_DECLS
