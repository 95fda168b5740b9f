#!/usr/bin/env bash
# Two builds of the benchmark app, side by side: this working tree and another revision, each in a JVM of its own,
# measured in interleaved rounds (old, new, old, new on every path), so that a change is compared with what it changes
# under the same load. Each round's line gives the requests per second and the JVM's CPU time per request (from
# /proc/<pid>/stat: what load inflates least) and wrk's p99 latency. Usage: benchmarks/ab.sh REV [rounds=4] [seconds=8] [paths="/plain /filtered/page /early/cached /api/cached"]
# With WRK_SCRIPT=misses, every request carries a query never sent before (misses.lua), so that a cached path is
# measured as a row of misses (and an uncached one with the same client-side cost); any other value names a wrk script.
set -euo pipefail
if ! command -v wrk >/dev/null 2>&1; then
  echo "wrk is not installed. On Debian or Ubuntu: sudo apt-get install -y wrk" >&2
  exit 2
fi
rev=${1:?usage: benchmarks/ab.sh REV [rounds] [seconds] [paths]}
rounds=${2:-4}
seconds=${3:-8}
paths=${4:-/plain /filtered/page /early/cached /api/cached}
script=()
case "${WRK_SCRIPT:-}" in
  "") ;;
  misses) script=(-s "$(cd "$(dirname "$0")" && pwd)/src/main/resources/dev/responsecache/benchmarks/misses.lua") ;;
  *) script=(-s "$(realpath "$WRK_SCRIPT")") ;;
esac
cd "$(dirname "$0")/.."
root=$(pwd)
old=$(mktemp -d)
work=$(mktemp -d)
cleanup() {
  exec 3>&-
  wait 2>/dev/null || true
  git -C "$root" worktree remove --force "$old" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
git worktree add -q --detach "$old" "$rev"
(cd "$old" && mvn -B -q -pl benchmarks -am package -DskipTests)
mvn -B -q -pl benchmarks -am package -DskipTests
# Both apps serve until their standard input closes: this script holds it open, and its exit closes it.
mkfifo "$work/stdin"
exec 3<>"$work/stdin"
start() { # tree, output file
  (cd "$1/benchmarks" && exec java -Xms1g -Xmx1g -cp "target/classes:$(cat target/classpath.txt)" \
      dev.responsecache.benchmarks.BenchApp 0 < "$work/stdin" > "$2" 2>&1 3>&-) &
}
start "$old" "$work/old.out"
old_pid=$!
start "$root" "$work/new.out"
new_pid=$!
# CPU time of a JVM (user and system, in clock ticks of 10 ms) and the context switches of its live threads: with the
# requests wrk counted, the cost per request.
ticks() {
  awk '{ print $14, $15 }' "/proc/$1/stat"
}
# The same for the JVM's child processes (the redis-server a BenchApp with Redis rows starts): a Redis hit's cost that
# the JVM's own figure leaves out.
child_ticks() {
  local sum=0 child user system
  for child in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
    read -r user system < <(awk '{ print $14, $15 }' "/proc/$child/stat" 2>/dev/null || echo "0 0")
    sum=$((sum + user + system))
  done
  echo "$sum"
}
switches() {
  cat /proc/"$1"/task/*/status 2>/dev/null | awk '/voluntary_ctxt_switches/ { s += $2 } END { print s }'
}
until grep -q READY "$work/old.out" 2>/dev/null && grep -q READY "$work/new.out" 2>/dev/null; do
  sleep 0.5
done
old_port=$(awk '/^PORT/ {print $2}' "$work/old.out")
new_port=$(awk '/^PORT/ {print $2}' "$work/new.out")
echo "old: $rev, new: the working tree; load before: $(uptime)"
for path in $paths; do
  for port in "$old_port" "$new_port"; do
    wrk -t2 -c50 -d5s "${script[@]}" "http://127.0.0.1:$port$path" >/dev/null
    wrk -t2 -c50 -d5s "${script[@]}" "http://127.0.0.1:$port$path" >/dev/null
  done
done
for round in $(seq 1 "$rounds"); do
  for path in $paths; do
    for build in old new; do
      port=$([ "$build" = old ] && echo "$old_port" || echo "$new_port")
      pid=$([ "$build" = old ] && echo "$old_pid" || echo "$new_pid")
      read -r user0 system0 < <(ticks "$pid")
      switched0=$(switches "$pid")
      children0=$(child_ticks "$pid")
      out=$(wrk -t2 -c50 -d"${seconds}s" --latency "${script[@]}" "http://127.0.0.1:$port$path")
      read -r user1 system1 < <(ticks "$pid")
      switched1=$(switches "$pid")
      children1=$(child_ticks "$pid")
      rate=$(awk '/Requests\/sec/ {print $2}' <<< "$out")
      requests=$(awk '/requests in/ {print $1}' <<< "$out")
      # wrk's 99th percentile latency, in ms whatever unit it printed.
      p99=$(awk '$1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
          print (u == "us" ? v / 1000 : u == "s" ? v * 1000 : v) }' <<< "$out")
      echo "round $round $build $path $rate $(awk -v u=$((user1 - user0)) -v s=$((system1 - system0)) \
          -v c=$((switched1 - switched0)) -v n="$requests" 'BEGIN { printf "%.1f us-cpu/request (user %.1f, system %.1f) %.2f context-switches/request", (u + s) * 10000 / n, u * 10000 / n, s * 10000 / n, c / n }') p99-ms $p99 $(awk -v c=$((children1 - children0)) -v n="$requests" 'BEGIN { printf "%.1f", c * 10000 / n }') us-child-cpu/request"
    done
  done
done | tee "$work/rounds.txt"
# The median over the rounds of one field of the round lines, per path and build: medians FIELD DECIMALS
medians() {
  for key in $(awk '{print $3 "@" $4}' "$work/rounds.txt" | sort -u); do
    awk -v build="${key%@*}" -v path="${key#*@}" -v field="$1" '$3 == build && $4 == path {print $field}' \
        "$work/rounds.txt" | sort -n \
      | awk -v key="${key#*@} ${key%@*}" -v decimals="$2" '{ r[NR] = $1 }
          END { m = NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2;
                printf "%-24s %10." decimals "f\n", key, m }'
  done | sort
}
echo "medians (req/s):"
medians 5 0
echo "medians (us of the JVM's CPU per request):"
medians 6 1
echo "medians (p99 latency, ms):"
medians 15 2
echo "medians (us of the child processes' CPU per request: the app's redis-server):"
medians 16 1
# A Redis judged unhealthy (a loaded machine can make calls time out) sends hits uncached for a cool-down: say so.
echo "Redis judged unhealthy during the run: old $(grep -c 'judged unhealthy' "$work/old.out" || true) times," \
  "new $(grep -c 'judged unhealthy' "$work/new.out" || true) times"
echo "load after: $(uptime)"
