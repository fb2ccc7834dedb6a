/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-item-accessors.c: an item's fields through functions, for language bindings (C reads the
 * public fields of #FwItem directly). */

#include "config.h"

#include "fw-item.h"

#include <math.h>

/**
 * fw_item_get_kind:
 * @item: the item
 *
 * What the item is, which says which of its fields are set.
 *
 * Returns: what kind of item it is
 */
FwItemKind
fw_item_get_kind (const FwItem *item)
{
  g_return_val_if_fail (item != NULL, FW_ITEM_LINE);
  return item->kind;
}

/**
 * fw_item_get_level:
 * @item: the item
 *
 * The item's severity, from the log line's level, the message's `level` member, or the status.
 *
 * Returns: its severity, %FW_LEVEL_NONE when the feed gives none
 */
FwLevel
fw_item_get_level (const FwItem *item)
{
  g_return_val_if_fail (item != NULL, FW_LEVEL_NONE);
  return item->level;
}

/**
 * fw_item_get_flags:
 * @item: the item
 *
 * Facts about the payload and its origin: cut at a size cap, from standard error, binary, replayed.
 *
 * Returns: its #FwItemFlags (truncated, from standard error, binary, …)
 */
FwItemFlags
fw_item_get_flags (const FwItem *item)
{
  g_return_val_if_fail (item != NULL, FW_ITEM_FLAG_NONE);
  return item->flags;
}

/**
 * fw_item_get_time:
 * @item: the item
 *
 * When Feedwatch received the item; compare fw_item_get_source_time().
 *
 * Returns: when it arrived: wall clock, microseconds since the Unix epoch
 */
gint64
fw_item_get_time (const FwItem *item)
{
  g_return_val_if_fail (item != NULL, 0);
  return item->time_us;
}

/**
 * fw_item_get_source_time:
 * @item: the item
 *
 * When the source says the item was written, from a log line's timestamp or a JSON message's `time`
 * member.
 *
 * Returns: the time its source wrote in it (a log line's timestamp), microseconds since the Unix
 *   epoch, or 0 when it had none
 */
gint64
fw_item_get_source_time (const FwItem *item)
{
  g_return_val_if_fail (item != NULL, 0);
  return item->source_time_us;
}

/**
 * fw_item_get_feed:
 * @item: the item
 *
 * The feed the item came from, as the user wrote it, with its secrets masked.
 *
 * Returns: (nullable): the feed it came from, as the user wrote it (secrets masked)
 */
const char *
fw_item_get_feed (const FwItem *item)
{
  g_return_val_if_fail (item != NULL, NULL);
  return item->feed;
}

/**
 * fw_item_get_name:
 * @item: the item
 *
 * The item's name: a reading's series ("CPU"), an event's type, a status's state.
 *
 * Returns: (nullable): a reading's series, an event's type
 */
const char *
fw_item_get_name (const FwItem *item)
{
  g_return_val_if_fail (item != NULL, NULL);
  return item->name;
}

/**
 * fw_item_get_unit:
 * @item: the item
 *
 * The base unit of a reading's value, never scaled (see the FW_UNIT_ constants).
 *
 * Returns: (nullable): a reading's unit ("°C", "%", "B/s")
 */
const char *
fw_item_get_unit (const FwItem *item)
{
  g_return_val_if_fail (item != NULL, NULL);
  return item->unit;
}

/**
 * fw_item_get_id:
 * @item: the item
 *
 * The item's id: an SSE event's `id:`, a record's key.
 *
 * Returns: (nullable): an event's id
 */
const char *
fw_item_get_id (const FwItem *item)
{
  g_return_val_if_fail (item != NULL, NULL);
  return item->id;
}

/**
 * fw_item_has_value:
 * @item: the item
 *
 * Whether the item carries a number; readings always do, other items may.
 *
 * Returns: whether it carries a number (fw_item_get_value())
 */
gboolean
fw_item_has_value (const FwItem *item)
{
  g_return_val_if_fail (item != NULL, FALSE);
  return (item->flags & FW_ITEM_FLAG_HAS_VALUE) != 0;
}

/**
 * fw_item_get_value:
 * @item: the item
 *
 * The item's number: a reading's value, a number parsed from a message.
 *
 * Returns: its number when fw_item_has_value(), else NaN
 */
double
fw_item_get_value (const FwItem *item)
{
  g_return_val_if_fail (item != NULL, 0);
  return fw_item_has_value (item) ? item->value : (double) NAN;
}

/**
 * fw_item_get_text:
 * @item: the item
 *
 * Its text, valid UTF-8. It may hold U+0000 (an event's data can): a binding that stops at the
 * first NUL reads all of it through fw_item_get_bytes() instead.
 *
 * Returns: (transfer none): the text
 */
const char *
fw_item_get_text (const FwItem *item)
{
  g_return_val_if_fail (item != NULL, NULL);
  return item->text;
}

/**
 * fw_item_get_bytes:
 * @item: the item
 *
 * The item's payload as bytes: for binary data (%FW_ITEM_FLAG_BINARY) and for text that holds
 * U+0000, which fw_item_get_text() cuts short in bindings.
 *
 * Returns: (transfer full): the whole text or binary payload, NULs included
 */
GBytes *
fw_item_get_bytes (const FwItem *item)
{
  g_return_val_if_fail (item != NULL, NULL);
  return g_bytes_new (item->text, item->text_len);
}

/**
 * fw_item_get_fields:
 * @item: the item
 *
 * What else the source knows about the item: every member of a JSON message, a folder event's path.
 *
 * Returns: (transfer none) (nullable): its structured fields (a JSON message's keys, a journal
 *   entry's fields) as an `a{sv}` dictionary
 */
GVariant *
fw_item_get_fields (const FwItem *item)
{
  g_return_val_if_fail (item != NULL, NULL);
  return item->fields;
}

/**
 * fw_item_to_json:
 * @item: the item
 *
 * Writes the item as `feedwatch --print` does: one JSON object with its feed, time, kind and the
 * fields that apply.
 *
 * Returns: (transfer full): the item as one line of `feedwatch --print`, without the newline
 */
char *
fw_item_to_json (const FwItem *item)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (item != NULL, NULL);
  fw_item_append_json (item, out);
  return g_string_free (out, FALSE);
}
