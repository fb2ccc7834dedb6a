/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-window-private.h: what the files of FwWindow share (fw-window.c, fw-window-actions.c) */
#pragma once

#include "fw-alert-log.h"
#include "fw-alerts-view.h"
#include "fw-feed-list.h"
#include "fw-feed-store.h"
#include "fw-item-view.h"
#include "fw-loop-monitor.h"
#include "fw-plot.h"
#include "fw-recorder.h"
#include "fw-sidebar-model.h"
#include "fw-window.h"

G_BEGIN_DECLS

typedef struct _FwWindowReplay FwWindowReplay;

struct _FwWindow
{
  AdwApplicationWindow  parent_instance;

  GCancellable         *cancellable;
  GSettings            *settings;
  FwFeedStore          *store;         /* the feeds across launches: settings and keyring */
  FwFeedList           *feeds;
  FwHistory            *history;
  GPtrArray            *plotted;       /* FwSeries on the plot now */
  FwLoopMonitor        *lag;
  char                 *selected_feed; /* NULL: all feeds */
  GtkSingleSelection   *feed_selection; /* the sidebar's, over its groups and feeds */
  FwSidebarModel       *sidebar;
  int                   sidebar_width;  /* natural width, as dragged ("sidebar-width") */
  int                   drag_start_width;
  gboolean              near_handle;    /* the pointer is on the sidebar's edge */
  FwAlertLog           *alert_log;      /* the process's: what the Alerts view shows */
  gboolean              showing_alerts; /* the Alerts view is in the content area */

  guint                 second_tick_id;
  guint                 ticks_unshown;  /* seconds since the last refresh (in the background) */
  guint                 n_unpublished;  /* items the list was not asked to show yet */
  gint64                arrived_us;     /* when the last batch came */
  guint64               items_at_tick;
  gint64                last_tick_us;
  double                rate;
  gint64                announced_us;  /* when arrivals_label last changed */

  /* fw-window-record.c */
  FwRecorder           *recorder;       /* while recording */
  gboolean              record_all;     /* feeds added meanwhile are recorded too */
  guint                 record_tick_id;
  GtkPopover           *record_popover;
  GtkCheckButton       *record_all_check;
  GtkBox               *record_feed_box;
  GtkButton            *record_start_button;
  gboolean              sandboxed;      /* in Flatpak: recordings go into a chosen folder */
  char                 *recording;      /* a replay window's recording; NULL: live feeds */
  FwWindowReplay       *replay;

  /* template */
  AdwLeaflet           *leaflet;
  AdwBin               *sidebar_bin;
  GtkWidget            *sidebar_separator;
  GtkListBox           *all_list;
  GtkListBoxRow        *all_row;
  GtkListBoxRow        *alerts_row;
  GtkLabel             *alerts_badge;
  FwAlertsView         *alerts_view;
  GtkListView          *feed_list;
  GtkSearchEntry       *feed_filter_entry;
  AdwWindowTitle       *sidebar_title;
  AdwWindowTitle       *content_title;
  GtkToggleButton      *pause_button;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *content_stack;
  AdwStatusPage        *empty_page;
  GtkBox               *plot_box;
  FwPlot               *plot;
  FwItemView           *item_view;
  GtkRevealer          *paused_banner;
  GtkDropDown          *plot_window;
  GtkLabel             *rate_label;
  GtkLabel             *dropped_label;
  GtkLabel             *lag_label;
  GtkMenuButton        *record_button;
  GtkButton            *stop_record_button;
  GtkLabel             *record_label;
  GtkLabel             *arrivals_label;
};

void          _fw_window_update_status_line (FwWindow     *self);
void          _fw_window_second_tick        (FwWindow     *self);
void          _fw_window_publish_items      (FwWindow     *self);

void          _fw_window_toast_with_action  (FwWindow     *self,
                                             const char   *text,
                                             guint         timeout_s,
                                             const char   *button,
                                             const char   *action,
                                             GVariant     *target);
void          _fw_window_update_empty_state (FwWindow     *self);
void          _fw_window_update_plot_series (FwWindow     *self);

/* fw-window-feeds.c */
void          _fw_window_load_feeds         (FwWindow     *self);

/* fw-window-sidebar.c */
void          _fw_window_class_sidebar_init (GtkWidgetClass *widget_class);
void          _fw_window_sidebar_init       (FwWindow     *self);
void          _fw_window_sidebar_load       (FwWindow     *self);
void          _fw_window_toggle_group       (FwWindow     *self,
                                             const char   *group);

/* fw-window-export.c */
void          _fw_window_class_export_init  (GtkWidgetClass *widget_class);

/* fw-window-record.c */
void          _fw_window_class_record_init  (GtkWidgetClass *widget_class);
void          _fw_window_record_init        (FwWindow     *self);
void          _fw_window_record_dispose     (FwWindow     *self);
void          _fw_window_set_sandboxed      (FwWindow     *self,
                                             gboolean      sandboxed);
/* fw-window-replay.c */
void          _fw_window_class_replay_init  (GtkWidgetClass *widget_class);
void          _fw_window_replay_init        (FwWindow     *self);
void          _fw_window_replay_load        (FwWindow     *self);
void          _fw_window_replay_dispose     (FwWindow     *self);

/* fw-window-actions.c */
void          _fw_window_class_actions_init (GtkWidgetClass *widget_class);
void          _fw_window_actions_init       (FwWindow     *self);

G_END_DECLS
