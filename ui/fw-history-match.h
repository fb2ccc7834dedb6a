/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-history-match.h: whether an item passes FwHistory's filter. The test runs for every item
 * appended (fw-history-ring.c) and scanned (fw-history-filter.c), so it is defined here, static,
 * for each of those files to inline as it sees fit; no other file includes this one. */
#pragma once

#include <string.h>

#include "fw-history-private.h"

G_BEGIN_DECLS

/* Case-insensitive for ASCII needles: a UTF-8 haystack's multibyte sequences never contain
 * ASCII bytes, so this cannot match inside a character. The haystack may hold NUL bytes. */
static gssize
ascii_case_find (const char *haystack,
                 gsize       haystack_len,
                 const char *needle,
                 gsize       needle_len)
{
  const char first_lower = needle[0];
  const char first_upper = g_ascii_toupper (needle[0]);
  const char *end;

  if (haystack_len < needle_len)
    return -1;

  end = haystack + haystack_len - needle_len + 1;
  for (const char *p = haystack; p < end; p++)
    {
      gsize i;

      if (*p != first_lower && *p != first_upper)
        continue;
      for (i = 1; i < needle_len; i++)
        if (g_ascii_tolower (p[i]) != needle[i])
          break;
      if (i == needle_len)
        return p - haystack;
    }

  return -1;
}

static gboolean
text_matches (const Filter *filter,
              const char   *text,
              gsize         len)
{
  if (filter->needle != NULL)
    return ascii_case_find (text, len, filter->needle, filter->needle_len) >= 0;
  return g_regex_match_full (filter->regex, text, len, 0, 0, NULL, NULL);
}

/* A structured field's text (a JSON message's "host": "db1") is searched as its row's text is */
static gboolean
fields_match (const Filter *filter,
              GVariant     *fields)
{
  GVariantIter iter;
  GVariant *value;

  g_variant_iter_init (&iter, fields);
  while (g_variant_iter_next (&iter, "{&sv}", NULL, &value))
    {
      gboolean found = FALSE;

      if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        {
          gsize len;
          const char *text = g_variant_get_string (value, &len);

          found = text_matches (filter, text, len);
        }
      g_variant_unref (value);
      if (found)
        return TRUE;
    }
  return FALSE;
}

static inline gboolean
filter_matches (const Filter *filter,
                const FwItem *item)
{
  if (item->level >= FW_N_LEVELS || !(filter->level_mask & (1u << item->level)))
    return FALSE;
  if (filter->feed != NULL &&
      (item->feed == NULL ||
       (item->feed != filter->feed && strcmp (item->feed, filter->feed) != 0)))
    return FALSE;
  if (filter->needle != NULL || filter->regex != NULL)
    {
      /* The name too: a reading's row shows "name value unit" and has no text. */
      return text_matches (filter, item->text, item->text_len) ||
             (item->name != NULL && text_matches (filter, item->name, strlen (item->name))) ||
             (item->fields != NULL && fields_match (filter, item->fields));
    }
  return TRUE;
}

G_END_DECLS
