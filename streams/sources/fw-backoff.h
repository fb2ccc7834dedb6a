/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-backoff.h: the reconnect policy shared by the network feeds (SSE, NDJSON, WebSocket).
 *
 * A pure unit: no clock, no I/O, no main loop. The caller asks for the next delay after each
 * failed or ended connection, waits that long itself, and calls fw_backoff_reset() once a
 * connection proved good. Randomness comes from an injectable function so tests are exact.
 *
 * Delays, with `base` the reconnection time (the server's SSE `retry:` when it sent one) and
 * `n` the failures since the last reset (0 for the first):
 *   - the first delay after a reset is exactly `base` in every mode (the SSE spec's
 *     "wait the reconnection time"; a good connection that ended is not a failure storm);
 *   - then the ceiling grows as min(cap, base × 2ⁿ) and:
 *     NONE:         delay = ceiling
 *     FULL:         delay = base + r × (ceiling − base)     (never below the base)
 *     DECORRELATED: delay = min(cap, base + r × (3 × previous − base))
 *   with r uniform in [0, 1). A base given to fw_backoff_new() above the cap wins over the cap
 *   (the feed's own `retry` option is a floor we honour); the server's retry given to
 *   fw_backoff_set_base() is clamped to the cap.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * FW_BACKOFF_DEFAULT_BASE_MS:
 *
 * The first delay before a network feed reconnects, in milliseconds, when neither the feed nor the
 * server sets one.
 */
#define FW_BACKOFF_DEFAULT_BASE_MS 3000
/**
 * FW_BACKOFF_DEFAULT_CAP_MS:
 *
 * The longest delay between two reconnections, in milliseconds.
 */
#define FW_BACKOFF_DEFAULT_CAP_MS  60000

/**
 * FwBackoffJitter:
 * @FW_BACKOFF_JITTER_NONE: the delay is the ceiling: base × 2ⁿ, up to the cap
 * @FW_BACKOFF_JITTER_FULL: a random delay between the base and the ceiling
 * @FW_BACKOFF_JITTER_DECORRELATED: a random delay that grows from the previous one (AWS's
 *   "decorrelated jitter"), up to the cap
 *
 * How a #FwBackoff spreads the delays of many clients that lost the same server, so they do not
 * reconnect all at once.
 */
typedef enum
{
  FW_BACKOFF_JITTER_NONE,
  FW_BACKOFF_JITTER_FULL,
  FW_BACKOFF_JITTER_DECORRELATED,
} FwBackoffJitter;

/**
 * FwBackoffRandomFunc:
 * @user_data: what was given to fw_backoff_set_random()
 *
 * Where a #FwBackoff's jitter takes its random numbers; tests give a fixed one.
 *
 * Returns: a number uniform in [0, 1)
 */
typedef double (*FwBackoffRandomFunc) (gpointer user_data);

/**
 * FwBackoff:
 *
 * The reconnect policy of the network feeds: how long to wait after each failed or ended
 * connection, growing exponentially from a base up to a cap, with jitter. A pure calculation: the
 * caller keeps the clock and waits itself.
 */
typedef struct _FwBackoff FwBackoff;

FwBackoff *fw_backoff_new            (guint                base_ms,
                                      guint                cap_ms,
                                      FwBackoffJitter      jitter);
void       fw_backoff_free           (FwBackoff           *self);
void       fw_backoff_set_random     (FwBackoff           *self,
                                      FwBackoffRandomFunc  func,
                                      gpointer             user_data);
void       fw_backoff_set_base       (FwBackoff           *self,
                                      guint                base_ms);
guint      fw_backoff_get_base       (const FwBackoff     *self);
guint      fw_backoff_get_cap        (const FwBackoff     *self);
guint      fw_backoff_next_delay     (FwBackoff           *self);
void       fw_backoff_reset          (FwBackoff           *self);
guint      fw_backoff_get_failures   (const FwBackoff     *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwBackoff, fw_backoff_free)

G_END_DECLS
