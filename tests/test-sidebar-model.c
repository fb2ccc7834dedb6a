/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sidebar-model.c: what the sidebar lists (FwSidebarModel): the feed list as it is while
 * no feed is in a group; groups first, by name, each a folder followed by its feeds unless it
 * is collapsed, then the feeds in no group; the filter shows a group when one of its feeds
 * matches. Its items-changed signals, applied to a copy, always give what it lists. And the
 * colours feeds get from FwFeedList. */

#include "config.h"

#include "fw-sidebar-model.h"

/* A copy of the model kept by its items-changed signals alone, as a list view keeps its rows */
typedef struct
{
  GPtrArray *rows;
  guint      n_signals;
} Mirror;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Mirror     *mirror)
{
  g_assert_cmpuint (position + removed, <=, mirror->rows->len);
  g_ptr_array_remove_range (mirror->rows, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (mirror->rows, position + i, g_list_model_get_item (model, position + i));
  mirror->n_signals++;
}

static FwFeedRunner *
add_feed (FwFeedList *feeds,
          const char *spec,
          const char *title,
          const char *group)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwFeedRunner) runner = fw_feed_runner_new (spec, &error);

  g_assert_no_error (error);
  fw_feed_runner_set_title (runner, title);
  fw_feed_runner_set_group (runner, group);
  fw_feed_list_append (feeds, runner);
  return runner; /* the list keeps it */
}

/* The rows as "[Group]" / "  Feed" / "Feed" lines, checked against the mirror */
static char *
describe (FwSidebarModel *model,
          Mirror         *mirror)
{
  GString *out = g_string_new (NULL);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (model));
  gboolean in_group = FALSE;

  g_assert_cmpuint (mirror->rows->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) row = g_list_model_get_item (G_LIST_MODEL (model), i);

      g_assert_true (row == g_ptr_array_index (mirror->rows, i));
      if (FW_IS_FEED_GROUP (row))
        {
          FwFeedGroup *group = FW_FEED_GROUP (row);

          g_string_append_printf (out, "[%s %u%s]\n", fw_feed_group_get_name (group),
                                  fw_feed_group_get_n_feeds (group),
                                  fw_feed_group_get_expanded (group) ? "" : " collapsed");
          in_group = TRUE;
          continue;
        }
      if (fw_feed_runner_get_group (FW_FEED_RUNNER (row)) == NULL)
        in_group = FALSE;
      g_string_append_printf (out, "%s%s\n", in_group ? "  " : "",
                              fw_feed_runner_get_title (FW_FEED_RUNNER (row)));
    }

  return g_string_free (out, FALSE);
}

#define CHECK(model, mirror, expected) \
  G_STMT_START { \
    g_autofree char *_shown = describe (model, mirror); \
    g_assert_cmpstr (_shown, ==, expected); \
  } G_STMT_END

static void
test_groups (void)
{
  g_autoptr(FwFeedList) feeds = fw_feed_list_new ();
  g_autoptr(FwSidebarModel) model = fw_sidebar_model_new (feeds);
  Mirror mirror = { g_ptr_array_new_with_free_func (g_object_unref), 0 };
  FwFeedRunner *cpu;
  FwFeedRunner *web;
  g_auto(GStrv) groups = NULL;
  g_auto(GStrv) collapsed = NULL;
  guint position;

  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &mirror);

  /* No group: the feed list as it is */
  cpu = add_feed (feeds, "sim:sensor?seed=1", "CPU", NULL);
  add_feed (feeds, "sim:sensor?seed=2", "Disk", NULL);
  web = add_feed (feeds, "sim:sensor?seed=3", "Web", NULL);
  CHECK (model, &mirror, "CPU\nDisk\nWeb\n");

  /* Into groups: folders first, by name, feeds in the list's order, then the rest */
  fw_feed_runner_set_group (web, "Servers");
  CHECK (model, &mirror, "[Servers 1]\n  Web\nCPU\nDisk\n");
  fw_feed_runner_set_group (cpu, "Machine");
  add_feed (feeds, "sim:sensor?seed=4", "Mail", "Servers");
  add_feed (feeds, "sim:sensor?seed=5", "Notes", NULL);
  CHECK (model, &mirror,
         "[Machine 1]\n  CPU\n[Servers 2]\n  Web\n  Mail\nDisk\nNotes\n");
  groups = fw_sidebar_model_dup_groups (model);
  g_assert_cmpstrv (groups, ((const char * const[]) { "Machine", "Servers", NULL }));

  /* Collapsed: the folder alone, its feeds counted; remembered by name */
  mirror.n_signals = 0;
  fw_sidebar_model_set_expanded (model, "Servers", FALSE);
  CHECK (model, &mirror, "[Machine 1]\n  CPU\n[Servers 2 collapsed]\nDisk\nNotes\n");
  /* One change, where the rows went: the rows around keep their places */
  g_assert_cmpuint (mirror.n_signals, ==, 1);
  g_assert_true (fw_sidebar_model_find (model, web, &position) == FALSE);
  collapsed = fw_sidebar_model_dup_collapsed (model);
  g_assert_cmpstrv (collapsed, ((const char * const[]) { "Servers", NULL }));

  /* The last feed out, the group goes; its folded state is remembered for its return */
  fw_feed_runner_set_group (cpu, NULL);
  CHECK (model, &mirror, "[Servers 2 collapsed]\nCPU\nDisk\nNotes\n");
  fw_feed_runner_set_group (cpu, "Servers");
  CHECK (model, &mirror, "[Servers 3 collapsed]\nDisk\nNotes\n");
  fw_sidebar_model_set_expanded (model, "Servers", TRUE);
  CHECK (model, &mirror, "[Servers 3]\n  CPU\n  Web\n  Mail\nDisk\nNotes\n");
  g_assert_true (fw_sidebar_model_find (model, web, &position));
  g_assert_cmpuint (position, ==, 2);

  /* A feed removed from the list leaves the sidebar */
  g_assert_true (fw_feed_list_lookup (feeds, fw_feed_runner_get_spec (web), &position) != NULL);
  fw_feed_list_remove (feeds, position);
  CHECK (model, &mirror, "[Servers 2]\n  CPU\n  Mail\nDisk\nNotes\n");

  /* The collapsed groups set from the settings */
  fw_sidebar_model_set_collapsed (model, (const char * const[]) { "Servers", NULL });
  CHECK (model, &mirror, "[Servers 2 collapsed]\nDisk\nNotes\n");

  g_ptr_array_unref (mirror.rows);
}

static void
test_filter (void)
{
  g_autoptr(FwFeedList) feeds = fw_feed_list_new ();
  g_autoptr(FwSidebarModel) model = fw_sidebar_model_new (feeds);
  Mirror mirror = { g_ptr_array_new_with_free_func (g_object_unref), 0 };
  FwFeedRunner *notes;

  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &mirror);
  add_feed (feeds, "sim:sensor?seed=1", "CPU", "Machine");
  add_feed (feeds, "sim:sensor?seed=2", "Web server", "Servers");
  add_feed (feeds, "sim:sensor?seed=3", "Mail server", "Servers");
  notes = add_feed (feeds, "sim:sensor?seed=4", "Notes", NULL);
  fw_sidebar_model_set_expanded (model, "Servers", FALSE);
  CHECK (model, &mirror, "[Machine 1]\n  CPU\n[Servers 2 collapsed]\nNotes\n");

  /* A group shows when one of its feeds matches, with the feeds that do, folded or not */
  fw_sidebar_model_set_filter (model, "WEB");
  CHECK (model, &mirror, "[Servers 2 collapsed]\n  Web server\n");
  fw_sidebar_model_set_filter (model, "server");
  CHECK (model, &mirror, "[Servers 2 collapsed]\n  Web server\n  Mail server\n");
  /* Its feeds' text counts as their title does */
  fw_sidebar_model_set_filter (model, "seed=1");
  CHECK (model, &mirror, "[Machine 1]\n  CPU\n");
  /* The group's own name shows all its feeds */
  fw_sidebar_model_set_filter (model, "machine");
  CHECK (model, &mirror, "[Machine 1]\n  CPU\n");
  /* Nothing matches: no empty folder either */
  fw_sidebar_model_set_filter (model, "nothing like it");
  CHECK (model, &mirror, "");
  /* A rename while filtering is seen */
  fw_sidebar_model_set_filter (model, "diary");
  fw_feed_runner_set_title (notes, "Diary");
  CHECK (model, &mirror, "Diary\n");
  fw_sidebar_model_set_filter (model, "");
  CHECK (model, &mirror, "[Machine 1]\n  CPU\n[Servers 2 collapsed]\nDiary\n");

  g_ptr_array_unref (mirror.rows);
}

static void
test_colors (void)
{
  g_autoptr(FwFeedList) feeds = fw_feed_list_new ();
  guint n_colors;
  const FwFeedColor *colors = fw_feed_colors (&n_colors);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  FwFeedRunner *first = NULL;

  g_assert_cmpuint (n_colors, >=, 6);
  /* Each feed added gets a colour no other has while the palette lasts */
  for (guint i = 0; i < n_colors; i++)
    {
      g_autofree char *spec = g_strdup_printf ("sim:sensor?seed=%u", i + 1);
      FwFeedRunner *runner = add_feed (feeds, spec, spec, NULL);
      const char *color = fw_feed_runner_get_color (runner);

      if (first == NULL)
        first = runner;
      g_assert_nonnull (color);
      g_assert_cmpstr (color, ==, colors[i].color);
      g_assert_false (g_hash_table_contains (seen, color));
      g_hash_table_add (seen, (gpointer) color);
    }
  /* Then the one fewest have: the first feed's, changed, left its colour free */
  fw_feed_runner_set_color (first, colors[1].color);
  g_assert_cmpstr (fw_feed_list_pick_color (feeds), ==, colors[0].color);
  /* A colour is "#rrggbb" or none */
  fw_feed_runner_set_color (first, "not a colour");
  g_assert_cmpstr (fw_feed_runner_get_color (first), ==, colors[1].color);
  fw_feed_runner_set_color (first, "#ABCDEF");
  g_assert_cmpstr (fw_feed_runner_get_color (first), ==, "#abcdef");
  fw_feed_runner_set_color (first, NULL);
  g_assert_null (fw_feed_runner_get_color (first));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sidebar-model/groups", test_groups);
  g_test_add_func ("/sidebar-model/filter", test_filter);
  g_test_add_func ("/sidebar-model/colors", test_colors);

  return g_test_run ();
}
