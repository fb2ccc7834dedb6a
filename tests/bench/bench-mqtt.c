/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-mqtt.c: MQTT messages/s into the stream, beside mosquitto_sub and Python paho-mqtt, on
 * the same mosquitto broker (started here on a free loopback port) in the same run. Each reader
 * subscribes to bench/# alone; once the broker logged its subscription, a publisher thread
 * (libmosquitto, QoS 0, as fast as the broker takes them) sends n_messages small numeric
 * messages (`21.37`, readings) and the reader is timed from the first publish to its last
 * message: ours, the mqtt:// stream in process (items made and dropped) and
 * `feedwatch --print` writing JSON Lines to /dev/null; mosquitto_sub > /dev/null (piped to
 * wc -l for the count); paho's loop counting in on_message. A reader that falls behind makes
 * the broker queue, so the rate is the slower of reader and broker. QoS 0 may drop messages:
 * each row says how many arrived. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>

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
  g_autofree char *text = g_strdup_printf ("listener %u 127.0.0.1\nallow_anonymous true\n"
                                           "user root\nmax_queued_messages 0\nmax_inflight_messages 0\n"
                                           "log_dest file %s\nlog_type subscribe\n", port,
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

/* Waits until the broker logged @client_id's subscription to bench/# */
static void
wait_subscribed (const char *client_id)
{
  g_autofree char *needle = g_strdup_printf (" %s 0 bench/#", client_id);
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree char *log = NULL;

      if (g_file_get_contents (broker_log, &log, NULL, NULL) && strstr (log, needle) != NULL)
        return;
      if (g_get_monotonic_time () > deadline)
        g_error ("%s did not subscribe", client_id);
      g_usleep (5000);
    }
}

/* The publisher: QoS 0, as fast as the socket takes them */

static gpointer
publish_thread (gpointer user_data)
{
  struct mosquitto *mosq = mosquitto_new (NULL, true, NULL);

  if (mosquitto_connect (mosq, "127.0.0.1", (int) port, 60) != MOSQ_ERR_SUCCESS)
    g_error ("the publisher cannot connect");
  for (guint i = 0; i < n_messages; i++)
    {
      char payload[32];
      int len = g_snprintf (payload, sizeof payload, "%.2f", 20 + (i % 1000) / 100.0);

      if (mosquitto_publish (mosq, NULL, i % 2 ? "bench/room1/temp" : "bench/room2/temp", len,
                             payload, 0, false) != MOSQ_ERR_SUCCESS)
        g_error ("the publisher lost the broker");
      while (mosquitto_want_write (mosq))
        if (mosquitto_loop_write (mosq, 1) != MOSQ_ERR_SUCCESS)
          g_error ("the publisher lost the broker");
    }
  mosquitto_disconnect (mosq);
  /* Read what the broker sent (its CONNACK) until it closes: a socket closed with unread data
   * is reset, and the broker then loses what it had not read of it yet */
  while (mosquitto_loop (mosq, 1000, 1) == MOSQ_ERR_SUCCESS)
    ;
  mosquitto_destroy (mosq);
  return NULL;
}

static GThread *
publish_start (gint64 *start)
{
  *start = g_get_monotonic_time ();
  return g_thread_new ("publisher", publish_thread, NULL);
}

typedef struct
{
  double rate;
  guint  received;
} Result;

/* ---------------------------------------------------------------------------------------- */
/* Ours */

typedef struct
{
  guint         readings;
  gboolean      subscribed;
  gboolean      done;
  gint64        last;
  GError       *error;
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
        {
          count->readings++;
          count->last = g_get_monotonic_time ();
        }
      else if (item->kind == FW_ITEM_STATUS)
        {
          if (strstr (item->text, "subscribed to") != NULL)
            count->subscribed = TRUE;
          if (fw_item_get_feed_state (item) == FW_FEED_STATE_FAILED ||
              fw_item_get_feed_state (item) == FW_FEED_STATE_RETRYING)
            g_error ("%s", item->text);
        }
    }
}

static gboolean
on_idle_check (gpointer user_data)
{
  GCancellable *cancellable = user_data;

  g_cancellable_cancel (cancellable);
  return G_SOURCE_REMOVE;
}

static Result
stream_run (void)
{
  g_autofree char *feed = g_strdup_printf ("mqtt://127.0.0.1:%u/bench/%%23", port);
  g_autoptr(FwStream) stream = fw_feed_open (feed, FW_FEED_OPEN_NONE, NULL);
  Count count = { 0 };
  GThread *publisher = NULL;
  gint64 start = 0;

  while (count.readings < n_messages)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      GSource *idle = g_timeout_source_new (1000);

      /* a second without a message ends the run (QoS 0 may drop some) */
      g_source_set_callback (idle, on_idle_check, cancellable, NULL);
      g_source_attach (idle, NULL);
      count.done = FALSE;
      fw_stream_next_batch_async (stream, 4096, cancellable, on_batch, &count);
      while (!count.done)
        g_main_context_iteration (NULL, TRUE);
      g_source_destroy (idle);
      g_source_unref (idle);
      if (g_error_matches (count.error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && publisher != NULL)
        break;
      if (count.error != NULL && !g_error_matches (count.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_error ("%s", count.error->message);
      g_clear_error (&count.error);
      if (count.subscribed && publisher == NULL)
        publisher = publish_start (&start);
    }
  g_clear_error (&count.error);
  g_thread_join (publisher);
  fw_stream_close (stream);
  return (Result) { count.readings / ((count.last - start) / 1e6), count.readings };
}

/* ---------------------------------------------------------------------------------------- */
/* Programs: timed from the first publish to their exit */

static Result
program_run (const char * const *argv,
             const char         *client_id,
             gboolean            says_ready)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                                      &error);
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  GThread *publisher;
  gint64 start;
  guint received;

  if (process == NULL)
    {
      g_printerr ("%s: %s\n", argv[0], error->message);
      return (Result) { 0, 0 };
    }
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  if (says_ready)
    {
      g_free (g_data_input_stream_read_line (out, NULL, NULL, NULL));
    }
  wait_subscribed (client_id);
  publisher = publish_start (&start);
  line = g_data_input_stream_read_line (out, NULL, NULL, NULL);
  g_subprocess_wait (process, NULL, NULL);
  g_thread_join (publisher);
  if (line == NULL)
    return (Result) { 0, 0 };
  received = (guint) g_ascii_strtoull (line, NULL, 10);
  return (Result) { received / ((g_get_monotonic_time () - start) / 1e6), received };
}

static Result
mosquitto_sub_run (void)
{
  g_autofree char *command =
    g_strdup_printf ("mosquitto_sub -p %u -i bench-sub -t 'bench/#' -C %u -W 10 | wc -l", port,
                     n_messages);
  const char *argv[] = { "/bin/sh", "-c", command, NULL };

  return program_run (argv, "bench-sub", FALSE);
}

static Result
print_run (void)
{
  const char *bin = g_getenv ("FEEDWATCH_BIN");
  g_autofree char *command = NULL;
  const char *argv[] = { "/bin/sh", "-c", NULL, NULL };

  if (bin == NULL || !g_file_test (bin, G_FILE_TEST_IS_EXECUTABLE))
    return (Result) { 0, 0 };
  /* the three status items (connecting, connected, subscribed) come first */
  command = g_strdup_printf ("%s --print --count %u --duration 10 'mqtt://127.0.0.1:%u/bench/"
                             "%%23?client-id=bench-print' | tail -n +4 | wc -l", bin,
                             n_messages + 3, port);
  argv[2] = command;
  return program_run (argv, "bench-print", FALSE);
}

static Result
paho_run (void)
{
  const char *python = g_getenv ("PYTHON") != NULL ? g_getenv ("PYTHON") : "/usr/bin/python3";
  const char *src = g_getenv ("FW_BENCH_SRC") != NULL ? g_getenv ("FW_BENCH_SRC")
                                                      : FW_BENCH_SRCDIR;
  g_autofree char *script = g_build_filename (src, "bench_mqtt.py", NULL);
  g_autofree char *p = g_strdup_printf ("%u", port);
  g_autofree char *n = g_strdup_printf ("%u", n_messages);
  const char *argv[] = { python, script, p, n, NULL };

  return program_run (argv, "bench-paho", TRUE);
}

static void
row (const char *what,
     Result      ours,
     const char *peer,
     Result      theirs)
{
  g_autofree char *ours_text = g_strdup_printf ("%.0f%s", ours.rate,
                                                ours.received < n_messages ? "*" : "");
  g_autofree char *theirs_text = g_strdup_printf ("%.0f%s", theirs.rate,
                                                  theirs.received < n_messages ? "*" : "");

  if (theirs.rate > 0)
    printf ("| %-36s | %12s | %-34s | %12s | %7.2f× |\n", what, ours_text, peer, theirs_text,
            ours.rate / theirs.rate);
  else
    printf ("| %-36s | %12s | %-34s | %12s | %8s |\n", what, ours_text, peer, "skipped", "—");
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("feedwatch-bench-mqtt-XXXXXX", &error);
  g_autoptr(GSubprocess) broker = NULL;
  Result stream, print, sub, python;

  g_assert_no_error (error);
  if (g_getenv ("FW_BENCH_MQTT_MESSAGES") != NULL)
    n_messages = (guint) g_ascii_strtoull (g_getenv ("FW_BENCH_MQTT_MESSAGES"), NULL, 10);
  mosquitto_lib_init ();
  port = free_port ();
  broker_log = g_build_filename (dir, "broker.log", NULL);
  broker = start_broker (dir);

  stream = stream_run ();
  g_printerr ("mqtt: stream: %u messages, %.0f/s\n", stream.received, stream.rate);
  print = print_run ();
  g_printerr ("feedwatch --print: %u messages, %.0f/s\n", print.received, print.rate);
  sub = mosquitto_sub_run ();
  g_printerr ("mosquitto_sub: %u messages, %.0f/s\n", sub.received, sub.rate);
  python = paho_run ();
  g_printerr ("paho-mqtt: %u messages, %.0f/s\n", python.received, python.rate);

  printf ("%u QoS 0 messages of ~5 bytes (`21.37`, readings) through a mosquitto broker on "
          "loopback, each reader alone; messages/s from the first publish to the reader's last "
          "message (* not all arrived: QoS 0 drops when the broker's queue overflows; the programs then wait 10 s, so their rate is a lower bound)\n\n",
          n_messages);
  printf ("| %-36s | %12s | %-34s | %12s | %8s |\n", "Feedwatch", "messages/s", "peer",
          "messages/s", "ratio");
  printf ("|%s|%s|%s|%s|%s|\n", "--------------------------------------", "--------------",
          "------------------------------------", "--------------", "----------");
  row ("mqtt: stream in process (readings)", stream, "mosquitto_sub > /dev/null", sub);
  row ("feedwatch --print > /dev/null", print, "mosquitto_sub > /dev/null", sub);
  row ("mqtt: stream in process (readings)", stream, "Python paho-mqtt, on_message", python);
  row ("feedwatch --print > /dev/null", print, "Python paho-mqtt, on_message", python);
  printf ("\nTargets: ≥ 0.5× mosquitto_sub; ≥ 10× paho-mqtt.\n");

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
