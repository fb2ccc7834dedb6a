/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sse-parser.c: the SSE parser alone: the conformance vectors in data/ (whole, byte by
 * byte, in their chunks, and in random chunks), then the cases the vectors do not reach:
 * the size cap, memory bounds, reconnection state. */

#include "fw-sse-parser.h"

#include <json-glib/json-glib.h>
#include <string.h>

typedef struct
{
  char   *type;
  GBytes *data;
  char   *text;            /* the data again, NUL-terminated, for string comparisons */
  char   *last_event_id;
} Event;

static void
event_free (gpointer p)
{
  Event *event = p;

  g_free (event->type);
  g_bytes_unref (event->data);
  g_free (event->text);
  g_free (event->last_event_id);
  g_free (event);
}

static void
collect_event (const FwSseEvent *sse,
               gpointer          user_data)
{
  GPtrArray *events = user_data;
  Event *event = g_new0 (Event, 1);

  /* The data is valid UTF-8 and NUL-terminated at its length. */
  g_assert_true (g_utf8_validate_len (sse->data, sse->data_len, NULL) ||
                 memchr (sse->data, '\0', sse->data_len) != NULL);
  g_assert_cmpint (sse->data[sse->data_len], ==, '\0');
  g_assert_true (g_utf8_validate (sse->type, -1, NULL));
  g_assert_cmpint (sse->type_is_default, ==, g_str_equal (sse->type, "message"));

  event->type = g_strdup (sse->type);
  event->data = g_bytes_new (sse->data, sse->data_len);
  event->text = g_strndup (sse->data, sse->data_len);
  event->last_event_id = g_strdup (sse->last_event_id);
  g_ptr_array_add (events, event);
}

/* The ways to cut one input into chunks. */
typedef enum
{
  SPLIT_WHOLE,
  SPLIT_BYTES,
  SPLIT_GIVEN,
  SPLIT_RANDOM,
} Split;

static GPtrArray *
parse_split (const guint8 *input,
             gsize         len,
             Split         split,
             JsonArray    *chunks,
             GRand        *rand,
             gboolean     *out_has_retry,
             guint64      *out_retry)
{
  g_autoptr(FwSseParser) parser = fw_sse_parser_new (0);
  GPtrArray *events = g_ptr_array_new_with_free_func (event_free);
  gsize offset = 0;

  switch (split)
    {
    case SPLIT_WHOLE:
      fw_sse_parser_feed (parser, input, len, collect_event, events);
      break;

    case SPLIT_BYTES:
      for (gsize i = 0; i < len; i++)
        fw_sse_parser_feed (parser, input + i, 1, collect_event, events);
      break;

    case SPLIT_GIVEN:
      for (guint i = 0; i < json_array_get_length (chunks); i++)
        {
          gsize n = json_array_get_int_element (chunks, i);

          g_assert_cmpuint (offset + n, <=, len);
          fw_sse_parser_feed (parser, input + offset, n, collect_event, events);
          offset += n;
        }
      fw_sse_parser_feed (parser, input + offset, len - offset, collect_event, events);
      break;

    case SPLIT_RANDOM:
      while (offset < len)
        {
          gsize want = g_rand_int_range (rand, 1, 9);
          gsize n = MIN (len - offset, want);

          fw_sse_parser_feed (parser, input + offset, n, collect_event, events);
          offset += n;
        }
      break;

    default:
      g_assert_not_reached ();
    }

  fw_sse_parser_end (parser);
  *out_has_retry = fw_sse_parser_get_retry (parser, out_retry);
  return events;
}

static void
check_vector (JsonObject *vector)
{
  const char *name = json_object_get_string_member (vector, "name");
  gsize len;
  g_autofree guint8 *input = g_base64_decode (json_object_get_string_member (vector,
                                                                              "input_b64"),
                                              &len);
  JsonArray *expected = json_object_get_array_member (vector, "events");
  JsonArray *chunks = json_object_has_member (vector, "chunks") ?
                      json_object_get_array_member (vector, "chunks") : NULL;
  JsonNode *retry_node = json_object_get_member (vector, "retry_ms");
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_str_hash (name));
  Split splits[] = { SPLIT_WHOLE, SPLIT_BYTES, SPLIT_GIVEN, SPLIT_RANDOM, SPLIT_RANDOM };
  static const char *split_names[] = { "whole", "bytes", "given chunks", "random chunks" };

  for (guint s = 0; s < G_N_ELEMENTS (splits); s++)
    {
      g_autoptr(GPtrArray) events = NULL;
      gboolean has_retry;
      guint64 retry = 0;

      if (splits[s] == SPLIT_GIVEN && chunks == NULL)
        continue;

      events = parse_split (input, len, splits[s], chunks, rand, &has_retry, &retry);
      if (events->len != json_array_get_length (expected))
        g_error ("vector %s (%s): %u events, expected %u", name, split_names[splits[s]],
                 events->len, json_array_get_length (expected));

      for (guint i = 0; i < events->len; i++)
        {
          Event *event = g_ptr_array_index (events, i);
          JsonObject *want = json_array_get_object_element (expected, i);
          gsize want_len;
          g_autofree guint8 *want_data =
            g_base64_decode (json_object_get_string_member (want, "data_b64"), &want_len);
          const char *want_type = json_object_has_member (want, "type") ?
                                  json_object_get_string_member (want, "type") : "message";
          g_autoptr(GBytes) want_bytes = g_bytes_new (want_data, want_len);

          if (!g_str_equal (event->type, want_type) ||
              !g_bytes_equal (event->data, want_bytes) ||
              !g_str_equal (event->last_event_id,
                            json_object_get_string_member (want, "last_event_id")))
            g_error ("vector %s (%s): event %u is type “%s” id “%s” data “%.*s”, expected "
                     "type “%s” id “%s” data “%s”", name, split_names[splits[s]], i,
                     event->type, event->last_event_id,
                     (int) g_bytes_get_size (event->data), event->text, want_type,
                     json_object_get_string_member (want, "last_event_id"),
                     json_object_get_string_member (want, "data"));
        }

      if (JSON_NODE_HOLDS_NULL (retry_node))
        {
          if (has_retry)
            g_error ("vector %s (%s): retry %" G_GUINT64_FORMAT ", expected none", name,
                     split_names[splits[s]], retry);
        }
      else if (!has_retry || retry != (guint64) json_node_get_int (retry_node))
        g_error ("vector %s (%s): retry %s, expected %" G_GINT64_FORMAT, name,
                 split_names[splits[s]], has_retry ? "set" : "unset",
                 json_node_get_int (retry_node));
    }
}

static void
test_sse_parser_conformance (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "sse-vectors.json", NULL);
  g_autoptr(JsonParser) json = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *vectors;

  /* The vectors are the point of this test: without them it fails, never skips. */
  json_parser_load_from_file (json, path, &error);
  g_assert_no_error (error);

  vectors = json_node_get_array (json_parser_get_root (json));
  g_assert_cmpuint (json_array_get_length (vectors), >, 0);
  for (guint i = 0; i < json_array_get_length (vectors); i++)
    check_vector (json_array_get_object_element (vectors, i));
  g_test_message ("%u conformance vectors passed", json_array_get_length (vectors));
}

static GPtrArray *
parse_text (FwSseParser *parser,
            const char  *text)
{
  GPtrArray *events = g_ptr_array_new_with_free_func (event_free);

  fw_sse_parser_feed (parser, (const guint8 *) text, strlen (text), collect_event, events);
  return events;
}

static const char *
event_data (GPtrArray *events,
            guint      i)
{
  Event *event = g_ptr_array_index (events, i);
  return event->text;
}

static void
test_sse_parser_basic_fields (void)
{
  g_autoptr(FwSseParser) parser = fw_sse_parser_new (0);
  g_autoptr(GPtrArray) events = parse_text (parser,
                                            ": comment\n"
                                            "event: add\ndata: 1\ndata\ndata:  2\nid: a\n\n"
                                            "data: x\n\n"
                                            "id\ndata: y\n\n");
  Event *e;

  g_assert_cmpuint (events->len, ==, 3);
  e = g_ptr_array_index (events, 0);
  g_assert_cmpstr (e->type, ==, "add");
  g_assert_cmpstr (event_data (events, 0), ==, "1\n\n 2");
  g_assert_cmpstr (e->last_event_id, ==, "a");
  e = g_ptr_array_index (events, 1);
  g_assert_cmpstr (e->type, ==, "message");
  g_assert_cmpstr (e->last_event_id, ==, "a");
  e = g_ptr_array_index (events, 2);
  g_assert_cmpstr (e->last_event_id, ==, "");
  g_assert_cmpstr (fw_sse_parser_get_last_event_id (parser), ==, "");
}

static void
test_sse_parser_invalid_utf8 (void)
{
  g_autoptr(FwSseParser) parser = fw_sse_parser_new (0);
  /* Lone continuation, truncated 3-byte sequence before ASCII, overlong, surrogate, F5. */
  g_autoptr(GPtrArray) events = parse_text (parser,
                                            "data: a\x80" "b\xE2\x82" "c\xC0\xAF" "d\xED\xA0\x80"
                                            "e\xF5\n\n");

  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (event_data (events, 0), ==,
                   "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\xEF\xBF\xBD\xEF\xBF\xBD"
                   "d\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" "e\xEF\xBF\xBD");
}

static void
test_sse_parser_retry (void)
{
  g_autoptr(FwSseParser) parser = fw_sse_parser_new (0);
  g_autoptr(GPtrArray) events = NULL;
  guint64 retry = 0;

  g_assert_false (fw_sse_parser_get_retry (parser, &retry));
  events = parse_text (parser, "retry: 1500\n\nretry: 12a\nretry: -1\nretry: 1.5\n");
  g_assert_true (fw_sse_parser_get_retry (parser, &retry));
  g_assert_cmpuint (retry, ==, 1500);
  g_clear_pointer (&events, g_ptr_array_unref);

  /* Too many digits saturates, it does not wrap around. */
  events = parse_text (parser, "retry: 99999999999999999999999999\n");
  g_assert_true (fw_sse_parser_get_retry (parser, &retry));
  g_assert_cmpuint (retry, ==, G_MAXUINT64);
}

static void
test_sse_parser_unfinished_event (void)
{
  g_autoptr(FwSseParser) parser = fw_sse_parser_new (0);
  g_autoptr(GPtrArray) events = parse_text (parser, "id: 1\ndata: a\n\nid: 2\ndata: half");

  g_assert_cmpuint (events->len, ==, 1);
  /* The unfinished event's id was never dispatched: a reconnect resumes after 1. */
  g_assert_true (fw_sse_parser_end (parser));
  g_assert_cmpstr (fw_sse_parser_get_last_event_id (parser), ==, "1");
  g_assert_false (fw_sse_parser_end (parser));

  /* The next connection starts clean: no BOM yet seen, no half line. */
  g_clear_pointer (&events, g_ptr_array_unref);
  events = parse_text (parser, "\xEF\xBB\xBF" "data: b\n\n");
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (event_data (events, 0), ==, "b");
  g_assert_cmpstr (((Event *) g_ptr_array_index (events, 0))->last_event_id, ==, "1");
}

static void
test_sse_parser_initial_last_event_id (void)
{
  g_autoptr(FwSseParser) parser = fw_sse_parser_new (0);
  g_autoptr(GPtrArray) events = NULL;

  fw_sse_parser_set_last_event_id (parser, "41");
  events = parse_text (parser, "data: a\n\nid: 42\n\n");
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (((Event *) g_ptr_array_index (events, 0))->last_event_id, ==, "41");
  /* An id-only block updates the last event ID without dispatching (step 1 of dispatch). */
  g_assert_cmpstr (fw_sse_parser_get_last_event_id (parser), ==, "42");
}

static void
test_sse_parser_size_cap (void)
{
  g_autoptr(FwSseParser) parser = fw_sse_parser_new (100);
  g_autoptr(GString) big = g_string_new ("data: small\n\nid: 7\nevent: big\n");
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (event_free);
  Event *e;

  for (guint i = 0; i < 20; i++)
    g_string_append (big, "data: 0123456789\n");
  g_string_append (big, "id: 8\n\ndata: after\n\n");

  /* Whole, then byte by byte: the same result. */
  for (guint pass = 0; pass < 2; pass++)
    {
      g_ptr_array_set_size (events, 0);
      if (pass == 0)
        fw_sse_parser_feed (parser, (const guint8 *) big->str, big->len, collect_event, events);
      else
        for (gsize i = 0; i < big->len; i++)
          fw_sse_parser_feed (parser, (const guint8 *) big->str + i, 1, collect_event, events);

      g_assert_cmpuint (events->len, ==, 2);
      g_assert_cmpstr (event_data (events, 0), ==, "small");
      e = g_ptr_array_index (events, 1);
      g_assert_cmpstr (e->type, ==, "message");
      g_assert_cmpstr (event_data (events, 1), ==, "after");
      /* The dropped event's id still counts, so a reconnect does not fetch it again. */
      g_assert_cmpstr (e->last_event_id, ==, "8");
      g_assert_cmpuint (fw_sse_parser_get_dropped (parser), ==, pass + 1);
    }
}

static void
test_sse_parser_endless_line_is_bounded (void)
{
  gsize cap = 64 * 1024;
  g_autoptr(FwSseParser) parser = fw_sse_parser_new (cap);
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (event_free);
  g_autofree guint8 *block = g_malloc (4096);

  memset (block, 'x', 4096);
  fw_sse_parser_feed (parser, (const guint8 *) "data: ", 6, collect_event, events);
  /* 64 MiB of one line, no line end */
  for (guint i = 0; i < 16 * 1024; i++)
    {
      fw_sse_parser_feed (parser, block, 4096, collect_event, events);
      g_assert_cmpuint (fw_sse_parser_get_buffered (parser), <=, 4 * cap);
    }
  g_assert_cmpuint (fw_sse_parser_get_dropped (parser), ==, 1);
  fw_sse_parser_feed (parser, (const guint8 *) "\n\ndata: ok\n\n", 12, collect_event, events);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (event_data (events, 0), ==, "ok");
}

static void
test_sse_parser_cr_only_stream (void)
{
  g_autoptr(FwSseParser) parser = fw_sse_parser_new (0);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) events = NULL;

  for (guint i = 0; i < 10000; i++)
    g_string_append_printf (text, "data: %u\r\r", i);
  events = parse_text (parser, text->str);
  g_assert_cmpuint (events->len, ==, 10000);
  g_assert_cmpstr (event_data (events, 9999), ==, "9999");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sse-parser/conformance", test_sse_parser_conformance);
  g_test_add_func ("/sse-parser/basic-fields", test_sse_parser_basic_fields);
  g_test_add_func ("/sse-parser/invalid-utf8", test_sse_parser_invalid_utf8);
  g_test_add_func ("/sse-parser/retry", test_sse_parser_retry);
  g_test_add_func ("/sse-parser/unfinished-event", test_sse_parser_unfinished_event);
  g_test_add_func ("/sse-parser/initial-last-event-id", test_sse_parser_initial_last_event_id);
  g_test_add_func ("/sse-parser/size-cap", test_sse_parser_size_cap);
  g_test_add_func ("/sse-parser/endless-line", test_sse_parser_endless_line_is_bounded);
  g_test_add_func ("/sse-parser/cr-only", test_sse_parser_cr_only_stream);

  return g_test_run ();
}
