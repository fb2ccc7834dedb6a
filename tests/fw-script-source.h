/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-script-source.h: a scriptable generator for the combinator tests: how many items, how many
 * per pull, answered now, from an idle or after a delay, failing after some items, and what
 * it saw (pulls, cleanups, in which order). The test owns the FwScriptSource and must keep it
 * alive until the stream's cleanup ran. */
#pragma once

#include "fw-streams.h"

G_BEGIN_DECLS

typedef struct
{
  /* Script */
  const char *name;
  guint       n_items;    /* G_MAXUINT: endless */
  guint       per_pull;   /* items per pull, at least 1 */
  guint       delay_ms;   /* answer after this delay (0: at once, inside the pull) */
  gboolean    idle;       /* answer from an idle (with delay_ms 0) */
  gboolean    fail;       /* fail with G_IO_ERROR_FAILED after n_items items */
  gboolean    hang;       /* after n_items items, never answer (until closed) */
  GString    *log;        /* nullable: the cleanup appends "name;" */

  /* Observed */
  guint       n_pulls;
  guint       n_produced;
  guint       n_cleanups;
  gboolean    started;
  gboolean    pending;    /* a pull is unanswered */
} FwScriptSource;

FwStream *fw_script_source_new (FwScriptSource *source);

G_END_DECLS
