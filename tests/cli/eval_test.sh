#!/usr/bin/env bash
# shiki eval: --year selects the fiscal year (another year is an error record
# naming fiscal_year, exit 3; a year outside the ruleset stops with exit 1),
# and one 29 MB line of 150,000 members is refused naming `members` in a
# bounded amount of memory (it took 1.33 GB for 24 MB before the limit).
set -uo pipefail
shiki=$1
root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$shiki" eval --ruleset "$root/rulesets/matsudo" --year 2030 "$root/samples/matsudo-fy2026.jsonl" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 1 ] || fail "--year 2030 should exit 1"
grep -q "not covered" "$tmp/err" || fail "--year 2030 should say why: $(cat "$tmp/err")"

head -3 "$root/samples/matsudo-fy2026.jsonl" >"$tmp/three.jsonl"
"$shiki" eval --ruleset "$root/rulesets/matsudo" --year 2025 "$tmp/three.jsonl" >"$tmp/out"
[ $? -eq 3 ] || fail "a FY2026 record under --year 2025 should exit 3"
[ "$(grep -c '"field":"fiscal_year"' "$tmp/out")" -eq 3 ] || fail "each record should name fiscal_year: $(cat "$tmp/out")"

"$shiki" eval --ruleset "$root/rulesets/matsudo" --year 2026 "$tmp/three.jsonl" >"$tmp/out"
[ $? -eq 0 ] || fail "FY2026 records under --year 2026 should be assessed"

python3 - "$tmp/big.jsonl" <<'PY'
import json, sys
m = {"person_id": "P1", "head": False, "insured": True, "birth_date": "1960-07-14",
     "nhi_periods": [{"from": "2025-07-14", "until": None}], "income": {"declared": True, "salary_revenue": 1000000}}
open(sys.argv[1], "w").write(json.dumps({"household_id": "HBIG", "fiscal_year": 2026, "members": [m] * 150000}) + "\n")
PY
/usr/bin/time -f "%M" -o "$tmp/rss" "$shiki" eval --ruleset "$root/rulesets/matsudo" --year 2026 "$tmp/big.jsonl" >"$tmp/out"
[ $? -eq 3 ] || fail "the 150,000-member line should be an error record"
grep -q '"field":"members"' "$tmp/out" || fail "the error should name members: $(head -c 300 "$tmp/out")"
rss_kb=$(tail -1 "$tmp/rss")
[ "$rss_kb" -lt 300000 ] || fail "peak memory $rss_kb kB for one 29 MB line"
echo "ok (peak ${rss_kb} kB for the 29 MB line)"
