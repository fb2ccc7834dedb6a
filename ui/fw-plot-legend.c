/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-plot-legend.c: FwPlot's legend, over the plot: an entry per series, a toggle button that
 * shows or hides it (its colour, name and unit, and its min, average and max over the window,
 * in the units' prefixes of fw-units.h), with a button to remove a series added from another
 * feed. The same text is what fw_plot_dup_legend_text() gives. */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "fw-plot-private.h"
#include "fw-units.h"

#define LEGEND_SWATCH 12

static char *
format_stats (const FwPlotSeries *ps)
{
  const char *unit = fw_series_get_unit (ps->series);
  g_autofree char *min = NULL;
  g_autofree char *avg = NULL;
  g_autofree char *max = NULL;

  if (ps->stats.count == 0)
    return g_strdup (_("no data"));

  min = fw_units_format (ps->stats.min, unit);
  avg = fw_units_format (ps->stats.avg, unit);
  max = fw_units_format (ps->stats.max, unit);

  return g_strdup_printf (_("min %s · avg %s · max %s"), min, avg, max);
}

/* "cpu0 usage", or "Machine — cpu0 usage" for a series from another feed */
char *
_fw_plot_dup_series_title (const FwPlotSeries *ps)
{
  if (ps->feed_title != NULL)
    return g_strdup_printf ("%s — %s", ps->feed_title, fw_series_get_name (ps->series));

  return g_strdup (fw_series_get_name (ps->series));
}

/* Each entry's swatch, where its entry put it: a bar like its line when shown, an outline
 * when hidden. Drawn by the plot, in the plot's colours. */
void
_fw_plot_snapshot_swatches (FwPlot      *self,
                            GtkSnapshot *snapshot,
                            gboolean     dark)
{
  for (guint i = 0; i < self->series->len; i++)
    {
      FwPlotSeries *ps = g_ptr_array_index (self->series, i);
      graphene_rect_t r;
      GdkRGBA color;

      if (!gtk_widget_compute_bounds (ps->swatch, GTK_WIDGET (self), &r))
        continue;
      _fw_plot_get_series_color (ps->color, dark, &color);
      if (ps->hidden)
        {
          float w[4] = { 1.5, 1.5, 1.5, 1.5 };
          GdkRGBA c[4] = { color, color, color, color };
          GskRoundedRect box;

          gsk_rounded_rect_init_from_rect (&box, &GRAPHENE_RECT_INIT (r.origin.x,
                                                                      r.origin.y + r.size.height / 2 - 3,
                                                                      r.size.width, 6), 0);
          gtk_snapshot_append_border (snapshot, &box, w, c);
        }
      else
        {
          gtk_snapshot_append_color (snapshot, &color,
                                     &GRAPHENE_RECT_INIT (r.origin.x,
                                                          round (r.origin.y + r.size.height / 2) - 2,
                                                          r.size.width, 4));
        }
    }
}

static void
sync_toggle (FwPlotSeries *ps)
{
  g_autofree char *title = _fw_plot_dup_series_title (ps);
  g_autofree char *tooltip = g_strdup_printf (ps->hidden ? _("Show %s") : _("Hide %s"), title);

  gtk_toggle_button_set_active (ps->toggle, !ps->hidden);
  /* Plain text: the name comes from a feed. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (ps->toggle), tooltip);
  gtk_accessible_update_state (GTK_ACCESSIBLE (ps->toggle),
                               GTK_ACCESSIBLE_STATE_PRESSED, !ps->hidden, -1);
  if (ps->hidden)
    gtk_widget_add_css_class (GTK_WIDGET (ps->toggle), "fw-plot-hidden");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (ps->toggle), "fw-plot-hidden");
  gtk_widget_queue_draw (GTK_WIDGET (ps->plot));
}

static void
on_toggled (GtkToggleButton *toggle,
            FwPlotSeries    *ps)
{
  gboolean visible = gtk_toggle_button_get_active (toggle);

  if (visible == !ps->hidden)
    return;
  fw_plot_set_series_visible (ps->plot, ps->series, visible);
  sync_toggle (ps);
}

static void
on_remove_clicked (GtkButton    *button,
                   FwPlotSeries *ps)
{
  FwPlot *self = ps->plot;
  g_autoptr(FwSeries) series = g_object_ref (ps->series);

  _fw_plot_forget_extras (self, ps->feed_id, fw_series_get_name (series));
  fw_plot_remove_series (self, series);
}

/* Its entry, made once: the figures change through _fw_plot_legend_update(). */
void
_fw_plot_legend_add_entry (FwPlot       *self,
                           FwPlotSeries *ps)
{
  const char *unit = fw_series_get_unit (ps->series);
  g_autofree char *title = _fw_plot_dup_series_title (ps);
  g_autofree char *name = unit[0] != '\0' ? g_strdup_printf ("%s (%s)", title, unit)
                                          : g_strdup (title);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (name);
  PangoAttrList *attrs = pango_attr_list_new ();

  ps->entry = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (ps->entry, "fw-plot-legend-entry");

  /* Room for its swatch, which the plot draws */
  ps->swatch = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_set_size_request (ps->swatch, LEGEND_SWATCH, LEGEND_SWATCH);
  gtk_widget_set_valign (ps->swatch, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), ps->swatch);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (box), label);

  /* Tabular figures: numbers that change every second must not make the text dance. */
  ps->stats_label = GTK_LABEL (gtk_label_new (NULL));
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum"));
  gtk_label_set_attributes (ps->stats_label, attrs);
  pango_attr_list_unref (attrs);
  gtk_widget_add_css_class (GTK_WIDGET (ps->stats_label), "dim-label");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (ps->stats_label));

  ps->toggle = GTK_TOGGLE_BUTTON (gtk_toggle_button_new ());
  gtk_button_set_child (GTK_BUTTON (ps->toggle), box);
  gtk_widget_add_css_class (GTK_WIDGET (ps->toggle), "flat");
  gtk_accessible_update_property (GTK_ACCESSIBLE (ps->toggle),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  gtk_box_append (GTK_BOX (ps->entry), GTK_WIDGET (ps->toggle));
  sync_toggle (ps);
  g_signal_connect (ps->toggle, "toggled", G_CALLBACK (on_toggled), ps);

  if (ps->feed_id != NULL)
    {
      GtkWidget *remove = gtk_button_new_from_icon_name ("window-close-symbolic");
      g_autofree char *what = g_strdup_printf (_("Remove %s from the Plot"), title);

      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_add_css_class (remove, "circular");
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (remove, what);
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, what, -1);
      g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_clicked), ps);
      gtk_box_append (GTK_BOX (ps->entry), remove);
    }

  /* In the order of the series: after the last entry */
  gtk_widget_insert_before (ps->entry, GTK_WIDGET (self), self->controls);
}

/* The figures for the window shown now; a label changes only when its text does. */
void
_fw_plot_legend_update (FwPlot *self)
{
  _fw_plot_update_stats (self, _fw_plot_window_end (self));
  for (guint i = 0; i < self->series->len; i++)
    {
      FwPlotSeries *ps = g_ptr_array_index (self->series, i);
      g_autofree char *stats = format_stats (ps);

      if (g_strcmp0 (gtk_label_get_text (ps->stats_label), stats) != 0)
        gtk_label_set_text (ps->stats_label, stats);
      if (gtk_toggle_button_get_active (ps->toggle) == ps->hidden)
        sync_toggle (ps);
    }
}

/**
 * fw_plot_dup_legend_text:
 *
 * The legend as shown for the current window, one line per series:
 * "Name (unit): min … · avg … · max …".
 *
 * Returns: (transfer full): the legend text
 */
char *
fw_plot_dup_legend_text (FwPlot *self)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (FW_IS_PLOT (self), NULL);

  _fw_plot_update_stats (self, _fw_plot_window_end (self));
  for (guint i = 0; i < self->series->len; i++)
    {
      FwPlotSeries *ps = g_ptr_array_index (self->series, i);
      const char *unit = fw_series_get_unit (ps->series);
      g_autofree char *title = _fw_plot_dup_series_title (ps);
      g_autofree char *stats = format_stats (ps);

      if (i > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, title);
      if (unit[0] != '\0')
        g_string_append_printf (text, " (%s)", unit);
      g_string_append_printf (text, ": %s", stats);
    }

  return g_string_free (text, FALSE);
}
