#!/usr/bin/env bash
# shiki dump as a user types it: a stage of the Matsudo ruleset for one rule
# exits 0 and shows the rule; a stage that does not exist exits 2 naming the
# stages in pipeline order; a rule that does not exist exits 2 with the
# rules whose names come close.
set -uo pipefail
shiki=$1
root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$shiki" dump --stage=checked "$root/rulesets/matsudo" 世帯.年額 >"$tmp/out" 2>"$tmp/err"
[ $? -eq 0 ] || fail "--stage=checked 世帯.年額 should exit 0: $(cat "$tmp/err")"
grep -q '^rule 世帯.年額 : money$' "$tmp/out" || fail "the rule's header is missing: $(head -5 "$tmp/out")"
grep -q -- '-> rule 世帯.医療分.年額$' "$tmp/out" || fail "医療分.年額 should resolve to a rule: $(cat "$tmp/out")"

"$shiki" dump --stage=bogus "$root/rulesets/matsudo" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] || fail "an unknown stage should exit 2"
grep -q 'parse, ast, resolved, checked, graph, bytecode, plan' "$tmp/err" || fail "the stages should be listed: $(cat "$tmp/err")"

"$shiki" dump --stage=graph "$root/rulesets/matsudo" 世帯.年額x >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] || fail "an unknown rule should exit 2"
grep -q '世帯.年額' "$tmp/err" || fail "the close rule should be named: $(cat "$tmp/err")"
echo ok
