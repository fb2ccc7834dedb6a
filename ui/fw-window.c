/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-window.c: the main window. It owns a cancellable that every stream it starts is bound
 * to: closing the window cancels and closes them all. */

#include "config.h"

#include "fw-window.h"
#include "fw-ui-resources.h"

struct _FwWindow
{
  AdwApplicationWindow  parent_instance;

  GCancellable         *cancellable;

  AdwHeaderBar         *header_bar;
  AdwStatusPage        *empty_page;
};

G_DEFINE_FINAL_TYPE (FwWindow, fw_window, ADW_TYPE_APPLICATION_WINDOW)

static void
fw_window_dispose (GObject *object)
{
  FwWindow *self = FW_WINDOW (object);

  /* Before anything else goes: no stream callback may reach a dying widget. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), FW_TYPE_WINDOW);

  G_OBJECT_CLASS (fw_window_parent_class)->dispose (object);
}

static void
fw_window_finalize (GObject *object)
{
  FwWindow *self = FW_WINDOW (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (fw_window_parent_class)->finalize (object);
}

static void
fw_window_class_init (FwWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fw_window_dispose;
  object_class->finalize = fw_window_finalize;

  /* Registered by hand: a constructor in a static library may never be linked in. This runs
   * once, with the class. */
  fw_ui_register_resource ();

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/feedwatch/Feedwatch/fw-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FwWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, empty_page);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
fw_window_init (FwWindow *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

FwWindow *
fw_window_new (GtkApplication *application)
{
  return g_object_new (FW_TYPE_WINDOW, "application", application, NULL);
}

/**
 * fw_window_get_cancellable:
 *
 * Returns: (transfer none): cancelled when the window closes
 */
GCancellable *
fw_window_get_cancellable (FwWindow *self)
{
  g_return_val_if_fail (FW_IS_WINDOW (self), NULL);

  return self->cancellable;
}
