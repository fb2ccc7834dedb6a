/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-window.h: the main window */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FW_TYPE_WINDOW (fw_window_get_type ())

G_DECLARE_FINAL_TYPE (FwWindow, fw_window, FW, WINDOW, AdwApplicationWindow)

FwWindow     *fw_window_new             (GtkApplication *application);
GCancellable *fw_window_get_cancellable (FwWindow       *self);

G_END_DECLS
