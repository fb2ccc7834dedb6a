/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-source-private.h: the plumbing feed sources share, whatever they read: answering a pull
 * with queued items, the idle timer, the token an operation in flight holds instead of its
 * source, and a one-shot timer on the stream's context. Private to streams/sources. */
#pragma once

#include "fw-stream.h"

G_BEGIN_DECLS

void           fw_source_drop_queued         (GPtrArray          *queued);
void           fw_source_answer_pull         (FwStream           *stream,
                                              GPtrArray          *queued,
                                              gboolean            ended,
                                              GError            **failure);
void           fw_source_idle_arm            (GSource           **timer,
                                              gint64             *since,
                                              guint               timeout_ms,
                                              GMainContext       *context,
                                              const char         *name,
                                              GSourceFunc         func,
                                              gpointer            data);
gboolean       fw_source_idle_expired        (GSource            *timer,
                                              gint64             *since,
                                              guint               timeout_ms);

/**
 * FwSourceToken:
 * @owner: the source, or %NULL once the source let go (released or restarted)
 *
 * An operation in flight holds the token, not the source: a late answer finds @owner %NULL
 * and drops itself, and a stalled server cannot keep a dropped stream alive. A connection
 * that carries its own state (its cancellable, its buffer) begins with a token and is made by
 * fw_source_token_new_sized().
 */
typedef struct
{
  gatomicrefcount ref_count;
  gpointer        owner;
  GDestroyNotify  clear;   /* what a larger token carries after this, or NULL */
} FwSourceToken;

FwSourceToken *fw_source_token_new           (gpointer            owner);
gpointer       fw_source_token_new_sized     (gpointer            owner,
                                              gsize               size,
                                              GDestroyNotify      clear);
FwSourceToken *fw_source_token_ref           (FwSourceToken      *token);
void           fw_source_token_unref         (FwSourceToken      *token);
void           fw_source_token_clear         (FwSourceToken     **token);
gpointer       fw_source_token_claim         (FwSourceToken      *token,
                                              glong               slot_offset);

GSource       *fw_source_timer_new           (FwStream           *stream,
                                              gint64              at_us,
                                              GSourceFunc         func,
                                              const char         *name);
void           fw_source_timer_stop          (GSource           **timer);

G_END_DECLS
