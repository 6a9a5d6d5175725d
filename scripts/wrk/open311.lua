-- wrk script: Open311 traffic with an API key (KEY). MODE=post (default): form-encoded reports at points read from
-- POINTS (a file of "lat lon" lines inside the county), HOT=1 all at the first point, each with its own words (so
-- none is a retry); MODE=list: reads of the key's requests, HOT=1 the same page, else a random page, status and
-- service code from SERVICES (comma-separated); MODE=services: the anonymous services list.
local mode = os.getenv("MODE") or "post"
local key = os.getenv("KEY")
local hot = os.getenv("HOT") == "1"
local category = os.getenv("CATEGORY") or "0103"
local services = {}
for s in (os.getenv("SERVICES") or category):gmatch("[^,]+") do services[#services + 1] = s end
local points, n = {}, 0
if mode == "post" then
  for line in io.lines(os.getenv("POINTS")) do
    local lat, lon = line:match("([%d%.%-]+) ([%d%.%-]+)")
    if lat then n = n + 1; points[n] = { lat, lon } end
  end
end
local counter, thread_id = 0, 0
function setup(thread) thread_id = thread_id + 1; thread:set("tid", thread_id) end
local run = os.time()
function init(args) math.randomseed(run * 100 + (tid or 0)) end
function request()
  counter = counter + 1
  if mode == "services" then return wrk.format("GET", "/open311/v2/services.json") end
  if mode == "list" then
    if hot then return wrk.format("GET", "/open311/v2/requests.json?api_key=" .. key) end
    local status = ({ "open", "closed", "open,closed" })[math.random(3)]
    return wrk.format("GET", string.format("/open311/v2/requests.json?api_key=%s&status=%s&service_code=%s&page=%d&page_size=50",
      key, status, services[math.random(#services)], math.random(3)))
  end
  local p = hot and points[1] or points[math.random(n)]
  local body = string.format("api_key=%s&service_code=%s&lat=%s&long=%s&description=wrk+%d-%d-%d-%d&first_name=%%E8%%AF%%95&phone=13800138000",
    key, category, p[1], p[2], run, tid or 0, counter, math.random(1e9))
  return wrk.format("POST", "/open311/v2/requests.json", { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end
local codes = {}
function response(status) codes[status] = (codes[status] or 0) + 1 end
function done(summary, latency, requests)
  io.write(string.format("requests %d, errors %d, p50 %.1f ms, p99 %.1f ms\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
