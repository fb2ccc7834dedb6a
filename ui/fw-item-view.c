/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-item-view.c: the live list of items: search and the level filter, the head row, the
 * history shown, properties and the public API; its parts are fw-item-view-follow.c
 * (publishing once a frame, following the end, pausing), fw-item-view-selection.c (selected
 * rows and the details pane), fw-item-view-menu.c (copy and the rows' menu) and
 * fw-item-view-cells.c (the columns' cells). The window gives it the history to show and the
 * feeds (for the Feed column's titles), and sets the feed filter and the pause; everything
 * else happens here. */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "fw-item-object.h"
#include "fw-accessible.h"
#include "fw-item-view-private.h"

G_DEFINE_FINAL_TYPE (FwItemView, fw_item_view, GTK_TYPE_WIDGET)

GParamSpec *_fw_item_view_properties[N_PROPS];

/* The Time column's width in the .ui, for "HH:MM:SS.mmm" */
#define TIME_COLUMN_WIDTH 110

/* ---------------------------------------------------------------------------------------- */
/* Search and filters */

static void
update_match_label (FwItemView *self)
{
  g_autofree char *text = NULL;
  guint matches = fw_history_get_n_matches (self->history);

  if (fw_history_get_filtering (self->history))
    text = g_strdup (_("Searching…"));
  else
    text = g_strdup_printf (g_dngettext (NULL, "%u match", "%u matches", matches), matches);
  gtk_label_set_text (self->match_label, text);
}

void
_fw_item_view_on_search_changed (FwItemView *self)
{
  g_autoptr(GError) error = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (self->history == NULL)
    return;
  if (!fw_history_set_search (self->history, text,
                              gtk_toggle_button_get_active (self->regex_button), &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->search_entry), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->search_entry), error->message);
      return;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self->search_entry), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->search_entry), NULL);
  update_match_label (self);
}

void
_fw_item_view_on_level_changed (FwItemView *self)
{
  static const FwLevel levels[] = {
    FW_LEVEL_NONE, FW_LEVEL_DEBUG, FW_LEVEL_INFO, FW_LEVEL_WARNING, FW_LEVEL_ERROR
  };
  guint selected = gtk_drop_down_get_selected (self->level_dropdown);

  G_STATIC_ASSERT (G_N_ELEMENTS (levels) == N_LEVEL_CHOICES);

  if (self->history == NULL)
    return;
  if (selected == N_LEVEL_CHOICES)
    fw_history_set_level_mask (self->history, 1u << self->only_level);
  else if (selected < G_N_ELEMENTS (levels))
    fw_history_set_min_level (self->history, levels[selected]);
  update_match_label (self);
}

/* ---------------------------------------------------------------------------------------- */
/* The head row
 *
 * The list's first row is not an item but a note on where the history starts: how many older
 * items the cap dropped. It is also what keeps a flood smooth. GtkListView (4.8) tracks its
 * focus and selection at position 0; evicting the oldest items removes that row, and the
 * list then makes a new row widget for the new first item, which re-measures every cell of
 * every column and restyles the rows: about 10 ms of one frame, each time the history sheds
 * its slack. With a row at position 0 that is never removed, evictions cost about 1 ms.
 *
 * The list also follows one row, its scroll anchor: the last row while the view follows the
 * end. An items-changed that removes the anchor row (a filter change replaces every row; a
 * flood can outrun them all) makes GtkListView (4.8) keep that row's widget, still bound to
 * the removed item, and show it in the first slot, where the head row belongs, without ever
 * binding it again: another feed's reading above the selected feed's lines. So before a flush
 * removes every row shown, the view moves to the top and the anchor becomes the head row,
 * which is never removed; following then takes the view back to the end. */

void
_fw_item_view_anchor_on_head (FwItemView *self)
{
  /* Our move, not the user's (_fw_item_view_on_scrolled) */
  self->scroll_pending = TRUE;
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->list_scroller), 0);
}

static GListModel *
new_view_model (FwItemView *self)
{
  g_autoptr(GListStore) parts = g_list_store_new (G_TYPE_LIST_MODEL);
  g_autoptr(GListStore) head = g_list_store_new (GTK_TYPE_STRING_OBJECT);

  self->head = G_OBJECT (gtk_string_object_new (""));
  g_list_store_append (head, self->head);
  g_list_store_append (parts, head);
  g_list_store_append (parts, self->history);

  return G_LIST_MODEL (gtk_flatten_list_model_new (G_LIST_MODEL (g_steal_pointer (&parts))));
}

/* The Feed column says nothing when one feed is shown, and on a narrow window the text needs
 * the room more. */
static void
update_feed_column (FwItemView *self)
{
  gboolean shown = self->feed == NULL && !self->compact;
  int width = gtk_column_view_column_get_fixed_width (self->feed_column);

  /* GTK 4.8 still gives a hidden column its fixed width in the rows (not in the header): the
   * Text column would stop that much short. Hidden, it is 0 wide; shown, as wide as it was. */
  if (!shown && width > 0)
    self->feed_column_width = width;
  gtk_column_view_column_set_visible (self->feed_column, shown);
  gtk_column_view_column_set_fixed_width (self->feed_column, shown ? self->feed_column_width : 0);
}

/* ---------------------------------------------------------------------------------------- */
/* The history shown */

static void
on_history_notify (FwItemView *self)
{
  _fw_item_view_update_jump_label (self);
  update_match_label (self);
}

static void
disconnect_history (FwItemView *self)
{
  if (self->history == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->history, self);
  if (self->frame_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->frame_tick_id);
      self->frame_tick_id = 0;
    }
  self->head_cell = NULL;
  gtk_column_view_set_model (self->column_view, NULL);
  g_signal_handlers_disconnect_by_data (self->selection, self);
  g_clear_object (&self->selection);
  g_clear_object (&self->head);
  g_clear_object (&self->history);
}

static void
connect_history (FwItemView *self)
{
  self->selection = gtk_multi_selection_new (new_view_model (self));
  g_signal_connect (self->selection, "selection-changed", G_CALLBACK (_fw_item_view_on_selection_changed),
                    self);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_swapped (self->history, "notify::n-unseen",
                            G_CALLBACK (on_history_notify), self);
  g_signal_connect_swapped (self->history, "notify::n-dropped",
                            G_CALLBACK (_fw_item_view_update_head), self);
  g_signal_connect_swapped (self->history, "notify::capacity",
                            G_CALLBACK (_fw_item_view_update_head), self);
  g_signal_connect_swapped (self->history, "notify::max-bytes",
                            G_CALLBACK (_fw_item_view_update_head), self);
  g_signal_connect_swapped (self->history, "notify::n-matches",
                            G_CALLBACK (on_history_notify), self);
  g_signal_connect_swapped (self->history, "notify::filtering",
                            G_CALLBACK (on_history_notify), self);
  /* A filter change is published at a flush, which new items alone would not bring about */
  g_signal_connect_swapped (self->history, "notify::feed",
                            G_CALLBACK (fw_item_view_queue_publish), self);
  g_signal_connect_swapped (self->history, "notify::search",
                            G_CALLBACK (fw_item_view_queue_publish), self);
  g_signal_connect_swapped (self->history, "notify::level-mask",
                            G_CALLBACK (fw_item_view_queue_publish), self);
  g_signal_connect_swapped (self->history, "notify::filtering",
                            G_CALLBACK (fw_item_view_queue_publish), self);
  _fw_item_view_update_frozen (self);
  _fw_item_view_update_jump_label (self);
  update_match_label (self);
}

/* ---------------------------------------------------------------------------------------- */
/* GObject */

static void
fw_item_view_realize (GtkWidget *widget)
{
  FwItemView *self = FW_ITEM_VIEW (widget);

  GTK_WIDGET_CLASS (fw_item_view_parent_class)->realize (widget);

  self->frame_clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  self->layout_id = g_signal_connect_after (self->frame_clock, "layout",
                                           G_CALLBACK (_fw_item_view_on_layout), self);
  if (GTK_IS_WINDOW (gtk_widget_get_root (widget)))
    {
      self->window = GTK_WINDOW (gtk_widget_get_root (widget));
      self->window_active_id = g_signal_connect_swapped (self->window, "notify::is-active",
                                                         G_CALLBACK (_fw_item_view_update_scrollbar),
                                                         self);
    }
  _fw_item_view_update_scrollbar (self);
}

static void
fw_item_view_unrealize (GtkWidget *widget)
{
  FwItemView *self = FW_ITEM_VIEW (widget);

  g_clear_signal_handler (&self->layout_id, self->frame_clock);
  g_clear_object (&self->frame_clock);
  if (self->window != NULL)
    g_clear_signal_handler (&self->window_active_id, self->window);
  self->window = NULL;

  GTK_WIDGET_CLASS (fw_item_view_parent_class)->unrealize (widget);
}

static void
fw_item_view_dispose (GObject *object)
{
  FwItemView *self = FW_ITEM_VIEW (object);

  /* The history may outlive the view; its notifications must not reach a dying widget. */
  disconnect_history (self);
  g_clear_pointer (&self->row_popover, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (self), FW_TYPE_ITEM_VIEW);
  g_clear_object (&self->feeds);
  g_clear_object (&self->alert_log);

  G_OBJECT_CLASS (fw_item_view_parent_class)->dispose (object);
}

static void
fw_item_view_finalize (GObject *object)
{
  FwItemView *self = FW_ITEM_VIEW (object);

  g_free (self->feed);
  g_free (self->show_feed);
  g_hash_table_unref (self->view_levels);

  G_OBJECT_CLASS (fw_item_view_parent_class)->finalize (object);
}

static void
set_compact (FwItemView *self,
             gboolean    compact)
{
  if (self->compact == !!compact)
    return;
  self->compact = !!compact;
  update_feed_column (self);
  _fw_item_view_update_details_orientation (self);
  g_object_notify_by_pspec (G_OBJECT (self), _fw_item_view_properties[PROP_COMPACT]);
}

static void
set_top_child (FwItemView *self,
               GtkWidget  *child)
{
  if (gtk_paned_get_start_child (self->paned) == child)
    return;
  gtk_paned_set_start_child (self->paned, child);
  g_object_notify_by_pspec (G_OBJECT (self), _fw_item_view_properties[PROP_TOP_CHILD]);
}

static void
fw_item_view_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  FwItemView *self = FW_ITEM_VIEW (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;

    case PROP_FEEDS:
      g_value_set_object (value, self->feeds);
      break;

    case PROP_FEED:
      g_value_set_string (value, self->feed);
      break;

    case PROP_COMPACT:
      g_value_set_boolean (value, self->compact);
      break;

    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;

    case PROP_FOLLOWING:
      g_value_set_boolean (value, fw_item_view_get_following (self));
      break;

    case PROP_SEARCH_MODE:
      g_value_set_boolean (value, gtk_search_bar_get_search_mode (self->search_bar));
      break;

    case PROP_TOP_CHILD:
      g_value_set_object (value, gtk_paned_get_start_child (self->paned));
      break;

    case PROP_DETAILS_WIDTH:
      g_value_set_int (value, self->details_width);
      break;

    case PROP_DETAILS_HEIGHT:
      g_value_set_int (value, self->details_height);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_item_view_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  FwItemView *self = FW_ITEM_VIEW (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      fw_item_view_set_history (self, g_value_get_object (value));
      break;

    case PROP_FEEDS:
      fw_item_view_set_feeds (self, g_value_get_object (value));
      break;

    case PROP_FEED:
      fw_item_view_set_feed (self, g_value_get_string (value));
      break;

    case PROP_COMPACT:
      set_compact (self, g_value_get_boolean (value));
      break;

    case PROP_PAUSED:
      fw_item_view_set_paused (self, g_value_get_boolean (value));
      break;

    case PROP_SEARCH_MODE:
      /* The search bar's notification is ours (on_search_mode_changed()) */
      gtk_search_bar_set_search_mode (self->search_bar, g_value_get_boolean (value));
      break;

    case PROP_TOP_CHILD:
      set_top_child (self, g_value_get_object (value));
      break;

    case PROP_DETAILS_WIDTH:
      _fw_item_view_set_details_size (self, &self->details_width, g_value_get_int (value), pspec);
      break;

    case PROP_DETAILS_HEIGHT:
      _fw_item_view_set_details_size (self, &self->details_height, g_value_get_int (value), pspec);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_item_view_class_init (FwItemViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fw_item_view_dispose;
  object_class->finalize = fw_item_view_finalize;
  object_class->get_property = fw_item_view_get_property;
  object_class->set_property = fw_item_view_set_property;
  widget_class->realize = fw_item_view_realize;
  widget_class->unrealize = fw_item_view_unrealize;

  /* The items shown; the view sets its filters, and freezes it while paused */
  _fw_item_view_properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL, FW_TYPE_HISTORY,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* The feeds, which give the Feed column its titles */
  _fw_item_view_properties[PROP_FEEDS] =
    g_param_spec_object ("feeds", NULL, NULL, FW_TYPE_FEED_LIST,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* The feed whose items are shown, NULL for every feed's */
  _fw_item_view_properties[PROP_FEED] =
    g_param_spec_string ("feed", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* A narrow view leaves out the Feed column */
  _fw_item_view_properties[PROP_COMPACT] =
    g_param_spec_boolean ("compact", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* The rows hold still; new items are kept, not shown, until the view resumes */
  _fw_item_view_properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* The view shows the newest rows as they come: not paused, not scrolled up */
  _fw_item_view_properties[PROP_FOLLOWING] =
    g_param_spec_boolean ("following", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* The search bar is shown */
  _fw_item_view_properties[PROP_SEARCH_MODE] =
    g_param_spec_boolean ("search-mode", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Above the rows, below the search bar, its height the user's to change: the window's plot */
  _fw_item_view_properties[PROP_TOP_CHILD] =
    g_param_spec_object ("top-child", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /* The details pane's width beside the rows, and its height below them on a narrow view */
  _fw_item_view_properties[PROP_DETAILS_WIDTH] =
    g_param_spec_int ("details-width", NULL, NULL, 120, G_MAXINT, 360,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  _fw_item_view_properties[PROP_DETAILS_HEIGHT] =
    g_param_spec_int ("details-height", NULL, NULL, 120, G_MAXINT, 260,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, _fw_item_view_properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/feedwatch/Feedwatch/fw-item-view.ui");
  gtk_widget_class_bind_template_child (widget_class, FwItemView, search_bar);
  gtk_widget_class_bind_template_child (widget_class, FwItemView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, FwItemView, regex_button);
  gtk_widget_class_bind_template_child (widget_class, FwItemView, level_dropdown);
  gtk_widget_class_bind_template_child (widget_class, FwItemView, match_label);
  gtk_widget_class_bind_template_child (widget_class, FwItemView, paned);
  gtk_widget_class_bind_template_child (widget_class, FwItemView, list_scroller);
  gtk_widget_class_bind_template_child (widget_class, FwItemView, column_view);
  gtk_widget_class_bind_template_child (widget_class, FwItemView, time_column);
  gtk_widget_class_bind_template_child (widget_class, FwItemView, feed_column);
  gtk_widget_class_bind_template_child (widget_class, FwItemView, level_column);
  gtk_widget_class_bind_template_child (widget_class, FwItemView, text_column);
  gtk_widget_class_bind_template_child (widget_class, FwItemView, jump_button);
  gtk_widget_class_bind_template_child (widget_class, FwItemView, details_paned);
  gtk_widget_class_bind_template_child (widget_class, FwItemView, details);
  gtk_widget_class_bind_template_child (widget_class, FwItemView, row_menu);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_search_changed", G_CALLBACK (_fw_item_view_on_search_changed));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_level_changed", G_CALLBACK (_fw_item_view_on_level_changed));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_list_scroll", G_CALLBACK (_fw_item_view_on_list_scroll));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_list_key", G_CALLBACK (_fw_item_view_on_list_key));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_list_right_click", G_CALLBACK (_fw_item_view_on_list_right_click));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_list_long_press", G_CALLBACK (_fw_item_view_on_list_long_press));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_details_paned_changed", G_CALLBACK (_fw_item_view_on_details_paned_changed));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_details_close", G_CALLBACK (_fw_item_view_on_details_close));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_cell_setup",
                                                G_CALLBACK (_fw_item_view_cell_setup));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_cell_bind",
                                                G_CALLBACK (_fw_item_view_cell_bind));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_cell_unbind",
                                                G_CALLBACK (_fw_item_view_cell_unbind));

  gtk_widget_class_install_action (widget_class, "item-view.jump-to-live", NULL,
                                   _fw_item_view_jump_to_live_action);
  gtk_widget_class_install_action (widget_class, "item-view.copy", NULL, _fw_item_view_copy_action);
  gtk_widget_class_install_action (widget_class, "item-view.copy-json", NULL, _fw_item_view_copy_action);
  gtk_widget_class_install_action (widget_class, "item-view.show-only-feed", NULL,
                                   _fw_item_view_show_only_feed_action);
  gtk_widget_class_install_action (widget_class, "item-view.show-only-level", NULL,
                                   _fw_item_view_show_only_level_action);
  gtk_widget_class_install_action (widget_class, "item-view.search-text", NULL,
                                   _fw_item_view_search_text_action);
  gtk_widget_class_install_action (widget_class, "item-view.alert-on-line", NULL,
                                   _fw_item_view_alert_on_line_action);
  gtk_widget_class_install_action (widget_class, "item-view.close-details", NULL,
                                   _fw_item_view_close_details_action);

  /* A disabled action lets the key go on: Escape closes the pane only while it is open, and
   * a text field with the focus copies its own selection. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK,
                                       "item-view.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0,
                                       "item-view.close-details", NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Menu, 0, _fw_item_view_show_row_menu, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, _fw_item_view_show_row_menu, NULL);
}

/* ---------------------------------------------------------------------------------------- */
/* The time format (Preferences) */

/* A cell keeps its text until it is bound again: a new time format makes the Time column's
 * cells anew (hiding a column removes its cells, showing it makes and binds them, for the rows
 * that exist: those on screen or near it; with GTK 4.8 setting the factory again rebinds
 * nothing) and resizes the column by what the new text needs beyond the default's. */
static void
on_time_format_changed (FwItemView *self)
{
  char sample[FW_TIME_TEXT_SIZE];
  int width, default_width;
  PangoLayout *layout;

  fw_time_format_write (fw_time_format_get_default (), 0, sample);
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), sample);
  pango_layout_get_pixel_size (layout, &width, NULL);
  pango_layout_set_text (layout, "00:00:00.000", -1);
  pango_layout_get_pixel_size (layout, &default_width, NULL);
  g_object_unref (layout);
  gtk_column_view_column_set_fixed_width (self->time_column,
                                          TIME_COLUMN_WIDTH + MAX (width - default_width, 0));

  gtk_column_view_column_set_visible (self->time_column, FALSE);
  gtk_column_view_column_set_visible (self->time_column, TRUE);
}

static void
on_search_mode_changed (FwItemView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), _fw_item_view_properties[PROP_SEARCH_MODE]);
}

static void
fw_item_view_init (FwItemView *self)
{
  GtkAdjustment *vadj;

  self->following = TRUE;
  self->live = TRUE;
  self->view_levels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->feed_column_width = 150; /* as in the .ui */
  self->details_width = 360;
  self->details_height = 260;

  g_type_ensure (FW_TYPE_ITEM_DETAILS);
  gtk_widget_init_template (GTK_WIDGET (self));
  fw_accessible_name_drop_down (self->level_dropdown, _("Lowest Level Shown"));

  /* Esc in the entry closes the search */
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  self->row_popover = gtk_popover_menu_new_from_model (self->row_menu);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->row_popover), FALSE);
  gtk_widget_set_halign (self->row_popover, GTK_ALIGN_START);
  gtk_widget_set_parent (self->row_popover, GTK_WIDGET (self));
  _fw_item_view_update_row_actions (self);

  g_signal_connect_swapped (self->search_bar, "notify::search-mode-enabled",
                            G_CALLBACK (on_search_mode_changed), self);
  vadj = gtk_scrolled_window_get_vadjustment (self->list_scroller);
  g_signal_connect (vadj, "value-changed", G_CALLBACK (_fw_item_view_on_scrolled), self);
  self->list_motion = gtk_event_controller_motion_new ();
  g_signal_connect_swapped (self->list_motion, "notify::contains-pointer",
                            G_CALLBACK (_fw_item_view_update_scrollbar), self);
  gtk_widget_add_controller (GTK_WIDGET (self->list_scroller), self->list_motion);
  _fw_item_view_update_scrollbar (self);
  g_signal_connect (vadj, "notify::upper", G_CALLBACK (_fw_item_view_on_content_resized), self);
  g_signal_connect_object (fw_time_format_get_default (), "notify",
                           G_CALLBACK (on_time_format_changed), self, G_CONNECT_SWAPPED);
  /* A window opened after the format changed starts with it */
  if (fw_time_format_get_zone (fw_time_format_get_default ()) != FW_TIME_ZONE_LOCAL ||
      fw_time_format_get_show_date (fw_time_format_get_default ()))
    on_time_format_changed (self);
  update_feed_column (self);
}

/* ---------------------------------------------------------------------------------------- */
/* Public */

GtkWidget *
fw_item_view_new (void)
{
  return g_object_new (FW_TYPE_ITEM_VIEW, NULL);
}

/**
 * fw_item_view_set_history:
 *
 * Shows @history's items, below a head row that says where the history starts. The view sets
 * the history's search, level filter and feed filter, and freezes it while paused.
 */
void
fw_item_view_set_history (FwItemView *self,
                          FwHistory  *history)
{
  g_return_if_fail (FW_IS_ITEM_VIEW (self));
  g_return_if_fail (history == NULL || FW_IS_HISTORY (history));

  if (self->history == history)
    return;

  disconnect_history (self);
  if (history != NULL)
    {
      self->history = g_object_ref (history);
      connect_history (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), _fw_item_view_properties[PROP_HISTORY]);
}

void
fw_item_view_set_feeds (FwItemView *self,
                        FwFeedList *feeds)
{
  g_return_if_fail (FW_IS_ITEM_VIEW (self));
  g_return_if_fail (feeds == NULL || FW_IS_FEED_LIST (feeds));

  if (g_set_object (&self->feeds, feeds))
    g_object_notify_by_pspec (G_OBJECT (self), _fw_item_view_properties[PROP_FEEDS]);
}

/**
 * fw_item_view_set_alert_log:
 * @log: (nullable): the alerts, whose firing items the list highlights
 */
void
fw_item_view_set_alert_log (FwItemView *self,
                            FwAlertLog *log)
{
  g_return_if_fail (FW_IS_ITEM_VIEW (self));
  g_return_if_fail (log == NULL || FW_IS_ALERT_LOG (log));

  g_set_object (&self->alert_log, log);
}

/* Each view (a feed's, all feeds') has its own level filter: "errors only" set on one feed's
 * view does not hide the other feeds' lines when the user moves on, and is there again when
 * they come back. */
#define PACK_LEVEL(selected, only) (((selected) | ((guint) (only) << 8)) + 1)

static void
keep_view_level (FwItemView *self)
{
  guint selected = gtk_drop_down_get_selected (self->level_dropdown);

  if (selected == GTK_INVALID_LIST_POSITION)
    selected = 0;
  g_hash_table_insert (self->view_levels, g_strdup (self->feed != NULL ? self->feed : ""),
                       GUINT_TO_POINTER (PACK_LEVEL (selected, self->only_level)));
}

static void
restore_view_level (FwItemView *self)
{
  guint packed = GPOINTER_TO_UINT (g_hash_table_lookup (self->view_levels,
                                                        self->feed != NULL ? self->feed : ""));
  guint selected = packed != 0 ? (packed - 1) & 0xff : 0;
  FwLevel only = packed != 0 ? (FwLevel) ((packed - 1) >> 8) : FW_LEVEL_NONE;

  if (selected == N_LEVEL_CHOICES)
    {
      _fw_item_view_set_only_level (self, only);
      return;
    }
  if (gtk_drop_down_get_selected (self->level_dropdown) != selected)
    gtk_drop_down_set_selected (self->level_dropdown, selected);
}

/**
 * fw_item_view_set_feed:
 * @feed: (nullable): a feed's spec, or %NULL for the merged timeline
 *
 * Shows only @feed's items (the Feed column goes, as it would say the same on every row).
 */
void
fw_item_view_set_feed (FwItemView *self,
                       const char *feed)
{
  g_return_if_fail (FW_IS_ITEM_VIEW (self));

  if (g_strcmp0 (self->feed, feed) != 0)
    {
      keep_view_level (self);
      g_free (self->feed);
      self->feed = g_strdup (feed);
      g_object_notify_by_pspec (G_OBJECT (self), _fw_item_view_properties[PROP_FEED]);
      if (self->history != NULL)
        fw_history_set_feed (self->history, self->feed);
      restore_view_level (self);
    }
  else if (self->history != NULL)
    fw_history_set_feed (self->history, self->feed);
  update_feed_column (self);
}

gboolean
fw_item_view_get_paused (FwItemView *self)
{
  g_return_val_if_fail (FW_IS_ITEM_VIEW (self), FALSE);

  return self->paused;
}

/**
 * fw_item_view_set_paused:
 *
 * Pauses the view: new items go on into the history, counted as unseen, and the rows hold
 * still. Resuming a view that follows the end shows them and goes back to the end.
 */
void
fw_item_view_set_paused (FwItemView *self,
                         gboolean    paused)
{
  g_return_if_fail (FW_IS_ITEM_VIEW (self));

  paused = !!paused;
  if (self->paused == paused)
    return;
  self->paused = paused;
  _fw_item_view_update_frozen (self);
  if (!self->paused && self->following && self->history != NULL)
    {
      _fw_item_view_flush_history (self);
      _fw_item_view_scroll_to_end (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), _fw_item_view_properties[PROP_PAUSED]);
}

/**
 * fw_item_view_get_following:
 *
 * Returns: whether the view shows the newest rows as they come: not paused, and not scrolled
 *   up by the user
 */
gboolean
fw_item_view_get_following (FwItemView *self)
{
  g_return_val_if_fail (FW_IS_ITEM_VIEW (self), FALSE);

  return self->following && !self->paused;
}

/**
 * fw_item_view_jump_to_live:
 *
 * Resumes the view and takes it to the newest row, following from then on.
 */
void
fw_item_view_jump_to_live (FwItemView *self)
{
  g_return_if_fail (FW_IS_ITEM_VIEW (self));

  self->following = TRUE;
  fw_item_view_set_paused (self, FALSE);
  _fw_item_view_update_frozen (self);
  if (self->history != NULL)
    {
      _fw_item_view_flush_history (self);
      _fw_item_view_scroll_to_end (self);
    }
}

/**
 * fw_item_view_start_search:
 *
 * Shows the search bar and puts the keyboard focus in its entry.
 */
void
fw_item_view_start_search (FwItemView *self)
{
  g_return_if_fail (FW_IS_ITEM_VIEW (self));

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

GtkScrolledWindow *
fw_item_view_get_scroller (FwItemView *self)
{
  g_return_val_if_fail (FW_IS_ITEM_VIEW (self), NULL);

  return self->list_scroller;
}

GtkSelectionModel *
fw_item_view_get_selection (FwItemView *self)
{
  g_return_val_if_fail (FW_IS_ITEM_VIEW (self), NULL);

  return GTK_SELECTION_MODEL (self->selection);
}

GtkWidget *
fw_item_view_get_details (FwItemView *self)
{
  g_return_val_if_fail (FW_IS_ITEM_VIEW (self), NULL);

  return GTK_WIDGET (self->details);
}
