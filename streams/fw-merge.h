/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-merge.h: items of N streams as they arrive, fairly */
#pragma once

#include "fw-stream.h"

G_BEGIN_DECLS

/**
 * FwMergeFlags:
 * @FW_MERGE_NONE: an input's error ends that input only and is reported by #FwMerge::input-error;
 *   the merge ends when every input has ended
 * @FW_MERGE_FAIL_FAST: as a TaskGroup: the first input error closes the other inputs and the merge
 *   ends with that error (after the items it already handed out)
 * @FW_MERGE_KEEP_OPEN: do not end when the inputs have all ended: more may be added (a live
 *   window); the merge then ends only when closed
 *
 * How a #FwMerge treats errors and the end of its inputs.
 */
typedef enum /*< flags >*/
{
  FW_MERGE_NONE      = 0,
  FW_MERGE_FAIL_FAST = 1 << 0,
  FW_MERGE_KEEP_OPEN = 1 << 1,
} FwMergeFlags;

#define FW_TYPE_MERGE (fw_merge_get_type ())

G_DECLARE_FINAL_TYPE (FwMerge, fw_merge, FW, MERGE, FwStream)

FwStream *fw_merge_new          (FwStream * const *inputs,
                                 guint             n_inputs,
                                 FwMergeFlags      flags);
gboolean  fw_merge_add_input    (FwMerge          *self,
                                 FwStream         *input);
guint     fw_merge_get_n_inputs (FwMerge          *self);

G_END_DECLS
