/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-feed-runner.h: one feed being watched: its stream, its loop, its state and counters */
#pragma once

#include "fw-feed.h"
#include "fw-feed-state.h"
#include "fw-stream.h"

G_BEGIN_DECLS

#define FW_TYPE_FEED_RUNNER (fw_feed_runner_get_type ())

G_DECLARE_FINAL_TYPE (FwFeedRunner, fw_feed_runner, FW, FEED_RUNNER, GObject)

FwFeedRunner *fw_feed_runner_new            (const char    *spec,
                                             GError       **error);
FwFeedRunner *fw_feed_runner_new_for_stream (const char    *spec,
                                             FwStream      *stream);
FwFeedRunner *fw_feed_runner_new_pending    (const char    *spec,
                                             const char    *reason);
gboolean      fw_feed_runner_reopen         (FwFeedRunner  *self,
                                             const char    *spec,
                                             GError       **error);
void          fw_feed_runner_fail           (FwFeedRunner  *self,
                                             const char    *reason);
gboolean      fw_feed_runner_set_resume_mark (FwFeedRunner *self,
                                             const char    *mark);
char         *fw_feed_runner_dup_resume_mark (FwFeedRunner *self);
void          fw_feed_runner_start          (FwFeedRunner  *self,
                                             gpointer       owner);
void          fw_feed_runner_stop           (FwFeedRunner  *self);
gboolean      fw_feed_runner_retry_now      (FwFeedRunner  *self,
                                             GError       **error);
gboolean      fw_feed_runner_restart        (FwFeedRunner  *self,
                                             GError       **error);
void          fw_feed_runner_set_paused     (FwFeedRunner  *self,
                                             gboolean       paused);
gboolean      fw_feed_runner_get_paused     (FwFeedRunner  *self);
void          fw_feed_runner_tick           (FwFeedRunner  *self,
                                             gint64         now_us);

const char   *fw_feed_runner_get_spec       (FwFeedRunner  *self);
const char   *fw_feed_runner_get_spec_with_secrets (FwFeedRunner *self);
const char   *fw_feed_runner_get_kind       (FwFeedRunner  *self);
const char   *fw_feed_runner_get_title      (FwFeedRunner  *self);
void          fw_feed_runner_set_title      (FwFeedRunner  *self,
                                             const char    *title);
const char   *fw_feed_runner_get_group      (FwFeedRunner  *self);
void          fw_feed_runner_set_group      (FwFeedRunner  *self,
                                             const char    *group);
const char   *fw_feed_runner_get_color      (FwFeedRunner  *self);
void          fw_feed_runner_set_color      (FwFeedRunner  *self,
                                             const char    *color);
void          fw_feed_runner_set_transient  (FwFeedRunner  *self,
                                             gboolean       transient);
gboolean      fw_feed_runner_get_transient  (FwFeedRunner  *self);
FwFeedState   fw_feed_runner_get_state      (FwFeedRunner  *self);
const char   *fw_feed_runner_get_state_text (FwFeedRunner  *self);
double        fw_feed_runner_get_rate       (FwFeedRunner  *self);
guint64       fw_feed_runner_get_n_items    (FwFeedRunner  *self);
guint64       fw_feed_runner_get_n_level    (FwFeedRunner  *self,
                                             FwLevel        level);
gboolean      fw_feed_runner_is_numeric     (FwFeedRunner  *self);
FwStream     *fw_feed_runner_get_stream     (FwFeedRunner  *self);

FwFeedState   fw_feed_state_from_status     (const FwItem  *status);
char         *fw_feed_default_title         (const FwFeedSpec *spec);

G_END_DECLS
