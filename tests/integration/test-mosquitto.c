/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-mosquitto.c: `mqtt://` against a real broker, Debian's mosquitto, on a loopback port
 * with a configuration and a persistence folder of the test's own. A publisher (libmosquitto,
 * in a thread of its own so the main thread only reads the feed) sends numbered messages; every
 * message is counted: received, lost, duplicated, out of order.
 *
 * - 100,000 QoS 1 messages arrive once each and in order.
 * - A persistent session (clean=0) at QoS 2 survives a broker restart in the middle of the
 *   stream: the feed holds messages unread (max-queue is small and the test stops pulling),
 *   the broker is stopped (it saves the session) and started again, more messages are
 *   published while the feed is away; all arrive, none twice.
 * - Wildcard filters (+ and #) select the topics they should, and only those.
 * - Retained messages arrive first and are marked; value=FIELD makes JSON a reading.
 * - A wrong password, or none where the broker wants one, fails the feed in words, without
 *   showing the password; a closed port is "refused".
 * - mqtts:// against TLS listeners with certificates the test makes (openssl): with the test's
 *   CA given (ca-file=) messages arrive; without it, or to a certificate made out to another
 *   name, the feed says so in words and retries.
 * - A user whose ACL lets it read only some topics: messages on the others never arrive
 *   (mosquitto 2.0 grants the SUBSCRIBE and filters at delivery: it says nothing). */

#include "fw-test-util.h"
#include "fw-real-peer.h"

#include <mosquitto.h>
#include <string.h>

#define USER     "watcher"
#define PASSWORD "right-horse"

typedef struct
{
  FwRealPeer *broker;
  const char *program;
  char       *conf;
  gboolean    skipped;
  /* TLS listeners: a certificate for 127.0.0.1, and one made out to another name */
  guint       tls_port;
  guint       other_name_port;
  char       *ca_file;
} Fixture;

static const char broker_conf[] =
  "listener %2$u 127.0.0.1\n"
  "persistence true\n"
  "persistence_location %1$s/\n"
  "log_dest stdout\n"
  /* as root, stay root: the folder is the test's */
  "user root\n"
  /* hold everything for an offline persistent session, however much */
  "max_queued_messages 0\n"
  "%3$s";

static void
write_conf (Fixture    *fixture,
            const char *extra)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup_printf (broker_conf, fixture->broker->dir,
                                           fixture->broker->port, extra);

  g_file_set_contents (fixture->conf, text, -1, &error);
  g_assert_no_error (error);
}

static void
start_broker (Fixture *fixture)
{
  const char *argv[] = { fixture->program, "-c", fixture->conf, NULL };

  fixture->broker->exited = FALSE;
  fw_real_peer_start (fixture->broker, argv);
}

static void
set_up (Fixture    *fixture,
        const char *extra)
{
  fixture->program = fw_real_peer_find_program ("mosquitto");
  if (fixture->program == NULL)
    {
      g_test_skip ("needs mosquitto: apt-get install mosquitto (make deps installs it)");
      fixture->skipped = TRUE;
      return;
    }

  fixture->broker = fw_real_peer_new ("mosquitto");
  fixture->conf = g_build_filename (fixture->broker->dir, "mosquitto.conf", NULL);
  write_conf (fixture, extra);
  start_broker (fixture);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  set_up (fixture, "allow_anonymous true\n");
}

/* A broker that takes USER with PASSWORD only (the file made by mosquitto_passwd) */
static void
fixture_set_up_with_password (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *passwords = NULL;
  g_autofree char *extra = NULL;
  const char *mosquitto_passwd = fw_real_peer_find_program ("mosquitto_passwd");
  int status;

  if (mosquitto_passwd == NULL)
    {
      g_test_skip ("needs mosquitto_passwd: apt-get install mosquitto");
      fixture->skipped = TRUE;
      return;
    }

  dir = g_dir_make_tmp ("feedwatch-mosquitto-passwd-XXXXXX", &error);
  g_assert_no_error (error);
  passwords = g_build_filename (dir, "passwords", NULL);
  {
    const char *argv[] = { mosquitto_passwd, "-c", "-b", passwords, USER, PASSWORD, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                  NULL, &status, &error);
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }

  extra = g_strdup_printf ("allow_anonymous false\npassword_file %s\n", passwords);
  set_up (fixture, extra);
  /* the broker read it at start */
  fw_test_remove_tree (dir);
}

/* Runs openssl in @dir; its complaints are shown if it fails */
static void
run_openssl (const char        *dir,
             const char *const *args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *errors = NULL;
  int status;

  g_ptr_array_add (argv, (char *) fw_real_peer_find_program ("openssl"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (dir, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                &errors, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("openssl %s failed:\n%s", args[0], errors);
}

/* A server certificate @name.crt for @san, signed by the test's CA */
static void
make_server_certificate (const char *dir,
                         const char *name,
                         const char *san,
                         const char *serial)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = g_strconcat (name, ".key", NULL);
  g_autofree char *request = g_strconcat (name, ".csr", NULL);
  g_autofree char *extensions = g_strconcat (name, ".ext", NULL);
  g_autofree char *extensions_path = g_build_filename (dir, extensions, NULL);
  g_autofree char *certificate = g_strconcat (name, ".crt", NULL);
  g_autofree char *san_line = g_strdup_printf ("subjectAltName=%s\n", san);
  const char *new_request[] = { "req", "-new", "-newkey", "ec", "-pkeyopt",
                                "ec_paramgen_curve:prime256v1", "-nodes", "-subj",
                                "/CN=Feedwatch test broker", "-keyout", key, "-out", request,
                                NULL };
  const char *sign[] = { "x509", "-req", "-in", request, "-CA", "ca.crt", "-CAkey", "ca.key",
                         "-set_serial", serial, "-days", "2", "-extfile", extensions, "-out",
                         certificate, NULL };

  g_file_set_contents (extensions_path, san_line, -1, &error);
  g_assert_no_error (error);
  run_openssl (dir, new_request);
  run_openssl (dir, sign);
}

/* A plain listener for the publisher, and two TLS listeners with certificates from a CA the
 * test makes (no system store trusts it) */
static void
fixture_set_up_with_tls (Fixture       *fixture,
                         gconstpointer  user_data)
{
  const char *make_ca[] = { "req", "-x509", "-newkey", "ec", "-pkeyopt",
                            "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj",
                            "/CN=Feedwatch test CA", "-addext",
                            "basicConstraints=critical,CA:TRUE", "-addext",
                            "keyUsage=critical,keyCertSign,cRLSign", "-keyout", "ca.key",
                            "-out", "ca.crt", NULL };
  g_autofree char *dir = NULL;
  g_autofree char *extra = NULL;

  if (fw_real_peer_find_program ("openssl") == NULL ||
      fw_real_peer_find_program ("mosquitto") == NULL)
    {
      g_test_skip ("needs openssl and mosquitto: apt-get install openssl mosquitto "
                   "(make deps installs them)");
      fixture->skipped = TRUE;
      return;
    }

  /* The certificates live with the broker's files, made before it starts */
  fixture->program = fw_real_peer_find_program ("mosquitto");
  fixture->broker = fw_real_peer_new ("mosquitto");
  fixture->conf = g_build_filename (fixture->broker->dir, "mosquitto.conf", NULL);
  dir = g_strdup (fixture->broker->dir);
  run_openssl (dir, make_ca);
  make_server_certificate (dir, "broker", "IP:127.0.0.1,DNS:localhost", "2");
  make_server_certificate (dir, "elsewhere", "DNS:broker.elsewhere.invalid", "3");
  fixture->ca_file = g_build_filename (dir, "ca.crt", NULL);
  fixture->tls_port = fw_real_peer_pick_free_port ();
  fixture->other_name_port = fw_real_peer_pick_free_port ();

  extra = g_strdup_printf ("allow_anonymous true\n"
                           "listener %2$u 127.0.0.1\n"
                           "certfile %1$s/broker.crt\nkeyfile %1$s/broker.key\n"
                           "listener %3$u 127.0.0.1\n"
                           "certfile %1$s/elsewhere.crt\nkeyfile %1$s/elsewhere.key\n",
                           dir, fixture->tls_port, fixture->other_name_port);
  write_conf (fixture, extra);
  start_broker (fixture);
}

#define READER          "reader"
#define READER_PASSWORD "reads-sensors"
#define WRITER          "writer"
#define WRITER_PASSWORD "writes-all"

/* READER may read sensors/# only; WRITER writes anywhere */
static void
fixture_set_up_with_acl (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *passwords = NULL;
  g_autofree char *acl = NULL;
  g_autofree char *extra = NULL;
  const char *mosquitto_passwd = fw_real_peer_find_program ("mosquitto_passwd");
  const char *const users[][2] = { { READER, READER_PASSWORD }, { WRITER, WRITER_PASSWORD } };

  if (mosquitto_passwd == NULL)
    {
      g_test_skip ("needs mosquitto_passwd: apt-get install mosquitto");
      fixture->skipped = TRUE;
      return;
    }

  dir = g_dir_make_tmp ("feedwatch-mosquitto-acl-XXXXXX", &error);
  g_assert_no_error (error);
  passwords = g_build_filename (dir, "passwords", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    {
      const char *argv[] = { mosquitto_passwd, "-b", passwords, users[i][0], users[i][1], NULL };
      int status;

      if (i == 0)
        g_file_set_contents (passwords, "", 0, &error);
      g_assert_no_error (error);
      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                    NULL, &status, &error);
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
    }

  acl = g_build_filename (dir, "acl", NULL);
  g_file_set_contents (acl,
                       "user " READER "\ntopic read sensors/#\n\n"
                       "user " WRITER "\ntopic readwrite #\n", -1, &error);
  g_assert_no_error (error);

  extra = g_strdup_printf ("allow_anonymous false\npassword_file %s\nacl_file %s\n", passwords,
                           acl);
  set_up (fixture, extra);
  /* the broker read them at start */
  fw_test_remove_tree (dir);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_pointer (&fixture->broker, fw_real_peer_free);
  g_free (fixture->conf);
  g_free (fixture->ca_file);
}

/* ---------------------------------------------------------------------------------------- */
/* The publisher */

typedef struct
{
  guint         port;
  const char   *topic;
  const char  **payloads;     /* or NULL: the numbers first … first + n - 1 */
  guint         first;
  guint         n;
  int           qos;
  gboolean      retain;
  const char   *user;         /* or NULL: anonymous */
  const char   *password;
  guint         acked;        /* its thread's */
  gint          done;         /* atomic */
  GMainContext *reader;
} Publisher;

static void
on_published (struct mosquitto *mosq,
              void             *user_data,
              int               mid)
{
  ((Publisher *) user_data)->acked++;
}

static gpointer
publish_thread (gpointer user_data)
{
  Publisher *publisher = user_data;
  struct mosquitto *mosq = mosquitto_new (NULL, true, publisher);
  guint sent = 0;

  g_assert_nonnull (mosq);
  mosquitto_publish_callback_set (mosq, on_published);
  if (publisher->user != NULL)
    mosquitto_username_pw_set (mosq, publisher->user, publisher->password);
  g_assert_cmpint (mosquitto_connect (mosq, "127.0.0.1", (int) publisher->port, 60), ==,
                   MOSQ_ERR_SUCCESS);

  /* In slices, so the inflight window moves while the queue stays short */
  while (publisher->acked < publisher->n)
    {
      while (sent < publisher->n && sent - publisher->acked < 1000)
        {
          g_autofree char *number = NULL;
          const char *payload;

          if (publisher->payloads != NULL)
            payload = publisher->payloads[sent];
          else
            payload = number = g_strdup_printf ("%u", publisher->first + sent);
          g_assert_cmpint (mosquitto_publish (mosq, NULL, publisher->topic, (int) strlen (payload),
                                              payload, publisher->qos, publisher->retain), ==,
                           MOSQ_ERR_SUCCESS);
          sent++;
        }
      g_assert_cmpint (mosquitto_loop (mosq, 100, 1000), ==, MOSQ_ERR_SUCCESS);
    }

  mosquitto_disconnect (mosq);
  mosquitto_loop (mosq, 100, 1);
  mosquitto_destroy (mosq);
  g_atomic_int_set (&publisher->done, TRUE);
  g_main_context_wakeup (publisher->reader);
  return NULL;
}

static gboolean
publisher_done (gpointer user_data)
{
  return g_atomic_int_get (&((Publisher *) user_data)->done);
}

static GThread *
publish_start (Publisher *publisher)
{
  publisher->reader = g_main_context_default ();
  return g_thread_new ("publisher", publish_thread, publisher);
}

/* Publishes as @user (or anonymously) and waits for every acknowledgement */
static void
publish_as (guint       port,
            const char *user,
            const char *password,
            const char *topic,
            const char *payload,
            int         qos,
            gboolean    retain)
{
  const char *payloads[] = { payload, NULL };
  Publisher publisher = { .port = port, .topic = topic, .payloads = payloads, .n = 1,
                          .qos = qos, .retain = retain, .user = user, .password = password };
  GThread *thread = publish_start (&publisher);

  fw_test_wait_until (publisher_done, &publisher, "the message to be published");
  g_thread_join (thread);
}

static void
publish (guint       port,
         const char *topic,
         const char *payload,
         int         qos,
         gboolean    retain)
{
  publish_as (port, NULL, NULL, topic, payload, qos, retain);
}

/* ---------------------------------------------------------------------------------------- */
/* Reading the feed */

typedef struct
{
  GPtrArray *statuses;    /* texts */
  GPtrArray *messages;    /* FwItem */
  guint      n_readings;
  guint      expected;    /* the next number in order */
  guint      out_of_order;
  guint8    *seen;        /* per number: how many times */
  guint      range;
  guint      distinct;
  guint      duplicated;
  gboolean   keep;
} Tally;

static void
tally_init (Tally *tally,
            guint  range)
{
  tally->statuses = g_ptr_array_new_with_free_func (g_free);
  tally->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  tally->range = range;
  tally->seen = g_new0 (guint8, MAX (range, 1));
}

static void
tally_clear (Tally *tally)
{
  g_ptr_array_unref (tally->statuses);
  g_ptr_array_unref (tally->messages);
  g_free (tally->seen);
}

static void
tally_item (Tally  *tally,
            FwItem *item)
{
  if (item->kind == FW_ITEM_STATUS)
    {
      g_test_message ("status: %s", item->text);
      g_ptr_array_add (tally->statuses, g_strdup (item->text));
      return;
    }

  if (tally->keep)
    g_ptr_array_add (tally->messages, fw_item_ref (item));
  if (item->kind != FW_ITEM_READING || tally->range == 0)
    return;

  tally->n_readings++;
  g_assert_true (item->flags & FW_ITEM_FLAG_HAS_VALUE);
  g_assert_cmpfloat (item->value, >=, 0);
  g_assert_cmpfloat (item->value, <, tally->range);
  {
    guint n = (guint) item->value;

    if (n != tally->expected)
      tally->out_of_order++;
    tally->expected = n + 1;
    if (tally->seen[n]++ == 0)
      tally->distinct++;
    else
      {
        if (tally->duplicated < 5)
          g_test_message ("duplicate %u after %u readings", n, tally->n_readings);
        tally->duplicated++;
      }
  }
}

static void
tally_batch (GPtrArray *batch,
             gpointer   user_data)
{
  for (guint i = 0; i < batch->len; i++)
    tally_item (user_data, g_ptr_array_index (batch, i));
}

static gboolean
has_status (Tally      *tally,
            const char *words)
{
  for (guint i = 0; i < tally->statuses->len; i++)
    {
      if (strstr (g_ptr_array_index (tally->statuses, i), words) != NULL)
        return TRUE;
    }
  return FALSE;
}

static gboolean
is_subscribed (gpointer user_data)
{
  return has_status (user_data, "subscribed to ");
}

static gboolean
keep_ticking (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* fw_test_wait_until() with a deadline of its own, for the long runs (under ASan on 2 cores) */
static gboolean
wait_long (FwTestPredicate predicate,
           gpointer        user_data,
           guint           seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) seconds * fw_test_slowdown () *
                    G_USEC_PER_SEC;
  /* wakes the loop to look at the clock when nothing else does */
  GSource *tick = g_timeout_source_new (100);
  gboolean held;

  g_source_set_callback (tick, keep_ticking, NULL, NULL);
  g_source_attach (tick, NULL);
  while (!(held = predicate (user_data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_destroy (tick);
  g_source_unref (tick);
  return held;
}

typedef struct
{
  Tally *tally;
  guint  count;
} Until;

static gboolean
has_distinct (gpointer user_data)
{
  Until *until = user_data;

  return until->tally->distinct >= until->count;
}

static FwStream *
open_feed (const char *text)
{
  g_autoptr(GError) error = NULL;
  FwStream *stream = fw_feed_open (text, FW_FEED_OPEN_NONE, &error);

  g_assert_no_error (error);
  return stream;
}

/* ---------------------------------------------------------------------------------------- */
/* The tests */

#define N_QOS1 100000

static void
test_qos1_once_in_order (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autofree char *feed = NULL;
  Publisher publisher = { .topic = "bench/seq", .n = N_QOS1, .qos = 1 };
  Until until;
  Tally tally = { 0 };
  FwTestPump *pump;
  GThread *thread;
  gint64 start;

  if (fixture->skipped)
    return;

  tally_init (&tally, N_QOS1);
  feed = g_strdup_printf ("mqtt://127.0.0.1:%u/bench/%%23?qos=1", fixture->broker->port);
  pump = fw_test_pump_new (open_feed (feed), tally_batch, &tally);
  fw_test_wait_until (is_subscribed, &tally, "the feed to subscribe");

  publisher.port = fixture->broker->port;
  start = g_get_monotonic_time ();
  thread = publish_start (&publisher);
  until = (Until) { &tally, N_QOS1 };
  wait_long (has_distinct, &until, 240);
  g_test_message ("%u messages in %.1f s: %u received, %u distinct, %u duplicated, "
                  "%u out of order", N_QOS1, (g_get_monotonic_time () - start) / 1e6,
                  tally.n_readings, tally.distinct, tally.duplicated, tally.out_of_order);
  fw_test_wait_until (publisher_done, &publisher, "the publisher to finish");
  g_thread_join (thread);

  g_assert_cmpuint (tally.distinct, ==, N_QOS1);
  g_assert_cmpuint (tally.duplicated, ==, 0);
  g_assert_cmpuint (tally.out_of_order, ==, 0);
  g_assert_no_error (pump->error);

  fw_test_pump_free (pump);
  tally_clear (&tally);
}

#define N_BEFORE 3000
#define N_AFTER  1000

static void
pull_into (FwStream *stream,
           Tally    *tally)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batch = fw_test_next_batch (stream, 1000, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (batch);
  tally_batch (batch, tally);
}

static void
test_restart_persistent_qos2 (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autofree char *feed = NULL;
  g_autoptr(FwStream) stream = NULL;
  Publisher before = { .topic = "plant/line1/count", .n = N_BEFORE, .qos = 2 };
  Publisher after = { .topic = "plant/line1/count", .first = N_BEFORE, .n = N_AFTER,
                      .qos = 2 };
  Tally tally = { 0 };
  GThread *thread;
  gint64 deadline;

  if (fixture->skipped)
    return;

  tally_init (&tally, N_BEFORE + N_AFTER);
  /* A small queue: what the test does not pull stays unread in the socket and at the broker */
  feed = g_strdup_printf ("mqtt://127.0.0.1:%u/plant/%%23?qos=2&clean=0&retry=100"
                          "&max-queue=100", fixture->broker->port);
  stream = open_feed (feed);
  while (!is_subscribed (&tally))
    pull_into (stream, &tally);

  before.port = fixture->broker->port;
  thread = publish_start (&before);
  fw_test_wait_until (publisher_done, &before, "the first messages to be published");
  g_thread_join (thread);

  /* Some of them read; then the broker goes, with the rest held for the session */
  while (tally.distinct < N_BEFORE / 3)
    pull_into (stream, &tally);
  g_test_message ("restarting the broker after %u of %u messages (%u readings)", tally.distinct, N_BEFORE, tally.n_readings);
  g_assert_cmpuint (tally.distinct, <, N_BEFORE);
  fw_real_peer_stop (fixture->broker);
  start_broker (fixture);

  /* Published while the feed is away: the broker keeps them for its session */
  after.port = fixture->broker->port;
  thread = publish_start (&after);
  fw_test_wait_until (publisher_done, &after, "the later messages to be published");
  g_thread_join (thread);

  deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC * (gint64) fw_test_slowdown ();
  while (tally.distinct < N_BEFORE + N_AFTER && g_get_monotonic_time () < deadline)
    pull_into (stream, &tally);

  g_test_message ("%u published, %u received, %u lost, %u duplicated", N_BEFORE + N_AFTER,
                  tally.n_readings, N_BEFORE + N_AFTER - tally.distinct, tally.duplicated);
  g_assert_true (has_status (&tally, "retrying"));
  g_assert_true (has_status (&tally, "the broker kept the session"));
  g_assert_cmpuint (tally.distinct, ==, N_BEFORE + N_AFTER);
  g_assert_cmpuint (tally.duplicated, ==, 0);

  /* Nothing more after the last: a marker published now is the next item */
  publish (fixture->broker->port, "plant/marker", "end", 2, FALSE);
  tally.keep = TRUE;
  while (tally.messages->len == 0)
    pull_into (stream, &tally);
  g_assert_cmpstr (((FwItem *) g_ptr_array_index (tally.messages, 0))->name, ==,
                   "plant/marker");
  g_assert_cmpuint (tally.duplicated, ==, 0);

  g_assert_true (fw_test_close (stream, NULL));
  tally_clear (&tally);
}

static void
test_wildcards (Fixture       *fixture,
                gconstpointer  user_data)
{
  static const char *const topics[] = {
    "a/x/temp", "a/x/y/temp", "a/temp", "b", "b/c/d", "c/x", "a/y/temp", "ab/x",
  };
  static const char *const expected[] = { "a/x/temp", "b", "b/c/d", "a/y/temp", "b/end" };
  g_autofree char *feed = NULL;
  g_autoptr(FwStream) stream = NULL;
  Tally tally = { 0 };

  if (fixture->skipped)
    return;

  tally_init (&tally, 0);
  tally.keep = TRUE;
  /* `+` one level, `#` the level and all below (b itself too), two filters joined by ',' */
  feed = g_strdup_printf ("mqtt://127.0.0.1:%u/a/+/temp,b/%%23?qos=1", fixture->broker->port);
  stream = open_feed (feed);
  while (!is_subscribed (&tally))
    pull_into (stream, &tally);

  for (guint i = 0; i < G_N_ELEMENTS (topics); i++)
    publish (fixture->broker->port, topics[i], "1", 1, FALSE);
  publish (fixture->broker->port, "b/end", "end", 1, FALSE);

  while (tally.messages->len == 0 ||
         g_strcmp0 (((FwItem *) g_ptr_array_index (tally.messages, tally.messages->len - 1))->name,
                    "b/end") != 0)
    pull_into (stream, &tally);

  g_assert_cmpuint (tally.messages->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (((FwItem *) g_ptr_array_index (tally.messages, i))->name, ==, expected[i]);

  g_assert_true (fw_test_close (stream, NULL));
  tally_clear (&tally);
}

static void
test_retained (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autofree char *feed = NULL;
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(GVariant) retained = NULL;
  Tally tally = { 0 };
  FwItem *item;

  if (fixture->skipped)
    return;

  /* Published before the feed exists: the broker keeps the last of each topic */
  publish (fixture->broker->port, "home/kitchen/temp", "20.0", 1, TRUE);
  publish (fixture->broker->port, "home/kitchen/temp", "21.5", 1, TRUE);
  publish (fixture->broker->port, "home/cellar", "{\"celsius\": 12.25, \"battery\": \"ok\"}", 1,
           TRUE);

  tally_init (&tally, 0);
  tally.keep = TRUE;
  feed = g_strdup_printf ("mqtt://127.0.0.1:%u/home/%%23?qos=1&value=celsius",
                          fixture->broker->port);
  stream = open_feed (feed);
  while (tally.messages->len < 2)
    pull_into (stream, &tally);

  g_assert_cmpuint (tally.messages->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      item = g_ptr_array_index (tally.messages, i);
      g_assert_cmpint (item->kind, ==, FW_ITEM_READING);
      g_assert_true (item->flags & FW_ITEM_FLAG_REPLAYED);
      retained = g_variant_lookup_value (item->fields, "retained", G_VARIANT_TYPE_BOOLEAN);
      g_assert_nonnull (retained);
      g_assert_true (g_variant_get_boolean (retained));
      g_clear_pointer (&retained, g_variant_unref);
      if (g_str_equal (item->name, "home/kitchen/temp"))
        g_assert_cmpfloat (item->value, ==, 21.5);
      else
        {
          g_autoptr(GVariant) battery = NULL;

          g_assert_cmpstr (item->name, ==, "home/cellar");
          g_assert_cmpfloat (item->value, ==, 12.25);
          battery = g_variant_lookup_value (item->fields, "battery", G_VARIANT_TYPE_STRING);
          g_assert_cmpstr (g_variant_get_string (battery, NULL), ==, "ok");
        }
    }

  /* A live message is not retained, even when published with the flag */
  publish (fixture->broker->port, "home/kitchen/temp", "22", 1, TRUE);
  while (tally.messages->len < 3)
    pull_into (stream, &tally);
  item = g_ptr_array_index (tally.messages, 2);
  g_assert_cmpfloat (item->value, ==, 22);
  g_assert_false (item->flags & FW_ITEM_FLAG_REPLAYED);

  g_assert_true (fw_test_close (stream, NULL));
  tally_clear (&tally);
}

/* Reads the feed to its end; returns its error */
static GError *
read_to_failure (const char *feed,
                 Tally      *tally)
{
  g_autoptr(FwStream) stream = open_feed (feed);
  GError *error = NULL;

  for (;;)
    {
      g_autoptr(GPtrArray) batch = fw_test_next_batch (stream, 100, NULL, &error);

      if (batch == NULL || batch->len == 0)
        break;
      tally_batch (batch, tally);
    }
  g_assert_true (fw_test_close (stream, NULL));
  return error;
}

static void
test_credentials (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autofree char *wrong = NULL;
  g_autofree char *none = NULL;
  g_autofree char *right = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = NULL;
  Tally tally = { 0 };

  if (fixture->skipped)
    return;

  tally_init (&tally, 0);
  wrong = g_strdup_printf ("mqtt://" USER ":wrong-pony@127.0.0.1:%u/sensors/%%23",
                           fixture->broker->port);
  error = read_to_failure (wrong, &tally);
  g_assert_nonnull (error);
  g_test_message ("wrong password: %s", error->message);
  g_assert_nonnull (strstr (error->message, "the broker refused the user name or password"));
  g_assert_null (strstr (error->message, "wrong-pony"));
  g_assert_true (has_status (&tally, "the broker refused the user name or password"));
  g_clear_error (&error);

  none = g_strdup_printf ("mqtt://127.0.0.1:%u/sensors/%%23", fixture->broker->port);
  error = read_to_failure (none, &tally);
  g_assert_nonnull (error);
  g_test_message ("no password: %s", error->message);
  g_assert_nonnull (strstr (error->message, "takes no anonymous clients"));
  g_clear_error (&error);

  /* And the right one is let in, in MQTT 3.1.1 when asked */
  g_ptr_array_set_size (tally.statuses, 0);
  right = g_strdup_printf ("mqtt://" USER ":" PASSWORD "@127.0.0.1:%u/sensors/%%23"
                           "?protocol=3.1.1", fixture->broker->port);
  stream = open_feed (right);
  while (!is_subscribed (&tally))
    pull_into (stream, &tally);
  g_assert_true (has_status (&tally, "(MQTT 3.1.1)"));
  g_assert_true (fw_test_close (stream, NULL));

  tally_clear (&tally);
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autofree char *feed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(FwItem) item = NULL;
  /* A free port, no broker started on it */
  g_autoptr(FwRealPeer) nobody = fw_real_peer_new ("nobody");

  feed = g_strdup_printf ("mqtt://127.0.0.1:%u/sensors/%%23?retry=60000", nobody->port);
  stream = open_feed (feed);
  item = fw_test_next_item (stream);
  fw_test_assert_status (item, "connecting");
  g_clear_pointer (&item, fw_item_unref);
  item = fw_test_next (stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (item);
  g_test_message ("%s", item->text);
  g_assert_cmpint (fw_item_get_feed_state (item), ==, FW_FEED_STATE_RETRYING);
  g_assert_nonnull (strstr (item->text, "refused the connection"));
  g_assert_true (fw_test_close (stream, NULL));
}

/* Reads @feed until it has retried twice; returns the reason it gave */
static char *
read_until_retried_twice (const char *feed)
{
  g_autoptr(FwStream) stream = open_feed (feed);
  g_autofree char *reason = NULL;
  guint retries = 0;

  while (retries < 2)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FwItem) item = fw_test_next (stream, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (item);
      g_assert_cmpint (item->kind, ==, FW_ITEM_STATUS);
      g_test_message ("status: %s", item->text);
      g_assert_cmpint (fw_item_get_feed_state (item), !=, FW_FEED_STATE_FAILED);
      g_assert_cmpint (fw_item_get_feed_state (item), !=, FW_FEED_STATE_LIVE);
      if (fw_item_get_feed_state (item) == FW_FEED_STATE_RETRYING)
        {
          g_assert_nonnull (strstr (item->text, "certificate"));
          g_free (reason);
          reason = g_strdup (item->text);
          retries++;
        }
    }
  g_assert_true (fw_test_close (stream, NULL));
  return g_steal_pointer (&reason);
}

static void
test_tls (Fixture       *fixture,
          gconstpointer  user_data)
{
  g_autofree char *trusted = NULL;
  g_autofree char *untrusted = NULL;
  g_autofree char *other_name = NULL;
  g_autofree char *reason = NULL;
  g_autoptr(FwStream) stream = NULL;
  Tally tally = { 0 };

  if (fixture->skipped)
    return;

  /* With the CA given, the broker's certificate verifies and messages arrive */
  tally_init (&tally, 0);
  tally.keep = TRUE;
  trusted = g_strdup_printf ("mqtts://127.0.0.1:%u/tls/%%23?qos=1&ca-file=%s",
                             fixture->tls_port, fixture->ca_file);
  stream = open_feed (trusted);
  while (!is_subscribed (&tally))
    pull_into (stream, &tally);
  publish (fixture->broker->port, "tls/secret", "21.5", 1, FALSE);
  while (tally.messages->len == 0)
    pull_into (stream, &tally);
  g_assert_cmpstr (((FwItem *) g_ptr_array_index (tally.messages, 0))->name, ==, "tls/secret");
  g_assert_true (fw_test_close (stream, NULL));
  g_clear_object (&stream);
  tally_clear (&tally);

  /* The system's CAs, when they hold the test's (OpenSSL reads SSL_CERT_FILE), and again
   * after the broker restarted: libmosquitto reconnects with the TLS context it made */
  {
    g_autofree char *system_cas = g_strdup (g_getenv ("SSL_CERT_FILE"));
    g_autofree char *feed = g_strdup_printf ("mqtts://127.0.0.1:%u/tls/%%23?qos=1&retry=50"
                                             "&retry-max=50", fixture->tls_port);
    guint subscriptions = 0;
    gint64 deadline;

    g_setenv ("SSL_CERT_FILE", fixture->ca_file, TRUE);
    tally_init (&tally, 0);
    tally.keep = TRUE;
    stream = open_feed (feed);
    while (!is_subscribed (&tally))
      pull_into (stream, &tally);
    fw_real_peer_stop (fixture->broker);
    start_broker (fixture);
    deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC * (gint64) fw_test_slowdown ();
    while (subscriptions < 2)
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        subscriptions = 0;
        pull_into (stream, &tally);
        for (guint i = 0; i < tally.statuses->len; i++)
          subscriptions += g_str_has_prefix (g_ptr_array_index (tally.statuses, i),
                                             "subscribed to ");
      }
    g_assert_false (has_status (&tally, "Invalid"));
    publish (fixture->broker->port, "tls/after-restart", "1", 1, FALSE);
    while (tally.messages->len == 0)
      pull_into (stream, &tally);
    g_assert_cmpstr (((FwItem *) g_ptr_array_index (tally.messages, 0))->name, ==,
                     "tls/after-restart");
    g_assert_true (fw_test_close (stream, NULL));
    g_clear_object (&stream);
    tally_clear (&tally);
    if (system_cas != NULL)
      g_setenv ("SSL_CERT_FILE", system_cas, TRUE);
    else
      g_unsetenv ("SSL_CERT_FILE");
  }

  /* Without it (the system's CAs do not know the test's), it says why, and retries */
  untrusted = g_strdup_printf ("mqtts://127.0.0.1:%u/tls/%%23?retry=50&retry-max=50",
                               fixture->tls_port);
  reason = read_until_retried_twice (untrusted);
  g_assert_nonnull (strstr (reason, "certificate at 127.0.0.1:"));
  g_assert_nonnull (strstr (reason, "could not be verified: it is not signed by a certificate "
                                    "authority this computer trusts"));
  g_assert_nonnull (strstr (reason, "ca-file=PATH"));
  g_assert_null (strstr (reason, "OpenSSL"));
  g_clear_pointer (&reason, g_free);

  /* A certificate made out to another name, from the trusted CA */
  other_name = g_strdup_printf ("mqtts://127.0.0.1:%u/tls/%%23?retry=50&retry-max=50"
                                "&ca-file=%s", fixture->other_name_port, fixture->ca_file);
  reason = read_until_retried_twice (other_name);
  g_assert_nonnull (strstr (reason, "is not made out to the name “127.0.0.1”"));
  g_assert_null (strstr (reason, "OpenSSL"));
}

static void
test_acl (Fixture       *fixture,
          gconstpointer  user_data)
{
  g_autofree char *feed = NULL;
  g_autoptr(FwStream) stream = NULL;
  guint port;
  Tally tally = { 0 };

  /* A skipped fixture started no broker */
  if (fixture->skipped)
    return;

  port = fixture->broker->port;
  tally_init (&tally, 0);
  tally.keep = TRUE;
  feed = g_strdup_printf ("mqtt://" READER ":" READER_PASSWORD "@127.0.0.1:%u/"
                          "sensors/%%23,secret/%%23?qos=1", port);
  stream = open_feed (feed);
  while (!is_subscribed (&tally))
    pull_into (stream, &tally);

  /* In this order from one publisher: had secret/door come, it would come first */
  publish_as (port, WRITER, WRITER_PASSWORD, "secret/door", "open", 1, FALSE);
  publish_as (port, WRITER, WRITER_PASSWORD, "sensors/temp", "20", 1, FALSE);
  publish_as (port, WRITER, WRITER_PASSWORD, "secret/door", "closed", 1, FALSE);
  publish_as (port, WRITER, WRITER_PASSWORD, "sensors/end", "end", 1, FALSE);
  while (tally.messages->len == 0 ||
         g_strcmp0 (((FwItem *) g_ptr_array_index (tally.messages,
                                                   tally.messages->len - 1))->name,
                    "sensors/end") != 0)
    pull_into (stream, &tally);

  g_assert_cmpuint (tally.messages->len, ==, 2);
  g_assert_cmpstr (((FwItem *) g_ptr_array_index (tally.messages, 0))->name, ==,
                   "sensors/temp");
  /* mosquitto 2.0 grants both filters and filters at delivery: nothing to tell the user, and
   * nothing false is told */
  g_assert_false (has_status (&tally, "does not allow"));
  g_assert_true (fw_test_close (stream, NULL));
  tally_clear (&tally);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  mosquitto_lib_init ();

  g_test_add ("/mosquitto/qos1/100000-once-in-order", Fixture, NULL, fixture_set_up,
              test_qos1_once_in_order, fixture_tear_down);
  g_test_add ("/mosquitto/qos2/restart-persistent-session", Fixture, NULL, fixture_set_up,
              test_restart_persistent_qos2, fixture_tear_down);
  g_test_add ("/mosquitto/wildcards", Fixture, NULL, fixture_set_up, test_wildcards,
              fixture_tear_down);
  g_test_add ("/mosquitto/retained", Fixture, NULL, fixture_set_up, test_retained,
              fixture_tear_down);
  g_test_add ("/mosquitto/credentials", Fixture, NULL, fixture_set_up_with_password,
              test_credentials, fixture_tear_down);
  g_test_add ("/mosquitto/refused", Fixture, NULL, NULL, test_refused, NULL);
  g_test_add ("/mosquitto/tls", Fixture, NULL, fixture_set_up_with_tls, test_tls,
              fixture_tear_down);
  g_test_add ("/mosquitto/acl", Fixture, NULL, fixture_set_up_with_acl, test_acl,
              fixture_tear_down);

  {
    int result = g_test_run ();

    mosquitto_lib_cleanup ();
    return result;
  }
}
