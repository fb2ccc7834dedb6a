/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-window-export.c: FwWindow's exports. Export View: what the live list shows now (its feed,
 * search and level filter; held still when paused), or only the rows selected in it, written
 * to a file the user picks, as JSON Lines or CSV; the plot's data as CSV and its picture as
 * PNG. The file chooser is
 * GtkFileChooserNative: the portal's inside Flatpak. Files are written off the main thread. */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "fw-export.h"
#include "fw-window-private.h"

typedef struct
{
  FwWindow *window; /* weak: the window may close while the file is written */
  char     *name;
} ExportDone;

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  ExportDone *done = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint n = 0;

  if (!fw_export_items_finish (result, &n, &error))
    text = g_strdup_printf (_("Could not export to “%s”: %s. Choose another folder or name."),
                            done->name, error->message);
  else
    text = g_strdup_printf (g_dngettext (NULL, "Exported %u item to “%s”",
                                         "Exported %u items to “%s”", n), n, done->name);
  if (done->window != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    fw_window_toast (done->window, text);

  g_clear_weak_pointer (&done->window);
  g_free (done->name);
  g_free (done);
}

/**
 * fw_window_export_view:
 * @file: where; replaced once written whole
 *
 * Writes the rows the live list shows now to @file: CSV when its name ends in ".csv", JSON
 * Lines (the `--print` format) otherwise. A toast says how many, or why not.
 */
static void
export_items (FwWindow  *self,
              GPtrArray *items,
              GFile     *file)
{
  g_autofree char *basename = NULL;
  ExportDone *done;

  basename = g_file_get_basename (file);
  done = g_new0 (ExportDone, 1);
  g_set_weak_pointer (&done->window, self);
  done->name = g_filename_display_name (basename);
  fw_export_items_async (items, fw_export_format_for_name (basename), file, self->cancellable,
                         on_exported, done);
}

void
fw_window_export_view (FwWindow *self,
                       GFile    *file)
{
  g_autoptr(GPtrArray) items = NULL;

  g_return_if_fail (FW_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  fw_history_flush (self->history);
  items = fw_export_collect (G_LIST_MODEL (self->history));
  export_items (self, items, file);
}

/**
 * fw_window_export_selection:
 * @file: where; replaced once written whole
 *
 * Writes the rows selected in the live list to @file, in the list's order, as
 * fw_window_export_view() writes them all.
 */
void
fw_window_export_selection (FwWindow *self,
                            GFile    *file)
{
  g_autoptr(GPtrArray) items = NULL;

  g_return_if_fail (FW_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  items = fw_item_view_dup_selected_items (self->item_view);
  export_items (self, items, file);
}

static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     FwWindow        *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *basename = NULL;
  const char *format;

  if (response != GTK_RESPONSE_ACCEPT)
    {
      g_object_unref (chooser);
      return;
    }

  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  format = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "format");
  basename = g_file_get_basename (file);
  /* A name without the format's extension gets it: the extension is what decides. */
  if (fw_export_format_for_name (basename) != FW_EXPORT_CSV && g_strcmp0 (format, "csv") == 0)
    {
      g_autofree char *named = g_strconcat (basename, ".csv", NULL);
      g_autoptr(GFile) parent = g_file_get_parent (file);

      GFile *named_file = g_file_get_child (parent, named);

      g_object_unref (file);
      file = named_file;
    }
  if (g_strcmp0 (gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "rows"),
                 "selection") == 0)
    fw_window_export_selection (self, file);
  else
    fw_window_export_view (self, file);
  g_object_unref (chooser);
}

static void
export_view_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  FwWindow *self = FW_WINDOW (widget);
  static const char *format_ids[] = { "jsonl", "csv", NULL };
  const char *format_labels[] = { _("JSON Lines"), _("CSV"), NULL };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d %H%M%S");
  g_autofree char *name = g_strdup_printf ("Feedwatch %s.jsonl", stamp);
  g_autoptr(GPtrArray) selected = fw_item_view_dup_selected_items (self->item_view);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Export View"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "format", _("Format"),
                               format_ids, format_labels);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "format", "jsonl");
  /* Rows selected: the user picked them, most likely to export them */
  if (selected->len > 0)
    {
      static const char *rows_ids[] = { "selection", "view", NULL };
      const char *rows_labels[] = { _("Selected rows"), _("Current view"), NULL };

      gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "rows", _("Rows"), rows_ids,
                                   rows_labels);
      gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "rows", "selection");
    }
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_chooser_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---------------------------------------------------------------------------------------- */
/* The plot */

typedef struct
{
  FwWindow *window; /* weak */
  char     *name;
  char     *what;   /* "data", "image" */
} WriteDone;

static void
on_plot_written (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  WriteDone *done = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    text = g_strdup_printf (_("Could not save the plot to “%s”: %s. Choose another folder or "
                              "name."), done->name, error->message);
  else
    text = g_strdup_printf (g_str_equal (done->what, "image") ? _("Saved the plot to “%s”")
                                                               : _("Exported the plot’s data to “%s”"),
                            done->name);
  if (done->window != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    fw_window_toast (done->window, text);

  g_clear_weak_pointer (&done->window);
  g_free (done->name);
  g_free (done->what);
  g_free (done);
}

static void
write_plot (FwWindow *self,
            GFile    *file,
            GBytes   *bytes,
            gboolean  image)
{
  g_autofree char *basename = g_file_get_basename (file);
  WriteDone *done = g_new0 (WriteDone, 1);

  g_set_weak_pointer (&done->window, self);
  done->name = g_filename_display_name (basename);
  done->what = g_strdup (image ? "image" : "data");
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE,
                                       G_FILE_CREATE_REPLACE_DESTINATION, self->cancellable,
                                       on_plot_written, done);
}

/**
 * fw_window_export_plot:
 * @file: where; replaced once written whole
 * @image: %TRUE for the picture (PNG), %FALSE for the data (CSV)
 *
 * Writes the plot's data or picture to @file; a toast says so, or why not.
 */
void
fw_window_export_plot (FwWindow *self,
                       GFile    *file,
                       gboolean  image)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (FW_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (image)
    bytes = fw_plot_render_png (self->plot, &error);
  else
    {
      char *csv = fw_plot_dup_csv (self->plot);

      bytes = g_bytes_new_take (csv, strlen (csv));
    }
  if (bytes == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Could not save the plot: %s"), error->message);

      fw_window_toast (self, text);
      return;
    }
  write_plot (self, file, bytes, image);
}

static void
plot_chooser_done (GtkNativeDialog *chooser,
                   int              response,
                   FwWindow        *self,
                   gboolean         image)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      fw_window_export_plot (self, file, image);
    }
  g_object_unref (chooser);
}

static void
on_plot_image_chooser_response (GtkNativeDialog *chooser,
                                int              response,
                                FwWindow        *self)
{
  plot_chooser_done (chooser, response, self, TRUE);
}

static void
on_plot_data_chooser_response (GtkNativeDialog *chooser,
                               int              response,
                               FwWindow        *self)
{
  plot_chooser_done (chooser, response, self, FALSE);
}

static void
export_plot_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  FwWindow *self = FW_WINDOW (widget);
  gboolean image = g_str_equal (action_name, "win.save-plot-image");
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d %H%M%S");
  g_autofree char *name = g_strdup_printf ("Feedwatch plot %s.%s", stamp, image ? "png" : "csv");
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (image ? _("Save Plot as Image") : _("Export Plot Data"),
                                         GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                         image ? _("_Save") : _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect_object (chooser, "response",
                           image ? G_CALLBACK (on_plot_image_chooser_response)
                                 : G_CALLBACK (on_plot_data_chooser_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
_fw_window_class_export_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.export-plot-data", NULL,
                                   export_plot_action);
  gtk_widget_class_install_action (widget_class, "win.save-plot-image", NULL,
                                   export_plot_action);
  gtk_widget_class_install_action (widget_class, "win.export-view", NULL, export_view_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.export-view", NULL);
}
