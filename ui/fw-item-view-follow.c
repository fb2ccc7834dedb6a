/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-item-view-follow.c: FwItemView publishing the history once a frame, following the end of
 * the list, and pausing the view */

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n.h>

#include "fw-item-object.h"
#include "fw-item-view-private.h"

/* ---------------------------------------------------------------------------------------- */
/* Publishing */

/* Publishes what the history has for the view (see "The head row" for the anchor). */
gboolean
_fw_item_view_flush_history (FwItemView *self)
{
  if (fw_history_get_drops_all_shown (self->history))
    _fw_item_view_anchor_on_head (self);
  return fw_history_flush (self->history);
}


static gboolean
on_frame_tick (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       user_data)
{
  FwItemView *self = FW_ITEM_VIEW (widget);

  gboolean more;

  self->frame_tick_id = 0;
  /* A flush that could not publish everything asks for another frame; a frozen view waits
   * for new items or for unfreezing instead of ticking. */
  more = _fw_item_view_flush_history (self);
  if (more && !fw_history_get_frozen (self->history))
    fw_item_view_queue_publish (self);
  if (self->show_feed != NULL)
    _fw_item_view_show_pending (self, !more);
  if (self->following && !self->paused)
    _fw_item_view_scroll_to_end (self);

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

void
_fw_item_view_update_frozen (FwItemView *self)
{
  gboolean live = self->following && !self->paused;

  if (self->history != NULL)
    fw_history_set_frozen (self->history, !live);
  gtk_widget_set_visible (GTK_WIDGET (self->jump_button), !live);
  if (live != self->live)
    {
      self->live = live;
      _fw_item_view_update_scrollbar (self);
      g_object_notify_by_pspec (G_OBJECT (self), _fw_item_view_properties[PROP_FOLLOWING]);
    }
}

/* While the list follows the live end, its scrollbar is hidden, unless the pointer is over the
 * list of the window in front. GTK shows an overlay scrollbar at every scroll and fades it out
 * once the list has not scrolled for a while: every item after a pause of two seconds (a quiet
 * log, a window refreshing every 3 s in the background) drew some 60 frames of fading in and
 * out, most of what such a window cost. Paused or scrolled up, the scrollbar is as usual. */
void
_fw_item_view_update_scrollbar (FwItemView *self)
{
  gboolean pointed;

  if (self->list_scroller == NULL)
    return; /* disposed */
  pointed = self->list_motion != NULL &&
                     gtk_event_controller_motion_contains_pointer (GTK_EVENT_CONTROLLER_MOTION (self->list_motion)) &&
                     (self->window == NULL || gtk_window_is_active (self->window));

  gtk_scrolled_window_set_policy (self->list_scroller, GTK_POLICY_AUTOMATIC,
                                  self->live && !pointed ? GTK_POLICY_EXTERNAL : GTK_POLICY_AUTOMATIC);
}

void
_fw_item_view_scroll_to_end (FwItemView *self)
{
  /* Once the list has laid out its new rows (see _fw_item_view_on_layout): a layout phase is
   * asked for even when nothing else needs one */
  self->scroll_pending = TRUE;
  if (self->frame_clock != NULL)
    gdk_frame_clock_request_phase (self->frame_clock, GDK_FRAME_CLOCK_PHASE_LAYOUT);
}

/* After the window's layout in the frame that published new rows: the adjustment knows their
 * height now, and a scroll set here is laid out again in the same frame (GDK repeats the layout
 * phase while it is asked for), so a publication draws one frame, not a frame with the rows
 * added below the view and another scrolled to them. */
void
_fw_item_view_on_layout (GdkFrameClock *clock,
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
  _fw_item_view_update_frozen (self);
}

void
_fw_item_view_on_scrolled (GtkAdjustment *adj,
             FwItemView    *self)
{
  double value = gtk_adjustment_get_value (adj);
  double upper = gtk_adjustment_get_upper (adj);

  /* Rows arriving or leaving move the adjustment too; only a move up with the same content
   * is the user's. Between a publication and the layout after it (scroll_pending) the list
   * lays out our change: under a flood GtkListView may then re-anchor far from the end with
   * the same upper, and that is not the user either (wheel and keys are seen as input). Back
   * at the end, the view follows again. */
  if (upper == self->last_upper && value < self->last_value - 1 && !at_end (adj) &&
      !self->scroll_pending)
    stop_following (self);
  else if (at_end (adj) && !self->following)
    {
      self->following = TRUE;
      _fw_item_view_update_frozen (self);
    }

  self->last_value = value;
  self->last_upper = upper;
}

void
_fw_item_view_on_content_resized (GtkAdjustment *adj,
                    GParamSpec    *pspec,
                    FwItemView    *self)
{
  /* Rows came or went: the next move of the value is theirs to explain, not the user's. */
  self->last_value = gtk_adjustment_get_value (adj);
  self->last_upper = gtk_adjustment_get_upper (adj);
}

gboolean
_fw_item_view_on_list_scroll (GtkEventControllerScroll *controller,
                double                    dx,
                double                    dy,
                FwItemView               *self)
{
  if (dy < 0)
    stop_following (self);

  return FALSE;
}

gboolean
_fw_item_view_on_list_key (GtkEventControllerKey *controller,
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

void
_fw_item_view_update_jump_label (FwItemView *self)
{
  guint64 unseen = fw_history_get_n_unseen (self->history);
  g_autofree char *label = NULL;

  if (unseen == 0)
    label = g_strdup (_("Jump to live"));
  else
    label = g_strdup_printf (g_dngettext (NULL, "%" PRIu64 " new item — jump to live",
                                          "%" PRIu64 " new items — jump to live",
                                          unseen), unseen);
  gtk_button_set_label (self->jump_button, label);
}

void
_fw_item_view_jump_to_live_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  fw_item_view_jump_to_live (FW_ITEM_VIEW (widget));
}

