#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# run-fuzz.sh BUILD SECONDS TARGET…: runs each libFuzzer target of BUILD (configured with
# -Dfuzzing=true) for SECONDS, one after the other, on a scratch copy of its seed corpus
# (BUILD/fuzz-scratch/TARGET/corpus: new finds stay there, out of git), and prints its final
# stats. A crash or a failed check is saved as BUILD/fuzz-scratch/TARGET/crash-…; replay it
# with `BUILD/tests/fuzz/fuzz-TARGET FILE`, fix, then add it to tests/fuzz/corpus/TARGET/.
# To keep new finds that add coverage, merge them into the seed corpus:
#   BUILD/tests/fuzz/fuzz-TARGET -merge=1 tests/fuzz/corpus/TARGET BUILD/fuzz-scratch/TARGET/corpus
# FUZZ_ARGS adds libFuzzer options (e.g. FUZZ_ARGS=-max_len=16384).
set -u

build=$1
seconds=$2
shift 2
source_dir=$(cd "$(dirname "$0")" && pwd)
failed=

for target in "$@"; do
  scratch="$build/fuzz-scratch/$target"
  rm -rf "$scratch/corpus"
  mkdir -p "$scratch/corpus"
  cp "$source_dir/corpus/$target/"* "$scratch/corpus/"
  log="$scratch/fuzz.log"

  echo "fuzz-$target: ${seconds} s, log in $log"
  # Warnings, criticals and undefined behaviour are failures here as in the tests; -timeout
  # catches hangs.
  # shellcheck disable=SC2086
  # GLib ends a fatal message with SIGTRAP, which libFuzzer would not catch: ASan does, so the
  # input is saved.
  if G_DEBUG=fatal-warnings UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
     ASAN_OPTIONS=handle_sigtrap=1 \
     "$build/tests/fuzz/fuzz-$target" -max_total_time="$seconds" -timeout=10 \
       -print_final_stats=1 -artifact_prefix="$scratch/" ${FUZZ_ARGS:-} "$scratch/corpus" \
       > "$log" 2>&1; then
    grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec)' "$log"
    echo "  $(find "$scratch/corpus" -type f | wc -l) files in the scratch corpus"
  else
    failed="$failed $target"
    echo "  FAILED: see $log"
    grep -E '(ERROR|CRITICAL|WARNING) \*\*|runtime error|^(==[0-9]+==ERROR|SUMMARY)|Test unit' \
      "$log" | head -n 5
  fi
done

if [ -n "$failed" ]; then
  echo "Failed:$failed"
  exit 1
fi
