-- wrk prints p50/p90/p99 but not p95: report everything the bench needs as one JSON line, with the latency
-- distribution as quantiles so that several short runs can be pooled into one.
done = function(summary, latency, requests)
  local e = summary.errors
  local q = {}
  for p = 1, 99 do q[#q + 1] = latency:percentile(p) end
  for _, p in ipairs({99.5, 99.9, 100}) do q[#q + 1] = latency:percentile(p) end
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "status_errors": %d, "timeouts": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "quantiles_us": [%s]}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, table.concat(q, ",")))
end
