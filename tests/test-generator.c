/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-generator.c: a stream from a step function and a cleanup, synchronous and timer-driven */

#include "fw-test-util.h"

typedef struct
{
  GRefString *feed;
  guint       next;
  guint       limit;
  guint      *cleanups;
  gboolean   *started;
  GSource    *timer;
  FwStream   *stream;
} Counter;

static void
counter_step (FwStream     *stream,
              guint         max_items,
              GCancellable *cancellable,
              gpointer      state)
{
  Counter *counter = state;
  char text[16];
  int len;

  if (counter->next >= counter->limit)
    {
      fw_stream_pull_end (stream);
      return;
    }

  len = g_snprintf (text, sizeof text, "%u", counter->next++);
  fw_stream_pull_return (stream, fw_item_new (FW_ITEM_LINE, counter->feed, 0, text, len));
}

static void
counter_cleanup (gpointer state,
                 gboolean started)
{
  Counter *counter = state;

  (*counter->cleanups)++;
  *counter->started = started;
  if (counter->timer != NULL)
    {
      g_source_destroy (counter->timer);
      g_source_unref (counter->timer);
    }
  g_ref_string_release (counter->feed);
  g_free (counter);
}

static FwStream *
counter_new (guint     limit,
             guint    *cleanups,
             gboolean *started)
{
  Counter *counter = g_new0 (Counter, 1);

  counter->feed = fw_ref_string_intern ("counter");
  counter->limit = limit;
  counter->cleanups = cleanups;
  counter->started = started;

  return fw_generator_new ("counter", counter_step, counter, counter_cleanup);
}

static void
test_sequence (void)
{
  guint cleanups = 0;
  gboolean started = FALSE;
  g_autoptr(FwStream) stream = counter_new (5, &cleanups, &started);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  items = fw_test_collect (stream, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 5);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpint (fw_test_item_number (g_ptr_array_index (items, i)), ==, i);
  g_assert_cmpuint (cleanups, ==, 1);
  g_assert_true (started);
  g_assert_true (fw_test_close (stream, NULL));
  g_assert_cmpuint (cleanups, ==, 1);
}

static void
test_close_unstarted (void)
{
  guint cleanups = 0;
  gboolean started = TRUE;
  g_autoptr(FwStream) stream = counter_new (5, &cleanups, &started);

  /* The state is freed even if the body never ran, and the cleanup knows it did not. */
  g_assert_true (fw_test_close (stream, NULL));
  g_assert_cmpuint (cleanups, ==, 1);
  g_assert_false (started);
}

static void
test_dispose_unstarted (void)
{
  guint cleanups = 0;
  gboolean started = TRUE;
  FwStream *stream = counter_new (5, &cleanups, &started);

  g_object_unref (stream);
  g_assert_cmpuint (cleanups, ==, 1);
  g_assert_false (started);
}

static gboolean
on_tick (gpointer data)
{
  Counter *counter = data;
  char text[16];
  int len = g_snprintf (text, sizeof text, "%u", counter->next++);

  g_clear_pointer (&counter->timer, g_source_unref);
  fw_stream_pull_return (counter->stream,
                         fw_item_new (FW_ITEM_LINE, counter->feed, 0, text, len));

  return G_SOURCE_REMOVE;
}

static void
timer_step (FwStream     *stream,
            guint         max_items,
            GCancellable *cancellable,
            gpointer      state)
{
  Counter *counter = state;

  counter->stream = stream;
  counter->timer = g_timeout_source_new (1);
  g_source_set_callback (counter->timer, on_tick, counter, NULL);
  g_source_attach (counter->timer, fw_stream_get_context (stream));
}

static void
test_async_step_closed_mid_wait (void)
{
  guint cleanups = 0;
  gboolean started = FALSE;
  Counter *counter = g_new0 (Counter, 1);
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  counter->feed = fw_ref_string_intern ("timer");
  counter->cleanups = &cleanups;
  counter->started = &started;
  stream = fw_generator_new ("timer", timer_step, counter, counter_cleanup);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(FwItem) item = fw_test_next (stream, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (fw_test_item_number (item), ==, i);
    }

  /* The body is waiting on its timer when the consumer leaves: the cleanup removes it, and
   * no tick reaches a freed state afterwards (ASan would say). */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_cancellable_cancel (cancellable);
    g_assert_null (fw_test_next (stream, cancellable, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
  }
  g_assert_true (fw_test_close (stream, NULL));
  g_assert_cmpuint (cleanups, ==, 1);
  fw_test_iterate_idle ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/generator/sequence", test_sequence);
  g_test_add_func ("/generator/close-unstarted", test_close_unstarted);
  g_test_add_func ("/generator/dispose-unstarted", test_dispose_unstarted);
  g_test_add_func ("/generator/async-step-closed-mid-wait", test_async_step_closed_mid_wait);

  return g_test_run ();
}
