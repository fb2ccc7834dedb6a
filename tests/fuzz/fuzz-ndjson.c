/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-ndjson.c: libFuzzer target for the NDJSON source's handling of a response body: its
 * line splitting and cap, and fw_json_item_parse() on each line. The bytes go through the
 * source itself (fw_ndjson_source_new_for_response(), `--once`, a response of known length),
 * from a body stream that hands them out in reads the input chooses. Byte 0 is where the body
 * is cut in two reads (and seeds uneven reads), byte 1 sets max-line to 16 + b²/16 (16…4080:
 * small caps, so cut lines are common, and large ones); the rest is the body.
 *
 * Checked on every input: the items are the same whether the body comes in one read, cut in
 * two, or in uneven reads; they are exactly what the body's lines give, line by line (a line
 * over max-line becomes its first max-line bytes, made valid and flagged truncated; a blank
 * line nothing; any other fw_json_item_parse() of the line), none lost, reordered or made up;
 * the invalid and truncated counts match; the line buffer never exceeds max-line; every item's
 * text, name and fields are valid UTF-8 (U+0000 allowed in text) and the only status is
 * "connected"; a line that fw_json_check_shape() lets through never parses to a value nested
 * deeper than its cap. test-fuzz-corpus replays the corpus through this function in every build. */

#include "fw-ndjson-source.h"
#include "fw-json-item.h"
#include "fuzz-json-oracle.h"
#include "fuzz-oracle.h"

#include <string.h>

#ifndef FW_FUZZ_ENTRY
#define FW_FUZZ_ENTRY LLVMFuzzerTestOneInput
#endif

#define FEED_URL "http://127.0.0.1:9/fuzz"

/* ---------------------------------------------------------------------------------------- */
/* A response body that hands its bytes out in the reads it is told to */

#define FW_TYPE_FUZZ_BODY (fw_fuzz_body_get_type ())
G_DECLARE_FINAL_TYPE (FwFuzzBody, fw_fuzz_body, FW, FUZZ_BODY, GInputStream)

struct _FwFuzzBody
{
  GInputStream  parent_instance;
  const guint8 *data;
  gsize         size;
  gsize         offset;
  gsize         cut;        /* no read crosses it */
  guint         max_read;   /* 0: no limit; else reads of 1…max_read bytes */
  guint32       state;
};

static void fw_fuzz_body_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FwFuzzBody, fw_fuzz_body, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      fw_fuzz_body_pollable_init))

static gssize
fw_fuzz_body_read_nonblocking (GPollableInputStream  *stream,
                               void                  *buffer,
                               gsize                  count,
                               GError               **error)
{
  FwFuzzBody *self = FW_FUZZ_BODY (stream);
  gsize n = MIN (count, self->size - self->offset);

  if (self->offset < self->cut)
    n = MIN (n, self->cut - self->offset);
  if (self->max_read > 0)
    {
      self->state = self->state * 1103515245u + 12345u;
      n = MIN (n, 1 + (self->state >> 16) % self->max_read);
    }
  memcpy (buffer, self->data + self->offset, n);
  self->offset += n;

  return (gssize) n;
}

static gssize
fw_fuzz_body_read (GInputStream  *stream,
                   void          *buffer,
                   gsize          count,
                   GCancellable  *cancellable,
                   GError       **error)
{
  return fw_fuzz_body_read_nonblocking (G_POLLABLE_INPUT_STREAM (stream), buffer, count, error);
}

static gboolean
fw_fuzz_body_is_readable (GPollableInputStream *stream)
{
  return TRUE;
}

static GSource *
fw_fuzz_body_create_source (GPollableInputStream *stream,
                            GCancellable         *cancellable)
{
  /* Never waited on: the body is always readable. */
  return g_pollable_source_new (G_OBJECT (stream));
}

static void
fw_fuzz_body_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->is_readable = fw_fuzz_body_is_readable;
  iface->create_source = fw_fuzz_body_create_source;
  iface->read_nonblocking = fw_fuzz_body_read_nonblocking;
}

static void
fw_fuzz_body_class_init (FwFuzzBodyClass *klass)
{
  G_INPUT_STREAM_CLASS (klass)->read_fn = fw_fuzz_body_read;
}

static void
fw_fuzz_body_init (FwFuzzBody *self)
{
}

/* ---------------------------------------------------------------------------------------- */
/* Items, as text to compare */

static void
append_item (GString      *log,
             const FwItem *item)
{
  if (!fw_fuzz_is_utf8_with_nul (item->text, item->text_len) ||
      item->text[item->text_len] != '\0')
    g_error ("item text is not valid UTF-8 of its length");
  if (item->name != NULL && !g_utf8_validate (item->name, -1, NULL))
    g_error ("item name is not valid UTF-8");
  if (item->fields != NULL && !g_variant_is_of_type (item->fields, G_VARIANT_TYPE ("a{sv}")))
    g_error ("item fields are not a{sv}");

  g_string_append_printf (log, "%s %s %x name=%s fields=", fw_item_kind_to_string (item->kind),
                          fw_level_to_string (item->level), item->flags,
                          item->name != NULL ? item->name : "-");
  if (item->fields != NULL)
    {
      g_autofree char *fields = g_variant_print (item->fields, FALSE);
      g_string_append (log, fields);
    }
  g_string_append_printf (log, " text[%zu]=", item->text_len);
  g_string_append_len (log, item->text, item->text_len);
  g_string_append_c (log, '\n');
}

/* ---------------------------------------------------------------------------------------- */
/* The source, driven to its end */

typedef struct
{
  GPtrArray *batch;
  GError    *error;
  gboolean   done;
} Pull;

static void
on_batch (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Pull *pull = user_data;

  pull->batch = fw_stream_next_batch_finish (FW_STREAM (source), result, &pull->error);
  pull->done = TRUE;
}

static void
on_closed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;

  fw_stream_close_finish (FW_STREAM (source), result, NULL);
  *done = TRUE;
}

static SoupSession *
shared_session (void)
{
  static SoupSession *session;

  /* Never used to connect: the response is handed over already. */
  if (session == NULL)
    session = soup_session_new ();
  return session;
}

static char *
read_through_source (const FwFeedSpec *spec,
                     const guint8     *data,
                     gsize             size,
                     gsize             cut,
                     guint             max_read,
                     gsize             max_line,
                     guint            *out_n_invalid,
                     guint            *out_n_truncated)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", FEED_URL);
  g_autoptr(FwFuzzBody) body = g_object_new (FW_TYPE_FUZZ_BODY, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(FwStream) stream = NULL;
  GString *log = g_string_new (NULL);
  guint n_status = 0;
  gboolean closed = FALSE;

  /* A response of known length: its last line counts even without a newline. */
  soup_message_headers_set_content_length (soup_message_get_response_headers (msg), size);
  body->data = data;
  body->size = size;
  body->cut = cut;
  body->max_read = max_read;
  body->state = (guint32) cut * 2654435761u + 1;

  stream = fw_ndjson_source_new_for_response (spec, FW_FEED_OPEN_ONCE, shared_session (), msg,
                                              G_INPUT_STREAM (body), &error);
  if (stream == NULL)
    g_error ("cannot make the source: %s", error->message);

  for (;;)
    {
      Pull pull = { NULL, NULL, FALSE };
      guint n;

      fw_stream_next_batch_async (stream, 64, NULL, on_batch, &pull);
      while (!pull.done)
        g_main_context_iteration (NULL, TRUE);
      if (pull.error != NULL)
        g_error ("the source failed: %s", pull.error->message);

      if (fw_ndjson_source_get_pending_bytes (FW_NDJSON_SOURCE (stream)) > max_line)
        g_error ("the line buffer holds %zu bytes, over max-line %zu",
                 fw_ndjson_source_get_pending_bytes (FW_NDJSON_SOURCE (stream)), max_line);

      n = pull.batch->len;
      for (guint i = 0; i < n; i++)
        {
          const FwItem *item = pull.batch->pdata[i];

          if (item->kind == FW_ITEM_STATUS)
            {
              if (n_status++ > 0 || strcmp (item->text, "connected") != 0)
                g_error ("unexpected status “%s”", item->text);
              continue;
            }
          append_item (log, item);
        }
      g_ptr_array_unref (pull.batch);
      if (n == 0)
        break;
    }

  *out_n_invalid = fw_ndjson_source_get_n_invalid (FW_NDJSON_SOURCE (stream));
  *out_n_truncated = fw_ndjson_source_get_n_truncated (FW_NDJSON_SOURCE (stream));

  fw_stream_close_async (stream, NULL, on_closed, &closed);
  while (!closed)
    g_main_context_iteration (NULL, TRUE);

  return g_string_free (log, FALSE);
}

/* What the lines should give, one at a time, with no source in between. */
static char *
read_line_by_line (const guint8 *data,
                   gsize         size,
                   gsize         max_line,
                   guint        *out_n_invalid,
                   guint        *out_n_truncated)
{
  g_autoptr(GRefString) feed = g_ref_string_new ("fuzz");
  GString *log = g_string_new (NULL);
  const guint8 *p = data;
  const guint8 *end = data + size;

  *out_n_invalid = 0;
  *out_n_truncated = 0;
  while (p < end)
    {
      const guint8 *nl = memchr (p, '\n', end - p);
      gsize len = (nl != NULL ? nl : end) - p;
      /* Exactly the line's bytes, on the heap: a read past its end is caught. */
      g_autofree char *line = g_memdup2 (p, len);
      g_autoptr(FwItem) item = NULL;

      if (len > max_line)
        {
          g_autofree char *valid = g_utf8_make_valid (line, (gssize) max_line);

          item = fw_item_new (FW_ITEM_LINE, feed, 0, valid, -1);
          fw_item_add_flags (item, FW_ITEM_FLAG_TRUNCATED);
          (*out_n_truncated)++;
        }
      else
        {
          gboolean invalid;

          if (!fw_fuzz_json_guard_holds (line, len))
            g_error ("the depth guard let through a value nested deeper than %u",
                     FW_JSON_ITEM_MAX_DEPTH);
          item = fw_json_item_parse (feed, 0, line, len, &invalid);
          *out_n_invalid += invalid;
        }
      if (item != NULL)
        append_item (log, item);

      p = nl != NULL ? nl + 1 : end;
    }

  return g_string_free (log, FALSE);
}

int FW_FUZZ_ENTRY (const guint8 *data,
                   size_t        size);

int
FW_FUZZ_ENTRY (const guint8 *data,
               size_t        size)
{
  g_autoptr(FwFeedSpec) spec = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *whole = NULL;
  g_autofree char *cut_in_two = NULL;
  g_autofree char *uneven = NULL;
  guint n_invalid, n_truncated, source_invalid, source_truncated;
  gsize max_line, cut;

  if (size < 2)
    return 0;
  max_line = 16 + data[1] * data[1] / 16;
  cut = (size - 2) * data[0] / 255;
  text = g_strdup_printf ("ndjson:" FEED_URL "#max-line=%zu&idle-timeout=0", max_line);
  spec = fw_feed_spec_parse (text, &error);
  g_assert_no_error (error);
  data += 2;
  size -= 2;

  expected = read_line_by_line (data, size, max_line, &n_invalid, &n_truncated);

  whole = read_through_source (spec, data, size, size, 0, max_line, &source_invalid,
                               &source_truncated);
  if (strcmp (whole, expected) != 0)
    g_error ("the source's items are not its lines':\nsource:\n%s\nlines:\n%s", whole, expected);
  if (source_invalid != n_invalid || source_truncated != n_truncated)
    g_error ("the source counted %u invalid and %u truncated lines, not %u and %u",
             source_invalid, source_truncated, n_invalid, n_truncated);

  cut_in_two = read_through_source (spec, data, size, cut, 0, max_line, &source_invalid,
                                    &source_truncated);
  uneven = read_through_source (spec, data, size, cut, 1 + data[-2] % 64, max_line,
                                &source_invalid, &source_truncated);
  if (strcmp (cut_in_two, expected) != 0 || strcmp (uneven, expected) != 0)
    g_error ("the items depend on how the body was read (cut at %zu):\nexpected:\n%s\n"
             "cut in two:\n%s\nuneven:\n%s", cut, expected, cut_in_two, uneven);

  return 0;
}
