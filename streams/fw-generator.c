/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-generator.c: a stream from a step function and a cleanup function, the C shape of an
 * async generator: the step is the body between two `yield`s, the cleanup its `finally`. */

#include "fw-generator.h"

struct _FwGenerator
{
  FwStream               parent_instance;
  FwGeneratorStepFunc    step;
  FwGeneratorCleanupFunc cleanup;
  gpointer               state;
  gboolean               started;
};

/**
 * FwGenerator:
 *
 * A stream written as one step function and one cleanup function, the C form of a Python async
 * generator: the step runs on each pull and yields items or ends; the cleanup is its `finally`, run
 * exactly once. Made by fw_generator_new().
 */
G_DEFINE_FINAL_TYPE (FwGenerator, fw_generator, FW_TYPE_STREAM)

static void
fw_generator_pull (FwStream     *stream,
                   guint         max_items,
                   GCancellable *cancellable)
{
  FwGenerator *self = FW_GENERATOR (stream);

  self->started = TRUE;
  self->step (stream, max_items, cancellable, self->state);
}

static void
fw_generator_release (FwStream *stream)
{
  FwGenerator *self = FW_GENERATOR (stream);
  FwGeneratorCleanupFunc cleanup = g_steal_pointer (&self->cleanup);

  /* The base class calls this once; the steal makes it so even if a subclass misbehaved. */
  if (cleanup != NULL)
    cleanup (g_steal_pointer (&self->state), self->started);
}

static void
fw_generator_class_init (FwGeneratorClass *klass)
{
  FwStreamClass *stream_class = FW_STREAM_CLASS (klass);

  stream_class->pull = fw_generator_pull;
  stream_class->release = fw_generator_release;
}

static void
fw_generator_init (FwGenerator *self)
{
}

/**
 * fw_generator_new: (skip)
 * @name: (nullable): for debug messages
 * @step: one turn of the body
 * @state: (transfer full): the body's state, given to @step and @cleanup
 * @cleanup: (nullable): the `finally`, which frees @state; runs exactly once
 *
 * Makes a source from a step function and its state, without subclassing #FwStream.
 *
 * Returns: (transfer full): a new stream
 */
FwStream *
fw_generator_new (const char             *name,
                  FwGeneratorStepFunc     step,
                  gpointer                state,
                  FwGeneratorCleanupFunc  cleanup)
{
  FwGenerator *self;

  g_return_val_if_fail (step != NULL, NULL);

  self = g_object_new (FW_TYPE_GENERATOR, "name", name, NULL);
  self->step = step;
  self->state = state;
  self->cleanup = cleanup;

  return FW_STREAM (self);
}
