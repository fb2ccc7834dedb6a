#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench-window needs a display and the build's GSettings schema: a private Xvfb and session
# bus, software rendering as in the UI tests (cairo), memory settings. Ingestion runs with
# accessibility off and on (a desktop session has an AT-SPI bus); memory, one process a cap.
# With --recording, only the window's recording overhead instead.
set -euo pipefail
build=$1
bench="$build/tests/bench/bench-window"
export GSETTINGS_SCHEMA_DIR="$build/data" GSETTINGS_BACKEND=memory \
       ADW_DISABLE_PORTAL=1 GSK_RENDERER=${GSK_RENDERER:-cairo}
x () { xvfb-run -a -s '-screen 0 1280x800x24' dbus-run-session -- "$@" 2> >(grep -v '^dbus-daemon' >&2); }

if [ "${2:-}" = --recording ]; then
  GTK_A11Y=none NO_AT_BRIDGE=1 x "$bench" --recording
  exit
fi

GTK_A11Y=none NO_AT_BRIDGE=1 x "$bench"
echo
x "$bench"
echo
echo "| history cap | resident memory, full less empty | bytes per item (80 characters) |"
echo "| ---: | ---: | ---: |"
for cap in 100000 1000000; do
  GTK_A11Y=none NO_AT_BRIDGE=1 x "$bench" --memory "$cap"
done
echo
echo "Target: at most 300 bytes per item of 80 characters."
