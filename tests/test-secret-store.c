/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-secret-store.c: a feed's credentials in a real Secret Service (gnome-keyring-daemon on
 * the test's own bus, a fresh keyring): stored under the feed's identity and field, read back,
 * replaced, cleared; without a keyring, an error rather than a hang. */

#include <string.h>

#include <libsecret/secret.h>

#include "fw-secret-store.h"
#include "fw-test-keyring.h"
#include "fw-test-util.h"

#define FEED "sse:https://h/events?token=" FW_FEED_SECRET_MASK \
             "#header.Authorization=" FW_FEED_SECRET_MASK

static FwTestKeyring *keyring;

static gboolean
keyring_or_skip (void)
{
  if (keyring == NULL)
    g_test_skip_printf ("%s is not installed: no Secret Service to test against",
                        fw_test_keyring_missing ());
  return keyring != NULL;
}

static void
on_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
has_result (gpointer user_data)
{
  return *(GAsyncResult **) user_data != NULL;
}

static gboolean
save (const char  *feed_id,
      GHashTable  *secrets,
      GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  fw_secret_store_save_async (feed_id, secrets, NULL, on_done, &result);
  g_assert_null (result); /* asynchronous: nothing is answered before the main loop runs */
  fw_test_wait_until (has_result, &result, "the keyring to store");
  return fw_secret_store_save_finish (result, error);
}

static GHashTable *
lookup (const char  *feed_id,
        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  fw_secret_store_lookup_async (feed_id, NULL, on_done, &result);
  g_assert_null (result);
  fw_test_wait_until (has_result, &result, "the keyring to answer");
  return fw_secret_store_lookup_finish (result, error);
}

static gboolean
clear (const char  *feed_id,
       GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  fw_secret_store_clear_async (feed_id, NULL, on_done, &result);
  g_assert_null (result);
  fw_test_wait_until (has_result, &result, "the keyring to clear");
  return fw_secret_store_clear_finish (result, error);
}

static GHashTable *
secrets_new (const char *field,
             ...)
{
  GHashTable *secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  va_list args;

  va_start (args, field);
  for (; field != NULL; field = va_arg (args, const char *))
    g_hash_table_insert (secrets, g_strdup (field), g_strdup (va_arg (args, const char *)));
  va_end (args);

  return secrets;
}

static void
assert_same_secrets (GHashTable *found,
                     GHashTable *expected)
{
  GHashTableIter iter;
  gpointer field, value;

  g_assert_cmpuint (g_hash_table_size (found), ==, g_hash_table_size (expected));
  g_hash_table_iter_init (&iter, expected);
  while (g_hash_table_iter_next (&iter, &field, &value))
    g_assert_cmpstr (g_hash_table_lookup (found, field), ==, value);
}

static const SecretSchema *
feed_schema (void)
{
  static const SecretSchema schema = {
    "io.github.feedwatch.Feedwatch.Feed", SECRET_SCHEMA_NONE,
    { { "feed", SECRET_SCHEMA_ATTRIBUTE_STRING }, { "field", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 } },
  };
  return &schema;
}

static void
test_round_trip (void)
{
  g_autoptr(GHashTable) secrets = NULL;
  g_autoptr(GHashTable) found = NULL;
  g_autoptr(GHashTable) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *direct = NULL;
  GList *items;

  if (!keyring_or_skip ())
    return;

  secrets = secrets_new ("header.Authorization", "Bearer%20s3cr3t-h34der",
                         "query.token", "t%C3%B6k&=#ü", NULL);
  g_assert_true (save (FEED, secrets, &error));
  g_assert_no_error (error);

  found = lookup (FEED, &error);
  g_assert_no_error (error);
  assert_same_secrets (found, secrets);

  /* In the keyring under the schema, the feed's identity and the field, as documented … (a
   * search loading the secret: libsecret 0.20.5's secret_password_lookup leaks a little) */
  secret_password_search (feed_schema (), SECRET_SEARCH_LOAD_SECRETS, NULL, on_done, &result,
                          "feed", FEED, "field", "header.Authorization", NULL);
  fw_test_wait_until (has_result, &result, "libsecret to look up");
  items = secret_password_search_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  g_assert_true (SECRET_IS_ITEM (items->data));
  {
    g_autoptr(SecretValue) value = secret_item_get_secret (items->data);

    g_assert_nonnull (value);
    direct = g_strdup (secret_value_get_text (value));
  }
  g_list_free_full (items, g_object_unref);
  g_assert_cmpstr (direct, ==, "Bearer%20s3cr3t-h34der");
  g_clear_object (&result);
  /* … labelled with the feed as shown, never with a secret. */
  secret_password_search (feed_schema (), SECRET_SEARCH_ALL, NULL, on_done, &result,
                          "feed", FEED, NULL);
  fw_test_wait_until (has_result, &result, "libsecret to search");
  items = secret_password_search_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 2);
  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autofree char *label = secret_retrievable_get_label (l->data);

      g_assert_true (g_str_has_prefix (label, "Feedwatch: " FEED " ("));
      g_assert_null (strstr (label, "s3cr3t"));
    }
  g_list_free_full (items, g_object_unref);

  /* Another feed has none. */
  other = lookup ("sse:https://other/#header.Authorization=" FW_FEED_SECRET_MASK, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (other), ==, 0);
}

static void
test_save_replaces_and_clear (void)
{
  g_autoptr(GHashTable) first = NULL;
  g_autoptr(GHashTable) second = NULL;
  g_autoptr(GHashTable) found = NULL;
  g_autoptr(GHashTable) after_clear = NULL;
  g_autoptr(GError) error = NULL;

  if (!keyring_or_skip ())
    return;

  first = secrets_new ("user", "alice", "password", "one", NULL);
  second = secrets_new ("password", "two", NULL);
  g_assert_true (save ("https://x/", first, &error));
  g_assert_no_error (error);
  /* Saving again leaves no field of the first save behind. */
  g_assert_true (save ("https://x/", second, &error));
  g_assert_no_error (error);
  found = lookup ("https://x/", &error);
  g_assert_no_error (error);
  assert_same_secrets (found, second);

  g_assert_true (clear ("https://x/", &error));
  g_assert_no_error (error);
  after_clear = lookup ("https://x/", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (after_clear), ==, 0);
  /* The other feed's secrets are untouched. */
  g_clear_pointer (&found, g_hash_table_unref);
  found = lookup (FEED, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (found), ==, 2);
}

/* Last: it takes the keyring away. */
static void
test_without_keyring (void)
{
  g_autoptr(GHashTable) secrets = NULL;
  g_autoptr(GHashTable) found = NULL;
  g_autoptr(GError) error = NULL;

  if (!keyring_or_skip ())
    return;

  fw_test_keyring_kill (keyring);

  /* An error, promptly: not a hang, not an empty answer that would pass for "no secrets". */
  found = lookup (FEED, &error);
  g_assert_null (found);
  g_assert_nonnull (error);
  g_test_message ("lookup without a keyring: %s", error->message);
  g_clear_error (&error);

  secrets = secrets_new ("password", "pw", NULL);
  g_assert_false (save ("https://y/", secrets, &error));
  g_assert_nonnull (error);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  if (fw_test_keyring_missing () == NULL)
    keyring = fw_test_keyring_start ();

  g_test_add_func ("/secret-store/round-trip", test_round_trip);
  g_test_add_func ("/secret-store/save-replaces-and-clear", test_save_replaces_and_clear);
  g_test_add_func ("/secret-store/without-keyring", test_without_keyring);

  status = g_test_run ();
  g_clear_pointer (&keyring, fw_test_keyring_free);

  return status;
}
