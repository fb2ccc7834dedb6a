/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-window-feeds.c: the window's feeds: adding, editing and removing them, loading the saved
 * ones, and what their runners bring (items into the history and the plot series, failures as
 * toasts) */

#include "config.h"

#include <glib/gi18n.h>

#include "fw-application.h"
#include "fw-window-private.h"

/* New items reach the list at most once a second while they come slowly, with the window's
 * second tick (_fw_window_publish_items()), so that the frame that shows them is the one that
 * updates the sidebar, the status line and the plot: each publication draws a frame in which
 * the list scrolls, redrawn whole, and for a few readings a second that was most of what an
 * idle window cost. An item after a quiet spell (none for QUIET_US) shows at once, and a burst
 * of PUBLISH_AT_ONCE items or more at the next frame, so a flood still scrolls by smoothly. */
#define QUIET_US        (2 * G_USEC_PER_SEC)
#define PUBLISH_AT_ONCE 64

/* Once a second, and when items cannot wait */
void
_fw_window_publish_items (FwWindow *self)
{
  if (self->n_unpublished == 0 || self->item_view == NULL)
    return;
  self->n_unpublished = 0;
  fw_item_view_queue_publish (self->item_view);
}

static void
on_runner_items (FwFeedRunner *runner,
                 GPtrArray    *batch,
                 FwWindow     *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  gint64 now = g_get_monotonic_time ();
  gboolean after_quiet = now - self->arrived_us >= QUIET_US;

  fw_history_append (self->history, (FwItem **) batch->pdata, batch->len);
  if (FW_IS_APPLICATION (app))
    fw_application_watch_items (FW_APPLICATION (app), (FwItem * const *) batch->pdata,
                                batch->len);

  for (guint i = 0; i < batch->len; i++)
    {
      const FwItem *item = g_ptr_array_index (batch, i);

      if (item->kind == FW_ITEM_READING && (item->flags & FW_ITEM_FLAG_HAS_VALUE))
        {
          gboolean created;
          FwSeries *series = fw_feed_list_series_for (self->feeds, runner, item, &created);

          fw_series_append (series, item->time_us, item->value);
          if (created)
            _fw_window_update_plot_series (self);
        }
    }

  /* A batch may still come in while the window is disposed */
  if (self->item_view == NULL)
    return;
  self->arrived_us = now;
  self->n_unpublished += batch->len;
  if (self->n_unpublished >= PUBLISH_AT_ONCE || after_quiet)
    _fw_window_publish_items (self);
}

static void
on_runner_state (FwFeedRunner *runner,
                 GParamSpec   *pspec,
                 FwWindow     *self)
{
  if (fw_feed_runner_get_state (runner) == FW_FEED_STATE_FAILED)
    {
      const char *reason = fw_feed_runner_get_state_text (runner);
      g_autofree char *text = NULL;

      if (reason == NULL || reason[0] == '\0')
        reason = _("it stopped without saying why");
      text = g_strdup_printf (_("%s failed: %s"), fw_feed_runner_get_title (runner), reason);
      /* A toast has one line: the feed's own view has a row with the whole reason. */
      _fw_window_toast_with_action (self, text, 8, _("Show"), "win.show-feed",
                                    g_variant_new_string (fw_feed_runner_get_spec (runner)));
    }
}

static void
watch_runner (FwWindow     *self,
              FwFeedRunner *runner)
{
  g_signal_connect_object (runner, "items", G_CALLBACK (on_runner_items), self, 0);
  g_signal_connect_object (runner, "notify::state", G_CALLBACK (on_runner_state), self, 0);
  if (!fw_feed_runner_get_transient (runner))
    g_signal_connect_object (runner, "notify::title", G_CALLBACK (fw_feed_store_save), self->store,
                             G_CONNECT_SWAPPED);
}

static void
watch_runner_cb (FwFeedRunner *runner,
                 gpointer      user_data)
{
  watch_runner (user_data, runner);
}

static void
on_secrets_not_saved (FwWindow     *self,
                      FwFeedRunner *runner,
                      const char   *reason)
{
  g_autofree char *text =
    g_strdup_printf (_("The credentials of “%s” could not be saved in the keyring (%s). "
                       "The feed is watched until Feedwatch closes, but not kept."),
                     fw_feed_runner_get_title (runner), reason);

  /* It stays: what it says matters later. */
  _fw_window_toast_with_action (self, text, 0, _("Try Again"), "win.save-credentials",
                                g_variant_new_string (fw_feed_runner_get_spec (runner)));
}

/**
 * fw_window_add_runner:
 * @runner: a feed runner, not started
 * @persist: whether the feed is saved in the settings
 *
 * Adds a feed and starts it, bound to the window's lifetime.
 */
void
fw_window_add_runner (FwWindow     *self,
                      FwFeedRunner *runner,
                      gboolean      persist)
{
  g_return_if_fail (FW_IS_WINDOW (self));
  g_return_if_fail (FW_IS_FEED_RUNNER (runner));

  if (!persist)
    fw_feed_runner_set_transient (runner, TRUE);
  if (fw_feed_runner_get_color (runner) == NULL)
    fw_feed_runner_set_color (runner, fw_feed_list_pick_color (self->feeds));

  watch_runner (self, runner);
  fw_feed_list_append (self->feeds, runner);
  fw_feed_runner_start (runner, self);

  if (persist)
    {
      fw_feed_store_store_secrets (self->store, runner);
      fw_feed_store_save (self->store);
    }
  _fw_window_update_empty_state (self);
}

/**
 * fw_window_add_feed:
 * @spec: a feed as the user writes it
 *
 * Returns: (transfer none) (nullable): the new feed's runner, or %NULL with @error set when
 *   the feed is not understood or already watched in this window
 */
FwFeedRunner *
fw_window_add_feed (FwWindow    *self,
                    const char  *spec,
                    GError     **error)
{
  g_autoptr(FwFeedRunner) runner = NULL;
  g_autofree char *feed_id = NULL;

  g_return_val_if_fail (FW_IS_WINDOW (self), NULL);

  /* Feeds are known by their identity, secrets masked (fw_feed_runner_get_spec()). */
  feed_id = fw_feed_spec_redact (spec);
  if (fw_feed_list_lookup (self->feeds, feed_id, NULL) != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   _("“%s” is already watched in this window"), feed_id);
      return NULL;
    }

  runner = fw_feed_runner_new (spec, error);
  if (runner == NULL)
    return NULL;

  fw_window_add_runner (self, runner, TRUE);

  return runner;
}

/**
 * fw_window_replace_feed:
 * @spec: the feed as watched now
 * @new_spec: the feed as edited
 * @title: (nullable): its name, or %NULL for the default one
 *
 * Edits a feed: the old one stops and the edited one starts in its place in the sidebar. Its
 * items so far stay in the history.
 *
 * Returns: (transfer none) (nullable): the edited feed's runner, or %NULL with @error set
 */
FwFeedRunner *
fw_window_replace_feed (FwWindow    *self,
                        const char  *spec,
                        const char  *new_spec,
                        const char  *title,
                        GError     **error)
{
  g_autoptr(FwFeedRunner) runner = NULL;
  g_autofree char *feed_id = fw_feed_spec_redact (spec);
  g_autofree char *full_spec = NULL;
  g_autofree char *new_id = NULL;
  FwFeedRunner *old;
  guint position;

  g_return_val_if_fail (FW_IS_WINDOW (self), NULL);

  old = fw_feed_list_lookup (self->feeds, feed_id, &position);
  if (old == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("“%s” is no longer watched in this window"), feed_id);
      return NULL;
    }
  /* The feed was edited as shown: a secret still masked is the one it had. */
  full_spec = fw_feed_spec_unmask (new_spec, fw_feed_runner_get_spec_with_secrets (old), error);
  if (full_spec == NULL)
    return NULL;
  new_id = fw_feed_spec_redact (full_spec);
  if (!g_str_equal (feed_id, new_id) && fw_feed_list_lookup (self->feeds, new_id, NULL) != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   _("“%s” is already watched in this window"), new_id);
      return NULL;
    }

  if (g_str_equal (fw_feed_runner_get_spec_with_secrets (old), full_spec))
    {
      runner = g_object_ref (old);
    }
  else
    {
      runner = fw_feed_runner_new (full_spec, error);
      if (runner == NULL)
        return NULL;
      if (!g_str_equal (feed_id, new_id))
        fw_feed_store_forget_secrets (self->store, old);
      fw_feed_store_store_secrets (self->store, runner);
      /* Edited, it is the same feed to the user: in its group, in its colour */
      fw_feed_runner_set_group (runner, fw_feed_runner_get_group (old));
      fw_feed_runner_set_color (runner, fw_feed_runner_get_color (old));
      fw_feed_runner_stop (old);
      watch_runner (self, runner);
      /* The old feed's plot series go with it. */
      fw_feed_list_replace (self->feeds, position, runner);
      _fw_window_update_plot_series (self);
      fw_feed_runner_start (runner, self);
    }

  if (title != NULL && title[0] != '\0')
    fw_feed_runner_set_title (runner, title);
  fw_feed_store_save (self->store);

  return runner; /* the store keeps it alive */
}

/**
 * fw_window_remove_feed:
 *
 * Stops a feed (its stream is closed) and forgets it.
 */
gboolean
fw_window_remove_feed (FwWindow   *self,
                       const char *spec)
{
  g_autofree char *feed_id = NULL;
  FwFeedRunner *runner;
  guint position;

  g_return_val_if_fail (FW_IS_WINDOW (self), FALSE);

  feed_id = fw_feed_spec_redact (spec);
  runner = fw_feed_list_lookup (self->feeds, feed_id, &position);
  if (runner == NULL)
    return FALSE;

  fw_feed_store_forget_secrets (self->store, runner);
  fw_feed_runner_stop (runner);
  /* Its plot series go with it. */
  fw_feed_list_remove (self->feeds, position);
  _fw_window_update_plot_series (self);

  fw_feed_store_save (self->store);
  _fw_window_update_empty_state (self);

  return TRUE;
}

/**
 * fw_window_add_default_feeds:
 *
 * Adds the feeds a first launch starts with that the window lacks (the hardware sensors' feed
 * where the machine has some, once a worker thread found them); a toast says what was done.
 */
void
fw_window_add_default_feeds (FwWindow *self)
{
  guint added;

  g_return_if_fail (FW_IS_WINDOW (self));

  added = fw_feed_store_add_defaults (self->store);
  _fw_window_update_empty_state (self);
  if (added > 0)
    {
      g_autofree char *text =
        g_strdup_printf (g_dngettext (NULL, "Added %u default feed", "Added %u default feeds",
                                      added), added);

      fw_window_toast (self, text);
    }
  else if (!fw_feed_store_get_looking_for_sensors (self->store))
    fw_window_toast (self, _("The default feeds are already watched"));
}

/**
 * fw_window_get_looking_for_sensors:
 *
 * Returns: whether the window still looks for hardware sensors, whose feed it then adds
 */
gboolean
fw_window_get_looking_for_sensors (FwWindow *self)
{
  g_return_val_if_fail (FW_IS_WINDOW (self), FALSE);

  return self->store != NULL && fw_feed_store_get_looking_for_sensors (self->store);
}

/**
 * _fw_window_load_feeds:
 *
 * Reads the saved feeds into the window and starts them (see fw-feed-store.c).
 */
void
_fw_window_load_feeds (FwWindow *self)
{
  self->store = fw_feed_store_new (self->settings, self->feeds);
  g_signal_connect_object (self->store, "secrets-not-saved", G_CALLBACK (on_secrets_not_saved),
                           self, G_CONNECT_SWAPPED);
  if (fw_feed_store_load (self->store, self, self->cancellable, watch_runner_cb, self))
    _fw_window_toast_with_action (self,
                                  _("Feedwatch did not close properly last time, so your "
                                    "feeds start paused: resume them one by one from their "
                                    "menus to find one that stops it."),
                                  0, _("Resume All"), "win.resume-all", NULL);
  _fw_window_update_empty_state (self);
}
