/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-alert-rule-private.h: what a parsed rule holds, for the engine that evaluates it */
#pragma once

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "fw-alert-rule.h"

G_BEGIN_DECLS

typedef enum
{
  FW_ALERT_OP_GT,
  FW_ALERT_OP_GE,
  FW_ALERT_OP_LT,
  FW_ALERT_OP_LE,
} FwAlertOp;

/* The longest rate a rule may count (its last K + 1 times are kept per feed) */
#define FW_ALERT_MAX_RATE 10000

struct _FwAlertRule
{
  gint          ref_count;
  FwAlertKind   kind;
  char         *name;         /* as given with name=, or NULL */
  char         *text;         /* the canonical text, what fw_alert_rule_to_string() returns */
  gint64        interval_us;  /* the least time between two notifications of the rule */

  char         *scope;        /* a glob on the feed or its title, or NULL for every feed */
  GPatternSpec *scope_spec;

  /* threshold */
  char         *series;       /* a glob on the reading's name; "*" for any */
  GPatternSpec *series_spec;
  FwAlertOp     op;
  double        limit;
  char         *unit;         /* as written, shown back; or NULL */
  gboolean      has_clear;
  FwAlertOp     clear_op;
  double        clear_limit;
  gint64        for_us;       /* threshold and state: how long the condition must hold */

  /* match */
  FwLevel       min_level;    /* FW_LEVEL_NONE: no condition on the level */
  char         *pattern;      /* substring or regular expression, or NULL */
  gsize         pattern_len;
  gboolean      is_regex;
  gboolean      caseless;
  pcre2_code   *code;         /* compiled for regular expressions and caseless substrings */
  guint         rate;         /* fires above this many matches within window_us (0: at one) */
  gint64        window_us;    /* match: the rate's window; silence: the quiet time */

  /* silence */
  gboolean      data_only;    /* status items do not break the silence */

  /* state */
  guint         state_mask;   /* 1 << FwFeedState */
};

gboolean _fw_alert_op_holds (FwAlertOp op,
                             double    value,
                             double    limit);

G_END_DECLS
