/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-window-secrets.c: a feed with an Authorization header in the window. The settings keep
 * it with a placeholder, the keyring (a real one: gnome-keyring-daemon on the test's own bus)
 * keeps the header, the sidebar shows it masked; a new window reads it back and connects with
 * the real header; removing the feed clears the keyring. A feed whose credentials are not in
 * the keyring fails in words and never connects. Runs under Xvfb. */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "fw-add-feed-dialog.h"
#include "fw-feed-row.h"
#include "fw-feed-store.h"
#include "fw-secret-store.h"
#include "fw-test-keyring.h"
#include "fw-test-server.h"
#include "fw-test-ui.h"
#include "fw-test-util.h"
#include "fw-window.h"

#define SECRET "s3cr3t"
#define HEADER "Bearer " SECRET "-header"

static GSettings *settings;
static FwTestKeyring *keyring;

typedef struct
{
  SoupServer *server;
  guint16     port;
  guint       requests;
  guint       authorized;    /* requests that came with HEADER */
  char       *authorization; /* the last one's */
} Server;

static void
on_events (SoupServer        *soup,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  static const char body[] = "id: 1\ndata: one\n\nid: 2\ndata: two\n\n";
  Server *server = user_data;
  const char *authorization =
    soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");

  server->requests++;
  g_free (server->authorization);
  server->authorization = g_strdup (authorization);
  if (g_strcmp0 (authorization, HEADER) != 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_UNAUTHORIZED, NULL);
      return;
    }
  server->authorized++;
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/event-stream", SOUP_MEMORY_STATIC,
                                    body, strlen (body));
}

static void
server_start (Server *server)
{
  server->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server->server, "/events", on_events, server, NULL);
  server->port = fw_test_server_listen (server->server, SOUP_SERVER_LISTEN_IPV4_ONLY);
}

static void
server_stop (Server *server)
{
  soup_server_disconnect (server->server);
  g_clear_object (&server->server);
  g_clear_pointer (&server->authorization, g_free);
}

static gboolean
keyring_or_skip (void)
{
  if (keyring == NULL)
    g_test_skip_printf ("%s is not installed: no Secret Service to test against",
                        fw_test_keyring_missing ());
  return keyring != NULL;
}

static void
reset_settings (const char * const *feeds)
{
  const char *no_names[] = { NULL };

  g_settings_set_strv (settings, "feeds", feeds);
  g_settings_set_strv (settings, "feed-names", no_names);
  g_settings_set_boolean (settings, "first-run", FALSE);
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

/* The secret the keyring holds for a feed's field, or NULL */
static char *
keyring_value (const char *feed_id,
               const char *field)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GHashTable) secrets = NULL;
  g_autoptr(GError) error = NULL;

  fw_secret_store_lookup_async (feed_id, NULL, on_done, &result);
  fw_test_wait_until (has_result, &result, "the keyring to answer");
  secrets = fw_secret_store_lookup_finish (result, &error);
  g_assert_no_error (error);

  return g_strdup (g_hash_table_lookup (secrets, field));
}

/* Polls the keyring (the window stores and clears without telling) until @field of @feed_id
 * holds @expected (NULL: nothing). */
static void
wait_keyring_value (const char *feed_id,
                    const char *field,
                    const char *expected)
{
  gint64 deadline = g_get_monotonic_time () + FW_TEST_DEADLINE_MS * 1000;

  for (;;)
    {
      g_autofree char *value = keyring_value (feed_id, field);

      if (g_strcmp0 (value, expected) == 0)
        return;
      if (g_get_monotonic_time () > deadline)
        g_error ("the keyring holds “%s” for %s, not “%s”", value, field, expected);
      fw_test_iterate_idle ();
    }
}

/* Every text the window shows (labels, cells, tooltips): counts those holding @needle. */
static guint
count_texts_with (GtkWidget  *widget,
                  const char *needle)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);
  guint n = 0;

  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), needle) != NULL)
    n++;
  if (GTK_IS_EDITABLE (widget) &&
      strstr (gtk_editable_get_text (GTK_EDITABLE (widget)), needle) != NULL)
    n++;
  if (tooltip != NULL && strstr (tooltip, needle) != NULL)
    n++;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_texts_with (child, needle);

  return n;
}

static GtkWidget *
find_feed_row (GtkWidget *widget)
{
  if (FW_IS_FEED_ROW (widget))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_feed_row (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
has_items (gpointer runner)
{
  return fw_feed_runner_get_n_items (runner) > 0;
}

static gboolean
has_failed (gpointer runner)
{
  return fw_feed_runner_get_state (runner) == FW_FEED_STATE_FAILED;
}

static gboolean
settings_hold_one_feed (gpointer user_data)
{
  g_auto(GStrv) saved = g_settings_get_strv (settings, "feeds");

  return g_strv_length (saved) == 1;
}

typedef struct
{
  FwWindow   *window;
  const char *label;
} Press;

/* A person presses it once the toast has come up */
static gboolean
pressed (gpointer user_data)
{
  Press *press = user_data;

  return fw_test_ui_press_button (press->window, press->label);
}

typedef struct
{
  FwWindow   *window;
  const char *text;
} Shown;

static gboolean
is_shown (gpointer user_data)
{
  Shown *shown = user_data;

  return count_texts_with (GTK_WIDGET (shown->window), shown->text) > 0;
}

static FwFeedRunner *
only_runner (FwWindow *window)
{
  GListModel *feeds = fw_window_get_feeds (window);
  g_autoptr(FwFeedRunner) runner = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (feeds), ==, 1);
  runner = g_list_model_get_item (feeds, 0);
  return runner; /* the window keeps it */
}

static void
test_saved_in_keyring_and_restored (void)
{
  const char *none[] = { NULL };
  Server server = { 0 };
  g_autofree char *feed = NULL;
  g_autofree char *feed_id = NULL;
  g_autofree char *expected_saved = NULL;
  g_autofree char *edited_id = NULL;
  g_auto(GStrv) saved = NULL;
  GtkWidget *dialog;
  g_autoptr(GError) error = NULL;
  GtkWidget *row;
  FwFeedRunner *runner;
  FwWindow *window;
  guint authorized_before;

  if (!keyring_or_skip ())
    return;

  server_start (&server);
  feed = g_strdup_printf ("sse:http://127.0.0.1:%u/events#header.Authorization=Bearer%%20"
                          SECRET "-header", server.port);
  feed_id = fw_feed_spec_redact (feed);
  expected_saved = g_strdup_printf ("sse:http://127.0.0.1:%u/events#header.Authorization=%s",
                                    server.port, FW_FEED_STORE_SECRET_PLACEHOLDER);
  reset_settings (none);

  /* Added: it connects with the header … */
  window = fw_test_ui_open_window ();
  runner = fw_window_add_feed (window, feed, &error);
  g_assert_no_error (error);
  fw_test_wait_until (has_items, runner, "the feed's first items");
  g_assert_cmpstr (server.authorization, ==, HEADER);

  /* … the settings keep it with a placeholder once the keyring keeps the header … */
  fw_test_wait_until (settings_hold_one_feed, NULL, "the feed to be saved");
  saved = g_settings_get_strv (settings, "feeds");
  g_assert_cmpuint (g_strv_length (saved), ==, 1);
  g_assert_cmpstr (saved[0], ==, expected_saved);
  wait_keyring_value (feed_id, "header.Authorization", "Bearer%20" SECRET "-header");

  /* … and the window shows it masked: in its row, and as the selected feed's subtitle. */
  row = find_feed_row (GTK_WIDGET (window));
  g_assert_nonnull (row);
  g_assert_true (fw_test_ui_activate_sidebar_row (window, fw_feed_runner_get_title (runner)));
  fw_test_iterate_idle ();
  g_assert_cmpuint (count_texts_with (GTK_WIDGET (window), SECRET), ==, 0);
  g_assert_cmpuint (count_texts_with (row, FW_FEED_SECRET_MASK), >, 0);
  g_assert_cmpuint (count_texts_with (GTK_WIDGET (window), feed_id), >=, 2);
  fw_test_ui_close_window (window);

  /* A new window reads the header back from the keyring and connects with it. */
  authorized_before = server.authorized;
  window = fw_test_ui_open_window ();
  runner = only_runner (window);
  g_assert_cmpstr (fw_feed_runner_get_spec (runner), ==, feed_id);
  fw_test_wait_until (has_items, runner, "the restored feed's first items");
  g_assert_cmpuint (server.authorized, >, authorized_before);
  g_assert_cmpstr (fw_feed_runner_get_spec_with_secrets (runner), ==, feed);
  g_assert_cmpuint (count_texts_with (GTK_WIDGET (window), SECRET), ==, 0);

  /* Edited as shown, its header masked, and a header added: the masked one keeps its value. */
  dialog = fw_add_feed_dialog_new_for_feed (window, runner);
  g_assert_cmpuint (count_texts_with (dialog, SECRET), ==, 0);
  g_assert_cmpuint (count_texts_with (dialog, "Authorization: " FW_FEED_SECRET_MASK), >, 0);
  fw_add_feed_dialog_set_option (FW_ADD_FEED_DIALOG (dialog), "headers",
                                 "Authorization: " FW_FEED_SECRET_MASK "; X-Extra: 1");
  authorized_before = server.authorized;
  g_assert_true (fw_add_feed_dialog_add (FW_ADD_FEED_DIALOG (dialog)));
  runner = only_runner (window);
  edited_id = fw_feed_spec_redact (fw_feed_runner_get_spec_with_secrets (runner));
  g_assert_cmpstr (fw_feed_runner_get_spec (runner), ==, edited_id);
  g_assert_nonnull (strstr (edited_id, "X-Extra=1"));
  fw_test_wait_until (has_items, runner, "the edited feed's first items");
  g_assert_cmpuint (server.authorized, >, authorized_before);
  wait_keyring_value (edited_id, "header.Authorization", "Bearer%20" SECRET "-header");
  wait_keyring_value (feed_id, "header.Authorization", NULL);

  /* Removed: the keyring forgets it. */
  g_assert_true (fw_window_remove_feed (window, fw_feed_runner_get_spec (runner)));
  wait_keyring_value (edited_id, "header.Authorization", NULL);
  g_clear_pointer (&saved, g_strfreev);
  saved = g_settings_get_strv (settings, "feeds");
  g_assert_cmpuint (g_strv_length (saved), ==, 0);
  fw_test_ui_close_window (window);

  server_stop (&server);
}

static void
test_missing_credentials (void)
{
  Server server = { 0 };
  g_autofree char *stored = NULL;
  g_auto(GStrv) saved = NULL;
  const char *feeds[2] = { NULL, NULL };
  const char *text;
  FwFeedRunner *runner;
  FwWindow *window;

  if (!keyring_or_skip ())
    return;

  server_start (&server);
  /* Saved with a placeholder whose value the keyring never got */
  stored = g_strdup_printf ("sse:http://127.0.0.1:%u/events#header.Authorization=%s",
                            server.port, FW_FEED_STORE_SECRET_PLACEHOLDER);
  feeds[0] = stored;
  reset_settings (feeds);

  window = fw_test_ui_open_window ();
  runner = only_runner (window);
  fw_test_wait_until (has_failed, runner, "the feed to fail");
  text = fw_feed_runner_get_state_text (runner);
  g_test_message ("state: %s", text);
  g_assert_nonnull (strstr (text, "credentials could not be read from the keyring"));
  g_assert_nonnull (strstr (text, "header.Authorization"));
  /* It never opened with the placeholder, and stays saved. */
  fw_test_iterate_idle ();
  g_assert_cmpuint (server.requests, ==, 0);
  saved = g_settings_get_strv (settings, "feeds");
  g_assert_cmpstrv (saved, feeds);
  fw_test_ui_close_window (window);

  server_stop (&server);
}

static void
test_old_settings_move_to_keyring (void)
{
  Server server = { 0 };
  g_autofree char *feed = NULL;
  g_autofree char *feed_id = NULL;
  g_auto(GStrv) saved = NULL;
  const char *feeds[2] = { NULL, NULL };
  FwFeedRunner *runner;
  FwWindow *window;

  if (!keyring_or_skip ())
    return;

  server_start (&server);
  /* As a version before the keyring saved it: the secret in the settings */
  feed = g_strdup_printf ("sse:http://127.0.0.1:%u/events#header.Authorization=Bearer%%20"
                          SECRET "-header", server.port);
  feed_id = fw_feed_spec_redact (feed);
  feeds[0] = feed;
  reset_settings (feeds);

  window = fw_test_ui_open_window ();
  runner = only_runner (window);
  fw_test_wait_until (has_items, runner, "the feed's first items");
  g_assert_cmpuint (server.authorized, >, 0);
  wait_keyring_value (feed_id, "header.Authorization", "Bearer%20" SECRET "-header");
  saved = g_settings_get_strv (settings, "feeds");
  g_assert_cmpuint (g_strv_length (saved), ==, 1);
  g_assert_null (strstr (saved[0], SECRET));
  g_assert_true (fw_feed_spec_has_placeholders (saved[0]));

  g_assert_true (fw_window_remove_feed (window, feed_id));
  wait_keyring_value (feed_id, "header.Authorization", NULL);
  fw_test_ui_close_window (window);

  server_stop (&server);
}

/* The keyring refuses (here: it is gone; for a user, a cancelled prompt): the user is told at
 * once, the feed runs for this session but is not saved without its secret, and "Try Again"
 * saves both once the keyring is back. */
static void
test_keyring_refuses (void)
{
  const char *none[] = { NULL };
  Server server = { 0 };
  g_autofree char *feed = NULL;
  g_autofree char *feed_id = NULL;
  g_autofree char *expected_saved = NULL;
  g_auto(GStrv) saved = NULL;
  g_autoptr(GError) error = NULL;
  Shown toast = { NULL, "could not be saved in the keyring" };
  Press press = { NULL, "Try Again" };
  FwFeedRunner *runner;
  FwWindow *window;

  if (!keyring_or_skip ())
    return;

  server_start (&server);
  feed = g_strdup_printf ("sse:http://127.0.0.1:%u/events#header.Authorization=Bearer%%20"
                          SECRET "-header", server.port);
  feed_id = fw_feed_spec_redact (feed);
  expected_saved = g_strdup_printf ("sse:http://127.0.0.1:%u/events#header.Authorization=%s",
                                    server.port, FW_FEED_STORE_SECRET_PLACEHOLDER);
  reset_settings (none);
  fw_test_keyring_kill (keyring);

  window = fw_test_ui_open_window ();
  toast.window = window;
  runner = fw_window_add_feed (window, feed, &error);
  g_assert_no_error (error);
  fw_test_wait_until (is_shown, &toast, "a toast saying the credentials were not saved");
  fw_test_wait_until (has_items, runner, "the feed's first items");
  g_assert_cmpstr (server.authorization, ==, HEADER);
  saved = g_settings_get_strv (settings, "feeds");
  g_assert_cmpuint (g_strv_length (saved), ==, 0);

  fw_test_keyring_restart (keyring);
  press.window = window;
  fw_test_wait_until (pressed, &press, "the toast's Try Again button");
  wait_keyring_value (feed_id, "header.Authorization", "Bearer%20" SECRET "-header");
  fw_test_wait_until (settings_hold_one_feed, NULL, "the feed to be saved");
  g_clear_pointer (&saved, g_strfreev);
  saved = g_settings_get_strv (settings, "feeds");
  g_assert_cmpstr (saved[0], ==, expected_saved);

  g_assert_true (fw_window_remove_feed (window, feed_id));
  wait_keyring_value (feed_id, "header.Authorization", NULL);
  fw_test_ui_close_window (window);
  server_stop (&server);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* The keyring's bus becomes this process's session bus: before GTK uses one. */
  if (fw_test_keyring_missing () == NULL)
    keyring = fw_test_keyring_start ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  settings = g_settings_new (APP_ID);

  g_test_add_func ("/window-secrets/saved-in-keyring-and-restored",
                   test_saved_in_keyring_and_restored);
  g_test_add_func ("/window-secrets/missing-credentials", test_missing_credentials);
  g_test_add_func ("/window-secrets/old-settings-move-to-keyring",
                   test_old_settings_move_to_keyring);
  g_test_add_func ("/window-secrets/keyring-refuses", test_keyring_refuses);

  status = g_test_run ();
  g_object_unref (settings);
  g_clear_pointer (&keyring, fw_test_keyring_free);

  return status;
}
