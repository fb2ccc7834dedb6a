/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-export.c: items written to a file. The rows to write are taken on the main thread (the
 * items themselves are immutable and shared), and a worker thread formats and writes them,
 * so a view of a million rows never stalls the window. A file is replaced only once it is
 * written whole (g_file_replace() writes a temporary beside it). */

#include "config.h"

#include "fw-export.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "fw-item-object.h"

/* Written out whenever this much is formatted */
#define CHUNK_BYTES (256 * 1024)

/**
 * fw_export_format_for_name:
 * @name: a file's name
 *
 * Returns: CSV for a name ending in ".csv" (any case), JSON Lines otherwise
 */
FwExportFormat
fw_export_format_for_name (const char *name)
{
  gsize len = name != NULL ? strlen (name) : 0;

  if (len >= 4 && g_ascii_strcasecmp (name + len - 4, ".csv") == 0)
    return FW_EXPORT_CSV;
  return FW_EXPORT_JSON_LINES;
}

/**
 * fw_export_collect:
 * @model: a list of #FwItemObject, as a view shows it (other rows, such as a note on top, are
 *   left out)
 *
 * Returns: (transfer full) (element-type FwItem): the items, in order
 */
GPtrArray *
fw_export_collect (GListModel *model)
{
  guint n = g_list_model_get_n_items (model);
  GPtrArray *items = g_ptr_array_new_full (n, (GDestroyNotify) fw_item_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) object = g_list_model_get_item (model, i);

      if (FW_IS_ITEM_OBJECT (object))
        g_ptr_array_add (items, fw_item_ref (fw_item_object_get_item (FW_ITEM_OBJECT (object))));
    }
  return items;
}

static const char *const csv_columns[] = {
  "time", "source_time", "feed", "kind", "level", "name", "id", "value", "unit", "text",
  "fields",
};

void
fw_export_append_csv_header (GString *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (csv_columns); i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, csv_columns[i]);
    }
  g_string_append (out, "\r\n");
}

/* RFC 4180: quoted when it holds a comma, a quote or a line break, quotes doubled. A NUL
 * (an SSE event's data may hold one) cannot stand in a CSV cell: it is written as U+FFFD. */
static void
append_cell (GString    *out,
             const char *text,
             gsize       len)
{
  gboolean quote = FALSE;

  g_string_append_c (out, ',');
  if (text == NULL)
    return;
  for (gsize i = 0; i < len && !quote; i++)
    quote = text[i] == ',' || text[i] == '"' || text[i] == '\n' || text[i] == '\r';
  if (quote)
    g_string_append_c (out, '"');
  for (gsize i = 0; i < len; i++)
    {
      if (text[i] == '"')
        g_string_append (out, "\"\"");
      else if (text[i] == '\0')
        g_string_append (out, "\xef\xbf\xbd");
      else
        g_string_append_c (out, text[i]);
    }
  if (quote)
    g_string_append_c (out, '"');
}

static void
append_cell_str (GString    *out,
                 const char *text)
{
  append_cell (out, text, text != NULL ? strlen (text) : 0);
}

/**
 * fw_export_append_csv:
 *
 * Appends @item as a CSV record with the columns of fw_export_append_csv_header(): times in
 * RFC 3339 UTC, the structured fields as one JSON object.
 */
void
fw_export_append_csv (GString      *out,
                      const FwItem *item)
{
  g_autoptr(GString) cell = g_string_new (NULL);

  fw_append_rfc3339_utc (out, item->time_us);
  if (item->source_time_us != 0)
    {
      fw_append_rfc3339_utc (cell, item->source_time_us);
      append_cell (out, cell->str, cell->len);
    }
  else
    append_cell (out, NULL, 0);
  append_cell_str (out, item->feed);
  append_cell_str (out, fw_item_kind_to_string (item->kind));
  append_cell_str (out, fw_level_to_string (item->level));
  append_cell_str (out, item->name);
  append_cell_str (out, item->id);
  if (item->flags & FW_ITEM_FLAG_HAS_VALUE)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      append_cell_str (out, g_ascii_formatd (buf, sizeof buf, "%.15g", item->value));
    }
  else
    append_cell (out, NULL, 0);
  append_cell_str (out, item->unit);
  append_cell (out, item->text, item->text_len);
  if (item->fields != NULL)
    {
      g_autofree char *json = json_gvariant_serialize_data (item->fields, NULL);

      append_cell_str (out, json);
    }
  else
    append_cell (out, NULL, 0);
  g_string_append (out, "\r\n");
}

typedef struct
{
  GPtrArray      *items;
  FwExportFormat  format;
  GFile          *file;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_ptr_array_unref (job->items);
  g_object_unref (job->file);
  g_free (job);
}

static void
export_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  ExportJob *job = task_data;
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GString) out = g_string_sized_new (CHUNK_BYTES + 4096);
  GError *error = NULL;

  stream = g_file_replace (job->file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                           cancellable, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (job->format == FW_EXPORT_CSV)
    fw_export_append_csv_header (out);
  for (guint i = 0; i <= job->items->len; i++)
    {
      if (i < job->items->len)
        {
          const FwItem *item = g_ptr_array_index (job->items, i);

          if (job->format == FW_EXPORT_CSV)
            fw_export_append_csv (out, item);
          else
            {
              fw_item_append_json (item, out);
              g_string_append_c (out, '\n');
            }
        }
      if ((out->len >= CHUNK_BYTES || i == job->items->len) && out->len > 0)
        {
          if (!g_output_stream_write_all (G_OUTPUT_STREAM (stream), out->str, out->len, NULL,
                                          cancellable, &error))
            {
              /* The file is left as it was: the temporary goes with the stream. */
              g_task_return_error (task, error);
              return;
            }
          g_string_truncate (out, 0);
        }
    }
  if (!g_output_stream_close (G_OUTPUT_STREAM (stream), cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_int (task, job->items->len);
}

/**
 * fw_export_items_async:
 * @items: (element-type FwItem): what to write, in order (kept until the write ends)
 * @file: where; replaced once written whole
 *
 * Writes @items to @file in a worker thread.
 */
void
fw_export_items_async (GPtrArray           *items,
                       FwExportFormat       format,
                       GFile               *file,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  ExportJob *job = g_new0 (ExportJob, 1);

  job->items = g_ptr_array_ref (items);
  job->format = format;
  job->file = g_object_ref (file);
  g_task_set_source_tag (task, fw_export_items_async);
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  g_task_run_in_thread (task, export_in_thread);
}

/**
 * fw_export_items_finish:
 * @n_written: (out) (optional): how many items were written
 *
 * Returns: whether the file was written whole
 */
gboolean
fw_export_items_finish (GAsyncResult  *result,
                        guint         *n_written,
                        GError       **error)
{
  gssize n;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  n = g_task_propagate_int (G_TASK (result), error);
  if (n < 0)
    return FALSE;
  if (n_written != NULL)
    *n_written = (guint) n;
  return TRUE;
}
