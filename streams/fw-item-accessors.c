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
 * Returns: the time its source wrote in it (a log line's timestamp), microseconds since the
 *   Unix epoch, or 0 when it had none
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
