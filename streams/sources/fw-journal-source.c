/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-journal-source.c: `journal:`, the systemd journal through sd-journal.
 *
 * `journal:` reads this machine's journal, `journal:/path` a folder of journal files (or one
 * file). Options are journal matches: `unit=`, `identifier=`, `priority=` (the least urgent
 * level kept, 0-7 or emerg…debug), `boot=` (current, or a boot ID) and any `FIELD=value`. Each
 * entry is one item: MESSAGE its text, PRIORITY its level, SYSLOG_IDENTIFIER its name,
 * __REALTIME_TIMESTAMP its source time, and every field kept as its structured fields.
 *
 * Reading happens only for a pull, on the stream's context: sd-journal reads mmapped files, a
 * few microseconds an entry, so a pull reads at most a batch and returns. Following uses the
 * journal's own descriptor (sd_journal_get_fd(), inotify underneath) watched in the main loop:
 * its events are processed (sd_journal_process()) whenever they come, and the entries they
 * announce are read at the next pull.
 *
 * Resuming: the resume mark is the cursor of the last entry handed on. A source given one
 * starts with the `lines` entries up to it, flagged FW_ITEM_FLAG_REPLAYED (shown again, not
 * counted again), then every entry after it: no gap and no duplicate, however long it was
 * away. An entry no longer in the journal (vacuumed) resumes at the nearest one, said in a
 * status item. The `cursor=` option does the same for --print and scripts.
 */

#include "config.h"

#include "fw-journal-source.h"
#include "fw-feed-kind.h"
#include "fw-feed-state.h"

#include <glib/gi18n-lib.h>
#include <glib-unix.h>

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <systemd/sd-journal.h>

#include "fw-source-private.h"

/* Entries one pull reads at the most: a bounded piece of main-loop time */
#define MAX_ENTRIES_PER_PULL 2048
/* What a field keeps, in bytes: a core dump's fields are megabytes */
#define MAX_FIELD_BYTES      4096
#define MAX_FIELDS           128

/**
 * FwJournalSource:
 *
 * `journal:`, the systemd journal: this machine's (`journal:`), or a folder or file of
 * journal files (`journal:/path`). Options are journal matches (`unit=`, `identifier=`,
 * `priority=`, `boot=`, any `FIELD=value`); each entry is one item, with MESSAGE as its text,
 * PRIORITY as its level and every field kept. A resume mark (a journal cursor) continues
 * where an earlier session stopped, with no gap and no duplicate.
 */
struct _FwJournalSource
{
  FwStream        parent_instance;

  GRefString     *feed;
  char           *path;        /* NULL: this machine's journal */
  GPtrArray      *matches;     /* "FIELD=value", all of which an entry must have */
  char           *unit;        /* or NULL */
  guint           lines;
  gboolean        from_start;
  char           *resume;      /* the cursor to resume after, or NULL */
  FwFeedOpenFlags flags;

  sd_journal     *journal;
  GSource        *watch;       /* the journal's descriptor */
  GSource        *timer;       /* sd_journal_get_timeout(), when it asks for one */
  GHashTable     *names;       /* SYSLOG_IDENTIFIER → GRefString, shared by the items */
  GByteArray     *body;        /* the fields writer's, kept between entries */
  GArray         *ends;
  GPtrArray      *queued;
  char           *mark;        /* the cursor of the last entry handed on */
  GError         *failure;
  guint           pulling : 1;
  guint           ended : 1;
  guint           positioned : 1;  /* the journal stands on an entry not read yet */
  guint           replaying : 1;   /* entries up to the resume cursor were handed on before */
  guint           said_empty : 1;
};

G_DEFINE_FINAL_TYPE (FwJournalSource, fw_journal_source, FW_TYPE_STREAM)

static void fw_journal_source_advance (FwJournalSource *self);

static void
queue_status (FwJournalSource *self,
              FwFeedState      state,
              FwLevel          level,
              const char      *text)
{
  g_ptr_array_add (self->queued, fw_feed_status_new (self->feed, state, level, text));
}

static void
fail (FwJournalSource *self,
      GError          *error)
{
  queue_status (self, FW_FEED_STATE_FAILED, FW_LEVEL_ERROR, error->message);
  g_clear_error (&self->failure);
  self->failure = error;
  self->ended = TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* Matches */

static const char * const priority_names[] = {
  "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug", NULL
};

static gboolean
parse_priority (const char *text,
                guint      *out)
{
  guint64 n;

  for (guint i = 0; priority_names[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (text, priority_names[i]) == 0)
        {
          *out = i;
          return TRUE;
        }
    }
  /* journalctl's other spellings */
  if (g_ascii_strcasecmp (text, "error") == 0 || g_ascii_strcasecmp (text, "warn") == 0)
    {
      *out = text[0] == 'e' || text[0] == 'E' ? 3 : 4;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (text, 10, 0, 7, &n, NULL))
    return FALSE;
  *out = (guint) n;
  return TRUE;
}

/* "sshd" is "sshd.service", as journalctl -u has it */
static char *
unit_name (const char *unit)
{
  return strchr (unit, '.') != NULL ? g_strdup (unit) : g_strconcat (unit, ".service", NULL);
}

static int
add_matches (FwJournalSource *self)
{
  int r = 0;

  if (self->unit != NULL)
    {
      g_autofree char *service = g_strconcat ("_SYSTEMD_UNIT=", self->unit, NULL);
      g_autofree char *about = g_strconcat ("UNIT=", self->unit, NULL);

      /* The unit's own lines, or what systemd (PID 1) says about it (started, failed) */
      if ((r = sd_journal_add_match (self->journal, service, 0)) < 0 ||
          (r = sd_journal_add_disjunction (self->journal)) < 0 ||
          (r = sd_journal_add_match (self->journal, about, 0)) < 0 ||
          (r = sd_journal_add_match (self->journal, "_PID=1", 0)) < 0 ||
          (r = sd_journal_add_conjunction (self->journal)) < 0)
        return r;
    }

  for (guint i = 0; i < self->matches->len; i++)
    {
      if ((r = sd_journal_add_match (self->journal, g_ptr_array_index (self->matches, i), 0)) < 0)
        return r;
    }

  return r;
}

/* ---------------------------------------------------------------------------------------- */
/* Opening */

static gboolean
on_journal_event (int          fd,
                  GIOCondition condition,
                  gpointer     user_data);

static gboolean
on_journal_timeout (gpointer user_data)
{
  FwJournalSource *self = user_data;

  g_clear_pointer (&self->timer, g_source_unref);
  if (self->journal != NULL)
    sd_journal_process (self->journal);
  fw_journal_source_advance (self);
  return G_SOURCE_REMOVE;
}

/* sd-journal asks to be woken now and then where inotify does not reach (a network
 * filesystem): a timer for that, only while waiting for entries. */
static void
arm_timeout (FwJournalSource *self)
{
  uint64_t timeout;
  gint64 at;

  if (self->timer != NULL || sd_journal_get_timeout (self->journal, &timeout) < 0 ||
      timeout == (uint64_t) -1)
    return;

  /* Never sooner than soon: a deadline already past would wake the loop without end */
  at = MAX ((gint64) MIN (timeout, (uint64_t) G_MAXINT64), g_get_monotonic_time () + 100000);
  self->timer = fw_source_timer_new (FW_STREAM (self), at, on_journal_timeout,
                                     "[feedwatch] journal timeout");
}

static gboolean
watch_journal (FwJournalSource  *self,
               GError          **error)
{
  int fd = sd_journal_get_fd (self->journal);
  int events;

  if (fd < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (-fd),
                   _("Cannot follow the journal: %s"), g_strerror (-fd));
      return FALSE;
    }
  events = sd_journal_get_events (self->journal);
  self->watch = g_unix_fd_source_new (fd, events > 0 ? (GIOCondition) events : G_IO_IN);
  g_source_set_callback (self->watch, G_SOURCE_FUNC (on_journal_event), self, NULL);
  g_source_set_static_name (self->watch, "[feedwatch] journal");
  g_source_attach (self->watch, fw_stream_get_context (FW_STREAM (self)));

  return TRUE;
}

/* Where reading starts: after the resume cursor, or the last `lines` entries, or the first. */
static void
position (FwJournalSource *self)
{
  self->positioned = FALSE;

  if (self->resume != NULL && sd_journal_seek_cursor (self->journal, self->resume) >= 0 &&
      sd_journal_next (self->journal) > 0)
    {
      if (sd_journal_test_cursor (self->journal, self->resume) > 0)
        {
          int back = self->lines > 0 ? sd_journal_previous_skip (self->journal, self->lines) : 0;

          /* Standing on the first entry of the backlog, or on the cursor's own entry with no
           * backlog, which was handed on before: the read begins after it. */
          self->replaying = self->lines > 0;
          if (back >= 0 && (guint) back < self->lines)
            {
              sd_journal_seek_head (self->journal);
              return;
            }
          if (self->lines > 0)
            sd_journal_next (self->journal);
          self->positioned = self->lines > 0;
          return;
        }

      queue_status (self, FW_FEED_STATE_IDLE, FW_LEVEL_WARNING,
                    _("The journal no longer holds the entry this feed stopped at (rotated or "
                      "vacuumed away): reading on from the nearest one; entries in between may "
                      "be missing"));
      self->positioned = TRUE;
      return;
    }

  if (self->from_start)
    {
      sd_journal_seek_head (self->journal);
      return;
    }

  sd_journal_seek_tail (self->journal);
  if (self->lines > 0)
    self->positioned = sd_journal_previous_skip (self->journal, self->lines) > 0;
  else
    sd_journal_previous (self->journal);   /* standing on the last entry, read before */
}

static gboolean
open_journal (FwJournalSource  *self,
              GError          **error)
{
  struct stat st;
  int r;

  if (self->path == NULL)
    r = sd_journal_open (&self->journal, SD_JOURNAL_LOCAL_ONLY);
  else if (stat (self->path, &st) == 0 && S_ISREG (st.st_mode))
    {
      const char *files[] = { self->path, NULL };

      r = sd_journal_open_files (&self->journal, files, 0);
    }
  else
    r = sd_journal_open_directory (&self->journal, self->path, 0);

  if (r < 0)
    {
      if (self->path != NULL)
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (-r),
                     _("Cannot open the journal at %s: %s; check that the folder holds journal "
                       "files and can be read"), self->path, g_strerror (-r));
      else
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (-r),
                     _("Cannot open the journal: %s; check that systemd-journald runs"),
                     g_strerror (-r));
      return FALSE;
    }

  r = add_matches (self);
  if (r < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The journal refused the feed's matches: %s"), g_strerror (-r));
      return FALSE;
    }

  if (!(self->flags & FW_FEED_OPEN_ONCE) && !watch_journal (self, error))
    return FALSE;

  position (self);
  return TRUE;
}

/* This machine may have no journal at all (a container without systemd-journald): say so,
 * and keep watching, as files appear when journald starts. */
static void
note_missing_journal (FwJournalSource *self)
{
  if (self->path != NULL || self->said_empty ||
      sd_journal_has_runtime_files (self->journal) > 0 ||
      sd_journal_has_persistent_files (self->journal) > 0)
    return;

  self->said_empty = TRUE;
  queue_status (self, FW_FEED_STATE_WAITING, FW_LEVEL_WARNING,
                _("This machine has no journal to read: neither /run/log/journal nor "
                  "/var/log/journal holds journal files (a container without systemd-journald, "
                  "or a sandbox without access to them). Waiting for one to appear; read a log "
                  "file or a folder of journal files instead (journal:/path)"));
}

/* ---------------------------------------------------------------------------------------- */
/* Reading */

static GRefString *
intern_name (FwJournalSource *self,
             const char      *name,
             gsize            len)
{
  g_autofree char *key = g_strndup (name, len);
  GRefString *ref = g_hash_table_lookup (self->names, key);

  if (ref == NULL)
    {
      /* A flood of distinct identifiers must not grow the table for ever */
      if (g_hash_table_size (self->names) >= 1024)
        g_hash_table_remove_all (self->names);
      ref = g_ref_string_new (key);
      g_hash_table_insert (self->names, g_steal_pointer (&key), ref);
    }

  return ref;
}

static FwLevel
level_from_priority (const char *value,
                     gsize       len)
{
  if (len != 1 || value[0] < '0' || value[0] > '7')
    return FW_LEVEL_NONE;

  switch (value[0])
    {
    case '0': case '1': case '2':
      return FW_LEVEL_CRITICAL;
    case '3':
      return FW_LEVEL_ERROR;
    case '4':
      return FW_LEVEL_WARNING;
    case '5':
      return FW_LEVEL_NOTICE;
    case '6':
      return FW_LEVEL_INFO;
    default:
      return FW_LEVEL_DEBUG;
    }
}

/* ---------------------------------------------------------------------------------------- */
/* The fields, written straight in GVariant's serialized form: an a{sv} built child by child
 * costs some ten allocations a field, eight times the rest of reading an entry. The layout is
 * GVariant's (gvariant-serialiser.c): each {sv} is the key and its NUL, padding to 8, the
 * value with its NUL, a NUL and the type "s", then the key's end as a framing offset; the array
 * pads each entry to 8 and ends with the entries' end offsets. test-journal-source checks the
 * result is in normal form and equal to what a GVariantBuilder makes. */

typedef struct
{
  GByteArray *body;
  GArray     *ends;   /* gsize: where each entry ends */
} FieldsWriter;

/* The smallest offset size that addresses a container of @body bytes and @n offsets */
static guint
offset_size (gsize body,
             gsize n)
{
  if (body + n == 0)
    return 0;
  if (body + n <= G_MAXUINT8)
    return 1;
  if (body + 2 * n <= G_MAXUINT16)
    return 2;
  if (body + 4 * n <= G_MAXUINT32)
    return 4;
  return 8;
}

static void
append_offset (GByteArray *out,
               guint64     value,
               guint       size)
{
  guint8 bytes[8];

  for (guint i = 0; i < size; i++)
    bytes[i] = (guint8) (value >> (8 * i));
  g_byte_array_append (out, bytes, size);
}

static void
pad_to_8 (GByteArray *out)
{
  static const guint8 zeros[8] = { 0 };

  g_byte_array_append (out, zeros, (8 - (out->len & 7)) & 7);
}

static void
fields_add (FieldsWriter *writer,
            const char   *key,
            gsize         key_len,
            const char   *value,
            gsize         value_len)
{
  static const guint8 variant_tail[] = { 0, 0, 's' };
  gsize start, key_end;

  pad_to_8 (writer->body);
  start = writer->body->len;
  g_byte_array_append (writer->body, (const guint8 *) key, key_len);
  g_byte_array_append (writer->body, variant_tail, 1);
  key_end = key_len + 1;
  pad_to_8 (writer->body);
  g_byte_array_append (writer->body, (const guint8 *) value, value_len);
  g_byte_array_append (writer->body, variant_tail, sizeof variant_tail);
  append_offset (writer->body, key_end, offset_size (writer->body->len - start, 1));
  g_array_append_val (writer->ends, (gsize) { writer->body->len });
}

static GVariant *
fields_end (FieldsWriter *writer)
{
  guint size = offset_size (writer->body->len, writer->ends->len);

  g_autoptr(GBytes) bytes = NULL;

  for (guint i = 0; i < writer->ends->len; i++)
    append_offset (writer->body, g_array_index (writer->ends, gsize, i), size);
  g_array_set_size (writer->ends, 0);

  /* The writer's buffer is kept for the next entry; the item gets a copy of its size */
  bytes = g_bytes_new (writer->body->data, writer->body->len);
  g_byte_array_set_size (writer->body, 0);
  return g_variant_new_from_bytes (G_VARIANT_TYPE_VARDICT, bytes, TRUE);
}

/* A field's value as a string: valid UTF-8 without NUL, at most MAX_FIELD_BYTES */
static void
add_field (FieldsWriter *writer,
           const char   *key,
           gsize         key_len,
           const char   *value,
           gsize         len)
{
  g_autofree char *valid = NULL;

  len = MIN (len, MAX_FIELD_BYTES);
  if (!g_utf8_validate_len (value, len, NULL))
    {
      /* Binary data, a NUL, or a character the cap cut: repaired */
      valid = g_utf8_make_valid (value, len);
      fields_add (writer, key, key_len, valid, strlen (valid));
      return;
    }
  fields_add (writer, key, key_len, value, len);
}

/* The entry the journal stands on, as an item */
static FwItem *
read_entry (FwJournalSource *self,
            gint64           now_us)
{
  FieldsWriter fields = { self->body, self->ends };
  const void *data;
  size_t len;
  const char *message = NULL;
  gsize message_len = 0;
  GRefString *name = NULL;
  FwLevel level = FW_LEVEL_NONE;
  guint n_fields = 0;
  uint64_t realtime = 0;
  FwItem *item;
  int r;

  sd_journal_restart_data (self->journal);
  while ((r = sd_journal_enumerate_available_data (self->journal, &data, &len)) > 0)
    {
      const char *field = data;
      const char *eq = memchr (field, '=', len);
      gsize name_len, value_len;
      const char *value;

      if (eq == NULL)
        continue;
      name_len = eq - field;
      value = eq + 1;
      value_len = len - name_len - 1;

      /* MESSAGE is the text; the message is not kept twice */
      if (name_len == 7 && memcmp (field, "MESSAGE", 7) == 0)
        {
          message = value;
          message_len = value_len;
          continue;
        }
      if (name_len == 8 && memcmp (field, "PRIORITY", 8) == 0)
        level = level_from_priority (value, value_len);
      else if (name_len == 17 && memcmp (field, "SYSLOG_IDENTIFIER", 17) == 0)
        name = intern_name (self, value, value_len);

      if (n_fields++ < MAX_FIELDS)
        add_field (&fields, field, name_len, value, value_len);
    }

  if (message != NULL && g_utf8_validate_len (message, message_len, NULL))
    item = fw_item_new (FW_ITEM_LINE, self->feed, now_us, message, message_len);
  else
    {
      g_autofree char *valid = message != NULL ? g_utf8_make_valid (message, message_len)
                                               : g_strdup ("");

      item = fw_item_new (FW_ITEM_LINE, self->feed, now_us, valid, -1);
    }

  if (sd_journal_get_realtime_usec (self->journal, &realtime) >= 0)
    item->source_time_us = (gint64) MIN (realtime, (uint64_t) G_MAXINT64);
  fw_item_set_level (item, level);
  if (name != NULL)
    fw_item_set_name_ref (item, name);
  if (self->replaying)
    {
      fw_item_add_flags (item, FW_ITEM_FLAG_REPLAYED);
      if (sd_journal_test_cursor (self->journal, self->resume) > 0)
        self->replaying = FALSE;
    }
  fw_item_take_fields (item, fields_end (&fields));

  return item;
}

/* Reads what is there, up to @max entries: Returns how many */
static guint
read_entries (FwJournalSource *self,
              guint            max)
{
  gint64 now_us = g_get_real_time ();
  guint n = 0;

  while (n < max)
    {
      int r;

      if (self->positioned)
        {
          self->positioned = FALSE;
          r = 1;
        }
      else
        r = sd_journal_next (self->journal);

      if (r < 0)
        {
          fail (self, g_error_new (G_IO_ERROR, g_io_error_from_errno (-r),
                                   _("Reading the journal failed: %s"), g_strerror (-r)));
          break;
        }
      if (r == 0)
        break;

      fw_stream_yield (FW_STREAM (self), read_entry (self, now_us));
      n++;
    }

  if (n > 0)
    {
      char *cursor = NULL;

      if (sd_journal_get_cursor (self->journal, &cursor) >= 0)
        {
          g_free (self->mark);
          self->mark = g_strdup (cursor);
          free (cursor);
        }
    }

  return n;
}

static void
fw_journal_source_advance (FwJournalSource *self)
{
  g_autoptr(GError) error = NULL;
  guint n;

  if (!self->pulling)
    return;

  if (self->journal == NULL && !self->ended)
    {
      if (!open_journal (self, &error))
        fail (self, g_steal_pointer (&error));
      else
        note_missing_journal (self);
    }

  /* Status items first, then the entries */
  for (guint i = 0; i < self->queued->len; i++)
    fw_stream_yield (FW_STREAM (self), g_ptr_array_index (self->queued, i));
  n = self->queued->len;
  g_ptr_array_set_size (self->queued, 0);

  if (!self->ended)
    {
      n += read_entries (self, MAX_ENTRIES_PER_PULL);
      /* --once: the journal's end is the feed's */
      if (n == 0 && (self->flags & FW_FEED_OPEN_ONCE) && !self->ended)
        self->ended = TRUE;
    }

  if (n == 0 && !self->ended)
    {
      arm_timeout (self);
      return;   /* the descriptor says when there is more */
    }

  self->pulling = FALSE;
  fw_source_answer_pull (FW_STREAM (self), self->queued, self->ended, &self->failure);
}

static gboolean
on_journal_event (int          fd,
                  GIOCondition condition,
                  gpointer     user_data)
{
  FwJournalSource *self = user_data;
  int r = sd_journal_process (self->journal);

  if (r == SD_JOURNAL_INVALIDATE)
    note_missing_journal (self);
  if (r != SD_JOURNAL_NOP)
    fw_journal_source_advance (self);

  return G_SOURCE_CONTINUE;
}

/* ---------------------------------------------------------------------------------------- */
/* FwStream */

static void
fw_journal_source_pull (FwStream     *stream,
                        guint         max_items,
                        GCancellable *cancellable)
{
  FwJournalSource *self = FW_JOURNAL_SOURCE (stream);

  self->pulling = TRUE;
  fw_journal_source_advance (self);
}

static void
fw_journal_source_release (FwStream *stream)
{
  FwJournalSource *self = FW_JOURNAL_SOURCE (stream);

  if (self->watch != NULL)
    {
      g_source_destroy (self->watch);
      g_clear_pointer (&self->watch, g_source_unref);
    }
  fw_source_timer_stop (&self->timer);
  g_clear_pointer (&self->journal, sd_journal_close);
  fw_source_drop_queued (self->queued);
  self->pulling = FALSE;
  self->ended = TRUE;
}

static void
fw_journal_source_finalize (GObject *object)
{
  FwJournalSource *self = FW_JOURNAL_SOURCE (object);

  g_clear_pointer (&self->feed, g_ref_string_release);
  g_free (self->path);
  g_free (self->unit);
  g_free (self->resume);
  g_free (self->mark);
  g_clear_pointer (&self->matches, g_ptr_array_unref);
  g_clear_pointer (&self->names, g_hash_table_unref);
  g_clear_pointer (&self->ends, g_array_unref);
  g_clear_pointer (&self->body, g_byte_array_unref);
  fw_source_drop_queued (self->queued);
  g_clear_pointer (&self->queued, g_ptr_array_unref);
  g_clear_error (&self->failure);

  G_OBJECT_CLASS (fw_journal_source_parent_class)->finalize (object);
}

static void
fw_journal_source_class_init (FwJournalSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  FwStreamClass *stream_class = FW_STREAM_CLASS (klass);

  object_class->finalize = fw_journal_source_finalize;
  stream_class->pull = fw_journal_source_pull;
  stream_class->release = fw_journal_source_release;
}

static void
fw_journal_source_init (FwJournalSource *self)
{
  self->queued = g_ptr_array_new ();
  self->matches = g_ptr_array_new_with_free_func (g_free);
  self->ends = g_array_new (FALSE, FALSE, sizeof (gsize));
  self->body = g_byte_array_sized_new (4096);
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) g_ref_string_release);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static gboolean
is_boot_id (const char *text)
{
  sd_id128_t id;

  return strlen (text) == 32 && sd_id128_from_string (text, &id) >= 0;
}

/**
 * fw_journal_source_open:
 * @spec: a `journal:` feed
 * @flags: how to read it (%FW_FEED_OPEN_ONCE: up to the end, without following)
 * @error: where to put why it cannot be opened
 *
 * Opens a journal feed.
 *
 * Returns: (transfer full) (nullable): the stream of `journal:[/path]?options`; it opens the
 *   journal at the first `next`. %NULL with @error set for a bad option.
 */
FwStream *
fw_journal_source_open (const FwFeedSpec  *spec,
                        FwFeedOpenFlags    flags,
                        GError           **error)
{
  g_autoptr(FwJournalSource) self = g_object_new (FW_TYPE_JOURNAL_SOURCE, NULL);
  const char *priority = fw_feed_spec_get_option (spec, "priority");
  const char *boot = fw_feed_spec_get_option (spec, "boot");
  const char *identifier = fw_feed_spec_get_option (spec, "identifier");
  const char *unit = fw_feed_spec_get_option (spec, "unit");
  const char *from = fw_feed_spec_get_string (spec, "from");
  GHashTableIter iter;
  gpointer key, value;

  if (!fw_feed_spec_get_uint_or_default (spec, "lines", &self->lines, error))
    return NULL;

  fw_stream_set_name (FW_STREAM (self), spec->text);
  self->feed = fw_ref_string_intern (spec->text);
  self->flags = flags;
  self->from_start = g_strcmp0 (from, "start") == 0;
  if (spec->target[0] != '\0')
    {
      g_autofree char *expanded = spec->target[0] == '~'
        ? g_build_filename (g_get_home_dir (), spec->target + 1, NULL) : NULL;

      self->path = g_strdup (expanded != NULL ? expanded : spec->target);
    }
  self->resume = g_strdup (fw_feed_spec_get_option (spec, "cursor"));
  if (unit != NULL)
    self->unit = unit_name (unit);

  if (priority != NULL)
    {
      guint max;

      if (!parse_priority (priority, &max))
        {
          g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                       _("Feed “%s”: priority must be a level from 0 (emerg) to 7 (debug), or its "
                         "name (emerg, alert, crit, err, warning, notice, info, debug), not “%s”"),
                       spec->text, priority);
          return NULL;
        }
      for (guint i = 0; i <= max; i++)
        g_ptr_array_add (self->matches, g_strdup_printf ("PRIORITY=%u", i));
    }

  if (boot != NULL)
    {
      char id[SD_ID128_STRING_MAX];
      sd_id128_t boot_id;

      if (g_str_equal (boot, "current"))
        {
          int r = sd_id128_get_boot (&boot_id);

          if (r < 0)
            {
              g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                           _("Feed “%s”: this machine's boot ID cannot be read (%s); write the "
                             "boot's ID (journalctl --list-boots) instead of “current”"),
                           spec->text, g_strerror (-r));
              return NULL;
            }
          g_ptr_array_add (self->matches,
                           g_strconcat ("_BOOT_ID=", sd_id128_to_string (boot_id, id), NULL));
        }
      else if (is_boot_id (boot))
        {
          sd_id128_from_string (boot, &boot_id);
          g_ptr_array_add (self->matches,
                           g_strconcat ("_BOOT_ID=", sd_id128_to_string (boot_id, id), NULL));
        }
      else
        {
          g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                       _("Feed “%s”: boot must be “current” or a boot ID of 32 hexadecimal digits "
                         "(journalctl --list-boots shows them), not “%s”"), spec->text, boot);
          return NULL;
        }
    }

  if (identifier != NULL)
    g_ptr_array_add (self->matches, g_strconcat ("SYSLOG_IDENTIFIER=", identifier, NULL));

  /* FIELD=value: the kind's check let through only names in capitals */
  g_hash_table_iter_init (&iter, spec->options);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const FwFeedOption *option = fw_feed_kind_find_option (&fw_journal_source_kind, key);

      if (option != NULL && (option->flags & FW_FEED_OPTION_FIELD_NAME))
        g_ptr_array_add (self->matches, g_strconcat (key, "=", value, NULL));
    }
  /* The same matches in the same order, whatever the hash table's */
  g_ptr_array_sort (self->matches, compare_strings);

  return FW_STREAM (g_steal_pointer (&self));
}

/**
 * fw_journal_source_set_resume_mark:
 * @self: a journal source, before its first `next`
 * @mark: (nullable): what fw_journal_source_dup_resume_mark() said in an earlier session
 *
 * The feed starts with the `lines` entries up to the mark, flagged %FW_ITEM_FLAG_REPLAYED,
 * then every entry after it. Set before the first `next`; a `cursor=` option wins.
 *
 * Returns: %FALSE, and nothing is resumed, when @mark is not a journal cursor
 */
gboolean
fw_journal_source_set_resume_mark (FwJournalSource *self,
                                   const char      *mark)
{
  g_return_val_if_fail (FW_IS_JOURNAL_SOURCE (self), FALSE);
  g_return_val_if_fail (self->journal == NULL, FALSE);

  /* A cursor is "s=…;i=…;b=…;m=…;t=…;x=…" */
  if (mark == NULL || !g_str_has_prefix (mark, "s=") || strchr (mark, ';') == NULL)
    return FALSE;
  if (self->resume == NULL)
    {
      self->resume = g_strdup (mark);
      self->mark = g_strdup (mark);
    }
  return TRUE;
}

/**
 * fw_journal_source_dup_resume_mark:
 * @self: a journal source
 *
 * Where the feed is, to resume there in a later session.
 *
 * Returns: (transfer full) (nullable): the cursor of the last entry handed on, for
 *   fw_journal_source_set_resume_mark(); %NULL before any
 */
char *
fw_journal_source_dup_resume_mark (FwJournalSource *self)
{
  g_return_val_if_fail (FW_IS_JOURNAL_SOURCE (self), NULL);

  return g_strdup (self->mark);
}

/**
 * fw_journal_source_is_readable:
 * @root: (nullable): where /var and /run are looked for (tests); %NULL for "/"
 *
 * Whether this machine has a journal this user can read (its system journal, not only their
 * own): for a first launch to add it.
 *
 * Returns: %TRUE when the system journal is readable
 */
gboolean
fw_journal_source_is_readable (const char *root)
{
  static const char * const dirs[] = { "var/log/journal", "run/log/journal" };
  g_autofree char *machine_id = NULL;
  g_autofree char *id_path = g_build_filename (root != NULL ? root : "/", "etc/machine-id", NULL);

  if (!g_file_get_contents (id_path, &machine_id, NULL, NULL))
    return FALSE;
  g_strstrip (machine_id);

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *system = g_build_filename (root != NULL ? root : "/", dirs[i],
                                                  machine_id, "system.journal", NULL);

      if (access (system, R_OK) == 0)
        return TRUE;
    }

  return FALSE;
}

static const char * const from_choices[] = { "end", "start", NULL };

static const FwFeedOption journal_options[] = {
  { .key = "unit", .type = FW_FEED_OPTION_STRING,
    .help = N_("Only this systemd unit's entries (sshd, or nginx.service)") },
  { .key = "priority", .type = FW_FEED_OPTION_STRING,
    .help = N_("The least urgent level kept: 0 (emerg) to 7 (debug), or err, warning, info…") },
  { .key = "identifier", .type = FW_FEED_OPTION_STRING,
    .help = N_("Only entries with this syslog identifier (the program's name)") },
  { .key = "boot", .type = FW_FEED_OPTION_STRING,
    .help = N_("Only entries of this boot: current, or a boot ID") },
  { .key = "lines", .type = FW_FEED_OPTION_UINT,
    .default_value = G_STRINGIFY (FW_JOURNAL_SOURCE_DEFAULT_LINES),
    .help = N_("Start with this many of the last entries") },
  { .key = "from", .type = FW_FEED_OPTION_CHOICE, .default_value = "end",
    .choices = from_choices,
    .help = N_("Where to start: the last entries (end) or the oldest the journal holds (start)") },
  { .key = "cursor", .type = FW_FEED_OPTION_STRING,
    .help = N_("Resume after the entry of this journal cursor (journalctl --show-cursor)") },
  { .key = "FIELD", .type = FW_FEED_OPTION_STRING, .flags = FW_FEED_OPTION_FIELD_NAME,
    .help = N_("Only entries whose field has this value (_COMM=sshd, _TRANSPORT=kernel)") },
  { NULL }
};

static const FwFeedOption *const journal_option_list[] = { journal_options, NULL };

static char *
journal_title (const FwFeedSpec *spec)
{
  const char *unit = fw_feed_spec_get_option (spec, "unit");
  const char *identifier = fw_feed_spec_get_option (spec, "identifier");

  /* TRANSLATORS: a feed's default title; %s is a systemd unit or a program's identifier */
  if (unit != NULL)
    return g_strdup_printf (_("Journal: %s"), unit);
  if (identifier != NULL)
    return g_strdup_printf (_("Journal: %s"), identifier);
  return spec->target[0] != '\0' ? fw_feed_title_from_path (spec) : NULL;
}

const FwFeedKind fw_journal_source_kind = {
  .name = "journal",
  .open = fw_journal_source_open,
  .description = N_("The systemd journal: this machine's, or a folder of journal files"),
  .title = N_("System journal"),
  .icon_name = "text-x-generic-symbolic",
  .example = "journal:",
  .options = journal_option_list,
  .default_title = journal_title,
};
