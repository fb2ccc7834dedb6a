/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fw-units.c: values with their units, for people.
 *
 * Prefixes are decimal (kB = 1000 B), as g_format_size() and the rest of GNOME write sizes, so
 * "25.3 GB" here is "25.3 GB" in Files and Disk Usage Analyzer, and an axis step that is nice
 * in bytes (5,000,000,000) is nice in GB (5). Unlike g_format_size(), a size under a kilobyte
 * is "512 B", not "512 bytes": one spelling of the unit, the one `--print` writes; and the
 * space before a unit is a plain one, not U+00A0, so a search for "25.3 GB" finds the row.
 *
 * Only units that take SI prefixes get them (bytes, byte rates, watts, volts, amperes, hertz,
 * bare numbers and bare rates); others ("°C", "RPM", "%", anything a feed invents) keep the
 * value whole with the unit after it. Numbers have three significant digits, with trailing
 * zeros kept so a legend that changes every frame keeps its width. Numbers are written in the
 * user's locale, as g_format_size() does; `--print` writes the raw value, not this text. */

#include "config.h"

#include <math.h>

#include "fw-units.h"

typedef enum
{
  STYLE_PLAIN,          /* "2400 RPM", "55.2 °C" */
  STYLE_PLAIN_GLUED,    /* "42.0%" */
  STYLE_PREFIX_SPACED,  /* "25.3 GB", "1.20 kW": the prefix belongs to the unit */
  STYLE_PREFIX_GLUED,   /* "1.23M", "4.56k/s": a bare number or a bare rate */
} Style;

static const char * const prefixes[] = { "", "k", "M", "G", "T", "P", "E" };
#define N_PREFIXES ((int) G_N_ELEMENTS (prefixes))

/* Beyond these, a mantissa is written with an exponent rather than as a row of digits. */
#define MANTISSA_TINY 1e-4
#define MANTISSA_HUGE 1e15

static Style
style_for (const char *unit)
{
  static const char * const si_units[] = {
    FW_UNIT_BYTES, FW_UNIT_BYTES_PER_SECOND, "W", "V", "A", "Hz",
  };

  if (unit[0] == '\0' || g_str_equal (unit, FW_UNIT_PER_SECOND))
    return STYLE_PREFIX_GLUED;
  if (g_str_equal (unit, FW_UNIT_PERCENT))
    return STYLE_PLAIN_GLUED;
  for (guint i = 0; i < G_N_ELEMENTS (si_units); i++)
    {
      if (g_str_equal (unit, si_units[i]))
        return STYLE_PREFIX_SPACED;
    }

  return STYLE_PLAIN;
}

static gboolean
style_has_prefixes (Style style)
{
  return style == STYLE_PREFIX_SPACED || style == STYLE_PREFIX_GLUED;
}

/* The prefix that puts @magnitude in [1, 1000). */
static int
prefix_for (Style  style,
            double magnitude)
{
  if (!style_has_prefixes (style) || !(magnitude >= 1000) || !isfinite (magnitude))
    return 0;

  return CLAMP ((int) floor (log10 (magnitude) / 3), 0, N_PREFIXES - 1);
}

/* Decimals that give @m (positive) three significant digits, once rounded to them. */
static int
significant_decimals (double m)
{
  int e;
  double scale;

  if (m == 0)
    return 0;

  e = (int) floor (log10 (m));
  scale = pow (10.0, e - 2);
  if (round (m / scale) * scale >= pow (10.0, e + 1))
    e++;   /* 9.996 rounds to 10.0, not 10.00 */

  return MAX (0, 2 - e);
}

/* Decimals needed to write multiples of @step exactly. */
static int
decimals_for_step (double step)
{
  int d = 0;

  step = fabs (step);
  while (d < 6)
    {
      double scaled = step * pow (10.0, d);

      if (fabs (scaled - round (scaled)) < 1e-6 * MAX (1.0, scaled))
        break;
      d++;
    }

  return d;
}

static double
round_to (double m,
          int    decimals)
{
  double scale = pow (10.0, decimals);

  return round (m * scale) / scale;
}

static char *
compose (gboolean    negative,
         const char *number,
         int         prefix,
         const char *unit,
         Style       style)
{
  const char *sign = negative ? "-" : "";

  switch (style)
    {
    case STYLE_PREFIX_SPACED:
      return g_strconcat (sign, number, " ", prefixes[prefix], unit, NULL);

    case STYLE_PREFIX_GLUED:
      return g_strconcat (sign, number, prefixes[prefix], unit, NULL);

    case STYLE_PLAIN_GLUED:
      return g_strconcat (sign, number, unit, NULL);

    case STYLE_PLAIN:
    default:
      return g_strconcat (sign, number, unit[0] != '\0' ? " " : "", unit, NULL);
    }
}

static char *
format_non_finite (double      value,
                   const char *unit,
                   Style       style)
{
  if (isnan (value))
    return g_strdup ("—");   /* no value: nothing to put a unit on */

  return compose (value < 0, "∞", 0, unit, style);
}

/* Writes @m (non-negative) with @decimals, or with an exponent when it is far from 1. */
static char *
format_mantissa (double m,
                 int    decimals)
{
  if (m != 0 && (m < MANTISSA_TINY || m >= MANTISSA_HUGE))
    return g_strdup_printf ("%.2e", m);

  return g_strdup_printf ("%.*f", decimals, m);
}

/**
 * fw_units_format:
 * @value: a reading
 * @unit: (nullable): its unit, ideally one of the `FW_UNIT_…` symbols; %NULL or "" for none
 *
 * Writes @value for people: "25.3 GB", "1.20 MB/s", "4.56k/s", "42.0%", "55.2 °C",
 * "2400 RPM", "1.23M". Three significant digits; sizes under a kilobyte in whole bytes. A NaN
 * is "—" and infinities are "∞" with the unit: never "nan".
 *
 * Returns: (transfer full): the text
 */
char *
fw_units_format (double      value,
                 const char *unit)
{
  Style style;
  gboolean whole;
  g_autofree char *number = NULL;
  double m;
  int prefix, decimals;

  if (unit == NULL)
    unit = "";
  style = style_for (unit);
  if (!isfinite (value))
    return format_non_finite (value, unit, style);

  whole = g_str_equal (unit, FW_UNIT_BYTES);
  prefix = prefix_for (style, fabs (value));
  m = fabs (value) / pow (1000.0, prefix);
  decimals = whole && prefix == 0 ? 0 : significant_decimals (m);

  /* 999.7 kB rounds to 1000 kB: say 1.00 MB instead. */
  if (style_has_prefixes (style) && prefix < N_PREFIXES - 1 && round_to (m, decimals) >= 1000)
    {
      prefix++;
      m /= 1000.0;
      decimals = significant_decimals (m);
    }

  number = format_mantissa (m, decimals);
  /* No "-0" for a small negative that rounds to nothing. */
  return compose (value < 0 && round_to (m, decimals) > 0, number, prefix, unit, style);
}

/**
 * fw_units_format_tick:
 * @value: the tick's value, a multiple of @step
 * @step: the distance between two ticks of the axis
 * @magnitude: the largest absolute value on the axis, which picks the prefix of every tick
 * @unit: (nullable): the axis' unit
 *
 * The compact text of an axis tick: the prefixes and unit spelling of fw_units_format(), one
 * prefix for the whole axis, and only the decimals the step needs ("0 GB", "2.5 GB", "5 GB").
 *
 * Returns: (transfer full): the text
 */
char *
fw_units_format_tick (double      value,
                      double      step,
                      double      magnitude,
                      const char *unit)
{
  Style style;
  g_autofree char *number = NULL;
  double factor, m;
  int prefix, decimals;

  if (unit == NULL)
    unit = "";
  style = style_for (unit);
  if (!isfinite (value))
    return format_non_finite (value, unit, style);

  if (fabs (value) < fabs (step) * 1e-9)
    value = 0.0;   /* the sum of steps that should be 0 */

  prefix = prefix_for (style, fabs (magnitude));
  factor = pow (1000.0, prefix);
  m = fabs (value) / factor;
  decimals = decimals_for_step (step / factor);
  number = format_mantissa (m, decimals);

  return compose (value < 0 && round_to (m, decimals) > 0, number, prefix, unit, style);
}

/**
 * fw_units_format_delay:
 * @ms: a delay or a timeout, in milliseconds
 * @short_in_ms: write a delay under a second in milliseconds ("300 ms") rather than as a
 *   fraction of a second ("0.3 s")
 *
 * The one spelling of a wait in status items and errors: "3 s", "2.5 s", "300 ms" or "0.3 s".
 * Not localised: these words are read by scripts through `--print` as much as by people.
 *
 * Returns: (transfer full): the text
 */
char *
fw_units_format_delay (guint    ms,
                       gboolean short_in_ms)
{
  if (ms < 1000 && short_in_ms)
    return g_strdup_printf ("%u ms", ms);
  if (ms % 1000 == 0)
    return g_strdup_printf ("%u s", ms / 1000);
  else
    {
      char number[G_ASCII_DTOSTR_BUF_SIZE];

      return g_strdup_printf ("%s s", g_ascii_formatd (number, sizeof number, "%.1f",
                                                       ms / 1000.0));
    }
}
