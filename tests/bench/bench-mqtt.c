/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-mqtt.c: MQTT messages/s into the stream, beside mosquitto_sub and Python paho-mqtt, on
 * the same mosquitto broker (started here on a free loopback port) in the same run.
 *
 * Every reader must receive the same n_messages, all of them, or the rates do not compare: at
 * QoS 0 a broker drops what a slow reader cannot take, and a reader that loses more looks
 * faster. So each reader first registers a persistent session (a fixed client id, clean=0)
 * subscribed to bench/# at QoS 1 and goes away; a publisher (libmosquitto, QoS 1) sends
 * n_messages small numeric messages (`21.37`, readings), which the broker keeps for every
 * session; then each reader, alone, connects and is timed from its start to its n_messages-th
 * message: the broker sends from its queue as fast as the reader acknowledges, so the rate is
 * the reader's (or the broker's, the same for all). Ours: the mqtt:// stream in process (items
 * made and dropped) and `feedwatch --print` writing JSON Lines; mosquitto_sub piped to wc -l
 * and paho-mqtt's loop counting in on_message. Programs are timed from their start to their
 * exit. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include <mosquitto.h>

#include "fw-streams.h"

/* FW_BENCH_MQTT_MESSAGES overrides */
static guint n_messages = 100000;

static guint port;
static char *broker_log;
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
  /* every session keeps all n_messages, and a reader may have them all in flight */
  g_autofree char *text = g_strdup_printf ("listener %u 127.0.0.1\nallow_anonymous true\n"
                                           "user root\nmax_queued_messages 0\n"
                                           "max_inflight_messages 1000\nlog_dest file %s\n", port,
                                           broker_log);
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
  guint  received;
} Result;

/* CPU seconds (user + system) of this process (@who RUSAGE_SELF) or of its children waited for
 * (RUSAGE_CHILDREN: a shell's pipeline counts whole) */
static double
cpu_seconds (int who)
{
  struct rusage usage;

  getrusage (who, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static Result
result_new (guint  received,
            gint64 start_us,
            double cpu_s)
{
  return (Result) { received / ((g_get_monotonic_time () - start_us) / 1e6),
                    cpu_s > 0 ? received / cpu_s : 0, received };
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

static char *
stream_feed (const char *client_id)
{
  return g_strdup_printf ("mqtt://127.0.0.1:%u/bench/%%23?qos=1&clean=0&client-id=%s", port,
                          client_id);
}

/* Reads @client_id's feed until it subscribed (@n == 0) or read @n readings */
static void
stream_read (const char *client_id,
             guint       n,
             Count      *count)
{
  g_autofree char *feed = stream_feed (client_id);
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
  double cpu = cpu_seconds (RUSAGE_SELF);

  stream_read ("bench-stream", n_messages, &count);
  if (!count.kept)
    g_error ("the broker did not keep the stream's session");
  return result_new (count.readings, start, cpu_seconds (RUSAGE_SELF) - cpu);
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
  double cpu = cpu_seconds (RUSAGE_CHILDREN);
  guint received;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  if (process == NULL ||
      !g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error))
    {
      g_printerr ("%s: %s\n", argv[0], error->message);
      return (Result) { 0 };
    }
  received = (guint) g_ascii_strtoull (out, NULL, 10);
  return result_new (received, start, cpu_seconds (RUSAGE_CHILDREN) - cpu);
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
  const char *argv[] = { "mosquitto_sub", "-p", p, "-i", "bench-sub", "-c", "-q", "1", "-t",
                         "bench/#", "-E", NULL };

  return program_succeeds (argv);
}

static Result
mosquitto_sub_run (void)
{
  g_autofree char *command =
    g_strdup_printf ("mosquitto_sub -p %u -i bench-sub -c -q 1 -t 'bench/#' -C %u -W 120 | "
                     "wc -l", port, n_messages);
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
  const char *argv[] = { python (), script, "register", p, "0", NULL };

  return program_succeeds (argv);
}

static Result
paho_run (void)
{
  g_autofree char *script = paho_script ();
  g_autofree char *p = g_strdup_printf ("%u", port);
  g_autofree char *n = g_strdup_printf ("%u", n_messages);
  const char *argv[] = { python (), script, "read", p, n, NULL };

  return program_run (argv);
}

static void
row (const char *what,
     Result      ours,
     const char *peer,
     Result      theirs)
{
  g_autofree char *ours_text = g_strdup_printf ("%.0f / %.0f%s", ours.rate, ours.cpu_rate,
                                                ours.received < n_messages ? "*" : "");
  g_autofree char *theirs_text = g_strdup_printf ("%.0f / %.0f%s", theirs.rate, theirs.cpu_rate,
                                                  theirs.received < n_messages ? "*" : "");

  if (theirs.rate > 0)
    printf ("| %-36s | %15s | %-30s | %15s | %5.2f× | %5.2f× |\n", what, ours_text, peer,
            theirs_text, ours.rate / theirs.rate, ours.cpu_rate / theirs.cpu_rate);
  else
    printf ("| %-36s | %15s | %-30s | %15s | %6s | %6s |\n", what, ours_text, peer, "skipped",
            "—", "—");
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("feedwatch-bench-mqtt-XXXXXX", &error);
  g_autoptr(GSubprocess) broker = NULL;
  Result stream, print, sub = { 0 }, paho = { 0 };
  gboolean have_sub, have_paho;

  g_assert_no_error (error);
  if (g_getenv ("FW_BENCH_MQTT_MESSAGES") != NULL)
    n_messages = (guint) g_ascii_strtoull (g_getenv ("FW_BENCH_MQTT_MESSAGES"), NULL, 10);
  mosquitto_lib_init ();
  port = free_port ();
  broker_log = g_build_filename (dir, "broker.log", NULL);
  broker = start_broker (dir);

  /* Every reader's session, subscribed, waits for the messages */
  {
    Count count = { 0 };

    stream_read ("bench-stream", 0, &count);
    count = (Count) { 0 };
    stream_read ("bench-print", 0, &count);
  }
  have_sub = mosquitto_sub_register ();
  have_paho = paho_register ();
  publish_all ();
  g_printerr ("mqtt: %u QoS 1 messages held for each session\n", n_messages);

  stream = stream_run ();
  g_printerr ("mqtt: stream: %u messages, %.0f/s, %.0f per CPU second\n", stream.received,
              stream.rate, stream.cpu_rate);
  print = print_run ();
  g_printerr ("feedwatch --print: %u messages, %.0f/s, %.0f per CPU second\n", print.received,
              print.rate, print.cpu_rate);
  if (have_sub)
    sub = mosquitto_sub_run ();
  g_printerr ("mosquitto_sub: %u messages, %.0f/s, %.0f per CPU second\n", sub.received,
              sub.rate, sub.cpu_rate);
  if (have_paho)
    paho = paho_run ();
  g_printerr ("paho-mqtt: %u messages, %.0f/s, %.0f per CPU second\n", paho.received,
              paho.rate, paho.cpu_rate);

  printf ("%u QoS 1 messages of ~5 bytes (`21.37`, readings) held by a mosquitto broker on "
          "loopback for each reader's persistent session; each reader alone, from its start "
          "until it has them all: messages/s on the wall clock (the broker's pace bounds it) / "
          "messages per second of the reader's own CPU time (user + system; a program's whole "
          "pipeline) (* not all arrived)\n\n", n_messages);
  printf ("| %-36s | %15s | %-30s | %15s | %6s | %6s |\n", "Feedwatch", "wall / CPU", "peer",
          "wall / CPU", "wall", "CPU");
  printf ("|%s|%s|%s|%s|%s|%s|\n", "--------------------------------------",
          "-----------------", "--------------------------------", "-----------------",
          "--------", "--------");
  row ("mqtt: stream in process (readings)", stream, "mosquitto_sub | wc -l", sub);
  row ("feedwatch --print | grep -c", print, "mosquitto_sub | wc -l", sub);
  row ("mqtt: stream in process (readings)", stream, "Python paho-mqtt, on_message", paho);
  row ("feedwatch --print | grep -c", print, "Python paho-mqtt, on_message", paho);
  printf ("\nTargets: ≥ 0.5× mosquitto_sub; ≥ 10× paho-mqtt. At QoS 1 the broker sends no "
          "faster than it gets acknowledgements, so the wall-clock rates meet at its pace; the "
          "CPU column is what each reader costs per message.\n");

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
