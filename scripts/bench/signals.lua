-- wrk script: POST /v1/subjects/{id}/signals, one classifier signal per request, each to a subject
-- no signal reached before (a rule acts on a subject once). Each wrk thread walks its own subjects
-- from VIGIL_BENCH_FIRST on; VIGIL_BENCH_SCORE is the score sent (0.95 takes down, 0.1 matches nothing).
local token = os.getenv("VIGIL_BENCH_KEY")
local first = tonumber(os.getenv("VIGIL_BENCH_FIRST") or "0")
local score = os.getenv("VIGIL_BENCH_SCORE") or "0.95"
local counter = 0
thread_index = 0
local threads = {}

function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

request = function()
  local subject = first + thread_index + counter * 2
  counter = counter + 1
  local body = string.format('{"signals":[{"id":"bench-%d","source":"platform-nsfw","type":"classifier","label":"nudity","score":%s,"model":"nsfw","model_version":"3"}]}', subject, score)
  return wrk.format("POST", string.format("/v1/subjects/bench-subject-%d/signals", subject), {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }, body)
end
