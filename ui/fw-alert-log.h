/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-alert-log.h: what the Alerts view shows: the alerts active now, those the user
 * acknowledged, and a bounded history of firings and clearings kept across launches. Fed by the
 * application's alert engine; GTK-free. */
#pragma once

#include <gio/gio.h>

#include "fw-streams.h"

G_BEGIN_DECLS

#define FW_TYPE_ALERT_ENTRY (fw_alert_entry_get_type ())

G_DECLARE_FINAL_TYPE (FwAlertEntry, fw_alert_entry, FW, ALERT_ENTRY, GObject)

const char   *fw_alert_entry_get_rule_name  (FwAlertEntry *self);
const char   *fw_alert_entry_get_rule       (FwAlertEntry *self);
const char   *fw_alert_entry_get_feed       (FwAlertEntry *self);
const char   *fw_alert_entry_get_series     (FwAlertEntry *self);
const char   *fw_alert_entry_get_text       (FwAlertEntry *self);
gint64        fw_alert_entry_get_time       (FwAlertEntry *self);
gboolean      fw_alert_entry_get_cleared    (FwAlertEntry *self);
gboolean      fw_alert_entry_get_acknowledged (FwAlertEntry *self);

/* The history keeps this many entries; older ones are dropped and counted */
#define FW_ALERT_LOG_DEFAULT_MAX_HISTORY 500

#define FW_TYPE_ALERT_LOG (fw_alert_log_get_type ())

G_DECLARE_FINAL_TYPE (FwAlertLog, fw_alert_log, FW, ALERT_LOG, GObject)

FwAlertLog   *fw_alert_log_get_default      (void);
FwAlertLog   *fw_alert_log_new              (const char     *path);
const char   *fw_alert_log_get_path         (FwAlertLog     *self);
guint         fw_alert_log_get_max_history  (FwAlertLog     *self);
void          fw_alert_log_set_max_history  (FwAlertLog     *self,
                                             guint           max_history);
void          fw_alert_log_add              (FwAlertLog     *self,
                                             FwItem         *alert,
                                             const FwItem   *trigger);
void          fw_alert_log_note_items       (FwAlertLog     *self,
                                             FwItem * const *items,
                                             guint           n_items);
void          fw_alert_log_end_active       (FwAlertLog     *self,
                                             const char     *why);
void          fw_alert_log_acknowledge      (FwAlertLog     *self,
                                             FwAlertEntry   *entry);
GListModel   *fw_alert_log_get_active       (FwAlertLog     *self);
GListModel   *fw_alert_log_get_acknowledged (FwAlertLog     *self);
GListModel   *fw_alert_log_get_history      (FwAlertLog     *self);
guint64       fw_alert_log_get_n_dropped    (FwAlertLog     *self);
guint         fw_alert_log_get_n_active_for_feed (FwAlertLog *self,
                                             const char     *feed);
gboolean      fw_alert_log_is_trigger       (FwAlertLog     *self,
                                             const FwItem   *item);
gboolean      fw_alert_log_is_empty         (FwAlertLog     *self);
gboolean      fw_alert_log_flush            (FwAlertLog     *self,
                                             GError        **error);
gboolean      fw_alert_log_get_saving       (FwAlertLog     *self);

G_END_DECLS
