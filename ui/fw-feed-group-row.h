/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-feed-group-row.h: a group's folder row in the sidebar */
#pragma once

#include <gtk/gtk.h>

#include "fw-sidebar-model.h"

G_BEGIN_DECLS

#define FW_TYPE_FEED_GROUP_ROW (fw_feed_group_row_get_type ())

G_DECLARE_FINAL_TYPE (FwFeedGroupRow, fw_feed_group_row, FW, FEED_GROUP_ROW, GtkWidget)

GtkWidget   *fw_feed_group_row_new       (void);
void         fw_feed_group_row_bind      (FwFeedGroupRow *self,
                                          FwFeedGroup    *group);
void         fw_feed_group_row_unbind    (FwFeedGroupRow *self);
FwFeedGroup *fw_feed_group_row_get_group (FwFeedGroupRow *self);

G_END_DECLS
