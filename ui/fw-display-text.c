/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-display-text.c: what a row shows of a line that came from outside: the streams' safe text
 * (see fw-safe-text.c), cut to what one row can show. GTK-free. */

#include "fw-display-text.h"

#include "fw-safe-text.h"

/**
 * fw_display_text:
 * @text: valid UTF-8 (items are), possibly with NULs
 * @len: its length
 *
 * Returns: (transfer full): at most about %FW_DISPLAY_TEXT_MAX bytes of @text, safe to show
 */
char *
fw_display_text (const char *text,
                 gsize       len)
{
  return fw_safe_text (text, len, FW_DISPLAY_TEXT_MAX);
}
