/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-units.c: fw_units_format and fw_units_format_tick write every unit one way */

#include "config.h"

#include <math.h>
#include <string.h>

#include "fw-streams.h"

typedef struct
{
  double      value;
  const char *unit;
  const char *want;
} Case;

static void
check_cases (const Case *cases,
             gsize       n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      g_autofree char *got = fw_units_format (cases[i].value, cases[i].unit);

      g_test_message ("%.17g %s -> %s", cases[i].value,
                      cases[i].unit != NULL ? cases[i].unit : "NULL", got);
      g_assert_cmpstr (got, ==, cases[i].want);
    }
}

/* Decimal prefixes, as g_format_size() writes them, and "B" under a kilobyte. */
static void
test_bytes (void)
{
  static const Case cases[] = {
    { 0, FW_UNIT_BYTES, "0 B" },
    { 1, FW_UNIT_BYTES, "1 B" },
    { 512, FW_UNIT_BYTES, "512 B" },
    { 999, FW_UNIT_BYTES, "999 B" },
    { 512.4, FW_UNIT_BYTES, "512 B" },          /* an average of sizes: whole bytes */
    { 999.6, FW_UNIT_BYTES, "1.00 kB" },        /* rounds up into the next prefix */
    { 1000, FW_UNIT_BYTES, "1.00 kB" },
    { 1500, FW_UNIT_BYTES, "1.50 kB" },
    { 12345, FW_UNIT_BYTES, "12.3 kB" },
    { 999999, FW_UNIT_BYTES, "1.00 MB" },
    { 2.5e6, FW_UNIT_BYTES, "2.50 MB" },
    { 25276182528, FW_UNIT_BYTES, "25.3 GB" },
    { 253e9, FW_UNIT_BYTES, "253 GB" },
    { 1.234e12, FW_UNIT_BYTES, "1.23 TB" },
    { 5e15, FW_UNIT_BYTES, "5.00 PB" },
    { 7e18, FW_UNIT_BYTES, "7.00 EB" },
    { 2.5e21, FW_UNIT_BYTES, "2500 EB" },       /* past the last prefix */
    { -1500, FW_UNIT_BYTES, "-1.50 kB" },
    { -0.4, FW_UNIT_BYTES, "0 B" },             /* no "-0" */
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_rates (void)
{
  static const Case cases[] = {
    { 0, FW_UNIT_BYTES_PER_SECOND, "0 B/s" },
    { 12.5, FW_UNIT_BYTES_PER_SECOND, "12.5 B/s" },
    { 1.2e6, FW_UNIT_BYTES_PER_SECOND, "1.20 MB/s" },
    { 3.4e9, FW_UNIT_BYTES_PER_SECOND, "3.40 GB/s" },
    { 0, FW_UNIT_PER_SECOND, "0/s" },
    { 0.5, FW_UNIT_PER_SECOND, "0.500/s" },
    { 12.3, FW_UNIT_PER_SECOND, "12.3/s" },
    { 4560, FW_UNIT_PER_SECOND, "4.56k/s" },
    { 2.1e6, FW_UNIT_PER_SECOND, "2.10M/s" },
    { 10.5, "items/s", "10.5 items/s" },       /* a rate we do not know: as it is */
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_percent_and_celsius (void)
{
  static const Case cases[] = {
    { 0, FW_UNIT_PERCENT, "0%" },
    { 5.25, FW_UNIT_PERCENT, "5.25%" },
    { 42, FW_UNIT_PERCENT, "42.0%" },
    { 100, FW_UNIT_PERCENT, "100%" },
    { 1500, FW_UNIT_PERCENT, "1500%" },        /* never "1.50k%" */
    { -3, FW_UNIT_PERCENT, "-3.00%" },
    { 0, FW_UNIT_CELSIUS, "0 °C" },
    { -0.0, FW_UNIT_CELSIUS, "0 °C" },
    { 55.2, FW_UNIT_CELSIUS, "55.2 °C" },
    { -12.34, FW_UNIT_CELSIUS, "-12.3 °C" },
    { -0.0004, FW_UNIT_CELSIUS, "-0.000400 °C" },
    { 5000, FW_UNIT_CELSIUS, "5000 °C" },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

/* Units that take SI prefixes get them; others are value and unit; no unit gets k/M/G. */
static void
test_other_units (void)
{
  static const Case cases[] = {
    { 10, "W", "10.0 W" },
    { 2400, "W", "2.40 kW" },
    { 12.1, "V", "12.1 V" },
    { 2400, "RPM", "2400 RPM" },
    { 123456789, "RPM", "123456789 RPM" },
    { 3.5, "requests", "3.50 requests" },
    { 37, NULL, "37.0" },
    { 37, "", "37.0" },
    { 0, NULL, "0" },
    { 1234567, NULL, "1.23M" },
    { -45000, NULL, "-45.0k" },
    { 1e-6, "V", "1.00e-06 V" },               /* far below 1: an exponent, not 0.00 */
    { 2e20, "RPM", "2.00e+20 RPM" },           /* far above: not 21 digits */
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

/* NaN and infinities, for every kind of unit: never "nan", "inf" or "(null)". */
static void
test_not_finite (void)
{
  static const char * const units[] = {
    NULL, "", FW_UNIT_BYTES, FW_UNIT_BYTES_PER_SECOND, FW_UNIT_PER_SECOND, FW_UNIT_PERCENT,
    FW_UNIT_CELSIUS, "RPM",
  };
  static const Case cases[] = {
    { NAN, FW_UNIT_BYTES, "—" },
    { NAN, NULL, "—" },
    { INFINITY, FW_UNIT_BYTES, "∞ B" },
    { -INFINITY, FW_UNIT_CELSIUS, "-∞ °C" },
    { INFINITY, FW_UNIT_PERCENT, "∞%" },
    { INFINITY, FW_UNIT_PER_SECOND, "∞/s" },
  };
  const double values[] = { NAN, -NAN, INFINITY, -INFINITY };

  check_cases (cases, G_N_ELEMENTS (cases));

  for (guint u = 0; u < G_N_ELEMENTS (units); u++)
    for (guint v = 0; v < G_N_ELEMENTS (values); v++)
      {
        g_autofree char *text = fw_units_format (values[v], units[u]);
        g_autofree char *tick = fw_units_format_tick (values[v], 1.0, 10.0, units[u]);
        g_autofree char *text_down = g_utf8_strdown (text, -1);
        g_autofree char *tick_down = g_utf8_strdown (tick, -1);

        g_assert_true (g_utf8_validate (text, -1, NULL));
        g_assert_null (strstr (text_down, "nan"));
        g_assert_null (strstr (text_down, "inf"));
        g_assert_null (strstr (text_down, "null"));
        g_assert_cmpstr (text, ==, tick);
        g_assert_null (strstr (tick_down, "nan"));
      }
}

typedef struct
{
  double      value;
  double      step;
  double      magnitude;
  const char *unit;
  const char *want;
} TickCase;

/* One prefix per axis, the decimals of the step, and the unit as fw_units_format spells it. */
static void
test_ticks (void)
{
  static const TickCase cases[] = {
    { 0, 5e9, 25e9, FW_UNIT_BYTES, "0 GB" },
    { 20e9, 5e9, 25e9, FW_UNIT_BYTES, "20 GB" },
    { 2.5e9, 2.5e9, 25e9, FW_UNIT_BYTES, "2.5 GB" },
    { 0, 2.5e9, 25e9, FW_UNIT_BYTES, "0.0 GB" },
    { 1.25e9, 0.25e9, 1.5e9, FW_UNIT_BYTES, "1.25 GB" },
    { 500e6, 250e6, 1.5e9, FW_UNIT_BYTES, "0.50 GB" },   /* the axis' prefix, not its own */
    { 400, 100, 500, FW_UNIT_BYTES, "400 B" },
    { -5e9, 5e9, 10e9, FW_UNIT_BYTES, "-5 GB" },
    { 2e6, 1e6, 3e6, FW_UNIT_BYTES_PER_SECOND, "2 MB/s" },
    { 1000, 1000, 3000, FW_UNIT_PER_SECOND, "1k/s" },
    { 20, 20, 100, FW_UNIT_PERCENT, "20%" },
    { 1500, 500, 2000, FW_UNIT_PERCENT, "1500%" },
    { 40, 10, 70, FW_UNIT_CELSIUS, "40 °C" },
    { 42.5, 2.5, 70, FW_UNIT_CELSIUS, "42.5 °C" },
    { 1e-17, 0.1, 1, FW_UNIT_CELSIUS, "0.0 °C" },          /* a sum of steps: no "-0.0" */
    { -1e-17, 0.1, 1, FW_UNIT_CELSIUS, "0.0 °C" },
    { 3000, 500, 3000, "RPM", "3000 RPM" },
    { 1.5e6, 5e5, 2e6, NULL, "1.5M" },
    { 0.3, 0.1, 1, NULL, "0.3" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const TickCase *c = &cases[i];
      g_autofree char *got = fw_units_format_tick (c->value, c->step, c->magnitude, c->unit);

      g_test_message ("%.17g step %g of %g %s -> %s", c->value, c->step, c->magnitude,
                      c->unit != NULL ? c->unit : "NULL", got);
      g_assert_cmpstr (got, ==, c->want);
    }
}

/* The unit a tick ends with is the one the value's text ends with, prefix included, for any
 * magnitude: an axis and a legend beside it never disagree. */
static void
test_ticks_agree_with_values (void)
{
  static const char * const units[] = {
    FW_UNIT_BYTES, FW_UNIT_BYTES_PER_SECOND, FW_UNIT_PER_SECOND, FW_UNIT_PERCENT,
    FW_UNIT_CELSIUS, "W", "RPM", "",
  };

  for (guint u = 0; u < G_N_ELEMENTS (units); u++)
    for (double v = 1.7; v < 1e20; v *= 10)
      {
        g_autofree char *text = fw_units_format (v, units[u]);
        g_autofree char *tick = fw_units_format_tick (v, v / 4, v, units[u]);
        const char *text_unit = text + strspn (text, "-0123456789.e+");
        const char *tick_unit = tick + strspn (tick, "-0123456789.e+");

        g_test_message ("%g %s: %s / %s", v, units[u], text, tick);
        g_assert_cmpstr (text_unit, ==, tick_unit);
      }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/units/bytes", test_bytes);
  g_test_add_func ("/units/rates", test_rates);
  g_test_add_func ("/units/percent-and-celsius", test_percent_and_celsius);
  g_test_add_func ("/units/other-units", test_other_units);
  g_test_add_func ("/units/not-finite", test_not_finite);
  g_test_add_func ("/units/ticks", test_ticks);
  g_test_add_func ("/units/ticks-agree-with-values", test_ticks_agree_with_values);

  return g_test_run ();
}
