/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ndjson-source.c: `ndjson:URL` against a loopback SoupServer: lines to items, invalid
 * lines kept and counted, reconnection with status items, a line cut by the connection's
 * close (dropped, and said so), a line that never ends (memory bounded), a server that never
 * answers or stalls (idle timeout), HTTP errors, close. */

#include "fw-test-util.h"
#include "fw-test-server.h"

#include "sources/fw-ndjson-source.h"

#include <libsoup/soup.h>
#include <string.h>

typedef struct
{
  SoupServer *server;
  char       *base;
  guint       flaky_hits;
  guint       endless_sent;
  GPtrArray  *paused;       /* messages we never answer, unpaused at teardown */
} Fixture;

static void
start_chunked (SoupServerMessage *msg,
               const char        *type)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type (headers, type, NULL);
}

static void
append (SoupServerMessage *msg,
        const char        *text)
{
  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_COPY,
                            text, strlen (text));
}

#define ENDLESS_TOTAL (4 * 1024 * 1024)
#define ENDLESS_CHUNK (64 * 1024)

/* The never-ending line: one chunk at a time, the next when the last was written, so the
 * server holds no more than a chunk either. */
static void
on_endless_wrote_chunk (SoupServerMessage *msg,
                        gpointer           user_data)
{
  Fixture *f = user_data;
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  if (f->endless_sent >= ENDLESS_TOTAL)
    return;
  if (f->endless_sent + ENDLESS_CHUNK >= ENDLESS_TOTAL)
    {
      g_autofree char *chunk = g_strnfill (ENDLESS_CHUNK, 'x');
      soup_message_body_append (body, SOUP_MEMORY_COPY, chunk, ENDLESS_CHUNK);
      append (msg, "\n{\"msg\":\"after\"}\n");
      soup_message_body_complete (body);
    }
  else
    {
      soup_message_body_append (body, SOUP_MEMORY_TAKE, g_strnfill (ENDLESS_CHUNK, 'x'),
                                ENDLESS_CHUNK);
    }
  f->endless_sent += ENDLESS_CHUNK;
  soup_server_message_unpause (msg);
}

static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  Fixture *f = user_data;

  if (g_str_equal (path, "/lines"))
    {
      start_chunked (msg, "application/x-ndjson");
      append (msg, "{\"level\":\"error\",\"msg\":\"a\",\"code\":7}\nnot json\n\n");
      append (msg, "{\"msg\":\"b\"}\r\n[1,2");
      soup_message_body_complete (soup_server_message_get_response_body (msg));
    }
  else if (g_str_equal (path, "/cut-eof") || g_str_equal (path, "/last-eof"))
    {
      /* Ended by closing the connection, so a cut looks like an end to the client. */
      start_chunked (msg, "application/x-ndjson");
      soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg),
                                         SOUP_ENCODING_EOF);
      append (msg, "{\"msg\":\"whole\"}\n");
      append (msg, g_str_equal (path, "/cut-eof") ? "{\"msg\":\"cu" : "{\"msg\":\"last\"}");
      soup_message_body_complete (soup_server_message_get_response_body (msg));
    }
  else if (g_str_equal (path, "/flaky"))
    {
      g_autofree char *line = g_strdup_printf ("{\"msg\":\"hit %u\"}\n", ++f->flaky_hits);

      start_chunked (msg, "application/x-ndjson");
      append (msg, line);
      soup_message_body_complete (soup_server_message_get_response_body (msg));
    }
  else if (g_str_equal (path, "/endless"))
    {
      start_chunked (msg, "application/x-ndjson");
      f->endless_sent = 0;
      g_signal_connect (msg, "wrote-chunk", G_CALLBACK (on_endless_wrote_chunk), f);
      on_endless_wrote_chunk (msg, f);
    }
  else if (g_str_equal (path, "/silent"))
    {
      soup_server_message_pause (msg);
      g_ptr_array_add (f->paused, g_object_ref (msg));
    }
  else if (g_str_equal (path, "/stall"))
    {
      start_chunked (msg, "application/x-ndjson");
      append (msg, "{\"msg\":\"only\"}\n");
      g_ptr_array_add (f->paused, g_object_ref (msg));
    }
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->paused = g_ptr_array_new_with_free_func (g_object_unref);
  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, NULL, on_request, f, NULL);
  f->base = g_strdup_printf ("http://127.0.0.1:%u", fw_test_server_listen (f->server, 0));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  for (guint i = 0; i < f->paused->len; i++)
    {
      SoupServerMessage *msg = g_ptr_array_index (f->paused, i);
      soup_message_body_complete (soup_server_message_get_response_body (msg));
      soup_server_message_unpause (msg);
    }
  soup_server_disconnect (f->server);
  fw_test_iterate_idle ();
  g_clear_object (&f->server);
  g_ptr_array_unref (f->paused);
  g_free (f->base);
}

static FwStream *
open_feed (Fixture         *f,
           const char      *path_and_options,
           FwFeedOpenFlags  flags)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup_printf ("ndjson:%s%s", f->base, path_and_options);
  FwStream *stream = fw_feed_open (text, flags, &error);

  g_assert_no_error (error);
  g_assert_true (FW_IS_NDJSON_SOURCE (stream));
  return stream;
}

static void
test_lines_once (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(FwStream) stream = open_feed (f, "/lines", FW_FEED_OPEN_ONCE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = fw_test_collect (stream, &error);
  FwItem *item;

  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 5);
  fw_test_assert_status (items->pdata[0], "connected");

  item = items->pdata[1];
  g_assert_cmpint (item->kind, ==, FW_ITEM_MESSAGE);
  g_assert_cmpint (item->level, ==, FW_LEVEL_ERROR);
  g_assert_cmpstr (item->text, ==, "a");
  g_assert_cmpstr (item->feed, ==, fw_stream_get_name (stream));
  g_assert_true (g_variant_lookup (item->fields, "code", "x", NULL));

  item = items->pdata[2];
  g_assert_cmpint (item->kind, ==, FW_ITEM_LINE);
  g_assert_cmpstr (item->text, ==, "not json");

  item = items->pdata[3];
  g_assert_cmpint (item->kind, ==, FW_ITEM_MESSAGE);
  g_assert_cmpstr (item->text, ==, "b");

  /* The last line had no newline, and is not JSON either: kept, counted. */
  item = items->pdata[4];
  g_assert_cmpint (item->kind, ==, FW_ITEM_LINE);
  g_assert_cmpstr (item->text, ==, "[1,2");

  g_assert_cmpuint (fw_ndjson_source_get_n_invalid (FW_NDJSON_SOURCE (stream)), ==, 2);
}

static void
test_reconnect (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(FwStream) stream = open_feed (f, "/flaky#retry=10&retry-max=40", 0);
  g_autoptr(FwItem) s1 = fw_test_next_item (stream);
  g_autoptr(FwItem) m1 = fw_test_next_item (stream);
  g_autoptr(FwItem) r1 = fw_test_next_item (stream);
  g_autoptr(FwItem) s2 = fw_test_next_item (stream);
  g_autoptr(FwItem) m2 = fw_test_next_item (stream);
  g_autoptr(FwItem) r2 = fw_test_next_item (stream);

  fw_test_assert_status (s1, "connected");
  g_assert_cmpstr (m1->text, ==, "hit 1");
  fw_test_assert_status (r1, "retrying in ");
  g_assert_nonnull (strstr (r1->text, "the server ended the response"));
  fw_test_assert_status (s2, "connected");
  g_assert_cmpstr (m2->text, ==, "hit 2");
  fw_test_assert_status (r2, "retrying in ");
  g_assert_cmpuint (fw_ndjson_source_get_n_connects (FW_NDJSON_SOURCE (stream)), ==, 2);
  g_assert_true (fw_test_close (stream, NULL));
}

/* A response that ends with the connection, in the middle of a line: the line was cut, and
 * must not become an item; the status says what was dropped. */
static void
test_cut_line (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(FwStream) stream = open_feed (f, "/cut-eof#retry=60000", 0);
  g_autoptr(FwStream) once = open_feed (f, "/cut-eof", FW_FEED_OPEN_ONCE);
  g_autoptr(FwItem) connected = fw_test_next_item (stream);
  g_autoptr(FwItem) whole = fw_test_next_item (stream);
  g_autoptr(FwItem) retrying = fw_test_next_item (stream);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  fw_test_assert_status (connected, "connected");
  g_assert_cmpstr (whole->text, ==, "whole");
  fw_test_assert_status (retrying, "retrying in 60 s: the connection closed in the middle of "
                                   "a line, which was dropped");
  g_assert_cmpuint (fw_ndjson_source_get_n_invalid (FW_NDJSON_SOURCE (stream)), ==, 0);
  g_assert_true (fw_test_close (stream, NULL));

  items = fw_test_collect (once, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 3);
  fw_test_assert_status (items->pdata[0], "connected");
  g_assert_cmpstr (((FwItem *) items->pdata[1])->text, ==, "whole");
  fw_test_assert_status (items->pdata[2], "the connection closed in the middle of a line");
}

/* The same end after a last line that is whole JSON: it counts, newline or not. */
static void
test_last_line_at_close (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(FwStream) stream = open_feed (f, "/last-eof#retry=60000", 0);
  g_autoptr(FwItem) connected = fw_test_next_item (stream);
  g_autoptr(FwItem) whole = fw_test_next_item (stream);
  g_autoptr(FwItem) last = fw_test_next_item (stream);
  g_autoptr(FwItem) retrying = fw_test_next_item (stream);

  fw_test_assert_status (connected, "connected");
  g_assert_cmpstr (whole->text, ==, "whole");
  g_assert_cmpint (last->kind, ==, FW_ITEM_MESSAGE);
  g_assert_cmpstr (last->text, ==, "last");
  fw_test_assert_status (retrying, "retrying in 60 s: the server ended the response");
  g_assert_true (fw_test_close (stream, NULL));
}

static void
test_endless_line (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(FwStream) stream = open_feed (f, "/endless", FW_FEED_OPEN_ONCE);
  g_autoptr(FwItem) connected = fw_test_next_item (stream);
  g_autoptr(FwItem) cut = fw_test_next_item (stream);
  g_autoptr(FwItem) after = NULL;
  g_autoptr(GError) error = NULL;
  FwItem *end;

  fw_test_assert_status (connected, "connected");
  g_assert_cmpint (cut->kind, ==, FW_ITEM_LINE);
  g_assert_true (cut->flags & FW_ITEM_FLAG_TRUNCATED);
  g_assert_cmpuint (cut->text_len, ==, FW_NDJSON_DEFAULT_MAX_LINE);
  /* What the source holds for a line in progress never passes the cap. */
  g_assert_cmpuint (fw_ndjson_source_get_pending_bytes (FW_NDJSON_SOURCE (stream)), <=,
                    FW_NDJSON_DEFAULT_MAX_LINE);

  after = fw_test_next_item (stream);
  g_assert_cmpint (after->kind, ==, FW_ITEM_MESSAGE);
  g_assert_cmpstr (after->text, ==, "after");
  g_assert_cmpuint (f->endless_sent, >=, ENDLESS_TOTAL);
  g_assert_cmpuint (fw_ndjson_source_get_n_truncated (FW_NDJSON_SOURCE (stream)), ==, 1);
  g_assert_cmpuint (fw_ndjson_source_get_pending_bytes (FW_NDJSON_SOURCE (stream)), <=,
                    FW_NDJSON_DEFAULT_MAX_LINE);

  end = fw_test_next (stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (end);
}

static void
test_never_answers (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(FwStream) stream = open_feed (f, "/silent#idle-timeout=1000&retry=60000", 0);
  g_autoptr(FwItem) idle = fw_test_next_item (stream);
  g_autoptr(FwItem) retrying = fw_test_next_item (stream);

  fw_test_assert_status (idle, "idle for 1 s");
  fw_test_assert_status (retrying, "retrying in 60 s: no data for 1 s");
  g_assert_true (fw_test_close (stream, NULL));
}

static void
test_stalls (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(FwStream) stream = open_feed (f, "/stall#idle-timeout=1000&retry=60000", 0);
  g_autoptr(FwItem) connected = fw_test_next_item (stream);
  g_autoptr(FwItem) only = fw_test_next_item (stream);
  g_autoptr(FwItem) idle = fw_test_next_item (stream);

  fw_test_assert_status (connected, "connected");
  g_assert_cmpstr (only->text, ==, "only");
  fw_test_assert_status (idle, "idle for 1 s");
  g_assert_true (fw_test_close (stream, NULL));
}

static void
test_http_error (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(FwStream) stream = open_feed (f, "/missing#retry=60000", 0);
  g_autoptr(FwItem) retrying = fw_test_next_item (stream);
  g_autoptr(FwStream) once = open_feed (f, "/missing", FW_FEED_OPEN_ONCE);
  g_autoptr(GError) error = NULL;
  FwItem *item;

  fw_test_assert_status (retrying, "retrying in 60 s: HTTP 404 Not Found");
  g_assert_true (fw_test_close (stream, NULL));

  item = fw_test_next (once, NULL, &error);
  g_assert_null (item);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "HTTP 404"));
}

typedef struct
{
  gboolean  done;
  FwItem   *item;
  GError   *error;
} NextResult;

static void
on_next (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  NextResult *r = user_data;

  r->item = fw_stream_next_finish (FW_STREAM (object), result, &r->error);
  r->done = TRUE;
}

static void
test_close_while_pending (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(FwStream) stream = open_feed (f, "/silent", 0);
  FwStream *dropped = open_feed (f, "/stall", 0);
  NextResult r = { 0 };

  fw_stream_next_async (stream, NULL, on_next, &r);
  fw_test_iterate_idle ();
  fw_stream_close (stream);
  fw_test_wait_for (&r.done);
  g_assert_null (r.item);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&r.error);

  /* Dropped without close while connected: released on dispose, nothing leaks. */
  fw_item_unref (fw_test_next_item (dropped));
  fw_item_unref (fw_test_next_item (dropped));
  g_object_unref (dropped);
  fw_test_iterate_idle ();
}

/* A self-signed certificate for 127.0.0.1 (100 years), made for this test only. */
static const char test_pem[] =
  "-----BEGIN CERTIFICATE-----\n"
  "MIIBmzCCAUCgAwIBAgIUP2m0wLN/r3hex9m7OxklwAn6ZSYwCgYIKoZIzj0EAwIw\n"
  "GTEXMBUGA1UEAwwOZmVlZHdhdGNoLXRlc3QwIBcNMjYxMTIyMDIzMjM0WhgPMjEy\n"
  "NjEwMjkwMjMyMzRaMBkxFzAVBgNVBAMMDmZlZWR3YXRjaC10ZXN0MFkwEwYHKoZI\n"
  "zj0CAQYIKoZIzj0DAQcDQgAEXX9V3dNjH53ftk2St/2oiyq8YFWLKRRxmduA9O8J\n"
  "PLmy1u93S4debA42Vyk/DGmNNGYnkJRoLFlewMTANXfg5KNkMGIwHQYDVR0OBBYE\n"
  "FLqU0eaY/LeYrGLqoLT13V0WEYE2MB8GA1UdIwQYMBaAFLqU0eaY/LeYrGLqoLT1\n"
  "3V0WEYE2MA8GA1UdEwEB/wQFMAMBAf8wDwYDVR0RBAgwBocEfwAAATAKBggqhkjO\n"
  "PQQDAgNJADBGAiEAwO8LtOY21aFVK1qsnhoe4bCxJ1Pj3a6pGZK+5pniRV0CIQCq\n"
  "TBAS5PWrjiTHpd6L8NGBgdMmTU46AZslRGAg/RrQkQ==\n"
  "-----END CERTIFICATE-----\n"
  "-----BEGIN PRIVATE KEY-----\n"
  "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgvvJUv23tTCWd73N6\n"
  "Kp1R8+Zy3wnaunrnd4fnx5xRT5yhRANCAARdf1Xd02Mfnd+2TZK3/aiLKrxgVYsp\n"
  "FHGZ24D07wk8ubLW73dLh15sDjZXKT8MaY00ZieQlGgsWV7AxMA1d+Dk\n"
  "-----END PRIVATE KEY-----\n";

static void
test_tls (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = g_tls_certificate_new_from_pem (test_pem, -1, &error);
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(FwStream) strict = NULL;
  g_autoptr(FwStream) insecure = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *strict_text = NULL;
  g_autofree char *insecure_text = NULL;
  FwItem *item;
  guint port;

  g_assert_no_error (error);
  server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (server, NULL, on_request, f, NULL);
  port = fw_test_server_listen (server, SOUP_SERVER_LISTEN_HTTPS);

  /* Verified by default: an unknown certificate is a clear, final error, not a retry loop. */
  strict_text = g_strdup_printf ("ndjson:https://127.0.0.1:%u/lines", port);
  strict = fw_feed_open (strict_text, 0, &error);
  g_assert_no_error (error);
  item = fw_test_next (strict, NULL, &error);
  g_assert_null (item);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "TLS certificate of 127.0.0.1 is not valid"));
  g_assert_nonnull (strstr (error->message, "insecure=1"));
  g_clear_error (&error);

  /* Accepting it is the feed's explicit choice. */
  insecure_text = g_strdup_printf ("ndjson:https://127.0.0.1:%u/lines#insecure=1", port);
  insecure = fw_feed_open (insecure_text, FW_FEED_OPEN_ONCE, &error);
  g_assert_no_error (error);
  items = fw_test_collect (insecure, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 5);
  g_assert_cmpstr (((FwItem *) items->pdata[1])->text, ==, "a");

  soup_server_disconnect (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ("/ndjson/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("lines-once", test_lines_once);
  ADD ("reconnect", test_reconnect);
  ADD ("cut-line", test_cut_line);
  ADD ("last-line-at-close", test_last_line_at_close);
  ADD ("endless-line", test_endless_line);
  ADD ("never-answers", test_never_answers);
  ADD ("stalls", test_stalls);
  ADD ("http-error", test_http_error);
  ADD ("close-while-pending", test_close_while_pending);
  ADD ("tls/subprocess", test_tls);
  g_test_add_data_func ("/ndjson/tls", "/ndjson/tls", fw_test_run_subprocess_without_leak_check);
#undef ADD

  return g_test_run ();
}
