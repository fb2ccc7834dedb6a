/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-alerts-view.c: alerts as the window shows them, driven through the application as a
 * user's feeds drive it: the Alerts view in the sidebar (empty at first, then the active alert
 * with its rule's name, acknowledged, cleared into the history, bounded), the badge on the
 * feed's row, and the highlight on the row of the item that fired. Read from the widgets on
 * screen. */

#include "config.h"

#include <string.h>

#include "fw-alert-log.h"
#include "fw-application.h"
#include "fw-cell-text.h"
#include "fw-feed-row.h"
#include "fw-test-notifications.h"
#include "fw-test-ui.h"
#include "fw-test-util.h"
#include "fw-window-private.h"

static void
collect_texts (GtkWidget *widget,
               GString   *out)
{
  if (!gtk_widget_get_mapped (widget) || GTK_IS_BUTTON (widget))
    return;
  if (GTK_IS_LABEL (widget))
    {
      const char *text = gtk_label_get_text (GTK_LABEL (widget));

      if (text[0] != '\0')
        g_string_append_printf (out, "%s%s", out->len > 0 ? " | " : "", text);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_texts (child, out);
}

/* The rows of one of the view's lists as a person reads them: each row's labels on screen,
 * " | " between them, one row a line; or its placeholder */
static char *
read_list (GtkListBox *list)
{
  GString *out = g_string_new (NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      g_autoptr(GString) text = g_string_new (NULL);

      if (!gtk_widget_get_mapped (row))
        continue;
      collect_texts (row, text);
      g_string_append_printf (out, "%s\n", text->str);
    }
  return g_string_free (out, FALSE);
}

static GtkListBox *
list_of (FwWindow   *window,
         const char *name)
{
  GtkWidget *view = GTK_WIDGET (window->alerts_view);
  g_autoptr(GPtrArray) lists = g_ptr_array_new ();
  GtkWidget *found;

  /* The view's lists in order: active, acknowledged, history */
  found = fw_test_ui_find_widget (view, GTK_TYPE_LIST_BOX);
  g_assert_nonnull (found);
  for (GtkWidget *w = found; w != NULL; w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_LIST_BOX (w))
      g_ptr_array_add (lists, w);
  g_assert_cmpuint (lists->len, ==, 3);
  if (g_str_equal (name, "active"))
    return g_ptr_array_index (lists, 0);
  if (g_str_equal (name, "acknowledged"))
    return g_ptr_array_index (lists, 1);
  return g_ptr_array_index (lists, 2);
}

static gboolean
button_shown (GtkWidget  *widget,
              const char *label)
{
  if (!gtk_widget_get_mapped (widget))
    return FALSE;
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (button_shown (child, label))
      return TRUE;
  return FALSE;
}

static FwFeedRow *
feed_row (FwWindow   *window,
          const char *feed)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GtkWidget *list = GTK_WIDGET (window->feed_list);

  for (GtkWidget *child = gtk_widget_get_first_child (list);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = fw_test_ui_find_widget (child, FW_TYPE_FEED_ROW);

      if (row != NULL && gtk_widget_get_mapped (row) &&
          fw_feed_row_get_runner (FW_FEED_ROW (row)) != NULL &&
          g_strcmp0 (fw_feed_runner_get_spec (fw_feed_row_get_runner (FW_FEED_ROW (row))),
                     feed) == 0)
        return FW_FEED_ROW (row);
    }
  g_assert_not_reached ();
}

/* The alert badge of @feed's row as shown: its text, or NULL while hidden */
static const char *
alert_badge (FwWindow   *window,
             const char *feed,
             char      **tooltip)
{
  GtkWidget *badge = fw_test_ui_find_with_css_class (GTK_WIDGET (feed_row (window, feed)),
                                                     "fw-badge-alert");
  GtkWidget *count;

  g_assert_nonnull (badge);
  count = fw_test_ui_find_widget (badge, GTK_TYPE_LABEL);
  g_assert_nonnull (count);
  if (tooltip != NULL)
    *tooltip = gtk_widget_get_tooltip_text (badge) != NULL
      ? g_strdup (gtk_widget_get_tooltip_text (badge)) : NULL;
  return gtk_widget_get_mapped (count) ? gtk_label_get_text (GTK_LABEL (count)) : NULL;
}

static GtkWidget *
find_cell (GtkWidget  *widget,
           const char *text)
{
  if (FW_IS_CELL_TEXT (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (fw_cell_text_get_text (FW_CELL_TEXT (widget)), text) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_cell (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Whether the list's row showing @text stands out as an alert's */
static gboolean
row_highlighted (FwWindow   *window,
                 const char *text)
{
  GtkWidget *cell = find_cell (GTK_WIDGET (window->item_view), text);
  GtkWidget *row;

  g_assert_nonnull (cell);
  row = gtk_widget_get_parent (cell);
  while (row != NULL && g_strcmp0 (gtk_widget_get_css_name (row), "row") != 0)
    row = gtk_widget_get_parent (row);
  g_assert_nonnull (row);
  return gtk_widget_has_css_class (row, "fw-alert");
}

/* With FW_SCREENSHOT_DIR set, the window as drawn now goes to @name there (PNG): how
 * data/screenshots/alerts.png is made */
static void
save_screenshot (FwWindow   *window,
                 const char *name)
{
  const char *dir = g_getenv ("FW_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width = gtk_widget_get_width (GTK_WIDGET (window));
  int height = gtk_widget_get_height (GTK_WIDGET (window));

  if (dir == NULL)
    return;
  paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static GPtrArray *
lines (const char *feed,
       ...)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  GRefString *ref = fw_ref_string_intern (feed);
  va_list args;
  const char *text;

  va_start (args, feed);
  while ((text = va_arg (args, const char *)) != NULL)
    {
      FwItem *item = fw_item_new (FW_ITEM_LINE, ref, g_get_real_time (), text, -1);

      fw_item_set_level (item, g_str_has_prefix (text, "ERROR") ? FW_LEVEL_ERROR
                                                                : FW_LEVEL_INFO);
      g_ptr_array_add (items, item);
    }
  va_end (args);
  g_ref_string_release (ref);

  return items;
}

static FwItem *
disk_reading (double value)
{
  GRefString *ref = fw_ref_string_intern ("disk");
  FwItem *item = fw_item_new_reading (ref, g_get_real_time (), "temp", value, "°C");

  g_ref_string_release (ref);
  return item;
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” not in:\n%s", needle, haystack);
}

static void
test_alerts_view (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(FwApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) disk = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;
  const char *rules[] = {
    "name=\"App errors\" app.log: level>=error",
    "name=\"Hot disk\" disk: temp > 90 clear < 80",
    NULL
  };
  /* The desktop's notification server, which the application tells of each alert: here it
   * only takes them (test-alert-notify reads them) */
  g_autoptr(FwTestNotifications) server = fw_test_notifications_new ();
  FwWindow *window;
  GtkWidget *status;
  FwItem *cool;

  g_settings_set_strv (settings, "alert-rules", rules);
  app = fw_application_new (G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  window = fw_window_new (GTK_APPLICATION (app));
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  gtk_window_present (GTK_WINDOW (window));
  fw_test_ui_settle (window);

  /* Nothing fired yet: the view says so, and how to get alerts */
  g_assert_true (fw_test_ui_activate_sidebar_row (window, "Alerts"));
  fw_test_ui_settle (window);
  status = fw_test_ui_find_widget (GTK_WIDGET (window->alerts_view), ADW_TYPE_STATUS_PAGE);
  g_assert_true (gtk_widget_get_mapped (status));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (status)), ==, "No Alerts");
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (status)),
                            "Alert when"));
  save_screenshot (window, "alerts-empty.png");

  /* An error in the app's log fires the rule */
  fw_test_ui_add_items (window, "app.log",
                        lines ("app.log", "all fine", "ERROR disk full", "ERROR still full",
                               NULL));
  g_assert_true (fw_test_ui_activate_sidebar_row (window, "Alerts"));
  fw_test_ui_settle (window);
  g_assert_false (gtk_widget_get_mapped (status));
  text = read_list (list_of (window, "active"));
  assert_contains (text, "App errors | app.log · since ");
  assert_contains (text, " · ERROR disk full\n");
  g_assert_null (strstr (text, "still full"));
  g_clear_pointer (&text, g_free);
  text = read_list (list_of (window, "history"));
  assert_contains (text, "App errors | app.log · fired at ");
  g_clear_pointer (&text, g_free);

  /* The feed's row counts it, in words for the tooltip and a screen reader */
  g_assert_cmpstr (alert_badge (window, "app.log", &tooltip), ==, "1");
  g_assert_cmpstr (tooltip, ==, "1 active alert");
  g_clear_pointer (&tooltip, g_free);

  /* The item that fired it stands out in the list, the others do not */
  g_assert_true (fw_test_ui_activate_sidebar_row (window, "app.log"));
  fw_test_ui_settle (window);
  g_assert_true (row_highlighted (window, "ERROR disk full"));
  save_screenshot (window, "alerts-highlight.png");
  g_assert_false (row_highlighted (window, "ERROR still full"));
  g_assert_false (row_highlighted (window, "all fine"));

  /* Acknowledged: moved, and no longer counted on the feed's row */
  g_assert_true (fw_test_ui_activate_sidebar_row (window, "Alerts"));
  fw_test_ui_settle (window);
  g_assert_true (fw_test_ui_press_button (window, "Acknowledge"));
  fw_test_ui_settle (window);
  text = read_list (list_of (window, "active"));
  g_assert_cmpstr (text, ==, "No alert is active now\n");
  g_clear_pointer (&text, g_free);
  text = read_list (list_of (window, "acknowledged"));
  assert_contains (text, "App errors | app.log · since ");
  g_clear_pointer (&text, g_free);
  g_assert_false (button_shown (GTK_WIDGET (window->alerts_view), "Acknowledge"));
  g_assert_null (alert_badge (window, "app.log", NULL));

  /* A disk too hot: active with its value, badge on its row */
  g_ptr_array_add (disk, disk_reading (95));
  fw_test_ui_add_items (window, "disk", g_steal_pointer (&disk));
  g_assert_true (fw_test_ui_activate_sidebar_row (window, "Alerts"));
  fw_test_ui_settle (window);
  text = read_list (list_of (window, "active"));
  assert_contains (text, "Hot disk | disk · since ");
  assert_contains (text, " · temp = 95 °C\n");
  g_clear_pointer (&text, g_free);
  g_assert_cmpstr (alert_badge (window, "disk", NULL), ==, "1");
  save_screenshot (window, "alerts.png");

  /* It cools down: cleared, the history says when, the badge goes */
  cool = disk_reading (70);
  fw_application_watch_items (app, &cool, 1);
  fw_item_unref (cool);
  fw_test_ui_settle (window);
  text = read_list (list_of (window, "active"));
  g_assert_cmpstr (text, ==, "No alert is active now\n");
  g_clear_pointer (&text, g_free);
  text = read_list (list_of (window, "history"));
  g_assert_true (g_str_has_prefix (text, "Hot disk | disk · cleared at "));
  assert_contains (text, " · temp = 70 °C\nHot disk | disk · fired at ");
  assert_contains (text, "\nApp errors | app.log · fired at ");
  g_clear_pointer (&text, g_free);
  g_assert_null (alert_badge (window, "disk", NULL));

  /* A row opens its feed, as a click on it does */
  {
    GtkListBox *history = list_of (window, "history");
    GtkListBoxRow *last = gtk_list_box_get_row_at_index (history, 2);
    FwFeedRunner *shown;

    /* The Alerts row is selected, no feed is */
    g_assert_null (gtk_single_selection_get_selected_item (window->feed_selection));
    g_assert_nonnull (last);
    g_assert_true (gtk_widget_activate (GTK_WIDGET (last)));
    fw_test_ui_settle (window);
    shown = gtk_single_selection_get_selected_item (window->feed_selection);
    g_assert_true (FW_IS_FEED_RUNNER (shown));
    g_assert_cmpstr (fw_feed_runner_get_spec (shown), ==, "app.log");
    /* and in it, the line that fired */
    {
      g_autoptr(GPtrArray) selected = fw_item_view_dup_selected_items (window->item_view);
      FwItem *fired;

      g_assert_cmpuint (selected->len, ==, 1);
      fired = g_ptr_array_index (selected, 0);
      g_assert_cmpint (fired->level, ==, FW_LEVEL_ERROR);
      g_assert_cmpstr (fired->feed, ==, "app.log");
    }
    g_assert_true (fw_test_ui_activate_sidebar_row (window, "Alerts"));
    fw_test_ui_settle (window);
  }

  /* Bounded: what is dropped is counted, and said */
  fw_alert_log_set_max_history (fw_alert_log_get_default (), 2);
  fw_test_ui_settle (window);
  text = read_list (list_of (window, "history"));
  g_assert_null (strstr (text, "App errors"));
  g_clear_pointer (&text, g_free);
  g_assert_cmpuint (fw_alert_log_get_n_dropped (fw_alert_log_get_default ()), ==, 1);
  {
    g_autoptr(GString) shown = g_string_new (NULL);

    collect_texts (GTK_WIDGET (window->alerts_view), shown);
    assert_contains (shown->str, "1 older entry dropped · the history keeps the last 2");
  }

  fw_test_ui_close_window (window);
  g_settings_reset (settings, "alert-rules");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *state = g_dir_make_tmp ("test-alerts-view-XXXXXX", &error);
  int status;

  /* The alert history of this test's own, empty at first */
  g_assert_no_error (error);
  g_setenv ("XDG_STATE_HOME", state, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/alerts-view/alerts-view", test_alerts_view);

  status = g_test_run ();
  fw_test_remove_tree (state);
  return status;
}
