/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-line-splitter.h: bytes in, lines out. Pure (no I/O, no main loop) so a fuzzer can drive
 * it: blocks of any size and split give the same lines. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FW_LINE_SPLITTER_DEFAULT_MAX (64 * 1024)

typedef struct _FwLineSplitter FwLineSplitter;

/**
 * FwLineFunc:
 * @line: the line, valid UTF-8 (invalid bytes became U+FFFD), without its LF or CRLF; not
 *   NUL-terminated, valid only during the call
 * @len: its length in bytes
 * @truncated: the line was longer than the cap; the rest was dropped
 * @user_data: the data given with the block
 */
typedef void (*FwLineFunc) (const char *line,
                            gsize       len,
                            gboolean    truncated,
                            gpointer    user_data);

FwLineSplitter *fw_line_splitter_new         (gsize           max_line);
void            fw_line_splitter_free        (FwLineSplitter *self);
void            fw_line_splitter_feed        (FwLineSplitter *self,
                                              const char     *data,
                                              gsize           len,
                                              FwLineFunc      func,
                                              gpointer        user_data);
void            fw_line_splitter_finish      (FwLineSplitter *self,
                                              FwLineFunc      func,
                                              gpointer        user_data);
void            fw_line_splitter_reset       (FwLineSplitter *self);
gsize           fw_line_splitter_get_pending (FwLineSplitter *self);

gboolean        fw_utf8_validate_fast        (const char     *text,
                                              gsize           len);
void            fw_utf8_append_repaired      (GString        *out,
                                              const char     *text,
                                              gsize           len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwLineSplitter, fw_line_splitter_free)

G_END_DECLS
