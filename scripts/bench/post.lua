-- wrk: POST with an empty body (queue/next).
wrk.method = "POST"
