/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-single-instance.c: one Feedwatch per session. A second `feedwatch FEED` hands the feed
 * to the running instance and exits; a bare second `feedwatch` opens a window there; quitting
 * through the app's action ends the instance cleanly. Runs the real binary on the test's
 * session bus (make check provides one), with settings in a temporary keyfile so the test can
 * see what the running instance saved. */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "fw-test-util.h"

#define OBJECT_PATH "/io/github/feedwatch/Feedwatch"

typedef struct
{
  char *config_home;
  char *keyfile;
} Env;

static void
env_init (Env *env)
{
  g_autoptr(GError) error = NULL;

  env->config_home = g_dir_make_tmp ("fw-single-XXXXXX", &error);
  g_assert_no_error (error);
  env->keyfile = g_build_filename (env->config_home, "glib-2.0", "settings", "keyfile", NULL);
}

static void
env_clear (Env *env)
{
  g_autofree char *settings = g_path_get_dirname (env->keyfile);
  g_autofree char *glib = g_path_get_dirname (settings);

  g_unlink (env->keyfile);
  g_rmdir (settings);
  g_rmdir (glib);
  g_rmdir (env->config_home);
  g_free (env->keyfile);
  g_free (env->config_home);
}

static GSubprocess *
spawn_feedwatch_with_flags (Env                *env,
                            GSubprocessFlags    flags,
                            const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *proc;

  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", env->config_home, TRUE);
  g_ptr_array_add (argv, (char *) g_getenv ("FEEDWATCH_BIN"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  return proc;
}

static GSubprocess *
spawn_feedwatch (Env                *env,
                 const char * const *args)
{
  return spawn_feedwatch_with_flags (env, G_SUBPROCESS_FLAGS_NONE, args);
}

typedef struct
{
  int       status;
  char     *err;
  gboolean  done;
} Run;

static void
on_communicated (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Run *run = user_data;
  GSubprocess *proc = G_SUBPROCESS (object);
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (proc, result, NULL, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1;
  run->done = TRUE;
}

/* Runs a second `feedwatch` to its end, keeping what it wrote to its own stderr */
static void
run_second (Env                *env,
            const char * const *args,
            Run                *run)
{
  g_autoptr(GSubprocess) proc = spawn_feedwatch_with_flags (env, G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                                            args);

  g_subprocess_communicate_utf8_async (proc, NULL, NULL, on_communicated, run);
  fw_test_wait_for (&run->done);
  g_test_message ("stderr of feedwatch %s: %s", args[0], run->err);
}

static void
on_exited (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *(gboolean *) user_data = TRUE;
}

static void
wait_exit_ok (GSubprocess *proc)
{
  gboolean exited = FALSE;

  g_subprocess_wait_async (proc, NULL, on_exited, &exited);
  fw_test_wait_for (&exited);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
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
saved_feeds_contain (Env        *env,
                     const char *feed)
{
  g_autofree char *contents = NULL;

  return g_file_get_contents (env->keyfile, &contents, NULL, NULL) &&
         strstr (contents, feed) != NULL;
}

static gboolean
on_poll (gpointer data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

/* Waits (bounded) for a condition another process brings about, checking every 50 ms */
#define WAIT_UNTIL(cond)                                                  \
  G_STMT_START {                                                          \
    guint ticks_ = 0;                                                     \
    guint id_ = g_timeout_add (50, on_poll, &ticks_);                     \
    while (!(cond))                                                       \
      {                                                                   \
        if (ticks_ > FW_TEST_DEADLINE_MS / 50)                            \
          g_error ("timed out waiting for: %s", #cond);                   \
        g_main_context_iteration (NULL, TRUE);                            \
      }                                                                   \
    g_source_remove (id_);                                                \
  } G_STMT_END

static void
test_second_invocation (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  const char *primary_args[] = { "sim:sensor?interval=500", NULL };
  const char *feed_args[] = { "sim:sensor?interval=700", NULL };
  const char *bare_args[] = { NULL };
  const char *bogus_args[] = { "bogus:x", NULL };
  Run bogus = { 0 };
  Run again = { 0 };
  g_autoptr(GSubprocess) primary = NULL;
  g_autoptr(GSubprocess) second = NULL;
  g_autoptr(GSubprocess) third = NULL;
  g_autoptr(GVariant) reply = NULL;
  gboolean appeared = FALSE;
  guint watch;
  Env env;

  g_assert_no_error (error);
  env_init (&env);

  watch = g_bus_watch_name_on_connection (bus, APP_ID, G_BUS_NAME_WATCHER_FLAGS_NONE,
                                          on_name_appeared, NULL, &appeared, NULL);
  primary = spawn_feedwatch (&env, primary_args);
  fw_test_wait_for (&appeared);
  WAIT_UNTIL (fw_test_count_app_windows (bus) == 1);
  WAIT_UNTIL (saved_feeds_contain (&env, "interval=500"));

  /* A second `feedwatch FEED` gives the feed to the running one, and returns */
  second = spawn_feedwatch (&env, feed_args);
  wait_exit_ok (second);
  WAIT_UNTIL (saved_feeds_contain (&env, "interval=700"));
  g_assert_cmpuint (fw_test_count_app_windows (bus), ==, 1);

  /* A feed the running one does not understand: the second `feedwatch` says so on its own
   * stderr and exits 2, as --print does; the running one goes on */
  run_second (&env, bogus_args, &bogus);
  g_assert_cmpint (bogus.status, ==, 2);
  g_assert_nonnull (strstr (bogus.err, "bogus:x"));
  g_assert_nonnull (strstr (bogus.err, "unknown kind"));
  g_assert_nonnull (g_subprocess_get_identifier (primary));
  g_assert_cmpuint (fw_test_count_app_windows (bus), ==, 1);
  g_free (bogus.err);

  /* Asking again for a feed it already watches is no error */
  run_second (&env, feed_args, &again);
  g_assert_cmpint (again.status, ==, 0);
  g_assert_null (strstr (again.err, "feedwatch: "));
  g_free (again.err);

  /* A bare second `feedwatch` opens a new window in it */
  third = spawn_feedwatch (&env, bare_args);
  wait_exit_ok (third);
  WAIT_UNTIL (fw_test_count_app_windows (bus) == 2);

  /* Quit: every window and stream closes, the process exits 0 */
  reply = g_dbus_connection_call_sync (bus, APP_ID, OBJECT_PATH, "org.gtk.Actions", "Activate",
                                       g_variant_new ("(sava{sv})", "quit", NULL, NULL), NULL,
                                       G_DBUS_CALL_FLAGS_NONE, FW_TEST_DEADLINE_MS, NULL, &error);
  g_assert_no_error (error);
  wait_exit_ok (primary);

  g_bus_unwatch_name (watch);
  env_clear (&env);
}

/* SIGTERM (a session ending) quits like the menu: the running `cmd:` feed's child is ended,
 * not left behind, and the process exits 0. */
static void
test_sigterm_ends_commands (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autoptr(GSubprocess) primary = NULL;
  g_autofree char *pid_file = NULL;
  g_autofree char *feed = NULL;
  g_autofree char *contents = NULL;
  gboolean appeared = FALSE;
  const char *args[2] = { NULL, NULL };
  guint watch;
  GPid child;
  Env env;

  g_assert_no_error (error);
  env_init (&env);
  pid_file = g_build_filename (env.config_home, "child.pid", NULL);
  feed = g_strdup_printf ("cmd:sh -c \"echo $$ > %s; exec sleep 600\"", pid_file);
  args[0] = feed;

  watch = g_bus_watch_name_on_connection (bus, APP_ID, G_BUS_NAME_WATCHER_FLAGS_NONE,
                                          on_name_appeared, NULL, &appeared, NULL);
  primary = spawn_feedwatch (&env, args);
  fw_test_wait_for (&appeared);
  WAIT_UNTIL (g_file_get_contents (pid_file, &contents, NULL, NULL) && strchr (contents, '\n'));
  child = (GPid) g_ascii_strtoll (contents, NULL, 10);
  g_assert_cmpint (child, >, 1);
  g_assert_cmpint (kill (child, 0), ==, 0);

  g_subprocess_send_signal (primary, SIGTERM);
  wait_exit_ok (primary);
  WAIT_UNTIL (kill (child, 0) != 0);
  g_assert_cmpint (errno, ==, ESRCH);

  g_bus_unwatch_name (watch);
  g_unlink (pid_file);
  env_clear (&env);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/single-instance/second-invocation", test_second_invocation);
  g_test_add_func ("/single-instance/sigterm-ends-commands", test_sigterm_ends_commands);

  return g_test_run ();
}
