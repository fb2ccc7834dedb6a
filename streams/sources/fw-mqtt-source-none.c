/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-mqtt-source-none.c: the MQTT source's API in a build on a system without libmosquitto, so
 * the library's symbols, GIR and headers do not depend on the build's options */

#include "config.h"

#include "fw-mqtt-source.h"

#include "fw-feed.h"

struct _FwMqttSource
{
  FwStream parent_instance;
};

G_DEFINE_FINAL_TYPE (FwMqttSource, fw_mqtt_source, FW_TYPE_STREAM)

static void
fw_mqtt_source_class_init (FwMqttSourceClass *klass)
{
}

static void
fw_mqtt_source_init (FwMqttSource *self)
{
}

/**
 * fw_mqtt_source_open:
 * @spec: an `mqtt://` or `mqtts://` feed
 * @flags: how to read it
 * @error: where to put why it cannot be opened
 *
 * Opens an MQTT feed. This build has no libmosquitto: it always fails.
 *
 * Returns: (transfer full) (nullable): %NULL, with @error set to %FW_FEED_ERROR_UNKNOWN_KIND
 */
FwStream *
fw_mqtt_source_open (const FwFeedSpec  *spec,
                     FwFeedOpenFlags    flags,
                     GError           **error)
{
  g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_UNKNOWN_KIND,
               "Feed “%s”: this build of Feedwatch cannot read MQTT (it was built without "
               "libmosquitto); use a build with MQTT support for mqtt:// feeds.",
               spec->text);
  return NULL;
}

/**
 * fw_mqtt_source_get_received:
 * @self: an MQTT source
 *
 * Returns: how many messages arrived so far (none: this build has no MQTT)
 */
guint64
fw_mqtt_source_get_received (FwMqttSource *self)
{
  return 0;
}
