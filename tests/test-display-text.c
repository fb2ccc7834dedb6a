/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-display-text.c: hostile text cannot act on the row that shows it */

#include "fw-test-util.h"

#include <string.h>

#include "../ui/fw-display-text.h"

static void
check (const char *input,
       gsize       len,
       const char *expected)
{
  g_autofree char *shown = fw_display_text (input, len);

  g_assert_cmpstr (shown, ==, expected);
  g_assert_true (g_utf8_validate (shown, -1, NULL));
}

static void
test_escapes_removed (void)
{
  check ("\033[1;31mERROR\033[0m disk full", strlen ("\033[1;31mERROR\033[0m disk full"),
         "ERROR disk full");
  check ("title\033]0;owned\007 done", strlen ("title\033]0;owned\007 done"), "title done");
  check ("a\033(Bb", 5, "ab");
  check ("cut\033[31", 8, "cut");
}

static void
test_controls_visible (void)
{
  static const char with_nul[] = "a\0b\a\x7f";

  check (with_nul, sizeof with_nul - 1, "a␀b␇␡");
  check ("one\ntwo\tthree\r", strlen ("one\ntwo\tthree\r"), "one two three ");
}

static void
test_disguises_visible (void)
{
  /* "invoice_RLO_fdp.exe" would read as "invoice_exe.pdf" */
  check ("invoice_\u202Efdp.exe", strlen ("invoice_\u202Efdp.exe"), "invoice_⟨U+202E⟩fdp.exe");
  check ("ad\u200Bmin", strlen ("ad\u200Bmin"), "ad⟨U+200B⟩min");
  check ("\u2067x\u2069", strlen ("\u2067x\u2069"), "⟨U+2067⟩x⟨U+2069⟩");
  check ("café 日本", strlen ("café 日本"), "café 日本");
  check ("<b>&amp;</b>", strlen ("<b>&amp;</b>"), "<b>&amp;</b>");
}

static void
test_bounded (void)
{
  g_autofree char *huge = g_strnfill (10 * 1024 * 1024, 'x');
  g_autofree char *shown = fw_display_text (huge, strlen (huge));

  g_assert_cmpuint (strlen (shown), ==, FW_DISPLAY_TEXT_MAX + strlen ("…"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/display-text/escapes-removed", test_escapes_removed);
  g_test_add_func ("/display-text/controls-visible", test_controls_visible);
  g_test_add_func ("/display-text/disguises-visible", test_disguises_visible);
  g_test_add_func ("/display-text/bounded", test_bounded);

  return g_test_run ();
}
