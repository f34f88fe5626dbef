-- wrk script: POST /api/connections with a unique name per request.
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  thread_id = tid
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"name":"bench %d-%d","driver":"cloudinary-default","fields":{"cloud_name":"bench%d","api_key":"1234567890","api_secret":"benchSecret_%d"}}',
    thread_id, counter, counter, counter)
  return wrk.format("POST", "/api/connections", { ["Content-Type"] = "application/json" }, body)
end
