/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-merge.c: merge of N streams: order of arrival, fairness, late inputs, errors */

#include "fw-test-util.h"
#include "fw-script-source.h"

typedef struct
{
  gboolean  done;
  FwItem   *item;
  GError   *error;
} NextWait;

static void
on_next (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  NextWait *wait = user_data;

  wait->item = fw_stream_next_finish (FW_STREAM (object), result, &wait->error);
  wait->done = TRUE;
}

static guint
count_feed (GPtrArray  *items,
            const char *feed)
{
  guint n = 0;

  for (guint i = 0; i < items->len; i++)
    if (g_strcmp0 (((FwItem *) g_ptr_array_index (items, i))->feed, feed) == 0)
      n++;

  return n;
}

static void
test_all_items (void)
{
  FwScriptSource a = { .name = "a", .n_items = 500, .per_pull = 7, .idle = TRUE };
  FwScriptSource b = { .name = "b", .n_items = 300, .per_pull = 100 };
  FwScriptSource c = { .name = "c", .n_items = 0 };
  FwStream *inputs[] = { fw_script_source_new (&a), fw_script_source_new (&b),
                         fw_script_source_new (&c) };
  g_autoptr(FwStream) merge = fw_merge_new (inputs, 3, FW_MERGE_NONE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  gint64 last_a = -1, last_b = -1;

  g_assert_false (a.started); /* lazy */
  all = fw_test_collect (merge, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 800);
  g_assert_cmpuint (count_feed (all, "a"), ==, 500);
  g_assert_cmpuint (count_feed (all, "b"), ==, 300);
  /* Each input's own order is kept. */
  for (guint i = 0; i < all->len; i++)
    {
      FwItem *item = g_ptr_array_index (all, i);
      gint64 *last = g_str_equal (item->feed, "a") ? &last_a : &last_b;
      g_assert_cmpint (fw_test_item_number (item), ==, *last + 1);
      *last = fw_test_item_number (item);
    }
  g_assert_cmpuint (a.n_cleanups + b.n_cleanups + c.n_cleanups, ==, 3);
  g_assert_true (fw_test_close (merge, NULL));
  g_assert_cmpuint (a.n_cleanups + b.n_cleanups + c.n_cleanups, ==, 3);
}

/* An input that is always ready cannot starve a slow one. */
static void
test_fairness_slow_input (void)
{
  FwScriptSource fast = { .name = "fast", .n_items = G_MAXUINT, .per_pull = 256 };
  FwScriptSource slow = { .name = "slow", .n_items = 5, .per_pull = 1, .delay_ms = 2 };
  FwStream *inputs[] = { fw_script_source_new (&fast), fw_script_source_new (&slow) };
  g_autoptr(FwStream) merge = fw_merge_new (inputs, 2, FW_MERGE_NONE);
  guint n_slow = 0;

  /* Without fairness this never sees the slow items and fails on the test deadline. */
  while (n_slow < 5)
    {
      g_autoptr(GPtrArray) batch = fw_test_next_batch (merge, 64, NULL, NULL);

      g_assert_cmpuint (batch->len, >, 0);
      n_slow += count_feed (batch, "slow");
    }
  g_assert_true (fw_test_close (merge, NULL));
  g_assert_cmpuint (fast.n_cleanups, ==, 1);
  g_assert_cmpuint (slow.n_cleanups, ==, 1);
}

/* Two always-ready inputs with very different batch sizes: round-robin turns, not
 * first-come-drains-first. */
static void
test_fairness_interleaving (void)
{
  FwStream *big = fw_test_array_stream ("big", 10000);
  FwStream *small = fw_test_array_stream ("small", 100);
  FwStream *inputs[] = { big, small };
  g_autoptr(FwStream) merge = NULL;
  g_autoptr(GPtrArray) all = NULL;
  guint seen_small = 0;

  fw_array_stream_set_block (FW_ARRAY_STREAM (small), 1);
  merge = fw_merge_new (inputs, 2, FW_MERGE_NONE);
  all = fw_test_collect (merge, NULL);
  g_assert_cmpuint (all->len, ==, 10100);
  /* The small input gets a turn in every round: all of it is out well before the big one
   * has given half of its items (each round hands out at most 256 + 1 items). */
  for (guint i = 0; i < all->len && seen_small < 100; i++)
    if (g_str_equal (((FwItem *) g_ptr_array_index (all, i))->feed, "small"))
      {
        seen_small++;
        g_assert_cmpuint (i, <=, seen_small * 300);
      }
  g_assert_cmpuint (seen_small, ==, 100);
}

static void
test_late_input (void)
{
  FwScriptSource a = { .name = "a", .n_items = 3, .per_pull = 1, .idle = TRUE };
  FwScriptSource late = { .name = "late", .n_items = 2, .per_pull = 1, .idle = TRUE };
  FwScriptSource after = { .name = "after", .n_items = 2 };
  FwStream *inputs[] = { fw_script_source_new (&a) };
  g_autoptr(FwStream) merge = fw_merge_new (inputs, 1, FW_MERGE_NONE);
  g_autoptr(GPtrArray) rest = NULL;
  g_autoptr(FwItem) first = fw_test_next (merge, NULL, NULL);

  g_assert_cmpstr (first->feed, ==, "a");
  g_assert_true (fw_merge_add_input (FW_MERGE (merge), fw_script_source_new (&late)));
  g_assert_true (late.started); /* a running merge reads a newcomer at once */
  rest = fw_test_collect (merge, NULL);
  g_assert_cmpuint (count_feed (rest, "a"), ==, 2);
  g_assert_cmpuint (count_feed (rest, "late"), ==, 2);
  /* Ended: a newcomer is refused and closed. */
  g_assert_false (fw_merge_add_input (FW_MERGE (merge), fw_script_source_new (&after)));
  g_assert_cmpuint (after.n_cleanups, ==, 1);
  g_assert_cmpuint (late.n_cleanups, ==, 1);
}

/* KEEP_OPEN: a live window whose feeds come and go. */
static void
test_keep_open (void)
{
  FwScriptSource a = { .name = "a", .n_items = 1 };
  g_autoptr(FwStream) merge = fw_merge_new (NULL, 0, FW_MERGE_KEEP_OPEN);
  NextWait wait = { 0 };
  g_autoptr(FwItem) item = NULL;

  fw_stream_next_async (merge, NULL, on_next, &wait);
  fw_test_iterate_idle ();
  g_assert_false (wait.done);
  fw_merge_add_input (FW_MERGE (merge), fw_script_source_new (&a));
  fw_test_wait_for (&wait.done);
  g_assert_nonnull (wait.item);
  fw_item_unref (wait.item);

  wait = (NextWait) { 0 };
  fw_stream_next_async (merge, NULL, on_next, &wait);
  fw_test_iterate_idle ();
  g_assert_false (wait.done); /* a ended, the merge did not */
  g_assert_cmpuint (a.n_cleanups, ==, 1);
  g_assert_true (fw_test_close (merge, NULL));
  fw_test_wait_for (&wait.done);
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&wait.error);
}

static void
on_input_error (FwMerge  *merge,
                FwStream *input,
                GError   *error,
                gpointer  user_data)
{
  GString *log = user_data;

  g_string_append_printf (log, "%s:%s;", fw_stream_get_name (input), error->message);
}

static void
test_input_error (void)
{
  g_autoptr(GString) log = g_string_new ("");
  FwScriptSource bad = { .name = "bad", .n_items = 2, .fail = TRUE, .idle = TRUE };
  FwScriptSource good = { .name = "good", .n_items = 50, .per_pull = 5, .idle = TRUE };
  FwStream *inputs[] = { fw_script_source_new (&bad), fw_script_source_new (&good) };
  g_autoptr(FwStream) merge = fw_merge_new (inputs, 2, FW_MERGE_NONE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;

  g_signal_connect (merge, "input-error", G_CALLBACK (on_input_error), log);
  all = fw_test_collect (merge, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_feed (all, "bad"), ==, 2);  /* items before its error are kept */
  g_assert_cmpuint (count_feed (all, "good"), ==, 50);
  g_assert_cmpstr (log->str, ==, "bad:scripted failure;");
  g_assert_cmpuint (bad.n_cleanups, ==, 1);
  g_assert_cmpuint (good.n_cleanups, ==, 1);
}

static void
test_fail_fast (void)
{
  g_autoptr(GString) log = g_string_new ("");
  FwScriptSource bad = { .name = "bad", .n_items = 1, .fail = TRUE, .delay_ms = 5, .log = log };
  FwScriptSource hang = { .name = "hang", .n_items = 0, .hang = TRUE, .log = log };
  FwScriptSource endless = { .name = "endless", .n_items = G_MAXUINT, .delay_ms = 1, .log = log };
  FwStream *inputs[] = { fw_script_source_new (&bad), fw_script_source_new (&hang),
                         fw_script_source_new (&endless) };
  g_autoptr(FwStream) merge = fw_merge_new (inputs, 3, FW_MERGE_FAIL_FAST);
  g_autoptr(GError) error = NULL;

  for (;;)
    {
      g_autoptr(GPtrArray) batch = fw_test_next_batch (merge, 100, NULL, &error);
      if (batch == NULL)
        break;
      g_assert_cmpuint (batch->len, >, 0);
    }
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  /* The others were closed by the time the error came out. */
  g_assert_cmpuint (bad.n_cleanups, ==, 1);
  g_assert_cmpuint (hang.n_cleanups, ==, 1);
  g_assert_cmpuint (endless.n_cleanups, ==, 1);
  g_assert_true (fw_test_close (merge, NULL));
  g_assert_cmpuint (log->len, ==, strlen ("bad;hang;endless;"));
}

static void
test_close_while_pending (void)
{
  FwScriptSource a = { .name = "a", .n_items = 0, .hang = TRUE };
  FwScriptSource b = { .name = "b", .n_items = 0, .hang = TRUE };
  FwStream *inputs[] = { fw_script_source_new (&a), fw_script_source_new (&b) };
  g_autoptr(FwStream) merge = fw_merge_new (inputs, 2, FW_MERGE_NONE);
  NextWait wait = { 0 };

  fw_stream_next_async (merge, NULL, on_next, &wait);
  g_assert_true (a.pending && b.pending);
  g_assert_true (fw_test_close (merge, NULL));
  g_assert_cmpuint (a.n_cleanups + b.n_cleanups, ==, 2);
  fw_test_wait_for (&wait.done);
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&wait.error);
}

static void
test_cancel_mid_next (void)
{
  FwScriptSource a = { .name = "a", .n_items = 3, .delay_ms = 20 };
  FwStream *inputs[] = { fw_script_source_new (&a) };
  g_autoptr(FwStream) merge = fw_merge_new (inputs, 1, FW_MERGE_NONE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) all = NULL;
  NextWait wait = { 0 };

  fw_stream_next_async (merge, cancellable, on_next, &wait);
  g_cancellable_cancel (cancellable);
  fw_test_wait_for (&wait.done);
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&wait.error);
  all = fw_test_collect (merge, NULL);
  g_assert_cmpuint (all->len, ==, 3); /* nothing lost */
}

static void
test_dispose_without_close (void)
{
  FwScriptSource a = { .name = "a", .n_items = G_MAXUINT, .idle = TRUE };
  FwScriptSource b = { .name = "b", .n_items = 0, .hang = TRUE };
  FwStream *inputs[] = { fw_script_source_new (&a), fw_script_source_new (&b) };
  FwStream *merge = fw_merge_new (inputs, 2, FW_MERGE_NONE);
  FwItem *item = fw_test_next (merge, NULL, NULL);

  fw_item_unref (item);
  g_object_unref (merge);
  fw_test_iterate_idle ();
  g_assert_cmpuint (a.n_cleanups, ==, 1);
  g_assert_cmpuint (b.n_cleanups, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/merge/all-items", test_all_items);
  g_test_add_func ("/merge/fairness/slow-input", test_fairness_slow_input);
  g_test_add_func ("/merge/fairness/interleaving", test_fairness_interleaving);
  g_test_add_func ("/merge/late-input", test_late_input);
  g_test_add_func ("/merge/keep-open", test_keep_open);
  g_test_add_func ("/merge/input-error", test_input_error);
  g_test_add_func ("/merge/fail-fast", test_fail_fast);
  g_test_add_func ("/merge/close-while-pending", test_close_while_pending);
  g_test_add_func ("/merge/cancel-mid-next", test_cancel_mid_next);
  g_test_add_func ("/merge/dispose-without-close", test_dispose_without_close);

  return g_test_run ();
}
