/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-launch.c: starting the window on a machine where nothing of Feedwatch is installed.
 * The binary in the build tree finds the settings schema compiled beside it; a binary that
 * finds no schema anywhere says so in words and exits 1, instead of GSettings aborting it. Each
 * run gets its own D-Bus session bus, an empty HOME, and system data folders without schemas. */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "fw-test-util.h"

typedef struct
{
  char      *dir;        /* HOME, and an empty data folder */
  char      *display;    /* GTestDBus unsets DISPLAY; the window needs it */
  GTestDBus *bus;
} Fixture;

static const char * const system_data[] = { "mime", "icons", "themes" };

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *empty = NULL;

  fixture->dir = g_dir_make_tmp ("fw-launch-XXXXXX", &error);
  g_assert_no_error (error);
  empty = g_build_filename (fixture->dir, "empty", NULL);
  g_assert_cmpint (g_mkdir (empty, 0700), ==, 0);
  /* The system's data, but for any schema: file types and icons, as on any desktop */
  for (guint i = 0; i < G_N_ELEMENTS (system_data); i++)
    {
      g_autofree char *target = g_build_filename ("/usr/share", system_data[i], NULL);
      g_autofree char *link = g_build_filename (empty, system_data[i], NULL);

      g_assert_cmpint (symlink (target, link), ==, 0);
    }

  fixture->display = g_strdup (g_getenv ("DISPLAY"));
  fixture->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (fixture->bus);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_test_dbus_down (fixture->bus);
  g_clear_object (&fixture->bus);
  fw_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  if (fixture->display != NULL)
    g_setenv ("DISPLAY", fixture->display, TRUE);
  g_free (fixture->display);
}

/* A launcher with what a fresh machine has: no schema named or installed. */
static GSubprocessLauncher *
fresh_launcher (Fixture *fixture)
{
  GSubprocessLauncher *launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autofree char *empty = g_build_filename (fixture->dir, "empty", NULL);

  g_subprocess_launcher_unsetenv (launcher, "GSETTINGS_SCHEMA_DIR");
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_DIRS", empty, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", empty, TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", fixture->dir, TRUE);
  if (fixture->display != NULL)
    g_subprocess_launcher_setenv (launcher, "DISPLAY", fixture->display, TRUE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS",
                                g_test_dbus_get_bus_address (fixture->bus), TRUE);
  return launcher;
}

static void
on_communicated (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  char **err = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, NULL, err, &error);
  g_assert_no_error (error);
  if (*err == NULL)
    *err = g_strdup ("");
}

/* Waits (bounded) for the process to end; returns its standard error. */
static char *
wait_for_exit (GSubprocess *proc)
{
  char *err = NULL;

  g_subprocess_communicate_utf8_async (proc, NULL, NULL, on_communicated, &err);
  while (err == NULL)
    g_main_context_iteration (NULL, TRUE);
  return err;
}

static void
test_no_schema_says_so (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = fresh_launcher (fixture);
  g_autofree char *copy = g_build_filename (fixture->dir, "feedwatch", NULL);
  g_autoptr(GFile) from = g_file_new_for_path (g_getenv ("FEEDWATCH_BIN"));
  g_autoptr(GFile) to = g_file_new_for_path (copy);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;

  /* Outside the build tree, as an installed binary whose schema was never installed */
  g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (copy, 0755), ==, 0);

  proc = g_subprocess_launcher_spawn (launcher, &error, copy, NULL);
  g_assert_no_error (error);
  err = wait_for_exit (proc);

  g_test_message ("stderr: %s", err);
  g_assert_true (g_subprocess_get_if_exited (proc)); /* not a trap or an abort */
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 1);
  g_assert_nonnull (strstr (err, "settings schema “" APP_ID "” is not installed"));
  g_assert_nonnull (strstr (err, "make run"));
  g_assert_null (strstr (err, "GLib-GIO-ERROR"));
}

static gboolean
on_poll (gpointer data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

static void
test_build_tree_finds_schema (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = fresh_launcher (fixture);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  guint ticks = 0;
  guint poll_id;

  /* The settings themselves stay in memory: the schema is what is looked for. */
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "memory", TRUE);
  proc = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("FEEDWATCH_BIN"),
                                      "sim:sensor?interval=200", NULL);
  g_assert_no_error (error);

  bus = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (fixture->bus),
                                                G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                NULL, NULL, &error);
  g_assert_no_error (error);

  /* The window is up once the application exports it; a process that died on its way there
   * fails at once rather than at the deadline. */
  g_subprocess_communicate_utf8_async (proc, NULL, NULL, on_communicated, &err);
  poll_id = g_timeout_add (50, on_poll, &ticks);
  while (err == NULL && fw_test_count_app_windows (bus) == 0)
    {
      if (ticks > FW_TEST_DEADLINE_MS / 50)
        g_error ("timed out waiting for the window");
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (poll_id);
  if (err != NULL)
    g_error ("feedwatch ended before showing its window: %s", err);

  g_subprocess_send_signal (proc, SIGTERM);
  while (err == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_test_message ("stderr: %s", err);
  g_assert_null (strstr (err, "is not installed"));
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/launch/no-schema-says-so", Fixture, NULL,
              fixture_set_up, test_no_schema_says_so, fixture_tear_down);
  g_test_add ("/launch/build-tree-finds-schema", Fixture, NULL,
              fixture_set_up, test_build_tree_finds_schema, fixture_tear_down);

  return g_test_run ();
}
