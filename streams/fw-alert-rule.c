/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-alert-rule.c: the one-line rule syntax.
 *
 *   [name=NAME] [interval=DURATION] [SCOPE: ]CONDITION
 *
 * SCOPE is a glob on the feed as written, its title or its group (`sse:*`, `app.log`,
 * `"my feed"`, `servers`);
 * without it the rule watches every feed. CONDITION is one of
 *
 *   SERIES > LIMIT [for DURATION] [, clear < LIMIT]   threshold (also <, >=, <=; SERIES a glob)
 *   [level>=LEVEL] [/REGEX/[i] | "TEXT"[i]] [rate > K in DURATION]            match
 *   silence [data] DURATION                                                   silence
 *   state failed[|retrying…] [for DURATION]                                   state
 *
 * The text is split at the first ": " for the scope; when what follows is not a condition but
 * the whole text is (a regular expression holding ": "), the whole text is the condition. The
 * canonical text written back parses to the same rule. */

#include "config.h"

#include "fw-alert-rule-private.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "fw-feed-state.h"
#include "fw-item.h"

/**
 * fw_alert_rule_error_quark:
 *
 * The error domain of alert rules that do not read.
 *
 * Returns: the error domain of rules that do not read (%FW_ALERT_RULE_ERROR)
 */
/**
 * FwAlertRule:
 *
 * One alert rule: a condition on the items of the feeds in its scope (a threshold held for a
 * while, matching items or their rate, a silence, a feed's state), read from its one-line
 * text form (`cpu: cpu usage > 90 for 60s clear < 80`) and written back to it. Immutable;
 * an #FwAlertEngine evaluates it.
 */
G_DEFINE_QUARK (fw-alert-rule-error-quark, fw_alert_rule_error)
G_DEFINE_BOXED_TYPE (FwAlertRule, fw_alert_rule, fw_alert_rule_ref, fw_alert_rule_unref)

/* A match without a rate clears once no item matched for this long */
#define DEFAULT_MATCH_WINDOW_US (60 * G_USEC_PER_SEC)

#define EXAMPLES "“level>=error”, “app.log: /timeout|refused/ rate > 5 in 60s”, " \
                 "“cpu: cpu usage > 90 for 60s clear < 80”, “sse:*: silence 30s” or " \
                 "“*: state failed for 10s”"

static FwAlertRule *
rule_new (void)
{
  FwAlertRule *rule = g_new0 (FwAlertRule, 1);

  rule->ref_count = 1;
  rule->window_us = DEFAULT_MATCH_WINDOW_US;

  return rule;
}

/**
 * fw_alert_rule_ref:
 * @rule: a rule
 *
 * Takes a reference on @rule; any thread.
 *
 * Returns: (transfer full): @rule
 */
FwAlertRule *
fw_alert_rule_ref (FwAlertRule *rule)
{
  g_return_val_if_fail (rule != NULL, NULL);

  g_atomic_int_inc (&rule->ref_count);

  return rule;
}

/**
 * fw_alert_rule_unref:
 * @rule: (nullable) (transfer full): a rule
 *
 * Drops a reference on @rule, freeing it with the last one.
 */
void
fw_alert_rule_unref (FwAlertRule *rule)
{
  if (rule == NULL || !g_atomic_int_dec_and_test (&rule->ref_count))
    return;

  g_free (rule->name);
  g_free (rule->text);
  g_free (rule->scope);
  g_clear_pointer (&rule->scope_spec, g_pattern_spec_free);
  g_free (rule->series);
  g_clear_pointer (&rule->series_spec, g_pattern_spec_free);
  g_free (rule->unit);
  g_free (rule->pattern);
  g_clear_pointer (&rule->code, pcre2_code_free);
  g_free (rule);
}

gboolean
_fw_alert_op_holds (FwAlertOp op,
                    double    value,
                    double    limit)
{
  switch (op)
    {
    case FW_ALERT_OP_GT: return value > limit;
    case FW_ALERT_OP_GE: return value >= limit;
    case FW_ALERT_OP_LT: return value < limit;
    case FW_ALERT_OP_LE: return value <= limit;
    default: return FALSE;
    }
}

static const char *
op_to_string (FwAlertOp op)
{
  static const char * const ops[] = { ">", ">=", "<", "<=" };

  return ops[op];
}

static gboolean
op_is_above (FwAlertOp op)
{
  return op == FW_ALERT_OP_GT || op == FW_ALERT_OP_GE;
}

/* ---------------------------------------------------------------------------------------- */
/* Reading */

typedef struct
{
  const char  *whole;  /* the rule as written, quoted in errors */
  const char  *p;
  GError     **error;
} Reader;

G_GNUC_PRINTF (2, 3)
static gboolean
fail (Reader     *r,
      const char *format,
      ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  if (r->error == NULL || *r->error != NULL)
    return FALSE;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (r->error, FW_ALERT_RULE_ERROR, FW_ALERT_RULE_ERROR_SYNTAX,
               _("The alert rule “%s” cannot be read: %s"), r->whole, detail);

  return FALSE;
}

static void
skip_spaces (Reader *r)
{
  while (*r->p == ' ' || *r->p == '\t')
    r->p++;
}

static gboolean
at_end (Reader *r)
{
  skip_spaces (r);
  return *r->p == '\0';
}

static gboolean
is_word_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '-';
}

/* Takes @word (any case) when it is next, as a whole word */
static gboolean
accept_word (Reader     *r,
             const char *word)
{
  gsize len = strlen (word);

  skip_spaces (r);
  if (g_ascii_strncasecmp (r->p, word, len) != 0 || is_word_char (r->p[len]))
    return FALSE;
  r->p += len;

  return TRUE;
}

/* Whether @word (any case) is next, as a whole word, without taking it */
static gboolean
looking_at_word (const char *p,
                 const char *word)
{
  gsize len = strlen (word);

  return g_ascii_strncasecmp (p, word, len) == 0 && !is_word_char (p[len]);
}

/* The next word, for errors */
static char *
next_token (Reader *r)
{
  const char *end;

  skip_spaces (r);
  end = r->p;
  while (*end != '\0' && *end != ' ' && *end != '\t')
    end++;
  if (end == r->p)
    return g_strdup ("the end of the rule");

  return g_strdup_printf ("“%.*s”", (int) (end - r->p), r->p);
}

static gboolean
accept_op (Reader    *r,
           FwAlertOp *op)
{
  skip_spaces (r);
  if (r->p[0] == '>' && r->p[1] == '=')
    *op = FW_ALERT_OP_GE, r->p += 2;
  else if (r->p[0] == '<' && r->p[1] == '=')
    *op = FW_ALERT_OP_LE, r->p += 2;
  else if (r->p[0] == '>')
    *op = FW_ALERT_OP_GT, r->p += 1;
  else if (r->p[0] == '<')
    *op = FW_ALERT_OP_LT, r->p += 1;
  else
    return FALSE;

  return TRUE;
}

static gboolean
read_number (Reader     *r,
             double     *value,
             const char *what,
             const char *example)
{
  char *end = NULL;

  skip_spaces (r);
  if (*r->p == '\0')
    return fail (r, "%s is missing; expected %s", what, example);
  if (g_ascii_isdigit (*r->p) || *r->p == '-' || *r->p == '+' || *r->p == '.')
    *value = g_ascii_strtod (r->p, &end);
  if (end == NULL || end == r->p || !isfinite (*value))
    {
      g_autofree char *token = next_token (r);
      return fail (r, "%s %s is not a number; expected %s", what, token, example);
    }
  r->p = end;

  return TRUE;
}

/* "30s", "30 s", "500ms", "5m", "1.5h", "2d"; a bare number is seconds */
static gboolean
read_duration (Reader     *r,
               gint64     *us,
               const char *what,
               const char *example)
{
  static const struct { const char *unit; double us; } units[] = {
    { "ms", 1e3 }, { "s", 1e6 }, { "sec", 1e6 }, { "secs", 1e6 }, { "second", 1e6 },
    { "seconds", 1e6 }, { "m", 60e6 }, { "min", 60e6 }, { "mins", 60e6 }, { "minute", 60e6 },
    { "minutes", 60e6 }, { "h", 3600e6 }, { "hour", 3600e6 }, { "hours", 3600e6 },
    { "d", 86400e6 }, { "day", 86400e6 }, { "days", 86400e6 },
  };
  const char *start;
  double value, scale = 1e6;
  char *end = NULL;

  skip_spaces (r);
  start = r->p;
  if (*r->p == '\0')
    return fail (r, "%s is missing; expected %s", what, example);
  if (g_ascii_isdigit (*r->p) || *r->p == '.')
    value = g_ascii_strtod (r->p, &end);
  if (end == NULL || end == r->p || !isfinite (value) || value < 0)
    {
      g_autofree char *token = next_token (r);
      return fail (r, "%s %s is not a duration; expected %s", what, token, example);
    }
  r->p = end;
  skip_spaces (r);
  if (g_ascii_isalpha (*r->p))
    {
      const char *unit_end = r->p;
      gboolean known = FALSE;

      while (g_ascii_isalpha (*unit_end))
        unit_end++;
      for (guint i = 0; i < G_N_ELEMENTS (units); i++)
        {
          if (strlen (units[i].unit) == (gsize) (unit_end - r->p) &&
              g_ascii_strncasecmp (units[i].unit, r->p, unit_end - r->p) == 0)
            {
              scale = units[i].us;
              known = TRUE;
            }
        }
      /* "for 30 clear < 80": a bare number, then the next word */
      if (!known && (looking_at_word (r->p, "clear") || looking_at_word (r->p, "for")))
        known = TRUE;
      else if (!known)
        return fail (r, "%s “%.*s” has an unknown unit “%.*s”; write ms, s, m, h or d, "
                     "e.g. %s", what, (int) (unit_end - start), start,
                     (int) (unit_end - r->p), r->p, example);
      else
        r->p = unit_end;
    }
  if (value * scale > (double) G_MAXINT64 / 4)
    return fail (r, "%s “%.*s” is too long; expected %s", what, (int) (r->p - start), start,
                 example);
  *us = (gint64) llround (value * scale);

  return TRUE;
}

/* A quoted string: "…" with \" and \\ */
static char *
read_quoted (Reader *r)
{
  GString *out = g_string_new (NULL);
  const char *p = r->p + 1;

  while (*p != '\0' && *p != '"')
    {
      if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
        p++;
      g_string_append_c (out, *p++);
    }
  if (*p != '"')
    {
      g_string_free (out, TRUE);
      fail (r, "the quote that opens %.20s… is not closed; expected e.g. “\"text\"”", r->p);
      return NULL;
    }
  r->p = p + 1;

  return g_string_free (out, FALSE);
}

/* A word (up to a space), or a quoted string */
static char *
read_value (Reader *r)
{
  const char *start = r->p;

  if (*r->p == '"')
    return read_quoted (r);
  while (*r->p != '\0' && *r->p != ' ' && *r->p != '\t')
    r->p++;

  return g_strndup (start, r->p - start);
}

static gboolean
read_level (Reader *r,
            FwLevel *level)
{
  const char *start;
  FwAlertOp op;

  if (!accept_op (r, &op) || op == FW_ALERT_OP_LT || op == FW_ALERT_OP_LE)
    return fail (r, "“level” takes >= or >, e.g. “level>=error”");
  skip_spaces (r);
  start = r->p;
  while (g_ascii_isalpha (*r->p))
    r->p++;
  *level = fw_level_from_string (start, r->p - start);
  if (*level == FW_LEVEL_NONE)
    return fail (r, "“%.*s” is not a level; expected trace, debug, info, notice, warning, "
                 "error or critical, e.g. “level>=error”", (int) (r->p - start), start);
  if (op == FW_ALERT_OP_GT)
    {
      if (*level == FW_LEVEL_CRITICAL)
        return fail (r, "no level is above critical; write “level>=critical”");
      *level = *level + 1;
    }

  return TRUE;
}

static gboolean
compile_pattern (Reader      *r,
                 FwAlertRule *rule)
{
  uint32_t options = PCRE2_UTF | (rule->caseless ? PCRE2_CASELESS : 0)
                     | (rule->is_regex ? 0 : PCRE2_LITERAL);
  PCRE2_SIZE offset = 0;
  int code = 0;

  if (!rule->is_regex && !rule->caseless)
    return TRUE;
  rule->code = pcre2_compile ((PCRE2_SPTR) rule->pattern, rule->pattern_len, options, &code,
                              &offset, NULL);
  if (rule->code == NULL)
    {
      PCRE2_UCHAR message[256];

      pcre2_get_error_message (code, message, sizeof message);
      return fail (r, "the regular expression /%s/ is not valid (%s, at character %zu); "
                   "expected e.g. “/timeout|refused/”", rule->pattern, (char *) message,
                   (size_t) offset);
    }
  /* Without a JIT (some architectures), matching falls back to the interpreter */
  pcre2_jit_compile (rule->code, PCRE2_JIT_COMPLETE);

  return TRUE;
}

static gboolean
read_match (Reader      *r,
            FwAlertRule *rule)
{
  rule->kind = FW_ALERT_MATCH;
  if (accept_word (r, "level") && !read_level (r, &rule->min_level))
    return FALSE;

  skip_spaces (r);
  if (*r->p == '/')
    {
      const char *start = ++r->p;

      while (*r->p != '\0' && *r->p != '/')
        r->p += (*r->p == '\\' && r->p[1] != '\0') ? 2 : 1;
      if (*r->p != '/')
        return fail (r, "the regular expression that starts with “/%.20s” has no closing /; "
                     "expected e.g. “/timeout|refused/”", start);
      rule->pattern = g_strndup (start, r->p - start);
      rule->is_regex = TRUE;
      r->p++;
      if (*r->p == 'i' && !is_word_char (r->p[1]))
        rule->caseless = TRUE, r->p++;
    }
  else if (*r->p == '"')
    {
      if ((rule->pattern = read_quoted (r)) == NULL)
        return FALSE;
      if (*r->p == 'i' && !is_word_char (r->p[1]))
        rule->caseless = TRUE, r->p++;
    }
  if (rule->pattern != NULL)
    rule->pattern_len = strlen (rule->pattern);
  if (rule->pattern != NULL && rule->pattern[0] == '\0')
    return fail (r, "the text to match is empty; expected e.g. “\"timeout\"” or “/timeout/”");
  if (!compile_pattern (r, rule))
    return FALSE;

  if (accept_word (r, "rate"))
    {
      FwAlertOp op;
      double count;

      if (!accept_op (r, &op) || op != FW_ALERT_OP_GT)
        return fail (r, "“rate” takes >, e.g. “rate > 5 in 60s”");
      if (!read_number (r, &count, "the rate", "e.g. “rate > 5 in 60s”"))
        return FALSE;
      if (count < 0 || count > FW_ALERT_MAX_RATE || count != floor (count))
        return fail (r, "the rate “%g” must be a whole number from 0 to %d, e.g. “rate > 5 in "
                     "60s”", count, FW_ALERT_MAX_RATE);
      rule->rate = (guint) count;
      if (!accept_word (r, "in") && !accept_word (r, "within"))
        {
          g_autofree char *token = next_token (r);
          return fail (r, "after “rate > %u” comes “in” and a duration, not %s; expected e.g. "
                       "“rate > 5 in 60s”", rule->rate, token);
        }
      if (!read_duration (r, &rule->window_us, "the rate's window", "e.g. “rate > 5 in 60s”"))
        return FALSE;
      if (rule->window_us <= 0)
        return fail (r, "the rate's window must be longer than 0 s, e.g. “rate > 5 in 60s”");
    }

  if (rule->min_level == FW_LEVEL_NONE && rule->pattern == NULL)
    return fail (r, "a match needs a level or a text, e.g. “level>=error” or “/timeout/”");

  return TRUE;
}

static gboolean
read_silence (Reader      *r,
              FwAlertRule *rule)
{
  rule->kind = FW_ALERT_SILENCE;
  rule->data_only = accept_word (r, "data");
  if (!read_duration (r, &rule->window_us, "the silence", "e.g. “silence 30s”"))
    return FALSE;
  if (rule->window_us <= 0)
    return fail (r, "the silence must last longer than 0 s, e.g. “silence 30s”");

  return TRUE;
}

static gboolean
read_state (Reader      *r,
            FwAlertRule *rule)
{
  rule->kind = FW_ALERT_STATE;
  do
    {
      const char *start;
      gboolean known = FALSE;

      skip_spaces (r);
      start = r->p;
      while (g_ascii_isalpha (*r->p))
        r->p++;
      for (FwFeedState s = FW_FEED_STATE_CONNECTING; s <= FW_FEED_STATE_ENDED; s++)
        {
          const char *nick = fw_feed_state_to_string (s);

          if (strlen (nick) == (gsize) (r->p - start) && strncmp (nick, start, r->p - start) == 0)
            {
              rule->state_mask |= 1u << s;
              known = TRUE;
            }
        }
      if (!known)
        return fail (r, "“%.*s” is not a feed state; expected failed, retrying, waiting, "
                     "connecting, live, paused or ended, e.g. “state failed for 10s”",
                     (int) (r->p - start), start);
      skip_spaces (r);
    }
  while (*r->p == '|' && r->p++);

  if (accept_word (r, "for") &&
      !read_duration (r, &rule->for_us, "the time in that state", "e.g. “state failed for 10s”"))
    return FALSE;

  return TRUE;
}

/* A unit after a limit: "95%", "95 %", "60 °C"; not a keyword nor a comma */
static char *
read_unit (Reader *r)
{
  const char *start;

  skip_spaces (r);
  start = r->p;
  if (*r->p == '\0' || *r->p == ',' || g_ascii_isdigit (*r->p) ||
      looking_at_word (r->p, "for") || looking_at_word (r->p, "clear"))
    return NULL;
  while (*r->p != '\0' && *r->p != ' ' && *r->p != '\t' && *r->p != ',')
    r->p++;

  return g_strndup (start, r->p - start);
}

static gboolean
read_threshold (Reader      *r,
                FwAlertRule *rule)
{
  const char *op_at = strpbrk (r->p, "<>");
  g_autofree char *series = g_strstrip (g_strndup (r->p, op_at - r->p));
  g_autofree char *clear_unit = NULL;
  const char *example = "e.g. “cpu usage > 90 for 60s clear < 80”";

  rule->kind = FW_ALERT_THRESHOLD;
  rule->series = g_strdup (series[0] != '\0' ? series : "*");
  rule->series_spec = g_pattern_spec_new (rule->series);
  r->p = op_at;
  accept_op (r, &rule->op);
  if (!read_number (r, &rule->limit, "the limit", example))
    return FALSE;
  rule->unit = read_unit (r);
  if (accept_word (r, "for") && !read_duration (r, &rule->for_us, "the time above the limit",
                                                example))
    return FALSE;
  skip_spaces (r);
  if (*r->p == ',')
    r->p++;
  if (accept_word (r, "clear"))
    {
      rule->has_clear = TRUE;
      if (!accept_op (r, &rule->clear_op))
        {
          g_autofree char *token = next_token (r);
          return fail (r, "“clear” takes <, <=, > or >= and a limit, not %s; expected %s",
                       token, example);
        }
      if (!read_number (r, &rule->clear_limit, "the clear limit", example))
        return FALSE;
      clear_unit = read_unit (r);
      if (op_is_above (rule->op) == op_is_above (rule->clear_op))
        return fail (r, "an alert on “%s %g” clears on the other side, e.g. “clear %s %g”",
                     op_to_string (rule->op), rule->limit, op_is_above (rule->op) ? "<" : ">",
                     rule->limit);
      if (op_is_above (rule->op) ? rule->clear_limit > rule->limit
                                 : rule->clear_limit < rule->limit)
        return fail (r, "the clear limit %g is on the wrong side of the limit %g; it must be "
                     "%s it, e.g. “clear %s %g”", rule->clear_limit, rule->limit,
                     op_is_above (rule->op) ? "at or below" : "at or above",
                     op_to_string (rule->clear_op), rule->limit);
    }

  return TRUE;
}

static gboolean
read_condition (Reader      *r,
                FwAlertRule *rule)
{
  gboolean ok;

  skip_spaces (r);
  if (accept_word (r, "silence"))
    ok = read_silence (r, rule);
  else if (accept_word (r, "state"))
    ok = read_state (r, rule);
  else if (*r->p == '/' || *r->p == '"' ||
           (g_ascii_strncasecmp (r->p, "level", 5) == 0 &&
            strchr ("<>= \t", r->p[5]) != NULL && r->p[5] != '\0'))
    ok = read_match (r, rule);
  else if (strpbrk (r->p, "<>") != NULL)
    ok = read_threshold (r, rule);
  else if (*r->p == '\0')
    return fail (r, "it has no condition; expected e.g. %s", EXAMPLES);
  else
    return fail (r, "“%s” is not a condition; expected e.g. %s", r->p, EXAMPLES);

  if (ok && !at_end (r))
    {
      g_autofree char *token = next_token (r);
      return fail (r, "%s is not expected after the condition; expected e.g. %s", token,
                   EXAMPLES);
    }

  return ok;
}

/* ---------------------------------------------------------------------------------------- */
/* Writing */

static void
append_number (GString *out,
               double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.15g", value));
}

/* In the largest unit that writes it whole, seconds up to two minutes */
static void
append_duration (GString *out,
                 gint64   us)
{
  const gint64 second = G_USEC_PER_SEC, minute = 60 * second, hour = 60 * minute;

  if (us % second != 0)
    g_string_append_printf (out, "%" G_GINT64_FORMAT "ms", us / 1000);
  else if (us < 2 * minute || us % minute != 0)
    g_string_append_printf (out, "%" G_GINT64_FORMAT "s", us / second);
  else if (us < 2 * hour || us % hour != 0)
    g_string_append_printf (out, "%" G_GINT64_FORMAT "m", us / minute);
  else
    g_string_append_printf (out, "%" G_GINT64_FORMAT "h", us / hour);
}

static void
append_quoted (GString    *out,
               const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* A value that reads back as one word, or quoted */
static void
append_value (GString    *out,
              const char *text,
              gboolean    is_scope)
{
  if (text[0] == '"' || strpbrk (text, " \t") != NULL || text[0] == '\0' ||
      (is_scope && g_str_has_suffix (text, ":")))
    append_quoted (out, text);
  else
    g_string_append (out, text);
}

static void
append_limit (GString    *out,
              double      limit,
              const char *unit)
{
  append_number (out, limit);
  if (unit != NULL)
    {
      if (g_ascii_isalnum (unit[0]) || (guchar) unit[0] >= 0x80)
        g_string_append_c (out, ' ');
      g_string_append (out, unit);
    }
}

static char *
rule_write (const FwAlertRule *rule)
{
  GString *out = g_string_new (NULL);

  if (rule->name != NULL)
    {
      g_string_append (out, "name=");
      append_value (out, rule->name, FALSE);
      g_string_append_c (out, ' ');
    }
  if (rule->interval_us > 0)
    {
      g_string_append (out, "interval=");
      append_duration (out, rule->interval_us);
      g_string_append_c (out, ' ');
    }
  if (rule->scope != NULL)
    {
      append_value (out, rule->scope, TRUE);
      g_string_append (out, ": ");
    }

  switch (rule->kind)
    {
    case FW_ALERT_THRESHOLD:
      g_string_append_printf (out, "%s %s ", rule->series, op_to_string (rule->op));
      append_limit (out, rule->limit, rule->unit);
      if (rule->for_us > 0)
        {
          g_string_append (out, " for ");
          append_duration (out, rule->for_us);
        }
      if (rule->has_clear)
        {
          g_string_append_printf (out, " clear %s ", op_to_string (rule->clear_op));
          append_limit (out, rule->clear_limit, rule->unit);
        }
      break;

    case FW_ALERT_MATCH:
      if (rule->min_level != FW_LEVEL_NONE)
        g_string_append_printf (out, "level>=%s", fw_level_to_string (rule->min_level));
      if (rule->pattern != NULL)
        {
          if (rule->min_level != FW_LEVEL_NONE)
            g_string_append_c (out, ' ');
          if (rule->is_regex)
            g_string_append_printf (out, "/%s/", rule->pattern);
          else
            append_quoted (out, rule->pattern);
          if (rule->caseless)
            g_string_append_c (out, 'i');
        }
      if (rule->rate > 0 || rule->window_us != DEFAULT_MATCH_WINDOW_US)
        {
          g_string_append_printf (out, " rate > %u in ", rule->rate);
          append_duration (out, rule->window_us);
        }
      break;

    case FW_ALERT_SILENCE:
      g_string_append (out, rule->data_only ? "silence data " : "silence ");
      append_duration (out, rule->window_us);
      break;

    case FW_ALERT_STATE:
      {
        gboolean first = TRUE;

        g_string_append (out, "state ");
        for (FwFeedState s = FW_FEED_STATE_CONNECTING; s <= FW_FEED_STATE_ENDED; s++)
          {
            if (!(rule->state_mask & (1u << s)))
              continue;
            if (!first)
              g_string_append_c (out, '|');
            g_string_append (out, fw_feed_state_to_string (s));
            first = FALSE;
          }
        if (rule->for_us > 0)
          {
            g_string_append (out, " for ");
            append_duration (out, rule->for_us);
          }
      }
      break;

    default:
      g_assert_not_reached ();
    }

  return g_string_free (out, FALSE);
}

/* ---------------------------------------------------------------------------------------- */

/* The condition after an optional scope; NULL with @error set when it does not read */
static FwAlertRule *
read_rule_from (const char  *whole,
                const char  *condition,
                GError     **error)
{
  FwAlertRule *rule = rule_new ();
  Reader r = { whole, condition, error };

  if (!read_condition (&r, rule))
    {
      fw_alert_rule_unref (rule);
      return NULL;
    }

  return rule;
}

/**
 * fw_alert_rule_parse:
 * @text: a rule in its one-line form
 * @error: where to put what does not read
 *
 * Reads one rule: `[name=NAME] [interval=DURATION] [SCOPE: ]CONDITION`, for example
 * `level>=error`, `app.log: /timeout|refused/ rate > 5 in 60s`,
 * `cpu: cpu usage > 90 for 60s clear < 80`, `sse:*: silence 30s` or `*: state failed for 10s`.
 *
 * Returns: (transfer full): the rule, or %NULL with @error (%FW_ALERT_RULE_ERROR_SYNTAX) saying
 *   which part is wrong and what was expected
 */
FwAlertRule *
fw_alert_rule_parse (const char  *text,
                     GError     **error)
{
  Reader r = { text, text, error };
  g_autofree char *name = NULL;
  g_autofree char *scope = NULL;
  gint64 interval_us = 0;
  FwAlertRule *rule = NULL;
  const char *colon;

  g_return_val_if_fail (text != NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, FW_ALERT_RULE_ERROR, FW_ALERT_RULE_ERROR_SYNTAX,
                   _("An alert rule is not valid UTF-8 text; write it as text, e.g. %s"), EXAMPLES);
      return NULL;
    }

  for (;;)
    {
      skip_spaces (&r);
      if (g_ascii_strncasecmp (r.p, "name=", 5) == 0)
        {
          r.p += 5;
          g_free (name);
          if ((name = read_value (&r)) == NULL)
            return NULL;
          if (name[0] == '\0')
            return (fail (&r, "“name=” has no name; write e.g. “name=cpu-hot” or "
                          "“name=\"CPU hot\"”"), NULL);
        }
      else if (g_ascii_strncasecmp (r.p, "interval=", 9) == 0)
        {
          r.p += 9;
          if (!read_duration (&r, &interval_us, "the interval", "e.g. “interval=10m”"))
            return NULL;
        }
      else
        break;
    }

  /* The scope: quoted, or up to the first ": " */
  if (*r.p == '"')
    {
      const char *start = r.p;

      if ((scope = read_quoted (&r)) == NULL)
        return NULL;
      if (*r.p != ':')
        {
          /* A quoted text with no scope: a match on it */
          g_clear_pointer (&scope, g_free);
          r.p = start;
        }
      else
        r.p++;
      rule = read_rule_from (text, r.p, error);
    }
  else if ((colon = strstr (r.p, ": ")) != NULL || (colon = strstr (r.p, ":\t")) != NULL)
    {
      g_autoptr(GError) local = NULL;

      scope = g_strstrip (g_strndup (r.p, colon - r.p));
      rule = read_rule_from (text, colon + 1, &local);
      if (rule == NULL && (rule = read_rule_from (text, r.p, NULL)) != NULL)
        g_clear_pointer (&scope, g_free);
      else if (rule == NULL)
        g_propagate_error (error, g_steal_pointer (&local));
    }
  else
    rule = read_rule_from (text, r.p, error);

  if (rule == NULL)
    return NULL;

  if (scope != NULL && scope[0] == '\0')
    g_clear_pointer (&scope, g_free);
  rule->name = g_steal_pointer (&name);
  rule->interval_us = interval_us;
  rule->scope = g_steal_pointer (&scope);
  if (rule->scope != NULL)
    rule->scope_spec = g_pattern_spec_new (rule->scope);
  rule->text = rule_write (rule);

  return rule;
}

/**
 * fw_alert_rule_parse_lines:
 * @contents: rules, one a line; blank lines and lines starting with `#` are left out
 * @origin: where they come from (a file name), for errors
 * @error: where to put the first line that does not read
 *
 * Reads a file of rules, as fw_alert_rule_parse() reads one.
 *
 * Returns: (transfer full) (element-type FwAlertRule): the rules, or %NULL with @error naming
 *   the line that does not read
 */
GPtrArray *
fw_alert_rule_parse_lines (const char  *contents,
                           const char  *origin,
                           GError     **error)
{
  g_autoptr(GPtrArray) rules =
    g_ptr_array_new_with_free_func ((GDestroyNotify) fw_alert_rule_unref);
  g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GError) local = NULL;
      char *line = g_strstrip (lines[i]);
      FwAlertRule *rule;

      if (line[0] == '\0' || line[0] == '#')
        continue;
      rule = fw_alert_rule_parse (line, &local);
      if (rule == NULL)
        {
          g_set_error (error, FW_ALERT_RULE_ERROR, FW_ALERT_RULE_ERROR_SYNTAX, _("%s, line %u: %s"),
                       origin, i + 1, local->message);
          return NULL;
        }
      g_ptr_array_add (rules, rule);
    }

  return g_steal_pointer (&rules);
}

/**
 * fw_alert_rule_to_string:
 * @rule: a rule
 *
 * Writes @rule back in its one-line form.
 *
 * Returns: the rule's canonical one-line text, which fw_alert_rule_parse() reads back as the
 *   same rule
 */
const char *
fw_alert_rule_to_string (const FwAlertRule *rule)
{
  return rule->text;
}

/**
 * fw_alert_rule_get_name:
 * @rule: a rule
 *
 * The name alerts of @rule carry.
 *
 * Returns: the name given with `name=`, or else the rule's text
 */
const char *
fw_alert_rule_get_name (const FwAlertRule *rule)
{
  return rule->name != NULL ? rule->name : rule->text;
}

/**
 * fw_alert_rule_get_kind:
 * @rule: a rule
 *
 * What @rule watches for.
 *
 * Returns: the kind of condition
 */
FwAlertKind
fw_alert_rule_get_kind (const FwAlertRule *rule)
{
  return rule->kind;
}

/**
 * fw_alert_rule_get_interval:
 * @rule: a rule
 *
 * How often @rule may announce that it fired (its `interval=` option).
 *
 * Returns: the least time between two notifications of the rule, in µs (0: no limit)
 */
gint64
fw_alert_rule_get_interval (const FwAlertRule *rule)
{
  return rule->interval_us;
}

/**
 * fw_alert_rule_applies_to:
 * @rule: a rule
 * @feed: the feed as written
 * @title: (nullable): its title
 * @group: (nullable): the group it is in (the window's sidebar folders)
 *
 * Whether @rule's scope takes in a feed. A scope matches the feed as written, its title, its
 * group, a
 * feed written as its kind alone (`cpu` for `cpu:`), or a file's name without its folder
 * (`app.log` for `/var/log/app.log`).
 *
 * Returns: %TRUE when @rule applies to the feed
 */
gboolean
fw_alert_rule_applies_to (const FwAlertRule *rule,
                          const char        *feed,
                          const char        *title,
                          const char        *group)
{
  const char *slash;
  gsize scope_len;

  if (rule->scope == NULL)
    return TRUE;
  if (feed == NULL)
    feed = "";
  if (g_pattern_spec_match_string (rule->scope_spec, feed) ||
      (title != NULL && g_pattern_spec_match_string (rule->scope_spec, title)) ||
      (group != NULL && g_pattern_spec_match_string (rule->scope_spec, group)))
    return TRUE;

  scope_len = strlen (rule->scope);
  if (strlen (feed) == scope_len + 1 && feed[scope_len] == ':' &&
      strncmp (feed, rule->scope, scope_len) == 0)
    return TRUE;
  if (strchr (rule->scope, '/') == NULL && (slash = strrchr (feed, '/')) != NULL &&
      !strstr (feed, "://") && g_pattern_spec_match_string (rule->scope_spec, slash + 1))
    return TRUE;

  return FALSE;
}
