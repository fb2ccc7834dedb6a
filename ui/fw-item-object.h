/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-item-object.h: one row of the live list, a GObject over one FwItem */
#pragma once

#include "fw-streams.h"

G_BEGIN_DECLS

#define FW_TYPE_ITEM_OBJECT (fw_item_object_get_type ())

G_DECLARE_FINAL_TYPE (FwItemObject, fw_item_object, FW, ITEM_OBJECT, GObject)

FwItemObject *fw_item_object_new            (FwItem       *item);
FwItem       *fw_item_object_get_item       (FwItemObject *self);
const char   *fw_item_object_get_time       (FwItemObject *self);
const char   *fw_item_object_get_feed       (FwItemObject *self);
const char   *fw_item_object_get_level_name (FwItemObject *self);
const char   *fw_item_object_get_text       (FwItemObject *self,
                                             gsize        *len);
const char   *fw_item_object_get_summary    (FwItemObject *self);

/* How the Time column writes times: one setting for the whole process, which the application
 * keeps equal to the Preferences (fw_preferences_follow()). Rows read it when they are bound;
 * the view rebinds its time cells when it changes. */
typedef enum
{
  FW_TIME_ZONE_LOCAL,
  FW_TIME_ZONE_UTC,
} FwTimeZone;

#define FW_TYPE_TIME_ZONE (fw_time_zone_get_type ())
GType fw_time_zone_get_type (void);

#define FW_TYPE_TIME_FORMAT (fw_time_format_get_type ())

G_DECLARE_FINAL_TYPE (FwTimeFormat, fw_time_format, FW, TIME_FORMAT, GObject)

/* "YYYY-MM-DD HH:MM:SS.mmmZ" and its NUL, with room to spare */
#define FW_TIME_TEXT_SIZE 32

FwTimeFormat *fw_time_format_get_default    (void);
FwTimeZone    fw_time_format_get_zone       (FwTimeFormat *self);
void          fw_time_format_set_zone       (FwTimeFormat *self,
                                             FwTimeZone    zone);
gboolean      fw_time_format_get_show_date  (FwTimeFormat *self);
void          fw_time_format_set_show_date  (FwTimeFormat *self,
                                             gboolean      show_date);
guint         fw_time_format_get_serial     (FwTimeFormat *self);
void          fw_time_format_write          (FwTimeFormat *self,
                                             gint64        time_us,
                                             char          out[FW_TIME_TEXT_SIZE]);

G_END_DECLS
