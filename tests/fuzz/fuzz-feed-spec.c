/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-feed-spec.c: libFuzzer target for feeds as the user writes them: fw_feed_spec_parse()
 * and fw_feed_open() with every built-in kind, which parse their options and URLs (nothing is
 * opened: streams start on their first `next`, and none is asked for one). The input, up to
 * its first NUL, is the feed.
 *
 * Checked on every input: a failure has a FW_FEED_ERROR with a valid UTF-8 message, a success
 * none; a spec's text (its identity, secrets masked) is UTF-8; its kind is a lower-case scheme
 * the text starts with (or `file` for a path, whose target is the whole text); `cmd:` keeps the
 * whole rest; a URL target is a prefix of the text ending at its '#'; a `file:` URI's target is
 * an absolute path; every other part and option is valid UTF-8 (they end up in items, labels
 * and error messages). A stream opens only for a spec that parses, has not started, is named
 * after the spec's text and closes cleanly. test-fuzz-corpus replays the corpus through this
 * function in every build. */

#include "fw-feed.h"

#include <string.h>

#ifndef FW_FUZZ_ENTRY
#define FW_FUZZ_ENTRY LLVMFuzzerTestOneInput
#endif

static void
check_error (const GError *error,
             const char   *what)
{
  if (error == NULL)
    g_error ("%s failed without an error", what);
  if (error->domain != FW_FEED_ERROR)
    g_error ("%s failed with an error of %s: %s", what, g_quark_to_string (error->domain),
             error->message);
  if (!g_utf8_validate (error->message, -1, NULL))
    g_error ("%s failed with an error message that is not UTF-8", what);
}

static void
check_spec (const FwFeedSpec *spec,
            const char       *text)
{
  GHashTableIter iter;
  gpointer key, value;
  gsize kind_len = strlen (spec->kind);

  /* The identity: the feed as written, though it may show its secrets masked. */
  if (spec->text[0] == '\0' || !g_utf8_validate (spec->text, -1, NULL))
    g_error ("the spec's text is empty or not UTF-8");
  if (spec->target == NULL)
    g_error ("no target");
  if (g_ascii_strncasecmp (text, "file:", 5) == 0)
    {
      /* A file: URI's escapes may name any file, in the file system's bytes, not UTF-8. */
      if (strcmp (spec->kind, "file") != 0 || !g_path_is_absolute (spec->target))
        g_error ("file URI “%s” is not a file feed of an absolute path", text);
    }
  else if (!g_utf8_validate (spec->target, -1, NULL))
    g_error ("the target is not UTF-8");

  if (text[0] == '/' || text[0] == '.' || text[0] == '~' || strchr (text, ':') == NULL)
    {
      if (strcmp (spec->kind, "file") != 0 || strcmp (spec->target, text) != 0 ||
          g_hash_table_size (spec->options) != 0)
        g_error ("a path is not a file feed of that path");
      return;
    }

  if (kind_len == 0)
    g_error ("empty kind");
  for (const char *p = spec->kind; *p != '\0'; p++)
    {
      if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && strchr ("+-.", *p) == NULL)
        g_error ("kind “%s” is not a lower-case scheme", spec->kind);
    }
  if (g_ascii_strncasecmp (text, spec->kind, kind_len) != 0 || text[kind_len] != ':')
    {
      /* Not a scheme after all: then it is a path. */
      if (strcmp (spec->kind, "file") != 0 || strcmp (spec->target, text) != 0)
        g_error ("kind “%s” is not what “%s” starts with", spec->kind, text);
      return;
    }

  if (strcmp (spec->kind, "cmd") == 0 && strcmp (spec->target, text + kind_len + 1) != 0)
    g_error ("cmd: did not keep the whole command line");
  if (strcmp (spec->kind, "http") == 0 || strcmp (spec->kind, "https") == 0 ||
      strcmp (spec->kind, "ws") == 0 || strcmp (spec->kind, "wss") == 0)
    {
      gsize len = strlen (spec->target);

      if (strstr (text, "://") != NULL &&
          (strncmp (spec->target, text, len) != 0 || (text[len] != '\0' && text[len] != '#')))
        g_error ("URL target “%s” is not “%s” up to its options", spec->target, text);
    }

  g_hash_table_iter_init (&iter, spec->options);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *k = key;
      const char *v = value;
      guint number;
      g_autoptr(GError) error = NULL;

      if (k[0] == '\0' || !g_utf8_validate (k, -1, NULL) || !g_utf8_validate (v, -1, NULL))
        g_error ("an option's key is empty, or its key or value is not UTF-8");
      if (fw_feed_spec_get_option (spec, k) != v)
        g_error ("fw_feed_spec_get_option() does not find option “%s”", k);
      if (!fw_feed_spec_get_uint (spec, k, 7, &number, &error))
        check_error (error, "fw_feed_spec_get_uint()");
      else if (error != NULL)
        g_error ("fw_feed_spec_get_uint() succeeded with an error");
    }
}

static void
on_closed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  if (!fw_stream_close_finish (FW_STREAM (source), result, &error))
    g_error ("closing an unstarted stream failed: %s", error->message);
  *done = TRUE;
}

static void
check_open (const char       *text,
            const FwFeedSpec *spec,
            FwFeedOpenFlags   flags)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = fw_feed_open (text, flags, &error);
  gboolean closed = FALSE;

  if (stream == NULL)
    {
      /* A feed whose kind is unknown, or whose options or URL are wrong, says so. */
      check_error (error, "fw_feed_open()");
      return;
    }
  if (error != NULL)
    g_error ("fw_feed_open() succeeded with an error");
  if (spec == NULL)
    g_error ("“%s” opened, but its spec did not parse", text);
  if (fw_stream_is_started (stream))
    g_error ("opening “%s” started the stream", text);
  if (g_strcmp0 (fw_stream_get_name (stream), spec->text) != 0)
    g_error ("the stream of “%s” is named “%s”", spec->text, fw_stream_get_name (stream));

  fw_stream_close_async (stream, NULL, on_closed, &closed);
  while (!closed)
    g_main_context_iteration (NULL, TRUE);
}

int FW_FUZZ_ENTRY (const guint8 *data,
                   size_t        size);

int
FW_FUZZ_ENTRY (const guint8 *data,
               size_t        size)
{
  g_autofree char *text = size > 0 ? g_strndup ((const char *) data, size) : g_strdup ("");
  g_autoptr(GError) error = NULL;
  g_autoptr(FwFeedSpec) spec = fw_feed_spec_parse (text, &error);

  if (spec == NULL)
    check_error (error, "fw_feed_spec_parse()");
  else if (error != NULL)
    g_error ("fw_feed_spec_parse() succeeded with an error");
  else
    check_spec (spec, text);

  check_open (text, spec, FW_FEED_OPEN_NONE);
  check_open (text, spec, FW_FEED_OPEN_ONCE);

  return 0;
}
