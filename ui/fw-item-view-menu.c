/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-item-view-menu.c: FwItemView's Copy, Copy as JSON, and the rows' context menu */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "fw-item-object.h"
#include "fw-item-view-private.h"

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

/**
 * fw_item_view_dup_selected_items:
 *
 * Returns: (transfer full) (element-type FwItem): the selected rows' items, in the list's
 *   order; empty when none is selected
 */
GPtrArray *
fw_item_view_dup_selected_items (FwItemView *self)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  GtkBitset *selected;
  GtkBitsetIter iter;
  guint position;

  g_return_val_if_fail (FW_IS_ITEM_VIEW (self), items);

  if (self->selection == NULL)
    return items;
  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  for (gboolean valid = gtk_bitset_iter_init_first (&iter, selected, &position);
       valid;
       valid = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(FwItemObject) object = _fw_item_view_item_object_at (self, position);

      if (object != NULL)
        g_ptr_array_add (items, fw_item_ref (fw_item_object_get_item (object)));
    }
  gtk_bitset_unref (selected);

  return items;
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
      g_autoptr(FwItemObject) object = _fw_item_view_item_object_at (self, position);

      if (object == NULL)
        continue;
      if (any)
        g_string_append_c (out, '\n');
      any = TRUE;
      if (json)
        fw_item_append_json (fw_item_object_get_item (object), out);
      else
        append_row_text (out, object);
    }
  gtk_bitset_unref (selected);

  if (!any && _fw_item_view_current_item (self) != NULL)
    {
      g_autoptr(FwItemObject) object = fw_item_object_new (_fw_item_view_current_item (self));

      if (json)
        fw_item_append_json (fw_item_object_get_item (object), out);
      else
        append_row_text (out, object);
    }

  return g_string_free (out, FALSE);
}

void
_fw_item_view_copy_action (GtkWidget  *widget,
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

void
_fw_item_view_show_only_feed_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  FwItemView *self = FW_ITEM_VIEW (widget);
  FwItem *item = _fw_item_view_current_item (self);

  if (item == NULL || item->feed == NULL)
    return;
  /* In a window the sidebar selects the feed, which sets the view's; on its own, the view */
  if (!gtk_widget_activate_action (widget, "win.show-feed", "s", item->feed))
    fw_item_view_set_feed (self, item->feed);
}

void
_fw_item_view_show_only_level_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  FwItemView *self = FW_ITEM_VIEW (widget);
  FwItem *item = _fw_item_view_current_item (self);

  if (item == NULL || item->level == FW_LEVEL_NONE)
    return;
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  _fw_item_view_set_only_level (self, item->level);
}

/* Shows only @level's items: the level filter's menu gets an entry for it, so the filter shows
 * in the search bar */
void
_fw_item_view_set_only_level (FwItemView *self,
                              FwLevel     level)
{
  GtkStringList *levels = GTK_STRING_LIST (gtk_drop_down_get_model (self->level_dropdown));
  g_autofree char *label = NULL;

  self->only_level = level;
  /* Translators: %s is a level's name, such as "warning" */
  label = g_strdup_printf (_("Only %s"), fw_level_to_string (level));
  if (g_list_model_get_n_items (G_LIST_MODEL (levels)) > N_LEVEL_CHOICES)
    gtk_string_list_remove (levels, N_LEVEL_CHOICES);
  gtk_string_list_append (levels, label);
  if (gtk_drop_down_get_selected (self->level_dropdown) == N_LEVEL_CHOICES)
    _fw_item_view_on_level_changed (self);
  else
    gtk_drop_down_set_selected (self->level_dropdown, N_LEVEL_CHOICES);
}

/* The first line of an item's text, a search entry's worth of it: it finds this row and its
 * kin */
static char *
dup_first_line (FwItem *item)
{
  const char *text, *end;

  text = item->text_len > 0 ? item->text : item->name != NULL ? item->name : "";
  end = text + strlen (text);
  if (memchr (text, '\n', end - text) != NULL)
    end = memchr (text, '\n', end - text);
  if (end - text > SEARCH_TEXT_MAX)
    end = g_utf8_find_prev_char (text, text + SEARCH_TEXT_MAX + 1);

  return g_strndup (text, end - text);
}

void
_fw_item_view_search_text_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  FwItemView *self = FW_ITEM_VIEW (widget);
  FwItem *item = _fw_item_view_current_item (self);
  g_autofree char *line = NULL;

  if (item == NULL)
    return;
  line = dup_first_line (item);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_toggle_button_set_active (self->regex_button, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), line);
  /* At once, not after the entry's typing delay */
  _fw_item_view_on_search_changed (self);
}

/* The rule dialog is the window's: the view hands it the row's feed and line, matched as
 * written */
void
_fw_item_view_alert_on_line_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  FwItemView *self = FW_ITEM_VIEW (widget);
  FwItem *item = _fw_item_view_current_item (self);
  g_autofree char *line = NULL;

  if (item == NULL)
    return;
  line = dup_first_line (item);
  if (line[0] == '\0')
    return;
  gtk_widget_activate_action (widget, "win.alert-on-line", "(ss)",
                              item->feed != NULL ? item->feed : "", line);
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

void
_fw_item_view_on_list_right_click (GtkGestureClick *gesture,
                     int              n_press,
                     double           x,
                     double           y,
                     FwItemView      *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  popup_row_menu_at (self, x, y);
}

void
_fw_item_view_on_list_long_press (GtkGestureLongPress *gesture,
                    double               x,
                    double               y,
                    FwItemView          *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  popup_row_menu_at (self, x, y);
}

/* The Menu key and Shift+F10: the menu opens on the focused row, or the list's top */
gboolean
_fw_item_view_show_row_menu (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  FwItemView *self = FW_ITEM_VIEW (widget);
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));
  graphene_rect_t bounds;

  if (_fw_item_view_current_item (self) == NULL)
    return FALSE;
  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->column_view)) &&
      gtk_widget_compute_bounds (focus, widget, &bounds))
    popup_row_menu (self, widget, bounds.origin.x + 24, bounds.origin.y + bounds.size.height);
  else
    popup_row_menu (self, GTK_WIDGET (self->column_view), 24, 24);
  return TRUE;
}

