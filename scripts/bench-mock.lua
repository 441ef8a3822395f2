-- wrk script for scripts/bench-mock. BENCH_MODE=token: POST /oauth/v2/token refresh
-- grants; BENCH_MODE=resource: GET /crm/v2/Leads with BENCH_ACCESS_TOKEN;
-- BENCH_MODE=ccflood: client_credentials grants whose scope repeats one item
-- BENCH_SCOPE_ITEMS times (stored de-duplicated, within the record cap).
-- Counts answers by class so the intended throttle answers (HTTP 400 "Access Denied")
-- are reported apart from real errors.
local mode = os.getenv("BENCH_MODE") or "token"
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  ok, denied, other = 0, 0, 0
  if mode == "token" then
    wrk.method = "POST"
    wrk.path = "/oauth/v2/token"
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
    wrk.body = "grant_type=refresh_token"
      .. "&client_id=" .. os.getenv("BENCH_CLIENT_ID")
      .. "&client_secret=" .. os.getenv("BENCH_CLIENT_SECRET")
      .. "&refresh_token=" .. os.getenv("BENCH_REFRESH_TOKEN")
  elseif mode == "ccflood" then
    local items = {}
    for i = 1, tonumber(os.getenv("BENCH_SCOPE_ITEMS") or "300") do
      items[i] = "ZohoCRM.modules.ALL"
    end
    wrk.method = "POST"
    wrk.path = "/oauth/v2/token"
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
    wrk.body = "grant_type=client_credentials"
      .. "&client_id=" .. os.getenv("BENCH_CLIENT_ID")
      .. "&client_secret=" .. os.getenv("BENCH_CLIENT_SECRET")
      .. "&scope=" .. table.concat(items, ",")
  else
    wrk.method = "GET"
    wrk.path = "/crm/v2/Leads"
    wrk.headers["Authorization"] = "Zoho-oauthtoken " .. os.getenv("BENCH_ACCESS_TOKEN")
  end
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    ok = ok + 1
  elseif status == 400 and body and body:find("Access Denied", 1, true) then
    denied = denied + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local o, d, x = 0, 0, 0
  for _, t in ipairs(threads) do
    o = o + t:get("ok")
    d = d + t:get("denied")
    x = x + t:get("other")
  end
  io.write(string.format("BENCH rps=%.0f p50_ms=%.3f p99_ms=%.3f ok=%d throttled=%d errors=%d socket_errors=%d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    o, d, x,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
