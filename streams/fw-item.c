/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-item.c: the record every feed produces, and its JSON Lines form */

#include "fw-item.h"

#include <math.h>
#include <string.h>
#include <time.h>

G_DEFINE_BOXED_TYPE (FwItem, fw_item, fw_item_ref, fw_item_unref)

/* GLib 2.74's g_ref_string_new_intern() races with g_ref_string_release(): the releasing thread
 * drops the count to 0 before it takes the string out of GLib's table, so a thread interning the
 * same text in between is handed a string being freed. Ours keeps one reference to each string
 * it shares, so a shared string's count never reaches 0. Bounded: past INTERN_MAX_BYTES of text,
 * or for a string longer than INTERN_MAX_LEN, a new unshared string is made instead. */
#define INTERN_MAX_BYTES (4 * 1024 * 1024)
#define INTERN_MAX_LEN   1024

static GMutex intern_lock;
static GHashTable *interned;
static gsize interned_bytes;

/**
 * fw_ref_string_intern: (skip)
 * @str: the text
 *
 * Feeds' and items' names are shared through this, not g_ref_string_new_intern(), which is not
 * safe across threads in GLib 2.74. Strings are shared up to a bound (4 MB of text, 1 KB each);
 * past it, each call makes a new string, so compare names by text, not by address, unless both
 * came from one source's single reference.
 *
 * Returns: a new reference to the shared copy of @str; release it with
 *   g_ref_string_release()
 */
GRefString *
fw_ref_string_intern (const char *str)
{
  GRefString *ref;
  gsize len;

  g_return_val_if_fail (str != NULL, NULL);

  len = strlen (str);
  g_mutex_lock (&intern_lock);
  if (G_UNLIKELY (interned == NULL))
    interned = g_hash_table_new (g_str_hash, g_str_equal);
  ref = g_hash_table_lookup (interned, str);
  if (ref != NULL)
    ref = g_ref_string_acquire (ref);
  else if (len <= INTERN_MAX_LEN && interned_bytes + len + 1 <= INTERN_MAX_BYTES)
    {
      ref = g_ref_string_new_len (str, (gssize) len);
      g_hash_table_add (interned, ref);
      interned_bytes += len + 1;
      ref = g_ref_string_acquire (ref);
    }
  else
    ref = g_ref_string_new_len (str, (gssize) len);
  g_mutex_unlock (&intern_lock);

  return ref;
}

/**
 * fw_item_new: (skip)
 * @kind: what kind of item it is
 * @feed: the feed (or %NULL), as a #GRefString the source keeps (acquired here: a source makes it
 *   once, not per item)
 * @time_us: when it arrived: wall clock, microseconds since the Unix epoch
 * @text: the payload: a line, an event's data, a message
 * @text_len: the length of @text, or -1 when it is NUL-terminated
 *
 * One allocation per item: the header and the text together.
 *
 * Returns: (transfer full): a new item holding one reference
 */
FwItem *
fw_item_new (FwItemKind  kind,
             GRefString *feed,
             gint64      time_us,
             const char *text,
             gssize      text_len)
{
  FwItem *item;

  if (text == NULL)
    text_len = 0;
  else if (text_len < 0)
    text_len = strlen (text);

  item = g_malloc (sizeof (FwItem) + (gsize) text_len + 1);
  item->time_us = time_us;
  item->source_time_us = 0;
  item->feed = feed != NULL ? g_ref_string_acquire (feed) : NULL;
  item->name = NULL;
  item->unit = NULL;
  item->id = NULL;
  item->fields = NULL;
  item->group = NULL;
  item->value = 0.0;
  item->text_len = (gsize) text_len;
  item->kind = kind;
  item->level = FW_LEVEL_NONE;
  item->flags = 0;
  item->in_block = FALSE;
  item->ref_count = 1;
  if (text_len > 0)
    memcpy (item->text, text, (gsize) text_len);
  item->text[text_len] = '\0';

  return item;
}

/**
 * fw_item_new_reading: (skip)
 * @feed: the feed (or %NULL), as a #GRefString (acquired here)
 * @time_us: when it arrived, µs since the epoch
 * @name: the series
 * @value: the reading
 * @unit: (nullable): its unit
 *
 * Makes a %FW_ITEM_READING item: one sample of a numeric series, as sensors and metrics produce
 * them.
 *
 * Returns: (transfer full): a reading item
 */
FwItem *
fw_item_new_reading (GRefString *feed,
                     gint64      time_us,
                     const char *name,
                     double      value,
                     const char *unit)
{
  FwItem *item = fw_item_new (FW_ITEM_READING, feed, time_us, NULL, 0);

  fw_item_set_name (item, name);
  fw_item_set_value (item, value);
  fw_item_set_unit (item, unit);

  return item;
}

/**
 * fw_item_ref:
 * @item: an item
 *
 * Takes a reference on @item. Items are immutable once a source has handed them on, so a reference
 * may be kept and read from any thread.
 *
 * Returns: (transfer full): @item
 */
FwItem *
fw_item_ref (FwItem *item)
{
  g_return_val_if_fail (item != NULL, NULL);

  g_atomic_int_inc (&item->ref_count);

  return item;
}

/* ---------------------------------------------------------------------------------------- */
/* Blocks: items made together by a fast source live in one allocation, which is freed when the
 * last of them is. A log read of a million lines then costs a few hundred mallocs instead of a
 * million, and the thread that makes the items (a source's worker) no longer pays with a
 * cross-thread free per item on the main context. Each item is preceded by a pointer to its
 * block. A block holds at most a few tens of KiB, so an item kept long (in the window's
 * history, which drops items oldest first) keeps little else alive. */

struct _FwItemBlock
{
  gint        ref_count;  /* live items, plus BUILDER_REFS while the builder holds it */
  guint       n_added;    /* items made, counted by the builder alone */
  GRefString *feed;       /* one reference for all the items */
  GRefString *name;       /* NULL, or one reference for the items that carry this name */
  gsize       used;
  gsize       capacity;
  gint64      data[];     /* [FwItemBlock *][FwItem + text], …, 8-byte aligned */
};

/* The builder's hold on a block stands for every item it will make, so adding an item costs
 * no atomic operation: the items made are settled in one when the builder lets go. Items
 * dropped before that only bring the count down from this bias, never to zero. */
#define BUILDER_REFS (1 << 30)

/* FwItem.in_block bits */
#define IN_BLOCK      1
#define NAME_BORROWED 2 /* item->name is the block's reference */

#define BLOCK_SLOT_HEADER sizeof (gint64)

static gsize live_block_bytes;  /* atomic: the storage of every block alive */

static inline gsize
block_slot_size (gsize text_len)
{
  return (BLOCK_SLOT_HEADER + sizeof (FwItem) + text_len + 1 + 7) & ~(gsize) 7;
}

/**
 * fw_item_block_slot_size:
 * @text_len: the length in bytes of an item's text
 *
 * Tells how much of a block an item takes, for a source that sizes its blocks.
 *
 * Returns: the bytes of block storage an item with @text_len bytes of text takes, to size a block
 *   for what is about to go in it
 */
gsize
fw_item_block_slot_size (gsize text_len)
{
  return block_slot_size (text_len);
}

/**
 * fw_item_block_new: (skip)
 * @feed: the feed of every item made in the block, or %NULL
 * @capacity: the bytes of item storage; fw_item_block_add() returns %NULL once they are used
 *
 * A builder for items made in bulk (see fw_item_block_add()); drop it with
 * fw_item_block_release() when done adding. It may be made on one thread and its items freed
 * on another.
 *
 * Returns: (transfer full): a new builder
 */
FwItemBlock *
fw_item_block_new (GRefString *feed,
                   gsize       capacity)
{
  FwItemBlock *block = g_malloc (sizeof (FwItemBlock) + capacity);

  block->ref_count = BUILDER_REFS;
  block->n_added = 0;
  block->feed = feed != NULL ? g_ref_string_acquire (feed) : NULL;
  block->name = NULL;
  block->used = 0;
  block->capacity = capacity;
  g_atomic_pointer_add (&live_block_bytes, (gssize) capacity);

  return block;
}

static void
block_free (FwItemBlock *block)
{
  g_atomic_pointer_add (&live_block_bytes, -(gssize) block->capacity);
  if (block->feed != NULL)
    g_ref_string_release (block->feed);
  if (block->name != NULL)
    g_ref_string_release (block->name);
  g_free (block);
}

static void
block_unref (FwItemBlock *block)
{
  if (g_atomic_int_dec_and_test (&block->ref_count))
    block_free (block);
}

/* @n references of items that were in @block, given back at once */
static inline void
block_unref_n (FwItemBlock *block,
               int          n)
{
  if (block != NULL && n > 0 && g_atomic_int_add (&block->ref_count, -n) == n)
    block_free (block);
}

static inline FwItemBlock *
block_of (const FwItem *item)
{
  FwItemBlock *block;

  memcpy (&block, (const char *) item - BLOCK_SLOT_HEADER, sizeof block);
  return block;
}

/**
 * fw_item_block_add: (skip)
 * @block: the builder
 * @kind: what kind of item it is
 * @time_us: when it arrived: wall clock, microseconds since the Unix epoch
 * @text: the payload
 * @text_len: the length of @text in bytes
 *
 * Like fw_item_new() with the block's feed, but in the block's storage.
 *
 * Returns: (transfer full) (nullable): the item, or %NULL when the block has no room for it
 */
FwItem *
fw_item_block_add (FwItemBlock *block,
                   FwItemKind   kind,
                   gint64       time_us,
                   const char  *text,
                   gsize        text_len)
{
  gsize size = block_slot_size (text_len);
  char *slot;
  FwItem *item;

  if (block->capacity - block->used < size)
    return NULL;

  slot = (char *) block->data + block->used;
  block->used += size;
  memcpy (slot, &block, sizeof block);
  block->n_added++;

  /* Slots are 8-byte aligned (block_slot_size), as FwItem needs */
  item = (FwItem *) (void *) (slot + BLOCK_SLOT_HEADER);
  item->time_us = time_us;
  item->source_time_us = 0;
  item->feed = block->feed;
  item->name = NULL;
  item->unit = NULL;
  item->id = NULL;
  item->fields = NULL;
  item->group = NULL;
  item->value = 0.0;
  item->text_len = text_len;
  item->kind = kind;
  item->level = FW_LEVEL_NONE;
  item->flags = 0;
  item->in_block = IN_BLOCK;
  item->ref_count = 1;
  if (text_len > 0)
    memcpy (item->text, text, text_len);
  item->text[text_len] = '\0';

  return item;
}

/* Items a block holds at the most, as bytes: one kept long keeps little else alive */
#define BLOCK_MAX_BYTES (48 * 1024)

/**
 * fw_item_block_add_to: (skip)
 * @block: (inout) (nullable): the builder's current block, replaced when full
 * @feed: the feed of the items, for a new block
 * @bytes_left: how many bytes of input are still to become items after this one: a new block is
 *   sized for them (a slot's overhead for every 32 bytes, shorter items start another block), so a
 *   quiet feed's one-item reads make one-item blocks
 * @kind: what kind of item it is
 * @time_us: when it arrived: wall clock, microseconds since the Unix epoch
 * @text: the payload
 * @text_len: the length of @text in bytes
 *
 * fw_item_block_add(), starting a new block of @feed's when the current one is full.
 *
 * Returns: (transfer full): the item
 */
FwItem *
fw_item_block_add_to (FwItemBlock **block,
                      GRefString   *feed,
                      gsize         bytes_left,
                      FwItemKind    kind,
                      gint64        time_us,
                      const char   *text,
                      gsize         text_len)
{
  FwItem *item = NULL;
  gsize capacity;

  if (*block != NULL)
    item = fw_item_block_add (*block, kind, time_us, text, text_len);
  if (item != NULL)
    return item;

  capacity = block_slot_size (text_len) + bytes_left + (bytes_left / 32 + 1) * block_slot_size (0);
  capacity = MIN (capacity, MAX (BLOCK_MAX_BYTES, block_slot_size (text_len)));
  g_clear_pointer (block, fw_item_block_release);
  *block = fw_item_block_new (feed, capacity);

  return fw_item_block_add (*block, kind, time_us, text, text_len);
}

/**
 * fw_item_block_release: (skip)
 * @block: the builder
 *
 * Drops the builder's hold: the block is freed with its last item.
 */
void
fw_item_block_release (FwItemBlock *block)
{
  int settle;

  if (block == NULL)
    return;
  settle = (int) block->n_added - BUILDER_REFS;
  if (g_atomic_int_add (&block->ref_count, settle) + settle == 0)
    block_free (block);
}

/**
 * fw_item_block_get_live_bytes:
 *
 * Tells how much item storage blocks hold in the whole process, to check that items are freed.
 *
 * Returns: the item storage of all blocks alive in the process (for tests and statistics)
 */
gsize
fw_item_block_get_live_bytes (void)
{
  return (gsize) g_atomic_pointer_get (&live_block_bytes);
}

/**
 * fw_item_unref:
 * @item: an item
 *
 * Drops a reference on @item, freeing it with the last one.
 */
void
fw_item_unref (FwItem *item)
{
  g_return_if_fail (item != NULL);

  /* Dropping the last reference needs no locked operation: nobody else holds one to change
   * the count meanwhile. Most items are dropped by their only holder, a million a second. */
  if (g_atomic_int_get (&item->ref_count) != 1 && !g_atomic_int_dec_and_test (&item->ref_count))
    return;

  if (item->name != NULL && !(item->in_block & NAME_BORROWED))
    g_ref_string_release ((char *) item->name);
  g_free (item->id);
  g_clear_pointer (&item->fields, g_variant_unref);
  g_clear_pointer (&item->group, g_ptr_array_unref);

  if (item->in_block)
    {
      block_unref (block_of (item));
      return;
    }

  if (item->feed != NULL)
    g_ref_string_release ((char *) item->feed);
  g_free (item);
}

/**
 * fw_item_unref_many:
 * @items: (array length=n): items, each with a reference the caller gives up
 * @n: how many
 *
 * fw_item_unref() on each item. The last references of consecutive items of one block come
 * back to it in one atomic operation rather than one an item: a consumer that drops a whole
 * batch (fw_stream_for_each()) saves an atomic operation on almost every item.
 */
void
fw_item_unref_many (FwItem * const *items,
                    guint           n)
{
  FwItemBlock *block = NULL;
  int pending = 0;

  for (guint i = 0; i < n; i++)
    {
      FwItem *item = items[i];

      if (!item->in_block || g_atomic_int_get (&item->ref_count) != 1)
        {
          fw_item_unref (item);
          continue;
        }

      /* The last reference, as fw_item_unref() drops it, but for the block's reference */
      if (item->name != NULL && !(item->in_block & NAME_BORROWED))
        g_ref_string_release ((char *) item->name);
      g_free (item->id);
      g_clear_pointer (&item->fields, g_variant_unref);
      g_clear_pointer (&item->group, g_ptr_array_unref);

      if (block_of (item) != block)
        {
          block_unref_n (block, pending);
          block = block_of (item);
          pending = 0;
        }
      pending++;
    }
  block_unref_n (block, pending);
}

/**
 * fw_item_set_level:
 * @item: an item not yet handed on
 * @level: its severity
 *
 * Sets an item's severity. Sources set fields before they yield the item; items handed on are not
 * changed.
 */
void
fw_item_set_level (FwItem  *item,
                   FwLevel  level)
{
  item->level = level;
}

static void
clear_name (FwItem *item)
{
  if (item->name != NULL && !(item->in_block & NAME_BORROWED))
    g_ref_string_release ((char *) item->name);
  item->name = NULL;
  item->in_block &= ~NAME_BORROWED;
}

/**
 * fw_item_set_name:
 * @item: an item not yet handed on
 * @name: (nullable): a reading's series, an event's type, or %NULL
 *
 * Sets an item's name. For a source making many items with one name, fw_item_set_name_ref() is
 * cheaper.
 */
void
fw_item_set_name (FwItem     *item,
                  const char *name)
{
  clear_name (item);
  item->name = name != NULL ? fw_ref_string_intern (name) : NULL;
}

/**
 * fw_item_set_name_ref: (skip)
 * @item: the item
 * @name: a label the source made once, as a #GRefString
 *
 * For hot paths: items of a block that share one name (an SSE stream's "message") share the
 * block's reference to it, with no atomic operation per item.
 */
void
fw_item_set_name_ref (FwItem     *item,
                      GRefString *name)
{
  clear_name (item);
  if (name != NULL && (item->in_block & IN_BLOCK))
    {
      FwItemBlock *block = block_of (item);

      /* Only the builder names items, before handing them on */
      if (block->name == NULL)
        block->name = g_ref_string_acquire (name);
      if (block->name == name)
        {
          item->name = name;
          item->in_block |= NAME_BORROWED;
          return;
        }
    }
  item->name = name != NULL ? g_ref_string_acquire (name) : NULL;
}

/**
 * fw_item_set_unit:
 * @item: an item not yet handed on
 * @unit: (nullable): a reading's unit symbol ("°C", "B/s", %FW_UNIT_PERCENT), or %NULL
 *
 * Sets the unit of a reading's value: the base unit, never scaled (bytes, not kilobytes).
 */
void
fw_item_set_unit (FwItem     *item,
                  const char *unit)
{
  /* Units are a handful of short words: interning costs nothing and never frees. */
  item->unit = unit != NULL ? g_intern_string (unit) : NULL;
}

/**
 * fw_item_set_id:
 * @item: an item not yet handed on
 * @id: (nullable): an event's id, or %NULL
 *
 * Sets an item's id (an SSE event's `id:`, a record's key); it is copied.
 */
void
fw_item_set_id (FwItem     *item,
                const char *id)
{
  g_free (item->id);
  item->id = g_strdup (id);
}

/**
 * fw_item_set_value:
 * @item: an item not yet handed on
 * @value: the number
 *
 * Sets an item's numeric value and marks it with %FW_ITEM_FLAG_HAS_VALUE.
 */
void
fw_item_set_value (FwItem *item,
                   double  value)
{
  item->value = value;
  item->flags |= FW_ITEM_FLAG_HAS_VALUE;
}

/**
 * fw_item_add_flags:
 * @item: an item not yet handed on
 * @flags: the flags to add
 *
 * Adds @flags to an item's #FwItemFlags; flags already set stay.
 */
void
fw_item_add_flags (FwItem      *item,
                   FwItemFlags  flags)
{
  item->flags |= flags;
}

/**
 * fw_item_take_fields:
 * @item: an item not yet handed on
 * @fields: (transfer full) (nullable): an `a{sv}` dictionary, or %NULL to remove them
 *
 * Sets an item's structured fields (a JSON message's members); a floating @fields is sunk.
 */
void
fw_item_take_fields (FwItem   *item,
                     GVariant *fields)
{
  g_clear_pointer (&item->fields, g_variant_unref);
  item->fields = fields != NULL ? g_variant_ref_sink (fields) : NULL;
}

/**
 * fw_item_take_group: (skip)
 * @group: (transfer full) (element-type FwItem) (nullable): items, whose free function
 *   unrefs them
 *
 * Makes @item a group item, as fw_batch_new() does: a %FW_ITEM_MESSAGE that carries other
 * items. Only before the item is handed on.
 */
void
fw_item_take_group (FwItem    *item,
                    GPtrArray *group)
{
  g_clear_pointer (&item->group, g_ptr_array_unref);
  item->group = group;
}

/**
 * fw_item_get_group:
 * @item: an item
 *
 * A group item (a %FW_ITEM_MESSAGE made by fw_batch_new()) carries the items it groups.
 *
 * Returns: (transfer none) (element-type FwItem) (nullable): the items a group item carries
 */
GPtrArray *
fw_item_get_group (const FwItem *item)
{
  return item->group;
}

/**
 * fw_item_kind_to_string:
 * @kind: a kind of item
 *
 * Names an item kind for output and logs; the name is not translated.
 *
 * Returns: the kind's name as `feedwatch --print` writes it: "line", "reading", "event", "message"
 *   or "status"
 */
const char *
fw_item_kind_to_string (FwItemKind kind)
{
  switch (kind)
    {
    case FW_ITEM_LINE: return "line";
    case FW_ITEM_READING: return "reading";
    case FW_ITEM_EVENT: return "event";
    case FW_ITEM_MESSAGE: return "message";
    case FW_ITEM_STATUS: return "status";
    case FW_ITEM_ALERT: return "alert";
    default: return "unknown";
    }
}

/**
 * fw_level_to_string:
 * @level: a severity
 *
 * Names a severity as `--print` writes it; the name is not translated.
 *
 * Returns: (nullable): "trace", "debug", "info", "notice", "warning", "error" or "critical"; %NULL
 *   for %FW_LEVEL_NONE
 */
const char *
fw_level_to_string (FwLevel level)
{
  switch (level)
    {
    case FW_LEVEL_NONE: return NULL;
    case FW_LEVEL_TRACE: return "trace";
    case FW_LEVEL_DEBUG: return "debug";
    case FW_LEVEL_INFO: return "info";
    case FW_LEVEL_NOTICE: return "notice";
    case FW_LEVEL_WARNING: return "warning";
    case FW_LEVEL_ERROR: return "error";
    case FW_LEVEL_CRITICAL: return "critical";
    default: return NULL;
    }
}

/**
 * fw_level_from_string:
 * @word: a level as a log writes it
 * @len: the length of @word, or -1 when it is NUL-terminated
 *
 * Reads the words logs use for levels, in any case: "ERR", "Warning", "fatal", "crit"…
 *
 * Returns: the severity, %FW_LEVEL_NONE for a word that is not a level
 */
FwLevel
fw_level_from_string (const char *word,
                      gssize      len)
{
  static const struct { const char *word; FwLevel level; } words[] = {
    { "trace", FW_LEVEL_TRACE },
    { "debug", FW_LEVEL_DEBUG }, { "dbg", FW_LEVEL_DEBUG },
    { "info", FW_LEVEL_INFO }, { "information", FW_LEVEL_INFO }, { "informational", FW_LEVEL_INFO },
    { "notice", FW_LEVEL_NOTICE },
    { "warn", FW_LEVEL_WARNING }, { "warning", FW_LEVEL_WARNING },
    { "err", FW_LEVEL_ERROR }, { "error", FW_LEVEL_ERROR },
    { "crit", FW_LEVEL_CRITICAL }, { "critical", FW_LEVEL_CRITICAL },
    { "fatal", FW_LEVEL_CRITICAL }, { "alert", FW_LEVEL_CRITICAL },
    { "emerg", FW_LEVEL_CRITICAL }, { "emergency", FW_LEVEL_CRITICAL },
    { "panic", FW_LEVEL_CRITICAL },
  };

  if (word == NULL)
    return FW_LEVEL_NONE;
  if (len < 0)
    len = strlen (word);

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      if (strlen (words[i].word) == (gsize) len &&
          g_ascii_strncasecmp (words[i].word, word, len) == 0)
        return words[i].level;
    }

  return FW_LEVEL_NONE;
}

/**
 * fw_utf8_valid_prefix:
 * @p: bytes to check
 * @len: the number of bytes at @p
 *
 * Measures how much of a buffer is valid UTF-8, for sources that must pass text on as they read it
 * and cut a partial character at the end.
 *
 * Returns: how many leading bytes of @p are valid UTF-8, strictly (no overlong forms, surrogates or
 *   code points past U+10FFFF, as the WHATWG decoder reads it), with U+0000 allowed:
 *   g_utf8_validate() stops at a NUL, which SSE data and WebSocket text may hold
 */
gsize
fw_utf8_valid_prefix (const guint8 *p,
                      gsize         len)
{
  gsize i = 0;

  while (i < len)
    {
      guint8 c;
      guint8 lo = 0x80, hi = 0xBF;
      gsize need;

      while (i + 8 <= len)
        {
          guint64 word;

          memcpy (&word, p + i, 8);
          if (word & G_GUINT64_CONSTANT (0x8080808080808080))
            break;
          i += 8;
        }
      while (i < len && p[i] < 0x80)
        i++;
      if (i >= len)
        break;

      c = p[i];
      if (c >= 0xC2 && c <= 0xDF)
        need = 1;
      else if (c >= 0xE0 && c <= 0xEF)
        {
          need = 2;
          if (c == 0xE0)
            lo = 0xA0;
          else if (c == 0xED)
            hi = 0x9F;
        }
      else if (c >= 0xF0 && c <= 0xF4)
        {
          need = 3;
          if (c == 0xF0)
            lo = 0x90;
          else if (c == 0xF4)
            hi = 0x8F;
        }
      else
        return i;

      if (i + need >= len || p[i + 1] < lo || p[i + 1] > hi)
        return i;
      for (gsize k = 2; k <= need; k++)
        {
          if ((p[i + k] & 0xC0) != 0x80)
            return i;
        }
      i += need + 1;
    }

  return len;
}

/* JSON Lines are written in place, through a char pointer into room made once per part of a
 * record: GLib 2.74's GString appends are calls, and --print writes every item of every feed. */

/* Room for @n more bytes after @out's end; write them at the pointer returned, then end the
 * string with commit(). */
static inline char *
reserve (GString *out,
         gsize    n)
{
  if (out->allocated_len - out->len <= n)
    {
      gsize len = out->len;

      g_string_set_size (out, len + n);
      out->len = len;
    }
  return out->str + out->len;
}

static inline void
commit (GString *out,
        char    *end)
{
  out->len = (gsize) (end - out->str);
  *end = '\0';
}

#define WRITE_LITERAL(o, literal) \
  (memcpy ((o), "" literal, sizeof (literal) - 1), (o) + sizeof (literal) - 1)

/* Which of 8 bytes JSON escapes: a control (below 0x20), '"' or '\\', as the 0x80 bit of each
 * byte (the "has a byte less than" and "has a zero byte" word tests). Bits above the first byte
 * found may be wrong, the first is exact: a byte's borrow only reaches the bytes above it. */
static inline guint64
word_escape_mask (guint64 w)
{
  const guint64 ones = G_GUINT64_CONSTANT (0x0101010101010101);
  const guint64 highs = G_GUINT64_CONSTANT (0x8080808080808080);
  guint64 quote = w ^ (ones * '"');
  guint64 backslash = w ^ (ones * '\\');

  return (((w - ones * 0x20) & ~w) |
          ((quote - ones) & ~quote) |
          ((backslash - ones) & ~backslash)) & highs;
}

/* What follows the backslash for each byte JSON escapes, 'u' for \u00XX; 0 for the rest */
static const char json_escapes[256] = {
  'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'b', 't', 'n', 'u', 'f', 'r', 'u', 'u',
  'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
  ['"'] = '"', ['\\'] = '\\',
};

static inline char *
write_json_escape (char   *o,
                   guchar  c)
{
  static const char hex[] = "0123456789abcdef";
  char escape = json_escapes[c];

  o[0] = '\\';
  o[1] = escape;
  if (escape != 'u')
    return o + 2;
  memcpy (o + 2, "00", 2);
  o[4] = hex[c >> 4];
  o[5] = hex[c & 0xf];
  return o + 6;
}

/* @text escaped, without quotes, at @o, which has room for 6 * @len bytes (every byte a
 * \u00XX). NUL and other controls become \u00XX, as RFC 8259 asks. */
static char *
write_json_chars (char       *o,
                  const char *text,
                  gsize       len)
{
  const guchar *p = (const guchar *) text;
  const guchar *end = p + len;

  while (p < end)
    {
      const guchar *stop;

      /* 8 bytes at a time, stored whole (with 8 bytes or more still to come there is room for
       * them); where one is to be escaped, the bytes before it are kept and it is escaped. */
      while (end - p >= 8)
        {
          guint64 w, mask;

          memcpy (&w, p, 8);
          mask = word_escape_mask (w);
          memcpy (o, &w, 8);
          if (mask == 0)
            {
              o += 8;
              p += 8;
              continue;
            }
#if G_BYTE_ORDER == G_LITTLE_ENDIAN && defined (__GNUC__)
          {
            guint n = (guint) __builtin_ctzll (mask) / 8;

            o = write_json_escape (o + n, p[n]);
            p += n + 1;
            continue;
          }
#else
          break;
#endif
        }
#if G_BYTE_ORDER == G_LITTLE_ENDIAN && defined (__GNUC__)
      /* The last 2 to 7 bytes of a text of 8 or more, as one word: the 8 bytes that end the
       * text, shifted down to the ones still to do. The zeros shifted in above them are
       * flagged, but only above: a byte's bit is exact below the first byte flagged. Stored
       * whole: 2 bytes to come leave room for 12. */
      if (end - p >= 2 && end - p < 8 && len >= 8)
        {
          guint rest = (guint) (end - p);
          guint64 w, mask;

          memcpy (&w, end - 8, 8);
          w >>= 8 * (8 - rest);
          mask = word_escape_mask (w) & ((G_GUINT64_CONSTANT (1) << (8 * rest)) - 1);
          memcpy (o, &w, 8);
          if (mask == 0)
            return o + rest;
          {
            guint n = (guint) __builtin_ctzll (mask) / 8;

            o = write_json_escape (o + n, p[n]);
            p += n + 1;
            continue;
          }
        }
#endif
      /* The last few bytes (or a word with a byte to escape), one at a time */
      for (stop = p + MIN (end - p, 8); p < stop; p++)
        {
          if (G_LIKELY (json_escapes[*p] == 0))
            *o++ = (char) *p;
          else
            o = write_json_escape (o, *p);
        }
    }
  return o;
}

/* A string written whole has room made for its worst case at once; a longer one goes in
 * pieces, so a 16 MiB event does not ask for 96 MiB. */
#define JSON_PIECE (64 * 1024)

/* JSON string escaping by hand: json-glib would build a node tree for each item. */
void
fw_append_json_string (GString    *out,
                       const char *text,
                       gsize       len)
{
  char *o;

  if (len <= JSON_PIECE)
    {
      o = reserve (out, 6 * len + 2);
      *o++ = '"';
      o = write_json_chars (o, text, len);
      *o++ = '"';
      commit (out, o);
      return;
    }

  g_string_append_c (out, '"');
  for (gsize done = 0; done < len; done += JSON_PIECE)
    {
      gsize n = MIN (len - done, JSON_PIECE);

      o = reserve (out, 6 * n);
      commit (out, write_json_chars (o, text + done, n));
    }
  g_string_append_c (out, '"');
}

/* Room that write_rfc3339_utc() needs */
#define RFC3339_MAX 48

/* Items come in bursts: those of one read share their time, and the date and time change once
 * a second. Both are kept, per thread, so only the microseconds are made per item; an item's
 * arrival time and its source's own time keep one slot each, as they alternate. */
typedef struct
{
  gint64 us;
  gint64 secs;
  int    len;
  char   text[RFC3339_MAX];
} Rfc3339Cache;

enum { RFC3339_ARRIVAL, RFC3339_SOURCE, RFC3339_N_SLOTS };

static char *
write_rfc3339_utc (char   *o,
                   gint64  time_us,
                   guint   slot)
{
  static _Thread_local Rfc3339Cache caches[RFC3339_N_SLOTS] = {
    { G_MININT64, G_MININT64, 0, { 0 } },
    { G_MININT64, G_MININT64, 0, { 0 } },
  };
  Rfc3339Cache *cache = &caches[slot];
  time_t secs;
  guint32 frac;
  gint64 rem;

  if (time_us == cache->us)
    {
      memcpy (o, cache->text, RFC3339_MAX);
      return o + cache->len + 7;
    }

  secs = (time_t) (time_us / G_USEC_PER_SEC);
  rem = time_us % G_USEC_PER_SEC;
  if (rem < 0)
    {
      rem += G_USEC_PER_SEC;
      secs -= 1;
    }
  frac = (guint32) rem;
  if (secs != cache->secs)
    {
      struct tm tm;

      gmtime_r (&secs, &tm);
      cache->len = g_snprintf (cache->text, 40, "%04d-%02d-%02dT%02d:%02d:%02d.",
                               tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                               tm.tm_hour, tm.tm_min, tm.tm_sec);
      cache->len = MIN (cache->len, 39);
      cache->secs = secs;
    }
  for (int i = 5; i >= 0; i--)
    {
      cache->text[cache->len + i] = '0' + frac % 10;
      frac /= 10;
    }
  cache->text[cache->len + 6] = 'Z';
  cache->us = time_us;
  memcpy (o, cache->text, RFC3339_MAX);
  return o + cache->len + 7;
}

void
fw_append_rfc3339_utc (GString *out,
                       gint64   time_us)
{
  char *o = reserve (out, RFC3339_MAX);

  commit (out, write_rfc3339_utc (o, time_us, RFC3339_ARRIVAL));
}

/* The feed and the name repeat from item to item, and both are GRefStrings: each keeps its
 * last string escaped, per thread, with a reference to it, so an item costs a comparison of
 * addresses for them rather than an escape. The reference makes the address enough: a string
 * cannot be freed and another made at its address while the cache holds it. (A thread that
 * ends calls fw_item_json_thread_done(), or leaves its last two alive.) */
#define CACHED_STRING_MAX 256

typedef struct
{
  char  *ref;  /* GRefString */
  gsize  escaped_len;
  char   escaped[CACHED_STRING_MAX * 6 + 2];
} CachedString;

static _Thread_local CachedString string_cache[2];

/* The room @text (a GRefString) takes as a JSON string: exact when it is the one kept */
static inline gsize
ref_string_room (guint       slot,
                 const char *text)
{
  if (text == string_cache[slot].ref)
    return string_cache[slot].escaped_len;
  return 6 * strlen (text) + 2;
}

/**
 * fw_item_json_thread_done:
 *
 * Lets go of the strings the calling thread keeps for writing JSON: a thread that wrote items
 * with fw_item_append_json() calls it before it ends.
 */
void
fw_item_json_thread_done (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (string_cache); i++)
    g_clear_pointer (&string_cache[i].ref, g_ref_string_release);
}

/* @text, a GRefString, as a JSON string at @o, which has the room ref_string_room() said */
static char *
write_json_ref_string (char       *o,
                       guint       slot,
                       const char *text)
{
  CachedString *cache = &string_cache[slot];
  char *start = o;
  gsize len;

  if (text == cache->ref)
    {
      memcpy (o, cache->escaped, cache->escaped_len);
      return o + cache->escaped_len;
    }

  len = strlen (text);
  *o++ = '"';
  o = write_json_chars (o, text, len);
  *o++ = '"';
  if (len <= CACHED_STRING_MAX)
    {
      g_clear_pointer (&cache->ref, g_ref_string_release);
      cache->ref = g_ref_string_acquire ((char *) text);
      cache->escaped_len = (gsize) (o - start);
      memcpy (cache->escaped, start, cache->escaped_len);
    }
  return o;
}

/* The shortest of %.15g, %.16g and %.17g that reads back as @value: a recording must give back
 * the very number, and %.17g alone would write 0.1 as 0.10000000000000001. */
static const char *
format_double_exact (char   *buf,
                     gsize   size,
                     double  value)
{
  static const char *const formats[] = { "%.15g", "%.16g", "%.17g" };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, size, formats[i], value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  return buf;
}

/* The structured fields ("fields": {"host": "a", "n": 3}), as a source kept them: strings,
 * numbers and booleans; bytes (a binary payload) go beside it as "data" (append_binary_data()),
 * and nothing else is kept in fields. With @flat, they are members of the record itself. */
static void
append_fields_json (GVariant *fields,
                    gboolean  flat,
                    GString  *out)
{
  GVariantIter iter;
  const char *key;
  GVariant *value;
  gsize start = out->len;
  gboolean any = flat;

  if (!flat)
    g_string_append (out, ",\"fields\":{");
  g_variant_iter_init (&iter, fields);
  while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      gsize len;

      if (!g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) &&
          !g_variant_is_of_type (value, G_VARIANT_TYPE_INT64) &&
          !g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE) &&
          !g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
        continue;
      if (any)
        g_string_append_c (out, ',');
      any = TRUE;
      fw_append_json_string (out, key, strlen (key));
      g_string_append_c (out, ':');
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        {
          const char *text = g_variant_get_string (value, &len);
          fw_append_json_string (out, text, len);
        }
      else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
        g_string_append_printf (out, "%" G_GINT64_FORMAT, g_variant_get_int64 (value));
      else if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
        {
          double number = g_variant_get_double (value);

          if (!isfinite (number))
            g_string_append (out, "null");
          else
            {
              /* A whole double keeps a ".0": read back, it must not become an integer */
              g_string_append (out, format_double_exact (buf, sizeof buf, number));
              if (strpbrk (buf, ".eE") == NULL)
                g_string_append (out, ".0");
            }
        }
      else
        g_string_append (out, g_variant_get_boolean (value) ? "true" : "false");
    }
  if (flat)
    return;
  if (any)
    g_string_append_c (out, '}');
  else
    g_string_truncate (out, start);
}

/* A binary message's payload (its "data" field, ay) as base64 in a "data" member */
static void
append_binary_data (GVariant *fields,
                    GString  *out)
{
  g_autoptr(GVariant) data = g_variant_lookup_value (fields, "data", G_VARIANT_TYPE_BYTESTRING);
  const guint8 *bytes;
  gsize len, start, n;
  int state = 0, save = 0;

  if (data == NULL)
    return;
  bytes = g_variant_get_fixed_array (data, &len, 1);
  g_string_append (out, ",\"data\":\"");
  start = out->len;
  /* Encoded in place: a payload may be as large as max-message. */
  g_string_set_size (out, start + (len / 3 + 1) * 4 + 4);
  n = g_base64_encode_step (bytes, len, FALSE, out->str + start, &state, &save);
  n += g_base64_encode_close (FALSE, out->str + start + n, &state, &save);
  g_string_set_size (out, start + n);
  g_string_append_c (out, '"');
}

/* One JSON Lines record, as DESIGN.md §6 specifies, without the trailing newline. */
/* Room for the record's literal parts: its keys, quotes and punctuation, a kind, a level and the
 * "truncated" and "stream" members */
#define RECORD_LITERALS_MAX 192

/* The names of fw_item_kind_to_string() and fw_level_to_string() as literals, so each is one
 * store of known length (test-item compares the records with those functions' names). */
static inline char *
write_kind_json (char       *o,
                 FwItemKind  kind)
{
  switch (kind)
    {
    case FW_ITEM_LINE: return WRITE_LITERAL (o, ",\"kind\":\"line\"");
    case FW_ITEM_READING: return WRITE_LITERAL (o, ",\"kind\":\"reading\"");
    case FW_ITEM_EVENT: return WRITE_LITERAL (o, ",\"kind\":\"event\"");
    case FW_ITEM_MESSAGE: return WRITE_LITERAL (o, ",\"kind\":\"message\"");
    case FW_ITEM_STATUS: return WRITE_LITERAL (o, ",\"kind\":\"status\"");
    case FW_ITEM_ALERT: return WRITE_LITERAL (o, ",\"kind\":\"alert\"");
    default: return WRITE_LITERAL (o, ",\"kind\":\"unknown\"");
    }
}

static inline char *
write_level_json (char    *o,
                  FwLevel  level)
{
  switch (level)
    {
    case FW_LEVEL_TRACE: return WRITE_LITERAL (o, ",\"level\":\"trace\"");
    case FW_LEVEL_DEBUG: return WRITE_LITERAL (o, ",\"level\":\"debug\"");
    case FW_LEVEL_INFO: return WRITE_LITERAL (o, ",\"level\":\"info\"");
    case FW_LEVEL_NOTICE: return WRITE_LITERAL (o, ",\"level\":\"notice\"");
    case FW_LEVEL_WARNING: return WRITE_LITERAL (o, ",\"level\":\"warning\"");
    case FW_LEVEL_ERROR: return WRITE_LITERAL (o, ",\"level\":\"error\"");
    case FW_LEVEL_CRITICAL: return WRITE_LITERAL (o, ",\"level\":\"critical\"");
    case FW_LEVEL_NONE:
    default: return o;
    }
}

void
fw_item_append_json (const FwItem *item,
                     GString      *out)
{
  gsize feed_room = item->feed != NULL ? ref_string_room (0, item->feed) : 2;
  gsize name_room = item->name != NULL ? ref_string_room (1, item->name) : 0;
  gsize id_len = item->id != NULL ? strlen (item->id) : 0;
  gsize unit_len = item->unit != NULL ? strlen (item->unit) : 0;
  gboolean has_text = item->text_len > 0 || item->kind != FW_ITEM_READING;
  /* A text up to a piece goes in the room made for the rest of the record */
  gsize text_room = has_text && item->text_len <= JSON_PIECE ? 6 * item->text_len : 0;
  char value[G_ASCII_DTOSTR_BUF_SIZE];
  const char *value_text = "null";  /* JSON has no NaN or infinities */
  gsize value_len = 0;
  char *o;

  if (item->flags & FW_ITEM_FLAG_HAS_VALUE)
    {
      if (isfinite (item->value))
        value_text = format_double_exact (value, sizeof value, item->value);
      value_len = strlen (value_text);
    }

  /* Everything but the fields */
  o = reserve (out, RECORD_LITERALS_MAX + 2 * RFC3339_MAX + value_len + text_room + feed_room
                    + name_room + 6 * (id_len + unit_len));
  o = WRITE_LITERAL (o, "{\"feed\":");
  if (item->feed != NULL)
    o = write_json_ref_string (o, 0, item->feed);
  else
    o = WRITE_LITERAL (o, "\"\"");
  o = WRITE_LITERAL (o, ",\"time\":\"");
  o = write_rfc3339_utc (o, item->time_us, RFC3339_ARRIVAL);
  if (item->source_time_us != 0)
    {
      /* the time the source wrote in the item: a log line's own */
      o = WRITE_LITERAL (o, "\",\"source_time\":\"");
      o = write_rfc3339_utc (o, item->source_time_us, RFC3339_SOURCE);
    }
  *o++ = '"';
  o = write_kind_json (o, item->kind);
  if (item->name != NULL)
    {
      if (item->kind == FW_ITEM_EVENT)
        o = WRITE_LITERAL (o, ",\"type\":");
      else
        o = WRITE_LITERAL (o, ",\"name\":");
      o = write_json_ref_string (o, 1, item->name);
    }
  if (item->id != NULL)
    {
      o = WRITE_LITERAL (o, ",\"id\":\"");
      o = write_json_chars (o, item->id, id_len);
      *o++ = '"';
    }
  o = write_level_json (o, item->level);
  if (item->flags & FW_ITEM_FLAG_HAS_VALUE)
    {
      o = WRITE_LITERAL (o, ",\"value\":");
      memcpy (o, value_text, value_len);
      o += value_len;
    }
  if (item->unit != NULL)
    {
      o = WRITE_LITERAL (o, ",\"unit\":\"");
      o = write_json_chars (o, item->unit, unit_len);
      *o++ = '"';
    }
  if (has_text)
    {
      o = WRITE_LITERAL (o, ",\"text\":");
      if (item->text_len <= JSON_PIECE)
        {
          *o++ = '"';
          o = write_json_chars (o, item->text, item->text_len);
          *o++ = '"';
        }
      else
        {
          commit (out, o);
          fw_append_json_string (out, item->text, item->text_len);
          o = reserve (out, RECORD_LITERALS_MAX);
        }
    }
  if (item->flags & FW_ITEM_FLAG_TRUNCATED)
    o = WRITE_LITERAL (o, ",\"truncated\":true");
  if (item->flags & FW_ITEM_FLAG_STDERR)
    o = WRITE_LITERAL (o, ",\"stream\":\"stderr\"");
  else if (item->flags & FW_ITEM_FLAG_TERMINAL)
    o = WRITE_LITERAL (o, ",\"stream\":\"terminal\"");
  if (item->fields != NULL)
    {
      commit (out, o);
      /* An alert's fields (fired or cleared, the rule) are its own members */
      append_fields_json (item->fields, item->kind == FW_ITEM_ALERT, out);
      if (item->flags & FW_ITEM_FLAG_BINARY)
        append_binary_data (item->fields, out);
      o = reserve (out, 1);
    }
  *o++ = '}';
  commit (out, o);
}
