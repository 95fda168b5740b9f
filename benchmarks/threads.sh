#!/usr/bin/env bash
# Where a row's CPU goes, thread group by thread group: one wrk run against a running BenchApp, with the CPU time (user
# and system, from /proc/<pid>/task/*/stat) and the voluntary and involuntary context switches (from .../status) of
# each group of the JVM's threads (named as the kernel shows them, their numbers dropped: qtp = Jetty's request
# threads, response-cache = the library's own, among them the pipelined Redis reader) and of the app's redis-server,
# each divided by the requests wrk completed. Usage: benchmarks/threads.sh PID PORT PATH [seconds=8]
# (PID: a BenchApp started as benchmarks/ab.sh starts one; PATH: /api/cached, /redis/cached, ...).
set -euo pipefail
if ! command -v wrk >/dev/null 2>&1; then
  echo "wrk is not installed. On Debian or Ubuntu: sudo apt-get install -y wrk" >&2
  exit 2
fi
pid=${1:?usage: benchmarks/threads.sh PID PORT PATH [seconds]}
port=${2:?usage: benchmarks/threads.sh PID PORT PATH [seconds]}
path=${3:?usage: benchmarks/threads.sh PID PORT PATH [seconds]}
seconds=${4:-8}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# One line per thread: id, group, user and system ticks (10 ms), voluntary and involuntary context switches.
snapshot() {
  local task group
  for task in /proc/"$pid"/task/*; do
    group=$(sed 's/[0-9#-]*$//; s/ /_/g' "$task/comm" 2>/dev/null) || continue
    echo "${task##*/} $group $(awk '{ print $14, $15 }' "$task/stat" 2>/dev/null) $(awk '/^voluntary_ctxt/ { v = $2 }
        /^nonvoluntary_ctxt/ { n = $2 } END { print v, n }' "$task/status" 2>/dev/null)"
  done
  for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do
    echo "child-$child $(sed 's/[0-9#-]*$//' "/proc/$child/comm") $(awk '{ print $14, $15 }' "/proc/$child/stat")" \
        "$(awk '/^voluntary_ctxt/ { v = $2 } /^nonvoluntary_ctxt/ { n = $2 } END { print v, n }' "/proc/$child/status")"
  done
}
snapshot > "$work/before"
out=$(wrk -t2 -c50 -d"${seconds}s" --latency "http://127.0.0.1:$port$path")
snapshot > "$work/after"
requests=$(awk '/requests in/ { print $1 }' <<< "$out")
echo "$path: $(awk '/Requests\/sec/ { print $2 }' <<< "$out") req/s, $requests requests," \
  "p99 $(awk '$1 == "99%" { print $2 }' <<< "$out"), load average $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v n="$requests" 'NR == FNR { u[$1] = $3; s[$1] = $4; v[$1] = $5; i[$1] = $6; next }
  ($1 in u) { g = $2; du = $3 - u[$1]; ds = $4 - s[$1]; U[g] += du; S[g] += ds; V[g] += $5 - v[$1]; I[g] += $6 - i[$1]
    if (du + ds > 0) { busy[g]++ } }
  END { for (g in U) if (U[g] + S[g] > 0)
    printf "  %-18s %3d threads with CPU  user %6.2f us  system %6.2f us  voluntary %5.3f  involuntary %5.3f per request\n",
      g, busy[g], U[g] * 10000 / n, S[g] * 10000 / n, V[g] / n, I[g] / n }' "$work/before" "$work/after" | sort -k7 -nr
