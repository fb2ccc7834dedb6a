/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-feed-store.c: a window's feeds kept across launches.
 *
 * The settings keep the feeds ("feeds"), the names the user gave them ("feed-names"), their
 * groups ("feed-groups") and colours ("feed-colors"), and where their logs were read to
 * ("feed-marks"); the keyring keeps their credentials. Feeds made in code
 * (fw_feed_runner_get_transient()) are not the user's to keep. */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include <glib/gi18n.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "fw-feed-store.h"
#include "fw-journal-source.h"
#include "fw-secret-store.h"

/* Feeds a first launch starts with: the machine's own sensors and a simulated one; then, only
 * where there are hardware sensors to read, HWMON_FEED (looked for in a worker thread: a hwmon
 * driver may sit on a slow bus). */
static const char * const default_feeds[] = { "cpu:", "mem:", "sim:sensor", NULL };
#define HWMON_FEED "hwmon:"
/* and, where this user can read the system's journal, the journal (looked for there too) */
#define JOURNAL_FEED "journal:"

/* Log feeds resume where they stopped (fw_feed_runner_set_resume_mark()): a relaunch shows
 * their last lines again without counting them again. The marks are saved with the feeds, as
 * the window closes, and once a minute in case it never closes cleanly; only the feeds saved
 * have one, so a removed feed's mark goes with it. */
#define MARKS_SAVE_INTERVAL_S 60

struct _FwFeedStore
{
  GObject     parent_instance;

  GSettings  *settings;
  FwFeedList *feeds;
  GHashTable *secrets_unsaved; /* FwFeedRunner whose credentials are not in the keyring yet */
  char       *machine_root;    /* where /sys is looked for; NULL for "/" */
  GCancellable *sensors_check; /* while a first launch looks for hardware sensors */
  gpointer    owner;           /* weak: what the feeds' streams are bound to, from load */
  FwFeedStoreWatchFunc watch;
  gpointer    watch_data;
  guint       marks_timer_id;
  gboolean    feeds_open;      /* counted in n_windows_open */
  gboolean    closed;          /* the window is going: nothing is saved any more */
};

G_DEFINE_FINAL_TYPE (FwFeedStore, fw_feed_store, G_TYPE_OBJECT)

enum {
  SECRETS_NOT_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
fw_feed_store_dispose (GObject *object)
{
  FwFeedStore *self = FW_FEED_STORE (object);

  g_clear_handle_id (&self->marks_timer_id, g_source_remove);
  g_hash_table_remove_all (self->secrets_unsaved);
  if (self->sensors_check != NULL)
    g_cancellable_cancel (self->sensors_check);
  g_clear_object (&self->sensors_check);
  g_clear_weak_pointer (&self->owner);

  G_OBJECT_CLASS (fw_feed_store_parent_class)->dispose (object);
}

static void
fw_feed_store_finalize (GObject *object)
{
  FwFeedStore *self = FW_FEED_STORE (object);

  g_hash_table_unref (self->secrets_unsaved);
  g_free (self->machine_root);
  g_clear_object (&self->feeds);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (fw_feed_store_parent_class)->finalize (object);
}

static void
fw_feed_store_class_init (FwFeedStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fw_feed_store_dispose;
  object_class->finalize = fw_feed_store_finalize;

  /**
   * FwFeedStore::secrets-not-saved:
   * @runner: the feed
   * @reason: what the keyring said
   *
   * A feed's credentials could not be given to the keyring: it is watched, but not saved.
   * fw_feed_store_store_secrets() tries again.
   */
  signals[SECRETS_NOT_SAVED] =
    g_signal_new ("secrets-not-saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, FW_TYPE_FEED_RUNNER, G_TYPE_STRING);
}

static void
fw_feed_store_init (FwFeedStore *self)
{
  self->secrets_unsaved = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
}

/**
 * fw_feed_store_new:
 * @settings: the application's settings
 * @feeds: the list the feeds are read into and saved from
 */
FwFeedStore *
fw_feed_store_new (GSettings  *settings,
                   FwFeedList *feeds)
{
  FwFeedStore *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (FW_IS_FEED_LIST (feeds), NULL);

  self = g_object_new (FW_TYPE_FEED_STORE, NULL);
  self->settings = g_object_ref (settings);
  self->feeds = g_object_ref (feeds);

  return self;
}

/**
 * fw_feed_store_set_machine_root:
 * @root: (nullable): where /sys is found; %NULL for "/"
 *
 * For tests: where a first launch looks for the machine's sensors.
 */
void
fw_feed_store_set_machine_root (FwFeedStore *self,
                                const char  *root)
{
  g_return_if_fail (FW_IS_FEED_STORE (self));

  g_free (self->machine_root);
  self->machine_root = g_strdup (root);
}

/* ---------------------------------------------------------------------------------------- */
/* Settings */

/* A name the user gave, or "" for the feed's default name (which may improve in a later
 * version: it is not frozen into the settings). */
static const char *
given_name (FwFeedRunner *runner,
            char        **default_title)
{
  g_autoptr(FwFeedSpec) parsed = fw_feed_spec_parse (fw_feed_runner_get_spec (runner), NULL);
  const char *title = fw_feed_runner_get_title (runner);

  *default_title = parsed != NULL ? fw_feed_default_title (parsed) : NULL;
  return g_strcmp0 (title, *default_title) == 0 ? "" : title;
}

static GVariant *
collect_marks (FwFeedStore *self)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{ss}"));
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->feeds));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FwFeedRunner) runner = g_list_model_get_item (G_LIST_MODEL (self->feeds), i);
      g_autofree char *mark = NULL;

      if (fw_feed_runner_get_transient (runner))
        continue;
      mark = fw_feed_runner_dup_resume_mark (runner);
      if (mark != NULL)
        g_variant_builder_add (&builder, "{ss}", fw_feed_runner_get_spec (runner), mark);
    }

  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

/**
 * fw_feed_store_save_marks:
 *
 * Saves where the feeds' logs were read to (the window does as it closes).
 */
void
fw_feed_store_save_marks (FwFeedStore *self)
{
  g_autoptr(GVariant) marks = NULL;
  g_autoptr(GVariant) saved = NULL;

  if (self->closed)
    return;

  marks = collect_marks (self);
  saved = g_settings_get_value (self->settings, "feed-marks");
  /* A quiet log's marks do not move: no write then. */
  if (!g_variant_equal (marks, saved))
    g_settings_set_value (self->settings, "feed-marks", marks);
}

static gboolean
on_save_marks_timeout (gpointer user_data)
{
  fw_feed_store_save_marks (user_data);
  return G_SOURCE_CONTINUE;
}

/**
 * fw_feed_store_save:
 *
 * Saves the feeds in the list, but those made in code (transient) and those whose credentials
 * are not in the keyring yet.
 */
void
fw_feed_store_save (FwFeedStore *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) names_builder = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) groups_builder = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) colors_builder = g_strv_builder_new ();
  g_auto(GStrv) feeds = NULL;
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) groups = NULL;
  g_auto(GStrv) colors = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsBackend) backend = NULL;
  g_autoptr(GSettings) batch = NULL;
  g_autoptr(GVariant) marks = NULL;
  g_autofree char *path = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->feeds));

  if (self->closed)
    return;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FwFeedRunner) runner = g_list_model_get_item (G_LIST_MODEL (self->feeds), i);
      g_autofree char *default_title = NULL;

      /* Feeds made in code (tests, the demo) are not the user's to keep. */
      g_autoptr(GHashTable) secrets = NULL;
      g_autofree char *stored = NULL;

      if (fw_feed_runner_get_transient (runner) ||
          g_hash_table_contains (self->secrets_unsaved, runner))
        continue;
      /* Never a secret in the settings: the keyring has them. */
      stored = fw_feed_spec_split_secrets (fw_feed_runner_get_spec_with_secrets (runner),
                                         FW_FEED_STORE_SECRET_PLACEHOLDER, &secrets);
      g_strv_builder_add (builder, stored);
      g_strv_builder_add (names_builder, given_name (runner, &default_title));
      g_strv_builder_add (groups_builder, fw_feed_runner_get_group (runner) ?: "");
      g_strv_builder_add (colors_builder, fw_feed_runner_get_color (runner) ?: "");
    }
  feeds = g_strv_builder_end (builder);
  names = g_strv_builder_end (names_builder);
  groups = g_strv_builder_end (groups_builder);
  colors = g_strv_builder_end (colors_builder);
  /* Written together, through a settings object of their own: delay-apply mode, once set,
   * stays, and would hold back every later write through the window's (its size, the marks
   * saved as it closes, "running-pid") */
  g_object_get (self->settings, "settings-schema", &schema, "path", &path, "backend", &backend,
                NULL);
  batch = g_settings_new_full (schema, backend, path);
  g_settings_delay (batch);
  g_settings_set_strv (batch, "feeds", (const char * const *) feeds);
  g_settings_set_strv (batch, "feed-names", (const char * const *) names);
  g_settings_set_strv (batch, "feed-groups", (const char * const *) groups);
  g_settings_set_strv (batch, "feed-colors", (const char * const *) colors);
  marks = collect_marks (self);
  g_settings_set_value (batch, "feed-marks", marks);
  g_settings_apply (batch);
}

/* ---------------------------------------------------------------------------------------- */
/* Credentials: the settings keep a feed with stand-ins (fw_feed_spec_split_secrets()),
 * the keyring keeps its secrets; a feed read back waits for them in its place. */

typedef struct
{
  GWeakRef      store;
  FwFeedRunner *runner;
} StoreSecrets;

static void
store_secrets_free (StoreSecrets *store)
{
  g_weak_ref_clear (&store->store);
  g_object_unref (store->runner);
  g_free (store);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StoreSecrets, store_secrets_free)

static void
on_secrets_stored (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(StoreSecrets) store = user_data;
  g_autoptr(FwFeedStore) self = g_weak_ref_get (&store->store);
  g_autoptr(GError) error = NULL;
  gboolean stored = fw_secret_store_save_finish (result, &error);

  if (self == NULL || !fw_feed_list_contains (self->feeds, store->runner))
    return;

  if (stored)
    {
      g_hash_table_remove (self->secrets_unsaved, store->runner);
      fw_feed_store_save (self);
    }
  else
    {
      g_signal_emit (self, signals[SECRETS_NOT_SAVED], 0, store->runner, error->message);
    }
}

/**
 * fw_feed_store_store_secrets:
 *
 * Gives the keyring the credentials of a feed, if it has any; until they are there, the feed
 * is not saved (it would come back without them). On failure, #FwFeedStore::secrets-not-saved.
 */
void
fw_feed_store_store_secrets (FwFeedStore  *self,
                             FwFeedRunner *runner)
{
  g_autoptr(GHashTable) secrets = NULL;
  g_autofree char *stored =
    fw_feed_spec_split_secrets (fw_feed_runner_get_spec_with_secrets (runner),
                                         FW_FEED_STORE_SECRET_PLACEHOLDER, &secrets);
  StoreSecrets *store;

  if (g_hash_table_size (secrets) == 0)
    return;

  g_hash_table_add (self->secrets_unsaved, g_object_ref (runner));
  store = g_new0 (StoreSecrets, 1);
  g_weak_ref_init (&store->store, self);
  store->runner = g_object_ref (runner);
  /* Not cancelled with the window: a feed added just before closing keeps its secrets. */
  fw_secret_store_save_async (fw_feed_runner_get_spec (runner), secrets, NULL,
                              on_secrets_stored, store);
}

static gboolean
keeps_secrets (FwFeedRunner *runner)
{
  const char *spec = fw_feed_runner_get_spec_with_secrets (runner);

  return !fw_feed_runner_get_transient (runner) &&
         !g_str_equal (spec, fw_feed_runner_get_spec (runner));
}

/**
 * fw_feed_store_forget_secrets:
 *
 * Clears a feed's credentials from the keyring (a feed removed, or edited into another).
 */
void
fw_feed_store_forget_secrets (FwFeedStore  *self,
                              FwFeedRunner *runner)
{
  g_hash_table_remove (self->secrets_unsaved, runner);
  if (keeps_secrets (runner))
    fw_secret_store_clear_async (fw_feed_runner_get_spec (runner), NULL, NULL, NULL);
}

typedef struct
{
  FwFeedStore  *store;
  FwFeedRunner *runner;
} Restore;

static void
on_secrets_restored (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Restore *restore = user_data;
  g_autoptr(FwFeedStore) self = restore->store;
  g_autoptr(FwFeedRunner) runner = restore->runner;
  g_autoptr(GHashTable) secrets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *spec = NULL;

  g_free (restore);
  secrets = fw_secret_store_lookup_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      !fw_feed_list_contains (self->feeds, runner))
    return;

  if (secrets != NULL)
    spec = fw_feed_spec_fill_secrets (fw_feed_runner_get_spec_with_secrets (runner), secrets,
                                      &error);
  if (spec == NULL)
    {
      g_autofree char *reason =
        g_strdup_printf (_("Its credentials could not be read from the keyring: %s"),
                         error->message);
      fw_feed_runner_fail (runner, reason);
      return;
    }
  if (!fw_feed_runner_reopen (runner, spec, &error))
    fw_feed_runner_fail (runner, error->message);
}

/**
 * fw_feed_store_restore_secrets:
 *
 * Reads a feed's credentials from the keyring and reopens it with them; the feed fails, saying
 * why, when they cannot be read.
 */
void
fw_feed_store_restore_secrets (FwFeedStore  *self,
                               FwFeedRunner *runner,
                               GCancellable *cancellable)
{
  Restore *restore = g_new0 (Restore, 1);

  restore->store = g_object_ref (self);
  restore->runner = g_object_ref (runner);
  fw_secret_store_lookup_async (fw_feed_runner_get_spec (runner), cancellable,
                                on_secrets_restored, restore);
}

/**
 * fw_feed_store_secrets_unsaved:
 *
 * Returns: whether the feed's credentials are not in the keyring yet (it is not saved then)
 */
gboolean
fw_feed_store_secrets_unsaved (FwFeedStore  *self,
                               FwFeedRunner *runner)
{
  g_return_val_if_fail (FW_IS_FEED_STORE (self), FALSE);

  return g_hash_table_contains (self->secrets_unsaved, runner);
}

/* ---------------------------------------------------------------------------------------- */
/* Loading, and closing properly
 *
 * The settings say which process has the saved feeds open ("running-pid"), and the last window
 * of that process to close says none does. Found set on launch by a process that is gone, it
 * means Feedwatch crashed or was killed with the feeds open, and one of them may be why: a
 * hostile server, a file that brings out a bug. Reopening them all at once could crash it
 * again, on every launch; so they open paused, and the user resumes them. */

/* A first launch opens no feed that would only say there is nothing to read: hardware sensors
 * are looked for as the feed itself finds them, off the main thread. */
static void
find_sensors_in_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  gboolean hwmon = fw_machine_sensors_find (task_data, FW_SENSORS_HWMON);
  const char *feeds[] = { hwmon ? HWMON_FEED : NULL,
                          fw_journal_source_is_readable (task_data) ? JOURNAL_FEED : NULL };
  GPtrArray *found = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (feeds); i++)
    {
      if (feeds[i] != NULL)
        g_ptr_array_add (found, (gpointer) feeds[i]);
    }
  g_task_return_pointer (task, found, (GDestroyNotify) g_ptr_array_unref);
}

static void
on_sensors_found (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  FwFeedStore *self = FW_FEED_STORE (source);
  g_autoptr(GPtrArray) found = g_task_propagate_pointer (G_TASK (result), NULL);
  gboolean added = FALSE;

  if (found == NULL || g_cancellable_is_cancelled (self->sensors_check))
    return;
  g_clear_object (&self->sensors_check);
  if (self->closed || self->owner == NULL)
    return;

  for (guint i = 0; i < found->len; i++)
    {
      const char *feed = g_ptr_array_index (found, i);
      g_autoptr(FwFeedRunner) runner = NULL;

      if (fw_feed_list_lookup (self->feeds, feed, NULL) != NULL)
        continue;
      runner = fw_feed_runner_new (feed, NULL);
      if (runner == NULL)
        continue;
      fw_feed_runner_set_color (runner, fw_feed_list_pick_color (self->feeds));
      self->watch (runner, self->watch_data);
      fw_feed_list_append (self->feeds, runner);
      fw_feed_runner_start (runner, self->owner);
      added = TRUE;
    }
  if (added)
    fw_feed_store_save (self);
}

static void
look_for_sensors (FwFeedStore *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->sensors_check != NULL)
    return;

  self->sensors_check = g_cancellable_new ();
  task = g_task_new (self, self->sensors_check, on_sensors_found, NULL);
  g_task_set_source_tag (task, look_for_sensors);
  g_task_set_task_data (task, g_strdup (self->machine_root), g_free);
  g_task_run_in_thread (task, find_sensors_in_thread);
}

/**
 * fw_feed_store_add_defaults:
 *
 * Adds the feeds a first launch starts with that the list lacks (a user who removed them gets
 * them back), the hardware sensors' feed too once found; after fw_feed_store_load().
 *
 * Returns: how many were added now (the hardware sensors' feed may follow)
 */
guint
fw_feed_store_add_defaults (FwFeedStore *self)
{
  guint added = 0;

  g_return_val_if_fail (FW_IS_FEED_STORE (self), 0);

  if (self->owner == NULL || self->closed)
    return 0;
  for (guint i = 0; default_feeds[i] != NULL; i++)
    {
      g_autoptr(FwFeedRunner) runner = NULL;

      if (fw_feed_list_lookup (self->feeds, default_feeds[i], NULL) != NULL)
        continue;
      runner = fw_feed_runner_new (default_feeds[i], NULL);
      if (runner == NULL)
        continue;
      fw_feed_runner_set_color (runner, fw_feed_list_pick_color (self->feeds));
      self->watch (runner, self->watch_data);
      fw_feed_list_append (self->feeds, runner);
      fw_feed_runner_start (runner, self->owner);
      added++;
    }
  if (fw_feed_list_lookup (self->feeds, HWMON_FEED, NULL) == NULL ||
      fw_feed_list_lookup (self->feeds, JOURNAL_FEED, NULL) == NULL)
    look_for_sensors (self);
  if (added > 0)
    fw_feed_store_save (self);

  return added;
}

/**
 * fw_feed_store_get_looking_for_sensors:
 *
 * Returns: whether a first launch is still looking for hardware sensors (whose feed it then
 *   adds)
 */
gboolean
fw_feed_store_get_looking_for_sensors (FwFeedStore *self)
{
  g_return_val_if_fail (FW_IS_FEED_STORE (self), FALSE);

  return self->sensors_check != NULL;
}

static guint n_windows_open; /* in this process, with their feeds loaded */

static gboolean
closed_properly_last_time (FwFeedStore *self)
{
  gint pid = g_settings_get_int (self->settings, "running-pid");

  if (n_windows_open > 0 || pid <= 0 || pid == getpid ())
    return TRUE;
  /* Still alive: another Feedwatch (or a process that got the number since) has them. */
  return kill (pid, 0) == 0 || errno == EPERM;
}

static void
note_feeds_open (FwFeedStore *self)
{
  if (n_windows_open++ == 0)
    g_settings_set_int (self->settings, "running-pid", getpid ());
}

/**
 * fw_feed_store_close:
 *
 * Saves where the logs were read to, and notes that the feeds were closed properly (see
 * "Closing properly").
 */
void
fw_feed_store_close (FwFeedStore *self)
{
  g_return_if_fail (FW_IS_FEED_STORE (self));

  g_clear_handle_id (&self->marks_timer_id, g_source_remove);
  fw_feed_store_save_marks (self);
  self->closed = TRUE;
  if (!self->feeds_open)
    return;
  self->feeds_open = FALSE;
  if (n_windows_open == 0 || --n_windows_open > 0)
    return;
  g_settings_set_int (self->settings, "running-pid", 0);
  /* Written before the process may end */
  g_settings_sync ();
}

/**
 * fw_feed_store_load:
 * @owner: what the feeds' streams are bound to (fw_feed_runner_start())
 * @cancellable: cancels the reading of credentials
 * @watch: called on each feed before it starts
 *
 * Reads the saved feeds (the default ones on a first launch) into the list and starts them.
 *
 * Returns: whether they start paused, as the last process with them open did not close them
 *   properly
 */
gboolean
fw_feed_store_load (FwFeedStore          *self,
                    gpointer              owner,
                    GCancellable         *cancellable,
                    FwFeedStoreWatchFunc  watch,
                    gpointer              user_data)
{
  g_auto(GStrv) feeds = g_settings_get_strv (self->settings, "feeds");
  g_auto(GStrv) names = g_settings_get_strv (self->settings, "feed-names");
  g_auto(GStrv) groups = g_settings_get_strv (self->settings, "feed-groups");
  g_auto(GStrv) colors = g_settings_get_strv (self->settings, "feed-colors");
  g_autoptr(GVariant) marks = g_settings_get_value (self->settings, "feed-marks");
  const char * const *to_open = (const char * const *) feeds;
  gboolean first_run = g_settings_get_boolean (self->settings, "first-run");
  gboolean resave = first_run;
  gboolean start_paused = !closed_properly_last_time (self) && feeds[0] != NULL;
  guint n_names = g_strv_length (names);
  guint n_groups = g_strv_length (groups);
  guint n_colors = g_strv_length (colors);

  if (first_run && g_strv_length (feeds) == 0)
    to_open = default_feeds;

  for (guint i = 0; to_open[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) unopenable = NULL;
      g_autoptr(FwFeedRunner) runner = NULL;
      gboolean pending = fw_feed_spec_has_placeholders (to_open[i]);

      /* A feed with credentials waits for the keyring in its place. */
      if (pending)
        runner = fw_feed_runner_new_pending (to_open[i],
                                             _("Reading its credentials from the keyring…"));
      else
        runner = fw_feed_runner_new (to_open[i], &error);
      if (runner == NULL && to_open == default_feeds)
        continue;
      if (runner == NULL)
        {
          /* A saved feed this version cannot open keeps its place, saved, and fails below
           * with the reason: the user edits or removes it. */
          unopenable = g_steal_pointer (&error);
          runner = fw_feed_runner_new_pending (to_open[i], NULL);
        }
      if (to_open == (const char * const *) feeds && i < n_names && names[i][0] != '\0')
        fw_feed_runner_set_title (runner, names[i]);
      if (to_open == (const char * const *) feeds && i < n_groups)
        fw_feed_runner_set_group (runner, groups[i]);
      if (to_open == (const char * const *) feeds && i < n_colors)
        fw_feed_runner_set_color (runner, colors[i]);
      /* None saved (an older version's feeds, a first launch): one from the palette, kept */
      if (fw_feed_runner_get_color (runner) == NULL)
        {
          fw_feed_runner_set_color (runner, fw_feed_list_pick_color (self->feeds));
          resave = TRUE;
        }
      if (!pending)
        {
          const char *mark = NULL;

          /* A mark this version cannot use is ignored: the feed then counts all it reads. */
          if (g_variant_lookup (marks, fw_feed_runner_get_spec (runner), "&s", &mark))
            fw_feed_runner_set_resume_mark (runner, mark);
        }
      if (start_paused)
        fw_feed_runner_set_paused (runner, TRUE);
      watch (runner, user_data);
      fw_feed_list_append (self->feeds, runner);
      fw_feed_runner_start (runner, owner);
      if (unopenable != NULL)
        {
          fw_feed_runner_fail (runner, unopenable->message);
        }
      else if (pending)
        {
          fw_feed_store_restore_secrets (self, runner, cancellable);
        }
      else if (keeps_secrets (runner))
        {
          /* Saved with its secrets by an older version: they move to the keyring, and the
           * settings are rewritten once they are there. */
          fw_feed_store_store_secrets (self, runner);
        }
    }

  g_set_weak_pointer (&self->owner, owner);
  self->watch = watch;
  self->watch_data = user_data;
  if (to_open == default_feeds)
    look_for_sensors (self);
  if (first_run)
    g_settings_set_boolean (self->settings, "first-run", FALSE);
  if (resave)
    fw_feed_store_save (self);

  g_clear_handle_id (&self->marks_timer_id, g_source_remove);
  self->marks_timer_id = g_timeout_add_seconds (MARKS_SAVE_INTERVAL_S, on_save_marks_timeout, self);

  note_feeds_open (self);
  self->feeds_open = TRUE;

  return start_paused;
}
