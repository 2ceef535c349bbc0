-- wrk script: POST /v1/reports from 100,000 distinct reporters over 10,000 subjects.
-- Each wrk thread walks its own slice of reporters, so every reporter files at most a few reports.
local token = os.getenv("VIGIL_BENCH_KEY")
local reporters = 100000
local offset = tonumber(os.getenv("VIGIL_BENCH_OFFSET") or "0")
local subjects = 10000
local counter = 0
thread_index = 0  -- global: setup() sets it per thread with thread:set
local threads = {}

function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

function init(args)
  counter = thread_index * 7919
end

request = function()
  counter = counter + 1
  local reporter = (counter * 31 + thread_index + offset) % reporters
  local subject = (counter * 17) % subjects
  local body = string.format('{"reporter_id":"bench-reporter-%d","subject_id":"bench-subject-%d","reason":"spam","note":"benchmark"}', reporter, subject)
  return wrk.format("POST", "/v1/reports", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }, body)
end

local statuses = {}
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  io.write(string.format("wrk: requests=%d errors(connect=%d read=%d write=%d timeout=%d status=%d)\n",
    summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout, summary.errors.status))
end
