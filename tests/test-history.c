/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-history.c: the live list's model (ui/fw-history.c), without a display */

#include <string.h>
#include <time.h>

#include "fw-test-util.h"
#include "../ui/fw-history.h"

static GRefString *feed_a;
static GRefString *feed_b;

static FwItem *
make_item (GRefString *feed,
           FwLevel     level,
           const char *text)
{
  FwItem *item = fw_item_new (FW_ITEM_LINE, feed, g_get_real_time (), text, -1);

  fw_item_set_level (item, level);

  return item;
}

static void
append_one (FwHistory *history,
            FwItem    *item)
{
  fw_history_append (history, &item, 1);
  fw_item_unref (item);
}

static void
append_lines (FwHistory *history,
              guint      first,
              guint      n)
{
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);

  for (guint i = first; i < first + n; i++)
    {
      char text[32];

      g_snprintf (text, sizeof text, "line %u", i);
      g_ptr_array_add (batch, make_item (feed_a, FW_LEVEL_INFO, text));
    }
  fw_history_append (history, (FwItem **) batch->pdata, batch->len);
}

static FwItem *
model_item (FwHistory *history,
            guint      position)
{
  g_autoptr(FwItemObject) object = g_list_model_get_item (G_LIST_MODEL (history), position);

  g_assert_nonnull (object);

  return fw_item_object_get_item (object);
}

static guint
model_number (FwHistory *history,
              guint      position)
{
  const char *text = model_item (history, position)->text;

  g_assert_true (g_str_has_prefix (text, "line "));

  return (guint) g_ascii_strtoull (text + 5, NULL, 10);
}

/* A view's picture of the model, built only from items-changed, as GTK builds it. */
typedef struct
{
  FwHistory *history;
  GPtrArray *items;
  guint      n_signals;
  guint      last_position, last_removed, last_added;
} Mirror;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Mirror     *mirror)
{
  g_assert_cmpuint (position + removed, <=, mirror->items->len);
  g_assert_cmpuint (mirror->items->len - removed + added, ==, g_list_model_get_n_items (model));

  mirror->n_signals++;
  mirror->last_position = position;
  mirror->last_removed = removed;
  mirror->last_added = added;

  g_ptr_array_remove_range (mirror->items, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (mirror->items, position + i,
                        fw_item_ref (model_item (FW_HISTORY (model), position + i)));
}

static void
mirror_init (Mirror    *mirror,
             FwHistory *history)
{
  memset (mirror, 0, sizeof *mirror);
  mirror->history = history;
  mirror->items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  g_signal_connect (history, "items-changed", G_CALLBACK (on_items_changed), mirror);
}

static void
mirror_clear (Mirror *mirror)
{
  g_signal_handlers_disconnect_by_data (mirror->history, mirror);
  g_ptr_array_unref (mirror->items);
}

/* Every position the view knows must still answer, with the item the view was told about. */
static void
mirror_check (Mirror *mirror)
{
  GListModel *model = G_LIST_MODEL (mirror->history);

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, mirror->items->len);
  for (guint i = 0; i < mirror->items->len; i++)
    g_assert_true (model_item (mirror->history, i) == g_ptr_array_index (mirror->items, i));
  g_assert_null (g_list_model_get_item (model, mirror->items->len));
}

static void
wait_filtered (FwHistory *history)
{
  gint64 deadline = g_get_monotonic_time () + FW_TEST_DEADLINE_MS * 1000;

  while (fw_history_get_filtering (history))
    {
      g_main_context_iteration (NULL, TRUE);
      if (g_get_monotonic_time () > deadline)
        g_error ("filtering did not end");
    }
}

static void
test_append_cap (void)
{
  g_autoptr(FwHistory) history = fw_history_new (1000);
  Mirror mirror;

  mirror_init (&mirror, history);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (history)) == FW_TYPE_ITEM_OBJECT);

  append_lines (history, 0, 600);
  /* Nothing published before the flush */
  g_assert_cmpuint (mirror.n_signals, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);
  fw_history_flush (history);
  g_assert_cmpuint (mirror.n_signals, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 600);

  append_lines (history, 600, 1900);
  g_assert_cmpuint (fw_history_get_n_total (history), ==, 2500);
  g_assert_cmpuint (fw_history_get_n_dropped (history), ==, 1500);
  g_assert_cmpuint (fw_history_get_n_stored (history), ==, 1000);
  g_assert_cmpuint (fw_history_get_n_matches (history), ==, 1000);

  /* The 600 shown were all evicted: removed in one frame, the new ones added in the next,
   * never a replacement (GtkListView fetches every item of one) */
  g_assert_true (fw_history_flush (history));
  g_assert_cmpuint (mirror.n_signals, ==, 2);
  g_assert_cmpuint (mirror.last_removed, ==, 600);
  g_assert_cmpuint (mirror.last_added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);
  g_assert_false (fw_history_flush (history));
  g_assert_cmpuint (mirror.n_signals, ==, 3);
  g_assert_cmpuint (mirror.last_removed, ==, 0);
  g_assert_cmpuint (mirror.last_added, ==, 1000);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 1000);
  for (guint i = 0; i < 1000; i++)
    g_assert_cmpuint (model_number (history, i), ==, 1500 + i);
  mirror_check (&mirror);

  /* Shrinking drops the oldest, counted as dropped */
  fw_history_set_capacity (history, 100);
  g_assert_cmpuint (fw_history_get_capacity (history), ==, 100);
  g_assert_cmpuint (fw_history_get_n_dropped (history), ==, 2400);
  g_assert_cmpuint (fw_history_get_n_stored (history), ==, 100);
  while (fw_history_flush (history))
    ;
  mirror_check (&mirror);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 100);
  g_assert_cmpuint (model_number (history, 0), ==, 2400);

  /* Growing keeps everything */
  fw_history_set_capacity (history, 5000);
  append_lines (history, 2500, 1000);
  fw_history_flush (history);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 1100);
  g_assert_cmpuint (model_number (history, 0), ==, 2400);
  g_assert_cmpuint (model_number (history, 1099), ==, 3499);
  mirror_check (&mirror);

  {
    guint64 total, dropped;
    guint matches;

    g_object_get (history, "n-total", &total, "n-dropped", &dropped, "n-matches", &matches, NULL);
    g_assert_cmpuint (total, ==, 3500);
    g_assert_cmpuint (dropped, ==, 2400);
    g_assert_cmpuint (matches, ==, 1100);
  }

  mirror_clear (&mirror);
}

static void
count_items_changed (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     guint      *count)
{
  (*count)++;
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_one_signal_per_flush (void)
{
  g_autoptr(FwHistory) history = fw_history_new (FW_HISTORY_DEFAULT_CAPACITY);
  g_autoptr(FwItem) item = make_item (feed_a, FW_LEVEL_INFO, "same");
  guint n_total_notifies = 0;
  Mirror mirror;

  mirror_init (&mirror, history);
  g_signal_connect (history, "notify::n-total", G_CALLBACK (count_notify), &n_total_notifies);

  for (guint i = 0; i < 100000; i++)
    fw_history_append (history, &item, 1);
  g_assert_cmpuint (mirror.n_signals, ==, 0);
  g_assert_cmpuint (n_total_notifies, ==, 0);

  g_assert_false (fw_history_flush (history));
  g_assert_cmpuint (mirror.n_signals, ==, 1);
  g_assert_cmpuint (mirror.last_position, ==, 0);
  g_assert_cmpuint (mirror.last_removed, ==, 0);
  g_assert_cmpuint (mirror.last_added, ==, 100000);
  g_assert_cmpuint (n_total_notifies, ==, 1);

  /* A flush with nothing new says nothing */
  fw_history_flush (history);
  g_assert_cmpuint (mirror.n_signals, ==, 1);
  g_assert_cmpuint (n_total_notifies, ==, 1);

  /* Another 100,000 over a full ring: everything shown is gone, one signal a flush, removal
   * first */
  for (guint i = 0; i < 100000; i++)
    fw_history_append (history, &item, 1);
  g_assert_true (fw_history_flush (history));
  g_assert_cmpuint (mirror.n_signals, ==, 2);
  g_assert_cmpuint (mirror.last_removed, ==, 100000);
  g_assert_cmpuint (mirror.last_added, ==, 0);
  g_assert_false (fw_history_flush (history));
  g_assert_cmpuint (mirror.n_signals, ==, 3);
  g_assert_cmpuint (mirror.last_added, ==, 100000);
  g_assert_cmpuint (fw_history_get_n_dropped (history), ==, 100000);

  /* Partial turnover: each flush emits at most one signal and the model catches up */
  for (guint round = 0; round < 20; round++)
    {
      guint before = mirror.n_signals;

      for (guint i = 0; i < 30000; i++)
        fw_history_append (history, &item, 1);
      fw_history_flush (history);
      g_assert_cmpuint (mirror.n_signals, <=, before + 1);
    }
  while (fw_history_flush (history))
    ;
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 100000);
  mirror_check (&mirror);

  mirror_clear (&mirror);
}

/* The test's own model of the history, to compare against. */
typedef struct
{
  GPtrArray *stored;
  guint      capacity;
  guint      level_mask;
  char      *feed;
  char      *needle;  /* lowercase */
  GRegex    *regex;
} Expect;

static gboolean
expect_matches (Expect *expect,
                FwItem *item)
{
  if (!(expect->level_mask & (1u << item->level)))
    return FALSE;
  if (expect->feed != NULL && g_strcmp0 (expect->feed, item->feed) != 0)
    return FALSE;
  if (expect->needle != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (item->text, -1);

      return strstr (lower, expect->needle) != NULL;
    }
  if (expect->regex != NULL)
    return g_regex_match (expect->regex, item->text, 0, NULL);
  return TRUE;
}

static void
expect_trim (Expect *expect)
{
  if (expect->stored->len > expect->capacity)
    g_ptr_array_remove_range (expect->stored, 0, expect->stored->len - expect->capacity);
}

static void
expect_check (Expect    *expect,
              FwHistory *history,
              Mirror    *mirror)
{
  guint j = 0;

  for (guint i = 0; i < expect->stored->len; i++)
    {
      FwItem *item = g_ptr_array_index (expect->stored, i);

      if (!expect_matches (expect, item))
        continue;
      g_assert_cmpuint (j, <, mirror->items->len);
      g_assert_true (g_ptr_array_index (mirror->items, j) == item);
      j++;
    }
  g_assert_cmpuint (j, ==, mirror->items->len);
  g_assert_cmpuint (j, ==, fw_history_get_n_matches (history));
}

static void
test_random_mirror (void)
{
  static const char *words[] = { "foo", "BAR", "baz x3", "Foo bar", "x7 qux", "barn", "é" };
  g_autoptr(FwHistory) history = fw_history_new (500);
  g_autoptr(GPtrArray) snapshot = NULL;
  GRand *rand = g_rand_new_with_seed (g_test_rand_int ());
  Expect expect = { g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref), 500,
                    FW_HISTORY_ALL_LEVELS };
  gboolean frozen = FALSE;
  guint serial = 0;
  Mirror mirror;

  mirror_init (&mirror, history);

  for (guint step = 0; step < 3000; step++)
    {
      guint op = g_rand_int_range (rand, 0, 100);
      guint before = mirror.n_signals;
      gboolean behind;

      if (op < 55)
        {
          guint n = g_rand_int_range (rand, 0, g_rand_boolean (rand) ? 40 : 1200);
          g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);

          for (guint i = 0; i < n; i++)
            {
              g_autofree char *text = g_strdup_printf ("%s %u",
                                                       words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
                                                       serial++);
              FwItem *item = make_item (g_rand_boolean (rand) ? feed_a : feed_b,
                                        g_rand_int_range (rand, 0, FW_N_LEVELS), text);

              g_ptr_array_add (batch, item);
              g_ptr_array_add (expect.stored, fw_item_ref (item));
            }
          fw_history_append (history, (FwItem **) batch->pdata, batch->len);
          expect_trim (&expect);
        }
      else if (op < 60)
        {
          expect.capacity = g_rand_int_range (rand, 50, 1500);
          fw_history_set_capacity (history, expect.capacity);
          expect_trim (&expect);
        }
      else if (op < 70)
        {
          static const struct { const char *text; gboolean regex; } searches[] = {
            { NULL, FALSE }, { "foo", FALSE }, { "BAR", FALSE }, { "x[0-9]", TRUE },
            { "^ba", TRUE }, { "É", FALSE },
          };
          guint which = g_rand_int_range (rand, 0, G_N_ELEMENTS (searches));
          g_autoptr(GError) error = NULL;

          g_assert_true (fw_history_set_search (history, searches[which].text,
                                                searches[which].regex, &error));
          g_assert_no_error (error);
          g_clear_pointer (&expect.needle, g_free);
          g_clear_pointer (&expect.regex, g_regex_unref);
          if (searches[which].regex)
            expect.regex = g_regex_new (searches[which].text, G_REGEX_CASELESS, 0, NULL);
          else if (which == 5)
            expect.regex = g_regex_new ("é", G_REGEX_CASELESS, 0, NULL);
          else if (searches[which].text != NULL)
            expect.needle = g_ascii_strdown (searches[which].text, -1);
          g_clear_pointer (&snapshot, g_ptr_array_unref);
        }
      else if (op < 75)
        {
          FwLevel level = g_rand_int_range (rand, 0, FW_N_LEVELS);

          fw_history_set_min_level (history, level);
          expect.level_mask = FW_HISTORY_ALL_LEVELS & ~((1u << level) - 1);
          g_clear_pointer (&snapshot, g_ptr_array_unref);
        }
      else if (op < 79)
        {
          const char *feed = (const char *[]) { NULL, "a", "b" }[g_rand_int_range (rand, 0, 3)];

          fw_history_set_feed (history, feed);
          g_free (expect.feed);
          expect.feed = g_strdup (feed);
          g_clear_pointer (&snapshot, g_ptr_array_unref);
        }
      else if (op < 87)
        {
          frozen = !frozen;
          fw_history_set_frozen (history, frozen);
          g_assert_cmpuint (mirror.n_signals, <=, before + 1);
          before = mirror.n_signals;
          g_clear_pointer (&snapshot, g_ptr_array_unref);
          if (frozen)
            snapshot = g_ptr_array_copy (mirror.items, (GCopyFunc) fw_item_ref, NULL);
        }
      else if (op < 88)
        {
          fw_history_clear (history);
          g_ptr_array_set_size (expect.stored, 0);
          g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);
          before = mirror.n_signals;
          g_clear_pointer (&snapshot, g_ptr_array_unref);
        }

      wait_filtered (history);
      g_assert_cmpuint (fw_history_get_n_stored (history), <=, expect.capacity);
      g_assert_cmpuint (fw_history_get_n_stored (history), ==, expect.stored->len);

      behind = fw_history_flush (history);
      g_assert_cmpuint (mirror.n_signals, <=, before + 1);
      mirror_check (&mirror);

      if (frozen)
        {
          /* The view stands still, unless a filter change was published */
          if (snapshot != NULL)
            {
              g_assert_cmpuint (mirror.n_signals, ==, before);
              g_assert_cmpuint (snapshot->len, ==, mirror.items->len);
              for (guint i = 0; i < snapshot->len; i++)
                g_assert_true (snapshot->pdata[i] == mirror.items->pdata[i]);
            }
          else
            snapshot = g_ptr_array_copy (mirror.items, (GCopyFunc) fw_item_ref, NULL);
        }
      else
        {
          for (guint i = 0; behind; i++)
            {
              g_assert_cmpuint (i, <, 3);
              before = mirror.n_signals;
              behind = fw_history_flush (history);
              g_assert_cmpuint (mirror.n_signals, <=, before + 1);
              mirror_check (&mirror);
            }
          expect_check (&expect, history, &mirror);
          g_assert_cmpuint (fw_history_get_n_unseen (history), ==, 0);
        }
    }

  g_assert_cmpuint (fw_history_get_n_total (history), ==, serial);

  mirror_clear (&mirror);
  g_clear_pointer (&snapshot, g_ptr_array_unref);
  g_ptr_array_unref (expect.stored);
  g_free (expect.feed);
  g_free (expect.needle);
  g_clear_pointer (&expect.regex, g_regex_unref);
  g_rand_free (rand);
}

static void
test_freeze (void)
{
  g_autoptr(FwHistory) history = fw_history_new (1000);
  guint n_unseen_notifies = 0;
  guint64 unseen;
  Mirror mirror;

  mirror_init (&mirror, history);
  g_signal_connect (history, "notify::n-unseen", G_CALLBACK (count_notify), &n_unseen_notifies);

  append_lines (history, 0, 1000);
  fw_history_flush (history);
  g_assert_cmpuint (mirror.n_signals, ==, 1);

  fw_history_set_frozen (history, TRUE);
  g_assert_true (fw_history_get_frozen (history));

  /* Evicts 300 of the rows on screen: they stay valid and in place */
  append_lines (history, 1000, 300);
  g_assert_true (fw_history_flush (history));
  g_assert_cmpuint (mirror.n_signals, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 1000);
  for (guint i = 0; i < 1000; i++)
    g_assert_cmpuint (model_number (history, i), ==, i);
  mirror_check (&mirror);
  g_object_get (history, "n-unseen", &unseen, NULL);
  g_assert_cmpuint (unseen, ==, 300);
  g_assert_cmpuint (n_unseen_notifies, ==, 1);
  g_assert_cmpuint (fw_history_get_n_stored (history), ==, 1000);

  /* Unfreezing publishes one change at once; further flushes catch up */
  fw_history_set_frozen (history, FALSE);
  g_assert_cmpuint (mirror.n_signals, ==, 2);
  mirror_check (&mirror);
  while (fw_history_flush (history))
    mirror_check (&mirror);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 1000);
  for (guint i = 0; i < 1000; i++)
    g_assert_cmpuint (model_number (history, i), ==, 300 + i);
  g_assert_cmpuint (fw_history_get_n_unseen (history), ==, 0);
  mirror_check (&mirror);

  /* Frozen through a full turnover and more: the old rows stay, memory does not grow past
   * the ring plus the rows on screen */
  fw_history_set_frozen (history, TRUE);
  append_lines (history, 1300, 5000);
  fw_history_flush (history);
  g_assert_cmpuint (fw_history_get_n_stored (history), ==, 1000);
  g_assert_cmpuint (fw_history_get_n_unseen (history), ==, 5000);
  for (guint i = 0; i < 1000; i++)
    g_assert_cmpuint (model_number (history, i), ==, 300 + i);
  mirror_check (&mirror);

  /* None of them is left: removed at once, the new rows added by the next flush */
  fw_history_set_frozen (history, FALSE);
  g_assert_cmpuint (mirror.last_position, ==, 0);
  g_assert_cmpuint (mirror.last_removed, ==, 1000);
  g_assert_cmpuint (mirror.last_added, ==, 0);
  g_assert_false (fw_history_flush (history));
  g_assert_cmpuint (mirror.last_added, ==, 1000);
  for (guint i = 0; i < 1000; i++)
    g_assert_cmpuint (model_number (history, i), ==, 5300 + i);
  mirror_check (&mirror);

  mirror_clear (&mirror);
}

static GPtrArray *
make_levelled (guint n)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("%s event %u",
                                               i % 3 == 0 ? "Disk" : i % 3 == 1 ? "NET" : "cpu",
                                               i);

      g_ptr_array_add (items, make_item (i % 5 == 0 ? feed_b : feed_a, i % FW_N_LEVELS, text));
    }

  return items;
}

/* A filter change over many rows is published as a removal of all of them and, next flush,
 * an addition of the matches: a replacement would have GtkListView fetch every new item. Over
 * few rows it stays one replacement. */
static void
test_filter_change_publication (void)
{
  guint sizes[] = { 60000, 3000 };

  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      g_autoptr(FwHistory) history = fw_history_new (100000);
      g_autoptr(GPtrArray) items = make_levelled (sizes[k]);
      guint n_errors = 0;
      Mirror mirror;

      for (guint i = 0; i < items->len; i++)
        n_errors += ((FwItem *) g_ptr_array_index (items, i))->level >= FW_LEVEL_ERROR;
      mirror_init (&mirror, history);
      fw_history_append (history, (FwItem **) items->pdata, items->len);
      g_assert_false (fw_history_flush (history));
      g_assert_cmpuint (mirror.n_signals, ==, 1);

      fw_history_set_min_level (history, FW_LEVEL_ERROR);
      wait_filtered (history);
      g_assert_cmpuint (fw_history_get_n_matches (history), ==, n_errors);
      if (sizes[k] > 10000)
        {
          g_assert_true (fw_history_flush (history));
          g_assert_cmpuint (mirror.n_signals, ==, 2);
          g_assert_cmpuint (mirror.last_removed, ==, sizes[k]);
          g_assert_cmpuint (mirror.last_added, ==, 0);
          g_assert_false (fw_history_flush (history));
          g_assert_cmpuint (mirror.n_signals, ==, 3);
          g_assert_cmpuint (mirror.last_removed, ==, 0);
          g_assert_cmpuint (mirror.last_added, ==, n_errors);
        }
      else
        {
          g_assert_false (fw_history_flush (history));
          g_assert_cmpuint (mirror.n_signals, ==, 2);
          g_assert_cmpuint (mirror.last_removed, ==, sizes[k]);
          g_assert_cmpuint (mirror.last_added, ==, n_errors);
        }
      mirror_check (&mirror);
      for (guint i = 0; i < n_errors; i++)
        g_assert_cmpuint (((FwItem *) model_item (history, i))->level, >=, FW_LEVEL_ERROR);
      mirror_clear (&mirror);
    }
}

/* A search finds an item by the text of its structured fields too (a JSON message's host) */
static void
test_search_fields (void)
{
  g_autoptr(FwHistory) history = fw_history_new (100);
  g_autoptr(GError) error = NULL;
  FwItem *item = make_item (feed_a, FW_LEVEL_INFO, "login");
  GVariantBuilder fields;

  g_variant_builder_init (&fields, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&fields, "{sv}", "host", g_variant_new_string ("db-west-7"));
  g_variant_builder_add (&fields, "{sv}", "n", g_variant_new_int64 (7));
  fw_item_take_fields (item, g_variant_builder_end (&fields));
  append_one (history, item);
  append_one (history, make_item (feed_a, FW_LEVEL_INFO, "logout"));

  g_assert_true (fw_history_set_search (history, "WEST", FALSE, &error));
  wait_filtered (history);
  fw_history_flush (history);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 1);
  g_assert_cmpstr (((FwItem *) model_item (history, 0))->text, ==, "login");

  g_assert_true (fw_history_set_search (history, "west-[0-9]$", TRUE, &error));
  wait_filtered (history);
  fw_history_flush (history);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 1);

  /* keys and numbers are not text the row shows */
  g_assert_true (fw_history_set_search (history, "host", FALSE, &error));
  wait_filtered (history);
  fw_history_flush (history);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);
}

static void
test_search (void)
{
  g_autoptr(FwHistory) history = fw_history_new (10000);
  g_autoptr(GPtrArray) items = make_levelled (9000);
  g_autoptr(GError) error = NULL;
  guint n_disk = 0, n_net_7 = 0;

  fw_history_append (history, (FwItem **) items->pdata, items->len);
  for (guint i = 0; i < 9000; i++)
    {
      n_disk += i % 3 == 0;
      n_net_7 += i % 3 == 1 && i % 10 == 7;
    }

  /* Substring, any case */
  g_assert_true (fw_history_set_search (history, "dISK", FALSE, &error));
  g_assert_no_error (error);
  wait_filtered (history);
  fw_history_flush (history);
  g_assert_cmpuint (fw_history_get_n_matches (history), ==, n_disk);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, n_disk);
  g_assert_cmpstr (fw_history_get_search (history), ==, "dISK");

  /* The same search again changes nothing on screen */
  {
    guint n_signals = 0;
    gulong id = g_signal_connect (history, "items-changed", G_CALLBACK (count_items_changed),
                                  &n_signals);

    g_assert_true (fw_history_set_search (history, "dISK", FALSE, &error));
    wait_filtered (history);
    fw_history_flush (history);
    g_assert_cmpuint (n_signals, ==, 0);
    g_signal_handler_disconnect (history, id);
  }

  /* Regex, caseless */
  g_assert_true (fw_history_set_search (history, "^net .*7$", TRUE, &error));
  g_assert_no_error (error);
  wait_filtered (history);
  fw_history_flush (history);
  g_assert_cmpuint (fw_history_get_n_matches (history), ==, n_net_7);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, n_net_7);

  /* An invalid regex changes nothing */
  g_assert_false (fw_history_set_search (history, "net(", TRUE, &error));
  g_assert_error (error, G_REGEX_ERROR, G_REGEX_ERROR_UNMATCHED_PARENTHESIS);
  g_clear_error (&error);
  g_assert_cmpstr (fw_history_get_search (history), ==, "^net .*7$");
  g_assert_false (fw_history_get_filtering (history));
  fw_history_flush (history);
  g_assert_cmpuint (fw_history_get_n_matches (history), ==, n_net_7);

  /* The same pattern as plain text is just text */
  g_assert_true (fw_history_set_search (history, "net(", FALSE, &error));
  wait_filtered (history);
  fw_history_flush (history);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);

  /* New items are tested as they come */
  append_one (history, make_item (feed_a, FW_LEVEL_INFO, "a NET( b"));
  append_one (history, make_item (feed_a, FW_LEVEL_INFO, "no"));
  fw_history_flush (history);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 1);
  g_assert_cmpstr (model_item (history, 0)->text, ==, "a NET( b");

  /* Non-ASCII text, any case */
  append_one (history, make_item (feed_a, FW_LEVEL_INFO, "L'ÉCOLE est fermée"));
  g_assert_true (fw_history_set_search (history, "école", FALSE, &error));
  wait_filtered (history);
  fw_history_flush (history);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 1);

  /* A reading is found by its name */
  {
    FwItem *reading = fw_item_new_reading (feed_a, 0, "Package id 0", 41.5, "°C");

    append_one (history, reading);
    g_assert_true (fw_history_set_search (history, "package", FALSE, &error));
    wait_filtered (history);
    fw_history_flush (history);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 1);
  }

  /* No search: everything */
  g_assert_true (fw_history_set_search (history, "", FALSE, &error));
  g_assert_null (fw_history_get_search (history));
  wait_filtered (history);
  fw_history_flush (history);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 9004);
}

static void
test_level_and_feed_filters (void)
{
  g_autoptr(FwHistory) history = fw_history_new (10000);
  g_autoptr(GPtrArray) items = make_levelled (8000);
  guint per_level = 8000 / FW_N_LEVELS, n_b = 8000 / 5, n_b_error = 0;
  guint n_mask_notifies = 0;

  for (guint i = 0; i < 8000; i++)
    n_b_error += i % 5 == 0 && i % FW_N_LEVELS >= FW_LEVEL_ERROR;

  g_signal_connect (history, "notify::level-mask", G_CALLBACK (count_notify), &n_mask_notifies);
  fw_history_append (history, (FwItem **) items->pdata, items->len);

  fw_history_set_min_level (history, FW_LEVEL_WARNING);
  wait_filtered (history);
  fw_history_flush (history);
  g_assert_cmpuint (fw_history_get_n_matches (history), ==, 3 * per_level);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 3 * per_level);
  for (guint i = 0; i < 3 * per_level; i++)
    g_assert_cmpuint (model_item (history, i)->level, >=, FW_LEVEL_WARNING);
  g_assert_cmpuint (n_mask_notifies, ==, 1);

  fw_history_set_level_mask (history, 1u << FW_LEVEL_NONE | 1u << FW_LEVEL_DEBUG);
  wait_filtered (history);
  fw_history_flush (history);
  g_assert_cmpuint (fw_history_get_n_matches (history), ==, 2 * per_level);
  g_assert_cmpuint (fw_history_get_level_mask (history), ==, 1u << FW_LEVEL_NONE | 1u << FW_LEVEL_DEBUG);

  fw_history_set_min_level (history, FW_LEVEL_NONE);
  g_assert_cmpuint (fw_history_get_level_mask (history), ==, FW_HISTORY_ALL_LEVELS);
  wait_filtered (history);
  fw_history_flush (history);
  g_assert_cmpuint (fw_history_get_n_matches (history), ==, 8000);

  fw_history_set_feed (history, "b");
  g_assert_cmpstr (fw_history_get_feed (history), ==, "b");
  wait_filtered (history);
  fw_history_flush (history);
  g_assert_cmpuint (fw_history_get_n_matches (history), ==, n_b);
  for (guint i = 0; i < n_b; i++)
    g_assert_cmpstr (model_item (history, i)->feed, ==, "b");

  fw_history_set_min_level (history, FW_LEVEL_ERROR);
  wait_filtered (history);
  fw_history_flush (history);
  g_assert_cmpuint (fw_history_get_n_matches (history), ==, n_b_error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, n_b_error);

  fw_history_set_feed (history, "nope");
  wait_filtered (history);
  fw_history_flush (history);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);

  g_object_set (history, "feed", NULL, "level-mask", FW_HISTORY_ALL_LEVELS, NULL);
  fw_history_flush (history);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 8000);
}

#define BIG 1000000

static void
test_incremental_refilter (void)
{
  g_autoptr(FwHistory) history = fw_history_new (BIG);
  g_autoptr(GError) error = NULL;
  guint n_filtering_notifies = 0, iterations = 0, last = 0, expected = 0, shown, n_signals = 0;

  append_lines (history, 0, BIG);
  fw_history_flush (history);
  g_signal_connect (history, "items-changed", G_CALLBACK (count_items_changed), &n_signals);
  g_signal_connect (history, "notify::filtering", G_CALLBACK (count_notify), &n_filtering_notifies);

  /* Matches everything, so n-matches counts what each iteration scanned */
  g_assert_true (fw_history_set_search (history, "LINE", FALSE, &error));
  g_assert_true (fw_history_get_filtering (history));
  g_assert_cmpuint (n_filtering_notifies, ==, 1);
  g_assert_cmpuint (fw_history_get_n_matches (history), <=, FW_HISTORY_FILTER_CHUNK);
  last = fw_history_get_n_matches (history);
  while (fw_history_get_filtering (history))
    {
      guint now;

      g_assert_cmpuint (iterations, <, BIG);
      g_main_context_iteration (NULL, TRUE);
      iterations++;
      now = fw_history_get_n_matches (history);
      g_assert_cmpuint (now - last, <=, FW_HISTORY_FILTER_CHUNK);
      last = now;

      /* The view keeps its rows while the scan runs */
      if (fw_history_get_filtering (history))
        {
          fw_history_flush (history);
          g_assert_cmpuint (n_signals, ==, 0);
        }
      g_assert_cmpfloat (fw_history_get_filter_progress (history), <=, 1.0);
    }
  g_assert_cmpuint (iterations, >=, BIG / FW_HISTORY_FILTER_CHUNK - 1);
  g_assert_cmpuint (n_filtering_notifies, ==, 2);
  g_assert_cmpuint (fw_history_get_n_matches (history), ==, BIG);
  fw_history_flush (history);
  g_assert_cmpuint (n_signals, ==, 1);

  /* A selective search, with items arriving (and evicting) while it scans */
  g_assert_true (fw_history_set_search (history, "line 12", FALSE, &error));
  iterations = 0;
  while (fw_history_get_filtering (history))
    {
      g_main_context_iteration (NULL, TRUE);
      append_lines (history, BIG + iterations * 1000, 1000);
      iterations++;
    }
  g_assert_cmpuint (iterations, >, 1);
  for (guint i = iterations * 1000; i < BIG + iterations * 1000; i++)
    {
      char text[32];

      g_snprintf (text, sizeof text, "line %u", i);
      expected += g_str_has_prefix (text, "line 12");
    }
  g_assert_cmpuint (fw_history_get_n_matches (history), ==, expected);
  fw_history_flush (history);
  /* The first search's rows were removed by its first flush (too many to replace), so this
   * one adds the matches: a signal unless nothing matched (a slow run appends enough for the
   * oldest "line 12…" to be evicted before any newer one arrives) */
  g_assert_cmpuint (n_signals, ==, expected > 0 ? 2 : 1);
  shown = g_list_model_get_n_items (G_LIST_MODEL (history));
  g_assert_cmpuint (shown, ==, expected);
  for (guint i = 1; i < shown; i++)
    g_assert_cmpuint (model_number (history, i - 1), <, model_number (history, i));
}

static void
test_flood_bounded (void)
{
  g_autoptr(FwHistory) history = fw_history_new (FW_HISTORY_DEFAULT_CAPACITY);
  g_autoptr(FwItem) item = make_item (feed_a, FW_LEVEL_INFO, "flood flood flood flood flood");
  Mirror mirror;

  mirror_init (&mirror, history);
  /* 5 s at 100,000 items/s, a flush per 60 Hz frame */
  for (guint frame = 0; frame < 300; frame++)
    {
      guint before = mirror.n_signals;

      for (guint i = 0; i < 100000 / 60; i++)
        fw_history_append (history, &item, 1);
      fw_history_flush (history);
      g_assert_cmpuint (mirror.n_signals, <=, before + 1);
      g_assert_cmpuint (fw_history_get_n_stored (history), <=, FW_HISTORY_DEFAULT_CAPACITY);
      /* the rows on screen never lag more than the slack and two frames */
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), <=,
                        FW_HISTORY_DEFAULT_CAPACITY + FW_HISTORY_DEFAULT_CAPACITY / 16 + 2 * 1667);
    }
  g_assert_cmpuint (fw_history_get_n_total (history), ==, 300 * (100000 / 60));
  g_assert_cmpuint (fw_history_get_n_dropped (history), ==, 300 * (100000 / 60) - FW_HISTORY_DEFAULT_CAPACITY);
  /* only the ring, the rows on screen and our own reference hold the item */
  g_assert_cmpint (item->ref_count, <=, 1 + 256 + FW_HISTORY_DEFAULT_CAPACITY + FW_HISTORY_DEFAULT_CAPACITY / 16 + 2 * 1667 + mirror.items->len);
  mirror_check (&mirror);
  mirror_clear (&mirror);
}

static void
test_markup_text (void)
{
  const char markup[] = "<b>&amp;</b>";
  g_autoptr(FwHistory) history = fw_history_new (10);
  g_autoptr(FwItemObject) object = NULL;
  g_autofree char *text = NULL;
  g_autofree char *summary = NULL;

  append_one (history, make_item (feed_a, FW_LEVEL_ERROR, markup));
  fw_history_flush (history);
  object = g_list_model_get_item (G_LIST_MODEL (history), 0);
  g_object_get (object, "text", &text, "summary", &summary, NULL);
  g_assert_cmpmem (text, strlen (text), markup, sizeof markup - 1);
  g_assert_cmpmem (summary, strlen (summary), markup, sizeof markup - 1);
}

static void
test_item_object (void)
{
  /* 2026-01-02 03:04:05.678901 local time */
  struct tm tm = { .tm_year = 126, .tm_mon = 0, .tm_mday = 2, .tm_hour = 3, .tm_min = 4,
                   .tm_sec = 5, .tm_isdst = -1 };
  gint64 time_us = (gint64) mktime (&tm) * G_USEC_PER_SEC + 678901;
  g_autoptr(FwItem) line = fw_item_new (FW_ITEM_LINE, feed_a, time_us, "a\0b", 3);
  g_autoptr(FwItem) reading = fw_item_new_reading (feed_b, time_us, "temp", 21.5, "°C");
  g_autoptr(FwItemObject) object = NULL;
  g_autoptr(FwItemObject) object2 = NULL;
  g_autofree char *time = NULL;
  g_autofree char *level = NULL;
  g_autofree char *feed = NULL;
  g_autofree char *kind = NULL;
  FwItem *boxed = NULL;
  FwLevel level_enum;
  gsize len;

  fw_item_set_level (line, FW_LEVEL_WARNING);
  object = fw_item_object_new (line);
  g_object_get (object, "time", &time, "level-name", &level, "feed", &feed,
                "kind-name", &kind, "level", &level_enum, "item", &boxed, NULL);
  g_assert_cmpstr (time, ==, "03:04:05.678");
  g_assert_cmpstr (level, ==, "warning");
  g_assert_cmpint (level_enum, ==, FW_LEVEL_WARNING);
  g_assert_cmpstr (feed, ==, "a");
  g_assert_cmpstr (kind, ==, "line");
  g_assert_true (boxed == line);
  fw_item_unref (boxed);
  g_assert_cmpmem (fw_item_object_get_text (object, &len), len, "a\0b", 3);

  object2 = fw_item_object_new (reading);
  g_assert_cmpstr (fw_item_object_get_summary (object2), ==, "temp = 21.5 °C");
  g_assert_null (fw_item_object_get_level_name (object2));
  {
    double value;
    gboolean has_value;

    g_object_get (object2, "value", &value, "has-value", &has_value, NULL);
    g_assert_cmpfloat (value, ==, 21.5);
    g_assert_true (has_value);
  }
}

static void
test_row_cache (void)
{
  g_autoptr(FwHistory) history = fw_history_new (1000);
  gpointer first, again;

  append_lines (history, 0, 1000);
  fw_history_flush (history);

  first = g_list_model_get_item (G_LIST_MODEL (history), 500);
  again = g_list_model_get_item (G_LIST_MODEL (history), 500);
  g_assert_true (first == again);
  g_object_unref (again);

  /* Scrolling far away and back stays bounded: the old row may be gone */
  for (guint i = 0; i < 1000; i++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (history), i));
  g_assert_cmpint (G_OBJECT (first)->ref_count, <=, 2);
  g_object_unref (first);
}

static void
test_find_matches (void)
{
  g_autoptr(FwHistory) history = fw_history_new (10);
  g_autoptr(GArray) none = NULL;
  g_autoptr(GArray) plain = NULL;
  g_autoptr(GArray) regex = NULL;
  g_autoptr(GArray) empty = NULL;
  const char text[] = "xxABxab ab";

  none = fw_history_find_matches (history, text, strlen (text));
  g_assert_cmpuint (none->len, ==, 0);

  g_assert_true (fw_history_set_search (history, "ab", FALSE, NULL));
  plain = fw_history_find_matches (history, text, strlen (text));
  g_assert_cmpuint (plain->len, ==, 3);
  g_assert_cmpuint (g_array_index (plain, FwMatchRange, 0).start, ==, 2);
  g_assert_cmpuint (g_array_index (plain, FwMatchRange, 0).end, ==, 4);
  g_assert_cmpuint (g_array_index (plain, FwMatchRange, 1).start, ==, 5);
  g_assert_cmpuint (g_array_index (plain, FwMatchRange, 2).start, ==, 8);
  g_assert_cmpuint (g_array_index (plain, FwMatchRange, 2).end, ==, 10);

  g_assert_true (fw_history_set_search (history, "x+a", TRUE, NULL));
  regex = fw_history_find_matches (history, text, strlen (text));
  g_assert_cmpuint (regex->len, ==, 2);
  g_assert_cmpuint (g_array_index (regex, FwMatchRange, 0).start, ==, 0);
  g_assert_cmpuint (g_array_index (regex, FwMatchRange, 0).end, ==, 3);
  g_assert_cmpuint (g_array_index (regex, FwMatchRange, 1).start, ==, 4);
  g_assert_cmpuint (g_array_index (regex, FwMatchRange, 1).end, ==, 6);

  /* Empty matches are not highlights, and do not loop */
  g_assert_true (fw_history_set_search (history, "z*", TRUE, NULL));
  empty = fw_history_find_matches (history, text, strlen (text));
  g_assert_cmpuint (empty->len, ==, 0);
}

static void
test_clear (void)
{
  g_autoptr(FwHistory) history = fw_history_new (100);
  Mirror mirror;

  mirror_init (&mirror, history);
  append_lines (history, 0, 150);
  fw_history_flush (history);
  fw_history_set_frozen (history, TRUE);
  append_lines (history, 150, 10);

  fw_history_clear (history);
  g_assert_cmpuint (mirror.n_signals, ==, 2);
  mirror_check (&mirror);
  g_assert_cmpuint (fw_history_get_n_stored (history), ==, 0);
  g_assert_cmpuint (fw_history_get_n_matches (history), ==, 0);
  g_assert_cmpuint (fw_history_get_n_total (history), ==, 160);

  fw_history_set_frozen (history, FALSE);
  append_lines (history, 160, 5);
  fw_history_flush (history);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 5);
  g_assert_cmpuint (model_number (history, 0), ==, 160);
  mirror_check (&mirror);
  mirror_clear (&mirror);
}

/* An item of @size bytes whose text starts "line N", as model_number() reads it */
static FwItem *
make_big_item (guint number,
               gsize size)
{
  g_autofree char *text = g_malloc (size + 1);
  int len = g_snprintf (text, size + 1, "line %u ", number);

  memset (text + len, 'x', size - len);
  text[size] = '\0';

  return fw_item_new (FW_ITEM_LINE, feed_a, g_get_real_time (), text, size);
}

static void
flush_all (FwHistory *history)
{
  for (guint i = 0; fw_history_flush (history); i++)
    g_assert_cmpuint (i, <, 10);
}

/* 2,000 SSE events of 1 MB: the history keeps 64 MB of them, not 2 GB */
static void
test_byte_cap_flood (void)
{
  const guint64 cap = 64 * 1000 * 1000;
  const gsize size = 1000 * 1000;
  g_autoptr(FwHistory) history = fw_history_new (FW_HISTORY_DEFAULT_CAPACITY);
  guint stored;
  Mirror mirror;

  g_assert_cmpuint (fw_history_get_max_bytes (history), ==, FW_HISTORY_DEFAULT_MAX_BYTES);
  fw_history_set_max_bytes (history, cap);
  mirror_init (&mirror, history);
  for (guint i = 0; i < 2000; i++)
    {
      append_one (history, make_big_item (i, size));
      g_assert_cmpuint (fw_history_get_n_bytes (history), <=, cap);
      /* a frame every 10 events: the rows evicted but still shown stay within a sixteenth of
       * the cap and two frames, not a second history's worth */
      if (i % 10 == 9)
        {
          fw_history_flush (history);
          g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), <=,
                            fw_history_get_n_stored (history) + cap / 16 / size + 2 * 10 + 1);
        }
    }
  flush_all (history);

  stored = fw_history_get_n_stored (history);
  /* as many as fit: one more would pass the cap */
  g_assert_cmpuint (stored, >=, 60);
  g_assert_cmpuint (stored, <, 64);
  g_assert_cmpuint (fw_history_get_n_bytes (history), >, cap - size - 1024);
  g_assert_cmpuint (fw_history_get_n_dropped (history), ==, 2000 - stored);
  g_assert_cmpuint (fw_history_get_n_total (history), ==, 2000);
  g_assert_true (fw_history_get_bytes_limited (history));
  /* the oldest went, the newest stayed */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, stored);
  g_assert_cmpuint (model_number (history, 0), ==, 2000 - stored);
  g_assert_cmpuint (model_number (history, stored - 1), ==, 1999);
  mirror_check (&mirror);
  mirror_clear (&mirror);

  fw_history_clear (history);
  g_assert_cmpuint (fw_history_get_n_bytes (history), ==, 0);
}

/* Small items: the count cap applies, the byte count follows every append and eviction */
static void
test_byte_cap_count_applies (void)
{
  g_autoptr(FwHistory) history = fw_history_new (1000);
  guint64 bytes;

  append_lines (history, 0, 1000);
  bytes = fw_history_get_n_bytes (history);
  g_assert_cmpuint (bytes, >=, 1000 * strlen ("line 999"));
  g_assert_cmpuint (bytes, <, 1000 * 1024);
  g_assert_false (fw_history_get_bytes_limited (history));

  append_lines (history, 1000, 800);
  flush_all (history);
  g_assert_cmpuint (fw_history_get_n_stored (history), ==, 1000);
  g_assert_cmpuint (fw_history_get_n_dropped (history), ==, 800);
  g_assert_false (fw_history_get_bytes_limited (history));
  g_assert_cmpuint (model_number (history, 0), ==, 800);
  /* a fixed cost per item, and the text: "line 0".."line 799" went, "line 1000".. came */
  for (guint i = 0; i < 800; i++)
    {
      g_autofree char *gone = g_strdup_printf ("line %u", i);
      g_autofree char *came = g_strdup_printf ("line %u", 1000 + i);

      bytes = bytes - strlen (gone) + strlen (came);
    }
  g_assert_cmpuint (fw_history_get_n_bytes (history), ==, bytes);

  fw_history_clear (history);
  g_assert_cmpuint (fw_history_get_n_bytes (history), ==, 0);
}

/* Lowering the cap in Preferences evicts at once; the newest item stays even alone over it */
static void
test_byte_cap_lowered (void)
{
  const gsize size = 100 * 1000;
  g_autoptr(FwHistory) history = fw_history_new (FW_HISTORY_DEFAULT_CAPACITY);
  guint n_notify = 0;
  guint stored;
  guint64 max_bytes;

  g_signal_connect (history, "notify::max-bytes", G_CALLBACK (count_notify), &n_notify);
  for (guint i = 0; i < 100; i++)
    append_one (history, make_big_item (i, size));
  flush_all (history);
  g_assert_cmpuint (fw_history_get_n_stored (history), ==, 100);
  g_assert_cmpuint (fw_history_get_n_dropped (history), ==, 0);
  g_assert_false (fw_history_get_bytes_limited (history));

  g_object_set (history, "max-bytes", (guint64) 2 * 1000 * 1000, NULL);
  g_object_get (history, "max-bytes", &max_bytes, NULL);
  g_assert_cmpuint (max_bytes, ==, 2 * 1000 * 1000);
  g_assert_cmpuint (n_notify, ==, 1);
  stored = fw_history_get_n_stored (history);
  g_assert_cmpuint (stored, >=, 18);
  g_assert_cmpuint (stored, <, 20);
  g_assert_cmpuint (fw_history_get_n_bytes (history), <=, 2 * 1000 * 1000);
  g_assert_cmpuint (fw_history_get_n_dropped (history), ==, 100 - stored);
  g_assert_true (fw_history_get_bytes_limited (history));
  flush_all (history);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, stored);
  g_assert_cmpuint (model_number (history, 0), ==, 100 - stored);

  fw_history_set_max_bytes (history, size / 2);
  g_assert_cmpuint (fw_history_get_n_stored (history), ==, 1);
  append_one (history, make_big_item (100, size));
  g_assert_cmpuint (fw_history_get_n_stored (history), ==, 1);
  g_assert_cmpuint (fw_history_get_n_dropped (history), ==, 100);
  flush_all (history);
  g_assert_cmpuint (model_number (history, 0), ==, 100);

  /* the count cap dropping next says so */
  fw_history_set_max_bytes (history, FW_HISTORY_DEFAULT_MAX_BYTES);
  fw_history_set_capacity (history, 1000);
  append_lines (history, 0, 1000);
  g_assert_false (fw_history_get_bytes_limited (history));
}

/* The view fetched every row as it came (following the live end): the row objects the history
 * keeps for scrolling must not keep evicted items alive past the byte cap. */
static void
test_byte_cap_row_cache (void)
{
  const gsize size = 10 * 1000;
  g_autoptr(FwHistory) history = fw_history_new (FW_HISTORY_DEFAULT_CAPACITY);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  guint alive = 0;
  Mirror mirror;

  fw_history_set_max_bytes (history, 1000 * 1000);
  mirror_init (&mirror, history);
  for (guint i = 0; i < 1000; i++)
    {
      FwItem *item = make_big_item (i, size);

      g_ptr_array_add (items, item);
      fw_history_append (history, &item, 1);
      if (i % 10 == 9)
        fw_history_flush (history);
    }
  flush_all (history);
  mirror_check (&mirror);
  mirror_clear (&mirror);

  /* held by anyone but us: only what the history stores */
  for (guint i = 0; i < items->len; i++)
    alive += ((FwItem *) g_ptr_array_index (items, i))->ref_count > 1;
  g_assert_cmpuint (fw_history_get_n_stored (history), <, 100);
  g_assert_cmpuint (alive, ==, fw_history_get_n_stored (history));
}

/* An item of @feed that says it was written at @written_s (seconds), arriving at @arrived_s */
static FwItem *
make_timed (GRefString *feed,
            const char *text,
            gint64      arrived_s,
            gint64      written_s)
{
  FwItem *item = fw_item_new (FW_ITEM_LINE, feed, arrived_s * G_USEC_PER_SEC, text, -1);

  item->source_time_us = written_s * G_USEC_PER_SEC;
  fw_item_set_level (item, FW_LEVEL_INFO);
  return item;
}

static char *
model_texts (FwHistory *history)
{
  g_autoptr(GString) texts = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (history)); i++)
    g_string_append_printf (texts, "%s%s", i > 0 ? " " : "", model_item (history, i)->text);
  return g_string_free (g_steal_pointer (&texts), FALSE);
}

/* What one frame brought is shown in the order of the times its rows show (the source's own
 * when it wrote one): never back in time within a frame. A feed's equal times keep their
 * order; what an earlier frame showed stays; a filter's matches follow the new order. */
static void
test_frame_in_time_order (void)
{
  g_autoptr(FwHistory) history = fw_history_new (100);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *filtered = NULL;

  /* one frame: a log's lines written at 10 and 10 and 12, a reading arriving at 11 */
  append_one (history, fw_item_new (FW_ITEM_LINE, feed_b, 11 * G_USEC_PER_SEC, "b11", -1));
  append_one (history, make_timed (feed_a, "a10", 13, 10));
  append_one (history, make_timed (feed_a, "a10bis", 13, 10));
  append_one (history, make_timed (feed_a, "a12", 13, 12));
  fw_history_flush (history);
  first = model_texts (history);
  g_assert_cmpstr (first, ==, "a10 a10bis b11 a12");

  /* the next frame is ordered on its own: what is shown does not move */
  append_one (history, make_timed (feed_a, "a9", 14, 9));
  append_one (history, make_timed (feed_a, "a5", 14, 5));
  fw_history_flush (history);
  second = model_texts (history);
  g_assert_cmpstr (second, ==, "a10 a10bis b11 a12 a5 a9");

  /* with a search on, the frame's matches are the ones in the new order */
  g_assert_true (fw_history_set_search (history, "bis", FALSE, &error));
  g_assert_no_error (error);
  wait_filtered (history);
  fw_history_flush (history);
  append_one (history, make_timed (feed_a, "x-bis-3", 15, 3));
  append_one (history, make_timed (feed_a, "x-2", 15, 2));
  append_one (history, make_timed (feed_a, "x-bis-1", 15, 1));
  fw_history_flush (history);
  filtered = model_texts (history);
  g_assert_cmpstr (filtered, ==, "a10bis x-bis-1 x-bis-3");
  g_assert_cmpuint (fw_history_get_n_matches (history), ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  feed_a = fw_ref_string_intern ("a");
  feed_b = fw_ref_string_intern ("b");

  g_test_add_func ("/history/append-cap", test_append_cap);
  g_test_add_func ("/history/one-signal-per-flush", test_one_signal_per_flush);
  g_test_add_func ("/history/random-mirror", test_random_mirror);
  g_test_add_func ("/history/freeze", test_freeze);
  g_test_add_func ("/history/filter-change-publication", test_filter_change_publication);
  g_test_add_func ("/history/search", test_search);
  g_test_add_func ("/history/frame-in-time-order", test_frame_in_time_order);
  g_test_add_func ("/history/search-fields", test_search_fields);
  g_test_add_func ("/history/level-feed-filters", test_level_and_feed_filters);
  g_test_add_func ("/history/incremental-refilter", test_incremental_refilter);
  g_test_add_func ("/history/flood-bounded", test_flood_bounded);
  g_test_add_func ("/history/markup-text", test_markup_text);
  g_test_add_func ("/history/item-object", test_item_object);
  g_test_add_func ("/history/row-cache", test_row_cache);
  g_test_add_func ("/history/find-matches", test_find_matches);
  g_test_add_func ("/history/clear", test_clear);
  g_test_add_func ("/history/byte-cap-flood", test_byte_cap_flood);
  g_test_add_func ("/history/byte-cap-count-applies", test_byte_cap_count_applies);
  g_test_add_func ("/history/byte-cap-lowered", test_byte_cap_lowered);
  g_test_add_func ("/history/byte-cap-row-cache", test_byte_cap_row_cache);

  ret = g_test_run ();

  g_ref_string_release (feed_a);
  g_ref_string_release (feed_b);

  return ret;
}
