/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-reconnect.h: the one reconnect loop of the network feeds (sse:, ndjson:, ws:, pages:,
 * metrics:, a bare http(s):// URL): the next delay (FwBackoff, with jitter), a server's
 * Retry-After, the status item that says it, and the timer to the next attempt. */
#pragma once

#include <libsoup/soup.h>

#include "fw-backoff.h"
#include "fw-feed-state.h"
#include "fw-stream.h"

G_BEGIN_DECLS

typedef struct _FwReconnect FwReconnect;

FwReconnect *fw_reconnect_new               (guint               base_ms,
                                             guint               cap_ms,
                                             gboolean            short_in_ms);
void         fw_reconnect_free              (FwReconnect        *self);
FwBackoff   *fw_reconnect_get_backoff       (FwReconnect        *self);
void         fw_reconnect_note_response     (FwReconnect        *self,
                                             SoupMessageHeaders *headers);
FwItem      *fw_reconnect_schedule          (FwReconnect        *self,
                                             GRefString         *feed,
                                             FwLevel             level,
                                             const char         *lead,
                                             const char         *reason);
gint64       fw_reconnect_get_due           (FwReconnect        *self);
gboolean     fw_reconnect_is_waiting        (FwReconnect        *self);
gboolean     fw_reconnect_wait              (FwReconnect        *self,
                                             FwStream           *stream,
                                             GSourceFunc         func,
                                             const char         *name);
void         fw_reconnect_stop              (FwReconnect        *self);
void         fw_reconnect_succeeded         (FwReconnect        *self);
char        *fw_reconnect_format_delay      (FwReconnect        *self,
                                             guint               ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwReconnect, fw_reconnect_free)

G_END_DECLS
