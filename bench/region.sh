#!/usr/bin/env bash
# Region load test: many municipalities on two glasnost nodes that share
# one PostgreSQL database and one files folder, behind nginx as a
# round-robin load balancer — one address, as a region would run the portal.
#
#   bench/region.sh --postgres URL                 # 94 municipalities, 10 s per page, 64 connections
#   bench/region.sh --postgres URL --municipalities 20 --duration 5s --connections 32
#   bench/region.sh --postgres URL --smoke         # 3 municipalities, 1 s, 4 connections
#
# URL must name an EMPTY PostgreSQL database (or a schema through
# search_path) that you can spare. The script migrates it, loads the demo
# and N extra municipalities (glasnost demo --municipalities N, hosts
# mNN.demo.local), starts two nodes and nginx, and measures with wrk the
# anonymous pages that every municipality has (home, /acts, /news), each
# request with the Host of the next of the N+1 municipalities in turn
# (bench/region.lua). The reference, measured in the same run through the
# same nginx: the same pages on ONE node for ONE municipality (the demo's
# host only), and the region's rotation over all hosts sent to node A
# alone. Both with the page cache and without (GLASNOST_PAGE_CACHE=off).
# It prints requests per second, p50/p99, the ratio region/reference, each
# node's peak resident memory and how many requests each node served (from
# its /metrics), and fails when a node served none or any request failed.
# The table goes to bench/out/region.md (BENCH_OUT overrides the folder).
set -euo pipefail
cd "$(dirname "$0")/.."

muns=94
duration=10s
conns=64
pg=""
settle_min=15
while [ $# -gt 0 ]; do
  case "$1" in
    --postgres) pg="$2"; shift 2 ;;
    --municipalities) muns="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --connections) conns="$2"; shift 2 ;;
    --smoke) muns=3; duration=1s; conns=4; settle_min=3; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$pg" ] || { echo "bench/region.sh needs --postgres URL (an empty database)" >&2; exit 2; }

. bench/lib.sh
begin_bench region.md

load0=$(uptime | sed 's/.*load average: /load average /')
echo "building glasnost" >&2
go build -o "$work/glasnost" ./cmd/glasnost

data="$work/data"
mkdir -p "$data"
portA=$(free_port)
portB=$(free_port)
export GLASNOST_DATA_DIR="$data" GLASNOST_DATABASE_URL="$pg"
GLASNOST_BASE_URL="http://127.0.0.1:$portA" "$work/glasnost" migrate >/dev/null
t0=$(date +%s.%N)
GLASNOST_BASE_URL="http://127.0.0.1:$portA" "$work/glasnost" demo --municipalities "$muns" >/dev/null
gen=$(python3 -c "print(f'{$(date +%s.%N) - $t0:.0f}')")

# The host names: the demo's, then m01…mNN.
printf 'localhost\n' >"$work/hosts-one"
{
  echo localhost
  for i in $(seq 1 "$muns"); do printf 'm%02d.demo.local\n' "$i"; done
} >"$work/hosts-region"
pages="home /
acts /acts
news /news"

# nginx: the region's address balances over both nodes; the reference's
# address sends everything to node A.
lport=$(free_port)
rport=$(free_port)
cat >"$work/nginx.conf" <<NGINX
worker_processes auto;
daemon off;
master_process on;
pid $work/nginx.pid;
error_log $work/nginx.err;
events { worker_connections 4096; }
http {
  access_log off;
  log_format hosts \$http_host;
  upstream region { server 127.0.0.1:$portA; server 127.0.0.1:$portB; keepalive 64; }
  upstream single { server 127.0.0.1:$portA; keepalive 64; }
  proxy_http_version 1.1;
  proxy_set_header Connection "";
  proxy_set_header Host \$http_host;
  proxy_buffering on;
  server { listen 127.0.0.1:$lport; access_log $work/hosts.log hosts buffer=256k flush=1s; location / { proxy_pass http://region; } }
  server { listen 127.0.0.1:$rport; location / { proxy_pass http://single; } }
}
NGINX
"$NGINX" -c "$work/nginx.conf" &
pids+=("$!")

# requests port: the HTTP requests a node has counted so far.
requests() {
  curl -fs "http://127.0.0.1:$1/metrics" | awk '/^glasnost_http_requests_total/ {s += $NF} END {printf "%d", s}'
}

failed=0
declare -A R S O RSS SERVED SIZE
# phase label [env…]: start both nodes, measure the region and the reference.
phase() {
  local label="$1"
  shift
  start_glasnost "$portA" "$data/a-$label.log" GLASNOST_BASE_URL="http://127.0.0.1:$portA" "$@"
  local a=$gpid
  start_glasnost "$portB" "$data/b-$label.log" GLASNOST_BASE_URL="http://127.0.0.1:$portB" "$@"
  local b=$gpid
  for _ in $(seq 1 50); do curl -fs -o /dev/null "http://127.0.0.1:$lport/healthz" && break; sleep 0.1; done
  local settledA settledB
  if [ "$label" = cached ]; then
    settledA=$(settle "http://127.0.0.1:$portA/" "$settle_min" 300)
    settledB=$(settle "http://127.0.0.1:$portB/" 0 300)
    echo "cached: start-up jobs settled after $((settledA + settledB)) s" >&2
  else
    sleep "$settle_min"
  fi
  # Every page must answer 200 for every municipality before the load (asked
  # of node A directly, so that the hosts nginx logs are the load's only).
  while read -r name path; do
    while read -r host; do
      SIZE[$name-$host]=$(curl -fs -o /dev/null -w '%{size_download}' -H "Host: $host" "http://127.0.0.1:$portA$path") || { echo "$path on $host does not answer 200" >&2; exit 1; }
    done <"$work/hosts-region"
  done <<<"$pages"
  local a0 b0
  a0=$(requests "$portA")
  b0=$(requests "$portB")
  while read -r name path; do
    R[$label-$name]=$(BENCH_HOSTS="$work/hosts-region" WRK_SCRIPT=bench/region.lua measure "http://127.0.0.1:$lport$path")
  done <<<"$pages"
  SERVED[$label-a]=$(($(requests "$portA") - a0))
  SERVED[$label-b]=$(($(requests "$portB") - b0))
  while read -r name path; do
    S[$label-$name]=$(BENCH_HOSTS="$work/hosts-one" WRK_SCRIPT=bench/region.lua measure "http://127.0.0.1:$rport$path")
    O[$label-$name]=$(BENCH_HOSTS="$work/hosts-region" WRK_SCRIPT=bench/region.lua measure "http://127.0.0.1:$rport$path")
  done <<<"$pages"
  RSS[$label-a]=$(peak_mb "$a")
  RSS[$label-b]=$(peak_mb "$b")
  stop "$a"
  stop "$b"
}

phase cached
phase uncached GLASNOST_PAGE_CACHE=off

echo "# glasnost region load test"
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(go version | cut -d' ' -f3), $(psql "$pg" -XAtc 'SHOW server_version' 2>/dev/null | sed 's/^/PostgreSQL /;s/ (.*//' || echo PostgreSQL); load before: $load0"
echo
echo "$((muns + 1)) municipalities (the demo and $muns generated, loaded in ${gen} s), two nodes behind nginx (round robin); reference: one node, the demo's host only, through the same nginx. wrk -t2 -c$conns -d$duration per page."
echo
echo "| page | cache | region req/s | region p50 / p99 ms | reference req/s | reference p50 / p99 ms | ratio region / reference | one node, all hosts req/s | its p50 / p99 ms | ratio region / one node |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for label in cached uncached; do
  while read -r name path; do
    read -r rrps rp50 _ rp99 rbad rerr <<<"${R[$label-$name]}"
    read -r srps sp50 _ sp99 sbad serr <<<"${S[$label-$name]}"
    read -r orps op50 _ op99 obad oerr <<<"${O[$label-$name]}"
    bad=$((rbad + rerr + sbad + serr + obad + oerr))
    [ "$bad" = 0 ] || failed=1
    python3 - "$name" "$label" "$rrps" "$rp50" "$rp99" "$srps" "$sp50" "$sp99" "$orps" "$op50" "$op99" "$bad" <<'PY'
import sys
name, label, rrps, rp50, rp99, srps, sp50, sp99, orps, op50, op99, bad = sys.argv[1:]
f = float
note = f" ({bad} failed!)" if bad != "0" else ""
print(f"| {name}{note} | {label} | {f(rrps):.0f} | {f(rp50):.2f} / {f(rp99):.2f} | {f(srps):.0f} | {f(sp50):.2f} / {f(sp99):.2f} | {f(rrps) / max(f(srps), 1):.2f}"
      f" | {f(orps):.0f} | {f(op50):.2f} / {f(op99):.2f} | {f(rrps) / max(f(orps), 1):.2f} |")
PY
  done <<<"$pages"
done
echo
echo "One node, all hosts: the region's rotation over every municipality sent to node A alone, which tells the second node's share from that of the lighter pages of the generated municipalities (they have no acts or news)."
echo
echo "Page sizes, demo / m01 (bytes): $(while read -r name _; do printf '%s %s / %s; ' "$name" "${SIZE[$name-localhost]}" "${SIZE[$name-m01.demo.local]}"; done <<<"$pages")"
echo
sleep 1.5 # nginx flushes its log every second
seen=$(sort -u "$work/hosts.log" | grep -cFxf "$work/hosts-region" || true)
echo "The region's requests carried $seen of the $((muns + 1)) municipalities' host names."
echo
[ "$seen" = $((muns + 1)) ] || { echo "error: not every municipality was asked" >&2; failed=1; }
for label in cached uncached; do
  a=${SERVED[$label-a]} b=${SERVED[$label-b]}
  echo "$label: node A served $a requests of the region's load, node B $b; peak resident memory A ${RSS[$label-a]} MB, B ${RSS[$label-b]} MB."
  echo
  if [ "$a" -le 0 ] || [ "$b" -le 0 ]; then echo "error: a node served no requests ($label)" >&2; failed=1; fi
done
if [ "$failed" != 0 ]; then
  echo "FAILED: some requests failed or a node served none" 
  exit 1
fi
echo "All requests answered 2xx; both nodes served."
