/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-series-query.c: FwSeries's range queries, the stats of a range and the plot's columns.
 *
 * A range [a, b) is aggregated top-down: whole buckets of the coarsest level that fits, and
 * the two partial edges from the coarsest finer level still holding them, down to the raw
 * points. The result is exact wherever some finer level still holds the edges, and the cost
 * depends on the level ratios, not on the history: a plot column costs a few dozen bucket
 * reads. Where no finer level holds an edge any more, the whole coarser bucket is taken (a
 * little wider than asked, never missing data). */

#include <math.h>

#include "fw-series-private.h"

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

/**
 * fw_series_get_nearest:
 * @time_us: the time asked about
 * @max_distance_us: how far from @time_us a reading may be
 * @found_us: (out) (optional): the reading's time
 * @value: (out) (optional): its value
 *
 * The reading closest in time to @time_us, from the raw points where they still reach back
 * that far, else from the finest level of buckets that does (a bucket's average, at its
 * middle): what a pointer over the plot reads.
 *
 * Returns: %TRUE if a reading lies within @max_distance_us
 */
gboolean
fw_series_get_nearest (FwSeries *self,
                       gint64    time_us,
                       gint64    max_distance_us,
                       gint64   *found_us,
                       double   *value)
{
  gint64 best_us = 0, best_dist = G_MAXINT64;
  double best_value = NAN;

  g_return_val_if_fail (FW_IS_SERIES (self), FALSE);

  for (guint level = 0; level < FW_SERIES_N_LEVELS; level++)
    {
      const Level *lv = &self->levels[level];
      gint64 key;
      gsize pos;

      if (lv->ring.len == 0 || (lv->covers_from > time_us && level < FW_SERIES_N_LEVELS - 1))
        continue;

      key = level == 0 ? time_us : floor_div (time_us, lv->res_us);
      pos = ring_lower_bound (&lv->ring, key);
      for (gsize i = pos > 0 ? pos - 1 : 0; i <= pos && i < lv->ring.len; i++)
        {
          gint64 t, dist;
          double v;

          if (level == 0)
            {
              const Point *p = ring_get (&lv->ring, i);

              t = p->time_us, v = p->value;
            }
          else
            {
              const Bucket *b = ring_get (&lv->ring, i);

              t = b->index * lv->res_us + lv->res_us / 2, v = b->sum / b->count;
            }
          dist = ABS (t - time_us);
          if (dist < best_dist)
            best_dist = dist, best_us = t, best_value = v;
        }
      break;
    }

  if (best_dist == G_MAXINT64 || best_dist > max_distance_us)
    return FALSE;
  if (found_us != NULL)
    *found_us = best_us;
  if (value != NULL)
    *value = best_value;

  return TRUE;
}
