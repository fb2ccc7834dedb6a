/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-item-view-cells.c: the live list's cells: plain text, highlighted matches as attributes,
 * never markup; and the head row's note on where the history starts (see "The head row" in
 * fw-item-view.c) */

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n.h>

#include "fw-display-text.h"
#include "fw-item-object.h"
#include "fw-item-view-private.h"

typedef enum
{
  COLUMN_TIME,
  COLUMN_FEED,
  COLUMN_LEVEL,
  COLUMN_TEXT,
} Column;

static char *
head_text (FwItemView *self)
{
  guint64 n_dropped = fw_history_get_n_dropped (self->history);

  if (n_dropped == 0)
    return g_strdup (_("Start of history"));
  if (fw_history_get_bytes_limited (self->history))
    {
      g_autofree char *size = g_format_size (fw_history_get_max_bytes (self->history));

      return g_strdup_printf (g_dngettext (NULL,
                                           "%" PRIu64 " older item dropped · the history keeps %s",
                                           "%" PRIu64 " older items dropped · the history keeps %s",
                                           n_dropped),
                              n_dropped, size);
    }
  return g_strdup_printf (g_dngettext (NULL,
                                       "%" PRIu64 " older item dropped · the history keeps %u",
                                       "%" PRIu64 " older items dropped · the history keeps %u",
                                       n_dropped),
                          n_dropped, fw_history_get_capacity (self->history));
}

void
_fw_item_view_update_head (FwItemView *self)
{
  /* Bound only while on screen or near it */
  if (self->head_cell != NULL)
    fw_cell_text_take_text (self->head_cell, head_text (self));
}

static Column
column_of (FwItemView         *self,
           GtkListItemFactory *factory)
{
  if (factory == gtk_column_view_column_get_factory (self->time_column))
    return COLUMN_TIME;
  if (factory == gtk_column_view_column_get_factory (self->feed_column))
    return COLUMN_FEED;
  if (factory == gtk_column_view_column_get_factory (self->level_column))
    return COLUMN_LEVEL;
  return COLUMN_TEXT;
}

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
void
_fw_item_view_cell_setup (GtkListItemFactory *factory,
                          GtkListItem        *list_item,
                          FwItemView         *self)
{
  Column column = column_of (self, factory);
  GtkWidget *cell = fw_cell_text_new ();

  if (column == COLUMN_TIME)
    gtk_widget_add_css_class (cell, "numeric");
  if (column == COLUMN_TIME)
    gtk_widget_add_css_class (cell, "dim-label");
  /* Dimmed text, not a dimmed cell: dim-label's opacity would wash out the feed's colour dot */
  if (column == COLUMN_FEED)
    gtk_widget_add_css_class (cell, "fw-dim-text");
  if (column == COLUMN_TEXT)
    {
      gtk_widget_add_css_class (cell, "monospace");
      gtk_widget_set_has_tooltip (cell, TRUE);
      /* The list item owns the cell, so it outlives the handler. */
      g_signal_connect (cell, "query-tooltip", G_CALLBACK (on_text_query_tooltip), list_item);
    }
  /* The list item owns the cell: the context menu finds a row's position through it */
  g_object_set_data (G_OBJECT (cell), "fw-list-item", list_item);
  gtk_list_item_set_child (list_item, cell);
}

/**
 * _fw_item_view_position_at:
 * @x: (in column view coordinates)
 *
 * Returns: the position of the row at @x, @y, or %GTK_INVALID_LIST_POSITION
 */
guint
_fw_item_view_position_at (FwItemView *self,
                           double      x,
                           double      y)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self->column_view), x, y, GTK_PICK_DEFAULT);
  GtkWidget *cell = picked != NULL ? gtk_widget_get_ancestor (picked, FW_TYPE_CELL_TEXT) : NULL;
  GtkListItem *list_item;

  if (cell == NULL)
    {
      /* Between cells (their padding): the row's first cell tells */
      GtkWidget *row = picked;

      while (row != NULL && g_strcmp0 (gtk_widget_get_css_name (row), "row") != 0)
        row = gtk_widget_get_parent (row);
      for (GtkWidget *child = row != NULL ? gtk_widget_get_first_child (row) : NULL;
           child != NULL && cell == NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          GtkWidget *first = gtk_widget_get_first_child (child);

          if (first != NULL && FW_IS_CELL_TEXT (first))
            cell = first;
        }
    }
  if (cell == NULL)
    return GTK_INVALID_LIST_POSITION;
  list_item = g_object_get_data (G_OBJECT (cell), "fw-list-item");
  return list_item != NULL ? gtk_list_item_get_position (list_item) : GTK_INVALID_LIST_POSITION;
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
bind_head_cell (FwItemView *self,
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

void
_fw_item_view_cell_unbind (GtkListItemFactory *factory,
                           GtkListItem        *list_item,
                           FwItemView         *self)
{
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
bind_text_cell (FwItemView   *self,
                FwCellText   *cell,
                FwItemObject *object)
{
  FwItem *item = fw_item_object_get_item (object);
  gsize len = 0;
  const char *text = fw_item_object_get_text (object, &len);
  g_autofree char *shown = NULL;
  g_autoptr(GArray) matches = NULL;

  if (len == 0 && item->kind == FW_ITEM_READING)
    {
      /* As the plot's legend and the sparklines write it */
      g_autofree char *value = fw_units_format (item->value, item->unit);
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

/* The row of an item that fired an alert stands out (style.css: "fw-alert"). The class goes on
 * the row, for a mark across its cells, and on the cell, whose row is not known before it is
 * first shown. */
static void
set_alert_class (GtkWidget *cell,
                 gboolean   alert)
{
  GtkWidget *row = gtk_widget_get_parent (cell);

  if (row != NULL)
    row = gtk_widget_get_parent (row);
  if (alert)
    {
      gtk_widget_add_css_class (cell, "fw-alert");
      if (row != NULL)
        gtk_widget_add_css_class (row, "fw-alert");
    }
  else
    {
      gtk_widget_remove_css_class (cell, "fw-alert");
      if (row != NULL)
        gtk_widget_remove_css_class (row, "fw-alert");
    }
}

void
_fw_item_view_cell_bind (GtkListItemFactory *factory,
                         GtkListItem        *list_item,
                         FwItemView         *self)
{
  Column column = column_of (self, factory);
  FwCellText *cell = FW_CELL_TEXT (gtk_list_item_get_child (list_item));
  FwItemObject *object;
  FwItem *item;

  fw_cell_text_set_attributes (cell, NULL);
  if (!FW_IS_ITEM_OBJECT (gtk_list_item_get_item (list_item)))
    {
      set_alert_class (GTK_WIDGET (cell), FALSE);
      bind_head_cell (self, cell, column);
      return;
    }
  object = gtk_list_item_get_item (list_item);
  item = fw_item_object_get_item (object);
  set_alert_class (GTK_WIDGET (cell),
                   self->alert_log != NULL && fw_alert_log_is_trigger (self->alert_log, item));
  switch (column)
    {
    case COLUMN_TIME:
      fw_cell_text_set_text (cell, fw_item_object_get_time (object));
      break;

    case COLUMN_FEED:
      {
        const char *feed = item->feed != NULL ? item->feed : "";
        FwFeedRunner *runner =
          self->feeds != NULL ? fw_feed_list_lookup (self->feeds, feed, NULL) : NULL;

        fw_cell_text_set_text (cell, runner != NULL ? fw_feed_runner_get_title (runner) : feed);
        fw_cell_text_set_dot (cell, runner != NULL ? fw_feed_runner_get_color (runner) : NULL);
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
      bind_text_cell (self, cell, object);
      break;

    default:
      g_assert_not_reached ();
    }
}
