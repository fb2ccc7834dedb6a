/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-backoff.c: the reconnect policy (see the header for the formulas) */

#include "fw-backoff.h"

struct _FwBackoff
{
  FwBackoffRandomFunc random;
  gpointer            random_data;
  guint               base_ms;
  guint               cap_ms;
  guint               failures;
  guint               previous_ms;
  FwBackoffJitter     jitter;
};

static double
default_random (gpointer user_data)
{
  return g_random_double ();
}

/**
 * fw_backoff_new: (skip)
 * @base_ms: the first delay, in milliseconds
 * @cap_ms: the longest delay, in milliseconds
 * @jitter: how delays are spread
 *
 * Makes a reconnect policy.
 *
 * Returns: (transfer full): a new policy, with no failure counted
 */
FwBackoff *
fw_backoff_new (guint           base_ms,
                guint           cap_ms,
                FwBackoffJitter jitter)
{
  FwBackoff *self = g_new0 (FwBackoff, 1);

  self->random = default_random;
  self->base_ms = base_ms;
  self->cap_ms = cap_ms;
  self->jitter = jitter;

  return self;
}

/**
 * fw_backoff_free:
 * @self: (nullable): a policy, or %NULL
 *
 * Frees a policy.
 */
void
fw_backoff_free (FwBackoff *self)
{
  g_free (self);
}

/**
 * fw_backoff_set_random: (skip)
 * @self: the backoff
 * @func: where the jitter's random numbers come from (tests make it fixed)
 * @user_data: given to @func
 *
 * Replaces the source of random numbers, for exact tests.
 */
void
fw_backoff_set_random (FwBackoff           *self,
                       FwBackoffRandomFunc  func,
                       gpointer             user_data)
{
  self->random = func != NULL ? func : default_random;
  self->random_data = func != NULL ? user_data : NULL;
}

/**
 * fw_backoff_set_base:
 * @self: a policy
 * @base_ms: the server's reconnection time, in milliseconds
 *
 * Takes the server's reconnection time (SSE's `retry:`) as the base, from the next delay on. The
 * server is not trusted: the base never goes past the cap.
 */
void
fw_backoff_set_base (FwBackoff *self,
                     guint      base_ms)
{
  self->base_ms = MIN (base_ms, self->cap_ms);
}

/**
 * fw_backoff_get_base:
 * @self: a policy
 *
 * The first delay after a reset.
 *
 * Returns: milliseconds
 */
guint
fw_backoff_get_base (const FwBackoff *self)
{
  return self->base_ms;
}

/**
 * fw_backoff_get_cap:
 * @self: a policy
 *
 * The longest delay.
 *
 * Returns: milliseconds
 */
guint
fw_backoff_get_cap (const FwBackoff *self)
{
  return self->cap_ms;
}

/**
 * fw_backoff_get_failures:
 * @self: a policy
 *
 * How many delays were asked for since the last reset.
 *
 * Returns: the number of failures
 */
guint
fw_backoff_get_failures (const FwBackoff *self)
{
  return self->failures;
}

/**
 * fw_backoff_reset:
 * @self: a policy
 *
 * Starts again after a good connection: the next delay is the plain base.
 */
void
fw_backoff_reset (FwBackoff *self)
{
  self->failures = 0;
  self->previous_ms = 0;
}

static double
draw (FwBackoff *self)
{
  double r = self->random (self->random_data);

  /* A careless random source must not produce delays outside [base, cap]. */
  if (!(r >= 0.0))
    r = 0.0;
  if (r >= 1.0)
    r = 1.0;
  return r;
}

/**
 * fw_backoff_next_delay:
 * @self: a policy
 *
 * Counts one failure and returns how long to wait before the next attempt, in ms.
 *
 * Returns: the delay in milliseconds
 */
guint
fw_backoff_next_delay (FwBackoff *self)
{
  guint64 base = self->base_ms;
  guint64 cap = MAX (self->cap_ms, self->base_ms);
  guint64 ceiling = base;
  guint64 delay;
  guint n = self->failures;

  if (self->failures < G_MAXUINT)
    self->failures++;

  if (n == 0)
    {
      self->previous_ms = (guint) base;
      return (guint) base;
    }

  /* Double up to the cap without overflowing (base may be 0: then grow from 1 ms). */
  ceiling = MAX (base, 1);
  for (guint i = 0; i < n && ceiling < cap; i++)
    ceiling *= 2;
  ceiling = MIN (ceiling, cap);

  switch (self->jitter)
    {
    case FW_BACKOFF_JITTER_FULL:
      delay = base + (guint64) (draw (self) * (double) (ceiling - MIN (base, ceiling)));
      break;

    case FW_BACKOFF_JITTER_DECORRELATED:
      {
        guint64 upper = MAX ((guint64) MAX (self->previous_ms, 1) * 3, base);
        delay = base + (guint64) (draw (self) * (double) (upper - base));
      }
      break;

    case FW_BACKOFF_JITTER_NONE:
    default:
      delay = ceiling;
      break;
    }

  delay = CLAMP (delay, base, cap);
  self->previous_ms = (guint) delay;
  return (guint) delay;
}
