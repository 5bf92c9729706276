#!/usr/bin/env bash
# Load test: glasnost against nginx serving the same pages as static files.
#
#   bench/run.sh                      # scale 1 on SQLite, 10 s per page, 64 connections
#   bench/run.sh --scale 100          # about 10,000 acts, 100,000 comments, 1,000,000 appeals
#   bench/run.sh --postgres URL       # PostgreSQL too (an EMPTY database you can spare)
#   bench/run.sh --smoke              # a tiny run that only proves the script works
#   bench/run.sh --duration 30s --connections 128
#   bench/run.sh --writes 10          # also each page again under 10 appeal registrations/s
#
# It installs nginx and wrk from Debian's packages when they are missing,
# starts and stops everything itself, and prints per page requests per
# second and p50/p99 latency for both servers, the ratio glasnost/nginx,
# the same page with glasnost's page cache switched off
# (GLASNOST_PAGE_CACHE=off: every request rendered), and glasnost's peak
# resident memory. Results go to bench/out/results.md, and the uncached
# figures per engine and scale to bench/out/<engine>-<scale>.tsv, so that a
# run at --scale 100 is compared with the last run at --scale 1. With
# --writes N, every page is measured a second time on the same cached
# server while bench/writes.py registers N appeals a second through the API
# (writes the pages do not show), and the ratio to the write-free figure is
# printed (the page cache's target is ≥ 0.8, issue 12).
set -euo pipefail
cd "$(dirname "$0")/.."

scale=1
duration=10s
conns=64
pg=""
writes=0
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --connections) conns="$2"; shift 2 ;;
    --postgres) pg="$2"; shift 2 ;;
    --writes) writes="$2"; shift 2 ;;
    --smoke) scale=1; duration=1s; conns=4; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

. bench/lib.sh
begin_bench results.md

echo "building glasnost" >&2
go build -o "$work/glasnost" ./cmd/glasnost

run_engine() { # engine database-url
  local engine="$1" dburl="$2"
  local data="$work/$engine" port base
  mkdir -p "$data"
  port=$(free_port)
  base="http://127.0.0.1:$port"
  export GLASNOST_DATA_DIR="$data" GLASNOST_DATABASE_URL="$dburl" GLASNOST_BASE_URL="$base"
  if [ "$engine" = postgres ]; then "$work/glasnost" migrate >/dev/null; fi
  local t0 gen
  t0=$(date +%s.%N)
  "$work/glasnost" demo --scale "$scale" >/dev/null
  gen=$(python3 -c "print(f'{$(date +%s.%N) - $t0:.0f}')")

  start_glasnost "$port" "$data/serve.log"
  local cached_pid=$gpid

  # The pages under test, found through the portal so that the script follows the data.
  local pages
  pages=$(python3 bench/pages.py "$base")

  # nginx serves the very same bytes as static files.
  local root="$work/$engine-static" nport npid
  mkdir -p "$root"
  nport=$(free_port)
  while read -r name path; do
    curl -fs "$base$path" -o "$root/$name.html"
  done <<<"$pages"
  cat >"$work/nginx-$engine.conf" <<NGINX
worker_processes auto;
daemon off;
master_process on;
pid $work/nginx-$engine.pid;
error_log $work/nginx-$engine.err;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  default_type text/html;
  server { listen 127.0.0.1:$nport; root $root; location / { try_files \$uri.html =404; } }
}
NGINX
  "$NGINX" -c "$work/nginx-$engine.conf" &
  npid=$!
  pids+=("$npid")
  for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$nport/home" >/dev/null && break; sleep 0.1; done
  curl -fs "http://127.0.0.1:$nport/home" >/dev/null || { echo "nginx did not start:" >&2; cat "$work/nginx-$engine.err" >&2; exit 1; }

  declare -A G N U
  # Steady state: the periodic jobs run once at start, and at a large scale
  # the generated appeals owe tens of thousands of deadline reminders,
  # recorded in batches, each a write that empties the page cache. The queue starts its periodic jobs
  # only after electing a leader, some seconds after start; so wait at
  # least 15 s, then until the home page has stayed cached for 5 s, as it
  # does between jobs in production.
  settled=$(settle "$base/" 15 900)
  drained=$(queue_idle "$dburl" 0 1800)
  while read -r name path; do
    curl -fs "$base$path" >/dev/null
    G[$name]=$(measure "$base$path")
    N[$name]=$(measure "http://127.0.0.1:$nport/$name")
  done <<<"$pages"
  declare -A W
  local wdone=""
  if [ "$writes" != 0 ]; then
    local token wpid
    token=$("$work/glasnost" token create --email operator@vpyshma.demo --name bench --days 1)
    python3 bench/writes.py "$base" "$token" "$writes" "$work/writes-$engine" &
    wpid=$!
    pids+=("$wpid")
    sleep 1
    while read -r name path; do
      W[$name]=$(measure "$base$path")
    done <<<"$pages"
    kill -TERM "$wpid" 2>/dev/null || true
    wait "$wpid" 2>/dev/null || true
    wdone=$(cat "$work/writes-$engine" 2>/dev/null || echo "0 0 1")
  fi
  local cached_mb
  cached_mb=$(peak_mb "$cached_pid")
  stop "$cached_pid"
  stop "$npid"

  # The same pages rendered at every request. Anonymous searches are
  # limited to 30 per 2 s per address (a search costs more than a page),
  # so the uncached search is measured as a signed-in resident, whom the
  # limit does not apply to.
  start_glasnost "$port" "$data/serve-nocache.log" GLASNOST_PAGE_CACHE=off
  local fresh_pid=$gpid session fresh_settled
  fresh_settled=$(queue_idle "$dburl" 15 900)
  curl -fs -o /dev/null -c "$work/cookies" --data-urlencode "email=resident@vpyshma.demo" --data-urlencode "password=demo-glasnost-2026" "$base/login"
  session=$(awk '$6 == "glasnost_session" {print $7}' "$work/cookies")
  [ -n "$session" ] || { echo "could not sign in as the demo resident" >&2; exit 1; }
  while read -r name path; do
    curl -fs "$base$path" >/dev/null # warm the database's page cache
    if [ "$name" = search ]; then
      U[$name]=$(measure "$base$path" -H "Cookie: glasnost_session=$session")
    else
      U[$name]=$(measure "$base$path")
    fi
  done <<<"$pages"
  local fresh_mb
  fresh_mb=$(peak_mb "$fresh_pid")
  stop "$fresh_pid"

  echo "### $engine, scale $scale"
  echo
  echo "| page | glasnost req/s | nginx req/s | ratio | glasnost p50 / p99 ms | nginx p50 / p99 ms | p99 ratio | uncached req/s | uncached p50 / p95 / p99 ms |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  local tsv="$out/$engine-$scale.tsv"
  : >"$tsv"
  while read -r name path; do
    read -r grps gp50 _ gp99 gbad _ <<<"${G[$name]}"
    read -r nrps np50 _ np99 _ _ <<<"${N[$name]}"
    read -r urps up50 up95 up99 ubad _ <<<"${U[$name]}"
    printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$urps" "$up50" "$up95" "$up99" >>"$tsv"
    python3 - "$name" "$grps" "$gp50" "$gp99" "$nrps" "$np50" "$np99" "$urps" "$up50" "$up95" "$up99" "$gbad" "$ubad" <<'PY'
import sys
name, grps, gp50, gp99, nrps, np50, np99, urps, up50, up95, up99, gbad, ubad = sys.argv[1:]
f = lambda s: float(s)
ratio = f(grps) / max(f(nrps), 1)
p99r = f(gp99) / max(f(np99), 0.001)
note = " (non-2xx!)" if gbad != "0" or ubad != "0" else ""
print(f"| {name}{note} | {f(grps):.0f} | {f(nrps):.0f} | {ratio:.2f} | {f(gp50):.2f} / {f(gp99):.2f} | {f(np50):.2f} / {f(np99):.2f} | {p99r:.1f} | {f(urps):.0f} | {f(up50):.2f} / {f(up95):.2f} / {f(up99):.2f} |")
PY
  done <<<"$pages"
  echo
  echo "Uncached: GLASNOST_PAGE_CACHE=off, every request rendered; the search as a signed-in resident (anonymous searches are rate-limited)."
  echo
  if [ -n "$wdone" ]; then
    read -r wok wbad wsecs <<<"$wdone"
    echo "| page | req/s without writes | req/s with $writes writes/s | ratio |"
    echo "|---|---:|---:|---:|"
    while read -r name path; do
      read -r grps _ <<<"${G[$name]}"
      read -r wrps _ _ _ wbad2 _ <<<"${W[$name]}"
      python3 -c "import sys; g, w = float(sys.argv[2]), float(sys.argv[3]); print(f'| {sys.argv[1]} | {g:.0f} | {w:.0f} | {w / max(g, 1):.2f} |')" "$name" "$grps" "$wrps"
    done <<<"$pages"
    echo
    python3 -c "import sys; ok, bad, s = map(float, sys.argv[1:4]); print(f'Background writes: {ok:.0f} appeals registered in {s:.0f} s ({ok / max(s, 1):.1f}/s), {bad:.0f} failed.')" "$wok" "$wbad" "$wsecs"
    echo
  fi
  echo "$engine: start-up jobs settled after ${settled} s (the page cache stays warm), the job queue idle ${drained} s later; the uncached server's start-up jobs done after ${fresh_settled} s."
  echo
  echo "$engine: data generated in ${gen} s at scale $scale; glasnost peak resident memory ${cached_mb} MB with the page cache, ${fresh_mb} MB without"
  echo
  # At a larger scale, each page's uncached time against the last run at scale 1.
  if [ "$scale" != 1 ] && [ -s "$out/$engine-1.tsv" ]; then
    echo "| page ($engine) | uncached p50 ms, scale 1 | scale $scale | ratio | uncached req/s, scale 1 | scale $scale | ratio |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    python3 - "$out/$engine-1.tsv" "$tsv" <<'PY'
import sys
def load(p):
    return {l.split("\t")[0]: [float(x) for x in l.split("\t")[1:]] for l in open(p) if l.strip()}
one, big = load(sys.argv[1]), load(sys.argv[2])
for name, (rps, p50, p95, p99) in big.items():
    if name in one:
        r1, q1 = one[name][0], one[name][1]
        print(f"| {name} | {q1:.2f} | {p50:.2f} | {p50 / max(q1, 0.001):.2f} | {r1:.0f} | {rps:.0f} | {r1 / max(rps, 1):.2f} |")
PY
    echo
  fi
}

echo "# glasnost load test"
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(go version | cut -d' ' -f3); scale $scale; wrk -t2 -c$conns -d$duration per page and server"
echo
run_engine sqlite "$work/sqlite/glasnost.db"
if [ -n "$pg" ]; then run_engine postgres "$pg"; fi
