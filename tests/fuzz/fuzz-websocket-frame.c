/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-websocket-frame.c: libFuzzer target for the WebSocket frame decoder. Beyond "no crash,
 * no leak", it checks the decoder's promises on every input: the messages, and the protocol
 * error if any, are the same whether the bytes come whole, one at a time or in uneven chunks;
 * every text message and close reason is valid UTF-8 (U+0000 allowed) and every close code
 * one a peer may send; an error's code is a close code to answer with; what is buffered stays
 * within the message cap. The same bytes also go through the client encoder, which must give
 * them back unmasked. test-fuzz-corpus replays the seed corpus through this same function, so
 * the checks run in every `meson test` too. */

#include "fw-websocket-frame.h"
#include "fuzz-oracle.h"

#include <string.h>

#ifndef FW_FUZZ_ENTRY
#define FW_FUZZ_ENTRY LLVMFuzzerTestOneInput
#endif

#define FUZZ_MAX_MESSAGE 4096

static void
record_message (const FwWebsocketMessage *message,
                gpointer                  user_data)
{
  GString *log = user_data;

  /* Over the cap: delivered with its size, nothing kept */
  if (message->too_big)
    {
      if (message->len != 0 || message->size <= FUZZ_MAX_MESSAGE)
        g_error ("a message too big at %" G_GUINT64_FORMAT " bytes, with %zu kept",
                 message->size, message->len);
      g_string_append_printf (log, "%u too big %" G_GUINT64_FORMAT "|", message->opcode,
                              message->size);
      return;
    }

  switch (message->opcode)
    {
    case FW_WEBSOCKET_OPCODE_TEXT:
      if (!fw_fuzz_is_utf8_with_nul ((const char *) message->data, message->len))
        g_error ("a text message is not valid UTF-8");
      G_GNUC_FALLTHROUGH;
    case FW_WEBSOCKET_OPCODE_BINARY:
      if (message->len > FUZZ_MAX_MESSAGE)
        g_error ("a message of %zu bytes passed the cap", message->len);
      break;
    case FW_WEBSOCKET_OPCODE_PING:
    case FW_WEBSOCKET_OPCODE_PONG:
      if (message->len > FW_WEBSOCKET_MAX_CONTROL_PAYLOAD)
        g_error ("a control frame of %zu bytes", message->len);
      break;
    case FW_WEBSOCKET_OPCODE_CLOSE:
      if (!g_utf8_validate (message->close_reason, -1, NULL))
        g_error ("a close reason is not valid UTF-8");
      if (message->close_code != FW_WEBSOCKET_CLOSE_NO_STATUS &&
          !((message->close_code >= 1000 && message->close_code <= 1003) ||
            (message->close_code >= 1007 && message->close_code <= 1014) ||
            (message->close_code >= 3000 && message->close_code <= 4999)))
        g_error ("the close code %u passed", message->close_code);
      g_string_append_printf (log, "close %u %s|", message->close_code, message->close_reason);
      return;
    case FW_WEBSOCKET_OPCODE_CONTINUATION:
    default:
      g_error ("opcode %u delivered", message->opcode);
    }

  g_string_append_printf (log, "%u %zu ", message->opcode, message->len);
  /* U+0000 spelled out, so the logs compare as C strings. */
  for (gsize i = 0; i < message->len; i++)
    {
      if (message->data[i] == '\0')
        g_string_append (log, "\\0");
      else
        g_string_append_c (log, (char) message->data[i]);
    }
  g_string_append_c (log, '|');
}

static char *
decode (const guint8 *data,
        gsize         size,
        FwFuzzSplit   split)
{
  g_autoptr(FwWebsocketDecoder) decoder = fw_websocket_decoder_new (FUZZ_MAX_MESSAGE);
  GString *log = g_string_new (NULL);
  guint32 state = fw_fuzz_split_seed (size);
  gsize offset = 0;

  while (offset < size)
    {
      g_autoptr(GError) error = NULL;
      gsize n = fw_fuzz_next_piece (split, &state, size, offset);
      if (!fw_websocket_decoder_feed (decoder, data + offset, n, record_message, log, &error))
        {
          if (error == NULL || error->domain != FW_WEBSOCKET_FRAME_ERROR ||
              (error->code != FW_WEBSOCKET_CLOSE_PROTOCOL_ERROR &&
               error->code != FW_WEBSOCKET_CLOSE_BAD_DATA &&
               error->code != FW_WEBSOCKET_CLOSE_TOO_BIG))
            g_error ("a failure without a close code to answer with");
          g_string_append_printf (log, "error %d %s", error->code, error->message);
          break;
        }
      offset += n;

      /* The cap bounds memory: one message, one control payload, one header. */
      if (fw_websocket_decoder_get_buffered (decoder) > FUZZ_MAX_MESSAGE + 125 + 14)
        g_error ("buffered %zu bytes, over the bound",
                 fw_websocket_decoder_get_buffered (decoder));
    }

  g_string_append_printf (log, "|closed %d", fw_websocket_decoder_is_closed (decoder));
  return g_string_free (log, FALSE);
}

/* The encoder: a client frame of the input, unmasked, is the input. */
static void
check_encoder (const guint8 *data,
               gsize         size)
{
  g_autoptr(GBytes) frame = fw_websocket_encode_client_frame (FW_WEBSOCKET_OPCODE_BINARY,
                                                              data, size);
  gsize len;
  const guint8 *p = g_bytes_get_data (frame, &len);
  gsize at = (p[1] & 0x7f) == 127 ? 10 : (p[1] & 0x7f) == 126 ? 4 : 2;

  if (p[0] != 0x82 || !(p[1] & 0x80) || len != at + 4 + size)
    g_error ("the client frame of %zu bytes is malformed", size);
  for (gsize i = 0; i < size; i++)
    {
      if ((p[at + 4 + i] ^ p[at + (i & 3)]) != data[i])
        g_error ("the client frame does not unmask to its payload at %zu", i);
    }
}

int FW_FUZZ_ENTRY (const guint8 *data,
                   size_t        size);

int
FW_FUZZ_ENTRY (const guint8 *data,
               size_t        size)
{
  g_autofree char *whole = decode (data, size, FW_FUZZ_SPLIT_WHOLE);
  g_autofree char *bytes = decode (data, size, FW_FUZZ_SPLIT_BYTES);
  g_autofree char *uneven = decode (data, size, FW_FUZZ_SPLIT_UNEVEN);

  if (strcmp (whole, bytes) != 0 || strcmp (whole, uneven) != 0)
    g_error ("the messages depend on how the input was split:\nwhole:\n%s\nbytes:\n%s\n"
             "uneven:\n%s", whole, bytes, uneven);
  check_encoder (data, size);
  return 0;
}
