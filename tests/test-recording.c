/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-recording.c: the recording format: every field of every kind back as it was written,
 * from a recording, a plain `.jsonl` and a `.jsonl.zst` made like `zstd` makes one; seeking by
 * the index and, without it, by the markers; a file cut mid-write; rotation; a disk that fails
 * or stalls, which drops and counts without blocking; no secrets in the header. */

#include "config.h"

#include "fw-test-util.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <zstd.h>

#include "fw-item-parse.h"
#include "fw-recording-reader.h"
#include "fw-recording-writer.h"

#define T0 G_GINT64_CONSTANT (1795000000000000)  /* 2026-11-18T11:06:40Z, in µs */

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("fw-recording-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "rec.jsonl.zst", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  fw_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static GRefString *
feed_name (const char *name)
{
  return fw_ref_string_intern (name);
}

/* One item of every kind, with every field the JSON writer writes */
static GPtrArray *
make_every_kind (void)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  g_autoptr(GRefString) feed = feed_name ("sse:https://example.com/events");
  g_autoptr(GRefString) other = feed_name ("cmd:make \"all\"");
  static const char nul_text[] =
    "data with a NUL \0 inside, \"quotes\", \\ and \t\n controls, é ✓ 🎉";
  static const double values[] = { 44, 0.1 + 0.2, -0.0, 1e-300, 1.7976931348623157e308,
                                   123456789.123456789, 1.0 / 3 };
  guint8 bytes[256];
  GVariantBuilder fields;
  FwItem *item;

  item = fw_item_new (FW_ITEM_LINE, other, T0, "a plain line", -1);
  fw_item_set_level (item, FW_LEVEL_WARNING);
  item->source_time_us = T0 - 1500;
  fw_item_add_flags (item, FW_ITEM_FLAG_STDERR | FW_ITEM_FLAG_TRUNCATED);
  g_ptr_array_add (items, item);

  item = fw_item_new (FW_ITEM_LINE, other, T0 + 1, "from a terminal", -1);
  fw_item_add_flags (item, FW_ITEM_FLAG_TERMINAL);
  fw_item_set_level (item, FW_LEVEL_TRACE);
  g_ptr_array_add (items, item);

  item = fw_item_new (FW_ITEM_LINE, other, T0 + 2, "", 0);
  g_ptr_array_add (items, item);

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      item = fw_item_new_reading (feed, T0 + 10 + i, "temp1", values[i], "°C");
      fw_item_set_id (item, "7");
      g_ptr_array_add (items, item);
    }
  item = fw_item_new_reading (feed, T0 + 20, "no unit", NAN, NULL);
  g_ptr_array_add (items, item);

  item = fw_item_new (FW_ITEM_EVENT, feed, T0 + 30, nul_text, sizeof nul_text - 1);
  fw_item_set_name (item, "update");
  fw_item_set_id (item, "id \"1\"");
  fw_item_set_level (item, FW_LEVEL_CRITICAL);
  g_ptr_array_add (items, item);

  item = fw_item_new (FW_ITEM_MESSAGE, feed, T0 + 40, "a message", -1);
  g_variant_builder_init (&fields, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&fields, "{sv}", "host", g_variant_new_string ("a\"b ✓"));
  g_variant_builder_add (&fields, "{sv}", "n", g_variant_new_int64 (-9007199254740993));
  g_variant_builder_add (&fields, "{sv}", "whole", g_variant_new_double (3.0));
  g_variant_builder_add (&fields, "{sv}", "ratio", g_variant_new_double (0.1 + 0.2));
  g_variant_builder_add (&fields, "{sv}", "ok", g_variant_new_boolean (TRUE));
  g_variant_builder_add (&fields, "{sv}", "no", g_variant_new_boolean (FALSE));
  fw_item_take_fields (item, g_variant_builder_end (&fields));
  fw_item_set_level (item, FW_LEVEL_INFO);
  item->source_time_us = T0 - 7;
  g_ptr_array_add (items, item);

  for (guint i = 0; i < sizeof bytes; i++)
    bytes[i] = (guint8) (255 - i);
  item = fw_item_new (FW_ITEM_MESSAGE, feed, T0 + 50, "binary, 256 bytes: ff fe fd", -1);
  g_variant_builder_init (&fields, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&fields, "{sv}", "opcode", g_variant_new_int64 (2));
  g_variant_builder_add (&fields, "{sv}", "data",
                         g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, bytes, sizeof bytes, 1));
  fw_item_take_fields (item, g_variant_builder_end (&fields));
  fw_item_add_flags (item, FW_ITEM_FLAG_BINARY);
  g_ptr_array_add (items, item);

  item = fw_item_new (FW_ITEM_STATUS, feed, T0 + 60, "retrying in 2 s", -1);
  fw_item_set_level (item, FW_LEVEL_NOTICE);
  g_ptr_array_add (items, item);

  item = fw_item_new (FW_ITEM_MESSAGE, feed, T0 + 70, "debug", -1);
  fw_item_set_level (item, FW_LEVEL_DEBUG);
  g_ptr_array_add (items, item);

  item = fw_item_new (FW_ITEM_LINE, other, T0 + 80, "error", -1);
  fw_item_set_level (item, FW_LEVEL_ERROR);
  g_ptr_array_add (items, item);

  return items;
}

static void
assert_same_fields (GVariant *a,
                    GVariant *b)
{
  GVariantIter iter;
  const char *key;
  GVariant *value;

  if (a == NULL || b == NULL)
    {
      g_assert_true (a == b);
      return;
    }
  g_assert_cmpuint (g_variant_n_children (a), ==, g_variant_n_children (b));
  g_variant_iter_init (&iter, a);
  while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
    {
      g_autoptr(GVariant) other = g_variant_lookup_value (b, key, NULL);

      g_assert_nonnull (other);
      g_assert_true (g_variant_equal (value, other));
    }
}

/* Every field, the doubles bit for bit */
static void
assert_same_item (FwItem *a,
                  FwItem *b)
{
  g_autoptr(GString) ja = g_string_new (NULL);
  g_autoptr(GString) jb = g_string_new (NULL);

  g_assert_cmpstr (a->feed, ==, b->feed);
  g_assert_cmpint (a->time_us, ==, b->time_us);
  g_assert_cmpint (a->source_time_us, ==, b->source_time_us);
  g_assert_cmpint (a->kind, ==, b->kind);
  g_assert_cmpint (a->level, ==, b->level);
  g_assert_cmpint (a->flags, ==, b->flags);
  g_assert_cmpstr (a->name, ==, b->name);
  g_assert_cmpstr (a->unit, ==, b->unit);
  g_assert_cmpstr (a->id, ==, b->id);
  g_assert_cmpmem (a->text, a->text_len, b->text, b->text_len);
  if (isnan (a->value))
    g_assert_true (isnan (b->value));
  else
    g_assert_cmpmem (&a->value, sizeof a->value, &b->value, sizeof b->value);
  assert_same_fields (a->fields, b->fields);
  fw_item_append_json (a, ja);
  fw_item_append_json (b, jb);
  g_assert_cmpstr (ja->str, ==, jb->str);
}

static GPtrArray *
read_all (const char *path,
          FwRecordingFormat expected_format)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwRecordingReader) reader = fw_recording_reader_open (path, &error);
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  guint before;

  g_assert_no_error (error);
  g_assert_cmpint (fw_recording_reader_get_format (reader), ==, expected_format);
  do
    {
      before = items->len;
      g_assert_true (fw_recording_reader_read (reader, items, 777, &error));
      g_assert_no_error (error);
    }
  while (items->len > before);
  g_assert_cmpuint (fw_recording_reader_get_n_invalid (reader, NULL), ==, 0);
  return items;
}

static FwRecordingWriter *
start_writer (const char *path,
              gsize       frame_size)
{
  g_autoptr(GError) error = NULL;
  FwRecordingWriter *writer = fw_recording_writer_new (path);

  fw_recording_writer_add_feed (writer, "sse:https://example.com/events", "Events", "#3584e4");
  fw_recording_writer_add_feed (writer, "cmd:make \"all\"", NULL, NULL);
  if (frame_size > 0)
    fw_recording_writer_set_frame_size (writer, frame_size);
  g_assert_true (fw_recording_writer_start (writer, &error));
  g_assert_no_error (error);
  return writer;
}

static void
write_items (const char *path,
             GPtrArray  *items,
             gsize       frame_size)
{
  g_autoptr(FwRecordingWriter) writer = start_writer (path, frame_size);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < items->len; i++)
    g_assert_true (fw_recording_writer_add (writer, items->pdata[i]));
  g_assert_true (fw_recording_writer_close (writer, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fw_recording_writer_get_n_written (writer), ==, items->len);
  g_assert_cmpuint (fw_recording_writer_get_n_dropped (writer), ==, 0);
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) items = make_every_kind ();
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FwRecordingReader) reader = NULL;
  const char *title = NULL, *color = NULL;

  write_items (fixture->path, items, 0);

  back = read_all (fixture->path, FW_RECORDING_INDEXED);
  g_assert_cmpuint (back->len, ==, items->len);
  for (guint i = 0; i < items->len; i++)
    assert_same_item (items->pdata[i], back->pdata[i]);

  reader = fw_recording_reader_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fw_recording_reader_get_n_feeds (reader), ==, 2);
  g_assert_cmpstr (fw_recording_reader_get_feed (reader, 0, &title, &color), ==,
                   "sse:https://example.com/events");
  g_assert_cmpstr (title, ==, "Events");
  g_assert_cmpstr (color, ==, "#3584e4");
  g_assert_cmpstr (fw_recording_reader_get_feed (reader, 1, &title, &color), ==,
                   "cmd:make \"all\"");
  g_assert_null (title);
  g_assert_cmpstr (fw_recording_reader_get_version (reader), ==, PACKAGE_VERSION);
}

/* `--print` output as it is, and compressed as `zstd` compresses it: one frame, no index */
static void
test_round_trip_jsonl (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) items = make_every_kind ();
  g_autoptr(GString) lines = g_string_new (NULL);
  g_autofree char *plain = g_build_filename (fixture->dir, "print.jsonl", NULL);
  g_autofree char *zst = g_build_filename (fixture->dir, "print.jsonl.zst", NULL);
  g_autofree char *compressed = NULL;
  g_autoptr(GError) error = NULL;
  gsize n;

  for (guint i = 0; i < items->len; i++)
    {
      fw_item_append_json (items->pdata[i], lines);
      /* CRLF too, and no newline after the last line */
      if (i + 1 < items->len)
        g_string_append (lines, i == 3 ? "\r\n" : "\n");
    }
  g_file_set_contents (plain, lines->str, lines->len, &error);
  g_assert_no_error (error);
  compressed = g_malloc (ZSTD_compressBound (lines->len + 1));
  g_string_append_c (lines, '\n');
  n = ZSTD_compress (compressed, ZSTD_compressBound (lines->len), lines->str, lines->len, 19);
  g_assert_false (ZSTD_isError (n));
  g_file_set_contents (zst, compressed, n, &error);
  g_assert_no_error (error);

  for (guint f = 0; f < 2; f++)
    {
      g_autoptr(GPtrArray) back = read_all (f == 0 ? plain : zst,
                                            f == 0 ? FW_RECORDING_PLAIN : FW_RECORDING_ZSTD);

      g_assert_cmpuint (back->len, ==, items->len);
      for (guint i = 0; i < items->len; i++)
        assert_same_item (items->pdata[i], back->pdata[i]);
    }
  g_assert_true (fw_recording_path_is_recording (plain));
  g_assert_true (fw_recording_path_is_recording (zst));
}

/* What a foreign record may hold: raw invalid UTF-8 and a lone surrogate become U+FFFD, a
 * \u0000 is a NUL, unknown members are passed over, nested values kept as JSON text */
static void
test_parse_foreign (void)
{
  g_autoptr(FwItemParser) parser = fw_item_parser_new ();
  g_autoptr(GError) error = NULL;
  static const char line[] = "{\"feed\":\"x\",\"extra\":{\"a\":[1,{\"b\":\"}\"}]},"
                             "\"time\":\"2026-11-22T03:12:00.5+01:00\",\"kind\":\"line\","
                             "\"text\":\"bad \xff\xfe, lone \\ud800, pair \\ud83c\\udf89, "
                             "nul \\u0000!\","
                             "\"fields\":{\"o\":{\"k\":[1,2]},\"e\":1e3}}";
  static const char expected[] =
    "bad \xEF\xBF\xBD\xEF\xBF\xBD, lone \xEF\xBF\xBD, pair 🎉, nul \0!";
  g_autoptr(FwItem) item = fw_item_parser_parse (parser, line, sizeof line - 1, &error);
  g_autoptr(GVariant) o = NULL;
  g_autoptr(GVariant) e = NULL;
  gint64 t;

  g_assert_no_error (error);
  g_assert_cmpmem (item->text, item->text_len, expected, sizeof expected - 1);
  g_assert_true (fw_parse_rfc3339_utc ("2026-11-22T02:12:00.500000Z", 27, &t));
  g_assert_cmpint (item->time_us, ==, t);
  o = g_variant_lookup_value (item->fields, "o", G_VARIANT_TYPE_STRING);
  g_assert_cmpstr (g_variant_get_string (o, NULL), ==, "{\"k\":[1,2]}");
  e = g_variant_lookup_value (item->fields, "e", G_VARIANT_TYPE_DOUBLE);
  g_assert_cmpfloat (g_variant_get_double (e), ==, 1000);

  /* Not records: each refused with a reason, never a crash */
  {
    static const char *const bad[] = {
      "", "[]", "{", "{\"time\":", "{\"feed\":\"x\"}", "{\"time\":\"yesterday\"}",
      "{\"time\":\"2026-11-22T03:12:00Z\",\"kind\":\"poem\"}",
      "{\"time\":\"2026-11-22T03:12:00Z\"} trailing",
      "{\"time\":\"2026-11-22T03:12:00Z\",\"text\":\"\\x\"}",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GError) bad_error = NULL;
        FwItem *none = fw_item_parser_parse (parser, bad[i], strlen (bad[i]), &bad_error);

        g_assert_null (none);
        g_assert_error (bad_error, FW_ITEM_PARSE_ERROR, FW_ITEM_PARSE_ERROR_INVALID);
      }
  }
}

/* @n items, 1 ms apart, of a few feeds */
static GPtrArray *
make_timeline (guint n)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  g_autoptr(GRefString) a = feed_name ("cpu:");
  g_autoptr(GRefString) b = feed_name ("/var/log/app.log");

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("line %u of the log, with some words to compress",
                                               i);
      FwItem *item = i % 3 == 0
        ? fw_item_new_reading (a, T0 + i * 1000, "cpu", i % 100, "%")
        : fw_item_new (FW_ITEM_LINE, b, T0 + i * 1000, text, -1);

      fw_item_set_id (item, text + 5);
      g_ptr_array_add (items, item);
    }
  return items;
}

static void
assert_reads_from (FwRecordingReader *reader,
                   GPtrArray         *items,
                   guint              first,
                   guint              max_check)
{
  g_autoptr(GPtrArray) back = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  g_autoptr(GError) error = NULL;

  g_assert_true (fw_recording_reader_read (reader, back, max_check, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, MIN (max_check, items->len - first));
  for (guint i = 0; i < back->len; i++)
    assert_same_item (items->pdata[first + i], back->pdata[i]);
}

static void
test_seek (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GPtrArray) items = make_timeline (20000);
  g_autoptr(GError) error = NULL;
  g_autoptr(FwRecordingReader) reader = NULL;
  gint64 first, last;
  static const guint targets[] = { 10000, 0, 19999, 1, 4095, 12345 };

  write_items (fixture->path, items, 16 * 1024);
  reader = fw_recording_reader_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_true (fw_recording_reader_get_span (reader, &first, &last));
  g_assert_cmpint (first, ==, T0);
  g_assert_cmpint (last, ==, T0 + 19999 * 1000);

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      g_assert_true (fw_recording_reader_seek (reader, T0 + targets[i] * 1000, &error));
      assert_reads_from (reader, items, targets[i], 300);
    }
  /* Between two items: the next one */
  g_assert_true (fw_recording_reader_seek (reader, T0 + 5000 * 1000 + 1, &error));
  assert_reads_from (reader, items, 5001, 10);
  /* Past the end: nothing; before the start: everything */
  g_assert_true (fw_recording_reader_seek (reader, T0 + 30000 * 1000, &error));
  assert_reads_from (reader, items, items->len, 10);
  g_assert_true (fw_recording_reader_seek (reader, G_MININT64, &error));
  assert_reads_from (reader, items, 0, 20000);
}

static GBytes *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents;
  gsize len;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

/* A crash mid-write: the file ends inside a frame, and has no index */
static void
test_truncated (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) items = make_timeline (20000);
  g_autoptr(GBytes) whole = NULL;
  g_autofree char *cut_path = g_build_filename (fixture->dir, "cut.jsonl.zst", NULL);
  gsize size;
  const char *bytes;

  write_items (fixture->path, items, 16 * 1024);
  whole = read_file (fixture->path);
  bytes = g_bytes_get_data (whole, &size);

  for (guint step = 1; step <= 5; step++)
    {
      gsize cut = size * step / 6 + 3;
      g_autoptr(GError) error = NULL;
      g_autoptr(FwRecordingReader) reader = NULL;
      g_autoptr(GPtrArray) back = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
      gint64 first, last;
      guint before;

      g_file_set_contents (cut_path, bytes, cut, &error);
      g_assert_no_error (error);
      reader = fw_recording_reader_open (cut_path, &error);
      g_assert_no_error (error);
      do
        {
          before = back->len;
          g_assert_true (fw_recording_reader_read (reader, back, 1000, &error));
        }
      while (back->len > before);
      g_assert_true (fw_recording_reader_is_truncated (reader));
      /* What was read is the recording's start, exactly, and at least its whole frames */
      g_assert_cmpuint (back->len, >, (items->len * (step - 1)) / 6);
      g_assert_cmpuint (back->len, <, items->len);
      for (guint i = 0; i < back->len; i++)
        assert_same_item (items->pdata[i], back->pdata[i]);

      /* The markers stand in for the index */
      g_assert_true (fw_recording_reader_get_span (reader, &first, &last));
      g_assert_cmpint (first, ==, T0);
      g_assert_cmpint (last, <=, ((FwItem *) back->pdata[back->len - 1])->time_us);
      g_assert_cmpint (last, >, T0);
      g_assert_true (fw_recording_reader_seek (reader, T0 + (back->len / 2) * 1000, &error));
      assert_reads_from (reader, items, back->len / 2, 10);
    }
}

static void
test_rotation (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) items = make_timeline (30000);
  g_autoptr(FwRecordingWriter) writer = fw_recording_writer_new (fixture->path);
  g_autoptr(GError) error = NULL;
  guint n_files, total = 0;

  fw_recording_writer_add_feed (writer, "cpu:", NULL, NULL);
  fw_recording_writer_set_frame_size (writer, 16 * 1024);
  fw_recording_writer_set_max_size (writer, 40 * 1000);
  g_assert_true (fw_recording_writer_start (writer, &error));
  for (guint i = 0; i < items->len; i++)
    g_assert_true (fw_recording_writer_add (writer, items->pdata[i]));
  g_assert_true (fw_recording_writer_close (writer, &error));

  n_files = fw_recording_writer_get_n_files (writer);
  g_assert_cmpuint (n_files, >=, 3);
  for (guint part = 1; part <= n_files; part++)
    {
      g_autofree char *path = fw_recording_writer_get_path_of_part (writer, part);
      g_autoptr(GPtrArray) back = read_all (path, FW_RECORDING_INDEXED);
      GStatBuf st;

      g_assert_cmpint (g_stat (path, &st), ==, 0);
      /* A file goes on to the end of the frame that reaches the cap */
      g_assert_cmpint (st.st_size, <, 40 * 1000 + 16 * 1024);
      for (guint i = 0; i < back->len; i++)
        assert_same_item (items->pdata[total + i], back->pdata[i]);
      total += back->len;
    }
  g_assert_cmpuint (total, ==, items->len);
  {
    g_autofree char *second = fw_recording_writer_get_path_of_part (writer, 2);
    g_autofree char *expected = g_build_filename (fixture->dir, "rec-2.jsonl.zst", NULL);

    g_assert_cmpstr (second, ==, expected);
  }
}

/* A disk that fills after some bytes */
typedef struct
{
  gsize room;
  guint calls;
} FullDisk;

static gboolean
write_to_full_disk (int          fd,
                    const void  *data,
                    gsize        len,
                    gpointer     user_data,
                    GError     **error)
{
  FullDisk *disk = user_data;
  gssize n;

  disk->calls++;
  if (len > disk->room)
    {
      /* Half of it lands, as on a real disk, before ENOSPC */
      n = write (fd, data, disk->room / 2);
      g_assert_cmpint (n, >=, 0);
      disk->room -= (gsize) n;
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, g_strerror (ENOSPC));
      return FALSE;
    }
  n = write (fd, data, len);
  g_assert_cmpint (n, ==, (gssize) len);
  disk->room -= len;
  return TRUE;
}

static void
test_disk_full (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) items = make_timeline (20000);
  g_autoptr(FwRecordingWriter) writer = fw_recording_writer_new (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) back = NULL;
  FullDisk disk = { 60 * 1000, 0 };
  guint64 written, dropped;

  fw_recording_writer_add_feed (writer, "cpu:", NULL, NULL);
  fw_recording_writer_set_frame_size (writer, 16 * 1024);
  fw_recording_writer_set_write_func (writer, write_to_full_disk, &disk);
  g_assert_true (fw_recording_writer_start (writer, &error));
  for (guint i = 0; i < items->len; i++)
    fw_recording_writer_add (writer, items->pdata[i]);
  g_assert_false (fw_recording_writer_close (writer, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_nonnull (strstr (error->message, "items were not recorded"));
  g_assert_nonnull (strstr (error->message, fixture->path));

  written = fw_recording_writer_get_n_written (writer);
  dropped = fw_recording_writer_get_n_dropped (writer);
  g_assert_cmpuint (written, >, 0);
  g_assert_cmpuint (dropped, >, 0);
  g_assert_cmpuint (written + dropped, ==, items->len);
  g_assert_cmpuint (disk.calls, >, 3);

  /* What was written is whole: the half frames were cut off again */
  back = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  {
    g_autoptr(FwRecordingReader) reader = fw_recording_reader_open (fixture->path, &error);
    guint before;

    g_clear_error (&error);
    do
      {
        before = back->len;
        g_assert_true (fw_recording_reader_read (reader, back, 1000, &error));
      }
    while (back->len > before);
    g_assert_false (fw_recording_reader_is_truncated (reader));
  }
  g_assert_cmpuint (back->len, ==, written);
  for (guint i = 0; i < back->len; i++)
    assert_same_item (items->pdata[i], back->pdata[i]);
}

/* A disk that stalls: the caller never waits; what does not fit is dropped and counted */
typedef struct
{
  GMutex   lock;
  GCond    cond;
  gboolean released;
  gboolean stalled;
} StalledDisk;

static gboolean
write_to_stalled_disk (int          fd,
                       const void  *data,
                       gsize        len,
                       gpointer     user_data,
                       GError     **error)
{
  StalledDisk *disk = user_data;

  g_mutex_lock (&disk->lock);
  disk->stalled = TRUE;
  g_cond_broadcast (&disk->cond);
  while (!disk->released)
    g_cond_wait (&disk->cond, &disk->lock);
  g_mutex_unlock (&disk->lock);
  return write (fd, data, len) == (gssize) len;
}

/* The disk works again: the writer closes with the @accepted items written */
static void
release_and_close (StalledDisk       *disk,
                   FwRecordingWriter *writer,
                   guint              accepted)
{
  g_autoptr(GError) error = NULL;

  g_mutex_lock (&disk->lock);
  disk->released = TRUE;
  g_cond_broadcast (&disk->cond);
  g_mutex_unlock (&disk->lock);
  g_assert_true (fw_recording_writer_close (writer, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fw_recording_writer_get_n_written (writer), ==, accepted);
}

static void
test_stalled_disk_never_blocks (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GPtrArray) items = make_timeline (100000);
  g_autoptr(FwRecordingWriter) writer = fw_recording_writer_new (fixture->path);
  g_autoptr(GError) error = NULL;
  StalledDisk disk = { 0 };
  guint accepted = 0;
  gint64 start, elapsed;

  g_mutex_init (&disk.lock);
  g_cond_init (&disk.cond);
  fw_recording_writer_add_feed (writer, "cpu:", NULL, NULL);
  fw_recording_writer_set_capacity (writer, 1000);
  fw_recording_writer_set_write_func (writer, write_to_stalled_disk, &disk);
  /* The header is written on start: the disk stalls only afterwards */
  disk.released = TRUE;
  g_assert_true (fw_recording_writer_start (writer, &error));
  g_mutex_lock (&disk.lock);
  disk.released = FALSE;
  g_mutex_unlock (&disk.lock);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < items->len; i++)
    accepted += fw_recording_writer_add (writer, items->pdata[i]);
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("100000 adds to a stalled writer took %" G_GINT64_FORMAT " µs", elapsed);
  /* 100,000 adds take about 10 ms; a blocked one would never return at all */
  g_assert_cmpint (elapsed, <, 5 * G_USEC_PER_SEC * (gint64) fw_test_slowdown ());

  /* At most the queue, and the frame the thread took before the disk stalled, got in */
  g_assert_cmpuint (accepted, <, items->len);
  g_assert_cmpuint (fw_recording_writer_get_n_dropped (writer), ==, items->len - accepted);

  release_and_close (&disk, writer, accepted);
  g_assert_cmpuint (fw_recording_writer_get_n_written (writer) +
                    fw_recording_writer_get_n_dropped (writer), ==, items->len);
  g_mutex_clear (&disk.lock);
  g_cond_clear (&disk.cond);
}

/* A feed's batch is handed over under one lock, never waiting: what fits goes in, in order,
 * and what does not is dropped and counted, as fw_recording_writer_add() would each */
static void
test_add_batch (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) items = make_timeline (20000);
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();
  g_autoptr(FwRecordingWriter) writer = fw_recording_writer_new (fixture->path);
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GError) error = NULL;
  StalledDisk disk = { 0 };
  guint accepted = 0;

  g_mutex_init (&disk.lock);
  g_cond_init (&disk.cond);
  fw_recording_writer_add_feed (writer, "cpu:", NULL, NULL);
  fw_recording_writer_set_capacity (writer, 1000);
  fw_recording_writer_set_frame_size (writer, 16 * 1024);
  fw_recording_writer_set_write_func (writer, write_to_stalled_disk, &disk);
  disk.released = TRUE;
  g_assert_true (fw_recording_writer_start (writer, &error));
  g_mutex_lock (&disk.lock);
  disk.released = FALSE;
  g_mutex_unlock (&disk.lock);

  for (guint i = 0; i < items->len; i += 512)
    {
      guint n = MIN (512, items->len - i);
      guint taken = fw_recording_writer_add_batch (writer, (FwItem **) items->pdata + i, n);

      g_assert_cmpuint (taken, <=, n);
      for (guint k = 0; k < taken; k++)
        g_ptr_array_add (expected, items->pdata[i + k]);
      accepted += taken;
    }
  g_assert_cmpuint (fw_recording_writer_add_batch (writer, NULL, 0), ==, 0);
  /* The queue's 1,000 and what the thread took before the disk stalled; not everything */
  g_assert_cmpuint (accepted, >=, 1000);
  g_assert_cmpuint (accepted, <, items->len);
  g_assert_cmpuint (fw_recording_writer_get_n_dropped (writer), ==, items->len - accepted);

  release_and_close (&disk, writer, accepted);

  back = read_all (fixture->path, FW_RECORDING_INDEXED);
  g_assert_cmpuint (back->len, ==, expected->len);
  for (guint i = 0; i < back->len; i++)
    assert_same_item (expected->pdata[i], back->pdata[i]);

  /* Closed: nothing more is taken, and what was refused is counted */
  g_assert_cmpuint (fw_recording_writer_add_batch (writer, (FwItem **) items->pdata, 3), ==, 0);
  g_assert_cmpuint (fw_recording_writer_get_n_dropped (writer), ==, items->len - accepted + 3);
  g_mutex_clear (&disk.lock);
  g_cond_clear (&disk.cond);
}

/* A whole history handed over at once waits for room instead of dropping */
static void
test_add_all_waits (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) items = make_timeline (20000);
  g_autoptr(FwRecordingWriter) writer = fw_recording_writer_new (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) back = NULL;

  fw_recording_writer_add_feed (writer, "cpu:", NULL, NULL);
  fw_recording_writer_set_capacity (writer, 100);
  fw_recording_writer_set_frame_size (writer, 16 * 1024);
  g_assert_true (fw_recording_writer_start (writer, &error));
  g_assert_cmpuint (fw_recording_writer_add_all (writer, (FwItem **) items->pdata, items->len),
                    ==, items->len);
  g_assert_true (fw_recording_writer_close (writer, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fw_recording_writer_get_n_dropped (writer), ==, 0);
  g_assert_cmpuint (fw_recording_writer_get_n_written (writer), ==, items->len);

  back = read_all (fixture->path, FW_RECORDING_INDEXED);
  g_assert_cmpuint (back->len, ==, items->len);
  for (guint i = 0; i < back->len; i++)
    assert_same_item (items->pdata[i], back->pdata[i]);

  /* Closed: nothing more is taken, and what was refused is counted */
  g_assert_cmpuint (fw_recording_writer_add_all (writer, (FwItem **) items->pdata, 3), ==, 0);
  g_assert_cmpuint (fw_recording_writer_get_n_dropped (writer), ==, 3);
}

static gboolean
keep_polling (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
writer_has_error (gpointer data)
{
  g_autoptr(GError) error = fw_recording_writer_dup_error (data);

  return error != NULL;
}

/* A full disk is told while the writer still runs, so that a window can stop and say why */
static void
test_error_while_running (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) items = make_timeline (20000);
  g_autoptr(FwRecordingWriter) writer = fw_recording_writer_new (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) running = NULL;
  FullDisk disk = { 30 * 1000, 0 };
  guint poll;

  fw_recording_writer_add_feed (writer, "cpu:", NULL, NULL);
  fw_recording_writer_set_frame_size (writer, 16 * 1024);
  fw_recording_writer_set_write_func (writer, write_to_full_disk, &disk);
  g_assert_true (fw_recording_writer_start (writer, &error));
  g_assert_null (fw_recording_writer_dup_error (writer));
  g_assert_cmpuint (fw_recording_writer_add_all (writer, (FwItem **) items->pdata, items->len),
                    ==, items->len);
  /* The writer's thread says nothing to this loop: a timer wakes it to look */
  poll = g_timeout_add (5, keep_polling, NULL);
  fw_test_wait_until (writer_has_error, writer, "the writer's error");
  g_source_remove (poll);
  running = fw_recording_writer_dup_error (writer);
  g_assert_error (running, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_false (fw_recording_writer_close (writer, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
}

/* The header names the feeds masked, whatever the caller hands the writer */
static void
test_no_secrets (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(FwRecordingWriter) writer = fw_recording_writer_new (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(FwRecordingReader) reader = NULL;
  gsize size;
  const char *data_;

  fw_recording_writer_add_feed (writer, "sse:https://user:s3cr3t@example.com/events"
                                "#header.Authorization=Bearer%20s3cr3t",
                                "https://user:s3cr3t@example.com/events", NULL);
  g_assert_true (fw_recording_writer_start (writer, &error));
  g_assert_true (fw_recording_writer_close (writer, &error));
  bytes = read_file (fixture->path);
  data_ = g_bytes_get_data (bytes, &size);
  g_assert_null (g_strstr_len (data_, size, "s3cr3t"));
  reader = fw_recording_reader_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fw_recording_reader_get_n_feeds (reader), ==, 1);
  g_assert_nonnull (strstr (fw_recording_reader_get_feed (reader, 0, NULL, NULL),
                            "example.com/events"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/recording/round-trip", Fixture, NULL, fixture_set_up, test_round_trip,
              fixture_tear_down);
  g_test_add ("/recording/round-trip-jsonl", Fixture, NULL, fixture_set_up,
              test_round_trip_jsonl, fixture_tear_down);
  g_test_add_func ("/recording/parse-foreign", test_parse_foreign);
  g_test_add ("/recording/seek", Fixture, NULL, fixture_set_up, test_seek, fixture_tear_down);
  g_test_add ("/recording/truncated", Fixture, NULL, fixture_set_up, test_truncated,
              fixture_tear_down);
  g_test_add ("/recording/rotation", Fixture, NULL, fixture_set_up, test_rotation,
              fixture_tear_down);
  g_test_add ("/recording/disk-full", Fixture, NULL, fixture_set_up, test_disk_full,
              fixture_tear_down);
  g_test_add ("/recording/stalled-disk-never-blocks", Fixture, NULL, fixture_set_up,
              test_stalled_disk_never_blocks, fixture_tear_down);
  g_test_add ("/recording/add-batch", Fixture, NULL, fixture_set_up, test_add_batch,
              fixture_tear_down);
  g_test_add ("/recording/add-all-waits", Fixture, NULL, fixture_set_up, test_add_all_waits,
              fixture_tear_down);
  g_test_add ("/recording/error-while-running", Fixture, NULL, fixture_set_up,
              test_error_while_running, fixture_tear_down);
  g_test_add ("/recording/no-secrets", Fixture, NULL, fixture_set_up, test_no_secrets,
              fixture_tear_down);

  return g_test_run ();
}
