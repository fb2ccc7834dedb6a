/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-preferences-window.h: Preferences */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FW_TYPE_PREFERENCES_WINDOW (fw_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (FwPreferencesWindow, fw_preferences_window, FW, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

GtkWidget *fw_preferences_window_new (GtkWindow *parent);
void       fw_preferences_follow     (void);

G_END_DECLS
