/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-sse-source.h: `sse:URL`, a Server-Sent Events feed */
#pragma once

#include <libsoup/soup.h>

#include "../fw-feed-kind.h"
#include "fw-backoff.h"

G_BEGIN_DECLS

#define FW_TYPE_SSE_SOURCE (fw_sse_source_get_type ())

G_DECLARE_FINAL_TYPE (FwSseSource, fw_sse_source, FW, SSE_SOURCE, FwStream)

/**
 * FW_SSE_DEFAULT_IDLE_TIMEOUT_MS:
 *
 * No bytes (keep-alive comments included) for this long, in milliseconds, is a dead connection:
 * the SSE feed reconnects.
 */
#define FW_SSE_DEFAULT_IDLE_TIMEOUT_MS (300 * 1000)
/**
 * FW_SSE_DEFAULT_RETRY_MAX_MS:
 *
 * The longest delay between two reconnections of an SSE feed, in milliseconds, when its options set
 * none.
 */
#define FW_SSE_DEFAULT_RETRY_MAX_MS    (60 * 1000)

FwStream  *fw_sse_source_open         (const FwFeedSpec  *spec,
                                       FwFeedOpenFlags    flags,
                                       GError           **error);
FwStream  *fw_sse_source_new_for_response (const FwFeedSpec  *spec,
                                           FwFeedOpenFlags    flags,
                                           SoupMessage       *msg,
                                           GInputStream      *body,
                                           GError           **error);
FwBackoff *fw_sse_source_get_backoff  (FwSseSource       *self);
guint64    fw_sse_source_get_dropped  (FwSseSource       *self);

extern const FwFeedOption fw_sse_source_options[];
extern const FwFeedKind fw_sse_source_kind;

G_END_DECLS
