/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-nchan.c: Feedwatch against a real pub/sub server, nginx with Debian's nchan module, on a
 * loopback port with a configuration of the test's own. A publisher thread POSTs numbered
 * messages to the channel while the feed (`sse:` or `ws://`) reads it; halfway through,
 * `nginx -s reload` replaces the worker that holds the subscriber, which nchan closes (a
 * ":410 Gone" comment for SSE). Every message is counted: sent, received, lost, duplicated,
 * out of order.
 *
 * What nchan does at a reload, and so what the publisher waits for: its in-memory store goes
 * with the old worker, so the new worker's channel starts empty, and its message ids
 * ("second:counter") start again from the current second. The publisher therefore publishes
 * again only once the old worker has exited (a message it accepted could otherwise die with
 * it) and the wall clock has passed the second of the last id (or the new ids could repeat the
 * ones the feed already has, and a Last-Event-ID would skip messages). Over SSE the rest is then
 * published at once, while the feed is still away (its retry is longer than that wait), and
 * must arrive through Last-Event-ID: the subscriber location gives a client without an id only
 * what is published after it subscribes (nchan_subscriber_first_message newest), and one with an
 * id the new channel does not know its whole buffer. A WebSocket subscriber has no such id: the
 * publisher waits until nchan counts it subscribed again. */

#include "fw-test-util.h"
#include "fw-real-peer.h"

#include <libsoup/soup.h>
#include <errno.h>
#include <signal.h>
#include <string.h>

#define NCHAN_MODULE "/usr/lib/nginx/modules/ngx_nchan_module.so"
#define N_MESSAGES   500
#define POLL_US      (10 * 1000)

typedef struct
{
  FwRealPeer *nginx;
  const char *program;
  char       *conf;
  char       *base;       /* http://127.0.0.1:PORT */
} Fixture;

static const char nginx_conf[] =
  "load_module " NCHAN_MODULE ";\n"
  "daemon off;\n"
  "master_process on;\n"
  "worker_processes 1;\n"
  "pid %1$s/nginx.pid;\n"
  "error_log %1$s/error.log info;\n"
  "events { worker_connections 128; }\n"
  "http {\n"
  "  access_log off;\n"
  "  client_body_temp_path %1$s/body;\n"
  "  proxy_temp_path %1$s/proxy;\n"
  "  fastcgi_temp_path %1$s/fastcgi;\n"
  "  uwsgi_temp_path %1$s/uwsgi;\n"
  "  scgi_temp_path %1$s/scgi;\n"
  "  server {\n"
  "    listen 127.0.0.1:%2$u;\n"
  "    location ~ ^/pub/(\\w+)$ {\n"
  "      nchan_publisher;\n"
  "      nchan_channel_id $1;\n"
  "      nchan_message_buffer_length 2000;\n"
  "      nchan_message_timeout 10m;\n"
  "    }\n"
  "    location ~ ^/sub/(\\w+)$ {\n"
  "      nchan_subscriber;\n"
  "      nchan_subscriber_first_message newest;\n"
  "      nchan_channel_id $1;\n"
  "    }\n"
  "  }\n"
  "}\n";

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  fixture->program = fw_real_peer_find_program ("nginx");
  if (fixture->program == NULL || !g_file_test (NCHAN_MODULE, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("needs nginx and its nchan module: apt-get install nginx "
                   "libnginx-mod-nchan (make deps installs them)");
      return;
    }

  fixture->nginx = fw_real_peer_new ("nginx");
  fixture->conf = g_build_filename (fixture->nginx->dir, "nginx.conf", NULL);
  text = g_strdup_printf (nginx_conf, fixture->nginx->dir, fixture->nginx->port);
  g_file_set_contents (fixture->conf, text, -1, &error);
  g_assert_no_error (error);
  fixture->base = g_strdup_printf ("http://127.0.0.1:%u", fixture->nginx->port);

  {
    g_autofree char *error_log = g_build_filename (fixture->nginx->dir, "error.log", NULL);
    const char *argv[] = { fixture->program, "-p", fixture->nginx->dir, "-c", fixture->conf,
                           "-e", error_log, NULL };

    fw_real_peer_start (fixture->nginx, argv);
  }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_pointer (&fixture->nginx, fw_real_peer_free);
  g_free (fixture->conf);
  g_free (fixture->base);
}

/* The publisher, in its own thread with its own context and a blocking SoupSession, so that
 * the main thread only reads the feed. */
typedef struct
{
  const Fixture *fixture;
  gboolean       wait_for_resubscribe;
  guint          sent;
  guint          reloads;
  guint          while_away;   /* published while the channel had no subscriber */
  gint64         last_id_second;
  char          *error;        /* set when it stopped early, with why */
  gint           done;         /* atomic */
  GMainContext  *reader;       /* the main thread's, woken when done */
} Publisher;

static char *
fetch (SoupSession *session,
       const char  *method,
       const char  *url,
       const char  *body,
       guint       *status,
       GError     **error)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) bytes = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "text/plain");
  if (body != NULL)
    {
      g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "text/plain", request);
    }
  bytes = soup_session_send_and_read (session, msg, NULL, error);
  if (bytes == NULL)
    return NULL;
  *status = soup_message_get_status (msg);
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* nchan's channel info (the answer to a POST, or to a GET, on the publisher location) says
 * "active subscribers: N"; -1 when it does not. */
static gint64
count_subscribers (const char *info)
{
  const char *count = info != NULL ? strstr (info, "active subscribers: ") : NULL;

  if (count == NULL)
    return -1;
  return g_ascii_strtoll (count + strlen ("active subscribers: "), NULL, 10);
}

static gboolean
wait_for_subscriber (Publisher   *publisher,
                     SoupSession *session)
{
  g_autofree char *url = g_strdup_printf ("%s/pub/ch", publisher->fixture->base);
  gint64 deadline = g_get_monotonic_time () + FW_TEST_DEADLINE_MS * (gint64) 1000;

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(GError) error = NULL;
      guint status = 0;
      g_autofree char *info = fetch (session, "GET", url, NULL, &status, &error);

      if (status == SOUP_STATUS_OK && count_subscribers (info) >= 1)
        return TRUE;
      g_usleep (POLL_US);
    }

  publisher->error = g_strdup ("the feed did not subscribe to the channel in time");
  return FALSE;
}

static GArray *
read_worker_pids (GPid master)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/task/%d/children", master, master);
  g_autofree char *text = NULL;
  g_auto(GStrv) words = NULL;
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (GPid));

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  words = g_strsplit (g_strstrip (text), " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      {
        GPid pid = (GPid) g_ascii_strtoll (words[i], NULL, 10);

        g_array_append_val (pids, pid);
      }

  return pids;
}

static gboolean
any_alive (GArray *pids)
{
  for (guint i = 0; i < pids->len; i++)
    if (kill (g_array_index (pids, GPid, i), 0) == 0 || errno != ESRCH)
      return TRUE;
  return FALSE;
}

/* `nginx -s reload`, as an operator types it, then what the header comment says. */
static gboolean
reload (Publisher   *publisher,
        SoupSession *session)
{
  const Fixture *fixture = publisher->fixture;
  g_autoptr(GArray) old_workers = read_worker_pids (fw_real_peer_get_pid (fixture->nginx));
  g_autofree char *error_log = g_build_filename (fixture->nginx->dir, "error.log", NULL);
  const char *argv[] = { fixture->program, "-p", fixture->nginx->dir, "-c", fixture->conf,
                         "-e", error_log, "-s", "reload", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  int wait_status = 0;
  gint64 deadline = g_get_monotonic_time () + FW_TEST_DEADLINE_MS * (gint64) 1000;

  g_assert_cmpuint (old_workers->len, >, 0);
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                     &output, NULL, &wait_status, &error) ||
      !g_spawn_check_wait_status (wait_status, &error))
    {
      publisher->error = g_strdup_printf ("nginx -s reload failed: %s", error->message);
      return FALSE;
    }
  publisher->reloads++;

  while (any_alive (old_workers))
    {
      if (g_get_monotonic_time () > deadline)
        {
          publisher->error = g_strdup ("the old nginx worker did not exit after the reload");
          return FALSE;
        }
      g_usleep (POLL_US);
    }
  /* Its keep-alive connection went with the old worker */
  soup_session_abort (session);

  while (g_get_real_time () / G_USEC_PER_SEC <= publisher->last_id_second)
    g_usleep (POLL_US);

  return !publisher->wait_for_resubscribe || wait_for_subscriber (publisher, session);
}

static gpointer
publish_thread (gpointer user_data)
{
  Publisher *publisher = user_data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *url = g_strdup_printf ("%s/pub/ch", publisher->fixture->base);

  g_main_context_push_thread_default (context);
  session = soup_session_new ();

  if (!wait_for_subscriber (publisher, session))
    goto out;

  for (guint i = 0; i < N_MESSAGES; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *body = g_strdup_printf ("msg %u", i);
      g_autofree char *answer = NULL;
      const char *id;
      guint status = 0;

      if (i == N_MESSAGES / 2 && !reload (publisher, session))
        goto out;

      answer = fetch (session, "POST", url, body, &status, &error);
      if (answer == NULL || (status != SOUP_STATUS_CREATED && status != SOUP_STATUS_ACCEPTED))
        {
          publisher->error = g_strdup_printf ("publishing message %u failed: %s", i,
                                              error != NULL ? error->message : answer);
          goto out;
        }
      publisher->sent++;
      if (count_subscribers (answer) == 0)
        publisher->while_away++;
      id = strstr (answer, "last message id: ");
      if (id != NULL)
        publisher->last_id_second = g_ascii_strtoll (id + strlen ("last message id: "), NULL, 10);
    }

out:
  g_clear_object (&session);
  g_main_context_pop_thread_default (context);
  g_atomic_int_set (&publisher->done, TRUE);
  g_main_context_wakeup (publisher->reader);
  return NULL;
}

typedef struct
{
  guint    seen[N_MESSAGES];
  guint    received;     /* messages, duplicates included */
  guint    distinct;
  guint    out_of_order;
  guint    other;        /* data items that are no message of ours */
  guint    retrying;     /* "retrying" status items: one a reconnection */
  gint64   last;
} Count;

static void
count_batch (GPtrArray *batch,
             gpointer   user_data)
{
  Count *count = user_data;

  for (guint i = 0; i < batch->len; i++)
    {
      FwItem *item = g_ptr_array_index (batch, i);
      guint64 n;

      if (item->kind == FW_ITEM_STATUS)
        {
          g_test_message ("status %s: %s", item->name, item->text);
          if (g_strcmp0 (item->name, "retrying") == 0)
            count->retrying++;
          continue;
        }
      if (!g_str_has_prefix (item->text, "msg ") ||
          !g_ascii_string_to_unsigned (item->text + 4, 10, 0, N_MESSAGES - 1, &n, NULL))
        {
          g_test_message ("not a message of the test: %s", item->text);
          count->other++;
          continue;
        }
      count->received++;
      if (count->seen[n]++ == 0)
        count->distinct++;
      if ((gint64) n <= count->last)
        count->out_of_order++;
      count->last = n;
    }
}

typedef struct
{
  Publisher *publisher;
  Count     *count;
} Progress;

static gboolean
publisher_done (gpointer user_data)
{
  Progress *progress = user_data;

  return g_atomic_int_get (&progress->publisher->done);
}

/* Every message published has arrived: lost ones keep it false until the deadline. */
static gboolean
all_arrived (gpointer user_data)
{
  Progress *progress = user_data;

  return g_atomic_int_get (&progress->publisher->done) &&
         progress->count->distinct >= progress->publisher->sent;
}

static gboolean
on_expired (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* fw_test_wait_until() without failing at the deadline: lost messages are counted, then. */
static void
wait_quietly_until (FwTestPredicate predicate,
                    gpointer        user_data)
{
  gboolean expired = FALSE;
  GSource *deadline = g_timeout_source_new (FW_TEST_DEADLINE_MS);

  g_source_set_callback (deadline, on_expired, &expired, NULL);
  g_source_attach (deadline, NULL);
  while (!predicate (user_data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  g_source_destroy (deadline);
  g_source_unref (deadline);
}

static void
run_through_reload (Fixture    *fixture,
                    const char *scheme,
                    const char *peer,
                    guint       retry_ms,
                    gboolean    wait_for_resubscribe)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *feed = NULL;
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(GThread) thread = NULL;
  FwTestPump *pump;
  Publisher publisher = { .fixture = fixture, .wait_for_resubscribe = wait_for_resubscribe,
                          .reader = g_main_context_default () };
  Count *count = g_new0 (Count, 1);
  Progress progress = { &publisher, count };
  guint duplicated;

  if (fixture->nginx == NULL)
    {
      g_free (count);
      return;
    }

  count->last = -1;
  feed = g_strdup_printf ("%s://127.0.0.1:%u/sub/ch#retry=%u", scheme, fixture->nginx->port,
                          retry_ms * fw_test_slowdown ());
  stream = fw_feed_open (feed, FW_FEED_OPEN_NONE, &error);
  g_assert_no_error (error);
  pump = fw_test_pump_new (g_steal_pointer (&stream), count_batch, count);

  thread = g_thread_new ("publisher", publish_thread, &publisher);
  fw_test_wait_until (publisher_done, &progress, "the publisher to finish");
  g_thread_join (g_steal_pointer (&thread));
  wait_quietly_until (all_arrived, &progress);
  g_assert_no_error (pump->error);
  g_assert_false (pump->ended);
  fw_test_pump_free (pump);

  duplicated = count->received - count->distinct;
  g_test_message ("%s: sent %u, received %u, lost %u, duplicated %u, out of order %u, "
                  "reloads %u, reconnections %u, sent while the feed was away %u",
                  peer, publisher.sent, count->received, publisher.sent - count->distinct,
                  duplicated, count->out_of_order, publisher.reloads, count->retrying,
                  publisher.while_away);
  if (publisher.error != NULL)
    {
      g_autofree char *error_log = fw_real_peer_read_log (fixture->nginx, "error.log");

      g_error ("%s; nginx's error.log:\n%s", publisher.error, error_log);
    }

  g_assert_cmpuint (publisher.sent, ==, N_MESSAGES);
  g_assert_cmpuint (publisher.reloads, ==, 1);
  g_assert_cmpuint (count->distinct, ==, publisher.sent);
  g_assert_cmpuint (duplicated, ==, 0);
  g_assert_cmpuint (count->out_of_order, ==, 0);
  g_assert_cmpuint (count->other, ==, 0);
  /* The reload did close the subscriber, and the feed came back by itself */
  g_assert_cmpuint (count->retrying, >=, 1);
  /* Over SSE the feed stays away longer than the publisher waits: what it missed must come
   * back through Last-Event-ID */
  if (wait_for_resubscribe)
    g_assert_cmpuint (publisher.while_away, ==, 0);
  else
    g_assert_cmpuint (publisher.while_away, >, 0);

  g_free (publisher.error);
  g_free (count);
}

static void
test_sse_reload (Fixture       *fixture,
                 gconstpointer  user_data)
{
  /* Longer than the publisher's wait for the next second */
  run_through_reload (fixture, "sse:http", "nchan sse", 3000, FALSE);
}

static void
test_websocket_reload (Fixture       *fixture,
                       gconstpointer  user_data)
{
  run_through_reload (fixture, "ws", "nchan websocket", 200, TRUE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/nchan/sse/reload", Fixture, NULL, fixture_set_up, test_sse_reload,
              fixture_tear_down);
  g_test_add ("/nchan/websocket/reload", Fixture, NULL, fixture_set_up, test_websocket_reload,
              fixture_tear_down);

  return g_test_run ();
}
