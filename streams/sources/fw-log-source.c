/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-log-source.c: a log file followed by name, like `tail -n N -F`.
 *
 * All file I/O happens in a worker thread (one GTask at a time, g_task_run_in_thread): it
 * reads a large block, splits it into lines and finds their levels there, so the main
 * context only makes the items and yields them, a block at a time. While the consumer handles one block the worker reads the next
 * (one block of prefetch). The worker owns the file state (fd, offset, splitter) while its
 * task runs; the main context touches it only when no task is in flight.
 *
 * At the end of the data the worker checks the name (tail -F): a different inode behind the
 * path means rename-and-create or delete-and-create, so the old file is drained to its end
 * (lines written just before the rotation are not lost) and the new one is read from its
 * start; a file shorter than our offset was truncated in place (copytruncate), so reading
 * restarts at 0 (the page before the offset is compared too, as a file truncated and
 * refilled past the offset before we looked is no shorter); a missing file means waiting for
 * it, and so, once a file was followed, does a name that is a folder or cannot be read: states
 * said in status items, never a failure (tail -F). The main context then waits for a
 * GFileMonitor event on the name, with a slow poll as a safety net for filesystems that do
 * not report changes, and a short poll while the file is busy (a monitor rate-limits events
 * under a flood of writes).
 *
 * Only regular files are followed: a named pipe, a socket or a device at the name is refused
 * in words (a pipe is opened without blocking to find out, or the open would wait for a
 * writer), or, when it replaces a followed file, waited for as a folder in the way is. A file
 * whose size says nothing (/proc, /sys, or 0 yet it reads) is sampled: read whole, every line
 * an item, at each poll interval.
 *
 * Resuming: a resume mark (fw_log_source_dup_resume_mark()) says where the lines handed on so
 * far end: the file's identity, an offset just after a line, and a hash of the bytes before
 * it. Given to the next source on the same path (a relaunch, a restart), it makes the first
 * read stop at that offset and flag the lines up to it FW_ITEM_FLAG_REPLAYED: the backlog is
 * shown again, but counted once. The hash tells a file truncated and refilled past the mark
 * (same inode, other bytes) from the file the mark was taken on; then every line is new.
 */

#include "config.h"

#include "fw-log-source.h"
#include "fw-feed-state.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <linux/magic.h>

#include <gio/gunixinputstream.h>

#include "fw-line-splitter.h"
#include "fw-log-level.h"
#include "fw-log-time.h"

/* While lines keep arriving, look again this soon even without a monitor event. */
#define BUSY_POLL_MS     5
#define BUSY_WINDOW_USEC (2 * G_USEC_PER_SEC)
/* Bytes before the offset that must still be there on the next read (copytruncate): a page,
 * a few lines of a log, so their times or numbers differ when the file was refilled. */
#define TAIL_CHECK       4096
/* Bytes before a resume mark that its hash covers: a line or two, their times included. */
#define MARK_CHECK       256
#define MARK_VERSION     1
/* A sample bigger than this is cut there: a pseudo-file is a few lines, not a log. */
#define SAMPLE_MAX       (16 * FW_LOG_SOURCE_BLOCK_SIZE)

/* Where the lines handed on end, in which file (see "Resuming" above) */
/* A waiting reason that is no errno: what is at the name is no regular file. Minus its file
 * type (S_IFIFO…), so that another kind of file replacing it is said again. */
#define NOT_A_FILE(mode) (-(int) ((mode) & S_IFMT))

typedef struct
{
  guint64  dev;
  guint64  ino;
  gint64   offset;
  guint32  hash;
  gboolean valid;
} ResumeMark;

struct _FwLogSource
{
  FwStream        parent_instance;

  GRefString     *feed;
  char           *path;
  guint           initial_lines;
  guint           poll_ms;
  gboolean        follow;
  gboolean        gzip;
  gboolean        count_only;    /* lines are counted, never made items (set before reading) */
  gboolean        split_tried;   /* a whole-file count was offered to two threads */
  ResumeMark      resume;        /* where an earlier reader stopped (set before reading) */

  /* Owned by the worker while a read is in flight */
  int             fd;
  GInputStream   *gz_input;
  gint64          offset;
  dev_t           dev;
  ino_t           ino;
  FwLineSplitter *splitter;
  FwLogClock      clock;       /* the worker's, with the splitter: reads the lines' own times */
  char           *block;
  char            tail[TAIL_CHECK]; /* the bytes just before offset */
  guint           tail_len;
  gint64          replay_end;    /* lines ending at or before it were read before, or 0 */
  gboolean        opened;        /* a file was opened at least once */
  int             waiting;       /* why the name cannot be followed now (an errno, or
                                  * NOT_A_FILE, its status said once), or 0 */
  gboolean        sampled;       /* the open file's size says nothing (/proc): read it whole */

  /* Main context */
  GPtrArray      *ready;         /* items read ahead of the consumer */
  GError         *error;         /* to deliver after the ready items */
  GFileMonitor   *monitor;
  GSource        *poll_timer;
  gint64          last_data_time;
  guint64         level_counts[FW_N_LEVELS];
  guint64         lines;
  ResumeMark      mark_read;     /* after the latest read */
  ResumeMark      mark_handed;   /* after the last line handed to the stream */
  gboolean        reading;
  gboolean        pull_pending;
  gboolean        at_eof;
  gboolean        changed;       /* a change was noticed since the last read began */
  gboolean        finished;      /* the natural end (--once, .gz) was reached */
  gboolean        released;
  GTask          *close_task;    /* a close waiting for the read in flight */
};

/**
 * FwLogSource:
 *
 * A log file feed (a path or `file:///…`): the last lines, then the lines written after them,
 * following the file by name across rotation like `tail -F`. Reads in large blocks, only when
 * pulled, and counts lines by level.
 */
G_DEFINE_FINAL_TYPE (FwLogSource, fw_log_source, FW_TYPE_STREAM)

/* The worker makes the items, in blocks (FwItemBlock): one allocation for a few hundred
 * lines, freed on the main context with the last of them. A malloc and a cross-thread free per
 * line would cost more than everything else the read does. A block is sized for what is left
 * of the bytes being split, so a quiet log's one-line reads make one-line blocks: the history
 * keeps 100,000 items, and must not keep 100,000 mostly empty blocks. */

typedef struct
{
  GRefString  *feed;
  GPtrArray   *items;
  FwItemBlock *block;
  GError      *error;
  gboolean     eof;
  gboolean     finished;
  gboolean     sampled;      /* a sample of a file read whole: not a sign of a busy file */
  gboolean     reopened;   /* a file was opened at the name: the monitor must watch it */
  gboolean     count_only;
  gboolean     replaying;    /* the lines read were read before (up to the resume mark) */
  ResumeMark   mark;         /* after these lines, when a file is open */
  gint64       time_us;
  FwLogClock  *clock;
  const char  *chunk;        /* the bytes being split, while they are */
  const char  *chunk_end;
  guint64      level_counts[FW_N_LEVELS];  /* of the lines, counted here: the items are hot */
} ReadResult;

static void
read_result_free (ReadResult *result)
{
  g_clear_pointer (&result->block, fw_item_block_release);
  g_ptr_array_unref (result->items);
  g_clear_error (&result->error);
  g_free (result);
}

static FwItem *
add_item (ReadResult *result,
          FwItemKind  kind,
          const char *text,
          gsize       len)
{
  guintptr at = (guintptr) text;
  gsize rest = 0;
  FwItem *item;

  /* The bytes still to split in this chunk; a line handed from the splitter's own buffer
   * counts the whole chunk. */
  if (result->chunk != NULL)
    rest = at >= (guintptr) result->chunk && at + len <= (guintptr) result->chunk_end
           ? (gsize) ((guintptr) result->chunk_end - (at + len))
           : (gsize) (result->chunk_end - result->chunk);
  item = fw_item_block_add_to (&result->block, result->feed, rest, kind, result->time_us,
                               text, len);
  g_ptr_array_add (result->items, item);

  return item;
}

/* ---------------------------------------------------------------------------------------- */
/* Worker side */

/* @state: the feed state the status announces (waiting, live), or %FW_FEED_STATE_IDLE for a
 * note; as fw_feed_status_new() writes it, in the read's own items */
static void
add_status (FwLogSource *self,
            ReadResult  *result,
            FwFeedState  state,
            FwLevel      level,
            const char  *text)
{
  FwItem *item = add_item (result, FW_ITEM_STATUS, text, strlen (text));

  if (state != FW_FEED_STATE_IDLE)
    fw_item_set_name (item, fw_feed_state_to_string (state));
  fw_item_set_level (item, level);
}

static void
on_line (const char *line,
         gsize       len,
         gboolean    truncated,
         gpointer    user_data)
{
  ReadResult *result = user_data;
  FwItem *item;

  if (result->count_only)
    {
      result->level_counts[fw_log_level_detect (line, len)]++;
      return;
    }

  item = add_item (result, FW_ITEM_LINE, line, len);

  item->level = fw_log_level_detect (line, len);
  ((ReadResult *) user_data)->level_counts[item->level]++;
  fw_log_clock_read (result->clock, line, len, result->time_us, &item->source_time_us);
  if (truncated)
    item->flags |= FW_ITEM_FLAG_TRUNCATED;
  if (result->replaying)
    item->flags |= FW_ITEM_FLAG_REPLAYED;
}

static void
split_block (FwLogSource *self,
             ReadResult  *result,
             const char  *data,
             gsize        len)
{
  result->chunk = data;
  result->chunk_end = data + len;
  fw_line_splitter_feed (self->splitter, data, len, on_line, result);
  result->chunk = result->chunk_end = NULL;
}

static void
finish_lines (FwLogSource *self,
              ReadResult  *result)
{
  fw_line_splitter_finish (self->splitter, on_line, result);
}

static void
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *what,
                 const char  *path)
{
  /* A path is bytes, not necessarily UTF-8: messages are */
  g_autofree char *shown = g_filename_display_name (path);

  /* Whole sentences, so that each can be translated */
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               g_str_equal (what, "open") ? _("Cannot open “%s”: %s") : _("Cannot read “%s”: %s"),
               shown, g_strerror (saved_errno));
}

/* What a special file is, in words */
static const char *
describe_file_type (mode_t mode)
{
  if (S_ISFIFO (mode))
    return _("a named pipe");
  if (S_ISSOCK (mode))
    return _("a socket");
  if (S_ISCHR (mode) || S_ISBLK (mode))
    return _("a device");
  return _("not a regular file");
}

static void
set_not_a_file_error (GError     **error,
                      mode_t       mode,
                      const char  *path)
{
  g_autofree char *shown = g_filename_display_name (path);
  g_autofree char *quoted = g_shell_quote (shown);

  if (S_ISSOCK (mode))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                 _("“%s” is a socket, not a file: Feedwatch follows files; to read from a socket, "
                   "use a command feed such as “cmd:socat -u UNIX-CONNECT:%s -”"), shown, quoted);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                 _("“%s” is %s, not a file: Feedwatch follows files; to read from it, use the "
                   "command feed “cmd:cat %s”"), shown, describe_file_type (mode), quoted);
}

/* Following by name, the name leads to nothing we can read for now (@reason, an errno): say
 * why, once per reason, and look again at the next change. */
static void
wait_for_file (FwLogSource *self,
               ReadResult  *result,
               int          reason)
{
  if (reason == ENOTDIR)
    reason = ENOENT; /* the folder on the way is gone or replaced: the file is missing too */

  if (self->waiting != reason)
    {
      const char *text;

      if (reason == ENOENT)
        text = _("waiting for file");
      else if (reason == EACCES || reason == EPERM)
        text = _("permission denied; waiting until the file can be read");
      else if (reason == EISDIR)
        text = _("a folder has the file's name; waiting for a file");
      else if (reason < 0)
        text = NULL;
      else
        text = g_strerror (reason);
      if (reason == EACCES || reason == EPERM)
        add_status (self, result, FW_FEED_STATE_WAITING, FW_LEVEL_WARNING, text);
      else if (text != NULL)
        add_status (self, result, FW_FEED_STATE_WAITING, FW_LEVEL_INFO, text);
      else
        {
          g_autofree char *said = g_strdup_printf (_("%s has the file's name; waiting for a file"),
                                                   describe_file_type ((mode_t) -reason));

          add_status (self, result, FW_FEED_STATE_WAITING, FW_LEVEL_INFO, said);
        }
    }
  self->waiting = reason;
  result->eof = TRUE;
}

/* Keeps the last bytes read, to check on the next read that they are still there. */
static void
remember_tail (FwLogSource *self,
               const char  *data,
               gsize        len)
{
  if (len >= TAIL_CHECK)
    {
      memcpy (self->tail, data + len - TAIL_CHECK, TAIL_CHECK);
      self->tail_len = TAIL_CHECK;
      return;
    }

  if (self->tail_len + len > TAIL_CHECK)
    {
      gsize drop = self->tail_len + len - TAIL_CHECK;

      memmove (self->tail, self->tail + drop, self->tail_len - drop);
      self->tail_len -= drop;
    }
  memcpy (self->tail + self->tail_len, data, len);
  self->tail_len += len;
}

/* Are the bytes before the offset still the ones read? Not if the file was truncated and
 * written again past the offset since (copytruncate at a high rate, or a file rewritten). */
static gboolean
tail_still_there (FwLogSource *self)
{
  char now[TAIL_CHECK];

  if (self->tail_len == 0)
    return TRUE;

  return pread (self->fd, now, self->tail_len, self->offset - self->tail_len) ==
           (ssize_t) self->tail_len &&
         memcmp (now, self->tail, self->tail_len) == 0;
}

/* FNV-1a: the mark is saved, so its hash must not change between versions or machines. */
static guint32
hash_bytes (const char *data,
            gsize       len)
{
  guint32 hash = 2166136261u;

  for (gsize i = 0; i < len; i++)
    hash = (hash ^ (guint8) data[i]) * 16777619u;
  return hash;
}

/* The hash of the bytes just before @offset, read from @fd unless the tail has them. */
static gboolean
hash_before (FwLogSource *self,
             int          fd,
             gint64       offset,
             guint32     *hash)
{
  gsize len = (gsize) MIN (offset, MARK_CHECK);
  gint64 tail_start = self->offset - self->tail_len;
  char buf[MARK_CHECK];

  if (fd == self->fd && offset <= self->offset && offset - (gint64) len >= tail_start)
    {
      *hash = hash_bytes (self->tail + (offset - (gint64) len - tail_start), len);
      return TRUE;
    }
  if (pread (fd, buf, len, offset - (gint64) len) != (ssize_t) len)
    return FALSE;
  *hash = hash_bytes (buf, len);
  return TRUE;
}

/* After a read: the lines handed on end where the splitter's partial line begins. */
static void
note_mark (FwLogSource *self,
           ReadResult  *result)
{
  gint64 end = self->offset - (gint64) fw_line_splitter_get_pending (self->splitter);
  guint32 hash;

  if (self->fd < 0 || !hash_before (self, self->fd, end, &hash))
    return;
  result->mark = (ResumeMark) { self->dev, self->ino, end, hash, TRUE };
}

/* Is @fd the file the resume mark was taken on, with the same bytes before it? */
static gboolean
resume_mark_matches (FwLogSource       *self,
                     int                fd,
                     const struct stat *st)
{
  guint32 hash;

  return self->resume.valid &&
         self->resume.dev == (guint64) st->st_dev && self->resume.ino == (guint64) st->st_ino &&
         self->resume.offset <= st->st_size &&
         hash_before (self, fd, self->resume.offset, &hash) && hash == self->resume.hash;
}

/* Where the last @n lines begin: scan back from the end for newlines. A final LF ends the
 * last line; it does not start an empty one. */
static gint64
find_start_of_last_lines (int     fd,
                          gint64  size,
                          guint   n,
                          char   *buf,
                          gsize   buf_size)
{
  gint64 pos = size;
  guint seen = 0;

  if (n == 0)
    return size;
  if (n == G_MAXUINT)
    return 0;

  while (pos > 0)
    {
      gsize len = (gsize) MIN ((gint64) buf_size, pos);
      ssize_t got;
      gsize i;

      pos -= len;
      got = pread (fd, buf, len, pos);
      if (got != (ssize_t) len)
        return 0;

      for (i = len; i > 0; i--)
        {
          if (buf[i - 1] != '\n' || pos + (gint64) i == size)
            continue;
          if (++seen == n)
            return pos + i;
        }
    }

  return 0;
}

/* A missing file is waited for, and so is one we may not read (yet: a group to be joined, a
 * mode a logger sets late). So, once a file was followed there (or waited for), is a folder
 * or a special file in the way: a deploy may swap folders. At the start those are mistakes to
 * report. */
static gboolean
can_wait_for (FwLogSource *self,
              int          reason)
{
  if (!self->follow)
    return FALSE;
  if (reason == ENOENT || reason == ENOTDIR || reason == EACCES || reason == EPERM)
    return TRUE;

  return (self->opened || self->waiting != 0) &&
         (reason == EACCES || reason == EPERM || reason == EISDIR || reason < 0);
}

/* Can the name not be read as a file for now? Then says why (waiting, or an error). */
static gboolean
refuse_special (FwLogSource *self,
                ReadResult  *result,
                mode_t       mode)
{
  if (S_ISREG (mode) || S_ISDIR (mode))
    return FALSE;

  if (can_wait_for (self, NOT_A_FILE (mode)))
    wait_for_file (self, result, NOT_A_FILE (mode));
  else
    set_not_a_file_error (&result->error, mode, self->path);
  return TRUE;
}

/* Its size says nothing: /proc and /sys files are made when read, their size is 0 or a page
 * whatever they hold; elsewhere, 0 yet it has bytes (and still 0 after reading them, so no writer
 * just began a log). */
static gboolean
size_says_nothing (int                fd,
                   const struct stat *st)
{
  struct statfs fs;
  struct stat again;
  char byte;

  if (fstatfs (fd, &fs) == 0 && (fs.f_type == PROC_SUPER_MAGIC || fs.f_type == SYSFS_MAGIC))
    return TRUE;

  return st->st_size == 0 && pread (fd, &byte, 1, 0) == 1 &&
         fstat (fd, &again) == 0 && again.st_size == 0;
}

static gboolean
open_file (FwLogSource *self,
           ReadResult  *result)
{
  struct stat st;
  int reason = 0;
  int flags;
  int fd;

  /* A pipe's open would wait for a writer, a socket's fails: look first. */
  if (stat (self->path, &st) == 0 && refuse_special (self, result, st.st_mode))
    return FALSE;

  /* Without blocking all the same: the name may have changed since. */
  fd = open (self->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0)
    {
      int saved_errno = errno;

      if (can_wait_for (self, saved_errno))
        {
          wait_for_file (self, result, saved_errno);
          return FALSE;
        }

      set_errno_error (&result->error, saved_errno, "open", self->path);
      return FALSE;
    }

  if (fstat (fd, &st) < 0)
    reason = errno;
  else if (S_ISDIR (st.st_mode))
    reason = EISDIR;
  else if (!S_ISREG (st.st_mode))
    {
      close (fd);
      refuse_special (self, result, st.st_mode);
      return FALSE;
    }
  else if ((flags = fcntl (fd, F_GETFL)) < 0 || fcntl (fd, F_SETFL, flags & ~O_NONBLOCK) < 0)
    reason = errno;
  if (reason != 0)
    {
      close (fd);
      if (can_wait_for (self, reason))
        {
          wait_for_file (self, result, reason);
          return FALSE;
        }
      set_errno_error (&result->error, reason, "read", self->path);
      return FALSE;
    }

  self->fd = fd;
  self->dev = st.st_dev;
  self->ino = st.st_ino;
  self->tail_len = 0;
  self->sampled = !self->gzip && size_says_nothing (fd, &st);
  fw_line_splitter_reset (self->splitter);

  if (self->gzip)
    {
      g_autoptr(GZlibDecompressor) decompressor = NULL;
      g_autoptr(GInputStream) raw = g_unix_input_stream_new (fd, TRUE);

      self->fd = -1;
      decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
      self->gz_input = g_converter_input_stream_new (raw, G_CONVERTER (decompressor));
    }
  else if (self->sampled)
    {
      self->offset = 0;
      self->replay_end = 0;
      if (self->waiting != 0)
        add_status (self, result, FW_FEED_STATE_LIVE, FW_LEVEL_INFO, _("file appeared"));
    }
  else if (!self->opened && (self->waiting == 0 || self->waiting == EACCES ||
                              self->waiting == EPERM))
    {
      /* Unreadable from the start, its lines are as old as at a start: the last ones only. */
      self->offset = find_start_of_last_lines (fd, st.st_size, self->initial_lines,
                                               self->block, FW_LOG_SOURCE_BLOCK_SIZE);
      if (resume_mark_matches (self, fd, &st) && self->resume.offset > self->offset)
        self->replay_end = self->resume.offset;
      if (self->waiting != 0)
        add_status (self, result, FW_FEED_STATE_LIVE, FW_LEVEL_INFO, _("file readable now"));
    }
  else
    {
      /* A file that appeared or replaced the old one: all of it is new. */
      self->offset = 0;
      self->replay_end = 0;
      if (self->waiting == EACCES || self->waiting == EPERM)
        add_status (self, result, FW_FEED_STATE_LIVE, FW_LEVEL_INFO, _("file readable again"));
      else if (self->waiting != 0)
        add_status (self, result, FW_FEED_STATE_LIVE, FW_LEVEL_INFO, _("file appeared"));
    }

  self->opened = TRUE;
  self->waiting = 0;
  result->reopened = TRUE;
  return TRUE;
}

static void
close_file (FwLogSource *self)
{
  if (self->fd >= 0)
    {
      close (self->fd);
      self->fd = -1;
    }
  g_clear_object (&self->gz_input);
}

static void
read_gzip_block (FwLogSource  *self,
                 ReadResult   *result,
                 GCancellable *cancellable)
{
  gssize n = g_input_stream_read (self->gz_input, self->block, FW_LOG_SOURCE_BLOCK_SIZE,
                                  cancellable, &result->error);

  if (n < 0)
    {
      g_prefix_error (&result->error, _("Cannot read “%s”: "), self->path);
      return;
    }
  if (n == 0)
    {
      finish_lines (self, result);
      close_file (self);
      result->finished = TRUE;
      return;
    }

  split_block (self, result, self->block, n);
}

/* A file whose size says nothing, read whole: its lines now. Never a truncation, as its size
 * is no end to compare with; not followed by name either, /proc's names stay. */
static void
read_sample (FwLogSource *self,
             ReadResult  *result)
{
  gint64 at = 0;

  fw_line_splitter_reset (self->splitter);
  result->sampled = TRUE;
  while (at < SAMPLE_MAX)
    {
      ssize_t n = pread (self->fd, self->block, FW_LOG_SOURCE_BLOCK_SIZE, at);

      if (n < 0)
        {
          set_errno_error (&result->error, errno, "read", self->path);
          return;
        }
      if (n == 0)
        break;
      at += n;
      split_block (self, result, self->block, n);
    }
  finish_lines (self, result);

  if (!self->follow)
    {
      close_file (self);
      result->finished = TRUE;
    }
  else
    result->eof = TRUE;
}

/* Reads what the old file still has after it was replaced: lines written just before a
 * rotation belong to it. */
static void
drain_old_file (FwLogSource *self,
                ReadResult  *result)
{
  for (;;)
    {
      ssize_t n = pread (self->fd, self->block, FW_LOG_SOURCE_BLOCK_SIZE, self->offset);

      if (n <= 0)
        break;
      self->offset += n;
      remember_tail (self, self->block, n);
      split_block (self, result, self->block, n);
    }
  finish_lines (self, result);
  note_mark (self, result);
  close_file (self);
}

/* copytruncate: the lines before the cut were copied elsewhere; start over. Those written
 * after our last read and before the cut are in neither the copy we do not follow nor the
 * file: no reader of the file can have them, so the status says they may be missing. */
static void
restart_after_truncation (FwLogSource *self,
                          ReadResult  *result)
{
  fw_line_splitter_reset (self->splitter);
  self->offset = 0;
  self->tail_len = 0;
  self->replay_end = 0;
  add_status (self, result, FW_FEED_STATE_IDLE, FW_LEVEL_WARNING, FW_LOG_SOURCE_STATUS_TRUNCATED);
}

/* At the end of the data: has the name moved on to another file, or the file shrunk? */
static void
follow_rotation (FwLogSource *self,
                 ReadResult  *result)
{
  struct stat by_name, by_fd;
  gboolean name_ok = stat (self->path, &by_name) == 0;
  int saved_errno = errno;

  if (name_ok && (by_name.st_ino != self->ino || by_name.st_dev != self->dev))
    {
      drain_old_file (self, result);
      add_status (self, result, FW_FEED_STATE_IDLE, FW_LEVEL_INFO, _("rotated"));
      return; /* the next read opens the new file */
    }

  /* Deleted, or its folder removed or unmounted (lazily: the open file keeps it readable) */
  if (!name_ok && (saved_errno == ENOENT || saved_errno == ENOTDIR))
    {
      drain_old_file (self, result);
      add_status (self, result, FW_FEED_STATE_WAITING, FW_LEVEL_INFO,
                  _("deleted; waiting for file"));
      self->waiting = ENOENT;
      result->eof = TRUE;
      return;
    }

  if (fstat (self->fd, &by_fd) == 0 && by_fd.st_size < self->offset)
    {
      restart_after_truncation (self, result);
      return;
    }

  result->eof = TRUE;
}

/* Counting a whole file on two threads (count-only, not followed): each half is split on
 * its own, as no line crosses the cut (it is made just after a newline). */
#define PARALLEL_COUNT_MIN (16 * 1024 * 1024)

typedef struct
{
  int           fd;
  gint64        start;
  gint64        end;
  GCancellable *cancellable;
  guint64       counts[FW_N_LEVELS];
  int           error;  /* errno, or 0 */
} CountRange;

static void
on_counted_line (const char *line,
                 gsize       len,
                 gboolean    truncated,
                 gpointer    user_data)
{
  ((CountRange *) user_data)->counts[fw_log_level_detect (line, len)]++;
}

static gpointer
count_range (gpointer data)
{
  CountRange *range = data;
  g_autoptr(FwLineSplitter) splitter = fw_line_splitter_new (FW_LINE_SPLITTER_DEFAULT_MAX);
  g_autofree char *buf = g_malloc (FW_LOG_SOURCE_BLOCK_SIZE);
  gint64 pos = range->start;

  while (pos < range->end && !g_cancellable_is_cancelled (range->cancellable))
    {
      gsize want = (gsize) MIN (range->end - pos, FW_LOG_SOURCE_BLOCK_SIZE);
      ssize_t n = pread (range->fd, buf, want, pos);

      if (n <= 0)
        {
          range->error = n < 0 ? errno : EIO; /* shorter than its size a moment ago */
          break;
        }
      fw_line_splitter_feed (splitter, buf, (gsize) n, on_counted_line, range);
      pos += n;
    }

  return NULL;
}

/* The offset just after the first newline at or after @from, or after the last one before
 * @to (@backwards), or -1 when that stretch has none. */
static gint64
find_newline (int      fd,
              char    *buf,
              gint64   from,
              gint64   to,
              gboolean backwards)
{
  gsize len = (gsize) CLAMP (to - from, 0, FW_LOG_SOURCE_BLOCK_SIZE);
  gint64 at = backwards ? to - (gint64) len : from;
  const char *nl = NULL;

  if (len == 0 || pread (fd, buf, len, at) != (ssize_t) len)
    return -1;
  if (!backwards)
    nl = memchr (buf, '\n', len);
  else
    for (gsize i = len; i > 0 && nl == NULL; i--)
      nl = buf[i - 1] == '\n' ? buf + i - 1 : NULL;

  return nl != NULL ? at + (nl - buf) + 1 : -1;
}

/* Counts the file's complete lines on two threads and moves the offset past them; the last
 * line without a newline is left to the usual reads, which finish it. Does nothing for a
 * small file, or when a half has no newline to cut at. */
static void
count_in_parallel (FwLogSource  *self,
                   ReadResult   *result,
                   GCancellable *cancellable)
{
  CountRange first = { self->fd, 0, 0, cancellable, { 0 }, 0 };
  CountRange second = { self->fd, 0, 0, cancellable, { 0 }, 0 };
  struct stat st;
  GThread *thread;
  gint64 end;

  if (fstat (self->fd, &st) < 0 || st.st_size < PARALLEL_COUNT_MIN)
    return;
  end = find_newline (self->fd, self->block, st.st_size / 2, st.st_size, TRUE);
  if (end < 0)
    return;
  first.end = second.start = find_newline (self->fd, self->block, st.st_size / 2, end, FALSE);
  if (first.end < 0 || first.end >= end)
    return;
  second.end = end;

  thread = g_thread_try_new ("pool-fw-count", count_range, &second, NULL);
  count_range (&first);
  if (thread != NULL)
    g_thread_join (thread);
  else
    count_range (&second);

  if (first.error != 0 || second.error != 0)
    {
      set_errno_error (&result->error, first.error != 0 ? first.error : second.error, "read",
                       self->path);
      return;
    }
  for (guint i = 0; i < FW_N_LEVELS; i++)
    result->level_counts[i] += first.counts[i] + second.counts[i];
  self->offset = end;
}

static void
read_block (FwLogSource  *self,
            ReadResult   *result,
            GCancellable *cancellable)
{
  gsize want = FW_LOG_SOURCE_BLOCK_SIZE;
  ssize_t n;

  if (self->fd < 0 && self->gz_input == NULL && !open_file (self, result))
    return;

  if (self->gz_input != NULL)
    {
      read_gzip_block (self, result, cancellable);
      return;
    }

  if (self->sampled)
    {
      read_sample (self, result);
      return;
    }

  if (self->follow && !tail_still_there (self))
    restart_after_truncation (self, result);

  if (self->count_only && !self->follow && self->offset == 0 && !self->split_tried)
    {
      self->split_tried = TRUE;
      count_in_parallel (self, result, cancellable);
      if (result->error != NULL || self->offset > 0)
        return;
    }

  /* Lines read before are read on their own, up to the mark: this block is all replayed. */
  if (self->replay_end > self->offset)
    {
      want = (gsize) MIN ((gint64) want, self->replay_end - self->offset);
      result->replaying = TRUE;
    }

  n = pread (self->fd, self->block, want, self->offset);
  if (n < 0)
    {
      set_errno_error (&result->error, errno, "read", self->path);
      return;
    }
  if (n > 0)
    {
      self->offset += n;
      if (self->offset >= self->replay_end)
        self->replay_end = 0;
      remember_tail (self, self->block, n);
      split_block (self, result, self->block, n);
      return;
    }

  if (!self->follow)
    {
      finish_lines (self, result);
      close_file (self);
      result->finished = TRUE;
      return;
    }

  follow_rotation (self, result);
}

static void
read_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  FwLogSource *self = source_object;
  ReadResult *result = g_new0 (ReadResult, 1);

  result->feed = self->feed;
  result->items = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  result->time_us = g_get_real_time ();
  result->count_only = self->count_only;

  if (self->splitter == NULL)
    {
      self->splitter = fw_line_splitter_new (FW_LINE_SPLITTER_DEFAULT_MAX);
      self->block = g_malloc (FW_LOG_SOURCE_BLOCK_SIZE);
      fw_log_clock_init (&self->clock, NULL);
    }
  result->clock = &self->clock;

  read_block (self, result, cancellable);
  if (!self->count_only && self->fd >= 0 && !self->sampled)
    note_mark (self, result);

  g_task_return_pointer (task, result, (GDestroyNotify) read_result_free);
}

/* ---------------------------------------------------------------------------------------- */
/* Main context */

static void start_read (FwLogSource *self);
static void wait_for_change (FwLogSource *self);
static void on_file_changed (GFileMonitor      *monitor,
                             GFile             *file,
                             GFile             *other_file,
                             GFileMonitorEvent  event,
                             gpointer           user_data);

static void
drop_monitor (FwLogSource *self)
{
  if (self->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->monitor, on_file_changed, self);
      g_file_monitor_cancel (self->monitor);
      g_clear_object (&self->monitor);
    }
}

static void
free_worker_state (FwLogSource *self)
{
  close_file (self);
  if (self->splitter != NULL)
    fw_log_clock_clear (&self->clock);
  g_clear_pointer (&self->splitter, fw_line_splitter_free);
  g_clear_pointer (&self->block, g_free);
}

/* Hands every ready item to the pending pull and answers it. */
static gboolean
answer_pull (FwLogSource *self)
{
  FwStream *stream = FW_STREAM (self);
  gboolean had_items = self->ready->len > 0;

  if (!self->pull_pending)
    return FALSE;

  if (had_items)
    {
      for (guint i = 0; i < self->ready->len; i++)
        fw_stream_yield (stream, g_ptr_array_index (self->ready, i));
      /* The stream owns them now. */
      g_ptr_array_set_free_func (self->ready, NULL);
      g_ptr_array_set_size (self->ready, 0);
      g_ptr_array_set_free_func (self->ready, (GDestroyNotify) fw_item_unref);
      self->mark_handed = self->mark_read;
    }

  if (self->error != NULL)
    {
      self->pull_pending = FALSE;
      fw_stream_pull_error (stream, g_steal_pointer (&self->error));
      return TRUE;
    }
  if (self->finished)
    {
      self->pull_pending = FALSE;
      fw_stream_pull_end (stream);
      return TRUE;
    }
  if (had_items)
    {
      self->pull_pending = FALSE;
      fw_stream_pull_done (stream);
      return TRUE;
    }

  return FALSE;
}

static void
on_read_done (GObject      *object,
              GAsyncResult *res,
              gpointer      user_data)
{
  FwLogSource *self = FW_LOG_SOURCE (object);
  ReadResult *result = g_task_propagate_pointer (G_TASK (res), NULL);

  self->reading = FALSE;

  if (self->released)
    {
      free_worker_state (self);
      g_clear_pointer (&result, read_result_free);
      if (self->close_task != NULL)
        {
          GTask *task = g_steal_pointer (&self->close_task);
          g_task_return_boolean (task, TRUE);
          g_object_unref (task);
        }
      return;
    }

  for (guint i = 0; i < FW_N_LEVELS; i++)
    {
      self->lines += result->level_counts[i];
      self->level_counts[i] += result->level_counts[i];
    }
  if (result->items->len > 0)
    {
      /* A sample is read at the poll interval, busy or not. */
      if (!result->sampled)
        self->last_data_time = g_get_monotonic_time ();
      g_ptr_array_extend_and_steal (self->ready, g_steal_pointer (&result->items));
      result->items = g_ptr_array_new ();
    }
  if (result->mark.valid)
    self->mark_read = result->mark;
  /* With nothing waiting to be handed on, the lines read are all handed on. */
  if (self->ready->len == 0)
    self->mark_handed = self->mark_read;

  if (result->reopened)
    drop_monitor (self);
  if (result->error != NULL)
    self->error = g_steal_pointer (&result->error);
  self->finished = result->finished;
  self->at_eof = result->eof;
  read_result_free (result);

  if (self->error != NULL || self->finished)
    {
      free_worker_state (self);
      answer_pull (self);
      return;
    }

  if (answer_pull (self))
    {
      /* Read ahead while the consumer works through this block. */
      if (!self->at_eof)
        start_read (self);
      return;
    }

  if (!self->pull_pending)
    return;

  if (self->at_eof)
    wait_for_change (self);
  else
    start_read (self);
}

static void
start_read (FwLogSource *self)
{
  g_autoptr(GTask) task = NULL;

  g_assert (!self->reading);

  self->reading = TRUE;
  self->changed = FALSE;
  task = g_task_new (self, fw_stream_get_cancellable (FW_STREAM (self)), on_read_done, NULL);
  g_task_set_source_tag (task, start_read);
  g_task_set_name (task, "[feedwatch] log read");
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, read_in_thread);
}

static void
on_something_changed (FwLogSource *self)
{
  self->changed = TRUE;
  if (self->pull_pending && !self->reading)
    start_read (self);
}

static void
on_file_changed (GFileMonitor      *monitor,
                 GFile             *file,
                 GFile             *other_file,
                 GFileMonitorEvent  event,
                 gpointer           user_data)
{
  on_something_changed (user_data);
}

static gboolean
on_poll (gpointer user_data)
{
  FwLogSource *self = user_data;

  g_clear_pointer (&self->poll_timer, g_source_unref);
  on_something_changed (self);

  return G_SOURCE_REMOVE;
}

static void
wait_for_change (FwLogSource *self)
{
  gboolean busy;

  if (self->changed)
    {
      start_read (self);
      return;
    }

  if (self->monitor == NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (self->path);

      /* Without a monitor (no inotify, odd filesystem) the poll still follows the file.
       * WATCH_HARD_LINKS watches the file itself too, not only its name in the folder: so
       * writes to the target of a symlinked log are seen. That watch stays on the file it
       * found, so a new file at the name gets a new monitor (on_read_done). */
      self->monitor = g_file_monitor_file (file,
                                           G_FILE_MONITOR_WATCH_MOVES |
                                           G_FILE_MONITOR_WATCH_HARD_LINKS,
                                           NULL, NULL);
      if (self->monitor != NULL)
        {
          g_file_monitor_set_rate_limit (self->monitor, 0);
          g_signal_connect (self->monitor, "changed", G_CALLBACK (on_file_changed), self);
        }
    }

  busy = g_get_monotonic_time () - self->last_data_time < BUSY_WINDOW_USEC;
  if (self->poll_timer != NULL)
    {
      g_source_destroy (self->poll_timer);
      g_clear_pointer (&self->poll_timer, g_source_unref);
    }
  self->poll_timer = g_timeout_source_new (busy ? BUSY_POLL_MS : self->poll_ms);
  g_source_set_callback (self->poll_timer, on_poll, self, NULL);
  g_source_set_static_name (self->poll_timer, "[feedwatch] log poll");
  g_source_attach (self->poll_timer, fw_stream_get_context (FW_STREAM (self)));
}

static void
fw_log_source_pull (FwStream     *stream,
                    guint         max_items,
                    GCancellable *cancellable)
{
  FwLogSource *self = FW_LOG_SOURCE (stream);

  self->pull_pending = TRUE;

  if (answer_pull (self))
    {
      if (!self->reading && !self->at_eof && !self->finished)
        start_read (self);
      return;
    }

  if (self->reading)
    return;

  if (self->at_eof)
    wait_for_change (self);
  else
    start_read (self);
}

static void
fw_log_source_release (FwStream *stream)
{
  FwLogSource *self = FW_LOG_SOURCE (stream);

  self->released = TRUE;
  drop_monitor (self);
  if (self->poll_timer != NULL)
    {
      g_source_destroy (self->poll_timer);
      g_clear_pointer (&self->poll_timer, g_source_unref);
    }
  g_ptr_array_set_size (self->ready, 0);
  g_clear_error (&self->error);

  /* A read in flight holds a reference and frees the worker state when it returns. */
  if (!self->reading)
    free_worker_state (self);
}

/* Completes once the file is really closed: a read in flight keeps it open until it returns
 * (a blocking read cannot be interrupted), which is a block's read, milliseconds. */
static void
fw_log_source_close_async (FwStream            *stream,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  FwLogSource *self = FW_LOG_SOURCE (stream);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, fw_log_source_close_async);
  fw_log_source_release (stream);
  if (self->reading)
    self->close_task = g_steal_pointer (&task);
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
fw_log_source_close_finish (FwStream      *stream,
                            GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
fw_log_source_finalize (GObject *object)
{
  FwLogSource *self = FW_LOG_SOURCE (object);

  g_assert (!self->reading);
  free_worker_state (self);
  g_ptr_array_unref (self->ready);
  g_clear_error (&self->error);
  g_ref_string_release (self->feed);
  g_free (self->path);

  G_OBJECT_CLASS (fw_log_source_parent_class)->finalize (object);
}

static void
fw_log_source_class_init (FwLogSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  FwStreamClass *stream_class = FW_STREAM_CLASS (klass);

  object_class->finalize = fw_log_source_finalize;
  stream_class->pull = fw_log_source_pull;
  stream_class->release = fw_log_source_release;
  stream_class->close_async = fw_log_source_close_async;
  stream_class->close_finish = fw_log_source_close_finish;
}

static void
fw_log_source_init (FwLogSource *self)
{
  self->fd = -1;
  self->poll_ms = FW_LOG_SOURCE_DEFAULT_POLL_MS;
  self->ready = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
}

/**
 * fw_log_source_new:
 * @feed: the feed name items carry
 * @path: the file; a name ending in ".gz" is decompressed and read whole, never followed
 * @initial_lines: start this many lines before the end (`tail -n`); 0 starts at the end
 * @follow: keep reading as the file grows and follow it by name; %FALSE reads to the end
 *
 * Reads a log file as a stream of lines.
 *
 * Returns: (transfer full): the stream; it opens nothing until the first `next`
 */
FwStream *
fw_log_source_new (const char *feed,
                   const char *path,
                   guint       initial_lines,
                   gboolean    follow)
{
  FwLogSource *self;

  g_return_val_if_fail (feed != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (FW_TYPE_LOG_SOURCE, "name", feed, NULL);
  self->feed = fw_ref_string_intern (feed);
  self->path = g_strdup (path);
  self->gzip = g_str_has_suffix (path, ".gz");
  self->initial_lines = self->gzip ? G_MAXUINT : initial_lines;
  self->follow = follow && !self->gzip;

  return FW_STREAM (self);
}

/**
 * fw_log_source_set_poll_interval:
 * @self: a log source
 * @poll_ms: milliseconds between checks
 *
 * Sets how often the file is checked when change notification says nothing: a safety net for file
 * systems without it, and for tests.
 */
void
fw_log_source_set_poll_interval (FwLogSource *self,
                                 guint        poll_ms)
{
  g_return_if_fail (FW_IS_LOG_SOURCE (self));

  self->poll_ms = MAX (poll_ms, 1);
}

/**
 * fw_log_source_set_count_only:
 * @count_only: %TRUE to count without making items
 *
 * Counts lines by level (fw_log_source_get_level_count()) without making them items: the
 * stream yields only its status items. For a caller that wants the counts alone (`--summary`
 * without `--print`), which then reads the file at the speed of splitting it. Set before the
 * first `next`.
 */
void
fw_log_source_set_count_only (FwLogSource *self,
                              gboolean     count_only)
{
  g_return_if_fail (FW_IS_LOG_SOURCE (self));
  g_return_if_fail (self->splitter == NULL && !self->reading);

  self->count_only = count_only;
}

static gboolean
parse_mark (const char *text,
            ResumeMark *mark)
{
  g_auto(GStrv) parts = NULL;
  guint64 fields[5];

  if (text == NULL || strlen (text) > 128)
    return FALSE;
  parts = g_strsplit (text, ":", -1);
  if (g_strv_length (parts) != G_N_ELEMENTS (fields))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      if (!g_ascii_string_to_unsigned (parts[i], 10, 0, G_MAXUINT64, &fields[i], NULL))
        return FALSE;
    }
  if (fields[0] != MARK_VERSION || fields[3] > G_MAXINT64 || fields[4] > G_MAXUINT32)
    return FALSE;

  *mark = (ResumeMark) { fields[1], fields[2], (gint64) fields[3], (guint32) fields[4], TRUE };
  return TRUE;
}

/**
 * fw_log_source_set_resume_mark:
 * @mark: (nullable): what fw_log_source_dup_resume_mark() said for the same path in an earlier
 *   session, or before a restart
 *
 * Of the lines the source starts with (its last N lines), those @mark covers were read before:
 * they come flagged %FW_ITEM_FLAG_REPLAYED, so a consumer can show them without counting them
 * again. Lines after the mark are new. When the file at the path is not the one the mark was
 * taken on (rotated, truncated, rewritten), every line is new. Set before the first `next`.
 *
 * Returns: %FALSE, and nothing is resumed, when @mark is not a mark this version understands
 */
gboolean
fw_log_source_set_resume_mark (FwLogSource *self,
                               const char  *mark)
{
  ResumeMark parsed = { 0 };
  gboolean ok;

  g_return_val_if_fail (FW_IS_LOG_SOURCE (self), FALSE);
  g_return_val_if_fail (self->splitter == NULL && !self->reading, FALSE);

  ok = parse_mark (mark, &parsed);
  self->resume = parsed;
  /* Until this source reads, where the earlier one stopped is still the place to resume. */
  self->mark_read = self->mark_handed = parsed;

  return ok;
}

/**
 * fw_log_source_dup_resume_mark:
 *
 * Where the lines handed on so far end, for fw_log_source_set_resume_mark() on a later source:
 * a short string whose format is internal (it carries its version). Cheap: for saving from
 * time to time.
 *
 * Returns: (transfer full) (nullable): the mark, or %NULL when no file was read yet
 */
char *
fw_log_source_dup_resume_mark (FwLogSource *self)
{
  const ResumeMark *mark;

  g_return_val_if_fail (FW_IS_LOG_SOURCE (self), NULL);

  mark = &self->mark_handed;
  if (!mark->valid)
    return NULL;

  return g_strdup_printf ("%d:%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT ":%" G_GINT64_FORMAT
                          ":%" G_GUINT32_FORMAT, MARK_VERSION, mark->dev, mark->ino,
                          mark->offset, mark->hash);
}

/**
 * fw_log_source_get_level_count:
 * @self: a log source
 * @level: a severity
 *
 * How many lines of @level the source has read so far: "count the ERROR lines".
 *
 * Returns: the number of lines
 */
guint64
fw_log_source_get_level_count (FwLogSource *self,
                               FwLevel      level)
{
  g_return_val_if_fail (FW_IS_LOG_SOURCE (self), 0);
  g_return_val_if_fail (level < FW_N_LEVELS, 0);

  return self->level_counts[level];
}

/**
 * fw_log_source_get_line_count:
 * @self: a log source
 *
 * How many lines the source has read so far.
 *
 * Returns: the number of lines
 */
guint64
fw_log_source_get_line_count (FwLogSource *self)
{
  g_return_val_if_fail (FW_IS_LOG_SOURCE (self), 0);

  return self->lines;
}

/**
 * fw_log_source_open:
 * @spec: the feed
 * @flags: how it is opened
 * @error: where a refused option is said
 *
 * Opens a log file feed (the kind's #FwFeedKind.open).
 *
 * Returns: (transfer full): the stream, or %NULL with @error set
 */
FwStream *
fw_log_source_open (const FwFeedSpec  *spec,
                    FwFeedOpenFlags    flags,
                    GError           **error)
{
  g_autofree char *path = NULL;
  guint lines;

  if (!fw_feed_spec_get_uint (spec, "lines", FW_LOG_SOURCE_DEFAULT_LINES, &lines, error))
    return NULL;

  if (spec->target == NULL || spec->target[0] == '\0')
    {
      g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID, _("“%s”: no file named"),
                   spec->text);
      return NULL;
    }

  if (spec->target[0] == '~' && (spec->target[1] == '/' || spec->target[1] == '\0'))
    path = g_build_filename (g_get_home_dir (), spec->target + 1, NULL);
  else
    path = g_strdup (spec->target);

  /* --once reads the whole file to its end, as `grep` would, not only its tail. */
  if (flags & FW_FEED_OPEN_ONCE)
    lines = fw_feed_spec_get_option (spec, "lines") != NULL ? lines : G_MAXUINT;

  return fw_log_source_new (spec->text, path, lines, !(flags & FW_FEED_OPEN_ONCE));
}

static const FwFeedOption log_options[] = {
  { .key = "lines", .type = FW_FEED_OPTION_UINT,
    .default_value = G_STRINGIFY (FW_LOG_SOURCE_DEFAULT_LINES),
    .help = N_("Start with this many of the file's last lines") },
  { NULL }
};

static const FwFeedOption *const log_option_list[] = { log_options, NULL };

/* '?' and '#' are part of a file's name, but for a last "#lines=20". */
const FwFeedKind fw_log_source_kind = {
  .name = "file",
  .open = fw_log_source_open,
  .description = N_("Log file, followed like tail -F"),
  .title = N_("Log file"),
  .icon_name = "text-x-generic-symbolic",
  .example = "file:///var/log/",
  .options = log_option_list,
  .default_title = fw_feed_title_from_path,
};
