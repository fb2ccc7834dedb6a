/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-test-notifications.h: a stand-in for the desktop's notification server on the test's
 * session bus (the org.gtk.Notifications interface GApplication sends notifications to),
 * keeping what it is told. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  GPtrArray       *added;        /* GVariant* (ss@a{sv}): app id, notification id, notification */
  GPtrArray       *removed;      /* char*: the ids withdrawn */
  /*< private >*/
  GDBusConnection *bus;
  guint            registration;
  guint            owner;
  gboolean         owned;
} FwTestNotifications;

FwTestNotifications *fw_test_notifications_new  (void);
void                 fw_test_notifications_free (FwTestNotifications *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwTestNotifications, fw_test_notifications_free)

G_END_DECLS
