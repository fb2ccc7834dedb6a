/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-demo.h: `feedwatch --demo`: a built-in SSE server on loopback and a demo log */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _FwWindow FwWindow;

#define FW_TYPE_DEMO (fw_demo_get_type ())

G_DECLARE_FINAL_TYPE (FwDemo, fw_demo, FW, DEMO, GObject)

FwDemo     *fw_demo_new           (void);
gboolean    fw_demo_start         (FwDemo    *self,
                                   GError   **error);
const char *fw_demo_get_sse_feed  (FwDemo    *self);
const char *fw_demo_get_log_path  (FwDemo    *self);
gboolean    fw_demo_add_to_window (FwDemo    *self,
                                   FwWindow  *window,
                                   GError   **error);

G_END_DECLS
