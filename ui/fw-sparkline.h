/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-sparkline.h: a small line of the last N values, for sidebar rows */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define FW_TYPE_SPARKLINE (fw_sparkline_get_type ())

G_DECLARE_FINAL_TYPE (FwSparkline, fw_sparkline, FW, SPARKLINE, GtkWidget)

GtkWidget  *fw_sparkline_new          (guint        capacity);
guint       fw_sparkline_get_capacity (FwSparkline *self);
guint       fw_sparkline_get_n_values (FwSparkline *self);
void        fw_sparkline_push         (FwSparkline *self,
                                       double       value);
void        fw_sparkline_clear        (FwSparkline *self);
double      fw_sparkline_get_last     (FwSparkline *self);
const char *fw_sparkline_get_unit     (FwSparkline *self);
void        fw_sparkline_set_unit     (FwSparkline *self,
                                       const char  *unit);
const char *fw_sparkline_get_label    (FwSparkline *self);
void        fw_sparkline_set_label    (FwSparkline *self,
                                       const char  *label);
char       *fw_sparkline_dup_summary  (FwSparkline *self);

G_END_DECLS
