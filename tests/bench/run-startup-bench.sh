#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench-startup needs a display and the build's GSettings schema: a private Xvfb and session
# bus, software rendering as in the UI tests (cairo), memory settings; accessibility on (a
# desktop session has an AT-SPI bus) and off.
set -euo pipefail
build=$1
bench="$build/tests/bench/bench-startup"
export GSETTINGS_SCHEMA_DIR="$build/data" GSETTINGS_BACKEND=memory \
       ADW_DISABLE_PORTAL=1 GSK_RENDERER=${GSK_RENDERER:-cairo}
x () { xvfb-run -a -s '-screen 0 1280x800x24' dbus-run-session -- "$@" 2> >(grep -v '^dbus-daemon' >&2); }

GTK_A11Y=none NO_AT_BRIDGE=1 x "$bench"
echo
x "$bench"
