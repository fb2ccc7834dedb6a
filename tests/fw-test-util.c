/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-test-util.c: see fw-test-util.h */

#include "config.h"

#include "fw-test-util.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

guint
fw_test_slowdown (void)
{
  static gsize slowdown = 0;

  if (g_once_init_enter (&slowdown))
    {
      const char *env = g_getenv ("FW_TEST_SLOWDOWN");
      guint64 n = env != NULL ? g_ascii_strtoull (env, NULL, 10) : 1;

      g_once_init_leave (&slowdown, CLAMP (n, 1, 100));
    }

  return (guint) slowdown;
}

static gboolean
on_deadline (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;

  return G_SOURCE_REMOVE;
}

/* Spins until *flag is TRUE: no sleeping, the flag is set by the callback being awaited. */
void
fw_test_wait_for (gboolean *flag)
{
  GMainContext *context = g_main_context_get_thread_default ();
  gboolean expired = FALSE;
  GSource *deadline = g_timeout_source_new (FW_TEST_DEADLINE_MS);

  g_source_set_callback (deadline, on_deadline, &expired, NULL);
  g_source_attach (deadline, context);

  while (!*flag && !expired)
    g_main_context_iteration (context, TRUE);

  g_source_destroy (deadline);
  g_source_unref (deadline);

  if (!*flag)
    g_error ("Timed out after %d ms waiting for an operation to complete", FW_TEST_DEADLINE_MS);
}

void
fw_test_wait_for_count (guint *counter,
                        guint  expected)
{
  GMainContext *context = g_main_context_get_thread_default ();
  gboolean expired = FALSE;
  GSource *deadline = g_timeout_source_new (FW_TEST_DEADLINE_MS);

  g_source_set_callback (deadline, on_deadline, &expired, NULL);
  g_source_attach (deadline, context);

  while (*counter < expected && !expired)
    g_main_context_iteration (context, TRUE);

  g_source_destroy (deadline);
  g_source_unref (deadline);

  if (*counter < expected)
    g_error ("Timed out waiting for %u events (saw %u)", expected, *counter);
}

/* Runs whatever is ready now, without blocking. */
void
fw_test_iterate_idle (void)
{
  GMainContext *context = g_main_context_get_thread_default ();

  while (g_main_context_iteration (context, FALSE))
    ;
}

typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} Wait;

static void
on_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  wait->done = TRUE;
}

FwItem *
fw_test_next (FwStream      *stream,
              GCancellable  *cancellable,
              GError       **error)
{
  Wait wait = { 0 };
  FwItem *item;

  fw_stream_next_async (stream, cancellable, on_done, &wait);
  g_assert_false (wait.done); /* never completes from within the call */
  fw_test_wait_for (&wait.done);
  item = fw_stream_next_finish (stream, wait.result, error);
  g_object_unref (wait.result);

  return item;
}

GPtrArray *
fw_test_next_batch (FwStream      *stream,
                    guint          max_items,
                    GCancellable  *cancellable,
                    GError       **error)
{
  Wait wait = { 0 };
  GPtrArray *batch;

  fw_stream_next_batch_async (stream, max_items, cancellable, on_done, &wait);
  g_assert_false (wait.done);
  fw_test_wait_for (&wait.done);
  batch = fw_stream_next_batch_finish (stream, wait.result, error);
  g_object_unref (wait.result);

  return batch;
}

gboolean
fw_test_close (FwStream  *stream,
               GError   **error)
{
  Wait wait = { 0 };
  gboolean ok;

  fw_stream_close_async (stream, NULL, on_done, &wait);
  fw_test_wait_for (&wait.done);
  ok = fw_stream_close_finish (stream, wait.result, error);
  g_object_unref (wait.result);

  return ok;
}

/* Every item until the end, or NULL with @error set (the items before it are lost to the
 * caller; tests that care use fw_test_next). */
GPtrArray *
fw_test_collect (FwStream  *stream,
                 GError   **error)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);

  for (;;)
    {
      g_autoptr(GPtrArray) batch = fw_test_next_batch (stream, 1000, NULL, error);

      if (batch == NULL)
        return NULL;
      if (batch->len == 0)
        break;
      for (guint i = 0; i < batch->len; i++)
        g_ptr_array_add (all, fw_item_ref (g_ptr_array_index (batch, i)));
    }

  return g_steal_pointer (&all);
}

/* Lines "0", "1", … "n-1" */
GPtrArray *
fw_test_make_lines (const char *feed,
                    guint       n)
{
  GPtrArray *items = g_ptr_array_new_full (n, (GDestroyNotify) fw_item_unref);
  GRefString *name = fw_ref_string_intern (feed);

  for (guint i = 0; i < n; i++)
    {
      char text[16];
      int len = g_snprintf (text, sizeof text, "%u", i);
      g_ptr_array_add (items, fw_item_new (FW_ITEM_LINE, name, g_get_real_time (), text, len));
    }
  g_ref_string_release (name);

  return items;
}

FwStream *
fw_test_array_stream (const char *feed,
                      guint       n)
{
  return fw_array_stream_new_take (fw_test_make_lines (feed, n));
}

/* The number a line of fw_test_make_lines carries */
gint64
fw_test_item_number (FwItem *item)
{
  return g_ascii_strtoll (item->text, NULL, 10);
}

static void
test_source_step (FwStream     *stream,
                  guint         max_items,
                  GCancellable *cancellable,
                  gpointer      state)
{
  FwTestSource *source = state;

  source->n_pulls++;
  source->last_max = max_items;
  source->pull_outstanding = TRUE;
}

static void
test_source_cleanup (gpointer state,
                     gboolean started)
{
  FwTestSource *source = state;

  /* The test owns the record: the cleanup only counts. */
  source->n_cleanups++;
  source->started_at_cleanup = started;
}

FwTestSource *
fw_test_source_new (void)
{
  FwTestSource *source = g_new0 (FwTestSource, 1);

  source->feed = fw_ref_string_intern ("test");
  source->stream = fw_generator_new ("test", test_source_step, source, test_source_cleanup);

  return source;
}

void
fw_test_source_free (FwTestSource *source)
{
  g_clear_object (&source->stream);
  g_ref_string_release (source->feed);
  g_free (source);
}

/* Answers the outstanding pull with @n_items numbered lines */
void
fw_test_source_answer (FwTestSource *source,
                       guint         n_items)
{
  g_assert_true (source->pull_outstanding);
  source->pull_outstanding = FALSE;

  for (guint i = 0; i < n_items; i++)
    {
      char text[16];
      int len = g_snprintf (text, sizeof text, "%u", source->next_number++);
      fw_stream_yield (source->stream, fw_item_new (FW_ITEM_LINE, source->feed, g_get_real_time (),
                                                    text, len));
    }
  fw_stream_pull_done (source->stream);
}

void
fw_test_source_end (FwTestSource *source)
{
  g_assert_true (source->pull_outstanding);
  source->pull_outstanding = FALSE;
  fw_stream_pull_end (source->stream);
}

void
fw_test_source_fail (FwTestSource *source,
                     const char   *message)
{
  g_assert_true (source->pull_outstanding);
  source->pull_outstanding = FALSE;
  fw_stream_pull_error_literal (source->stream, G_IO_ERROR, G_IO_ERROR_FAILED, message);
}

/* GnuTLS (through glib-networking) leaves dynamic thread-local storage in GLib's worker threads
 * that gcc 12's LeakSanitizer crashes on while scanning at exit ("Tracer caught signal 11"):
 * a sanitizer bug, not a leak. Tests that use TLS run as "<path>/subprocess" in a child
 * process without leak checking; everything else stays leak-checked. */
void
fw_test_run_subprocess_without_leak_check (gconstpointer test_path)
{
  g_autofree char *path = g_strdup_printf ("%s/subprocess", (const char *) test_path);

#ifdef __SANITIZE_ADDRESS__
  g_setenv ("ASAN_OPTIONS", "detect_leaks=0:abort_on_error=1:detect_odr_violation=0", TRUE);
#endif
  g_test_trap_subprocess (path, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* The next item, which must come without error */
FwItem *
fw_test_next_item (FwStream *stream)
{
  g_autoptr(GError) error = NULL;
  FwItem *item = fw_test_next (stream, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (item);
  return item;
}

/* A status item whose words start with @prefix ("retrying in", "connected", …) */
void
fw_test_assert_status (const FwItem *item,
                       const char   *prefix)
{
  g_assert_cmpint (item->kind, ==, FW_ITEM_STATUS);
  if (!g_str_has_prefix (item->text, prefix))
    g_error ("status “%s” does not start with “%s”", item->text, prefix);
}

/* fw_feed_open() refuses the feed, with a message that has these words */
void
fw_test_assert_feed_refused (const char *feed,
                             const char *words)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = fw_feed_open (feed, FW_FEED_OPEN_NONE, &error);

  g_assert_null (stream);
  g_assert_nonnull (error);
  g_test_message ("%s: %s", feed, error->message);
  if (strstr (error->message, words) == NULL)
    g_error ("“%s” was refused with “%s”, which does not say “%s”", feed, error->message, words);
}

void
fw_test_wait_until (FwTestPredicate  predicate,
                    gpointer         user_data,
                    const char      *what)
{
  GMainContext *context = g_main_context_get_thread_default ();
  gboolean expired = FALSE;
  GSource *deadline = g_timeout_source_new (FW_TEST_DEADLINE_MS);

  g_source_set_callback (deadline, on_deadline, &expired, NULL);
  g_source_attach (deadline, context);

  while (!predicate (user_data) && !expired)
    g_main_context_iteration (context, TRUE);

  g_source_destroy (deadline);
  g_source_unref (deadline);

  if (!predicate (user_data))
    g_error ("Timed out after %d ms waiting for %s", FW_TEST_DEADLINE_MS, what);
}

/* rm -rf, for the temporary trees tests make; restores modes a test took away on the way. */
void
fw_test_remove_tree (const char *path)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return;
  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = NULL;
      const char *name;

      g_chmod (path, 0700);
      dir = g_dir_open (path, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          fw_test_remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static void pump_ask (FwTestPump *pump);

static void
on_pump_batch (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  FwTestPump *pump = user_data;
  g_autoptr(GPtrArray) batch = fw_stream_next_batch_finish (pump->stream, result, &pump->error);

  pump->in_flight = FALSE;
  if (batch == NULL || batch->len == 0)
    {
      pump->ended = TRUE;
      return;
    }

  pump->func (batch, pump->user_data);
  if (!pump->stopped)
    pump_ask (pump);
}

static void
pump_ask (FwTestPump *pump)
{
  pump->in_flight = TRUE;
  fw_stream_next_batch_async (pump->stream, 4096, NULL, on_pump_batch, pump);
}

FwTestPump *
fw_test_pump_new (FwStream        *stream,
                  FwTestBatchFunc  func,
                  gpointer         user_data)
{
  FwTestPump *pump = g_new0 (FwTestPump, 1);

  pump->stream = stream;
  pump->func = func;
  pump->user_data = user_data;
  pump_ask (pump);

  return pump;
}

/* Closes the stream; the batch pending then completes with CANCELLED. */
void
fw_test_pump_free (FwTestPump *pump)
{
  pump->stopped = TRUE;
  if (!fw_stream_is_closed (pump->stream))
    g_assert_true (fw_test_close (pump->stream, NULL));
  while (pump->in_flight)
    g_main_context_iteration (NULL, TRUE);
  g_object_unref (pump->stream);
  g_clear_error (&pump->error);
  g_free (pump);
}

/* A self-signed certificate and key for localhost and 127.0.0.1, valid to 2126, for the
 * tests' TLS servers (made once with openssl; nothing trusts it). */
static const char test_cert_pem[] =
  "-----BEGIN CERTIFICATE-----\n"
  "MIIDJzCCAg+gAwIBAgIUbitEsoYT2PryBDxSs0+sT2mu158wDQYJKoZIhvcNAQEL\n"
  "BQAwFDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyMjAyMjIxOVoYDzIxMjYx\n"
  "MDI5MDIyMjE5WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwggEiMA0GCSqGSIb3DQEB\n"
  "AQUAA4IBDwAwggEKAoIBAQC3PjocpWepxMr22KDXYOistzwh2x8J+kFR4cFC07Gb\n"
  "E722mBe4zuB52sGmLhwFYHCaGRptuNx9IM8z/ddQvTvkZ51ETGvz9EcV/Xn/zLaV\n"
  "7bk4qZYCHIqt1hV3pG8dBfjVaIDatiXnhlLSAb9YUs9RItwmVf2qZ66Ey1BVqbJX\n"
  "wZWJYjuikRJx+U0n9ftyJBwTeuRQfSx3+v+S5mXy3GZjYTG51yEnveG2qUVFUAmP\n"
  "dnjZ4eljIQaH1FdE0aiy+vqtN4a0gOzOf9uqpdjOB1hD8Kn1kH/6OI5/WG7oLu0V\n"
  "Tju+C6hP62T7UqbSMnkWHh1fnfg4xu3UoOp4zJky3eqLAgMBAAGjbzBtMB0GA1Ud\n"
  "DgQWBBT4Z9qG7TWFSIQ2pUcZyrM1Dk81qTAfBgNVHSMEGDAWgBT4Z9qG7TWFSIQ2\n"
  "pUcZyrM1Dk81qTAPBgNVHRMBAf8EBTADAQH/MBoGA1UdEQQTMBGHBH8AAAGCCWxv\n"
  "Y2FsaG9zdDANBgkqhkiG9w0BAQsFAAOCAQEAXf/R5HDaB53rN3jJ3pI8no1Ub0tA\n"
  "8sK0iodJhkX2Hofoz9GWXun+O0JrzFSJVqoW2SU0kqpKNR9mtVpYSbcD+cWW5rpB\n"
  "bUeIsAJH4/3lYEch5OZJ2Bmh29GE4HeG2JAF3QeYmjfnTws0DUTD0lRP8MDZ50Ox\n"
  "SYqHP9X7ug8VpcrzQhnNZGY6pTC3jQuaqy7WIZBeTJUP8hzqZcY6BZ8FGRwIWpDP\n"
  "fBnBWsmJJ/vCXN28kE5ZFsR6K9aUDN5O0wdX+F4J8p4FSua3sYakU7wybV7nNGHz\n"
  "QO8XBtjU+XRl2XNi/X1ooMjxb7Q1QOKVJEcUxRqe3FhUJt717/PIbGlPaw==\n"
  "-----END CERTIFICATE-----\n"
  "-----BEGIN PRIVATE KEY-----\n"
  "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC3PjocpWepxMr2\n"
  "2KDXYOistzwh2x8J+kFR4cFC07GbE722mBe4zuB52sGmLhwFYHCaGRptuNx9IM8z\n"
  "/ddQvTvkZ51ETGvz9EcV/Xn/zLaV7bk4qZYCHIqt1hV3pG8dBfjVaIDatiXnhlLS\n"
  "Ab9YUs9RItwmVf2qZ66Ey1BVqbJXwZWJYjuikRJx+U0n9ftyJBwTeuRQfSx3+v+S\n"
  "5mXy3GZjYTG51yEnveG2qUVFUAmPdnjZ4eljIQaH1FdE0aiy+vqtN4a0gOzOf9uq\n"
  "pdjOB1hD8Kn1kH/6OI5/WG7oLu0VTju+C6hP62T7UqbSMnkWHh1fnfg4xu3UoOp4\n"
  "zJky3eqLAgMBAAECggEAUNwROaXVnikcZRwHsbLuSZTb4Ja4VidL3q2PogUXWPa3\n"
  "nxTzVtZXYP4iuMmdDNRXK/DK5EMQbNjnBirL8jFm9e2xDLvqYS7YlYASb0nvAi7y\n"
  "LmpLKyhcG8SeGXsCmxyRBt8ECT8ab9Wqw0gJHxj/qe6HlhUZCDKTZL7w9rQY4jbm\n"
  "1U8J9JvtkP3AWitSOXYaN3tyhinDuTG1FTv5OZ1N3YQxpgM1Bg1JYefdYuX31+OQ\n"
  "2+fuyflcK6zGYHDDecVg5e3T62d9jYNeXx3L2XnOCZ5VxV54aZlr+icbMi0iCuZL\n"
  "HpAf9xuEZvtsIRi6/nEppM/GI8qmT87M/fmQ/MEYyQKBgQDuZ3lsMByi/1hKAuQK\n"
  "UWQiUPYx2yzlmIw9jq5H512p6FK2aWBHLfICp/gJg0dhSGEoFEag6sqViAk6UChD\n"
  "q0HVsJlQJX8/nVYXFry8R64aUa6yk0eOkB2hZJxpnJYjN2IQzy//+CWDfFAUNGcc\n"
  "Tsgg9813AeI467WsTLL1aW9fOQKBgQDExILskKDhZv6RVVN61GEi7jPJzyx4iuiO\n"
  "g+AtC0qMbIVTLCCfTSZk4fOJtk930VrTLF1BGNf7jGbN7jq3g6ecfPsuCU8LdowM\n"
  "zFm4VEiqi5dqzi+pxxuAOyedlvqZOVcY4V18zk7WQP9wJVpod2ZF7olEdiO2BEjM\n"
  "dZzFhiVT4wKBgQCUGwBZ78G6mTs2L3mP12SH1Rg9fNX1hMGK9Hrc/KU5irTn0asY\n"
  "TTjN4Z+7+Sx9CUQibAY8reBQ6QQij+2TrG7n3CBCpCjbUllLWrrBlR5aB2iqU8je\n"
  "jjV6MFDjY336PsvTeYNuV7CmcLIm+y8bbO3zXT7tsePiTLy+X5/FykyAMQKBgEH5\n"
  "ecSEAc1R0U09hM4MY71ojOi/lDOer7cJNKMlxAstX86xXwbKwXLV5+hmvmJ4SbHA\n"
  "kEwBXnmza8zkcb+SXyKzLS0UZfJ7/x1Tb0nEyNCWGWDwXT7ZybjHHNNUChZSCYgI\n"
  "GGZ+biSciok5nQSl9B7CijfwPK0M5rPXQ4dfISjtAoGABWQRTH0bdTDu5Pr0UhXT\n"
  "1nF8zE/Am+XjfB/tGoV4H87qIiHhCa26tjq295gFISDo572C7cBpTrsysqznVW/0\n"
  "+E88zTowIkprFyYTsNHrI7c4KmZRtv7LYuWuXGQoX7k48shueUxdCCddKd7kpZ9u\n"
  "YbHGBeZgjT5+6d1fxypojcM=\n"
  "-----END PRIVATE KEY-----\n"
  ;

GTlsCertificate *
fw_test_localhost_certificate (GError **error)
{
  return g_tls_certificate_new_from_pem (test_cert_pem, -1, error);
}

/**
 * fw_test_count_app_windows:
 * @bus: the session bus a running Feedwatch is on
 *
 * Returns: how many windows the running Feedwatch has (0 when none runs): GtkApplication
 *   exports each window's actions under its object path's window/N
 */
guint
fw_test_count_app_windows (GDBusConnection *bus)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GDBusNodeInfo) node = NULL;
  const char *xml;
  guint n = 0;

  reply = g_dbus_connection_call_sync (bus, APP_ID, "/io/github/feedwatch/Feedwatch/window",
                                       "org.freedesktop.DBus.Introspectable", "Introspect",
                                       NULL, G_VARIANT_TYPE ("(s)"), G_DBUS_CALL_FLAGS_NONE,
                                       FW_TEST_DEADLINE_MS, NULL, NULL);
  if (reply == NULL)
    return 0;
  g_variant_get (reply, "(&s)", &xml);
  node = g_dbus_node_info_new_for_xml (xml, NULL);
  for (guint i = 0; node != NULL && node->nodes != NULL && node->nodes[i] != NULL; i++)
    n++;
  return n;
}

typedef struct
{
  FwTestRun *run;
  gboolean   done;
} RunWait;

static void
on_feedwatch_communicated (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  RunWait *wait = user_data;
  GSubprocess *proc = G_SUBPROCESS (object);
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (proc, result, &wait->run->out, &wait->run->err, &error);
  g_assert_no_error (error);
  wait->run->status = g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1;
  wait->done = TRUE;
}

void
fw_test_run_feedwatch (FwTestRun          *run,
                       const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  RunWait wait = { run, FALSE };

  g_ptr_array_add (argv, (char *) g_getenv ("FEEDWATCH_BIN"));
  g_assert_nonnull (argv->pdata[0]);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  /* stderr goes through the locale's charset: in a C locale (a Flatpak build sandbox) a
   * mask's "•" would come out as "?" */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (proc, NULL, NULL, on_feedwatch_communicated, &wait);
  fw_test_wait_for (&wait.done);
  g_test_message ("stdout: %s", run->out);
  g_test_message ("stderr: %s", run->err);
}

void
fw_test_run_clear (FwTestRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}
