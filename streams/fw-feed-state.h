/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-feed-state.h: what is happening to a feed, as its runner shows it and as sources announce
 * it in status items */
#pragma once

#include "fw-item.h"

G_BEGIN_DECLS

/**
 * FwFeedState:
 * @FW_FEED_STATE_IDLE: not started; in a status item: the status announces no state (a note)
 * @FW_FEED_STATE_CONNECTING: started, nothing received yet
 * @FW_FEED_STATE_LIVE: items are arriving
 * @FW_FEED_STATE_RETRYING: the source lost its connection and will try again
 * @FW_FEED_STATE_WAITING: the source waits for something to appear (a log file)
 * @FW_FEED_STATE_PAUSED: the user paused it; nothing is pulled
 * @FW_FEED_STATE_FAILED: the stream ended with an error
 * @FW_FEED_STATE_ENDED: the stream reached its natural end
 *
 * What is happening to a feed, as a #FwFeedRunner shows it and as sources announce it in status
 * items.
 */
typedef enum
{
  FW_FEED_STATE_IDLE,
  FW_FEED_STATE_CONNECTING,
  FW_FEED_STATE_LIVE,
  FW_FEED_STATE_RETRYING,
  FW_FEED_STATE_WAITING,
  FW_FEED_STATE_PAUSED,
  FW_FEED_STATE_FAILED,
  FW_FEED_STATE_ENDED,
} FwFeedState;

const char  *fw_feed_state_to_string    (FwFeedState   state);

FwItem      *fw_feed_status_new         (GRefString   *feed,
                                         FwFeedState   state,
                                         FwLevel       level,
                                         const char   *text);
FwItem      *fw_feed_status_new_printf  (GRefString   *feed,
                                         FwFeedState   state,
                                         FwLevel       level,
                                         const char   *format,
                                         ...) G_GNUC_PRINTF (4, 5);
FwFeedState  fw_item_get_feed_state     (const FwItem *item);

G_END_DECLS
