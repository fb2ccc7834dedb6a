/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-channel.c: the bounded channel under each policy, its counters, closing either side */

#include "fw-test-util.h"
#include "fw-script-source.h"

typedef struct
{
  gboolean  done;
  FwItem   *item;
  gboolean  ok;
  GError   *error;
} Wait;

static void
on_next (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->item = fw_stream_next_finish (FW_STREAM (object), result, &wait->error);
  wait->done = TRUE;
}

static void
on_sent (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = fw_channel_send_finish (FW_CHANNEL (object), result, &wait->error);
  wait->done = TRUE;
}

static FwItem *
make_item (guint n)
{
  char text[16];
  int len = g_snprintf (text, sizeof text, "%u", n);

  return fw_item_new (FW_ITEM_LINE, NULL, 0, text, len);
}

static void
assert_counters (FwChannel *channel,
                 guint64    n_in,
                 guint64    n_out,
                 guint64    n_dropped,
                 guint      high_water)
{
  g_assert_cmpuint (fw_channel_get_n_in (channel), ==, n_in);
  g_assert_cmpuint (fw_channel_get_n_out (channel), ==, n_out);
  g_assert_cmpuint (fw_channel_get_n_dropped (channel), ==, n_dropped);
  g_assert_cmpuint (fw_channel_get_high_water (channel), ==, high_water);
  g_assert_cmpuint (n_in, ==, n_out + n_dropped + fw_channel_get_length (channel));
}

typedef struct
{
  FwChannelPolicy policy;
  guint64         n_in;
  guint64         n_dropped;
  guint           high_water;
  gint64          first_out;
  gint64          last_out;
} Expect;

/* A producer offering 100 items for each one the consumer takes; 10 rounds, capacity 10.
 * Under BLOCK the producer stops at the first refusal (it would wait). */
static void
test_fast_producer (gconstpointer data)
{
  const Expect *expect = data;
  g_autoptr(FwStream) stream = fw_channel_new (10, expect->policy);
  FwChannel *channel = FW_CHANNEL (stream);
  guint offered = 0;
  guint64 n_in = 0, n_out = 0, n_dropped = 0;
  guint high_water = 0;

  for (guint round = 0; round < 10; round++)
    {
      g_autoptr(FwItem) item = NULL;

      for (guint i = 0; i < 100; i++)
        {
          g_autoptr(FwItem) offer = make_item (offered);

          if (!fw_channel_try_send (channel, offer))
            break;
          offered++;
        }
      item = fw_test_next (stream, NULL, NULL);
      if (round == 0)
        g_assert_cmpint (fw_test_item_number (item), ==, expect->first_out);
      if (round == 9)
        g_assert_cmpint (fw_test_item_number (item), ==, expect->last_out);
    }
  assert_counters (channel, expect->n_in, 10, expect->n_dropped, expect->high_water);

  /* The same figures as properties, once the coalesced notifications ran. */
  fw_test_iterate_idle ();
  g_object_get (channel, "n-in", &n_in, "n-out", &n_out, "n-dropped", &n_dropped,
                "high-water", &high_water, NULL);
  g_assert_cmpuint (n_in, ==, expect->n_in);
  g_assert_cmpuint (n_out, ==, 10);
  g_assert_cmpuint (n_dropped, ==, expect->n_dropped);
  g_assert_cmpuint (high_water, ==, expect->high_water);
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_notify_coalesced (void)
{
  g_autoptr(FwStream) stream = fw_channel_new (10, FW_CHANNEL_DROP_OLDEST);
  guint n_notify = 0;

  g_signal_connect (stream, "notify::n-dropped", G_CALLBACK (on_notify), &n_notify);
  for (guint i = 0; i < 1000; i++)
    {
      g_autoptr(FwItem) item = make_item (i);
      fw_channel_try_send (FW_CHANNEL (stream), item);
    }
  g_assert_cmpuint (n_notify, ==, 0);
  fw_test_iterate_idle ();
  g_assert_cmpuint (n_notify, ==, 1);
  fw_test_iterate_idle ();
  g_assert_cmpuint (n_notify, ==, 1);
}

/* BLOCK is real backpressure: once full, the producer is not pulled at all. */
static void
test_block_stops_pulling (void)
{
  FwScriptSource src = { .n_items = G_MAXUINT };
  FwScriptSource free_src = { .n_items = G_MAXUINT };
  g_autoptr(FwStream) blocked = fw_channel_new_for_stream (fw_script_source_new (&src), 10,
                                                           FW_CHANNEL_BLOCK);
  g_autoptr(FwStream) dropping = NULL;
  g_autoptr(FwItem) a = fw_test_next (blocked, NULL, NULL);
  g_autoptr(FwItem) b = NULL;

  fw_test_iterate_idle (); /* returns: nothing left to do once the queue is full */
  g_assert_cmpuint (src.n_produced, ==, 1 + 10);
  g_assert_false (src.pending);
  assert_counters (FW_CHANNEL (blocked), 11, 1, 0, 10);

  /* Taking one makes room, but the producer waits until the queue is down to half... */
  g_clear_pointer (&a, fw_item_unref);
  a = fw_test_next (blocked, NULL, NULL);
  fw_test_iterate_idle ();
  g_assert_cmpuint (src.n_produced, ==, 11);
  for (guint i = 0; i < 4; i++)
    {
      g_clear_pointer (&a, fw_item_unref);
      a = fw_test_next (blocked, NULL, NULL);
    }
  /* ...then refills it, and no further. */
  fw_test_iterate_idle ();
  g_assert_cmpuint (src.n_produced, ==, 16);
  g_assert_cmpuint (fw_channel_get_length (FW_CHANNEL (blocked)), ==, 10);
  g_assert_true (fw_test_close (blocked, NULL));
  g_assert_cmpuint (src.n_cleanups, ==, 1);

  /* A dropping policy keeps the producer running (a bounded spin: it never stops). */
  dropping = fw_channel_new_for_stream (fw_script_source_new (&free_src), 10,
                                        FW_CHANNEL_DROP_NEWEST);
  b = fw_test_next (dropping, NULL, NULL);
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (free_src.n_produced, >, 100);
  g_assert_cmpuint (fw_channel_get_length (FW_CHANNEL (dropping)), ==, 10);
  g_assert_cmpuint (fw_channel_get_n_dropped (FW_CHANNEL (dropping)), ==,
                    fw_channel_get_n_in (FW_CHANNEL (dropping)) - 11);
  g_assert_true (fw_test_close (dropping, NULL));
  g_assert_cmpuint (free_src.n_cleanups, ==, 1);
}

/* A pumped producer 100x faster than the consumer (100 items per pull, one per `next`). */
static void
test_pumped (gconstpointer data)
{
  FwChannelPolicy policy = GPOINTER_TO_UINT (data);
  FwScriptSource src = { .n_items = 10000, .per_pull = 100 };
  g_autoptr(FwStream) stream = fw_channel_new_for_stream (fw_script_source_new (&src), 10,
                                                          policy);
  FwChannel *channel = FW_CHANNEL (stream);
  gint64 first = -1, last = -1;
  guint n = 0;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FwItem) item = fw_test_next (stream, NULL, &error);

      g_assert_no_error (error);
      if (item == NULL)
        break;
      g_assert_cmpint (fw_test_item_number (item), >, last);
      last = fw_test_item_number (item);
      if (first < 0)
        first = last;
      n++;
      /* Backpressure bounds the producer's lead: the queue, plus one block of its own. */
      if (policy == FW_CHANNEL_BLOCK)
        g_assert_cmpuint (src.n_produced, <=, n + 10 + 100);
    }

  g_assert_cmpuint (fw_channel_get_n_in (channel), ==, 10000);
  g_assert_cmpuint (fw_channel_get_n_out (channel), ==, n);
  g_assert_cmpuint (fw_channel_get_n_dropped (channel), ==, 10000 - n);
  g_assert_cmpuint (fw_channel_get_length (channel), ==, 0);
  g_assert_cmpuint (fw_channel_get_high_water (channel), <=, 10);
  g_assert_cmpuint (src.n_cleanups, ==, 1);
  switch (policy)
    {
    case FW_CHANNEL_BLOCK:
      g_assert_cmpuint (n, ==, 10000);
      break;
    case FW_CHANNEL_DROP_NEWEST:
      g_assert_cmpint (first, ==, 0);
      g_assert_cmpuint (n, <, 10000);
      break;
    case FW_CHANNEL_DROP_OLDEST:
    case FW_CHANNEL_KEEP_LATEST:
      g_assert_cmpint (last, ==, 9999);
      g_assert_cmpuint (n, <, 10000);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
test_send_waits_for_room (void)
{
  g_autoptr(FwStream) stream = fw_channel_new (1, FW_CHANNEL_BLOCK);
  FwChannel *channel = FW_CHANNEL (stream);
  g_autoptr(FwItem) a = make_item (1);
  g_autoptr(FwItem) b = make_item (2);
  g_autoptr(FwItem) got = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Wait sa = { 0 }, sb = { 0 }, sc = { 0 };

  fw_channel_send_async (channel, a, NULL, on_sent, &sa);
  fw_channel_send_async (channel, b, NULL, on_sent, &sb);
  fw_channel_send_async (channel, b, cancellable, on_sent, &sc);
  fw_test_wait_for (&sa.done);
  g_assert_true (sa.ok);
  fw_test_iterate_idle ();
  g_assert_false (sb.done);

  /* A cancelled sender leaves the line and is not counted. */
  g_cancellable_cancel (cancellable);
  fw_test_wait_for (&sc.done);
  g_assert_error (sc.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&sc.error);

  got = fw_test_next (stream, NULL, NULL);
  g_assert_cmpint (fw_test_item_number (got), ==, 1);
  fw_test_wait_for (&sb.done);
  g_assert_true (sb.ok);
  g_clear_pointer (&got, fw_item_unref);
  got = fw_test_next (stream, NULL, NULL);
  g_assert_cmpint (fw_test_item_number (got), ==, 2);
  assert_counters (channel, 2, 2, 0, 1);
}

/* The consumer closing wakes the waiting producers with CLOSED. */
static void
test_consumer_closes (void)
{
  g_autoptr(FwStream) stream = fw_channel_new (1, FW_CHANNEL_BLOCK);
  FwChannel *channel = FW_CHANNEL (stream);
  g_autoptr(FwItem) a = make_item (1);
  Wait sb = { 0 }, sc = { 0 };

  g_assert_true (fw_channel_try_send (channel, a));
  fw_channel_send_async (channel, a, NULL, on_sent, &sb);
  fw_test_iterate_idle ();
  g_assert_false (sb.done);
  g_assert_true (fw_test_close (stream, NULL));
  fw_test_wait_for (&sb.done);
  g_assert_error (sb.error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_clear_error (&sb.error);
  g_assert_false (fw_channel_try_send (channel, a));
  fw_channel_send_async (channel, a, NULL, on_sent, &sc);
  fw_test_wait_for (&sc.done);
  g_assert_error (sc.error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_clear_error (&sc.error);
}

/* The producer closing: the waiting consumer gets the queue, then the end or the error. */
static void
test_producer_closes (void)
{
  g_autoptr(FwStream) s1 = fw_channel_new (4, FW_CHANNEL_BLOCK);
  g_autoptr(FwStream) s2 = fw_channel_new (4, FW_CHANNEL_DROP_OLDEST);
  g_autoptr(FwItem) a = make_item (7);
  g_autoptr(GError) failure = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE, "gone");
  g_autoptr(GError) error = NULL;
  g_autoptr(FwItem) got = NULL;
  Wait w1 = { 0 };

  fw_stream_next_async (s1, NULL, on_next, &w1);
  fw_test_iterate_idle ();
  g_assert_false (w1.done);
  fw_channel_close_sending (FW_CHANNEL (s1), NULL);
  fw_test_wait_for (&w1.done);
  g_assert_no_error (w1.error);
  g_assert_null (w1.item);

  fw_channel_try_send (FW_CHANNEL (s2), a);
  fw_channel_close_sending (FW_CHANNEL (s2), failure);
  got = fw_test_next (s2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fw_test_item_number (got), ==, 7);
  g_assert_null (fw_test_next (s2, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE);
}

static void
test_close_while_pending (void)
{
  FwScriptSource src = { .n_items = 0, .hang = TRUE };
  g_autoptr(FwStream) stream = fw_channel_new_for_stream (fw_script_source_new (&src), 4,
                                                          FW_CHANNEL_BLOCK);
  Wait wait = { 0 };

  fw_stream_next_async (stream, NULL, on_next, &wait);
  g_assert_true (src.pending);
  g_assert_true (fw_test_close (stream, NULL));
  g_assert_cmpuint (src.n_cleanups, ==, 1);
  fw_test_wait_for (&wait.done);
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&wait.error);
}

static void
test_input_errors (void)
{
  FwScriptSource before = { .n_items = 0, .fail = TRUE, .idle = TRUE };
  FwScriptSource after = { .n_items = 3, .per_pull = 3, .fail = TRUE };
  g_autoptr(FwStream) s1 = fw_channel_new_for_stream (fw_script_source_new (&before), 4,
                                                      FW_CHANNEL_BLOCK);
  g_autoptr(FwStream) s2 = fw_channel_new_for_stream (fw_script_source_new (&after), 4,
                                                      FW_CHANNEL_DROP_NEWEST);
  g_autoptr(GError) error = NULL;

  g_assert_null (fw_test_next (s1, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_cmpuint (before.n_cleanups, ==, 1);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(FwItem) item = fw_test_next (s2, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (fw_test_item_number (item), ==, i);
    }
  g_assert_null (fw_test_next (s2, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpuint (after.n_cleanups, ==, 1);
}

static void
test_cancel_mid_next (void)
{
  FwScriptSource src = { .n_items = 2, .delay_ms = 20 };
  g_autoptr(FwStream) stream = fw_channel_new_for_stream (fw_script_source_new (&src), 4,
                                                          FW_CHANNEL_BLOCK);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) all = NULL;
  Wait wait = { 0 };

  fw_stream_next_async (stream, cancellable, on_next, &wait);
  g_cancellable_cancel (cancellable);
  fw_test_wait_for (&wait.done);
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&wait.error);
  all = fw_test_collect (stream, NULL);
  g_assert_cmpuint (all->len, ==, 2);
}

static void
test_dispose_without_close (void)
{
  FwScriptSource src = { .n_items = G_MAXUINT, .idle = TRUE };
  FwStream *stream = fw_channel_new_for_stream (fw_script_source_new (&src), 4,
                                                FW_CHANNEL_DROP_OLDEST);
  FwItem *item = fw_test_next (stream, NULL, NULL);

  fw_item_unref (item);
  g_object_unref (stream);
  fw_test_iterate_idle ();
  g_assert_cmpuint (src.n_cleanups, ==, 1);
}

static const Expect expect_block = { FW_CHANNEL_BLOCK, 19, 0, 10, 0, 9 };
static const Expect expect_drop_newest = { FW_CHANNEL_DROP_NEWEST, 1000, 981, 10, 0, 9 };
static const Expect expect_drop_oldest = { FW_CHANNEL_DROP_OLDEST, 1000, 981, 10, 90, 990 };
static const Expect expect_keep_latest = { FW_CHANNEL_KEEP_LATEST, 1000, 990, 1, 99, 999 };

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/channel/fast-producer/block", &expect_block, test_fast_producer);
  g_test_add_data_func ("/channel/fast-producer/drop-newest", &expect_drop_newest,
                        test_fast_producer);
  g_test_add_data_func ("/channel/fast-producer/drop-oldest", &expect_drop_oldest,
                        test_fast_producer);
  g_test_add_data_func ("/channel/fast-producer/keep-latest", &expect_keep_latest,
                        test_fast_producer);
  g_test_add_data_func ("/channel/pumped/block", GUINT_TO_POINTER (FW_CHANNEL_BLOCK),
                        test_pumped);
  g_test_add_data_func ("/channel/pumped/drop-newest", GUINT_TO_POINTER (FW_CHANNEL_DROP_NEWEST),
                        test_pumped);
  g_test_add_data_func ("/channel/pumped/drop-oldest", GUINT_TO_POINTER (FW_CHANNEL_DROP_OLDEST),
                        test_pumped);
  g_test_add_data_func ("/channel/pumped/keep-latest", GUINT_TO_POINTER (FW_CHANNEL_KEEP_LATEST),
                        test_pumped);
  g_test_add_func ("/channel/notify-coalesced", test_notify_coalesced);
  g_test_add_func ("/channel/block-stops-pulling", test_block_stops_pulling);
  g_test_add_func ("/channel/send-waits-for-room", test_send_waits_for_room);
  g_test_add_func ("/channel/consumer-closes", test_consumer_closes);
  g_test_add_func ("/channel/producer-closes", test_producer_closes);
  g_test_add_func ("/channel/close-while-pending", test_close_while_pending);
  g_test_add_func ("/channel/input-errors", test_input_errors);
  g_test_add_func ("/channel/cancel-mid-next", test_cancel_mid_next);
  g_test_add_func ("/channel/dispose-without-close", test_dispose_without_close);

  return g_test_run ();
}
