#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench_idle.py needs a display and a session bus of its own: a private Xvfb (with GLX, for
# GTK's GL renderer on software GL) and dbus-run-session.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
xvfb-run -a -s '-screen 0 1280x800x24 +extension GLX' dbus-run-session -- \
  "${PYTHON:-python3}" "$top/tests/bench/bench_idle.py" 2> >(grep -v '^dbus-daemon' >&2)
