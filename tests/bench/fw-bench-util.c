/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-bench-util.c: see the header. */

#include "fw-bench-util.h"

#include <glib.h>

static void
on_drained (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  gboolean *done = user_data;

  g_assert (fw_stream_for_each_finish (FW_STREAM (object), result, NULL) ==
            FW_FOR_EACH_EXHAUSTED);
  *done = TRUE;
}

/* Calls @func on every item of @stream, @batch at a time, until the stream ends; returns the
 * seconds that took on the monotonic clock. */
double
fw_bench_drain (FwStream      *stream,
                guint          batch,
                FwForEachFunc  func,
                gpointer       user_data)
{
  gint64 start = g_get_monotonic_time ();
  gboolean done = FALSE;

  fw_stream_for_each_async (stream, batch, func, user_data, NULL, NULL, on_drained, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  return (g_get_monotonic_time () - start) / 1e6;
}

/* Runs @argv (searched in PATH), keeping its output in @out when not NULL; returns the seconds
 * it took, or -1 after saying why it failed. */
double
fw_bench_spawn_timed (const char * const *argv,
                      char              **out)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out, NULL,
                     &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("%s failed: %s\n", argv[0], error->message);
      return -1;
    }
  return (g_get_monotonic_time () - start) / 1e6;
}

/* Runs the Python peer @script of the benchmarks' folder (FW_BENCH_SRC) with @args, under
 * $PYTHON or Debian's python3; returns the JSON object it prints, or NULL after saying why. */
JsonObject *
fw_bench_run_python (const char         *script,
                     const char * const *args)
{
  const char *python = g_getenv ("PYTHON") != NULL ? g_getenv ("PYTHON") : "/usr/bin/python3";
  const char *src = g_getenv ("FW_BENCH_SRC") != NULL ? g_getenv ("FW_BENCH_SRC") : ".";
  g_autofree char *path = g_build_filename (src, script, NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  JsonNode *root;

  g_ptr_array_add (argv, (gpointer) python);
  g_ptr_array_add (argv, path);
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  if (fw_bench_spawn_timed ((const char * const *) argv->pdata, &out) < 0)
    return NULL;
  if (!json_parser_load_from_data (parser, out, -1, &error))
    {
      g_printerr ("%s printed no JSON: %s\n", script, error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_printerr ("%s printed no JSON object\n", script);
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}
