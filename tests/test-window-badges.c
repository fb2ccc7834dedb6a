/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-window-badges.c: the ERROR/WARN badges of a log feed's sidebar row count each line
 * once: not again when a relaunch (a second window on the same settings) or the feed's
 * Restart shows the log's last lines again; lines written in between count. Runs under Xvfb. */

#include "config.h"

#include <stdio.h>

#include <glib/gstdio.h>

#include "fw-feed-row.h"
#include "fw-test-ui.h"
#include "fw-test-util.h"
#include "fw-window.h"

/* The memory backend is one per process: every window here sees what the last one saved, as a
 * relaunch sees the user's settings. */
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
  const char *no_names[] = { NULL };
  const char *feeds[] = { NULL, NULL };

  fixture->dir = g_dir_make_tmp ("fw-badges-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "app.log", NULL);
  feeds[0] = fixture->path;

  g_settings_set_strv (settings, "feeds", feeds);
  g_settings_set_strv (settings, "feed-names", no_names);
  g_settings_set_boolean (settings, "first-run", FALSE);
  g_settings_reset (settings, "feed-marks");
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  fw_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static void
append (const char *path,
        const char *text)
{
  FILE *f = fopen (path, "a");

  g_assert_nonnull (f);
  g_assert_cmpint (fputs (text, f), >=, 0);
  g_assert_cmpint (fclose (f), ==, 0);
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
        return runner; /* the window keeps it */
    }
  g_error ("the window does not watch %s", spec);
}

typedef struct
{
  FwFeedRunner *runner;
  guint64       n_items;
} ItemsWait;

static gboolean
has_n_items (gpointer user_data)
{
  ItemsWait *wait = user_data;

  return fw_feed_runner_get_n_items (wait->runner) >= wait->n_items;
}

/* Waits until the feed delivered @n_lines lines in all (the list shows them), then lets the
 * window draw: no badge is read while lines are still on their way. */
static void
wait_for_lines (FwWindow   *window,
                const char *spec,
                guint64     n_lines)
{
  ItemsWait wait = { runner_of (window, spec), n_lines };

  fw_test_wait_until (has_n_items, &wait, "the log's lines");
  fw_test_iterate_idle ();
  fw_test_ui_settle (window);
  g_assert_cmpuint (fw_feed_runner_get_n_items (wait.runner), ==, n_lines);
}

static GtkWidget *
find_feed_row (GtkWidget  *widget,
               const char *spec)
{
  if (FW_IS_FEED_ROW (widget) &&
      g_str_equal (fw_feed_runner_get_spec (fw_feed_row_get_runner (FW_FEED_ROW (widget))), spec))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_feed_row (child, spec);
      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The badge as the user reads it on the feed's sidebar row: its text, or "" when not shown. */
static const char *
badge (FwWindow   *window,
       const char *spec,
       const char *css_class)
{
  GtkWidget *row = find_feed_row (GTK_WIDGET (window), spec);
  GtkWidget *label;

  g_assert_nonnull (row);
  label = fw_test_ui_find_with_css_class (row, css_class);
  g_assert_true (GTK_IS_LABEL (label));

  return gtk_widget_is_visible (label) ? gtk_label_get_text (GTK_LABEL (label)) : "";
}

static void
assert_badges (FwWindow   *window,
               const char *spec,
               const char *errors,
               const char *warnings)
{
  g_assert_cmpstr (badge (window, spec, "fw-badge-error"), ==, errors);
  g_assert_cmpstr (badge (window, spec, "fw-badge-warning"), ==, warnings);
}

static void
restart_feed (FwWindow   *window,
              const char *spec)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.restart-feed", "s",
                                             spec));
}

/* The user's report: each launch counted the log's last lines again. Counts start at zero at
 * each launch; a line is counted in the session that first read it, and only there. */
static void
test_relaunch_counts_once (Fixture       *fixture,
                           gconstpointer  data)
{
  FwWindow *window;

  append (fixture->path, "INFO starting\nERROR disk full\nWARN slow request\nERROR disk full\n");
  window = fw_test_ui_open_window ();
  wait_for_lines (window, fixture->path, 4);
  assert_badges (window, fixture->path, "2", "1");

  /* Restart shows the last lines again; they are not counted again */
  restart_feed (window, fixture->path);
  wait_for_lines (window, fixture->path, 8);
  assert_badges (window, fixture->path, "2", "1");
  fw_test_ui_close_window (window);

  /* Written while Feedwatch was closed: it happened, it counts */
  append (fixture->path, "ERROR out of memory\n");
  window = fw_test_ui_open_window ();
  wait_for_lines (window, fixture->path, 5);
  assert_badges (window, fixture->path, "1", "");

  restart_feed (window, fixture->path);
  wait_for_lines (window, fixture->path, 10);
  assert_badges (window, fixture->path, "1", "");

  append (fixture->path, "ERROR again\nWARN still slow\n");
  wait_for_lines (window, fixture->path, 12);
  assert_badges (window, fixture->path, "2", "1");
  fw_test_ui_close_window (window);

  /* Nothing new: nothing to count */
  window = fw_test_ui_open_window ();
  wait_for_lines (window, fixture->path, 7);
  assert_badges (window, fixture->path, "", "");
  fw_test_ui_close_window (window);
}

/* Replaced while Feedwatch was closed (rotated): the new file's lines are all new. */
static void
test_rotated_while_closed (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *old = g_strconcat (fixture->path, ".1", NULL);
  FwWindow *window;

  append (fixture->path, "ERROR one\nERROR two\n");
  window = fw_test_ui_open_window ();
  wait_for_lines (window, fixture->path, 2);
  assert_badges (window, fixture->path, "2", "");
  fw_test_ui_close_window (window);

  g_assert_cmpint (g_rename (fixture->path, old), ==, 0);
  append (fixture->path, "ERROR one\nERROR two\nWARN three\n");
  window = fw_test_ui_open_window ();
  wait_for_lines (window, fixture->path, 3);
  assert_badges (window, fixture->path, "2", "1");
  fw_test_ui_close_window (window);
}

/* A saved mark this version cannot use (damaged, or from another version) is ignored. */
static void
test_unusable_mark_ignored (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GVariantBuilder) builder = g_variant_builder_new (G_VARIANT_TYPE ("a{ss}"));
  g_autoptr(GVariant) saved = NULL;
  const char *mark = NULL;
  FwWindow *window;

  append (fixture->path, "ERROR one\nWARN two\n");
  g_variant_builder_add (builder, "{ss}", fixture->path, "7:not a mark");
  g_settings_set_value (settings, "feed-marks", g_variant_builder_end (builder));

  window = fw_test_ui_open_window ();
  wait_for_lines (window, fixture->path, 2);
  assert_badges (window, fixture->path, "1", "1");
  fw_test_ui_close_window (window);

  saved = g_settings_get_value (settings, "feed-marks");
  g_assert_true (g_variant_lookup (saved, fixture->path, "&s", &mark));
  g_assert_cmpstr (mark, !=, "7:not a mark");

  /* and the mark saved instead works */
  window = fw_test_ui_open_window ();
  wait_for_lines (window, fixture->path, 2);
  assert_badges (window, fixture->path, "", "");
  fw_test_ui_close_window (window);
}

/* A removed feed's mark goes with it: the saved marks stay as many as the feeds. */
static void
test_removed_feed_forgets_mark (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GVariant) saved = NULL;
  FwWindow *window;

  append (fixture->path, "ERROR one\n");
  window = fw_test_ui_open_window ();
  wait_for_lines (window, fixture->path, 1);
  g_assert_true (fw_window_remove_feed (window, fixture->path));
  saved = g_settings_get_value (settings, "feed-marks");
  g_assert_cmpuint (g_variant_n_children (saved), ==, 0);
  fw_test_ui_close_window (window);
  g_clear_pointer (&saved, g_variant_unref);
  saved = g_settings_get_value (settings, "feed-marks");
  g_assert_cmpuint (g_variant_n_children (saved), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  settings = g_settings_new (APP_ID);

#define ADD(name, func) g_test_add ("/window-badges/" name, Fixture, NULL, fixture_setup, func, \
                                    fixture_teardown)
  ADD ("relaunch-counts-once", test_relaunch_counts_once);
  ADD ("rotated-while-closed", test_rotated_while_closed);
  ADD ("unusable-mark-ignored", test_unusable_mark_ignored);
  ADD ("removed-feed-forgets-mark", test_removed_feed_forgets_mark);
#undef ADD

  status = g_test_run ();
  g_object_unref (settings);

  return status;
}
