/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-test-notifications.c: the stand-in notification server of fw-test-notifications.h. */

#include "fw-test-notifications.h"

#include "fw-test-util.h"

static const char introspection[] =
  "<node>"
  "  <interface name='org.gtk.Notifications'>"
  "    <method name='AddNotification'>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/>"
  "    </method>"
  "    <method name='RemoveNotification'>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "    </method>"
  "  </interface>"
  "</node>";

static void
on_method_call (GDBusConnection       *connection,
                const char            *sender,
                const char            *object_path,
                const char            *interface_name,
                const char            *method_name,
                GVariant              *parameters,
                GDBusMethodInvocation *invocation,
                gpointer               user_data)
{
  FwTestNotifications *self = user_data;

  if (g_str_equal (method_name, "AddNotification"))
    g_ptr_array_add (self->added, g_variant_ref (parameters));
  else
    {
      const char *id = NULL;

      g_variant_get (parameters, "(&s&s)", NULL, &id);
      g_ptr_array_add (self->removed, g_strdup (id));
    }
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
on_name_acquired (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  ((FwTestNotifications *) user_data)->owned = TRUE;
}

/* Serves on the session bus once this returns */
FwTestNotifications *
fw_test_notifications_new (void)
{
  static const GDBusInterfaceVTable vtable = { on_method_call, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) node = g_dbus_node_info_new_for_xml (introspection, NULL);
  g_autoptr(GError) error = NULL;
  FwTestNotifications *self = g_new0 (FwTestNotifications, 1);

  self->added = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  self->removed = g_ptr_array_new_with_free_func (g_free);
  self->bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  self->registration = g_dbus_connection_register_object (self->bus, "/org/gtk/Notifications",
                                                          node->interfaces[0], &vtable, self,
                                                          NULL, &error);
  g_assert_no_error (error);
  self->owner = g_bus_own_name_on_connection (self->bus, "org.gtk.Notifications",
                                              G_BUS_NAME_OWNER_FLAGS_NONE, on_name_acquired,
                                              NULL, self, NULL);
  fw_test_wait_for (&self->owned);
  return self;
}

void
fw_test_notifications_free (FwTestNotifications *self)
{
  g_bus_unown_name (self->owner);
  g_dbus_connection_unregister_object (self->bus, self->registration);
  g_object_unref (self->bus);
  g_ptr_array_unref (self->added);
  g_ptr_array_unref (self->removed);
  g_free (self);
}
