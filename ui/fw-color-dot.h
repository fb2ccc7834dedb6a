/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-color-dot.h: the small dot in a feed's colour beside its name: decorative, the name says
 * which feed it is */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define FW_TYPE_COLOR_DOT (fw_color_dot_get_type ())

G_DECLARE_FINAL_TYPE (FwColorDot, fw_color_dot, FW, COLOR_DOT, GtkWidget)

GtkWidget  *fw_color_dot_new       (void);
void        fw_color_dot_set_color (FwColorDot *self,
                                    const char *color);
const char *fw_color_dot_get_color (FwColorDot *self);

G_END_DECLS
