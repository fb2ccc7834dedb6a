/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-test-util.h: synchronous wrappers for tests, so each test reads as a script. They spin
 * the thread-default main context until the operation completes, and fail the test (never
 * hang) if it does not within a generous deadline. */
#pragma once

#include "fw-streams.h"

G_BEGIN_DECLS

/* How many times slower than usual everything runs: $FW_TEST_SLOWDOWN (the valgrind test
 * setup sets it), else 1. Deadlines and time-bound expectations scale with it. */
#define FW_TEST_DEADLINE_MS (20000 * (int) fw_test_slowdown ())

guint      fw_test_slowdown        (void);
void       fw_test_wait_for        (gboolean     *flag);
void       fw_test_wait_for_count  (guint        *counter,
                                    guint         expected);
void       fw_test_iterate_idle    (void);
FwItem    *fw_test_next            (FwStream     *stream,
                                    GCancellable *cancellable,
                                    GError      **error);
GPtrArray *fw_test_next_batch      (FwStream     *stream,
                                    guint         max_items,
                                    GCancellable *cancellable,
                                    GError      **error);
gboolean   fw_test_close           (FwStream     *stream,
                                    GError      **error);
GPtrArray *fw_test_collect         (FwStream     *stream,
                                    GError      **error);
GPtrArray *fw_test_make_lines      (const char   *feed,
                                    guint         n);
FwStream  *fw_test_array_stream    (const char   *feed,
                                    guint         n);
gint64     fw_test_item_number     (FwItem       *item);
FwItem    *fw_test_next_item       (FwStream     *stream);
void       fw_test_assert_status   (const FwItem *item,
                                    const char   *prefix);
void       fw_test_assert_feed_refused (const char *feed,
                                        const char *words);
void       fw_test_run_subprocess_without_leak_check (gconstpointer test_path);

/* `feedwatch ARGS…` ($FEEDWATCH_BIN) run to its end while this process's main loop serves it */
typedef struct
{
  int   status;  /* its exit status, or -1 when a signal ended it */
  char *out;
  char *err;
} FwTestRun;

void       fw_test_run_feedwatch   (FwTestRun          *run,
                                    const char * const *args);
void       fw_test_run_clear       (FwTestRun          *run);
GTlsCertificate *fw_test_localhost_certificate (GError **error);

/* A source the test drives by hand: it records pulls and cleanups, and answers only when told */
typedef struct
{
  FwStream   *stream;        /* owned by the test */
  guint       n_pulls;
  guint       n_cleanups;
  guint       last_max;
  gboolean    started_at_cleanup;
  gboolean    cleanup_seen_by_end; /* set by tests that check ordering */
  gboolean    pull_outstanding;
  guint       next_number;
  GRefString *feed;
} FwTestSource;

FwTestSource *fw_test_source_new     (void);
void          fw_test_source_free    (FwTestSource *source);
void          fw_test_source_answer  (FwTestSource *source,
                                      guint         n_items);
void          fw_test_source_end     (FwTestSource *source);
void          fw_test_source_fail    (FwTestSource *source,
                                      const char   *message);

/* Waits (pumping the main context) until @predicate holds; fails the test naming @what if it
 * does not within the deadline. */
typedef gboolean (*FwTestPredicate) (gpointer user_data);

void          fw_test_wait_until     (FwTestPredicate  predicate,
                                      gpointer         user_data,
                                      const char      *what);
void          fw_test_remove_tree    (const char      *path);
guint         fw_test_count_app_windows (GDBusConnection *bus);

/* Reads a stream continuously, as a feed runner would: each batch goes to @func, until the
 * stream ends or fails (then @ended, with @error) or the pump is freed. */
typedef void (*FwTestBatchFunc) (GPtrArray *batch,
                                 gpointer   user_data);

typedef struct
{
  FwStream        *stream;   /* owned */
  FwTestBatchFunc  func;
  gpointer         user_data;
  GError          *error;
  gboolean         ended;
  gboolean         in_flight;
  gboolean         stopped;
} FwTestPump;

FwTestPump   *fw_test_pump_new       (FwStream        *stream,
                                      FwTestBatchFunc  func,
                                      gpointer         user_data);
void          fw_test_pump_free      (FwTestPump      *pump);

G_END_DECLS
