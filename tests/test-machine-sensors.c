/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-machine-sensors.c: the machine's sensors on a fake /sys and /proc built here: the
 * readings, the rates between two samples, a machine without hwmon, the stream itself */

#include "fw-test-util.h"

#include <glib/gstdio.h>
#include <string.h>

#include "fw-machine-sensors.h"

static void
put (const char *root,
     const char *relative,
     const char *contents)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static void
put_proc (const char *root,
          guint       step)
{
  /* step 1: cpu0 busy 50 of 100 jiffies, cpu1 busy 25 of 100; eth0 +2000/+500 bytes;
   * sda +8 sectors read, +16 written */
  put (root, "proc/stat", step == 0 ?
       "cpu  1000 0 1000 2000 0 0 0 0 0 0\n"
       "cpu0 500 0 500 1000 0 0 0 0 0 0\n"
       "cpu1 500 0 500 1000 0 0 0 0 0 0\n"
       "intr 12345\nctxt 999\n" :
       "cpu  1050 0 1025 2125 0 0 0 0 0 0\n"
       "cpu0 530 0 520 1050 0 0 0 0 0 0\n"
       "cpu1 520 0 505 1075 0 0 0 0 0 0\n"
       "intr 12400\nctxt 1999\n");
  put (root, "proc/meminfo",
       "MemTotal:       16000000 kB\n"
       "MemFree:         2000000 kB\n"
       "MemAvailable:   12000000 kB\n"
       "Buffers:          100000 kB\n"
       "SwapTotal:       4000000 kB\n"
       "SwapFree:        3000000 kB\n");
  put (root, "proc/net/dev", step == 0 ?
       "Inter-|   Receive                                                |  Transmit\n"
       " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
       "    lo:  5000      50    0    0    0     0          0         0     5000      50    0    0    0     0       0          0\n"
       "  eth0: 10000     100    0    0    0     0          0         0     4000      40    0    0    0     0       0          0\n" :
       "Inter-|   Receive                                                |  Transmit\n"
       " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
       "    lo:  9000      90    0    0    0     0          0         0     9000      90    0    0    0     0       0          0\n"
       "  eth0: 12000     120    0    0    0     0          0         0     4500      45    0    0    0     0       0          0\n");
  put (root, "proc/diskstats", step == 0 ?
       "   8       0 sda 100 0 1000 50 200 0 2000 80 0 100 130 0 0 0 0\n"
       "   8       1 sda1 100 0 1000 50 200 0 2000 80 0 100 130 0 0 0 0\n"
       "   7       0 loop0 1 0 8 0 0 0 0 0 0 0 0 0 0 0 0\n" :
       "   8       0 sda 101 0 1008 50 202 0 2016 80 0 100 130 0 0 0 0\n"
       "   8       1 sda1 101 0 1008 50 202 0 2016 80 0 100 130 0 0 0 0\n"
       "   7       0 loop0 1 0 8 0 0 0 0 0 0 0 0 0 0 0 0\n");
}

static char *
make_tree (gboolean with_hwmon)
{
  g_autoptr(GError) error = NULL;
  char *root = g_dir_make_tmp ("fw-sys-XXXXXX", &error);

  g_assert_no_error (error);
  if (with_hwmon)
    {
      put (root, "sys/class/hwmon/hwmon0/name", "coretemp\n");
      put (root, "sys/class/hwmon/hwmon0/temp1_input", "45000\n");
      put (root, "sys/class/hwmon/hwmon0/temp1_label", "Package id 0\n");
      put (root, "sys/class/hwmon/hwmon0/temp2_input", "40500\n");
      put (root, "sys/class/hwmon/hwmon0/temp2_max", "100000\n");
      put (root, "sys/class/hwmon/hwmon1/name", "nct6775\n");
      put (root, "sys/class/hwmon/hwmon1/fan1_input", "1200\n");
      put (root, "sys/class/hwmon/hwmon1/fan1_label", "CPU fan\n");
      put (root, "sys/class/hwmon/hwmon1/in0_input", "1104\n");
      put (root, "sys/class/hwmon/hwmon1/power1_average", "15500000\n");
      put (root, "sys/class/hwmon/hwmon1/curr1_input", "2500\n");
      put (root, "sys/class/thermal/thermal_zone0/type", "x86_pkg_temp\n");
      put (root, "sys/class/thermal/thermal_zone0/temp", "47000\n");
    }
  put (root, "sys/block/sda/size", "1000\n");
  put_proc (root, 0);

  return root;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = g_file_enumerate_children (file, "standard::name,standard::type",
                                                                   G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                                                   NULL, NULL);
  GFileInfo *info;

  while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        remove_tree (child);
      else
        g_unlink (child);
      g_object_unref (info);
    }
  g_rmdir (path);
}

static FwItem *
find_reading (GPtrArray  *items,
              const char *name)
{
  for (guint i = 0; i < items->len; i++)
    {
      FwItem *item = g_ptr_array_index (items, i);

      if (item->kind == FW_ITEM_READING && g_strcmp0 (item->name, name) == 0)
        return item;
    }
  return NULL;
}

static void
assert_reading (GPtrArray  *items,
                const char *name,
                double      value,
                const char *unit)
{
  FwItem *item = find_reading (items, name);

  if (item == NULL)
    g_error ("no reading “%s”", name);
  g_assert_true (item->flags & FW_ITEM_FLAG_HAS_VALUE);
  g_assert_cmpfloat_with_epsilon (item->value, value, 1e-6 * MAX (1.0, value));
  g_assert_cmpstr (item->unit, ==, unit);
}

static guint
count_kind (GPtrArray  *items,
            FwItemKind  kind)
{
  guint n = 0;

  for (guint i = 0; i < items->len; i++)
    n += ((FwItem *) g_ptr_array_index (items, i))->kind == kind;
  return n;
}

static void
test_readings_and_rates (void)
{
  g_autofree char *root = make_tree (TRUE);
  g_autoptr(FwSensorSampler) sampler = fw_sensor_sampler_new (root, FW_SENSORS_ALL);
  g_autoptr(GRefString) feed = fw_ref_string_intern ("sensors:");
  g_autoptr(GPtrArray) first = fw_sensor_sampler_sample (sampler, feed, 1, 1000000);
  g_autoptr(GPtrArray) second = NULL;

  /* absolute readings at once */
  assert_reading (first, "coretemp Package id 0", 45.0, "°C");
  assert_reading (first, "coretemp temp2", 40.5, "°C");
  assert_reading (first, "nct6775 CPU fan", 1200, "RPM");
  assert_reading (first, "nct6775 in0", 1.104, "V");
  assert_reading (first, "nct6775 power1", 15.5, "W");
  assert_reading (first, "nct6775 curr1", 2.5, "A");
  assert_reading (first, "thermal x86_pkg_temp", 47.0, "°C");
  assert_reading (first, "mem total", 16000000.0 * 1024, "B");
  assert_reading (first, "mem available", 12000000.0 * 1024, "B");
  assert_reading (first, "mem used", 4000000.0 * 1024, "B");
  assert_reading (first, "mem usage", 25.0, "%");
  assert_reading (first, "swap used", 1000000.0 * 1024, "B");
  assert_reading (first, "swap usage", 25.0, "%");
  g_assert_null (find_reading (first, "coretemp temp2_max"));
  /* rates need a second sample */
  g_assert_null (find_reading (first, "cpu usage"));
  g_assert_null (find_reading (first, "eth0 rx"));
  g_assert_cmpuint (count_kind (first, FW_ITEM_STATUS), ==, 0);

  put_proc (root, 1);
  second = fw_sensor_sampler_sample (sampler, feed, 2, 3000000); /* 2 s later */
  assert_reading (second, "cpu usage", 100.0 * 75 / 200, "%");
  assert_reading (second, "cpu0 usage", 50.0, "%");
  assert_reading (second, "cpu1 usage", 25.0, "%");
  assert_reading (second, "eth0 rx", 1000.0, "B/s");
  assert_reading (second, "eth0 tx", 250.0, "B/s");
  assert_reading (second, "sda read", 8 * 512 / 2.0, "B/s");
  assert_reading (second, "sda write", 16 * 512 / 2.0, "B/s");
  g_assert_null (find_reading (second, "lo rx"));
  g_assert_null (find_reading (second, "sda1 read"));   /* partitions would count twice */
  g_assert_null (find_reading (second, "loop0 read"));
  g_assert_nonnull (find_reading (second, "coretemp Package id 0"));

  remove_tree (root);
}

static void
test_missing_hwmon (void)
{
  g_autofree char *root = make_tree (FALSE);
  g_autoptr(FwSensorSampler) sampler = fw_sensor_sampler_new (root, FW_SENSORS_ALL);
  g_autoptr(GRefString) feed = fw_ref_string_intern ("sensors:");
  g_autoptr(GPtrArray) first = fw_sensor_sampler_sample (sampler, feed, 1, 1000000);
  g_autoptr(GPtrArray) second = NULL;
  FwItem *status = NULL;

  g_assert_cmpuint (count_kind (first, FW_ITEM_STATUS), ==, 1);
  for (guint i = 0; i < first->len; i++)
    if (((FwItem *) g_ptr_array_index (first, i))->kind == FW_ITEM_STATUS)
      status = g_ptr_array_index (first, i);
  g_assert_nonnull (strstr (status->text, "hwmon"));
  /* a warning note from the one status constructor, stamped with its sample */
  g_assert_cmpint (status->level, ==, FW_LEVEL_WARNING);
  g_assert_cmpint (fw_item_get_feed_state (status), ==, FW_FEED_STATE_IDLE);
  g_assert_cmpint (status->time_us, ==, 1);
  assert_reading (first, "mem usage", 25.0, "%");

  /* said once, not every interval */
  put_proc (root, 1);
  second = fw_sensor_sampler_sample (sampler, feed, 2, 2000000);
  g_assert_cmpuint (count_kind (second, FW_ITEM_STATUS), ==, 0);
  g_assert_nonnull (find_reading (second, "cpu usage"));

  remove_tree (root);
}

static void
test_empty_root (void)
{
  g_autofree char *root = g_dir_make_tmp ("fw-empty-XXXXXX", NULL);
  g_autoptr(FwSensorSampler) sampler = fw_sensor_sampler_new (root, FW_SENSORS_ALL);
  g_autoptr(GRefString) feed = fw_ref_string_intern ("sensors:");
  g_autoptr(GPtrArray) items = fw_sensor_sampler_sample (sampler, feed, 1, 1);

  /* nothing at all: one clear status per family, no crash */
  g_assert_cmpuint (items->len, ==, 5);
  g_assert_cmpuint (count_kind (items, FW_ITEM_STATUS), ==, 5);
  g_rmdir (root);
}

static void
test_stream (void)
{
  g_autofree char *root = make_tree (TRUE);
  g_autofree char *feed = g_strdup_printf ("net:?interval=20&root=%s", root);
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = fw_feed_open (feed, FW_FEED_OPEN_NONE, &error);
  g_autoptr(GPtrArray) batch = NULL;

  g_assert_no_error (error);
  g_assert_false (fw_stream_is_started (stream));
  /* the first sample only primes the rates; the stream answers with the second (the fake
   * counters stand still: 0 B/s) */
  batch = fw_test_next_batch (stream, 100, NULL, &error);
  g_assert_no_error (error);
  assert_reading (batch, "eth0 rx", 0, "B/s");
  assert_reading (batch, "eth0 tx", 0, "B/s");
  g_assert_cmpuint (batch->len, ==, 2);
  g_assert_cmpstr (((FwItem *) g_ptr_array_index (batch, 0))->feed, ==, feed);
  g_assert_true (fw_test_close (stream, NULL));
  remove_tree (root);
}

static void
test_stream_once (void)
{
  g_autofree char *root = make_tree (TRUE);
  g_autofree char *feed = g_strdup_printf ("sensors:?interval=10&root=%s", root);
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = fw_feed_open (feed, FW_FEED_OPEN_ONCE, &error);
  g_autoptr(GPtrArray) items = NULL;

  g_assert_no_error (error);
  items = fw_test_collect (stream, &error);
  g_assert_no_error (error);
  /* one whole sample: absolute readings and rates, each once */
  g_assert_nonnull (find_reading (items, "eth0 rx"));
  g_assert_nonnull (find_reading (items, "sda write"));
  g_assert_nonnull (find_reading (items, "coretemp Package id 0"));
  {
    guint n = 0;
    for (guint i = 0; i < items->len; i++)
      n += g_strcmp0 (((FwItem *) g_ptr_array_index (items, i))->name, "mem total") == 0;
    g_assert_cmpuint (n, ==, 1);
  }
  remove_tree (root);
}

static void
shorten_default_interval (gpointer user_data)
{
  fw_machine_sensors_set_default_interval (20);
}

/* A feed without an interval of its own follows the default one, and a running feed takes a
 * shorter default within a second, not after the long wait it had begun. */
static void
test_default_interval (void)
{
  g_autofree char *root = make_tree (FALSE);
  g_autofree char *feed = g_strdup_printf ("mem:?root=%s", root);
  g_autofree char *own_feed = g_strdup_printf ("mem:?interval=20&root=%s", root);
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = fw_feed_open (feed, FW_FEED_OPEN_NONE, &error);
  g_autoptr(FwStream) own = fw_feed_open (own_feed, FW_FEED_OPEN_NONE, &error);
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  gint64 start;

  g_assert_no_error (error);
  fw_machine_sensors_set_default_interval (60000);
  g_assert_cmpuint (fw_machine_sensors_get_interval (FW_MACHINE_SENSORS (stream)), ==, 60000);
  g_assert_cmpuint (fw_machine_sensors_get_interval (FW_MACHINE_SENSORS (own)), ==, 20);

  first = fw_test_next_batch (stream, 100, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (find_reading (first, "mem used"));

  /* The next sample is a minute away, until the default changes */
  g_timeout_add_once (100, shorten_default_interval, NULL);
  start = g_get_monotonic_time ();
  second = fw_test_next_batch (stream, 100, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (find_reading (second, "mem used"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  g_assert_cmpuint (fw_machine_sensors_get_interval (FW_MACHINE_SENSORS (stream)), ==, 20);

  fw_machine_sensors_set_default_interval (FW_MACHINE_SENSORS_DEFAULT_INTERVAL_MS);
  g_assert_true (fw_test_close (stream, NULL));
  g_assert_true (fw_test_close (own, NULL));
  remove_tree (root);
}

static void
test_real_machine (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = fw_feed_open ("sensors:?interval=50", FW_FEED_OPEN_ONCE, &error);
  g_autoptr(GPtrArray) items = NULL;

  /* whatever this machine has, reading it must work */
  g_assert_no_error (error);
  items = fw_test_collect (stream, &error);
  g_assert_no_error (error);
  g_assert_nonnull (find_reading (items, "mem total"));
  g_assert_nonnull (find_reading (items, "cpu usage"));
}

static void
test_bad_specs (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (fw_feed_open ("cpu:?interval=0", FW_FEED_OPEN_NONE, &error));
  g_assert_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (fw_feed_open ("mem:lots", FW_FEED_OPEN_NONE, &error));
  g_assert_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/machine-sensors/readings-and-rates", test_readings_and_rates);
  g_test_add_func ("/machine-sensors/missing-hwmon", test_missing_hwmon);
  g_test_add_func ("/machine-sensors/empty-root", test_empty_root);
  g_test_add_func ("/machine-sensors/stream", test_stream);
  g_test_add_func ("/machine-sensors/default-interval", test_default_interval);
  g_test_add_func ("/machine-sensors/stream-once", test_stream_once);
  g_test_add_func ("/machine-sensors/real-machine", test_real_machine);
  g_test_add_func ("/machine-sensors/bad-specs", test_bad_specs);

  return g_test_run ();
}
