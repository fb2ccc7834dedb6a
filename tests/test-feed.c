/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-feed.c: feeds as the user writes them */

#include "fw-test-util.h"

#include <string.h>

static void
check_spec (const char *text,
            const char *kind,
            const char *target)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwFeedSpec) spec = fw_feed_spec_parse (text, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (spec->text, ==, text);
  g_assert_cmpstr (spec->kind, ==, kind);
  g_assert_cmpstr (spec->target, ==, target);
}

/* A command line and a file's name keep every '?' and '#', but for a last '#' followed by
 * options of their kind */
static void
test_trailing_options (void)
{
  struct { const char *text, *kind, *target, *key, *value; } cases[] = {
    { "cmd:make -k#restart=on-failure", "cmd", "make -k", "restart", "on-failure" },
    { "cmd:echo a#b#restart=always", "cmd", "echo a#b", "restart", "always" },
    { "cmd:echo a#b=c", "cmd", "echo a#b=c", NULL, NULL },
    { "cmd:echo #restart", "cmd", "echo #restart", NULL, NULL },
    { "cmd:echo x#restart=never&y=1", "cmd", "echo x#restart=never&y=1", NULL, NULL },
    { "/var/log/syslog#lines=20", "file", "/var/log/syslog", "lines", "20" },
    { "/tmp/a#b.log", "file", "/tmp/a#b.log", NULL, NULL },
    { "/tmp/a?lines=3", "file", "/tmp/a?lines=3", NULL, NULL },
    { "file:///var/log/a%20b.log#lines=5", "file", "/var/log/a b.log", "lines", "5" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FwFeedSpec) spec = fw_feed_spec_parse (cases[i].text, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (spec->kind, ==, cases[i].kind);
      g_assert_cmpstr (spec->target, ==, cases[i].target);
      g_assert_cmpuint (g_hash_table_size (spec->options), ==, cases[i].key != NULL ? 1 : 0);
      if (cases[i].key != NULL)
        g_assert_cmpstr (fw_feed_spec_get_option (spec, cases[i].key), ==, cases[i].value);
    }
}

/* A bad value of such an option is refused when the feed opens, naming the option */
static void
test_trailing_option_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = fw_feed_open ("cmd:true#restart=sometimes", FW_FEED_OPEN_NONE,
                                             &error);

  g_assert_null (stream);
  g_assert_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "restart"));
  g_assert_nonnull (strstr (error->message, "on-failure"));
}

static void
test_kinds (void)
{
  check_spec ("sim:sensor", "sim", "sensor");
  check_spec ("/var/log/syslog", "file", "/var/log/syslog");
  check_spec ("./app.log", "file", "./app.log");
  check_spec ("app.log", "file", "app.log");
  check_spec ("/tmp/what?#.log", "file", "/tmp/what?#.log");
  check_spec ("file:///var/log/a%20b.log", "file", "/var/log/a b.log");
  check_spec ("cmd:journalctl -f -o json?x#y", "cmd", "journalctl -f -o json?x#y");
  check_spec ("sse:http://127.0.0.1:8080/events?topic=a", "sse",
              "http://127.0.0.1:8080/events?topic=a");
  check_spec ("https://example.org/api?page=1", "https", "https://example.org/api?page=1");
  check_spec ("ws://localhost:9000/socket", "ws", "ws://localhost:9000/socket");
  check_spec ("cpu:", "cpu", "");
  check_spec ("SIM:sensor", "sim", "sensor");
}

static void
test_options (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwFeedSpec) sim = fw_feed_spec_parse ("sim:sensor?interval=200&jitter=5", &error);
  g_autoptr(FwFeedSpec) sse = NULL;
  g_autoptr(FwFeedSpec) bad = NULL;
  guint value = 0;

  g_assert_no_error (error);
  g_assert_cmpstr (fw_feed_spec_get_option (sim, "interval"), ==, "200");
  g_assert_true (fw_feed_spec_get_uint (sim, "jitter", 0, &value, &error));
  g_assert_cmpuint (value, ==, 5);
  g_assert_true (fw_feed_spec_get_uint (sim, "absent", 77, &value, &error));
  g_assert_cmpuint (value, ==, 77);

  /* a URL keeps its own query; the feed's options follow '#', percent-decoded */
  sse = fw_feed_spec_parse ("sse:https://h/x?a=1#retry=500&header.Authorization=Bearer%20t0k",
                            &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sse->target, ==, "https://h/x?a=1");
  g_assert_cmpstr (fw_feed_spec_get_option (sse, "retry"), ==, "500");
  g_assert_cmpstr (fw_feed_spec_get_option (sse, "header.Authorization"), ==, "Bearer t0k");
  g_assert_null (fw_feed_spec_get_option (sse, "a"));

  bad = fw_feed_spec_parse ("sim:sensor?interval=fast", &error);
  g_assert_no_error (error);
  g_assert_false (fw_feed_spec_get_uint (bad, "interval", 0, &value, &error));
  g_assert_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "interval"));
}

static void
test_invalid (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (fw_feed_spec_parse ("", &error));
  g_assert_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (fw_feed_spec_parse ("\xff\xfe", &error));
  g_assert_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (fw_feed_spec_parse ("sim:sensor?=3", &error));
  g_assert_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID);
}

/* A repeated option is refused by its name, not silently given its last value. */
static void
test_repeated_option (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwFeedSpec) distinct = NULL;

  g_assert_null (fw_feed_spec_parse ("sim:sensor?interval=1&interval=2", &error));
  g_assert_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "Feed “sim:sensor?interval=1&interval=2”: the option “interval” is given "
                   "more than once; give it once");
  g_clear_error (&error);

  /* Decoded keys are compared: an escaped spelling is the same option. */
  g_assert_null (fw_feed_spec_parse ("sim:sensor?interval=1&%69nterval=2", &error));
  g_assert_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID);
  g_clear_error (&error);

  /* A header holds one value here: several values join with a comma, which the error says. */
  g_assert_null (fw_feed_spec_parse ("sse:https://h/x#header.Accept=a&header.Accept=b",
                                     &error));
  g_assert_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“header.Accept” is given more than once"));
  g_assert_nonnull (strstr (error->message, "join a header's several values with a comma"));
  g_clear_error (&error);

  g_assert_null (fw_feed_open ("sim:sensor?interval=1&interval=2", FW_FEED_OPEN_ONCE, &error));
  g_assert_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID);
  g_clear_error (&error);

  distinct = fw_feed_spec_parse ("sse:https://h/x?a=1&a=2#header.Accept=a%2C%20b", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (distinct->target, ==, "https://h/x?a=1&a=2");
  g_assert_cmpstr (fw_feed_spec_get_option (distinct, "header.Accept"), ==, "a, b");
}

/* file://otherhost/… is another computer's file: refused in words, not read here */
static void
test_file_uri_host (void)
{
  g_autoptr(GError) error = NULL;

  check_spec ("file://localhost/var/log/syslog", "file", "/var/log/syslog");
  check_spec ("file://LOCALHOST/var/log/syslog", "file", "/var/log/syslog");
  check_spec ("file:/var/log/syslog", "file", "/var/log/syslog");

  g_assert_null (fw_feed_spec_parse ("file://otherhost/var/log/syslog", &error));
  g_assert_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "“file://otherhost/var/log/syslog” names the computer “otherhost”: Feedwatch "
                   "reads files on this computer only; write file:///path (three slashes), or for "
                   "another computer's log a command feed such as “cmd:ssh otherhost tail -F "
                   "/path”");
  g_clear_error (&error);

  g_assert_null (fw_feed_open ("file://10.0.0.7/etc/hostname", FW_FEED_OPEN_ONCE, &error));
  g_assert_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID);
}

static void
test_open (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) sim = fw_feed_open ("sim:sensor?interval=1", FW_FEED_OPEN_NONE, &error);
  FwStream *nonsense;

  g_assert_no_error (error);
  g_assert_true (FW_IS_STREAM (sim));
  g_assert_false (fw_stream_is_started (sim)); /* opened nothing yet */

  nonsense = fw_feed_open ("nonsense:x", FW_FEED_OPEN_ONCE, &error);
  g_assert_null (nonsense);
  g_assert_error (error, FW_FEED_ERROR, FW_FEED_ERROR_UNKNOWN_KIND);
  g_assert_nonnull (strstr (error->message, "nonsense:"));
  g_assert_nonnull (strstr (error->message, "sim:"));
  g_clear_error (&error);

  g_assert_null (fw_feed_open ("sim:volcano", FW_FEED_OPEN_NONE, &error));
  g_assert_error (error, FW_FEED_ERROR, FW_FEED_ERROR_UNKNOWN_KIND);
}

/* A spec is parsed once and shared: references, its kind's descriptor, its secrets found once,
 * and options read with the schema's defaults */
static void
test_spec_shared (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwFeedSpec) spec =
    fw_feed_spec_parse ("pages:https://u:pw1234@h/x?token=t0k999#header.Authorization="
                        "Bearer%20abcdef&insecure&page-size=5", &error);
  g_autoptr(FwFeedSpec) sim = fw_feed_spec_parse ("sim:sensor?count=3", &error);
  g_autoptr(FwFeedSpec) unknown = fw_feed_spec_parse ("futurekind:x", &error);
  g_autofree char *masked = NULL;
  FwFeedSpec *copy;
  guint value = 0;

  g_assert_no_error (error);
  copy = g_boxed_copy (FW_TYPE_FEED_SPEC, spec);
  g_assert_true (copy == spec);
  g_boxed_free (FW_TYPE_FEED_SPEC, copy);

  g_assert_cmpstr (fw_feed_spec_get_kind (spec), ==, "pages");
  g_assert_cmpstr (fw_feed_spec_get_target (spec), ==, "https://u:pw1234@h/x?token=t0k999");
  g_assert_cmpstr (fw_feed_spec_get_text (spec), ==, spec->text);
  g_assert_null (strstr (fw_feed_spec_get_text (spec), "abcdef"));
  g_assert_true (fw_feed_spec_get_kind_info (spec) == fw_feed_kind_lookup ("pages"));
  g_assert_null (fw_feed_spec_get_kind_info (unknown));

  masked = fw_feed_spec_mask_message (spec, "GET https://u:pw1234@h/x?token=t0k999 with Bearer "
                                            "abcdef failed");
  g_assert_null (strstr (masked, "pw1234"));
  g_assert_null (strstr (masked, "t0k999"));
  g_assert_null (strstr (masked, "abcdef"));
  g_assert_nonnull (strstr (masked, "failed"));

  /* set, or the schema's default, or nothing */
  g_assert_cmpstr (fw_feed_spec_get_string (spec, "page-size"), ==, "5");
  g_assert_cmpstr (fw_feed_spec_get_string (spec, "cursor-param"), ==, "cursor");
  g_assert_null (fw_feed_spec_get_string (spec, "cursor"));
  g_assert_true (fw_feed_spec_get_bool (spec, "insecure"));
  g_assert_false (fw_feed_spec_get_bool (sim, "insecure"));
  g_assert_true (fw_feed_spec_get_uint_or_default (spec, "max-pages", &value, &error));
  g_assert_cmpuint (value, ==, 100);
  g_assert_true (fw_feed_spec_get_uint_or_default (sim, "interval", &value, &error));
  g_assert_cmpuint (value, ==, 800);
  g_assert_true (fw_feed_spec_get_uint_or_default (sim, "count", &value, &error));
  g_assert_cmpuint (value, ==, 3);
  g_assert_no_error (error);
}

/* Opening a parsed spec checks it like fw_feed_open() and may be done again */
static void
test_open_spec (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwFeedSpec) spec = fw_feed_spec_parse ("sim:sensor?interval=5&count=1", &error);
  g_autoptr(FwFeedSpec) typo = fw_feed_spec_parse ("sim:sensor?intervall=5", &error);
  g_autoptr(FwStream) first = NULL;
  g_autoptr(FwStream) second = NULL;

  g_assert_no_error (error);
  first = fw_feed_open_spec (spec, FW_FEED_OPEN_NONE, &error);
  g_assert_no_error (error);
  second = fw_feed_open_spec (spec, FW_FEED_OPEN_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (first != second);
  g_assert_cmpstr (fw_stream_get_name (second), ==, "sim:sensor?interval=5&count=1");

  g_assert_null (fw_feed_open_spec (typo, FW_FEED_OPEN_NONE, &error));
  g_assert_error (error, FW_FEED_ERROR, FW_FEED_ERROR_UNKNOWN_OPTION);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/feed/kinds", test_kinds);
  g_test_add_func ("/feed/options", test_options);
  g_test_add_func ("/feed/invalid", test_invalid);
  g_test_add_func ("/feed/repeated-option", test_repeated_option);
  g_test_add_func ("/feed/open", test_open);
  g_test_add_func ("/feed/file-uri-host", test_file_uri_host);
  g_test_add_func ("/feed/spec-shared", test_spec_shared);
  g_test_add_func ("/feed/open-spec", test_open_spec);
  g_test_add_func ("/feed/trailing-options", test_trailing_options);
  g_test_add_func ("/feed/trailing-option-refused", test_trailing_option_refused);

  return g_test_run ();
}
