/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-metrics-source.c: `metrics:URL` against a loopback SoupServer (counters as rates,
 * gauges as they are, the name filter, --once, errors) and against the real
 * prometheus-node-exporter, started by the test on a loopback port. */

#include "fw-test-util.h"
#include "fw-test-server.h"

#include "sources/fw-metrics-source.h"

#include <libsoup/soup.h>
#include <math.h>
#include <string.h>

typedef struct
{
  SoupServer *server;
  char       *base;
  guint       hits;
} Fixture;

static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  Fixture *f = user_data;
  g_autoptr(GString) body = g_string_new (NULL);
  guint n;

  if (!g_str_equal (path, "/metrics"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      return;
    }

  n = f->hits++;
  if (query != NULL && g_hash_table_contains (query, "bad-utf8"))
    {
      static const char text[] = "# TYPE up gauge\nup 1\nup{who=\"\xff\xfe\"} 2\n"
                                 "up{who=\"\xc3\"} 3\nup{who=\"\xc3\xa9\"} 4\n";

      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "text/plain; version=0.0.4", SOUP_MEMORY_STATIC,
                                        text, sizeof text - 1);
      return;
    }
  if (query != NULL && g_hash_table_contains (query, "far"))
    {
      /* Millisecond timestamps a parser takes whose microseconds do not fit in 64 bits. */
      g_string_append_printf (body,
        "# TYPE far_total counter\n"
        "far_total{end=\"future\"} %u 9000000000000000000\n"
        "far_total{end=\"past\"} %u -9000000000000000000\n",
        10 * n, 10 * n);
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "text/plain; version=0.0.4", SOUP_MEMORY_COPY,
                                        body->str, body->len);
      return;
    }
  /* Timestamps one second apart per poll: rates are exact whatever the test's pace. */
  g_string_append_printf (body,
    "# HELP requests_total Requests.\n"
    "# TYPE requests_total counter\n"
    "requests_total{code=\"200\"} %u %" G_GINT64_FORMAT "\n"
    "requests_total{code=\"500\"} %u %" G_GINT64_FORMAT "\n"
    "# TYPE temperature_celsius gauge\n"
    "temperature_celsius{room=\"lab\"} %u.5\n"
    "# TYPE latency_seconds histogram\n"
    "latency_seconds_bucket{le=\"0.1\"} %u %" G_GINT64_FORMAT "\n"
    "latency_seconds_bucket{le=\"+Inf\"} %u %" G_GINT64_FORMAT "\n"
    "latency_seconds_sum 1.5 %" G_GINT64_FORMAT "\n"
    "latency_seconds_count %u %" G_GINT64_FORMAT "\n"
    "this line is broken\n",
    10 * n, (gint64) 1000000 + 1000 * n,
    n, (gint64) 1000000 + 1000 * n,
    20 + n,
    4 * n, (gint64) 1000000 + 1000 * n,
    5 * n, (gint64) 1000000 + 1000 * n,
    (gint64) 1000000 + 1000 * n,
    5 * n, (gint64) 1000000 + 1000 * n);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/plain; version=0.0.4; charset=utf-8",
                                    SOUP_MEMORY_COPY, body->str, body->len);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, NULL, on_request, f, NULL);
  f->base = g_strdup_printf ("http://127.0.0.1:%u", fw_test_server_listen (f->server, 0));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  soup_server_disconnect (f->server);
  fw_test_iterate_idle ();
  g_clear_object (&f->server);
  g_free (f->base);
}

static FwStream *
open_feed (const char      *text,
           FwFeedOpenFlags  flags)
{
  g_autoptr(GError) error = NULL;
  FwStream *stream = fw_feed_open (text, flags, &error);

  g_assert_no_error (error);
  g_assert_true (FW_IS_METRICS_SOURCE (stream));
  return stream;
}

static FwItem *
find (GPtrArray  *items,
      const char *name)
{
  for (guint i = 0; i < items->len; i++)
    {
      FwItem *item = items->pdata[i];
      if (item->name != NULL && g_str_equal (item->name, name))
        return item;
    }
  return NULL;
}

/* Items until one more poll's worth has arrived: pulls until the batch holds @name. */
static GPtrArray *
next_poll (FwStream   *stream,
           const char *name)
{
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);

  while (find (all, name) == NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) batch = fw_test_next_batch (stream, 1000, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (batch->len, >, 0);
      for (guint i = 0; i < batch->len; i++)
        g_ptr_array_add (all, fw_item_ref (batch->pdata[i]));
    }
  return all;
}

static void
test_rates_and_gauges (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *text = g_strdup_printf ("metrics:%s/metrics#interval=20", f->base);
  g_autoptr(FwStream) stream = open_feed (text, 0);
  g_autoptr(GPtrArray) first = next_poll (stream, "temperature_celsius{room=\"lab\"}");
  g_autoptr(GPtrArray) second = NULL;
  FwItem *item;

  /* First poll: the status and the gauge; counters need two points for a rate. */
  g_assert_cmpint (((FwItem *) first->pdata[0])->kind, ==, FW_ITEM_STATUS);
  g_assert_cmpstr (((FwItem *) first->pdata[0])->text, ==, "connected");
  item = find (first, "temperature_celsius{room=\"lab\"}");
  g_assert_cmpint (item->kind, ==, FW_ITEM_READING);
  g_assert_cmpfloat (item->value, ==, 20.5);
  g_assert_null (item->unit);
  g_assert_null (find (first, "requests_total{code=\"200\"}"));

  second = next_poll (stream, "requests_total{code=\"200\"}");
  item = find (second, "requests_total{code=\"200\"}");
  g_assert_true (item->flags & FW_ITEM_FLAG_HAS_VALUE);
  g_assert_cmpfloat (item->value, ==, 10.0);
  g_assert_cmpstr (item->unit, ==, "/s");
  g_assert_cmpfloat (find (second, "requests_total{code=\"500\"}")->value, ==, 1.0);
  g_assert_cmpfloat (find (second, "latency_seconds_bucket{le=\"+Inf\"}")->value, ==, 5.0);
  g_assert_cmpfloat (find (second, "latency_seconds_bucket{le=\"0.1\"}")->value, ==, 4.0);
  g_assert_cmpfloat (find (second, "latency_seconds_sum")->value, ==, 0.0);
  g_assert_cmpfloat (find (second, "temperature_celsius{room=\"lab\"}")->value, ==, 21.5);
  /* No second "connected" while the endpoint stays up; the broken line is said once a poll. */
  for (guint i = 0; i < second->len; i++)
    {
      FwItem *other = second->pdata[i];

      if (other->kind == FW_ITEM_STATUS)
        g_assert_cmpstr (other->name, ==, "dropped");
      else
        g_assert_cmpint (other->kind, ==, FW_ITEM_READING);
    }
  g_assert_cmpint (find (first, "dropped")->level, ==, FW_LEVEL_WARNING);

  g_assert_cmpuint (fw_metrics_source_get_n_invalid (FW_METRICS_SOURCE (stream)), ==, 2);
  g_assert_cmpuint (fw_metrics_source_get_n_series (FW_METRICS_SOURCE (stream)), ==, 6);
  g_assert_true (fw_test_close (stream, NULL));
}

/* Timestamps beyond what microseconds hold do not overflow: the rate is over the poll times. */
static void
test_far_timestamps (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *text = g_strdup_printf ("metrics:%s/metrics?far=1#interval=20", f->base);
  g_autoptr(FwStream) stream = open_feed (text, 0);
  g_autoptr(FwItem) connected = fw_test_next (stream, NULL, NULL);
  g_autoptr(GPtrArray) second = NULL;

  /* The first poll gives no rate yet; the second gives both. */
  g_assert_cmpstr (connected->text, ==, "connected");
  second = next_poll (stream, "far_total{end=\"past\"}");

  for (guint i = 0; i < 2; i++)
    {
      FwItem *item = find (second, i == 0 ? "far_total{end=\"future\"}"
                                          : "far_total{end=\"past\"}");

      g_assert_nonnull (item);
      g_assert_true (item->flags & FW_ITEM_FLAG_HAS_VALUE);
      g_assert_true (isfinite (item->value));
      g_assert_cmpfloat (item->value, >, 0);
      g_assert_cmpstr (item->unit, ==, "/s");
    }
  g_assert_true (fw_test_close (stream, NULL));
}

static void
test_match (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *text = g_strdup_printf ("metrics:%s/metrics#interval=20&match=requests_*|nothing",
                                           f->base);
  g_autoptr(FwStream) stream = open_feed (text, 0);
  g_autoptr(GPtrArray) items = next_poll (stream, "requests_total{code=\"500\"}");

  for (guint i = 0; i < items->len; i++)
    {
      FwItem *item = items->pdata[i];
      if (item->kind == FW_ITEM_READING)
        g_assert_true (g_str_has_prefix (item->name, "requests_total{"));
    }
  g_assert_true (fw_test_close (stream, NULL));
}

/* One scrape under --once: its readings' names, in order, and its notes */
static GPtrArray *
scrape_once (Fixture    *f,
             const char *options,
             GPtrArray  *notes)
{
  g_autofree char *text = g_strdup_printf ("metrics:%s/metrics#%s", f->base, options);
  g_autoptr(FwStream) stream = open_feed (text, FW_FEED_OPEN_ONCE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = fw_test_collect (stream, &error);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  for (guint i = 0; i < items->len; i++)
    {
      FwItem *item = items->pdata[i];

      if (item->kind == FW_ITEM_READING)
        g_ptr_array_add (names, g_strdup (item->name));
      else if (item->kind == FW_ITEM_STATUS && item->level == FW_LEVEL_WARNING &&
               g_strcmp0 (item->name, "dropped") != 0)
        g_ptr_array_add (notes, g_strdup (item->text));
    }
  return names;
}

static gboolean
has_name (GPtrArray  *names,
          const char *name)
{
  return g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL);
}

/* match= takes PromQL's label matchers: =, !=, =~ and !~, several alternatives by '|' (also
 * inside a regex's quotes) */
static void
test_match_labels (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) names = NULL;

  names = scrape_once (f, "match=requests_total{code=\"500\"}", notes);
  g_assert_cmpuint (names->len, ==, 1);
  g_assert_cmpstr (names->pdata[0], ==, "requests_total{code=\"500\"}");
  g_clear_pointer (&names, g_ptr_array_unref);

  names = scrape_once (f, "match=requests_total{code!=\"500\"}", notes);
  g_assert_cmpuint (names->len, ==, 1);
  g_assert_cmpstr (names->pdata[0], ==, "requests_total{code=\"200\"}");
  g_clear_pointer (&names, g_ptr_array_unref);

  names = scrape_once (f, "match=temperature_*|latency_seconds_bucket{le=~\"0.1|1\"}", notes);
  g_assert_cmpuint (names->len, ==, 2);
  g_assert_true (has_name (names, "temperature_celsius{room=\"lab\"}"));
  g_assert_true (has_name (names, "latency_seconds_bucket{le=\"0.1\"}"));
  g_clear_pointer (&names, g_ptr_array_unref);

  names = scrape_once (f, "match=latency_seconds_bucket{le!~\"0.*\"}", notes);
  g_assert_cmpuint (names->len, ==, 1);
  g_assert_cmpstr (names->pdata[0], ==, "latency_seconds_bucket{le=\"+Inf\"}");
  g_clear_pointer (&names, g_ptr_array_unref);
  g_assert_cmpuint (notes->len, ==, 0);

  /* Written wrong: refused when opened, saying how to write it */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *text = g_strdup_printf ("metrics:%s/metrics#match=up{job=x}", f->base);
    g_autoptr(FwStream) stream = fw_feed_open (text, 0, &error);

    g_assert_null (stream);
    g_assert_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "label=\"value\""));
  }
}

/* What a scrape leaves out is said: series over max-series (gauges count as counters do), and
 * a match= that chooses nothing */
static void
test_left_out_said (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) names = NULL;

  names = scrape_once (f, "max-series=2", notes);
  g_assert_cmpuint (names->len, ==, 2);
  g_assert_cmpuint (notes->len, ==, 1);
  g_assert_cmpstr (notes->pdata[0], ==, "kept 2 of 7 series (max-series=2): raise max-series, "
                                        "or choose fewer with match=");
  g_clear_pointer (&names, g_ptr_array_unref);
  g_ptr_array_set_size (notes, 0);

  names = scrape_once (f, "match=no_such_metric", notes);
  g_assert_cmpuint (names->len, ==, 0);
  g_assert_cmpuint (notes->len, ==, 1);
  g_assert_cmpstr (notes->pdata[0], ==, "match= chose none of the 7 samples the server serves: "
                                        "check its names and labels");
}

static void
test_once (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *text = g_strdup_printf ("metrics:%s/metrics", f->base);
  g_autoptr(FwStream) stream = open_feed (text, FW_FEED_OPEN_ONCE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = fw_test_collect (stream, &error);

  g_assert_no_error (error);
  /* One poll; counters as their totals; then the end. */
  g_assert_cmpuint (f->hits, ==, 1);
  g_assert_cmpuint (items->len, ==, 1 + 7 + 1);
  g_assert_cmpfloat (find (items, "requests_total{code=\"200\"}")->value, ==, 0);
  g_assert_true (g_str_has_prefix (find (items, "dropped")->text,
                                   "dropped 1 line of this scrape: 1 not a sample or comment"));
  g_assert_null (find (items, "requests_total{code=\"200\"}")->unit);
}

/* Lines with invalid UTF-8 are dropped, but counted and said: one warning for the scrape. */
static void
test_bad_utf8 (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *text = g_strdup_printf ("metrics:%s/metrics?bad-utf8=1", f->base);
  g_autoptr(FwStream) stream = open_feed (text, FW_FEED_OPEN_ONCE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = fw_test_collect (stream, &error);
  guint n_dropped = 0;
  FwItem *dropped;

  g_assert_no_error (error);
  g_assert_cmpfloat (find (items, "up")->value, ==, 1);
  g_assert_cmpfloat (find (items, "up{who=\"\xc3\xa9\"}")->value, ==, 4);
  for (guint i = 0; i < items->len; i++)
    if (g_strcmp0 (((FwItem *) items->pdata[i])->name, "dropped") == 0)
      n_dropped++;
  g_assert_cmpuint (n_dropped, ==, 1);
  dropped = find (items, "dropped");
  g_assert_cmpint (dropped->kind, ==, FW_ITEM_STATUS);
  g_assert_cmpint (dropped->level, ==, FW_LEVEL_WARNING);
  g_assert_cmpstr (dropped->text, ==,
                   "dropped 2 lines of this scrape: 2 not valid UTF-8; the endpoint's exporter "
                   "produced them, so fix it there");
  g_assert_cmpuint (fw_metrics_source_get_n_invalid (FW_METRICS_SOURCE (stream)), ==, 2);
}

static void
test_http_error (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *text = g_strdup_printf ("metrics:%s/nope#retry=60000", f->base);
  g_autoptr(FwStream) stream = open_feed (text, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(FwItem) item = fw_test_next (stream, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (item->kind, ==, FW_ITEM_STATUS);
  g_assert_cmpstr (item->text, ==, "retrying in 60 s: HTTP 503 Service Unavailable");
  g_assert_true (fw_test_close (stream, NULL));
}

/* ---------------------------------------------------------------------------------------- */
/* The real thing */

static const char *
find_node_exporter (void)
{
  static const char * const paths[] = {
    "/usr/bin/prometheus-node-exporter", "/usr/sbin/prometheus-node-exporter",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      if (g_file_test (paths[i], G_FILE_TEST_IS_EXECUTABLE))
        return paths[i];
    }
  return NULL;
}

static guint16
free_loopback_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
test_node_exporter (void)
{
  const char *exporter = find_node_exporter ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *text = NULL;
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  guint16 port;
  FwItem *load, *idle;

  if (exporter == NULL)
    {
      g_test_skip ("prometheus-node-exporter is not installed (Debian package "
                   "prometheus-node-exporter): skipping the test against the real exporter");
      return;
    }

  port = free_loopback_port ();
  listen = g_strdup_printf ("--web.listen-address=127.0.0.1:%u", port);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                              &error, exporter, listen, "--collector.disable-defaults",
                              "--collector.cpu", "--collector.loadavg", "--collector.meminfo",
                              NULL);
  g_assert_no_error (error);

  /* It may not listen yet: the feed retries quickly until it does. */
  text = g_strdup_printf ("metrics:http://127.0.0.1:%u/metrics#interval=300&retry=100&retry-max=200",
                          port);
  stream = open_feed (text, 0);

  for (;;)
    {
      g_autoptr(GPtrArray) batch = fw_test_next_batch (stream, 10000, NULL, &error);

      g_assert_no_error (error);
      for (guint i = 0; i < batch->len; i++)
        g_ptr_array_add (items, fw_item_ref (batch->pdata[i]));
      idle = find (items, "node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"}");
      if (idle != NULL)
        break;
    }

  load = find (items, "node_load1");
  g_assert_nonnull (load);
  g_assert_cmpfloat (load->value, >=, 0);
  g_assert_null (load->unit);
  g_assert_nonnull (find (items, "node_memory_MemTotal_bytes"));
  /* A counter: a rate, in CPU seconds per second, so between 0 and a little over 1. */
  g_assert_cmpstr (idle->unit, ==, "/s");
  g_assert_cmpfloat (idle->value, >=, 0);
  g_assert_cmpfloat (idle->value, <=, 1.5);
  /* Its exposition parses cleanly, the Go runtime's summaries and histograms included. */
  g_assert_cmpuint (fw_metrics_source_get_n_invalid (FW_METRICS_SOURCE (stream)), ==, 0);
  g_test_message ("node exporter: %u items over %u polls", items->len,
                  fw_metrics_source_get_n_polls (FW_METRICS_SOURCE (stream)));

  g_assert_true (fw_test_close (stream, NULL));
  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ("/metrics-source/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("rates-and-gauges", test_rates_and_gauges);
  ADD ("match", test_match);
  ADD ("match-labels", test_match_labels);
  ADD ("left-out-said", test_left_out_said);
  ADD ("far-timestamps", test_far_timestamps);
  ADD ("once", test_once);
  ADD ("bad-utf8", test_bad_utf8);
  ADD ("http-error", test_http_error);
#undef ADD
  g_test_add_func ("/metrics-source/node-exporter", test_node_exporter);

  return g_test_run ();
}
