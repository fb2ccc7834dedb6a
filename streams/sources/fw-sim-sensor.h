/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-sim-sensor.h: `sim:sensor`, the reference texts' simulated sensor */
#pragma once

#include "../fw-feed-kind.h"

G_BEGIN_DECLS

FwStream *fw_sim_sensor_new  (const char        *feed,
                              guint              interval_ms,
                              guint              jitter_ms,
                              guint              count,
                              guint32            seed);
FwStream *fw_sim_sensor_open (const FwFeedSpec  *spec,
                              FwFeedOpenFlags    flags,
                              GError           **error);

extern const FwFeedKind fw_sim_sensor_kind;

G_END_DECLS
