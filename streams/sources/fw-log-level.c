/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-log-level.c: the level of a log line, in the places logs put it:
 *
 *   <3>kernel: …                       syslog priority (severity = N & 7)
 *   {"level":"error", …}               JSON lines: level, severity, lvl, levelname, log.level
 *                                      (strings, or pino/bunyan numbers 10…60)
 *   2024-05-01 12:00:00 ERROR …        an upper-case level word near the start
 *   [warn] … / level=info / Error: …   a word in other case, when brackets, '=' or ':' mark it
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
          *level = level_from_number (g_ascii_strtod (v, NULL));
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

static inline gboolean
could_start_level_word (char c)
{
  switch (c | 0x20)
    {
    case 'a': case 'c': case 'd': case 'e': case 'f': case 'i': case 'n': case 'p':
    case 't': case 'w':
      return TRUE;
    default:
      return FALSE;
    }
}

static FwLevel
scan_level_words (const char *line,
                  const char *end)
{
  const char *p = line;

  if (end - line > FW_LOG_LEVEL_SCAN_BYTES)
    end = line + FW_LOG_LEVEL_SCAN_BYTES;

  while (p < end)
    {
      const char *start;
      gboolean upper = TRUE;
      gsize len;

      if (!g_ascii_isalpha (*p))
        {
          p++;
          continue;
        }

      start = p;
      while (p < end && g_ascii_isalpha (*p))
        {
          upper &= g_ascii_isupper (*p);
          p++;
        }
      len = p - start;

      if (len < 3 || len > 11 || !could_start_level_word (*start))
        continue;

      if (!upper)
        {
          /* "error" in a sentence is not a level; "[error]", "level=error", "Error:" are. */
          char before = start > line ? start[-1] : ' ';
          char after = p < end ? *p : ' ';
          gboolean marked = before == '[' || before == '<' || before == '(' ||
                            before == '=' || before == '"' || before == '|' ||
                            after == ']' || after == ':' || after == '>' || after == '|';

          if (!marked)
            continue;
        }

      {
        FwLevel level = match_level_word (start, len);

        if (level != FW_LEVEL_NONE)
          return level;
      }
    }

  return FW_LEVEL_NONE;
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

  return scan_level_words (p, end);
}
