/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-window-sidebar.c: the sidebar as a daily tool: feeds in groups, folders that fold and
 * stay folded across launches, the filter through groups; a colour per feed in the sidebar and
 * in the merged list's Feed column; the sidebar's width; and what a view keeps: each view its
 * own level filter, the selection through a resize to narrow. Runs under Xvfb. */

#include "config.h"

#include "fw-cell-text.h"
#include "fw-color-dot.h"
#include "fw-feed-group-row.h"
#include "fw-feed-row.h"
#include "fw-item-view.h"
#include "fw-test-ui.h"
#include "fw-test-util.h"
#include "fw-window.h"

static GSettings *settings;

#define FEED_A "sim:sensor?interval=3600000&seed=1"
#define FEED_B "sim:sensor?interval=3600000&seed=2"
#define FEED_C "sim:sensor?interval=3600000&seed=3"

static void
reset_settings (void)
{
  const char *none[] = { NULL };

  g_settings_set_strv (settings, "feeds", none);
  g_settings_set_strv (settings, "feed-names", none);
  g_settings_set_strv (settings, "feed-groups", none);
  g_settings_set_strv (settings, "feed-colors", none);
  g_settings_set_strv (settings, "collapsed-groups", none);
  g_settings_set_boolean (settings, "first-run", FALSE);
  g_settings_set_int (settings, "running-pid", 0);
  g_settings_reset (settings, "sidebar-width");
}

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *found)
{
  if (g_type_is_a (G_OBJECT_TYPE (widget), type))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, found);
}

static int
by_top (gconstpointer a,
        gconstpointer b)
{
  GtkWidget *wa = *(GtkWidget **) a;
  GtkWidget *wb = *(GtkWidget **) b;
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (wa));
  graphene_point_t pa, pb;

  g_assert_true (gtk_widget_compute_point (wa, root, &GRAPHENE_POINT_INIT (0, 0), &pa));
  g_assert_true (gtk_widget_compute_point (wb, root, &GRAPHENE_POINT_INIT (0, 0), &pb));
  return (pa.y > pb.y) - (pa.y < pb.y);
}

/* The sidebar's feed and group rows on screen, top to bottom: "[Group n]" or a feed's title */
static char *
read_sidebar (FwWindow *window)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GPtrArray) groups = g_ptr_array_new ();
  GString *out = g_string_new (NULL);

  collect (GTK_WIDGET (window), FW_TYPE_FEED_ROW, rows);
  collect (GTK_WIDGET (window), FW_TYPE_FEED_GROUP_ROW, groups);
  g_ptr_array_extend (rows, groups, NULL, NULL);
  for (guint i = rows->len; i > 0; i--)
    {
      GtkWidget *row = g_ptr_array_index (rows, i - 1);

      if (!gtk_widget_get_mapped (row) ||
          !gtk_widget_get_child_visible (gtk_widget_get_parent (row)))
        g_ptr_array_remove_index (rows, i - 1);
    }
  g_ptr_array_sort (rows, by_top);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);

      if (FW_IS_FEED_GROUP_ROW (row))
        {
          FwFeedGroup *group = fw_feed_group_row_get_group (FW_FEED_GROUP_ROW (row));

          g_string_append_printf (out, "[%s %u]\n", fw_feed_group_get_name (group),
                                  fw_feed_group_get_n_feeds (group));
        }
      else
        g_string_append_printf (out, "%s\n", fw_feed_runner_get_title (
                                  fw_feed_row_get_runner (FW_FEED_ROW (row))));
    }

  return g_string_free (out, FALSE);
}

typedef struct
{
  FwWindow   *window;
  const char *expected;
} SidebarShows;

static gboolean
sidebar_shows (gpointer user_data)
{
  SidebarShows *shows = user_data;
  g_autofree char *text = read_sidebar (shows->window);

  return g_str_equal (text, shows->expected);
}

static void
assert_sidebar (FwWindow   *window,
                const char *expected)
{
  SidebarShows shows = { window, expected };
  g_autofree char *text = NULL;

  fw_test_ui_settle (window);
  if (sidebar_shows (&shows))
    return;
  fw_test_wait_until (sidebar_shows, &shows, "the sidebar to show what is expected");
  text = read_sidebar (window);
  g_assert_cmpstr (text, ==, expected);
}

static GtkWidget *
find_group_row (FwWindow   *window,
                const char *name)
{
  g_autoptr(GPtrArray) groups = g_ptr_array_new ();

  collect (GTK_WIDGET (window), FW_TYPE_FEED_GROUP_ROW, groups);
  for (guint i = 0; i < groups->len; i++)
    {
      FwFeedGroup *group = fw_feed_group_row_get_group (g_ptr_array_index (groups, i));

      if (group != NULL && g_str_equal (fw_feed_group_get_name (group), name) &&
          gtk_widget_get_mapped (g_ptr_array_index (groups, i)))
        return g_ptr_array_index (groups, i);
    }
  return NULL;
}

/* What a click on the row sends */
static void
click_group_row (GtkWidget *row)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (row);
  gboolean clicked = FALSE;

  g_assert_nonnull (row);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (controller))
        {
          g_signal_emit_by_name (controller, "released", 1, 4.0, 4.0);
          clicked = TRUE;
        }
    }
  g_assert_true (clicked);
}

static GtkWidget *
find_feed_row (FwWindow     *window,
               FwFeedRunner *runner)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect (GTK_WIDGET (window), FW_TYPE_FEED_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (fw_feed_row_get_runner (g_ptr_array_index (rows, i)) == runner &&
        gtk_widget_get_mapped (g_ptr_array_index (rows, i)))
      return g_ptr_array_index (rows, i);
  return NULL;
}

/* A feed's Move to Group submenu, its labels joined by "|", a section ending with "|" */
static char *
group_menu_of (FwWindow     *window,
               FwFeedRunner *runner)
{
  GtkMenuButton *button = GTK_MENU_BUTTON (fw_test_ui_find_widget (find_feed_row (window, runner),
                                                                   GTK_TYPE_MENU_BUTTON));
  g_autoptr(GMenuModel) arrange = NULL;
  g_autoptr(GMenuModel) groups = NULL;
  GString *out = g_string_new (NULL);

  gtk_menu_button_popup (button);
  arrange = g_menu_model_get_item_link (gtk_menu_button_get_menu_model (button), 1,
                                        G_MENU_LINK_SECTION);
  groups = g_menu_model_get_item_link (arrange, 0, G_MENU_LINK_SUBMENU);
  for (int i = 0; i < g_menu_model_get_n_items (groups); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (groups, i, G_MENU_LINK_SECTION);

      for (int j = 0; j < g_menu_model_get_n_items (section); j++)
        {
          g_autofree char *label = NULL;

          g_menu_model_get_item_attribute (section, j, G_MENU_ATTRIBUTE_LABEL, "s", &label);
          g_string_append_printf (out, "%s|", label);
        }
      g_string_append (out, "|");
    }
  gtk_menu_button_popdown (button);

  return g_string_free (out, FALSE);
}

static GtkEditable *
find_feed_filter (FwWindow *window)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();

  collect (GTK_WIDGET (window), GTK_TYPE_SEARCH_ENTRY, entries);
  for (guint i = 0; i < entries->len; i++)
    {
      g_autofree char *placeholder = NULL;

      g_object_get (g_ptr_array_index (entries, i), "placeholder-text", &placeholder, NULL);
      if (g_strcmp0 (placeholder, "Filter Feeds") == 0)
        return g_ptr_array_index (entries, i);
    }
  g_assert_not_reached ();
}

static FwFeedRunner *
add (FwWindow   *window,
     const char *spec,
     const char *title)
{
  g_autoptr(GError) error = NULL;
  FwFeedRunner *runner = fw_window_add_feed (window, spec, &error);

  g_assert_no_error (error);
  fw_feed_runner_set_title (runner, title);
  return runner;
}

/* @widget's controller of @type */
static GtkEventController *
find_controller (GtkWidget *widget,
                 GType      type)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (g_type_is_a (G_OBJECT_TYPE (controller), type))
        return GTK_EVENT_CONTROLLER (controller); /* the widget holds it */
    }
  return NULL;
}

/* A drag of @runner's row, as its drag source offers it, dropped on @target's drop target:
 * what the drop target's handler answers */
static gboolean
drag_feed_onto (FwWindow     *window,
                FwFeedRunner *runner,
                GtkWidget    *target)
{
  GtkWidget *row = find_feed_row (window, runner);
  GtkEventController *source, *drop;
  g_autoptr(GdkContentProvider) content = NULL;
  g_autoptr(GError) error = NULL;
  GValue value = G_VALUE_INIT;
  gboolean accepted = FALSE;

  g_assert_nonnull (row);
  source = find_controller (row, GTK_TYPE_DRAG_SOURCE);
  g_assert_nonnull (source);
  g_signal_emit_by_name (source, "prepare", 4.0, 4.0, &content);
  g_assert_nonnull (content);
  g_value_init (&value, G_TYPE_STRING);
  g_assert_true (gdk_content_provider_get_value (content, &value, &error));
  g_assert_no_error (error);

  g_assert_nonnull (target);
  drop = find_controller (target, GTK_TYPE_DROP_TARGET);
  g_assert_nonnull (drop);
  g_assert_true (gtk_drop_target_get_actions (GTK_DROP_TARGET (drop)) & GDK_ACTION_MOVE);
  g_signal_emit_by_name (drop, "drop", &value, 4.0, 4.0, &accepted);
  g_value_unset (&value);

  return accepted;
}

/* The sidebar's "All Feeds" row: the list box row that takes drops */
static GtkWidget *
find_all_feeds_row (FwWindow *window)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect (GTK_WIDGET (window), GTK_TYPE_LIST_BOX_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (find_controller (g_ptr_array_index (rows, i), GTK_TYPE_DROP_TARGET) != NULL)
      return g_ptr_array_index (rows, i);
  return NULL;
}

/* A sidebar row dragged onto a group's folder moves the feed into the group, kept across
 * launches; dragged onto "All Feeds", out of it */
static void
test_drag_to_group (void)
{
  FwWindow *window;
  FwFeedRunner *a;
  FwFeedRunner *b;
  g_auto(GStrv) groups = NULL;
  g_auto(GStrv) after = NULL;
  g_auto(GStrv) out = NULL;

  reset_settings ();
  window = fw_test_ui_open_window ();
  a = add (window, FEED_A, "Alpha");
  b = add (window, FEED_B, "Beta");
  add (window, FEED_C, "Gamma");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.move-feed-to-group",
                                             "(ss)", FEED_A, "Servers"));
  assert_sidebar (window, "[Servers 1]\nAlpha\nBeta\nGamma\n");

  g_assert_true (drag_feed_onto (window, b, find_group_row (window, "Servers")));
  assert_sidebar (window, "[Servers 2]\nAlpha\nBeta\nGamma\n");
  g_assert_cmpstr (fw_feed_runner_get_group (b), ==, "Servers");
  groups = g_settings_get_strv (settings, "feed-groups");
  g_assert_cmpstrv (groups, ((const char * const[]) { "Servers", "Servers", "", NULL }));

  /* The next launch has it in its group */
  fw_test_ui_close_window (window);
  window = fw_test_ui_open_window ();
  assert_sidebar (window, "[Servers 2]\nAlpha\nBeta\nGamma\n");
  after = g_settings_get_strv (settings, "feed-groups");
  g_assert_cmpstrv (after, ((const char * const[]) { "Servers", "Servers", "", NULL }));

  /* Onto "All Feeds": out of its group */
  a = FW_FEED_RUNNER (g_list_model_get_item (fw_window_get_feeds (window), 0));
  g_object_unref (a); /* the window's list holds it */
  g_assert_true (drag_feed_onto (window, a, find_all_feeds_row (window)));
  assert_sidebar (window, "[Servers 1]\nBeta\nAlpha\nGamma\n");
  out = g_settings_get_strv (settings, "feed-groups");
  g_assert_cmpstrv (out, ((const char * const[]) { "", "Servers", "", NULL }));

  fw_test_ui_close_window (window);
}

static void
test_groups (void)
{
  FwWindow *window;
  FwFeedRunner *a;
  FwFeedRunner *b;
  FwFeedRunner *c;
  g_auto(GStrv) groups = NULL;
  g_auto(GStrv) collapsed = NULL;

  reset_settings ();
  window = fw_test_ui_open_window ();
  a = add (window, FEED_A, "Alpha");
  b = add (window, FEED_B, "Beta");
  c = add (window, FEED_C, "Gamma");
  assert_sidebar (window, "Alpha\nBeta\nGamma\n");

  /* Moved from their menus (the menu's items activate these) */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.move-feed-to-group",
                                             "(ss)", FEED_A, "Servers"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.move-feed-to-group",
                                             "(ss)", FEED_B, "Servers"));
  assert_sidebar (window, "[Servers 2]\nAlpha\nBeta\nGamma\n");
  /* Kept with the feeds, in their order */
  groups = g_settings_get_strv (settings, "feed-groups");
  g_assert_cmpstrv (groups, ((const char * const[]) { "Servers", "Servers", "", NULL }));
  /* A feed's menu offers the groups it is not in, a new one, and No Group when in one; a name
   * is not a mnemonic */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.move-feed-to-group",
                                             "(ss)", FEED_A, "Db_hosts"));
  fw_test_ui_settle (window);
  {
    g_autofree char *for_c = group_menu_of (window, c);
    g_autofree char *for_a = group_menu_of (window, a);

    g_assert_cmpstr (for_c, ==, "Db__hosts|Servers||_New Group…||");
    g_assert_cmpstr (for_a, ==, "Servers||_New Group…|N_o Group||");
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.move-feed-to-group",
                                             "(ss)", FEED_A, "Servers"));

  /* Beta's view open; its folder folded by a click (Enter on the list does the same) and
   * unfolded: Beta is still the one selected, and still shown */
  g_assert_true (fw_test_ui_activate_sidebar_row (window, "Beta"));
  fw_test_ui_settle (window);
  click_group_row (find_group_row (window, "Servers"));
  assert_sidebar (window, "[Servers 2]\nGamma\n");
  collapsed = g_settings_get_strv (settings, "collapsed-groups");
  g_assert_cmpstrv (collapsed, ((const char * const[]) { "Servers", NULL }));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-group", "s",
                                             "Servers"));
  assert_sidebar (window, "[Servers 2]\nAlpha\nBeta\nGamma\n");
  {
    GtkWidget *row = find_feed_row (window, b);

    g_assert_nonnull (row);
    g_assert_true (gtk_widget_get_state_flags (gtk_widget_get_parent (row)) &
                   GTK_STATE_FLAG_SELECTED);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-group", "s",
                                             "Servers"));
  assert_sidebar (window, "[Servers 2]\nGamma\n");

  /* The filter finds a feed in a folded group, and shows its group with it */
  gtk_editable_set_text (find_feed_filter (window), "seed=2");
  assert_sidebar (window, "[Servers 2]\nBeta\n");
  gtk_editable_set_text (find_feed_filter (window), "gamma");
  assert_sidebar (window, "Gamma\n");
  gtk_editable_set_text (find_feed_filter (window), "");
  assert_sidebar (window, "[Servers 2]\nGamma\n");

  /* New Group…: a name is asked for (no empty one), and the feed moves there */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.new-feed-group", "s",
                                             FEED_C));
  {
    GListModel *toplevels = gtk_window_get_toplevels (); /* transfer none */
    AdwMessageDialog *dialog = NULL;
    GtkWidget *entry;

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

        if (ADW_IS_MESSAGE_DIALOG (toplevel))
          dialog = ADW_MESSAGE_DIALOG (toplevel);
      }
    g_assert_nonnull (dialog);
    g_assert_false (adw_message_dialog_get_response_enabled (dialog, "move"));
    entry = fw_test_ui_find_widget (GTK_WIDGET (dialog), GTK_TYPE_ENTRY);
    gtk_editable_set_text (GTK_EDITABLE (entry), "  Desktops ");
    g_assert_true (adw_message_dialog_get_response_enabled (dialog, "move"));
    /* Held: the dialog may close itself on a response */
    g_object_ref (dialog);
    adw_message_dialog_response (dialog, "move");
    gtk_window_destroy (GTK_WINDOW (dialog));
    g_object_unref (dialog);
  }
  assert_sidebar (window, "[Desktops 1]\nGamma\n[Servers 2]\n");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.move-feed-to-group",
                                             "(ss)", FEED_C, ""));
  assert_sidebar (window, "[Servers 2]\nGamma\n");

  /* Out of the group again ("No Group" in its menu) */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.move-feed-to-group",
                                             "(ss)", FEED_B, ""));
  assert_sidebar (window, "[Servers 1]\nBeta\nGamma\n");
  fw_test_ui_close_window (window);

  /* The next launch: the groups and the folded folder as they were */
  window = fw_test_ui_open_window ();
  assert_sidebar (window, "[Servers 1]\nBeta\nGamma\n");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-group", "s",
                                             "Servers"));
  assert_sidebar (window, "[Servers 1]\nAlpha\nBeta\nGamma\n");
  fw_test_ui_close_window (window);
}

static char *
feed_cell_dot (FwWindow   *window,
               const char *title)
{
  g_autoptr(GPtrArray) cells = g_ptr_array_new ();

  collect (GTK_WIDGET (window), FW_TYPE_CELL_TEXT, cells);
  for (guint i = 0; i < cells->len; i++)
    {
      FwCellText *cell = g_ptr_array_index (cells, i);

      if (gtk_widget_get_mapped (GTK_WIDGET (cell)) &&
          g_strcmp0 (fw_cell_text_get_text (cell), title) == 0)
        return fw_cell_text_get_dot (cell);
    }
  return NULL;
}

static void
test_colors (void)
{
  FwWindow *window;
  FwFeedRunner *a;
  FwFeedRunner *b;
  g_auto(GStrv) colors = NULL;
  g_autofree char *a_color = NULL;
  AdwStyleManager *style = adw_style_manager_get_default ();

  reset_settings ();
  window = fw_test_ui_open_window ();
  a = add (window, FEED_A, "Alpha");
  b = add (window, FEED_B, "Beta");
  fw_test_ui_settle (window);

  /* Told apart at once, and shown as a dot beside the name */
  g_assert_nonnull (fw_feed_runner_get_color (a));
  g_assert_nonnull (fw_feed_runner_get_color (b));
  g_assert_cmpstr (fw_feed_runner_get_color (a), !=, fw_feed_runner_get_color (b));
  g_assert_cmpstr (fw_color_dot_get_color (FW_COLOR_DOT (fw_feed_row_get_color_dot (
                     FW_FEED_ROW (find_feed_row (window, a))))), ==, fw_feed_runner_get_color (a));
  /* Decorative: hidden from screen readers, the row is named by its title */
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (fw_feed_row_get_color_dot (
                     FW_FEED_ROW (find_feed_row (window, a))))), ==,
                   GTK_ACCESSIBLE_ROLE_PRESENTATION);

  /* Changed from the menu: the dot follows, and it is kept */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.set-feed-color", "(ss)",
                                             FEED_A, "#986a44"));
  g_assert_cmpstr (fw_feed_runner_get_color (a), ==, "#986a44");
  g_assert_cmpstr (fw_color_dot_get_color (FW_COLOR_DOT (fw_feed_row_get_color_dot (
                     FW_FEED_ROW (find_feed_row (window, a))))), ==, "#986a44");
  colors = g_settings_get_strv (settings, "feed-colors");
  g_assert_cmpuint (g_strv_length (colors), ==, 2);
  g_assert_cmpstr (colors[0], ==, "#986a44");
  g_assert_cmpstr (colors[1], ==, fw_feed_runner_get_color (b));

  /* The merged list's Feed column: the feed's dot before its name, light or dark */
  fw_test_ui_add_items (window, "test:lines", fw_test_make_lines ("test:lines", 3));
  g_assert_true (fw_test_ui_activate_sidebar_row (window, "All Feeds"));
  fw_test_ui_settle (window);
  {
    g_autoptr(FwFeedRunner) lines = NULL;
    GListModel *feeds = fw_window_get_feeds (window);

    lines = g_list_model_get_item (feeds, g_list_model_get_n_items (feeds) - 1);
    a_color = feed_cell_dot (window, fw_feed_runner_get_title (lines));
    g_assert_nonnull (a_color);
    g_assert_cmpstr (a_color, ==, fw_feed_runner_get_color (lines));
  }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  fw_test_ui_settle (window);
  {
    g_autofree char *dark = feed_cell_dot (window, "test:lines");

    g_assert_cmpstr (dark, ==, a_color);
  }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  fw_test_ui_close_window (window);

  /* Read back with the feeds */
  window = fw_test_ui_open_window ();
  {
    g_autoptr(FwFeedRunner) first = g_list_model_get_item (fw_window_get_feeds (window), 0);

    g_assert_cmpstr (fw_feed_runner_get_color (first), ==, "#986a44");
  }
  fw_test_ui_close_window (window);
}

static GtkWidget *
sidebar_of (FwWindow *window)
{
  g_autoptr(FwFeedRunner) runner = g_list_model_get_item (fw_window_get_feeds (window), 0);

  return gtk_widget_get_ancestor (find_feed_row (window, runner), ADW_TYPE_BIN);
}

typedef struct
{
  GtkWidget *widget;
  int        width;
} WidthIs;

static gboolean
width_is (gpointer user_data)
{
  WidthIs *is = user_data;

  return gtk_widget_get_width (is->widget) == is->width;
}

static gboolean
is_folded (gpointer user_data)
{
  return adw_leaflet_get_folded (ADW_LEAFLET (user_data));
}

static gboolean
is_unfolded (gpointer user_data)
{
  return !adw_leaflet_get_folded (ADW_LEAFLET (user_data));
}

/* The sidebar's width is the one kept; a narrow window still folds to one pane, and the
 * selection stays through it */
static void
test_width_and_narrow (void)
{
  FwWindow *window;
  FwFeedRunner *b;
  GtkWidget *sidebar;
  GtkWidget *leaflet;
  WidthIs is;
  g_autofree char *feed = NULL;

  reset_settings ();
  g_settings_set_int (settings, "sidebar-width", 480);
  window = fw_test_ui_open_window ();
  add (window, FEED_A, "Alpha");
  b = add (window, FEED_B, "Beta");
  fw_test_ui_settle (window);
  sidebar = sidebar_of (window);
  g_assert_nonnull (sidebar);
  leaflet = gtk_widget_get_ancestor (sidebar, ADW_TYPE_LEAFLET);
  is = (WidthIs) { sidebar, 480 };
  fw_test_wait_until (width_is, &is, "the sidebar to be as wide as kept");

  /* Dragged (the drag's end writes the setting): the sidebar follows */
  g_settings_set_int (settings, "sidebar-width", 400);
  is.width = 400;
  fw_test_wait_until (width_is, &is, "the sidebar to follow its width");

  /* Beta selected, then the window narrowed to one pane and widened again */
  g_assert_true (fw_test_ui_activate_sidebar_row (window, "Beta"));
  fw_test_ui_settle (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 500, 720);
  fw_test_wait_until (is_folded, leaflet, "the window to fold");
  fw_test_ui_settle (window);
  g_object_get (fw_test_ui_find_widget (GTK_WIDGET (window), FW_TYPE_ITEM_VIEW), "feed", &feed,
                NULL);
  g_assert_cmpstr (feed, ==, FEED_B);
  g_clear_pointer (&feed, g_free);
  /* One pane still fits a narrow window: the sidebar's width is not a minimum */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 500);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  fw_test_wait_until (is_unfolded, leaflet, "the window to unfold");
  fw_test_ui_settle (window);
  g_object_get (fw_test_ui_find_widget (GTK_WIDGET (window), FW_TYPE_ITEM_VIEW), "feed", &feed,
                NULL);
  g_assert_cmpstr (feed, ==, FEED_B);
  g_assert_true (gtk_widget_get_state_flags (gtk_widget_get_parent (find_feed_row (window, b))) &
                 GTK_STATE_FLAG_SELECTED);
  fw_test_ui_close_window (window);
}

static GtkDropDown *
level_filter (FwWindow *window)
{
  return GTK_DROP_DOWN (fw_test_ui_find_widget (fw_test_ui_find_widget (GTK_WIDGET (window),
                                                                        FW_TYPE_ITEM_VIEW),
                                                GTK_TYPE_DROP_DOWN));
}

/* Each view keeps its own level filter */
static void
test_level_filter_per_view (void)
{
  FwWindow *window;
  GtkDropDown *levels;

  reset_settings ();
  window = fw_test_ui_open_window ();
  fw_test_ui_add_items (window, "test:one", fw_test_make_lines ("test:one", 3));
  fw_test_ui_add_items (window, "test:two", fw_test_make_lines ("test:two", 3));
  levels = level_filter (window);

  g_assert_true (fw_test_ui_activate_sidebar_row (window, "test:one"));
  fw_test_ui_settle (window);
  gtk_drop_down_set_selected (levels, 4); /* errors and worse */
  fw_test_ui_settle (window);

  /* Another feed's view: its own filter, none set */
  g_assert_true (fw_test_ui_activate_sidebar_row (window, "test:two"));
  fw_test_ui_settle (window);
  g_assert_cmpuint (gtk_drop_down_get_selected (levels), ==, 0);
  g_assert_true (fw_test_ui_activate_sidebar_row (window, "All Feeds"));
  fw_test_ui_settle (window);
  g_assert_cmpuint (gtk_drop_down_get_selected (levels), ==, 0);
  gtk_drop_down_set_selected (levels, 3);

  /* Back: each as it was left */
  g_assert_true (fw_test_ui_activate_sidebar_row (window, "test:one"));
  fw_test_ui_settle (window);
  g_assert_cmpuint (gtk_drop_down_get_selected (levels), ==, 4);
  g_assert_true (fw_test_ui_activate_sidebar_row (window, "All Feeds"));
  fw_test_ui_settle (window);
  g_assert_cmpuint (gtk_drop_down_get_selected (levels), ==, 3);
  fw_test_ui_close_window (window);
}

/* ---------------------------------------------------------------------------------------- */
/* A hundred feeds: the sidebar builds and scrolls, and an idle window with them wakes about as
 * often as with one feed (no per-feed timer that fires every frame or every second) */

#define N_HUNDRED 100

static guint n_polls;
static GPollFunc default_poll;

static int
counting_poll (GPollFD *fds,
               guint    n_fds,
               int      timeout)
{
  n_polls++;
  return default_poll (fds, n_fds, timeout);
}

/* Sources on the main context due within @within_us: what will wake the loop soon. GLib hands
 * out source ids in order, so every live one is found below the newest id. */
static guint
count_sources_due (gint64  within_us,
                   guint  *n_sources)
{
  GSource *probe = g_idle_source_new ();
  guint last = g_source_attach (probe, NULL);
  gint64 now = g_get_monotonic_time ();
  guint due = 0;

  *n_sources = 0;
  g_source_destroy (probe);
  g_source_unref (probe);
  for (guint id = 1; id < last; id++)
    {
      GSource *source = g_main_context_find_source_by_id (NULL, id);
      gint64 ready;

      if (source == NULL || g_source_is_destroyed (source))
        continue;
      (*n_sources)++;
      ready = g_source_get_ready_time (source);
      if (ready >= 0 && ready - now < within_us)
        due++;
    }
  return due;
}

/* Main-loop wake-ups a second, over @seconds of an idle window */
static double
measure_wakeups (FwWindow *window,
                 double    seconds)
{
  gint64 start = g_get_monotonic_time ();
  gint64 end = start + (gint64) (seconds * G_USEC_PER_SEC);
  guint before;

  fw_test_ui_settle (window);
  before = n_polls;
  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  return (n_polls - before) / ((g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
}

static GtkScrolledWindow *
sidebar_scroller (FwWindow *window)
{
  g_autoptr(FwFeedRunner) runner = g_list_model_get_item (fw_window_get_feeds (window), 0);

  return GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (find_feed_row (window, runner),
                                                       GTK_TYPE_SCROLLED_WINDOW));
}

static void
open_with_feeds (guint      n,
                 FwWindow **window,
                 double    *build_ms)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) feeds = NULL;
  gint64 start;

  reset_settings ();
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *spec = g_strdup_printf ("sim:sensor?interval=60000&seed=%u", i + 1);

      g_strv_builder_add (builder, spec);
    }
  feeds = g_strv_builder_end (builder);
  g_settings_set_strv (settings, "feeds", (const char * const *) feeds);
  start = g_get_monotonic_time ();
  *window = fw_test_ui_open_window ();
  *build_ms = (g_get_monotonic_time () - start) / 1000.0;
  g_assert_cmpuint (g_list_model_get_n_items (fw_window_get_feeds (*window)), ==, n);
}

static void
test_hundred_feeds (void)
{
  FwWindow *window;
  GtkAdjustment *vadj;
  double build_one_ms, build_ms, scroll_ms, wakeups_one, wakeups;
  guint due_one, due, n_sources_one, n_sources;
  gint64 start;

  default_poll = g_main_context_get_poll_func (NULL);
  g_main_context_set_poll_func (NULL, counting_poll);

  open_with_feeds (1, &window, &build_one_ms);
  wakeups_one = measure_wakeups (window, 3);
  due_one = count_sources_due (G_USEC_PER_SEC, &n_sources_one);
  fw_test_ui_close_window (window);

  open_with_feeds (N_HUNDRED, &window, &build_ms);
  wakeups = measure_wakeups (window, 3);
  due = count_sources_due (G_USEC_PER_SEC, &n_sources);

  /* Scrolled to the end and back, a page at a time */
  vadj = gtk_scrolled_window_get_vadjustment (sidebar_scroller (window));
  start = g_get_monotonic_time ();
  while (gtk_adjustment_get_value (vadj) + gtk_adjustment_get_page_size (vadj) <
         gtk_adjustment_get_upper (vadj))
    {
      gtk_adjustment_set_value (vadj, gtk_adjustment_get_value (vadj) +
                                      gtk_adjustment_get_page_size (vadj));
      fw_test_ui_settle (window);
    }
  scroll_ms = (g_get_monotonic_time () - start) / 1000.0;
  {
    g_autoptr(FwFeedRunner) last =
      g_list_model_get_item (fw_window_get_feeds (window), N_HUNDRED - 1);

    g_assert_nonnull (find_feed_row (window, last));
  }

  g_test_message ("1 feed: window built in %.0f ms, %.1f wake-ups/s idle, %u sources, %u due "
                  "within 1 s", build_one_ms, wakeups_one, n_sources_one, due_one);
  g_test_message ("%u feeds: window built in %.0f ms, %.1f wake-ups/s idle, %u sources, %u due "
                  "within 1 s; sidebar scrolled to its end in %.0f ms",
                  N_HUNDRED, build_ms, wakeups, n_sources, due, scroll_ms);
  /* Each feed's source wakes once a minute: what is due within a second does not grow with
   * the feeds, nor do the wake-ups (a little slack for a reading that falls in the second) */
  g_assert_cmpuint (due, <=, due_one + 5);
  g_assert_cmpfloat (wakeups, <=, wakeups_one * 2 + 5);

  fw_test_ui_close_window (window);
  g_main_context_set_poll_func (NULL, default_poll);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  settings = g_settings_new (APP_ID);

  g_test_add_func ("/window-sidebar/groups", test_groups);
  g_test_add_func ("/window-sidebar/drag-to-group", test_drag_to_group);
  g_test_add_func ("/window-sidebar/colors", test_colors);
  g_test_add_func ("/window-sidebar/width-and-narrow", test_width_and_narrow);
  g_test_add_func ("/window-sidebar/level-filter-per-view", test_level_filter_per_view);
  g_test_add_func ("/window-sidebar/hundred-feeds", test_hundred_feeds);

  status = g_test_run ();
  g_object_unref (settings);
  return status;
}
