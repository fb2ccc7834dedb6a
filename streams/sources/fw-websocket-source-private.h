/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-websocket-source-private.h: what the tests look at inside a WebSocket feed. */
#pragma once

#include "fw-websocket-source.h"

G_BEGIN_DECLS

gsize fw_websocket_source_get_peak_queued_bytes (FwWebsocketSource *self);
guint fw_websocket_source_get_n_queued          (FwWebsocketSource *self);
void  fw_websocket_source_set_stall_grace       (FwWebsocketSource *self,
                                                 guint              ms);

G_END_DECLS
