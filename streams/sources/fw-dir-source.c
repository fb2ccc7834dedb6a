/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-dir-source.c: `dir:PATH`: a folder's changes as events named "created", "changed",
 * "deleted", "renamed", "moved in", "moved out"; the text is the entry's name ("old → new"
 * for a rename) and the fields carry the full path.
 *
 * The first pull checks the folder (async query), sets up a GFileMonitor (inotify works in
 * GIO's own thread) and answers with a "watching" status, so a consumer knows from when on
 * changes are seen. With --once it lists the entries present ("exists") and ends instead.
 * Events arriving while nobody pulls (a paused feed, a slow consumer) wait in a bounded queue:
 * a "changed" for a file whose event is still queued is merged into it, and past QUEUE_MAX the
 * oldest events go. The next pull says, first, how many were dropped or merged.
 *
 * A folder that does not exist yet, or is removed while watched, is waited for (a "waiting"
 * status, in words): a monitor on its name sees it created, with a slow poll as a safety net
 * (GIO polls for a name whose parent is missing too), and watching starts (again) then.
 */

#include "config.h"

#include "fw-dir-source.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include "fw-feed-state.h"

struct _FwDirSource
{
  FwStream         parent_instance;

  GRefString      *feed;
  GFile           *dir;
  gboolean         follow;

  GFileMonitor    *monitor;
  GFileMonitor    *appear_monitor;   /* on the folder's name, while waiting for it */
  GSource         *appear_poll;
  gboolean         waiting;
  gboolean         checking;
  GQueue           ready;
  GHashTable      *queued_by_path;   /* path → its newest link in ready, while queued */
  guint64          n_dropped;
  guint64          n_merged;
  GError          *error;
  gboolean         started;
  gboolean         pull_pending;
  gboolean         finished;
};

/**
 * FwDirSource:
 *
 * A `dir:PATH` feed: a folder's changes (created, changed, deleted, renamed) as events, through
 * file monitors.
 */
G_DEFINE_FINAL_TYPE (FwDirSource, fw_dir_source, FW_TYPE_STREAM)

#define LIST_BATCH 256
/* Plenty for a burst a person can read; ~600 bytes an event, so a few MB at most. */
#define QUEUE_MAX  4096
/* How often a folder waited for is looked for even without a monitor event */
#define APPEAR_POLL_MS 3000

static void check_folder (FwDirSource *self);

static void
clear_ready (FwDirSource *self)
{
  g_hash_table_remove_all (self->queued_by_path);
  g_queue_clear_full (&self->ready, (GDestroyNotify) fw_item_unref);
}

/* Says once, ahead of what was kept, what a full queue cost: a warning for dropped events,
 * a note for merged ones (nothing is lost, but the count of changes is). */
static FwItem *
take_backlog_note (FwDirSource *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  FwItem *item;

  if (self->n_dropped == 0 && self->n_merged == 0)
    return NULL;

  /* Whole sentences with their plural forms, so that each can be translated */
  if (self->n_dropped > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                               "%" PRIu64 " older folder event was dropped while "
                                               "the feed was paused or slow",
                                               "%" PRIu64 " older folder events were dropped "
                                               "while the feed was paused or slow",
                                               (gulong) self->n_dropped),
                            self->n_dropped);
  if (self->n_merged > 0 && text->len > 0)
    g_string_append (text, "; ");
  if (self->n_merged > 0 && self->n_dropped > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                               "%" PRIu64 " repeated change to the same files "
                                               "was merged",
                                               "%" PRIu64 " repeated changes to the same files "
                                               "were merged",
                                               (gulong) self->n_merged),
                            self->n_merged);
  else if (self->n_merged > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                               "%" PRIu64 " repeated change to the same files "
                                               "was merged while the feed was paused or slow",
                                               "%" PRIu64 " repeated changes to the same files "
                                               "were merged while the feed was paused or slow",
                                               (gulong) self->n_merged),
                            self->n_merged);

  item = fw_item_new (FW_ITEM_STATUS, self->feed, g_get_real_time (), text->str, -1);
  fw_item_set_name (item, "dropped");
  fw_item_set_level (item, self->n_dropped > 0 ? FW_LEVEL_WARNING : FW_LEVEL_INFO);
  self->n_dropped = 0;
  self->n_merged = 0;
  return item;
}

static gboolean
answer_pull (FwDirSource *self)
{
  FwStream *stream = FW_STREAM (self);
  gboolean had_items = self->ready.length > 0;
  FwItem *item;

  if (!self->pull_pending)
    return FALSE;

  if (had_items)
    {
      if ((item = take_backlog_note (self)) != NULL)
        fw_stream_yield (stream, item);
      g_hash_table_remove_all (self->queued_by_path);
      while ((item = g_queue_pop_head (&self->ready)) != NULL)
        fw_stream_yield (stream, item);
    }

  self->pull_pending = FALSE;
  if (self->error != NULL)
    fw_stream_pull_error (stream, g_steal_pointer (&self->error));
  else if (self->finished)
    fw_stream_pull_end (stream);
  else if (had_items)
    fw_stream_pull_done (stream);
  else
    self->pull_pending = TRUE;

  return !self->pull_pending;
}

static FwItem *
new_event (FwDirSource *self,
           const char  *type,
           GFile       *file,
           GFile       *other)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *text = NULL;
  GVariantBuilder fields;
  FwItem *item;

  if (other != NULL)
    {
      g_autofree char *other_name = g_file_get_basename (other);
      g_autofree char *other_path = g_file_get_path (other);

      text = g_strdup_printf ("%s → %s", name, other_name);
      g_free (path);
      path = g_steal_pointer (&other_path);
    }

  item = fw_item_new (FW_ITEM_EVENT, self->feed, g_get_real_time (),
                      text != NULL ? text : name, -1);
  fw_item_set_name (item, type);
  g_variant_builder_init (&fields, G_VARIANT_TYPE_VARDICT);
  if (path != NULL)
    g_variant_builder_add (&fields, "{sv}", "path", g_variant_new_string (path));
  fw_item_take_fields (item, g_variant_builder_end (&fields));
  return item;
}

static const char *
event_path (const FwItem *item)
{
  const char *path = NULL;

  if (item->fields != NULL)
    g_variant_lookup (item->fields, "path", "&s", &path);
  return path;
}

static void
drop_oldest (FwDirSource *self)
{
  GList *head = self->ready.head;
  FwItem *item = head->data;
  const char *path = event_path (item);

  if (path != NULL && g_hash_table_lookup (self->queued_by_path, path) == head)
    g_hash_table_remove (self->queued_by_path, path);
  fw_item_unref (g_queue_pop_head (&self->ready));
  self->n_dropped++;
}

/* A monitor event while nobody may be pulling: merged or bounded, see the top of the file. */
static void
queue_event (FwDirSource *self,
             const char  *type,
             GFile       *file,
             GFile       *other)
{
  FwItem *item;
  const char *path;

  if (g_str_equal (type, "changed"))
    {
      g_autofree char *changed = g_file_get_path (file);
      GList *queued = changed != NULL ? g_hash_table_lookup (self->queued_by_path, changed) : NULL;

      if (queued != NULL)
        {
          const char *what = ((FwItem *) queued->data)->name;

          if (g_strcmp0 (what, "created") == 0 || g_strcmp0 (what, "changed") == 0 ||
              g_strcmp0 (what, "moved in") == 0)
            {
              self->n_merged++;
              return;
            }
        }
    }

  while (self->ready.length >= QUEUE_MAX)
    drop_oldest (self);

  item = new_event (self, type, file, other);
  g_queue_push_tail (&self->ready, item);
  path = event_path (item);
  if (path != NULL)
    g_hash_table_insert (self->queued_by_path, g_strdup (path), self->ready.tail);
}

static void
add_status (FwDirSource *self,
            FwLevel      level,
            const char  *text)
{
  g_queue_push_tail (&self->ready,
                     fw_feed_status_new (self->feed, FW_FEED_STATE_IDLE, level, text));
}

/* A status that moves the feed to @state (waiting for the folder, live again) */
static void
add_state_status (FwDirSource *self,
                  FwFeedState  state,
                  FwLevel      level,
                  const char  *text)
{
  g_queue_push_tail (&self->ready, fw_feed_status_new (self->feed, state, level, text));
}

static void
stop_watching (FwDirSource *self)
{
  if (self->monitor == NULL)
    return;
  g_signal_handlers_disconnect_matched (self->monitor, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL,
                                        self);
  g_file_monitor_cancel (self->monitor);
  g_clear_object (&self->monitor);
}

static void
stop_waiting (FwDirSource *self)
{
  self->waiting = FALSE;
  if (self->appear_monitor != NULL)
    {
      g_signal_handlers_disconnect_matched (self->appear_monitor, G_SIGNAL_MATCH_DATA, 0, 0,
                                            NULL, NULL, self);
      g_file_monitor_cancel (self->appear_monitor);
      g_clear_object (&self->appear_monitor);
    }
  if (self->appear_poll != NULL)
    {
      g_source_destroy (self->appear_poll);
      g_clear_pointer (&self->appear_poll, g_source_unref);
    }
}

static void
on_name_changed (GFileMonitor      *monitor,
                 GFile             *file,
                 GFile             *other,
                 GFileMonitorEvent  event,
                 gpointer           user_data)
{
  check_folder (user_data);
}

static gboolean
on_appear_poll (gpointer user_data)
{
  check_folder (user_data);
  return G_SOURCE_CONTINUE;
}

/* Says why once, then looks again whenever the name changes, and every few seconds. */
static void
wait_for_folder (FwDirSource *self,
                 FwLevel      level,
                 const char  *text)
{
  g_autoptr(GFileMonitor) monitor = NULL;

  if (self->waiting)
    return;
  self->waiting = TRUE;
  add_state_status (self, FW_FEED_STATE_WAITING, level, text);

  monitor = g_file_monitor_file (self->dir, G_FILE_MONITOR_NONE, NULL, NULL);
  if (monitor != NULL)
    {
      self->appear_monitor = g_steal_pointer (&monitor);
      g_signal_connect (self->appear_monitor, "changed", G_CALLBACK (on_name_changed), self);
    }
  self->appear_poll = g_timeout_source_new (APPEAR_POLL_MS);
  g_source_set_callback (self->appear_poll, on_appear_poll, self, NULL);
  g_source_set_static_name (self->appear_poll, "[feedwatch] folder poll");
  g_source_attach (self->appear_poll, fw_stream_get_context (FW_STREAM (self)));
}

static void
folder_removed (FwDirSource *self)
{
  g_autofree char *path = g_file_get_parse_name (self->dir);
  g_autofree char *text = g_strdup_printf (_("“%s” was removed; waiting for the folder to be "
                                             "created again"), path);

  stop_watching (self);
  wait_for_folder (self, FW_LEVEL_WARNING, text);
}

static void
on_changed (GFileMonitor      *monitor,
            GFile             *file,
            GFile             *other,
            GFileMonitorEvent  event,
            gpointer           user_data)
{
  FwDirSource *self = user_data;

  switch (event)
    {
    case G_FILE_MONITOR_EVENT_CREATED:
      queue_event (self, "created", file, NULL);
      break;
    case G_FILE_MONITOR_EVENT_CHANGED:
      queue_event (self, "changed", file, NULL);
      break;
    case G_FILE_MONITOR_EVENT_DELETED:
      if (g_file_equal (file, self->dir))
        folder_removed (self);
      else
        queue_event (self, "deleted", file, NULL);
      break;
    case G_FILE_MONITOR_EVENT_RENAMED:
      queue_event (self, "renamed", file, other);
      break;
    case G_FILE_MONITOR_EVENT_MOVED_IN:
      queue_event (self, "moved in", file, NULL);
      break;
    case G_FILE_MONITOR_EVENT_MOVED_OUT:
      queue_event (self, "moved out", file, NULL);
      break;
    case G_FILE_MONITOR_EVENT_UNMOUNTED:
      add_status (self, FW_LEVEL_WARNING, _("unmounted"));
      self->finished = TRUE;
      break;
    default:
      /* attribute changes and "changes done" hints would double every write */
      return;
    }

  answer_pull (self);
}

/* The enumerator lives in the object's data between batches: one batch per pull, so the
 * listing goes at the consumer's pace. */
static void
on_files_listed (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  FwDirSource *self = user_data;
  g_autoptr(GError) error = NULL;
  GList *infos = g_file_enumerator_next_files_finish (G_FILE_ENUMERATOR (object), result, &error);

  if (fw_stream_is_closed (FW_STREAM (self)))
    {
      g_list_free_full (infos, g_object_unref);
      g_object_unref (self);
      return;
    }

  if (error != NULL)
    self->error = g_steal_pointer (&error);
  else if (infos == NULL)
    self->finished = TRUE;

  for (GList *l = infos; l != NULL; l = l->next)
    {
      g_autoptr(GFile) child = g_file_get_child (self->dir, g_file_info_get_name (l->data));
      g_queue_push_tail (&self->ready, new_event (self, "exists", child, NULL));
    }
  g_list_free_full (infos, g_object_unref);

  if (self->error != NULL || self->finished)
    g_object_set_data (G_OBJECT (self), "fw-enumerator", NULL);

  answer_pull (self);
  g_object_unref (self);
}

static void
list_more (FwDirSource     *self,
           GFileEnumerator *enumerator)
{
  g_file_enumerator_next_files_async (enumerator, LIST_BATCH, G_PRIORITY_DEFAULT,
                                      fw_stream_get_cancellable (FW_STREAM (self)),
                                      on_files_listed, g_object_ref (self));
}

static void
on_enumerated (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  FwDirSource *self = user_data;
  g_autoptr(GError) error = NULL;
  GFileEnumerator *enumerator = g_file_enumerate_children_finish (G_FILE (object), result, &error);

  if (enumerator == NULL)
    {
      if (!fw_stream_is_closed (FW_STREAM (self)))
        {
          g_autofree char *path = g_file_get_parse_name (self->dir);
          self->error = g_error_new (error->domain, error->code, _("Cannot list “%s”: %s"),
                                     path, error->message);
          answer_pull (self);
        }
      g_object_unref (self);
      return;
    }

  g_object_set_data_full (G_OBJECT (self), "fw-enumerator", enumerator, g_object_unref);
  list_more (self, enumerator);
  g_object_unref (self);
}

static void
on_checked (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  FwDirSource *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = g_file_query_info_finish (G_FILE (object), result, &error);
  g_autofree char *path = g_file_get_parse_name (self->dir);
  gboolean was_waiting = self->waiting;

  self->checking = FALSE;
  if (fw_stream_is_closed (FW_STREAM (self)))
    {
      g_object_unref (self);
      return;
    }

  if (info == NULL && self->follow && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_autofree char *text = g_strdup_printf (_("“%s” does not exist yet; waiting for the folder "
                                                 "to be created"), path);

      wait_for_folder (self, FW_LEVEL_INFO, text);
    }
  else if (info == NULL)
    self->error = g_error_new (error->domain, error->code, _("Cannot watch “%s”: %s"),
                               path, error->message);
  else if (g_file_info_get_file_type (info) != G_FILE_TYPE_DIRECTORY)
    self->error = g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY,
                               _("Cannot watch “%s”: not a folder"), path);
  else if (!self->follow)
    {
      g_file_enumerate_children_async (self->dir, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                       G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, G_PRIORITY_DEFAULT,
                                       fw_stream_get_cancellable (FW_STREAM (self)),
                                       on_enumerated, g_object_ref (self));
      g_object_unref (self);
      return;
    }
  else
    {
      stop_waiting (self);
      self->monitor = g_file_monitor_directory (self->dir, G_FILE_MONITOR_WATCH_MOVES,
                                                NULL, &error);
      if (self->monitor == NULL)
        self->error = g_error_new (error->domain, error->code, _("Cannot watch “%s”: %s"),
                                   path, error->message);
      else
        {
          g_signal_connect (self->monitor, "changed", G_CALLBACK (on_changed), self);
          if (was_waiting)
            add_state_status (self, FW_FEED_STATE_LIVE, FW_LEVEL_INFO,
                              _("folder created; watching"));
          else
            add_status (self, FW_LEVEL_INFO, _("watching"));
        }
    }

  answer_pull (self);
  g_object_unref (self);
}

/* Is the name a folder? (on_checked() goes on from the answer) */
static void
check_folder (FwDirSource *self)
{
  if (self->checking || fw_stream_is_closed (FW_STREAM (self)))
    return;
  self->checking = TRUE;
  g_file_query_info_async (self->dir, G_FILE_ATTRIBUTE_STANDARD_TYPE,
                           G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT,
                           fw_stream_get_cancellable (FW_STREAM (self)),
                           on_checked, g_object_ref (self));
}

static void
fw_dir_source_pull (FwStream     *stream,
                    guint         max_items,
                    GCancellable *cancellable)
{
  FwDirSource *self = FW_DIR_SOURCE (stream);
  GFileEnumerator *enumerator;

  self->pull_pending = TRUE;

  if (!self->started)
    {
      self->started = TRUE;
      check_folder (self);
      return;
    }

  enumerator = g_object_get_data (G_OBJECT (self), "fw-enumerator");
  if (enumerator != NULL)
    {
      list_more (self, enumerator);
      return;
    }

  answer_pull (self);
}

static void
fw_dir_source_release (FwStream *stream)
{
  FwDirSource *self = FW_DIR_SOURCE (stream);

  stop_watching (self);
  stop_waiting (self);
  g_object_set_data (G_OBJECT (self), "fw-enumerator", NULL);
  clear_ready (self);
  g_clear_error (&self->error);
}

static void
fw_dir_source_finalize (GObject *object)
{
  FwDirSource *self = FW_DIR_SOURCE (object);

  clear_ready (self);
  g_hash_table_unref (self->queued_by_path);
  g_clear_error (&self->error);
  g_clear_object (&self->dir);
  g_ref_string_release (self->feed);

  G_OBJECT_CLASS (fw_dir_source_parent_class)->finalize (object);
}

static void
fw_dir_source_class_init (FwDirSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  FwStreamClass *stream_class = FW_STREAM_CLASS (klass);

  object_class->finalize = fw_dir_source_finalize;
  stream_class->pull = fw_dir_source_pull;
  stream_class->release = fw_dir_source_release;
}

static void
fw_dir_source_init (FwDirSource *self)
{
  g_queue_init (&self->ready);
  self->queued_by_path = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * fw_dir_source_new:
 * @feed: the feed name items carry
 * @path: the folder
 * @follow: watch for changes; %FALSE lists what the folder holds now and ends
 *
 * Watches a folder as a stream of events.
 *
 * Returns: (transfer full): the stream; it opens nothing until the first `next`
 */
FwStream *
fw_dir_source_new (const char *feed,
                   const char *path,
                   gboolean    follow)
{
  FwDirSource *self;

  g_return_val_if_fail (feed != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (FW_TYPE_DIR_SOURCE, "name", feed, NULL);
  self->feed = fw_ref_string_intern (feed);
  self->dir = g_file_new_for_commandline_arg (path);
  self->follow = follow;

  return FW_STREAM (self);
}

/**
 * fw_dir_source_open:
 * @spec: the feed
 * @flags: how it is opened
 * @error: where a refused option is said
 *
 * Opens a folder feed (the kind's #FwFeedKind.open).
 *
 * Returns: (transfer full): the stream, or %NULL with @error set
 */
FwStream *
fw_dir_source_open (const FwFeedSpec  *spec,
                    FwFeedOpenFlags    flags,
                    GError           **error)
{
  if (spec->target == NULL || spec->target[0] == '\0')
    {
      g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                   _("“%s”: no folder named (e.g. “dir:/var/spool/incoming”)"), spec->text);
      return NULL;
    }

  return fw_dir_source_new (spec->text, spec->target, !(flags & FW_FEED_OPEN_ONCE));
}

const FwFeedKind fw_dir_source_kind = {
  .name = "dir",
  .open = fw_dir_source_open,
  .description = N_("Changes in a folder"),
  .title = N_("Folder"),
  .icon_name = "folder-symbolic",
  .example = "dir:",
  .default_title = fw_feed_title_from_path,
};
