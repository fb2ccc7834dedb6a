/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-real-peer.c: see fw-real-peer.h. */

#include "fw-real-peer.h"

#include "fw-test-util.h"

#include <glib/gstdio.h>
#include <grp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#define POLL_US (10 * 1000)

/* nginx lives in /usr/sbin, which a user's PATH may not have. Interned, so nothing to free. */
const char *
fw_real_peer_find_program (const char *name)
{
  static const char *const dirs[] = { "/usr/sbin", "/usr/bin", "/sbin", "/bin" };
  g_autofree char *found = g_find_program_in_path (name);

  if (found != NULL)
    return g_intern_string (found);

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = g_build_filename (dirs[i], name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
        return g_intern_string (path);
    }

  return NULL;
}

/* Binding port 0 asks the kernel for a free port; the server takes it a moment later. A server
 * with more than one listener takes its other ports from here too. */
guint
fw_real_peer_pick_free_port (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any, FALSE, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

FwRealPeer *
fw_real_peer_new (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *template = g_strdup_printf ("feedwatch-%s-XXXXXX", name);
  FwRealPeer *peer = g_new0 (FwRealPeer, 1);

  peer->dir = g_dir_make_tmp (template, &error);
  g_assert_no_error (error);
  /* nginx started by root serves from workers running as nobody, who must reach the folder */
  g_assert_cmpint (g_chmod (peer->dir, 0755), ==, 0);
  peer->log_path = g_build_filename (peer->dir, "output.log", NULL);
  peer->port = fw_real_peer_pick_free_port ();

  return peer;
}

/* If the test process dies (a failed assertion aborts it), the server is told to stop too. A
 * server that refuses root (PostgreSQL) runs as peer->uid; the signal is asked for after the
 * change, which clears it. */
static void
stop_with_parent (gpointer user_data)
{
  FwRealPeer *peer = user_data;

  if (peer->uid != -1 &&
      (setgroups (0, NULL) != 0 || setgid (peer->gid) != 0 || setuid (peer->uid) != 0))
    _exit (127);
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
on_exited (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  FwRealPeer *peer = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  peer->exited = TRUE;
}

static gboolean
port_answers (guint port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
  return connection != NULL;
}

char *
fw_real_peer_read_log (FwRealPeer *peer,
                       const char *name)
{
  g_autofree char *path = g_build_filename (peer->dir, name, NULL);
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return g_strdup ("(nothing)");
  return text;
}

/* Starts @argv and returns once its port accepts connections. */
void
fw_real_peer_start (FwRealPeer         *peer,
                    const char *const  *argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  gint64 deadline = g_get_monotonic_time () + FW_TEST_DEADLINE_MS * (gint64) 1000;
  g_autofree char *command = g_strjoinv (" ", (char **) argv);

  g_test_message ("starting %s", command);
  peer->exited = FALSE;   /* started again after a stop: a restart */
  g_subprocess_launcher_set_cwd (launcher, peer->dir);
  g_subprocess_launcher_set_stdout_file_path (launcher, peer->log_path);
  g_subprocess_launcher_set_child_setup (launcher, stop_with_parent, peer, NULL);
  peer->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_wait_async (peer->process, NULL, on_exited, peer);

  while (!port_answers (peer->port))
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (peer->exited || g_get_monotonic_time () > deadline)
        {
          g_autofree char *log = fw_real_peer_read_log (peer, "output.log");
          g_autofree char *error_log = fw_real_peer_read_log (peer, "error.log");

          g_error ("%s %s on port %u; its output:\n%s\nits error.log:\n%s", command,
                   peer->exited ? "exited before it listened" : "did not listen in time",
                   peer->port, log, error_log);
        }
      g_usleep (POLL_US);
    }
}

GPid
fw_real_peer_get_pid (FwRealPeer *peer)
{
  const char *id = g_subprocess_get_identifier (peer->process);

  g_assert_nonnull (id);
  return (GPid) g_ascii_strtoll (id, NULL, 10);
}

static gboolean
has_exited (gpointer user_data)
{
  FwRealPeer *peer = user_data;

  return peer->exited;
}

static gboolean
on_expired (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* SIGTERM (nginx: fast shutdown, its workers too), and SIGKILL if it is still there later. */
void
fw_real_peer_stop (FwRealPeer *peer)
{
  if (peer->process == NULL)
    return;

  if (!peer->exited)
    {
      gboolean expired = FALSE;
      GSource *deadline = g_timeout_source_new (FW_TEST_DEADLINE_MS / 2);

      g_source_set_callback (deadline, on_expired, &expired, NULL);
      g_source_attach (deadline, NULL);
      g_subprocess_send_signal (peer->process, SIGTERM);
      while (!peer->exited && !expired)
        g_main_context_iteration (NULL, TRUE);
      g_source_destroy (deadline);
      g_source_unref (deadline);

      if (!peer->exited)
        {
          g_test_message ("%s ignored SIGTERM: killed", g_subprocess_get_identifier (peer->process));
          g_subprocess_force_exit (peer->process);
          fw_test_wait_until (has_exited, peer, "the server to be killed");
        }
    }

  g_clear_object (&peer->process);
}

void
fw_real_peer_free (FwRealPeer *peer)
{
  fw_real_peer_stop (peer);
  fw_test_remove_tree (peer->dir);
  g_free (peer->dir);
  g_free (peer->log_path);
  g_free (peer);
}
