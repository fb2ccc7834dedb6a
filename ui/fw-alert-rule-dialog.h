/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-alert-rule-dialog.h: a rule made from its parts, shown as its text, with what it would
 * have done on the window's kept history */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef struct _FwWindow FwWindow;

#define FW_TYPE_ALERT_RULE_DIALOG (fw_alert_rule_dialog_get_type ())

G_DECLARE_FINAL_TYPE (FwAlertRuleDialog, fw_alert_rule_dialog, FW, ALERT_RULE_DIALOG, AdwWindow)

GtkWidget  *fw_alert_rule_dialog_new               (GtkWindow         *parent,
                                                    FwWindow          *window);
gboolean    fw_alert_rule_dialog_set_rule_text     (FwAlertRuleDialog *self,
                                                    const char        *text,
                                                    GError           **error);
void        fw_alert_rule_dialog_edit_rule         (FwAlertRuleDialog *self,
                                                    guint              index,
                                                    const char        *text);
void        fw_alert_rule_dialog_prefill_feed      (FwAlertRuleDialog *self,
                                                    const char        *feed);
void        fw_alert_rule_dialog_prefill_match     (FwAlertRuleDialog *self,
                                                    const char        *feed,
                                                    const char        *text);
void        fw_alert_rule_dialog_prefill_threshold (FwAlertRuleDialog *self,
                                                    const char        *feed,
                                                    const char        *series,
                                                    double             value,
                                                    const char        *unit);
const char *fw_alert_rule_dialog_get_rule_text     (FwAlertRuleDialog *self);
const char *fw_alert_rule_dialog_get_error         (FwAlertRuleDialog *self);
gint64      fw_alert_rule_dialog_get_preview_count (FwAlertRuleDialog *self);
gboolean    fw_alert_rule_dialog_save              (FwAlertRuleDialog *self);

G_END_DECLS
