/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-preferences.c: each preference changed through its control in the Preferences window,
 * and what the user then sees: the Time column's text, the style manager's colour scheme, the
 * history's cap under a flood, the machine sensors' interval; and a first launch on a machine
 * without hardware sensors, which adds no hwmon: feed. Runs under Xvfb. */

#include "config.h"

#include <time.h>

#include <glib/gstdio.h>

#include "fw-feed-store.h"
#include "fw-preferences-window.h"
#include "fw-test-ui.h"
#include "fw-test-util.h"
#include "fw-window.h"

static GSettings *settings;

/* 2026-12-06T06:44:01.250Z: 12:14:01.250 in the test's local zone, UTC+05:30 */
#define LINE_TIME_US G_GINT64_CONSTANT (1796539441250000)
#define LINE_TEXT "a line from the preferences test"

static void
reset_settings (void)
{
  const char *none[] = { NULL };

  g_settings_set_strv (settings, "feeds", none);
  g_settings_set_strv (settings, "feed-names", none);
  g_settings_set_boolean (settings, "first-run", FALSE);
  g_settings_reset (settings, "history-length");
  g_settings_reset (settings, "time-zone");
  g_settings_reset (settings, "time-show-date");
  g_settings_reset (settings, "sensors-interval");
  g_settings_reset (settings, "color-scheme");
}

static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type,
             const char *row_title)
{
  if (g_type_is_a (G_OBJECT_TYPE (widget), type))
    {
      GtkWidget *row = gtk_widget_get_ancestor (widget, ADW_TYPE_PREFERENCES_ROW);

      if (row_title == NULL ||
          (row != NULL &&
           g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), row_title) == 0))
        return widget;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, row_title);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The Preferences window over @window, presented */
static GtkWidget *
open_preferences (FwWindow *window)
{
  GtkWidget *prefs = fw_preferences_window_new (GTK_WINDOW (window));

  gtk_window_present (GTK_WINDOW (prefs));
  fw_test_iterate_idle ();

  return prefs;
}

/* The control of type @type in the row titled @row_title */
static GtkWidget *
control (GtkWidget  *prefs,
         GType       type,
         const char *row_title)
{
  GtkWidget *found = find_widget (prefs, type, row_title);

  if (found == NULL)
    g_error ("no %s in the row “%s” of the Preferences", g_type_name (type), row_title);
  /* Every control says what it is and what it does */
  g_assert_nonnull (gtk_widget_get_tooltip_text (found));

  return found;
}

static void
close_preferences (GtkWidget *prefs)
{
  gtk_window_destroy (GTK_WINDOW (prefs));
  fw_test_iterate_idle ();
}

/* The Time cell of the test's line, as the list shows it */
static char *
shown_time (FwWindow *window)
{
  g_autoptr(GPtrArray) rows = NULL;

  fw_test_ui_settle (window);
  rows = fw_test_ui_read_rows (window);
  for (guint i = 0; i < rows->len; i++)
    {
      char **cells = g_ptr_array_index (rows, i);
      guint n = g_strv_length (cells);

      if (n > 1 && g_str_equal (cells[n - 1], LINE_TEXT))
        return g_strdup (cells[0]);
    }
  g_error ("the line is not on screen:\n%s", fw_test_ui_dump_rows (rows));
}

static void
test_time_display (void)
{
  g_autoptr(GRefString) feed = fw_ref_string_intern ("test:prefs");
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  FwWindow *window;
  GtkWidget *prefs;
  g_autofree char *local = NULL;
  g_autofree char *utc = NULL;
  g_autofree char *utc_date = NULL;
  g_autofree char *local_date = NULL;

  reset_settings ();
  window = fw_test_ui_open_window ();
  g_ptr_array_add (items, fw_item_new (FW_ITEM_LINE, feed, LINE_TIME_US, LINE_TEXT, -1));
  fw_test_ui_add_items (window, "test:prefs", g_steal_pointer (&items));
  local = shown_time (window);
  g_assert_cmpstr (local, ==, "12:14:01.250");

  prefs = open_preferences (window);
  adw_combo_row_set_selected (ADW_COMBO_ROW (control (prefs, ADW_TYPE_COMBO_ROW, "Time Zone")), 1);
  g_assert_cmpint (g_settings_get_enum (settings, "time-zone"), ==, FW_TIME_ZONE_UTC);
  g_assert_cmpint (fw_time_format_get_zone (fw_time_format_get_default ()), ==, FW_TIME_ZONE_UTC);
  utc = shown_time (window);
  g_assert_cmpstr (utc, ==, "06:44:01.250Z");

  gtk_switch_set_active (GTK_SWITCH (control (prefs, GTK_TYPE_SWITCH, "Show Date")), TRUE);
  utc_date = shown_time (window);
  g_assert_cmpstr (utc_date, ==, "2026-12-06 06:44:01.250Z");

  adw_combo_row_set_selected (ADW_COMBO_ROW (control (prefs, ADW_TYPE_COMBO_ROW, "Time Zone")), 0);
  local_date = shown_time (window);
  g_assert_cmpstr (local_date, ==, "2026-12-06 12:14:01.250");
  /* saved, for the next launch */
  g_assert_true (g_settings_get_boolean (settings, "time-show-date"));
  g_assert_cmpint (g_settings_get_enum (settings, "time-zone"), ==, FW_TIME_ZONE_LOCAL);

  close_preferences (prefs);
  fw_test_ui_close_window (window);
  reset_settings ();
}

static void
test_color_scheme (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  FwWindow *window;
  GtkWidget *prefs;
  AdwComboRow *row;

  reset_settings ();
  window = fw_test_ui_open_window ();
  prefs = open_preferences (window);
  row = ADW_COMBO_ROW (control (prefs, ADW_TYPE_COMBO_ROW, "Style"));
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 0);
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_DEFAULT);

  adw_combo_row_set_selected (row, 2);
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_true (adw_style_manager_get_dark (style));

  adw_combo_row_set_selected (row, 1);
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_assert_false (adw_style_manager_get_dark (style));

  adw_combo_row_set_selected (row, 0);
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_DEFAULT);

  close_preferences (prefs);
  fw_test_ui_close_window (window);
  reset_settings ();
}

static void
test_history_length (void)
{
  g_autoptr(GPtrArray) flood = fw_test_make_lines ("test:flood", 5000);
  FwWindow *window;
  FwHistory *history;
  GtkWidget *prefs;

  reset_settings ();
  window = fw_test_ui_open_window ();
  history = fw_window_get_history (window);
  prefs = open_preferences (window);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (control (prefs, GTK_TYPE_SPIN_BUTTON,
                                                       "Items Kept per Window")), 1000);

  fw_test_ui_add_items (window, "test:flood", g_steal_pointer (&flood));
  fw_test_ui_settle (window);
  g_assert_cmpuint (fw_history_get_n_stored (history), ==, 1000);
  g_assert_cmpuint (fw_history_get_n_dropped (history), ==, 4000);
  g_assert_cmpuint (g_settings_get_uint (settings, "history-length"), ==, 1000);

  close_preferences (prefs);
  fw_test_ui_close_window (window);
  reset_settings ();
}

/* A machine feed without an interval of its own follows the preference; one with its own
 * keeps it. (test-machine-sensors checks a running feed takes a change.) */
static void
test_sensors_interval (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) following = NULL;
  g_autoptr(FwStream) own = NULL;
  FwWindow *window;
  GtkWidget *prefs;

  reset_settings ();
  window = fw_test_ui_open_window ();
  following = fw_feed_open ("cpu:", 0, &error);
  g_assert_no_error (error);
  own = fw_feed_open ("cpu:?interval=5000", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fw_machine_sensors_get_interval (FW_MACHINE_SENSORS (following)), ==, 1000);

  prefs = open_preferences (window);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (control (prefs, GTK_TYPE_SPIN_BUTTON,
                                                       "Reading Interval")), 250);
  g_assert_cmpuint (fw_machine_sensors_get_interval (FW_MACHINE_SENSORS (following)), ==, 250);
  g_assert_cmpuint (fw_machine_sensors_get_interval (FW_MACHINE_SENSORS (own)), ==, 5000);
  g_assert_cmpuint (g_settings_get_uint (settings, "sensors-interval"), ==, 250);

  g_assert_true (fw_test_close (following, NULL));
  g_assert_true (fw_test_close (own, NULL));
  close_preferences (prefs);
  fw_test_ui_close_window (window);
  reset_settings ();
}

static gboolean
not_looking_for_sensors (gpointer user_data)
{
  return !fw_window_get_looking_for_sensors (user_data);
}

static guint
count_feed (FwWindow   *window,
            const char *spec)
{
  GListModel *feeds = fw_window_get_feeds (window);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (feeds); i++)
    {
      g_autoptr(FwFeedRunner) runner = g_list_model_get_item (feeds, i);

      n += g_str_equal (fw_feed_runner_get_spec (runner), spec);
    }
  return n;
}

/* Removed default feeds come back from Preferences, each once, the hardware sensors' only
 * where the machine has some */
static void
test_add_default_feeds (void)
{
  g_autoptr(GError) error = NULL;
  gboolean has_sensors = fw_machine_sensors_find (NULL, FW_SENSORS_HWMON);
  g_auto(GStrv) saved = NULL;
  FwWindow *window;
  GtkWidget *prefs;
  GtkWidget *button;

  reset_settings ();
  window = fw_test_ui_open_window ();
  g_assert_nonnull (fw_window_add_feed (window, "cpu:", &error));
  g_assert_no_error (error);
  prefs = open_preferences (window);
  button = control (prefs, GTK_TYPE_BUTTON, "Default Feeds");

  g_signal_emit_by_name (button, "clicked");
  fw_test_wait_until (not_looking_for_sensors, window, "the look for hardware sensors");
  g_assert_cmpuint (count_feed (window, "cpu:"), ==, 1);
  g_assert_cmpuint (count_feed (window, "mem:"), ==, 1);
  g_assert_cmpuint (count_feed (window, "sim:sensor"), ==, 1);
  g_assert_cmpuint (count_feed (window, "hwmon:"), ==, has_sensors ? 1 : 0);
  saved = g_settings_get_strv (settings, "feeds");
  g_assert_true (g_strv_contains ((const char * const *) saved, "mem:"));
  g_assert_true (g_strv_contains ((const char * const *) saved, "sim:sensor"));

  /* Again: nothing more, and it says so */
  g_signal_emit_by_name (button, "clicked");
  fw_test_wait_until (not_looking_for_sensors, window, "the look for hardware sensors");
  g_assert_cmpuint (g_list_model_get_n_items (fw_window_get_feeds (window)), ==,
                    has_sensors ? 4 : 3);

  close_preferences (prefs);
  fw_test_ui_close_window (window);
  reset_settings ();
}

static void
watch_nothing (FwFeedRunner *runner,
               gpointer      user_data)
{
}

/* The feeds a first launch opens with @root as the machine's / */
static GStrv
first_launch_feeds (const char *root)
{
  g_autoptr(GStrvBuilder) specs = g_strv_builder_new ();
  g_autoptr(FwFeedList) feeds = fw_feed_list_new ();
  g_autoptr(FwFeedStore) store = fw_feed_store_new (settings, feeds);
  GObject *owner = g_object_new (G_TYPE_OBJECT, NULL);
  gint64 deadline = g_get_monotonic_time () + FW_TEST_DEADLINE_MS * G_TIME_SPAN_MILLISECOND;

  reset_settings ();
  g_settings_set_boolean (settings, "first-run", TRUE);
  fw_feed_store_set_machine_root (store, root);
  fw_feed_store_load (store, owner, NULL, watch_nothing, NULL);
  /* hardware sensors are looked for in a worker thread: their feed comes after */
  while (fw_feed_store_get_looking_for_sensors (store))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (feeds)); i++)
    {
      g_autoptr(FwFeedRunner) runner = g_list_model_get_item (G_LIST_MODEL (feeds), i);

      g_strv_builder_add (specs, fw_feed_runner_get_spec (runner));
    }

  fw_feed_store_close (store);
  g_object_unref (owner);
  while (fw_close_registry_get_n_closing (fw_close_registry_get_default ()) > 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  reset_settings ();

  return g_strv_builder_end (specs);
}

static void
test_first_launch_without_sensors (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root = g_dir_make_tmp ("fw-no-sensors-XXXXXX", &error);
  g_autofree char *chip = NULL;
  g_autofree char *temp = NULL;
  g_auto(GStrv) without = NULL;
  g_auto(GStrv) with = NULL;
  g_auto(GStrv) with_journal = NULL;
  g_autofree char *machine_id = NULL;
  g_autofree char *journal_dir = NULL;
  g_autofree char *etc = NULL;
  g_autofree char *system_journal = NULL;

  g_assert_no_error (error);
  without = first_launch_feeds (root);
  g_assert_true (g_strv_contains ((const char * const *) without, "cpu:"));
  g_assert_true (g_strv_contains ((const char * const *) without, "sim:sensor"));
  g_assert_false (g_strv_contains ((const char * const *) without, "hwmon:"));

  /* A machine with one temperature sensor gets the feed */
  chip = g_build_filename (root, "sys", "class", "hwmon", "hwmon0", NULL);
  g_assert_cmpint (g_mkdir_with_parents (chip, 0700), ==, 0);
  temp = g_build_filename (chip, "temp1_input", NULL);
  g_file_set_contents (temp, "42000\n", -1, &error);
  g_assert_no_error (error);
  with = first_launch_feeds (root);
  g_assert_true (g_strv_contains ((const char * const *) with, "hwmon:"));
  g_assert_false (g_strv_contains ((const char * const *) with, "journal:"));

  /* A machine whose system journal this user can read gets the journal */
  machine_id = g_build_filename (root, "etc", "machine-id", NULL);
  journal_dir = g_build_filename (root, "var", "log", "journal",
                                  "0123456789abcdef0123456789abcdef", NULL);
  system_journal = g_build_filename (journal_dir, "system.journal", NULL);
  g_assert_cmpint (g_mkdir_with_parents (journal_dir, 0700), ==, 0);
  etc = g_path_get_dirname (machine_id);
  g_assert_cmpint (g_mkdir_with_parents (etc, 0700), ==, 0);
  g_file_set_contents (machine_id, "0123456789abcdef0123456789abcdef\n", -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (system_journal, "", -1, &error);
  g_assert_no_error (error);
  with_journal = first_launch_feeds (root);
  g_assert_true (g_strv_contains ((const char * const *) with_journal, "journal:"));
  g_assert_true (g_strv_contains ((const char * const *) with_journal, "hwmon:"));

  fw_test_remove_tree (root);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* A local zone that is not UTC, so local and UTC times differ */
  g_setenv ("TZ", "FWT-05:30", TRUE);
  tzset ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  settings = g_settings_new (APP_ID);
  /* as the application does at startup */
  fw_preferences_follow ();

  g_test_add_func ("/preferences/time-display", test_time_display);
  g_test_add_func ("/preferences/color-scheme", test_color_scheme);
  g_test_add_func ("/preferences/history-length", test_history_length);
  g_test_add_func ("/preferences/sensors-interval", test_sensors_interval);
  g_test_add_func ("/preferences/first-launch-without-sensors", test_first_launch_without_sensors);
  g_test_add_func ("/preferences/add-default-feeds", test_add_default_feeds);

  status = g_test_run ();
  g_object_unref (settings);

  return status;
}
