/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-item-view-private.h: what the files of FwItemView share: fw-item-view.c, the widget;
 * fw-item-view-follow.c, publishing, following and pausing; fw-item-view-selection.c, the
 * selection and the details pane; fw-item-view-menu.c, copy and the rows' menu;
 * fw-item-view-cells.c, its columns' cells and the head row's text */
#pragma once

#include "fw-cell-text.h"
#include "fw-item-details.h"
#include "fw-item-view.h"

G_BEGIN_DECLS

/* The level filter's fixed choices (fw-item-view.ui); a sixth is "Only <level>" */
#define N_LEVEL_CHOICES 5

/* How much of a row's text "Search for This Text" puts in the search entry */
#define SEARCH_TEXT_MAX 200

enum
{
  PROP_0,
  PROP_HISTORY,
  PROP_FEEDS,
  PROP_FEED,
  PROP_COMPACT,
  PROP_PAUSED,
  PROP_FOLLOWING,
  PROP_SEARCH_MODE,
  PROP_TOP_CHILD,
  PROP_DETAILS_WIDTH,
  PROP_DETAILS_HEIGHT,
  N_PROPS
};

extern GParamSpec *_fw_item_view_properties[N_PROPS];


struct _FwItemView
{
  GtkWidget            parent_instance;

  FwHistory           *history;
  FwFeedList          *feeds;
  FwAlertLog          *alert_log;     /* which items fired alerts, for their highlight */
  char                *feed;          /* the feed shown; NULL: all feeds */
  GObject             *head;          /* the list's first row: "The head row" (fw-item-view.c) */
  FwCellText          *head_cell;     /* its text cell while bound */

  guint                frame_tick_id;
  char                *show_feed;      /* fw_item_view_show_item() waits for its rows */
  gint64               show_time_us;
  gulong               layout_id;
  GdkFrameClock       *frame_clock;   /* while realized */
  gboolean             following;     /* the view is at the end (the user has not scrolled up) */
  gboolean             paused;
  gboolean             live;          /* following and not paused: FwItemView:following */
  GtkEventController  *list_motion;   /* whether the pointer is over the list */
  GtkWindow           *window;        /* the root, while realized: whether it is in front */
  gulong               window_active_id;
  gboolean             compact;
  int                  feed_column_width; /* the Feed column's, while hidden (0 wide) */
  gboolean             scroll_pending;
  double               last_value;
  double               last_upper;

  /* The selection, and the details pane that shows its last selected item */
  GtkMultiSelection   *selection;
  GtkWidget           *row_popover;
  int                  details_width;   /* the pane's size beside the rows */
  int                  details_height;  /* and below them, on a narrow view */
  gboolean             details_restoring;
  gboolean             details_turned;  /* turned since the paned was last laid out */
  FwLevel              only_level;      /* the level filter's "Only <level>" choice */
  GHashTable          *view_levels;     /* feed ("" for all) → its level filter, packed */

  /* template */
  GtkSearchBar        *search_bar;
  GtkSearchEntry      *search_entry;
  GtkToggleButton     *regex_button;
  GtkDropDown         *level_dropdown;
  GtkLabel            *match_label;
  GtkPaned            *paned;
  GtkScrolledWindow   *list_scroller;
  GtkColumnView       *column_view;
  GtkColumnViewColumn *time_column;
  GtkColumnViewColumn *feed_column;
  GtkColumnViewColumn *level_column;
  GtkColumnViewColumn *text_column;
  GtkButton           *jump_button;
  GtkPaned            *details_paned;
  FwItemDetails       *details;
  GMenuModel          *row_menu;
};

/* fw-item-view-cells.c: the columns' factories' handlers (template callbacks) */
void _fw_item_view_cell_setup  (GtkListItemFactory *factory,
                                GtkListItem        *list_item,
                                FwItemView         *self);
void _fw_item_view_cell_bind   (GtkListItemFactory *factory,
                                GtkListItem        *list_item,
                                FwItemView         *self);
void _fw_item_view_cell_unbind (GtkListItemFactory *factory,
                                GtkListItem        *list_item,
                                FwItemView         *self);
void _fw_item_view_update_head (FwItemView         *self);
guint _fw_item_view_position_at (FwItemView        *self,
                                 double             x,
                                 double             y);

/* Shared by the files of FwItemView */
gboolean _fw_item_view_flush_history (FwItemView *self);
void _fw_item_view_jump_to_live_action (GtkWidget *widget, const char *action_name, GVariant *parameter);
void _fw_item_view_on_layout (GdkFrameClock *clock, FwItemView *self);
void _fw_item_view_on_content_resized (GtkAdjustment *adj, GParamSpec *pspec, FwItemView *self);
gboolean _fw_item_view_on_list_key (GtkEventControllerKey *controller, guint keyval, guint keycode, GdkModifierType state, FwItemView *self);
gboolean _fw_item_view_on_list_scroll (GtkEventControllerScroll *controller, double dx, double dy, FwItemView *self);
void _fw_item_view_on_scrolled (GtkAdjustment *adj, FwItemView *self);
void _fw_item_view_scroll_to_end (FwItemView *self);
void _fw_item_view_update_frozen (FwItemView *self);
void _fw_item_view_update_scrollbar (FwItemView *self);
void _fw_item_view_update_jump_label (FwItemView *self);
void _fw_item_view_copy_action (GtkWidget *widget, const char *action_name, GVariant *parameter);
void _fw_item_view_on_list_long_press (GtkGestureLongPress *gesture, double x, double y, FwItemView *self);
void _fw_item_view_on_list_right_click (GtkGestureClick *gesture, int n_press, double x, double y, FwItemView *self);
void _fw_item_view_search_text_action (GtkWidget *widget, const char *action_name, GVariant *parameter);
void _fw_item_view_alert_on_line_action (GtkWidget *widget, const char *action_name, GVariant *parameter);
void _fw_item_view_show_only_feed_action (GtkWidget *widget, const char *action_name, GVariant *parameter);
void _fw_item_view_show_only_level_action (GtkWidget *widget, const char *action_name, GVariant *parameter);
void _fw_item_view_set_only_level (FwItemView *self, FwLevel level);
gboolean _fw_item_view_show_row_menu (GtkWidget *widget, GVariant *args, gpointer user_data);
void _fw_item_view_close_details_action (GtkWidget *widget, const char *action_name, GVariant *parameter);
FwItem * _fw_item_view_current_item (FwItemView *self);
FwItemObject * _fw_item_view_item_object_at (FwItemView *self, guint position);
void _fw_item_view_on_details_close (FwItemView *self);
void _fw_item_view_on_details_paned_changed (FwItemView *self);
void _fw_item_view_on_selection_changed (GtkSelectionModel *model, guint position, guint n_items, FwItemView *self);
void _fw_item_view_set_details_size (FwItemView *self, int *size, int value, GParamSpec *pspec);
void _fw_item_view_update_details_orientation (FwItemView *self);
void _fw_item_view_update_row_actions (FwItemView *self);
void _fw_item_view_anchor_on_head (FwItemView *self);
void _fw_item_view_on_level_changed (FwItemView *self);
void _fw_item_view_on_search_changed (FwItemView *self);

void          _fw_item_view_show_pending (FwItemView *self,
                                          gboolean    done);

G_END_DECLS
