/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-faults.c: the network feeds through FwFaultProxy, which delays, stalls, cuts (inside an
 * event, inside a UTF-8 character), drops and refuses connections on a seeded schedule.
 * SSE resumes with Last-Event-ID and must deliver 100,000 events exactly once, in order,
 * while the main loop stays responsive; NDJSON and WebSocket cannot resume, so they must
 * reconnect, deliver nothing corrupted, and precede every gap with a reconnect status.
 *
 * A failure prints the proxy's seed: FW_FAULT_SEED=N replays its schedule. */

#include "fw-test-util.h"
#include "fw-fault-proxy.h"
#include "fw-test-server.h"

#include "sources/fw-ndjson-source.h"
#include "sources/fw-websocket-source.h"

#include <string.h>

#define SSE_EVENTS        100000
#define SSE_FAULTS        200
#define LIVE_FAULTS       40
#define LIVE_CLEAN_RUN    2000   /* items in a row that end a live test once faults are over */
#define RUN_DEADLINE_S    240
#define LAG_P99_BOUND_US  (100 * 1000)

/* Feed options: quick retries, and an idle timeout shorter than the longest stall. */
#define RETRY_OPTIONS     "retry=20&retry-max=250&idle-timeout=200"
#define STALL_MIN_MS      30
#define STALL_MAX_MS      400

typedef struct
{
  FwNumberedServer *server;
  FwFaultProxy     *proxy;
  FwStream         *stream;
  gboolean          done;
  FwForEachEnd      end;
  GError           *error;
  gint64            started_us;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  guint32 seed = fw_fault_proxy_pick_seed ();

  f->server = fw_numbered_server_new (SSE_EVENTS);
  f->proxy = fw_fault_proxy_new (fw_numbered_server_get_port (f->server), seed);
  fw_fault_proxy_set_stall_range (f->proxy, STALL_MIN_MS, STALL_MAX_MS);
  g_test_message ("fault proxy seed %" G_GUINT32_FORMAT " (FW_FAULT_SEED=%" G_GUINT32_FORMAT
                  " replays it)", seed, seed);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->stream != NULL)
    {
      g_assert_true (fw_test_close (f->stream, NULL));
      g_clear_object (&f->stream);
    }
  fw_fault_proxy_stop (f->proxy);
  fw_test_iterate_idle ();
  g_clear_object (&f->proxy);
  g_clear_pointer (&f->server, fw_numbered_server_free);
  fw_test_iterate_idle ();
  g_clear_error (&f->error);
}

/* "sse:http" and "/events": the feed through the proxy, with quick retries */
static void
open_feed (Fixture    *f,
           const char *scheme,
           const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup_printf ("%s://127.0.0.1:%u%s#" RETRY_OPTIONS, scheme,
                                           fw_fault_proxy_get_port (f->proxy), path);

  f->stream = fw_feed_open (text, 0, &error);
  g_assert_no_error (error);
}

static gboolean
on_deadline (gpointer user_data)
{
  g_error ("test-faults: no end after %d s; %s", RUN_DEADLINE_S,
           fw_fault_proxy_describe (user_data));
  return G_SOURCE_REMOVE;
}

static void
on_loop_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Fixture *f = user_data;

  f->end = fw_stream_for_each_finish (FW_STREAM (object), result, &f->error);
  f->done = TRUE;
}

/* Reads the feed with @func until it stops (or the stream ends), with a generous deadline. */
static void
run_feed (Fixture       *f,
          FwForEachFunc  func,
          gpointer       data)
{
  GSource *deadline = g_timeout_source_new_seconds (RUN_DEADLINE_S);

  g_source_set_callback (deadline, on_deadline, f->proxy, NULL);
  g_source_attach (deadline, NULL);

  f->started_us = g_get_monotonic_time ();
  fw_stream_for_each_async (f->stream, 256, func, data, NULL, NULL, on_loop_done, f);
  while (!f->done)
    g_main_context_iteration (NULL, TRUE);

  g_source_destroy (deadline);
  g_source_unref (deadline);
}

static void
report_proxy (Fixture *f)
{
  g_autofree char *proxy = fw_fault_proxy_describe (f->proxy);

  g_test_message ("%s; %u requests served; %.1f s",
                  proxy, fw_numbered_server_get_n_requests (f->server),
                  (g_get_monotonic_time () - f->started_us) / 1e6);
}

/* Every kind drawn at least once: the schedule did what the test says it does. */
static void
assert_all_kinds_injected (FwFaultProxy *proxy)
{
  for (FwFaultKind kind = 0; kind < FW_FAULT_N_KINDS; kind++)
    {
      if (fw_fault_proxy_get_n_faults (proxy, kind) == 0)
        g_error ("no “%s” fault was injected", fw_fault_kind_to_string (kind));
    }
}

/* ---------------------------------------------------------------------------------------- */
/* SSE: exactly once, in order, through 200 faults */

typedef struct
{
  guint64 next;          /* the number the next event must carry */
  guint   n_connecting;
  guint   n_live;
  guint   n_retrying;
  guint   n_idle;        /* retrying after a stall past the idle timeout */
  guint   n_ended;
} SseCheck;

static gboolean
check_sse_item (FwItem   *item,
                gpointer  user_data)
{
  SseCheck *check = user_data;

  if (item->kind == FW_ITEM_STATUS)
    {
      g_assert_cmpuint (check->n_ended, ==, 0);
      if (g_strcmp0 (item->name, "connecting") == 0)
        check->n_connecting++;
      else if (g_strcmp0 (item->name, "live") == 0)
        check->n_live++;
      else if (g_strcmp0 (item->name, "retrying") == 0)
        {
          check->n_retrying++;
          check->n_idle += strstr (item->text, ": no data for ") != NULL;
        }
      else if (g_strcmp0 (item->name, "ended") == 0)
        check->n_ended++;
      else
        g_error ("unexpected status %s: %s", item->name, item->text);
      return TRUE;
    }

  g_assert_cmpint (item->kind, ==, FW_ITEM_EVENT);
  {
    g_autofree char *id = g_strdup_printf ("%" G_GUINT64_FORMAT, check->next);
    g_autofree char *text = fw_numbered_text (check->next);

    /* Any loss, repeat or reordering shows as the wrong id; any cut as the wrong text. */
    if (g_strcmp0 (item->id, id) != 0)
      g_error ("event %s arrived where %s was due", item->id, id);
    g_assert_cmpstr (item->text, ==, text);
  }
  check->next++;
  return TRUE;
}

static void
test_sse (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(FwLoopMonitor) monitor = fw_loop_monitor_new (10, 100000);
  SseCheck check = { .next = 1 };
  guint breaking;

  /* About 4.5 MB go through: faults every 16 KiB spread over most of the stream. */
  fw_fault_proxy_set_budget (f->proxy, SSE_FAULTS);
  fw_fault_proxy_set_mean_gap (f->proxy, 16 * 1024);
  open_feed (f, "sse:http", "/events");

  fw_loop_monitor_start (monitor);
  run_feed (f, check_sse_item, &check);
  fw_loop_monitor_stop (monitor);
  report_proxy (f);
  g_test_message ("%" G_GUINT64_FORMAT " events; %u connecting, %u live, %u retrying (%u after "
                  "the idle timeout); main-loop lag over %u samples: p50 %.1f ms, p99 %.1f ms, "
                  "max %.1f ms",
                  check.next - 1, check.n_connecting, check.n_live, check.n_retrying,
                  check.n_idle,
                  fw_loop_monitor_get_n_samples (monitor),
                  fw_loop_monitor_get_lag_p50_us (monitor) / 1000.0,
                  fw_loop_monitor_get_lag_p99_us (monitor) / 1000.0,
                  fw_loop_monitor_get_lag_max_us (monitor) / 1000.0);

  /* The feed ended at the server's 204, after every event, each exactly once and in order. */
  g_assert_no_error (f->error);
  g_assert_cmpint (f->end, ==, FW_FOR_EACH_EXHAUSTED);
  g_assert_cmpuint (check.next - 1, ==, SSE_EVENTS);
  g_assert_cmpuint (check.n_ended, ==, 1);

  /* The whole budget was spent, on every kind of fault. */
  g_assert_cmpuint (fw_fault_proxy_get_n_faults_total (f->proxy), ==, SSE_FAULTS);
  g_assert_true (fw_fault_proxy_is_transparent (f->proxy));
  assert_all_kinds_injected (f->proxy);

  /* Every connection attempt the proxy saw was one the feed announced (the request after the
   * last event may reuse the connection that carried it), and every one of them but the last
   * (the 204) ended in a "retrying" status. The faults that break a connection cannot have
   * gone unreported: at least one reconnect each (a stall past the idle timeout and refused
   * attempts add more). */
  g_assert_cmpuint (check.n_connecting, >=,
                    fw_fault_proxy_get_n_connections (f->proxy) +
                    fw_fault_proxy_get_n_refused (f->proxy));
  g_assert_cmpuint (check.n_retrying + 1, ==, check.n_connecting);
  breaking = fw_fault_proxy_get_n_faults (f->proxy, FW_FAULT_CUT) +
             fw_fault_proxy_get_n_faults (f->proxy, FW_FAULT_CUT_UTF8) +
             fw_fault_proxy_get_n_faults (f->proxy, FW_FAULT_DROP) +
             fw_fault_proxy_get_n_faults (f->proxy, FW_FAULT_REFUSE);
  g_assert_cmpuint (check.n_retrying, >=, breaking);
  g_assert_cmpuint (check.n_idle, >, 0);

  /* Responsive throughout: no dispatch blocked the loop. */
  g_assert_cmpuint (fw_loop_monitor_get_n_samples (monitor), >, 100);
  g_assert_cmpint (fw_loop_monitor_get_lag_p99_us (monitor), <, LAG_P99_BOUND_US);
}

/* ---------------------------------------------------------------------------------------- */
/* NDJSON and WebSocket: no resume, so every gap must follow a reconnect */

typedef struct
{
  FwFaultProxy *proxy;
  guint64 last;            /* the last number delivered, 0 before the first */
  guint   run;             /* items since the last reconnect */
  guint   n_items;
  guint   n_connected;
  guint   n_retrying;
  guint   n_gaps;
  guint64 n_missing;
  guint   n_cut_lines;     /* reconnects that dropped a line cut short */
  gboolean reconnected;    /* a "retrying" status since the last item */
} LiveCheck;

static gboolean
check_live_item (FwItem   *item,
                 gpointer  user_data)
{
  LiveCheck *check = user_data;
  gint64 n = 0;

  if (item->kind == FW_ITEM_STATUS)
    {
      if (g_str_has_prefix (item->text, "connected"))
        check->n_connected++;
      else if (g_str_has_prefix (item->text, "retrying in "))
        {
          check->n_retrying++;
          check->n_cut_lines += strstr (item->text, "in the middle of a line") != NULL;
          check->reconnected = TRUE;
          check->run = 0;
        }
      else if (!g_str_has_prefix (item->text, "idle for "))
        g_error ("unexpected status: %s", item->text);
      return TRUE;
    }

  /* Whole and parsed: a line or message cut short is never passed off as an item. */
  if (item->kind != FW_ITEM_MESSAGE || (item->flags & FW_ITEM_FLAG_TRUNCATED) ||
      item->fields == NULL || !g_variant_lookup (item->fields, "n", "x", &n))
    g_error ("a corrupted item after %" G_GUINT64_FORMAT ": kind %d, flags %#x, “%s”",
             check->last, item->kind, item->flags, item->text);
  {
    g_autofree char *text = fw_numbered_text ((guint64) n);

    g_assert_cmpstr (item->text, ==, text);
  }

  /* In order, never twice; a jump only where the feed said it reconnected. */
  g_assert_cmpint (n, >, (gint64) check->last);
  if ((guint64) n != check->last + 1)
    {
      if (!check->reconnected)
        g_error ("items %" G_GUINT64_FORMAT "…%" G_GINT64_FORMAT " are missing, and no "
                 "reconnect was reported", check->last + 1, n - 1);
      check->n_gaps++;
      check->n_missing += (guint64) n - check->last - 1;
    }
  check->reconnected = FALSE;
  check->last = (guint64) n;
  check->n_items++;
  check->run++;

  /* Go on until the faults are over and the feed is whole again for a while. */
  return !fw_fault_proxy_is_transparent (check->proxy) || check->run < LIVE_CLEAN_RUN;
}

static void
run_live (Fixture    *f,
          const char *scheme,
          const char *path,
          LiveCheck  *out_check)
{
  LiveCheck check = { .proxy = f->proxy };
  guint breaking;

  /* The server sends 8000 items (360 KB) a second: a fault every 20 ms of stream or so. */
  fw_fault_proxy_set_budget (f->proxy, LIVE_FAULTS);
  fw_fault_proxy_set_mean_gap (f->proxy, 8 * 1024);
  open_feed (f, scheme, path);

  run_feed (f, check_live_item, &check);
  report_proxy (f);
  g_test_message ("%u items up to %" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT " missing in %u "
                  "gaps; %u connected, %u retrying (%u dropped a cut line)",
                  check.n_items, check.last, check.n_missing, check.n_gaps, check.n_connected,
                  check.n_retrying, check.n_cut_lines);

  g_assert_no_error (f->error);
  g_assert_cmpint (f->end, ==, FW_FOR_EACH_STOPPED);
  g_assert_cmpuint (check.run, ==, LIVE_CLEAN_RUN);
  g_assert_cmpuint (check.n_items + check.n_missing, ==, check.last);

  g_assert_cmpuint (fw_fault_proxy_get_n_faults_total (f->proxy), ==, LIVE_FAULTS);
  assert_all_kinds_injected (f->proxy);

  /* Each connection attempt but the one still open ended in a "retrying" status, so each
   * broken connection was reported. */
  g_assert_cmpuint (check.n_retrying + 1, ==,
                    fw_fault_proxy_get_n_connections (f->proxy) +
                    fw_fault_proxy_get_n_refused (f->proxy));
  g_assert_cmpuint (check.n_connected, <=, fw_fault_proxy_get_n_connections (f->proxy));
  breaking = fw_fault_proxy_get_n_faults (f->proxy, FW_FAULT_CUT) +
             fw_fault_proxy_get_n_faults (f->proxy, FW_FAULT_CUT_UTF8) +
             fw_fault_proxy_get_n_faults (f->proxy, FW_FAULT_DROP) +
             fw_fault_proxy_get_n_faults (f->proxy, FW_FAULT_REFUSE);
  g_assert_cmpuint (check.n_retrying, >=, breaking);
  g_assert_cmpuint (check.n_gaps, >, 0);
  g_assert_cmpuint (check.n_gaps, <=, check.n_retrying);
  *out_check = check;
}

static void
test_ndjson (Fixture       *f,
             gconstpointer  data)
{
  const char *path = data;
  LiveCheck check;

  run_live (f, "ndjson:http", path, &check);
  g_assert_cmpuint (fw_ndjson_source_get_n_invalid (FW_NDJSON_SOURCE (f->stream)), ==, 0);
  g_assert_cmpuint (fw_ndjson_source_get_n_truncated (FW_NDJSON_SOURCE (f->stream)), ==, 0);

  /* A chunked response says when it was cut (libsoup fails the read); one that ends with the
   * connection does not, so there the source itself must see the unfinished line. */
  if (g_str_equal (path, "/lines-eof"))
    g_assert_cmpuint (check.n_cut_lines, >, 0);
  else
    g_assert_cmpuint (check.n_cut_lines, ==, 0);
}

static void
test_websocket (Fixture       *f,
                gconstpointer  data)
{
  LiveCheck check;

  run_live (f, "ws", "/ws", &check);
  g_assert_cmpuint (fw_websocket_source_get_n_dropped (FW_WEBSOCKET_SOURCE (f->stream)), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/faults/sse", Fixture, NULL, fixture_setup, test_sse, fixture_teardown);
  g_test_add ("/faults/ndjson/chunked", Fixture, "/lines", fixture_setup, test_ndjson,
              fixture_teardown);
  g_test_add ("/faults/ndjson/until-close", Fixture, "/lines-eof", fixture_setup, test_ndjson,
              fixture_teardown);
  g_test_add ("/faults/websocket", Fixture, NULL, fixture_setup, test_websocket,
              fixture_teardown);

  return g_test_run ();
}
