/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-alert-preview.h: how many times an alert rule would have fired on items already kept */
#pragma once

#include <gio/gio.h>

#include "fw-alert-rule.h"

G_BEGIN_DECLS

guint64  fw_alert_preview_count        (FwAlertRule         *rule,
                                        GPtrArray           *items,
                                        GHashTable          *titles,
                                        GCancellable        *cancellable);
void     fw_alert_preview_count_async  (FwAlertRule         *rule,
                                        GPtrArray           *items,
                                        GHashTable          *titles,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean fw_alert_preview_count_finish (GAsyncResult        *result,
                                        guint64             *count,
                                        GError             **error);

G_END_DECLS
