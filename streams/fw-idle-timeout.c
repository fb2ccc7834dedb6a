/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-idle-timeout.c: asyncio.timeout around each `anext`, without cancelling the read. The
 * clock runs while the stream waits on its input for a pending caller, and restarts whenever
 * the input answers; a heartbeat answers the caller and lets the input's pending read go on,
 * so no partly read item is lost. */

#include "config.h"

#include "fw-idle-timeout.h"

#include "fw-combinator-private.h"

#include <glib/gi18n-lib.h>

struct _FwIdleTimeout
{
  FwStream           parent_instance;
  FwInput           *input;
  guint              timeout_ms;
  FwIdleTimeoutMode  mode;
  GPtrArray         *held;        /* the input's answer that came after a heartbeat */
  GSource           *timer;
  GError            *error;
  GRefString        *feed;        /* of the last item, for heartbeats */
  guint              pull_pending : 1;
  guint              input_ended : 1;
};

/**
 * FwIdleTimeout:
 *
 * A combinator that notices when its input stalls: when no item comes for a while although a caller
 * waits, it fails or yields a heartbeat, as its #FwIdleTimeoutMode says.
 */
G_DEFINE_FINAL_TYPE (FwIdleTimeout, fw_idle_timeout, FW_TYPE_STREAM)

static void
stop_timer (FwIdleTimeout *self)
{
  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
}

static gboolean
on_idle_timeout (gpointer user_data)
{
  FwIdleTimeout *self = user_data;
  FwStream *stream = FW_STREAM (self);
  char text[64];
  FwItem *item;
  int len;

  g_clear_pointer (&self->timer, g_source_unref);
  if (!self->pull_pending)
    return G_SOURCE_REMOVE;

  self->pull_pending = FALSE;
  if (self->mode == FW_IDLE_TIMEOUT_ERROR)
    {
      fw_stream_pull_error (stream, g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                                 _("No item for %u ms"), self->timeout_ms));
      return G_SOURCE_REMOVE;
    }

  len = g_snprintf (text, sizeof text, _("no item for %u ms"), self->timeout_ms);
  item = fw_item_new (FW_ITEM_STATUS, self->feed, g_get_real_time (), text, len);
  fw_item_set_name (item, "idle");
  fw_stream_pull_return (stream, item);

  return G_SOURCE_REMOVE;
}

static void
start_timer (FwIdleTimeout *self)
{
  if (self->timer != NULL)
    return;

  self->timer = g_timeout_source_new (self->timeout_ms);
  g_source_set_callback (self->timer, on_idle_timeout, self, NULL);
  g_source_set_static_name (self->timer, "[feedwatch] idle timeout");
  g_source_attach (self->timer, fw_stream_get_context (FW_STREAM (self)));
}

static void
fw_idle_timeout_serve (FwIdleTimeout *self)
{
  FwStream *stream = FW_STREAM (self);

  if (!self->pull_pending)
    return;

  if (self->held != NULL)
    {
      g_autoptr(GPtrArray) held = g_steal_pointer (&self->held);

      for (guint i = 0; i < held->len; i++)
        fw_stream_yield (stream, fw_item_ref (g_ptr_array_index (held, i)));
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
  else
    {
      if (!self->input->pulling)
        _fw_input_pull (self->input, FW_COMBINATOR_BATCH);
      start_timer (self);
    }
}

static void
on_input_answer (gpointer   owner,
                 FwInput   *input,
                 GPtrArray *batch,
                 GError    *error)
{
  FwIdleTimeout *self = owner;

  stop_timer (self);
  if (batch == NULL || batch->len == 0)
    {
      self->input_ended = TRUE;
      self->error = error;
      g_clear_pointer (&batch, g_ptr_array_unref);
    }
  else
    {
      FwItem *last = g_ptr_array_index (batch, batch->len - 1);

      if (last->feed != (const char *) self->feed)
        {
          g_clear_pointer (&self->feed, g_ref_string_release);
          self->feed = last->feed != NULL ? g_ref_string_acquire ((char *) last->feed) : NULL;
        }
      g_assert (self->held == NULL);
      self->held = batch;
    }

  fw_idle_timeout_serve (self);
}

static void
fw_idle_timeout_pull (FwStream     *stream,
                      guint         max_items,
                      GCancellable *cancellable)
{
  FwIdleTimeout *self = FW_IDLE_TIMEOUT (stream);

  self->pull_pending = TRUE;
  fw_idle_timeout_serve (self);
}

static void
fw_idle_timeout_drop (FwIdleTimeout *self)
{
  stop_timer (self);
  g_clear_pointer (&self->held, g_ptr_array_unref);
}

static void
fw_idle_timeout_release (FwStream *stream)
{
  FwIdleTimeout *self = FW_IDLE_TIMEOUT (stream);

  fw_idle_timeout_drop (self);
  g_clear_pointer (&self->input, _fw_input_detach);
}

static void
fw_idle_timeout_close_async (FwStream            *stream,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  FwIdleTimeout *self = FW_IDLE_TIMEOUT (stream);

  fw_idle_timeout_drop (self);
  _fw_combinator_close_inputs (stream, &self->input, 1, cancellable, callback, user_data,
                               fw_idle_timeout_close_async);
  self->input = NULL;
}

static void
fw_idle_timeout_finalize (GObject *object)
{
  FwIdleTimeout *self = FW_IDLE_TIMEOUT (object);

  fw_idle_timeout_drop (self);
  g_clear_error (&self->error);
  g_clear_pointer (&self->feed, g_ref_string_release);

  G_OBJECT_CLASS (fw_idle_timeout_parent_class)->finalize (object);
}

static void
fw_idle_timeout_class_init (FwIdleTimeoutClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  FwStreamClass *stream_class = FW_STREAM_CLASS (klass);

  object_class->finalize = fw_idle_timeout_finalize;
  stream_class->pull = fw_idle_timeout_pull;
  stream_class->release = fw_idle_timeout_release;
  stream_class->close_async = fw_idle_timeout_close_async;
  stream_class->close_finish = _fw_combinator_close_finish;
}

static void
fw_idle_timeout_init (FwIdleTimeout *self)
{
}

/**
 * fw_idle_timeout_new:
 * @input: (transfer full): the stream to watch
 * @timeout_ms: how long the input may stay silent while a caller waits
 * @mode: what to do when the input stalls
 *
 * Watches @input for silence: a network feed whose server stopped sending without closing the
 * connection.
 *
 * Returns: (transfer full): the items of @input, with an error or heartbeats when it stalls
 */
FwStream *
fw_idle_timeout_new (FwStream          *input,
                     guint              timeout_ms,
                     FwIdleTimeoutMode  mode)
{
  FwIdleTimeout *self;

  g_return_val_if_fail (FW_IS_STREAM (input), NULL);
  g_return_val_if_fail (timeout_ms > 0, NULL);

  self = g_object_new (FW_TYPE_IDLE_TIMEOUT, "name", "idle-timeout", NULL);
  self->timeout_ms = timeout_ms;
  self->mode = mode;
  self->input = _fw_input_new (input, self, on_input_answer);

  return FW_STREAM (self);
}
