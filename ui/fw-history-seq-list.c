/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fw-history-seq-list.c: the cold operations of FwHistory's ascending lists of seqs (see
 * SeqList in fw-history-private.h, where the per-item ones are inline) */

#include "fw-history-private.h"

void
_fw_seq_list_reset (SeqList  *list,
                    gboolean  all,
                    guint64   first,
                    guint     len)
{
  list->all = all;
  list->first = first;
  list->len = all ? len : 0;
  list->head = 0;
  if (all)
    {
      g_clear_pointer (&list->data, g_free);
      list->alloc = 0;
    }
}

void
_fw_seq_list_grow (SeqList *list)
{
  guint alloc = MAX (list->alloc * 2, 64);
  guint64 *data = g_new (guint64, alloc);

  for (guint i = 0; i < list->len; i++)
    data[i] = seq_list_nth (list, i);
  g_free (list->data);
  list->data = data;
  list->alloc = alloc;
  list->head = 0;
}

void
_fw_seq_list_copy (SeqList       *dest,
                   const SeqList *src)
{
  if (src->all)
    {
      _fw_seq_list_reset (dest, TRUE, src->first, src->len);
      return;
    }
  _fw_seq_list_reset (dest, FALSE, 0, 0);
  if (dest->alloc < src->len || dest->alloc > 4 * MAX (src->len, 64))
    {
      guint alloc = 64;

      while (alloc < src->len)
        alloc *= 2;
      g_free (dest->data);
      dest->data = g_new (guint64, alloc);
      dest->alloc = alloc;
    }
  for (guint i = 0; i < src->len; i++)
    dest->data[i] = seq_list_nth (src, i);
  dest->len = src->len;
}
