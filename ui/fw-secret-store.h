/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-secret-store.h: a feed's credentials in the keyring (libsecret; the Secret portal inside
 * Flatpak) */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void        fw_secret_store_save_async    (const char           *feed_id,
                                           GHashTable           *secrets,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean    fw_secret_store_save_finish   (GAsyncResult         *result,
                                           GError              **error);
void        fw_secret_store_lookup_async  (const char           *feed_id,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
GHashTable *fw_secret_store_lookup_finish (GAsyncResult         *result,
                                           GError              **error);
void        fw_secret_store_clear_async   (const char           *feed_id,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean    fw_secret_store_clear_finish  (GAsyncResult         *result,
                                           GError              **error);

G_END_DECLS
