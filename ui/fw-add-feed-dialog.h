/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-add-feed-dialog.h: "Add Feed": paste a URL or a path, or fill in a kind's options */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef struct _FwWindow FwWindow;
typedef struct _FwFeedRunner FwFeedRunner;

#define FW_TYPE_ADD_FEED_DIALOG (fw_add_feed_dialog_get_type ())

G_DECLARE_FINAL_TYPE (FwAddFeedDialog, fw_add_feed_dialog, FW, ADD_FEED_DIALOG, AdwWindow)

GtkWidget  *fw_add_feed_dialog_new           (FwWindow        *window);
GtkWidget  *fw_add_feed_dialog_new_for_feed  (FwWindow        *window,
                                              FwFeedRunner    *runner);
void        fw_add_feed_dialog_set_feed_text (FwAddFeedDialog *self,
                                              const char      *text);
void        fw_add_feed_dialog_set_option    (FwAddFeedDialog *self,
                                              const char      *option,
                                              const char      *value);
char       *fw_add_feed_dialog_get_option    (FwAddFeedDialog *self,
                                              const char      *option);
guint       fw_add_feed_dialog_get_n_option_rows (FwAddFeedDialog *self);
char       *fw_add_feed_dialog_get_spec      (FwAddFeedDialog *self);
const char *fw_add_feed_dialog_get_kind_text (FwAddFeedDialog *self);
const char *fw_add_feed_dialog_get_error     (FwAddFeedDialog *self);
gboolean    fw_add_feed_dialog_can_add       (FwAddFeedDialog *self);
gboolean    fw_add_feed_dialog_add           (FwAddFeedDialog *self);

G_END_DECLS
