/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-display-text.h: untrusted text made safe to show in one row */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A row is one ellipsized line: 1 KiB is several screen widths, and shaping costs per byte. */
#define FW_DISPLAY_TEXT_MAX 1024

char *fw_display_text (const char *text,
                       gsize       len);

G_END_DECLS
