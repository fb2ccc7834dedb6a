/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-bench-util.h: what several benchmarks do the same way: read a stream to its end on the
 * main loop, time a peer command, and run a Python peer that prints its figures as JSON. */
#pragma once

#include <json-glib/json-glib.h>

#include "fw-stream.h"

G_BEGIN_DECLS

double      fw_bench_drain        (FwStream           *stream,
                                   guint               batch,
                                   FwForEachFunc       func,
                                   gpointer            user_data);
double      fw_bench_spawn_timed  (const char * const *argv,
                                   char              **out);
JsonObject *fw_bench_run_python   (const char         *script,
                                   const char * const *args);

G_END_DECLS
