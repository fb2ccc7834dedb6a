/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-item-view-private.h: what the files of FwItemView share (fw-item-view.c, the widget;
 * fw-item-view-cells.c, its columns' cells and the head row's text) */
#pragma once

#include "fw-cell-text.h"
#include "fw-item-details.h"
#include "fw-item-view.h"

G_BEGIN_DECLS

struct _FwItemView
{
  GtkWidget            parent_instance;

  FwHistory           *history;
  FwFeedList          *feeds;
  char                *feed;          /* the feed shown; NULL: all feeds */
  GObject             *head;          /* the list's first row: "The head row" (fw-item-view.c) */
  FwCellText          *head_cell;     /* its text cell while bound */

  guint                frame_tick_id;
  gulong               after_paint_id;
  GdkFrameClock       *frame_clock;   /* while realized */
  gboolean             following;     /* the view is at the end (the user has not scrolled up) */
  gboolean             paused;
  gboolean             live;          /* following and not paused: FwItemView:following */
  gboolean             compact;
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

G_END_DECLS
