/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-alert-rule-dialog.c: "New Alert Rule". The rows make the rule's one-line text (the same
 * text `feedwatch --alert` takes), which the rule parser then reads: what is saved is what the
 * parser made of it, shown to the user as they go. A rule read back fills the rows from what
 * the parser holds, so editing starts from the rule as it is.
 *
 * The preview replays the rule on the window's kept history in a worker thread (see
 * fw-alert-preview.c), a moment after the last change; a newer change cancels an older count. */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "fw-alert-rule-dialog.h"

#include "fw-alert-preview.h"
#include "fw-alert-rule-private.h"
#include "fw-window-private.h"

/* The preview waits this long after a change: typing a limit does not start a count a key */
#define PREVIEW_DELAY_MS 150

enum { SCOPE_ALL, SCOPE_FEED, SCOPE_PATTERN };
enum { DIRECTION_ABOVE, DIRECTION_BELOW };

/* The level row's choices, in its order */
static const FwLevel levels[] = {
  FW_LEVEL_NONE, FW_LEVEL_DEBUG, FW_LEVEL_INFO, FW_LEVEL_NOTICE, FW_LEVEL_WARNING,
  FW_LEVEL_ERROR, FW_LEVEL_CRITICAL,
};

struct _FwAlertRuleDialog
{
  AdwWindow     parent_instance;

  FwWindow     *window;        /* weak; NULL: no history to preview on */
  GSettings    *settings;
  int           edit_index;    /* the rule replaced on save, or -1 to add one */
  char         *editing_text;  /* its text when the dialog opened */
  GPtrArray    *feed_specs;    /* the feed row's feeds, in its order */
  char         *unit;          /* a threshold's unit, kept from the rule read back */
  gint64        interval_us;   /* kept from the rule read back */
  char         *rule_text;     /* canonical, or NULL while the rows make no rule */
  char         *error;
  FwAlertRule  *rule;
  GCancellable *preview_cancellable;
  guint         preview_id;
  gint64        preview_count; /* -1 while counting or without a rule */
  guint         preview_items;
  gboolean      filling;

  /* template */
  GtkButton    *save_button;
  AdwEntryRow  *name_row;
  AdwComboRow  *scope_row;
  AdwComboRow  *feed_row;
  AdwEntryRow  *pattern_row;
  AdwComboRow  *kind_row;
  GtkWidget    *threshold_group;
  AdwEntryRow  *series_row;
  AdwComboRow  *direction_row;
  GtkSpinButton *limit_spin;
  GtkSpinButton *hold_spin;
  AdwExpanderRow *clear_row;
  GtkSpinButton *clear_spin;
  GtkWidget    *match_group;
  AdwEntryRow  *text_row;
  GtkSwitch    *regex_switch;
  GtkSwitch    *caseless_switch;
  AdwComboRow  *level_row;
  AdwExpanderRow *rate_row;
  GtkSpinButton *rate_spin;
  GtkSpinButton *window_spin;
  GtkWidget    *silence_group;
  GtkSpinButton *silence_spin;
  GtkSwitch    *data_switch;
  GtkWidget    *state_group;
  GtkSwitch    *failed_switch;
  GtkSwitch    *retrying_switch;
  GtkSpinButton *state_spin;
  GtkLabel     *rule_label;
  GtkLabel     *preview_label;
  GtkLabel     *error_label;
};

G_DEFINE_FINAL_TYPE (FwAlertRuleDialog, fw_alert_rule_dialog, ADW_TYPE_WINDOW)

/* ---------------------------------------------------------------------------------------- */
/* The rule's text, from the rows */

static void
append_quoted (GString    *out,
               const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
append_number (GString *out,
               double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.15g", value));
}

static void
append_seconds (GString       *out,
                GtkSpinButton *spin)
{
  g_string_append_printf (out, "%ds", gtk_spin_button_get_value_as_int (spin));
}

static const char *
feed_chosen (FwAlertRuleDialog *self)
{
  guint i = adw_combo_row_get_selected (self->feed_row);

  return i < self->feed_specs->len ? g_ptr_array_index (self->feed_specs, i) : NULL;
}

/* Returns the rule's text, or NULL with @error_text saying what is missing */
static char *
compose_rule_text (FwAlertRuleDialog  *self,
                   char              **error_text)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  g_autofree char *pattern = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->pattern_row))));

  if (name[0] != '\0')
    {
      g_string_append (out, "name=");
      append_quoted (out, name);
      g_string_append_c (out, ' ');
    }
  if (self->interval_us > 0)
    g_string_append_printf (out, "interval=%" G_GINT64_FORMAT "ms ", self->interval_us / 1000);

  switch (adw_combo_row_get_selected (self->scope_row))
    {
    case SCOPE_FEED:
      if (feed_chosen (self) == NULL)
        return (*error_text = g_strdup (_("Choose the feed to watch, or watch every feed.")), NULL);
      append_quoted (out, feed_chosen (self));
      g_string_append (out, ": ");
      break;
    case SCOPE_PATTERN:
      if (pattern[0] == '\0')
        return (*error_text = g_strdup (_("Write a pattern on the feeds to watch, such as "
                                          "sse:* or *.log, or watch every feed.")), NULL);
      append_quoted (out, pattern);
      g_string_append (out, ": ");
      break;
    default:
      break;
    }

  switch (adw_combo_row_get_selected (self->kind_row))
    {
    case FW_ALERT_THRESHOLD:
      {
        g_autofree char *series = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->series_row))));
        gboolean above = adw_combo_row_get_selected (self->direction_row) == DIRECTION_ABOVE;

        if (strpbrk (series, "<>") != NULL)
          return (*error_text = g_strdup (_("A series name cannot hold < or >; write * and ? "
                                            "for the characters it may have there.")), NULL);
        g_string_append (out, series[0] != '\0' ? series : "*");
        g_string_append (out, above ? " > " : " < ");
        append_number (out, gtk_spin_button_get_value (self->limit_spin));
        if (self->unit != NULL)
          g_string_append_printf (out, " %s", self->unit);
        if (gtk_spin_button_get_value_as_int (self->hold_spin) > 0)
          {
            g_string_append (out, " for ");
            append_seconds (out, self->hold_spin);
          }
        if (adw_expander_row_get_enable_expansion (self->clear_row))
          {
            g_string_append (out, above ? " clear < " : " clear > ");
            append_number (out, gtk_spin_button_get_value (self->clear_spin));
          }
      }
      break;

    case FW_ALERT_MATCH:
      {
        const char *text = gtk_editable_get_text (GTK_EDITABLE (self->text_row));
        FwLevel level = levels[MIN (adw_combo_row_get_selected (self->level_row),
                                    G_N_ELEMENTS (levels) - 1)];

        if (text[0] == '\0' && level == FW_LEVEL_NONE)
          return (*error_text = g_strdup (_("Write a text to match, or choose a level.")), NULL);
        if (level != FW_LEVEL_NONE)
          g_string_append_printf (out, "level>=%s", fw_level_to_string (level));
        if (text[0] != '\0')
          {
            if (level != FW_LEVEL_NONE)
              g_string_append_c (out, ' ');
            if (gtk_switch_get_active (self->regex_switch))
              {
                /* A slash ends the expression unless escaped; \/ still matches a slash */
                g_string_append_c (out, '/');
                for (const char *p = text; *p != '\0'; p++)
                  {
                    if (*p == '\\' && p[1] != '\0')
                      g_string_append_c (out, *p++);
                    else if (*p == '/')
                      g_string_append_c (out, '\\');
                    g_string_append_c (out, *p);
                  }
                g_string_append_c (out, '/');
              }
            else
              append_quoted (out, text);
            if (gtk_switch_get_active (self->caseless_switch))
              g_string_append_c (out, 'i');
          }
        if (adw_expander_row_get_enable_expansion (self->rate_row))
          {
            g_string_append_printf (out, " rate > %d in ",
                                    gtk_spin_button_get_value_as_int (self->rate_spin));
            append_seconds (out, self->window_spin);
          }
      }
      break;

    case FW_ALERT_SILENCE:
      g_string_append (out, gtk_switch_get_active (self->data_switch) ? "silence data "
                                                                      : "silence ");
      append_seconds (out, self->silence_spin);
      break;

    case FW_ALERT_STATE:
      {
        gboolean failed = gtk_switch_get_active (self->failed_switch);
        gboolean retrying = gtk_switch_get_active (self->retrying_switch);

        if (!failed && !retrying)
          return (*error_text = g_strdup (_("Choose failed, retrying or both.")), NULL);
        g_string_append (out, "state ");
        g_string_append (out, failed && retrying ? "failed|retrying"
                                                 : failed ? "failed" : "retrying");
        if (gtk_spin_button_get_value_as_int (self->state_spin) > 0)
          {
            g_string_append (out, " for ");
            append_seconds (out, self->state_spin);
          }
      }
      break;

    default:
      g_assert_not_reached ();
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ---------------------------------------------------------------------------------------- */
/* The preview */

static void
show_preview (FwAlertRuleDialog *self)
{
  g_autofree char *text = NULL;
  g_autofree char *fired = NULL;
  g_autofree char *kept = NULL;

  if (self->rule == NULL || self->window == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->preview_label), FALSE);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->preview_label), TRUE);
  if (self->preview_count < 0)
    {
      gtk_label_set_text (self->preview_label, _("Counting what this rule would have done in "
                                                 "the kept history…"));
      return;
    }
  if (self->preview_items == 0)
    {
      gtk_label_set_text (self->preview_label, _("No items are kept yet to try this rule on."));
      return;
    }
  fired = g_strdup_printf ("%" G_GINT64_FORMAT, self->preview_count);
  kept = g_strdup_printf ("%u", self->preview_items);
  /* Translators: the first %s is a count of firings, the second a count of items */
  text = g_strdup_printf (ngettext ("This rule would have fired %s time in the kept history "
                                    "(%s items).",
                                    "This rule would have fired %s times in the kept history "
                                    "(%s items).",
                                    (gulong) MIN (self->preview_count, G_MAXULONG)),
                          fired, kept);
  gtk_label_set_text (self->preview_label, text);
}

static void
on_counted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(FwAlertRuleDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  guint64 count;

  if (!fw_alert_preview_count_finish (result, &count, &error))
    return;  /* cancelled: a newer count is on its way */
  self->preview_count = (gint64) count;
  show_preview (self);
}

static gboolean
start_preview (gpointer user_data)
{
  FwAlertRuleDialog *self = user_data;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GHashTable) titles = NULL;
  guint n_feeds;

  self->preview_id = 0;
  if (self->rule == NULL || self->window == NULL)
    return G_SOURCE_REMOVE;

  items = fw_history_dup_items_since (self->window->history, G_MININT64);
  titles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_strfreev);
  n_feeds = g_list_model_get_n_items (G_LIST_MODEL (self->window->feeds));
  for (guint i = 0; i < n_feeds; i++)
    {
      g_autoptr(FwFeedRunner) runner = g_list_model_get_item (G_LIST_MODEL (self->window->feeds), i);

      /* title, then group (or none) */
      const char *known[] = { fw_feed_runner_get_title (runner),
                              fw_feed_runner_get_group (runner), NULL };

      g_hash_table_replace (titles, g_strdup (fw_feed_runner_get_spec (runner)),
                            g_strdupv ((char **) known));
    }
  self->preview_items = items->len;
  self->preview_cancellable = g_cancellable_new ();
  fw_alert_preview_count_async (self->rule, items, titles, self->preview_cancellable,
                                on_counted, g_object_ref (self));

  return G_SOURCE_REMOVE;
}

static void
schedule_preview (FwAlertRuleDialog *self)
{
  if (self->preview_cancellable != NULL)
    {
      g_cancellable_cancel (self->preview_cancellable);
      g_clear_object (&self->preview_cancellable);
    }
  g_clear_handle_id (&self->preview_id, g_source_remove);
  self->preview_count = -1;
  if (self->rule != NULL && self->window != NULL)
    self->preview_id = g_timeout_add (PREVIEW_DELAY_MS, start_preview, self);
  show_preview (self);
}

/* ---------------------------------------------------------------------------------------- */

static void
update_visibility (FwAlertRuleDialog *self)
{
  guint scope = adw_combo_row_get_selected (self->scope_row);
  guint kind = adw_combo_row_get_selected (self->kind_row);

  gtk_widget_set_visible (GTK_WIDGET (self->feed_row), scope == SCOPE_FEED);
  gtk_widget_set_visible (GTK_WIDGET (self->pattern_row), scope == SCOPE_PATTERN);
  gtk_widget_set_visible (self->threshold_group, kind == FW_ALERT_THRESHOLD);
  gtk_widget_set_visible (self->match_group, kind == FW_ALERT_MATCH);
  gtk_widget_set_visible (self->silence_group, kind == FW_ALERT_SILENCE);
  gtk_widget_set_visible (self->state_group, kind == FW_ALERT_STATE);
}

static void
on_changed (FwAlertRuleDialog *self)
{
  g_autofree char *error_text = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  if (self->filling)
    return;
  update_visibility (self);

  g_clear_pointer (&self->rule, fw_alert_rule_unref);
  g_clear_pointer (&self->rule_text, g_free);
  g_clear_pointer (&self->error, g_free);
  text = compose_rule_text (self, &error_text);
  if (text != NULL && (self->rule = fw_alert_rule_parse (text, &error)) == NULL)
    error_text = g_strdup (error->message);
  if (self->rule != NULL)
    self->rule_text = g_strdup (fw_alert_rule_to_string (self->rule));
  self->error = g_steal_pointer (&error_text);

  /* The text, never markup: patterns and feeds are the user's */
  gtk_label_set_text (self->rule_label, self->rule_text != NULL ? self->rule_text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->rule_label), self->rule_text != NULL);
  gtk_label_set_text (self->error_label, self->error != NULL ? self->error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), self->error != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), self->rule != NULL);
  schedule_preview (self);
}

static void
on_save_clicked (FwAlertRuleDialog *self)
{
  if (fw_alert_rule_dialog_save (self))
    gtk_window_destroy (GTK_WINDOW (self));
}

/* The window's feeds, by title, for "This feed" */
static void
fill_feeds (FwAlertRuleDialog *self)
{
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);

  if (self->window != NULL)
    {
      GListModel *feeds = G_LIST_MODEL (self->window->feeds);

      for (guint i = 0; i < g_list_model_get_n_items (feeds); i++)
        {
          g_autoptr(FwFeedRunner) runner = g_list_model_get_item (feeds, i);

          g_ptr_array_add (self->feed_specs, g_strdup (fw_feed_runner_get_spec (runner)));
          gtk_string_list_append (titles, fw_feed_runner_get_title (runner));
        }
    }
  adw_combo_row_set_model (self->feed_row, G_LIST_MODEL (titles));
}

static void
fw_alert_rule_dialog_dispose (GObject *object)
{
  FwAlertRuleDialog *self = FW_ALERT_RULE_DIALOG (object);

  if (self->preview_cancellable != NULL)
    g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);
  g_clear_handle_id (&self->preview_id, g_source_remove);
  g_clear_weak_pointer (&self->window);
  gtk_widget_dispose_template (GTK_WIDGET (self), FW_TYPE_ALERT_RULE_DIALOG);

  G_OBJECT_CLASS (fw_alert_rule_dialog_parent_class)->dispose (object);
}

static void
fw_alert_rule_dialog_finalize (GObject *object)
{
  FwAlertRuleDialog *self = FW_ALERT_RULE_DIALOG (object);

  g_clear_object (&self->settings);
  g_free (self->editing_text);
  g_ptr_array_unref (self->feed_specs);
  g_free (self->unit);
  g_free (self->rule_text);
  g_free (self->error);
  g_clear_pointer (&self->rule, fw_alert_rule_unref);

  G_OBJECT_CLASS (fw_alert_rule_dialog_parent_class)->finalize (object);
}

static void
fw_alert_rule_dialog_class_init (FwAlertRuleDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fw_alert_rule_dialog_dispose;
  object_class->finalize = fw_alert_rule_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/feedwatch/Feedwatch/fw-alert-rule-dialog.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, FwAlertRuleDialog, name)
  BIND (save_button);
  BIND (name_row);
  BIND (scope_row);
  BIND (feed_row);
  BIND (pattern_row);
  BIND (kind_row);
  BIND (threshold_group);
  BIND (series_row);
  BIND (direction_row);
  BIND (limit_spin);
  BIND (hold_spin);
  BIND (clear_row);
  BIND (clear_spin);
  BIND (match_group);
  BIND (text_row);
  BIND (regex_switch);
  BIND (caseless_switch);
  BIND (level_row);
  BIND (rate_row);
  BIND (rate_spin);
  BIND (window_spin);
  BIND (silence_group);
  BIND (silence_spin);
  BIND (data_switch);
  BIND (state_group);
  BIND (failed_switch);
  BIND (retrying_switch);
  BIND (state_spin);
  BIND (rule_label);
  BIND (preview_label);
  BIND (error_label);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
fw_alert_rule_dialog_init (FwAlertRuleDialog *self)
{
  self->filling = TRUE;
  self->edit_index = -1;
  self->preview_count = -1;
  self->feed_specs = g_ptr_array_new_with_free_func (g_free);
  self->settings = g_settings_new (APP_ID);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_editable_set_text (GTK_EDITABLE (self->series_row), "*");
  self->filling = FALSE;
}

/**
 * fw_alert_rule_dialog_new:
 * @parent: (nullable): the window the dialog is over
 * @window: (nullable): the window whose feeds and kept history the rule is tried on
 */
GtkWidget *
fw_alert_rule_dialog_new (GtkWindow *parent,
                          FwWindow  *window)
{
  FwAlertRuleDialog *self = g_object_new (FW_TYPE_ALERT_RULE_DIALOG,
                                          "transient-for", parent,
                                          NULL);

  g_set_weak_pointer (&self->window, window);
  self->filling = TRUE;
  fill_feeds (self);
  self->filling = FALSE;
  on_changed (self);

  return GTK_WIDGET (self);
}

/* "This feed" when @feed is one of the window's, else a pattern that is exactly it */
static void
set_scope (FwAlertRuleDialog *self,
           const char        *scope)
{
  if (scope == NULL)
    {
      adw_combo_row_set_selected (self->scope_row, SCOPE_ALL);
      return;
    }
  for (guint i = 0; i < self->feed_specs->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (self->feed_specs, i), scope))
        {
          adw_combo_row_set_selected (self->feed_row, i);
          adw_combo_row_set_selected (self->scope_row, SCOPE_FEED);
          return;
        }
    }
  gtk_editable_set_text (GTK_EDITABLE (self->pattern_row), scope);
  adw_combo_row_set_selected (self->scope_row, SCOPE_PATTERN);
}

static void
set_seconds (GtkSpinButton *spin,
             gint64         us)
{
  gtk_spin_button_set_value (spin, (double) ((us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC));
}

/**
 * fw_alert_rule_dialog_set_rule_text:
 * @text: a rule in its one-line form
 *
 * Fills the rows from @text.
 *
 * Returns: %FALSE with @error set, the rows as they were, when @text is not a rule
 */
gboolean
fw_alert_rule_dialog_set_rule_text (FwAlertRuleDialog  *self,
                                    const char         *text,
                                    GError            **error)
{
  g_autoptr(FwAlertRule) rule = NULL;

  g_return_val_if_fail (FW_IS_ALERT_RULE_DIALOG (self), FALSE);

  if ((rule = fw_alert_rule_parse (text, error)) == NULL)
    return FALSE;

  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), rule->name != NULL ? rule->name : "");
  self->interval_us = rule->interval_us;
  set_scope (self, rule->scope);
  adw_combo_row_set_selected (self->kind_row, rule->kind);
  g_clear_pointer (&self->unit, g_free);
  switch (rule->kind)
    {
    case FW_ALERT_THRESHOLD:
      gtk_editable_set_text (GTK_EDITABLE (self->series_row), rule->series);
      adw_combo_row_set_selected (self->direction_row,
                                  rule->op == FW_ALERT_OP_GT || rule->op == FW_ALERT_OP_GE
                                  ? DIRECTION_ABOVE : DIRECTION_BELOW);
      gtk_spin_button_set_value (self->limit_spin, rule->limit);
      self->unit = g_strdup (rule->unit);
      set_seconds (self->hold_spin, rule->for_us);
      adw_expander_row_set_enable_expansion (self->clear_row, rule->has_clear);
      if (rule->has_clear)
        gtk_spin_button_set_value (self->clear_spin, rule->clear_limit);
      break;

    case FW_ALERT_MATCH:
      gtk_editable_set_text (GTK_EDITABLE (self->text_row),
                             rule->pattern != NULL ? rule->pattern : "");
      gtk_switch_set_active (self->regex_switch, rule->is_regex);
      gtk_switch_set_active (self->caseless_switch, rule->caseless);
      adw_combo_row_set_selected (self->level_row, 0);
      for (guint i = 0; i < G_N_ELEMENTS (levels); i++)
        {
          /* trace, which the row does not offer, reads as any level */
          if (levels[i] <= rule->min_level)
            adw_combo_row_set_selected (self->level_row, i);
        }
      adw_expander_row_set_enable_expansion (self->rate_row, rule->rate > 0);
      if (rule->rate > 0)
        {
          gtk_spin_button_set_value (self->rate_spin, rule->rate);
          set_seconds (self->window_spin, rule->window_us);
        }
      break;

    case FW_ALERT_SILENCE:
      set_seconds (self->silence_spin, rule->window_us);
      gtk_switch_set_active (self->data_switch, rule->data_only);
      break;

    case FW_ALERT_STATE:
      gtk_switch_set_active (self->failed_switch,
                             (rule->state_mask & (1u << FW_FEED_STATE_FAILED)) != 0);
      gtk_switch_set_active (self->retrying_switch,
                             (rule->state_mask & (1u << FW_FEED_STATE_RETRYING)) != 0);
      set_seconds (self->state_spin, rule->for_us);
      break;

    default:
      g_assert_not_reached ();
    }
  self->filling = FALSE;
  on_changed (self);

  return TRUE;
}

/**
 * fw_alert_rule_dialog_edit_rule:
 * @index: the rule's place in the `alert-rules` setting
 * @text: its text there
 *
 * Makes the dialog edit that rule: saving replaces it in place.
 */
void
fw_alert_rule_dialog_edit_rule (FwAlertRuleDialog *self,
                                guint              index,
                                const char        *text)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (FW_IS_ALERT_RULE_DIALOG (self));

  self->edit_index = (int) index;
  g_free (self->editing_text);
  self->editing_text = g_strdup (text);
  gtk_window_set_title (GTK_WINDOW (self), _("Edit Alert Rule"));
  /* A rule that no longer reads (written by hand) is replaced by what the rows make */
  if (!fw_alert_rule_dialog_set_rule_text (self, text, &error))
    {
      g_free (self->error);
      self->error = g_strdup (error->message);
      gtk_label_set_text (self->error_label, self->error);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
    }
}

/**
 * fw_alert_rule_dialog_prefill_feed:
 * @feed: a feed of the window, as written
 *
 * "Alert when…" from a feed's menu: a rule on that feed, on its readings if it has any, else
 * on its errors.
 */
void
fw_alert_rule_dialog_prefill_feed (FwAlertRuleDialog *self,
                                   const char        *feed)
{
  GPtrArray *series = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_if_fail (FW_IS_ALERT_RULE_DIALOG (self));

  if (self->window != NULL)
    series = fw_feed_list_get_series (self->window->feeds, feed);
  append_quoted (text, feed);
  g_string_append (text, ": ");
  if (series != NULL && series->len > 0)
    {
      FwSeries *first = g_ptr_array_index (series, 0);
      g_autofree char *name = g_strdup (fw_series_get_name (first));

      /* A name the rule syntax cannot hold is left for the user to write */
      g_string_append_printf (text, "%s > 90", strpbrk (name, "<>") == NULL ? name : "*");
    }
  else
    g_string_append (text, "level>=error");
  fw_alert_rule_dialog_set_rule_text (self, text->str, NULL);
}

/**
 * fw_alert_rule_dialog_prefill_match:
 * @feed: (nullable): the feed the line came from
 * @text: a line, matched as it is (not as a pattern)
 *
 * "Alert on lines like this" from a row's menu.
 */
void
fw_alert_rule_dialog_prefill_match (FwAlertRuleDialog *self,
                                    const char        *feed,
                                    const char        *text)
{
  g_autoptr(GString) rule = g_string_new (NULL);

  g_return_if_fail (FW_IS_ALERT_RULE_DIALOG (self));
  g_return_if_fail (text != NULL);

  if (feed != NULL)
    {
      append_quoted (rule, feed);
      g_string_append (rule, ": ");
    }
  append_quoted (rule, text);
  if (!fw_alert_rule_dialog_set_rule_text (self, rule->str, NULL))
    {
      /* Text the parser refuses (none that quoting makes so far): the rows say it */
      adw_combo_row_set_selected (self->kind_row, FW_ALERT_MATCH);
      gtk_switch_set_active (self->regex_switch, FALSE);
      gtk_editable_set_text (GTK_EDITABLE (self->text_row), text);
    }
}

/**
 * fw_alert_rule_dialog_prefill_threshold:
 * @feed: (nullable): the feed of the series
 * @series: the series' name
 * @value: the limit
 * @unit: (nullable): the series' unit, for the rule's text
 *
 * "Alert above this value" from the plot.
 */
void
fw_alert_rule_dialog_prefill_threshold (FwAlertRuleDialog *self,
                                        const char        *feed,
                                        const char        *series,
                                        double             value,
                                        const char        *unit)
{
  g_autoptr(GString) rule = g_string_new (NULL);

  g_return_if_fail (FW_IS_ALERT_RULE_DIALOG (self));
  g_return_if_fail (series != NULL);

  if (feed != NULL && feed[0] != '\0')
    {
      append_quoted (rule, feed);
      g_string_append (rule, ": ");
    }
  g_string_append_printf (rule, "%s > ", strpbrk (series, "<>") == NULL ? series : "*");
  append_number (rule, value);
  fw_alert_rule_dialog_set_rule_text (self, rule->str, NULL);
  /* The unit reads back as part of the text only where the parser allows it */
  if (unit != NULL && unit[0] != '\0' && strpbrk (unit, " \t,") == NULL &&
      !g_ascii_isdigit (unit[0]))
    {
      g_free (self->unit);
      self->unit = g_strdup (unit);
      on_changed (self);
    }
}

/**
 * fw_alert_rule_dialog_get_rule_text:
 *
 * Returns: (nullable): the rule the rows make, in its canonical text; %NULL while they make none
 */
const char *
fw_alert_rule_dialog_get_rule_text (FwAlertRuleDialog *self)
{
  g_return_val_if_fail (FW_IS_ALERT_RULE_DIALOG (self), NULL);

  return self->rule_text;
}

/**
 * fw_alert_rule_dialog_get_error:
 *
 * Returns: (nullable): why the rows make no rule
 */
const char *
fw_alert_rule_dialog_get_error (FwAlertRuleDialog *self)
{
  g_return_val_if_fail (FW_IS_ALERT_RULE_DIALOG (self), NULL);

  return self->error;
}

/**
 * fw_alert_rule_dialog_get_preview_count:
 *
 * Returns: how many times the rule would have fired on the kept history, or -1 while that is
 *   being counted (or there is no rule)
 */
gint64
fw_alert_rule_dialog_get_preview_count (FwAlertRuleDialog *self)
{
  g_return_val_if_fail (FW_IS_ALERT_RULE_DIALOG (self), -1);

  return self->preview_count;
}

/**
 * fw_alert_rule_dialog_save:
 *
 * Adds the rule to the `alert-rules` setting, or replaces the rule edited.
 *
 * Returns: %FALSE when the rows make no rule
 */
gboolean
fw_alert_rule_dialog_save (FwAlertRuleDialog *self)
{
  g_auto(GStrv) rules = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) saved = NULL;
  gboolean placed = FALSE;

  g_return_val_if_fail (FW_IS_ALERT_RULE_DIALOG (self), FALSE);

  if (self->rule_text == NULL)
    return FALSE;

  rules = g_settings_get_strv (self->settings, "alert-rules");
  for (guint i = 0; rules[i] != NULL; i++)
    {
      /* In place of the rule edited, if it is still there; and never a second copy */
      if ((int) i == self->edit_index && g_strcmp0 (rules[i], self->editing_text) == 0)
        {
          if (!placed)
            g_strv_builder_add (builder, self->rule_text);
          placed = TRUE;
        }
      else if (g_str_equal (rules[i], self->rule_text))
        {
          if (!placed)
            g_strv_builder_add (builder, rules[i]);
          placed = TRUE;
        }
      else
        g_strv_builder_add (builder, rules[i]);
    }
  if (!placed)
    g_strv_builder_add (builder, self->rule_text);
  saved = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "alert-rules", (const char * const *) saved);

  return TRUE;
}
