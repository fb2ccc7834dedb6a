/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-json-item.h: one JSON value (a line of NDJSON, a WebSocket message, a record of a paged
 * API) to an FwItem with its level, message and top-level fields picked out. Pure: no I/O, no
 * main loop; any input is safe (nesting is checked before json-glib's recursive parser sees
 * it), so it is the unit to fuzz. */
#pragma once

#include <json-glib/json-glib.h>

#include "fw-item.h"

G_BEGIN_DECLS

/* The bounds on what one item carries, whatever the input. */
#define FW_JSON_ITEM_MAX_DEPTH        64
#define FW_JSON_ITEM_MAX_FIELDS       64
#define FW_JSON_ITEM_MAX_FIELD_BYTES  1024

FwItem     *fw_json_item_parse          (GRefString   *feed,
                                         gint64        time_us,
                                         const char   *text,
                                         gsize         len,
                                         gboolean     *out_invalid);
FwItem     *fw_json_item_new_from_node  (GRefString   *feed,
                                         gint64        time_us,
                                         JsonNode     *node,
                                         const char   *raw,
                                         gssize        raw_len);
gboolean    fw_json_check_shape         (const char   *text,
                                         gsize         len,
                                         guint         max_depth);
gboolean    fw_json_prepare             (const char   *text,
                                         gsize         len,
                                         guint         max_depth,
                                         char        **out_fixed);
JsonNode   *fw_json_lookup_path         (JsonNode     *root,
                                         const char   *path);
char       *fw_json_node_dup_scalar     (JsonNode     *node);
FwLevel     fw_json_level_from_node     (JsonNode     *node);

G_END_DECLS
