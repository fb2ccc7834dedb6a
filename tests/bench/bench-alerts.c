/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-alerts.c: the ingest rate with alert rules evaluated on every item, beside the rate
 * with no engine at all. Two ingests: a mix of feeds (log lines, sensor readings, events) from
 * memory through fw_stream_for_each, where the engine's cost shows most, and a log file read
 * --once by its source. With 0, 10 and 100 rules (a mix: levels, substrings, regular
 * expressions with rates, thresholds, silences, states, most of them scoped to a feed, as
 * people write them). Rates are per second of the process's CPU time (the log source reads on
 * a worker thread: its time counts too), so that other work on a shared machine moves them
 * less; the configurations take turns, best of 5. Target: with 100 rules, ≥ 50 % of the rate
 * with none. */

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "fw-streams.h"
#include "fw-alert-rule.h"
#include "fw-alert-engine.h"

#define N_ITEMS 1000000
#define N_FRESH 8192  /* distinct items, as many as a few of a source's batches */
#define N_LINES 2000000
#define RUNS    5

static const char * const base_rules[] = {
  "level>=error",
  "app*.log: /timeout|refused/ rate > 5 in 60s",
  "cpu: cpu* usage > 90 for 60s clear < 80",
  "hwmon: temp* > 85 for 10s",
  "sse:*: silence 30s",
  "*: state failed for 10s",
  "app0.log: \"disk full\"",
  "sse:*: level>=warning rate > 10 in 60s",
  "mem: used > 90 for 5m",
  "*: silence data 5m",
};

/* 90 more, as a user with many feeds writes them: each scoped to one feed */
static GPtrArray *
make_rules (guint n)
{
  GPtrArray *rules = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_alert_rule_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = NULL;
      g_autoptr(GError) error = NULL;
      FwAlertRule *rule;
      guint k = i - G_N_ELEMENTS (base_rules);

      if (i < G_N_ELEMENTS (base_rules))
        text = g_strdup (base_rules[i]);
      else
        switch (k % 9)
          {
          case 0:
            text = g_strdup_printf ("app%u.log: level>=error rate > %u in 60s", k % 4, k);
            break;
          case 1:
            text = g_strdup_printf ("app%u.log: \"code E%04u\"", k % 8, k);
            break;
          case 2:
            text = g_strdup_printf ("app%u.log: /user \\d+ denied \\(%u\\)/", k % 16, k);
            break;
          case 3:
            text = g_strdup_printf ("cpu: cpu%u usage > %u for 30s", k % 8, 50 + k % 50);
            break;
          case 4:
            text = g_strdup_printf ("hwmon: temp%u < 5", k % 4);
            break;
          case 5:
            text = g_strdup_printf ("sse:http://host%u/*: silence %us", k % 6, 10 + k);
            break;
          case 6:
            text = g_strdup_printf ("ws://host%u/*: state retrying|failed for 30s", k % 6);
            break;
          case 7:
            text = g_strdup_printf ("sse:http://host%u/*: \"order %u\"", k % 6, k);
            break;
          default:
            text = g_strdup_printf ("svc%u.log: level>=warning", k);
            break;
          }
      rule = fw_alert_rule_parse (text, &error);
      g_assert_no_error (error);
      g_ptr_array_add (rules, rule);
    }

  return rules;
}

static const char * const messages[] = {
  "GET /api/v1/orders/1234 200 12ms user=alice session=7f3a9c",
  "POST /api/v1/login 401 3ms user=bob reason=bad password",
  "worker 3 finished job 88121 in 140ms, queue length 12",
  "connection to db-2:5432 timeout after 5000ms, retrying",
  "cache hit ratio 0.93 over the last 60 s (1022 lookups)",
};

/* 60 % log lines over 4 files, 30 % readings (cpu: 8 series, hwmon: 4), 10 % events. A
 * source hands on items it just made, still in the cache: N_FRESH distinct items come round
 * again, rather than a million spread over 100 MB that every reader would wait for. */
static GPtrArray *
make_items (void)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  g_autoptr(GPtrArray) fresh = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  GRefString *logs[4], *cpu = g_ref_string_new ("cpu:"), *hwmon = g_ref_string_new ("hwmon:");
  GRefString *sse[2] = { g_ref_string_new ("sse:http://host0/events"),
                         g_ref_string_new ("sse:http://host1/events") };
  GRefString *cpu_names[8], *temp_names[4];
  gint64 t = g_get_real_time ();

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *name = g_strdup_printf ("/var/log/app%u.log", i);
      g_autofree char *temp = g_strdup_printf ("temp%u", i + 1);

      logs[i] = g_ref_string_new (name);
      temp_names[i] = fw_ref_string_intern (temp);
    }
  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *name = g_strdup_printf ("cpu%u usage", i);
      cpu_names[i] = fw_ref_string_intern (name);
    }

  for (guint i = 0; i < N_FRESH; i++)
    {
      guint r = i % 10;
      FwItem *item;

      t += 1;
      if (r < 6)
        {
          item = fw_item_new (FW_ITEM_LINE, logs[i % 4], t, messages[i % 5], -1);
          fw_item_set_level (item, i % 20 == 0 ? FW_LEVEL_ERROR
                                   : i % 10 == 1 ? FW_LEVEL_WARNING : FW_LEVEL_INFO);
        }
      else if (r < 8)
        {
          item = fw_item_new_reading (cpu, t, NULL, (i * 7) % 100, "%");
          fw_item_set_name_ref (item, cpu_names[i % 8]);
        }
      else if (r < 9)
        {
          item = fw_item_new_reading (hwmon, t, NULL, 40 + i % 50, "°C");
          fw_item_set_name_ref (item, temp_names[i % 4]);
        }
      else
        {
          item = fw_item_new (FW_ITEM_EVENT, sse[i % 2], t, "{\"order\":1234,\"state\":\"paid\"}",
                              -1);
          fw_item_set_name (item, "message");
        }
      g_ptr_array_add (fresh, item);
    }
  for (guint i = 0; i < N_ITEMS; i++)
    g_ptr_array_add (items, fw_item_ref (g_ptr_array_index (fresh, i % N_FRESH)));

  for (guint i = 0; i < 4; i++)
    {
      g_ref_string_release (logs[i]);
      g_ref_string_release (temp_names[i]);
    }
  for (guint i = 0; i < 8; i++)
    g_ref_string_release (cpu_names[i]);
  g_ref_string_release (cpu);
  g_ref_string_release (hwmon);
  g_ref_string_release (sse[0]);
  g_ref_string_release (sse[1]);

  return items;
}

typedef struct
{
  FwAlertEngine *engine;
  guint64        count;
  guint64        alerts;
  gboolean       done;
} Run;

static gboolean
on_item (FwItem   *item,
         gpointer  user_data)
{
  Run *run = user_data;

  run->count++;
  if (run->engine != NULL)
    fw_alert_engine_process (run->engine, item);

  return TRUE;
}

static void
on_alert (FwItem   *alert,
          gpointer  user_data)
{
  Run *run = user_data;

  run->alerts++;
}

static void
on_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;

  g_assert (fw_stream_for_each_finish (FW_STREAM (object), result, NULL) == FW_FOR_EACH_EXHAUSTED);
  run->done = TRUE;
}

static double
cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Items per CPU second through for_each, with an engine of @n_rules rules, or none when < 0 */
static double
ingest (GPtrArray  *items,
        const char *log_path,
        int         n_rules,
        guint64    *alerts)
{
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  Run run = { 0 };
  double start, rate;

  if (n_rules >= 0)
    {
      rules = make_rules (n_rules);
      run.engine = fw_alert_engine_new ();
      fw_alert_engine_set_func (run.engine, on_alert, &run, NULL);
      for (guint i = 0; i < rules->len; i++)
        fw_alert_engine_add_rule (run.engine, g_ptr_array_index (rules, i));
    }

  if (items != NULL)
    stream = fw_array_stream_new ((FwItem * const *) items->pdata, items->len);
  else
    stream = fw_log_source_new (log_path, log_path, G_MAXUINT, FALSE);

  start = cpu_seconds ();
  fw_stream_for_each_async (stream, 4096, on_item, &run, NULL, NULL, on_done, &run);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);
  rate = run.count / (cpu_seconds () - start);

  g_assert_cmpuint (run.count, ==, items != NULL ? items->len : N_LINES);
  fw_stream_close (stream);
  g_clear_object (&run.engine);
  *alerts = run.alerts;

  return rate;
}

static void
write_log (const char *path)
{
  GString *text = g_string_sized_new (N_LINES * 80);

  for (guint i = 0; i < N_LINES; i++)
    g_string_append_printf (text, "2026-12-06T10:00:%02u.%06uZ %s %s\n", (i / 1000000) % 60,
                            i % 1000000, i % 20 == 0 ? "ERROR" : i % 10 == 1 ? "WARN" : "INFO",
                            messages[i % 5]);
  g_assert (g_file_set_contents (path, text->str, text->len, NULL));
  g_string_free (text, TRUE);
}

int
main (void)
{
  g_autoptr(GPtrArray) items = make_items ();
  g_autofree char *dir = g_dir_make_tmp ("fw-bench-alerts-XXXXXX", NULL);
  g_autofree char *log_path = g_build_filename (dir, "app0.log", NULL);
  const int configs[] = { -1, 0, 10, 100 };
  double memory[G_N_ELEMENTS (configs)] = { 0 }, file[G_N_ELEMENTS (configs)] = { 0 };
  guint64 memory_alerts[G_N_ELEMENTS (configs)], file_alerts[G_N_ELEMENTS (configs)];

  write_log (log_path);
  for (guint run = 0; run < RUNS; run++)
    for (guint i = 0; i < G_N_ELEMENTS (configs); i++)
      {
        double rate = ingest (items, NULL, configs[i], &memory_alerts[i]);

        memory[i] = MAX (memory[i], rate);
        rate = ingest (NULL, log_path, configs[i], &file_alerts[i]);
        file[i] = MAX (file[i], rate);
      }
  g_unlink (log_path);
  g_rmdir (dir);

  printf ("%d items from memory (%d distinct ones, in the cache as fresh from a source: 60 %% "
          "log lines over 4 files, 30 %% readings, 10 %% events), and a log file of %d lines "
          "read --once; per CPU second, best of %d\n\n", N_ITEMS, N_FRESH, N_LINES, RUNS);
  printf ("| %-22s | %14s | %7s | %6s | %14s | %7s | %6s |\n", "rules", "mix, items/s", "ratio",
          "alerts", "log, lines/s", "ratio", "alerts");
  printf ("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
  for (guint i = 0; i < G_N_ELEMENTS (configs); i++)
    {
      g_autofree char *what = configs[i] < 0 ? g_strdup ("no engine (peer)")
                                             : g_strdup_printf ("%d rules", configs[i]);

      printf ("| %-22s | %14.0f | %6.2f× | %6" G_GUINT64_FORMAT " | %14.0f | %6.2f× | %6"
              G_GUINT64_FORMAT " |\n", what, memory[i], memory[i] / memory[0],
              configs[i] < 0 ? 0 : memory_alerts[i], file[i], file[i] / file[0],
              configs[i] < 0 ? 0 : file_alerts[i]);
    }
  printf ("\nTarget: with 100 rules, ≥ 0.50× the rate with no engine.\n");

  return 0;
}
