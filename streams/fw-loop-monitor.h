/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-loop-monitor.h: how late the main loop runs, for the status line, --stats and tests */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define FW_TYPE_LOOP_MONITOR (fw_loop_monitor_get_type ())

G_DECLARE_FINAL_TYPE (FwLoopMonitor, fw_loop_monitor, FW, LOOP_MONITOR, GObject)

FwLoopMonitor *fw_loop_monitor_new            (guint          interval_ms,
                                               guint          window);
void           fw_loop_monitor_start          (FwLoopMonitor *self);
void           fw_loop_monitor_stop           (FwLoopMonitor *self);
void           fw_loop_monitor_reset          (FwLoopMonitor *self);
gboolean       fw_loop_monitor_is_running     (FwLoopMonitor *self);
guint          fw_loop_monitor_get_interval   (FwLoopMonitor *self);
guint          fw_loop_monitor_get_n_samples  (FwLoopMonitor *self);
gint64         fw_loop_monitor_get_lag_p50_us (FwLoopMonitor *self);
gint64         fw_loop_monitor_get_lag_p99_us (FwLoopMonitor *self);
gint64         fw_loop_monitor_get_lag_max_us (FwLoopMonitor *self);
char          *fw_loop_monitor_format         (FwLoopMonitor *self);

G_END_DECLS
