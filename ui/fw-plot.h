/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-plot.h: a live plot of several numeric series over a time window */
#pragma once

#include <gtk/gtk.h>

#include "fw-feed-list.h"
#include "fw-series.h"

G_BEGIN_DECLS

#define FW_TYPE_PLOT (fw_plot_get_type ())

G_DECLARE_FINAL_TYPE (FwPlot, fw_plot, FW, PLOT, GtkWidget)

GtkWidget *fw_plot_new                (void);
void       fw_plot_add_series         (FwPlot   *self,
                                       FwSeries *series);
void       fw_plot_remove_series      (FwPlot   *self,
                                       FwSeries *series);
guint      fw_plot_get_n_series       (FwPlot   *self);
guint      fw_plot_get_window_minutes (FwPlot   *self);
void       fw_plot_set_window_minutes (FwPlot   *self,
                                       guint     minutes);
gint64     fw_plot_get_end_time       (FwPlot   *self);
void       fw_plot_set_clock_offset   (FwPlot   *self,
                                       gint64    offset_us);
void       fw_plot_set_end_time       (FwPlot   *self,
                                       gint64    end_us);
gboolean   fw_plot_get_paused         (FwPlot   *self);
void       fw_plot_set_paused         (FwPlot   *self,
                                       gboolean  paused);
void       fw_plot_set_held           (FwPlot   *self,
                                       gboolean  held);
void       fw_plot_catch_up           (FwPlot   *self);
void       fw_plot_scroll_by          (FwPlot   *self,
                                       gint64    delta_us);
void       fw_plot_show_feed          (FwPlot     *self,
                                       FwFeedList *feeds,
                                       const char *feed_id);
gboolean   fw_plot_add_feed_series    (FwPlot     *self,
                                       const char *feed_id,
                                       const char *name);
GVariant  *fw_plot_dup_feed_series    (FwPlot     *self);
void       fw_plot_set_feed_series    (FwPlot     *self,
                                       GVariant   *feed_series);
void       fw_plot_set_series_visible (FwPlot   *self,
                                       FwSeries *series,
                                       gboolean  visible);
char      *fw_plot_dup_legend_text    (FwPlot   *self);
char      *fw_plot_dup_csv            (FwPlot   *self);
GBytes    *fw_plot_render_png         (FwPlot   *self,
                                       GError  **error);

G_END_DECLS
