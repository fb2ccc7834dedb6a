/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-window-module.h: the one entry point of the window module (feedwatch-window.so), which
 * main.c loads only when a window is needed. GTK-free, so main.c can include it. */
#pragma once

#include <gmodule.h>

G_BEGIN_DECLS

#define FW_WINDOW_MODULE_FILE  "feedwatch-window." G_MODULE_SUFFIX
#define FW_WINDOW_MODULE_ENTRY "fw_window_module_run"

typedef int (*FwWindowModuleRun) (int    argc,
                                  char **argv);

int fw_window_module_run (int    argc,
                          char **argv);

G_END_DECLS
