/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-journal-source.h: `journal:`, the systemd journal (this machine's, or a folder or file of
 * journal files) */
#pragma once

#include "fw-feed.h"
#include "fw-stream.h"

G_BEGIN_DECLS

/**
 * FW_JOURNAL_SOURCE_DEFAULT_LINES:
 *
 * How many entries before the end (or before the resume mark) a journal feed shows first,
 * unless its `lines` option says otherwise.
 */
#define FW_JOURNAL_SOURCE_DEFAULT_LINES 100

#define FW_TYPE_JOURNAL_SOURCE (fw_journal_source_get_type ())
G_DECLARE_FINAL_TYPE (FwJournalSource, fw_journal_source, FW, JOURNAL_SOURCE, FwStream)

FwStream *fw_journal_source_open            (const FwFeedSpec  *spec,
                                             FwFeedOpenFlags    flags,
                                             GError           **error);
gboolean  fw_journal_source_set_resume_mark (FwJournalSource   *self,
                                             const char        *mark);
char     *fw_journal_source_dup_resume_mark (FwJournalSource   *self);
gboolean  fw_journal_source_is_readable     (const char        *root);

extern const FwFeedKind fw_journal_source_kind;

G_END_DECLS
