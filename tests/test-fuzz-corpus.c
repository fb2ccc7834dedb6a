/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-fuzz-corpus.c: replays each fuzzer's corpus (tests/fuzz/corpus/NAME/) through its
 * target's entry point and so through its checks (tests/fuzz/fuzz-NAME.c, built here with the
 * entry renamed fw_fuzz_NAME), in every build, with or without libFuzzer. A check that fails
 * aborts the test, naming the file. */

#include <glib.h>

#include <string.h>

typedef int (*FuzzEntry) (const guint8 *data,
                          size_t        size);

int fw_fuzz_sse_parser     (const guint8 *data, size_t size);
int fw_fuzz_ndjson         (const guint8 *data, size_t size);
int fw_fuzz_metrics_parser (const guint8 *data, size_t size);
int fw_fuzz_log_lines      (const guint8 *data, size_t size);
int fw_fuzz_feed_spec      (const guint8 *data, size_t size);
int fw_fuzz_websocket_frame (const guint8 *data, size_t size);

typedef struct
{
  const char *name;
  FuzzEntry   entry;
} Target;

static const Target targets[] = {
  { "sse-parser", fw_fuzz_sse_parser },
  { "ndjson", fw_fuzz_ndjson },
  { "metrics-parser", fw_fuzz_metrics_parser },
  { "log-lines", fw_fuzz_log_lines },
  { "feed-spec", fw_fuzz_feed_spec },
  { "websocket-frame", fw_fuzz_websocket_frame },
};

static void
test_replay (gconstpointer data)
{
  const Target *target = data;
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", target->name,
                                                     NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, &error);
  const char *name;
  guint n = 0;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autofree char *contents = NULL;
      g_autofree guint8 *exact = NULL;
      gsize len;

      g_file_get_contents (path, &contents, &len, &error);
      g_assert_no_error (error);
      /* Exactly the file's bytes, as libFuzzer gives them: a read past the end is caught. */
      exact = g_malloc (MAX (len, 1));
      memcpy (exact, contents, len);
      g_test_message ("%s", name);
      g_assert_cmpint (target->entry (exact, len), ==, 0);
      n++;
    }

  /* An empty or missing corpus would make this test pass for nothing. */
  g_assert_cmpuint (n, >=, 8);
  g_test_message ("%u %s corpus files replayed", n, target->name);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      g_autofree char *path = g_strconcat ("/fuzz-corpus/", targets[i].name, NULL);
      g_test_add_data_func (path, &targets[i], test_replay);
    }

  return g_test_run ();
}
