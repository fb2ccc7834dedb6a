/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-array-stream.h: a stream over items already in memory */
#pragma once

#include "fw-stream.h"

G_BEGIN_DECLS

#define FW_TYPE_ARRAY_STREAM (fw_array_stream_get_type ())

G_DECLARE_FINAL_TYPE (FwArrayStream, fw_array_stream, FW, ARRAY_STREAM, FwStream)

FwStream *fw_array_stream_new       (FwItem * const *items,
                                     guint           n_items);
FwStream *fw_array_stream_new_take  (GPtrArray      *items);
guint     fw_array_stream_get_block (FwArrayStream  *self);
void      fw_array_stream_set_block (FwArrayStream  *self,
                                     guint           block);

G_END_DECLS
