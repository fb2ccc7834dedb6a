/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-recording-reader.h: items back from a recording, a `--print` `.jsonl`, or one compressed
 * by `zstd` */
#pragma once

#include <gio/gio.h>

#include "fw-item.h"

G_BEGIN_DECLS

/**
 * FwRecordingFormat:
 * @FW_RECORDING_PLAIN: JSON Lines as `--print` writes them: read from the start
 * @FW_RECORDING_ZSTD: JSON Lines compressed by `zstd`: read from the start
 * @FW_RECORDING_INDEXED: a Feedwatch recording: its header names the feeds, and a time is
 *   found without reading what comes before it
 *
 * What a #FwRecordingReader reads.
 */
typedef enum
{
  FW_RECORDING_PLAIN,
  FW_RECORDING_ZSTD,
  FW_RECORDING_INDEXED,
} FwRecordingFormat;

/**
 * FwRecordingReader:
 *
 * Reads items back from a recording (`--record`), a `.jsonl` written by `--print`, or one
 * compressed by `zstd`, in batches, from the start or from a time (fw_recording_reader_seek()).
 * For C callers; a replay feed (`replay:PATH`) reads one as a stream. Not thread-safe.
 */
typedef struct _FwRecordingReader FwRecordingReader;

FwRecordingReader *fw_recording_reader_open          (const char         *path,
                                                      GError            **error);
void               fw_recording_reader_free          (FwRecordingReader  *self);
FwRecordingFormat  fw_recording_reader_get_format    (FwRecordingReader  *self);
const char        *fw_recording_reader_get_path      (FwRecordingReader  *self);
guint              fw_recording_reader_get_n_feeds   (FwRecordingReader  *self);
const char        *fw_recording_reader_get_feed      (FwRecordingReader  *self,
                                                      guint               index,
                                                      const char        **title,
                                                      const char        **color);
const char        *fw_recording_reader_get_version   (FwRecordingReader  *self);
gboolean           fw_recording_reader_get_span      (FwRecordingReader  *self,
                                                      gint64             *first_us,
                                                      gint64             *last_us);
gboolean           fw_recording_reader_seek          (FwRecordingReader  *self,
                                                      gint64              time_us,
                                                      GError            **error);
gboolean           fw_recording_reader_read          (FwRecordingReader  *self,
                                                      GPtrArray          *items,
                                                      guint               max_items,
                                                      GError            **error);
gboolean           fw_recording_reader_is_truncated  (FwRecordingReader  *self);
guint64            fw_recording_reader_get_n_invalid (FwRecordingReader  *self,
                                                      const char        **first_problem);
gboolean           fw_recording_path_is_recording    (const char         *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwRecordingReader, fw_recording_reader_free)

G_END_DECLS
