/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-line-splitter.c: bytes in, lines out: any split of the input gives the same lines */

#include "fw-test-util.h"

#include <string.h>

#include "fw-line-splitter.h"

typedef struct
{
  GPtrArray *lines;     /* "T:" prefix for truncated ones */
  gsize      max_seen;
} Collect;

static void
on_line (const char *line,
         gsize       len,
         gboolean    truncated,
         gpointer    user_data)
{
  Collect *c = user_data;

  g_assert_true (g_utf8_validate_len (line, len, NULL) || memchr (line, 0, len) != NULL);
  g_ptr_array_add (c->lines, g_strdup_printf ("%s%.*s", truncated ? "T:" : "", (int) len, line));
}

static GPtrArray *
split_in_chunks (const char *data,
                 gsize       len,
                 gsize       max_line,
                 GRand      *rand,
                 gsize       chunk)
{
  g_autoptr(FwLineSplitter) splitter = fw_line_splitter_new (max_line);
  Collect c = { g_ptr_array_new_with_free_func (g_free), 0 };
  gsize pos = 0;

  while (pos < len)
    {
      gsize n = chunk != 0 ? chunk : (gsize) g_rand_int_range (rand, 1, 40);

      n = MIN (n, len - pos);
      fw_line_splitter_feed (splitter, data + pos, n, on_line, &c);
      g_assert_cmpuint (fw_line_splitter_get_pending (splitter), <=, max_line + 1);
      pos += n;
    }
  fw_line_splitter_finish (splitter, on_line, &c);

  return c.lines;
}

static void
assert_lines (GPtrArray          *lines,
              const char * const *expected)
{
  guint n = g_strv_length ((char **) expected);

  for (guint i = 0; i < MIN (n, lines->len); i++)
    g_assert_cmpstr (g_ptr_array_index (lines, i), ==, expected[i]);
  g_assert_cmpuint (lines->len, ==, n);
}

static void
test_basic (void)
{
  const char *input = "one\ntwo\r\n\nthree\rstill three\nlast";
  const char *expected[] = { "one", "two", "", "three\rstill three", "last", NULL };

  for (gsize chunk = 1; chunk <= strlen (input); chunk++)
    {
      g_autoptr(GPtrArray) lines = split_in_chunks (input, strlen (input), 64, NULL, chunk);
      assert_lines (lines, expected);
    }
}

static void
test_crlf_across_blocks (void)
{
  g_autoptr(FwLineSplitter) splitter = fw_line_splitter_new (64);
  Collect c = { g_ptr_array_new_with_free_func (g_free), 0 };
  const char *expected[] = { "abc", "def", NULL };

  fw_line_splitter_feed (splitter, "abc\r", 4, on_line, &c);
  g_assert_cmpuint (c.lines->len, ==, 0);
  fw_line_splitter_feed (splitter, "\ndef\r", 5, on_line, &c);
  fw_line_splitter_feed (splitter, "\n", 1, on_line, &c);
  assert_lines (c.lines, expected);
  g_ptr_array_unref (c.lines);
}

static void
test_cap (void)
{
  /* 8-byte cap: exactly 8 is whole; 9 is cut; 8 + CR is whole (the CR is not content). */
  const char *input = "12345678\n123456789\n12345678\r\n123456789abcdef\nok\n";
  const char *expected[] = { "12345678", "T:12345678", "12345678", "T:12345678", "ok", NULL };

  for (gsize chunk = 1; chunk <= strlen (input); chunk++)
    {
      g_autoptr(GPtrArray) lines = split_in_chunks (input, strlen (input), 8, NULL, chunk);
      assert_lines (lines, expected);
    }
}

static void
test_cap_on_character_boundary (void)
{
  /* "ééééé" is 10 bytes; a 5-byte cap must not leave half an "é" behind. */
  const char *input = "ééééé\n";
  const char *expected[] = { "T:éé", NULL };
  g_autoptr(GPtrArray) lines = split_in_chunks (input, strlen (input), 5, NULL, 3);

  assert_lines (lines, expected);
}

static void
test_huge_line_bounded (void)
{
  gsize big = 10 * 1024 * 1024;
  g_autofree char *block = g_malloc (64 * 1024);
  g_autoptr(FwLineSplitter) splitter = fw_line_splitter_new (FW_LINE_SPLITTER_DEFAULT_MAX);
  Collect c = { g_ptr_array_new_with_free_func (g_free), 0 };

  memset (block, 'x', 64 * 1024);
  for (gsize done = 0; done < big; done += 64 * 1024)
    {
      fw_line_splitter_feed (splitter, block, 64 * 1024, on_line, &c);
      g_assert_cmpuint (fw_line_splitter_get_pending (splitter), <=,
                        FW_LINE_SPLITTER_DEFAULT_MAX + 1);
    }
  /* handed out as soon as it is known to be too long, not when the line ends */
  g_assert_cmpuint (c.lines->len, ==, 1);
  fw_line_splitter_feed (splitter, "\nnext\n", 6, on_line, &c);
  g_assert_cmpuint (c.lines->len, ==, 2);
  g_assert_cmpuint (strlen (g_ptr_array_index (c.lines, 0)), ==, 2 + FW_LINE_SPLITTER_DEFAULT_MAX);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (c.lines, 0), "T:xxx"));
  g_assert_cmpstr (g_ptr_array_index (c.lines, 1), ==, "next");
  g_ptr_array_unref (c.lines);
}

static void
test_invalid_utf8 (void)
{
  const char input[] = "ok \xff\xfe end\nhalf \xc3\nlatin1 caf\xe9\n\xe2\x82\xac fine\n";
  const char *expected[] = { "ok \xEF\xBF\xBD\xEF\xBF\xBD end", "half \xEF\xBF\xBD",
                             "latin1 caf\xEF\xBF\xBD", "\xe2\x82\xac fine", NULL };

  for (gsize chunk = 1; chunk < sizeof input; chunk++)
    {
      g_autoptr(GPtrArray) lines = split_in_chunks (input, sizeof input - 1, 64, NULL, chunk);
      assert_lines (lines, expected);
    }
}

/* The reference: the whole input at once, the plain way. */
static GPtrArray *
reference_split (const char *data,
                 gsize       len,
                 gsize       max_line)
{
  g_autoptr(FwLineSplitter) splitter = fw_line_splitter_new (max_line);
  Collect c = { g_ptr_array_new_with_free_func (g_free), 0 };

  fw_line_splitter_feed (splitter, data, len, on_line, &c);
  fw_line_splitter_finish (splitter, on_line, &c);
  return c.lines;
}

static void
test_random_splits_agree (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  static const char alphabet[] = "ab\n\r\xc3\xa9\xff\n";

  for (guint round = 0; round < 300; round++)
    {
      gsize len = g_rand_int_range (rand, 0, 400);
      g_autofree char *data = g_malloc (len + 1);
      gsize max_line = g_rand_int_range (rand, 1, 20);
      g_autoptr(GPtrArray) whole = NULL;
      g_autoptr(GPtrArray) pieces = NULL;

      for (gsize i = 0; i < len; i++)
        data[i] = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];

      whole = reference_split (data, len, max_line);
      pieces = split_in_chunks (data, len, max_line, rand, 0);
      g_assert_cmpuint (whole->len, ==, pieces->len);
      for (guint i = 0; i < whole->len; i++)
        g_assert_cmpstr (g_ptr_array_index (whole, i), ==, g_ptr_array_index (pieces, i));
      /* one output line per LF, plus the unterminated tail if any */
      {
        guint lfs = 0;
        for (gsize i = 0; i < len; i++)
          lfs += data[i] == '\n';
        g_assert_cmpuint (whole->len, ==, lfs + (len > 0 && data[len - 1] != '\n' ? 1 : 0));
      }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/line-splitter/basic", test_basic);
  g_test_add_func ("/line-splitter/crlf-across-blocks", test_crlf_across_blocks);
  g_test_add_func ("/line-splitter/cap", test_cap);
  g_test_add_func ("/line-splitter/cap-on-character-boundary", test_cap_on_character_boundary);
  g_test_add_func ("/line-splitter/huge-line-bounded", test_huge_line_bounded);
  g_test_add_func ("/line-splitter/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/line-splitter/random-splits-agree", test_random_splits_agree);

  return g_test_run ();
}
