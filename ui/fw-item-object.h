/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-item-object.h: one row of the live list, a GObject over one FwItem */
#pragma once

#include "fw-streams.h"

G_BEGIN_DECLS

#define FW_TYPE_ITEM_OBJECT (fw_item_object_get_type ())

G_DECLARE_FINAL_TYPE (FwItemObject, fw_item_object, FW, ITEM_OBJECT, GObject)

FwItemObject *fw_item_object_new            (FwItem       *item);
FwItem       *fw_item_object_get_item       (FwItemObject *self);
const char   *fw_item_object_get_time       (FwItemObject *self);
const char   *fw_item_object_get_feed       (FwItemObject *self);
const char   *fw_item_object_get_level_name (FwItemObject *self);
const char   *fw_item_object_get_text       (FwItemObject *self,
                                             gsize        *len);
const char   *fw_item_object_get_summary    (FwItemObject *self);

void          fw_format_local_time          (gint64        time_us,
                                             char          out[13]);

G_END_DECLS
