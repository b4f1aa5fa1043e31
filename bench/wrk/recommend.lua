-- wrk script: GET /api/recommendations for users drawn at random from USERS_FILE (one id per line),
-- k = 10; prints p50/p90/p99/p99.9 latency and non-2xx counts at the end.
local users = {}
local path = os.getenv("USERS_FILE")
for line in io.lines(path) do users[#users + 1] = line end
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))

request = function()
  local u = users[math.random(#users)]
  return wrk.format("GET", "/api/recommendations?user_id=" .. u .. "&k=10")
end

done = function(summary, latency, requests)
  io.write(string.format("requests/s %.0f  p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  p99.9 %.3f ms  non-2xx %d  errors %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1e3, latency:percentile(90) / 1e3,
    latency:percentile(99) / 1e3, latency:percentile(99.9) / 1e3, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
