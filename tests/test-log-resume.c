/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-log-resume.c: a log source resumed from a mark (a relaunch, a restart): the lines the
 * mark covers come flagged as read before, the rest as new; a file rotated, truncated or
 * rewritten since is all new; a mark that is not one is ignored. */

#include "fw-test-util.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "fw-log-source.h"

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

  fixture->dir = g_dir_make_tmp ("fw-resume-XXXXXX", &error);
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

static void
write_file (const char *path,
            const char *text)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static void
append (const char *path,
        const char *text)
{
  FILE *f = fopen (path, "a");

  g_assert_nonnull (f);
  g_assert_cmpint (fputs (text, f), >=, 0);
  g_assert_cmpint (fclose (f), ==, 0);
}

/* What a session read: its line items, in order, and where it stopped. */
typedef struct
{
  GPtrArray *lines;  /* FwItem * */
  guint      n_lines;
  char      *mark;
} Session;

static void
session_take_batch (GPtrArray *batch,
                    gpointer   user_data)
{
  Session *session = user_data;

  for (guint i = 0; i < batch->len; i++)
    {
      FwItem *item = g_ptr_array_index (batch, i);

      if (item->kind == FW_ITEM_LINE)
        {
          g_ptr_array_add (session->lines, fw_item_ref (item));
          session->n_lines++;
        }
    }
}

static void
session_free (Session *session)
{
  g_ptr_array_unref (session->lines);
  g_free (session->mark);
  g_free (session);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Session, session_free)

/* Follows @path from its last @initial_lines lines, resumed from @mark (unless NULL), until
 * @n_lines lines came, then closes it as a window would. */
static Session *
run_session (const char *path,
             guint       initial_lines,
             const char *mark,
             gboolean    mark_ok,
             guint       n_lines)
{
  Session *session = g_new0 (Session, 1);
  FwStream *stream = fw_log_source_new (path, path, initial_lines, TRUE);
  FwTestPump *pump;

  fw_log_source_set_poll_interval (FW_LOG_SOURCE (stream), 1000);
  if (mark != NULL)
    g_assert_cmpint (fw_log_source_set_resume_mark (FW_LOG_SOURCE (stream), mark), ==, mark_ok);
  session->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  pump = fw_test_pump_new (stream, session_take_batch, session);
  fw_test_wait_for_count (&session->n_lines, n_lines);
  fw_test_iterate_idle ();
  g_assert_cmpuint (session->n_lines, ==, n_lines);
  session->mark = fw_log_source_dup_resume_mark (FW_LOG_SOURCE (stream));
  fw_test_pump_free (pump);

  return session;
}

/* Asserts the session's lines: @expected[i] is the text, @replayed[i] whether it came flagged */
static void
assert_lines (Session            *session,
              const char * const *expected,
              const gboolean     *replayed)
{
  g_assert_cmpuint (session->lines->len, ==, g_strv_length ((char **) expected));
  for (guint i = 0; i < session->lines->len; i++)
    {
      FwItem *item = g_ptr_array_index (session->lines, i);

      g_assert_cmpstr (item->text, ==, expected[i]);
      if (!!(item->flags & FW_ITEM_FLAG_REPLAYED) != replayed[i])
        g_error ("line %u “%s”: %s", i, item->text,
                 replayed[i] ? "not flagged as read before" : "flagged as read before");
    }
}

static void
test_flags_lines_before_mark (Fixture       *fixture,
                              gconstpointer  data)
{
  const char *first[] = { "ERROR one", "WARN two", "INFO three", NULL };
  const gboolean first_replayed[] = { FALSE, FALSE, FALSE };
  const char *second[] = { "ERROR one", "WARN two", "INFO three", "cd", "ERROR four", NULL };
  const gboolean second_replayed[] = { TRUE, TRUE, TRUE, FALSE, FALSE };
  const char *third[] = { "ERROR one", "WARN two", "INFO three", "cd", "ERROR four", "e", NULL };
  const gboolean third_replayed[] = { TRUE, TRUE, TRUE, TRUE, TRUE, FALSE };
  g_autoptr(Session) a = NULL;
  g_autoptr(Session) b = NULL;
  g_autoptr(Session) c = NULL;

  /* The last line is not ended yet: it was not handed on, so the mark stops before it. */
  write_file (fixture->path, "ERROR one\nWARN two\nINFO three\nc");
  a = run_session (fixture->path, 100, NULL, FALSE, 3);
  assert_lines (a, first, first_replayed);
  g_assert_nonnull (a->mark);

  /* Written while nobody watched: new, the line left open before included */
  append (fixture->path, "d\nERROR four\n");
  b = run_session (fixture->path, 100, a->mark, TRUE, 5);
  assert_lines (b, second, second_replayed);
  g_assert_nonnull (b->mark);
  g_assert_cmpstr (b->mark, !=, a->mark);

  append (fixture->path, "e\n");
  c = run_session (fixture->path, 100, b->mark, TRUE, 6);
  assert_lines (c, third, third_replayed);
}

static void
test_appended_after_mark (Fixture       *fixture,
                          gconstpointer  data)
{
  const char *expected[] = { "ERROR one", "WARN two", "ERROR three", "INFO four", NULL };
  const gboolean replayed[] = { TRUE, TRUE, FALSE, FALSE };
  g_autoptr(Session) a = NULL;
  g_autoptr(Session) b = NULL;

  write_file (fixture->path, "ERROR one\nWARN two\n");
  a = run_session (fixture->path, 100, NULL, FALSE, 2);
  append (fixture->path, "ERROR three\nINFO four\n");
  b = run_session (fixture->path, 100, a->mark, TRUE, 4);
  assert_lines (b, expected, replayed);
}

/* More lines came since than the backlog shows: none of those shown was read before. */
static void
test_mark_before_backlog (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(Session) a = NULL;
  g_autoptr(Session) b = NULL;

  write_file (fixture->path, "ERROR one\nWARN two\n");
  a = run_session (fixture->path, 100, NULL, FALSE, 2);
  append (fixture->path, "x1\nx2\nx3\n");
  b = run_session (fixture->path, 3, a->mark, TRUE, 3);
  for (guint i = 0; i < b->lines->len; i++)
    g_assert_false (((FwItem *) g_ptr_array_index (b->lines, i))->flags & FW_ITEM_FLAG_REPLAYED);

  /* and a mark in the middle of the backlog splits it exactly */
  {
    g_autoptr(Session) c = run_session (fixture->path, 2, b->mark, TRUE, 2);
    g_autoptr(Session) d = NULL;
    const char *expected[] = { "x1", "x2", "x3", "x4", NULL };
    const gboolean replayed[] = { TRUE, TRUE, TRUE, FALSE };

    append (fixture->path, "x4\n");
    d = run_session (fixture->path, 4, c->mark, TRUE, 4);
    assert_lines (d, expected, replayed);
  }
}

static void
assert_all_new (Session *session)
{
  for (guint i = 0; i < session->lines->len; i++)
    {
      FwItem *item = g_ptr_array_index (session->lines, i);

      if (item->flags & FW_ITEM_FLAG_REPLAYED)
        g_error ("line %u “%s” flagged as read before", i, item->text);
    }
}

/* Rotated: another file at the name, even with the same bytes, was never read. */
static void
test_rotated_file_is_new (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *old = g_strconcat (fixture->path, ".1", NULL);
  g_autoptr(Session) a = NULL;
  g_autoptr(Session) b = NULL;

  write_file (fixture->path, "ERROR one\nWARN two\n");
  a = run_session (fixture->path, 100, NULL, FALSE, 2);
  g_assert_cmpint (g_rename (fixture->path, old), ==, 0);
  write_file (fixture->path, "ERROR one\nWARN two\nERROR three\n");
  b = run_session (fixture->path, 100, a->mark, TRUE, 3);
  assert_all_new (b);
}

/* Truncated in place (copytruncate): shorter than the mark, all new */
static void
test_truncated_file_is_new (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(Session) a = NULL;
  g_autoptr(Session) b = NULL;
  FILE *f;

  write_file (fixture->path, "ERROR one\nWARN two\nINFO three\n");
  a = run_session (fixture->path, 100, NULL, FALSE, 3);
  f = fopen (fixture->path, "w"); /* truncates the same file, the inode stays */
  g_assert_nonnull (f);
  fputs ("ERROR x\n", f);
  g_assert_cmpint (fclose (f), ==, 0);
  b = run_session (fixture->path, 100, a->mark, TRUE, 1);
  assert_all_new (b);
}

/* Truncated and written again past the mark: the same inode and a size that fits, but other
 * bytes before the mark. */
static void
test_refilled_file_is_new (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(Session) a = NULL;
  g_autoptr(Session) b = NULL;
  FILE *f;

  write_file (fixture->path, "12:00:01 ERROR one\n12:00:02 WARN two\n");
  a = run_session (fixture->path, 100, NULL, FALSE, 2);
  f = fopen (fixture->path, "w");
  g_assert_nonnull (f);
  fputs ("13:00:01 ERROR one\n13:00:02 WARN two\n13:00:03 ERROR three\n", f);
  g_assert_cmpint (fclose (f), ==, 0);
  b = run_session (fixture->path, 100, a->mark, TRUE, 3);
  assert_all_new (b);
}

/* Anything that is not a mark this version made is ignored: every line is new. */
static void
test_malformed_mark_ignored (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(Session) a = NULL;
  g_autofree char *long_mark = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree char *other_version = NULL;
  g_autofree char *huge_hash = NULL;
  g_autofree char *negative = NULL;

  write_file (fixture->path, "ERROR one\nWARN two\n");
  a = run_session (fixture->path, 100, NULL, FALSE, 2);
  parts = g_strsplit (a->mark, ":", -1);
  g_assert_cmpuint (g_strv_length (parts), >, 1);
  other_version = g_strdup_printf ("9%s", a->mark);
  huge_hash = g_strconcat (a->mark, "999999999999", NULL);
  negative = g_strdup_printf ("%s:%s:%s:-%s:%s", parts[0], parts[1], parts[2], parts[3],
                              parts[4]);
  long_mark = g_strnfill (4096, '1');

  {
    const char *bad[] = {
      "", "garbage", ":::::", "1:2:3", "1:2:3:4:5:6", "1:a:b:c:d", "1: 2:3:4:5",
      "1:2:3:4:5\n", other_version, huge_hash, negative, long_mark,
      "1:18446744073709551616:1:1:1", "1:1:1:9223372036854775808:1",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(Session) b = run_session (fixture->path, 100, bad[i], FALSE, 2);

        assert_all_new (b);
        g_assert_nonnull (b->mark);
      }
  }

  /* Well formed but for another place: nothing matches, all new */
  {
    g_autofree char *beyond = g_strdup_printf ("%s:%s:%s:%s:%s", parts[0], parts[1], parts[2],
                                               "999999", parts[4]);
    g_autoptr(Session) b = run_session (fixture->path, 100, beyond, TRUE, 2);

    assert_all_new (b);
  }

  /* while the real one still works */
  {
    g_autoptr(Session) b = run_session (fixture->path, 100, a->mark, TRUE, 2);

    g_assert_true (((FwItem *) g_ptr_array_index (b->lines, 1))->flags & FW_ITEM_FLAG_REPLAYED);
  }
}

/* A source closed before it read anything keeps the mark it was given, so saving it then
 * loses nothing. */
static void
test_mark_kept_until_read (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(Session) a = NULL;
  g_autoptr(FwStream) stream = NULL;
  g_autofree char *mark = NULL;

  write_file (fixture->path, "ERROR one\n");
  a = run_session (fixture->path, 100, NULL, FALSE, 1);
  stream = fw_log_source_new ("f", fixture->path, 100, TRUE);
  g_assert_null (fw_log_source_dup_resume_mark (FW_LOG_SOURCE (stream)));
  g_assert_true (fw_log_source_set_resume_mark (FW_LOG_SOURCE (stream), a->mark));
  mark = fw_log_source_dup_resume_mark (FW_LOG_SOURCE (stream));
  g_assert_cmpstr (mark, ==, a->mark);
  g_assert_true (fw_test_close (stream, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add ("/log-resume/" name, Fixture, NULL, fixture_setup, func, \
                                    fixture_teardown)
  ADD ("flags-lines-before-mark", test_flags_lines_before_mark);
  ADD ("appended-after-mark", test_appended_after_mark);
  ADD ("mark-before-backlog", test_mark_before_backlog);
  ADD ("rotated-file-is-new", test_rotated_file_is_new);
  ADD ("truncated-file-is-new", test_truncated_file_is_new);
  ADD ("refilled-file-is-new", test_refilled_file_is_new);
  ADD ("malformed-mark-ignored", test_malformed_mark_ignored);
  ADD ("mark-kept-until-read", test_mark_kept_until_read);
#undef ADD

  return g_test_run ();
}
