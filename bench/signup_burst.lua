-- wrk script: every request is a signup by a different volunteer (their own bearer token).
-- Each wrk thread takes its own slice of the token file and stops after its quota.
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
  jobs = {}
  for i = first, last do jobs[i] = lines[i] end
  responses = 0
  statuses = {}
end

function request()
  local line = jobs[nextline]
  if line == nil then line = jobs[last] end  -- past the quota: repeats are idempotent
  nextline = nextline + 1
  local token, shift = line:match("(%S+) (%S+)")
  return wrk.format("POST", "/api/v1/signups/shifts/" .. shift,
    { ["Authorization"] = "Bearer " .. token, ["Content-Length"] = "0" }, nil)
end

function response(status, headers, body)
  responses = responses + 1
  statuses[status] = (statuses[status] or 0) + 1
  if responses >= (last - first + 1) then wrk.thread:stop() end
end

function done(summary, latency, requests)
  io.write("percentiles_ms")
  for _, p in pairs({ 50, 99 }) do io.write(string.format(" p%d=%.3f", p, latency:percentile(p) / 1000)) end
  io.write("\n")
end
