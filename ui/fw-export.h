/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-export.h: items written to a file, as JSON Lines (the --print format) or CSV. GTK-free. */
#pragma once

#include <gio/gio.h>

#include "fw-streams.h"

G_BEGIN_DECLS

typedef enum
{
  FW_EXPORT_JSON_LINES,
  FW_EXPORT_CSV,
} FwExportFormat;

FwExportFormat fw_export_format_for_name (const char          *name);
GPtrArray     *fw_export_collect         (GListModel          *model);
void           fw_export_append_csv_header (GString           *out);
void           fw_export_append_csv      (GString             *out,
                                          const FwItem        *item);
void           fw_export_items_async     (GPtrArray           *items,
                                          FwExportFormat       format,
                                          GFile               *file,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean       fw_export_items_finish    (GAsyncResult        *result,
                                          guint               *n_written,
                                          GError             **error);

G_END_DECLS
