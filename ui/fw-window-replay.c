/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-window-replay.c: a recording opened in a window (File → Open, a file dropped on a window,
 * `feedwatch FILE.jsonl.zst`, a file manager): a replay window.
 *
 * It shows the recording's feeds as they were: one sidebar row per recorded feed, with the
 * title and colour the header kept, each fed by a replay of that feed's items. The items keep
 * their recorded feed and times, so they reach the history, the plots, search, filters and
 * alerts by the same path as live ones. The feeds' replays are split from one reading of the
 * recording (fw_replay_source_new_split()): it is decompressed once whatever the number of
 * feeds, and their one clock starts at the recording's first item, so the feeds stay in step
 * with each other as they were recorded.
 *
 * A recording without a header names its feeds only in its items: a worker thread looks for
 * them while the window shows that it is reading the recording.
 *
 * A seek starts the feeds again from the chosen time (from=, which the reader's index finds
 * without decompressing what lies before) and clears the history first: items from before
 * the seek would otherwise sit above later ones, and time would seem to run backwards in the
 * list and the plots. Pausing holds every source where it is (it goes on from there, not from
 * where the clock has got to).
 *
 * Replay windows keep their feeds in memory: what they show is never saved as the user's
 * feeds. */

#include "config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <glib/gi18n.h>
#include <string.h>

#include "fw-replay-bar.h"
#include "fw-window-private.h"
#include "fw-recording-reader.h"
#include "fw-recording-private.h"
#include "sources/fw-replay-source.h"

/* How often the time bar follows the replay */
#define FOLLOW_MS 250

typedef struct
{
  char     *spec;
  char     *title;
  char     *color;
} ReplayFeed;

struct _FwWindowReplay
{
  char       *path;
  char       *name;        /* the replay feeds' own name: their notes carry it */
  GArray     *feeds;       /* ReplayFeed, in the recording's order */
  GPtrArray  *sources;     /* FwReplaySource, one a feed, of the current run */
  GPtrArray  *runners;     /* FwFeedRunner, the same */
  gint64      first_us;
  gint64      last_us;
  gint64      from_us;     /* where the current run started */
  double      speed;
  gboolean    playing;
  gboolean    ended;
  guint       follow_id;
  FwReplayBar *bar;
};

/* What a worker thread learns of a recording before it is replayed */
typedef struct
{
  GArray   *feeds;         /* ReplayFeed */
  gint64    first_us;
  gint64    last_us;
  gboolean  cut;           /* cut off while it was written, or damaged */
} Loaded;

typedef struct
{
  char     *feed;
  char     *replay_name;
  GWeakRef  window;
} FeedFilter;

static void
replay_feed_clear (ReplayFeed *feed)
{
  g_free (feed->spec);
  g_free (feed->title);
  g_free (feed->color);
}

static void
feed_filter_free (gpointer data)
{
  FeedFilter *filter = data;

  g_free (filter->feed);
  g_free (filter->replay_name);
  g_weak_ref_clear (&filter->window);
  g_free (filter);
}

static void
show_message (FwWindow   *self,
              const char *text)
{
  FwWindowReplay *replay = self->replay;

  if (replay == NULL || g_strcmp0 (fw_replay_bar_get_message (replay->bar), text) == 0)
    return;
  fw_replay_bar_set_message (replay->bar, text);
  fw_window_toast (self, text);
}

/* A feed's own items pass; the replay's note at its end (cut off, lines passed over) goes to
 * the time bar instead of the list, where no feed would own it. */
static gboolean
item_is_feeds (FwItem   *item,
               gpointer  user_data)
{
  FeedFilter *filter = user_data;
  g_autoptr(FwWindow) window = NULL;

  if (g_str_equal (item->feed, filter->feed))
    return TRUE;
  if (item->kind == FW_ITEM_STATUS && g_str_equal (item->feed, filter->replay_name) &&
      item->text_len > 0 && (window = g_weak_ref_get (&filter->window)) != NULL)
    show_message (window, item->text);
  return FALSE;
}

/* ---------------------------------------------------------------------------------------- */
/* Is it a recording? */

typedef enum
{
  SNIFF_UNREADABLE,
  SNIFF_OTHER,
  SNIFF_ZSTD,
  SNIFF_JSONL,
} Sniffed;

static Sniffed
sniff (const char  *path,
       GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) input = NULL;
  guint8 head[16] = { 0 };
  gsize n = 0;

  input = g_file_read (file, NULL, error);
  if (input == NULL ||
      !g_input_stream_read_all (G_INPUT_STREAM (input), head, sizeof head - 1, &n, NULL, error))
    return SNIFF_UNREADABLE;
  if (n >= 4)
    {
      guint32 magic = fw_recording_get_u32 (head);

      if (magic == FW_RECORDING_ZSTD_MAGIC ||
          (magic & FW_RECORDING_SKIPPABLE_MASK) == FW_RECORDING_SKIPPABLE)
        return SNIFF_ZSTD;
    }
  if (g_str_has_prefix ((const char *) head, "{\"feed\":"))
    return SNIFF_JSONL;
  return SNIFF_OTHER;
}

/**
 * fw_window_path_is_recording:
 * @path: a file named where a feed is expected (the command line, a file manager)
 *
 * Tells a recording to replay from a log to follow, by content: a zstd file (a Feedwatch
 * recording, or `--print` output compressed by `zstd`), or a `.jsonl` that begins as `--print`
 * writes. A file named `.zst` counts as one whatever it holds (as for `--print`), so that
 * opening it says why it cannot be read or is no recording, rather than following it as a log.
 *
 * Returns: whether @path is replayed rather than followed
 */
gboolean
fw_window_path_is_recording (const char *path)
{
  switch (sniff (path, NULL))
    {
    case SNIFF_ZSTD:
      return TRUE;
    case SNIFF_JSONL:
      return fw_recording_path_is_recording (path);
    case SNIFF_UNREADABLE:
    case SNIFF_OTHER:
    default:
      return g_str_has_suffix (path, ".zst");
    }
}

static FwRecordingReader *
open_recording (const char  *path,
                GError     **error)
{
  g_autofree char *name = g_filename_display_basename (path);
  g_autoptr(GError) local = NULL;
  FwRecordingReader *reader;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                   _("“%s” is a folder, not a recording: open a recording file "
                     "(.jsonl.zst) in it"), name);
      return NULL;
    }
  switch (sniff (path, &local))
    {
    case SNIFF_UNREADABLE:
      g_set_error (error, G_IO_ERROR, local != NULL ? local->code : G_IO_ERROR_FAILED,
                   _("“%s” cannot be read (%s): check that it exists and that you may read it"),
                   name, local != NULL ? local->message : _("unknown error"));
      return NULL;
    case SNIFF_OTHER:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” is not a Feedwatch recording. Feedwatch replays the recordings it "
                     "makes (.jsonl.zst) and the output of “feedwatch --print” (.jsonl); to "
                     "follow a log file, add it as a feed instead."), name);
      return NULL;
    case SNIFF_ZSTD:
    case SNIFF_JSONL:
    default:
      break;
    }
  reader = fw_recording_reader_open (path, &local);
  if (reader == NULL)
    g_set_error (error, G_IO_ERROR, local->code,
                 _("“%s” cannot be opened as a recording: %s"), name, local->message);
  return reader;
}

/* A recording's index ends it: without, it was cut off while being written (a crash, a full
 * disk), and what it holds is read up to its last whole frame. */
static gboolean
lacks_index (FwRecordingReader *reader)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) input = NULL;
  char tail[4];
  gsize n = 0;

  if (fw_recording_reader_get_format (reader) != FW_RECORDING_INDEXED)
    return FALSE;
  file = g_file_new_for_path (fw_recording_reader_get_path (reader));
  input = g_file_read (file, NULL, NULL);
  if (input == NULL ||
      !g_seekable_seek (G_SEEKABLE (input), -4, G_SEEK_END, NULL, NULL) ||
      !g_input_stream_read_all (G_INPUT_STREAM (input), tail, 4, &n, NULL, NULL))
    return TRUE;
  return n != 4 || memcmp (tail, FW_RECORDING_TAG_TRAILER, 4) != 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Running the feeds */

static void
on_runner_state (FwFeedRunner *runner,
                 GParamSpec   *pspec,
                 FwWindow     *self)
{
  FwWindowReplay *replay = self->replay;

  if (replay == NULL || g_ptr_array_find (replay->runners, runner, NULL) == FALSE)
    return;
  for (guint i = 0; i < replay->runners->len; i++)
    {
      FwFeedState state = fw_feed_runner_get_state (g_ptr_array_index (replay->runners, i));

      if (state != FW_FEED_STATE_ENDED && state != FW_FEED_STATE_FAILED)
        return;
    }
  replay->ended = TRUE;
  fw_replay_bar_set_position (replay->bar, replay->last_us);
  fw_replay_bar_set_playing (replay->bar, FALSE);
}

static void
add_feed (FwWindow       *self,
          FwReplaySource *source,
          const char     *spec,
          const char     *title,
          const char     *color)
{
  FwWindowReplay *replay = self->replay;
  FeedFilter *filter = g_new0 (FeedFilter, 1);
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(FwFeedRunner) runner = NULL;

  filter->feed = g_strdup (spec);
  filter->replay_name = g_strdup (replay->name);
  g_weak_ref_init (&filter->window, self);
  /* The filter owns the source; the window keeps a reference to move it */
  g_ptr_array_add (replay->sources, g_object_ref (source));
  stream = fw_filter_new (g_object_ref (FW_STREAM (source)), item_is_feeds, filter,
                          feed_filter_free);
  runner = fw_feed_runner_new_for_stream (spec, stream);
  if (title != NULL && title[0] != '\0')
    fw_feed_runner_set_title (runner, title);
  if (color != NULL && color[0] != '\0')
    fw_feed_runner_set_color (runner, color);
  g_ptr_array_add (replay->runners, g_object_ref (runner));
  g_signal_connect_object (runner, "notify::state", G_CALLBACK (on_runner_state), self, 0);
  fw_window_add_runner (self, runner, FALSE);
}

/* Starts every feed at @from_us. The new feeds go in before the old ones go out, so the window
 * never shows "no feeds" between. */
static void
start_at (FwWindow *self,
          gint64    from_us)
{
  FwWindowReplay *replay = self->replay;
  g_autoptr(GPtrArray) old = g_steal_pointer (&replay->runners);
  g_autofree char *selected = g_strdup (self->selected_feed);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) specs = NULL;
  g_autoptr(GPtrArray) sources = NULL;

  g_ptr_array_set_size (replay->sources, 0);
  replay->runners = g_ptr_array_new_with_free_func (g_object_unref);
  replay->from_us = from_us;
  replay->ended = FALSE;

  for (guint i = 0; i < old->len; i++)
    {
      FwFeedRunner *runner = g_ptr_array_index (old, i);
      guint position;

      /* The first of that name: the old one, before the new ones */
      if (fw_feed_list_lookup (self->feeds, fw_feed_runner_get_spec (runner), &position) == runner)
        {
          fw_feed_runner_stop (runner);
          fw_feed_list_remove (self->feeds, position);
        }
    }
  fw_history_clear (self->history);
  for (guint i = 0; i < replay->feeds->len; i++)
    g_strv_builder_add (builder, g_array_index (replay->feeds, ReplayFeed, i).spec);
  specs = g_strv_builder_end (builder);
  sources = fw_replay_source_new_split (replay->name, replay->path,
                                        (const char * const *) specs);
  for (guint i = 0; i < replay->feeds->len; i++)
    {
      ReplayFeed *feed = &g_array_index (replay->feeds, ReplayFeed, i);
      FwReplaySource *source = g_ptr_array_index (sources, i);

      /* One clock for all: set on one, it holds for every feed */
      if (i == 0)
        {
          fw_replay_source_set_speed (source, replay->speed);
          fw_replay_source_set_range (source, from_us, G_MAXINT64);
          fw_replay_source_set_paused (source, !replay->playing);
        }
      add_feed (self, source, feed->spec, feed->title, feed->color);
    }
  _fw_window_update_plot_series (self);
  _fw_window_update_empty_state (self);
  if (selected != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.show-feed", "s", selected);
  fw_replay_bar_set_position (replay->bar, from_us);
}

static gboolean
follow_replay (gpointer user_data)
{
  FwWindow *self = user_data;
  FwWindowReplay *replay = self->replay;
  gint64 position = replay->from_us;

  if (replay->ended)
    return G_SOURCE_CONTINUE;
  for (guint i = 0; i < replay->sources->len; i++)
    position = MAX (position, fw_replay_source_get_position (g_ptr_array_index (replay->sources,
                                                                                i)));
  /* A recording without an index shows its end as the replay reaches it */
  if (position > replay->last_us)
    {
      replay->last_us = position;
      fw_replay_bar_set_span (replay->bar, replay->first_us, replay->last_us);
    }
  fw_replay_bar_set_position (replay->bar, position);
  /* The plots follow the replay's time, not today's */
  if (self->plot != NULL)
    fw_plot_set_clock_offset (self->plot, position - g_get_real_time ());

  return G_SOURCE_CONTINUE;
}

static void
on_seek (FwReplayBar *bar,
         gint64       time_us,
         FwWindow    *self)
{
  /* A seek after the end plays from there; one while paused stays paused there */
  if (self->replay->ended)
    {
      self->replay->ended = FALSE;
      fw_replay_bar_set_playing (bar, TRUE);
    }
  start_at (self, time_us);
}

static void
on_playing_changed (FwReplayBar *bar,
                    GParamSpec  *pspec,
                    FwWindow    *self)
{
  FwWindowReplay *replay = self->replay;

  replay->playing = fw_replay_bar_get_playing (bar);
  /* Play at the end: again from the start */
  if (replay->playing && replay->ended)
    {
      start_at (self, replay->first_us);
      return;
    }
  /* The feeds' replays keep one clock: set on one, it holds for all */
  if (replay->sources->len > 0)
    fw_replay_source_set_paused (g_ptr_array_index (replay->sources, 0), !replay->playing);
}

static void
on_speed_changed (FwReplayBar *bar,
                  GParamSpec  *pspec,
                  FwWindow    *self)
{
  FwWindowReplay *replay = self->replay;

  replay->speed = fw_replay_bar_get_speed (bar);
  if (replay->sources->len > 0)
    fw_replay_source_set_speed (g_ptr_array_index (replay->sources, 0), replay->speed);
}

static void
loaded_free (Loaded *loaded)
{
  g_array_unref (loaded->feeds);
  g_free (loaded);
}

/* The feeds a recording without a header holds, which only its items name: all of them are
 * read, since a feed may first come late (and the span is the first and last item's) */
static gboolean
scan_feeds (Loaded             *loaded,
            FwRecordingReader  *reader,
            GCancellable       *cancellable,
            GError            **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean has_span = fw_recording_reader_get_span (reader, &loaded->first_us,
                                                    &loaded->last_us);

  if (!has_span)
    {
      loaded->first_us = G_MAXINT64;
      loaded->last_us = G_MININT64;
    }
  for (;;)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      g_ptr_array_set_size (items, 0);
      if (!fw_recording_reader_read (reader, items, 4096, NULL) || items->len == 0)
        break;
      for (guint i = 0; i < items->len; i++)
        {
          FwItem *item = g_ptr_array_index (items, i);

          if (!has_span)
            {
              loaded->first_us = MIN (loaded->first_us, item->time_us);
              loaded->last_us = MAX (loaded->last_us, item->time_us);
            }
          if (!g_hash_table_contains (seen, item->feed))
            {
              g_autoptr(FwFeedSpec) spec = fw_feed_spec_parse (item->feed, NULL);
              ReplayFeed feed = { g_strdup (item->feed), NULL, NULL };

              feed.title = spec != NULL ? fw_feed_default_title (spec) : NULL;
              g_array_append_val (loaded->feeds, feed);
              g_hash_table_add (seen, g_array_index (loaded->feeds, ReplayFeed,
                                                     loaded->feeds->len - 1).spec);
            }
        }
    }
  if (loaded->first_us > loaded->last_us)
    loaded->first_us = loaded->last_us = g_get_real_time ();
  return TRUE;
}

/* In a worker thread: a recording without a header is read whole to find its feeds, and that
 * must not hold the window still */
static void
load_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(FwRecordingReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  Loaded *loaded;

  reader = open_recording (path, &error);
  if (reader == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  loaded = g_new0 (Loaded, 1);
  loaded->feeds = g_array_new (FALSE, TRUE, sizeof (ReplayFeed));
  g_array_set_clear_func (loaded->feeds, (GDestroyNotify) replay_feed_clear);
  for (guint i = 0; i < fw_recording_reader_get_n_feeds (reader); i++)
    {
      const char *feed_title = NULL, *color = NULL;
      const char *spec = fw_recording_reader_get_feed (reader, i, &feed_title, &color);
      ReplayFeed feed = { g_strdup (spec), g_strdup (feed_title), g_strdup (color) };

      g_array_append_val (loaded->feeds, feed);
    }
  if (loaded->feeds->len == 0)
    {
      if (!scan_feeds (loaded, reader, cancellable, &error))
        {
          loaded_free (loaded);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }
  else if (!fw_recording_reader_get_span (reader, &loaded->first_us, &loaded->last_us))
    loaded->first_us = loaded->last_us = g_get_real_time ();
  loaded->cut = lacks_index (reader) || fw_recording_reader_is_truncated (reader);
  g_task_return_pointer (task, loaded, (GDestroyNotify) loaded_free);
}

/* What the window shows while it has no feeds: it reads the recording, or why there is
 * nothing to replay */
static void
show_empty_page (FwWindow   *self,
                 gboolean    loading,
                 const char *description)
{
  GtkWidget *spinner = NULL;

  if (loading)
    {
      spinner = gtk_spinner_new ();
      gtk_spinner_start (GTK_SPINNER (spinner));
      gtk_widget_set_size_request (spinner, 32, 32);
      gtk_widget_set_halign (spinner, GTK_ALIGN_CENTER);
    }
  adw_status_page_set_title (self->empty_page, loading ? _("Reading the Recording…")
                                                       : _("Nothing to Replay"));
  adw_status_page_set_description (self->empty_page, description);
  adw_status_page_set_child (self->empty_page, spinner);
  _fw_window_update_empty_state (self);
}

static void
on_loaded (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  FwWindow *self = FW_WINDOW (object);
  FwWindowReplay *replay = self->replay;
  g_autoptr(GError) error = NULL;
  Loaded *loaded = g_task_propagate_pointer (G_TASK (result), &error);

  /* The window closed while the recording was read */
  if (replay == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_pointer (&loaded, loaded_free);
      return;
    }
  if (loaded == NULL)
    {
      /* fw_window_open_recording() checked it: it went away since */
      show_message (self, error->message);
      show_empty_page (self, FALSE, error->message);
      return;
    }
  gtk_widget_set_sensitive (GTK_WIDGET (replay->bar), TRUE);
  g_array_append_vals (replay->feeds, loaded->feeds->data, loaded->feeds->len);
  /* The strings moved to the window's array */
  g_array_set_clear_func (loaded->feeds, NULL);
  replay->first_us = loaded->first_us;
  replay->last_us = loaded->last_us;

  if (loaded->cut)
    show_message (self, _("The recording ends early: it was cut off while being written (a "
                          "crash or a full disk) or is damaged. It is replayed up to the last "
                          "part that was written whole."));
  else if (replay->feeds->len == 0)
    show_message (self, _("The recording holds no items: there is nothing to replay."));
  /* Shown again only when no feed is left */
  show_empty_page (self, FALSE,
                   replay->feeds->len == 0 ? _("The recording holds no items.") : NULL);
  loaded_free (loaded);

  fw_replay_bar_set_span (replay->bar, replay->first_us, replay->last_us);
  replay->from_us = replay->first_us;
  start_at (self, replay->first_us);
  replay->follow_id = g_timeout_add (FOLLOW_MS, follow_replay, self);
}

/**
 * _fw_window_replay_load:
 *
 * Instead of the saved feeds: the recording's, replayed from its start once a worker thread
 * has read what it holds.
 */
void
_fw_window_replay_load (FwWindow *self)
{
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GSettings) memory = g_settings_new_with_backend (APP_ID, backend);
  g_autoptr(GTask) task = NULL;
  g_autofree char *name = g_filename_display_basename (self->recording);
  g_autofree char *title = g_strdup_printf (_("Replay · %s"), name);
  g_autofree char *reading = g_strdup_printf (_("Looking for the feeds in “%s”"), name);
  FwWindowReplay *replay = g_new0 (FwWindowReplay, 1);
  GtkWidget *content = gtk_widget_get_parent (GTK_WIDGET (self->toast_overlay));

  self->replay = replay;
  replay->path = g_strdup (self->recording);
  replay->name = g_strconcat ("replay:", self->recording, NULL);
  replay->feeds = g_array_new (FALSE, TRUE, sizeof (ReplayFeed));
  g_array_set_clear_func (replay->feeds, (GDestroyNotify) replay_feed_clear);
  replay->sources = g_ptr_array_new_with_free_func (g_object_unref);
  replay->runners = g_ptr_array_new_with_free_func (g_object_unref);
  replay->speed = 1;
  replay->playing = TRUE;

  self->store = fw_feed_store_new (memory, self->feeds);
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_title (self->sidebar_title, _("Replay"));
  adw_window_title_set_subtitle (self->sidebar_title, name);
  /* Its feeds are the recording's: none to add, and none to open live again */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.add-feed", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.edit-feed", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.restart-feed", FALSE);

  replay->bar = FW_REPLAY_BAR (fw_replay_bar_new ());
  gtk_box_insert_child_after (GTK_BOX (content), GTK_WIDGET (replay->bar),
                              GTK_WIDGET (self->toast_overlay));
  g_signal_connect_object (replay->bar, "seek", G_CALLBACK (on_seek), self, 0);
  g_signal_connect_object (replay->bar, "notify::playing", G_CALLBACK (on_playing_changed), self,
                           0);
  g_signal_connect_object (replay->bar, "notify::speed", G_CALLBACK (on_speed_changed), self, 0);
  /* Nothing to play or seek in until the feeds are known */
  gtk_widget_set_sensitive (GTK_WIDGET (replay->bar), FALSE);
  show_empty_page (self, TRUE, reading);

  task = g_task_new (self, self->cancellable, on_loaded, NULL);
  g_task_set_source_tag (task, _fw_window_replay_load);
  g_task_set_name (task, "[feedwatch] reading a recording");
  g_task_set_task_data (task, g_strdup (self->recording), g_free);
  g_task_run_in_thread (task, load_in_thread);
}

void
_fw_window_replay_dispose (FwWindow *self)
{
  FwWindowReplay *replay = self->replay;

  if (replay == NULL)
    return;
  self->replay = NULL;
  g_clear_handle_id (&replay->follow_id, g_source_remove);
  g_ptr_array_unref (replay->sources);
  g_ptr_array_unref (replay->runners);
  g_array_unref (replay->feeds);
  g_free (replay->path);
  g_free (replay->name);
  g_free (replay);
}

/* ---------------------------------------------------------------------------------------- */
/* Opening */

/**
 * fw_window_open_recording:
 * @application: (nullable): the application the window belongs to
 * @path: the recording
 *
 * Opens a replay window on @path. A recording cut off while it was written opens too, and
 * says so.
 *
 * Returns: (transfer none) (nullable): the new window, presented; %NULL with @error set, in
 *   words, when @path cannot be read or is not a recording
 */
FwWindow *
fw_window_open_recording (GtkApplication  *application,
                          const char      *path,
                          GError         **error)
{
  g_autoptr(FwRecordingReader) reader = open_recording (path, error);
  FwWindow *window;

  if (reader == NULL)
    return NULL;
  window = g_object_new (FW_TYPE_WINDOW, "application", application, "recording", path, NULL);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

/**
 * fw_window_get_recording:
 *
 * Returns: (nullable): the recording a replay window shows; %NULL for a window of live feeds
 */
const char *
fw_window_get_recording (FwWindow *self)
{
  g_return_val_if_fail (FW_IS_WINDOW (self), NULL);

  return self->recording;
}

/**
 * fw_window_open_file:
 * @file: a file the user chose or dropped on the window
 *
 * Opens @file as a recording in a replay window; what goes wrong is told in this window.
 *
 * Returns: (transfer none) (nullable): the replay window
 */
FwWindow *
fw_window_open_file (FwWindow *self,
                     GFile    *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_file_get_path (file);
  FwWindow *window;

  g_return_val_if_fail (FW_IS_WINDOW (self), NULL);

  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);
      g_autofree char *text =
        g_strdup_printf (_("“%s” is not on this computer: copy the recording here to open "
                           "it"), uri);

      fw_window_toast (self, text);
      return NULL;
    }
  window = fw_window_open_recording (gtk_window_get_application (GTK_WINDOW (self)), path,
                                     &error);
  if (window == NULL)
    fw_window_toast (self, error->message);
  return window;
}

static void
on_open_response (GtkNativeDialog *chooser,
                  int              response,
                  FwWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        fw_window_open_file (self, file);
    }
  g_object_unref (chooser);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  FwWindow *self = FW_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) recordings = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  gtk_file_filter_set_name (recordings, _("Recordings"));
  gtk_file_filter_add_mime_type (recordings, "application/x-feedwatch-recording");
  gtk_file_filter_add_suffix (recordings, "jsonl.zst");
  gtk_file_filter_add_suffix (recordings, "jsonl");
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");

  chooser = gtk_file_chooser_native_new (_("Open a Recording"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), recordings);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (chooser), recordings);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_open_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         FwWindow      *self)
{
  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = g_value_get_boxed (value);

      for (GSList *l = files; l != NULL; l = l->next)
        fw_window_open_file (self, l->data);
      return files != NULL;
    }
  if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    {
      fw_window_open_file (self, g_value_get_object (value));
      return TRUE;
    }
  return FALSE;
}

void
_fw_window_class_replay_init (GtkWidgetClass *widget_class)
{
  g_type_ensure (FW_TYPE_REPLAY_BAR);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "win.open", NULL);
}

void
_fw_window_replay_init (FwWindow *self)
{
  GtkDropTarget *target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  GType types[] = { GDK_TYPE_FILE_LIST, G_TYPE_FILE };

  gtk_drop_target_set_gtypes (target, types, G_N_ELEMENTS (types));
  g_signal_connect (target, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}
