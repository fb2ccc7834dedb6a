/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-test-secrets.h: a loopback SSE server that wants credentials, for tests that check
 * secrets reach the server and nothing else (stdout, stderr, recordings). */
#pragma once

#include <libsoup/soup.h>

#include "fw-test-util.h"

G_BEGIN_DECLS

/* Every secret the tests use contains it, so one search finds any of them. */
#define FW_TEST_SECRET "s3cr3t"

/**
 * FwSecretsFixture:
 *
 * `/events` answers two SSE events to `Authorization: Bearer s3cr3t-header`, and 401 to
 * anything else; it keeps what the last request carried.
 */
typedef struct
{
  SoupServer *server;
  guint16     port;
  char       *authorization; /* as the server last received them */
  char       *token;
  guint       requests;
} FwSecretsFixture;

void fw_secrets_fixture_set_up    (FwSecretsFixture *fixture,
                                   gconstpointer     data);
void fw_secrets_fixture_tear_down (FwSecretsFixture *fixture,
                                   gconstpointer     data);

/* Neither stdout nor stderr of the run shows a secret */
void fw_test_assert_no_secret     (const FwTestRun  *run);

G_END_DECLS
