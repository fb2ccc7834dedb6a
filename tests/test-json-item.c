/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-json-item.c: one JSON line to an item (level, message, fields), and that no input,
 * however broken, hurts the parser. */

#include "fw-test-util.h"

#include "sources/fw-json-item.h"
#include "fuzz/fuzz-json-oracle.h"

#include <string.h>

static GRefString *feed;

static FwItem *
parse (const char *line,
       gboolean   *invalid)
{
  return fw_json_item_parse (feed, 1, line, strlen (line), invalid);
}

static void
test_level_and_message (void)
{
  gboolean invalid = TRUE;
  g_autoptr(FwItem) item = parse ("{\"level\":\"WARN\",\"msg\":\"disk low\",\"free\":12,\"ok\":false,"
                                  "\"ratio\":0.5,\"nested\":{\"a\":1},\"list\":[1,2],\"none\":null}",
                                  &invalid);
  g_autoptr(GVariant) v = NULL;

  g_assert_false (invalid);
  g_assert_cmpint (item->kind, ==, FW_ITEM_MESSAGE);
  g_assert_cmpint (item->level, ==, FW_LEVEL_WARNING);
  g_assert_cmpstr (item->text, ==, "disk low");
  g_assert_nonnull (item->fields);
  g_assert_true (g_variant_is_of_type (item->fields, G_VARIANT_TYPE_VARDICT));
  /* Top-level members; an object or a list as its JSON text; null is left out. */
  g_assert_cmpuint (g_variant_n_children (item->fields), ==, 7);
  v = g_variant_lookup_value (item->fields, "free", G_VARIANT_TYPE_INT64);
  g_assert_cmpint (g_variant_get_int64 (v), ==, 12);
  g_clear_pointer (&v, g_variant_unref);
  v = g_variant_lookup_value (item->fields, "ok", G_VARIANT_TYPE_BOOLEAN);
  g_assert_false (g_variant_get_boolean (v));
  g_clear_pointer (&v, g_variant_unref);
  v = g_variant_lookup_value (item->fields, "ratio", G_VARIANT_TYPE_DOUBLE);
  g_assert_cmpfloat (g_variant_get_double (v), ==, 0.5);
  g_clear_pointer (&v, g_variant_unref);
  v = g_variant_lookup_value (item->fields, "nested", G_VARIANT_TYPE_STRING);
  g_assert_cmpstr (g_variant_get_string (v, NULL), ==, "{\"a\":1}");
  g_clear_pointer (&v, g_variant_unref);
  v = g_variant_lookup_value (item->fields, "list", G_VARIANT_TYPE_STRING);
  g_assert_cmpstr (g_variant_get_string (v, NULL), ==, "[1,2]");
  g_assert_false (g_variant_lookup (item->fields, "none", "*", NULL));
}

static void
test_common_keys (void)
{
  static const struct { const char *line; FwLevel level; const char *text; } cases[] = {
    /* systemd-journal-gatewayd */
    { "{\"PRIORITY\":\"3\",\"MESSAGE\":\"failed to start\",\"_PID\":\"1\"}", FW_LEVEL_ERROR, "failed to start" },
    { "{\"priority\":6,\"message\":\"started\"}", FW_LEVEL_INFO, "started" },
    /* Bunyan / pino */
    { "{\"level\":50,\"msg\":\"boom\"}", FW_LEVEL_ERROR, "boom" },
    { "{\"level\":30,\"msg\":\"hi\"}", FW_LEVEL_INFO, "hi" },
    { "{\"severity\":\"critical\",\"text\":\"t\"}", FW_LEVEL_CRITICAL, "t" },
    { "{\"lvl\":\"dbg\",\"log\":\"l\"}", FW_LEVEL_DEBUG, "l" },
    { "{\"level\":\"nonsense\",\"message\":\"m\"}", FW_LEVEL_NONE, "m" },
    /* No message key: the raw line */
    { "{\"a\":1}", FW_LEVEL_NONE, "{\"a\":1}" },
    /* A message that is not a string: the raw line */
    { "{\"msg\":5}", FW_LEVEL_NONE, "{\"msg\":5}" },
    { "[1,2,3]", FW_LEVEL_NONE, "[1,2,3]" },
    { "42", FW_LEVEL_NONE, "42" },
    { "\"just a string\"", FW_LEVEL_NONE, "\"just a string\"" },
    /* CRLF line ends */
    { "{\"msg\":\"crlf\"}\r", FW_LEVEL_NONE, "crlf" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean invalid = TRUE;
      g_autoptr(FwItem) item = parse (cases[i].line, &invalid);

      g_test_message ("%s", cases[i].line);
      g_assert_false (invalid);
      g_assert_cmpint (item->kind, ==, FW_ITEM_MESSAGE);
      g_assert_cmpint (item->level, ==, cases[i].level);
      g_assert_cmpstr (item->text, ==, cases[i].text);
    }
}

static void
test_kubernetes_type (void)
{
  g_autoptr(FwItem) item = parse ("{\"type\":\"ADDED\",\"object\":{\"kind\":\"Pod\"}}", NULL);

  g_assert_cmpstr (item->name, ==, "ADDED");
  g_assert_cmpstr (item->text, ==, "{\"type\":\"ADDED\",\"object\":{\"kind\":\"Pod\"}}");
}

/* The time a record says it was written, in the forms logs use; the field stays a field */
static void
test_source_time (void)
{
  static const struct { const char *json; gint64 expected_s; gint64 expected_frac_us; } cases[] = {
    { "{\"time\":\"2026-12-06T06:44:01.250Z\",\"msg\":\"a\"}", 1796539441, 250000 },
    { "{\"@timestamp\":\"2026-12-06T07:44:01+01:00\",\"message\":\"b\"}", 1796539441, 0 },
    { "{\"ts\":1796539441.5,\"msg\":\"zap, seconds\"}", 1796539441, 500000 },
    { "{\"timestamp\":1796539441250,\"msg\":\"milliseconds\"}", 1796539441, 250000 },
    { "{\"Time\":1796539441000000,\"msg\":\"microseconds\"}", 1796539441, 0 },
    { "{\"ts\":1796539441000000000,\"msg\":\"nanoseconds\"}", 1796539441, 0 },
    /* not times: kept as fields, no source time */
    { "{\"time\":\"soon\",\"msg\":\"c\"}", 0, 0 },
    { "{\"time\":-5,\"msg\":\"d\"}", 0, 0 },
    { "{\"time\":true,\"msg\":\"e\"}", 0, 0 },
    { "{\"msg\":\"no time\"}", 0, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(FwItem) item = parse (cases[i].json, NULL);

      g_test_message ("%s", cases[i].json);
      g_assert_cmpint (item->source_time_us, ==,
                       cases[i].expected_s * G_USEC_PER_SEC + cases[i].expected_frac_us);
      g_assert_nonnull (item->fields);
    }
}

static void
test_invalid_lines (void)
{
  static const char * const lines[] = {
    "not json", "{\"a\":", "{\"a\":1}}", "[1,2", "nul",
  };

  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      gboolean invalid = FALSE;
      g_autoptr(FwItem) item = parse (lines[i], &invalid);

      g_test_message ("%s", lines[i]);
      g_assert_true (invalid);
      g_assert_cmpint (item->kind, ==, FW_ITEM_LINE);
      g_assert_cmpstr (item->text, ==, lines[i]);
      g_assert_null (item->fields);
    }
}

/* json-glib 1.6 parses an object or array after a complete value, leaks it and accepts the
 * line: such a line is text, whole; one value with a byte order mark is still JSON. */
static void
test_one_value (void)
{
  static const char * const lines[] = {
    "2{\"msg\":\"lost\"}", "{\"msg\":\"a\"}{\"msg\":\"b\"}", "\"x\" [1]", "[1] [2]",
    "{\"msg\":\"a\"} 5",
  };
  gboolean invalid = TRUE;
  g_autoptr(FwItem) bom = parse ("\xef\xbb\xbf{\"msg\":\"marked\"}", &invalid);

  g_assert_false (invalid);
  g_assert_cmpint (bom->kind, ==, FW_ITEM_MESSAGE);
  g_assert_cmpstr (bom->text, ==, "marked");

  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      g_autoptr(FwItem) item = parse (lines[i], &invalid);

      g_test_message ("%s", lines[i]);
      g_assert_true (invalid);
      g_assert_cmpint (item->kind, ==, FW_ITEM_LINE);
      g_assert_cmpstr (item->text, ==, lines[i]);
    }
}

static void
test_blank_lines (void)
{
  gboolean invalid = TRUE;

  g_assert_null (parse ("", &invalid));
  g_assert_false (invalid);
  g_assert_null (parse ("  \t\r", &invalid));
  g_assert_false (invalid);
}

static void
test_invalid_utf8 (void)
{
  const char line[] = "{\"msg\":\"\xff\xfe\"}";
  gboolean invalid = FALSE;
  g_autoptr(FwItem) item = fw_json_item_parse (feed, 1, line, sizeof line - 1, &invalid);

  g_assert_true (invalid);
  g_assert_true (g_utf8_validate (item->text, item->text_len, NULL));
}

/* json-glib 1.6 reads past a lone surrogate escape (the X of "A\ud800XYZ", a closing quote)
 * and puts invalid UTF-8 in the string; such escapes read as U+FFFD instead. */
static void
test_lone_surrogates (void)
{
  static const struct { const char *line; const char *text; } cases[] = {
    { "{\"msg\":\"A\\ud800XYZ\"}", "A\uFFFDXYZ" },
    { "{\"msg\":\"\\udc00X\"}", "\uFFFDX" },
    { "{\"msg\":\"\\uD800x\"}", "\uFFFDx" },
    { "{\"msg\":\"x\\ud800\"}", "x\uFFFD" },
    { "{\"msg\":\"\\ud800\\u0041BC\"}", "\uFFFDABC" },
    { "{\"msg\":\"\\ud800\\ud800X\"}", "\uFFFD\uFFFDX" },
    { "{\"msg\":\"\\udc00\\udc00\"}", "\uFFFD\uFFFD" },
    { "{\"msg\":\"A\\ud800\\\\nBC\"}", "A\uFFFD\\nBC" },
    /* a pair is one character; an escaped backslash is no escape */
    { "{\"msg\":\"\\ud83d\\ude00 \\uD83D\\uDE00\"}", "\U0001F600 \U0001F600" },
    { "{\"msg\":\"\\\\ud800X\"}", "\\ud800X" },
    /* json-glib reads single-quoted strings without escapes: nothing to lose, nothing fixed */
    { "{'msg':'A\\ud800XYZ'}", "A\\ud800XYZ" },
    { "{'msg':'\\udc00X', \"b\":\"\\udc00X\"}", "\\udc00X" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean invalid = TRUE;
      g_autoptr(FwItem) item = parse (cases[i].line, &invalid);

      g_test_message ("%s", cases[i].line);
      g_assert_false (invalid);
      g_assert_cmpint (item->kind, ==, FW_ITEM_MESSAGE);
      g_assert_cmpstr (item->text, ==, cases[i].text);
    }

  /* In any field, and in a key */
  {
    gboolean invalid = TRUE;
    g_autoptr(FwItem) item = parse ("{\"t\":\"A\\ud800XYZ\",\"k\\udc00y\":1}", &invalid);
    const char *t = NULL;
    gint64 v = 0;

    g_assert_false (invalid);
    g_assert_true (g_variant_lookup (item->fields, "t", "&s", &t));
    g_assert_cmpstr (t, ==, "A\uFFFDXYZ");
    g_assert_true (g_variant_lookup (item->fields, "k\uFFFDy", "x", &v));
    g_assert_cmpint (v, ==, 1);
  }

  /* The fixed text is what the depth guard measures: brackets in a string are text. */
  {
    g_autoptr(GString) line = g_string_new ("[\"\\ud800\", \"");
    gboolean invalid = TRUE;
    g_autoptr(FwItem) item = NULL;

    for (guint i = 0; i < 1000; i++)
      g_string_append_c (line, '[');
    g_string_append (line, "\"]");
    item = parse (line->str, &invalid);
    g_assert_false (invalid);
    g_assert_true (fw_fuzz_json_guard_holds (line->str, line->len));
  }
}

static void
test_embedded_nul (void)
{
  const char line[] = "{\"msg\":\"a\"}\0{\"x\"";
  gboolean invalid = FALSE;
  g_autoptr(FwItem) item = fw_json_item_parse (feed, 1, line, sizeof line - 1, &invalid);

  g_assert_true (invalid);
  g_assert_true (g_utf8_validate (item->text, item->text_len, NULL));
}

static void
test_deep_nesting (void)
{
  gsize n = 1 << 20;
  g_autofree char *deep = g_malloc (n);
  gboolean invalid = FALSE;
  g_autoptr(FwItem) item = NULL;
  g_autoptr(FwItem) ok = NULL;
  GString *fine = g_string_new (NULL);

  /* A megabyte of '[' would overflow json-glib's recursive parser: refused before it. */
  memset (deep, '[', n);
  item = fw_json_item_parse (feed, 1, deep, n, &invalid);
  g_assert_true (invalid);
  g_assert_cmpuint (item->text_len, ==, n);

  /* Brackets inside strings do not count, and nesting up to the cap is fine. */
  for (guint i = 0; i < FW_JSON_ITEM_MAX_DEPTH - 1; i++)
    g_string_append (fine, "{\"k\":");
  g_string_append (fine, "\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\\"[[\"");
  for (guint i = 0; i < FW_JSON_ITEM_MAX_DEPTH - 1; i++)
    g_string_append_c (fine, '}');
  ok = fw_json_item_parse (feed, 1, fine->str, fine->len, &invalid);
  g_assert_false (invalid);
  g_assert_cmpint (ok->kind, ==, FW_ITEM_MESSAGE);
  g_string_free (fine, TRUE);
}

/* Wraps 100,000 levels of brackets in @prefix and @suffix. */
static GString *
deep_between (const char *prefix,
              const char *suffix)
{
  GString *text = g_string_new (prefix);

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (text, ']');
  g_string_append (text, suffix);
  return text;
}

/* json-glib 1.6's scanner takes more than JSON (strings in single quotes, comments from a '/'
 * to the next) and its escapes can swallow a closing quote: brackets that look quoted to a JSON
 * reader are still parsed, recursively. Each of these overflowed the stack. */
static void
test_deep_nesting_scanner_syntax (void)
{
  static const struct { const char *prefix, *suffix; gboolean fixed; } cases[] = {
    { "['\"', ", "]" },                 /* the single-quoted string holds a double quote */
    { "['\\\"', ", "]" },               /* no escapes in single quotes */
    /* a lone surrogate swallows its closing quote; read as U+FFFD, the text is JSON */
    { "[\"\\ud800\", \"", "\"]", TRUE },
    { "[\"\\u12\", \"", "\"]" },        /* so does a short \u escape */
    { "[/ \" /", "]" },                 /* a comment */
    { "[/* \" */", "]" },               /* the same, as C writes it */
    { "[\"\\\"\", ", "]" },             /* an escaped quote */
    { "[\"\\\\\", ", "]" },             /* an escaped backslash */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GString *text = deep_between (cases[i].prefix, cases[i].suffix);
      gboolean invalid = FALSE;
      g_autoptr(FwItem) item = NULL;

      g_test_message ("case %u: %s…", i, cases[i].prefix);
      g_assert_false (fw_json_check_shape (text->str, text->len, FW_JSON_ITEM_MAX_DEPTH));
      item = fw_json_item_parse (feed, 1, text->str, text->len, &invalid);
      g_assert_true (invalid != cases[i].fixed);
      g_assert_cmpint (item->kind, ==, cases[i].fixed ? FW_ITEM_MESSAGE : FW_ITEM_LINE);
      if (!cases[i].fixed)
        g_assert_cmpuint (item->text_len, ==, text->len);
      g_string_free (text, TRUE);
    }
}

/* What the scanner accepts beyond JSON is still read right: brackets inside single quotes or
 * comments do not count, and a comment after the value is no second value. */
static void
test_scanner_syntax_accepted (void)
{
  static const struct { const char *line, *message; } cases[] = {
    { "{\"msg\":'a [ { \" b'}", "a [ { \" b" },
    { "{\"msg\":\"it's [\"}", "it's [" },
    { "{\"msg\":\"c\"} /* and [ { */", "c" },
    { "/ [ { /{\"msg\":\"d\"}", "d" },
  };
  GString *deep = g_string_new (NULL);
  gboolean invalid;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(FwItem) item = NULL;

      g_test_message ("case %u: %s", i, cases[i].line);
      invalid = TRUE;
      item = parse (cases[i].line, &invalid);
      g_assert_false (invalid);
      g_assert_cmpint (item->kind, ==, FW_ITEM_MESSAGE);
      g_assert_cmpstr (item->text, ==, cases[i].message);
    }

  /* Nesting up to the cap, around strings of either kind holding the other quote. */
  for (guint i = 0; i < FW_JSON_ITEM_MAX_DEPTH - 1; i++)
    g_string_append (deep, "{\"k\":");
  g_string_append (deep, "['\"[[', \"'[[\"]");
  for (guint i = 0; i < FW_JSON_ITEM_MAX_DEPTH - 1; i++)
    g_string_append_c (deep, '}');
  g_assert_true (fw_json_check_shape (deep->str, deep->len, FW_JSON_ITEM_MAX_DEPTH));
  g_string_prepend (deep, "{\"k\":");
  g_string_append_c (deep, '}');
  g_assert_false (fw_json_check_shape (deep->str, deep->len, FW_JSON_ITEM_MAX_DEPTH));
  g_string_free (deep, TRUE);
}

static void
test_bounded_fields (void)
{
  GString *line = g_string_new ("{");
  g_autofree char *long_value = g_strnfill (5000, 'x');
  g_autoptr(FwItem) item = NULL;
  g_autoptr(GVariant) v = NULL;

  g_string_append_printf (line, "\"long\":\"%s\"", long_value);
  for (guint i = 0; i < 500; i++)
    g_string_append_printf (line, ",\"k%u\":%u", i, i);
  g_string_append_c (line, '}');

  item = fw_json_item_parse (feed, 1, line->str, line->len, NULL);
  g_assert_cmpuint (g_variant_n_children (item->fields), ==, FW_JSON_ITEM_MAX_FIELDS);
  v = g_variant_lookup_value (item->fields, "long", G_VARIANT_TYPE_STRING);
  g_assert_cmpuint (strlen (g_variant_get_string (v, NULL)), ==, FW_JSON_ITEM_MAX_FIELD_BYTES);
  g_string_free (line, TRUE);
}

static void
test_lookup_path (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  g_autofree char *next = NULL;
  g_autofree char *id = NULL;

  g_assert_true (json_parser_load_from_data (parser,
      "{\"links\":{\"next\":\"/p2\"},\"id\":7,\"results\":[1]}", -1, NULL));
  root = json_parser_get_root (parser);
  next = fw_json_node_dup_scalar (fw_json_lookup_path (root, "links.next"));
  g_assert_cmpstr (next, ==, "/p2");
  id = fw_json_node_dup_scalar (fw_json_lookup_path (root, "id"));
  g_assert_cmpstr (id, ==, "7");
  g_assert_null (fw_json_lookup_path (root, "links.prev"));
  g_assert_null (fw_json_lookup_path (root, "id.x"));
  g_assert_true (JSON_NODE_HOLDS_ARRAY (fw_json_lookup_path (root, "results")));
  g_assert_null (fw_json_node_dup_scalar (fw_json_lookup_path (root, "results")));
}

/* A small deterministic fuzzer: mutations of valid lines must give an item (or NULL for a
 * blank line) with valid UTF-8 text, and never crash (the ASan build checks the rest). */
#define DEEP7_OPEN "[[[[[[["
#define DEEP63_OPEN DEEP7_OPEN DEEP7_OPEN DEEP7_OPEN DEEP7_OPEN DEEP7_OPEN DEEP7_OPEN DEEP7_OPEN \
  DEEP7_OPEN DEEP7_OPEN
#define DEEP7_CLOSE "]]]]]]]"
#define DEEP63_CLOSE DEEP7_CLOSE DEEP7_CLOSE DEEP7_CLOSE DEEP7_CLOSE DEEP7_CLOSE DEEP7_CLOSE \
  DEEP7_CLOSE DEEP7_CLOSE DEEP7_CLOSE

static void
test_fuzz (void)
{
  static const char * const seeds[] = {
    "{\"level\":\"error\",\"msg\":\"x\",\"n\":1.5e3,\"b\":true,\"s\":\"\\u00e9\\n\"}",
    "[{\"a\":[1,{\"b\":null}]},\"\\\"\",-0.0]",
    "{\"MESSAGE\":\"journal\",\"PRIORITY\":\"4\",\"__CURSOR\":\"s=abc\"}",
    /* at the depth cap, with the scanner's own syntax: one bracket too many must be caught */
    DEEP63_OPEN "['a\"', \"b'\", / c\" / \"\\ud800\\udc00\", \"\\u12x\"]" DEEP63_CLOSE,
  };
  static const char alphabet[] = "{}[]\",:\\0123456789.eE+-truefalsnl \t\xc3\xa9\xff'/u*";
  GRand *rand = g_rand_new_with_seed (1234);
  guint n_invalid = 0;

  for (guint i = 0; i < 20000; i++)
    {
      const char *seed = seeds[i % G_N_ELEMENTS (seeds)];
      g_autoptr(GString) s = g_string_new (seed);
      guint n_mut = g_rand_int_range (rand, 1, 6);
      gboolean invalid = FALSE;
      FwItem *item;

      for (guint m = 0; m < n_mut; m++)
        {
          guint pos = g_rand_int_range (rand, 0, s->len + 1);
          char c = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];

          switch (g_rand_int_range (rand, 0, 3))
            {
            case 0: g_string_insert_c (s, pos, c); break;
            case 1: if (pos < s->len) g_string_erase (s, pos, 1); break;
            default: if (pos < s->len) s->str[pos] = c; break;
            }
        }

      g_assert_true (fw_fuzz_json_guard_holds (s->str, s->len));
      item = fw_json_item_parse (feed, 1, s->str, s->len, &invalid);
      if (item == NULL)
        continue;
      n_invalid += invalid;
      g_assert_true (g_utf8_validate (item->text, item->text_len, NULL));
      g_assert_true (item->fields == NULL ||
                     g_variant_n_children (item->fields) <= FW_JSON_ITEM_MAX_FIELDS);
      fw_item_unref (item);
    }

  g_test_message ("fuzz: %u of 20000 mutated lines were invalid", n_invalid);
  g_assert_cmpuint (n_invalid, >, 0);
  g_rand_free (rand);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  feed = fw_ref_string_intern ("ndjson:test");

  g_test_add_func ("/json-item/level-and-message", test_level_and_message);
  g_test_add_func ("/json-item/common-keys", test_common_keys);
  g_test_add_func ("/json-item/kubernetes-type", test_kubernetes_type);
  g_test_add_func ("/json-item/source-time", test_source_time);
  g_test_add_func ("/json-item/invalid-lines", test_invalid_lines);
  g_test_add_func ("/json-item/one-value", test_one_value);
  g_test_add_func ("/json-item/blank-lines", test_blank_lines);
  g_test_add_func ("/json-item/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/json-item/embedded-nul", test_embedded_nul);
  g_test_add_func ("/json-item/lone-surrogates", test_lone_surrogates);
  g_test_add_func ("/json-item/deep-nesting", test_deep_nesting);
  g_test_add_func ("/json-item/deep-nesting-scanner-syntax", test_deep_nesting_scanner_syntax);
  g_test_add_func ("/json-item/scanner-syntax-accepted", test_scanner_syntax_accepted);
  g_test_add_func ("/json-item/bounded-fields", test_bounded_fields);
  g_test_add_func ("/json-item/lookup-path", test_lookup_path);
  g_test_add_func ("/json-item/fuzz", test_fuzz);

  ret = g_test_run ();
  g_ref_string_release (feed);
  return ret;
}
