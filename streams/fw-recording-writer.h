/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-recording-writer.h: what the feeds say, into a recording (`--record`), off the caller's
 * thread */
#pragma once

#include <gio/gio.h>

#include "fw-item.h"

G_BEGIN_DECLS

#define FW_TYPE_RECORDING_WRITER (fw_recording_writer_get_type ())

G_DECLARE_FINAL_TYPE (FwRecordingWriter, fw_recording_writer, FW, RECORDING_WRITER, GObject)

/**
 * FwRecordingWriteFunc:
 * @fd: the file, open for appending
 * @data: (array length=len) (element-type guint8): the bytes
 * @len: how many
 * @user_data: as given to fw_recording_writer_set_write_func()
 * @error: where to put why they could not be written
 *
 * Writes @len bytes at the file's end, all or nothing. The writer thread calls it; tests
 * replace write(2) with it to fail or stall like a full or slow disk.
 *
 * Returns: %TRUE when all were written
 */
typedef gboolean (*FwRecordingWriteFunc) (int            fd,
                                          const void    *data,
                                          gsize          len,
                                          gpointer       user_data,
                                          GError       **error);

FwRecordingWriter *fw_recording_writer_new            (const char           *path);
void               fw_recording_writer_add_feed       (FwRecordingWriter    *self,
                                                       const char           *spec,
                                                       const char           *title,
                                                       const char           *color);
void               fw_recording_writer_set_max_size   (FwRecordingWriter    *self,
                                                       guint64               bytes);
void               fw_recording_writer_set_max_duration (FwRecordingWriter  *self,
                                                       gint64                duration_us);
void               fw_recording_writer_set_capacity   (FwRecordingWriter    *self,
                                                       guint                 items);
void               fw_recording_writer_set_frame_size (FwRecordingWriter    *self,
                                                       gsize                 bytes);
void               fw_recording_writer_set_write_func (FwRecordingWriter    *self,
                                                       FwRecordingWriteFunc  func,
                                                       gpointer              user_data);
gboolean           fw_recording_writer_start          (FwRecordingWriter    *self,
                                                       GError              **error);
gboolean           fw_recording_writer_add            (FwRecordingWriter    *self,
                                                       FwItem               *item);
guint              fw_recording_writer_add_batch      (FwRecordingWriter    *self,
                                                       FwItem * const       *items,
                                                       guint                 n_items);
guint              fw_recording_writer_add_all        (FwRecordingWriter    *self,
                                                       FwItem * const       *items,
                                                       guint                 n_items);
gboolean           fw_recording_writer_close          (FwRecordingWriter    *self,
                                                       GError              **error);

GError            *fw_recording_writer_dup_error      (FwRecordingWriter    *self);
guint64            fw_recording_writer_get_n_written  (FwRecordingWriter    *self);
guint64            fw_recording_writer_get_n_dropped  (FwRecordingWriter    *self);
guint64            fw_recording_writer_get_bytes      (FwRecordingWriter    *self);
guint              fw_recording_writer_get_n_files    (FwRecordingWriter    *self);
char              *fw_recording_writer_get_path_of_part (FwRecordingWriter  *self,
                                                       guint                 part);

G_END_DECLS
