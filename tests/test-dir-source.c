/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-dir-source.c: `dir:PATH`: created, changed, renamed, deleted, moved in, on a real
 * temporary folder; errors for a missing folder or a file; --once lists the entries; a paused
 * feed's queue stays bounded and says what it dropped or merged */

#include "fw-test-util.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fw-dir-source.h"

typedef struct
{
  FwStream  *stream;
  GPtrArray *events;   /* "name text" */
  guint      n;
  gboolean   in_flight;
  gboolean   stopped;
} Watch;

static void watch_ask (Watch *watch);

static void
on_item (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Watch *watch = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(FwItem) item = fw_stream_next_finish (watch->stream, result, &error);

  watch->in_flight = FALSE;
  if (item == NULL)
    return;

  if (item->kind == FW_ITEM_STATUS)
    g_ptr_array_add (watch->events, g_strdup_printf ("status %s", item->text));
  else
    {
      GVariant *path;

      g_assert_cmpint (item->kind, ==, FW_ITEM_EVENT);
      g_assert_nonnull (item->fields);
      path = g_variant_lookup_value (item->fields, "path", G_VARIANT_TYPE_STRING);
      g_assert_nonnull (path);
      g_variant_unref (path);
      g_ptr_array_add (watch->events, g_strdup_printf ("%s %s", item->name, item->text));
    }
  watch->n++;
  if (!watch->stopped)
    watch_ask (watch);
}

static void
watch_ask (Watch *watch)
{
  watch->in_flight = TRUE;
  fw_stream_next_async (watch->stream, NULL, on_item, watch);
}

static gboolean
has_event (Watch      *watch,
           const char *event,
           guint      *index)
{
  for (guint i = 0; i < watch->events->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (watch->events, i), event))
        {
          if (index != NULL)
            *index = i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
wait_for_event (Watch      *watch,
                const char *event)
{
  while (!has_event (watch, event, NULL))
    fw_test_wait_for_count (&watch->n, watch->n + 1);
}

static void
touch (const char *path,
       const char *text)
{
  FILE *f = fopen (path, "a");

  g_assert_nonnull (f);
  fputs (text, f);
  fclose (f);
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
test_changes (void)
{
  g_autofree char *dir = g_dir_make_tmp ("fw-dir-XXXXXX", NULL);
  g_autofree char *outside = g_dir_make_tmp ("fw-dir-out-XXXXXX", NULL);
  g_autofree char *a = g_build_filename (dir, "a.txt", NULL);
  g_autofree char *b = g_build_filename (dir, "b.txt", NULL);
  g_autofree char *far = g_build_filename (outside, "c.txt", NULL);
  g_autofree char *near = g_build_filename (dir, "c.txt", NULL);
  g_autofree char *feed = g_strconcat ("dir:", dir, NULL);
  Watch watch = { 0 };
  guint created = 0, renamed = 0, deleted = 0;

  watch.stream = fw_feed_open (feed, FW_FEED_OPEN_NONE, NULL);
  watch.events = g_ptr_array_new_with_free_func (g_free);
  g_assert_nonnull (watch.stream);
  watch_ask (&watch);
  wait_for_event (&watch, "status watching");

  touch (a, "hello\n");
  wait_for_event (&watch, "created a.txt");
  touch (a, "more\n");
  wait_for_event (&watch, "changed a.txt");
  g_assert_cmpint (g_rename (a, b), ==, 0);
  wait_for_event (&watch, "renamed a.txt → b.txt");
  g_assert_cmpint (g_unlink (b), ==, 0);
  wait_for_event (&watch, "deleted b.txt");
  touch (far, "x");
  g_assert_cmpint (g_rename (far, near), ==, 0);
  wait_for_event (&watch, "moved in c.txt");

  g_assert_true (has_event (&watch, "created a.txt", &created));
  g_assert_true (has_event (&watch, "renamed a.txt → b.txt", &renamed));
  g_assert_true (has_event (&watch, "deleted b.txt", &deleted));
  g_assert_cmpuint (created, <, renamed);
  g_assert_cmpuint (renamed, <, deleted);

  watch.stopped = TRUE;
  g_assert_true (fw_test_close (watch.stream, NULL));
  while (watch.in_flight)
    g_main_context_iteration (NULL, TRUE);
  g_object_unref (watch.stream);
  g_ptr_array_unref (watch.events);
  remove_tree (dir);
  remove_tree (outside);
}

/* With --once a missing folder is an error; followed, it is waited for (below). */
static void
test_missing_folder (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = fw_dir_source_new ("d", "/nonexistent/fw-folder", FALSE);
  g_autoptr(FwItem) item = fw_test_next (stream, NULL, &error);

  g_assert_null (item);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "/nonexistent/fw-folder"));
}

static void
test_not_a_folder (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(FwItem) item = NULL;
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("fw-dir-file-XXXXXX", &path, NULL);

  close (fd);
  stream = fw_dir_source_new ("d", path, TRUE);
  item = fw_test_next (stream, NULL, &error);
  g_assert_null (item);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY);
  g_unlink (path);
}

static void
test_once_lists_entries (void)
{
  g_autofree char *dir = g_dir_make_tmp ("fw-dir-XXXXXX", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (guint i = 0; i < 600; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s/f%03u", dir, i);
      touch (name, "");
    }

  stream = fw_dir_source_new ("d", dir, FALSE);
  items = fw_test_collect (stream, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 600);
  for (guint i = 0; i < items->len; i++)
    {
      FwItem *item = g_ptr_array_index (items, i);
      g_assert_cmpstr (item->name, ==, "exists");
      g_assert_true (g_str_has_prefix (item->text, "f"));
    }
  remove_tree (dir);
}

static guint
count_event (Watch      *watch,
             const char *event)
{
  guint n = 0;

  for (guint i = 0; i < watch->events->len; i++)
    n += g_str_equal (g_ptr_array_index (watch->events, i), event);
  return n;
}

/* A folder that does not exist yet is waited for, in words, and watched once created; removed
 * while watched, it is waited for again: no user action. */
static void
test_folder_appears_later (void)
{
  g_autofree char *parent = g_dir_make_tmp ("fw-dir-XXXXXX", NULL);
  g_autofree char *dir = g_build_filename (parent, "incoming", NULL);
  g_autofree char *a = g_build_filename (dir, "a.txt", NULL);
  g_autofree char *b = g_build_filename (dir, "b.txt", NULL);
  g_autofree char *waiting = g_strdup_printf ("status “%s” does not exist yet; waiting for the "
                                              "folder to be created", dir);
  g_autofree char *removed = g_strdup_printf ("status “%s” was removed; waiting for the "
                                              "folder to be created again", dir);
  Watch watch = { 0 };

  watch.stream = fw_dir_source_new ("d", dir, TRUE);
  watch.events = g_ptr_array_new_with_free_func (g_free);
  watch_ask (&watch);
  wait_for_event (&watch, waiting);
  g_assert_cmpuint (watch.events->len, ==, 1);

  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  wait_for_event (&watch, "status folder created; watching");
  touch (a, "hello\n");
  wait_for_event (&watch, "created a.txt");

  g_assert_cmpint (g_unlink (a), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
  wait_for_event (&watch, removed);
  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  while (count_event (&watch, "status folder created; watching") < 2)
    fw_test_wait_for_count (&watch.n, watch.n + 1);
  touch (b, "hello\n");
  wait_for_event (&watch, "created b.txt");

  watch.stopped = TRUE;
  g_assert_true (fw_test_close (watch.stream, NULL));
  while (watch.in_flight)
    g_main_context_iteration (NULL, TRUE);
  g_object_unref (watch.stream);
  g_ptr_array_unref (watch.events);
  fw_test_remove_tree (parent);
}

/* A second monitor on the same folder, the test's own: GIO hands each inotify event to every
 * monitor of the folder at once, so when this one has seen an event the source's has it too. */
typedef struct
{
  guint created;
  guint changes_done;
} Witness;

static void
on_witnessed (GFileMonitor      *monitor,
              GFile             *file,
              GFile             *other,
              GFileMonitorEvent  event,
              gpointer           user_data)
{
  Witness *witness = user_data;

  if (event == G_FILE_MONITOR_EVENT_CREATED)
    witness->created++;
  else if (event == G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT)
    witness->changes_done++;
}

static GFileMonitor *
witness_folder (const char *dir,
                Witness    *witness)
{
  g_autoptr(GFile) file = g_file_new_for_path (dir);
  GFileMonitor *monitor = g_file_monitor_directory (file, G_FILE_MONITOR_WATCH_MOVES, NULL, NULL);

  g_assert_nonnull (monitor);
  g_signal_connect (monitor, "changed", G_CALLBACK (on_witnessed), witness);
  return monitor;
}

/* Lets whatever the monitors have queued reach them, without pulling. */
static void
flush_monitors (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static guint64
leading_count (const char *text)
{
  g_assert_true (g_ascii_isdigit (text[0]));
  return g_ascii_strtoull (text, NULL, 10);
}

static void
test_paused_queue_is_bounded (void)
{
  /* More than the queue holds (4,096), and few enough that the kernel's inotify queue (16,384
   * events by default; each file gives a creation and a close) cannot overflow before GIO reads
   * it, however slow the machine: a lost event would never reach the witness. */
  const guint n = 6000;
  g_autofree char *dir = g_dir_make_tmp ("fw-dir-XXXXXX", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = fw_dir_source_new ("d", dir, TRUE);
  g_autoptr(FwItem) watching = fw_test_next (stream, NULL, &error);
  g_autoptr(FwItem) note = NULL;
  g_autoptr(GFileMonitor) monitor = NULL;
  g_autofree char *last = NULL;
  Witness witness = { 0 };
  guint64 dropped;
  guint kept;

  g_assert_no_error (error);
  fw_test_assert_status (watching, "watching");
  monitor = witness_folder (dir, &witness);

  /* Nobody pulls while the folder fills up. */
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/f%05u", dir, i);
      int fd = g_open (path, O_CREAT | O_WRONLY, 0644);

      g_assert_cmpint (fd, >=, 0);
      close (fd);
    }
  while (witness.created < n)
    fw_test_wait_for_count (&witness.created, witness.created + 1);
  flush_monitors ();

  note = fw_test_next (stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (note);
  g_assert_cmpint (note->kind, ==, FW_ITEM_STATUS);
  g_assert_cmpint (note->level, ==, FW_LEVEL_WARNING);
  g_assert_nonnull (strstr (note->text, "folder events were dropped while the feed was paused"));
  dropped = leading_count (note->text);
  g_assert_cmpuint (dropped, >, 0);
  g_assert_cmpuint (dropped, <, n);

  /* What was kept is the newest events, in order, and no more than the queue holds. The
   * stream's monitor may get the last events a moment after the witness's: one that comes
   * after the note drops the oldest again, and the next pull says so first. */
  kept = 0;
  while (last == NULL || !g_str_equal (last, "f05999"))
    {
      g_autoptr(FwItem) item = fw_test_next (stream, NULL, &error);
      g_autofree char *expected = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (item);
      if (item->kind == FW_ITEM_STATUS)
        {
          g_assert_nonnull (strstr (item->text, "dropped while the feed was paused"));
          dropped += leading_count (item->text);
          continue;
        }
      expected = g_strdup_printf ("f%05" G_GUINT64_FORMAT, dropped + kept);
      g_assert_cmpstr (item->name, ==, "created");
      g_assert_cmpstr (item->text, ==, expected);
      kept++;
      g_free (last);
      last = g_strdup (item->text);
    }
  g_assert_cmpuint (kept, <=, 4096);
  g_assert_cmpuint (dropped + kept, ==, n);

  g_assert_true (fw_test_close (stream, NULL));
  fw_test_remove_tree (dir);
}

static void
test_paused_changes_are_merged (void)
{
  g_autofree char *dir = g_dir_make_tmp ("fw-dir-XXXXXX", NULL);
  g_autofree char *a = g_build_filename (dir, "a.txt", NULL);
  g_autofree char *b = g_build_filename (dir, "b.txt", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = fw_dir_source_new ("d", dir, TRUE);
  g_autoptr(FwItem) watching = fw_test_next (stream, NULL, &error);
  g_autoptr(FwItem) first = NULL;
  g_autoptr(FwItem) second = NULL;
  g_autoptr(FwItem) third = NULL;
  g_autoptr(GFileMonitor) monitor = NULL;
  Witness witness = { 0 };

  g_assert_no_error (error);
  monitor = witness_folder (dir, &witness);

  /* Each append is a "changed"; while queued behind the creation they are one event. */
  touch (a, "one\n");
  touch (a, "two\n");
  touch (a, "three\n");
  touch (b, "other\n");
  while (witness.changes_done < 4)
    fw_test_wait_for_count (&witness.changes_done, witness.changes_done + 1);
  flush_monitors ();

  first = fw_test_next (stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (first->kind, ==, FW_ITEM_STATUS);
  g_assert_cmpint (first->level, ==, FW_LEVEL_INFO);
  g_assert_nonnull (strstr (first->text, "merged while the feed was paused or slow"));
  g_assert_cmpuint (leading_count (first->text), >=, 1);
  second = fw_test_next (stream, NULL, &error);
  g_assert_cmpstr (second->name, ==, "created");
  g_assert_cmpstr (second->text, ==, "a.txt");
  third = fw_test_next (stream, NULL, &error);
  g_assert_cmpstr (third->name, ==, "created");
  g_assert_cmpstr (third->text, ==, "b.txt");

  g_assert_true (fw_test_close (stream, NULL));
  fw_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dir-source/changes", test_changes);
  g_test_add_func ("/dir-source/missing-folder", test_missing_folder);
  g_test_add_func ("/dir-source/not-a-folder", test_not_a_folder);
  g_test_add_func ("/dir-source/folder-appears-later", test_folder_appears_later);
  g_test_add_func ("/dir-source/once-lists-entries", test_once_lists_entries);
  g_test_add_func ("/dir-source/paused-queue-is-bounded", test_paused_queue_is_bounded);
  g_test_add_func ("/dir-source/paused-changes-are-merged", test_paused_changes_are_merged);

  return g_test_run ();
}
