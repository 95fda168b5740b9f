-- Counts the responses that carry "X-Cache: HIT", summed over wrk's threads and printed as "HITS <hits> <total>".
-- Used in the warm-up pass only: a response callback makes wrk parse every header, which would slow the client
-- during the measured rounds.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  hits = 0
  total = 0
end

function response(status, headers, body)
  total = total + 1
  if headers["X-Cache"] == "HIT" then
    hits = hits + 1
  end
end

function done(summary, latency, requests)
  local h, t = 0, 0
  for _, thread in ipairs(threads) do
    h = h + thread:get("hits")
    t = t + thread:get("total")
  end
  io.write(string.format("HITS %d %d\n", h, t))
end
