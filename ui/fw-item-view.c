/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-item-view.c: the live list of items: publishing the history once per frame, following
 * the end and pausing the view, search and the level filter, the head row, the columns and
 * their cells. The window gives it the history to show and the feeds (for the Feed column's
 * titles), and sets the feed filter and the pause; everything else happens here. */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "fw-item-object.h"
#include "fw-accessible.h"
#include "fw-item-view-private.h"

/* The level filter's fixed choices (fw-item-view.ui); a sixth is "Only <level>" */
#define N_LEVEL_CHOICES 5

/* How much of a row's text "Search for This Text" puts in the search entry */
#define SEARCH_TEXT_MAX 200

G_DEFINE_FINAL_TYPE (FwItemView, fw_item_view, GTK_TYPE_WIDGET)

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

static GParamSpec *properties[N_PROPS];

/* The Time column's width in the .ui, for "HH:MM:SS.mmm" */
#define TIME_COLUMN_WIDTH 110

static void anchor_on_head (FwItemView *self);
static void place_details (FwItemView *self);
static void on_selection_changed (GtkSelectionModel *model,
                                  guint              position,
                                  guint              n_items,
                                  FwItemView        *self);

/* ---------------------------------------------------------------------------------------- */
/* Publishing */

/* Publishes what the history has for the view (see "The head row" for the anchor). */
static gboolean
flush_history (FwItemView *self)
{
  if (fw_history_get_drops_all_shown (self->history))
    anchor_on_head (self);
  return fw_history_flush (self->history);
}

static void scroll_to_end (FwItemView *self);

static gboolean
on_frame_tick (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       user_data)
{
  FwItemView *self = FW_ITEM_VIEW (widget);

  self->frame_tick_id = 0;
  /* A flush that could not publish everything asks for another frame; a frozen view waits
   * for new items or for unfreezing instead of ticking. */
  if (flush_history (self) && !fw_history_get_frozen (self->history))
    fw_item_view_queue_publish (self);
  if (self->following && !self->paused)
    scroll_to_end (self);

  return G_SOURCE_REMOVE;
}

/**
 * fw_item_view_queue_publish:
 *
 * New items are in the history, or its filters changed: the view publishes them at the next
 * frame. At most one publication a frame, and no ticking at all while nothing is new.
 */
void
fw_item_view_queue_publish (FwItemView *self)
{
  g_return_if_fail (FW_IS_ITEM_VIEW (self));

  if (self->frame_tick_id == 0 && self->history != NULL)
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

static void
update_frozen (FwItemView *self)
{
  gboolean live = self->following && !self->paused;

  if (self->history != NULL)
    fw_history_set_frozen (self->history, !live);
  gtk_widget_set_visible (GTK_WIDGET (self->jump_button), !live);
  if (live != self->live)
    {
      self->live = live;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOWING]);
    }
}

static void
scroll_to_end (FwItemView *self)
{
  /* After the frame is painted, when the list has laid out its new rows (see on_after_paint) */
  self->scroll_pending = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self->column_view));
}

static void
on_after_paint (GdkFrameClock *clock,
                FwItemView    *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->list_scroller);
  double end = gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj);

  if (!self->scroll_pending)
    return;
  self->scroll_pending = FALSE;

  if (self->following && !self->paused && gtk_adjustment_get_value (adj) < end - 0.5)
    {
      self->last_upper = gtk_adjustment_get_upper (adj);
      self->last_value = end;
      gtk_adjustment_set_value (adj, end);
    }
}

static void
stop_following (FwItemView *self)
{
  if (!self->following)
    return;

  self->following = FALSE;
  update_frozen (self);
}

static void
on_scrolled (GtkAdjustment *adj,
             FwItemView    *self)
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
      update_frozen (self);
    }

  self->last_value = value;
  self->last_upper = upper;
}

static void
on_content_resized (GtkAdjustment *adj,
                    GParamSpec    *pspec,
                    FwItemView    *self)
{
  /* Rows came or went: the next move of the value is theirs to explain, not the user's. */
  self->last_value = gtk_adjustment_get_value (adj);
  self->last_upper = gtk_adjustment_get_upper (adj);
}

static gboolean
on_list_scroll (GtkEventControllerScroll *controller,
                double                    dx,
                double                    dy,
                FwItemView               *self)
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
             FwItemView            *self)
{
  if (keyval == GDK_KEY_Up || keyval == GDK_KEY_Page_Up || keyval == GDK_KEY_Home ||
      keyval == GDK_KEY_KP_Up || keyval == GDK_KEY_KP_Page_Up)
    stop_following (self);

  return FALSE;
}

static void
update_jump_label (FwItemView *self)
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

static void
jump_to_live_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  fw_item_view_jump_to_live (FW_ITEM_VIEW (widget));
}

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

static void
on_search_changed (FwItemView *self)
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

static void
on_level_changed (FwItemView *self)
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

static void
anchor_on_head (FwItemView *self)
{
  /* Our move, not the user's (on_scrolled) */
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
  gtk_column_view_column_set_visible (self->feed_column, self->feed == NULL && !self->compact);
}

/* ---------------------------------------------------------------------------------------- */
/* The history shown */

static void
on_history_notify (FwItemView *self)
{
  update_jump_label (self);
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
  g_signal_connect (self->selection, "selection-changed", G_CALLBACK (on_selection_changed),
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
  update_frozen (self);
  update_jump_label (self);
  update_match_label (self);
}

/* ---------------------------------------------------------------------------------------- */
/* Selection and the details pane
 *
 * Rows are selected as in any list (click, Shift and Ctrl with the pointer or the arrows,
 * Ctrl+A); the pane shows the row selected last. Selecting pauses the view: under a flood the
 * row picked would otherwise be gone from under the pointer at the next frame, and the
 * selection grows stale as rows scroll away. Jump to live resumes, the pane staying open on
 * its item. The selection is kept by position (GtkMultiSelection): rows evicted from the
 * head of the history shift it with them, and a row evicted goes from it. */

static FwItemObject *
item_object_at (FwItemView *self,
                guint       position)
{
  GObject *object = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (object != NULL && !FW_IS_ITEM_OBJECT (object))
    g_clear_object (&object);
  return (FwItemObject *) object;
}

static const char *
feed_title (FwItemView *self,
            FwItem     *item)
{
  FwFeedRunner *runner = NULL;

  if (item->feed != NULL && self->feeds != NULL)
    runner = fw_feed_list_lookup (self->feeds, item->feed, NULL);
  return runner != NULL ? fw_feed_runner_get_title (runner) : item->feed;
}

/* The item the menu's one-row actions (Show Only This Feed, …) are about */
static FwItem *
current_item (FwItemView *self)
{
  return fw_item_details_get_item (self->details);
}

static void
update_row_actions (FwItemView *self)
{
  FwItem *item = current_item (self);
  gboolean any = item != NULL;

  if (!any && self->selection != NULL)
    {
      GtkBitset *selected =
        gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));

      any = !gtk_bitset_is_empty (selected);
      gtk_bitset_unref (selected);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "item-view.copy", any);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "item-view.copy-json", any);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "item-view.show-only-feed",
                                 item != NULL && item->feed != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "item-view.show-only-level",
                                 item != NULL && item->level != FW_LEVEL_NONE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "item-view.search-text",
                                 item != NULL && (item->text_len > 0 || item->name != NULL));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "item-view.close-details",
                                 gtk_widget_get_visible (GTK_WIDGET (self->details)));
}

static void
show_details (FwItemView *self,
              FwItem     *item)
{
  fw_item_details_set_item (self->details, item, item != NULL ? feed_title (self, item) : NULL);
  if (item != NULL && !gtk_widget_get_visible (GTK_WIDGET (self->details)))
    {
      place_details (self);
      gtk_widget_set_visible (GTK_WIDGET (self->details), TRUE);
    }
  update_row_actions (self);
}

static void
close_details (FwItemView *self)
{
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (self)));

  if (!gtk_widget_get_visible (GTK_WIDGET (self->details)))
    return;
  /* The focus goes back to the rows rather than nowhere */
  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->details)))
    gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
  gtk_widget_set_visible (GTK_WIDGET (self->details), FALSE);
  update_row_actions (self);
}

static void
on_details_close (FwItemView *self)
{
  close_details (self);
}

static void
close_details_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  close_details (FW_ITEM_VIEW (widget));
}

static void
on_selection_changed (GtkSelectionModel *model,
                      guint              position,
                      guint              n_items,
                      FwItemView        *self)
{
  GtkBitset *selected;
  guint shown = GTK_INVALID_LIST_POSITION;
  g_autoptr(FwItemObject) object = NULL;

  /* The head row is a note, not an item: Ctrl+A or a click does not keep it */
  if (gtk_selection_model_is_selected (model, 0))
    {
      gtk_selection_model_unselect_item (model, 0);
      return;
    }

  /* The row selected last: the one the click or key just selected, or the last of a range */
  for (guint i = position + n_items; i > position; i--)
    if (gtk_selection_model_is_selected (model, i - 1))
      {
        shown = i - 1;
        break;
      }
  selected = gtk_selection_model_get_selection (model);
  if (shown == GTK_INVALID_LIST_POSITION && !gtk_bitset_is_empty (selected))
    shown = gtk_bitset_get_maximum (selected);
  gtk_bitset_unref (selected);

  if (shown != GTK_INVALID_LIST_POSITION)
    object = item_object_at (self, shown);
  if (object != NULL)
    {
      fw_item_view_set_paused (self, TRUE);
      show_details (self, fw_item_object_get_item (object));
    }
  else
    update_row_actions (self);
}

/* The details pane keeps its size, in pixels, when the window is resized (GtkPaned gives the
 * change to the rows: resize-end-child is off); the size the user drags it to is remembered
 * (FwItemView:details-width and :details-height, which the window keeps in GSettings).
 * GtkPaned places its start child, so the pane's size is what is left after the position.
 * The position is set before the pane is shown, so it opens at its size at once. */

static gboolean
details_below (FwItemView *self)
{
  return gtk_orientable_get_orientation (GTK_ORIENTABLE (self->details_paned)) ==
         GTK_ORIENTATION_VERTICAL;
}

static int
details_paned_extent (FwItemView *self)
{
  return details_below (self) ? gtk_widget_get_height (GTK_WIDGET (self->details_paned))
                              : gtk_widget_get_width (GTK_WIDGET (self->details_paned));
}

static void
place_details (FwItemView *self)
{
  int extent = details_paned_extent (self);
  int size = details_below (self) ? self->details_height : self->details_width;

  if (extent <= 0)
    return;
  /* The rows keep at least a third of the room */
  self->details_restoring = TRUE;
  gtk_paned_set_position (self->details_paned, MAX (extent - size, extent / 3));
  self->details_restoring = FALSE;
}

static void
on_details_paned_changed (FwItemView *self)
{
  gboolean below = details_below (self);
  int *size = below ? &self->details_height : &self->details_width;
  int extent = details_paned_extent (self);
  int dragged;

  if (self->details_restoring || extent <= 0 ||
      !gtk_widget_get_visible (GTK_WIDGET (self->details)))
    return;
  if (self->details_turned)
    {
      /* The first layout after turning: GtkPaned moved the handle by the difference between
       * its width and its height, as if the window had been resized */
      self->details_turned = TRUE;
      place_details (self);
      return;
    }

  /* The schema's smallest size, whatever the paned allows */
  dragged = MAX (extent - gtk_paned_get_position (self->details_paned), 120);
  if (*size != dragged)
    {
      *size = dragged;
      g_object_notify_by_pspec (G_OBJECT (self),
                                properties[below ? PROP_DETAILS_HEIGHT : PROP_DETAILS_WIDTH]);
    }
}

static void
update_details_orientation (FwItemView *self)
{
  GtkOrientation orientation = self->compact ? GTK_ORIENTATION_VERTICAL
                                             : GTK_ORIENTATION_HORIZONTAL;

  if (gtk_orientable_get_orientation (GTK_ORIENTABLE (self->details_paned)) == orientation)
    return;
  self->details_restoring = TRUE;
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->details_paned), orientation);
  self->details_restoring = FALSE;
  self->details_turned = TRUE;
  place_details (self);
}

static void
set_details_size (FwItemView *self,
                  int        *size,
                  int         value,
                  GParamSpec *pspec)
{
  if (*size == value)
    return;
  *size = value;
  if (gtk_widget_get_visible (GTK_WIDGET (self->details)))
    place_details (self);
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

/* ---------------------------------------------------------------------------------------- */
/* Copy */

/* What Copy writes of a row: its text whole (the row shows one line of it), or for a reading
 * without text what the row shows. U+0000 (an SSE event may carry one) would end the
 * clipboard's text, so it is written as ␀. */
static void
append_row_text (GString      *out,
                 FwItemObject *object)
{
  gsize len = 0;
  const char *text = fw_item_object_get_text (object, &len);
  const char *end;

  if (len == 0)
    {
      g_string_append (out, fw_item_object_get_summary (object));
      return;
    }
  end = text + len;
  for (const char *p = text; p < end;)
    {
      const char *nul = memchr (p, '\0', end - p);

      g_string_append_len (out, p, (nul != NULL ? nul : end) - p);
      if (nul == NULL)
        break;
      g_string_append (out, "␀");
      p = nul + 1;
    }
}

/* A row as `feedwatch --print` writes it: fw_item_append_json(), and a binary message's
 * payload as base64 in "data", as app/fw-print.c adds it */
static void
append_row_json (GString *out,
                 FwItem  *item)
{
  g_autoptr(GVariant) data = NULL;

  fw_item_append_json (item, out);
  if (!(item->flags & FW_ITEM_FLAG_BINARY) || item->fields == NULL ||
      (data = g_variant_lookup_value (item->fields, "data", G_VARIANT_TYPE_BYTESTRING)) == NULL)
    return;
  {
    gsize len;
    const guint8 *bytes = g_variant_get_fixed_array (data, &len, 1);
    g_autofree char *encoded = g_base64_encode (bytes, len);

    g_string_truncate (out, out->len - 1);
    g_string_append (out, ",\"data\":\"");
    g_string_append (out, encoded);
    g_string_append (out, "\"}");
  }
}

/**
 * fw_item_view_get_selected_text:
 * @json: JSON Lines, as --print writes them, rather than the rows' text
 *
 * Returns: (transfer full): the selected rows, one a line, in the list's order; with nothing
 *   selected, the item the details pane shows. "" when there is neither.
 */
char *
fw_item_view_get_selected_text (FwItemView *self,
                                gboolean    json)
{
  GString *out = g_string_new (NULL);
  GtkBitset *selected;
  GtkBitsetIter iter;
  guint position;
  gboolean any = FALSE;

  g_return_val_if_fail (FW_IS_ITEM_VIEW (self), NULL);

  if (self->selection == NULL)
    return g_string_free (out, FALSE);
  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  for (gboolean valid = gtk_bitset_iter_init_first (&iter, selected, &position);
       valid;
       valid = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(FwItemObject) object = item_object_at (self, position);

      if (object == NULL)
        continue;
      if (any)
        g_string_append_c (out, '\n');
      any = TRUE;
      if (json)
        append_row_json (out, fw_item_object_get_item (object));
      else
        append_row_text (out, object);
    }
  gtk_bitset_unref (selected);

  if (!any && current_item (self) != NULL)
    {
      g_autoptr(FwItemObject) object = fw_item_object_new (current_item (self));

      if (json)
        append_row_json (out, fw_item_object_get_item (object));
      else
        append_row_text (out, object);
    }

  return g_string_free (out, FALSE);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  FwItemView *self = FW_ITEM_VIEW (widget);
  g_autofree char *text =
    fw_item_view_get_selected_text (self, g_str_equal (action_name, "item-view.copy-json"));

  if (*text != '\0')
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
}

/* ---------------------------------------------------------------------------------------- */
/* The rows' context menu */

static void
show_only_feed_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  FwItemView *self = FW_ITEM_VIEW (widget);
  FwItem *item = current_item (self);

  if (item == NULL || item->feed == NULL)
    return;
  /* In a window the sidebar selects the feed, which sets the view's; on its own, the view */
  if (!gtk_widget_activate_action (widget, "win.show-feed", "s", item->feed))
    fw_item_view_set_feed (self, item->feed);
}

static void
show_only_level_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  FwItemView *self = FW_ITEM_VIEW (widget);
  FwItem *item = current_item (self);
  GtkStringList *levels = GTK_STRING_LIST (gtk_drop_down_get_model (self->level_dropdown));
  g_autofree char *label = NULL;

  if (item == NULL || item->level == FW_LEVEL_NONE)
    return;
  /* The level filter's menu gets an entry for it, so the filter shows in the search bar */
  self->only_level = item->level;
  /* Translators: %s is a level's name, such as "warning" */
  label = g_strdup_printf (_("Only %s"), fw_level_to_string (item->level));
  if (g_list_model_get_n_items (G_LIST_MODEL (levels)) > N_LEVEL_CHOICES)
    gtk_string_list_remove (levels, N_LEVEL_CHOICES);
  gtk_string_list_append (levels, label);
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  if (gtk_drop_down_get_selected (self->level_dropdown) == N_LEVEL_CHOICES)
    on_level_changed (self);
  else
    gtk_drop_down_set_selected (self->level_dropdown, N_LEVEL_CHOICES);
}

static void
search_text_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  FwItemView *self = FW_ITEM_VIEW (widget);
  FwItem *item = current_item (self);
  const char *text, *end;
  g_autofree char *line = NULL;

  if (item == NULL)
    return;
  /* The first line of the text, a search entry's worth of it: it finds this row and its kin */
  text = item->text_len > 0 ? item->text : item->name != NULL ? item->name : "";
  end = text + strlen (text);
  if (memchr (text, '\n', end - text) != NULL)
    end = memchr (text, '\n', end - text);
  if (end - text > SEARCH_TEXT_MAX)
    end = g_utf8_find_prev_char (text, text + SEARCH_TEXT_MAX + 1);
  line = g_strndup (text, end - text);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_toggle_button_set_active (self->regex_button, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), line);
  /* At once, not after the entry's typing delay */
  on_search_changed (self);
}

static void
popup_row_menu (FwItemView *self,
                GtkWidget  *from,
                double      x,
                double      y)
{
  graphene_point_t point;

  if (!gtk_widget_compute_point (from, GTK_WIDGET (self), &GRAPHENE_POINT_INIT (x, y), &point))
    return;
  gtk_popover_set_pointing_to (GTK_POPOVER (self->row_popover),
                               &(GdkRectangle) { (int) point.x, (int) point.y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->row_popover));
}

/* The row under the pointer joins the selection's meaning: right-clicking a row outside the
 * selection selects it alone, as file managers do; inside it, the selection stays. */
static void
popup_row_menu_at (FwItemView *self,
                   double      x,
                   double      y)
{
  guint position = _fw_item_view_position_at (self, x, y);

  if (position == GTK_INVALID_LIST_POSITION || position == 0)
    return;
  if (!gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->selection), position))
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  popup_row_menu (self, GTK_WIDGET (self->column_view), x, y);
}

static void
on_list_right_click (GtkGestureClick *gesture,
                     int              n_press,
                     double           x,
                     double           y,
                     FwItemView      *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  popup_row_menu_at (self, x, y);
}

static void
on_list_long_press (GtkGestureLongPress *gesture,
                    double               x,
                    double               y,
                    FwItemView          *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  popup_row_menu_at (self, x, y);
}

/* The Menu key and Shift+F10: the menu opens on the focused row, or the list's top */
static gboolean
show_row_menu (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  FwItemView *self = FW_ITEM_VIEW (widget);
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));
  graphene_rect_t bounds;

  if (current_item (self) == NULL)
    return FALSE;
  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->column_view)) &&
      gtk_widget_compute_bounds (focus, widget, &bounds))
    popup_row_menu (self, widget, bounds.origin.x + 24, bounds.origin.y + bounds.size.height);
  else
    popup_row_menu (self, GTK_WIDGET (self->column_view), 24, 24);
  return TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* GObject */

static void
fw_item_view_realize (GtkWidget *widget)
{
  FwItemView *self = FW_ITEM_VIEW (widget);

  GTK_WIDGET_CLASS (fw_item_view_parent_class)->realize (widget);

  self->frame_clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  self->after_paint_id = g_signal_connect (self->frame_clock, "after-paint",
                                           G_CALLBACK (on_after_paint), self);
}

static void
fw_item_view_unrealize (GtkWidget *widget)
{
  FwItemView *self = FW_ITEM_VIEW (widget);

  g_clear_signal_handler (&self->after_paint_id, self->frame_clock);
  g_clear_object (&self->frame_clock);

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

  G_OBJECT_CLASS (fw_item_view_parent_class)->dispose (object);
}

static void
fw_item_view_finalize (GObject *object)
{
  FwItemView *self = FW_ITEM_VIEW (object);

  g_free (self->feed);

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
  update_details_orientation (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPACT]);
}

static void
set_top_child (FwItemView *self,
               GtkWidget  *child)
{
  if (gtk_paned_get_start_child (self->paned) == child)
    return;
  gtk_paned_set_start_child (self->paned, child);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOP_CHILD]);
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
      set_details_size (self, &self->details_width, g_value_get_int (value), pspec);
      break;

    case PROP_DETAILS_HEIGHT:
      set_details_size (self, &self->details_height, g_value_get_int (value), pspec);
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
  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL, FW_TYPE_HISTORY,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* The feeds, which give the Feed column its titles */
  properties[PROP_FEEDS] =
    g_param_spec_object ("feeds", NULL, NULL, FW_TYPE_FEED_LIST,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* The feed whose items are shown, NULL for every feed's */
  properties[PROP_FEED] =
    g_param_spec_string ("feed", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* A narrow view leaves out the Feed column */
  properties[PROP_COMPACT] =
    g_param_spec_boolean ("compact", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* The rows hold still; new items are kept, not shown, until the view resumes */
  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* The view shows the newest rows as they come: not paused, not scrolled up */
  properties[PROP_FOLLOWING] =
    g_param_spec_boolean ("following", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* The search bar is shown */
  properties[PROP_SEARCH_MODE] =
    g_param_spec_boolean ("search-mode", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Above the rows, below the search bar, its height the user's to change: the window's plot */
  properties[PROP_TOP_CHILD] =
    g_param_spec_object ("top-child", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /* The details pane's width beside the rows, and its height below them on a narrow view */
  properties[PROP_DETAILS_WIDTH] =
    g_param_spec_int ("details-width", NULL, NULL, 120, G_MAXINT, 360,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DETAILS_HEIGHT] =
    g_param_spec_int ("details-height", NULL, NULL, 120, G_MAXINT, 260,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

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
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_level_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_list_scroll);
  gtk_widget_class_bind_template_callback (widget_class, on_list_key);
  gtk_widget_class_bind_template_callback (widget_class, on_list_right_click);
  gtk_widget_class_bind_template_callback (widget_class, on_list_long_press);
  gtk_widget_class_bind_template_callback (widget_class, on_details_paned_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_details_close);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_cell_setup",
                                                G_CALLBACK (_fw_item_view_cell_setup));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_cell_bind",
                                                G_CALLBACK (_fw_item_view_cell_bind));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_cell_unbind",
                                                G_CALLBACK (_fw_item_view_cell_unbind));

  gtk_widget_class_install_action (widget_class, "item-view.jump-to-live", NULL,
                                   jump_to_live_action);
  gtk_widget_class_install_action (widget_class, "item-view.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "item-view.copy-json", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "item-view.show-only-feed", NULL,
                                   show_only_feed_action);
  gtk_widget_class_install_action (widget_class, "item-view.show-only-level", NULL,
                                   show_only_level_action);
  gtk_widget_class_install_action (widget_class, "item-view.search-text", NULL,
                                   search_text_action);
  gtk_widget_class_install_action (widget_class, "item-view.close-details", NULL,
                                   close_details_action);

  /* A disabled action lets the key go on: Escape closes the pane only while it is open, and
   * a text field with the focus copies its own selection. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK,
                                       "item-view.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0,
                                       "item-view.close-details", NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Menu, 0, show_row_menu, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, show_row_menu, NULL);
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
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH_MODE]);
}

static void
fw_item_view_init (FwItemView *self)
{
  GtkAdjustment *vadj;

  self->following = TRUE;
  self->live = TRUE;
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
  update_row_actions (self);

  g_signal_connect_swapped (self->search_bar, "notify::search-mode-enabled",
                            G_CALLBACK (on_search_mode_changed), self);
  vadj = gtk_scrolled_window_get_vadjustment (self->list_scroller);
  g_signal_connect (vadj, "value-changed", G_CALLBACK (on_scrolled), self);
  g_signal_connect (vadj, "notify::upper", G_CALLBACK (on_content_resized), self);
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
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HISTORY]);
}

void
fw_item_view_set_feeds (FwItemView *self,
                        FwFeedList *feeds)
{
  g_return_if_fail (FW_IS_ITEM_VIEW (self));
  g_return_if_fail (feeds == NULL || FW_IS_FEED_LIST (feeds));

  if (g_set_object (&self->feeds, feeds))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FEEDS]);
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
      g_free (self->feed);
      self->feed = g_strdup (feed);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FEED]);
    }
  if (self->history != NULL)
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
  update_frozen (self);
  if (!self->paused && self->following && self->history != NULL)
    {
      flush_history (self);
      scroll_to_end (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
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
  update_frozen (self);
  if (self->history != NULL)
    {
      flush_history (self);
      scroll_to_end (self);
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
