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
 *   showing the password; a closed port is "refused". */

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

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_pointer (&fixture->broker, fw_real_peer_free);
  g_free (fixture->conf);
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

/* Publishes and waits for every acknowledgement */
static void
publish (guint       port,
         const char *topic,
         const char *payload,
         int         qos,
         gboolean    retain)
{
  const char *payloads[] = { payload, NULL };
  Publisher publisher = { .port = port, .topic = topic, .payloads = payloads, .n = 1,
                          .qos = qos, .retain = retain };
  GThread *thread = publish_start (&publisher);

  fw_test_wait_until (publisher_done, &publisher, "the message to be published");
  g_thread_join (thread);
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

  {
    int result = g_test_run ();

    mosquitto_lib_cleanup ();
    return result;
  }
}
