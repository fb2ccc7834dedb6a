/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-dir-source.c: `dir:PATH`: a folder's changes as events named "created", "changed",
 * "deleted", "renamed", "moved in", "moved out"; the text is the entry's name ("old → new"
 * for a rename) and the fields carry the full path.
 *
 * The first pull checks the folder (async query), sets up a GFileMonitor (inotify works in
 * GIO's own thread) and answers with a "watching" status, so a consumer knows from when on
 * changes are seen. With --once it lists the entries present ("exists") and ends instead.
 * Events arriving while nobody pulls wait in a queue. A bursty folder is bounded by the
 * monitor's own coalescing of "changed" events.
 */

#include "fw-dir-source.h"

#include "fw-feed-state.h"

struct _FwDirSource
{
  FwStream         parent_instance;

  GRefString      *feed;
  GFile           *dir;
  gboolean         follow;

  GFileMonitor    *monitor;
  GPtrArray       *ready;
  GError          *error;
  gboolean         started;
  gboolean         pull_pending;
  gboolean         finished;
};

G_DEFINE_FINAL_TYPE (FwDirSource, fw_dir_source, FW_TYPE_STREAM)

#define LIST_BATCH 256

static gboolean
answer_pull (FwDirSource *self)
{
  FwStream *stream = FW_STREAM (self);
  gboolean had_items = self->ready->len > 0;

  if (!self->pull_pending)
    return FALSE;

  if (had_items)
    {
      for (guint i = 0; i < self->ready->len; i++)
        fw_stream_yield (stream, g_ptr_array_index (self->ready, i));
      g_ptr_array_set_free_func (self->ready, NULL);
      g_ptr_array_set_size (self->ready, 0);
      g_ptr_array_set_free_func (self->ready, (GDestroyNotify) fw_item_unref);
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

static void
add_event (FwDirSource *self,
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
  g_ptr_array_add (self->ready, item);
}

static void
add_status (FwDirSource *self,
            FwLevel      level,
            const char  *text)
{
  g_ptr_array_add (self->ready, fw_feed_status_new (self->feed, FW_FEED_STATE_IDLE, level, text));
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
      add_event (self, "created", file, NULL);
      break;
    case G_FILE_MONITOR_EVENT_CHANGED:
      add_event (self, "changed", file, NULL);
      break;
    case G_FILE_MONITOR_EVENT_DELETED:
      add_event (self, "deleted", file, NULL);
      break;
    case G_FILE_MONITOR_EVENT_RENAMED:
      add_event (self, "renamed", file, other);
      break;
    case G_FILE_MONITOR_EVENT_MOVED_IN:
      add_event (self, "moved in", file, NULL);
      break;
    case G_FILE_MONITOR_EVENT_MOVED_OUT:
      add_event (self, "moved out", file, NULL);
      break;
    case G_FILE_MONITOR_EVENT_UNMOUNTED:
      add_status (self, FW_LEVEL_WARNING, "unmounted");
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
      add_event (self, "exists", child, NULL);
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
          self->error = g_error_new (error->domain, error->code, "Cannot list “%s”: %s",
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

  if (fw_stream_is_closed (FW_STREAM (self)))
    {
      g_object_unref (self);
      return;
    }

  if (info == NULL)
    self->error = g_error_new (error->domain, error->code, "Cannot watch “%s”: %s",
                               path, error->message);
  else if (g_file_info_get_file_type (info) != G_FILE_TYPE_DIRECTORY)
    self->error = g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY,
                               "Cannot watch “%s”: not a folder", path);
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
      self->monitor = g_file_monitor_directory (self->dir, G_FILE_MONITOR_WATCH_MOVES,
                                                NULL, &error);
      if (self->monitor == NULL)
        self->error = g_error_new (error->domain, error->code, "Cannot watch “%s”: %s",
                                   path, error->message);
      else
        {
          g_signal_connect (self->monitor, "changed", G_CALLBACK (on_changed), self);
          add_status (self, FW_LEVEL_INFO, "watching");
        }
    }

  answer_pull (self);
  g_object_unref (self);
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
      g_file_query_info_async (self->dir, G_FILE_ATTRIBUTE_STANDARD_TYPE,
                               G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT, cancellable,
                               on_checked, g_object_ref (self));
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

  if (self->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->monitor, on_changed, self);
      g_file_monitor_cancel (self->monitor);
      g_clear_object (&self->monitor);
    }
  g_object_set_data (G_OBJECT (self), "fw-enumerator", NULL);
  g_ptr_array_set_size (self->ready, 0);
  g_clear_error (&self->error);
}

static void
fw_dir_source_finalize (GObject *object)
{
  FwDirSource *self = FW_DIR_SOURCE (object);

  g_ptr_array_unref (self->ready);
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
  self->ready = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
}

/**
 * fw_dir_source_new:
 * @follow: watch for changes; %FALSE lists what the folder holds now and ends
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
  self->feed = g_ref_string_new_intern (feed);
  self->dir = g_file_new_for_commandline_arg (path);
  self->follow = follow;

  return FW_STREAM (self);
}

FwStream *
fw_dir_source_open (const FwFeedSpec  *spec,
                    FwFeedOpenFlags    flags,
                    GError           **error)
{
  if (spec->target == NULL || spec->target[0] == '\0')
    {
      g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                   "“%s”: no folder named (e.g. “dir:/var/spool/incoming”)", spec->text);
      return NULL;
    }

  return fw_dir_source_new (spec->text, spec->target, !(flags & FW_FEED_OPEN_ONCE));
}
