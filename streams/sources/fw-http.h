/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-http.h: what the HTTP feeds (sse:, ndjson:, pages:, metrics:, ws://, a bare URL) share
 * beyond their request options (fw-http-options.h): one session setup, one request
 * constructor, one way to word a failure, which failures retrying cannot fix, the retry cap. */
#pragma once

#include <libsoup/soup.h>

#include "fw-feed.h"
#include "fw-http-options.h"

G_BEGIN_DECLS

SoupSession   *fw_http_session_new           (void);
SoupMessage   *fw_http_new_request           (const FwHttpOptions *options,
                                              const char          *url,
                                              const char          *accept,
                                              GError             **error);
char          *fw_http_describe_failure      (SoupMessage         *msg,
                                              const GError        *error);
gboolean       fw_http_error_is_fatal        (const GError        *error);
guint          fw_http_get_retry_max         (const FwFeedSpec    *spec,
                                              GError             **error);

G_END_DECLS
