/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-feed-store.h: a window's feeds kept across launches: the settings keep the feeds, their
 * names and where their logs were read to; the keyring keeps their credentials. GTK-free. */
#pragma once

#include <gio/gio.h>

#include "fw-feed-list.h"

G_BEGIN_DECLS

#define FW_TYPE_FEED_STORE (fw_feed_store_get_type ())

/* What a secret is kept as in the settings while its value is in the keyring: a stand-in
 * (fw_feed_spec_split_secrets()), holding "%00" as no credential can. */
#define FW_FEED_STORE_SECRET_PLACEHOLDER "%00keyring%00"

G_DECLARE_FINAL_TYPE (FwFeedStore, fw_feed_store, FW, FEED_STORE, GObject)

/* Called on each feed read back, before it starts: the owner connects to it there. */
typedef void (*FwFeedStoreWatchFunc) (FwFeedRunner *runner,
                                      gpointer      user_data);

FwFeedStore *fw_feed_store_new              (GSettings            *settings,
                                             FwFeedList           *feeds);
gboolean     fw_feed_store_load             (FwFeedStore          *self,
                                             gpointer              owner,
                                             GCancellable         *cancellable,
                                             FwFeedStoreWatchFunc  watch,
                                             gpointer              user_data);
void         fw_feed_store_close            (FwFeedStore          *self);
void         fw_feed_store_set_machine_root (FwFeedStore          *self,
                                             const char           *root);
gboolean     fw_feed_store_get_looking_for_sensors (FwFeedStore     *self);
guint        fw_feed_store_add_defaults     (FwFeedStore          *self);
void         fw_feed_store_save             (FwFeedStore          *self);
void         fw_feed_store_save_marks       (FwFeedStore          *self);
void         fw_feed_store_store_secrets    (FwFeedStore          *self,
                                             FwFeedRunner         *runner);
gboolean     fw_feed_store_secrets_unsaved  (FwFeedStore          *self,
                                             FwFeedRunner         *runner);
void         fw_feed_store_restore_secrets  (FwFeedStore          *self,
                                             FwFeedRunner         *runner,
                                             GCancellable         *cancellable);
void         fw_feed_store_forget_secrets   (FwFeedStore          *self,
                                             FwFeedRunner         *runner);

G_END_DECLS
