/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-replay-source.h: `replay:FILE`, a recording played back with its timing */
#pragma once

#include "../fw-feed-kind.h"

G_BEGIN_DECLS

#define FW_TYPE_REPLAY_SOURCE (fw_replay_source_get_type ())

G_DECLARE_FINAL_TYPE (FwReplaySource, fw_replay_source, FW, REPLAY_SOURCE, FwStream)

/**
 * FwReplayClockFunc: (skip)
 * @user_data: as given to fw_replay_source_set_clock()
 *
 * A replay's clock, for tests.
 *
 * Returns: the time now, µs on a monotonic clock
 */
typedef gint64 (*FwReplayClockFunc) (gpointer user_data);

FwStream  *fw_replay_source_new           (const char         *feed,
                                           const char         *path);
GPtrArray *fw_replay_source_new_split     (const char         *feed,
                                           const char         *path,
                                           const char * const *feeds);
FwStream  *fw_replay_source_open          (const FwFeedSpec   *spec,
                                           FwFeedOpenFlags     flags,
                                           GError            **error);
void       fw_replay_source_set_speed     (FwReplaySource     *self,
                                           double              speed);
double     fw_replay_source_get_speed     (FwReplaySource     *self);
void       fw_replay_source_set_paused    (FwReplaySource     *self,
                                           gboolean            paused);
gboolean   fw_replay_source_get_paused    (FwReplaySource     *self);
void       fw_replay_source_set_range     (FwReplaySource     *self,
                                           gint64              from_us,
                                           gint64              to_us);
void       fw_replay_source_set_loop      (FwReplaySource     *self,
                                           gboolean            loop);
gint64     fw_replay_source_get_position  (FwReplaySource     *self);
void       fw_replay_source_set_clock     (FwReplaySource     *self,
                                           FwReplayClockFunc   now,
                                           gpointer            user_data);
void       fw_replay_source_clock_moved   (FwReplaySource     *self);
gboolean   fw_replay_parse_time           (const char         *text,
                                           gint64             *time_us,
                                           gboolean           *relative);

extern const FwFeedKind fw_replay_source_kind;

G_END_DECLS
