-- wrk script for signed webhook ingest: sends each pre-signed event in EVENTS (lines
-- "<Stripe-Signature>\t<body>", from bench/peer/events.mjs) once. When it runs out it starts over
-- and counts the extra sends as "resent" (the file was too small for the rate: a resent event is a
-- duplicate, not a new one).
--   EVENTS=/tmp/events.txt wrk -t1 -c16 -d10s -s bench/ingest.lua http://127.0.0.1:18000/webhooks/stripe
-- One thread (-t1): wrk runs each thread's init() (here: loading the file) on its main thread and
-- starts that thread right after, but starts its clock only after the last init(), so with more
-- threads the first ones send for seconds before the clock runs and the rate is overstated. One wrk
-- thread sends well over 10,000 requests/s. (WRK_THREADS=N with -tN splits the file between them.)
-- The last line is "ingest: key=value …" for bench/run.sh: 2xx answers, their rate over wrk's own
-- duration (which starts after the file is loaded), the wall-clock time of the first request (the
-- load ends duration_s later), and latency percentiles of all answers.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("index", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local file = assert(io.open(os.getenv("EVENTS"), "r"), "EVENTS must name the generated file")
  requests, sent, ok, duplicates, other = {}, 0, 0, 0, 0
  local n, stride = 0, tonumber(os.getenv("WRK_THREADS") or "1")
  for line in file:lines() do
    if n % stride == index then
      local tab = line:find("\t", 1, true)
      requests[#requests + 1] = wrk.format("POST", nil,
        { ["Content-Type"] = "application/json", ["Stripe-Signature"] = line:sub(1, tab - 1) },
        line:sub(tab + 1))
    end
    n = n + 1
  end
  file:close()
  size = #requests
end

function request()
  if sent == 0 then
    -- the wall clock when the load really starts (once per thread): wrk's own clock is relative
    local date = io.popen("date +%s.%N")
    started = tonumber(date:read("*l"))
    date:close()
  end
  sent = sent + 1
  return requests[(sent - 1) % #requests + 1]
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    ok = ok + 1
    -- our service answers a redelivery 200 {"status":"duplicate"}
    if body:find("duplicate", 1, true) then
      duplicates = duplicates + 1
    end
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local s, o, d, x, resent, started = 0, 0, 0, 0, 0, nil
  for _, thread in ipairs(threads) do
    local thread_started = thread:get("started")
    if thread_started and (started == nil or thread_started < started) then
      started = thread_started
    end
    s, o, d, x = s + thread:get("sent"), o + thread:get("ok"), d + thread:get("duplicates"), x + thread:get("other")
    resent = resent + math.max(0, thread:get("sent") - thread:get("size"))
  end
  local e = summary.errors
  io.write(string.format(
    "ingest: sent=%d answered=%d ok=%d duplicate=%d non2xx=%d resent=%d socket_errors=%d timeouts=%d"
      .. " started_epoch=%.3f duration_s=%.3f ok_per_s=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f p999_ms=%.2f max_ms=%.2f\n",
    s, summary.requests, o, d, x, resent, e.connect + e.read + e.write, e.timeout, started or 0,
    summary.duration / 1e6, o / (summary.duration / 1e6),
    latency:percentile(50) / 1e3, latency:percentile(90) / 1e3, latency:percentile(99) / 1e3,
    latency:percentile(99.9) / 1e3, latency.max / 1e3))
end
