/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-sse-server.c: a loopback SSE server that sends N small events as fast as it can,
 * for bench-sse. `bench-sse-server N` prints its URL on the first line of stdout, then serves
 * every connection (one thread each) the same body: the HTTP head, then N events
 * `data: {"seq":I}\n\n` in large blocking writes, then it closes the connection (the body ends
 * with the connection, as an SSE server going away does). It exits when stdin closes.
 *
 * Plain sockets, not SoupServer: the server must not be the bottleneck of what it measures. */

#include <gio/gio.h>
#include <stdio.h>
#include <string.h>

static GBytes *body;

static const char head[] =
  "HTTP/1.1 200 OK\r\n"
  "Content-Type: text/event-stream\r\n"
  "Cache-Control: no-cache\r\n"
  "Connection: close\r\n"
  "\r\n";

static gboolean
send_all (GSocket    *socket,
          const char *data,
          gsize       len)
{
  while (len > 0)
    {
      gssize n = g_socket_send (socket, data, MIN (len, 1024 * 1024), NULL, NULL);

      if (n <= 0)
        return FALSE;
      data += n;
      len -= n;
    }
  return TRUE;
}

static gpointer
serve (gpointer data)
{
  g_autoptr(GSocket) socket = data;
  g_autoptr(GString) request = g_string_new (NULL);
  char buffer[4096];
  gsize len;
  const char *bytes;

  /* The request head, whatever it says */
  while (strstr (request->str, "\r\n\r\n") == NULL)
    {
      gssize n = g_socket_receive (socket, buffer, sizeof buffer, NULL, NULL);

      if (n <= 0)
        return NULL;
      g_string_append_len (request, buffer, n);
    }

  bytes = g_bytes_get_data (body, &len);
  if (send_all (socket, head, sizeof head - 1))
    send_all (socket, bytes, len);
  g_socket_shutdown (socket, FALSE, TRUE, NULL);
  /* Let the client read to the end before the socket goes. */
  while (g_socket_receive (socket, buffer, sizeof buffer, NULL, NULL) > 0)
    ;
  g_socket_close (socket, NULL);
  return NULL;
}

static gpointer
watch_stdin (gpointer data)
{
  char buffer[256];

  while (fread (buffer, 1, sizeof buffer, stdin) > 0)
    ;
  exit (0);
  return NULL;
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  guint64 n_events = argc > 1 ? g_ascii_strtoull (argv[1], NULL, 10) : 1000000;

  for (guint64 i = 0; i < n_events; i++)
    g_string_append_printf (text, "data: {\"seq\":%" G_GUINT64_FORMAT "}\n\n", i);
  body = g_bytes_new_take (text->str, text->len);
  g_string_free (g_steal_pointer (&text), FALSE);

  listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                           &error);
  if (listener == NULL || !g_socket_bind (listener, address, TRUE, &error) ||
      !g_socket_listen (listener, &error))
    g_error ("cannot listen: %s", error->message);
  bound = g_socket_get_local_address (listener, &error);

  printf ("http://127.0.0.1:%u/events\n",
          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  fflush (stdout);
  g_thread_unref (g_thread_new ("stdin", watch_stdin, NULL));

  for (;;)
    {
      GSocket *client = g_socket_accept (listener, NULL, &error);

      if (client == NULL)
        g_error ("accept: %s", error->message);
      g_thread_unref (g_thread_new ("serve", serve, client));
    }
}
