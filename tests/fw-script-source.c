/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-script-source.c: see fw-script-source.h */

#include "fw-script-source.h"

typedef struct
{
  FwScriptSource *source;
  FwStream     *stream;   /* unowned: the generator owns us */
  GRefString   *feed;
  GSource      *timer;
} Gen;

static void
gen_answer (Gen *gen)
{
  FwScriptSource *src = gen->source;
  guint n = 0;

  src->pending = FALSE;
  while (n < src->per_pull && src->n_produced < src->n_items)
    {
      char text[16];
      int len = g_snprintf (text, sizeof text, "%u", src->n_produced++);

      fw_stream_yield (gen->stream, fw_item_new (FW_ITEM_LINE, gen->feed, g_get_real_time (),
                                                 text, len));
      n++;
    }

  if (src->n_produced >= src->n_items && src->fail)
    fw_stream_pull_error_literal (gen->stream, G_IO_ERROR, G_IO_ERROR_FAILED, "scripted failure");
  else if (n > 0)
    fw_stream_pull_done (gen->stream);
  else
    fw_stream_pull_end (gen->stream);
}

static gboolean
on_due (gpointer user_data)
{
  Gen *gen = user_data;

  g_clear_pointer (&gen->timer, g_source_unref);
  gen_answer (gen);

  return G_SOURCE_REMOVE;
}

static void
gen_step (FwStream     *stream,
          guint         max_items,
          GCancellable *cancellable,
          gpointer      state)
{
  Gen *gen = state;
  FwScriptSource *src = gen->source;

  gen->stream = stream;
  src->started = TRUE;
  src->n_pulls++;
  src->pending = TRUE;

  if (src->hang && src->n_produced >= src->n_items)
    return;

  if (src->delay_ms == 0 && !src->idle)
    {
      gen_answer (gen);
      return;
    }

  gen->timer = src->delay_ms > 0 ? g_timeout_source_new (src->delay_ms) : g_idle_source_new ();
  g_source_set_callback (gen->timer, on_due, gen, NULL);
  g_source_attach (gen->timer, fw_stream_get_context (stream));
}

static void
gen_cleanup (gpointer state,
             gboolean started)
{
  Gen *gen = state;

  gen->source->n_cleanups++;
  if (gen->source->log != NULL)
    g_string_append_printf (gen->source->log, "%s;", gen->source->name);
  if (gen->timer != NULL)
    {
      g_source_destroy (gen->timer);
      g_source_unref (gen->timer);
    }
  g_ref_string_release (gen->feed);
  g_free (gen);
}

FwStream *
fw_script_source_new (FwScriptSource *source)
{
  Gen *gen = g_new0 (Gen, 1);

  if (source->name == NULL)
    source->name = "src";
  if (source->per_pull == 0)
    source->per_pull = 1;
  gen->source = source;
  gen->feed = fw_ref_string_intern (source->name);

  return fw_generator_new (source->name, gen_step, gen, gen_cleanup);
}
