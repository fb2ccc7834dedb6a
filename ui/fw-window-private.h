/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-window-private.h: what the files of FwWindow share (fw-window.c, fw-window-actions.c) */
#pragma once

#include "fw-cell-text.h"
#include "fw-feed-list.h"
#include "fw-feed-store.h"
#include "fw-loop-monitor.h"
#include "fw-plot.h"
#include "fw-window.h"

G_BEGIN_DECLS

/* What a column's cell factory is bound to: the column, in which window */
typedef struct
{
  FwWindow *window;
  guint     column;
} FwWindowColumn;

#define FW_WINDOW_N_COLUMNS 4

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
  GtkSingleSelection   *feed_selection; /* the sidebar's, over runners */
  FwWindowColumn        columns[FW_WINDOW_N_COLUMNS];
  GObject              *head;          /* the list's first row, see "The head row" */
  FwCellText           *head_cell;     /* its text cell while bound */

  guint                 second_tick_id;
  guint                 frame_tick_id;
  gboolean              following;
  double                last_value;
  double                last_upper;
  gboolean              scroll_pending;
  gboolean              view_paused;
  guint64               items_at_tick;
  gint64                last_tick_us;
  double                rate;

  /* template */
  AdwLeaflet           *leaflet;
  GtkListBox           *all_list;
  GtkListBoxRow        *all_row;
  GtkListView          *feed_list;
  AdwWindowTitle       *content_title;
  GtkToggleButton      *search_button;
  GtkToggleButton      *pause_button;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkToggleButton      *regex_button;
  GtkDropDown          *level_dropdown;
  GtkLabel             *match_label;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *content_stack;
  AdwStatusPage        *empty_page;
  GtkPaned             *plot_paned;
  GtkBox               *plot_box;
  FwPlot               *plot;
  GtkDropDown          *plot_window;
  GtkScrolledWindow    *list_scroller;
  GtkColumnView        *column_view;
  GtkColumnViewColumn  *time_column;
  GtkColumnViewColumn  *feed_column;
  GtkColumnViewColumn  *level_column;
  GtkColumnViewColumn  *text_column;
  GtkButton            *jump_button;
  GtkLabel             *rate_label;
  GtkLabel             *dropped_label;
  GtkLabel             *lag_label;
};

gboolean      _fw_window_flush_history      (FwWindow     *self);
void          _fw_window_scroll_to_end      (FwWindow     *self);
void          _fw_window_update_frozen      (FwWindow     *self);
void          _fw_window_update_status_line (FwWindow     *self);

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

/* fw-window-list.c */
void          _fw_window_schedule_flush     (FwWindow     *self);
void          _fw_window_update_feed_column (FwWindow     *self);
void          _fw_window_update_head        (FwWindow     *self);
void          _fw_window_class_list_init    (GtkWidgetClass *widget_class);
void          _fw_window_list_init          (FwWindow     *self);

/* fw-window-actions.c */
void          _fw_window_class_actions_init (GtkWidgetClass *widget_class);
void          _fw_window_actions_init       (FwWindow     *self);

G_END_DECLS
