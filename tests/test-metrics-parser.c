/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-metrics-parser.c: the Prometheus text format: types, labels and their escapes,
 * histograms, special values, timestamps, and bad lines counted, not fatal. */

#include "fw-test-util.h"

#include "sources/fw-metrics-parser.h"

#include <math.h>
#include <string.h>

typedef struct
{
  char         *series;
  char         *name;
  double        value;
  FwMetricType  type;
  gboolean      cumulative;
  gboolean      has_timestamp;
  gint64        timestamp_ms;
} Sample;

static void
sample_free (gpointer data)
{
  Sample *s = data;

  g_free (s->series);
  g_free (s->name);
  g_free (s);
}

static void
collect (const FwMetricsSample *sample,
         gpointer               user_data)
{
  Sample *s = g_new0 (Sample, 1);

  s->series = g_strdup (sample->series);
  s->name = g_strdup (sample->name);
  s->value = sample->value;
  s->type = sample->family_type;
  s->cumulative = sample->cumulative;
  s->has_timestamp = sample->has_timestamp;
  s->timestamp_ms = sample->timestamp_ms;
  g_ptr_array_add (user_data, s);
}

static GPtrArray *
parse (const char *text,
       guint      *n_invalid)
{
  GPtrArray *samples = g_ptr_array_new_with_free_func (sample_free);
  guint n = fw_metrics_parse (text, strlen (text), collect, samples, n_invalid);

  g_assert_cmpuint (n, ==, samples->len);
  return samples;
}

static Sample *
find (GPtrArray  *samples,
      const char *series)
{
  for (guint i = 0; i < samples->len; i++)
    {
      Sample *s = g_ptr_array_index (samples, i);
      if (g_str_equal (s->series, series))
        return s;
    }
  g_error ("no series %s", series);
  return NULL;
}

static void
test_counters_and_gauges (void)
{
  const char *text =
    "# HELP http_requests_total The total number of HTTP requests.\n"
    "# TYPE http_requests_total counter\n"
    "http_requests_total{method=\"post\",code=\"200\"} 1027 1395066363000\n"
    "http_requests_total{method=\"post\",code=\"400\"}    3 1395066363000\n"
    "\n"
    "# TYPE temperature gauge\n"
    "temperature 21.5\n"
    "untyped_thing{} 7\r\n"
    "# A free comment\n"
    "metric_without_timestamp_and_labels 12.47\n";
  guint n_invalid = 99;
  g_autoptr(GPtrArray) samples = parse (text, &n_invalid);
  Sample *s;

  g_assert_cmpuint (n_invalid, ==, 0);
  g_assert_cmpuint (samples->len, ==, 5);

  s = find (samples, "http_requests_total{method=\"post\",code=\"200\"}");
  g_assert_cmpstr (s->name, ==, "http_requests_total");
  g_assert_cmpfloat (s->value, ==, 1027);
  g_assert_cmpint (s->type, ==, FW_METRIC_COUNTER);
  g_assert_true (s->cumulative);
  g_assert_true (s->has_timestamp);
  g_assert_cmpint (s->timestamp_ms, ==, 1395066363000);

  s = find (samples, "temperature");
  g_assert_cmpint (s->type, ==, FW_METRIC_GAUGE);
  g_assert_false (s->cumulative);
  g_assert_false (s->has_timestamp);
  g_assert_cmpfloat (s->value, ==, 21.5);

  s = find (samples, "untyped_thing");
  g_assert_cmpint (s->type, ==, FW_METRIC_UNTYPED);
  g_assert_false (s->cumulative);
}

static void
test_label_escapes (void)
{
  const char *text =
    "msdos_file_access_time_seconds{path=\"C:\\\\DIR\\\\FILE.TXT\",error=\"Cannot find file:\\n\\\"FILE.TXT\\\"\"} 1.458255915e9\n"
    "trailing_comma{a=\"1\",} 2\n"
    "spaces { a = \"x y\" , b=\"}\" } 3\n";
  guint n_invalid = 99;
  g_autoptr(GPtrArray) samples = parse (text, &n_invalid);

  g_assert_cmpuint (n_invalid, ==, 0);
  g_assert_cmpfloat (find (samples, "msdos_file_access_time_seconds{path=\"C:\\\\DIR\\\\FILE.TXT\","
                                    "error=\"Cannot find file:\\n\\\"FILE.TXT\\\"\"}")->value,
                     ==, 1.458255915e9);
  g_assert_cmpfloat (find (samples, "trailing_comma{a=\"1\"}")->value, ==, 2);
  g_assert_cmpfloat (find (samples, "spaces{a=\"x y\",b=\"}\"}")->value, ==, 3);
}

static void
test_histogram (void)
{
  const char *text =
    "# HELP http_request_duration_seconds A histogram of the request duration.\n"
    "# TYPE http_request_duration_seconds histogram\n"
    "http_request_duration_seconds_bucket{le=\"0.05\"} 24054\n"
    "http_request_duration_seconds_bucket{le=\"0.1\"} 33444\n"
    "http_request_duration_seconds_bucket{le=\"+Inf\"} 144320\n"
    "http_request_duration_seconds_sum 53423\n"
    "http_request_duration_seconds_count 144320\n"
    "# TYPE rpc_duration_seconds summary\n"
    "rpc_duration_seconds{quantile=\"0.5\"} 4773\n"
    "rpc_duration_seconds{quantile=\"0.99\"} NaN\n"
    "rpc_duration_seconds_sum 1.7560473e+07\n"
    "rpc_duration_seconds_count 2693\n";
  g_autoptr(GPtrArray) samples = parse (text, NULL);
  Sample *s;

  g_assert_cmpuint (samples->len, ==, 9);
  s = find (samples, "http_request_duration_seconds_bucket{le=\"+Inf\"}");
  g_assert_cmpstr (s->name, ==, "http_request_duration_seconds_bucket");
  g_assert_cmpint (s->type, ==, FW_METRIC_HISTOGRAM);
  g_assert_true (s->cumulative);
  g_assert_cmpfloat (s->value, ==, 144320);
  g_assert_true (find (samples, "http_request_duration_seconds_sum")->cumulative);
  g_assert_true (find (samples, "http_request_duration_seconds_count")->cumulative);

  s = find (samples, "rpc_duration_seconds{quantile=\"0.5\"}");
  g_assert_cmpint (s->type, ==, FW_METRIC_SUMMARY);
  g_assert_false (s->cumulative);
  g_assert_true (isnan (find (samples, "rpc_duration_seconds{quantile=\"0.99\"}")->value));
  g_assert_true (find (samples, "rpc_duration_seconds_count")->cumulative);
}

static void
test_special_values (void)
{
  g_autoptr(GPtrArray) samples = parse ("a +Inf\nb -Inf\nc NaN\nd -0.5e-3\ne 1e3 -5\n", NULL);

  g_assert_true (isinf (find (samples, "a")->value) && find (samples, "a")->value > 0);
  g_assert_true (isinf (find (samples, "b")->value) && find (samples, "b")->value < 0);
  g_assert_true (isnan (find (samples, "c")->value));
  g_assert_cmpfloat (find (samples, "d")->value, ==, -0.5e-3);
  g_assert_cmpint (find (samples, "e")->timestamp_ms, ==, -5);
}

static void
test_invalid_lines (void)
{
  const char *text =
    "good 1\n"
    "no_value\n"
    "bad value\n"
    "1starts_with_digit 3\n"
    "unterminated{a=\"x} 3\n"
    "badescape{a=\"\\q\"} 3\n"
    "missing_eq{a\"x\"} 3\n"
    "hex 0x10\n"
    "extra 1 2 3\n"
    "also_good{x=\"y\"} 2";  /* no final newline */
  guint n_invalid = 0;
  g_autoptr(GPtrArray) samples = parse (text, &n_invalid);

  g_assert_cmpuint (samples->len, ==, 2);
  g_assert_cmpuint (n_invalid, ==, 8);
  g_assert_cmpfloat (find (samples, "also_good{x=\"y\"}")->value, ==, 2);
}

/* Found by fuzz-metrics-parser: a series becomes an item's name, so a label value must be
 * UTF-8 without NUL, and a timestamp must fit a gint64 (the cast is undefined beyond). Such
 * lines are invalid; the others still count. An empty body may come as NULL. */
static void
test_unrepresentable_lines (void)
{
  static const char text[] = "a{l=\"\xff\"} 1\nb{l=\"x\0y\"} 2\nc 3 1e300\nd 4 -1e19\n"
                             "e{l=\"\xc3\xa9\"} 5 9e18\n";
  g_autoptr(GPtrArray) samples = g_ptr_array_new_with_free_func (sample_free);
  guint n_invalid = 0;

  g_assert_cmpuint (fw_metrics_parse (text, sizeof text - 1, collect, samples, &n_invalid), ==, 1);
  g_assert_cmpuint (n_invalid, ==, 4);
  g_assert_cmpint (find (samples, "e{l=\"é\"}")->timestamp_ms, ==,
                   G_GINT64_CONSTANT (9000000000000000000));

  g_assert_cmpuint (fw_metrics_parse (NULL, 0, collect, samples, &n_invalid), ==, 0);
  g_assert_cmpuint (n_invalid, ==, 0);
}

/* Dropped lines are counted by reason, and the reason is said in words. */
static void
test_dropped_reasons (void)
{
  static const char text[] = "a{l=\"\xff\"} 1\nb{l=\"\xc3\"} 2\nbroken line\n# TYPE c gauge\n"
                             "c{l=\"\xc3\xa9\"} 3\n";
  g_autoptr(GPtrArray) samples = g_ptr_array_new_with_free_func (sample_free);
  g_autofree char *described = NULL;
  g_autofree char *single = NULL;
  FwMetricsDropped dropped = { 99, 99 };
  FwMetricsDropped one_bad = { 1, 1 };

  g_assert_cmpuint (fw_metrics_parse_full (text, sizeof text - 1, collect, samples, &dropped),
                    ==, 1);
  g_assert_cmpuint (dropped.n_lines, ==, 3);
  g_assert_cmpuint (dropped.n_bad_utf8, ==, 2);
  described = fw_metrics_dropped_describe (&dropped);
  g_assert_cmpstr (described, ==,
                   "dropped 3 lines of this scrape: 2 not valid UTF-8, 1 not a sample or "
                   "comment in the Prometheus text format; the endpoint's exporter produced "
                   "them, so fix it there");
  single = fw_metrics_dropped_describe (&one_bad);
  g_assert_true (g_str_has_prefix (single, "dropped 1 line of this scrape: 1 not valid UTF-8;"));

  g_assert_cmpuint (fw_metrics_parse_full ("x 1\n", 4, collect, samples, &dropped), ==, 1);
  g_assert_cmpuint (dropped.n_lines, ==, 0);
  g_assert_null (fw_metrics_dropped_describe (&dropped));
}

/* Mutated inputs must never crash or read out of bounds (ASan checks the latter). */
static void
test_fuzz (void)
{
  const char *seed =
    "# TYPE x histogram\nx_bucket{le=\"0.1\",a=\"\\\"q\\n\"} 1e3 123\nx_sum 5\n# HELP y z\ny{} NaN\n";
  static const char alphabet[] = "{}\",=\\ #\n\t0123456789.eE+-InfNa_xle";
  GRand *rand = g_rand_new_with_seed (42);

  for (guint i = 0; i < 20000; i++)
    {
      g_autoptr(GString) s = g_string_new (seed);
      g_autofree char *exact = NULL;
      guint n_mut = g_rand_int_range (rand, 1, 8);
      g_autoptr(GPtrArray) samples = g_ptr_array_new_with_free_func (sample_free);

      for (guint m = 0; m < n_mut; m++)
        {
          guint pos = g_rand_int_range (rand, 0, s->len + 1);
          char c = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];

          if (g_rand_boolean (rand))
            g_string_insert_c (s, pos, c);
          else if (pos < s->len)
            g_string_erase (s, pos, 1);
        }
      /* Exactly sized, no NUL after it: reading past the end is an ASan error. */
      exact = g_memdup2 (s->str, s->len);
      fw_metrics_parse (exact, s->len, collect, samples, NULL);
    }
  g_rand_free (rand);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/metrics-parser/counters-and-gauges", test_counters_and_gauges);
  g_test_add_func ("/metrics-parser/label-escapes", test_label_escapes);
  g_test_add_func ("/metrics-parser/histogram", test_histogram);
  g_test_add_func ("/metrics-parser/special-values", test_special_values);
  g_test_add_func ("/metrics-parser/invalid-lines", test_invalid_lines);
  g_test_add_func ("/metrics-parser/unrepresentable-lines", test_unrepresentable_lines);
  g_test_add_func ("/metrics-parser/dropped-reasons", test_dropped_reasons);
  g_test_add_func ("/metrics-parser/fuzz", test_fuzz);

  return g_test_run ();
}
