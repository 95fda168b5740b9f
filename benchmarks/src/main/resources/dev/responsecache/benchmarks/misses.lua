-- Gives every request a query never sent before ("?n=<run>-<thread>-<count>", <run> the first script argument), so
-- that against a cached method every request is a miss. The uncached reference row uses it too: both pay the same
-- client-side cost of building the request.
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function init(args)
  run = args[1] or tostring(os.time())
  count = 0
  prefix = wrk.path .. "?n=" .. run .. "-" .. id .. "-"
end

function request()
  count = count + 1
  return wrk.format(nil, prefix .. count)
end
