/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-machine-sensors.h: the machine's own sensors: `hwmon:` (temperatures, fans, voltages,
 * power from /sys/class/hwmon and /sys/class/thermal), `cpu:` (usage, total and per core),
 * `mem:` (memory and swap), `net:` (rx/tx rates), `disk:` (read/write rates), `sensors:`
 * (all of them). Readers take a root folder, so tests run on a fake /sys and /proc. */
#pragma once

#include "../fw-feed-kind.h"

G_BEGIN_DECLS

/**
 * FwSensorFamilies:
 * @FW_SENSORS_HWMON: temperatures, fans, voltages and power (`hwmon:`)
 * @FW_SENSORS_CPU: processor usage, in all and per core (`cpu:`)
 * @FW_SENSORS_MEM: memory and swap (`mem:`)
 * @FW_SENSORS_NET: network receive and send rates (`net:`)
 * @FW_SENSORS_DISK: disk read and write rates (`disk:`)
 * @FW_SENSORS_ALL: all of them (`sensors:`)
 *
 * Which of the machine's sensors a #FwMachineSensors stream reads.
 */
typedef enum /*< flags >*/
{
  FW_SENSORS_HWMON = 1 << 0,
  FW_SENSORS_CPU   = 1 << 1,
  FW_SENSORS_MEM   = 1 << 2,
  FW_SENSORS_NET   = 1 << 3,
  FW_SENSORS_DISK  = 1 << 4,
  FW_SENSORS_ALL   = 0x1f,
} FwSensorFamilies;

/**
 * FW_MACHINE_SENSORS_DEFAULT_INTERVAL_MS:
 *
 * The interval between samples of the machine's sensors, in milliseconds, when nothing sets one.
 */
#define FW_MACHINE_SENSORS_DEFAULT_INTERVAL_MS 1000

/* The interval of the feeds whose text gives none (the Preferences set it in the window; --print
 * keeps FW_MACHINE_SENSORS_DEFAULT_INTERVAL_MS). A feed's own `interval=` always wins. Running
 * streams that follow it take a change within a second. */
void             fw_machine_sensors_set_default_interval (guint             interval_ms);
guint            fw_machine_sensors_get_default_interval (void);
gboolean         fw_machine_sensors_find                 (const char       *root,
                                                          FwSensorFamilies  families);

/**
 * FwSensorSampler:
 *
 * One sample at a time of the machine's sensors under a root folder, with rates computed since the
 * previous sample: the part of #FwMachineSensors without a main loop, for C callers and tests.
 * Not thread-safe: use it from one thread at a time.
 */
typedef struct _FwSensorSampler FwSensorSampler;

FwSensorSampler *fw_sensor_sampler_new    (const char        *root,
                                           FwSensorFamilies   families);
void             fw_sensor_sampler_free   (FwSensorSampler   *self);
GPtrArray       *fw_sensor_sampler_sample (FwSensorSampler   *self,
                                           GRefString        *feed,
                                           gint64             time_us,
                                           gint64             monotonic_us);

#define FW_TYPE_MACHINE_SENSORS (fw_machine_sensors_get_type ())

G_DECLARE_FINAL_TYPE (FwMachineSensors, fw_machine_sensors, FW, MACHINE_SENSORS, FwStream)

FwStream *fw_machine_sensors_new  (const char        *feed,
                                   const char        *root,
                                   FwSensorFamilies   families,
                                   guint              interval_ms,
                                   gboolean           once);
FwStream *fw_machine_sensors_open (const FwFeedSpec  *spec,
                                   FwFeedOpenFlags    flags,
                                   GError           **error);
guint     fw_machine_sensors_get_interval (FwMachineSensors *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwSensorSampler, fw_sensor_sampler_free)

extern const FwFeedKind fw_machine_sensors_cpu_kind;
extern const FwFeedKind fw_machine_sensors_mem_kind;
extern const FwFeedKind fw_machine_sensors_hwmon_kind;
extern const FwFeedKind fw_machine_sensors_net_kind;
extern const FwFeedKind fw_machine_sensors_disk_kind;
extern const FwFeedKind fw_machine_sensors_all_kind;

G_END_DECLS
