/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-history-private.h: what the files of FwHistory share. The seq lists' per-item operations
 * are here, inline, because the hot paths of several files run them.
 *
 * fw-history.c           the object and its properties; the design is described at its top
 * fw-history-ring.c      the ring of items, its count and byte caps, the dropped count
 * fw-history-publish.c   the GListModel: what the view is shown, updated once a frame
 * fw-history-filter.c    search, level and feed filters, and the rescan after a change
 * fw-history-match.h     whether an item passes the filter (append and the rescan inline it)
 * fw-history-seq-list.c  the ascending lists of seqs behind `matches` and `shown` */
#pragma once

#include "fw-history.h"

G_BEGIN_DECLS

#define CACHE_SIZE     256 /* row objects kept: a few screens' worth, so scrolling does not churn */

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

  guint64     ordered_seq;    /* items below it were put in time order (one frame at a time) */

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

  /* Items the filter let through since fw_history_take_arrivals(), and their feed while they
   * all came from one (a GRefString held) */
  guint64     n_arrivals;
  char       *arrivals_feed;
  gboolean    arrivals_mixed;

  /* last notified values: properties change at flush, not per item */
  guint64     notified_total;
  guint64     notified_dropped;
  guint64     notified_unseen;
  guint       notified_matches;

  CacheSlot   cache[CACHE_SIZE];
};

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

extern GParamSpec *_fw_history_properties[N_PROPS];

/* Seq lists: the hot operations are inline, the rest in fw-history-seq-list.c */

void _fw_seq_list_reset (SeqList  *list,
                         gboolean  all,
                         guint64   first,
                         guint     len);
void _fw_seq_list_grow  (SeqList *list);
void _fw_seq_list_copy  (SeqList       *dest,
                         const SeqList *src);

static inline guint64
seq_list_nth (const SeqList *list,
              guint          i)
{
  if (list->all)
    return list->first + i;
  return list->data[(list->head + i) & (list->alloc - 1)];
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
    _fw_seq_list_grow (list);
  list->data[(list->head + list->len) & (list->alloc - 1)] = seq;
  list->len++;
}

static inline void
seq_list_push_front (SeqList *list,
                     guint64  seq)
{
  g_assert (!list->all);
  if (list->len == list->alloc)
    _fw_seq_list_grow (list);
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

/* The ring */

static inline FwItem *
ring_get (FwHistory *self,
          guint64    seq)
{
  guint64 offset = seq - self->ring_first;

  g_assert (seq >= self->ring_first && offset < self->ring_len);

  return self->ring[(self->ring_head + offset) % self->capacity];
}

void _fw_history_evict_all (FwHistory *self);
void _fw_history_order_new (FwHistory *self);

/* Filters (the per-item test is in fw-history-match.h) */

void _fw_history_filter_clear_search (Filter    *filter);
void _fw_history_set_filtering       (FwHistory *self,
                                      gboolean   filtering);

/* Publishing */

void _fw_history_list_model_init     (GListModelInterface *iface);
void _fw_history_cache_clear         (FwHistory           *self);
void _fw_history_notify_counters     (FwHistory           *self);
void _fw_history_publish_replacement (FwHistory           *self);

G_END_DECLS
