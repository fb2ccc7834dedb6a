/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-log-lines.c: libFuzzer target for what the log source does to bytes: the line splitter
 * and the level detector. Byte 0 seeds how the rest is cut into blocks, byte 1 sets the line
 * cap (1…256, so cut lines are common); the rest is the log.
 *
 * Checked on every input: the lines are the same whatever the blocks; they are exactly the
 * LF-separated segments of the input (one CR before the LF dropped), none lost or made up, each
 * cut at the cap (on a character boundary) when longer and flagged so, and with every invalid
 * byte replaced by U+FFFD, by a repair written here independently; the splitter never holds
 * more than cap + 1 bytes. Each line's level is detected on an exact-size copy (so a read past
 * its end is caught) and is the same with digits after its end; it does not depend on leading
 * blanks nor, for the word scan, on what lies past FW_LOG_LEVEL_SCAN_BYTES. test-fuzz-corpus
 * replays the corpus through this function in every build. */

#include "fw-line-splitter.h"
#include "fw-log-level.h"

#include <string.h>

#ifndef FW_FUZZ_ENTRY
#define FW_FUZZ_ENTRY LLVMFuzzerTestOneInput
#endif

typedef struct
{
  gsize      max_line;
  GPtrArray *lines;     /* "T" or "-", then the line's bytes, as GBytes */
} Run;

static FwLevel
detect_on_copy (const char *line,
                gsize       len)
{
  /* Exactly the line's bytes, on the heap, so a read past its end is caught; never NULL, as
   * the log source never passes NULL. */
  g_autofree char *copy = g_malloc (MAX (len, 1));
  /* libc reads (strtod) are not checked by ASan: digits after the end catch those. */
  g_autofree char *padded = g_malloc (len + 8);
  FwLevel level;

  memcpy (copy, line, len);
  memcpy (padded, line, len);
  memset (padded + len, '9', 8);
  level = fw_log_level_detect (copy, len);
  if (fw_log_level_detect (padded, len) != level)
    g_error ("the level depends on bytes past the line's end");
  return level;
}

static void
check_level (const char *line,
             gsize       len)
{
  FwLevel level = detect_on_copy (line, len);
  g_autofree char *indented = g_malloc (len + 2);
  gsize skip = 0;

  if ((guint) level >= FW_N_LEVELS)
    g_error ("level %u out of range", (guint) level);

  memcpy (indented, " \t", 2);
  memcpy (indented + 2, line, len);
  if (detect_on_copy (indented, len + 2) != level)
    g_error ("leading blanks changed the level");

  while (skip < len && (line[skip] == ' ' || line[skip] == '\t'))
    skip++;
  if (skip < len && line[skip] != '{' && line[skip] != '<' &&
      len - skip > FW_LOG_LEVEL_SCAN_BYTES &&
      detect_on_copy (line, skip + FW_LOG_LEVEL_SCAN_BYTES) != level)
    g_error ("the level depends on bytes past the scan window");
}

static void
on_line (const char *line,
         gsize       len,
         gboolean    truncated,
         gpointer    user_data)
{
  Run *run = user_data;
  GByteArray *record = g_byte_array_sized_new (len + 1);

  g_byte_array_append (record, (const guint8 *) (truncated ? "T" : "-"), 1);
  g_byte_array_append (record, (const guint8 *) line, len);
  g_ptr_array_add (run->lines, g_byte_array_free_to_bytes (record));

  check_level (line, len);
}

static GPtrArray *
split (const guint8 *data,
       gsize         size,
       gsize         max_line,
       guint         seed,
       guint         max_block) /* 0: all at once */
{
  g_autoptr(FwLineSplitter) splitter = fw_line_splitter_new (max_line);
  Run run = { max_line, g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref) };
  guint32 state = seed * 2654435761u + 1;
  gsize offset = 0;

  while (offset < size)
    {
      gsize n;

      state = state * 1103515245u + 12345u;
      n = max_block == 0 ? size : MIN (1 + (state >> 16) % max_block, size - offset);
      fw_line_splitter_feed (splitter, (const char *) data + offset, n, on_line, &run);
      offset += n;

      if (fw_line_splitter_get_pending (splitter) > max_line + 1)
        g_error ("the splitter holds %zu bytes, over the cap %zu + 1",
                 fw_line_splitter_get_pending (splitter), max_line);
    }
  fw_line_splitter_finish (splitter, on_line, &run);
  if (fw_line_splitter_get_pending (splitter) != 0)
    g_error ("bytes left after finish");

  return run.lines;
}

/* The repair the header promises, written without fw_utf8_append_repaired: a sequence that
 * g_utf8_validate_len() accepts is kept, any other byte at 0x80 or above becomes U+FFFD. */
static GString *
reference_repair (const guint8 *p,
                  gsize         len)
{
  GString *out = g_string_sized_new (len);
  gsize i = 0;

  while (i < len)
    {
      guint8 c = p[i];
      gsize n = c < 0x80 ? 1 : c < 0xC2 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF5 ? 4 : 0;

      if (n == 1 || (n > 1 && i + n <= len && g_utf8_validate_len ((const char *) p + i, n, NULL)))
        {
          g_string_append_len (out, (const char *) p + i, n);
          i += n;
        }
      else
        {
          g_string_append (out, "\xEF\xBF\xBD");
          i++;
        }
    }
  return out;
}

static gboolean
is_valid_cut (const guint8 *segment,
              gsize         cut,
              gsize         max_line)
{
  /* At the cap, or before a lead byte whose character the cap would have split (g_utf8_skip
   * counts the 5- and 6-byte forms of old, so up to 5 bytes may go). */
  if (cut == max_line)
    return TRUE;
  if (max_line - cut > 5 || segment[cut] < 0xC0)
    return FALSE;
  for (gsize i = cut + 1; i < max_line; i++)
    {
      if ((segment[i] & 0xC0) != 0x80)
        return FALSE;
    }
  return cut + g_utf8_skip[segment[cut]] > max_line;
}

static void
check_against_input (GPtrArray    *lines,
                     const guint8 *data,
                     gsize         size,
                     gsize         max_line)
{
  const guint8 *p = data;
  const guint8 *end = data + size;
  guint n = 0;

  while (p < end)
    {
      const guint8 *nl = memchr (p, '\n', end - p);
      const guint8 *stop = nl != NULL ? nl : end;
      gsize len = stop - p;
      gsize out_len;
      const char *out;
      gboolean truncated, matched = FALSE;

      if (len > 0 && p[len - 1] == '\r' && nl != NULL)
        len--;
      else if (len > 0 && p[len - 1] == '\r' && len - 1 <= max_line)
        len--; /* a last line's CR goes too, unless the line was cut before it */

      if (n >= lines->len)
        g_error ("line %u of the input is missing", n);
      out = g_bytes_get_data (lines->pdata[n], &out_len);
      truncated = out[0] == 'T';
      out++;
      out_len--;

      if (truncated != (len > max_line))
        g_error ("line %u: truncated is %d for %zu bytes, cap %zu", n, truncated, len, max_line);

      for (gsize cut = truncated ? max_line - MIN (max_line, 5) : len;
           cut <= (truncated ? max_line : len) && !matched; cut++)
        {
          g_autoptr(GString) expected = NULL;

          if (truncated && !is_valid_cut (p, cut, max_line))
            continue;
          expected = reference_repair (p, cut);
          matched = expected->len == out_len && memcmp (expected->str, out, out_len) == 0;
        }
      if (!matched)
        g_error ("line %u is not its input segment (%zu bytes, cap %zu)", n, len, max_line);

      n++;
      p = nl != NULL ? nl + 1 : end;
    }

  if (n != lines->len)
    g_error ("%u lines out of %u segments", lines->len, n);
}

static gboolean
same_lines (GPtrArray *a,
            GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      if (!g_bytes_equal (a->pdata[i], b->pdata[i]))
        return FALSE;
    }
  return TRUE;
}

int FW_FUZZ_ENTRY (const guint8 *data,
                   size_t        size);

int
FW_FUZZ_ENTRY (const guint8 *data,
               size_t        size)
{
  g_autoptr(GPtrArray) whole = NULL;
  g_autoptr(GPtrArray) bytes = NULL;
  g_autoptr(GPtrArray) uneven = NULL;
  gsize max_line;
  guint seed;

  if (size < 2)
    return 0;
  seed = data[0];
  max_line = 1 + data[1];
  data += 2;
  size -= 2;

  whole = split (data, size, max_line, seed, 0);
  bytes = split (data, size, max_line, seed, 1);
  uneven = split (data, size, max_line, seed, 2 * max_line + 3);

  if (!same_lines (whole, bytes) || !same_lines (whole, uneven))
    g_error ("the lines depend on how the input was cut into blocks");
  check_against_input (whole, data, size, max_line);

  return 0;
}
