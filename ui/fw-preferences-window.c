/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-preferences-window.c: Preferences, bound to GSettings; windows follow the settings. */

#include "config.h"

#include "fw-preferences-window.h"

struct _FwPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;
  GSettings            *settings;
  GtkSpinButton        *history_spin;
  GtkSpinButton        *history_mb_spin;
};

G_DEFINE_FINAL_TYPE (FwPreferencesWindow, fw_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
fw_preferences_window_dispose (GObject *object)
{
  FwPreferencesWindow *self = FW_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), FW_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (fw_preferences_window_parent_class)->dispose (object);
}

static void
fw_preferences_window_class_init (FwPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fw_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/feedwatch/Feedwatch/fw-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FwPreferencesWindow, history_spin);
  gtk_widget_class_bind_template_child (widget_class, FwPreferencesWindow, history_mb_spin);
}

static void
fw_preferences_window_init (FwPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "history-length",
                   gtk_spin_button_get_adjustment (self->history_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "history-max-mb",
                   gtk_spin_button_get_adjustment (self->history_mb_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
}

GtkWidget *
fw_preferences_window_new (GtkWindow *parent)
{
  return g_object_new (FW_TYPE_PREFERENCES_WINDOW, "transient-for", parent, NULL);
}
