/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-log-level.h: the level of a log line, guessed from its text. Pure. */
#pragma once

#include "../fw-types.h"

G_BEGIN_DECLS

/* How far into a line a level word is looked for: levels sit after a timestamp, a host and
 * a program name, not in the middle of a message. */
#define FW_LOG_LEVEL_SCAN_BYTES 96

FwLevel fw_log_level_detect (const char *line,
                             gsize       len);
FwLevel fw_log_level_detect_reference (const char *line,
                                       gsize       len);

G_END_DECLS
