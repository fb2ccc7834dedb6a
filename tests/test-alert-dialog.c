/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-alert-dialog.c: the alert rule dialog and the rules window, driven in a real window:
 * the preview counts what the engine itself counts on the same history, saving writes the
 * `alert-rules` setting, "Alert on Lines Like This" makes a rule on the row's text as written,
 * and exported rules import back as they were. */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "fw-alert-engine.h"
#include "fw-alert-rule-dialog.h"
#include "fw-alert-rules-window.h"
#include "fw-item-object.h"
#include "fw-item-view.h"
#include "fw-test-ui.h"
#include "fw-test-util.h"
#include "fw-window.h"

static GSettings *settings;

static void
reset_settings (void)
{
  const char *none[] = { NULL };

  g_settings_set_strv (settings, "feeds", none);
  g_settings_set_strv (settings, "feed-names", none);
  g_settings_set_strv (settings, "alert-rules", none);
  g_settings_set_boolean (settings, "first-run", FALSE);
}

/* A log of an hour ago: bursts of errors, quiet spells and readings that rise and fall, a
 * second or more apart, in time order (the list orders a frame's rows by time) */
static GPtrArray *
make_history (const char *feed)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  GRefString *name = fw_ref_string_intern (feed);
  gint64 t = g_get_real_time () - (gint64) 3600 * G_USEC_PER_SEC;
  GRand *rand = g_rand_new_with_seed (19);

  for (guint i = 0; i < 600; i++)
    {
      FwItem *item;

      /* Now and then a gap: silences; in bursts, items close together: rates */
      t += (i % 97 == 0) ? 45 * G_USEC_PER_SEC
           : (i / 40) % 3 == 0 ? 200 * 1000 : G_USEC_PER_SEC * g_rand_int_range (rand, 1, 4);
      if (i % 2 == 0)
        {
          double value = 50 + 45 * ((i / 30) % 2 == 0 ? 1 : -1) * (int) (i % 30) / 30.0;

          item = fw_item_new_reading (name, t, "cpu usage", value, "%");
        }
      else
        {
          g_autofree char *text = g_strdup_printf ("request %u: %s", i,
                                                   i % 7 == 0 ? "timeout" : "ok");

          item = fw_item_new (FW_ITEM_LINE, name, t, text, -1);
          fw_item_set_level (item, i % 7 == 0 ? FW_LEVEL_ERROR : FW_LEVEL_INFO);
        }
      g_ptr_array_add (items, item);
    }
  g_rand_free (rand);
  g_ref_string_release (name);

  return items;
}

typedef struct
{
  gint64  now;
  guint64 fired;
} Direct;

static gint64
direct_clock (gpointer user_data)
{
  return ((Direct *) user_data)->now;
}

static void
direct_alert (FwItem   *alert,
              gpointer  user_data)
{
  const char *what = NULL;

  g_assert_true (g_variant_lookup (alert->fields, "alert", "&s", &what));
  if (g_str_equal (what, "fired"))
    ((Direct *) user_data)->fired++;
}

/* The engine as the application runs it, its clock each item's time: time passes, then the
 * item comes */
static guint64
count_with_engine (const char *text,
                   GPtrArray  *items)
{
  g_autoptr(FwAlertEngine) engine = fw_alert_engine_new ();
  g_autoptr(FwAlertRule) rule = fw_alert_rule_parse (text, NULL);
  Direct direct = { ((FwItem *) g_ptr_array_index (items, 0))->time_us, 0 };

  g_assert_nonnull (rule);
  fw_alert_engine_set_clock (engine, direct_clock, &direct);
  fw_alert_engine_set_func (engine, direct_alert, &direct, NULL);
  fw_alert_engine_add_rule (engine, rule);
  for (guint i = 0; i < items->len; i++)
    {
      FwItem *item = g_ptr_array_index (items, i);

      direct.now = item->time_us;
      fw_alert_engine_tick (engine);
      fw_alert_engine_process (engine, item);
    }

  return direct.fired;
}

static gboolean
preview_counted (gpointer data)
{
  return fw_alert_rule_dialog_get_preview_count (data) >= 0;
}

static FwAlertRuleDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (FW_IS_ALERT_RULE_DIALOG (window))
        return FW_ALERT_RULE_DIALOG (window);
    }

  return NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return find_dialog () != NULL;
}

/* For a person to look at: FW_TEST_SCREENSHOT=FILE.png saves the dialog as it is drawn */
static void
save_screenshot (GtkWidget *widget)
{
  const char *path = g_getenv ("FW_TEST_SCREENSHOT");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  graphene_rect_t bounds = { { 0, 0 }, { 0, 0 } };

  if (path == NULL)
    return;
  fw_test_ui_settle (FW_WINDOW (gtk_window_get_transient_for (GTK_WINDOW (widget))));
  bounds.size.width = gtk_widget_get_width (widget);
  bounds.size.height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, bounds.size.width, bounds.size.height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &bounds);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static void
test_preview_counts_as_the_engine (void)
{
  static const char * const rules[] = {
    "level>=error",
    "\"test:log\": /timeout/ rate > 2 in 10s",
    "cpu usage > 90 for 3s clear < 60",
    "test:log: cpu usage < 10",
    "silence 30s",
    "\"request 1\"",
  };
  g_autoptr(GPtrArray) items = make_history ("test:log");
  FwWindow *window;
  FwAlertRuleDialog *dialog;

  reset_settings ();
  window = fw_test_ui_open_window ();
  fw_test_ui_add_items (window, "test:log", g_ptr_array_ref (items));
  g_assert_cmpuint (fw_history_get_n_stored (fw_window_get_history (window)), ==, items->len);

  dialog = FW_ALERT_RULE_DIALOG (fw_alert_rule_dialog_new (GTK_WINDOW (window), window));
  gtk_window_present (GTK_WINDOW (dialog));
  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      guint64 expected = count_with_engine (rules[i], items);
      g_autoptr(GError) error = NULL;

      g_test_message ("%s: the engine fires %" G_GUINT64_FORMAT " times", rules[i], expected);
      /* Every rule fires on this history, some many times: the counts say something */
      g_assert_cmpuint (expected, >, 0);
      g_assert_true (fw_alert_rule_dialog_set_rule_text (dialog, rules[i], &error));
      g_assert_no_error (error);
      g_assert_null (fw_alert_rule_dialog_get_error (dialog));
      fw_test_wait_until (preview_counted, dialog, "the preview's count");
      g_assert_cmpint (fw_alert_rule_dialog_get_preview_count (dialog), ==, (gint64) expected);
      if (i == 1)
        save_screenshot (GTK_WIDGET (dialog));
    }

  gtk_window_destroy (GTK_WINDOW (dialog));
  fw_test_ui_close_window (window);
}

/* The rows make the rule: every kind, each with the text the parser reads back */
static void
test_rows_make_the_rule (void)
{
  static const char * const rules[] = {
    "name=\"CPU hot\" \"test:log\": cpu usage > 90 % for 30s clear < 80 %",
    "test:*: level>=warning /time(out|d out)/i rate > 5 in 1m",
    "silence data 45s",
    "\"test:log\": state failed|retrying for 10s",
    "\"a \\\"quoted\\\" line\"",
  };
  FwWindow *window;
  FwAlertRuleDialog *dialog;

  reset_settings ();
  window = fw_test_ui_open_window ();
  fw_test_ui_add_items (window, "test:log", make_history ("test:log"));
  dialog = FW_ALERT_RULE_DIALOG (fw_alert_rule_dialog_new (GTK_WINDOW (window), window));

  /* A new dialog's rows already make a rule */
  g_assert_nonnull (fw_alert_rule_dialog_get_rule_text (dialog));
  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      g_autoptr(FwAlertRule) rule = fw_alert_rule_parse (rules[i], NULL);

      g_assert_true (fw_alert_rule_dialog_set_rule_text (dialog, rules[i], NULL));
      g_assert_cmpstr (fw_alert_rule_dialog_get_rule_text (dialog), ==,
                       fw_alert_rule_to_string (rule));
    }

  gtk_window_destroy (GTK_WINDOW (dialog));
  fw_test_ui_close_window (window);
}

static void
test_save_writes_the_setting (void)
{
  g_auto(GStrv) saved = NULL;
  g_auto(GStrv) edited = NULL;
  FwWindow *window;
  FwAlertRuleDialog *dialog;
  const char *before[] = { "level>=critical", "silence 60s", NULL };

  reset_settings ();
  g_settings_set_strv (settings, "alert-rules", before);
  window = fw_test_ui_open_window ();

  /* A new rule is added after the others */
  dialog = FW_ALERT_RULE_DIALOG (fw_alert_rule_dialog_new (GTK_WINDOW (window), window));
  g_assert_true (fw_alert_rule_dialog_set_rule_text (dialog, "level>=error rate > 5 in 1m", NULL));
  g_assert_true (fw_alert_rule_dialog_save (dialog));
  gtk_window_destroy (GTK_WINDOW (dialog));
  saved = g_settings_get_strv (settings, "alert-rules");
  g_assert_cmpuint (g_strv_length (saved), ==, 3);
  g_assert_cmpstr (saved[0], ==, "level>=critical");
  g_assert_cmpstr (saved[1], ==, "silence 60s");
  g_assert_cmpstr (saved[2], ==, "level>=error rate > 5 in 60s");

  /* An edited rule stays in its place */
  dialog = FW_ALERT_RULE_DIALOG (fw_alert_rule_dialog_new (GTK_WINDOW (window), window));
  fw_alert_rule_dialog_edit_rule (dialog, 1, saved[1]);
  g_assert_cmpstr (fw_alert_rule_dialog_get_rule_text (dialog), ==, "silence 60s");
  g_assert_true (fw_alert_rule_dialog_set_rule_text (dialog, "silence data 90s", NULL));
  g_assert_true (fw_alert_rule_dialog_save (dialog));
  gtk_window_destroy (GTK_WINDOW (dialog));
  edited = g_settings_get_strv (settings, "alert-rules");
  g_assert_cmpuint (g_strv_length (edited), ==, 3);
  g_assert_cmpstr (edited[0], ==, "level>=critical");
  g_assert_cmpstr (edited[1], ==, "silence data 90s");
  g_assert_cmpstr (edited[2], ==, "level>=error rate > 5 in 60s");

  fw_test_ui_close_window (window);
}

/* A row's menu: "Alert on Lines Like This" makes a match on the row's text as it is written,
 * not as a pattern, on the row's feed */
static void
test_alert_on_line_prefills (void)
{
  const char *line = "GET \"/api?x=1\" failed (timeout) * [5/5] \\o/";
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  GRefString *feed = fw_ref_string_intern ("test:web");
  g_autoptr(FwAlertRule) rule = NULL;
  g_autoptr(FwAlertEngine) engine = NULL;
  g_autoptr(FwItem) same = NULL;
  g_autoptr(FwItem) other = NULL;
  GtkSelectionModel *selection;
  FwItemView *view;
  FwAlertRuleDialog *dialog;
  FwWindow *window;
  guint n;

  reset_settings ();
  g_ptr_array_add (items, fw_item_new (FW_ITEM_LINE, feed, g_get_real_time () - 2000, "hello", -1));
  g_ptr_array_add (items, fw_item_new (FW_ITEM_LINE, feed, g_get_real_time () - 1000, line, -1));
  window = fw_test_ui_open_window ();
  fw_test_ui_add_items (window, "test:web", items);

  view = FW_ITEM_VIEW (fw_test_ui_find_widget (GTK_WIDGET (window), FW_TYPE_ITEM_VIEW));
  selection = fw_item_view_get_selection (view);
  n = g_list_model_get_n_items (G_LIST_MODEL (selection));
  g_assert_cmpuint (n, ==, 3);  /* the head row, then the two lines */
  gtk_selection_model_select_item (selection, 2, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "item-view.alert-on-line", NULL));
  fw_test_wait_until (dialog_shown, NULL, "the rule dialog");
  dialog = find_dialog ();

  g_assert_cmpstr (fw_alert_rule_dialog_get_rule_text (dialog), ==,
                   "test:web: \"GET \\\"/api?x=1\\\" failed (timeout) * [5/5] \\\\o/\"");
  /* The rule fires on the line itself, and not on a line that a pattern would take */
  rule = fw_alert_rule_parse (fw_alert_rule_dialog_get_rule_text (dialog), NULL);
  engine = fw_alert_engine_new ();
  fw_alert_engine_add_rule (engine, rule);
  other = fw_item_new (FW_ITEM_LINE, feed, g_get_real_time (), "GET \"/api?x=1\" failed (timeout) "
                       "x [5/5] \\o/", -1);
  fw_alert_engine_process (engine, other);
  g_assert_cmpuint (fw_alert_engine_get_n_fired (engine, 0), ==, 0);
  same = fw_item_new (FW_ITEM_LINE, feed, g_get_real_time (), line, -1);
  fw_alert_engine_process (engine, same);
  g_assert_cmpuint (fw_alert_engine_get_n_fired (engine, 0), ==, 1);

  g_ref_string_release (feed);
  gtk_window_destroy (GTK_WINDOW (dialog));
  fw_test_ui_close_window (window);
}

/* A feed's menu ("Alert When…") and the plot ("Alert Above This Value") open the dialog on a
 * rule made for where they were asked from */
static void
test_feed_and_plot_prefill (void)
{
  FwAlertRuleDialog *dialog;
  FwWindow *window;

  reset_settings ();
  window = fw_test_ui_open_window ();
  fw_test_ui_add_items (window, "test:log", make_history ("test:log"));

  /* A feed with readings: a limit on its first series */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.alert-when", "s",
                                             "test:log"));
  fw_test_wait_until (dialog_shown, NULL, "the rule dialog");
  dialog = find_dialog ();
  g_assert_cmpstr (fw_alert_rule_dialog_get_rule_text (dialog), ==, "test:log: cpu usage > 90");
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* The plot's value, its series and unit */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.alert-above", "(ssds)",
                                             "test:log", "cpu usage", 72.5, "%"));
  fw_test_wait_until (dialog_shown, NULL, "the rule dialog");
  dialog = find_dialog ();
  g_assert_cmpstr (fw_alert_rule_dialog_get_rule_text (dialog), ==,
                   "test:log: cpu usage > 72.5%");
  fw_test_wait_until (preview_counted, dialog, "the preview's count");
  g_assert_cmpint (fw_alert_rule_dialog_get_preview_count (dialog), >, 0);
  gtk_window_destroy (GTK_WINDOW (dialog));

  fw_test_ui_close_window (window);
}

typedef struct
{
  GAsyncResult *result;
} Waiter;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  ((Waiter *) user_data)->result = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return ((Waiter *) data)->result != NULL;
}

static FwAlertRulesWindow *
find_rules_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (FW_IS_ALERT_RULES_WINDOW (window))
        return FW_ALERT_RULES_WINDOW (window);
    }

  return NULL;
}

static gboolean
rules_window_shown (gpointer data)
{
  return find_rules_window () != NULL;
}

/* The rows of the window: one a rule */
static guint
count_rule_rows (GtkWidget *widget)
{
  guint n = ADW_IS_ACTION_ROW (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_rule_rows (child);

  return n;
}

static int
import_file (FwAlertRulesWindow  *rules_window,
             GFile               *file,
             GError             **error)
{
  Waiter waiter = { NULL };
  int added;

  fw_alert_rules_window_import_async (rules_window, file, NULL, on_done, &waiter);
  fw_test_wait_until (has_result, &waiter, "the import");
  added = fw_alert_rules_window_import_finish (rules_window, waiter.result, error);
  g_object_unref (waiter.result);

  return added;
}

static void
test_export_import_round_trip (void)
{
  const char *rules[] = {
    "name=\"CPU hot\" cpu: cpu usage > 90% for 60s clear < 80%",
    "app.log: /timeout|refused/ rate > 5 in 60s",
    "sse:*: silence 30s",
    "state failed for 10s",
    NULL,
  };
  const char *none[] = { NULL };
  g_autofree char *dir = g_dir_make_tmp ("fw-alerts-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "rules.txt", NULL);
  g_autofree char *bad_path = g_build_filename (dir, "bad.txt", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) bad = g_file_new_for_path (bad_path);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) imported = NULL;
  g_autoptr(GPtrArray) parsed = NULL;
  FwAlertRulesWindow *rules_window;
  Waiter waiter = { NULL };
  FwWindow *window;

  reset_settings ();
  g_settings_set_strv (settings, "alert-rules", rules);
  window = fw_test_ui_open_window ();
  /* The primary menu's Alert Rules…: a row a rule */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.alert-rules", NULL));
  fw_test_wait_until (rules_window_shown, NULL, "the Alert Rules window");
  rules_window = find_rules_window ();
  g_assert_cmpuint (count_rule_rows (GTK_WIDGET (rules_window)), ==, 4);

  fw_alert_rules_window_export_async (rules_window, file, NULL, on_done, &waiter);
  fw_test_wait_until (has_result, &waiter, "the export");
  g_assert_true (fw_alert_rules_window_export_finish (rules_window, waiter.result, &error));
  g_assert_no_error (error);
  g_clear_object (&waiter.result);

  /* The file is what --alerts reads: the same rules, in order */
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  parsed = fw_alert_rule_parse_lines (contents, path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (parsed->len, ==, g_strv_length ((GStrv) rules));
  for (guint i = 0; i < parsed->len; i++)
    g_assert_cmpstr (fw_alert_rule_to_string (g_ptr_array_index (parsed, i)), ==, rules[i]);

  /* Imported into no rules, they come back as they were; a second import adds nothing */
  g_settings_set_strv (settings, "alert-rules", none);
  g_assert_cmpint (import_file (rules_window, file, &error), ==, 4);
  g_assert_no_error (error);
  imported = g_settings_get_strv (settings, "alert-rules");
  g_assert_cmpstrv (imported, rules);
  g_assert_cmpint (import_file (rules_window, file, &error), ==, 0);
  g_assert_no_error (error);

  /* Remove, on a rule's row */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (rules_window), "rules.remove", "u", 1));
  g_clear_pointer (&imported, g_strfreev);
  imported = g_settings_get_strv (settings, "alert-rules");
  g_assert_cmpuint (g_strv_length (imported), ==, 3);
  g_assert_cmpstr (imported[1], ==, rules[2]);

  /* A file with a line that is no rule adds nothing, and says which line */
  g_assert_true (g_file_set_contents (bad_path, "level>=error\nwhen it rains\n", -1, NULL));
  g_settings_set_strv (settings, "alert-rules", none);
  g_assert_cmpint (import_file (rules_window, bad, &error), ==, -1);
  g_assert_error (error, FW_ALERT_RULE_ERROR, FW_ALERT_RULE_ERROR_SYNTAX);
  g_assert_nonnull (strstr (error->message, "line 2"));
  g_clear_pointer (&imported, g_strfreev);
  imported = g_settings_get_strv (settings, "alert-rules");
  g_assert_cmpuint (g_strv_length (imported), ==, 0);

  gtk_window_destroy (GTK_WINDOW (rules_window));
  fw_test_ui_close_window (window);
  g_unlink (path);
  g_unlink (bad_path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  settings = g_settings_new (APP_ID);

  g_test_add_func ("/alert-dialog/preview-counts-as-the-engine", test_preview_counts_as_the_engine);
  g_test_add_func ("/alert-dialog/rows-make-the-rule", test_rows_make_the_rule);
  g_test_add_func ("/alert-dialog/save-writes-the-setting", test_save_writes_the_setting);
  g_test_add_func ("/alert-dialog/alert-on-line-prefills", test_alert_on_line_prefills);
  g_test_add_func ("/alert-dialog/feed-and-plot-prefill", test_feed_and_plot_prefill);
  g_test_add_func ("/alert-dialog/export-import-round-trip", test_export_import_round_trip);

  status = g_test_run ();
  g_object_unref (settings);

  return status;
}
