/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-channel.h: a bounded queue between a producer and a consumer, with a policy */
#pragma once

#include "fw-stream.h"

G_BEGIN_DECLS

/**
 * FwChannelPolicy:
 * @FW_CHANNEL_BLOCK: when full, the producer waits: the input stream is not pulled and
 *   fw_channel_send_async() does not complete (backpressure: a socket is not read, TCP slows the
 *   sender)
 * @FW_CHANNEL_DROP_OLDEST: when full, the oldest waiting item is dropped for the new one
 * @FW_CHANNEL_DROP_NEWEST: when full, the new item is dropped
 * @FW_CHANNEL_KEEP_LATEST: one slot (the capacity is ignored): each new item replaces the one
 *   waiting, so the consumer always gets the latest (a conflated channel, for gauges)
 *
 * What a full #FwChannel does with a new item: wait (backpressure) or drop one.
 */
typedef enum
{
  FW_CHANNEL_BLOCK,
  FW_CHANNEL_DROP_OLDEST,
  FW_CHANNEL_DROP_NEWEST,
  FW_CHANNEL_KEEP_LATEST,
} FwChannelPolicy;

#define FW_TYPE_CHANNEL (fw_channel_get_type ())

G_DECLARE_FINAL_TYPE (FwChannel, fw_channel, FW, CHANNEL, FwStream)

FwStream        *fw_channel_new             (guint                capacity,
                                             FwChannelPolicy      policy);
FwStream        *fw_channel_new_for_stream  (FwStream            *input,
                                             guint                capacity,
                                             FwChannelPolicy      policy);

/* The producer's side, for code that pushes items */
gboolean         fw_channel_try_send        (FwChannel           *self,
                                             FwItem              *item);
void             fw_channel_send_async      (FwChannel           *self,
                                             FwItem              *item,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean         fw_channel_send_finish     (FwChannel           *self,
                                             GAsyncResult        *result,
                                             GError             **error);
void             fw_channel_close_sending   (FwChannel           *self,
                                             const GError        *error);

/* Counters, also as properties: n-in == n-out + n-dropped + length */
guint            fw_channel_get_capacity    (FwChannel           *self);
FwChannelPolicy  fw_channel_get_policy      (FwChannel           *self);
guint            fw_channel_get_length      (FwChannel           *self);
guint64          fw_channel_get_n_in        (FwChannel           *self);
guint64          fw_channel_get_n_out       (FwChannel           *self);
guint64          fw_channel_get_n_dropped   (FwChannel           *self);
guint            fw_channel_get_high_water  (FwChannel           *self);

G_END_DECLS
