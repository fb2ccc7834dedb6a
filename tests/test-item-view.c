/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-item-view.c: FwItemView on its own, through its public API: it follows the newest row as
 * items come in, holds still while paused and catches up when resumed; its properties notify
 * only on change; the feed filter and a narrow view hide the Feed column; starting a search
 * shows the search bar with the focus in its entry; selecting rows opens the details pane,
 * copies them (as text or as --print's JSON Lines) and filters on them from the context
 * menu, and the selection keeps to its rows while the history drops its oldest. Runs under
 * Xvfb. */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "fw-cell-text.h"
#include "fw-item-details.h"
#include "fw-item-view.h"
#include "fw-websocket-source.h"
#include "fw-test-ui.h"
#include "fw-test-util.h"
#include "fw-window.h"

typedef struct
{
  GtkWindow  *window;
  FwItemView *view;
  FwHistory  *history;
  guint       frames;
  guint       tick_id;
} Fixture;

static gboolean
count_frame (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  (*(guint *) user_data)++;
  return G_SOURCE_CONTINUE;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + FW_TEST_DEADLINE_MS * G_TIME_SPAN_MILLISECOND;

  f->history = fw_history_new (100000);
  f->view = FW_ITEM_VIEW (fw_item_view_new ());
  fw_item_view_set_history (f->view, f->history);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 800, 600);
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
  gtk_window_present (f->window);
  while (!gtk_widget_get_mapped (GTK_WIDGET (f->view)))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  /* Frames keep coming while the test waits, so no wait blocks past its deadline */
  f->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (f->window), count_frame, &f->frames,
                                             NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  GWeakRef weak;
  g_autoptr(GObject) alive = NULL;

  g_weak_ref_init (&weak, f->view);
  gtk_widget_remove_tick_callback (GTK_WIDGET (f->window), f->tick_id);
  gtk_window_destroy (f->window);
  fw_test_iterate_idle ();
  alive = g_weak_ref_get (&weak);
  g_assert_null (alive);
  g_weak_ref_clear (&weak);
  g_object_unref (f->history);
}

static void
append_lines (Fixture *f,
              guint    n)
{
  g_autoptr(GPtrArray) items = fw_test_make_lines ("test:view", n);

  fw_history_append (f->history, (FwItem **) items->pdata, items->len);
  fw_item_view_queue_publish (f->view);
}

static GtkAdjustment *
vadjustment (Fixture *f)
{
  return gtk_scrolled_window_get_vadjustment (fw_item_view_get_scroller (f->view));
}

static gboolean
at_newest_row (Fixture *f)
{
  GtkAdjustment *adj = vadjustment (f);

  /* What is published is all there is (the head row and the items), and the view shows its end */
  return fw_history_get_n_unseen (f->history) == 0 &&
         g_list_model_get_n_items (G_LIST_MODEL (f->history)) ==
           fw_history_get_n_stored (f->history) &&
         gtk_adjustment_get_upper (adj) > gtk_adjustment_get_page_size (adj) &&
         gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) >=
           gtk_adjustment_get_upper (adj) - 1;
}

/* Waits until the view has laid out the rows published and shows the newest, further down
 * than @from */
static void
wait_for_newest_row (Fixture *f,
                     double   from)
{
  gint64 deadline = g_get_monotonic_time () + FW_TEST_DEADLINE_MS * G_TIME_SPAN_MILLISECOND;

  while (!at_newest_row (f) || gtk_adjustment_get_value (vadjustment (f)) <= from)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
wait_frames (Fixture *f,
             guint    n)
{
  guint until = f->frames + n;

  fw_test_wait_for_count (&f->frames, until);
}

static void
count_notify (guint *counter)
{
  (*counter)++;
}

static void
test_follows_unless_paused (Fixture       *f,
                            gconstpointer  data)
{
  guint following_changed = 0;
  double held;

  g_signal_connect_swapped (f->view, "notify::following", G_CALLBACK (count_notify),
                            &following_changed);

  /* Items come in: the view shows the newest */
  append_lines (f, 2000);
  wait_for_newest_row (f, 0);
  g_assert_true (fw_item_view_get_following (f->view));

  /* Paused: the rows hold still, what comes in is counted, not shown */
  fw_item_view_set_paused (f->view, TRUE);
  g_assert_false (fw_item_view_get_following (f->view));
  g_assert_cmpuint (following_changed, ==, 1);
  held = gtk_adjustment_get_value (vadjustment (f));
  append_lines (f, 300);
  wait_frames (f, 4);
  g_assert_cmpuint (fw_history_get_n_unseen (f->history), ==, 300);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment (f)), ==, held);

  /* Resumed: the new rows are shown and the view is at the newest again */
  fw_item_view_set_paused (f->view, FALSE);
  g_assert_true (fw_item_view_get_following (f->view));
  g_assert_cmpuint (following_changed, ==, 2);
  wait_for_newest_row (f, held);
  held = gtk_adjustment_get_value (vadjustment (f));
  append_lines (f, 100);
  wait_for_newest_row (f, held);
}

static GtkColumnViewColumn *
find_column (GtkWidget  *widget,
             const char *title)
{
  if (GTK_IS_COLUMN_VIEW (widget))
    {
      GListModel *columns = gtk_column_view_get_columns (GTK_COLUMN_VIEW (widget));

      for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
        {
          g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

          if (g_strcmp0 (gtk_column_view_column_get_title (column), title) == 0)
            return column;
        }
      return NULL;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkColumnViewColumn *found = find_column (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_properties (Fixture       *f,
                 gconstpointer  data)
{
  GtkColumnViewColumn *feed_column = find_column (GTK_WIDGET (f->view), "Feed");
  guint feed_changed = 0, paused_changed = 0, compact_changed = 0;
  g_autofree char *feed = NULL;
  gboolean paused = FALSE;

  g_assert_nonnull (feed_column);
  g_signal_connect_swapped (f->view, "notify::feed", G_CALLBACK (count_notify), &feed_changed);
  g_signal_connect_swapped (f->view, "notify::paused", G_CALLBACK (count_notify),
                            &paused_changed);
  g_signal_connect_swapped (f->view, "notify::compact", G_CALLBACK (count_notify),
                            &compact_changed);
  g_assert_true (gtk_column_view_column_get_visible (feed_column));

  /* One feed shown: the history filters on it, and the Feed column goes */
  fw_item_view_set_feed (f->view, "test:view");
  fw_item_view_set_feed (f->view, "test:view");
  g_assert_cmpuint (feed_changed, ==, 1);
  g_assert_cmpstr (fw_history_get_feed (f->history), ==, "test:view");
  g_assert_false (gtk_column_view_column_get_visible (feed_column));
  g_object_get (f->view, "feed", &feed, NULL);
  g_assert_cmpstr (feed, ==, "test:view");
  fw_item_view_set_feed (f->view, NULL);
  g_assert_cmpuint (feed_changed, ==, 2);
  g_assert_null (fw_history_get_feed (f->history));
  g_assert_true (gtk_column_view_column_get_visible (feed_column));

  /* A narrow view leaves it out too */
  g_object_set (f->view, "compact", TRUE, NULL);
  g_object_set (f->view, "compact", TRUE, NULL);
  g_assert_cmpuint (compact_changed, ==, 1);
  g_assert_false (gtk_column_view_column_get_visible (feed_column));
  g_object_set (f->view, "compact", FALSE, NULL);
  g_assert_true (gtk_column_view_column_get_visible (feed_column));

  /* Pausing freezes the history */
  fw_item_view_set_paused (f->view, TRUE);
  fw_item_view_set_paused (f->view, TRUE);
  g_assert_cmpuint (paused_changed, ==, 1);
  g_assert_true (fw_history_get_frozen (f->history));
  g_object_get (f->view, "paused", &paused, NULL);
  g_assert_true (paused);
  fw_item_view_jump_to_live (f->view);
  g_assert_cmpuint (paused_changed, ==, 2);
  g_assert_false (fw_item_view_get_paused (f->view));
  g_assert_false (fw_history_get_frozen (f->history));
}

static void
test_start_search (Fixture       *f,
                   gconstpointer  data)
{
  guint search_changed = 0;
  gboolean search_mode = TRUE;
  GtkWidget *focus;
  gint64 deadline;

  g_signal_connect_swapped (f->view, "notify::search-mode", G_CALLBACK (count_notify),
                            &search_changed);
  g_object_get (f->view, "search-mode", &search_mode, NULL);
  g_assert_false (search_mode);

  fw_item_view_start_search (f->view);
  g_object_get (f->view, "search-mode", &search_mode, NULL);
  g_assert_true (search_mode);
  g_assert_cmpuint (search_changed, ==, 1);
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_nonnull (focus);
  g_assert_nonnull (gtk_widget_get_ancestor (focus, GTK_TYPE_SEARCH_ENTRY));

  /* What is typed searches the history */
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_ancestor (focus, GTK_TYPE_SEARCH_ENTRY)),
                         "42");
  deadline = g_get_monotonic_time () + FW_TEST_DEADLINE_MS * G_TIME_SPAN_MILLISECOND;
  while (g_strcmp0 (fw_history_get_search (f->history), "42") != 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }

  g_object_set (f->view, "search-mode", FALSE, NULL);
  g_assert_cmpuint (search_changed, ==, 2);

  /* Esc in the entry (its stop-search) closes the search */
  fw_item_view_start_search (f->view);
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_signal_emit_by_name (gtk_widget_get_ancestor (focus, GTK_TYPE_SEARCH_ENTRY), "stop-search");
  g_object_get (f->view, "search-mode", &search_mode, NULL);
  g_assert_false (search_mode);
}

/* ---------------------------------------------------------------------------------------- */
/* Selection, the details pane, copy */

static void
append_items (Fixture *f,
              FwItem  *first,
              ...)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  va_list args;

  gint64 now = g_get_real_time ();

  /* They arrive in the order given (C evaluates the arguments that made them in any order),
   * and a frame's rows show in the order of their times */
  va_start (args, first);
  for (FwItem *item = first; item != NULL; item = va_arg (args, FwItem *))
    {
      item->time_us = now + items->len;
      g_ptr_array_add (items, item);
    }
  va_end (args);
  fw_history_append (f->history, (FwItem **) items->pdata, items->len);
  fw_item_view_queue_publish (f->view);
}

static FwItem *
new_line (const char *feed,
          const char *text)
{
  g_autoptr(GRefString) name = fw_ref_string_intern (feed);

  return fw_item_new (FW_ITEM_LINE, name, g_get_real_time (), text, -1);
}

/* The rows published: the head row and @n items */
static void
wait_for_rows (Fixture *f,
               guint    n)
{
  GtkSelectionModel *selection = fw_item_view_get_selection (f->view);
  gint64 deadline = g_get_monotonic_time () + FW_TEST_DEADLINE_MS * G_TIME_SPAN_MILLISECOND;

  while (g_list_model_get_n_items (G_LIST_MODEL (selection)) != n + 1 ||
         fw_history_get_filtering (f->history))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static char *
details_text (Fixture    *f,
              const char *section)
{
  return fw_item_details_get_shown_text (FW_ITEM_DETAILS (fw_item_view_get_details (f->view)),
                                         section);
}

static GtkLabel *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return GTK_LABEL (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* What the clipboard holds, read back as another application would */
static char *
read_clipboard (Fixture *f)
{
  return fw_test_ui_read_clipboard (GTK_WIDGET (f->view));
}

static char *
copy_rows (Fixture    *f,
           const char *action)
{
  /* Something else first, so a copy that does nothing cannot pass for one that works */
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (f->view)), "(before)");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), action, NULL));
  return read_clipboard (f);
}

static void
test_details_json_item (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new ("long line with a bell \a:");
  GVariantBuilder fields;
  GtkWidget *details = fw_item_view_get_details (f->view);
  FwItem *item, *before;
  g_autofree char *shown_text = NULL, *shown_fields = NULL, *level = NULL, *id = NULL;
  g_autofree char *feed = NULL, *written = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object, *user;

  while (text->len < 8192)
    g_string_append (text, " lorem ipsum dolor sit amet");
  item = new_line ("test:json", text->str);
  fw_item_set_level (item, FW_LEVEL_WARNING);
  fw_item_set_id (item, "ev-7");
  item->source_time_us = 1000000;
  g_variant_builder_init (&fields, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&fields, "{sv}", "host", g_variant_new_string ("db1"));
  g_variant_builder_add (&fields, "{sv}", "n", g_variant_new_int64 (3));
  /* A nested object is kept as its JSON text (fw-json-item.c) */
  g_variant_builder_add (&fields, "{sv}", "user",
                         g_variant_new_string ("{\"name\":\"ann\",\"roles\":[1,2]}"));
  fw_item_take_fields (item, g_variant_builder_end (&fields));
  /* A frame's rows show in the order of their times: "before" was written first */
  before = new_line ("test:json", "before");
  before->source_time_us = 1;
  append_items (f, before, item, NULL);
  wait_for_rows (f, 2);
  g_assert_false (gtk_widget_get_visible (details));

  /* Selecting the row opens the pane on it, and holds the view still */
  gtk_selection_model_select_item (fw_item_view_get_selection (f->view), 2, TRUE);
  g_assert_true (gtk_widget_get_visible (details));
  g_assert_true (fw_item_view_get_paused (f->view));

  /* The whole text, wrapped, its bell made visible */
  shown_text = details_text (f, "text");
  g_assert_nonnull (shown_text);
  g_assert_cmpuint (strlen (shown_text), ==, text->len - 1 + strlen ("␇"));
  g_assert_true (g_str_has_prefix (shown_text, "long line with a bell ␇:"));
  g_assert_true (g_str_has_suffix (shown_text, text->str + text->len - 40));
  {
    GtkLabel *label = find_label (details, shown_text);

    g_assert_nonnull (label);
    g_assert_true (gtk_label_get_wrap (label));
    g_assert_true (gtk_label_get_selectable (label));
    g_assert_false (gtk_label_get_use_markup (label));
    g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (label)));
  }

  /* Every field it has */
  level = details_text (f, "level");
  id = details_text (f, "id");
  feed = details_text (f, "feed");
  written = details_text (f, "written");
  g_assert_cmpstr (level, ==, "warning");
  g_assert_cmpstr (id, ==, "ev-7");
  g_assert_cmpstr (feed, ==, "test:json");
  g_assert_nonnull (written);
  g_assert_true (strstr (written, ":01.000000") != NULL);

  /* Its fields as JSON, with their keys; the nested object as JSON, not as a string */
  shown_fields = details_text (f, "fields");
  g_assert_nonnull (shown_fields);
  g_assert_nonnull (strstr (shown_fields, "\n  \"host\": \"db1\""));
  json_parser_load_from_data (parser, shown_fields, -1, &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "host"), ==, "db1");
  g_assert_cmpint (json_object_get_int_member (object, "n"), ==, 3);
  user = json_object_get_object_member (object, "user");
  g_assert_nonnull (user);
  g_assert_cmpstr (json_object_get_string_member (user, "name"), ==, "ann");
  g_assert_null (details_text (f, "data"));

  /* Closing the pane hides it; the selection stays */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "item-view.close-details",
                                             NULL));
  g_assert_false (gtk_widget_get_visible (details));
  g_assert_true (gtk_selection_model_is_selected (fw_item_view_get_selection (f->view), 2));
}

static void
test_details_binary_item (Fixture       *f,
                          gconstpointer  data)
{
  static const guint8 payload[] = { 'H', 'i', 0x00, 0x01, 0xff, 0x7f, ' ', '~', 'z', 0x80 };
  g_autoptr(GRefString) feed = fw_ref_string_intern ("ws://test");
  g_autofree char *hex = NULL, *text = NULL, *json = NULL;
  g_autoptr(GString) expected = g_string_new (NULL);
  FwItem *item = fw_websocket_item_new_binary (feed, g_get_real_time (), payload,
                                               sizeof payload);

  g_string_append (expected, "{\"feed\":\"ws://test\"");
  append_items (f, item, NULL);
  wait_for_rows (f, 1);
  gtk_selection_model_select_item (fw_item_view_get_selection (f->view), 1, TRUE);

  /* A hex view of the whole payload; no text or fields besides it */
  hex = details_text (f, "data");
  g_assert_cmpstr (hex, ==,
                   "00000000  48 69 00 01 ff 7f 20 7e  Hi.... ~\n"
                   "00000008  7a 80                    z.");
  text = details_text (f, "text");
  g_assert_null (text);
  g_assert_null (details_text (f, "fields"));

  /* Copy as JSON carries the payload as --print does, in base64 */
  json = copy_rows (f, "item-view.copy-json");
  g_assert_true (g_str_has_prefix (json, expected->str));
  g_assert_true (g_str_has_suffix (json, ",\"data\":\"SGkAAf9/IH56gA==\"}"));
  /* once: the one JSON writer writes it */
  g_assert_null (strstr (strstr (json, "\"data\"") + 1, "\"data\""));
}

static void
test_copy (Fixture       *f,
           gconstpointer  data)
{
  GtkSelectionModel *selection = fw_item_view_get_selection (f->view);
  g_autofree char *text = NULL, *json = NULL;
  g_autoptr(GString) expected = g_string_new (NULL);
  /* made in order: a frame's rows show in the order of their times */
  FwItem *first = new_line ("test:copy", "first \"row\"");
  FwItem *second = new_line ("test:copy", "second");
  FwItem *third = new_line ("test:copy", "third\trow");

  fw_item_set_level (third, FW_LEVEL_ERROR);
  append_items (f, first, second, third, NULL);
  /* --print's lines for the two rows, written by the one JSON writer */
  fw_item_append_json (first, expected);
  g_string_append_c (expected, '\n');
  fw_item_append_json (third, expected);
  wait_for_rows (f, 3);

  /* Nothing selected: nothing to copy */
  {
    g_autofree char *unchanged = copy_rows (f, "item-view.copy");

    g_assert_cmpstr (unchanged, ==, "(before)");
  }

  gtk_selection_model_select_item (selection, 1, TRUE);
  gtk_selection_model_select_item (selection, 3, FALSE);
  text = copy_rows (f, "item-view.copy");
  g_assert_cmpstr (text, ==, "first \"row\"\nthird\trow");
  json = copy_rows (f, "item-view.copy-json");
  g_assert_cmpstr (json, ==, expected->str);
}

static void
test_context_menu_filters (Fixture       *f,
                           gconstpointer  data)
{
  GtkSelectionModel *selection = fw_item_view_get_selection (f->view);
  GtkWidget *list_view;
  g_autofree char *all = NULL, *warnings = NULL;
  gboolean search_mode = FALSE;
  FwItem *warning = new_line ("test:b", "b warning");

  fw_item_set_level (warning, FW_LEVEL_WARNING);
  append_items (f, new_line ("test:a", "a one"), new_line ("test:b", "b one"),
                new_line ("test:a", "a two"), warning, new_line ("test:a", "a three"), NULL);
  wait_for_rows (f, 5);

  /* Show Only This Feed on a row of test:a: the view shows test:a's rows only */
  gtk_selection_model_select_item (selection, 1, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "item-view.show-only-feed",
                                             NULL));
  g_assert_cmpstr (fw_history_get_feed (f->history), ==, "test:a");
  fw_item_view_jump_to_live (f->view);
  wait_for_rows (f, 3);

  /* Ctrl+A selects the rows the filter shows, and Copy copies exactly them */
  list_view = fw_test_ui_find_widget (GTK_WIDGET (fw_item_view_get_scroller (f->view)), GTK_TYPE_LIST_VIEW);
  g_assert_nonnull (list_view);
  g_assert_true (gtk_widget_activate_action (list_view, "list.select-all", NULL));
  all = copy_rows (f, "item-view.copy");
  g_assert_cmpstr (all, ==, "a one\na two\na three");

  /* Show Only This Level, on the warning of test:b */
  fw_item_view_set_feed (f->view, NULL);
  fw_item_view_jump_to_live (f->view);
  wait_for_rows (f, 5);
  gtk_selection_model_select_item (selection, 4, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "item-view.show-only-level",
                                             NULL));
  fw_item_view_jump_to_live (f->view);
  wait_for_rows (f, 1);
  g_assert_true (gtk_widget_activate_action (list_view, "list.select-all", NULL));
  warnings = copy_rows (f, "item-view.copy");
  g_assert_cmpstr (warnings, ==, "b warning");

  /* Search for This Text puts the row's text in the search entry */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "item-view.search-text",
                                             NULL));
  g_object_get (f->view, "search-mode", &search_mode, NULL);
  g_assert_true (search_mode);
  g_assert_cmpstr (fw_history_get_search (f->history), ==, "b warning");
}

static void
test_selection_survives_eviction (Fixture       *f,
                                  gconstpointer  data)
{
  GtkSelectionModel *selection = fw_item_view_get_selection (f->view);
  g_autoptr(GtkBitset) selected = NULL;
  g_autoptr(FwItemObject) object = NULL;
  g_autofree char *copied = NULL;
  guint kept;

  fw_history_set_capacity (f->history, 1000);
  append_lines (f, 1000);
  wait_for_newest_row (f, 0);

  /* Row "500" selected, then the view follows again and the history drops its oldest */
  gtk_selection_model_select_item (selection, 501, TRUE);
  fw_item_view_jump_to_live (f->view);
  append_lines (f, 300);
  wait_for_newest_row (f, 0);
  g_assert_cmpuint (fw_history_get_n_dropped (f->history), >=, 300);

  /* The selection moved with its row */
  selected = gtk_selection_model_get_selection (selection);
  g_assert_cmpuint (gtk_bitset_get_size (selected), ==, 1);
  kept = gtk_bitset_get_nth (selected, 0);
  object = g_list_model_get_item (G_LIST_MODEL (selection), kept);
  g_assert_true (FW_IS_ITEM_OBJECT (object));
  g_assert_cmpint (fw_test_item_number (fw_item_object_get_item (object)), ==, 500);
  copied = copy_rows (f, "item-view.copy");
  g_assert_cmpstr (copied, ==, "500");
}

/* The pane takes the size it was given (the window keeps it in GSettings), beside the rows or
 * below them on a narrow view, and a drag of its handle changes it */
static gboolean
details_laid_out (Fixture *f,
                  int      width,
                  int      height)
{
  GtkWidget *details = fw_item_view_get_details (f->view);

  return gtk_widget_get_mapped (details) &&
         (width < 0 || ABS (gtk_widget_get_width (details) - width) <= 2) &&
         (height < 0 || ABS (gtk_widget_get_height (details) - height) <= 2);
}

static void
wait_for_details (Fixture *f,
                  int      width,
                  int      height)
{
  gint64 deadline = g_get_monotonic_time () + FW_TEST_DEADLINE_MS * G_TIME_SPAN_MILLISECOND;

  while (!details_laid_out (f, width, height))
    {
      if (g_get_monotonic_time () >= deadline)
        g_test_message ("details pane: %d × %d, mapped %d; wanted %d × %d",
                        gtk_widget_get_width (fw_item_view_get_details (f->view)),
                        gtk_widget_get_height (fw_item_view_get_details (f->view)),
                        gtk_widget_get_mapped (fw_item_view_get_details (f->view)), width, height);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
test_details_size (Fixture       *f,
                   gconstpointer  data)
{
  GtkWidget *details = fw_item_view_get_details (f->view);
  GtkPaned *paned = GTK_PANED (gtk_widget_get_parent (details));
  int width = 0;

  g_object_set (f->view, "details-width", 300, "details-height", 200, NULL);
  append_lines (f, 10);
  wait_for_rows (f, 10);
  gtk_selection_model_select_item (fw_item_view_get_selection (f->view), 3, TRUE);
  wait_for_details (f, 300, -1);

  /* Dragged 50 px wider: the new width is the one kept */
  gtk_paned_set_position (paned, gtk_paned_get_position (paned) - 50);
  g_object_get (f->view, "details-width", &width, NULL);
  g_assert_cmpint (ABS (width - 350), <=, 2);
  wait_for_details (f, 350, -1);

  /* A narrow view puts it below the rows, at its own height */
  g_object_set (f->view, "compact", TRUE, NULL);
  g_assert_cmpint (gtk_orientable_get_orientation (GTK_ORIENTABLE (paned)), ==,
                   GTK_ORIENTATION_VERTICAL);
  wait_for_details (f, -1, 200);
  g_object_get (f->view, "details-width", &width, NULL);
  g_assert_cmpint (ABS (width - 350), <=, 2);

  /* Turned back while closed, it opens beside the rows at its width */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "item-view.close-details",
                                             NULL));
  g_object_set (f->view, "compact", FALSE, NULL);
  fw_item_view_jump_to_live (f->view);
  wait_frames (f, 2);
  gtk_selection_model_select_item (fw_item_view_get_selection (f->view), 5, TRUE);
  wait_for_details (f, 350, -1);
}

/* The right edge of the text cells on screen, in the column view's coordinates */
static void
text_cells_right (GtkWidget *widget,
                  GtkWidget *column_view,
                  double    *right)
{
  graphene_rect_t bounds;

  if (FW_IS_CELL_TEXT (widget) && gtk_widget_get_mapped (widget) &&
      gtk_widget_compute_bounds (widget, column_view, &bounds))
    *right = MAX (*right, bounds.origin.x + bounds.size.width);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    text_cells_right (child, column_view, right);
}

/* The Text column reaches the view's right edge, with the Feed column shown or left out */
static void
test_text_fills_width (Fixture       *f,
                       gconstpointer  data)
{
  GtkWidget *column_view = fw_test_ui_find_widget (GTK_WIDGET (f->view), GTK_TYPE_COLUMN_VIEW);
  GtkColumnViewColumn *feed_column = find_column (GTK_WIDGET (f->view), "Feed");
  const char *feeds[] = { NULL, "test:view", NULL };

  append_lines (f, 20);
  wait_for_rows (f, 20);
  for (guint i = 0; i < G_N_ELEMENTS (feeds); i++)
    {
      double right = 0;

      fw_item_view_set_feed (f->view, feeds[i]);
      wait_for_rows (f, 20);
      /* drawn again, so laid out again */
      wait_frames (f, 3);
      text_cells_right (column_view, column_view, &right);
      g_test_message ("feed %s: text cells end at %.0f of %d", feeds[i] ? feeds[i] : "(all)",
                      right, gtk_widget_get_width (column_view));
      g_assert_cmpfloat (right, >=, gtk_widget_get_width (column_view) - 24);
    }
  /* shown again as wide as it was */
  g_assert_cmpint (gtk_column_view_column_get_fixed_width (feed_column), ==, 150);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  fw_ui_ensure_resources ();

#define ADD(name, func) g_test_add ("/item-view/" name, Fixture, NULL, fixture_setup, func, \
                                    fixture_teardown)
  ADD ("follows-unless-paused", test_follows_unless_paused);
  ADD ("properties", test_properties);
  ADD ("start-search", test_start_search);
  ADD ("text-fills-width", test_text_fills_width);
  ADD ("details-json-item", test_details_json_item);
  ADD ("details-binary-item", test_details_binary_item);
  ADD ("copy", test_copy);
  ADD ("context-menu-filters", test_context_menu_filters);
  ADD ("selection-survives-eviction", test_selection_survives_eviction);
  ADD ("details-size", test_details_size);
#undef ADD

  return g_test_run ();
}
