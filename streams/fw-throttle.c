/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-throttle.c: throttle-latest, for views that redraw at a human rate (a gauge, a status
 * line). The input is read as fast as it produces, so what is kept is always the latest; an
 * item goes out at once if the previous one left at least an interval ago, else the newest
 * waiting item goes out when the interval ends. Items replaced while waiting are counted as
 * dropped. At the input's end, the item still waiting goes out (on time) before the end. */

#include "fw-throttle.h"

#include "fw-combinator-private.h"

struct _FwThrottle
{
  FwStream  parent_instance;
  FwInput  *input;
  gint64    interval_us;
  gint64    next_allowed;   /* monotonic */
  FwItem   *held;
  GSource  *timer;
  GError   *error;
  guint64   n_dropped;
  guint     started : 1;
  guint     pull_pending : 1;
  guint     input_ended : 1;
};

/**
 * FwThrottle:
 *
 * A combinator that lets at most one item per interval through, the latest: for a display that only
 * needs the current value of a fast feed. Made by fw_throttle_new().
 */
G_DEFINE_FINAL_TYPE (FwThrottle, fw_throttle, FW_TYPE_STREAM)

static void fw_throttle_serve (FwThrottle *self);

static void
stop_timer (FwThrottle *self)
{
  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
}

static gboolean
on_interval_end (gpointer user_data)
{
  FwThrottle *self = user_data;

  g_clear_pointer (&self->timer, g_source_unref);
  fw_throttle_serve (self);

  return G_SOURCE_REMOVE;
}

static void
fw_throttle_pump (FwThrottle *self)
{
  if (self->started && self->input != NULL && !self->input->pulling && !self->input->done)
    _fw_input_pull (self->input, FW_COMBINATOR_BATCH);
}

static void
fw_throttle_serve (FwThrottle *self)
{
  FwStream *stream = FW_STREAM (self);

  if (!self->pull_pending)
    return;

  if (self->held != NULL)
    {
      gint64 now = g_get_monotonic_time ();

      if (now >= self->next_allowed)
        {
          stop_timer (self);
          self->next_allowed = now + self->interval_us;
          self->pull_pending = FALSE;
          fw_stream_pull_return (stream, g_steal_pointer (&self->held));
        }
      else if (self->timer == NULL)
        {
          /* Rounded up: early wake-ups would only re-arm. */
          guint ms = (guint) ((self->next_allowed - now + 999) / 1000);

          self->timer = g_timeout_source_new (ms);
          g_source_set_callback (self->timer, on_interval_end, self, NULL);
          g_source_set_static_name (self->timer, "[feedwatch] throttle interval");
          g_source_attach (self->timer, fw_stream_get_context (stream));
        }
    }
  else if (self->input_ended)
    {
      self->pull_pending = FALSE;
      if (self->error != NULL)
        fw_stream_pull_error (stream, g_steal_pointer (&self->error));
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
  FwThrottle *self = owner;

  if (batch == NULL || batch->len == 0)
    {
      self->input_ended = TRUE;
      self->error = error;
    }
  else
    {
      /* Only the newest of the batch can ever go out. */
      self->n_dropped += batch->len - 1 + (self->held != NULL ? 1 : 0);
      g_clear_pointer (&self->held, fw_item_unref);
      self->held = fw_item_ref (g_ptr_array_index (batch, batch->len - 1));
    }
  g_clear_pointer (&batch, g_ptr_array_unref);

  fw_throttle_serve (self);
  fw_throttle_pump (self);
}

static void
fw_throttle_pull (FwStream     *stream,
                  guint         max_items,
                  GCancellable *cancellable)
{
  FwThrottle *self = FW_THROTTLE (stream);

  self->started = TRUE;
  self->pull_pending = TRUE;
  fw_throttle_serve (self);
  fw_throttle_pump (self);
}

static void
fw_throttle_drop (FwThrottle *self)
{
  stop_timer (self);
  g_clear_pointer (&self->held, fw_item_unref);
}

static void
fw_throttle_release (FwStream *stream)
{
  FwThrottle *self = FW_THROTTLE (stream);

  fw_throttle_drop (self);
  g_clear_pointer (&self->input, _fw_input_detach);
}

static void
fw_throttle_close_async (FwStream            *stream,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  FwThrottle *self = FW_THROTTLE (stream);

  fw_throttle_drop (self);
  _fw_combinator_close_inputs (stream, &self->input, 1, cancellable, callback, user_data,
                               fw_throttle_close_async);
  self->input = NULL;
}

static void
fw_throttle_finalize (GObject *object)
{
  FwThrottle *self = FW_THROTTLE (object);

  fw_throttle_drop (self);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (fw_throttle_parent_class)->finalize (object);
}

static void
fw_throttle_class_init (FwThrottleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  FwStreamClass *stream_class = FW_STREAM_CLASS (klass);

  object_class->finalize = fw_throttle_finalize;
  stream_class->pull = fw_throttle_pull;
  stream_class->release = fw_throttle_release;
  stream_class->close_async = fw_throttle_close_async;
  stream_class->close_finish = _fw_combinator_close_finish;
}

static void
fw_throttle_init (FwThrottle *self)
{
}

/**
 * fw_throttle_new:
 * @input: (transfer full): the stream to thin out
 * @interval_ms: the least time between two items going out
 *
 * Thins out a fast stream; items replaced before they went out are counted
 * (fw_throttle_get_n_dropped()).
 *
 * Returns: (transfer full): a stream of at most one item of @input per interval, the latest
 */
FwStream *
fw_throttle_new (FwStream *input,
                 guint     interval_ms)
{
  FwThrottle *self;

  g_return_val_if_fail (FW_IS_STREAM (input), NULL);

  self = g_object_new (FW_TYPE_THROTTLE, "name", "throttle", NULL);
  self->interval_us = (gint64) interval_ms * 1000;
  self->input = _fw_input_new (input, self, on_input_answer);

  return FW_STREAM (self);
}

/**
 * fw_throttle_get_n_dropped:
 * @self: a throttle
 *
 * How many items were replaced by a newer one before they could go out.
 *
 * Returns: the number of items dropped
 */
guint64
fw_throttle_get_n_dropped (FwThrottle *self)
{
  g_return_val_if_fail (FW_IS_THROTTLE (self), 0);

  return self->n_dropped;
}
