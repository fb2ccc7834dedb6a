/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-feed-group-row.c: a group's folder row in the sidebar: an expander arrow, the group's
 * name and how many feeds it holds. A click (or Enter on the list) folds or unfolds it
 * (win.toggle-group); a feed's row dropped on it moves the feed into the group
 * (win.move-feed-to-group). Not selectable: the sidebar selects feeds. */

#include "config.h"

#include <glib/gi18n.h>

#include "fw-feed-group-row.h"

struct _FwFeedGroupRow
{
  GtkWidget    parent_instance;

  FwFeedGroup *group; /* NULL while unbound */
  GtkWidget   *labelled_row;
  GtkImage    *arrow;
  GtkLabel    *name_label;
  GtkLabel    *count_label;
};

G_DEFINE_FINAL_TYPE (FwFeedGroupRow, fw_feed_group_row, GTK_TYPE_WIDGET)

static void
update (FwFeedGroupRow *self)
{
  gboolean expanded = fw_feed_group_get_expanded (self->group);
  guint n = fw_feed_group_get_n_feeds (self->group);
  g_autofree char *count = g_strdup_printf ("%u", n);
  g_autofree char *spoken = g_strdup_printf (ngettext ("%u feed", "%u feeds", n), n);
  GtkWidget *row = gtk_widget_get_parent (GTK_WIDGET (self));

  gtk_label_set_text (self->name_label, fw_feed_group_get_name (self->group));
  gtk_label_set_text (self->count_label, count);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->count_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, spoken, -1);
  gtk_image_set_from_icon_name (self->arrow, expanded ? "pan-down-symbolic" : "pan-end-symbolic");
  /* The list's row is what a screen reader lands on: named by the group, folded or not */
  if (row != NULL)
    {
      if (row != self->labelled_row)
        gtk_accessible_update_relation (GTK_ACCESSIBLE (row),
                                        GTK_ACCESSIBLE_RELATION_LABELLED_BY, self->name_label,
                                        NULL,
                                        GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->count_label,
                                        NULL, -1);
      self->labelled_row = row;
      gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_EXPANDED, expanded,
                                   -1);
    }
}

static void
on_released (GtkGestureClick *click,
             int              n_press,
             double           x,
             double           y,
             FwFeedGroupRow  *self)
{
  if (self->group == NULL)
    return;
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toggle-group", "s",
                              fw_feed_group_get_name (self->group));
}

static gboolean
on_drop (GtkDropTarget  *target,
         const GValue   *value,
         double          x,
         double          y,
         FwFeedGroupRow *self)
{
  if (self->group == NULL || !G_VALUE_HOLDS_STRING (value))
    return FALSE;
  return gtk_widget_activate_action (GTK_WIDGET (self), "win.move-feed-to-group", "(ss)",
                                     g_value_get_string (value),
                                     fw_feed_group_get_name (self->group));
}

static void
fw_feed_group_row_dispose (GObject *object)
{
  FwFeedGroupRow *self = FW_FEED_GROUP_ROW (object);
  GtkWidget *child;

  fw_feed_group_row_unbind (self);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (fw_feed_group_row_parent_class)->dispose (object);
}

static void
fw_feed_group_row_class_init (FwFeedGroupRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fw_feed_group_row_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
fw_feed_group_row_init (FwFeedGroupRow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkGesture *click = gtk_gesture_click_new ();
  GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_MOVE);
  GtkWidget *folder = gtk_image_new_from_icon_name ("folder-symbolic");

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 4);
  gtk_widget_set_margin_end (box, 8);
  self->arrow = GTK_IMAGE (gtk_image_new ());
  self->name_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->name_label, 0);
  gtk_label_set_ellipsize (self->name_label, PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (GTK_WIDGET (self->name_label), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->name_label), "heading");
  self->count_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->count_label), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->count_label), "numeric");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->arrow));
  gtk_box_append (GTK_BOX (box), folder);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->name_label));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->count_label));
  gtk_widget_set_parent (box, GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self), "fw-feed-group");

  g_signal_connect (click, "released", G_CALLBACK (on_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
}

GtkWidget *
fw_feed_group_row_new (void)
{
  return g_object_new (FW_TYPE_FEED_GROUP_ROW, NULL);
}

void
fw_feed_group_row_bind (FwFeedGroupRow *self,
                        FwFeedGroup    *group)
{
  g_return_if_fail (FW_IS_FEED_GROUP_ROW (self));
  g_return_if_fail (FW_IS_FEED_GROUP (group));

  fw_feed_group_row_unbind (self);
  self->group = g_object_ref (group);
  update (self);
  g_signal_connect_object (group, "notify", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
}

void
fw_feed_group_row_unbind (FwFeedGroupRow *self)
{
  g_return_if_fail (FW_IS_FEED_GROUP_ROW (self));

  if (self->group == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->group, self);
  g_clear_object (&self->group);
}

/**
 * fw_feed_group_row_get_group:
 *
 * Returns: (transfer none) (nullable): the group shown, %NULL while unbound
 */
FwFeedGroup *
fw_feed_group_row_get_group (FwFeedGroupRow *self)
{
  g_return_val_if_fail (FW_IS_FEED_GROUP_ROW (self), NULL);

  return self->group;
}
