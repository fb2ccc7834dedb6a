/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-item-details.h: everything one item holds, beside the live list */
#pragma once

#include <gtk/gtk.h>

#include "fw-streams.h"

G_BEGIN_DECLS

#define FW_TYPE_ITEM_DETAILS (fw_item_details_get_type ())

G_DECLARE_FINAL_TYPE (FwItemDetails, fw_item_details, FW, ITEM_DETAILS, GtkWidget)

/* What the pane shows of a long text or payload; the rest is said to be left out */
#define FW_ITEM_DETAILS_MAX_TEXT (64 * 1024)
#define FW_ITEM_DETAILS_MAX_DATA (16 * 1024)

GtkWidget *fw_item_details_new          (void);
FwItem    *fw_item_details_get_item     (FwItemDetails *self);
void       fw_item_details_set_item     (FwItemDetails *self,
                                         FwItem        *item,
                                         const char    *feed_title);

char      *fw_item_details_format_fields (GVariant     *fields);
char      *fw_item_details_format_hex    (const guint8 *data,
                                          gsize         len);

/* For tests: what the pane shows */
char      *fw_item_details_get_shown_text   (FwItemDetails *self,
                                             const char    *section);

G_END_DECLS
