/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-recording-writer.c: items into a recording (fw-recording-private.h says the format).
 *
 * The caller hands items over with fw_recording_writer_add(), which never waits: a mutex, a
 * reference and an array slot. A writer thread takes everything waiting at once, writes it as
 * JSON Lines with the one JSON writer, compresses a frame each ~1 MB (or each second, so a
 * crash loses little) and writes it after its marker. When the queue is full, the disk slow or
 * a write fails, items are dropped and counted, and the file stays valid: a failed frame is
 * cut off again. (FwChannel is the bounded queue between streams on one main context; across
 * threads, a locked array swapped whole costs one lock per batch on the writer's side.) */

#include "config.h"

#include "fw-recording-writer.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <zstd.h>

#include "fw-feed-secrets.h"
#include "fw-recording-private.h"

#define DEFAULT_CAPACITY    65536
#define DEFAULT_FRAME_SIZE  (1024 * 1024)
#define PENDING_MAX_BYTES   (64 * 1024 * 1024)
#define FLUSH_INTERVAL_US   G_USEC_PER_SEC
#define COMPRESSION_LEVEL   3

/**
 * FwRecordingWriter:
 *
 * Writes what feeds say into a recording (`--record`): zstd-compressed JSON Lines in frames,
 * a header naming the feeds and an index of the frames' times, so a reader finds a time
 * without decompressing what comes before it. Items are handed over without waiting
 * (fw_recording_writer_add(), any thread) and written by a thread of its own; when it falls
 * behind by its capacity, new items are dropped and counted, never waited for. Files can be
 * split by size or duration.
 */
struct _FwRecordingWriter
{
  GObject               parent_instance;

  char                 *path;
  GString              *feeds_json;   /* the header's "feeds" members */
  guint64               max_size;
  gint64                max_duration_us;
  guint                 capacity;
  gsize                 frame_size;
  FwRecordingWriteFunc  write_func;
  gpointer              write_data;

  GThread              *thread;
  GMutex                lock;
  GCond                 wake;
  GCond                 room;         /* the thread took what waited (for add_all) */
  GPtrArray            *pending;      /* FwItem*, under lock */
  gsize                 pending_bytes;
  gboolean              closing;
  gboolean              waiting;      /* the thread sleeps on @wake */
  guint64               n_dropped;    /* under lock */
  GError               *error;        /* the first write error, under lock */

  /* The writer thread's own */
  int                   fd;
  guint                 part;
  guint64               file_bytes;
  gint64                file_first_us;
  GArray               *frames;       /* FwRecordingFrame of the current file */
  GString              *frame;        /* JSON Lines of the frame being filled */
  guint32               frame_items;
  gint64                frame_first_us;
  gint64                max_time_us;
  gint64                frame_started;  /* monotonic, for the flush interval */
  ZSTD_CCtx            *cctx;
  guint8               *compressed;
  gsize                 compressed_cap;

  gsize                 n_written;    /* atomic */
  gsize                 bytes;        /* atomic: all files together */
  guint                 n_files;      /* atomic */
};

G_DEFINE_FINAL_TYPE (FwRecordingWriter, fw_recording_writer, G_TYPE_OBJECT)

static void
fw_recording_writer_finalize (GObject *object)
{
  FwRecordingWriter *self = FW_RECORDING_WRITER (object);

  if (self->thread != NULL)
    fw_recording_writer_close (self, NULL);
  g_free (self->path);
  g_string_free (self->feeds_json, TRUE);
  g_ptr_array_unref (self->pending);
  g_array_unref (self->frames);
  g_string_free (self->frame, TRUE);
  g_clear_error (&self->error);
  g_clear_pointer (&self->cctx, ZSTD_freeCCtx);
  g_free (self->compressed);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->wake);
  g_cond_clear (&self->room);

  G_OBJECT_CLASS (fw_recording_writer_parent_class)->finalize (object);
}

static void
fw_recording_writer_class_init (FwRecordingWriterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fw_recording_writer_finalize;
}

static void
fw_recording_writer_init (FwRecordingWriter *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->wake);
  g_cond_init (&self->room);
  self->feeds_json = g_string_new (NULL);
  self->pending = g_ptr_array_new_full (1024, (GDestroyNotify) fw_item_unref);
  self->frames = g_array_new (FALSE, FALSE, sizeof (FwRecordingFrame));
  self->frame = g_string_sized_new (DEFAULT_FRAME_SIZE + 64 * 1024);
  self->capacity = DEFAULT_CAPACITY;
  self->frame_size = DEFAULT_FRAME_SIZE;
  self->fd = -1;
}

/**
 * fw_recording_writer_new:
 * @path: the file to write; later parts (fw_recording_writer_set_max_size()) go beside it
 *
 * Makes a writer; nothing is written until fw_recording_writer_start().
 *
 * Returns: (transfer full): a writer, to be given its feeds and started
 */
FwRecordingWriter *
fw_recording_writer_new (const char *path)
{
  FwRecordingWriter *self = g_object_new (FW_TYPE_RECORDING_WRITER, NULL);

  self->path = g_strdup (path);
  return self;
}

/**
 * fw_recording_writer_add_feed:
 * @self: a writer, before it starts
 * @spec: the feed as written; its secrets are masked here, whatever the caller gave
 * @title: (nullable): its title
 * @color: (nullable): its colour ("#3584e4")
 *
 * Names a feed in the header. Before fw_recording_writer_start().
 */
void
fw_recording_writer_add_feed (FwRecordingWriter *self,
                              const char        *spec,
                              const char        *title,
                              const char        *color)
{
  g_autofree char *redacted = fw_feed_spec_redact (spec);

  g_return_if_fail (FW_IS_RECORDING_WRITER (self));
  g_return_if_fail (self->thread == NULL);

  if (self->feeds_json->len > 0)
    g_string_append_c (self->feeds_json, ',');
  g_string_append (self->feeds_json, "{\"feed\":");
  fw_append_json_string (self->feeds_json, redacted, strlen (redacted));
  if (title != NULL)
    {
      g_autofree char *masked = fw_feed_spec_mask (spec, title);

      g_string_append (self->feeds_json, ",\"title\":");
      fw_append_json_string (self->feeds_json, masked, strlen (masked));
    }
  if (color != NULL)
    {
      g_string_append (self->feeds_json, ",\"color\":");
      fw_append_json_string (self->feeds_json, color, strlen (color));
    }
  g_string_append_c (self->feeds_json, '}');
}

/**
 * fw_recording_writer_set_max_size:
 * @self: a writer, before it starts
 * @bytes: the largest size of one file; 0 for no cap
 *
 * Starts a new file when the current one reaches @bytes (at the next frame's end).
 */
void
fw_recording_writer_set_max_size (FwRecordingWriter *self,
                                  guint64            bytes)
{
  g_return_if_fail (self->thread == NULL);
  self->max_size = bytes;
}

/**
 * fw_recording_writer_set_max_duration:
 * @self: a writer, before it starts
 * @duration_us: the longest span of item times in one file, in µs; 0 for no cap
 *
 * Starts a new file when the items' times span @duration_us in the current one.
 */
void
fw_recording_writer_set_max_duration (FwRecordingWriter *self,
                                      gint64             duration_us)
{
  g_return_if_fail (self->thread == NULL);
  self->max_duration_us = MAX (duration_us, 0);
}

/**
 * fw_recording_writer_set_capacity:
 * @self: a writer, before it starts
 * @items: how many items may wait (at least 1)
 *
 * How many items may wait for the writer thread before new ones are dropped.
 */
void
fw_recording_writer_set_capacity (FwRecordingWriter *self,
                                  guint              items)
{
  g_return_if_fail (self->thread == NULL);
  self->capacity = MAX (items, 1);
}

/**
 * fw_recording_writer_set_frame_size:
 * @self: a writer, before it starts
 * @bytes: uncompressed bytes per frame (at least 1)
 *
 * The size of the compressed frames: a seek decompresses at most one.
 */
void
fw_recording_writer_set_frame_size (FwRecordingWriter *self,
                                    gsize              bytes)
{
  g_return_if_fail (self->thread == NULL);
  self->frame_size = MAX (bytes, 1);
}

/**
 * fw_recording_writer_set_write_func: (skip)
 * @self: the writer, before it starts
 * @func: what writes the bytes instead of write(2) (tests inject a full disk with it)
 * @user_data: given to @func
 *
 * Replaces how the writer thread writes, for tests.
 */
void
fw_recording_writer_set_write_func (FwRecordingWriter    *self,
                                    FwRecordingWriteFunc  func,
                                    gpointer              user_data)
{
  g_return_if_fail (self->thread == NULL);
  self->write_func = func;
  self->write_data = user_data;
}

/**
 * fw_recording_writer_get_path_of_part:
 * @self: a writer
 * @part: 1 for the first file
 *
 * The name of one of the files the writer writes.
 *
 * Returns: (transfer full): the name of the writer's @part-th file: `incident.jsonl.zst`, then
 *   `incident-2.jsonl.zst`, …
 */
char *
fw_recording_writer_get_path_of_part (FwRecordingWriter *self,
                                      guint              part)
{
  static const char *const suffixes[] = { ".jsonl.zst", ".zst", ".jsonl" };

  if (part <= 1)
    return g_strdup (self->path);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      if (g_str_has_suffix (self->path, suffixes[i]))
        {
          gsize stem = strlen (self->path) - strlen (suffixes[i]);

          return g_strdup_printf ("%.*s-%u%s", (int) stem, self->path, part, suffixes[i]);
        }
    }
  return g_strdup_printf ("%s-%u", self->path, part);
}

static gboolean
write_all (int            fd,
           const void    *data,
           gsize          len,
           gpointer       user_data,
           GError       **error)
{
  const char *p = data;

  while (len > 0)
    {
      gssize n = write (fd, p, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved),
                               g_strerror (saved));
          return FALSE;
        }
      p += n;
      len -= (gsize) n;
    }
  return TRUE;
}

/* Says what went wrong once (the first error) and drops what could not be written */
static void
note_failure (FwRecordingWriter *self,
              GError            *error,
              guint64            dropped)
{
  g_mutex_lock (&self->lock);
  self->n_dropped += dropped;
  if (self->error == NULL)
    self->error = error;
  else
    g_error_free (error);
  g_mutex_unlock (&self->lock);
}

/* Writes @len bytes at the file's end; on failure the file is cut back to where it was, so
 * that what it holds stays whole frames */
static gboolean
write_whole (FwRecordingWriter  *self,
             const void         *data,
             gsize               len,
             GError            **error)
{
  FwRecordingWriteFunc func = self->write_func != NULL ? self->write_func : write_all;

  if (self->fd < 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, _("the file is not open"));
      return FALSE;
    }
  if (!func (self->fd, data, len, self->write_data, error))
    {
      if (ftruncate (self->fd, (off_t) self->file_bytes) == 0)
        lseek (self->fd, (off_t) self->file_bytes, SEEK_SET);
      return FALSE;
    }
  self->file_bytes += len;
  g_atomic_pointer_add (&self->bytes, len);
  return TRUE;
}

static void
put_skippable_head (guint8     *p,
                    gsize       payload,
                    const char *tag)
{
  fw_recording_put_u32 (p, FW_RECORDING_SKIPPABLE);
  fw_recording_put_u32 (p + 4, (guint32) payload);
  memcpy (p + 8, tag, 4);
}

static gboolean
open_part (FwRecordingWriter  *self,
           GError            **error)
{
  g_autofree char *path = fw_recording_writer_get_path_of_part (self, self->part + 1);
  g_autoptr(GString) header = g_string_new (NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created = g_date_time_format_iso8601 (now);
  g_autofree guint8 *frame = NULL;
  gboolean ok;
  int fd;

  fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("cannot create the recording “%s”: %s"), path, g_strerror (saved));
      return FALSE;
    }
  self->fd = fd;
  self->part++;
  self->file_bytes = 0;
  self->file_first_us = G_MININT64;
  g_array_set_size (self->frames, 0);
  g_atomic_int_inc (&self->n_files);

  g_string_append_printf (header, "{\"format\":\"feedwatch-recording\",\"version\":%d,"
                          "\"feedwatch\":\"%s\",\"created\":\"%s\",\"part\":%u,\"feeds\":[%s]}",
                          FW_RECORDING_VERSION, PACKAGE_VERSION, created, self->part,
                          self->feeds_json->str);
  frame = g_malloc (12 + header->len);
  put_skippable_head (frame, 4 + header->len, FW_RECORDING_TAG_HEADER);
  memcpy (frame + 12, header->str, header->len);
  ok = write_whole (self, frame, 12 + header->len, error);
  if (!ok)
    g_prefix_error (error, _("cannot write the recording “%s”: "), path);
  return ok;
}

static void
close_part (FwRecordingWriter *self)
{
  gsize n = self->frames->len;
  gsize payload = 4 + 4 + n * FW_RECORDING_ENTRY_SIZE + 8;
  g_autofree guint8 *frame = NULL;
  g_autoptr(GError) error = NULL;
  guint8 *p;

  if (self->fd < 0)
    return;

  /* The index: without it (a crash), readers walk the markers instead */
  frame = g_malloc (8 + payload);
  put_skippable_head (frame, payload, FW_RECORDING_TAG_INDEX);
  p = frame + 12;
  fw_recording_put_u32 (p, (guint32) n);
  p += 4;
  for (gsize i = 0; i < n; i++)
    {
      FwRecordingFrame *f = &g_array_index (self->frames, FwRecordingFrame, i);

      fw_recording_put_u64 (p, f->offset);
      fw_recording_put_u32 (p + 8, f->compressed_size);
      fw_recording_put_u32 (p + 12, f->n_items);
      fw_recording_put_u64 (p + 16, (guint64) f->first_time_us);
      fw_recording_put_u64 (p + 24, (guint64) f->max_time_us);
      p += FW_RECORDING_ENTRY_SIZE;
    }
  fw_recording_put_u32 (p, (guint32) (8 + payload));
  memcpy (p + 4, FW_RECORDING_TAG_TRAILER, 4);
  if (!write_whole (self, frame, 8 + payload, &error))
    note_failure (self, g_steal_pointer (&error), 0);

  close (self->fd);
  self->fd = -1;
}

static void
write_frame (FwRecordingWriter *self)
{
  g_autoptr(GError) error = NULL;
  FwRecordingFrame entry;
  gsize bound, n;
  guint8 *p;

  if (self->frame_items == 0)
    return;

  bound = ZSTD_compressBound (self->frame->len) + 8 + 4 + FW_RECORDING_MARKER_SIZE;
  if (bound > self->compressed_cap)
    {
      g_free (self->compressed);
      self->compressed_cap = bound;
      self->compressed = g_malloc (bound);
    }
  p = self->compressed;
  n = ZSTD_compressCCtx (self->cctx, p + 12 + FW_RECORDING_MARKER_SIZE, bound - 12 -
                         FW_RECORDING_MARKER_SIZE, self->frame->str, self->frame->len,
                         COMPRESSION_LEVEL);
  if (ZSTD_isError (n))
    {
      note_failure (self, g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, _("cannot compress: %s"),
                                       ZSTD_getErrorName (n)), self->frame_items);
      goto done;
    }

  entry.offset = self->file_bytes;
  entry.compressed_size = (guint32) n;
  entry.n_items = self->frame_items;
  entry.first_time_us = self->frame_first_us;
  entry.max_time_us = self->max_time_us;

  put_skippable_head (p, 4 + FW_RECORDING_MARKER_SIZE, FW_RECORDING_TAG_MARKER);
  fw_recording_put_u32 (p + 12, (guint32) n);
  fw_recording_put_u32 (p + 16, (guint32) self->frame->len);
  fw_recording_put_u32 (p + 20, self->frame_items);
  fw_recording_put_u32 (p + 24, 0);
  fw_recording_put_u64 (p + 28, (guint64) entry.first_time_us);
  fw_recording_put_u64 (p + 36, (guint64) entry.max_time_us);

  if (write_whole (self, p, 12 + FW_RECORDING_MARKER_SIZE + n, &error))
    {
      g_array_append_val (self->frames, entry);
      g_atomic_pointer_add (&self->n_written, self->frame_items);
    }
  else
    {
      g_prefix_error (&error, _("cannot write the recording: "));
      note_failure (self, g_steal_pointer (&error), self->frame_items);
    }

done:
  g_string_truncate (self->frame, 0);
  self->frame_items = 0;
}

static void
rotate_if_due (FwRecordingWriter *self,
               gint64             time_us)
{
  g_autoptr(GError) error = NULL;
  gboolean due;

  due = (self->max_size > 0 && self->file_bytes >= self->max_size && self->frames->len > 0) ||
        (self->max_duration_us > 0 && self->file_first_us != G_MININT64 &&
         time_us - self->file_first_us >= self->max_duration_us);
  if (!due)
    return;

  write_frame (self);
  close_part (self);
  if (!open_part (self, &error))
    note_failure (self, g_steal_pointer (&error), 0);
}

static void
add_to_frame (FwRecordingWriter *self,
              FwItem            *item)
{
  if (self->fd < 0)
    {
      g_mutex_lock (&self->lock);
      self->n_dropped++;
      g_mutex_unlock (&self->lock);
      return;
    }

  rotate_if_due (self, item->time_us);
  if (self->file_first_us == G_MININT64)
    self->file_first_us = item->time_us;
  if (self->frame_items == 0)
    {
      self->frame_first_us = item->time_us;
      self->frame_started = g_get_monotonic_time ();
    }
  self->max_time_us = MAX (self->max_time_us, item->time_us);
  fw_item_append_json (item, self->frame);
  g_string_append_c (self->frame, '\n');
  self->frame_items++;
  if (self->frame->len >= self->frame_size)
    write_frame (self);
}

static gpointer
writer_thread (gpointer data)
{
  FwRecordingWriter *self = data;
  GPtrArray *batch = g_ptr_array_new_full (1024, (GDestroyNotify) fw_item_unref);

  for (;;)
    {
      gboolean closing;

      g_mutex_lock (&self->lock);
      while (self->pending->len == 0 && !self->closing)
        {
          self->waiting = TRUE;
          if (self->frame_items > 0)
            {
              /* A partly filled frame goes out within a second: a crash loses little */
              if (!g_cond_wait_until (&self->wake, &self->lock,
                                      self->frame_started + FLUSH_INTERVAL_US))
                break;
            }
          else
            g_cond_wait (&self->wake, &self->lock);
        }
      self->waiting = FALSE;
      {
        GPtrArray *swap = self->pending;

        self->pending = batch;
        batch = swap;
      }
      self->pending_bytes = 0;
      g_cond_broadcast (&self->room);
      closing = self->closing;
      g_mutex_unlock (&self->lock);

      for (guint i = 0; i < batch->len; i++)
        add_to_frame (self, g_ptr_array_index (batch, i));
      g_ptr_array_set_size (batch, 0);

      if (self->frame_items > 0 &&
          g_get_monotonic_time () - self->frame_started >= FLUSH_INTERVAL_US)
        write_frame (self);
      if (closing)
        {
          g_mutex_lock (&self->lock);
          closing = self->pending->len == 0;
          g_mutex_unlock (&self->lock);
          if (closing)
            break;
        }
    }

  write_frame (self);
  close_part (self);
  g_ptr_array_unref (batch);
  fw_item_json_thread_done ();
  return NULL;
}

/**
 * fw_recording_writer_start:
 *
 * Creates the first file, writes its header and starts the writer thread.
 *
 * Returns: %FALSE with @error set when the file cannot be created
 */
gboolean
fw_recording_writer_start (FwRecordingWriter  *self,
                           GError            **error)
{
  g_return_val_if_fail (FW_IS_RECORDING_WRITER (self), FALSE);
  g_return_val_if_fail (self->thread == NULL, FALSE);

  self->cctx = ZSTD_createCCtx ();
  self->max_time_us = G_MININT64;
  if (!open_part (self, error))
    {
      if (self->fd >= 0)
        {
          close (self->fd);
          self->fd = -1;
        }
      return FALSE;
    }
  self->thread = g_thread_new ("fw-recording", writer_thread, self);
  return TRUE;
}

/**
 * fw_recording_writer_add:
 * @item: (transfer none): an item; the writer keeps a reference until it is written
 *
 * Hands @item to the writer thread without waiting for it. Any thread.
 *
 * Returns: %FALSE when it was dropped: the writer is behind by its capacity, or closed
 */
gboolean
fw_recording_writer_add (FwRecordingWriter *self,
                         FwItem            *item)
{
  gboolean wake;

  g_mutex_lock (&self->lock);
  if (self->closing || self->thread == NULL || self->pending->len >= self->capacity ||
      self->pending_bytes >= PENDING_MAX_BYTES)
    {
      self->n_dropped++;
      g_mutex_unlock (&self->lock);
      return FALSE;
    }
  g_ptr_array_add (self->pending, fw_item_ref (item));
  self->pending_bytes += item->text_len + 64;
  /* Woken once a batch is worth it, not per item: the thread also wakes within a second */
  wake = self->waiting && (self->pending->len >= 256 || self->frame_items == 0);
  if (wake)
    {
      self->waiting = FALSE;
      g_cond_signal (&self->wake);
    }
  g_mutex_unlock (&self->lock);
  return TRUE;
}

/**
 * fw_recording_writer_add_batch:
 * @self: a writer
 * @items: (array length=n_items): items, in the order to write them
 * @n_items: how many
 *
 * Hands @items to the writer thread without waiting, as fw_recording_writer_add() each would,
 * under one lock: a feed's batch on the thread that must not wait. Those beyond the writer's
 * capacity are dropped and counted. Any thread.
 *
 * Returns: how many were handed over; the rest were dropped
 */
guint
fw_recording_writer_add_batch (FwRecordingWriter  *self,
                               FwItem * const     *items,
                               guint               n_items)
{
  gsize bytes = 0;
  guint n = 0, len;

  g_return_val_if_fail (FW_IS_RECORDING_WRITER (self), 0);

  if (n_items == 0)
    return 0;
  g_mutex_lock (&self->lock);
  len = self->pending->len;
  if (!self->closing && self->thread != NULL)
    while (n < n_items && len + n < self->capacity &&
           self->pending_bytes + bytes < PENDING_MAX_BYTES)
      bytes += items[n++]->text_len + 64;
  if (n > 0)
    {
      g_ptr_array_set_size (self->pending, len + n);
      for (guint i = 0; i < n; i++)
        self->pending->pdata[len + i] = fw_item_ref (items[i]);
      self->pending_bytes += bytes;
      /* Woken once a batch is worth it, as fw_recording_writer_add() does */
      if (self->waiting && (self->pending->len >= 256 || self->frame_items == 0))
        {
          self->waiting = FALSE;
          g_cond_signal (&self->wake);
        }
    }
  self->n_dropped += n_items - n;
  g_mutex_unlock (&self->lock);
  return n;
}

/**
 * fw_recording_writer_add_all:
 * @self: a writer
 * @items: (array length=n_items): items, in the order to write them
 * @n_items: how many
 *
 * Hands @items to the writer thread, waiting while it is behind by its capacity instead of
 * dropping: for a caller that writes a whole history at once from a thread of its own, never
 * for one that must not wait.
 *
 * Returns: how many were handed over; fewer only when the writer is closing or not started
 */
guint
fw_recording_writer_add_all (FwRecordingWriter  *self,
                             FwItem * const     *items,
                             guint               n_items)
{
  guint i = 0;

  g_return_val_if_fail (FW_IS_RECORDING_WRITER (self), 0);

  g_mutex_lock (&self->lock);
  while (i < n_items && !self->closing && self->thread != NULL)
    {
      if (self->pending->len >= self->capacity || self->pending_bytes >= PENDING_MAX_BYTES)
        {
          self->waiting = FALSE;
          g_cond_signal (&self->wake);
          g_cond_wait (&self->room, &self->lock);
          continue;
        }
      g_ptr_array_add (self->pending, fw_item_ref (items[i]));
      self->pending_bytes += items[i]->text_len + 64;
      i++;
    }
  if (self->waiting)
    {
      self->waiting = FALSE;
      g_cond_signal (&self->wake);
    }
  self->n_dropped += n_items - i;
  g_mutex_unlock (&self->lock);
  return i;
}

/**
 * fw_recording_writer_close:
 *
 * Writes what waits, the last frame and the index, and ends the thread. Blocks until then: a
 * batch at the most.
 *
 * Returns: %FALSE with @error set when something could not be written (what was dropped is
 *   counted by fw_recording_writer_get_n_dropped())
 */
gboolean
fw_recording_writer_close (FwRecordingWriter  *self,
                           GError            **error)
{
  g_return_val_if_fail (FW_IS_RECORDING_WRITER (self), FALSE);

  if (self->thread != NULL)
    {
      g_mutex_lock (&self->lock);
      self->closing = TRUE;
      g_cond_signal (&self->wake);
      g_mutex_unlock (&self->lock);
      g_thread_join (self->thread);
      self->thread = NULL;
    }

  g_mutex_lock (&self->lock);
  self->closing = TRUE;
  if (self->error != NULL)
    {
      if (error != NULL)
        {
          *error = g_error_copy (self->error);
          g_prefix_error (error, "%s: ", self->path);
          g_prefix_error (error, g_dngettext (GETTEXT_PACKAGE,
                                              "%" PRIu64 " item was not recorded; ",
                                              "%" PRIu64 " items were not recorded; ",
                                              (gulong) self->n_dropped),
                          self->n_dropped);
        }
      g_mutex_unlock (&self->lock);
      return FALSE;
    }
  g_mutex_unlock (&self->lock);
  return TRUE;
}

/**
 * fw_recording_writer_dup_error:
 * @self: a writer
 *
 * What went wrong first while writing (a full disk, a file that could not be created for the
 * next part), while the writer still runs: a caller polls it to stop and say why.
 *
 * Returns: (transfer full) (nullable): a copy of the first error, or %NULL
 */
GError *
fw_recording_writer_dup_error (FwRecordingWriter *self)
{
  GError *error = NULL;

  g_return_val_if_fail (FW_IS_RECORDING_WRITER (self), NULL);

  g_mutex_lock (&self->lock);
  if (self->error != NULL)
    error = g_error_copy (self->error);
  g_mutex_unlock (&self->lock);
  return error;
}

/**
 * fw_recording_writer_get_n_written:
 * @self: a writer
 *
 * How many items were written so far. Any thread.
 *
 * Returns: the items written to the files
 */
guint64
fw_recording_writer_get_n_written (FwRecordingWriter *self)
{
  return (guint64) g_atomic_pointer_get (&self->n_written);
}

/**
 * fw_recording_writer_get_n_dropped:
 * @self: a writer
 *
 * How many items were not written: handed over while the writer was behind by its capacity,
 * or after a write failed. Any thread.
 *
 * Returns: the items dropped
 */
guint64
fw_recording_writer_get_n_dropped (FwRecordingWriter *self)
{
  guint64 n;

  g_mutex_lock (&self->lock);
  n = self->n_dropped;
  g_mutex_unlock (&self->lock);
  return n;
}

/**
 * fw_recording_writer_get_bytes:
 * @self: a writer
 *
 * How much was written so far. Any thread.
 *
 * Returns: the bytes written to all the files
 */
guint64
fw_recording_writer_get_bytes (FwRecordingWriter *self)
{
  return (guint64) g_atomic_pointer_get (&self->bytes);
}

/**
 * fw_recording_writer_get_n_files:
 * @self: a writer
 *
 * How many files the recording has so far (see fw_recording_writer_set_max_size()). Any thread.
 *
 * Returns: the files created
 */
guint
fw_recording_writer_get_n_files (FwRecordingWriter *self)
{
  return (guint) g_atomic_int_get (&self->n_files);
}
