#!/usr/bin/env bash
# A batch (本算定) against a throw-away local PostgreSQL 15: init the schema,
# load the bundled sample households, run the batch, a dry run and one
# reassessment, and show the run history. The server is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
[ -x build/cli/shiki ] && [ -n "${SHIKI_NO_BUILD:-}" ] || bash scripts/build.sh >/dev/null
pgbin=/usr/lib/postgresql/15/bin
work=$(mktemp -d /tmp/shiki-ledger-demo.XXXXXX)
as_pg=()
if [ "$(id -u)" = 0 ]; then   # PostgreSQL refuses to run as root
  id shiki-demo >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin shiki-demo
  chown shiki-demo "$work"
  as_pg=(runuser -u shiki-demo --)
fi
port=$(( 20000 + RANDOM % 20000 ))
"${as_pg[@]}" "$pgbin/initdb" -D "$work/data" -U shiki --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/data" -l "$work/server.log" -w \
  -o "-p $port -k $work -c listen_addresses=127.0.0.1" start >/dev/null
trap '"${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null; rm -rf "$work"' EXIT
export SHIKI_DB="host=127.0.0.1 port=$port user=shiki dbname=postgres"
shiki=build/cli/shiki
$shiki ledger init
$shiki ledger load samples/matsudo-fy2026.jsonl
$shiki batch --ruleset rulesets/matsudo --year 2026 --no-progress
$shiki batch --ruleset rulesets/matsudo --year 2026 --dry-run --no-progress
first=$(head -1 samples/matsudo-fy2026.jsonl | sed 's/.*"household_id": *"\([^"]*\)".*/\1/')
$shiki reassess --ruleset rulesets/matsudo --year 2026 --household "$first"
# Benefits and collection (docs/benefits.md): households with claims, meals and
# installments, assessed on an evaluation date; the figures land in `extra`.
build/tools/gen_population --count 200 --seed 7 --year 2026 --first 100000 --benefits > "$work/benefits.jsonl"
$shiki ledger load "$work/benefits.jsonl"
$shiki batch --ruleset rulesets/matsudo --year 2026 --date 2026-11-25 --no-progress
psql "$SHIKI_DB" -c "SELECT household_id, extra->'benefits'->'limit_category' AS category,
  jsonb_array_length(extra->'benefits'->'high_cost') AS high_cost_months,
  (SELECT sum((m->>'total')::bigint) FROM jsonb_array_elements(extra->'benefits'->'high_cost') m) AS high_cost_total,
  (SELECT sum((c->>'late_charge')::bigint) FROM jsonb_array_elements(extra->'collection'->'late_charges') c) AS late_charges
  FROM shiki.current_household_results WHERE jsonb_array_length(extra->'benefits'->'high_cost') > 0
  ORDER BY household_id LIMIT 5"
psql "$SHIKI_DB" -c "SELECT * FROM shiki.runs ORDER BY 1"
