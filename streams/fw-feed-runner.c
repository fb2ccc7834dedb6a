/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-feed-runner.c: one feed being watched. It pulls batches from the feed's stream (pausing
 * is simply not asking for the next batch, so a paused socket is not read and TCP slows the
 * sender), hands them on through the "items" signal, and keeps what a sidebar row shows: the
 * state in words, items/s, counts by level. GTK-free, so the window's logic is testable
 * without a display. */

#include "config.h"

#include "fw-feed-runner.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fw-enums.h"
#include "sources/fw-log-source.h"
#include "sources/fw-journal-source.h"

#define BATCH_SIZE 512

/* A rate is measured over the last second when that second had RATE_MIN_ITEMS items or more,
 * else over as many earlier seconds as it takes to see that many, up to RATE_TICKS - 1: a feed
 * with an item every few seconds reads 0.3/s, not 1/s and 0/s by turns, and a flood's rate
 * still follows it second by second. Nor does it reach back over whole seconds before the first
 * item (a connection, a first reading due after an interval), which read 2/s for a feed of 3/s
 * for up to ten seconds after it started. */
#define RATE_TICKS     11
#define RATE_MIN_ITEMS 10

struct _FwFeedRunner
{
  GObject       parent_instance;

  char         *spec;          /* as the user wrote it, secrets and all: only to open it */
  char         *feed_id;       /* the same without its secrets: what is shown and compared */
  FwFeedSpec   *parsed;        /* @spec parsed once, or NULL while it cannot be (placeholders) */
  char         *kind;
  char         *title;
  char         *group;         /* the sidebar folder it is in, or NULL */
  char         *color;         /* "#rrggbb", or NULL: what marks it in lists and plots */
  FwStream     *stream;
  GCancellable *cancellable;
  GObject      *owner;

  FwFeedState   state;
  FwFeedState   state_before_pause;
  char         *state_text;
  gboolean      paused;
  gboolean      requesting;
  gboolean      numeric;
  gboolean      transient;     /* made in code (tests, the demo): not the user's to keep */

  guint64       n_items;
  guint64       levels[FW_N_LEVELS];
  /* The last ticks' times and item counts, newest at (tick_head - 1) */
  struct { gint64 us; guint64 n_items; } ticks[RATE_TICKS];
  guint         tick_head;
  guint         n_ticks;
  gint64        last_tick_us;
  double        rate;
};

static guint push_tick (FwFeedRunner *self,
                        gint64        now_us);

/**
 * FwFeedRunner:
 *
 * One feed being watched: it owns the feed's stream, pulls from it, and keeps what a view shows of
 * the feed: its #FwFeedState and state text, its title, its rate and its counts of items, warnings
 * and errors. Status items of the stream update the state; every batch, status items included, is
 * handed on through #FwFeedRunner::items.
 */
G_DEFINE_FINAL_TYPE (FwFeedRunner, fw_feed_runner, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SPEC,
  PROP_KIND,
  PROP_TITLE,
  PROP_STATE,
  PROP_STATE_TEXT,
  PROP_RATE,
  PROP_N_ITEMS,
  PROP_N_ERRORS,
  PROP_N_WARNINGS,
  PROP_PAUSED,
  PROP_NUMERIC,
  PROP_TRANSIENT,
  PROP_GROUP,
  PROP_COLOR,
  N_PROPS
};

enum {
  ITEMS,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void request_next (FwFeedRunner *self);

static gboolean
has_word_prefix (const char *text,
                 const char *word)
{
  gsize len = strlen (word);

  return text != NULL && g_ascii_strncasecmp (text, word, len) == 0;
}

/**
 * fw_feed_state_from_status:
 * @status: a %FW_ITEM_STATUS item
 *
 * Sources say what happens to them in status items made by fw_feed_status_new(), which carry
 * the state (fw_item_get_feed_state()). A status that carries no name at all comes from
 * elsewhere (a script, a test source): there the first word of the text says it, as before.
 *
 * Returns: the state the status announces, or %FW_FEED_STATE_IDLE when it announces none
 */
FwFeedState
fw_feed_state_from_status (const FwItem *status)
{
  static const struct { const char *word; FwFeedState state; } words[] = {
    { "connecting", FW_FEED_STATE_CONNECTING },
    { "reconnecting", FW_FEED_STATE_CONNECTING },
    { "connected", FW_FEED_STATE_LIVE },
    { "live", FW_FEED_STATE_LIVE },
    { "following", FW_FEED_STATE_LIVE },
    { "retrying", FW_FEED_STATE_RETRYING },
    { "disconnected", FW_FEED_STATE_RETRYING },
    { "waiting", FW_FEED_STATE_WAITING },
    { "failed", FW_FEED_STATE_FAILED },
    { "ended", FW_FEED_STATE_ENDED },
    { "exited", FW_FEED_STATE_ENDED },
  };

  if (status->name != NULL)
    return fw_item_get_feed_state (status);

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      if (has_word_prefix (status->text, words[i].word))
        return words[i].state;
    }

  return FW_FEED_STATE_IDLE;
}

/**
 * fw_feed_default_title:
 * @spec: a parsed feed
 *
 * Names a feed for the sidebar when the user gives it no title.
 *
 * Returns: (transfer full): a short name for the sidebar, from the feed's kind (its
 *   #FwFeedKind.default_title: a file's name, a URL's host and path, a command, the simulated
 *   sensor's interval…), telling the feeds of a kind apart
 */
char *
fw_feed_default_title (const FwFeedSpec *spec)
{
  const FwFeedKind *kind = fw_feed_spec_get_kind_info (spec);
  char *title = NULL;

  if (kind == NULL)
    return g_strdup (spec->text);
  if (kind->default_title != NULL)
    title = kind->default_title (spec);
  if (title == NULL || title[0] == '\0')
    {
      g_free (title);
      title = g_strdup (fw_feed_kind_get_title (kind));
    }

  return title;
}

static void
set_state (FwFeedRunner *self,
           FwFeedState   state,
           const char   *text)
{
  /* Reasons come from sources and libraries that may quote the URL or a header. */
  g_autofree char *masked = self->parsed != NULL ? fw_feed_spec_mask_message (self->parsed, text)
                                                 : fw_feed_spec_mask (self->spec, text);
  gboolean text_changed = g_strcmp0 (self->state_text, masked) != 0;
  gboolean state_changed = self->state != state;

  /* Both stored before either is announced: a listener to one reads the other (the window's
   * toast on "failed" says why). */
  self->state = state;
  if (text_changed)
    {
      g_free (self->state_text);
      self->state_text = g_steal_pointer (&masked);
    }
  if (state_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  if (text_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE_TEXT]);
}

/* A failure is also said where the feed's items are read: one status item, level error, with
 * the reason, to the "items" listeners. It is not counted: not an item of the feed's data
 * (n-items), nor one of its errors (n-errors); the failed state says it already. */
static void
fail (FwFeedRunner *self,
      const char   *reason)
{
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  g_autoptr(GRefString) feed = NULL;
  g_autofree char *text = NULL;
  FwItem *status;

  set_state (self, FW_FEED_STATE_FAILED,
             reason != NULL && reason[0] != '\0' ? reason : _("It stopped without saying why"));

  feed = fw_ref_string_intern (self->feed_id);
  text = g_strdup_printf (_("Failed: %s"), self->state_text);
  status = fw_feed_status_new (feed, FW_FEED_STATE_FAILED, FW_LEVEL_ERROR, text);
  g_ptr_array_add (batch, status);
  g_signal_emit (self, signals[ITEMS], 0, batch);
}

static void
take_batch (FwFeedRunner *self,
            GPtrArray    *batch)
{
  guint64 errors_before = self->levels[FW_LEVEL_ERROR] + self->levels[FW_LEVEL_CRITICAL];
  guint64 warnings_before = self->levels[FW_LEVEL_WARNING];
  const FwItem *last_status = NULL;
  gboolean data_seen = FALSE;
  gboolean was_numeric = self->numeric;

  for (guint i = 0; i < batch->len; i++)
    {
      const FwItem *item = g_ptr_array_index (batch, i);

      if (item->kind == FW_ITEM_STATUS)
        {
          last_status = item;
          data_seen = FALSE;
          continue;
        }
      data_seen = TRUE;
      self->n_items++;
      /* A line read again (a log's backlog on relaunch or restart) was counted when it was new */
      if (!(item->flags & FW_ITEM_FLAG_REPLAYED))
        self->levels[item->level]++;
      if (item->kind == FW_ITEM_READING)
        self->numeric = TRUE;
    }

  /* The latest word wins: a status, unless data arrived after it. */
  if (last_status != NULL)
    {
      FwFeedState announced = fw_feed_state_from_status (last_status);
      if (announced != FW_FEED_STATE_IDLE && !self->paused)
        set_state (self, data_seen ? FW_FEED_STATE_LIVE : announced,
                   data_seen ? NULL : last_status->text);
      else if (announced == FW_FEED_STATE_IDLE && !self->paused && !data_seen &&
               self->state == FW_FEED_STATE_CONNECTING)
        set_state (self, FW_FEED_STATE_CONNECTING, last_status->text);
    }
  if (data_seen && !self->paused && self->state != FW_FEED_STATE_LIVE)
    set_state (self, FW_FEED_STATE_LIVE, NULL);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  if (self->levels[FW_LEVEL_ERROR] + self->levels[FW_LEVEL_CRITICAL] != errors_before)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ERRORS]);
  if (self->levels[FW_LEVEL_WARNING] != warnings_before)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_WARNINGS]);
  if (self->numeric != was_numeric)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NUMERIC]);

  g_signal_emit (self, signals[ITEMS], 0, batch);
}

static void
on_batch (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(FwFeedRunner) self = user_data;
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(GError) error = NULL;

  self->requesting = FALSE;
  batch = fw_stream_next_batch_finish (FW_STREAM (object), result, &error);

  /* A batch from a stream this runner no longer runs (restarted meanwhile) is dropped. */
  if (FW_STREAM (object) != self->stream)
    return;

  if (batch == NULL)
    {
      /* Stopped by us or by the window going away: not a failure. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED))
        {
          if (self->stream == NULL || fw_stream_is_closed (self->stream))
            set_state (self, FW_FEED_STATE_ENDED, "Stopped");
          return;
        }
      fail (self, error->message);
      return;
    }

  if (batch->len == 0)
    {
      set_state (self, FW_FEED_STATE_ENDED, "Ended");
      return;
    }

  take_batch (self, batch);
  request_next (self);
}

static void
request_next (FwFeedRunner *self)
{
  if (self->requesting || self->paused || self->stream == NULL ||
      fw_stream_is_closed (self->stream) ||
      self->state == FW_FEED_STATE_FAILED || self->state == FW_FEED_STATE_ENDED)
    return;

  self->requesting = TRUE;
  fw_stream_next_batch_async (self->stream, BATCH_SIZE, self->cancellable, on_batch,
                              g_object_ref (self));
}

/**
 * fw_feed_runner_new:
 * @spec: a feed as the user wrote it
 *
 * Makes a runner for a feed as the user wrote it; nothing is opened until fw_feed_runner_start().
 *
 * Returns: (transfer full) (nullable): a runner whose stream opened nothing yet, or %NULL with
 *   @error set when the feed is not understood
 */
FwFeedRunner *
fw_feed_runner_new (const char  *spec,
                    GError     **error)
{
  g_autoptr(FwStream) stream = fw_feed_open (spec, FW_FEED_OPEN_NONE, error);

  if (stream == NULL)
    return NULL;

  return fw_feed_runner_new_for_stream (spec, stream);
}

/**
 * fw_feed_runner_new_for_stream:
 * @spec: the feed's name, as it would be written
 * @stream: the stream to run; the runner takes a reference
 *
 * For streams made in code (tests, the demo): @spec names the feed.
 *
 * Returns: (transfer full): a new runner
 */
FwFeedRunner *
fw_feed_runner_new_for_stream (const char *spec,
                               FwStream   *stream)
{
  FwFeedRunner *self = g_object_new (FW_TYPE_FEED_RUNNER, "spec", spec, NULL);

  self->stream = g_object_ref (stream);

  return self;
}

/**
 * fw_feed_runner_new_pending:
 * @spec: a feed that cannot open yet: its secrets are placeholders still being read
 * @reason: what it waits for, in words
 *
 * The feed holds its place (in the sidebar, in the saved list) and shows @reason until
 * fw_feed_runner_reopen() gives it its secrets or fw_feed_runner_fail() says why not.
 *
 * Returns: (transfer full): a runner without a stream, waiting
 */
FwFeedRunner *
fw_feed_runner_new_pending (const char *spec,
                            const char *reason)
{
  FwFeedRunner *self = g_object_new (FW_TYPE_FEED_RUNNER, "spec", spec, NULL);

  set_state (self, FW_FEED_STATE_WAITING, reason);

  return self;
}

/**
 * fw_feed_runner_start:
 * @owner: (type GObject) (nullable): the window the stream's lifetime is bound to
 *
 * Starts pulling. The stream is bound to @owner: when it goes, the stream is closed.
 */
void
fw_feed_runner_start (FwFeedRunner *self,
                      gpointer      owner)
{
  g_return_if_fail (FW_IS_FEED_RUNNER (self));

  if (owner != NULL)
    g_set_weak_pointer (&self->owner, owner);
  /* A pending feed starts when it opens (fw_feed_runner_reopen()). */
  if (self->state != FW_FEED_STATE_IDLE || self->stream == NULL)
    return;

  if (owner != NULL)
    fw_stream_bind_to_owner (self->stream, owner);
  set_state (self, self->paused ? FW_FEED_STATE_PAUSED : FW_FEED_STATE_CONNECTING, NULL);
  self->state_before_pause = FW_FEED_STATE_CONNECTING;
  push_tick (self, g_get_monotonic_time ());
  request_next (self);
}

/**
 * fw_feed_runner_stop:
 *
 * Closes the stream (the close registry sees it through); the runner stays, ended.
 */
void
fw_feed_runner_stop (FwFeedRunner *self)
{
  g_return_if_fail (FW_IS_FEED_RUNNER (self));

  g_cancellable_cancel (self->cancellable);
  if (self->stream != NULL)
    fw_stream_close (self->stream);
  if (self->state != FW_FEED_STATE_FAILED)
    set_state (self, FW_FEED_STATE_ENDED, "Stopped");
}

/**
 * fw_feed_runner_restart:
 *
 * Opens the feed anew (after it failed or ended, or after an edit of its options). The counts
 * go on: a log's lines read again are flagged (fw_feed_runner_dup_resume_mark()) and not
 * counted twice.
 *
 * Returns: %TRUE when the feed opened again, %FALSE with @error set when it could not (the runner
 *   then shows it failed)
 */
gboolean
fw_feed_runner_restart (FwFeedRunner  *self,
                        GError       **error)
{
  g_autoptr(FwStream) stream = NULL;
  g_autofree char *mark = NULL;

  g_return_val_if_fail (FW_IS_FEED_RUNNER (self), FALSE);

  stream = self->parsed != NULL ? fw_feed_open_spec (self->parsed, FW_FEED_OPEN_NONE, error)
                                : fw_feed_open (self->spec, FW_FEED_OPEN_NONE, error);
  if (stream == NULL)
    return FALSE;
  /* The new stream reads what the old one read again: counted once, shown again. */
  mark = fw_feed_runner_dup_resume_mark (self);
  if (mark != NULL && FW_IS_LOG_SOURCE (stream))
    fw_log_source_set_resume_mark (FW_LOG_SOURCE (stream), mark);
  else if (mark != NULL && FW_IS_JOURNAL_SOURCE (stream))
    fw_journal_source_set_resume_mark (FW_JOURNAL_SOURCE (stream), mark);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (self->stream != NULL)
    fw_stream_close (self->stream);
  g_set_object (&self->stream, stream);
  self->requesting = FALSE;

  set_state (self, FW_FEED_STATE_IDLE, NULL);
  fw_feed_runner_start (self, self->owner);

  return TRUE;
}

/**
 * fw_feed_runner_retry_now:
 *
 * "Retry Now": a feed waiting to reconnect tries at once, on the same stream (an SSE feed
 * resumes from its last event); any other feed is restarted.
 *
 * Returns: %FALSE with @error set when a restart could not open the feed
 */
gboolean
fw_feed_runner_retry_now (FwFeedRunner  *self,
                          GError       **error)
{
  g_return_val_if_fail (FW_IS_FEED_RUNNER (self), FALSE);

  if (self->stream != NULL && fw_stream_retry_now (self->stream))
    return TRUE;

  return fw_feed_runner_restart (self, error);
}

/**
 * fw_feed_runner_reopen:
 * @spec: the same feed (the same identity) with its secrets filled in
 *
 * Opens a pending feed, or a feed anew with other credentials.
 *
 * Returns: %TRUE when the feed opened, %FALSE with @error set when it could not
 */
gboolean
fw_feed_runner_reopen (FwFeedRunner  *self,
                       const char    *spec,
                       GError       **error)
{
  g_autofree char *feed_id = NULL;

  g_return_val_if_fail (FW_IS_FEED_RUNNER (self), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  feed_id = fw_feed_spec_redact (spec);
  g_return_val_if_fail (g_str_equal (feed_id, self->feed_id), FALSE);

  g_free (self->spec);
  self->spec = g_strdup (spec);
  g_clear_pointer (&self->parsed, fw_feed_spec_unref);
  self->parsed = fw_feed_spec_parse (spec, NULL);

  return fw_feed_runner_restart (self, error);
}

/**
 * fw_feed_runner_set_resume_mark:
 * @mark: (nullable): what fw_feed_runner_dup_resume_mark() said for this feed in an earlier
 *   session
 *
 * Resumes a log or journal feed where an earlier session stopped: what it read then is shown
 * again but not counted (fw_log_source_set_resume_mark(), fw_journal_source_set_resume_mark()).
 * Other feeds have nothing to resume. Call before fw_feed_runner_start().
 *
 * Returns: %FALSE when @mark was not usable and is ignored
 */
gboolean
fw_feed_runner_set_resume_mark (FwFeedRunner *self,
                                const char   *mark)
{
  g_return_val_if_fail (FW_IS_FEED_RUNNER (self), FALSE);

  if (self->stream == NULL || fw_stream_is_started (self->stream))
    return FALSE;
  if (FW_IS_JOURNAL_SOURCE (self->stream))
    return fw_journal_source_set_resume_mark (FW_JOURNAL_SOURCE (self->stream), mark);
  if (!FW_IS_LOG_SOURCE (self->stream))
    return FALSE;
  return fw_log_source_set_resume_mark (FW_LOG_SOURCE (self->stream), mark);
}

/**
 * fw_feed_runner_dup_resume_mark:
 *
 * Tells where a log feed stopped reading, so that a later session shows those lines as already seen
 * instead of counting them again.
 *
 * Returns: (transfer full) (nullable): where a log feed's lines handed on so far end, to save for
 *   fw_feed_runner_set_resume_mark(); %NULL for other feeds or before anything was read
 */
char *
fw_feed_runner_dup_resume_mark (FwFeedRunner *self)
{
  g_return_val_if_fail (FW_IS_FEED_RUNNER (self), NULL);

  if (FW_IS_JOURNAL_SOURCE (self->stream))
    return fw_journal_source_dup_resume_mark (FW_JOURNAL_SOURCE (self->stream));
  if (!FW_IS_LOG_SOURCE (self->stream))
    return NULL;
  return fw_log_source_dup_resume_mark (FW_LOG_SOURCE (self->stream));
}

/**
 * fw_feed_runner_fail:
 * @reason: why the feed cannot run, in words
 *
 * Marks the feed failed for a reason outside its stream (its credentials could not be read).
 */
void
fw_feed_runner_fail (FwFeedRunner *self,
                     const char   *reason)
{
  g_return_if_fail (FW_IS_FEED_RUNNER (self));

  g_cancellable_cancel (self->cancellable);
  if (self->stream != NULL)
    fw_stream_close (self->stream);
  fail (self, reason);
}

/**
 * fw_feed_runner_set_paused:
 * @paused: %TRUE to stop pulling, %FALSE to go on
 *
 * Pauses or resumes the feed: a paused feed is not pulled, so its source applies backpressure (a
 * socket is not read) instead of dropping items.
 */
void
fw_feed_runner_set_paused (FwFeedRunner *self,
                           gboolean      paused)
{
  g_return_if_fail (FW_IS_FEED_RUNNER (self));

  paused = !!paused;
  if (self->paused == paused)
    return;

  self->paused = paused;
  if (self->state != FW_FEED_STATE_FAILED && self->state != FW_FEED_STATE_ENDED &&
      self->state != FW_FEED_STATE_IDLE)
    {
      if (paused)
        {
          self->state_before_pause = self->state;
          set_state (self, FW_FEED_STATE_PAUSED, NULL);
        }
      else
        {
          set_state (self, self->state_before_pause, NULL);
          request_next (self);
        }
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

/**
 * fw_feed_runner_get_paused:
 *
 * Whether the feed is paused (fw_feed_runner_set_paused()).
 *
 * Returns: %TRUE while the feed is paused
 */
gboolean
fw_feed_runner_get_paused (FwFeedRunner *self)
{
  g_return_val_if_fail (FW_IS_FEED_RUNNER (self), FALSE);

  return self->paused;
}

/* Records a tick's time and count; a clock that went back starts the record again. Returns
 * where it went. */
static guint
push_tick (FwFeedRunner *self,
           gint64        now_us)
{
  guint at;

  if (self->n_ticks > 0 && now_us <= self->last_tick_us)
    self->n_ticks = self->tick_head = 0;
  self->last_tick_us = now_us;
  at = self->tick_head;
  self->ticks[at].us = now_us;
  self->ticks[at].n_items = self->n_items;
  self->tick_head = (self->tick_head + 1) % RATE_TICKS;
  self->n_ticks = MIN (self->n_ticks + 1, RATE_TICKS);
  return at;
}

/**
 * fw_feed_runner_tick:
 * @now_us: monotonic time
 *
 * Updates items/s; the window calls it about once a second for every feed.
 */
void
fw_feed_runner_tick (FwFeedRunner *self,
                     gint64        now_us)
{
  guint newest;
  double rate = 0;

  g_return_if_fail (FW_IS_FEED_RUNNER (self));

  newest = push_tick (self, now_us);

  for (guint back = 1; back < self->n_ticks; back++)
    {
      guint i = (newest + RATE_TICKS - back) % RATE_TICKS;
      guint newer = (i + 1) % RATE_TICKS;
      guint64 items = self->n_items - self->ticks[i].n_items;

      /* A whole second before the first item: measure from its end */
      if (back > 1 && self->ticks[i].n_items == 0 && self->ticks[newer].n_items == 0)
        {
          rate = self->n_items / ((now_us - self->ticks[newer].us) / (double) G_USEC_PER_SEC);
          break;
        }
      if (items >= RATE_MIN_ITEMS || back == self->n_ticks - 1)
        {
          rate = items / ((now_us - self->ticks[i].us) / (double) G_USEC_PER_SEC);
          break;
        }
    }

  if (rate != self->rate)
    {
      self->rate = rate;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE]);
    }
}

/**
 * fw_feed_runner_get_spec:
 *
 * The feed's identity: what to show and compare, never what to save.
 *
 * Returns: the feed as the user wrote it, its secrets masked (fw_feed_spec_redact()): its identity,
 *   as in its items' `feed`, safe to show
 */
const char *
fw_feed_runner_get_spec (FwFeedRunner *self)
{
  g_return_val_if_fail (FW_IS_FEED_RUNNER (self), NULL);
  return self->feed_id;
}

/**
 * fw_feed_runner_get_spec_with_secrets:
 *
 * The feed with its credentials, for saving it; see fw_feed_runner_get_spec() for what to show.
 *
 * Returns: the feed exactly as the user wrote it, credentials included: to save it (split with
 *   fw_feed_spec_split_secrets()), never to show it
 */
const char *
fw_feed_runner_get_spec_with_secrets (FwFeedRunner *self)
{
  g_return_val_if_fail (FW_IS_FEED_RUNNER (self), NULL);
  return self->spec;
}

/**
 * fw_feed_runner_get_kind:
 *
 * The feed's kind (#FwFeedRunner:kind).
 *
 * Returns: the scheme ("sim", "sse", "file"), or "unknown" for a feed that could not be parsed
 */
const char *
fw_feed_runner_get_kind (FwFeedRunner *self)
{
  g_return_val_if_fail (FW_IS_FEED_RUNNER (self), NULL);
  return self->kind;
}

/**
 * fw_feed_runner_get_title:
 *
 * The feed's title for the sidebar: the user's, or one made from the feed
 * (fw_feed_default_title()).
 *
 * Returns: (nullable): the title, or %NULL before one is known
 */
const char *
fw_feed_runner_get_title (FwFeedRunner *self)
{
  g_return_val_if_fail (FW_IS_FEED_RUNNER (self), NULL);
  return self->title;
}

/**
 * fw_feed_runner_set_title:
 * @title: (nullable): the new title; %NULL or an empty text keeps the current one
 *
 * Sets the feed's title, as the user renamed it.
 */
void
fw_feed_runner_set_title (FwFeedRunner *self,
                          const char   *title)
{
  g_return_if_fail (FW_IS_FEED_RUNNER (self));

  if (title == NULL || title[0] == '\0' || g_strcmp0 (self->title, title) == 0)
    return;

  g_free (self->title);
  self->title = g_strdup (title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

/**
 * fw_feed_runner_set_group:
 * @self: the runner
 * @group: (nullable): a group's name; %NULL or "" for none
 *
 * Puts the feed in a group, which the window's sidebar shows as a folder.
 */
void
fw_feed_runner_set_group (FwFeedRunner *self,
                          const char   *group)
{
  g_autofree char *stripped = NULL;

  g_return_if_fail (FW_IS_FEED_RUNNER (self));

  stripped = group != NULL ? g_strstrip (g_strdup (group)) : NULL;
  if (stripped != NULL && stripped[0] == '\0')
    g_clear_pointer (&stripped, g_free);
  if (g_strcmp0 (self->group, stripped) == 0)
    return;
  g_free (self->group);
  self->group = g_steal_pointer (&stripped);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GROUP]);
}

/**
 * fw_feed_runner_get_group:
 * @self: the runner
 *
 * The group the feed is in (fw_feed_runner_set_group()).
 *
 * Returns: (nullable): the name of the feed's group, or %NULL when it has none
 */
const char *
fw_feed_runner_get_group (FwFeedRunner *self)
{
  g_return_val_if_fail (FW_IS_FEED_RUNNER (self), NULL);
  return self->group;
}

static gboolean
is_rgb_hex (const char *color)
{
  if (strlen (color) != 7 || color[0] != '#')
    return FALSE;
  for (guint i = 1; i < 7; i++)
    if (!g_ascii_isxdigit (color[i]))
      return FALSE;
  return TRUE;
}

/**
 * fw_feed_runner_set_color:
 * @self: the runner
 * @color: (nullable): "#rrggbb", or %NULL for none; anything else is ignored
 *
 * The colour that tells the feed apart in lists and plots.
 */
void
fw_feed_runner_set_color (FwFeedRunner *self,
                          const char   *color)
{
  g_autofree char *lower = NULL;

  g_return_if_fail (FW_IS_FEED_RUNNER (self));

  if (color != NULL && color[0] != '\0' && !is_rgb_hex (color))
    return;
  if (color != NULL && color[0] != '\0')
    lower = g_ascii_strdown (color, -1);
  if (g_strcmp0 (self->color, lower) == 0)
    return;
  g_free (self->color);
  self->color = g_steal_pointer (&lower);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLOR]);
}

/**
 * fw_feed_runner_get_color:
 * @self: the runner
 *
 * The colour that tells the feed apart (fw_feed_runner_set_color()).
 *
 * Returns: (nullable): the feed's colour as "#rrggbb", or %NULL when it has none
 */
const char *
fw_feed_runner_get_color (FwFeedRunner *self)
{
  g_return_val_if_fail (FW_IS_FEED_RUNNER (self), NULL);
  return self->color;
}

/**
 * fw_feed_runner_set_transient:
 * @transient: %TRUE for a feed made in code
 *
 * Marks a feed as made in code (tests, the demo): a window does not save it.
 */
void
fw_feed_runner_set_transient (FwFeedRunner *self,
                              gboolean      transient)
{
  g_return_if_fail (FW_IS_FEED_RUNNER (self));

  transient = !!transient;
  if (self->transient == transient)
    return;
  self->transient = transient;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRANSIENT]);
}

/**
 * fw_feed_runner_get_transient:
 *
 * Whether fw_feed_runner_set_transient() marked the feed.
 *
 * Returns: %TRUE for a feed made in code, which a window does not save
 */
gboolean
fw_feed_runner_get_transient (FwFeedRunner *self)
{
  g_return_val_if_fail (FW_IS_FEED_RUNNER (self), FALSE);
  return self->transient;
}

/**
 * fw_feed_runner_get_state:
 *
 * What is happening to the feed: connecting, live, retrying, failed, ended…
 *
 * Returns: the feed's state
 */
FwFeedState
fw_feed_runner_get_state (FwFeedRunner *self)
{
  g_return_val_if_fail (FW_IS_FEED_RUNNER (self), FW_FEED_STATE_IDLE);
  return self->state;
}

/**
 * fw_feed_runner_get_state_text:
 *
 * The state in words, with the reason when there is one (what failed, when it retries), for a
 * tooltip or a status line.
 *
 * Returns: (nullable): the state in words, or %NULL before the feed starts
 */
const char *
fw_feed_runner_get_state_text (FwFeedRunner *self)
{
  g_return_val_if_fail (FW_IS_FEED_RUNNER (self), NULL);
  return self->state_text;
}

/**
 * fw_feed_runner_get_rate:
 *
 * How fast items arrived: over the last second (between the last two calls of
 * fw_feed_runner_tick()) when it brought ten items or more, else over the last ten seconds
 * at most, as far back as it takes to count ten.
 *
 * Returns: items per second
 */
double
fw_feed_runner_get_rate (FwFeedRunner *self)
{
  g_return_val_if_fail (FW_IS_FEED_RUNNER (self), 0);
  return self->rate;
}

/**
 * fw_feed_runner_get_n_items:
 *
 * How many data items (not status items) the feed has delivered since it was made.
 *
 * Returns: the number of items
 */
guint64
fw_feed_runner_get_n_items (FwFeedRunner *self)
{
  g_return_val_if_fail (FW_IS_FEED_RUNNER (self), 0);
  return self->n_items;
}

/**
 * fw_feed_runner_get_n_level:
 * @level: a severity
 *
 * How many items of one severity the feed has delivered, for its ERROR and WARN counts.
 *
 * Returns: the number of items of that level
 */
guint64
fw_feed_runner_get_n_level (FwFeedRunner *self,
                            FwLevel       level)
{
  g_return_val_if_fail (FW_IS_FEED_RUNNER (self), 0);
  g_return_val_if_fail (level < FW_N_LEVELS, 0);
  return self->levels[level];
}

/**
 * fw_feed_runner_is_numeric:
 *
 * Whether the feed carries numbers, which a view can plot.
 *
 * Returns: %TRUE once a reading or an item with a value arrived
 */
gboolean
fw_feed_runner_is_numeric (FwFeedRunner *self)
{
  g_return_val_if_fail (FW_IS_FEED_RUNNER (self), FALSE);
  return self->numeric;
}

/**
 * fw_feed_runner_get_stream:
 *
 * The stream the runner pulls from; it changes when the feed restarts.
 *
 * Returns: (transfer none): the stream being run
 */
FwStream *
fw_feed_runner_get_stream (FwFeedRunner *self)
{
  g_return_val_if_fail (FW_IS_FEED_RUNNER (self), NULL);
  return self->stream;
}

static void
fw_feed_runner_dispose (GObject *object)
{
  FwFeedRunner *self = FW_FEED_RUNNER (object);

  g_cancellable_cancel (self->cancellable);
  if (self->stream != NULL)
    fw_stream_close (self->stream);
  g_clear_object (&self->stream);
  g_clear_weak_pointer (&self->owner);

  G_OBJECT_CLASS (fw_feed_runner_parent_class)->dispose (object);
}

static void
fw_feed_runner_finalize (GObject *object)
{
  FwFeedRunner *self = FW_FEED_RUNNER (object);

  g_clear_object (&self->cancellable);
  g_free (self->spec);
  g_free (self->feed_id);
  g_clear_pointer (&self->parsed, fw_feed_spec_unref);
  g_free (self->kind);
  g_free (self->title);
  g_free (self->group);
  g_free (self->color);
  g_free (self->state_text);

  G_OBJECT_CLASS (fw_feed_runner_parent_class)->finalize (object);
}

static void
fw_feed_runner_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  FwFeedRunner *self = FW_FEED_RUNNER (object);

  switch (prop_id)
    {
    case PROP_SPEC: g_value_set_string (value, self->feed_id); break;
    case PROP_KIND: g_value_set_string (value, self->kind); break;
    case PROP_TITLE: g_value_set_string (value, self->title); break;
    case PROP_STATE: g_value_set_enum (value, self->state); break;
    case PROP_STATE_TEXT: g_value_set_string (value, self->state_text); break;
    case PROP_RATE: g_value_set_double (value, self->rate); break;
    case PROP_N_ITEMS: g_value_set_uint64 (value, self->n_items); break;
    case PROP_N_ERRORS:
      g_value_set_uint64 (value, self->levels[FW_LEVEL_ERROR] + self->levels[FW_LEVEL_CRITICAL]);
      break;
    case PROP_N_WARNINGS: g_value_set_uint64 (value, self->levels[FW_LEVEL_WARNING]); break;
    case PROP_PAUSED: g_value_set_boolean (value, self->paused); break;
    case PROP_NUMERIC: g_value_set_boolean (value, self->numeric); break;
    case PROP_TRANSIENT: g_value_set_boolean (value, self->transient); break;
    case PROP_GROUP: g_value_set_string (value, self->group); break;
    case PROP_COLOR: g_value_set_string (value, self->color); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_feed_runner_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  FwFeedRunner *self = FW_FEED_RUNNER (object);

  switch (prop_id)
    {
    case PROP_SPEC: self->spec = g_value_dup_string (value); break;
    case PROP_TITLE: fw_feed_runner_set_title (self, g_value_get_string (value)); break;
    case PROP_PAUSED: fw_feed_runner_set_paused (self, g_value_get_boolean (value)); break;
    case PROP_TRANSIENT: fw_feed_runner_set_transient (self, g_value_get_boolean (value)); break;
    case PROP_GROUP: fw_feed_runner_set_group (self, g_value_get_string (value)); break;
    case PROP_COLOR: fw_feed_runner_set_color (self, g_value_get_string (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_feed_runner_constructed (GObject *object)
{
  FwFeedRunner *self = FW_FEED_RUNNER (object);
  g_autoptr(FwFeedSpec) redacted = NULL;
  FwFeedSpec *parsed;

  G_OBJECT_CLASS (fw_feed_runner_parent_class)->constructed (object);

  if (self->spec == NULL)
    self->spec = g_strdup ("");
  self->feed_id = fw_feed_spec_redact (self->spec);
  self->parsed = fw_feed_spec_parse (self->spec, NULL);
  /* A feed whose secrets are placeholders has a kind and a name too: parsed without them. */
  parsed = self->parsed;
  if (parsed == NULL)
    parsed = redacted = fw_feed_spec_parse (self->feed_id, NULL);
  self->kind = g_strdup (parsed != NULL ? parsed->kind : "unknown");
  if (self->title == NULL && parsed != NULL)
    {
      g_autofree char *title = fw_feed_default_title (parsed);

      /* A title is shown: made from the parts with no secrets, and masked all the same */
      self->title = fw_feed_spec_mask_message (parsed, title);
    }
  if (self->title == NULL)
    self->title = g_strdup (self->feed_id);
}

static void
fw_feed_runner_class_init (FwFeedRunnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = fw_feed_runner_constructed;
  object_class->dispose = fw_feed_runner_dispose;
  object_class->finalize = fw_feed_runner_finalize;
  object_class->get_property = fw_feed_runner_get_property;
  object_class->set_property = fw_feed_runner_set_property;

  /**
   * FwFeedRunner:spec:
   *
   * The feed as the user wrote it. Read it with fw_feed_runner_get_spec(), which masks its secrets.
   */
  properties[PROP_SPEC] =
    g_param_spec_string ("spec", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * FwFeedRunner:kind:
   *
   * The feed's kind, its scheme ("sim", "sse", "file").
   */
  properties[PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, ro);
  /**
   * FwFeedRunner:title:
   *
   * The feed's title for the sidebar.
   */
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, rw);
  /**
   * FwFeedRunner:state:
   *
   * What is happening to the feed.
   */
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, FW_TYPE_FEED_STATE, FW_FEED_STATE_IDLE, ro);
  /**
   * FwFeedRunner:state-text:
   *
   * The state in words, with its reason.
   */
  properties[PROP_STATE_TEXT] = g_param_spec_string ("state-text", NULL, NULL, NULL, ro);
  /**
   * FwFeedRunner:rate:
   *
   * Items per second, updated by fw_feed_runner_tick().
   */
  properties[PROP_RATE] = g_param_spec_double ("rate", NULL, NULL, 0, G_MAXDOUBLE, 0, ro);
  /**
   * FwFeedRunner:n-items:
   *
   * How many data items the feed has delivered.
   */
  properties[PROP_N_ITEMS] = g_param_spec_uint64 ("n-items", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  /**
   * FwFeedRunner:n-errors:
   *
   * How many items of level error or worse the feed has delivered.
   */
  properties[PROP_N_ERRORS] = g_param_spec_uint64 ("n-errors", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  /**
   * FwFeedRunner:n-warnings:
   *
   * How many warnings the feed has delivered.
   */
  properties[PROP_N_WARNINGS] =
    g_param_spec_uint64 ("n-warnings", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  /**
   * FwFeedRunner:paused:
   *
   * Whether the feed is paused: not pulled, so its source applies backpressure.
   */
  properties[PROP_PAUSED] = g_param_spec_boolean ("paused", NULL, NULL, FALSE, rw);
  /**
   * FwFeedRunner:numeric:
   *
   * Whether the feed carries numbers a view can plot.
   */
  properties[PROP_NUMERIC] = g_param_spec_boolean ("numeric", NULL, NULL, FALSE, ro);
  /**
   * FwFeedRunner:transient:
   *
   * Whether the feed was made in code (tests, the demo), so a window does not save it.
   */
  properties[PROP_TRANSIENT] = g_param_spec_boolean ("transient", NULL, NULL, FALSE, rw);
  /**
   * FwFeedRunner:group:
   *
   * The group (a folder in the sidebar) the feed is in, or %NULL.
   */
  properties[PROP_GROUP] = g_param_spec_string ("group", NULL, NULL, NULL, rw);
  /**
   * FwFeedRunner:color:
   *
   * The colour that marks the feed where several are shown together, as "#rrggbb", or %NULL.
   * Decorative: the feed's name says which it is.
   */
  properties[PROP_COLOR] = g_param_spec_string ("color", NULL, NULL, NULL, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FwFeedRunner::items:
   * @self: the runner
   * @batch: (element-type FwItem): the batch, status items included
   *
   * A batch arrived, or the stream failed: then one status item, level error, says why.
   * Handlers must not keep @batch; they ref the items they keep.
   */
  signals[ITEMS] =
    g_signal_new ("items", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_PTR_ARRAY | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
fw_feed_runner_init (FwFeedRunner *self)
{
  self->cancellable = g_cancellable_new ();
}
