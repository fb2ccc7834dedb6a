/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-machine-sensors.c: `hwmon:`, `cpu:`, `mem:`, `net:`, `disk:`, `sensors:`.
 *
 * A sampler reads the files of each family under a root ("/" normally, a fake tree in
 * tests) and turns them into readings; rates (CPU usage, network and disk throughput) are
 * deltas against the previous sample, so they start with the second one. The stream runs
 * one sample per interval in a worker thread (GTask), since /sys and /proc reads can block
 * (a hwmon driver may talk to a slow bus). A family with nothing to read says so once, in a
 * status item, and the others go on.
 *
 * Options: interval (ms; without it the default interval, 1000 unless the window's Preferences
 * say otherwise, followed while the stream runs), root (for tests).
 */

#include "config.h"

#include "fw-machine-sensors.h"

#include <glib/gi18n-lib.h>

#include "fw-feed-state.h"
#include "fw-units.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SECTOR_BYTES 512.0

typedef struct
{
  guint64 a;
  guint64 b;
} Counters;

struct _FwSensorSampler
{
  char             *root;
  FwSensorFamilies  families;
  FwSensorFamilies  reported_missing;
  GHashTable       *previous;      /* "cpu:cpu0", "net:eth0", "disk:sda" → Counters */
  GHashTable       *next;
  gint64            previous_us;
  GPtrArray        *items;
  GRefString       *feed;
  gint64            time_us;
};

/**
 * fw_sensor_sampler_new: (skip)
 * @root: the sysfs/procfs root to read (`/` on a real machine)
 * @families: which sensors
 *
 * Reads one sample at a time; for C callers only.
 *
 * Returns: (transfer full): the sampler
 */
FwSensorSampler *
fw_sensor_sampler_new (const char       *root,
                       FwSensorFamilies  families)
{
  FwSensorSampler *self = g_new0 (FwSensorSampler, 1);

  self->root = g_strdup (root != NULL && root[0] != '\0' ? root : "/");
  self->families = families;
  self->previous = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->next = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  return self;
}

/**
 * fw_sensor_sampler_free:
 * @self: (nullable): a sampler, or %NULL
 *
 * Frees a sampler.
 */
void
fw_sensor_sampler_free (FwSensorSampler *self)
{
  if (self == NULL)
    return;

  g_hash_table_unref (self->previous);
  g_hash_table_unref (self->next);
  g_free (self->root);
  g_free (self);
}

static char *
read_file (FwSensorSampler *self,
           const char      *first,
           ...) G_GNUC_NULL_TERMINATED;

static char *
read_file (FwSensorSampler *self,
           const char      *first,
           ...)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  g_autofree char *path = NULL;
  char *contents = NULL;
  const char *part;
  va_list args;

  g_ptr_array_add (parts, self->root);
  va_start (args, first);
  for (part = first; part != NULL; part = va_arg (args, const char *))
    g_ptr_array_add (parts, (gpointer) part);
  va_end (args);
  g_ptr_array_add (parts, NULL);

  path = g_build_filenamev ((char **) parts->pdata);
  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;

  return g_strstrip (contents);
}

static void
add_reading (FwSensorSampler *self,
             const char      *name,
             double           value,
             const char      *unit)
{
  g_ptr_array_add (self->items, fw_item_new_reading (self->feed, self->time_us, name, value, unit));
}

static void
report_missing (FwSensorSampler  *self,
                FwSensorFamilies  family,
                const char       *text)
{
  FwItem *item;

  if (self->reported_missing & family)
    return;

  self->reported_missing |= family;
  item = fw_feed_status_new (self->feed, FW_FEED_STATE_IDLE, FW_LEVEL_WARNING, text);
  /* stamped with its sample, as the readings beside it */
  item->time_us = self->time_us;
  g_ptr_array_add (self->items, item);
}

/* Remembers counters for the next sample; returns the previous ones, if any. */
static const Counters *
remember (FwSensorSampler *self,
          const char      *key,
          guint64          a,
          guint64          b)
{
  Counters *c = g_new (Counters, 1);

  c->a = a;
  c->b = b;
  g_hash_table_replace (self->next, g_strdup (key), c);

  return g_hash_table_lookup (self->previous, key);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static GPtrArray *
list_dir_sorted (FwSensorSampler *self,
                 const char      *relative,
                 const char      *prefix)
{
  g_autofree char *path = g_build_filename (self->root, relative, NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      if (prefix == NULL || g_str_has_prefix (name, prefix))
        g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_sort (names, compare_names);

  return names;
}

/* ---------------------------------------------------------------------------------------- */
/* hwmon and thermal */

static const struct
{
  const char *prefix;
  const char *unit;
  double      scale;
} hwmon_kinds[] = {
  { "temp", FW_UNIT_CELSIUS, 1e-3 },
  { "fan", "RPM", 1 },
  { "in", "V", 1e-3 },
  { "curr", "A", 1e-3 },
  { "power", "W", 1e-6 },
};

static void
sample_hwmon_chip (FwSensorSampler *self,
                   const char      *chip_dir,
                   guint           *found)
{
  g_autofree char *rel = g_build_filename ("sys/class/hwmon", chip_dir, NULL);
  g_autoptr(GPtrArray) files = list_dir_sorted (self, rel, NULL);
  g_autofree char *chip = read_file (self, rel, "name", NULL);

  for (guint i = 0; i < files->len; i++)
    {
      const char *file = g_ptr_array_index (files, i);
      const char *us = strchr (file, '_');
      g_autofree char *sensor = NULL;
      g_autofree char *text = NULL;
      g_autofree char *label = NULL;
      g_autofree char *label_file = NULL;
      g_autofree char *name = NULL;
      guint k;

      if (us == NULL)
        continue;
      /* power sensors may offer only an average */
      if (!g_str_equal (us, "_input") &&
          !(g_str_equal (us, "_average") && g_str_has_prefix (file, "power")))
        continue;

      sensor = g_strndup (file, us - file);
      for (k = 0; k < G_N_ELEMENTS (hwmon_kinds); k++)
        {
          const char *p = sensor + strlen (hwmon_kinds[k].prefix);

          if (g_str_has_prefix (sensor, hwmon_kinds[k].prefix) && g_ascii_isdigit (*p))
            break;
        }
      if (k == G_N_ELEMENTS (hwmon_kinds))
        continue;

      if (g_str_equal (us, "_average"))
        {
          g_autofree char *input = g_strconcat (sensor, "_input", NULL);
          g_autofree char *has_input = read_file (self, rel, input, NULL);
          if (has_input != NULL)
            continue;
        }

      text = read_file (self, rel, file, NULL);
      if (text == NULL || text[0] == '\0')
        continue;

      label_file = g_strconcat (sensor, "_label", NULL);
      label = read_file (self, rel, label_file, NULL);
      name = g_strdup_printf ("%s %s", chip != NULL ? chip : chip_dir,
                              label != NULL && label[0] != '\0' ? label : sensor);
      add_reading (self, name, g_ascii_strtod (text, NULL) * hwmon_kinds[k].scale,
                   hwmon_kinds[k].unit);
      (*found)++;
    }
}

static void
sample_hwmon (FwSensorSampler *self)
{
  g_autoptr(GPtrArray) chips = list_dir_sorted (self, "sys/class/hwmon", "hwmon");
  g_autoptr(GPtrArray) zones = list_dir_sorted (self, "sys/class/thermal", "thermal_zone");
  guint found = 0;

  for (guint i = 0; i < chips->len; i++)
    sample_hwmon_chip (self, g_ptr_array_index (chips, i), &found);

  for (guint i = 0; i < zones->len; i++)
    {
      const char *zone = g_ptr_array_index (zones, i);
      g_autofree char *rel = g_build_filename ("sys/class/thermal", zone, NULL);
      g_autofree char *type = read_file (self, rel, "type", NULL);
      g_autofree char *temp = read_file (self, rel, "temp", NULL);
      g_autofree char *name = NULL;

      if (temp == NULL || temp[0] == '\0')
        continue;
      name = g_strdup_printf ("thermal %s", type != NULL ? type : zone);
      add_reading (self, name, g_ascii_strtod (temp, NULL) / 1000.0, FW_UNIT_CELSIUS);
      found++;
    }

  if (found == 0)
    report_missing (self, FW_SENSORS_HWMON,
                    _("no temperature, fan, voltage or power sensors on this machine "
                      "(nothing in /sys/class/hwmon or /sys/class/thermal)"));
}

/* ---------------------------------------------------------------------------------------- */
/* /proc */

static void
sample_cpu (FwSensorSampler *self,
            double           seconds)
{
  g_autofree char *stat = read_file (self, "proc/stat", NULL);
  g_auto(GStrv) lines = NULL;

  if (stat == NULL)
    {
      report_missing (self, FW_SENSORS_CPU, _("no CPU usage: /proc/stat cannot be read"));
      return;
    }

  lines = g_strsplit (stat, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char cpu[32];
      guint64 v[8] = { 0 };
      guint64 total = 0, idle;
      g_autofree char *key = NULL;
      const Counters *before;

      if (!g_str_has_prefix (lines[i], "cpu"))
        continue;
      if (sscanf (lines[i], "%31s %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
                  " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
                  " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT,
                  cpu, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) < 5)
        continue;

      for (guint k = 0; k < 8; k++)
        total += v[k];
      idle = v[3] + v[4];
      key = g_strconcat ("cpu:", cpu, NULL);
      before = remember (self, key, total, idle);

      if (before != NULL && total > before->a && idle >= before->b)
        {
          double dt = total - before->a;
          double di = idle - before->b;
          g_autofree char *name = g_strdup_printf ("%s usage", cpu);

          add_reading (self, name, CLAMP (100.0 * (dt - di) / dt, 0.0, 100.0), FW_UNIT_PERCENT);
        }
    }
}

static gboolean
meminfo_value (const char *meminfo,
               const char *key,
               guint64    *bytes)
{
  g_autofree char *needle = g_strconcat ("\n", key, ":", NULL);
  const char *p;

  if (g_str_has_prefix (meminfo, needle + 1))
    p = meminfo + strlen (needle) - 1;
  else if ((p = strstr (meminfo, needle)) != NULL)
    p += strlen (needle);
  else
    return FALSE;

  *bytes = g_ascii_strtoull (p, NULL, 10) * 1024;
  return TRUE;
}

static void
sample_mem (FwSensorSampler *self)
{
  g_autofree char *meminfo = read_file (self, "proc/meminfo", NULL);
  guint64 total, available, free_b = 0, buffers = 0, cached = 0, swap_total, swap_free;

  if (meminfo == NULL || !meminfo_value (meminfo, "MemTotal", &total) || total == 0)
    {
      report_missing (self, FW_SENSORS_MEM, _("no memory figures: /proc/meminfo cannot be read"));
      return;
    }

  if (!meminfo_value (meminfo, "MemAvailable", &available))
    {
      /* kernels before 3.14 */
      meminfo_value (meminfo, "MemFree", &free_b);
      meminfo_value (meminfo, "Buffers", &buffers);
      meminfo_value (meminfo, "Cached", &cached);
      available = free_b + buffers + cached;
    }
  available = MIN (available, total);

  add_reading (self, "mem used", total - available, FW_UNIT_BYTES);
  add_reading (self, "mem available", available, FW_UNIT_BYTES);
  add_reading (self, "mem total", total, FW_UNIT_BYTES);
  add_reading (self, "mem usage", 100.0 * (total - available) / total, FW_UNIT_PERCENT);

  if (meminfo_value (meminfo, "SwapTotal", &swap_total) && swap_total > 0 &&
      meminfo_value (meminfo, "SwapFree", &swap_free))
    {
      swap_free = MIN (swap_free, swap_total);
      add_reading (self, "swap used", swap_total - swap_free, FW_UNIT_BYTES);
      add_reading (self, "swap total", swap_total, FW_UNIT_BYTES);
      add_reading (self, "swap usage", 100.0 * (swap_total - swap_free) / swap_total,
                   FW_UNIT_PERCENT);
    }
}

static void
add_rates (FwSensorSampler *self,
           const char      *family,
           const char      *device,
           guint64          a,
           guint64          b,
           const char      *a_name,
           const char      *b_name,
           double           scale,
           double           seconds)
{
  g_autofree char *key = g_strconcat (family, ":", device, NULL);
  const Counters *before = remember (self, key, a, b);
  g_autofree char *name_a = NULL;
  g_autofree char *name_b = NULL;

  /* A counter that went back (a device re-plugged, a wrap) gives no rate this time. */
  if (before == NULL || seconds <= 0 || a < before->a || b < before->b)
    return;

  name_a = g_strdup_printf ("%s %s", device, a_name);
  name_b = g_strdup_printf ("%s %s", device, b_name);
  add_reading (self, name_a, (a - before->a) * scale / seconds, FW_UNIT_BYTES_PER_SECOND);
  add_reading (self, name_b, (b - before->b) * scale / seconds, FW_UNIT_BYTES_PER_SECOND);
}

static void
sample_net (FwSensorSampler *self,
            double           seconds)
{
  g_autofree char *dev = read_file (self, "proc/net/dev", NULL);
  g_auto(GStrv) lines = NULL;
  guint found = 0;

  if (dev != NULL)
    lines = g_strsplit (dev, "\n", -1);

  for (guint i = 0; lines != NULL && lines[i] != NULL; i++)
    {
      char *colon = strchr (lines[i], ':');
      g_autofree char *iface = NULL;
      guint64 v[9];
      char *p;

      if (colon == NULL)
        continue;
      iface = g_strstrip (g_strndup (lines[i], colon - lines[i]));
      if (g_str_equal (iface, "lo"))
        continue;

      p = colon + 1;
      for (guint k = 0; k < 9; k++)
        v[k] = g_ascii_strtoull (p, &p, 10);
      found++;
      add_rates (self, "net", iface, v[0], v[8], "rx", "tx", 1.0, seconds);
    }

  if (found == 0)
    report_missing (self, FW_SENSORS_NET,
                    _("no network rates: no interface besides lo in /proc/net/dev"));
}

static void
sample_disk (FwSensorSampler *self,
             double           seconds)
{
  g_autofree char *stats = read_file (self, "proc/diskstats", NULL);
  g_autofree char *block_dir = g_build_filename (self->root, "sys/block", NULL);
  gboolean know_disks = g_file_test (block_dir, G_FILE_TEST_IS_DIR);
  g_auto(GStrv) lines = NULL;
  guint found = 0;

  if (stats != NULL)
    lines = g_strsplit (stats, "\n", -1);

  for (guint i = 0; lines != NULL && lines[i] != NULL; i++)
    {
      guint major, minor;
      char name[64];
      guint64 v[7];

      if (sscanf (lines[i], "%u %u %63s %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %"
                  G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %"
                  G_GUINT64_FORMAT " %" G_GUINT64_FORMAT,
                  &major, &minor, name, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6]) != 10)
        continue;
      if (g_str_has_prefix (name, "loop") || g_str_has_prefix (name, "ram") ||
          g_str_has_prefix (name, "zram"))
        continue;
      /* Whole disks only: partitions would count the same bytes twice. */
      if (know_disks)
        {
          g_autofree char *path = g_build_filename (block_dir, name, NULL);
          if (!g_file_test (path, G_FILE_TEST_EXISTS))
            continue;
        }

      found++;
      add_rates (self, "disk", name, v[2], v[6], "read", "write", SECTOR_BYTES, seconds);
    }

  if (found == 0)
    report_missing (self, FW_SENSORS_DISK, _("no disk rates: no disk in /proc/diskstats"));
}

/**
 * fw_sensor_sampler_sample:
 * @feed: the feed the items carry, as a #GRefString
 * @time_us: the items' time: wall clock, microseconds since the Unix epoch
 * @monotonic_us: when the sample is taken, for the rates
 *
 * Reads every sensor once.
 *
 * Returns: (transfer full) (element-type FwItem): readings, and status items for families with
 *   nothing to read (once each)
 */
GPtrArray *
fw_sensor_sampler_sample (FwSensorSampler *self,
                          GRefString      *feed,
                          gint64           time_us,
                          gint64           monotonic_us)
{
  double seconds = self->previous_us != 0 ? (monotonic_us - self->previous_us) / 1e6 : 0;
  GHashTable *swap;

  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  self->feed = feed;
  self->time_us = time_us;

  if (self->families & FW_SENSORS_CPU)
    sample_cpu (self, seconds);
  if (self->families & FW_SENSORS_MEM)
    sample_mem (self);
  if (self->families & FW_SENSORS_HWMON)
    sample_hwmon (self);
  if (self->families & FW_SENSORS_NET)
    sample_net (self, seconds);
  if (self->families & FW_SENSORS_DISK)
    sample_disk (self, seconds);

  swap = self->previous;
  self->previous = self->next;
  self->next = swap;
  g_hash_table_remove_all (self->next);
  self->previous_us = monotonic_us;
  self->feed = NULL;

  return g_steal_pointer (&self->items);
}

/**
 * fw_machine_sensors_find:
 * @root: (nullable): where /sys and /proc are found; %NULL for "/"
 * @families: which sensors to look for
 *
 * Whether the machine has sensors of @families: whether one sample reads any. (Rates need two
 * samples: this answers for the families read as they are, hwmon and mem.)
 *
 * Returns: %TRUE when one sample reads something
 */
gboolean
fw_machine_sensors_find (const char       *root,
                         FwSensorFamilies  families)
{
  g_autoptr(FwSensorSampler) sampler = fw_sensor_sampler_new (root, families);
  g_autoptr(GRefString) feed = fw_ref_string_intern ("sensors:");
  g_autoptr(GPtrArray) items = fw_sensor_sampler_sample (sampler, feed, g_get_real_time (),
                                                         g_get_monotonic_time ());

  for (guint i = 0; i < items->len; i++)
    {
      if (((FwItem *) g_ptr_array_index (items, i))->kind == FW_ITEM_READING)
        return TRUE;
    }

  return FALSE;
}

/* ---------------------------------------------------------------------------------------- */
/* The stream */

struct _FwMachineSensors
{
  FwStream          parent_instance;

  GRefString       *feed;
  FwSensorSampler  *sampler;     /* the worker's while a sample is in flight */
  guint             interval_ms; /* 0: the default interval, whatever it is at each sample */
  gint64            waiting_since_us;
  guint             samples;
  gboolean          once;
  gboolean          sampling;
  gboolean          released;
  GSource          *timer;
};

/**
 * FwMachineSensors:
 *
 * The machine's own sensors as a stream of readings: temperatures, fans, processor, memory, network
 * and disk, sampled at an interval.
 */
G_DEFINE_FINAL_TYPE (FwMachineSensors, fw_machine_sensors, FW_TYPE_STREAM)

static guint default_interval_ms = FW_MACHINE_SENSORS_DEFAULT_INTERVAL_MS;

/* How long a stream that follows the default interval waits at most before it looks at the
 * default again: a shorter one set meanwhile applies within this, not after the old one. */
#define DEFAULT_RECHECK_MS 1000

/**
 * fw_machine_sensors_set_default_interval:
 * @interval_ms: milliseconds between samples
 *
 * Sets the interval of the streams opened without one (their text has no `interval=`),
 * running ones included: they follow a change within a second. Any thread.
 */
void
fw_machine_sensors_set_default_interval (guint interval_ms)
{
  g_atomic_int_set (&default_interval_ms, MAX (interval_ms, 1));
}

/**
 * fw_machine_sensors_get_default_interval:
 *
 * The interval of the feeds whose text gives none (fw_machine_sensors_set_default_interval()).
 *
 * Returns: milliseconds between samples
 */
guint
fw_machine_sensors_get_default_interval (void)
{
  return g_atomic_int_get (&default_interval_ms);
}

/**
 * fw_machine_sensors_get_interval:
 *
 * The interval this stream samples at.
 *
 * Returns: the milliseconds between this stream's samples: its own, or the default now
 */
guint
fw_machine_sensors_get_interval (FwMachineSensors *self)
{
  g_return_val_if_fail (FW_IS_MACHINE_SENSORS (self), 0);

  return self->interval_ms != 0 ? self->interval_ms : fw_machine_sensors_get_default_interval ();
}

static gboolean
needs_rates (FwSensorFamilies families)
{
  return (families & (FW_SENSORS_CPU | FW_SENSORS_NET | FW_SENSORS_DISK)) != 0;
}

static void fw_machine_sensors_pull (FwStream     *stream,
                                     guint         max_items,
                                     GCancellable *cancellable);

static void
sample_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  FwMachineSensors *self = source_object;
  GPtrArray *items = fw_sensor_sampler_sample (self->sampler, self->feed, g_get_real_time (),
                                               g_get_monotonic_time ());

  g_task_return_pointer (task, items, (GDestroyNotify) g_ptr_array_unref);
}

static void
on_sampled (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  FwMachineSensors *self = FW_MACHINE_SENSORS (object);
  FwStream *stream = FW_STREAM (self);
  g_autoptr(GPtrArray) items = g_task_propagate_pointer (G_TASK (result), NULL);
  guint yielded = 0;
  gboolean last;

  self->sampling = FALSE;
  if (self->released)
    return;

  self->samples++;
  last = self->once && (self->samples >= 2 || !needs_rates (self->sampler->families));

  for (guint i = 0; i < items->len; i++)
    {
      FwItem *item = g_ptr_array_index (items, i);

      /* --once wants whole figures: the first sample only primes the rates. */
      if (self->once && !last && item->kind != FW_ITEM_STATUS)
        continue;
      fw_stream_yield (stream, fw_item_ref (item));
      yielded++;
    }

  if (last)
    fw_stream_pull_end (stream);
  else if (yielded > 0)
    fw_stream_pull_done (stream);
  else
    fw_machine_sensors_pull (stream, 0, NULL); /* nothing yet: the next sample answers */
}

static gboolean on_sample_due (gpointer user_data);

static void
schedule_sample (FwMachineSensors *self,
                 guint             delay_ms)
{
  self->timer = g_timeout_source_new (delay_ms);
  g_source_set_callback (self->timer, on_sample_due, self, NULL);
  g_source_set_static_name (self->timer, "[feedwatch] sensors");
  g_source_attach (self->timer, fw_stream_get_context (FW_STREAM (self)));
}

/* Milliseconds until the next sample is due, 0 if it is */
static guint
ms_until_due (FwMachineSensors *self)
{
  gint64 due_us = self->waiting_since_us +
                  (gint64) fw_machine_sensors_get_interval (self) * G_TIME_SPAN_MILLISECOND;
  gint64 now_us = g_get_monotonic_time ();

  if (self->samples == 0 || now_us >= due_us)
    return 0;

  return (guint) MIN ((due_us - now_us + 999) / 1000, G_MAXUINT);
}

static gboolean
on_sample_due (gpointer user_data)
{
  FwMachineSensors *self = user_data;
  g_autoptr(GTask) task = NULL;
  guint wait_ms;

  g_clear_pointer (&self->timer, g_source_unref);

  /* Following the default, which may have changed since this wait began */
  wait_ms = ms_until_due (self);
  if (wait_ms > 0)
    {
      schedule_sample (self, MIN (wait_ms, DEFAULT_RECHECK_MS));
      return G_SOURCE_REMOVE;
    }

  self->sampling = TRUE;
  task = g_task_new (self, NULL, on_sampled, NULL);
  g_task_set_source_tag (task, on_sample_due);
  g_task_set_name (task, "[feedwatch] sensors sample");
  g_task_run_in_thread (task, sample_in_thread);

  return G_SOURCE_REMOVE;
}

static void
fw_machine_sensors_pull (FwStream     *stream,
                         guint         max_items,
                         GCancellable *cancellable)
{
  FwMachineSensors *self = FW_MACHINE_SENSORS (stream);
  guint wait_ms;

  /* The first sample at once; then one per interval. */
  self->waiting_since_us = g_get_monotonic_time ();
  wait_ms = ms_until_due (self);
  schedule_sample (self, self->interval_ms == 0 ? MIN (wait_ms, DEFAULT_RECHECK_MS) : wait_ms);
}

static void
fw_machine_sensors_release (FwStream *stream)
{
  FwMachineSensors *self = FW_MACHINE_SENSORS (stream);

  self->released = TRUE;
  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
  /* The sampler is memory only, and a sample in flight may be using it: finalize frees it. */
}

static void
fw_machine_sensors_finalize (GObject *object)
{
  FwMachineSensors *self = FW_MACHINE_SENSORS (object);

  g_clear_pointer (&self->sampler, fw_sensor_sampler_free);
  g_ref_string_release (self->feed);

  G_OBJECT_CLASS (fw_machine_sensors_parent_class)->finalize (object);
}

static void
fw_machine_sensors_class_init (FwMachineSensorsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  FwStreamClass *stream_class = FW_STREAM_CLASS (klass);

  object_class->finalize = fw_machine_sensors_finalize;
  stream_class->pull = fw_machine_sensors_pull;
  stream_class->release = fw_machine_sensors_release;
}

static void
fw_machine_sensors_init (FwMachineSensors *self)
{
}

/**
 * fw_machine_sensors_new:
 * @feed: the feed name items carry
 * @root: (nullable): where /sys and /proc are found; %NULL for "/"
 * @families: which sensors to read
 * @interval_ms: milliseconds between samples; 0 for the default interval, followed as it changes
 * @once: end after one complete sample (rates need two, an interval apart)
 *
 * Samples the machine's sensors as a stream of readings.
 *
 * Returns: (transfer full): the stream; it reads nothing until the first `next`
 */
FwStream *
fw_machine_sensors_new (const char       *feed,
                        const char       *root,
                        FwSensorFamilies  families,
                        guint             interval_ms,
                        gboolean          once)
{
  FwMachineSensors *self;

  g_return_val_if_fail (feed != NULL, NULL);

  self = g_object_new (FW_TYPE_MACHINE_SENSORS, "name", feed, NULL);
  self->feed = fw_ref_string_intern (feed);
  self->sampler = fw_sensor_sampler_new (root, families);
  self->interval_ms = interval_ms;
  self->once = once;

  return FW_STREAM (self);
}

/**
 * fw_machine_sensors_open:
 * @spec: the feed
 * @flags: how it is opened
 * @error: where a refused option is said
 *
 * Opens a machine sensors feed (`cpu:`, `mem:`, …: the kind's #FwFeedKind.open).
 *
 * Returns: (transfer full): the stream, or %NULL with @error set
 */
FwStream *
fw_machine_sensors_open (const FwFeedSpec  *spec,
                         FwFeedOpenFlags    flags,
                         GError           **error)
{
  static const struct { const char *kind; FwSensorFamilies families; } kinds[] = {
    { "hwmon", FW_SENSORS_HWMON }, { "cpu", FW_SENSORS_CPU }, { "mem", FW_SENSORS_MEM },
    { "net", FW_SENSORS_NET }, { "disk", FW_SENSORS_DISK }, { "sensors", FW_SENSORS_ALL },
  };
  FwSensorFamilies families = 0;
  guint interval = 0;

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      if (g_str_equal (spec->kind, kinds[i].kind))
        families = kinds[i].families;
    }
  if (families == 0)
    {
      g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_UNKNOWN_KIND,
                   _("“%s”: not a machine sensor kind"), spec->text);
      return NULL;
    }
  if (spec->target != NULL && spec->target[0] != '\0')
    {
      g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                   _("“%s”: write “%s:” alone (options go after “?”, e.g. “%s:?interval=500”)"),
                   spec->text, spec->kind, spec->kind);
      return NULL;
    }

  /* Without an interval of its own, the stream follows the default (0) */
  if (fw_feed_spec_get_option (spec, "interval") != NULL &&
      !fw_feed_spec_get_uint (spec, "interval", FW_MACHINE_SENSORS_DEFAULT_INTERVAL_MS,
                              &interval, error))
    return NULL;
  if (fw_feed_spec_get_option (spec, "interval") != NULL && interval == 0)
    {
      g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                   _("“%s”: the interval must be at least 1 ms"), spec->text);
      return NULL;
    }

  return fw_machine_sensors_new (spec->text, fw_feed_spec_get_option (spec, "root"), families,
                                 interval, (flags & FW_FEED_OPEN_ONCE) != 0);
}

static const FwFeedOption machine_sensors_options[] = {
  { .key = "interval", .type = FW_FEED_OPTION_MILLISECONDS,
    .default_value = G_STRINGIFY (FW_MACHINE_SENSORS_DEFAULT_INTERVAL_MS), .min = 1,
    .help = N_("Milliseconds between readings") },
  { .key = "root", .type = FW_FEED_OPTION_STRING, .flags = FW_FEED_OPTION_HIDDEN,
    .help = N_("A folder read instead of /, for tests") },
  { NULL }
};

static const FwFeedOption *const machine_sensors_option_list[] = {
  machine_sensors_options, NULL
};

const FwFeedKind fw_machine_sensors_cpu_kind = {
  .name = "cpu",
  .open = fw_machine_sensors_open,
  .description = N_("CPU usage"),
  .title = N_("CPU"),
  .icon_name = "computer-symbolic",
  .example = "cpu:",
  .options = machine_sensors_option_list,
};

const FwFeedKind fw_machine_sensors_mem_kind = {
  .name = "mem",
  .open = fw_machine_sensors_open,
  .description = N_("Memory and swap"),
  .title = N_("Memory"),
  .icon_name = "preferences-system-details-symbolic",
  .example = "mem:",
  .options = machine_sensors_option_list,
};

const FwFeedKind fw_machine_sensors_hwmon_kind = {
  .name = "hwmon",
  .open = fw_machine_sensors_open,
  .description = N_("Temperatures, fans, voltages"),
  .title = N_("Hardware sensors"),
  .icon_name = "power-profile-performance-symbolic",
  .example = "hwmon:",
  .options = machine_sensors_option_list,
};

const FwFeedKind fw_machine_sensors_net_kind = {
  .name = "net",
  .open = fw_machine_sensors_open,
  .description = N_("Network traffic"),
  .title = N_("Network"),
  .icon_name = "network-wired-symbolic",
  .example = "net:",
  .options = machine_sensors_option_list,
};

const FwFeedKind fw_machine_sensors_disk_kind = {
  .name = "disk",
  .open = fw_machine_sensors_open,
  .description = N_("Disk traffic"),
  .title = N_("Disks"),
  .icon_name = "drive-harddisk-symbolic",
  .example = "disk:",
  .options = machine_sensors_option_list,
};

const FwFeedKind fw_machine_sensors_all_kind = {
  .name = "sensors",
  .open = fw_machine_sensors_open,
  .description = N_("All machine sensors"),
  .title = N_("Machine sensors"),
  .icon_name = "computer-symbolic",
  .example = "sensors:",
  .options = machine_sensors_option_list,
};
