/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-series.c: a bounded time series with multi-resolution decimation.
 *
 * Level 0 is a ring of raw (time, value) points. Levels 1..4 are rings of buckets of 100 ms,
 * 1 s, 10 s and 60 s holding min/max/sum/count. Buckets are sparse (each carries its index),
 * so a gap costs nothing and a slow series does not fill a fine level with empty buckets.
 * Every ring has a fixed maximum length and grows lazily up to it, so memory is bounded
 * whatever the history and proportional to it while it is short.
 *
 * A range [a, b) is aggregated top-down: whole buckets of the coarsest level that fits, and
 * the two partial edges from the coarsest finer level still holding them, down to the raw
 * points. The result is exact wherever some finer level still holds the edges, and the cost
 * depends on the level ratios, not on the history: a plot column costs a few dozen bucket
 * reads. Where no finer level holds an edge any more, the whole coarser bucket is taken (a
 * little wider than asked, never missing data). */

#include "config.h"

#include <math.h>
#include <string.h>

#include "fw-series.h"

typedef struct
{
  gint64 time_us;
  double value;
} Point;

typedef struct
{
  gint64  index;    /* bucket covers [index * res, (index + 1) * res) */
  double  min;
  double  max;
  double  sum;
  guint32 count;
} Bucket;

/* A ring of fixed-size elements, oldest first, growing by doubling up to max_len. */
typedef struct
{
  guint8 *data;
  gsize   elem_size;
  gsize   alloc;
  gsize   max_len;
  gsize   head;
  gsize   len;
} Ring;

typedef struct
{
  Ring     ring;
  gint64   res_us;        /* 0 for the raw level */
  gboolean truncated;
  gint64   covers_from;   /* everything at or after this time is still held */
} Level;

/* Level 0: raw points, 1 h at 10 Hz. Then 20 min of 100 ms, 2 h of 1 s, 24 h of 10 s and
 * 7 days of 60 s buckets (when every bucket has data; sparser data reaches further back). */
static const gint64 level_res[FW_SERIES_N_LEVELS] = {
  0, 100 * 1000, G_USEC_PER_SEC, 10 * G_USEC_PER_SEC, 60 * G_USEC_PER_SEC,
};
static const gsize level_cap[FW_SERIES_N_LEVELS] = {
  36000, 12000, 7200, 8640, 10080,
};

struct _FwSeries
{
  GObject  parent_instance;

  char    *name;
  char    *unit;

  Level    levels[FW_SERIES_N_LEVELS];
  guint64  n_points;
  guint64  n_invalid;
  guint64  generation;
  gint64   first_time_us;
  gint64   last_time_us;

  GSource *changed_source;
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

static inline gint64
floor_div (gint64 a,
           gint64 b)
{
  gint64 q = a / b;

  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static inline gint64
ceil_div (gint64 a,
          gint64 b)
{
  return -floor_div (-a, b);
}

static inline gpointer
ring_get (const Ring *ring,
          gsize       i)
{
  gsize pos = ring->head + i;

  /* i < alloc and head < alloc: no division on this hot path. */
  if (pos >= ring->alloc)
    pos -= ring->alloc;
  return ring->data + pos * ring->elem_size;
}

static inline gint64
ring_key (const Ring *ring,
          gsize       i)
{
  /* The leading gint64 of both Point (time) and Bucket (index). */
  return *(const gint64 *) ring_get (ring, i);
}

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

/* First position whose key is >= @key. */
static gsize
ring_lower_bound (const Ring *ring,
                  gint64      key)
{
  gsize lo = 0, hi = ring->len;

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (ring_key (ring, mid) < key)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

/* Plot columns ask for increasing times: start from where the last lookup on this level
 * ended and step forward a little before falling back to a binary search. */
static gsize
ring_lower_bound_hinted (const Ring *ring,
                         gint64      key,
                         gsize      *hint)
{
  gsize i = *hint;

  if (i <= ring->len && (i == 0 || ring_key (ring, i - 1) < key))
    {
      for (guint n = 0; n < 16; n++, i++)
        {
          if (i == ring->len || ring_key (ring, i) >= key)
            return *hint = i;
        }
    }

  return *hint = ring_lower_bound (ring, key);
}

typedef struct
{
  double  min;
  double  max;
  double  sum;
  guint64 count;
} Acc;

#define ACC_INIT { INFINITY, -INFINITY, 0.0, 0 }

/* Lookup hints per level, kept across the columns of one query. */
typedef struct
{
  gsize hint[FW_SERIES_N_LEVELS];
} Query;

static void
aggregate_raw (FwSeries *self,
               Query    *q,
               gint64    a,
               gint64    b,
               Acc      *acc)
{
  const Ring *ring = &self->levels[0].ring;

  for (gsize i = ring_lower_bound_hinted (ring, a, &q->hint[0]); i < ring->len; i++)
    {
      const Point *p = ring_get (ring, i);

      if (p->time_us >= b)
        break;
      acc->min = MIN (acc->min, p->value);
      acc->max = MAX (acc->max, p->value);
      acc->sum += p->value;
      acc->count++;
    }
}

static void aggregate (FwSeries *self,
                       Query    *q,
                       guint     level,
                       gint64    a,
                       gint64    b,
                       Acc      *acc);

static void
add_buckets (const Level *lv,
             gsize       *hint,
             gint64       k0,
             gint64       k1,
             Acc         *acc)
{
  for (gsize i = ring_lower_bound_hinted (&lv->ring, k0, hint); i < lv->ring.len; i++)
    {
      const Bucket *bucket = ring_get (&lv->ring, i);

      if (bucket->index >= k1)
        break;
      acc->min = MIN (acc->min, bucket->min);
      acc->max = MAX (acc->max, bucket->max);
      acc->sum += bucket->sum;
      acc->count += bucket->count;
    }
}

/* [a, b) is narrower than a bucket of @level: take it from the coarsest finer level that
 * still holds it (levels hold different spans: raw points may reach further back than the
 * 100 ms buckets), else the whole buckets of @level around it. */
static void
aggregate_edge (FwSeries *self,
                Query    *q,
                guint     level,
                gint64    a,
                gint64    b,
                Acc      *acc)
{
  const Level *lv = &self->levels[level];

  if (a >= b)
    return;

  for (guint j = level; j-- > 0;)
    {
      if (self->levels[j].covers_from <= a)
        {
          aggregate (self, q, j, a, b, acc);
          return;
        }
    }

  add_buckets (lv, &q->hint[level], floor_div (a, lv->res_us), ceil_div (b, lv->res_us), acc);
}

static void
aggregate (FwSeries *self,
           Query    *q,
           guint     level,
           gint64    a,
           gint64    b,
           Acc      *acc)
{
  const Level *lv = &self->levels[level];
  gint64 k0, k1;

  if (a >= b)
    return;

  if (level == 0)
    {
      aggregate_raw (self, q, a, b, acc);
      return;
    }

  k0 = ceil_div (a, lv->res_us);
  k1 = floor_div (b, lv->res_us);
  if (k0 >= k1)
    {
      aggregate_edge (self, q, level, a, b, acc);
      return;
    }

  add_buckets (lv, &q->hint[level], k0, k1, acc);
  aggregate_edge (self, q, level, a, k0 * lv->res_us, acc);
  aggregate_edge (self, q, level, k1 * lv->res_us, b, acc);
}

/* Starts at the coarsest level whose buckets fit in the range (fewest reads for an exact
 * answer), or a coarser one if that one no longer reaches back to @a. */
static void
aggregate_range (FwSeries *self,
                 Query    *q,
                 gint64    a,
                 gint64    b,
                 Acc      *acc)
{
  guint level = FW_SERIES_N_LEVELS - 1;

  while (level > 0 && level_res[level] > b - a)
    level--;
  while (level < FW_SERIES_N_LEVELS - 1 && self->levels[level].covers_from > a)
    level++;

  aggregate (self, q, level, a, b, acc);
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

/**
 * fw_series_get_stats:
 * @start_us: start of the range (inclusive)
 * @end_us: end of the range (exclusive)
 * @stats: (out caller-allocates): min, avg, max, last and count over the range
 *
 * Returns: %TRUE if the range holds at least one point
 */
gboolean
fw_series_get_stats (FwSeries      *self,
                     gint64         start_us,
                     gint64         end_us,
                     FwSeriesStats *stats)
{
  Acc acc = ACC_INIT;
  Query q = { { 0 } };
  const Ring *raw;
  gsize pos;

  g_return_val_if_fail (FW_IS_SERIES (self), FALSE);
  g_return_val_if_fail (stats != NULL, FALSE);

  aggregate_range (self, &q, start_us, end_us, &acc);

  stats->count = acc.count;
  stats->min = acc.count > 0 ? acc.min : NAN;
  stats->max = acc.count > 0 ? acc.max : NAN;
  stats->avg = acc.count > 0 ? acc.sum / acc.count : NAN;
  stats->last = NAN;
  stats->last_time_us = 0;

  raw = &self->levels[0].ring;
  pos = ring_lower_bound (raw, end_us);
  if (pos > 0)
    {
      const Point *p = ring_get (raw, pos - 1);

      if (p->time_us >= start_us)
        {
          stats->last = p->value;
          stats->last_time_us = p->time_us;
        }
    }

  return acc.count > 0;
}

/**
 * fw_series_get_columns:
 * @start_us: start of the range (inclusive)
 * @end_us: end of the range (exclusive)
 * @n_columns: how many equal columns to split the range into
 * @columns: (array length=n_columns) (out caller-allocates): one entry per column
 *
 * Column i covers [start + span * i / n, start + span * (i + 1) / n). A column without data
 * has count 0 and NaN values. The cost is O(@n_columns), independent of the history.
 *
 * Returns: the number of columns holding data
 */
guint
fw_series_get_columns (FwSeries       *self,
                       gint64          start_us,
                       gint64          end_us,
                       guint           n_columns,
                       FwSeriesColumn *columns)
{
  gint64 span = end_us - start_us;
  guint n_filled = 0;
  Query q = { { 0 } };
  gint64 first, last;

  g_return_val_if_fail (FW_IS_SERIES (self), 0);
  g_return_val_if_fail (n_columns == 0 || columns != NULL, 0);
  g_return_val_if_fail (span >= 0, 0);

  if (!fw_series_get_time_range (self, &first, &last))
    first = G_MAXINT64, last = G_MININT64;

  for (guint i = 0; i < n_columns; i++)
    {
      gint64 a = start_us + span * i / n_columns;
      gint64 b = start_us + span * (i + 1) / n_columns;
      Acc acc = ACC_INIT;

      /* Columns wholly outside the data cost nothing. */
      if (b > first && a <= last)
        aggregate_range (self, &q, a, b, &acc);

      columns[i].count = acc.count;
      if (acc.count > 0)
        {
          columns[i].min = acc.min;
          columns[i].max = acc.max;
          columns[i].avg = acc.sum / acc.count;
          n_filled++;
        }
      else
        {
          columns[i].min = columns[i].max = columns[i].avg = NAN;
        }
    }

  return n_filled;
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
