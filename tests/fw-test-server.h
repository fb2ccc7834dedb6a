/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-test-server.h: loopback SoupServers for tests: listening on 127.0.0.1 at a free port, and
 * a server of numbered items in each streaming format the feeds read. */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

guint16 fw_test_server_listen (SoupServer              *server,
                               SoupServerListenOptions  options);

/**
 * FwNumberedServer:
 *
 * Serves numbered items whose text (fw_numbered_text()) mixes ASCII with 2-, 3- and 4-byte
 * UTF-8 characters, so a cut inside a character shows:
 * - `/events`: Server-Sent Events with ids 1…n_events (`id: N`, `data: TEXT`), resumed after
 *   Last-Event-ID, as fast as they are read (a block of 64 per main-loop iteration); the
 *   response ends after the last one, and a request that has them all gets 204, which ends
 *   the feed.
 * - `/lines`: NDJSON lines `{"n":N,"msg":"TEXT"}`, chunked, without end, 8000 a second (a
 *   block waits until the last one left, so memory stays small). The numbers go on across
 *   connections: what a broken connection lost is not sent again, as with a live feed.
 * - `/lines-eof`: the same lines in a response that ends with the connection (no length, not
 *   chunked), so a cut connection looks like a clean end to the client.
 * - `/ws`: WebSocket text messages with the same JSON, at the same rate, numbered across
 *   connections.
 */
typedef struct _FwNumberedServer FwNumberedServer;

FwNumberedServer *fw_numbered_server_new            (guint64           n_events);
void              fw_numbered_server_free           (FwNumberedServer *self);
guint16           fw_numbered_server_get_port       (FwNumberedServer *self);
guint             fw_numbered_server_get_n_requests (FwNumberedServer *self);
guint64           fw_numbered_server_get_n_sent     (FwNumberedServer *self);
char             *fw_numbered_text                  (guint64           n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwNumberedServer, fw_numbered_server_free)

G_END_DECLS
