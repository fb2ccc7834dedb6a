/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-window-sidebar.c: the sidebar's groups, the feeds' colours, and its width.
 *
 * A group is a folder row that folds (remembered in "collapsed-groups"); a feed moves into one
 * from its menu or by a drag onto the folder, and back out from its menu or by a drag onto
 * "All Feeds". The sidebar's width is dragged at its edge, as a GtkPaned's handle is (AdwLeaflet
 * 1.2 has none), and kept in "sidebar-width": it is the sidebar's natural width, while its
 * minimum, which decides when the window folds to one pane, stays as it was. */

#include "config.h"

#include <glib/gi18n.h>

#include "fw-window-private.h"

/* How far from the sidebar's edge the pointer grabs it, either side */
#define HANDLE_REACH 5

void
_fw_window_toggle_group (FwWindow   *self,
                         const char *group)
{
  g_auto(GStrv) collapsed = NULL;

  fw_sidebar_model_set_expanded (self->sidebar, group,
                                 !fw_sidebar_model_get_expanded (self->sidebar, group));
  collapsed = fw_sidebar_model_dup_collapsed (self->sidebar);
  g_settings_set_strv (self->settings, "collapsed-groups", (const char * const *) collapsed);
}

static void
toggle_group_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  _fw_window_toggle_group (FW_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
move_feed (FwWindow   *self,
           const char *spec,
           const char *group)
{
  FwFeedRunner *runner = fw_feed_list_lookup (self->feeds, spec, NULL);

  if (runner == NULL)
    return;
  fw_feed_runner_set_group (runner, group);
  /* Moved into a folded group, it shows */
  if (fw_feed_runner_get_group (runner) != NULL &&
      !fw_sidebar_model_get_expanded (self->sidebar, fw_feed_runner_get_group (runner)))
    _fw_window_toggle_group (self, fw_feed_runner_get_group (runner));
  if (!fw_feed_runner_get_transient (runner))
    fw_feed_store_save (self->store);
}

static void
move_feed_to_group_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  const char *spec;
  const char *group;

  g_variant_get (parameter, "(&s&s)", &spec, &group);
  move_feed (FW_WINDOW (widget), spec, group);
}

typedef struct
{
  FwWindow    *window;
  GtkEditable *entry;
  char        *spec;
} NewGroup;

static void
new_group_free (gpointer  data,
                GClosure *closure)
{
  NewGroup *new_group = data;

  g_object_unref (new_group->window);
  g_free (new_group->spec);
  g_free (new_group);
}

static void
on_new_group_response (AdwMessageDialog *dialog,
                       const char       *response,
                       NewGroup         *new_group)
{
  if (g_str_equal (response, "move"))
    move_feed (new_group->window, new_group->spec, gtk_editable_get_text (new_group->entry));
}

static void
on_new_group_changed (GtkEditable      *entry,
                      AdwMessageDialog *dialog)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "move", name[0] != '\0');
}

static void
new_feed_group_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  FwWindow *self = FW_WINDOW (widget);
  FwFeedRunner *runner =
    fw_feed_list_lookup (self->feeds, g_variant_get_string (parameter, NULL), NULL);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;
  GtkWidget *entry;
  NewGroup *new_group;

  if (runner == NULL)
    return;

  heading = g_strdup_printf (_("Move “%s” to a New Group"), fw_feed_runner_get_title (runner));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), NULL, NULL);
  /* The heading holds a feed's name: plain text */
  adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (dialog), heading);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                               _("The sidebar shows the group as a folder of its feeds."));
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Group name"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Group name"), -1);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "move", _("_Move"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "move",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "move");
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "move", FALSE);
  g_signal_connect (entry, "changed", G_CALLBACK (on_new_group_changed), dialog);
  new_group = g_new0 (NewGroup, 1);
  new_group->window = g_object_ref (self);
  new_group->entry = GTK_EDITABLE (entry);
  new_group->spec = g_strdup (fw_feed_runner_get_spec (runner));
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_new_group_response), new_group,
                         new_group_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
set_feed_color_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  FwWindow *self = FW_WINDOW (widget);
  FwFeedRunner *runner;
  const char *spec;
  const char *color;

  g_variant_get (parameter, "(&s&s)", &spec, &color);
  runner = fw_feed_list_lookup (self->feeds, spec, NULL);
  if (runner == NULL)
    return;
  fw_feed_runner_set_color (runner, color);
  if (!fw_feed_runner_get_transient (runner))
    fw_feed_store_save (self->store);
}

/* A row "All Feeds" takes a feed dropped on it out of its group */
static gboolean
on_drop_on_all (GtkDropTarget *target,
                const GValue  *value,
                double         x,
                double         y,
                FwWindow      *self)
{
  if (!G_VALUE_HOLDS_STRING (value) ||
      fw_feed_list_lookup (self->feeds, g_value_get_string (value), NULL) == NULL)
    return FALSE;
  move_feed (self, g_value_get_string (value), NULL);
  return TRUE;
}

/* The selected feed's row went and came back (its group folded and unfolded, the filter
 * changed): it is selected again, without opening its view again. */
static void
on_sidebar_changed (FwWindow *self)
{
  FwFeedRunner *runner;
  guint position;

  if (self->selected_feed == NULL ||
      gtk_single_selection_get_selected (self->feed_selection) != GTK_INVALID_LIST_POSITION)
    return;
  runner = fw_feed_list_lookup (self->feeds, self->selected_feed, NULL);
  if (runner == NULL || !fw_sidebar_model_find (self->sidebar, runner, &position))
    return;
  g_signal_handlers_block_matched (self->feed_selection, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL,
                                   self);
  gtk_single_selection_set_selected (self->feed_selection, position);
  g_signal_handlers_unblock_matched (self->feed_selection, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL,
                                     self);
}

/* ---------------------------------------------------------------------------------------- */
/* The sidebar's width */

static void
measure_sidebar (GtkWidget      *widget,
                 GtkOrientation  orientation,
                 int             for_size,
                 int            *minimum,
                 int            *natural,
                 int            *minimum_baseline,
                 int            *natural_baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));
  FwWindow *self = FW_WINDOW (gtk_widget_get_ancestor (widget, FW_TYPE_WINDOW));

  *minimum = *natural = 0;
  if (child == NULL)
    return;
  gtk_widget_measure (child, orientation, for_size, minimum, natural, NULL, NULL);
  if (orientation == GTK_ORIENTATION_HORIZONTAL && self != NULL)
    *natural = MAX (*minimum, self->sidebar_width);
}

static void
allocate_sidebar (GtkWidget *widget,
                  int        width,
                  int        height,
                  int        baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child != NULL)
    gtk_widget_allocate (child, width, height, baseline, NULL);
}

static void
on_sidebar_width_changed (FwWindow *self)
{
  int width = g_settings_get_int (self->settings, "sidebar-width");

  if (width == self->sidebar_width)
    return;
  self->sidebar_width = width;
  gtk_widget_queue_resize (GTK_WIDGET (self->sidebar_bin));
}

/* Whether (x, y) in the leaflet's coordinates is on the sidebar's edge, beside the list */
static gboolean
on_sidebar_edge (FwWindow *self,
                 double    x)
{
  graphene_point_t edge;

  if (adw_leaflet_get_folded (self->leaflet) ||
      !gtk_widget_compute_point (self->sidebar_separator, GTK_WIDGET (self->leaflet),
                                 &GRAPHENE_POINT_INIT (0, 0), &edge))
    return FALSE;
  return ABS (x - edge.x) <= HANDLE_REACH;
}

static void
on_leaflet_motion (GtkEventControllerMotion *motion,
                   double                    x,
                   double                    y,
                   FwWindow                 *self)
{
  gboolean near = on_sidebar_edge (self, x);

  if (near == self->near_handle)
    return;
  self->near_handle = near;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self->leaflet), near ? "col-resize" : NULL);
}

static void
on_handle_drag_begin (GtkGestureDrag *drag,
                      double          x,
                      double          y,
                      FwWindow       *self)
{
  if (!on_sidebar_edge (self, x))
    {
      gtk_gesture_set_state (GTK_GESTURE (drag), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  gtk_gesture_set_state (GTK_GESTURE (drag), GTK_EVENT_SEQUENCE_CLAIMED);
  self->drag_start_width = gtk_widget_get_width (GTK_WIDGET (self->sidebar_bin));
}

static void
on_handle_drag_update (GtkGestureDrag *drag,
                       double          dx,
                       double          dy,
                       FwWindow       *self)
{
  int leaflet_width = gtk_widget_get_width (GTK_WIDGET (self->leaflet));
  int width = self->drag_start_width + (int) dx;
  int content_min;

  /* Never so wide that the list gets less than its minimum: the window would fold */
  gtk_widget_measure (gtk_widget_get_next_sibling (self->sidebar_separator),
                      GTK_ORIENTATION_HORIZONTAL, -1, &content_min, NULL, NULL, NULL);
  width = MIN (width, leaflet_width - content_min - 1);
  width = MAX (width, 200);
  if (width != self->sidebar_width)
    {
      self->sidebar_width = width;
      gtk_widget_queue_resize (GTK_WIDGET (self->sidebar_bin));
    }
}

static void
on_handle_drag_end (GtkGestureDrag *drag,
                    double          dx,
                    double          dy,
                    FwWindow       *self)
{
  g_settings_set_int (self->settings, "sidebar-width", self->sidebar_width);
}

/* ---------------------------------------------------------------------------------------- */

void
_fw_window_class_sidebar_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.toggle-group", "s", toggle_group_action);
  gtk_widget_class_install_action (widget_class, "win.move-feed-to-group", "(ss)",
                                   move_feed_to_group_action);
  gtk_widget_class_install_action (widget_class, "win.new-feed-group", "s",
                                   new_feed_group_action);
  gtk_widget_class_install_action (widget_class, "win.set-feed-color", "(ss)",
                                   set_feed_color_action);
}

void
_fw_window_sidebar_init (FwWindow *self)
{
  GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_MOVE);
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();

  g_signal_connect (drop, "drop", G_CALLBACK (on_drop_on_all), self);
  gtk_widget_add_controller (GTK_WIDGET (self->all_row), GTK_EVENT_CONTROLLER (drop));
  /* After the selection's own handler, which drops the selection of a row that went */
  g_signal_connect_object (self->sidebar, "items-changed", G_CALLBACK (on_sidebar_changed), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);

  gtk_widget_set_layout_manager (GTK_WIDGET (self->sidebar_bin),
                                 gtk_custom_layout_new (NULL, measure_sidebar, allocate_sidebar));
  /* Seen before the list under the pointer takes the press; let go at once off the edge */
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (drag), GTK_PHASE_CAPTURE);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_handle_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_handle_drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_handle_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self->leaflet), GTK_EVENT_CONTROLLER (drag));
  g_signal_connect (motion, "motion", G_CALLBACK (on_leaflet_motion), self);
  gtk_widget_add_controller (GTK_WIDGET (self->leaflet), motion);
}

/* Once the settings are there */
void
_fw_window_sidebar_load (FwWindow *self)
{
  g_auto(GStrv) collapsed = g_settings_get_strv (self->settings, "collapsed-groups");

  fw_sidebar_model_set_collapsed (self->sidebar, (const char * const *) collapsed);
  g_signal_connect_object (self->settings, "changed::sidebar-width",
                           G_CALLBACK (on_sidebar_width_changed), self, G_CONNECT_SWAPPED);
  on_sidebar_width_changed (self);
}
