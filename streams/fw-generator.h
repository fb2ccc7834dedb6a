/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-generator.h: a stream written as one step function and one cleanup function */
#pragma once

#include "fw-stream.h"

G_BEGIN_DECLS

#define FW_TYPE_GENERATOR (fw_generator_get_type ())

G_DECLARE_FINAL_TYPE (FwGenerator, fw_generator, FW, GENERATOR, FwStream)

/**
 * FwGeneratorStepFunc:
 * @stream: the generator, to answer on
 * @max_items: how many items the consumer wants (a hint)
 * @cancellable: the stream's cancellable, triggered on close
 * @state: the generator's state
 *
 * One turn of the generator's body, the code between two `yield`s. Answer exactly once, now
 * or later from the same main context, as a #FwStreamClass pull does: fw_stream_yield() then
 * fw_stream_pull_done(), fw_stream_pull_return(), fw_stream_pull_end() or
 * fw_stream_pull_error().
 */
typedef void (*FwGeneratorStepFunc) (FwStream     *stream,
                                     guint         max_items,
                                     GCancellable *cancellable,
                                     gpointer      state);

/**
 * FwGeneratorCleanupFunc:
 * @state: the generator's state
 * @started: whether the step function ever ran
 *
 * The generator's `finally`: runs exactly once, on exhaustion, error, close or dispose. It
 * must not block; it frees @state.
 */
typedef void (*FwGeneratorCleanupFunc) (gpointer state,
                                        gboolean started);

FwStream *fw_generator_new (const char             *name,
                            FwGeneratorStepFunc     step,
                            gpointer                state,
                            FwGeneratorCleanupFunc  cleanup);

G_END_DECLS
