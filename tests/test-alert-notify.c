/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-alert-notify.c: the alert rules kept in the settings notify through the desktop's
 * notification server-> The test is that server: it owns org.gtk.Notifications (the interface
 * GApplication speaks to) on the test's session bus and records what it is sent. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fw-application.h"
#include "fw-test-ui.h"
#include "fw-test-util.h"
#include "fw-test-notifications.h"
#include "fw-window-private.h"

static gboolean
has_added (gpointer user_data)
{
  FwTestNotifications *server = user_data;

  return server->added->len > 0;
}

static gboolean
has_removed (gpointer user_data)
{
  FwTestNotifications *server = user_data;

  return server->removed->len > 0;
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/* The last notification sent is the group of five */
static gboolean
has_five_alerts (gpointer user_data)
{
  FwTestNotifications *server = user_data;
  g_autoptr(GVariant) notification = NULL;
  const char *id = NULL, *title = NULL;

  if (server->added->len == 0)
    return FALSE;
  g_variant_get (g_ptr_array_index (server->added, server->added->len - 1), "(&s&s@a{sv})", NULL,
                 &id, &notification);

  return g_str_equal (id, "alerts") && g_variant_lookup (notification, "title", "&s", &title) &&
         g_str_equal (title, "5 alerts");
}

/* The last notification sent is the group rule's */
static gboolean
has_plant_alert (gpointer user_data)
{
  FwTestNotifications *server = user_data;
  g_autoptr(GVariant) notification = NULL;
  const char *title = NULL;

  if (server->added->len == 0)
    return FALSE;
  g_variant_get (g_ptr_array_index (server->added, server->added->len - 1), "(&s&s@a{sv})", NULL,
                 NULL, &notification);

  return g_variant_lookup (notification, "title", "&s", &title) &&
         g_str_equal (title, "Plant errors");
}

static const char *
selected_feed (FwWindow *window)
{
  FwFeedRunner *runner = gtk_single_selection_get_selected_item (window->feed_selection);

  return runner != NULL ? fw_feed_runner_get_spec (runner) : NULL;
}

static void
test_notify (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(FwTestNotifications) server = fw_test_notifications_new ();
  g_autoptr(FwApplication) app = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) notification = NULL;
  g_autoptr(GVariant) buttons = NULL;
  const char *rules[] = { "name=\"App errors\" app.log: level>=error", NULL };
  const char *app_id, *id, *title, *body, *action;
  GRefString *feed = g_ref_string_new ("app.log");
  GRefString *other = g_ref_string_new ("other.log");
  FwWindow *window;
  FwItem *item;
  GVariantIter iter;
  GVariant *button;
  gboolean show = FALSE, mute = FALSE;
  g_autoptr(GVariant) target = NULL;
  const char *target_feed;
  gint64 target_us, fired_us;
  FwItem *fired = NULL;

  g_settings_set_strv (settings, "alert-rules", rules);
  app = fw_application_new (G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  window = fw_window_new (GTK_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (window));
  fw_test_ui_settle (window);

  /* Out of the rule's scope, or below its level: nothing */
  item = fw_item_new (FW_ITEM_LINE, other, g_get_real_time (), "ERROR elsewhere", -1);
  fw_item_set_level (item, FW_LEVEL_ERROR);
  g_ptr_array_add (items, item);
  item = fw_item_new (FW_ITEM_LINE, feed, g_get_real_time (), "WARN careful", -1);
  fw_item_set_level (item, FW_LEVEL_WARNING);
  g_ptr_array_add (items, item);
  fw_test_ui_add_items (window, "other.log", g_steal_pointer (&items));
  fw_test_ui_settle (window);
  g_assert_cmpuint (server->added->len, ==, 0);

  /* Three errors, the first with a line of the same read (the same time) after it: one
   * notification */
  items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  fired_us = g_get_real_time ();
  for (guint i = 0; i < 3; i++)
    {
      item = fw_item_new (FW_ITEM_LINE, feed, fired_us + 1000 * i, "ERROR <b>disk</b> full", -1);
      fw_item_set_level (item, FW_LEVEL_ERROR);
      g_ptr_array_add (items, item);
      if (i == 0)
        {
          fired = fw_item_ref (item);
          g_ptr_array_add (items, fw_item_new (FW_ITEM_LINE, feed, fired_us, "INFO retrying",
                                               -1));
        }
    }
  fw_test_ui_add_items (window, "app.log", g_steal_pointer (&items));
  fw_test_wait_until (has_added, server, "the notification");
  fw_test_ui_settle (window);
  g_assert_cmpuint (server->added->len, ==, 1);

  g_variant_get (g_ptr_array_index (server->added, 0), "(&s&s@a{sv})", &app_id, &id,
                 &notification);
  g_assert_cmpstr (app_id, ==, APP_ID);
  g_assert_cmpstr (id, ==, "alert-0");
  g_assert_true (g_variant_lookup (notification, "title", "&s", &title));
  g_assert_cmpstr (title, ==, "App errors");
  g_assert_true (g_variant_lookup (notification, "body", "&s", &body));
  g_assert_cmpstr (body, ==, "app.log: ERROR <b>disk</b> full");
  g_assert_true (g_variant_lookup (notification, "default-action", "&s", &action));
  g_assert_cmpstr (action, ==, "app.show-alert");
  /* Its target: the feed and the time of the item that fired */
  target = g_variant_lookup_value (notification, "default-action-target", NULL);
  g_assert_nonnull (target);
  g_assert_true (g_variant_is_of_type (target, G_VARIANT_TYPE ("(sx)")));
  g_variant_get (target, "(&sx)", &target_feed, &target_us);
  g_assert_cmpstr (target_feed, ==, "app.log");
  g_assert_cmpint (target_us, ==, fired_us);
  buttons = g_variant_lookup_value (notification, "buttons", G_VARIANT_TYPE ("aa{sv}"));
  g_assert_nonnull (buttons);
  g_variant_iter_init (&iter, buttons);
  while ((button = g_variant_iter_next_value (&iter)) != NULL)
    {
      const char *label = NULL, *button_action = NULL;

      g_variant_lookup (button, "label", "&s", &label);
      g_variant_lookup (button, "action", "&s", &button_action);
      show |= g_strcmp0 (label, "Show") == 0 && g_strcmp0 (button_action, "app.show-alert") == 0;
      mute |= g_strcmp0 (label, "Mute 1 h") == 0 &&
              g_strcmp0 (button_action, "app.mute-alert") == 0;
      g_variant_unref (button);
    }
  g_assert_true (show);
  g_assert_true (mute);

  /* "Show" selects the feed that fired, in the window, and in it the line that fired: not
   * the line of the same time after it, nor the later errors */
  g_assert_cmpstr (selected_feed (window), !=, "app.log");
  g_action_group_activate_action (G_ACTION_GROUP (app), "show-alert", target);
  fw_test_ui_settle (window);
  g_assert_cmpstr (selected_feed (window), ==, "app.log");
  {
    g_autoptr(GPtrArray) selected = fw_item_view_dup_selected_items (window->item_view);
    g_assert_cmpuint (selected->len, ==, 1);
    g_assert_true (g_ptr_array_index (selected, 0) == fired);
  }
  g_clear_pointer (&fired, fw_item_unref);

  /* "Mute 1 h" takes the notification away */
  g_action_group_activate_action (G_ACTION_GROUP (app), "mute-alert", g_variant_new_uint32 (0));
  fw_test_wait_until (has_removed, server, "the notification withdrawn");
  g_assert_cmpstr (g_ptr_array_index (server->removed, 0), ==, "alert-0");

  /* A rule on a group takes in the window's feeds of that group, though the engine meets them
   * first in an item */
  {
    const char *group_rules[] = { "name=\"Plant errors\" plants: level>=error", NULL };
    GRefString *plant = g_ref_string_new ("plant.log");
    g_autoptr(FwStream) stream = NULL;
    g_autoptr(FwFeedRunner) runner = NULL;

    g_settings_set_strv (settings, "alert-rules", group_rules);
    fw_test_ui_settle (window);
    items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
    item = fw_item_new (FW_ITEM_LINE, plant, g_get_real_time (), "ERROR valve stuck", -1);
    fw_item_set_level (item, FW_LEVEL_ERROR);
    g_ptr_array_add (items, item);
    stream = fw_array_stream_new_take (g_steal_pointer (&items));
    runner = fw_feed_runner_new_for_stream ("plant.log", stream);
    fw_feed_runner_set_group (runner, "plants");
    fw_window_add_runner (window, runner, FALSE);
    fw_test_wait_until (has_plant_alert, server, "the group's alert");
    g_ref_string_release (plant);
  }

  /* Five rules firing on one line: the first notified alone, then one notification for all */
  {
    const char *burst_rules[] = {
      "name=Errors level>=error", "name=Disk \"disk\"", "name=Full /full/",
      "name=Warnings level>=warning", "name=Loud \"ERROR\"", NULL,
    };
    GRefString *burst = g_ref_string_new ("burst.log");
    g_autoptr(GHashTable) shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr(GVariant) last = NULL;
    guint added_before = server->added->len, removed_before = server->removed->len;

    g_settings_set_strv (settings, "alert-rules", burst_rules);
    fw_test_ui_settle (window);
    items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
    item = fw_item_new (FW_ITEM_LINE, burst, g_get_real_time (), "ERROR disk full", -1);
    fw_item_set_level (item, FW_LEVEL_ERROR);
    g_ptr_array_add (items, item);
    fw_test_ui_add_items (window, "burst.log", g_steal_pointer (&items));
    fw_test_wait_until (has_five_alerts, server, "the grouped notification");
    fw_test_ui_settle (window);

    /* What the desktop shows in the end: the one grouped notification */
    for (guint i = added_before; i < server->added->len; i++)
      {
        g_variant_get (g_ptr_array_index (server->added, i), "(&s&s@a{sv})", NULL, &id, NULL);
        g_hash_table_add (shown, g_strdup (id));
      }
    for (guint i = removed_before; i < server->removed->len; i++)
      g_hash_table_remove (shown, g_ptr_array_index (server->removed, i));
    g_assert_cmpuint (g_hash_table_size (shown), ==, 1);
    g_assert_true (g_hash_table_contains (shown, "alerts"));
    g_variant_get (g_ptr_array_index (server->added, server->added->len - 1), "(&s&s@a{sv})",
                   NULL, &id, &last);
    g_assert_cmpstr (id, ==, "alerts");
    g_assert_true (g_variant_lookup (last, "body", "&s", &body));
    /* Each rule named once, in the order the engine fired them */
    {
      g_auto(GStrv) names = g_strsplit (body, "\n", -1);
      const char *expected[] = { "Disk", "Errors", "Full", "Loud", "Warnings", NULL };

      qsort (names, g_strv_length (names), sizeof (char *), compare_strings);
      g_assert_cmpstrv (names, expected);
    }
    g_ref_string_release (burst);
  }

  fw_test_ui_close_window (window);
  g_settings_reset (settings, "alert-rules");
  g_ref_string_release (feed);
  g_ref_string_release (other);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/alert-notify/notify", test_notify);

  return g_test_run ();
}
