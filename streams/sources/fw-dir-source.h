/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-dir-source.h: `dir:PATH`, a folder's changes (created, changed, deleted, renamed) as
 * events, from GFileMonitor. */
#pragma once

#include "../fw-feed-kind.h"

G_BEGIN_DECLS

#define FW_TYPE_DIR_SOURCE (fw_dir_source_get_type ())

G_DECLARE_FINAL_TYPE (FwDirSource, fw_dir_source, FW, DIR_SOURCE, FwStream)

FwStream *fw_dir_source_new  (const char        *feed,
                              const char        *path,
                              gboolean           follow);
FwStream *fw_dir_source_open (const FwFeedSpec  *spec,
                              FwFeedOpenFlags    flags,
                              GError           **error);

extern const FwFeedKind fw_dir_source_kind;

G_END_DECLS
