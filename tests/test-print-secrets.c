/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-print-secrets.c: `feedwatch --print` with feeds that carry credentials: the server gets
 * the real ones, while stdout (items, statuses, summaries) and stderr (errors of every path:
 * a feed not understood, a refused connection, a server that says 401) never show them. */

#include "fw-test-util.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "fw-test-secrets.h"
#include "fw-test-server.h"

#define SECRET FW_TEST_SECRET

static void
test_connects_with_real_values (FwSecretsFixture *fixture,
                                gconstpointer     data)
{
  g_autofree char *feed =
    g_strdup_printf ("sse:http://127.0.0.1:%u/events?token=q-" SECRET
                     "#header.Authorization=Bearer%%20" SECRET "-header", fixture->port);
  g_autofree char *shown = fw_feed_spec_redact (feed);
  const char *args[] = { "--print", "--summary", "--once", feed, NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(GStrv) lines = NULL;
  guint n_events = 0;
  FwTestRun run = { 0 };

  fw_test_run_feedwatch (&run, args);
  g_assert_cmpint (run.status, ==, 0);

  /* The server got the credentials … */
  g_assert_cmpstr (fixture->authorization, ==, "Bearer " SECRET "-header");
  g_assert_cmpstr (fixture->token, ==, "q-" SECRET);
  /* … and the output names the feed without them, in every line. */
  fw_test_assert_no_secret (&run);
  lines = g_strsplit (run.out, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      JsonObject *object;

      json_parser_load_from_data (parser, lines[i], -1, NULL);
      object = json_node_get_object (json_parser_get_root (parser));
      g_assert_cmpstr (json_object_get_string_member (object, "feed"), ==, shown);
      if (g_strcmp0 (json_object_get_string_member_with_default (object, "kind", ""),
                     "event") == 0)
        n_events++;
    }
  g_assert_cmpuint (n_events, ==, 2);
  g_assert_nonnull (strstr (run.out, "\"summary\""));
  fw_test_run_clear (&run);
}

static void
test_server_refuses (FwSecretsFixture *fixture,
                     gconstpointer     data)
{
  g_autofree char *feed =
    g_strdup_printf ("sse:http://127.0.0.1:%u/events?token=q-" SECRET
                     "#header.Authorization=Bearer%%20wrong-" SECRET, fixture->port);
  const char *args[] = { "--print", "--once", feed, NULL };
  FwTestRun run = { 0 };

  fw_test_run_feedwatch (&run, args);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpuint (fixture->requests, ==, 1);
  g_assert_nonnull (strstr (run.err, "401"));
  g_assert_nonnull (strstr (run.err, FW_FEED_SECRET_MASK));
  fw_test_assert_no_secret (&run);
  fw_test_run_clear (&run);
}

static void
test_connection_refused (FwSecretsFixture *fixture,
                         gconstpointer     data)
{
  g_autofree char *dead = NULL;
  const char *args[] = { "--print", "--once", NULL, NULL };
  const char *follow[] = { "--print", "--duration", "1.5", NULL, NULL };
  FwTestRun run = { 0 };
  FwTestRun following = { 0 };

  /* A port nothing listens on any more */
  soup_server_disconnect (fixture->server);
  dead = g_strdup_printf ("sse:http://bob:pw-" SECRET "@127.0.0.1:%u/events?access_token=a-"
                          SECRET "#header.X-Api-Key=k-" SECRET, fixture->port);
  args[2] = dead;
  fw_test_run_feedwatch (&run, args);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "127.0.0.1"));
  fw_test_assert_no_secret (&run);

  /* Following it instead: the retry statuses on stdout say why, without the secrets. */
  follow[3] = dead;
  fw_test_run_feedwatch (&following, follow);
  g_assert_cmpint (following.status, ==, 0);
  g_assert_nonnull (strstr (following.out, "retrying"));
  fw_test_assert_no_secret (&following);

  fw_test_run_clear (&run);
  fw_test_run_clear (&following);
}

static void
test_feed_not_understood (void)
{
  const char *args[] = { "--print", "--once",
                         "sse:http://127.0.0.1:1/x?token=q-" SECRET "#retry=soon", NULL };
  const char *invalid[] = { "--print", "--once",
                            "sse:http://127.0.0.1:1/x#header.Authorization=" SECRET "%FF", NULL };
  FwTestRun run = { 0 };
  FwTestRun bad = { 0 };

  fw_test_run_feedwatch (&run, args);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "retry"));
  fw_test_assert_no_secret (&run);

  fw_test_run_feedwatch (&bad, invalid);
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_nonnull (strstr (bad.err, "header.Authorization"));
  fw_test_assert_no_secret (&bad);

  fw_test_run_clear (&run);
  fw_test_run_clear (&bad);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/print-secrets/connects-with-real-values", FwSecretsFixture, NULL,
              fw_secrets_fixture_set_up, test_connects_with_real_values, fw_secrets_fixture_tear_down);
  g_test_add ("/print-secrets/server-refuses", FwSecretsFixture, NULL,
              fw_secrets_fixture_set_up, test_server_refuses, fw_secrets_fixture_tear_down);
  g_test_add ("/print-secrets/connection-refused", FwSecretsFixture, NULL,
              fw_secrets_fixture_set_up, test_connection_refused, fw_secrets_fixture_tear_down);
  g_test_add_func ("/print-secrets/feed-not-understood", test_feed_not_understood);

  return g_test_run ();
}
