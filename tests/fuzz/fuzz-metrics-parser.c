/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-metrics-parser.c: libFuzzer target for the Prometheus text parser. The input is a
 * /metrics body.
 *
 * Checked on every input: the count returned is the number of samples handed out, and samples
 * plus invalid lines never exceed the lines; each sample's name is a metric name, its series
 * is that name alone or followed by labels, valid UTF-8 (it becomes an item's name), and in
 * canonical form: parsed again as a line of its own it gives back the same name and series;
 * a timestamp is finite, a family type is one of the enum and only cumulative for counters,
 * histograms and summaries. A trailing newline changes nothing. test-fuzz-corpus replays the
 * corpus through this function in every build. */

#include "fw-metrics-parser.h"

#include <string.h>

#ifndef FW_FUZZ_ENTRY
#define FW_FUZZ_ENTRY LLVMFuzzerTestOneInput
#endif

static gboolean
is_metric_name (const char *name)
{
  if (!g_ascii_isalpha (name[0]) && name[0] != '_' && name[0] != ':')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '_' && *p != ':')
        return FALSE;
    }
  return TRUE;
}

typedef struct
{
  char    *name;
  char    *series;
  guint    n;
} Reparsed;

static void
on_reparsed (const FwMetricsSample *sample,
             gpointer               user_data)
{
  Reparsed *reparsed = user_data;

  if (reparsed->n++ == 0)
    {
      reparsed->name = g_strdup (sample->name);
      reparsed->series = g_strdup (sample->series);
    }
}

static void
record_sample (const FwMetricsSample *sample,
               gpointer               user_data)
{
  GString *log = user_data;
  gsize name_len = strlen (sample->name);

  if (!is_metric_name (sample->name))
    g_error ("“%s” is not a metric name", sample->name);
  if (strncmp (sample->series, sample->name, name_len) != 0 ||
      (sample->series[name_len] != '\0' &&
       (sample->series[name_len] != '{' || !g_str_has_suffix (sample->series, "}"))))
    g_error ("series “%s” is not its name “%s” with labels", sample->series, sample->name);
  if (!g_utf8_validate (sample->series, -1, NULL))
    g_error ("series is not valid UTF-8");
  if ((guint) sample->family_type > FW_METRIC_SUMMARY)
    g_error ("family type %d out of range", sample->family_type);
  if (sample->cumulative && sample->family_type != FW_METRIC_COUNTER &&
      sample->family_type != FW_METRIC_HISTOGRAM && sample->family_type != FW_METRIC_SUMMARY)
    g_error ("a %s series is not cumulative", fw_metric_type_to_string (sample->family_type));

  /* The canonical form is a fixed point: the series as a line parses back to itself. */
  {
    g_autofree char *line = g_strconcat (sample->series, " 1", NULL);
    Reparsed reparsed = { NULL, NULL, 0 };
    guint n_invalid = 0;
    guint n = fw_metrics_parse (line, strlen (line), on_reparsed, &reparsed, &n_invalid);

    if (n != 1 || reparsed.n != 1 || n_invalid != 0 ||
        strcmp (reparsed.name, sample->name) != 0 || strcmp (reparsed.series, sample->series) != 0)
      g_error ("series “%s” does not parse back to itself (got “%s”)", sample->series,
               reparsed.series != NULL ? reparsed.series : "nothing");
    g_free (reparsed.name);
    g_free (reparsed.series);
  }

  g_string_append_printf (log, "%s %s %d %d %.17g", sample->series, sample->name,
                          sample->family_type, sample->cumulative, sample->value);
  if (sample->has_timestamp)
    g_string_append_printf (log, " @%" G_GINT64_FORMAT, sample->timestamp_ms);
  g_string_append_c (log, '\n');
}

static char *
parse (const char *text,
       gsize       len,
       guint      *out_n_samples,
       guint      *out_n_invalid)
{
  GString *log = g_string_new (NULL);
  guint n_lines = 1;

  /* Exactly len bytes, on the heap: a read past the end is caught. */
  *out_n_samples = fw_metrics_parse (text, len, record_sample, log, out_n_invalid);

  for (gsize i = 0; i < len; i++)
    n_lines += text[i] == '\n';
  if (*out_n_samples + *out_n_invalid > n_lines)
    g_error ("%u samples and %u invalid lines out of %u lines", *out_n_samples, *out_n_invalid,
             n_lines);
  {
    guint n_records = 0;

    for (gsize i = 0; i < log->len; i++)
      n_records += log->str[i] == '\n';
    if (n_records != *out_n_samples)
      g_error ("%u samples returned, %u handed out", *out_n_samples, n_records);
  }

  return g_string_free (log, FALSE);
}

int FW_FUZZ_ENTRY (const guint8 *data,
                   size_t        size);

int
FW_FUZZ_ENTRY (const guint8 *data,
               size_t        size)
{
  g_autofree char *text = g_memdup2 (data, size);
  g_autofree char *with_newline = g_malloc (size + 1);
  g_autofree char *samples = NULL;
  g_autofree char *samples_newline = NULL;
  guint n_samples, n_invalid, n_samples_newline, n_invalid_newline;

  samples = parse (text, size, &n_samples, &n_invalid);

  memcpy (with_newline, data, size);
  with_newline[size] = '\n';
  samples_newline = parse (with_newline, size + 1, &n_samples_newline, &n_invalid_newline);

  if (strcmp (samples, samples_newline) != 0 || n_invalid != n_invalid_newline)
    g_error ("a trailing newline changed the samples");

  return 0;
}
