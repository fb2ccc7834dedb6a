/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-fault-proxy.h: a loopback TCP proxy that breaks the connections it forwards, on a seeded
 * random schedule, so a feed can be tested against the faults of real networks. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  FW_FAULT_DELAY,     /* hold one chunk back for a few ms */
  FW_FAULT_STALL,     /* hold it back long enough for an idle timeout, sometimes */
  FW_FAULT_CUT,       /* forward part of a chunk (the middle of an event), then close */
  FW_FAULT_CUT_UTF8,  /* the same, the split inside a multibyte UTF-8 character */
  FW_FAULT_DROP,      /* close without forwarding the chunk */
  FW_FAULT_REFUSE,    /* close, and close new connections at once for a while */
  FW_FAULT_N_KINDS
} FwFaultKind;

#define FW_TYPE_FAULT_PROXY (fw_fault_proxy_get_type ())

G_DECLARE_FINAL_TYPE (FwFaultProxy, fw_fault_proxy, FW, FAULT_PROXY, GObject)

FwFaultProxy *fw_fault_proxy_new              (guint16       upstream_port,
                                               guint32       seed);
guint16       fw_fault_proxy_get_port         (FwFaultProxy *self);
guint32       fw_fault_proxy_get_seed         (FwFaultProxy *self);
void          fw_fault_proxy_set_budget       (FwFaultProxy *self,
                                               guint         n_faults);
void          fw_fault_proxy_set_mean_gap     (FwFaultProxy *self,
                                               gsize         bytes);
void          fw_fault_proxy_set_weight       (FwFaultProxy *self,
                                               FwFaultKind   kind,
                                               guint         weight);
void          fw_fault_proxy_set_stall_range  (FwFaultProxy *self,
                                               guint         min_ms,
                                               guint         max_ms);
void          fw_fault_proxy_set_refuse_range (FwFaultProxy *self,
                                               guint         min_ms,
                                               guint         max_ms);
guint         fw_fault_proxy_get_n_faults     (FwFaultProxy *self,
                                               FwFaultKind   kind);
guint         fw_fault_proxy_get_n_faults_total (FwFaultProxy *self);
guint         fw_fault_proxy_get_n_connections (FwFaultProxy *self);
guint         fw_fault_proxy_get_n_refused    (FwFaultProxy *self);
guint64       fw_fault_proxy_get_n_bytes      (FwFaultProxy *self);
gboolean      fw_fault_proxy_is_transparent   (FwFaultProxy *self);
char         *fw_fault_proxy_describe         (FwFaultProxy *self);
void          fw_fault_proxy_stop             (FwFaultProxy *self);

const char   *fw_fault_kind_to_string         (FwFaultKind   kind);
guint32       fw_fault_proxy_pick_seed        (void);

G_END_DECLS
