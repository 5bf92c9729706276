#!/usr/bin/env bash
# The uncached pages at scale 1 and at a larger scale in one run, measured
# in turns, so that the ratio compares two figures taken seconds apart on
# the same machine rather than two runs of bench/run.sh taken at different
# times (on a shared VM the same page has read 0.73–1.30 between two such
# runs).
#
#   bench/scales.sh                          # scale 1 against scale 100, 3 rounds, 5 s per page
#   bench/scales.sh --scale 10 --rounds 5 --duration 10s
#   bench/scales.sh --smoke                  # scale 1 against 2, 1 round of 1 s: proves the script works
#
# Both portals run on SQLite with GLASNOST_PAGE_CACHE=off (every request
# rendered), each started once its demo data is loaded, and measured after
# its job queue is idle. In every round each page is measured at scale 1
# and then at the larger scale. It prints per page the median req/s at
# each scale, the ratio of each round (scale 1 ÷ larger: how many times
# slower the page is at the larger scale; the target of issue 17 is
# ≤ 1.2) and their median, which pairs the figures taken seconds apart.
# Results go to bench/out/scales.md.
set -euo pipefail
cd "$(dirname "$0")/.."

big=100
rounds=3
duration=5s
conns=64
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) big="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --connections) conns="$2"; shift 2 ;;
    --smoke) big=2; rounds=1; duration=1s; conns=4; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

. bench/lib.sh
begin_bench scales.md

echo "building glasnost" >&2
go build -o "$work/glasnost" ./cmd/glasnost

declare -A base session
for s in 1 "$big"; do
  data="$work/scale-$s"
  mkdir -p "$data"
  port=$(free_port)
  base[$s]="http://127.0.0.1:$port"
  echo "loading the demo at scale $s" >&2
  GLASNOST_DATA_DIR="$data" GLASNOST_BASE_URL="${base[$s]}" "$work/glasnost" demo --scale "$s" >/dev/null
  start_glasnost "$port" "$data/serve.log" GLASNOST_DATA_DIR="$data" GLASNOST_BASE_URL="${base[$s]}" GLASNOST_PAGE_CACHE=off
  queue_idle "$data/glasnost.db" 15 900 >/dev/null
  # Anonymous searches are rate-limited, so the search is measured as the
  # demo's resident, as bench/run.sh does; the other pages anonymously.
  curl -fs -o /dev/null -c "$data/cookies" --data-urlencode "email=resident@vpyshma.demo" --data-urlencode "password=demo-glasnost-2026" "${base[$s]}/login"
  session[$s]=$(awk '$6 == "glasnost_session" {print $7}' "$data/cookies")
  [ -n "${session[$s]}" ] || { echo "could not sign in as the demo resident at scale $s" >&2; exit 1; }
  python3 bench/pages.py "${base[$s]}" >"$work/pages-$s"
done

# Each page's path differs between the two portals (the ids of the act and
# the consultation), its name does not.
path_of() { awk -v n="$2" '$1 == n {print $2}' "$work/pages-$1"; }

: >"$work/rps"
for r in $(seq 1 "$rounds"); do
  echo "round $r of $rounds" >&2
  while read -r name _; do
    for s in 1 "$big"; do
      url="${base[$s]}$(path_of "$s" "$name")"
      as=()
      if [ "$name" = search ]; then as=(-H "Cookie: glasnost_session=${session[$s]}"); fi
      curl -fs -o /dev/null "${as[@]}" "$url" # warm SQLite's page cache
      read -r rps _ <<<"$(measure "$url" "${as[@]}")"
      printf '%s\t%s\t%s\t%s\n' "$r" "$name" "$s" "$rps" >>"$work/rps"
    done
  done <"$work/pages-1"
done

echo "# glasnost pages at scale 1 and scale $big in one run"
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(go version | cut -d' ' -f3); SQLite, uncached (the search as the demo resident, as in bench/run.sh); $rounds rounds of wrk -t2 -c$conns -d$duration per page and scale"
echo
echo "| page | req/s scale 1 (median) | scale $big (median) | ratio | ratio per round |"
echo "|---|---:|---:|---:|---|"
python3 - "$work/rps" "$big" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
big = sys.argv[2]
names = list(dict.fromkeys(r[1] for r in rows))
for name in names:
    at = lambda s: {r[0]: float(r[3]) for r in rows if r[1] == name and r[2] == s}
    one, other = at("1"), at(big)
    m1, mb = statistics.median(one.values()), statistics.median(other.values())
    ratios = [one[k] / max(other[k], 1) for k in one if k in other]
    per = ", ".join(f"{x:.2f}" for x in ratios)
    print(f"| {name} | {m1:.0f} | {mb:.0f} | {statistics.median(ratios):.2f} | {per} |")
PY
echo
echo "Ratio: req/s at scale 1 ÷ req/s at scale $big in the same round, the median of the rounds (1.00 = as fast at scale $big)."
