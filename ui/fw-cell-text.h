/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-cell-text.h: one line of plain text in a cell of the live list, cheap to rebind */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define FW_TYPE_CELL_TEXT (fw_cell_text_get_type ())

G_DECLARE_FINAL_TYPE (FwCellText, fw_cell_text, FW, CELL_TEXT, GtkWidget)

GtkWidget     *fw_cell_text_new            (void);
const char    *fw_cell_text_get_text       (FwCellText    *self);
void           fw_cell_text_set_text       (FwCellText    *self,
                                            const char    *text);
void           fw_cell_text_take_text      (FwCellText    *self,
                                            char          *text);
void           fw_cell_text_set_attributes (FwCellText    *self,
                                            PangoAttrList *attrs);
void           fw_cell_text_set_state_class (FwCellText   *self,
                                            const char    *css_class);
gboolean       fw_cell_text_get_drawn      (FwCellText    *self);
void           fw_cell_text_set_dot        (FwCellText    *self,
                                            const char    *color);
char          *fw_cell_text_get_dot        (FwCellText    *self);
PangoLayout   *fw_cell_text_get_layout     (FwCellText    *self);

G_END_DECLS
