/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-accessible.h: accessible names GTK 4.8 leaves out of its own widgets' insides */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void fw_accessible_name_drop_down (GtkDropDown *drop_down,
                                   const char  *label);

G_END_DECLS
