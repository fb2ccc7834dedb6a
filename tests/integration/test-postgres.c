/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-postgres.c: `postgres://` against a real PostgreSQL 15 (Debian's postgresql-15), made
 * by initdb in a folder of the test's own and started on a loopback port with its own socket
 * folder, as the `postgres` user when the test runs as root (PostgreSQL refuses root). A table
 * with a trigger that notifies on insert, update and delete is the reference texts' change
 * stream: every change arrives once and in order, with its JSON fields; a server restart in
 * the middle is reported (retrying, then listening again with the gap said plainly) and the
 * feed goes on; a wrong password is said in words. */

#include "fw-test-util.h"
#include "fw-real-peer.h"

#include <glib/gstdio.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "fw-postgres-source.h"

#define PG_BIN    "/usr/lib/postgresql/15/bin"
#define PASSWORD  "s3cret-for-tests"
#define N_CHANGES 2000

typedef struct
{
  char *dir;     /* the cluster made by initdb, shared by the tests */
  int   uid;
  int   gid;
} Cluster;

static Cluster cluster = { NULL, -1, -1 };

typedef struct
{
  FwRealPeer *server;
  char       *socket_dir;
} Fixture;

static void
become_postgres (gpointer user_data)
{
  if (cluster.uid != -1 && (setgid (cluster.gid) != 0 || setuid (cluster.uid) != 0))
    _exit (127);
}

static void
own (const char *path)
{
  if (cluster.uid != -1)
    g_assert_cmpint (chown (path, cluster.uid, cluster.gid), ==, 0);
}

/* initdb once for all the tests: a few seconds */
static gboolean
make_cluster (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *pwfile = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  if (!g_file_test (PG_BIN "/initdb", G_FILE_TEST_IS_EXECUTABLE))
    return FALSE;

  if (geteuid () == 0)
    {
      struct passwd *pw = getpwnam ("postgres");

      if (pw == NULL)
        return FALSE;
      cluster.uid = (int) pw->pw_uid;
      cluster.gid = (int) pw->pw_gid;
    }

  cluster.dir = g_dir_make_tmp ("feedwatch-pgdata-XXXXXX", &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (cluster.dir, 0755), ==, 0);
  own (cluster.dir);
  pwfile = g_build_filename (cluster.dir, "pw", NULL);
  g_file_set_contents (pwfile, PASSWORD "\n", -1, &error);
  g_assert_no_error (error);
  own (pwfile);
  data = g_build_filename (cluster.dir, "data", NULL);

  {
    const char *argv[] = { PG_BIN "/initdb", "-D", data, "-U", "feedwatch", "--pwfile", pwfile,
                           "-A", "scram-sha-256", "--no-sync", "--no-instructions",
                           "-E", "UTF8", "--locale", "C", NULL };

    if (!g_spawn_sync (cluster.dir, (char **) argv, NULL, G_SPAWN_DEFAULT, become_postgres, NULL,
                       &out, &err, &status, &error) ||
        !g_spawn_check_wait_status (status, &error))
      g_error ("initdb failed: %s\n%s%s", error->message, out != NULL ? out : "",
               err != NULL ? err : "");
  }

  return TRUE;
}

/* The port answers before the server takes sessions ("the database system is starting up") */
static gboolean
server_ready (Fixture *fixture)
{  g_autofree char *conninfo = g_strdup_printf ("host=127.0.0.1 port=%u dbname=postgres "
                                               "sslmode=disable", fixture->server->port);

  return PQping (conninfo) == PQPING_OK;
}

static void
start_server (Fixture *fixture)
{
  g_autofree char *data = g_build_filename (cluster.dir, "data", NULL);
  g_autofree char *port = g_strdup_printf ("%u", fixture->server->port);
  const char *argv[] = { PG_BIN "/postgres", "-D", data, "-p", port, "-k",
                         fixture->socket_dir, "-c", "listen_addresses=127.0.0.1",
                         "-c", "fsync=off", NULL };

  gint64 deadline;

  fw_real_peer_start (fixture->server, argv);
  /* Nothing in the main loop says when: asked every 20 ms, within the deadline */
  deadline = g_get_monotonic_time () + FW_TEST_DEADLINE_MS * (gint64) 1000;
  while (!server_ready (fixture))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("PostgreSQL did not accept sessions in time");
      g_usleep (20 * 1000);
    }
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  if (cluster.dir == NULL)
    {
      g_test_skip ("needs PostgreSQL 15: apt-get install postgresql-15 (make deps installs it)");
      return;
    }

  fixture->server = fw_real_peer_new ("postgres");
  fixture->server->uid = cluster.uid;
  fixture->server->gid = cluster.gid;
  fixture->socket_dir = g_build_filename (fixture->server->dir, "socket", NULL);
  g_assert_cmpint (g_mkdir (fixture->socket_dir, 0755), ==, 0);
  own (fixture->socket_dir);
  own (fixture->server->dir);
  start_server (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  if (fixture->server != NULL)
    {
      /* Fast shutdown (SIGINT): a smart one (SIGTERM) would wait for every client */
      if (fixture->server->process != NULL && !fixture->server->exited)
        g_subprocess_send_signal (fixture->server->process, SIGINT);
      g_clear_pointer (&fixture->server, fw_real_peer_free);
    }
  g_clear_pointer (&fixture->socket_dir, g_free);
}

static PGconn *
connect_client (Fixture *fixture)
{
  g_autofree char *conninfo =
    g_strdup_printf ("host=127.0.0.1 port=%u user=feedwatch password=" PASSWORD
                     " dbname=postgres sslmode=disable", fixture->server->port);
  PGconn *conn = PQconnectdb (conninfo);

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("connecting: %s", PQerrorMessage (conn));
  return conn;
}

static void
run_sql (PGconn     *conn,
         const char *sql)
{
  PGresult *result = PQexec (conn, sql);

  if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (result));
  PQclear (result);
}

/* The change stream: every row change notifies `changes` with {"op", "id", "name"} */
static const char change_stream_sql[] =
  "CREATE TABLE IF NOT EXISTS items (id integer PRIMARY KEY, name text);"
  "CREATE OR REPLACE FUNCTION notify_change() RETURNS trigger AS $$"
  "BEGIN"
  "  IF TG_OP = 'DELETE' THEN"
  "    PERFORM pg_notify('changes', json_build_object('op', TG_OP, 'id', OLD.id)::text);"
  "    RETURN OLD;"
  "  END IF;"
  "  PERFORM pg_notify('changes', json_build_object('op', TG_OP, 'id', NEW.id,"
  "                                                 'name', NEW.name)::text);"
  "  RETURN NEW;"
  "END $$ LANGUAGE plpgsql;"
  "CREATE OR REPLACE TRIGGER items_changed AFTER INSERT OR UPDATE OR DELETE ON items"
  "  FOR EACH ROW EXECUTE FUNCTION notify_change();"
  "TRUNCATE items;";

typedef struct
{
  GPtrArray *messages;  /* FwItem *, the notifications */
  GPtrArray *statuses;  /* FwItem * */
  guint      expected;
  const char *status_words;
  PGconn     *client;     /* the test's own session, which changes the table */
  FwStream   *stream;     /* owned by the pump */
  FwTestPump *pump;
} Reader;

static void
reader_take_batch (GPtrArray *batch,
                   gpointer   user_data)
{
  Reader *reader = user_data;

  for (guint i = 0; i < batch->len; i++)
    {
      FwItem *item = g_ptr_array_index (batch, i);

      if (item->kind == FW_ITEM_STATUS)
        g_test_message ("status: %s", item->text);
      g_ptr_array_add (item->kind == FW_ITEM_STATUS ? reader->statuses : reader->messages,
                       fw_item_ref (item));
    }
}

static gboolean
has_messages (gpointer user_data)
{
  Reader *reader = user_data;

  return reader->messages->len >= reader->expected;
}

static gboolean
has_status (gpointer user_data)
{
  Reader *reader = user_data;

  for (guint i = 0; i < reader->statuses->len; i++)
    {
      FwItem *item = g_ptr_array_index (reader->statuses, i);

      if (strstr (item->text, reader->status_words) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
wait_for_status (Reader     *reader,
                 const char *words)
{
  reader->status_words = words;
  fw_test_wait_until (has_status, reader, words);
}

static void
wait_for_messages (Reader *reader,
                   guint   n)
{
  reader->expected = n;
  fw_test_wait_until (has_messages, reader, "notifications");
}

static char *
feed_for (Fixture    *fixture,
          const char *password)
{
  return g_strdup_printf ("postgres://feedwatch:%s@127.0.0.1:%u/postgres?sslmode=disable"
                          "&channel=changes,other", password, fixture->server->port);
}

/* Makes the change stream's table in the test's own session, and reads the feed (with the
 * right password) until it says it is listening */
static void
reader_start (Reader     *reader,
              Fixture    *fixture,
              const char *listening)
{
  g_autofree char *feed = feed_for (fixture, PASSWORD);
  g_autoptr(GError) error = NULL;

  reader->client = connect_client (fixture);
  run_sql (reader->client, change_stream_sql);
  reader->stream = fw_feed_open (feed, FW_FEED_OPEN_NONE, &error);
  g_assert_no_error (error);
  reader->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  reader->statuses = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  reader->pump = fw_test_pump_new (reader->stream, reader_take_batch, reader);
  wait_for_status (reader, listening);
}

static void
reader_finish (Reader *reader)
{
  fw_test_pump_free (reader->pump);
  g_ptr_array_unref (reader->messages);
  g_ptr_array_unref (reader->statuses);
  g_clear_pointer (&reader->client, PQfinish);
}

static const char *
field_string (FwItem     *item,
              const char *key)
{
  const char *value = NULL;

  g_assert_nonnull (item->fields);
  if (!g_variant_lookup (item->fields, key, "&s", &value))
    return NULL;
  return value;
}

static gint64
field_number (FwItem     *item,
              const char *key)
{
  g_autoptr(GVariant) value = g_variant_lookup_value (item->fields, key, NULL);

  g_assert_nonnull (value);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    return g_variant_get_int64 (value);
  return (gint64) g_variant_get_double (value);
}

/* Each change once, in the order of the commits */
static void
assert_changes (GPtrArray  *messages,
                guint       start,
                const char *op,
                guint       first_id,
                guint       n)
{
  for (guint i = 0; i < n; i++)
    {
      FwItem *item = g_ptr_array_index (messages, start + i);

      g_assert_cmpstr (item->name, ==, "changes");
      g_assert_cmpstr (field_string (item, "op"), ==, op);
      g_assert_cmpint (field_number (item, "id"), ==, first_id + i);
    }
}

static void
test_change_stream (Fixture       *fixture,
                    gconstpointer  user_data)
{
  Reader reader = { 0 };

  if (fixture->server == NULL)
    return;

  reader_start (&reader, fixture, "listening on changes, other");
  g_assert_true (FW_IS_POSTGRES_SOURCE (reader.stream));
  /* The password is not the feed's identity */
  g_assert_null (strstr (fw_stream_get_name (reader.stream), PASSWORD));

  run_sql (reader.client, "INSERT INTO items SELECT n, 'item ' || n FROM generate_series(1, "
                          G_STRINGIFY (N_CHANGES) ") AS n");
  run_sql (reader.client, "UPDATE items SET name = 'renamed' WHERE id <= 100");
  run_sql (reader.client, "DELETE FROM items WHERE id <= 50");
  run_sql (reader.client, "NOTIFY other, 'not json'");
  wait_for_messages (&reader, N_CHANGES + 100 + 50 + 1);
  fw_test_iterate_idle ();

  g_assert_cmpuint (reader.messages->len, ==, N_CHANGES + 100 + 50 + 1);
  assert_changes (reader.messages, 0, "INSERT", 1, N_CHANGES);
  assert_changes (reader.messages, N_CHANGES, "UPDATE", 1, 100);
  assert_changes (reader.messages, N_CHANGES + 100, "DELETE", 1, 50);
  g_assert_cmpstr (field_string (g_ptr_array_index (reader.messages, 0), "name"), ==, "item 1");
  {
    FwItem *plain = g_ptr_array_index (reader.messages, N_CHANGES + 150);

    g_assert_cmpstr (plain->name, ==, "other");
    g_assert_cmpstr (plain->text, ==, "not json");
  }

  reader_finish (&reader);
}

static gboolean
server_exited (gpointer user_data)
{
  return ((FwRealPeer *) user_data)->exited;
}

static void
test_restart (Fixture       *fixture,
              gconstpointer  user_data)
{
  Reader reader = { 0 };

  if (fixture->server == NULL)
    return;

  reader_start (&reader, fixture, "listening on");
  run_sql (reader.client, "INSERT INTO items SELECT n, 'a' FROM generate_series(1, 100) AS n");
  wait_for_messages (&reader, 100);
  g_clear_pointer (&reader.client, PQfinish);

  /* A fast shutdown closes every session; then the server comes back on the same port */
  g_subprocess_send_signal (fixture->server->process, SIGINT);
  fw_test_wait_until (server_exited, fixture->server, "the server to stop");
  g_clear_object (&fixture->server->process);
  wait_for_status (&reader, "retrying in");
  start_server (fixture);
  wait_for_status (&reader, "LISTEN/NOTIFY has no replay: notifications sent while "
                            "disconnected");

  reader.client = connect_client (fixture);
  run_sql (reader.client, "INSERT INTO items SELECT n, 'b' FROM generate_series(101, 200) AS n");
  wait_for_messages (&reader, 200);
  fw_test_iterate_idle ();
  g_assert_cmpuint (reader.messages->len, ==, 200);
  assert_changes (reader.messages, 0, "INSERT", 1, 200);

  reader_finish (&reader);
}

static void
test_bad_password (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autofree char *feed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(GPtrArray) items = NULL;

  if (fixture->server == NULL)
    return;

  feed = feed_for (fixture, "wrong-password");
  stream = fw_feed_open (feed, FW_FEED_OPEN_NONE, &error);
  g_assert_no_error (error);
  items = fw_test_collect (stream, &error);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "PostgreSQL refused the password"));
  g_assert_nonnull (strstr (error->message, "password authentication failed"));
  g_assert_null (strstr (error->message, "wrong-password"));
}

/* No server needed: what the address must say */
static void
test_addresses (void)
{
  static const struct
  {
    const char *feed;
    const char *words;
  } bad[] = {
    { "postgres://u@127.0.0.1/db", "name the channels to LISTEN on" },
    { "postgresql://u@127.0.0.1/db?channel=", "name the channels to LISTEN on" },
    { "postgres://u@127.0.0.1/db?channel=a&nonsense=1", "libpq does not take this address" },
    { "postgres:u@127.0.0.1/db?channel=a", "postgres://user@host:port/database?channel=NAME" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    fw_test_assert_feed_refused (bad[i].feed, bad[i].words);

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FwStream) a = fw_feed_open ("postgresql://u@127.0.0.1/db?channel=a,b",
                                          FW_FEED_OPEN_NONE, &error);
    g_autoptr(FwStream) b = fw_feed_open ("postgres://u@127.0.0.1/db#channel=a",
                                          FW_FEED_OPEN_NONE, &error);

    g_assert_no_error (error);
    g_assert_true (FW_IS_POSTGRES_SOURCE (a));
    g_assert_true (FW_IS_POSTGRES_SOURCE (b));
  }
}

int
main (int    argc,
      char **argv)
{
  gboolean have_cluster;
  int status;

  g_test_init (&argc, &argv, NULL);

  have_cluster = make_cluster ();
  if (!have_cluster)
    g_test_message ("PostgreSQL 15 is not installed: the server tests are skipped");

  g_test_add_func ("/postgres/addresses", test_addresses);
  g_test_add ("/postgres/change-stream", Fixture, NULL, fixture_set_up, test_change_stream,
              fixture_tear_down);
  g_test_add ("/postgres/restart", Fixture, NULL, fixture_set_up, test_restart,
              fixture_tear_down);
  g_test_add ("/postgres/bad-password", Fixture, NULL, fixture_set_up, test_bad_password,
              fixture_tear_down);

  status = g_test_run ();
  if (cluster.dir != NULL)
    fw_test_remove_tree (cluster.dir);
  g_free (cluster.dir);
  return status;
}
