/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-metrics-source.h: `metrics:URL`, a Prometheus text endpoint polled at an interval; the
 * chosen series become readings, counters as rates. */
#pragma once

#include <libsoup/soup.h>

#include "fw-feed-kind.h"

G_BEGIN_DECLS

#define FW_TYPE_METRICS_SOURCE (fw_metrics_source_get_type ())

G_DECLARE_FINAL_TYPE (FwMetricsSource, fw_metrics_source, FW, METRICS_SOURCE, FwStream)

#define FW_METRICS_DEFAULT_INTERVAL_MS (10 * 1000)
#define FW_METRICS_DEFAULT_MAX_SERIES  20000
#define FW_METRICS_MAX_BODY            (32 * 1024 * 1024)

FwStream *fw_metrics_source_open              (const FwFeedSpec  *spec,
                                               FwFeedOpenFlags    flags,
                                               GError           **error);
FwStream *fw_metrics_source_new_for_response  (const FwFeedSpec  *spec,
                                               FwFeedOpenFlags    flags,
                                               SoupSession       *session,
                                               SoupMessage       *msg,
                                               GInputStream      *body,
                                               GError           **error);
guint     fw_metrics_source_get_n_polls       (FwMetricsSource   *self);
guint     fw_metrics_source_get_n_invalid     (FwMetricsSource   *self);
guint     fw_metrics_source_get_n_series      (FwMetricsSource   *self);

extern const FwFeedOption fw_metrics_source_options[];
extern const FwFeedKind fw_metrics_source_kind;

G_END_DECLS
