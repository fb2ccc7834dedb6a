/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-feed-private.h: the feed grammar's one scanner, shared by the parser (fw-feed.c) and the
 * secrets' finder (fw-feed-secrets.c), so both see the same parts of a feed */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * FwFeedScan:
 * @kind_len: the length of the scheme before the first ':'; 0 for a path (the log tail)
 * @rest: what follows "kind:" (the whole text for a path)
 * @options: the '?' or '#' before the options, or %NULL when there are none; a path, `cmd:`
 *   (all of whose rest is the command line) and `file:` never have any
 * @is_url: the rest is a URL ("://"), whose own query is the server's: options follow a '#'
 *   (never for `cmd:` and `file:`, whose rest is taken as it is)
 * @separator: what starts options in this feed, when it has none yet: '#' after a URL, a
 *   command line or a file's name, '?' otherwise
 */
typedef struct
{
  gsize       kind_len;
  const char *rest;
  const char *options;
  gboolean    is_url;
  char        separator;
} FwFeedScan;

void       fw_feed_scan              (const char  *text,
                                      FwFeedScan  *scan);

/* Masking a message with the secrets of a feed, the forms found once (fw-feed-secrets.c) */
GPtrArray *fw_feed_secret_forms      (const char  *text);
char      *fw_feed_mask_with_forms   (GPtrArray   *forms,
                                      const char  *message);

G_END_DECLS
