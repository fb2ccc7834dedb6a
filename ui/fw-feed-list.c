/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-feed-list.c: a window's feeds.
 *
 * A GListModel of FwFeedRunner in the sidebar's order, with a hash by identity (the spec with
 * its secrets masked, fw_feed_runner_get_spec()): the list's Feed column asks for a feed's
 * title at every bind, and a linear search over thousands of saved feeds would cost that much
 * per row per frame. Beside the runners, the series registry: one FwSeries per feed and reading
 * name, in the order they first came, kept until the feed goes or is replaced. */

#include "config.h"

#include <glib/gi18n.h>

#include "fw-feed-list.h"

struct _FwFeedList
{
  GObject     parent_instance;

  GPtrArray  *runners;   /* FwFeedRunner, owned */
  GHashTable *by_id;     /* feed id → FwFeedRunner (the array owns it) */
  GHashTable *series;    /* feed id → FeedSeries */
};

/* One feed's series: in the order their readings first came, and by name */
typedef struct
{
  GPtrArray  *list;      /* FwSeries, owned */
  GHashTable *by_name;   /* reading name → FwSeries (the list owns it) */
} FeedSeries;

static void
feed_series_free (FeedSeries *feed)
{
  g_hash_table_unref (feed->by_name);
  g_ptr_array_unref (feed->list);
  g_free (feed);
}

static GType
fw_feed_list_get_item_type (GListModel *model)
{
  return FW_TYPE_FEED_RUNNER;
}

static guint
fw_feed_list_get_n_items (GListModel *model)
{
  return FW_FEED_LIST (model)->runners->len;
}

static gpointer
fw_feed_list_get_item (GListModel *model,
                       guint       position)
{
  FwFeedList *self = FW_FEED_LIST (model);

  if (position >= self->runners->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->runners, position));
}

static void
fw_feed_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = fw_feed_list_get_item_type;
  iface->get_n_items = fw_feed_list_get_n_items;
  iface->get_item = fw_feed_list_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (FwFeedList, fw_feed_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, fw_feed_list_model_init))

static void
fw_feed_list_finalize (GObject *object)
{
  FwFeedList *self = FW_FEED_LIST (object);

  g_hash_table_unref (self->series);
  g_hash_table_unref (self->by_id);
  g_ptr_array_unref (self->runners);

  G_OBJECT_CLASS (fw_feed_list_parent_class)->finalize (object);
}

static void
fw_feed_list_class_init (FwFeedListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fw_feed_list_finalize;
}

static void
fw_feed_list_init (FwFeedList *self)
{
  self->runners = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->series = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) feed_series_free);
}

FwFeedList *
fw_feed_list_new (void)
{
  return g_object_new (FW_TYPE_FEED_LIST, NULL);
}

/* Feeds made in code (fw_window_add_runner()) may share an identity: the first in the list is
 * the one found, as the sidebar shows them. */
static void
unhash (FwFeedList   *self,
        FwFeedRunner *runner)
{
  const char *feed_id = fw_feed_runner_get_spec (runner);

  if (g_hash_table_lookup (self->by_id, feed_id) != runner)
    return;
  g_hash_table_remove (self->by_id, feed_id);
  for (guint i = 0; i < self->runners->len; i++)
    {
      FwFeedRunner *other = g_ptr_array_index (self->runners, i);

      if (other != runner && g_str_equal (fw_feed_runner_get_spec (other), feed_id))
        {
          g_hash_table_insert (self->by_id, g_strdup (feed_id), other);
          break;
        }
    }
}

/**
 * fw_feed_list_lookup:
 * @feed_id: a feed's identity, secrets masked (fw_feed_spec_redact())
 * @position: (out) (optional): where it is in the list
 *
 * Returns: (transfer none) (nullable): the feed's runner, or %NULL when it is not in the list
 */
FwFeedRunner *
fw_feed_list_lookup (FwFeedList *self,
                     const char *feed_id,
                     guint      *position)
{
  FwFeedRunner *runner;

  g_return_val_if_fail (FW_IS_FEED_LIST (self), NULL);

  runner = feed_id != NULL ? g_hash_table_lookup (self->by_id, feed_id) : NULL;
  if (runner != NULL && position != NULL &&
      !g_ptr_array_find (self->runners, runner, position))
    g_return_val_if_reached (NULL);

  return runner;
}

gboolean
fw_feed_list_contains (FwFeedList   *self,
                       FwFeedRunner *runner)
{
  g_return_val_if_fail (FW_IS_FEED_LIST (self), FALSE);

  return g_hash_table_lookup (self->by_id, fw_feed_runner_get_spec (runner)) == runner;
}

/* The GNOME palette's third shades: told apart from one another, and against both the light
 * and the dark style's backgrounds */
static const FwFeedColor feed_colors[] = {
  { N_("Blue"), "#3584e4" },
  { N_("Green"), "#33d17a" },
  { N_("Orange"), "#ff7800" },
  { N_("Purple"), "#9141ac" },
  { N_("Red"), "#e01b24" },
  { N_("Yellow"), "#f6d32d" },
  { N_("Brown"), "#986a44" },
};

/**
 * fw_feed_colors:
 *
 * Returns: the colours feeds are given, in the order they are handed out
 */
const FwFeedColor *
fw_feed_colors (guint *n_colors)
{
  *n_colors = G_N_ELEMENTS (feed_colors);
  return feed_colors;
}

/**
 * fw_feed_list_pick_color:
 *
 * Returns: the colour fewest of the feeds have, the first in the palette's order among equals
 */
const char *
fw_feed_list_pick_color (FwFeedList *self)
{
  guint uses[G_N_ELEMENTS (feed_colors)] = { 0, };
  guint best = 0;

  g_return_val_if_fail (FW_IS_FEED_LIST (self), NULL);

  for (guint i = 0; i < self->runners->len; i++)
    {
      const char *color = fw_feed_runner_get_color (g_ptr_array_index (self->runners, i));

      for (guint c = 0; color != NULL && c < G_N_ELEMENTS (feed_colors); c++)
        if (g_str_equal (color, feed_colors[c].color))
          uses[c]++;
    }
  for (guint c = 1; c < G_N_ELEMENTS (feed_colors); c++)
    if (uses[c] < uses[best])
      best = c;

  return feed_colors[best].color;
}

/**
 * fw_feed_list_append:
 * @runner: a feed not yet in the list (by its identity)
 */
void
fw_feed_list_append (FwFeedList   *self,
                     FwFeedRunner *runner)
{
  g_return_if_fail (FW_IS_FEED_LIST (self));
  g_return_if_fail (FW_IS_FEED_RUNNER (runner));

  /* A feed added gets its colour here, one read back keeps the one it had */
  if (fw_feed_runner_get_color (runner) == NULL)
    fw_feed_runner_set_color (runner, fw_feed_list_pick_color (self));
  if (!g_hash_table_contains (self->by_id, fw_feed_runner_get_spec (runner)))
    g_hash_table_insert (self->by_id, g_strdup (fw_feed_runner_get_spec (runner)), runner);
  g_ptr_array_add (self->runners, g_object_ref (runner));
  g_list_model_items_changed (G_LIST_MODEL (self), self->runners->len - 1, 0, 1);
}

/**
 * fw_feed_list_replace:
 *
 * Puts @runner in the place of the feed at @position (an edited feed). The old feed's series
 * go with it.
 */
void
fw_feed_list_replace (FwFeedList   *self,
                      guint         position,
                      FwFeedRunner *runner)
{
  FwFeedRunner *old;

  g_return_if_fail (FW_IS_FEED_LIST (self));
  g_return_if_fail (position < self->runners->len);

  old = g_ptr_array_index (self->runners, position);
  g_ptr_array_index (self->runners, position) = g_object_ref (runner);
  unhash (self, old);
  g_hash_table_remove (self->series, fw_feed_runner_get_spec (old));
  g_hash_table_insert (self->by_id, g_strdup (fw_feed_runner_get_spec (runner)), runner);
  g_object_unref (old);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
}

/**
 * fw_feed_list_remove:
 *
 * Forgets the feed at @position, and its series.
 */
void
fw_feed_list_remove (FwFeedList *self,
                     guint       position)
{
  FwFeedRunner *runner;

  g_return_if_fail (FW_IS_FEED_LIST (self));
  g_return_if_fail (position < self->runners->len);

  runner = g_ptr_array_steal_index (self->runners, position);
  unhash (self, runner);
  g_hash_table_remove (self->series, fw_feed_runner_get_spec (runner));
  g_object_unref (runner);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

/**
 * fw_feed_list_series_for:
 * @item: a reading of @runner's
 * @created: (out) (optional): whether the series is new
 *
 * Returns: (transfer none): the series of @item's name in @runner's feed, made on its first
 *   reading (named after the feed when the reading has no name)
 */
FwSeries *
fw_feed_list_series_for (FwFeedList   *self,
                         FwFeedRunner *runner,
                         const FwItem *item,
                         gboolean     *created)
{
  const char *feed_id = fw_feed_runner_get_spec (runner);
  const char *key = item->name != NULL ? item->name : "value";
  FeedSeries *feed = g_hash_table_lookup (self->series, feed_id);
  FwSeries *series;

  if (created != NULL)
    *created = FALSE;
  if (feed == NULL)
    {
      feed = g_new0 (FeedSeries, 1);
      feed->list = g_ptr_array_new_with_free_func (g_object_unref);
      feed->by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (self->series, g_strdup (feed_id), feed);
    }

  series = g_hash_table_lookup (feed->by_name, key);
  if (series == NULL)
    {
      series = fw_series_new (item->name != NULL ? item->name : fw_feed_runner_get_title (runner),
                              item->unit);
      g_ptr_array_add (feed->list, series);
      g_hash_table_insert (feed->by_name, g_strdup (key), series);
      if (created != NULL)
        *created = TRUE;
    }

  return series;
}

/**
 * fw_feed_list_get_series:
 *
 * Returns: (transfer none) (nullable) (element-type FwSeries): the feed's series in the order
 *   their readings first came, or %NULL when it has none
 */
GPtrArray *
fw_feed_list_get_series (FwFeedList *self,
                         const char *feed_id)
{
  FeedSeries *feed;

  g_return_val_if_fail (FW_IS_FEED_LIST (self), NULL);

  feed = feed_id != NULL ? g_hash_table_lookup (self->series, feed_id) : NULL;
  return feed != NULL ? feed->list : NULL;
}

void
fw_feed_list_forget_series (FwFeedList *self,
                            const char *feed_id)
{
  g_return_if_fail (FW_IS_FEED_LIST (self));

  g_hash_table_remove (self->series, feed_id);
}
