/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-types.h: forward typedefs and the enums shared across streams/ */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _FwItem          FwItem;
typedef struct _FwItemArray     FwItemArray;
typedef struct _FwStream        FwStream;
typedef struct _FwCloseRegistry FwCloseRegistry;

/**
 * FwItemKind:
 * @FW_ITEM_LINE: a line of text (log file, command output)
 * @FW_ITEM_READING: a numeric reading with a name, value and unit (sensors, metrics)
 * @FW_ITEM_EVENT: a typed event with optional id (Server-Sent Events, folder changes)
 * @FW_ITEM_MESSAGE: a message (WebSocket, JSON lines, API records)
 * @FW_ITEM_STATUS: something about the feed itself (connected, retrying, exited)
 * @FW_ITEM_ALERT: an alert rule fired or cleared (fw-alert-engine.h); its name is the rule's name
 *
 * What an item is; it says which of its fields are set.
 */
typedef enum
{
  FW_ITEM_LINE,
  FW_ITEM_READING,
  FW_ITEM_EVENT,
  FW_ITEM_MESSAGE,
  FW_ITEM_STATUS,
  FW_ITEM_ALERT,
} FwItemKind;

/**
 * FwLevel:
 * @FW_LEVEL_NONE: the feed gives no level, or one Feedwatch does not know
 * @FW_LEVEL_TRACE: finer than debug
 * @FW_LEVEL_DEBUG: debugging output
 * @FW_LEVEL_INFO: ordinary information
 * @FW_LEVEL_NOTICE: normal but significant
 * @FW_LEVEL_WARNING: something may be wrong
 * @FW_LEVEL_ERROR: something failed
 * @FW_LEVEL_CRITICAL: critical, alert or emergency
 *
 * The severity of an item, when its feed carries one: a log line's level, a JSON message's `level`
 * member.
 */
typedef enum
{
  FW_LEVEL_NONE,
  FW_LEVEL_TRACE,
  FW_LEVEL_DEBUG,
  FW_LEVEL_INFO,
  FW_LEVEL_NOTICE,
  FW_LEVEL_WARNING,
  FW_LEVEL_ERROR,
  FW_LEVEL_CRITICAL,
} FwLevel;

/**
 * FW_N_LEVELS:
 *
 * The number of #FwLevel values, to size per-level counters.
 */
#define FW_N_LEVELS (FW_LEVEL_CRITICAL + 1)

/**
 * FwItemFlags:
 * @FW_ITEM_FLAG_TRUNCATED: the text was cut at a size cap; the rest was dropped
 * @FW_ITEM_FLAG_STDERR: the line came from a command's standard error
 * @FW_ITEM_FLAG_HAS_VALUE: the item carries a numeric value
 * @FW_ITEM_FLAG_BINARY: the payload is not text (shown by size and hex prefix)
 * @FW_ITEM_FLAG_REPLAYED: the line was read before, by an earlier session or before the feed
 *   restarted (fw_log_source_set_resume_mark()): shown again for context, not counted again
 * @FW_ITEM_FLAG_TERMINAL: the line came from the terminal a command runs on (`cmd:…#pty=1`): its
 *   stdout and stderr together, in order, with no telling them apart
 * @FW_ITEM_FLAG_NONE: no flag
 *
 * Facts about an item's payload and origin, from fw_item_get_flags().
 */
typedef enum /*< flags >*/
{
  FW_ITEM_FLAG_NONE      = 0,
  FW_ITEM_FLAG_TRUNCATED = 1 << 0,
  FW_ITEM_FLAG_STDERR    = 1 << 1,
  FW_ITEM_FLAG_HAS_VALUE = 1 << 2,
  FW_ITEM_FLAG_BINARY    = 1 << 3,
  FW_ITEM_FLAG_REPLAYED  = 1 << 4,
  FW_ITEM_FLAG_TERMINAL  = 1 << 5,
} FwItemFlags;

/**
 * FwForEachEnd:
 * @FW_FOR_EACH_EXHAUSTED: the stream reached its natural end (Python's `else:` branch)
 * @FW_FOR_EACH_STOPPED: the callback asked to stop (`break`); the stream was closed
 * @FW_FOR_EACH_CANCELLED: the cancellable was triggered or the stream was closed from outside
 * @FW_FOR_EACH_FAILED: the stream reported an error
 *
 * How the loop of fw_stream_for_each_async() ended.
 */
typedef enum
{
  FW_FOR_EACH_EXHAUSTED,
  FW_FOR_EACH_STOPPED,
  FW_FOR_EACH_CANCELLED,
  FW_FOR_EACH_FAILED,
} FwForEachEnd;

G_END_DECLS
