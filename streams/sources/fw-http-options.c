/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-http-options.c: per-feed HTTP options (see the header for the list) */

#include "fw-http-options.h"

#include <string.h>

void
fw_http_options_free (FwHttpOptions *self)
{
  if (self == NULL)
    return;

  g_free (self->method);
  g_clear_pointer (&self->body, g_bytes_unref);
  g_free (self->content_type);
  g_ptr_array_unref (self->headers);
  g_free (self->last_event_id);
  g_free (self);
}

/* RFC 9110 token characters: what a header name may hold. */
static gboolean
is_token (const char *text)
{
  if (text[0] == '\0')
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && strchr ("!#$%&'*+-.^_`|~", *p) == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
is_header_value (const char *text)
{
  return strpbrk (text, "\r\n") == NULL;
}

static gboolean
invalid (const FwFeedSpec  *spec,
         GError           **error,
         const char        *what)
{
  g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID, "Feed “%s”: %s", spec->text, what);
  return FALSE;
}

/**
 * fw_http_options_parse:
 * @default_idle_timeout_ms: the kind's idle timeout when the feed sets none
 *
 * Returns: (transfer full) (nullable): the options, or %NULL with @error set for a bad one
 */
FwHttpOptions *
fw_http_options_parse (const FwFeedSpec  *spec,
                       guint              default_idle_timeout_ms,
                       GError           **error)
{
  g_autoptr(FwHttpOptions) self = g_new0 (FwHttpOptions, 1);
  GHashTableIter iter;
  gpointer key, value;
  const char *text;
  guint number;

  self->headers = g_ptr_array_new_with_free_func (g_free);
  self->retry_ms = -1;

  g_hash_table_iter_init (&iter, spec->options);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *name;

      if (!g_str_has_prefix (key, "header."))
        continue;

      name = (const char *) key + strlen ("header.");
      if (!is_token (name) || !is_header_value (value))
        {
          g_autofree char *what = g_strdup_printf ("“%s” is not a valid HTTP header", name);
          invalid (spec, error, what);
          return NULL;
        }
      g_ptr_array_add (self->headers, g_strdup (name));
      g_ptr_array_add (self->headers, g_strdup (value));
    }

  text = fw_feed_spec_get_option (spec, "body");
  if (text != NULL)
    self->body = g_bytes_new (text, strlen (text));

  text = fw_feed_spec_get_option (spec, "method");
  if (text != NULL && !is_token (text))
    {
      invalid (spec, error, "the method must be a single word such as GET or POST");
      return NULL;
    }
  self->method = text != NULL ? g_ascii_strup (text, -1)
                              : g_strdup (self->body != NULL ? "POST" : "GET");

  text = fw_feed_spec_get_option (spec, "content-type");
  /* libsoup drops a body whose type is not TYPE/SUBTYPE. */
  if (text != NULL && (!is_header_value (text) || strchr (text, '/') == NULL))
    {
      invalid (spec, error, "the content-type is not valid");
      return NULL;
    }
  self->content_type = g_strdup (text != NULL ? text : "application/json");

  text = fw_feed_spec_get_option (spec, "last-event-id");
  if (text != NULL)
    {
      if (!is_header_value (text))
        {
          invalid (spec, error, "the last-event-id cannot hold a line break");
          return NULL;
        }
      self->last_event_id = g_strdup (text);
    }

  if (fw_feed_spec_get_option (spec, "retry") != NULL)
    {
      if (!fw_feed_spec_get_uint (spec, "retry", 0, &number, error))
        return NULL;
      self->retry_ms = number;
    }

  if (!fw_feed_spec_get_uint (spec, "idle-timeout", default_idle_timeout_ms,
                              &self->idle_timeout_ms, error))
    return NULL;

  text = fw_feed_spec_get_option (spec, "insecure");
  if (text != NULL)
    {
      if (g_str_equal (text, "1") || g_str_equal (text, "true") || g_str_equal (text, ""))
        self->insecure = TRUE;
      else if (!g_str_equal (text, "0") && !g_str_equal (text, "false"))
        {
          invalid (spec, error, "insecure must be 1 or 0");
          return NULL;
        }
    }

  return g_steal_pointer (&self);
}

static gboolean
accept_any_certificate (SoupMessage          *message,
                        GTlsCertificate      *certificate,
                        GTlsCertificateFlags  errors,
                        gpointer              user_data)
{
  /* Only reached with `insecure=1`: the user asked for it, for this feed. */
  return TRUE;
}

/**
 * fw_http_options_new_message:
 * @uri: an http:// or https:// URI
 *
 * Returns: (transfer full) (nullable): a request with the method, body, headers and TLS
 *   policy of the options, or %NULL with @error set when @uri is not a usable URI
 */
SoupMessage *
fw_http_options_new_message (const FwHttpOptions  *self,
                             const char           *uri,
                             GError              **error)
{
  g_autoptr(GUri) parsed = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *shown = NULL;
  SoupMessage *message;
  SoupMessageHeaders *headers;
  const char *scheme;

  parsed = g_uri_parse (uri, SOUP_HTTP_URI_FLAGS, &local_error);
  if (parsed == NULL)
    {
      shown = fw_feed_spec_redact (uri);
      g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID, "“%s” is not a valid URL: %s",
                   shown, local_error->message);
      return NULL;
    }

  scheme = g_uri_get_scheme (parsed);
  if ((g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0) ||
      g_uri_get_host (parsed) == NULL || g_uri_get_host (parsed)[0] == '\0')
    {
      shown = fw_feed_spec_redact (uri);
      g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                   "“%s” is not an http:// or https:// URL", shown);
      return NULL;
    }

  message = soup_message_new_from_uri (self->method, parsed);
  headers = soup_message_get_request_headers (message);
  for (guint i = 0; i + 1 < self->headers->len; i += 2)
    soup_message_headers_replace (headers, g_ptr_array_index (self->headers, i),
                                  g_ptr_array_index (self->headers, i + 1));

  if (self->body != NULL)
    soup_message_set_request_body_from_bytes (message, self->content_type, self->body);

  if (self->insecure)
    g_signal_connect (message, "accept-certificate", G_CALLBACK (accept_any_certificate), NULL);

  return message;
}

/* "HTTP 500 Internal Server Error": the status in words, for status items and errors. */
char *
fw_http_describe_status (SoupMessage *message)
{
  return fw_http_describe_status_code (soup_message_get_status (message),
                                       soup_message_get_reason_phrase (message));
}

/**
 * fw_http_describe_status_code:
 * @reason_phrase: (nullable): the server's words, if any; else the standard ones
 *
 * fw_http_describe_status() for a response read without a SoupMessage (the WebSocket
 * handshake).
 */
char *
fw_http_describe_status_code (guint       status,
                              const char *reason_phrase)
{
  const char *phrase = reason_phrase;

  if (phrase == NULL || phrase[0] == '\0')
    phrase = soup_status_get_phrase (status);
  if (phrase == NULL || phrase[0] == '\0')
    return g_strdup_printf ("HTTP %u", status);
  return g_strdup_printf ("HTTP %u %s", status, phrase);
}

/* A transport error in words; certificate errors say how to accept the certificate. */
char *
fw_http_describe_error (const GError *error,
                        const char   *uri)
{
  if (error->domain == G_TLS_ERROR)
    {
      g_autoptr(GUri) parsed = g_uri_parse (uri, SOUP_HTTP_URI_FLAGS, NULL);
      const char *host = parsed != NULL ? g_uri_get_host (parsed) : uri;

      return g_strdup_printf ("the TLS certificate of %s is not valid (%s); add "
                              "#insecure=1 to the feed to accept it anyway",
                              host, error->message);
    }

  return g_strdup (error->message);
}
