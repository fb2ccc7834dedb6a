/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-secret-store.c: a feed's credentials in the keyring.
 *
 * One keyring item per secret, found by the feed's identity (its text with the secrets
 * masked, fw_feed_spec_redact()) and the secret's field ("header.Authorization",
 * "password", …): the settings keep the feed with placeholders, and
 * fw_feed_spec_fill_secrets() puts these back. Only libsecret's password API is used: inside
 * Flatpak, libsecret ≥ 0.20 answers it from a keyring file in the sandbox whose key comes
 * from the Secret portal, without any D-Bus permission; outside, from the Secret Service.
 * Everything is asynchronous: an unlock prompt never blocks the main loop. */

#include "fw-secret-store.h"

#include <libsecret/secret.h>

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.feedwatch.Feedwatch.Feed", SECRET_SCHEMA_NONE,
    {
      { "feed", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "field", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

/* Several keyring calls make one operation: the first error wins. */
typedef struct
{
  char       *feed_id;
  GHashTable *secrets;  /* field → value: to store, or found */
  guint       pending;
  guint       attempts;
  GError     *error;
} Op;

static void
op_free (Op *op)
{
  g_free (op->feed_id);
  g_clear_pointer (&op->secrets, g_hash_table_unref);
  g_clear_error (&op->error);
  g_free (op);
}

/* Every failure ends here. When the keyring went away (it crashed, or was restarted), the
 * process's cached connection to it and its session are stale: dropped, so that the next
 * operation (the user's "Try Again") opens new ones instead of failing the same way. */
static void
return_error (GTask  *task,
              GError *error)
{
  if (error->domain == G_DBUS_ERROR || g_dbus_error_is_remote_error (error))
    secret_service_disconnect ();
  g_task_return_error (task, error);
}

static void
op_finish_one (GTask  *task,
               GError *error)
{
  Op *op = g_task_get_task_data (task);

  if (error != NULL && op->error == NULL)
    op->error = g_error_copy (error);
  if (--op->pending > 0)
    return;

  if (op->error != NULL)
    return_error (task, g_steal_pointer (&op->error));
  else if (g_task_get_source_tag (task) == fw_secret_store_lookup_async)
    g_task_return_pointer (task, g_hash_table_ref (op->secrets),
                           (GDestroyNotify) g_hash_table_unref);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_stored (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  secret_password_store_finish (result, &error);
  op_finish_one (task, error);
}

static void
on_cleared_for_save (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Op *op = g_task_get_task_data (task);
  GHashTableIter iter;
  gpointer field, value;

  /* FALSE without an error: there was nothing to clear. */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    {
      return_error (task, g_steal_pointer (&error));
      return;
    }

  op->pending = 1; /* held until every store has started */
  g_hash_table_iter_init (&iter, op->secrets);
  while (g_hash_table_iter_next (&iter, &field, &value))
    {
      /* The label is what a keyring manager shows: the feed without its secrets. */
      g_autofree char *label = g_strdup_printf ("Feedwatch: %s (%s)", op->feed_id,
                                                (const char *) field);

      op->pending++;
      secret_password_store (get_schema (), SECRET_COLLECTION_DEFAULT, label, value,
                             g_task_get_cancellable (task), on_stored, g_object_ref (task),
                             "feed", op->feed_id, "field", (const char *) field, NULL);
    }
  op_finish_one (task, NULL);
}

/**
 * fw_secret_store_save_async:
 * @feed_id: the feed, its secrets masked
 * @secrets: (element-type utf8 utf8): field → value, from fw_feed_spec_split_secrets()
 *
 * Keeps @secrets in the default keyring, in place of any the feed had before.
 */
void
fw_secret_store_save_async (const char          *feed_id,
                            GHashTable          *secrets,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Op *op;

  g_return_if_fail (feed_id != NULL);
  g_return_if_fail (secrets != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  op = g_new0 (Op, 1);
  g_task_set_source_tag (task, fw_secret_store_save_async);
  op->feed_id = g_strdup (feed_id);
  op->secrets = g_hash_table_ref (secrets);
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);

  /* An edited feed may have fewer secrets than before: none of the old ones stay behind. */
  secret_password_clear (get_schema (), cancellable, on_cleared_for_save, g_steal_pointer (&task),
                         "feed", feed_id, NULL);
}

gboolean
fw_secret_store_save_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  GTask *task;
  char  *field;
} Retrieval;

static gboolean
item_vanished (const GError *error)
{
  return g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT);
}

static void search (GTask *task);

static void
on_retrieved (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Retrieval *retrieval = user_data;
  g_autoptr(GTask) task = retrieval->task;
  g_autofree char *field = retrieval->field;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SecretValue *value;

  g_free (retrieval);
  value = secret_retrievable_retrieve_secret_finish (SECRET_RETRIEVABLE (object), result, &error);
  if (value != NULL)
    {
      const char *text = secret_value_get_text (value);

      if (text != NULL)
        g_hash_table_replace (op->secrets, g_steal_pointer (&field), g_strdup (text));
      secret_value_unref (value);
    }
  /* Replaced or cleared since the search (a save of the same feed): not there, not a failure. */
  if (item_vanished (error))
    g_clear_error (&error);
  op_finish_one (task, error);
}

static void
on_searched (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Op *op = g_task_get_task_data (task);
  GList *items = secret_password_search_finish (result, &error);

  /* An item found and deleted before its secret was read (a save of the same feed replaces
   * them): the search again sees the feed as it is now. */
  if (item_vanished (error) && ++op->attempts < 3)
    {
      search (g_steal_pointer (&task));
      return;
    }
  if (error != NULL)
    {
      return_error (task, g_steal_pointer (&error));
      return;
    }

  op->pending = 1; /* held until every retrieval has started */
  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (l->data);
      const char *field = g_hash_table_lookup (attributes, "field");
      Retrieval *retrieval;

      if (field == NULL)
        continue;
      retrieval = g_new0 (Retrieval, 1);
      retrieval->task = g_object_ref (task);
      retrieval->field = g_strdup (field);
      op->pending++;
      secret_retrievable_retrieve_secret (l->data, g_task_get_cancellable (task), on_retrieved,
                                          retrieval);
    }
  g_list_free_full (items, g_object_unref);
  op_finish_one (task, NULL);
}

static void
search (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  secret_password_search (get_schema (),
                          SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS,
                          g_task_get_cancellable (task), on_searched, task,
                          "feed", op->feed_id, NULL);
}

/**
 * fw_secret_store_lookup_async:
 * @feed_id: the feed, its secrets masked
 *
 * Reads the feed's secrets, unlocking the keyring if it must (the user may be asked).
 */
void
fw_secret_store_lookup_async (const char          *feed_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Op *op;

  g_return_if_fail (feed_id != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  op = g_new0 (Op, 1);
  g_task_set_source_tag (task, fw_secret_store_lookup_async);
  op->feed_id = g_strdup (feed_id);
  op->secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);

  search (g_steal_pointer (&task));
}

/**
 * fw_secret_store_lookup_finish:
 *
 * Returns: (transfer full) (element-type utf8 utf8): field → value, empty when the keyring
 *   holds none for the feed; %NULL with @error set when the keyring could not be read
 */
GHashTable *
fw_secret_store_lookup_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_cleared (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_clear_finish (result, &error) && error != NULL)
    return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * fw_secret_store_clear_async:
 * @feed_id: the feed, its secrets masked
 *
 * Forgets every secret of the feed (it was removed).
 */
void
fw_secret_store_clear_async (const char          *feed_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (feed_id != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, fw_secret_store_clear_async);
  secret_password_clear (get_schema (), cancellable, on_cleared, task, "feed", feed_id, NULL);
}

gboolean
fw_secret_store_clear_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
