/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-feed-row.h: one feed in the sidebar */
#pragma once

#include <adwaita.h>

#include "fw-streams.h"

G_BEGIN_DECLS

#define FW_TYPE_FEED_ROW (fw_feed_row_get_type ())

G_DECLARE_FINAL_TYPE (FwFeedRow, fw_feed_row, FW, FEED_ROW, GtkWidget)

GtkWidget    *fw_feed_row_new         (void);
void          fw_feed_row_bind        (FwFeedRow    *self,
                                       FwFeedRunner *runner);
void          fw_feed_row_unbind      (FwFeedRow    *self);
FwFeedRunner *fw_feed_row_get_runner  (FwFeedRow    *self);
GtkWidget    *fw_feed_row_get_color_dot (FwFeedRow  *self);
void          fw_feed_row_record_rate (FwFeedRunner *runner);
void          fw_feed_row_tick        (FwFeedRow    *self);
const char   *fw_feed_row_icon_for_kind (const char *kind);
char         *fw_feed_state_describe  (FwFeedRunner *runner);

G_END_DECLS
