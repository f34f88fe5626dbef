-- wrk script: GET /api/connections?q=… with a search no earlier request made, so nothing
-- kept for a search (its total, its ids, its page) helps: every request counts the matches
-- and reads them through the index. "p 000nnn": one row of "Shop 000000"… at any size;
-- the threads take turns, so no two requests of a run search for the same text. The first
-- argument (after `--`) is where a run starts, so two rounds on one server start apart.
local STRIDE = 2 -- wrk -t2 (bench.mjs)
local counter = 0
local thread_id = 0
local threads = 0
local start = 0

function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

function init(args)
  thread_id = tid
  start = tonumber(args[1]) or 0
end

function request()
  local n = (start + counter * STRIDE + thread_id) % 1000
  counter = counter + 1
  local path = string.format("/api/connections?limit=25&q=p%%20000%03d", n)
  return wrk.format("GET", path, { ["Cache-Control"] = "no-cache" })
end
