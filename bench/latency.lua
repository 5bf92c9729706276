-- wrk reporter: one machine-readable line after the run, so that run.sh
-- needs no parsing of wrk's human output and gets p95 too (wrk --latency
-- prints only 50/75/90/99).
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %d %.3f %.3f %.3f %.3f %d %d\n",
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, errors))
end
