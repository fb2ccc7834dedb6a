/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-log-faults.c: what happens to a followed log file while a thread writes it at 50,000
 * lines/s: rotation by rename-and-create, copytruncate, delete-and-recreate and a symlink
 * switched to a new target, several times each; the file replaced by a folder; read
 * permission taken away and given back; its folder removed and made again. Each says its
 * state in a status item, and every line that still exists where a reader can get it arrives
 * exactly once, in order.
 *
 * An unmounted filesystem is not tested by name: mounting needs privileges tests do not have.
 * A lazy unmount (the only one possible while we hold the file open) makes the name vanish
 * while the open file stays readable, which is what removing the folder does here. */

#include "fw-test-util.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fw-log-source.h"

#define RATE          50000   /* lines per second */
#define ROUNDS        5
#define LINES_BETWEEN 10000   /* lines the reader sees between two faults: ~0.2 s */
#define LINE_FORMAT   "%09" G_GUINT64_FORMAT " the quick brown fox jumps over the lazy dog"

/* ---------------------------------------------------------------------------------------- */
/* The writer: numbered lines at RATE, paced by the clock, in one write per few milliseconds
 * (as a busy logger's buffered output). A fault is made with the lock held, so the writer
 * is never half-way through a write when the file changes under it. */

typedef struct
{
  GMutex   lock;
  GThread *thread;
  int      fd;       /* -1: paused, nowhere to write */
  guint64  next;     /* the number of the next line */
  gint     stop;
  gint64   started;
} Writer;

static void
write_all (int         fd,
           const char *data,
           gsize       len)
{
  while (len > 0)
    {
      ssize_t n = write (fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        g_error ("write: %s", g_strerror (errno));
      data += n;
      len -= n;
    }
}

static int
open_for_append (const char *path,
                 int         mode)
{
  /* O_APPEND, as loggers do: after a copytruncate the next write lands at the new end. */
  int fd = open (path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, mode);

  if (fd < 0)
    g_error ("open “%s”: %s", path, g_strerror (errno));
  return fd;
}

static gpointer
writer_run (gpointer user_data)
{
  Writer *writer = user_data;
  g_autoptr(GString) buf = g_string_sized_new (256 * 1024);
  gint64 last = g_get_monotonic_time ();
  double owed = 0;

  while (!g_atomic_int_get (&writer->stop))
    {
      gint64 now = g_get_monotonic_time ();
      guint n;

      /* After a stall (a paused writer, a busy machine), catch up by at most 0.1 s. */
      owed = MIN (owed + (now - last) * (double) RATE / G_USEC_PER_SEC, RATE / 10.0);
      last = now;
      n = (guint) owed;
      if (n < 50)
        {
          g_usleep (1000);
          continue;
        }
      owed -= n;

      g_mutex_lock (&writer->lock);
      if (writer->fd >= 0)
        {
          g_string_truncate (buf, 0);
          for (guint i = 0; i < n; i++)
            g_string_append_printf (buf, LINE_FORMAT "\n", writer->next + i);
          write_all (writer->fd, buf->str, buf->len);
          writer->next += n;
        }
      g_mutex_unlock (&writer->lock);
    }

  return NULL;
}

static Writer *
writer_start (const char *path)
{
  Writer *writer = g_new0 (Writer, 1);

  g_mutex_init (&writer->lock);
  writer->fd = open_for_append (path, 0644);
  writer->started = g_get_monotonic_time ();
  writer->thread = g_thread_new ("log writer", writer_run, writer);

  return writer;
}

static guint64
writer_next (Writer *writer)
{
  guint64 next;

  g_mutex_lock (&writer->lock);
  next = writer->next;
  g_mutex_unlock (&writer->lock);

  return next;
}

/* Writes from now on go to @fd (-1: nowhere); the old one is closed. Lock held. */
static void
writer_switch_locked (Writer *writer,
                      int     fd)
{
  if (writer->fd >= 0)
    close (writer->fd);
  writer->fd = fd;
}

/* Returns: how many lines were written in all */
static guint64
writer_stop (Writer *writer)
{
  guint64 total;
  double seconds;

  g_atomic_int_set (&writer->stop, TRUE);
  g_thread_join (writer->thread);
  writer_switch_locked (writer, -1);
  total = writer->next;
  seconds = (g_get_monotonic_time () - writer->started) / (double) G_USEC_PER_SEC;
  g_test_message ("wrote %" G_GUINT64_FORMAT " lines in %.2f s: %.0f lines/s", total, seconds,
                  total / seconds);
  g_mutex_clear (&writer->lock);
  g_free (writer);

  return total;
}

/* ---------------------------------------------------------------------------------------- */
/* The checker: reads the feed as the window would and checks each line as it comes, so a
 * few hundred thousand lines cost no memory. */

typedef struct
{
  guint64 from;            /* the first missing number */
  guint64 to;              /* the first number after the gap */
  int     after_status;    /* the status just before the gap, or -1 */
} Gap;

typedef struct
{
  FwTestPump *pump;
  guint64     expected;    /* the number the next line must carry */
  guint64     n_lines;
  GPtrArray  *statuses;    /* FwItem *, in order */
  GArray     *status_at;   /* guint64: how many lines had arrived before each status */
  GArray     *gaps;        /* Gap */
  guint       n_wrong;     /* repeated, out of order or garbled lines */
  char       *first_wrong;
  gboolean    status_just_before;
  guint64     target;      /* for checker_wait_for_line */
} Checker;

static void
checker_wrong (Checker    *checker,
               const char *what,
               FwItem     *item)
{
  if (checker->n_wrong++ == 0)
    checker->first_wrong = g_strdup_printf ("%s after %" G_GUINT64_FORMAT " lines: “%s”",
                                            what, checker->n_lines, item->text);
}

static void
checker_take_line (Checker *checker,
                   FwItem  *item)
{
  char expected_text[128];
  char *end = NULL;
  guint64 number = g_ascii_strtoull (item->text, &end, 10);
  int len = g_snprintf (expected_text, sizeof expected_text, LINE_FORMAT, number);

  checker->n_lines++;
  if (end == item->text || item->text_len != (gsize) len ||
      memcmp (item->text, expected_text, len) != 0)
    {
      checker_wrong (checker, "garbled line", item);
      return;
    }

  if (number < checker->expected)
    checker_wrong (checker, "repeated or out of order", item);
  else if (number > checker->expected)
    {
      Gap gap = { checker->expected, number,
                  checker->status_just_before ? (int) checker->statuses->len - 1 : -1 };
      g_array_append_val (checker->gaps, gap);
    }
  checker->expected = MAX (checker->expected, number + 1);
  checker->status_just_before = FALSE;
}

static void
checker_take_batch (GPtrArray *batch,
                    gpointer   user_data)
{
  Checker *checker = user_data;

  for (guint i = 0; i < batch->len; i++)
    {
      FwItem *item = g_ptr_array_index (batch, i);

      if (item->kind == FW_ITEM_LINE)
        {
          checker_take_line (checker, item);
          continue;
        }
      g_assert_cmpint (item->kind, ==, FW_ITEM_STATUS);
      g_test_message ("status after %" G_GUINT64_FORMAT " lines: [%s] %s", checker->n_lines,
                      item->name != NULL ? item->name : "", item->text);
      g_ptr_array_add (checker->statuses, fw_item_ref (item));
      g_array_append_val (checker->status_at, checker->n_lines);
      checker->status_just_before = TRUE;
    }
}

/* @poll_ms: the safety-net poll. Events, not the poll, should drive these tests: a long one. */
static Checker *
checker_new_polling (const char *path,
                     guint       poll_ms)
{
  Checker *checker = g_new0 (Checker, 1);
  FwStream *stream = fw_log_source_new (path, path, G_MAXUINT, TRUE);

  fw_log_source_set_poll_interval (FW_LOG_SOURCE (stream), poll_ms);
  checker->statuses = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  checker->status_at = g_array_new (FALSE, FALSE, sizeof (guint64));
  checker->gaps = g_array_new (FALSE, FALSE, sizeof (Gap));
  checker->pump = fw_test_pump_new (stream, checker_take_batch, checker);

  return checker;
}

static Checker *
checker_new (const char *path)
{
  return checker_new_polling (path, 1000);
}

static void
checker_free (Checker *checker)
{
  fw_test_pump_free (checker->pump);
  g_ptr_array_unref (checker->statuses);
  g_array_unref (checker->status_at);
  g_array_unref (checker->gaps);
  g_free (checker->first_wrong);
  g_free (checker);
}

static gboolean
checker_reached_target (gpointer user_data)
{
  Checker *checker = user_data;

  /* A stream that ended or failed will never get there: stop waiting, the caller checks. */
  return checker->expected >= checker->target || checker->pump->ended;
}

/* Waits until every line before @number arrived (or was skipped over). */
static void
checker_wait_for_line (Checker *checker,
                       guint64  number)
{
  g_autofree char *what = g_strdup_printf ("line %" G_GUINT64_FORMAT, number);

  checker->target = number;
  fw_test_wait_until (checker_reached_target, checker, what);
  g_assert_no_error (checker->pump->error);
  g_assert_false (checker->pump->ended);
}

static guint
checker_count_status (Checker    *checker,
                      const char *text)
{
  guint n = 0;

  for (guint i = 0; i < checker->statuses->len; i++)
    n += g_str_equal (((FwItem *) g_ptr_array_index (checker->statuses, i))->text, text);
  return n;
}

typedef struct
{
  Checker    *checker;
  const char *text;
  guint       times;
} StatusWait;

static gboolean
status_seen (gpointer user_data)
{
  StatusWait *wait = user_data;

  return checker_count_status (wait->checker, wait->text) >= wait->times ||
         wait->checker->pump->ended;
}

/* Waits until the status @text was said @times times in all; returns the last one. */
static FwItem *
checker_wait_for_status (Checker    *checker,
                         const char *text,
                         guint       times)
{
  StatusWait wait = { checker, text, times };
  g_autofree char *what = g_strdup_printf ("status “%s” (×%u)", text, times);

  fw_test_wait_until (status_seen, &wait, what);
  g_assert_no_error (checker->pump->error);
  g_assert_false (checker->pump->ended);

  for (guint i = checker->statuses->len; i > 0; i--)
    {
      FwItem *item = g_ptr_array_index (checker->statuses, i - 1);
      if (g_str_equal (item->text, text))
        return item;
    }
  g_assert_not_reached ();
}

/* Every line 0..@total-1 arrived once, in order, none garbled. */
static void
checker_assert_complete (Checker *checker,
                         guint64  total)
{
  checker_wait_for_line (checker, total);
  if (checker->n_wrong > 0)
    g_error ("%u wrong lines; the first: %s", checker->n_wrong, checker->first_wrong);
  for (guint i = 0; i < checker->gaps->len; i++)
    {
      Gap *gap = &g_array_index (checker->gaps, Gap, i);
      g_error ("lines %" G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT " lost", gap->from, gap->to - 1);
    }
  g_assert_cmpuint (checker->expected, ==, total);
  g_assert_cmpuint (checker->n_lines, ==, total);
}

/* The state a status announces, as the sidebar shows it */
static void
assert_state (FwItem      *status,
              FwFeedState  state)
{
  if (fw_feed_state_from_status (status) != state)
    g_error ("status “%s” announces %s, not %s", status->text,
             fw_feed_state_to_string (fw_feed_state_from_status (status)),
             fw_feed_state_to_string (state));
}

/* ---------------------------------------------------------------------------------------- */

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

  fixture->dir = g_dir_make_tmp ("fw-log-faults-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "app.log", NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  fw_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

typedef enum
{
  ROTATE_RENAME,
  ROTATE_COPYTRUNCATE,
  ROTATE_DELETE,
  ROTATE_SYMLINK,
} Rotation;

static void
rotate_locked (Fixture  *fixture,
               Writer   *writer,
               Rotation  how,
               guint     round)
{
  g_autofree char *old = g_strdup_printf ("%s.%u", fixture->path, round + 1);

  switch (how)
    {
    case ROTATE_RENAME:
      g_assert_cmpint (g_rename (fixture->path, old), ==, 0);
      writer_switch_locked (writer, open_for_append (fixture->path, 0644));
      break;

    case ROTATE_DELETE:
      g_assert_cmpint (g_unlink (fixture->path), ==, 0);
      writer_switch_locked (writer, open_for_append (fixture->path, 0644));
      break;

    case ROTATE_SYMLINK:
      {
        /* app.log -> app.log.target-N, switched atomically (rename over the link) */
        g_autofree char *target = g_strdup_printf ("app.log.target-%u", round + 1);
        g_autofree char *target_path = g_build_filename (fixture->dir, target, NULL);
        g_autofree char *link_tmp = g_strconcat (fixture->path, ".new", NULL);

        writer_switch_locked (writer, open_for_append (target_path, 0644));
        g_assert_cmpint (symlink (target, link_tmp), ==, 0);
        g_assert_cmpint (g_rename (link_tmp, fixture->path), ==, 0);
      }
      break;

    case ROTATE_COPYTRUNCATE:
      {
        g_autofree char *contents = NULL;
        gsize len;

        /* logrotate's copytruncate: copy, then cut the file the writer keeps open */
        g_assert_true (g_file_get_contents (fixture->path, &contents, &len, NULL));
        g_assert_true (g_file_set_contents (old, contents, len, NULL));
        g_assert_cmpint (truncate (fixture->path, 0), ==, 0);
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
run_rotations (Fixture  *fixture,
               Rotation  how)
{
  Checker *checker;
  Writer *writer;
  guint64 rotated_at = 0, total;

  if (how == ROTATE_SYMLINK)
    {
      g_autofree char *first = g_build_filename (fixture->dir, "app.log.target-0", NULL);
      g_assert_true (g_file_set_contents (first, "", 0, NULL));
      g_assert_cmpint (symlink ("app.log.target-0", fixture->path), ==, 0);
    }
  else
    g_assert_true (g_file_set_contents (fixture->path, "", 0, NULL));

  /* Writes to a symlink's target change nothing in the link's folder: only a watch on the
   * file itself sees them. With no poll to fall back on, the test fails if there is none. */
  checker = checker_new_polling (fixture->path, how == ROTATE_SYMLINK ? 3600 * 1000 : 1000);
  writer = writer_start (fixture->path);

  for (guint round = 0; round < ROUNDS; round++)
    {
      /* The reader is well into the current file (and so followed the last rotation). */
      checker_wait_for_line (checker, rotated_at + LINES_BETWEEN);

      g_mutex_lock (&writer->lock);
      rotate_locked (fixture, writer, how, round);
      rotated_at = writer->next;
      g_mutex_unlock (&writer->lock);

      if (how == ROTATE_COPYTRUNCATE)
        checker_wait_for_status (checker, FW_LOG_SOURCE_STATUS_TRUNCATED, round + 1);
    }
  checker_wait_for_line (checker, rotated_at + LINES_BETWEEN);
  total = writer_stop (writer);

  if (how != ROTATE_COPYTRUNCATE)
    {
      /* Each rotation was noticed: the name moved on ("rotated"), or was seen missing for
       * an instant between the rename and the create ("file appeared"). */
      checker_assert_complete (checker, total);
      g_assert_cmpuint (checker_count_status (checker, "rotated") +
                        checker_count_status (checker, "file appeared"), ==, ROUNDS);
    }
  else
    {
      guint64 lost = 0;

      /* copytruncate cannot be followed without loss: the lines written after our last read
       * and before the cut are in the copy, which a reader of the file does not follow, and
       * then gone from the file. No tail -F can have them (logrotate's manual says so). What
       * is achievable: no line repeated or garbled, every later line read, and each loss
       * right after the status that warns of it. */
      checker_wait_for_line (checker, total);
      if (checker->n_wrong > 0)
        g_error ("%u wrong lines; the first: %s", checker->n_wrong, checker->first_wrong);
      for (guint i = 0; i < checker->gaps->len; i++)
        {
          Gap *gap = &g_array_index (checker->gaps, Gap, i);
          FwItem *before;

          if (gap->after_status < 0)
            g_error ("lines %" G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT " lost without a word",
                     gap->from, gap->to - 1);
          before = g_ptr_array_index (checker->statuses, gap->after_status);
          g_assert_cmpstr (before->text, ==, FW_LOG_SOURCE_STATUS_TRUNCATED);
          lost += gap->to - gap->from;
        }
      g_assert_cmpuint (checker->expected, ==, total);
      g_assert_cmpuint (checker->n_lines + lost, ==, total);
      g_assert_cmpuint (checker_count_status (checker, FW_LOG_SOURCE_STATUS_TRUNCATED), ==, ROUNDS);
      g_test_message ("copytruncate: %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
                      " lines lost in %u cuts", lost, total, ROUNDS);
    }

  g_assert_no_error (checker->pump->error);
  g_assert_false (checker->pump->ended);
  checker_free (checker);
}

static void
test_rename_create (Fixture       *fixture,
                    gconstpointer  data)
{
  run_rotations (fixture, ROTATE_RENAME);
}

static void
test_copytruncate (Fixture       *fixture,
                   gconstpointer  data)
{
  run_rotations (fixture, ROTATE_COPYTRUNCATE);
}

static void
test_delete_recreate (Fixture       *fixture,
                      gconstpointer  data)
{
  run_rotations (fixture, ROTATE_DELETE);
}

static void
test_symlink_switch (Fixture       *fixture,
                     gconstpointer  data)
{
  run_rotations (fixture, ROTATE_SYMLINK);
}

static void
append_lines (const char *path,
              guint64     first,
              guint64     n)
{
  g_autoptr(GString) buf = g_string_new (NULL);
  int fd = open_for_append (path, 0644);

  for (guint64 i = first; i < first + n; i++)
    g_string_append_printf (buf, LINE_FORMAT "\n", i);
  write_all (fd, buf->str, buf->len);
  close (fd);
}

/* A copytruncate, and the file written past our offset again before the reader looks: it is
 * no shorter than what we read, so only the bytes before the offset tell. Without that check
 * the reader would go on from the old offset, mid-line, and skip the new file's start. */
static void
test_copytruncate_refilled (Fixture       *fixture,
                            gconstpointer  data)
{
  Checker *checker;

  append_lines (fixture->path, 0, 1000);
  checker = checker_new (fixture->path);
  checker_wait_for_line (checker, 1000);

  /* No main-loop iteration between these: the reader cannot look in between. */
  g_assert_cmpint (truncate (fixture->path, 0), ==, 0);
  append_lines (fixture->path, 1000, 3000);

  checker_assert_complete (checker, 4000);
  g_assert_cmpuint (checker_count_status (checker, FW_LOG_SOURCE_STATUS_TRUNCATED), ==, 1);
  g_assert_cmpuint (g_array_index (checker->status_at, guint64, 0), ==, 1000);
  checker_free (checker);
}

/* The file moved away and a folder made in its place: a waiting state, in words; a file
 * there again is read from its start. */
static void
test_folder_in_the_way (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *moved = g_strconcat (fixture->path, ".1", NULL);
  Checker *checker;
  Writer *writer;
  FwItem *status;
  guint64 paused_at, total;

  g_assert_true (g_file_set_contents (fixture->path, "", 0, NULL));
  checker = checker_new (fixture->path);
  writer = writer_start (fixture->path);

  for (guint round = 0; round < 2; round++)
    {
      checker_wait_for_line (checker, writer_next (writer) + LINES_BETWEEN);
      g_mutex_lock (&writer->lock);
      g_assert_cmpint (g_rename (fixture->path, moved), ==, 0);
      g_assert_cmpint (g_mkdir (fixture->path, 0755), ==, 0);
      writer_switch_locked (writer, -1);
      paused_at = writer->next;
      g_mutex_unlock (&writer->lock);

      status = checker_wait_for_status (checker, "a folder has the file's name; waiting for a file",
                                        round + 1);
      assert_state (status, FW_FEED_STATE_WAITING);
      /* what the old file had was read before the state changed */
      checker_wait_for_line (checker, paused_at);

      g_mutex_lock (&writer->lock);
      g_assert_cmpint (g_rmdir (fixture->path), ==, 0);
      writer_switch_locked (writer, open_for_append (fixture->path, 0644));
      g_mutex_unlock (&writer->lock);

      status = checker_wait_for_status (checker, "file appeared", round + 1);
      assert_state (status, FW_FEED_STATE_LIVE);
    }

  checker_wait_for_line (checker, writer_next (writer) + LINES_BETWEEN);
  total = writer_stop (writer);
  checker_assert_complete (checker, total);
  checker_free (checker);
}

/* The folder holding the log removed (a temporary folder deleted, a filesystem lazily
 * unmounted) and made again. */
static void
test_folder_removed (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (fixture->dir, "tmp", NULL);
  g_autofree char *path = g_build_filename (folder, "app.log", NULL);
  Checker *checker;
  Writer *writer;
  FwItem *status;
  guint64 paused_at, total;

  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  checker = checker_new (path);
  writer = writer_start (path);

  for (guint round = 0; round < 2; round++)
    {
      checker_wait_for_line (checker, writer_next (writer) + LINES_BETWEEN);
      g_mutex_lock (&writer->lock);
      writer_switch_locked (writer, -1);
      paused_at = writer->next;
      fw_test_remove_tree (folder);
      g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));
      g_mutex_unlock (&writer->lock);

      status = checker_wait_for_status (checker, "deleted; waiting for file", round + 1);
      assert_state (status, FW_FEED_STATE_WAITING);
      checker_wait_for_line (checker, paused_at);

      g_mutex_lock (&writer->lock);
      g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
      writer_switch_locked (writer, open_for_append (path, 0644));
      g_mutex_unlock (&writer->lock);

      status = checker_wait_for_status (checker, "file appeared", round + 1);
      assert_state (status, FW_FEED_STATE_LIVE);
    }

  checker_wait_for_line (checker, writer_next (writer) + LINES_BETWEEN);
  total = writer_stop (writer);
  checker_assert_complete (checker, total);
  checker_free (checker);
}

typedef struct
{
  Writer  *writer;
  guint64  target;
} WriterWait;

static gboolean
writer_reached (gpointer user_data)
{
  WriterWait *wait = user_data;

  return writer_next (wait->writer) >= wait->target;
}

static void
run_permission_faults (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "app.log", NULL);
  g_autofree char *moved = g_strconcat (path, ".1", NULL);
  Checker *checker;
  Writer *writer;
  FwItem *status;
  guint64 rotated_at, total;
  guint n_statuses;

  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  checker = checker_new (path);
  writer = writer_start (path);
  checker_wait_for_line (checker, LINES_BETWEEN);

  /* Permission taken from the file being read: the open file stays readable, nothing
   * changes. */
  n_statuses = checker->statuses->len;
  g_assert_cmpint (g_chmod (path, 0), ==, 0);
  g_assert_cmpint (access (path, R_OK), !=, 0);
  checker_wait_for_line (checker, writer_next (writer) + LINES_BETWEEN);
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  g_assert_cmpuint (checker->statuses->len, ==, n_statuses);

  /* Rotated to a new file nobody may read yet (a logger creating it before setting its
   * mode): a waiting state in words, the lines kept in the file meanwhile, all read once it
   * can be. */
  g_mutex_lock (&writer->lock);
  g_assert_cmpint (g_rename (path, moved), ==, 0);
  writer_switch_locked (writer, open_for_append (path, 0));
  rotated_at = writer->next;
  g_mutex_unlock (&writer->lock);

  status = checker_wait_for_status (checker, "permission denied; waiting until the file can be read", 1);
  assert_state (status, FW_FEED_STATE_WAITING);
  checker_wait_for_line (checker, rotated_at);
  {
    WriterWait wait = { writer, rotated_at + LINES_BETWEEN };
    fw_test_wait_until (writer_reached, &wait, "lines written to the unreadable file");
  }
  g_assert_cmpuint (checker->expected, ==, rotated_at);

  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  status = checker_wait_for_status (checker, "file readable again", 1);
  assert_state (status, FW_FEED_STATE_LIVE);

  checker_wait_for_line (checker, writer_next (writer) + LINES_BETWEEN);
  total = writer_stop (writer);
  checker_assert_complete (checker, total);
  checker_free (checker);
}

static void
test_permission_denied (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *no_setuid = g_build_filename (fixture->dir, "cannot-drop-root", NULL);

  if (geteuid () != 0)
    {
      run_permission_faults (fixture->dir);
      return;
    }

  /* Root reads whatever the mode: run as nobody, in a child, for the mode to count. */
  if (g_test_subprocess ())
    {
      const char *dir = g_getenv ("FW_TEST_FAULTS_DIR");

      /* the parent's folder is the one to use; this process's own is not needed */
      g_rmdir (fixture->dir);
      if (setgid (65534) != 0 || setuid (65534) != 0)
        {
          g_autofree char *marker = g_build_filename (dir, "cannot-drop-root", NULL);
          g_assert_true (g_file_set_contents (marker, "", 0, NULL));
          return;
        }
      run_permission_faults (dir);
      return;
    }

  g_assert_cmpint (g_chmod (fixture->dir, 0777), ==, 0);
  g_setenv ("FW_TEST_FAULTS_DIR", fixture->dir, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  if (g_file_test (no_setuid, G_FILE_TEST_EXISTS))
    g_test_skip ("running as root, which reads whatever the mode, and cannot become nobody");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add ("/log-faults/" name, Fixture, NULL, fixture_setup, func, \
                                    fixture_teardown)
  ADD ("rename-create", test_rename_create);
  ADD ("copytruncate", test_copytruncate);
  ADD ("copytruncate-refilled", test_copytruncate_refilled);
  ADD ("delete-recreate", test_delete_recreate);
  ADD ("symlink-switch", test_symlink_switch);
  ADD ("folder-in-the-way", test_folder_in_the_way);
  ADD ("folder-removed", test_folder_removed);
  ADD ("permission-denied", test_permission_denied);
#undef ADD

  return g_test_run ();
}
