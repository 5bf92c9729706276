# Helpers shared by bench/run.sh and bench/region.sh (sourced, not run).
# They use the caller's globals: work (a temporary folder), pids (the
# processes to stop on exit), conns and duration (wrk's options), and set
# gpid (the last glasnost started).

# begin_bench file: installs the tools, makes the temporary folder work
# (removed on exit with every process in pids) and copies standard output
# to $out/file (out: BENCH_OUT, default bench/out).
begin_bench() {
  ensure_tools
  out="${BENCH_OUT:-bench/out}"
  mkdir -p "$out"
  work=$(mktemp -d)
  # nginx's workers drop privileges when started by root: they must be able
  # to read the pages.
  chmod 755 "$work"
  pids=()
  trap bench_cleanup EXIT
  exec > >(tee "$out/$1")
}

bench_cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}

# ensure_tools installs nginx and wrk from Debian's packages when missing
# and sets NGINX.
ensure_tools() {
  local need=()
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
  command -v wrk >/dev/null || need+=(wrk)
  if [ ${#need[@]} -gt 0 ]; then
    echo "installing ${need[*]}" >&2
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
  NGINX=$(command -v nginx || echo /usr/sbin/nginx)
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# measure url [wrk options…] -> "rps p50 p95 p99 non2xx errors" (milliseconds).
# WRK_SCRIPT names the Lua script (default bench/latency.lua).
measure() {
  local line
  line=$(wrk -t2 -c"$conns" -d"$duration" -s "${WRK_SCRIPT:-bench/latency.lua}" "$@" 2>/dev/null | grep '^RESULT' || true)
  if [ -z "$line" ]; then
    echo "wrk failed on $1" >&2
    echo "0 0 0 0 0 1"
    return
  fi
  read -r _ n secs p50 p95 p99 bad errs <<<"$line"
  if [ "$bad" != 0 ] || [ "$errs" != 0 ]; then echo "warning: $1: $bad non-2xx responses, $errs socket errors" >&2; fi
  python3 -c "print(f'{$n / $secs:.0f} $p50 $p95 $p99 $bad $errs')"
}

# start_glasnost port logfile [env…] -> gpid; waits until it answers.
start_glasnost() {
  local port="$1" log="$2"
  shift 2
  env "$@" "$work/glasnost" serve --addr "127.0.0.1:$port" >"$log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  for _ in $(seq 1 150); do
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && { gpid=$pid; return; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  echo "glasnost did not start; its log:" >&2
  cat "$log" >&2
  exit 1
}

stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

peak_mb() { awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }

# settle url min max: the queue starts its periodic jobs only after electing
# a leader, some seconds after start, and each job's writes empty the page
# cache; wait at least min seconds, then until the home page has stayed
# cached for 5 s (at most max seconds). Prints the seconds waited.
settle() {
  local url="$1" min="$2" max="$3" waited=0 hits=0
  while { [ "$hits" -lt 5 ] || [ "$waited" -lt "$min" ]; } && [ "$waited" -lt "$max" ]; do
    if curl -fs -o /dev/null -D - "$url" | grep -qi '^x-cache: hit'; then hits=$((hits + 1)); else hits=0; fi
    sleep 1
    waited=$((waited + 1))
  done
  echo "$waited"
}

# due_jobs database-url: the jobs running or due now in the queue.
due_jobs() {
  case "$1" in
    postgres://* | postgresql://*)
      psql "$1" -XAtc "SELECT COUNT(*) FROM river_job WHERE state = 'running' OR (state IN ('available', 'retryable') AND scheduled_at <= now())" 2>/dev/null || echo 0
      ;;
    *)
      python3 - "$1" <<'PY'
import sqlite3, sys
c = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True, timeout=10)
print(c.execute("SELECT COUNT(*) FROM river_job WHERE state = 'running' OR (state IN ('available', 'retryable') AND scheduled_at <= strftime('%Y-%m-%d %H:%M:%f', 'now'))").fetchone()[0])
PY
      ;;
  esac
}

# queue_idle database-url min max: wait at least min seconds (the queue
# starts its periodic jobs only after electing a leader), then until no job
# is running or due (at most max seconds). At a large scale the generated
# appeals owe tens of thousands of deadline reminders at the first start
# (recorded in batches, a few hundred letters); each batch and letter is a
# write of the appeals' and the queue's tables, which the
# page cache ignores but after which every SQLite reader connection drops
# its page cache and memory map. Pages are measured after that, not against
# it. Prints the seconds waited.
queue_idle() {
  local url="$1" min="$2" max="$3" waited=0
  while { [ "$waited" -lt "$min" ] || [ "$(due_jobs "$url")" != 0 ]; } && [ "$waited" -lt "$max" ]; do
    sleep 1
    waited=$((waited + 1))
  done
  echo "$waited"
}
