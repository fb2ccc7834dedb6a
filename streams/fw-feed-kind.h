/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-feed-kind.h: what Feedwatch knows about each kind of feed ("sim", "sse", "cpu", …) in one
 * place: how to open it, its words and icon, and the options it takes.
 *
 * Each kind's descriptor lives in the file of its source; fw-feed.c lists them. fw_feed_open()
 * checks a feed's options against its kind's schema before the source sees them, so a typo
 * (`intervall=5`) or a value out of range is refused with the options and values it takes.
 */
#pragma once

#include "fw-feed.h"

G_BEGIN_DECLS

/**
 * FwFeedOptionType:
 * @FW_FEED_OPTION_UINT: a whole number (a count)
 * @FW_FEED_OPTION_MILLISECONDS: a whole number of milliseconds
 * @FW_FEED_OPTION_SECONDS: a whole number of seconds
 * @FW_FEED_OPTION_BYTES: a whole number of bytes
 * @FW_FEED_OPTION_BOOL: 1, true or nothing (`insecure`) for yes; 0 or false for no
 * @FW_FEED_OPTION_STRING: any text
 * @FW_FEED_OPTION_CHOICE: one of #FwFeedOption.choices
 *
 * The type of a feed option's value, which fixes how it is parsed and checked.
 */
typedef enum
{
  FW_FEED_OPTION_UINT,
  FW_FEED_OPTION_MILLISECONDS,
  FW_FEED_OPTION_SECONDS,
  FW_FEED_OPTION_BYTES,
  FW_FEED_OPTION_BOOL,
  FW_FEED_OPTION_STRING,
  FW_FEED_OPTION_CHOICE,
} FwFeedOptionType;

/**
 * FwFeedOptionFlags:
 * @FW_FEED_OPTION_PREFIX: #FwFeedOption.key is a family's prefix: `header.` stands for every
 *   `header.NAME`
 * @FW_FEED_OPTION_HIDDEN: taken, but for tests only: neither offered nor documented
 * @FW_FEED_OPTION_CONNECTION: says how to reach the server (headers, request, retries, TLS)
 *   rather than what to read: the Add Feed dialog shows it apart
 * @FW_FEED_OPTION_FIELD_NAME: #FwFeedOption.key stands for any field name written in capitals,
 *   digits and underscores (`_SYSTEMD_UNIT=sshd.service`, a journal match); the Add Feed
 *   dialog offers no row for it
 * @FW_FEED_OPTION_FLAGS_NONE: an ordinary option
 *
 * Facts about a feed option, for the Add Feed dialog and validation.
 */
typedef enum /*< flags >*/
{
  FW_FEED_OPTION_FLAGS_NONE = 0,
  FW_FEED_OPTION_PREFIX = 1 << 0,
  FW_FEED_OPTION_HIDDEN = 1 << 1,
  FW_FEED_OPTION_CONNECTION = 1 << 2,
  FW_FEED_OPTION_FIELD_NAME = 1 << 3,
} FwFeedOptionFlags;

/**
 * FwFeedOption:
 * @key: the option's name as written in the feed ("interval"), or a prefix ("header.")
 * @type: what its value is
 * @flags: #FwFeedOptionFlags
 * @default_value: (nullable): the value when the feed does not set it, as it would be written;
 *   %NULL when there is none or it depends (on what the server turns out to be)
 * @min: the smallest value, for the number types
 * @max: the largest value, for the number types; 0 means G_MAXUINT
 * @choices: (nullable) (array zero-terminated=1): the values a @FW_FEED_OPTION_CHOICE takes
 * @help: one line saying what it does, untranslated (marked with N_())
 *
 * One option a kind of feed takes in its query (`?interval=500`): the schema from which options are
 * validated and the Add Feed dialog builds its rows.
 */
typedef struct
{
  const char          *key;
  FwFeedOptionType     type;
  FwFeedOptionFlags    flags;
  const char          *default_value;
  guint64              min;
  guint64              max;
  const char * const  *choices;
  const char          *help;
} FwFeedOption;

/**
 * FwFeedTitleFunc:
 * @spec: the parsed feed
 *
 * Makes the title a feed shows when the user gives it none (a file's name, a URL's host).
 *
 * Returns: (transfer full) (nullable): a feed's default title, or %NULL for the kind's title
 */
typedef char *(*FwFeedTitleFunc) (const FwFeedSpec *spec);

/**
 * FwFeedKind:
 * @name: the scheme, lower case ("sim", "ws"); "file" for paths
 * @open: makes the stream, from a spec whose options were checked against @options
 * @description: one line saying what the kind is, untranslated (N_())
 * @title: a name for a feed of this kind, untranslated (N_()) ("Simulated sensor")
 * @icon_name: a symbolic icon for it
 * @example: (nullable): what choosing the kind writes in the Add Feed dialog ("sim:sensor"), or
 *   %NULL when it is not offered there
 * @options: (nullable): its options, as fragments (arrays ending with a %NULL key) so that kinds
 *   share some (the HTTP options), in a %NULL-terminated array; %NULL for none. A key appears once
 *   in all of a kind's fragments; use fw_feed_kind_get_option() to walk them.
 * @default_title: (nullable): a feed's default title, telling it apart from other feeds of the
 *   kind; %NULL to use @title
 *
 * One kind of feed ("sim", "sse", "file", …): its scheme, how to open it, how to present it
 * and the options it takes. Each source defines its kind in its own file; fw_feed_kind_list()
 * lists them.
 */
struct _FwFeedKind
{
  const char               *name;
  FwFeedOpenFunc            open;
  const char               *description;
  const char               *title;
  const char               *icon_name;
  const char               *example;
  const FwFeedOption *const *options;
  FwFeedTitleFunc           default_title;
};

const FwFeedKind  *fw_feed_kind_lookup            (const char          *name);
const FwFeedKind *const *fw_feed_kind_list        (guint               *n_kinds);

const char        *fw_feed_kind_get_name          (const FwFeedKind    *kind);
const char        *fw_feed_kind_get_description   (const FwFeedKind    *kind);
const char        *fw_feed_kind_get_title         (const FwFeedKind    *kind);
const char        *fw_feed_kind_get_icon_name     (const FwFeedKind    *kind);
const char        *fw_feed_kind_get_example       (const FwFeedKind    *kind);
guint              fw_feed_kind_get_n_options     (const FwFeedKind    *kind);
const FwFeedOption *fw_feed_kind_get_option       (const FwFeedKind    *kind,
                                                   guint                index);
const FwFeedOption *fw_feed_kind_find_option      (const FwFeedKind    *kind,
                                                   const char          *key);
char              *fw_feed_kind_list_options      (const FwFeedKind    *kind);
gboolean           fw_feed_kind_check             (const FwFeedKind    *kind,
                                                   const FwFeedSpec    *spec,
                                                   GError             **error);

char              *fw_feed_title_from_url         (const FwFeedSpec    *spec);
char              *fw_feed_title_from_path        (const FwFeedSpec    *spec);
char              *fw_feed_title_from_target      (const FwFeedSpec    *spec);

const char        *fw_feed_option_get_help        (const FwFeedOption  *option);
char              *fw_feed_option_describe_values (const FwFeedOption  *option);
gboolean           fw_feed_option_check_value     (const FwFeedOption  *option,
                                                   const char          *value,
                                                   GError             **error);

G_END_DECLS
