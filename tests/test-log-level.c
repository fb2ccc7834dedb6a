/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-log-level.c: the level of a log line, from the places logs put it */

#include "fw-test-util.h"

#include <string.h>

#include "fw-log-level.h"

static void
test_levels (void)
{
  static const struct { const char *line; FwLevel level; } cases[] = {
    /* upper-case words near the start */
    { "2024-05-01 12:00:00 ERROR disk full", FW_LEVEL_ERROR },
    { "2024-05-01T12:00:00.123Z  WARN  pool exhausted", FW_LEVEL_WARNING },
    { "2024-05-01 12:00:00,123 WARNING root: low memory", FW_LEVEL_WARNING },
    { "INFO: server started", FW_LEVEL_INFO },
    { "12:00:01 DEBUG cache miss", FW_LEVEL_DEBUG },
    { "12:00:01 TRACE enter", FW_LEVEL_TRACE },
    { "FATAL: cannot continue", FW_LEVEL_CRITICAL },
    { "May  1 12:00:00 host app[12]: CRITICAL temperature", FW_LEVEL_CRITICAL },
    { "host sshd[1]: ERR something", FW_LEVEL_ERROR },
    { "[ERROR] x", FW_LEVEL_ERROR },
    { "ERROR:root:disk full", FW_LEVEL_ERROR },                  /* Python's basicConfig */
    { "[12:00:00] [Server thread/INFO]: Done", FW_LEVEL_INFO },  /* log4j's %t/%level */
    { "[2024-05-01 12:00:00] app.ERROR: boom", FW_LEVEL_ERROR }, /* Monolog */
    { "[Sun May 01 12:00:00.123456 2024] [core:error] [pid 1] AH00037: x", FW_LEVEL_ERROR },
    /* other case when marked */
    { "[2024-05-01 12:00:00] [error] [client 1.2.3.4] File does not exist", FW_LEVEL_ERROR },
    { "time=2024-05-01 level=warn msg=slow", FW_LEVEL_WARNING },
    { "Error: connection refused", FW_LEVEL_ERROR },
    { "<info> started", FW_LEVEL_INFO },
    /* syslog priorities */
    { "<3>kernel: oops", FW_LEVEL_ERROR },
    { "<4>usb 1-1: reset", FW_LEVEL_WARNING },
    { "<6>eth0: link up", FW_LEVEL_INFO },
    { "<7>debugging", FW_LEVEL_DEBUG },
    { "<0>panic", FW_LEVEL_CRITICAL },
    { "<30>systemd[1]: Started", FW_LEVEL_INFO },       /* daemon.info: 3*8+6 */
    { "<11>app: failed", FW_LEVEL_ERROR },              /* user.err: 8+3 */
    { "<13>user.notice", FW_LEVEL_NOTICE },
    /* JSON lines */
    { "{\"time\":\"x\",\"level\":\"error\",\"msg\":\"boom\"}", FW_LEVEL_ERROR },
    { "{\"severity\": \"WARNING\", \"message\": \"disk\"}", FW_LEVEL_WARNING },
    { "{\"level\":30,\"msg\":\"pino info\"}", FW_LEVEL_INFO },
    { "{\"level\":50,\"msg\":\"pino error\"}", FW_LEVEL_ERROR },
    { "{\"log.level\":\"debug\",\"message\":\"ecs\"}", FW_LEVEL_DEBUG },
    { "{\"msg\":\"level\",\"lvl\":\"info\"}", FW_LEVEL_INFO },
    { "  {\"levelname\": \"CRITICAL\"}", FW_LEVEL_CRITICAL },
    /* no level */
    { "just a line", FW_LEVEL_NONE },
    { "the request had no error at all", FW_LEVEL_NONE },
    { "INFORMATIONAL", FW_LEVEL_NONE },
    { "ERRORS counted: 3", FW_LEVEL_NONE },
    { "", FW_LEVEL_NONE },
    { "<999>not a priority", FW_LEVEL_NONE },
    { "{\"msg\":\"no level here\"}", FW_LEVEL_NONE },
    /* a level word inside a token is part of a name: dpkg.log's packages, identifiers */
    { "2025-06-24 14:37:44 status installed shared-mime-info:amd64 2.2-1", FW_LEVEL_NONE },
    { "2025-06-24 14:37:44 trigproc shared-mime-info:amd64 2.2-1 <none>", FW_LEVEL_NONE },
    { "2026-09-22 04:38:10 install libc6-dbg:amd64 <none> 2.36-9+deb12u14", FW_LEVEL_NONE },
    { "2026-09-22 04:38:15 configure libc6-dbg:amd64 2.36-9+deb12u14 <none>", FW_LEVEL_NONE },
    { "2026-09-22 04:38:15 status half-configured libgpg-error-dev:amd64 1.46-1",
      FW_LEVEL_NONE },
    { "2026-09-22 04:38:15 status unpacked distro-info-data:all 0.58+deb12u6", FW_LEVEL_NONE },
    { "2026-09-22 04:38:15 status installed info:amd64 6.8-6+b1", FW_LEVEL_NONE },
    { "2026-09-22 04:38:15 upgrade debug:amd64 1 2", FW_LEVEL_NONE },
    { "rc=FOO_ERROR retrying", FW_LEVEL_NONE },
    { "ERROR_CODE=5", FW_LEVEL_NONE },
    { "WARN2 is a unit", FW_LEVEL_NONE },
    { "see /var/log/nginx/error: gone", FW_LEVEL_NONE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      FwLevel level = fw_log_level_detect (cases[i].line, strlen (cases[i].line));

      if (level != cases[i].level)
        g_error ("“%s”: expected %s, got %s", cases[i].line,
                 fw_level_to_string (cases[i].level) ?: "none",
                 fw_level_to_string (level) ?: "none");
    }
}

static void
test_only_near_the_start (void)
{
  g_autofree char *padding = g_strnfill (FW_LOG_LEVEL_SCAN_BYTES, '.');
  g_autofree char *late = g_strconcat (padding, " ERROR", NULL);
  g_autofree char *early = g_strconcat ("ERROR ", padding, NULL);

  g_assert_cmpint (fw_log_level_detect (late, strlen (late)), ==, FW_LEVEL_NONE);
  g_assert_cmpint (fw_log_level_detect (early, strlen (early)), ==, FW_LEVEL_ERROR);
}

static void
test_not_nul_terminated (void)
{
  /* The splitter hands lines in place: the byte after the line belongs to the next one. */
  const char block[] = "<3>x\nINFO y";

  g_assert_cmpint (fw_log_level_detect (block, 2), ==, FW_LEVEL_NONE);
  g_assert_cmpint (fw_log_level_detect (block, 4), ==, FW_LEVEL_ERROR);
  g_assert_cmpint (fw_log_level_detect (block + 5, 3), ==, FW_LEVEL_NONE);
  g_assert_cmpint (fw_log_level_detect (block + 5, 4), ==, FW_LEVEL_INFO);

  /* A JSON level number ending the line ends there, whatever digits follow (fuzz-log-lines
   * found strtod() reading on: 799 would be critical, 7 is debug). */
  g_assert_cmpint (fw_log_level_detect ("{\"level\":799", 10), ==, FW_LEVEL_DEBUG);
}

/* The scan reads eight bytes at a time: every word must be found, and found whole, wherever it
 * falls against those eight-byte steps, and a word's letters never run into their neighbours. */
static void
test_every_alignment (void)
{
  static const struct { const char *word; FwLevel level; } words[] = {
    { "ERROR", FW_LEVEL_ERROR }, { "WARN", FW_LEVEL_WARNING }, { "[info]", FW_LEVEL_INFO },
    { "CRITICAL", FW_LEVEL_CRITICAL }, { "INFORMATION", FW_LEVEL_INFO },
    { "EMERGENCY", FW_LEVEL_CRITICAL }, { "level=debug", FW_LEVEL_DEBUG },
    { "Warning:", FW_LEVEL_WARNING }, { "ERRORS", FW_LEVEL_NONE }, { "XERROR", FW_LEVEL_NONE },
    { "CRITICALS", FW_LEVEL_NONE }, { "error", FW_LEVEL_NONE }, { "CRITICAl", FW_LEVEL_NONE },
    { "ERRor", FW_LEVEL_NONE }, { "\xC3\xA9" "ERROR", FW_LEVEL_ERROR },
    { "ERROR\xC3\xA9", FW_LEVEL_ERROR }, { "\xC3\x89RROR", FW_LEVEL_NONE },
    { "T02 Z web-3 app[1]: TRACE", FW_LEVEL_TRACE },
    { "shared-mime-info:amd64", FW_LEVEL_NONE }, { "libc6-dbg:amd64", FW_LEVEL_NONE },
    { "info:amd64", FW_LEVEL_NONE }, { "FOO_ERROR", FW_LEVEL_NONE },
    { "ERROR_X", FW_LEVEL_NONE }, { "x/INFO", FW_LEVEL_INFO }, { "Error:", FW_LEVEL_ERROR },
  };

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    for (guint shift = 0; shift <= 24; shift++)
      for (guint tail = 0; tail <= 9; tail++)
        {
          g_autofree char *head = g_strnfill (shift, '7');
          g_autofree char *rest = g_strnfill (tail, '-');
          g_autofree char *line = g_strconcat (head, shift > 0 ? " " : "", words[i].word, rest, NULL);
          FwLevel level = fw_log_level_detect (line, strlen (line));

          if (level != words[i].level)
            g_error ("“%s”: expected %s, got %s", line,
                     fw_level_to_string (words[i].level) ?: "none",
                     fw_level_to_string (level) ?: "none");
        }
}

/* The fast scan (bit masks of letters and capitals) and the plain one, a word at a time, give
 * the same level on every line: random lines built from level words in every case, other
 * words, marks, digits, spaces and multibyte characters, around the 96 scanned bytes, and
 * cut at every length. */
static void
test_fast_scan_agrees (void)
{
  static const char *pieces[] = {
    "ERROR", "error", "Error", "ERRor", "WARN", "warn", "Warning", "INFO", "info", "DEBUG",
    "TRACE", "CRITICAL", "crit", "FATAL", "notice", "EMERGENCY", "INFORMATION", "ERRORS",
    "XERROR", "T", "Z", "web", "app", "request", "served", "in", "ms", "AB", "ABCDEFGHIJKL",
    "[", "]", "<", ">", "(", "=", "\"", "|", ":", " ", " ", " ", "-", ".", "0123", "2026-12-05",
    "\xC3\xA9", "\xC3\x89", "\xFF", "\t", "_", "@", "{", "}",
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  guint64 levels_seen = 0;

  for (guint i = 0; i < 20000; i++)
    {
      g_autoptr(GString) line = g_string_new (NULL);
      guint target = (guint) g_rand_int_range (rand, 1, 140);

      while (line->len < target)
        g_string_append (line, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);
      for (gsize len = line->len > 8 ? line->len - 8 : 0; len <= line->len; len++)
        {
          /* An exact-size copy: a read past the end would be caught by the sanitizers */
          g_autofree char *copy = g_memdup2 (line->str, MAX (len, 1));
          FwLevel fast = fw_log_level_detect (copy, len);
          FwLevel plain = fw_log_level_detect_reference (copy, len);

          if (fast != plain)
            g_error ("“%.*s”: fast scan %s, plain scan %s", (int) len, line->str,
                     fw_level_to_string (fast) ?: "none", fw_level_to_string (plain) ?: "none");
          levels_seen |= G_GUINT64_CONSTANT (1) << fast;
        }
    }
  /* the lines did name levels, and not only one */
  g_assert_cmpuint (__builtin_popcountll (levels_seen), >=, 5);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/log-level/levels", test_levels);
  g_test_add_func ("/log-level/only-near-the-start", test_only_near_the_start);
  g_test_add_func ("/log-level/not-nul-terminated", test_not_nul_terminated);
  g_test_add_func ("/log-level/every-alignment", test_every_alignment);
  g_test_add_func ("/log-level/fast-scan-agrees", test_fast_scan_agrees);

  return g_test_run ();
}
