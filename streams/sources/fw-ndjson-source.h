/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-ndjson-source.h: `ndjson:URL`, a long HTTP response of one JSON value per line
 * (Kubernetes ?watch=1, Docker /events, systemd-journal-gatewayd), read as it is asked for
 * and followed across reconnections. */
#pragma once

#include <libsoup/soup.h>

#include "fw-feed-kind.h"

G_BEGIN_DECLS

#define FW_TYPE_NDJSON_SOURCE (fw_ndjson_source_get_type ())

G_DECLARE_FINAL_TYPE (FwNdjsonSource, fw_ndjson_source, FW, NDJSON_SOURCE, FwStream)

#define FW_NDJSON_DEFAULT_MAX_LINE     (1024 * 1024)
#define FW_NDJSON_DEFAULT_IDLE_TIMEOUT_MS (90 * 1000)

FwStream *fw_ndjson_source_open            (const FwFeedSpec  *spec,
                                            FwFeedOpenFlags    flags,
                                            GError           **error);
FwStream *fw_ndjson_source_new_for_response (const FwFeedSpec *spec,
                                             FwFeedOpenFlags   flags,
                                             SoupSession      *session,
                                             SoupMessage      *msg,
                                             GInputStream     *body,
                                             GError          **error);
guint     fw_ndjson_source_get_n_invalid   (FwNdjsonSource    *self);
guint     fw_ndjson_source_get_n_truncated (FwNdjsonSource    *self);
guint     fw_ndjson_source_get_n_connects  (FwNdjsonSource    *self);
gsize     fw_ndjson_source_get_pending_bytes (FwNdjsonSource  *self);

extern const FwFeedOption fw_ndjson_source_options[];
extern const FwFeedKind fw_ndjson_source_kind;

G_END_DECLS
