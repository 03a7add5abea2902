#!/usr/bin/env bash
# The README's first command: set up, build, and assess the bundled sample
# of Matsudo households for FY2026, then print a short summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
mkdir -p out
build/cli/shiki check rulesets/matsudo
status=0
build/cli/shiki eval --ruleset rulesets/matsudo --year 2026 --jobs 2 samples/matsudo-fy2026.jsonl \
  > out/matsudo-fy2026.results.jsonl || status=$?
if [ -x build/tools/summarize ]; then
  build/tools/summarize out/matsudo-fy2026.results.jsonl
else
  echo "$(wc -l < out/matsudo-fy2026.results.jsonl) households assessed; results in out/matsudo-fy2026.results.jsonl"
fi
# 3 = some households got an error record (listed in the output); anything else is a failure.
[ "$status" -eq 0 ] || [ "$status" -eq 3 ]
