/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-http-detect.h: a bare http(s):// feed, recognised by its Content-Type. The only file that
 * knows the four kinds it hands over to (sse:, ndjson:, pages:, metrics:); they know nothing
 * of it. */
#pragma once

#include <libsoup/soup.h>

#include "fw-feed-kind.h"

G_BEGIN_DECLS

/**
 * FwHttpKind:
 * What a response's Content-Type says the feed is.
 */
typedef enum
{
  FW_HTTP_KIND_UNKNOWN,
  FW_HTTP_KIND_SSE,
  FW_HTTP_KIND_NDJSON,
  FW_HTTP_KIND_PAGES,
  FW_HTTP_KIND_METRICS,
} FwHttpKind;

#define FW_TYPE_HTTP_DETECT (fw_http_detect_get_type ())

G_DECLARE_FINAL_TYPE (FwHttpDetect, fw_http_detect, FW, HTTP_DETECT, FwStream)

FwHttpKind    fw_http_kind_from_content_type (const char        *content_type);
const char   *fw_http_kind_to_feed_kind      (FwHttpKind         kind);

FwStream     *fw_http_detect_open            (const FwFeedSpec  *spec,
                                              FwFeedOpenFlags    flags,
                                              GError           **error);
FwHttpKind    fw_http_detect_get_kind        (FwHttpDetect      *self);
FwStream     *fw_http_detect_get_inner       (FwHttpDetect      *self);
guint         fw_http_detect_get_n_requests  (FwHttpDetect      *self);

extern const FwFeedKind fw_http_detect_http_kind;
extern const FwFeedKind fw_http_detect_https_kind;

G_END_DECLS
