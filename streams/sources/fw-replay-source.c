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
 * loop only hands items on. */

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
#define AHEAD_BATCHES  4
#define MAX_SPEED      1e6
#define NO_TIME_FROM   G_MININT64
#define NO_TIME_TO     G_MAXINT64

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
  char              *path;
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

  FwRecordingReader *reader;
  GPtrArray         *queue;        /* items read, not yet delivered */
  guint              head;
  gboolean           pulling;
  GSource           *timer;
  gboolean           started;
  gboolean           base_set;
  gint64             base_rec_us;  /* this recording time… */
  gint64             base_wall_us; /* …is due at this clock time */
  gint64             position_us;  /* the last item delivered */
  guint64            round_items;
  gboolean           warned;

  /* Read-ahead: batches of items the thread read, an empty one at the end */
  GThread           *ahead;
  GMutex             lock;
  GCond              cond;
  GQueue             batches;
  gboolean           stop;
  gboolean           waiting;      /* the main side waits for a batch: wake it */
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

static gint64
clock_now (FwReplaySource *self)
{
  return self->now != NULL ? self->now (self->now_data) : g_get_monotonic_time ();
}

static void
drop_queue (FwReplaySource *self)
{
  g_ptr_array_set_size (self->queue, 0);
  self->head = 0;
}

static gpointer
read_ahead (gpointer data)
{
  FwReplaySource *self = data;

  for (;;)
    {
      GPtrArray *batch = g_ptr_array_new_full (READ_BATCH, item_unref0);
      gboolean end;

      g_mutex_lock (&self->lock);
      while (self->batches.length >= AHEAD_BATCHES && !self->stop)
        g_cond_wait (&self->cond, &self->lock);
      if (self->stop)
        {
          g_mutex_unlock (&self->lock);
          g_ptr_array_unref (batch);
          break;
        }
      g_mutex_unlock (&self->lock);

      /* The reader reports no errors of its own: a damaged file ends, and says so */
      fw_recording_reader_read (self->reader, batch, READ_BATCH, NULL);
      end = batch->len == 0;

      g_mutex_lock (&self->lock);
      g_queue_push_tail (&self->batches, batch);
      if (self->waiting)
        {
          self->waiting = FALSE;
          g_source_set_ready_time (self->ready, 0);
        }
      g_mutex_unlock (&self->lock);
      if (end)
        break;
    }
  return NULL;
}

static void
stop_reading_ahead (FwReplaySource *self)
{
  if (self->ahead == NULL)
    return;
  g_mutex_lock (&self->lock);
  self->stop = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  g_thread_join (self->ahead);
  self->ahead = NULL;
  self->stop = FALSE;
  self->waiting = FALSE;
  g_queue_clear_full (&self->batches, (GDestroyNotify) g_ptr_array_unref);
}

static void
start_reading_ahead (FwReplaySource *self)
{
  self->ahead = g_thread_new ("fw-replay", read_ahead, self);
}

/* The next batch the thread read, in place of the queue; FALSE when none is ready yet (the
 * thread then wakes deliver() through the ready source) */
static gboolean
take_batch (FwReplaySource *self)
{
  GPtrArray *batch;

  g_mutex_lock (&self->lock);
  batch = g_queue_pop_head (&self->batches);
  if (batch == NULL)
    self->waiting = TRUE;
  else
    g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
  if (batch == NULL)
    return FALSE;
  g_ptr_array_unref (self->queue);
  self->queue = batch;
  self->head = 0;
  return TRUE;
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

static void
fw_replay_source_release (FwStream *stream)
{
  FwReplaySource *self = FW_REPLAY_SOURCE (stream);

  fw_source_timer_stop (&self->timer);
  stop_reading_ahead (self);
  if (self->ready != NULL)
    {
      g_source_destroy (self->ready);
      g_clear_pointer (&self->ready, g_source_unref);
    }
  drop_queue (self);
  g_clear_pointer (&self->reader, fw_recording_reader_free);
  self->pulling = FALSE;
}

static void
fw_replay_source_finalize (GObject *object)
{
  FwReplaySource *self = FW_REPLAY_SOURCE (object);

  fw_source_timer_stop (&self->timer);
  stop_reading_ahead (self);
  if (self->ready != NULL)
    {
      g_source_destroy (self->ready);
      g_clear_pointer (&self->ready, g_source_unref);
    }
  g_clear_pointer (&self->reader, fw_recording_reader_free);
  g_ptr_array_unref (self->queue);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_ref_string_release (self->feed);
  g_free (self->path);

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

/* The replay's place in the recording's time, now */
static gint64
replay_now (FwReplaySource *self)
{
  if (!self->base_set || self->speed <= 0)
    return self->position_us;
  return self->base_rec_us + (gint64) ((clock_now (self) - self->base_wall_us) * self->speed);
}

static void
rebase (FwReplaySource *self,
        gint64          rec_us)
{
  self->base_rec_us = rec_us;
  self->base_wall_us = clock_now (self);
  self->base_set = TRUE;
}

/* Says once, at the end, what was not replayed: the recording was cut or had foreign lines */
static void
yield_warnings (FwReplaySource *self)
{
  const char *problem = NULL;
  guint64 invalid = fw_recording_reader_get_n_invalid (self->reader, &problem);
  g_autoptr(GString) text = g_string_new (NULL);
  FwItem *item;

  if (self->warned)
    return;
  self->warned = TRUE;
  if (fw_recording_reader_is_truncated (self->reader))
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

static gboolean
start_round (FwReplaySource *self,
             GError        **error)
{
  gint64 from = self->from_us;

  stop_reading_ahead (self);
  if (self->from_rel || self->to_rel)
    {
      gint64 first = 0, last = 0;

      if (!fw_recording_reader_get_span (self->reader, &first, &last))
        {
          /* No index: the first item says where the recording starts */
          g_autoptr(GPtrArray) one =
            g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);

          if (!fw_recording_reader_seek (self->reader, NO_TIME_FROM, error) ||
              !fw_recording_reader_read (self->reader, one, 1, error))
            return FALSE;
          first = one->len > 0 ? ((FwItem *) one->pdata[0])->time_us : 0;
        }
      if (self->from_rel)
        {
          self->from_us = first + self->from_us;
          self->from_rel = FALSE;
        }
      if (self->to_rel)
        {
          self->to_us = first + self->to_us;
          self->to_rel = FALSE;
        }
      from = self->from_us;
    }
  drop_queue (self);
  self->base_set = FALSE;
  self->round_items = 0;
  if (!fw_recording_reader_seek (self->reader, from, error))
    return FALSE;
  start_reading_ahead (self);
  return TRUE;
}

static void
deliver (FwReplaySource *self)
{
  FwStream *stream = FW_STREAM (self);
  guint delivered = 0;

  /* A pull stays pending while paused: the caller waits, nothing is lost */
  if (self->paused)
    return;

  for (;;)
    {
      FwItem *item;

      if (self->head >= self->queue->len && !take_batch (self))
        {
          if (delivered > 0)
            {
              self->pulling = FALSE;
              fw_stream_pull_done (stream);
            }
          return;
        }
      item = self->head < self->queue->len ? self->queue->pdata[self->head] : NULL;
      if (item != NULL && item->time_us > self->to_us)
        item = NULL;

      if (item == NULL)
        {
          g_autoptr(GError) error = NULL;

          /* The end of a round: again from `from` when looping (not a recording with nothing
           * in range, which would loop without end), else the end */
          if (self->loop && self->round_items > 0)
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
          self->pulling = FALSE;
          fw_stream_pull_end (stream);
          return;
        }

      if (self->speed > 0)
        {
          gint64 due;

          if (!self->base_set)
            rebase (self, item->time_us);
          /* An item older than the replay's place (feeds' clocks differ) is due at once */
          due = self->base_wall_us +
                (gint64) ceil (MAX (item->time_us - self->base_rec_us, 0) / self->speed);
          if (due > clock_now (self))
            {
              if (delivered > 0)
                {
                  self->pulling = FALSE;
                  fw_stream_pull_done (stream);
                }
              else if (self->now == NULL && self->timer == NULL)
                self->timer = fw_source_timer_new (stream, due, on_due,
                                                   "[feedwatch] replay");
              return;
            }
        }

      self->queue->pdata[self->head++] = NULL;
      self->position_us = item->time_us;
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
      self->reader = fw_recording_reader_open (self->path, &error);
      if (self->reader == NULL || !start_round (self, &error))
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
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  g_queue_init (&self->batches);
  self->speed = 1;
  self->from_us = NO_TIME_FROM;
  self->to_us = NO_TIME_TO;
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
  FwReplaySource *self = g_object_new (FW_TYPE_REPLAY_SOURCE, NULL);

  self->feed = g_ref_string_new_intern (feed);
  self->path = g_strdup (path);
  fw_stream_set_name (FW_STREAM (self), feed);
  return FW_STREAM (self);
}

/**
 * fw_replay_source_set_speed:
 * @self: a replay
 * @speed: how many times faster than recorded; 0 for as fast as it reads
 *
 * Takes effect at once, from where the replay is.
 */
void
fw_replay_source_set_speed (FwReplaySource *self,
                            double          speed)
{
  gint64 place;

  g_return_if_fail (FW_IS_REPLAY_SOURCE (self));

  place = self->paused ? self->paused_at_us : replay_now (self);
  self->speed = isfinite (speed) && speed > 0 ? MIN (speed, MAX_SPEED) : 0;
  if (self->paused)
    {
      self->paused_at_us = MAX (place, self->position_us);
      return;
    }
  if (self->base_set)
    rebase (self, MAX (place, self->position_us));
  fw_source_timer_stop (&self->timer);
  if (self->pulling)
    deliver (self);
}

/**
 * fw_replay_source_set_paused:
 * @self: a replay
 * @paused: whether the replay holds still
 *
 * Paused, the replay delivers nothing and its place in the recording stays where it was; it
 * goes on from there when resumed, as a player does, rather than catching up with the time
 * that passed.
 */
void
fw_replay_source_set_paused (FwReplaySource *self,
                             gboolean        paused)
{
  g_return_if_fail (FW_IS_REPLAY_SOURCE (self));

  paused = !!paused;
  if (self->paused == paused)
    return;
  if (paused)
    {
      self->paused_at_us = MAX (replay_now (self), self->position_us);
      self->paused = TRUE;
      fw_source_timer_stop (&self->timer);
      return;
    }
  self->paused = FALSE;
  if (self->base_set)
    rebase (self, self->paused_at_us);
  if (self->pulling)
    deliver (self);
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

  return self->paused;
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
  return self->speed;
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
  self->from_us = from_us;
  self->to_us = to_us;
  self->from_rel = self->to_rel = FALSE;
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
  self->loop = loop;
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
  self->now = now;
  self->now_data = user_data;
}

/**
 * fw_replay_source_clock_moved: (skip)
 * @self: a replay with a clock of fw_replay_source_set_clock()
 *
 * Delivers what became due by the clock, for tests.
 */
void
fw_replay_source_clock_moved (FwReplaySource *self)
{
  if (self->pulling)
    deliver (self);
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
  self->speed = factor;
  self->from_us = values[0];
  self->from_rel = relative[0];
  self->to_us = values[1];
  self->to_rel = relative[1];
  self->loop = fw_feed_spec_get_bool (spec, "loop") && !(flags & FW_FEED_OPEN_ONCE);
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
