-- wrk script of bench/suite.sh: sends the requests listed in a file, one a line "METHOD<TAB>PATH<TAB>BODY" (BODY optional,
-- on one line: JSON when it starts with { or [, else a web form, urlencoded). Arguments (after --): FILE MODE, MODE "cycle" (reads: wrap around) or "walk" (writes: each line at most
-- once across all threads; when a thread runs out it stops, and done() prints "EXHAUSTED <thread>" so the run says so).
-- The bearer token or the web session's cookie comes from wrk's -H, merged into every request by wrk.format.
local threads = {}
local counter = 0

function setup(thread)
   thread:set("tid", counter)
   counter = counter + 1
   table.insert(threads, thread)
end

local requests = {}
local index = 0
local step = 1
local cycle = true
local fallback = nil

function init(args)
   local file = assert(io.open(args[1], "r"))
   cycle = args[2] == "cycle"
   step = tonumber(args[3])
   -- wrk.format replaces wrk.headers (the -H token) by the table it is given: merge them.
   local function headers(extra)
      local h = {}
      for k, v in pairs(wrk.headers) do h[k] = v end
      for k, v in pairs(extra) do h[k] = v end
      return h
   end
   for line in file:lines() do
      local method, path, body = line:match("^(%u+)\t([^\t]+)\t?(.*)$")
      if method then
         if body ~= nil and body ~= "" then
            local json = body:sub(1, 1) == "{" or body:sub(1, 1) == "["
            local type = json and "application/json" or "application/x-www-form-urlencoded"
            table.insert(requests, wrk.format(method, path, headers({ ["Content-Type"] = type }), body))
         else
            -- A POST without a body still says so (Content-Length: 0); a GET sends none.
            table.insert(requests, wrk.format(method, path, headers({}), method ~= "GET" and "" or nil))
         end
      end
   end
   file:close()
   -- Threads interleave: thread t sends lines t, t + step, t + 2 step, ...
   index = tid + 1
   fallback = wrk.format("GET", "/health/live")
   exhausted = 0
end

function request()
   local r = requests[index]
   if r == nil then
      if cycle then
         index = tid + 1
         r = requests[index]
      else
         exhausted = 1
         wrk.thread:stop()
         return fallback
      end
   end
   index = index + step
   return r
end

function done(summary, latency, requests)
   for _, thread in ipairs(threads) do
      if thread:get("exhausted") == 1 then
         io.write("EXHAUSTED " .. thread:get("tid") .. "\n")
      end
   end
end
