/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-backoff.c: the reconnect policy, with a scripted random source */

#include "fw-backoff.h"

#include <math.h>

typedef struct
{
  const double *values;
  guint         n_values;
  guint         next;
} Script;

static double
scripted_random (gpointer user_data)
{
  Script *script = user_data;
  double r = script->values[script->next % script->n_values];

  script->next++;
  return r;
}

static void
test_backoff_none_doubles_to_cap (void)
{
  g_autoptr(FwBackoff) backoff = fw_backoff_new (1000, 10000, FW_BACKOFF_JITTER_NONE);

  g_assert_cmpuint (fw_backoff_next_delay (backoff), ==, 1000);
  g_assert_cmpuint (fw_backoff_next_delay (backoff), ==, 2000);
  g_assert_cmpuint (fw_backoff_next_delay (backoff), ==, 4000);
  g_assert_cmpuint (fw_backoff_next_delay (backoff), ==, 8000);
  g_assert_cmpuint (fw_backoff_next_delay (backoff), ==, 10000);
  g_assert_cmpuint (fw_backoff_next_delay (backoff), ==, 10000);
  g_assert_cmpuint (fw_backoff_get_failures (backoff), ==, 6);

  /* A thousand more failures do not overflow the doubling. */
  for (guint i = 0; i < 1000; i++)
    g_assert_cmpuint (fw_backoff_next_delay (backoff), ==, 10000);
}

static void
test_backoff_reset_after_good_connection (void)
{
  g_autoptr(FwBackoff) backoff = fw_backoff_new (500, 60000, FW_BACKOFF_JITTER_NONE);

  fw_backoff_next_delay (backoff);
  fw_backoff_next_delay (backoff);
  g_assert_cmpuint (fw_backoff_next_delay (backoff), ==, 2000);

  fw_backoff_reset (backoff);
  g_assert_cmpuint (fw_backoff_get_failures (backoff), ==, 0);
  g_assert_cmpuint (fw_backoff_next_delay (backoff), ==, 500);
  g_assert_cmpuint (fw_backoff_next_delay (backoff), ==, 1000);
}

static void
test_backoff_full_jitter (void)
{
  static const double values[] = { 0.0, 0.5, 0.999999, 0.25 };
  Script script = { values, G_N_ELEMENTS (values), 0 };
  g_autoptr(FwBackoff) backoff = fw_backoff_new (1000, 16000, FW_BACKOFF_JITTER_FULL);

  fw_backoff_set_random (backoff, scripted_random, &script);

  /* First delay: exactly the base, no draw. */
  g_assert_cmpuint (fw_backoff_next_delay (backoff), ==, 1000);
  g_assert_cmpuint (script.next, ==, 0);
  /* n = 1: ceiling 2000, r = 0 → base */
  g_assert_cmpuint (fw_backoff_next_delay (backoff), ==, 1000);
  /* n = 2: ceiling 4000, r = 0.5 → 1000 + 1500 */
  g_assert_cmpuint (fw_backoff_next_delay (backoff), ==, 2500);
  /* n = 3: ceiling 8000, r ≈ 1 → just under 8000 */
  g_assert_cmpuint (fw_backoff_next_delay (backoff), ==, 7999);
  /* n = 4: ceiling 16000, r = 0.25 → 1000 + 3750 */
  g_assert_cmpuint (fw_backoff_next_delay (backoff), ==, 4750);
}

static void
test_backoff_decorrelated_jitter (void)
{
  static const double values[] = { 0.5, 1.0, 1.0, 1.0, 1.0 };
  Script script = { values, G_N_ELEMENTS (values), 0 };
  g_autoptr(FwBackoff) backoff = fw_backoff_new (1000, 20000, FW_BACKOFF_JITTER_DECORRELATED);

  fw_backoff_set_random (backoff, scripted_random, &script);

  g_assert_cmpuint (fw_backoff_next_delay (backoff), ==, 1000);
  /* upper = 3 × 1000: 1000 + 0.5 × 2000 */
  g_assert_cmpuint (fw_backoff_next_delay (backoff), ==, 2000);
  /* upper = 6000, r clamped to 1 → 6000 */
  g_assert_cmpuint (fw_backoff_next_delay (backoff), ==, 6000);
  g_assert_cmpuint (fw_backoff_next_delay (backoff), ==, 18000);
  /* capped */
  g_assert_cmpuint (fw_backoff_next_delay (backoff), ==, 20000);
  g_assert_cmpuint (fw_backoff_next_delay (backoff), ==, 20000);
}

static void
test_backoff_bounds_with_real_random (void)
{
  FwBackoffJitter modes[] = { FW_BACKOFF_JITTER_FULL, FW_BACKOFF_JITTER_DECORRELATED };

  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      g_autoptr(FwBackoff) backoff = fw_backoff_new (300, 5000, modes[m]);

      for (guint i = 0; i < 10000; i++)
        {
          guint delay = fw_backoff_next_delay (backoff);

          g_assert_cmpuint (delay, >=, 300);
          g_assert_cmpuint (delay, <=, 5000);
          if (i % 37 == 0)
            fw_backoff_reset (backoff);
        }
    }
}

static void
test_backoff_server_retry (void)
{
  g_autoptr(FwBackoff) backoff = fw_backoff_new (3000, 30000, FW_BACKOFF_JITTER_NONE);

  /* The server's retry replaces the base… */
  fw_backoff_set_base (backoff, 200);
  g_assert_cmpuint (fw_backoff_get_base (backoff), ==, 200);
  g_assert_cmpuint (fw_backoff_next_delay (backoff), ==, 200);
  g_assert_cmpuint (fw_backoff_next_delay (backoff), ==, 400);

  /* …but a retry above the cap (untrusted: the server's) is clamped to the cap. */
  fw_backoff_set_base (backoff, 100000);
  g_assert_cmpuint (fw_backoff_get_base (backoff), ==, 30000);
  g_assert_cmpuint (fw_backoff_next_delay (backoff), ==, 30000);
  fw_backoff_set_base (backoff, G_MAXUINT);
  g_assert_cmpuint (fw_backoff_next_delay (backoff), ==, 30000);
  g_assert_cmpuint (fw_backoff_get_cap (backoff), ==, 30000);
}

static void
test_backoff_zero_base (void)
{
  g_autoptr(FwBackoff) backoff = fw_backoff_new (0, 1000, FW_BACKOFF_JITTER_NONE);

  g_assert_cmpuint (fw_backoff_next_delay (backoff), ==, 0);
  g_assert_cmpuint (fw_backoff_next_delay (backoff), ==, 2);
  g_assert_cmpuint (fw_backoff_next_delay (backoff), ==, 4);
}

static double
bad_random (gpointer user_data)
{
  return *(double *) user_data;
}

static void
test_backoff_bad_random_is_clamped (void)
{
  double values[] = { -1.0, 7.0, NAN };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr(FwBackoff) backoff = fw_backoff_new (100, 1000, FW_BACKOFF_JITTER_FULL);

      fw_backoff_set_random (backoff, bad_random, &values[i]);
      fw_backoff_next_delay (backoff);
      for (guint j = 0; j < 10; j++)
        {
          guint delay = fw_backoff_next_delay (backoff);
          g_assert_cmpuint (delay, >=, 100);
          g_assert_cmpuint (delay, <=, 1000);
        }
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/backoff/none-doubles-to-cap", test_backoff_none_doubles_to_cap);
  g_test_add_func ("/backoff/reset", test_backoff_reset_after_good_connection);
  g_test_add_func ("/backoff/full-jitter", test_backoff_full_jitter);
  g_test_add_func ("/backoff/decorrelated-jitter", test_backoff_decorrelated_jitter);
  g_test_add_func ("/backoff/bounds", test_backoff_bounds_with_real_random);
  g_test_add_func ("/backoff/server-retry", test_backoff_server_retry);
  g_test_add_func ("/backoff/zero-base", test_backoff_zero_base);
  g_test_add_func ("/backoff/bad-random", test_backoff_bad_random_is_clamped);

  return g_test_run ();
}
