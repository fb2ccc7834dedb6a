/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-history-filter.c: FwHistory's search and its level and feed filters. A change rebuilds
 * `matches` by scanning the ring newest-first in bounded chunks from an idle, while appends
 * test the new filter at once; the view keeps the old rows until the scan ends. */

#include <string.h>

#include "fw-history-match.h"

#define SCAN_CHECK     1024
#define SCAN_BUDGET_US 4000
#define SCAN_PRIORITY  (G_PRIORITY_HIGH_IDLE + 30) /* after GTK's layout and redraw */

void
_fw_history_filter_clear_search (Filter *filter)
{
  g_clear_pointer (&filter->text, g_free);
  g_clear_pointer (&filter->needle, g_free);
  g_clear_pointer (&filter->regex, g_regex_unref);
  filter->needle_len = 0;
}

static gboolean
filter_is_active (const Filter *filter)
{
  return filter->needle != NULL || filter->regex != NULL || filter->feed != NULL ||
         filter->level_mask != FW_HISTORY_ALL_LEVELS;
}

void
_fw_history_set_filtering (FwHistory *self,
                           gboolean   filtering)
{
  if (self->filtering == filtering)
    return;
  self->filtering = filtering;
  g_object_notify_by_pspec (G_OBJECT (self), _fw_history_properties[PROP_FILTERING]);
}

/* Returns TRUE when the scan is complete. Newest first, so the seqs found are prepended. */
static gboolean
scan_some (FwHistory *self)
{
  gint64 start = g_get_monotonic_time ();
  guint done = 0;

  while (self->scan_cursor > self->ring_first && done < FW_HISTORY_FILTER_CHUNK)
    {
      guint64 step = MIN (MIN (SCAN_CHECK, FW_HISTORY_FILTER_CHUNK - done),
                          self->scan_cursor - self->ring_first);
      guint64 stop = self->scan_cursor - step;
      guint index = (self->ring_head + (self->scan_cursor - 1 - self->ring_first)) % self->capacity;

      for (guint64 seq = self->scan_cursor; seq > stop; seq--)
        {
          if (filter_matches (&self->filter, self->ring[index]))
            seq_list_push_front (&self->matches, seq - 1);
          index = index == 0 ? self->capacity - 1 : index - 1;
        }
      done += self->scan_cursor - stop;
      self->scan_cursor = stop;

      if (g_get_monotonic_time () - start > SCAN_BUDGET_US)
        break;
    }

  return self->scan_cursor <= self->ring_first;
}

static gboolean
on_scan_idle (gpointer user_data)
{
  FwHistory *self = user_data;

  if (!scan_some (self))
    return G_SOURCE_CONTINUE;

  self->scan_id = 0;
  _fw_history_set_filtering (self, FALSE);

  return G_SOURCE_REMOVE;
}

/* The filter changed: rebuild `matches`; the view keeps the old list until the scan ends. */
static void
refilter (FwHistory *self)
{
  g_clear_handle_id (&self->scan_id, g_source_remove);

  self->filter_active = filter_is_active (&self->filter);
  self->stale = TRUE;

  if (!self->filter_active)
    {
      _fw_seq_list_reset (&self->matches, TRUE, self->ring_first, self->ring_len);
      _fw_history_set_filtering (self, FALSE);
      return;
    }

  _fw_seq_list_reset (&self->matches, FALSE, 0, 0);
  self->scan_start = self->scan_cursor = self->ring_first + self->ring_len;
  self->scan_base = self->ring_first;

  /* A small history is done at once; a large one goes on from an idle. */
  if (scan_some (self))
    {
      _fw_history_set_filtering (self, FALSE);
      return;
    }

  self->scan_id = g_idle_add_full (SCAN_PRIORITY, on_scan_idle, self, NULL);
  g_source_set_name_by_id (self->scan_id, "[feedwatch] history filter");
  _fw_history_set_filtering (self, TRUE);
}

/**
 * fw_history_set_search:
 * @text: (nullable): what to look for; %NULL or "" for no search
 * @regex: whether @text is a regular expression (PCRE syntax, case-insensitive; `(?-i)` makes
 *   it case-sensitive)
 *
 * Searches the text (and the name, for readings) case-insensitively. An invalid regex leaves
 * the filter as it was.
 *
 * Returns: %FALSE with @error set (%G_REGEX_ERROR) when @text is not a valid regex
 */
gboolean
fw_history_set_search (FwHistory   *self,
                       const char  *text,
                       gboolean     regex,
                       GError     **error)
{
  g_autoptr(GRegex) compiled = NULL;
  g_autofree char *needle = NULL;
  gboolean ascii = TRUE;

  g_return_val_if_fail (FW_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (text != NULL && text[0] == '\0')
    text = NULL;
  /* Retyping the same search must not make the view replace every row. */
  if (g_strcmp0 (text, self->filter.text) == 0 && (text == NULL || !regex == !self->filter.is_regex))
    return TRUE;
  if (text != NULL && !regex)
    {
      for (const char *p = text; *p != '\0' && ascii; p++)
        ascii = (guchar) *p < 0x80;
    }

  if (text != NULL && (regex || !ascii))
    {
      g_autofree char *escaped = regex ? NULL : g_regex_escape_string (text, -1);

      compiled = g_regex_new (regex ? text : escaped, G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0,
                              error);
      if (compiled == NULL)
        return FALSE;
    }
  else if (text != NULL)
    needle = g_ascii_strdown (text, -1);

  _fw_history_filter_clear_search (&self->filter);
  self->filter.text = g_strdup (text);
  self->filter.is_regex = text != NULL && regex;
  self->filter.regex = g_steal_pointer (&compiled);
  self->filter.needle_len = needle != NULL ? strlen (needle) : 0;
  self->filter.needle = g_steal_pointer (&needle);

  refilter (self);
  g_object_notify_by_pspec (G_OBJECT (self), _fw_history_properties[PROP_SEARCH]);

  return TRUE;
}

/**
 * fw_history_get_search:
 *
 * Returns: (nullable): the search text, or %NULL when there is none
 */
const char *
fw_history_get_search (FwHistory *self)
{
  g_return_val_if_fail (FW_IS_HISTORY (self), NULL);

  return self->filter.text;
}

/**
 * fw_history_set_min_level:
 *
 * Shows items at @level or above. Items without a level pass only at %FW_LEVEL_NONE (the
 * default: no level filter).
 */
void
fw_history_set_min_level (FwHistory *self,
                          FwLevel    level)
{
  g_return_if_fail (FW_IS_HISTORY (self));
  g_return_if_fail (level < FW_N_LEVELS);

  fw_history_set_level_mask (self, FW_HISTORY_ALL_LEVELS & ~((1u << level) - 1));
}

/**
 * fw_history_set_level_mask:
 * @mask: `1 << level` for each #FwLevel to show; %FW_HISTORY_ALL_LEVELS for all
 */
void
fw_history_set_level_mask (FwHistory *self,
                           guint      mask)
{
  g_return_if_fail (FW_IS_HISTORY (self));

  mask &= FW_HISTORY_ALL_LEVELS;
  if (mask == self->filter.level_mask)
    return;

  self->filter.level_mask = mask;
  refilter (self);
  g_object_notify_by_pspec (G_OBJECT (self), _fw_history_properties[PROP_LEVEL_MASK]);
}

guint
fw_history_get_level_mask (FwHistory *self)
{
  g_return_val_if_fail (FW_IS_HISTORY (self), 0);

  return self->filter.level_mask;
}

/**
 * fw_history_set_feed:
 * @feed: (nullable): show only this feed's items (as the user wrote it); %NULL for all
 */
void
fw_history_set_feed (FwHistory  *self,
                     const char *feed)
{
  g_return_if_fail (FW_IS_HISTORY (self));

  if (g_strcmp0 (feed, self->filter.feed) == 0)
    return;

  g_free (self->filter.feed);
  self->filter.feed = g_strdup (feed);
  refilter (self);
  g_object_notify_by_pspec (G_OBJECT (self), _fw_history_properties[PROP_FEED]);
}

const char *
fw_history_get_feed (FwHistory *self)
{
  g_return_val_if_fail (FW_IS_HISTORY (self), NULL);

  return self->filter.feed;
}

/**
 * fw_history_get_filtering:
 *
 * Returns: %TRUE while a filter change is still scanning the history
 */
gboolean
fw_history_get_filtering (FwHistory *self)
{
  g_return_val_if_fail (FW_IS_HISTORY (self), FALSE);

  return self->filtering;
}

/**
 * fw_history_get_filter_progress:
 *
 * Returns: how far the running scan is, from 0 to 1 (1 when not filtering)
 */
double
fw_history_get_filter_progress (FwHistory *self)
{
  guint64 total, left;

  g_return_val_if_fail (FW_IS_HISTORY (self), 1.0);

  if (!self->filtering)
    return 1.0;

  total = self->scan_start - self->scan_base;
  left = self->scan_cursor > self->ring_first ? self->scan_cursor - self->ring_first : 0;

  return total > 0 ? 1.0 - (double) MIN (left, total) / total : 1.0;
}

/**
 * fw_history_get_n_matches:
 *
 * Returns: how many stored items pass the filter; exact once #FwHistory:filtering is %FALSE
 */
guint
fw_history_get_n_matches (FwHistory *self)
{
  g_return_val_if_fail (FW_IS_HISTORY (self), 0);

  return self->matches.len;
}

/**
 * fw_history_item_matches:
 *
 * Returns: whether @item passes the current filter
 */
gboolean
fw_history_item_matches (FwHistory    *self,
                         const FwItem *item)
{
  g_return_val_if_fail (FW_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (item != NULL, FALSE);

  return filter_matches (&self->filter, item);
}

/**
 * fw_history_find_matches:
 * @text: a row's text (e.g. fw_item_object_get_text())
 * @len: its length in bytes
 *
 * Where the current search matches in @text, for highlighting with a #PangoAttrList (byte
 * offsets, as Pango wants them), never with markup.
 *
 * Returns: (transfer full) (element-type FwMatchRange): the non-empty, non-overlapping matches
 *   in order; empty when there is no search
 */
GArray *
fw_history_find_matches (FwHistory  *self,
                         const char *text,
                         gsize       len)
{
  GArray *ranges = g_array_new (FALSE, FALSE, sizeof (FwMatchRange));
  const Filter *filter;

  g_return_val_if_fail (FW_IS_HISTORY (self), ranges);
  g_return_val_if_fail (text != NULL || len == 0, ranges);

  filter = &self->filter;
  if (filter->needle != NULL)
    {
      gsize offset = 0;
      gssize found;

      while (offset < len &&
             (found = ascii_case_find (text + offset, len - offset,
                                       filter->needle, filter->needle_len)) >= 0)
        {
          FwMatchRange range = { offset + found, offset + found + filter->needle_len };

          g_array_append_val (ranges, range);
          offset = range.end;
        }
    }
  else if (filter->regex != NULL)
    {
      g_autoptr(GMatchInfo) info = NULL;

      g_regex_match_full (filter->regex, text, len, 0, 0, &info, NULL);
      while (g_match_info_matches (info))
        {
          int start, end;

          if (g_match_info_fetch_pos (info, 0, &start, &end) && end > start)
            {
              FwMatchRange range = { start, end };

              g_array_append_val (ranges, range);
            }
          if (!g_match_info_next (info, NULL))
            break;
        }
    }

  return ranges;
}
