/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-test-ui.h: a UI test reads the window the way a person does: it clicks a feed in the
 * sidebar, reads the rows the list shows on screen, top to bottom, and the toast shown. Only
 * what is mapped and inside the visible area counts; what the model holds does not. */
#pragma once

#include <adwaita.h>

#include "fw-window.h"

G_BEGIN_DECLS

FwWindow  *fw_test_ui_open_window            (void);
void       fw_test_ui_close_window           (FwWindow   *window);
void       fw_test_ui_settle                 (FwWindow   *window);
gboolean   fw_test_ui_activate_sidebar_row   (FwWindow   *window,
                                              const char *title);
gboolean   fw_test_ui_press_button           (FwWindow   *window,
                                              const char *label);
GtkScrolledWindow *fw_test_ui_get_list_scroller (FwWindow *window);
GPtrArray *fw_test_ui_read_rows              (FwWindow   *window);
char      *fw_test_ui_row_to_string          (const char * const *cells);
char      *fw_test_ui_dump_rows              (GPtrArray  *rows);
char      *fw_test_ui_get_toast_text         (FwWindow   *window);
GtkWidget *fw_test_ui_find_widget            (GtkWidget  *widget,
                                              GType       type);
GtkWidget *fw_test_ui_find_with_css_class    (GtkWidget  *widget,
                                              const char *css_class);
char      *fw_test_ui_read_clipboard         (GtkWidget  *widget);
void       fw_test_ui_add_items              (FwWindow   *window,
                                              const char *spec,
                                              GPtrArray  *items);

G_END_DECLS
