/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c: the command line. `--print`, `--summary`, `--alert` and `--record` run headless (no
 * display needed) and load nothing of GTK; everything else loads the window module and starts
 * the desktop application. */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include <gio/gio.h>
#include <gmodule.h>

#include "fw-print.h"
#include "fw-window-module.h"

/* The build tree this binary was built in, when it is the binary there (`make run`, the tests):
 * it then uses the schema and the window module built beside it. */
static char *
find_build_root (void)
{
  g_autofree char *exe = realpath ("/proc/self/exe", NULL);
  g_autofree char *build_root = realpath (FW_BUILD_ROOT, NULL);
  g_autofree char *built_exe = NULL;

  if (exe == NULL || build_root == NULL)
    return NULL;
  built_exe = g_build_filename (build_root, "app", "feedwatch", NULL);

  return g_str_equal (exe, built_exe) ? g_steal_pointer (&build_root) : NULL;
}

/* The window keeps its settings in GSettings, whose schema an installed Feedwatch finds in the
 * system's data folders. The binary in the build tree (`make run`) uses the schema compiled
 * beside it instead, so a fresh clone runs without installing anything. Without a schema,
 * GSettings would abort the process: say what is missing and how to get it instead. */
static gboolean
find_settings_schema (void)
{
  g_autofree char *build_root = find_build_root ();
  g_autoptr(GSettingsSchema) schema = NULL;
  GSettingsSchemaSource *source;

  if (build_root != NULL)
    {
      g_autofree char *schema_dir = g_build_filename (build_root, "data", NULL);
      const char *dirs = g_getenv ("GSETTINGS_SCHEMA_DIR");
      g_autofree char *path = dirs != NULL && dirs[0] != '\0'
        ? g_strconcat (schema_dir, G_SEARCHPATH_SEPARATOR_S, dirs, NULL)
        : g_strdup (schema_dir);

      /* Read once, at the first lookup below: it must be set before. */
      g_setenv ("GSETTINGS_SCHEMA_DIR", path, TRUE);
    }

  source = g_settings_schema_source_get_default ();
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema != NULL)
    return TRUE;

  g_printerr (_("feedwatch: the window cannot start: its settings schema “%s” is not installed.\n"
                "Install Feedwatch (“meson install”, or the Flatpak), or run it from its source "
                "folder with “make run”.\nA schema compiled elsewhere can be named with "
                "GSETTINGS_SCHEMA_DIR=FOLDER. Without a window, “feedwatch --print FEED” needs "
                "no schema.\n"), APP_ID);
  return FALSE;
}

/* The installed catalogues, or, for the binary in the build tree (`make run`), those built
 * beside it: a translation shows before it is installed. */
static void
bind_translations (void)
{
  g_autofree char *build_root = find_build_root ();
  g_autofree char *built_po = build_root != NULL ? g_build_filename (build_root, "po", NULL)
                                                 : NULL;

  bindtextdomain (GETTEXT_PACKAGE, built_po != NULL ? built_po : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

/* "500M", "2G", "100k" or bytes: decimal units, as GNOME writes sizes (MiB and GiB too) */
static gboolean
parse_size (const char *text,
            guint64    *bytes)
{
  static const struct { const char *suffix; guint64 factor; } units[] = {
    { "", 1 }, { "B", 1 }, { "k", 1000 }, { "kB", 1000 }, { "K", 1000 }, { "M", 1000000 },
    { "MB", 1000000 }, { "G", 1000000000 }, { "GB", 1000000000 }, { "KiB", 1024 },
    { "MiB", 1024 * 1024 }, { "GiB", 1024 * 1024 * 1024 },
  };
  char *end;
  double value;

  if (text == NULL)
    return TRUE;
  value = g_ascii_strtod (text, &end);
  for (guint i = 0; end != text && i < G_N_ELEMENTS (units); i++)
    {
      if (g_str_equal (end, units[i].suffix) && value >= 0 && value * units[i].factor < 1e18)
        {
          *bytes = (guint64) (value * units[i].factor);
          return TRUE;
        }
    }
  return FALSE;
}

/* The window module: the build tree's for the binary there; else the one installed beside this
 * binary (an install moved as a whole finds its own), else the one at the configured prefix. */
static char *
find_window_module (void)
{
  g_autofree char *build_root = find_build_root ();
  g_autofree char *exe = NULL;
  g_autofree char *exe_dir = NULL;

  if (build_root != NULL)
    return g_build_filename (build_root, "app", FW_WINDOW_MODULE_FILE, NULL);

  exe = realpath ("/proc/self/exe", NULL);
  if (exe != NULL && FW_WINDOW_MODULE_RELDIR[0] != '\0')
    {
      g_autofree char *path = NULL;

      exe_dir = g_path_get_dirname (exe);
      path = g_build_filename (exe_dir, FW_WINDOW_MODULE_RELDIR, FW_WINDOW_MODULE_FILE, NULL);
      if (g_file_test (path, G_FILE_TEST_EXISTS))
        return g_steal_pointer (&path);
    }

  return g_build_filename (FW_WINDOW_MODULE_DIR, FW_WINDOW_MODULE_FILE, NULL);
}

/* Loads GTK, libadwaita and the window's code: only now, so that `--print` starts without them. */
static FwWindowModuleRun
load_window_module (void)
{
  g_autofree char *path = find_window_module ();
  GModule *module;
  gpointer run = NULL;

  /* Bound now, not lazily: a symbol missing is the error below, not a crash later. Global, as
   * when it was linked in: GtkBuilder finds some of the window's types and callbacks by name
   * among the process's global symbols. */
  module = g_module_open (path, 0);
  if (module == NULL || !g_module_symbol (module, FW_WINDOW_MODULE_ENTRY, &run) || run == NULL)
    {
      g_printerr (_("feedwatch: the window cannot start: its module “%s” cannot be loaded (%s).\n"
                    "Reinstall Feedwatch (“meson install”, or the Flatpak), or run it from its "
                    "source folder with “make run”.\nWithout a window, “feedwatch --print FEED” "
                    "needs no module.\n"), path, g_module_error ());
      if (module != NULL)
        g_module_close (module);
      return NULL;
    }

  /* It registers types and owns the application until exit: it stays. */
  g_module_make_resident (module);

  return run;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) feeds = NULL;
  FwWindowModuleRun run_window = NULL;
  gboolean version = FALSE;
  gboolean demo = FALSE;
  gboolean service = FALSE; /* D-Bus activation: GApplication reads it from the original argv */
  g_auto(GStrv) original_argv = g_strdupv (argv);
  FwPrintOptions print = { 0 };
  g_auto(GStrv) alerts = NULL;
  g_autofree char *alerts_file = NULL;
  g_autofree char *record = NULL;
  g_autofree char *record_max_size = NULL;
  const GOptionEntry entries[] = {
    { "print", 'p', 0, G_OPTION_ARG_NONE, &print.print,
      N_("Run without a window and write items to standard output as JSON Lines"), NULL },
    { "summary", 's', 0, G_OPTION_ARG_NONE, &print.summary,
      N_("At the end, write one JSON line per feed with its item and level counts"), NULL },
    { "once", 0, 0, G_OPTION_ARG_NONE, &print.once,
      N_("Read each feed to its end without following or reconnecting"), NULL },
    { "count", 'n', 0, G_OPTION_ARG_INT64, &print.count,
      N_("Stop after N data items in all (status items are printed, not counted)"), "N" },
    { "duration", 'd', 0, G_OPTION_ARG_DOUBLE, &print.duration,
      N_("Stop after S seconds"), "S" },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo,
      N_("Also start a built-in event server and a demo log, and watch them"), NULL },
    { "stats", 0, 0, G_OPTION_ARG_NONE, &print.stats,
      N_("At the end, write items/s and the main-loop lag (p50/p99/max) to standard error"), NULL },
    { "alert", 0, 0, G_OPTION_ARG_STRING_ARRAY, &alerts,
      N_("Run without a window and report when the rule fires (repeatable), "
         "e.g. 'level>=error' or 'cpu: cpu usage > 90 for 60s' (see the README)"), "RULE" },
    { "alerts", 0, 0, G_OPTION_ARG_FILENAME, &alerts_file,
      N_("Like --alert, for each rule in FILE (one a line, # for comments)"), "FILE" },
    { "exit-on-alert", 0, 0, G_OPTION_ARG_NONE, &print.exit_on_alert,
      N_("Stop at the first alert that fires, with exit status 3"), NULL },
    { "record", 'r', 0, G_OPTION_ARG_FILENAME, &record,
      N_("Run without a window and record what the feeds say to FILE (zstd JSON Lines); "
         "with --print, print it too"), "FILE" },
    { "record-max-size", 0, 0, G_OPTION_ARG_STRING, &record_max_size,
      N_("Go on in a new file (FILE-2.jsonl.zst, …) once a recording reaches SIZE (500M, 2G)"),
      "SIZE" },
    { "record-max-duration", 0, 0, G_OPTION_ARG_DOUBLE, &print.record_max_duration,
      N_("Go on in a new file once a recording spans S seconds"), "S" },
    { "gapplication-service", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &service, NULL, NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version,
      N_("Show the version and exit"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &feeds, NULL, "[FEED…]" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bind_translations ();
  /* Worker threads idle for half a second leave their pool; GLib keeps 2 of them for the next
   * task and ends the rest, so the machine sensors' once-a-second samples (GTask) started a
   * thread most seconds: 8% of an idle window's CPU. Kept, they wait for work (up to 15 s). */
  g_thread_pool_set_max_unused_threads (8);

  context = g_option_context_new (N_("— watch live feeds"));
  /* GOption translates the entries' descriptions, the summary and the line above */
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Feeds: sim:sensor, a log file path or file:///path, and more (see the README).\n"
      "Per-feed options follow a '?' (or a '#' after a URL), e.g. sim:sensor?interval=200."));
  g_option_context_add_main_entries (context, entries, NULL);
  /* The desktop mode takes GTK's own options too, but --help stays readable without them. */
  g_option_context_set_ignore_unknown_options (context, FALSE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr (_("feedwatch: %s\nTry “feedwatch --help”.\n"), error->message);
      return 2;
    }

  if (version)
    {
      g_print ("feedwatch %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (print.count < 0)
    {
      g_printerr (_("feedwatch: --count cannot be negative\n"));
      return 2;
    }
  /* Written so that NaN fails too. */
  if (!(print.duration >= 0 && print.duration <= FW_PRINT_MAX_DURATION))
    {
      g_printerr (_("feedwatch: --duration takes seconds from 0 (no limit) to %.0f, not %g\n"
                    "Try “feedwatch --help”.\n"), FW_PRINT_MAX_DURATION, print.duration);
      return 2;
    }

  print.alerts = alerts;
  print.alerts_file = alerts_file;
  if (print.exit_on_alert && alerts == NULL && alerts_file == NULL)
    {
      g_printerr (_("feedwatch: --exit-on-alert needs a rule to watch: add --alert RULE or "
                    "--alerts FILE, e.g. --alert 'level>=error'\n"));
      return 2;
    }

  if (!parse_size (record_max_size, &print.record_max_size))
    {
      g_printerr (_("feedwatch: --record-max-size takes a size such as 500M or 2G (bytes, k, M, "
                    "G), not “%s”\nTry “feedwatch --help”.\n"), record_max_size);
      return 2;
    }
  if (!(print.record_max_duration >= 0 && print.record_max_duration <= FW_PRINT_MAX_DURATION))
    {
      g_printerr (_("feedwatch: --record-max-duration takes seconds from 0 (no limit) to %.0f, "
                    "not %g\nTry “feedwatch --help”.\n"), FW_PRINT_MAX_DURATION,
                  print.record_max_duration);
      return 2;
    }
  if (record == NULL && (record_max_size != NULL || print.record_max_duration > 0))
    {
      g_printerr (_("feedwatch: --record-max-size and --record-max-duration go with "
                    "--record FILE\n"));
      return 2;
    }
  print.record = record;

  if (print.print || print.summary || alerts != NULL || alerts_file != NULL ||
      print.record != NULL)
    return fw_print_run ((const char * const *) feeds, &print);

  if (print.once || print.count > 0 || print.duration > 0 || print.stats)
    {
      g_printerr (_("feedwatch: --once, --count, --duration and --stats go with --print, "
                    "--summary, --alert or --record\n"));
      return 2;
    }

  if (!find_settings_schema ())
    return 1;

  run_window = load_window_module ();
  if (run_window == NULL)
    return 1;

  /* One instance: a second `feedwatch` hands its feeds to the running one. */
  return run_window (g_strv_length (original_argv), original_argv);
}
