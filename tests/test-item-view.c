/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-item-view.c: FwItemView on its own, through its public API: it follows the newest row as
 * items come in, holds still while paused and catches up when resumed; its properties notify
 * only on change; the feed filter and a narrow view hide the Feed column; starting a search
 * shows the search bar with the focus in its entry. Runs under Xvfb. */

#include "config.h"

#include "fw-item-view.h"
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
#undef ADD

  return g_test_run ();
}
