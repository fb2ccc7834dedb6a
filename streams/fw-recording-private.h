/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-recording-private.h: the recording format, shared by its writer and its reader.
 *
 * A recording is a zstd stream: `zstdcat` gives back the `--print` JSON Lines. Our own parts
 * travel in skippable frames (which every zstd decoder passes over), each a 4-byte tag first:
 *
 *   FWRH  header, once, first: a JSON object (format version, Feedwatch version, the feeds)
 *   FWRM  a marker before each data frame: its compressed and uncompressed sizes, item count,
 *         first and latest item time; a file cut short is still seekable by walking these
 *   FWRI  the index, last: one entry per data frame, then its own size and "FWIX" as the
 *         file's last 8 bytes, so a reader finds it from the end
 *
 * Data frames are independent zstd frames of about 1 MB of JSON Lines, whole lines each.
 * Integers are little-endian. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FW_RECORDING_VERSION        1
#define FW_RECORDING_SKIPPABLE      0x184D2A50u
#define FW_RECORDING_SKIPPABLE_MASK 0xFFFFFFF0u
#define FW_RECORDING_ZSTD_MAGIC     0xFD2FB528u
#define FW_RECORDING_TAG_HEADER     "FWRH"
#define FW_RECORDING_TAG_MARKER     "FWRM"
#define FW_RECORDING_TAG_INDEX      "FWRI"
#define FW_RECORDING_TAG_TRAILER    "FWIX"

/* A marker's payload after its tag, and an index entry */
#define FW_RECORDING_MARKER_SIZE    (4 + 4 + 4 + 4 + 8 + 8)
#define FW_RECORDING_ENTRY_SIZE     (8 + 4 + 4 + 8 + 8)

typedef struct
{
  guint64 offset;            /* of the frame's marker in the file */
  guint32 compressed_size;   /* of the data frame after the marker */
  guint32 n_items;
  gint64  first_time_us;
  gint64  max_time_us;       /* the latest item time up to and including this frame */
} FwRecordingFrame;

/* Bytes of JSON Lines every reader of the process decoded (decompressed, or read as they are):
 * for tests that count passes over a recording */
gsize _fw_recording_reader_get_n_decoded (void);

static inline void
fw_recording_put_u32 (guint8  *p,
                      guint32  v)
{
  v = GUINT32_TO_LE (v);
  memcpy (p, &v, 4);
}

static inline void
fw_recording_put_u64 (guint8  *p,
                      guint64  v)
{
  v = GUINT64_TO_LE (v);
  memcpy (p, &v, 8);
}

static inline guint32
fw_recording_get_u32 (const guint8 *p)
{
  guint32 v;

  memcpy (&v, p, 4);
  return GUINT32_FROM_LE (v);
}

static inline guint64
fw_recording_get_u64 (const guint8 *p)
{
  guint64 v;

  memcpy (&v, p, 8);
  return GUINT64_FROM_LE (v);
}

G_END_DECLS
