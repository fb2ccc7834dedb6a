#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs every benchmark in one go, so our figures and the peers' come from the same run on the
# same machine. Each benchmark prints its own table. Add a benchmark as one `bench` line below.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BENCH_BUILD:-_build-bench}
case "$build" in /*) ;; *) build="$top/$build" ;; esac
export FW_BENCH_BUILD="$build" FW_BENCH_SRC="$top/tests/bench" FEEDWATCH_BIN="$build/app/feedwatch"
export PYTHON=${PYTHON:-/usr/bin/python3}

bench () {
  echo
  echo "## $1"
  shift
  "$@"
}

echo "# Feedwatch benchmarks — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(uname -m)"

# name                       command
bench "Stream contract"      "$build/tests/bench/bench-stream"
bench "Log files"            "$build/tests/bench/bench-log"
bench "Live list history"    "$build/tests/bench/bench-history"
bench "Server-Sent Events"   "$build/tests/bench/bench-sse"
bench "Stream combinators"   "$build/tests/bench/bench-combinators"
bench "Python binding"       env GI_TYPELIB_PATH="$build/streams" LD_LIBRARY_PATH="$build/streams" \
                               PYTHONPATH="$top/bindings/python" "$PYTHON" "$top/tests/bench/bench_binding.py"
bench "Alert rules"          "$build/tests/bench/bench-alerts"
bench "Record and replay"    "$build/tests/bench/bench-recording"
bench "Replay window's feeds" "$build/tests/bench/bench-replay-split"
bench "Recording from the window" "$top/tests/bench/run-window-bench.sh" "$build" --recording
bench "Systemd journal"      "$build/tests/bench/bench-journal"
[ -x "$build/tests/bench/bench-postgres" ] &&
  bench "PostgreSQL LISTEN/NOTIFY" "$build/tests/bench/bench-postgres"
[ -x "$build/tests/bench/bench-mqtt" ] &&
  bench "MQTT"                 "$build/tests/bench/bench-mqtt"
bench "Window under a flood" "$top/tests/bench/run-window-bench.sh" "$build"
bench "Startup with many saved feeds" "$top/tests/bench/run-startup-bench.sh" "$build"
bench "Idle window"          "$top/tests/bench/run-idle-bench.sh"
