-- wrk script: POST /api/feedback with BATCH events per request (env, default 1), each a view by a
-- user of USERS_FILE on an item of ITEMS_FILE. Prints acknowledged events/s (2xx requests x BATCH).
local users, items = {}, {}
for line in io.lines(os.getenv("USERS_FILE")) do users[#users + 1] = line end
for line in io.lines(os.getenv("ITEMS_FILE")) do items[#items + 1] = line end
local batch = tonumber(os.getenv("BATCH") or "1")
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))

local function event()
  return string.format('{"user_id":"%s","item_id":"%s","event":"view"}', users[math.random(#users)],
    items[math.random(#items)])
end

request = function()
  local body
  if batch == 1 then
    body = event()
  else
    local parts = {}
    for i = 1, batch do parts[i] = event() end
    body = "[" .. table.concat(parts, ",") .. "]"
  end
  return wrk.format("POST", "/api/feedback", {["Content-Type"] = "application/json"}, body)
end

done = function(summary, latency, requests)
  local ok = summary.requests - summary.errors.status
  io.write(string.format("acknowledged events/s %.0f  (requests/s %.0f x %d)  p50 %.3f ms  p99 %.3f ms  non-2xx %d  errors %d\n",
    ok * batch / (summary.duration / 1e6), summary.requests / (summary.duration / 1e6), batch,
    latency:percentile(50) / 1e3, latency:percentile(99) / 1e3, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
