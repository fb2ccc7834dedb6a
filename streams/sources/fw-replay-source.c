/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-replay-source.c: `replay:FILE`, a recording (or `--print` JSON Lines) played back with the
 * timing it was recorded with, faster (`speed=10`), or as fast as it reads (`speed=max`).
 *
 * Items keep what they said when recorded: their feed (the feed that was recorded, not this
 * one), their times and every field, so a replay shows them as they were. Each item is due
 * when as much time has passed since the replay's start as had passed in the recording, over
 * the speed; a change of speed starts the count again from where the replay is. The clock is
 * the stream's main loop, or one a test gives (fw_replay_source_set_clock()), moved by hand.
 *
 * A thread reads ahead (decompresses and parses a few batches), so that at speed=max the main
 * loop only hands items on. A replay window shows each recorded feed as its own feed: the
 * replays split from one recording (fw_replay_source_new_split()) share that thread and its
 * reader, which routes each item to its feed's replay, and one clock. */

#include "config.h"

#include "fw-replay-source.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "fw-source-private.h"
#include "../fw-item-parse.h"
#include "../fw-recording-reader.h"

#define READ_BATCH     1024
#define AHEAD_ITEMS    (4 * READ_BATCH)  /* read ahead for each feed, at most */
#define MAX_SPEED      1e6
#define NO_TIME_FROM   G_MININT64
#define NO_TIME_TO     G_MAXINT64

/* Where the reader puts one feed's items (every item, for a replay of the whole recording):
 * batches for the replay that plays them. The reader thread fills it, that replay empties it;
 * both under the share's lock. */
typedef struct
{
  GRefString     *feed;       /* NULL: every item */
  GQueue          batches;    /* GPtrArray of FwItem */
  guint           n_queued;   /* items in batches */
  gboolean        closed;     /* its replay is gone: its items are dropped as read */
  gboolean        waiting;    /* its replay waits for a batch: wake it */
  GSource        *ready;      /* that wake-up, once its replay started */
  guint           index;      /* in the share's routes */
} Route;

/* One reading of a recording for every replay split from it (fw_replay_source_new_split()),
 * and the clock they keep together: the recording is decompressed and parsed once, whatever
 * the number of feeds. The reader waits while any open route holds AHEAD_ITEMS: memory stays
 * bounded, and a slow feed slows the others, as it would in one replay of the whole recording.
 * The clock, the range and the reader itself are used only from the replays' main context
 * (the thread reads only while it runs, and it is stopped before the main side seeks). */
typedef struct
{
  gatomicrefcount    ref;
  char              *path;
  FwRecordingReader *reader;
  GError            *open_error;
  gboolean           opened;
  GPtrArray         *routes;       /* Route, owned */
  GHashTable        *by_feed;      /* feed text → its Route */
  GPtrArray         *replays;      /* FwReplaySource, alive, not owned */

  double             speed;        /* 0: as fast as it reads */
  gint64             from_us;      /* absolute, or an offset from the start when from_rel */
  gint64             to_us;
  gboolean           from_rel;
  gboolean           to_rel;
  gboolean           loop;
  gboolean           paused;
  gint64             paused_at_us; /* the replay's place when it was paused */
  FwReplayClockFunc  now;
  gpointer           now_data;
  gboolean           base_set;
  gint64             base_rec_us;  /* this recording time… */
  gint64             base_wall_us; /* …is due at this clock time */
  gint64             position_us;  /* the last item any of its replays delivered */

  /* Read-ahead, under the lock */
  GThread           *ahead;
  GMutex             lock;
  GCond              cond;
  gboolean           stop;
  gboolean           ended;        /* the thread read the round to its end */
  gint64             round_first_us; /* the first item of the round, or NO_TIME_TO */
  gboolean           truncated;    /* the reader's notes, as of its last read */
  guint64            n_invalid;
  char              *first_problem;
} Share;

/**
 * FwReplaySource:
 *
 * `replay:FILE`, a recording (see #FwRecordingWriter) played back with its timing: each item
 * when its recorded time comes, scaled by the speed, between an optional start and end, once or
 * in a loop; pausing holds the replay where it is.
 */
struct _FwReplaySource
{
  FwStream           parent_instance;

  GRefString        *feed;
  Share             *share;
  Route             *route;
  GPtrArray         *queue;        /* items taken from the route, not yet delivered */
  guint              head;
  gboolean           pulling;
  GSource           *timer;
  gboolean           started;
  gboolean           detached;
  gint64             position_us;  /* the last item delivered */
  guint64            round_items;
  gboolean           warned;
  GSource           *ready;
};

G_DEFINE_FINAL_TYPE (FwReplaySource, fw_replay_source, FW_TYPE_STREAM)

static void deliver (FwReplaySource *self);

static void
item_unref0 (gpointer item)
{
  if (item != NULL)
    fw_item_unref (item);
}

static void
route_drop_batches (Route *route)
{
  g_queue_clear_full (&route->batches, (GDestroyNotify) g_ptr_array_unref);
  route->n_queued = 0;
}

static void
route_free (gpointer data)
{
  Route *route = data;

  route_drop_batches (route);
  g_clear_pointer (&route->feed, g_ref_string_release);
  g_clear_pointer (&route->ready, g_source_unref);
  g_free (route);
}

static Share *
share_new (const char *path)
{
  Share *share = g_new0 (Share, 1);

  g_atomic_ref_count_init (&share->ref);
  share->path = g_strdup (path);
  share->routes = g_ptr_array_new_with_free_func (route_free);
  share->by_feed = g_hash_table_new (g_str_hash, g_str_equal);
  share->replays = g_ptr_array_new ();
  share->speed = 1;
  share->from_us = NO_TIME_FROM;
  share->to_us = NO_TIME_TO;
  share->round_first_us = NO_TIME_TO;
  g_mutex_init (&share->lock);
  g_cond_init (&share->cond);
  return share;
}

static Route *
share_add_route (Share      *share,
                 const char *feed)
{
  Route *route = g_new0 (Route, 1);

  g_queue_init (&route->batches);
  route->index = share->routes->len;
  if (feed != NULL)
    {
      route->feed = fw_ref_string_intern (feed);
      g_hash_table_insert (share->by_feed, route->feed, route);
    }
  g_ptr_array_add (share->routes, route);
  return route;
}

static gint64
share_clock_now (Share *share)
{
  return share->now != NULL ? share->now (share->now_data) : g_get_monotonic_time ();
}

static gboolean
share_all_closed (Share *share)
{
  for (guint i = 0; i < share->routes->len; i++)
    {
      if (!((Route *) g_ptr_array_index (share->routes, i))->closed)
        return FALSE;
    }
  return TRUE;
}

/* Empty and closed routes let the thread go on: only an open, full one holds it */
static gboolean
share_is_full (Share *share)
{
  for (guint i = 0; i < share->routes->len; i++)
    {
      Route *route = g_ptr_array_index (share->routes, i);

      if (!route->closed && route->n_queued >= AHEAD_ITEMS)
        return TRUE;
    }
  return FALSE;
}

static void
route_wake (Route *route)
{
  if (route->waiting && route->ready != NULL)
    {
      route->waiting = FALSE;
      g_source_set_ready_time (route->ready, 0);
    }
}

/* The route of @feed; the last one found first, as items of one feed come in runs */
static Route *
share_find_route (Share       *share,
                  const char  *feed,
                  const char **last_feed,
                  Route      **last_route)
{
  if (share->routes->len == 1 && ((Route *) share->routes->pdata[0])->feed == NULL)
    return share->routes->pdata[0];
  if (feed != *last_feed)
    {
      *last_feed = feed;
      *last_route = g_hash_table_lookup (share->by_feed, feed);
    }
  return *last_route;
}

static gpointer
read_ahead (gpointer data)
{
  Share *share = data;
  g_autoptr(GPtrArray) pieces = g_ptr_array_new ();  /* one per route, or NULL */

  g_ptr_array_set_size (pieces, share->routes->len);
  for (;;)
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new_full (READ_BATCH, item_unref0);
      const char *last_feed = NULL;
      Route *last_route = NULL;
      gint64 first_us = NO_TIME_TO;
      gboolean end;

      g_mutex_lock (&share->lock);
      while (share_is_full (share) && !share->stop)
        g_cond_wait (&share->cond, &share->lock);
      if (share->stop || share_all_closed (share))
        {
          g_mutex_unlock (&share->lock);
          break;
        }
      g_mutex_unlock (&share->lock);

      /* The reader reports no errors of its own: a damaged file ends, and says so */
      fw_recording_reader_read (share->reader, batch, READ_BATCH, NULL);
      end = batch->len == 0;

      /* Each item to its feed's route; items of feeds no replay shows are dropped */
      for (guint i = 0; i < batch->len; i++)
        {
          FwItem *item = batch->pdata[i];
          Route *route = share_find_route (share, item->feed, &last_feed, &last_route);

          if (route == NULL)
            continue;
          if (first_us == NO_TIME_TO)
            first_us = item->time_us;
          if (pieces->pdata[route->index] == NULL)
            pieces->pdata[route->index] = g_ptr_array_new_full (READ_BATCH, item_unref0);
          g_ptr_array_add (pieces->pdata[route->index], g_steal_pointer (&batch->pdata[i]));
        }

      g_mutex_lock (&share->lock);
      if (share->round_first_us == NO_TIME_TO)
        share->round_first_us = first_us;
      share->truncated = fw_recording_reader_is_truncated (share->reader);
      if (fw_recording_reader_get_n_invalid (share->reader, NULL) != share->n_invalid)
        {
          const char *problem = NULL;

          share->n_invalid = fw_recording_reader_get_n_invalid (share->reader, &problem);
          if (share->first_problem == NULL)
            share->first_problem = g_strdup (problem);
        }
      for (guint i = 0; i < pieces->len; i++)
        {
          GPtrArray *piece = g_steal_pointer (&pieces->pdata[i]);
          Route *route = g_ptr_array_index (share->routes, i);

          if (piece == NULL)
            continue;
          if (route->closed)
            {
              g_ptr_array_unref (piece);
              continue;
            }
          route->n_queued += piece->len;
          g_queue_push_tail (&route->batches, piece);
          route_wake (route);
        }
      if (end)
        {
          share->ended = TRUE;
          for (guint i = 0; i < share->routes->len; i++)
            {
              Route *route = g_ptr_array_index (share->routes, i);

              route_wake (route);
            }
        }
      g_mutex_unlock (&share->lock);
      if (end)
        break;
    }
  return NULL;
}

static void
share_stop_reading (Share *share)
{
  if (share->ahead == NULL)
    return;
  g_mutex_lock (&share->lock);
  share->stop = TRUE;
  g_cond_broadcast (&share->cond);
  g_mutex_unlock (&share->lock);
  g_thread_join (share->ahead);
  share->ahead = NULL;
  share->stop = FALSE;
  for (guint i = 0; i < share->routes->len; i++)
    {
      Route *route = g_ptr_array_index (share->routes, i);

      route_drop_batches (route);
      route->waiting = FALSE;
    }
}

static void
share_unref (Share *share)
{
  if (!g_atomic_ref_count_dec (&share->ref))
    return;
  share_stop_reading (share);
  g_clear_pointer (&share->reader, fw_recording_reader_free);
  g_clear_error (&share->open_error);
  g_free (share->first_problem);
  g_ptr_array_unref (share->routes);
  g_hash_table_unref (share->by_feed);
  g_ptr_array_unref (share->replays);
  g_mutex_clear (&share->lock);
  g_cond_clear (&share->cond);
  g_free (share->path);
  g_free (share);
}

/* The replay's place in the recording's time, now */
static gint64
share_now (Share *share)
{
  if (!share->base_set || share->speed <= 0)
    return share->position_us;
  return share->base_rec_us +
         (gint64) ((share_clock_now (share) - share->base_wall_us) * share->speed);
}

static void
share_rebase (Share  *share,
              gint64  rec_us)
{
  share->base_rec_us = rec_us;
  share->base_wall_us = share_clock_now (share);
  share->base_set = TRUE;
}

/* From `from` again, for every route: the thread reads the round from there */
static gboolean
share_start_round (Share   *share,
                   GError **error)
{
  gint64 from = share->from_us;

  share_stop_reading (share);
  if (share->from_rel || share->to_rel)
    {
      gint64 first = 0, last = 0;

      if (!fw_recording_reader_get_span (share->reader, &first, &last))
        {
          /* No index: the first item says where the recording starts */
          g_autoptr(GPtrArray) one =
            g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);

          if (!fw_recording_reader_seek (share->reader, NO_TIME_FROM, error) ||
              !fw_recording_reader_read (share->reader, one, 1, error))
            return FALSE;
          first = one->len > 0 ? ((FwItem *) one->pdata[0])->time_us : 0;
        }
      if (share->from_rel)
        {
          share->from_us = first + share->from_us;
          share->from_rel = FALSE;
        }
      if (share->to_rel)
        {
          share->to_us = first + share->to_us;
          share->to_rel = FALSE;
        }
      from = share->from_us;
    }
  share->base_set = FALSE;
  share->ended = FALSE;
  share->round_first_us = NO_TIME_TO;
  if (!fw_recording_reader_seek (share->reader, from, error))
    return FALSE;
  share->ahead = g_thread_new ("fw-replay", read_ahead, share);
  return TRUE;
}

/* Opens the recording and starts reading, at the first pull of any of its replays */
static gboolean
share_start (Share   *share,
             GError **error)
{
  if (!share->opened)
    {
      share->opened = TRUE;
      share->reader = fw_recording_reader_open (share->path, &share->open_error);
      if (share->reader != NULL && !share_start_round (share, &share->open_error))
        g_clear_pointer (&share->reader, fw_recording_reader_free);
    }
  if (share->open_error != NULL)
    {
      g_propagate_error (error, g_error_copy (share->open_error));
      return FALSE;
    }
  return TRUE;
}

/* Its replays deliver what became due, after a change of the clock they share */
static void
share_kick (Share *share)
{
  g_autoptr(GPtrArray) replays = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < share->replays->len; i++)
    g_ptr_array_add (replays, g_object_ref (share->replays->pdata[i]));
  for (guint i = 0; i < replays->len; i++)
    {
      FwReplaySource *self = g_ptr_array_index (replays, i);

      fw_source_timer_stop (&self->timer);
      if (self->pulling)
        deliver (self);
    }
}

static void
drop_queue (FwReplaySource *self)
{
  g_ptr_array_set_size (self->queue, 0);
  self->head = 0;
}

typedef enum
{
  TAKE_GOT,
  TAKE_WAIT,
  TAKE_END,
} Taken;

/* The next batch the thread read for this replay, in place of the queue; TAKE_WAIT when none
 * is ready yet (the thread then wakes deliver() through the ready source) */
static Taken
take_batch (FwReplaySource *self)
{
  Share *share = self->share;
  GPtrArray *batch;
  gboolean ended;

  g_mutex_lock (&share->lock);
  ended = share->ended;
  batch = g_queue_pop_head (&self->route->batches);
  if (batch != NULL)
    {
      self->route->n_queued -= batch->len;
      g_cond_signal (&share->cond);
    }
  else if (!ended)
    self->route->waiting = TRUE;
  g_mutex_unlock (&share->lock);
  if (batch == NULL)
    return ended ? TAKE_END : TAKE_WAIT;
  g_ptr_array_unref (self->queue);
  self->queue = batch;
  self->head = 0;
  return TAKE_GOT;
}

static gboolean
ready_dispatch (GSource     *source,
                GSourceFunc  callback,
                gpointer     user_data)
{
  g_source_set_ready_time (source, -1);
  return callback (user_data);
}

static GSourceFuncs ready_funcs = { NULL, NULL, ready_dispatch, NULL, NULL, NULL };

static gboolean
on_batch_ready (gpointer user_data)
{
  FwReplaySource *self = user_data;

  if (self->pulling)
    deliver (self);
  return G_SOURCE_CONTINUE;
}

/* Leaves the share: the thread drops this feed's items from now on, and stops once no
 * replay is left to read for */
static void
detach (FwReplaySource *self)
{
  Share *share = self->share;
  gboolean all_closed;

  fw_source_timer_stop (&self->timer);
  if (self->ready != NULL)
    {
      g_source_destroy (self->ready);
      g_clear_pointer (&self->ready, g_source_unref);
    }
  drop_queue (self);
  self->pulling = FALSE;
  if (self->detached)
    return;
  self->detached = TRUE;
  g_ptr_array_remove (share->replays, self);
  g_mutex_lock (&share->lock);
  self->route->closed = TRUE;
  self->route->waiting = FALSE;
  g_clear_pointer (&self->route->ready, g_source_unref);
  route_drop_batches (self->route);
  all_closed = share_all_closed (share);
  g_cond_broadcast (&share->cond);
  g_mutex_unlock (&share->lock);
  if (all_closed)
    {
      share_stop_reading (share);
      g_clear_pointer (&share->reader, fw_recording_reader_free);
    }
}

/* A replay at its end takes no more: its feed's items no longer hold the others' */
static void
stop_routing (FwReplaySource *self)
{
  Share *share = self->share;

  g_mutex_lock (&share->lock);
  self->route->closed = TRUE;
  self->route->waiting = FALSE;
  route_drop_batches (self->route);
  g_cond_broadcast (&share->cond);
  g_mutex_unlock (&share->lock);
}

static void
fw_replay_source_release (FwStream *stream)
{
  detach (FW_REPLAY_SOURCE (stream));
}

static void
fw_replay_source_finalize (GObject *object)
{
  FwReplaySource *self = FW_REPLAY_SOURCE (object);

  detach (self);
  share_unref (self->share);
  g_ptr_array_unref (self->queue);
  g_ref_string_release (self->feed);

  G_OBJECT_CLASS (fw_replay_source_parent_class)->finalize (object);
}

static gboolean
on_due (gpointer user_data)
{
  FwReplaySource *self = user_data;

  g_clear_pointer (&self->timer, g_source_unref);
  if (self->pulling)
    deliver (self);
  return G_SOURCE_REMOVE;
}

/* Says once, at the end, what was not replayed: the recording was cut or had foreign lines */
static void
yield_warnings (FwReplaySource *self)
{
  Share *share = self->share;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *problem = NULL;
  gboolean truncated;
  guint64 invalid;
  FwItem *item;

  if (self->warned)
    return;
  self->warned = TRUE;
  g_mutex_lock (&share->lock);
  truncated = share->truncated;
  invalid = share->n_invalid;
  problem = g_strdup (share->first_problem);
  g_mutex_unlock (&share->lock);
  if (truncated)
    g_string_append (text, _("The recording ends early: it was cut off while being written, "
                             "or is damaged; what it held up to there was replayed"));
  if (invalid > 0)
    {
      if (text->len > 0)
        g_string_append (text, ". ");
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                 "%" PRIu64 " line was not a Feedwatch record "
                                                 "and was passed over (%s)",
                                                 "%" PRIu64 " lines were not Feedwatch records "
                                                 "and were passed over (the first: %s)",
                                                 (gulong) invalid),
                              invalid, problem != NULL ? problem : "");
    }
  if (text->len == 0)
    return;
  item = fw_item_new (FW_ITEM_STATUS, self->feed, g_get_real_time (), text->str, text->len);
  fw_item_set_level (item, FW_LEVEL_WARNING);
  fw_stream_yield (FW_STREAM (self), item);
}

/* A replay of the whole recording in a loop goes round again by itself; replays split from
 * one recording play it once */
static gboolean
start_round (FwReplaySource  *self,
             GError         **error)
{
  drop_queue (self);
  self->round_items = 0;
  return share_start_round (self->share, error);
}

static void
deliver (FwReplaySource *self)
{
  FwStream *stream = FW_STREAM (self);
  Share *share = self->share;
  guint delivered = 0;

  /* A pull stays pending while paused: the caller waits, nothing is lost */
  if (share->paused)
    return;

  for (;;)
    {
      FwItem *item = NULL;
      Taken taken = TAKE_GOT;

      if (self->head >= self->queue->len)
        taken = take_batch (self);
      if (taken == TAKE_WAIT)
        {
          if (delivered > 0)
            {
              self->pulling = FALSE;
              fw_stream_pull_done (stream);
            }
          return;
        }
      if (taken == TAKE_GOT)
        item = self->queue->pdata[self->head];
      if (item != NULL && item->time_us > share->to_us)
        item = NULL;

      if (item == NULL)
        {
          g_autoptr(GError) error = NULL;

          /* The end of a round: again from `from` when looping (not a recording with nothing
           * in range, which would loop without end), else the end */
          if (share->loop && self->round_items > 0 && share->routes->len == 1)
            {
              if (!start_round (self, &error))
                {
                  self->pulling = FALSE;
                  fw_stream_pull_error (stream, g_steal_pointer (&error));
                  return;
                }
              continue;
            }
          yield_warnings (self);
          stop_routing (self);
          self->pulling = FALSE;
          fw_stream_pull_end (stream);
          return;
        }

      if (share->speed > 0)
        {
          gint64 due;

          /* The round's clock starts at its first item, whichever feed has it, so that the
           * feeds keep in step as they were recorded */
          if (!share->base_set)
            {
              gint64 first;

              g_mutex_lock (&share->lock);
              first = share->round_first_us;
              g_mutex_unlock (&share->lock);
              share_rebase (share, MIN (first, item->time_us));
            }
          /* An item older than the replay's place (feeds' clocks differ) is due at once */
          due = share->base_wall_us +
                (gint64) ceil (MAX (item->time_us - share->base_rec_us, 0) / share->speed);
          if (due > share_clock_now (share))
            {
              if (delivered > 0)
                {
                  self->pulling = FALSE;
                  fw_stream_pull_done (stream);
                }
              else if (share->now == NULL && self->timer == NULL)
                self->timer = fw_source_timer_new (stream, due, on_due,
                                                   "[feedwatch] replay");
              return;
            }
        }

      self->queue->pdata[self->head++] = NULL;
      self->position_us = item->time_us;
      share->position_us = MAX (share->position_us, item->time_us);
      self->round_items++;
      fw_stream_yield (stream, item);
      if (++delivered >= READ_BATCH)
        {
          self->pulling = FALSE;
          fw_stream_pull_done (stream);
          return;
        }
    }
}

static void
fw_replay_source_pull (FwStream     *stream,
                       guint         max_items,
                       GCancellable *cancellable)
{
  FwReplaySource *self = FW_REPLAY_SOURCE (stream);

  if (!self->started)
    {
      g_autoptr(GError) error = NULL;

      self->started = TRUE;
      self->ready = g_source_new (&ready_funcs, sizeof (GSource));
      g_source_set_callback (self->ready, on_batch_ready, self, NULL);
      g_source_set_static_name (self->ready, "[feedwatch] replay read-ahead");
      g_source_attach (self->ready, fw_stream_get_context (stream));
      g_mutex_lock (&self->share->lock);
      self->route->ready = g_source_ref (self->ready);
      g_mutex_unlock (&self->share->lock);
      if (!share_start (self->share, &error))
        {
          fw_stream_pull_error (stream, g_steal_pointer (&error));
          return;
        }
    }
  self->pulling = TRUE;
  deliver (self);
}

static void
fw_replay_source_class_init (FwReplaySourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  FwStreamClass *stream_class = FW_STREAM_CLASS (klass);

  object_class->finalize = fw_replay_source_finalize;
  stream_class->pull = fw_replay_source_pull;
  stream_class->release = fw_replay_source_release;
}

static void
fw_replay_source_init (FwReplaySource *self)
{
  /* Delivered items leave NULL slots behind */
  self->queue = g_ptr_array_new_full (READ_BATCH, item_unref0);
}

static FwReplaySource *
replay_new (const char *feed,
            Share      *share,
            Route      *route)
{
  FwReplaySource *self = g_object_new (FW_TYPE_REPLAY_SOURCE, NULL);

  self->feed = fw_ref_string_intern (feed);
  self->share = share;
  self->route = route;
  g_ptr_array_add (share->replays, self);
  fw_stream_set_name (FW_STREAM (self), feed);
  return self;
}

/**
 * fw_replay_source_new:
 * @feed: the name of the replay feed itself (its status items carry it)
 * @path: the recording
 *
 * Makes a replay of a recording file (plain or zstd JSON Lines); it opens the file at the
 * first pull.
 *
 * Returns: (transfer full): a replay at the recorded speed, of the whole recording, once
 */
FwStream *
fw_replay_source_new (const char *feed,
                      const char *path)
{
  Share *share = share_new (path);

  return FW_STREAM (replay_new (feed, share, share_add_route (share, NULL)));
}

/**
 * fw_replay_source_new_split:
 * @feed: the name of the replays themselves (their status items carry it)
 * @path: the recording
 * @feeds: (array zero-terminated=1): the recorded feeds to replay, as items name them
 *
 * Makes one replay per recorded feed, each giving only that feed's items, all from one reading
 * of the recording: it is decompressed and parsed once, however many feeds it has, at the first
 * pull of any of them. Items of feeds not in @feeds are passed over.
 *
 * The replays keep one clock: a change of speed or pause, or the range, set on any of them
 * holds for all, and each item comes when its time comes, as in a replay of the whole
 * recording. They read ahead a bounded number of items per feed: a feed whose replay is not
 * pulled holds the others back (closing it lets them go on). They play once: a loop is only
 * for a replay of the whole recording. Pull them all from one main context.
 *
 * Returns: (transfer full) (element-type FwReplaySource): the replays, in the order of @feeds
 */
GPtrArray *
fw_replay_source_new_split (const char         *feed,
                            const char         *path,
                            const char * const *feeds)
{
  GPtrArray *replays;
  Share *share;

  g_return_val_if_fail (feeds != NULL, NULL);

  replays = g_ptr_array_new_with_free_func (g_object_unref);
  share = share_new (path);
  for (guint i = 0; feeds[i] != NULL; i++)
    {
      if (i > 0)
        g_atomic_ref_count_inc (&share->ref);
      g_ptr_array_add (replays, replay_new (feed, share, share_add_route (share, feeds[i])));
    }
  if (replays->len == 0)
    share_unref (share);
  return replays;
}

/**
 * fw_replay_source_set_speed:
 * @self: a replay
 * @speed: how many times faster than recorded; 0 for as fast as it reads
 *
 * Takes effect at once, from where the replay is (and for every replay split with it).
 */
void
fw_replay_source_set_speed (FwReplaySource *self,
                            double          speed)
{
  Share *share;
  gint64 place;

  g_return_if_fail (FW_IS_REPLAY_SOURCE (self));

  share = self->share;
  place = share->paused ? share->paused_at_us : share_now (share);
  share->speed = isfinite (speed) && speed > 0 ? MIN (speed, MAX_SPEED) : 0;
  if (share->paused)
    {
      share->paused_at_us = MAX (place, share->position_us);
      return;
    }
  if (share->base_set)
    share_rebase (share, MAX (place, share->position_us));
  share_kick (share);
}

/**
 * fw_replay_source_set_paused:
 * @self: a replay
 * @paused: whether the replay holds still
 *
 * Paused, the replay delivers nothing and its place in the recording stays where it was; it
 * goes on from there when resumed, as a player does, rather than catching up with the time
 * that passed. Replays split from one recording pause and resume together.
 */
void
fw_replay_source_set_paused (FwReplaySource *self,
                             gboolean        paused)
{
  Share *share;

  g_return_if_fail (FW_IS_REPLAY_SOURCE (self));

  share = self->share;
  paused = !!paused;
  if (share->paused == paused)
    return;
  if (paused)
    {
      share->paused_at_us = MAX (share_now (share), share->position_us);
      share->paused = TRUE;
      for (guint i = 0; i < share->replays->len; i++)
        fw_source_timer_stop (&((FwReplaySource *) share->replays->pdata[i])->timer);
      return;
    }
  share->paused = FALSE;
  if (share->base_set)
    share_rebase (share, share->paused_at_us);
  share_kick (share);
}

/**
 * fw_replay_source_get_paused:
 * @self: a replay
 *
 * Whether fw_replay_source_set_paused() holds the replay.
 *
 * Returns: whether it is paused
 */
gboolean
fw_replay_source_get_paused (FwReplaySource *self)
{
  g_return_val_if_fail (FW_IS_REPLAY_SOURCE (self), FALSE);

  return self->share->paused;
}

/**
 * fw_replay_source_get_speed:
 * @self: a replay
 *
 * The speed of fw_replay_source_set_speed() or of the feed's `speed` option.
 *
 * Returns: how many times faster than recorded it plays; 0 for as fast as it reads
 */
double
fw_replay_source_get_speed (FwReplaySource *self)
{
  return self->share->speed;
}

/**
 * fw_replay_source_set_range:
 * @self: a replay
 * @from_us: the recorded time to start at, µs since the epoch; %G_MININT64 for the start
 * @to_us: the recorded time to end at; %G_MAXINT64 for the end
 *
 * What to replay; before the first pull. Starting in the middle seeks through the
 * recording's index, without reading what lies before.
 */
void
fw_replay_source_set_range (FwReplaySource *self,
                            gint64          from_us,
                            gint64          to_us)
{
  self->share->from_us = from_us;
  self->share->to_us = to_us;
  self->share->from_rel = self->share->to_rel = FALSE;
}

/**
 * fw_replay_source_set_loop:
 * @self: a replay
 * @loop: whether to start again at the end
 *
 * Before the first pull.
 */
void
fw_replay_source_set_loop (FwReplaySource *self,
                           gboolean        loop)
{
  self->share->loop = loop;
}

/**
 * fw_replay_source_get_position:
 * @self: a replay
 *
 * Where the replay is, in the recording's time: for a time bar.
 *
 * Returns: the recorded time of the last item delivered, µs since the epoch; 0 before the
 *   first
 */
gint64
fw_replay_source_get_position (FwReplaySource *self)
{
  return self->position_us;
}

/**
 * fw_replay_source_set_clock: (skip)
 * @self: a replay
 * @now: (nullable): the clock; %NULL for the monotonic clock
 * @user_data: for @now
 *
 * Replaces the clock, for tests: the replay then arms no timer, and waits for
 * fw_replay_source_clock_moved() to deliver what became due.
 */
void
fw_replay_source_set_clock (FwReplaySource    *self,
                            FwReplayClockFunc  now,
                            gpointer           user_data)
{
  self->share->now = now;
  self->share->now_data = user_data;
}

/**
 * fw_replay_source_clock_moved: (skip)
 * @self: a replay with a clock of fw_replay_source_set_clock()
 *
 * Delivers what became due by the clock, for tests (on every replay split with it).
 */
void
fw_replay_source_clock_moved (FwReplaySource *self)
{
  share_kick (self->share);
}

/**
 * fw_replay_parse_time:
 * @text: an RFC 3339 time, or an offset from the recording's start: seconds, or a number
 *   followed by `ms`, `s`, `m` or `h` (`90`, `1.5m`, `2h`)
 * @time_us: (out): the time, µs since the epoch, or the offset in µs
 * @relative: (out): whether it is an offset
 *
 * Reads a time as the `from` and `to` options take it.
 *
 * Returns: %TRUE with *@time_us set, when @text is one
 */
gboolean
fw_replay_parse_time (const char *text,
                      gint64     *time_us,
                      gboolean   *relative)
{
  static const struct { const char *unit; double us; } units[] = {
    { "", 1e6 }, { "ms", 1e3 }, { "s", 1e6 }, { "m", 60e6 }, { "h", 3600e6 },
  };
  char *end;
  double value;

  if (fw_parse_rfc3339_utc (text, strlen (text), time_us))
    {
      *relative = FALSE;
      return TRUE;
    }
  if (!g_ascii_isdigit (text[0]) && text[0] != '.')
    return FALSE;
  value = g_ascii_strtod (text, &end);
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    {
      if (g_str_equal (end, units[i].unit) && isfinite (value) && value * units[i].us < 1e17)
        {
          *time_us = (gint64) (value * units[i].us);
          *relative = TRUE;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * fw_replay_source_open:
 * @spec: a `replay:` feed
 * @flags: how to read it
 * @error: where to put why it cannot be opened
 *
 * Opens a replay feed: `replay:FILE?speed=1|10|max&from=TIME&to=TIME&loop=1`.
 *
 * Returns: (transfer full) (nullable): the replay, or %NULL with @error set (not a
 *   recording, options it does not take)
 */
FwStream *
fw_replay_source_open (const FwFeedSpec  *spec,
                       FwFeedOpenFlags    flags,
                       GError           **error)
{
  const char *speed = fw_feed_spec_get_option (spec, "speed");
  const char *times[2] = { fw_feed_spec_get_option (spec, "from"),
                           fw_feed_spec_get_option (spec, "to") };
  gint64 values[2] = { NO_TIME_FROM, NO_TIME_TO };
  gboolean relative[2] = { FALSE, FALSE };
  g_autofree char *path = NULL;
  FwReplaySource *self;
  double factor = 1;

  if (spec->target[0] == '\0')
    {
      g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                   _("Feed “%s”: name the recording to replay, e.g. "
                     "“replay:incident.jsonl.zst”"),
                   spec->text);
      return NULL;
    }
  if (speed != NULL && !g_str_equal (speed, "max"))
    {
      char *end;

      factor = g_ascii_strtod (speed, &end);
      if (*end != '\0' || end == speed || !(factor > 0 && factor <= MAX_SPEED))
        {
          g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                       _("Feed “%s”: speed is “max” or how many times faster than recorded "
                         "(above 0, up to a million: 0.5, 1, 10), not “%s”"), spec->text, speed);
          return NULL;
        }
    }
  else if (speed != NULL)
    factor = 0;
  for (guint i = 0; i < 2; i++)
    {
      if (times[i] != NULL && !fw_replay_parse_time (times[i], &values[i], &relative[i]))
        {
          g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                       _("Feed “%s”: %s is a time (2026-11-22T03:12:00Z) or an offset from the "
                         "recording's start (90, 90s, 5m, 1h), not “%s”"), spec->text,
                       i == 0 ? "from" : "to", times[i]);
          return NULL;
        }
    }

  path = g_str_has_prefix (spec->target, "~/")
         ? g_build_filename (g_get_home_dir (), spec->target + 2, NULL)
         : g_strdup (spec->target);
  self = FW_REPLAY_SOURCE (fw_replay_source_new (spec->text, path));
  self->share->speed = factor;
  self->share->from_us = values[0];
  self->share->from_rel = relative[0];
  self->share->to_us = values[1];
  self->share->to_rel = relative[1];
  self->share->loop = fw_feed_spec_get_bool (spec, "loop") && !(flags & FW_FEED_OPEN_ONCE);
  return FW_STREAM (self);
}

static const FwFeedOption replay_options[] = {
  { .key = "speed", .type = FW_FEED_OPTION_STRING, .default_value = "1",
    .help = N_("How many times faster than recorded (1, 10, 0.5), or max: as fast as it reads") },
  { .key = "from", .type = FW_FEED_OPTION_STRING,
    .help = N_("Start at this time (RFC 3339) or this far into the recording (90s, 5m, 1h)") },
  { .key = "to", .type = FW_FEED_OPTION_STRING,
    .help = N_("Stop at this time (RFC 3339) or this far into the recording (90s, 5m, 1h)") },
  { .key = "loop", .type = FW_FEED_OPTION_BOOL, .default_value = "0",
    .help = N_("Start again at the end") },
  { NULL }
};

static const FwFeedOption *const replay_option_list[] = { replay_options, NULL };

/* "Replay · incident.jsonl.zst" */
static char *
replay_title (const FwFeedSpec *spec)
{
  g_autofree char *name = g_path_get_basename (spec->target);

  return g_strdup_printf (_("Replay · %s"), name);
}

const FwFeedKind fw_replay_source_kind = {
  .name = "replay",
  .open = fw_replay_source_open,
  .description = N_("A recording played back with its timing"),
  .title = N_("Replay"),
  .icon_name = "media-playback-start-symbolic",
  .example = NULL,
  .options = replay_option_list,
  .default_title = replay_title,
};
