/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-websocket-frame.c: RFC 6455 frames (see the header).
 *
 * A frame wholly inside the chunk being fed that is a whole message (FIN, not a continuation)
 * is delivered in place, without a copy: with a reader that reads 64 KiB at a time that is
 * nearly every message. Only a message cut by a chunk's end or split into fragments is
 * gathered in `message`; control payloads are copied into `control` (125 bytes at most).
 * Memory is bounded by the message cap: a frame that would take the message over it is
 * known from its header, before any of its payload is kept; the rest of that message is then
 * read past and counted, not kept, and the message is delivered as too big, with its size.
 */

#include "config.h"

#include "fw-websocket-frame.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "fw-item.h"

#define MAX_HEADER 14   /* 2 + 8 bytes of length + 4 of mask */

/* RFC 6455 §1.3 */
#define ACCEPT_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

struct _FwWebsocketDecoder
{
  GByteArray *message;          /* the data message being gathered */
  gsize       max_message;
  guint64     remaining;        /* payload bytes of the current frame still to come */
  GError     *error;            /* the first protocol error: nothing is read after it */
  /* The same error in English, for the close frame: the server's log is not in our language,
   * and a close reason has at most 123 bytes. */
  char        close_reason[FW_WEBSOCKET_MAX_CONTROL_PAYLOAD - 1];
  guint8      header[MAX_HEADER];
  guint8      header_len;       /* bytes of the current frame's header so far */
  guint8      header_need;      /* its full size, known from its second byte */
  guint8      opcode;           /* of the current frame */
  guint8      message_opcode;   /* TEXT or BINARY while a message is open, else 0 */
  guint8      control[FW_WEBSOCKET_MAX_CONTROL_PAYLOAD + 1];
  guint8      control_len;
  guint       fin : 1;
  guint       in_payload : 1;   /* the header is read, the payload (maybe empty) is next */
  guint       closed : 1;       /* a close frame was delivered */
  guint       skipping : 1;     /* the open message is over the cap: its payload is dropped */
  guint64     skipped_len;      /* the size of the message being skipped, so far */
};

G_DEFINE_QUARK (fw-websocket-frame-error-quark, fw_websocket_frame_error)

/**
 * fw_websocket_decoder_new:
 * @max_message: the largest message accepted, in bytes; 0 for the default (1 MiB)
 */
FwWebsocketDecoder *
fw_websocket_decoder_new (gsize max_message)
{
  FwWebsocketDecoder *self = g_new0 (FwWebsocketDecoder, 1);

  self->message = g_byte_array_new ();
  self->max_message = max_message > 0 ? max_message : FW_WEBSOCKET_DECODER_DEFAULT_MAX;

  return self;
}

void
fw_websocket_decoder_free (FwWebsocketDecoder *self)
{
  if (self == NULL)
    return;

  g_byte_array_unref (self->message);
  g_clear_error (&self->error);
  g_free (self);
}

static void
clear_message (FwWebsocketDecoder *self)
{
  /* One huge message does not pin its memory for the life of the connection. */
  if (self->message->len > 256 * 1024)
    {
      g_byte_array_unref (self->message);
      self->message = g_byte_array_new ();
    }
  else
    g_byte_array_set_size (self->message, 0);
  self->message_opcode = 0;
  self->skipping = FALSE;
  self->skipped_len = 0;
}

/* For a new connection: everything of the last one is forgotten. */
void
fw_websocket_decoder_reset (FwWebsocketDecoder *self)
{
  clear_message (self);
  g_clear_error (&self->error);
  self->close_reason[0] = '\0';
  self->remaining = 0;
  self->header_len = 0;
  self->header_need = 0;
  self->control_len = 0;
  self->in_payload = FALSE;
  self->closed = FALSE;
}

/* A close frame was read: the server will send nothing more worth reading. */
/* The English words of the protocol error the decoder failed with, at most 123 bytes: the
 * reason to send in the close frame. "" when it has not failed. */
const char *
fw_websocket_decoder_get_close_reason (FwWebsocketDecoder *self)
{
  return self->close_reason;
}

gboolean
fw_websocket_decoder_is_closed (FwWebsocketDecoder *self)
{
  return self->closed;
}

/* Between messages: no frame or fragmented message was left unfinished. */
gboolean
fw_websocket_decoder_is_idle (FwWebsocketDecoder *self)
{
  return self->header_len == 0 && !self->in_payload && self->message_opcode == 0;
}

/* The bytes held for an unfinished message. */
gsize
fw_websocket_decoder_get_buffered (FwWebsocketDecoder *self)
{
  return self->message->len + self->control_len + self->header_len;
}

static const char *
opcode_name (guint opcode)
{
  switch (opcode)
    {
    case FW_WEBSOCKET_OPCODE_CONTINUATION:
      return "continuation";
    case FW_WEBSOCKET_OPCODE_TEXT:
      return "text";
    case FW_WEBSOCKET_OPCODE_BINARY:
      return "binary";
    case FW_WEBSOCKET_OPCODE_CLOSE:
      return "close";
    case FW_WEBSOCKET_OPCODE_PING:
      return "ping";
    case FW_WEBSOCKET_OPCODE_PONG:
      return "pong";
    default:
      return "unknown";
    }
}

static gboolean
is_control (guint opcode)
{
  return (opcode & 0x8) != 0;
}

static gboolean fail (FwWebsocketDecoder *self,
                      guint               code,
                      const char         *format,
                      ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (FwWebsocketDecoder *self,
      guint               code,
      const char         *format,
      ...)
{
  va_list args, english_args;
  gsize n;

  va_start (args, format);
  va_copy (english_args, args);
  self->error = g_error_new_valist (FW_WEBSOCKET_FRAME_ERROR, (int) code,
                                    g_dgettext (GETTEXT_PACKAGE, format), args);
  vsnprintf (self->close_reason, sizeof self->close_reason, format, english_args);
  va_end (english_args);
  va_end (args);

  /* Not cut inside a character: the reason must be valid UTF-8. */
  n = strlen (self->close_reason);
  if (n == sizeof self->close_reason - 1)
    {
      while (n > 0 && ((guint8) self->close_reason[n] & 0xC0) == 0x80)
        n--;
      self->close_reason[n] = '\0';
    }
  return FALSE;
}

/* The first two bytes: what can be refused before the length is known. */
static gboolean
check_start (FwWebsocketDecoder *self)
{
  guint8 b0 = self->header[0], b1 = self->header[1];
  guint opcode = b0 & 0x0F;
  guint len7 = b1 & 0x7F;

  if (b0 & 0x70)
    return fail (self, FW_WEBSOCKET_CLOSE_PROTOCOL_ERROR,
                 N_("a frame has reserved bits set (%#x), but no extension was negotiated"),
                 (guint) (b0 & 0x70));
  if (opcode > FW_WEBSOCKET_OPCODE_PONG ||
      (opcode > FW_WEBSOCKET_OPCODE_BINARY && opcode < FW_WEBSOCKET_OPCODE_CLOSE))
    return fail (self, FW_WEBSOCKET_CLOSE_PROTOCOL_ERROR,
                 N_("a frame has the unknown opcode %#x"), opcode);
  if (b1 & 0x80)
    return fail (self, FW_WEBSOCKET_CLOSE_PROTOCOL_ERROR,
                 N_("the server masked a frame, which only a client may do"));
  if (is_control (opcode))
    {
      if (!(b0 & FW_WEBSOCKET_FIN))
        return fail (self, FW_WEBSOCKET_CLOSE_PROTOCOL_ERROR,
                     N_("a %s frame is fragmented, which a control frame may not be"),
                     opcode_name (opcode));
      if (len7 > FW_WEBSOCKET_MAX_CONTROL_PAYLOAD)
        return fail (self, FW_WEBSOCKET_CLOSE_PROTOCOL_ERROR,
                     N_("a %s frame is longer than the 125 bytes a control frame may carry"),
                     opcode_name (opcode));
    }

  self->opcode = opcode;
  self->fin = (b0 & FW_WEBSOCKET_FIN) != 0;
  self->header_need = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0);
  return TRUE;
}

/* The whole header is in: the payload's length, and whether this frame fits the message. */
static gboolean
begin_payload (FwWebsocketDecoder *self)
{
  guint len7 = self->header[1] & 0x7F;
  guint64 len = len7;

  if (len7 == 126)
    len = ((guint64) self->header[2] << 8) | self->header[3];
  else if (len7 == 127)
    {
      if (self->header[2] & 0x80)
        return fail (self, FW_WEBSOCKET_CLOSE_PROTOCOL_ERROR,
                     N_("a frame length has its most significant bit set"));
      len = 0;
      for (guint i = 2; i < 10; i++)
        len = (len << 8) | self->header[i];
    }

  switch (self->opcode)
    {
    case FW_WEBSOCKET_OPCODE_CONTINUATION:
      if (self->message_opcode == 0)
        return fail (self, FW_WEBSOCKET_CLOSE_PROTOCOL_ERROR,
                     N_("a continuation frame came with no fragmented message to continue"));
      break;

    case FW_WEBSOCKET_OPCODE_TEXT:
    case FW_WEBSOCKET_OPCODE_BINARY:
      if (self->message_opcode != 0)
        return fail (self, FW_WEBSOCKET_CLOSE_PROTOCOL_ERROR,
                     N_("a new %s message began before the fragmented %s message ended"),
                     opcode_name (self->opcode), opcode_name (self->message_opcode));
      self->message_opcode = self->opcode;
      break;

    default:
      self->control_len = 0;
      break;
    }

  /* A message over the cap is legal, only too big to keep: its payload is read past. */
  if (!is_control (self->opcode) && !self->skipping &&
      len > self->max_message - self->message->len)
    {
      self->skipping = TRUE;
      self->skipped_len = self->message->len;
      g_byte_array_set_size (self->message, 0);
    }
  if (self->skipping && !is_control (self->opcode))
    self->skipped_len += len;

  self->remaining = len;
  self->in_payload = TRUE;
  return TRUE;
}

/* RFC 6455 §7.4: the codes a peer may send. 1012–1014 came later (IANA registry). */
static gboolean
is_valid_close_code (guint code)
{
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
         (code >= 3000 && code <= 4999);
}

static gboolean
deliver_data (FwWebsocketDecoder     *self,
              const guint8           *data,
              gsize                   len,
              FwWebsocketMessageFunc  func,
              gpointer                user_data)
{
  static const guint8 empty[1] = { 0 };
  /* An empty gathered message has no buffer: callers get a pointer all the same. */
  FwWebsocketMessage message = { .opcode = self->message_opcode,
                                 .data = data != NULL ? data : empty, .len = len };

  if (message.opcode == FW_WEBSOCKET_OPCODE_TEXT &&
      fw_utf8_valid_prefix (message.data, len) != len)
    return fail (self, FW_WEBSOCKET_CLOSE_BAD_DATA, N_("a text message is not valid UTF-8"));

  func (&message, user_data);
  return TRUE;
}

static gboolean
deliver_control (FwWebsocketDecoder     *self,
                 FwWebsocketMessageFunc  func,
                 gpointer                user_data)
{
  FwWebsocketMessage message = { .opcode = self->opcode, .data = self->control,
                                 .len = self->control_len };

  self->control[self->control_len] = '\0';
  if (self->opcode == FW_WEBSOCKET_OPCODE_CLOSE)
    {
      if (self->control_len == 1)
        return fail (self, FW_WEBSOCKET_CLOSE_PROTOCOL_ERROR,
                     N_("a close frame has a 1-byte payload, too short for its code"));
      if (self->control_len == 0)
        {
          message.close_code = FW_WEBSOCKET_CLOSE_NO_STATUS;
          message.close_reason = "";
        }
      else
        {
          message.close_code = ((guint) self->control[0] << 8) | self->control[1];
          message.close_reason = (const char *) self->control + 2;
          if (!is_valid_close_code (message.close_code))
            return fail (self, FW_WEBSOCKET_CLOSE_PROTOCOL_ERROR,
                         N_("a close frame has the code %u, which may not be sent"),
                         message.close_code);
          if (fw_utf8_valid_prefix (self->control + 2, self->control_len - 2) !=
              self->control_len - 2)
            return fail (self, FW_WEBSOCKET_CLOSE_BAD_DATA,
                         N_("a close frame's reason is not valid UTF-8"));
        }
      self->closed = TRUE;
    }

  func (&message, user_data);
  return TRUE;
}

/* The current frame's payload is all in (gathered, or at @direct when it was read in place). */
static gboolean
end_frame (FwWebsocketDecoder     *self,
           const guint8           *direct,
           gsize                   direct_len,
           FwWebsocketMessageFunc  func,
           gpointer                user_data)
{
  gboolean ok = TRUE;

  self->in_payload = FALSE;
  self->header_len = 0;
  self->header_need = 0;

  if (is_control (self->opcode))
    return deliver_control (self, func, user_data);

  if (!self->fin)
    return TRUE;
  if (self->skipping)
    {
      FwWebsocketMessage message = { .opcode = self->message_opcode, .data = self->control,
                                     .len = 0, .too_big = TRUE,
                                     .size = self->skipped_len };

      func (&message, user_data);
      clear_message (self);
      return TRUE;
    }
  if (direct != NULL)
    ok = deliver_data (self, direct, direct_len, func, user_data);
  else
    ok = deliver_data (self, self->message->data, self->message->len, func, user_data);
  if (ok)
    clear_message (self);
  return ok;
}

/**
 * fw_websocket_decoder_feed:
 * @data: the next bytes the server sent, any number
 * @func: called once per message or control frame, in order
 *
 * Returns: %FALSE with @error set (FW_WEBSOCKET_FRAME_ERROR, the close code to send) when
 *   the server broke the protocol; the messages before the fault were delivered. Bytes after
 *   a close frame are ignored.
 */
gboolean
fw_websocket_decoder_feed (FwWebsocketDecoder      *self,
                           const guint8            *data,
                           gsize                    len,
                           FwWebsocketMessageFunc   func,
                           gpointer                 user_data,
                           GError                 **error)
{
  const guint8 *p = data;
  const guint8 *end = data + len;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  while (self->error == NULL && !self->closed)
    {
      if (!self->in_payload)
        {
          gsize take;

          if (p == end)
            break;
          if (self->header_len < 2)
            {
              take = MIN (2u - self->header_len, (gsize) (end - p));
              memcpy (self->header + self->header_len, p, take);
              self->header_len += take;
              p += take;
              if (self->header_len < 2 || !check_start (self))
                continue;
            }
          take = MIN ((gsize) (self->header_need - self->header_len), (gsize) (end - p));
          memcpy (self->header + self->header_len, p, take);
          self->header_len += take;
          p += take;
          if (self->header_len < self->header_need || !begin_payload (self))
            continue;
        }

      /* Fast path: a whole unfragmented message in this chunk goes out without a copy. */
      if (!is_control (self->opcode) && self->fin && !self->skipping &&
          self->opcode != FW_WEBSOCKET_OPCODE_CONTINUATION && self->message->len == 0 &&
          self->remaining <= (guint64) (end - p))
        {
          const guint8 *payload = p;
          gsize n = (gsize) self->remaining;

          p += n;
          self->remaining = 0;
          end_frame (self, payload, n, func, user_data);
          continue;
        }

      if (self->remaining > 0)
        {
          gsize take;

          if (p == end)
            break;
          take = (gsize) MIN (self->remaining, (guint64) (end - p));
          if (is_control (self->opcode))
            {
              memcpy (self->control + self->control_len, p, take);
              self->control_len += take;
            }
          else if (!self->skipping)
            g_byte_array_append (self->message, p, take);
          p += take;
          self->remaining -= take;
          if (self->remaining > 0)
            break;
        }
      end_frame (self, NULL, 0, func, user_data);
    }

  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }
  return TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* Encoding */

/**
 * fw_websocket_append_frame:
 * @first_byte: FIN, the reserved bits and the opcode, as they go on the wire
 * @mask: (nullable) (array fixed-size=4): the masking key, %NULL for an unmasked frame (as a
 *   server sends; tests build them so)
 *
 * Appends one frame to @out, with the shortest length encoding.
 */
void
fw_websocket_append_frame (GByteArray   *out,
                           guint8        first_byte,
                           const guint8 *mask,
                           const guint8 *payload,
                           gsize         len)
{
  guint8 header[MAX_HEADER];
  guint8 mask_bit = mask != NULL ? 0x80 : 0;
  gsize n = 0;
  guint start;

  header[n++] = first_byte;
  if (len < 126)
    header[n++] = mask_bit | (guint8) len;
  else if (len <= G_MAXUINT16)
    {
      header[n++] = mask_bit | 126;
      header[n++] = (guint8) (len >> 8);
      header[n++] = (guint8) len;
    }
  else
    {
      header[n++] = mask_bit | 127;
      for (int shift = 56; shift >= 0; shift -= 8)
        header[n++] = (guint8) ((guint64) len >> shift);
    }
  if (mask != NULL)
    {
      memcpy (header + n, mask, 4);
      n += 4;
    }
  g_byte_array_append (out, header, n);

  start = out->len;
  if (len > 0)
    g_byte_array_append (out, payload, len);
  if (mask != NULL)
    {
      for (gsize i = 0; i < len; i++)
        out->data[start + i] ^= mask[i & 3];
    }
}

/**
 * fw_websocket_encode_client_frame:
 * @opcode: TEXT, BINARY, PING or PONG (at most 125 bytes for the last two)
 *
 * Returns: (transfer full): one final frame, masked with a fresh random key as a client's
 *   must be (RFC 6455 §5.3)
 */
GBytes *
fw_websocket_encode_client_frame (FwWebsocketOpcode  opcode,
                                  const guint8      *payload,
                                  gsize              len)
{
  GByteArray *out;
  guint32 key = g_random_int ();
  guint8 mask[4];

  g_return_val_if_fail (!is_control (opcode) || len <= FW_WEBSOCKET_MAX_CONTROL_PAYLOAD, NULL);

  memcpy (mask, &key, 4);
  out = g_byte_array_sized_new ((guint) MIN (len + MAX_HEADER, G_MAXUINT));
  fw_websocket_append_frame (out, FW_WEBSOCKET_FIN | opcode, mask, payload, len);
  return g_byte_array_free_to_bytes (out);
}

/**
 * fw_websocket_encode_close:
 * @code: the close code, or 0 for a close frame without one
 * @reason: (nullable): the reason, cut to fit the frame at a character boundary
 *
 * Returns: (transfer full): a masked close frame
 */
GBytes *
fw_websocket_encode_close (guint       code,
                           const char *reason)
{
  guint8 payload[FW_WEBSOCKET_MAX_CONTROL_PAYLOAD];
  gsize len = 0;

  if (code != 0)
    {
      payload[len++] = (guint8) (code >> 8);
      payload[len++] = (guint8) code;
      if (reason != NULL)
        {
          gsize room = sizeof payload - len;
          gsize n = strlen (reason);

          if (n > room)
            {
              /* Back off to the start of a character. */
              n = room;
              while (n > 0 && ((guint8) reason[n] & 0xC0) == 0x80)
                n--;
            }
          memcpy (payload + len, reason, n);
          len += n;
        }
    }

  return fw_websocket_encode_client_frame (FW_WEBSOCKET_OPCODE_CLOSE, payload, len);
}

/* ---------------------------------------------------------------------------------------- */
/* Handshake */

/* A Sec-WebSocket-Key: 16 random bytes, base64 (RFC 6455 §4.1). */
char *
fw_websocket_new_key (void)
{
  guint8 nonce[16];

  for (guint i = 0; i < sizeof nonce; i += 4)
    {
      guint32 r = g_random_int ();
      memcpy (nonce + i, &r, 4);
    }
  return g_base64_encode (nonce, sizeof nonce);
}

/* The Sec-WebSocket-Accept a server must answer @key with: base64 (SHA-1 (key + GUID)). */
char *
fw_websocket_compute_accept (const char *key)
{
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize digest_len = sizeof digest;

  g_checksum_update (sha1, (const guchar *) key, -1);
  g_checksum_update (sha1, (const guchar *) ACCEPT_GUID, -1);
  g_checksum_get_digest (sha1, digest, &digest_len);
  return g_base64_encode (digest, digest_len);
}
