/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-http-detect.h: a bare http(s):// feed, opened once and recognised by its Content-Type;
 * and the few helpers the HTTP feeds (ndjson:, pages:, metrics:, ws://) share beyond
 * fw-http-options.h: one session setup, one way to word a failure, status items. */
#pragma once

#include <libsoup/soup.h>

#include "fw-feed-kind.h"
#include "fw-http-options.h"

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

/* Shared by the HTTP feeds (the request options themselves are fw-http-options.h) */

SoupSession   *fw_http_session_new           (void);
SoupMessage   *fw_http_new_request           (const FwHttpOptions *options,
                                              const char          *url,
                                              const char          *accept,
                                              GError             **error);
char          *fw_http_describe_failure      (SoupMessage       *msg,
                                              const GError      *error);
gboolean       fw_http_error_is_fatal        (const GError      *error);
guint          fw_http_get_retry_max         (const FwFeedSpec  *spec,
                                              GError           **error);
FwItem        *fw_http_status_item_new       (GRefString        *feed,
                                              const char        *format,
                                              ...) G_GNUC_PRINTF (2, 3);
void           fw_http_format_seconds        (char              *buf,
                                              gsize              size,
                                              guint              ms);
void           fw_http_drop_queued           (GPtrArray         *queued);
void           fw_http_answer_pull           (FwStream          *stream,
                                              GPtrArray         *queued,
                                              gboolean           ended,
                                              GError           **failure);
void           fw_http_idle_arm              (GSource          **timer,
                                              gint64            *since,
                                              guint              timeout_ms,
                                              GMainContext      *context,
                                              const char        *name,
                                              GSourceFunc        func,
                                              gpointer           data);
gboolean       fw_http_idle_expired          (GSource           *timer,
                                              gint64            *since,
                                              guint              timeout_ms);
void           fw_http_fetch_async           (SoupSession       *session,
                                              SoupMessage       *msg,
                                              GInputStream      *body,
                                              gsize              max_bytes,
                                              guint              idle_timeout_ms,
                                              GCancellable      *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer           user_data);
GBytes        *fw_http_fetch_finish          (GAsyncResult      *result,
                                              GError           **error);

extern const FwFeedKind fw_http_detect_http_kind;
extern const FwFeedKind fw_http_detect_https_kind;

G_END_DECLS
