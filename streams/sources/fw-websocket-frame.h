/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-websocket-frame.h: RFC 6455 framing as a pure incremental unit, as fw-sse-parser.h is for
 * SSE: bytes in, messages out, no I/O, no main loop.
 *
 * The decoder reads what a server sends, in chunks of any size: 7-, 16- and 64-bit payload
 * lengths, fragmented messages (FIN and continuation frames) reassembled, control frames
 * (ping, pong, close: at most 125 bytes, never fragmented) delivered as they come, also between
 * the fragments of a message. A message over the size cap is legal but not kept: its payload
 * is read past and it is delivered as too big, with its size. The decoder refuses what a
 * client must refuse, each with words saying what was wrong and, as the error's code, the
 * close code to answer with: a masked frame, reserved bits (no extension is ever negotiated),
 * an unknown opcode, a continuation with nothing to continue, a text message or close reason
 * that is not UTF-8 (1007). After a close frame it reads nothing more; after an error it
 * stays failed until reset.
 *
 * The encoder writes client frames, always masked with a fresh random key.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FW_WEBSOCKET_FRAME_ERROR (fw_websocket_frame_error_quark ())

/**
 * FwWebsocketCloseCode:
 * The close codes of RFC 6455 §7.4.1. FW_WEBSOCKET_FRAME_ERROR's codes are the ones a
 * protocol error closes the connection with: PROTOCOL_ERROR or BAD_DATA.
 */
typedef enum
{
  FW_WEBSOCKET_CLOSE_NORMAL           = 1000,
  FW_WEBSOCKET_CLOSE_GOING_AWAY       = 1001,
  FW_WEBSOCKET_CLOSE_PROTOCOL_ERROR   = 1002,
  FW_WEBSOCKET_CLOSE_UNSUPPORTED_DATA = 1003,
  FW_WEBSOCKET_CLOSE_NO_STATUS        = 1005,
  FW_WEBSOCKET_CLOSE_ABNORMAL         = 1006,
  FW_WEBSOCKET_CLOSE_BAD_DATA         = 1007,
  FW_WEBSOCKET_CLOSE_POLICY_VIOLATION = 1008,
  FW_WEBSOCKET_CLOSE_TOO_BIG          = 1009,
  FW_WEBSOCKET_CLOSE_NO_EXTENSION     = 1010,
  FW_WEBSOCKET_CLOSE_SERVER_ERROR     = 1011,
} FwWebsocketCloseCode;

typedef enum
{
  FW_WEBSOCKET_OPCODE_CONTINUATION = 0x0,
  FW_WEBSOCKET_OPCODE_TEXT         = 0x1,
  FW_WEBSOCKET_OPCODE_BINARY       = 0x2,
  FW_WEBSOCKET_OPCODE_CLOSE        = 0x8,
  FW_WEBSOCKET_OPCODE_PING         = 0x9,
  FW_WEBSOCKET_OPCODE_PONG         = 0xA,
} FwWebsocketOpcode;

#define FW_WEBSOCKET_FIN                  0x80
#define FW_WEBSOCKET_MAX_CONTROL_PAYLOAD  125
#define FW_WEBSOCKET_DECODER_DEFAULT_MAX  (1024 * 1024)

/**
 * FwWebsocketMessage:
 * @opcode: TEXT or BINARY (a whole message, however many frames it came in), or CLOSE, PING,
 *   PONG
 * @data: the payload (for TEXT valid UTF-8, U+0000 allowed; not NUL-terminated)
 * @len: its length
 * @close_code: for CLOSE, the code, FW_WEBSOCKET_CLOSE_NO_STATUS when the frame had none
 * @close_reason: for CLOSE, the reason: valid UTF-8, NUL-terminated, "" when none
 * @too_big: for TEXT or BINARY, the message was over the cap and was dropped: @len is 0,
 *   @size its size (a text message's is not checked for UTF-8)
 * @size: with @too_big, the message's size in bytes
 *
 * Valid only during the callback.
 */
typedef struct
{
  FwWebsocketOpcode  opcode;
  const guint8      *data;
  gsize              len;
  guint              close_code;
  const char        *close_reason;
  gboolean           too_big;
  guint64            size;
} FwWebsocketMessage;

typedef void (*FwWebsocketMessageFunc) (const FwWebsocketMessage *message,
                                        gpointer                  user_data);

typedef struct _FwWebsocketDecoder FwWebsocketDecoder;

GQuark              fw_websocket_frame_error_quark     (void);

FwWebsocketDecoder *fw_websocket_decoder_new           (gsize                    max_message);
void                fw_websocket_decoder_free          (FwWebsocketDecoder      *self);
gboolean            fw_websocket_decoder_feed          (FwWebsocketDecoder      *self,
                                                        const guint8            *data,
                                                        gsize                    len,
                                                        FwWebsocketMessageFunc   func,
                                                        gpointer                 user_data,
                                                        GError                 **error);
void                fw_websocket_decoder_reset         (FwWebsocketDecoder      *self);
gboolean            fw_websocket_decoder_is_closed     (FwWebsocketDecoder      *self);
const char         *fw_websocket_decoder_get_close_reason (FwWebsocketDecoder   *self);
gboolean            fw_websocket_decoder_is_idle       (FwWebsocketDecoder      *self);
gsize               fw_websocket_decoder_get_buffered  (FwWebsocketDecoder      *self);

void                fw_websocket_append_frame          (GByteArray              *out,
                                                        guint8                   first_byte,
                                                        const guint8            *mask,
                                                        const guint8            *payload,
                                                        gsize                    len);
GBytes             *fw_websocket_encode_client_frame   (FwWebsocketOpcode        opcode,
                                                        const guint8            *payload,
                                                        gsize                    len);
GBytes             *fw_websocket_encode_close          (guint                    code,
                                                        const char              *reason);

/* The handshake's two computations (RFC 6455 §4.1, §4.2.2) */
char               *fw_websocket_new_key               (void);
char               *fw_websocket_compute_accept        (const char              *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwWebsocketDecoder, fw_websocket_decoder_free)

G_END_DECLS
