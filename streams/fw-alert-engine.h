/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-alert-engine.h: alert rules evaluated on items as they pass */
#pragma once

#include "fw-alert-rule.h"
#include "fw-feed-state.h"

G_BEGIN_DECLS

#define FW_TYPE_ALERT_ENGINE (fw_alert_engine_get_type ())

G_DECLARE_FINAL_TYPE (FwAlertEngine, fw_alert_engine, FW, ALERT_ENGINE, GObject)

/**
 * FwAlertFunc:
 * @alert: a %FW_ITEM_ALERT item: its name is the rule's name, its fields say "alert" (fired or
 *   cleared) and "rule" (the rule's text), its text, value and level are those of the item that
 *   fired or cleared it
 * @user_data: as given
 *
 * Called when an alert is announced. It may add rules or mute, but not free the engine.
 */
typedef void (*FwAlertFunc) (FwItem   *alert,
                             gpointer  user_data);

/**
 * FwAlertClock:
 * @user_data: as given to fw_alert_engine_set_clock()
 *
 * The engine's clock, replaced by tests.
 *
 * Returns: the wall-clock time now, in µs since the epoch (g_get_real_time() unless a test
 *   injects its own)
 */
typedef gint64 (*FwAlertClock) (gpointer user_data);

/**
 * FwAlertDescribeFunc:
 * @feed: a feed as written, as its items name it
 * @title: (out) (transfer full) (nullable): its title, or %NULL
 * @group: (out) (transfer full) (nullable): its group, or %NULL
 * @user_data: as given to fw_alert_engine_set_describe_func()
 *
 * Tells what the engine's owner knows of a feed, for rules scoped by a title or a group.
 */
typedef void (*FwAlertDescribeFunc) (const char  *feed,
                                     char       **title,
                                     char       **group,
                                     gpointer     user_data);

FwAlertEngine *fw_alert_engine_new               (void);
void           fw_alert_engine_set_func          (FwAlertEngine  *self,
                                                  FwAlertFunc     func,
                                                  gpointer        user_data,
                                                  GDestroyNotify  destroy);
void           fw_alert_engine_set_describe_func (FwAlertEngine       *self,
                                                  FwAlertDescribeFunc  func,
                                                  gpointer             user_data,
                                                  GDestroyNotify       destroy);
void           fw_alert_engine_set_clock         (FwAlertEngine  *self,
                                                  FwAlertClock    clock,
                                                  gpointer        user_data);
guint          fw_alert_engine_add_rule          (FwAlertEngine  *self,
                                                  FwAlertRule    *rule);
guint          fw_alert_engine_get_n_rules       (FwAlertEngine  *self);
FwAlertRule   *fw_alert_engine_get_rule          (FwAlertEngine  *self,
                                                  guint           index);
void           fw_alert_engine_watch_feed        (FwAlertEngine  *self,
                                                  const char     *feed,
                                                  const char     *title);
void           fw_alert_engine_process           (FwAlertEngine  *self,
                                                  FwItem         *item);
void           fw_alert_engine_set_feed_state    (FwAlertEngine  *self,
                                                  const char     *feed,
                                                  FwFeedState     state,
                                                  const char     *text);
void           fw_alert_engine_tick              (FwAlertEngine  *self);
gint64         fw_alert_engine_get_next_deadline (FwAlertEngine  *self);
void           fw_alert_engine_attach            (FwAlertEngine  *self,
                                                  GMainContext   *context);
void           fw_alert_engine_mute              (FwAlertEngine  *self,
                                                  guint           index,
                                                  gint64          until_us);
guint          fw_alert_engine_get_n_active      (FwAlertEngine  *self);
guint64        fw_alert_engine_get_n_fired       (FwAlertEngine  *self,
                                                  guint           index);
guint64        fw_alert_engine_get_n_suppressed  (FwAlertEngine  *self,
                                                  guint           index);

G_END_DECLS
