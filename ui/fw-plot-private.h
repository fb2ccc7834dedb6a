/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-plot-private.h: what the tests may ask FwPlot beyond its public API */
#pragma once

#include "fw-plot.h"

G_BEGIN_DECLS

char **_fw_plot_dup_tick_labels (FwPlot *self);

G_END_DECLS
