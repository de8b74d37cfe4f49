-- wrk script of the benchmarks' external check: blocking invokes (POST, JSON body) with HTTP Basic auth.
-- The Authorization header's value comes from the environment: WISP_AUTHORIZATION="Basic ...".
wrk.method = "POST"
wrk.body = "{}"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = os.getenv("WISP_AUTHORIZATION")
