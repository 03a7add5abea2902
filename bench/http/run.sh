#!/usr/bin/env bash
# Load test of POST /v1/evaluate on loopback with wrk, bounded in time
# (2 runs x SHIKI_BENCH_SECONDS, default 8 s each, at most 20 s in all).
#
#   bench/http/run.sh [BUILD_DIR]
#
# By default it starts shiki_http_bench_server (the API over the fake engine
# of tests/http/, so the HTTP layer is measured on its own: parsing,
# authentication, audit line, JSON out) on a free loopback port, and stops it
# afterwards. To measure a running `shiki serve` with the real ruleset
# instead, set SHIKI_BENCH_URL=http://127.0.0.1:8080 and SHIKI_BENCH_TOKEN.
#
# Run 1, fixed load: 20 connections each pausing 9 ms between requests,
#   about 2,000 req/s offered (9 ms pause + ~0.6 ms latency; the issue's goal
#   is p99 under 2 ms there).
# Run 2, saturation: 16 connections with no pause.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-build}"
seconds="${SHIKI_BENCH_SECONDS:-8}"
if (( seconds > 10 )); then seconds=10; fi  # two runs stay within 20 s
export SHIKI_BENCH_BODY="$here/household.json"
tmp="$(mktemp -d)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

if [[ -z "${SHIKI_BENCH_URL:-}" ]]; then
  server="$(find "$build" -name shiki_http_bench_server -type f -perm -u+x | head -n1)"
  [[ -x "$server" ]] || { echo "shiki_http_bench_server not found under $build; build it first" >&2; exit 1; }
  "$server" 0 "$tmp/audit.jsonl" 2> "$tmp/server.log" &
  server_pid=$!
  for _ in $(seq 100); do
    port="$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$tmp/server.log")"
    [[ -n "$port" ]] && break
    sleep 0.05
  done
  [[ -n "$port" ]] || { cat "$tmp/server.log" >&2; exit 1; }
  SHIKI_BENCH_URL="http://127.0.0.1:$port"
  export SHIKI_BENCH_TOKEN="bench-token"
fi
case "$SHIKI_BENCH_URL" in
  http://127.0.0.1:*|http://localhost:*) ;;
  *) echo "loopback only: $SHIKI_BENCH_URL" >&2; exit 1 ;;
esac
: "${SHIKI_BENCH_TOKEN:?set SHIKI_BENCH_TOKEN}"

# Warm-up so the first run does not pay for evaluator creation.
SHIKI_BENCH_DELAY_MS=0 wrk -t1 -c4 -d1s -s "$here/evaluate.lua" "$SHIKI_BENCH_URL/v1/evaluate" > /dev/null

echo "fixed load (~2000 req/s offered: 20 connections, 9 ms pause), ${seconds}s:"
SHIKI_BENCH_DELAY_MS=9 wrk -t2 -c20 -d"${seconds}s" -s "$here/evaluate.lua" "$SHIKI_BENCH_URL/v1/evaluate" | grep RESULT
echo "saturation (16 connections, no pause), ${seconds}s:"
SHIKI_BENCH_DELAY_MS=0 wrk -t2 -c16 -d"${seconds}s" -s "$here/evaluate.lua" "$SHIKI_BENCH_URL/v1/evaluate" | grep RESULT
if [[ -f "$tmp/audit.jsonl" ]]; then echo "audit lines written: $(wc -l < "$tmp/audit.jsonl")"; fi
