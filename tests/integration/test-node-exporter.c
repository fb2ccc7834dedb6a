/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-node-exporter.c: `metrics:` against Debian's prometheus-node-exporter, started on a
 * loopback port with only collectors that need no privileges (cpu, meminfo, loadavg). The
 * feed scrapes it a few times; each scrape must give every chosen series once (counters as
 * rates from the second scrape on), and the values must be the machine's: the CPU seconds of
 * each CPU add up to about one per second, and MemAvailable is near /proc/meminfo's. */

#include "fw-test-util.h"
#include "fw-real-peer.h"

#include <libsoup/soup.h>
#include <string.h>

#define N_SCRAPES 4
#define MATCH     "node_cpu_seconds_total|node_memory_MemAvailable_bytes|node_load1"

typedef struct
{
  FwRealPeer *exporter;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  const char *program = fw_real_peer_find_program ("prometheus-node-exporter");
  g_autofree char *listen = NULL;

  if (program == NULL)
    {
      g_test_skip ("needs prometheus-node-exporter: apt-get install prometheus-node-exporter "
                   "(make deps installs it)");
      return;
    }

  fixture->exporter = fw_real_peer_new ("node-exporter");
  listen = g_strdup_printf ("--web.listen-address=127.0.0.1:%u", fixture->exporter->port);
  {
    const char *argv[] = { program, listen, "--collector.disable-defaults", "--collector.cpu",
                           "--collector.meminfo", "--collector.loadavg", NULL };

    fw_real_peer_start (fixture->exporter, argv);
  }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_pointer (&fixture->exporter, fw_real_peer_free);
}

/* The series the exporter itself exposes for MATCH, each with its value: what a scrape sends. */
static GHashTable *
read_exposed_series (guint port)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/metrics", port);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, &error);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable *series = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *space;

      if (!g_str_has_prefix (lines[i], "node_cpu_seconds_total{") &&
          !g_str_has_prefix (lines[i], "node_memory_MemAvailable_bytes ") &&
          !g_str_has_prefix (lines[i], "node_load1 "))
        continue;
      space = strrchr (lines[i], ' ');
      g_hash_table_add (series, g_strndup (lines[i], space - lines[i]));
    }

  return series;
}

static double
meminfo_available_bytes (void)
{
  g_autofree char *text = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/meminfo", &text, NULL, NULL));
  line = strstr (text, "MemAvailable:");
  g_assert_nonnull (line);
  return g_ascii_strtod (line + strlen ("MemAvailable:"), NULL) * 1024;
}

typedef struct
{
  GPtrArray  *scrapes;     /* GHashTable *: series → value, one per scrape (poll time) */
  gint64      scrape_time;
  guint       received;
  guint       duplicated;
  guint       failures;    /* status items at warning level or worse */
} Scrapes;

static void
count_batch (GPtrArray *batch,
             gpointer   user_data)
{
  Scrapes *scrapes = user_data;

  for (guint i = 0; i < batch->len; i++)
    {
      FwItem *item = g_ptr_array_index (batch, i);
      GHashTable *scrape;
      double *value;

      if (item->kind == FW_ITEM_STATUS)
        {
          g_test_message ("status %s: %s", item->name, item->text);
          if (item->level >= FW_LEVEL_WARNING)
            scrapes->failures++;
          continue;
        }
      g_assert_cmpint (item->kind, ==, FW_ITEM_READING);
      g_assert_nonnull (item->name);
      if (scrapes->scrapes->len == 0 || item->time_us != scrapes->scrape_time)
        {
          scrapes->scrape_time = item->time_us;
          g_ptr_array_add (scrapes->scrapes,
                           g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free));
        }
      /* What comes after the scrapes the test looks at is not counted */
      if (scrapes->scrapes->len > N_SCRAPES)
        continue;
      scrape = g_ptr_array_index (scrapes->scrapes, scrapes->scrapes->len - 1);
      scrapes->received++;
      if (g_hash_table_contains (scrape, item->name))
        scrapes->duplicated++;
      value = g_new (double, 1);
      *value = item->value;
      g_hash_table_replace (scrape, g_strdup (item->name), value);
    }
}

static gboolean
enough_scrapes (gpointer user_data)
{
  Scrapes *scrapes = user_data;

  /* The last one is complete once a later one has begun */
  return scrapes->scrapes->len > N_SCRAPES;
}

static void
test_scrape (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *feed = NULL;
  g_autoptr(FwStream) stream = NULL;
  g_autoptr(GHashTable) exposed = NULL;
  Scrapes scrapes = { g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref) };
  FwTestPump *pump;
  guint sent = 0;
  guint lost = 0;
  guint n_cpus = 0;
  double available;
  GHashTableIter iter;
  gpointer key;

  if (fixture->exporter == NULL)
    return;

  exposed = read_exposed_series (fixture->exporter->port);
  g_assert_cmpuint (g_hash_table_size (exposed), >=, 3);

  feed = g_strdup_printf ("metrics:http://127.0.0.1:%u/metrics#interval=500&match=" MATCH,
                          fixture->exporter->port);
  stream = fw_feed_open (feed, FW_FEED_OPEN_NONE, &error);
  g_assert_no_error (error);
  pump = fw_test_pump_new (g_steal_pointer (&stream), count_batch, &scrapes);
  fw_test_wait_until (enough_scrapes, &scrapes, "enough scrapes of the node exporter");
  available = meminfo_available_bytes ();
  g_assert_no_error (pump->error);
  fw_test_pump_free (pump);

  /* The first scrape has no rates yet: only the gauges. Later ones have every series. */
  for (guint s = 0; s < N_SCRAPES; s++)
    {
      GHashTable *scrape = g_ptr_array_index (scrapes.scrapes, s);

      g_hash_table_iter_init (&iter, exposed);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          gboolean counter = g_str_has_prefix (key, "node_cpu_seconds_total");

          if (s == 0 && counter)
            continue;
          sent++;
          if (!g_hash_table_contains (scrape, key))
            {
              g_test_message ("scrape %u lacks %s", s, (const char *) key);
              lost++;
            }
        }
    }
  g_test_message ("prometheus-node-exporter: %u scrapes, series sent %u, received %u, "
                  "lost %u, duplicated %u",
                  N_SCRAPES, sent, scrapes.received, lost, scrapes.duplicated);
  g_assert_cmpuint (lost, ==, 0);
  g_assert_cmpuint (scrapes.duplicated, ==, 0);
  g_assert_cmpuint (scrapes.failures, ==, 0);

  /* Real values: each CPU spends about one second per second in some mode, and memory */
  for (guint s = 1; s < N_SCRAPES; s++)
    {
      GHashTable *scrape = g_ptr_array_index (scrapes.scrapes, s);
      double *memory = g_hash_table_lookup (scrape, "node_memory_MemAvailable_bytes");
      g_autoptr(GHashTable) per_cpu = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                             g_free, g_free);
      gpointer value;

      g_assert_nonnull (memory);
      g_assert_cmpfloat (*memory, >, available * 0.5);
      g_assert_cmpfloat (*memory, <, available * 1.5);

      g_hash_table_iter_init (&iter, scrape);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          const char *cpu = strstr (key, "cpu=\"");
          g_autofree char *label = NULL;
          double *sum;

          if (!g_str_has_prefix (key, "node_cpu_seconds_total{"))
            continue;
          g_assert_nonnull (cpu);
          g_assert_cmpfloat (*(double *) value, >=, 0);
          label = g_strndup (cpu, strchr (cpu + 5, '"') + 1 - cpu);
          sum = g_hash_table_lookup (per_cpu, label);
          if (sum == NULL)
            {
              sum = g_new0 (double, 1);
              g_hash_table_insert (per_cpu, g_strdup (label), sum);
            }
          *sum += *(double *) value;
        }
      if (s == 1)
        n_cpus = g_hash_table_size (per_cpu);
      g_assert_cmpuint (g_hash_table_size (per_cpu), ==, n_cpus);
      g_hash_table_iter_init (&iter, per_cpu);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          g_test_message ("scrape %u: %s: %.3f s/s", s, (const char *) key, *(double *) value);
          g_assert_cmpfloat (*(double *) value, >, 0.5);
          g_assert_cmpfloat (*(double *) value, <, 1.5);
        }
    }
  g_assert_cmpuint (n_cpus, >=, 1);

  g_ptr_array_unref (scrapes.scrapes);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/node-exporter/scrape", Fixture, NULL, fixture_set_up, test_scrape,
              fixture_tear_down);

  return g_test_run ();
}
