/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-postgres-source.c: `postgres://user@host:port/db?channel=a,b`, PostgreSQL's LISTEN/NOTIFY
 * through libpq.
 *
 * The address is libpq's connection URI (its query takes libpq's parameters: sslmode,
 * connect_timeout, application_name…), with `channel` taken out of it: the channels to LISTEN
 * on, one or more joined by ','. They may also follow a '#' (`#channel=orders`), where the
 * other feed options go. A channel's name is used as written (quoted), as pg_notify() takes it.
 *
 * Nothing blocks the main loop: the connection is made with PQconnectStart()/PQconnectPoll()
 * on its socket, LISTEN is sent with PQsendQuery(), and notifications are read from the socket
 * (PQconsumeInput(), PQnotifies()) only while a pull is unanswered: a consumer that does not
 * pull leaves them in the kernel and the server's queue. A host name is resolved by libpq
 * itself, which blocks; an address (127.0.0.1) or a socket folder does not.
 *
 * Each notification is one message item named after its channel; a payload that is JSON keeps
 * its fields (fw-json-item.c). A lost connection is reconnected through the shared helper
 * (fw-reconnect.c); once listening again, a status item says plainly that LISTEN/NOTIFY has no
 * replay, so what was sent in between is lost. A refused password, an unknown database or user
 * will not mend by retrying: the feed fails, saying so.
 */

#include "config.h"

#include "fw-postgres-source.h"
#include "fw-feed-state.h"

#include <glib/gi18n-lib.h>
#include <glib-unix.h>
#include <string.h>

#include <libpq-fe.h>

#include "fw-json-item.h"
#include "fw-reconnect.h"
#include "fw-source-private.h"

/* Notifications one pull hands on at the most: a bounded piece of main-loop time */
#define MAX_PER_PULL 4096

typedef enum
{
  STATE_IDLE,        /* not connected; connect at the next pull */
  STATE_CONNECTING,  /* PQconnectPoll() steps */
  STATE_LISTENING,   /* LISTEN sent, its results awaited */
  STATE_OPEN,
  STATE_WAITING,     /* the reconnect timer runs */
  STATE_ENDED,
} State;

struct _FwPostgresSource
{
  FwStream         parent_instance;

  FwFeedSpec      *spec;
  GRefString      *feed;
  char            *conninfo;   /* libpq's URI, without `channel` */
  GStrv            channels;
  GHashTable      *names;      /* channel → GRefString */
  FwFeedOpenFlags  flags;
  FwReconnect     *reconnect;

  PGconn          *conn;
  GSource         *watch;
  GIOCondition     watching;
  GPtrArray       *queued;
  GError          *failure;
  char            *last_notice; /* the server's last word (why it ended the session) */
  gint64           lost_at;    /* wall clock µs when the connection was lost, 0 when not */
  guint64          received;
  State            state;
  guint            pulling : 1;
  guint            ended : 1;
  guint            was_open : 1;  /* listened once: a later connection is a reconnection */
};

G_DEFINE_FINAL_TYPE (FwPostgresSource, fw_postgres_source, FW_TYPE_STREAM)

static void fw_postgres_source_advance (FwPostgresSource *self);
static void fw_postgres_source_connect (FwPostgresSource *self);

static void
queue_status (FwPostgresSource *self,
              FwFeedState       state,
              FwLevel           level,
              const char       *text)
{
  g_autofree char *masked = fw_feed_spec_mask_message (self->spec, text);

  g_ptr_array_add (self->queued, fw_feed_status_new (self->feed, state, level, masked));
}

/* ---------------------------------------------------------------------------------------- */
/* The socket */

static gboolean on_socket (int fd, GIOCondition condition, gpointer user_data);

static void
unwatch (FwPostgresSource *self)
{
  if (self->watch != NULL)
    {
      g_source_destroy (self->watch);
      g_clear_pointer (&self->watch, g_source_unref);
    }
  self->watching = 0;
}

/* Watches the connection's socket for @condition; libpq may change the socket while it
 * connects (another address of the host), so it is looked up each time. */
static void
watch (FwPostgresSource *self,
       GIOCondition      condition)
{
  int fd = PQsocket (self->conn);

  if (self->watch != NULL && self->watching == condition)
    return;
  unwatch (self);
  if (fd < 0)
    return;
  self->watch = g_unix_fd_source_new (fd, condition | G_IO_ERR | G_IO_HUP);
  g_source_set_callback (self->watch, G_SOURCE_FUNC (on_socket), self, NULL);
  g_source_set_static_name (self->watch, "[feedwatch] postgres");
  g_source_attach (self->watch, fw_stream_get_context (FW_STREAM (self)));
  self->watching = condition;
}

static void
drop_connection (FwPostgresSource *self)
{
  unwatch (self);
  g_clear_pointer (&self->conn, PQfinish);
}

/* On one line, without libpq's trailing newline or its tabs */
static char *
one_line (const char *message)
{
  g_autofree char *text = g_strstrip (g_strdup (message));
  g_auto(GStrv) words = NULL;

  g_strdelimit (text, "\n\t", ' ');
  words = g_strsplit (text, " ", -1);
  for (guint i = 0, j = 0; ; i++)
    {
      /* Runs of spaces become one */
      if (words[i] != NULL && words[i][0] == '\0')
        {
          g_free (words[i]);
          continue;
        }
      words[j++] = words[i];
      if (words[i] == NULL)
        break;
    }
  return g_strjoinv (" ", words);
}

/* libpq's message; when the server ended the session, what it said first */
static char *
connection_error (FwPostgresSource *self)
{
  const char *message = self->conn != NULL ? PQerrorMessage (self->conn) : NULL;

  if (message == NULL || message[0] == '\0')
    message = _("the connection failed");
  if (self->last_notice != NULL && strstr (message, "server closed the connection") != NULL)
    /* TRANSLATORS: %s is what the PostgreSQL server said last */
    return g_strdup_printf (_("the server ended the session (%s)"), self->last_notice);
  return one_line (message);
}

/* libpq would print the server's notices on stderr: they are kept for the next status */
static void
on_notice (void       *user_data,
           const char *message)
{
  FwPostgresSource *self = user_data;

  g_free (self->last_notice);
  self->last_notice = one_line (message);
}

static void
fail (FwPostgresSource *self,
      const char       *reason)
{
  g_autofree char *masked = fw_feed_spec_mask_message (self->spec, reason);

  drop_connection (self);
  fw_reconnect_stop (self->reconnect);
  queue_status (self, FW_FEED_STATE_FAILED, FW_LEVEL_ERROR, masked);
  g_clear_error (&self->failure);
  self->failure = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", self->spec->text,
                               masked);
  self->ended = TRUE;
  self->state = STATE_ENDED;
}

static gboolean
on_retry_due (gpointer user_data)
{
  FwPostgresSource *self = user_data;

  self->state = STATE_IDLE;
  fw_postgres_source_advance (self);
  return G_SOURCE_REMOVE;
}

/* What retrying cannot mend: the server said no to who we are or what we asked for */
static gboolean
is_refusal (const char *message)
{
  static const char * const refusals[] = {
    "password authentication failed", "no password supplied", "does not exist",
    "no pg_hba.conf entry", "authentication failed", "permission denied",
    "invalid connection option", "invalid URI", "invalid sslmode", NULL
  };

  for (guint i = 0; refusals[i] != NULL; i++)
    {
      if (strstr (message, refusals[i]) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* The connection failed or was lost: try again later, or stop (--once, a refusal). */
static void
connection_failed (FwPostgresSource *self,
                   const char       *reason)
{
  if ((self->flags & FW_FEED_OPEN_ONCE) || is_refusal (reason))
    {
      g_autofree char *text = NULL;

      if (strstr (reason, "password") != NULL)
        text = g_strdup_printf (_("PostgreSQL refused the password (%s): check the user and "
                                  "password of the feed (Edit Feed; they are kept in the "
                                  "keyring)"), reason);
      else
        text = g_strdup_printf (_("PostgreSQL refused the connection (%s): check the feed's "
                                  "address, user and database"), reason);
      fail (self, is_refusal (reason) ? text : reason);
      return;
    }

  if (self->lost_at == 0 && self->was_open)
    self->lost_at = g_get_real_time ();
  drop_connection (self);
  g_ptr_array_add (self->queued, fw_reconnect_schedule (self->reconnect, self->feed,
                                                        FW_LEVEL_WARNING, "retrying", reason));
  self->state = fw_reconnect_wait (self->reconnect, FW_STREAM (self), on_retry_due,
                                   "[feedwatch] postgres reconnect")
                ? STATE_WAITING : STATE_IDLE;
}

/* ---------------------------------------------------------------------------------------- */
/* Notifications */

static GRefString *
channel_name (FwPostgresSource *self,
              const char       *channel)
{
  GRefString *name = g_hash_table_lookup (self->names, channel);

  if (name == NULL)
    {
      name = g_ref_string_new (channel);
      g_hash_table_insert (self->names, g_strdup (channel), name);
    }
  return name;
}

static FwItem *
notification_item (FwPostgresSource *self,
                   PGnotify         *notify,
                   gint64            now_us)
{
  gsize len = strlen (notify->extra);
  gboolean invalid = FALSE;
  FwItem *item = NULL;

  /* A payload that is JSON keeps its fields */
  if (len > 0 && (notify->extra[0] == '{' || notify->extra[0] == '['))
    item = fw_json_item_parse (self->feed, now_us, notify->extra, len, &invalid);
  if (item == NULL || invalid)
    {
      g_autofree char *valid = g_utf8_make_valid (notify->extra, len);

      g_clear_pointer (&item, fw_item_unref);
      item = fw_item_new (FW_ITEM_MESSAGE, self->feed, now_us, valid, -1);
    }
  fw_item_set_name_ref (item, channel_name (self, notify->relname));
  return item;
}

/* Hands on what libpq has read; reads more from the socket first when @read. Returns how many
 * it handed on, or -1 when the connection is gone. */
static int
take_notifications (FwPostgresSource *self,
                    gboolean          read)
{
  gint64 now_us = g_get_real_time ();
  PGnotify *notify;
  int n = 0;

  if (read && !PQconsumeInput (self->conn))
    return -1;

  while (n < MAX_PER_PULL && (notify = PQnotifies (self->conn)) != NULL)
    {
      fw_stream_yield (FW_STREAM (self), notification_item (self, notify, now_us));
      PQfreemem (notify);
      n++;
    }
  self->received += n;

  /* A result nobody asked for (none should come) is read and dropped */
  while (!PQisBusy (self->conn))
    {
      PGresult *result = PQgetResult (self->conn);

      if (result == NULL)
        break;
      PQclear (result);
    }

  return PQstatus (self->conn) == CONNECTION_OK ? n : -1;
}

/* ---------------------------------------------------------------------------------------- */
/* Connecting and listening */

static void
send_listen (FwPostgresSource *self)
{
  g_autoptr(GString) query = g_string_new (NULL);

  for (guint i = 0; self->channels[i] != NULL; i++)
    {
      char *quoted = PQescapeIdentifier (self->conn, self->channels[i],
                                         strlen (self->channels[i]));

      if (quoted == NULL)
        {
          g_autofree char *reason = connection_error (self);

          fail (self, reason);
          return;
        }
      g_string_append_printf (query, "LISTEN %s;", quoted);
      PQfreemem (quoted);
    }

  if (PQsetnonblocking (self->conn, 1) != 0 || !PQsendQuery (self->conn, query->str))
    {
      g_autofree char *reason = connection_error (self);

      connection_failed (self, reason);
      return;
    }
  self->state = STATE_LISTENING;
  watch (self, PQflush (self->conn) == 1 ? G_IO_IN | G_IO_OUT : G_IO_IN);
}

static void
listening (FwPostgresSource *self)
{
  g_autofree char *list = g_strjoinv (", ", self->channels);

  self->state = STATE_OPEN;
  fw_reconnect_succeeded (self->reconnect);
  if (self->was_open)
    {
      g_autoptr(GDateTime) lost = g_date_time_new_from_unix_local (self->lost_at / G_USEC_PER_SEC);
      g_autoptr(GDateTime) back = g_date_time_new_now_local ();
      g_autofree char *from = lost != NULL ? g_date_time_format (lost, "%H:%M:%S") : NULL;
      g_autofree char *to = g_date_time_format (back, "%H:%M:%S");
      g_autofree char *text =
        /* TRANSLATORS: the channels, then the times the connection was lost and back */
        g_strdup_printf (_("Listening again on %s. LISTEN/NOTIFY has no replay: notifications "
                           "sent while disconnected (%s to %s) are lost"), list,
                         from != NULL ? from : "?", to);

      queue_status (self, FW_FEED_STATE_LIVE, FW_LEVEL_WARNING, text);
    }
  else
    {
      /* TRANSLATORS: %s lists the channels: "orders, payments" */
      g_autofree char *text = g_strdup_printf (_("listening on %s"), list);

      queue_status (self, FW_FEED_STATE_LIVE, FW_LEVEL_INFO, text);
    }
  self->was_open = TRUE;
  self->lost_at = 0;
  unwatch (self);
}

/* LISTEN's results: one a channel, each COMMAND_OK */
static void
read_listen_results (FwPostgresSource *self)
{
  if (!PQconsumeInput (self->conn))
    {
      g_autofree char *reason = connection_error (self);

      connection_failed (self, reason);
      return;
    }

  while (!PQisBusy (self->conn))
    {
      PGresult *result = PQgetResult (self->conn);

      if (result == NULL)
        {
          listening (self);
          return;
        }
      if (PQresultStatus (result) != PGRES_COMMAND_OK)
        {
          /* TRANSLATORS: LISTEN is the SQL command; %s is the server's error message */
          g_autofree char *text = g_strdup_printf (_("LISTEN failed: %s"),
                                                   PQresultErrorMessage (result));

          PQclear (result);
          g_strstrip (text);
          fail (self, text);
          return;
        }
      PQclear (result);
    }
}

static void
poll_connection (FwPostgresSource *self)
{
  switch (PQconnectPoll (self->conn))
    {
    case PGRES_POLLING_READING:
      watch (self, G_IO_IN);
      break;

    case PGRES_POLLING_WRITING:
      watch (self, G_IO_OUT);
      break;

    case PGRES_POLLING_OK:
      send_listen (self);
      break;

    case PGRES_POLLING_FAILED:
    default:
      {
        g_autofree char *reason = connection_error (self);

        connection_failed (self, reason);
      }
      break;
    }
}

static void
fw_postgres_source_connect (FwPostgresSource *self)
{
  self->conn = PQconnectStart (self->conninfo);
  if (self->conn == NULL)
    {
      fail (self, _("libpq could not allocate a connection (out of memory)"));
      return;
    }
  if (PQstatus (self->conn) == CONNECTION_BAD)
    {
      g_autofree char *reason = connection_error (self);

      connection_failed (self, reason);
      return;
    }

  PQsetNoticeProcessor (self->conn, on_notice, self);
  g_clear_pointer (&self->last_notice, g_free);
  self->state = STATE_CONNECTING;
  queue_status (self, FW_FEED_STATE_CONNECTING, FW_LEVEL_INFO, _("connecting"));
  /* As libpq says: start by waiting for the socket to be writable */
  watch (self, G_IO_OUT);
}

static gboolean
on_socket (int          fd,
           GIOCondition condition,
           gpointer     user_data)
{
  FwPostgresSource *self = user_data;

  switch (self->state)
    {
    case STATE_CONNECTING:
      poll_connection (self);
      break;

    case STATE_LISTENING:
      if (condition & G_IO_OUT)
        {
          if (PQflush (self->conn) == 0)
            watch (self, G_IO_IN);
        }
      if (condition & (G_IO_IN | G_IO_ERR | G_IO_HUP))
        read_listen_results (self);
      break;

    case STATE_OPEN:
      /* Watched only while a pull waits: it reads */
      break;

    case STATE_IDLE:
    case STATE_WAITING:
    case STATE_ENDED:
    default:
      unwatch (self);
      break;
    }

  fw_postgres_source_advance (self);
  return self->watch != NULL ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* ---------------------------------------------------------------------------------------- */
/* Answering pulls */

static void
fw_postgres_source_advance (FwPostgresSource *self)
{
  int n = 0;

  if (!self->pulling)
    return;

  for (guint i = 0; i < self->queued->len; i++)
    fw_stream_yield (FW_STREAM (self), g_ptr_array_index (self->queued, i));
  n = self->queued->len;
  g_ptr_array_set_size (self->queued, 0);

  if (self->state == STATE_OPEN)
    {
      int taken = take_notifications (self, TRUE);

      if (taken < 0)
        {
          g_autofree char *reason = connection_error (self);

          connection_failed (self, reason);
        }
      else
        n += taken;

      if (taken == 0 && (self->flags & FW_FEED_OPEN_ONCE))
        {
          /* --once: what was there when listening began, then the end */
          drop_connection (self);
          self->ended = TRUE;
          self->state = STATE_ENDED;
        }
    }

  if (n == 0 && self->queued->len == 0 && !self->ended)
    {
      switch (self->state)
        {
        case STATE_IDLE:
          fw_postgres_source_connect (self);
          break;
        case STATE_OPEN:
          watch (self, G_IO_IN);
          break;
        case STATE_CONNECTING:
        case STATE_LISTENING:
        case STATE_WAITING:
        case STATE_ENDED:
        default:
          break;
        }
      if (self->queued->len == 0 && !self->ended)
        return;
    }

  /* What happened while answering (a status) comes now */
  for (guint i = 0; i < self->queued->len; i++)
    fw_stream_yield (FW_STREAM (self), g_ptr_array_index (self->queued, i));
  g_ptr_array_set_size (self->queued, 0);

  self->pulling = FALSE;
  if (self->state == STATE_OPEN)
    unwatch (self);
  fw_source_answer_pull (FW_STREAM (self), self->queued, self->ended, &self->failure);
}

/* ---------------------------------------------------------------------------------------- */
/* FwStream */

static void
fw_postgres_source_pull (FwStream     *stream,
                         guint         max_items,
                         GCancellable *cancellable)
{
  FwPostgresSource *self = FW_POSTGRES_SOURCE (stream);

  self->pulling = TRUE;
  fw_postgres_source_advance (self);
}

static void
fw_postgres_source_release (FwStream *stream)
{
  FwPostgresSource *self = FW_POSTGRES_SOURCE (stream);

  drop_connection (self);
  fw_reconnect_stop (self->reconnect);
  fw_source_drop_queued (self->queued);
  self->state = STATE_ENDED;
  self->pulling = FALSE;
}

static void
fw_postgres_source_finalize (GObject *object)
{
  FwPostgresSource *self = FW_POSTGRES_SOURCE (object);

  drop_connection (self);
  g_clear_pointer (&self->spec, fw_feed_spec_unref);
  g_clear_pointer (&self->feed, g_ref_string_release);
  g_free (self->conninfo);
  g_free (self->last_notice);
  g_strfreev (self->channels);
  g_clear_pointer (&self->names, g_hash_table_unref);
  g_clear_pointer (&self->reconnect, fw_reconnect_free);
  fw_source_drop_queued (self->queued);
  g_clear_pointer (&self->queued, g_ptr_array_unref);
  g_clear_error (&self->failure);

  G_OBJECT_CLASS (fw_postgres_source_parent_class)->finalize (object);
}

static void
fw_postgres_source_class_init (FwPostgresSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  FwStreamClass *stream_class = FW_STREAM_CLASS (klass);

  object_class->finalize = fw_postgres_source_finalize;
  stream_class->pull = fw_postgres_source_pull;
  stream_class->release = fw_postgres_source_release;
}

static void
fw_postgres_source_init (FwPostgresSource *self)
{
  self->queued = g_ptr_array_new ();
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) g_ref_string_release);
}

/* Splits `channel=a,b` out of the URI's query: libpq refuses parameters it does not know. */
static char *
take_channel_param (const char  *uri,
                    char       **out_channels)
{
  const char *query = strchr (uri, '?');
  g_auto(GStrv) params = NULL;
  g_autoptr(GString) out = NULL;
  gboolean first = TRUE;

  *out_channels = NULL;
  if (query == NULL)
    return g_strdup (uri);

  out = g_string_new_len (uri, query - uri);
  params = g_strsplit (query + 1, "&", -1);
  for (guint i = 0; params[i] != NULL; i++)
    {
      if (g_str_has_prefix (params[i], "channel="))
        {
          g_free (*out_channels);
          *out_channels = g_uri_unescape_string (params[i] + strlen ("channel="), NULL);
          continue;
        }
      if (params[i][0] == '\0')
        continue;
      g_string_append_c (out, first ? '?' : '&');
      g_string_append (out, params[i]);
      first = FALSE;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * fw_postgres_source_open:
 * @spec: a `postgres://` or `postgresql://` feed, naming its channels (`?channel=NAME`)
 * @flags: how to read it
 * @error: where to put why it cannot be opened
 *
 * Opens a PostgreSQL feed: the notifications (LISTEN/NOTIFY) of some channels, one item
 * each.
 *
 * Returns: (transfer full) (nullable): the stream of `postgres://…?channel=NAME`; it connects
 *   at the first `next`. %NULL with @error set when no channel is named or the address is not
 *   one libpq takes.
 */
FwStream *
fw_postgres_source_open (const FwFeedSpec  *spec,
                         FwFeedOpenFlags    flags,
                         GError           **error)
{
  g_autoptr(FwPostgresSource) self = NULL;
  g_autofree char *uri = g_strconcat ("postgresql:", spec->target, NULL);
  g_autofree char *in_query = NULL;
  g_autofree char *conninfo = take_channel_param (uri, &in_query);
  const char *option = fw_feed_spec_get_option (spec, "channel");
  const char *channels = option != NULL ? option : in_query;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) parts = NULL;
  char *parse_error = NULL;
  PQconninfoOption *parsed;
  guint retry, retry_max;

  if (!g_str_has_prefix (spec->target, "//"))
    {
      g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                   _("Feed “%s”: write a PostgreSQL address as "
                     "postgres://user@host:port/database?channel=NAME"), spec->text);
      return NULL;
    }

  parsed = PQconninfoParse (conninfo, &parse_error);
  if (parsed == NULL)
    {
      g_autofree char *text = g_strstrip (g_strdup (parse_error != NULL ? parse_error
                                                                        : _("out of memory")));
      g_autofree char *masked = fw_feed_spec_mask_message (spec, text);

      PQfreemem (parse_error);
      g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                   _("Feed “%s”: libpq does not take this address: %s"), spec->text, masked);
      return NULL;
    }
  PQconninfoFree (parsed);

  parts = g_strsplit (channels != NULL ? channels : "", ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (parts[i][0] != '\0')
        g_ptr_array_add (names, g_strdup (parts[i]));
    }
  if (names->len == 0)
    {
      g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                   _("Feed “%s”: name the channels to LISTEN on, as in "
                     "postgres://user@host/database?channel=orders,payments"), spec->text);
      return NULL;
    }
  g_ptr_array_add (names, NULL);

  if (!fw_feed_spec_get_uint_or_default (spec, "retry", &retry, error) ||
      !fw_feed_spec_get_uint_or_default (spec, "retry-max", &retry_max, error))
    return NULL;

  self = g_object_new (FW_TYPE_POSTGRES_SOURCE, NULL);
  fw_stream_set_name (FW_STREAM (self), spec->text);
  self->spec = fw_feed_spec_ref ((FwFeedSpec *) spec);
  self->feed = fw_ref_string_intern (spec->text);
  self->conninfo = g_steal_pointer (&conninfo);
  self->channels = (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
  self->flags = flags;
  self->reconnect = fw_reconnect_new (retry, retry_max, TRUE);

  return FW_STREAM (g_steal_pointer (&self));
}

/* "host/database", never the user or password */
static char *
postgres_title (const FwFeedSpec *spec)
{
  g_autofree char *uri = g_strconcat ("postgresql:", spec->target, NULL);
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NON_DNS, NULL);
  const char *host = parsed != NULL ? g_uri_get_host (parsed) : NULL;
  const char *path = parsed != NULL ? g_uri_get_path (parsed) : NULL;

  if (host == NULL || host[0] == '\0')
    host = "localhost";
  return g_strdup_printf ("%s%s", host, path != NULL && !g_str_equal (path, "/") ? path : "");
}

static const FwFeedOption postgres_options[] = {
  { .key = "channel", .type = FW_FEED_OPTION_STRING,
    .help = N_("The channels to LISTEN on, joined by commas (or channel= in the address)") },
  { .key = "retry", .type = FW_FEED_OPTION_MILLISECONDS, .flags = FW_FEED_OPTION_CONNECTION,
    .default_value = "1000",
    .help = N_("Milliseconds before the first reconnection after a good connection") },
  { .key = "retry-max", .type = FW_FEED_OPTION_MILLISECONDS, .flags = FW_FEED_OPTION_CONNECTION,
    .default_value = G_STRINGIFY (FW_POSTGRES_DEFAULT_RETRY_MAX_MS),
    .help = N_("The longest wait between reconnections, in milliseconds") },
  { NULL }
};

static const FwFeedOption *const postgres_option_list[] = { postgres_options, NULL };

const FwFeedKind fw_postgres_source_kind = {
  .name = "postgres",
  .open = fw_postgres_source_open,
  .description = N_("PostgreSQL notifications (LISTEN/NOTIFY)"),
  .title = N_("PostgreSQL"),
  .icon_name = "network-server-symbolic",
  .example = "postgres://",
  .options = postgres_option_list,
  .default_title = postgres_title,
};

/* The same, by libpq's other scheme; not offered twice in the Add Feed dialog */
const FwFeedKind fw_postgresql_source_kind = {
  .name = "postgresql",
  .open = fw_postgres_source_open,
  .description = N_("PostgreSQL notifications (LISTEN/NOTIFY)"),
  .title = N_("PostgreSQL"),
  .icon_name = "network-server-symbolic",
  .example = NULL,
  .options = postgres_option_list,
  .default_title = postgres_title,
};
