/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-sidebar-model.h: what the sidebar lists: a folder row per group (FwFeedGroup) followed by
 * its feeds while it is expanded, then the feeds in no group; the filter shows a group when
 * any of its feeds matches. GTK-free. */
#pragma once

#include <gio/gio.h>

#include "fw-feed-list.h"

G_BEGIN_DECLS

#define FW_TYPE_FEED_GROUP (fw_feed_group_get_type ())

G_DECLARE_FINAL_TYPE (FwFeedGroup, fw_feed_group, FW, FEED_GROUP, GObject)

const char   *fw_feed_group_get_name       (FwFeedGroup    *self);
gboolean      fw_feed_group_get_expanded   (FwFeedGroup    *self);
guint         fw_feed_group_get_n_feeds    (FwFeedGroup    *self);

#define FW_TYPE_SIDEBAR_MODEL (fw_sidebar_model_get_type ())

G_DECLARE_FINAL_TYPE (FwSidebarModel, fw_sidebar_model, FW, SIDEBAR_MODEL, GObject)

FwSidebarModel *fw_sidebar_model_new           (FwFeedList         *feeds);
void            fw_sidebar_model_set_filter    (FwSidebarModel     *self,
                                                const char         *text);
void            fw_sidebar_model_set_expanded  (FwSidebarModel     *self,
                                                const char         *group,
                                                gboolean            expanded);
gboolean        fw_sidebar_model_get_expanded  (FwSidebarModel     *self,
                                                const char         *group);
void            fw_sidebar_model_set_collapsed (FwSidebarModel     *self,
                                                const char * const *groups);
char          **fw_sidebar_model_dup_collapsed (FwSidebarModel     *self);
char          **fw_sidebar_model_dup_groups    (FwSidebarModel     *self);
gboolean        fw_sidebar_model_find          (FwSidebarModel     *self,
                                                gpointer            item,
                                                guint              *position);

G_END_DECLS
