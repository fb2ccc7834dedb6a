/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-command-source.c: `cmd:journalctl -f`, `cmd:dmesg -w`: a child process's output.
 *
 * The child runs in its own process group (so `sh -c 'a | b'` ends whole) with stdout and
 * stderr on pipes, read with GIO async reads on the stream's main context and split into
 * lines by a splitter per pipe. Reading pauses while many lines wait for the consumer (the
 * pipe then fills and the child blocks: backpressure). When both pipes end, the exit status
 * becomes the last item.
 *
 * The command's lifetime is its direct child's: when that child exits, whatever it left running
 * in its group (`sh -c 'tail -f x & exit'`) gets SIGTERM, then SIGKILL after the grace, so the
 * pipes those leftovers hold open reach their end and the stream ends; what they wrote before is
 * still read, the kernel keeps it in the pipe. Closing does the same to the whole group, also
 * when the child is already gone, waits for the child to be reaped (no zombie is left behind) and
 * for the group to empty, SIGKILL after the grace. The group id stays ours while any member
 * lives (the kernel reuses an id only once no process has it as pid or group), so signalling it
 * after the child was reaped reaches only its leftovers; once kill says ESRCH the id is never
 * signalled again (a stranger could get it only after the pid numbers wrap around in between).
 * A member that leaves the group (setsid: a daemon) escapes, as it means to.
 *
 * Restarting (`restart=on-failure|always`, never under --once): where the stream would end,
 * a "retrying" status says when and why ("restarting in 2 s (exit status 3)"), and after the
 * backoff's delay the command runs again, on the same stream; leftovers of the last run get
 * SIGKILL first, as their group id is about to be forgotten. A run that lasted a while
 * resets the backoff.
 *
 * Two pipes cannot say which of a stdout and a stderr line came first: each pipe's lines keep
 * their order, but the pipes are read as they become ready. With `pty=1` the command runs on a
 * pseudo-terminal instead, as in a terminal window: stdin, stdout and stderr are its slave side
 * and it is the command's controlling terminal (its own session), so both outputs come as one
 * ordered stream of lines, marked as the terminal's (there is no telling stderr apart), and
 * programs that check isatty() write as they would for a person (line-buffered, progress
 * shown). The terminal is PTY_COLUMNS × PTY_ROWS, wide so that tables are not folded, and
 * TERM=dumb asks for plain text (no cursor movement, no colour), whatever terminal Feedwatch
 * was started from; `cmd:env TERM=xterm-256color …` asks for more. The terminal's CR LF line
 * ends lose their CR (in the splitter, as any line's); escape sequences a program sends anyway
 * are made safe where the line is shown or printed. Nothing is ever typed: a command waiting
 * for input waits. When the last holder of the slave side closes it, reading the master fails
 * with EIO: that is its end.
 */

/* posix_openpt() and ptsname_r() */
#define _GNU_SOURCE

#include "config.h"

#include "fw-command-source.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <glib-unix.h>

#include "fw-feed-state.h"
#include "fw-line-splitter.h"
#include "fw-log-level.h"
#include "fw-log-time.h"

#define READ_SIZE        (64 * 1024)
#define READY_HIGH_WATER 8192
/* A run at least this long was no crash loop: the next restart waits the base delay again. */
#define RESTART_RESET_USEC (10 * G_USEC_PER_SEC)
#define PTY_COLUMNS 160
#define PTY_ROWS    50

typedef struct
{
  FwCommandSource *self;
  GInputStream    *input;
  FwLineSplitter  *splitter;
  guint16          flags;
  gboolean         reading;
  gboolean         eof;
} Pipe;

struct _FwCommandSource
{
  FwStream      parent_instance;

  GRefString   *feed;
  char        **argv;
  guint         grace_ms;
  gboolean      pty;         /* run on a pseudo-terminal: `out` reads its master side */

  GSubprocess  *process;
  pid_t         pgid;        /* the child's process group, 0 before the spawn */
  Pipe          out;
  Pipe          err;
  GPtrArray    *ready;
  FwLogClock    clock;       /* reads the time a line says it was written */
  GError       *error;
  GSource      *kill_timer;
  GTask        *close_task;
  char         *failure;     /* how the child ended on its own, when that was a failure */
  FwCommandRestart restart;
  FwBackoff    *backoff;     /* restart delays; NULL with restart=never */
  GSource      *restart_timer;
  gint64        spawned_at;  /* monotonic */
  gboolean      restarting;  /* between an exit and the next run */
  gboolean      started;
  gboolean      exited;      /* the direct child was reaped */
  gboolean      group_gone;  /* kill said ESRCH: never signal that id again */
  gboolean      grace_over;
  gboolean      pull_pending;
  gboolean      finished;
  gboolean      released;
};

/**
 * FwCommandSource:
 *
 * A `cmd:COMMAND` feed: a command's output as lines, standard error marked, ended with SIGTERM
 * (then SIGKILL) when the stream is closed. Inside Flatpak it may run on the host.
 */
G_DEFINE_FINAL_TYPE (FwCommandSource, fw_command_source, FW_TYPE_STREAM)

static void pipe_read (Pipe *pipe);
static void signal_group (FwCommandSource *self, int sig);
static void start_kill_timer (FwCommandSource *self);
static void stop_kill_timer (FwCommandSource *self);
static gboolean spawn (FwCommandSource *self, GError **error);

/* ---------------------------------------------------------------------------------------- */

static gboolean
answer_pull (FwCommandSource *self)
{
  FwStream *stream = FW_STREAM (self);
  gboolean had_items = self->ready->len > 0;

  if (!self->pull_pending)
    return FALSE;

  if (had_items)
    {
      for (guint i = 0; i < self->ready->len; i++)
        fw_stream_yield (stream, g_ptr_array_index (self->ready, i));
      g_ptr_array_set_free_func (self->ready, NULL);
      g_ptr_array_set_size (self->ready, 0);
      g_ptr_array_set_free_func (self->ready, (GDestroyNotify) fw_item_unref);
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
add_status (FwCommandSource *self,
            FwFeedState      state,
            FwLevel          level,
            const char      *text)
{
  g_ptr_array_add (self->ready, fw_feed_status_new (self->feed, state, level, text));
}

typedef struct
{
  Pipe   *pipe;
  gint64  time_us;
} LineSink;

static void
on_line (const char *line,
         gsize       len,
         gboolean    truncated,
         gpointer    user_data)
{
  LineSink *sink = user_data;
  FwItem *item = fw_item_new (FW_ITEM_LINE, sink->pipe->self->feed, sink->time_us, line, len);

  item->level = fw_log_level_detect (line, len);
  fw_log_clock_read (&sink->pipe->self->clock, line, len, sink->time_us, &item->source_time_us);
  item->flags |= sink->pipe->flags | (truncated ? FW_ITEM_FLAG_TRUNCATED : 0);
  g_ptr_array_add (sink->pipe->self->ready, item);
}

static char *
describe_delay (guint ms)
{
  if (ms < 1000)
    return g_strdup_printf ("%u ms", ms);
  if (ms % 1000 == 0)
    return g_strdup_printf ("%u s", ms / 1000);
  return g_strdup_printf ("%.1f s", ms / 1000.0);
}

static gboolean
on_restart (gpointer user_data)
{
  FwCommandSource *self = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->restart_timer, g_source_unref);

  /* The last run's leftovers had SIGTERM and the delay to go; its group id is forgotten now. */
  stop_kill_timer (self);
  signal_group (self, SIGKILL);
  g_clear_object (&self->process);
  g_clear_object (&self->out.input);
  g_clear_object (&self->err.input);
  fw_line_splitter_reset (self->out.splitter);
  fw_line_splitter_reset (self->err.splitter);
  self->out.eof = self->err.eof = FALSE;
  self->pgid = 0;
  self->exited = FALSE;
  self->group_gone = FALSE;
  self->grace_over = FALSE;
  self->restarting = FALSE;

  if (!spawn (self, &error))
    {
      self->error = g_steal_pointer (&error);
      answer_pull (self);
      return G_SOURCE_REMOVE;
    }
  if (self->pull_pending)
    {
      pipe_read (&self->out);
      pipe_read (&self->err);
    }
  return G_SOURCE_REMOVE;
}

/* Instead of ending: says when the command runs again, and why it stopped. */
static gboolean
maybe_restart (FwCommandSource *self,
               gboolean         failed,
               const char      *how)
{
  g_autofree char *delay_text = NULL;
  g_autofree char *text = NULL;
  FwItem *item;
  guint delay;

  if (self->restart == FW_COMMAND_RESTART_NEVER ||
      (self->restart == FW_COMMAND_RESTART_ON_FAILURE && !failed))
    return FALSE;

  if (g_get_monotonic_time () - self->spawned_at >= RESTART_RESET_USEC)
    fw_backoff_reset (self->backoff);
  delay = fw_backoff_next_delay (self->backoff);
  delay_text = describe_delay (delay);
  text = g_strdup_printf (_("restarting in %s (%s)"), delay_text, how);
  item = fw_feed_status_new (self->feed, FW_FEED_STATE_RETRYING,
                             failed ? FW_LEVEL_WARNING : FW_LEVEL_INFO, text);
  g_ptr_array_add (self->ready, item);

  self->restarting = TRUE;
  self->restart_timer = g_timeout_source_new (delay);
  g_source_set_callback (self->restart_timer, on_restart, self, NULL);
  g_source_set_static_name (self->restart_timer, "[feedwatch] cmd restart");
  g_source_attach (self->restart_timer, fw_stream_get_context (FW_STREAM (self)));
  return TRUE;
}

/* Both pipes ended and the child was reaped: its exit status is the last item, unless the
 * command is restarted. */
static void
maybe_finish (FwCommandSource *self)
{
  g_autofree char *text = NULL;

  if (!self->out.eof || !self->err.eof || !self->exited || self->finished || self->restarting)
    return;

  if (g_subprocess_get_if_exited (self->process))
    {
      int status = g_subprocess_get_exit_status (self->process);
      g_autofree char *how = g_strdup_printf (_("exit status %d"), status);

      if (maybe_restart (self, status != 0, how))
        return;
    }
  else
    {
      int sig = g_subprocess_get_term_sig (self->process);
      g_autofree char *how = g_strdup_printf (_("killed by signal %d (%s)"), sig,
                                              g_strsignal (sig));

      if (maybe_restart (self, TRUE, how))
        return;
    }

  if (g_subprocess_get_if_exited (self->process))
    {
      int status = g_subprocess_get_exit_status (self->process);

      text = g_strdup_printf (_("exited with status %d"), status);
      add_status (self, FW_FEED_STATE_ENDED, status == 0 ? FW_LEVEL_INFO : FW_LEVEL_ERROR, text);
      if (status != 0)
        self->failure = g_steal_pointer (&text);
    }
  else
    {
      int sig = g_subprocess_get_term_sig (self->process);

      text = g_strdup_printf (_("killed by signal %d (%s)"), sig, g_strsignal (sig));
      add_status (self, FW_FEED_STATE_FAILED, FW_LEVEL_ERROR, text);
      self->failure = g_steal_pointer (&text);
    }

  self->finished = TRUE;
}

static void
on_exited (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  FwCommandSource *self = user_data;

  if (!g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL) || self->released)
    {
      g_object_unref (self);
      return;
    }

  /* What the child left behind in its group ends with it, else its pipes might never end. */
  self->exited = TRUE;
  signal_group (self, SIGTERM);
  if (!self->group_gone)
    start_kill_timer (self);

  maybe_finish (self);
  answer_pull (self);
  g_object_unref (self);
}

static void
on_pipe_read (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Pipe *pipe = user_data;
  FwCommandSource *self = pipe->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result,
                                                             &error);
  LineSink sink = { pipe, g_get_real_time () };

  pipe->reading = FALSE;

  if (self->released)
    {
      g_object_unref (self);
      return;
    }

  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      /* A read error on a pipe ends that pipe; the exit status tells the rest. A terminal's
       * master says EIO (G_IO_ERROR_FAILED to GIO) once no one holds its slave side: its
       * normal end. */
      if (error != NULL &&
          !(self->pty && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_FAILED)))
        g_debug ("%s: reading the output failed: %s", self->feed, error->message);
      fw_line_splitter_finish (pipe->splitter, on_line, &sink);
      pipe->eof = TRUE;
      maybe_finish (self);
    }
  else
    {
      fw_line_splitter_feed (pipe->splitter, g_bytes_get_data (bytes, NULL),
                             g_bytes_get_size (bytes), on_line, &sink);
      if (self->ready->len < READY_HIGH_WATER)
        pipe_read (pipe);
    }

  answer_pull (self);
  g_object_unref (self);
}

static void
pipe_read (Pipe *pipe)
{
  if (pipe->reading || pipe->eof)
    return;

  pipe->reading = TRUE;
  g_input_stream_read_bytes_async (pipe->input, READ_SIZE, G_PRIORITY_DEFAULT,
                                   fw_stream_get_cancellable (FW_STREAM (pipe->self)),
                                   on_pipe_read, pipe);
  g_object_ref (pipe->self);
}

/* What the child's setup needs; a copy lives in the child after fork. */
typedef struct
{
  gboolean terminal;
  int      report_fd;  /* the pipe the child writes its pid to, or -1 */
} ChildSetup;

static void
child_setup (gpointer user_data)
{
  const ChildSetup *setup = user_data;

  if (setup->terminal)
    {
      /* Its own session, hence its own group, with the terminal (already its stdin) as
       * controlling terminal: /dev/tty works, and the terminal's hangup reaches the group. */
      setsid ();
      ioctl (STDIN_FILENO, TIOCSCTTY, 0);
    }
  else
    {
      /* Its own process group: closing signals the whole pipeline, and a terminal's Ctrl-C
       * reaches us (we close it) rather than the child directly. */
      setpgid (0, 0);
    }

  /* Its pid names its group. GSubprocess forgets the pid once it reaps the child, which may
   * happen before spawn returns; leftovers in the group must still be signalled. */
  if (setup->report_fd >= 0)
    {
      pid_t pid = getpid ();
      ssize_t written G_GNUC_UNUSED = write (setup->report_fd, &pid, sizeof pid);
    }
}

/* Opens a pseudo-terminal: the master side, non-blocking, as a stream for us; the slave side
 * given three times to @launcher as the child's stdin, stdout and stderr. The launcher closes
 * its copies when it goes, so the slave's end reaches the master when the command's last
 * process lets go of it. */
static GInputStream *
open_terminal (GSubprocessLauncher  *launcher,
               GError              **error)
{
  struct winsize size = { .ws_row = PTY_ROWS, .ws_col = PTY_COLUMNS };
  char name[128];
  int master;
  int slave = -1;
  int in_fd = -1;
  int out_fd = -1;
  int err;

  master = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0 || grantpt (master) != 0 || unlockpt (master) != 0 ||
      ptsname_r (master, name, sizeof name) != 0 ||
      (slave = open (name, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0 ||
      ioctl (master, TIOCSWINSZ, &size) != 0 ||
      !g_unix_set_fd_nonblocking (master, TRUE, NULL) ||
      (in_fd = dup (slave)) < 0 || (out_fd = dup (slave)) < 0)
    {
      err = errno;
      if (in_fd >= 0)
        close (in_fd);
      if (slave >= 0)
        close (slave);
      if (master >= 0)
        close (master);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (err),
                   _("Cannot open a terminal for the command (%s): run it without pty=1, or "
                     "check that /dev/pts is mounted and /dev/ptmx may be opened"),
                   g_strerror (err));
      return NULL;
    }

  g_subprocess_launcher_take_stdin_fd (launcher, in_fd);
  g_subprocess_launcher_take_stdout_fd (launcher, out_fd);
  g_subprocess_launcher_take_stderr_fd (launcher, slave);
  return g_unix_input_stream_new (master, TRUE);
}

static gboolean
spawn (FwCommandSource  *self,
       GError          **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  ChildSetup setup = { .terminal = self->pty, .report_fd = -1 };
  int report[2] = { -1, -1 };
  pid_t pid = 0;

  if (self->pty)
    {
      launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
      self->out.input = open_terminal (launcher, error);
      if (self->out.input == NULL)
        return FALSE;
      /* Plain text, whatever terminal we run in (see the top of the file). */
      g_subprocess_launcher_setenv (launcher, "TERM", "dumb", TRUE);
    }
  else
    {
      launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                            G_SUBPROCESS_FLAGS_STDERR_PIPE);
    }
  /* Without the pipe the child still runs; only a quick child's leftovers may outlive it. */
  if (g_unix_open_pipe (report, FD_CLOEXEC, NULL))
    setup.report_fd = report[1];
  g_subprocess_launcher_set_child_setup (launcher, child_setup, &setup, NULL);
  self->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) self->argv,
                                                error);
  if (report[1] >= 0)
    close (report[1]);
  /* The setup ran before exec, and spawn returns after exec: the pid is there to read. */
  if (report[0] >= 0)
    {
      if (self->process == NULL || read (report[0], &pid, sizeof pid) != sizeof pid)
        pid = 0;
      close (report[0]);
    }
  if (self->process == NULL)
    {
      g_clear_object (&self->out.input);
      /* GLib's own words repeat the command and name the call; say what to do instead. */
      if (g_error_matches (*error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT))
        {
          g_clear_error (error);
          g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT,
                       _("There is no command “%s”: check its name, or write its full path"),
                       self->argv[0]);
        }
      else if (g_error_matches (*error, G_SPAWN_ERROR, G_SPAWN_ERROR_ACCES))
        {
          g_clear_error (error);
          g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_ACCES,
                       _("“%s” cannot be run: it is not executable, or a folder on its way "
                         "cannot be entered"), self->argv[0]);
        }
      else
        g_prefix_error (error, _("Cannot run “%s”: "), self->argv[0]);
      return FALSE;
    }

  /* child_setup made the child its group's leader before exec, so its pid names the group,
   * even when GLib already reaped the child: the kernel does not hand out a pid while a group
   * with that id has members, and signalling stops at the first ESRCH (group_gone). */
  self->spawned_at = g_get_monotonic_time ();
  self->pgid = pid;
  if (self->pty)
    {
      /* One stream: stderr has nothing to say apart. */
      self->err.eof = TRUE;
    }
  else
    {
      self->out.input = g_object_ref (g_subprocess_get_stdout_pipe (self->process));
      self->err.input = g_object_ref (g_subprocess_get_stderr_pipe (self->process));
    }
  g_subprocess_wait_async (self->process, fw_stream_get_cancellable (FW_STREAM (self)),
                           on_exited, g_object_ref (self));
  return TRUE;
}

static void
fw_command_source_pull (FwStream     *stream,
                        guint         max_items,
                        GCancellable *cancellable)
{
  FwCommandSource *self = FW_COMMAND_SOURCE (stream);

  self->pull_pending = TRUE;

  if (!self->started)
    {
      g_autoptr(GError) error = NULL;

      self->started = TRUE;
      if (!spawn (self, &error))
        {
          self->pull_pending = FALSE;
          fw_stream_pull_error (stream, g_steal_pointer (&error));
          return;
        }
    }

  if (answer_pull (self))
    {
      /* Resume reading paused by the high-water mark. */
      pipe_read (&self->out);
      pipe_read (&self->err);
      return;
    }

  pipe_read (&self->out);
  pipe_read (&self->err);
}

/* ---------------------------------------------------------------------------------------- */
/* Ending the child */

/* Signals the child's whole group; returns FALSE once the group is known to be empty. */
static gboolean
kill_group (pid_t        pgid,
            GSubprocess *process,
            int          sig)
{
  if (pgid <= 0)
    return FALSE;
  if (kill (-pgid, sig) == 0)
    return TRUE;
  if (errno == ESRCH)
    return FALSE;

  /* Not allowed to signal some member: at least end the child, while it is ours to end. */
  if (g_subprocess_get_identifier (process) != NULL)
    g_subprocess_send_signal (process, sig);
  return TRUE;
}

static void
signal_group (FwCommandSource *self,
              int              sig)
{
  if (!self->group_gone && !kill_group (self->pgid, self->process, sig))
    self->group_gone = TRUE;
}

static gboolean
on_grace_over (gpointer user_data)
{
  FwCommandSource *self = user_data;

  self->grace_over = TRUE;
  signal_group (self, SIGKILL);
  g_clear_pointer (&self->kill_timer, g_source_unref);

  return G_SOURCE_REMOVE;
}

static void
start_kill_timer (FwCommandSource *self)
{
  if (self->kill_timer != NULL)
    return;

  /* The timer does not keep us alive: dispose and close stop it. */
  self->grace_over = FALSE;
  self->kill_timer = g_timeout_source_new (self->grace_ms);
  g_source_set_callback (self->kill_timer, on_grace_over, self, NULL);
  g_source_set_static_name (self->kill_timer, "[feedwatch] cmd kill");
  g_source_attach (self->kill_timer, fw_stream_get_context (FW_STREAM (self)));
}

static void
stop_kill_timer (FwCommandSource *self)
{
  if (self->kill_timer != NULL)
    {
      g_source_destroy (self->kill_timer);
      g_clear_pointer (&self->kill_timer, g_source_unref);
    }
}

static void
free_resources (FwCommandSource *self)
{
  if (self->restart_timer != NULL)
    {
      g_source_destroy (self->restart_timer);
      g_clear_pointer (&self->restart_timer, g_source_unref);
    }
  g_clear_object (&self->out.input);
  g_clear_object (&self->err.input);
  g_clear_pointer (&self->out.splitter, fw_line_splitter_free);
  g_clear_pointer (&self->err.splitter, fw_line_splitter_free);
  g_ptr_array_set_size (self->ready, 0);
  g_clear_error (&self->error);
}

typedef struct
{
  GSubprocess *process;
  pid_t        pgid;
} KillLater;

static void
kill_later_free (gpointer data)
{
  KillLater *later = data;

  g_object_unref (later->process);
  g_free (later);
}

static gboolean
on_grace_over_after_dispose (gpointer user_data)
{
  KillLater *later = user_data;

  kill_group (later->pgid, later->process, SIGKILL);

  return G_SOURCE_REMOVE;
}

/* Dispose without close: we cannot wait, so the grace timer outlives us (it holds the
 * process) and GSubprocess reaps the child whenever it exits. */
static void
fw_command_source_release (FwStream *stream)
{
  FwCommandSource *self = FW_COMMAND_SOURCE (stream);

  self->released = TRUE;
  stop_kill_timer (self);
  signal_group (self, SIGTERM);
  if (!self->group_gone && self->process != NULL)
    {
      KillLater *later = g_new0 (KillLater, 1);
      GSource *timer;

      later->process = g_object_ref (self->process);
      later->pgid = self->pgid;
      timer = g_timeout_source_new (self->grace_ms);
      g_source_set_callback (timer, on_grace_over_after_dispose, later, kill_later_free);
      g_source_set_static_name (timer, "[feedwatch] cmd kill after dispose");
      g_source_attach (timer, fw_stream_get_context (stream));
      g_source_unref (timer);
    }
  free_resources (self);
}

static void
finish_close (FwCommandSource *self)
{
  GTask *task = g_steal_pointer (&self->close_task);

  stop_kill_timer (self);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* After the child: members of its group may live on; wait for them until the grace is over
 * (then they got SIGKILL and go at once). */
static gboolean
on_group_poll (gpointer user_data)
{
  FwCommandSource *self = user_data;

  signal_group (self, 0);
  if (!self->group_gone && !self->grace_over)
    return G_SOURCE_CONTINUE;

  finish_close (self);
  return G_SOURCE_REMOVE;
}

static void
wait_for_group (FwCommandSource *self)
{
  GSource *poll;

  signal_group (self, 0);
  if (self->group_gone)
    {
      finish_close (self);
      return;
    }

  poll = g_timeout_source_new (20);
  g_source_set_callback (poll, on_group_poll, self, NULL);
  g_source_set_static_name (poll, "[feedwatch] cmd group wait");
  g_source_attach (poll, fw_stream_get_context (FW_STREAM (self)));
  g_source_unref (poll);
}

static void
on_close_waited (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  FwCommandSource *self = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  wait_for_group (self);
}

static void
fw_command_source_close_async (FwStream            *stream,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  FwCommandSource *self = FW_COMMAND_SOURCE (stream);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, fw_command_source_close_async);
  self->released = TRUE;
  free_resources (self);
  stop_kill_timer (self);

  signal_group (self, SIGTERM);
  if (self->process == NULL || self->group_gone)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* The stream's cancellable is already cancelled: wait without it. */
  self->close_task = g_steal_pointer (&task);
  start_kill_timer (self);
  if (g_subprocess_get_identifier (self->process) != NULL)
    g_subprocess_wait_async (self->process, NULL, on_close_waited, self);
  else
    wait_for_group (self);
}

static gboolean
fw_command_source_close_finish (FwStream      *stream,
                                GAsyncResult  *result,
                                GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
fw_command_source_finalize (GObject *object)
{
  FwCommandSource *self = FW_COMMAND_SOURCE (object);

  free_resources (self);
  stop_kill_timer (self);
  g_clear_object (&self->process);
  g_clear_pointer (&self->backoff, fw_backoff_free);
  g_ptr_array_unref (self->ready);
  fw_log_clock_clear (&self->clock);
  g_free (self->failure);
  g_strfreev (self->argv);
  g_ref_string_release (self->feed);

  G_OBJECT_CLASS (fw_command_source_parent_class)->finalize (object);
}

static void
fw_command_source_class_init (FwCommandSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  FwStreamClass *stream_class = FW_STREAM_CLASS (klass);

  object_class->finalize = fw_command_source_finalize;
  stream_class->pull = fw_command_source_pull;
  stream_class->release = fw_command_source_release;
  stream_class->close_async = fw_command_source_close_async;
  stream_class->close_finish = fw_command_source_close_finish;
}

static void
fw_command_source_init (FwCommandSource *self)
{
  self->ready = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_item_unref);
  fw_log_clock_init (&self->clock, NULL);
  self->out.self = self;
  self->err.self = self;
  self->err.flags = FW_ITEM_FLAG_STDERR;
  self->out.splitter = fw_line_splitter_new (FW_LINE_SPLITTER_DEFAULT_MAX);
  self->err.splitter = fw_line_splitter_new (FW_LINE_SPLITTER_DEFAULT_MAX);
}

/**
 * fw_command_source_new:
 * @feed: the feed name items carry
 * @argv: the program and its arguments
 * @grace_ms: on close, how long after SIGTERM to send SIGKILL
 *
 * Runs a command as a stream of lines, from its first `next` on.
 *
 * Returns: (transfer full): the stream; the command starts on the first `next`
 */
FwStream *
fw_command_source_new (const char         *feed,
                       const char * const *argv,
                       guint               grace_ms)
{
  FwCommandSource *self;

  g_return_val_if_fail (feed != NULL, NULL);
  g_return_val_if_fail (argv != NULL && argv[0] != NULL, NULL);

  self = g_object_new (FW_TYPE_COMMAND_SOURCE, "name", feed, NULL);
  self->feed = fw_ref_string_intern (feed);
  self->argv = g_strdupv ((char **) argv);
  self->grace_ms = grace_ms;

  return FW_STREAM (self);
}

/**
 * fw_command_source_set_restart:
 * @restart: when to run the command again
 * @backoff: (transfer full) (nullable): the delays between runs; %NULL for the default (1 s,
 *   doubling up to a minute, with jitter)
 *
 * Whether the command runs again when it ends (see the top of the file). Call it before the
 * first `next`.
 */
void
fw_command_source_set_restart (FwCommandSource  *self,
                               FwCommandRestart  restart,
                               FwBackoff        *backoff)
{
  g_return_if_fail (FW_IS_COMMAND_SOURCE (self));

  self->restart = restart;
  g_clear_pointer (&self->backoff, fw_backoff_free);
  if (restart != FW_COMMAND_RESTART_NEVER)
    self->backoff = backoff != NULL ? backoff
                                    : fw_backoff_new (FW_COMMAND_SOURCE_RESTART_BASE_MS,
                                                      FW_BACKOFF_DEFAULT_CAP_MS,
                                                      FW_BACKOFF_JITTER_FULL);
  else if (backoff != NULL)
    fw_backoff_free (backoff);
}

/**
 * fw_command_source_set_pty:
 * @pty: whether the command runs on a pseudo-terminal (see the top of the file)
 *
 * On a terminal, the command's stdout and stderr come as one ordered stream of lines, marked
 * %FW_ITEM_FLAG_TERMINAL instead of %FW_ITEM_FLAG_STDERR. Call it before the first `next`.
 */
void
fw_command_source_set_pty (FwCommandSource *self,
                           gboolean         pty)
{
  g_return_if_fail (FW_IS_COMMAND_SOURCE (self));
  g_return_if_fail (!self->started);

  self->pty = pty;
  self->out.flags = pty ? FW_ITEM_FLAG_TERMINAL : FW_ITEM_FLAG_NONE;
}

/**
 * fw_command_restart_from_string:
 * @text: (nullable): the `restart` option: "never", "on-failure" or "always"
 * @out_restart: (out): where to store the policy
 *
 * Reads a `cmd:` feed's `restart` option.
 *
 * Returns: %FALSE with @error set when @text is none of those; %NULL means never
 */
gboolean
fw_command_restart_from_string (const char        *text,
                                FwCommandRestart  *out_restart,
                                GError           **error)
{
  if (text == NULL || g_str_equal (text, "never"))
    *out_restart = FW_COMMAND_RESTART_NEVER;
  else if (g_str_equal (text, "on-failure"))
    *out_restart = FW_COMMAND_RESTART_ON_FAILURE;
  else if (g_str_equal (text, "always"))
    *out_restart = FW_COMMAND_RESTART_ALWAYS;
  else
    {
      g_autofree char *shown = g_utf8_make_valid (text, -1);

      g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                   _("restart must be “never”, “on-failure” or “always”, not “%s”"), shown);
      return FALSE;
    }
  return TRUE;
}

/**
 * fw_command_source_get_pid:
 *
 * The process id of the running command, to signal it or to check it ended.
 *
 * Returns: the child's process id, or 0 before it started and after it was reaped
 */
GPid
fw_command_source_get_pid (FwCommandSource *self)
{
  const char *id;

  g_return_val_if_fail (FW_IS_COMMAND_SOURCE (self), 0);

  id = self->process != NULL ? g_subprocess_get_identifier (self->process) : NULL;
  return id != NULL ? (GPid) g_ascii_strtoll (id, NULL, 10) : 0;
}

/**
 * fw_command_source_get_failure:
 *
 * A command that ends on its own with a non-zero status, or by a signal nobody sent on our
 * behalf, failed, although its stream ends naturally (the status is its last item).
 *
 * Returns: (nullable): how it ended ("exited with status 3"), or %NULL while it runs, when it
 *   exited with status 0, or when closing the stream ended it
 */
const char *
fw_command_source_get_failure (FwCommandSource *self)
{
  g_return_val_if_fail (FW_IS_COMMAND_SOURCE (self), NULL);

  return self->failure;
}

/**
 * fw_command_runs_on_host:
 * @flatpak_info: the sandbox's description, "/.flatpak-info" (a parameter for tests)
 *
 * Inside Flatpak, a command feed runs on the host only when the user granted Feedwatch talking
 * to org.freedesktop.Flatpak (`flatpak override --talk-name=org.freedesktop.Flatpak`); without
 * that grant, or outside Flatpak, it runs where Feedwatch runs.
 *
 * Returns: %TRUE when command feeds run on the host
 */
gboolean
fw_command_runs_on_host (const char *flatpak_info)
{
  g_autoptr(GKeyFile) info = g_key_file_new ();
  g_autofree char *policy = NULL;

  if (!g_key_file_load_from_file (info, flatpak_info, G_KEY_FILE_NONE, NULL))
    return FALSE;

  policy = g_key_file_get_string (info, "Session Bus Policy", "org.freedesktop.Flatpak", NULL);

  return policy != NULL && (g_str_equal (policy, "talk") || g_str_equal (policy, "own"));
}

/**
 * fw_command_wrap_for_host:
 * @argv: the program and its arguments
 *
 * Makes the command line that runs a command on the host from inside Flatpak.
 *
 * Returns: (transfer full): @argv run on the host by flatpak-spawn, which forwards SIGTERM and
 *   SIGKILL to it and ends it when Feedwatch's session bus connection goes
 */
char **
fw_command_wrap_for_host (const char * const *argv)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char **wrapped;

  g_strv_builder_add_many (builder, "flatpak-spawn", "--host", "--watch-bus", NULL);
  g_strv_builder_addv (builder, (const char **) argv);
  wrapped = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  return wrapped;
}

/**
 * fw_command_source_open:
 * @spec: the feed
 * @flags: how it is opened
 * @error: where a refused option is said
 *
 * Opens a `cmd:` feed (the kind's #FwFeedKind.open).
 *
 * Returns: (transfer full): the stream, or %NULL with @error set
 */
FwStream *
fw_command_source_open (const FwFeedSpec  *spec,
                        FwFeedOpenFlags    flags,
                        GError           **error)
{
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (spec->target != NULL ? spec->target : ""));
  FwCommandRestart restart;
  FwStream *stream;

  if (trimmed[0] == '\0')
    {
      g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                   _("“%s”: no command given (e.g. “cmd:journalctl -f”)"), spec->text);
      return NULL;
    }

  if (!fw_command_restart_from_string (fw_feed_spec_get_option (spec, "restart"), &restart,
                                       &local_error))
    {
      g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID, "“%s”: %s", spec->text,
                   local_error->message);
      return NULL;
    }

  if (!g_shell_parse_argv (spec->target, NULL, &argv, &local_error))
    {
      g_set_error (error, FW_FEED_ERROR, FW_FEED_ERROR_INVALID,
                   _("“%s”: cannot split the command line: %s"), spec->text, local_error->message);
      return NULL;
    }

  if (fw_command_runs_on_host ("/.flatpak-info"))
    {
      char **wrapped = fw_command_wrap_for_host ((const char * const *) argv);
      g_strfreev (argv);
      argv = wrapped;
    }

  stream = fw_command_source_new (spec->text, (const char * const *) argv,
                                  FW_COMMAND_SOURCE_DEFAULT_GRACE_MS);
  fw_command_source_set_pty (FW_COMMAND_SOURCE (stream), fw_feed_spec_get_bool (spec, "pty"));
  if (!(flags & FW_FEED_OPEN_ONCE))
    fw_command_source_set_restart (FW_COMMAND_SOURCE (stream), restart, NULL);
  return stream;
}

static const char * const restart_choices[] = { "never", "on-failure", "always", NULL };

static const FwFeedOption command_options[] = {
  { .key = "restart", .type = FW_FEED_OPTION_CHOICE, .default_value = "never",
    .choices = restart_choices,
    .help = N_("Run the command again when it exits: never, on-failure or always") },
  { .key = "pty", .type = FW_FEED_OPTION_BOOL, .default_value = "0",
    .help = N_("Run the command on a terminal: its output and errors come as one stream, in "
               "order") },
  { NULL }
};

static const FwFeedOption *const command_option_list[] = { command_options, NULL };

/* The rest of the feed is the command line, but for its options after a last "#". */
const FwFeedKind fw_command_source_kind = {
  .name = "cmd",
  .open = fw_command_source_open,
  .description = N_("Command output, line by line"),
  .title = N_("Command"),
  .icon_name = "utilities-terminal-symbolic",
  .example = "cmd:",
  .options = command_option_list,
  .default_title = fw_feed_title_from_target,
};
