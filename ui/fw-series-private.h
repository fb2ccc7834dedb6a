/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-series-private.h: what the files of FwSeries share: its levels of rings and the inline
 * ring reads both the appends (fw-series.c) and the range queries (fw-series-query.c) run. */
#pragma once

#include "fw-series.h"

G_BEGIN_DECLS

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

/* The width of each level's buckets (0 for the raw points), here so that the queries pick a
 * level by comparing with constants; fw-series.c has how many each level holds. */
static const gint64 level_res[FW_SERIES_N_LEVELS] = {
  0, 100 * 1000, G_USEC_PER_SEC, 10 * G_USEC_PER_SEC, 60 * G_USEC_PER_SEC,
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

G_END_DECLS
