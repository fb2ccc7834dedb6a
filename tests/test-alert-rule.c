/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-alert-rule.c: the one-line alert rule syntax, read and written back */

#include "fw-test-util.h"

#include <string.h>

#include "fw-alert-rule-private.h"

static const struct { const char *text; const char *canonical; } valid[] = {
  { "level>=error", "level>=error" },
  { "level >= warn", "level>=warning" },
  { "level > warning", "level>=error" },
  { "cpu: cpu usage > 90 for 60s", "cpu: cpu usage > 90 for 60s" },
  { "cpu0 usage > 95 for 30s clear < 80", "cpu0 usage > 95 for 30s clear < 80" },
  { "cpu0 usage > 95 % for 30 s, clear < 80 %", "cpu0 usage > 95% for 30s clear < 80%" },
  { "temp* < 10 °C for 2 minutes clear >= 12", "temp* < 10 °C for 2m clear >= 12 °C" },
  { "> 5", "* > 5" },
  { "app.log: /timeout|refused/ rate > 5 in 60s", "app.log: /timeout|refused/ rate > 5 in 60s" },
  { "/a\\/b: c/i", "/a\\/b: c/i" },
  { "\"Disk full\"", "\"Disk full\"" },
  { "\"say \\\"hi\\\"\"i rate > 0 in 5m", "\"say \\\"hi\\\"\"i rate > 0 in 5m" },
  { "level>=error /timeout/ rate > 2 in 1.5s", "level>=error /timeout/ rate > 2 in 1500ms" },
  { "sse:*: silence 30s", "sse:*: silence 30s" },
  { "sse:*: silence data 2h", "sse:*: silence data 2h" },
  { "*: state failed for 10s", "*: state failed for 10s" },
  { "state retrying|failed", "state retrying|failed" },
  { "name=cpu-hot interval=10m cpu: cpu usage > 90 for 60s",
    "name=cpu-hot interval=10m cpu: cpu usage > 90 for 60s" },
  { "name=\"CPU hot\" cpu usage > 90", "name=\"CPU hot\" cpu usage > 90" },
  { "\"my feed: a\": level>=critical", "\"my feed: a\": level>=critical" },
  { "  /var/log/app.log :  level>=error  ", "/var/log/app.log: level>=error" },
};

static void
test_valid (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FwAlertRule) rule = fw_alert_rule_parse (valid[i].text, &error);
      g_autoptr(FwAlertRule) again = NULL;

      g_test_message ("%s", valid[i].text);
      g_assert_no_error (error);
      g_assert_cmpstr (fw_alert_rule_to_string (rule), ==, valid[i].canonical);

      /* The canonical text reads back as the same rule */
      again = fw_alert_rule_parse (fw_alert_rule_to_string (rule), &error);
      g_assert_no_error (error);
      g_assert_cmpstr (fw_alert_rule_to_string (again), ==, valid[i].canonical);
    }
}

static void
test_fields (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwAlertRule) threshold =
    fw_alert_rule_parse ("name=hot cpu: cpu0 usage > 95 % for 30 s, clear < 80 %", &error);
  g_autoptr(FwAlertRule) rate = NULL;
  g_autoptr(FwAlertRule) state = NULL;
  g_autoptr(FwAlertRule) silence = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (threshold->kind, ==, FW_ALERT_THRESHOLD);
  g_assert_cmpstr (fw_alert_rule_get_name (threshold), ==, "hot");
  g_assert_cmpstr (threshold->scope, ==, "cpu");
  g_assert_cmpstr (threshold->series, ==, "cpu0 usage");
  g_assert_cmpint (threshold->op, ==, FW_ALERT_OP_GT);
  g_assert_cmpfloat (threshold->limit, ==, 95);
  g_assert_cmpint (threshold->for_us, ==, 30 * G_USEC_PER_SEC);
  g_assert_true (threshold->has_clear);
  g_assert_cmpint (threshold->clear_op, ==, FW_ALERT_OP_LT);
  g_assert_cmpfloat (threshold->clear_limit, ==, 80);
  g_assert_cmpstr (threshold->unit, ==, "%");

  rate = fw_alert_rule_parse ("app.log: /timeout|refused/ rate > 5 in 60s", &error);
  g_assert_no_error (error);
  g_assert_cmpint (rate->kind, ==, FW_ALERT_MATCH);
  g_assert_cmpstr (fw_alert_rule_get_name (rate), ==, fw_alert_rule_to_string (rate));
  g_assert_true (rate->is_regex);
  g_assert_cmpuint (rate->rate, ==, 5);
  g_assert_cmpint (rate->window_us, ==, 60 * G_USEC_PER_SEC);

  state = fw_alert_rule_parse ("*: state failed|retrying for 10s", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (state->state_mask, ==,
                    (1u << FW_FEED_STATE_FAILED) | (1u << FW_FEED_STATE_RETRYING));
  g_assert_cmpint (state->for_us, ==, 10 * G_USEC_PER_SEC);

  silence = fw_alert_rule_parse ("sse:*: silence data 30s", &error);
  g_assert_no_error (error);
  g_assert_true (silence->data_only);
  g_assert_cmpint (silence->window_us, ==, 30 * G_USEC_PER_SEC);
}

/* Each error names the part that is wrong and shows the form expected */
static const struct { const char *text; const char *says; } invalid[] = {
  { "", "has no condition" },
  { "app.log: ", "has no condition" },
  { "cpu usage", "“cpu usage” is not a condition; expected e.g. “level>=error”" },
  { "level>=loud", "“loud” is not a level; expected trace, debug" },
  { "level<error", "“level” takes >= or >" },
  { "level>critical", "no level is above critical" },
  { "cpu > hot", "the limit “hot” is not a number; expected e.g. “cpu usage > 90 for 60s" },
  { "cpu > 90 for soon", "the time above the limit “soon” is not a duration" },
  { "cpu > 90 for 3 fortnights", "has an unknown unit “fortnights”; write ms, s, m, h or d" },
  { "cpu > 90 clear > 80", "clears on the other side, e.g. “clear < 90”" },
  { "cpu > 90 clear < 95", "the clear limit 95 is on the wrong side of the limit 90" },
  { "cpu > 90 clear 80", "“clear” takes <, <=, > or >= and a limit, not “80”" },
  { "cpu > 90 for 10s please", "“please” is not expected after the condition" },
  { "/timeout", "has no closing /; expected e.g. “/timeout|refused/”" },
  { "/(unclosed/", "the regular expression /(unclosed/ is not valid" },
  { "\"open", "the quote that opens" },
  { "\"\"", "the text to match is empty" },
  { "/x/ rate 5 in 60s", "“rate” takes >, e.g. “rate > 5 in 60s”" },
  { "/x/ rate > 5 per minute", "after “rate > 5” comes “in” and a duration, not “per”" },
  { "/x/ rate > 2.5 in 60s", "the rate “2.5” must be a whole number from 0 to 10000" },
  { "/x/ rate > 5 in 0s", "the rate's window must be longer than 0 s" },
  { "silence", "the silence is missing; expected e.g. “silence 30s”" },
  { "silence 0s", "the silence must last longer than 0 s" },
  { "state broken", "“broken” is not a feed state; expected failed, retrying" },
  { "name= level>=error", "“name=” has no name" },
  { "interval=often level>=error", "the interval “often” is not a duration" },
};

static void
test_invalid (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FwAlertRule) rule = fw_alert_rule_parse (invalid[i].text, &error);
      g_autofree char *quoted = g_strdup_printf ("The alert rule “%s” cannot be read: ",
                                                 invalid[i].text);

      g_test_message ("%s", invalid[i].text);
      g_assert_null (rule);
      g_assert_error (error, FW_ALERT_RULE_ERROR, FW_ALERT_RULE_ERROR_SYNTAX);
      g_assert_true (g_str_has_prefix (error->message, quoted));
      if (strstr (error->message, invalid[i].says) == NULL)
        g_error ("“%s” says “%s”, not “%s”", invalid[i].text, error->message, invalid[i].says);
    }
}

static void
test_lines (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rules =
    fw_alert_rule_parse_lines ("# rules for the web box\n\nlevel>=error\n"
                               "  cpu: cpu usage > 90 for 60s  \n# the end\n", "web.rules",
                               &error);
  g_autoptr(GPtrArray) bad = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (rules->len, ==, 2);
  g_assert_cmpstr (fw_alert_rule_to_string (rules->pdata[1]), ==, "cpu: cpu usage > 90 for 60s");

  bad = fw_alert_rule_parse_lines ("level>=error\n# ok\nlevel>=oops\n", "web.rules", &error);
  g_assert_null (bad);
  g_assert_error (error, FW_ALERT_RULE_ERROR, FW_ALERT_RULE_ERROR_SYNTAX);
  g_assert_true (g_str_has_prefix (error->message, "web.rules, line 3: The alert rule"));
}

static void
test_scope (void)
{
  static const struct
  {
    const char *rule;
    const char *feed;
    const char *title;
    const char *group;
    gboolean    applies;
  } cases[] = {
    { "level>=error", "anything", NULL, NULL, TRUE },
    { "sse:*: level>=error", "sse:http://localhost/events", NULL, NULL, TRUE },
    { "sse:*: level>=error", "app.log", NULL, NULL, FALSE },
    { "app.log: level>=error", "app.log", NULL, NULL, TRUE },
    { "app.log: level>=error", "/var/log/app.log", NULL, NULL, TRUE },
    { "app.log: level>=error", "/var/log/app.log.1", NULL, NULL, FALSE },
    { "app.log: level>=error", "http://example.com/app.log", NULL, NULL, FALSE },
    { "cpu: cpu usage > 90", "cpu:", NULL, NULL, TRUE },
    { "cpu: cpu usage > 90", "cpu:0", NULL, NULL, FALSE },
    { "Web*: silence 30s", "sse:http://a/", "Web events", NULL, TRUE },
    { "Web*: silence 30s", "sse:http://a/", "Other", NULL, FALSE },
    { "servers: level>=error", "mqtt://broker/#", "Fleet", "servers", TRUE },
    { "servers: level>=error", "mqtt://broker/#", "Fleet", "desktops", FALSE },
    { "\"web *\": silence 30s", "sse:http://a/", NULL, "web servers", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FwAlertRule) rule = fw_alert_rule_parse (cases[i].rule, &error);

      g_assert_no_error (error);
      g_test_message ("%s on %s", cases[i].rule, cases[i].feed);
      g_assert_cmpint (fw_alert_rule_applies_to (rule, cases[i].feed, cases[i].title,
                                                 cases[i].group), ==, cases[i].applies);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/alert-rule/valid", test_valid);
  g_test_add_func ("/alert-rule/fields", test_fields);
  g_test_add_func ("/alert-rule/invalid", test_invalid);
  g_test_add_func ("/alert-rule/lines", test_lines);
  g_test_add_func ("/alert-rule/scope", test_scope);

  return g_test_run ();
}
