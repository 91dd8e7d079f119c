-- wrk script for bench/pages.py: every request submits a different open quiz attempt.
-- BENCH_SUBMISSIONS names a file with one line per attempt: path <TAB> cookie <TAB> form body.
-- wrk's threads each take every THREADS-th line (set in setup); a thread that runs out of attempts says so in
-- done(), and the run is then reported as invalid instead of counting repeated submissions.

local threads = {}

function setup(thread)
  thread:set("first", #threads)
  table.insert(threads, thread)
end

function init(args)
  step = tonumber(os.getenv("BENCH_THREADS"))  -- this thread's Lua state has no list of the threads
  attempts = {}
  for line in io.lines(os.getenv("BENCH_SUBMISSIONS")) do
    local path, cookie, body = line:match("^([^\t]+)\t([^\t]+)\t(.*)$")
    table.insert(attempts, {path = path, cookie = cookie, body = body})
  end
  index = first + 1
  exhausted = 0
end

function request()
  local attempt = attempts[index]
  if attempt == nil then
    exhausted = exhausted + 1
    index = first + 1
    attempt = attempts[index]
  end
  index = index + step
  return wrk.format("POST", attempt.path, {
    ["Cookie"] = attempt.cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, attempt.body)
end

function done(summary, latency, requests)
  local wrapped = 0
  for _, thread in ipairs(threads) do
    wrapped = wrapped + (thread:get("exhausted") or 0)
  end
  io.write(string.format("EXHAUSTED %d\n", wrapped))
end
