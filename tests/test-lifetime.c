/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-lifetime.c: streams bound to an owner's lifetime, and the registry of closing streams
 * that quitting waits on, with its deadline */

#include "fw-test-util.h"

/* A stream whose close completes only when the test says so: a child process that takes its
 * time to exit, say. */
#define TEST_TYPE_SLOW_STREAM (test_slow_stream_get_type ())
G_DECLARE_FINAL_TYPE (TestSlowStream, test_slow_stream, TEST, SLOW_STREAM, FwStream)

struct _TestSlowStream
{
  FwStream  parent_instance;
  GTask    *close_task;
  guint     n_releases;
};

G_DEFINE_FINAL_TYPE (TestSlowStream, test_slow_stream, FW_TYPE_STREAM)

static void
test_slow_stream_close_async (FwStream            *stream,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  TestSlowStream *self = TEST_SLOW_STREAM (stream);

  self->close_task = g_task_new (self, cancellable, callback, user_data);
  self->n_releases++;
}

static gboolean
test_slow_stream_close_finish (FwStream      *stream,
                               GAsyncResult  *result,
                               GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
test_slow_stream_release (FwStream *stream)
{
  TEST_SLOW_STREAM (stream)->n_releases++;
}

static void
test_slow_stream_class_init (TestSlowStreamClass *klass)
{
  FwStreamClass *stream_class = FW_STREAM_CLASS (klass);

  stream_class->close_async = test_slow_stream_close_async;
  stream_class->close_finish = test_slow_stream_close_finish;
  stream_class->release = test_slow_stream_release;
}

static void
test_slow_stream_init (TestSlowStream *self)
{
}

static void
finish_slow_close (TestSlowStream *self)
{
  GTask *task = g_steal_pointer (&self->close_task);

  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

typedef struct
{
  gboolean done;
  gboolean all_closed;
  guint    remaining;
} RegistryWait;

static void
on_registry_done (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  RegistryWait *wait = user_data;

  wait->all_closed = fw_close_registry_wait_finish (FW_CLOSE_REGISTRY (object), result,
                                                    &wait->remaining, NULL);
  wait->done = TRUE;
}

static void
test_owner_gone_closes (void)
{
  FwTestSource *source = fw_test_source_new ();
  GObject *owner = g_object_new (G_TYPE_OBJECT, NULL);
  FwCloseRegistry *registry = fw_close_registry_get_default ();
  RegistryWait wait = { 0 };
  GWeakRef weak;

  fw_stream_bind_to_owner (source->stream, owner);
  g_weak_ref_init (&weak, source->stream);
  g_clear_object (&source->stream); /* the binding keeps it alive */
  {
    GObject *alive = g_weak_ref_get (&weak);
    g_assert_nonnull (alive);
    g_object_unref (alive);
  }

  /* The window goes: the stream is cancelled and closed, and the registry sees it through. */
  g_object_unref (owner);
  g_assert_cmpuint (fw_close_registry_get_n_closing (registry), ==, 1);
  fw_close_registry_wait_async (registry, FW_TEST_DEADLINE_MS, NULL, on_registry_done, &wait);
  fw_test_wait_for (&wait.done);
  g_assert_true (wait.all_closed);
  g_assert_cmpuint (source->n_cleanups, ==, 1);
  g_assert_null (g_weak_ref_get (&weak));
  g_weak_ref_clear (&weak);

  fw_test_source_free (source);
}

static void
on_next_cancelled (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GError **error = user_data;

  g_assert_null (fw_stream_next_finish (FW_STREAM (object), result, error));
}

static void
test_owner_gone_cancels_pending (void)
{
  FwTestSource *source = fw_test_source_new ();
  GObject *owner = g_object_new (G_TYPE_OBJECT, NULL);
  GError *error = NULL;

  fw_stream_bind_to_owner (source->stream, owner);
  fw_stream_next_async (source->stream, NULL, on_next_cancelled, &error);
  g_object_unref (owner);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (source->n_cleanups, ==, 1);

  fw_test_source_free (source);
}

static void
test_closed_before_owner (void)
{
  FwTestSource *source = fw_test_source_new ();
  GObject *owner = g_object_new (G_TYPE_OBJECT, NULL);
  GWeakRef weak;

  /* Closed on its own: the binding lets go, so the stream does not live as long as the
   * window, and the window's end later touches nothing. */
  fw_stream_bind_to_owner (source->stream, owner);
  g_assert_true (fw_test_close (source->stream, NULL));
  g_weak_ref_init (&weak, source->stream);
  g_clear_object (&source->stream);
  fw_test_iterate_idle ();
  g_assert_null (g_weak_ref_get (&weak));
  g_weak_ref_clear (&weak);

  g_object_unref (owner);
  g_assert_cmpuint (source->n_cleanups, ==, 1);
  fw_test_source_free (source);
}

static void
test_registry_waits (void)
{
  TestSlowStream *stream = g_object_new (TEST_TYPE_SLOW_STREAM, NULL);
  FwCloseRegistry *registry = fw_close_registry_get_default ();
  RegistryWait wait = { 0 };

  fw_stream_close (FW_STREAM (stream));
  g_assert_cmpuint (fw_close_registry_get_n_closing (registry), ==, 1);
  fw_close_registry_wait_async (registry, FW_TEST_DEADLINE_MS, NULL, on_registry_done, &wait);
  fw_test_iterate_idle ();
  g_assert_false (wait.done); /* still closing */

  finish_slow_close (stream);
  fw_test_wait_for (&wait.done);
  g_assert_true (wait.all_closed);
  g_assert_cmpuint (wait.remaining, ==, 0);
  g_assert_cmpuint (stream->n_releases, ==, 1);
  g_object_unref (stream);
}

static void
test_registry_deadline (void)
{
  TestSlowStream *stream = g_object_new (TEST_TYPE_SLOW_STREAM, NULL);
  FwCloseRegistry *registry = fw_close_registry_get_default ();
  RegistryWait wait = { 0 };
  RegistryWait after = { 0 };

  /* A close that never finishes: quitting gives up at the deadline and says how many. */
  fw_stream_close (FW_STREAM (stream));
  fw_close_registry_wait_async (registry, 50, NULL, on_registry_done, &wait);
  fw_test_wait_for (&wait.done);
  g_assert_false (wait.all_closed);
  g_assert_cmpuint (wait.remaining, ==, 1);

  finish_slow_close (stream);
  fw_close_registry_wait_async (registry, FW_TEST_DEADLINE_MS, NULL, on_registry_done, &after);
  fw_test_wait_for (&after.done);
  g_assert_true (after.all_closed);
  g_object_unref (stream);
}

static void
test_registry_empty (void)
{
  RegistryWait wait = { 0 };

  fw_close_registry_wait_async (fw_close_registry_get_default (), 10, NULL,
                                on_registry_done, &wait);
  fw_test_wait_for (&wait.done);
  g_assert_true (wait.all_closed);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lifetime/owner-gone-closes", test_owner_gone_closes);
  g_test_add_func ("/lifetime/owner-gone-cancels-pending", test_owner_gone_cancels_pending);
  g_test_add_func ("/lifetime/closed-before-owner", test_closed_before_owner);
  g_test_add_func ("/lifetime/registry-waits", test_registry_waits);
  g_test_add_func ("/lifetime/registry-deadline", test_registry_deadline);
  g_test_add_func ("/lifetime/registry-empty", test_registry_empty);

  return g_test_run ();
}
