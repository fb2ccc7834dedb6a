/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-display-text.h: untrusted text made safe to show in one row */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FW_DISPLAY_TEXT_MAX 4096

char *fw_display_text (const char *text,
                       gsize       len);

G_END_DECLS
