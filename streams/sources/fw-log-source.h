/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-log-source.h: a log file, a path or file:///…: the last N lines, then follow by name
 * like `tail -F` (rotation, truncation, deletion, a file not there yet). .gz files are read
 * whole, without following. */
#pragma once

#include "../fw-feed-kind.h"

G_BEGIN_DECLS

#define FW_TYPE_LOG_SOURCE (fw_log_source_get_type ())

G_DECLARE_FINAL_TYPE (FwLogSource, fw_log_source, FW, LOG_SOURCE, FwStream)

/**
 * FW_LOG_SOURCE_DEFAULT_LINES:
 *
 * How many of a log file's last lines a feed starts with, when its `lines` option is not set.
 */
#define FW_LOG_SOURCE_DEFAULT_LINES   100
/**
 * FW_LOG_SOURCE_DEFAULT_POLL_MS:
 *
 * How often a followed file is checked when change notification says nothing, in milliseconds.
 */
#define FW_LOG_SOURCE_DEFAULT_POLL_MS 1000
/**
 * FW_LOG_SOURCE_BLOCK_SIZE:
 *
 * How many bytes a log source reads at once: one pull turns a block into many items.
 */
#define FW_LOG_SOURCE_BLOCK_SIZE      (1024 * 1024)

/**
 * FW_LOG_SOURCE_STATUS_TRUNCATED:
 *
 * The text of the status item a log source yields when its file was truncated in place
 * (copytruncate rotation).
 */
#define FW_LOG_SOURCE_STATUS_TRUNCATED "truncated; lines written just before the cut may be missing"

FwStream *fw_log_source_new             (const char        *feed,
                                         const char        *path,
                                         guint              initial_lines,
                                         gboolean           follow);
void      fw_log_source_set_poll_interval (FwLogSource     *self,
                                         guint              poll_ms);
void      fw_log_source_set_count_only  (FwLogSource       *self,
                                         gboolean           count_only);
guint64   fw_log_source_get_level_count (FwLogSource       *self,
                                         FwLevel            level);
guint64   fw_log_source_get_line_count  (FwLogSource       *self);
gboolean  fw_log_source_set_resume_mark (FwLogSource       *self,
                                         const char        *mark);
char     *fw_log_source_dup_resume_mark (FwLogSource       *self);
FwStream *fw_log_source_open            (const FwFeedSpec  *spec,
                                         FwFeedOpenFlags    flags,
                                         GError           **error);

extern const FwFeedKind fw_log_source_kind;

G_END_DECLS
