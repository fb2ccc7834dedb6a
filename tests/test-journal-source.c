/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-journal-source.c: `journal:` on journal files that systemd-journal-remote writes from
 * export-format entries the test makes: fields, levels and times; matches; following entries
 * appended while the feed reads; resuming after a cursor with no gap and no duplicate; errors
 * in words. */

#include "fw-test-util.h"

#include <glib/gstdio.h>
#include <string.h>

#include "fw-feed-kind.h"
#include "fw-journal-source.h"

#define JOURNAL_REMOTE "/lib/systemd/systemd-journal-remote"
#define BOOT_A "0123456789abcdef0123456789abcdef"
#define BOOT_B "fedcba9876543210fedcba9876543210"
#define T0 G_GINT64_CONSTANT (1700000000000000)

typedef struct
{
  char *dir;
  char *file;
  guint n_written;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("fw-journal-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->file = g_build_filename (fixture->dir, "test.journal", NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  fw_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->file);
}

static gboolean
have_journal_remote (void)
{
  if (g_file_test (JOURNAL_REMOTE, G_FILE_TEST_IS_EXECUTABLE))
    return TRUE;
  g_test_skip ("systemd-journal-remote is not installed (Debian package systemd-journal-remote)");
  return FALSE;
}

/* Appends entries in the export format (one "FIELD=value" a line, a blank line after each) to
 * the fixture's journal file, through systemd-journal-remote as a journal's writer would. */
static void
append_export_len (Fixture    *fixture,
                   const char *export,
                   gsize       len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                               G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) writer = NULL;
  g_autoptr(GBytes) input = g_bytes_new (export, len);

  writer = g_subprocess_launcher_spawn (launcher, &error, JOURNAL_REMOTE, "-o", fixture->file, "-",
                                        NULL);
  g_assert_no_error (error);
  g_subprocess_communicate (writer, input, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (writer));
}

static void
append_export (Fixture    *fixture,
               const char *export)
{
  append_export_len (fixture, export, strlen (export));
}

/* One entry: message number @n of @identifier, at T0 + n seconds */
static void
add_entry (GString    *out,
           guint       n,
           const char *boot,
           const char *identifier,
           guint       priority,
           const char *extra)
{
  g_string_append_printf (out,
                          "__REALTIME_TIMESTAMP=%" G_GINT64_FORMAT "\n"
                          "__MONOTONIC_TIMESTAMP=%u\n"
                          "_BOOT_ID=%s\n"
                          "MESSAGE=message %u\n"
                          "PRIORITY=%u\n"
                          "SYSLOG_IDENTIFIER=%s\n"
                          "_SYSTEMD_UNIT=%s.service\n"
                          "%s\n",
                          T0 + (gint64) n * G_USEC_PER_SEC, 1000 + n, boot, n, priority,
                          identifier, identifier, extra != NULL ? extra : "");
}

/* Writes entries @from to @to - 1 of app (priority 6) */
static void
append_entries (Fixture *fixture,
                guint    from,
                guint    to)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint n = from; n < to; n++)
    add_entry (out, n, BOOT_A, "app", 6, NULL);
  append_export (fixture, out->str);
}

static FwStream *
open_feed (const char *format,
           ...) G_GNUC_PRINTF (1, 2);

static FwStream *
open_feed_flags (FwFeedOpenFlags flags,
                 const char     *text)
{
  g_autoptr(GError) error = NULL;
  FwStream *stream = fw_feed_open (text, flags, &error);

  g_assert_no_error (error);
  g_assert_true (FW_IS_JOURNAL_SOURCE (stream));
  return stream;
}

static FwStream *
open_feed (const char *format,
           ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  return open_feed_flags (FW_FEED_OPEN_ONCE, text);
}

/* Reads a --once feed to its end: the entries' messages, joined by ',' */
static char *
read_messages (FwStream   *stream,
               GPtrArray **out_items)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = fw_test_collect (stream, &error);
  g_autoptr(GString) text = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < items->len; i++)
    {
      FwItem *item = g_ptr_array_index (items, i);

      g_assert_cmpint (item->kind, ==, FW_ITEM_LINE);
      if (text->len > 0)
        g_string_append_c (text, ',');
      g_string_append_len (text, item->text, item->text_len);
    }
  if (out_items != NULL)
    *out_items = g_ptr_array_ref (items);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_fields (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *messages = NULL;
  g_autoptr(GString) json = g_string_new (NULL);
  const char *value = NULL;
  FwItem *item;

  if (!have_journal_remote ())
    return;

  add_entry (out, 1, BOOT_A, "app", 3, "CUSTOM_FIELD=a value\n");
  add_entry (out, 2, BOOT_A, "app", 4, NULL);
  add_entry (out, 3, BOOT_A, "other", 7, NULL);
  append_export (fixture, out->str);

  stream = open_feed ("journal:%s?from=start", fixture->dir);
  messages = read_messages (stream, &items);
  g_assert_cmpstr (messages, ==, "message 1,message 2,message 3");

  item = g_ptr_array_index (items, 0);
  g_assert_cmpint (item->level, ==, FW_LEVEL_ERROR);
  g_assert_cmpint (item->source_time_us, ==, T0 + G_USEC_PER_SEC);
  g_assert_cmpstr (item->name, ==, "app");
  g_assert_nonnull (item->fields);
  g_assert_true (g_variant_lookup (item->fields, "CUSTOM_FIELD", "&s", &value));
  g_assert_cmpstr (value, ==, "a value");
  g_assert_true (g_variant_lookup (item->fields, "_SYSTEMD_UNIT", "&s", &value));
  g_assert_cmpstr (value, ==, "app.service");
  g_assert_true (g_variant_lookup (item->fields, "_BOOT_ID", "&s", &value));
  g_assert_cmpstr (value, ==, BOOT_A);
  /* The message is the text, not kept twice */
  g_assert_false (g_variant_lookup (item->fields, "MESSAGE", "&s", &value));

  /* --print shows the fields and the source's time */
  fw_item_append_json (item, json);
  g_assert_nonnull (strstr (json->str, "\"CUSTOM_FIELD\":\"a value\""));
  g_assert_nonnull (strstr (json->str, "2023-11-14T22:13:21"));

  item = g_ptr_array_index (items, 1);
  g_assert_cmpint (item->level, ==, FW_LEVEL_WARNING);
  item = g_ptr_array_index (items, 2);
  g_assert_cmpint (item->level, ==, FW_LEVEL_DEBUG);
  g_assert_cmpstr (item->name, ==, "other");
}

/* The fields are written in GVariant's serialized form by hand: it must be valid (normal
 * form) and what a GVariantBuilder makes, whatever the sizes (1, 2 and 4 byte offsets) */
static void
test_fields_form (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) long_extra = g_string_new (NULL);
  g_autoptr(GString) binary_extra = g_string_new (NULL);
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *messages = NULL;
  static const char binary[] = { 'a', '\0', 'b', '\xff', 'c' };
  guint64 binary_len = GUINT64_TO_LE (sizeof binary);

  if (!have_journal_remote ())
    return;

  /* Many long fields: entries over 64 KiB */
  for (guint i = 0; i < 30; i++)
    {
      g_string_append_printf (long_extra, "LONG_%u=", i);
      for (guint j = 0; j < 300 + i * 200; j++)
        g_string_append_c (long_extra, 'a' + (i + j) % 26);
      g_string_append_c (long_extra, '\n');
    }
  /* A binary field (export format: name, newline, 64-bit length, data): a NUL and bad UTF-8 */
  g_string_append (binary_extra, "BINARY\n");
  g_string_append_len (binary_extra, (const char *) &binary_len, sizeof binary_len);
  g_string_append_len (binary_extra, binary, sizeof binary);
  g_string_append_c (binary_extra, '\n');

  add_entry (out, 1, BOOT_A, "app", 6, NULL);
  add_entry (out, 2, BOOT_A, "app", 6, "X=1\n");
  add_entry (out, 3, BOOT_A, "app", 6, long_extra->str);
  add_entry (out, 4, BOOT_A, "app", 6, NULL);
  /* The binary field goes in before the entry's blank line */
  g_string_truncate (out, out->len - 1);
  g_string_append_len (out, binary_extra->str, binary_extra->len);
  g_string_append_c (out, '\n');
  append_export_len (fixture, out->str, out->len);

  stream = open_feed ("journal:%s?from=start", fixture->dir);
  messages = read_messages (stream, &items);
  g_assert_cmpstr (messages, ==, "message 1,message 2,message 3,message 4");

  for (guint i = 0; i < items->len; i++)
    {
      FwItem *item = g_ptr_array_index (items, i);
      g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
      g_autoptr(GVariant) built = NULL;
      GVariantIter iter;
      const char *key;
      GVariant *value;

      g_assert_true (g_variant_is_normal_form (item->fields));
      g_variant_iter_init (&iter, item->fields);
      while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
        g_variant_builder_add (&builder, "{sv}", key, value);
      built = g_variant_ref_sink (g_variant_builder_end (&builder));
      /* Equal, and serialized the same byte for byte */
      g_assert_true (g_variant_equal (built, item->fields));
      g_assert_cmpmem (g_variant_get_data (built), g_variant_get_size (built),
                       g_variant_get_data (item->fields), g_variant_get_size (item->fields));
    }

  {
    FwItem *item = g_ptr_array_index (items, 2);
    const char *value = NULL;

    g_assert_cmpuint (g_variant_get_size (item->fields), >, G_MAXUINT16);
    g_assert_true (g_variant_lookup (item->fields, "LONG_29", "&s", &value));
    g_assert_cmpuint (strlen (value), ==, 4096);   /* capped */
    g_assert_true (g_variant_lookup (item->fields, "LONG_0", "&s", &value));
    g_assert_cmpuint (strlen (value), ==, 300);
  }
  {
    FwItem *item = g_ptr_array_index (items, 3);
    const char *value = NULL;

    g_assert_true (g_variant_lookup (item->fields, "BINARY", "&s", &value));
    g_assert_true (g_utf8_validate (value, -1, NULL));
    g_assert_true (g_str_has_prefix (value, "a"));
  }
}

static void
test_matches (Fixture       *fixture,
              gconstpointer  data)
{
  static const struct
  {
    const char *options;
    const char *expected;
  } cases[] = {
    { "from=start", "message 1,message 2,message 3,message 4,message 5" },
    { "from=start&unit=app", "message 1,message 2" },
    { "from=start&unit=web.service", "message 3,message 5" },
    { "from=start&identifier=db", "message 4" },
    { "from=start&priority=warning", "message 1,message 3" },
    { "from=start&priority=3", "message 1" },
    { "from=start&boot=" BOOT_B, "message 5" },
    { "from=start&CUSTOM_FIELD=x", "message 2,message 4" },
    { "from=start&unit=web&priority=4", "message 3" },
    { "from=start&unit=app&CUSTOM_FIELD=x", "message 2" },
    { "lines=2", "message 4,message 5" },
    { "lines=2&priority=5", "message 3,message 5" },
  };
  g_autoptr(GString) out = g_string_new (NULL);

  if (!have_journal_remote ())
    return;

  add_entry (out, 1, BOOT_A, "app", 3, NULL);
  add_entry (out, 2, BOOT_A, "app", 6, "CUSTOM_FIELD=x\n");
  add_entry (out, 3, BOOT_A, "web", 4, NULL);
  add_entry (out, 4, BOOT_A, "db", 7, "CUSTOM_FIELD=x\n");
  add_entry (out, 5, BOOT_B, "web", 5, NULL);
  append_export (fixture, out->str);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(FwStream) stream = open_feed ("journal:%s?%s", fixture->file,
                                              cases[i].options);
      g_autofree char *messages = read_messages (stream, NULL);

      g_test_message ("options %s", cases[i].options);
      g_assert_cmpstr (messages, ==, cases[i].expected);
    }
}

static void
test_bad_options (void)
{
  static const struct
  {
    const char *feed;
    const char *words;
  } cases[] = {
    { "journal:?priority=loud", "priority must be a level from 0 (emerg) to 7 (debug)" },
    { "journal:?boot=yesterday", "boot must be “current” or a boot ID" },
    { "journal:?Unit=sshd", "unknown option “Unit”" },
    { "journal:?from=middle", "from must be end or start" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    fw_test_assert_feed_refused (cases[i].feed, cases[i].words);
}

static void
test_missing_folder (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (fixture->dir, "nowhere", NULL);
  g_autoptr(FwStream) stream = open_feed ("journal:%s", missing);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = fw_test_collect (stream, &error);

  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "Cannot open the journal at"));
  g_assert_nonnull (strstr (error->message, "check that the folder holds journal files"));
}

static gboolean
folder_has_journal_files (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_str_has_suffix (name, ".journal") ||
          (g_file_test (child, G_FILE_TEST_IS_DIR) && folder_has_journal_files (child)))
        return TRUE;
    }
  return FALSE;
}

/* A machine with no journal (a container): a status says so in words, not silence */
static void
test_no_journal (void)
{
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  FwItem *status;

  if (folder_has_journal_files ("/var/log/journal") ||
      folder_has_journal_files ("/run/log/journal"))
    {
      g_test_skip ("this machine has a journal");
      return;
    }

  stream = open_feed ("journal:");
  items = fw_test_collect (stream, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 1);
  status = g_ptr_array_index (items, 0);
  g_assert_cmpint (status->kind, ==, FW_ITEM_STATUS);
  g_assert_cmpint (fw_item_get_feed_state (status), ==, FW_FEED_STATE_WAITING);
  g_assert_nonnull (strstr (status->text, "This machine has no journal to read"));
}

/* What a pump reads */
typedef struct
{
  GPtrArray *items;    /* FwItem *, the entries */
  GPtrArray *statuses; /* FwItem * */
} Reader;

static void
reader_take_batch (GPtrArray *batch,
                   gpointer   user_data)
{
  Reader *reader = user_data;

  for (guint i = 0; i < batch->len; i++)
    {
      FwItem *item = g_ptr_array_index (batch, i);

      g_ptr_array_add (item->kind == FW_ITEM_STATUS ? reader->statuses : reader->items,
                       fw_item_ref (item));
    }
}

typedef struct
{
  Reader *reader;
  guint   expected;
} Wait;

static gboolean
has_items (gpointer user_data)
{
  Wait *wait = user_data;

  return wait->reader->items->len >= wait->expected;
}

static void
wait_for_items (Reader *reader,
                guint   expected)
{
  Wait wait = { reader, expected };

  fw_test_wait_until (has_items, &wait, "journal entries");
}

static void
assert_numbers (GPtrArray *items,
                guint      first,
                guint      n)
{
  g_assert_cmpuint (items->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      FwItem *item = g_ptr_array_index (items, i);
      g_autofree char *expected = g_strdup_printf ("message %u", first + i);

      g_assert_cmpstr (item->text, ==, expected);
    }
}

static void
test_follow (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *text = NULL;
  FwStream *stream;
  Reader reader;
  FwTestPump *pump;

  if (!have_journal_remote ())
    return;

  append_entries (fixture, 0, 20);

  text = g_strdup_printf ("journal:%s?lines=5", fixture->dir);
  stream = open_feed_flags (FW_FEED_OPEN_NONE, text);
  reader.items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  reader.statuses = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  pump = fw_test_pump_new (stream, reader_take_batch, &reader);

  /* The last 5, then what is appended while the feed follows, each once and in order */
  wait_for_items (&reader, 5);
  append_entries (fixture, 20, 23);
  wait_for_items (&reader, 8);
  append_entries (fixture, 23, 523);
  wait_for_items (&reader, 508);
  fw_test_iterate_idle ();
  assert_numbers (reader.items, 15, 508);
  g_assert_cmpuint (reader.statuses->len, ==, 0);
  g_assert_false (pump->ended);

  fw_test_pump_free (pump);
  g_ptr_array_unref (reader.items);
  g_ptr_array_unref (reader.statuses);
}

static void
test_resume (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(FwStream) first = NULL;
  g_autoptr(FwStream) second = NULL;
  g_autoptr(FwStream) third = NULL;
  g_autoptr(FwStream) fourth = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *messages = NULL;
  g_autofree char *mark = NULL;
  g_autofree char *cursor = NULL;

  if (!have_journal_remote ())
    return;

  append_entries (fixture, 0, 10);
  first = open_feed ("journal:%s?from=start", fixture->dir);
  g_assert_null (fw_journal_source_dup_resume_mark (FW_JOURNAL_SOURCE (first)));
  g_clear_pointer (&messages, g_free);
  messages = read_messages (first, NULL);
  mark = fw_journal_source_dup_resume_mark (FW_JOURNAL_SOURCE (first));
  g_assert_nonnull (mark);

  /* Away while 5 more were written: they all come, after the last 2 read before, flagged */
  append_entries (fixture, 10, 15);
  second = open_feed ("journal:%s?lines=2", fixture->dir);
  g_assert_false (fw_journal_source_set_resume_mark (FW_JOURNAL_SOURCE (second), "nonsense"));
  g_assert_true (fw_journal_source_set_resume_mark (FW_JOURNAL_SOURCE (second), mark));
  g_clear_pointer (&messages, g_free);
  messages = read_messages (second, &items);
  g_assert_cmpstr (messages, ==,
                   "message 8,message 9,message 10,message 11,message 12,message 13,message 14");
  for (guint i = 0; i < items->len; i++)
    {
      FwItem *item = g_ptr_array_index (items, i);

      g_assert_cmpint (!!(item->flags & FW_ITEM_FLAG_REPLAYED), ==, i < 2);
    }

  /* The mark moved on with what was handed on */
  g_clear_pointer (&mark, g_free);
  mark = fw_journal_source_dup_resume_mark (FW_JOURNAL_SOURCE (second));
  append_entries (fixture, 15, 17);
  third = open_feed ("journal:%s?lines=0", fixture->dir);
  g_assert_true (fw_journal_source_set_resume_mark (FW_JOURNAL_SOURCE (third), mark));
  g_clear_pointer (&messages, g_free);
  messages = read_messages (third, NULL);
  g_assert_cmpstr (messages, ==, "message 15,message 16");

  /* The window keeps the mark through its feed runner (saved with the feeds) */
  {
    g_autofree char *text = g_strdup_printf ("journal:%s?lines=0", fixture->dir);
    g_autoptr(FwFeedRunner) runner = fw_feed_runner_new (text, NULL);
    g_autofree char *kept = NULL;

    g_assert_nonnull (runner);
    g_assert_false (fw_feed_runner_set_resume_mark (runner, "not a cursor"));
    g_assert_true (fw_feed_runner_set_resume_mark (runner, mark));
    kept = fw_feed_runner_dup_resume_mark (runner);
    g_assert_cmpstr (kept, ==, mark);
  }

  /* cursor= for scripts: the same, from the option */
  cursor = g_uri_escape_string (mark, NULL, FALSE);
  fourth = open_feed ("journal:%s?lines=0&cursor=%s", fixture->dir, cursor);
  g_clear_pointer (&messages, g_free);
  messages = read_messages (fourth, NULL);
  g_assert_cmpstr (messages, ==, "message 15,message 16");
}

/* A first launch adds the journal only where the system's journal can be read */
static void
test_readable (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *etc = g_build_filename (fixture->dir, "etc", NULL);
  g_autofree char *id = g_build_filename (etc, "machine-id", NULL);
  g_autofree char *folder = g_build_filename (fixture->dir, "var", "log", "journal",
                                              "00112233445566778899aabbccddeeff", NULL);
  g_autofree char *system = g_build_filename (folder, "system.journal", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (fw_journal_source_is_readable (fixture->dir));
  g_assert_cmpint (g_mkdir_with_parents (etc, 0700), ==, 0);
  g_file_set_contents (id, "00112233445566778899aabbccddeeff\n", -1, &error);
  g_assert_no_error (error);
  g_assert_false (fw_journal_source_is_readable (fixture->dir));
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_file_set_contents (system, "", -1, &error);
  g_assert_no_error (error);
  g_assert_true (fw_journal_source_is_readable (fixture->dir));
}

static void
test_kind (void)
{
  const FwFeedKind *kind = fw_feed_kind_lookup ("journal");
  g_autofree char *options = NULL;

  g_assert_nonnull (kind);
  options = fw_feed_kind_list_options (kind);
  g_assert_nonnull (strstr (options, "unit"));
  g_assert_nonnull (strstr (options, "any FIELD in capitals"));
  g_assert_nonnull (fw_feed_kind_find_option (kind, "_SYSTEMD_UNIT"));
  g_assert_null (fw_feed_kind_find_option (kind, "_systemd_unit"));
  g_assert_null (fw_feed_kind_find_option (kind, "9LIVES"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/journal/fields", Fixture, NULL, fixture_setup, test_fields, fixture_teardown);
  g_test_add ("/journal/fields-form", Fixture, NULL, fixture_setup, test_fields_form,
              fixture_teardown);
  g_test_add ("/journal/matches", Fixture, NULL, fixture_setup, test_matches, fixture_teardown);
  g_test_add_func ("/journal/bad-options", test_bad_options);
  g_test_add ("/journal/missing-folder", Fixture, NULL, fixture_setup, test_missing_folder,
              fixture_teardown);
  g_test_add ("/journal/follow", Fixture, NULL, fixture_setup, test_follow, fixture_teardown);
  g_test_add ("/journal/resume", Fixture, NULL, fixture_setup, test_resume, fixture_teardown);
  g_test_add ("/journal/readable", Fixture, NULL, fixture_setup, test_readable,
              fixture_teardown);
  g_test_add_func ("/journal/kind", test_kind);
  g_test_add_func ("/journal/no-journal", test_no_journal);

  return g_test_run ();
}
