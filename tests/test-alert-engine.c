/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-alert-engine.c: alert rules on synthetic timelines. Time is injected: the items carry
 * the times the test gives them and ticks read the test's clock, so nothing sleeps. */

#include "fw-test-util.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "fw-alert-engine.h"
#include "fw-alert-rule.h"

/* An arbitrary start, so that times are not small numbers that hide mistakes */
#define T0 G_GINT64_CONSTANT (1700000000000000)
#define AT(s) (T0 + (gint64) ((s) * G_USEC_PER_SEC))

typedef struct
{
  FwAlertEngine *engine;
  gint64         now;
  GPtrArray     *alerts;
} Fixture;

static gint64
fixture_clock (gpointer user_data)
{
  Fixture *f = user_data;

  return f->now;
}

static void
on_alert (FwItem   *alert,
          gpointer  user_data)
{
  Fixture *f = user_data;

  g_assert_cmpint (alert->kind, ==, FW_ITEM_ALERT);
  g_ptr_array_add (f->alerts, fw_item_ref (alert));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->now = T0;
  f->alerts = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  f->engine = fw_alert_engine_new ();
  fw_alert_engine_set_clock (f->engine, fixture_clock, f);
  fw_alert_engine_set_func (f->engine, on_alert, f, NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->engine);
  g_ptr_array_unref (f->alerts);
}

static guint
add_rule (Fixture    *f,
          const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwAlertRule) rule = fw_alert_rule_parse (text, &error);

  g_assert_no_error (error);
  return fw_alert_engine_add_rule (f->engine, rule);
}

static void
pass (Fixture *f,
      FwItem  *item)
{
  f->now = item->time_us;
  fw_alert_engine_process (f->engine, item);
  fw_item_unref (item);
}

static void
reading (Fixture    *f,
         const char *feed,
         const char *name,
         double      value,
         double      at_s)
{
  GRefString *ref = g_ref_string_new (feed);

  pass (f, fw_item_new_reading (ref, AT (at_s), name, value, "%"));
  g_ref_string_release (ref);
}

static void
line (Fixture    *f,
      const char *feed,
      FwLevel     level,
      const char *text,
      double      at_s)
{
  GRefString *ref = g_ref_string_new (feed);
  FwItem *item = fw_item_new (FW_ITEM_LINE, ref, AT (at_s), text, -1);

  fw_item_set_level (item, level);
  pass (f, item);
  g_ref_string_release (ref);
}

static void
status (Fixture     *f,
        const char  *feed,
        FwFeedState  state,
        double       at_s)
{
  GRefString *ref = g_ref_string_new (feed);
  FwItem *item = fw_feed_status_new (ref, state, FW_LEVEL_WARNING, "the feed says so");

  item->time_us = AT (at_s);
  pass (f, item);
  g_ref_string_release (ref);
}

static void
tick (Fixture *f,
      double   at_s)
{
  f->now = AT (at_s);
  fw_alert_engine_tick (f->engine);
}

static const char *
field (FwItem     *alert,
       const char *key)
{
  const char *value = NULL;

  if (!g_variant_lookup (alert->fields, key, "&s", &value))
    return NULL;
  return value;
}

/* The alerts announced so far, as "fired@12.5" / "cleared@20", and forgets them */
static char *
take_alerts (Fixture *f)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < f->alerts->len; i++)
    {
      FwItem *alert = g_ptr_array_index (f->alerts, i);
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      g_string_append_printf (out, "%s%s@%s", i > 0 ? " " : "", field (alert, "alert"),
                              g_ascii_formatd (buf, sizeof buf, "%g",
                                               (alert->time_us - T0) / 1e6));
    }
  g_ptr_array_set_size (f->alerts, 0);

  return g_string_free (out, FALSE);
}

#define assert_alerts(f, expected) \
  G_STMT_START { \
    g_autofree char *got_ = take_alerts (f); \
    g_assert_cmpstr (got_, ==, expected); \
  } G_STMT_END

static void
test_threshold_hysteresis (Fixture       *f,
                           gconstpointer  data)
{
  FwItem *alert;

  add_rule (f, "cpu: cpu0 usage > 95 for 30s clear < 80");

  reading (f, "cpu:", "cpu0 usage", 96, 0);
  reading (f, "cpu:", "cpu0 usage", 97, 10);
  /* Below the limit before 30 s: the count starts again */
  reading (f, "cpu:", "cpu0 usage", 94, 20);
  reading (f, "cpu:", "cpu0 usage", 96, 25);
  reading (f, "cpu:", "cpu0 usage", 99, 50);
  /* Another series, another feed: not this rule's */
  reading (f, "cpu:", "cpu1 usage", 100, 50);
  reading (f, "mem:", "cpu0 usage", 100, 50);
  assert_alerts (f, "");
  /* The first pending start's deadline, early but never late; a tick finds the next */
  g_assert_cmpint (fw_alert_engine_get_next_deadline (f->engine), ==, AT (30));
  tick (f, 30);
  g_assert_cmpint (fw_alert_engine_get_next_deadline (f->engine), ==, AT (55));
  tick (f, 54.9);
  assert_alerts (f, "");
  /* Held for 30 s at the tick, with no reading since: fired with the last one */
  tick (f, 55);
  alert = g_ptr_array_index (f->alerts, 0);
  g_assert_cmpfloat (alert->value, ==, 99);
  g_assert_cmpstr (alert->feed, ==, "cpu:");
  g_assert_cmpstr (alert->name, ==, "cpu: cpu0 usage > 95 for 30s clear < 80");
  g_assert_cmpstr (field (alert, "series"), ==, "cpu0 usage");
  g_assert_cmpstr (field (alert, "rule"), ==, "cpu: cpu0 usage > 95 for 30s clear < 80");
  g_assert_cmpstr (alert->text, ==, "cpu0 usage = 99 %");
  assert_alerts (f, "fired@55");

  /* Between the limits it stays active; above again it does not fire again */
  reading (f, "cpu:", "cpu0 usage", 90, 60);
  reading (f, "cpu:", "cpu0 usage", 98, 70);
  reading (f, "cpu:", "cpu0 usage", 81, 80);
  assert_alerts (f, "");
  g_assert_cmpuint (fw_alert_engine_get_n_active (f->engine), ==, 1);
  reading (f, "cpu:", "cpu0 usage", 79, 90);
  assert_alerts (f, "cleared@90");
  g_assert_cmpuint (fw_alert_engine_get_n_active (f->engine), ==, 0);

  /* A reading fires by itself once the duration is reached */
  reading (f, "cpu:", "cpu0 usage", 96, 100);
  reading (f, "cpu:", "cpu0 usage", 96, 130);
  assert_alerts (f, "fired@130");
}

static void
test_threshold_no_hysteresis (Fixture       *f,
                              gconstpointer  data)
{
  add_rule (f, "temp* < 10");

  reading (f, "hwmon:", "temp1", 9, 0);
  reading (f, "hwmon:", "temp2", 9, 1);
  reading (f, "hwmon:", "fan1", 0, 1);
  /* One alert per series the glob matches */
  assert_alerts (f, "fired@0 fired@1");
  reading (f, "hwmon:", "temp1", 10, 2);
  assert_alerts (f, "cleared@2");
  g_assert_cmpuint (fw_alert_engine_get_n_active (f->engine), ==, 1);
}

static void
test_rate (Fixture       *f,
           gconstpointer  data)
{
  add_rule (f, "app.log: /timeout|refused/ rate > 5 in 60s");

  for (guint i = 0; i < 5; i++)
    {
      line (f, "app.log", FW_LEVEL_ERROR, "connect: timeout", i * 10);
      line (f, "app.log", FW_LEVEL_ERROR, "disk full", i * 10 + 1);
      line (f, "other.log", FW_LEVEL_ERROR, "connection refused", i * 10 + 2);
    }
  assert_alerts (f, "");
  /* The sixth within 60 s of the first */
  line (f, "app.log", FW_LEVEL_INFO, "connection refused", 60);
  g_assert_cmpstr (((FwItem *) g_ptr_array_index (f->alerts, 0))->text, ==,
                   "connection refused");
  assert_alerts (f, "fired@60");
  /* Still more: no storm */
  for (guint i = 0; i < 100; i++)
    line (f, "app.log", FW_LEVEL_INFO, "timeout", 61 + i * 0.1);
  assert_alerts (f, "");
  /* Cleared once five or fewer are left in the last 60 s: after the last burst's first
   * matches leave the window */
  tick (f, 120);
  assert_alerts (f, "");
  tick (f, 130);
  assert_alerts (f, "");
  g_assert_cmpint (fw_alert_engine_get_next_deadline (f->engine), ==,
                   AT (61 + 94 * 0.1) + 60 * G_USEC_PER_SEC + 1);
  tick (f, 61 + 94 * 0.1 + 60.001);
  assert_alerts (f, "cleared@130.401");

  /* Six spread over more than 60 s are not a rate */
  for (guint i = 0; i < 12; i++)
    line (f, "app.log", FW_LEVEL_INFO, "timeout", 300 + i * 13);
  assert_alerts (f, "");
}

static void
test_level_storm (Fixture       *f,
                  gconstpointer  data)
{
  guint rule = add_rule (f, "level>=error");

  line (f, "app.log", FW_LEVEL_WARNING, "careful", 0);
  assert_alerts (f, "");
  for (guint i = 0; i < 1000; i++)
    line (f, "app.log", i % 2 ? FW_LEVEL_ERROR : FW_LEVEL_CRITICAL, "boom", 1 + i * 0.01);
  /* One alert for a thousand errors */
  assert_alerts (f, "fired@1");
  g_assert_cmpuint (fw_alert_engine_get_n_fired (f->engine, rule), ==, 1);
  /* Cleared after a minute with none */
  tick (f, 70);
  assert_alerts (f, "");
  tick (f, 71);
  assert_alerts (f, "cleared@71");
  line (f, "app.log", FW_LEVEL_ERROR, "boom again", 80);
  assert_alerts (f, "fired@80");
  /* Each feed has its own alert */
  line (f, "db.log", FW_LEVEL_ERROR, "boom", 81);
  assert_alerts (f, "fired@81");
}

static void
test_silence (Fixture       *f,
              gconstpointer  data)
{
  FwItem *alert;

  add_rule (f, "sse:*: silence 30s");
  add_rule (f, "name=quiet sse:*: silence data 45s");
  fw_alert_engine_watch_feed (f->engine, "sse:http://localhost/events", NULL);
  fw_alert_engine_watch_feed (f->engine, "app.log", NULL);

  g_assert_cmpint (fw_alert_engine_get_next_deadline (f->engine), ==, AT (30));
  tick (f, 29.9);
  assert_alerts (f, "");
  tick (f, 30);
  alert = g_ptr_array_index (f->alerts, 0);
  g_assert_cmpstr (alert->text, ==, "no item for 30 s");
  g_assert_cmpstr (alert->feed, ==, "sse:http://localhost/events");
  assert_alerts (f, "fired@30");
  tick (f, 31);
  assert_alerts (f, "");
  /* A status item breaks the silence, not the silence of data */
  status (f, "sse:http://localhost/events", FW_FEED_STATE_RETRYING, 40);
  assert_alerts (f, "cleared@40");
  tick (f, 45);
  alert = g_ptr_array_index (f->alerts, 0);
  g_assert_cmpstr (alert->name, ==, "quiet");
  g_assert_cmpstr (alert->text, ==, "no data item for 45 s");
  assert_alerts (f, "fired@45");
  status (f, "sse:http://localhost/events", FW_FEED_STATE_LIVE, 47);
  assert_alerts (f, "");
  line (f, "sse:http://localhost/events", FW_LEVEL_NONE, "data", 50);
  assert_alerts (f, "cleared@50");
  /* Counted again from the last item */
  tick (f, 79);
  assert_alerts (f, "");
  g_assert_cmpint (fw_alert_engine_get_next_deadline (f->engine), ==, AT (80));
  tick (f, 80);
  assert_alerts (f, "fired@80");
}

static void
test_state (Fixture       *f,
            gconstpointer  data)
{
  add_rule (f, "*: state failed for 10s");
  add_rule (f, "name=flaky state retrying");

  status (f, "ws://a", FW_FEED_STATE_CONNECTING, 0);
  status (f, "ws://a", FW_FEED_STATE_RETRYING, 1);
  /* At once, with no duration */
  g_assert_cmpstr (((FwItem *) g_ptr_array_index (f->alerts, 0))->name, ==, "flaky");
  assert_alerts (f, "fired@1");
  status (f, "ws://a", FW_FEED_STATE_FAILED, 5);
  assert_alerts (f, "cleared@5");
  tick (f, 14.9);
  assert_alerts (f, "");
  tick (f, 15);
  g_assert_cmpstr (((FwItem *) g_ptr_array_index (f->alerts, 0))->text, ==, "failed for 10 s");
  assert_alerts (f, "fired@15");
  status (f, "ws://a", FW_FEED_STATE_LIVE, 20);
  assert_alerts (f, "cleared@20");

  /* A runner says so without a status item */
  f->now = AT (30);
  fw_alert_engine_set_feed_state (f->engine, "cmd:false", FW_FEED_STATE_FAILED, "exit 1");
  tick (f, 39);
  assert_alerts (f, "");
  tick (f, 40);
  assert_alerts (f, "fired@40");
}

static void
test_interval (Fixture       *f,
               gconstpointer  data)
{
  guint rule = add_rule (f, "interval=5m level>=error rate > 0 in 10s");

  line (f, "app.log", FW_LEVEL_ERROR, "one", 0);
  assert_alerts (f, "fired@0");
  tick (f, 11);
  assert_alerts (f, "cleared@11");
  /* Within 5 minutes of the last notification: active, not announced, nor its clear */
  line (f, "app.log", FW_LEVEL_ERROR, "two", 20);
  g_assert_cmpuint (fw_alert_engine_get_n_active (f->engine), ==, 1);
  tick (f, 31);
  assert_alerts (f, "");
  g_assert_cmpuint (fw_alert_engine_get_n_fired (f->engine, rule), ==, 2);
  g_assert_cmpuint (fw_alert_engine_get_n_suppressed (f->engine, rule), ==, 1);
  line (f, "app.log", FW_LEVEL_ERROR, "three", 300);
  assert_alerts (f, "fired@300");
}

static void
test_mute (Fixture       *f,
           gconstpointer  data)
{
  guint muted = add_rule (f, "level>=error");

  add_rule (f, "\"disk\"");
  fw_alert_engine_mute (f->engine, muted, AT (100));

  line (f, "app.log", FW_LEVEL_ERROR, "disk on fire", 0);
  /* Only the rule not muted is announced */
  g_assert_cmpstr (((FwItem *) g_ptr_array_index (f->alerts, 0))->name, ==, "\"disk\"");
  assert_alerts (f, "fired@0");
  g_assert_cmpuint (fw_alert_engine_get_n_active (f->engine), ==, 2);
  tick (f, 61);
  assert_alerts (f, "cleared@61");
  line (f, "app.log", FW_LEVEL_ERROR, "boom", 99);
  assert_alerts (f, "");
  tick (f, 160);
  line (f, "app.log", FW_LEVEL_ERROR, "boom", 161);
  assert_alerts (f, "fired@161");
  g_assert_cmpuint (fw_alert_engine_get_n_suppressed (f->engine, muted), ==, 2);
}

static void
test_scopes (Fixture       *f,
             gconstpointer  data)
{
  add_rule (f, "sse:*: level>=error");
  add_rule (f, "name=web Web*: \"down\"");
  fw_alert_engine_watch_feed (f->engine, "ws://b", "Web socket");

  line (f, "app.log", FW_LEVEL_ERROR, "down", 0);
  assert_alerts (f, "");
  line (f, "sse:http://a/", FW_LEVEL_ERROR, "up", 1);
  assert_alerts (f, "fired@1");
  line (f, "ws://b", FW_LEVEL_NONE, "going down", 2);
  g_assert_cmpstr (((FwItem *) g_ptr_array_index (f->alerts, 0))->name, ==, "web");
  assert_alerts (f, "fired@2");

  /* A rule added later applies to the feeds already seen */
  add_rule (f, "app.log: \"down\"");
  line (f, "/var/log/app.log", FW_LEVEL_NONE, "down", 3);
  line (f, "app.log", FW_LEVEL_NONE, "down", 4);
  assert_alerts (f, "fired@3 fired@4");
}

/* The owner's feeds, as a window knows them */
static void
describe_feed (const char  *feed,
               char       **title,
               char       **group,
               gpointer     user_data)
{
  guint *n_asked = user_data;

  (*n_asked)++;
  if (g_str_equal (feed, "mqtt://broker/a"))
    {
      *title = g_strdup ("Plant A");
      *group = g_strdup ("plants");
    }
}

/* A rule scoped by a group (or a title) takes in a feed the engine first meets in an item,
 * through what the owner tells of it; each feed is asked about once */
static void
test_group_scope (Fixture       *f,
                  gconstpointer  data)
{
  guint n_asked = 0;

  fw_alert_engine_set_describe_func (f->engine, describe_feed, &n_asked, NULL);
  add_rule (f, "name=plants plants: level>=error");
  add_rule (f, "name=titled \"Plant A\": \"smoke\"");

  line (f, "mqtt://broker/b", FW_LEVEL_ERROR, "down", 0);
  assert_alerts (f, "");
  line (f, "mqtt://broker/a", FW_LEVEL_ERROR, "smoke", 1);
  assert_alerts (f, "fired@1 fired@1");
  line (f, "mqtt://broker/a", FW_LEVEL_ERROR, "smoke", 2);
  g_assert_cmpuint (n_asked, ==, 2);
}

/* Rules on levels and texts together: each item meets the rules its level allows */
static void
test_levels (Fixture       *f,
             gconstpointer  data)
{
  guint warning = add_rule (f, "level>=warning");
  guint critical = add_rule (f, "level>=critical");
  guint text = add_rule (f, "\"x\"");
  guint both = add_rule (f, "level>=error \"x\"");

  line (f, "a.log", FW_LEVEL_INFO, "x", 0);
  line (f, "a.log", FW_LEVEL_WARNING, "y", 1);
  line (f, "a.log", FW_LEVEL_ERROR, "y", 2);
  g_assert_cmpuint (fw_alert_engine_get_n_fired (f->engine, text), ==, 1);
  g_assert_cmpuint (fw_alert_engine_get_n_fired (f->engine, warning), ==, 1);
  g_assert_cmpuint (fw_alert_engine_get_n_fired (f->engine, critical), ==, 0);
  g_assert_cmpuint (fw_alert_engine_get_n_fired (f->engine, both), ==, 0);
  line (f, "a.log", FW_LEVEL_CRITICAL, "x", 3);
  g_assert_cmpuint (fw_alert_engine_get_n_fired (f->engine, critical), ==, 1);
  g_assert_cmpuint (fw_alert_engine_get_n_fired (f->engine, both), ==, 1);
  assert_alerts (f, "fired@0 fired@1 fired@3 fired@3");
}

/* More feeds than the engine keeps by address: each is still found again by name */
static void
test_many_feeds (Fixture       *f,
                 gconstpointer  data)
{
  add_rule (f, "level>=error");
  for (guint round = 0; round < 2; round++)
    for (guint i = 0; i < 1500; i++)
      {
        g_autofree char *feed = g_strdup_printf ("app%u.log", i);

        line (f, feed, FW_LEVEL_ERROR, "boom", round * 10 + i * 0.001);
      }
  /* One alert per feed, the second round still active */
  g_assert_cmpuint (f->alerts->len, ==, 1500);
  g_assert_cmpuint (fw_alert_engine_get_n_active (f->engine), ==, 1500);
  g_assert_cmpuint (fw_alert_engine_get_n_fired (f->engine, 0), ==, 1500);
}

static void
test_json (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  add_rule (f, "name=errors level>=error");
  line (f, "app.log", FW_LEVEL_ERROR, "ERROR \"quoted\"", 0);
  g_assert_cmpuint (f->alerts->len, ==, 1);
  fw_item_append_json (g_ptr_array_index (f->alerts, 0), out);

  json_parser_load_from_data (parser, out->str, out->len, &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "kind"), ==, "alert");
  g_assert_cmpstr (json_object_get_string_member (object, "alert"), ==, "fired");
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "errors");
  g_assert_cmpstr (json_object_get_string_member (object, "rule"), ==,
                   "name=errors level>=error");
  g_assert_cmpstr (json_object_get_string_member (object, "feed"), ==, "app.log");
  g_assert_cmpstr (json_object_get_string_member (object, "level"), ==, "error");
  g_assert_cmpstr (json_object_get_string_member (object, "text"), ==, "ERROR \"quoted\"");
  g_assert_false (json_object_has_member (object, "fields"));
}

static gboolean
has_alerts (gpointer user_data)
{
  Fixture *f = user_data;

  return f->alerts->len > 0;
}

/* Attached to a main context, the engine ticks by itself at its deadline (real time here) */
static void
test_timer (void)
{
  Fixture f = { 0 };

  fixture_set_up (&f, NULL);
  fw_alert_engine_set_clock (f.engine, NULL, NULL);
  add_rule (&f, "silence 200ms");
  fw_alert_engine_watch_feed (f.engine, "app.log", NULL);
  fw_alert_engine_attach (f.engine, NULL);
  fw_test_wait_until (has_alerts, &f, "the silence alert");
  g_assert_cmpstr (field (g_ptr_array_index (f.alerts, 0), "alert"), ==, "fired");
  g_assert_cmpint (fw_alert_engine_get_next_deadline (f.engine), ==, G_MAXINT64);
  fixture_tear_down (&f, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/alert-engine/threshold/hysteresis", test_threshold_hysteresis);
  ADD ("/alert-engine/threshold/no-hysteresis", test_threshold_no_hysteresis);
  ADD ("/alert-engine/rate", test_rate);
  ADD ("/alert-engine/level-storm", test_level_storm);
  ADD ("/alert-engine/silence", test_silence);
  ADD ("/alert-engine/state", test_state);
  ADD ("/alert-engine/interval", test_interval);
  ADD ("/alert-engine/mute", test_mute);
  ADD ("/alert-engine/scopes", test_scopes);
  ADD ("/alert-engine/group-scope", test_group_scope);
  ADD ("/alert-engine/levels", test_levels);
  ADD ("/alert-engine/many-feeds", test_many_feeds);
  ADD ("/alert-engine/json", test_json);
  g_test_add_func ("/alert-engine/timer", test_timer);

  return g_test_run ();
}
