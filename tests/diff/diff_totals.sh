#!/usr/bin/env bash
# shiki diff's revenue equals the difference of two shiki eval runs, to the
# yen: a reform that raises the FY2026 医療分 均等割 by 1,000 yen, over the
# bundled sample. Usage: diff_totals.sh SHIKI SUMMARIZE SOURCE_DIR
set -euo pipefail
shiki=$1 summarize=$2 src=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$src/rulesets/national" "$src/rulesets/matsudo" "$work/"
cp -r "$work/matsudo" "$work/reform"
sed -i 's/^  27_000円 from 2026-04-01/  28_000円 from 2026-04-01/' "$work/reform/unconfirmed.shiki"
grep -q '^  28_000円 from 2026-04-01' "$work/reform/unconfirmed.shiki"   # the reform took
sample="$src/samples/matsudo-fy2026.jsonl"
total() { "$shiki" eval --ruleset "$1" --year 2026 "$sample" | "$summarize" | awk '$1 == "total" { gsub(",", "", $2); print $2 }'; }
base=$(total "$work/matsudo")
new=$(total "$work/reform")
report=$("$shiki" diff --base "$work/matsudo" --ruleset "$work/reform" --year 2026 "$sample")
echo "$report"
line=$(echo "$report" | awk '$1 == "total"')
want=$(printf "total %s %s %s" "$base" "$new" "$((new - base))")
got=$(echo "$line" | awk '{ gsub(",", ""); print $1, $2, $3, $4 }')
[ "$got" = "$want" ] || { echo "diff says '$got', two evals say '$want'"; exit 1; }
[ "$((new - base))" -gt 0 ] || { echo "the reform changed nothing"; exit 1; }
echo "diff totals agree with two evals: $got"
