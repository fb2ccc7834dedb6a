/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-recording-cli.c: `feedwatch --record FILE FEED…`: the recording holds what --print
 * prints, line for line, and none of the feed's credentials (not in the header, the items or
 * the statuses); `feedwatch FILE.jsonl.zst` replays it; options refused with a reason. */

#include "fw-test-util.h"

#include <string.h>

#include <libsoup/soup.h>
#include <zstd.h>

#include "fw-test-secrets.h"
#include "fw-test-server.h"
#include "fw-recording-reader.h"

#define SECRET FW_TEST_SECRET


static char *
tmp_path (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fw-record-XXXXXX", &error);

  g_assert_no_error (error);
  return g_build_filename (dir, name, NULL);
}

static void
remove_tmp (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  fw_test_remove_tree (dir);
}

/* The file as bytes, and decompressed (skippable frames passed over, as zstdcat does) */
static void
assert_file_has_no_secret (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GString) plain = g_string_new (NULL);
  ZSTD_DStream *stream = ZSTD_createDStream ();
  ZSTD_inBuffer in;
  gsize len;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  g_assert_null (g_strstr_len (contents, len, SECRET));
  in.src = contents;
  in.size = len;
  in.pos = 0;
  while (in.pos < in.size)
    {
      char buf[65536];
      ZSTD_outBuffer out = { buf, sizeof buf, 0 };
      gsize ret = ZSTD_decompressStream (stream, &out, &in);

      g_assert_false (ZSTD_isError (ret));
      g_string_append_len (plain, buf, out.pos);
    }
  ZSTD_freeDStream (stream);
  g_assert_cmpuint (plain->len, >, 0);
  g_assert_null (strstr (plain->str, SECRET));
}

/* Every item's JSON line, read back from a recording */
static char *
recorded_lines (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwRecordingReader) reader = fw_recording_reader_open (path, &error);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_cmpint (fw_recording_reader_get_format (reader), ==, FW_RECORDING_INDEXED);
  g_assert_true (fw_recording_reader_read (reader, items, G_MAXUINT, &error));
  for (guint i = 0; i < items->len; i++)
    {
      fw_item_append_json (items->pdata[i], out);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

static void
test_secrets_never_recorded (FwSecretsFixture *fixture,
                             gconstpointer     data)
{
  g_autofree char *path = tmp_path ("secrets.jsonl.zst");
  g_autofree char *feed =
    g_strdup_printf ("sse:http://user:pass-" SECRET "@127.0.0.1:%u/events?token=q-" SECRET
                     "#header.Authorization=Bearer%%20" SECRET "-header", fixture->port);
  g_autofree char *refused =
    g_strdup_printf ("sse:http://127.0.0.1:%u/events?token=q-" SECRET
                     "#header.Authorization=Bearer%%20wrong-" SECRET, fixture->port);
  const char *args[] = { "--record", path, "--print", "--once", feed, refused, NULL };
  g_autofree char *lines = NULL;
  g_autoptr(FwRecordingReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  FwTestRun run = { 0 };

  fw_test_run_feedwatch (&run, args);
  /* The server got the credentials; the refused feed fails the run */
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (fixture->authorization, !=, NULL);
  fw_test_assert_no_secret (&run);

  assert_file_has_no_secret (path);
  /* What was recorded is what was printed: the events and the statuses */
  lines = recorded_lines (path);
  g_assert_cmpstr (lines, ==, run.out);
  g_assert_nonnull (strstr (lines, "\"text\":\"one\""));
  g_assert_nonnull (strstr (lines, "\"kind\":\"status\""));

  /* The header names both feeds, masked */
  reader = fw_recording_reader_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fw_recording_reader_get_n_feeds (reader), ==, 2);
  g_assert_nonnull (strstr (fw_recording_reader_get_feed (reader, 0, NULL, NULL), "/events"));
  fw_test_run_clear (&run);
  remove_tmp (path);
}

/* --record alone prints nothing; the bare path replays what it recorded, line for line */
static void
test_record_then_replay (void)
{
  g_autofree char *path = tmp_path ("seq.jsonl.zst");
  const char *record[] = { "--record", path, "--once", "cmd:seq 1 2000", NULL };
  const char *replay[] = { "--print", path, NULL };
  const char *summary[] = { "--summary", path, NULL };
  g_autofree char *lines = NULL;
  FwTestRun run = { 0 };

  fw_test_run_feedwatch (&run, record);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_cmpstr (run.err, ==, "");
  lines = recorded_lines (path);
  fw_test_run_clear (&run);
  memset (&run, 0, sizeof run);

  /* The recording holds what --print would print */
  g_assert_true (g_str_has_prefix (lines, "{\"feed\":\"cmd:seq 1 2000\""));
  g_assert_nonnull (strstr (lines, "\"text\":\"2000\""));

  fw_test_run_feedwatch (&run, replay);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, lines);
  fw_test_run_clear (&run);
  memset (&run, 0, sizeof run);

  fw_test_run_feedwatch (&run, summary);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\"summary\":{\"items\":2000,"));
  fw_test_run_clear (&run);
  remove_tmp (path);
}

static void
test_bad_options (void)
{
  static const struct { const char *args[6]; int status; const char *says; } cases[] = {
    { { "--record", "/nonexistent/folder/r.jsonl.zst", "cmd:true", NULL }, 2,
      "cannot create the recording" },
    { { "--record", "r.jsonl.zst", "--record-max-size", "lots", "cmd:true", NULL }, 2,
      "--record-max-size takes a size" },
    { { "--record-max-duration", "60", "--print", "cmd:true", NULL }, 2, "go with --record" },
    { { "--record", "r.jsonl.zst", NULL }, 2, "need at least one feed" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      FwTestRun run = { 0 };

      fw_test_run_feedwatch (&run, cases[i].args);
      g_assert_cmpint (run.status, ==, cases[i].status);
      g_assert_nonnull (strstr (run.err, cases[i].says));
      fw_test_run_clear (&run);
    }
  g_assert_false (g_file_test ("r.jsonl.zst", G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/record-cli/secrets-never-recorded", FwSecretsFixture, NULL,
              fw_secrets_fixture_set_up, test_secrets_never_recorded, fw_secrets_fixture_tear_down);
  g_test_add_func ("/record-cli/record-then-replay", test_record_then_replay);
  g_test_add_func ("/record-cli/bad-options", test_bad_options);

  return g_test_run ();
}
