/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-log-time.c: the time a log line says it was written, in the formats logs use; the
 * expected times come from GLib's own ISO 8601 parser, not from the code under test */

#include "fw-test-util.h"

#include <string.h>

#include "fw-log-time.h"

static gint64
iso_us (const char *iso)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
}

static void
check (FwLogClock *clock,
       const char *line,
       const char *now_iso,
       const char *expected_iso)
{
  gint64 got = 0;
  gboolean found = fw_log_clock_read (clock, line, strlen (line), iso_us (now_iso), &got);

  if (expected_iso == NULL)
    {
      if (found)
        g_error ("“%s” read as a time (%" G_GINT64_FORMAT ")", line, got);
      return;
    }
  if (!found)
    g_error ("“%s” not read as a time", line);
  g_assert_cmpint (got, ==, iso_us (expected_iso));
}

static void
test_formats (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("+01:00");
  static const struct { const char *line; const char *expected; } cases[] = {
    /* RFC 3339 / ISO 8601, with an offset */
    { "2026-12-06T06:44:01Z app started", "2026-12-06T06:44:01Z" },
    { "2026-12-06T06:44:01.123Z x", "2026-12-06T06:44:01.123Z" },
    { "2026-12-06t06:44:01.123456789z", "2026-12-06T06:44:01.123456Z" },
    { "2026-12-06T06:44:01+02:00 x", "2026-12-06T04:44:01Z" },
    { "2026-12-06T06:44:01-0530 x", "2026-12-06T12:14:01Z" },
    { "2026-12-06T06:44:01+02 x", "2026-12-06T04:44:01Z" },
    /* without an offset: the clock's zone (+01:00 here) */
    { "2026-12-06 06:44:01 INFO x", "2026-12-06T05:44:01Z" },
    /* Python logging's comma */
    { "2026-12-06 06:44:01,123 WARNING root: low", "2026-12-06T05:44:01.123Z" },
    /* after a syslog priority, in brackets */
    { "<13>2026-12-06T06:44:01Z host", "2026-12-06T06:44:01Z" },
    { "[2026-12-06 06:44:01,500] ERROR x", "2026-12-06T05:44:01.5Z" },
    /* a leap second is the last second of its minute */
    { "2016-12-31T23:59:60Z", "2016-12-31T23:59:59Z" },
    /* Common Log Format, after host, ident and user */
    { "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326",
      "2000-10-10T20:55:36Z" },
    { "::1 - - [06/Dec/2026:06:44:01 +0000] \"GET / HTTP/1.1\" 200 5", "2026-12-06T06:44:01Z" },
  };

  FwLogClock clock;

  fw_log_clock_init (&clock, tz);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    check (&clock, cases[i].line, "2026-12-06T12:00:00Z", cases[i].expected);
  fw_log_clock_clear (&clock);
}

static void
test_syslog_year (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  FwLogClock clock;

  fw_log_clock_init (&clock, utc);
  /* this year's */
  check (&clock, "Dec  6 06:44:01 host app[12]: x", "2026-12-06T12:00:00Z",
         "2026-12-06T06:44:01Z");
  /* journalctl pads the day with a zero */
  check (&clock, "Dec 06 06:44:01 host kernel: x", "2026-12-06T12:00:00Z",
         "2026-12-06T06:44:01Z");
  /* a little ahead of now (a clock a few hours off) is still this year */
  check (&clock, "Dec  6 18:00:00 host x", "2026-12-06T12:00:00Z", "2026-12-06T18:00:00Z");
  /* a December line read in January is last year's */
  check (&clock, "Dec 31 23:59:59 host x", "2027-01-01T00:10:00Z", "2026-12-31T23:59:59Z");
  check (&clock, "Jan  1 00:00:01 host x", "2027-01-01T00:10:00Z", "2027-01-01T00:00:01Z");
  /* 29 February of a year that has none is the last leap year's */
  check (&clock, "Feb 29 10:00:00 host x", "2025-03-01T00:00:00Z", "2024-02-29T10:00:00Z");
  fw_log_clock_clear (&clock);
}

static void
test_daylight_saving (void)
{
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  FwLogClock clock;

  if (berlin == NULL)
    {
      g_test_skip ("no tzdata for Europe/Berlin");
      return;
    }
  /* the offset is kept per hour: each line gets its own date's */
  fw_log_clock_init (&clock, berlin);
  check (&clock, "2026-07-01 12:00:00 x", "2026-12-06T12:00:00Z", "2026-07-01T10:00:00Z");
  check (&clock, "2026-07-01 12:30:00 x", "2026-12-06T12:00:00Z", "2026-07-01T10:30:00Z");
  check (&clock, "2026-12-01 12:00:00 x", "2026-12-06T12:00:00Z", "2026-12-01T11:00:00Z");
  check (&clock, "Jul  1 12:00:00 host x", "2026-12-06T12:00:00Z", "2026-07-01T10:00:00Z");
  fw_log_clock_clear (&clock);
}

static void
test_not_times (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autofree char *far = NULL;
  g_autoptr(GString) long_prefix = g_string_new (NULL);
  static const char *lines[] = {
    "",
    "plain text",
    "12345 items",
    "2026-13-01 00:00:00 month 13",
    "2026-02-30 00:00:00 no such day",
    "2026-12-06 24:00:00 hour 24",
    "2026-12-06 06:61:00",
    "2026-12-06",
    "2026-12-06T06:44",
    "2026-12-06T06:44:01abc glued to a word",
    "Decade 6 06:44:01",
    "Dec 32 06:44:01 host",
    "Dec  6 6:44:01 host",
    "DEBUG Dec  6 06:44:01 not at the start",
    "host - - [10/Foo/2000:13:55:36 -0700] month",
    "host - - [10/Oct/2000:13:55:36 -0700 unclosed",
    "host - - [10/Oct/2000:13:55:36 junk]",
    "[]",
    "<13",
    "<>2026-12-06T06:44:01Z",
  };
  FwLogClock clock;

  fw_log_clock_init (&clock, utc);
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    check (&clock, lines[i], "2026-12-06T12:00:00Z", NULL);

  /* a CLF time beyond the bytes looked at is not looked for */
  for (guint i = 0; i < FW_LOG_TIME_SCAN_BYTES; i++)
    g_string_append_c (long_prefix, 'x');
  far = g_strdup_printf ("%s [10/Oct/2000:13:55:36 -0700]", long_prefix->str);
  check (&clock, far, "2026-12-06T12:00:00Z", NULL);

  /* the length given is the line: bytes after it are not read */
  {
    const char *line = "2026-12-06T06:44:01Z";
    gint64 got;

    g_assert_false (fw_log_clock_read (&clock, line, 15, iso_us ("2026-12-06T12:00:00Z"),
                                       &got));
  }
  fw_log_clock_clear (&clock);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/log-time/formats", test_formats);
  g_test_add_func ("/log-time/syslog-year", test_syslog_year);
  g_test_add_func ("/log-time/daylight-saving", test_daylight_saving);
  g_test_add_func ("/log-time/not-times", test_not_times);

  return g_test_run ();
}
