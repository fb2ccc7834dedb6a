/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-for-each.c: `async for … else` and its four endings */

#include "fw-test-util.h"

#include <string.h>

typedef struct
{
  GPtrArray    *seen;
  guint         stop_after;     /* 0 = never */
  gboolean      done;
  FwForEachEnd  end;
  GError       *error;
  FwTestSource *source;
  guint         cleanups_at_end;
} Loop;

static gboolean
on_item (FwItem   *item,
         gpointer  user_data)
{
  Loop *loop = user_data;

  g_ptr_array_add (loop->seen, fw_item_ref (item));

  return loop->stop_after == 0 || loop->seen->len < loop->stop_after;
}

static void
on_loop_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Loop *loop = user_data;

  loop->end = fw_stream_for_each_finish (FW_STREAM (object), result, &loop->error);
  loop->done = TRUE;
  if (loop->source != NULL)
    loop->cleanups_at_end = loop->source->n_cleanups;
  /* The loop owns the stream: it is closed by the time the loop reports. */
  g_assert_true (fw_stream_is_closed (FW_STREAM (object)));
}

static void
loop_init (Loop *loop)
{
  memset (loop, 0, sizeof *loop);
  loop->seen = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
}

static void
loop_clear (Loop *loop)
{
  g_ptr_array_unref (loop->seen);
  g_clear_error (&loop->error);
}

static void
test_exhausted (void)
{
  g_autoptr(FwStream) stream = fw_test_array_stream ("t", 1000);
  Loop loop;

  loop_init (&loop);
  fw_stream_for_each_async (stream, 64, on_item, &loop, NULL, NULL, on_loop_done, &loop);
  fw_test_wait_for (&loop.done);
  g_assert_cmpint (loop.end, ==, FW_FOR_EACH_EXHAUSTED);
  g_assert_no_error (loop.error);
  g_assert_cmpuint (loop.seen->len, ==, 1000);
  for (guint i = 0; i < loop.seen->len; i++)
    g_assert_cmpint (fw_test_item_number (g_ptr_array_index (loop.seen, i)), ==, i);
  loop_clear (&loop);
}

static void
test_stopped (void)
{
  FwTestSource *source = fw_test_source_new ();
  Loop loop;

  /* "break after 3 readings runs the generator's finally" */
  loop_init (&loop);
  loop.stop_after = 3;
  loop.source = source;
  fw_stream_for_each_async (source->stream, 0, on_item, &loop, NULL, NULL, on_loop_done, &loop);
  fw_test_source_answer (source, 10);
  fw_test_wait_for (&loop.done);
  g_assert_cmpint (loop.end, ==, FW_FOR_EACH_STOPPED);
  g_assert_no_error (loop.error);
  g_assert_cmpuint (loop.seen->len, ==, 3);
  g_assert_cmpuint (loop.cleanups_at_end, ==, 1);
  g_assert_cmpuint (source->n_cleanups, ==, 1);
  loop_clear (&loop);
  fw_test_source_free (source);
}

static void
test_cancelled (void)
{
  FwTestSource *source = fw_test_source_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Loop loop;

  loop_init (&loop);
  loop.source = source;
  fw_stream_for_each_async (source->stream, 0, on_item, &loop, NULL, cancellable,
                            on_loop_done, &loop);
  fw_test_source_answer (source, 2);
  while (!source->pull_outstanding)
    g_main_context_iteration (NULL, TRUE);
  g_cancellable_cancel (cancellable);
  fw_test_wait_for (&loop.done);
  g_assert_cmpint (loop.end, ==, FW_FOR_EACH_CANCELLED);
  g_assert_error (loop.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (loop.seen->len, ==, 2);
  g_assert_cmpuint (loop.cleanups_at_end, ==, 1);
  loop_clear (&loop);
  fw_test_source_free (source);
}

static void
test_closed_from_outside (void)
{
  FwTestSource *source = fw_test_source_new ();
  Loop loop;

  loop_init (&loop);
  fw_stream_for_each_async (source->stream, 0, on_item, &loop, NULL, NULL, on_loop_done, &loop);
  fw_stream_close (source->stream);
  fw_test_wait_for (&loop.done);
  g_assert_cmpint (loop.end, ==, FW_FOR_EACH_CANCELLED);
  g_assert_nonnull (loop.error);
  loop_clear (&loop);
  fw_test_source_free (source);
}

static void
test_failed (void)
{
  FwTestSource *source = fw_test_source_new ();
  Loop loop;

  loop_init (&loop);
  fw_stream_for_each_async (source->stream, 0, on_item, &loop, NULL, NULL, on_loop_done, &loop);
  fw_test_source_answer (source, 2);
  while (!source->pull_outstanding)
    g_main_context_iteration (NULL, TRUE);
  fw_test_source_fail (source, "connection reset");
  fw_test_wait_for (&loop.done);
  g_assert_cmpint (loop.end, ==, FW_FOR_EACH_FAILED);
  g_assert_error (loop.error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpstr (loop.error->message, ==, "connection reset");
  g_assert_cmpuint (loop.seen->len, ==, 2);
  g_assert_cmpuint (source->n_cleanups, ==, 1);
  loop_clear (&loop);
  fw_test_source_free (source);
}

static gboolean
count_turns (gpointer data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

static void
test_yields_between_batches (void)
{
  const guint n = 50000;
  g_autoptr(FwStream) stream = fw_test_array_stream ("t", n);
  guint turns = 0;
  guint id;
  Loop loop;

  /* Bounded work per main-loop iteration: an idle of the same priority keeps getting turns
   * while the loop runs through 50,000 one-item batches (the dispatcher's item budget alone
   * forces a turn every FW_STREAM_DISPATCH_BUDGET_ITEMS completions). */
  loop_init (&loop);
  id = g_idle_add_full (G_PRIORITY_DEFAULT, count_turns, &turns, NULL);
  fw_stream_for_each_async (stream, 1, on_item, &loop, NULL, NULL, on_loop_done, &loop);
  fw_test_wait_for (&loop.done);
  g_source_remove (id);
  g_assert_cmpint (loop.end, ==, FW_FOR_EACH_EXHAUSTED);
  g_assert_cmpuint (loop.seen->len, ==, n);
  g_assert_cmpuint (turns, >=, n / FW_STREAM_DISPATCH_BUDGET_ITEMS);
  loop_clear (&loop);
}

static void
count_destroy (gpointer data)
{
  (*(guint *) data)++;
}

static gboolean
stop_now (FwItem   *item,
          gpointer  data)
{
  return FALSE;
}

static void
test_data_destroyed (void)
{
  g_autoptr(FwStream) stream = fw_test_array_stream ("t", 5);
  guint destroyed = 0;
  Loop loop;

  loop_init (&loop);
  fw_stream_for_each_async (stream, 0, stop_now, &destroyed, count_destroy, NULL,
                            on_loop_done, &loop);
  fw_test_wait_for (&loop.done);
  g_assert_cmpint (loop.end, ==, FW_FOR_EACH_STOPPED);
  g_assert_cmpuint (destroyed, ==, 1);
  loop_clear (&loop);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/for-each/exhausted", test_exhausted);
  g_test_add_func ("/for-each/stopped", test_stopped);
  g_test_add_func ("/for-each/cancelled", test_cancelled);
  g_test_add_func ("/for-each/closed-from-outside", test_closed_from_outside);
  g_test_add_func ("/for-each/failed", test_failed);
  g_test_add_func ("/for-each/yields-between-batches", test_yields_between_batches);
  g_test_add_func ("/for-each/data-destroyed", test_data_destroyed);

  return g_test_run ();
}
