/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-plot-private.h: FwPlot's fields and the helpers its files share, and what the tests may ask
 * it beyond its public API.
 *
 *   fw-plot.c         the widget: properties, the series it plots and their colours, the clock
 *   fw-plot-draw.c    a frame: where everything goes, the series' lines and bands, text helpers
 *   fw-plot-axes.c    the value axes (one a unit), their ticks and grid, and the time axis
 *   fw-plot-legend.c  the legend over the plot: a toggle button per series, and as text
 *   fw-plot-pointer.c the pointer's readout, pausing and scrolling back, and series added from
 *                     other feeds; its context menu, an alert at a reading
 *   fw-plot-export.c  its data as CSV and its picture as PNG */
#pragma once

#include "fw-feed-list.h"
#include "fw-plot.h"

G_BEGIN_DECLS

#define FW_PLOT_PAD       6.0   /* around the legend and the plot */
#define FW_PLOT_N_COLORS  6     /* in the palette; series beyond share colours */
/* Live, new data is drawn once a second at most, on the whole second (see fw-plot.c): feeds
 * that read once a second or so (sensors, CPU, memory) do not each make a frame, and a fast
 * feed does not make the plot draw every frame. The time axis moves at that pace too. */

typedef struct
{
  FwSeries       *series;
  gulong          changed_id;
  guint           color;
  guint           group;       /* its UnitGroup in the frame being drawn */
  FwSeriesStats   stats;
  FwSeriesColumn *columns;
  guint           n_columns;
  char           *feed_id;     /* of another feed, for a series added from it; else NULL */
  char           *feed_title;
  gboolean        hidden;
  FwPlot         *plot;
  GtkWidget      *entry;       /* its legend entry, a child of the plot */
  GtkToggleButton *toggle;
  GtkLabel       *stats_label;
  GtkWidget      *swatch;
} FwPlotSeries;

/* The series of one unit, and their value axis in the frame being drawn */
typedef struct
{
  const char *unit;
  guint       n_series;
  guint       first_series;
  gboolean    has_data;
  double      data_min;
  double      data_max;
  double      lo;
  double      hi;
  double      step;
  int         side;        /* -1: no axis, 0: left, 1: right */
  double      width;       /* of the widest tick label */
  GPtrArray  *labels;      /* PangoLayout per tick, lo to hi */
} FwPlotUnitGroup;

struct _FwPlot
{
  GtkWidget  parent_instance;

  GPtrArray *series;        /* FwPlotSeries */
  guint      window_minutes;
  gint64     end_time;
  gint64     clock_offset;  /* added to the wall clock: a replay's time is not today's */
  guint      redraw_id;
  gint64     redraw_due_us; /* monotonic, when redraw_id fires, give or take a second */
  gint64     drawn_us;      /* monotonic, when the last frame was drawn; 0 before the first */
  gboolean   held;          /* live redraws wait for fw_plot_catch_up() */
  gboolean   held_due;      /* and one is waiting */
  GPtrArray *tick_log;      /* the tick texts of a frame, when a test asks for them */

  GtkWidget *controls;      /* pause, back to live, add a series: top right */
  GtkWidget *pause_button;
  GtkWidget *live_button;
  GtkWidget *add_button;
  GtkWidget *readout;       /* what the pointer reads, next to it */
  GtkWidget *context_menu;  /* a GtkPopoverMenu at a right click, or NULL */
  double     header_h;      /* the legend's and the controls' height */
  GHashTable *hidden;       /* FwSeries the user hid: hidden again when the window re-adds them */

  /* Where the last frame put the plot, for the pointer */
  double     plot_x0, plot_x1, plot_y0, plot_y1;
  gint64     frame_start;
  gint64     frame_col_us;
  gint64     shown_end_us;  /* the end of the last frame's columns (exclusive) */
  gboolean   hovering;
  double     hover_x;
  gint64     drag_end;      /* end-time when a drag began */

  /* Series added from other feeds, per feed shown ("" for all): "feed id\x1fseries name" */
  FwFeedList *feeds;
  char       *context;
  GHashTable *extras;
};

/* fw-plot.c */
gint64       _fw_plot_window_span        (FwPlot          *self);
gint64       _fw_plot_window_end         (FwPlot          *self);
gint64       _fw_plot_now                (FwPlot          *self);
void         _fw_plot_update_stats       (FwPlot          *self,
                                          gint64           end);
void         _fw_plot_schedule_redraw    (FwPlot          *self,
                                          gint64           next_column_us);
void         _fw_plot_changed            (FwPlot          *self);
FwPlotSeries *_fw_plot_add_series_full   (FwPlot          *self,
                                          FwSeries        *series,
                                          const char      *feed_id,
                                          const char      *feed_title);
gboolean     _fw_plot_is_dark            (FwPlot          *self,
                                          GdkRGBA         *fg);
gboolean     _fw_plot_series_visible     (const FwPlotSeries *ps);

/* fw-plot-draw.c */
void         _fw_plot_snapshot           (GtkWidget       *widget,
                                          GtkSnapshot     *snapshot);
PangoLayout *_fw_plot_make_layout        (GtkWidget       *widget,
                                          const char      *text,
                                          gboolean         small,
                                          gboolean         bold);
void         _fw_plot_draw_layout        (GtkSnapshot     *snapshot,
                                          PangoLayout     *layout,
                                          double           x,
                                          double           y,
                                          const GdkRGBA   *color);
void         _fw_plot_layout_size        (PangoLayout     *layout,
                                          double          *width,
                                          double          *height);
GdkRGBA      _fw_plot_with_alpha         (const GdkRGBA   *color,
                                          double           alpha);
void         _fw_plot_get_series_color   (guint            index,
                                          gboolean         dark,
                                          GdkRGBA         *color);

/* fw-plot-axes.c */
GArray      *_fw_plot_group_units        (FwPlot          *self,
                                          gboolean        *any_data);
void         _fw_plot_measure_axes       (FwPlot          *self,
                                          GArray          *groups,
                                          double           plot_h,
                                          double          *left_w,
                                          double          *right_w,
                                          guint           *n_axes);
double       _fw_plot_value_to_y         (const FwPlotUnitGroup *g,
                                          double           value,
                                          double           y0,
                                          double           y1);
void         _fw_plot_snapshot_grid      (GArray          *groups,
                                          GtkSnapshot     *snapshot,
                                          double           x0,
                                          double           x1,
                                          double           y0,
                                          double           y1,
                                          const GdkRGBA   *fg);
void         _fw_plot_snapshot_time_axis (FwPlot          *self,
                                          GtkSnapshot     *snapshot,
                                          double           x0,
                                          double           x1,
                                          double           y0,
                                          double           y1,
                                          const GdkRGBA   *fg);
void         _fw_plot_snapshot_value_axes (FwPlot         *self,
                                           GtkSnapshot    *snapshot,
                                           GArray         *groups,
                                           guint           n_axes,
                                           gboolean        dark,
                                           double          x0,
                                           double          x1,
                                           double          y0,
                                           double          y1,
                                           const GdkRGBA  *fg);

/* fw-plot-legend.c */
void         _fw_plot_legend_add_entry   (FwPlot          *self,
                                          FwPlotSeries    *ps);
void         _fw_plot_legend_update      (FwPlot          *self);
void         _fw_plot_snapshot_swatches  (FwPlot          *self,
                                          GtkSnapshot     *snapshot,
                                          gboolean         dark);
char        *_fw_plot_dup_series_title   (const FwPlotSeries *ps);

/* fw-plot-pointer.c */
void         _fw_plot_pointer_init       (FwPlot          *self);
void         _fw_plot_class_pointer_init (GtkWidgetClass  *widget_class);
GMenu       *_fw_plot_dup_alert_menu     (FwPlot          *self,
                                          double           x);
void         _fw_plot_update_readout     (FwPlot          *self);
void         _fw_plot_snapshot_marker    (FwPlot          *self,
                                          GtkSnapshot     *snapshot,
                                          GArray          *groups,
                                          gboolean         dark);
void         _fw_plot_forget_extras      (FwPlot          *self,
                                          const char      *feed_id,
                                          const char      *name);

/* fw-plot.c */
void         _fw_plot_notify_feed_series (FwPlot          *self);

/* for the tests */
char       **_fw_plot_dup_tick_labels    (FwPlot          *self);
char        *_fw_plot_dup_readout_text   (FwPlot          *self);
void         _fw_plot_ensure_layout      (FwPlot          *self);

G_END_DECLS
