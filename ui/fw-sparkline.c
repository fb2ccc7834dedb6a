/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-sparkline.c: the last N values of a rate or a reading as a small line, newest at the
 * right. The values live in a ring the widget owns; a push queues a draw only if the line it
 * makes differs from the one drawn last (one pass over the ring): a full ring of the same
 * reading, an idle feed's rate, draws no frames. The line takes the widget's CSS colour, so a
 * row can tint it and dark styles just work. The accessible label ("Rate: 12.3 items/s")
 * follows the last value, updated at most once per frame; the tooltip is made when asked for. */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "fw-sparkline.h"
#include "fw-units.h"

struct _FwSparkline
{
  GtkWidget  parent_instance;

  double    *values;
  guint      capacity;
  guint      head;      /* index of the oldest value */
  guint      len;
  char      *unit;
  char      *label;
  char      *spoken;    /* the accessible label as last set */
  guint      tick_id;

  /* The line as last drawn: its height and each value's y, NaN for a gap; -1 before the first
   * snapshot. The next line is worked out in @line, to compare. */
  float     *drawn;
  float     *line;
  guint      drawn_len;
  int        drawn_height;
  gboolean   drawn_empty;
};

G_DEFINE_FINAL_TYPE (FwSparkline, fw_sparkline, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CAPACITY,
  PROP_UNIT,
  PROP_LABEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static double
value_at (FwSparkline *self,
          guint        i)
{
  return self->values[(self->head + i) % self->capacity];
}

/**
 * fw_sparkline_dup_summary:
 *
 * What the sparkline says in words, for its accessible label and tooltip:
 * "Rate: 12.3 items/s", or "Rate: no data".
 *
 * Returns: (transfer full): the summary
 */
char *
fw_sparkline_dup_summary (FwSparkline *self)
{
  double last;
  g_autofree char *number = NULL;
  const char *label;

  g_return_val_if_fail (FW_IS_SPARKLINE (self), NULL);

  label = self->label[0] != '\0' ? self->label : _("Last value");
  last = fw_sparkline_get_last (self);
  if (isnan (last))
    return g_strdup_printf (_("%s: no data"), label);

  number = fw_units_format (last, self->unit);
  return g_strdup_printf ("%s: %s", label, number);
}

static void
update_accessible (FwSparkline *self)
{
  g_autofree char *summary = fw_sparkline_dup_summary (self);

  if (g_strcmp0 (summary, self->spoken) == 0)
    return;
  g_free (self->spoken);
  self->spoken = g_strdup (summary);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, summary,
                                  -1);
}

static gboolean
update_accessible_tick_cb (GtkWidget     *widget,
                           GdkFrameClock *frame_clock,
                           gpointer       user_data)
{
  FwSparkline *self = FW_SPARKLINE (widget);

  self->tick_id = 0;
  update_accessible (self);

  return G_SOURCE_REMOVE;
}

/* Where each value is drawn, top to bottom, in a line @height high: NaN for a gap. Returns
 * FALSE when there is nothing to draw. */
static gboolean
compute_line (FwSparkline *self,
              double       height,
              float       *ys)
{
  double lo = INFINITY, hi = -INFINITY, pad = 2.0;

  for (guint i = 0; i < self->len; i++)
    {
      double v = value_at (self, i);

      if (!isnan (v))
        {
          lo = MIN (lo, v);
          hi = MAX (hi, v);
        }
    }
  if (lo > hi)
    return FALSE;

  /* Rates start at zero: a sparkline of 990..1000 items/s should not look like a crash. */
  if (lo > 0 && lo < hi * 0.5)
    lo = 0;

  for (guint i = 0; i < self->len; i++)
    {
      double v = value_at (self, i);

      if (isnan (v))
        ys[i] = NAN;
      else
        ys[i] = hi > lo ? height - pad - (v - lo) / (hi - lo) * (height - 2 * pad) : height / 2;
    }

  return TRUE;
}

/* Whether the values now make the line drawn last (to a hundredth of a pixel) */
static gboolean
same_as_drawn (FwSparkline *self)
{
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  gboolean empty;

  if (self->drawn_height != height || self->drawn_len != self->len)
    return FALSE;
  empty = self->len == 0 || !compute_line (self, height, self->line);
  if (empty || self->drawn_empty)
    return empty && self->drawn_empty;

  for (guint i = 0; i < self->len; i++)
    {
      if (isnan (self->line[i]) != isnan (self->drawn[i]))
        return FALSE;
      if (!isnan (self->line[i]) && fabsf (self->line[i] - self->drawn[i]) > 0.01f)
        return FALSE;
    }

  return TRUE;
}

static void
values_changed (FwSparkline *self)
{
  if (same_as_drawn (self))
    return;

  gtk_widget_queue_draw (GTK_WIDGET (self));

  /* A burst of pushes makes one accessible update, on the next frame. Unmapped, there are
   * no frames: update on map instead. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self),
                                                  update_accessible_tick_cb, NULL, NULL);
}

static gboolean
query_tooltip_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard_mode,
                  GtkTooltip *tooltip)
{
  g_autofree char *summary = fw_sparkline_dup_summary (FW_SPARKLINE (widget));

  gtk_tooltip_set_text (tooltip, summary);
  return TRUE;
}

static void
fw_sparkline_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  FwSparkline *self = FW_SPARKLINE (widget);
  double width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double pad = 2.0, step;
  gboolean in_line = FALSE;
  GdkRGBA fg;
  cairo_t *cr;

  self->drawn_height = height;
  self->drawn_len = self->len;
  self->drawn_empty = self->len == 0 || !compute_line (self, height, self->drawn);
  if (self->drawn_empty || width < 4 || height < 4)
    return;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  step = (width - 2 * pad) / MAX (self->capacity - 1, 1);

  /* Newest at the right edge; a ring that is not full yet grows from the right. */
  for (guint i = 0; i < self->len; i++)
    {
      double x = width - pad - (self->len - 1 - i) * step;
      double y = self->drawn[i];

      if (isnan (y))
        {
          in_line = FALSE;
          continue;
        }
      if (in_line)
        cairo_line_to (cr, x, y);
      else
        {
          cairo_move_to (cr, x, y);
          cairo_line_to (cr, x, y);   /* a lone value still shows as a dot */
        }
      in_line = TRUE;
    }

  cairo_set_line_width (cr, 1.5);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.8);
  cairo_stroke (cr);
  cairo_destroy (cr);
}

static void
fw_sparkline_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  *minimum = *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 64 : 20;
}

static void
fw_sparkline_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (fw_sparkline_parent_class)->map (widget);

  update_accessible (FW_SPARKLINE (widget));
}

static void
fw_sparkline_unmap (GtkWidget *widget)
{
  FwSparkline *self = FW_SPARKLINE (widget);

  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (widget, self->tick_id);
      self->tick_id = 0;
    }

  GTK_WIDGET_CLASS (fw_sparkline_parent_class)->unmap (widget);
}

static void
fw_sparkline_constructed (GObject *object)
{
  FwSparkline *self = FW_SPARKLINE (object);

  G_OBJECT_CLASS (fw_sparkline_parent_class)->constructed (object);

  self->values = g_new (double, self->capacity);
  self->drawn = g_new (float, self->capacity);
  self->line = g_new (float, self->capacity);
  update_accessible (self);
}

static void
fw_sparkline_finalize (GObject *object)
{
  FwSparkline *self = FW_SPARKLINE (object);

  g_free (self->values);
  g_free (self->drawn);
  g_free (self->line);
  g_free (self->spoken);
  g_free (self->unit);
  g_free (self->label);

  G_OBJECT_CLASS (fw_sparkline_parent_class)->finalize (object);
}

static void
fw_sparkline_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  FwSparkline *self = FW_SPARKLINE (object);

  switch (prop_id)
    {
    case PROP_CAPACITY:
      g_value_set_uint (value, self->capacity);
      break;

    case PROP_UNIT:
      g_value_set_string (value, self->unit);
      break;

    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_sparkline_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  FwSparkline *self = FW_SPARKLINE (object);

  switch (prop_id)
    {
    case PROP_CAPACITY:
      self->capacity = g_value_get_uint (value);
      break;

    case PROP_UNIT:
      fw_sparkline_set_unit (self, g_value_get_string (value));
      break;

    case PROP_LABEL:
      fw_sparkline_set_label (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_sparkline_class_init (FwSparklineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = fw_sparkline_constructed;
  object_class->finalize = fw_sparkline_finalize;
  object_class->get_property = fw_sparkline_get_property;
  object_class->set_property = fw_sparkline_set_property;

  widget_class->snapshot = fw_sparkline_snapshot;
  widget_class->measure = fw_sparkline_measure;
  widget_class->map = fw_sparkline_map;
  widget_class->unmap = fw_sparkline_unmap;
  widget_class->query_tooltip = query_tooltip_cb;

  properties[PROP_CAPACITY] =
    g_param_spec_uint ("capacity", NULL, NULL, 2, 4096, 60,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                       G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_UNIT] =
    g_param_spec_string ("unit", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "sparkline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
fw_sparkline_init (FwSparkline *self)
{
  self->capacity = 60;
  self->unit = g_strdup ("");
  self->label = g_strdup ("");
  self->drawn_height = -1;
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
}

/**
 * fw_sparkline_new:
 * @capacity: how many values the line shows (2..4096)
 *
 * Returns: (transfer floating): a new sparkline
 */
GtkWidget *
fw_sparkline_new (guint capacity)
{
  return g_object_new (FW_TYPE_SPARKLINE, "capacity", capacity, NULL);
}

guint
fw_sparkline_get_capacity (FwSparkline *self)
{
  g_return_val_if_fail (FW_IS_SPARKLINE (self), 0);

  return self->capacity;
}

guint
fw_sparkline_get_n_values (FwSparkline *self)
{
  g_return_val_if_fail (FW_IS_SPARKLINE (self), 0);

  return self->len;
}

/**
 * fw_sparkline_push:
 * @value: the newest value; NaN or an infinity leaves a gap in the line
 *
 * Drops the oldest value when the ring is full.
 */
void
fw_sparkline_push (FwSparkline *self,
                   double       value)
{
  g_return_if_fail (FW_IS_SPARKLINE (self));

  if (!isfinite (value))
    value = NAN;

  if (self->len < self->capacity)
    self->values[(self->head + self->len++) % self->capacity] = value;
  else
    {
      self->values[self->head] = value;
      self->head = (self->head + 1) % self->capacity;
    }

  values_changed (self);
}

void
fw_sparkline_clear (FwSparkline *self)
{
  g_return_if_fail (FW_IS_SPARKLINE (self));

  self->head = 0;
  self->len = 0;
  values_changed (self);
}

/* The newest value, NaN if there is none or it was a gap. */
double
fw_sparkline_get_last (FwSparkline *self)
{
  g_return_val_if_fail (FW_IS_SPARKLINE (self), NAN);

  return self->len > 0 ? value_at (self, self->len - 1) : NAN;
}

const char *
fw_sparkline_get_unit (FwSparkline *self)
{
  g_return_val_if_fail (FW_IS_SPARKLINE (self), NULL);

  return self->unit;
}

void
fw_sparkline_set_unit (FwSparkline *self,
                       const char  *unit)
{
  g_return_if_fail (FW_IS_SPARKLINE (self));

  if (unit == NULL)
    unit = "";
  if (g_str_equal (self->unit, unit))
    return;

  g_free (self->unit);
  self->unit = g_strdup (unit);
  update_accessible (self);   /* the line stays as it is */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNIT]);
}

const char *
fw_sparkline_get_label (FwSparkline *self)
{
  g_return_val_if_fail (FW_IS_SPARKLINE (self), NULL);

  return self->label;
}

/* What the values are, for the accessible label: "Rate", "CPU temperature". */
void
fw_sparkline_set_label (FwSparkline *self,
                        const char  *label)
{
  g_return_if_fail (FW_IS_SPARKLINE (self));

  if (label == NULL)
    label = "";
  if (g_str_equal (self->label, label))
    return;

  g_free (self->label);
  self->label = g_strdup (label);
  update_accessible (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LABEL]);
}
