/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-feed-secrets.h: the credentials a feed carries, and the feed without them */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * FW_FEED_SECRET_MASK:
 *
 * What a secret shows as wherever a feed is shown: items, rows, output, errors.
 */
#define FW_FEED_SECRET_MASK "•••"

GHashTable *fw_feed_spec_find_secrets       (const char  *text);
char       *fw_feed_spec_redact             (const char  *text);
char       *fw_feed_spec_mask               (const char  *text,
                                             const char  *message);
char       *fw_feed_spec_split_secrets      (const char  *text,
                                             const char  *stand_in,
                                             GHashTable **secrets);
char       *fw_feed_spec_fill_secrets       (const char  *stored,
                                             GHashTable  *secrets,
                                             GError     **error);
gboolean    fw_feed_spec_has_placeholders   (const char  *text);
gboolean    fw_feed_spec_is_secret_header   (const char  *name);
char       *fw_feed_spec_unmask             (const char  *edited,
                                             const char  *original,
                                             GError     **error);

G_END_DECLS
