/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-safe-text.c: text that came from outside (a feed's lines, a server's reason phrase or
 * Content-Type), made safe to show in a row or write to a terminal. Terminal escape sequences
 * are removed (a log written for a terminal carries colour codes), other control characters
 * become their visible pictures (␀, ␇, …), line breaks and tabs become spaces, invalid UTF-8
 * becomes U+FFFD, and the characters that can disguise text — bidirectional overrides and
 * isolates, zero-width characters — are shown as visible ⟨U+XXXX⟩ markers instead of acting. */

#include "fw-safe-text.h"

static gboolean
is_disguising (gunichar c)
{
  return (c >= 0x202A && c <= 0x202E) ||  /* embeddings and overrides */
         (c >= 0x2066 && c <= 0x2069) ||  /* isolates */
         c == 0x200E || c == 0x200F || c == 0x061C ||  /* marks */
         (c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF;  /* zero width */
}

/* Length of the escape sequence starting at @p (ESC included), within @end */
static gsize
escape_length (const char *p,
               const char *end)
{
  const char *q = p + 1;

  if (q >= end)
    return 1;

  if (*q == '[')
    {
      /* CSI: parameters and intermediates, then one final byte 0x40–0x7E */
      for (q++; q < end; q++)
        {
          if ((guchar) *q >= 0x40 && (guchar) *q <= 0x7E)
            return q - p + 1;
        }
      return end - p;
    }
  if (*q == ']')
    {
      /* OSC: up to BEL or ESC \ */
      for (q++; q < end; q++)
        {
          if (*q == '\a')
            return q - p + 1;
          if (*q == '\033' && q + 1 < end && q[1] == '\\')
            return q - p + 2;
        }
      return end - p;
    }

  /* Others: intermediate bytes 0x20–0x2F (ESC ( B, say), then one final byte */
  while (q < end && (guchar) *q >= 0x20 && (guchar) *q <= 0x2F)
    q++;
  return MIN (q + 1, end) - p;
}

/**
 * fw_safe_text:
 * @text: text from outside: any bytes, possibly with NULs
 * @len: its length
 * @max: how many bytes of @text to take at most; "…" marks a cut
 *
 * Makes untrusted text (from a feed) safe to show on one line, in a list row or on a terminal:
 * terminal escape sequences removed, other control characters shown as their visible pictures,
 * line breaks and tabs as spaces, invalid UTF-8 as U+FFFD, characters that can disguise text
 * (bidirectional overrides, zero-width characters) as visible markers, and long text
 * cut.
 *
 * Returns: (transfer full): valid UTF-8 on one line that cannot act on a terminal or a row
 */
char *
fw_safe_text (const char *text,
              gsize       len,
              gsize       max)
{
  const char *end = text + MIN (len, max);
  GString *out = g_string_sized_new (MIN (len, max) + 8);

  for (const char *p = text; p < end;)
    {
      guchar byte = (guchar) *p;
      gunichar c;
      const char *next;

      if (byte == '\033')
        {
          p += escape_length (p, end);
          continue;
        }
      if (byte == '\n' || byte == '\r' || byte == '\t')
        {
          g_string_append_c (out, ' ');
          p++;
          continue;
        }
      if (byte < 0x20 || byte == 0x7F)
        {
          /* U+2400 + code: the Control Pictures block; DEL is U+2421 */
          g_string_append_unichar (out, byte == 0x7F ? 0x2421 : 0x2400 + byte);
          p++;
          continue;
        }
      if (byte < 0x80)
        {
          g_string_append_c (out, *p++);
          continue;
        }

      c = g_utf8_get_char_validated (p, end - p);
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_unichar (out, 0xFFFD);
          p++;
          continue;
        }
      next = g_utf8_next_char (p);
      if (is_disguising (c))
        g_string_append_printf (out, "⟨U+%04X⟩", c);
      else
        g_string_append_len (out, p, next - p);
      p = next;
    }

  if (len > max)
    g_string_append (out, "…");

  return g_string_free (out, FALSE);
}
