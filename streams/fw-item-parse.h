/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-item-parse.h: a JSON Lines record back into an item, the inverse of fw_item_append_json() */
#pragma once

#include "fw-item.h"

G_BEGIN_DECLS

/**
 * FW_ITEM_PARSE_ERROR:
 *
 * The error domain of records that are not items; its codes are #FwItemParseError.
 */
#define FW_ITEM_PARSE_ERROR (fw_item_parse_error_quark ())

/**
 * FwItemParseError:
 * @FW_ITEM_PARSE_ERROR_INVALID: the line is not a JSON object with a feed, a time and a kind
 *
 * Why a record is not an item.
 */
typedef enum
{
  FW_ITEM_PARSE_ERROR_INVALID,
} FwItemParseError;

/**
 * FwItemParser:
 *
 * Reads the records of `--print` (JSON Lines) back into items, sharing the strings that
 * repeat (feed names, series names) between them. Not thread-safe.
 */
typedef struct _FwItemParser FwItemParser;

GQuark        fw_item_parse_error_quark (void);
FwItemParser *fw_item_parser_new        (void);
void          fw_item_parser_free       (FwItemParser  *parser);
FwItem       *fw_item_parser_parse      (FwItemParser  *parser,
                                         const char    *line,
                                         gsize          len,
                                         GError       **error);
gboolean      fw_parse_rfc3339_utc      (const char    *text,
                                         gsize          len,
                                         gint64        *time_us);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwItemParser, fw_item_parser_free)

G_END_DECLS
