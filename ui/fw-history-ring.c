/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-history-ring.c: FwHistory's storage. The ring keeps the last `capacity` items and, past
 * `max_bytes` of them, lets the oldest go; every item that goes counts in n-dropped (the
 * "older items dropped" the list's first row reports), and items still shown move to the
 * graveyard until a flush tells the view. */

#include "fw-history-match.h"

/* What an item costs besides its text: its header, the NUL, the allocator's rounding, its ring
 * slot and its match index entry; 176 bytes on 64-bit, close to the 177 bytes of memory per
 * short item the README measures with the history full. */
#define ITEM_OVERHEAD  (sizeof (FwItem) + 96)

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

/* The time a row shows: the source's own when it wrote one */
static inline gint64
shown_time (const FwItem *item)
{
  return item->source_time_us != 0 ? item->source_time_us : item->time_us;
}

static int
compare_shown_time (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  gint64 ta = shown_time (*(FwItem * const *) a);
  gint64 tb = shown_time (*(FwItem * const *) b);

  return ta < tb ? -1 : ta > tb;
}

/* The items that came since the last frame, put in the order of the times their rows show, so
 * the merged timeline never goes back in time within a frame: log lines carry the times they
 * were written, and feeds deliver at their own pace. A stable sort, so items of equal times
 * (and a feed's own lines) keep their order; items already in order, the usual case, cost one
 * pass. While a filter's rescan runs, matches are not only at the end: the frame is left as it
 * came, as is a frame whose items a replacement showed already. */
void
_fw_history_order_new (FwHistory *self)
{
  guint64 end = self->ring_first + self->ring_len;
  guint64 start = MAX (self->ordered_seq, self->ring_first);
  g_autofree FwItem **items = NULL;
  gboolean sorted = TRUE;
  guint n, n_matches = 0;

  self->ordered_seq = end;
  if (end - start < 2 || self->filtering)
    return;
  /* Shown already (a replacement published between frames): their rows stay as they are. */
  if (self->shown.len > self->n_dead && seq_list_nth (&self->shown, self->shown.len - 1) >= start)
    return;

  n = (guint) (end - start);
  for (guint64 seq = start + 1; seq < end && sorted; seq++)
    sorted = shown_time (ring_get (self, seq - 1)) <= shown_time (ring_get (self, seq));
  if (sorted)
    return;

  items = g_new (FwItem *, n);
  for (guint i = 0; i < n; i++)
    items[i] = ring_get (self, start + i);
  g_qsort_with_data (items, n, sizeof (FwItem *), compare_shown_time, NULL);
  for (guint i = 0; i < n; i++)
    self->ring[(self->ring_head + (start - self->ring_first) + i) % self->capacity] = items[i];

  /* Which of these seqs match changes with the order: they are the end of `matches`. */
  while (n_matches < self->matches.len &&
         seq_list_nth (&self->matches, self->matches.len - 1 - n_matches) >= start)
    n_matches++;
  self->matches.len -= n_matches;
  for (guint i = 0; i < n; i++)
    {
      if (!self->filter_active || filter_matches (&self->filter, items[i]))
        seq_list_push_back (&self->matches, start + i);
    }
  /* Row objects are made only for rows shown, and these were not yet: none to forget. */
}

/* Every item goes (a clear, or finalization); those still shown wait in the graveyard */
void
_fw_history_evict_all (FwHistory *self)
{
  while (self->ring_len > 0)
    evict_oldest (self);
}

static inline void
count_arrival (FwHistory    *self,
               const FwItem *item)
{
  if (self->n_arrivals++ == 0)
    self->arrivals_feed = item->feed != NULL ? g_ref_string_acquire ((char *) item->feed) : NULL;
  else if (item->feed != self->arrivals_feed && !self->arrivals_mixed &&
           g_strcmp0 (item->feed, self->arrivals_feed) != 0)
    self->arrivals_mixed = TRUE;
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
          count_arrival (self, item);
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
  _fw_seq_list_reset (&self->matches, !self->filter_active, self->ring_first, 0);
  _fw_history_set_filtering (self, FALSE);
  _fw_history_publish_replacement (self);
  _fw_history_cache_clear (self);
  _fw_history_notify_counters (self);
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

  g_object_notify_by_pspec (G_OBJECT (self), _fw_history_properties[PROP_CAPACITY]);
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

  g_object_notify_by_pspec (G_OBJECT (self), _fw_history_properties[PROP_MAX_BYTES]);
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
 * fw_history_dup_items_since:
 * @since_us: the earliest item time to include (wall clock, µs); %G_MININT64 for all
 *
 * The items the ring keeps from @since_us on, of every feed and whatever the filters, in the
 * order they came: what a "save the last N minutes" recording holds, or what an alert rule's
 * preview looks at again off the main loop (items are immutable and their references atomic,
 * so another thread may read them while the ring goes on).
 *
 * Returns: (transfer full) (element-type FwItem): a reference to each item
 */
GPtrArray *
fw_history_dup_items_since (FwHistory *self,
                            gint64     since_us)
{
  GPtrArray *items;

  g_return_val_if_fail (FW_IS_HISTORY (self), NULL);

  items = g_ptr_array_new_full (self->ring_len, (GDestroyNotify) fw_item_unref);
  /* Items are kept in time order only a frame at a time: every one is looked at */
  for (guint64 seq = self->ring_first; seq < self->ring_first + self->ring_len; seq++)
    {
      FwItem *item = ring_get (self, seq);

      if (item->time_us >= since_us)
        g_ptr_array_add (items, fw_item_ref (item));
    }
  return items;
}

/**
 * fw_history_take_arrivals:
 * @feed: (out) (optional) (transfer full): the feed all of them came from, or %NULL when they
 *   came from several
 *
 * For announcing new items: how many items the filter let through since the last call (or
 * since the history was made), counting from zero again.
 *
 * Returns: that many
 */
guint64
fw_history_take_arrivals (FwHistory  *self,
                          char      **feed)
{
  guint64 n;

  g_return_val_if_fail (FW_IS_HISTORY (self), 0);

  n = self->n_arrivals;
  if (feed != NULL)
    *feed = n > 0 && !self->arrivals_mixed ? g_strdup (self->arrivals_feed) : NULL;
  self->n_arrivals = 0;
  g_clear_pointer (&self->arrivals_feed, g_ref_string_release);
  self->arrivals_mixed = FALSE;
  return n;
}
