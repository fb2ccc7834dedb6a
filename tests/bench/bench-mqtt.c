/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-mqtt.c: MQTT messages/s into the stream, beside mosquitto_sub and Python paho-mqtt, on
 * the same mosquitto broker (started here on a free loopback port) in the same run.
 *
 * Every reader must receive the same n_messages, all of them, or the rates do not compare: a
 * broker drops live QoS 0 messages a slow reader cannot take, and a reader that loses more
 * looks faster. So each reader first registers two persistent sessions (fixed client ids,
 * clean=0) subscribed to bench/#, one at QoS 1 and one at QoS 0, and goes away; a publisher
 * (libmosquitto, QoS 1) sends n_messages small numeric messages (`21.37`, readings), which the
 * broker keeps for every session (queue_qos0_messages keeps them for the QoS 0 sessions too);
 * then each reader, alone, connects to each session and is timed from its start to its
 * n_messages-th message. At QoS 1 the broker sends from its queue as fast as the reader
 * acknowledges, every reader with the same window (max_inflight_messages for MQTT 3.1.1
 * clients, the stream's Receive Maximum in MQTT 5: both 65535); at QoS 0 nothing is
 * acknowledged and the broker writes the queue as fast as the reader's socket takes it. Ours:
 * the mqtt:// stream in process (items made and dropped) and `feedwatch --print` writing JSON
 * Lines; mosquitto_sub piped to wc -l and paho-mqtt's loop counting in on_message. Programs
 * are timed from their start to their exit. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include <mosquitto.h>

#include "fw-streams.h"

/* FW_BENCH_MQTT_MESSAGES overrides */
static guint n_messages = 100000;

static guint port;
static char *broker_log;
static const char *broker_pid;

/* The broker's CPU seconds so far (user + system, from /proc), 0 when unknown */
static double
broker_cpu_seconds (void)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", broker_pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;

  if (broker_pid == NULL || !g_file_get_contents (path, &text, NULL, NULL) ||
      (after_name = strrchr (text, ')')) == NULL)
    return 0;
  /* after the name: state is field 3; utime and stime are fields 14 and 15 */
  fields = g_strsplit (after_name + 2, " ", 14);
  if (g_strv_length (fields) < 14)
    return 0;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) /
         sysconf (_SC_CLK_TCK);
}
static guint
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static GSubprocess *
start_broker (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *conf = g_build_filename (dir, "mosquitto.conf", NULL);
  /* Every session keeps all n_messages, QoS 0 ones too, and every reader has the same window
   * of unacknowledged messages: MQTT 3.1.1 clients (mosquitto_sub, paho-mqtt) get
   * max_inflight_messages, an MQTT 5 client (the stream) its own Receive Maximum, 65535 */
  g_autofree char *text = g_strdup_printf ("listener %u 127.0.0.1\nallow_anonymous true\n"
                                           "user root\nmax_queued_messages 0\n"
                                           "queue_qos0_messages true\n"
                                           "max_inflight_messages 65535\nlog_dest file %s\n",
                                           port, broker_log);
  const char *program = g_file_test ("/usr/sbin/mosquitto", G_FILE_TEST_IS_EXECUTABLE)
                        ? "/usr/sbin/mosquitto" : "mosquitto";
  GSubprocess *broker;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_file_set_contents (conf, text, -1, &error);
  g_assert_no_error (error);
  broker = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, program, "-c", conf, NULL);
  if (broker == NULL)
    g_error ("cannot start mosquitto: %s (apt-get install mosquitto)", error->message);

  for (;;)
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketConnection) connection =
        g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);

      if (connection != NULL)
        break;
      if (g_get_monotonic_time () > deadline)
        g_error ("mosquitto did not listen on port %u", port);
      g_usleep (10000);
    }
  return broker;
}

/* The publisher: QoS 1, a window of unacknowledged messages at a time, until the broker
 * acknowledged them all (it then holds them for every session) */

static guint acked;

static void
on_published (struct mosquitto *mosq,
              void             *user_data,
              int               mid)
{
  acked++;
}

static void
publish_all (void)
{
  struct mosquitto *mosq = mosquitto_new (NULL, true, NULL);
  guint sent = 0;

  acked = 0;
  mosquitto_publish_callback_set (mosq, on_published);
  if (mosquitto_connect (mosq, "127.0.0.1", (int) port, 60) != MOSQ_ERR_SUCCESS)
    g_error ("the publisher cannot connect");
  while (acked < n_messages)
    {
      while (sent < n_messages && sent - acked < 1000)
        {
          char payload[32];
          int len = g_snprintf (payload, sizeof payload, "%.2f", 20 + (sent % 1000) / 100.0);

          if (mosquitto_publish (mosq, NULL, sent % 2 ? "bench/room1/temp" : "bench/room2/temp",
                                 len, payload, 1, false) != MOSQ_ERR_SUCCESS)
            g_error ("the publisher lost the broker");
          sent++;
        }
      if (mosquitto_loop (mosq, 100, 1000) != MOSQ_ERR_SUCCESS)
        g_error ("the publisher lost the broker");
    }
  mosquitto_disconnect (mosq);
  mosquitto_loop (mosq, 100, 1);
  mosquitto_destroy (mosq);
}

typedef struct
{
  double rate;       /* messages/s, wall clock */
  double cpu_rate;   /* messages per second of the reader's CPU time (user + system) */
  double user_us;    /* the reader's user CPU time per message, µs */
  double system_us;  /* its system (kernel) CPU time per message, µs */
  double broker_us;  /* the broker's CPU time per message meanwhile, µs */
  double waits;      /* the reader's waits for the socket (voluntary context switches) a
                      * message: 1 / the messages it finds at a wake-up */
  guint  received;
} Result;

typedef struct
{
  double user_s;
  double system_s;
  double broker_s;
  double waits;
} Cpu;

/* CPU seconds of this process (@who RUSAGE_SELF) or of its children waited for
 * (RUSAGE_CHILDREN: a shell's pipeline counts whole) */
static Cpu
cpu_now (int who)
{
  struct rusage usage;

  getrusage (who, &usage);
  return (Cpu) { usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6,
                 usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6, broker_cpu_seconds (),
                 usage.ru_nvcsw };
}

static Result
result_new (guint  received,
            gint64 start_us,
            Cpu    start,
            int    who)
{
  Cpu end = cpu_now (who);
  double user_s = end.user_s - start.user_s;
  double system_s = end.system_s - start.system_s;
  double n = MAX (received, 1);

  return (Result) { received / ((g_get_monotonic_time () - start_us) / 1e6),
                    user_s + system_s > 0 ? received / (user_s + system_s) : 0,
                    user_s * 1e6 / n, system_s * 1e6 / n,
                    (end.broker_s - start.broker_s) * 1e6 / n, (end.waits - start.waits) / n,
                    received };
}

/* ---------------------------------------------------------------------------------------- */
/* Ours */

typedef struct
{
  guint     readings;
  gboolean  subscribed;
  gboolean  kept;
  gboolean  done;
  GError   *error;
} Count;

static void
on_batch (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Count *count = user_data;
  g_autoptr(GPtrArray) batch = fw_stream_next_batch_finish (FW_STREAM (object), result,
                                                            &count->error);

  count->done = TRUE;
  if (batch == NULL)
    return;
  for (guint i = 0; i < batch->len; i++)
    {
      FwItem *item = g_ptr_array_index (batch, i);

      if (item->kind == FW_ITEM_READING)
        count->readings++;
      else if (item->kind == FW_ITEM_STATUS)
        {
          if (strstr (item->text, "subscribed to") != NULL)
            count->subscribed = TRUE;
          if (strstr (item->text, "the broker kept the session") != NULL)
            count->kept = TRUE;
          if (fw_item_get_feed_state (item) == FW_FEED_STATE_FAILED ||
              fw_item_get_feed_state (item) == FW_FEED_STATE_RETRYING)
            g_error ("%s", item->text);
        }
    }
}

static gboolean
on_too_long (gpointer user_data)
{
  g_error ("the stream did not read all %u messages within 120 s (%u)", n_messages,
           ((Count *) user_data)->readings);
  return G_SOURCE_REMOVE;
}

/* The QoS at which the readers' sessions being timed are subscribed */
static guint qos;

/* A reader's session at @qos: its client id @name, with "-q0" for QoS 0 */
static char *
session_id (const char *name)
{
  return g_strdup_printf ("%s%s", name, qos == 0 ? "-q0" : "");
}

static char *
stream_feed (const char *name)
{
  g_autofree char *id = session_id (name);

  return g_strdup_printf ("mqtt://127.0.0.1:%u/bench/%%23?qos=%u&clean=0&client-id=%s", port,
                          qos, id);
}

/* Reads @name's feed until it subscribed (@n == 0) or read @n readings */
static void
stream_read (const char *name,
             guint       n,
             Count      *count)
{
  g_autofree char *feed = stream_feed (name);
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = fw_feed_open (feed, FW_FEED_OPEN_NONE, &error);
  GSource *timeout = g_timeout_source_new_seconds (120);

  g_assert_no_error (error);
  g_source_set_callback (timeout, on_too_long, count, NULL);
  g_source_attach (timeout, NULL);
  while (n == 0 ? !count->subscribed : count->readings < n)
    {
      count->done = FALSE;
      fw_stream_next_batch_async (stream, 4096, NULL, on_batch, count);
      while (!count->done)
        g_main_context_iteration (NULL, TRUE);
      if (count->error != NULL)
        g_error ("%s", count->error->message);
    }
  g_source_destroy (timeout);
  g_source_unref (timeout);
  fw_stream_close (stream);
}

static Result
stream_run (void)
{
  Count count = { 0 };
  gint64 start = g_get_monotonic_time ();
  Cpu cpu = cpu_now (RUSAGE_SELF);

  stream_read ("bench-stream", n_messages, &count);
  if (!count.kept)
    g_error ("the broker did not keep the stream's session");
  return result_new (count.readings, start, cpu, RUSAGE_SELF);
}

/* ---------------------------------------------------------------------------------------- */
/* Programs: timed from their start to their exit; they print how many messages they read */

static Result
program_run (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *out = NULL;
  gint64 start = g_get_monotonic_time ();
  Cpu cpu = cpu_now (RUSAGE_CHILDREN);
  guint received;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  if (process == NULL ||
      !g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error))
    {
      g_printerr ("%s: %s\n", argv[0], error->message);
      return (Result) { 0 };
    }
  received = (guint) g_ascii_strtoull (out, NULL, 10);
  return result_new (received, start, cpu, RUSAGE_CHILDREN);
}

static gboolean
program_succeeds (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                                                      &error);

  if (process == NULL || !g_subprocess_wait_check (process, NULL, &error))
    {
      g_printerr ("%s: %s\n", argv[0], error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
mosquitto_sub_register (void)
{
  g_autofree char *p = g_strdup_printf ("%u", port);
  g_autofree char *id = session_id ("bench-sub");
  g_autofree char *q = g_strdup_printf ("%u", qos);
  const char *argv[] = { "mosquitto_sub", "-p", p, "-i", id, "-c", "-q", q, "-t", "bench/#",
                         "-E", NULL };

  return program_succeeds (argv);
}

static Result
mosquitto_sub_run (void)
{
  g_autofree char *id = session_id ("bench-sub");
  g_autofree char *command =
    g_strdup_printf ("mosquitto_sub -p %u -i %s -c -q %u -t 'bench/#' -C %u -W 120 | wc -l",
                     port, id, qos, n_messages);
  const char *argv[] = { "/bin/sh", "-c", command, NULL };

  return program_run (argv);
}

static Result
print_run (void)
{
  const char *bin = g_getenv ("FEEDWATCH_BIN");
  g_autofree char *feed = stream_feed ("bench-print");
  g_autofree char *command = NULL;
  const char *argv[] = { "/bin/sh", "-c", NULL, NULL };

  if (bin == NULL || !g_file_test (bin, G_FILE_TEST_IS_EXECUTABLE))
    return (Result) { 0 };
  /* --count counts the data items, not the status items printed too */
  command = g_strdup_printf ("%s --print --count %u --duration 120 '%s' | "
                             "grep -c '\"kind\":\"reading\"'", bin, n_messages, feed);
  argv[2] = command;
  return program_run (argv);
}

static const char *
python (void)
{
  return g_getenv ("PYTHON") != NULL ? g_getenv ("PYTHON") : "/usr/bin/python3";
}

static char *
paho_script (void)
{
  const char *src = g_getenv ("FW_BENCH_SRC") != NULL ? g_getenv ("FW_BENCH_SRC")
                                                      : FW_BENCH_SRCDIR;

  return g_build_filename (src, "bench_mqtt.py", NULL);
}

static gboolean
paho_register (void)
{
  g_autofree char *script = paho_script ();
  g_autofree char *p = g_strdup_printf ("%u", port);
  g_autofree char *id = session_id ("bench-paho");
  g_autofree char *q = g_strdup_printf ("%u", qos);
  const char *argv[] = { python (), script, "register", p, "0", q, id, NULL };

  return program_succeeds (argv);
}

static Result
paho_run (void)
{
  g_autofree char *script = paho_script ();
  g_autofree char *p = g_strdup_printf ("%u", port);
  g_autofree char *n = g_strdup_printf ("%u", n_messages);
  g_autofree char *id = session_id ("bench-paho");
  g_autofree char *q = g_strdup_printf ("%u", qos);
  const char *argv[] = { python (), script, "read", p, n, q, id, NULL };

  return program_run (argv);
}

static char *
result_text (Result result)
{
  if (result.rate <= 0)
    return g_strdup ("skipped");
  return g_strdup_printf ("%.0f / %.0f%s", result.rate, result.cpu_rate,
                          result.received < n_messages ? "*" : "");
}

static char *
cost_text (Result result)
{
  if (result.rate <= 0)
    return g_strdup ("—");
  return g_strdup_printf ("%.1f + %.1f", result.user_us, result.system_us);
}

static void
row (guint       row_qos,
     const char *what,
     Result      ours,
     const char *peer,
     Result      theirs)
{
  g_autofree char *ours_text = result_text (ours);
  g_autofree char *ours_cost = cost_text (ours);
  g_autofree char *theirs_text = result_text (theirs);
  g_autofree char *theirs_cost = cost_text (theirs);

  if (theirs.rate > 0 && ours.rate > 0)
    printf ("| %3u | %-34s | %15s | %11s | %-28s | %15s | %11s | %5.2f× | %5.2f× |\n", row_qos,
            what, ours_text, ours_cost, peer, theirs_text, theirs_cost, ours.rate / theirs.rate,
            ours.cpu_rate / theirs.cpu_rate);
  else
    printf ("| %3u | %-34s | %15s | %11s | %-28s | %15s | %11s | %6s | %6s |\n", row_qos, what,
            ours_text, ours_cost, peer, theirs_text, theirs_cost, "—", "—");
}

typedef struct
{
  Result stream;
  Result print;
  Result sub;
  Result paho;
} Results;

static void
report (const char *name,
        Result      result)
{
  g_printerr ("%s, QoS %u: %u messages, %.0f/s, %.0f per CPU second (%.1f us user + %.1f us "
              "system each; the broker %.1f us each; %.3f waits each)\n", name, qos,
              result.received, result.rate, result.cpu_rate, result.user_us, result.system_us,
              result.broker_us, result.waits);
}

/* Every reader reads its session at the current qos, one after the other */
static Results
read_all (gboolean have_sub,
          gboolean have_paho)
{
  Results results = { { 0 } };

  results.stream = stream_run ();
  report ("mqtt: stream", results.stream);
  results.print = print_run ();
  report ("feedwatch --print", results.print);
  if (have_sub)
    results.sub = mosquitto_sub_run ();
  report ("mosquitto_sub", results.sub);
  if (have_paho)
    results.paho = paho_run ();
  report ("paho-mqtt", results.paho);
  return results;
}

static void
rows (guint    row_qos,
      Results *results)
{
  row (row_qos, "mqtt: stream in process (readings)", results->stream, "mosquitto_sub | wc -l",
       results->sub);
  row (row_qos, "feedwatch --print | grep -c", results->print, "mosquitto_sub | wc -l",
       results->sub);
  row (row_qos, "mqtt: stream in process (readings)", results->stream,
       "Python paho-mqtt, on_message", results->paho);
  row (row_qos, "feedwatch --print | grep -c", results->print, "Python paho-mqtt, on_message",
       results->paho);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("feedwatch-bench-mqtt-XXXXXX", &error);
  g_autoptr(GSubprocess) broker = NULL;
  Results at_1, at_0;
  gboolean have_sub = TRUE, have_paho = TRUE;

  g_assert_no_error (error);
  if (g_getenv ("FW_BENCH_MQTT_MESSAGES") != NULL)
    n_messages = (guint) g_ascii_strtoull (g_getenv ("FW_BENCH_MQTT_MESSAGES"), NULL, 10);
  mosquitto_lib_init ();
  port = free_port ();
  broker_log = g_build_filename (dir, "broker.log", NULL);
  broker = start_broker (dir);
  broker_pid = g_subprocess_get_identifier (broker);

  /* Every reader's sessions, subscribed, wait for the messages */
  for (qos = 0; qos <= 1; qos++)
    {
      Count count = { 0 };

      stream_read ("bench-stream", 0, &count);
      count = (Count) { 0 };
      stream_read ("bench-print", 0, &count);
      have_sub = mosquitto_sub_register () && have_sub;
      have_paho = paho_register () && have_paho;
    }
  publish_all ();
  g_printerr ("mqtt: %u messages held for each session, QoS 1 and QoS 0\n", n_messages);

  qos = 1;
  at_1 = read_all (have_sub, have_paho);
  qos = 0;
  at_0 = read_all (have_sub, have_paho);

  printf ("%u messages of ~5 bytes (`21.37`, readings) held by a mosquitto broker on loopback "
          "for each reader's persistent sessions, one subscribed at QoS 1, one at QoS 0 (the "
          "same messages, published once); each reader alone, from its start until it has them "
          "all: messages/s on the wall clock / messages per second of the reader's own CPU time "
          "(user + system; a program's whole pipeline); and that CPU time per message in µs, "
          "user + system (* not all arrived)\n\n", n_messages);
  printf ("| %s | %-34s | %15s | %11s | %-28s | %15s | %11s | %6s | %6s |\n", "QoS", "Feedwatch",
          "wall / CPU", "µs u + s", "peer", "wall / CPU", "µs u + s", "wall", "CPU");
  printf ("|-----|------------------------------------|-----------------|-------------|"
          "------------------------------|-----------------|-------------|--------|--------|\n");
  rows (1, &at_1);
  rows (0, &at_0);
  printf ("\nThe broker's CPU time per message while it served each reader, µs (its pace bounds "
          "the wall clock):\n\n");
  printf ("| QoS | %-14s | %-17s | %-13s | %-9s |\n", "mqtt: stream", "feedwatch --print",
          "mosquitto_sub", "paho-mqtt");
  printf ("|-----|----------------|-------------------|---------------|-----------|\n");
  printf ("|   1 | %14.1f | %17.1f | %13.1f | %9.1f |\n", at_1.stream.broker_us,
          at_1.print.broker_us, at_1.sub.broker_us, at_1.paho.broker_us);
  printf ("|   0 | %14.1f | %17.1f | %13.1f | %9.1f |\n", at_0.stream.broker_us,
          at_0.print.broker_us, at_0.sub.broker_us, at_0.paho.broker_us);
  printf ("\nTargets: ≥ 0.5× mosquitto_sub; ≥ 10× paho-mqtt. At QoS 1 the broker sends no "
          "faster than it gets acknowledgements (every reader has the same window of 65535), so "
          "the wall-clock rates meet at its pace; at QoS 0 it writes as fast as the reader "
          "reads. The CPU columns are what each reader costs per message; every reader makes "
          "the same system calls a message in its MQTT library (libmosquitto or paho: three "
          "read(2)s, plus a PUBACK write at QoS 1), which bounds the ratio to paho.\n");

  g_subprocess_send_signal (broker, SIGTERM);
  g_subprocess_wait (broker, NULL, NULL);
  {
    g_autofree char *conf = g_build_filename (dir, "mosquitto.conf", NULL);

    g_unlink (conf);
    g_unlink (broker_log);
    g_rmdir (dir);
  }
  g_free (broker_log);
  mosquitto_lib_cleanup ();
  return 0;
}
