-- wrk script: every request is a signup by a different volunteer (their own bearer token).
-- Each wrk thread takes its own slice of the token file; once it has sent its quota it
-- waits (delay) until the benchmark stops wrk, which it does when every attempt is answered.
-- A connection's turn is booked in delay(), which wrk calls before each request(): between
-- one connection's delay() and its request() another connection of the thread may ask, so
-- a quota checked in request() alone let the last volunteer go out twice.
-- Environment: BENCH_TOKENS (file, one "token shift_id" per line), BENCH_THREADS.

local threads = {}
local counter = 1

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

function init(args)
  local lines = {}
  for line in io.lines(os.getenv("BENCH_TOKENS")) do table.insert(lines, line) end
  local nthreads = tonumber(os.getenv("BENCH_THREADS"))
  local per = math.floor(#lines / nthreads)
  first = (id - 1) * per + 1
  last = first + per - 1
  nextline = first
  -- wrk calls request() once on the first thread's state only to check the script
  -- (script_verify_request); that call must not use up a volunteer, or one is never sent.
  if id == 1 then nextline = first - 1 end
  booked = first - 1
  jobs = {}
  for i = first, last do jobs[i] = lines[i] end
  statuses = {}
end

function delay()
  if booked >= last then return 600000 end  -- quota booked: nothing more from this thread
  booked = booked + 1
  return 0
end

function request()
  local line = jobs[math.max(nextline, first)] or jobs[last]
  nextline = nextline + 1
  local token, shift = line:match("(%S+) (%S+)")
  return wrk.format("POST", "/api/v1/signups/shifts/" .. shift,
    { ["Authorization"] = "Bearer " .. token, ["Content-Length"] = "0" }, nil)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local seen = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do seen[status] = (seen[status] or 0) + count end
  end
  io.write("statuses")
  for status, count in pairs(seen) do io.write(string.format(" %d=%d", status, count)) end
  io.write("\n")
end
