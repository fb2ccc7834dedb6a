/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-replay-source.c: `replay:FILE`: items come when they are due on an injected clock (no
 * sleeping), a change of speed takes effect from where the replay is, speed=max, from/to as
 * times and offsets, loop=1, a recording cut short, options refused with a reason; replays
 * split by feed from one reading of a recording. */

#include "fw-test-util.h"

#include <string.h>

#include "fw-recording-private.h"
#include "fw-recording-reader.h"
#include "fw-recording-writer.h"
#include "sources/fw-replay-source.h"

#define T0 G_GINT64_CONSTANT (1795000000000000)
#define S  G_USEC_PER_SEC

/* Recording times of the items, from T0 */
static const gint64 offsets[] = { 0, 1 * S, 3 * S, 3 * S + S / 2, 10 * S };

typedef struct
{
  char  *dir;
  char  *path;
  gint64 now;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwRecordingWriter) writer = NULL;
  g_autoptr(GRefString) feed = fw_ref_string_intern ("cpu:");

  fixture->dir = g_dir_make_tmp ("fw-replay-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "rec.jsonl.zst", NULL);
  fixture->now = 5 * S;

  writer = fw_recording_writer_new (fixture->path);
  fw_recording_writer_add_feed (writer, "cpu:", NULL, NULL);
  g_assert_true (fw_recording_writer_start (writer, &error));
  for (guint i = 0; i < G_N_ELEMENTS (offsets); i++)
    {
      g_autoptr(FwItem) item = fw_item_new_reading (feed, T0 + offsets[i], "cpu", i, "%");

      fw_recording_writer_add (writer, item);
    }
  g_assert_true (fw_recording_writer_close (writer, &error));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  fw_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static gint64
fake_now (gpointer user_data)
{
  return ((Fixture *) user_data)->now;
}

typedef struct
{
  GPtrArray *items;
  GError    *error;
  gboolean   done;
} Pending;

static void
on_batch (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Pending *pending = user_data;

  pending->items = fw_stream_next_batch_finish (FW_STREAM (object), result, &pending->error);
  pending->done = TRUE;
}

static void
pending_clear (Pending *pending)
{
  g_clear_pointer (&pending->items, g_ptr_array_unref);
  g_clear_error (&pending->error);
  pending->done = FALSE;
}

/* Moves the clock and says whether the pending batch completed, with the values of items */
static void
advance (Fixture        *fixture,
         FwReplaySource *replay,
         gint64          by_us)
{
  fixture->now += by_us;
  fw_replay_source_clock_moved (replay);
  fw_test_iterate_idle ();
}

static void
assert_batch (Pending *pending,
              guint    first,
              guint    n)
{
  g_assert_true (pending->done);
  g_assert_no_error (pending->error);
  g_assert_cmpuint (pending->items->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      FwItem *item = pending->items->pdata[i];

      g_assert_cmpint (item->time_us, ==, T0 + offsets[first + i]);
      g_assert_cmpfloat (item->value, ==, first + i);
      /* Items are as recorded: their own feed, not the replay's */
      g_assert_cmpstr (item->feed, ==, "cpu:");
    }
  pending_clear (pending);
}

static void
test_timing (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(FwStream) stream = fw_replay_source_new ("replay:rec.jsonl.zst", fixture->path);
  FwReplaySource *replay = FW_REPLAY_SOURCE (stream);
  Pending pending = { 0 };

  fw_replay_source_set_clock (replay, fake_now, fixture);

  /* The first item is due at once */
  fw_stream_next_batch_async (stream, 100, NULL, on_batch, &pending);
  fw_test_wait_for (&pending.done);
  assert_batch (&pending, 0, 1);

  /* The second, a second later on the clock: not a microsecond before */
  fw_stream_next_batch_async (stream, 100, NULL, on_batch, &pending);
  fw_test_iterate_idle ();
  g_assert_false (pending.done);
  advance (fixture, replay, S - 1);
  g_assert_false (pending.done);
  advance (fixture, replay, 1);
  assert_batch (&pending, 1, 1);

  /* Ten times faster from here: the next is 2 s on in the recording, 0.2 s on the clock */
  fw_replay_source_set_speed (replay, 10);
  g_assert_cmpfloat (fw_replay_source_get_speed (replay), ==, 10);
  fw_stream_next_batch_async (stream, 100, NULL, on_batch, &pending);
  advance (fixture, replay, S / 5 - 1);
  g_assert_false (pending.done);
  advance (fixture, replay, 1);
  assert_batch (&pending, 2, 1);
  g_assert_cmpint (fw_replay_source_get_position (replay), ==, T0 + offsets[2]);

  /* Half speed: 0.5 s in the recording takes 1 s; a slow clock brings both due items at once */
  fw_replay_source_set_speed (replay, 0.5);
  fw_stream_next_batch_async (stream, 100, NULL, on_batch, &pending);
  advance (fixture, replay, S - 1);
  g_assert_false (pending.done);
  advance (fixture, replay, 30 * S);
  assert_batch (&pending, 3, 2);

  /* Then the end */
  fw_stream_next_batch_async (stream, 100, NULL, on_batch, &pending);
  fw_test_wait_for (&pending.done);
  g_assert_no_error (pending.error);
  g_assert_cmpuint (pending.items->len, ==, 0);
  pending_clear (&pending);
}

/* Paused, nothing comes however far the clock moves; resumed, the replay goes on from where it
 * was paused, not from where the clock got to */
static void
test_pause (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(FwStream) stream = fw_replay_source_new ("replay:rec.jsonl.zst", fixture->path);
  FwReplaySource *replay = FW_REPLAY_SOURCE (stream);
  Pending pending = { 0 };

  fw_replay_source_set_clock (replay, fake_now, fixture);
  fw_stream_next_batch_async (stream, 100, NULL, on_batch, &pending);
  fw_test_wait_for (&pending.done);
  assert_batch (&pending, 0, 1);

  fw_stream_next_batch_async (stream, 100, NULL, on_batch, &pending);
  advance (fixture, replay, S / 2);
  fw_replay_source_set_paused (replay, TRUE);
  g_assert_true (fw_replay_source_get_paused (replay));
  advance (fixture, replay, 60 * S);
  g_assert_false (pending.done);
  /* A speed change while paused moves nothing either */
  fw_replay_source_set_speed (replay, 2);
  advance (fixture, replay, 60 * S);
  g_assert_false (pending.done);

  /* Half a second of the recording was left before the next item: at 2×, 0.25 s */
  fw_replay_source_set_paused (replay, FALSE);
  fw_test_iterate_idle ();
  g_assert_false (pending.done);
  advance (fixture, replay, S / 4 - 1);
  g_assert_false (pending.done);
  advance (fixture, replay, 1);
  assert_batch (&pending, 1, 1);
  g_assert_true (fw_test_close (stream, NULL));
}

/* speed=max while waiting: what is left comes at once */
static void
test_speed_to_max (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(FwStream) stream = fw_replay_source_new ("replay:rec.jsonl.zst", fixture->path);
  FwReplaySource *replay = FW_REPLAY_SOURCE (stream);
  Pending pending = { 0 };

  fw_replay_source_set_clock (replay, fake_now, fixture);
  fw_stream_next_batch_async (stream, 100, NULL, on_batch, &pending);
  fw_test_wait_for (&pending.done);
  assert_batch (&pending, 0, 1);
  fw_stream_next_batch_async (stream, 100, NULL, on_batch, &pending);
  fw_test_iterate_idle ();
  g_assert_false (pending.done);
  fw_replay_source_set_speed (replay, 0);
  fw_test_wait_for (&pending.done);
  assert_batch (&pending, 1, 4);
  g_assert_true (fw_test_close (stream, NULL));
}

static GPtrArray *
collect (const char  *feed,
         GError     **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(FwStream) stream = fw_feed_open (feed, FW_FEED_OPEN_NONE, &local);

  g_assert_no_error (local);
  return fw_test_collect (stream, error);
}

static void
assert_times (GPtrArray *items,
              guint      first,
              guint      n)
{
  g_assert_cmpuint (items->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (((FwItem *) items->pdata[i])->time_us, ==, T0 + offsets[first + i]);
}

static void
test_range (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *offsets_feed = g_strdup_printf ("replay:%s?speed=max&from=1s&to=3.5",
                                                   fixture->path);
  g_autofree char *times_feed = g_strdup_printf ("replay:%s?speed=max&from=2026-11-18T"
                                                 "11:06:43Z&to=2026-11-18T11:06:50Z",
                                                 fixture->path);
  g_autofree char *minutes_feed = g_strdup_printf ("replay:%s?speed=max&from=0.05m",
                                                   fixture->path);
  g_autoptr(GPtrArray) by_offset = collect (offsets_feed, &error);
  g_autoptr(GPtrArray) by_time = NULL;
  g_autoptr(GPtrArray) by_minutes = NULL;
  g_autofree char *t0 = NULL;

  g_assert_no_error (error);
  assert_times (by_offset, 1, 3);

  /* T0 is 2026-11-18T11:06:40Z: from +3 s to +10 s */
  {
    g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (T0 / S);
    t0 = g_date_time_format_iso8601 (dt);
  }
  g_assert_cmpstr (t0, ==, "2026-11-18T11:06:40Z");
  by_time = collect (times_feed, &error);
  g_assert_no_error (error);
  assert_times (by_time, 2, 3);

  by_minutes = collect (minutes_feed, &error);
  g_assert_no_error (error);
  assert_times (by_minutes, 2, 3);
}

static void
test_loop (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *feed = g_strdup_printf ("replay:%s?speed=max&loop=1&from=3", fixture->path);
  g_autoptr(FwStream) stream = fw_feed_open (feed, FW_FEED_OPEN_NONE, &error);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);

  g_assert_no_error (error);
  while (seen->len < 10)
    {
      FwItem *item = fw_test_next (stream, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (item);
      g_ptr_array_add (seen, item);
    }
  /* Rounds of the items from 3 s on */
  for (guint i = 0; i < seen->len; i++)
    g_assert_cmpint (((FwItem *) seen->pdata[i])->time_us, ==, T0 + offsets[2 + i % 3]);
  g_assert_true (fw_test_close (stream, NULL));

  /* --once reads a looping replay once */
  {
    g_autoptr(FwStream) once = fw_feed_open (feed, FW_FEED_OPEN_ONCE, &error);
    g_autoptr(GPtrArray) items = fw_test_collect (once, &error);

    g_assert_no_error (error);
    assert_times (items, 2, 3);
  }
}

/* The real clock: items 10 s apart in the recording at speed 1000 come within ms */
static void
test_real_clock (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *feed = g_strdup_printf ("replay:%s?speed=1000", fixture->path);
  gint64 start = g_get_monotonic_time ();
  g_autoptr(GPtrArray) items = collect (feed, &error);

  g_assert_no_error (error);
  assert_times (items, 0, 5);
  /* The recording spans 10 s: at 1000 times, at least 10 ms */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 10 * 1000);
}

static void
test_truncated (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *cut = g_build_filename (fixture->dir, "cut.jsonl.zst", NULL);
  g_autofree char *feed = g_strdup_printf ("replay:%s?speed=max", cut);
  g_autoptr(GPtrArray) items = NULL;
  gsize len;
  FwItem *last;

  g_file_get_contents (fixture->path, &contents, &len, &error);
  g_assert_no_error (error);
  /* Without the index (56 bytes for one frame) and the frame's last 10 bytes */
  g_file_set_contents (cut, contents, len - 56 - 10, &error);
  g_assert_no_error (error);
  items = collect (feed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, >=, 1);
  last = items->pdata[items->len - 1];
  g_assert_cmpint (last->kind, ==, FW_ITEM_STATUS);
  g_assert_cmpint (last->level, ==, FW_LEVEL_WARNING);
  g_assert_nonnull (strstr (last->text, "cut off while being written"));
  g_assert_cmpstr (last->feed, ==, feed);
}

static void
test_bad_options (Fixture       *fixture,
                  gconstpointer  data)
{
  static const struct { const char *query; const char *says; } cases[] = {
    { "?speed=0", "speed is “max” or how many times faster" },
    { "?speed=fast", "not “fast”" },
    { "?from=yesterday", "from is a time" },
    { "?to=-5", "to is a time" },
    { "?loop=maybe", "loop" },
    { "?pace=2", "pace" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *feed = g_strdup_printf ("replay:%s%s", fixture->path, cases[i].query);

      fw_test_assert_feed_refused (feed, cases[i].says);
    }

  /* A file that is not there fails on the first pull (nothing opens before) */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FwStream) stream = fw_feed_open ("replay:/nonexistent/rec.jsonl.zst",
                                               FW_FEED_OPEN_NONE, &error);
    g_autoptr(FwItem) item = NULL;

    g_assert_no_error (error);
    item = fw_test_next (stream, NULL, &error);
    g_assert_null (item);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, "cannot open the recording"));
  }
}

/* Split replays: three feeds taking turns, more items each than a feed's read-ahead holds */
#define SPLIT_FEEDS 3
#define SPLIT_EACH  6000

static const char *const split_feeds[] = { "sim:a", "sim:b", "sim:c", NULL };

static char *
write_split_recording (Fixture *fixture)
{
  g_autofree char *path = g_build_filename (fixture->dir, "three.jsonl.zst", NULL);
  g_autoptr(FwRecordingWriter) writer = fw_recording_writer_new (path);
  g_autoptr(GError) error = NULL;

  for (guint f = 0; f < SPLIT_FEEDS; f++)
    fw_recording_writer_add_feed (writer, split_feeds[f], NULL, NULL);
  fw_recording_writer_set_frame_size (writer, 64 * 1024);
  g_assert_true (fw_recording_writer_start (writer, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < SPLIT_FEEDS * SPLIT_EACH; i++)
    {
      g_autoptr(GRefString) feed = fw_ref_string_intern (split_feeds[i % SPLIT_FEEDS]);
      g_autoptr(FwItem) item = fw_item_new_reading (feed, T0 + i * 1000, "n", i, NULL);

      g_assert_true (fw_recording_writer_add (writer, item));
    }
  g_assert_true (fw_recording_writer_close (writer, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

/* The bytes one reader decodes reading @path through */
static gsize
measure_one_pass (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwRecordingReader) reader = fw_recording_reader_open (path, &error);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  gsize before = _fw_recording_reader_get_n_decoded ();

  g_assert_no_error (error);
  do
    {
      g_ptr_array_set_size (items, 0);
      g_assert_true (fw_recording_reader_read (reader, items, 4096, &error));
    }
  while (items->len > 0);
  return _fw_recording_reader_get_n_decoded () - before;
}

static void
on_pumped (GPtrArray *batch,
           gpointer   user_data)
{
  GPtrArray *items = user_data;

  for (guint i = 0; i < batch->len; i++)
    g_ptr_array_add (items, fw_item_ref (batch->pdata[i]));
}

static gboolean
pumps_ended (gpointer user_data)
{
  FwTestPump **pumps = user_data;

  for (guint i = 0; pumps[i] != NULL; i++)
    if (!pumps[i]->ended)
      return FALSE;
  return TRUE;
}

/* Each feed's replay gives that feed's items, in order, all of them, from one decompression of
 * the recording; a feed closed at once holds the others back no more than one left out */
static void
test_split (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *path = write_split_recording (fixture);
  gsize one_pass = measure_one_pass (path);
  gsize before = _fw_recording_reader_get_n_decoded ();
  g_autoptr(GPtrArray) replays = fw_replay_source_new_split ("replay:three", path,
                                                             split_feeds);
  GPtrArray *items[SPLIT_FEEDS];
  FwTestPump *pumps[SPLIT_FEEDS + 1] = { NULL };

  g_assert_cmpuint (one_pass, >, 0);
  g_assert_cmpuint (replays->len, ==, SPLIT_FEEDS);
  fw_replay_source_set_speed (replays->pdata[0], 0);
  /* One clock: the speed set on one holds for all */
  g_assert_cmpfloat (fw_replay_source_get_speed (replays->pdata[2]), ==, 0);
  for (guint f = 0; f < SPLIT_FEEDS; f++)
    {
      items[f] = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
      pumps[f] = fw_test_pump_new (g_object_ref (replays->pdata[f]), on_pumped, items[f]);
    }
  fw_test_wait_until (pumps_ended, pumps, "every feed's replay ends");
  for (guint f = 0; f < SPLIT_FEEDS; f++)
    {
      g_assert_no_error (pumps[f]->error);
      g_assert_cmpuint (items[f]->len, ==, SPLIT_EACH);
      for (guint i = 0; i < items[f]->len; i++)
        {
          FwItem *item = items[f]->pdata[i];

          g_assert_cmpstr (item->feed, ==, split_feeds[f]);
          g_assert_cmpfloat (item->value, ==, i * SPLIT_FEEDS + f);
        }
      fw_test_pump_free (pumps[f]);
      g_ptr_array_unref (items[f]);
    }
  /* Three feeds, one pass */
  g_assert_cmpuint (_fw_recording_reader_get_n_decoded () - before, ==, one_pass);

  /* The first feed left out, the second closed before it is read: the third still ends */
  {
    const char *const two[] = { "sim:b", "sim:c", NULL };
    g_autoptr(GPtrArray) split = fw_replay_source_new_split ("replay:three", path, two);
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) rest = NULL;

    fw_replay_source_set_speed (split->pdata[1], 0);
    g_assert_true (fw_test_close (split->pdata[0], NULL));
    rest = fw_test_collect (split->pdata[1], &error);
    g_assert_no_error (error);
    g_assert_cmpuint (rest->len, ==, SPLIT_EACH);
    for (guint i = 0; i < rest->len; i++)
      g_assert_cmpstr (((FwItem *) rest->pdata[i])->feed, ==, "sim:c");
  }
}

/* The feeds keep one clock from the recording's first item: a feed whose first item comes a
 * second after another's waits that second, as it did when recorded */
static void
test_split_in_step (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "two.jsonl.zst", NULL);
  g_autoptr(FwRecordingWriter) writer = fw_recording_writer_new (path);
  const char *const feeds[] = { "sim:a", "sim:b", NULL };
  g_autoptr(GPtrArray) replays = NULL;
  g_autoptr(GError) error = NULL;
  Pending pending = { 0 };
  FwReplaySource *b;

  g_assert_true (fw_recording_writer_start (writer, &error));
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GRefString) feed = fw_ref_string_intern (feeds[i]);
      g_autoptr(FwItem) item = fw_item_new_reading (feed, T0 + i * S, "n", i, NULL);

      fw_recording_writer_add (writer, item);
    }
  g_assert_true (fw_recording_writer_close (writer, &error));
  g_assert_no_error (error);

  replays = fw_replay_source_new_split ("replay:two", path, feeds);
  b = replays->pdata[1];
  /* Set on one, the clock is every feed's */
  fw_replay_source_set_clock (replays->pdata[0], fake_now, fixture);
  fw_stream_next_batch_async (replays->pdata[0], 100, NULL, on_batch, &pending);
  fw_test_wait_for (&pending.done);
  g_assert_no_error (pending.error);
  g_assert_cmpuint (pending.items->len, ==, 1);
  g_assert_cmpstr (((FwItem *) pending.items->pdata[0])->feed, ==, "sim:a");
  pending_clear (&pending);

  fw_stream_next_batch_async (FW_STREAM (b), 100, NULL, on_batch, &pending);
  fw_test_iterate_idle ();
  g_assert_false (pending.done);
  advance (fixture, b, S / 2);
  g_assert_false (pending.done);
  /* Paused through one of the others, it holds too */
  fw_replay_source_set_paused (replays->pdata[0], TRUE);
  g_assert_true (fw_replay_source_get_paused (b));
  advance (fixture, b, S);
  g_assert_false (pending.done);
  fw_replay_source_set_paused (replays->pdata[0], FALSE);
  advance (fixture, b, S / 2 - 1);
  g_assert_false (pending.done);
  advance (fixture, b, 1);
  fw_test_wait_for (&pending.done);
  g_assert_no_error (pending.error);
  g_assert_cmpuint (pending.items->len, ==, 1);
  g_assert_cmpstr (((FwItem *) pending.items->pdata[0])->feed, ==, "sim:b");
  pending_clear (&pending);
  g_assert_true (fw_test_close (replays->pdata[0], NULL));
  g_assert_true (fw_test_close (replays->pdata[1], NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/replay/timing", test_timing);
  ADD ("/replay/speed-to-max", test_speed_to_max);
  ADD ("/replay/pause", test_pause);
  ADD ("/replay/range", test_range);
  ADD ("/replay/loop", test_loop);
  ADD ("/replay/real-clock", test_real_clock);
  ADD ("/replay/truncated", test_truncated);
  ADD ("/replay/bad-options", test_bad_options);
  ADD ("/replay/split", test_split);
  ADD ("/replay/split-in-step", test_split_in_step);
#undef ADD

  return g_test_run ();
}
