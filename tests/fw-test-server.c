/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-test-server.c: loopback SoupServers for tests (see the header). */

#include "fw-test-server.h"

#include <string.h>

#define EVENTS_PER_BLOCK   64
#define LIVE_PER_TICK      16   /* /lines and /ws: 8000 a second */
#define LIVE_TICK_MS       2

/**
 * fw_test_server_listen:
 * @options: extra listen options (SOUP_SERVER_LISTEN_HTTPS); IPv4 is implied
 *
 * Listens on 127.0.0.1 at a free port, failing the test if it cannot.
 *
 * Returns: the port
 */
guint16
fw_test_server_listen (SoupServer              *server,
                       SoupServerListenOptions  options)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;
  guint16 port;

  soup_server_listen_local (server, 0, options | SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  g_assert_nonnull (uris);
  port = (guint16) g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return port;
}

/* ---------------------------------------------------------------------------------------- */
/* Numbered items */

struct _FwNumberedServer
{
  SoupServer *server;
  guint16     port;
  guint64     n_events;
  guint64     next_live;   /* the next number of /lines and /ws */
  guint       n_requests;
  GPtrArray  *sockets;     /* open WebSocket connections (server side) */
};

/* One streaming response, and what it sends next. */
typedef struct
{
  FwNumberedServer  *server;
  SoupServerMessage *msg;        /* owns this */
  GSource           *timer;      /* schedules the next block */
  guint64            next;       /* of /events */
  gboolean           written;    /* the last block left */
  gboolean           done;
} Response;

/* "N: a é € 𝄞 N": every multibyte length, and the number twice so a cut between can show */
char *
fw_numbered_text (guint64 n)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT ": a \xc3\xa9 \xe2\x82\xac \xf0\x9d\x84\x9e %"
                          G_GUINT64_FORMAT, n, n);
}

static void
append_line (GString *out,
             guint64  n)
{
  g_autofree char *text = fw_numbered_text (n);

  g_string_append_printf (out, "{\"n\":%" G_GUINT64_FORMAT ",\"msg\":\"%s\"}\n", n, text);
}

static void
append_take (Response *response,
             GString  *block)
{
  gsize len = block->len;

  response->written = FALSE;
  soup_message_body_append (soup_server_message_get_response_body (response->msg),
                            SOUP_MEMORY_TAKE, g_string_free (block, FALSE), len);
  soup_server_message_unpause (response->msg);
}

static void
write_next_events (Response *response)
{
  GString *block;
  guint64 end;

  if (response->next > response->server->n_events)
    {
      soup_message_body_complete (soup_server_message_get_response_body (response->msg));
      soup_server_message_unpause (response->msg);
      response->done = TRUE;
      return;
    }

  block = g_string_sized_new (EVENTS_PER_BLOCK * 64);
  end = MIN (response->next + EVENTS_PER_BLOCK - 1, response->server->n_events);
  for (; response->next <= end; response->next++)
    {
      g_autofree char *text = fw_numbered_text (response->next);

      g_string_append_printf (block, "id: %" G_GUINT64_FORMAT "\ndata: %s\n\n",
                              response->next, text);
    }
  append_take (response, block);
}

static void
write_next_lines (Response *response)
{
  GString *block = g_string_sized_new (LIVE_PER_TICK * 64);
  FwNumberedServer *self = response->server;

  for (guint i = 0; i < LIVE_PER_TICK; i++)
    append_line (block, self->next_live++);
  append_take (response, block);
}

/* Events go as fast as they are written, one block per main-loop iteration: the socket takes
 * megabytes before it pushes back, and a loop that filled it at once would stall the client
 * sharing the thread. */
static gboolean
on_events_due (gpointer user_data)
{
  Response *response = user_data;

  g_clear_pointer (&response->timer, g_source_unref);
  write_next_events (response);
  return G_SOURCE_REMOVE;
}

static void
on_wrote_events (SoupServerMessage *msg,
                 Response          *response)
{
  if (response->done || response->timer != NULL)
    return;

  response->timer = g_idle_source_new ();
  g_source_set_priority (response->timer, G_PRIORITY_DEFAULT);
  g_source_set_callback (response->timer, on_events_due, response, NULL);
  g_source_attach (response->timer, g_main_context_get_thread_default ());
}

/* Live lines come at a steady rate, like a real feed's, so what a broken connection loses is
 * what was sent meanwhile, not what the sockets could buffer. A block not yet written skips
 * its turn: those numbers are not made, so they are no gap. */
static gboolean
on_lines_due (gpointer user_data)
{
  Response *response = user_data;

  if (response->written)
    write_next_lines (response);
  return G_SOURCE_CONTINUE;
}

static void
on_wrote_lines (SoupServerMessage *msg,
                Response          *response)
{
  response->written = TRUE;
}

static void
response_free (Response *response)
{
  if (response->timer != NULL)
    {
      g_source_destroy (response->timer);
      g_source_unref (response->timer);
    }
  g_free (response);
}

static Response *
start_stream (SoupServerMessage *msg,
              FwNumberedServer  *self,
              SoupEncoding       encoding,
              const char        *type)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  Response *response = g_new0 (Response, 1);

  response->server = self;
  response->msg = msg;
  g_object_set_data_full (G_OBJECT (msg), "fw-numbered-response", response,
                          (GDestroyNotify) response_free);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_encoding (headers, encoding);
  soup_message_headers_set_content_type (headers, type, NULL);
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
  return response;
}

static void
start_events (SoupServerMessage *msg,
              FwNumberedServer  *self,
              guint64            first)
{
  Response *response = start_stream (msg, self, SOUP_ENCODING_CHUNKED, "text/event-stream");

  response->next = first;
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (on_wrote_events), response);
  write_next_events (response);
}

static void
start_lines (SoupServerMessage *msg,
             FwNumberedServer  *self,
             SoupEncoding       encoding)
{
  Response *response = start_stream (msg, self, encoding, "application/x-ndjson");

  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (on_wrote_lines), response);
  write_next_lines (response);
  response->timer = g_timeout_source_new (LIVE_TICK_MS);
  g_source_set_callback (response->timer, on_lines_due, response, NULL);
  g_source_attach (response->timer, g_main_context_get_thread_default ());
}

static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  FwNumberedServer *self = user_data;

  self->n_requests++;

  if (g_str_equal (path, "/events"))
    {
      SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
      const char *last_event_id = soup_message_headers_get_one (request, "Last-Event-ID");
      guint64 last = 0;

      if (last_event_id != NULL)
        g_assert_true (g_ascii_string_to_unsigned (last_event_id, 10, 0, self->n_events, &last,
                                                   NULL));
      if (last >= self->n_events)
        soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
      else
        start_events (msg, self, last + 1);
    }
  else if (g_str_equal (path, "/lines"))
    start_lines (msg, self, SOUP_ENCODING_CHUNKED);
  else if (g_str_equal (path, "/lines-eof"))
    start_lines (msg, self, SOUP_ENCODING_EOF);
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static gboolean
on_ws_tick (gpointer user_data)
{
  SoupWebsocketConnection *conn = user_data;
  FwNumberedServer *self = g_object_get_data (G_OBJECT (conn), "fw-numbered-server");

  if (soup_websocket_connection_get_state (conn) != SOUP_WEBSOCKET_STATE_OPEN)
    return G_SOURCE_REMOVE;

  /* Paced, because a WebSocket has no backpressure: its queue would take anything. */
  for (guint i = 0; i < LIVE_PER_TICK; i++)
    {
      g_autoptr(GString) line = g_string_new (NULL);

      append_line (line, self->next_live++);
      g_string_truncate (line, line->len - 1);
      soup_websocket_connection_send_text (conn, line->str);
    }
  return G_SOURCE_CONTINUE;
}

static void
on_ws_closed (SoupWebsocketConnection *conn,
              gpointer                 user_data)
{
  GSource *tick = g_object_get_data (G_OBJECT (conn), "fw-numbered-tick");

  g_source_destroy (tick);
}

static void
on_websocket (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *conn,
              gpointer                 user_data)
{
  FwNumberedServer *self = user_data;
  GSource *tick = g_timeout_source_new (LIVE_TICK_MS);

  self->n_requests++;
  g_ptr_array_add (self->sockets, g_object_ref (conn));
  g_object_set_data (G_OBJECT (conn), "fw-numbered-server", self);
  g_source_set_callback (tick, on_ws_tick, g_object_ref (conn), g_object_unref);
  g_source_set_static_name (tick, "[feedwatch] numbered websocket");
  g_source_attach (tick, g_main_context_get_thread_default ());
  g_object_set_data_full (G_OBJECT (conn), "fw-numbered-tick", tick,
                          (GDestroyNotify) g_source_unref);
  g_signal_connect (conn, "closed", G_CALLBACK (on_ws_closed), NULL);
}

FwNumberedServer *
fw_numbered_server_new (guint64 n_events)
{
  FwNumberedServer *self = g_new0 (FwNumberedServer, 1);

  self->n_events = n_events;
  self->next_live = 1;
  self->sockets = g_ptr_array_new_with_free_func (g_object_unref);
  self->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (self->server, NULL, on_request, self, NULL);
  soup_server_add_websocket_handler (self->server, "/ws", NULL, NULL, on_websocket, self, NULL);
  self->port = fw_test_server_listen (self->server, 0);

  return self;
}

void
fw_numbered_server_free (FwNumberedServer *self)
{
  if (self == NULL)
    return;

  for (guint i = 0; i < self->sockets->len; i++)
    {
      SoupWebsocketConnection *conn = g_ptr_array_index (self->sockets, i);

      g_signal_handlers_disconnect_by_func (conn, on_ws_closed, NULL);
      g_source_destroy (g_object_get_data (G_OBJECT (conn), "fw-numbered-tick"));
      if (soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
    }
  soup_server_disconnect (self->server);
  g_ptr_array_unref (self->sockets);
  g_clear_object (&self->server);
  g_free (self);
}

guint16
fw_numbered_server_get_port (FwNumberedServer *self)
{
  return self->port;
}

/* Requests and WebSocket handshakes served. */
guint
fw_numbered_server_get_n_requests (FwNumberedServer *self)
{
  return self->n_requests;
}

/* How many live items (/lines, /ws) were sent, all connections together. */
guint64
fw_numbered_server_get_n_sent (FwNumberedServer *self)
{
  return self->next_live - 1;
}
