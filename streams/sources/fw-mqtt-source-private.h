/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-mqtt-source-private.h: the pure parts of the MQTT feed (its address and options, a
 * message to an item, the broker's answers in words), for the tests. */
#pragma once

#include "fw-mqtt-source.h"

G_BEGIN_DECLS

typedef enum
{
  FW_MQTT_PROTOCOL_AUTO,  /* MQTT 5, then 3.1.1 if the broker does not speak 5 */
  FW_MQTT_PROTOCOL_V5,
  FW_MQTT_PROTOCOL_V311,
} FwMqttProtocol;

typedef struct
{
  gboolean        tls;
  char           *host;
  guint           port;
  char           *user;       /* or NULL */
  char           *password;   /* or NULL */
  GStrv           filters;    /* one or more topic filters, checked */
  guint           qos;
  gboolean        clean;
  char           *client_id;  /* NULL with a clean session: the broker's or a random one */
  char           *value_field;
  FwMqttProtocol  protocol;
  gboolean        insecure;
  char           *ca_file;
  guint           keepalive_s;
  guint           session_expiry_s;
  guint           max_queue;
  guint           retry_ms;
  guint           retry_max_ms;
} FwMqttConfig;

FwMqttConfig *fw_mqtt_config_parse      (const FwFeedSpec  *spec,
                                         GError           **error);
void          fw_mqtt_config_free       (FwMqttConfig      *config);
char         *fw_mqtt_stable_client_id  (const FwMqttConfig *config);
FwItem       *fw_mqtt_item_new          (GRefString        *feed,
                                         gint64             time_us,
                                         GRefString        *topic,
                                         const void        *payload,
                                         gsize              len,
                                         gboolean           retained,
                                         const char        *value_field);
char         *fw_mqtt_describe_refusal  (gboolean           v5,
                                         int                code,
                                         gboolean           has_credentials);
gboolean      fw_mqtt_refusal_is_final  (gboolean           v5,
                                         int                code);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwMqttConfig, fw_mqtt_config_free)

G_END_DECLS
