/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-poll.c: see fw-poll.h */

#include "fw-poll.h"

FwRequestToken *
fw_request_token_new (gpointer owner)
{
  FwRequestToken *token = g_new0 (FwRequestToken, 1);

  g_atomic_ref_count_init (&token->ref_count);
  token->owner = owner;

  return token;
}

FwRequestToken *
fw_request_token_ref (FwRequestToken *token)
{
  g_atomic_ref_count_inc (&token->ref_count);

  return token;
}

void
fw_request_token_unref (FwRequestToken *token)
{
  if (g_atomic_ref_count_dec (&token->ref_count))
    g_free (token);
}

/* The source lets go: a request still in flight finds no owner when it answers. */
void
fw_request_token_clear (FwRequestToken **token)
{
  if (*token == NULL)
    return;

  (*token)->owner = NULL;
  fw_request_token_unref (g_steal_pointer (token));
}

/**
 * fw_poll_timer_new:
 * @at_us: when, in monotonic time
 * @func: called once then, with @stream
 *
 * Returns: (transfer full): the timer, attached to @stream's main context
 */
GSource *
fw_poll_timer_new (FwStream    *stream,
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
fw_poll_timer_stop (GSource **timer)
{
  if (*timer != NULL)
    {
      g_source_destroy (*timer);
      g_clear_pointer (timer, g_source_unref);
    }
}
