/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-oracle.h: checks the fuzz targets make of what the code under test produced, written
 * independently of it (GLib's validator, not fw_utf8_valid_prefix()). */
#pragma once

#include <string.h>

#include <glib.h>

/* Strict UTF-8 where U+0000 is a character like any other (SSE data, WebSocket text and
 * NDJSON strings may hold it; g_utf8_validate() stops at it). */
static inline gboolean
fw_fuzz_is_utf8_with_nul (const char *text,
                          gsize       len)
{
  const char *end = text + len;

  while (text < end)
    {
      const char *nul = memchr (text, '\0', end - text);
      const char *stop = nul != NULL ? nul : end;

      if (!g_utf8_validate_len (text, stop - text, NULL))
        return FALSE;
      text = nul != NULL ? nul + 1 : end;
    }
  return TRUE;
}
