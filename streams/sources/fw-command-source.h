/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-command-source.h: `cmd:COMMAND`, a command's output as lines (stderr marked, or both on
 * one terminal), its exit status as a final status item. Split like a shell would, never run
 * through one. */
#pragma once

#include "../fw-feed-kind.h"
#include "fw-backoff.h"

G_BEGIN_DECLS

#define FW_TYPE_COMMAND_SOURCE (fw_command_source_get_type ())

G_DECLARE_FINAL_TYPE (FwCommandSource, fw_command_source, FW, COMMAND_SOURCE, FwStream)

/**
 * FW_COMMAND_SOURCE_DEFAULT_GRACE_MS:
 *
 * How long a command has to end after SIGTERM before it gets SIGKILL, in milliseconds.
 */
#define FW_COMMAND_SOURCE_DEFAULT_GRACE_MS 1000
/**
 * FW_COMMAND_SOURCE_RESTART_BASE_MS:
 *
 * The first delay before a command that ended runs again, in milliseconds.
 */
#define FW_COMMAND_SOURCE_RESTART_BASE_MS  1000

/**
 * FwCommandRestart:
 * @FW_COMMAND_RESTART_NEVER: the stream ends with the command (the default)
 * @FW_COMMAND_RESTART_ON_FAILURE: run it again when it exits non-zero or is killed
 * @FW_COMMAND_RESTART_ALWAYS: run it again whenever it ends
 *
 * Whether a `cmd:` feed runs its command again when it ends (its `restart` option).
 */
typedef enum
{
  FW_COMMAND_RESTART_NEVER,
  FW_COMMAND_RESTART_ON_FAILURE,
  FW_COMMAND_RESTART_ALWAYS,
} FwCommandRestart;

FwStream   *fw_command_source_new       (const char         *feed,
                                         const char * const *argv,
                                         guint               grace_ms);
void        fw_command_source_set_pty   (FwCommandSource    *self,
                                         gboolean            pty);
GPid        fw_command_source_get_pid   (FwCommandSource    *self);
const char *fw_command_source_get_failure (FwCommandSource    *self);
void        fw_command_source_set_restart (FwCommandSource  *self,
                                           FwCommandRestart  restart,
                                           FwBackoff        *backoff);
gboolean    fw_command_restart_from_string (const char        *text,
                                            FwCommandRestart  *out_restart,
                                            GError           **error);
gboolean    fw_command_runs_on_host     (const char         *flatpak_info);
char      **fw_command_wrap_for_host    (const char * const *argv);
FwStream   *fw_command_source_open      (const FwFeedSpec   *spec,
                                         FwFeedOpenFlags     flags,
                                         GError            **error);

extern const FwFeedKind fw_command_source_kind;

G_END_DECLS
