/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-window.h: the main window */
#pragma once

#include <adwaita.h>

#include "fw-streams.h"
#include "fw-history.h"
#include "fw-loop-monitor.h"

G_BEGIN_DECLS

#define FW_TYPE_WINDOW (fw_window_get_type ())

G_DECLARE_FINAL_TYPE (FwWindow, fw_window, FW, WINDOW, AdwApplicationWindow)

FwWindow      *fw_window_new              (GtkApplication *application);
GCancellable  *fw_window_get_cancellable  (FwWindow       *self);
FwHistory     *fw_window_get_history      (FwWindow       *self);
GListModel    *fw_window_get_feeds        (FwWindow       *self);
FwLoopMonitor *fw_window_get_loop_monitor (FwWindow       *self);
FwFeedRunner  *fw_window_add_feed         (FwWindow       *self,
                                           const char     *spec,
                                           GError        **error);
void           fw_window_add_runner       (FwWindow       *self,
                                           FwFeedRunner   *runner,
                                           gboolean        persist);
FwFeedRunner  *fw_window_replace_feed     (FwWindow       *self,
                                           const char     *spec,
                                           const char     *new_spec,
                                           const char     *title,
                                           GError        **error);
gboolean       fw_window_remove_feed      (FwWindow       *self,
                                           const char     *spec);
void           fw_window_toast            (FwWindow       *self,
                                           const char     *text);
gboolean       fw_window_is_following     (FwWindow       *self);
void           fw_window_add_default_feeds (FwWindow      *self);
gboolean       fw_window_get_looking_for_sensors (FwWindow *self);
void           fw_window_export_selection (FwWindow       *self,
                                           GFile          *file);
void           fw_window_export_view      (FwWindow       *self,
                                           GFile          *file);
void           fw_window_save_recent      (FwWindow       *self,
                                           const char     *path,
                                           guint           minutes);
const char    *fw_window_get_record_path  (FwWindow       *self);
void           fw_window_export_plot      (FwWindow       *self,
                                           GFile          *file,
                                           gboolean        image);

FwWindow      *fw_window_open_recording   (GtkApplication *application,
                                           const char     *path,
                                           GError        **error);
FwWindow      *fw_window_open_file        (FwWindow       *self,
                                           GFile          *file);
gboolean       fw_window_path_is_recording (const char    *path);
const char    *fw_window_get_recording    (FwWindow       *self);

void           fw_ui_ensure_resources     (void);
char          *fw_format_value            (double          value,
                                           const char     *unit);

G_END_DECLS
