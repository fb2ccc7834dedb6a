/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-http-options.h: the per-feed HTTP options every network feed understands, read from the
 * feed's options (`sse:https://host/x?q=1#header.Authorization=Bearer%20t&retry=500`):
 *
 *   header.NAME=VALUE  an extra request header (repeatable with different names)
 *   method=POST        the request method (default GET, or POST when there is a body)
 *   body=TEXT          the request body (as LLM streaming APIs take their prompt)
 *   content-type=TYPE  the body's type (default application/json)
 *   last-event-id=ID   the ID to resume from (SSE)
 *   retry=MS           the reconnection time, overriding the server's (SSE `retry:`)
 *   idle-timeout=MS    no bytes for this long is a dead connection (0 = never)
 *   insecure=1         accept an invalid TLS certificate (verified by default)
 *   follow-cross-origin=drop|refuse
 *                      what a request to another origin than the feed's own does (a redirect,
 *                      a next-page link): go without the secret headers (drop, the default,
 *                      with a note) or fail (refuse)
 *
 * Usage: fw_http_options_parse() in the feed's open function (bad options fail the open with
 * a clear message), then fw_http_options_new_message() for each connection, and after its
 * response fw_http_options_check_redirect() and fw_http_options_take_secrets_note().
 */
#pragma once

#include <libsoup/soup.h>

#include "../fw-feed-kind.h"

G_BEGIN_DECLS

typedef struct
{
  char       *method;           /* never NULL */
  GBytes     *body;             /* or NULL */
  char       *content_type;     /* never NULL */
  GPtrArray  *headers;          /* name, value, name, value, … (char *) */
  char       *last_event_id;    /* or NULL */
  gint64      retry_ms;         /* -1 when not set */
  guint       idle_timeout_ms;  /* 0 = no idle timeout */
  gboolean    insecure;
  char       *origin;           /* the feed's own, "scheme://host:port"; or NULL */
  gboolean    refuse_cross_origin;
} FwHttpOptions;

FwHttpOptions *fw_http_options_parse             (const FwFeedSpec     *spec,
                                                  guint                 default_idle_timeout_ms,
                                                  GError              **error);
void           fw_http_options_free              (FwHttpOptions        *self);
SoupMessage   *fw_http_options_new_message       (const FwHttpOptions  *self,
                                                  const char           *uri,
                                                  GError              **error);
gboolean       fw_http_options_check_redirect    (SoupMessage          *message,
                                                  GError              **error);
char          *fw_http_options_take_secrets_note (SoupMessage          *message);
char          *fw_http_origin_of                 (GUri                 *uri);
char          *fw_http_describe_status           (SoupMessage          *message);
char          *fw_http_describe_status_code      (guint                 status,
                                                  const char           *reason_phrase);
char          *fw_http_describe_error            (const GError         *error,
                                                  const char           *uri);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwHttpOptions, fw_http_options_free)

/* Options' schema fragments (fw-feed-kind.h): every network kind; the HTTP request kinds */
extern const FwFeedOption fw_http_connection_options[];
extern const FwFeedOption fw_http_request_options[];

G_END_DECLS
