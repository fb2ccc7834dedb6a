/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-mqtt-source.h: `mqtt://` and `mqtts://`, topics of an MQTT broker (libmosquitto) */
#pragma once

#include "../fw-feed-kind.h"

G_BEGIN_DECLS

/**
 * FwMqttSource:
 *
 * `mqtt://` and `mqtts://`: the messages an MQTT broker routes to some topic filters, one
 * item each, reading only on a pull and reconnecting when the connection is lost. A build
 * without libmosquitto keeps this API; opening then fails with %FW_FEED_ERROR_UNKNOWN_KIND.
 */
#define FW_TYPE_MQTT_SOURCE (fw_mqtt_source_get_type ())

G_DECLARE_FINAL_TYPE (FwMqttSource, fw_mqtt_source, FW, MQTT_SOURCE, FwStream)

FwStream *fw_mqtt_source_open         (const FwFeedSpec  *spec,
                                       FwFeedOpenFlags    flags,
                                       GError           **error);
guint64   fw_mqtt_source_get_received (FwMqttSource      *self);

extern const FwFeedKind fw_mqtt_source_mqtt_kind;
extern const FwFeedKind fw_mqtt_source_mqtts_kind;

G_END_DECLS
