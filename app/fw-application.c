/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-application.c: windows, app actions, and a quit that waits (briefly) for every stream
 * that is still closing. */

#include "config.h"

#include "fw-application.h"
#include "fw-streams.h"
#include "fw-window.h"

/* How long quitting waits for streams to close (sockets, child processes) */
#define QUIT_DEADLINE_MS 2000

struct _FwApplication
{
  AdwApplication parent_instance;
  gboolean       quitting;
};

G_DEFINE_FINAL_TYPE (FwApplication, fw_application, ADW_TYPE_APPLICATION)

static void
fw_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (fw_window_new (GTK_APPLICATION (app)));

  gtk_window_present (window);
}

static void
on_closes_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GApplication) app = user_data;
  guint remaining = 0;

  if (!fw_close_registry_wait_finish (FW_CLOSE_REGISTRY (object), result, &remaining, NULL))
    g_warning ("Quitting with %u feeds still closing", remaining);

  g_application_release (app);
}

static void
fw_application_shutdown (GApplication *app)
{
  G_APPLICATION_CLASS (fw_application_parent_class)->shutdown (app);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  FwApplication *self = user_data;
  GList *windows;

  if (self->quitting)
    return;
  self->quitting = TRUE;

  /* Hold the application while closing windows makes their streams close, then release
   * when the registry is empty or the deadline passed. */
  g_application_hold (G_APPLICATION (self));
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_destroy (l->data);
  g_list_free (windows);

  fw_close_registry_wait_async (fw_close_registry_get_default (), QUIT_DEADLINE_MS, NULL,
                                on_closes_done, g_object_ref (self));
}

static void
new_window_activated (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  GtkApplication *app = user_data;

  gtk_window_present (GTK_WINDOW (fw_window_new (app)));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *app = user_data;
  static const char *developers[] = { "The Feedwatch developers", NULL };

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", "Feedwatch",
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "developer-name", "The Feedwatch developers",
                         "developers", developers,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "comments", "Watch live feeds side by side: sensors, logs, events and command output",
                         NULL);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "new-window", new_window_activated },
  { "about", about_activated },
};

static void
fw_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *new_window_accels[] = { "<Control>n", NULL };

  G_APPLICATION_CLASS (fw_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.new-window",
                                         new_window_accels);
}

static void
fw_application_class_init (FwApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = fw_application_activate;
  app_class->startup = fw_application_startup;
  app_class->shutdown = fw_application_shutdown;
}

static void
fw_application_init (FwApplication *self)
{
}

FwApplication *
fw_application_new (GApplicationFlags flags)
{
  return g_object_new (FW_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", flags,
                       "resource-base-path", "/io/github/feedwatch/Feedwatch",
                       NULL);
}
