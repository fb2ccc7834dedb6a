/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-mqtt-source.c: the pure parts of `mqtt://` and `mqtts://`: the address and options, the
 * stable client id, a message to an item, the broker's refusals in words, and where the feed's
 * secrets are; and, against a scripted broker on loopback, a QoS 2 message whose release comes
 * just before the broker resets the connection, and a burst of QoS 1 messages arriving at
 * once; against a scripted TLS broker, messages still to acknowledge when it closes the
 * connection, and a feed closed after it did (SIGPIPE). The real broker is
 * tests/integration/test-mosquitto.c's. */

#include "fw-test-util.h"

#include <string.h>
#include <sys/socket.h>

#include "sources/fw-mqtt-source-private.h"

static FwMqttConfig *
parse (const char  *text,
       GError     **error)
{
  g_autoptr(FwFeedSpec) spec = fw_feed_spec_parse (text, error);

  if (spec == NULL)
    return NULL;
  if (!fw_feed_kind_check (fw_feed_spec_get_kind_info (spec), spec, error))
    return NULL;
  return fw_mqtt_config_parse (spec, error);
}

static void
test_address (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwMqttConfig) config = NULL;
  g_autoptr(FwMqttConfig) tls = NULL;
  g_autoptr(FwMqttConfig) v6 = NULL;

  /* %23 is '#'; several filters joined by ','; the options after '?' */
  config = parse ("mqtt://watcher:s%40cret@broker.lan:1884/sensors/%23,plant/+/temp?qos=1",
                  &error);
  g_assert_no_error (error);
  g_assert_false (config->tls);
  g_assert_cmpstr (config->host, ==, "broker.lan");
  g_assert_cmpuint (config->port, ==, 1884);
  g_assert_cmpstr (config->user, ==, "watcher");
  g_assert_cmpstr (config->password, ==, "s@cret");
  g_assert_cmpuint (g_strv_length (config->filters), ==, 2);
  g_assert_cmpstr (config->filters[0], ==, "sensors/#");
  g_assert_cmpstr (config->filters[1], ==, "plant/+/temp");
  g_assert_cmpuint (config->qos, ==, 1);
  g_assert_true (config->clean);
  g_assert_null (config->client_id);
  g_assert_cmpint (config->protocol, ==, FW_MQTT_PROTOCOL_AUTO);
  g_assert_cmpuint (config->keepalive_s, ==, 60);

  /* a literal '#' works too, and the default ports */
  tls = parse ("mqtts://broker.lan/home/#?insecure=1&protocol=3.1.1&value=celsius", &error);
  g_assert_no_error (error);
  g_assert_true (tls->tls);
  g_assert_cmpuint (tls->port, ==, 8883);
  g_assert_null (tls->user);
  g_assert_cmpstr (tls->filters[0], ==, "home/#");
  g_assert_true (tls->insecure);
  g_assert_cmpint (tls->protocol, ==, FW_MQTT_PROTOCOL_V311);
  g_assert_cmpstr (tls->value_field, ==, "celsius");
  g_assert_cmpuint (tls->qos, ==, 0);

  v6 = parse ("mqtt://[::1]/a", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (v6->host, ==, "::1");
  g_assert_cmpuint (v6->port, ==, 1883);
}

static void
assert_refused (const char *text,
                const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwMqttConfig) config = parse (text, &error);

  g_test_message ("%s → %s", text, error != NULL ? error->message : "(parsed)");
  g_assert_null (config);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, expected));
}

static void
test_refused (void)
{
  assert_refused ("mqtt://broker.lan", "give a topic filter after the broker");
  assert_refused ("mqtt://broker.lan/", "give a topic filter after the broker");
  assert_refused ("mqtt:broker.lan/a", "write mqtt://HOST/TOPIC-FILTER");
  assert_refused ("mqtt:///a", "it names no broker");
  assert_refused ("mqtt://broker.lan:99999/a", "is not a number from 1 to 65535");
  /* '#' only last and alone; '+' alone in its level */
  assert_refused ("mqtt://broker.lan/a/%23/b", "is not a valid topic filter");
  assert_refused ("mqtt://broker.lan/a/b+", "is not a valid topic filter");
  /* options after '#', as other URL feeds take them, are part of the filter here */
  assert_refused ("mqtt://broker.lan/a#qos=1", "the feed's options follow “?”");
  assert_refused ("mqtt://broker.lan/a,,b", "a topic filter is empty");
  assert_refused ("mqtt://broker.lan/a?qos=3", "qos");
  assert_refused ("mqtt://broker.lan/a?protocol=4", "protocol");
  assert_refused ("mqtt://broker.lan/a?topic=x", "unknown option “topic”");
}

static void
test_client_id (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwMqttConfig) a = parse ("mqtt://u@broker.lan/sensors/%23?clean=0", &error);
  g_autoptr(FwMqttConfig) same = parse ("mqtt://u@broker.lan/sensors/%23?clean=0&value=v",
                                        &error);
  g_autoptr(FwMqttConfig) other = parse ("mqtt://u@broker.lan/plant/%23?clean=0", &error);
  g_autoptr(FwMqttConfig) chosen = parse ("mqtt://broker.lan/a?clean=0&client-id=mine",
                                          &error);

  g_assert_no_error (error);
  /* a persistent session is found again by a stable id, 23 characters (MQTT 3.1.1's bound) */
  g_assert_false (a->clean);
  g_assert_nonnull (a->client_id);
  g_assert_cmpuint (strlen (a->client_id), ==, 23);
  g_assert_true (g_str_has_prefix (a->client_id, "fw-"));
  g_assert_cmpstr (a->client_id, ==, same->client_id);
  g_assert_cmpstr (a->client_id, !=, other->client_id);
  g_assert_cmpstr (chosen->client_id, ==, "mine");
}

static GRefString *
intern (const char *text)
{
  return fw_ref_string_intern (text);
}

static void
test_items (void)
{
  g_autoptr(GRefString) feed = intern ("mqtt://broker.lan/home/#");
  g_autoptr(GRefString) topic = intern ("home/kitchen/temp");
  g_autoptr(FwItem) number = NULL;
  g_autoptr(FwItem) json = NULL;
  g_autoptr(FwItem) valued = NULL;
  g_autoptr(FwItem) text = NULL;
  g_autoptr(FwItem) binary = NULL;
  g_autoptr(FwItem) retained = NULL;
  g_autoptr(FwItem) not_number = NULL;
  g_autoptr(GVariant) field = NULL;
  static const char json_payload[] = "{\"celsius\": 21.5, \"level\": \"warn\", \"room\": \"kitchen\"}";
  static const guint8 bytes[] = { 0xff, 0x00, 0x01 };

  /* a number alone is a reading that plots, named by its topic */
  number = fw_mqtt_item_new (feed, 1, topic, " 21.5\n", 6, FALSE, NULL);
  g_assert_cmpint (number->kind, ==, FW_ITEM_READING);
  g_assert_true (number->flags & FW_ITEM_FLAG_HAS_VALUE);
  g_assert_cmpfloat (number->value, ==, 21.5);
  g_assert_cmpstr (number->name, ==, "home/kitchen/temp");
  g_assert_false (number->flags & FW_ITEM_FLAG_REPLAYED);

  /* JSON keeps its fields (and its level); without value= it is a message */
  json = fw_mqtt_item_new (feed, 1, topic, json_payload, strlen (json_payload), FALSE, NULL);
  g_assert_cmpint (json->kind, ==, FW_ITEM_MESSAGE);
  g_assert_cmpstr (json->name, ==, "home/kitchen/temp");
  g_assert_cmpint (json->level, ==, FW_LEVEL_WARNING);
  field = g_variant_lookup_value (json->fields, "room", G_VARIANT_TYPE_STRING);
  g_assert_cmpstr (g_variant_get_string (field, NULL), ==, "kitchen");
  g_clear_pointer (&field, g_variant_unref);

  /* value=FIELD makes it a reading, fields kept */
  valued = fw_mqtt_item_new (feed, 1, topic, json_payload, strlen (json_payload), FALSE,
                             "celsius");
  g_assert_cmpint (valued->kind, ==, FW_ITEM_READING);
  g_assert_cmpfloat (valued->value, ==, 21.5);
  g_assert_cmpint (valued->level, ==, FW_LEVEL_WARNING);
  g_assert_cmpstr (valued->text, ==, json_payload);
  field = g_variant_lookup_value (valued->fields, "room", G_VARIANT_TYPE_STRING);
  g_assert_nonnull (field);
  g_clear_pointer (&field, g_variant_unref);

  /* text is a message; not UTF-8 is binary; "nan" or "0x10" are not numbers */
  text = fw_mqtt_item_new (feed, 1, topic, "door open", 9, FALSE, "celsius");
  g_assert_cmpint (text->kind, ==, FW_ITEM_MESSAGE);
  g_assert_cmpstr (text->text, ==, "door open");
  binary = fw_mqtt_item_new (feed, 1, topic, bytes, sizeof bytes, FALSE, NULL);
  g_assert_true (binary->flags & FW_ITEM_FLAG_BINARY);
  g_assert_cmpstr (binary->name, ==, "home/kitchen/temp");
  not_number = fw_mqtt_item_new (feed, 1, topic, "0x10", 4, FALSE, NULL);
  g_assert_cmpint (not_number->kind, ==, FW_ITEM_MESSAGE);

  /* a retained message is marked, in its flags and its fields */
  retained = fw_mqtt_item_new (feed, 1, topic, json_payload, strlen (json_payload), TRUE,
                               "celsius");
  g_assert_true (retained->flags & FW_ITEM_FLAG_REPLAYED);
  field = g_variant_lookup_value (retained->fields, "retained", G_VARIANT_TYPE_BOOLEAN);
  g_assert_true (g_variant_get_boolean (field));
  g_clear_pointer (&field, g_variant_unref);
  field = g_variant_lookup_value (retained->fields, "celsius", NULL);
  g_assert_nonnull (field);
}

/* A number's value is the double g_ascii_strtod() reads, whichever way it is parsed */
static void
assert_number (GRefString *feed,
               GRefString *topic,
               const char *payload)
{
  g_autoptr(FwItem) item = fw_mqtt_item_new (feed, 1, topic, payload, strlen (payload), FALSE,
                                             NULL);
  double expected = g_ascii_strtod (payload, NULL);

  g_assert_cmpint (item->kind, ==, FW_ITEM_READING);
  /* the same bits: -0 and 0 differ, rounding to the last bit counts */
  if (memcmp (&item->value, &expected, sizeof expected) != 0)
    g_error ("“%s” read as %.17g, not %.17g", payload, item->value, expected);
}

static void
test_numbers (void)
{
  g_autoptr(GRefString) feed = intern ("mqtt://broker.lan/home/#");
  g_autoptr(GRefString) topic = intern ("home/kitchen/temp");
  static const char * const numbers[] = {
    "21.37", "0.1", "0.3", "-3", "+0.5", "-0", "-0.0", "1.", ".5", "007", "0.000000000000001",
    "123456789012345", "1234567890123456", "9007199254740993", "0.1000000000000000055511",
    "1e3", "-2.5E-3", "99999999999999.9", "3.141592653589793",
  };

  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    assert_number (feed, topic, numbers[i]);
  for (guint i = 0; i < 20000; i++)
    {
      char payload[64];

      g_snprintf (payload, sizeof payload, "%s%u.%0*u", g_test_rand_bit () ? "-" : "",
                  (guint) g_test_rand_int_range (0, 100000), g_test_rand_int_range (1, 10),
                  (guint) g_test_rand_int_range (0, 1000000000));
      assert_number (feed, topic, payload);
    }
}

static void
test_refusals (void)
{
  g_autofree char *bad = fw_mqtt_describe_refusal (TRUE, 134, TRUE);
  g_autofree char *bad_v3 = fw_mqtt_describe_refusal (FALSE, 4, TRUE);
  /* mosquitto answers a wrong password with "not authorised" */
  g_autofree char *not_authorised = fw_mqtt_describe_refusal (TRUE, 135, TRUE);
  g_autofree char *anonymous = fw_mqtt_describe_refusal (FALSE, 5, FALSE);
  g_autofree char *version = fw_mqtt_describe_refusal (TRUE, 132, FALSE);

  g_assert_true (g_str_has_prefix (bad, "the broker refused the user name or password"));
  g_assert_cmpstr (bad, ==, bad_v3);
  g_assert_cmpstr (bad, ==, not_authorised);
  g_assert_nonnull (strstr (anonymous, "takes no anonymous clients"));
  g_assert_nonnull (strstr (version, "protocol=3.1.1"));
  g_assert_true (fw_mqtt_refusal_is_final (TRUE, 134));
  g_assert_true (fw_mqtt_refusal_is_final (FALSE, 5));
  g_assert_false (fw_mqtt_refusal_is_final (TRUE, 137));
  g_assert_false (fw_mqtt_refusal_is_final (FALSE, 3));
}

/* The password is a secret: masked in the feed's identity, kept for the keyring; the options
 * follow '?' and are not part of the URL */
static void
test_secrets (void)
{
  const char *text = "mqtt://watcher:hunter22@broker.lan/sensors/%23?qos=1";
  g_autofree char *redacted = fw_feed_spec_redact (text);
  g_autoptr(GHashTable) secrets = fw_feed_spec_find_secrets (text);
  g_autofree char *with_qos2 = fw_feed_text_set_option (text, "qos", "2");

  g_assert_null (strstr (redacted, "hunter22"));
  g_assert_nonnull (strstr (redacted, "sensors/%23?qos=1"));
  g_assert_cmpstr (g_hash_table_lookup (secrets, "password"), ==, "hunter22");
  g_assert_cmpstr (with_qos2, ==, "mqtt://watcher:hunter22@broker.lan/sensors/%23?qos=2");
}

static void
test_kinds (void)
{
  const FwFeedKind *mqtt = fw_feed_kind_lookup ("mqtt");
  const FwFeedKind *mqtts = fw_feed_kind_lookup ("MQTTS");
  g_autoptr(FwFeedSpec) spec = fw_feed_spec_parse ("mqtt://broker.lan/sensors/%23", NULL);
  g_autofree char *title = mqtt->default_title (spec);

  g_assert_nonnull (mqtt);
  g_assert_nonnull (mqtts);
  g_assert_cmpstr (fw_feed_kind_get_example (mqtt), ==, "mqtt://");
  g_assert_cmpstr (fw_feed_kind_get_example (mqtts), ==, "mqtts://");
  g_assert_nonnull (fw_feed_kind_find_option (mqtt, "qos"));
  g_assert_nonnull (fw_feed_kind_find_option (mqtts, "insecure"));
  g_assert_cmpstr (title, ==, "sensors/# on broker.lan");
}

/* ---------------------------------------------------------------------------------------- */
/* A scripted MQTT 3.1.1 broker, in a thread: it takes the client's CONNECT and SUBSCRIBE, sends
 * one QoS 2 PUBLISH, and once the client acknowledged it (PUBREC) and the test says so, sends
 * the PUBREL and resets the connection (RST) at once. */

typedef struct
{
  GSocket         *listener;
  guint            port;
  GTlsCertificate *certificate;  /* for a TLS broker */
  gint             got_pubrec;   /* atomic */
  gint             go;           /* atomic */
} ScriptedBroker;

/* Reads one packet; returns its first byte */
static guint8
read_packet (GIOStream  *stream,
             GBytes    **body)
{
  GInputStream *in = g_io_stream_get_input_stream (stream);
  guint8 header[1];
  guint8 byte;
  gsize length = 0;
  guint shift = 0;
  g_autofree guint8 *data = NULL;
  gsize got = 0;

  g_assert_true (g_input_stream_read_all (in, header, 1, &got, NULL, NULL));
  g_assert_cmpuint (got, ==, 1);
  do
    {
      g_assert_true (g_input_stream_read_all (in, &byte, 1, &got, NULL, NULL));
      g_assert_cmpuint (got, ==, 1);
      length |= (gsize) (byte & 0x7f) << shift;
      shift += 7;
    }
  while (byte & 0x80);

  data = g_malloc (MAX (length, 1));
  g_assert_true (g_input_stream_read_all (in, data, length, &got, NULL, NULL));
  g_assert_cmpuint (got, ==, length);
  if (body != NULL)
    *body = g_bytes_new (data, length);
  return header[0];
}

static void
send_all (GIOStream    *stream,
          const guint8 *data,
          gsize         length)
{
  gsize written = 0;

  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (stream), data, length,
                                            &written, NULL, NULL));
  g_assert_cmpuint (written, ==, length);
}

/* CONNECT, CONNACK, SUBSCRIBE, SUBACK granting @qos */
static void
start_session (GIOStream *stream,
               guint8     qos)
{
  static const guint8 connack[] = { 0x20, 0x02, 0x00, 0x00 };
  g_autoptr(GBytes) subscribe = NULL;
  guint8 suback[] = { 0x90, 0x03, 0x00, 0x00, qos };
  const guint8 *id;

  g_assert_cmpuint (read_packet (stream, NULL) >> 4, ==, 1);      /* CONNECT */
  send_all (stream, connack, sizeof connack);
  g_assert_cmpuint (read_packet (stream, &subscribe) >> 4, ==, 8);  /* SUBSCRIBE */
  id = g_bytes_get_data (subscribe, NULL);
  suback[2] = id[0];
  suback[3] = id[1];
  send_all (stream, suback, sizeof suback);
}

static void
broker_listen (ScriptedBroker *broker)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  broker->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                   G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (broker->listener, any, TRUE, &error));
  g_assert_true (g_socket_listen (broker->listener, &error));
  bound = g_socket_get_local_address (broker->listener, &error);
  g_assert_no_error (error);
  broker->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static gpointer
scripted_broker_thread (gpointer user_data)
{
  ScriptedBroker *broker = user_data;
  g_autoptr(GSocket) socket = g_socket_accept (broker->listener, NULL, NULL);
  g_autoptr(GSocketConnection) connection = NULL;
  /* QoS 2, packet id 7, topic plant/count, payload 42 */
  static const guint8 publish[] = { 0x34, 17, 0x00, 11, 'p', 'l', 'a', 'n', 't', '/', 'c', 'o',
                                    'u', 'n', 't', 0x00, 0x07, '4', '2' };
  static const guint8 pubrel[] = { 0x62, 0x02, 0x00, 0x07 };

  g_assert_nonnull (socket);
  g_socket_set_blocking (socket, TRUE);
  connection = g_socket_connection_factory_create_connection (socket);
  start_session (G_IO_STREAM (connection), 2);
  send_all (G_IO_STREAM (connection), publish, sizeof publish);
  g_assert_cmpuint (read_packet (G_IO_STREAM (connection), NULL) >> 4, ==, 5);  /* PUBREC */
  g_atomic_int_set (&broker->got_pubrec, TRUE);
  while (!g_atomic_int_get (&broker->go))
    g_usleep (1000);

  /* The release, then a reset: the client's PUBCOMP cannot be written any more */
  send_all (G_IO_STREAM (connection), pubrel, sizeof pubrel);
  {
    struct linger linger = { .l_onoff = 1, .l_linger = 0 };

    g_assert_cmpint (setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &linger,
                                 sizeof linger), ==, 0);
  }
  g_socket_close (socket, NULL);
  return NULL;
}

static gboolean
got_pubrec (gpointer user_data)
{
  return g_atomic_int_get (&((ScriptedBroker *) user_data)->got_pubrec);
}

static void
test_release_before_reset (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = NULL;
  g_autofree char *feed = NULL;
  ScriptedBroker broker = { 0 };
  GThread *thread;
  FwItem *message = NULL;
  gboolean retrying = FALSE;

  broker_listen (&broker);
  thread = g_thread_new ("scripted broker", scripted_broker_thread, &broker);

  feed = g_strdup_printf ("mqtt://127.0.0.1:%u/plant/%%23?qos=2&protocol=3.1.1&retry=60000",
                          broker.port);
  stream = fw_feed_open (feed, FW_FEED_OPEN_NONE, &error);
  g_assert_no_error (error);

  /* The first pull connects, subscribes and reads the PUBLISH; the client answers PUBREC */
  {
    g_autoptr(FwItem) item = fw_test_next_item (stream);

    fw_test_assert_status (item, "connecting");
  }
  fw_test_wait_until (got_pubrec, &broker, "the client to acknowledge the message");

  /* Nothing reads the socket meanwhile: the PUBREL and the reset are both there at once */
  g_atomic_int_set (&broker.go, TRUE);
  g_thread_join (thread);

  while (!retrying)
    {
      g_autoptr(FwItem) item = fw_test_next (stream, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (item);
      g_test_message ("%s: %s", item->kind == FW_ITEM_STATUS ? "status" : "item", item->text);
      if (item->kind == FW_ITEM_STATUS)
        {
          g_assert_cmpint (fw_item_get_feed_state (item), !=, FW_FEED_STATE_FAILED);
          retrying = fw_item_get_feed_state (item) == FW_FEED_STATE_RETRYING;
        }
      else
        {
          /* once */
          g_assert_null (message);
          message = fw_item_ref (item);
        }
    }

  /* libmosquitto delivers a QoS 2 message at its release: the release came, so did it */
  g_assert_nonnull (message);
  g_assert_cmpstr (message->name, ==, "plant/count");
  g_assert_cmpfloat (message->value, ==, 42);
  fw_item_unref (message);
  g_assert_true (fw_test_close (stream, NULL));
  g_object_unref (broker.listener);
}

/* ---------------------------------------------------------------------------------------- */
/* A burst: a scripted MQTT 3.1.1 broker sends, at once, many QoS 1 PUBLISHes on topics that
 * take turns, a PINGRESP among them, the last PUBLISH in two halves; it expects every PUBACK,
 * in order. */

#define BURST 3000

typedef struct
{
  GSocket *listener;
  guint    port;
  gint     acked;        /* atomic: PUBACKs read so far */
  gint     out_of_order; /* atomic */
} BurstBroker;

static const char * const burst_topics[] = { "plant/a/temp", "plant/b/temp", "plant/c/level" };

static void
append_publish (GByteArray *out,
                guint       id)
{
  const char *topic = burst_topics[(id - 1) % G_N_ELEMENTS (burst_topics)];
  char payload[32];
  gsize topic_len = strlen (topic);
  gsize payload_len = (gsize) g_snprintf (payload, sizeof payload, "%u.%02u", id / 100,
                                          id % 100);
  guint8 header[] = { 0x32, (guint8) (2 + topic_len + 2 + payload_len), 0x00,
                      (guint8) topic_len };
  guint8 packet_id[] = { (guint8) (id >> 8), (guint8) id };

  g_byte_array_append (out, header, sizeof header);
  g_byte_array_append (out, (const guint8 *) topic, topic_len);
  g_byte_array_append (out, packet_id, sizeof packet_id);
  g_byte_array_append (out, (const guint8 *) payload, payload_len);
}

static gpointer
burst_broker_thread (gpointer user_data)
{
  BurstBroker *broker = user_data;
  g_autoptr(GSocket) socket = g_socket_accept (broker->listener, NULL, NULL);
  g_autoptr(GSocketConnection) connection = NULL;
  GIOStream *stream;
  g_autoptr(GBytes) subscribe = NULL;
  g_autoptr(GByteArray) burst = g_byte_array_new ();
  g_autoptr(GByteArray) last = g_byte_array_new ();
  static const guint8 connack[] = { 0x20, 0x02, 0x00, 0x00 };
  static const guint8 pingresp[] = { 0xd0, 0x00 };
  guint8 suback[] = { 0x90, 0x03, 0x00, 0x00, 0x01 };
  const guint8 *id;

  g_assert_nonnull (socket);
  g_socket_set_blocking (socket, TRUE);
  connection = g_socket_connection_factory_create_connection (socket);
  stream = G_IO_STREAM (connection);
  g_assert_cmpuint (read_packet (stream, NULL) >> 4, ==, 1);      /* CONNECT */
  send_all (stream, connack, sizeof connack);
  g_assert_cmpuint (read_packet (stream, &subscribe) >> 4, ==, 8);  /* SUBSCRIBE */
  id = g_bytes_get_data (subscribe, NULL);
  suback[2] = id[0];
  suback[3] = id[1];
  send_all (stream, suback, sizeof suback);

  for (guint i = 1; i < BURST; i++)
    {
      append_publish (burst, i);
      if (i == BURST / 2)
        g_byte_array_append (burst, pingresp, sizeof pingresp);
    }
  append_publish (last, BURST);
  g_byte_array_append (burst, last->data, 3);
  send_all (stream, burst->data, burst->len);

  /* The rest of the last PUBLISH once the others are acknowledged: the client met its first
   * bytes alone */
  for (guint i = 1; i <= BURST; i++)
    {
      g_autoptr(GBytes) puback = NULL;
      const guint8 *body;

      if (i == BURST)
        send_all (stream, last->data + 3, last->len - 3);
      g_assert_cmpuint (read_packet (stream, &puback), ==, 0x40);
      body = g_bytes_get_data (puback, NULL);
      if (g_bytes_get_size (puback) != 2 || (guint) (body[0] << 8 | body[1]) != i)
        g_atomic_int_set (&broker->out_of_order, TRUE);
      g_atomic_int_inc (&broker->acked);
    }
  return NULL;
}

static gboolean
burst_acked (gpointer user_data)
{
  return g_atomic_int_get (&((BurstBroker *) user_data)->acked) == BURST;
}

static void
test_burst (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(FwStream) stream = NULL;
  g_autofree char *feed = NULL;
  BurstBroker broker = { 0 };
  GThread *thread;
  guint readings = 0;

  broker.listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                  G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (broker.listener, any, TRUE, &error));
  g_assert_true (g_socket_listen (broker.listener, &error));
  bound = g_socket_get_local_address (broker.listener, &error);
  g_assert_no_error (error);
  broker.port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  thread = g_thread_new ("burst broker", burst_broker_thread, &broker);

  /* a queue smaller than the burst: reading stops and resumes at each pull */
  feed = g_strdup_printf ("mqtt://127.0.0.1:%u/plant/%%23?qos=1&protocol=3.1.1&max-queue=100",
                          broker.port);
  stream = fw_feed_open (feed, FW_FEED_OPEN_NONE, &error);
  g_assert_no_error (error);

  while (readings < BURST)
    {
      g_autoptr(GPtrArray) batch = fw_test_next_batch (stream, 4096, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (batch);
      for (guint i = 0; i < batch->len; i++)
        {
          FwItem *item = g_ptr_array_index (batch, i);
          guint id = readings + 1;
          char payload[32];

          if (item->kind == FW_ITEM_STATUS)
            {
              g_assert_cmpint (fw_item_get_feed_state (item), !=, FW_FEED_STATE_FAILED);
              g_assert_cmpint (fw_item_get_feed_state (item), !=, FW_FEED_STATE_RETRYING);
              continue;
            }
          g_assert_cmpint (item->kind, ==, FW_ITEM_READING);
          g_assert_cmpstr (item->name, ==,
                           burst_topics[(id - 1) % G_N_ELEMENTS (burst_topics)]);
          g_snprintf (payload, sizeof payload, "%u.%02u", id / 100, id % 100);
          g_assert_cmpfloat (item->value, ==, g_ascii_strtod (payload, NULL));
          readings++;
        }
    }

  fw_test_wait_until (burst_acked, &broker, "every message to be acknowledged");
  g_assert_false (g_atomic_int_get (&broker.out_of_order));
  g_thread_join (thread);
  g_assert_true (fw_test_close (stream, NULL));
  g_object_unref (broker.listener);
}

/* How many QoS 1 messages the TLS broker sends before it closes the connection */
#define TLS_PUBLISHES 4

static GIOStream *
accept_tls (ScriptedBroker  *broker,
            GSocket        **socket)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) base = NULL;
  GIOStream *tls;

  *socket = g_socket_accept (broker->listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_set_blocking (*socket, TRUE);
  base = g_socket_connection_factory_create_connection (*socket);
  tls = g_tls_server_connection_new (G_IO_STREAM (base), broker->certificate, &error);
  g_assert_no_error (error);
  g_assert_true (g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, &error));
  g_assert_no_error (error);
  return tls;
}

/* A TLS connection with its session begun (QoS 1), once the test says go */
static GIOStream *
accept_tls_session (ScriptedBroker  *broker,
                    GSocket        **socket)
{
  GIOStream *tls = accept_tls (broker, socket);

  start_session (tls, 1);
  while (!g_atomic_int_get (&broker->go))
    g_usleep (1000);
  return tls;
}

/* Sends QoS 1 messages and closes the TCP connection under TLS (no close_notify) */
static gpointer
closing_tls_broker_thread (gpointer user_data)
{
  ScriptedBroker *broker = user_data;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GIOStream) tls = accept_tls_session (broker, &socket);
  for (guint8 id = 1; id <= TLS_PUBLISHES; id++)
    {
      /* QoS 1, packet id @id, topic plant/count, payload 42 */
      const guint8 publish[] = { 0x32, 17, 0x00, 11, 'p', 'l', 'a', 'n', 't', '/', 'c', 'o',
                                 'u', 'n', 't', 0x00, id, '4', '2' };

      send_all (tls, publish, sizeof publish);
    }
  g_socket_close (socket, NULL);
  return NULL;
}

/* The reconnection: a session, then the connection stays until the test is done */
static gpointer
tls_broker_thread (gpointer user_data)
{
  ScriptedBroker *broker = user_data;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GIOStream) tls = accept_tls_session (broker, &socket);
  return NULL;
}

/* Pulls items until a status of @state; checks the messages on the way */
static FwItem *
next_status (FwStream    *stream,
             FwFeedState  state,
             guint       *messages)
{
  while (TRUE)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FwItem) item = fw_test_next (stream, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (item);
      g_test_message ("%s: %s", item->kind == FW_ITEM_STATUS ? "status" : "item", item->text);
      if (item->kind != FW_ITEM_STATUS)
        {
          g_assert_cmpstr (item->name, ==, "plant/count");
          g_assert_cmpfloat (item->value, ==, 42);
          (*messages)++;
          continue;
        }
      g_assert_cmpint (fw_item_get_feed_state (item), !=, FW_FEED_STATE_FAILED);
      if (fw_item_get_feed_state (item) == state)
        return g_steal_pointer (&item);
    }
}

/* The broker closes a TLS connection while messages are still to be acknowledged: the feed
 * says in words that it lost the broker, and connects again. */
static void
test_tls_write_after_close (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(FwItem) connecting = NULL;
  g_autoptr(FwItem) subscribed = NULL;
  g_autoptr(FwItem) lost = NULL;
  g_autoptr(FwItem) again = NULL;
  g_autofree char *feed = NULL;
  g_autofree char *broker_name = NULL;
  ScriptedBroker broker = { 0 };
  GThread *thread;
  guint messages = 0;

  broker_listen (&broker);
  broker.certificate = fw_test_localhost_certificate (&error);
  g_assert_no_error (error);
  thread = g_thread_new ("closing TLS broker", closing_tls_broker_thread, &broker);

  feed = g_strdup_printf ("mqtts://127.0.0.1:%u/plant/%%23?qos=1&protocol=3.1.1&insecure=1"
                          "&retry=20", broker.port);
  broker_name = g_strdup_printf ("127.0.0.1:%u", broker.port);
  stream = fw_feed_open (feed, FW_FEED_OPEN_NONE, &error);
  g_assert_no_error (error);
  connecting = fw_test_next_item (stream);
  fw_test_assert_status (connecting, "connecting");
  subscribed = next_status (stream, FW_FEED_STATE_LIVE, &messages);
  fw_test_assert_status (subscribed, "subscribed to");

  /* Nothing reads the socket meanwhile: the messages and the close are all there at once */
  g_atomic_int_set (&broker.go, TRUE);
  g_thread_join (thread);
  g_atomic_int_set (&broker.go, FALSE);
  thread = g_thread_new ("TLS broker", tls_broker_thread, &broker);

  lost = next_status (stream, FW_FEED_STATE_RETRYING, &messages);
  g_assert_nonnull (strstr (lost->text, broker_name));
  g_assert_true (strstr (lost->text, "closed the connection") != NULL ||
                 strstr (lost->text, "failed") != NULL);
  g_assert_cmpuint (messages, >=, 1);
  g_assert_cmpuint (messages, <=, TLS_PUBLISHES);

  again = next_status (stream, FW_FEED_STATE_LIVE, &messages);
  fw_test_assert_status (again, "subscribed to");

  g_atomic_int_set (&broker.go, TRUE);
  g_thread_join (thread);
  g_assert_true (fw_test_close (stream, NULL));
  g_object_unref (broker.certificate);
  g_object_unref (broker.listener);
}

/* Where the client and the broker of /mqtt/close-after-broker-closed meet */
typedef struct
{
  ScriptedBroker  broker;
  char           *dir;
} ClosingBroker;

/* Waits, without running the main context, for @name to appear in @dir */
static void
wait_for_file (const char *dir,
               const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC * fw_test_slowdown ();

  while (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("%s did not appear in 30 s", path);
      g_usleep (1000);
    }
}

static void
create_file (const char *dir,
             const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, "", 0, &error));
  g_assert_no_error (error);
}

/* A session, then, once the client is subscribed, the end of the TCP connection under TLS */
static gpointer
closed_under_client_thread (gpointer user_data)
{
  ClosingBroker *closing = user_data;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GIOStream) tls = accept_tls (&closing->broker, &socket);

  start_session (tls, 1);
  wait_for_file (closing->dir, "subscribed");
  g_socket_close (socket, NULL);
  create_file (closing->dir, "closed");
  return NULL;
}

/* The client, in a process of its own: GSocket ignores SIGPIPE for the whole process once its
 * class is made, so the broker's process would never see the signal. */
static void
test_close_after_broker_closed_client (void)
{
  const char *port = g_getenv ("FW_TEST_MQTT_PORT");
  const char *dir = g_getenv ("FW_TEST_MQTT_DIR");
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(FwItem) connecting = NULL;
  g_autoptr(FwItem) subscribed = NULL;
  g_autofree char *feed = NULL;
  guint messages = 0;

  g_assert_nonnull (port);
  g_assert_nonnull (dir);
  feed = g_strdup_printf ("mqtts://127.0.0.1:%s/plant/%%23?qos=1&protocol=3.1.1&insecure=1",
                          port);
  stream = fw_feed_open (feed, FW_FEED_OPEN_NONE, &error);
  g_assert_no_error (error);
  connecting = fw_test_next_item (stream);
  fw_test_assert_status (connecting, "connecting");
  subscribed = next_status (stream, FW_FEED_STATE_LIVE, &messages);
  fw_test_assert_status (subscribed, "subscribed to");
  g_assert_cmpuint (messages, ==, 0);
  create_file (dir, "subscribed");

  /* The broker is gone, and the feed, not running meanwhile, has not read so. Closing it says
   * goodbye (DISCONNECT, then TLS's close_notify): two writes to a closed connection, the
   * second of which raises SIGPIPE. */
  wait_for_file (dir, "closed");
  g_assert_true (fw_test_close (stream, NULL));
}

/* A feed closed after its broker closed the connection, before the feed read that: writing
 * the goodbye must not end the process by SIGPIPE. (libmosquitto before 2.0.15 ignores SIGPIPE
 * for the whole process, so with those this passes either way; later ones write plain TCP with
 * MSG_NOSIGNAL, but TLS through OpenSSL's socket BIO, which raises it.) */
static void
test_close_after_broker_closed (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *port = NULL;
  ClosingBroker closing = { 0 };
  GThread *thread;

  broker_listen (&closing.broker);
  closing.broker.certificate = fw_test_localhost_certificate (&error);
  g_assert_no_error (error);
  closing.dir = g_dir_make_tmp ("test-mqtt-XXXXXX", &error);
  g_assert_no_error (error);
  port = g_strdup_printf ("%u", closing.broker.port);
  g_setenv ("FW_TEST_MQTT_PORT", port, TRUE);
  g_setenv ("FW_TEST_MQTT_DIR", closing.dir, TRUE);
  thread = g_thread_new ("closing TLS broker", closed_under_client_thread, &closing);

  g_test_trap_subprocess ("/mqtt/close-after-broker-closed/subprocess/client",
                          60 * G_USEC_PER_SEC * fw_test_slowdown (),
                          G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();

  g_thread_join (thread);
  fw_test_remove_tree (closing.dir);
  g_free (closing.dir);
  g_object_unref (closing.broker.certificate);
  g_object_unref (closing.broker.listener);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mqtt/address", test_address);
  g_test_add_func ("/mqtt/refused", test_refused);
  g_test_add_func ("/mqtt/client-id", test_client_id);
  g_test_add_func ("/mqtt/items", test_items);
  g_test_add_func ("/mqtt/numbers", test_numbers);
  g_test_add_func ("/mqtt/refusals", test_refusals);
  g_test_add_func ("/mqtt/secrets", test_secrets);
  g_test_add_func ("/mqtt/kinds", test_kinds);
  g_test_add_func ("/mqtt/release-before-reset", test_release_before_reset);
  g_test_add_func ("/mqtt/burst", test_burst);
  /* TLS servers leave LeakSanitizer a crash at exit (fw_test_run_subprocess_without_leak_check) */
  g_test_add_data_func ("/mqtt/tls-write-after-close", "/mqtt/tls-write-after-close",
                        fw_test_run_subprocess_without_leak_check);
  g_test_add_func ("/mqtt/tls-write-after-close/subprocess", test_tls_write_after_close);
  g_test_add_data_func ("/mqtt/close-after-broker-closed", "/mqtt/close-after-broker-closed",
                        fw_test_run_subprocess_without_leak_check);
  g_test_add_func ("/mqtt/close-after-broker-closed/subprocess", test_close_after_broker_closed);
  g_test_add_func ("/mqtt/close-after-broker-closed/subprocess/client",
                   test_close_after_broker_closed_client);

  return g_test_run ();
}
