-- wrk script for signed webhook ingest: each connection's thread sends its own share of the
-- pre-signed events in EVENTS (lines "<Stripe-Signature>\t<body>" from WebhookIngest --generate),
-- so no event is sent twice unless the file runs out (then "duplicate" answers say so).
--   EVENTS=/tmp/events.txt WRK_THREADS=2 wrk -t2 -c16 -d15s -s bench/ingest.lua http://127.0.0.1:18000/webhooks/stripe
local threads = {}
local counter = 0

function setup(thread)
  thread:set("index", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local file = assert(io.open(os.getenv("EVENTS"), "r"), "EVENTS must name the generated file")
  requests, received, duplicates, other = {}, 0, 0, 0
  local n, stride = 0, tonumber(os.getenv("WRK_THREADS") or "2")
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
  next_request = 0
end

function request()
  next_request = next_request % #requests + 1
  return requests[next_request]
end

function response(status, headers, body)
  if status == 200 and body:find("received", 1, true) then
    received = received + 1
  elseif status == 200 and body:find("duplicate", 1, true) then
    duplicates = duplicates + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local r, d, o = 0, 0, 0
  for _, thread in ipairs(threads) do
    r, d, o = r + thread:get("received"), d + thread:get("duplicates"), o + thread:get("other")
  end
  io.write(string.format("received=%d duplicate=%d other=%d throughput=%.0f/s\n", r, d, o,
    summary.requests / (summary.duration / 1e6)))
  io.write(string.format("latency ms: p50=%.2f p90=%.2f p99=%.2f p99.9=%.2f max=%.2f\n",
    latency:percentile(50) / 1e3, latency:percentile(90) / 1e3, latency:percentile(99) / 1e3,
    latency:percentile(99.9) / 1e3, latency.max / 1e3))
end
