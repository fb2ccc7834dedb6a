/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-sse-parser.h: the WHATWG "event stream interpretation" algorithm as a pure incremental
 * unit: bytes in, events out, no I/O, no main loop. Feed it the body of a text/event-stream
 * response in chunks of any size; it calls back once per dispatched event.
 *
 * What it does, following the spec: UTF-8 decoding with U+FFFD for invalid bytes (the WHATWG
 * decoder's "maximal subpart" rule, so E2 82 41 is U+FFFD A), one leading BOM stripped, lines
 * ended by CR, LF or CRLF (a CR ending one chunk and an LF starting the next are one line end),
 * comments, fields without a colon, one leading space stripped from the value, data lines
 * joined with LF, the event type reset after each dispatch, the last event ID kept across
 * events and an `id` containing U+0000 ignored, `retry` only when all ASCII digits, an
 * unfinished event at the end of the stream discarded.
 *
 * Beyond the spec, memory is bounded: an event whose buffered size (its data, type and the
 * line being read) goes over the cap is dropped and counted, and the rest of it is skipped
 * without being stored, however long its lines.
 *
 * One deliberate reading of the spec: a new connection (fw_sse_parser_reset()) starts its
 * last event ID buffer from the last event ID string rather than from "", so events after a
 * resume carry the ID they resumed from until the server sends another, as browsers do.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FW_SSE_PARSER_DEFAULT_MAX_EVENT_SIZE (16 * 1024 * 1024)

/**
 * FwSseEvent:
 * @type: the event type, "message" when the stream named none (NUL-terminated, valid UTF-8)
 * @type_is_default: whether @type is the default "message"
 * @data: @data_len bytes of valid UTF-8 followed by a NUL; may contain U+0000
 * @data_len: the length of @data
 * @last_event_id: the last event ID string (NUL-terminated, "" when none, never holds U+0000)
 *
 * Valid only during the callback.
 */
typedef struct
{
  const char *type;
  gboolean    type_is_default;
  const char *data;
  gsize       data_len;
  const char *last_event_id;
} FwSseEvent;

typedef void (*FwSseEventFunc) (const FwSseEvent *event,
                                gpointer          user_data);

typedef struct _FwSseParser FwSseParser;

FwSseParser *fw_sse_parser_new                (gsize           max_event_size);
void         fw_sse_parser_free               (FwSseParser    *self);
void         fw_sse_parser_feed               (FwSseParser    *self,
                                               const guint8   *data,
                                               gsize           len,
                                               FwSseEventFunc  func,
                                               gpointer        user_data);
gboolean     fw_sse_parser_end                (FwSseParser    *self);
void         fw_sse_parser_reset              (FwSseParser    *self);
const char  *fw_sse_parser_get_last_event_id  (FwSseParser    *self);
void         fw_sse_parser_set_last_event_id  (FwSseParser    *self,
                                               const char     *id);
gboolean     fw_sse_parser_get_retry          (FwSseParser    *self,
                                               guint64        *out_ms);
guint64      fw_sse_parser_get_dropped        (FwSseParser    *self);
gsize        fw_sse_parser_get_buffered       (FwSseParser    *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwSseParser, fw_sse_parser_free)

G_END_DECLS
