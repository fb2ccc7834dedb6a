/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-sidebar-model.c: what the sidebar lists.
 *
 * Groups come first, by name, each a folder row (FwFeedGroup) followed by its feeds, in the
 * feed list's order, while it is expanded; then the feeds in no group. A group exists while a
 * feed is in it; whether it is collapsed is remembered by name, also while it has no feed.
 * The filter shows the feeds whose title or text holds what is typed, and a group when any of
 * its feeds does (or its own name), expanded so that the matches show.
 *
 * The list is rebuilt when something it depends on changes and published as one splice of
 * what differs: a row outside the change keeps its place and its selection. With no group and
 * no filter it is the feed list itself, followed change by change. */

#include "config.h"

#include <string.h>

#include "fw-sidebar-model.h"

struct _FwFeedGroup
{
  GObject  parent_instance;

  char    *name;
  gboolean expanded;
  guint    n_feeds;
};

G_DEFINE_FINAL_TYPE (FwFeedGroup, fw_feed_group, G_TYPE_OBJECT)

enum {
  GROUP_PROP_0,
  GROUP_PROP_NAME,
  GROUP_PROP_EXPANDED,
  GROUP_PROP_N_FEEDS,
  GROUP_N_PROPS
};

static GParamSpec *group_properties[GROUP_N_PROPS];

static void
fw_feed_group_finalize (GObject *object)
{
  g_free (FW_FEED_GROUP (object)->name);

  G_OBJECT_CLASS (fw_feed_group_parent_class)->finalize (object);
}

static void
fw_feed_group_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  FwFeedGroup *self = FW_FEED_GROUP (object);

  switch (prop_id)
    {
    case GROUP_PROP_NAME: g_value_set_string (value, self->name); break;
    case GROUP_PROP_EXPANDED: g_value_set_boolean (value, self->expanded); break;
    case GROUP_PROP_N_FEEDS: g_value_set_uint (value, self->n_feeds); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_feed_group_class_init (FwFeedGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = fw_feed_group_finalize;
  object_class->get_property = fw_feed_group_get_property;

  group_properties[GROUP_PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, ro);
  group_properties[GROUP_PROP_EXPANDED] =
    g_param_spec_boolean ("expanded", NULL, NULL, TRUE, ro);
  group_properties[GROUP_PROP_N_FEEDS] =
    g_param_spec_uint ("n-feeds", NULL, NULL, 0, G_MAXUINT, 0, ro);
  g_object_class_install_properties (object_class, GROUP_N_PROPS, group_properties);
}

static void
fw_feed_group_init (FwFeedGroup *self)
{
  self->expanded = TRUE;
}

const char *
fw_feed_group_get_name (FwFeedGroup *self)
{
  g_return_val_if_fail (FW_IS_FEED_GROUP (self), NULL);
  return self->name;
}

/* Whether its feeds are listed (the filter lists them all the same) */
gboolean
fw_feed_group_get_expanded (FwFeedGroup *self)
{
  g_return_val_if_fail (FW_IS_FEED_GROUP (self), FALSE);
  return self->expanded;
}

/* How many feeds are in it, matching the filter or not */
guint
fw_feed_group_get_n_feeds (FwFeedGroup *self)
{
  g_return_val_if_fail (FW_IS_FEED_GROUP (self), 0);
  return self->n_feeds;
}

static void
group_set_expanded (FwFeedGroup *self,
                    gboolean     expanded)
{
  if (self->expanded == expanded)
    return;
  self->expanded = expanded;
  g_object_notify_by_pspec (G_OBJECT (self), group_properties[GROUP_PROP_EXPANDED]);
}

static void
group_set_n_feeds (FwFeedGroup *self,
                   guint        n_feeds)
{
  if (self->n_feeds == n_feeds)
    return;
  self->n_feeds = n_feeds;
  g_object_notify_by_pspec (G_OBJECT (self), group_properties[GROUP_PROP_N_FEEDS]);
}

/* ---------------------------------------------------------------------------------------- */

struct _FwSidebarModel
{
  GObject     parent_instance;

  FwFeedList *feeds;
  GPtrArray  *rows;       /* FwFeedGroup and FwFeedRunner, as listed */
  GHashTable *groups;     /* name → FwFeedGroup, those with a feed */
  GHashTable *collapsed;  /* names */
  char       *filter;     /* casefolded, or NULL */
};

static void fw_sidebar_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FwSidebarModel, fw_sidebar_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      fw_sidebar_model_list_model_init))

static GType
fw_sidebar_model_get_item_type (GListModel *model)
{
  return G_TYPE_OBJECT;
}

static guint
fw_sidebar_model_get_n_items (GListModel *model)
{
  return FW_SIDEBAR_MODEL (model)->rows->len;
}

static gpointer
fw_sidebar_model_get_item (GListModel *model,
                           guint       position)
{
  FwSidebarModel *self = FW_SIDEBAR_MODEL (model);

  if (position >= self->rows->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->rows, position));
}

static void
fw_sidebar_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = fw_sidebar_model_get_item_type;
  iface->get_n_items = fw_sidebar_model_get_n_items;
  iface->get_item = fw_sidebar_model_get_item;
}

static gboolean
text_matches (const char *text,
              const char *filter)
{
  g_autofree char *folded = NULL;

  if (text == NULL)
    return FALSE;
  folded = g_utf8_casefold (text, -1);
  return strstr (folded, filter) != NULL;
}

static gboolean
runner_matches (FwFeedRunner *runner,
                const char   *filter)
{
  return text_matches (fw_feed_runner_get_title (runner), filter) ||
         text_matches (fw_feed_runner_get_spec (runner), filter);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

/* Publishes @rows in place of the current ones: one splice of the part that differs */
static void
publish (FwSidebarModel *self,
         GPtrArray      *rows)
{
  guint old_len = self->rows->len;
  guint new_len = rows->len;
  guint prefix = 0;
  guint suffix = 0;
  g_autoptr(GPtrArray) old = NULL;

  while (prefix < old_len && prefix < new_len &&
         g_ptr_array_index (self->rows, prefix) == g_ptr_array_index (rows, prefix))
    prefix++;
  while (suffix < old_len - prefix && suffix < new_len - prefix &&
         g_ptr_array_index (self->rows, old_len - 1 - suffix) ==
         g_ptr_array_index (rows, new_len - 1 - suffix))
    suffix++;

  old = g_steal_pointer (&self->rows);
  self->rows = g_ptr_array_ref (rows);
  if (old_len - prefix - suffix > 0 || new_len - prefix - suffix > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), prefix, old_len - prefix - suffix,
                                new_len - prefix - suffix);
}

static void
rebuild (FwSidebarModel *self)
{
  GListModel *feeds = G_LIST_MODEL (self->feeds);
  guint n = g_list_model_get_n_items (feeds);
  g_autoptr(GHashTable) members = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                         (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        g_object_unref);
  g_autoptr(GPtrArray) ungrouped = g_ptr_array_new ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree const char **names = NULL;
  guint n_names;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FwFeedRunner) runner = g_list_model_get_item (feeds, i);
      const char *group = fw_feed_runner_get_group (runner);
      GPtrArray *in_group;

      if (group == NULL)
        {
          if (self->filter == NULL || runner_matches (runner, self->filter))
            g_ptr_array_add (ungrouped, runner);
          continue;
        }
      in_group = g_hash_table_lookup (members, group);
      if (in_group == NULL)
        {
          in_group = g_ptr_array_new ();
          g_hash_table_insert (members, (gpointer) group, in_group);
        }
      g_ptr_array_add (in_group, runner);
    }

  names = (const char **) g_hash_table_get_keys_as_array (members, &n_names);
  qsort (names, n_names, sizeof *names, compare_names);
  for (guint i = 0; i < n_names; i++)
    {
      GPtrArray *in_group = g_hash_table_lookup (members, names[i]);
      FwFeedGroup *group = g_hash_table_lookup (self->groups, names[i]);
      gboolean group_matches = self->filter == NULL || text_matches (names[i], self->filter);
      g_autoptr(GPtrArray) shown = g_ptr_array_new ();

      for (guint j = 0; j < in_group->len; j++)
        if (group_matches || runner_matches (g_ptr_array_index (in_group, j), self->filter))
          g_ptr_array_add (shown, g_ptr_array_index (in_group, j));

      /* The same object as long as the group has feeds: its row keeps its place */
      if (group != NULL)
        g_object_ref (group);
      else
        {
          group = g_object_new (FW_TYPE_FEED_GROUP, NULL);
          group->name = g_strdup (names[i]);
        }
      g_hash_table_insert (groups, g_strdup (names[i]), group);
      group_set_n_feeds (group, in_group->len);
      group_set_expanded (group, !g_hash_table_contains (self->collapsed, names[i]));
      if (shown->len == 0)
        continue;
      g_ptr_array_add (rows, g_object_ref (group));
      if (group->expanded || self->filter != NULL)
        for (guint j = 0; j < shown->len; j++)
          g_ptr_array_add (rows, g_object_ref (g_ptr_array_index (shown, j)));
    }
  for (guint i = 0; i < ungrouped->len; i++)
    g_ptr_array_add (rows, g_object_ref (g_ptr_array_index (ungrouped, i)));

  g_hash_table_unref (self->groups);
  self->groups = g_steal_pointer (&groups);
  publish (self, rows);
}

static void
on_runner_changed (FwSidebarModel *self)
{
  rebuild (self);
}

static void
on_runner_title_changed (FwSidebarModel *self)
{
  /* Only the filter reads titles */
  if (self->filter != NULL)
    rebuild (self);
}

static void
on_feeds_items_changed (GListModel     *feeds,
                        guint           position,
                        guint           removed,
                        guint           added,
                        FwSidebarModel *self)
{
  gboolean plain = self->filter == NULL && g_hash_table_size (self->groups) == 0;

  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(FwFeedRunner) runner = g_list_model_get_item (feeds, i);

      g_signal_connect_object (runner, "notify::group", G_CALLBACK (on_runner_changed), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (runner, "notify::title", G_CALLBACK (on_runner_title_changed),
                               self, G_CONNECT_SWAPPED);
      if (fw_feed_runner_get_group (runner) != NULL)
        plain = FALSE;
    }

  /* The feed list as it is: followed change by change (thousands of feeds load one by one) */
  if (plain)
    {
      g_ptr_array_remove_range (self->rows, position, removed);
      for (guint i = 0; i < added; i++)
        g_ptr_array_insert (self->rows, position + i, g_list_model_get_item (feeds, position + i));
      g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
      return;
    }
  rebuild (self);
}

static void
fw_sidebar_model_dispose (GObject *object)
{
  FwSidebarModel *self = FW_SIDEBAR_MODEL (object);

  if (self->feeds != NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->feeds));

      g_signal_handlers_disconnect_by_data (self->feeds, self);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(FwFeedRunner) runner = g_list_model_get_item (G_LIST_MODEL (self->feeds), i);

          g_signal_handlers_disconnect_by_data (runner, self);
        }
    }
  g_clear_object (&self->feeds);
  g_ptr_array_set_size (self->rows, 0);
  g_hash_table_remove_all (self->groups);

  G_OBJECT_CLASS (fw_sidebar_model_parent_class)->dispose (object);
}

static void
fw_sidebar_model_finalize (GObject *object)
{
  FwSidebarModel *self = FW_SIDEBAR_MODEL (object);

  g_ptr_array_unref (self->rows);
  g_hash_table_unref (self->groups);
  g_hash_table_unref (self->collapsed);
  g_free (self->filter);

  G_OBJECT_CLASS (fw_sidebar_model_parent_class)->finalize (object);
}

static void
fw_sidebar_model_class_init (FwSidebarModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fw_sidebar_model_dispose;
  object_class->finalize = fw_sidebar_model_finalize;
}

static void
fw_sidebar_model_init (FwSidebarModel *self)
{
  self->rows = g_ptr_array_new_with_free_func (g_object_unref);
  self->groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->collapsed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

FwSidebarModel *
fw_sidebar_model_new (FwFeedList *feeds)
{
  FwSidebarModel *self;
  guint n;

  g_return_val_if_fail (FW_IS_FEED_LIST (feeds), NULL);

  self = g_object_new (FW_TYPE_SIDEBAR_MODEL, NULL);
  self->feeds = g_object_ref (feeds);
  g_signal_connect (feeds, "items-changed", G_CALLBACK (on_feeds_items_changed), self);
  n = g_list_model_get_n_items (G_LIST_MODEL (feeds));
  if (n > 0)
    on_feeds_items_changed (G_LIST_MODEL (feeds), 0, 0, n, self);

  return self;
}

/**
 * fw_sidebar_model_set_filter:
 * @text: (nullable): what the feeds' titles or texts must hold, in any case; %NULL or "" for
 *   all feeds
 */
void
fw_sidebar_model_set_filter (FwSidebarModel *self,
                             const char     *text)
{
  g_autofree char *filter = NULL;

  g_return_if_fail (FW_IS_SIDEBAR_MODEL (self));

  if (text != NULL && text[0] != '\0')
    filter = g_utf8_casefold (text, -1);
  if (g_strcmp0 (filter, self->filter) == 0)
    return;
  g_free (self->filter);
  self->filter = g_steal_pointer (&filter);
  rebuild (self);
}

void
fw_sidebar_model_set_expanded (FwSidebarModel *self,
                               const char     *group,
                               gboolean        expanded)
{
  g_return_if_fail (FW_IS_SIDEBAR_MODEL (self));
  g_return_if_fail (group != NULL);

  if (expanded == !g_hash_table_contains (self->collapsed, group))
    return;
  if (expanded)
    g_hash_table_remove (self->collapsed, group);
  else
    g_hash_table_add (self->collapsed, g_strdup (group));
  rebuild (self);
}

gboolean
fw_sidebar_model_get_expanded (FwSidebarModel *self,
                               const char     *group)
{
  g_return_val_if_fail (FW_IS_SIDEBAR_MODEL (self), FALSE);

  return !g_hash_table_contains (self->collapsed, group);
}

/**
 * fw_sidebar_model_set_collapsed:
 * @groups: the groups whose feeds are not listed (those remembered from last time)
 */
void
fw_sidebar_model_set_collapsed (FwSidebarModel     *self,
                                const char * const *groups)
{
  g_return_if_fail (FW_IS_SIDEBAR_MODEL (self));

  g_hash_table_remove_all (self->collapsed);
  for (guint i = 0; groups != NULL && groups[i] != NULL; i++)
    g_hash_table_add (self->collapsed, g_strdup (groups[i]));
  rebuild (self);
}

/**
 * fw_sidebar_model_dup_collapsed:
 *
 * Returns: (transfer full): the groups collapsed, by name, sorted
 */
char **
fw_sidebar_model_dup_collapsed (FwSidebarModel *self)
{
  g_autofree char **names = NULL;
  guint n;

  g_return_val_if_fail (FW_IS_SIDEBAR_MODEL (self), NULL);

  names = (char **) g_hash_table_get_keys_as_array (self->collapsed, &n);
  qsort (names, n, sizeof *names, compare_names);
  return g_strdupv (names);
}

/**
 * fw_sidebar_model_dup_groups:
 *
 * Returns: (transfer full): the groups that have feeds, by name, sorted
 */
char **
fw_sidebar_model_dup_groups (FwSidebarModel *self)
{
  g_autofree char **names = NULL;
  guint n;

  g_return_val_if_fail (FW_IS_SIDEBAR_MODEL (self), NULL);

  names = (char **) g_hash_table_get_keys_as_array (self->groups, &n);
  qsort (names, n, sizeof *names, compare_names);
  return g_strdupv (names);
}

/**
 * fw_sidebar_model_find:
 * @item: a feed's runner or a group
 *
 * Returns: whether @item is listed, at *@position
 */
gboolean
fw_sidebar_model_find (FwSidebarModel *self,
                       gpointer        item,
                       guint          *position)
{
  g_return_val_if_fail (FW_IS_SIDEBAR_MODEL (self), FALSE);

  return g_ptr_array_find (self->rows, item, position);
}
