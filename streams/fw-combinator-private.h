/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-combinator-private.h: what the combinators share: an input stream they pull from.
 *
 * A combinator must not keep itself alive through an input's pending operation (a stalled
 * sensor would then pin an abandoned pipeline forever), so the pending operation holds the
 * FwInput, not the combinator. When the combinator lets go (close or dispose), it detaches:
 * the input's late answer finds no owner and is dropped. */
#pragma once

#include "fw-stream.h"

G_BEGIN_DECLS

typedef struct _FwInput FwInput;

/**
 * FwInputFunc:
 * @owner: the combinator
 * @input: the input that answered
 * @batch: (transfer full) (nullable): 1..n items, empty at the input's end, %NULL on error
 * @error: (transfer full) (nullable): the input's error
 */
typedef void (*FwInputFunc) (gpointer   owner,
                             FwInput   *input,
                             GPtrArray *batch,
                             GError    *error);

struct _FwInput
{
  FwStream      *stream;
  gpointer       owner;       /* NULL once detached */
  FwInputFunc    func;
  gpointer       data;        /* the owner's per-input state */
  GDestroyNotify data_destroy;
  guint          ref_count;
  guint          pulling : 1;
  guint          done : 1;    /* ended or failed: never pulled again */
};

/* The smallest batch a combinator asks of its input, whatever its own caller asked: one
 * round trip then serves many `next` calls. */
#define FW_COMBINATOR_BATCH 256

FwInput *_fw_input_new           (FwStream            *stream,
                                  gpointer             owner,
                                  FwInputFunc          func);
void     _fw_input_pull          (FwInput             *input,
                                  guint                max_items);
void     _fw_input_detach        (FwInput             *input);
void     _fw_inputs_close_async  (FwInput            **inputs,
                                  guint                n_inputs,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);
gboolean _fw_inputs_close_finish (GAsyncResult        *result,
                                  GError             **error);

void     _fw_combinator_close_inputs (FwStream            *self,
                                      FwInput            **inputs,
                                      guint                n_inputs,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data,
                                      gpointer             source_tag);
gboolean _fw_combinator_close_finish (FwStream            *self,
                                      GAsyncResult        *result,
                                      GError             **error);

G_END_DECLS
