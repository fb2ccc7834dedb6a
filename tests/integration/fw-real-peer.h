/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-real-peer.h: a real server from Debian's packages (nginx, prometheus-node-exporter), run by
 * a test on a free loopback port with its own folder for config, pid, logs and temp files, and
 * always stopped: by the test's teardown, or, if the test aborts, by the kernel (the child's
 * parent-death signal), so no server outlives its test. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  char        *dir;       /* the server's own folder, removed by fw_real_peer_free() */
  char        *log_path;  /* its stdout and stderr, shown when it fails */
  guint        port;      /* on 127.0.0.1, free when picked */
  GSubprocess *process;
  gboolean     exited;
  int          uid;       /* when not -1, the user the server runs as (a test run as root) */
  int          gid;
} FwRealPeer;

const char *fw_real_peer_find_program (const char  *name);
FwRealPeer *fw_real_peer_new          (const char  *name);
void        fw_real_peer_start        (FwRealPeer  *peer,
                                       const char  *const *argv);
void        fw_real_peer_stop         (FwRealPeer  *peer);
void        fw_real_peer_free         (FwRealPeer  *peer);
char       *fw_real_peer_read_log     (FwRealPeer  *peer,
                                       const char  *name);
GPid        fw_real_peer_get_pid      (FwRealPeer  *peer);
guint       fw_real_peer_pick_free_port (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwRealPeer, fw_real_peer_free)

G_END_DECLS
