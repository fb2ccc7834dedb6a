/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-export.c: items written to a file as JSON Lines and CSV, read back */

#include "fw-test-util.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "fw-export.h"
#include "fw-item-object.h"

static GPtrArray *
make_items (void)
{
  g_autoptr(GRefString) feed = fw_ref_string_intern ("sse:http://h/x?token=•••");
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  GVariantBuilder fields;
  FwItem *item;

  item = fw_item_new (FW_ITEM_LINE, feed, 1796540400000000, "a, \"quoted\"\nsecond line", -1);
  item->source_time_us = 1796539441250000;
  fw_item_set_level (item, FW_LEVEL_ERROR);
  g_ptr_array_add (items, item);

  item = fw_item_new (FW_ITEM_EVENT, feed, 1796540400000001, "nul\0here", 8);
  fw_item_set_id (item, "42");
  fw_item_set_name (item, "update");
  g_variant_builder_init (&fields, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&fields, "{sv}", "host", g_variant_new_string ("db1"));
  g_variant_builder_add (&fields, "{sv}", "n", g_variant_new_int64 (3));
  fw_item_take_fields (item, g_variant_ref_sink (g_variant_builder_end (&fields)));
  g_ptr_array_add (items, item);

  item = fw_item_new_reading (feed, 1796540400000002, "cpu temp", 41.5, "°C");
  g_ptr_array_add (items, item);

  return items;
}

typedef struct
{
  GMainLoop *loop;
  guint      n_written;
  GError    *error;
} Wait;

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Wait *wait = user_data;

  fw_export_items_finish (result, &wait->n_written, &wait->error);
  g_main_loop_quit (wait->loop);
}

static gboolean
export (GPtrArray       *items,
        FwExportFormat   format,
        GFile           *file,
        guint           *n_written,
        GError         **error)
{
  Wait wait = { g_main_loop_new (NULL, FALSE), 0, NULL };

  fw_export_items_async (items, format, file, NULL, on_exported, &wait);
  g_main_loop_run (wait.loop);
  g_main_loop_unref (wait.loop);
  *n_written = wait.n_written;
  if (wait.error != NULL)
    {
      g_propagate_error (error, wait.error);
      return FALSE;
    }
  return TRUE;
}

/* A minimal RFC 4180 reader: records of cells */
static GPtrArray *
read_csv (const char *text)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  GPtrArray *cells = g_ptr_array_new ();
  GString *cell = g_string_new (NULL);
  const char *p = text;

  while (*p != '\0')
    {
      if (*p == '"')
        {
          for (p++; !(*p == '"' && p[1] != '"'); p++)
            {
              g_assert_true (*p != '\0');
              if (*p == '"')
                p++;
              g_string_append_c (cell, *p);
            }
          p++;
        }
      else if (*p == ',')
        {
          g_ptr_array_add (cells, g_string_free (cell, FALSE));
          cell = g_string_new (NULL);
          p++;
        }
      else if (*p == '\r' && p[1] == '\n')
        {
          g_ptr_array_add (cells, g_string_free (cell, FALSE));
          g_ptr_array_add (cells, NULL);
          g_ptr_array_add (records, g_ptr_array_free (cells, FALSE));
          cells = g_ptr_array_new ();
          cell = g_string_new (NULL);
          p += 2;
        }
      else
        g_string_append_c (cell, *p++);
    }
  g_assert_cmpuint (cells->len, ==, 0);
  g_assert_cmpuint (cell->len, ==, 0);
  g_ptr_array_free (cells, TRUE);
  g_string_free (cell, TRUE);
  return records;
}

static void
test_json_lines (void)
{
  g_autoptr(GPtrArray) items = make_items ();
  g_autofree char *dir = g_dir_make_tmp ("fw-export-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "view.jsonl", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  g_assert_cmpint (fw_export_format_for_name (path), ==, FW_EXPORT_JSON_LINES);
  g_assert_true (export (items, FW_EXPORT_JSON_LINES, file, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 3);

  /* exactly what --print writes, a line an item */
  for (guint i = 0; i < items->len; i++)
    {
      fw_item_append_json (g_ptr_array_index (items, i), expected);
      g_string_append_c (expected, '\n');
    }
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, expected->str);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_csv (void)
{
  g_autoptr(GPtrArray) items = make_items ();
  g_autofree char *dir = g_dir_make_tmp ("fw-export-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "view.CSV", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *header = NULL;
  char **r;
  guint n = 0;

  g_assert_cmpint (fw_export_format_for_name (path), ==, FW_EXPORT_CSV);
  g_assert_true (export (items, FW_EXPORT_CSV, file, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 3);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  records = read_csv (contents);
  g_assert_cmpuint (records->len, ==, 4);

  r = g_ptr_array_index (records, 0);
  header = g_strjoinv (",", r);
  g_assert_cmpstr (header, ==, "time,source_time,feed,kind,level,name,id,value,unit,text,fields");

  /* the text whole, commas, quotes and line breaks and all; both times */
  r = g_ptr_array_index (records, 1);
  g_assert_cmpuint (g_strv_length (r), ==, 11);
  g_assert_cmpstr (r[0], ==, "2026-12-06T07:00:00.000000Z");
  g_assert_cmpstr (r[1], ==, "2026-12-06T06:44:01.250000Z");
  g_assert_cmpstr (r[2], ==, "sse:http://h/x?token=•••");
  g_assert_cmpstr (r[3], ==, "line");
  g_assert_cmpstr (r[4], ==, "error");
  g_assert_cmpstr (r[9], ==, "a, \"quoted\"\nsecond line");
  g_assert_cmpstr (r[10], ==, "");

  /* the fields as one JSON object; a NUL as U+FFFD */
  r = g_ptr_array_index (records, 2);
  g_assert_cmpstr (r[1], ==, "");
  g_assert_cmpstr (r[5], ==, "update");
  g_assert_cmpstr (r[6], ==, "42");
  g_assert_cmpstr (r[9], ==, "nul\xef\xbf\xbdhere");
  g_assert_true (json_parser_load_from_data (parser, r[10], -1, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)),
                                                  "host"), ==, "db1");

  /* a reading's value and unit */
  r = g_ptr_array_index (records, 3);
  g_assert_cmpstr (r[3], ==, "reading");
  g_assert_cmpstr (r[5], ==, "cpu temp");
  g_assert_cmpstr (r[7], ==, "41.5");
  g_assert_cmpstr (r[8], ==, "°C");

  g_unlink (path);
  g_rmdir (dir);
}

/* A file that cannot be written is an error in words, and an existing file is left whole. */
static void
test_errors (void)
{
  g_autoptr(GPtrArray) items = make_items ();
  g_autofree char *dir = g_dir_make_tmp ("fw-export-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "no", "such", "view.jsonl", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (missing);
  g_autoptr(GError) error = NULL;
  guint n = 0;

  g_assert_false (export (items, FW_EXPORT_JSON_LINES, file, &n, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (error->message);
  g_rmdir (dir);
}

/* What a view lists, without its other rows */
static void
test_collect (void)
{
  g_autoptr(GPtrArray) items = make_items ();
  g_autoptr(GListStore) store = g_list_store_new (G_TYPE_OBJECT);
  g_autoptr(GObject) note = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GPtrArray) collected = NULL;

  g_list_store_append (store, note);
  for (guint i = 0; i < items->len; i++)
    {
      g_autoptr(FwItemObject) object = fw_item_object_new (g_ptr_array_index (items, i));

      g_list_store_append (store, object);
    }
  collected = fw_export_collect (G_LIST_MODEL (store));
  g_assert_cmpuint (collected->len, ==, 3);
  for (guint i = 0; i < items->len; i++)
    g_assert_true (g_ptr_array_index (collected, i) == g_ptr_array_index (items, i));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/json-lines", test_json_lines);
  g_test_add_func ("/export/csv", test_csv);
  g_test_add_func ("/export/errors", test_errors);
  g_test_add_func ("/export/collect", test_collect);

  return g_test_run ();
}
