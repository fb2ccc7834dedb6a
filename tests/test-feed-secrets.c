/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-feed-secrets.c: the credentials in a feed are found, masked wherever the feed is shown,
 * and split off for the keyring and filled back exactly */

#include "fw-test-util.h"

#include <string.h>

#define MASK FW_FEED_SECRET_MASK
/* Any value holding "%00" stands in for a secret kept elsewhere: the core knows no store's. */
#define STAND_IN "%00kept%00"

/* field, value, field, value, …, NULL: exactly the secrets @text must be found to hold */
static void
check_secrets (const char *text,
               ...)
{
  g_autoptr(GHashTable) found = fw_feed_spec_find_secrets (text);
  guint expected = 0;
  const char *field;
  va_list args;

  va_start (args, text);
  while ((field = va_arg (args, const char *)) != NULL)
    {
      const char *value = va_arg (args, const char *);

      g_assert_cmpstr (g_hash_table_lookup (found, field), ==, value);
      expected++;
    }
  va_end (args);

  g_assert_cmpuint (g_hash_table_size (found), ==, expected);
}

static void
test_find (void)
{
  check_secrets ("sse:https://h/events#header.Authorization=Bearer%20abc",
                 "header.Authorization", "Bearer%20abc", NULL);
  check_secrets ("https://alice:s3cret@h/x?token=t0k&page=2#retry=5",
                 "user", "alice", "password", "s3cret", "query.token", "t0k", NULL);
  /* a lone user in a URL is often a token */
  check_secrets ("https://ghp_abc123@api.example.org/events", "user", "ghp_abc123", NULL);
  /* names are matched case-insensitively; "keyword" and "Accept" are not credentials; a
   * header value may hold '=' */
  check_secrets ("ndjson:https://h/s?API_KEY=K1&keyword=x&Client_Secret=cs"
                 "#header.x-api-key=K2&header.Accept=json&header.Cookie=c=1&retry=5",
                 "query.API_KEY", "K1", "query.Client_Secret", "cs",
                 "header.x-api-key", "K2", "header.Cookie", "c=1", NULL);
  check_secrets ("ws://h/sock?access_token=abc&sig=s1", "query.access_token", "abc",
                 "query.sig", "s1", NULL);
  check_secrets ("metrics:http://h/m#header.Proxy-Authorization=Basic%20dTpw"
                 "&header.X-Auth-Token=xat", "header.Proxy-Authorization", "Basic%20dTpw",
                 "header.X-Auth-Token", "xat", NULL);
  /* a name given twice keeps both values */
  check_secrets ("https://h/?key=a1&key=b2", "query.key", "a1", "query.key~2", "b2", NULL);
  /* options of feeds that are not URLs */
  check_secrets ("sim:sensor?interval=5&password=pw", "option.password", "pw", NULL);

  /* nothing to hide */
  check_secrets ("https://h/x?token=", NULL);
  check_secrets ("sim:sensor?interval=200", NULL);
  check_secrets ("/var/log/app.log?token=abc", NULL);
  check_secrets ("cmd:curl -H 'Authorization: Bearer abc' https://u:p@h/?token=x", NULL);
  check_secrets ("sse:http://127.0.0.1:8080/events?topic=a#retry=500&header.Accept=x", NULL);
  check_secrets ("cpu:", NULL);
}

static void
test_redact (void)
{
  static const struct { const char *text, *redacted; } cases[] = {
    { "sse:https://h/events#header.Authorization=Bearer%20abc",
      "sse:https://h/events#header.Authorization=" MASK },
    { "https://alice:s3cret@h/x?token=t0k&page=2#retry=5",
      "https://" MASK ":" MASK "@h/x?token=" MASK "&page=2#retry=5" },
    { "ws://h/sock?a=1&Access_Token=abc", "ws://h/sock?a=1&Access_Token=" MASK },
    { "ndjson:https://h/s#header.Cookie=c=1&header.Accept=json",
      "ndjson:https://h/s#header.Cookie=" MASK "&header.Accept=json" },
  };
  static const char * const unchanged[] = {
    "sim:sensor?interval=200", "/tmp/what?#.log", "cmd:echo token=abc", "https://h/?page=1",
    "file:///var/log/a%20b.log", "hwmon:",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *redacted = fw_feed_spec_redact (cases[i].text);
      g_autofree char *again = fw_feed_spec_redact (redacted);
      g_autoptr(GError) error = NULL;
      g_autoptr(FwFeedSpec) spec = fw_feed_spec_parse (cases[i].text, &error);

      g_assert_cmpstr (redacted, ==, cases[i].redacted);
      g_assert_cmpstr (again, ==, redacted); /* redacting is idempotent */
      /* The parsed feed's identity is the redacted one; what it connects with is real. */
      g_assert_no_error (error);
      g_assert_cmpstr (spec->text, ==, redacted);
    }

  for (guint i = 0; i < G_N_ELEMENTS (unchanged); i++)
    {
      g_autofree char *redacted = fw_feed_spec_redact (unchanged[i]);
      g_assert_cmpstr (redacted, ==, unchanged[i]);
    }
}

static void
test_parse_keeps_real_values (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwFeedSpec) spec =
    fw_feed_spec_parse ("sse:https://u:pw1@h/x?token=t0k#header.Authorization=Bearer%20abc",
                        &error);

  g_assert_no_error (error);
  g_assert_cmpstr (spec->target, ==, "https://u:pw1@h/x?token=t0k");
  g_assert_cmpstr (fw_feed_spec_get_option (spec, "header.Authorization"), ==, "Bearer abc");
  g_assert_null (strstr (spec->text, "abc"));
  g_assert_null (strstr (spec->text, "pw1"));
  g_assert_null (strstr (spec->text, "t0k"));
}

static void
test_mask (void)
{
  const char *text = "sse:https://bob:p%40ss%3Aw%2Frd@h/x?api_key=K%2B1z"
                     "#header.Authorization=Bearer%20abcdef";
  static const struct { const char *message, *masked; } cases[] = {
    /* as written, decoded, re-encoded */
    { "GET https://bob:p%40ss%3Aw%2Frd@h/x failed",
      "GET https://" MASK ":" MASK "@h/x failed" },
    { "login p@ss:w/rd refused", "login " MASK " refused" },
    { "key K+1z / K%2B1z", "key " MASK " / " MASK },
    { "header Bearer abcdef / Bearer%20abcdef / abcdef", "header " MASK " / " MASK " / " MASK },
    { "nothing secret here: HTTP 401", "nothing secret here: HTTP 401" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *masked = fw_feed_spec_mask (text, cases[i].message);
      g_assert_cmpstr (masked, ==, cases[i].masked);
    }

  /* A feed without secrets changes no message. */
  {
    g_autofree char *masked = fw_feed_spec_mask ("sim:sensor", "sensor failed: p@ss");
    g_assert_cmpstr (masked, ==, "sensor failed: p@ss");
  }
  g_assert_null (fw_feed_spec_mask (text, NULL));
}

static void
test_split_fill (void)
{
  static const char * const texts[] = {
    "sse:https://h/events#header.Authorization=Bearer%20abc&retry=500",
    "https://alice:s3cret@h/x?token=t0k&page=2&token=second#header.X-Api-Key=k%26y",
    "ws://ghp_abc@h/sock",
    "sim:sensor?interval=5", /* none: stored as is */
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GHashTable) secrets = NULL;
      g_autoptr(GHashTable) again = NULL;
      g_autoptr(GHashTable) found = fw_feed_spec_find_secrets (texts[i]);
      g_autofree char *stored = fw_feed_spec_split_secrets (texts[i], STAND_IN, &secrets);
      g_autofree char *restored = NULL;
      g_autofree char *stored_again = NULL;
      g_autofree char *redacted = fw_feed_spec_redact (texts[i]);
      g_autofree char *stored_redacted = fw_feed_spec_redact (stored);
      g_autoptr(GError) error = NULL;
      GHashTableIter iter;
      gpointer value;

      g_assert_cmpuint (g_hash_table_size (secrets), ==, g_hash_table_size (found));
      g_assert_cmpint (fw_feed_spec_has_placeholders (stored), ==,
                       g_hash_table_size (secrets) > 0);
      g_assert_false (fw_feed_spec_has_placeholders (texts[i]));
      /* no secret value is left in the stored form */
      g_hash_table_iter_init (&iter, secrets);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        g_assert_null (strstr (stored, value));

      restored = fw_feed_spec_fill_secrets (stored, secrets, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (restored, ==, texts[i]);

      /* the stored form is the same feed, and splitting it again changes nothing */
      g_assert_cmpstr (stored_redacted, ==, redacted);
      stored_again = fw_feed_spec_split_secrets (stored, STAND_IN, &again);
      g_assert_cmpstr (stored_again, ==, stored);
      g_assert_cmpuint (g_hash_table_size (again), ==, 0);
    }
}

static void
test_unmask (void)
{
  const char *original = "sse:https://h/x?token=t0k#header.Authorization=Bearer%20abc";
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *changed = NULL;
  char *wrong;

  /* A mask left in place, as shown or percent-encoded by an editor, keeps its secret. */
  kept = fw_feed_spec_unmask ("sse:https://h/x?token=" MASK "#header.Authorization=" MASK
                              "&retry=5", original, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kept, ==, "sse:https://h/x?token=t0k#header.Authorization=Bearer%20abc"
                   "&retry=5");
  encoded = fw_feed_spec_unmask ("sse:https://h/x?token=" MASK "#header.Authorization="
                                 "%E2%80%A2%E2%80%A2%E2%80%A2", original, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (encoded, ==, original);
  /* A secret typed anew is the new one. */
  changed = fw_feed_spec_unmask ("sse:https://h/x?token=" MASK "#header.Authorization=new",
                                 original, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (changed, ==, "sse:https://h/x?token=t0k#header.Authorization=new");
  /* A mask where there was no secret is an error, not a header sent as "•••". */
  wrong = fw_feed_spec_unmask ("sse:https://h/x?token=" MASK "#header.X-Api-Key=" MASK,
                               original, &error);
  g_assert_null (wrong);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_stored_form (void)
{
  const char *text = "sse:https://h/events?token=t0k#header.Authorization=Bearer%20abc";
  g_autoptr(GHashTable) secrets = NULL;
  g_autoptr(GHashTable) partial = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *stored = fw_feed_spec_split_secrets (text, STAND_IN, &secrets);
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = NULL;
  char *filled;

  g_assert_cmpstr (stored, ==, "sse:https://h/events?token=" STAND_IN
                   "#header.Authorization=" STAND_IN);

  /* A missing value is an error, not a placeholder left in. */
  g_hash_table_insert (partial, (char *) "query.token", (char *) "t0k");
  filled = fw_feed_spec_fill_secrets (stored, partial, &error);
  g_assert_null (filled);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "header.Authorization"));
  g_clear_error (&error);

  /* A feed with placeholders never opens, whichever way it comes. */
  stream = fw_feed_open (stored, FW_FEED_OPEN_NONE, &error);
  g_assert_null (stream);
  g_assert_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "keyring"));
  g_assert_null (strstr (error->message, STAND_IN));
}

static void
test_open_errors_masked (void)
{
  static const char * const bad[] = {
    /* the option is not valid (it decodes to bytes that are not UTF-8) */
    "sse:https://h/x#header.Authorization=Bearer%20abcdef%FF",
    /* a bad number next to a secret */
    "sse:https://h/x?token=abcdef#retry=soon",
    /* a header that cannot be sent */
    "ndjson:https://h/x#header.X-Api-Key=abcdef%0A",
    /* a URL the source rejects */
    "metrics:ftp://u:abcdef@h/x",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FwStream) stream = fw_feed_open (bad[i], FW_FEED_OPEN_NONE, &error);

      g_assert_null (stream);
      g_assert_nonnull (error);
      g_test_message ("%s → %s", bad[i], error->message);
      g_assert_null (strstr (error->message, "abcdef"));
    }
}

static void
test_runner (void)
{
  const char *text = "sse:http://127.0.0.1:9/x#header.Authorization=Bearer%20abcdef";
  g_autoptr(GHashTable) secrets = NULL;
  g_autofree char *stored = fw_feed_spec_split_secrets (text, STAND_IN, &secrets);
  g_autofree char *redacted = fw_feed_spec_redact (text);
  g_autoptr(FwFeedRunner) runner = NULL;
  g_autoptr(FwFeedRunner) pending = NULL;
  g_autoptr(GError) error = NULL;

  runner = fw_feed_runner_new (text, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fw_feed_runner_get_spec (runner), ==, redacted);
  g_assert_cmpstr (fw_feed_runner_get_spec_with_secrets (runner), ==, text);
  g_assert_null (strstr (fw_feed_runner_get_title (runner), "abcdef"));
  /* reasons are masked before anyone sees them */
  fw_feed_runner_fail (runner, "401 for Bearer abcdef");
  g_assert_cmpint (fw_feed_runner_get_state (runner), ==, FW_FEED_STATE_FAILED);
  g_assert_cmpstr (fw_feed_runner_get_state_text (runner), ==, "401 for " MASK);

  /* A feed read back from the settings waits for its secrets, under its own name … */
  pending = fw_feed_runner_new_pending (stored, "reading the keyring");
  g_assert_cmpstr (fw_feed_runner_get_spec (pending), ==, redacted);
  g_assert_cmpstr (fw_feed_runner_get_title (pending), ==, fw_feed_runner_get_title (runner));
  g_assert_cmpstr (fw_feed_runner_get_kind (pending), ==, "sse");
  g_assert_cmpint (fw_feed_runner_get_state (pending), ==, FW_FEED_STATE_WAITING);
  g_assert_cmpstr (fw_feed_runner_get_state_text (pending), ==, "reading the keyring");
  g_assert_null (fw_feed_runner_get_stream (pending));
  fw_feed_runner_start (pending, NULL);
  g_assert_cmpint (fw_feed_runner_get_state (pending), ==, FW_FEED_STATE_WAITING);
  /* … cannot be restarted with its placeholders … */
  g_assert_false (fw_feed_runner_restart (pending, &error));
  g_assert_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID);
  g_clear_error (&error);
  /* … and opens once they are filled in. */
  {
    g_autofree char *filled = fw_feed_spec_fill_secrets (stored, secrets, &error);

    g_assert_no_error (error);
    g_assert_true (fw_feed_runner_reopen (pending, filled, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpstr (fw_feed_runner_get_spec_with_secrets (pending), ==, text);
  g_assert_nonnull (fw_feed_runner_get_stream (pending));
  g_assert_cmpint (fw_feed_runner_get_state (pending), ==, FW_FEED_STATE_CONNECTING);
  fw_feed_runner_stop (pending);
  fw_feed_runner_stop (runner);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/feed-secrets/find", test_find);
  g_test_add_func ("/feed-secrets/redact", test_redact);
  g_test_add_func ("/feed-secrets/parse-keeps-real-values", test_parse_keeps_real_values);
  g_test_add_func ("/feed-secrets/mask", test_mask);
  g_test_add_func ("/feed-secrets/split-fill", test_split_fill);
  g_test_add_func ("/feed-secrets/unmask", test_unmask);
  g_test_add_func ("/feed-secrets/stored-form", test_stored_form);
  g_test_add_func ("/feed-secrets/open-errors-masked", test_open_errors_masked);
  g_test_add_func ("/feed-secrets/runner", test_runner);

  return g_test_run ();
}
