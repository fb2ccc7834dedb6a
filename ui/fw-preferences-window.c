/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-preferences-window.c: Preferences, bound to GSettings; windows follow the settings.
 *
 * Each control is bound to its key, so a change is saved at once and everything that follows
 * the key sees it live: each window its history's caps (fw-window.c), the process the colour
 * scheme, the Time column's format and the machine sensors' default interval
 * (fw_preferences_follow(), which the application calls at startup). */

#include "config.h"

#include "fw-item-object.h"
#include "fw-preferences-window.h"
#include "fw-streams.h"
#include "fw-window.h"

struct _FwPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;
  GSettings            *settings;
  AdwComboRow          *color_scheme_row;
  AdwComboRow          *time_zone_row;
  GtkSwitch            *show_date_switch;
  GtkSwitch            *save_power_switch;
  GtkSpinButton        *history_spin;
  GtkSpinButton        *history_mb_spin;
  GtkSpinButton        *sensors_interval_spin;
};

G_DEFINE_FINAL_TYPE (FwPreferencesWindow, fw_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The choices of an enum key, in the order of its combo row's items */
static const char * const color_scheme_nicks[] = { "default", "force-light", "force-dark", NULL };
static const char * const time_zone_nicks[] = { "local", "utc", NULL };

static gboolean
nick_to_position (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  const char * const *nicks = user_data;
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; nicks[i] != NULL; i++)
    {
      if (g_str_equal (nicks[i], nick))
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }

  return FALSE;
}

static GVariant *
position_to_nick (const GValue       *value,
                  const GVariantType *expected_type,
                  gpointer            user_data)
{
  const char * const *nicks = user_data;
  guint position = g_value_get_uint (value);

  if (position >= g_strv_length ((char **) nicks))
    return NULL;

  return g_variant_new_string (nicks[position]);
}

static void
bind_combo_row (FwPreferencesWindow *self,
                const char          *key,
                AdwComboRow         *row,
                const char * const  *nicks)
{
  g_settings_bind_with_mapping (self->settings, key, row, "selected", G_SETTINGS_BIND_DEFAULT,
                                nick_to_position, position_to_nick, (gpointer) nicks, NULL);
}

/* To the window the preferences were opened from */
static void
on_add_defaults_clicked (FwPreferencesWindow *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (FW_IS_WINDOW (parent))
    fw_window_add_default_feeds (FW_WINDOW (parent));
}

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
  gtk_widget_class_bind_template_child (widget_class, FwPreferencesWindow, color_scheme_row);
  gtk_widget_class_bind_template_child (widget_class, FwPreferencesWindow, time_zone_row);
  gtk_widget_class_bind_template_child (widget_class, FwPreferencesWindow, show_date_switch);
  gtk_widget_class_bind_template_child (widget_class, FwPreferencesWindow, save_power_switch);
  gtk_widget_class_bind_template_child (widget_class, FwPreferencesWindow, history_spin);
  gtk_widget_class_bind_template_child (widget_class, FwPreferencesWindow, history_mb_spin);
  gtk_widget_class_bind_template_child (widget_class, FwPreferencesWindow, sensors_interval_spin);
  gtk_widget_class_bind_template_callback (widget_class, on_add_defaults_clicked);
}

static void
fw_preferences_window_init (FwPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  bind_combo_row (self, "color-scheme", self->color_scheme_row, color_scheme_nicks);
  bind_combo_row (self, "time-zone", self->time_zone_row, time_zone_nicks);
  g_settings_bind (self->settings, "time-show-date", self->show_date_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "save-power-in-background", self->save_power_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "history-length",
                   gtk_spin_button_get_adjustment (self->history_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "history-max-mb",
                   gtk_spin_button_get_adjustment (self->history_mb_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "sensors-interval",
                   gtk_spin_button_get_adjustment (self->sensors_interval_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
}

GtkWidget *
fw_preferences_window_new (GtkWindow *parent)
{
  return g_object_new (FW_TYPE_PREFERENCES_WINDOW, "transient-for", parent, NULL);
}

static void
on_sensors_interval_changed (GSettings  *settings,
                             const char *key)
{
  fw_machine_sensors_set_default_interval (g_settings_get_uint (settings, key));
}

/**
 * fw_preferences_follow:
 *
 * Makes the process follow the preferences that are not one window's, now and as they change:
 * the colour scheme, the Time column's format, the machine sensors' default interval. Once per
 * process (later calls do nothing), after adw_init(); the application calls it at startup.
 */
void
fw_preferences_follow (void)
{
  static GSettings *settings; /* for the process's life, as the bindings it holds */
  FwTimeFormat *time_format = fw_time_format_get_default ();

  if (settings != NULL)
    return;

  settings = g_settings_new (APP_ID);
  /* The key's nicks are AdwColorScheme's own */
  g_settings_bind (settings, "color-scheme", adw_style_manager_get_default (), "color-scheme",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (settings, "time-zone", time_format, "zone", G_SETTINGS_BIND_GET);
  g_settings_bind (settings, "time-show-date", time_format, "show-date", G_SETTINGS_BIND_GET);
  g_signal_connect (settings, "changed::sensors-interval",
                    G_CALLBACK (on_sensors_interval_changed), NULL);
  on_sensors_interval_changed (settings, "sensors-interval");
}
