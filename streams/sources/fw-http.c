/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-http.c: see fw-http.h */

#include "fw-http.h"

#include "fw-backoff.h"

/* Proxies come from the system: a SoupSession uses the default GProxyResolver unless told
 * otherwise. TLS is verified by default; only `insecure=1` (fw-http-options.c) relaxes it. */
SoupSession *
fw_http_session_new (void)
{
  /* No libsoup I/O timeout: each feed has its own idle timeout, which knows whether anybody
   * is reading (a quiet stream nobody pulls is not a dead one), and libsoup's 60 s would cut
   * a quiet watch stream first. */
  return soup_session_new_with_options ("user-agent", "Feedwatch",
                                        "timeout", 0,
                                        NULL);
}

/**
 * fw_http_new_request:
 * @accept: (nullable): the Accept header, unless the feed set its own
 *
 * Returns: (transfer full) (nullable): the request, or %NULL with @error set
 */
SoupMessage *
fw_http_new_request (const FwHttpOptions  *options,
                     const char           *url,
                     const char           *accept,
                     GError              **error)
{
  SoupMessage *msg = fw_http_options_new_message (options, url, error);
  SoupMessageHeaders *headers;

  if (msg == NULL)
    return NULL;

  headers = soup_message_get_request_headers (msg);
  if (accept != NULL && soup_message_headers_get_one (headers, "Accept") == NULL)
    soup_message_headers_replace (headers, "Accept", accept);

  return msg;
}

/**
 * fw_http_describe_failure:
 * @error: (nullable): the transport error, or %NULL when the failure is the HTTP status
 *
 * Returns: (transfer full): a phrase for a status item or an error message
 */
char *
fw_http_describe_failure (SoupMessage  *msg,
                          const GError *error)
{
  g_autofree char *uri = NULL;

  if (error == NULL)
    return fw_http_describe_status (msg);

  uri = g_uri_to_string (soup_message_get_uri (msg));
  return fw_http_describe_error (error, uri);
}

/* Retrying cannot fix a certificate, nor a refused redirect: the feed must change. */
gboolean
fw_http_error_is_fatal (const GError *error)
{
  return error != NULL && (error->domain == G_TLS_ERROR || error->domain == FW_FEED_ERROR);
}

/* The cap of the reconnect backoff: `retry-max` (ms). */
guint
fw_http_get_retry_max (const FwFeedSpec  *spec,
                       GError           **error)
{
  guint value;

  if (!fw_feed_spec_get_uint (spec, "retry-max", FW_BACKOFF_DEFAULT_CAP_MS, &value, error))
    return 0;

  return MAX (value, 1);
}
