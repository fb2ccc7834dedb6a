/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-alert-log.c: the alerts the engine announced, as the Alerts view, the sidebar's badges
 * and the live list's highlights read them.
 *
 * An alert is one (rule, feed, series): it is active from its firing to its clearing, unless
 * the user acknowledged it, and each firing and clearing goes to the history, newest first,
 * bounded (older entries are dropped and counted). The history is saved as JSON, a second after
 * it changes, written by GIO's async file replacement (the serializing of at most a few hundred
 * entries stays on the main loop); it is read at startup, synchronously, for the same reason:
 * it is small. What is active is not saved: the engine starts afresh with each launch and
 * fires again what is still true.
 *
 * The items that fired alerts are remembered by address and time, never dereferenced: the
 * live list asks about the items it binds, which are alive, so a match is the same item. */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "fw-alert-log.h"
#include "fw-safe-text.h"
#include "fw-units.h"

/* How long a change waits before it is saved, so a burst of firings is written once */
#define SAVE_DELAY_MS 1000
/* A current value shown in the view changes at most this often */
#define VALUE_EVERY_US (G_USEC_PER_SEC / 4)
/* The texts kept are one line of at most this many characters */
#define MAX_TEXT 200

struct _FwAlertEntry
{
  GObject  parent_instance;

  char    *rule_name;
  char    *rule;
  char    *feed;
  char    *series;     /* or NULL */
  char    *text;       /* the line that fired it, or the value now */
  gint64   time_us;    /* fired since (active), or when this happened (history) */
  gint64   shown_us;   /* when the value shown was read */
  gboolean cleared;
  gboolean acknowledged;
};

enum { ENTRY_PROP_0, ENTRY_PROP_TEXT, ENTRY_PROP_ACKNOWLEDGED, N_ENTRY_PROPS };
static GParamSpec *entry_properties[N_ENTRY_PROPS];

G_DEFINE_FINAL_TYPE (FwAlertEntry, fw_alert_entry, G_TYPE_OBJECT)

static void
fw_alert_entry_finalize (GObject *object)
{
  FwAlertEntry *self = FW_ALERT_ENTRY (object);

  g_free (self->rule_name);
  g_free (self->rule);
  g_free (self->feed);
  g_free (self->series);
  g_free (self->text);

  G_OBJECT_CLASS (fw_alert_entry_parent_class)->finalize (object);
}

static void
fw_alert_entry_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  FwAlertEntry *self = FW_ALERT_ENTRY (object);

  switch (prop_id)
    {
    case ENTRY_PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    case ENTRY_PROP_ACKNOWLEDGED:
      g_value_set_boolean (value, self->acknowledged);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_alert_entry_class_init (FwAlertEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fw_alert_entry_finalize;
  object_class->get_property = fw_alert_entry_get_property;

  entry_properties[ENTRY_PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  entry_properties[ENTRY_PROP_ACKNOWLEDGED] =
    g_param_spec_boolean ("acknowledged", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_ENTRY_PROPS, entry_properties);
}

static void
fw_alert_entry_init (FwAlertEntry *self)
{
}

static FwAlertEntry *
entry_new (const char *rule_name,
           const char *rule,
           const char *feed,
           const char *series,
           const char *text,
           gint64      time_us,
           gboolean    cleared)
{
  FwAlertEntry *self = g_object_new (FW_TYPE_ALERT_ENTRY, NULL);

  self->rule_name = g_strdup (rule_name != NULL ? rule_name : "");
  self->rule = g_strdup (rule != NULL ? rule : "");
  self->feed = g_strdup (feed != NULL ? feed : "");
  self->series = g_strdup (series);
  self->text = g_strdup (text != NULL ? text : "");
  self->time_us = time_us;
  self->cleared = cleared;

  return self;
}

static FwAlertEntry *
entry_copy (FwAlertEntry *entry,
            gboolean      cleared,
            gint64        time_us,
            const char   *text)
{
  return entry_new (entry->rule_name, entry->rule, entry->feed, entry->series, text, time_us,
                    cleared);
}

static void
entry_set_text (FwAlertEntry *self,
                const char   *text)
{
  if (g_strcmp0 (self->text, text) == 0)
    return;
  g_free (self->text);
  self->text = g_strdup (text);
  g_object_notify_by_pspec (G_OBJECT (self), entry_properties[ENTRY_PROP_TEXT]);
}

/* Getters */

const char *
fw_alert_entry_get_rule_name (FwAlertEntry *self)
{
  g_return_val_if_fail (FW_IS_ALERT_ENTRY (self), NULL);
  return self->rule_name;
}

const char *
fw_alert_entry_get_rule (FwAlertEntry *self)
{
  g_return_val_if_fail (FW_IS_ALERT_ENTRY (self), NULL);
  return self->rule;
}

const char *
fw_alert_entry_get_feed (FwAlertEntry *self)
{
  g_return_val_if_fail (FW_IS_ALERT_ENTRY (self), NULL);
  return self->feed;
}

/**
 * fw_alert_entry_get_series:
 *
 * Returns: (nullable): the series a threshold rule watches
 */
const char *
fw_alert_entry_get_series (FwAlertEntry *self)
{
  g_return_val_if_fail (FW_IS_ALERT_ENTRY (self), NULL);
  return self->series;
}

/**
 * fw_alert_entry_get_text:
 *
 * Returns: the line that fired or cleared the alert, or the value read (for an active
 *   threshold alert, the latest), as one line of plain text
 */
const char *
fw_alert_entry_get_text (FwAlertEntry *self)
{
  g_return_val_if_fail (FW_IS_ALERT_ENTRY (self), NULL);
  return self->text;
}

/**
 * fw_alert_entry_get_time:
 *
 * Returns: for an active alert, when it fired; in the history, when this happened (µs since
 *   the epoch)
 */
gint64
fw_alert_entry_get_time (FwAlertEntry *self)
{
  g_return_val_if_fail (FW_IS_ALERT_ENTRY (self), 0);
  return self->time_us;
}

/**
 * fw_alert_entry_get_cleared:
 *
 * Returns: in the history, whether this is a clearing (else a firing)
 */
gboolean
fw_alert_entry_get_cleared (FwAlertEntry *self)
{
  g_return_val_if_fail (FW_IS_ALERT_ENTRY (self), FALSE);
  return self->cleared;
}

gboolean
fw_alert_entry_get_acknowledged (FwAlertEntry *self)
{
  g_return_val_if_fail (FW_IS_ALERT_ENTRY (self), FALSE);
  return self->acknowledged;
}

/* ---------------------------------------------------------------------------------------- */

typedef struct
{
  gconstpointer item;
  gint64        time_us;
} Trigger;

struct _FwAlertLog
{
  GObject       parent_instance;

  char         *path;          /* or NULL: not saved */
  guint         max_history;
  GListStore   *active;        /* FwAlertEntry, newest first */
  GListStore   *acknowledged;
  GListStore   *history;
  GHashTable   *by_key;        /* rule, feed, series → FwAlertEntry, active or acknowledged */
  GHashTable   *feed_counts;   /* feed → active alerts not acknowledged (GUINT_TO_POINTER) */
  guint         n_with_series; /* active alerts whose value is followed */
  guint64       n_dropped;

  GHashTable   *triggers;      /* item address → Trigger, of the last max_history */
  GQueue        trigger_order;

  guint         save_source;
  gboolean      dirty;
  gboolean      saving;
  GCancellable *cancellable;
};

enum { PROP_0, PROP_N_DROPPED, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { FEED_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (FwAlertLog, fw_alert_log, G_TYPE_OBJECT)

static void
fw_alert_log_dispose (GObject *object)
{
  FwAlertLog *self = FW_ALERT_LOG (object);

  g_clear_handle_id (&self->save_source, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (fw_alert_log_parent_class)->dispose (object);
}

static void
fw_alert_log_finalize (GObject *object)
{
  FwAlertLog *self = FW_ALERT_LOG (object);

  g_free (self->path);
  g_clear_object (&self->active);
  g_clear_object (&self->acknowledged);
  g_clear_object (&self->history);
  g_hash_table_unref (self->by_key);
  g_hash_table_unref (self->feed_counts);
  g_hash_table_unref (self->triggers);
  g_queue_clear_full (&self->trigger_order, g_free);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (fw_alert_log_parent_class)->finalize (object);
}

static void
fw_alert_log_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  FwAlertLog *self = FW_ALERT_LOG (object);

  switch (prop_id)
    {
    case PROP_N_DROPPED:
      g_value_set_uint64 (value, self->n_dropped);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_alert_log_class_init (FwAlertLogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fw_alert_log_dispose;
  object_class->finalize = fw_alert_log_finalize;
  object_class->get_property = fw_alert_log_get_property;

  properties[PROP_N_DROPPED] =
    g_param_spec_uint64 ("n-dropped", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FwAlertLog::feed-changed:
   * @feed: the feed whose count of active alerts changed
   */
  signals[FEED_CHANGED] =
    g_signal_new ("feed-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
fw_alert_log_init (FwAlertLog *self)
{
  self->max_history = FW_ALERT_LOG_DEFAULT_MAX_HISTORY;
  self->active = g_list_store_new (FW_TYPE_ALERT_ENTRY);
  self->acknowledged = g_list_store_new (FW_TYPE_ALERT_ENTRY);
  self->history = g_list_store_new (FW_TYPE_ALERT_ENTRY);
  self->by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->feed_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->triggers = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_queue_init (&self->trigger_order);
  self->cancellable = g_cancellable_new ();
}

/* ---------------------------------------------------------------------------------------- */
/* Saving and loading */

static char *
history_to_json (FwAlertLog *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->history));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "dropped");
  json_builder_add_int_value (builder, (gint64) MIN (self->n_dropped, G_MAXINT64));
  json_builder_set_member_name (builder, "history");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FwAlertEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->history), i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "event");
      json_builder_add_string_value (builder, entry->cleared ? "cleared" : "fired");
      json_builder_set_member_name (builder, "time");
      json_builder_add_int_value (builder, entry->time_us);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, entry->rule_name);
      json_builder_set_member_name (builder, "rule");
      json_builder_add_string_value (builder, entry->rule);
      json_builder_set_member_name (builder, "feed");
      json_builder_add_string_value (builder, entry->feed);
      if (entry->series != NULL)
        {
          json_builder_set_member_name (builder, "series");
          json_builder_add_string_value (builder, entry->series);
        }
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, entry->text);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static void schedule_save (FwAlertLog *self);

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(FwAlertLog) self = user_data;
  g_autoptr(GError) error = NULL;

  self->saving = FALSE;
  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_message (_("Could not save the alert history to “%s”: %s. "
                   "It is kept while Feedwatch runs."),
                 self->path, error->message);
    }
  if (self->dirty)
    schedule_save (self);
}

static gboolean
save_now (gpointer user_data)
{
  FwAlertLog *self = user_data;
  g_autoptr(GFile) file = g_file_new_for_path (self->path);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *dir = g_path_get_dirname (self->path);
  char *json;

  self->save_source = 0;
  self->dirty = FALSE;
  self->saving = TRUE;
  g_mkdir_with_parents (dir, 0700);
  json = history_to_json (self);
  bytes = g_bytes_new_take (json, strlen (json));
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_PRIVATE,
                                       self->cancellable, on_saved, g_object_ref (self));

  return G_SOURCE_REMOVE;
}

static void
schedule_save (FwAlertLog *self)
{
  self->dirty = TRUE;
  if (self->path == NULL || self->save_source != 0 || self->saving)
    return;
  self->save_source = g_timeout_add (SAVE_DELAY_MS, save_now, self);
  g_source_set_name_by_id (self->save_source, "[feedwatch] alert history save");
}

/**
 * fw_alert_log_flush:
 *
 * Writes the history now if it changed since it was last saved (at quit), after a save under
 * way, so that one cannot overwrite it with older contents.
 *
 * Returns: whether the history is saved (or has no file)
 */
gboolean
fw_alert_log_flush (FwAlertLog  *self,
                    GError     **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *json = NULL;

  g_return_val_if_fail (FW_IS_ALERT_LOG (self), FALSE);

  while (self->saving)
    g_main_context_iteration (NULL, TRUE);
  g_clear_handle_id (&self->save_source, g_source_remove);
  if (self->path == NULL || !self->dirty)
    return TRUE;

  self->dirty = FALSE;
  dir = g_path_get_dirname (self->path);
  g_mkdir_with_parents (dir, 0700);
  json = history_to_json (self);
  return g_file_set_contents_full (self->path, json, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                   error);
}

/**
 * fw_alert_log_get_saving:
 *
 * Returns: whether a change waits to be saved, or a save is under way
 */
gboolean
fw_alert_log_get_saving (FwAlertLog *self)
{
  g_return_val_if_fail (FW_IS_ALERT_LOG (self), FALSE);

  return self->saving || self->save_source != 0;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static void
load (FwAlertLog *self)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  JsonObject *root;
  JsonArray *history;

  if (!json_parser_load_from_mapped_file (parser, self->path, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_message (_("The alert history in “%s” could not be read (%s): it starts empty."),
                   self->path, error->message);
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  root = json_node_get_object (json_parser_get_root (parser));
  if (json_object_has_member (root, "dropped"))
    self->n_dropped = (guint64) MAX (json_object_get_int_member (root, "dropped"), 0);
  if (!json_object_has_member (root, "history") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "history")))
    return;
  history = json_object_get_array_member (root, "history");
  for (guint i = 0; i < json_array_get_length (history); i++)
    {
      JsonNode *node = json_array_get_element (history, i);
      JsonObject *object;
      JsonNode *time;
      const char *event;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      event = member_string (object, "event");
      time = json_object_get_member (object, "time");
      if (event == NULL || time == NULL || json_node_get_value_type (time) != G_TYPE_INT64)
        continue;
      if (entries->len >= self->max_history)
        {
          self->n_dropped++;
          continue;
        }
      g_ptr_array_add (entries, entry_new (member_string (object, "name"),
                                           member_string (object, "rule"),
                                           member_string (object, "feed"),
                                           member_string (object, "series"),
                                           member_string (object, "text"),
                                           json_node_get_int (time),
                                           g_str_equal (event, "cleared")));
    }
  g_list_store_splice (self->history, 0, 0, entries->pdata, entries->len);
}

/* ---------------------------------------------------------------------------------------- */

/**
 * fw_alert_log_new:
 * @path: (nullable): the file the history is kept in; %NULL: kept only in memory
 *
 * Returns: (transfer full): a log with the history read from @path
 */
FwAlertLog *
fw_alert_log_new (const char *path)
{
  FwAlertLog *self = g_object_new (FW_TYPE_ALERT_LOG, NULL);

  self->path = g_strdup (path);
  if (path != NULL)
    load (self);

  return self;
}

/**
 * fw_alert_log_get_default:
 *
 * Returns: (transfer none): the process's log, kept in the user's state folder
 *   (`$XDG_STATE_HOME/feedwatch/alerts.json`)
 */
FwAlertLog *
fw_alert_log_get_default (void)
{
  static FwAlertLog *log;

  if (g_once_init_enter (&log))
    {
      g_autofree char *path = g_build_filename (g_get_user_state_dir (), "feedwatch",
                                                "alerts.json", NULL);
      g_once_init_leave (&log, fw_alert_log_new (path));
    }

  return log;
}

/**
 * fw_alert_log_get_path:
 *
 * Returns: (nullable): where the history is kept
 */
const char *
fw_alert_log_get_path (FwAlertLog *self)
{
  g_return_val_if_fail (FW_IS_ALERT_LOG (self), NULL);
  return self->path;
}

static void
trim_history (FwAlertLog *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->history));

  if (n <= self->max_history)
    return;
  g_list_store_splice (self->history, self->max_history, n - self->max_history, NULL, 0);
  self->n_dropped += n - self->max_history;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DROPPED]);
}

guint
fw_alert_log_get_max_history (FwAlertLog *self)
{
  g_return_val_if_fail (FW_IS_ALERT_LOG (self), 0);
  return self->max_history;
}

void
fw_alert_log_set_max_history (FwAlertLog *self,
                              guint       max_history)
{
  g_return_if_fail (FW_IS_ALERT_LOG (self));
  g_return_if_fail (max_history > 0);

  self->max_history = max_history;
  trim_history (self);
}

static void
add_to_history (FwAlertLog   *self,
                FwAlertEntry *entry)
{
  g_list_store_insert (self->history, 0, entry);
  trim_history (self);
  schedule_save (self);
}

static char *
key_for (const char *rule,
         const char *feed,
         const char *series)
{
  return g_strjoin ("\x1f", rule != NULL ? rule : "", feed != NULL ? feed : "",
                    series != NULL ? series : "", NULL);
}

static void
count_feed (FwAlertLog *self,
            const char *feed,
            int         delta)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->feed_counts, feed));

  n = (guint) MAX ((int) n + delta, 0);
  if (n == 0)
    g_hash_table_remove (self->feed_counts, feed);
  else
    g_hash_table_insert (self->feed_counts, g_strdup (feed), GUINT_TO_POINTER (n));
  g_signal_emit (self, signals[FEED_CHANGED], 0, feed);
}

static void
remove_from (GListStore   *store,
             FwAlertEntry *entry)
{
  guint position;

  if (g_list_store_find (store, entry, &position))
    g_list_store_remove (store, position);
}

static void
remember_trigger (FwAlertLog   *self,
                  const FwItem *item)
{
  Trigger *trigger = g_hash_table_lookup (self->triggers, item);

  if (trigger != NULL)
    {
      trigger->time_us = item->time_us;
      return;
    }
  trigger = g_new (Trigger, 1);
  trigger->item = item;
  trigger->time_us = item->time_us;
  g_hash_table_insert (self->triggers, (gpointer) item, trigger);
  g_queue_push_tail (&self->trigger_order, trigger);
  while (g_queue_get_length (&self->trigger_order) > self->max_history)
    {
      Trigger *oldest = g_queue_pop_head (&self->trigger_order);

      g_hash_table_remove (self->triggers, oldest->item);
      g_free (oldest);
    }
}

/**
 * fw_alert_log_add:
 * @alert: a %FW_ITEM_ALERT item from the engine
 * @trigger: (nullable): the item that fired it, as the windows received it
 *
 * Records a firing or a clearing.
 */
void
fw_alert_log_add (FwAlertLog   *self,
                  FwItem       *alert,
                  const FwItem *trigger)
{
  const char *what = NULL, *rule = NULL, *series = NULL;
  g_autofree char *key = NULL;
  g_autofree char *text = NULL;
  FwAlertEntry *entry;

  g_return_if_fail (FW_IS_ALERT_LOG (self));
  g_return_if_fail (alert != NULL && alert->kind == FW_ITEM_ALERT);

  if (alert->fields != NULL)
    {
      g_variant_lookup (alert->fields, "alert", "&s", &what);
      g_variant_lookup (alert->fields, "rule", "&s", &rule);
      g_variant_lookup (alert->fields, "series", "&s", &series);
    }
  key = key_for (rule, alert->feed, series);
  /* What a feed says is shown as it is, on one line */
  text = fw_safe_text (alert->text, alert->text_len, MAX_TEXT);
  entry = g_hash_table_lookup (self->by_key, key);

  if (g_strcmp0 (what, "fired") == 0)
    {
      g_autoptr(FwAlertEntry) fired = entry_new (alert->name, rule, alert->feed, series, text,
                                                 alert->time_us, FALSE);

      if (trigger != NULL)
        remember_trigger (self, trigger);
      add_to_history (self, fired);
      if (entry != NULL)
        {
          /* Already active: the engine restarted under it */
          entry_set_text (entry, text);
          return;
        }
      entry = entry_copy (fired, FALSE, alert->time_us, text);
      entry->shown_us = alert->time_us;
      g_hash_table_insert (self->by_key, g_steal_pointer (&key), entry);
      if (entry->series != NULL)
        self->n_with_series++;
      g_list_store_insert (self->active, 0, entry);
      count_feed (self, entry->feed, +1);
    }
  else
    {
      g_autoptr(FwAlertEntry) cleared = entry_new (alert->name, rule, alert->feed, series, text,
                                                   alert->time_us, TRUE);

      add_to_history (self, cleared);
      if (entry == NULL)
        return;
      g_object_ref (entry);
      g_hash_table_remove (self->by_key, key);
      if (entry->series != NULL)
        self->n_with_series--;
      if (entry->acknowledged)
        remove_from (self->acknowledged, entry);
      else
        {
          remove_from (self->active, entry);
          count_feed (self, entry->feed, -1);
        }
      g_object_unref (entry);
    }
}

/**
 * fw_alert_log_note_items:
 *
 * Follows the values of the series whose alerts are active, as the view shows them. Costs
 * nothing while no such alert is active.
 */
void
fw_alert_log_note_items (FwAlertLog     *self,
                         FwItem * const *items,
                         guint           n_items)
{
  GHashTableIter iter;
  FwAlertEntry *entry;

  g_return_if_fail (FW_IS_ALERT_LOG (self));

  if (self->n_with_series == 0)
    return;

  for (guint i = 0; i < n_items; i++)
    {
      const FwItem *item = items[i];

      if (!(item->flags & FW_ITEM_FLAG_HAS_VALUE) || item->name == NULL)
        continue;
      g_hash_table_iter_init (&iter, self->by_key);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
        {
          g_autofree char *value = NULL;
          g_autofree char *text = NULL;

          if (entry->series == NULL || item->time_us - entry->shown_us < VALUE_EVERY_US ||
              g_strcmp0 (entry->series, item->name) != 0 ||
              g_strcmp0 (entry->feed, item->feed) != 0)
            continue;
          entry->shown_us = item->time_us;
          value = fw_units_format (item->value, item->unit);
          text = g_strdup_printf ("%s = %s", item->name, value);
          entry_set_text (entry, text);
        }
    }
}

/**
 * fw_alert_log_end_active:
 * @why: what the history says of their clearing
 *
 * Ends every active alert (acknowledged or not): the rules changed, the engine that watched
 * them is gone, and a new one fires again what still holds.
 */
void
fw_alert_log_end_active (FwAlertLog *self,
                         const char *why)
{
  g_autoptr(GPtrArray) ended = NULL;
  gint64 now = g_get_real_time ();
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (FW_IS_ALERT_LOG (self));

  if (g_hash_table_size (self->by_key) == 0)
    return;
  ended = g_ptr_array_new_with_free_func (g_object_unref);
  g_hash_table_iter_init (&iter, self->by_key);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (ended, g_object_ref (value));
  g_hash_table_remove_all (self->by_key);
  self->n_with_series = 0;
  g_list_store_remove_all (self->active);
  g_list_store_remove_all (self->acknowledged);
  for (guint i = 0; i < ended->len; i++)
    {
      FwAlertEntry *entry = g_ptr_array_index (ended, i);
      g_autoptr(FwAlertEntry) cleared = entry_copy (entry, TRUE, now, why);

      add_to_history (self, cleared);
      if (!entry->acknowledged)
        count_feed (self, entry->feed, -1);
    }
}

/**
 * fw_alert_log_acknowledge:
 * @entry: an active alert
 *
 * Moves @entry to the acknowledged alerts: the user saw it; it stays there until it clears.
 */
void
fw_alert_log_acknowledge (FwAlertLog   *self,
                          FwAlertEntry *entry)
{
  guint position;

  g_return_if_fail (FW_IS_ALERT_LOG (self));
  g_return_if_fail (FW_IS_ALERT_ENTRY (entry));

  if (entry->acknowledged || !g_list_store_find (self->active, entry, &position))
    return;
  g_object_ref (entry);
  g_list_store_remove (self->active, position);
  entry->acknowledged = TRUE;
  g_list_store_insert (self->acknowledged, 0, entry);
  g_object_notify_by_pspec (G_OBJECT (entry), entry_properties[ENTRY_PROP_ACKNOWLEDGED]);
  count_feed (self, entry->feed, -1);
  g_object_unref (entry);
}

/**
 * fw_alert_log_get_active:
 *
 * Returns: (transfer none): the active alerts not acknowledged, newest first
 */
GListModel *
fw_alert_log_get_active (FwAlertLog *self)
{
  g_return_val_if_fail (FW_IS_ALERT_LOG (self), NULL);
  return G_LIST_MODEL (self->active);
}

/**
 * fw_alert_log_get_acknowledged:
 *
 * Returns: (transfer none): the active alerts the user acknowledged, last acknowledged first
 */
GListModel *
fw_alert_log_get_acknowledged (FwAlertLog *self)
{
  g_return_val_if_fail (FW_IS_ALERT_LOG (self), NULL);
  return G_LIST_MODEL (self->acknowledged);
}

/**
 * fw_alert_log_get_history:
 *
 * Returns: (transfer none): firings and clearings, newest first
 */
GListModel *
fw_alert_log_get_history (FwAlertLog *self)
{
  g_return_val_if_fail (FW_IS_ALERT_LOG (self), NULL);
  return G_LIST_MODEL (self->history);
}

/**
 * fw_alert_log_get_n_dropped:
 *
 * Returns: how many entries the history dropped to stay within its bound, across launches
 */
guint64
fw_alert_log_get_n_dropped (FwAlertLog *self)
{
  g_return_val_if_fail (FW_IS_ALERT_LOG (self), 0);
  return self->n_dropped;
}

/**
 * fw_alert_log_get_n_active_for_feed:
 *
 * Returns: how many of @feed's alerts are active and not acknowledged
 */
guint
fw_alert_log_get_n_active_for_feed (FwAlertLog *self,
                                    const char *feed)
{
  g_return_val_if_fail (FW_IS_ALERT_LOG (self), 0);

  if (feed == NULL)
    return 0;
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->feed_counts, feed));
}

/**
 * fw_alert_log_is_trigger:
 * @item: an item alive in a window
 *
 * Returns: whether @item fired one of the alerts of the last few hundred
 */
gboolean
fw_alert_log_is_trigger (FwAlertLog   *self,
                         const FwItem *item)
{
  Trigger *trigger;

  g_return_val_if_fail (FW_IS_ALERT_LOG (self), FALSE);

  trigger = g_hash_table_size (self->triggers) > 0 ? g_hash_table_lookup (self->triggers, item)
                                                    : NULL;
  return trigger != NULL && trigger->time_us == item->time_us;
}

/**
 * fw_alert_log_is_empty:
 *
 * Returns: whether nothing ever fired (no alert, no history)
 */
gboolean
fw_alert_log_is_empty (FwAlertLog *self)
{
  g_return_val_if_fail (FW_IS_ALERT_LOG (self), TRUE);

  return g_hash_table_size (self->by_key) == 0 &&
         g_list_model_get_n_items (G_LIST_MODEL (self->history)) == 0 && self->n_dropped == 0;
}
