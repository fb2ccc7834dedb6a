/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-item-details.c: the pane beside the live list that shows one item whole: every field it
 * has, its text wrapped and selectable, its structured fields as JSON, a binary payload in hex.
 * What an item holds came from outside: it is shown as plain text with its control characters
 * made visible (fw-safe-text.c), line by line so its line breaks stay; never as markup. */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "fw-item-details.h"
#include "fw-safe-text.h"

/* A feed's name, an id, a unit: one line each, and short */
#define MAX_VALUE_BYTES 4096

/* Bytes a line of the hex view, narrow enough for a pane at the side */
#define HEX_LINE_BYTES 8

struct _FwItemDetails
{
  GtkWidget      parent_instance;

  FwItem        *item;
  GHashTable    *values;   /* property name → GtkLabel shown for it, for tests */

  /* template */
  GtkWidget     *header;
  GtkLabel      *title_label;
  GtkScrolledWindow *scroller;
  GtkBox        *properties_box;
  GtkLabel      *text_heading;
  GtkLabel      *text_view;
  GtkLabel      *fields_heading;
  GtkLabel      *fields_view;
  GtkLabel      *data_heading;
  GtkLabel      *data_view;
};

G_DEFINE_FINAL_TYPE (FwItemDetails, fw_item_details, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_CLOSE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---------------------------------------------------------------------------------------- */
/* Text made safe, its lines kept */

static void
append_safe_lines (GString    *out,
                   const char *text,
                   gsize       len)
{
  const char *end = text + len;

  for (const char *p = text; p <= end;)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *line_end = nl != NULL ? nl : end;
      g_autofree char *safe = fw_safe_text (p, line_end - p, G_MAXSIZE);

      g_string_append (out, safe);
      if (nl == NULL)
        break;
      g_string_append_c (out, '\n');
      p = nl + 1;
    }
}

static char *
safe_lines (const char *text,
            gsize       len,
            gsize       max)
{
  GString *out = g_string_sized_new (MIN (len, max) + 64);

  if (len > max)
    {
      /* Cut on a character boundary; fw_safe_text would show a cut one as U+FFFD */
      const char *cut = g_utf8_find_prev_char (text, text + max + 1);
      g_autofree char *size = g_format_size (len);
      g_autofree char *shown = g_format_size (cut - text);

      append_safe_lines (out, text, cut - text);
      g_string_append (out, "…\n\n");
      /* Translators: the first %s is a size shown, the second the whole text's size */
      g_string_append_printf (out, _("(The first %s of %s are shown; copy the row for all of it.)"),
                              shown, size);
    }
  else
    append_safe_lines (out, text, len);

  return g_string_free (out, FALSE);
}

static char *
safe_value (const char *text)
{
  return fw_safe_text (text, strlen (text), MAX_VALUE_BYTES);
}

/* ---------------------------------------------------------------------------------------- */
/* Formatting */

static void
append_indent (GString *out,
               guint    depth)
{
  g_string_append_c (out, '\n');
  for (guint i = 0; i < depth; i++)
    g_string_append (out, "  ");
}

static void
append_double (GString *out,
               double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* As --print writes numbers (fw-item.c): 129.9, not 129.90000000000001; JSON has no NaN */
  g_string_append (out, isfinite (value) ? g_ascii_formatd (buf, sizeof buf, "%.15g", value)
                                         : "null");
}

/* Indented JSON, strings escaped as --print escapes them (fw_append_json_string()) */
static void
append_json_node (GString  *out,
                  JsonNode *node,
                  guint     depth)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      JsonObjectIter iter;
      const char *key;
      JsonNode *member;
      gboolean any = FALSE;

      g_string_append_c (out, '{');
      json_object_iter_init_ordered (&iter, object);
      while (json_object_iter_next_ordered (&iter, &key, &member))
        {
          g_string_append (out, any ? "," : "");
          any = TRUE;
          append_indent (out, depth + 1);
          fw_append_json_string (out, key, strlen (key));
          g_string_append (out, ": ");
          append_json_node (out, member, depth + 1);
        }
      if (any)
        append_indent (out, depth);
      g_string_append_c (out, '}');
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);

      g_string_append_c (out, '[');
      for (guint i = 0; i < n; i++)
        {
          g_string_append (out, i > 0 ? "," : "");
          append_indent (out, depth + 1);
          append_json_node (out, json_array_get_element (array, i), depth + 1);
        }
      if (n > 0)
        append_indent (out, depth);
      g_string_append_c (out, ']');
    }
  else if (JSON_NODE_HOLDS_NULL (node))
    g_string_append (out, "null");
  else if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);

      fw_append_json_string (out, text, strlen (text));
    }
  else if (json_node_get_value_type (node) == G_TYPE_INT64)
    g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
  else if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    append_double (out, json_node_get_double (node));
  else if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
  else
    g_string_append (out, "null");
}

static void
append_field (GString  *out,
              GVariant *value)
{
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    {
      gsize len;
      const char *text = g_variant_get_string (value, &len);

      /* A nested object or array is kept as its JSON text (fw-json-item.c): shown as JSON */
      if (len > 0 && (text[0] == '{' || text[0] == '['))
        {
          g_autoptr(JsonParser) parser = json_parser_new_immutable ();

          if (json_parser_load_from_data (parser, text, len, NULL) &&
              json_parser_get_root (parser) != NULL)
            {
              append_json_node (out, json_parser_get_root (parser), 1);
              return;
            }
        }
      fw_append_json_string (out, text, len);
    }
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    g_string_append_printf (out, "%" G_GINT64_FORMAT, g_variant_get_int64 (value));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    append_double (out, g_variant_get_double (value));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    g_string_append (out, g_variant_get_boolean (value) ? "true" : "false");
  else
    g_string_append (out, "null");
}

/**
 * fw_item_details_format_fields:
 * @fields: an item's fields, a{sv}
 *
 * Returns: (transfer full) (nullable): @fields as indented JSON, keys in the item's order; the
 *   binary payload ("data", bytes) is left to the hex view. %NULL when nothing is left.
 */
char *
fw_item_details_format_fields (GVariant *fields)
{
  GString *out;
  GVariantIter iter;
  const char *key;
  GVariant *value;
  gboolean any = FALSE;

  g_return_val_if_fail (g_variant_is_of_type (fields, G_VARIANT_TYPE_VARDICT), NULL);

  out = g_string_new ("{");
  g_variant_iter_init (&iter, fields);
  while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
    {
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_BYTESTRING))
        continue;
      g_string_append (out, any ? "," : "");
      any = TRUE;
      append_indent (out, 1);
      fw_append_json_string (out, key, strlen (key));
      g_string_append (out, ": ");
      append_field (out, value);
    }
  if (!any)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  g_string_append (out, "\n}");

  return g_string_free (out, FALSE);
}

/**
 * fw_item_details_format_hex:
 *
 * Returns: (transfer full): @data as a hex dump: offset, bytes in hex, and the printable ASCII
 *   ones, HEX_LINE_BYTES a line
 */
char *
fw_item_details_format_hex (const guint8 *data,
                            gsize         len)
{
  static const char hex[] = "0123456789abcdef";
  GString *out = g_string_sized_new ((len / HEX_LINE_BYTES + 1) * (12 + 4 * HEX_LINE_BYTES));

  for (gsize line = 0; line < len; line += HEX_LINE_BYTES)
    {
      gsize n = MIN (HEX_LINE_BYTES, len - line);

      if (line > 0)
        g_string_append_c (out, '\n');
      g_string_append_printf (out, "%08" G_GSIZE_MODIFIER "x ", line);
      for (gsize i = 0; i < HEX_LINE_BYTES; i++)
        {
          g_string_append_c (out, ' ');
          if (i < n)
            {
              g_string_append_c (out, hex[data[line + i] >> 4]);
              g_string_append_c (out, hex[data[line + i] & 0xf]);
            }
          else
            g_string_append (out, "  ");
        }
      g_string_append (out, "  ");
      for (gsize i = 0; i < n; i++)
        {
          guint8 byte = data[line + i];

          g_string_append_c (out, byte >= 0x20 && byte < 0x7f ? (char) byte : '.');
        }
    }

  return g_string_free (out, FALSE);
}

static char *
format_time (gint64 time_us)
{
  g_autoptr(GDateTime) secs = g_date_time_new_from_unix_local (time_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) time = NULL;

  if (secs == NULL)
    return g_strdup_printf ("%" G_GINT64_FORMAT " µs", time_us);
  time = g_date_time_add (secs, time_us % G_USEC_PER_SEC);
  return g_date_time_format (time, "%Y-%m-%d %H:%M:%S.%f %:z");
}

/* ---------------------------------------------------------------------------------------- */
/* Showing an item */

/* Each name above its value, both children of one vertical box, read in that order (a label
 * labelled by another would be read with that one's text added to its own): GtkBox (4.8) measures a
 * horizontal row of a name and a wrapped value for the value's natural width, not the width
 * it gets, and a value that wraps to more lines then overlaps what follows. */
static void
add_property (FwItemDetails *self,
              const char    *key,
              const char    *name,
              char          *value)
{
  GtkWidget *name_label = gtk_label_new (name);
  GtkWidget *value_label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (name_label), 0);
  gtk_widget_add_css_class (name_label, "caption");
  gtk_widget_add_css_class (name_label, "dim-label");
  if (gtk_widget_get_first_child (GTK_WIDGET (self->properties_box)) != NULL)
    gtk_widget_set_margin_top (name_label, 6);
  /* Plain text: set_text, never markup */
  gtk_label_set_text (GTK_LABEL (value_label), value);
  gtk_label_set_xalign (GTK_LABEL (value_label), 0);
  gtk_label_set_wrap (GTK_LABEL (value_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (value_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (value_label), TRUE);
  gtk_box_append (self->properties_box, name_label);
  gtk_box_append (self->properties_box, value_label);
  g_hash_table_insert (self->values, (gpointer) key, value_label);
  g_free (value);
}

static void
clear_properties (FwItemDetails *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->properties_box))) != NULL)
    gtk_box_remove (self->properties_box, child);
  g_hash_table_remove_all (self->values);
}

static char *
describe_flags (guint8 flags)
{
  GPtrArray *notes = g_ptr_array_new ();
  char *text;

  if (flags & FW_ITEM_FLAG_TRUNCATED)
    g_ptr_array_add (notes, _("Cut at the size limit; the rest was dropped"));
  if (flags & FW_ITEM_FLAG_STDERR)
    g_ptr_array_add (notes, _("From standard error"));
  if (flags & FW_ITEM_FLAG_TERMINAL)
    g_ptr_array_add (notes, _("From the command’s terminal"));
  if (flags & FW_ITEM_FLAG_BINARY)
    g_ptr_array_add (notes, _("Binary data"));
  if (flags & FW_ITEM_FLAG_REPLAYED)
    g_ptr_array_add (notes, _("Read before; shown again for context"));
  if (notes->len == 0)
    {
      g_ptr_array_free (notes, TRUE);
      return NULL;
    }
  g_ptr_array_add (notes, NULL);
  text = g_strjoinv ("\n", (char **) notes->pdata);
  g_ptr_array_free (notes, TRUE);
  return text;
}

static void
show_properties (FwItemDetails *self,
                 FwItem        *item,
                 const char    *feed_title)
{
  const char *level = fw_level_to_string (item->level);
  char *flags;

  clear_properties (self);
  add_property (self, "received", _("Received"), format_time (item->time_us));
  if (item->source_time_us != 0)
    add_property (self, "written", _("Written"), format_time (item->source_time_us));
  if (item->feed != NULL)
    {
      g_autofree char *spec = safe_value (item->feed);

      if (feed_title != NULL && g_strcmp0 (feed_title, item->feed) != 0)
        {
          g_autofree char *title = safe_value (feed_title);

          add_property (self, "feed", _("Feed"), g_strdup_printf ("%s\n%s", title, spec));
        }
      else
        add_property (self, "feed", _("Feed"), g_steal_pointer (&spec));
    }
  add_property (self, "kind", _("Kind"), g_strdup (fw_item_kind_to_string (item->kind)));
  if (level != NULL)
    add_property (self, "level", _("Level"), g_strdup (level));
  if (item->name != NULL)
    add_property (self, "name", item->kind == FW_ITEM_EVENT ? _("Type") : _("Name"),
                  safe_value (item->name));
  if (item->id != NULL)
    add_property (self, "id", _("ID"), safe_value (item->id));
  if (item->flags & FW_ITEM_FLAG_HAS_VALUE)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      add_property (self, "value", _("Value"),
                    g_strdup (g_ascii_formatd (buf, sizeof buf, "%.15g", item->value)));
    }
  if (item->unit != NULL)
    add_property (self, "unit", _("Unit"), safe_value (item->unit));
  flags = describe_flags (item->flags);
  if (flags != NULL)
    add_property (self, "notes", _("Notes"), flags);
}

/* Takes @text: shown plain (set_text), never as markup */
static void
show_section (GtkLabel *heading,
              GtkLabel *view,
              char     *text)
{
  gtk_widget_set_visible (GTK_WIDGET (heading), text != NULL);
  gtk_widget_set_visible (GTK_WIDGET (view), text != NULL);
  gtk_label_set_text (view, text != NULL ? text : "");
  g_free (text);
}

static char *
binary_data_text (FwItem *item)
{
  g_autoptr(GVariant) data = NULL;
  const guint8 *bytes;
  gsize len;
  char *hex;

  if (!(item->flags & FW_ITEM_FLAG_BINARY) || item->fields == NULL)
    return NULL;
  data = g_variant_lookup_value (item->fields, "data", G_VARIANT_TYPE_BYTESTRING);
  if (data == NULL)
    return NULL;
  bytes = g_variant_get_fixed_array (data, &len, 1);
  hex = fw_item_details_format_hex (bytes, MIN (len, FW_ITEM_DETAILS_MAX_DATA));
  if (len > FW_ITEM_DETAILS_MAX_DATA)
    {
      g_autofree char *size = g_format_size (len);
      g_autofree char *with_note =
        g_strdup_printf (_("%s\n…\n(The first %u bytes of %s are shown.)"), hex,
                         (guint) FW_ITEM_DETAILS_MAX_DATA, size);

      g_free (hex);
      return g_steal_pointer (&with_note);
    }
  return hex;
}

/**
 * fw_item_details_set_item:
 * @item: (nullable): the item to show
 * @feed_title: (nullable): the title the user knows its feed by
 */
void
fw_item_details_set_item (FwItemDetails *self,
                          FwItem        *item,
                          const char    *feed_title)
{
  g_autofree char *fields = NULL;

  g_return_if_fail (FW_IS_ITEM_DETAILS (self));

  if (item != NULL)
    fw_item_ref (item);
  g_clear_pointer (&self->item, fw_item_unref);
  self->item = item;

  if (item == NULL)
    {
      clear_properties (self);
      show_section (self->text_heading, self->text_view, NULL);
      show_section (self->fields_heading, self->fields_view, NULL);
      show_section (self->data_heading, self->data_view, NULL);
      return;
    }

  show_properties (self, item, feed_title);
  /* A binary item's text is only its summary; the hex view has it all */
  show_section (self->text_heading, self->text_view,
                item->text_len > 0 && !(item->flags & FW_ITEM_FLAG_BINARY)
                ? safe_lines (item->text, item->text_len, FW_ITEM_DETAILS_MAX_TEXT)
                : NULL);
  if (item->fields != NULL)
    {
      g_autofree char *json = fw_item_details_format_fields (item->fields);

      if (json != NULL)
        fields = safe_lines (json, strlen (json), FW_ITEM_DETAILS_MAX_TEXT);
    }
  show_section (self->fields_heading, self->fields_view, g_steal_pointer (&fields));
  show_section (self->data_heading, self->data_view, binary_data_text (item));
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
}

FwItem *
fw_item_details_get_item (FwItemDetails *self)
{
  g_return_val_if_fail (FW_IS_ITEM_DETAILS (self), NULL);

  return self->item;
}

static char *
text_view_text (GtkLabel *view)
{
  if (!gtk_widget_get_visible (GTK_WIDGET (view)))
    return NULL;
  return g_strdup (gtk_label_get_text (view));
}

/**
 * fw_item_details_get_shown_text:
 * @section: "text", "fields", "data", or a property: "received", "written", "feed", "kind",
 *   "level", "name", "id", "value", "unit", "notes"
 *
 * Returns: (transfer full) (nullable): what the pane shows there, %NULL if nothing
 */
char *
fw_item_details_get_shown_text (FwItemDetails *self,
                                const char    *section)
{
  GtkLabel *label;

  g_return_val_if_fail (FW_IS_ITEM_DETAILS (self), NULL);

  if (g_str_equal (section, "text"))
    return text_view_text (self->text_view);
  if (g_str_equal (section, "fields"))
    return text_view_text (self->fields_view);
  if (g_str_equal (section, "data"))
    return text_view_text (self->data_view);
  label = g_hash_table_lookup (self->values, section);
  return label != NULL ? g_strdup (gtk_label_get_text (label)) : NULL;
}

/* ---------------------------------------------------------------------------------------- */
/* GObject */

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_CLOSE], 0);
}

static void
fw_item_details_dispose (GObject *object)
{
  FwItemDetails *self = FW_ITEM_DETAILS (object);

  clear_properties (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), FW_TYPE_ITEM_DETAILS);
  g_clear_pointer (&self->item, fw_item_unref);

  G_OBJECT_CLASS (fw_item_details_parent_class)->dispose (object);
}

static void
fw_item_details_finalize (GObject *object)
{
  FwItemDetails *self = FW_ITEM_DETAILS (object);

  g_hash_table_unref (self->values);

  G_OBJECT_CLASS (fw_item_details_parent_class)->finalize (object);
}

static void
fw_item_details_class_init (FwItemDetailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fw_item_details_dispose;
  object_class->finalize = fw_item_details_finalize;

  /* The close button was pressed: the pane's owner hides it */
  signals[SIGNAL_CLOSE] =
    g_signal_new ("close", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/feedwatch/Feedwatch/fw-item-details.ui");
  gtk_widget_class_bind_template_child (widget_class, FwItemDetails, header);
  gtk_widget_class_bind_template_child (widget_class, FwItemDetails, title_label);
  gtk_widget_class_bind_template_child (widget_class, FwItemDetails, scroller);
  gtk_widget_class_bind_template_child (widget_class, FwItemDetails, properties_box);
  gtk_widget_class_bind_template_child (widget_class, FwItemDetails, text_heading);
  gtk_widget_class_bind_template_child (widget_class, FwItemDetails, text_view);
  gtk_widget_class_bind_template_child (widget_class, FwItemDetails, fields_heading);
  gtk_widget_class_bind_template_child (widget_class, FwItemDetails, fields_view);
  gtk_widget_class_bind_template_child (widget_class, FwItemDetails, data_heading);
  gtk_widget_class_bind_template_child (widget_class, FwItemDetails, data_view);
  gtk_widget_class_install_action (widget_class, "details.close", NULL, close_action);
  gtk_widget_class_set_css_name (widget_class, "fw-item-details");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
fw_item_details_init (FwItemDetails *self)
{
  self->values = g_hash_table_new (g_str_hash, g_str_equal);
  gtk_widget_init_template (GTK_WIDGET (self));
  fw_item_details_set_item (self, NULL, NULL);
}

GtkWidget *
fw_item_details_new (void)
{
  return g_object_new (FW_TYPE_ITEM_DETAILS, NULL);
}
