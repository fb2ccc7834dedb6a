/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-item-parse.c: one JSON Lines record, as fw_item_append_json() writes it, back into an
 * item, every field as it was: a recording replays what the feeds said, not an approximation.
 *
 * Written by hand for the same reason the writer is: json-glib would build a node tree per
 * line, and a replay at full speed reads millions of lines. Records from elsewhere (a `.jsonl`
 * edited by hand) may carry members Feedwatch does not write: they are skipped; invalid UTF-8
 * in a string becomes U+FFFD, as a log file's does; a lone UTF-16 surrogate escape too. */

#include "config.h"

#include "fw-item-parse.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/**
 * fw_item_parse_error_quark:
 *
 * The error domain of `--print` records that are not items.
 *
 * Returns: the error domain of records that are not items (%FW_ITEM_PARSE_ERROR)
 */
G_DEFINE_QUARK (fw-item-parse-error-quark, fw_item_parse_error)

/* Strings repeat from record to record (the feed, a sensor's name, its unit): the last few of
 * each are kept (a recording interleaves its feeds), so a record costs a comparison for them
 * rather than an allocation. */
#define LAST_STRINGS 8

typedef struct
{
  char  *bytes;  /* the JSON text as written, escapes and all */
  gsize  len;
  char  *value;  /* GRefString (feed, name) or interned (unit) */
} LastString;

typedef struct
{
  LastString entries[LAST_STRINGS];
  guint      next;   /* the entry replaced next */
} LastStrings;

struct _FwItemParser
{
  LastStrings feed;
  LastStrings name;
  LastStrings unit;
  GString    *scratch;
  GString    *text;
};

typedef struct
{
  const char *p;
  const char *end;
  const char *problem;
} Cursor;

/**
 * fw_item_parser_new: (skip)
 * Makes a parser, to read many records one after the other.
 *
 * Returns: (transfer full): a parser of `--print` lines, for C callers
 */
FwItemParser *
fw_item_parser_new (void)
{
  FwItemParser *parser = g_new0 (FwItemParser, 1);

  parser->scratch = g_string_sized_new (256);
  parser->text = g_string_sized_new (256);
  return parser;
}

/**
 * fw_item_parser_free: (skip)
 * @parser: (nullable) (transfer full): a parser
 *
 * Frees @parser; the items it made are not affected.
 */
void
fw_item_parser_free (FwItemParser *parser)
{
  if (parser == NULL)
    return;
  for (guint i = 0; i < LAST_STRINGS; i++)
    {
      g_free (parser->feed.entries[i].bytes);
      g_clear_pointer (&parser->feed.entries[i].value, g_ref_string_release);
      g_free (parser->name.entries[i].bytes);
      g_clear_pointer (&parser->name.entries[i].value, g_ref_string_release);
      g_free (parser->unit.entries[i].bytes);
    }
  g_string_free (parser->scratch, TRUE);
  g_string_free (parser->text, TRUE);
  g_free (parser);
}

static inline void
skip_space (Cursor *c)
{
  while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\r' || *c->p == '\n'))
    c->p++;
}

/* @problem is marked with N_() and translated only when the line is refused */
static gboolean
fail (Cursor     *c,
      const char *problem)
{
  if (c->problem == NULL)
    c->problem = problem;
  return FALSE;
}

static void
append_utf8 (GString  *out,
             gunichar  ch)
{
  char buf[6];

  g_string_append_len (out, buf, g_unichar_to_utf8 (ch, buf));
}

static int
hex4 (const char *p)
{
  int v = 0;

  for (int i = 0; i < 4; i++)
    {
      int d = g_ascii_xdigit_value (p[i]);
      if (d < 0)
        return -1;
      v = v * 16 + d;
    }
  return v;
}

/* Appends @len bytes to @out with every invalid UTF-8 sequence replaced by U+FFFD */
static void
append_valid_utf8 (GString    *out,
                   const char *text,
                   gsize       len)
{
  while (len > 0)
    {
      gsize ok = fw_utf8_valid_prefix ((const guint8 *) text, len);

      g_string_append_len (out, text, ok);
      if (ok == len)
        return;
      g_string_append (out, "\xEF\xBF\xBD");
      text += ok + 1;
      len -= ok + 1;
    }
}

/* A JSON string at the cursor (on its opening quote). Its raw span (between the quotes) goes to
 * @raw; its value is decoded into @out only when it has escapes or invalid UTF-8, else
 * *@value points into the line. */
static gboolean
read_string (Cursor      *c,
             GString     *out,
             const char **value,
             gsize       *value_len,
             const char **raw,
             gsize       *raw_len)
{
  const char *start, *q;
  gboolean escaped = FALSE;

  if (c->p >= c->end || *c->p != '"')
    return fail (c, N_("a string was expected"));
  start = ++c->p;
  for (;;)
    {
      q = memchr (c->p, '"', c->end - c->p);
      if (q == NULL)
        return fail (c, N_("a string does not end"));
      /* An escaped quote has an odd run of backslashes before it */
      {
        const char *b = q;
        gsize n = 0;

        while (b > start && b[-1] == '\\')
          {
            b--;
            n++;
          }
        if (n > 0)
          escaped = TRUE;
        if (n % 2 == 0)
          break;
      }
      c->p = q + 1;
    }
  if (!escaped)
    escaped = memchr (start, '\\', q - start) != NULL;
  c->p = q + 1;
  if (raw != NULL)
    {
      *raw = start;
      *raw_len = q - start;
    }

  if (!escaped)
    {
      gsize len = q - start;

      if (G_LIKELY (fw_utf8_valid_prefix ((const guint8 *) start, len) == len))
        {
          *value = start;
          *value_len = len;
          return TRUE;
        }
      g_string_truncate (out, 0);
      append_valid_utf8 (out, start, len);
      *value = out->str;
      *value_len = out->len;
      return TRUE;
    }

  g_string_truncate (out, 0);
  for (const char *s = start; s < q;)
    {
      const char *bs = memchr (s, '\\', q - s);

      if (bs == NULL)
        bs = q;
      append_valid_utf8 (out, s, bs - s);
      if (bs == q)
        break;
      if (bs + 1 >= q)
        return fail (c, N_("a string ends in a backslash"));
      switch (bs[1])
        {
        case '"': g_string_append_c (out, '"'); s = bs + 2; break;
        case '\\': g_string_append_c (out, '\\'); s = bs + 2; break;
        case '/': g_string_append_c (out, '/'); s = bs + 2; break;
        case 'b': g_string_append_c (out, '\b'); s = bs + 2; break;
        case 'f': g_string_append_c (out, '\f'); s = bs + 2; break;
        case 'n': g_string_append_c (out, '\n'); s = bs + 2; break;
        case 'r': g_string_append_c (out, '\r'); s = bs + 2; break;
        case 't': g_string_append_c (out, '\t'); s = bs + 2; break;
        case 'u':
          {
            int u;

            if (q - bs < 6 || (u = hex4 (bs + 2)) < 0)
              return fail (c, N_("a \\u escape is not four hex digits"));
            s = bs + 6;
            if (u >= 0xD800 && u <= 0xDBFF && q - s >= 6 && s[0] == '\\' && s[1] == 'u')
              {
                int lo = hex4 (s + 2);

                if (lo >= 0xDC00 && lo <= 0xDFFF)
                  {
                    append_utf8 (out, 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00));
                    s += 6;
                    break;
                  }
              }
            /* A lone surrogate is no character: U+FFFD, as for invalid UTF-8 */
            append_utf8 (out, (u >= 0xD800 && u <= 0xDFFF) ? 0xFFFD : (gunichar) u);
          }
          break;
        default:
          return fail (c, N_("a string has an unknown escape"));
        }
    }
  *value = out->str;
  *value_len = out->len;
  return TRUE;
}

/* The span of a JSON number, or "null", "true", "false" */
static gboolean
read_word (Cursor      *c,
           const char **word,
           gsize       *len)
{
  const char *s = c->p;

  while (c->p < c->end && (g_ascii_isalnum (*c->p) || *c->p == '-' || *c->p == '+' ||
                           *c->p == '.'))
    c->p++;
  if (c->p == s)
    return fail (c, N_("a value was expected"));
  *word = s;
  *len = c->p - s;
  return TRUE;
}

static gboolean
word_to_double (const char *word,
                gsize       len,
                double     *value)
{
  char buf[64];
  char *end;

  if (len >= sizeof buf)
    return FALSE;
  memcpy (buf, word, len);
  buf[len] = '\0';
  *value = g_ascii_strtod (buf, &end);
  return end == buf + len;
}

static gboolean skip_value (Cursor *c, guint depth);

/* Past a string whose value is not wanted (the cursor on its opening quote) */
static gboolean
skip_string (Cursor *c)
{
  const char *start = c->p + 1;

  for (const char *q = start;; q++)
    {
      gsize n = 0;

      q = memchr (q, '"', c->end - q);
      if (q == NULL)
        return fail (c, N_("a string does not end"));
      while (q - n > start && q[-(gssize) n - 1] == '\\')
        n++;
      if (n % 2 == 0)
        {
          c->p = q + 1;
          return TRUE;
        }
    }
}

static gboolean
skip_container (Cursor *c,
                guint   depth)
{
  char close = *c->p == '{' ? '}' : ']';
  gboolean object = close == '}';

  if (depth > 64)
    return fail (c, N_("values are nested too deep"));
  c->p++;
  skip_space (c);
  if (c->p < c->end && *c->p == close)
    {
      c->p++;
      return TRUE;
    }
  for (;;)
    {
      skip_space (c);
      if (object)
        {
          if (c->p >= c->end || *c->p != '"' || !skip_string (c))
            return fail (c, N_("a member's name was expected"));
          skip_space (c);
          if (c->p >= c->end || *c->p != ':')
            return fail (c, N_("a ':' was expected"));
          c->p++;
        }
      if (!skip_value (c, depth + 1))
        return FALSE;
      skip_space (c);
      if (c->p < c->end && *c->p == ',')
        {
          c->p++;
          continue;
        }
      if (c->p < c->end && *c->p == close)
        {
          c->p++;
          return TRUE;
        }
      return fail (c, N_("a ',' or the container's end was expected"));
    }
}

static gboolean
skip_value (Cursor *c,
            guint   depth)
{
  const char *w;
  gsize wl;

  skip_space (c);
  if (c->p >= c->end)
    return fail (c, N_("a value was expected"));
  if (*c->p == '{' || *c->p == '[')
    return skip_container (c, depth);
  if (*c->p == '"')
    return skip_string (c);
  return read_word (c, &w, &wl);
}

/* Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil) */
static gint64
days_from_civil (gint64 y,
                 guint  m,
                 guint  d)
{
  gint64 era;
  guint yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = (guint) (y - era * 400);
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (gint64) doe - 719468;
}

static gboolean
digits (const char *p,
        guint       n,
        guint      *out)
{
  guint v = 0;

  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (p[i]))
        return FALSE;
      v = v * 10 + (p[i] - '0');
    }
  *out = v;
  return TRUE;
}

/**
 * fw_parse_rfc3339_utc:
 * @text: (array length=len) (element-type gchar): an RFC 3339 time,
 *   `2026-11-22T02:03:06.402511Z` as Feedwatch writes it, or with another offset or precision
 * @len: the length of @text in bytes
 * @time_us: (out): the time, µs since the epoch
 *
 * Reads the times of `--print` records (and of other RFC 3339 texts). Not NUL-terminated: @text
 * may be a part of a line.
 *
 * Returns: %TRUE with *@time_us set when @text is such a time
 */
gboolean
fw_parse_rfc3339_utc (const char *text,
                      gsize       len,
                      gint64     *time_us)
{
  /* Records come many to a second: the date and time to the second are kept, per thread, two
   * of them (an item's time, and the time its source wrote) */
  static _Thread_local char cached[2][19];
  static _Thread_local gint64 cached_secs[2] = { G_MININT64, G_MININT64 };
  static _Thread_local guint replace;
  guint y, mo, d, h, mi, s, frac = 0;
  gsize i = 19;
  guint frac_digits = 0;
  gint64 offset_s = 0, secs;

  if (len >= 20 && cached_secs[0] != G_MININT64 && memcmp (text, cached[0], 19) == 0)
    secs = cached_secs[0];
  else if (len >= 20 && cached_secs[1] != G_MININT64 && memcmp (text, cached[1], 19) == 0)
    secs = cached_secs[1];
  else if (len < 20 || !digits (text, 4, &y) || text[4] != '-' || !digits (text + 5, 2, &mo) ||
      text[7] != '-' || !digits (text + 8, 2, &d) || (text[10] != 'T' && text[10] != 't' &&
      text[10] != ' ') || !digits (text + 11, 2, &h) || text[13] != ':' ||
      !digits (text + 14, 2, &mi) || text[16] != ':' || !digits (text + 17, 2, &s))
    return FALSE;
  else if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
    return FALSE;
  else
    {
      secs = days_from_civil (y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
      memcpy (cached[replace], text, 19);
      cached_secs[replace] = secs;
      replace ^= 1;
    }
  if (text[i] == '.')
    {
      for (i++; i < len && g_ascii_isdigit (text[i]); i++)
        {
          if (frac_digits < 6)
            {
              frac = frac * 10 + (text[i] - '0');
              frac_digits++;
            }
        }
      if (frac_digits == 0)
        return FALSE;
      for (; frac_digits < 6; frac_digits++)
        frac *= 10;
    }
  if (i + 1 == len && (text[i] == 'Z' || text[i] == 'z'))
    offset_s = 0;
  else if (i + 6 == len && (text[i] == '+' || text[i] == '-') && text[i + 3] == ':')
    {
      guint oh, om;

      if (!digits (text + i + 1, 2, &oh) || !digits (text + i + 4, 2, &om))
        return FALSE;
      offset_s = (gint64) (oh * 3600 + om * 60) * (text[i] == '-' ? -1 : 1);
    }
  else
    return FALSE;

  *time_us = (secs - offset_s) * G_USEC_PER_SEC + frac;
  return TRUE;
}

/* A string member whose value repeats: kept as a GRefString (or interned) while it does */
static const char *
last_string (LastStrings *lasts,
             const char  *raw,
             gsize        raw_len,
             const char  *value,
             gsize        value_len,
             gboolean     intern)
{
  g_autofree char *copy = NULL;
  LastString *last;

  for (guint i = 0; i < LAST_STRINGS; i++)
    {
      last = &lasts->entries[i];
      if (last->value != NULL && last->len == raw_len && memcmp (last->bytes, raw, raw_len) == 0)
        return last->value;
    }

  last = &lasts->entries[lasts->next];
  lasts->next = (lasts->next + 1) % LAST_STRINGS;
  g_free (last->bytes);
  last->bytes = g_memdup2 (raw, raw_len);
  last->len = raw_len;
  copy = g_strndup (value, value_len);
  if (!intern)
    {
      g_clear_pointer (&last->value, g_ref_string_release);
      last->value = g_ref_string_new (copy);
    }
  else
    last->value = (char *) g_intern_string (copy);
  return last->value;
}

/* A field's string: GVariant strings hold no U+0000, which a foreign record's \u0000 may
 * ask for; it becomes U+FFFD there (the writer never writes one in a field) */
static GVariant *
new_field_string (const char *s,
                  gsize       n)
{
  GString *copy;

  if (memchr (s, '\0', n) == NULL)
    {
      g_autofree char *plain = g_strndup (s, n);
      return g_variant_new_string (plain);
    }
  copy = g_string_sized_new (n + 8);
  for (gsize i = 0; i < n; i++)
    {
      if (s[i] == '\0')
        g_string_append (copy, "\xEF\xBF\xBD");
      else
        g_string_append_c (copy, s[i]);
    }
  return g_variant_new_take_string (g_string_free (copy, FALSE));
}

/* "fields": an object of strings, numbers and booleans; an object or list inside is kept as
 * its JSON text, as the JSON sources keep them */
static gboolean
read_fields (Cursor          *c,
             FwItemParser    *parser,
             GVariantBuilder *builder)
{
  c->p++;
  skip_space (c);
  if (c->p < c->end && *c->p == '}')
    {
      c->p++;
      return TRUE;
    }
  for (;;)
    {
      g_autofree char *key = NULL;
      const char *v, *r;
      gsize vl, rl;
      GVariant *value;

      skip_space (c);
      if (!read_string (c, parser->scratch, &v, &vl, &r, &rl))
        return FALSE;
      key = g_strndup (v, vl);
      skip_space (c);
      if (c->p >= c->end || *c->p != ':')
        return fail (c, N_("a ':' was expected"));
      c->p++;
      skip_space (c);
      if (c->p >= c->end)
        return fail (c, N_("a value was expected"));
      if (*c->p == '"')
        {
          if (!read_string (c, parser->scratch, &v, &vl, &r, &rl))
            return FALSE;
          value = new_field_string (v, vl);
        }
      else if (*c->p == '{' || *c->p == '[')
        {
          const char *start = c->p;

          if (!skip_value (c, 1))
            return FALSE;
          value = new_field_string (start, c->p - start);
        }
      else
        {
          const char *w;
          gsize wl;

          if (!read_word (c, &w, &wl))
            return FALSE;
          if (wl == 4 && memcmp (w, "true", 4) == 0)
            value = g_variant_new_boolean (TRUE);
          else if (wl == 5 && memcmp (w, "false", 5) == 0)
            value = g_variant_new_boolean (FALSE);
          else if (wl == 4 && memcmp (w, "null", 4) == 0)
            value = NULL;
          else
            {
              double d;

              if (!word_to_double (w, wl, &d))
                return fail (c, N_("a field's value is not a number"));
              if (memchr (w, '.', wl) == NULL && memchr (w, 'e', wl) == NULL &&
                  memchr (w, 'E', wl) == NULL && d >= -9.2e18 && d <= 9.2e18)
                value = g_variant_new_int64 (g_ascii_strtoll (w, NULL, 10));
              else
                value = g_variant_new_double (d);
            }
        }
      if (value != NULL)
        g_variant_builder_add (builder, "{sv}", key, value);
      skip_space (c);
      if (c->p < c->end && *c->p == ',')
        {
          c->p++;
          continue;
        }
      if (c->p < c->end && *c->p == '}')
        {
          c->p++;
          return TRUE;
        }
      return fail (c, N_("a ',' or '}' was expected in fields"));
    }
}

static FwItemKind
kind_from_word (const char *w,
                gsize       n,
                gboolean   *ok)
{
  static const char *const kinds[] = { "line", "reading", "event", "message", "status" };

  *ok = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (strlen (kinds[i]) == n && memcmp (kinds[i], w, n) == 0)
      return (FwItemKind) i;
  *ok = FALSE;
  return FW_ITEM_MESSAGE;
}

#define KEY_IS(k, kl, lit) ((kl) == sizeof (lit) - 1 && memcmp ((k), lit, sizeof (lit) - 1) == 0)

/**
 * fw_item_parser_parse: (skip)
 * @parser: a parser
 * @line: (array length=len) (element-type gchar): one record, without its newline
 * @len: the length of @line in bytes
 * @error: where to put why @line is not a record
 *
 * Reads one `--print` record back into the item it was written from (fw_item_append_json()).
 *
 * Returns: (transfer full) (nullable): the item the record says, or %NULL with @error set when
 *   @line is not one
 */
FwItem *
fw_item_parser_parse (FwItemParser  *parser,
                      const char    *line,
                      gsize          len,
                      GError       **error)
{
  Cursor c = { line, line + len, NULL };
  const char *feed = NULL, *name = NULL, *unit = NULL;
  g_autofree char *id = NULL;
  const char *text = "";
  gsize text_len = 0;
  gint64 time_us = 0, source_time_us = 0;
  gboolean has_time = FALSE, has_value = FALSE;
  double value = 0;
  FwItemKind kind = FW_ITEM_MESSAGE;
  FwLevel level = FW_LEVEL_NONE;
  FwItemFlags flags = 0;
  GVariantBuilder fields;
  gboolean has_fields = FALSE;
  g_autofree guint8 *data = NULL;
  gsize data_len = 0;
  FwItem *item;

  skip_space (&c);
  if (c.p >= c.end || *c.p != '{')
    {
      g_set_error_literal (error, FW_ITEM_PARSE_ERROR, FW_ITEM_PARSE_ERROR_INVALID,
                           _("the line is not a JSON object"));
      return NULL;
    }
  c.p++;
  skip_space (&c);
  if (c.p < c.end && *c.p == '}')
    c.p++;
  else
    for (;;)
      {
        const char *key, *v, *r, *kraw;
        gsize kl, vl, rl, krl;
        char keybuf[16];

        skip_space (&c);
        if (!read_string (&c, parser->scratch, &key, &kl, &kraw, &krl))
          goto invalid;
        /* Keys are short and plain: keep one beside the line rather than in scratch */
        if (kl < sizeof keybuf)
          {
            memcpy (keybuf, key, kl);
            key = keybuf;
          }
        else
          kl = 0, key = "";
        skip_space (&c);
        if (c.p >= c.end || *c.p != ':')
          {
            fail (&c, N_("a ':' was expected"));
            goto invalid;
          }
        c.p++;
        skip_space (&c);

        if (KEY_IS (key, kl, "text"))
          {
            if (!read_string (&c, parser->text, &text, &text_len, &r, &rl))
              goto invalid;
          }
        else if (KEY_IS (key, kl, "feed") || KEY_IS (key, kl, "name") || KEY_IS (key, kl, "type") ||
                 KEY_IS (key, kl, "unit"))
          {
            LastStrings *last = key[0] == 'f' ? &parser->feed
                               : key[0] == 'u' ? &parser->unit : &parser->name;

            if (!read_string (&c, parser->scratch, &v, &vl, &r, &rl))
              goto invalid;
            v = last_string (last, r, rl, v, vl, key[0] == 'u');
            if (key[0] == 'f')
              feed = v;
            else if (key[0] == 'u')
              unit = v;
            else
              name = v;
          }
        else if (KEY_IS (key, kl, "time") || KEY_IS (key, kl, "source_time"))
          {
            gint64 t;

            if (!read_string (&c, parser->scratch, &v, &vl, &r, &rl))
              goto invalid;
            if (!fw_parse_rfc3339_utc (v, vl, &t))
              {
                fail (&c, N_("a time is not an RFC 3339 time"));
                goto invalid;
              }
            if (key[0] == 't')
              {
                time_us = t;
                has_time = TRUE;
              }
            else
              source_time_us = t;
          }
        else if (KEY_IS (key, kl, "kind"))
          {
            gboolean ok;

            if (!read_string (&c, parser->scratch, &v, &vl, &r, &rl))
              goto invalid;
            kind = kind_from_word (v, vl, &ok);
            if (!ok)
              {
                fail (&c, N_("the kind is not one Feedwatch knows"));
                goto invalid;
              }
          }
        else if (KEY_IS (key, kl, "id"))
          {
            if (!read_string (&c, parser->scratch, &v, &vl, &r, &rl))
              goto invalid;
            g_free (id);
            id = g_strndup (v, vl);
          }
        else if (KEY_IS (key, kl, "level"))
          {
            if (!read_string (&c, parser->scratch, &v, &vl, &r, &rl))
              goto invalid;
            level = fw_level_from_string (v, vl);
          }
        else if (KEY_IS (key, kl, "value"))
          {
            const char *w;
            gsize wl;

            if (!read_word (&c, &w, &wl))
              goto invalid;
            has_value = TRUE;
            if (wl == 4 && memcmp (w, "null", 4) == 0)
              value = NAN;
            else if (!word_to_double (w, wl, &value))
              {
                fail (&c, N_("the value is not a number"));
                goto invalid;
              }
          }
        else if (KEY_IS (key, kl, "truncated"))
          {
            const char *w;
            gsize wl;

            if (!read_word (&c, &w, &wl))
              goto invalid;
            if (wl == 4 && memcmp (w, "true", 4) == 0)
              flags |= FW_ITEM_FLAG_TRUNCATED;
          }
        else if (KEY_IS (key, kl, "stream"))
          {
            if (!read_string (&c, parser->scratch, &v, &vl, &r, &rl))
              goto invalid;
            if (vl == 6 && memcmp (v, "stderr", 6) == 0)
              flags |= FW_ITEM_FLAG_STDERR;
            else if (vl == 8 && memcmp (v, "terminal", 8) == 0)
              flags |= FW_ITEM_FLAG_TERMINAL;
          }
        else if (KEY_IS (key, kl, "fields") && c.p < c.end && *c.p == '{')
          {
            if (!has_fields)
              g_variant_builder_init (&fields, G_VARIANT_TYPE_VARDICT);
            has_fields = TRUE;
            if (!read_fields (&c, parser, &fields))
              goto invalid;
          }
        else if (KEY_IS (key, kl, "data"))
          {
            int state = 0;
            guint save = 0;

            if (!read_string (&c, parser->scratch, &v, &vl, &r, &rl))
              goto invalid;
            g_free (data);
            data = g_malloc (vl / 4 * 3 + 3);
            data_len = g_base64_decode_step (v, vl, data, &state, &save);
            flags |= FW_ITEM_FLAG_BINARY;
          }
        else if (!skip_value (&c, 0))
          goto invalid;

        skip_space (&c);
        if (c.p < c.end && *c.p == ',')
          {
            c.p++;
            continue;
          }
        if (c.p < c.end && *c.p == '}')
          {
            c.p++;
            break;
          }
        fail (&c, N_("a ',' or '}' was expected"));
        goto invalid;
      }

  skip_space (&c);
  if (c.p != c.end)
    {
      fail (&c, N_("something follows the object"));
      goto invalid;
    }
  if (!has_time)
    {
      fail (&c, N_("it has no “time”"));
      goto invalid;
    }

  /* The feed is usually the one kept: its GRefString is shared */
  item = fw_item_new (kind, (GRefString *) feed, time_us, text, (gssize) text_len);
  item->source_time_us = source_time_us;
  item->level = level;
  if (name != NULL)
    fw_item_set_name_ref (item, (GRefString *) name);
  if (unit != NULL)
    item->unit = unit;
  if (id != NULL)
    item->id = g_steal_pointer (&id);
  if (has_value)
    fw_item_set_value (item, value);
  item->flags |= flags;
  if (data != NULL)
    {
      if (!has_fields)
        g_variant_builder_init (&fields, G_VARIANT_TYPE_VARDICT);
      has_fields = TRUE;
      guint8 *bytes = g_steal_pointer (&data);

      g_variant_builder_add (&fields, "{sv}", "data",
                             g_variant_new_from_data (G_VARIANT_TYPE_BYTESTRING, bytes, data_len,
                                                      TRUE, g_free, bytes));
    }
  if (has_fields)
    fw_item_take_fields (item, g_variant_builder_end (&fields));
  return item;

invalid:
  if (has_fields)
    g_variant_builder_clear (&fields);
  g_set_error (error, FW_ITEM_PARSE_ERROR, FW_ITEM_PARSE_ERROR_INVALID,
               _("the line is not a Feedwatch record: %s at byte %zu"),
               c.problem != NULL ? _(c.problem) : _("it is not valid JSON"),
               (gsize) (c.p - line));
  return NULL;
}
