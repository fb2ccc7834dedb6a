/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-log-level.c: the level of a log line, in the places logs put it:
 *
 *   <3>kernel: …                       syslog priority (severity = N & 7)
 *   {"level":"error", …}               JSON lines: level, severity, lvl, levelname, log.level
 *                                      (strings, or pino/bunyan numbers 10…60)
 *   2024-05-01 12:00:00 ERROR …        an upper-case level word near the start
 *   [warn] … / level=info / Error: …   a word in other case, when brackets, '=' or ':' mark it
 *
 * A level word stands on its own: one inside a longer token is part of a name, not a level
 * (FOO_ERROR, WARN2; and, in other case, libc6-dbg:amd64 or shared-mime-info:amd64 in dpkg.log,
 * where a ':' joins the name to its architecture rather than ending a level).
 *
 * It runs on every line of every log, so the word scan looks at the first
 * FW_LOG_LEVEL_SCAN_BYTES bytes only and stops at the first level word.
 */

#include "fw-log-level.h"

#include <string.h>

#include "../fw-item.h"

static FwLevel
level_from_syslog_severity (guint severity)
{
  static const FwLevel levels[8] = {
    FW_LEVEL_CRITICAL, FW_LEVEL_CRITICAL, FW_LEVEL_CRITICAL, FW_LEVEL_ERROR,
    FW_LEVEL_WARNING, FW_LEVEL_NOTICE, FW_LEVEL_INFO, FW_LEVEL_DEBUG,
  };

  return levels[severity & 7];
}

static gboolean
parse_syslog_priority (const char *p,
                       const char *end,
                       FwLevel    *level)
{
  guint value = 0;
  const char *q = p + 1;

  while (q < end && q - p <= 3 && g_ascii_isdigit (*q))
    value = value * 10 + (*q++ - '0');

  if (q == p + 1 || q >= end || *q != '>' || value > 191)
    return FALSE;

  *level = level_from_syslog_severity (value);
  return TRUE;
}

static gboolean
is_level_key (const char *key,
              gsize       len)
{
  static const char *keys[] = { "level", "severity", "lvl", "levelname", "log.level",
                                "loglevel", "log_level", "@level" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      if (strlen (keys[i]) == len && g_ascii_strncasecmp (keys[i], key, len) == 0)
        return TRUE;
    }

  return FALSE;
}

static FwLevel
level_from_number (double value)
{
  /* pino and bunyan: 10 trace … 60 fatal; small numbers are syslog severities. */
  if (value < 8)
    return level_from_syslog_severity ((guint) value);
  if (value < 20)
    return FW_LEVEL_TRACE;
  if (value < 30)
    return FW_LEVEL_DEBUG;
  if (value < 40)
    return FW_LEVEL_INFO;
  if (value < 50)
    return FW_LEVEL_WARNING;
  if (value < 60)
    return FW_LEVEL_ERROR;
  return FW_LEVEL_CRITICAL;
}

/* Not a JSON parser: finds a "level"-like key and reads the scalar after it. */
static gboolean
parse_json_level (const char *p,
                  const char *end,
                  FwLevel    *level)
{
  if (end - p > 4096)
    end = p + 4096;

  while (p < end)
    {
      const char *key = memchr (p, '"', end - p);
      const char *key_end;
      const char *v;

      if (key == NULL)
        return FALSE;
      key++;
      key_end = memchr (key, '"', end - key);
      if (key_end == NULL)
        return FALSE;
      p = key_end + 1;

      if (!is_level_key (key, key_end - key))
        continue;

      v = p;
      while (v < end && (*v == ' ' || *v == '\t'))
        v++;
      if (v >= end || *v != ':')
        continue;
      v++;
      while (v < end && (*v == ' ' || *v == '\t'))
        v++;
      if (v >= end)
        return FALSE;

      if (*v == '"')
        {
          const char *word = v + 1;
          const char *word_end = memchr (word, '"', end - word);

          if (word_end == NULL)
            return FALSE;
          *level = fw_level_from_string (word, word_end - word);
          return *level != FW_LEVEL_NONE;
        }
      if (g_ascii_isdigit (*v))
        {
          /* The line is not NUL-terminated: strtod() on it would read on past its end. */
          char number[32];
          gsize n = MIN ((gsize) (end - v), sizeof number - 1);

          memcpy (number, v, n);
          number[n] = '\0';
          *level = level_from_number (g_ascii_strtod (number, NULL));
          return TRUE;
        }
      return FALSE;
    }

  return FALSE;
}

/* fw_level_from_string() for the words of the scan, without its table walk: this runs for
 * every capitalised word near the start of every line. */
static FwLevel
match_level_word (const char *word,
                  gsize       len)
{
#define W(word, level) { word, sizeof word - 1, level }
  static const struct { const char *word; gsize len; FwLevel level; } words[] = {
    W ("err", FW_LEVEL_ERROR), W ("dbg", FW_LEVEL_DEBUG),
    W ("info", FW_LEVEL_INFO), W ("warn", FW_LEVEL_WARNING), W ("crit", FW_LEVEL_CRITICAL),
    W ("error", FW_LEVEL_ERROR), W ("debug", FW_LEVEL_DEBUG), W ("trace", FW_LEVEL_TRACE),
    W ("fatal", FW_LEVEL_CRITICAL), W ("alert", FW_LEVEL_CRITICAL),
    W ("emerg", FW_LEVEL_CRITICAL), W ("panic", FW_LEVEL_CRITICAL),
    W ("notice", FW_LEVEL_NOTICE), W ("warning", FW_LEVEL_WARNING),
    W ("critical", FW_LEVEL_CRITICAL), W ("emergency", FW_LEVEL_CRITICAL),
    W ("information", FW_LEVEL_INFO),
  };
#undef W
  char lower[12];

  if (len > sizeof lower)
    return FW_LEVEL_NONE;
  for (gsize i = 0; i < len; i++)
    lower[i] = word[i] | 0x20; /* letters only: this lowercases them */

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      if (words[i].len == len && words[i].word[0] == lower[0] &&
          memcmp (words[i].word, lower, len) == 0)
        return words[i].level;
    }

  return FW_LEVEL_NONE;
}

/* One table lookup a byte: the scan runs on every line, so it must not branch per class. */
enum
{
  C_ALPHA = 1 << 0,
  C_UPPER = 1 << 1,
  C_START = 1 << 2, /* the first letter of some level word, in either case */
  C_IDENT = 1 << 3, /* a digit or '_': a word touching one is part of an identifier */
  C_NAME = 1 << 4,  /* joins the parts of a name (a package, a path, an address) */
};

#define UP(c)    [c] = C_ALPHA | C_UPPER, [c + 32] = C_ALPHA
#define UPS(c)   [c] = C_ALPHA | C_UPPER | C_START, [c + 32] = C_ALPHA | C_START
#define ID(c)    [c] = C_IDENT | C_NAME

static const guint8 char_class[256] = {
  UPS ('A'), UP ('B'), UPS ('C'), UPS ('D'), UPS ('E'), UPS ('F'), UP ('G'), UP ('H'),
  UPS ('I'), UP ('J'), UP ('K'), UP ('L'), UP ('M'), UPS ('N'), UP ('O'), UPS ('P'),
  UP ('Q'), UP ('R'), UP ('S'), UPS ('T'), UP ('U'), UP ('V'), UPS ('W'), UP ('X'),
  UP ('Y'), UP ('Z'),
  ID ('0'), ID ('1'), ID ('2'), ID ('3'), ID ('4'), ID ('5'), ID ('6'), ID ('7'), ID ('8'),
  ID ('9'), ID ('_'),
  ['-'] = C_NAME, ['.'] = C_NAME, ['+'] = C_NAME, ['/'] = C_NAME, ['@'] = C_NAME,
  ['~'] = C_NAME,
};

#undef UP
#undef UPS
#undef ID

#define ONES G_GUINT64_CONSTANT (0x0101010101010101)

/* Per byte of @word, the high bit set when the byte is in [lo, hi] (ASCII only). No carries
 * cross bytes: every byte is at most 0x7F before the additions. */
static inline guint64
bytes_in_range (guint64 word,
                guint64 folded,
                guint   lo,
                guint   hi)
{
  return (folded + (0x80 - lo) * ONES) & ~(folded + (0x7F - hi) * ONES) & ~word & (0x80 * ONES);
}

static inline guint64
letter_bytes (guint64 word)
{
  return bytes_in_range (word, (word | (0x20 * ONES)) & (0x7F * ONES), 'a', 'z');
}

static inline guint
first_marked_byte (guint64 mask)
{
  return (G_BYTE_ORDER == G_LITTLE_ENDIAN ? __builtin_ctzll (mask) : __builtin_clzll (mask)) / 8;
}

/* The first ASCII letter at or after @p, eight bytes at a time: lines begin with timestamps
 * and numbers, and a byte-by-byte skip mispredicts on every digit-letter change. */
static inline const guchar *
skip_to_letter (const guchar *p,
                const guchar *stop)
{
  while (stop - p >= 8)
    {
      guint64 word, letters;

      memcpy (&word, p, 8);
      letters = letter_bytes (word);
      if (letters != 0)
        return p + first_marked_byte (letters);
      p += 8;
    }
  while (p < stop && !(char_class[*p] & C_ALPHA))
    p++;

  return p;
}

/* The end of the word of letters starting at @p, and whether they are all upper case. */
static inline const guchar *
end_of_word (const guchar *p,
             const guchar *stop,
             gboolean     *all_upper)
{
  guint all = C_UPPER;

  if (stop - p >= 8)
    {
      guint64 word, others, upper;
      guint len;

      memcpy (&word, p, 8);
      others = ~letter_bytes (word) & (0x80 * ONES);
      upper = bytes_in_range (word, word & (0x7F * ONES), 'A', 'Z');
      if (others != 0)
        {
          len = first_marked_byte (others);
          /* The bytes before the first non-letter: are they all upper case? */
          *all_upper = len == 0 || ((upper ^ ~others) & (0x80 * ONES) &
                                    (G_BYTE_ORDER == G_LITTLE_ENDIAN
                                     ? (G_GUINT64_CONSTANT (1) << (8 * len)) - 1
                                     : ~((~G_GUINT64_CONSTANT (0)) >> (8 * len)))) == 0;
          return p + len;
        }
      all = upper == 0x80 * ONES ? C_UPPER : 0;
      p += 8;
    }
  while (p < stop && (char_class[*p] & C_ALPHA))
    all &= char_class[*p++];
  *all_upper = all != 0;

  return p;
}

/* The level of the word [start, start + len), which the quick test of word_level() let
 * through, if it is a level word standing on its own rather than inside a longer token; else
 * FW_LEVEL_NONE. Bytes past @stop, the end of the scanned bytes, count as spaces, so that both
 * scans decide alike. Out of line, as the quick test keeps most words from coming here. */
static G_GNUC_NO_INLINE FwLevel
level_word_alone (const char   *line,
                  const guchar *start,
                  gsize         len,
                  gboolean      all_upper,
                  const guchar *stop)
{
  const guchar *after_p = start + len;
  guchar before = (const char *) start > line ? start[-1] : ' ';
  guchar after = after_p < stop ? *after_p : ' ';
  FwLevel level = match_level_word ((const char *) start, len);

  /* A level word touching a digit or '_' is part of an identifier (FOO_ERROR, WARN2). */
  if (level == FW_LEVEL_NONE || ((char_class[before] | char_class[after]) & C_IDENT))
    return FW_LEVEL_NONE;

  if (!all_upper)
    {
      /* A word after a name's joiner ends the name ("libc6-dbg"), and a ':' before a letter
       * or a digit joins a name to its next part ("info:amd64"): such a ':' marks no level. */
      gboolean colon_joins = after == ':' && after_p + 1 < stop &&
                             (char_class[after_p[1]] & (C_ALPHA | C_IDENT));
      gboolean marked = before == '[' || before == '<' || before == '(' ||
                        before == '=' || before == '"' || before == '|' ||
                        after == ']' || (after == ':' && !colon_joins) || after == '>' ||
                        after == '|';

      if (!marked || (char_class[before] & C_NAME))
        return FW_LEVEL_NONE;
    }

  return level;
}

/* Whether the word [start, start + len) of @line, whose scanned bytes end at @stop, is a level
 * word in its place; its level, or FW_LEVEL_NONE */
static inline FwLevel
word_level (const char    *line,
            const guchar  *start,
            gsize          len,
            gboolean       all_upper,
            const guchar  *stop)
{
  if (len < 3 || len > 11 || !(char_class[*start] & C_START))
    return FW_LEVEL_NONE;

  if (!all_upper)
    {
      /* "error" in a sentence is not a level; "[error]", "level=error", "Error:" are: the
       * quick test here, level_word_alone() the whole one. */
      char before = (const char *) start > line ? (char) start[-1] : ' ';
      char after = start + len < stop ? (char) start[len] : ' ';
      gboolean marked = before == '[' || before == '<' || before == '(' ||
                        before == '=' || before == '"' || before == '|' ||
                        after == ']' || after == ':' || after == '>' || after == '|';

      if (!marked)
        return FW_LEVEL_NONE;
    }

  return level_word_alone (line, start, len, all_upper, stop);
}

static FwLevel
scan_level_words_portable (const char *line,
                           const char *end)
{
  const guchar *p = (const guchar *) line;
  const guchar *stop;

  if (end - line > FW_LOG_LEVEL_SCAN_BYTES)
    end = line + FW_LOG_LEVEL_SCAN_BYTES;
  stop = (const guchar *) end;

  while (p < stop)
    {
      const guchar *start;
      gboolean all;
      gsize len;

      p = skip_to_letter (p, stop);
      if (p == stop)
        break;

      start = p;
      p = end_of_word (p, stop, &all);
      len = p - start;

      {
        FwLevel level = word_level (line, start, len, all, stop);

        if (level != FW_LEVEL_NONE)
          return level;
      }
    }

  return FW_LEVEL_NONE;
}

#if defined(__SSE2__) && defined(__SIZEOF_INT128__)
#include <emmintrin.h>

typedef unsigned __int128 ScanMask;
G_STATIC_ASSERT (FW_LOG_LEVEL_SCAN_BYTES > 64 && FW_LOG_LEVEL_SCAN_BYTES <= 128);

/* The letters and the capitals among @n (at most 16) bytes at @src, as bit masks */
static inline void
chunk_masks (const guchar *src,
             gsize         n,
             guint        *letters,
             guint        *upper)
{
  guchar tail[16] = { 0 };
  __m128i v, lower_v;

  /* Never a byte past the line: it is not NUL-terminated */
  if (n < 16)
    {
      memcpy (tail, src, n);
      src = tail;
    }
  v = _mm_loadu_si128 ((const __m128i *) (const void *) src);
  lower_v = _mm_or_si128 (v, _mm_set1_epi8 (0x20));
  /* Signed compares: bytes from 0x80 are negative, so never letters */
  *letters = (guint) _mm_movemask_epi8 (_mm_and_si128 (_mm_cmpgt_epi8 (lower_v, _mm_set1_epi8 ('a' - 1)),
                                                       _mm_cmplt_epi8 (lower_v, _mm_set1_epi8 ('z' + 1))));
  *upper = (guint) _mm_movemask_epi8 (_mm_and_si128 (_mm_cmpgt_epi8 (v, _mm_set1_epi8 ('A' - 1)),
                                                     _mm_cmplt_epi8 (v, _mm_set1_epi8 ('Z' + 1))));
}

/* The same scan, with the letters and capitals of the scanned bytes found 16 at a time as bit
 * masks and the words read off the masks: a line's timestamp and host cost a few
 * instructions instead of a loop a word. The first 64 bytes come first; the rest is looked
 * at only when no level was found in them (or a word runs past them). */
static FwLevel
scan_level_words (const char *line,
                  const char *end)
{
  const guchar *p = (const guchar *) line;
  gsize n = (gsize) MIN (end - line, FW_LOG_LEVEL_SCAN_BYTES);
  gsize n_low = MIN (n, 64);
  guint64 letters = 0, upper = 0, starts;
  ScanMask all_letters, all_upper, all_starts;

  for (gsize at = 0; at < n_low; at += 16)
    {
      guint l, u;

      chunk_masks (p + at, n_low - at, &l, &u);
      letters |= (guint64) l << at;
      upper |= (guint64) u << at;
    }
  if (n_low < 64)
    {
      letters &= (G_GUINT64_CONSTANT (1) << n_low) - 1;
      upper &= (G_GUINT64_CONSTANT (1) << n_low) - 1;
    }

  /* A word starts at a letter whose byte before is not one */
  starts = letters & ~(letters << 1);
  while (starts != 0)
    {
      guint start = (guint) __builtin_ctzll (starts);
      guint64 rest = ~(letters >> start);
      guint len = rest != 0 ? (guint) __builtin_ctzll (rest) : 64 - start;
      guint64 word;
      FwLevel level;

      /* A word reaching the 64th byte may go on past it: the full masks decide */
      if (start + len == 64 && n > 64)
        break;
      starts &= starts - 1;
      if (len < 3 || len > 11)
        continue;
      word = ((G_GUINT64_CONSTANT (1) << len) - 1) << start;
      level = word_level (line, p + start, len, (upper & word) == word, p + n);
      if (level != FW_LEVEL_NONE)
        return level;
    }
  if (n <= 64)
    return FW_LEVEL_NONE;

  /* Bytes 64 to n, and the words not yet looked at (from the one cut at byte 64, if any) */
  all_letters = letters;
  all_upper = upper;
  for (gsize at = 64; at < n; at += 16)
    {
      guint l, u;

      chunk_masks (p + at, n - at, &l, &u);
      all_letters |= (ScanMask) l << at;
      all_upper |= (ScanMask) u << at;
    }
  all_letters &= ((ScanMask) 1 << n) - 1;
  all_upper &= ((ScanMask) 1 << n) - 1;
  all_starts = all_letters & ~(all_letters << 1);
  /* Only starts not handled above: those from the first unhandled one on */
  if (starts != 0)
    all_starts &= ~(((ScanMask) 1 << __builtin_ctzll (starts)) - 1);
  else
    all_starts &= ~(((ScanMask) 1 << 64) - 1);

  while (all_starts != 0)
    {
      guint64 low = (guint64) all_starts;
      guint start = low != 0 ? (guint) __builtin_ctzll (low)
                             : 64 + (guint) __builtin_ctzll ((guint64) (all_starts >> 64));
      ScanMask rest = ~(all_letters >> start);
      guint64 rest_low = (guint64) rest;
      /* n < 128, so the bits past it are never letters: rest has a bit set */
      guint len = rest_low != 0 ? (guint) __builtin_ctzll (rest_low)
                                : 64 + (guint) __builtin_ctzll ((guint64) (rest >> 64));
      ScanMask word;
      FwLevel level;

      all_starts &= all_starts - 1;
      if (len < 3 || len > 11)
        continue;
      word = (((ScanMask) 1 << len) - 1) << start;
      level = word_level (line, p + start, len, (all_upper & word) == word, p + n);
      if (level != FW_LEVEL_NONE)
        return level;
    }

  return FW_LEVEL_NONE;
}

#else

#define scan_level_words scan_level_words_portable

#endif

typedef FwLevel (*ScanFunc) (const char *line,
                             const char *end);

static FwLevel
detect (const char *line,
        gsize       len,
        ScanFunc    scan)
{
  const char *p = line;
  const char *end = line + len;
  FwLevel level;

  while (p < end && (*p == ' ' || *p == '\t'))
    p++;
  if (p == end)
    return FW_LEVEL_NONE;

  if (*p == '<' && parse_syslog_priority (p, end, &level))
    return level;
  if (*p == '{' && parse_json_level (p, end, &level))
    return level;

  return scan (p, end);
}

/**
 * fw_log_level_detect:
 *
 * Returns: the line's level, or %FW_LEVEL_NONE when it names none
 */
FwLevel
fw_log_level_detect (const char *line,
                     gsize       len)
{
  return detect (line, len, scan_level_words);
}

/**
 * fw_log_level_detect_reference:
 *
 * fw_log_level_detect() with the plain word scan, a word at a time, which the fast scan must
 * agree with: for tests.
 */
FwLevel
fw_log_level_detect_reference (const char *line,
                               gsize       len)
{
  return detect (line, len, scan_level_words_portable);
}
