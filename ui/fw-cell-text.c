/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-cell-text.c: one line of plain text in a cell of the live list.
 *
 * A GtkLabel lays its text out to measure it. The list keeps about 200 rows bound around what
 * is visible, and under a flood every one of them is rebound every frame: four labels a row,
 * 800 text layouts a frame, most of them for rows nobody can see. This cell measures from the
 * font alone (one line, fixed height, width given by its column), and lays its text out only
 * when it draws; GTK draws only the rows it maps, those in view.
 *
 * The text is never markup; highlights come as Pango attributes.
 */

#include "fw-cell-text.h"

struct _FwCellText
{
  GtkWidget             parent_instance;

  char                 *text;
  PangoAttrList        *attrs;
  PangoLayout          *layout;      /* made at the first drawing after a change */
  int                   layout_width;

  PangoFontDescription *measured_font;
  int                   line_height;

  gboolean              drawn;
  gboolean              has_dot;
  GdkRGBA               dot;         /* a feed's colour, drawn before the text */
  const char           *state_class; /* static, see fw_cell_text_set_state_class() */
};

G_DEFINE_FINAL_TYPE (FwCellText, fw_cell_text, GTK_TYPE_WIDGET)

#define DOT_SIZE  8
#define DOT_SPACE 14

enum
{
  PROP_0,
  PROP_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
fw_cell_text_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  FwCellText *self = FW_CELL_TEXT (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  PangoRectangle logical;
  GdkRGBA color;

  self->drawn = FALSE;
  if (self->text == NULL || self->text[0] == '\0' || width <= 0)
    return;

  if (self->has_dot)
    {
      GskRoundedRect dot;

      gsk_rounded_rect_init_from_rect (&dot,
                                       &GRAPHENE_RECT_INIT (0, (height - DOT_SIZE) / 2.f,
                                                            DOT_SIZE, DOT_SIZE),
                                       DOT_SIZE / 2.f);
      gtk_snapshot_push_rounded_clip (snapshot, &dot);
      gtk_snapshot_append_color (snapshot, &self->dot, &dot.bounds);
      gtk_snapshot_pop (snapshot);
      width -= DOT_SPACE;
      if (width <= 0)
        return;
    }

  if (self->layout == NULL)
    {
      self->layout = gtk_widget_create_pango_layout (widget, self->text);
      pango_layout_set_single_paragraph_mode (self->layout, TRUE);
      pango_layout_set_ellipsize (self->layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_attributes (self->layout, self->attrs);
      self->layout_width = -1;
    }
  if (self->layout_width != width)
    {
      pango_layout_set_width (self->layout, width * PANGO_SCALE);
      self->layout_width = width;
    }

  pango_layout_get_pixel_extents (self->layout, NULL, &logical);
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (self->has_dot ? DOT_SPACE : 0,
                                                         (height - logical.height) / 2));
  gtk_snapshot_append_layout (snapshot, self->layout, &color);
  gtk_snapshot_restore (snapshot);
  self->drawn = TRUE;
}

/* The height of one line in the current font, laid out once per font. */
static int
line_height (FwCellText *self)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  const PangoFontDescription *font = pango_context_get_font_description (context);

  if (self->measured_font == NULL || !pango_font_description_equal (font, self->measured_font))
    {
      g_autoptr(PangoLayout) probe = pango_layout_new (context);
      PangoRectangle logical;

      pango_layout_set_text (probe, "Ag", -1);
      pango_layout_get_pixel_extents (probe, NULL, &logical);
      g_clear_pointer (&self->measured_font, pango_font_description_free);
      self->measured_font = pango_font_description_copy (font);
      self->line_height = logical.height;
    }

  return self->line_height;
}

static void
fw_cell_text_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  /* The column gives the width; the text is cut with an ellipsis to fit it. */
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = 0;
  else
    *minimum = *natural = line_height (FW_CELL_TEXT (widget));
}

static void
fw_cell_text_unmap (GtkWidget *widget)
{
  FW_CELL_TEXT (widget)->drawn = FALSE;
  GTK_WIDGET_CLASS (fw_cell_text_parent_class)->unmap (widget);
}

static void
fw_cell_text_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  FwCellText *self = FW_CELL_TEXT (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_cell_text_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  FwCellText *self = FW_CELL_TEXT (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      fw_cell_text_set_text (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_cell_text_dispose (GObject *object)
{
  FwCellText *self = FW_CELL_TEXT (object);

  g_clear_object (&self->layout);

  G_OBJECT_CLASS (fw_cell_text_parent_class)->dispose (object);
}

static void
fw_cell_text_finalize (GObject *object)
{
  FwCellText *self = FW_CELL_TEXT (object);

  g_free (self->text);
  g_clear_pointer (&self->attrs, pango_attr_list_unref);
  g_clear_pointer (&self->measured_font, pango_font_description_free);

  G_OBJECT_CLASS (fw_cell_text_parent_class)->finalize (object);
}

static void
fw_cell_text_class_init (FwCellTextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = fw_cell_text_get_property;
  object_class->set_property = fw_cell_text_set_property;
  object_class->dispose = fw_cell_text_dispose;
  object_class->finalize = fw_cell_text_finalize;
  widget_class->snapshot = fw_cell_text_snapshot;
  widget_class->measure = fw_cell_text_measure;
  widget_class->unmap = fw_cell_text_unmap;

  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Styled like a label: the list's label rules (dim-label, numeric, monospace, level
   * colours) apply unchanged. */
  gtk_widget_class_set_css_name (widget_class, "label");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
fw_cell_text_init (FwCellText *self)
{
  /* A layout notices a change of its context's font by itself (Pango's context serial);
   * the colour is read at every drawing. */
}

GtkWidget *
fw_cell_text_new (void)
{
  return g_object_new (FW_TYPE_CELL_TEXT, NULL);
}

const char *
fw_cell_text_get_text (FwCellText *self)
{
  g_return_val_if_fail (FW_IS_CELL_TEXT (self), NULL);

  return self->text;
}

/**
 * fw_cell_text_take_text:
 * @text: (transfer full) (nullable): plain text, shown as it is
 *
 * The rebind path: no layout, no measuring, one redraw.
 */
void
fw_cell_text_take_text (FwCellText *self,
                        char       *text)
{
  g_return_if_fail (FW_IS_CELL_TEXT (self));

  if (g_strcmp0 (self->text, text) == 0)
    {
      g_free (text);
      return;
    }
  g_free (self->text);
  self->text = text;
  g_clear_object (&self->layout);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->text != NULL ? self->text : "", -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

void
fw_cell_text_set_text (FwCellText *self,
                       const char *text)
{
  fw_cell_text_take_text (self, g_strdup (text));
}

/**
 * fw_cell_text_set_attributes:
 * @attrs: (nullable): highlights over the text's bytes
 */
void
fw_cell_text_set_attributes (FwCellText    *self,
                             PangoAttrList *attrs)
{
  g_return_if_fail (FW_IS_CELL_TEXT (self));

  if (attrs == NULL && self->attrs == NULL)
    return;
  g_clear_pointer (&self->attrs, pango_attr_list_unref);
  self->attrs = attrs != NULL ? pango_attr_list_ref (attrs) : NULL;
  if (self->layout != NULL)
    pango_layout_set_attributes (self->layout, self->attrs);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * fw_cell_text_set_state_class:
 * @css_class: (nullable): a static string
 *
 * Sets the one style class that changes with what the cell shows (an item's level), in the
 * place of the one set before. A class change restyles the cell: none when it is the same.
 */
void
fw_cell_text_set_state_class (FwCellText *self,
                              const char *css_class)
{
  g_return_if_fail (FW_IS_CELL_TEXT (self));

  if (g_strcmp0 (self->state_class, css_class) == 0)
    return;
  if (self->state_class != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self), self->state_class);
  if (css_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self), css_class);
  self->state_class = css_class;
}

/* Whether the text was drawn since the cell was last mapped (for tests). */
gboolean
fw_cell_text_get_drawn (FwCellText *self)
{
  g_return_val_if_fail (FW_IS_CELL_TEXT (self), FALSE);

  return self->drawn;
}

/**
 * fw_cell_text_get_layout:
 *
 * Returns: (transfer none) (nullable): what the last drawing laid out, or %NULL when the text
 *   changed since or was never drawn
 */
PangoLayout *
fw_cell_text_get_layout (FwCellText *self)
{
  g_return_val_if_fail (FW_IS_CELL_TEXT (self), NULL);

  return self->layout;
}

/**
 * fw_cell_text_set_dot:
 * @color: (nullable): "#rrggbb" for a dot in that colour before the text (a feed's colour);
 *   %NULL for none
 *
 * The dot is decorative: the text says the same.
 */
void
fw_cell_text_set_dot (FwCellText *self,
                      const char *color)
{
  GdkRGBA rgba;
  gboolean has_dot;

  g_return_if_fail (FW_IS_CELL_TEXT (self));

  has_dot = color != NULL && gdk_rgba_parse (&rgba, color);
  if (has_dot == self->has_dot && (!has_dot || gdk_rgba_equal (&rgba, &self->dot)))
    return;
  self->has_dot = has_dot;
  if (has_dot)
    self->dot = rgba;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * fw_cell_text_get_dot:
 *
 * Returns: (transfer full) (nullable): the dot's colour as "#rrggbb", %NULL without one
 */
char *
fw_cell_text_get_dot (FwCellText *self)
{
  g_return_val_if_fail (FW_IS_CELL_TEXT (self), NULL);

  if (!self->has_dot)
    return NULL;
  return g_strdup_printf ("#%02x%02x%02x", (int) (self->dot.red * 255 + .5),
                          (int) (self->dot.green * 255 + .5), (int) (self->dot.blue * 255 + .5));
}
