/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-alerts-view.h: the Alerts view: active alerts, acknowledged ones and the history */
#pragma once

#include <adwaita.h>

#include "fw-alert-log.h"
#include "fw-feed-list.h"

G_BEGIN_DECLS

#define FW_TYPE_ALERTS_VIEW (fw_alerts_view_get_type ())

G_DECLARE_FINAL_TYPE (FwAlertsView, fw_alerts_view, FW, ALERTS_VIEW, GtkWidget)

GtkWidget *fw_alerts_view_new      (void);
void       fw_alerts_view_set_log  (FwAlertsView *self,
                                    FwAlertLog   *log);
void       fw_alerts_view_set_feeds (FwAlertsView *self,
                                    FwFeedList   *feeds);

G_END_DECLS
