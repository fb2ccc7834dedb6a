/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-series.h: a bounded, multi-resolution time series for one named reading. GTK-free. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Level 0 keeps raw points; levels 1.. keep min/max/sum/count buckets of growing width. */
#define FW_SERIES_N_LEVELS 5

typedef struct
{
  double min;     /* NaN when count == 0 */
  double max;     /* NaN when count == 0 */
  double avg;     /* NaN when count == 0 */
  guint  count;   /* points aggregated; 0 means "no data here" (a gap) */
} FwSeriesColumn;

typedef struct
{
  double min;
  double max;
  double avg;
  double last;    /* value of the latest point in the range; NaN if unknown */
  gint64 last_time_us;
  guint  count;
} FwSeriesStats;

#define FW_TYPE_SERIES (fw_series_get_type ())

G_DECLARE_FINAL_TYPE (FwSeries, fw_series, FW, SERIES, GObject)

FwSeries   *fw_series_new                  (const char     *name,
                                            const char     *unit);
const char *fw_series_get_name             (FwSeries       *self);
const char *fw_series_get_unit             (FwSeries       *self);
void        fw_series_append               (FwSeries       *self,
                                            gint64          time_us,
                                            double          value);
void        fw_series_clear                (FwSeries       *self);
guint64     fw_series_get_n_points         (FwSeries       *self);
guint64     fw_series_get_n_invalid        (FwSeries       *self);
guint64     fw_series_get_generation       (FwSeries       *self);
gboolean    fw_series_get_time_range       (FwSeries       *self,
                                            gint64         *first_us,
                                            gint64         *last_us);
gboolean    fw_series_get_stats            (FwSeries       *self,
                                            gint64          start_us,
                                            gint64          end_us,
                                            FwSeriesStats  *stats);
guint       fw_series_get_columns          (FwSeries       *self,
                                            gint64          start_us,
                                            gint64          end_us,
                                            guint           n_columns,
                                            FwSeriesColumn *columns);
gboolean    fw_series_get_nearest          (FwSeries       *self,
                                            gint64          time_us,
                                            gint64          max_distance_us,
                                            gint64         *found_us,
                                            double         *value);

/* Introspection of the bounds, for tests and the memory figures in the README. */
gint64      fw_series_level_resolution     (guint           level);
gsize       fw_series_level_capacity       (guint           level);
gsize       fw_series_get_level_length     (FwSeries       *self,
                                            guint           level);
gsize       fw_series_get_memory_size      (FwSeries       *self);

G_END_DECLS
