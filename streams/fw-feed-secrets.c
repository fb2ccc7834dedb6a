/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-feed-secrets.c: the credentials a feed carries, found where the user put them:
 *
 *   https://USER:PASSWORD@host/…            a URL's userinfo (a lone user too: often a token)
 *   https://host/…?token=VALUE              a URL query parameter with a credential's name
 *   …#header.Authorization=VALUE            a header option with a credential's name
 *
 * A feed is shown, printed and saved without them: redacted (each value masked, its name
 * kept so the user sees what is there) for the eye, with stand-ins where a store keeps the
 * values elsewhere (the window: the settings keep the feed, the keyring its secrets). A
 * stand-in is any value holding "%00": no credential can, since option values that decode to
 * NUL are refused and no header or server takes one, so the core tells stand-ins from
 * secrets without knowing which store made them. The scan follows fw_feed_spec_parse()'s rules for where a
 * URL and the options are, on the text itself, so the parts between secrets stay byte for
 * byte as the user wrote them and a split feed fills back to exactly what it was. */

#include "config.h"

#include "fw-feed-secrets.h"
#include "fw-feed-private.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

/* The catch-all masking in messages skips shorter values: replacing every "ab" would garble
 * the message while hiding nothing a guess would not find. */
#define MIN_MASKED_LEN 3

typedef struct
{
  char  *field; /* "user", "password", "query.NAME", "header.NAME", "option.NAME" */
  gsize  start; /* the value's bytes in the feed's text, as written */
  gsize  end;
} Slot;

/* Query parameters and options named so (case-insensitive), or containing one of the words */
static const char * const param_names[] = {
  "token", "access_token", "api_key", "apikey", "key", "password", "passwd", "secret", "auth",
  "signature", "sig", NULL
};
static const char * const param_words[] = {
  "token", "secret", "passw", "signature", "apikey", "api_key", "api-key", "credential", NULL
};
/* Header names containing one of these (Authorization, Proxy-Authorization, Cookie,
 * X-Api-Key, X-Auth-Token, …) */
static const char * const header_words[] = {
  "auth", "token", "secret", "key", "passw", "cookie", "session", "credential", NULL
};

static void
slot_clear (Slot *slot)
{
  g_free (slot->field);
}

static gboolean
contains_word (const char         *name,
               const char * const *words)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (strstr (lower, words[i]) != NULL)
        return TRUE;
    }
  return FALSE;
}

/**
 * fw_feed_spec_is_secret_header:
 * @name: an HTTP header name, in any case
 *
 * Tells which HTTP headers Feedwatch treats as secrets.
 *
 * Returns: whether a header so named carries a credential (Authorization, Cookie, X-Api-Key, …):
 *   masked when shown, kept in the keyring, sent only to the feed's own origin
 */
gboolean
fw_feed_spec_is_secret_header (const char *name)
{
  return contains_word (name, header_words);
}

static gboolean
is_secret_param (const char *name)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);

  return g_strv_contains (param_names, lower) || contains_word (lower, param_words);
}

static void
add_slot (GArray     *slots,
          const char *field,
          gsize       start,
          gsize       end)
{
  g_autofree char *unique = g_strdup (field);
  Slot slot;

  if (start == end)
    return; /* "?token=": nothing to hide */

  /* A name given twice ("?key=a&key=b") keeps both values apart: "key", "key~2", … */
  for (guint n = 2;; n++)
    {
      gboolean taken = FALSE;

      for (guint i = 0; i < slots->len && !taken; i++)
        taken = g_str_equal (g_array_index (slots, Slot, i).field, unique);
      if (!taken)
        break;
      g_free (unique);
      unique = g_strdup_printf ("%s~%u", field, n);
    }

  slot.field = g_steal_pointer (&unique);
  slot.start = start;
  slot.end = end;
  g_array_append_val (slots, slot);
}

/* key=value pairs between @start and @end: a URL's query, or the feed's options */
static void
scan_pairs (GArray     *slots,
            const char *text,
            const char *start,
            const char *end,
            gboolean    options)
{
  while (start < end)
    {
      const char *amp = memchr (start, '&', end - start);
      const char *pair_end = amp != NULL ? amp : end;
      const char *eq = memchr (start, '=', pair_end - start);

      if (eq != NULL)
        {
          g_autofree char *key = g_uri_unescape_segment (start, eq, NULL);
          g_autofree char *field = NULL;

          if (key == NULL)
            key = g_strndup (start, eq - start);
          if (options && g_str_has_prefix (key, "header."))
            {
              if (fw_feed_spec_is_secret_header (key + strlen ("header.")))
                field = g_strdup (key);
            }
          else if (is_secret_param (key))
            {
              field = g_strconcat (options ? "option." : "query.", key, NULL);
            }
          if (field != NULL)
            add_slot (slots, field, eq + 1 - text, pair_end - text);
        }
      start = pair_end + 1;
    }
}

static void
scan_url (GArray     *slots,
          const char *text,
          const char *url_end)
{
  const char *sep = g_strstr_len (text, url_end - text, "://");
  const char *authority;
  const char *authority_end;
  const char *at;
  const char *query;

  if (sep == NULL)
    return;

  authority = sep + 3;
  authority_end = authority;
  while (authority_end < url_end && strchr ("/?#", *authority_end) == NULL)
    authority_end++;

  at = g_strrstr_len (authority, authority_end - authority, "@");
  if (at != NULL)
    {
      const char *colon = memchr (authority, ':', at - authority);

      add_slot (slots, "user", authority - text, (colon != NULL ? colon : at) - text);
      if (colon != NULL)
        add_slot (slots, "password", colon + 1 - text, at - text);
    }

  query = memchr (authority_end, '?', url_end - authority_end);
  if (query != NULL)
    scan_pairs (slots, text, query + 1, url_end, FALSE);
}

/* Where the secrets of @text are, in the order they appear. */
static GArray *
find_slots (const char *text)
{
  GArray *slots = g_array_new (FALSE, FALSE, sizeof (Slot));
  const char *end = text + strlen (text);
  FwFeedScan scan;

  g_array_set_clear_func (slots, (GDestroyNotify) slot_clear);

  /* A path, a file: URI or a command line: nothing of ours to find in it. */
  fw_feed_scan (text, &scan);
  if (scan.kind_len == 0 || (!scan.is_url && scan.options == NULL))
    return slots;

  if (scan.is_url)
    scan_url (slots, text, scan.options != NULL ? scan.options : end);

  if (scan.options != NULL)
    scan_pairs (slots, text, scan.options + 1, end, TRUE);

  return slots;
}

static gboolean
slot_is (const char *text,
         const Slot *slot,
         const char *token)
{
  return slot->end - slot->start == strlen (token) &&
         memcmp (text + slot->start, token, slot->end - slot->start) == 0;
}

/* Holds @token as written or percent-encoded (an editor may encode the mask it shows). */
static gboolean
slot_holds (const char *text,
            const Slot *slot,
            const char *token)
{
  g_autofree char *decoded = NULL;

  if (slot_is (text, slot, token))
    return TRUE;
  decoded = g_uri_unescape_segment (text + slot->start, text + slot->end, NULL);
  return g_strcmp0 (decoded, token) == 0;
}

static gboolean
is_stand_in (const char *value,
             gsize       len)
{
  return g_strstr_len (value, len, "%00") != NULL;
}

static gboolean
slot_is_placeholder (const char *text,
                     const Slot *slot)
{
  return is_stand_in (text + slot->start, slot->end - slot->start);
}

/**
 * fw_feed_spec_find_secrets:
 * @text: a feed as the user wrote it
 *
 * Finds the credentials a feed carries: a URL's password, secret query parameters and headers.
 *
 * Returns: (transfer full) (element-type utf8 utf8): field ("password", "query.token",
 *   "header.Authorization", …) → the value as written in @text (percent-encoded where it was);
 *   empty when the feed carries none
 */
GHashTable *
fw_feed_spec_find_secrets (const char *text)
{
  GHashTable *secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GArray) slots = NULL;

  g_return_val_if_fail (text != NULL, secrets);

  slots = find_slots (text);
  for (guint i = 0; i < slots->len; i++)
    {
      const Slot *slot = &g_array_index (slots, Slot, i);

      if (!slot_is_placeholder (text, slot))
        g_hash_table_insert (secrets, g_strdup (slot->field),
                             g_strndup (text + slot->start, slot->end - slot->start));
    }

  return secrets;
}

/* @text with each secret replaced by @mask (stand-ins too when @mask_placeholders),
 * recording what it replaced in @secrets when given. */
static char *
replace_secrets (const char *text,
                 const char *mask,
                 gboolean    mask_placeholders,
                 GHashTable *secrets)
{
  g_autoptr(GArray) slots = find_slots (text);
  GString *out;
  gsize done = 0;

  if (slots->len == 0)
    return g_strdup (text);

  out = g_string_sized_new (strlen (text));
  for (guint i = 0; i < slots->len; i++)
    {
      const Slot *slot = &g_array_index (slots, Slot, i);
      gboolean placeholder = slot_is_placeholder (text, slot);

      g_string_append_len (out, text + done, slot->start - done);
      if (placeholder && !mask_placeholders)
        g_string_append_len (out, text + slot->start, slot->end - slot->start);
      else
        g_string_append (out, mask);
      if (secrets != NULL && !placeholder)
        g_hash_table_insert (secrets, g_strdup (slot->field),
                             g_strndup (text + slot->start, slot->end - slot->start));
      done = slot->end;
    }
  g_string_append (out, text + done);

  return g_string_free (out, FALSE);
}

/**
 * fw_feed_spec_redact:
 * @text: a feed as the user wrote it
 *
 * Masks a feed's secrets, for showing it.
 *
 * Returns: (transfer full): @text with each secret shown as %FW_FEED_SECRET_MASK: the feed's
 *   identity wherever it is shown. A feed without secrets comes back unchanged, and a redacted feed
 *   redacts to itself.
 */
char *
fw_feed_spec_redact (const char *text)
{
  g_return_val_if_fail (text != NULL, NULL);

  return replace_secrets (text, FW_FEED_SECRET_MASK, TRUE, NULL);
}

/**
 * fw_feed_spec_split_secrets:
 * @text: a feed as the user wrote it
 * @stand_in: what each secret is kept as; it must hold "%00", which no credential can
 * @secrets: (out) (transfer full) (element-type utf8 utf8): field → value as written
 *
 * Splits a feed into a text safe to store (in GSettings) and its secrets (for the keyring).
 *
 * Returns: (transfer full): @text with each secret replaced by @stand_in: the form to keep while
 *   the secrets are kept elsewhere. Stand-ins already there stay as they are.
 */
char *
fw_feed_spec_split_secrets (const char  *text,
                            const char  *stand_in,
                            GHashTable **secrets)
{
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (stand_in != NULL && is_stand_in (stand_in, strlen (stand_in)), NULL);
  g_return_val_if_fail (secrets != NULL, NULL);

  *secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return replace_secrets (text, stand_in, FALSE, *secrets);
}

/* @text with the secret slots that hold @token (a stand-in when %NULL) filled from @secrets
 * by field */
static char *
fill_slots (const char  *text,
            const char  *token,
            GHashTable  *secrets,
            GError     **error)
{
  g_autoptr(GArray) slots = find_slots (text);
  g_autoptr(GString) out = g_string_sized_new (strlen (text));
  gsize done = 0;

  for (guint i = 0; i < slots->len; i++)
    {
      const Slot *slot = &g_array_index (slots, Slot, i);
      const char *value;

      if (token != NULL ? !slot_holds (text, slot, token) : !slot_is_placeholder (text, slot))
        continue;

      value = g_hash_table_lookup (secrets, slot->field);
      if (value == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       _("no value for its %s was found"), slot->field);
          return NULL;
        }
      g_string_append_len (out, text + done, slot->start - done);
      g_string_append (out, value);
      done = slot->end;
    }
  g_string_append (out, text + done);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * fw_feed_spec_fill_secrets:
 * @stored: a feed from fw_feed_spec_split_secrets()
 * @secrets: (element-type utf8 utf8): field → value, as split off
 *
 * Puts secrets split off by fw_feed_spec_split_secrets() back into a stored feed.
 *
 * Returns: (transfer full) (nullable): the feed as the user wrote it, or %NULL with
 *   %G_IO_ERROR_NOT_FOUND when @secrets lacks a value a stand-in is there for
 */
char *
fw_feed_spec_fill_secrets (const char  *stored,
                           GHashTable  *secrets,
                           GError     **error)
{
  g_return_val_if_fail (stored != NULL, NULL);
  g_return_val_if_fail (secrets != NULL, NULL);

  return fill_slots (stored, NULL, secrets, error);
}

/**
 * fw_feed_spec_unmask:
 * @edited: a feed as shown (fw_feed_spec_redact()), then edited
 * @original: the feed before the edit, secrets and all
 *
 * A feed is edited as shown, its secrets masked: a mask the user left in place keeps the
 * secret of @original it stood for.
 *
 * Returns: (transfer full) (nullable): @edited with its secrets, or %NULL with
 *   %G_IO_ERROR_NOT_FOUND when a mask stands where @original had no secret
 */
char *
fw_feed_spec_unmask (const char  *edited,
                     const char  *original,
                     GError     **error)
{
  g_autoptr(GHashTable) secrets = NULL;

  g_return_val_if_fail (edited != NULL, NULL);
  g_return_val_if_fail (original != NULL, NULL);

  secrets = fw_feed_spec_find_secrets (original);
  return fill_slots (edited, FW_FEED_SECRET_MASK, secrets, error);
}

/**
 * fw_feed_spec_has_placeholders:
 * @text: a stored feed
 *
 * Tells whether a stored feed still waits for its secrets.
 *
 * Returns: whether @text still holds stand-ins (fw_feed_spec_split_secrets()) for secrets kept
 *   elsewhere
 */
gboolean
fw_feed_spec_has_placeholders (const char *text)
{
  g_autoptr(GArray) slots = NULL;

  g_return_val_if_fail (text != NULL, FALSE);

  if (strstr (text, "%00") == NULL)
    return FALSE;

  slots = find_slots (text);
  for (guint i = 0; i < slots->len; i++)
    {
      if (slot_is_placeholder (text, &g_array_index (slots, Slot, i)))
        return TRUE;
    }
  return FALSE;
}

static void
add_form (GPtrArray  *forms,
          const char *form)
{
  if (form == NULL || strlen (form) < MIN_MASKED_LEN || !g_utf8_validate (form, -1, NULL))
    return;
  for (guint i = 0; i < forms->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (forms, i), form))
        return;
    }
  g_ptr_array_add (forms, g_strdup (form));
}

static int
longest_first (gconstpointer a,
               gconstpointer b)
{
  gsize la = strlen (*(const char * const *) a);
  gsize lb = strlen (*(const char * const *) b);

  return la < lb ? 1 : la > lb ? -1 : 0;
}

/**
 * fw_feed_spec_mask:
 * @text: a feed as the user wrote it
 * @message: a text made from it (an error, a status)
 *
 * The catch-all for texts built from a feed's URL or headers: every secret of @text that
 * appears in @message, as written, decoded or percent-encoded (and the credentials of a
 * "Scheme credentials" header on their own), becomes %FW_FEED_SECRET_MASK.
 *
 * Returns: (transfer full): @message without the secrets of @text
 */
char *
fw_feed_spec_mask (const char *text,
                   const char *message)
{
  g_autoptr(GPtrArray) forms = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  if (message == NULL)
    return NULL;

  forms = fw_feed_secret_forms (text);
  return fw_feed_mask_with_forms (forms, message);
}

/* Returns: (transfer full) (element-type utf8): each form of each secret of @text that
 * fw_feed_spec_mask() looks for, longest first */
GPtrArray *
fw_feed_secret_forms (const char *text)
{
  g_autoptr(GHashTable) secrets = fw_feed_spec_find_secrets (text);
  GPtrArray *forms = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, secrets);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      g_autofree char *decoded = g_uri_unescape_string (value, NULL);
      g_autofree char *escaped = NULL;
      g_autofree char *escaped_userinfo = NULL;
      const char *space;

      add_form (forms, value);
      if (decoded == NULL)
        continue;
      escaped = g_uri_escape_string (decoded, NULL, FALSE);
      escaped_userinfo = g_uri_escape_string (decoded, G_URI_RESERVED_CHARS_ALLOWED_IN_USERINFO,
                                              FALSE);
      add_form (forms, decoded);
      add_form (forms, escaped);
      add_form (forms, escaped_userinfo);
      space = strrchr (decoded, ' ');
      if (space != NULL)
        add_form (forms, space + 1);
    }
  g_ptr_array_sort (forms, longest_first);

  return forms;
}

/* Returns: (transfer full) (nullable): @message with each of @forms masked */
char *
fw_feed_mask_with_forms (GPtrArray  *forms,
                         const char *message)
{
  GString *out;

  if (message == NULL)
    return NULL;
  if (forms == NULL || forms->len == 0)
    return g_strdup (message);

  out = g_string_sized_new (strlen (message));
  for (const char *p = message; *p != '\0';)
    {
      gboolean matched = FALSE;

      for (guint i = 0; i < forms->len && !matched; i++)
        {
          const char *form = g_ptr_array_index (forms, i);
          gsize len = strlen (form);

          if (strncmp (p, form, len) == 0)
            {
              g_string_append (out, FW_FEED_SECRET_MASK);
              p += len;
              matched = TRUE;
            }
        }
      if (!matched)
        g_string_append_c (out, *p++);
    }

  return g_string_free (out, FALSE);
}
