/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-feed-option-row.h: the Add Feed dialog's row for one option of a feed kind's schema */
#pragma once

#include <adwaita.h>

#include "fw-streams.h"

G_BEGIN_DECLS

/* The row that edits every `header.NAME` at once, as "Name: value; Name: value" */
#define FW_FEED_OPTION_ROW_HEADERS_KEY "headers"

typedef struct
{
  const FwFeedOption *option;
  GtkWidget          *row;
  GtkWidget          *editor;  /* the row itself, or its switch */
} FwFeedOptionRow;

void        fw_feed_option_row_build       (FwFeedOptionRow       *self,
                                            const FwFeedOption    *option,
                                            GCallback              changed,
                                            gpointer               user_data);
const char *fw_feed_option_row_get_key     (const FwFeedOptionRow *self);
char       *fw_feed_option_row_dup_value   (const FwFeedOptionRow *self);
void        fw_feed_option_row_show_value  (FwFeedOptionRow       *self,
                                            const char            *value);
char       *fw_feed_option_row_dup_value_in_spec (const FwFeedOptionRow *self,
                                                  const FwFeedSpec      *spec);
char       *fw_feed_option_row_write_into  (const FwFeedOptionRow *self,
                                            const char            *text);

G_END_DECLS
