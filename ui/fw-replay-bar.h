/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-replay-bar.h: a replay window's time bar: where the replay is in its recording, seek,
 * play or pause, speed */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FW_TYPE_REPLAY_BAR (fw_replay_bar_get_type ())

G_DECLARE_FINAL_TYPE (FwReplayBar, fw_replay_bar, FW, REPLAY_BAR, GtkBox)

GtkWidget *fw_replay_bar_new          (void);
void       fw_replay_bar_set_span     (FwReplayBar *self,
                                       gint64       first_us,
                                       gint64       last_us);
void       fw_replay_bar_set_position (FwReplayBar *self,
                                       gint64       time_us);
gint64     fw_replay_bar_get_position (FwReplayBar *self);
void       fw_replay_bar_set_playing  (FwReplayBar *self,
                                       gboolean     playing);
gboolean   fw_replay_bar_get_playing  (FwReplayBar *self);
void       fw_replay_bar_set_speed    (FwReplayBar *self,
                                       double       speed);
double     fw_replay_bar_get_speed    (FwReplayBar *self);
void       fw_replay_bar_set_message  (FwReplayBar *self,
                                       const char  *text);
const char *fw_replay_bar_get_message (FwReplayBar *self);
char      *fw_replay_bar_format_time  (FwReplayBar *self,
                                       gint64       time_us);

G_END_DECLS
