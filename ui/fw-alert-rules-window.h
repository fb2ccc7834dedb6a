/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-alert-rules-window.h: the alert rules kept in the settings: listed, edited, removed,
 * exported to and imported from a file */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef struct _FwWindow FwWindow;

#define FW_TYPE_ALERT_RULES_WINDOW (fw_alert_rules_window_get_type ())

G_DECLARE_FINAL_TYPE (FwAlertRulesWindow, fw_alert_rules_window, FW, ALERT_RULES_WINDOW, AdwWindow)

GtkWidget *fw_alert_rules_window_new           (FwWindow            *window);
char      *fw_alert_rules_dup_file_contents    (const char * const  *rules);
int        fw_alert_rules_add_from_text        (GSettings           *settings,
                                                const char          *contents,
                                                const char          *origin,
                                                GError             **error);
void       fw_alert_rules_window_export_async  (FwAlertRulesWindow  *self,
                                                GFile               *file,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean   fw_alert_rules_window_export_finish (FwAlertRulesWindow  *self,
                                                GAsyncResult        *result,
                                                GError             **error);
void       fw_alert_rules_window_import_async  (FwAlertRulesWindow  *self,
                                                GFile               *file,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
int        fw_alert_rules_window_import_finish (FwAlertRulesWindow  *self,
                                                GAsyncResult        *result,
                                                GError             **error);

G_END_DECLS
