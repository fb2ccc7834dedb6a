/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-alert-log.c: the log the Alerts view shows, fed by a real alert engine with injected
 * time: active, acknowledged, the history and its bound, the counts per feed, the items that
 * fired, and the history saved and read again as a new launch does. */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "fw-alert-engine.h"
#include "fw-alert-log.h"
#include "fw-test-util.h"

#define T0 G_GINT64_CONSTANT (1700000000000000)
#define AT(s) (T0 + (gint64) ((s) * G_USEC_PER_SEC))

typedef struct
{
  FwAlertEngine *engine;
  FwAlertLog    *log;
  FwItem        *watched;
  char          *dir;
  char          *path;
  gint64         now;
} Fixture;

static gint64
fixture_clock (gpointer user_data)
{
  Fixture *f = user_data;

  return f->now;
}

/* As the application does: the item the engine weighs is the one that fired */
static void
on_alert (FwItem   *alert,
          gpointer  user_data)
{
  Fixture *f = user_data;

  fw_alert_log_add (f->log, alert, f->watched);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *rules[] = {
    "name=\"App errors\" app.log: level>=error",
    "name=\"Hot disk\" disk: temp > 90 clear < 80",
  };

  f->dir = g_dir_make_tmp ("test-alert-log-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "state", "alerts.json", NULL);
  f->now = T0;
  f->log = fw_alert_log_new (f->path);
  f->engine = fw_alert_engine_new ();
  fw_alert_engine_set_clock (f->engine, fixture_clock, f);
  fw_alert_engine_set_func (f->engine, on_alert, f, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      g_autoptr(FwAlertRule) rule = fw_alert_rule_parse (rules[i], &error);

      g_assert_no_error (error);
      fw_alert_engine_add_rule (f->engine, rule);
    }
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->engine);
  g_clear_object (&f->log);
  fw_test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* Processes @item at its time, as a window's batch does; returns it (transfer none: @keep
 * holds it, as a window's history does) */
static FwItem *
process (Fixture   *f,
         FwItem    *item,
         GPtrArray *keep)
{
  f->now = item->time_us;
  f->watched = item;
  fw_alert_engine_process (f->engine, item);
  f->watched = NULL;
  fw_alert_log_note_items (f->log, &item, 1);
  g_ptr_array_add (keep, item);
  return item;
}

static FwItem *
line (Fixture    *f,
      GPtrArray  *keep,
      const char *feed,
      FwLevel     level,
      const char *text,
      double      s)
{
  GRefString *ref = fw_ref_string_intern (feed);
  FwItem *item = fw_item_new (FW_ITEM_LINE, ref, AT (s), text, -1);

  g_ref_string_release (ref);
  fw_item_set_level (item, level);
  return process (f, item, keep);
}

static FwItem *
reading (Fixture   *f,
         GPtrArray *keep,
         double     value,
         double     s)
{
  GRefString *ref = fw_ref_string_intern ("disk");
  FwItem *item = fw_item_new_reading (ref, AT (s), "temp", value, "°C");

  g_ref_string_release (ref);
  return process (f, item, keep);
}

static FwAlertEntry *
entry_at (GListModel *model,
          guint       position)
{
  g_autoptr(FwAlertEntry) entry = g_list_model_get_item (model, position);

  g_assert_nonnull (entry);
  /* The model holds it */
  return entry;
}

/* "fired App errors app.log ERROR disk full, …" newest first */
static char *
describe (GListModel *model)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      FwAlertEntry *entry = entry_at (model, i);

      g_string_append_printf (out, "%s%s %s@%s %s", i > 0 ? ", " : "",
                              fw_alert_entry_get_cleared (entry) ? "cleared" : "fired",
                              fw_alert_entry_get_rule_name (entry),
                              fw_alert_entry_get_feed (entry),
                              fw_alert_entry_get_text (entry));
    }
  return g_string_free (out, FALSE);
}

static void
assert_model (GListModel *model,
              const char *expected)
{
  g_autofree char *text = describe (model);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_active_acknowledged_history (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  FwItem *fine, *boom, *again, *hot;

  fine = line (f, keep, "app.log", FW_LEVEL_INFO, "all fine", 1);
  g_assert_true (fw_alert_log_is_empty (f->log));
  boom = line (f, keep, "app.log", FW_LEVEL_ERROR, "ERROR disk full", 2);
  again = line (f, keep, "app.log", FW_LEVEL_ERROR, "ERROR still full", 3);
  g_assert_false (fw_alert_log_is_empty (f->log));

  /* Fired once, by the first error: active, in the history, counted on its feed */
  assert_model (fw_alert_log_get_active (f->log), "fired App errors@app.log ERROR disk full");
  assert_model (fw_alert_log_get_history (f->log), "fired App errors@app.log ERROR disk full");
  g_assert_cmpint (fw_alert_entry_get_time (entry_at (fw_alert_log_get_active (f->log), 0)), ==,
                   AT (2));
  g_assert_cmpuint (fw_alert_log_get_n_active_for_feed (f->log, "app.log"), ==, 1);
  g_assert_cmpuint (fw_alert_log_get_n_active_for_feed (f->log, "disk"), ==, 0);
  g_assert_true (fw_alert_log_is_trigger (f->log, boom));
  g_assert_false (fw_alert_log_is_trigger (f->log, fine));
  g_assert_false (fw_alert_log_is_trigger (f->log, again));

  /* A threshold: the value shown follows the series while active */
  hot = reading (f, keep, 95, 4);
  g_assert_true (fw_alert_log_is_trigger (f->log, hot));
  g_assert_cmpuint (fw_alert_log_get_n_active_for_feed (f->log, "disk"), ==, 1);
  assert_model (fw_alert_log_get_active (f->log),
                "fired Hot disk@disk temp = 95 °C, fired App errors@app.log ERROR disk full");
  reading (f, keep, 97.5, 5);
  g_assert_cmpstr (fw_alert_entry_get_text (entry_at (fw_alert_log_get_active (f->log), 0)), ==,
                   "temp = 97.5 °C");

  /* Acknowledged: out of the active ones and of the feed's count, still not cleared */
  fw_alert_log_acknowledge (f->log, entry_at (fw_alert_log_get_active (f->log), 1));
  assert_model (fw_alert_log_get_active (f->log), "fired Hot disk@disk temp = 97.5 °C");
  assert_model (fw_alert_log_get_acknowledged (f->log),
                "fired App errors@app.log ERROR disk full");
  g_assert_true (fw_alert_entry_get_acknowledged (
                   entry_at (fw_alert_log_get_acknowledged (f->log), 0)));
  g_assert_cmpuint (fw_alert_log_get_n_active_for_feed (f->log, "app.log"), ==, 0);

  /* Cleared: gone from where it was, the history says when */
  reading (f, keep, 70, 6);
  g_assert_cmpuint (g_list_model_get_n_items (fw_alert_log_get_active (f->log)), ==, 0);
  g_assert_cmpuint (fw_alert_log_get_n_active_for_feed (f->log, "disk"), ==, 0);
  assert_model (fw_alert_log_get_history (f->log),
                "cleared Hot disk@disk temp = 70 °C, fired Hot disk@disk temp = 95 °C, "
                "fired App errors@app.log ERROR disk full");
  g_assert_cmpint (fw_alert_entry_get_time (entry_at (fw_alert_log_get_history (f->log), 0)), ==,
                   AT (6));

  /* New rules, a new engine: what was active ends, and the history says why */
  fw_alert_log_end_active (f->log, "The alert rules changed");
  g_assert_cmpuint (g_list_model_get_n_items (fw_alert_log_get_acknowledged (f->log)), ==, 0);
  assert_model (fw_alert_log_get_history (f->log),
                "cleared App errors@app.log The alert rules changed, "
                "cleared Hot disk@disk temp = 70 °C, fired Hot disk@disk temp = 95 °C, "
                "fired App errors@app.log ERROR disk full");
}

static void
test_bounded (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  FwItem *first = NULL;

  fw_alert_log_set_max_history (f->log, 5);
  /* 8 firings and 8 clearings */
  for (guint i = 0; i < 8; i++)
    {
      FwItem *item = reading (f, keep, 91 + i, 10 * i);

      if (first == NULL)
        first = item;
      reading (f, keep, 50, 10 * i + 5);
    }
  g_assert_cmpuint (g_list_model_get_n_items (fw_alert_log_get_history (f->log)), ==, 5);
  g_assert_cmpuint (fw_alert_log_get_n_dropped (f->log), ==, 11);
  /* Newest first: the last clearing, the last firing, … */
  assert_model (fw_alert_log_get_history (f->log),
                "cleared Hot disk@disk temp = 50 °C, fired Hot disk@disk temp = 98 °C, "
                "cleared Hot disk@disk temp = 50 °C, fired Hot disk@disk temp = 97 °C, "
                "cleared Hot disk@disk temp = 50 °C");
  /* The items that fired are remembered as far as the history goes */
  g_assert_false (fw_alert_log_is_trigger (f->log, first));
  g_assert_true (fw_alert_log_is_trigger (f->log, g_ptr_array_index (keep, keep->len - 2)));
}

static gboolean
is_saved (gpointer user_data)
{
  Fixture *f = user_data;

  return !fw_alert_log_get_saving (f->log) && g_file_test (f->path, G_FILE_TEST_EXISTS);
}

static void
test_across_launches (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(FwAlertLog) again = NULL;

  fw_alert_log_set_max_history (f->log, 3);
  reading (f, keep, 95, 1);
  reading (f, keep, 60, 2);
  line (f, keep, "app.log", FW_LEVEL_ERROR, "ERROR \"quoted\" <b>not markup</b>", 3);
  line (f, keep, "app.log", FW_LEVEL_CRITICAL, "CRITICAL again", 4);
  reading (f, keep, 99, 5);
  g_assert_cmpuint (fw_alert_log_get_n_dropped (f->log), ==, 1);

  /* Saved on its own, off the main loop's work, a moment later */
  g_assert_true (fw_alert_log_get_saving (f->log));
  fw_test_wait_until (is_saved, f, "the alert history saved");
  before = describe (fw_alert_log_get_history (f->log));

  /* A new launch reads the history (not what was active: the engine fires that again) */
  again = fw_alert_log_new (f->path);
  after = describe (fw_alert_log_get_history (again));
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (fw_alert_log_get_n_dropped (again), ==, 1);
  g_assert_cmpint (fw_alert_entry_get_time (entry_at (fw_alert_log_get_history (again), 0)), ==,
                   AT (5));
  g_assert_cmpuint (g_list_model_get_n_items (fw_alert_log_get_active (again)), ==, 0);
  g_assert_false (fw_alert_log_is_empty (again));
  g_clear_object (&again);

  /* At quit, what is still active ends in the history, written at once */
  fw_alert_log_end_active (f->log, "Feedwatch quit while it was active");
  g_assert_true (fw_alert_log_flush (f->log, &error));
  g_assert_no_error (error);
  g_assert_false (fw_alert_log_get_saving (f->log));
  again = fw_alert_log_new (f->path);
  g_clear_pointer (&after, g_free);
  after = describe (fw_alert_log_get_history (again));
  g_assert_true (g_str_has_prefix (after, "cleared "));
  g_assert_nonnull (strstr (after, "Feedwatch quit while it was active"));
  g_assert_cmpuint (fw_alert_log_get_n_dropped (again), ==, 3);
}

static void
test_unreadable_file (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autoptr(FwAlertLog) log = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (f->path, "{\"history\": [{\"event\": 3}, 7", -1, &error));
  g_assert_no_error (error);
  /* Said (a message), and the log starts empty rather than failing */
  log = fw_alert_log_new (f->path);
  g_assert_true (fw_alert_log_is_empty (log));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/alert-log/active-acknowledged-history", Fixture, NULL, fixture_set_up,
              test_active_acknowledged_history, fixture_tear_down);
  g_test_add ("/alert-log/bounded", Fixture, NULL, fixture_set_up, test_bounded,
              fixture_tear_down);
  g_test_add ("/alert-log/across-launches", Fixture, NULL, fixture_set_up, test_across_launches,
              fixture_tear_down);
  g_test_add ("/alert-log/unreadable-file", Fixture, NULL, fixture_set_up, test_unreadable_file,
              fixture_tear_down);

  return g_test_run ();
}
