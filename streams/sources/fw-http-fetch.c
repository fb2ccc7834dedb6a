/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-http-fetch.c: see fw-http-fetch.h. A GTask is fine here: one per request, not per item. */

#include "config.h"

#include "fw-http-fetch.h"

#include "fw-http.h"
#include "fw-units.h"

#include <glib/gi18n-lib.h>

typedef struct
{
  SoupSession  *session;
  SoupMessage  *msg;
  GInputStream *body;
  GByteArray   *data;
  gsize         max_bytes;
  guint         idle_timeout_ms;
  GCancellable *op_cancellable;  /* ours: cancelled by the caller's, or the idle timer */
  GCancellable *caller_cancellable;
  gulong        cancel_id;
  GSource      *timer;
  gboolean      timed_out;
} Fetch;

static void
fetch_free (gpointer data)
{
  Fetch *fetch = data;

  if (fetch->timer != NULL)
    {
      g_source_destroy (fetch->timer);
      g_source_unref (fetch->timer);
    }
  if (fetch->caller_cancellable != NULL)
    {
      g_cancellable_disconnect (fetch->caller_cancellable, fetch->cancel_id);
      g_object_unref (fetch->caller_cancellable);
    }
  g_clear_object (&fetch->session);
  g_clear_object (&fetch->msg);
  g_clear_object (&fetch->body);
  g_clear_pointer (&fetch->data, g_byte_array_unref);
  g_clear_object (&fetch->op_cancellable);
  g_free (fetch);
}

static gboolean
on_fetch_idle (gpointer user_data)
{
  Fetch *fetch = user_data;

  g_clear_pointer (&fetch->timer, g_source_unref);
  fetch->timed_out = TRUE;
  g_cancellable_cancel (fetch->op_cancellable);

  return G_SOURCE_REMOVE;
}

static void
fetch_arm_timer (Fetch *fetch)
{
  if (fetch->timer != NULL)
    {
      g_source_destroy (fetch->timer);
      g_clear_pointer (&fetch->timer, g_source_unref);
    }
  if (fetch->idle_timeout_ms == 0)
    return;
  fetch->timer = g_timeout_source_new (fetch->idle_timeout_ms);
  g_source_set_callback (fetch->timer, on_fetch_idle, fetch, NULL);
  g_source_set_static_name (fetch->timer, "[feedwatch] http fetch idle timeout");
  g_source_attach (fetch->timer, g_main_context_get_thread_default ());
}

static void
fetch_fail (GTask  *task,
            GError *error)
{
  Fetch *fetch = g_task_get_task_data (task);
  GCancellable *caller = g_task_get_cancellable (task);

  if (fetch->timed_out && (caller == NULL || !g_cancellable_is_cancelled (caller)))
    {
      g_autofree char *secs = fw_units_format_delay (fetch->idle_timeout_ms, FALSE);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, _("no data for %s"), secs);
      g_error_free (error);
    }
  else if (error->domain == G_TLS_ERROR)
    {
      g_autofree char *text = fw_http_describe_failure (fetch->msg, error);

      g_task_return_new_error (task, error->domain, error->code, "%s", text);
      g_error_free (error);
    }
  else
    g_task_return_error (task, error);
}

static void fetch_read_more (GTask *task);

static void
on_fetch_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result,
                                                              &error);

  if (chunk == NULL)
    {
      fetch_fail (task, error);
      return;
    }
  if (g_bytes_get_size (chunk) == 0)
    {
      g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&fetch->data)),
                             (GDestroyNotify) g_bytes_unref);
      return;
    }
  if (fetch->data->len + g_bytes_get_size (chunk) > fetch->max_bytes)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                               _("the response is larger than %zu bytes"),
                               (gsize) fetch->max_bytes);
      return;
    }
  g_byte_array_append (fetch->data, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  fetch_read_more (g_steal_pointer (&task));
}

static void
fetch_read_more (GTask *task)
{
  Fetch *fetch = g_task_get_task_data (task);

  fetch_arm_timer (fetch);
  g_input_stream_read_bytes_async (fetch->body, 64 * 1024, G_PRIORITY_DEFAULT,
                                   fetch->op_cancellable, on_fetch_read, task);
}

static void
on_fetch_sent (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  GError *error = NULL;

  fetch->body = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (fetch->body == NULL)
    {
      fetch_fail (task, error);
      return;
    }
  if (!fw_http_options_check_redirect (fetch->msg, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (fetch->msg)))
    {
      g_autofree char *text = fw_http_describe_status (fetch->msg);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", text);
      return;
    }
  fetch_read_more (g_steal_pointer (&task));
}

static void
on_caller_cancelled (GCancellable *cancellable,
                     gpointer      user_data)
{
  g_cancellable_cancel (user_data);
}

/**
 * fw_http_fetch_async:
 * @body: (nullable): the response body of @msg when it was already sent (the detector's), or
 *   %NULL to send @msg now
 * @max_bytes: a larger body fails with %G_IO_ERROR_MESSAGE_TOO_LARGE
 * @idle_timeout_ms: no data for this long fails with %G_IO_ERROR_TIMED_OUT; 0 for none
 *
 * Fetches a whole response body. A status other than 2xx fails with the status in words;
 * @msg's response headers are there for the caller to read after.
 */
void
fw_http_fetch_async (SoupSession         *session,
                     SoupMessage         *msg,
                     GInputStream        *body,
                     gsize                max_bytes,
                     guint                idle_timeout_ms,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Fetch *fetch = g_new0 (Fetch, 1);

  g_task_set_source_tag (task, fw_http_fetch_async);
  /* Our own cancellable so the idle timer can stop the operation; the GTask does not
   * check the caller's on return, we pass its cancellation on. */
  g_task_set_check_cancellable (task, FALSE);
  fetch->session = g_object_ref (session);
  fetch->msg = g_object_ref (msg);
  fetch->body = body != NULL ? g_object_ref (body) : NULL;
  fetch->data = g_byte_array_new ();
  fetch->max_bytes = max_bytes;
  fetch->idle_timeout_ms = idle_timeout_ms;
  fetch->op_cancellable = g_cancellable_new ();
  g_task_set_task_data (task, fetch, fetch_free);

  if (cancellable != NULL)
    {
      fetch->caller_cancellable = g_object_ref (cancellable);
      fetch->cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                                                g_object_ref (fetch->op_cancellable),
                                                g_object_unref);
    }

  if (fetch->body != NULL)
    fetch_read_more (g_steal_pointer (&task));
  else
    {
      fetch_arm_timer (fetch);
      soup_session_send_async (session, msg, G_PRIORITY_DEFAULT, fetch->op_cancellable,
                               on_fetch_sent, g_steal_pointer (&task));
    }
}

GBytes *
fw_http_fetch_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

