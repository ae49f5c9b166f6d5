-- wrk: POST the body file named by BENCH_BODY; stop after BENCH_MAX_REQUESTS answers.
local f = assert(io.open(os.getenv("BENCH_BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
local limit = tonumber(os.getenv("BENCH_MAX_REQUESTS") or "50000")
local answered = 0
function response(status, headers, body)
  answered = answered + 1
  if answered >= limit then wrk.thread:stop() end
end
