/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-item-parse.h: a JSON Lines record back into an item, the inverse of fw_item_append_json() */
#pragma once

#include "fw-item.h"

G_BEGIN_DECLS

#define FW_ITEM_PARSE_ERROR (fw_item_parse_error_quark ())

typedef enum
{
  FW_ITEM_PARSE_ERROR_INVALID,
} FwItemParseError;

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
