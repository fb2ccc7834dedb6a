/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-application.h: the desktop application */
#pragma once

#include <adwaita.h>

#include "fw-types.h"

G_BEGIN_DECLS

#define FW_TYPE_APPLICATION (fw_application_get_type ())

G_DECLARE_FINAL_TYPE (FwApplication, fw_application, FW, APPLICATION, AdwApplication)

FwApplication *fw_application_new (GApplicationFlags flags);
gboolean       fw_application_prefer_cairo_on_software_gl (void);
void           fw_application_watch_items (FwApplication  *self,
                                           FwItem * const *items,
                                           guint           n_items);

G_END_DECLS
