/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-test-keyring.c: gnome-keyring-daemon on a bus of the test's own (GTestDBus), so the test
 * neither sees nor touches the user's keyring, and parallel tests do not share one. Its
 * HOME and XDG directories are a temporary directory: --unlock creates a login keyring there
 * with the password it reads on stdin, and makes it the default collection. */

#include "fw-test-keyring.h"

#include <signal.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "fw-test-util.h"

static GTestDBus *stopped_bus;

struct _FwTestKeyring
{
  char        *dir;
  GTestDBus   *bus;
  GSubprocess *daemon;
};

/**
 * fw_test_keyring_missing:
 *
 * Returns: (nullable): the program a keyring test needs and the machine lacks, or %NULL
 */
const char *
fw_test_keyring_missing (void)
{
  static const char * const programs[] = { "gnome-keyring-daemon", "dbus-daemon", NULL };

  for (guint i = 0; programs[i] != NULL; i++)
    {
      g_autofree char *path = g_find_program_in_path (programs[i]);
      if (path == NULL)
        return programs[i];
    }
  return NULL;
}

static void
on_name_appeared (GDBusConnection *connection,
                  const char      *name,
                  const char      *owner,
                  gpointer         user_data)
{
  *(gboolean *) user_data = TRUE;
}

static gboolean
default_collection_unlocked (gpointer user_data)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) locked = NULL;

  reply = g_dbus_connection_call_sync (user_data, "org.freedesktop.secrets",
                                       "/org/freedesktop/secrets/aliases/default",
                                       "org.freedesktop.DBus.Properties", "Get",
                                       g_variant_new ("(ss)", "org.freedesktop.Secret.Collection",
                                                      "Locked"),
                                       G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, NULL);
  if (reply == NULL)
    return FALSE; /* no default collection yet */
  g_variant_get (reply, "(v)", &locked);
  return !g_variant_get_boolean (locked);
}

/* The daemon on the keyring's bus, its login keyring unlocked; returns once it serves
 * org.freedesktop.secrets. */
static void
spawn_daemon (FwTestKeyring *self)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = g_build_filename (self->dir, "data", NULL);
  g_autofree char *runtime = g_build_filename (self->dir, "run", NULL);
  GOutputStream *input;
  gboolean appeared = FALSE;
  guint watch;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  /* meson test sets these for our code, not for a daemon of the system's: restarted under
   * them, gnome-keyring-daemon 42 aborted on its own warning ("asked to register item …, but
   * it's already registered"). */
  g_subprocess_launcher_unsetenv (launcher, "MALLOC_PERTURB_");
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  g_subprocess_launcher_setenv (launcher, "HOME", self->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", data, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", runtime, TRUE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS",
                                g_test_dbus_get_bus_address (self->bus), TRUE);
  self->daemon = g_subprocess_launcher_spawn (launcher, &error, "gnome-keyring-daemon",
                                              "--foreground", "--unlock",
                                              "--components=secrets", NULL);
  g_assert_no_error (error);

  input = g_subprocess_get_stdin_pipe (self->daemon);
  g_assert_true (g_output_stream_write_all (input, "test-password", 13, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (input, NULL, &error));

  /* A connection of our own: the process's shared one is left to the code under test. */
  connection = g_dbus_connection_new_for_address_sync (
    g_test_dbus_get_bus_address (self->bus),
    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
    G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
    NULL, NULL, &error);
  g_assert_no_error (error);
  watch = g_bus_watch_name_on_connection (connection, "org.freedesktop.secrets",
                                          G_BUS_NAME_WATCHER_FLAGS_NONE, on_name_appeared,
                                          NULL, &appeared, NULL);
  fw_test_wait_for (&appeared);
  g_bus_unwatch_name (watch);
  /* The daemon serves its name before it has read the password and unlocked the keyring. */
  fw_test_wait_until (default_collection_unlocked, connection, "the keyring to be unlocked");
  g_dbus_connection_close_sync (connection, NULL, NULL);
}

/**
 * fw_test_keyring_start:
 *
 * Starts a private session bus (this process's session bus from now on) with a keyring
 * daemon on it, and returns once the daemon serves org.freedesktop.secrets. Call it before
 * anything in the process uses the session bus.
 */
FwTestKeyring *
fw_test_keyring_start (void)
{
  FwTestKeyring *self = g_new0 (FwTestKeyring, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *runtime = NULL;
  g_autofree char *display = NULL;

  self->dir = g_dir_make_tmp ("fw-keyring-XXXXXX", &error);
  g_assert_no_error (error);
  data = g_build_filename (self->dir, "data", NULL);
  runtime = g_build_filename (self->dir, "run", NULL);
  g_assert_cmpint (g_mkdir (data, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (runtime, 0700), ==, 0);

  /* g_test_dbus_up() unsets DISPLAY as well: a UI test still needs its X server. */
  display = g_strdup (g_getenv ("DISPLAY"));
  self->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (self->bus);
  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);

  spawn_daemon (self);

  return self;
}

/* The keyring comes back after fw_test_keyring_kill(), with what it kept. */
void
fw_test_keyring_restart (FwTestKeyring *self)
{
  g_return_if_fail (self->daemon == NULL);
  spawn_daemon (self);
}

/* The keyring goes away (as when the user has none): the bus stays. */
void
fw_test_keyring_kill (FwTestKeyring *self)
{
  if (self->daemon == NULL)
    return;

  g_subprocess_send_signal (self->daemon, SIGTERM);
  g_subprocess_wait (self->daemon, NULL, NULL);
  g_clear_object (&self->daemon);
}

void
fw_test_keyring_free (FwTestKeyring *self)
{
  if (self == NULL)
    return;

  fw_test_keyring_kill (self);
  /* Stopped, not taken down: g_test_dbus_down() (and so finalizing it) waits for the process's
   * connection to the bus to go, and libsecret and GTK keep theirs for the process's life. */
  g_test_dbus_stop (self->bus);
  stopped_bus = g_steal_pointer (&self->bus);
  fw_test_remove_tree (self->dir);
  g_free (self->dir);
  g_free (self);
}
