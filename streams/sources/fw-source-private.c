/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-source-private.c: see fw-source-private.h */

#include "fw-source-private.h"

/* ---------------------------------------------------------------------------------------- */
/* Answering a pull */

/* Items a feed queued for its next answer (status items, messages) */
void
fw_source_drop_queued (GPtrArray *queued)
{
  for (guint i = 0; i < queued->len; i++)
    fw_item_unref (g_ptr_array_index (queued, i));
  g_ptr_array_set_size (queued, 0);
}

/**
 * fw_source_answer_pull:
 * @queued: items to answer with, taken (the array is emptied)
 * @failure: (inout) (nullable): with @ended, the error the stream ends with (taken)
 *
 * Answers the pull in progress: the queued items, then done, or with @ended the end or
 * *@failure.
 */
void
fw_source_answer_pull (FwStream   *stream,
                     GPtrArray  *queued,
                     gboolean    ended,
                     GError    **failure)
{
  for (guint i = 0; i < queued->len; i++)
    fw_stream_yield (stream, g_ptr_array_index (queued, i));
  g_ptr_array_set_size (queued, 0);

  if (!ended)
    fw_stream_pull_done (stream);
  else if (*failure != NULL)
    fw_stream_pull_error (stream, g_steal_pointer (failure));
  else
    fw_stream_pull_end (stream);
}

/* Idle timeouts. The timer is not moved for every read (each move wakes the main context): a
 * wait for bytes only notes when it began, and the timer, when it fires, checks that a wait
 * is still in progress and sleeps until that one's deadline if need be. A source with a
 * movable ready time, so a wait costs no allocation. */

static gboolean
idle_timer_dispatch (GSource     *source,
                     GSourceFunc  callback,
                     gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs idle_timer_funcs = { NULL, NULL, idle_timer_dispatch, NULL, NULL, NULL };

/**
 * fw_source_idle_arm:
 * @timer: (inout): the feed's timer, made at the first wait (destroy it when the feed goes)
 * @since: (inout): when the wait in progress began (monotonic µs), 0 when none
 * @func: called when the timer fires; it asks fw_source_idle_expired() whether the wait is over
 *
 * Bytes are awaited from now on; with @timeout_ms 0 there is no idle timeout.
 */
void
fw_source_idle_arm (GSource      **timer,
                  gint64        *since,
                  guint          timeout_ms,
                  GMainContext  *context,
                  const char    *name,
                  GSourceFunc    func,
                  gpointer       data)
{
  if (timeout_ms == 0)
    return;

  *since = g_get_monotonic_time ();
  if (*timer == NULL)
    {
      *timer = g_source_new (&idle_timer_funcs, sizeof (GSource));
      g_source_set_callback (*timer, func, data, NULL);
      g_source_set_static_name (*timer, name);
      g_source_attach (*timer, context);
    }
  if (g_source_get_ready_time (*timer) < 0)
    g_source_set_ready_time (*timer, *since + (gint64) timeout_ms * 1000);
}

/**
 * fw_source_idle_expired:
 *
 * For the timer's callback: whether the wait in progress has lasted @timeout_ms (it is then
 * over: @since goes back to 0). Otherwise the timer sleeps until the wait's deadline, or
 * until the next wait when none is in progress.
 */
gboolean
fw_source_idle_expired (GSource *timer,
                      gint64  *since,
                      guint    timeout_ms)
{
  gint64 deadline = *since + (gint64) timeout_ms * 1000;

  if (*since == 0)
    {
      g_source_set_ready_time (timer, -1);
      return FALSE;
    }
  if (g_get_monotonic_time () < deadline)
    {
      g_source_set_ready_time (timer, deadline);
      return FALSE;
    }
  g_source_set_ready_time (timer, -1);
  *since = 0;
  return TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* Owner tokens and timers */

FwSourceToken *
fw_source_token_new (gpointer owner)
{
  return fw_source_token_new_sized (owner, sizeof (FwSourceToken), NULL);
}

/**
 * fw_source_token_new_sized:
 * @size: of the struct that begins with an #FwSourceToken
 * @clear: (nullable): frees what the struct holds after the token, when the last reference goes
 *
 * Returns: (transfer full): the struct, zeroed after the token
 */
gpointer
fw_source_token_new_sized (gpointer       owner,
                           gsize          size,
                           GDestroyNotify clear)
{
  FwSourceToken *token;

  g_assert (size >= sizeof (FwSourceToken));
  token = g_malloc0 (size);
  g_atomic_ref_count_init (&token->ref_count);
  token->owner = owner;
  token->clear = clear;

  return token;
}

FwSourceToken *
fw_source_token_ref (FwSourceToken *token)
{
  g_atomic_ref_count_inc (&token->ref_count);

  return token;
}

void
fw_source_token_unref (FwSourceToken *token)
{
  if (!g_atomic_ref_count_dec (&token->ref_count))
    return;

  if (token->clear != NULL)
    token->clear (token);
  g_free (token);
}

/* The source lets go: a request still in flight finds no owner when it answers. */
void
fw_source_token_clear (FwSourceToken **token)
{
  if (*token == NULL)
    return;

  (*token)->owner = NULL;
  fw_source_token_unref (g_steal_pointer (token));
}

/**
 * fw_source_token_claim:
 * @token: (transfer full): the callback's reference
 * @slot_offset: where the owner keeps its own reference: G_STRUCT_OFFSET (Owner, token)
 *
 * For the callback of the operation in flight: drops both references (the owner's, since the
 * operation is over).
 *
 * Returns: (nullable): the owner, or %NULL when it let go meanwhile
 */
gpointer
fw_source_token_claim (FwSourceToken *token,
                       glong          slot_offset)
{
  gpointer owner = token->owner;

  if (owner != NULL)
    fw_source_token_unref (g_steal_pointer ((FwSourceToken **) G_STRUCT_MEMBER_P (owner,
                                                                                 slot_offset)));
  fw_source_token_unref (token);
  return owner;
}

/**
 * fw_source_timer_new:
 * @at_us: when, in monotonic time
 * @func: called once then, with @stream
 *
 * Returns: (transfer full): the timer, attached to @stream's main context
 */
GSource *
fw_source_timer_new (FwStream    *stream,
                   gint64       at_us,
                   GSourceFunc  func,
                   const char  *name)
{
  gint64 now = g_get_monotonic_time ();
  GSource *timer = g_timeout_source_new ((guint) (MAX (at_us - now, 0) + 999) / 1000);

  g_source_set_callback (timer, func, stream, NULL);
  g_source_set_static_name (timer, name);
  g_source_attach (timer, fw_stream_get_context (stream));

  return timer;
}

void
fw_source_timer_stop (GSource **timer)
{
  if (*timer != NULL)
    {
      g_source_destroy (*timer);
      g_clear_pointer (timer, g_source_unref);
    }
}
