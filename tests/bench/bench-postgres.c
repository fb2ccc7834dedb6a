/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-postgres.c: `postgres://` against psycopg 3, in one run, on one PostgreSQL 15 server
 * this bench makes (initdb in /tmp, a loopback port, as the postgres user when run as root).
 *
 * A sender commits FW_BENCH_PG_NOTIFICATIONS notifications (200,000 by default) on channel
 * `bench` in one transaction; the clock runs from its commit to the last notification
 * received: by the library (the feed through for_each) and by psycopg 3's async notifies()
 * (bench_postgres.py). Notifications/s each.
 */

#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libpq-fe.h>

#include "fw-streams.h"

#define PG_BIN "/usr/lib/postgresql/15/bin"

static int pg_uid = -1;
static int pg_gid = -1;

static guint64
env_uint (const char *name,
          guint64     fallback)
{
  const char *value = g_getenv (name);

  return value != NULL && value[0] != '\0' ? g_ascii_strtoull (value, NULL, 10) : fallback;
}

static void
become_postgres (gpointer user_data)
{
  if (pg_uid != -1 && (setgid (pg_gid) != 0 || setuid (pg_uid) != 0))
    _exit (127);
  prctl (PR_SET_PDEATHSIG, SIGINT);
}

static guint
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
own (const char *path)
{
  if (pg_uid != -1)
    g_assert (chown (path, pg_uid, pg_gid) == 0);
}

/* initdb and start; Returns: the server's pid, or 0 */
static GPid
start_server (const char *dir,
              guint       port)
{
  g_autofree char *data = g_build_filename (dir, "data", NULL);
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  g_autofree char *log = g_build_filename (dir, "server.log", NULL);
  g_autofree char *conninfo = g_strdup_printf ("host=127.0.0.1 port=%u dbname=postgres "
                                               "user=bench sslmode=disable", port);
  const char *initdb[] = { PG_BIN "/initdb", "-D", data, "-U", "bench", "-A", "trust",
                           "--no-sync", "-E", "UTF8", "--locale", "C", NULL };
  const char *server[] = { PG_BIN "/postgres", "-D", data, "-p", port_text, "-k", dir,
                           "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", NULL };
  g_autoptr(GError) error = NULL;
  gint64 deadline;
  int status;
  GPid pid;

  own (dir);
  if (!g_spawn_sync (dir, (char **) initdb, NULL, G_SPAWN_STDOUT_TO_DEV_NULL |
                     G_SPAWN_STDERR_TO_DEV_NULL, become_postgres, NULL, NULL, NULL, &status,
                     &error) ||
      !g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("initdb failed: %s\n", error->message);
      return 0;
    }
  if (!g_spawn_async (dir, (char **) server, NULL, G_SPAWN_DO_NOT_REAP_CHILD |
                      G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, become_postgres,
                      NULL, &pid, &error))
    {
      g_printerr ("postgres failed: %s\n", error->message);
      return 0;
    }

  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (PQping (conninfo) != PQPING_OK)
    {
      if (g_get_monotonic_time () > deadline)
        {
          g_printerr ("PostgreSQL did not start (see %s)\n", log);
          return 0;
        }
      g_usleep (20 * 1000);
    }
  return pid;
}

typedef struct
{
  guint64  received;
  guint64  expected;
  gint64   start;
  gint64   end;
  gboolean listening;
} Count;

static gboolean
on_item (FwItem   *item,
         gpointer  user_data)
{
  Count *count = user_data;

  if (item->kind == FW_ITEM_STATUS)
    {
      count->listening |= g_str_has_prefix (item->text, "listening");
      return TRUE;
    }
  if (++count->received == count->expected)
    {
      count->end = g_get_monotonic_time ();
      return FALSE;
    }
  return TRUE;
}

static void
on_loop_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  fw_stream_for_each_finish (FW_STREAM (object), result, NULL);
}

static void
run_sql (PGconn     *conn,
         const char *sql)
{
  PGresult *result = PQexec (conn, sql);

  if (PQresultStatus (result) != PGRES_TUPLES_OK && PQresultStatus (result) != PGRES_COMMAND_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (result));
  PQclear (result);
}

static double
read_with_library (guint   port,
                   guint64 n)
{
  g_autofree char *feed = g_strdup_printf ("postgres://bench@127.0.0.1:%u/postgres"
                                           "?sslmode=disable&channel=bench", port);
  g_autofree char *conninfo = g_strdup_printf ("host=127.0.0.1 port=%u dbname=postgres "
                                               "user=bench sslmode=disable", port);
  g_autofree char *sql = g_strdup_printf ("SELECT pg_notify('bench', g::text) FROM "
                                          "generate_series(1, %" G_GUINT64_FORMAT ") AS g", n);
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = fw_feed_open (feed, FW_FEED_OPEN_NONE, &error);
  Count count = { 0, n, 0, 0, FALSE };
  PGconn *sender;

  g_assert_no_error (error);
  fw_stream_for_each_async (stream, 4096, on_item, &count, NULL, NULL, on_loop_done, &count);
  while (!count.listening)
    g_main_context_iteration (NULL, TRUE);

  sender = PQconnectdb (conninfo);
  g_assert (PQstatus (sender) == CONNECTION_OK);
  run_sql (sender, sql);
  count.start = g_get_monotonic_time ();
  while (count.end == 0)
    g_main_context_iteration (NULL, TRUE);
  PQfinish (sender);
  fw_stream_close (stream);

  return n / ((count.end - count.start) / 1e6);
}

static double
read_with_psycopg (guint   port,
                   guint64 n)
{
  g_autofree char *script = g_build_filename (g_getenv ("FW_BENCH_SRC") ? g_getenv ("FW_BENCH_SRC")
                                                                       : ".",
                                              "bench_postgres.py", NULL);
  g_autofree char *conninfo = g_strdup_printf ("host=127.0.0.1 port=%u dbname=postgres "
                                               "user=bench sslmode=disable", port);
  g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, n);
  const char *python = g_getenv ("PYTHON") ? g_getenv ("PYTHON") : "/usr/bin/python3";
  const char *argv[] = { python, script, conninfo, count, NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                     &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("bench_postgres.py failed: %s\n", error->message);
      return -1;
    }
  return g_ascii_strtod (out, NULL);
}

static void
remove_tree (const char *path)
{
  const char *argv[] = { "rm", "-rf", path, NULL };

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL,
                NULL);
}

int
main (int   argc,
      char *argv[])
{
  guint64 n = env_uint ("FW_BENCH_PG_NOTIFICATIONS", 200000);
  g_autofree char *dir = NULL;
  double ours, theirs;
  guint port;
  GPid pid;

  if (!g_file_test (PG_BIN "/postgres", G_FILE_TEST_IS_EXECUTABLE))
    {
      printf ("skipped: PostgreSQL 15 is not installed (Debian package postgresql-15)\n");
      return 0;
    }
  if (geteuid () == 0)
    {
      struct passwd *pw = getpwnam ("postgres");

      if (pw == NULL)
        {
          printf ("skipped: run as root, and there is no postgres user to run the server as\n");
          return 0;
        }
      pg_uid = (int) pw->pw_uid;
      pg_gid = (int) pw->pw_gid;
    }

  dir = g_dir_make_tmp ("fw-bench-postgres-XXXXXX", NULL);
  g_chmod (dir, 0755);
  port = free_port ();
  printf ("Starting PostgreSQL 15 on 127.0.0.1:%u…\n", port);
  pid = start_server (dir, port);
  if (pid == 0)
    {
      remove_tree (dir);
      return 1;
    }

  /* A first burst warms the server (its notification queue's files), for both */
  read_with_library (port, n / 4);
  ours = read_with_library (port, n);
  theirs = read_with_psycopg (port, n);

  kill (pid, SIGINT);
  waitpid (pid, NULL, 0);
  remove_tree (dir);

  printf ("\n%" G_GUINT64_FORMAT " notifications committed at once; the clock runs from the "
          "commit to the last one received; one run each\n\n", n);
  printf ("| %-38s | %18s | %-44s | %18s | %7s |\n", "Feedwatch", "figure", "peer", "peer figure",
          "ratio");
  printf ("|%s|%s|%s|%s|%s|\n", "----------------------------------------",
          "--------------------", "----------------------------------------------",
          "--------------------", "---------");
  if (theirs > 0)
    printf ("| %-38s | %10.0f %-7s | %-44s | %10.0f %-7s | %6.2f× |\n",
            "postgres:// LISTEN (library)", ours, "notif/s", "psycopg 3 async notifies()",
            theirs, "notif/s", ours / theirs);
  return 0;
}
