/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-close-registry.c: the streams still closing, so that quitting can wait for them with a
 * deadline: the C counterpart of the reference texts' `set_asyncgen_hooks` finalizer list. */

#include "fw-close-registry.h"

#include "fw-stream.h"

struct _FwCloseRegistry
{
  GObject     parent_instance;
  GHashTable *closing;   /* FwStream* → itself, a strong reference */
  GList      *waiters;   /* GTask* */
};

/**
 * FwCloseRegistry:
 *
 * The streams still closing. fw_stream_close_async() adds a stream while its close runs, so an
 * application can wait, briefly, for child processes to end and sockets to close before it quits
 * (fw_close_registry_wait_async()).
 */
G_DEFINE_FINAL_TYPE (FwCloseRegistry, fw_close_registry, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_N_CLOSING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  GSource *timeout;
} Waiter;

static void
waiter_free (Waiter *waiter)
{
  if (waiter->timeout != NULL)
    {
      g_source_destroy (waiter->timeout);
      g_source_unref (waiter->timeout);
    }
  g_free (waiter);
}

static void
fw_close_registry_finish_waiter (FwCloseRegistry *self,
                                 GTask           *task)
{
  self->waiters = g_list_remove (self->waiters, task);
  g_task_return_boolean (task, g_hash_table_size (self->closing) == 0);
  g_object_unref (task);
}

static void
fw_close_registry_finalize (GObject *object)
{
  FwCloseRegistry *self = FW_CLOSE_REGISTRY (object);

  g_clear_pointer (&self->closing, g_hash_table_unref);

  G_OBJECT_CLASS (fw_close_registry_parent_class)->finalize (object);
}

static void
fw_close_registry_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  FwCloseRegistry *self = FW_CLOSE_REGISTRY (object);

  switch (prop_id)
    {
    case PROP_N_CLOSING:
      g_value_set_uint (value, fw_close_registry_get_n_closing (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_close_registry_class_init (FwCloseRegistryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fw_close_registry_finalize;
  object_class->get_property = fw_close_registry_get_property;

  /**
   * FwCloseRegistry:n-closing:
   *
   * How many streams are still closing.
   */
  properties[PROP_N_CLOSING] =
    g_param_spec_uint ("n-closing", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fw_close_registry_init (FwCloseRegistry *self)
{
  self->closing = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
}

/**
 * fw_close_registry_get_default:
 *
 * The registry every stream's close is tracked in.
 *
 * Returns: (transfer none): the process's registry, which fw_stream_close_async() uses
 */
FwCloseRegistry *
fw_close_registry_get_default (void)
{
  static FwCloseRegistry *instance;

  if (g_once_init_enter (&instance))
    g_once_init_leave (&instance, g_object_new (FW_TYPE_CLOSE_REGISTRY, NULL));

  return instance;
}

/**
 * fw_close_registry_get_n_closing:
 * @self: a registry
 *
 * How many streams are still closing.
 *
 * Returns: the number of streams whose close has not completed
 */
guint
fw_close_registry_get_n_closing (FwCloseRegistry *self)
{
  g_return_val_if_fail (FW_IS_CLOSE_REGISTRY (self), 0);

  return g_hash_table_size (self->closing);
}

void
_fw_close_registry_add (FwCloseRegistry *self,
                        FwStream        *stream)
{
  if (g_hash_table_contains (self->closing, stream))
    return;

  g_hash_table_add (self->closing, g_object_ref (stream));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CLOSING]);
}

void
_fw_close_registry_remove (FwCloseRegistry *self,
                           FwStream        *stream)
{
  if (!g_hash_table_contains (self->closing, stream))
    return;

  /* The stream may go with this reference: it is the last use of it here. */
  g_hash_table_remove (self->closing, stream);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CLOSING]);

  if (g_hash_table_size (self->closing) == 0)
    {
      while (self->waiters != NULL)
        fw_close_registry_finish_waiter (self, self->waiters->data);
    }
}

static gboolean
on_wait_deadline (gpointer user_data)
{
  GTask *task = user_data;
  FwCloseRegistry *self = g_task_get_source_object (task);
  Waiter *waiter = g_task_get_task_data (task);

  g_clear_pointer (&waiter->timeout, g_source_unref);
  fw_close_registry_finish_waiter (self, task);

  return G_SOURCE_REMOVE;
}

/**
 * fw_close_registry_wait_async:
 * @self: a registry
 * @timeout_ms: the deadline
 * @cancellable: (nullable): stops waiting
 * @callback: called when no stream is closing or the deadline passed
 * @user_data: data for @callback
 *
 * Waits until no stream is closing, or until @timeout_ms passed, whichever comes first. An
 * application calls it before quitting, with a short deadline.
 */
void
fw_close_registry_wait_async (FwCloseRegistry     *self,
                              guint                timeout_ms,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  Waiter *waiter;

  g_return_if_fail (FW_IS_CLOSE_REGISTRY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fw_close_registry_wait_async);

  if (g_hash_table_size (self->closing) == 0)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  waiter = g_new0 (Waiter, 1);
  g_task_set_task_data (task, waiter, (GDestroyNotify) waiter_free);
  waiter->timeout = g_timeout_source_new (timeout_ms);
  g_source_set_callback (waiter->timeout, on_wait_deadline, task, NULL);
  g_source_set_static_name (waiter->timeout, "[feedwatch] close deadline");
  g_source_attach (waiter->timeout, g_main_context_get_thread_default ());
  self->waiters = g_list_prepend (self->waiters, task);
}

/**
 * fw_close_registry_wait_finish:
 * @self: a registry
 * @result: the result given to the callback
 * @n_remaining: (out) (optional): how many streams were still closing
 *
 * Finishes fw_close_registry_wait_async().
 *
 * Returns: %TRUE when every close finished, %FALSE when the deadline passed first
 */
gboolean
fw_close_registry_wait_finish (FwCloseRegistry  *self,
                               GAsyncResult     *result,
                               guint            *n_remaining,
                               GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (n_remaining != NULL)
    *n_remaining = g_hash_table_size (self->closing);

  return g_task_propagate_boolean (G_TASK (result), error);
}
