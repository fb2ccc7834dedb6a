/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-print.c: `feedwatch --print`, run as a user runs it */

#include "fw-test-util.h"
#include "fw-test-server.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

typedef struct
{
  int       status;
  char     *out;
  char     *err;
  gboolean  done;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

static const char *
feedwatch_bin (void)
{
  const char *bin = g_getenv ("FEEDWATCH_BIN");

  g_assert_nonnull (bin);
  return bin;
}

static void
on_communicated (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Run *run = user_data;
  GSubprocess *proc = G_SUBPROCESS (object);
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (proc, result, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1;
  run->done = TRUE;
}

/* Runs feedwatch to its end while this process's main loop serves it (the test servers) */
static void
run_feedwatch (Run               *run,
               const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (char *) feedwatch_bin ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  /* A UTF-8 locale, as a user's: the Flatpak build sandbox runs the tests in C, where stderr
   * turns every non-ASCII character into '?' */
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  run->done = FALSE;
  g_subprocess_communicate_utf8_async (proc, NULL, NULL, on_communicated, run);
  fw_test_wait_for (&run->done);
}

static JsonObject *
parse_line (JsonParser *parser,
            const char *line)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, line, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_count (void)
{
  const char *args[] = { "--print", "--count", "3", "sim:sensor?interval=5", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(GStrv) lines = NULL;
  Run run = { 0 };

  run_feedwatch (&run, args);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  lines = g_strsplit (run.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4); /* three lines and the empty tail */
  g_assert_cmpstr (lines[3], ==, "");

  for (guint i = 0; i < 3; i++)
    {
      JsonObject *object = parse_line (parser, lines[i]);
      g_autofree char *id = g_strdup_printf ("%u", i + 1);
      const char *time = json_object_get_string_member (object, "time");
      g_autoptr(GDateTime) parsed = g_date_time_new_from_iso8601 (time, NULL);
      double value = json_object_get_double_member (object, "value");

      g_assert_cmpstr (json_object_get_string_member (object, "feed"), ==, "sim:sensor?interval=5");
      g_assert_cmpstr (json_object_get_string_member (object, "kind"), ==, "reading");
      g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "sensor");
      g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, id);
      g_assert_nonnull (parsed);
      g_assert_true (g_str_has_suffix (time, "Z"));
      g_assert_cmpuint (strlen (time), ==, strlen ("2026-11-22T02:03:04.000005Z"));
      g_assert_cmpfloat (value, >=, 10);
      g_assert_cmpfloat (value, <=, 50);
    }
  run_clear (&run);
}

static void
test_unknown_feed (void)
{
  const char *args[] = { "--print", "--once", "nonsense:x", NULL };
  Run run = { 0 };

  run_feedwatch (&run, args);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "nonsense:x"));
  g_assert_nonnull (strstr (run.err, "unknown kind"));
  run_clear (&run);
}

static void
test_bad_option_value (void)
{
  const char *args[] = { "--print", "sim:sensor?interval=soon", NULL };
  Run run = { 0 };

  run_feedwatch (&run, args);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "interval"));
  run_clear (&run);
}

/* A typo in an option's name is refused before anything starts, with the options there are */
static void
test_unknown_option (void)
{
  const char *args[] = { "--print", "sim:sensor?intervall=5", NULL };
  Run run = { 0 };

  run_feedwatch (&run, args);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "Feed “sim:sensor?intervall=5”: unknown option “intervall”; "
                                     "the options of sim: feeds are interval, jitter, count and "
                                     "seed"));
  run_clear (&run);
}

static void
test_summary (void)
{
  const char *args[] = { "--summary", "--once", "sim:sensor?interval=1&count=4", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object, *summary;
  Run run = { 0 };

  /* --summary alone prints only the summary line, at the natural end */
  run_feedwatch (&run, args);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_suffix (run.out, "}\n"));
  g_assert_true (strchr (run.out, '\n') == run.out + strlen (run.out) - 1); /* one line */
  object = parse_line (parser, run.out);
  g_assert_cmpstr (json_object_get_string_member (object, "feed"), ==, "sim:sensor?interval=1&count=4");
  summary = json_object_get_object_member (object, "summary");
  g_assert_cmpint (json_object_get_int_member (summary, "items"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (summary, "levels"),
                                               "error"), ==, 0);
  run_clear (&run);
}

static void
test_print_and_summary (void)
{
  const char *args[] = { "--print", "--summary", "sim:sensor?interval=1&count=2",
                         "sim:sensor?interval=1&count=3", NULL };
  g_auto(GStrv) lines = NULL;
  Run run = { 0 };

  run_feedwatch (&run, args);
  g_assert_cmpint (run.status, ==, 0);
  lines = g_strsplit (run.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2 + 3 + 2 + 1);
  /* items first, then one summary per feed, in the order given */
  g_assert_nonnull (strstr (lines[5], "\"summary\":{\"items\":2"));
  g_assert_nonnull (strstr (lines[6], "\"summary\":{\"items\":3"));
  run_clear (&run);
}

/* The summary line of a --summary run, the last line of its output */
static char *
last_line (const char *out)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  guint n = g_strv_length (lines);

  g_assert_cmpuint (n, >=, 2);
  g_assert_cmpstr (lines[n - 1], ==, "");
  return g_strdup (lines[n - 2]);
}

static void
test_summary_log (void)
{
  g_autofree char *dir = g_dir_make_tmp ("fw-test-print-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "app.log", NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *alone = NULL;
  g_autofree char *printed = NULL;
  const char *summary_args[] = { "--summary", "--once", path, NULL };
  const char *print_args[] = { "--print", "--summary", "--once", path, NULL };
  JsonObject *summary, *levels;
  Run run = { 0 };

  /* 3,000 lines of every shape the splitter meets, across its 1 MiB reads: CRLF, a 200 KiB
   * line without a level (truncated to one item), invalid UTF-8, syslog and JSON levels, and a
   * last line without a newline */
  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (text, "2026-12-05 ERROR failed %u\r\n<4>kernel: warn %u\n"
                            "{\"level\":\"info\",\"n\":%u,\"bad\":\"\xff\"}\n", i, i, i);
  for (guint i = 0; i < 200 * 1024; i++)
    g_string_append_c (text, 'x');
  g_string_append (text, "\nDEBUG last");
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));

  /* --summary alone counts the lines without making items; with --print it counts the
   * items: both say the same */
  run_feedwatch (&run, summary_args);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  alone = g_strdup (run.out);
  run_clear (&run);
  run = (Run) { 0 };
  run_feedwatch (&run, print_args);
  g_assert_cmpint (run.status, ==, 0);
  printed = last_line (run.out);
  run_clear (&run);
  g_assert_true (g_str_has_suffix (alone, "\n"));
  alone[strlen (alone) - 1] = '\0';
  g_assert_cmpstr (alone, ==, printed);

  summary = json_object_get_object_member (parse_line (parser, alone), "summary");
  levels = json_object_get_object_member (summary, "levels");
  g_assert_cmpint (json_object_get_int_member (levels, "error"), ==, 1000);
  g_assert_cmpint (json_object_get_int_member (levels, "warning"), ==, 1000);
  g_assert_cmpint (json_object_get_int_member (levels, "info"), ==, 1000);
  g_assert_cmpint (json_object_get_int_member (levels, "debug"), ==, 1);
  /* the lines alone: what the source says about the file is not an item */
  g_assert_cmpint (json_object_get_int_member (summary, "items"), ==, 3002);
  g_assert_cmpint (json_object_get_int_member (summary, "status"), ==, 0);

  g_unlink (path);
  g_rmdir (dir);
}

/* An SSE server that ends the response after every second event: the feed reconnects (with
 * Last-Event-ID) and says so in status items between the events, until a 204 ends it. */
#define SSE_EVENTS 10

static void
on_sse_request (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  const char *last = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Last-Event-ID");
  guint64 next = last != NULL ? g_ascii_strtoull (last, NULL, 10) + 1 : 1;
  g_autoptr(GString) body = g_string_new ("retry: 10\n\n");

  (*(guint *) user_data)++;
  if (next > SSE_EVENTS)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
      return;
    }
  for (guint64 id = next; id < next + 2 && id <= SSE_EVENTS; id++)
    g_string_append_printf (body, "id: %" G_GUINT64_FORMAT "\ndata: event %" G_GUINT64_FORMAT
                            "\n\n", id, id);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/event-stream", SOUP_MEMORY_COPY, body->str,
                                    body->len);
}

static SoupServer *
sse_server_new (guint *n_requests,
                char **feed)
{
  SoupServer *server = soup_server_new (NULL, NULL);
  guint16 port;

  soup_server_add_handler (server, "/events", on_sse_request, n_requests, NULL);
  port = fw_test_server_listen (server, 0);
  *feed = g_strdup_printf ("sse:http://127.0.0.1:%u/events", port);

  return server;
}

static void
sse_server_free (SoupServer *server)
{
  soup_server_disconnect (server);
  g_object_unref (server);
}

/* Counts a run's output lines by kind; the events' ids must be 1, 2, 3… */
typedef struct
{
  guint events;
  guint status;
  guint status_between;  /* after the first event and before the last */
} Kinds;

static Kinds
count_kinds (const char *out)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  Kinds kinds = { 0 };
  guint status_since_event = 0;

  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      JsonObject *object = parse_line (parser, lines[i]);
      const char *kind;

      if (json_object_has_member (object, "summary"))
        continue;
      kind = json_object_get_string_member (object, "kind");
      if (g_str_equal (kind, "status"))
        {
          kinds.status++;
          status_since_event++;
        }
      else
        {
          g_autofree char *id = g_strdup_printf ("%u", ++kinds.events);

          g_assert_cmpstr (kind, ==, "event");
          g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, id);
          if (kinds.events > 1)
            kinds.status_between += status_since_event;
          status_since_event = 0;
        }
    }

  return kinds;
}

static void
test_count_data_items (void)
{
  g_autofree char *feed = NULL;
  guint n_requests = 0;
  SoupServer *server = sse_server_new (&n_requests, &feed);
  const char *args[] = { "--print", "--count", "7", feed, NULL };
  Run run = { 0 };
  Kinds kinds;

  /* Seven events, whatever the feed said about its reconnections in between, all printed */
  run_feedwatch (&run, args);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  kinds = count_kinds (run.out);
  g_assert_cmpuint (kinds.events, ==, 7);
  g_assert_cmpuint (kinds.status_between, >, 0);
  g_assert_cmpuint (n_requests, >=, 4);
  run_clear (&run);

  sse_server_free (server);
}

static JsonObject *
summary_of (JsonParser *parser,
            const char *out)
{
  g_autofree char *line = last_line (out);

  g_assert_nonnull (strstr (line, "\"summary\""));
  parse_line (parser, line);
  return json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                        "summary");
}

static gint64
sum_levels (JsonObject *summary)
{
  JsonObject *levels = json_object_get_object_member (summary, "levels");
  g_autoptr(GList) names = json_object_get_members (levels);
  gint64 sum = 0;

  for (GList *l = names; l != NULL; l = l->next)
    sum += json_object_get_int_member (levels, l->data);

  return sum;
}

static void
test_summary_data_items (void)
{
  g_autofree char *feed = NULL;
  guint n_requests = 0;
  SoupServer *server = sse_server_new (&n_requests, &feed);
  const char *print_args[] = { "--print", "--summary", feed, NULL };
  const char *alone_args[] = { "--summary", feed, NULL };
  const char *command_args[] = { "--summary", "--once", "cmd:seq 1000", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *summary;
  Run run = { 0 };
  Kinds kinds;

  /* The items are the events; the status items are counted apart, as many as were printed */
  run_feedwatch (&run, print_args);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  kinds = count_kinds (run.out);
  g_assert_cmpuint (kinds.events, ==, SSE_EVENTS);
  g_assert_cmpuint (kinds.status_between, >, 0);
  summary = summary_of (parser, run.out);
  g_assert_cmpint (json_object_get_int_member (summary, "items"), ==, SSE_EVENTS);
  g_assert_cmpint (sum_levels (summary), ==, 0);  /* events have no level; statuses do */
  g_assert_cmpint (json_object_get_int_member (summary, "status"), ==, kinds.status);
  run_clear (&run);

  run = (Run) { 0 };
  run_feedwatch (&run, alone_args);
  g_assert_cmpint (run.status, ==, 0);
  summary = summary_of (parser, run.out);
  g_assert_cmpint (json_object_get_int_member (summary, "items"), ==, SSE_EVENTS);
  g_assert_cmpint (json_object_get_int_member (summary, "status"), >, 0);
  run_clear (&run);

  /* A command's 1,000 lines are 1,000 items; its exit status is a status item */
  run = (Run) { 0 };
  run_feedwatch (&run, command_args);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  summary = summary_of (parser, run.out);
  g_assert_cmpint (json_object_get_int_member (summary, "items"), ==, 1000);
  g_assert_cmpint (sum_levels (summary), ==, 0);  /* no level in the lines, "info" in the status */
  g_assert_cmpint (json_object_get_int_member (summary, "status"), ==, 1);
  run_clear (&run);

  sse_server_free (server);
}

/* A command on a terminal: its output and errors in the order written, marked as the
 * terminal's, and its colours escaped in the JSON (no raw ESC reaches the reader's terminal). */
static void
test_command_pty (void)
{
  const char *args[] = { "--print", "--once",
                         "cmd:sh -c 'printf \"\\033[31mred\\033[0m\\n\"; echo err >&2; "
                         "echo out; exit 3'#pty=1", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(GStrv) lines = NULL;
  static const char * const texts[] = { "\033[31mred\033[0m", "err", "out" };
  Run run = { 0 };

  run_feedwatch (&run, args);
  g_test_message ("stdout: %s", run.out);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_null (strchr (run.out, '\033'));
  g_assert_nonnull (strstr (run.out, "\"text\":\"\\u001b[31mred\\u001b[0m\""));
  lines = g_strsplit (run.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      JsonObject *object = parse_line (parser, lines[i]);

      g_assert_cmpstr (json_object_get_string_member (object, "text"), ==, texts[i]);
      g_assert_cmpstr (json_object_get_string_member (object, "stream"), ==, "terminal");
    }
  g_assert_cmpstr (json_object_get_string_member (parse_line (parser, lines[3]), "text"), ==,
                   "exited with status 3");
  g_assert_cmpstr (lines[4], ==, "");
  run_clear (&run);
}

/* A command that fails fails the run, and says why on stderr; one that succeeds, or that the
 * run itself ends, does not. */
static void
test_command_exit_status (void)
{
  const char *failed[] = { "--print", "--once", "cmd:sh -c 'echo out; exit 3'", NULL };
  const char *killed[] = { "--print", "--once", "cmd:sh -c 'kill -9 $$'", NULL };
  const char *fine[] = { "--print", "--once", "cmd:sh -c 'echo out'", NULL };
  const char *stopped[] = { "--print", "--count", "1", "cmd:sh -c 'echo out; exec sleep 600'",
                            NULL };
  Run run = { 0 };

  run_feedwatch (&run, failed);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "\"text\":\"out\""));
  g_assert_nonnull (strstr (run.out, "\"text\":\"exited with status 3\""));
  g_assert_nonnull (strstr (run.err, "cmd:sh -c 'echo out; exit 3'"));
  g_assert_nonnull (strstr (run.err, "exited with status 3"));
  run_clear (&run);

  run = (Run) { 0 };
  run_feedwatch (&run, killed);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "killed by signal 9"));
  run_clear (&run);

  run = (Run) { 0 };
  run_feedwatch (&run, fine);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_nonnull (strstr (run.out, "\"text\":\"exited with status 0\""));
  run_clear (&run);

  run = (Run) { 0 };
  run_feedwatch (&run, stopped);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_nonnull (strstr (run.out, "\"text\":\"out\""));
  run_clear (&run);
}

static void
on_websocket (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *conn,
              gpointer                 user_data)
{
  g_ptr_array_add (user_data, g_object_ref (conn));
  soup_websocket_connection_send_text (conn, "hello");
  if (g_str_equal (path, "/binary"))
    {
      guint8 bytes[300];

      for (guint i = 0; i < sizeof bytes; i++)
        bytes[i] = (guint8) (i * 7);
      soup_websocket_connection_send_binary (conn, bytes, sizeof bytes);
      soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
    }
  else if (g_str_equal (path, "/json"))
    {
      soup_websocket_connection_send_text (conn, "{\"msg\":\"login\",\"host\":\"db1\","
                                                 "\"user\":\"ann\",\"value\":42,"
                                                 "\"tags\":[\"a\",\"b\"]}");
      soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
    }
  else if (g_str_has_prefix (path, "/close/"))
    soup_websocket_connection_close (conn, (gushort) atoi (path + strlen ("/close/")), "oops");
}

/* A port on 127.0.0.1 that refuses connections: bound, never listening */
static guint16
refusing_port (GSocket **out_socket)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  *out_socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                              G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (*out_socket, address, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (*out_socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* Under --once a WebSocket that cannot connect or is closed with an error code exits 1 and
 * says why on stderr, as the other feeds do; a normal close is the end, and exits 0. */
static void
test_websocket_once (void)
{
  g_autoptr(GPtrArray) conns = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GSocket) refusing = NULL;
  guint16 port;
  struct { const char *path; int status; const char *words; } cases[] = {
    { "/close/1000", 0, NULL },
    { "/close/1011", 1, "closed by the server (1011 oops)" },
    { "/close/1007", 1, "closed by the server (1007 oops)" },
    { "/close/1009", 1, "closed by the server (1009 oops)" },
    { "/none", 1, "the server refused the WebSocket handshake: HTTP 404 Not Found" },
    { NULL, 1, "Connection refused" },
  };

  soup_server_add_websocket_handler (server, "/close", NULL, NULL, on_websocket, conns, NULL);
  port = fw_test_server_listen (server, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *feed = cases[i].path != NULL
                                ? g_strdup_printf ("ws://127.0.0.1:%u%s", port, cases[i].path)
                                : g_strdup_printf ("ws://127.0.0.1:%u/x",
                                                   refusing_port (&refusing));
      const char *args[] = { "--print", "--once", feed, NULL };
      Run run = { 0 };

      g_test_message ("%s", feed);
      run_feedwatch (&run, args);
      g_test_message ("exit %d, stderr: %s", run.status, run.err);
      g_assert_cmpint (run.status, ==, cases[i].status);
      if (cases[i].words == NULL)
        {
          g_assert_cmpstr (run.err, ==, "");
          g_assert_nonnull (strstr (run.out, "\"text\":\"hello\""));
        }
      else
        {
          g_assert_true (g_str_has_prefix (run.err, "feedwatch: "));
          g_assert_nonnull (strstr (run.err, feed));
          g_assert_nonnull (strstr (run.err, cases[i].words));
          /* and a status that says it, in the output */
          g_assert_nonnull (strstr (run.out, "\"kind\":\"status\""));
          g_assert_nonnull (strstr (run.out, cases[i].words));
        }
      run_clear (&run);
      g_clear_object (&refusing);
    }
  soup_server_disconnect (server);
}

/* A binary message's whole payload, as base64 in "data" */
static void
test_websocket_binary (void)
{
  g_autoptr(GPtrArray) conns = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *feed = NULL;
  g_autofree guchar *data = NULL;
  g_auto(GStrv) lines = NULL;
  gsize len = 0;
  JsonObject *object;
  Run run = { 0 };

  soup_server_add_websocket_handler (server, "/binary", NULL, NULL, on_websocket, conns, NULL);
  feed = g_strdup_printf ("ws://127.0.0.1:%u/binary", fw_test_server_listen (server, 0));
  {
    const char *args[] = { "--print", "--once", feed, NULL };

    run_feedwatch (&run, args);
  }
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  lines = g_strsplit (run.out, "\n", -1);
  /* connected, hello, the binary message */
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  object = parse_line (parser, lines[2]);
  g_assert_cmpstr (json_object_get_string_member (object, "kind"), ==, "message");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (object, "text"),
                                   "300 bytes: 00 07 0e"));
  data = g_base64_decode (json_object_get_string_member (object, "data"), &len);
  g_assert_cmpuint (len, ==, 300);
  for (gsize i = 0; i < len; i++)
    g_assert_cmpuint (data[i], ==, (guint8) (i * 7));
  run_clear (&run);
  soup_server_disconnect (server);
}

/* A JSON message keeps every key: its text is the message, the rest are fields, written out */
static void
test_json_fields (void)
{
  g_autoptr(GPtrArray) conns = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *feed = NULL;
  g_auto(GStrv) lines = NULL;
  JsonObject *object;
  JsonObject *fields;
  Run run = { 0 };

  soup_server_add_websocket_handler (server, "/json", NULL, NULL, on_websocket, conns, NULL);
  feed = g_strdup_printf ("ws://127.0.0.1:%u/json", fw_test_server_listen (server, 0));
  {
    const char *args[] = { "--print", "--once", feed, NULL };

    run_feedwatch (&run, args);
  }
  g_assert_cmpint (run.status, ==, 0);
  lines = g_strsplit (run.out, "\n", -1);
  /* connected, hello, the JSON message */
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  object = parse_line (parser, lines[2]);
  g_assert_cmpstr (json_object_get_string_member (object, "text"), ==, "login");
  fields = json_object_get_object_member (object, "fields");
  g_assert_nonnull (fields);
  g_assert_cmpstr (json_object_get_string_member (fields, "host"), ==, "db1");
  g_assert_cmpstr (json_object_get_string_member (fields, "user"), ==, "ann");
  g_assert_cmpint (json_object_get_int_member (fields, "value"), ==, 42);
  g_assert_cmpstr (json_object_get_string_member (fields, "tags"), ==, "[\"a\",\"b\"]");
  run_clear (&run);
  soup_server_disconnect (server);
}

static void
test_stats (void)
{
  const char *args[] = { "--print", "--stats", "--count", "5", "sim:sensor?interval=1", NULL };
  g_auto(GStrv) lines = NULL;
  Run run = { 0 };

  run_feedwatch (&run, args);
  g_assert_cmpint (run.status, ==, 0);
  lines = g_strsplit (run.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 6);
  g_assert_nonnull (strstr (run.err, "5 items in"));
  g_assert_nonnull (strstr (run.err, "main-loop lag: p50"));
  run_clear (&run);
}

static void
test_duration (void)
{
  const char *args[] = { "--print", "--duration", "0.2", "sim:sensor?interval=10000", NULL };
  Run run = { 0 };

  run_feedwatch (&run, args);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_cmpstr (run.err, ==, "");
  run_clear (&run);
}

/* What the timer cannot honour is refused like any bad option, naming the largest value taken;
 * NaN used to be taken and the run never ended. */
static void
test_duration_refused (void)
{
  static const char * const values[] = { "nan", "inf", "-inf", "1e30", "1000000001", "-1" };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      const char *args[] = { "--print", "--duration", values[i], "sim:sensor?interval=10", NULL };
      Run run = { 0 };

      g_test_message ("--duration %s", values[i]);
      run_feedwatch (&run, args);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_nonnull (strstr (run.err, "--duration"));
      g_assert_nonnull (strstr (run.err, "1000000000"));
      run_clear (&run);
    }
}

/* Past 2^32 ms (49.7 days) a duration is not cut short: here the count ends the run after a
 * second, when a wrapped timer would have stopped it at 0.7 s. */
static void
test_duration_long (void)
{
  const char *args[] = { "--print", "--count", "10", "--duration", "4294968",
                         "sim:sensor?interval=100", NULL };
  g_auto(GStrv) lines = NULL;
  Run run = { 0 };

  run_feedwatch (&run, args);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  lines = g_strsplit (run.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 11);
  run_clear (&run);
}

/* A server whose words would act on a terminal: a reason phrase that sets the window title and
 * the colour and ends in invalid UTF-8, a Content-Type that clears the screen. */
static void
on_hostile_request (SoupServer        *server,
                    SoupServerMessage *msg,
                    const char        *path,
                    GHashTable        *query,
                    gpointer           user_data)
{
  if (g_str_equal (path, "/reason"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                                      "\033]0;TITLE\a\033[31mBroken\xff");
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/x\033[2J", SOUP_MEMORY_STATIC, "hello", 5);
}

static void
check_safe_error (const char *err,
                  const char *expected)
{
  g_test_message ("stderr: %s", err);
  g_assert_true (g_utf8_validate (err, -1, NULL));
  g_assert_null (strchr (err, '\033'));
  g_assert_null (strchr (err, '\a'));
  g_assert_null (strstr (err, "TITLE"));
  g_assert_nonnull (strstr (err, expected));
  /* one line */
  g_assert_true (g_str_has_suffix (err, "\n"));
  g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
}

/* What a server says reaches stderr without its escape sequences, and as valid UTF-8. */
static void
test_terminal_injection (void)
{
  SoupServer *server = soup_server_new (NULL, NULL);
  guint16 port;
  g_autofree char *reason = NULL;
  g_autofree char *type = NULL;

  soup_server_add_handler (server, NULL, on_hostile_request, NULL, NULL);
  port = fw_test_server_listen (server, 0);
  reason = g_strdup_printf ("http://127.0.0.1:%u/reason", port);
  type = g_strdup_printf ("http://127.0.0.1:%u/type", port);

  {
    const char *args[] = { "--print", "--once", type, NULL };
    Run run = { 0 };

    run_feedwatch (&run, args);
    g_assert_cmpint (run.status, !=, 0);
    check_safe_error (run.err, "Content-Type “text/x”,");
    run_clear (&run);
  }
  {
    const char *args[] = { "--print", "--once", reason, NULL };
    Run run = { 0 };

    run_feedwatch (&run, args);
    g_assert_cmpint (run.status, !=, 0);
    check_safe_error (run.err, "Broken\xef\xbf\xbd");
    run_clear (&run);
  }
  {
    /* A followed feed says it in status items: --print's JSON gets the same safe words */
    g_autofree char *sse = g_strdup_printf ("sse:%s#retry=50", reason);
    const char *args[] = { "--print", "--duration", "1", sse, NULL };
    Run run = { 0 };

    run_feedwatch (&run, args);
    g_test_message ("stdout: %s", run.out);
    g_assert_true (g_utf8_validate (run.out, -1, NULL));
    g_assert_null (strstr (run.out, "TITLE"));
    g_assert_null (strstr (run.out, "\\u001b"));
    g_assert_nonnull (strstr (run.out, "HTTP 500 Broken\xef\xbf\xbd"));
    run_clear (&run);
  }

  soup_server_disconnect (server);
  g_object_unref (server);
}

static void
on_line (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  char **line = user_data;
  g_autoptr(GError) error = NULL;

  *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result,
                                                     NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*line);
}

static void
on_process_exit (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  gboolean *done = user_data;

  g_assert_true (g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL));
  *done = TRUE;
}

static void
check_signal_stops_cleanly (int signum)
{
  const char *argv[] = { feedwatch_bin (), "--print", "sim:sensor?interval=5", NULL };
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  gboolean exited = FALSE;

  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));

  /* Once it is live (a first line is out), the signal stops it: streams closed, exit 0. */
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, on_line, &line);
  while (line == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_subprocess_send_signal (proc, signum);
  g_subprocess_wait_async (proc, NULL, on_process_exit, &exited);
  fw_test_wait_for (&exited);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
}

static void
test_sigint (void)
{
  check_signal_stops_cleanly (SIGINT);
}

static void
test_sigterm (void)
{
  check_signal_stops_cleanly (SIGTERM);
}

/* --print must not load GTK: its libraries cost most of a start (dynamic loading), and a
 * headless run has no use for them. Read from the running process's own maps, so a library
 * pulled in by any means counts, not only the binary's direct dependencies. */
static void
test_no_gtk (void)
{
  const char *argv[] = { feedwatch_bin (), "--print", "sim:sensor?interval=5", NULL };
  static const char *window_libraries[] = { "libgtk-4.so", "libadwaita-1.so", "feedwatch-window" };
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *maps_path = NULL;
  g_autofree char *maps = NULL;
  g_autoptr(GString) mapped = g_string_new (NULL);
  gboolean exited = FALSE;

  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));

  /* Live (a first line is out): whatever it loads to run is loaded by now. */
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, on_line, &line);
  while (line == NULL)
    g_main_context_iteration (NULL, TRUE);

  maps_path = g_strdup_printf ("/proc/%s/maps", g_subprocess_get_identifier (proc));
  g_file_get_contents (maps_path, &maps, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (maps, "libglib-2.0.so"));
  for (guint i = 0; i < G_N_ELEMENTS (window_libraries); i++)
    if (strstr (maps, window_libraries[i]) != NULL)
      g_string_append_printf (mapped, " %s", window_libraries[i]);
  if (mapped->len > 0)
    g_test_fail_printf ("feedwatch --print maps what only the window needs:%s", mapped->str);

  g_subprocess_send_signal (proc, SIGTERM);
  g_subprocess_wait_async (proc, NULL, on_process_exit, &exited);
  fw_test_wait_for (&exited);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
}

static void
test_version_and_help (void)
{
  const char *version[] = { "--version", NULL };
  const char *help[] = { "--help", NULL };
  const char *bad[] = { "--frobnicate", NULL };
  Run run = { 0 };

  run_feedwatch (&run, version);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "feedwatch "));
  run_clear (&run);

  run_feedwatch (&run, help);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "--print"));
  g_assert_nonnull (strstr (run.out, "--once"));
  g_assert_nonnull (strstr (run.out, "--count"));
  g_assert_nonnull (strstr (run.out, "--duration"));
  run_clear (&run);

  run_feedwatch (&run, bad);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "frobnicate"));
  run_clear (&run);
}

/* Gone, or a zombie waiting for init to reap it. */
static gboolean
hostile_process_gone (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *stat = NULL;
  const char *end;

  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return TRUE;
  end = strrchr (stat, ')');
  return end != NULL && (end[2] == 'Z' || end[2] == 'X');
}

/* The command exits at once; the jobs it started in the background are ended with the run. */
static void
test_command_leftovers (void)
{
  const char *args[] = { "--print", "--count", "2",
                         "cmd:sh -c 'sleep 3021 & echo $!; sleep 3022 & echo $!; exit 0'", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(GStrv) lines = NULL;
  Run run = { 0 };
  guint n_pids = 0;

  run_feedwatch (&run, args);
  g_assert_cmpint (run.status, ==, 0);
  lines = g_strsplit (run.out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      JsonObject *item;
      guint64 pid;
      gint64 deadline = g_get_monotonic_time () + FW_TEST_DEADLINE_MS * G_TIME_SPAN_MILLISECOND;

      if (lines[i][0] == '\0')
        continue;
      item = parse_line (parser, lines[i]);
      if (!g_ascii_string_to_unsigned (json_object_get_string_member (item, "text"), 10, 1,
                                       G_MAXINT, &pid, NULL))
        continue;
      n_pids++;
      while (!hostile_process_gone (pid) && g_get_monotonic_time () < deadline)
        g_usleep (10 * G_TIME_SPAN_MILLISECOND);
      if (!hostile_process_gone (pid))
        g_error ("process %u, started in the background by the command, outlived the run",
                 (guint) pid);
    }
  g_assert_cmpuint (n_pids, ==, 2);
  run_clear (&run);
}

/* A named pipe as a log: refused at once, in words (opening it would wait for a writer). */
static void
test_fifo_log (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fw-print-fifo-XXXXXX", &error);
  g_autofree char *fifo = g_build_filename (dir, "pipe", NULL);
  const char *args[] = { "--print", "--once", fifo, NULL };
  Run run = { 0 };

  g_assert_no_error (error);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  run_feedwatch (&run, args);
  g_assert_cmpint (run.status, !=, 0);
  g_assert_nonnull (strstr (run.err, "is a named pipe, not a file"));
  g_assert_nonnull (strstr (run.err, "cmd:cat"));
  run_clear (&run);
  g_unlink (fifo);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/print/count", test_count);
  g_test_add_func ("/print/unknown-feed", test_unknown_feed);
  g_test_add_func ("/print/bad-option-value", test_bad_option_value);
  g_test_add_func ("/print/unknown-option", test_unknown_option);
  g_test_add_func ("/print/summary", test_summary);
  g_test_add_func ("/print/print-and-summary", test_print_and_summary);
  g_test_add_func ("/print/summary-log", test_summary_log);
  g_test_add_func ("/print/count-data-items", test_count_data_items);
  g_test_add_func ("/print/summary-data-items", test_summary_data_items);
  g_test_add_func ("/print/command-exit-status", test_command_exit_status);
  g_test_add_func ("/print/command-pty", test_command_pty);
  g_test_add_func ("/print/duration", test_duration);
  g_test_add_func ("/print/duration-refused", test_duration_refused);
  g_test_add_func ("/print/duration-long", test_duration_long);
  g_test_add_func ("/print/terminal-injection", test_terminal_injection);
  g_test_add_func ("/print/stats", test_stats);
  g_test_add_func ("/print/websocket-once", test_websocket_once);
  g_test_add_func ("/print/websocket-binary", test_websocket_binary);
  g_test_add_func ("/print/json-fields", test_json_fields);
  g_test_add_func ("/print/sigint", test_sigint);
  g_test_add_func ("/print/sigterm", test_sigterm);
  g_test_add_func ("/print/version-and-help", test_version_and_help);
  g_test_add_func ("/print/no-gtk", test_no_gtk);
  g_test_add_func ("/print/command-leftovers", test_command_leftovers);
  g_test_add_func ("/print/fifo-log", test_fifo_log);

  return g_test_run ();
}
