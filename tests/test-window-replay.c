/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-window-replay.c: a recording opened as the app opens files (a file manager, the
 * desktop's "Open With"), shown in a replay window, seeked, paused; a recording cut off while
 * it was written, and files that are no recordings; a recording's feeds replayed from one
 * reading of it, and one without a header read for its feeds while the window stays live. */

#include "config.h"

#include <glib/gstdio.h>

#include "fw-application.h"
#include "fw-recording-private.h"
#include "fw-recording-reader.h"
#include "fw-replay-bar.h"
#include "fw-streams.h"
#include "fw-recording-writer.h"
#include "fw-test-ui.h"
#include "fw-test-util.h"
#include "fw-window.h"

/* 2026-11-22T03:12:00Z; an item every STEP_US, the two feeds taking turns */
#define T0      G_GINT64_CONSTANT (1795317120000000)
#define STEP_US (200 * G_TIME_SPAN_MILLISECOND)
#define N_ITEMS 24  /* all in view at once */

typedef struct
{
  char          *dir;
  char          *path;
  FwApplication *app;
} Fixture;

/* One for the process, as GApplication exports itself on the bus once */
static FwApplication *app;

static FwItem *
make_item (guint i)
{
  g_autoptr(GRefString) feed = fw_ref_string_intern (i % 2 == 0 ? "sim:alpha" : "sim:beta");
  g_autofree char *text = g_strdup_printf ("%s %02u", i % 2 == 0 ? "alpha" : "beta", i);

  return fw_item_new (FW_ITEM_LINE, feed, T0 + i * STEP_US, text, -1);
}

static void
write_recording (const char *path,
                 guint       n_items,
                 gsize       frame_size)
{
  g_autoptr(FwRecordingWriter) writer = fw_recording_writer_new (path);
  g_autoptr(GError) error = NULL;

  fw_recording_writer_add_feed (writer, "sim:alpha", "Alpha Sensor", "#e01b24");
  fw_recording_writer_add_feed (writer, "sim:beta", "Beta Sensor", "#2ec27e");
  if (frame_size > 0)
    fw_recording_writer_set_frame_size (writer, frame_size);
  g_assert_true (fw_recording_writer_start (writer, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < n_items; i++)
    {
      FwItem *item = make_item (i);

      g_assert_true (fw_recording_writer_add (writer, item));
      fw_item_unref (item);
    }
  g_assert_true (fw_recording_writer_close (writer, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("feedwatch-replay-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "incident.jsonl.zst", NULL);
  write_recording (fixture->path, N_ITEMS, 0);

  fixture->app = app;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (fixture->app)));

  for (GList *l = windows; l != NULL; l = l->next)
    fw_test_ui_close_window (l->data);
  g_list_free (windows);
  fw_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

/* The app's window for @path, as the app opened it */
static FwWindow *
find_replay_window (Fixture    *fixture,
                    const char *path)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (fixture->app));
       l != NULL; l = l->next)
    {
      if (FW_IS_WINDOW (l->data) &&
          g_strcmp0 (fw_window_get_recording (l->data), path) == 0)
        return l->data;
    }
  return NULL;
}

static gboolean
is_mapped (gpointer user_data)
{
  return gtk_widget_get_mapped (user_data);
}

/* As a file manager opens it: GApplication's open, with the file */
static FwWindow *
open_as_file_manager_does (Fixture    *fixture,
                           const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  FwWindow *window;

  g_application_open (G_APPLICATION (fixture->app), &file, 1, "");
  window = find_replay_window (fixture, path);
  g_assert_nonnull (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  fw_test_wait_until (is_mapped, window, "the replay window shows");
  fw_test_ui_settle (window);
  return window;
}

typedef struct
{
  FwWindow *window;
  guint     n;
} Count;

static gboolean
has_feeds (gpointer user_data)
{
  Count *count = user_data;

  return g_list_model_get_n_items (fw_window_get_feeds (count->window)) >= count->n;
}

/* The window reads a recording's feeds in a worker thread */
static void
wait_for_feeds (FwWindow *window,
                guint     n)
{
  Count count = { window, n };

  fw_test_wait_until (has_feeds, &count, "the recording's feeds are known");
}

static FwReplayBar *
get_bar (FwWindow *window)
{
  GtkWidget *bar = fw_test_ui_find_widget (GTK_WIDGET (window), FW_TYPE_REPLAY_BAR);

  g_assert_nonnull (bar);
  g_assert_true (gtk_widget_get_mapped (bar));
  return FW_REPLAY_BAR (bar);
}

static gboolean
has_stored (gpointer user_data)
{
  Count *count = user_data;

  return fw_history_get_n_stored (fw_window_get_history (count->window)) >= count->n;
}

static void
wait_for_items (FwWindow *window,
                guint     n)
{
  Count count = { window, n };

  fw_test_wait_until (has_stored, &count, "the replayed items reach the list");
}

/* The texts of the rows on screen, one string */
static char *
read_texts (FwWindow *window)
{
  g_autoptr(GPtrArray) rows = NULL;

  fw_test_ui_settle (window);
  rows = fw_test_ui_read_rows (window);
  return fw_test_ui_dump_rows (rows);
}

typedef struct
{
  FwWindow   *window;
  const char *text;
} Shown;

static gboolean
shows_text (gpointer user_data)
{
  Shown *shown = user_data;
  g_autoptr(GPtrArray) rows = fw_test_ui_read_rows (shown->window);
  g_autofree char *texts = fw_test_ui_dump_rows (rows);

  return strstr (texts, shown->text) != NULL;
}

/* The list shows new items within a second (see fw-window-feeds.c) */
static void
wait_for_text (FwWindow   *window,
               const char *text)
{
  Shown shown = { window, text };

  fw_test_wait_until (shows_text, &shown, text);
}

/* What a person picks in the speed menu: the bar's drop-down */
static void
choose_speed (FwWindow *window,
              guint     choice)
{
  GtkWidget *drop_down = fw_test_ui_find_widget (GTK_WIDGET (get_bar (window)),
                                                 GTK_TYPE_DROP_DOWN);

  gtk_drop_down_set_selected (GTK_DROP_DOWN (drop_down), choice);
}

static void
click_play_button (FwWindow *window)
{
  GtkWidget *button = fw_test_ui_find_widget (GTK_WIDGET (get_bar (window)), GTK_TYPE_BUTTON);

  g_signal_emit_by_name (button, "clicked");
}

static void
test_open_shows_feeds (Fixture       *fixture,
                       gconstpointer  data)
{
  FwWindow *window = open_as_file_manager_does (fixture, fixture->path);
  g_autofree char *all = NULL;
  g_autofree char *alpha = NULL;

  g_assert_true (fw_window_path_is_recording (fixture->path));
  wait_for_feeds (window, 2);
  g_assert_cmpuint (g_list_model_get_n_items (fw_window_get_feeds (window)), ==, 2);
  choose_speed (window, 2);
  wait_for_items (window, N_ITEMS);
  wait_for_text (window, "beta 23");
  all = read_texts (window);
  g_assert_nonnull (strstr (all, "alpha 00"));
  g_assert_nonnull (strstr (all, "beta 23"));

  /* Both feeds, by the titles the recording kept; each shows its own items */
  g_assert_true (fw_test_ui_activate_sidebar_row (window, "Beta Sensor"));
  g_assert_true (fw_test_ui_activate_sidebar_row (window, "Alpha Sensor"));
  wait_for_text (window, "alpha 22");
  alpha = read_texts (window);
  g_assert_nonnull (strstr (alpha, "alpha 22"));
  g_assert_null (strstr (alpha, "beta"));

  /* The time bar spans the recording */
  g_assert_cmpint (fw_replay_bar_get_position (get_bar (window)), <=,
                   T0 + (N_ITEMS - 1) * STEP_US);
}

static gboolean
is_after_seek (gpointer user_data)
{
  FwWindow *window = user_data;
  FwHistory *history = fw_window_get_history (window);

  /* Cleared, then the second half again */
  return fw_history_get_n_stored (history) == N_ITEMS / 2;
}

static void
test_seek (Fixture       *fixture,
           gconstpointer  data)
{
  FwWindow *window = open_as_file_manager_does (fixture, fixture->path);
  GtkWidget *scale;
  g_autofree char *texts = NULL;
  gboolean handled = FALSE;
  double middle_s = (N_ITEMS / 2) * STEP_US / (double) G_USEC_PER_SEC;

  choose_speed (window, 2);
  wait_for_items (window, N_ITEMS);

  /* The user drags the slider to the middle */
  scale = fw_test_ui_find_widget (GTK_WIDGET (get_bar (window)), GTK_TYPE_SCALE);
  g_signal_emit_by_name (scale, "change-value", GTK_SCROLL_JUMP, middle_s, &handled);
  fw_test_wait_until (is_after_seek, window, "the replay starts again from the middle");
  wait_for_text (window, "beta 23");
  texts = read_texts (window);
  g_assert_nonnull (strstr (texts, "alpha 12"));
  g_assert_nonnull (strstr (texts, "beta 23"));
  g_assert_null (strstr (texts, "beta 11"));
  g_assert_null (strstr (texts, "alpha 00"));
  g_assert_cmpint (fw_replay_bar_get_position (get_bar (window)), >=, T0 + (N_ITEMS / 2) * STEP_US);
}

static gboolean
quit_loop (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_pause (Fixture       *fixture,
            gconstpointer  data)
{
  FwWindow *window = open_as_file_manager_does (fixture, fixture->path);
  FwHistory *history = fw_window_get_history (window);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  guint held;

  /* As recorded: an item every 200 ms */
  wait_for_items (window, 2);
  g_assert_true (fw_replay_bar_get_playing (get_bar (window)));
  click_play_button (window);
  g_assert_false (fw_replay_bar_get_playing (get_bar (window)));
  held = fw_history_get_n_stored (history);

  /* Paused for five items' time: none comes */
  g_timeout_add (5 * STEP_US / 1000, quit_loop, loop);
  g_main_loop_run (loop);
  fw_history_flush (history);
  g_assert_cmpuint (fw_history_get_n_stored (history), ==, held);

  /* Playing again, it goes on from where it was, not with what came due meanwhile */
  click_play_button (window);
  wait_for_items (window, held + 1);
  g_assert_cmpuint (fw_history_get_n_stored (history), <, held + 4);
}

static gboolean
has_toast (gpointer user_data)
{
  g_autofree char *text = fw_test_ui_get_toast_text (user_data);

  return text != NULL;
}

static void
test_truncated (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *whole = g_build_filename (fixture->dir, "whole.jsonl.zst", NULL);
  g_autofree char *cut = g_build_filename (fixture->dir, "cut.jsonl.zst", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *toast = NULL;
  g_autoptr(GError) error = NULL;
  FwWindow *window;
  gsize size;

  /* A crash while it was written: the file ends inside a frame, and has no index */
  write_recording (whole, 3000, 4096);
  g_file_get_contents (whole, &contents, &size, &error);
  g_assert_no_error (error);
  g_file_set_contents (cut, contents, size * 2 / 3, &error);
  g_assert_no_error (error);

  window = open_as_file_manager_does (fixture, cut);
  fw_test_wait_until (has_toast, window, "a toast says the recording ends early");
  toast = fw_test_ui_get_toast_text (window);
  g_assert_nonnull (strstr (toast, "ends early"));
  g_assert_nonnull (strstr (fw_replay_bar_get_message (get_bar (window)), "ends early"));

  /* What was written whole is replayed */
  choose_speed (window, 2);
  wait_for_items (window, 1000);
}

static void
test_not_a_recording (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *log = g_build_filename (fixture->dir, "app.log", NULL);
  g_autofree char *fake = g_build_filename (fixture->dir, "notes.jsonl.zst", NULL);
  g_autofree char *missing = g_build_filename (fixture->dir, "gone.jsonl.zst", NULL);
  g_autofree char *toast = NULL;
  g_autoptr(GFile) fake_file = g_file_new_for_path (fake);
  g_autoptr(GError) error = NULL;
  FwWindow *window;

  g_file_set_contents (log, "2026-11-22 03:12:00 INFO started\n", -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (fake, "not compressed, not JSON\n", -1, &error);
  g_assert_no_error (error);

  /* A log is followed, not replayed; a `.zst` is opened, to be refused in words */
  g_assert_false (fw_window_path_is_recording (log));
  g_assert_true (fw_window_path_is_recording (fake));

  g_assert_null (fw_window_open_recording (GTK_APPLICATION (fixture->app), fake, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "“notes.jsonl.zst” is not a Feedwatch recording"));
  g_clear_error (&error);

  g_assert_null (fw_window_open_recording (GTK_APPLICATION (fixture->app), missing, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "“gone.jsonl.zst” cannot be read"));
  g_clear_error (&error);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (fixture->app)));

  /* Opened from a window (File → Open, a drop), the window says it */
  window = fw_window_new (GTK_APPLICATION (fixture->app));
  gtk_window_present (GTK_WINDOW (window));
  fw_test_wait_until (is_mapped, window, "the window shows");
  g_assert_null (fw_window_open_file (window, fake_file));
  fw_test_wait_until (has_toast, window, "a toast says what is wrong");
  toast = fw_test_ui_get_toast_text (window);
  g_assert_nonnull (strstr (toast, "is not a Feedwatch recording"));
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (fixture->app))),
                    ==, 1);
}

/* `feedwatch --print` output has no header: its items name the feeds */
static void
test_print_output (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "printed.jsonl", NULL);
  g_autoptr(GError) error = NULL;
  const char *lines =
    "{\"feed\":\"sim:alpha\",\"time\":\"2026-11-22T03:12:00.000000Z\",\"kind\":\"line\","
    "\"text\":\"alpha first\"}\n"
    "{\"feed\":\"sim:beta\",\"time\":\"2026-11-22T03:12:01.000000Z\",\"kind\":\"line\","
    "\"text\":\"beta second\"}\n";
  g_autoptr(FwFeedSpec) spec = NULL;
  g_autofree char *title = NULL;
  FwWindow *window;

  g_file_set_contents (path, lines, -1, &error);
  g_assert_no_error (error);
  g_assert_true (fw_window_path_is_recording (path));
  window = open_as_file_manager_does (fixture, path);
  wait_for_feeds (window, 2);
  g_assert_cmpuint (g_list_model_get_n_items (fw_window_get_feeds (window)), ==, 2);
  choose_speed (window, 2);
  wait_for_text (window, "beta second");
  /* Each under the title the window gives such a feed */
  spec = fw_feed_spec_parse ("sim:beta", &error);
  g_assert_no_error (error);
  title = fw_feed_default_title (spec);
  g_assert_true (fw_test_ui_activate_sidebar_row (window, title));
  wait_for_text (window, "beta second");
}

/* A file dropped from the file manager: the window's drop target gets a GdkFileList */
static void
test_drop (Fixture       *fixture,
           gconstpointer  data)
{
  FwWindow *window = fw_window_new (GTK_APPLICATION (fixture->app));
  g_autoptr(GListModel) controllers = NULL;
  GtkDropTarget *target = NULL;
  GSList files = { NULL, NULL };
  GValue value = G_VALUE_INIT;
  gboolean accepted = FALSE;
  FwWindow *replay;

  gtk_window_present (GTK_WINDOW (window));
  fw_test_wait_until (is_mapped, window, "the window shows");
  controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && target == NULL; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        target = GTK_DROP_TARGET (controller);
    }
  g_assert_nonnull (target);

  files.data = g_file_new_for_path (fixture->path);
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_set_boxed (&value, &files);
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_value_unset (&value);
  g_object_unref (files.data);
  g_assert_true (accepted);

  replay = find_replay_window (fixture, fixture->path);
  g_assert_nonnull (replay);
  g_assert_true (replay != window);
  fw_test_wait_until (is_mapped, replay, "the replay window shows");
  wait_for_feeds (replay, 2);
  g_assert_cmpuint (g_list_model_get_n_items (fw_window_get_feeds (replay)), ==, 2);
}

/* Three feeds, one decompression: every feed's items come from one reader of the file */
static void
test_decoded_once (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "three.jsonl.zst", NULL);
  g_autoptr(FwRecordingWriter) writer = fw_recording_writer_new (path);
  g_autoptr(FwRecordingReader) reader = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  g_autoptr(GError) error = NULL;
  const char *feeds[] = { "sim:alpha", "sim:beta", "sim:gamma" };
  const guint n = 3 * 700;
  gsize before, one_pass;
  FwWindow *window;

  for (guint f = 0; f < G_N_ELEMENTS (feeds); f++)
    fw_recording_writer_add_feed (writer, feeds[f], NULL, NULL);
  fw_recording_writer_set_frame_size (writer, 16 * 1024);
  g_assert_true (fw_recording_writer_start (writer, &error));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GRefString) feed = fw_ref_string_intern (feeds[i % 3]);
      g_autofree char *text = g_strdup_printf ("item %u", i);
      g_autoptr(FwItem) item = fw_item_new (FW_ITEM_LINE, feed, T0 + i * 1000, text, -1);

      g_assert_true (fw_recording_writer_add (writer, item));
    }
  g_assert_true (fw_recording_writer_close (writer, &error));
  g_assert_no_error (error);

  /* What one reading of it decodes */
  before = _fw_recording_reader_get_n_decoded ();
  reader = fw_recording_reader_open (path, &error);
  g_assert_no_error (error);
  do
    {
      g_ptr_array_set_size (items, 0);
      g_assert_true (fw_recording_reader_read (reader, items, 4096, &error));
    }
  while (items->len > 0);
  one_pass = _fw_recording_reader_get_n_decoded () - before;
  g_assert_cmpuint (one_pass, >, 0);

  before = _fw_recording_reader_get_n_decoded ();
  window = open_as_file_manager_does (fixture, path);
  choose_speed (window, 2);
  wait_for_feeds (window, 3);
  wait_for_items (window, n);
  wait_for_text (window, "item 2099");
  g_assert_cmpuint (_fw_recording_reader_get_n_decoded () - before, ==, one_pass);
}

/* A `--print` file with many items and no header: 230,000 lines, a third feed first seen after
 * the first 200,000 (all are read for the feeds, and for the time span) */
#define BIG_LINES 230000
#define LATE_FEED 210000

typedef struct
{
  FwWindow *window;
  guint     ticks;          /* of a timer on the main loop */
  guint     ticks_pending;  /* while the feeds were not known yet */
  gboolean  showed_loading;
} Responsive;

static gboolean
on_tick (gpointer user_data)
{
  Responsive *responsive = user_data;

  responsive->ticks++;
  return G_SOURCE_CONTINUE;
}

static gboolean
feeds_known (gpointer user_data)
{
  Responsive *responsive = user_data;
  GtkWidget *spinner;

  if (g_list_model_get_n_items (fw_window_get_feeds (responsive->window)) >= 3)
    return TRUE;
  responsive->ticks_pending = responsive->ticks;
  spinner = fw_test_ui_find_widget (GTK_WIDGET (responsive->window), GTK_TYPE_SPINNER);
  if (spinner != NULL && gtk_widget_get_mapped (spinner) &&
      gtk_spinner_get_spinning (GTK_SPINNER (spinner)))
    responsive->showed_loading = TRUE;
  return FALSE;
}

static void
test_scan_in_thread (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "big.jsonl", NULL);
  g_autoptr(GString) lines = g_string_sized_new (BIG_LINES * 96);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  Responsive responsive = { NULL };
  GListModel *feeds;
  guint tick_id;

  for (guint i = 0; i < BIG_LINES; i++)
    {
      const char *feed = i >= LATE_FEED && i % 3 == 2 ? "sim:late" : i % 2 ? "sim:b" : "sim:a";

      /* An item a second: the replay plays on slowly behind the test */
      g_string_append_printf (lines, "{\"feed\":\"%s\",\"time\":\"2026-11-22T%02u:%02u:%02u.000000Z\","
                              "\"kind\":\"line\",\"text\":\"line %u\"}\n",
                              feed, i / 3600 % 24, i / 60 % 60, i % 60, i);
    }
  g_file_set_contents (path, lines->str, lines->len, &error);
  g_assert_no_error (error);
  g_assert_true (fw_window_path_is_recording (path));

  tick_id = g_timeout_add (5, on_tick, &responsive);
  file = g_file_new_for_path (path);
  g_application_open (G_APPLICATION (fixture->app), &file, 1, "");
  responsive.window = find_replay_window (fixture, path);
  g_assert_nonnull (responsive.window);
  fw_test_wait_until (feeds_known, &responsive, "the feeds of a file without a header");
  g_source_remove (tick_id);

  /* The main loop went on while the file was read, and the window said it was reading */
  g_assert_cmpuint (responsive.ticks_pending, >=, 3);
  g_assert_true (responsive.showed_loading);

  /* The feeds, in the order they first came */
  feeds = fw_window_get_feeds (responsive.window);
  g_assert_cmpuint (g_list_model_get_n_items (feeds), ==, 3);
  {
    const char *expected[] = { "sim:a", "sim:b", "sim:late" };

    for (guint i = 0; i < 3; i++)
      {
        g_autoptr(FwFeedRunner) runner = g_list_model_get_item (feeds, i);

        g_assert_cmpstr (fw_feed_runner_get_spec (runner), ==, expected[i]);
      }
  }
  wait_for_text (responsive.window, "line 0");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  app = fw_application_new (G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add ("/replay-window/open-shows-feeds", Fixture, NULL, fixture_set_up,
              test_open_shows_feeds, fixture_tear_down);
  g_test_add ("/replay-window/seek", Fixture, NULL, fixture_set_up, test_seek, fixture_tear_down);
  g_test_add ("/replay-window/pause", Fixture, NULL, fixture_set_up, test_pause,
              fixture_tear_down);
  g_test_add ("/replay-window/truncated", Fixture, NULL, fixture_set_up, test_truncated,
              fixture_tear_down);
  g_test_add ("/replay-window/print-output", Fixture, NULL, fixture_set_up, test_print_output,
              fixture_tear_down);
  g_test_add ("/replay-window/decoded-once", Fixture, NULL, fixture_set_up, test_decoded_once,
              fixture_tear_down);
  g_test_add ("/replay-window/scan-in-thread", Fixture, NULL, fixture_set_up,
              test_scan_in_thread, fixture_tear_down);
  g_test_add ("/replay-window/drop", Fixture, NULL, fixture_set_up, test_drop,
              fixture_tear_down);
  g_test_add ("/replay-window/not-a-recording", Fixture, NULL, fixture_set_up,
              test_not_a_recording, fixture_tear_down);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
