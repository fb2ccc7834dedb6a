/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-item.c: the item record and its JSON Lines form */

#include "fw-test-util.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

/* 2026-11-22T02:03:04.000005Z */
#define SOME_TIME_US (G_GINT64_CONSTANT (1795312984) * G_USEC_PER_SEC + 5)

static char *
to_json (FwItem *item)
{
  GString *out = g_string_new (NULL);

  fw_item_append_json (item, out);

  return g_string_free (out, FALSE);
}

static void
test_line_json (void)
{
  GRefString *feed = fw_ref_string_intern ("/var/log/syslog");
  g_autoptr(FwItem) item = fw_item_new (FW_ITEM_LINE, feed, SOME_TIME_US, "disk \"full\"\\", -1);
  g_autofree char *json = NULL;

  fw_item_set_level (item, FW_LEVEL_ERROR);
  json = to_json (item);
  g_assert_cmpstr (json, ==,
                   "{\"feed\":\"/var/log/syslog\",\"time\":\"2026-11-22T02:03:04.000005Z\","
                   "\"kind\":\"line\",\"level\":\"error\",\"text\":\"disk \\\"full\\\"\\\\\"}");

  /* the time the line says it was written goes beside the arrival */
  item->source_time_us = SOME_TIME_US - 3 * G_USEC_PER_SEC - 5;
  g_free (json);
  json = to_json (item);
  g_assert_cmpstr (json, ==,
                   "{\"feed\":\"/var/log/syslog\",\"time\":\"2026-11-22T02:03:04.000005Z\","
                   "\"source_time\":\"2026-11-22T02:03:01.000000Z\","
                   "\"kind\":\"line\",\"level\":\"error\",\"text\":\"disk \\\"full\\\"\\\\\"}");
  g_ref_string_release (feed);
}

/* Structured fields go out as a "fields" object: strings escaped, numbers, booleans; bytes
 * are left to the caller (a binary payload's base64) */
static void
test_fields_json (void)
{
  GRefString *feed = fw_ref_string_intern ("ndjson:http://h/x");
  g_autoptr(FwItem) item = fw_item_new (FW_ITEM_MESSAGE, feed, SOME_TIME_US, "login", -1);
  g_autoptr(FwItem) bytes_only = fw_item_new (FW_ITEM_MESSAGE, feed, SOME_TIME_US, "b", -1);
  GVariantBuilder fields;
  g_autofree char *json = NULL;
  g_autofree char *json_bytes = NULL;

  g_variant_builder_init (&fields, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&fields, "{sv}", "host", g_variant_new_string ("a\"b"));
  g_variant_builder_add (&fields, "{sv}", "n", g_variant_new_int64 (-3));
  g_variant_builder_add (&fields, "{sv}", "ratio", g_variant_new_double (0.25));
  g_variant_builder_add (&fields, "{sv}", "inf", g_variant_new_double (INFINITY));
  g_variant_builder_add (&fields, "{sv}", "ok", g_variant_new_boolean (TRUE));
  g_variant_builder_add (&fields, "{sv}", "data",
                         g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "xy", 2, 1));
  fw_item_take_fields (item, g_variant_builder_end (&fields));
  json = to_json (item);
  g_assert_cmpstr (json, ==,
                   "{\"feed\":\"ndjson:http://h/x\",\"time\":\"2026-11-22T02:03:04.000005Z\","
                   "\"kind\":\"message\",\"text\":\"login\",\"fields\":{\"host\":\"a\\\"b\","
                   "\"n\":-3,\"ratio\":0.25,\"inf\":null,\"ok\":true}}");

  g_variant_builder_init (&fields, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&fields, "{sv}", "data",
                         g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "xy", 2, 1));
  fw_item_take_fields (bytes_only, g_variant_builder_end (&fields));
  json_bytes = to_json (bytes_only);
  g_assert_null (strstr (json_bytes, "fields"));
  g_assert_null (strstr (json_bytes, "data"));

  /* A binary message's payload goes whole, as base64 in "data" */
  bytes_only->flags |= FW_ITEM_FLAG_BINARY;
  g_free (json_bytes);
  json_bytes = to_json (bytes_only);
  g_assert_true (g_str_has_suffix (json_bytes, ",\"data\":\"eHk=\"}"));
  g_ref_string_release (feed);
}

static void
test_nul_and_controls (void)
{
  GRefString *feed = fw_ref_string_intern ("sse:x");
  static const char data[] = "a\0b\n\x01\t\x1f";
  g_autoptr(FwItem) item = fw_item_new (FW_ITEM_EVENT, feed, 0, data, sizeof data - 1);
  g_autofree char *json = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  gsize len;

  g_assert_cmpuint (item->text_len, ==, 7);
  fw_item_set_name (item, "tick");
  fw_item_set_id (item, "42");
  json = to_json (item);
  g_assert_nonnull (strstr (json, "\"text\":\"a\\u0000b\\n\\u0001\\t\\u001f\""));
  g_assert_nonnull (strstr (json, "\"type\":\"tick\""));
  g_assert_nonnull (strstr (json, "\"id\":\"42\""));

  /* and a JSON parser reads back the same bytes */
  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  len = strlen (json_object_get_string_member (object, "text"));
  g_assert_cmpuint (len, ==, 1); /* a C string stops at the NUL, which is there */
  g_ref_string_release (feed);
}

/* --print writes long texts a piece at a time: escapes on both sides of a piece's edge come
 * out whole, and a JSON parser reads back the same text. */
static void
test_long_text_json (void)
{
  GRefString *feed = fw_ref_string_intern ("sse:x");
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(FwItem) item = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *json = NULL;
  const char *back;

  for (guint i = 0; i < 200000; i++)
    g_string_append_c (text, i % 997 == 0 ? '"' : (i >= 65534 && i <= 65537) ? '\x01' : 'a' + i % 26);
  item = fw_item_new (FW_ITEM_EVENT, feed, 0, text->str, text->len);
  json = to_json (item);
  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  back = json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "text");
  g_assert_cmpstr (back, ==, text->str);
  g_ref_string_release (feed);
}

static void
test_reading_json (void)
{
  GRefString *feed = fw_ref_string_intern ("sim:sensor");
  g_autoptr(FwItem) item = fw_item_new_reading (feed, 0, "sensor", 37, NULL);
  g_autoptr(FwItem) hot = fw_item_new_reading (feed, 0, "cpu", 61.5, "°C");
  g_autoptr(FwItem) nan = fw_item_new_reading (feed, 0, "x", NAN, NULL);
  g_autofree char *json = NULL;
  g_autofree char *hot_json = NULL;
  g_autofree char *nan_json = NULL;

  fw_item_set_id (item, "1");
  json = to_json (item);
  g_assert_cmpstr (json, ==,
                   "{\"feed\":\"sim:sensor\",\"time\":\"1970-01-01T00:00:00.000000Z\","
                   "\"kind\":\"reading\",\"name\":\"sensor\",\"id\":\"1\",\"value\":37}");
  hot_json = to_json (hot);
  g_assert_nonnull (strstr (hot_json, "\"value\":61.5,\"unit\":\"°C\""));
  nan_json = to_json (nan);
  g_assert_nonnull (strstr (nan_json, "\"value\":null"));
  g_ref_string_release (feed);
}

static void
test_refcount_and_flags (void)
{
  GRefString *feed = fw_ref_string_intern ("f");
  FwItem *item = fw_item_new (FW_ITEM_LINE, feed, 0, "x", 1);
  g_autofree char *json = NULL;

  g_assert_true (fw_item_ref (item) == item);
  fw_item_unref (item);
  fw_item_add_flags (item, FW_ITEM_FLAG_TRUNCATED | FW_ITEM_FLAG_STDERR);
  json = to_json (item);
  g_assert_nonnull (strstr (json, "\"truncated\":true"));
  g_assert_nonnull (strstr (json, "\"stream\":\"stderr\""));
  fw_item_take_fields (item, g_variant_new_parsed ("{'a': <1>}"));
  g_assert_nonnull (item->fields);
  fw_item_unref (item);
  g_ref_string_release (feed);
}

/* Items made in a block live until each is unreffed, in any order and on any thread; the
 * block, and the feed it holds, go with the last one (ASan reports a use after free or a leak
 * otherwise). */
static gpointer
make_block_items (gpointer data)
{
  GRefString *feed = data;
  GPtrArray *items = g_ptr_array_new ();
  FwItemBlock *block = fw_item_block_new (feed, 4096);
  FwItem *item;
  guint n = 0;

  while ((item = fw_item_block_add (block, FW_ITEM_LINE, n, "line", 4)) != NULL)
    {
      g_assert_true (item->in_block);
      g_assert_true ((gsize) item % 8 == 0);
      g_ptr_array_add (items, item);
      n++;
    }
  fw_item_block_release (block);

  return items;
}

static void
test_block (void)
{
  GRefString *feed = g_ref_string_new ("a feed of its own");
  g_autoptr(GThread) thread = g_thread_new ("maker", make_block_items, feed);
  g_autoptr(GPtrArray) items = g_thread_join (g_steal_pointer (&thread));
  FwItemBlock *block = fw_item_block_new (feed, 256);
  FwItem *big;
  GRand *rand = g_rand_new_with_seed (7);

  g_ref_string_release (feed);

  /* Full: the caller makes another block, as the log source does. */
  g_assert_null (fw_item_block_add (block, FW_ITEM_LINE, 0, "x", 300));
  big = fw_item_block_add (block, FW_ITEM_LINE, 0, "0123456789", 10);
  g_assert_nonnull (big);
  fw_item_block_release (block);
  g_assert_cmpstr (big->text, ==, "0123456789");
  g_assert_cmpuint (big->text_len, ==, 10);
  fw_item_set_name (big, "owned by the item");
  fw_item_set_id (big, "7");
  fw_item_take_fields (big, g_variant_new_parsed ("{'a': <1>}"));
  fw_item_unref (fw_item_ref (big));
  fw_item_unref (big);

  g_assert_cmpuint (items->len, >, 10);
  for (guint i = 0; i < items->len; i++)
    {
      FwItem *item = g_ptr_array_index (items, i);

      g_assert_cmpstr (item->feed, ==, "a feed of its own");
      g_assert_cmpint (item->time_us, ==, i);
      g_assert_cmpstr (item->text, ==, "line");
    }
  while (items->len > 0)
    {
      guint i = g_rand_int_range (rand, 0, items->len);
      FwItem *item = g_ptr_array_steal_index_fast (items, i);

      g_assert_cmpstr (item->feed, ==, "a feed of its own");
      fw_item_unref (item);
    }
  g_rand_free (rand);
}

/* Feeds and names are escaped once and reused while they repeat: a change of either, a string
 * of the same length, or one too long to keep must still come out exactly. */
static void
test_repeated_strings_json (void)
{
  g_autofree char *long_name = g_strnfill (300, 'n');
  const char *feeds[] = { "sse:http://h/\"q\"", "sse:http://h/\"r\"", "tab\there" };
  const char *escaped_feeds[] = { "\"sse:http://h/\\\"q\\\"\"", "\"sse:http://h/\\\"r\\\"\"",
                                  "\"tab\\there\"" };
  const char *names[] = { "message", "massage" };

  for (guint i = 0; i < 30; i++)
    {
      GRefString *feed = g_ref_string_new (feeds[i % 3]);
      FwItem *item = fw_item_new (FW_ITEM_EVENT, feed, 0, "x", 1);
      const char *name = i % 5 == 4 ? long_name : names[i % 2];
      g_autofree char *json = NULL;
      g_autofree char *expected_feed = g_strdup_printf ("{\"feed\":%s,", escaped_feeds[i % 3]);
      g_autofree char *expected_name = g_strdup_printf (",\"type\":\"%s\",", name);

      fw_item_set_name (item, name);
      json = to_json (item);
      g_assert_true (g_str_has_prefix (json, expected_feed));
      g_assert_nonnull (strstr (json, expected_name));
      fw_item_unref (item);
      g_ref_string_release (feed);
    }
}

/* The builder's hold settles when it lets go: items dropped before that do not free the
 * block, and the last item after it does, in either order. */
static void
test_block_lifetime (void)
{
  GRefString *feed = fw_ref_string_intern ("f");
  gsize base = fw_item_block_get_live_bytes ();
  FwItemBlock *block = fw_item_block_new (feed, 1024);
  FwItem *a = fw_item_block_add (block, FW_ITEM_LINE, 0, "a", 1);
  FwItem *b = fw_item_block_add (block, FW_ITEM_LINE, 0, "b", 1);

  /* Every item gone while the builder still holds the block: the block stays */
  fw_item_unref (a);
  fw_item_unref (b);
  g_assert_cmpuint (fw_item_block_get_live_bytes (), ==, base + 1024);
  a = fw_item_block_add (block, FW_ITEM_LINE, 0, "c", 1);
  g_assert_cmpstr (a->text, ==, "c");
  fw_item_block_release (block);
  g_assert_cmpuint (fw_item_block_get_live_bytes (), ==, base + 1024);
  fw_item_unref (a);
  g_assert_cmpuint (fw_item_block_get_live_bytes (), ==, base);

  /* An empty block goes when released */
  fw_item_block_release (fw_item_block_new (feed, 1024));
  g_assert_cmpuint (fw_item_block_get_live_bytes (), ==, base);
  g_ref_string_release (feed);
}

/* Dropping many at once is fw_item_unref() on each: items of two blocks interleaved, a block
 * still held by its builder, an item someone else still holds, items not in a block, names
 * and IDs of their own. Every block goes exactly when its last item does (ASan reports a leak
 * or a use after free otherwise). */
static void
test_unref_many (void)
{
  GRefString *feed = fw_ref_string_intern ("f");
  gsize base = fw_item_block_get_live_bytes ();
  FwItemBlock *first = fw_item_block_new (feed, 4096);
  FwItemBlock *second = fw_item_block_new (feed, 4096);
  FwItem *items[12];
  FwItem *kept;

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      if (i % 4 == 3)
        items[i] = fw_item_new (FW_ITEM_LINE, feed, i, "loose", -1);
      else
        items[i] = fw_item_block_add (i < 6 || i % 2 ? first : second, FW_ITEM_EVENT, i, "x", 1);
      if (i % 3 == 0)
        fw_item_set_name (items[i], "own name");
      if (i % 5 == 0)
        fw_item_set_id (items[i], "id");
    }
  kept = fw_item_ref (items[4]);
  fw_item_block_release (second);

  fw_item_unref_many (items, 6);
  /* the first block is still held by its builder, the second by its items in the rest */
  g_assert_cmpuint (fw_item_block_get_live_bytes (), ==, base + 2 * 4096);
  fw_item_block_release (first);
  g_assert_cmpuint (fw_item_block_get_live_bytes (), ==, base + 2 * 4096);
  fw_item_unref_many (items + 6, G_N_ELEMENTS (items) - 6);
  /* the first block lives on in the item still held */
  g_assert_cmpuint (fw_item_block_get_live_bytes (), ==, base + 4096);
  g_assert_cmpstr (kept->text, ==, "x");
  fw_item_unref_many (&kept, 1);
  g_assert_cmpuint (fw_item_block_get_live_bytes (), ==, base);

  fw_item_unref_many (NULL, 0);
  g_ref_string_release (feed);
}

/* Items of a block that carry the same name share the block's reference to it; an item
 * renamed, or carrying another name, holds its own. Names stay valid as long as their items,
 * whatever order they go in (ASan reports a double release or a leak otherwise). */
static void
test_block_names (void)
{
  GRefString *feed = fw_ref_string_intern ("f");
  GRefString *message = g_ref_string_new ("message");
  GRefString *other = g_ref_string_new ("other");
  FwItemBlock *block = fw_item_block_new (feed, 4096);
  FwItem *items[6];

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      items[i] = fw_item_block_add (block, FW_ITEM_EVENT, i, "x", 1);
      fw_item_set_name_ref (items[i], i % 3 == 2 ? other : message);
    }
  fw_item_set_name (items[0], "renamed");
  fw_item_set_name_ref (items[1], other);
  fw_item_set_name_ref (items[3], NULL);
  fw_item_block_release (block);
  /* Only the items hold the names now */
  g_ref_string_release (message);
  g_ref_string_release (other);

  g_assert_cmpstr (items[0]->name, ==, "renamed");
  g_assert_cmpstr (items[1]->name, ==, "other");
  g_assert_cmpstr (items[2]->name, ==, "other");
  g_assert_null (items[3]->name);
  g_assert_cmpstr (items[4]->name, ==, "message");
  g_assert_cmpstr (items[5]->name, ==, "other");
  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      FwItem *item = items[(i * 5) % G_N_ELEMENTS (items)];

      fw_item_unref (item);
    }
  g_ref_string_release (feed);
}

static void
test_levels (void)
{
  g_assert_cmpint (fw_level_from_string ("ERR", -1), ==, FW_LEVEL_ERROR);
  g_assert_cmpint (fw_level_from_string ("Warning", -1), ==, FW_LEVEL_WARNING);
  g_assert_cmpint (fw_level_from_string ("fatal", -1), ==, FW_LEVEL_CRITICAL);
  g_assert_cmpint (fw_level_from_string ("INFOx", 4), ==, FW_LEVEL_INFO);
  g_assert_cmpint (fw_level_from_string ("banana", -1), ==, FW_LEVEL_NONE);
  g_assert_cmpstr (fw_level_to_string (FW_LEVEL_WARNING), ==, "warning");
  g_assert_null (fw_level_to_string (FW_LEVEL_NONE));
}

static void
test_rfc3339 (void)
{
  g_autoptr(GString) out = g_string_new (NULL);

  fw_append_rfc3339_utc (out, -1);
  g_assert_cmpstr (out->str, ==, "1969-12-31T23:59:59.999999Z");
}

/* The record as DESIGN.md §6 writes it, spelled out plainly one byte at a time: the writer's
 * word-at-a-time escaping and its caches must give exactly these bytes. */
static void
reference_string (GString    *out,
                  const char *text,
                  gsize       len)
{
  g_string_append_c (out, '"');
  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) text[i];

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c == '\b')
        g_string_append (out, "\\b");
      else if (c == '\f')
        g_string_append (out, "\\f");
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

static char *
reference_json (const FwItem *item)
{
  GString *out = g_string_new ("{\"feed\":");
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (item->time_us / G_USEC_PER_SEC);
  g_autofree char *date = g_date_time_format (time, "%Y-%m-%dT%H:%M:%S");

  reference_string (out, item->feed, strlen (item->feed));
  g_string_append_printf (out, ",\"time\":\"%s.%06dZ\"", date,
                          (int) (item->time_us % G_USEC_PER_SEC));
  if (item->source_time_us != 0)
    {
      g_autoptr(GDateTime) source =
        g_date_time_new_from_unix_utc (item->source_time_us / G_USEC_PER_SEC);
      g_autofree char *source_date = g_date_time_format (source, "%Y-%m-%dT%H:%M:%S");

      g_string_append_printf (out, ",\"source_time\":\"%s.%06dZ\"", source_date,
                              (int) (item->source_time_us % G_USEC_PER_SEC));
    }
  g_string_append_printf (out, ",\"kind\":\"%s\"", fw_item_kind_to_string (item->kind));
  if (item->name != NULL)
    {
      g_string_append (out, item->kind == FW_ITEM_EVENT ? ",\"type\":" : ",\"name\":");
      reference_string (out, item->name, strlen (item->name));
    }
  if (item->id != NULL)
    {
      g_string_append (out, ",\"id\":");
      reference_string (out, item->id, strlen (item->id));
    }
  if (item->level != FW_LEVEL_NONE)
    g_string_append_printf (out, ",\"level\":\"%s\"", fw_level_to_string (item->level));
  if (item->flags & FW_ITEM_FLAG_HAS_VALUE)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      int digits = 15;

      /* The fewest significant digits (15 to 17) that read back as the very value */
      while (isfinite (item->value) && digits < 17)
        {
          g_snprintf (buf, sizeof buf, "%.*g", digits, item->value);
          if (g_ascii_strtod (buf, NULL) == item->value)
            break;
          digits++;
        }
      if (isfinite (item->value))
        g_snprintf (buf, sizeof buf, "%.*g", digits, item->value);
      g_string_append_printf (out, ",\"value\":%s", isfinite (item->value) ? buf : "null");
    }
  if (item->unit != NULL)
    {
      g_string_append (out, ",\"unit\":");
      reference_string (out, item->unit, strlen (item->unit));
    }
  if (item->text_len > 0 || item->kind != FW_ITEM_READING)
    {
      g_string_append (out, ",\"text\":");
      reference_string (out, item->text, item->text_len);
    }
  if (item->flags & FW_ITEM_FLAG_TRUNCATED)
    g_string_append (out, ",\"truncated\":true");
  if (item->flags & FW_ITEM_FLAG_STDERR)
    g_string_append (out, ",\"stream\":\"stderr\"");
  g_string_append_c (out, '}');

  return g_string_free (out, FALSE);
}

/* Every byte value at every place of a word and around its ends, alone and next to another
 * byte to escape, to bytes of UTF-8 and to plain ones: escaping 8 bytes at a time must find
 * exactly the bytes it escapes one at a time. */
static void
test_json_escape_every_byte (void)
{
  static const guchar neighbours[] = { 'a', 0x01, '"', '\\', 0x1f, 0x20, 0x7f, 0x80, 0xc3, 0xff };

  for (guint c = 0; c < 256; c++)
    for (gsize len = 1; len <= 19; len++)
      for (gsize at = 0; at < len; at++)
        for (guint k = 0; k < G_N_ELEMENTS (neighbours); k++)
          {
            char text[19];
            g_autoptr(GString) ours = g_string_new ("x");
            g_autoptr(GString) reference = g_string_new ("x");

            memset (text, neighbours[k], len);
            text[at] = (char) c;
            fw_append_json_string (ours, text, len);
            reference_string (reference, text, len);
            if (!g_string_equal (ours, reference))
              g_error ("byte 0x%02x at %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " among 0x%02x: "
                       "%s, not %s", c, at, len, neighbours[k], ours->str, reference->str);
          }
}

/* Whole records, every member present or not, strings short and long (past the cache's 256
 * bytes and the 64 KiB pieces) with bytes to escape anywhere, the same feed, name, time and
 * source time again and again or changing, into a buffer already holding earlier records: the
 * same bytes as the reference. */
static void
test_json_records (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261206);
  g_autoptr(GString) out = g_string_new (NULL);
  static const gsize lengths[] = { 0, 1, 7, 8, 9, 16, 255, 256, 257, 65536, 65537, 200000 };
  const char *feed_texts[] = { "sse:http://h/events", "/var/log/\"x\"\n", "" };
  const char *names[] = { "message", "cpu\ttemp", "ünïcode" };
  gint64 time_us = 0;
  gint64 source_time_us = 1;

  for (guint i = 0; i < 400; i++)
    {
      g_autofree char *text = NULL;
      g_autofree char *long_name = NULL;
      g_autofree char *expected = NULL;
      GRefString *feed;
      FwItem *item;
      gsize len = lengths[g_rand_int_range (rand, 0, i % 4 == 0 ? G_N_ELEMENTS (lengths) : 9)];
      gsize before;

      text = g_malloc (len + 1);
      for (gsize k = 0; k < len; k++)
        {
          guint32 r = g_rand_int (rand);
          /* mostly plain text, some of every byte */
          text[k] = (char) (r % 16 == 0 ? (r >> 8) & 0xff : 'a' + (r >> 8) % 26);
        }
      text[len] = '\0';
      feed = g_ref_string_new (feed_texts[g_rand_int_range (rand, 0, 3)]);
      /* the items of one read share their time */
      if (g_rand_int_range (rand, 0, 3) == 0)
        time_us = g_rand_int_range (rand, 0, G_MAXINT32) * (gint64) (i % 2 ? 1000003 : 17);
      item = fw_item_new (g_rand_int_range (rand, FW_ITEM_LINE, FW_ITEM_STATUS + 1), feed,
                          time_us, text, len);
      /* a source's own time, now and then in another second than the arrival's */
      if (i % 3 != 0)
        {
          if (g_rand_int_range (rand, 0, 3) == 0)
            source_time_us = time_us + g_rand_int_range (rand, 1, G_MAXINT32) * (gint64) 331;
          item->source_time_us = source_time_us;
        }
      switch (g_rand_int_range (rand, 0, 4))
        {
        case 0: break;
        case 1: fw_item_set_name (item, names[g_rand_int_range (rand, 0, 3)]); break;
        case 2:
          long_name = g_strnfill (300, '"');
          fw_item_set_name (item, long_name);
          break;
        default: fw_item_set_name (item, text); break;
        }
      if (g_rand_boolean (rand))
        fw_item_set_id (item, i % 3 == 0 ? "\x01id\"" : "12345678901234567");
      fw_item_set_level (item, g_rand_int_range (rand, FW_LEVEL_NONE, FW_N_LEVELS));
      if (g_rand_boolean (rand))
        fw_item_set_value (item, i % 5 == 0 ? NAN : g_rand_double_range (rand, -1e20, 1e20));
      if (g_rand_boolean (rand))
        fw_item_set_unit (item, i % 2 ? "°C" : "\\u");
      if (g_rand_int_range (rand, 0, 4) == 0)
        fw_item_add_flags (item, FW_ITEM_FLAG_TRUNCATED);
      if (g_rand_int_range (rand, 0, 4) == 0)
        fw_item_add_flags (item, FW_ITEM_FLAG_STDERR);

      before = out->len;
      fw_item_append_json (item, out);
      expected = reference_json (item);
      g_assert_cmpstr (out->str + before, ==, expected);
      if (out->len > 1024 * 1024)
        g_string_truncate (out, 0);
      fw_item_unref (item);
      g_ref_string_release (feed);
    }
}

/* The JSON writer spells each kind as fw_item_kind_to_string() does, the kinds added last too */
static void
test_every_kind_json (void)
{
  g_autoptr(GRefString) feed = fw_ref_string_intern ("test");

  for (int kind = FW_ITEM_LINE; kind <= FW_ITEM_ALERT; kind++)
    {
      g_autoptr(FwItem) item = fw_item_new (kind, feed, 0, "x", 1);
      g_autoptr(GString) out = g_string_new (NULL);
      g_autofree char *expected = g_strdup_printf ("\"kind\":\"%s\"",
                                                   fw_item_kind_to_string (kind));

      g_assert_cmpstr (fw_item_kind_to_string (kind), !=, "unknown");
      fw_item_append_json (item, out);
      g_assert_nonnull (strstr (out->str, expected));
    }
}

/* Items named alike, made and freed on two threads at once: GLib 2.74's interning handed one of
 * them a name being freed now and then (a critical, then a use-after-free). */
static gpointer
name_churn (gpointer data)
{
  const char *names[] = { "alpha", "beta", "gamma", "delta" };
  guint offset = GPOINTER_TO_UINT (data);

  for (guint i = 0; i < 100000; i++)
    {
      FwItem *item = fw_item_new (FW_ITEM_EVENT, NULL, 0, "x", 1);

      fw_item_set_name (item, names[(i + offset) % G_N_ELEMENTS (names)]);
      fw_item_unref (item);
    }
  return NULL;
}

static void
test_names_across_threads (void)
{
  GThread *a = g_thread_new ("churn-a", name_churn, GUINT_TO_POINTER (0));
  GThread *b = g_thread_new ("churn-b", name_churn, GUINT_TO_POINTER (2));
  g_autoptr(GRefString) alpha = NULL;
  g_autoptr(GRefString) again = NULL;

  g_thread_join (a);
  g_thread_join (b);

  /* Shared: one copy per text, kept after every user has let go */
  alpha = fw_ref_string_intern ("alpha");
  again = fw_ref_string_intern ("alpha");
  g_assert_true (alpha == again);
  g_assert_cmpstr (alpha, ==, "alpha");
}

/* A name too long to share is still a name of its own */
static void
test_long_name_not_shared (void)
{
  g_autofree char *text = g_strnfill (4096, 'n');
  g_autoptr(GRefString) a = fw_ref_string_intern (text);
  g_autoptr(GRefString) b = fw_ref_string_intern (text);

  g_assert_true (a != b);
  g_assert_cmpstr (a, ==, text);
  g_assert_cmpstr (b, ==, text);
  g_assert_cmpuint (g_ref_string_length (a), ==, 4096);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/item/long-text-json", test_long_text_json);
  g_test_add_func ("/item/every-kind-json", test_every_kind_json);
  g_test_add_func ("/item/line-json", test_line_json);
  g_test_add_func ("/item/fields-json", test_fields_json);
  g_test_add_func ("/item/nul-and-controls", test_nul_and_controls);
  g_test_add_func ("/item/reading-json", test_reading_json);
  g_test_add_func ("/item/refcount-and-flags", test_refcount_and_flags);
  g_test_add_func ("/item/block", test_block);
  g_test_add_func ("/item/repeated-strings-json", test_repeated_strings_json);
  g_test_add_func ("/item/block-lifetime", test_block_lifetime);
  g_test_add_func ("/item/unref-many", test_unref_many);
  g_test_add_func ("/item/block-names", test_block_names);
  g_test_add_func ("/item/levels", test_levels);
  g_test_add_func ("/item/rfc3339", test_rfc3339);
  g_test_add_func ("/item/json-escape-every-byte", test_json_escape_every_byte);
  g_test_add_func ("/item/json-records", test_json_records);
  g_test_add_func ("/item/names-across-threads", test_names_across_threads);
  g_test_add_func ("/item/long-name-not-shared", test_long_name_not_shared);

  return g_test_run ();
}
