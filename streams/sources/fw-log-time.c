/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-log-time.c: the time a log line says it was written:
 *
 *   2026-12-06T06:44:01.123Z …           RFC 3339 / ISO 8601 (T or a space; an offset or
 *   2026-12-06 06:44:01,123 INFO …        none, then local time; Python logging's comma)
 *   Dec  6 06:44:01 host app: …           syslog (RFC 3164; the year is this year's, or the
 *                                         last one's for a December line read in January)
 *   1.2.3.4 - - [06/Dec/2026:06:44:01 +0000] "GET …"   Common Log Format
 *
 * at the start of the line (after a syslog <N> priority or an opening bracket), or for the
 * Common Log Format in brackets within the first FW_LOG_TIME_SCAN_BYTES bytes. It runs on every
 * line of a log, so it reads digits by hand and asks the time zone only once an hour.
 */

#include "fw-log-time.h"

#include <string.h>

static const char month_names[12][4] = {
  "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

typedef struct
{
  int    year, month, day, hour, minute, second;
  gint64 usec;
  gint64 offset_s;      /* valid with has_offset */
  gboolean has_offset;
} Fields;

void
fw_log_clock_init (FwLogClock *clock,
                   GTimeZone  *tz)
{
  clock->tz = tz != NULL ? g_time_zone_ref (tz) : g_time_zone_new_local ();
  clock->cached_hour = G_MININT64;
  clock->cached_offset_s = 0;
  clock->year_hour = G_MININT64;
  clock->year = 0;
}

void
fw_log_clock_clear (FwLogClock *clock)
{
  g_clear_pointer (&clock->tz, g_time_zone_unref);
}

/* Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil) */
static gint64
days_from_civil (gint64 y,
                 int    m,
                 int    d)
{
  gint64 era, yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static int
days_in_month (int year,
               int month)
{
  static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  gboolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

  return month == 2 && leap ? 29 : days[month - 1];
}

/* Exactly @n digits at *@p */
static gboolean
read_digits (const char **p,
             const char  *end,
             int          n,
             int         *value)
{
  int v = 0;

  if (end - *p < n)
    return FALSE;
  for (int i = 0; i < n; i++)
    {
      char c = (*p)[i];

      if (c < '0' || c > '9')
        return FALSE;
      v = v * 10 + (c - '0');
    }
  *p += n;
  *value = v;
  return TRUE;
}

static gboolean
read_char (const char **p,
           const char  *end,
           char         c)
{
  if (*p >= end || **p != c)
    return FALSE;
  (*p)++;
  return TRUE;
}

static gboolean
read_month_name (const char **p,
                 const char  *end,
                 int         *month)
{
  if (end - *p < 3)
    return FALSE;
  for (int i = 0; i < 12; i++)
    {
      if (memcmp (*p, month_names[i], 3) == 0)
        {
          *p += 3;
          *month = i + 1;
          return TRUE;
        }
    }
  return FALSE;
}

/* hh:mm:ss */
static gboolean
read_clock (const char **p,
            const char  *end,
            Fields      *f)
{
  return read_digits (p, end, 2, &f->hour) && read_char (p, end, ':') &&
         read_digits (p, end, 2, &f->minute) && read_char (p, end, ':') &&
         read_digits (p, end, 2, &f->second);
}

/* .123 or ,123456789: kept to the microsecond */
static void
read_fraction (const char **p,
               const char  *end,
               Fields      *f)
{
  const char *q = *p;
  gint64 scale = 100000;

  if (q + 1 >= end || (*q != '.' && *q != ',') || q[1] < '0' || q[1] > '9')
    return;
  for (q++; q < end && *q >= '0' && *q <= '9'; q++)
    {
      f->usec += (*q - '0') * scale;
      scale /= 10;
    }
  *p = q;
}

/* Z, +hh:mm, +hhmm or +hh */
static void
read_offset (const char **p,
             const char  *end,
             Fields      *f)
{
  const char *q = *p;
  int sign, hours, minutes = 0;

  if (q < end && (*q == 'Z' || *q == 'z'))
    {
      f->has_offset = TRUE;
      f->offset_s = 0;
      *p = q + 1;
      return;
    }
  if (q >= end || (*q != '+' && *q != '-'))
    return;
  sign = *q++ == '-' ? -1 : 1;
  if (!read_digits (&q, end, 2, &hours))
    return;
  if (q < end && *q == ':')
    {
      const char *colon = q++;

      if (!read_digits (&q, end, 2, &minutes))
        q = colon;
    }
  else if (!read_digits (&q, end, 2, &minutes))
    minutes = 0;
  if (hours > 23 || minutes > 59)
    return;
  f->has_offset = TRUE;
  f->offset_s = sign * (hours * 3600 + minutes * 60);
  *p = q;
}

/* 2026-12-06T06:44:01[.frac][offset], T or a space between */
static gboolean
read_iso (const char *p,
          const char *end,
          Fields     *f)
{
  if (!read_digits (&p, end, 4, &f->year) || !read_char (&p, end, '-') ||
      !read_digits (&p, end, 2, &f->month) || !read_char (&p, end, '-') ||
      !read_digits (&p, end, 2, &f->day))
    return FALSE;
  if (p >= end || (*p != 'T' && *p != 't' && *p != ' '))
    return FALSE;
  p++;
  if (!read_clock (&p, end, f))
    return FALSE;
  read_fraction (&p, end, f);
  read_offset (&p, end, f);
  /* a time ends there: 2026-12-06 06:44:01abc is not one */
  return p == end || !g_ascii_isalnum (*p);
}

/* Dec  6 06:44:01 or Dec 06 06:44:01 (journalctl), the year left out */
static gboolean
read_syslog (const char *p,
             const char *end,
             Fields     *f)
{
  if (!read_month_name (&p, end, &f->month) || !read_char (&p, end, ' '))
    return FALSE;
  if (p < end && *p == ' ')
    {
      p++;
      if (!read_digits (&p, end, 1, &f->day))
        return FALSE;
    }
  else if (!read_digits (&p, end, 2, &f->day))
    return FALSE;
  if (!read_char (&p, end, ' ') || !read_clock (&p, end, f))
    return FALSE;
  read_fraction (&p, end, f);
  f->year = 0;
  return p == end || *p == ' ';
}

/* 06/Dec/2026:06:44:01 +0000], after its '[' */
static gboolean
read_clf (const char *p,
          const char *end,
          Fields     *f)
{
  if (!read_digits (&p, end, 2, &f->day) || !read_char (&p, end, '/') ||
      !read_month_name (&p, end, &f->month) || !read_char (&p, end, '/') ||
      !read_digits (&p, end, 4, &f->year) || !read_char (&p, end, ':') ||
      !read_clock (&p, end, f))
    return FALSE;
  read_fraction (&p, end, f);
  if (read_char (&p, end, ' '))
    {
      read_offset (&p, end, f);
      if (!f->has_offset)
        return FALSE;
    }
  return read_char (&p, end, ']');
}

static gint64
local_offset (FwLogClock *clock,
              const Fields *f,
              gint64      local_s)
{
  gint64 hour = local_s >= 0 ? local_s / 3600 : (local_s - 3599) / 3600;

  if (hour != clock->cached_hour)
    {
      g_autoptr(GDateTime) dt = g_date_time_new (clock->tz, f->year, f->month, f->day,
                                                 f->hour, 0, 0);

      clock->cached_offset_s = dt != NULL ? g_date_time_get_utc_offset (dt) / G_USEC_PER_SEC : 0;
      clock->cached_hour = hour;
    }
  return clock->cached_offset_s;
}

static int
this_year (FwLogClock *clock,
           gint64      now_us)
{
  gint64 hour = now_us / G_USEC_PER_SEC / 3600;

  if (hour != clock->year_hour)
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (now_us / G_USEC_PER_SEC);
      g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_timezone (utc, clock->tz) : NULL;

      clock->year = local != NULL ? g_date_time_get_year (local) : 1970;
      clock->year_hour = hour;
    }
  return clock->year;
}

static gboolean
to_time_us (FwLogClock *clock,
            Fields     *f,
            gint64     *time_us)
{
  gint64 s;

  if (f->year < 1 || f->month < 1 || f->month > 12 || f->day < 1 ||
      f->day > days_in_month (f->year, f->month) || f->hour > 23 || f->minute > 59 ||
      f->second > 60)
    return FALSE;
  /* a leap second shows as the last second of its minute */
  s = days_from_civil (f->year, f->month, f->day) * 86400 + f->hour * 3600 + f->minute * 60 +
      MIN (f->second, 59);
  s -= f->has_offset ? f->offset_s : local_offset (clock, f, s);
  *time_us = s * G_USEC_PER_SEC + f->usec;
  return TRUE;
}

/**
 * fw_log_clock_read:
 * @clock: the log's clock
 * @line: (array length=len): a line of the log
 * @now_us: the wall clock now, µs since the epoch: the year of a syslog time
 * @time_us: (out): the time the line says, µs since the epoch
 *
 * Returns: whether @line starts with (or, in the Common Log Format, holds near its start) a
 *   valid date and time
 */
gboolean
fw_log_clock_read (FwLogClock *clock,
                   const char *line,
                   gsize       len,
                   gint64      now_us,
                   gint64     *time_us)
{
  const char *end = line + MIN (len, FW_LOG_TIME_SCAN_BYTES);
  const char *p = line;
  const char *bracket;
  Fields f = { 0 };

  /* <13>, then an opening bracket: [2026-12-06 06:44:01,123] */
  if (p < end && *p == '<')
    {
      const char *q = p + 1;

      while (q < end && q - p <= 4 && g_ascii_isdigit (*q))
        q++;
      if (q < end && *q == '>' && q > p + 1)
        p = q + 1;
    }
  if (p < end && *p == '[')
    p++;

  if (p < end && g_ascii_isdigit (*p))
    {
      if (read_iso (p, end, &f))
        return to_time_us (clock, &f, time_us);
      memset (&f, 0, sizeof f);
    }
  else if (p < end && g_ascii_isupper (*p))
    {
      if (read_syslog (p, end, &f))
        {
          gint64 candidate;

          /* A December line read in January was written last year. */
          f.year = this_year (clock, now_us);
          if (f.month == 2 && f.day == 29 && days_in_month (f.year, 2) == 28)
            f.year--;
          if (!to_time_us (clock, &f, &candidate))
            return FALSE;
          if (candidate > now_us + (gint64) 86400 * G_USEC_PER_SEC)
            {
              f.year--;
              if (!to_time_us (clock, &f, &candidate))
                return FALSE;
            }
          *time_us = candidate;
          return TRUE;
        }
      memset (&f, 0, sizeof f);
    }

  for (bracket = memchr (line, '[', end - line); bracket != NULL;
       bracket = memchr (bracket + 1, '[', end - bracket - 1))
    {
      if (read_clf (bracket + 1, end, &f))
        return to_time_us (clock, &f, time_us);
      memset (&f, 0, sizeof f);
    }
  return FALSE;
}
