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

/* How the targets cut their input: whole, a byte at a time, or in uneven pieces of 1 to 17
 * bytes from a generator seeded by the input's size, so a run replays exactly. */
typedef enum
{
  FW_FUZZ_SPLIT_WHOLE,
  FW_FUZZ_SPLIT_BYTES,
  FW_FUZZ_SPLIT_UNEVEN,
} FwFuzzSplit;

static inline guint32
fw_fuzz_split_seed (gsize size)
{
  return (guint32) size * 2654435761u + 1;
}

/* The length of the next piece from @offset of @size bytes */
static inline gsize
fw_fuzz_next_piece (FwFuzzSplit  split,
                    guint32     *state,
                    gsize        size,
                    gsize        offset)
{
  gsize n;

  switch (split)
    {
    case FW_FUZZ_SPLIT_WHOLE:
      n = size;
      break;
    case FW_FUZZ_SPLIT_BYTES:
      n = 1;
      break;
    case FW_FUZZ_SPLIT_UNEVEN:
    default:
      *state = *state * 1103515245u + 12345u;
      n = 1 + (*state >> 16) % 17;
      break;
    }
  return MIN (n, size - offset);
}
