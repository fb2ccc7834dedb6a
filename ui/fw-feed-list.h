/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-feed-list.h: a window's feeds, a list of FwFeedRunner found by identity, and the plot
 * series of their readings. GTK-free. */
#pragma once

#include <gio/gio.h>

#include "fw-series.h"
#include "fw-streams.h"

G_BEGIN_DECLS

#define FW_TYPE_FEED_LIST (fw_feed_list_get_type ())

G_DECLARE_FINAL_TYPE (FwFeedList, fw_feed_list, FW, FEED_LIST, GObject)

/* A colour that tells a feed from the others where several are shown together */
typedef struct
{
  const char *name;  /* untranslated: _() it to show it */
  const char *color; /* "#rrggbb" */
} FwFeedColor;

const FwFeedColor *fw_feed_colors         (guint         *n_colors);

FwFeedList   *fw_feed_list_new            (void);
const char   *fw_feed_list_pick_color     (FwFeedList    *self);
FwFeedRunner *fw_feed_list_lookup         (FwFeedList    *self,
                                           const char    *feed_id,
                                           guint         *position);
gboolean      fw_feed_list_contains       (FwFeedList    *self,
                                           FwFeedRunner  *runner);
void          fw_feed_list_append         (FwFeedList    *self,
                                           FwFeedRunner  *runner);
void          fw_feed_list_replace        (FwFeedList    *self,
                                           guint          position,
                                           FwFeedRunner  *runner);
void          fw_feed_list_remove         (FwFeedList    *self,
                                           guint          position);

FwSeries     *fw_feed_list_series_for     (FwFeedList    *self,
                                           FwFeedRunner  *runner,
                                           const FwItem  *item,
                                           gboolean      *created);
GPtrArray    *fw_feed_list_get_series     (FwFeedList    *self,
                                           const char    *feed_id);
void          fw_feed_list_forget_series  (FwFeedList    *self,
                                           const char    *feed_id);

G_END_DECLS
