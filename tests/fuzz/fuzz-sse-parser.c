/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-sse-parser.c: libFuzzer target for the SSE parser. Beyond "no crash, no leak", it
 * checks the parser's promises on every input: the events are the same whether the bytes come
 * whole, one at a time or in uneven chunks; every event's data and type are valid UTF-8 (U+0000
 * allowed) of the length given; the buffered size stays within the cap. test-fuzz-corpus
 * replays the seed corpus through this same function, so the checks run in every `meson test`
 * too. */

#include "fw-sse-parser.h"
#include "fuzz-oracle.h"

#include <string.h>

#ifndef FW_FUZZ_ENTRY
#define FW_FUZZ_ENTRY LLVMFuzzerTestOneInput
#endif

#define FUZZ_MAX_EVENT_SIZE 4096

static void
record_event (const FwSseEvent *event,
              gpointer          user_data)
{
  GString *log = user_data;

  if (!fw_fuzz_is_utf8_with_nul (event->data, event->data_len) ||
      event->data[event->data_len] != '\0')
    g_error ("event data is not valid UTF-8 of its length");
  if (!g_utf8_validate (event->type, -1, NULL) ||
      !g_utf8_validate (event->last_event_id, -1, NULL))
    g_error ("event type or id is not valid UTF-8");
  if (event->type_is_default && strcmp (event->type, "message") != 0)
    g_error ("type_is_default with another type");

  g_string_append_printf (log, "%s|%s|%zu|", event->type, event->last_event_id,
                          event->data_len);
  g_string_append_len (log, event->data, event->data_len);
  g_string_append_c (log, '\n');
}

static char *
parse (const guint8 *data,
       gsize         size,
       FwFuzzSplit   split)
{
  g_autoptr(FwSseParser) parser = fw_sse_parser_new (FUZZ_MAX_EVENT_SIZE);
  GString *log = g_string_new (NULL);
  guint32 state = fw_fuzz_split_seed (size);
  gsize offset = 0;
  guint64 retry;

  while (offset < size)
    {
      gsize n = fw_fuzz_next_piece (split, &state, size, offset);
      fw_sse_parser_feed (parser, data + offset, n, record_event, log);
      offset += n;

      /* The cap bounds memory: a few buffers of the cap at most, whatever the input. */
      if (fw_sse_parser_get_buffered (parser) > 8 * FUZZ_MAX_EVENT_SIZE + 4 * 65536)
        g_error ("buffered %zu bytes, over the bound", fw_sse_parser_get_buffered (parser));
    }

  fw_sse_parser_end (parser);
  if (fw_sse_parser_get_retry (parser, &retry))
    g_string_append_printf (log, "retry %" G_GUINT64_FORMAT "\n", retry);
  g_string_append_printf (log, "last %s dropped %" G_GUINT64_FORMAT "\n",
                          fw_sse_parser_get_last_event_id (parser),
                          fw_sse_parser_get_dropped (parser));
  return g_string_free (log, FALSE);
}

int FW_FUZZ_ENTRY (const guint8 *data,
                   size_t        size);

int
FW_FUZZ_ENTRY (const guint8 *data,
               size_t        size)
{
  g_autofree char *whole = parse (data, size, FW_FUZZ_SPLIT_WHOLE);
  g_autofree char *bytes = parse (data, size, FW_FUZZ_SPLIT_BYTES);
  g_autofree char *uneven = parse (data, size, FW_FUZZ_SPLIT_UNEVEN);

  if (strcmp (whole, bytes) != 0 || strcmp (whole, uneven) != 0)
    g_error ("the events depend on how the input was split:\nwhole:\n%s\nbytes:\n%s\n"
             "uneven:\n%s", whole, bytes, uneven);
  return 0;
}
