#!/usr/bin/env bash
# Load test: glasnost against nginx serving the same pages as static files.
#
#   bench/run.sh                      # scale 1 on SQLite, 10 s per page, 64 connections
#   bench/run.sh --scale 100          # about 10,000 acts, 100,000 comments, 1,000,000 appeals
#   bench/run.sh --postgres URL       # PostgreSQL too (an empty database you can spare)
#   bench/run.sh --smoke              # a tiny run that only proves the script works
#
# It installs nginx and wrk from Debian's packages when they are missing,
# starts and stops everything itself, and prints per page requests per
# second and p50/p99 latency for both servers, the ratio glasnost/nginx, and
# glasnost's peak resident memory. Results go to bench/out/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."

scale=1
duration=10s
conns=64
pg=""
smoke=0
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --connections) conns="$2"; shift 2 ;;
    --postgres) pg="$2"; shift 2 ;;
    --smoke) smoke=1; scale=0; duration=1s; conns=4; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

need=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v wrk >/dev/null || need+=(wrk)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

out="bench/out"
work=$(mktemp -d)
mkdir -p "$out"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "building glasnost" >&2
go build -o "$work/glasnost" ./cmd/glasnost

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# wrk prints "Requests/sec: N" and, with --latency, "50% X" and "99% Y".
measure() { # url -> "rps p50_ms p99_ms"
  wrk -t2 -c"$conns" -d"$duration" --latency "$1" 2>/dev/null | python3 -c '
import re, sys
t = sys.stdin.read()
def ms(v):
    m = re.match(r"([\d.]+)(us|ms|s)", v)
    n, u = float(m.group(1)), m.group(2)
    return n / 1000 if u == "us" else n * 1000 if u == "s" else n
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
p50 = ms(re.search(r"\s50%\s+(\S+)", t).group(1))
p99 = ms(re.search(r"\s99%\s+(\S+)", t).group(1))
non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", t)
if non2xx: print("non-2xx responses: " + non2xx.group(1), file=sys.stderr)
print(f"{rps:.0f} {p50:.2f} {p99:.2f}")'
}

run_engine() { # engine database-url
  local engine="$1" dburl="$2"
  local data="$work/$engine" port
  mkdir -p "$data"
  port=$(free_port)
  export GLASNOST_DATA_DIR="$data" GLASNOST_DATABASE_URL="$dburl" GLASNOST_BASE_URL="http://127.0.0.1:$port"
  [ "$engine" = postgres ] && "$work/glasnost" migrate >/dev/null
  local t0=$(date +%s)
  "$work/glasnost" demo --scale "$scale" >/dev/null
  local gen=$(( $(date +%s) - t0 ))
  "$work/glasnost" serve --addr "127.0.0.1:$port" >"$data/serve.log" 2>&1 &
  local gpid=$!
  pids+=("$gpid")
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
  local base="http://127.0.0.1:$port"

  # The pages under test, found through the API so that the script follows the data.
  local pages
  pages=$(python3 bench/pages.py "$base")

  # nginx serves the very same bytes as static files.
  local root="$work/$engine-static" nport
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
  default_type text/html;
  server { listen 127.0.0.1:$nport; root $root; location / { try_files \$uri.html =404; } }
}
NGINX
  "$NGINX" -c "$work/nginx-$engine.conf" &
  pids+=("$!")
  for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$nport/home" >/dev/null && break; sleep 0.1; done

  echo "| $engine | page | glasnost req/s | nginx req/s | ratio | glasnost p50 ms | p99 ms | nginx p50 ms | p99 ms | p99 ratio |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  while read -r name path; do
    read -r grps gp50 gp99 < <(measure "$base$path")
    read -r nrps np50 np99 < <(measure "http://127.0.0.1:$nport/$name")
    python3 -c "
g, n, gp99, np99 = $grps, $nrps, $gp99, $np99
print(f'| $engine | $name | {g:.0f} | {n:.0f} | {g/n:.2f} | $gp50 | {gp99:.2f} | $np50 | {np99:.2f} | {gp99/max(np99,0.01):.1f} |')"
  done <<<"$pages"
  local hwm
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$gpid/status")
  echo
  echo "$engine: data generated in ${gen}s at scale $scale; glasnost peak resident memory $((hwm / 1024)) MB"
  echo
  kill "$gpid" 2>/dev/null || true
}

{
  echo "# glasnost load test"
  echo
  echo "$(date -u +%Y-%m-%d), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(go version | cut -d' ' -f3); scale $scale, wrk -t2 -c$conns -d$duration"
  echo
  run_engine sqlite "$work/sqlite/glasnost.db"
  if [ -n "$pg" ]; then run_engine postgres "$pg"; fi
} | tee "$out/results.md"
