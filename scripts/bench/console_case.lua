-- wrk script: GET /console/cases/{id} for case ids read from the file CONSOLE_CASES (one per line), at random.
local ids = {}
for line in io.lines(os.getenv("CONSOLE_CASES")) do ids[#ids + 1] = line end
local cookie = os.getenv("CONSOLE_COOKIE")
math.randomseed(os.time())

request = function()
  local id = ids[math.random(#ids)]
  return wrk.format("GET", "/console/cases/" .. id, { ["Cookie"] = "vigil_console=" .. cookie })
end
