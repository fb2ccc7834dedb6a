/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-history-publish.c: FwHistory as a GListModel. `shown` is what the last items-changed told
 * the view; fw_history_flush() (once a frame) brings it closer to `matches` with one
 * items-changed, unless the history is frozen. Row objects are made only for rows asked for,
 * and a few screens' worth are kept. */

#include "fw-history-private.h"

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

void
_fw_history_cache_clear (FwHistory *self)
{
  for (guint i = 0; i < CACHE_SIZE; i++)
    g_clear_object (&self->cache[i].object);
}

void
_fw_history_notify_counters (FwHistory *self)
{
  if (self->notified_total != self->n_total)
    {
      self->notified_total = self->n_total;
      g_object_notify_by_pspec (G_OBJECT (self), _fw_history_properties[PROP_N_TOTAL]);
    }
  if (self->notified_dropped != self->n_dropped)
    {
      self->notified_dropped = self->n_dropped;
      g_object_notify_by_pspec (G_OBJECT (self), _fw_history_properties[PROP_N_DROPPED]);
    }
  if (self->notified_matches != self->matches.len)
    {
      self->notified_matches = self->matches.len;
      g_object_notify_by_pspec (G_OBJECT (self), _fw_history_properties[PROP_N_MATCHES]);
    }
  if (self->notified_unseen != self->n_unseen)
    {
      self->notified_unseen = self->n_unseen;
      g_object_notify_by_pspec (G_OBJECT (self), _fw_history_properties[PROP_N_UNSEEN]);
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
    g_object_notify_by_pspec (G_OBJECT (self), _fw_history_properties[PROP_N_ITEMS]);
}

/* Rows a replacement may swap at once. GtkListView (4.8) fetches every new item of a
 * replacement to look for rows it could keep: ~0.8 µs an item. Past this the rows shown are
 * removed in one frame and the new ones added in the next, each about 1 ms. */
#define REPLACE_MAX 10000

void
_fw_history_publish_replacement (FwHistory *self)
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

  _fw_seq_list_copy (&self->shown, &self->matches);
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

  _fw_history_order_new (self);
  if (self->stale)
    {
      if (!self->filtering)
        _fw_history_publish_replacement (self);
      _fw_history_notify_counters (self);
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
  _fw_history_notify_counters (self);

  return self->n_dead > 0 || self->shown.len - self->n_dead != self->matches.len;
}

/**
 * fw_history_get_drops_all_shown:
 *
 * Whether the next fw_history_flush() removes every row the model shows now: a finished
 * filter change replaces them, or a flood outran them all. A view anchored on one of those
 * rows must move its anchor first (see "The head row" in fw-item-view.c).
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
  g_object_notify_by_pspec (G_OBJECT (self), _fw_history_properties[PROP_FROZEN]);
  if (!frozen)
    fw_history_flush (self);
  else
    _fw_history_notify_counters (self);
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

void
_fw_history_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = fw_history_get_item_type;
  iface->get_n_items = fw_history_get_n_items;
  iface->get_item = fw_history_get_item;
}
