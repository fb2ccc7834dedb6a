/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-item-object.c: one row of the live list, a GObject over one FwItem.
 *
 * FwHistory makes these only when the list asks for a row (GListModel.get_item), never per
 * ingested item: a million items cost a million FwItems, and a screenful of these. The strings
 * a row shows are computed on first read and kept, so rebinding a row costs nothing (the time
 * is written again only when the time format changed since). Every property is plain text;
 * nothing here is ever markup.
 *
 * FwTimeFormat, here too, is the one place a time is written for the list: local or UTC, with
 * or without the date. */

#include "fw-item-object.h"

#include <time.h>

struct _FwItemObject
{
  GObject  parent_instance;

  FwItem  *item;
  char    *summary;   /* lazily built for items without text (readings) */
  guint    time_serial; /* the time format's serial when time was written; 0: not yet */
  char     time[FW_TIME_TEXT_SIZE];
};

G_DEFINE_FINAL_TYPE (FwItemObject, fw_item_object, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ITEM,
  PROP_TIME,
  PROP_TIME_US,
  PROP_FEED,
  PROP_KIND,
  PROP_KIND_NAME,
  PROP_LEVEL,
  PROP_LEVEL_NAME,
  PROP_TEXT,
  PROP_SUMMARY,
  PROP_NAME,
  PROP_VALUE,
  PROP_HAS_VALUE,
  PROP_UNIT,
  PROP_ID,
  PROP_FLAGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---------------------------------------------------------------------------------------- */
/* The time format */

G_DEFINE_ENUM_TYPE (FwTimeZone, fw_time_zone,
                    G_DEFINE_ENUM_VALUE (FW_TIME_ZONE_LOCAL, "local"),
                    G_DEFINE_ENUM_VALUE (FW_TIME_ZONE_UTC, "utc"))

struct _FwTimeFormat
{
  GObject     parent_instance;
  FwTimeZone  zone;
  gboolean    show_date;
  guint       serial;     /* bumped at each change; rows compare it with theirs */
};

G_DEFINE_FINAL_TYPE (FwTimeFormat, fw_time_format, G_TYPE_OBJECT)

enum {
  FORMAT_PROP_0,
  FORMAT_PROP_ZONE,
  FORMAT_PROP_SHOW_DATE,
  N_FORMAT_PROPS
};

static GParamSpec *format_properties[N_FORMAT_PROPS];

static void
fw_time_format_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  FwTimeFormat *self = FW_TIME_FORMAT (object);

  switch (prop_id)
    {
    case FORMAT_PROP_ZONE:
      g_value_set_enum (value, self->zone);
      break;
    case FORMAT_PROP_SHOW_DATE:
      g_value_set_boolean (value, self->show_date);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_time_format_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  FwTimeFormat *self = FW_TIME_FORMAT (object);

  switch (prop_id)
    {
    case FORMAT_PROP_ZONE:
      fw_time_format_set_zone (self, g_value_get_enum (value));
      break;
    case FORMAT_PROP_SHOW_DATE:
      fw_time_format_set_show_date (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_time_format_class_init (FwTimeFormatClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->get_property = fw_time_format_get_property;
  object_class->set_property = fw_time_format_set_property;

  format_properties[FORMAT_PROP_ZONE] =
    g_param_spec_enum ("zone", NULL, NULL, FW_TYPE_TIME_ZONE, FW_TIME_ZONE_LOCAL, rw);
  format_properties[FORMAT_PROP_SHOW_DATE] =
    g_param_spec_boolean ("show-date", NULL, NULL, FALSE, rw);

  g_object_class_install_properties (object_class, N_FORMAT_PROPS, format_properties);
}

static void
fw_time_format_init (FwTimeFormat *self)
{
  self->serial = 1;
}

/**
 * fw_time_format_get_default:
 *
 * Returns: (transfer none): the process's time format (local time without the date until
 *   told otherwise); use it from the main thread
 */
FwTimeFormat *
fw_time_format_get_default (void)
{
  static FwTimeFormat *format;

  if (format == NULL)
    format = g_object_new (FW_TYPE_TIME_FORMAT, NULL);

  return format;
}

FwTimeZone
fw_time_format_get_zone (FwTimeFormat *self)
{
  g_return_val_if_fail (FW_IS_TIME_FORMAT (self), FW_TIME_ZONE_LOCAL);

  return self->zone;
}

void
fw_time_format_set_zone (FwTimeFormat *self,
                         FwTimeZone    zone)
{
  g_return_if_fail (FW_IS_TIME_FORMAT (self));

  if (self->zone == zone)
    return;
  self->zone = zone;
  self->serial++;
  g_object_notify_by_pspec (G_OBJECT (self), format_properties[FORMAT_PROP_ZONE]);
}

gboolean
fw_time_format_get_show_date (FwTimeFormat *self)
{
  g_return_val_if_fail (FW_IS_TIME_FORMAT (self), FALSE);

  return self->show_date;
}

void
fw_time_format_set_show_date (FwTimeFormat *self,
                              gboolean      show_date)
{
  g_return_if_fail (FW_IS_TIME_FORMAT (self));

  show_date = !!show_date;
  if (self->show_date == show_date)
    return;
  self->show_date = show_date;
  self->serial++;
  g_object_notify_by_pspec (G_OBJECT (self), format_properties[FORMAT_PROP_SHOW_DATE]);
}

/**
 * fw_time_format_get_serial:
 *
 * Returns: a number that changes whenever the format does, never 0
 */
guint
fw_time_format_get_serial (FwTimeFormat *self)
{
  g_return_val_if_fail (FW_IS_TIME_FORMAT (self), 1);

  return self->serial;
}

/**
 * fw_time_format_write:
 * @time_us: wall-clock time, µs since the epoch
 * @out: where the text goes
 *
 * Writes "HH:MM:SS.mmm" in local time, preceded by "YYYY-MM-DD " when the date is shown; in
 * UTC a "Z" follows, so a time never passes for the other zone's.
 */
void
fw_time_format_write (FwTimeFormat *self,
                      gint64        time_us,
                      char          out[FW_TIME_TEXT_SIZE])
{
  time_t secs = (time_t) (time_us / G_USEC_PER_SEC);
  gint64 frac = time_us % G_USEC_PER_SEC;
  struct tm tm;

  g_return_if_fail (FW_IS_TIME_FORMAT (self));

  if (frac < 0)
    {
      frac += G_USEC_PER_SEC;
      secs -= 1;
    }
  if (self->zone == FW_TIME_ZONE_UTC)
    gmtime_r (&secs, &tm);
  else
    localtime_r (&secs, &tm);
  if (self->show_date)
    g_snprintf (out, FW_TIME_TEXT_SIZE, "%04d-%02d-%02d %02d:%02d:%02d.%03d%s",
                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, (int) (frac / 1000),
                self->zone == FW_TIME_ZONE_UTC ? "Z" : "");
  else
    g_snprintf (out, FW_TIME_TEXT_SIZE, "%02d:%02d:%02d.%03d%s",
                tm.tm_hour, tm.tm_min, tm.tm_sec, (int) (frac / 1000),
                self->zone == FW_TIME_ZONE_UTC ? "Z" : "");
}

/* ---------------------------------------------------------------------------------------- */
/* The row */

static void
fw_item_object_finalize (GObject *object)
{
  FwItemObject *self = FW_ITEM_OBJECT (object);

  g_clear_pointer (&self->item, fw_item_unref);
  g_free (self->summary);

  G_OBJECT_CLASS (fw_item_object_parent_class)->finalize (object);
}

static void
fw_item_object_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  FwItemObject *self = FW_ITEM_OBJECT (object);
  FwItem *item = self->item;

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_boxed (value, item);
      break;
    case PROP_TIME:
      g_value_set_string (value, fw_item_object_get_time (self));
      break;
    case PROP_TIME_US:
      g_value_set_int64 (value, item->time_us);
      break;
    case PROP_FEED:
      g_value_set_string (value, item->feed);
      break;
    case PROP_KIND:
      g_value_set_enum (value, item->kind);
      break;
    case PROP_KIND_NAME:
      g_value_set_static_string (value, fw_item_kind_to_string (item->kind));
      break;
    case PROP_LEVEL:
      g_value_set_enum (value, item->level);
      break;
    case PROP_LEVEL_NAME:
      g_value_set_static_string (value, fw_level_to_string (item->level));
      break;
    case PROP_TEXT:
      g_value_set_string (value, item->text);
      break;
    case PROP_SUMMARY:
      g_value_set_string (value, fw_item_object_get_summary (self));
      break;
    case PROP_NAME:
      g_value_set_string (value, item->name);
      break;
    case PROP_VALUE:
      g_value_set_double (value, item->value);
      break;
    case PROP_HAS_VALUE:
      g_value_set_boolean (value, (item->flags & FW_ITEM_FLAG_HAS_VALUE) != 0);
      break;
    case PROP_UNIT:
      g_value_set_static_string (value, item->unit);
      break;
    case PROP_ID:
      g_value_set_string (value, item->id);
      break;
    case PROP_FLAGS:
      g_value_set_flags (value, item->flags);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_item_object_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  FwItemObject *self = FW_ITEM_OBJECT (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      self->item = g_value_dup_boxed (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_item_object_class_init (FwItemObjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = fw_item_object_finalize;
  object_class->get_property = fw_item_object_get_property;
  object_class->set_property = fw_item_object_set_property;

  properties[PROP_ITEM] =
    g_param_spec_boxed ("item", NULL, NULL, FW_TYPE_ITEM,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Items never change once published, so none of these is ever notified; "time" follows the
   * time format, and the view binds its cells again when that changes. */
  properties[PROP_TIME] = g_param_spec_string ("time", NULL, NULL, NULL, ro);
  properties[PROP_TIME_US] = g_param_spec_int64 ("time-us", NULL, NULL,
                                                 G_MININT64, G_MAXINT64, 0, ro);
  properties[PROP_FEED] = g_param_spec_string ("feed", NULL, NULL, NULL, ro);
  properties[PROP_KIND] = g_param_spec_enum ("kind", NULL, NULL,
                                             FW_TYPE_ITEM_KIND, FW_ITEM_LINE, ro);
  properties[PROP_KIND_NAME] = g_param_spec_string ("kind-name", NULL, NULL, NULL, ro);
  properties[PROP_LEVEL] = g_param_spec_enum ("level", NULL, NULL,
                                              FW_TYPE_LEVEL, FW_LEVEL_NONE, ro);
  properties[PROP_LEVEL_NAME] = g_param_spec_string ("level-name", NULL, NULL, NULL, ro);
  properties[PROP_TEXT] = g_param_spec_string ("text", NULL, NULL, NULL, ro);
  properties[PROP_SUMMARY] = g_param_spec_string ("summary", NULL, NULL, NULL, ro);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, ro);
  properties[PROP_VALUE] = g_param_spec_double ("value", NULL, NULL,
                                                -G_MAXDOUBLE, G_MAXDOUBLE, 0, ro);
  properties[PROP_HAS_VALUE] = g_param_spec_boolean ("has-value", NULL, NULL, FALSE, ro);
  properties[PROP_UNIT] = g_param_spec_string ("unit", NULL, NULL, NULL, ro);
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, ro);
  properties[PROP_FLAGS] = g_param_spec_flags ("flags", NULL, NULL,
                                               FW_TYPE_ITEM_FLAGS, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fw_item_object_init (FwItemObject *self)
{
}

/**
 * fw_item_object_new:
 * @item: (transfer none): the item; the object keeps a reference
 */
FwItemObject *
fw_item_object_new (FwItem *item)
{
  g_return_val_if_fail (item != NULL, NULL);

  return g_object_new (FW_TYPE_ITEM_OBJECT, "item", item, NULL);
}

/**
 * fw_item_object_get_item:
 *
 * Returns: (transfer none): the item, for the details pane and the highlighter
 */
FwItem *
fw_item_object_get_item (FwItemObject *self)
{
  g_return_val_if_fail (FW_IS_ITEM_OBJECT (self), NULL);

  return self->item;
}

/**
 * fw_item_object_get_time:
 *
 * Returns: the item's time as the time format writes it (local "HH:MM:SS.mmm" by default):
 *   the time its source wrote in it when it has one (a log line's), else when it arrived
 */
const char *
fw_item_object_get_time (FwItemObject *self)
{
  FwTimeFormat *format = fw_time_format_get_default ();

  g_return_val_if_fail (FW_IS_ITEM_OBJECT (self), NULL);

  if (self->time_serial != fw_time_format_get_serial (format))
    {
      fw_time_format_write (format, self->item->source_time_us != 0 ? self->item->source_time_us
                                                                   : self->item->time_us,
                            self->time);
      self->time_serial = fw_time_format_get_serial (format);
    }

  return self->time;
}

const char *
fw_item_object_get_feed (FwItemObject *self)
{
  g_return_val_if_fail (FW_IS_ITEM_OBJECT (self), NULL);

  return self->item->feed;
}

/**
 * fw_item_object_get_level_name:
 *
 * Returns: (nullable): "error", "warning"… or %NULL when the feed gives no level
 */
const char *
fw_item_object_get_level_name (FwItemObject *self)
{
  g_return_val_if_fail (FW_IS_ITEM_OBJECT (self), NULL);

  return fw_level_to_string (self->item->level);
}

/**
 * fw_item_object_get_text:
 * @len: (out) (optional): the text's length in bytes; the text may hold NUL bytes, which the
 *   "text" property (a C string) stops at
 *
 * Returns: the item's text, exactly as the feed sent it (never markup)
 */
const char *
fw_item_object_get_text (FwItemObject *self,
                         gsize        *len)
{
  g_return_val_if_fail (FW_IS_ITEM_OBJECT (self), NULL);

  if (len != NULL)
    *len = self->item->text_len;

  return self->item->text;
}

/**
 * fw_item_object_get_summary:
 *
 * Returns: what the text column shows: the text, or for a reading without text
 *   "name = value unit", the value written by fw_units_format()
 */
const char *
fw_item_object_get_summary (FwItemObject *self)
{
  FwItem *item;

  g_return_val_if_fail (FW_IS_ITEM_OBJECT (self), NULL);

  item = self->item;
  if (item->text_len > 0 || !(item->flags & FW_ITEM_FLAG_HAS_VALUE))
    return item->text;

  if (self->summary == NULL)
    {
      g_autofree char *value = fw_units_format (item->value, item->unit);

      self->summary = g_strdup_printf ("%s = %s", item->name != NULL ? item->name : "value",
                                       value);
    }

  return self->summary;
}
