/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-log-source.c: log files on real temporary files: the tail, appends, every kind of
 * rotation with no line lost or repeated, a file that appears later, errors, caps, .gz */

#include "fw-test-util.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fw-log-source.h"

/* Files what a pump reads: line texts and items, and status texts. */
typedef struct
{
  FwTestPump *pump;
  GPtrArray  *lines;      /* char *, the text of each line item */
  GPtrArray  *statuses;   /* char * */
  GPtrArray  *status_items; /* FwItem *, every status */
  GPtrArray  *items;      /* FwItem *, every line item */
  guint       n_lines;
  guint       n_statuses;
} Reader;

static void
reader_take_batch (GPtrArray *batch,
                   gpointer   user_data)
{
  Reader *reader = user_data;

  for (guint i = 0; i < batch->len; i++)
    {
      FwItem *item = g_ptr_array_index (batch, i);

      if (item->kind == FW_ITEM_LINE)
        {
          g_ptr_array_add (reader->lines, g_strndup (item->text, item->text_len));
          g_ptr_array_add (reader->items, fw_item_ref (item));
          reader->n_lines++;
        }
      else
        {
          g_assert_cmpint (item->kind, ==, FW_ITEM_STATUS);
          g_ptr_array_add (reader->statuses, g_strdup (item->text));
          g_ptr_array_add (reader->status_items, fw_item_ref (item));
          reader->n_statuses++;
        }
    }
}

static Reader *
reader_new (FwStream *stream)
{
  Reader *reader = g_new0 (Reader, 1);

  reader->lines = g_ptr_array_new_with_free_func (g_free);
  reader->statuses = g_ptr_array_new_with_free_func (g_free);
  reader->status_items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  reader->items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  reader->pump = fw_test_pump_new (stream, reader_take_batch, reader);

  return reader;
}

static void
reader_free (Reader *reader)
{
  fw_test_pump_free (reader->pump);
  g_ptr_array_unref (reader->lines);
  g_ptr_array_unref (reader->statuses);
  g_ptr_array_unref (reader->status_items);
  g_ptr_array_unref (reader->items);
  g_free (reader);
}

static guint
reader_count_status (Reader     *reader,
                     const char *text)
{
  guint n = 0;

  for (guint i = 0; i < reader->statuses->len; i++)
    n += g_str_equal (g_ptr_array_index (reader->statuses, i), text);
  return n;
}

static gboolean
reader_has_status (Reader     *reader,
                   const char *text)
{
  return reader_count_status (reader, text) > 0;
}

/* Waits until @text was seen @times times in all. */
static void
wait_for_status (Reader     *reader,
                 const char *text,
                 guint       times)
{
  while (reader_count_status (reader, text) < times)
    fw_test_wait_for_count (&reader->n_statuses, reader->n_statuses + 1);
}

static void
assert_numbered_lines (Reader *reader,
                       guint   first,
                       guint   n)
{
  g_assert_cmpuint (reader->lines->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *expected = g_strdup_printf ("line %06u some payload", first + i);

      if (!g_str_equal (g_ptr_array_index (reader->lines, i), expected))
        g_error ("line %u: expected “%s”, got “%s”", i, expected,
                 (char *) g_ptr_array_index (reader->lines, i));
    }
}

static void
append_numbered_lines (const char *path,
                       guint       first,
                       guint       n)
{
  FILE *f = fopen (path, "a");

  g_assert_nonnull (f);
  for (guint i = first; i < first + n; i++)
    fprintf (f, "line %06u some payload\n", i);
  g_assert_cmpint (fclose (f), ==, 0);
}

static void
write_file (const char *path,
            const char *data,
            gssize      len)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);
}

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("fw-log-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "app.log", NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static FwLogSource *
follow (const char *path,
        guint       initial_lines)
{
  FwStream *stream = fw_log_source_new (path, path, initial_lines, TRUE);

  /* Events, not the safety net, should drive these tests: a long poll. */
  fw_log_source_set_poll_interval (FW_LOG_SOURCE (stream), 1000);
  return FW_LOG_SOURCE (stream);
}

static void
test_lazy_start (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(FwStream) stream = fw_log_source_new ("x", fixture->path, 10, TRUE);

  append_numbered_lines (fixture->path, 0, 5);
  /* Nothing is opened before the first next: removing the file now is harmless. */
  fw_test_iterate_idle ();
  g_assert_false (fw_stream_is_started (stream));
  g_assert_true (fw_test_close (stream, NULL));
}

static void
test_last_lines_then_appends (Fixture       *fixture,
                              gconstpointer  data)
{
  Reader *reader;

  append_numbered_lines (fixture->path, 0, 250);
  reader = reader_new (FW_STREAM (follow (fixture->path, 100)));
  fw_test_wait_for_count (&reader->n_lines, 100);
  fw_test_iterate_idle ();
  assert_numbered_lines (reader, 150, 100);

  for (guint round = 0; round < 5; round++)
    {
      append_numbered_lines (fixture->path, 250 + round * 300, 300);
      fw_test_wait_for_count (&reader->n_lines, 100 + (round + 1) * 300);
    }
  fw_test_iterate_idle ();
  assert_numbered_lines (reader, 150, 100 + 5 * 300);
  g_assert_cmpuint (reader->n_statuses, ==, 0);
  reader_free (reader);
}

static void
test_last_lines_edge_cases (Fixture       *fixture,
                            gconstpointer  data)
{
  /* no final LF: the unterminated line counts as the last line, and waits for its end */
  write_file (fixture->path, "a\nb\nc", -1);
  {
    Reader *reader = reader_new (FW_STREAM (follow (fixture->path, 2)));
    fw_test_wait_for_count (&reader->n_lines, 1);
    fw_test_iterate_idle ();
    g_assert_cmpuint (reader->n_lines, ==, 1);
    g_assert_cmpstr (g_ptr_array_index (reader->lines, 0), ==, "b");
    {
      FILE *f = fopen (fixture->path, "a");
      fputs ("d\ne\n", f);
      fclose (f);
    }
    fw_test_wait_for_count (&reader->n_lines, 3);
    g_assert_cmpstr (g_ptr_array_index (reader->lines, 1), ==, "cd");
    g_assert_cmpstr (g_ptr_array_index (reader->lines, 2), ==, "e");
    reader_free (reader);
  }

  /* fewer lines than asked: all of them */
  write_file (fixture->path, "x\ny\n", -1);
  {
    g_autoptr(FwStream) stream = fw_log_source_new ("f", fixture->path, 100, FALSE);
    g_autoptr(GPtrArray) items = fw_test_collect (stream, NULL);
    g_assert_cmpuint (items->len, ==, 2);
  }
}

static void
test_once_reads_to_end (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *feed = g_strdup (fixture->path);
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(GPtrArray) items = NULL;

  append_numbered_lines (fixture->path, 0, 5000);
  stream = fw_feed_open (feed, FW_FEED_OPEN_ONCE, &error);
  g_assert_no_error (error);
  items = fw_test_collect (stream, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 5000);
  g_assert_cmpstr (((FwItem *) g_ptr_array_index (items, 4999))->text, ==,
                   "line 004999 some payload");
  g_assert_cmpstr (((FwItem *) g_ptr_array_index (items, 0))->feed, ==, feed);
}

/* A line's own time is kept beside its arrival; a line without one has none. */
static void
test_source_times (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GDateTime) written = g_date_time_new_from_iso8601 ("2026-12-06T06:44:01.25Z", NULL);
  const char *text = "2026-12-06T06:44:01.250Z INFO started\n"
                     "no time here\n"
                     "10.0.0.1 - - [06/Dec/2026:06:44:01 +0000] \"GET / HTTP/1.1\" 200 5\n";
  FwItem *item;

  g_assert_true (g_file_set_contents (fixture->path, text, -1, NULL));
  stream = fw_feed_open (fixture->path, FW_FEED_OPEN_ONCE, &error);
  g_assert_no_error (error);
  items = fw_test_collect (stream, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 3);

  item = g_ptr_array_index (items, 0);
  g_assert_cmpint (item->source_time_us, ==, g_date_time_to_unix (written) * G_USEC_PER_SEC + 250000);
  g_assert_cmpint (item->time_us, >, item->source_time_us);
  g_assert_cmpint (((FwItem *) g_ptr_array_index (items, 1))->source_time_us, ==, 0);
  g_assert_cmpint (((FwItem *) g_ptr_array_index (items, 2))->source_time_us, ==,
                   g_date_time_to_unix (written) * G_USEC_PER_SEC);
}

static void
test_file_uri (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_filename_to_uri (fixture->path, NULL, NULL);
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(GPtrArray) items = NULL;

  append_numbered_lines (fixture->path, 0, 3);
  stream = fw_feed_open (uri, FW_FEED_OPEN_ONCE, &error);
  g_assert_no_error (error);
  items = fw_test_collect (stream, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 3);
}

static void
run_rotation (Fixture    *fixture,
              const char *how)
{
  Reader *reader;
  g_autofree char *rotated = g_strconcat (fixture->path, ".1", NULL);
  guint per_round = 1500, rounds = 3, next = 0;

  append_numbered_lines (fixture->path, next, per_round);
  next += per_round;
  reader = reader_new (FW_STREAM (follow (fixture->path, G_MAXUINT)));
  fw_test_wait_for_count (&reader->n_lines, next);

  for (guint round = 0; round < rounds; round++)
    {
      if (g_str_equal (how, "rename"))
        {
          /* lines land in the old file just before it moves: they must still be read */
          append_numbered_lines (fixture->path, next, 500);
          next += 500;
          g_assert_cmpint (g_rename (fixture->path, rotated), ==, 0);
          append_numbered_lines (fixture->path, next, per_round);
          next += per_round;
          wait_for_status (reader, "rotated", round + 1);
        }
      else if (g_str_equal (how, "delete"))
        {
          append_numbered_lines (fixture->path, next, 500);
          next += 500;
          g_assert_cmpint (g_unlink (fixture->path), ==, 0);
          append_numbered_lines (fixture->path, next, per_round);
          next += per_round;
          fw_test_wait_for_count (&reader->n_lines, next);
        }
      else
        {
          g_autofree char *contents = NULL;
          gsize len;
          int fd;

          /* copytruncate: what is written between the copy and the truncation is lost by
           * design (logrotate says so), so the writer pauses until the reader caught up */
          fw_test_wait_for_count (&reader->n_lines, next);
          g_assert_true (g_file_get_contents (fixture->path, &contents, &len, NULL));
          write_file (rotated, contents, len);
          fd = open (fixture->path, O_WRONLY | O_TRUNC);
          g_assert_cmpint (fd, >=, 0);
          close (fd);
          wait_for_status (reader, FW_LOG_SOURCE_STATUS_TRUNCATED, round + 1);
          append_numbered_lines (fixture->path, next, per_round);
          next += per_round;
        }
      fw_test_wait_for_count (&reader->n_lines, next);
    }

  fw_test_wait_for_count (&reader->n_lines, next);
  fw_test_iterate_idle ();
  assert_numbered_lines (reader, 0, next);
  reader_free (reader);
}

static void
test_rotation_rename (Fixture       *fixture,
                      gconstpointer  data)
{
  run_rotation (fixture, "rename");
}

static void
test_rotation_copytruncate (Fixture       *fixture,
                            gconstpointer  data)
{
  run_rotation (fixture, "copytruncate");
}

static void
test_rotation_delete_create (Fixture       *fixture,
                             gconstpointer  data)
{
  run_rotation (fixture, "delete");
}

static void
test_file_appears_later (Fixture       *fixture,
                         gconstpointer  data)
{
  Reader *reader = reader_new (FW_STREAM (follow (fixture->path, 100)));
  const FwItem *status;

  fw_test_wait_for_count (&reader->n_statuses, 1);
  g_assert_cmpstr (g_ptr_array_index (reader->statuses, 0), ==, "waiting for file");
  g_assert_cmpuint (reader->n_lines, ==, 0);
  /* typed, as every source's statuses are */
  status = g_ptr_array_index (reader->status_items, 0);
  g_assert_cmpint (fw_item_get_feed_state (status), ==, FW_FEED_STATE_WAITING);
  g_assert_cmpint (status->level, ==, FW_LEVEL_INFO);

  /* A new file is read from its start, whatever the tail length. */
  append_numbered_lines (fixture->path, 0, 300);
  fw_test_wait_for_count (&reader->n_lines, 300);
  fw_test_iterate_idle ();
  assert_numbered_lines (reader, 0, 300);
  g_assert_true (reader_has_status (reader, "file appeared"));
  status = g_ptr_array_index (reader->status_items, 1);
  g_assert_cmpstr (status->text, ==, "file appeared");
  g_assert_cmpint (fw_item_get_feed_state (status), ==, FW_FEED_STATE_LIVE);
  reader_free (reader);
}

static void
test_deleted_then_recreated (Fixture       *fixture,
                             gconstpointer  data)
{
  Reader *reader;

  append_numbered_lines (fixture->path, 0, 10);
  reader = reader_new (FW_STREAM (follow (fixture->path, 100)));
  fw_test_wait_for_count (&reader->n_lines, 10);
  g_assert_cmpint (g_unlink (fixture->path), ==, 0);
  wait_for_status (reader, "deleted; waiting for file", 1);
  append_numbered_lines (fixture->path, 10, 10);
  fw_test_wait_for_count (&reader->n_lines, 20);
  fw_test_iterate_idle ();
  assert_numbered_lines (reader, 0, 20);
  reader_free (reader);
}

static void
test_missing_file_once (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = fw_log_source_new ("f", fixture->path, 10, FALSE);
  g_autoptr(FwItem) item = fw_test_next (stream, NULL, &error);

  g_assert_null (item);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, fixture->path));
}

/* A log we may not read is waited for, in words, and read (its last lines, then what comes)
 * once its mode lets us: no user action. With --once it is an error, as before. */
static void
run_unreadable_then_readable (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "unreadable.log", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) once = NULL;
  g_autoptr(FwItem) item = NULL;
  Reader *reader;

  append_numbered_lines (path, 0, 30);
  g_assert_cmpint (g_chmod (path, 0), ==, 0);
  g_assert_cmpint (access (path, R_OK), !=, 0);

  once = fw_log_source_new ("f", path, 10, FALSE);
  item = fw_test_next (once, NULL, &error);
  g_assert_null (item);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, path));

  reader = reader_new (fw_log_source_new ("f", path, 10, TRUE));
  wait_for_status (reader, "permission denied; waiting until the file can be read", 1);
  g_assert_cmpuint (reader->n_lines, ==, 0);

  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  wait_for_status (reader, "file readable now", 1);
  while (reader->n_lines < 10)
    fw_test_wait_for_count (&reader->n_lines, reader->n_lines + 1);
  append_numbered_lines (path, 30, 2);
  while (reader->n_lines < 12)
    fw_test_wait_for_count (&reader->n_lines, reader->n_lines + 1);
  assert_numbered_lines (reader, 20, 12);
  g_assert_cmpuint (reader_count_status (reader, "file readable now"), ==, 1);

  reader_free (reader);
  g_unlink (path);
}

static void
test_unreadable_then_readable (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autofree char *no_setuid = g_build_filename (fixture->dir, "cannot-drop-root", NULL);

  if (geteuid () != 0)
    {
      run_unreadable_then_readable (fixture->dir);
      return;
    }

  /* Root reads whatever the mode: run as nobody, in a child, for the mode to count. */
  if (g_test_subprocess ())
    {
      const char *dir = g_getenv ("FW_TEST_UNREADABLE_DIR");

      /* the parent's folder is the one to use; this process's own is not needed */
      g_rmdir (fixture->dir);
      if (setgid (65534) != 0 || setuid (65534) != 0)
        {
          g_autofree char *marker = g_build_filename (dir, "cannot-drop-root", NULL);
          g_assert_true (g_file_set_contents (marker, "", 0, NULL));
          return;
        }
      run_unreadable_then_readable (dir);
      return;
    }

  g_assert_cmpint (g_chmod (fixture->dir, 0777), ==, 0);
  g_setenv ("FW_TEST_UNREADABLE_DIR", fixture->dir, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  if (g_file_test (no_setuid, G_FILE_TEST_EXISTS))
    g_test_skip ("running as root, which reads whatever the mode, and cannot become nobody");
}

static void
test_huge_line (Fixture       *fixture,
                gconstpointer  data)
{
  gsize big = 10 * 1024 * 1024;
  g_autoptr(GString) contents = g_string_sized_new (big + 100);
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(GPtrArray) items = NULL;
  FwItem *item;

  g_string_append (contents, "before\n");
  for (gsize i = 0; i < big; i++)
    g_string_append_c (contents, 'x');
  g_string_append (contents, "\nafter\n");
  write_file (fixture->path, contents->str, contents->len);

  stream = fw_log_source_new ("f", fixture->path, G_MAXUINT, FALSE);
  items = fw_test_collect (stream, NULL);
  g_assert_cmpuint (items->len, ==, 3);
  g_assert_cmpstr (((FwItem *) g_ptr_array_index (items, 0))->text, ==, "before");
  item = g_ptr_array_index (items, 1);
  g_assert_cmpuint (item->text_len, ==, 64 * 1024);
  g_assert_true (item->flags & FW_ITEM_FLAG_TRUNCATED);
  g_assert_cmpstr (((FwItem *) g_ptr_array_index (items, 2))->text, ==, "after");
  g_assert_false (((FwItem *) g_ptr_array_index (items, 2))->flags & FW_ITEM_FLAG_TRUNCATED);
}

static void
test_crlf_and_invalid_utf8 (Fixture       *fixture,
                            gconstpointer  data)
{
  const char contents[] = "dos line\r\nbad \xff byte\r\nlatin1 caf\xe9\nunix\n";
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(GPtrArray) items = NULL;

  write_file (fixture->path, contents, sizeof contents - 1);
  stream = fw_log_source_new ("f", fixture->path, G_MAXUINT, FALSE);
  items = fw_test_collect (stream, NULL);
  g_assert_cmpuint (items->len, ==, 4);
  g_assert_cmpstr (((FwItem *) g_ptr_array_index (items, 0))->text, ==, "dos line");
  g_assert_cmpstr (((FwItem *) g_ptr_array_index (items, 1))->text, ==, "bad \xEF\xBF\xBD byte");
  g_assert_cmpstr (((FwItem *) g_ptr_array_index (items, 2))->text, ==, "latin1 caf\xEF\xBF\xBD");
  g_assert_cmpstr (((FwItem *) g_ptr_array_index (items, 3))->text, ==, "unix");
}

/* A stream writing gzip to @file, replacing it */
static GOutputStream *
gzip_writer (GFile *file,
             int    level)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileOutputStream) out = g_file_replace (file, NULL, FALSE, 0, NULL, &error);
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, level);

  g_assert_no_error (error);
  return g_converter_output_stream_new (G_OUTPUT_STREAM (out), G_CONVERTER (compressor));
}

static void
test_gzip (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *gz = g_strconcat (fixture->path, ".gz", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (gz);
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(GPtrArray) items = NULL;

  {
    g_autoptr(GOutputStream) zout = gzip_writer (file, 6);
    for (guint i = 0; i < 20000; i++)
      {
        g_autofree char *line = g_strdup_printf ("%s line %u\n", i % 10 == 0 ? "ERROR" : "INFO", i);
        g_assert_true (g_output_stream_write_all (zout, line, strlen (line), NULL, NULL, &error));
      }
    g_assert_true (g_output_stream_close (zout, NULL, &error));
  }

  /* Even when asked to follow, a .gz is read whole and ends. */
  stream = fw_log_source_new ("f", gz, 100, TRUE);
  items = fw_test_collect (stream, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 20000);
  g_assert_cmpstr (((FwItem *) g_ptr_array_index (items, 19999))->text, ==, "INFO line 19999");
  g_assert_cmpuint (fw_log_source_get_level_count (FW_LOG_SOURCE (stream), FW_LEVEL_ERROR), ==, 2000);
}

/* A decompression bomb: 128 MiB of one line in a file of a few hundred KiB. It is read a block
 * at a time off the main thread, and the line keeps its first 64 KiB: memory stays bounded. */
static void
test_gzip_bomb (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *gz = g_strconcat (fixture->path, ".gz", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (gz);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *chunk = g_malloc (1024 * 1024);
  FwItem *item;

  memset (chunk, 'x', 1024 * 1024);
  {
    g_autoptr(GOutputStream) zout = gzip_writer (file, 9);
    for (guint i = 0; i < 128; i++)
      g_assert_true (g_output_stream_write_all (zout, chunk, 1024 * 1024, NULL, NULL, &error));
    g_assert_true (g_output_stream_write_all (zout, "\nERROR end\n", 11, NULL, NULL, &error));
    g_assert_true (g_output_stream_close (zout, NULL, &error));
  }
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_file_info_get_size (info), <, 1024 * 1024);

  stream = fw_log_source_new ("f", gz, 100, FALSE);
  items = fw_test_collect (stream, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);
  item = g_ptr_array_index (items, 0);
  g_assert_cmpuint (item->text_len, ==, 64 * 1024);
  g_assert_true (item->flags & FW_ITEM_FLAG_TRUNCATED);
  g_assert_cmpstr (((FwItem *) g_ptr_array_index (items, 1))->text, ==, "ERROR end");
  g_assert_cmpuint (fw_log_source_get_level_count (FW_LOG_SOURCE (stream), FW_LEVEL_ERROR), ==, 1);
  g_unlink (gz);
}

/* Counting alone (--summary): a whole file of 16 MiB or more is counted on two threads, cut
 * just after a newline near its middle. The counts are those of the items, line for line:
 * a 100 KiB line sits across the middle, and the last line has no newline. */
static void
test_count_only_whole_file (Fixture       *fixture,
                            gconstpointer  data)
{
  static const char *words[] = { "ERROR", "WARN", "INFO", "DEBUG", "TRACE", "message" };
  g_autoptr(GString) contents = g_string_sized_new (20 * 1024 * 1024);
  g_autoptr(FwStream) counter = NULL;
  g_autoptr(FwStream) reader = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) statuses = NULL;
  g_autoptr(GError) error = NULL;
  guint64 expected[FW_N_LEVELS] = { 0 };
  guint64 n_lines = 0;

  for (guint i = 0; contents->len < 20 * 1024 * 1024; i++)
    {
      if (contents->len > 10 * 1024 * 1024 - 50 * 1024 && contents->len < 10 * 1024 * 1024)
        {
          for (guint k = 0; k < 100 * 1024; k++)
            g_string_append_c (contents, k % 7 == 0 ? ' ' : 'y');
          g_string_append (contents, "\n");
        }
      g_string_append_printf (contents, "2026-12-05T13:30:%02u.%06uZ host app[%u]: %s request %u%s\n",
                              i % 60, i, i % 90, words[(i * 7) % G_N_ELEMENTS (words)], i,
                              i % 5 == 0 ? "\r" : "");
    }
  g_string_append (contents, "CRITICAL the last line");
  write_file (fixture->path, contents->str, contents->len);

  reader = fw_log_source_new ("f", fixture->path, G_MAXUINT, FALSE);
  items = fw_test_collect (reader, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < items->len; i++)
    {
      FwItem *item = g_ptr_array_index (items, i);

      expected[item->level]++;
      n_lines++;
    }

  counter = fw_log_source_new ("f", fixture->path, G_MAXUINT, FALSE);
  fw_log_source_set_count_only (FW_LOG_SOURCE (counter), TRUE);
  statuses = fw_test_collect (counter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (statuses->len, ==, 0);
  g_assert_cmpuint (fw_log_source_get_line_count (FW_LOG_SOURCE (counter)), ==, n_lines);
  for (guint level = 0; level < FW_N_LEVELS; level++)
    g_assert_cmpuint (fw_log_source_get_level_count (FW_LOG_SOURCE (counter), level), ==,
                      expected[level]);
  g_assert_cmpuint (expected[FW_LEVEL_CRITICAL], ==, 1);
  g_assert_cmpuint (expected[FW_LEVEL_ERROR], >, 10000);
}

static void
test_level_counts (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GString) contents = g_string_new (NULL);
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(GPtrArray) items = NULL;
  guint expected[FW_N_LEVELS] = { 0 };

  for (guint i = 0; i < 1000; i++)
    {
      static const char *words[] = { "ERROR", "WARN", "INFO", "DEBUG", "TRACE", "message" };
      static const FwLevel levels[] = { FW_LEVEL_ERROR, FW_LEVEL_WARNING, FW_LEVEL_INFO,
                                        FW_LEVEL_DEBUG, FW_LEVEL_TRACE, FW_LEVEL_NONE };
      guint w = (i * 7) % G_N_ELEMENTS (words);

      g_string_append_printf (contents, "2026-01-01T00:00:%02u.000Z %s request %u\n", i % 60,
                              words[w], i);
      expected[levels[w]]++;
    }
  g_string_append (contents, "<3>kernel: bad\n{\"level\":\"error\",\"msg\":\"x\"}\n");
  expected[FW_LEVEL_ERROR] += 2;
  write_file (fixture->path, contents->str, contents->len);

  stream = fw_log_source_new ("f", fixture->path, G_MAXUINT, FALSE);
  items = fw_test_collect (stream, NULL);
  g_assert_cmpuint (items->len, ==, 1002);
  g_assert_cmpuint (fw_log_source_get_line_count (FW_LOG_SOURCE (stream)), ==, 1002);
  for (guint level = 0; level < FW_N_LEVELS; level++)
    g_assert_cmpuint (fw_log_source_get_level_count (FW_LOG_SOURCE (stream), level), ==,
                      expected[level]);
  {
    guint errors = 0;
    for (guint i = 0; i < items->len; i++)
      errors += ((FwItem *) g_ptr_array_index (items, i))->level == FW_LEVEL_ERROR;
    g_assert_cmpuint (errors, ==, expected[FW_LEVEL_ERROR]);
  }
}

static guint
count_open_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
test_close_releases_file (Fixture       *fixture,
                          gconstpointer  data)
{
  Reader *reader;
  guint before;

  /* GLib creates some descriptors once per process and keeps them (the inotify one, worker
   * wake-ups; which ones depends on the sandbox): a first full follow-and-close makes them
   * exist before counting. */
  append_numbered_lines (fixture->path, 0, 10);
  reader = reader_new (FW_STREAM (follow (fixture->path, 100)));
  fw_test_wait_for_count (&reader->n_lines, 10);
  reader_free (reader);
  fw_test_iterate_idle ();
  before = count_open_fds ();

  reader = reader_new (FW_STREAM (follow (fixture->path, 100)));
  fw_test_wait_for_count (&reader->n_lines, 10);
  fw_test_iterate_idle ();
  g_assert_cmpuint (count_open_fds (), >, before);
  reader_free (reader);
  g_assert_cmpuint (count_open_fds (), ==, before);
}

/* A quiet log is read a line at a time; each read's items share a block sized for them, so
 * the items a window keeps do not each pin a block made for a busy read. */
static void
test_quiet_log_small_blocks (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  gsize before, grown;

  append_numbered_lines (fixture->path, 0, 1);
  stream = FW_STREAM (follow (fixture->path, 1));
  before = fw_item_block_get_live_bytes ();
  /* The last line there is the first item: the source is open and following after it */
  g_ptr_array_add (kept, fw_test_next_item (stream));
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(GError) error = NULL;
      FwItem *item;

      append_numbered_lines (fixture->path, 1 + i, 1);
      do
        {
          item = fw_test_next (stream, NULL, &error);
          g_assert_no_error (error);
          g_assert_nonnull (item);
          g_ptr_array_add (kept, item);
        }
      while (item->kind != FW_ITEM_LINE);
    }
  grown = fw_item_block_get_live_bytes () - before;
  g_test_message ("100 lines read one at a time keep %" G_GSIZE_FORMAT " bytes of blocks", grown);
  /* Each line's slot and a little room, not a 48 KiB block a line */
  g_assert_cmpuint (grown, <=, 101 * 2 * fw_item_block_slot_size (strlen ("line 000000 some payload")));
  g_assert_true (fw_test_close (stream, NULL));
  g_clear_pointer (&kept, g_ptr_array_unref);
  g_assert_cmpuint (fw_item_block_get_live_bytes (), ==, before);
}

/* A named pipe is no file to follow: opening it would wait for a writer (forever, SIGTERM
 * and all). It is refused at once, saying what to do instead. */
static void
test_fifo_refused (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_cmpint (mkfifo (fixture->path, 0600), ==, 0);

  for (guint follow_it = 0; follow_it < 2; follow_it++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FwStream) stream = fw_log_source_new ("f", fixture->path, 10, follow_it);
      g_autoptr(FwItem) item = fw_test_next (stream, NULL, &error);
      g_autofree char *expected = g_strdup_printf ("“%s” is a named pipe, not a file: Feedwatch "
                                                   "follows files; to read from it, use the "
                                                   "command feed “cmd:cat '%s'”",
                                                   fixture->path, fixture->path);

      g_assert_null (item);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
      g_assert_cmpstr (error->message, ==, expected);
      g_assert_true (fw_test_close (stream, NULL));
    }
}

/* A followed log replaced by a named pipe: waiting, in words, until a file is back. */
static void
test_fifo_replaces_file (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *waiting = "a named pipe has the file's name; waiting for a file";
  g_autofree char *moved = g_build_filename (fixture->dir, "app.log.1", NULL);
  Reader *reader;

  append_numbered_lines (fixture->path, 0, 3);
  reader = reader_new (FW_STREAM (follow (fixture->path, 10)));
  fw_log_source_set_poll_interval (FW_LOG_SOURCE (reader->pump->stream), 50);
  fw_test_wait_for_count (&reader->n_lines, 3);

  g_assert_cmpint (g_rename (fixture->path, moved), ==, 0);
  g_assert_cmpint (mkfifo (fixture->path, 0600), ==, 0);
  wait_for_status (reader, waiting, 1);

  /* a file again: read from its start */
  g_assert_cmpint (g_unlink (fixture->path), ==, 0);
  append_numbered_lines (fixture->path, 3, 2);
  fw_test_wait_for_count (&reader->n_lines, 5);
  fw_test_iterate_idle ();
  assert_numbered_lines (reader, 0, 5);
  g_assert_cmpuint (reader_count_status (reader, waiting), ==, 1);
  reader_free (reader);
}

static guint
count_lines_of (const char *path)
{
  g_autofree char *contents = NULL;
  guint n = 0;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  for (const char *p = contents; *p != '\0'; p++)
    n += *p == '\n';
  return n;
}

/* /proc files say their size is 0: read whole (every line), at the poll interval, not as a
 * file truncated again and again. */
static void
test_proc_files_sampled (Fixture       *fixture,
                         gconstpointer  data)
{
  guint n_status = count_lines_of ("/proc/self/status");
  Reader *reader;
  gint64 start;
  guint64 elapsed_ms;

  g_assert_cmpuint (n_status, >, 5);
  {
    g_autoptr(FwStream) stream = fw_log_source_new ("status", "/proc/self/status", 10, FALSE);
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) items = fw_test_collect (stream, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (items->len, ==, n_status);
    for (guint i = 0; i < items->len; i++)
      g_assert_cmpint (((FwItem *) g_ptr_array_index (items, i))->kind, ==, FW_ITEM_LINE);
  }

  start = g_get_monotonic_time ();
  reader = reader_new (fw_log_source_new ("loadavg", "/proc/loadavg", 10, TRUE));
  fw_log_source_set_poll_interval (FW_LOG_SOURCE (reader->pump->stream), 50);
  fw_test_wait_for_count (&reader->n_lines, 3);
  fw_test_iterate_idle ();
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  g_test_message ("%u samples of /proc/loadavg in %" G_GUINT64_FORMAT " ms", reader->n_lines,
                  elapsed_ms);
  /* one line a sample, one sample a poll (and the first at once) */
  g_assert_cmpuint (reader->n_lines, <=, elapsed_ms / 50 + 2);
  g_assert_cmpuint (reader->n_statuses, ==, 0);
  for (guint i = 0; i < reader->lines->len; i++)
    g_assert_cmpuint (strlen (g_ptr_array_index (reader->lines, i)), >, 10);
  reader_free (reader);

  /* sysfs says a page, whatever the file holds: sampled too, not read once and left */
  if (g_file_test ("/sys/devices/system/cpu/online", G_FILE_TEST_IS_REGULAR))
    {
      reader = reader_new (fw_log_source_new ("cpus", "/sys/devices/system/cpu/online", 10, TRUE));
      fw_log_source_set_poll_interval (FW_LOG_SOURCE (reader->pump->stream), 50);
      fw_test_wait_for_count (&reader->n_lines, 3);
      fw_test_iterate_idle ();
      g_assert_cmpuint (reader->n_statuses, ==, 0);
      reader_free (reader);
    }
  else
    g_test_message ("no /sys here: sysfs not checked");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add ("/log-source/" name, Fixture, NULL, fixture_setup, func, \
                                    fixture_teardown)
  ADD ("lazy-start", test_lazy_start);
  ADD ("last-lines-then-appends", test_last_lines_then_appends);
  ADD ("last-lines-edge-cases", test_last_lines_edge_cases);
  ADD ("once-reads-to-end", test_once_reads_to_end);
  ADD ("source-times", test_source_times);
  ADD ("file-uri", test_file_uri);
  ADD ("rotation/rename", test_rotation_rename);
  ADD ("rotation/copytruncate", test_rotation_copytruncate);
  ADD ("rotation/delete-create", test_rotation_delete_create);
  ADD ("file-appears-later", test_file_appears_later);
  ADD ("deleted-then-recreated", test_deleted_then_recreated);
  ADD ("missing-file-once", test_missing_file_once);
  ADD ("unreadable-then-readable", test_unreadable_then_readable);
  ADD ("huge-line", test_huge_line);
  ADD ("crlf-and-invalid-utf8", test_crlf_and_invalid_utf8);
  ADD ("gzip", test_gzip);
  ADD ("gzip-bomb", test_gzip_bomb);
  ADD ("count-only-whole-file", test_count_only_whole_file);
  ADD ("level-counts", test_level_counts);
  ADD ("close-releases-file", test_close_releases_file);
  ADD ("quiet-log-small-blocks", test_quiet_log_small_blocks);
  ADD ("fifo-refused", test_fifo_refused);
  ADD ("fifo-replaces-file", test_fifo_replaces_file);
  ADD ("proc-files-sampled", test_proc_files_sampled);
#undef ADD

  return g_test_run ();
}
