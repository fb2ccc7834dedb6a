/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c: the command line. `--print` and `--summary` run headless (no display needed);
 * everything else starts the desktop application. */

#include "config.h"

#include <locale.h>
#include <stdio.h>

#include "fw-application.h"
#include "fw-print.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) feeds = NULL;
  g_autoptr(FwApplication) app = NULL;
  gboolean version = FALSE;
  gboolean demo = FALSE;
  gboolean service = FALSE; /* D-Bus activation: GApplication reads it from the original argv */
  g_auto(GStrv) original_argv = g_strdupv (argv);
  FwPrintOptions print = { 0 };
  const GOptionEntry entries[] = {
    { "print", 'p', 0, G_OPTION_ARG_NONE, &print.print,
      "Run without a window and write items to standard output as JSON Lines", NULL },
    { "summary", 's', 0, G_OPTION_ARG_NONE, &print.summary,
      "At the end, write one JSON line per feed with its item and level counts", NULL },
    { "once", 0, 0, G_OPTION_ARG_NONE, &print.once,
      "Read each feed to its end without following or reconnecting", NULL },
    { "count", 'n', 0, G_OPTION_ARG_INT64, &print.count,
      "Stop after N items in all", "N" },
    { "duration", 'd', 0, G_OPTION_ARG_DOUBLE, &print.duration,
      "Stop after S seconds", "S" },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo,
      "Also start a built-in event server and a demo log, and watch them", NULL },
    { "stats", 0, 0, G_OPTION_ARG_NONE, &print.stats,
      "At the end, write items/s and the main-loop lag (p50/p99/max) to standard error", NULL },
    { "gapplication-service", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &service, NULL, NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version,
      "Show the version and exit", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &feeds, NULL, "[FEED…]" },
    { NULL }
  };

  setlocale (LC_ALL, "");

  context = g_option_context_new ("— watch live feeds");
  g_option_context_set_summary (context,
    "Feeds: sim:sensor, a log file path or file:///path, and more (see the README).\n"
    "Per-feed options follow a '?' (or a '#' after a URL), e.g. sim:sensor?interval=200.");
  g_option_context_add_main_entries (context, entries, NULL);
  /* The desktop mode takes GTK's own options too, but --help stays readable without them. */
  g_option_context_set_ignore_unknown_options (context, FALSE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("feedwatch: %s\nTry “feedwatch --help”.\n", error->message);
      return 2;
    }

  if (version)
    {
      g_print ("feedwatch %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (print.count < 0 || print.duration < 0)
    {
      g_printerr ("feedwatch: --count and --duration cannot be negative\n");
      return 2;
    }

  if (print.print || print.summary)
    return fw_print_run ((const char * const *) feeds, &print);

  if (print.once || print.count > 0 || print.duration > 0 || print.stats)
    {
      g_printerr ("feedwatch: --once, --count, --duration and --stats go with --print or --summary\n");
      return 2;
    }

  /* One instance: a second `feedwatch` hands its feeds to the running one. */
  app = fw_application_new (G_APPLICATION_HANDLES_COMMAND_LINE);

  return g_application_run (G_APPLICATION (app), g_strv_length (original_argv), original_argv);
}
