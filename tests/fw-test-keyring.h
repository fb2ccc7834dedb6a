/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-test-keyring.h: a real Secret Service for a test: gnome-keyring-daemon on a private
 * session bus, with a fresh login keyring in a temporary directory, unlocked */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _FwTestKeyring FwTestKeyring;

const char    *fw_test_keyring_missing (void);
FwTestKeyring *fw_test_keyring_start   (void);
void           fw_test_keyring_kill    (FwTestKeyring *self);
void           fw_test_keyring_restart (FwTestKeyring *self);
void           fw_test_keyring_free    (FwTestKeyring *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwTestKeyring, fw_test_keyring_free)

G_END_DECLS
