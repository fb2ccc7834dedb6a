/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-recording-reader.c: items back from a recording (fw-recording-private.h says the format),
 * from `--print` JSON Lines as they are, or compressed by `zstd`.
 *
 * The input is decompressed a frame at a time into a line buffer and each whole line parsed
 * back into an item (fw-item-parse.c). Between zstd frames the reader looks for our skippable
 * frames itself (the header, markers, the index); inside one it leaves them to libzstd. A file
 * cut short (a crash while recording) reads to its last whole line of its last whole block,
 * and says it was cut. */

#include "config.h"

#include "fw-recording-reader.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <zstd.h>

#include "fw-item-parse.h"
#include "fw-recording-private.h"

#define INPUT_SIZE   (256 * 1024)
#define OUTPUT_ROOM  (256 * 1024)

typedef struct
{
  char *spec;
  char *title;
  char *color;
} Feed;

struct _FwRecordingReader
{
  char              *path;
  int                fd;
  guint64            file_size;
  FwRecordingFormat  format;

  char              *version;
  GArray            *feeds;         /* Feed */
  guint64            data_start;    /* after the header */
  GArray            *frames;        /* FwRecordingFrame, from the index or the markers */
  gboolean           frames_known;

  guint8            *in;
  gsize              in_pos;
  gsize              in_len;
  guint64            file_pos;      /* the file offset of in[in_len] */
  gboolean           eof;
  ZSTD_DCtx         *dctx;
  gboolean           in_frame;

  GString           *lines;
  gsize              line_pos;
  gboolean           ended;
  FwItemParser      *parser;
  gint64             skip_before;

  gboolean           truncated;
  guint64            n_invalid;
  char              *first_problem;
};

static gsize n_decoded;

gsize
_fw_recording_reader_get_n_decoded (void)
{
  return (gsize) g_atomic_pointer_get (&n_decoded);
}

static void
feed_clear (Feed *feed)
{
  g_free (feed->spec);
  g_free (feed->title);
  g_free (feed->color);
}

/**
 * fw_recording_reader_free: (skip)
 * @self: (nullable) (transfer full): a reader
 *
 * Closes the file and frees the reader.
 */
void
fw_recording_reader_free (FwRecordingReader *self)
{
  if (self == NULL)
    return;
  if (self->fd >= 0)
    close (self->fd);
  g_free (self->path);
  g_free (self->version);
  g_array_unref (self->feeds);
  g_array_unref (self->frames);
  g_free (self->in);
  g_clear_pointer (&self->dctx, ZSTD_freeDCtx);
  g_string_free (self->lines, TRUE);
  fw_item_parser_free (self->parser);
  g_free (self->first_problem);
  g_free (self);
}

static gboolean
read_at (FwRecordingReader *self,
         guint64            offset,
         void              *buf,
         gsize              len)
{
  gsize done = 0;

  while (done < len)
    {
      gssize n = pread (self->fd, (char *) buf + done, len - done, (off_t) (offset + done));

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      done += (gsize) n;
    }
  return TRUE;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
read_header (FwRecordingReader  *self,
             guint32             size,
             GError            **error)
{
  g_autofree char *text = g_malloc (size + 1);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonArray *feeds;

  if (size < 4 || !read_at (self, 8, text, size) || memcmp (text, FW_RECORDING_TAG_HEADER, 4) != 0)
    goto invalid;
  text[size] = '\0';
  if (!json_parser_load_from_data (parser, text + 4, size - 4, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    goto invalid;
  root = json_node_get_object (json_parser_get_root (parser));
  if (json_object_get_int_member_with_default (root, "version", 0) > FW_RECORDING_VERSION)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("“%s” is a recording of a newer format (version %" PRId64 "): "
                     "open it with a newer Feedwatch"), self->path,
                   json_object_get_int_member_with_default (root, "version", 0));
      return FALSE;
    }
  self->version = g_strdup (member_string (root, "feedwatch"));
  feeds = json_object_has_member (root, "feeds")
          ? json_object_get_array_member (root, "feeds") : NULL;
  for (guint i = 0; feeds != NULL && i < json_array_get_length (feeds); i++)
    {
      JsonNode *node = json_array_get_element (feeds, i);
      JsonObject *object;
      Feed feed;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      if (member_string (object, "feed") == NULL)
        continue;
      feed.spec = g_strdup (member_string (object, "feed"));
      feed.title = g_strdup (member_string (object, "title"));
      feed.color = g_strdup (member_string (object, "color"));
      g_array_append_val (self->feeds, feed);
    }
  self->data_start = 8 + (guint64) size;
  return TRUE;

invalid:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               _("“%s” starts like a Feedwatch recording but its header is damaged"), self->path);
  return FALSE;
}

/* The index at the file's end, when the recording was closed */
static gboolean
load_index (FwRecordingReader *self)
{
  guint8 trailer[8];
  g_autofree guint8 *frame = NULL;
  guint32 total, n;

  if (self->file_size < self->data_start + 8 + 8 ||
      !read_at (self, self->file_size - 8, trailer, 8) ||
      memcmp (trailer + 4, FW_RECORDING_TAG_TRAILER, 4) != 0)
    return FALSE;
  total = fw_recording_get_u32 (trailer);
  if (total < 8 + 4 + 4 + 8 || total > self->file_size - self->data_start)
    return FALSE;
  frame = g_malloc (total);
  if (!read_at (self, self->file_size - total, frame, total) ||
      fw_recording_get_u32 (frame) != FW_RECORDING_SKIPPABLE ||
      memcmp (frame + 8, FW_RECORDING_TAG_INDEX, 4) != 0)
    return FALSE;
  n = fw_recording_get_u32 (frame + 12);
  if ((guint64) 8 + 4 + 4 + (guint64) n * FW_RECORDING_ENTRY_SIZE + 8 != total)
    return FALSE;
  for (guint32 i = 0; i < n; i++)
    {
      const guint8 *p = frame + 16 + (gsize) i * FW_RECORDING_ENTRY_SIZE;
      FwRecordingFrame entry;

      entry.offset = fw_recording_get_u64 (p);
      entry.compressed_size = fw_recording_get_u32 (p + 8);
      entry.n_items = fw_recording_get_u32 (p + 12);
      entry.first_time_us = (gint64) fw_recording_get_u64 (p + 16);
      entry.max_time_us = (gint64) fw_recording_get_u64 (p + 24);
      g_array_append_val (self->frames, entry);
    }
  return TRUE;
}

/* Without an index (the recording did not end cleanly), the markers before each frame say
 * where the next one starts: a walk of small reads, however large the file */
static void
scan_markers (FwRecordingReader *self)
{
  guint64 pos = self->data_start;

  for (;;)
    {
      guint8 head[12 + FW_RECORDING_MARKER_SIZE];
      FwRecordingFrame entry;
      guint32 size;

      if (pos + 12 > self->file_size || !read_at (self, pos, head, 12) ||
          (fw_recording_get_u32 (head) & FW_RECORDING_SKIPPABLE_MASK) != FW_RECORDING_SKIPPABLE)
        return;
      size = fw_recording_get_u32 (head + 4);
      if (memcmp (head + 8, FW_RECORDING_TAG_MARKER, 4) != 0)
        {
          if (memcmp (head + 8, FW_RECORDING_TAG_INDEX, 4) == 0)
            return;
          pos += 8 + (guint64) size;
          continue;
        }
      if (size != 4 + FW_RECORDING_MARKER_SIZE || !read_at (self, pos, head, sizeof head))
        return;
      entry.offset = pos;
      entry.compressed_size = fw_recording_get_u32 (head + 12);
      entry.n_items = fw_recording_get_u32 (head + 20);
      entry.first_time_us = (gint64) fw_recording_get_u64 (head + 28);
      entry.max_time_us = (gint64) fw_recording_get_u64 (head + 36);
      pos += sizeof head + entry.compressed_size;
      if (pos > self->file_size)
        return;  /* cut mid-frame: its whole blocks are still read in order */
      g_array_append_val (self->frames, entry);
    }
}

static void
know_frames (FwRecordingReader *self)
{
  if (self->frames_known || self->format != FW_RECORDING_INDEXED)
    return;
  self->frames_known = TRUE;
  if (!load_index (self))
    {
      g_array_set_size (self->frames, 0);
      scan_markers (self);
    }
  /* The latest time so far, whatever the order of the items, makes the frames searchable */
  for (guint i = 1; i < self->frames->len; i++)
    {
      FwRecordingFrame *prev = &g_array_index (self->frames, FwRecordingFrame, i - 1);
      FwRecordingFrame *f = &g_array_index (self->frames, FwRecordingFrame, i);

      f->max_time_us = MAX (f->max_time_us, prev->max_time_us);
    }
}

static void
position_at (FwRecordingReader *self,
             guint64            offset)
{
  self->file_pos = offset;
  self->in_pos = self->in_len = 0;
  self->eof = offset >= self->file_size;
  self->in_frame = FALSE;
  if (self->dctx != NULL)
    ZSTD_DCtx_reset (self->dctx, ZSTD_reset_session_only);
  g_string_truncate (self->lines, 0);
  self->line_pos = 0;
  self->ended = FALSE;
}

/**
 * fw_recording_reader_open: (skip)
 * @path: a recording, a `.jsonl` written by `--print`, or one compressed by `zstd`
 * @error: where to put why it cannot be read
 *
 * Opens a recording and reads its header, if it has one.
 *
 * Returns: (transfer full) (nullable): a reader at the first item, or %NULL with @error set
 */
FwRecordingReader *
fw_recording_reader_open (const char  *path,
                          GError     **error)
{
  g_autoptr(FwRecordingReader) self = g_new0 (FwRecordingReader, 1);
  struct stat st;
  guint8 head[12];

  self->path = g_strdup (path);
  self->feeds = g_array_new (FALSE, FALSE, sizeof (Feed));
  g_array_set_clear_func (self->feeds, (GDestroyNotify) feed_clear);
  self->frames = g_array_new (FALSE, FALSE, sizeof (FwRecordingFrame));
  self->lines = g_string_sized_new (OUTPUT_ROOM * 2);
  self->parser = fw_item_parser_new ();
  self->skip_before = G_MININT64;
  self->fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (self->fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("cannot open the recording “%s”: %s"), path, g_strerror (saved));
      return NULL;
    }
  if (fstat (self->fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   _("“%s” is not a file: a recording is a file"), path);
      return NULL;
    }
  self->file_size = (guint64) st.st_size;
  self->in = g_malloc (INPUT_SIZE);

  self->format = FW_RECORDING_PLAIN;
  if (self->file_size >= 4 && read_at (self, 0, head, 4))
    {
      guint32 magic = fw_recording_get_u32 (head);

      if (magic == FW_RECORDING_ZSTD_MAGIC ||
          (magic & FW_RECORDING_SKIPPABLE_MASK) == FW_RECORDING_SKIPPABLE)
        self->format = FW_RECORDING_ZSTD;
      if (magic == FW_RECORDING_SKIPPABLE && self->file_size >= 12 && read_at (self, 0, head, 12) &&
          memcmp (head + 8, FW_RECORDING_TAG_HEADER, 4) == 0)
        {
          self->format = FW_RECORDING_INDEXED;
          if (!read_header (self, fw_recording_get_u32 (head + 4), error))
            return NULL;
        }
    }
  if (self->format != FW_RECORDING_PLAIN)
    self->dctx = ZSTD_createDCtx ();
  position_at (self, self->data_start);

  return g_steal_pointer (&self);
}

/**
 * fw_recording_reader_get_format: (skip)
 * @self: a reader
 *
 * What the file is.
 *
 * Returns: its format
 */
FwRecordingFormat
fw_recording_reader_get_format (FwRecordingReader *self)
{
  return self->format;
}

/**
 * fw_recording_reader_get_path: (skip)
 * @self: a reader
 *
 * The file read.
 *
 * Returns: its name, as given to fw_recording_reader_open()
 */
const char *
fw_recording_reader_get_path (FwRecordingReader *self)
{
  return self->path;
}

/**
 * fw_recording_reader_get_n_feeds: (skip)
 * @self: a reader
 *
 * The feeds the header names, for fw_recording_reader_get_feed().
 *
 * Returns: how many there are; none for a `.jsonl`
 */
guint
fw_recording_reader_get_n_feeds (FwRecordingReader *self)
{
  return self->feeds->len;
}

/**
 * fw_recording_reader_get_feed: (skip)
 * @self: a reader
 * @index: below fw_recording_reader_get_n_feeds()
 * @title: (out) (optional) (nullable): its title
 * @color: (out) (optional) (nullable): its colour
 *
 * A feed the header names.
 *
 * Returns: the @index-th feed's text, as items name it (secrets masked)
 */
const char *
fw_recording_reader_get_feed (FwRecordingReader  *self,
                              guint               index,
                              const char        **title,
                              const char        **color)
{
  Feed *feed;

  g_return_val_if_fail (index < self->feeds->len, NULL);
  feed = &g_array_index (self->feeds, Feed, index);
  if (title != NULL)
    *title = feed->title;
  if (color != NULL)
    *color = feed->color;
  return feed->spec;
}

/**
 * fw_recording_reader_get_version: (skip)
 * @self: a reader
 *
 * The version of Feedwatch that recorded it.
 *
 * Returns: (nullable): the version, when the header says
 */
const char *
fw_recording_reader_get_version (FwRecordingReader *self)
{
  return self->version;
}

/**
 * fw_recording_reader_get_span: (skip)
 * @self: a reader
 * @first_us: (out): the first item's time, µs since the epoch
 * @last_us: (out): the latest item's time
 *
 * The times the recording covers, when that is known without reading it all.
 *
 * Returns: %TRUE with the first and the latest item time, when the recording has frames
 *   to say them without reading it all
 */
gboolean
fw_recording_reader_get_span (FwRecordingReader *self,
                              gint64            *first_us,
                              gint64            *last_us)
{
  know_frames (self);
  if (self->frames->len == 0)
    return FALSE;
  *first_us = g_array_index (self->frames, FwRecordingFrame, 0).first_time_us;
  *last_us = g_array_index (self->frames, FwRecordingFrame, self->frames->len - 1).max_time_us;
  return TRUE;
}

/**
 * fw_recording_reader_seek: (skip)
 * @self: a reader
 * @time_us: a time, µs since the epoch; %G_MININT64 for the start
 * @error: where to put why the recording cannot be read there
 *
 * Makes the next read begin at the first item at or after @time_us. A recording's index
 * takes the reader to the frame that holds it; a `.jsonl` is read from its start again.
 *
 * Returns: %FALSE with @error set when the file cannot be read
 */
gboolean
fw_recording_reader_seek (FwRecordingReader  *self,
                          gint64              time_us,
                          GError            **error)
{
  guint64 offset = self->data_start;

  know_frames (self);
  if (self->format == FW_RECORDING_INDEXED && self->frames->len > 0 && time_us != G_MININT64)
    {
      guint lo = 0, hi = self->frames->len;

      /* The first frame whose latest time reaches @time_us */
      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;

          if (g_array_index (self->frames, FwRecordingFrame, mid).max_time_us < time_us)
            lo = mid + 1;
          else
            hi = mid;
        }
      if (lo < self->frames->len)
        offset = g_array_index (self->frames, FwRecordingFrame, lo).offset;
      else
        {
          /* Past the last indexed frame: what follows (cut short) is read in order */
          FwRecordingFrame *last = &g_array_index (self->frames, FwRecordingFrame, lo - 1);

          offset = last->offset + 12 + FW_RECORDING_MARKER_SIZE + last->compressed_size;
        }
    }
  position_at (self, offset);
  self->skip_before = time_us;
  return TRUE;
}

/* More input at in[in_len]; FALSE at the file's end */
static gboolean
fill (FwRecordingReader *self)
{
  gssize n;

  if (self->in_pos > 0)
    {
      memmove (self->in, self->in + self->in_pos, self->in_len - self->in_pos);
      self->in_len -= self->in_pos;
      self->in_pos = 0;
    }
  if (self->eof || self->in_len == INPUT_SIZE)
    return FALSE;
  do
    n = pread (self->fd, self->in + self->in_len, INPUT_SIZE - self->in_len,
               (off_t) self->file_pos);
  while (n < 0 && errno == EINTR);
  if (n <= 0)
    {
      self->eof = TRUE;
      return FALSE;
    }
  self->in_len += (gsize) n;
  self->file_pos += (guint64) n;
  return TRUE;
}

static gsize
available (FwRecordingReader *self)
{
  return self->in_len - self->in_pos;
}

static char *
output_room (FwRecordingReader *self,
             gsize             *room)
{
  GString *out = self->lines;

  if (out->allocated_len - out->len <= OUTPUT_ROOM)
    {
      gsize len = out->len;

      g_string_set_size (out, len + OUTPUT_ROOM);
      out->len = len;
    }
  *room = out->allocated_len - out->len - 1;
  return out->str + out->len;
}

static void
note_problem (FwRecordingReader *self,
              const char        *problem)
{
  if (self->first_problem == NULL)
    self->first_problem = g_strdup (problem);
}

/* Decompresses (or reads) more into the line buffer; FALSE at the end of the input */
static gboolean
decode_more (FwRecordingReader *self)
{
  for (;;)
    {
      ZSTD_inBuffer in;
      ZSTD_outBuffer out;
      gsize room, ret;

      if (self->format == FW_RECORDING_PLAIN)
        {
          char *o = output_room (self, &room);
          gssize n;

          do
            n = pread (self->fd, o, room, (off_t) self->file_pos);
          while (n < 0 && errno == EINTR);
          if (n <= 0)
            return FALSE;
          self->file_pos += (guint64) n;
          g_atomic_pointer_add (&n_decoded, n);
          self->lines->len += (gsize) n;
          self->lines->str[self->lines->len] = '\0';
          return TRUE;
        }

      if (!self->in_frame)
        {
          guint32 magic;

          while (available (self) < 12 && fill (self))
            ;
          if (available (self) == 0)
            return FALSE;
          if (available (self) < 8)
            {
              self->truncated = TRUE;
              return FALSE;
            }
          magic = fw_recording_get_u32 (self->in + self->in_pos);
          if ((magic & FW_RECORDING_SKIPPABLE_MASK) == FW_RECORDING_SKIPPABLE)
            {
              guint64 skip = 8 + (guint64) fw_recording_get_u32 (self->in + self->in_pos + 4);

              if (available (self) >= 12 &&
                  memcmp (self->in + self->in_pos + 8, FW_RECORDING_TAG_INDEX, 4) == 0)
                return FALSE;  /* the index ends the recording */
              if (skip <= available (self))
                self->in_pos += skip;
              else
                {
                  guint64 target = self->file_pos - available (self) + skip;

                  if (target > self->file_size)
                    {
                      self->truncated = TRUE;
                      return FALSE;
                    }
                  self->file_pos = target;
                  self->in_pos = self->in_len = 0;
                }
              continue;
            }
          self->in_frame = TRUE;
        }

      if (available (self) == 0 && !fill (self))
        {
          /* The file ends inside a frame: cut while it was written */
          self->truncated = TRUE;
          return FALSE;
        }
      in.src = self->in;
      in.size = self->in_len;
      in.pos = self->in_pos;
      out.dst = output_room (self, &room);
      out.size = room;
      out.pos = 0;
      ret = ZSTD_decompressStream (self->dctx, &out, &in);
      if (ZSTD_isError (ret))
        {
          g_autofree char *problem =
            g_strdup_printf (_("the data is damaged near byte %" PRIu64 " (%s)"),
                             self->file_pos - available (self), ZSTD_getErrorName (ret));

          note_problem (self, problem);
          self->truncated = TRUE;
          return FALSE;
        }
      self->in_pos = in.pos;
      g_atomic_pointer_add (&n_decoded, out.pos);
      self->lines->len += out.pos;
      self->lines->str[self->lines->len] = '\0';
      if (ret == 0)
        self->in_frame = FALSE;
      if (out.pos > 0)
        return TRUE;
      if (available (self) == 0 && ret != 0 && !fill (self))
        {
          self->truncated = TRUE;
          return FALSE;
        }
    }
}

static void
parse_line (FwRecordingReader *self,
            const char        *line,
            gsize              len,
            GPtrArray         *items,
            guint             *added)
{
  g_autoptr(GError) error = NULL;
  FwItem *item;

  if (len > 0 && line[len - 1] == '\r')
    len--;
  if (len == 0)
    return;
  item = fw_item_parser_parse (self->parser, line, len, &error);
  if (item == NULL)
    {
      self->n_invalid++;
      note_problem (self, error->message);
      return;
    }
  if (item->time_us < self->skip_before)
    {
      fw_item_unref (item);
      return;
    }
  g_ptr_array_add (items, item);
  (*added)++;
}

/**
 * fw_recording_reader_read: (skip)
 * @self: a reader
 * @items: (element-type FwItem): where the items read are added
 * @max_items: at most this many
 * @error: where to put why the file cannot be read
 *
 * Reads the next items, up to @max_items.
 *
 * Returns: %TRUE, with none added at the end; a line that is no record is counted
 *   (fw_recording_reader_get_n_invalid()) and passed over. %FALSE with @error set when the file
 *   cannot be read
 */
gboolean
fw_recording_reader_read (FwRecordingReader  *self,
                          GPtrArray          *items,
                          guint               max_items,
                          GError            **error)
{
  guint added = 0;

  while (added < max_items)
    {
      const char *start = self->lines->str + self->line_pos;
      const char *nl = memchr (start, '\n', self->lines->len - self->line_pos);

      if (nl != NULL)
        {
          self->line_pos = (gsize) (nl + 1 - self->lines->str);
          parse_line (self, start, (gsize) (nl - start), items, &added);
          continue;
        }
      if (self->ended)
        break;

      /* Keep the partial line, and room for more after it */
      if (self->line_pos > 0)
        {
          gsize rest = self->lines->len - self->line_pos;

          memmove (self->lines->str, self->lines->str + self->line_pos, rest);
          g_string_truncate (self->lines, rest);
          self->line_pos = 0;
        }
      if (!decode_more (self))
        {
          self->ended = TRUE;
          if (self->lines->len > 0)
            {
              /* A `.jsonl` may lack its last newline; a compressed one cut short ends in half a
               * line, which is dropped */
              if (self->format == FW_RECORDING_PLAIN && !self->truncated)
                parse_line (self, self->lines->str, self->lines->len, items, &added);
              g_string_truncate (self->lines, 0);
              self->line_pos = 0;
            }
        }
    }

  return TRUE;
}

/**
 * fw_recording_reader_is_truncated: (skip)
 * @self: a reader
 *
 * Whether the recording ended before its end: cut off while being written, or damaged.
 *
 * Returns: %TRUE when what was read so far ended early
 */
gboolean
fw_recording_reader_is_truncated (FwRecordingReader *self)
{
  return self->truncated;
}

/**
 * fw_recording_reader_get_n_invalid: (skip)
 * @self: a reader
 * @first_problem: (out) (optional) (nullable) (transfer none): what was wrong with the first
 *
 * Counts the lines passed over so far.
 *
 * Returns: how many lines were no record and were passed over
 */
guint64
fw_recording_reader_get_n_invalid (FwRecordingReader  *self,
                                   const char        **first_problem)
{
  if (first_problem != NULL)
    *first_problem = self->first_problem;
  return self->n_invalid;
}

/**
 * fw_recording_path_is_recording:
 * @path: a file name given where a feed is expected
 *
 * Tells a recording to replay from a log to follow, for a feed given as a path.
 *
 * Returns: whether @path names something to replay rather than a log to follow: a `.zst`,
 *   or a `.jsonl` whose first line is a `--print` record
 */
gboolean
fw_recording_path_is_recording (const char *path)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) input = NULL;
  char head[16] = { 0 };
  gsize n = 0;

  if (g_str_has_suffix (path, ".zst"))
    return TRUE;
  if (!g_str_has_suffix (path, ".jsonl"))
    return FALSE;
  file = g_file_new_for_path (path);
  input = g_file_read (file, NULL, NULL);
  if (input == NULL ||
      !g_input_stream_read_all (G_INPUT_STREAM (input), head, sizeof head - 1, &n, NULL, NULL))
    return FALSE;
  return g_str_has_prefix (head, "{\"feed\":");
}
