/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-postgres-source.h: `postgres://` and `postgresql://`, PostgreSQL's LISTEN/NOTIFY */
#pragma once

#include "../fw-feed-kind.h"

G_BEGIN_DECLS

/**
 * FW_POSTGRES_DEFAULT_RETRY_MAX_MS:
 *
 * The longest wait between two reconnections of a PostgreSQL feed, in ms, unless its
 * `retry-max` option says otherwise.
 */
#define FW_POSTGRES_DEFAULT_RETRY_MAX_MS 60000

/**
 * FwPostgresSource:
 *
 * `postgres://` and `postgresql://`: the notifications PostgreSQL sends on some channels
 * (LISTEN/NOTIFY), one item each, reconnecting when the connection is lost. A build without
 * libpq keeps this API; opening then fails with %FW_FEED_ERROR_UNKNOWN_KIND.
 */
#define FW_TYPE_POSTGRES_SOURCE (fw_postgres_source_get_type ())
G_DECLARE_FINAL_TYPE (FwPostgresSource, fw_postgres_source, FW, POSTGRES_SOURCE, FwStream)

FwStream *fw_postgres_source_open (const FwFeedSpec  *spec,
                                   FwFeedOpenFlags    flags,
                                   GError           **error);

extern const FwFeedKind fw_postgres_source_kind;
extern const FwFeedKind fw_postgresql_source_kind;

G_END_DECLS
