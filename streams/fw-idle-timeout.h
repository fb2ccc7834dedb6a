/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-idle-timeout.h: notice when a stream stalls */
#pragma once

#include "fw-stream.h"

G_BEGIN_DECLS

/**
 * FwIdleTimeoutMode:
 * @FW_IDLE_TIMEOUT_ERROR: the stream fails with %G_IO_ERROR_TIMED_OUT (and closes its input): a
 *   stalled connection, to be retried
 * @FW_IDLE_TIMEOUT_HEARTBEAT: the stream yields a %FW_ITEM_STATUS item named "idle" and goes on
 *   waiting: a quiet feed, shown as such
 *
 * What a #FwIdleTimeout does when its input stays silent too long.
 */
typedef enum
{
  FW_IDLE_TIMEOUT_ERROR,
  FW_IDLE_TIMEOUT_HEARTBEAT,
} FwIdleTimeoutMode;

#define FW_TYPE_IDLE_TIMEOUT (fw_idle_timeout_get_type ())

G_DECLARE_FINAL_TYPE (FwIdleTimeout, fw_idle_timeout, FW, IDLE_TIMEOUT, FwStream)

FwStream *fw_idle_timeout_new (FwStream          *input,
                               guint              timeout_ms,
                               FwIdleTimeoutMode  mode);

G_END_DECLS
