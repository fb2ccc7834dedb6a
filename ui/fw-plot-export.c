/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-plot-export.c: what a plot shows, kept: its data as CSV, at the resolution it draws at
 * (a second a row, its minimum, average and maximum) over its time window, and its picture as
 * PNG, on the window's background so it reads the same outside the app. */

#include "config.h"

#include "fw-plot-private.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "fw-streams.h"

/* Rows of the CSV, at most: a second each up to an hour's window */
#define MAX_ROWS 3600

static void
append_number (GString *out,
               double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_c (out, ',');
  if (isfinite (value))
    g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.15g", value));
}

/* A name or unit as a CSV cell (RFC 4180) */
static void
append_cell (GString    *out,
             const char *text)
{
  g_string_append_c (out, ',');
  if (text == NULL)
    return;
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/**
 * fw_plot_dup_csv:
 *
 * Returns: (transfer full): the plot's data over its time window, one row per series and
 *   second that has readings: `time,series,unit,min,avg,max,count`, times in RFC 3339 UTC
 */
char *
fw_plot_dup_csv (FwPlot *self)
{
  GString *out = g_string_new ("time,series,unit,min,avg,max,count\r\n");
  gint64 end, span, step;
  guint n_rows;
  g_autofree FwSeriesColumn *columns = NULL;

  g_return_val_if_fail (FW_IS_PLOT (self), g_string_free (out, FALSE));

  end = _fw_plot_window_end (self);
  span = _fw_plot_window_span (self);
  n_rows = (guint) CLAMP (span / G_USEC_PER_SEC, 1, MAX_ROWS);
  step = span / n_rows;
  columns = g_new0 (FwSeriesColumn, n_rows);

  for (guint s = 0; s < self->series->len; s++)
    {
      FwPlotSeries *ps = g_ptr_array_index (self->series, s);
      if (fw_series_get_columns (ps->series, end - span, end + 1, n_rows, columns) == 0)
        continue;
      for (guint i = 0; i < n_rows; i++)
        {
          if (columns[i].count == 0)
            continue;
          fw_append_rfc3339_utc (out, end - span + (gint64) i * step);
          append_cell (out, fw_series_get_name (ps->series));
          append_cell (out, fw_series_get_unit (ps->series));
          append_number (out, columns[i].min);
          append_number (out, columns[i].avg);
          append_number (out, columns[i].max);
          g_string_append_printf (out, ",%u\r\n", columns[i].count);
        }
    }

  return g_string_free (out, FALSE);
}

/**
 * fw_plot_render_png:
 *
 * Returns: (transfer full) (nullable): the plot as it is drawn now, at its size on screen, on
 *   the window's background, as PNG; %NULL with @error when it has no size yet
 */
GBytes *
fw_plot_render_png (FwPlot  *self,
                    GError **error)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderer) renderer = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot;
  GskRenderNode *node;
  GdkRGBA background = { 1, 1, 1, 1 };

  g_return_val_if_fail (FW_IS_PLOT (self), NULL);

  if (width <= 0 || height <= 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           _("The plot is not shown yet"));
      return NULL;
    }

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_lookup_color (gtk_widget_get_style_context (GTK_WIDGET (self)),
                                  "view_bg_color", &background);
  G_GNUC_END_IGNORE_DEPRECATIONS

  _fw_plot_ensure_layout (self);
  snapshot = gtk_snapshot_new ();
  gtk_snapshot_append_color (snapshot, &background, &GRAPHENE_RECT_INIT (0, 0, width, height));
  paintable = gtk_widget_paintable_new (GTK_WIDGET (self));
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);

  /* Cairo: the same picture on any machine, GL or not */
  renderer = gsk_cairo_renderer_new ();
  if (!gsk_renderer_realize (renderer, NULL, error))
    {
      gsk_render_node_unref (node);
      return NULL;
    }
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_renderer_unrealize (renderer);
  gsk_render_node_unref (node);

  return gdk_texture_save_to_png_bytes (texture);
}
