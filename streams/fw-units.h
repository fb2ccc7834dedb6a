/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-units.h: a reading's value and unit as people read it. One formatter for the list, the
 * plot's legend and axes and the sparklines, so they all say "25.3 GB". GTK-free. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The canonical unit symbols. Sources write these into FwItem.unit and `--print` passes them
 * on unchanged, so what a script reads is what the formatter knows. */

/**
 * FW_UNIT_BYTES:
 *
 * Bytes, for sizes and amounts of memory.
 */
#define FW_UNIT_BYTES            "B"
/**
 * FW_UNIT_BYTES_PER_SECOND:
 *
 * Bytes per second, for network and disk rates.
 */
#define FW_UNIT_BYTES_PER_SECOND "B/s"
/**
 * FW_UNIT_PER_SECOND:
 *
 * Events per second, for rates of things counted.
 */
#define FW_UNIT_PER_SECOND       "/s"
/**
 * FW_UNIT_PERCENT:
 *
 * Percent, for usage and load.
 */
#define FW_UNIT_PERCENT          "%"
/**
 * FW_UNIT_CELSIUS:
 *
 * Degrees Celsius, for temperatures.
 */
#define FW_UNIT_CELSIUS          "°C"

char *fw_units_format      (double      value,
                            const char *unit);
char *fw_units_format_tick (double      value,
                            double      step,
                            double      magnitude,
                            const char *unit);

char *fw_units_format_delay (guint       ms,
                            gboolean    short_in_ms);

G_END_DECLS
