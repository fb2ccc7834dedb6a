/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-feed-list.c: FwFeedList finds feeds by identity through appends, replaces and removes,
 * says so to its list model's watchers, and keeps each feed's plot series */

#include "config.h"

#include "fw-feed-list.h"

typedef struct
{
  guint position;
  guint removed;
  guint added;
  guint n_signals;
} Changes;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *changes)
{
  changes->position = position;
  changes->removed = removed;
  changes->added = added;
  changes->n_signals++;
}

static FwFeedRunner *
new_runner (const char *spec)
{
  g_autoptr(GError) error = NULL;
  FwFeedRunner *runner = fw_feed_runner_new (spec, &error);

  g_assert_no_error (error);
  return runner;
}

static void
test_lookup (void)
{
  g_autoptr(FwFeedList) list = fw_feed_list_new ();
  g_autoptr(FwFeedRunner) a = new_runner ("sim:sensor");
  g_autoptr(FwFeedRunner) b = new_runner ("sim:sensor?interval=5");
  g_autoptr(FwFeedRunner) c = new_runner ("sim:sensor?interval=7");
  g_autoptr(FwFeedRunner) stranger = new_runner ("sim:sensor?interval=9");
  g_autoptr(FwFeedRunner) item = NULL;
  Changes changes = { 0 };
  guint position = G_MAXUINT;

  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), &changes);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == FW_TYPE_FEED_RUNNER);

  fw_feed_list_append (list, a);
  fw_feed_list_append (list, b);
  fw_feed_list_append (list, c);
  g_assert_cmpuint (changes.n_signals, ==, 3);
  g_assert_cmpuint (changes.position, ==, 2);
  g_assert_cmpuint (changes.added, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);
  item = g_list_model_get_item (G_LIST_MODEL (list), 1);
  g_assert_true (item == b);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), 3));

  g_assert_true (fw_feed_list_lookup (list, fw_feed_runner_get_spec (c), &position) == c);
  g_assert_cmpuint (position, ==, 2);
  g_assert_null (fw_feed_list_lookup (list, "sim:nothing", NULL));
  g_assert_null (fw_feed_list_lookup (list, NULL, NULL));
  g_assert_true (fw_feed_list_contains (list, a));
  g_assert_false (fw_feed_list_contains (list, stranger));

  /* A removal moves the later feeds up: their positions follow */
  fw_feed_list_remove (list, 0);
  g_assert_cmpuint (changes.position, ==, 0);
  g_assert_cmpuint (changes.removed, ==, 1);
  g_assert_cmpuint (changes.added, ==, 0);
  g_assert_null (fw_feed_list_lookup (list, fw_feed_runner_get_spec (a), NULL));
  g_assert_false (fw_feed_list_contains (list, a));
  g_assert_true (fw_feed_list_lookup (list, fw_feed_runner_get_spec (c), &position) == c);
  g_assert_cmpuint (position, ==, 1);

  /* A replaced feed is found by its new identity only, in the old one's place */
  fw_feed_list_replace (list, 0, stranger);
  g_assert_cmpuint (changes.position, ==, 0);
  g_assert_cmpuint (changes.removed, ==, 1);
  g_assert_cmpuint (changes.added, ==, 1);
  g_assert_null (fw_feed_list_lookup (list, fw_feed_runner_get_spec (b), NULL));
  g_assert_true (fw_feed_list_lookup (list, fw_feed_runner_get_spec (stranger), &position) ==
                 stranger);
  g_assert_cmpuint (position, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
}

/* Feeds made in code may share an identity: the first in the list is the one found, and the
 * other is found once the first goes. */
static void
test_same_identity (void)
{
  g_autoptr(FwFeedList) list = fw_feed_list_new ();
  g_autoptr(FwFeedRunner) first = new_runner ("sim:sensor");
  g_autoptr(FwFeedRunner) second = new_runner ("sim:sensor");
  guint position = G_MAXUINT;

  fw_feed_list_append (list, first);
  fw_feed_list_append (list, second);
  g_assert_true (fw_feed_list_lookup (list, "sim:sensor", &position) == first);
  g_assert_cmpuint (position, ==, 0);

  fw_feed_list_remove (list, 0);
  g_assert_true (fw_feed_list_lookup (list, "sim:sensor", &position) == second);
  g_assert_cmpuint (position, ==, 0);
}

static void
test_series (void)
{
  g_autoptr(FwFeedList) list = fw_feed_list_new ();
  g_autoptr(FwFeedRunner) runner = new_runner ("sim:sensor");
  g_autoptr(FwFeedRunner) other = new_runner ("sim:sensor?interval=5");
  g_autoptr(GRefString) feed = g_ref_string_new (fw_feed_runner_get_spec (runner));
  g_autoptr(FwItem) temp = fw_item_new_reading (feed, 1, "temp", 21.5, "°C");
  g_autoptr(FwItem) load = fw_item_new_reading (feed, 2, "load", 0.5, NULL);
  g_autoptr(FwItem) unnamed = fw_item_new_reading (feed, 3, NULL, 1, NULL);
  gboolean created = FALSE;
  FwSeries *series;
  GPtrArray *all;

  fw_feed_list_append (list, runner);
  fw_feed_list_append (list, other);
  g_assert_null (fw_feed_list_get_series (list, fw_feed_runner_get_spec (runner)));

  series = fw_feed_list_series_for (list, runner, temp, &created);
  g_assert_true (created);
  g_assert_cmpstr (fw_series_get_name (series), ==, "temp");
  g_assert_cmpstr (fw_series_get_unit (series), ==, "°C");
  g_assert_true (fw_feed_list_series_for (list, runner, temp, &created) == series);
  g_assert_false (created);
  fw_feed_list_series_for (list, runner, load, NULL);
  /* A reading without a name is the feed's own: named after it */
  series = fw_feed_list_series_for (list, runner, unnamed, &created);
  g_assert_true (created);
  g_assert_cmpstr (fw_series_get_name (series), ==, fw_feed_runner_get_title (runner));

  /* In the order their readings first came; another feed's are its own */
  all = fw_feed_list_get_series (list, fw_feed_runner_get_spec (runner));
  g_assert_nonnull (all);
  g_assert_cmpuint (all->len, ==, 3);
  g_assert_cmpstr (fw_series_get_name (g_ptr_array_index (all, 0)), ==, "temp");
  g_assert_cmpstr (fw_series_get_name (g_ptr_array_index (all, 1)), ==, "load");
  g_assert_null (fw_feed_list_get_series (list, fw_feed_runner_get_spec (other)));

  /* Its series go with the feed */
  fw_feed_list_remove (list, 0);
  g_assert_null (fw_feed_list_get_series (list, fw_feed_runner_get_spec (runner)));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/feed-list/lookup", test_lookup);
  g_test_add_func ("/feed-list/same-identity", test_same_identity);
  g_test_add_func ("/feed-list/series", test_series);

  return g_test_run ();
}
