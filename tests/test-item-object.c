/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-item-object.c: what a row shows of an item */

#include "fw-test-util.h"

#include <stdlib.h>
#include <time.h>

#include "fw-item-object.h"

/* A log line shows the time it was written; the time it arrived is kept beside it. */
static void
test_time_shown (void)
{
  g_autoptr(GRefString) feed = fw_ref_string_intern ("/var/log/app.log");
  /* 2026-12-06T06:44:01.250Z, arriving 2026-12-06T07:00:00Z */
  gint64 written = G_GINT64_CONSTANT (1796539441250000);
  gint64 arrived = G_GINT64_CONSTANT (1796540400000000);
  g_autoptr(FwItem) line = fw_item_new (FW_ITEM_LINE, feed, arrived, "x", -1);
  g_autoptr(FwItem) plain = fw_item_new (FW_ITEM_LINE, feed, arrived, "y", -1);
  g_autoptr(FwItemObject) line_object = NULL;
  g_autoptr(FwItemObject) plain_object = NULL;

  line->source_time_us = written;
  line_object = fw_item_object_new (line);
  plain_object = fw_item_object_new (plain);

  g_assert_cmpstr (fw_item_object_get_time (line_object), ==, "06:44:01.250");
  g_assert_cmpstr (fw_item_object_get_time (plain_object), ==, "07:00:00.000");
}

/* The time format writes every time the list shows: local or UTC, with or without the date;
 * a row writes its time again once the format changed. */
static void
test_time_format (void)
{
  g_autoptr(GRefString) feed = fw_ref_string_intern ("test:format");
  /* 2026-12-31T23:59:59.999Z, in a zone 5 h 30 min ahead: 2027-01-01 05:29:59.999 */
  g_autoptr(FwItem) item = fw_item_new (FW_ITEM_LINE, feed, G_GINT64_CONSTANT (1798761599999000),
                                        "z", -1);
  g_autoptr(FwItemObject) object = fw_item_object_new (item);
  FwTimeFormat *format = fw_time_format_get_default ();
  char text[FW_TIME_TEXT_SIZE];

  g_setenv ("TZ", "FWT-05:30", TRUE);
  tzset ();
  g_assert_cmpstr (fw_item_object_get_time (object), ==, "05:29:59.999");
  fw_time_format_set_zone (format, FW_TIME_ZONE_UTC);
  g_assert_cmpstr (fw_item_object_get_time (object), ==, "23:59:59.999Z");
  fw_time_format_set_show_date (format, TRUE);
  g_assert_cmpstr (fw_item_object_get_time (object), ==, "2026-12-31 23:59:59.999Z");
  fw_time_format_set_zone (format, FW_TIME_ZONE_LOCAL);
  g_assert_cmpstr (fw_item_object_get_time (object), ==, "2027-01-01 05:29:59.999");
  /* before the epoch, milliseconds still count up within their second */
  fw_time_format_set_zone (format, FW_TIME_ZONE_UTC);
  fw_time_format_write (format, -1000, text);
  g_assert_cmpstr (text, ==, "1969-12-31 23:59:59.999Z");

  fw_time_format_set_zone (format, FW_TIME_ZONE_LOCAL);
  fw_time_format_set_show_date (format, FALSE);
  g_setenv ("TZ", "UTC", TRUE);
  tzset ();
}

int
main (int    argc,
      char **argv)
{
  /* times are shown in local time: make it UTC here */
  g_setenv ("TZ", "UTC", TRUE);
  tzset ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/item-object/time-shown", test_time_shown);
  g_test_add_func ("/item-object/time-format", test_time_format);

  return g_test_run ();
}
