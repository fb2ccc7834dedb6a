/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-alert-rule.h: one alert rule, read from and written back to its one-line text form */
#pragma once

#include "fw-types.h"

G_BEGIN_DECLS

/**
 * FW_ALERT_RULE_ERROR:
 *
 * The error domain of rules that do not read; its codes are #FwAlertRuleError.
 */
#define FW_ALERT_RULE_ERROR (fw_alert_rule_error_quark ())

/**
 * FwAlertRuleError:
 * @FW_ALERT_RULE_ERROR_SYNTAX: the text is not a rule; the message says which part and what
 *   was expected
 *
 * Why a rule does not read.
 */
typedef enum
{
  FW_ALERT_RULE_ERROR_SYNTAX,
} FwAlertRuleError;

/**
 * FwAlertKind:
 * @FW_ALERT_THRESHOLD: a reading's value beyond a limit for a while (`cpu usage > 90 for 60s`)
 * @FW_ALERT_MATCH: items by text or level, optionally more than K of them within a time
 *   (`level>=error`, `/timeout/ rate > 5 in 60s`)
 * @FW_ALERT_SILENCE: no item from a feed for a while (`silence 30s`)
 * @FW_ALERT_STATE: a feed failed or retrying for a while (`state failed for 10s`)
 *
 * What an alert rule watches for.
 */
typedef enum
{
  FW_ALERT_THRESHOLD,
  FW_ALERT_MATCH,
  FW_ALERT_SILENCE,
  FW_ALERT_STATE,
} FwAlertKind;

#define FW_TYPE_ALERT_RULE (fw_alert_rule_get_type ())

typedef struct _FwAlertRule FwAlertRule;

GQuark       fw_alert_rule_error_quark   (void);
GType        fw_alert_rule_get_type      (void) G_GNUC_CONST;

FwAlertRule *fw_alert_rule_parse         (const char         *text,
                                          GError            **error);
GPtrArray   *fw_alert_rule_parse_lines   (const char         *contents,
                                          const char         *origin,
                                          GError            **error);
FwAlertRule *fw_alert_rule_ref           (FwAlertRule        *rule);
void         fw_alert_rule_unref         (FwAlertRule        *rule);

const char  *fw_alert_rule_to_string     (const FwAlertRule  *rule);
const char  *fw_alert_rule_get_name      (const FwAlertRule  *rule);
FwAlertKind  fw_alert_rule_get_kind      (const FwAlertRule  *rule);
gint64       fw_alert_rule_get_interval  (const FwAlertRule  *rule);
gboolean     fw_alert_rule_applies_to    (const FwAlertRule  *rule,
                                          const char         *feed,
                                          const char         *title,
                                          const char         *group);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwAlertRule, fw_alert_rule_unref)

G_END_DECLS
