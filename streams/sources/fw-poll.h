/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-poll.h: what polled HTTP feeds (pages:, metrics:) share: a handle for the request in
 * flight and the timer to the next poll */
#pragma once

#include "../fw-stream.h"

G_BEGIN_DECLS

/**
 * FwRequestToken:
 * @owner: the source, or %NULL once the source let go (released or restarted)
 *
 * An in-flight request holds the token, not the source: a late answer finds @owner %NULL and
 * drops itself, and a stalled server cannot keep a dropped stream alive.
 */
typedef struct
{
  gatomicrefcount ref_count;
  gpointer        owner;
} FwRequestToken;

FwRequestToken *fw_request_token_new   (gpointer         owner);
FwRequestToken *fw_request_token_ref   (FwRequestToken  *token);
void            fw_request_token_unref (FwRequestToken  *token);
void            fw_request_token_clear (FwRequestToken **token);

GSource        *fw_poll_timer_new      (FwStream        *stream,
                                        gint64           at_us,
                                        GSourceFunc      func,
                                        const char      *name);
void            fw_poll_timer_stop     (GSource        **timer);

G_END_DECLS
