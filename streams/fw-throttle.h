/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-throttle.h: at most one item per interval, the latest */
#pragma once

#include "fw-stream.h"

G_BEGIN_DECLS

#define FW_TYPE_THROTTLE (fw_throttle_get_type ())

G_DECLARE_FINAL_TYPE (FwThrottle, fw_throttle, FW, THROTTLE, FwStream)

FwStream *fw_throttle_new           (FwStream   *input,
                                     guint       interval_ms);
guint64   fw_throttle_get_n_dropped (FwThrottle *self);

G_END_DECLS
