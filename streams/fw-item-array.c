/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-item-array.c: a batch of items read a field at a time. A binding pays for each call it
 * makes into C (PyGObject: about half a microsecond), so reading a thousand items' kinds as one
 * array costs one call instead of a thousand, and the items need no wrapper of their own. */

#include "config.h"

#include "fw-item-array.h"

#include <math.h>

struct _FwItemArray
{
  GPtrArray *items;   /* FwItem*, owning its references */
  gint       ref_count;
};

/**
 * FwItemArray:
 *
 * A read-only batch of items for language bindings: one call returns one field of every item
 * (fw_item_array_get_kinds(), fw_item_array_get_texts(), …), where reading item by item would
 * cost a call per field and item. fw_item_array_get() gives an item itself for the rest.
 * fw_stream_next_batch_finish_array() returns the batch of a fw_stream_next_batch_async() call
 * as one.
 */
G_DEFINE_BOXED_TYPE (FwItemArray, fw_item_array, fw_item_array_ref, fw_item_array_unref)

/**
 * fw_item_array_new:
 * @items: (array length=n_items): the items
 * @n_items: the number of items at @items
 *
 * Makes an array of @items; it takes its own reference to each, the caller keeps its own.
 *
 * Returns: (transfer full): a new array of @items, in order
 */
FwItemArray *
fw_item_array_new (FwItem * const *items,
                   guint           n_items)
{
  GPtrArray *array;

  g_return_val_if_fail (items != NULL || n_items == 0, NULL);

  array = g_ptr_array_new_full (n_items, (GDestroyNotify) fw_item_unref);
  for (guint i = 0; i < n_items; i++)
    g_ptr_array_add (array, fw_item_ref (items[i]));
  return fw_item_array_new_take (array);
}

/**
 * fw_item_array_new_take: (skip)
 * @items: (transfer full) (element-type FwItem): items, in an array that unrefs them when it goes
 *   (as fw_stream_next_batch_finish() returns them)
 *
 * Makes an array of @items without copying them. For C: a binding's array would not unref its
 * items, so bindings call fw_item_array_new().
 *
 * Returns: (transfer full): a new array that owns @items
 */
FwItemArray *
fw_item_array_new_take (GPtrArray *items)
{
  FwItemArray *self;

  g_return_val_if_fail (items != NULL, NULL);

  self = g_new (FwItemArray, 1);
  self->items = items;
  self->ref_count = 1;
  return self;
}

/**
 * fw_item_array_ref:
 * @self: an array
 *
 * Takes a reference.
 *
 * Returns: (transfer full): @self
 */
FwItemArray *
fw_item_array_ref (FwItemArray *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_int_inc (&self->ref_count);
  return self;
}

/**
 * fw_item_array_unref:
 * @self: (transfer full): an array
 *
 * Drops a reference; the last one drops the items'.
 */
void
fw_item_array_unref (FwItemArray *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_int_dec_and_test (&self->ref_count))
    {
      g_ptr_array_unref (self->items);
      g_free (self);
    }
}

/**
 * fw_item_array_get_length:
 * @self: an array
 *
 * How many items the array holds: the length of every array its getters return.
 *
 * Returns: the number of items
 */
guint
fw_item_array_get_length (FwItemArray *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->items->len;
}

/**
 * fw_item_array_get:
 * @self: an array
 * @index: an index, less than fw_item_array_get_length()
 *
 * One item of the array, for what the field getters do not give (its fields, its group, its
 * JSON) and for calls that take an item.
 *
 * Returns: (transfer none): the item at @index, valid while the array is
 */
FwItem *
fw_item_array_get (FwItemArray *self,
                   guint        index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->items->len, NULL);

  return g_ptr_array_index (self->items, index);
}

#define ITEM(self, i) ((const FwItem *) g_ptr_array_index ((self)->items, (i)))

/* Every getter returns a new array of len + 1 elements: never NULL, even for no items. */
#define COLUMN(type, self, n_items, expression)          \
  G_STMT_START {                                         \
    guint len_ = (self)->items->len;                     \
    type *column_ = g_new0 (type, len_ + 1);             \
    for (guint i_ = 0; i_ < len_; i_++)                  \
      {                                                  \
        const FwItem *item = ITEM (self, i_);            \
        column_[i_] = (expression);                      \
      }                                                  \
    if ((n_items) != NULL)                               \
      *(n_items) = len_;                                 \
    return column_;                                      \
  } G_STMT_END

/**
 * fw_item_array_get_kinds:
 * @self: an array
 * @n_items: (out) (optional): where to store the number of items
 *
 * Every item's #FwItemKind, as fw_item_get_kind() gives it.
 *
 * Returns: (transfer full) (array length=n_items): the kind of each item, in order
 */
guint8 *
fw_item_array_get_kinds (FwItemArray *self,
                         guint       *n_items)
{
  g_return_val_if_fail (self != NULL, NULL);
  COLUMN (guint8, self, n_items, item->kind);
}

/**
 * fw_item_array_get_levels:
 * @self: an array
 * @n_items: (out) (optional): where to store the number of items
 *
 * Every item's #FwLevel, as fw_item_get_level() gives it.
 *
 * Returns: (transfer full) (array length=n_items): the severity of each item, in order
 */
guint8 *
fw_item_array_get_levels (FwItemArray *self,
                          guint       *n_items)
{
  g_return_val_if_fail (self != NULL, NULL);
  COLUMN (guint8, self, n_items, item->level);
}

/**
 * fw_item_array_get_flags:
 * @self: an array
 * @n_items: (out) (optional): where to store the number of items
 *
 * Every item's #FwItemFlags, as fw_item_get_flags() gives them.
 *
 * Returns: (transfer full) (array length=n_items): the flags of each item, in order
 */
guint8 *
fw_item_array_get_flags (FwItemArray *self,
                         guint       *n_items)
{
  g_return_val_if_fail (self != NULL, NULL);
  COLUMN (guint8, self, n_items, item->flags);
}

/**
 * fw_item_array_get_times:
 * @self: an array
 * @n_items: (out) (optional): where to store the number of items
 *
 * When each item arrived, as fw_item_get_time() gives it.
 *
 * Returns: (transfer full) (array length=n_items): each item's arrival, microseconds since the
 *   Unix epoch, in order
 */
gint64 *
fw_item_array_get_times (FwItemArray *self,
                         guint       *n_items)
{
  g_return_val_if_fail (self != NULL, NULL);
  COLUMN (gint64, self, n_items, item->time_us);
}

/**
 * fw_item_array_get_source_times:
 * @self: an array
 * @n_items: (out) (optional): where to store the number of items
 *
 * The time each item's source wrote in it, as fw_item_get_source_time() gives it.
 *
 * Returns: (transfer full) (array length=n_items): each item's source time, microseconds since
 *   the Unix epoch or 0 where it had none, in order
 */
gint64 *
fw_item_array_get_source_times (FwItemArray *self,
                                guint       *n_items)
{
  g_return_val_if_fail (self != NULL, NULL);
  COLUMN (gint64, self, n_items, item->source_time_us);
}

/**
 * fw_item_array_get_values:
 * @self: an array
 * @n_items: (out) (optional): where to store the number of items
 *
 * Every item's number, as fw_item_get_value() gives it; %FW_ITEM_FLAG_HAS_VALUE in
 * fw_item_array_get_flags() says which items carry one.
 *
 * Returns: (transfer full) (array length=n_items): each item's number, NaN where it has none,
 *   in order
 */
double *
fw_item_array_get_values (FwItemArray *self,
                          guint       *n_items)
{
  g_return_val_if_fail (self != NULL, NULL);
  COLUMN (double, self, n_items,
          (item->flags & FW_ITEM_FLAG_HAS_VALUE) != 0 ? item->value : (double) NAN);
}

/**
 * fw_item_array_get_texts:
 * @self: an array
 * @n_items: (out) (optional): where to store the number of items
 *
 * Every item's text, as fw_item_get_text() gives it (a binding may cut it at a U+0000;
 * fw_item_get_bytes() has all of it).
 *
 * Returns: (transfer container) (array length=n_items): each item's text, in order, valid while
 *   the array is
 */
const char **
fw_item_array_get_texts (FwItemArray *self,
                         guint       *n_items)
{
  g_return_val_if_fail (self != NULL, NULL);
  COLUMN (const char *, self, n_items, item->text);
}

/**
 * fw_item_array_get_feeds:
 * @self: an array
 * @n_items: (out) (optional): where to store the number of items
 *
 * The feed of every item, as fw_item_get_feed() gives it.
 *
 * Returns: (transfer container) (array length=n_items): the feed each item came from (%NULL
 *   where it has none), in order, valid while the array is
 */
const char **
fw_item_array_get_feeds (FwItemArray *self,
                         guint       *n_items)
{
  g_return_val_if_fail (self != NULL, NULL);
  COLUMN (const char *, self, n_items, item->feed);
}

/**
 * fw_item_array_get_names:
 * @self: an array
 * @n_items: (out) (optional): where to store the number of items
 *
 * The name of every item, as fw_item_get_name() gives it.
 *
 * Returns: (transfer container) (array length=n_items): each item's name (%NULL where it has
 *   none), in order, valid while the array is
 */
const char **
fw_item_array_get_names (FwItemArray *self,
                         guint       *n_items)
{
  g_return_val_if_fail (self != NULL, NULL);
  COLUMN (const char *, self, n_items, item->name);
}

/**
 * fw_item_array_get_units:
 * @self: an array
 * @n_items: (out) (optional): where to store the number of items
 *
 * The unit of every item, as fw_item_get_unit() gives it.
 *
 * Returns: (transfer container) (array length=n_items): each item's unit (%NULL where it has
 *   none), in order, valid while the array is
 */
const char **
fw_item_array_get_units (FwItemArray *self,
                         guint       *n_items)
{
  g_return_val_if_fail (self != NULL, NULL);
  COLUMN (const char *, self, n_items, item->unit);
}

/**
 * fw_item_array_get_ids:
 * @self: an array
 * @n_items: (out) (optional): where to store the number of items
 *
 * The id of every item, as fw_item_get_id() gives it.
 *
 * Returns: (transfer container) (array length=n_items): each item's id (%NULL where it has
 *   none), in order, valid while the array is
 */
const char **
fw_item_array_get_ids (FwItemArray *self,
                       guint       *n_items)
{
  g_return_val_if_fail (self != NULL, NULL);
  COLUMN (const char *, self, n_items, item->id);
}
