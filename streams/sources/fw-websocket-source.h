/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-websocket-source.h: `ws://…` and `wss://…`, a WebSocket's messages as items, followed
 * across reconnections. */
#pragma once

#include "fw-feed-kind.h"

G_BEGIN_DECLS

#define FW_TYPE_WEBSOCKET_SOURCE (fw_websocket_source_get_type ())

G_DECLARE_FINAL_TYPE (FwWebsocketSource, fw_websocket_source, FW, WEBSOCKET_SOURCE, FwStream)

#define FW_WEBSOCKET_DEFAULT_MAX_QUEUE   10000
#define FW_WEBSOCKET_DEFAULT_MAX_MESSAGE (1024 * 1024)
#define FW_WEBSOCKET_DEFAULT_KEEPALIVE_S 30
#define FW_WEBSOCKET_HEX_PREFIX          32

FwStream *fw_websocket_source_open           (const FwFeedSpec  *spec,
                                              FwFeedOpenFlags    flags,
                                              GError           **error);
FwItem   *fw_websocket_item_new_binary       (GRefString        *feed,
                                              gint64             time_us,
                                              const guint8      *data,
                                              gsize              len);
guint64   fw_websocket_source_get_n_dropped  (FwWebsocketSource *self);
guint64   fw_websocket_source_get_n_received (FwWebsocketSource *self);
guint     fw_websocket_source_get_n_connects (FwWebsocketSource *self);

extern const FwFeedKind fw_websocket_source_ws_kind;
extern const FwFeedKind fw_websocket_source_wss_kind;

G_END_DECLS
