/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-application.c: windows, app actions, and a quit that waits (briefly) for every stream
 * that is still closing. */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <epoxy/gl.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "fw-application.h"
#include "fw-demo.h"
#include "fw-preferences-window.h"
#include "fw-safe-text.h"
#include "fw-streams.h"
#include "fw-alert-rule.h"
#include "fw-alert-engine.h"
#include "fw-alert-log.h"
#include "fw-window.h"
#include "fw-window-module.h"

/* How long quitting waits for streams to close (sockets, child processes) */
#define QUIT_DEADLINE_MS 2000

/* "Mute 1 h" on an alert's notification */
#define MUTE_US (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)

/* Firings this close together (in the engine's time, the items') make one notification */
#define GROUP_WINDOW_US (2 * G_USEC_PER_SEC)

/* The rules a grouped notification names before "and N more" */
#define GROUP_NAMES_SHOWN 5

struct _FwApplication
{
  AdwApplication parent_instance;
  FwDemo        *demo;
  gboolean       quitting;
  guint          signal_ids[3];
  GSettings     *settings;
  FwAlertEngine *alerts;  /* the rules kept in the settings; NULL without any */

  /* The firings of the last burst: the first is notified alone, the next ones as a group */
  gint64         group_start_us;
  guint          group_first_index;
  GPtrArray     *group_names;
  FwItem        *watched; /* the item the engine weighs now: what fires an alert */
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

/* A path written relative to where the user ran `feedwatch` means that folder, also when the
 * running instance lives elsewhere. */
static char *
resolve_feed (GApplicationCommandLine *cmdline,
              const char              *arg)
{
  g_autoptr(FwFeedSpec) spec = fw_feed_spec_parse (arg, NULL);

  if (spec != NULL && g_str_equal (spec->kind, "file") && !g_path_is_absolute (arg) &&
      !g_str_has_prefix (arg, "file:"))
    {
      g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (cmdline, arg);
      return g_file_get_path (file);
    }

  return g_strdup (arg);
}

/* A path written as a feed that holds a recording (by its content, see
 * fw_window_path_is_recording()) opens a replay window; a log stays a feed to follow. A
 * `file:` feed is always followed. Returns: (transfer full) (nullable): the recording's path */
static char *
recording_for_arg (GApplicationCommandLine *cmdline,
                   const char              *arg)
{
  g_autoptr(FwFeedSpec) spec = fw_feed_spec_parse (arg, NULL);
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (spec == NULL || !g_str_equal (spec->kind, "file") || g_str_has_prefix (arg, "file:"))
    return NULL;
  file = g_application_command_line_create_file_for_arg (cmdline, arg);
  path = g_file_get_path (file);
  if (path == NULL || !fw_window_path_is_recording (path))
    return NULL;
  return g_steal_pointer (&path);
}

static int
fw_application_command_line (GApplication            *app,
                             GApplicationCommandLine *cmdline)
{
  FwApplication *self = FW_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (cmdline);
  g_autofree const char **feeds = NULL;
  gboolean demo = FALSE;
  int status = 0;
  GtkWindow *window;
  g_autoptr(GPtrArray) recordings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) live = g_ptr_array_new ();
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &feeds);
  g_variant_dict_lookup (options, "demo", "b", &demo);

  /* Each recording opens in a replay window of its own; the other feeds go together */
  for (guint i = 0; feeds != NULL && feeds[i] != NULL; i++)
    {
      char *recording = recording_for_arg (cmdline, feeds[i]);

      if (recording != NULL)
        g_ptr_array_add (recordings, recording);
      else
        g_ptr_array_add (live, (gpointer) feeds[i]);
    }
  for (guint i = 0; i < recordings->len; i++)
    {
      g_autoptr(GError) error = NULL;

      if (fw_window_open_recording (GTK_APPLICATION (app), g_ptr_array_index (recordings, i),
                                    &error) == NULL)
        {
          g_application_command_line_printerr (cmdline, "feedwatch: %s\n", error->message);
          g_ptr_array_add (problems, g_strdup (error->message));
          status = 2;
        }
    }
  /* Only recordings, all opened: no live window is asked for */
  if (recordings->len > 0 && problems->len == 0 && live->len == 0 && !demo)
    return status;

  /* Feeds go to the live window in front; a bare second `feedwatch` opens a new window. */
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL || !FW_IS_WINDOW (window) ||
      fw_window_get_recording (FW_WINDOW (window)) != NULL ||
      (live->len == 0 && !demo && recordings->len == 0))
    window = GTK_WINDOW (fw_window_new (GTK_APPLICATION (app)));
  for (guint i = 0; i < problems->len; i++)
    fw_window_toast (FW_WINDOW (window), g_ptr_array_index (problems, i));

  for (guint i = 0; i < live->len; i++)
    {
      g_autofree char *feed = resolve_feed (cmdline, g_ptr_array_index (live, i));
      g_autoptr(GError) error = NULL;

      /* Asking again for a feed the window already watches is not an error worth a toast.
       * Any other refusal is a feed not understood: 2, as `--print` says it. */
      if (fw_window_add_feed (FW_WINDOW (window), feed, &error) == NULL &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        {
          fw_window_toast (FW_WINDOW (window), error->message);
          g_application_command_line_printerr (cmdline, "feedwatch: %s\n", error->message);
          status = 2;
        }
    }

  if (demo)
    {
      g_autoptr(GError) error = NULL;

      if (self->demo == NULL)
        self->demo = fw_demo_new ();
      if (!fw_demo_add_to_window (self->demo, FW_WINDOW (window), &error))
        fw_window_toast (FW_WINDOW (window), error->message);
    }

  gtk_window_present (window);

  /* For a second `feedwatch`, this is its exit status (the first instance's own is 0 once it
   * ran: GApplication resets it when its main loop turns). */
  return status;
}

/* A file manager, or the desktop's "Open With" (D-Bus activation): recordings replay, other
 * files are followed as logs in the live window in front */
static void
fw_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  GtkWindow *window = NULL;

  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *path = g_file_get_path (files[i]);
      g_autoptr(GError) error = NULL;

      if (path != NULL && fw_window_path_is_recording (path) &&
          fw_window_open_recording (GTK_APPLICATION (app), path, &error) != NULL)
        continue;

      if (window == NULL)
        {
          window = gtk_application_get_active_window (GTK_APPLICATION (app));
          if (window == NULL || !FW_IS_WINDOW (window) ||
              fw_window_get_recording (FW_WINDOW (window)) != NULL)
            window = GTK_WINDOW (fw_window_new (GTK_APPLICATION (app)));
          gtk_window_present (window);
        }
      if (error != NULL)
        fw_window_toast (FW_WINDOW (window), error->message);
      else if (path == NULL)
        fw_window_open_file (FW_WINDOW (window), files[i]); /* says it is not on this computer */
      else if (fw_window_add_feed (FW_WINDOW (window), path, &error) == NULL &&
               !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        fw_window_toast (FW_WINDOW (window), error->message);
    }
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
  FwApplication *self = FW_APPLICATION (app);
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->alerts);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->group_names, g_ptr_array_unref);
  /* The alert history outlives the launch; what is active now does not (the engine starts
   * afresh), and the history says so */
  fw_alert_log_end_active (fw_alert_log_get_default (), _("Feedwatch quit while it was active"));
  if (!fw_alert_log_flush (fw_alert_log_get_default (), &error))
    g_message (_("Could not save the alert history: %s"), error->message);

  for (guint i = 0; i < G_N_ELEMENTS (self->signal_ids); i++)
    g_clear_handle_id (&self->signal_ids[i], g_source_remove);
  g_clear_object (&self->demo);

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
  const char *developers[] = { _("The Feedwatch developers"), NULL };

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", "Feedwatch",
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "developer-name", _("The Feedwatch developers"),
                         "developers", developers,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "comments", _("Watch live feeds side by side: sensors, logs, events "
                                       "and command output"),
                         NULL);
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  GtkApplication *app = user_data;

  gtk_window_present (GTK_WINDOW (fw_preferences_window_new (gtk_application_get_active_window (app))));
}

/* ---------------------------------------------------------------------------------------- */
/* Alerts: the rules in the settings, evaluated on every window's items, told as desktop
 * notifications (through the portal inside Flatpak). One notification per rule: a rule that
 * fires on many feeds at once replaces its own; several rules firing within GROUP_WINDOW_US of
 * the first make one notification, "N alerts". */

static void
notify_group (FwApplication *self,
              FwItem        *alert)
{
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *title = NULL;
  guint n = self->group_names->len;

  if (n == 2)
    {
      g_autofree char *first = g_strdup_printf ("alert-%u", self->group_first_index);

      g_application_withdraw_notification (G_APPLICATION (self), first);
    }
  for (guint i = 0; i < MIN (n, GROUP_NAMES_SHOWN); i++)
    {
      /* Rule names are the user's, shown as they are */
      const char *raw = g_ptr_array_index (self->group_names, i);
      g_autofree char *name = fw_safe_text (raw, strlen (raw), 100);

      if (i > 0)
        g_string_append_c (body, '\n');
      g_string_append (body, name);
    }
  if (n > GROUP_NAMES_SHOWN)
    {
      g_string_append_c (body, '\n');
      /* Translators: after the names of the first alerts of a burst */
      g_string_append_printf (body, g_dngettext (NULL, "and %u more", "and %u more",
                                                 n - GROUP_NAMES_SHOWN),
                              n - GROUP_NAMES_SHOWN);
    }
  /* Translators: the title of one notification for alerts that fired together */
  title = g_strdup_printf (g_dngettext (NULL, "%u alert", "%u alerts", n), n);
  notification = g_notification_new (title);
  g_notification_set_body (notification, body->str);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_set_default_action_and_target (notification, "app.show-alert", "(sx)",
                                                alert->feed, (gint64) 0);
  g_notification_add_button_with_target (notification, _("Show"), "app.show-alert", "(sx)",
                                         alert->feed, (gint64) 0);
  g_application_send_notification (G_APPLICATION (self), "alerts", notification);
}

static void
on_alert (FwItem   *alert,
          gpointer  user_data)
{
  FwApplication *self = user_data;
  const char *what = NULL, *rule_text = NULL;
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *id = NULL;
  g_autofree char *text = NULL;
  g_autofree char *body = NULL;
  FwItem *trigger = self->watched != NULL && g_strcmp0 (self->watched->feed, alert->feed) == 0
                      ? self->watched : NULL;
  guint index = 0;

  /* For the Alerts view, the sidebar's badges and the firing row's highlight */
  fw_alert_log_add (fw_alert_log_get_default (), alert, trigger);

  g_variant_lookup (alert->fields, "alert", "&s", &what);
  g_variant_lookup (alert->fields, "rule", "&s", &rule_text);
  for (guint i = 0; i < fw_alert_engine_get_n_rules (self->alerts); i++)
    {
      if (g_strcmp0 (fw_alert_rule_to_string (fw_alert_engine_get_rule (self->alerts, i)),
                     rule_text) == 0)
        index = i;
    }
  id = g_strdup_printf ("alert-%u", index);
  if (g_strcmp0 (what, "fired") != 0)
    {
      g_application_withdraw_notification (G_APPLICATION (self), id);
      return;
    }

  /* Many firings at once (a burst of rules on the same line, a feed failing under several
   * rules) make one notification that names them, not one each */
  if (self->group_names == NULL)
    self->group_names = g_ptr_array_new_with_free_func (g_free);
  if (self->group_names->len > 0 && alert->time_us >= self->group_start_us &&
      alert->time_us - self->group_start_us <= GROUP_WINDOW_US)
    {
      g_ptr_array_add (self->group_names, g_strdup (alert->name));
      notify_group (self, alert);
      return;
    }
  g_ptr_array_set_size (self->group_names, 0);
  g_ptr_array_add (self->group_names, g_strdup (alert->name));
  self->group_start_us = alert->time_us;
  self->group_first_index = index;

  /* What a feed says is shown as it is, on one line, never as markup */
  text = fw_safe_text (alert->text, alert->text_len, 200);
  body = g_strdup_printf ("%s: %s", alert->feed, text);
  notification = g_notification_new (alert->name);
  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  /* "Show" raises the window on the item that fired, when one did (not a timer: silence, a
   * threshold held long enough) */
  g_notification_set_default_action_and_target (notification, "app.show-alert", "(sx)",
                                                alert->feed,
                                                trigger != NULL ? trigger->time_us : (gint64) 0);
  g_notification_add_button_with_target (notification, _("Show"), "app.show-alert", "(sx)",
                                         alert->feed,
                                         trigger != NULL ? trigger->time_us : (gint64) 0);
  g_notification_add_button_with_target (notification, _("Mute 1 h"), "app.mute-alert", "u",
                                         index);
  g_application_send_notification (G_APPLICATION (self), id, notification);
}

/* A feed's title and group, from the window that shows it, for rules scoped by them */
static void
describe_feed (const char  *feed,
               char       **title,
               char       **group,
               gpointer     user_data)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (user_data)); l != NULL;
       l = l->next)
    {
      GListModel *feeds;
      guint n;

      if (!FW_IS_WINDOW (l->data))
        continue;
      feeds = fw_window_get_feeds (l->data);
      n = g_list_model_get_n_items (feeds);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(FwFeedRunner) runner = g_list_model_get_item (feeds, i);

          if (g_strcmp0 (fw_feed_runner_get_spec (runner), feed) == 0)
            {
              *title = g_strdup (fw_feed_runner_get_title (runner));
              *group = g_strdup (fw_feed_runner_get_group (runner));
              return;
            }
        }
    }
}

static void
load_alert_rules (FwApplication *self)
{
  g_auto(GStrv) rules = g_settings_get_strv (self->settings, "alert-rules");

  /* The engine that knew which alerts are active goes; its successor fires again what holds */
  if (self->alerts != NULL)
    fw_alert_log_end_active (fw_alert_log_get_default (), _("The alert rules changed"));
  g_clear_object (&self->alerts);
  /* New rules start a new burst */
  if (self->group_names != NULL)
    g_ptr_array_set_size (self->group_names, 0);
  if (rules[0] == NULL)
    return;

  self->alerts = fw_alert_engine_new ();
  fw_alert_engine_set_func (self->alerts, on_alert, self, NULL);
  fw_alert_engine_set_describe_func (self->alerts, describe_feed, self, NULL);
  for (guint i = 0; rules[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FwAlertRule) rule = fw_alert_rule_parse (rules[i], &error);

      /* The other rules still watch */
      if (rule == NULL)
        g_message ("%s", error->message);
      else
        fw_alert_engine_add_rule (self->alerts, rule);
    }
  fw_alert_engine_attach (self->alerts, NULL);
}

/**
 * fw_application_watch_items:
 *
 * Evaluates the alert rules on items as a window receives them.
 */
void
fw_application_watch_items (FwApplication  *self,
                            FwItem * const *items,
                            guint           n_items)
{
  g_return_if_fail (FW_IS_APPLICATION (self));

  if (self->alerts == NULL)
    return;
  for (guint i = 0; i < n_items; i++)
    {
      self->watched = items[i];
      fw_alert_engine_process (self->alerts, items[i]);
    }
  self->watched = NULL;
  fw_alert_log_note_items (fw_alert_log_get_default (), items, n_items);
}

static void
show_alert_activated (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GtkWindow *window = gtk_application_get_active_window (app);

  if (window == NULL)
    window = GTK_WINDOW (fw_window_new (app));
  gtk_window_present (window);
  gtk_widget_activate_action_variant (GTK_WIDGET (window), "win.show-item", parameter);
}

static void
mute_alert_activated (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  FwApplication *self = FW_APPLICATION (user_data);
  guint index = g_variant_get_uint32 (parameter);
  g_autofree char *id = g_strdup_printf ("alert-%u", index);

  if (self->alerts == NULL || index >= fw_alert_engine_get_n_rules (self->alerts))
    return;
  fw_alert_engine_mute (self->alerts, index, g_get_real_time () + MUTE_US);
  g_application_withdraw_notification (G_APPLICATION (self), id);
}

static const GActionEntry app_actions[] = {
  { "show-alert", show_alert_activated, "(sx)" },
  { "mute-alert", mute_alert_activated, "u" },
  { "quit", quit_activated },
  { "preferences", preferences_activated },
  { "new-window", new_window_activated },
  { "about", about_activated },
};

/* SIGTERM (a session ending, `kill`), SIGINT (Ctrl-C in the terminal that started us) and
 * SIGHUP quit as the menu does: every stream closes, so a `cmd:` feed's child is ended rather
 * than left running without us. */
static gboolean
on_quit_signal (gpointer user_data)
{
  g_action_group_activate_action (G_ACTION_GROUP (user_data), "quit", NULL);

  return G_SOURCE_CONTINUE;
}

/**
 * fw_application_prefer_cairo_on_software_gl:
 *
 * GTK 4.8 draws with OpenGL wherever it can, also when OpenGL is Mesa's software rasterizer
 * (llvmpipe, softpipe: a VM, a machine without a GPU driver, Xvfb). There every frame is
 * rendered whole on the CPU, and an idle window with its once-a-second updates costs several
 * times what it costs with the cairo renderer, which redraws only what changed (see the README,
 * Performance). GTK 4.14 makes the same choice itself. A renderer the user asks for with
 * GSK_RENDERER is left alone; so is hardware OpenGL. Runs before the first window is made:
 * GTK reads GSK_RENDERER when it makes the first renderer.
 *
 * Returns: whether it set GSK_RENDERER=cairo
 */
gboolean
fw_application_prefer_cairo_on_software_gl (void)
{
  static const char *software[] = { "llvmpipe", "softpipe", "Software Rasterizer", "SWR" };
  GdkDisplay *display = gdk_display_get_default ();
  g_autoptr(GdkGLContext) context = NULL;
  const char *renderer;

  if (g_getenv ("GSK_RENDERER") != NULL || display == NULL ||
      !gdk_display_prepare_gl (display, NULL))
    return FALSE;
  context = gdk_display_create_gl_context (display, NULL);
  if (context == NULL || !gdk_gl_context_realize (context, NULL))
    return FALSE;

  gdk_gl_context_make_current (context);
  renderer = (const char *) glGetString (GL_RENDERER);
  for (guint i = 0; renderer != NULL && i < G_N_ELEMENTS (software); i++)
    if (strstr (renderer, software[i]) != NULL)
      {
        g_debug ("OpenGL is software-rendered (%s): drawing with cairo", renderer);
        g_setenv ("GSK_RENDERER", "cairo", FALSE);
        gdk_gl_context_clear_current ();
        return TRUE;
      }
  gdk_gl_context_clear_current ();

  return FALSE;
}

/* Benchmarks only: with FEEDWATCH_FRAME_LOG=FILE, a line for each frame the frame clock runs
 * ("clock TIME") and for each frame drawn ("draw TIME"), in monotonic microseconds. Emission
 * hooks see every surface and clock, popovers' too, and cost nothing when it is unset. */
static gboolean
log_frame (GSignalInvocationHint *hint,
           guint                  n_values,
           const GValue          *values,
           gpointer               user_data)
{
  FILE *log = user_data;
  gboolean drawn = G_TYPE_CHECK_INSTANCE_TYPE (g_value_get_object (&values[0]), GDK_TYPE_SURFACE);

  fprintf (log, "%s %" G_GINT64_FORMAT "\n", drawn ? "draw" : "clock", g_get_monotonic_time ());

  return TRUE;
}

static void
start_frame_log (void)
{
  const char *path = g_getenv ("FEEDWATCH_FRAME_LOG");
  FILE *log;

  if (path == NULL || path[0] == '\0')
    return;
  log = fopen (path, "w");
  if (log == NULL)
    {
      g_printerr ("feedwatch: cannot write the frame log %s: %s\n", path, g_strerror (errno));
      return;
    }
  setvbuf (log, NULL, _IOLBF, 0);
  g_type_class_unref (g_type_class_ref (GDK_TYPE_SURFACE));
  g_type_class_unref (g_type_class_ref (GDK_TYPE_FRAME_CLOCK));
  g_signal_add_emission_hook (g_signal_lookup ("render", GDK_TYPE_SURFACE), 0, log_frame, log,
                              NULL);
  g_signal_add_emission_hook (g_signal_lookup ("after-paint", GDK_TYPE_FRAME_CLOCK), 0,
                              log_frame, log, NULL);
}

static void
fw_application_startup (GApplication *app)
{
  FwApplication *self = FW_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *new_window_accels[] = { "<Control>n", NULL };
  static const int quit_signals[] = { SIGTERM, SIGINT, SIGHUP };

  G_APPLICATION_CLASS (fw_application_parent_class)->startup (app);
  fw_preferences_follow ();

  fw_application_prefer_cairo_on_software_gl ();
  start_frame_log ();

  G_STATIC_ASSERT (G_N_ELEMENTS (quit_signals) == G_N_ELEMENTS (self->signal_ids));
  for (guint i = 0; i < G_N_ELEMENTS (quit_signals); i++)
    self->signal_ids[i] = g_unix_signal_add (quit_signals[i], on_quit_signal, self);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.new-window",
                                         new_window_accels);

  self->settings = g_settings_new (APP_ID);
  g_signal_connect_object (self->settings, "changed::alert-rules", G_CALLBACK (load_alert_rules),
                           self, G_CONNECT_SWAPPED);
  load_alert_rules (self);
}

static void
fw_application_class_init (FwApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  fw_ui_ensure_resources ();

  app_class->activate = fw_application_activate;
  app_class->command_line = fw_application_command_line;
  app_class->open = fw_application_open;
  app_class->startup = fw_application_startup;
  app_class->shutdown = fw_application_shutdown;
}

static void
fw_application_init (FwApplication *self)
{
  static const GOptionEntry entries[] = {
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Also start a built-in event server and a demo log, and watch them"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL, "[FEED…]" },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
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

/**
 * fw_window_module_run:
 * @argc: the command line's argument count, as main() got it
 * @argv: (array length=argc): the command line, as main() got it
 *
 * The window module's entry point: runs the one-instance desktop application, or hands the
 * feeds to the instance already running.
 *
 * Returns: the exit status
 */
int
fw_window_module_run (int    argc,
                      char **argv)
{
  g_autoptr(FwApplication) app = fw_application_new (G_APPLICATION_HANDLES_COMMAND_LINE |
                                                     G_APPLICATION_HANDLES_OPEN);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
