/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-metrics-parser.h: the Prometheus text exposition format (version 0.0.4) to samples.
 * Pure: no I/O; bad lines are counted and skipped, never fatal. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  FW_METRIC_UNTYPED,
  FW_METRIC_COUNTER,
  FW_METRIC_GAUGE,
  FW_METRIC_HISTOGRAM,
  FW_METRIC_SUMMARY,
} FwMetricType;

/**
 * FwMetricsSample:
 * @name: the sample's metric name (`http_requests_total`, `x_bucket`)
 * @series: the name with its labels in a canonical form: `name{a="1",b="2"}`, or the bare
 *   name when it has none
 * @family_type: the `# TYPE` of its family (a histogram's `_bucket` lines are HISTOGRAM)
 * @cumulative: the value only grows: counters, and the `_bucket`, `_count` and `_sum` lines
 *   of histograms and summaries (so a rate is what a reader wants)
 * @has_timestamp: whether the line carried a timestamp (@timestamp_ms)
 *
 * Strings are valid only during the callback.
 */
typedef struct
{
  const char   *name;
  const char   *series;
  double        value;
  gint64        timestamp_ms;
  FwMetricType  family_type;
  gboolean      cumulative;
  gboolean      has_timestamp;
} FwMetricsSample;

/**
 * FwMetricsDropped:
 * @n_lines: lines that were neither comments nor samples, all reasons
 * @n_bad_utf8: of those, lines that were not valid UTF-8
 */
typedef struct
{
  guint n_lines;
  guint n_bad_utf8;
} FwMetricsDropped;

typedef void (*FwMetricsSampleFunc) (const FwMetricsSample *sample,
                                     gpointer               user_data);

guint         fw_metrics_parse          (const char          *text,
                                         gsize                len,
                                         FwMetricsSampleFunc  func,
                                         gpointer             user_data,
                                         guint               *out_n_invalid);
guint         fw_metrics_parse_full     (const char          *text,
                                         gsize                len,
                                         FwMetricsSampleFunc  func,
                                         gpointer             user_data,
                                         FwMetricsDropped    *out_dropped);
char         *fw_metrics_dropped_describe (const FwMetricsDropped *dropped);
const char   *fw_metric_type_to_string  (FwMetricType         type);

G_END_DECLS
