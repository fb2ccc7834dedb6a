/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-mqtt-source.c: `mqtt://[USER[:PASSWORD]@]HOST[:PORT]/FILTER[,FILTER…][?OPTIONS]` and
 * `mqtts://…`, the messages an MQTT broker routes to some topic filters, through libmosquitto.
 *
 * The broker's socket is driven from the stream's main context, never by a thread of
 * libmosquitto's: a GSource watches mosquitto_socket(); when it is readable, every packet it
 * holds is read (mosquitto_loop_read()) and the acknowledgements they call for are written in
 * the same wake-up (mosquitto_loop_write()), as later whatever libmosquitto still has to send
 * (mosquitto_want_write()) once the socket takes it; a 1 s timer runs mosquitto_loop_misc()
 * (keepalive pings).
 * Only the connect leaves the main thread: libmosquitto resolves the broker's name with a
 * blocking getaddrinfo() and has no asynchronous connect that takes MQTT 5 properties, so the
 * connect call runs in a GTask worker; the main context touches the handle only once it
 * returned.
 *
 * Messages are read while fewer than MAX_QUEUED wait for a pull: at the cap the socket is not
 * read (TCP flow control then holds the broker back, and the broker queues for the session);
 * nothing is dropped here. A consumer that pulls nothing for longer than one and a half
 * keepalives lets the ping go unanswered: the connection is dropped and made again at the next
 * pull, which a persistent session (clean=0) survives without loss at QoS 1 and 2.
 *
 * One libmosquitto handle serves the feed's whole life, reconnects included: with a persistent
 * session it holds the QoS 2 messages the broker has yet to release (PUBREL), so a message
 * half-way through its handshake when the connection dropped is delivered once, not lost.
 *
 * MQTT 5 is tried first (protocol=auto); a broker that refuses the version, or closes before
 * answering, is asked again in MQTT 3.1.1. With a persistent session, a broker that kept the
 * session is not asked to subscribe again (that would send the retained messages again).
 *
 * Items: the topic is the item's name. A number (`21.5`) is a reading that plots; so is a JSON
 * payload's field named by `value=FIELD`. Other JSON keeps its fields (fw-json-item.c); other
 * text is a message; a payload that is not UTF-8 is binary. A retained message (the broker's
 * last value, sent on subscribing) is flagged FW_ITEM_FLAG_REPLAYED with a field
 * "retained": true.
 */

#include "config.h"

#include "fw-mqtt-source-private.h"

#include <errno.h>
#include <netdb.h>
#include <string.h>
#include <math.h>
#include <signal.h>
#include <pthread.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include <mosquitto.h>
#include <mqtt_protocol.h>

#include "fw-feed-state.h"
#include "fw-json-item.h"
#include "fw-reconnect.h"
#include "fw-safe-text.h"
#include "fw-source-private.h"
#include "fw-websocket-source.h"

/* Messages waiting for a pull before the socket stops being read */
#define MAX_QUEUED 8192
/* Packets handled per readable socket: bounded work per main-loop iteration */
#define READ_PACKETS 1024
/* Topics whose interned names a feed keeps at most */
#define MAX_TOPICS 1024
/* In flight from the broker at once (MQTT 5 Receive Maximum): 65535 is "no limit", and
 * neither sent nor enforced by libmosquitto. A limit costs throughput (libmosquitto's 20 is a
 * round trip per 20 messages), and libmosquitto enforces it by dropping the connection, which
 * after a broker restart it does wrongly: the QoS 2 messages it kept awaiting their release
 * count against the quota on its side, not on mosquitto's, and every reconnect fails.
 * Backpressure is TCP's: the socket is not read while the queue is full. */
#define RECEIVE_MAXIMUM 65535

typedef enum
{
  STATE_IDLE,        /* not connected; connect at the next pull */
  STATE_CONNECTING,  /* the worker connects */
  STATE_HANDSHAKE,   /* connected, waiting for the broker's CONNACK */
  STATE_OPEN,
  STATE_WAITING,     /* the reconnect timer runs */
  STATE_ENDED,
} State;

/* The libmosquitto handle, shared with the connect worker: the token's owner is the source,
 * NULL once it let go; the handle is destroyed with the last reference. */
typedef struct
{
  FwSourceToken     token;
  struct mosquitto *mosq;
  /* what the worker connects to: a copy, since the source may go while it runs */
  char             *host;
  int               port;
  int               keepalive_s;
  guint             session_expiry_s;
  gboolean          clean;
  /* set by the worker, read after it returned */
  int               connect_rc;
  int               connect_errno;
  gboolean          v5;
  gboolean          tls_system_cas;   /* mqtts:// without a ca-file */
  /* libmosquitto says why a TLS handshake failed only in its log: its first such line */
  char             *tls_complaint;
} Client;

typedef struct
{
  GSource  source;
  gpointer tag;
  int      fd;
} SocketSource;

struct _FwMqttSource
{
  FwStream        parent_instance;

  FwMqttConfig   *config;
  GRefString     *feed;
  char           *broker;         /* host:port, for messages */
  FwFeedOpenFlags flags;
  FwReconnect    *reconnect;
  Client         *client;
  SocketSource   *socket_source;
  GSource        *misc_timer;
  GPtrArray      *queued;
  GError         *failure;
  GRefString     *last_topic;     /* reused while the topic repeats */
  GHashTable     *topics;         /* of GRefString, the topics met lately */
  guint64         received;
  guint64         resends_dropped;
  guint64        *qos2_seen;      /* per packet id: connection << 32 | content hash */
  guint32         connection;     /* counts good connections, from 1 */
  gint64          now_us;         /* the arrival time of the packets being read */
  int             refusal;        /* the CONNACK's refusal code, -1 when none */
  guint           refused_filters;
  State           state;
  guint           pulling : 1;
  guint           ended : 1;
  guint           v5 : 1;           /* the protocol of the current attempt */
  guint           fell_back : 1;    /* the broker does not speak MQTT 5 */
  guint           connected_once : 1;
  guint           got_connack : 1;
};

G_DEFINE_FINAL_TYPE (FwMqttSource, fw_mqtt_source, FW_TYPE_STREAM)

static void fw_mqtt_source_connect (FwMqttSource *self);
static void update_socket_watch    (FwMqttSource *self);

/* ---------------------------------------------------------------------------------------- */
/* The address and options */

void
fw_mqtt_config_free (FwMqttConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->host);
  g_free (config->user);
  if (config->password != NULL)
    memset (config->password, 0, strlen (config->password));
  g_free (config->password);
  g_strfreev (config->filters);
  g_free (config->client_id);
  g_free (config->value_field);
  g_free (config->ca_file);
  g_free (config);
}

static gboolean
invalid (const FwFeedSpec  *spec,
         GError           **error,
         const char        *format,
         ...) G_GNUC_PRINTF (3, 4);

static gboolean
invalid (const FwFeedSpec  *spec,
         GError           **error,
         const char        *format,
         ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID, _("Feed “%s”: %s"), spec->text,
               reason);
  return FALSE;
}

static gboolean
parse_authority (const FwFeedSpec  *spec,
                 FwMqttConfig      *config,
                 const char        *start,
                 const char        *end,
                 GError           **error)
{
  const char *at = g_strrstr_len (start, end - start, "@");
  const char *host = at != NULL ? at + 1 : start;
  const char *host_end;
  const char *port = NULL;

  if (at != NULL)
    {
      const char *colon = memchr (start, ':', at - start);

      config->user = g_uri_unescape_segment (start, colon != NULL ? colon : at, NULL);
      if (colon != NULL)
        config->password = g_uri_unescape_segment (colon + 1, at, NULL);
      if (config->user == NULL || (colon != NULL && config->password == NULL))
        return invalid (spec, error, _("its user name or password is not validly escaped"));
      if (config->user[0] == '\0')
        g_clear_pointer (&config->user, g_free);
    }

  if (host < end && *host == '[')
    {
      const char *close = memchr (host, ']', end - host);

      if (close == NULL)
        return invalid (spec, error, _("its IPv6 address lacks its closing “]”"));
      config->host = g_strndup (host + 1, close - host - 1);
      host_end = close + 1;
      if (host_end < end && *host_end != ':')
        return invalid (spec, error, _("“]” must end the broker's address"));
      if (host_end < end)
        port = host_end + 1;
    }
  else
    {
      const char *colon = memchr (host, ':', end - host);

      host_end = colon != NULL ? colon : end;
      config->host = g_uri_unescape_segment (host, host_end, NULL);
      if (colon != NULL)
        port = colon + 1;
    }

  if (config->host == NULL || config->host[0] == '\0')
    return invalid (spec, error, _("it names no broker: write %s://HOST/TOPIC-FILTER"),
                    config->tls ? "mqtts" : "mqtt");

  config->port = config->tls ? 8883 : 1883;
  if (port != NULL)
    {
      g_autofree char *text = g_strndup (port, end - port);
      guint64 value;

      if (!g_ascii_string_to_unsigned (text, 10, 1, 65535, &value, NULL))
        return invalid (spec, error, _("the port “%s” is not a number from 1 to 65535"), text);
      config->port = (guint) value;
    }

  return TRUE;
}

static gboolean
parse_filters (const FwFeedSpec  *spec,
               FwMqttConfig      *config,
               const char        *path,
               GError           **error)
{
  g_auto(GStrv) parts = g_strsplit (path, ",", -1);
  g_autoptr(GPtrArray) filters = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *filter = g_uri_unescape_string (parts[i], NULL);

      if (filter == NULL || !g_utf8_validate (filter, -1, NULL))
        return invalid (spec, error, _("the topic filter “%s” is not validly escaped"),
                        parts[i]);
      if (filter[0] == '\0')
        return invalid (spec, error,
                        _("a topic filter is empty: write one after the broker "
                          "(mqtt://HOST/sensors/%%23), several joined by “,”"));
      if (mosquitto_sub_topic_check (filter) != MOSQ_ERR_SUCCESS)
        return invalid (spec, error,
                        _("“%s” is not a valid topic filter: “#” stands alone as the last "
                          "level (sensors/#, written sensors/%%23), “+” alone in a level "
                          "(sensors/+/temperature); the feed's options follow “?”"),
                        filter);
      g_ptr_array_add (filters, g_steal_pointer (&filter));
    }

  g_ptr_array_add (filters, NULL);
  config->filters = (GStrv) g_ptr_array_free (g_steal_pointer (&filters), FALSE);
  return TRUE;
}

/**
 * fw_mqtt_config_parse:
 *
 * Returns: (transfer full) (nullable): the broker, topic filters and options of @spec, or
 *   %NULL with @error set, in words, for an address or option that cannot work
 */
FwMqttConfig *
fw_mqtt_config_parse (const FwFeedSpec  *spec,
                      GError           **error)
{
  g_autoptr(FwMqttConfig) config = g_new0 (FwMqttConfig, 1);
  const char *target = spec->target;
  const char *authority_end;
  const char *protocol;
  const char *text;
  guint qos;

  config->tls = g_ascii_strcasecmp (spec->kind, "mqtts") == 0;
  if (!g_str_has_prefix (target, "//"))
    {
      invalid (spec, error, _("write %s://HOST/TOPIC-FILTER"), config->tls ? "mqtts" : "mqtt");
      return NULL;
    }
  target += 2;
  authority_end = strchr (target, '/');
  if (authority_end == NULL || authority_end[1] == '\0')
    {
      invalid (spec, error, _("give a topic filter after the broker, for example "
                 "%s://%.*s/sensors/%%23 (“%%23” is “#”, every topic under sensors/)"),
               config->tls ? "mqtts" : "mqtt",
               (int) (authority_end != NULL ? authority_end - target : (int) strlen (target)),
               target);
      return NULL;
    }

  if (!parse_authority (spec, config, target, authority_end, error) ||
      !parse_filters (spec, config, authority_end + 1, error))
    return NULL;

  if (!fw_feed_spec_get_uint_or_default (spec, "qos", &qos, error) ||
      !fw_feed_spec_get_uint_or_default (spec, "keepalive", &config->keepalive_s, error) ||
      !fw_feed_spec_get_uint_or_default (spec, "session-expiry", &config->session_expiry_s,
                                         error) ||
      !fw_feed_spec_get_uint_or_default (spec, "retry", &config->retry_ms, error) ||
      !fw_feed_spec_get_uint_or_default (spec, "retry-max", &config->retry_max_ms, error) ||
      !fw_feed_spec_get_uint_or_default (spec, "max-queue", &config->max_queue, error))
    return NULL;
  if (qos > 2)
    {
      invalid (spec, error, _("qos must be 0, 1 or 2, not %u"), qos);
      return NULL;
    }
  config->qos = qos;
  /* libmosquitto refuses a keepalive under 5 s */
  config->keepalive_s = CLAMP (config->keepalive_s, 5, 65535);
  if (config->max_queue == 0)
    config->max_queue = MAX_QUEUED;

  config->clean = fw_feed_spec_get_bool (spec, "clean");
  config->insecure = fw_feed_spec_get_bool (spec, "insecure");
  config->ca_file = g_strdup (fw_feed_spec_get_option (spec, "ca-file"));
  text = fw_feed_spec_get_option (spec, "value");
  config->value_field = text != NULL && text[0] != '\0' ? g_strdup (text) : NULL;

  protocol = fw_feed_spec_get_string (spec, "protocol");
  if (protocol == NULL || g_str_equal (protocol, "auto"))
    config->protocol = FW_MQTT_PROTOCOL_AUTO;
  else if (g_str_equal (protocol, "5"))
    config->protocol = FW_MQTT_PROTOCOL_V5;
  else if (g_str_equal (protocol, "3.1.1"))
    config->protocol = FW_MQTT_PROTOCOL_V311;
  else
    {
      invalid (spec, error, _("protocol must be auto, 5 or 3.1.1, not “%s”"), protocol);
      return NULL;
    }

  text = fw_feed_spec_get_option (spec, "client-id");
  if (text != NULL && text[0] != '\0')
    {
      if (strlen (text) > 65535)
        {
          invalid (spec, error, _("the client-id is too long"));
          return NULL;
        }
      config->client_id = g_strdup (text);
    }
  else if (!config->clean)
    config->client_id = fw_mqtt_stable_client_id (config);

  return g_steal_pointer (&config);
}

/**
 * fw_mqtt_stable_client_id:
 *
 * A persistent session is found again by its client id: the same feed on the same machine and
 * account gets the same one, another machine or account (which must not take the session
 * over) another. 23 characters, the length every MQTT 3.1.1 broker must take.
 *
 * Returns: (transfer full): "fw-" and 20 hex digits
 */
char *
fw_mqtt_stable_client_id (const FwMqttConfig *config)
{
  g_autoptr(GString) key = g_string_new (NULL);
  g_autofree char *joined = g_strjoinv (",", config->filters);
  g_autofree char *digest = NULL;

  g_string_append_printf (key, "%s\n%u\n%s\n%s\n%u\n%s\n%s", config->host, config->port,
                          config->user != NULL ? config->user : "", joined, config->qos,
                          g_get_host_name (), g_get_user_name ());
  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key->str, key->len);
  return g_strdup_printf ("fw-%.20s", digest);
}

/* ---------------------------------------------------------------------------------------- */
/* Messages to items */

/* A plain decimal ("21.37", "-3", "+0.5") of at most 15 digits: its digits make an integer
 * and its decimals a power of ten that doubles hold exactly, and one IEEE division rounds
 * their quotient correctly, to the double strtod() finds (Clinger's fast path), at a sixth
 * of its cost. FALSE for anything else. */
static gboolean
parse_plain_decimal (const char *text,
                     gsize       len,
                     double     *out_value)
{
  static const double powers[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
                                   1e11, 1e12, 1e13, 1e14, 1e15 };
  guint64 mantissa = 0;
  guint digits = 0;
  guint decimals = 0;
  gboolean point = FALSE;
  gboolean negative = FALSE;
  gsize i = 0;

  if (text[0] == '-' || text[0] == '+')
    {
      negative = text[0] == '-';
      i++;
    }
  for (; i < len; i++)
    {
      if (g_ascii_isdigit (text[i]))
        {
          if (++digits > 15)
            return FALSE;
          mantissa = mantissa * 10 + (guint64) (text[i] - '0');
          decimals += point;
        }
      else if (text[i] == '.' && !point)
        point = TRUE;
      else
        return FALSE;
    }
  if (digits == 0)
    return FALSE;

  *out_value = (double) mantissa / powers[decimals];
  if (negative)
    *out_value = -*out_value;
  return TRUE;
}

/* A payload that is a number and nothing else: "21.5", "-3", " 1e3\n" (no "nan", no hex) */
static gboolean
parse_number (const char *payload,
              gsize       len,
              double     *out_value)
{
  char buffer[64];
  char *end;
  gsize start = 0;
  gboolean digit = FALSE;

  while (start < len && g_ascii_isspace (payload[start]))
    start++;
  while (len > start && g_ascii_isspace (payload[len - 1]))
    len--;
  if (len == start || len - start >= sizeof buffer)
    return FALSE;
  if (parse_plain_decimal (payload + start, len - start, out_value))
    return TRUE;

  for (gsize i = start; i < len; i++)
    {
      if (g_ascii_isdigit (payload[i]))
        digit = TRUE;
      else if (strchr ("+-.eE", payload[i]) == NULL)
        return FALSE;
    }
  if (!digit)
    return FALSE;

  memcpy (buffer, payload + start, len - start);
  buffer[len - start] = '\0';
  *out_value = g_ascii_strtod (buffer, &end);
  return *end == '\0' && isfinite (*out_value);
}

static gboolean
variant_to_number (GVariant *value,
                   double   *out_value)
{
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    *out_value = g_variant_get_double (value);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    *out_value = (double) g_variant_get_int64 (value);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    {
      gsize len;
      const char *text = g_variant_get_string (value, &len);

      return parse_number (text, len, out_value);
    }
  else
    return FALSE;
  return isfinite (*out_value);
}

/* @item's fields with one more */
static void
add_field (FwItem     *item,
           const char *key,
           GVariant   *value)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  if (item->fields != NULL)
    {
      GVariantIter iter;
      GVariant *entry;

      g_variant_iter_init (&iter, item->fields);
      while ((entry = g_variant_iter_next_value (&iter)) != NULL)
        {
          g_variant_builder_add_value (&builder, entry);
          g_variant_unref (entry);
        }
    }
  g_variant_builder_add (&builder, "{sv}", key, value);
  fw_item_take_fields (item, g_variant_builder_end (&builder));
}

/* The JSON message @json as a reading of @value, keeping what it said */
static FwItem *
reading_from_json (FwItem *json,
                   double  value)
{
  FwItem *item = fw_item_new (FW_ITEM_READING, (GRefString *) json->feed, json->time_us,
                              json->text, json->text_len);

  fw_item_set_value (item, value);
  fw_item_set_level (item, json->level);
  item->source_time_us = json->source_time_us;
  if (json->fields != NULL)
    fw_item_take_fields (item, g_variant_ref (json->fields));
  return item;
}

/**
 * fw_mqtt_item_new:
 * @topic: the message's topic, the item's name
 * @value_field: (nullable): the JSON field whose number is the reading's value
 *
 * Returns: (transfer full): the message as an item (see the top of this file)
 */
FwItem *
fw_mqtt_item_new (GRefString *feed,
                  gint64      time_us,
                  GRefString *topic,
                  const void *payload,
                  gsize       len,
                  gboolean    retained,
                  const char *value_field)
{
  const char *text = payload != NULL ? payload : "";
  FwItem *item = NULL;
  double value;

  if (!g_utf8_validate (text, (gssize) len, NULL) || memchr (text, '\0', len) != NULL)
    item = fw_websocket_item_new_binary (feed, time_us, (const guint8 *) text, len);
  else if (parse_number (text, len, &value))
    {
      item = fw_item_new (FW_ITEM_READING, feed, time_us, text, (gssize) len);
      fw_item_set_value (item, value);
    }
  else
    {
      gsize i = 0;

      while (i < len && g_ascii_isspace (text[i]))
        i++;
      if (i < len && (text[i] == '{' || text[i] == '['))
        item = fw_json_item_parse (feed, time_us, text, len, NULL);
      if (item != NULL && item->kind == FW_ITEM_MESSAGE && value_field != NULL &&
          item->fields != NULL)
        {
          g_autoptr(GVariant) field = g_variant_lookup_value (item->fields, value_field, NULL);

          if (field != NULL && variant_to_number (field, &value))
            {
              FwItem *reading = reading_from_json (item, value);

              fw_item_unref (item);
              item = reading;
            }
        }
      if (item == NULL)
        item = fw_item_new (FW_ITEM_MESSAGE, feed, time_us, text, (gssize) len);
    }

  fw_item_set_name_ref (item, topic);
  if (retained)
    {
      fw_item_add_flags (item, FW_ITEM_FLAG_REPLAYED);
      add_field (item, "retained", g_variant_new_boolean (TRUE));
    }
  return item;
}

/* ---------------------------------------------------------------------------------------- */
/* The broker's answers in words */

/**
 * fw_mqtt_describe_refusal:
 * @v5: whether @code is an MQTT 5 reason code (else an MQTT 3.1.1 CONNACK return code)
 * @has_credentials: whether the client gave a user name: mosquitto answers a wrong password
 *   with "not authorised", not with "bad user name or password"
 *
 * Returns: (transfer full): why the broker refused the connection, and what to do
 */
char *
fw_mqtt_describe_refusal (gboolean v5,
                          int      code,
                          gboolean has_credentials)
{
  if (!v5)
    {
      switch (code)
        {
        case 1: code = MQTT_RC_UNSUPPORTED_PROTOCOL_VERSION; break;
        case 2: code = MQTT_RC_CLIENTID_NOT_VALID; break;
        case 3: code = MQTT_RC_SERVER_UNAVAILABLE; break;
        case 4: code = MQTT_RC_BAD_USERNAME_OR_PASSWORD; break;
        case 5: code = MQTT_RC_NOT_AUTHORIZED; break;
        default: break;
        }
    }

  switch (code)
    {
    case MQTT_RC_NOT_AUTHORIZED:
      if (!has_credentials)
        return g_strdup (_("the broker did not authorise this client: it takes no anonymous "
                           "clients; give a user name and password "
                           "(mqtt://USER:PASSWORD@HOST/…)"));
      G_GNUC_FALLTHROUGH;
    case MQTT_RC_BAD_USERNAME_OR_PASSWORD:
      return g_strdup (_("the broker refused the user name or password (or this user may not "
                         "connect): check them in the feed's address "
                         "(mqtt://USER:PASSWORD@HOST/…)"));
    case MQTT_RC_CLIENTID_NOT_VALID:
      return g_strdup (_("the broker refused the client id: choose another with client-id="));
    case MQTT_RC_BANNED:
      return g_strdup (_("the broker has banned this client"));
    case MQTT_RC_BAD_AUTHENTICATION_METHOD:
      return g_strdup (_("the broker asks for an authentication method Feedwatch does not "
                         "offer: use a user name and password"));
    case MQTT_RC_UNSUPPORTED_PROTOCOL_VERSION:
      return g_strdup (_("the broker does not speak this MQTT version: try protocol=3.1.1"));
    case MQTT_RC_SERVER_UNAVAILABLE:
    case MQTT_RC_SERVER_BUSY:
      return g_strdup (_("the broker is unavailable or busy for now"));
    case MQTT_RC_CONNECTION_RATE_EXCEEDED:
      return g_strdup (_("the broker refused: too many connections in a short time"));
    default:
      /* TRANSLATORS: %s is the broker's reason, as libmosquitto words it (in English) */
      return g_strdup_printf (_("the broker refused the connection (%s)"),
                              v5 ? mosquitto_reason_string (code)
                                 : mosquitto_connack_string (code));
    }
}

/* Whether trying again the same way would get the same refusal */
gboolean
fw_mqtt_refusal_is_final (gboolean v5,
                          int      code)
{
  if (!v5)
    return code == 2 || code == 4 || code == 5;
  return code == MQTT_RC_CLIENTID_NOT_VALID || code == MQTT_RC_BAD_USERNAME_OR_PASSWORD ||
         code == MQTT_RC_NOT_AUTHORIZED || code == MQTT_RC_BANNED ||
         code == MQTT_RC_BAD_AUTHENTICATION_METHOD;
}

static gboolean
is_tls_error (int rc)
{
  return rc == MOSQ_ERR_TLS || rc == MOSQ_ERR_TLS_HANDSHAKE || rc == MOSQ_ERR_OCSP;
}

/* libmosquitto logs OpenSSL's complaint and returns only MOSQ_ERR_TLS: the log line tells a
 * name that does not match from a chain that does not verify from a port without TLS. */
static void
on_log (struct mosquitto *mosq,
        void             *user_data,
        int               level,
        const char       *text)
{
  Client *client = user_data;

  if (level != MOSQ_LOG_ERR ||
      (strstr (text, "OpenSSL Error") == NULL && strstr (text, "host name verification") == NULL))
    return;
  /* the first complaint says why; OpenSSL's later lines repeat or follow from it */
  if (client->tls_complaint == NULL)
    client->tls_complaint = g_strdup (text);
}

static char *
describe_tls_failure (FwMqttSource *self)
{
  const char *complaint = self->client != NULL ? self->client->tls_complaint : NULL;
  const char *name = self->config->host;

  if (complaint == NULL)
    return g_strdup_printf (_("the TLS handshake with the broker at %s failed: does it speak "
                              "TLS on that port?"), self->broker);

  if (strstr (complaint, "host name verification failed") != NULL)
    /* TRANSLATORS: the first %s is the broker's address (HOST:PORT), the second its name */
    return g_strdup_printf (_("the broker's certificate at %s is not made out to the name "
                              "“%s”: connect with a name the certificate carries (or add "
                              "insecure=1 to accept any certificate, for this feed only)"),
                            self->broker, name);

  /* Whole sentences, one for each place the trusted authorities come from */
  if (strstr (complaint, "certificate verify failed") != NULL && self->config->ca_file != NULL)
    return g_strdup_printf (_("the broker's certificate at %s could not be verified: it is not "
                              "signed by a certificate authority of the feed's ca-file, or it "
                              "has expired; give the certificate of the CA that signed it with "
                              "ca-file=PATH (or add insecure=1 to accept any certificate, for "
                              "this feed only)"), self->broker);
  if (strstr (complaint, "certificate verify failed") != NULL)
    return g_strdup_printf (_("the broker's certificate at %s could not be verified: it is not "
                              "signed by a certificate authority this computer trusts (a "
                              "self-signed certificate or a private CA), or it has expired; "
                              "give the CA's certificate with ca-file=PATH (or add insecure=1 "
                              "to accept any certificate, for this feed only)"), self->broker);

  /* TRANSLATORS: the second %s is OpenSSL's complaint, in English */
  return g_strdup_printf (_("the TLS handshake with the broker at %s failed: does it speak TLS "
                            "on that port? (OpenSSL said: %s)"), self->broker, complaint);
}

/* A connect or an I/O failure in words */
static char *
describe_failure (FwMqttSource *self,
                  int           rc,
                  int           saved_errno)
{
  switch (rc)
    {
    case MOSQ_ERR_ERRNO:
      if (saved_errno == ECONNREFUSED)
        return g_strdup_printf (_("the broker at %s refused the connection: is it running, and "
                                  "listening on that port?"), self->broker);
      if (saved_errno == ETIMEDOUT || saved_errno == EHOSTUNREACH ||
          saved_errno == ENETUNREACH)
        return g_strdup_printf (_("the broker at %s cannot be reached (%s)"), self->broker,
                                g_strerror (saved_errno));
      if (saved_errno == 0)
        return g_strdup_printf (_("the connection to the broker at %s failed"), self->broker);
      return g_strdup_printf (_("the connection to the broker at %s failed (%s)"), self->broker,
                              g_strerror (saved_errno));
    case MOSQ_ERR_EAI:
      return g_strdup_printf (_("the broker's name “%s” could not be resolved (%s): check it, "
                                "and the network"), self->config->host,
                              gai_strerror (saved_errno));
    case MOSQ_ERR_TLS:
    case MOSQ_ERR_TLS_HANDSHAKE:
    case MOSQ_ERR_OCSP:
      return describe_tls_failure (self);
    case MOSQ_ERR_KEEPALIVE:
      return g_strdup_printf (_("the broker at %s stopped answering pings"), self->broker);
    case MOSQ_ERR_CONN_LOST:
    case MOSQ_ERR_NO_CONN:
      return g_strdup_printf (_("the broker at %s closed the connection"), self->broker);
    default:
      return g_strdup_printf (_("the connection to the broker at %s failed (%s)"), self->broker,
                              mosquitto_strerror (rc));
    }
}

/* ---------------------------------------------------------------------------------------- */
/* SIGPIPE */

/* A write to a connection the broker has closed raises SIGPIPE, which by default ends the
 * program. libmosquitto before 2.0.15 ignores SIGPIPE for the whole process; later ones send
 * with MSG_NOSIGNAL, but over TLS they write through OpenSSL's socket BIO, which does not. As
 * libpq does, block it in this thread around the library's calls that may write, and take back
 * a SIGPIPE they raised (one that was pending before is left alone). */
typedef struct
{
  sigset_t old_mask;
  gboolean was_pending;
} SigpipeGuard;

static void
sigpipe_guard_begin (SigpipeGuard *guard)
{
  sigset_t sigpipe;
  sigset_t pending;

  sigemptyset (&sigpipe);
  sigaddset (&sigpipe, SIGPIPE);
  sigemptyset (&pending);
  sigpending (&pending);
  guard->was_pending = sigismember (&pending, SIGPIPE) == 1;
  pthread_sigmask (SIG_BLOCK, &sigpipe, &guard->old_mask);
}

static void
sigpipe_guard_end (SigpipeGuard *guard)
{
  sigset_t sigpipe;
  sigset_t pending;

  sigemptyset (&sigpipe);
  sigaddset (&sigpipe, SIGPIPE);
  sigemptyset (&pending);
  if (!guard->was_pending && sigpending (&pending) == 0 && sigismember (&pending, SIGPIPE) == 1)
    {
      const struct timespec now = { 0, 0 };
      int saved_errno = errno;

      sigtimedwait (&sigpipe, NULL, &now);
      errno = saved_errno;
    }
  pthread_sigmask (SIG_SETMASK, &guard->old_mask, NULL);
}

/* ---------------------------------------------------------------------------------------- */
/* The client handle */

static void
client_clear (gpointer data)
{
  Client *client = data;

  g_clear_pointer (&client->mosq, mosquitto_destroy);
  g_free (client->host);
  g_free (client->tls_complaint);
}

static Client *
client_ref (Client *client)
{
  fw_source_token_ref (&client->token);
  return client;
}

static void
client_unref (gpointer client)
{
  fw_source_token_unref (&((Client *) client)->token);
}

/* ---------------------------------------------------------------------------------------- */
/* Answering pulls */

static void
queue_status (FwMqttSource *self,
              FwFeedState   state,
              FwLevel       level,
              const char   *text)
{
  g_ptr_array_add (self->queued, fw_feed_status_new (self->feed, state, level, text));
}

static void
fw_mqtt_source_advance (FwMqttSource *self)
{
  if (!self->pulling)
    return;

  if (self->queued->len > 0 || self->ended)
    {
      self->pulling = FALSE;
      fw_source_answer_pull (FW_STREAM (self), self->queued, self->ended, &self->failure);
      /* room again: read on */
      if (!self->ended)
        update_socket_watch (self);
      return;
    }

  if (self->state == STATE_IDLE)
    fw_mqtt_source_connect (self);
}

/* ---------------------------------------------------------------------------------------- */
/* Driving the socket from the main context */

static gboolean
socket_source_dispatch (GSource     *source,
                        GSourceFunc  callback,
                        gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs socket_source_funcs = { NULL, NULL, socket_source_dispatch, NULL, NULL, NULL };

static void
stop_watching (FwMqttSource *self)
{
  if (self->socket_source != NULL)
    {
      g_source_destroy ((GSource *) self->socket_source);
      g_clear_pointer ((GSource **) &self->socket_source, g_source_unref);
    }
  if (self->misc_timer != NULL)
    {
      g_source_destroy (self->misc_timer);
      g_clear_pointer (&self->misc_timer, g_source_unref);
    }
}

static void connection_lost (FwMqttSource *self,
                             int           rc);

/* After libmosquitto ran: a closed socket is a lost connection; else watch what it needs. */
static void
after_loop (FwMqttSource *self,
            int           rc)
{
  if (self->client == NULL || self->state == STATE_ENDED)
    return;

  if (rc != MOSQ_ERR_SUCCESS || mosquitto_socket (self->client->mosq) < 0)
    {
      connection_lost (self, rc != MOSQ_ERR_SUCCESS ? rc : MOSQ_ERR_CONN_LOST);
      return;
    }

  update_socket_watch (self);
  fw_mqtt_source_advance (self);
}

/* Reads the packets the socket holds, within READ_PACKETS and while the queue has room.
 * libmosquitto 2.0 handles one packet a call (it replaces max_packets by the length of its own
 * QoS queues), and its errno does not tell a drained socket (queuing a PUBACK fails an EAGAIN
 * write to its wake-up socketpair, which nothing reads here): a call that delivered a message
 * made progress, and only after one that did not is the kernel asked whether bytes remain.
 * Returns the messages delivered. */
static guint
read_packets (FwMqttSource *self,
              int           fd,
              int          *rc)
{
  guint64 start = self->received + self->resends_dropped;
  guint64 before = start;

  for (guint i = 0; i < READ_PACKETS && *rc == MOSQ_ERR_SUCCESS && self->client != NULL &&
                    self->state != STATE_ENDED &&
                    (i == 0 || self->queued->len < self->config->max_queue); i++)
    {
      guint64 after;
      int available = 0;

      *rc = mosquitto_loop_read (self->client->mosq, 1);
      after = self->received + self->resends_dropped;
      if (after == before && (ioctl (fd, FIONREAD, &available) != 0 || available <= 0))
        break;
      before = after;
    }
  return (guint) (before - start);
}

/* Sends what libmosquitto queued (the PUBACKs of the @n_messages just read) now rather than at
 * the next main-loop iteration. libmosquitto writes each packet with its own write(2): corked, a
 * batch of acknowledgements leaves as one TCP segment instead of one each. */
static int
write_packets (FwMqttSource *self,
               guint         n_messages)
{
  int fd = mosquitto_socket (self->client->mosq);
  gboolean cork = n_messages > 1;
  int on = 1, off = 0;
  int rc;

  if (cork)
    cork = setsockopt (fd, IPPROTO_TCP, TCP_CORK, &on, sizeof on) == 0;
  rc = mosquitto_loop_write (self->client->mosq, 1);
  if (cork && mosquitto_socket (self->client->mosq) == fd)
    setsockopt (fd, IPPROTO_TCP, TCP_CORK, &off, sizeof off);
  return rc;
}

static gboolean
on_socket_ready (gpointer user_data)
{
  FwMqttSource *self = user_data;
  SocketSource *source = self->socket_source;
  GIOCondition condition = g_source_query_unix_fd ((GSource *) source, source->tag);
  int rc = MOSQ_ERR_SUCCESS;
  guint n_messages = 0;
  SigpipeGuard guard;

  self->now_us = g_get_real_time ();
  sigpipe_guard_begin (&guard);
  if (condition & (G_IO_IN | G_IO_HUP | G_IO_ERR))
    n_messages = read_packets (self, source->fd, &rc);
  if (rc == MOSQ_ERR_SUCCESS && self->client != NULL && self->state != STATE_ENDED &&
      mosquitto_socket (self->client->mosq) >= 0 &&
      ((condition & G_IO_OUT) || mosquitto_want_write (self->client->mosq)))
    rc = write_packets (self, n_messages);
  sigpipe_guard_end (&guard);

  after_loop (self, rc);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_misc_due (gpointer user_data)
{
  FwMqttSource *self = user_data;

  after_loop (self, mosquitto_loop_misc (self->client->mosq));
  return G_SOURCE_CONTINUE;
}

/* Read while there is room for what is read; write while libmosquitto has bytes to send. */
static void
update_socket_watch (FwMqttSource *self)
{
  GIOCondition condition = 0;
  int fd;

  if (self->client == NULL || (self->state != STATE_HANDSHAKE && self->state != STATE_OPEN))
    return;

  fd = mosquitto_socket (self->client->mosq);
  if (fd < 0)
    return;

  if (self->socket_source != NULL && self->socket_source->fd != fd)
    stop_watching (self);

  if (self->socket_source == NULL)
    {
      GMainContext *context = fw_stream_get_context (FW_STREAM (self));

      self->socket_source = (SocketSource *) g_source_new (&socket_source_funcs,
                                                           sizeof (SocketSource));
      self->socket_source->fd = fd;
      self->socket_source->tag = g_source_add_unix_fd ((GSource *) self->socket_source, fd,
                                                       G_IO_IN);
      g_source_set_callback ((GSource *) self->socket_source, on_socket_ready, self, NULL);
      g_source_set_static_name ((GSource *) self->socket_source, "[feedwatch] mqtt socket");
      g_source_attach ((GSource *) self->socket_source, context);

      self->misc_timer = g_timeout_source_new_seconds (1);
      g_source_set_callback (self->misc_timer, on_misc_due, self, NULL);
      g_source_set_static_name (self->misc_timer, "[feedwatch] mqtt keepalive");
      g_source_attach (self->misc_timer, context);
    }

  if (self->queued->len < self->config->max_queue)
    condition |= G_IO_IN;
  if (mosquitto_want_write (self->client->mosq))
    condition |= G_IO_OUT;
  g_source_modify_unix_fd ((GSource *) self->socket_source, self->socket_source->tag,
                           condition);
}

/* ---------------------------------------------------------------------------------------- */
/* Connections */

static void
fail (FwMqttSource *self,
      const char   *reason)
{
  stop_watching (self);
  queue_status (self, FW_FEED_STATE_FAILED, FW_LEVEL_ERROR, reason);
  g_clear_error (&self->failure);
  self->failure = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", self->feed, reason);
  self->ended = TRUE;
  self->state = STATE_ENDED;
  fw_reconnect_stop (self->reconnect);
  fw_mqtt_source_advance (self);
}

static gboolean
on_retry_due (gpointer user_data)
{
  FwMqttSource *self = user_data;

  self->state = STATE_IDLE;
  fw_mqtt_source_advance (self);
  return G_SOURCE_REMOVE;
}

/* The connection failed or dropped: try again later (the persistent session waits for us at
 * the broker), or stop under --once. */
static void
retry_later (FwMqttSource *self,
             const char   *reason)
{
  stop_watching (self);
  if (self->flags & FW_FEED_OPEN_ONCE)
    {
      fail (self, reason);
      return;
    }

  g_ptr_array_add (self->queued, fw_reconnect_schedule (self->reconnect, self->feed,
                                                        FW_LEVEL_WARNING, "retrying", reason));
  if (fw_reconnect_wait (self->reconnect, FW_STREAM (self), on_retry_due,
                         "[feedwatch] mqtt reconnect"))
    self->state = STATE_WAITING;
  else
    self->state = STATE_IDLE;
  fw_mqtt_source_advance (self);
}

static void
connection_lost (FwMqttSource *self,
                 int           rc)
{
  g_autofree char *reason = NULL;
  int refusal = self->refusal;
  gboolean got_connack = self->got_connack;
  gboolean was_v5 = self->v5;

  stop_watching (self);
  self->refusal = -1;
  self->got_connack = FALSE;

  /* A broker that does not speak MQTT 5 refuses the version, or hangs up on the CONNECT */
  if (was_v5 && self->config->protocol == FW_MQTT_PROTOCOL_AUTO && !self->connected_once &&
      (refusal == MQTT_RC_UNSUPPORTED_PROTOCOL_VERSION || refusal == 1 ||
       (!got_connack && !is_tls_error (rc))))
    {
      self->fell_back = TRUE;
      self->state = STATE_IDLE;
      fw_mqtt_source_connect (self);
      return;
    }

  if (refusal > 0)
    {
      reason = fw_mqtt_describe_refusal (was_v5, refusal, self->config->user != NULL);
      if (fw_mqtt_refusal_is_final (was_v5, refusal))
        {
          fail (self, reason);
          return;
        }
    }
  else
    reason = describe_failure (self, rc, errno);

  /* A certificate that did not verify is retried too: a broker's certificate gets renewed or
   * fixed without the watcher doing anything (the backoff keeps the attempts rare) */
  retry_later (self, reason);
}

static void
on_connect (struct mosquitto          *mosq,
            void                      *user_data,
            int                        rc,
            int                        flags,
            const mosquitto_property  *props)
{
  Client *client = user_data;
  FwMqttSource *self = client->token.owner;
  gboolean session_present = (flags & 1) != 0;
  g_autofree char *text = NULL;

  if (self == NULL)
    return;

  self->got_connack = TRUE;
  if (rc != 0)
    {
      /* libmosquitto closes the socket after this: connection_lost() says why */
      self->refusal = rc;
      return;
    }

  self->state = STATE_OPEN;
  self->connected_once = TRUE;
  self->connection++;
  fw_reconnect_succeeded (self->reconnect);

  if (session_present && !self->config->clean)
    {
      /* TRANSLATORS: the first %s is the broker's address, the second the MQTT version */
      text = g_strdup_printf (_("connected to %s (MQTT %s); the broker kept the session: what "
                                "was published meanwhile follows"), self->broker,
                              self->v5 ? "5" : "3.1.1");
      queue_status (self, FW_FEED_STATE_LIVE, FW_LEVEL_INFO, text);
      return;
    }

  /* TRANSLATORS: the first %s is the broker's address, the second the MQTT version */
  text = g_strdup_printf (_("connected to %s (MQTT %s)"), self->broker,
                          self->v5 ? "5" : "3.1.1");
  queue_status (self, FW_FEED_STATE_CONNECTING, FW_LEVEL_INFO, text);
  self->refused_filters = 0;
  rc = mosquitto_subscribe_multiple (mosq, NULL, (int) g_strv_length (self->config->filters),
                                     self->config->filters, (int) self->config->qos,
                                     self->v5 ? MQTT_SUB_OPT_SEND_RETAIN_NEW : 0, NULL);
  if (rc != MOSQ_ERR_SUCCESS)
    {
      g_autofree char *reason = g_strdup_printf (_("subscribing failed (%s)"),
                                                 mosquitto_strerror (rc));

      fail (self, reason);
    }
}

static void
on_subscribe (struct mosquitto          *mosq,
              void                      *user_data,
              int                        mid,
              int                        n_granted,
              const int                 *granted,
              const mosquitto_property  *props)
{
  Client *client = user_data;
  FwMqttSource *self = client->token.owner;
  guint n_filters;
  g_autoptr(GString) granted_filters = g_string_new (NULL);
  g_autofree char *text = NULL;
  gboolean any = FALSE;

  if (self == NULL)
    return;

  n_filters = g_strv_length (self->config->filters);
  for (guint i = 0; i < n_filters && i < (guint) n_granted; i++)
    {
      const char *filter = self->config->filters[i];

      if (granted[i] >= 0x80)
        {
          g_autofree char *shown = fw_safe_text (filter, strlen (filter), 200);
          g_autofree char *warning =
            g_strdup_printf (_("the broker does not allow this client to subscribe to “%s”: "
                               "the user may not read that topic (the broker's ACL)"), shown);

          self->refused_filters++;
          queue_status (self, FW_FEED_STATE_IDLE, FW_LEVEL_WARNING, warning);
          continue;
        }
      if (any)
        g_string_append (granted_filters, ", ");
      g_string_append (granted_filters, filter);
      g_string_append_printf (granted_filters, " (QoS %d)", granted[i]);
      any = TRUE;
    }

  if (!any)
    {
      fail (self, _("the broker refused every topic filter of the feed: the user may not read "
                    "them (the broker's ACL)"));
      return;
    }
  /* TRANSLATORS: %s lists the topic filters, each with its QoS: "sensors/# (QoS 1), …" */
  text = g_strdup_printf (_("subscribed to %s"), granted_filters->str);
  queue_status (self, FW_FEED_STATE_LIVE, FW_LEVEL_INFO, text);
}

static guint32
hash_message (const struct mosquitto_message *message)
{
  guint32 hash = g_str_hash (message->topic);
  const guint8 *p = message->payload;

  for (int i = 0; i < message->payloadlen; i++)
    hash = (hash ^ p[i]) * 16777619u;
  return hash;
}

/* mosquitto 2.0, restarted with persistence, sends again as new PUBLISHes (DUP) the QoS 2
 * messages it had released (PUBREL) before it stopped, when it had not yet saved their
 * completion: libmosquitto, which delivered them at the PUBREL, would deliver them twice. A
 * QoS 2 message delivered on the previous connection and arriving again with the same packet
 * id and content is that resend, and dropped. (A new message could only look the same if the
 * broker reused the packet id for the same topic and payload right after a reconnect; mosquitto
 * counts its ids up, through 65535, before reusing one.) */
static gboolean
is_qos2_resend (FwMqttSource                   *self,
                const struct mosquitto_message *message)
{
  guint32 hash;
  guint64 seen;

  if (message->qos != 2 || message->mid < 0 || message->mid > G_MAXUINT16)
    return FALSE;
  if (self->qos2_seen == NULL)
    self->qos2_seen = g_new0 (guint64, G_MAXUINT16 + 1);

  hash = hash_message (message);
  seen = self->qos2_seen[message->mid];
  if (self->connection > 1 && (guint32) (seen >> 32) == self->connection - 1 &&
      (guint32) seen == hash)
    return TRUE;

  self->qos2_seen[message->mid] = (guint64) self->connection << 32 | hash;
  return FALSE;
}

/* @topic interned, from the feed's own table: topics that take turns are not interned anew
 * each time the items of a batch, freed, dropped the last reference */
static GRefString *
topic_ref (FwMqttSource *self,
           const char   *topic)
{
  GRefString *ref = g_hash_table_lookup (self->topics, topic);

  if (ref == NULL)
    {
      if (g_hash_table_size (self->topics) >= MAX_TOPICS)
        g_hash_table_remove_all (self->topics);
      ref = fw_ref_string_intern (topic);
      g_hash_table_add (self->topics, ref);
    }
  return ref;
}

static void
on_message (struct mosquitto               *mosq,
            void                           *user_data,
            const struct mosquitto_message *message,
            const mosquitto_property       *props)
{
  Client *client = user_data;
  FwMqttSource *self = client->token.owner;

  if (self == NULL || self->state == STATE_ENDED)
    return;

  if (is_qos2_resend (self, message))
    {
      self->resends_dropped++;
      return;
    }

  if (self->last_topic == NULL || !g_str_equal (self->last_topic, message->topic))
    {
      g_clear_pointer (&self->last_topic, g_ref_string_release);
      self->last_topic = g_ref_string_acquire (topic_ref (self, message->topic));
    }

  self->received++;
  g_ptr_array_add (self->queued,
                   fw_mqtt_item_new (self->feed, self->now_us, self->last_topic,
                                     message->payload, (gsize) message->payloadlen,
                                     message->retain, self->config->value_field));
}

static void
connect_in_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  Client *client = task_data;
  mosquitto_property *props = NULL;
  SigpipeGuard guard;

  sigpipe_guard_begin (&guard);
  errno = 0;
  if (client->v5)
    {
      if (!client->clean)
        mosquitto_property_add_int32 (&props, MQTT_PROP_SESSION_EXPIRY_INTERVAL,
                                      client->session_expiry_s);
      client->connect_rc = mosquitto_connect_bind_v5 (client->mosq, client->host, client->port,
                                                      client->keepalive_s, NULL, props);
    }
  else
    client->connect_rc = mosquitto_connect_bind (client->mosq, client->host, client->port,
                                                 client->keepalive_s, NULL);
  client->connect_errno = errno;
  sigpipe_guard_end (&guard);
  mosquitto_property_free_all (&props);

  /* libmosquitto 2.0.11 made its TLS context at this attempt (the TCP connection stood), with
   * the system's CAs. At the next attempt it would apply its defaults to that context again,
   * and without a ca-file it refuses to (MOSQ_ERR_INVAL): every reconnect would fail. The
   * context keeps its CAs and its verification: reuse it as it is. */
  if (client->tls_system_cas &&
      (client->connect_rc == MOSQ_ERR_SUCCESS || is_tls_error (client->connect_rc)))
    mosquitto_int_option (client->mosq, MOSQ_OPT_SSL_CTX_WITH_DEFAULTS, 0);
  g_task_return_boolean (task, TRUE);
}

static void
on_connected (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Client *client = g_task_get_task_data (G_TASK (result));
  FwMqttSource *self = client->token.owner;

  if (self == NULL)
    return;

  if (client->connect_rc != MOSQ_ERR_SUCCESS)
    {
      g_autofree char *reason = describe_failure (self, client->connect_rc,
                                                  client->connect_errno);

      retry_later (self, reason);
      return;
    }

  /* The CONNECT is sent (or queued); the CONNACK comes through the socket. */
  self->state = STATE_HANDSHAKE;
  self->refusal = -1;
  self->got_connack = FALSE;
  update_socket_watch (self);
}

static gboolean
set_up_client (FwMqttSource  *self,
               GError       **error)
{
  FwMqttConfig *config = self->config;
  struct mosquitto *mosq;
  int rc;

  mosq = mosquitto_new (config->client_id, config->clean, NULL);
  if (mosq == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("the MQTT client could not be made (%s)"), g_strerror (errno));
      return FALSE;
    }

  self->client = fw_source_token_new_sized (self, sizeof (Client), client_clear);
  self->client->mosq = mosq;
  self->client->host = g_strdup (config->host);
  self->client->port = (int) config->port;
  self->client->keepalive_s = (int) config->keepalive_s;
  self->client->session_expiry_s = config->session_expiry_s;
  self->client->clean = config->clean;
  mosquitto_user_data_set (mosq, self->client);
  mosquitto_connect_v5_callback_set (mosq, on_connect);
  mosquitto_subscribe_v5_callback_set (mosq, on_subscribe);
  mosquitto_message_v5_callback_set (mosq, on_message);
  /* libmosquitto formats a log line (vsnprintf into a fresh 500-byte buffer) for every packet
   * sent and received while a log callback is set, half of what a message costs here: only TLS
   * needs one, for OpenSSL's complaint */
  if (config->tls)
    mosquitto_log_callback_set (mosq, on_log);
  mosquitto_int_option (mosq, MOSQ_OPT_RECEIVE_MAXIMUM, RECEIVE_MAXIMUM);
  mosquitto_int_option (mosq, MOSQ_OPT_TCP_NODELAY, 1);
  /* Packets are queued and written by mosquitto_loop_write() when the socket takes them, never
   * written from inside the library's handling of a packet: libmosquitto 2.0 (through 2.0.18 at
   * least) drops and leaks an incoming QoS 2 message when writing its PUBCOMP fails there (the
   * broker reset the connection just after its PUBREL) and does not deliver it */
  mosquitto_threaded_set (mosq, true);

  if (config->user != NULL)
    mosquitto_username_pw_set (mosq, config->user, config->password);

  if (config->tls)
    {
      if (config->ca_file != NULL && g_access (config->ca_file, R_OK) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       _("the CA file “%s” (ca-file) cannot be read (%s)"), config->ca_file,
                       g_strerror (saved_errno));
          return FALSE;
        }
      if (config->ca_file != NULL)
        rc = mosquitto_tls_set (mosq, config->ca_file, NULL, NULL, NULL, NULL);
      else
        {
          rc = mosquitto_int_option (mosq, MOSQ_OPT_TLS_USE_OS_CERTS, 1);
          self->client->tls_system_cas = TRUE;
        }
      if (rc == MOSQ_ERR_SUCCESS && config->insecure)
        {
          /* The user asked for it, for this feed: no chain, no name check */
          rc = mosquitto_tls_opts_set (mosq, 0, NULL, NULL);
          if (rc == MOSQ_ERR_SUCCESS)
            rc = mosquitto_tls_insecure_set (mosq, true);
        }
      if (rc != MOSQ_ERR_SUCCESS)
        {
          const char *why = rc == MOSQ_ERR_ERRNO ? g_strerror (errno) : mosquitto_strerror (rc);

          if (config->ca_file != NULL)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                         _("TLS could not be set up (%s): check the CA file “%s” (ca-file)"),
                         why, config->ca_file);
          else
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("TLS could not be set up (%s)"),
                         why);
          return FALSE;
        }
    }

  return TRUE;
}

static void
fw_mqtt_source_connect (FwMqttSource *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->client == NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!set_up_client (self, &error))
        {
          fail (self, error->message);
          return;
        }
    }

  self->v5 = self->config->protocol == FW_MQTT_PROTOCOL_V5 ||
             (self->config->protocol == FW_MQTT_PROTOCOL_AUTO && !self->fell_back);
  self->client->v5 = self->v5;
  mosquitto_int_option (self->client->mosq, MOSQ_OPT_PROTOCOL_VERSION,
                        self->v5 ? MQTT_PROTOCOL_V5 : MQTT_PROTOCOL_V311);

  self->state = STATE_CONNECTING;
  g_clear_pointer (&self->client->tls_complaint, g_free);
  queue_status (self, FW_FEED_STATE_CONNECTING, FW_LEVEL_INFO, _("connecting"));

  /* The worker holds the client, not the source: a source released meanwhile is not kept */
  task = g_task_new (NULL, NULL, on_connected, NULL);
  g_task_set_source_tag (task, fw_mqtt_source_connect);
  g_task_set_task_data (task, client_ref (self->client), client_unref);
  g_task_set_name (task, "[feedwatch] mqtt connect");
  g_task_run_in_thread (task, connect_in_thread);
  fw_mqtt_source_advance (self);
}

/* ---------------------------------------------------------------------------------------- */
/* FwStream */

static void
fw_mqtt_source_pull (FwStream     *stream,
                     guint         max_items,
                     GCancellable *cancellable)
{
  FwMqttSource *self = FW_MQTT_SOURCE (stream);

  self->pulling = TRUE;
  fw_mqtt_source_advance (self);
}

static void
fw_mqtt_source_release (FwStream *stream)
{
  FwMqttSource *self = FW_MQTT_SOURCE (stream);
  Client *client = g_steal_pointer (&self->client);

  stop_watching (self);
  fw_reconnect_stop (self->reconnect);
  if (client != NULL)
    {
      client->token.owner = NULL;
      /* A connect in flight owns the handle until it returns */
      if (self->state == STATE_HANDSHAKE || self->state == STATE_OPEN)
        {
          SigpipeGuard guard;

          /* Tell the broker we leave (a persistent session stays): one non-blocking write */
          sigpipe_guard_begin (&guard);
          mosquitto_disconnect (client->mosq);
          mosquitto_loop_write (client->mosq, 1);
          sigpipe_guard_end (&guard);
        }
      client_unref (client);
    }
  fw_source_drop_queued (self->queued);
  self->state = STATE_ENDED;
  self->pulling = FALSE;
}

static void
fw_mqtt_source_finalize (GObject *object)
{
  FwMqttSource *self = FW_MQTT_SOURCE (object);

  g_clear_pointer (&self->feed, g_ref_string_release);
  g_clear_pointer (&self->last_topic, g_ref_string_release);
  g_clear_pointer (&self->topics, g_hash_table_unref);
  g_free (self->broker);
  g_clear_pointer (&self->reconnect, fw_reconnect_free);
  fw_source_drop_queued (self->queued);
  g_clear_pointer (&self->queued, g_ptr_array_unref);
  g_clear_error (&self->failure);
  g_free (self->qos2_seen);
  g_clear_pointer (&self->config, fw_mqtt_config_free);

  G_OBJECT_CLASS (fw_mqtt_source_parent_class)->finalize (object);
}

static void
fw_mqtt_source_class_init (FwMqttSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  FwStreamClass *stream_class = FW_STREAM_CLASS (klass);

  object_class->finalize = fw_mqtt_source_finalize;
  stream_class->pull = fw_mqtt_source_pull;
  stream_class->release = fw_mqtt_source_release;
}

static void
fw_mqtt_source_init (FwMqttSource *self)
{
  /* No free function: answering hands the items over */
  self->queued = g_ptr_array_new ();
  self->topics = g_hash_table_new_full (g_str_hash, g_str_equal,
                                        (GDestroyNotify) g_ref_string_release, NULL);
  self->refusal = -1;
}

static gpointer
init_library (gpointer data)
{
  mosquitto_lib_init ();
  return NULL;
}

/**
 * fw_mqtt_source_open:
 * @spec: an `mqtt://` or `mqtts://` feed
 * @flags: how to read it
 * @error: where to put why it cannot be opened
 *
 * Opens an MQTT feed: the messages a broker routes to some topic filters, one item each.
 *
 * Returns: (transfer full) (nullable): the stream of `mqtt://…` or `mqtts://…`; it connects
 *   on the first `next`. %NULL with @error set for an address or option that cannot work.
 */
FwStream *
fw_mqtt_source_open (const FwFeedSpec  *spec,
                     FwFeedOpenFlags    flags,
                     GError           **error)
{
  static GOnce library = G_ONCE_INIT;
  g_autoptr(FwMqttConfig) config = NULL;
  FwMqttSource *self;

  config = fw_mqtt_config_parse (spec, error);
  if (config == NULL)
    return NULL;

  g_once (&library, init_library, NULL);

  self = g_object_new (FW_TYPE_MQTT_SOURCE, NULL);
  fw_stream_set_name (FW_STREAM (self), spec->text);
  self->feed = fw_ref_string_intern (spec->text);
  self->broker = strchr (config->host, ':') != NULL
                 ? g_strdup_printf ("[%s]:%u", config->host, config->port)
                 : g_strdup_printf ("%s:%u", config->host, config->port);
  self->flags = flags;
  self->reconnect = fw_reconnect_new (MAX (config->retry_ms, 1), config->retry_max_ms, TRUE);
  self->config = g_steal_pointer (&config);

  return FW_STREAM (self);
}

/**
 * fw_mqtt_source_get_received:
 * @self: an MQTT source
 *
 * How many messages arrived so far, for tests and benchmarks.
 *
 * Returns: the messages received
 */
guint64
fw_mqtt_source_get_received (FwMqttSource *self)
{
  return self->received;
}

static char *
title_from_filters (const FwFeedSpec *spec)
{
  g_autoptr(FwMqttConfig) config = fw_mqtt_config_parse (spec, NULL);
  g_autofree char *joined = NULL;

  if (config == NULL)
    return NULL;
  joined = g_strjoinv (", ", config->filters);
  /* TRANSLATORS: a feed's default title: its topic filters, then the broker's host name */
  return g_strdup_printf (_("%s on %s"), joined, config->host);
}

static const char * const qos_choices[] = { "0", "1", "2", NULL };
static const char * const protocol_choices[] = { "auto", "5", "3.1.1", NULL };

static const FwFeedOption mqtt_source_options[] = {
  { .key = "qos", .type = FW_FEED_OPTION_CHOICE, .default_value = "0", .choices = qos_choices,
    .help = N_("Delivery: 0 at most once, 1 at least once, 2 exactly once") },
  { .key = "clean", .type = FW_FEED_OPTION_BOOL, .default_value = "1",
    .help = N_("0 keeps a session at the broker: what is published while Feedwatch is away "
               "arrives at the next connection (QoS 1 or 2)") },
  { .key = "value", .type = FW_FEED_OPTION_STRING,
    .help = N_("The JSON field whose number is plotted (numbers alone always are)") },
  { .key = "client-id", .type = FW_FEED_OPTION_STRING, .flags = FW_FEED_OPTION_CONNECTION,
    .help = N_("The client id; by default one made from the feed and this computer") },
  { .key = "protocol", .type = FW_FEED_OPTION_CHOICE, .flags = FW_FEED_OPTION_CONNECTION,
    .default_value = "auto", .choices = protocol_choices,
    .help = N_("The MQTT version: 5, then 3.1.1 if the broker does not speak 5 (auto)") },
  { .key = "keepalive", .type = FW_FEED_OPTION_SECONDS, .flags = FW_FEED_OPTION_CONNECTION,
    .default_value = "60", .min = 5, .max = 65535,
    .help = N_("Seconds between pings while nothing else is sent") },
  { .key = "session-expiry", .type = FW_FEED_OPTION_SECONDS,
    .flags = FW_FEED_OPTION_CONNECTION, .default_value = "604800",
    .help = N_("With clean=0 and MQTT 5: how long the broker keeps the session while "
               "Feedwatch is away") },
  { .key = "insecure", .type = FW_FEED_OPTION_BOOL, .flags = FW_FEED_OPTION_CONNECTION,
    .default_value = "0",
    .help = N_("mqtts: accept any certificate (only for a broker you trust on a network you "
               "trust)") },
  { .key = "ca-file", .type = FW_FEED_OPTION_STRING, .flags = FW_FEED_OPTION_CONNECTION,
    .help = N_("mqtts: the CA certificate (PEM) that signed the broker's, instead of the "
               "system's") },
  { .key = "retry", .type = FW_FEED_OPTION_MILLISECONDS, .flags = FW_FEED_OPTION_CONNECTION,
    .default_value = "3000", .min = 1,
    .help = N_("Milliseconds before the first reconnect") },
  { .key = "retry-max", .type = FW_FEED_OPTION_MILLISECONDS,
    .flags = FW_FEED_OPTION_CONNECTION, .default_value = "60000",
    .help = N_("The longest wait between reconnects, in milliseconds") },
  { .key = "max-queue", .type = FW_FEED_OPTION_UINT, .flags = FW_FEED_OPTION_HIDDEN,
    .default_value = "8192", .min = 1,
    .help = N_("Messages waiting to be read before the socket is not read (tests)") },
  { NULL }
};

static const FwFeedOption *const mqtt_source_option_list[] = { mqtt_source_options, NULL };

const FwFeedKind fw_mqtt_source_mqtt_kind = {
  .name = "mqtt",
  .open = fw_mqtt_source_open,
  .description = N_("Topics of an MQTT broker"),
  .title = N_("MQTT"),
  .icon_name = "network-wireless-symbolic",
  .example = "mqtt://",
  .options = mqtt_source_option_list,
  .default_title = title_from_filters,
};

const FwFeedKind fw_mqtt_source_mqtts_kind = {
  .name = "mqtts",
  .open = fw_mqtt_source_open,
  .description = N_("Topics of an MQTT broker, over TLS"),
  .title = N_("MQTT over TLS"),
  .icon_name = "network-wireless-symbolic",
  .example = "mqtts://",
  .options = mqtt_source_option_list,
  .default_title = title_from_filters,
};
