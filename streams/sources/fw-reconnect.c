/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-reconnect.c: see fw-reconnect.h.
 *
 * A source calls fw_reconnect_schedule() when a connection failed or ended: it gets the status
 * item to hand on ("retrying in 3 s: HTTP 503 Service Unavailable", state retrying), and the
 * attempt is due after the delay. The next attempt waits for a pull (a feed nobody reads holds
 * no socket): the source calls fw_reconnect_wait() from its pull, which runs its function when
 * the attempt is due, at once if it is already. fw_reconnect_succeeded() once a connection
 * proved good. Polled feeds (pages:, metrics:) wait on their poll timer instead, at
 * fw_reconnect_get_due().
 *
 * Retry-After (RFC 9110 §10.2.3, seconds or an HTTP date) on a failed response lengthens the
 * next delay, never beyond the feed's cap (`retry-max`): a server asking for an hour does not
 * silence a feed the user set to retry within a minute. */

#include "config.h"

#include "fw-reconnect.h"

#include "fw-units.h"

#include <glib/gi18n-lib.h>

struct _FwReconnect
{
  FwBackoff *backoff;
  gint64     due_us;          /* monotonic; 0 when no attempt is scheduled */
  guint      retry_after_ms;  /* from the last failed response, for the next delay */
  gboolean   short_in_ms;
  GSource   *timer;
  FwStream  *stream;          /* not owned: the source owns us */
  GSourceFunc func;
};

/**
 * fw_reconnect_new:
 * @base_ms: the first delay after a good connection (the feed's `retry`)
 * @cap_ms: the longest delay (the feed's `retry-max`)
 * @short_in_ms: delays under a second are written "300 ms" rather than "0.3 s"
 */
FwReconnect *
fw_reconnect_new (guint    base_ms,
                  guint    cap_ms,
                  gboolean short_in_ms)
{
  FwReconnect *self = g_new0 (FwReconnect, 1);

  self->backoff = fw_backoff_new (base_ms, cap_ms, FW_BACKOFF_JITTER_FULL);
  self->short_in_ms = short_in_ms;

  return self;
}

void
fw_reconnect_free (FwReconnect *self)
{
  fw_reconnect_stop (self);
  fw_backoff_free (self->backoff);
  g_free (self);
}

/* Returns: (transfer none): the policy, to change its base (SSE's `retry:`) or, in tests, its
 *   random source */
FwBackoff *
fw_reconnect_get_backoff (FwReconnect *self)
{
  return self->backoff;
}

static guint
parse_retry_after (const char *value)
{
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = NULL;
  guint64 seconds;
  GTimeSpan span;

  if (value == NULL)
    return 0;
  if (g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT64, &seconds, NULL))
    return (guint) MIN (seconds, G_MAXUINT / 1000) * 1000;

  when = soup_date_time_new_from_http_string (value);
  if (when == NULL)
    return 0;
  now = g_date_time_new_now_utc ();
  span = g_date_time_difference (when, now);
  if (span <= 0)
    return 0;
  return (guint) MIN (span / G_TIME_SPAN_MILLISECOND, (GTimeSpan) G_MAXUINT);
}

/**
 * fw_reconnect_note_response:
 * @headers: (nullable): the headers of a response that failed (a 503, a refused handshake)
 *
 * A Retry-After among @headers sets a floor for the next delay.
 */
void
fw_reconnect_note_response (FwReconnect        *self,
                            SoupMessageHeaders *headers)
{
  if (headers == NULL)
    return;
  self->retry_after_ms = parse_retry_after (soup_message_headers_get_one (headers,
                                                                          "Retry-After"));
}

/**
 * fw_reconnect_schedule:
 * @level: %FW_LEVEL_WARNING for a failure, %FW_LEVEL_INFO for a good stream that ended
 * @lead: the words before the delay: "retrying", "reconnecting"
 * @reason: why, in words
 *
 * The connection is gone: the next attempt is due after the next delay.
 *
 * Returns: (transfer full): the status item that says so: state retrying, "@lead in DELAY:
 *   @reason"
 */
FwItem *
fw_reconnect_schedule (FwReconnect *self,
                       GRefString  *feed,
                       FwLevel      level,
                       const char  *lead,
                       const char  *reason)
{
  g_autofree char *delay_text = NULL;
  guint delay;

  fw_reconnect_stop (self);
  delay = fw_backoff_next_delay (self->backoff);
  if (self->retry_after_ms > delay)
    delay = MIN (self->retry_after_ms, MAX (fw_backoff_get_cap (self->backoff), delay));
  self->retry_after_ms = 0;
  self->due_us = g_get_monotonic_time () + (gint64) delay * 1000;

  delay_text = fw_reconnect_format_delay (self, delay);
  /* Whole sentences, so that each can be translated; @lead picks one */
  return fw_feed_status_new_printf (feed, FW_FEED_STATE_RETRYING, level,
                                    g_str_equal (lead, "reconnecting")
                                    ? _("reconnecting in %s: %s") : _("retrying in %s: %s"),
                                    delay_text, reason);
}

/* Returns: when the next attempt is due (monotonic µs), 0 when none is scheduled */
gint64
fw_reconnect_get_due (FwReconnect *self)
{
  return self->due_us;
}

/* Whether an attempt is scheduled and not due yet, or its timer runs. */
gboolean
fw_reconnect_is_waiting (FwReconnect *self)
{
  return self->timer != NULL || self->due_us > g_get_monotonic_time ();
}

static gboolean
on_due (gpointer user_data)
{
  FwReconnect *self = user_data;

  g_clear_pointer (&self->timer, g_source_unref);
  self->due_us = 0;
  fw_stream_set_retry_func (self->stream, NULL, NULL);
  self->func (self->stream);

  return G_SOURCE_REMOVE;
}

static void
arm (FwReconnect *self,
     guint        delay_ms,
     const char  *name)
{
  self->timer = g_timeout_source_new (delay_ms);
  g_source_set_callback (self->timer, on_due, self, NULL);
  g_source_set_static_name (self->timer, name);
  g_source_attach (self->timer, fw_stream_get_context (self->stream));
}

/* "Retry Now": the attempt is due at once (still from a source of the stream's context) */
static void
retry_now (gpointer user_data)
{
  FwReconnect *self = user_data;

  if (self->timer == NULL)
    return;
  g_source_destroy (self->timer);
  g_clear_pointer (&self->timer, g_source_unref);
  self->due_us = g_get_monotonic_time ();
  arm (self, 0, "[feedwatch] retry now");
}

/**
 * fw_reconnect_wait:
 * @func: called with @stream when the attempt is due, from @stream's main context
 *
 * Returns: %TRUE when an attempt is scheduled and @func will run, %FALSE when none is or it is
 *   due already (then connect now)
 */
gboolean
fw_reconnect_wait (FwReconnect *self,
                   FwStream    *stream,
                   GSourceFunc  func,
                   const char  *name)
{
  gint64 now = g_get_monotonic_time ();

  if (self->timer != NULL)
    return TRUE;
  if (self->due_us <= now)
    {
      self->due_us = 0;
      return FALSE;
    }

  self->stream = stream;
  self->func = func;
  arm (self, (guint) ((self->due_us - now + 999) / 1000), name);
  fw_stream_set_retry_func (stream, retry_now, self);
  return TRUE;
}

/* The source lets go, or connects now: no attempt is pending any more. */
void
fw_reconnect_stop (FwReconnect *self)
{
  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
      fw_stream_set_retry_func (self->stream, NULL, NULL);
    }
  self->due_us = 0;
}

/* A connection proved good: the next failure waits the base delay again. */
void
fw_reconnect_succeeded (FwReconnect *self)
{
  fw_reconnect_stop (self);
  fw_backoff_reset (self->backoff);
  self->retry_after_ms = 0;
}

/* Returns: (transfer full): @ms written as the feed writes its delays */
char *
fw_reconnect_format_delay (FwReconnect *self,
                           guint        ms)
{
  return fw_units_format_delay (ms, self->short_in_ms);
}
