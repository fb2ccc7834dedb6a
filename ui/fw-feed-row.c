/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-feed-row.c: one feed in the sidebar: icon by kind, a dot in its colour, name, state in
 * words, items/s, sparkline, ERROR/WARN badges and a menu; dragged onto a group's folder, it
 * moves there. The sidebar is a recycling list: a row is made for
 * the few feeds on screen and bound to one runner after another as the list scrolls, so it
 * follows its runner's notify signals only while bound, and what must outlive a row (the rate
 * history its sparkline draws) is kept on the runner. Labels are plain text: a feed's name or
 * error comes from outside. */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "fw-alert-log.h"
#include "fw-color-dot.h"
#include "fw-feed-list.h"
#include "fw-feed-row.h"
#include "fw-sidebar-model.h"
#include "fw-sparkline.h"

struct _FwFeedRow
{
  GtkWidget      parent_instance;

  FwFeedRunner  *runner; /* NULL while unbound */
  FwSparkline   *sparkline;
  GtkWidget     *labelled_row;

  GtkImage      *icon;
  FwColorDot    *color_dot;
  GtkLabel      *title_label;
  GtkLabel      *state_label;
  GtkBox        *spark_box;
  GtkBox        *alert_badge;
  GtkLabel      *alert_count;
  GtkLabel      *error_badge;
  GtkLabel      *warning_badge;
  GtkMenuButton *menu_button;
  GMenu         *menu; /* built as it first opens */
  guint64        n_shown; /* the runner's rates recorded, as far as the sparkline shows them */
};

G_DEFINE_FINAL_TYPE (FwFeedRow, fw_feed_row, GTK_TYPE_WIDGET)

/* A minute of rates, one a second: what a row's sparkline shows when it binds to the feed */
#define RATE_HISTORY_LENGTH 60

typedef struct
{
  double values[RATE_HISTORY_LENGTH];
  guint  head; /* index of the oldest value */
  guint  len;
  guint64 n_recorded;
} RateHistory;

static RateHistory *
rate_history_of (FwFeedRunner *runner,
                 gboolean      create)
{
  static GQuark quark;
  RateHistory *history;

  if (quark == 0)
    quark = g_quark_from_static_string ("fw-feed-row-rate-history");
  history = g_object_get_qdata (G_OBJECT (runner), quark);
  if (history == NULL && create)
    {
      history = g_new0 (RateHistory, 1);
      g_object_set_qdata_full (G_OBJECT (runner), quark, history, g_free);
    }

  return history;
}

/**
 * fw_feed_row_record_rate:
 *
 * Once a second, for every feed, on screen or not: keeps its last minute of rates, so that a
 * row bound to it as the sidebar scrolls draws the same sparkline as before.
 */
void
fw_feed_row_record_rate (FwFeedRunner *runner)
{
  RateHistory *history;
  double rate;

  g_return_if_fail (FW_IS_FEED_RUNNER (runner));

  history = rate_history_of (runner, TRUE);
  rate = fw_feed_runner_get_rate (runner);
  if (history->len < RATE_HISTORY_LENGTH)
    history->values[(history->head + history->len++) % RATE_HISTORY_LENGTH] = rate;
  else
    {
      history->values[history->head] = rate;
      history->head = (history->head + 1) % RATE_HISTORY_LENGTH;
    }
  history->n_recorded++;
}

static void
show_rate_history (FwFeedRow *self)
{
  RateHistory *history = rate_history_of (self->runner, FALSE);

  fw_sparkline_clear (self->sparkline);
  for (guint i = 0; history != NULL && i < history->len; i++)
    fw_sparkline_push (self->sparkline,
                       history->values[(history->head + i) % RATE_HISTORY_LENGTH]);
  self->n_shown = history != NULL ? history->n_recorded : 0;
}

const char *
fw_feed_row_icon_for_kind (const char *kind)
{
  const FwFeedKind *info = fw_feed_kind_lookup (kind);

  if (info != NULL)
    return fw_feed_kind_get_icon_name (info);

  return "emblem-documents-symbolic";
}

/**
 * fw_feed_state_describe:
 *
 * Returns: (transfer full): the feed's state in words, with its reason and rate
 */
char *
fw_feed_state_describe (FwFeedRunner *runner)
{
  const char *text = fw_feed_runner_get_state_text (runner);
  g_autofree char *rate = fw_units_format (fw_feed_runner_get_rate (runner), FW_UNIT_PER_SECOND);

  switch (fw_feed_runner_get_state (runner))
    {
    case FW_FEED_STATE_IDLE:
      return g_strdup (_("Not started"));
    case FW_FEED_STATE_CONNECTING:
      return g_strdup (text != NULL ? text : _("Connecting…"));
    case FW_FEED_STATE_LIVE:
      return g_strdup_printf (_("Live · %s"), rate);
    case FW_FEED_STATE_RETRYING:
      return g_strdup (text != NULL ? text : _("Retrying…"));
    case FW_FEED_STATE_WAITING:
      return g_strdup (text != NULL ? text : _("Waiting…"));
    case FW_FEED_STATE_PAUSED:
      return g_strdup (_("Paused"));
    case FW_FEED_STATE_FAILED:
      return g_strdup_printf (_("Failed: %s"), text != NULL ? text : _("unknown error"));
    case FW_FEED_STATE_ENDED:
      return g_strdup (text != NULL && !g_str_equal (text, "Ended") ? text : _("Ended"));
    default:
      return g_strdup ("");
    }
}

static void
update_state (FwFeedRow *self)
{
  g_autofree char *description = fw_feed_state_describe (self->runner);
  FwFeedState state = fw_feed_runner_get_state (self->runner);

  /* The tooltip, the whole text, is asked for when the pointer rests on the label
   * (on_state_query_tooltip()): setting one queries the pointer from the display server, a
   * round trip each row and change that thousands of feeds starting up add up to seconds. */
  if (g_strcmp0 (gtk_label_get_text (self->state_label), description) != 0)
    {
      gtk_label_set_text (self->state_label, description);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->state_label),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
    }

  if (state == FW_FEED_STATE_FAILED)
    gtk_widget_add_css_class (GTK_WIDGET (self->state_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), "error");
  if (state == FW_FEED_STATE_RETRYING || state == FW_FEED_STATE_WAITING)
    gtk_widget_add_css_class (GTK_WIDGET (self->state_label), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), "warning");
}

/* Runs for every batch a busy feed delivers: touches the label only when its text changes,
 * and leaves the exact count to the tooltip, asked for when the pointer rests on the badge
 * (setting a tooltip queries the pointer from the display server). */
static void
update_badge (GtkLabel *badge,
              gboolean  errors,
              guint64   count)
{
  char text[32];
  g_autofree char *spoken = NULL;

  gtk_widget_set_visible (GTK_WIDGET (badge), count > 0);
  if (count == 0)
    return;

  if (count < 1000)
    g_snprintf (text, sizeof text, "%" G_GUINT64_FORMAT, count);
  else
    g_snprintf (text, sizeof text, "%.0fk", count / 1000.0);
  if (g_strcmp0 (gtk_label_get_text (badge), text) == 0)
    return;

  gtk_label_set_text (badge, text);
  /* A bare "3" means nothing read aloud; after set_text, which sets the label's own name */
  if (errors)
    spoken = g_strdup_printf (ngettext ("%s error", "%s errors", count), text);
  else
    spoken = g_strdup_printf (ngettext ("%s warning", "%s warnings", count), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (badge), GTK_ACCESSIBLE_PROPERTY_LABEL, spoken,
                                  -1);
}

static guint64
count_errors (FwFeedRunner *runner)
{
  return fw_feed_runner_get_n_level (runner, FW_LEVEL_ERROR) +
         fw_feed_runner_get_n_level (runner, FW_LEVEL_CRITICAL);
}

static gboolean
on_badge_query_tooltip (GtkWidget  *badge,
                        int         x,
                        int         y,
                        gboolean    keyboard_mode,
                        GtkTooltip *tooltip,
                        FwFeedRow  *self)
{
  g_autofree char *text = NULL;

  if (self->runner == NULL)
    return FALSE;
  if (badge == GTK_WIDGET (self->error_badge))
    {
      guint64 n = count_errors (self->runner);

      text = g_strdup_printf (ngettext ("%" PRIu64 " error", "%" PRIu64 " errors", (gulong) n), n);
    }
  else
    {
      guint64 n = fw_feed_runner_get_n_level (self->runner, FW_LEVEL_WARNING);

      text = g_strdup_printf (ngettext ("%" PRIu64 " warning", "%" PRIu64 " warnings", (gulong) n),
                              n);
    }
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
update_badges (FwFeedRow *self)
{
  update_badge (self->error_badge, TRUE, count_errors (self->runner));
  update_badge (self->warning_badge, FALSE,
                fw_feed_runner_get_n_level (self->runner, FW_LEVEL_WARNING));
}

/* Alerts are few and change seldom: the badge says how many are active, in words too */
static void
update_alert_badge (FwFeedRow *self)
{
  guint n = self->runner != NULL
    ? fw_alert_log_get_n_active_for_feed (fw_alert_log_get_default (),
                                          fw_feed_runner_get_spec (self->runner))
    : 0;
  g_autofree char *text = NULL;
  g_autofree char *spoken = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->alert_badge), n > 0);
  if (n == 0)
    return;
  text = g_strdup_printf ("%u", n);
  spoken = g_strdup_printf (g_dngettext (NULL, "%u active alert", "%u active alerts", n), n);
  gtk_label_set_text (self->alert_count, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->alert_badge), spoken);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->alert_badge),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, spoken, -1);
}

static void
on_feed_alerts_changed (FwAlertLog *log,
                        const char *feed,
                        FwFeedRow  *self)
{
  if (self->runner != NULL && g_strcmp0 (feed, fw_feed_runner_get_spec (self->runner)) == 0)
    update_alert_badge (self);
}

static void
update_title (FwFeedRow *self)
{
  gtk_label_set_text (self->title_label, fw_feed_runner_get_title (self->runner));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->title_label),
                               fw_feed_runner_get_spec (self->runner));
}

/* The state's tooltip, its whole text (see update_state()) */
static gboolean
on_state_query_tooltip (GtkWidget  *label,
                        int         x,
                        int         y,
                        gboolean    keyboard_mode,
                        GtkTooltip *tooltip,
                        FwFeedRow  *self)
{
  gtk_tooltip_set_text (tooltip, gtk_label_get_text (self->state_label));
  return TRUE;
}

static gboolean
on_menu_query_tooltip (GtkWidget  *button,
                       int         x,
                       int         y,
                       gboolean    keyboard_mode,
                       GtkTooltip *tooltip,
                       FwFeedRow  *self)
{
  gtk_tooltip_set_text (tooltip, _("Feed Menu"));
  return TRUE;
}

/* The menu is built as it first opens: a menu made for every row up front costs each row a
 * popover whose items watch the window's actions, and with thousands of feeds adding, removing
 * or rebuilding those watchers takes minutes. Once built, it follows the feed's state in place,
 * so an open menu shows what it offers now. */
/* The groups the sidebar lists now: those a feed can move to */
static char **
dup_groups (FwFeedRow *self)
{
  GtkWidget *list = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_LIST_VIEW);
  GtkSelectionModel *selection = NULL;
  GListModel *model = NULL;

  if (list != NULL)
    selection = gtk_list_view_get_model (GTK_LIST_VIEW (list));
  if (GTK_IS_SINGLE_SELECTION (selection))
    model = gtk_single_selection_get_model (GTK_SINGLE_SELECTION (selection));
  if (model == NULL || !FW_IS_SIDEBAR_MODEL (model))
    return g_new0 (char *, 1);
  return fw_sidebar_model_dup_groups (FW_SIDEBAR_MODEL (model));
}

/* A name from the user, shown as a menu's label: its underscores are not mnemonics */
static char *
escape_mnemonics (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, "_", -1);

  return g_strjoinv ("__", parts);
}

static void
append_item (GMenu      *menu,
             const char *label,
             const char *action,
             GVariant   *target)
{
  g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target_value (item, action, target);
  g_menu_append_item (menu, item);
}

/* Fills @menu in place: a GtkPopoverMenu of GTK 4.8 that sees a submenu removed and added
 * again fails on the page it had for it */
static void
fill_group_menu (FwFeedRow *self,
                 GMenu     *groups_section,
                 GMenu     *other_section)
{
  const char *spec = fw_feed_runner_get_spec (self->runner);
  const char *current = fw_feed_runner_get_group (self->runner);
  g_auto(GStrv) groups = dup_groups (self);

  g_menu_remove_all (groups_section);
  g_menu_remove_all (other_section);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autofree char *label = NULL;

      if (g_strcmp0 (groups[i], current) == 0)
        continue;
      label = escape_mnemonics (groups[i]);
      append_item (groups_section, label, "win.move-feed-to-group",
                   g_variant_new ("(ss)", spec, groups[i]));
    }
  append_item (other_section, _("_New Group…"), "win.new-feed-group",
               g_variant_new_string (spec));
  if (current != NULL)
    append_item (other_section, _("N_o Group"), "win.move-feed-to-group",
                 g_variant_new ("(ss)", spec, ""));
}

static void
fill_color_menu (FwFeedRow *self,
                 GMenu     *menu)
{
  const char *spec = fw_feed_runner_get_spec (self->runner);
  guint n_colors;
  const FwFeedColor *colors = fw_feed_colors (&n_colors);

  g_menu_remove_all (menu);
  for (guint i = 0; i < n_colors; i++)
    {
      if (g_strcmp0 (colors[i].color, fw_feed_runner_get_color (self->runner)) == 0)
        continue;
      append_item (menu, _(colors[i].name), "win.set-feed-color",
                   g_variant_new ("(ss)", spec, colors[i].color));
    }
}

/* The menu's parts, made once: what is filled in place as the feed changes */
typedef struct
{
  GMenu *actions;
  GMenu *groups;
  GMenu *other_groups;
  GMenu *colors;
  GMenu *remove;
} MenuParts;

static MenuParts *
menu_parts (FwFeedRow *self)
{
  return g_object_get_data (G_OBJECT (self->menu), "fw-menu-parts");
}

static void
menu_parts_free (MenuParts *parts)
{
  g_object_unref (parts->actions);
  g_object_unref (parts->groups);
  g_object_unref (parts->other_groups);
  g_object_unref (parts->colors);
  g_object_unref (parts->remove);
  g_free (parts);
}

static void
make_menu (FwFeedRow *self)
{
  MenuParts *parts = g_new0 (MenuParts, 1);
  g_autoptr(GMenu) arrange = g_menu_new ();
  g_autoptr(GMenu) group_menu = g_menu_new ();

  parts->actions = g_menu_new ();
  parts->groups = g_menu_new ();
  parts->other_groups = g_menu_new ();
  parts->colors = g_menu_new ();
  parts->remove = g_menu_new ();
  g_menu_append_section (group_menu, NULL, G_MENU_MODEL (parts->groups));
  g_menu_append_section (group_menu, NULL, G_MENU_MODEL (parts->other_groups));
  g_menu_append_submenu (arrange, _("Move to _Group"), G_MENU_MODEL (group_menu));
  g_menu_append_submenu (arrange, _("_Colour"), G_MENU_MODEL (parts->colors));
  self->menu = g_menu_new ();
  g_menu_append_section (self->menu, NULL, G_MENU_MODEL (parts->actions));
  g_menu_append_section (self->menu, NULL, G_MENU_MODEL (arrange));
  g_menu_append_section (self->menu, NULL, G_MENU_MODEL (parts->remove));
  g_object_set_data_full (G_OBJECT (self->menu), "fw-menu-parts", parts,
                          (GDestroyNotify) menu_parts_free);
}

/* What applies to the feed as it is: Pause only while it runs (Resume once paused), Restart
 * once it stopped, Retry Now while it waits to reconnect */
static void
fill_menu (FwFeedRow *self)
{
  MenuParts *parts = menu_parts (self);
  GVariant *target = g_variant_new_string (fw_feed_runner_get_spec (self->runner));
  FwFeedState state = fw_feed_runner_get_state (self->runner);
  gboolean paused = fw_feed_runner_get_paused (self->runner);
  gboolean stopped = state == FW_FEED_STATE_FAILED || state == FW_FEED_STATE_ENDED;
  gboolean waiting = state == FW_FEED_STATE_RETRYING || state == FW_FEED_STATE_WAITING;
  struct { const char *label; const char *action; gboolean shown; } entries[] = {
    { paused ? _("_Resume") : _("_Pause"), "win.toggle-feed-paused", paused || !stopped },
    { _("_Edit…"), "win.edit-feed", TRUE },
    { _("Re_name…"), "win.rename-feed", TRUE },
    { _("_Alert When…"), "win.alert-when", TRUE },
    { _("_Restart"), "win.restart-feed", stopped && !paused },
    { _("Retry _Now"), "win.restart-feed", waiting && !paused },
  };

  g_variant_ref_sink (target);
  g_menu_remove_all (parts->actions);
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      if (entries[i].shown)
        append_item (parts->actions, entries[i].label, entries[i].action, target);
    }
  fill_group_menu (self, parts->groups, parts->other_groups);
  fill_color_menu (self, parts->colors);
  g_menu_remove_all (parts->remove);
  append_item (parts->remove, _("_Remove"), "win.remove-feed", target);
  g_variant_unref (target);
}

/* The groups may have changed since the menu was filled */
static void
on_menu_shown (FwFeedRow *self)
{
  if (self->runner != NULL)
    fill_menu (self);
}

static void
on_create_menu (GtkMenuButton *button,
                gpointer       user_data)
{
  FwFeedRow *self = user_data;

  if (self->menu != NULL || self->runner == NULL)
    return;
  make_menu (self);
  fill_menu (self);
  gtk_menu_button_set_menu_model (self->menu_button, G_MENU_MODEL (self->menu));
  g_signal_connect_object (gtk_menu_button_get_popover (self->menu_button), "show",
                           G_CALLBACK (on_menu_shown), self, G_CONNECT_SWAPPED);
}

static void
on_state_changed (FwFeedRow *self)
{
  update_state (self);
  if (self->menu != NULL)
    fill_menu (self);
}

/**
 * fw_feed_row_tick:
 *
 * After fw_feed_row_record_rate(), for a row in view: the rate in the state line and the new
 * points on the sparkline, those recorded since the row last showed them (a row scrolled out of
 * view is not updated, and catches up when it is back). Changes nothing that is up to date.
 */
void
fw_feed_row_tick (FwFeedRow *self)
{
  RateHistory *history;
  guint64 missed;

  g_return_if_fail (FW_IS_FEED_ROW (self));

  if (self->runner == NULL)
    return;
  update_state (self);
  history = rate_history_of (self->runner, FALSE);
  if (history == NULL || history->n_recorded == self->n_shown)
    return;

  missed = history->n_recorded - self->n_shown;
  if (missed >= history->len)
    {
      show_rate_history (self);
      return;
    }
  for (guint i = history->len - (guint) missed; i < history->len; i++)
    fw_sparkline_push (self->sparkline,
                       history->values[(history->head + i) % RATE_HISTORY_LENGTH]);
  self->n_shown = history->n_recorded;
}

static void
fw_feed_row_dispose (GObject *object)
{
  FwFeedRow *self = FW_FEED_ROW (object);
  GtkWidget *child;

  fw_feed_row_unbind (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), FW_TYPE_FEED_ROW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->menu);

  G_OBJECT_CLASS (fw_feed_row_parent_class)->dispose (object);
}

static void
fw_feed_row_class_init (FwFeedRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fw_feed_row_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/feedwatch/Feedwatch/fw-feed-row.ui");
  g_type_ensure (FW_TYPE_COLOR_DOT);
  gtk_widget_class_bind_template_child (widget_class, FwFeedRow, icon);
  gtk_widget_class_bind_template_child (widget_class, FwFeedRow, color_dot);
  gtk_widget_class_bind_template_child (widget_class, FwFeedRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, FwFeedRow, state_label);
  gtk_widget_class_bind_template_child (widget_class, FwFeedRow, spark_box);
  gtk_widget_class_bind_template_child (widget_class, FwFeedRow, alert_badge);
  gtk_widget_class_bind_template_child (widget_class, FwFeedRow, alert_count);
  gtk_widget_class_bind_template_child (widget_class, FwFeedRow, error_badge);
  gtk_widget_class_bind_template_child (widget_class, FwFeedRow, warning_badge);
  gtk_widget_class_bind_template_child (widget_class, FwFeedRow, menu_button);
  gtk_widget_class_bind_template_callback (widget_class, on_menu_query_tooltip);
}

/* A feed's row dragged onto a group's row moves it there (fw-feed-group-row.c) */
static GdkContentProvider *
on_drag_prepare (GtkDragSource *source,
                 double         x,
                 double         y,
                 FwFeedRow     *self)
{
  if (self->runner == NULL)
    return NULL;
  return gdk_content_provider_new_typed (G_TYPE_STRING, fw_feed_runner_get_spec (self->runner));
}

static void
on_drag_begin (GtkDragSource *source,
               GdkDrag       *drag,
               FwFeedRow     *self)
{
  g_autoptr(GdkPaintable) icon = gtk_widget_paintable_new (GTK_WIDGET (self));

  gtk_drag_source_set_icon (source, icon, 0, 0);
}

static void
update_color (FwFeedRow *self)
{
  fw_color_dot_set_color (self->color_dot, fw_feed_runner_get_color (self->runner));
}

static void
fw_feed_row_init (FwFeedRow *self)
{
  GtkDragSource *drag = gtk_drag_source_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drag_source_set_actions (drag, GDK_ACTION_MOVE);
  g_signal_connect (drag, "prepare", G_CALLBACK (on_drag_prepare), self);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  self->sparkline = FW_SPARKLINE (fw_sparkline_new (60));
  fw_sparkline_set_unit (self->sparkline, "/s");
  fw_sparkline_set_label (self->sparkline, _("Items per second"));
  gtk_box_append (self->spark_box, GTK_WIDGET (self->sparkline));
  gtk_widget_set_has_tooltip (GTK_WIDGET (self->error_badge), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self->warning_badge), TRUE);
  g_signal_connect (self->error_badge, "query-tooltip", G_CALLBACK (on_badge_query_tooltip), self);
  g_signal_connect (self->warning_badge, "query-tooltip", G_CALLBACK (on_badge_query_tooltip), self);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self->state_label), TRUE);
  g_signal_connect (self->state_label, "query-tooltip", G_CALLBACK (on_state_query_tooltip), self);
  g_signal_connect_object (fw_alert_log_get_default (), "feed-changed",
                           G_CALLBACK (on_feed_alerts_changed), self, 0);
}

GtkWidget *
fw_feed_row_new (void)
{
  FwFeedRow *self = g_object_new (FW_TYPE_FEED_ROW, NULL);

  gtk_menu_button_set_create_popup_func (self->menu_button, on_create_menu, self, NULL);
  return GTK_WIDGET (self);
}

/* The list's own row widget holds this one and is what a screen reader lands on (role list
 * item, selectable): it is named and described by this row's labels, as GTK 4.8's list items
 * have no accessible label of their own. */
static void
label_list_row (FwFeedRow *self)
{
  GtkWidget *row = gtk_widget_get_parent (GTK_WIDGET (self));

  if (row == NULL || row == self->labelled_row)
    return;
  gtk_accessible_update_relation (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, self->title_label, NULL,
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->state_label, NULL,
                                  -1);
  self->labelled_row = row;
}

static void
update_icon (FwFeedRow *self)
{
  gtk_image_set_from_icon_name (self->icon,
                                fw_feed_row_icon_for_kind (fw_feed_runner_get_kind (self->runner)));
}

/**
 * fw_feed_row_bind:
 *
 * Shows @runner, and follows it until fw_feed_row_unbind() (or another bind).
 */
void
fw_feed_row_bind (FwFeedRow    *self,
                  FwFeedRunner *runner)
{
  g_return_if_fail (FW_IS_FEED_ROW (self));
  g_return_if_fail (FW_IS_FEED_RUNNER (runner));

  fw_feed_row_unbind (self);
  self->runner = g_object_ref (runner);

  label_list_row (self);
  update_icon (self);
  update_color (self);
  /* A tooltip set on a visible widget asks the display server where the pointer is: the
   * title gets its tooltip hidden, without that round trip. */
  gtk_widget_set_visible (GTK_WIDGET (self->title_label), FALSE);
  update_title (self);
  gtk_widget_set_visible (GTK_WIDGET (self->title_label), TRUE);
  update_state (self);
  update_badges (self);
  update_alert_badge (self);
  show_rate_history (self);
  if (self->menu != NULL)
    fill_menu (self);

  g_signal_connect_object (runner, "notify::title", G_CALLBACK (update_title), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (runner, "notify::state", G_CALLBACK (on_state_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (runner, "notify::color", G_CALLBACK (update_color), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (runner, "notify::group", G_CALLBACK (on_state_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (runner, "notify::state-text", G_CALLBACK (update_state), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (runner, "notify::paused", G_CALLBACK (on_state_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (runner, "notify::n-errors", G_CALLBACK (update_badges), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (runner, "notify::n-warnings", G_CALLBACK (update_badges), self,
                           G_CONNECT_SWAPPED);
}

/**
 * fw_feed_row_unbind:
 *
 * Stops following the runner shown, as the list recycles the row for another feed.
 */
void
fw_feed_row_unbind (FwFeedRow *self)
{
  g_return_if_fail (FW_IS_FEED_ROW (self));

  if (self->runner == NULL)
    return;
  /* Its menu acts on the feed it was opened for; the next feed's comes with the next bind */
  if (self->menu_button != NULL)
    gtk_menu_button_popdown (self->menu_button);
  g_signal_handlers_disconnect_by_data (self->runner, self);
  g_clear_object (&self->runner);
}

/**
 * fw_feed_row_get_color_dot:
 *
 * Returns: (transfer none): the dot in the feed's colour
 */
GtkWidget *
fw_feed_row_get_color_dot (FwFeedRow *self)
{
  g_return_val_if_fail (FW_IS_FEED_ROW (self), NULL);

  return GTK_WIDGET (self->color_dot);
}

/**
 * fw_feed_row_get_runner:
 *
 * Returns: (transfer none) (nullable): the feed this row shows, %NULL while unbound
 */
FwFeedRunner *
fw_feed_row_get_runner (FwFeedRow *self)
{
  g_return_val_if_fail (FW_IS_FEED_ROW (self), NULL);

  return self->runner;
}
