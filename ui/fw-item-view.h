/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-item-view.h: the live list of items, with its search bar */
#pragma once

#include <gtk/gtk.h>

#include "fw-alert-log.h"
#include "fw-feed-list.h"
#include "fw-history.h"

G_BEGIN_DECLS

#define FW_TYPE_ITEM_VIEW (fw_item_view_get_type ())

G_DECLARE_FINAL_TYPE (FwItemView, fw_item_view, FW, ITEM_VIEW, GtkWidget)

GtkWidget  *fw_item_view_new            (void);
void        fw_item_view_set_history    (FwItemView *self,
                                         FwHistory  *history);
void        fw_item_view_set_feeds      (FwItemView *self,
                                         FwFeedList *feeds);
void        fw_item_view_set_alert_log  (FwItemView *self,
                                         FwAlertLog *log);
void        fw_item_view_set_feed       (FwItemView *self,
                                         const char *feed);
gboolean    fw_item_view_get_paused     (FwItemView *self);
void        fw_item_view_set_paused     (FwItemView *self,
                                         gboolean    paused);
gboolean    fw_item_view_get_following  (FwItemView *self);
void        fw_item_view_start_search   (FwItemView *self);
void        fw_item_view_jump_to_live   (FwItemView *self);
void        fw_item_view_queue_publish  (FwItemView *self);
void        fw_item_view_show_item      (FwItemView *self,
                                         const char *feed,
                                         gint64      time_us);
char       *fw_item_view_get_selected_text (FwItemView *self,
                                            gboolean    json);

/* For tests: the scrolled window around the rows */
GtkScrolledWindow *fw_item_view_get_scroller (FwItemView *self);
/* For tests: the rows' selection, and the details pane (an FwItemDetails) */
GtkSelectionModel *fw_item_view_get_selection (FwItemView *self);
GPtrArray  *fw_item_view_dup_selected_items (FwItemView *self);
GtkWidget         *fw_item_view_get_details   (FwItemView *self);

G_END_DECLS
