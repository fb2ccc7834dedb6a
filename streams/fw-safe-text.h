/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-safe-text.h: untrusted text made safe to show on one line, in a row or on a terminal */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *fw_safe_text (const char *text,
                    gsize       len,
                    gsize       max);

G_END_DECLS
