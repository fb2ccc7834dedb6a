/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-close-registry.h: the streams still closing, that quitting waits for */
#pragma once

#include <gio/gio.h>

#include "fw-types.h"

G_BEGIN_DECLS

#define FW_TYPE_CLOSE_REGISTRY (fw_close_registry_get_type ())

G_DECLARE_FINAL_TYPE (FwCloseRegistry, fw_close_registry, FW, CLOSE_REGISTRY, GObject)

FwCloseRegistry *fw_close_registry_get_default (void);
guint            fw_close_registry_get_n_closing (FwCloseRegistry     *self);
void             fw_close_registry_wait_async    (FwCloseRegistry     *self,
                                                  guint                timeout_ms,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean         fw_close_registry_wait_finish   (FwCloseRegistry     *self,
                                                  GAsyncResult        *result,
                                                  guint               *n_remaining,
                                                  GError             **error);

/* Package-private: fw_stream_close_async() registers and unregisters itself */
void             _fw_close_registry_add          (FwCloseRegistry     *self,
                                                  FwStream            *stream);
void             _fw_close_registry_remove       (FwCloseRegistry     *self,
                                                  FwStream            *stream);

G_END_DECLS
