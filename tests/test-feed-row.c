/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-feed-row.c: a sidebar row's menu is built only as it opens (a menu a row, built up
 * front, made thousands of saved feeds take minutes to show), and offers what it offered
 * before: Pause or Resume (not for a stopped feed), Edit, Rename, Restart for a stopped feed,
 * Move to Group and Colour, and Remove apart, each for this feed. With many feeds the sidebar makes rows only for those on screen and around them,
 * each showing its own feed, and a row bound to another feed follows only that one. Runs
 * under Xvfb. */

#include "config.h"

#include "fw-feed-row.h"
#include "fw-sparkline.h"
#include "fw-test-ui.h"
#include "fw-test-util.h"
#include "fw-window.h"

#define SPEC "sim:sensor?interval=3600000&seed=7"

static GSettings *settings;

/* The menu's items as "label action target" lines, sections after a "--" line */
static void
describe_menu (GMenuModel *menu,
               GString    *out)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      g_autoptr(GMenuModel) submenu = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SUBMENU);
      g_autofree char *label = NULL;
      g_autofree char *action = NULL;
      g_autoptr(GVariant) target = NULL;

      if (section != NULL)
        {
          g_string_append (out, "--\n");
          describe_menu (section, out);
          continue;
        }
      g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label);
      if (submenu != NULL)
        {
          g_string_append_printf (out, "%s >\n", label);
          continue;
        }
      g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &action);
      target = g_menu_model_get_item_attribute_value (menu, i, G_MENU_ATTRIBUTE_TARGET,
                                                      G_VARIANT_TYPE_STRING);
      g_string_append_printf (out, "%s %s %s\n", label, action,
                              target != NULL ? g_variant_get_string (target, NULL) : "(none)");
    }
}

static char *
open_menu (GtkMenuButton *button)
{
  GString *out = g_string_new (NULL);
  GMenuModel *menu;

  gtk_menu_button_popup (button);
  menu = gtk_menu_button_get_menu_model (button);
  g_assert_nonnull (menu);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_menu_button_get_popover (button))));
  describe_menu (menu, out);

  return g_string_free (out, FALSE);
}

static gboolean
popover_hidden (gpointer user_data)
{
  GtkPopover *popover = gtk_menu_button_get_popover (user_data);

  return popover == NULL || !gtk_widget_get_visible (GTK_WIDGET (popover));
}

/* A port nothing listens on (the discard port, closed on test machines): refused at once */
#define DOWN "sse:http://127.0.0.1:9/events#retry=600000"

static gboolean
is_retrying (gpointer user_data)
{
  return fw_feed_runner_get_state (user_data) == FW_FEED_STATE_RETRYING;
}

/* Every feed row in the window, mapped or not */
static void
collect_feed_rows (GtkWidget *widget,
                   GPtrArray *found)
{
  if (FW_IS_FEED_ROW (widget))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_feed_rows (child, found);
}

static void
test_menu_built_on_open (void)
{
  const char *feeds[] = { SPEC, NULL };
  const char *no_names[] = { NULL };
  FwWindow *window;
  GtkWidget *row;
  GtkMenuButton *button;
  FwFeedRunner *runner;
  g_autofree char *live = NULL;
  g_autofree char *paused = NULL;
  g_autofree char *failed = NULL;

  g_settings_set_strv (settings, "feeds", feeds);
  g_settings_set_strv (settings, "feed-names", no_names);
  g_settings_set_boolean (settings, "first-run", FALSE);
  g_settings_set_int (settings, "running-pid", 0);
  window = fw_test_ui_open_window ();
  fw_test_ui_settle (window);

  row = fw_test_ui_find_widget (GTK_WIDGET (window), FW_TYPE_FEED_ROW);
  g_assert_nonnull (row);
  runner = fw_feed_row_get_runner (FW_FEED_ROW (row));
  button = GTK_MENU_BUTTON (fw_test_ui_find_widget (row, GTK_TYPE_MENU_BUTTON));
  g_assert_nonnull (button);

  /* Shown, usable, and nothing built behind it yet */
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (button)));
  g_assert_null (gtk_menu_button_get_menu_model (button));
  g_assert_null (gtk_menu_button_get_popover (button));
  /* A state change does not build it either */
  fw_feed_runner_set_paused (runner, TRUE);
  fw_feed_runner_set_paused (runner, FALSE);
  g_assert_null (gtk_menu_button_get_menu_model (button));

  live = open_menu (button);
  g_assert_cmpstr (live, ==,
                   "--\n"
                   "_Pause win.toggle-feed-paused " SPEC "\n"
                   "_Edit… win.edit-feed " SPEC "\n"
                   "Re_name… win.rename-feed " SPEC "\n"
                   "_Alert When… win.alert-when " SPEC "\n"
                   "--\n"
                   "Move to _Group >\n"
                   "_Colour >\n"
                   "--\n"
                   "_Remove win.remove-feed " SPEC "\n");

  /* Paused while open: the open menu says Resume */
  fw_feed_runner_set_paused (runner, TRUE);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_menu_button_get_popover (button))));
  {
    GString *out = g_string_new (NULL);

    describe_menu (gtk_menu_button_get_menu_model (button), out);
    paused = g_string_free (out, FALSE);
  }
  g_assert_true (g_str_has_prefix (paused, "--\n_Resume win.toggle-feed-paused " SPEC "\n"));
  gtk_menu_button_popdown (button);
  fw_test_wait_until (popover_hidden, button, "the menu to close");

  /* Failed while closed: the next opening offers Restart, and no Pause: nothing runs */
  fw_feed_runner_set_paused (runner, FALSE);
  fw_feed_runner_fail (runner, "Test failure");
  failed = open_menu (button);
  g_assert_cmpstr (failed, ==,
                   "--\n"
                   "_Edit… win.edit-feed " SPEC "\n"
                   "Re_name… win.rename-feed " SPEC "\n"
                   "_Alert When… win.alert-when " SPEC "\n"
                   "_Restart win.restart-feed " SPEC "\n"
                   "--\n"
                   "Move to _Group >\n"
                   "_Colour >\n"
                   "--\n"
                   "_Remove win.remove-feed " SPEC "\n");
  gtk_menu_button_popdown (button);
  fw_test_wait_until (popover_hidden, button, "the menu to close");

  /* A feed that waits to reconnect offers to try now */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) rows = g_ptr_array_new ();
    FwFeedRunner *down = fw_window_add_feed (window, DOWN, &error);
    GtkMenuButton *down_button = NULL;
    g_autofree char *retrying = NULL;

    g_assert_no_error (error);
    fw_test_wait_until (is_retrying, down, "the feed to wait to reconnect");
    fw_test_ui_settle (window);
    collect_feed_rows (GTK_WIDGET (window), rows);
    for (guint i = 0; i < rows->len; i++)
      {
        if (fw_feed_row_get_runner (g_ptr_array_index (rows, i)) == down)
          down_button = GTK_MENU_BUTTON (fw_test_ui_find_widget (g_ptr_array_index (rows, i),
                                                       GTK_TYPE_MENU_BUTTON));
      }
    g_assert_nonnull (down_button);
    retrying = open_menu (down_button);
    g_assert_cmpstr (retrying, ==,
                     "--\n"
                     "_Pause win.toggle-feed-paused " DOWN "\n"
                     "_Edit… win.edit-feed " DOWN "\n"
                     "Re_name… win.rename-feed " DOWN "\n"
                     "_Alert When… win.alert-when " DOWN "\n"
                     "Retry _Now win.restart-feed " DOWN "\n"
                     "--\n"
                     "Move to _Group >\n"
                     "_Colour >\n"
                     "--\n"
                     "_Remove win.remove-feed " DOWN "\n");
    gtk_menu_button_popdown (down_button);
    fw_test_wait_until (popover_hidden, down_button, "the menu to close");
  }

  fw_test_ui_close_window (window);
}

/* Each row on screen shows its own feed's name; returns how many there are, and whether one
 * shows @feed (and is selected). */
static guint
check_rows_on_screen (FwWindow     *window,
                      FwFeedRunner *feed,
                      gboolean     *shown,
                      gboolean     *selected)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  guint n_mapped = 0;
  gboolean unused;

  if (selected == NULL)
    selected = &unused;
  *shown = *selected = FALSE;
  collect_feed_rows (GTK_WIDGET (window), rows);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      FwFeedRunner *runner = fw_feed_row_get_runner (FW_FEED_ROW (row));
      GtkWidget *title = fw_test_ui_find_widget (row, GTK_TYPE_LABEL);

      if (!gtk_widget_get_mapped (row))
        continue;
      n_mapped++;
      g_assert_nonnull (runner);
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (title)), ==,
                       fw_feed_runner_get_title (runner));
      if (runner == feed)
        {
          *shown = TRUE;
          /* The list's row holding it shows the selection */
          *selected = (gtk_widget_get_state_flags (gtk_widget_get_parent (row)) &
                       GTK_STATE_FLAG_SELECTED) != 0;
        }
    }

  return n_mapped;
}

static guint
count_feed_rows (FwWindow *window)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_feed_rows (GTK_WIDGET (window), rows);
  return rows->len;
}

/* GTK 4.8's list view keeps up to 200 rows around what it shows, whatever the list's length */
#define N_MANY 600

static void
test_rows_recycled (void)
{
  g_autoptr(GStrvBuilder) feeds_builder = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) names_builder = g_strv_builder_new ();
  g_auto(GStrv) feeds = NULL;
  g_auto(GStrv) names = NULL;
  FwWindow *window;
  GListModel *runners;
  GtkWidget *row;
  GtkAdjustment *vadj;
  g_autoptr(FwFeedRunner) first = NULL;
  g_autoptr(FwFeedRunner) last = NULL;
  gboolean shown;

  for (guint i = 0; i < N_MANY; i++)
    {
      g_autofree char *feed = g_strdup_printf ("sim:sensor?interval=3600000&seed=%u", i + 1);
      g_autofree char *name = g_strdup_printf ("Feed %u", i);

      g_strv_builder_add (feeds_builder, feed);
      g_strv_builder_add (names_builder, name);
    }
  feeds = g_strv_builder_end (feeds_builder);
  names = g_strv_builder_end (names_builder);
  g_settings_set_strv (settings, "feeds", (const char * const *) feeds);
  g_settings_set_strv (settings, "feed-names", (const char * const *) names);
  g_settings_set_boolean (settings, "first-run", FALSE);
  g_settings_set_int (settings, "running-pid", 0);
  window = fw_test_ui_open_window ();
  runners = fw_window_get_feeds (window);
  g_assert_cmpuint (g_list_model_get_n_items (runners), ==, N_MANY);
  first = g_list_model_get_item (runners, 0);
  last = g_list_model_get_item (runners, N_MANY - 1);

  /* Rows for the feeds on screen (a window 720 pixels high shows about fifteen) and some
   * around them, not one a feed: those made thousands of saved feeds take seconds to show */
  g_assert_cmpuint (check_rows_on_screen (window, first, &shown, NULL), >, 0);
  g_assert_true (shown);
  g_assert_cmpuint (count_feed_rows (window), <, N_MANY / 2);

  /* Scrolled to the end, the rows show the last feeds, each its own */
  row = fw_test_ui_find_widget (GTK_WIDGET (window), FW_TYPE_FEED_ROW);
  vadj = gtk_scrolled_window_get_vadjustment (
    GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (row, GTK_TYPE_SCROLLED_WINDOW)));
  gtk_adjustment_set_value (vadj, gtk_adjustment_get_upper (vadj));
  fw_test_ui_settle (window);
  g_assert_cmpuint (check_rows_on_screen (window, last, &shown, NULL), >, 0);
  g_assert_true (shown);
  g_assert_cmpuint (count_feed_rows (window), <, N_MANY / 2);

  /* The first feeds, shown before the list scrolled, renamed: a row still following a feed
   * it showed before would now show that feed's name */
  for (guint i = 0; i < N_MANY / 2; i++)
    {
      g_autoptr(FwFeedRunner) runner = g_list_model_get_item (runners, i);
      g_autofree char *name = g_strdup_printf ("Renamed %u", i);

      fw_feed_runner_set_title (runner, name);
    }
  g_assert_cmpuint (check_rows_on_screen (window, last, &shown, NULL), >, 0);
  g_assert_true (shown);

  /* The last feed edited: the edited feed shows in its place, and the old one in no row */
  {
    g_autoptr(GError) error = NULL;
    FwFeedRunner *edited;

    edited = fw_window_replace_feed (window, fw_feed_runner_get_spec (last),
                                     "sim:sensor?interval=3600000&seed=100000", "Edited",
                                     &error);
    g_assert_no_error (error);
    g_assert_nonnull (edited);
    fw_test_ui_settle (window);
    fw_feed_runner_set_title (last, "The feed before its edit");
    g_assert_cmpuint (check_rows_on_screen (window, edited, &shown, NULL), >, 0);
    g_assert_true (shown);
    check_rows_on_screen (window, last, &shown, NULL);
    g_assert_false (shown);
  }

  /* A failure toast's Show on a feed scrolled away selects it and brings it on screen */
  {
    gboolean selected;

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-feed", "s",
                                               fw_feed_runner_get_spec (first)));
    fw_test_ui_settle (window);
    g_assert_cmpuint (check_rows_on_screen (window, first, &shown, &selected), >, 0);
    g_assert_true (shown);
    g_assert_true (selected);
  }

  fw_test_ui_close_window (window);
}

static GtkWidget *
sparkline_of (GtkWidget *row)
{
  return fw_test_ui_find_widget (row, FW_TYPE_SPARKLINE);
}

typedef struct
{
  FwSparkline *sparkline;
  guint        n_values;
} SparklineGrows;

static gboolean
sparkline_grew (gpointer user_data)
{
  SparklineGrows *grows = user_data;

  return fw_sparkline_get_n_values (grows->sparkline) >= grows->n_values;
}

/* Once a second the rows in view show the feeds' new rates; the rows the list keeps beyond its
 * edges are left alone (no redraw for what nobody sees) and catch up as they scroll in. */
static void
test_rows_out_of_view_wait (void)
{
  g_autoptr(GStrvBuilder) feeds_builder = g_strv_builder_new ();
  g_auto(GStrv) feeds = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  FwWindow *window;
  GtkWidget *list, *in_view = NULL, *out_of_view = NULL;
  FwSparkline *spark_in, *spark_out;
  GtkAdjustment *vadj;
  SparklineGrows grows;
  guint n_out;

  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *feed = g_strdup_printf ("sim:sensor?interval=3600000&seed=%u", i + 1);

      g_strv_builder_add (feeds_builder, feed);
    }
  feeds = g_strv_builder_end (feeds_builder);
  g_settings_set_strv (settings, "feeds", (const char * const *) feeds);
  g_settings_set_strv (settings, "feed-names", NULL);
  g_settings_set_boolean (settings, "first-run", FALSE);
  g_settings_set_int (settings, "running-pid", 0);
  window = fw_test_ui_open_window ();

  collect_feed_rows (GTK_WIDGET (window), rows);
  g_assert_cmpuint (rows->len, >, 0);
  list = gtk_widget_get_ancestor (g_ptr_array_index (rows, 0), GTK_TYPE_LIST_VIEW);
  /* Rows beyond the list's edges are kept unmapped (GTK 4.8) */
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      graphene_rect_t bounds;

      if (!gtk_widget_get_mapped (row))
        out_of_view = row;
      else if (gtk_widget_compute_bounds (row, list, &bounds) && bounds.origin.y >= 0 &&
               bounds.origin.y + bounds.size.height <= gtk_widget_get_height (list))
        in_view = row;
    }
  /* The list keeps rows beyond what it shows */
  g_assert_nonnull (in_view);
  g_assert_nonnull (out_of_view);
  spark_in = FW_SPARKLINE (sparkline_of (in_view));
  spark_out = FW_SPARKLINE (sparkline_of (out_of_view));

  /* Two ticks: the row in view shows two more rates, the other none */
  n_out = fw_sparkline_get_n_values (spark_out);
  grows.sparkline = spark_in;
  grows.n_values = fw_sparkline_get_n_values (spark_in) + 2;
  fw_test_wait_until (sparkline_grew, &grows, "two ticks of the rows in view");
  g_assert_cmpuint (fw_sparkline_get_n_values (spark_out), ==, n_out);

  /* Scrolled into view, it shows every rate the feed had, as the row that stayed in view does */
  vadj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list));
  gtk_adjustment_set_value (vadj, gtk_adjustment_get_upper (vadj));
  g_assert_cmpuint (fw_sparkline_get_n_values (spark_out), ==,
                    fw_sparkline_get_n_values (spark_in));
  g_assert_cmpuint (fw_sparkline_get_n_values (spark_out), >, n_out);

  fw_test_ui_close_window (window);
}

/* A row bound to one feed after another, as a recycling list does, follows only the feed it
 * shows: the handlers it connected to a feed go when it stops showing it. */
static void
test_row_rebound (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwFeedRunner) a = fw_feed_runner_new ("sim:sensor?interval=3600000&seed=1", &error);
  g_autoptr(FwFeedRunner) b = fw_feed_runner_new ("sim:sensor?interval=3600000&seed=2", &error);
  GtkWidget *row;
  GtkLabel *title;

  g_assert_no_error (error);
  fw_ui_ensure_resources ();
  row = g_object_ref_sink (fw_feed_row_new ());
  title = GTK_LABEL (fw_test_ui_find_widget (row, GTK_TYPE_LABEL));
  fw_feed_runner_set_title (a, "Feed A");
  fw_feed_runner_set_title (b, "Feed B");
  g_assert_null (fw_feed_row_get_runner (FW_FEED_ROW (row)));

  fw_feed_row_bind (FW_FEED_ROW (row), a);
  g_assert_true (fw_feed_row_get_runner (FW_FEED_ROW (row)) == a);
  g_assert_cmpstr (gtk_label_get_text (title), ==, "Feed A");
  g_assert_cmpuint (g_signal_handler_find (a, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, row), !=, 0);

  fw_feed_row_bind (FW_FEED_ROW (row), b);
  g_assert_true (fw_feed_row_get_runner (FW_FEED_ROW (row)) == b);
  g_assert_cmpstr (gtk_label_get_text (title), ==, "Feed B");
  g_assert_cmpuint (g_signal_handler_find (a, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, row), ==, 0);
  fw_feed_runner_set_title (b, "Feed B renamed");
  g_assert_cmpstr (gtk_label_get_text (title), ==, "Feed B renamed");

  fw_feed_row_unbind (FW_FEED_ROW (row));
  g_assert_null (fw_feed_row_get_runner (FW_FEED_ROW (row)));
  g_assert_cmpuint (g_signal_handler_find (b, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, row), ==, 0);

  g_object_unref (row);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  settings = g_settings_new (APP_ID);

  g_test_add_func ("/feed-row/menu-built-on-open", test_menu_built_on_open);
  g_test_add_func ("/feed-row/rows-recycled", test_rows_recycled);
  g_test_add_func ("/feed-row/rebound", test_row_rebound);
  g_test_add_func ("/feed-row/rows-out-of-view-wait", test_rows_out_of_view_wait);

  status = g_test_run ();
  g_object_unref (settings);

  return status;
}
