/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-item-array.h: a batch of items read by field, for language bindings */
#pragma once

#include "fw-item.h"

G_BEGIN_DECLS

#define FW_TYPE_ITEM_ARRAY (fw_item_array_get_type ())

GType          fw_item_array_get_type          (void) G_GNUC_CONST;

FwItemArray   *fw_item_array_new               (FwItem * const *items,
                                                guint           n_items);
FwItemArray   *fw_item_array_new_take          (GPtrArray      *items);
FwItemArray   *fw_item_array_ref               (FwItemArray    *self);
void           fw_item_array_unref             (FwItemArray    *self);

guint          fw_item_array_get_length        (FwItemArray    *self);
FwItem        *fw_item_array_get               (FwItemArray    *self,
                                                guint           index);

guint8        *fw_item_array_get_kinds         (FwItemArray    *self,
                                                guint          *n_items);
guint8        *fw_item_array_get_levels        (FwItemArray    *self,
                                                guint          *n_items);
guint8        *fw_item_array_get_flags         (FwItemArray    *self,
                                                guint          *n_items);
gint64        *fw_item_array_get_times         (FwItemArray    *self,
                                                guint          *n_items);
gint64        *fw_item_array_get_source_times  (FwItemArray    *self,
                                                guint          *n_items);
double        *fw_item_array_get_values        (FwItemArray    *self,
                                                guint          *n_items);
const char   **fw_item_array_get_texts         (FwItemArray    *self,
                                                guint          *n_items);
const char   **fw_item_array_get_feeds         (FwItemArray    *self,
                                                guint          *n_items);
const char   **fw_item_array_get_names         (FwItemArray    *self,
                                                guint          *n_items);
const char   **fw_item_array_get_units         (FwItemArray    *self,
                                                guint          *n_items);
const char   **fw_item_array_get_ids           (FwItemArray    *self,
                                                guint          *n_items);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwItemArray, fw_item_array_unref)

G_END_DECLS
