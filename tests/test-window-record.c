/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-window-record.c: recording from the window. The Record button's popover lists the
 * feeds; the chosen ones' items, and only theirs, are in the file when recording stops; the
 * status line says the size and the duration while it runs; a size cap goes on in a second
 * file; "Save the Last Minutes" writes the history's items of that span, of every feed; a file
 * that cannot be created, or a disk that fails while recording, stops it with a message and
 * the window goes on. Inside Flatpak (forced here) the Record button asks for a folder, and
 * the files, named by the time, go on in it. The file chooser is bypassed through the actions
 * it ends in. Runs under Xvfb. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "fw-recording-reader.h"
#include "fw-test-ui.h"
#include "fw-test-util.h"
#include "fw-window-private.h"

static GSettings *settings;

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *none[] = { NULL };

  fixture->dir = g_dir_make_tmp ("fw-window-record-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "rec.jsonl.zst", NULL);
  g_settings_set_strv (settings, "feeds", none);
  g_settings_set_strv (settings, "feed-names", none);
  g_settings_set_boolean (settings, "first-run", FALSE);
  g_settings_reset (settings, "record-max-size");
  g_settings_reset (settings, "record-max-duration");
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  fw_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

/* A feed whose items the test hands it, when it likes */
static FwChannel *
add_pushed_feed (FwWindow   *window,
                 const char *spec)
{
  FwStream *channel = fw_channel_new (10000, FW_CHANNEL_BLOCK);
  g_autoptr(FwFeedRunner) runner = fw_feed_runner_new_for_stream (spec, channel);

  fw_window_add_runner (window, runner, FALSE);
  return FW_CHANNEL (channel);
}

static FwFeedRunner *
runner_of (FwWindow   *window,
           const char *spec)
{
  GListModel *feeds = fw_window_get_feeds (window);

  for (guint i = 0; i < g_list_model_get_n_items (feeds); i++)
    {
      g_autoptr(FwFeedRunner) runner = g_list_model_get_item (feeds, i);

      if (g_str_equal (fw_feed_runner_get_spec (runner), spec))
        return runner;
    }
  g_assert_not_reached ();
}

typedef struct
{
  FwWindow *window;
  guint64   n;
} HistoryCount;

static gboolean
history_has (gpointer data)
{
  HistoryCount *count = data;

  return fw_history_get_n_total (fw_window_get_history (count->window)) >= count->n;
}

/* @n items of @spec, one @step_us apart from @first_us, into @items and the feed */
static void
push (FwWindow   *window,
      FwChannel  *channel,
      const char *spec,
      gint64      first_us,
      gint64      step_us,
      guint       n,
      GPtrArray  *items)
{
  g_autoptr(GRefString) feed = fw_ref_string_intern (spec);
  HistoryCount count = { window, fw_history_get_n_total (fw_window_get_history (window)) + n };

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("%s line %u", spec, i);
      FwItem *item = fw_item_new (FW_ITEM_LINE, feed, first_us + i * step_us, text, -1);

      g_assert_true (fw_channel_try_send (channel, item));
      if (items != NULL)
        g_ptr_array_add (items, item);
      else
        fw_item_unref (item);
    }
  fw_test_wait_until (history_has, &count, "the items in the history");
}

static GtkWidget *
template_child (FwWindow   *window,
                const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (window), FW_TYPE_WINDOW, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static const char *
record_status (FwWindow *window)
{
  GtkWidget *label = template_child (window, "record_label");

  return gtk_widget_get_visible (label) ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}

static gboolean
is_recording (gpointer data)
{
  const char *status = record_status (data);

  return status != NULL && g_str_has_prefix (status, "Recording ·");
}

static gboolean
keep_polling (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Waits, with a timer that wakes the loop: a file or another thread says nothing to it */
static void
poll_until (FwTestPredicate  predicate,
            gpointer         data,
            const char      *what)
{
  guint id = g_timeout_add (10, keep_polling, NULL);

  fw_test_wait_until (predicate, data, what);
  g_source_remove (id);
}

typedef struct
{
  FwWindow   *window;
  const char *text;
} ToastWait;

static gboolean
toast_says (gpointer data)
{
  ToastWait *wait = data;
  g_autofree char *text = fw_test_ui_get_toast_text (wait->window);

  return text != NULL && strstr (text, wait->text) != NULL;
}

static char *
wait_for_toast (FwWindow   *window,
                const char *text)
{
  ToastWait wait = { window, text };

  poll_until (toast_says, &wait, text);
  return fw_test_ui_get_toast_text (window);
}

static void
start_recording (FwWindow           *window,
                 const char         *path,
                 const char * const *specs)
{
  const char *all[] = { NULL };

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.start-recording",
                                             "(s^as)", path, specs != NULL ? specs : all));
}

static GPtrArray *
read_recording (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwRecordingReader) reader = fw_recording_reader_open (path, &error);
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  guint before;

  g_assert_no_error (error);
  g_assert_cmpint (fw_recording_reader_get_format (reader), ==, FW_RECORDING_INDEXED);
  g_assert_false (fw_recording_reader_is_truncated (reader));
  do
    {
      before = items->len;
      g_assert_true (fw_recording_reader_read (reader, items, 1000, &error));
      g_assert_no_error (error);
    }
  while (items->len > before);
  return items;
}

static int
by_time (gconstpointer a,
         gconstpointer b)
{
  const FwItem *x = *(FwItem **) a;
  const FwItem *y = *(FwItem **) b;

  return x->time_us < y->time_us ? -1 : x->time_us > y->time_us;
}

static void
assert_same_items (GPtrArray *expected,
                   GPtrArray *back)
{
  g_ptr_array_sort (expected, by_time);
  g_ptr_array_sort (back, by_time);
  g_assert_cmpuint (back->len, ==, expected->len);
  for (guint i = 0; i < back->len; i++)
    {
      FwItem *a = expected->pdata[i];
      FwItem *b = back->pdata[i];

      g_assert_cmpstr (a->feed, ==, b->feed);
      g_assert_cmpint (a->time_us, ==, b->time_us);
      g_assert_cmpint (a->kind, ==, b->kind);
      g_assert_cmpmem (a->text, a->text_len, b->text, b->text_len);
    }
}

static void
collect_check_buttons (GtkWidget *widget,
                       GPtrArray *checks)
{
  if (GTK_IS_CHECK_BUTTON (widget))
    g_ptr_array_add (checks, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_check_buttons (child, checks);
}

static gboolean
status_shows_a_second (gpointer data)
{
  const char *status = record_status (data);

  return status != NULL && strstr (status, "· 0:00:0") != NULL &&
         strstr (status, "· 0:00:00") == NULL;
}

/* Two of three feeds chosen: theirs are in the file, the third's are not */
static void
test_record_two_feeds (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *chosen[] = { "test:a", "test:b", NULL };
  FwWindow *window = fw_test_ui_open_window ();
  g_autoptr(FwChannel) a = add_pushed_feed (window, "test:a");
  g_autoptr(FwChannel) b = add_pushed_feed (window, "test:b");
  g_autoptr(FwChannel) c = add_pushed_feed (window, "test:c");
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FwRecordingReader) reader = NULL;
  g_autofree char *toast = NULL;
  g_autofree char *first_status = NULL;
  GtkWidget *record_button = template_child (window, "record_button");
  GtkWidget *stop_button = template_child (window, "stop_record_button");
  g_autoptr(GPtrArray) checks = g_ptr_array_new ();
  GtkPopover *popover;
  gint64 t0 = g_get_real_time ();
  const char *title, *color;

  fw_test_ui_settle (window);
  g_assert_true (gtk_widget_get_mapped (record_button));
  g_assert_false (gtk_widget_get_visible (stop_button));
  g_assert_null (record_status (window));

  /* The button's popover: "All feeds", then a box ticked per feed, by its title */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.record", NULL));
  popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (record_button));
  fw_test_ui_settle (window);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (popover)));
  collect_check_buttons (GTK_WIDGET (popover), checks);
  g_assert_cmpuint (checks->len, ==, 4);
  g_assert_cmpstr (gtk_check_button_get_label (checks->pdata[0]), ==, "_All feeds");
  g_assert_true (gtk_check_button_get_active (checks->pdata[0]));
  for (guint i = 1; i < checks->len; i++)
    {
      /* Ticked, and waiting for "All feeds" to be unticked */
      g_assert_true (gtk_check_button_get_active (checks->pdata[i]));
      g_assert_false (gtk_widget_get_sensitive (checks->pdata[i]));
    }
  g_assert_cmpstr (gtk_check_button_get_label (checks->pdata[3]), ==,
                   fw_feed_runner_get_title (runner_of (window, "test:c")));
  gtk_check_button_set_active (checks->pdata[0], FALSE);
  g_assert_true (gtk_widget_get_sensitive (checks->pdata[1]));
  gtk_popover_popdown (popover);

  start_recording (window, fixture->path, chosen);
  fw_test_wait_until (is_recording, window, "the recording to start");
  g_assert_cmpstr (fw_window_get_record_path (window), ==, fixture->path);
  fw_test_ui_settle (window);
  g_assert_false (gtk_widget_get_visible (record_button));
  g_assert_true (gtk_widget_get_mapped (stop_button));
  g_assert_true (gtk_widget_has_css_class (stop_button, "destructive-action"));
  first_status = g_strdup (record_status (window));
  g_test_message ("%s", first_status);

  push (window, a, "test:a", t0, 1000, 50, expected);
  push (window, b, "test:b", t0 + 500, 1000, 50, expected);
  push (window, c, "test:c", t0 + 700, 1000, 20, NULL);

  /* The status line goes on counting, once a second */
  fw_test_wait_until (status_shows_a_second, window, "the recording's duration to show");
  g_test_message ("%s", record_status (window));
  g_assert_true (g_str_has_prefix (record_status (window), "Recording · "));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.stop-recording", NULL));
  g_assert_null (fw_window_get_record_path (window));
  g_assert_true (gtk_widget_get_visible (record_button));
  g_assert_false (gtk_widget_get_visible (stop_button));
  g_assert_null (record_status (window));
  toast = wait_for_toast (window, "Saved the recording");
  g_assert_cmpstr (toast, ==, "Saved the recording “rec.jsonl.zst”: 100 items");

  back = read_recording (fixture->path);
  assert_same_items (expected, back);

  reader = fw_recording_reader_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fw_recording_reader_get_n_feeds (reader), ==, 2);
  g_assert_cmpstr (fw_recording_reader_get_feed (reader, 0, &title, &color), ==, "test:a");
  g_assert_cmpstr (title, ==, fw_feed_runner_get_title (runner_of (window, "test:a")));
  g_assert_cmpstr (color, ==, fw_feed_runner_get_color (runner_of (window, "test:a")));
  g_assert_cmpstr (fw_recording_reader_get_feed (reader, 1, NULL, NULL), ==, "test:b");

  fw_test_ui_close_window (window);
}

typedef struct
{
  const char *path;
  goffset     size;
} FileSize;

static gboolean
file_grew (gpointer data)
{
  FileSize *file = data;
  GStatBuf st;

  return g_stat (file->path, &st) == 0 && st.st_size > file->size;
}

static goffset
file_size (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_size;
}

static gboolean
status_shows_second_file (gpointer data)
{
  const char *status = record_status (data);

  return status != NULL && strstr (status, "· file 2") != NULL;
}

/* A size cap: the file that reached it is closed whole and the recording goes on beside it */
static void
test_rotation (Fixture       *fixture,
               gconstpointer  data)
{
  FwWindow *window = fw_test_ui_open_window ();
  g_autoptr(FwChannel) a = add_pushed_feed (window, "test:a");
  g_autoptr(GPtrArray) first = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  g_autoptr(GPtrArray) second = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  g_autofree char *part2 = g_build_filename (fixture->dir, "rec-2.jsonl.zst", NULL);
  g_autofree char *part3 = g_build_filename (fixture->dir, "rec-3.jsonl.zst", NULL);
  g_autofree char *toast = NULL;
  g_autoptr(GPtrArray) back1 = NULL;
  g_autoptr(GPtrArray) back2 = NULL;
  gint64 t0 = g_get_real_time ();
  FileSize header;

  /* Any frame reaches it: each batch below ends up in a file of its own */
  g_settings_set_uint64 (settings, "record-max-size", 1);
  start_recording (window, fixture->path, NULL);
  fw_test_wait_until (is_recording, window, "the recording to start");
  header.path = fixture->path;
  header.size = file_size (fixture->path);

  push (window, a, "test:a", t0, 1000, 30, first);
  poll_until (file_grew, &header, "the first frame on disk");
  push (window, a, "test:a", t0 + G_USEC_PER_SEC, 1000, 30, second);
  fw_test_wait_until (status_shows_second_file, window, "the second file in the status line");
  g_test_message ("%s", record_status (window));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.record", NULL));
  toast = wait_for_toast (window, "Saved the recording");
  g_assert_cmpstr (toast, ==, "Saved the recording “rec.jsonl.zst” and the next: 60 items in 2 "
                   "files");

  g_assert_true (g_file_test (part2, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (part3, G_FILE_TEST_EXISTS));
  back1 = read_recording (fixture->path);
  back2 = read_recording (part2);
  assert_same_items (first, back1);
  assert_same_items (second, back2);

  fw_test_ui_close_window (window);
}

static gboolean
status_shows_third_file (gpointer data)
{
  const char *status = record_status (data);

  return status != NULL && strstr (status, "· file 3") != NULL;
}

typedef struct
{
  const char *path;
  guint       n;
} PartItems;

/* The file holds @n items in whole frames, while it is written (its markers are walked) */
static gboolean
part_holds (gpointer data)
{
  PartItems *part = data;
  g_autoptr(FwRecordingReader) reader = fw_recording_reader_open (part->path, NULL);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  guint before;

  if (reader == NULL)
    return FALSE;
  do
    {
      before = items->len;
      if (!fw_recording_reader_read (reader, items, 1000, NULL))
        return FALSE;
    }
  while (items->len > before);
  return items->len >= part->n;
}

static gboolean
find_file_chooser (gpointer data)
{
  GtkFileChooser **chooser = data;
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER (window) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        *chooser = GTK_FILE_CHOOSER (window);
    }
  return *chooser != NULL;
}

/* Inside Flatpak, the Record button asks for a folder: the portal grants a file picked alone
 * and nothing beside it, so a file could not go on in the next one. GTK's own file chooser
 * dialog (libcloudproviders, GLib's first block of quarks) keeps allocations by design: this
 * runs in a child process without leak checking */
static void
test_sandbox_asks_for_folder (Fixture       *fixture,
                              gconstpointer  data)
{
  FwWindow *window = fw_test_ui_open_window ();
  g_autoptr(FwChannel) a = add_pushed_feed (window, "test:a");
  GtkWidget *record_button = template_child (window, "record_button");
  GtkFileChooser *chooser = NULL;
  GtkPopover *popover;
  GtkWidget *start;

  _fw_window_set_sandboxed (window, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.record", NULL));
  popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (record_button));
  fw_test_ui_settle (window);
  start = fw_test_ui_find_with_css_class (GTK_WIDGET (popover), "suggested-action");
  g_assert_nonnull (start);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (start)), ==, "_Record to Folder…");

  /* Without a portal, GTK's own dialog stands in for the portal's */
  g_signal_emit_by_name (start, "clicked");
  fw_test_wait_until (find_file_chooser, &chooser, "the file chooser");
  g_assert_cmpint (gtk_file_chooser_get_action (chooser), ==,
                   GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER);
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  fw_test_ui_settle (window);
  g_assert_null (fw_window_get_record_path (window));

  /* Outside, a file as before */
  _fw_window_set_sandboxed (window, FALSE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.record", NULL));
  fw_test_ui_settle (window);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (start)), ==, "_Record to File…");
  gtk_popover_popdown (popover);

  fw_test_ui_close_window (window);
}

/* Inside Flatpak: the recording goes into the folder picked, named by its start time, and a
 * size cap goes on in a second and a third file beside the first, each complete */
static void
test_sandbox_rotation (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *all[] = { NULL };
  g_autofree char *folder = g_build_filename (fixture->dir, "Recordings", NULL);
  FwWindow *window = fw_test_ui_open_window ();
  g_autoptr(FwChannel) a = add_pushed_feed (window, "test:a");
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) sent = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GRegex) named_by_time = g_regex_new ("^feedwatch-[0-9]{4}-[0-9]{2}-[0-9]{2}-"
                                                 "[0-9]{4}\\.jsonl\\.zst$", 0, 0, NULL);
  g_autofree char *basename = NULL;
  g_autofree char *dirname = NULL;
  g_autofree char *expected_toast = NULL;
  g_autofree char *toast = NULL;
  gint64 t0 = g_get_real_time ();
  const char *path;

  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  _fw_window_set_sandboxed (window, TRUE);
  g_settings_set_uint64 (settings, "record-max-size", 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.start-recording-in",
                                             "(s^as)", folder, all));
  fw_test_wait_until (is_recording, window, "the recording to start");

  path = fw_window_get_record_path (window);
  g_assert_nonnull (path);
  dirname = g_path_get_dirname (path);
  basename = g_path_get_basename (path);
  g_test_message ("recording to %s", path);
  g_assert_cmpstr (dirname, ==, folder);
  g_assert_true (g_regex_match (named_by_time, basename, 0, NULL));
  g_ptr_array_add (parts, g_strdup (path));
  for (guint i = 2; i <= 3; i++)
    {
      g_autofree char *stem = g_strndup (path, strlen (path) - strlen (".jsonl.zst"));

      g_ptr_array_add (parts, g_strdup_printf ("%s-%u.jsonl.zst", stem, i));
    }

  /* Each batch waits for the one before on disk: any frame reaches the cap, so the next item
   * goes on in a new file */
  for (guint i = 0; i < 3; i++)
    {
      PartItems part = { parts->pdata[i], 30 };

      g_ptr_array_add (sent, g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref));
      push (window, a, "test:a", t0 + i * G_USEC_PER_SEC, 1000, 30, sent->pdata[i]);
      poll_until (part_holds, &part, "the batch on disk");
      if (i == 1)
        poll_until (status_shows_second_file, window, "file 2 in the status line");
    }
  poll_until (status_shows_third_file, window, "file 3 in the status line");
  g_test_message ("%s", record_status (window));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.record", NULL));
  expected_toast = g_strdup_printf ("Saved the recording “%s” and the next: 90 items in 3 "
                                    "files", basename);
  toast = wait_for_toast (window, "Saved the recording");
  g_assert_cmpstr (toast, ==, expected_toast);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GPtrArray) back = read_recording (parts->pdata[i]);

      assert_same_items (sent->pdata[i], back);
    }

  fw_test_ui_close_window (window);
}

/* A recording of the minute's name in the folder already is not overwritten, nor are the
 * later files of one: a new recording of that name would overwrite them when it rotates */
static void
test_sandbox_name_taken (Fixture       *fixture,
                         gconstpointer  data)
{
  static const char *const kept_files[] = { "", "-2" };  /* the first file, a later one */
  const char *all[] = { NULL };
  FwWindow *window = fw_test_ui_open_window ();
  g_autoptr(FwChannel) a = add_pushed_feed (window, "test:a");
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) next = g_date_time_add_minutes (now, 1);
  GDateTime *minutes[] = { now, next };

  _fw_window_set_sandboxed (window, TRUE);
  for (guint k = 0; k < G_N_ELEMENTS (kept_files); k++)
    {
      g_autofree char *folder = g_strdup_printf ("%s/folder-%u", fixture->dir, k);
      g_autoptr(GPtrArray) taken = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) stems = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *basename = NULL;
      g_autofree char *expected_toast = NULL;
      const char *path;

      g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
      /* This minute's and the next (the start may come in either) */
      for (guint i = 0; i < G_N_ELEMENTS (minutes); i++)
        {
          g_autofree char *stem = g_date_time_format (minutes[i], "feedwatch-%Y-%m-%d-%H%M");
          g_autofree char *name = g_strdup_printf ("%s%s.jsonl.zst", stem, kept_files[k]);
          g_autofree char *kept = g_build_filename (folder, name, NULL);

          g_assert_true (g_file_set_contents (kept, "kept", -1, NULL));
          g_ptr_array_add (taken, g_steal_pointer (&kept));
          g_ptr_array_add (stems, g_strdup_printf ("%s/%s.jsonl.zst", folder, stem));
        }

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.start-recording-in",
                                                 "(s^as)", folder, all));
      fw_test_wait_until (is_recording, window, "the recording to start");
      path = fw_window_get_record_path (window);
      g_test_message ("beside %s: recording to %s", (char *) taken->pdata[0], path);
      g_assert_true (g_str_has_prefix (path, folder));
      g_assert_true (g_str_has_suffix (path, ".jsonl.zst"));
      for (guint i = 0; i < stems->len; i++)
        g_assert_cmpstr (path, !=, stems->pdata[i]);
      for (guint i = 0; i < taken->len; i++)
        {
          g_autofree char *contents = NULL;

          g_assert_true (g_file_get_contents (taken->pdata[i], &contents, NULL, NULL));
          g_assert_cmpstr (contents, ==, "kept");
        }
      basename = g_path_get_basename (path);
      push (window, a, "test:a", g_get_real_time (), 1, 10, NULL);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.stop-recording",
                                                 NULL));
      expected_toast = g_strdup_printf ("Saved the recording “%s”: 10 items", basename);
      g_free (wait_for_toast (window, expected_toast));
    }

  fw_test_ui_close_window (window);
}

/* A folder that cannot be written: said in words, naming the folder; no recording runs */
static void
test_sandbox_unwritable_folder (Fixture       *fixture,
                                gconstpointer  data)
{
  const char *all[] = { NULL };
  g_autofree char *locked = g_build_filename (fixture->dir, "Locked", NULL);
  /* root writes in a folder of mode 0555 all the same, but not in /sys */
  const char *folders[] = { locked, "/sys/kernel" };
  const char *folder = NULL;
  g_autofree char *name = NULL;
  g_autofree char *start = NULL;
  FwWindow *window = NULL;
  g_autoptr(FwChannel) a = NULL;
  g_autofree char *toast = NULL;
  int saved = 0;

  g_assert_cmpint (g_mkdir (locked, 0555), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (folders) && folder == NULL; i++)
    {
      g_autofree char *probe = g_build_filename (folders[i], "feedwatch-probe", NULL);
      int fd = g_open (probe, O_WRONLY | O_CREAT | O_EXCL, 0644);

      saved = errno;
      if (fd >= 0)
        {
          close (fd);
          g_unlink (probe);
        }
      else if (g_file_test (folders[i], G_FILE_TEST_IS_DIR))
        folder = folders[i];
    }
  if (folder == NULL)
    {
      g_test_skip ("no folder here refuses a new file");
      return;
    }
  name = g_path_get_basename (folder);
  start = g_strdup_printf ("Could not record in the folder “%s”: ", name);

  window = fw_test_ui_open_window ();
  a = add_pushed_feed (window, "test:a");
  _fw_window_set_sandboxed (window, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.start-recording-in",
                                             "(s^as)", folder, all));
  toast = wait_for_toast (window, "Could not record");
  g_test_message ("%s", toast);
  g_assert_true (g_str_has_prefix (toast, start));
  g_assert_nonnull (strstr (toast, g_strerror (saved)));
  g_assert_true (g_str_has_suffix (toast, "Choose another folder."));
  g_assert_null (fw_window_get_record_path (window));
  g_assert_true (gtk_widget_get_visible (template_child (window, "record_button")));
  g_assert_null (record_status (window));

  fw_test_ui_close_window (window);
}

/* Exactly what the history kept from N minutes ago on, of every feed, whatever the view shows */
static void
test_save_recent (Fixture       *fixture,
                  gconstpointer  data)
{
  static const gint64 a_ago_s[] = { 20 * 60, 10 * 60, 60, 0 };
  static const gint64 b_ago_s[] = { 15 * 60 + 30, 15 * 60 - 30 };
  FwWindow *window = fw_test_ui_open_window ();
  g_autoptr(FwChannel) a = add_pushed_feed (window, "test:a");
  g_autoptr(FwChannel) b = add_pushed_feed (window, "test:b");
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FwRecordingReader) reader = NULL;
  g_autofree char *toast = NULL;
  gint64 now = g_get_real_time ();
  const char *title, *color;

  for (guint i = 0; i < G_N_ELEMENTS (a_ago_s); i++)
    {
      g_autoptr(GPtrArray) one = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);

      push (window, a, "test:a", now - a_ago_s[i] * G_USEC_PER_SEC, 0, 1, one);
      if (a_ago_s[i] <= 15 * 60)
        g_ptr_array_add (expected, fw_item_ref (one->pdata[0]));
    }
  for (guint i = 0; i < G_N_ELEMENTS (b_ago_s); i++)
    {
      g_autoptr(GPtrArray) one = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);

      push (window, b, "test:b", now - b_ago_s[i] * G_USEC_PER_SEC, 0, 1, one);
      if (b_ago_s[i] <= 15 * 60)
        g_ptr_array_add (expected, fw_item_ref (one->pdata[0]));
    }
  /* The view shows one feed, searched: the recording has every feed all the same */
  g_assert_true (fw_test_ui_activate_sidebar_row (window, fw_feed_runner_get_title (
                                                     runner_of (window, "test:b"))));
  g_assert_true (fw_history_set_search (fw_window_get_history (window), "nothing like it", FALSE,
                                        NULL));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.save-recent-to", "(su)",
                                             fixture->path, 15));
  toast = wait_for_toast (window, "Saved the last");
  g_assert_cmpstr (toast, ==, "Saved the last 15 minutes to “rec.jsonl.zst”: 4 items");

  back = read_recording (fixture->path);
  assert_same_items (expected, back);
  reader = fw_recording_reader_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fw_recording_reader_get_n_feeds (reader), ==, 2);
  g_assert_cmpstr (fw_recording_reader_get_feed (reader, 1, &title, &color), ==, "test:b");
  g_assert_cmpstr (title, ==, fw_feed_runner_get_title (runner_of (window, "test:b")));
  g_assert_cmpstr (color, ==, fw_feed_runner_get_color (runner_of (window, "test:b")));

  fw_test_ui_close_window (window);
}

/* A file that cannot be created: said in words; the window records elsewhere afterwards */
static void
test_cannot_create (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *not_a_folder = g_build_filename (fixture->dir, "notes.txt", NULL);
  g_autofree char *bad = g_build_filename (not_a_folder, "rec.jsonl.zst", NULL);
  FwWindow *window = fw_test_ui_open_window ();
  g_autoptr(FwChannel) a = add_pushed_feed (window, "test:a");
  g_autofree char *toast = NULL;

  g_assert_true (g_file_set_contents (not_a_folder, "", 0, NULL));
  start_recording (window, bad, NULL);
  toast = wait_for_toast (window, "Could not record");
  g_test_message ("%s", toast);
  g_assert_true (g_str_has_prefix (toast, "Could not record to “rec.jsonl.zst”: "));
  g_assert_nonnull (strstr (toast, g_strerror (ENOTDIR)));
  g_assert_true (g_str_has_suffix (toast, "Choose another folder or name."));
  g_assert_null (fw_window_get_record_path (window));
  g_assert_true (gtk_widget_get_visible (template_child (window, "record_button")));
  g_assert_null (record_status (window));

  start_recording (window, fixture->path, NULL);
  fw_test_wait_until (is_recording, window, "the recording to start");
  push (window, a, "test:a", g_get_real_time (), 1, 10, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.stop-recording", NULL));
  g_free (wait_for_toast (window, "Saved the recording “rec.jsonl.zst”: 10 items"));

  fw_test_ui_close_window (window);
}

static gboolean
stopped (gpointer data)
{
  return fw_window_get_record_path (data) == NULL;
}

/* The disk fails while recording (here: the next file cannot be created): the recording
 * stops, the message says why, and what was recorded stays readable */
static void
test_fails_while_recording (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (fixture->dir, "recordings", NULL);
  g_autofree char *moved = g_build_filename (fixture->dir, "moved", NULL);
  g_autofree char *path = g_build_filename (folder, "rec.jsonl.zst", NULL);
  g_autofree char *kept = g_build_filename (moved, "rec.jsonl.zst", NULL);
  FwWindow *window = fw_test_ui_open_window ();
  g_autoptr(FwChannel) a = add_pushed_feed (window, "test:a");
  g_autoptr(GPtrArray) first = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  g_autoptr(GPtrArray) back = NULL;
  g_autofree char *toast = NULL;
  gint64 t0 = g_get_real_time ();
  FileSize header;

  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  g_settings_set_uint64 (settings, "record-max-size", 1);
  start_recording (window, path, NULL);
  fw_test_wait_until (is_recording, window, "the recording to start");
  header.path = path;
  header.size = file_size (path);
  push (window, a, "test:a", t0, 1000, 30, first);
  poll_until (file_grew, &header, "the first frame on disk");

  /* The folder goes, a file takes its name: the second file cannot be created there */
  g_assert_cmpint (g_rename (folder, moved), ==, 0);
  g_assert_true (g_file_set_contents (folder, "", 0, NULL));
  push (window, a, "test:a", t0 + G_USEC_PER_SEC, 1000, 30, NULL);
  poll_until (stopped, window, "the recording to stop");

  toast = wait_for_toast (window, "Recording stopped");
  g_test_message ("%s", toast);
  g_assert_nonnull (strstr (toast, g_strerror (ENOTDIR)));
  g_assert_true (g_str_has_suffix (toast, "Choose another folder, then record again."));
  g_assert_true (gtk_widget_get_visible (template_child (window, "record_button")));
  g_assert_null (record_status (window));

  back = read_recording (kept);
  assert_same_items (first, back);

  /* The window goes on: items still come in */
  push (window, a, "test:a", t0 + 2 * G_USEC_PER_SEC, 1000, 5, NULL);
  fw_test_ui_close_window (window);
}

/* Closing the window while it records leaves the file whole, its index written */
static void
test_close_while_recording (Fixture       *fixture,
                            gconstpointer  data)
{
  FwWindow *window = fw_test_ui_open_window ();
  g_autoptr(FwChannel) a = add_pushed_feed (window, "test:a");
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  g_autoptr(GPtrArray) back = NULL;

  start_recording (window, fixture->path, NULL);
  fw_test_wait_until (is_recording, window, "the recording to start");
  push (window, a, "test:a", g_get_real_time (), 1000, 40, expected);
  fw_test_ui_close_window (window);

  /* read_recording() also checks that the file is not cut short */
  back = read_recording (fixture->path);
  assert_same_items (expected, back);
}

static gboolean
find_message_dialog (gpointer data)
{
  AdwMessageDialog **dialog = data;
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        *dialog = ADW_MESSAGE_DIALOG (window);
    }
  return *dialog != NULL;
}

/* Ctrl+Shift+S asks how many minutes: 15 at first */
static void
test_save_recent_asks_minutes (Fixture       *fixture,
                               gconstpointer  data)
{
  FwWindow *window = fw_test_ui_open_window ();
  AdwMessageDialog *dialog = NULL;
  GtkWidget *spin;

  g_settings_reset (settings, "save-recent-minutes");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.save-recent", NULL));
  fw_test_wait_until (find_message_dialog, &dialog, "the dialog");
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Save the Last Minutes");
  spin = fw_test_ui_find_widget (GTK_WIDGET (dialog), GTK_TYPE_SPIN_BUTTON);
  g_assert_nonnull (spin);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (spin)), ==, 15);
  g_assert_true (adw_message_dialog_has_response (dialog, "save"));
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));

  fw_test_ui_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  settings = g_settings_new (APP_ID);

#define ADD(name, func) g_test_add ("/window-record/" name, Fixture, NULL, fixture_setup, func, \
                                    fixture_teardown)
  ADD ("record-two-feeds", test_record_two_feeds);
  ADD ("rotation", test_rotation);
  ADD ("save-recent", test_save_recent);
  ADD ("cannot-create", test_cannot_create);
  ADD ("fails-while-recording", test_fails_while_recording);
  ADD ("close-while-recording", test_close_while_recording);
  ADD ("save-recent-asks-minutes", test_save_recent_asks_minutes);
  ADD ("sandbox/asks-for-folder/subprocess", test_sandbox_asks_for_folder);
  g_test_add_data_func ("/window-record/sandbox/asks-for-folder",
                        "/window-record/sandbox/asks-for-folder",
                        fw_test_run_subprocess_without_leak_check);
  ADD ("sandbox/rotation", test_sandbox_rotation);
  ADD ("sandbox/name-taken", test_sandbox_name_taken);
  ADD ("sandbox/unwritable-folder", test_sandbox_unwritable_folder);
#undef ADD

  status = g_test_run ();
  g_object_unref (settings);

  return status;
}
