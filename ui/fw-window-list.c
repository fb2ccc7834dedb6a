/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-window-list.c: the window's live list: publishing the history once per frame, following
 * the end and pausing the view, search and filters, the head row, the columns and their cells */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "fw-display-text.h"
#include "fw-window-private.h"

static void anchor_on_head (FwWindow *self);

/* ---------------------------------------------------------------------------------------- */
/* Publishing */

/* Publishes what the history has for the view (see "The head row" for the anchor). */
gboolean
_fw_window_flush_history (FwWindow *self)
{
  if (fw_history_get_drops_all_shown (self->history))
    anchor_on_head (self);
  return fw_history_flush (self->history);
}

static gboolean
on_frame_tick (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       user_data)
{
  FwWindow *self = FW_WINDOW (widget);

  self->frame_tick_id = 0;
  /* A flush that could not publish everything asks for another frame; a frozen view waits
   * for new items or for unfreezing instead of ticking. */
  if (_fw_window_flush_history (self) && !fw_history_get_frozen (self->history))
    _fw_window_schedule_flush (self);
  if (self->following && !self->view_paused)
    _fw_window_scroll_to_end (self);

  return G_SOURCE_REMOVE;
}

void
_fw_window_schedule_flush (FwWindow *self)
{
  /* At most one publication per frame, and no ticking at all while nothing is new. */
  if (self->frame_tick_id == 0)
    self->frame_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_frame_tick,
                                                        NULL, NULL);
}

/* ---------------------------------------------------------------------------------------- */
/* Following the end, pausing the view */

static gboolean
at_end (GtkAdjustment *adj)
{
  return gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) >=
         gtk_adjustment_get_upper (adj) - 2;
}

void
_fw_window_update_frozen (FwWindow *self)
{
  fw_history_set_frozen (self->history, self->view_paused || !self->following);
  gtk_widget_set_visible (GTK_WIDGET (self->jump_button), !self->following || self->view_paused);
}

void
_fw_window_scroll_to_end (FwWindow *self)
{
  /* After the frame is painted, when the list has laid out its new rows (see on_after_paint) */
  self->scroll_pending = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self->column_view));
}

static void
on_after_paint (GdkFrameClock *clock,
                FwWindow      *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->list_scroller);
  double end = gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj);

  if (!self->scroll_pending)
    return;
  self->scroll_pending = FALSE;

  if (self->following && !self->view_paused && gtk_adjustment_get_value (adj) < end - 0.5)
    {
      self->last_upper = gtk_adjustment_get_upper (adj);
      self->last_value = end;
      gtk_adjustment_set_value (adj, end);
    }
}

static void
on_window_realized (FwWindow *self)
{
  g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (self)), "after-paint",
                           G_CALLBACK (on_after_paint), self, 0);
}

static void
stop_following (FwWindow *self)
{
  if (!self->following)
    return;

  self->following = FALSE;
  _fw_window_update_frozen (self);
}

static void
on_scrolled (GtkAdjustment *adj,
             FwWindow      *self)
{
  double value = gtk_adjustment_get_value (adj);
  double upper = gtk_adjustment_get_upper (adj);

  /* Rows arriving or leaving move the adjustment too; only a move up with the same content
   * is the user's. Between a publication and the paint after it (scroll_pending) the list
   * lays out our change: under a flood GtkListView may then re-anchor far from the end with
   * the same upper, and that is not the user either (wheel and keys are seen as input). Back
   * at the end, the view follows again. */
  if (upper == self->last_upper && value < self->last_value - 1 && !at_end (adj) &&
      !self->scroll_pending)
    stop_following (self);
  else if (at_end (adj) && !self->following)
    {
      self->following = TRUE;
      _fw_window_update_frozen (self);
    }

  self->last_value = value;
  self->last_upper = upper;
}

static void
on_content_resized (GtkAdjustment *adj,
                    GParamSpec    *pspec,
                    FwWindow      *self)
{
  /* Rows came or went: the next move of the value is theirs to explain, not the user's. */
  self->last_value = gtk_adjustment_get_value (adj);
  self->last_upper = gtk_adjustment_get_upper (adj);
}

static gboolean
on_list_scroll (GtkEventControllerScroll *controller,
                double                    dx,
                double                    dy,
                FwWindow                 *self)
{
  if (dy < 0)
    stop_following (self);

  return FALSE;
}

static gboolean
on_list_key (GtkEventControllerKey *controller,
             guint                  keyval,
             guint                  keycode,
             GdkModifierType        state,
             FwWindow              *self)
{
  if (keyval == GDK_KEY_Up || keyval == GDK_KEY_Page_Up || keyval == GDK_KEY_Home ||
      keyval == GDK_KEY_KP_Up || keyval == GDK_KEY_KP_Page_Up)
    stop_following (self);

  return FALSE;
}

static void
update_jump_label (FwWindow *self)
{
  guint64 unseen = fw_history_get_n_unseen (self->history);
  g_autofree char *label = NULL;

  if (unseen == 0)
    label = g_strdup (_("Jump to live"));
  else
    label = g_strdup_printf (g_dngettext (NULL, "%" G_GUINT64_FORMAT " new item — jump to live",
                                          "%" G_GUINT64_FORMAT " new items — jump to live",
                                          unseen), unseen);
  gtk_button_set_label (self->jump_button, label);
}

/* ---------------------------------------------------------------------------------------- */
/* Search and filters */

static void
update_match_label (FwWindow *self)
{
  g_autofree char *text = NULL;
  guint matches = fw_history_get_n_matches (self->history);

  if (fw_history_get_filtering (self->history))
    text = g_strdup (_("Searching…"));
  else
    text = g_strdup_printf (g_dngettext (NULL, "%u match", "%u matches", matches), matches);
  gtk_label_set_text (self->match_label, text);
}

static void
on_search_changed (FwWindow *self)
{
  g_autoptr(GError) error = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (!fw_history_set_search (self->history, text, gtk_toggle_button_get_active (self->regex_button),
                              &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->search_entry), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->search_entry), error->message);
      return;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self->search_entry), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->search_entry), NULL);
  update_match_label (self);
}

static void
on_level_changed (FwWindow *self)
{
  static const FwLevel levels[] = {
    FW_LEVEL_NONE, FW_LEVEL_DEBUG, FW_LEVEL_INFO, FW_LEVEL_WARNING, FW_LEVEL_ERROR
  };
  guint selected = gtk_drop_down_get_selected (self->level_dropdown);

  if (selected < G_N_ELEMENTS (levels))
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

static void
anchor_on_head (FwWindow *self)
{
  /* Our move, not the user's (on_scrolled) */
  self->scroll_pending = TRUE;
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->list_scroller), 0);
}

static char *
head_text (FwWindow *self)
{
  guint64 n_dropped = fw_history_get_n_dropped (self->history);

  if (n_dropped == 0)
    return g_strdup (_("Start of history"));
  if (fw_history_get_bytes_limited (self->history))
    {
      g_autofree char *size = g_format_size (fw_history_get_max_bytes (self->history));

      return g_strdup_printf (g_dngettext (NULL, "%" G_GUINT64_FORMAT " older item dropped · the history keeps %s",
                                           "%" G_GUINT64_FORMAT " older items dropped · the history keeps %s",
                                           n_dropped),
                              n_dropped, size);
    }
  return g_strdup_printf (g_dngettext (NULL, "%" G_GUINT64_FORMAT " older item dropped · the history keeps %u",
                                       "%" G_GUINT64_FORMAT " older items dropped · the history keeps %u",
                                       n_dropped),
                          n_dropped, fw_history_get_capacity (self->history));
}

void
_fw_window_update_head (FwWindow *self)
{
  /* Bound only while on screen or near it */
  if (self->head_cell != NULL)
    fw_cell_text_take_text (self->head_cell, head_text (self));
}

static GListModel *
new_view_model (FwWindow *self)
{
  g_autoptr(GListStore) parts = g_list_store_new (G_TYPE_LIST_MODEL);
  g_autoptr(GListStore) head = g_list_store_new (GTK_TYPE_STRING_OBJECT);

  self->head = G_OBJECT (gtk_string_object_new (""));
  g_list_store_append (head, self->head);
  g_list_store_append (parts, head);
  g_list_store_append (parts, self->history);

  return G_LIST_MODEL (gtk_flatten_list_model_new (G_LIST_MODEL (g_steal_pointer (&parts))));
}

/* ---------------------------------------------------------------------------------------- */
/* Columns: plain text labels, highlighted matches as attributes, never markup */

typedef enum
{
  COLUMN_TIME,
  COLUMN_FEED,
  COLUMN_LEVEL,
  COLUMN_TEXT,
} Column;

/* The full text of a row, plain, asked for only when the pointer rests on it: setting a
 * tooltip at every bind would cost a pointer query to the display server per row per frame
 * under a flood. */
static gboolean
on_text_query_tooltip (GtkWidget  *cell,
                       int         x,
                       int         y,
                       gboolean    keyboard_mode,
                       GtkTooltip *tooltip,
                       gpointer    user_data)
{
  GtkListItem *list_item = user_data;
  FwItemObject *object = gtk_list_item_get_item (list_item);
  gsize len = 0;

  if (!FW_IS_ITEM_OBJECT (object) || fw_item_object_get_text (object, &len) == NULL || len == 0)
    return FALSE;
  gtk_tooltip_set_text (tooltip, fw_item_object_get_summary (object));
  return TRUE;
}

/* Cells are FwCellText, not GtkLabel: rebinding one under a flood costs no text layout. */
static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  Column column = ((FwWindowColumn *) user_data)->column;
  GtkWidget *cell = fw_cell_text_new ();

  if (column == COLUMN_TIME)
    gtk_widget_add_css_class (cell, "numeric");
  if (column == COLUMN_TIME || column == COLUMN_FEED)
    gtk_widget_add_css_class (cell, "dim-label");
  if (column == COLUMN_TEXT)
    {
      gtk_widget_add_css_class (cell, "monospace");
      gtk_widget_set_has_tooltip (cell, TRUE);
      /* The list item owns the cell, so it outlives the handler. */
      g_signal_connect (cell, "query-tooltip", G_CALLBACK (on_text_query_tooltip), list_item);
    }
  gtk_list_item_set_child (list_item, cell);
}

static void
set_level_class (FwCellText *cell,
                 FwLevel     level)
{
  static const char *classes[FW_N_LEVELS] = {
    NULL, "fw-level-trace", "fw-level-debug", "fw-level-info", "fw-level-notice",
    "fw-level-warning", "fw-level-error", "fw-level-critical",
  };

  if (level < FW_N_LEVELS)
    fw_cell_text_set_state_class (cell, classes[level]);
}

static void
bind_head_cell (FwWindow   *self,
                FwCellText *cell,
                Column      column)
{
  if (column == COLUMN_LEVEL)
    set_level_class (cell, FW_LEVEL_NONE);
  if (column != COLUMN_TEXT)
    {
      fw_cell_text_set_text (cell, "");
      return;
    }
  self->head_cell = cell;
  gtk_widget_add_css_class (GTK_WIDGET (cell), "dim-label");
  fw_cell_text_take_text (cell, head_text (self));
}

static void
unbind_cell (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  FwWindow *self = ((FwWindowColumn *) user_data)->window;

  if (self->head_cell == FW_CELL_TEXT (gtk_list_item_get_child (list_item)))
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->head_cell), "dim-label");
      self->head_cell = NULL;
    }
}

static char *
single_line (const char *text,
             gsize       len)
{
  /* Rows are one line, and what a feed sends cannot act on the row: see fw-display-text.c
   * (the tooltip has the whole text). */
  return fw_display_text (text, len);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  Column column = ((FwWindowColumn *) user_data)->column;
  FwWindow *self = ((FwWindowColumn *) user_data)->window;
  FwCellText *cell = FW_CELL_TEXT (gtk_list_item_get_child (list_item));
  FwItemObject *object;
  FwItem *item;

  fw_cell_text_set_attributes (cell, NULL);
  if (!FW_IS_ITEM_OBJECT (gtk_list_item_get_item (list_item)))
    {
      bind_head_cell (self, cell, column);
      return;
    }
  object = gtk_list_item_get_item (list_item);
  item = fw_item_object_get_item (object);
  switch (column)
    {
    case COLUMN_TIME:
      fw_cell_text_set_text (cell, fw_item_object_get_time (object));
      break;

    case COLUMN_FEED:
      {
        FwFeedRunner *runner =
          fw_feed_list_lookup (self->feeds, item->feed != NULL ? item->feed : "", NULL);
        fw_cell_text_set_text (cell, runner != NULL ? fw_feed_runner_get_title (runner)
                                                    : (item->feed != NULL ? item->feed : ""));
      }
      break;

    case COLUMN_LEVEL:
      {
        const char *name = fw_item_object_get_level_name (object);

        fw_cell_text_set_text (cell, name != NULL ? name : "");
        set_level_class (cell, item->level);
      }
      break;

    case COLUMN_TEXT:
      {
        gsize len = 0;
        const char *text = fw_item_object_get_text (object, &len);
        g_autofree char *shown = NULL;

        if (len == 0 && item->kind == FW_ITEM_READING)
          {
            g_autofree char *value = fw_format_value (item->value, item->unit);
            shown = g_strdup_printf ("%s = %s", item->name != NULL ? item->name : "value", value);
          }
        else if (item->kind == FW_ITEM_EVENT && item->name != NULL &&
                 !g_str_equal (item->name, "message"))
          {
            g_autofree char *data = single_line (text, len);
            shown = g_strdup_printf ("%s · %s", item->name, data);
          }
        else
          shown = single_line (text, len);
        g_autoptr(GArray) matches = NULL;

        matches = fw_history_find_matches (self->history, shown, strlen (shown));

        fw_cell_text_take_text (cell, g_steal_pointer (&shown));
        if (matches != NULL && matches->len > 0)
          {
            PangoAttrList *attrs = pango_attr_list_new ();
            for (guint i = 0; i < matches->len; i++)
              {
                FwMatchRange *range = &g_array_index (matches, FwMatchRange, i);
                PangoAttribute *bg = pango_attr_background_new (0xf6 * 257, 0xd3 * 257, 0x2d * 257);
                PangoAttribute *fg = pango_attr_foreground_new (0, 0, 0);
                bg->start_index = fg->start_index = range->start;
                bg->end_index = fg->end_index = range->end;
                pango_attr_list_insert (attrs, bg);
                pango_attr_list_insert (attrs, fg);
              }
            fw_cell_text_set_attributes (cell, attrs);
            pango_attr_list_unref (attrs);
          }
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

/* The columns are in the template, each with a signal factory: their cells are made here. */
static void
connect_column (FwWindow            *self,
                GtkColumnViewColumn *col,
                Column               column)
{
  GtkListItemFactory *factory = gtk_column_view_column_get_factory (col);
  FwWindowColumn *data = &self->columns[column];

  /* The window owns the view, which owns the factory: @data outlives the handlers. */
  data->window = self;
  data->column = column;
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), data);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), data);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), data);
}

/* The Feed column says nothing when one feed is shown, and on a narrow window the text needs
 * the room more. */
void
_fw_window_update_feed_column (FwWindow *self)
{
  if (self->feed_column != NULL)
    gtk_column_view_column_set_visible (self->feed_column,
                                        self->selected_feed == NULL &&
                                        !adw_leaflet_get_folded (self->leaflet));
}

/* ---------------------------------------------------------------------------------------- */
/* Setting up */

static void
on_history_notify (FwWindow *self)
{
  update_jump_label (self);
  update_match_label (self);
}

void
_fw_window_class_list_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_level_changed);
}

void
_fw_window_list_init (FwWindow *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;
  GtkAdjustment *vadj;

  /* Before the model: the first rows are set up with the cells */
  connect_column (self, self->time_column, COLUMN_TIME);
  connect_column (self, self->feed_column, COLUMN_FEED);
  connect_column (self, self->level_column, COLUMN_LEVEL);
  connect_column (self, self->text_column, COLUMN_TEXT);
  selection = gtk_no_selection_new (new_view_model (self));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
  _fw_window_update_feed_column (self);

  vadj = gtk_scrolled_window_get_vadjustment (self->list_scroller);
  g_signal_connect (vadj, "value-changed", G_CALLBACK (on_scrolled), self);
  g_signal_connect (vadj, "notify::upper", G_CALLBACK (on_content_resized), self);
  g_signal_connect (self, "realize", G_CALLBACK (on_window_realized), NULL);
  {
    GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
    GtkEventController *list_keys = gtk_event_controller_key_new ();

    gtk_event_controller_set_propagation_phase (scroll, GTK_PHASE_CAPTURE);
    g_signal_connect (scroll, "scroll", G_CALLBACK (on_list_scroll), self);
    gtk_widget_add_controller (GTK_WIDGET (self->list_scroller), scroll);
    gtk_event_controller_set_propagation_phase (list_keys, GTK_PHASE_CAPTURE);
    g_signal_connect (list_keys, "key-pressed", G_CALLBACK (on_list_key), self);
    gtk_widget_add_controller (GTK_WIDGET (self->list_scroller), list_keys);
  }
  g_signal_connect_swapped (self->history, "notify::n-unseen",
                            G_CALLBACK (on_history_notify), self);
  g_signal_connect_swapped (self->history, "notify::n-dropped",
                            G_CALLBACK (_fw_window_update_head), self);
  g_signal_connect_swapped (self->history, "notify::capacity",
                            G_CALLBACK (_fw_window_update_head), self);
  g_signal_connect_swapped (self->history, "notify::n-matches",
                            G_CALLBACK (on_history_notify), self);
  g_signal_connect_swapped (self->history, "notify::filtering",
                            G_CALLBACK (on_history_notify), self);
  /* A filter change is published at a flush, which new items alone would not bring about */
  g_signal_connect_swapped (self->history, "notify::feed",
                            G_CALLBACK (_fw_window_schedule_flush), self);
  g_signal_connect_swapped (self->history, "notify::search",
                            G_CALLBACK (_fw_window_schedule_flush), self);
  g_signal_connect_swapped (self->history, "notify::level-mask",
                            G_CALLBACK (_fw_window_schedule_flush), self);
  g_signal_connect_swapped (self->history, "notify::filtering",
                            G_CALLBACK (_fw_window_schedule_flush), self);
  update_jump_label (self);
  update_match_label (self);
}
