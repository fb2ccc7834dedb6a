/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-series.c: a bounded time series with multi-resolution decimation.
 *
 * Level 0 is a ring of raw (time, value) points. Levels 1..4 are rings of buckets of 100 ms,
 * 1 s, 10 s and 60 s holding min/max/sum/count. Buckets are sparse (each carries its index),
 * so a gap costs nothing and a slow series does not fill a fine level with empty buckets.
 * Every ring has a fixed maximum length and grows lazily up to it, so memory is bounded
 * whatever the history and proportional to it while it is short.
 *
 * This file keeps the levels as points come in; fw-series-query.c reads a range back from
 * them (stats, plot columns). */

#include "config.h"

#include <math.h>
#include <string.h>

#include "fw-series-private.h"

/* Level 0: raw points, 1 h at 10 Hz. Then 20 min of 100 ms, 2 h of 1 s, 24 h of 10 s and
 * 7 days of 60 s buckets (when every bucket has data; sparser data reaches further back). */
static const gsize level_cap[FW_SERIES_N_LEVELS] = {
  36000, 12000, 7200, 8640, 10080,
};

G_DEFINE_FINAL_TYPE (FwSeries, fw_series, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_UNIT,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Returns the slot for a new newest element; copies the dropped oldest one to @dropped. */
static gpointer
ring_push (Ring     *ring,
           gpointer  dropped,
           gboolean *did_drop)
{
  *did_drop = FALSE;

  if (ring->len == ring->alloc && ring->alloc < ring->max_len)
    {
      gsize new_alloc = MIN (MAX (ring->alloc * 2, 64), ring->max_len);
      guint8 *data = g_malloc (new_alloc * ring->elem_size);

      /* Linearise while growing, so head is 0 again. */
      for (gsize i = 0; i < ring->len; i++)
        memcpy (data + i * ring->elem_size, ring_get (ring, i), ring->elem_size);
      g_free (ring->data);
      ring->data = data;
      ring->alloc = new_alloc;
      ring->head = 0;
    }

  if (ring->len == ring->alloc)
    {
      memcpy (dropped, ring_get (ring, 0), ring->elem_size);
      *did_drop = TRUE;
      ring->head = ring->head + 1 == ring->alloc ? 0 : ring->head + 1;
      ring->len--;
    }

  ring->len++;
  return ring_get (ring, ring->len - 1);
}

static void
ring_clear (Ring *ring)
{
  g_clear_pointer (&ring->data, g_free);
  ring->alloc = 0;
  ring->head = 0;
  ring->len = 0;
}

static gboolean
emit_changed_cb (gpointer user_data)
{
  FwSeries *self = user_data;

  g_clear_pointer (&self->changed_source, g_source_unref);
  g_signal_emit (self, signals[CHANGED], 0);

  return G_SOURCE_REMOVE;
}

/* "changed" is coalesced: one emission per main-loop iteration, however many points came in,
 * and before GTK's redraw (GDK_PRIORITY_REDRAW is G_PRIORITY_HIGH_IDLE + 20). */
static void
schedule_changed (FwSeries *self)
{
  self->generation++;

  if (self->changed_source != NULL)
    return;

  self->changed_source = g_idle_source_new ();
  g_source_set_priority (self->changed_source, G_PRIORITY_HIGH_IDLE + 10);
  g_source_set_callback (self->changed_source, emit_changed_cb, self, NULL);
  g_source_set_name (self->changed_source, "[feedwatch] series changed");
  g_source_attach (self->changed_source, g_main_context_get_thread_default ());
}

static void
fw_series_dispose (GObject *object)
{
  FwSeries *self = FW_SERIES (object);

  if (self->changed_source != NULL)
    {
      g_source_destroy (self->changed_source);
      g_clear_pointer (&self->changed_source, g_source_unref);
    }

  G_OBJECT_CLASS (fw_series_parent_class)->dispose (object);
}

static void
fw_series_finalize (GObject *object)
{
  FwSeries *self = FW_SERIES (object);

  for (guint i = 0; i < FW_SERIES_N_LEVELS; i++)
    ring_clear (&self->levels[i].ring);
  g_free (self->name);
  g_free (self->unit);

  G_OBJECT_CLASS (fw_series_parent_class)->finalize (object);
}

static void
fw_series_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  FwSeries *self = FW_SERIES (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_UNIT:
      g_value_set_string (value, self->unit);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_series_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  FwSeries *self = FW_SERIES (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_free (self->name);
      self->name = g_value_dup_string (value);
      break;

    case PROP_UNIT:
      g_free (self->unit);
      self->unit = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_series_class_init (FwSeriesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fw_series_dispose;
  object_class->finalize = fw_series_finalize;
  object_class->get_property = fw_series_get_property;
  object_class->set_property = fw_series_set_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_UNIT] =
    g_param_spec_string ("unit", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FwSeries::changed:
   *
   * Points were appended or the series was cleared. Emitted from an idle at most once per
   * main-loop iteration, on the thread-default main context of the appending code.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
fw_series_init (FwSeries *self)
{
  self->name = g_strdup ("");
  self->unit = g_strdup ("");

  for (guint i = 0; i < FW_SERIES_N_LEVELS; i++)
    {
      Level *lv = &self->levels[i];

      lv->ring.elem_size = i == 0 ? sizeof (Point) : sizeof (Bucket);
      lv->ring.max_len = level_cap[i];
      lv->res_us = level_res[i];
      lv->covers_from = G_MININT64;
    }
}

/**
 * fw_series_new:
 * @name: what is measured ("CPU", "Package temperature")
 * @unit: (nullable): its unit ("%", "°C"), or %NULL/"" for none
 *
 * Returns: (transfer full): an empty series
 */
FwSeries *
fw_series_new (const char *name,
               const char *unit)
{
  return g_object_new (FW_TYPE_SERIES,
                       "name", name != NULL ? name : "",
                       "unit", unit != NULL ? unit : "",
                       NULL);
}

const char *
fw_series_get_name (FwSeries *self)
{
  g_return_val_if_fail (FW_IS_SERIES (self), NULL);

  return self->name;
}

const char *
fw_series_get_unit (FwSeries *self)
{
  g_return_val_if_fail (FW_IS_SERIES (self), NULL);

  return self->unit;
}

static void
append_to_bucket_level (Level  *lv,
                        gint64  time_us,
                        double  value)
{
  gint64 index = floor_div (time_us, lv->res_us);
  Bucket *bucket = NULL;

  if (lv->ring.len > 0)
    {
      bucket = ring_get (&lv->ring, lv->ring.len - 1);
      if (bucket->index != index)
        bucket = NULL;
    }

  if (bucket == NULL)
    {
      Bucket dropped;
      gboolean did_drop;

      bucket = ring_push (&lv->ring, &dropped, &did_drop);
      if (did_drop)
        {
          lv->truncated = TRUE;
          lv->covers_from = (dropped.index + 1) * lv->res_us;
        }
      bucket->index = index;
      bucket->min = value;
      bucket->max = value;
      bucket->sum = value;
      bucket->count = 1;
      return;
    }

  bucket->min = MIN (bucket->min, value);
  bucket->max = MAX (bucket->max, value);
  bucket->sum += value;
  bucket->count++;
}

/**
 * fw_series_append:
 * @time_us: wall-clock time of the reading, in µs
 * @value: the reading
 *
 * O(1) amortized. NaN and infinities are not stored; they are counted in
 * fw_series_get_n_invalid(). Time never goes back: a point older than the newest one is
 * stored at the newest one's time (clocks step; the plot must stay ordered).
 */
void
fw_series_append (FwSeries *self,
                  gint64    time_us,
                  double    value)
{
  Level *raw;
  Point *point;
  Point dropped;
  gboolean did_drop;

  g_return_if_fail (FW_IS_SERIES (self));

  if (!isfinite (value))
    {
      self->n_invalid++;
      return;
    }

  if (self->n_points == 0)
    self->first_time_us = time_us;
  else if (time_us < self->last_time_us)
    time_us = self->last_time_us;
  self->last_time_us = time_us;
  self->n_points++;

  raw = &self->levels[0];
  point = ring_push (&raw->ring, &dropped, &did_drop);
  if (did_drop)
    {
      raw->truncated = TRUE;
      raw->covers_from = dropped.time_us + 1;
    }
  point->time_us = time_us;
  point->value = value;

  for (guint i = 1; i < FW_SERIES_N_LEVELS; i++)
    append_to_bucket_level (&self->levels[i], time_us, value);

  schedule_changed (self);
}

void
fw_series_clear (FwSeries *self)
{
  g_return_if_fail (FW_IS_SERIES (self));

  for (guint i = 0; i < FW_SERIES_N_LEVELS; i++)
    {
      ring_clear (&self->levels[i].ring);
      self->levels[i].truncated = FALSE;
      self->levels[i].covers_from = G_MININT64;
    }
  self->n_points = 0;
  self->n_invalid = 0;
  schedule_changed (self);
}

/* Points appended since creation or the last clear (valid ones only). */
guint64
fw_series_get_n_points (FwSeries *self)
{
  g_return_val_if_fail (FW_IS_SERIES (self), 0);

  return self->n_points;
}

guint64
fw_series_get_n_invalid (FwSeries *self)
{
  g_return_val_if_fail (FW_IS_SERIES (self), 0);

  return self->n_invalid;
}

/* Bumped by every change: lets a reader tell "nothing new" without a signal. */
guint64
fw_series_get_generation (FwSeries *self)
{
  g_return_val_if_fail (FW_IS_SERIES (self), 0);

  return self->generation;
}

/* Time of the oldest point still held (at any level) and of the newest one. */
gboolean
fw_series_get_time_range (FwSeries *self,
                          gint64   *first_us,
                          gint64   *last_us)
{
  const Level *top;
  gint64 first;

  g_return_val_if_fail (FW_IS_SERIES (self), FALSE);

  if (self->n_points == 0)
    return FALSE;

  top = &self->levels[FW_SERIES_N_LEVELS - 1];
  first = self->first_time_us;
  if (top->truncated)
    first = MAX (first, ((const Bucket *) ring_get (&top->ring, 0))->index * top->res_us);

  if (first_us != NULL)
    *first_us = first;
  if (last_us != NULL)
    *last_us = self->last_time_us;

  return TRUE;
}

/* Width of a level's buckets in µs; 0 for level 0, the raw points. */
gint64
fw_series_level_resolution (guint level)
{
  g_return_val_if_fail (level < FW_SERIES_N_LEVELS, 0);

  return level_res[level];
}

/* The most points (level 0) or buckets a level ever holds. */
gsize
fw_series_level_capacity (guint level)
{
  g_return_val_if_fail (level < FW_SERIES_N_LEVELS, 0);

  return level_cap[level];
}

gsize
fw_series_get_level_length (FwSeries *self,
                            guint     level)
{
  g_return_val_if_fail (FW_IS_SERIES (self), 0);
  g_return_val_if_fail (level < FW_SERIES_N_LEVELS, 0);

  return self->levels[level].ring.len;
}

/* Bytes held by the rings (the allocation, not just the used part). */
gsize
fw_series_get_memory_size (FwSeries *self)
{
  gsize size = sizeof *self;

  g_return_val_if_fail (FW_IS_SERIES (self), 0);

  for (guint i = 0; i < FW_SERIES_N_LEVELS; i++)
    size += self->levels[i].ring.alloc * self->levels[i].ring.elem_size;

  return size;
}
