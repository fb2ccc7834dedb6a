/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-recorder.h: a window's feeds into a recording while it runs, and a history into one at
 * once; GTK-free */
#pragma once

#include <gio/gio.h>

#include "fw-recording-writer.h"
#include "fw-streams.h"

G_BEGIN_DECLS

#define FW_TYPE_RECORDER (fw_recorder_get_type ())

G_DECLARE_FINAL_TYPE (FwRecorder, fw_recorder, FW, RECORDER, GObject)

FwRecorder        *fw_recorder_new               (const char           *path);
FwRecordingWriter *fw_recorder_get_writer        (FwRecorder           *self);
const char        *fw_recorder_get_path          (FwRecorder           *self);
void               fw_recorder_add_runner        (FwRecorder           *self,
                                                  FwFeedRunner         *runner);
void               fw_recorder_watch_runner      (FwRecorder           *self,
                                                  FwFeedRunner         *runner);
void               fw_recorder_start_async       (FwRecorder           *self,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean           fw_recorder_start_finish      (FwRecorder           *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
gboolean           fw_recorder_get_running       (FwRecorder           *self);
gint64             fw_recorder_get_elapsed_us    (FwRecorder           *self);
void               fw_recorder_stop_async        (FwRecorder           *self,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean           fw_recorder_stop_finish       (FwRecorder           *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
void               fw_recorder_stop              (FwRecorder           *self);

void               fw_recorder_save_items_async  (FwRecordingWriter    *writer,
                                                  GPtrArray            *items,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean           fw_recorder_save_items_finish (GAsyncResult         *result,
                                                  guint64              *n_written,
                                                  GError              **error);

G_END_DECLS
