/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-demo.c: what `--demo` adds, so a newcomer sees every kind of feed at once: an SSE server
 * on loopback (port chosen by the system) publishing sample events of a few types, and a log
 * file written a few times a second with mixed levels, rotated by rename when it grows, so
 * the log feed's rotation handling is on show too. Everything runs on the main loop and
 * stops with the application. */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "fw-demo.h"
#include "fw-window.h"

#define EVENT_INTERVAL_MS 400
#define LOG_INTERVAL_MS   250
#define LOG_ROTATE_BYTES  (256 * 1024)
#define BACKLOG           200

struct _FwDemo
{
  GObject           parent_instance;

  SoupServer       *server;
  GPtrArray        *clients;     /* SoupServerMessage*, paused while waiting for events */
  GPtrArray        *backlog;     /* char*: formatted events, for Last-Event-ID replay */
  guint64           next_id;
  guint             event_timer;
  char             *sse_feed;

  char             *log_dir;
  char             *log_path;
  GFileOutputStream *log;
  gsize             log_bytes;
  guint             log_timer;
  guint64           log_line;
  GRand            *rand;
};

G_DEFINE_FINAL_TYPE (FwDemo, fw_demo, G_TYPE_OBJECT)

static const char *event_types[] = { "deploy", "order", "login", "alert" };
static const char *services[] = { "api", "billing", "search", "auth", "worker" };

static char *
format_event (FwDemo *self)
{
  const char *type = event_types[g_rand_int_range (self->rand, 0, G_N_ELEMENTS (event_types))];
  const char *service = services[g_rand_int_range (self->rand, 0, G_N_ELEMENTS (services))];
  guint64 id = ++self->next_id;

  return g_strdup_printf ("id: %" G_GUINT64_FORMAT "\nevent: %s\n"
                          "data: {\"service\":\"%s\",\"seq\":%" G_GUINT64_FORMAT ",\"ms\":%d}\n\n",
                          id, type, service, id, g_rand_int_range (self->rand, 3, 900));
}

static void
on_client_finished (SoupServerMessage *msg,
                    FwDemo            *self)
{
  g_ptr_array_remove (self->clients, msg);
}

static gboolean
on_event_due (gpointer user_data)
{
  FwDemo *self = user_data;
  char *event = format_event (self);

  g_ptr_array_add (self->backlog, event);
  if (self->backlog->len > BACKLOG)
    g_ptr_array_remove_index (self->backlog, 0);

  for (guint i = 0; i < self->clients->len; i++)
    {
      SoupServerMessage *msg = g_ptr_array_index (self->clients, i);
      soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_COPY,
                                event, strlen (event));
      soup_server_message_unpause (msg);
    }

  return G_SOURCE_CONTINUE;
}

static void
on_events_request (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  FwDemo *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  const char *last = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Last-Event-ID");
  guint64 last_id = last != NULL ? g_ascii_strtoull (last, NULL, 10) : 0;
  static const char hello[] = "retry: 2000\n: Feedwatch demo events\n\n";

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type (headers, "text/event-stream", NULL);
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");
  soup_message_body_append (body, SOUP_MEMORY_STATIC, hello, sizeof hello - 1);

  /* Replay what the client missed, as a real server honouring Last-Event-ID does. */
  if (last != NULL)
    {
      for (guint i = 0; i < self->backlog->len; i++)
        {
          const char *event = g_ptr_array_index (self->backlog, i);
          if (g_ascii_strtoull (event + 4, NULL, 10) > last_id)
            soup_message_body_append (body, SOUP_MEMORY_COPY, event, strlen (event));
        }
    }

  g_ptr_array_add (self->clients, msg);
  g_signal_connect_object (msg, "finished", G_CALLBACK (on_client_finished), self, 0);
}

/* level, text before a number below max, text after it */
static const struct { const char *level, *before, *after; int max; } log_messages[] = {
  { "INFO", "request served in ", " ms", 400 },
  { "INFO", "user session started (", " active)", 300 },
  { "DEBUG", "cache hit ratio ", "%", 100 },
  { "WARN", "slow query took ", " ms", 5000 },
  { "ERROR", "upstream timed out after ", " ms", 30000 },
  { "INFO", "job ", " finished", 9999 },
  { "WARNING", "disk usage at ", "%", 100 },
};

static gboolean
open_log (FwDemo  *self,
          GError **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (self->log_path);

  g_clear_object (&self->log);
  self->log = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, error);
  self->log_bytes = 0;

  return self->log != NULL;
}

static gboolean
on_log_due (gpointer user_data)
{
  FwDemo *self = user_data;
  guint pick = g_rand_int_range (self->rand, 0, G_N_ELEMENTS (log_messages));
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");
  g_autofree char *message = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GError) error = NULL;

  message = g_strdup_printf ("%s%d%s", log_messages[pick].before,
                             g_rand_int_range (self->rand, 1, log_messages[pick].max + 1),
                             log_messages[pick].after);
  line = g_strdup_printf ("%s %-5s [%s] %s\n", stamp, log_messages[pick].level,
                          services[self->log_line++ % G_N_ELEMENTS (services)], message);

  /* Rotate like logrotate does by default: rename, then create anew. */
  if (self->log_bytes > LOG_ROTATE_BYTES)
    {
      g_autofree char *old = g_strconcat (self->log_path, ".1", NULL);
      g_output_stream_close (G_OUTPUT_STREAM (self->log), NULL, NULL);
      g_rename (self->log_path, old);
      if (!open_log (self, &error))
        {
          g_warning ("Demo log: %s", error->message);
          self->log_timer = 0;
          return G_SOURCE_REMOVE;
        }
    }

  /* Small local writes: a blocking write of a line to a local file is what every logger does. */
  if (g_output_stream_write_all (G_OUTPUT_STREAM (self->log), line, strlen (line), NULL, NULL, &error))
    self->log_bytes += strlen (line);
  g_output_stream_flush (G_OUTPUT_STREAM (self->log), NULL, NULL);

  return G_SOURCE_CONTINUE;
}

/**
 * fw_demo_start:
 *
 * Starts the server and the log writer; does nothing when they already run.
 */
gboolean
fw_demo_start (FwDemo  *self,
               GError **error)
{
  g_autoptr(GSList) uris = NULL;
  g_autofree char *uri = NULL;

  if (self->server != NULL)
    return TRUE;

  self->log_dir = g_dir_make_tmp ("feedwatch-demo-XXXXXX", error);
  if (self->log_dir == NULL)
    return FALSE;
  self->log_path = g_build_filename (self->log_dir, "demo.log", NULL);
  if (!open_log (self, error))
    return FALSE;

  self->server = soup_server_new ("server-header", "feedwatch-demo", NULL);
  soup_server_add_handler (self->server, "/events", on_events_request, self, NULL);
  if (!soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    {
      g_clear_object (&self->server);
      return FALSE;
    }
  uris = soup_server_get_uris (self->server);
  uri = g_uri_to_string (uris->data);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  self->sse_feed = g_strdup_printf ("sse:%sevents", uri);

  self->event_timer = g_timeout_add (EVENT_INTERVAL_MS, on_event_due, self);
  self->log_timer = g_timeout_add (LOG_INTERVAL_MS, on_log_due, self);
  for (guint i = 0; i < 20; i++)
    on_log_due (self);

  return TRUE;
}

const char *
fw_demo_get_sse_feed (FwDemo *self)
{
  return self->sse_feed;
}

const char *
fw_demo_get_log_path (FwDemo *self)
{
  return self->log_path;
}

/**
 * fw_demo_add_to_window:
 *
 * Adds the demo's feeds (and, if missing, the first-launch ones) to @window; they are not
 * saved in the settings.
 */
gboolean
fw_demo_add_to_window (FwDemo    *self,
                       FwWindow  *window,
                       GError   **error)
{
  const char *feeds[] = { NULL, NULL, NULL };
  gboolean ok = TRUE;

  if (!fw_demo_start (self, error))
    return FALSE;

  feeds[0] = self->sse_feed;
  feeds[1] = self->log_path;
  for (guint i = 0; feeds[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(FwFeedRunner) runner = fw_feed_runner_new (feeds[i], &local_error);

      if (runner == NULL)
        {
          if (ok)
            g_propagate_error (error, g_steal_pointer (&local_error));
          ok = FALSE;
          continue;
        }
      fw_feed_runner_set_title (runner, i == 0 ? _("Demo events") : _("Demo log"));
      fw_window_add_runner (window, runner, FALSE);
    }

  return ok;
}

static void
fw_demo_dispose (GObject *object)
{
  FwDemo *self = FW_DEMO (object);

  g_clear_handle_id (&self->event_timer, g_source_remove);
  g_clear_handle_id (&self->log_timer, g_source_remove);
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  if (self->log != NULL)
    g_output_stream_close (G_OUTPUT_STREAM (self->log), NULL, NULL);
  g_clear_object (&self->log);

  if (self->log_dir != NULL)
    {
      g_autofree char *old = g_strconcat (self->log_path, ".1", NULL);
      g_unlink (self->log_path);
      g_unlink (old);
      g_rmdir (self->log_dir);
      g_clear_pointer (&self->log_dir, g_free);
    }

  G_OBJECT_CLASS (fw_demo_parent_class)->dispose (object);
}

static void
fw_demo_finalize (GObject *object)
{
  FwDemo *self = FW_DEMO (object);

  g_ptr_array_unref (self->clients);
  g_ptr_array_unref (self->backlog);
  g_rand_free (self->rand);
  g_free (self->sse_feed);
  g_free (self->log_path);

  G_OBJECT_CLASS (fw_demo_parent_class)->finalize (object);
}

static void
fw_demo_class_init (FwDemoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fw_demo_dispose;
  object_class->finalize = fw_demo_finalize;
}

static void
fw_demo_init (FwDemo *self)
{
  self->clients = g_ptr_array_new ();
  self->backlog = g_ptr_array_new_with_free_func (g_free);
  self->rand = g_rand_new ();
}

FwDemo *
fw_demo_new (void)
{
  return g_object_new (FW_TYPE_DEMO, NULL);
}
