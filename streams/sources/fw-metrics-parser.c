/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-metrics-parser.c: see fw-metrics-parser.h. One pass over the text, line by line with
 * memchr; `# TYPE` lines fill a small table the samples of each family look up. */

#include "config.h"

#include "fw-metrics-parser.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

const char *
fw_metric_type_to_string (FwMetricType type)
{
  switch (type)
    {
    case FW_METRIC_COUNTER: return "counter";
    case FW_METRIC_GAUGE: return "gauge";
    case FW_METRIC_HISTOGRAM: return "histogram";
    case FW_METRIC_SUMMARY: return "summary";
    case FW_METRIC_UNTYPED:
    default: return "untyped";
    }
}

static FwMetricType
type_from_word (const char *word,
                gsize       len)
{
  static const struct { const char *word; FwMetricType type; } words[] = {
    { "counter", FW_METRIC_COUNTER }, { "gauge", FW_METRIC_GAUGE },
    { "histogram", FW_METRIC_HISTOGRAM }, { "summary", FW_METRIC_SUMMARY },
  };

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      if (strlen (words[i].word) == len && memcmp (words[i].word, word, len) == 0)
        return words[i].type;
    }
  return FW_METRIC_UNTYPED;
}

static inline gboolean
is_name_start (char c)
{
  return g_ascii_isalpha (c) || c == '_' || c == ':';
}

static inline gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == ':';
}

static const char *
skip_blanks (const char *p,
             const char *end)
{
  while (p < end && (*p == ' ' || *p == '\t'))
    p++;
  return p;
}

/* A name at p: returns its end, or NULL when there is none. */
static const char *
scan_name (const char *p,
           const char *end)
{
  if (p >= end || !is_name_start (*p))
    return NULL;
  while (p < end && is_name_char (*p))
    p++;
  return p;
}

static void
parse_comment (const char *p,
               const char *end,
               GHashTable *types)
{
  const char *name, *name_end, *word;

  p = skip_blanks (p + 1, end);
  if (end - p < 4 || memcmp (p, "TYPE", 4) != 0)
    return; /* HELP and free comments */
  p = skip_blanks (p + 4, end);
  name = p;
  name_end = scan_name (p, end);
  if (name_end == NULL)
    return;
  word = skip_blanks (name_end, end);
  while (end > word && (end[-1] == ' ' || end[-1] == '\t'))
    end--;
  g_hash_table_replace (types, g_strndup (name, name_end - name),
                        GINT_TO_POINTER (type_from_word (word, end - word)));
}

static FwMetricType
lookup_family (GHashTable  *types,
               const char  *name,
               gboolean    *cumulative)
{
  static const char * const suffixes[] = { "_bucket", "_count", "_sum", "_total", "_created" };
  gpointer value;
  gsize len = strlen (name);

  *cumulative = FALSE;
  if (g_hash_table_lookup_extended (types, name, NULL, &value))
    {
      FwMetricType type = GPOINTER_TO_INT (value);
      *cumulative = type == FW_METRIC_COUNTER;
      return type;
    }

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      gsize slen = strlen (suffixes[i]);
      g_autofree char *base = NULL;

      if (len <= slen || strcmp (name + len - slen, suffixes[i]) != 0)
        continue;
      base = g_strndup (name, len - slen);
      if (g_hash_table_lookup_extended (types, base, NULL, &value))
        {
          FwMetricType type = GPOINTER_TO_INT (value);
          *cumulative = type == FW_METRIC_COUNTER ||
                        ((type == FW_METRIC_HISTOGRAM || type == FW_METRIC_SUMMARY) && i < 3);
          return type;
        }
    }

  return FW_METRIC_UNTYPED;
}

/* `{a="x",b="y"}` into series (already holding the name), re-escaped canonically. Returns
 * the position after '}', or NULL when the labels are malformed. */
static const char *
parse_labels (const char *p,
              const char *end,
              GString    *series)
{
  gboolean first = TRUE;

  g_string_append_c (series, '{');
  p++;
  for (;;)
    {
      const char *lname, *lname_end;
      gsize value_start;

      p = skip_blanks (p, end);
      if (p < end && *p == '}')
        break;
      lname = p;
      lname_end = scan_name (p, end);
      if (lname_end == NULL)
        return NULL;
      p = skip_blanks (lname_end, end);
      if (p >= end || *p != '=')
        return NULL;
      p = skip_blanks (p + 1, end);
      if (p >= end || *p != '"')
        return NULL;
      p++;

      if (!first)
        g_string_append_c (series, ',');
      first = FALSE;
      g_string_append_len (series, lname, lname_end - lname);
      g_string_append (series, "=\"");
      value_start = series->len;
      while (p < end && *p != '"')
        {
          if (*p == '\\')
            {
              if (p + 1 >= end)
                return NULL;
              p++;
              if (*p == 'n')
                g_string_append (series, "\\n");
              else if (*p == '\\' || *p == '"')
                {
                  g_string_append_c (series, '\\');
                  g_string_append_c (series, *p);
                }
              else
                return NULL;
            }
          else
            g_string_append_c (series, *p);
          p++;
        }
      if (p >= end)
        return NULL;
      /* Label values are UTF-8 (and without NUL): the series becomes an item's name. */
      if (!g_utf8_validate_len (series->str + value_start, series->len - value_start, NULL))
        return NULL;
      g_string_append_c (series, '"');
      p = skip_blanks (p + 1, end);
      if (p < end && *p == ',')
        {
          p++;
          continue;
        }
      if (p < end && *p == '}')
        break;
      return NULL;
    }

  if (first)
    g_string_truncate (series, series->len - 1); /* `name{}` is just `name` */
  else
    g_string_append_c (series, '}');

  return p + 1;
}

static gboolean
parse_double (const char *p,
              const char *end,
              double     *out,
              const char **out_end)
{
  char buf[64];
  const char *tok_end = p;
  char *parsed_end;
  gsize n;

  while (tok_end < end && *tok_end != ' ' && *tok_end != '\t')
    tok_end++;
  n = tok_end - p;
  if (n == 0 || n >= sizeof buf)
    return FALSE;
  memcpy (buf, p, n);
  buf[n] = '\0';
  /* strtod would also take hex and "infinity"; the format's words are these few. */
  if (g_ascii_strcasecmp (buf, "nan") == 0)
    *out = NAN;
  else if (g_ascii_strcasecmp (buf, "+inf") == 0 || g_ascii_strcasecmp (buf, "inf") == 0)
    *out = INFINITY;
  else if (g_ascii_strcasecmp (buf, "-inf") == 0)
    *out = -INFINITY;
  else
    {
      if (strchr (buf, 'x') != NULL || strchr (buf, 'X') != NULL ||
          strchr (buf, 'n') != NULL || strchr (buf, 'N') != NULL)
        return FALSE;
      *out = g_ascii_strtod (buf, &parsed_end);
      if (parsed_end != buf + n)
        return FALSE;
    }
  *out_end = tok_end;
  return TRUE;
}

static gboolean
parse_sample (const char          *p,
              const char          *end,
              GHashTable          *types,
              GString             *name,
              GString             *series,
              FwMetricsSampleFunc  func,
              gpointer             user_data)
{
  const char *name_end = scan_name (p, end);
  FwMetricsSample sample = { 0 };
  double ts;

  if (name_end == NULL)
    return FALSE;

  g_string_truncate (name, 0);
  g_string_append_len (name, p, name_end - p);
  g_string_truncate (series, 0);
  g_string_append_len (series, p, name_end - p);

  p = skip_blanks (name_end, end);
  if (p < end && *p == '{')
    {
      p = parse_labels (p, end, series);
      if (p == NULL)
        return FALSE;
      p = skip_blanks (p, end);
    }
  if (p == name_end && p < end && *p != ' ' && *p != '\t')
    return FALSE;
  if (!parse_double (p, end, &sample.value, &p))
    return FALSE;
  p = skip_blanks (p, end);
  if (p < end)
    {
      /* Beyond gint64 (and for NaN and infinities) the cast below is undefined. */
      if (!parse_double (p, end, &ts, &p) || skip_blanks (p, end) != end ||
          !(ts > -9.2e18 && ts < 9.2e18))
        return FALSE;
      sample.has_timestamp = TRUE;
      sample.timestamp_ms = (gint64) ts;
    }

  sample.name = name->str;
  sample.series = series->str;
  sample.family_type = lookup_family (types, name->str, &sample.cumulative);
  func (&sample, user_data);

  return TRUE;
}

/**
 * fw_metrics_parse_full:
 * @text: the body of a `/metrics` response; need not be NUL-terminated
 * @func: called for each sample, in order
 * @out_dropped: (out) (optional): the lines that were neither comments nor samples, and why
 *
 * Returns: the number of samples
 */
guint
fw_metrics_parse_full (const char          *text,
                       gsize                len,
                       FwMetricsSampleFunc  func,
                       gpointer             user_data,
                       FwMetricsDropped    *out_dropped)
{
  g_autoptr(GHashTable) types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) name = g_string_new (NULL);
  g_autoptr(GString) series = g_string_new (NULL);
  const char *p = text;
  const char *text_end = len > 0 ? text + len : text; /* an empty body may be NULL */
  FwMetricsDropped dropped = { 0 };
  guint n_samples = 0;

  while (p < text_end)
    {
      const char *nl = memchr (p, '\n', text_end - p);
      const char *end = nl != NULL ? nl : text_end;
      const char *line = skip_blanks (p, end);

      if (end > line && end[-1] == '\r')
        end--;
      while (end > line && (end[-1] == ' ' || end[-1] == '\t'))
        end--;

      if (line == end)
        ;
      else if (*line == '#')
        parse_comment (line, end, types);
      else if (parse_sample (line, end, types, name, series, func, user_data))
        n_samples++;
      else
        {
          dropped.n_lines++;
          if (!g_utf8_validate_len (line, end - line, NULL))
            dropped.n_bad_utf8++;
        }

      p = nl != NULL ? nl + 1 : text_end;
    }

  if (out_dropped != NULL)
    *out_dropped = dropped;

  return n_samples;
}

/**
 * fw_metrics_parse:
 * @out_n_invalid: (out) (optional): lines that were neither comments nor samples
 *
 * fw_metrics_parse_full() when only the number of dropped lines matters.
 *
 * Returns: the number of samples
 */
guint
fw_metrics_parse (const char          *text,
                  gsize                len,
                  FwMetricsSampleFunc  func,
                  gpointer             user_data,
                  guint               *out_n_invalid)
{
  FwMetricsDropped dropped;
  guint n_samples = fw_metrics_parse_full (text, len, func, user_data, &dropped);

  if (out_n_invalid != NULL)
    *out_n_invalid = dropped.n_lines;
  return n_samples;
}

/**
 * fw_metrics_dropped_describe:
 *
 * Returns: (nullable): "dropped 3 lines: 1 not valid UTF-8, 2 not samples or comments in the
 *   Prometheus text format", or %NULL when nothing was dropped
 */
char *
fw_metrics_dropped_describe (const FwMetricsDropped *dropped)
{
  guint n_bad_utf8 = MIN (dropped->n_bad_utf8, dropped->n_lines);
  guint n_other = dropped->n_lines - n_bad_utf8;

  if (dropped->n_lines == 0)
    return NULL;

  /* Whole sentences, one for each mix of reasons, so that each can be translated */
  if (n_other == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "dropped %u line of this scrape: %u not valid UTF-8; "
                                         "the endpoint's exporter produced it, so fix it there",
                                         "dropped %u lines of this scrape: %u not valid UTF-8; "
                                         "the endpoint's exporter produced them, so fix it there",
                                         dropped->n_lines),
                            dropped->n_lines, n_bad_utf8);
  if (n_bad_utf8 == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "dropped %u line of this scrape: %u not a sample or "
                                         "comment in the Prometheus text format; the endpoint's "
                                         "exporter produced it, so fix it there",
                                         "dropped %u lines of this scrape: %u not samples or "
                                         "comments in the Prometheus text format; the "
                                         "endpoint's exporter produced them, so fix it there",
                                         dropped->n_lines),
                            dropped->n_lines, n_other);
  /* TRANSLATORS: the lines dropped in all (two or more), those not valid UTF-8, and the others;
   * the plural follows the others */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "dropped %u lines of this scrape: %u not valid UTF-8, %u "
                                       "not a sample or comment in the Prometheus text format; "
                                       "the endpoint's exporter produced them, so fix it there",
                                       "dropped %u lines of this scrape: %u not valid UTF-8, %u "
                                       "not samples or comments in the Prometheus text format; "
                                       "the endpoint's exporter produced them, so fix it there",
                                       n_other),
                          dropped->n_lines, n_bad_utf8, n_other);
}
