/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-transform.h: map, filter, take, take_while and skip */
#pragma once

#include "fw-stream.h"

G_BEGIN_DECLS

#define FW_TYPE_TRANSFORM (fw_transform_get_type ())

G_DECLARE_FINAL_TYPE (FwTransform, fw_transform, FW, TRANSFORM, FwStream)

/**
 * FwMapFunc:
 * @item: (transfer none): an item of the input
 * @user_data: the data given to fw_map_new()
 * @error: where to report a failure; the stream then fails with it, after the items mapped before
 *   it
 *
 * Maps an item of a fw_map_new() stream to the item to pass on, or to none.
 *
 * Returns: (transfer full) (nullable): the item to pass on (fw_item_ref() @item to pass it
 *   unchanged), or %NULL to drop it (a filter-map), or %NULL with @error set
 */
typedef FwItem *(*FwMapFunc) (FwItem    *item,
                              gpointer   user_data,
                              GError   **error);

/**
 * FwPredicateFunc:
 * @item: (transfer none): an item of the input
 * @user_data: the data given with the function
 *
 * Decides whether an item passes, for fw_filter_new() and fw_take_while_new().
 *
 * Returns: whether @item passes
 */
typedef gboolean (*FwPredicateFunc) (FwItem   *item,
                                     gpointer  user_data);

/* Each takes ownership of @input and closes it when the new stream ends or is closed.
 * @destroy runs exactly once, after @input was closed. */
FwStream *fw_map_new        (FwStream        *input,
                             FwMapFunc        func,
                             gpointer         user_data,
                             GDestroyNotify   destroy);
FwStream *fw_filter_new     (FwStream        *input,
                             FwPredicateFunc  func,
                             gpointer         user_data,
                             GDestroyNotify   destroy);
FwStream *fw_take_new       (FwStream        *input,
                             guint            n_items);
FwStream *fw_take_while_new (FwStream        *input,
                             FwPredicateFunc  func,
                             gpointer         user_data,
                             GDestroyNotify   destroy);
FwStream *fw_skip_new       (FwStream        *input,
                             guint            n_items);

G_END_DECLS
