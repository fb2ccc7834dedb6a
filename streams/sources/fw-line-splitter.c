/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-line-splitter.c: bytes in, lines out.
 *
 * Lines that lie whole inside a block are handed out in place (memchr, no copy); only a line
 * that straddles blocks is gathered in the partial buffer, which never holds more than
 * max_line + 1 bytes: once a line is known to be too long it is handed out cut at the cap,
 * marked truncated, and the rest is skipped up to the next LF. The decision depends only on
 * the bytes, never on how they were split into blocks (one extra byte is kept because a CR
 * right before the LF is not part of the line).
 */

#include "fw-line-splitter.h"

#include <string.h>

struct _FwLineSplitter
{
  gsize    max_line;
  char    *partial;      /* max_line + 1 bytes */
  gsize    partial_len;
  gboolean discarding;   /* inside an over-long line that was already handed out */
  GString *repair;
};

FwLineSplitter *
fw_line_splitter_new (gsize max_line)
{
  FwLineSplitter *self = g_new0 (FwLineSplitter, 1);

  self->max_line = max_line > 0 ? max_line : FW_LINE_SPLITTER_DEFAULT_MAX;
  self->partial = g_malloc (self->max_line + 1);
  self->repair = g_string_new (NULL);

  return self;
}

void
fw_line_splitter_free (FwLineSplitter *self)
{
  if (self == NULL)
    return;

  g_free (self->partial);
  g_string_free (self->repair, TRUE);
  g_free (self);
}

/* ASCII eight bytes at a time, the common case for logs; the rest goes to GLib. Unlike
 * g_utf8_validate_len(), U+0000 is accepted: it is valid UTF-8 and items may carry it. */
gboolean
fw_utf8_validate_fast (const char *text,
                       gsize       len)
{
  const guchar *p = (const guchar *) text;
  const guchar *end = p + len;

  while (end - p >= 8)
    {
      guint64 word;

      memcpy (&word, p, 8);
      if (word & G_GUINT64_CONSTANT (0x8080808080808080))
        break;
      p += 8;
    }
  while (p < end && *p < 0x80)
    p++;

  return p == end || g_utf8_validate_len ((const char *) p, end - p, NULL);
}

/* Each byte that does not start a valid sequence becomes U+FFFD. */
void
fw_utf8_append_repaired (GString    *out,
                         const char *text,
                         gsize       len)
{
  const char *p = text;
  const char *end = text + len;
  const char *run = p;

  while (p < end)
    {
      gunichar c;

      if ((guchar) *p < 0x80)
        {
          p++;
          continue;
        }

      c = g_utf8_get_char_validated (p, end - p);
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_len (out, run, p - run);
          g_string_append (out, "\xEF\xBF\xBD");
          p++;
          run = p;
        }
      else
        {
          p = g_utf8_next_char (p);
        }
    }
  g_string_append_len (out, run, end - run);
}

static void
emit (FwLineSplitter *self,
      const char     *line,
      gsize           len,
      gboolean        truncated,
      FwLineFunc      func,
      gpointer        user_data)
{
  if (truncated)
    {
      /* Cut on a character boundary rather than leave half a character to be replaced. */
      gsize start = len;

      while (start > 0 && len - start < 4 && ((guchar) line[start - 1] & 0xC0) == 0x80)
        start--;
      if (start > 0 && (guchar) line[start - 1] >= 0xC0 &&
          start - 1 + g_utf8_skip[(guchar) line[start - 1]] > len)
        len = start - 1;
    }

  if (G_LIKELY (fw_utf8_validate_fast (line, len)))
    {
      func (line, len, truncated, user_data);
      return;
    }

  g_string_truncate (self->repair, 0);
  fw_utf8_append_repaired (self->repair, line, len);
  func (self->repair->str, self->repair->len, truncated, user_data);
}

/* A complete line: raw holds the bytes before the LF, possibly ending in CR. */
static void
emit_complete (FwLineSplitter *self,
               const char     *raw,
               gsize           raw_len,
               FwLineFunc      func,
               gpointer        user_data)
{
  gsize len = raw_len;

  if (len > 0 && raw[len - 1] == '\r')
    len--;

  if (len > self->max_line)
    emit (self, raw, self->max_line, TRUE, func, user_data);
  else
    emit (self, raw, len, FALSE, func, user_data);
}

/**
 * fw_line_splitter_feed:
 *
 * Splits @data, continuing the line the previous block left open, and calls @func for each
 * complete line. A trailing partial line is kept for the next block (or finish).
 */
void
fw_line_splitter_feed (FwLineSplitter *self,
                       const char     *data,
                       gsize           len,
                       FwLineFunc      func,
                       gpointer        user_data)
{
  const char *p = data;
  const char *end = data + len;

  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      gsize seg;

      if (nl == NULL)
        {
          gsize rest = end - p;

          if (self->discarding)
            return;

          if (self->partial_len + rest > self->max_line + 1)
            {
              /* At least max_line + 2 bytes before any LF: too long whatever follows. */
              if (self->partial_len < self->max_line)
                {
                  gsize take = self->max_line - self->partial_len;
                  memcpy (self->partial + self->partial_len, p, take);
                }
              emit (self, self->partial, self->max_line, TRUE, func, user_data);
              self->partial_len = 0;
              self->discarding = TRUE;
              return;
            }

          memcpy (self->partial + self->partial_len, p, rest);
          self->partial_len += rest;
          return;
        }

      seg = nl - p;

      if (self->discarding)
        {
          self->discarding = FALSE;
        }
      else if (self->partial_len == 0)
        {
          emit_complete (self, p, seg, func, user_data);
        }
      else
        {
          gsize total = self->partial_len + seg;
          char last = seg > 0 ? p[seg - 1] : self->partial[self->partial_len - 1];
          gsize line_len = total - (last == '\r' ? 1 : 0);
          gboolean truncated = line_len > self->max_line;
          gsize want = truncated ? self->max_line : line_len;

          if (want > self->partial_len)
            memcpy (self->partial + self->partial_len, p, want - self->partial_len);
          emit (self, self->partial, want, truncated, func, user_data);
          self->partial_len = 0;
        }

      p = nl + 1;
    }
}

/**
 * fw_line_splitter_finish:
 *
 * The end of the input: a last line without LF is handed out, as `tail` and `grep` do.
 */
void
fw_line_splitter_finish (FwLineSplitter *self,
                         FwLineFunc      func,
                         gpointer        user_data)
{
  if (!self->discarding && self->partial_len > 0)
    emit_complete (self, self->partial, self->partial_len, func, user_data);

  fw_line_splitter_reset (self);
}

/* Forgets a partial line, for a file that was truncated or replaced under us. */
void
fw_line_splitter_reset (FwLineSplitter *self)
{
  self->partial_len = 0;
  self->discarding = FALSE;
}

/* Bytes held for a line not ended yet: never more than max_line + 1. */
gsize
fw_line_splitter_get_pending (FwLineSplitter *self)
{
  return self->partial_len;
}
