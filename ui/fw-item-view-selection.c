/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-item-view-selection.c: FwItemView's selected rows, and the details pane that shows the
 * last of them */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "fw-item-object.h"
#include "fw-item-view-private.h"

static void place_details (FwItemView *self);

/* ---------------------------------------------------------------------------------------- */
/* Selection and the details pane
 *
 * Rows are selected as in any list (click, Shift and Ctrl with the pointer or the arrows,
 * Ctrl+A); the pane shows the row selected last. Selecting pauses the view: under a flood the
 * row picked would otherwise be gone from under the pointer at the next frame, and the
 * selection grows stale as rows scroll away. Jump to live resumes, the pane staying open on
 * its item. The selection is kept by position (GtkMultiSelection): rows evicted from the
 * head of the history shift it with them, and a row evicted goes from it. */

FwItemObject *
_fw_item_view_item_object_at (FwItemView *self,
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
FwItem *
_fw_item_view_current_item (FwItemView *self)
{
  return fw_item_details_get_item (self->details);
}

void
_fw_item_view_update_row_actions (FwItemView *self)
{
  FwItem *item = _fw_item_view_current_item (self);
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
  _fw_item_view_update_row_actions (self);
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
  _fw_item_view_update_row_actions (self);
}

void
_fw_item_view_on_details_close (FwItemView *self)
{
  close_details (self);
}

void
_fw_item_view_close_details_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  close_details (FW_ITEM_VIEW (widget));
}

void
_fw_item_view_on_selection_changed (GtkSelectionModel *model,
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
    object = _fw_item_view_item_object_at (self, shown);
  if (object != NULL)
    {
      fw_item_view_set_paused (self, TRUE);
      show_details (self, fw_item_object_get_item (object));
    }
  else
    _fw_item_view_update_row_actions (self);
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

void
_fw_item_view_on_details_paned_changed (FwItemView *self)
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
                                _fw_item_view_properties[below ? PROP_DETAILS_HEIGHT : PROP_DETAILS_WIDTH]);
    }
}

void
_fw_item_view_update_details_orientation (FwItemView *self)
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

void
_fw_item_view_set_details_size (FwItemView *self,
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


/* GtkColumnView (4.8) has no scroll_to() of its own; its rows are a GtkListView child, whose
 * "list.scroll-to-item" action brings a row into view. */
static void
scroll_to_row (FwItemView *self,
               guint       position)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LIST_VIEW (child))
        {
          gtk_widget_activate_action (child, "list.scroll-to-item", "u", position);
          return;
        }
    }
}

/* The row of the item fw_item_view_show_item() asked for: the one an alert fired on when
 * several share the time (the items of one read do), else the newest of them */
static guint
find_item_row (FwItemView *self,
               const char *feed,
               gint64      time_us)
{
  guint found = GTK_INVALID_LIST_POSITION;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));

  /* Newest first: an alert is shown soon after it fired; position 0 is the head row */
  for (guint i = n; i-- > 1;)
    {
      g_autoptr(FwItemObject) object = _fw_item_view_item_object_at (self, i);
      FwItem *item = object != NULL ? fw_item_object_get_item (object) : NULL;

      if (item == NULL || item->time_us != time_us || g_strcmp0 (item->feed, feed) != 0 ||
          item->kind == FW_ITEM_ALERT)
        continue;
      if (found == GTK_INVALID_LIST_POSITION)
        found = i;
      if (self->alert_log != NULL && fw_alert_log_is_trigger (self->alert_log, item))
        return i;
    }
  return found;
}

/* After a publication: the rows asked for are there, or (@done: all is published) never
 * will be */
void
_fw_item_view_show_pending (FwItemView *self,
                            gboolean    done)
{
  guint position = find_item_row (self, self->show_feed, self->show_time_us);

  if (position != GTK_INVALID_LIST_POSITION)
    {
      gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
      scroll_to_row (self, position);
    }
  if (position != GTK_INVALID_LIST_POSITION || done)
    g_clear_pointer (&self->show_feed, g_free);
}

/**
 * fw_item_view_show_item:
 * @feed: the item's feed
 * @time_us: the item's time (as received)
 *
 * Selects and scrolls to @feed's item of @time_us among the rows the view shows, once the
 * view has published its current filter (the feed just chosen): the item an alert fired on
 * when several share the time, else the newest of them. Selecting pauses the view, so the
 * row stays where it is shown. Nothing is selected when the history no longer keeps the item
 * or the view's filters hide it.
 */
void
fw_item_view_show_item (FwItemView *self,
                        const char *feed,
                        gint64      time_us)
{
  g_return_if_fail (FW_IS_ITEM_VIEW (self));
  g_return_if_fail (feed != NULL);

  if (self->selection == NULL)
    return;
  g_free (self->show_feed);
  self->show_feed = g_strdup (feed);
  self->show_time_us = time_us;
  fw_item_view_queue_publish (self);
}
