/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-color-dot.c: the small dot in a feed's colour. Drawn, not styled: a CSS provider a row
 * would cost each of thousands of rows a style recomputation. The palette's colours read on
 * the light and the dark style alike, so the dot has no outline of its own. Hidden from
 * screen readers (role presentation): the colour only repeats what the name says. */

#include "config.h"

#include "fw-color-dot.h"

#define DOT_SIZE 10

struct _FwColorDot
{
  GtkWidget parent_instance;

  char     *color; /* "#rrggbb", or NULL: nothing drawn */
  GdkRGBA   rgba;
};

G_DEFINE_FINAL_TYPE (FwColorDot, fw_color_dot, GTK_TYPE_WIDGET)

static void
fw_color_dot_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  *minimum = *natural = DOT_SIZE;
}

static void
fw_color_dot_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  FwColorDot *self = FW_COLOR_DOT (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GskRoundedRect dot;

  if (self->color == NULL)
    return;
  gsk_rounded_rect_init_from_rect (&dot,
                                   &GRAPHENE_RECT_INIT ((width - DOT_SIZE) / 2.f,
                                                        (height - DOT_SIZE) / 2.f,
                                                        DOT_SIZE, DOT_SIZE),
                                   DOT_SIZE / 2.f);
  gtk_snapshot_push_rounded_clip (snapshot, &dot);
  gtk_snapshot_append_color (snapshot, &self->rgba, &dot.bounds);
  gtk_snapshot_pop (snapshot);
}

static void
fw_color_dot_finalize (GObject *object)
{
  g_free (FW_COLOR_DOT (object)->color);

  G_OBJECT_CLASS (fw_color_dot_parent_class)->finalize (object);
}

static void
fw_color_dot_class_init (FwColorDotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = fw_color_dot_finalize;
  widget_class->measure = fw_color_dot_measure;
  widget_class->snapshot = fw_color_dot_snapshot;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PRESENTATION);
  gtk_widget_class_set_css_name (widget_class, "colordot");
}

static void
fw_color_dot_init (FwColorDot *self)
{
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
}

GtkWidget *
fw_color_dot_new (void)
{
  return g_object_new (FW_TYPE_COLOR_DOT, NULL);
}

/**
 * fw_color_dot_set_color:
 * @color: (nullable): "#rrggbb", or %NULL to draw nothing
 */
void
fw_color_dot_set_color (FwColorDot *self,
                        const char *color)
{
  g_return_if_fail (FW_IS_COLOR_DOT (self));

  if (g_strcmp0 (self->color, color) == 0)
    return;
  g_free (self->color);
  self->color = NULL;
  if (color != NULL && gdk_rgba_parse (&self->rgba, color))
    self->color = g_strdup (color);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const char *
fw_color_dot_get_color (FwColorDot *self)
{
  g_return_val_if_fail (FW_IS_COLOR_DOT (self), NULL);

  return self->color;
}
