/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-batch.h: group items by count or by time, whichever comes first */
#pragma once

#include "fw-stream.h"

G_BEGIN_DECLS

#define FW_TYPE_BATCH (fw_batch_get_type ())

G_DECLARE_FINAL_TYPE (FwBatch, fw_batch, FW, BATCH, FwStream)

FwStream *fw_batch_new (FwStream *input,
                        guint     max_count,
                        guint     max_wait_ms);

G_END_DECLS
