/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-history.c: the live list's model.
 *
 * Three layers, so that ingestion never waits for the view and the view never sees a position
 * that went bad under it:
 *
 * - the ring: the last `capacity` items, each known by its sequence number (seq), which counts
 *   every item ever appended and never repeats; the oldest also go when the ring's bytes pass
 *   `max_bytes` (see item_cost()), so a feed of big events cannot take the memory;
 * - `matches`: the seqs of ring items that pass the filter, ascending. Without a filter it is
 *   implicit (a range), so the common case costs no index at all;
 * - `shown`: the seqs the GListModel currently reports, i.e. what the last items-changed told
 *   the view. Items the ring evicts while still shown move to the graveyard and stay valid
 *   until a flush publishes their removal. The graveyard never holds more than what was shown,
 *   which was at most the ring plus a bounded slack, so memory stays bounded, frozen or not.
 *
 * fw_history_append() touches only the ring and `matches`. fw_history_flush() (once per frame,
 * from the window's tick callback) brings `shown` closer to `matches` with exactly one
 * items-changed: a removal at the front, an addition at the end, or, when the filter changed,
 * one replacement. When both a removal and an addition wait, the addition goes first unless
 * the graveyard passed its slack or nothing shown survives, and two removals never run back
 * to back, so the live end keeps moving under any flood. A filter change re-scans the ring
 * newest-first in bounded chunks from an idle; appends meanwhile test the new filter at once,
 * so the scan only has to prepend what it finds. */

#include "fw-history.h"

#include <string.h>

#define CACHE_SIZE     256 /* row objects kept: a few screens' worth, so scrolling does not churn */
#define SCAN_CHECK     1024
#define SCAN_BUDGET_US 4000
#define SCAN_PRIORITY  (G_PRIORITY_HIGH_IDLE + 30) /* after GTK's layout and redraw */

/* What an item costs besides its text: its header, the NUL, the allocator's rounding, its ring
 * slot and its match index entry; 176 bytes on 64-bit, close to the 177 bytes of memory per
 * short item the README measures with the history full. */
#define ITEM_OVERHEAD  (sizeof (FwItem) + 96)

/* An ascending list of seqs: either every seq of a range, or an explicit ring buffer. */
typedef struct
{
  gboolean  all;
  guint64   first;  /* when all */
  guint     len;
  guint     head;   /* when !all */
  guint     alloc;  /* a power of two */
  guint64  *data;
} SeqList;

typedef struct
{
  guint64       seq;
  FwItemObject *object;
} CacheSlot;

typedef struct
{
  char   *text;       /* as the user typed it, for the getter */
  gboolean is_regex;
  char   *needle;     /* ASCII needle, lowercased; or NULL */
  gsize   needle_len;
  GRegex *regex;      /* a regex search, or a non-ASCII needle; or NULL */
  guint   level_mask;
  char   *feed;
} Filter;

struct _FwHistory
{
  GObject     parent_instance;

  FwItem    **ring;
  guint       capacity;
  guint       ring_head;
  guint       ring_len;
  guint64     ring_first;     /* seq of ring[ring_head]; the next seq is ring_first + ring_len */
  guint64     max_bytes;
  guint64     ring_bytes;     /* item_cost() of the ring's items */
  guint64     dead_bytes;     /* item_cost() of the graveyard's items */
  gboolean    bytes_limited;  /* the last eviction was for max_bytes, not capacity */

  SeqList     matches;
  SeqList     shown;
  GPtrArray  *graveyard;      /* the items of shown[0 .. n_dead), evicted since shown */
  guint       n_dead;
  gboolean    stale;          /* shown came from another filter: replace it when the scan ends */
  gboolean    last_was_removal;

  Filter      filter;
  gboolean    filter_active;
  guint       scan_id;
  guint64     scan_cursor;    /* seqs below it, down to ring_first, are still to scan */
  guint64     scan_start;
  guint64     scan_base;
  gboolean    filtering;

  gboolean    frozen;
  guint64     n_total;
  guint64     n_dropped;
  guint64     n_unseen;

  /* last notified values: properties change at flush, not per item */
  guint64     notified_total;
  guint64     notified_dropped;
  guint64     notified_unseen;
  guint       notified_matches;

  CacheSlot   cache[CACHE_SIZE];
};

static void fw_history_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FwHistory, fw_history, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      fw_history_list_model_init))

enum {
  PROP_0,
  PROP_CAPACITY,
  PROP_MAX_BYTES,
  PROP_FROZEN,
  PROP_N_TOTAL,
  PROP_N_DROPPED,
  PROP_N_MATCHES,
  PROP_N_UNSEEN,
  PROP_N_ITEMS,
  PROP_FILTERING,
  PROP_SEARCH,
  PROP_LEVEL_MASK,
  PROP_FEED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* SeqList */

static inline guint64
seq_list_nth (const SeqList *list,
              guint          i)
{
  if (list->all)
    return list->first + i;
  return list->data[(list->head + i) & (list->alloc - 1)];
}

static void
seq_list_reset (SeqList  *list,
                gboolean  all,
                guint64   first,
                guint     len)
{
  list->all = all;
  list->first = first;
  list->len = all ? len : 0;
  list->head = 0;
  if (all)
    {
      g_clear_pointer (&list->data, g_free);
      list->alloc = 0;
    }
}

static void
seq_list_grow (SeqList *list)
{
  guint alloc = MAX (list->alloc * 2, 64);
  guint64 *data = g_new (guint64, alloc);

  for (guint i = 0; i < list->len; i++)
    data[i] = seq_list_nth (list, i);
  g_free (list->data);
  list->data = data;
  list->alloc = alloc;
  list->head = 0;
}

static inline void
seq_list_push_back (SeqList *list,
                    guint64  seq)
{
  if (list->all)
    {
      if (list->len == 0)
        list->first = seq;
      g_assert (list->first + list->len == seq);
      list->len++;
      return;
    }
  if (list->len == list->alloc)
    seq_list_grow (list);
  list->data[(list->head + list->len) & (list->alloc - 1)] = seq;
  list->len++;
}

static inline void
seq_list_push_front (SeqList *list,
                     guint64  seq)
{
  g_assert (!list->all);
  if (list->len == list->alloc)
    seq_list_grow (list);
  list->head = (list->head - 1) & (list->alloc - 1);
  list->data[list->head] = seq;
  list->len++;
}

static inline void
seq_list_drop_front (SeqList *list,
                     guint    n)
{
  g_assert (n <= list->len);
  if (list->all)
    list->first += n;
  else
    list->head = (list->head + n) & (list->alloc - 1);
  list->len -= n;
}

static void
seq_list_copy (SeqList       *dest,
               const SeqList *src)
{
  if (src->all)
    {
      seq_list_reset (dest, TRUE, src->first, src->len);
      return;
    }
  seq_list_reset (dest, FALSE, 0, 0);
  if (dest->alloc < src->len || dest->alloc > 4 * MAX (src->len, 64))
    {
      guint alloc = 64;

      while (alloc < src->len)
        alloc *= 2;
      g_free (dest->data);
      dest->data = g_new (guint64, alloc);
      dest->alloc = alloc;
    }
  for (guint i = 0; i < src->len; i++)
    dest->data[i] = seq_list_nth (src, i);
  dest->len = src->len;
}

/* Filters */

static void
filter_clear_search (Filter *filter)
{
  g_clear_pointer (&filter->text, g_free);
  g_clear_pointer (&filter->needle, g_free);
  g_clear_pointer (&filter->regex, g_regex_unref);
  filter->needle_len = 0;
}

static gboolean
filter_is_active (const Filter *filter)
{
  return filter->needle != NULL || filter->regex != NULL || filter->feed != NULL ||
         filter->level_mask != FW_HISTORY_ALL_LEVELS;
}

/* Case-insensitive for ASCII needles: a UTF-8 haystack's multibyte sequences never contain
 * ASCII bytes, so this cannot match inside a character. The haystack may hold NUL bytes. */
static gssize
ascii_case_find (const char *haystack,
                 gsize       haystack_len,
                 const char *needle,
                 gsize       needle_len)
{
  const char first_lower = needle[0];
  const char first_upper = g_ascii_toupper (needle[0]);
  const char *end;

  if (haystack_len < needle_len)
    return -1;

  end = haystack + haystack_len - needle_len + 1;
  for (const char *p = haystack; p < end; p++)
    {
      gsize i;

      if (*p != first_lower && *p != first_upper)
        continue;
      for (i = 1; i < needle_len; i++)
        if (g_ascii_tolower (p[i]) != needle[i])
          break;
      if (i == needle_len)
        return p - haystack;
    }

  return -1;
}

static gboolean
text_matches (const Filter *filter,
              const char   *text,
              gsize         len)
{
  if (filter->needle != NULL)
    return ascii_case_find (text, len, filter->needle, filter->needle_len) >= 0;
  return g_regex_match_full (filter->regex, text, len, 0, 0, NULL, NULL);
}

/* A structured field's text (a JSON message's "host": "db1") is searched as its row's text is */
static gboolean
fields_match (const Filter *filter,
              GVariant     *fields)
{
  GVariantIter iter;
  GVariant *value;

  g_variant_iter_init (&iter, fields);
  while (g_variant_iter_next (&iter, "{&sv}", NULL, &value))
    {
      gboolean found = FALSE;

      if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        {
          gsize len;
          const char *text = g_variant_get_string (value, &len);

          found = text_matches (filter, text, len);
        }
      g_variant_unref (value);
      if (found)
        return TRUE;
    }
  return FALSE;
}

static inline gboolean
filter_matches (const Filter *filter,
                const FwItem *item)
{
  if (item->level >= FW_N_LEVELS || !(filter->level_mask & (1u << item->level)))
    return FALSE;
  if (filter->feed != NULL &&
      (item->feed == NULL ||
       (item->feed != filter->feed && strcmp (item->feed, filter->feed) != 0)))
    return FALSE;
  if (filter->needle != NULL || filter->regex != NULL)
    {
      /* The name too: a reading's row shows "name value unit" and has no text. */
      return text_matches (filter, item->text, item->text_len) ||
             (item->name != NULL && text_matches (filter, item->name, strlen (item->name))) ||
             (item->fields != NULL && fields_match (filter, item->fields));
    }
  return TRUE;
}

/* The ring */

/* The memory an item keeps alive, in O(1) for plain items: the same on append and eviction, as
 * an item does not change once handed on. Items in an FwItemBlock count their slot; a block
 * lives until its last item goes, but the ring evicts in arrival order, so only the oldest
 * block of each feed can be partly dead (at most 48 KB each). Group items count their
 * members (what they were built from) but not the members' fields. */
static gsize
item_cost (const FwItem *item)
{
  gsize cost = ITEM_OVERHEAD + item->text_len;

  if (item->fields != NULL)
    cost += g_variant_get_size (item->fields);
  if (G_UNLIKELY (item->group != NULL))
    {
      for (guint i = 0; i < item->group->len; i++)
        cost += ITEM_OVERHEAD + ((const FwItem *) g_ptr_array_index (item->group, i))->text_len;
    }

  return cost;
}

static inline FwItem *
ring_get (FwHistory *self,
          guint64    seq)
{
  guint64 offset = seq - self->ring_first;

  g_assert (seq >= self->ring_first && offset < self->ring_len);

  return self->ring[(self->ring_head + offset) % self->capacity];
}

static inline void
evict_oldest (FwHistory *self)
{
  FwItem *item = self->ring[self->ring_head];
  guint64 seq = self->ring_first;
  gsize cost = item_cost (item);

  self->ring[self->ring_head] = NULL;
  if (++self->ring_head == self->capacity)
    self->ring_head = 0;
  self->ring_len--;
  self->ring_first++;
  self->ring_bytes -= cost;

  if (self->matches.len > 0 && seq_list_nth (&self->matches, 0) == seq)
    seq_list_drop_front (&self->matches, 1);

  /* Still on screen: keep it valid until a flush tells the view it is gone. */
  if (self->n_dead < self->shown.len && seq_list_nth (&self->shown, self->n_dead) == seq)
    {
      g_ptr_array_add (self->graveyard, item);
      self->n_dead++;
      self->dead_bytes += cost;
    }
  else
    {
      CacheSlot *slot = &self->cache[seq % CACHE_SIZE];

      /* A row object kept for scrolling must not keep a big item past the byte cap */
      if (slot->object != NULL && slot->seq == seq)
        g_clear_object (&slot->object);
      fw_item_unref (item);
    }
}

/* The view was told the graveyard's items are gone: let them go, and the row objects kept
 * for them (every evicted seq is below ring_first). */
static void
graveyard_clear (FwHistory *self)
{
  g_ptr_array_set_size (self->graveyard, 0);
  self->n_dead = 0;
  self->dead_bytes = 0;
  for (guint i = 0; i < CACHE_SIZE; i++)
    if (self->cache[i].object != NULL && self->cache[i].seq < self->ring_first)
      g_clear_object (&self->cache[i].object);
}

static void
cache_clear (FwHistory *self)
{
  for (guint i = 0; i < CACHE_SIZE; i++)
    g_clear_object (&self->cache[i].object);
}

/* Publishing */

static void
notify_counters (FwHistory *self)
{
  if (self->notified_total != self->n_total)
    {
      self->notified_total = self->n_total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TOTAL]);
    }
  if (self->notified_dropped != self->n_dropped)
    {
      self->notified_dropped = self->n_dropped;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DROPPED]);
    }
  if (self->notified_matches != self->matches.len)
    {
      self->notified_matches = self->matches.len;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_MATCHES]);
    }
  if (self->notified_unseen != self->n_unseen)
    {
      self->notified_unseen = self->n_unseen;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_UNSEEN]);
    }
}

static void
emit_items_changed (FwHistory *self,
                    guint      position,
                    guint      removed,
                    guint      added)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* Rows a replacement may swap at once. GtkListView (4.8) fetches every new item of a
 * replacement to look for rows it could keep: ~0.8 µs an item. Past this the rows shown are
 * removed in one frame and the new ones added in the next, each about 1 ms. */
#define REPLACE_MAX 10000

static void
publish_replacement (FwHistory *self)
{
  guint old_len = self->shown.len;

  if (old_len > REPLACE_MAX && self->matches.len > REPLACE_MAX)
    {
      /* Still stale: the next flush adds the new rows */
      seq_list_drop_front (&self->shown, old_len);
      graveyard_clear (self);
      self->last_was_removal = TRUE;
      emit_items_changed (self, 0, old_len, 0);
      return;
    }

  seq_list_copy (&self->shown, &self->matches);
  graveyard_clear (self);
  self->stale = FALSE;
  self->last_was_removal = FALSE;
  self->n_unseen = 0;
  if (old_len > 0 || self->shown.len > 0)
    emit_items_changed (self, 0, old_len, self->shown.len);
}

/**
 * fw_history_flush:
 *
 * Publishes what changed since the last flush as at most one items-changed, and notifies the
 * counters. Call it once per frame (a tick callback); while frozen only the counters move,
 * except that a finished filter change is always shown.
 *
 * Returns: %TRUE if the model is still behind the history (a later flush will publish more)
 */
gboolean
fw_history_flush (FwHistory *self)
{
  guint removed, live, added;

  g_return_val_if_fail (FW_IS_HISTORY (self), FALSE);

  if (self->stale)
    {
      if (!self->filtering)
        publish_replacement (self);
      notify_counters (self);
      return self->stale;
    }

  removed = self->n_dead;
  live = self->shown.len - removed;
  added = self->matches.len - live;

  if (!self->frozen && (removed > 0 || added > 0))
    {
      guint slack = self->capacity / 16;
      gboolean over_slack = removed > slack || self->dead_bytes > self->max_bytes / 16;

      /* Nothing shown survives: remove it all now and add the new items next frame, rather
       * than replace. GtkListView (4.8) asks for every item of a replacement to look for rows
       * it could keep, 100,000 object creations (~80 ms) for a full history; a removal at the
       * front costs about 1 ms and an addition at the end about as little. Only a flood the
       * view cannot keep up with gets here, and one frame shows no rows. */
      if (removed > 0 && (added == 0 || live == 0 || (over_slack && !self->last_was_removal)))
        {
          seq_list_drop_front (&self->shown, removed);
          graveyard_clear (self);
          self->last_was_removal = TRUE;
          emit_items_changed (self, 0, removed, 0);
        }
      else
        {
          guint position = self->shown.len;

          if (self->shown.all && self->matches.all)
            {
              if (self->shown.len == 0)
                self->shown.first = seq_list_nth (&self->matches, live);
              self->shown.len += added;
            }
          else
            {
              g_assert (!self->shown.all && !self->matches.all);
              for (guint i = live; i < self->matches.len; i++)
                seq_list_push_back (&self->shown, seq_list_nth (&self->matches, i));
            }
          self->last_was_removal = FALSE;
          emit_items_changed (self, position, 0, added);
        }
    }
  /* Nothing left to show: new items that came and went unseen are no longer "new". */
  if (!self->frozen && self->shown.len - self->n_dead == self->matches.len)
    self->n_unseen = 0;
  notify_counters (self);

  return self->n_dead > 0 || self->shown.len - self->n_dead != self->matches.len;
}

/**
 * fw_history_get_drops_all_shown:
 *
 * Whether the next fw_history_flush() removes every row the model shows now: a finished
 * filter change replaces them, or a flood outran them all. A view anchored on one of those
 * rows must move its anchor first (see "The head row" in fw-window.c).
 */
gboolean
fw_history_get_drops_all_shown (FwHistory *self)
{
  g_return_val_if_fail (FW_IS_HISTORY (self), FALSE);

  if (self->shown.len == 0)
    return FALSE;
  if (self->stale)
    return !self->filtering;
  return !self->frozen && self->n_dead == self->shown.len;
}

/* Filtering */

static void
set_filtering (FwHistory *self,
               gboolean   filtering)
{
  if (self->filtering == filtering)
    return;
  self->filtering = filtering;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILTERING]);
}

/* Returns TRUE when the scan is complete. Newest first, so the seqs found are prepended. */
static gboolean
scan_some (FwHistory *self)
{
  gint64 start = g_get_monotonic_time ();
  guint done = 0;

  while (self->scan_cursor > self->ring_first && done < FW_HISTORY_FILTER_CHUNK)
    {
      guint64 step = MIN (MIN (SCAN_CHECK, FW_HISTORY_FILTER_CHUNK - done),
                          self->scan_cursor - self->ring_first);
      guint64 stop = self->scan_cursor - step;
      guint index = (self->ring_head + (self->scan_cursor - 1 - self->ring_first)) % self->capacity;

      for (guint64 seq = self->scan_cursor; seq > stop; seq--)
        {
          if (filter_matches (&self->filter, self->ring[index]))
            seq_list_push_front (&self->matches, seq - 1);
          index = index == 0 ? self->capacity - 1 : index - 1;
        }
      done += self->scan_cursor - stop;
      self->scan_cursor = stop;

      if (g_get_monotonic_time () - start > SCAN_BUDGET_US)
        break;
    }

  return self->scan_cursor <= self->ring_first;
}

static gboolean
on_scan_idle (gpointer user_data)
{
  FwHistory *self = user_data;

  if (!scan_some (self))
    return G_SOURCE_CONTINUE;

  self->scan_id = 0;
  set_filtering (self, FALSE);

  return G_SOURCE_REMOVE;
}

/* The filter changed: rebuild `matches`; the view keeps the old list until the scan ends. */
static void
refilter (FwHistory *self)
{
  g_clear_handle_id (&self->scan_id, g_source_remove);

  self->filter_active = filter_is_active (&self->filter);
  self->stale = TRUE;

  if (!self->filter_active)
    {
      seq_list_reset (&self->matches, TRUE, self->ring_first, self->ring_len);
      set_filtering (self, FALSE);
      return;
    }

  seq_list_reset (&self->matches, FALSE, 0, 0);
  self->scan_start = self->scan_cursor = self->ring_first + self->ring_len;
  self->scan_base = self->ring_first;

  /* A small history is done at once; a large one goes on from an idle. */
  if (scan_some (self))
    {
      set_filtering (self, FALSE);
      return;
    }

  self->scan_id = g_idle_add_full (SCAN_PRIORITY, on_scan_idle, self, NULL);
  g_source_set_name_by_id (self->scan_id, "[feedwatch] history filter");
  set_filtering (self, TRUE);
}

/* GListModel */

static GType
fw_history_get_item_type (GListModel *model)
{
  return FW_TYPE_ITEM_OBJECT;
}

static guint
fw_history_get_n_items (GListModel *model)
{
  return FW_HISTORY (model)->shown.len;
}

static gpointer
fw_history_get_item (GListModel *model,
                     guint       position)
{
  FwHistory *self = FW_HISTORY (model);
  CacheSlot *slot;
  FwItem *item;
  guint64 seq;

  if (position >= self->shown.len)
    return NULL;

  seq = seq_list_nth (&self->shown, position);
  slot = &self->cache[seq % CACHE_SIZE];
  if (slot->object != NULL && slot->seq == seq)
    return g_object_ref (slot->object);

  if (position < self->n_dead)
    item = g_ptr_array_index (self->graveyard, position);
  else
    item = ring_get (self, seq);

  g_clear_object (&slot->object);
  slot->object = fw_item_object_new (item);
  slot->seq = seq;

  return g_object_ref (slot->object);
}

static void
fw_history_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = fw_history_get_item_type;
  iface->get_n_items = fw_history_get_n_items;
  iface->get_item = fw_history_get_item;
}

/* GObject */

static void
fw_history_dispose (GObject *object)
{
  FwHistory *self = FW_HISTORY (object);

  g_clear_handle_id (&self->scan_id, g_source_remove);
  cache_clear (self);

  G_OBJECT_CLASS (fw_history_parent_class)->dispose (object);
}

static void
fw_history_finalize (GObject *object)
{
  FwHistory *self = FW_HISTORY (object);

  while (self->ring_len > 0)
    evict_oldest (self);
  g_free (self->ring);
  g_ptr_array_unref (self->graveyard);
  seq_list_reset (&self->matches, TRUE, 0, 0);
  seq_list_reset (&self->shown, TRUE, 0, 0);
  filter_clear_search (&self->filter);
  g_free (self->filter.feed);

  G_OBJECT_CLASS (fw_history_parent_class)->finalize (object);
}

static void
fw_history_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  FwHistory *self = FW_HISTORY (object);

  switch (prop_id)
    {
    case PROP_CAPACITY:
      g_value_set_uint (value, self->capacity);
      break;
    case PROP_MAX_BYTES:
      g_value_set_uint64 (value, self->max_bytes);
      break;
    case PROP_FROZEN:
      g_value_set_boolean (value, self->frozen);
      break;
    case PROP_N_TOTAL:
      g_value_set_uint64 (value, self->notified_total);
      break;
    case PROP_N_DROPPED:
      g_value_set_uint64 (value, self->notified_dropped);
      break;
    case PROP_N_MATCHES:
      g_value_set_uint (value, self->notified_matches);
      break;
    case PROP_N_UNSEEN:
      g_value_set_uint64 (value, self->notified_unseen);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->shown.len);
      break;
    case PROP_FILTERING:
      g_value_set_boolean (value, self->filtering);
      break;
    case PROP_SEARCH:
      g_value_set_string (value, self->filter.text);
      break;
    case PROP_LEVEL_MASK:
      g_value_set_uint (value, self->filter.level_mask);
      break;
    case PROP_FEED:
      g_value_set_string (value, self->filter.feed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_history_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  FwHistory *self = FW_HISTORY (object);

  switch (prop_id)
    {
    case PROP_CAPACITY:
      fw_history_set_capacity (self, g_value_get_uint (value));
      break;
    case PROP_MAX_BYTES:
      fw_history_set_max_bytes (self, g_value_get_uint64 (value));
      break;
    case PROP_FROZEN:
      fw_history_set_frozen (self, g_value_get_boolean (value));
      break;
    case PROP_LEVEL_MASK:
      fw_history_set_level_mask (self, g_value_get_uint (value));
      break;
    case PROP_FEED:
      fw_history_set_feed (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_history_class_init (FwHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = fw_history_dispose;
  object_class->finalize = fw_history_finalize;
  object_class->get_property = fw_history_get_property;
  object_class->set_property = fw_history_set_property;

  /* The history length from Preferences; shrinking drops the oldest items. */
  properties[PROP_CAPACITY] =
    g_param_spec_uint ("capacity", NULL, NULL, 1, G_MAXINT, FW_HISTORY_DEFAULT_CAPACITY,
                       rw | G_PARAM_CONSTRUCT);
  /* The history size from Preferences, in bytes of items (fw_history_get_n_bytes()) */
  properties[PROP_MAX_BYTES] =
    g_param_spec_uint64 ("max-bytes", NULL, NULL, 1, G_MAXUINT64, FW_HISTORY_DEFAULT_MAX_BYTES,
                         rw | G_PARAM_CONSTRUCT);
  /* The Pause button: the view stands still, ingestion goes on. */
  properties[PROP_FROZEN] = g_param_spec_boolean ("frozen", NULL, NULL, FALSE, rw);
  /* The counters below change at flush, once per frame, never per item. */
  properties[PROP_N_TOTAL] = g_param_spec_uint64 ("n-total", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_N_DROPPED] =
    g_param_spec_uint64 ("n-dropped", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_N_MATCHES] = g_param_spec_uint ("n-matches", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_UNSEEN] = g_param_spec_uint64 ("n-unseen", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_N_ITEMS] = g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_FILTERING] = g_param_spec_boolean ("filtering", NULL, NULL, FALSE, ro);
  properties[PROP_SEARCH] = g_param_spec_string ("search", NULL, NULL, NULL, ro);
  properties[PROP_LEVEL_MASK] =
    g_param_spec_uint ("level-mask", NULL, NULL, 0, FW_HISTORY_ALL_LEVELS,
                       FW_HISTORY_ALL_LEVELS, rw);
  properties[PROP_FEED] = g_param_spec_string ("feed", NULL, NULL, NULL, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fw_history_init (FwHistory *self)
{
  self->graveyard = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  self->filter.level_mask = FW_HISTORY_ALL_LEVELS;
  seq_list_reset (&self->matches, TRUE, 0, 0);
  seq_list_reset (&self->shown, TRUE, 0, 0);
}

/* API */

/**
 * fw_history_new:
 * @capacity: how many items to keep, e.g. %FW_HISTORY_DEFAULT_CAPACITY
 */
FwHistory *
fw_history_new (guint capacity)
{
  return g_object_new (FW_TYPE_HISTORY, "capacity", capacity, NULL);
}

/**
 * fw_history_append:
 * @items: (array length=n_items) (transfer none): items in arrival order; the history takes
 *   its own references
 *
 * The hot path: no GObject, no signal, no allocation but the ring's growth of the match index.
 * The view learns of the items at the next fw_history_flush().
 */
void
fw_history_append (FwHistory  *self,
                   FwItem    **items,
                   guint       n_items)
{
  g_return_if_fail (FW_IS_HISTORY (self));
  g_return_if_fail (items != NULL || n_items == 0);

  for (guint i = 0; i < n_items; i++)
    {
      FwItem *item = items[i];
      guint index;

      if (self->ring_len == self->capacity)
        {
          evict_oldest (self);
          self->n_dropped++;
          self->bytes_limited = FALSE;
        }
      index = self->ring_head + self->ring_len;
      if (index >= self->capacity)
        index -= self->capacity;
      self->ring[index] = fw_item_ref (item);
      self->ring_len++;
      self->ring_bytes += item_cost (item);
      self->n_total++;
      /* The newest item stays, even alone over the cap */
      while (G_UNLIKELY (self->ring_bytes > self->max_bytes) && self->ring_len > 1)
        {
          evict_oldest (self);
          self->n_dropped++;
          self->bytes_limited = TRUE;
        }

      if (!self->filter_active || filter_matches (&self->filter, item))
        {
          seq_list_push_back (&self->matches, self->ring_first + self->ring_len - 1);
          self->n_unseen++;
        }
    }
}

/**
 * fw_history_clear:
 *
 * Forgets every item and tells the view at once (a user action, not the hot path). The
 * counters n-total and n-dropped keep counting, so rates computed from them stay right.
 */
void
fw_history_clear (FwHistory *self)
{
  g_return_if_fail (FW_IS_HISTORY (self));

  while (self->ring_len > 0)
    evict_oldest (self);
  g_clear_handle_id (&self->scan_id, g_source_remove);
  seq_list_reset (&self->matches, !self->filter_active, self->ring_first, 0);
  set_filtering (self, FALSE);
  publish_replacement (self);
  cache_clear (self);
  notify_counters (self);
}

guint
fw_history_get_capacity (FwHistory *self)
{
  g_return_val_if_fail (FW_IS_HISTORY (self), 0);

  return self->capacity;
}

/**
 * fw_history_set_capacity:
 *
 * Shrinking evicts the oldest items now (counted in n-dropped); the view learns at the next
 * flush.
 */
void
fw_history_set_capacity (FwHistory *self,
                         guint      capacity)
{
  FwItem **ring;

  g_return_if_fail (FW_IS_HISTORY (self));
  g_return_if_fail (capacity > 0);

  if (capacity == self->capacity)
    return;

  while (self->ring_len > capacity)
    {
      evict_oldest (self);
      self->n_dropped++;
      self->bytes_limited = FALSE;
    }

  ring = g_new0 (FwItem *, capacity);
  for (guint i = 0; i < self->ring_len; i++)
    ring[i] = self->ring[(self->ring_head + i) % self->capacity];
  g_free (self->ring);
  self->ring = ring;
  self->ring_head = 0;
  self->capacity = capacity;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAPACITY]);
}

guint64
fw_history_get_max_bytes (FwHistory *self)
{
  g_return_val_if_fail (FW_IS_HISTORY (self), 0);

  return self->max_bytes;
}

/**
 * fw_history_set_max_bytes:
 * @max_bytes: how many bytes of items to keep at most (see fw_history_get_n_bytes())
 *
 * Lowering it evicts the oldest items now (counted in n-dropped); the view learns at the next
 * flush. There is always a cap: a history of big items must not take the memory.
 */
void
fw_history_set_max_bytes (FwHistory *self,
                          guint64    max_bytes)
{
  g_return_if_fail (FW_IS_HISTORY (self));
  g_return_if_fail (max_bytes > 0);

  if (max_bytes == self->max_bytes)
    return;

  self->max_bytes = max_bytes;
  while (self->ring_bytes > max_bytes && self->ring_len > 1)
    {
      evict_oldest (self);
      self->n_dropped++;
      self->bytes_limited = TRUE;
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_BYTES]);
}

/**
 * fw_history_get_n_bytes:
 *
 * Returns: the memory the stored items keep alive, as counted against #FwHistory:max-bytes:
 *   each item's text and fields plus a fixed overhead. Never more than max-bytes, unless the
 *   newest item alone is bigger. Items evicted but still shown until the next flush come on
 *   top, at most a sixteenth of max-bytes plus one frame's arrivals.
 */
guint64
fw_history_get_n_bytes (FwHistory *self)
{
  g_return_val_if_fail (FW_IS_HISTORY (self), 0);

  return self->ring_bytes;
}

/**
 * fw_history_get_bytes_limited:
 *
 * Returns: %TRUE when the last item dropped went for #FwHistory:max-bytes rather than for
 *   #FwHistory:capacity (so the head row can say which limit applies)
 */
gboolean
fw_history_get_bytes_limited (FwHistory *self)
{
  g_return_val_if_fail (FW_IS_HISTORY (self), FALSE);

  return self->bytes_limited;
}

gboolean
fw_history_get_frozen (FwHistory *self)
{
  g_return_val_if_fail (FW_IS_HISTORY (self), FALSE);

  return self->frozen;
}

/**
 * fw_history_set_frozen:
 *
 * While frozen, flushes publish nothing (but a finished filter change), so the rows on screen
 * stay put, and n-unseen counts the matching items that arrive. Unfreezing publishes at once.
 */
void
fw_history_set_frozen (FwHistory *self,
                       gboolean   frozen)
{
  g_return_if_fail (FW_IS_HISTORY (self));

  frozen = !!frozen;
  if (frozen == self->frozen)
    return;

  self->frozen = frozen;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FROZEN]);
  if (!frozen)
    fw_history_flush (self);
  else
    notify_counters (self);
}

/**
 * fw_history_get_n_total:
 *
 * Returns: how many items were ever appended (the live value; the property follows at flush)
 */
guint64
fw_history_get_n_total (FwHistory *self)
{
  g_return_val_if_fail (FW_IS_HISTORY (self), 0);

  return self->n_total;
}

/**
 * fw_history_get_n_dropped:
 *
 * Returns: how many items the capacity pushed out (channel drops are the window's to add)
 */
guint64
fw_history_get_n_dropped (FwHistory *self)
{
  g_return_val_if_fail (FW_IS_HISTORY (self), 0);

  return self->n_dropped;
}

/**
 * fw_history_get_n_matches:
 *
 * Returns: how many stored items pass the filter; exact once #FwHistory:filtering is %FALSE
 */
guint
fw_history_get_n_matches (FwHistory *self)
{
  g_return_val_if_fail (FW_IS_HISTORY (self), 0);

  return self->matches.len;
}

/**
 * fw_history_get_n_unseen:
 *
 * Returns: matching items appended since the view last grew (frozen: the N of "N new items",
 *   counting those the capacity has since pushed out)
 */
guint64
fw_history_get_n_unseen (FwHistory *self)
{
  g_return_val_if_fail (FW_IS_HISTORY (self), 0);

  return self->n_unseen;
}

/**
 * fw_history_get_n_stored:
 *
 * Returns: how many items the ring holds now (never more than the capacity)
 */
guint
fw_history_get_n_stored (FwHistory *self)
{
  g_return_val_if_fail (FW_IS_HISTORY (self), 0);

  return self->ring_len;
}

/**
 * fw_history_set_search:
 * @text: (nullable): what to look for; %NULL or "" for no search
 * @regex: whether @text is a regular expression (PCRE syntax, case-insensitive; `(?-i)` makes
 *   it case-sensitive)
 *
 * Searches the text (and the name, for readings) case-insensitively. An invalid regex leaves
 * the filter as it was.
 *
 * Returns: %FALSE with @error set (%G_REGEX_ERROR) when @text is not a valid regex
 */
gboolean
fw_history_set_search (FwHistory   *self,
                       const char  *text,
                       gboolean     regex,
                       GError     **error)
{
  g_autoptr(GRegex) compiled = NULL;
  g_autofree char *needle = NULL;
  gboolean ascii = TRUE;

  g_return_val_if_fail (FW_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (text != NULL && text[0] == '\0')
    text = NULL;
  /* Retyping the same search must not make the view replace every row. */
  if (g_strcmp0 (text, self->filter.text) == 0 && (text == NULL || !regex == !self->filter.is_regex))
    return TRUE;
  if (text != NULL && !regex)
    {
      for (const char *p = text; *p != '\0' && ascii; p++)
        ascii = (guchar) *p < 0x80;
    }

  if (text != NULL && (regex || !ascii))
    {
      g_autofree char *escaped = regex ? NULL : g_regex_escape_string (text, -1);

      compiled = g_regex_new (regex ? text : escaped, G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0,
                              error);
      if (compiled == NULL)
        return FALSE;
    }
  else if (text != NULL)
    needle = g_ascii_strdown (text, -1);

  filter_clear_search (&self->filter);
  self->filter.text = g_strdup (text);
  self->filter.is_regex = text != NULL && regex;
  self->filter.regex = g_steal_pointer (&compiled);
  self->filter.needle_len = needle != NULL ? strlen (needle) : 0;
  self->filter.needle = g_steal_pointer (&needle);

  refilter (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH]);

  return TRUE;
}

/**
 * fw_history_get_search:
 *
 * Returns: (nullable): the search text, or %NULL when there is none
 */
const char *
fw_history_get_search (FwHistory *self)
{
  g_return_val_if_fail (FW_IS_HISTORY (self), NULL);

  return self->filter.text;
}

/**
 * fw_history_set_min_level:
 *
 * Shows items at @level or above. Items without a level pass only at %FW_LEVEL_NONE (the
 * default: no level filter).
 */
void
fw_history_set_min_level (FwHistory *self,
                          FwLevel    level)
{
  g_return_if_fail (FW_IS_HISTORY (self));
  g_return_if_fail (level < FW_N_LEVELS);

  fw_history_set_level_mask (self, FW_HISTORY_ALL_LEVELS & ~((1u << level) - 1));
}

/**
 * fw_history_set_level_mask:
 * @mask: `1 << level` for each #FwLevel to show; %FW_HISTORY_ALL_LEVELS for all
 */
void
fw_history_set_level_mask (FwHistory *self,
                           guint      mask)
{
  g_return_if_fail (FW_IS_HISTORY (self));

  mask &= FW_HISTORY_ALL_LEVELS;
  if (mask == self->filter.level_mask)
    return;

  self->filter.level_mask = mask;
  refilter (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEVEL_MASK]);
}

guint
fw_history_get_level_mask (FwHistory *self)
{
  g_return_val_if_fail (FW_IS_HISTORY (self), 0);

  return self->filter.level_mask;
}

/**
 * fw_history_set_feed:
 * @feed: (nullable): show only this feed's items (as the user wrote it); %NULL for all
 */
void
fw_history_set_feed (FwHistory  *self,
                     const char *feed)
{
  g_return_if_fail (FW_IS_HISTORY (self));

  if (g_strcmp0 (feed, self->filter.feed) == 0)
    return;

  g_free (self->filter.feed);
  self->filter.feed = g_strdup (feed);
  refilter (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FEED]);
}

const char *
fw_history_get_feed (FwHistory *self)
{
  g_return_val_if_fail (FW_IS_HISTORY (self), NULL);

  return self->filter.feed;
}

/**
 * fw_history_get_filtering:
 *
 * Returns: %TRUE while a filter change is still scanning the history
 */
gboolean
fw_history_get_filtering (FwHistory *self)
{
  g_return_val_if_fail (FW_IS_HISTORY (self), FALSE);

  return self->filtering;
}

/**
 * fw_history_get_filter_progress:
 *
 * Returns: how far the running scan is, from 0 to 1 (1 when not filtering)
 */
double
fw_history_get_filter_progress (FwHistory *self)
{
  guint64 total, left;

  g_return_val_if_fail (FW_IS_HISTORY (self), 1.0);

  if (!self->filtering)
    return 1.0;

  total = self->scan_start - self->scan_base;
  left = self->scan_cursor > self->ring_first ? self->scan_cursor - self->ring_first : 0;

  return total > 0 ? 1.0 - (double) MIN (left, total) / total : 1.0;
}

/**
 * fw_history_item_matches:
 *
 * Returns: whether @item passes the current filter
 */
gboolean
fw_history_item_matches (FwHistory    *self,
                         const FwItem *item)
{
  g_return_val_if_fail (FW_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (item != NULL, FALSE);

  return filter_matches (&self->filter, item);
}

/**
 * fw_history_find_matches:
 * @text: a row's text (e.g. fw_item_object_get_text())
 * @len: its length in bytes
 *
 * Where the current search matches in @text, for highlighting with a #PangoAttrList (byte
 * offsets, as Pango wants them), never with markup.
 *
 * Returns: (transfer full) (element-type FwMatchRange): the non-empty, non-overlapping matches
 *   in order; empty when there is no search
 */
GArray *
fw_history_find_matches (FwHistory  *self,
                         const char *text,
                         gsize       len)
{
  GArray *ranges = g_array_new (FALSE, FALSE, sizeof (FwMatchRange));
  const Filter *filter;

  g_return_val_if_fail (FW_IS_HISTORY (self), ranges);
  g_return_val_if_fail (text != NULL || len == 0, ranges);

  filter = &self->filter;
  if (filter->needle != NULL)
    {
      gsize offset = 0;
      gssize found;

      while (offset < len &&
             (found = ascii_case_find (text + offset, len - offset,
                                       filter->needle, filter->needle_len)) >= 0)
        {
          FwMatchRange range = { offset + found, offset + found + filter->needle_len };

          g_array_append_val (ranges, range);
          offset = range.end;
        }
    }
  else if (filter->regex != NULL)
    {
      g_autoptr(GMatchInfo) info = NULL;

      g_regex_match_full (filter->regex, text, len, 0, 0, &info, NULL);
      while (g_match_info_matches (info))
        {
          int start, end;

          if (g_match_info_fetch_pos (info, 0, &start, &end) && end > start)
            {
              FwMatchRange range = { start, end };

              g_array_append_val (ranges, range);
            }
          if (!g_match_info_next (info, NULL))
            break;
        }
    }

  return ranges;
}
