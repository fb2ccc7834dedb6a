/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-json-item.c: see fw-json-item.h.
 *
 * Level keys: level, severity, lvl, priority, loglevel (any case). Numbers are syslog
 * priorities (0 emerg … 7 debug) for `priority` and for values below 10, else Bunyan/pino
 * levels (10 trace … 60 fatal). Message keys: message, msg, text, log (any case, so the
 * journal's MESSAGE counts). A top-level string `type` (Kubernetes watch events) becomes the
 * item's name. Time keys: time, timestamp, @timestamp, ts, datetime (any case): an RFC 3339 or
 * ISO 8601 string (fw-log-time.c reads it), or a number of seconds, milliseconds, microseconds
 * or nanoseconds since the epoch (told apart by size), become the item's source time. */

#include "fw-json-item.h"
#include "fw-log-time.h"

#include <string.h>

static const char * const level_keys[] = { "level", "severity", "lvl", "priority", "loglevel" };
static const char * const message_keys[] = { "message", "msg", "text", "log" };
static const char * const time_keys[] = { "time", "timestamp", "@timestamp", "ts", "datetime" };

/* A number since the epoch, in the unit its size says: seconds until the year 5138, then
 * milliseconds, microseconds, nanoseconds */
static gint64
epoch_number_to_us (double n)
{
  if (!(n > 0) || n >= 9e18)
    return 0;
  if (n < 1e11)
    return (gint64) (n * G_USEC_PER_SEC);
  if (n < 1e14)
    return (gint64) (n * 1000);
  if (n < 1e17)
    return (gint64) n;
  return (gint64) (n / 1000);
}

static gint64
time_from_node (JsonNode *node,
                gint64    now_us)
{
  if (!JSON_NODE_HOLDS_VALUE (node))
    return 0;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      {
        const char *text = json_node_get_string (node);
        FwLogClock clock;
        gint64 time_us = 0;

        fw_log_clock_init (&clock, NULL);
        if (!fw_log_clock_read (&clock, text, strlen (text), now_us, &time_us))
          time_us = 0;
        fw_log_clock_clear (&clock);
        return time_us;
      }
    case G_TYPE_INT64:
      return epoch_number_to_us ((double) json_node_get_int (node));
    case G_TYPE_DOUBLE:
      return epoch_number_to_us (json_node_get_double (node));
    default:
      return 0;
    }
}

/* Up to four hex digits of a \u escape, read as json-glib 1.6's scanner reads them: the
 * character that stops the run is consumed too, even a closing quote. */
static gunichar
scan_hex4 (const guchar *s,
           gsize        *i,
           gsize         len)
{
  gunichar u = 0;

  for (guint n = 0; n < 4 && *i < len; n++)
    {
      guchar c = s[(*i)++];

      if (!g_ascii_isxdigit (c))
        break;
      u += (gunichar) g_ascii_xdigit_value (c) << ((3 - n) * 4);
    }
  return u;
}

static gboolean
is_hex4 (const guchar *s,
         gsize         i,
         gsize         len)
{
  return i + 4 <= len && g_ascii_isxdigit (s[i]) && g_ascii_isxdigit (s[i + 1]) &&
         g_ascii_isxdigit (s[i + 2]) && g_ascii_isxdigit (s[i + 3]);
}

/* Skips a double-quoted string whose opening quote is just before s[i]; returns the index
 * after its closing quote, or @len when the scanner would fail inside it (the parse ends
 * there). This follows json-glib 1.6's scanner, not the JSON grammar: a backslash escapes any
 * byte, a short \u escape swallows the character after its digits, and after a surrogate it
 * consumes one or two more characters looking for a second \u escape, so "\ud800" does
 * not end at its last quote, and "\ud800XYZ" loses its X.
 *
 * A lone surrogate escape (a high one not followed by a low one's escape, or a low one) sets
 * @lone. With @fix (a copy of the text), its digits are rewritten there to U+FFFD's and the
 * scan goes on as the scanner will read the fixed text. */
static gsize
skip_dq_string (const guchar *s,
                gsize         i,
                gsize         len,
                guchar       *fix,
                gboolean     *lone)
{
  while (i < len && s[i] != '\0')
    {
      guchar c = s[i++];
      gunichar high, low;
      gsize digits;

      if (c == '"')
        return i;
      if (c != '\\')
        continue;
      if (i >= len)
        break;
      c = s[i++];
      if (c != 'u' || i >= len || !g_ascii_isxdigit (s[i]))
        continue;
      digits = i;
      high = scan_hex4 (s, &i, len);
      if (high < 0xd800 || high > 0xdfff)
        continue;
      if (lone != NULL && is_hex4 (s, digits, len))
        {
          if (high <= 0xdbff && i + 2 <= len && s[i] == '\\' && s[i + 1] == 'u' &&
              is_hex4 (s, i + 2, len))
            {
              gsize j = i + 2;

              low = scan_hex4 (s, &j, len);
              if (low >= 0xdc00 && low <= 0xdfff)
                {
                  i = j;
                  continue;
                }
            }
          *lone = TRUE;
          if (fix == NULL)
            return len;
          memcpy (fix + digits, "fffd", 4);
          continue;
        }
      if (i < len && s[i++] == '\\' && i < len && s[i++] == 'u')
        {
          low = scan_hex4 (s, &i, len);
          if (high > 0xdbff || low < 0xdc00 || low > 0xdfff)
            break;
        }
    }
  return len;
}

/* fw_json_check_shape(), and with @lone (see skip_dq_string()) the lone surrogate escapes:
 * without @fix the scan stops at the first one (its answer then says nothing), with it they
 * are fixed in @fix and the answer is about the fixed text. */
static gboolean
scan_shape (const guchar *s,
            gsize         len,
            guint         max_depth,
            guchar       *fix,
            gboolean     *lone)
{
  guint depth = 0;
  gboolean seen_value = FALSE;
  gsize i = 0;

  /* json-glib skips a UTF-8 byte order mark */
  if (len >= 3 && memcmp (s, "\xef\xbb\xbf", 3) == 0)
    i = 3;

  while (i < len)
    {
      guchar c = s[i++];

      switch (c)
        {
        case '\0':
          /* the scanner's end of input */
          return TRUE;
        case '"':
          i = skip_dq_string (s, i, len, fix, lone);
          if (lone != NULL && *lone && fix == NULL)
            return TRUE;
          seen_value = TRUE;
          break;
        case '\'':
          /* no escapes in these: "\ud800" stays six characters */
          while (i < len && s[i] != '\'' && s[i] != '\0')
            i++;
          if (i >= len || s[i] == '\0')
            return TRUE;
          i++;
          seen_value = TRUE;
          break;
        case '/':
          /* a comment, up to the next '/' (its configured end, "//\n", is read that way) */
          while (i < len && s[i] != '/' && s[i] != '\0')
            i++;
          if (i >= len || s[i] == '\0')
            return TRUE;
          i++;
          break;
        case '[':
        case '{':
          if ((depth == 0 && seen_value) || ++depth > max_depth)
            return FALSE;
          seen_value = TRUE;
          break;
        case ']':
        case '}':
          if (depth > 0)
            depth--;
          seen_value = TRUE;
          break;
        case ' ':
        case '\t':
        case '\n':
        case '\r':
          break;
        default:
          seen_value = TRUE;
          break;
        }
    }

  return TRUE;
}

/* Rejects, before json-glib 1.6 sees @text, the two shapes it mishandles. It parses
 * recursively, so a megabyte of '[' would exhaust the stack: brackets are counted outside
 * strings and comments, tokenised as its scanner does (which is more than JSON: strings in
 * single quotes, without escapes; a comment from a '/' to the next one). And after a
 * complete value it goes on to parse a following object or array, leaks it and accepts the
 * text ("1 {…}", "{…}{…}"): a bracket opening at the top level after anything else is
 * refused. (A scalar after a value gets json-glib's own clean error.) */
gboolean
fw_json_check_shape (const char *text,
                     gsize       len,
                     guint       max_depth)
{
  return scan_shape ((const guchar *) text, len, max_depth, NULL, NULL);
}

/**
 * fw_json_prepare:
 * @out_fixed: (out) (transfer full): %NULL, or the text to parse instead
 *
 * fw_json_check_shape(), and the third thing json-glib 1.6 gets wrong: a lone surrogate
 * escape ("A\ud800XYZ", "\udc00X") makes its scanner swallow the next character (or the
 * closing quote) and put invalid UTF-8 in the string. When @text has one, @out_fixed is a
 * copy (same length) where each reads \ufffd, the replacement character, and the shape is
 * that copy's. Text without one is not copied.
 *
 * Returns: %TRUE when json-glib may parse the text (or @out_fixed)
 */
gboolean
fw_json_prepare (const char  *text,
                 gsize        len,
                 guint        max_depth,
                 char       **out_fixed)
{
  const guchar *s = (const guchar *) text;
  gboolean lone = FALSE;
  gboolean ok;
  guchar *fix;

  *out_fixed = NULL;
  ok = scan_shape (s, len, max_depth, NULL, &lone);
  if (!lone)
    return ok;

  fix = g_malloc (len + 1);
  memcpy (fix, s, len);
  fix[len] = '\0';
  ok = scan_shape (s, len, max_depth, fix, &lone);
  *out_fixed = (char *) fix;
  return ok;
}

static FwLevel
level_from_number (gint64   n,
                   gboolean syslog)
{
  static const FwLevel syslog_levels[] = {
    FW_LEVEL_CRITICAL, FW_LEVEL_CRITICAL, FW_LEVEL_CRITICAL, FW_LEVEL_ERROR,
    FW_LEVEL_WARNING, FW_LEVEL_NOTICE, FW_LEVEL_INFO, FW_LEVEL_DEBUG,
  };

  if (n < 0)
    return FW_LEVEL_NONE;
  if (syslog || n < 10)
    return n < 8 ? syslog_levels[n] : FW_LEVEL_NONE;
  if (n < 20)
    return FW_LEVEL_TRACE;
  if (n < 30)
    return FW_LEVEL_DEBUG;
  if (n < 40)
    return FW_LEVEL_INFO;
  if (n < 50)
    return FW_LEVEL_WARNING;
  if (n < 60)
    return FW_LEVEL_ERROR;
  return FW_LEVEL_CRITICAL;
}

static FwLevel
level_from_node (JsonNode *node,
                 gboolean  syslog)
{
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_STRING)
        {
          const char *s = json_node_get_string (node);
          guint64 n;

          if (g_ascii_string_to_unsigned (s, 10, 0, 100, &n, NULL))
            return level_from_number ((gint64) n, syslog);
          return fw_level_from_string (s, -1);
        }
      if (type == G_TYPE_INT64)
        return level_from_number (json_node_get_int (node), syslog);
      if (type == G_TYPE_DOUBLE)
        {
          double value = json_node_get_double (node);

          /* Outside gint64's range the cast is undefined: clamp first (NaN is no level). */
          if (!(value > -1.0))
            return FW_LEVEL_NONE;
          return level_from_number (value < 100.0 ? (gint64) value : 100, syslog);
        }
    }

  return FW_LEVEL_NONE;
}

FwLevel
fw_json_level_from_node (JsonNode *node)
{
  return level_from_node (node, FALSE);
}

static gboolean
key_in (const char         *key,
        const char * const *keys,
        guint               n_keys)
{
  for (guint i = 0; i < n_keys; i++)
    {
      if (g_ascii_strcasecmp (key, keys[i]) == 0)
        return TRUE;
    }
  return FALSE;
}

static GVariant *
truncated_string (const char *s)
{
  g_autofree char *valid = NULL;
  gsize len;
  const char *end;

  /* json-glib 1.6 decodes some bad escapes, a lone low surrogate ("\udc00") or too few hex
   * digits ("\ud8zz"), to bytes that are not UTF-8. */
  if (!g_utf8_validate (s, -1, NULL))
    s = valid = g_utf8_make_valid (s, -1);
  len = strlen (s);

  if (len <= FW_JSON_ITEM_MAX_FIELD_BYTES)
    return g_variant_new_string (s);

  /* Cut on a character boundary so the variant stays valid UTF-8. */
  end = g_utf8_find_prev_char (s, s + FW_JSON_ITEM_MAX_FIELD_BYTES + 1);
  {
    g_autofree char *cut = g_strndup (s, end - s);
    return g_variant_new_string (cut);
  }
}

static GVariant *
scalar_to_variant (JsonNode *node)
{
  GType type;

  /* An object or array is kept as its JSON text: a field of its own, bounded like a string */
  if (JSON_NODE_HOLDS_OBJECT (node) || JSON_NODE_HOLDS_ARRAY (node))
    {
      g_autofree char *text = json_to_string (node, FALSE);
      return truncated_string (text);
    }
  if (!JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING)
    return truncated_string (json_node_get_string (node));
  if (type == G_TYPE_INT64)
    return g_variant_new_int64 (json_node_get_int (node));
  if (type == G_TYPE_DOUBLE)
    return g_variant_new_double (json_node_get_double (node));
  if (type == G_TYPE_BOOLEAN)
    return g_variant_new_boolean (json_node_get_boolean (node));

  return NULL;
}

/**
 * fw_json_item_new_from_node:
 * @node: a parsed JSON value
 * @raw: (nullable): its text, used as the item's text when it has no message; %NULL to
 *   serialize @node instead
 *
 * Returns: (transfer full): a %FW_ITEM_MESSAGE with level, name and fields picked
 */
FwItem *
fw_json_item_new_from_node (GRefString *feed,
                            gint64      time_us,
                            JsonNode   *node,
                            const char *raw,
                            gssize      raw_len)
{
  g_autofree char *serialized = NULL;
  g_autofree char *valid_message = NULL;
  const char *message = NULL;
  const char *type_name = NULL;
  FwLevel level = FW_LEVEL_NONE;
  gint64 source_time_us = 0;
  /* Built as an array of entries: GVariantBuilder's "{sv}" format parsing cost more than
   * json-glib's parse of the whole line. */
  GVariant *fields[FW_JSON_ITEM_MAX_FIELDS];
  guint n_fields = 0;
  FwItem *item;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      JsonObjectIter iter;
      const char *key;
      JsonNode *member;

      json_object_iter_init_ordered (&iter, object);
      while (json_object_iter_next_ordered (&iter, &key, &member))
        {
          GVariant *value;

          if (level == FW_LEVEL_NONE && key_in (key, level_keys, G_N_ELEMENTS (level_keys)))
            level = level_from_node (member, g_ascii_strcasecmp (key, "priority") == 0);
          else if (message == NULL &&
                   key_in (key, message_keys, G_N_ELEMENTS (message_keys)) &&
                   JSON_NODE_HOLDS_VALUE (member) &&
                   json_node_get_value_type (member) == G_TYPE_STRING)
            message = json_node_get_string (member);
          else if (type_name == NULL && g_str_equal (key, "type") &&
                   JSON_NODE_HOLDS_VALUE (member) &&
                   json_node_get_value_type (member) == G_TYPE_STRING &&
                   strlen (json_node_get_string (member)) <= 64 &&
                   g_utf8_validate (json_node_get_string (member), -1, NULL))
            type_name = json_node_get_string (member);
          else if (source_time_us == 0 && key_in (key, time_keys, G_N_ELEMENTS (time_keys)))
            source_time_us = time_from_node (member, time_us);

          /* A bounded number of them, each bounded: size stays bounded. */
          if (n_fields >= FW_JSON_ITEM_MAX_FIELDS)
            continue;
          value = scalar_to_variant (member);
          if (value != NULL && g_utf8_validate (key, -1, NULL))
            fields[n_fields++] = g_variant_new_dict_entry (g_variant_new_string (key),
                                                           g_variant_new_variant (value));
          else if (value != NULL)
            g_variant_unref (g_variant_ref_sink (value));
        }
    }

  /* Strings from json-glib need not be UTF-8 (see truncated_string()); items' text must be. */
  if (message != NULL && !g_utf8_validate (message, -1, NULL))
    message = valid_message = g_utf8_make_valid (message, -1);

  if (message != NULL)
    item = fw_item_new (FW_ITEM_MESSAGE, feed, time_us, message, -1);
  else if (raw != NULL)
    item = fw_item_new (FW_ITEM_MESSAGE, feed, time_us, raw, raw_len);
  else
    {
      serialized = json_to_string (node, FALSE);
      item = fw_item_new (FW_ITEM_MESSAGE, feed, time_us, serialized, -1);
    }

  fw_item_set_level (item, level);
  item->source_time_us = source_time_us;
  if (type_name != NULL)
    fw_item_set_name (item, type_name);
  if (n_fields > 0)
    fw_item_take_fields (item, g_variant_new_array (G_VARIANT_TYPE ("{sv}"), fields, n_fields));

  return item;
}

static gboolean
is_blank (const char *text,
          gsize       len)
{
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isspace (text[i]))
        return FALSE;
    }
  return TRUE;
}

/* One parser per thread, reused: a new JsonParser per line costs a fifth of the parse. The
 * tree of the last line stays with it until the next; nothing outside this file sees it. */
static JsonParser *
thread_parser (void)
{
  static GPrivate key = G_PRIVATE_INIT (g_object_unref);
  JsonParser *parser = g_private_get (&key);

  if (parser == NULL)
    {
      parser = json_parser_new_immutable ();
      g_private_set (&key, parser);
    }

  return parser;
}

/**
 * fw_json_item_parse:
 * @text: one JSON value (a line without its newline); need not be NUL-terminated
 * @out_invalid: (out) (optional): set to %TRUE when @text was not JSON
 *
 * A line that is not JSON is never an error: it becomes a %FW_ITEM_LINE with its text made
 * valid UTF-8, and @out_invalid says so (the caller counts them).
 *
 * Returns: (transfer full) (nullable): the item, or %NULL for a blank line
 */
FwItem *
fw_json_item_parse (GRefString *feed,
                    gint64      time_us,
                    const char *text,
                    gsize       len,
                    gboolean   *out_invalid)
{
  g_autofree char *fixed = NULL;
  JsonParser *parser;
  JsonNode *root;

  if (out_invalid != NULL)
    *out_invalid = FALSE;

  while (len > 0 && (text[len - 1] == '\r' || text[len - 1] == '\n'))
    len--;
  if (is_blank (text, len))
    return NULL;

  if (len <= G_MAXSSIZE && g_utf8_validate (text, len, NULL) &&
      memchr (text, '\0', len) == NULL &&
      fw_json_prepare (text, len, FW_JSON_ITEM_MAX_DEPTH, &fixed))
    {
      parser = thread_parser ();
      if (json_parser_load_from_data (parser, fixed != NULL ? fixed : text, (gssize) len, NULL) &&
          (root = json_parser_get_root (parser)) != NULL)
        return fw_json_item_new_from_node (feed, time_us, root, text, (gssize) len);
    }

  if (out_invalid != NULL)
    *out_invalid = TRUE;

  {
    g_autofree char *valid = g_utf8_make_valid (text, (gssize) len);
    return fw_item_new (FW_ITEM_LINE, feed, time_us, valid, -1);
  }
}

/**
 * fw_json_lookup_path:
 * @path: member names joined by '.', e.g. "links.next"
 *
 * Returns: (transfer none) (nullable): the node, or %NULL when a step is missing
 */
JsonNode *
fw_json_lookup_path (JsonNode   *root,
                     const char *path)
{
  JsonNode *node = root;
  const char *p = path;

  if (root == NULL || path == NULL)
    return NULL;
  if (path[0] == '\0' || g_str_equal (path, "."))
    return root;

  while (node != NULL && *p != '\0')
    {
      const char *dot = strchr (p, '.');
      gsize n = dot != NULL ? (gsize) (dot - p) : strlen (p);
      g_autofree char *name = g_strndup (p, n);

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return NULL;
      node = json_object_get_member (json_node_get_object (node), name);
      p += n;
      if (*p == '.')
        p++;
    }

  return node;
}

/**
 * fw_json_node_dup_scalar:
 *
 * Returns: (transfer full) (nullable): a string, integer or boolean as text (an id or a
 *   cursor), or %NULL for null, objects and arrays
 */
char *
fw_json_node_dup_scalar (JsonNode *node)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (type == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (type == G_TYPE_DOUBLE)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
    }
  if (type == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? "true" : "false");

  return NULL;
}
