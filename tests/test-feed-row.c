/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-feed-row.c: a sidebar row's menu is built only as it opens (a menu a row, built up
 * front, made thousands of saved feeds take minutes to show), and offers what it offered
 * before: Pause or Resume, Edit, Rename, Restart for a stopped feed, and Remove apart, each for
 * this feed. Runs under Xvfb. */

#include "config.h"

#include "fw-feed-row.h"
#include "fw-test-ui.h"
#include "fw-test-util.h"
#include "fw-window.h"

#define SPEC "sim:sensor?interval=3600000&seed=7"

static GSettings *settings;

static GtkWidget *
find_of_type (GtkWidget *widget,
              GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_of_type (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The menu's items as "label action target" lines, sections after a "--" line */
static void
describe_menu (GMenuModel *menu,
               GString    *out)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
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

  row = find_of_type (GTK_WIDGET (window), FW_TYPE_FEED_ROW);
  g_assert_nonnull (row);
  runner = fw_feed_row_get_runner (FW_FEED_ROW (row));
  button = GTK_MENU_BUTTON (find_of_type (row, GTK_TYPE_MENU_BUTTON));
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
                   "_Pause win.toggle-feed-paused " SPEC "\n"
                   "_Edit… win.edit-feed " SPEC "\n"
                   "Re_name… win.rename-feed " SPEC "\n"
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
  g_assert_true (g_str_has_prefix (paused, "_Resume win.toggle-feed-paused " SPEC "\n"));
  gtk_menu_button_popdown (button);
  fw_test_wait_until (popover_hidden, button, "the menu to close");

  /* Failed while closed: the next opening offers Restart */
  fw_feed_runner_set_paused (runner, FALSE);
  fw_feed_runner_fail (runner, "Test failure");
  failed = open_menu (button);
  g_assert_cmpstr (failed, ==,
                   "_Pause win.toggle-feed-paused " SPEC "\n"
                   "_Edit… win.edit-feed " SPEC "\n"
                   "Re_name… win.rename-feed " SPEC "\n"
                   "_Restart win.restart-feed " SPEC "\n"
                   "--\n"
                   "_Remove win.remove-feed " SPEC "\n");
  gtk_menu_button_popdown (button);
  fw_test_wait_until (popover_hidden, button, "the menu to close");

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

  g_test_add_func ("/feed-row/menu-built-on-open", test_menu_built_on_open);

  status = g_test_run ();
  g_object_unref (settings);

  return status;
}
