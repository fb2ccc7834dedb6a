/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-window-rows.c: the window read the way a person reads it (fw-test-ui.h): the rows a
 * feed's own view shows after the sidebar switched to it or a filter changed, and what a
 * failed feed says, in its toast and in its list. Runs under Xvfb. */

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "fw-add-feed-dialog.h"
#include "fw-cell-text.h"
#include "fw-item-object.h"
#include "fw-item-view.h"
#include "fw-test-server.h"
#include "fw-test-ui.h"
#include "fw-test-util.h"
#include "fw-window.h"

static GSettings *settings;

/* The columns a row shows with one feed selected (the Feed column is hidden then) */
enum { CELL_TIME, CELL_LEVEL, CELL_TEXT, N_CELLS };

static void
reset_settings (guint history)
{
  const char *none[] = { NULL };

  g_settings_set_strv (settings, "feeds", none);
  g_settings_set_strv (settings, "feed-names", none);
  g_settings_set_boolean (settings, "first-run", FALSE);
  g_settings_set_uint (settings, "history-length", history);
}

/* Readings like sim:sensor's, @n of them, all at once */
static GPtrArray *
make_readings (const char *feed,
               guint       n)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  GRefString *name = fw_ref_string_intern (feed);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, fw_item_new_reading (name, g_get_real_time (), "sensor", 42, NULL));
  g_ref_string_release (name);

  return items;
}

/* Three lines of a log, two warnings and an error */
static GPtrArray *
make_log_lines (const char *feed)
{
  static const struct { const char *text; FwLevel level; } lines[] = {
    { "disk almost full", FW_LEVEL_WARNING },
    { "backup late", FW_LEVEL_WARNING },
    { "disk full", FW_LEVEL_ERROR },
  };
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  GRefString *name = fw_ref_string_intern (feed);

  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      FwItem *item = fw_item_new (FW_ITEM_LINE, name, g_get_real_time (), lines[i].text, -1);

      fw_item_set_level (item, lines[i].level);
      g_ptr_array_add (items, item);
    }
  g_ref_string_release (name);

  return items;
}

/* Every row on screen: the head row first, reading @head, then only rows whose text passes
 * @expected; returns how many item rows there were */
static guint
assert_rows (FwWindow   *window,
             const char *head,
             gboolean  (*expected) (const char *text))
{
  g_autoptr(GPtrArray) rows = fw_test_ui_read_rows (window);
  g_autofree char *dump = fw_test_ui_dump_rows (rows);

  g_test_message ("rows on screen:\n%s", dump);
  g_assert_cmpuint (rows->len, >=, 1);
  for (guint i = 0; i < rows->len; i++)
    {
      const char * const *cells = g_ptr_array_index (rows, i);

      if (g_strv_length ((GStrv) cells) != N_CELLS)
        g_error ("row %u has %u cells, not %u:\n%s", i, g_strv_length ((GStrv) cells), N_CELLS, dump);
      if (i == 0)
        {
          if (g_strcmp0 (cells[CELL_TEXT], head) != 0 || cells[CELL_TIME][0] != '\0' ||
              cells[CELL_LEVEL][0] != '\0')
            g_error ("the first row is not the head row “%s”:\n%s", head, dump);
        }
      else if (!expected (cells[CELL_TEXT]))
        g_error ("row %u is not one of the view's:\n%s", i, dump);
    }

  return rows->len - 1;
}

static gboolean
is_log_line (const char *text)
{
  return g_str_has_prefix (text, "disk ") || g_str_has_prefix (text, "backup ");
}

static gboolean
is_disk_line (const char *text)
{
  return g_str_has_prefix (text, "disk ");
}

static gboolean
is_error_line (const char *text)
{
  return g_str_equal (text, "disk full");
}

/* A feed's own view shows its head row and its items, whatever rows the view showed before:
 * the sidebar switched from All Feeds, following a long list of another feed's readings, to a
 * feed of three lines; then a search and a level filter narrow the list. */
static void
test_feed_view_shows_its_rows (void)
{
  FwWindow *window;
  FwHistory *history;
  guint n;

  reset_settings (100000);
  window = fw_test_ui_open_window ();
  history = fw_window_get_history (window);

  /* Live feeds keep the view publishing, as the machine's sensors do */
  g_assert_nonnull (fw_window_add_feed (window, "sim:sensor?interval=20", NULL));
  fw_test_ui_add_items (window, "test:sensor", make_readings ("test:sensor", 2000));
  fw_test_ui_add_items (window, "test:log", make_log_lines ("test:log"));
  fw_test_ui_add_items (window, "test:sensor-more", make_readings ("test:sensor-more", 500));
  g_assert_true (fw_window_is_following (window));

  g_assert_true (fw_test_ui_activate_sidebar_row (window, "test:log"));
  fw_test_ui_settle (window);
  n = assert_rows (window, "Start of history", is_log_line);
  g_assert_cmpuint (n, ==, 3);

  /* The same view, searched: the rows are the matches, as many as the count says */
  g_assert_true (fw_history_set_search (history, "disk", FALSE, NULL));
  fw_test_ui_settle (window);
  n = assert_rows (window, "Start of history", is_disk_line);
  g_assert_cmpuint (n, ==, fw_history_get_n_matches (history));
  g_assert_cmpuint (n, ==, 2);

  fw_history_set_min_level (history, FW_LEVEL_ERROR);
  fw_test_ui_settle (window);
  n = assert_rows (window, "Start of history", is_error_line);
  g_assert_cmpuint (n, ==, fw_history_get_n_matches (history));
  g_assert_cmpuint (n, ==, 1);

  fw_test_ui_close_window (window);
}

/* With every feed ended nothing new arrives to make the view publish: switching feeds and
 * filtering must show their rows all the same. */
static void
test_quiet_view_shows_its_rows (void)
{
  FwWindow *window;
  FwHistory *history;

  reset_settings (100000);
  window = fw_test_ui_open_window ();
  history = fw_window_get_history (window);

  fw_test_ui_add_items (window, "test:sensor", make_readings ("test:sensor", 300));
  fw_test_ui_add_items (window, "test:log", make_log_lines ("test:log"));

  g_assert_true (fw_test_ui_activate_sidebar_row (window, "test:log"));
  fw_test_ui_settle (window);
  g_assert_cmpuint (assert_rows (window, "Start of history", is_log_line), ==, 3);

  fw_history_set_min_level (history, FW_LEVEL_ERROR);
  fw_test_ui_settle (window);
  g_assert_cmpuint (assert_rows (window, "Start of history", is_error_line), ==, 1);

  fw_test_ui_close_window (window);
}

/* ---------------------------------------------------------------------------------------- */
/* A failed feed says why: in its toast and in its list */

typedef struct
{
  FwWindow *window;
  char     *text;
} ToastWait;

static gboolean
toast_is_shown (gpointer user_data)
{
  ToastWait *wait = user_data;

  g_free (wait->text);
  wait->text = fw_test_ui_get_toast_text (wait->window);
  return wait->text != NULL;
}

static gboolean
runner_has_failed (gpointer user_data)
{
  return fw_feed_runner_get_state (user_data) == FW_FEED_STATE_FAILED;
}

/* The rows on screen whose text is @text, in the level column "error" */
static guint
count_failure_rows (FwWindow   *window,
                    const char *text)
{
  g_autoptr(GPtrArray) rows = fw_test_ui_read_rows (window);
  g_autofree char *dump = fw_test_ui_dump_rows (rows);
  guint found = 0;

  g_test_message ("rows on screen:\n%s", dump);
  for (guint i = 0; i < rows->len; i++)
    {
      const char * const *cells = g_ptr_array_index (rows, i);
      guint n = g_strv_length ((GStrv) cells);

      for (guint j = 0; j < n; j++)
        g_assert_null (strstr (cells[j], "(null)"));
      if (n >= 3 && g_str_equal (cells[n - 1], text))
        {
          g_assert_cmpstr (cells[n - 2], ==, "error");
          found++;
        }
    }

  return found;
}

/* Whether the content's header names @title: the view shown is that feed's */
static gboolean
content_titled (GtkWidget  *widget,
                const char *title)
{
  if (ADW_IS_WINDOW_TITLE (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (adw_window_title_get_title (ADW_WINDOW_TITLE (widget)), title) == 0)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (content_titled (child, title))
      return TRUE;
  return FALSE;
}

static void
check_failure_is_told (const char *spec,
                       const char *title)
{
  FwWindow *window;
  FwFeedRunner *runner;
  ToastWait wait = { NULL, NULL };
  g_autofree char *reason = NULL;
  g_autofree char *expected_toast = NULL;
  g_autofree char *status_text = NULL;

  reset_settings (100000);
  window = fw_test_ui_open_window ();
  runner = fw_window_add_feed (window, spec, NULL);
  g_assert_nonnull (runner);
  fw_test_wait_until (runner_has_failed, runner, "the feed's failure");
  reason = g_strdup (fw_feed_runner_get_state_text (runner));
  g_test_message ("%s failed: %s", spec, reason);
  g_assert_nonnull (reason);
  g_assert_cmpuint (strlen (reason), >, 10);

  /* The toast names the feed and says why, in words */
  wait.window = window;
  fw_test_wait_until (toast_is_shown, &wait, "a toast");
  g_test_message ("toast: %s", wait.text);
  g_assert_null (strstr (wait.text, "(null)"));
  expected_toast = g_strdup_printf ("%s failed: %s", title, reason);
  g_assert_cmpstr (wait.text, ==, expected_toast);

  /* Its own view (where the toast's Show button leads) and All Feeds show the failure as a
   * row, with the whole reason */
  status_text = g_strdup_printf ("Failed: %s", reason);
  g_assert_true (fw_test_ui_press_button (window, "Show"));
  fw_test_ui_settle (window);
  g_assert_true (content_titled (GTK_WIDGET (window), title));
  g_assert_cmpuint (count_failure_rows (window, status_text), ==, 1);
  g_assert_true (fw_test_ui_activate_sidebar_row (window, title));
  fw_test_ui_settle (window);
  g_assert_cmpuint (count_failure_rows (window, status_text), ==, 1);
  g_assert_true (fw_test_ui_activate_sidebar_row (window, "All Feeds"));
  fw_test_ui_settle (window);
  g_assert_cmpuint (count_failure_rows (window, status_text), ==, 1);

  /* A failure is not one of the feed's items, nor one of its errors */
  g_assert_cmpuint (fw_feed_runner_get_n_items (runner), ==, 0);
  g_assert_cmpuint (fw_feed_runner_get_n_level (runner, FW_LEVEL_ERROR), ==, 0);

  g_free (wait.text);
  fw_test_ui_close_window (window);
}

static void
test_missing_command_says_why (void)
{
  check_failure_is_told ("cmd:fw-test-no-such-command", "fw-test-no-such-command");
}

/* A loopback port nothing listens on: bound, then closed */
static guint16
closed_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  guint16 port;

  g_assert_nonnull (socket);
  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_assert_true (g_socket_close (socket, NULL));

  return port;
}

static void
on_not_found (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

/* A server that answers the feed is wrong (HTTP 404) fails it: told in a toast and the rows. */
static void
test_http_error_says_why (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autofree char *spec = NULL;

  soup_server_add_handler (server, NULL, on_not_found, NULL, NULL);
  spec = g_strdup_printf ("http://127.0.0.1:%u/", fw_test_server_listen (server, 0));
  check_failure_is_told (spec, "127.0.0.1");
  soup_server_disconnect (server);
}

static gboolean
runner_is_retrying (gpointer user_data)
{
  return fw_feed_runner_get_state (user_data) == FW_FEED_STATE_RETRYING;
}

/* A server that cannot be reached yet does not fail the feed: it retries, and says why. */
static void
test_refused_connection_says_why (void)
{
  g_autofree char *spec = g_strdup_printf ("http://127.0.0.1:%u/", closed_port ());
  FwWindow *window;
  FwFeedRunner *runner;
  const char *text;

  reset_settings (100000);
  window = fw_test_ui_open_window ();
  runner = fw_window_add_feed (window, spec, NULL);
  g_assert_nonnull (runner);
  fw_test_wait_until (runner_is_retrying, runner, "the feed's retry");
  text = fw_feed_runner_get_state_text (runner);
  g_test_message ("%s: %s", spec, text);
  g_assert_true (g_str_has_prefix (text, "retrying in "));
  g_assert_nonnull (strstr (text, "127.0.0.1"));
  g_assert_null (strstr (text, "(null)"));
  fw_test_ui_close_window (window);
}

/* A saved feed this version cannot open keeps its place and its name: shown as failed, with
 * why, in the sidebar and its own view; still saved when the window saves; gone only when
 * the user removes it. */
static void
test_unopenable_saved_feed_kept (void)
{
  const char *feeds[] = { "futurekind:abc", "sim:sensor?interval=abc", NULL };
  const char *names[] = { "From the future", "", NULL };
  g_auto(GStrv) saved = NULL;
  g_auto(GStrv) saved_names = NULL;
  g_autofree char *status_text = NULL;
  GListModel *runners;
  FwWindow *window;

  reset_settings (100000);
  g_settings_set_strv (settings, "feeds", feeds);
  g_settings_set_strv (settings, "feed-names", names);
  window = fw_test_ui_open_window ();
  runners = fw_window_get_feeds (window);
  g_assert_cmpuint (g_list_model_get_n_items (runners), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(FwFeedRunner) runner = g_list_model_get_item (runners, i);
      const char *reason = fw_feed_runner_get_state_text (runner);

      g_assert_cmpint (fw_feed_runner_get_state (runner), ==, FW_FEED_STATE_FAILED);
      g_test_message ("%s: %s", feeds[i], reason);
      g_assert_nonnull (reason);
      g_assert_cmpuint (strlen (reason), >, 10);
      if (i == 0)
        status_text = g_strdup_printf ("Failed: %s", reason);
    }

  /* Its own view, reached from the sidebar by the name the user gave it, says why */
  g_assert_true (fw_test_ui_activate_sidebar_row (window, "From the future"));
  fw_test_ui_settle (window);
  g_assert_cmpuint (count_failure_rows (window, status_text), ==, 1);

  /* The window saves (another feed added): both stay saved, with their names */
  g_assert_nonnull (fw_window_add_feed (window, "sim:sensor?interval=500", NULL));
  saved = g_settings_get_strv (settings, "feeds");
  saved_names = g_settings_get_strv (settings, "feed-names");
  g_assert_cmpuint (g_strv_length (saved), ==, 3);
  g_assert_cmpstr (saved[0], ==, feeds[0]);
  g_assert_cmpstr (saved[1], ==, feeds[1]);
  g_assert_cmpstr (saved_names[0], ==, names[0]);

  /* Removed by the user: gone */
  g_assert_true (fw_window_remove_feed (window, feeds[0]));
  g_clear_pointer (&saved, g_strfreev);
  saved = g_settings_get_strv (settings, "feeds");
  g_assert_cmpuint (g_strv_length (saved), ==, 2);
  g_assert_cmpstr (saved[0], ==, feeds[1]);

  /* Edited: its dialog opens on it, and the corrected feed runs in its place */
  {
    g_autoptr(FwFeedRunner) broken = g_list_model_get_item (runners, 0);
    GtkWidget *dialog = fw_add_feed_dialog_new_for_feed (window, broken);
    g_autoptr(GError) error = NULL;
    FwFeedRunner *fixed;

    gtk_window_present (GTK_WINDOW (dialog));
    fw_test_ui_settle (window);
    gtk_window_destroy (GTK_WINDOW (dialog));
    fixed = fw_window_replace_feed (window, feeds[1], "sim:sensor?interval=300", NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (fw_feed_runner_get_state (fixed), !=, FW_FEED_STATE_FAILED);
    g_clear_pointer (&saved, g_strfreev);
    saved = g_settings_get_strv (settings, "feeds");
    g_assert_cmpstr (saved[0], ==, "sim:sensor?interval=300");
  }

  fw_test_ui_close_window (window);
}

/* The number of a process that has ended */
static gint
dead_pid (void)
{
  g_autoptr(GError) error = NULL;
  /* One that lives until it is told to end: its identifier is gone once it is reaped */
  g_autoptr(GSubprocess) proc = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error,
                                                  "sleep", "600", NULL);
  gint pid;

  g_assert_no_error (error);
  pid = atoi (g_subprocess_get_identifier (proc));
  g_subprocess_force_exit (proc);
  g_assert_true (g_subprocess_wait (proc, NULL, &error));
  g_assert_no_error (error);
  return pid;
}

static gboolean
runner_is_live (gpointer user_data)
{
  return fw_feed_runner_get_state (user_data) == FW_FEED_STATE_LIVE;
}

/* Feedwatch crashed (or was killed) with its feeds open, maybe because of one of them: on the
 * next launch they open paused, and the user is told why and can resume them. A window that
 * closes normally leaves nothing behind, and the next launch starts them as usual. */
static void
test_unclean_exit_starts_paused (void)
{
  const char *feeds[] = { "sim:sensor?interval=100", NULL };
  g_autoptr(FwFeedRunner) runner = NULL;
  ToastWait wait = { NULL, NULL };
  FwWindow *window;

  reset_settings (100000);
  g_settings_set_strv (settings, "feeds", feeds);
  g_settings_set_int (settings, "running-pid", dead_pid ());

  window = fw_test_ui_open_window ();
  runner = g_list_model_get_item (fw_window_get_feeds (window), 0);
  g_assert_true (fw_feed_runner_get_paused (runner));
  g_assert_cmpint (fw_feed_runner_get_state (runner), ==, FW_FEED_STATE_PAUSED);
  g_assert_cmpint (g_settings_get_int (settings, "running-pid"), ==, getpid ());
  wait.window = window;
  fw_test_wait_until (toast_is_shown, &wait, "a toast");
  g_test_message ("toast: %s", wait.text);
  g_assert_nonnull (strstr (wait.text, "did not close properly last time"));
  g_assert_cmpuint (fw_feed_runner_get_n_items (runner), ==, 0);

  g_assert_true (fw_test_ui_press_button (window, "Resume All"));
  fw_test_wait_until (runner_is_live, runner, "the feed to resume");
  g_clear_object (&runner);
  g_free (wait.text);
  fw_test_ui_close_window (window);
  g_assert_cmpint (g_settings_get_int (settings, "running-pid"), ==, 0);

  /* Closed properly: the next launch runs them */
  window = fw_test_ui_open_window ();
  runner = g_list_model_get_item (fw_window_get_feeds (window), 0);
  g_assert_false (fw_feed_runner_get_paused (runner));
  fw_test_ui_close_window (window);
}

/* A cell's level class replaces the one before it (a recycled row shows another level). */
static void
test_cell_state_class (void)
{
  GtkWidget *cell = g_object_ref_sink (fw_cell_text_new ());

  fw_cell_text_set_state_class (FW_CELL_TEXT (cell), "fw-level-info");
  g_assert_true (gtk_widget_has_css_class (cell, "fw-level-info"));
  fw_cell_text_set_state_class (FW_CELL_TEXT (cell), "fw-level-error");
  g_assert_true (gtk_widget_has_css_class (cell, "fw-level-error"));
  g_assert_false (gtk_widget_has_css_class (cell, "fw-level-info"));
  fw_cell_text_set_state_class (FW_CELL_TEXT (cell), NULL);
  g_assert_false (gtk_widget_has_css_class (cell, "fw-level-error"));
  g_object_unref (cell);
}

/* ---------------------------------------------------------------------------------------- */
/* Export View writes the rows the view shows, with its feed and search */

static gboolean
toast_starts_with (gpointer user_data)
{
  ToastWait *wait = user_data;
  g_autofree char *text = fw_test_ui_get_toast_text (wait->window);

  return text != NULL && g_str_has_prefix (text, wait->text);
}

static void
export_and_wait (FwWindow   *window,
                 const char *path,
                 const char *toast)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  ToastWait wait = { window, (char *) toast };

  fw_window_export_view (window, file);
  fw_test_wait_until (toast_starts_with, &wait, toast);
}

static gboolean
shows_eight_rows (gpointer user_data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (user_data)) == 8;
}

/* Export with rows selected: only those, in the list's order, as Copy as JSON writes them (the
 * --print format), or as CSV */
static void
test_export_selection (void)
{
  g_autofree char *dir = g_dir_make_tmp ("fw-export-XXXXXX", NULL);
  g_autofree char *jsonl_path = g_build_filename (dir, "picked.jsonl", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "picked.csv", NULL);
  g_autofree char *jsonl = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *expected = NULL;
  g_auto(GStrv) records = NULL;
  FwItemView *view;
  GtkSelectionModel *selection;
  FwWindow *window;

  reset_settings (100000);
  window = fw_test_ui_open_window ();
  fw_test_ui_add_items (window, "test:log", make_log_lines ("test:log"));
  fw_test_ui_add_items (window, "test:more", fw_test_make_lines ("test:more", 4));
  view = FW_ITEM_VIEW (fw_test_ui_find_widget (GTK_WIDGET (window), FW_TYPE_ITEM_VIEW));
  selection = fw_item_view_get_selection (view);

  /* Shown: what comes slowly is published with the window's second tick */
  fw_test_wait_until (shows_eight_rows, selection, "the seven items to be listed");
  /* Rows 2 and 5 of the merged view (row 0 is the head row), picked with Ctrl */
  g_assert_true (gtk_selection_model_select_item (selection, 2, TRUE));
  g_assert_true (gtk_selection_model_select_item (selection, 5, FALSE));
  fw_test_ui_settle (window);
  expected = fw_item_view_get_selected_text (view, TRUE);
  g_assert_cmpuint (g_strv_length (records = g_strsplit (expected, "\n", -1)), ==, 2);
  g_clear_pointer (&records, g_strfreev);

  {
    g_autoptr(GFile) file = g_file_new_for_path (jsonl_path);
    ToastWait wait = { window, (char *) "Exported 2 items to “picked.jsonl”" };

    fw_window_export_selection (window, file);
    fw_test_wait_until (toast_starts_with, &wait, wait.text);
  }
  g_assert_true (g_file_get_contents (jsonl_path, &jsonl, NULL, NULL));
  g_assert_true (g_str_has_suffix (jsonl, "\n"));
  jsonl[strlen (jsonl) - 1] = '\0';
  g_assert_cmpstr (jsonl, ==, expected);

  {
    g_autoptr(GFile) file = g_file_new_for_path (csv_path);
    ToastWait wait = { window, (char *) "Exported 2 items to “picked.csv”" };

    fw_window_export_selection (window, file);
    fw_test_wait_until (toast_starts_with, &wait, wait.text);
  }
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  records = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (records), ==, 4);
  g_assert_true (g_str_has_prefix (records[0], "time,source_time,feed,"));
  g_assert_true (g_str_has_suffix (records[1], ",backup late,"));
  g_assert_nonnull (strstr (records[2], ",test:more,"));

  fw_test_ui_close_window (window);
  g_remove (jsonl_path);
  g_remove (csv_path);
  g_rmdir (dir);
}

static void
test_export_view (void)
{
  g_autofree char *dir = g_dir_make_tmp ("fw-export-XXXXXX", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "view.csv", NULL);
  g_autofree char *jsonl_path = g_build_filename (dir, "view.jsonl", NULL);
  g_autofree char *missing = g_build_filename (dir, "gone", "view.csv", NULL);
  g_autofree char *plot_csv_path = g_build_filename (dir, "plot.csv", NULL);
  g_autofree char *plot_png_path = g_build_filename (dir, "plot.png", NULL);
  g_autofree char *plot_csv = NULL;
  g_autofree char *plot_png = NULL;
  gsize plot_png_len = 0;
  g_autofree char *csv = NULL;
  g_autofree char *jsonl = NULL;
  g_auto(GStrv) records = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  FwWindow *window;
  guint n;

  reset_settings (100000);
  window = fw_test_ui_open_window ();
  fw_test_ui_add_items (window, "test:sensor", make_readings ("test:sensor", 300));
  fw_test_ui_add_items (window, "test:log", make_log_lines ("test:log"));
  g_assert_true (fw_test_ui_activate_sidebar_row (window, "test:log"));
  g_assert_true (fw_history_set_search (fw_window_get_history (window), "disk", FALSE, NULL));
  fw_test_ui_settle (window);
  n = assert_rows (window, "Start of history", is_disk_line);
  g_assert_cmpuint (n, ==, 2);
  rows = fw_test_ui_read_rows (window);

  /* CSV: a header, then the rows on screen in their order */
  export_and_wait (window, csv_path, "Exported 2 items to “view.csv”");
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  records = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (records), ==, 4);
  g_assert_true (g_str_has_prefix (records[0], "time,source_time,feed,"));
  for (guint i = 1; i <= n; i++)
    {
      const char * const *cells = g_ptr_array_index (rows, i);
      g_autofree char *tail = g_strconcat (",", cells[CELL_TEXT], ",", NULL);

      g_assert_nonnull (strstr (records[i], ",test:log,line,"));
      g_assert_true (g_str_has_suffix (records[i], tail));
    }
  g_assert_cmpstr (records[3], ==, "");

  /* JSON Lines: one object a row */
  export_and_wait (window, jsonl_path, "Exported 2 items to “view.jsonl”");
  g_assert_true (g_file_get_contents (jsonl_path, &jsonl, NULL, NULL));
  lines = g_strsplit (jsonl, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  for (guint i = 1; i <= n; i++)
    {
      const char * const *cells = g_ptr_array_index (rows, i);
      g_autofree char *text = g_strdup_printf ("\"text\":\"%s\"", cells[CELL_TEXT]);

      g_assert_nonnull (strstr (lines[i - 1], "\"feed\":\"test:log\""));
      g_assert_nonnull (strstr (lines[i - 1], text));
    }

  /* A folder that is not there: said in words */
  export_and_wait (window, missing, "Could not export to “view.csv”: ");

  /* A numeric feed's plot: its data and its picture */
  g_assert_true (fw_test_ui_activate_sidebar_row (window, "test:sensor"));
  fw_test_ui_settle (window);
  {
    g_autoptr(GFile) data_file = g_file_new_for_path (plot_csv_path);
    g_autoptr(GFile) image_file = g_file_new_for_path (plot_png_path);
    ToastWait data_wait = { window, (char *) "Exported the plot’s data to “plot.csv”" };
    ToastWait image_wait = { window, (char *) "Saved the plot to “plot.png”" };

    fw_window_export_plot (window, data_file, FALSE);
    fw_test_wait_until (toast_starts_with, &data_wait, data_wait.text);
    g_assert_true (g_file_get_contents (plot_csv_path, &plot_csv, NULL, NULL));
    g_assert_true (g_str_has_prefix (plot_csv, "time,series,unit,min,avg,max,count\r\n"));
    /* 300 readings of 42 at once: one row of the one second they came in */
    g_test_message ("plot data:\n%s", plot_csv);
    g_assert_nonnull (strstr (plot_csv, ",sensor,,42,42,42,300\r\n"));

    fw_window_export_plot (window, image_file, TRUE);
    fw_test_wait_until (toast_starts_with, &image_wait, image_wait.text);
    g_assert_true (g_file_get_contents (plot_png_path, &plot_png, &plot_png_len, NULL));
    g_assert_cmpuint (plot_png_len, >, 8);
    g_assert_cmpmem (plot_png, 8, "\x89PNG\r\n\x1a\n", 8);
  }

  fw_test_ui_close_window (window);
  g_unlink (csv_path);
  g_unlink (jsonl_path);
  g_unlink (plot_csv_path);
  g_unlink (plot_png_path);
  g_rmdir (dir);
}

/* ---------------------------------------------------------------------------------------- */
/* Space pauses the view even when a row of the list has the focus */

static GtkEventController *
capture_key_controller (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller) &&
          gtk_event_controller_get_propagation_phase (controller) == GTK_PHASE_CAPTURE)
        return controller;
    }
  return NULL;
}

static gboolean
view_paused (FwWindow *window)
{
  g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (window),
                                                               "pause-view");

  return g_variant_get_boolean (state);
}

static void
test_space_pauses_on_a_row (void)
{
  FwWindow *window;
  GtkEventController *keys;
  GtkWidget *row;
  gboolean handled = FALSE;

  reset_settings (100000);
  window = fw_test_ui_open_window ();
  fw_test_ui_add_items (window, "test:log", make_log_lines ("test:log"));
  g_assert_true (fw_test_ui_activate_sidebar_row (window, "test:log"));
  fw_test_ui_settle (window);

  keys = capture_key_controller (GTK_WIDGET (window));
  g_assert_nonnull (keys);
  /* the list takes the focus onto a row */
  row = gtk_scrolled_window_get_child (fw_test_ui_get_list_scroller (window));
  g_assert_true (GTK_IS_COLUMN_VIEW (row));
  g_assert_true (gtk_widget_grab_focus (row));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), row));
  g_assert_false (view_paused (window));

  /* Not paused: no banner and its Resume button */
  g_assert_false (fw_test_ui_press_button (window, "Resume"));
  g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_space, 0, (GdkModifierType) 0, &handled);
  g_assert_true (handled);
  g_assert_true (view_paused (window));
  g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_space, 0, (GdkModifierType) 0, &handled);
  g_assert_false (view_paused (window));

  /* Paused looks unlike scrolled up: a banner, whose Resume follows again */
  g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_space, 0, (GdkModifierType) 0, &handled);
  fw_test_ui_settle (window);
  g_assert_true (fw_test_ui_press_button (window, "Resume"));
  g_assert_false (view_paused (window));
  fw_test_ui_settle (window);
  g_assert_true (gtk_widget_grab_focus (row));

  /* Ctrl+F opens the search, and from its entry closes it */
  {
    GtkWidget *view = gtk_widget_get_ancestor (row, FW_TYPE_ITEM_VIEW);
    gboolean searching = FALSE;

    gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL);
    g_object_get (view, "search-mode", &searching, NULL);
    g_assert_true (searching);
    g_assert_nonnull (gtk_widget_get_ancestor (gtk_root_get_focus (GTK_ROOT (window)),
                                               GTK_TYPE_SEARCH_ENTRY));
    gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL);
    g_object_get (view, "search-mode", &searching, NULL);
    g_assert_false (searching);
    g_assert_true (gtk_widget_grab_focus (row));
  }

  /* Ctrl+Space stays the list's (it selects) */
  handled = TRUE;
  g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_space, 0, GDK_CONTROL_MASK, &handled);
  g_assert_false (handled);
  g_assert_false (view_paused (window));

  fw_test_ui_close_window (window);
}

/* ---------------------------------------------------------------------------------------- */
/* The sidebar's filter shows the feeds whose title or text holds what is typed */

static GtkWidget *
find_search_entry (GtkWidget  *widget,
                   const char *placeholder)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;
      g_autofree char *text = NULL;

      if (GTK_IS_SEARCH_ENTRY (child))
        {
          g_object_get (child, "placeholder-text", &text, NULL);
          if (g_strcmp0 (text, placeholder) == 0)
            return child;
        }
      if ((found = find_search_entry (child, placeholder)) != NULL)
        return found;
    }
  return NULL;
}

static void
filter_sidebar (FwWindow   *window,
                GtkWidget  *entry,
                const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  /* what the entry sends once typing pauses */
  g_signal_emit_by_name (entry, "search-changed");
  fw_test_ui_settle (window);
}

static void
test_sidebar_filter (void)
{
  FwWindow *window;
  GtkWidget *entry;

  reset_settings (100000);
  window = fw_test_ui_open_window ();
  fw_test_ui_add_items (window, "test:sensor", make_readings ("test:sensor", 10));
  fw_test_ui_add_items (window, "test:log", make_log_lines ("test:log"));
  fw_test_ui_add_items (window, "test:Backup-LOG", make_log_lines ("test:Backup-LOG"));
  entry = find_search_entry (GTK_WIDGET (window), "Filter Feeds");
  g_assert_nonnull (entry);

  /* any case, anywhere in the text */
  filter_sidebar (window, entry, "log");
  g_assert_false (fw_test_ui_activate_sidebar_row (window, "test:sensor"));
  g_assert_true (fw_test_ui_activate_sidebar_row (window, "test:Backup-LOG"));
  fw_test_ui_settle (window);
  g_assert_true (fw_test_ui_activate_sidebar_row (window, "test:log"));

  filter_sidebar (window, entry, "nothing like it");
  g_assert_false (fw_test_ui_activate_sidebar_row (window, "test:log"));

  /* a feed shown from elsewhere (a toast's Show) clears the filter to show its row */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-feed", "s", "test:sensor");
  fw_test_ui_settle (window);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_true (fw_test_ui_activate_sidebar_row (window, "test:sensor"));

  fw_test_ui_close_window (window);
}

static gboolean
model_has_44_rows (gpointer user_data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (user_data)) == 44;
}

/* The rows' menu in the window: Show Only This Feed on one of a feed's rows in All Feeds
 * selects that feed in the sidebar, whose view shows only its rows; Ctrl+A there and Copy
 * put exactly those rows on the clipboard. */
static void
test_context_menu_shows_feed (void)
{
  FwWindow *window;
  FwItemView *view;
  GtkSelectionModel *selection;
  GtkWidget *list_view;
  GdkClipboard *clipboard;
  g_autofree char *copied = NULL;
  guint position = GTK_INVALID_LIST_POSITION;
  guint n;

  reset_settings (100000);
  window = fw_test_ui_open_window ();
  fw_test_ui_add_items (window, "test:sensor", make_readings ("test:sensor", 20));
  fw_test_ui_add_items (window, "test:log", make_log_lines ("test:log"));
  fw_test_ui_add_items (window, "test:sensor-more", make_readings ("test:sensor-more", 20));
  view = FW_ITEM_VIEW (fw_test_ui_find_widget (GTK_WIDGET (window), FW_TYPE_ITEM_VIEW));
  selection = fw_item_view_get_selection (view);
  /* Items that come slowly are shown with the window's next second: the head row and 43 */
  fw_test_wait_until (model_has_44_rows, selection, "the 43 items shown");
  for (guint i = 1; i < g_list_model_get_n_items (G_LIST_MODEL (selection)); i++)
    {
      g_autoptr(FwItemObject) object = g_list_model_get_item (G_LIST_MODEL (selection), i);

      if (g_strcmp0 (fw_item_object_get_feed (object), "test:log") == 0)
        {
          position = i;
          break;
        }
    }
  g_assert_cmpuint (position, !=, GTK_INVALID_LIST_POSITION);

  gtk_selection_model_select_item (selection, position, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "item-view.show-only-feed",
                                             NULL));
  fw_test_ui_settle (window);
  n = assert_rows (window, "Start of history", is_log_line);
  g_assert_cmpuint (n, ==, 3);

  list_view = fw_test_ui_find_widget (GTK_WIDGET (fw_item_view_get_scroller (view)), GTK_TYPE_LIST_VIEW);
  g_assert_nonnull (list_view);
  g_assert_true (gtk_widget_activate_action (list_view, "list.select-all", NULL));
  clipboard = gtk_widget_get_clipboard (GTK_WIDGET (view));
  gdk_clipboard_set_text (clipboard, "(before)");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "item-view.copy", NULL));
  copied = fw_test_ui_read_clipboard (GTK_WIDGET (view));
  g_assert_cmpstr (copied, ==, "disk almost full\nbackup late\ndisk full");

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

  g_test_add_func ("/window-rows/feed-view-shows-its-rows", test_feed_view_shows_its_rows);
  g_test_add_func ("/window-rows/quiet-view-shows-its-rows", test_quiet_view_shows_its_rows);
  g_test_add_func ("/window-rows/missing-command-says-why", test_missing_command_says_why);
  g_test_add_func ("/window-rows/refused-connection-says-why", test_refused_connection_says_why);
  g_test_add_func ("/window-rows/http-error-says-why", test_http_error_says_why);
  g_test_add_func ("/window-rows/unopenable-saved-feed-kept", test_unopenable_saved_feed_kept);
  g_test_add_func ("/window-rows/unclean-exit-starts-paused", test_unclean_exit_starts_paused);
  g_test_add_func ("/window-rows/cell-state-class", test_cell_state_class);
  g_test_add_func ("/window-rows/context-menu-shows-feed", test_context_menu_shows_feed);
  g_test_add_func ("/window-rows/export-view", test_export_view);
  g_test_add_func ("/window-rows/export-selection", test_export_selection);
  g_test_add_func ("/window-rows/sidebar-filter", test_sidebar_filter);
  g_test_add_func ("/window-rows/space-pauses-on-a-row", test_space_pauses_on_a_row);

  status = g_test_run ();
  g_object_unref (settings);

  return status;
}
