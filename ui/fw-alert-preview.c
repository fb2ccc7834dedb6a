/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-alert-preview.c: an alert rule replayed on the items a window keeps, to tell the user
 * what it would have done before they save it. A fresh engine sees the items in their order,
 * its clock set to each item's own time, and is ticked at each deadline that falls between two
 * items, so durations, rates and silences count as they would have live. */

#include "fw-alert-preview.h"

#include "fw-alert-engine.h"
#include "fw-item.h"

/* Cancellation is looked at once per this many items */
#define CHECK_EVERY 4096

typedef struct
{
  gint64  now;
  guint64 n_fired;
} Replay;

static gint64
replay_clock (gpointer user_data)
{
  return ((Replay *) user_data)->now;
}

static void
replay_count (FwItem   *alert,
              gpointer  user_data)
{
  const char *what = NULL;

  if (alert->fields != NULL && g_variant_lookup (alert->fields, "alert", "&s", &what) &&
      g_str_equal (what, "fired"))
    ((Replay *) user_data)->n_fired++;
}

/* Runs what time alone changes, at each deadline up to @until */
static void
tick_until (FwAlertEngine *engine,
            Replay        *replay,
            gint64         until)
{
  for (;;)
    {
      gint64 deadline = fw_alert_engine_get_next_deadline (engine);

      if (deadline > until)
        return;
      replay->now = MAX (deadline, replay->now);
      fw_alert_engine_tick (engine);
      /* Items out of time order can leave a deadline behind the clock: it was just run */
      if (fw_alert_engine_get_next_deadline (engine) <= deadline)
        return;
    }
}

static void
describe_feed (const char  *feed,
               char       **title,
               char       **group,
               gpointer     user_data)
{
  char **known = g_hash_table_lookup (user_data, feed);

  if (known == NULL)
    return;
  *title = g_strdup (known[0]);
  *group = known[0] != NULL ? g_strdup (known[1]) : NULL;
}

/**
 * fw_alert_preview_count:
 * @items: (element-type FwItem): oldest first, as fw_history_dup_items_since() gives them
 * @titles: (nullable) (element-type utf8 GStrv): feed → its title and, when it has one, its
 *   group, for rules scoped by those
 * @cancellable: (nullable): stops the count early (the result is then partial)
 *
 * Returns: how many times @rule fires on @items, counted as the engine announces firings
 */
guint64
fw_alert_preview_count (FwAlertRule  *rule,
                        GPtrArray    *items,
                        GHashTable   *titles,
                        GCancellable *cancellable)
{
  g_autoptr(FwAlertEngine) engine = fw_alert_engine_new ();
  Replay replay = { 0, 0 };

  g_return_val_if_fail (rule != NULL, 0);
  g_return_val_if_fail (items != NULL, 0);

  if (items->len == 0)
    return 0;

  replay.now = ((FwItem *) g_ptr_array_index (items, 0))->time_us;
  fw_alert_engine_set_clock (engine, replay_clock, &replay);
  fw_alert_engine_set_func (engine, replay_count, &replay, NULL);
  fw_alert_engine_add_rule (engine, rule);
  if (titles != NULL)
    {
      GHashTableIter iter;
      gpointer feed, known;

      fw_alert_engine_set_describe_func (engine, describe_feed, titles, NULL);
      g_hash_table_iter_init (&iter, titles);
      while (g_hash_table_iter_next (&iter, &feed, &known))
        fw_alert_engine_watch_feed (engine, feed, ((char **) known)[0]);
    }

  for (guint i = 0; i < items->len; i++)
    {
      FwItem *item = g_ptr_array_index (items, i);

      if (i % CHECK_EVERY == CHECK_EVERY - 1 && g_cancellable_is_cancelled (cancellable))
        break;
      tick_until (engine, &replay, item->time_us);
      replay.now = item->time_us;
      fw_alert_engine_process (engine, item);
    }

  return replay.n_fired;
}

typedef struct
{
  FwAlertRule *rule;
  GPtrArray   *items;
  GHashTable  *titles;
} CountData;

static void
count_data_free (CountData *data)
{
  fw_alert_rule_unref (data->rule);
  g_ptr_array_unref (data->items);
  g_clear_pointer (&data->titles, g_hash_table_unref);
  g_free (data);
}

static void
count_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  CountData *data = task_data;
  guint64 count = fw_alert_preview_count (data->rule, data->items, data->titles, cancellable);

  if (g_task_return_error_if_cancelled (task))
    return;
  g_task_return_pointer (task, g_memdup2 (&count, sizeof count), g_free);
}

/**
 * fw_alert_preview_count_async:
 * @items: (element-type FwItem): oldest first; they must not change while the count runs
 *
 * Counts as fw_alert_preview_count() does, in a worker thread: a long history does not stop
 * the window.
 */
void
fw_alert_preview_count_async (FwAlertRule         *rule,
                              GPtrArray           *items,
                              GHashTable          *titles,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  CountData *data = g_new0 (CountData, 1);

  g_task_set_source_tag (task, fw_alert_preview_count_async);
  data->rule = fw_alert_rule_ref (rule);
  data->items = g_ptr_array_ref (items);
  data->titles = titles != NULL ? g_hash_table_ref (titles) : NULL;
  g_task_set_task_data (task, data, (GDestroyNotify) count_data_free);
  g_task_run_in_thread (task, count_in_thread);
}

gboolean
fw_alert_preview_count_finish (GAsyncResult  *result,
                               guint64       *count,
                               GError       **error)
{
  g_autofree guint64 *value = NULL;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  value = g_task_propagate_pointer (G_TASK (result), error);
  if (value == NULL)
    return FALSE;
  if (count != NULL)
    *count = *value;

  return TRUE;
}
