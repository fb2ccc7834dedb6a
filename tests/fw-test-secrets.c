/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-test-secrets.c: the credentials-checking SSE server of fw-test-secrets.h. */

#include "fw-test-secrets.h"

#include <string.h>

#include "fw-test-server.h"

static void
on_events (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  static const char body[] = "id: 1\ndata: one\n\nid: 2\ndata: two\n\n";
  FwSecretsFixture *fixture = user_data;
  const char *authorization =
    soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");

  fixture->requests++;
  g_free (fixture->authorization);
  fixture->authorization = g_strdup (authorization);
  g_free (fixture->token);
  fixture->token = g_strdup (query != NULL ? g_hash_table_lookup (query, "token") : NULL);

  if (g_strcmp0 (authorization, "Bearer " FW_TEST_SECRET "-header") != 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_UNAUTHORIZED, NULL);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/event-stream", SOUP_MEMORY_STATIC,
                                    body, strlen (body));
}

void
fw_secrets_fixture_set_up (FwSecretsFixture *fixture,
                           gconstpointer     data)
{
  fixture->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->server, "/events", on_events, fixture, NULL);
  fixture->port = fw_test_server_listen (fixture->server, SOUP_SERVER_LISTEN_IPV4_ONLY);
}

void
fw_secrets_fixture_tear_down (FwSecretsFixture *fixture,
                              gconstpointer     data)
{
  soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  g_clear_pointer (&fixture->authorization, g_free);
  g_clear_pointer (&fixture->token, g_free);
}

void
fw_test_assert_no_secret (const FwTestRun *run)
{
  g_assert_null (strstr (run->out, FW_TEST_SECRET));
  g_assert_null (strstr (run->err, FW_TEST_SECRET));
}
