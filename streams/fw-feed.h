/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-feed.h: feeds as the user writes them ("sim:sensor", a path, "sse:URL", …) */
#pragma once

#include <gio/gio.h>

#include "fw-feed-secrets.h"
#include "fw-stream.h"

G_BEGIN_DECLS

#define FW_FEED_ERROR (fw_feed_error_quark ())

/**
 * FwFeedError:
 * @FW_FEED_ERROR_UNKNOWN_KIND: no kind of feed has that scheme
 * @FW_FEED_ERROR_INVALID: the feed, or an option's value, is not valid
 * @FW_FEED_ERROR_UNKNOWN_OPTION: the feed's kind takes no option of that name
 *
 * Errors of the feed text: what fw_feed_spec_parse() and fw_feed_open() report when a feed
 * cannot be understood. The message says what is wrong in words.
 */
typedef enum
{
  FW_FEED_ERROR_UNKNOWN_KIND,
  FW_FEED_ERROR_INVALID,
  FW_FEED_ERROR_UNKNOWN_OPTION,
} FwFeedError;

typedef struct _FwFeedKind FwFeedKind;

/**
 * FwFeedSpec:
 * @text: the feed as the user wrote it, its secrets masked (fw_feed_spec_redact()): its
 *   identity in items, output and errors
 * @kind: the scheme ("sim", "file", "cmd", "sse", …)
 * @target: what follows the scheme, without the query
 * @options: (element-type utf8 utf8): the query's key=value pairs, decoded
 *
 * A feed parsed once: immutable and reference-counted (fw_feed_spec_ref()), so whoever needs
 * its parts keeps it instead of parsing the text again. The fields are read-only.
 */
typedef struct
{
  char              *text;
  char              *kind;
  char              *target;
  GHashTable        *options;

  /*< private >*/
  gatomicrefcount    ref_count;
  const FwFeedKind  *kind_info;
  GPtrArray         *secret_forms;
} FwFeedSpec;

/**
 * FwFeedOpenFlags:
 * @FW_FEED_OPEN_ONCE: read to the natural end without following or reconnecting (`--once`)
 * @FW_FEED_OPEN_NONE: follow the feed: tail a file, reconnect, poll again
 *
 * How fw_feed_open() opens a feed.
 */
typedef enum /*< flags >*/
{
  FW_FEED_OPEN_NONE = 0,
  FW_FEED_OPEN_ONCE = 1 << 0,
} FwFeedOpenFlags;

/**
 * FwFeedOpenFunc:
 * @spec: the parsed feed, its options already checked against the kind's schema
 * @flags: how to open it
 * @error: where to report a feed that cannot be opened
 *
 * Makes the stream of a feed: the @open member of a #FwFeedKind.
 *
 * Returns: (transfer full) (nullable): a new stream, not started yet, or %NULL with @error set
 */
typedef FwStream *(*FwFeedOpenFunc) (const FwFeedSpec *spec,
                                     FwFeedOpenFlags   flags,
                                     GError          **error);

#define FW_TYPE_FEED_SPEC (fw_feed_spec_get_type ())

GQuark      fw_feed_error_quark      (void);
GType       fw_feed_spec_get_type    (void) G_GNUC_CONST;
FwFeedSpec *fw_feed_spec_parse       (const char        *text,
                                      GError           **error);
FwFeedSpec *fw_feed_spec_ref         (FwFeedSpec        *spec);
void        fw_feed_spec_unref       (FwFeedSpec        *spec);
void        fw_feed_spec_free        (FwFeedSpec        *spec);
const char *fw_feed_spec_get_text    (const FwFeedSpec  *spec);
const char *fw_feed_spec_get_kind    (const FwFeedSpec  *spec);
const char *fw_feed_spec_get_target  (const FwFeedSpec  *spec);
const FwFeedKind *fw_feed_spec_get_kind_info (const FwFeedSpec *spec);
char       *fw_feed_spec_mask_message (const FwFeedSpec *spec,
                                       const char       *message);
char       *fw_feed_text_set_option  (const char        *text,
                                      const char        *key,
                                      const char        *value);
const char *fw_feed_spec_get_option  (const FwFeedSpec  *spec,
                                      const char        *key);
const char *fw_feed_spec_get_string  (const FwFeedSpec  *spec,
                                      const char        *key);
gboolean    fw_feed_spec_get_uint_or_default (const FwFeedSpec *spec,
                                              const char       *key,
                                              guint            *out_value,
                                              GError          **error);
gboolean    fw_feed_spec_get_bool    (const FwFeedSpec  *spec,
                                      const char        *key);
gboolean    fw_feed_spec_get_uint    (const FwFeedSpec  *spec,
                                      const char        *key,
                                      guint              default_value,
                                      guint             *out_value,
                                      GError           **error);
FwStream   *fw_feed_open             (const char        *text,
                                      FwFeedOpenFlags    flags,
                                      GError           **error);
FwStream   *fw_feed_open_spec        (FwFeedSpec        *spec,
                                      FwFeedOpenFlags    flags,
                                      GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwFeedSpec, fw_feed_spec_unref)

G_END_DECLS
