/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sse-corpus.c: replays the SSE fuzzer's seed corpus (tests/fuzz/corpus/sse/) through the
 * fuzz target's own checks, so every build runs them, with or without libFuzzer. */

#include <glib.h>

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

static void
test_sse_corpus_replay (void)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", "sse", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, &error);
  const char *name;
  guint n = 0;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autofree char *contents = NULL;
      gsize len;

      g_file_get_contents (path, &contents, &len, &error);
      g_assert_no_error (error);
      LLVMFuzzerTestOneInput ((const guint8 *) contents, len);
      n++;
    }

  /* An empty or missing corpus would make this test pass for nothing. */
  g_assert_cmpuint (n, >=, 10);
  g_test_message ("%u corpus files replayed", n);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sse-corpus/replay", test_sse_corpus_replay);

  return g_test_run ();
}
