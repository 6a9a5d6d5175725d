-- wrk script: anonymous (or signed-in, with TOKEN) reports at points read from POINTS (a file of "lat lon" lines,
-- made by scripts/load-test.sh from the demo's own cases, so every point lies in a grid). HOT=1 sends them all to
-- the first point. Each request has its own Idempotency-Key.
local points, n = {}, 0
local hot = os.getenv("HOT") == "1"
local token = os.getenv("TOKEN")
local category = os.getenv("CATEGORY") or "0101"
for line in io.lines(os.getenv("POINTS")) do
  local lat, lon = line:match("([%d%.%-]+) ([%d%.%-]+)")
  if lat then n = n + 1; points[n] = { lat, lon } end
end
local counter = 0
local thread_id = 0
function setup(thread) thread_id = thread_id + 1; thread:set("tid", thread_id) end
-- Keys differ between threads and between runs against the same database (a reused key is a 409, by design).
local run = os.time()
function init(args) math.randomseed(run * 100 + (tid or 0)) end
function request()
  counter = counter + 1
  local p = hot and points[1] or points[math.random(n)]
  local body = string.format('{"category_code":"%s","description":"压测 %d","lat":%s,"lon":%s,"reporter":{"name":"测试","phone":"13800138000"}}',
    category, counter, p[1], p[2])
  local headers = { ["Content-Type"] = "application/json", ["Idempotency-Key"] = string.format("wrk-%d-%d-%d-%d", run, tid or 0, counter, math.random(1e9)) }
  if token then headers["Authorization"] = "Bearer " .. token end
  return wrk.format("POST", "/api/v1/cases", headers, body)
end
local codes = {}
function response(status) codes[status] = (codes[status] or 0) + 1 end
function done(summary, latency, requests)
  io.write(string.format("requests %d, errors %d, p50 %.1f ms, p99 %.1f ms\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
