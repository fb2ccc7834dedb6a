/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-json-oracle.h: the JSON depth guard checked against the parser it protects, shared by
 * the NDJSON fuzz target and test-json-item's own mutation test. */
#pragma once

#include <json-glib/json-glib.h>

#include "sources/fw-json-item.h"

/* How deep json-glib nested what it parsed (a scalar: 0) */
static inline guint
fw_fuzz_json_depth (JsonNode *node)
{
  guint depth = 0;

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          /* Not inside MAX (), which would call it twice a level */
          guint d = fw_fuzz_json_depth (json_array_get_element (array, i));

          depth = MAX (depth, d);
        }
      return depth + 1;
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, NULL, &member))
        {
          guint d = fw_fuzz_json_depth (member);

          depth = MAX (depth, d);
        }
      return depth + 1;
    }
  return 0;
}

/* FALSE when the depth guard let through a text json-glib parses to a value nested past the
 * cap: a guard that misreads the scanner's syntax (its single quotes, its comments, escapes
 * that swallow characters) does that, long before any line is deep enough to overflow the
 * stack. */
static inline gboolean
fw_fuzz_json_parses_within_cap (const char *text,
                                gsize       len)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  return !json_parser_load_from_data (parser, text, (gssize) len, NULL) ||
         (root = json_parser_get_root (parser)) == NULL ||
         fw_fuzz_json_depth (root) <= FW_JSON_ITEM_MAX_DEPTH;
}

/* The same for fw_json_prepare(), on the text it has parsed: @text, or its copy with lone
 * surrogate escapes fixed; and the copy has none left. */
static inline gboolean
fw_fuzz_json_guard_holds (const char *text,
                          gsize       len)
{
  g_autofree char *fixed = NULL;
  g_autofree char *again = NULL;

  if (len == 0 || !g_utf8_validate (text, (gssize) len, NULL))
    return TRUE;
  if (fw_json_check_shape (text, len, FW_JSON_ITEM_MAX_DEPTH) &&
      !fw_fuzz_json_parses_within_cap (text, len))
    return FALSE;
  if (!fw_json_prepare (text, len, FW_JSON_ITEM_MAX_DEPTH, &fixed))
    return TRUE;
  if (fixed == NULL)
    return TRUE;
  return fw_fuzz_json_parses_within_cap (fixed, len) &&
         fw_json_prepare (fixed, len, FW_JSON_ITEM_MAX_DEPTH, &again) && again == NULL;
}
