#!/usr/bin/env bash
# `alike when` is a promise the ruleset makes (docs/language.md, "Months that
# are alike"): in a household where 年間変動なし holds, the months are computed
# from April alone. Computing all twelve (--every-month) must give the same
# bytes, on generated households of every fiscal year, with and without
# benefits; a broken promise shows here as a difference.
set -euo pipefail
shiki=$1 gen=$2 root=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
check() {  # year, generator flags…
  local year=$1; shift
  "$gen" --count 5000 --seed 11 --year "$year" "$@" > "$work/in.jsonl"
  "$shiki" eval --ruleset "$root/rulesets/matsudo" --year "$year" --date "$year-11-25" "$work/in.jsonl" > "$work/alike.jsonl"
  "$shiki" eval --ruleset "$root/rulesets/matsudo" --year "$year" --date "$year-11-25" --every-month "$work/in.jsonl" > "$work/every.jsonl"
  if ! cmp -s "$work/alike.jsonl" "$work/every.jsonl"; then
    echo "FY$year $*: the figures differ when every month is computed:"
    diff <(tr , '\n' < "$work/alike.jsonl") <(tr , '\n' < "$work/every.jsonl") | head -20
    exit 1
  fi
  echo "FY$year $*: $(wc -l < "$work/alike.jsonl") households, identical"
}
for year in 2023 2024 2025 2026; do check "$year"; done
check 2026 --benefits
