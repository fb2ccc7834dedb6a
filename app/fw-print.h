/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-print.h: `feedwatch --print`, the headless mode that writes JSON Lines */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The longest --duration, in seconds (about 31 years): its deadline is kept in microseconds. */
#define FW_PRINT_MAX_DURATION 1000000000.0

typedef struct
{
  gboolean print;      /* write items as JSON Lines */
  gboolean summary;    /* write one summary line per feed at the end */
  gboolean once;       /* read each feed to its natural end, no following */
  gint64   count;      /* stop after this many items in all; 0 = no limit */
  double   duration;   /* stop after this many seconds; 0 = no limit */
  gboolean stats;      /* at the end, the main-loop lag to stderr */
  char   **alerts;     /* alert rules, as written; or NULL */
  char    *alerts_file;   /* a file of alert rules, one a line; or NULL */
  gboolean exit_on_alert; /* stop at the first alert that fires */
  char    *record;     /* a recording to write what the feeds say to, or NULL */
  guint64  record_max_size;     /* bytes a recording file reaches before the next; 0 = no cap */
  double   record_max_duration; /* seconds a recording file spans before the next; 0 = none */
} FwPrintOptions;

/* The exit status of a run in which an alert fired */
#define FW_PRINT_EXIT_ALERT 3

int fw_print_run (const char * const   *feeds,
                  const FwPrintOptions *options);

G_END_DECLS
