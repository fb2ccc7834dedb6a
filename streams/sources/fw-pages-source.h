/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-pages-source.h: `pages:URL`, a paginated JSON API: the pages followed by cursor or
 * Link header or by offset or page number, then polled for new and changed records. */
#pragma once

#include <libsoup/soup.h>

#include "fw-feed-kind.h"

G_BEGIN_DECLS

#define FW_TYPE_PAGES_SOURCE (fw_pages_source_get_type ())

G_DECLARE_FINAL_TYPE (FwPagesSource, fw_pages_source, FW, PAGES_SOURCE, FwStream)

#define FW_PAGES_DEFAULT_INTERVAL_MS (30 * 1000)
#define FW_PAGES_DEFAULT_MAX_SEEN    10000
#define FW_PAGES_DEFAULT_MAX_PAGES   100
#define FW_PAGES_MAX_BODY            (16 * 1024 * 1024)

FwStream *fw_pages_source_open             (const FwFeedSpec  *spec,
                                            FwFeedOpenFlags    flags,
                                            GError           **error);
FwStream *fw_pages_source_new_for_response (const FwFeedSpec  *spec,
                                            FwFeedOpenFlags    flags,
                                            SoupSession       *session,
                                            SoupMessage       *msg,
                                            GInputStream      *body,
                                            GError           **error);
char     *fw_pages_find_link_next          (const char        *link_header);
guint     fw_pages_source_get_n_requests   (FwPagesSource     *self);
guint     fw_pages_source_get_n_duplicates (FwPagesSource     *self);
guint     fw_pages_source_get_n_seen       (FwPagesSource     *self);
guint     fw_pages_source_get_n_unmodified (FwPagesSource     *self);

extern const FwFeedOption fw_pages_source_options[];
extern const FwFeedKind fw_pages_source_kind;

G_END_DECLS
