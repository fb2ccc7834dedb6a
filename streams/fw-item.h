/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-item.h: the record every feed produces */
#pragma once

#include "fw-types.h"

G_BEGIN_DECLS

#define FW_TYPE_ITEM (fw_item_get_type ())

/**
 * FwItem:
 *
 * A small refcounted record, shared read-only once it leaves its source. The fields are public
 * for fast reading on hot paths; write them only through the setters, and only before the item
 * is handed on. Strings that repeat across items (feed, name, unit, type) are interned or
 * #GRefString so a million items do not carry a million copies.
 *
 * @text holds @text_len bytes of valid UTF-8 followed by a NUL; it may contain U+0000 (an SSE
 * event's data can), so use @text_len, not strlen().
 */
struct _FwItem
{
  /*< public, read-only >*/
  gint64      time_us;   /* wall clock, µs since the epoch, when the item arrived */
  gint64      source_time_us; /* the time the source wrote in it (a log line's), or 0 */
  const char *feed;      /* GRefString: the feed as the user wrote it */
  const char *name;      /* GRefString or NULL: sensor label, event type, series name */
  const char *unit;      /* interned or NULL */
  char       *id;        /* or NULL: event id, reading number */
  GVariant   *fields;    /* a{sv} or NULL: structured fields */
  GPtrArray  *group;     /* FwItem* or NULL: the items a group item carries (fw_batch_new) */
  double      value;     /* valid with FW_ITEM_FLAG_HAS_VALUE */
  gsize       text_len;
  guint8      kind;      /* FwItemKind */
  guint8      level;     /* FwLevel */
  guint8      flags;     /* FwItemFlags */
  /*< private >*/
  guint8      in_block;  /* allocated in an FwItemBlock */
  gint        ref_count;
  char        text[];    /* text_len bytes + NUL, allocated with the item */
};

GType       fw_item_get_type        (void) G_GNUC_CONST;

FwItem     *fw_item_new             (FwItemKind   kind,
                                     GRefString  *feed,
                                     gint64       time_us,
                                     const char  *text,
                                     gssize       text_len);
FwItem     *fw_item_new_reading     (GRefString  *feed,
                                     gint64       time_us,
                                     const char  *name,
                                     double       value,
                                     const char  *unit);
FwItem     *fw_item_ref             (FwItem      *item);
void        fw_item_unref           (FwItem      *item);
void        fw_item_unref_many      (FwItem * const *items,
                                     guint           n);

/**
 * FwItemBlock:
 *
 * A builder for items made in bulk by fast sources: the items of a block share one allocation,
 * freed with the last of them, so a read of a thousand lines costs a few allocations instead of a
 * thousand. Sources use it; consumers see ordinary #FwItem references.
 */
typedef struct _FwItemBlock FwItemBlock;

FwItemBlock *fw_item_block_new      (GRefString  *feed,
                                     gsize        capacity);
FwItem     *fw_item_block_add       (FwItemBlock *block,
                                     FwItemKind   kind,
                                     gint64       time_us,
                                     const char  *text,
                                     gsize        text_len);
FwItem     *fw_item_block_add_to    (FwItemBlock **block,
                                     GRefString   *feed,
                                     gsize         bytes_left,
                                     FwItemKind    kind,
                                     gint64        time_us,
                                     const char   *text,
                                     gsize         text_len);
void        fw_item_block_release   (FwItemBlock *block);
gsize       fw_item_block_slot_size (gsize        text_len);
gsize       fw_item_block_get_live_bytes (void);

GRefString *fw_ref_string_intern    (const char  *str);

void        fw_item_set_level       (FwItem      *item,
                                     FwLevel      level);
void        fw_item_set_name        (FwItem      *item,
                                     const char  *name);
void        fw_item_set_name_ref    (FwItem      *item,
                                     GRefString  *name);
void        fw_item_set_unit        (FwItem      *item,
                                     const char  *unit);
void        fw_item_set_id          (FwItem      *item,
                                     const char  *id);
void        fw_item_set_value       (FwItem      *item,
                                     double       value);
void        fw_item_add_flags       (FwItem      *item,
                                     FwItemFlags  flags);
void        fw_item_take_fields     (FwItem      *item,
                                     GVariant    *fields);
void        fw_item_take_group      (FwItem      *item,
                                     GPtrArray   *group);
GPtrArray  *fw_item_get_group       (const FwItem *item);

/* For language bindings; C reads the fields */
FwItemKind  fw_item_get_kind        (const FwItem *item);
FwLevel     fw_item_get_level       (const FwItem *item);
FwItemFlags fw_item_get_flags       (const FwItem *item);
gint64      fw_item_get_time        (const FwItem *item);
gint64      fw_item_get_source_time (const FwItem *item);
const char *fw_item_get_feed        (const FwItem *item);
const char *fw_item_get_name        (const FwItem *item);
const char *fw_item_get_unit        (const FwItem *item);
const char *fw_item_get_id          (const FwItem *item);
gboolean    fw_item_has_value       (const FwItem *item);
double      fw_item_get_value       (const FwItem *item);
const char *fw_item_get_text        (const FwItem *item);
GBytes     *fw_item_get_bytes       (const FwItem *item);
GVariant   *fw_item_get_fields      (const FwItem *item);
char       *fw_item_to_json         (const FwItem *item);

const char *fw_item_kind_to_string  (FwItemKind   kind);
const char *fw_level_to_string      (FwLevel      level);
FwLevel     fw_level_from_string    (const char  *word,
                                     gssize       len);

/**
 * fw_item_append_json:
 * @item: an item
 * @out: where to append the item's JSON text
 *
 * Appends the item as one line of `feedwatch --print` (a JSON object, without the newline) to @out:
 * the fast form of fw_item_to_json() for writers of many items.
 */
void        fw_item_append_json     (const FwItem *item,
                                     GString      *out);
/**
 * fw_append_json_string:
 * @out: where to append
 * @text: UTF-8 text, which may hold U+0000
 * @len: the length of @text in bytes
 *
 * Appends @text to @out as a quoted JSON string, escaped as JSON requires.
 */
void        fw_append_json_string   (GString      *out,
                                     const char   *text,
                                     gsize         len);
gsize       fw_utf8_valid_prefix    (const guint8 *p,
                                     gsize         len);
/**
 * fw_append_rfc3339_utc:
 * @out: where to append
 * @time_us: microseconds since the Unix epoch
 *
 * Appends a time as `--print` writes it: RFC 3339 in UTC with microseconds
 * ("2026-11-22T02:03:04.801234Z").
 */
void        fw_append_rfc3339_utc   (GString      *out,
                                     gint64        time_us);
void        fw_item_json_thread_done (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwItem, fw_item_unref)

G_END_DECLS
