/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-journal.c: `journal:` against journalctl, in one run.
 *
 * A journal of FW_BENCH_JOURNAL_ENTRIES entries (500,000 by default), written by
 * systemd-journal-remote from export-format entries shaped like a service's (a dozen fields;
 * it rotates its file as it grows, so the journal is a folder of a few files), is read to its
 * end: by the library (`journal:FOLDER?from=start` through for_each, every field kept as the
 * item's fields) and by `journalctl --directory FOLDER -o export > /dev/null`. Entries/s each.
 */

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "fw-streams.h"
#include "fw-journal-source.h"
#include "fw-bench-util.h"

#define JOURNAL_REMOTE "/lib/systemd/systemd-journal-remote"

static guint64
env_uint (const char *name,
          guint64     fallback)
{
  const char *value = g_getenv (name);

  return value != NULL && value[0] != '\0' ? g_ascii_strtoull (value, NULL, 10) : fallback;
}

static gboolean
generate_journal (const char *path,
                  guint64     entries)
{
  static const char *units[] = { "web", "db", "cache", "worker" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) writer = NULL;
  g_autoptr(GString) block = g_string_sized_new (4 * 1024 * 1024 + 4096);
  GOutputStream *in;

  writer = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                             G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                             JOURNAL_REMOTE, "-o", path, "-", NULL);
  if (writer == NULL)
    {
      g_printerr ("%s: %s\n", JOURNAL_REMOTE, error->message);
      return FALSE;
    }
  in = g_subprocess_get_stdin_pipe (writer);

  for (guint64 n = 0; n < entries; n++)
    {
      const char *unit = units[n % G_N_ELEMENTS (units)];

      g_string_append_printf (block,
                              "__REALTIME_TIMESTAMP=%" G_GUINT64_FORMAT "\n"
                              "__MONOTONIC_TIMESTAMP=%" G_GUINT64_FORMAT "\n"
                              "_BOOT_ID=0123456789abcdef0123456789abcdef\n"
                              "_MACHINE_ID=00112233445566778899aabbccddeeff\n"
                              "_HOSTNAME=bench-host\n"
                              "_TRANSPORT=stdout\n"
                              "_UID=1000\n_GID=1000\n"
                              "_PID=%u\n"
                              "_COMM=%s\n"
                              "_SYSTEMD_UNIT=%s.service\n"
                              "SYSLOG_IDENTIFIER=%s\n"
                              "PRIORITY=%u\n"
                              "MESSAGE=request %" G_GUINT64_FORMAT
                              " served /api/items/%u in %u ms\n"
                              "\n",
                              G_GUINT64_CONSTANT (1700000000000000) + n * 1000, 1000000 + n * 1000,
                              1000 + (guint) (n % 50), unit, unit, unit,
                              n % 20 == 0 ? 3 : 6, n, (guint) (n * 7919) % 100000,
                              (guint) n % 250);
      if (block->len > 4 * 1024 * 1024 || n + 1 == entries)
        {
          if (!g_output_stream_write_all (in, block->str, block->len, NULL, NULL, &error))
            {
              g_printerr ("writing to %s: %s\n", JOURNAL_REMOTE, error->message);
              return FALSE;
            }
          g_string_truncate (block, 0);
        }
    }

  g_output_stream_close (in, NULL, NULL);
  return g_subprocess_wait_check (writer, NULL, &error);
}

typedef struct
{
  guint64  items;
  guint64  errors;
  guint64  fields;
} Count;

static gboolean
on_item (FwItem   *item,
         gpointer  user_data)
{
  Count *count = user_data;

  count->items++;
  count->errors += item->level == FW_LEVEL_ERROR;
  count->fields += item->fields != NULL ? g_variant_n_children (item->fields) : 0;
  return TRUE;
}

static double
read_with_library (const char *dir,
                   Count      *count)
{
  g_autofree char *feed = g_strdup_printf ("journal:%s?from=start", dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = fw_feed_open (feed, FW_FEED_OPEN_ONCE, &error);

  g_assert_no_error (error);
  return fw_bench_drain (stream, 4096, on_item, count);
}

static double
read_with_journalctl (const char *dir)
{
  g_autofree char *command = g_strdup_printf ("journalctl --directory '%s' -o export "
                                              "> /dev/null", dir);
  const char *argv[] = { "/bin/sh", "-c", command, NULL };

  return fw_bench_spawn_timed (argv, NULL);
}

static void
remove_folder (const char *dir)
{
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  const char *name;

  while (folder != NULL && (name = g_dir_read_name (folder)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
row (const char *what,
     double      ours,
     const char *peer,
     double      theirs,
     const char *unit)
{
  printf ("| %-38s | %10.0f %-7s | %-44s | %10.0f %-7s | %6.2f× |\n", what, ours, unit, peer,
          theirs, unit, ours / theirs);
}

int
main (int   argc,
      char *argv[])
{
  guint64 entries = env_uint ("FW_BENCH_JOURNAL_ENTRIES", 500000);
  /* FW_BENCH_JOURNAL_DIR: a journal written before, kept (for profiling the read alone) */
  const char *kept = g_getenv ("FW_BENCH_JOURNAL_DIR");
  g_autofree char *dir = kept != NULL ? g_strdup (kept)
                                      : g_dir_make_tmp ("fw-bench-journal-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bench.journal", NULL);
  Count count = { 0 };
  double ours, theirs;

  if (!g_file_test (JOURNAL_REMOTE, G_FILE_TEST_IS_EXECUTABLE))
    {
      printf ("skipped: systemd-journal-remote is not installed (Debian package "
              "systemd-journal-remote)\n");
      return 0;
    }

  if (kept == NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      printf ("Writing a journal of %" G_GUINT64_FORMAT " entries…\n", entries);
      if (!generate_journal (path, entries))
        return 1;
    }

  /* Both read a file in the page cache: one read first warms it */
  read_with_journalctl (dir);
  theirs = read_with_journalctl (dir);
  ours = read_with_library (dir, &count);
  g_assert_cmpuint (count.items, ==, entries);

  printf ("\n%" G_GUINT64_FORMAT " entries (%" G_GUINT64_FORMAT " fields kept), "
          "%" G_GUINT64_FORMAT " at ERROR; one run each, file in the page cache\n\n",
          count.items, count.fields, count.errors);
  printf ("| %-38s | %18s | %-44s | %18s | %7s |\n", "Feedwatch", "figure", "peer", "peer figure",
          "ratio");
  printf ("|%s|%s|%s|%s|%s|\n", "----------------------------------------",
          "--------------------", "----------------------------------------------",
          "--------------------", "---------");
  if (theirs > 0)
    row ("journal: to the end (library)", count.items / ours,
         "journalctl --directory … -o export > /dev/null", entries / theirs, "entries/s");

  if (kept == NULL)
    remove_folder (dir);
  return 0;
}
