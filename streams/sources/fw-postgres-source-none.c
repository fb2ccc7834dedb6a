/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-postgres-source-none.c: the PostgreSQL source's API in a build on a system without libpq,
 * so the library's symbols, GIR and headers do not depend on the build's options */

#include "config.h"

#include "fw-postgres-source.h"

#include "fw-feed.h"

struct _FwPostgresSource
{
  FwStream parent_instance;
};

G_DEFINE_FINAL_TYPE (FwPostgresSource, fw_postgres_source, FW_TYPE_STREAM)

static void
fw_postgres_source_class_init (FwPostgresSourceClass *klass)
{
}

static void
fw_postgres_source_init (FwPostgresSource *self)
{
}

/**
 * fw_postgres_source_open:
 * @spec: a `postgres://` or `postgresql://` feed
 * @flags: how to read it
 * @error: where to put why it cannot be opened
 *
 * Opens a PostgreSQL LISTEN/NOTIFY feed. This build has no libpq: it always fails.
 *
 * Returns: (transfer full) (nullable): %NULL, with @error set to %FW_FEED_ERROR_UNKNOWN_KIND
 */
FwStream *
fw_postgres_source_open (const FwFeedSpec  *spec,
                         FwFeedOpenFlags    flags,
                         GError           **error)
{
  g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_UNKNOWN_KIND,
               "Feed “%s”: this build of Feedwatch cannot read PostgreSQL (it was built without "
               "libpq); use a build with PostgreSQL support for postgres:// feeds.",
               spec->text);
  return NULL;
}
