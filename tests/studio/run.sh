#!/usr/bin/env bash
# Starts `shiki studio` on a free port over a throw-away copy of the Matsudo
# ruleset and golden cases, with a token made for this run, drives it in
# chromium (studio_browser.cjs), then checks what the server left behind:
# the saved file, and no token in the audit or the server log.
# Usage: run.sh SHIKI SOURCE_DIR NODE_MODULES SCREENSHOT_DIR
set -euo pipefail
shiki=$1 src=$2 node_modules=$3 shots=$4
chromium=${CHROMIUM:-/usr/bin/chromium}
[ -x "$chromium" ] || { echo "no chromium at $chromium: run scripts/setup.sh"; exit 1; }

work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/rulesets" "$work/golden" "$shots"
rm -f "$shots"/*.png
cp -r "$src/rulesets/national" "$src/rulesets/matsudo" "$work/rulesets/"
cp -r "$src/golden/matsudo" "$work/golden/"
token=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
digest=$(printf %s "$token" | sha256sum | cut -d' ' -f1)
cat > "$work/studio.json" <<JSON
{
  "listen": { "host": "127.0.0.1", "port": 0 },
  "rulesets": [ { "id": "matsudo", "dir": "rulesets/matsudo" } ],
  "tokens": [ { "holder": "policy-staff-test", "sha256": "$digest", "rulesets": ["matsudo"], "admin": true } ],
  "audit_log": "audit.log",
  "limits": { "worker_threads": 2, "request_timeout_ms": 60000 }
}
JSON

"$shiki" studio --config "$work/studio.json" --ruleset "$work/rulesets/matsudo" \
  --population "$src/samples/matsudo-fy2026.jsonl" --golden "$work/golden" --port 0 2> "$work/studio.log" &
pid=$!
url=
for _ in $(seq 1200); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/studio/' "$work/studio.log" | head -1 || true)
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/studio.log"; echo "shiki studio did not start"; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { cat "$work/studio.log"; echo "shiki studio did not say where it listens"; exit 1; }
echo "studio at $url"

STUDIO_URL=$url STUDIO_TOKEN=$token SCREENSHOTS=$shots RULESET_DIR=$work/rulesets/matsudo CHROMIUM=$chromium \
  NODE_PATH=$node_modules node "$src/tests/studio/studio_browser.cjs" ||
  { echo "--- the studio's log:"; tail -40 "$work/studio.log"; exit 1; }

# What the server wrote about it: who did what, never the token.
grep -q '"holder":"policy-staff-test"' "$work/audit.log" || { echo "no audit line for the test's holder"; exit 1; }
grep -q '"endpoint":"/studio/api/save"' "$work/audit.log" || { echo "the saves were not audited"; exit 1; }
grep -q '"household_ids":\["H0000003"\]' "$work/audit.log" || { echo "the household lookup was not audited"; exit 1; }
if grep -qF "$token" "$work/audit.log" "$work/studio.log"; then echo "the token reached a log"; exit 1; fi
if grep -qF "$digest" "$work/audit.log" "$work/studio.log"; then echo "the token's hash reached a log"; exit 1; fi
echo "screenshots in $shots:"
ls "$shots"
