/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-replay-bar.c: a replay window's time bar. It only shows and asks: the window
 * (fw-window-replay.c) moves the replay when the bar says "seek", or its playing or speed
 * changes.
 *
 * The slider counts seconds from the recording's start. A drag asks for one seek once the
 * slider rests (SEEK_DELAY_MS), not one per pixel: each seek restarts the replay's feeds. */

#include "config.h"

#include <glib/gi18n.h>

#include "fw-replay-bar.h"

#define SEEK_DELAY_MS 150

static const double speeds[] = { 1, 10, 0 };

struct _FwReplayBar
{
  GtkBox         parent_instance;

  gint64         first_us;
  gint64         last_us;
  gint64         position_us;
  gboolean       playing;
  guint          seek_id;     /* a seek the user asked for, not yet told */
  double         seek_to_s;

  /* template */
  GtkRevealer   *message_revealer;
  GtkLabel      *message_label;
  GtkButton     *play_button;
  GtkLabel      *time_label;
  GtkScale      *scale;
  GtkAdjustment *adjustment;
  GtkLabel      *end_label;
  GtkDropDown   *speed_drop_down;
};

G_DEFINE_FINAL_TYPE (FwReplayBar, fw_replay_bar, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_PLAYING,
  PROP_SPEED,
  N_PROPS
};

enum {
  SEEK,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The time of day in the recording; with its date too when the recording spans days */
char *
fw_replay_bar_format_time (FwReplayBar *self,
                           gint64       time_us)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (time_us / G_USEC_PER_SEC);
  gboolean days = self->last_us - self->first_us >= G_TIME_SPAN_DAY;

  if (time == NULL)
    return g_strdup ("");
  return g_date_time_format (time, days ? "%Y-%m-%d %H:%M:%S" : "%H:%M:%S");
}

static void
show_position (FwReplayBar *self)
{
  g_autofree char *text = fw_replay_bar_format_time (self, self->position_us);

  if (g_strcmp0 (gtk_label_get_text (self->time_label), text) != 0)
    gtk_label_set_text (self->time_label, text);
  if (self->seek_id == 0)
    gtk_adjustment_set_value (self->adjustment,
                              (self->position_us - self->first_us) / (double) G_USEC_PER_SEC);
}

static void
show_playing (FwReplayBar *self)
{
  const char *text = self->playing ? _("Pause the Replay") : _("Play the Replay");

  gtk_button_set_icon_name (self->play_button, self->playing ? "media-playback-pause-symbolic"
                                                             : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->play_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

static void
on_play_clicked (FwReplayBar *self)
{
  fw_replay_bar_set_playing (self, !self->playing);
}

static gboolean
tell_seek (gpointer user_data)
{
  FwReplayBar *self = user_data;
  gint64 time_us = self->first_us + (gint64) (self->seek_to_s * G_USEC_PER_SEC);

  self->seek_id = 0;
  self->position_us = CLAMP (time_us, self->first_us, self->last_us);
  show_position (self);
  g_signal_emit (self, signals[SEEK], 0, self->position_us);

  return G_SOURCE_REMOVE;
}

/* Only the user moves the slider this way: the window's own updates set its value */
static gboolean
on_scale_change_value (FwReplayBar   *self,
                       GtkScrollType  scroll,
                       double         value)
{
  g_autofree char *text = NULL;

  self->seek_to_s = CLAMP (value, gtk_adjustment_get_lower (self->adjustment),
                           gtk_adjustment_get_upper (self->adjustment));
  text = fw_replay_bar_format_time (self,
                                    self->first_us + (gint64) (self->seek_to_s * G_USEC_PER_SEC));
  gtk_label_set_text (self->time_label, text);
  g_clear_handle_id (&self->seek_id, g_source_remove);
  self->seek_id = g_timeout_add (SEEK_DELAY_MS, tell_seek, self);

  return FALSE;
}

static void
on_speed_selected (FwReplayBar *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEED]);
}

static void
fw_replay_bar_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  FwReplayBar *self = FW_REPLAY_BAR (object);

  switch (prop_id)
    {
    case PROP_PLAYING:
      g_value_set_boolean (value, self->playing);
      break;
    case PROP_SPEED:
      g_value_set_double (value, fw_replay_bar_get_speed (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_replay_bar_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  FwReplayBar *self = FW_REPLAY_BAR (object);

  switch (prop_id)
    {
    case PROP_PLAYING:
      fw_replay_bar_set_playing (self, g_value_get_boolean (value));
      break;
    case PROP_SPEED:
      fw_replay_bar_set_speed (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_replay_bar_dispose (GObject *object)
{
  FwReplayBar *self = FW_REPLAY_BAR (object);

  g_clear_handle_id (&self->seek_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), FW_TYPE_REPLAY_BAR);

  G_OBJECT_CLASS (fw_replay_bar_parent_class)->dispose (object);
}

static void
fw_replay_bar_class_init (FwReplayBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = fw_replay_bar_get_property;
  object_class->set_property = fw_replay_bar_set_property;
  object_class->dispose = fw_replay_bar_dispose;

  properties[PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* 0: as fast as the recording reads */
  properties[PROP_SPEED] =
    g_param_spec_double ("speed", NULL, NULL, 0, G_MAXDOUBLE, 1,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FwReplayBar::seek:
   * @time_us: the recording time the user chose
   */
  signals[SEEK] = g_signal_new ("seek", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/feedwatch/Feedwatch/fw-replay-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, FwReplayBar, message_revealer);
  gtk_widget_class_bind_template_child (widget_class, FwReplayBar, message_label);
  gtk_widget_class_bind_template_child (widget_class, FwReplayBar, play_button);
  gtk_widget_class_bind_template_child (widget_class, FwReplayBar, time_label);
  gtk_widget_class_bind_template_child (widget_class, FwReplayBar, scale);
  gtk_widget_class_bind_template_child (widget_class, FwReplayBar, adjustment);
  gtk_widget_class_bind_template_child (widget_class, FwReplayBar, end_label);
  gtk_widget_class_bind_template_child (widget_class, FwReplayBar, speed_drop_down);
  gtk_widget_class_bind_template_callback (widget_class, on_play_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_scale_change_value);
  gtk_widget_class_bind_template_callback (widget_class, on_speed_selected);
  gtk_widget_class_set_css_name (widget_class, "replaybar");
}

static void
fw_replay_bar_init (FwReplayBar *self)
{
  self->playing = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  show_playing (self);
}

GtkWidget *
fw_replay_bar_new (void)
{
  return g_object_new (FW_TYPE_REPLAY_BAR, NULL);
}

/**
 * fw_replay_bar_set_span:
 *
 * The recording's first and latest item times: the slider's ends.
 */
void
fw_replay_bar_set_span (FwReplayBar *self,
                        gint64       first_us,
                        gint64       last_us)
{
  g_autofree char *end = NULL;
  g_autofree char *start = NULL;
  g_autofree char *tooltip = NULL;

  g_return_if_fail (FW_IS_REPLAY_BAR (self));

  self->first_us = first_us;
  self->last_us = MAX (first_us, last_us);
  gtk_adjustment_set_upper (self->adjustment,
                            MAX ((self->last_us - first_us) / (double) G_USEC_PER_SEC, 1));
  start = fw_replay_bar_format_time (self, first_us);
  end = fw_replay_bar_format_time (self, self->last_us);
  gtk_label_set_text (self->end_label, end);
  tooltip = g_strdup_printf (_("The recording runs from %s to %s"), start, end);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->end_label), tooltip);
  self->position_us = CLAMP (self->position_us, self->first_us, self->last_us);
  show_position (self);
}

/* Where the replay is now; a drag the user is making wins over it */
void
fw_replay_bar_set_position (FwReplayBar *self,
                            gint64       time_us)
{
  g_return_if_fail (FW_IS_REPLAY_BAR (self));

  if (self->seek_id != 0)
    return;
  self->position_us = CLAMP (time_us, self->first_us, self->last_us);
  show_position (self);
}

gint64
fw_replay_bar_get_position (FwReplayBar *self)
{
  g_return_val_if_fail (FW_IS_REPLAY_BAR (self), 0);

  return self->position_us;
}

void
fw_replay_bar_set_playing (FwReplayBar *self,
                           gboolean     playing)
{
  g_return_if_fail (FW_IS_REPLAY_BAR (self));

  playing = !!playing;
  if (self->playing == playing)
    return;
  self->playing = playing;
  show_playing (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
}

gboolean
fw_replay_bar_get_playing (FwReplayBar *self)
{
  g_return_val_if_fail (FW_IS_REPLAY_BAR (self), FALSE);

  return self->playing;
}

/* 1, 10, or 0 for as fast as it reads; another speed picks the nearest choice */
void
fw_replay_bar_set_speed (FwReplayBar *self,
                         double       speed)
{
  guint choice = speed <= 0 ? 2 : speed < 3 ? 0 : 1;

  g_return_if_fail (FW_IS_REPLAY_BAR (self));

  gtk_drop_down_set_selected (self->speed_drop_down, choice);
}

double
fw_replay_bar_get_speed (FwReplayBar *self)
{
  guint selected;

  g_return_val_if_fail (FW_IS_REPLAY_BAR (self), 1);

  selected = gtk_drop_down_get_selected (self->speed_drop_down);
  return speeds[MIN (selected, G_N_ELEMENTS (speeds) - 1)];
}

/**
 * fw_replay_bar_set_message:
 * @text: (nullable): what the replay could not show, in words; %NULL to hide it
 *
 * Stays in view (a toast goes away): what a recording lacks matters as long as it is replayed.
 */
void
fw_replay_bar_set_message (FwReplayBar *self,
                           const char  *text)
{
  g_return_if_fail (FW_IS_REPLAY_BAR (self));

  gtk_label_set_text (self->message_label, text != NULL ? text : "");
  gtk_revealer_set_reveal_child (self->message_revealer, text != NULL && text[0] != '\0');
}

const char *
fw_replay_bar_get_message (FwReplayBar *self)
{
  g_return_val_if_fail (FW_IS_REPLAY_BAR (self), NULL);

  return gtk_label_get_text (self->message_label);
}
