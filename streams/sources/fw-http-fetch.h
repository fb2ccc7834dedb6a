/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-http-fetch.h: a whole response body, bounded in size and in idle time: for the polled
 * feeds (pages:, metrics:) */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

void           fw_http_fetch_async           (SoupSession         *session,
                                              SoupMessage         *msg,
                                              GInputStream        *body,
                                              gsize                max_bytes,
                                              guint                idle_timeout_ms,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
GBytes        *fw_http_fetch_finish          (GAsyncResult        *result,
                                              GError             **error);

G_END_DECLS
