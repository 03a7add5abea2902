#!/usr/bin/env bash
# `shiki serve` with the Matsudo ruleset, as its own process so that its
# memory is what is measured: a 1 MiB explain request of 5,000 members is
# refused naming `members` (it gave a 108 MB answer and 1.7 GB before), and
# after bursts of concurrent explain requests the server goes back to its
# working size instead of keeping what the burst used.
set -uo pipefail
shiki=$1
root=$2
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

python3 - "$root" "$tmp" <<'PY'
import json, sys
root, tmp = sys.argv[1], sys.argv[2]
c = json.load(open(root + "/config/serve.example.json"))
c["listen"]["port"] = 0
c["rulesets"][0]["dir"] = root + "/rulesets/matsudo"
c["audit_log"] = tmp + "/audit.jsonl"
c["limits"]["max_body_bytes"] = 2 * 1024 * 1024
c["limits"]["max_array_items"] = {"default": 100}
json.dump(c, open(tmp + "/serve.json", "w"))
m = {"person_id": "P1", "head": False, "insured": True, "birth_date": "1960-07-14",
     "nhi_periods": [{"from": "2025-07-14", "until": None}], "income": {"declared": True, "salary_revenue": 1000000}}
def envelope(n, hid):
    ms = [dict(m, person_id="P%d" % i) for i in range(n)]
    ms[0]["head"] = True
    return json.dumps({"ruleset": "matsudo", "household": {"household_id": hid, "fiscal_year": 2026, "members": ms},
                       "explain": True})
open(tmp + "/big.json", "w").write(envelope(5000, "H5000"))
open(tmp + "/hundred.json", "w").write(envelope(100, "H100"))
PY

"$shiki" serve --config "$tmp/serve.json" 2>"$tmp/log" &
pid=$!
for _ in $(seq 100); do grep -q "listening on" "$tmp/log" && break; sleep 0.1; done
port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$tmp/log")
[ -n "$port" ] || fail "server did not start: $(cat "$tmp/log")"
rss() { awk '/^VmRSS/ {print $2}' "/proc/$pid/status"; }

python3 - "$port" "$tmp" <<'PY' || fail "requests"
import http.client, json, sys, threading
port, tmp = int(sys.argv[1]), sys.argv[2]
def post(path):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("POST", "/v1/evaluate", open(path, "rb").read(),
              {"Authorization": "Bearer example-ledger-token-change-me", "Content-Type": "application/json"})
    r = c.getresponse()
    return r.status, r.read()
status, body = post(tmp + "/big.json")
assert status == 422 and json.loads(body)["error"]["field"] == "members", (status, body[:200])
status, body = post(tmp + "/hundred.json")
assert status == 200 and len(body) > 1_000_000, (status, len(body))
PY

burst() {
  python3 - "$port" "$tmp" <<'PY'
import http.client, sys, threading
port, tmp = int(sys.argv[1]), sys.argv[2]
body = open(tmp + "/hundred.json", "rb").read()
def one():
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    c.request("POST", "/v1/evaluate", body, {"Authorization": "Bearer example-ledger-token-change-me"})
    assert c.getresponse().read()
threads = [threading.Thread(target=one) for _ in range(12)]
[t.start() for t in threads]
[t.join() for t in threads]
PY
}
burst  # sizes the evaluators' state, which is kept for reuse
sleep 0.3
before=$(rss)
burst; burst; burst
sleep 0.3
after=$(rss)
peak=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")
echo "RSS ${before} kB after the first burst, ${after} kB after three more, peak ${peak} kB"
[ $((after - before)) -lt 32768 ] || fail "the server kept $((after - before)) kB after the bursts"
[ "$peak" -lt 1048576 ] || fail "peak ${peak} kB"
echo ok
