/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-history.h: the live list's model, a bounded ring of items with filters */
#pragma once

#include <gio/gio.h>

#include "fw-item-object.h"

G_BEGIN_DECLS

#define FW_TYPE_HISTORY (fw_history_get_type ())

G_DECLARE_FINAL_TYPE (FwHistory, fw_history, FW, HISTORY, GObject)

#define FW_HISTORY_DEFAULT_CAPACITY 100000

/* 256 MB: the default 100,000 short items take about 18 MB, so this binds only when items
 * average over 2.5 KB (big SSE or WebSocket events), and then keeps a window's history to a
 * quarter of a GB, not the 1.6 TB that 100,000 items of 16 MiB would be. */
#define FW_HISTORY_DEFAULT_MAX_BYTES (G_GUINT64_CONSTANT (256) * 1000 * 1000)

/* A filter change re-scans at most this many items per main-loop iteration (and stops sooner
 * when a few milliseconds have gone). */
#define FW_HISTORY_FILTER_CHUNK 16384

/* Level masks for fw_history_set_level_mask(): bit (1 << level) per FwLevel. */
#define FW_HISTORY_ALL_LEVELS ((1u << FW_N_LEVELS) - 1)

/**
 * FwMatchRange:
 * @start: byte offset of the first byte of a match
 * @end: byte offset just past it
 */
typedef struct
{
  guint start;
  guint end;
} FwMatchRange;

FwHistory *fw_history_new             (guint          capacity);

void       fw_history_append          (FwHistory     *self,
                                       FwItem       **items,
                                       guint          n_items);
gboolean   fw_history_flush           (FwHistory     *self);
gboolean   fw_history_get_drops_all_shown (FwHistory *self);
void       fw_history_clear           (FwHistory     *self);

guint      fw_history_get_capacity    (FwHistory     *self);
void       fw_history_set_capacity    (FwHistory     *self,
                                       guint          capacity);
guint64    fw_history_get_max_bytes   (FwHistory     *self);
void       fw_history_set_max_bytes   (FwHistory     *self,
                                       guint64        max_bytes);
guint64    fw_history_get_n_bytes     (FwHistory     *self);
gboolean   fw_history_get_bytes_limited (FwHistory   *self);
gboolean   fw_history_get_frozen      (FwHistory     *self);
void       fw_history_set_frozen      (FwHistory     *self,
                                       gboolean       frozen);

guint64    fw_history_get_n_total     (FwHistory     *self);
guint64    fw_history_get_n_dropped   (FwHistory     *self);
guint      fw_history_get_n_matches   (FwHistory     *self);
guint64    fw_history_get_n_unseen    (FwHistory     *self);
guint      fw_history_get_n_stored    (FwHistory     *self);
GPtrArray *fw_history_dup_items_since (FwHistory     *self,
                                       gint64         since_us);
guint64    fw_history_take_arrivals   (FwHistory     *self,
                                       char         **feed);

gboolean   fw_history_set_search      (FwHistory     *self,
                                       const char    *text,
                                       gboolean       regex,
                                       GError       **error);
const char *fw_history_get_search     (FwHistory     *self);
void       fw_history_set_min_level   (FwHistory     *self,
                                       FwLevel        level);
void       fw_history_set_level_mask  (FwHistory     *self,
                                       guint          mask);
guint      fw_history_get_level_mask  (FwHistory     *self);
void       fw_history_set_feed        (FwHistory     *self,
                                       const char    *feed);
const char *fw_history_get_feed       (FwHistory     *self);
gboolean   fw_history_get_filtering   (FwHistory     *self);
double     fw_history_get_filter_progress (FwHistory *self);
gboolean   fw_history_item_matches    (FwHistory     *self,
                                       const FwItem  *item);

GArray    *fw_history_find_matches    (FwHistory     *self,
                                       const char    *text,
                                       gsize          len);

G_END_DECLS
