/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-fault-proxy.c: a loopback TCP proxy that breaks what it forwards.
 *
 * It listens on 127.0.0.1 (port 0) and forwards each connection to an upstream port on
 * 127.0.0.1, all with async GIO on the thread-default main context of its creator, so a test
 * needs no thread. Requests go up untouched; the response side is where faults happen. Each
 * chunk read from upstream is written down in small writes of random size (so that a cut can
 * land anywhere, inside a UTF-8 character or an event), and once enough bytes have passed
 * since the last fault (a random gap around the mean), the chunk gets one fault, drawn by
 * weight: a short delay, a stall, a cut after a random split point (or one chosen inside a
 * multibyte character), a plain drop, or a drop that also refuses new connections for a while.
 * After the budget of faults it is transparent, so a test can wait for its feed to finish.
 *
 * The schedule comes from one GRand with a seed the test prints: a failing run replays the same
 * decisions, as far as the chunk boundaries (which depend on timing) let it.
 */

#include "fw-fault-proxy.h"

#include <netinet/in.h>
#include <netinet/tcp.h>

#define CHUNK_SIZE     (16 * 1024)
#define REQUEST_SIZE   4096
#define MAX_PIECE      1024
#define MAX_DELAY_MS   40

typedef struct _Link Link;

struct _FwFaultProxy
{
  GObject         parent_instance;

  GSocketService *service;
  GSocketClient  *client;
  guint16         port;
  guint16         upstream_port;
  guint32         seed;
  GRand          *rand;

  guint           budget;          /* faults left to inject */
  gsize           mean_gap;        /* bytes between faults, on average */
  gsize           bytes_since_fault;
  gsize           next_gap;
  guint           weights[FW_FAULT_N_KINDS];
  guint           first_kinds[FW_FAULT_N_KINDS]; /* the first draws: each kind once, shuffled */
  guint           n_drawn;
  guint           stall_min_ms;
  guint           stall_max_ms;
  guint           refuse_min_ms;
  guint           refuse_max_ms;
  gint64          refuse_until;    /* monotonic µs */

  guint           n_faults[FW_FAULT_N_KINDS];
  guint           n_connections;
  guint           n_refused;
  guint64         n_bytes;

  GList          *links;           /* open ones, so that stop can close them */
};

G_DEFINE_FINAL_TYPE (FwFaultProxy, fw_fault_proxy, G_TYPE_OBJECT)

/* One forwarded connection. Each pending operation and timer holds a reference; `proxy` is
 * cleared when the link closes, so late callbacks do nothing. The sockets are closed when the
 * last reference goes, after the cancelled operations have returned. */
struct _Link
{
  grefcount          ref_count;
  FwFaultProxy      *proxy;
  GSocketConnection *downstream;   /* the feed's side */
  GSocketConnection *upstream;     /* the server's side */
  GCancellable      *cancellable;
  GSource           *timer;
  gsize              len;          /* of the chunk being forwarded */
  gsize              off;          /* written so far */
  gsize              limit;        /* where writing stops: len, or the split point of a cut */
  gsize              piece;        /* the write in flight */
  gboolean           close_at_limit;
  guint8             request[REQUEST_SIZE];
  guint8             chunk[CHUNK_SIZE];
};

static void read_response (Link *link);
static void read_request  (Link *link);
static void write_piece   (Link *link);

static Link *
link_ref (Link *link)
{
  g_ref_count_inc (&link->ref_count);
  return link;
}

static void
link_unref (Link *link)
{
  if (!g_ref_count_dec (&link->ref_count))
    return;

  if (link->downstream != NULL)
    g_io_stream_close (G_IO_STREAM (link->downstream), NULL, NULL);
  if (link->upstream != NULL)
    g_io_stream_close (G_IO_STREAM (link->upstream), NULL, NULL);
  g_clear_object (&link->downstream);
  g_clear_object (&link->upstream);
  g_clear_object (&link->cancellable);
  g_free (link);
}

static void
link_stop_timer (Link *link)
{
  if (link->timer != NULL)
    {
      g_source_destroy (link->timer);
      g_clear_pointer (&link->timer, g_source_unref);
    }
}

static void
link_close (Link *link)
{
  FwFaultProxy *self = link->proxy;

  if (self == NULL)
    return;

  link->proxy = NULL;
  self->links = g_list_remove (self->links, link);
  link_stop_timer (link);
  g_cancellable_cancel (link->cancellable);
  link_unref (link); /* the list's reference */
}

/* ---------------------------------------------------------------------------------------- */
/* The schedule */

static gsize
draw_gap (FwFaultProxy *self)
{
  gsize low = MAX (self->mean_gap / 4, 1);
  gsize high = MAX (self->mean_gap * 7 / 4, low + 1);

  return low + (gsize) (g_rand_double (self->rand) * (double) (high - low));
}

static guint
draw_range (FwFaultProxy *self,
            guint         min,
            guint         max)
{
  return max > min ? (guint) g_rand_int_range (self->rand, (gint32) min, (gint32) max + 1) : min;
}

/* Whether this chunk gets a fault, and which: -1 for none. */
static int
decide (FwFaultProxy *self,
        gsize         len)
{
  guint total = 0;
  guint pick;

  if (self->budget == 0)
    return -1;

  self->bytes_since_fault += len;
  if (self->bytes_since_fault < self->next_gap)
    return -1;

  for (guint i = 0; i < FW_FAULT_N_KINDS; i++)
    total += self->weights[i];
  if (total == 0)
    return -1;

  self->bytes_since_fault = 0;
  self->next_gap = draw_gap (self);
  self->budget--;

  /* Every enabled kind comes once before the weighted draws: a run of a few dozen faults
   * must try each (a weighted draw alone leaves one out now and then) */
  while (self->n_drawn < FW_FAULT_N_KINDS)
    {
      guint kind = self->first_kinds[self->n_drawn++];

      if (self->weights[kind] > 0)
        return (int) kind;
    }

  pick = (guint) g_rand_int_range (self->rand, 0, (gint32) total);
  for (guint i = 0; i < FW_FAULT_N_KINDS; i++)
    {
      if (pick < self->weights[i])
        return (int) i;
      pick -= self->weights[i];
    }
  g_assert_not_reached ();
}

/* A split point between the lead byte of a multibyte character and a continuation byte, or
 * 0 when the chunk holds none. */
static gsize
find_utf8_split (FwFaultProxy *self,
                 const guint8 *data,
                 gsize         len)
{
  gsize start = (gsize) g_rand_int_range (self->rand, 1, (gint32) MAX (len, 2));

  for (gsize k = 0; k + 1 < len; k++)
    {
      gsize i = 1 + (start - 1 + k) % (len - 1);

      if ((data[i] & 0xC0) == 0x80)
        return i;
    }
  return 0;
}

static gboolean
on_hold_over (gpointer user_data)
{
  Link *link = user_data;

  g_clear_pointer (&link->timer, g_source_unref);
  write_piece (link);
  return G_SOURCE_REMOVE;
}

static void
hold (Link  *link,
      guint  ms)
{
  link->timer = g_timeout_source_new (ms);
  g_source_set_callback (link->timer, on_hold_over, link_ref (link),
                         (GDestroyNotify) link_unref);
  g_source_set_static_name (link->timer, "[feedwatch] fault proxy hold");
  g_source_attach (link->timer, g_main_context_get_thread_default ());
}

static void
apply_fault (Link        *link,
             FwFaultKind  kind)
{
  FwFaultProxy *self = link->proxy;
  gsize split;

  switch (kind)
    {
    case FW_FAULT_DELAY:
      self->n_faults[kind]++;
      hold (link, draw_range (self, 1, MAX_DELAY_MS));
      return;

    case FW_FAULT_STALL:
      self->n_faults[kind]++;
      hold (link, draw_range (self, self->stall_min_ms, self->stall_max_ms));
      return;

    case FW_FAULT_CUT_UTF8:
      split = find_utf8_split (self, link->chunk, link->len);
      if (split > 0)
        {
          self->n_faults[kind]++;
          link->limit = split;
          link->close_at_limit = TRUE;
          write_piece (link);
          return;
        }
      G_GNUC_FALLTHROUGH; /* nothing multibyte here: an ordinary cut */

    case FW_FAULT_CUT:
      self->n_faults[FW_FAULT_CUT]++;
      link->limit = link->len > 1 ? draw_range (self, 1, (guint) link->len - 1) : 0;
      link->close_at_limit = TRUE;
      write_piece (link);
      return;

    case FW_FAULT_REFUSE:
      self->refuse_until = g_get_monotonic_time () +
                           (gint64) draw_range (self, self->refuse_min_ms,
                                                self->refuse_max_ms) * 1000;
      G_GNUC_FALLTHROUGH;

    case FW_FAULT_DROP:
      self->n_faults[kind]++;
      link_close (link);
      return;

    case FW_FAULT_N_KINDS:
    default:
      g_assert_not_reached ();
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Responses: upstream → downstream, where the faults are */

static void
on_piece_written (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Link *link = user_data;
  gboolean ok = g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL);

  if (link->proxy != NULL)
    {
      if (!ok)
        link_close (link);
      else
        {
          link->off += link->piece;
          link->proxy->n_bytes += link->piece;
          write_piece (link);
        }
    }
  link_unref (link);
}

static void
write_piece (Link *link)
{
  GOutputStream *out;

  if (link->proxy == NULL)
    return;

  if (link->off >= link->limit)
    {
      if (link->close_at_limit)
        link_close (link);
      else
        read_response (link);
      return;
    }

  link->piece = draw_range (link->proxy, 1, MAX_PIECE); /* not inside MIN: drawn once */
  link->piece = MIN (link->piece, link->limit - link->off);
  out = g_io_stream_get_output_stream (G_IO_STREAM (link->downstream));
  g_output_stream_write_all_async (out, link->chunk + link->off, link->piece, G_PRIORITY_DEFAULT,
                                   link->cancellable, on_piece_written, link_ref (link));
}

static void
on_response_read (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Link *link = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, NULL);
  int fault;

  if (link->proxy == NULL)
    {
      link_unref (link);
      return;
    }

  if (n <= 0)
    {
      /* The server ended or failed: so does the client's connection. */
      link_close (link);
      link_unref (link);
      return;
    }

  link->len = (gsize) n;
  link->off = 0;
  link->limit = link->len;
  link->close_at_limit = FALSE;

  fault = decide (link->proxy, link->len);
  if (fault < 0)
    write_piece (link);
  else
    apply_fault (link, (FwFaultKind) fault);
  link_unref (link);
}

static void
read_response (Link *link)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (link->upstream));

  g_input_stream_read_async (in, link->chunk, sizeof link->chunk, G_PRIORITY_DEFAULT,
                             link->cancellable, on_response_read, link_ref (link));
}

/* ---------------------------------------------------------------------------------------- */
/* Requests: downstream → upstream, untouched */

static void
on_request_written (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Link *link = user_data;
  gboolean ok = g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL);

  if (link->proxy != NULL)
    {
      if (ok)
        read_request (link);
      else
        link_close (link);
    }
  link_unref (link);
}

static void
on_request_read (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Link *link = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, NULL);
  GOutputStream *out;

  if (link->proxy != NULL)
    {
      out = g_io_stream_get_output_stream (G_IO_STREAM (link->upstream));
      if (n <= 0)
        link_close (link); /* the client went away (an idle timeout, a close) */
      else
        g_output_stream_write_all_async (out, link->request, (gsize) n, G_PRIORITY_DEFAULT,
                                         link->cancellable, on_request_written, link_ref (link));
    }
  link_unref (link);
}

static void
read_request (Link *link)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (link->downstream));

  g_input_stream_read_async (in, link->request, sizeof link->request, G_PRIORITY_DEFAULT,
                             link->cancellable, on_request_read, link_ref (link));
}

/* ---------------------------------------------------------------------------------------- */
/* Connections */

static void
set_no_delay (GSocketConnection *connection)
{
  /* Small writes must leave one by one, or the cuts would not land where they were meant. */
  g_socket_set_option (g_socket_connection_get_socket (connection), IPPROTO_TCP, TCP_NODELAY,
                       1, NULL);
}

static void
on_upstream_connected (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  Link *link = user_data;
  g_autoptr(GSocketConnection) upstream =
    g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result, NULL);

  if (link->proxy != NULL)
    {
      if (upstream == NULL)
        link_close (link);
      else
        {
          link->upstream = g_steal_pointer (&upstream);
          read_request (link);
          read_response (link);
        }
    }
  link_unref (link);
}

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  FwFaultProxy *self = user_data;
  g_autoptr(GSocketAddress) address = NULL;
  Link *link;

  if (g_get_monotonic_time () < self->refuse_until)
    {
      self->n_refused++;
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      return TRUE;
    }

  self->n_connections++;
  set_no_delay (connection);

  link = g_new0 (Link, 1);
  g_ref_count_init (&link->ref_count); /* the list's */
  link->proxy = self;
  link->downstream = g_object_ref (connection);
  link->cancellable = g_cancellable_new ();
  self->links = g_list_prepend (self->links, link);

  address = g_inet_socket_address_new_from_string ("127.0.0.1", self->upstream_port);
  g_socket_client_connect_async (self->client, G_SOCKET_CONNECTABLE (address),
                                 link->cancellable, on_upstream_connected, link_ref (link));
  return TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* GObject */

static void
fw_fault_proxy_dispose (GObject *object)
{
  fw_fault_proxy_stop (FW_FAULT_PROXY (object));

  G_OBJECT_CLASS (fw_fault_proxy_parent_class)->dispose (object);
}

static void
fw_fault_proxy_finalize (GObject *object)
{
  FwFaultProxy *self = FW_FAULT_PROXY (object);

  g_clear_object (&self->service);
  g_clear_object (&self->client);
  g_clear_pointer (&self->rand, g_rand_free);

  G_OBJECT_CLASS (fw_fault_proxy_parent_class)->finalize (object);
}

static void
fw_fault_proxy_class_init (FwFaultProxyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fw_fault_proxy_dispose;
  object_class->finalize = fw_fault_proxy_finalize;
}

static void
fw_fault_proxy_init (FwFaultProxy *self)
{
  self->mean_gap = 16 * 1024;
  self->stall_min_ms = 50;
  self->stall_max_ms = 500;
  self->refuse_min_ms = 20;
  self->refuse_max_ms = 200;
  for (guint i = 0; i < FW_FAULT_N_KINDS; i++)
    self->weights[i] = 1;
}

/**
 * fw_fault_proxy_new:
 * @upstream_port: the port on 127.0.0.1 to forward to
 * @seed: the schedule's seed; print it so a failure can be replayed
 *
 * Returns: (transfer full): a proxy listening on 127.0.0.1 at a free port, transparent until
 *   it is given a budget of faults
 */
FwFaultProxy *
fw_fault_proxy_new (guint16 upstream_port,
                    guint32 seed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) effective = NULL;
  FwFaultProxy *self = g_object_new (FW_TYPE_FAULT_PROXY, NULL);

  self->upstream_port = upstream_port;
  self->seed = seed;
  self->rand = g_rand_new_with_seed (seed);
  self->next_gap = draw_gap (self);
  for (guint i = 0; i < FW_FAULT_N_KINDS; i++)
    {
      guint j = (guint) g_rand_int_range (self->rand, 0, (gint32) i + 1);

      self->first_kinds[i] = self->first_kinds[j];
      self->first_kinds[j] = i;
    }

  self->client = g_socket_client_new ();
  g_socket_client_set_enable_proxy (self->client, FALSE);

  self->service = g_socket_service_new ();
  address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, &effective,
                                 &error);
  g_assert_no_error (error);
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (self->service, "incoming", G_CALLBACK (on_incoming), self);
  g_socket_service_start (self->service);

  return self;
}

guint16
fw_fault_proxy_get_port (FwFaultProxy *self)
{
  return self->port;
}

guint32
fw_fault_proxy_get_seed (FwFaultProxy *self)
{
  return self->seed;
}

/* How many faults to inject from now on; after them the proxy is transparent. */
void
fw_fault_proxy_set_budget (FwFaultProxy *self,
                           guint         n_faults)
{
  self->budget = n_faults;
}

/* How many forwarded bytes pass between two faults, on average (uniform in ¼…1¾ of it). */
void
fw_fault_proxy_set_mean_gap (FwFaultProxy *self,
                             gsize         bytes)
{
  self->mean_gap = MAX (bytes, 1);
  self->next_gap = draw_gap (self);
}

/* How often @kind is drawn relative to the others (1 each by default; 0 = never). */
void
fw_fault_proxy_set_weight (FwFaultProxy *self,
                           FwFaultKind   kind,
                           guint         weight)
{
  g_return_if_fail (kind < FW_FAULT_N_KINDS);
  self->weights[kind] = weight;
}

void
fw_fault_proxy_set_stall_range (FwFaultProxy *self,
                                guint         min_ms,
                                guint         max_ms)
{
  self->stall_min_ms = min_ms;
  self->stall_max_ms = MAX (min_ms, max_ms);
}

void
fw_fault_proxy_set_refuse_range (FwFaultProxy *self,
                                 guint         min_ms,
                                 guint         max_ms)
{
  self->refuse_min_ms = min_ms;
  self->refuse_max_ms = MAX (min_ms, max_ms);
}

guint
fw_fault_proxy_get_n_faults (FwFaultProxy *self,
                             FwFaultKind   kind)
{
  g_return_val_if_fail (kind < FW_FAULT_N_KINDS, 0);
  return self->n_faults[kind];
}

guint
fw_fault_proxy_get_n_faults_total (FwFaultProxy *self)
{
  guint total = 0;

  for (guint i = 0; i < FW_FAULT_N_KINDS; i++)
    total += self->n_faults[i];
  return total;
}

guint
fw_fault_proxy_get_n_connections (FwFaultProxy *self)
{
  return self->n_connections;
}

/* Connections closed at once while refusing. */
guint
fw_fault_proxy_get_n_refused (FwFaultProxy *self)
{
  return self->n_refused;
}

/* Response bytes forwarded to the clients. */
guint64
fw_fault_proxy_get_n_bytes (FwFaultProxy *self)
{
  return self->n_bytes;
}

gboolean
fw_fault_proxy_is_transparent (FwFaultProxy *self)
{
  return self->budget == 0;
}

const char *
fw_fault_kind_to_string (FwFaultKind kind)
{
  static const char *const names[] = { "delay", "stall", "cut", "cut-utf8", "drop", "refuse" };

  G_STATIC_ASSERT (G_N_ELEMENTS (names) == FW_FAULT_N_KINDS);
  g_return_val_if_fail (kind < FW_FAULT_N_KINDS, NULL);
  return names[kind];
}

/* "seed 1234: 200 faults (delay 33, stall 30, …), 180 connections, 20 refused, 5 MB" */
char *
fw_fault_proxy_describe (FwFaultProxy *self)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "seed %" G_GUINT32_FORMAT ": %u faults (", self->seed,
                          fw_fault_proxy_get_n_faults_total (self));
  for (guint i = 0; i < FW_FAULT_N_KINDS; i++)
    g_string_append_printf (text, "%s%s %u", i > 0 ? ", " : "", fw_fault_kind_to_string (i),
                            self->n_faults[i]);
  g_string_append_printf (text, "), %u connections, %u refused, %" G_GUINT64_FORMAT
                          " bytes forwarded", self->n_connections, self->n_refused,
                          self->n_bytes);
  return g_string_free (text, FALSE);
}

/* Stops listening and closes every connection; idempotent. */
void
fw_fault_proxy_stop (FwFaultProxy *self)
{
  if (self->service != NULL)
    {
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
    }
  while (self->links != NULL)
    link_close (self->links->data);
}

/* The seed for a test's proxy: FW_FAULT_SEED from the environment to replay a run, else one
 * from the test's own random numbers (which `--seed` of the GLib test framework fixes). */
guint32
fw_fault_proxy_pick_seed (void)
{
  const char *env = g_getenv ("FW_FAULT_SEED");
  guint64 seed;

  if (env != NULL && g_ascii_string_to_unsigned (env, 10, 0, G_MAXUINT32, &seed, NULL))
    return (guint32) seed;
  return (guint32) g_test_rand_int ();
}
