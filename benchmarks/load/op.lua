-- One operation of the load test (run_load.py starts one wrk per operation, all at once).
--   wrk -s op.lua URL -- METHOD PATH TOKENS_FILE [BODIES_FILE]
-- Each request goes out as the next account in TOKENS_FILE (one bearer token a line), so
-- the requests rotate over every simulated person (TOKENS_FILE "": no token, as for the
-- ping, which must not touch the database); with BODIES_FILE (one JSON body a line)
-- request k sends line k of it, so a POST belongs to the account that sends it.

local method, path
local tokens, bodies = {}, {}
local i = 0

local function read_lines(name)
  local out = {}
  for line in io.lines(name) do
    if line ~= "" then
      out[#out + 1] = line
    end
  end
  return out
end

function init(args)
  method, path = args[1], args[2]
  if args[3] ~= "" then
    tokens = read_lines(args[3])
  end
  if args[4] ~= nil and args[4] ~= "" then
    bodies = read_lines(args[4])
  end
  -- Each operation starts at a different account, so they do not march in step.
  math.randomseed(os.time() + #path + #method)
  i = math.random(math.max(#tokens, 1)) - 1
end

function request()
  local headers = {}
  if #tokens > 0 then
    i = i % #tokens + 1
    headers["Authorization"] = "Bearer " .. tokens[i]
  end
  local body = nil
  if #bodies > 0 then
    headers["Content-Type"] = "application/json"
    body = bodies[(i - 1) % #bodies + 1]
  end
  return wrk.format(method, path, headers, body)
end
