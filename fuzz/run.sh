#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) and runs them all at once
# (or, with SERIAL=1, one after another under nice, for a shared machine)
# for SECONDS seconds each (default 600). New inputs go to fuzz/out/<target>/
# corpus (kept out of git), crashes to fuzz/out/<target>/ — minimise one with
#   BUILD/fuzz/shiki_fuzz_<target> -minimize_crash=1 -runs=10000 CRASH
# and save it under tests/fuzz/regressions/<target>/ (docs/fuzzing.md).
#
#   fuzz/run.sh [SECONDS] [BUILD_DIR]        BUILD_DIR defaults to build-fuzz
#   TARGETS="json" fuzz/run.sh 60            one target only
#   SERIAL=1 fuzz/run.sh                     one at a time, niced
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
secs=${1:-600}
build=${2:-build-fuzz}
targets=${TARGETS:-"frontend json http"}

CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DSHIKI_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2 --target $(for t in $targets; do printf 'shiki_fuzz_%s ' "$t"; done)

run_one() {
  local t=$1 out="$root/fuzz/out/$1"
  mkdir -p "$out/corpus"
  nice "$build/fuzz/shiki_fuzz_$t" \
    -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -dict="$root/fuzz/$t.dict" -artifact_prefix="$out/" \
    "$out/corpus" "$root/fuzz/corpus/$t" >"$out/log.txt" 2>&1
}
pids=()
for t in $targets; do
  echo "fuzzing $t for ${secs}s (log fuzz/out/$t/log.txt)"
  if [ -n "${SERIAL:-}" ]; then
    run_one "$t" || true
  else
    run_one "$t" &
    pids+=($!)
  fi
done
status=0
for i in "${!pids[@]}"; do
  if ! wait "${pids[$i]}"; then status=1; fi
done
if [ -n "${SERIAL:-}" ]; then
  for t in $targets; do grep -q 'ERROR' "$root/fuzz/out/$t/log.txt" && status=1; done
fi
for t in $targets; do
  echo "== $t"
  grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)|cov: .*(DONE|INITED)|ERROR|SUMMARY' \
    "$root/fuzz/out/$t/log.txt" | tail -n 8 || true
done
exit $status
