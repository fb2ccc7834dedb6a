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
 * so the scan only has to prepend what it finds.
 *
 * This file is the object and its properties. The ring and its caps are in fw-history-ring.c,
 * `shown` and the flush in fw-history-publish.c, the filters and the rescan in
 * fw-history-filter.c; fw-history-private.h has what they share. */

#include "fw-history-private.h"

GParamSpec *_fw_history_properties[N_PROPS];

G_DEFINE_FINAL_TYPE_WITH_CODE (FwHistory, fw_history, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      _fw_history_list_model_init))

static void
fw_history_dispose (GObject *object)
{
  FwHistory *self = FW_HISTORY (object);

  g_clear_handle_id (&self->scan_id, g_source_remove);
  _fw_history_cache_clear (self);

  G_OBJECT_CLASS (fw_history_parent_class)->dispose (object);
}

static void
fw_history_finalize (GObject *object)
{
  FwHistory *self = FW_HISTORY (object);

  _fw_history_evict_all (self);
  g_free (self->ring);
  g_ptr_array_unref (self->graveyard);
  _fw_seq_list_reset (&self->matches, TRUE, 0, 0);
  _fw_seq_list_reset (&self->shown, TRUE, 0, 0);
  _fw_history_filter_clear_search (&self->filter);
  g_free (self->filter.feed);
  g_clear_pointer (&self->arrivals_feed, g_ref_string_release);

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
  GParamSpec **properties = _fw_history_properties;
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
  _fw_seq_list_reset (&self->matches, TRUE, 0, 0);
  _fw_seq_list_reset (&self->shown, TRUE, 0, 0);
}

/**
 * fw_history_new:
 * @capacity: how many items to keep, e.g. %FW_HISTORY_DEFAULT_CAPACITY
 */
FwHistory *
fw_history_new (guint capacity)
{
  return g_object_new (FW_TYPE_HISTORY, "capacity", capacity, NULL);
}
