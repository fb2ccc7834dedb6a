/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-sse-parser.c: the event stream interpretation algorithm (see the header).
 *
 * Lines are split on the raw bytes and decoded one line at a time: CR and LF are never part of
 * a multi-byte UTF-8 sequence, and a line end always stops an unfinished sequence, so this
 * gives the same characters as decoding the whole stream first, without copying valid lines.
 * Complete lines inside a chunk are parsed in place; only a line cut by the chunk's end is
 * copied, into `line`.
 */

#include "fw-sse-parser.h"

#include <string.h>

#include "fw-item.h"

struct _FwSseParser
{
  GString  *line;            /* the start of a line cut by a chunk's end, raw bytes */
  GString  *data;            /* the data buffer: each data line followed by LF */
  GString  *type;            /* the event type buffer */
  GString  *id_buffer;       /* the last event ID buffer */
  GString  *last_event_id;   /* the last event ID string, set on dispatch */
  GString  *scratch;         /* a line repaired to valid UTF-8 */
  gsize     max_event_size;
  guint64   retry_ms;
  guint64   dropped;
  guint     has_retry : 1;
  guint     skip_lf : 1;         /* the last chunk ended with CR: an LF next is the same end */
  guint     first_line_done : 1; /* the BOM can only open the first line */
  guint     dropping : 1;        /* the event went over the cap: skip its data to its end */
  guint     line_overflow : 1;   /* the line being read went over the cap: skip it */
};

/**
 * fw_sse_parser_new:
 * @max_event_size: the most bytes one event may buffer, 0 for the default (16 MiB)
 */
FwSseParser *
fw_sse_parser_new (gsize max_event_size)
{
  FwSseParser *self = g_new0 (FwSseParser, 1);

  self->line = g_string_new (NULL);
  self->data = g_string_new (NULL);
  self->type = g_string_new (NULL);
  self->id_buffer = g_string_new (NULL);
  self->last_event_id = g_string_new (NULL);
  self->scratch = g_string_new (NULL);
  self->max_event_size = max_event_size > 0 ? max_event_size : FW_SSE_PARSER_DEFAULT_MAX_EVENT_SIZE;

  return self;
}

void
fw_sse_parser_free (FwSseParser *self)
{
  if (self == NULL)
    return;

  g_string_free (self->line, TRUE);
  g_string_free (self->data, TRUE);
  g_string_free (self->type, TRUE);
  g_string_free (self->id_buffer, TRUE);
  g_string_free (self->last_event_id, TRUE);
  g_string_free (self->scratch, TRUE);
  g_free (self);
}

/* g_string_truncate() without the call: every event empties its buffers. */
static inline void
truncate_buffer (GString *buffer,
                 gsize    len)
{
  buffer->len = MIN (len, buffer->len);
  buffer->str[buffer->len] = '\0';
}

/* Shrinks a buffer that once held a huge event, so one big event does not pin its memory. */
static void
clear_buffer (GString **buffer)
{
  if ((*buffer)->allocated_len > 64 * 1024)
    {
      g_string_free (*buffer, TRUE);
      *buffer = g_string_new (NULL);
    }
  else
    truncate_buffer (*buffer, 0);
}

/* The WHATWG UTF-8 decoder's error handling: one U+FFFD per maximal subpart of a valid
 * sequence, and the byte that broke a sequence is read again as the start of the next. */
static void
append_utf8_repaired (GString      *out,
                      const guint8 *p,
                      gsize         len)
{
  gsize i = 0;

  while (i < len)
    {
      gsize ok = fw_utf8_valid_prefix (p + i, len - i);
      guint8 c, lo = 0x80, hi = 0xBF;
      gsize need = 0, consumed = 1;

      g_string_append_len (out, (const char *) p + i, ok);
      i += ok;
      if (i >= len)
        break;

      c = p[i];
      if (c >= 0xC2 && c <= 0xDF)
        need = 1;
      else if (c >= 0xE0 && c <= 0xEF)
        {
          need = 2;
          lo = c == 0xE0 ? 0xA0 : 0x80;
          hi = c == 0xED ? 0x9F : 0xBF;
        }
      else if (c >= 0xF0 && c <= 0xF4)
        {
          need = 3;
          lo = c == 0xF0 ? 0x90 : 0x80;
          hi = c == 0xF4 ? 0x8F : 0xBF;
        }

      for (gsize k = 1; k <= need && i + k < len; k++)
        {
          guint8 b = p[i + k];

          if (b < lo || b > hi)
            break;
          consumed++;
          lo = 0x80;
          hi = 0xBF;
        }

      g_string_append_len (out, "\xEF\xBF\xBD", 3);
      i += consumed;
    }
}

/* g_string_append_len() without the call when there is room: the data of every event goes
 * through here. */
static inline void
append_bytes (GString    *buffer,
              const char *bytes,
              gsize       len)
{
  if (G_LIKELY (buffer->len + len < buffer->allocated_len))
    {
      memcpy (buffer->str + buffer->len, bytes, len);
      buffer->len += len;
      buffer->str[buffer->len] = '\0';
    }
  else
    g_string_append_len (buffer, bytes, len);
}

/* Whether a block has no byte ≥ 0x80: then none of its lines needs UTF-8 checking. */
static gboolean
is_ascii (const guint8 *p,
          gsize         len)
{
  guint64 acc = 0;
  gsize i = 0;

  for (; i + 32 <= len; i += 32)
    {
      guint64 w[4];

      memcpy (w, p + i, 32);
      acc |= w[0] | w[1] | w[2] | w[3];
    }
  for (; i < len; i++)
    acc |= p[i];
  return (acc & G_GUINT64_CONSTANT (0x8080808080808080)) == 0;
}

static gboolean
over_cap (FwSseParser *self,
          gsize        more)
{
  return self->data->len + self->type->len + more > self->max_event_size;
}

static void
start_dropping (FwSseParser *self)
{
  if (!self->dropping)
    self->dropped++;
  self->dropping = TRUE;
  clear_buffer (&self->data);
  clear_buffer (&self->type);
}

/* Dispatching sets the last event ID from the ID buffer, event or not. */
static inline void
settle_last_event_id (FwSseParser *self)
{
  if (self->last_event_id->len != self->id_buffer->len ||
      memcmp (self->last_event_id->str, self->id_buffer->str, self->id_buffer->len) != 0)
    g_string_assign (self->last_event_id, self->id_buffer->str);
}

static void
dispatch (FwSseParser    *self,
          FwSseEventFunc  func,
          gpointer        user_data)
{
  FwSseEvent event;

  settle_last_event_id (self);

  if (self->dropping || self->data->len == 0)
    {
      self->dropping = FALSE;
      clear_buffer (&self->data);
      truncate_buffer (self->type, 0);
      return;
    }

  /* Every data line added an LF: the last one goes. */
  truncate_buffer (self->data, self->data->len - 1);

  event.type_is_default = self->type->len == 0;
  event.type = event.type_is_default ? "message" : self->type->str;
  event.data = self->data->str;
  event.data_len = self->data->len;
  event.last_event_id = self->last_event_id->str;
  func (&event, user_data);

  clear_buffer (&self->data);
  truncate_buffer (self->type, 0);
}

static void
parse_retry (FwSseParser *self,
             const char  *value,
             gsize        len)
{
  guint64 ms = 0;

  if (len == 0)
    return;

  for (gsize i = 0; i < len; i++)
    {
      if (value[i] < '0' || value[i] > '9')
        return;
    }

  for (gsize i = 0; i < len; i++)
    {
      guint digit = value[i] - '0';

      /* Saturate: a retry of 10^30 ms means "very long", not a wrapped small number. */
      if (ms > (G_MAXUINT64 - digit) / 10)
        ms = G_MAXUINT64;
      else
        ms = ms * 10 + digit;
    }

  self->retry_ms = ms;
  self->has_retry = TRUE;
}

static void
process_line (FwSseParser    *self,
              const char     *line,
              gsize           len,
              gboolean        known_ascii,
              FwSseEventFunc  func,
              gpointer        user_data)
{
  const char *colon;
  const char *value;
  gsize field_len, value_len;

  /* The same rule as for a line cut by a chunk's end (append_partial_line), on the raw bytes,
   * so whether an event is dropped never depends on how the stream was split. */
  if (len + self->data->len + self->type->len > self->max_event_size)
    {
      start_dropping (self);
      self->first_line_done = TRUE;
      return;
    }

  if (!self->first_line_done)
    {
      self->first_line_done = TRUE;
      if (len >= 3 && memcmp (line, "\xEF\xBB\xBF", 3) == 0)
        {
          line += 3;
          len -= 3;
        }
    }

  if (len == 0)
    {
      dispatch (self, func, user_data);
      return;
    }

  if (line[0] == ':')
    return;

  if (!known_ascii && fw_utf8_valid_prefix ((const guint8 *) line, len) != len)
    {
      g_string_truncate (self->scratch, 0);
      append_utf8_repaired (self->scratch, (const guint8 *) line, len);
      line = self->scratch->str;
      len = self->scratch->len;
    }

  /* The line almost every event is made of */
  if (len >= 5 && memcmp (line, "data:", 5) == 0)
    {
      value = line + 5;
      value_len = len - 5;
      if (value_len > 0 && value[0] == ' ')
        {
          value++;
          value_len--;
        }
      if (self->dropping)
        return;
      if (over_cap (self, value_len + 1))
        {
          start_dropping (self);
          return;
        }
      append_bytes (self->data, value, value_len);
      append_bytes (self->data, "\n", 1);
      return;
    }

  colon = memchr (line, ':', len);
  if (colon != NULL)
    {
      field_len = colon - line;
      value = colon + 1;
      value_len = len - field_len - 1;
      if (value_len > 0 && value[0] == ' ')
        {
          value++;
          value_len--;
        }
    }
  else
    {
      field_len = len;
      value = line + len;
      value_len = 0;
    }

  switch (field_len)
    {
    case 4:
      if (memcmp (line, "data", 4) == 0 && !self->dropping)
        {
          if (over_cap (self, value_len + 1))
            {
              start_dropping (self);
              return;
            }
          append_bytes (self->data, value, value_len);
          append_bytes (self->data, "\n", 1);
        }
      break;

    case 5:
      if (memcmp (line, "event", 5) == 0 && !self->dropping)
        {
          if (over_cap (self, value_len) )
            {
              start_dropping (self);
              return;
            }
          g_string_truncate (self->type, 0);
          g_string_append_len (self->type, value, value_len);
        }
      else if (memcmp (line, "retry", 5) == 0)
        parse_retry (self, value, value_len);
      break;

    case 2:
      if (memcmp (line, "id", 2) == 0 && memchr (value, '\0', value_len) == NULL)
        {
          g_string_truncate (self->id_buffer, 0);
          g_string_append_len (self->id_buffer, value, value_len);
        }
      break;

    default:
      break;
    }
}

static void
append_partial_line (FwSseParser  *self,
                     const guint8 *p,
                     gsize         len)
{
  if (self->line_overflow || len == 0)
    return;

  if (self->line->len + len + self->data->len + self->type->len > self->max_event_size)
    {
      start_dropping (self);
      self->line_overflow = TRUE;
      clear_buffer (&self->line);
      return;
    }

  g_string_append_len (self->line, (const char *) p, len);
}

/**
 * fw_sse_parser_feed:
 * @data: the next bytes of the stream
 * @func: called for each event dispatched
 *
 * Parses @data, calling @func for each complete event, in order. What is left of an unfinished
 * line or event stays for the next call.
 */
void
fw_sse_parser_feed (FwSseParser    *self,
                    const guint8   *data,
                    gsize           len,
                    FwSseEventFunc  func,
                    gpointer        user_data)
{
  gsize i = 0;
  gsize lf = 0, cr = 0;
  gboolean lf_known = FALSE, cr_known = FALSE;
  gboolean ascii;

  if (len == 0)
    return;

  ascii = is_ascii (data, len);

  if (self->skip_lf)
    {
      self->skip_lf = FALSE;
      if (data[0] == '\n')
        i = 1;
    }

  while (i < len)
    {
      gsize eol;

      /* Remember where the next LF and CR are, so a stream that uses only one of them is
       * still scanned once, not once per line. */
      if (!lf_known || lf < i)
        {
          const guint8 *hit = memchr (data + i, '\n', len - i);
          lf = hit != NULL ? (gsize) (hit - data) : len;
          lf_known = TRUE;
        }
      if (!cr_known || cr < i)
        {
          const guint8 *hit = memchr (data + i, '\r', len - i);
          cr = hit != NULL ? (gsize) (hit - data) : len;
          cr_known = TRUE;
        }
      eol = MIN (lf, cr);

      if (eol == len)
        {
          append_partial_line (self, data + i, len - i);
          return;
        }

      if (self->line->len > 0 || self->line_overflow)
        {
          append_partial_line (self, data + i, eol - i);
          if (!self->line_overflow)
            process_line (self, self->line->str, self->line->len, FALSE, func, user_data);
          else
            self->first_line_done = TRUE;
          clear_buffer (&self->line);
          self->line_overflow = FALSE;
        }
      else if (ascii && data[eol] == '\n' && eol + 1 < len && data[eol + 1] == '\n' &&
               eol - i > 5 && eol - i < self->max_event_size &&
               self->data->len == 0 && self->type->len == 0 && !self->dropping &&
               self->first_line_done && memcmp (data + i, "data:", 5) == 0)
        {
          /* The event almost every stream is made of: one data line and the blank line that
           * ends it, whole in this chunk. What the two lines through process_line() and
           * dispatch() come to, with one scan for the line end instead of two: ASCII, so
           * valid UTF-8; under the cap, so kept; a message, as no type was set. */
          const char *value = (const char *) data + i + 5;
          gsize value_len = eol - i - 5;
          FwSseEvent event;

          if (value[0] == ' ')
            {
              value++;
              value_len--;
            }
          append_bytes (self->data, value, value_len);
          settle_last_event_id (self);
          event.type_is_default = TRUE;
          event.type = "message";
          event.data = self->data->str;
          event.data_len = value_len;
          event.last_event_id = self->last_event_id->str;
          func (&event, user_data);
          clear_buffer (&self->data);
          i = eol + 2;
          continue;
        }
      else
        {
          process_line (self, (const char *) data + i, eol - i, ascii, func, user_data);
        }

      i = eol + 1;
      if (data[eol] == '\r')
        {
          if (i == len)
            self->skip_lf = TRUE;
          else if (data[i] == '\n')
            i++;
        }
    }
}

/**
 * fw_sse_parser_end:
 *
 * The stream ended: an unfinished line or event is discarded, as the spec says.
 * Returns: whether something unfinished was discarded
 */
gboolean
fw_sse_parser_end (FwSseParser *self)
{
  gboolean discarded = self->line->len > 0 || self->line_overflow || self->data->len > 0 ||
                       self->type->len > 0 || self->dropping;

  fw_sse_parser_reset (self);
  return discarded;
}

/**
 * fw_sse_parser_reset:
 *
 * Prepares for a new connection: buffers emptied, BOM expected again; the last event ID and
 * the reconnection time stay.
 */
void
fw_sse_parser_reset (FwSseParser *self)
{
  clear_buffer (&self->line);
  clear_buffer (&self->data);
  clear_buffer (&self->scratch);
  g_string_truncate (self->type, 0);
  g_string_assign (self->id_buffer, self->last_event_id->str);
  self->skip_lf = FALSE;
  self->first_line_done = FALSE;
  self->dropping = FALSE;
  self->line_overflow = FALSE;
}

const char *
fw_sse_parser_get_last_event_id (FwSseParser *self)
{
  return self->last_event_id->str;
}

/* The ID to resume from (a feed's `last-event-id` option); one holding U+0000 cannot be set. */
void
fw_sse_parser_set_last_event_id (FwSseParser *self,
                                 const char  *id)
{
  g_string_assign (self->last_event_id, id != NULL ? id : "");
  g_string_assign (self->id_buffer, self->last_event_id->str);
}

/**
 * fw_sse_parser_get_retry:
 * @out_ms: (out): the reconnection time the stream set last
 *
 * Returns: whether the stream set one
 */
gboolean
fw_sse_parser_get_retry (FwSseParser *self,
                         guint64     *out_ms)
{
  if (self->has_retry && out_ms != NULL)
    *out_ms = self->retry_ms;
  return self->has_retry;
}

/* Events dropped for going over the size cap. */
guint64
fw_sse_parser_get_dropped (FwSseParser *self)
{
  return self->dropped;
}

/* Bytes held for the event being read, to check that memory stays bounded. */
gsize
fw_sse_parser_get_buffered (FwSseParser *self)
{
  return self->line->allocated_len + self->data->allocated_len + self->type->allocated_len +
         self->scratch->allocated_len;
}
