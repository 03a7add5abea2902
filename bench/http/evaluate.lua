-- wrk script: POST /v1/evaluate with one household.md household.
-- SHIKI_BENCH_BODY   file with the request body (household.json here)
-- SHIKI_BENCH_TOKEN  bearer token
-- SHIKI_BENCH_DELAY_MS  pause of each connection between its requests; wrk
--   has no fixed-rate mode, so connections x (1000 / delay) sets the offered
--   load (about 2,000 req/s = 20 connections at 9 ms plus the latency). wrk starts the latency
--   clock when the request is written, after the pause.
local f = assert(io.open(os.getenv("SHIKI_BENCH_BODY"), "r"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("SHIKI_BENCH_TOKEN")

local pause = tonumber(os.getenv("SHIKI_BENCH_DELAY_MS") or "0")
if pause > 0 then
  function delay() return pause end
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local s = summary.errors
  io.write(string.format(
    "RESULT requests=%d rps=%.0f p50_us=%d p90_us=%d p99_us=%d max_us=%d non2xx=%d socket_errors=%d\n",
    summary.requests, summary.requests / seconds, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, s.status, s.connect + s.read + s.write + s.timeout))
end
