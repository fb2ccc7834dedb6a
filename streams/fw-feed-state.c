/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-feed-state.c: see fw-feed-state.h.
 *
 * A status item carries its state as its name, the state's nick ("retrying"): FwItem keeps its
 * size (it is on every hot path), `--print` and the UI show the name as they show any other,
 * and fw_item_get_feed_state() reads it back as the enum. A status with no state (a note: a
 * dropped line, a redirect that left secrets out) has no state name. */

#include "fw-feed-state.h"

#include <stdarg.h>
#include <string.h>

/* The nicks of FwFeedState, as gnome.mkenums_simple makes them (fw-enums.c): one table, so the
 * constructor and the reader agree without a GEnumClass lookup per item. */
static const char * const nicks[] = {
  [FW_FEED_STATE_IDLE] = "idle",
  [FW_FEED_STATE_CONNECTING] = "connecting",
  [FW_FEED_STATE_LIVE] = "live",
  [FW_FEED_STATE_RETRYING] = "retrying",
  [FW_FEED_STATE_WAITING] = "waiting",
  [FW_FEED_STATE_PAUSED] = "paused",
  [FW_FEED_STATE_FAILED] = "failed",
  [FW_FEED_STATE_ENDED] = "ended",
};

/**
 * fw_feed_state_to_string:
 * @state: a feed state
 *
 * Names a feed state, as status items carry it.
 *
 * Returns: the state's name ("live", "retrying", …), not translated
 */
const char *
fw_feed_state_to_string (FwFeedState state)
{
  if ((guint) state < G_N_ELEMENTS (nicks))
    return nicks[state];
  return "unknown";
}

/**
 * fw_feed_status_new:
 * @feed: the feed as the user wrote it
 * @state: the state the status announces, or %FW_FEED_STATE_IDLE for a note that announces none
 * @level: how much it matters (a retry is a warning, a connection info)
 * @text: what happened, in words
 *
 * The one way sources make status items.
 *
 * Returns: (transfer full): a %FW_ITEM_STATUS item, stamped now
 */
FwItem *
fw_feed_status_new (GRefString  *feed,
                    FwFeedState  state,
                    FwLevel      level,
                    const char  *text)
{
  FwItem *item = fw_item_new (FW_ITEM_STATUS, feed, g_get_real_time (), text, -1);

  if (state != FW_FEED_STATE_IDLE)
    fw_item_set_name (item, fw_feed_state_to_string (state));
  fw_item_set_level (item, level);

  return item;
}

/**
 * fw_feed_status_new_printf:
 * @feed: the feed, as a #GRefString, or %NULL
 * @state: the state the status announces
 * @level: its severity
 * @format: a printf() format for the status text, in words
 * @...: the format's arguments
 *
 * Makes a status item with a formatted text: fw_feed_status_new() with printf().
 *
 * Returns: (transfer full): a new %FW_ITEM_STATUS item
 */
FwItem *
fw_feed_status_new_printf (GRefString  *feed,
                           FwFeedState  state,
                           FwLevel      level,
                           const char  *format,
                           ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  return fw_feed_status_new (feed, state, level, text);
}

/**
 * fw_item_get_feed_state:
 * @item: an item
 *
 * Reads the state a status item announces, as a #FwFeedRunner does.
 *
 * Returns: the state a status item announces; %FW_FEED_STATE_IDLE for a note, or for an item that
 *   is not a status
 */
FwFeedState
fw_item_get_feed_state (const FwItem *item)
{
  if (item->kind != FW_ITEM_STATUS || item->name == NULL)
    return FW_FEED_STATE_IDLE;

  for (guint i = 1; i < G_N_ELEMENTS (nicks); i++)
    {
      if (strcmp (item->name, nicks[i]) == 0)
        return (FwFeedState) i;
    }

  return FW_FEED_STATE_IDLE;
}
