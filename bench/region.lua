-- wrk script for bench/region.sh: every request carries the Host of the
-- next municipality from the file named by BENCH_HOSTS (one host name a
-- line), so that the load spreads over all of them; each thread starts at a
-- different place in the list. The RESULT line comes from latency.lua.
dofile("bench/latency.lua")

local hosts = {}
for line in io.lines(os.getenv("BENCH_HOSTS")) do
  if line ~= "" then hosts[#hosts + 1] = line end
end
local i = 0

setup = function(thread)
  thread:set("offset", math.random(#hosts))
end

init = function()
  i = tonumber(offset) or 0
end

request = function()
  i = i % #hosts + 1
  return wrk.format("GET", wrk.path, { Host = hosts[i] })
end
