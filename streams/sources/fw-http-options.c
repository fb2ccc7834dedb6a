/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-http-options.c: per-feed HTTP options (see the header for the list) */

#include "config.h"

#include "fw-http-options.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "fw-safe-text.h"

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
  g_free (self->origin);
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
  g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID, _("Feed “%s”: %s"), spec->text, what);
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
          g_autofree char *what = g_strdup_printf (_("“%s” is not a valid HTTP header"), name);
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
      invalid (spec, error, _("the method must be a single word such as GET or POST"));
      return NULL;
    }
  self->method = text != NULL ? g_ascii_strup (text, -1)
                              : g_strdup (self->body != NULL ? "POST" : "GET");

  text = fw_feed_spec_get_option (spec, "content-type");
  /* libsoup drops a body whose type is not TYPE/SUBTYPE. */
  if (text != NULL && (!is_header_value (text) || strchr (text, '/') == NULL))
    {
      invalid (spec, error, _("the content-type is not valid"));
      return NULL;
    }
  self->content_type = g_strdup (text != NULL ? text : "application/json");

  text = fw_feed_spec_get_option (spec, "last-event-id");
  if (text != NULL)
    {
      if (!is_header_value (text))
        {
          invalid (spec, error, _("the last-event-id cannot hold a line break"));
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
          invalid (spec, error, _("insecure must be 1 or 0"));
          return NULL;
        }
    }

  text = fw_feed_spec_get_option (spec, "follow-cross-origin");
  if (text != NULL)
    {
      if (g_str_equal (text, "refuse"))
        self->refuse_cross_origin = TRUE;
      else if (!g_str_equal (text, "drop"))
        {
          invalid (spec, error, _("follow-cross-origin must be drop (go on without the secret "
                                  "headers) or refuse (stop the feed)"));
          return NULL;
        }
    }

  /* The origin the user typed: secret headers go there and nowhere else. */
  if (spec->target != NULL)
    {
      g_autoptr(GUri) home = g_uri_parse (spec->target, SOUP_HTTP_URI_FLAGS, NULL);

      if (home != NULL)
        self->origin = fw_http_origin_of (home);
    }

  return g_steal_pointer (&self);
}

/**
 * fw_http_origin_of:
 *
 * Returns: (transfer full) (nullable): "scheme://host:port", scheme and host in lower case and
 *   the port always written (the scheme's default when the URI has none), so two URIs are the
 *   same origin exactly when these are equal; %NULL when @uri is not http(s) with a host
 */
char *
fw_http_origin_of (GUri *uri)
{
  g_autofree char *scheme = NULL;
  g_autofree char *host = NULL;
  int port;

  if (g_uri_get_scheme (uri) == NULL || g_uri_get_host (uri) == NULL ||
      g_uri_get_host (uri)[0] == '\0')
    return NULL;

  scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
  if (!g_str_equal (scheme, "http") && !g_str_equal (scheme, "https"))
    return NULL;
  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  port = g_uri_get_port (uri);
  if (port < 0)
    port = g_str_equal (scheme, "https") ? 443 : 80;

  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("%s://[%s]:%d", scheme, host, port);
  return g_strdup_printf ("%s://%s:%d", scheme, host, port);
}

/* ---------------------------------------------------------------------------------------- */
/* Secret headers and other origins */

#define SECRETS_NOTE_KEY "fw-http-secrets-note"
#define REFUSAL_KEY "fw-http-redirect-refused"

/* What a request with secret headers needs to keep them at home across redirects */
typedef struct
{
  char      *home;    /* the feed's origin */
  GPtrArray *secrets; /* the secret header names the options set; not empty when watched */
  gboolean   refuse;
} RedirectGuard;

static void
redirect_guard_free (gpointer data)
{
  RedirectGuard *guard = data;

  g_free (guard->home);
  g_ptr_array_unref (guard->secrets);
  g_free (guard);
}

/* "Authorization, Cookie and X-Api-Key" */
static char *
join_names (GPtrArray *names)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < names->len; i++)
    {
      if (i > 0)
        g_string_append (text, i + 1 == names->len ? " and " : ", ");
      g_string_append (text, g_ptr_array_index (names, i));
    }
  return g_string_free (text, FALSE);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_ascii_strcasecmp (*(const char * const *) a, *(const char * const *) b);
}

static void
set_secrets_note (SoupMessage *message,
                  GPtrArray   *dropped,
                  const char  *there,
                  const char  *home,
                  const char  *why)
{
  g_autofree char *names = NULL;
  char *note;

  /* In a fixed order: the options come from a hash table. */
  g_ptr_array_sort (dropped, compare_names);
  names = join_names (dropped);
  note = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%s was not sent to %s, %s: secret headers go only to the "
                                       "feed's own origin %s (follow-cross-origin=refuse stops the "
                                       "feed instead)",
                                       "%s were not sent to %s, %s: secret headers go only to the "
                                       "feed's own origin %s (follow-cross-origin=refuse stops the "
                                       "feed instead)", dropped->len),
                          names, there, why, home);

  g_object_set_data_full (G_OBJECT (message), SECRETS_NOTE_KEY, note, g_free);
}

/* The redirects libsoup follows (soup-session.c), whatever the method: a refusal of one it
 * would not follow costs nothing, as the request fails either way. */
static gboolean
is_followed_redirect (guint status)
{
  return status == SOUP_STATUS_MOVED_PERMANENTLY || status == SOUP_STATUS_FOUND ||
         status == SOUP_STATUS_SEE_OTHER || status == SOUP_STATUS_TEMPORARY_REDIRECT ||
         status == SOUP_STATUS_PERMANENT_REDIRECT;
}

/* With refuse: before libsoup looks at the response (its redirect handler runs on got-body, and
 * whether it reads the body for a redirect is decided right after the headers), a Location on
 * another origin is taken away, so the request ends with the 3xx it got, marked refused. */
static void
on_got_headers_refuse_cross_origin (SoupMessage *message,
                                    gpointer     user_data)
{
  RedirectGuard *guard = user_data;
  SoupMessageHeaders *response = soup_message_get_response_headers (message);
  g_autoptr(GUri) target = NULL;
  g_autofree char *there = NULL;
  const char *location;

  if (!is_followed_redirect (soup_message_get_status (message)))
    return;
  location = soup_message_headers_get_one (response, "Location");
  if (location == NULL)
    return;
  target = g_uri_parse_relative (soup_message_get_uri (message), location, SOUP_HTTP_URI_FLAGS,
                                 NULL);
  if (target == NULL)
    return;
  there = fw_http_origin_of (target);
  if (there != NULL && g_str_equal (there, guard->home))
    return;

  soup_message_headers_remove (response, "Location");
  g_object_set_data_full (G_OBJECT (message), REFUSAL_KEY,
                          g_strdup_printf (_("the server at %s redirected the feed to %s, another "
                                             "origin, and follow-cross-origin=refuse forbids "
                                             "following it; use the new address in the feed, or "
                                             "set follow-cross-origin=drop to follow it without "
                                             "the secret headers"),
                                           guard->home, there != NULL ? there : location),
                          g_free);
}

/* libsoup re-sends a redirected request after this signal, to the new URI it already set:
 * the last point where the headers can still change, and the URI it holds is exactly the one
 * the request goes to. libsoup itself drops at most Authorization there. */
static void
on_restarted_drop_secrets (SoupMessage *message,
                           gpointer     user_data)
{
  RedirectGuard *guard = user_data;
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);
  g_autofree char *there = fw_http_origin_of (soup_message_get_uri (message));
  g_autoptr(GPtrArray) dropped = NULL;

  if (there != NULL && g_str_equal (there, guard->home))
    return;

  dropped = g_ptr_array_new ();
  for (guint i = 0; i < guard->secrets->len; i++)
    {
      const char *name = g_ptr_array_index (guard->secrets, i);

      /* Listed even when libsoup removed it already (some builds drop Authorization) */
      soup_message_headers_remove (headers, name);
      g_ptr_array_add (dropped, (gpointer) name);
    }

  set_secrets_note (message, dropped, there != NULL ? there : _("another host"), guard->home,
                    _("where the feed was redirected"));
}

/**
 * fw_http_options_check_redirect:
 *
 * Returns: %FALSE with @error set when @message ended on a redirect to another origin that
 *   follow-cross-origin=refuse did not follow: the feed must change, retrying will not help
 */
gboolean
fw_http_options_check_redirect (SoupMessage  *message,
                                GError      **error)
{
  const char *refusal = g_object_get_data (G_OBJECT (message), REFUSAL_KEY);

  if (refusal == NULL)
    return TRUE;

  g_set_error_literal (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID, refusal);
  return FALSE;
}

/**
 * fw_http_options_take_secrets_note:
 *
 * Returns: (transfer full) (nullable): once, the words saying which secret headers @message
 *   did not send to which origin, for a status item; %NULL when it sent all it had
 */
char *
fw_http_options_take_secrets_note (SoupMessage *message)
{
  return g_object_steal_data (G_OBJECT (message), SECRETS_NOTE_KEY);
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
 * Secret headers (fw_feed_spec_is_secret_header()) go only to the feed's own origin: a
 * request to another leaves them out and carries a note saying so (or, with
 * follow-cross-origin=refuse, is not made), and a redirect to another origin drops them
 * before libsoup re-sends the request (or is refused).
 *
 * Returns: (transfer full) (nullable): a request with the method, body, headers and TLS
 *   policy of the options, or %NULL with @error set when @uri is not a usable URI or, with
 *   refuse, is on another origin
 */
SoupMessage *
fw_http_options_new_message (const FwHttpOptions  *self,
                             const char           *uri,
                             GError              **error)
{
  g_autoptr(GUri) parsed = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *here = NULL;
  g_autoptr(GPtrArray) secrets = NULL;
  g_autoptr(GPtrArray) dropped = NULL;
  SoupMessage *message;
  SoupMessageHeaders *headers;
  const char *scheme;
  const char *home;

  parsed = g_uri_parse (uri, SOUP_HTTP_URI_FLAGS, &local_error);
  if (parsed == NULL)
    {
      shown = fw_feed_spec_redact (uri);
      g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID, _("“%s” is not a valid URL: %s"),
                   shown, local_error->message);
      return NULL;
    }

  scheme = g_uri_get_scheme (parsed);
  if ((g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0) ||
      g_uri_get_host (parsed) == NULL || g_uri_get_host (parsed)[0] == '\0')
    {
      shown = fw_feed_spec_redact (uri);
      g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                   _("“%s” is not an http:// or https:// URL"), shown);
      return NULL;
    }

  here = fw_http_origin_of (parsed);
  home = self->origin != NULL ? self->origin : here;
  if (self->refuse_cross_origin && !g_str_equal (here, home))
    {
      g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                   _("the feed's next request goes to %s, not to the feed's own origin %s, and "
                     "follow-cross-origin=refuse forbids it; set follow-cross-origin=drop to "
                     "send it without the secret headers"), here, home);
      return NULL;
    }

  message = soup_message_new_from_uri (self->method, parsed);
  headers = soup_message_get_request_headers (message);
  secrets = g_ptr_array_new_with_free_func (g_free);
  dropped = g_ptr_array_new ();
  for (guint i = 0; i + 1 < self->headers->len; i += 2)
    {
      const char *name = g_ptr_array_index (self->headers, i);

      if (fw_feed_spec_is_secret_header (name))
        {
          if (!g_str_equal (here, home))
            {
              g_ptr_array_add (dropped, (gpointer) name);
              continue;
            }
          g_ptr_array_add (secrets, g_strdup (name));
        }
      soup_message_headers_replace (headers, name, g_ptr_array_index (self->headers, i + 1));
    }

  if (dropped->len > 0)
    set_secrets_note (message, dropped, here, home, _("where the feed's next request goes"));

  /* refuse holds without secrets too: the feed stays where the user pointed it */
  if (secrets->len > 0 || self->refuse_cross_origin)
    {
      RedirectGuard *guard = g_new0 (RedirectGuard, 1);

      guard->home = g_strdup (home);
      guard->secrets = g_steal_pointer (&secrets);
      guard->refuse = self->refuse_cross_origin;
      g_object_set_data_full (G_OBJECT (message), "fw-http-redirect-guard", guard,
                              redirect_guard_free);
      if (guard->refuse)
        g_signal_connect (message, "got-headers",
                          G_CALLBACK (on_got_headers_refuse_cross_origin), guard);
      /* With refuse too: whatever slips past the refusal still leaves the secrets here. */
      if (guard->secrets->len > 0)
        g_signal_connect (message, "restarted", G_CALLBACK (on_restarted_drop_secrets), guard);
    }

  if (self->body != NULL)
    soup_message_set_request_body_from_bytes (message, self->content_type, self->body);

  if (self->insecure)
    g_signal_connect (message, "accept-certificate", G_CALLBACK (accept_any_certificate), NULL);

  return message;
}

/* Longer reason phrases are cut: the status line says what went wrong, not a page of text */
#define MAX_REASON_PHRASE 200

/* "HTTP 500 Internal Server Error": the status in words, for status items and errors. */
char *
fw_http_describe_status (SoupMessage *message)
{
  const char *refusal = g_object_get_data (G_OBJECT (message), REFUSAL_KEY);

  if (refusal != NULL)
    return g_strdup (refusal);
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
  g_autofree char *safe = NULL;
  const char *phrase = reason_phrase;

  /* The server's words reach status items, --print's JSON, stderr and the sidebar: no escape
   * sequences, no invalid UTF-8, one short line. */
  if (phrase != NULL && phrase[0] != '\0')
    phrase = safe = fw_safe_text (phrase, strlen (phrase), MAX_REASON_PHRASE);
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

      return g_strdup_printf (_("the TLS certificate of %s is not valid (%s); add "
                                "#insecure=1 to the feed to accept it anyway"),
                              host, error->message);
    }

  return g_strdup (error->message);
}

/* ---------------------------------------------------------------------------------------- */
/* The options' schema (fw-feed-kind.h), shared by the network kinds */

static const char * const cross_origin_choices[] = { "drop", "refuse", NULL };

/* Every network kind, WebSockets too */
const FwFeedOption fw_http_connection_options[] = {
  { .key = "header.", .type = FW_FEED_OPTION_STRING,
    .flags = FW_FEED_OPTION_PREFIX | FW_FEED_OPTION_CONNECTION,
    .help = N_("An extra request header (header.NAME=VALUE); secret ones go only to the "
               "feed's own origin") },
  { .key = "retry", .type = FW_FEED_OPTION_MILLISECONDS, .flags = FW_FEED_OPTION_CONNECTION,
    .help = N_("Milliseconds before reconnecting (for SSE, instead of the server's retry:)") },
  { .key = "retry-max", .type = FW_FEED_OPTION_MILLISECONDS, .flags = FW_FEED_OPTION_CONNECTION,
    .default_value = "60000",
    .help = N_("The longest wait between reconnections, in milliseconds") },
  { .key = "insecure", .type = FW_FEED_OPTION_BOOL, .flags = FW_FEED_OPTION_CONNECTION,
    .default_value = "0", .help = N_("Accept an invalid TLS certificate") },
  { NULL }
};

/* The kinds that make plain HTTP requests */
const FwFeedOption fw_http_request_options[] = {
  { .key = "method", .type = FW_FEED_OPTION_STRING, .flags = FW_FEED_OPTION_CONNECTION,
    .help = N_("The request method (GET, or POST when there is a body)") },
  { .key = "body", .type = FW_FEED_OPTION_STRING, .flags = FW_FEED_OPTION_CONNECTION,
    .help = N_("The request body") },
  { .key = "content-type", .type = FW_FEED_OPTION_STRING, .flags = FW_FEED_OPTION_CONNECTION,
    .default_value = "application/json", .help = N_("The body's type") },
  { .key = "last-event-id", .type = FW_FEED_OPTION_STRING, .flags = FW_FEED_OPTION_CONNECTION,
    .help = N_("The event ID to resume from (SSE)") },
  { .key = "follow-cross-origin", .type = FW_FEED_OPTION_CHOICE,
    .flags = FW_FEED_OPTION_CONNECTION, .default_value = "drop",
    .choices = cross_origin_choices,
    .help = N_("A redirect to another origin: follow it without the secret headers (drop) or "
               "stop the feed (refuse)") },
  { NULL }
};
