/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-websocket-frame.c: the RFC 6455 frame decoder and encoder alone: every length form,
 * a stream of every frame kind cut at every byte position (and byte by byte, and in random
 * chunks) decoding the same, fragmented messages with control frames between their pieces,
 * each protocol error with its close code and words, the size cap enforced from the header,
 * and the client frames the encoder writes (masked, shortest length) and the handshake key. */

#include "config.h"

#include "fw-websocket-frame.h"
#include "fw-test-util.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <locale.h>

#include <string.h>

/* ---------------------------------------------------------------------------------------- */
/* Helpers */

/* Server frames, as a peer sends them: unmasked. */
static void
add_frame (GByteArray *out,
           guint8      first_byte,
           const char *payload,
           gssize      len)
{
  fw_websocket_append_frame (out, first_byte, NULL, (const guint8 *) payload,
                             len < 0 ? (payload != NULL ? strlen (payload) : 0) : (gsize) len);
}

static void
add_close (GByteArray *out,
           guint       code,
           const char *reason)
{
  GByteArray *payload = g_byte_array_new ();
  guint8 be[2] = { code >> 8, code & 0xff };

  g_byte_array_append (payload, be, 2);
  g_byte_array_append (payload, (const guint8 *) reason, strlen (reason));
  fw_websocket_append_frame (out, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_CLOSE, NULL,
                             payload->data, payload->len);
  g_byte_array_unref (payload);
}

/* Each message as one line: "text:hello", "binary:3:010203", "close:1000:bye", "ping:…". */
static void
log_message (const FwWebsocketMessage *message,
             gpointer                  user_data)
{
  GString *log = user_data;

  if (message->too_big)
    {
      g_assert_cmpuint (message->len, ==, 0);
      g_string_append_printf (log, "%s-too-big:%" G_GUINT64_FORMAT "\n",
                              message->opcode == FW_WEBSOCKET_OPCODE_TEXT ? "text" : "binary",
                              message->size);
      return;
    }

  switch (message->opcode)
    {
    case FW_WEBSOCKET_OPCODE_TEXT:
      g_string_append (log, "text:");
      /* U+0000 as \0, so the log compares as a C string. */
      for (gsize i = 0; i < message->len; i++)
        {
          if (message->data[i] == '\0')
            g_string_append (log, "\\0");
          else
            g_string_append_c (log, (char) message->data[i]);
        }
      break;
    case FW_WEBSOCKET_OPCODE_BINARY:
      g_string_append_printf (log, "binary:%" G_GSIZE_FORMAT ":", message->len);
      for (gsize i = 0; i < MIN (message->len, 8); i++)
        g_string_append_printf (log, "%02x", message->data[i]);
      break;
    case FW_WEBSOCKET_OPCODE_PING:
    case FW_WEBSOCKET_OPCODE_PONG:
      g_string_append (log, message->opcode == FW_WEBSOCKET_OPCODE_PING ? "ping:" : "pong:");
      g_string_append_len (log, (const char *) message->data, message->len);
      break;
    case FW_WEBSOCKET_OPCODE_CLOSE:
      g_assert_true (g_utf8_validate (message->close_reason, -1, NULL));
      g_string_append_printf (log, "close:%u:%s", message->close_code, message->close_reason);
      break;
    case FW_WEBSOCKET_OPCODE_CONTINUATION:
    default:
      g_assert_not_reached ();
    }
  g_string_append_c (log, '\n');
}

/* Decodes @data fed in pieces cut at @cuts (sorted offsets); returns the log, and the error
 * (the code, or 0) through @out_code. */
static char *
decode_cut (const guint8 *data,
            gsize         len,
            const gsize  *cuts,
            guint         n_cuts,
            gsize         max_message,
            int          *out_code,
            char        **out_message)
{
  g_autoptr(FwWebsocketDecoder) decoder = fw_websocket_decoder_new (max_message);
  GString *log = g_string_new (NULL);
  gsize start = 0;
  int code = 0;

  for (guint i = 0; i <= n_cuts; i++)
    {
      gsize stop = i < n_cuts ? cuts[i] : len;
      g_autoptr(GError) error = NULL;

      /* An exact copy of the piece, so a read past its end is caught by ASan. */
      g_autofree guint8 *piece = g_memdup2 (data + start, MAX (stop - start, 1));

      if (!fw_websocket_decoder_feed (decoder, piece, stop - start, log_message, log, &error))
        {
          g_assert_error (error, FW_WEBSOCKET_FRAME_ERROR, error->code);
          code = error->code;
          /* The close frame's English reason says the same (this test runs untranslated). */
          g_assert_cmpstr (fw_websocket_decoder_get_close_reason (decoder), ==, error->message);
          if (out_message != NULL)
            *out_message = g_strdup (error->message);
          break;
        }
      g_assert_no_error (error);
      start = stop;
    }

  if (out_code != NULL)
    *out_code = code;
  return g_string_free (log, FALSE);
}

static char *
decode_whole (GByteArray *data,
              gsize       max_message,
              int        *out_code,
              char      **out_message)
{
  return decode_cut (data->data, data->len, NULL, 0, max_message, out_code, out_message);
}

/* The same log however the bytes are cut: at each single position, byte by byte, and in
 * random pieces. */
static void
assert_any_split_decodes_as (GByteArray *data,
                             gsize       max_message,
                             const char *expected,
                             int         expected_code)
{
  g_autofree gsize *bytes = g_new (gsize, MAX (data->len, 1));
  g_autoptr(GRand) rand = g_rand_new_with_seed (6455);
  g_autofree char *whole = NULL;
  g_autofree char *by_byte = NULL;
  int code = -1;

  whole = decode_whole (data, max_message, &code, NULL);
  g_assert_cmpstr (whole, ==, expected);
  g_assert_cmpint (code, ==, expected_code);

  for (gsize cut = 0; cut <= data->len; cut++)
    {
      g_autofree char *log = decode_cut (data->data, data->len, &cut, 1, max_message, &code,
                                         NULL);
      if (g_strcmp0 (log, expected) != 0 || code != expected_code)
        g_error ("cut at %" G_GSIZE_FORMAT ": got\n%s(code %d), expected\n%s(code %d)", cut,
                 log, code, expected, expected_code);
    }

  for (gsize i = 0; i + 1 < data->len; i++)
    bytes[i] = i + 1;
  by_byte = decode_cut (data->data, data->len, bytes, data->len > 0 ? data->len - 1 : 0,
                        max_message, &code, NULL);
  g_assert_cmpstr (by_byte, ==, expected);
  g_assert_cmpint (code, ==, expected_code);

  for (guint round = 0; round < 50; round++)
    {
      g_autofree gsize *cuts = g_new (gsize, data->len + 1);
      g_autofree char *log = NULL;
      guint n = 0;

      for (gsize at = g_rand_int_range (rand, 1, 40); at < data->len;
           at += g_rand_int_range (rand, 1, 40))
        cuts[n++] = at;
      log = decode_cut (data->data, data->len, cuts, n, max_message, &code, NULL);
      g_assert_cmpstr (log, ==, expected);
      g_assert_cmpint (code, ==, expected_code);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Decoding */

static void
test_lengths (void)
{
  /* Each side of each length form: 7 bits up to 125, 16 bits from 126, 64 bits past 65535. */
  const gsize sizes[] = { 0, 1, 125, 126, 127, 65535, 65536, 70000 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(GByteArray) frame = g_byte_array_new ();
      g_autofree char *payload = g_malloc (MAX (sizes[i], 1));
      g_autofree char *log = NULL;
      g_autoptr(GString) expected = g_string_new ("text:");
      gsize header = sizes[i] < 126 ? 2 : sizes[i] <= 65535 ? 4 : 10;
      int code = -1;

      for (gsize k = 0; k < sizes[i]; k++)
        payload[k] = 'a' + k % 26;
      add_frame (frame, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_TEXT, payload, sizes[i]);

      /* The encoder uses the shortest form. */
      g_assert_cmpuint (frame->len, ==, header + sizes[i]);
      g_assert_cmpuint (frame->data[1] & 0x7f, ==,
                        sizes[i] < 126 ? sizes[i] : sizes[i] <= 65535 ? 126 : 127);

      g_string_append_len (expected, payload, sizes[i]);
      g_string_append_c (expected, '\n');
      log = decode_whole (frame, 0, &code, NULL);
      g_assert_cmpint (code, ==, 0);
      g_assert_true (g_str_equal (log, expected->str));
    }
}

/* A 16-bit or 64-bit length where 7 bits would do is accepted, as most peers do. */
static void
test_long_form_lengths (void)
{
  const guint8 frames[] = {
    0x81, 126, 0, 2, 'h', 'i',
    0x82, 127, 0, 0, 0, 0, 0, 0, 0, 1, 0xab,
  };
  g_autoptr(GByteArray) data = g_byte_array_new ();

  g_byte_array_append (data, frames, sizeof frames);
  assert_any_split_decodes_as (data, 0, "text:hi\nbinary:1:ab\n", 0);
}

/* Every kind of frame in one stream, cut everywhere. */
static void
test_every_frame_kind_split_everywhere (void)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autofree char *medium = g_strnfill (300, 'm');
  guint8 bytes[3] = { 1, 2, 3 };

  add_frame (data, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_TEXT, "hello", -1);
  add_frame (data, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_TEXT, "", 0);
  fw_websocket_append_frame (data, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_BINARY, NULL, bytes, 3);
  add_frame (data, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_TEXT, medium, -1);
  add_frame (data, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_PING, "are you there", -1);
  /* A fragmented text message with control frames between its pieces, and a character
   * (é, C3 A9) cut between two fragments: only the whole message must be UTF-8. */
  add_frame (data, FW_WEBSOCKET_OPCODE_TEXT, "caf\xc3", -1);
  add_frame (data, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_PING, "p1", -1);
  add_frame (data, FW_WEBSOCKET_OPCODE_CONTINUATION, "\xa9 ", -1);
  add_frame (data, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_PONG, "", 0);
  add_frame (data, FW_WEBSOCKET_OPCODE_CONTINUATION, "", 0);
  add_frame (data, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_CONTINUATION, "au lait", -1);
  /* A fragmented binary message, then U+0000 and a 4-byte character in text. */
  fw_websocket_append_frame (data, FW_WEBSOCKET_OPCODE_BINARY, NULL, bytes, 2);
  fw_websocket_append_frame (data, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_CONTINUATION, NULL,
                             bytes + 2, 1);
  add_frame (data, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_TEXT, "a\0b\xf0\x9f\x98\x80", 7);
  add_close (data, 1000, "bye");
  /* After the close frame nothing is read, not even garbage. */
  g_byte_array_append (data, (const guint8 *) "\xff\xff\xff", 3);

  {
    g_autofree char *expected = g_strconcat (
      "text:hello\n"
      "text:\n"
      "binary:3:010203\n"
      "text:", medium, "\n"
      "ping:are you there\n"
      "ping:p1\n"
      "pong:\n"
      "text:caf\xc3\xa9 au lait\n"
      "binary:3:010203\n"
      "text:a\\0b\xf0\x9f\x98\x80\n"
      "close:1000:bye\n", NULL);

    assert_any_split_decodes_as (data, 0, expected, 0);
  }
}

static void
test_close_forms (void)
{
  g_autoptr(GByteArray) empty = g_byte_array_new ();
  g_autoptr(GByteArray) code_only = g_byte_array_new ();
  g_autoptr(GByteArray) registered = g_byte_array_new ();

  add_frame (empty, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_CLOSE, "", 0);
  assert_any_split_decodes_as (empty, 0, "close:1005:\n", 0);

  add_close (code_only, 4000, "");
  assert_any_split_decodes_as (code_only, 0, "close:4000:\n", 0);

  add_close (registered, 1012, "restarting");
  assert_any_split_decodes_as (registered, 0, "close:1012:restarting\n", 0);
}

static void
test_closed_and_reset (void)
{
  g_autoptr(FwWebsocketDecoder) decoder = fw_websocket_decoder_new (0);
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  add_close (data, 1001, "going");
  add_frame (data, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_TEXT, "late", -1);

  g_assert_true (fw_websocket_decoder_is_idle (decoder));
  g_assert_true (fw_websocket_decoder_feed (decoder, data->data, data->len, log_message, log,
                                            &error));
  g_assert_cmpstr (log->str, ==, "close:1001:going\n");
  g_assert_true (fw_websocket_decoder_is_closed (decoder));

  /* A new connection starts clean, even in the middle of a message. */
  fw_websocket_decoder_reset (decoder);
  g_assert_false (fw_websocket_decoder_is_closed (decoder));
  g_string_truncate (log, 0);
  g_assert_true (fw_websocket_decoder_feed (decoder, (const guint8 *) "\x01\x03" "abc", 5,
                                            log_message, log, &error));
  g_assert_false (fw_websocket_decoder_is_idle (decoder));
  g_assert_cmpuint (fw_websocket_decoder_get_buffered (decoder), ==, 3);
  fw_websocket_decoder_reset (decoder);
  g_assert_true (fw_websocket_decoder_is_idle (decoder));
  g_assert_cmpuint (fw_websocket_decoder_get_buffered (decoder), ==, 0);
  g_assert_true (fw_websocket_decoder_feed (decoder, data->data + 9, data->len - 9,
                                            log_message, log, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (log->str, ==, "text:late\n");
}

/* ---------------------------------------------------------------------------------------- */
/* Protocol errors */

typedef struct
{
  const char *name;
  const char *bytes;     /* the frames, after a good "text:ok" message */
  gsize       len;
  gsize       max_message;
  int         code;
  const char *words;     /* in the error message */
} BadCase;

#define B(s) s, sizeof s - 1

static const BadCase bad_cases[] = {
  { "masked", B ("\x81\x82\x01\x02\x03\x04hi"), 0, 1002, "masked" },
  { "rsv1", B ("\xc1\x02hi"), 0, 1002, "reserved bits" },
  { "rsv2", B ("\xa1\x02hi"), 0, 1002, "reserved bits" },
  { "rsv3", B ("\x91\x02hi"), 0, 1002, "reserved bits" },
  { "opcode-3", B ("\x83\x00"), 0, 1002, "unknown opcode 0x3" },
  { "opcode-7", B ("\x87\x00"), 0, 1002, "unknown opcode 0x7" },
  { "opcode-b", B ("\x8b\x00"), 0, 1002, "unknown opcode 0xb" },
  { "opcode-f", B ("\x8f\x00"), 0, 1002, "unknown opcode 0xf" },
  { "fragmented-ping", B ("\x09\x00"), 0, 1002, "ping frame is fragmented" },
  { "fragmented-close", B ("\x08\x00"), 0, 1002, "close frame is fragmented" },
  { "long-pong", B ("\x8a\x7e\x00\x7e"), 0, 1002, "longer than the 125 bytes" },
  { "lone-continuation", B ("\x80\x01x"), 0, 1002, "no fragmented message to continue" },
  { "text-inside-text", B ("\x01\x01" "a" "\x81\x01" "b"), 0, 1002,
    "new text message began before the fragmented text message ended" },
  { "binary-inside-text", B ("\x01\x01" "a" "\x02\x01" "b"), 0, 1002,
    "new binary message began" },
  { "length-msb", B ("\x82\x7f\x80\x00\x00\x00\x00\x00\x00\x01"), 0, 1002,
    "most significant bit" },
  { "bad-utf8", B ("\x81\x02\xc3\x28"), 0, 1007, "not valid UTF-8" },
  { "overlong", B ("\x81\x02\xc0\x80"), 0, 1007, "not valid UTF-8" },
  { "surrogate", B ("\x81\x03\xed\xa0\x80"), 0, 1007, "not valid UTF-8" },
  { "past-u10ffff", B ("\x81\x04\xf4\x90\x80\x80"), 0, 1007, "not valid UTF-8" },
  { "cut-character", B ("\x81\x01\xc3"), 0, 1007, "not valid UTF-8" },
  { "bad-utf8-fragments", B ("\x01\x01\xc3" "\x80\x01" "A"), 0, 1007, "not valid UTF-8" },
  { "close-1-byte", B ("\x88\x01\x03"), 0, 1002, "1-byte payload" },
  { "close-999", B ("\x88\x02\x03\xe7"), 0, 1002, "code 999" },
  { "close-1004", B ("\x88\x02\x03\xec"), 0, 1002, "code 1004" },
  { "close-1005", B ("\x88\x02\x03\xed"), 0, 1002, "code 1005" },
  { "close-1006", B ("\x88\x02\x03\xee"), 0, 1002, "code 1006" },
  { "close-1015", B ("\x88\x02\x03\xf7"), 0, 1002, "code 1015" },
  { "close-2999", B ("\x88\x02\x0b\xb7"), 0, 1002, "code 2999" },
  { "close-5000", B ("\x88\x02\x13\x88"), 0, 1002, "code 5000" },
  { "close-bad-reason", B ("\x88\x04\x03\xe8\xff\xfe"), 0, 1007, "reason is not valid UTF-8" },
};

static void
test_protocol_error (gconstpointer data)
{
  const BadCase *bad = data;
  g_autoptr(GByteArray) stream = g_byte_array_new ();
  g_autofree char *message = NULL;
  g_autofree char *log = NULL;
  int code = 0;

  add_frame (stream, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_TEXT, "ok", -1);
  g_byte_array_append (stream, (const guint8 *) bad->bytes, bad->len);
  /* Nothing after the fault is read. */
  add_frame (stream, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_TEXT, "after", -1);

  log = decode_whole (stream, bad->max_message, &code, &message);
  g_test_message ("%s: %d %s", bad->name, code, message);
  g_assert_cmpint (code, ==, bad->code);
  if (strstr (message, bad->words) == NULL)
    g_error ("“%s” does not say “%s”", message, bad->words);
  /* The good message before the fault was delivered, nothing after it. */
  g_assert_cmpstr (log, ==, "text:ok\n");

  assert_any_split_decodes_as (stream, bad->max_message, "text:ok\n", bad->code);
}

/* A message over the cap is legal: it is read past (never kept: memory stays bounded, known
 * from the header) and delivered as too big with its whole size, whether it came in one frame
 * or crossed the cap in a later fragment; control frames inside it are delivered; the
 * messages after it come as usual. */
static void
test_too_big_skipped (void)
{
  g_autoptr(GByteArray) stream = g_byte_array_new ();
  g_autofree char *big = g_strnfill (300, 'x');
  g_autofree char *part = g_strnfill (150, 'y');

  add_frame (stream, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_TEXT, "ok", -1);
  add_frame (stream, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_TEXT, big, 300);
  add_frame (stream, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_TEXT, "between", -1);
  add_frame (stream, FW_WEBSOCKET_OPCODE_BINARY, part, 150);
  add_frame (stream, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_PING, "p", -1);
  add_frame (stream, FW_WEBSOCKET_OPCODE_CONTINUATION, part, 150);
  /* Not UTF-8, but never looked at */
  add_frame (stream, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_CONTINUATION, "\xff", 1);
  add_frame (stream, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_TEXT, "after", -1);

  assert_any_split_decodes_as (stream, 200, "text:ok\ntext-too-big:300\ntext:between\n"
                               "ping:p\nbinary-too-big:301\ntext:after\n", 0);
}

static void
test_size_cap_from_header (void)
{
  g_autoptr(FwWebsocketDecoder) decoder = fw_websocket_decoder_new (1000);
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  const guint8 header[] = { 0x82, 0x7f, 0, 0, 0, 0, 0, 0x20, 0x00, 0x00 };
  g_autoptr(GByteArray) fits = g_byte_array_new ();
  g_autofree char *exact = g_strnfill (1000, 'x');
  g_autofree guint8 *chunk = g_malloc0 (64 * 1024);

  /* Exactly the cap is fine. */
  add_frame (fits, FW_WEBSOCKET_FIN | FW_WEBSOCKET_OPCODE_TEXT, exact, 1000);
  g_assert_true (fw_websocket_decoder_feed (decoder, fits->data, fits->len, log_message, log,
                                            &error));
  g_assert_no_error (error);
  g_assert_cmpuint (log->len, ==, 5 + 1000 + 1);
  g_string_truncate (log, 0);

  /* 2 MiB announced: none of it is kept, however it comes. */
  g_assert_true (fw_websocket_decoder_feed (decoder, header, sizeof header, log_message, log,
                                            &error));
  for (guint i = 0; i < 32; i++)
    {
      g_assert_true (fw_websocket_decoder_feed (decoder, chunk, 64 * 1024, log_message, log,
                                                &error));
      g_assert_cmpuint (fw_websocket_decoder_get_buffered (decoder), <=, 14);
    }
  g_assert_no_error (error);
  g_assert_cmpstr (log->str, ==, "binary-too-big:2097152\n");
  g_assert_true (fw_websocket_decoder_is_idle (decoder));

  g_assert_true (fw_websocket_decoder_feed (decoder, fits->data, fits->len, log_message, log,
                                            &error));
  g_assert_cmpuint (log->len, ==, 23 + 5 + 1000 + 1);
}

/* ---------------------------------------------------------------------------------------- */
/* Encoding and the handshake */

/* Undoes a client frame: checks its header and returns the unmasked payload. */
static GBytes *
unmask_client_frame (GBytes *frame,
                     guint8  expected_first_byte,
                     guint8  out_mask[4])
{
  gsize size;
  const guint8 *p = g_bytes_get_data (frame, &size);
  guint64 len = p[1] & 0x7f;
  gsize at = 2;
  guint8 *payload;

  g_assert_cmpuint (p[0], ==, expected_first_byte);
  g_assert_true (p[1] & 0x80);
  if (len == 126)
    {
      len = ((guint64) p[2] << 8) | p[3];
      g_assert_cmpuint (len, >=, 126);
      at = 4;
    }
  else if (len == 127)
    {
      len = 0;
      for (guint i = 2; i < 10; i++)
        len = (len << 8) | p[i];
      g_assert_cmpuint (len, >, 65535);
      at = 10;
    }
  memcpy (out_mask, p + at, 4);
  at += 4;
  g_assert_cmpuint (size, ==, at + len);

  payload = g_malloc (MAX (len, 1));
  for (gsize i = 0; i < len; i++)
    payload[i] = p[at + i] ^ out_mask[i & 3];
  return g_bytes_new_take (payload, len);
}

static void
test_encode_client_frames (void)
{
  const gsize sizes[] = { 0, 5, 125, 126, 65535, 65536 };
  guint8 masks[G_N_ELEMENTS (sizes)][4];

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree guint8 *text = g_malloc (MAX (sizes[i], 1));
      g_autoptr(GBytes) frame = NULL;
      g_autoptr(GBytes) payload = NULL;

      for (gsize k = 0; k < sizes[i]; k++)
        text[k] = (guint8) ('A' + k % 26);
      frame = fw_websocket_encode_client_frame (FW_WEBSOCKET_OPCODE_TEXT, text, sizes[i]);
      payload = unmask_client_frame (frame, 0x81, masks[i]);
      g_assert_cmpmem (g_bytes_get_data (payload, NULL), g_bytes_get_size (payload), text,
                       sizes[i]);
    }

  /* A fresh key each time (the chance of two equal keys among six is about 2^-28). */
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    for (guint j = i + 1; j < G_N_ELEMENTS (sizes); j++)
      g_assert_true (memcmp (masks[i], masks[j], 4) != 0);

  {
    g_autoptr(GBytes) ping = fw_websocket_encode_client_frame (FW_WEBSOCKET_OPCODE_PING,
                                                               (const guint8 *) "x", 1);
    g_autoptr(GBytes) pong = fw_websocket_encode_client_frame (FW_WEBSOCKET_OPCODE_PONG,
                                                               NULL, 0);
    g_autoptr(GBytes) ping_payload = NULL;
    g_autoptr(GBytes) pong_payload = NULL;
    guint8 mask[4];

    ping_payload = unmask_client_frame (ping, 0x89, mask);
    g_assert_cmpmem (g_bytes_get_data (ping_payload, NULL), 1, "x", 1);
    pong_payload = unmask_client_frame (pong, 0x8a, mask);
    g_assert_cmpuint (g_bytes_get_size (pong_payload), ==, 0);
  }
}

static void
test_encode_close (void)
{
  g_autoptr(GBytes) bare = fw_websocket_encode_close (0, NULL);
  g_autoptr(GBytes) normal = fw_websocket_encode_close (1000, "done");
  g_autoptr(GBytes) bare_payload = NULL;
  g_autoptr(GBytes) normal_payload = NULL;
  g_autoptr(GString) long_reason = g_string_new (NULL);
  guint8 mask[4];

  bare_payload = unmask_client_frame (bare, 0x88, mask);
  g_assert_cmpuint (g_bytes_get_size (bare_payload), ==, 0);
  normal_payload = unmask_client_frame (normal, 0x88, mask);
  g_assert_cmpmem (g_bytes_get_data (normal_payload, NULL), g_bytes_get_size (normal_payload),
                   "\x03\xe8" "done", 6);

  /* A reason too long for a control frame is cut at a character boundary: 61 × “é”. */
  for (guint i = 0; i < 100; i++)
    g_string_append (long_reason, "\xc3\xa9");
  {
    g_autoptr(GBytes) cut = fw_websocket_encode_close (1002, long_reason->str);
    g_autoptr(GBytes) payload = unmask_client_frame (cut, 0x88, mask);
    gsize len;
    const char *p = g_bytes_get_data (payload, &len);

    g_assert_cmpuint (len, ==, 2 + 122);
    g_assert_true (g_utf8_validate_len (p + 2, len - 2, NULL));
  }
}

/* What the decoder reads back from the encoder, unmasked: the same messages. */
static void
test_round_trip (void)
{
  g_autoptr(FwWebsocketDecoder) decoder = fw_websocket_decoder_new (0);
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  const char *texts[] = { "", "hi", "caf\xc3\xa9" };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GBytes) frame =
        fw_websocket_encode_client_frame (FW_WEBSOCKET_OPCODE_TEXT, (const guint8 *) texts[i],
                                          strlen (texts[i]));
      g_autoptr(GBytes) payload = NULL;
      g_autoptr(GByteArray) server = g_byte_array_new ();
      guint8 mask[4];

      payload = unmask_client_frame (frame, 0x81, mask);
      fw_websocket_append_frame (server, 0x81, NULL, g_bytes_get_data (payload, NULL),
                                 g_bytes_get_size (payload));
      g_assert_true (fw_websocket_decoder_feed (decoder, server->data, server->len,
                                                log_message, log, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpstr (log->str, ==, "text:\ntext:hi\ntext:caf\xc3\xa9\n");
}

static void
test_handshake_key (void)
{
  g_autofree char *accept = fw_websocket_compute_accept ("dGhlIHNhbXBsZSBub25jZQ==");
  g_autofree char *key1 = fw_websocket_new_key ();
  g_autofree char *key2 = fw_websocket_new_key ();
  g_autofree guchar *nonce = NULL;
  gsize len = 0;

  /* The example of RFC 6455 §1.3. */
  g_assert_cmpstr (accept, ==, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");

  nonce = g_base64_decode (key1, &len);
  g_assert_cmpuint (len, ==, 16);
  g_assert_cmpuint (strlen (key1), ==, 24);
  g_assert_cmpstr (key1, !=, key2);
}

/* In the user's language the error reads translated, while the close frame's reason stays
 * English for the server's log. Needs a German locale, built here with localedef into a
 * folder of our own (LOCPATH), and the catalogue built beside the tests. */
static void
test_protocol_error_translated (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(FwWebsocketDecoder) decoder = fw_websocket_decoder_new (0);
      g_autoptr(GError) error = NULL;
      g_autofree char *po = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
      const guint8 masked[] = { 0x81, 0x82, 1, 2, 3, 4, 'h', 'i' };

      g_assert_nonnull (setlocale (LC_ALL, ""));
      bindtextdomain (GETTEXT_PACKAGE, po);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      g_assert_false (fw_websocket_decoder_feed (decoder, masked, sizeof masked, NULL, NULL,
                                                 &error));
      g_assert_cmpstr (error->message, ==,
                       "der Server hat einen Frame maskiert, was nur ein Client darf");
      g_assert_cmpstr (fw_websocket_decoder_get_close_reason (decoder), ==,
                       "the server masked a frame, which only a client may do");
      return;
    }

  {
    g_autoptr(GError) error = NULL;
    g_autofree char *dir = g_dir_make_tmp ("fw-locale-XXXXXX", &error);
    g_autofree char *locale = NULL;
    g_autofree char *po = g_test_build_filename (G_TEST_BUILT, "..", "po", "de", "LC_MESSAGES",
                                                 GETTEXT_PACKAGE ".mo", NULL);
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    const char *argv[] = { "localedef", "-i", "de_DE", "-c", "-f", "UTF-8", NULL, NULL };
    int status = -1;

    g_assert_no_error (error);
    g_assert_true (g_file_test (po, G_FILE_TEST_EXISTS));
    locale = g_build_filename (dir, "de_DE.UTF-8", NULL);
    argv[6] = locale;
    if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                       &status, NULL) ||
        !g_spawn_check_wait_status (status, NULL))
      {
        g_test_skip ("localedef cannot build a German locale here (Debian's locales package)");
      }
    else
      {
        g_setenv ("LOCPATH", dir, TRUE);
        g_setenv ("LC_ALL", "de_DE.UTF-8", TRUE);
        g_unsetenv ("LANGUAGE");
        g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR | G_TEST_SUBPROCESS_INHERIT_STDOUT);
        g_unsetenv ("LOCPATH");
        g_unsetenv ("LC_ALL");
        g_test_trap_assert_passed ();
      }
    fw_test_remove_tree (dir);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/websocket-frame/lengths", test_lengths);
  g_test_add_func ("/websocket-frame/long-form-lengths", test_long_form_lengths);
  g_test_add_func ("/websocket-frame/split-everywhere", test_every_frame_kind_split_everywhere);
  g_test_add_func ("/websocket-frame/close-forms", test_close_forms);
  g_test_add_func ("/websocket-frame/closed-and-reset", test_closed_and_reset);
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/websocket-frame/error/", bad_cases[i].name, NULL);
      g_test_add_data_func (path, &bad_cases[i], test_protocol_error);
    }
  g_test_add_func ("/websocket-frame/size-cap-from-header", test_size_cap_from_header);
  g_test_add_func ("/websocket-frame/too-big-skipped", test_too_big_skipped);
  g_test_add_func ("/websocket-frame/encode-client-frames", test_encode_client_frames);
  g_test_add_func ("/websocket-frame/encode-close", test_encode_close);
  g_test_add_func ("/websocket-frame/round-trip", test_round_trip);
  g_test_add_func ("/websocket-frame/handshake-key", test_handshake_key);
  g_test_add_func ("/websocket-frame/protocol-error-translated", test_protocol_error_translated);

  return g_test_run ();
}
