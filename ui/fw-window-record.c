/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-window-record.c: FwWindow's recordings. The Record button records all feeds, or those
 * ticked in its popover, to a file picked in GtkFileChooserNative, until it is pressed again.
 * A recording goes on in a new file beside the first at a size or duration cap; inside Flatpak
 * the file chooser portal grants the one file picked and nothing beside it, so there the user
 * picks a folder instead (the portal grants a folder whole) and the files are named by the
 * start time. The status line says the recording's size, its duration, its file number and
 * what a slow disk made it leave out, updated once a second while it records and never
 * otherwise. "Save the Last Minutes" writes what the window kept of every feed since then to a
 * recording at once: the incident bundle. Files are opened, written and closed off the main
 * thread (fw-recorder.c). */

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n.h>

#include "fw-recorder.h"
#include "fw-window-private.h"

#define DEFAULT_RECENT_MINUTES 15

static void stop_recording (FwWindow     *self,
                            const GError *failure);

/* What the user can do about a file that could not be written */
static const char *
advice_for (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
    return _("Free some space on the disk, then record again.");
  return _("Choose another folder, then record again.");
}

/* Most toasts fade; these say what happened to a file the user may look for */
static void
toast_that_stays (FwWindow   *self,
                  const char *text,
                  guint       timeout_s)
{
  /* File names and errors are not markup */
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, timeout_s);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static char *
display_basename (const char *path)
{
  g_autofree char *basename = g_path_get_basename (path);

  return g_filename_display_name (basename);
}

/* A recording is a document to keep or send, not a film to play (what Videos holds for file
 * managers and indexers); the folder of the last one, once there was one */
static GFile *
dup_record_folder (FwWindow *self)
{
  g_autofree char *last = g_settings_get_string (self->settings, "record-folder");
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);

  if (last[0] != '\0' && g_file_test (last, G_FILE_TEST_IS_DIR))
    return g_file_new_for_path (last);
  if (documents != NULL && g_file_test (documents, G_FILE_TEST_IS_DIR))
    return g_file_new_for_path (documents);
  return g_file_new_for_path (g_get_home_dir ());
}

static char *
dup_default_name (const char *what)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d-%H%M");

  return g_strdup_printf ("%s-%s.jsonl.zst", what, stamp);
}

static void
remember_folder_path (FwWindow   *self,
                      const char *path)
{
  /* A portal's document path is no folder to open next time */
  if (path != NULL && !g_str_has_prefix (path, "/run/user/"))
    g_settings_set_string (self->settings, "record-folder", path);
}

static void
remember_folder (FwWindow *self,
                 GFile    *file)
{
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autofree char *path = parent != NULL ? g_file_get_path (parent) : NULL;

  remember_folder_path (self, path);
}

static GtkFileChooserNative *
new_save_chooser (FwWindow   *self,
                  const char *title,
                  const char *accept,
                  const char *name)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GFile) folder = dup_record_folder (self);

  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                         accept, _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  return chooser;
}

static GtkFileChooserNative *
new_folder_chooser (FwWindow   *self,
                    const char *title,
                    const char *accept)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GFile) folder = dup_record_folder (self);

  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, accept,
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
  return chooser;
}

/* Whether @stem names a recording in @names already: its first file or a later part
 * ("stem-2.jsonl.zst"), which a new recording of that stem would overwrite when it rotates */
static gboolean
stem_is_taken (GPtrArray  *names,
               const char *stem)
{
  gsize len = strlen (stem);

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      const char *rest = name + len;

      if (!g_str_has_prefix (name, stem))
        continue;
      if (rest[0] == '-')
        {
          const char *digits = rest + 1;

          while (g_ascii_isdigit (*digits))
            digits++;
          if (digits > rest + 1)
            rest = digits;
        }
      if (g_str_equal (rest, ".jsonl.zst"))
        return TRUE;
    }
  return FALSE;
}

/* The first file of a recording that starts now in @folder, named by the time to the minute,
 * or to the second (then numbered) when the folder has a recording of that name already. The
 * folder is listed on the main thread: one the user has just picked, once per recording. */
static char *
dup_recording_path_in (const char *folder)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *minute = g_date_time_format (now, "feedwatch-%Y-%m-%d-%H%M");
  g_autofree char *second = g_date_time_format (now, "feedwatch-%Y-%m-%d-%H%M%S");
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  g_autofree char *stem = NULL;
  g_autofree char *basename = NULL;
  const char *name;

  /* A folder that cannot be listed gets the minute's name: if it cannot be written either,
   * the start says why */
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  if (!stem_is_taken (names, minute))
    stem = g_steal_pointer (&minute);
  else if (!stem_is_taken (names, second))
    stem = g_steal_pointer (&second);
  for (guint n = 2; stem == NULL; n++)
    {
      g_autofree char *numbered = g_strdup_printf ("%s (%u)", second, n);

      if (!stem_is_taken (names, numbered))
        stem = g_steal_pointer (&numbered);
    }
  basename = g_strconcat (stem, ".jsonl.zst", NULL);
  return g_build_filename (folder, basename, NULL);
}

/* ---------------------------------------------------------------------------------------- */
/* While it records */

static void
set_label_text (GtkLabel   *label,
                const char *text)
{
  if (g_strcmp0 (gtk_label_get_text (label), text) != 0)
    gtk_label_set_text (label, text);
}

static void
update_record_status (FwWindow *self)
{
  FwRecordingWriter *writer;
  g_autofree char *size = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  gint64 seconds;
  guint64 dropped;
  guint n_files;

  if (self->recorder == NULL)
    return;
  writer = fw_recorder_get_writer (self->recorder);
  if (!fw_recorder_get_running (self->recorder))
    {
      set_label_text (self->record_label, _("Recording: opening the file…"));
      return;
    }

  seconds = fw_recorder_get_elapsed_us (self->recorder) / G_USEC_PER_SEC;
  size = g_format_size (fw_recording_writer_get_bytes (writer));
  /* TRANSLATORS: "Recording · 1.2 MB · 0:05:12": the recording's size and how long it runs */
  g_string_append_printf (text, _("Recording · %s · %u:%02u:%02u"), size,
                          (guint) (seconds / 3600), (guint) (seconds / 60 % 60),
                          (guint) (seconds % 60));
  n_files = fw_recording_writer_get_n_files (writer);
  if (n_files > 1)
    /* TRANSLATORS: the recording went on in a new file when one reached its size or duration */
    g_string_append_printf (text, _(" · file %u"), n_files);
  dropped = fw_recording_writer_get_n_dropped (writer);
  if (dropped > 0)
    g_string_append_printf (text, g_dngettext (NULL, " · %" PRIu64 " item left out",
                                               " · %" PRIu64 " items left out",
                                               dropped), dropped);
  set_label_text (self->record_label, text->str);
}

static void
update_record_button (FwWindow *self)
{
  gboolean recording = self->recorder != NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->record_button), !recording);
  gtk_widget_set_visible (GTK_WIDGET (self->stop_record_button), recording);
  gtk_widget_set_visible (GTK_WIDGET (self->record_label), recording);
  update_record_status (self);
}

static gboolean
on_record_tick (gpointer user_data)
{
  FwWindow *self = user_data;
  g_autoptr(GError) error = NULL;

  if (self->recorder == NULL)
    {
      self->record_tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  error = fw_recording_writer_dup_error (fw_recorder_get_writer (self->recorder));
  if (error != NULL)
    {
      self->record_tick_id = 0;
      stop_recording (self, error);
      return G_SOURCE_REMOVE;
    }
  update_record_status (self);
  return G_SOURCE_CONTINUE;
}

typedef struct
{
  FwWindow *window;  /* weak: the window may close while the file is written */
  char     *name;
  char     *folder;  /* the folder's name, when the user picked a folder rather than a file */
  gboolean  failed;  /* already said: the close's error is the same one */
  guint     minutes;
} RecordDone;

static void
record_done_free (RecordDone *done)
{
  g_clear_weak_pointer (&done->window);
  g_free (done->name);
  g_free (done->folder);
  g_free (done);
}

static RecordDone *
record_done_new (FwWindow   *self,
                 const char *path)
{
  RecordDone *done = g_new0 (RecordDone, 1);

  g_set_weak_pointer (&done->window, self);
  done->name = display_basename (path);
  return done;
}

static void
on_record_stopped (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  FwRecorder *recorder = FW_RECORDER (source);
  FwRecordingWriter *writer = fw_recorder_get_writer (recorder);
  RecordDone *done = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint64 written = fw_recording_writer_get_n_written (writer);
  guint64 dropped = fw_recording_writer_get_n_dropped (writer);
  guint n_files = fw_recording_writer_get_n_files (writer);

  if (!fw_recorder_stop_finish (recorder, result, &error))
    {
      if (!done->failed)
        text = g_strdup_printf (_("The recording “%s” is incomplete: %s. %s"), done->name,
                                error->message, advice_for (error));
    }
  else if (dropped > 0)
    text = g_strdup_printf (g_dngettext (NULL,
                                         "Saved the recording “%s”, but %" PRIu64
                                         " item was left out: the disk did not keep up",
                                         "Saved the recording “%s”, but %" PRIu64
                                         " items were left out: the disk did not keep up",
                                         dropped), done->name, dropped);
  else if (n_files > 1)
    text = g_strdup_printf (g_dngettext (NULL, "Saved the recording “%s” and the next: %"
                                         PRIu64 " item in %u files",
                                         "Saved the recording “%s” and the next: %"
                                         PRIu64 " items in %u files", written),
                            done->name, written, n_files);
  else
    text = g_strdup_printf (g_dngettext (NULL, "Saved the recording “%s”: %" PRIu64
                                         " item", "Saved the recording “%s”: %"
                                         PRIu64 " items", written),
                            done->name, written);

  if (done->window != NULL && text != NULL)
    toast_that_stays (done->window, text, error != NULL ? 0 : 5);
  record_done_free (done);
}

/* @failure: what went wrong, said to the user; %NULL when the user stopped it */
static void
stop_recording (FwWindow     *self,
                const GError *failure)
{
  g_autoptr(FwRecorder) recorder = g_steal_pointer (&self->recorder);
  RecordDone *done;

  g_clear_handle_id (&self->record_tick_id, g_source_remove);
  if (recorder == NULL)
    return;
  update_record_button (self);

  done = record_done_new (self, fw_recorder_get_path (recorder));
  if (failure != NULL)
    {
      /* TRANSLATORS: the reason, then what to do about it */
      g_autofree char *text = g_strdup_printf (_("Recording stopped: %s. %s"), failure->message,
                                               advice_for (failure));

      done->failed = TRUE;
      toast_that_stays (self, text, 0);
    }
  fw_recorder_stop_async (recorder, on_record_stopped, done);
}

static void
on_record_started (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  FwRecorder *recorder = FW_RECORDER (source);
  RecordDone *done = user_data;
  FwWindow *self = done->window;
  g_autoptr(GError) error = NULL;
  gboolean ok = fw_recorder_start_finish (recorder, result, &error);

  /* Stopped, or the window gone, while the file was being created: the stop closes it */
  if (self == NULL || self->recorder != recorder)
    {
      record_done_free (done);
      return;
    }
  if (!ok)
    {
      g_autofree char *text = NULL;

      if (done->folder != NULL)
        text = g_strdup_printf (_("Could not record in the folder “%s”: %s. Choose another "
                                  "folder."), done->folder, error->message);
      else
        text = g_strdup_printf (_("Could not record to “%s”: %s. Choose another folder or "
                                  "name."), done->name, error->message);

      g_clear_object (&self->recorder);
      update_record_button (self);
      toast_that_stays (self, text, 0);
    }
  else
    {
      update_record_status (self);
      self->record_tick_id = g_timeout_add_seconds (1, on_record_tick, self);
    }
  record_done_free (done);
}

/* Feeds added while "All feeds" records are recorded too, from then on */
static void
on_feeds_changed (FwWindow   *self,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GListModel *feeds)
{
  if (self->recorder == NULL || !self->record_all)
    return;
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(FwFeedRunner) runner = g_list_model_get_item (feeds, i);

      fw_recorder_watch_runner (self->recorder, runner);
    }
}

/* @folder: the folder the user picked, in which @path was named for them; %NULL when they
 * picked @path itself */
static void
start_recording (FwWindow           *self,
                 const char         *path,
                 const char         *folder,
                 const char * const *specs)
{
  g_autoptr(FwRecorder) recorder = NULL;
  FwRecordingWriter *writer;
  RecordDone *done;
  guint n_runners = 0;

  if (self->recorder != NULL)
    {
      g_autofree char *name = display_basename (fw_recorder_get_path (self->recorder));
      g_autofree char *text = g_strdup_printf (_("Already recording to “%s”: stop that "
                                                 "recording first."), name);

      toast_that_stays (self, text, 5);
      return;
    }

  recorder = fw_recorder_new (path);
  writer = fw_recorder_get_writer (recorder);
  fw_recording_writer_set_max_size (writer, g_settings_get_uint64 (self->settings,
                                                                   "record-max-size"));
  fw_recording_writer_set_max_duration (writer, (gint64) G_USEC_PER_SEC *
                                        g_settings_get_uint (self->settings,
                                                             "record-max-duration"));
  self->record_all = specs[0] == NULL;
  if (self->record_all)
    {
      GListModel *feeds = G_LIST_MODEL (self->feeds);

      for (guint i = 0; i < g_list_model_get_n_items (feeds); i++, n_runners++)
        {
          g_autoptr(FwFeedRunner) runner = g_list_model_get_item (feeds, i);

          fw_recorder_add_runner (recorder, runner);
        }
    }
  else
    {
      for (guint i = 0; specs[i] != NULL; i++)
        {
          FwFeedRunner *runner = fw_feed_list_lookup (self->feeds, specs[i], NULL);

          /* A feed removed while the chooser was open is not recorded */
          if (runner != NULL)
            {
              fw_recorder_add_runner (recorder, runner);
              n_runners++;
            }
        }
    }
  if (n_runners == 0)
    {
      toast_that_stays (self, _("There is no feed to record: add a feed first."), 5);
      return;
    }

  self->recorder = g_object_ref (recorder);
  update_record_button (self);
  done = record_done_new (self, path);
  if (folder != NULL)
    done->folder = display_basename (folder);
  fw_recorder_start_async (recorder, NULL, on_record_started, done);
}

/* (path, specs): to the file @path; no spec for all feeds */
static void
start_recording_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  g_autofree const char **specs = NULL;
  const char *path;

  g_variant_get (parameter, "(&s^a&s)", &path, &specs);
  start_recording (FW_WINDOW (widget), path, NULL, specs);
}

/* (folder, specs): to a new file in @folder, named by the time; later files beside it */
static void
start_recording_in_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  FwWindow *self = FW_WINDOW (widget);
  g_autofree const char **specs = NULL;
  g_autofree char *path = NULL;
  const char *folder;

  g_variant_get (parameter, "(&s^a&s)", &folder, &specs);
  if (self->recorder == NULL)
    path = dup_recording_path_in (folder);
  start_recording (self, path, folder, specs);
}

static void
stop_recording_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  stop_recording (FW_WINDOW (widget), NULL);
}

/* ---------------------------------------------------------------------------------------- */
/* The Record button's popover: which feeds, then where */

static void
on_record_chooser_response (GtkNativeDialog *chooser,
                            int              response,
                            FwWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      const char * const *specs = g_object_get_data (G_OBJECT (chooser), "specs");

      if (path == NULL)
        toast_that_stays (self, _("Recordings can only be saved to a local folder: choose "
                                  "another folder."), 5);
      else if (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)) ==
               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER)
        {
          remember_folder_path (self, path);
          gtk_widget_activate_action (GTK_WIDGET (self), "win.start-recording-in", "(s^as)",
                                      path, specs);
        }
      else
        {
          remember_folder (self, file);
          gtk_widget_activate_action (GTK_WIDGET (self), "win.start-recording", "(s^as)", path,
                                      specs);
        }
    }
  g_object_unref (chooser);
}

static void
on_record_to_file_clicked (FwWindow *self)
{
  g_autoptr(GStrvBuilder) specs = g_strv_builder_new ();
  g_autofree char *name = dup_default_name ("feedwatch");
  GtkFileChooserNative *chooser;

  if (!gtk_check_button_get_active (self->record_all_check))
    {
      for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->record_feed_box));
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          if (gtk_check_button_get_active (GTK_CHECK_BUTTON (child)))
            g_strv_builder_add (specs, g_object_get_data (G_OBJECT (child), "spec"));
        }
    }
  gtk_popover_popdown (self->record_popover);

  /* Inside Flatpak, a file picked through the portal has no room beside it for the next one */
  if (self->sandboxed)
    chooser = new_folder_chooser (self, _("Record Feeds to a Folder"), _("_Record"));
  else
    chooser = new_save_chooser (self, _("Record Feeds"), _("_Record"), name);
  g_object_set_data_full (G_OBJECT (chooser), "specs", g_strv_builder_end (specs),
                          (GDestroyNotify) g_strfreev);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_record_chooser_response), self,
                           0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* "All feeds", or at least one feed ticked */
static void
sync_record_popover (FwWindow *self)
{
  gboolean all = gtk_check_button_get_active (self->record_all_check);
  gboolean any = all;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->record_feed_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      gtk_widget_set_sensitive (child, !all);
      any = any || gtk_check_button_get_active (GTK_CHECK_BUTTON (child));
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->record_start_button), any);
}

/* The feeds as they are when the popover opens; feed titles are plain text */
static void
fill_record_popover (FwWindow *self)
{
  GListModel *feeds = G_LIST_MODEL (self->feeds);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->record_feed_box))) != NULL)
    gtk_box_remove (self->record_feed_box, child);
  for (guint i = 0; i < g_list_model_get_n_items (feeds); i++)
    {
      g_autoptr(FwFeedRunner) runner = g_list_model_get_item (feeds, i);
      GtkWidget *check = gtk_check_button_new_with_label (fw_feed_runner_get_title (runner));

      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
      g_object_set_data_full (G_OBJECT (check), "spec",
                              g_strdup (fw_feed_runner_get_spec (runner)), g_free);
      g_signal_connect_object (check, "toggled", G_CALLBACK (sync_record_popover), self,
                               G_CONNECT_SWAPPED);
      gtk_box_append (self->record_feed_box, check);
    }
  gtk_check_button_set_active (self->record_all_check, TRUE);
  gtk_button_set_label (self->record_start_button, self->sandboxed ? _("_Record to Folder…")
                                                                   : _("_Record to File…"));
  sync_record_popover (self);
}

static GtkPopover *
new_record_popover (FwWindow *self)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new (_("Record Feeds"));
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *feeds = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *all = gtk_check_button_new_with_mnemonic (_("_All feeds"));
  GtkWidget *start = gtk_button_new_with_mnemonic (_("_Record to File…"));

  gtk_widget_add_css_class (heading, "heading");
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), all);
  gtk_widget_set_margin_start (feeds, 18);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 280);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), feeds);
  gtk_box_append (GTK_BOX (box), scroller);
  gtk_widget_add_css_class (start, "suggested-action");
  gtk_widget_set_margin_top (start, 6);
  gtk_box_append (GTK_BOX (box), start);
  gtk_widget_set_size_request (box, 240, -1);
  gtk_popover_set_child (GTK_POPOVER (popover), box);

  self->record_all_check = GTK_CHECK_BUTTON (all);
  self->record_feed_box = GTK_BOX (feeds);
  self->record_start_button = GTK_BUTTON (start);
  g_signal_connect_object (all, "toggled", G_CALLBACK (sync_record_popover), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (start, "clicked", G_CALLBACK (on_record_to_file_clicked), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (popover, "show", G_CALLBACK (fill_record_popover), self,
                           G_CONNECT_SWAPPED);
  return GTK_POPOVER (popover);
}

/* The button, or Ctrl+Shift+R: starts (asks which feeds and where) or stops */
static void
record_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  FwWindow *self = FW_WINDOW (widget);

  if (self->recorder != NULL)
    stop_recording (self, NULL);
  else
    gtk_menu_button_popup (self->record_button);
}

/* ---------------------------------------------------------------------------------------- */
/* Save the last N minutes */

static void
on_recent_saved (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  RecordDone *done = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint64 written = 0;

  if (!fw_recorder_save_items_finish (result, &written, &error))
    text = g_strdup_printf (_("Could not save the last minutes to “%s”: %s. Choose another "
                              "folder or name."), done->name, error->message);
  else
    text = g_strdup_printf (g_dngettext (NULL,
                                         "Saved the last %u minutes to “%s”: %" PRIu64
                                         " item",
                                         "Saved the last %u minutes to “%s”: %" PRIu64
                                         " items", written),
                            done->minutes, done->name, written);
  if (done->window != NULL)
    toast_that_stays (done->window, text, error != NULL ? 0 : 5);
  record_done_free (done);
}

/**
 * fw_window_save_recent:
 * @path: the recording to write
 * @minutes: how far back from now
 *
 * Writes the items the window kept of every feed from @minutes ago on (whatever the view's
 * filters) to a recording, off the main thread; a toast says how many, or why not.
 */
void
fw_window_save_recent (FwWindow   *self,
                       const char *path,
                       guint       minutes)
{
  g_autoptr(FwRecordingWriter) writer = NULL;
  g_autoptr(GPtrArray) items = NULL;
  GListModel *feeds;
  RecordDone *done;

  g_return_if_fail (FW_IS_WINDOW (self));

  fw_history_flush (self->history);
  items = fw_history_dup_items_since (self->history,
                                      g_get_real_time () - (gint64) minutes * 60 * G_USEC_PER_SEC);
  writer = fw_recording_writer_new (path);
  feeds = G_LIST_MODEL (self->feeds);
  for (guint i = 0; i < g_list_model_get_n_items (feeds); i++)
    {
      g_autoptr(FwFeedRunner) runner = g_list_model_get_item (feeds, i);

      fw_recording_writer_add_feed (writer, fw_feed_runner_get_spec (runner),
                                    fw_feed_runner_get_title (runner),
                                    fw_feed_runner_get_color (runner));
    }
  done = record_done_new (self, path);
  done->minutes = minutes;
  fw_recorder_save_items_async (writer, items, NULL, on_recent_saved, done);
}

static void
save_recent_to_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  const char *path;
  guint minutes;

  g_variant_get (parameter, "(&su)", &path, &minutes);
  fw_window_save_recent (FW_WINDOW (widget), path, minutes);
}

static void
on_recent_chooser_response (GtkNativeDialog *chooser,
                            int              response,
                            FwWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      guint minutes = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (chooser), "minutes"));

      if (path == NULL)
        toast_that_stays (self, _("Recordings can only be saved to a local folder: choose "
                                  "another folder."), 5);
      else
        {
          remember_folder (self, file);
          gtk_widget_activate_action (GTK_WIDGET (self), "win.save-recent-to", "(su)", path,
                                      minutes);
        }
    }
  g_object_unref (chooser);
}

static void
on_recent_dialog_response (AdwMessageDialog *dialog,
                           const char       *response,
                           FwWindow         *self)
{
  GtkSpinButton *spin = g_object_get_data (G_OBJECT (dialog), "minutes");
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;
  guint minutes;

  if (g_strcmp0 (response, "save") != 0)
    return;

  minutes = (guint) gtk_spin_button_get_value_as_int (spin);
  g_settings_set_uint (self->settings, "save-recent-minutes", minutes);
  name = dup_default_name ("feedwatch-incident");
  chooser = new_save_chooser (self, _("Save the Last Minutes"), _("_Save"), name);
  g_object_set_data (G_OBJECT (chooser), "minutes", GUINT_TO_POINTER (minutes));
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_recent_chooser_response), self,
                           0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
save_recent_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  FwWindow *self = FW_WINDOW (widget);
  GtkWidget *dialog;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new_with_mnemonic (_("_Minutes"));
  GtkWidget *spin = gtk_spin_button_new_with_range (1, 10080, 1);

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Save the Last Minutes"),
                                   _("Every feed’s items the window kept from that long ago "
                                     "until now go into one recording, to keep or to send."));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin),
                             g_settings_get_uint (self->settings, "save-recent-minutes"));
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), spin);
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), spin);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "save", _("_Choose File…"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "minutes", spin);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_recent_dialog_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---------------------------------------------------------------------------------------- */

void
_fw_window_class_record_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, FwWindow, record_button);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, stop_record_button);
  gtk_widget_class_bind_template_child (widget_class, FwWindow, record_label);

  gtk_widget_class_install_action (widget_class, "win.record", NULL, record_action);
  gtk_widget_class_install_action (widget_class, "win.start-recording", "(sas)",
                                   start_recording_action);
  gtk_widget_class_install_action (widget_class, "win.start-recording-in", "(sas)",
                                   start_recording_in_action);
  gtk_widget_class_install_action (widget_class, "win.stop-recording", NULL,
                                   stop_recording_action);
  gtk_widget_class_install_action (widget_class, "win.save-recent", NULL, save_recent_action);
  gtk_widget_class_install_action (widget_class, "win.save-recent-to", "(su)",
                                   save_recent_to_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.record", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.save-recent", NULL);
}

void
_fw_window_record_init (FwWindow *self)
{
  self->sandboxed = g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
  self->record_popover = new_record_popover (self);
  gtk_menu_button_set_popover (self->record_button, GTK_WIDGET (self->record_popover));
  g_signal_connect_object (self->feeds, "items-changed", G_CALLBACK (on_feeds_changed), self,
                           G_CONNECT_SWAPPED);
}

/* Tests take the Flatpak's way (a folder rather than a file) outside Flatpak, or not inside */
void
_fw_window_set_sandboxed (FwWindow *self,
                          gboolean  sandboxed)
{
  g_return_if_fail (FW_IS_WINDOW (self));

  self->sandboxed = sandboxed;
}

/* The window goes: the recording is closed whole before it does (a batch's write at most),
 * as the process may end right after */
void
_fw_window_record_dispose (FwWindow *self)
{
  g_autoptr(FwRecorder) recorder = g_steal_pointer (&self->recorder);

  g_clear_handle_id (&self->record_tick_id, g_source_remove);
  if (recorder != NULL)
    fw_recorder_stop (recorder);
}

/**
 * fw_window_get_record_path:
 *
 * Returns: (transfer none) (nullable): the file being recorded to, or %NULL
 */
const char *
fw_window_get_record_path (FwWindow *self)
{
  g_return_val_if_fail (FW_IS_WINDOW (self), NULL);

  return self->recorder != NULL ? fw_recorder_get_path (self->recorder) : NULL;
}
