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
  g_autoptr(GRefString) feed = g_ref_string_new_intern ("/var/log/app.log");
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

int
main (int    argc,
      char **argv)
{
  /* times are shown in local time: make it UTC here */
  g_setenv ("TZ", "UTC", TRUE);
  tzset ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/item-object/time-shown", test_time_shown);

  return g_test_run ();
}
