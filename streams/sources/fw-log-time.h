/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-log-time.h: the time a log line says it was written, read from the places logs put it */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How far into a line a timestamp is looked for: a Common Log Format time follows a host, an
 * ident and a user. */
#define FW_LOG_TIME_SCAN_BYTES 96

/**
 * FwLogClock:
 *
 * Reads the timestamps of one log. Times written without an offset are in @tz; the one
 * conversion it needs (the zone's offset) is kept for the hour it was asked for, so a log of
 * lines from the same hour costs no time zone lookup. Not thread-safe: one per reader.
 */
typedef struct
{
  /*< private >*/
  GTimeZone *tz;
  gint64     cached_hour;      /* local seconds / 3600 of the cached offset, or G_MININT64 */
  gint64     cached_offset_s;  /* that hour's offset from UTC */
  gint64     year_hour;        /* the hour of "now" the year below was found for */
  int        year;             /* this year in @tz, for syslog times that leave it out */
} FwLogClock;

void     fw_log_clock_init  (FwLogClock *clock,
                             GTimeZone  *tz);
void     fw_log_clock_clear (FwLogClock *clock);
gboolean fw_log_clock_read  (FwLogClock *clock,
                             const char *line,
                             gsize       len,
                             gint64      now_us,
                             gint64     *time_us);

G_END_DECLS
