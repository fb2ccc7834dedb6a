/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-alert-engine.c: alert rules evaluated on items as they pass.
 *
 * Each feed the engine meets gets an entry holding the rules that apply to it (their scope is
 * matched once per feed, not per item), and one instance of each rule per feed (per feed and
 * series for thresholds): an item costs a pointer comparison to find its feed, then only the
 * rules of that feed. Time-based conditions (a threshold held for a while, a rate's window
 * passing, a silence, a state held) are checked by fw_alert_engine_tick(), which a timer on
 * the next deadline runs when the engine is attached to a main context. The time is the
 * items' own (their arrival) and, for ticks, an injectable clock, so tests never sleep.
 *
 * An instance fires once and stays active until its condition clears: no storms. Whether a
 * firing is announced (an alert item handed to the callback) depends on the rule's mute and
 * its least interval between notifications; a clear is announced only after an announced
 * firing. */

#include "config.h"

#include "fw-alert-engine.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fw-alert-rule-private.h"
#include "fw-item.h"

typedef struct _Feed Feed;

/* Items name their feed and series with shared strings, so they are found again by address,
 * in an open-addressing table, before hashing their text. The table holds a reference to each
 * string it keys: the address cannot come back as another string's. It is emptied, not grown,
 * past MAX_CACHED strings (a source that made a string per item). */
#define MAX_CACHED 1024

typedef struct
{
  GRefString *key;
  gpointer    value;
} CacheSlot;

typedef struct
{
  CacheSlot *slots;
  guint      size;  /* 0 or a power of 2, at least twice used */
  guint      used;
} Cache;

static inline guint
cache_hash (const char *key)
{
  /* Fibonacci hashing: strings allocated one after the other spread over the table */
  return (guint) (((guint64) (guintptr) key * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15)) >> 32);
}

static inline gpointer
cache_lookup (Cache      *cache,
              const char *key)
{
  guint mask = cache->size - 1;

  if (cache->size == 0)
    return NULL;
  for (guint i = cache_hash (key) & mask;; i = (i + 1) & mask)
    {
      if (cache->slots[i].key == key)
        return cache->slots[i].value;
      if (cache->slots[i].key == NULL)
        return NULL;
    }
}

static void
cache_clear (Cache *cache)
{
  for (guint i = 0; i < cache->size; i++)
    g_clear_pointer (&cache->slots[i].key, g_ref_string_release);
  g_clear_pointer (&cache->slots, g_free);
  cache->size = cache->used = 0;
}

static void
cache_put_slot (Cache      *cache,
                GRefString *key,
                gpointer    value)
{
  guint mask = cache->size - 1;
  guint i = cache_hash (key) & mask;

  while (cache->slots[i].key != NULL)
    i = (i + 1) & mask;
  cache->slots[i].key = key;
  cache->slots[i].value = value;
  cache->used++;
}

/* @key is not in the cache yet */
static void
cache_insert (Cache      *cache,
              const char *key,
              gpointer    value)
{
  if (cache->used >= MAX_CACHED)
    cache_clear (cache);
  if (2 * (cache->used + 1) > cache->size)
    {
      CacheSlot *old = cache->slots;
      guint old_size = cache->size;

      cache->size = MAX (16, 2 * cache->size);
      cache->slots = g_new0 (CacheSlot, cache->size);
      cache->used = 0;
      for (guint i = 0; i < old_size; i++)
        {
          if (old[i].key != NULL)
            cache_put_slot (cache, old[i].key, old[i].value);
        }
      g_free (old);
    }
  cache_put_slot (cache, g_ref_string_acquire ((char *) key), value);
}

typedef struct
{
  FwAlertRule *rule;
  guint        index;
  gboolean     notified;
  gint64       last_notified_us;
  gint64       muted_until_us;
  guint64      n_fired;
  guint64      n_suppressed;
  pcre2_match_data *match_data;  /* for the rule's pattern, reused at each item */
} Slot;

typedef struct
{
  Slot     *slot;
  Feed     *feed;
  FwLevel   min_level;   /* the rule's, here: most items are turned away on it alone */
  char     *series;      /* threshold: the reading's name */
  gboolean  active;
  gboolean  announced;
  /* threshold: beyond the limit since since_us, last read as pending_value (no reference to
   * the item: a reading per second for a minute would take and drop 60) */
  gboolean    pending;
  gint64      since_us;
  double      pending_value;
  const char *pending_unit;  /* interned */
  /* match: the times of the last rate + 1 matches */
  gint64   *ring;
  guint     ring_size;
  guint     ring_next;
  guint     ring_n;
} Instance;

typedef struct
{
  GPtrArray *instances;  /* Instance*, owned by the feed's list of all */
} Series;

struct _Feed
{
  GRefString  *feed;
  char        *title;
  char        *group;
  gint64       created_us;
  gint64       last_item_us;
  gint64       last_data_us;
  FwFeedState  state;
  gint64       state_since_us;
  GPtrArray   *all;              /* Instance*, owned */
  GPtrArray   *match;            /* Instance*, by their level from the highest down */
  guint        match_from[FW_N_LEVELS];  /* the first of them an item of that level may match */
  GPtrArray   *silence;          /* Instance* */
  GPtrArray   *states;           /* Instance* */
  GPtrArray   *threshold_slots;  /* Slot*: made into instances per series */
  GHashTable  *series;           /* name → Series* */
  Cache        series_cache;
  guint        n_silent;         /* active silence instances */
};

/**
 * FwAlertEngine:
 *
 * Evaluates alert rules (#FwAlertRule) on items as they pass: hand it each item with
 * fw_alert_engine_process(), and it calls its #FwAlertFunc with an alert item (kind
 * %FW_ITEM_ALERT) when a rule fires or clears. An alert fires once and stays active until its
 * condition clears; mutes and a rule's interval limit what is announced. Conditions that time
 * alone changes (a silence, a threshold held for a while) are checked by
 * fw_alert_engine_tick(), which fw_alert_engine_attach() schedules on a main context.
 *
 * Not thread-safe: use an engine from one thread.
 */
struct _FwAlertEngine
{
  GObject         parent_instance;

  GPtrArray      *slots;         /* Slot*, owned */
  GHashTable     *feeds;         /* feed → Feed*, owned */
  Cache           feed_cache;
  GPtrArray      *pending;       /* alerts to announce once the engine is consistent */
  guint           n_active;

  FwAlertFunc     func;
  gpointer        func_data;
  GDestroyNotify  func_destroy;
  FwAlertClock    clock;
  gpointer        clock_data;
  FwAlertDescribeFunc describe;
  gpointer        describe_data;
  GDestroyNotify  describe_destroy;

  gint64          next_deadline_us;
  gint64          armed_deadline_us;
  GSource        *timer;
};

G_DEFINE_FINAL_TYPE (FwAlertEngine, fw_alert_engine, G_TYPE_OBJECT)

static void engine_flush (FwAlertEngine *self);

/* ---------------------------------------------------------------------------------------- */

static void
instance_free (Instance *inst)
{
  g_free (inst->series);
  g_free (inst->ring);
  g_free (inst);
}

static Instance *
instance_new (Slot       *slot,
              Feed       *feed,
              const char *series)
{
  Instance *inst = g_new0 (Instance, 1);

  inst->slot = slot;
  inst->feed = feed;
  inst->min_level = slot->rule->min_level;
  inst->series = g_strdup (series);
  if (slot->rule->kind == FW_ALERT_MATCH)
    {
      inst->ring_size = slot->rule->rate + 1;
      inst->ring = g_new0 (gint64, inst->ring_size);
    }
  g_ptr_array_add (feed->all, inst);

  return inst;
}

static void
series_free (Series *series)
{
  g_ptr_array_unref (series->instances);
  g_free (series);
}

static void
feed_free (Feed *feed)
{
  g_ptr_array_unref (feed->match);
  g_ptr_array_unref (feed->silence);
  g_ptr_array_unref (feed->states);
  g_ptr_array_unref (feed->threshold_slots);
  g_hash_table_unref (feed->series);
  cache_clear (&feed->series_cache);
  g_ptr_array_unref (feed->all);
  g_ref_string_release (feed->feed);
  g_free (feed->title);
  g_free (feed->group);
  g_free (feed);
}

static gint64
engine_now (FwAlertEngine *self)
{
  return self->clock != NULL ? self->clock (self->clock_data) : g_get_real_time ();
}

static void
note_deadline (FwAlertEngine *self,
               gint64         deadline_us)
{
  if (deadline_us < self->next_deadline_us)
    self->next_deadline_us = deadline_us;
}

/* ---------------------------------------------------------------------------------------- */
/* Firing and clearing */

static FwItem *
make_alert (Instance     *inst,
            const char   *what,
            const FwItem *trigger,
            gint64        time_us,
            const char   *text)
{
  FwAlertRule *rule = inst->slot->rule;
  FwItem *alert;
  GVariantBuilder fields;
  FwLevel level;
  g_autofree char *reading = NULL;

  /* A reading has no text: say what it read */
  if (text == NULL && trigger != NULL && (trigger->flags & FW_ITEM_FLAG_HAS_VALUE) &&
      trigger->text_len == 0)
    {
      char value[G_ASCII_DTOSTR_BUF_SIZE];

      text = reading = g_strdup_printf ("%s = %s%s%s",
                                        trigger->name != NULL ? trigger->name : "value",
                                        g_ascii_formatd (value, sizeof value, "%g", trigger->value),
                                        trigger->unit != NULL ? " " : "",
                                        trigger->unit != NULL ? trigger->unit : "");
    }

  if (text == NULL && trigger != NULL)
    alert = fw_item_new (FW_ITEM_ALERT, inst->feed->feed, time_us, trigger->text,
                         (gssize) trigger->text_len);
  else
    alert = fw_item_new (FW_ITEM_ALERT, inst->feed->feed, time_us, text, -1);

  fw_item_set_name (alert, fw_alert_rule_get_name (rule));
  level = trigger != NULL ? trigger->level : FW_LEVEL_NONE;
  if (g_str_equal (what, "fired"))
    fw_item_set_level (alert, MAX (level, FW_LEVEL_WARNING));
  else
    fw_item_set_level (alert, FW_LEVEL_INFO);
  if (trigger != NULL && (trigger->flags & FW_ITEM_FLAG_HAS_VALUE))
    {
      fw_item_set_value (alert, trigger->value);
      fw_item_set_unit (alert, trigger->unit);
    }

  g_variant_builder_init (&fields, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&fields, "{sv}", "alert", g_variant_new_string (what));
  g_variant_builder_add (&fields, "{sv}", "rule", g_variant_new_string (rule->text));
  if (inst->series != NULL)
    g_variant_builder_add (&fields, "{sv}", "series", g_variant_new_string (inst->series));
  fw_item_take_fields (alert, g_variant_builder_end (&fields));

  return alert;
}

static void
fire (FwAlertEngine *self,
      Instance      *inst,
      const FwItem  *trigger,
      gint64         time_us,
      const char    *text)
{
  Slot *slot = inst->slot;

  inst->active = TRUE;
  inst->announced = FALSE;
  self->n_active++;
  slot->n_fired++;
  if (slot->rule->kind == FW_ALERT_SILENCE)
    inst->feed->n_silent++;

  if (time_us < slot->muted_until_us ||
      (slot->notified && time_us - slot->last_notified_us < slot->rule->interval_us))
    {
      slot->n_suppressed++;
      return;
    }

  inst->announced = TRUE;
  slot->notified = TRUE;
  slot->last_notified_us = time_us;
  g_ptr_array_add (self->pending, make_alert (inst, "fired", trigger, time_us, text));
}

static void
clear (FwAlertEngine *self,
       Instance      *inst,
       const FwItem  *trigger,
       gint64         time_us,
       const char    *text)
{
  inst->active = FALSE;
  self->n_active--;
  if (inst->slot->rule->kind == FW_ALERT_SILENCE)
    inst->feed->n_silent--;
  if (inst->announced)
    g_ptr_array_add (self->pending, make_alert (inst, "cleared", trigger, time_us, text));
  inst->announced = FALSE;
}

/* ---------------------------------------------------------------------------------------- */
/* Feeds and the rules that apply to them */

static void
attach_threshold (Feed       *feed,
                  Series     *series,
                  const char *name,
                  Slot       *slot)
{
  if (g_pattern_spec_match_string (slot->rule->series_spec, name))
    g_ptr_array_add (series->instances, instance_new (slot, feed, name));
}

static void
attach_slot (FwAlertEngine *self,
             Feed          *feed,
             Slot          *slot)
{
  FwAlertRule *rule = slot->rule;
  GHashTableIter iter;
  gpointer name, series;

  if (!fw_alert_rule_applies_to (rule, feed->feed, feed->title, feed->group))
    return;

  switch (rule->kind)
    {
    case FW_ALERT_MATCH:
      {
        /* Kept in order so that an item skips at once the rules above its level: most
         * lines are info, most rules on levels ask for errors */
        Instance *inst = instance_new (slot, feed, NULL);
        guint at = 0;

        while (at < feed->match->len &&
               ((Instance *) g_ptr_array_index (feed->match, at))->min_level >= inst->min_level)
          at++;
        g_ptr_array_insert (feed->match, at, inst);
        for (guint level = 0; level < FW_N_LEVELS; level++)
          {
            guint from = 0;

            while (from < feed->match->len &&
                   ((Instance *) g_ptr_array_index (feed->match, from))->min_level > level)
              from++;
            feed->match_from[level] = from;
          }
      }
      break;

    case FW_ALERT_THRESHOLD:
      g_ptr_array_add (feed->threshold_slots, slot);
      g_hash_table_iter_init (&iter, feed->series);
      while (g_hash_table_iter_next (&iter, &name, &series))
        attach_threshold (feed, series, name, slot);
      break;

    case FW_ALERT_SILENCE:
      g_ptr_array_add (feed->silence, instance_new (slot, feed, NULL));
      note_deadline (self, MAX (feed->created_us, rule->data_only ? feed->last_data_us
                                                                  : feed->last_item_us)
                           + rule->window_us);
      break;

    case FW_ALERT_STATE:
      {
        Instance *inst = instance_new (slot, feed, NULL);

        g_ptr_array_add (feed->states, inst);
        if (rule->state_mask & (1u << feed->state))
          note_deadline (self, feed->state_since_us + rule->for_us);
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

static Feed *
feed_new (FwAlertEngine *self,
          const char    *name,
          const char    *title,
          gint64         now_us)
{
  Feed *feed = g_new0 (Feed, 1);

  feed->feed = g_ref_string_new (name);
  /* What the owner knows of the feed (its title, its group), for scopes that name them */
  if (self->describe != NULL)
    self->describe (name, &feed->title, &feed->group, self->describe_data);
  if (title != NULL)
    {
      g_free (feed->title);
      feed->title = g_strdup (title);
    }
  feed->created_us = now_us;
  feed->state = FW_FEED_STATE_IDLE;
  feed->state_since_us = now_us;
  feed->all = g_ptr_array_new_with_free_func ((GDestroyNotify) instance_free);
  feed->match = g_ptr_array_new ();
  feed->silence = g_ptr_array_new ();
  feed->states = g_ptr_array_new ();
  feed->threshold_slots = g_ptr_array_new ();
  feed->series = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) series_free);
  g_hash_table_insert (self->feeds, feed->feed, feed);
  for (guint i = 0; i < self->slots->len; i++)
    attach_slot (self, feed, g_ptr_array_index (self->slots, i));

  return feed;
}

static Feed *
feed_for_item (FwAlertEngine *self,
               const FwItem  *item)
{
  const char *name = item->feed != NULL ? item->feed : "";
  Feed *feed;

  if (item->feed != NULL && (feed = cache_lookup (&self->feed_cache, item->feed)) != NULL)
    return feed;

  feed = g_hash_table_lookup (self->feeds, name);
  if (feed == NULL)
    feed = feed_new (self, name, NULL, item->time_us);
  if (item->feed != NULL)
    cache_insert (&self->feed_cache, item->feed, feed);

  return feed;
}

static Series *
series_for_name (Feed       *feed,
                 const char *name)
{
  Series *series = cache_lookup (&feed->series_cache, name);

  if (series != NULL)
    return series;

  series = g_hash_table_lookup (feed->series, name);
  if (series == NULL)
    {
      series = g_new0 (Series, 1);
      series->instances = g_ptr_array_new ();
      g_hash_table_insert (feed->series, g_strdup (name), series);
      for (guint i = 0; i < feed->threshold_slots->len; i++)
        attach_threshold (feed, series, name, g_ptr_array_index (feed->threshold_slots, i));
    }
  cache_insert (&feed->series_cache, name, series);

  return series;
}

/* ---------------------------------------------------------------------------------------- */
/* Evaluation */

/* memmem() sets up a two-way search at each call, which costs more than the search in a short
 * line: look for the first byte, then compare */
static gboolean
contains (const char *text,
          gsize       len,
          const char *needle,
          gsize       needle_len)
{
  const char *end, *p = text;

  if (needle_len > len)
    return FALSE;
  end = text + len - needle_len + 1;
  while ((p = memchr (p, needle[0], end - p)) != NULL)
    {
      if (memcmp (p + 1, needle + 1, needle_len - 1) == 0)
        return TRUE;
      p++;
    }

  return FALSE;
}

static void
evaluate_match (FwAlertEngine *self,
                Instance      *inst,
                const FwItem  *item)
{
  FwAlertRule *rule = inst->slot->rule;
  gint64 oldest;

  if (rule->code != NULL)
    {
      /* An item's text is valid UTF-8 (fw-item.h) */
      if (pcre2_match (rule->code, (PCRE2_SPTR) item->text, item->text_len, 0,
                       PCRE2_NO_UTF_CHECK, inst->slot->match_data, NULL) < 0)
        return;
    }
  else if (rule->pattern != NULL &&
           !contains (item->text, item->text_len, rule->pattern, rule->pattern_len))
    return;

  inst->ring[inst->ring_next] = item->time_us;
  inst->ring_next = (inst->ring_next + 1) % inst->ring_size;
  if (inst->ring_n < inst->ring_size)
    inst->ring_n++;
  if (inst->active || inst->ring_n < inst->ring_size)
    return;

  /* The ring is full: its oldest time is the first of the last rate + 1 matches */
  oldest = inst->ring[inst->ring_next];
  if (item->time_us - oldest <= rule->window_us)
    {
      fire (self, inst, item, item->time_us, NULL);
      note_deadline (self, oldest + rule->window_us + 1);
    }
}

static void
evaluate_threshold (FwAlertEngine *self,
                    Instance      *inst,
                    FwItem        *item)
{
  FwAlertRule *rule = inst->slot->rule;
  double value = item->value;

  if (inst->active)
    {
      gboolean cleared = rule->has_clear ? _fw_alert_op_holds (rule->clear_op, value,
                                                               rule->clear_limit)
                                         : !_fw_alert_op_holds (rule->op, value, rule->limit);
      if (cleared)
        clear (self, inst, item, item->time_us, NULL);
      return;
    }

  if (!_fw_alert_op_holds (rule->op, value, rule->limit))
    {
      inst->pending = FALSE;
      return;
    }

  if (!inst->pending)
    {
      inst->pending = TRUE;
      inst->since_us = item->time_us;
    }
  if (item->time_us - inst->since_us >= rule->for_us)
    {
      inst->pending = FALSE;
      fire (self, inst, item, item->time_us, NULL);
    }
  else
    {
      inst->pending_value = value;
      inst->pending_unit = item->unit;
      note_deadline (self, inst->since_us + rule->for_us);
    }
}

static void
break_silence (FwAlertEngine *self,
               Feed          *feed,
               const FwItem  *item,
               gboolean       data)
{
  for (guint i = 0; i < feed->silence->len; i++)
    {
      Instance *inst = g_ptr_array_index (feed->silence, i);

      if (inst->active && (data || !inst->slot->rule->data_only))
        {
          clear (self, inst, item, item->time_us, NULL);
          note_deadline (self, item->time_us + inst->slot->rule->window_us);
        }
    }
}

static void
feed_enter_state (FwAlertEngine *self,
                  Feed          *feed,
                  FwFeedState    state,
                  gint64         time_us,
                  const FwItem  *trigger,
                  const char    *text)
{
  if (state == feed->state)
    return;

  feed->state = state;
  feed->state_since_us = time_us;
  for (guint i = 0; i < feed->states->len; i++)
    {
      Instance *inst = g_ptr_array_index (feed->states, i);
      FwAlertRule *rule = inst->slot->rule;
      gboolean holds = (rule->state_mask & (1u << state)) != 0;

      if (inst->active && !holds)
        clear (self, inst, trigger, time_us, text);
      else if (!inst->active && holds && rule->for_us == 0)
        fire (self, inst, trigger, time_us, text);
      else if (!inst->active && holds)
        note_deadline (self, time_us + rule->for_us);
    }
}

static void
process_one (FwAlertEngine *self,
             FwItem        *item)
{
  Feed *feed;

  if (item->group != NULL)
    {
      for (guint i = 0; i < item->group->len; i++)
        process_one (self, g_ptr_array_index (item->group, i));
      return;
    }
  /* A replayed line was seen before; an alert is ours */
  if (item->kind == FW_ITEM_ALERT || (item->flags & FW_ITEM_FLAG_REPLAYED))
    return;

  feed = feed_for_item (self, item);
  feed->last_item_us = item->time_us;

  if (item->kind == FW_ITEM_STATUS)
    {
      FwFeedState state = fw_item_get_feed_state (item);

      if (feed->n_silent > 0)
        break_silence (self, feed, item, FALSE);
      if (state != FW_FEED_STATE_IDLE)
        feed_enter_state (self, feed, state, item->time_us, item, NULL);
      return;
    }

  feed->last_data_us = item->time_us;
  if (feed->n_silent > 0)
    break_silence (self, feed, item, TRUE);

  for (guint i = feed->match_from[MIN (item->level, FW_LEVEL_CRITICAL)]; i < feed->match->len; i++)
    evaluate_match (self, g_ptr_array_index (feed->match, i), item);

  if (feed->threshold_slots->len > 0 && item->name != NULL &&
      (item->flags & FW_ITEM_FLAG_HAS_VALUE))
    {
      Series *series = series_for_name (feed, item->name);

      for (guint i = 0; i < series->instances->len; i++)
        evaluate_threshold (self, g_ptr_array_index (series->instances, i), item);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* The timer */

static gboolean
timer_dispatch (GSource     *source,
                GSourceFunc  callback,
                gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs timer_funcs = { NULL, NULL, timer_dispatch, NULL, NULL, NULL };

static void
engine_rearm (FwAlertEngine *self)
{
  gint64 left_us;

  if (self->timer == NULL || self->next_deadline_us == self->armed_deadline_us)
    return;

  self->armed_deadline_us = self->next_deadline_us;
  if (self->next_deadline_us == G_MAXINT64)
    {
      g_source_set_ready_time (self->timer, -1);
      return;
    }
  left_us = CLAMP (self->next_deadline_us - engine_now (self), 0, G_MAXINT64 / 4);
  g_source_set_ready_time (self->timer, g_get_monotonic_time () + left_us);
}

static gboolean
on_timer (gpointer user_data)
{
  FwAlertEngine *self = user_data;

  g_source_set_ready_time (self->timer, -1);
  self->armed_deadline_us = G_MAXINT64;
  fw_alert_engine_tick (self);

  return G_SOURCE_CONTINUE;
}

static void
engine_flush (FwAlertEngine *self)
{
  g_autoptr(GPtrArray) alerts = NULL;

  engine_rearm (self);
  if (self->pending->len == 0)
    return;

  /* The callback may add rules: nothing of ours is being walked while it runs */
  alerts = g_steal_pointer (&self->pending);
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  g_object_ref (self);
  for (guint i = 0; i < alerts->len && self->func != NULL; i++)
    self->func (g_ptr_array_index (alerts, i), self->func_data);
  g_object_unref (self);
}

/* ---------------------------------------------------------------------------------------- */

static void
slot_free (Slot *slot)
{
  fw_alert_rule_unref (slot->rule);
  g_clear_pointer (&slot->match_data, pcre2_match_data_free);
  g_free (slot);
}

static void
fw_alert_engine_dispose (GObject *object)
{
  FwAlertEngine *self = FW_ALERT_ENGINE (object);

  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
  if (self->func_destroy != NULL)
    self->func_destroy (self->func_data);
  self->func = NULL;
  self->func_destroy = NULL;
  if (self->describe_destroy != NULL)
    self->describe_destroy (self->describe_data);
  self->describe = NULL;
  self->describe_destroy = NULL;

  G_OBJECT_CLASS (fw_alert_engine_parent_class)->dispose (object);
}

static void
fw_alert_engine_finalize (GObject *object)
{
  FwAlertEngine *self = FW_ALERT_ENGINE (object);

  cache_clear (&self->feed_cache);
  g_hash_table_unref (self->feeds);
  g_ptr_array_unref (self->slots);
  g_ptr_array_unref (self->pending);

  G_OBJECT_CLASS (fw_alert_engine_parent_class)->finalize (object);
}

static void
fw_alert_engine_class_init (FwAlertEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fw_alert_engine_dispose;
  object_class->finalize = fw_alert_engine_finalize;
}

static void
fw_alert_engine_init (FwAlertEngine *self)
{
  self->slots = g_ptr_array_new_with_free_func ((GDestroyNotify) slot_free);
  self->feeds = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) feed_free);
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  self->next_deadline_us = G_MAXINT64;
  self->armed_deadline_us = G_MAXINT64;
}

/**
 * fw_alert_engine_new:
 * Makes an engine with no rules; add them with fw_alert_engine_add_rule().
 *
 * Returns: (transfer full): a new engine
 */
FwAlertEngine *
fw_alert_engine_new (void)
{
  return g_object_new (FW_TYPE_ALERT_ENGINE, NULL);
}

/**
 * fw_alert_engine_set_func:
 * @self: an engine
 * @func: (nullable) (scope notified) (closure user_data) (destroy destroy): called with each alert
 *   announced (fired or cleared)
 * @user_data: given to @func
 * @destroy: (nullable): frees @user_data when @func is replaced or the engine finalized
 *
 * Sets what is called with the alerts the engine announces.
 */
void
fw_alert_engine_set_func (FwAlertEngine  *self,
                          FwAlertFunc     func,
                          gpointer        user_data,
                          GDestroyNotify  destroy)
{
  g_return_if_fail (FW_IS_ALERT_ENGINE (self));

  if (self->func_destroy != NULL)
    self->func_destroy (self->func_data);
  self->func = func;
  self->func_data = user_data;
  self->func_destroy = destroy;
}

/**
 * fw_alert_engine_set_describe_func:
 * @self: an engine
 * @func: (nullable) (scope notified) (closure user_data) (destroy destroy): tells a feed's
 *   title and group when the engine first meets the feed
 * @user_data: given to @func
 * @destroy: (nullable): frees @user_data when @func is replaced or the engine finalized
 *
 * Lets rules scoped by a title or a group take in feeds that the owner knows by those (the
 * window's feeds), however the engine meets them: watched, or first seen in an item. Set it
 * before the first item.
 */
void
fw_alert_engine_set_describe_func (FwAlertEngine       *self,
                                   FwAlertDescribeFunc  func,
                                   gpointer             user_data,
                                   GDestroyNotify       destroy)
{
  g_return_if_fail (FW_IS_ALERT_ENGINE (self));

  if (self->describe_destroy != NULL)
    self->describe_destroy (self->describe_data);
  self->describe = func;
  self->describe_data = user_data;
  self->describe_destroy = destroy;
}

/**
 * fw_alert_engine_set_clock: (skip)
 * @self: an engine
 * @clock: (nullable): the time for ticks and for feeds watched before their first item;
 *   %NULL: g_get_real_time()
 * @user_data: given to @clock
 *
 * Replaces the engine's clock, for tests that must not wait for time to pass.
 */
void
fw_alert_engine_set_clock (FwAlertEngine *self,
                          FwAlertClock   clock,
                          gpointer       user_data)
{
  g_return_if_fail (FW_IS_ALERT_ENGINE (self));

  self->clock = clock;
  self->clock_data = user_data;
}

/**
 * fw_alert_engine_add_rule:
 * @self: an engine
 * @rule: (transfer none): a rule; the engine keeps a reference
 *
 * Adds a rule, evaluated from the next item on.
 *
 * Returns: the rule's index, for fw_alert_engine_mute() and the counts
 */
guint
fw_alert_engine_add_rule (FwAlertEngine *self,
                          FwAlertRule   *rule)
{
  Slot *slot;
  GHashTableIter iter;
  gpointer feed;

  g_return_val_if_fail (FW_IS_ALERT_ENGINE (self), 0);
  g_return_val_if_fail (rule != NULL, 0);

  slot = g_new0 (Slot, 1);
  slot->rule = fw_alert_rule_ref (rule);
  slot->index = self->slots->len;
  if (rule->code != NULL)
    slot->match_data = pcre2_match_data_create (1, NULL);
  g_ptr_array_add (self->slots, slot);

  g_hash_table_iter_init (&iter, self->feeds);
  while (g_hash_table_iter_next (&iter, NULL, &feed))
    attach_slot (self, feed, slot);
  engine_rearm (self);

  return slot->index;
}

/**
 * fw_alert_engine_get_n_rules:
 * @self: an engine
 *
 * How many rules the engine has.
 *
 * Returns: the number of rules added
 */
guint
fw_alert_engine_get_n_rules (FwAlertEngine *self)
{
  g_return_val_if_fail (FW_IS_ALERT_ENGINE (self), 0);

  return self->slots->len;
}

/**
 * fw_alert_engine_get_rule:
 * @self: an engine
 * @index: a rule's index, below fw_alert_engine_get_n_rules()
 *
 * The rule added at @index.
 *
 * Returns: (transfer none): the rule at @index
 */
FwAlertRule *
fw_alert_engine_get_rule (FwAlertEngine *self,
                          guint          index)
{
  g_return_val_if_fail (FW_IS_ALERT_ENGINE (self), NULL);
  g_return_val_if_fail (index < self->slots->len, NULL);

  return ((Slot *) g_ptr_array_index (self->slots, index))->rule;
}

/**
 * fw_alert_engine_watch_feed:
 * @feed: the feed as written, as its items will name it
 * @title: (nullable): its title, which scopes may match too
 *
 * Makes the feed known before its first item, so that its silence is counted from now. A
 * feed first met in an item has no title.
 */
void
fw_alert_engine_watch_feed (FwAlertEngine *self,
                            const char    *feed,
                            const char    *title)
{
  g_return_if_fail (FW_IS_ALERT_ENGINE (self));
  g_return_if_fail (feed != NULL);

  if (g_hash_table_lookup (self->feeds, feed) == NULL)
    feed_new (self, feed, title, engine_now (self));
  engine_rearm (self);
}

/**
 * fw_alert_engine_process:
 * @item: an item as it passes (a group item's items are each evaluated)
 *
 * Evaluates the rules that apply to @item's feed; alerts it fires or clears are handed to the
 * callback before this returns.
 */
void
fw_alert_engine_process (FwAlertEngine *self,
                         FwItem        *item)
{
  process_one (self, item);
  if (G_UNLIKELY (self->pending->len > 0))
    engine_flush (self);
  else if (G_UNLIKELY (self->next_deadline_us < self->armed_deadline_us))
    engine_rearm (self);
}

/**
 * fw_alert_engine_set_feed_state:
 * @self: an engine
 * @feed: the feed as written, as its items name it
 * @state: its state now
 * @text: (nullable): what happened, for the alert's text
 *
 * Tells the engine what a feed's runner knows without a status item (a stream that ended with
 * an error is failed), for `state` rules.
 */
void
fw_alert_engine_set_feed_state (FwAlertEngine *self,
                                const char    *feed,
                                FwFeedState    state,
                                const char    *text)
{
  Feed *entry;
  gint64 now;

  g_return_if_fail (FW_IS_ALERT_ENGINE (self));
  g_return_if_fail (feed != NULL);

  now = engine_now (self);
  entry = g_hash_table_lookup (self->feeds, feed);
  if (entry == NULL)
    entry = feed_new (self, feed, NULL, now);
  feed_enter_state (self, entry, state, now, NULL, text);
  engine_flush (self);
}

static char *
describe_duration (gint64 us)
{
  if (us % G_USEC_PER_SEC != 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT " ms", us / 1000);
  return g_strdup_printf ("%" G_GINT64_FORMAT " s", us / G_USEC_PER_SEC);
}

static void
tick_instance (FwAlertEngine *self,
               Instance      *inst,
               gint64         now,
               gint64        *next)
{
  Feed *feed = inst->feed;
  FwAlertRule *rule = inst->slot->rule;

  switch (rule->kind)
    {
    case FW_ALERT_THRESHOLD:
      if (!inst->active && inst->pending)
        {
          if (now - inst->since_us >= rule->for_us)
            {
              g_autoptr(FwItem) trigger = fw_item_new_reading (feed->feed, now, inst->series,
                                                               inst->pending_value,
                                                               inst->pending_unit);

              inst->pending = FALSE;
              fire (self, inst, trigger, now, NULL);
            }
          else
            *next = MIN (*next, inst->since_us + rule->for_us);
        }
      break;

    case FW_ALERT_MATCH:
      if (inst->active)
        {
          /* Cleared once no more than rate matches are left in the window */
          gint64 oldest = inst->ring[inst->ring_next];

          if (now > oldest + rule->window_us)
            {
              g_autofree char *window = describe_duration (rule->window_us);
              /* TRANSLATORS: %s is the rule's window: "30 s" */
              g_autofree char *text = rule->rate == 0
                ? g_strdup_printf (_("no match in %s"), window)
                : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u or fewer matches in %s",
                                                "%u or fewer matches in %s", rule->rate),
                                   rule->rate, window);

              clear (self, inst, NULL, now, text);
            }
          else
            *next = MIN (*next, oldest + rule->window_us + 1);
        }
      break;

    case FW_ALERT_SILENCE:
      if (!inst->active)
        {
          gint64 last = MAX (feed->created_us, rule->data_only ? feed->last_data_us
                                                               : feed->last_item_us);

          if (now - last >= rule->window_us)
            {
              g_autofree char *window = describe_duration (rule->window_us);
              /* TRANSLATORS: %s is how long the feed was silent: "30 s" */
              g_autofree char *text = rule->data_only
                                      ? g_strdup_printf (_("no data item for %s"), window)
                                      : g_strdup_printf (_("no item for %s"), window);
              fire (self, inst, NULL, now, text);
            }
          else
            *next = MIN (*next, last + rule->window_us);
        }
      break;

    case FW_ALERT_STATE:
      if (!inst->active && (rule->state_mask & (1u << feed->state)))
        {
          if (now - feed->state_since_us >= rule->for_us)
            {
              g_autofree char *held = describe_duration (now - feed->state_since_us);
              /* TRANSLATORS: a feed state as alert rules name it (failed, retrying, …), then
               * how long the feed has been in it: "failed for 30 s" */
              g_autofree char *text = g_strdup_printf (_("%s for %s"),
                                                       fw_feed_state_to_string (feed->state),
                                                       held);
              fire (self, inst, NULL, now, text);
            }
          else
            *next = MIN (*next, feed->state_since_us + rule->for_us);
        }
      break;

    default:
      g_assert_not_reached ();
    }
}

/**
 * fw_alert_engine_tick:
 * @self: an engine
 *
 * Evaluates what time alone changes (durations held, windows passed, silences) at the clock's
 * time now. An attached engine runs it at its next deadline.
 */
void
fw_alert_engine_tick (FwAlertEngine *self)
{
  gint64 now, next = G_MAXINT64;
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (FW_IS_ALERT_ENGINE (self));

  now = engine_now (self);
  g_hash_table_iter_init (&iter, self->feeds);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Feed *feed = value;

      for (guint i = 0; i < feed->all->len; i++)
        tick_instance (self, g_ptr_array_index (feed->all, i), now, &next);
    }
  self->next_deadline_us = next;
  engine_flush (self);
}

/**
 * fw_alert_engine_get_next_deadline:
 * @self: an engine
 *
 * When the engine next needs a tick.
 *
 * Returns: the wall-clock time (µs) at which fw_alert_engine_tick() may have something to do,
 *   or %G_MAXINT64; it may be early, never late
 */
gint64
fw_alert_engine_get_next_deadline (FwAlertEngine *self)
{
  g_return_val_if_fail (FW_IS_ALERT_ENGINE (self), G_MAXINT64);

  return self->next_deadline_us;
}

/**
 * fw_alert_engine_attach:
 * @context: (nullable): the main context whose loop runs the ticks
 *
 * Runs fw_alert_engine_tick() at each deadline from now on.
 */
void
fw_alert_engine_attach (FwAlertEngine *self,
                        GMainContext  *context)
{
  g_return_if_fail (FW_IS_ALERT_ENGINE (self));
  g_return_if_fail (self->timer == NULL);

  self->timer = g_source_new (&timer_funcs, sizeof (GSource));
  g_source_set_name (self->timer, "[feedwatch] alert deadlines");
  g_source_set_callback (self->timer, on_timer, self, NULL);
  g_source_set_ready_time (self->timer, -1);
  g_source_attach (self->timer, context);
  self->armed_deadline_us = G_MAXINT64;
  engine_rearm (self);
}

/**
 * fw_alert_engine_mute:
 * @self: an engine
 * @index: a rule's index
 * @until_us: wall-clock time (µs) until which the rule's firings are not announced; 0 unmutes
 *
 * Mutes a rule for a while. A muted rule is still evaluated: what fires while muted stays
 * active, unannounced, until it clears.
 */
void
fw_alert_engine_mute (FwAlertEngine *self,
                      guint          index,
                      gint64         until_us)
{
  g_return_if_fail (FW_IS_ALERT_ENGINE (self));
  g_return_if_fail (index < self->slots->len);

  ((Slot *) g_ptr_array_index (self->slots, index))->muted_until_us = until_us;
}

/**
 * fw_alert_engine_get_n_active:
 * @self: an engine
 *
 * How many alerts are active now.
 *
 * Returns: the alerts active now, announced or not (an instance per rule, feed and series)
 */
guint
fw_alert_engine_get_n_active (FwAlertEngine *self)
{
  g_return_val_if_fail (FW_IS_ALERT_ENGINE (self), 0);

  return self->n_active;
}

/**
 * fw_alert_engine_get_n_fired:
 * @self: an engine
 * @index: a rule's index
 *
 * How often a rule fired.
 *
 * Returns: how many times the rule at @index fired, announced or not
 */
guint64
fw_alert_engine_get_n_fired (FwAlertEngine *self,
                             guint          index)
{
  g_return_val_if_fail (FW_IS_ALERT_ENGINE (self), 0);
  g_return_val_if_fail (index < self->slots->len, 0);

  return ((Slot *) g_ptr_array_index (self->slots, index))->n_fired;
}

/**
 * fw_alert_engine_get_n_suppressed:
 * @self: an engine
 * @index: a rule's index
 *
 * How often a rule fired without being announced.
 *
 * Returns: how many firings of the rule at @index were not announced (muted, or within its
 *   interval of the last notification)
 */
guint64
fw_alert_engine_get_n_suppressed (FwAlertEngine *self,
                                  guint          index)
{
  g_return_val_if_fail (FW_IS_ALERT_ENGINE (self), 0);
  g_return_val_if_fail (index < self->slots->len, 0);

  return ((Slot *) g_ptr_array_index (self->slots, index))->n_suppressed;
}
