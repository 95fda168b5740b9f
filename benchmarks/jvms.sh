#!/usr/bin/env bash
# One build of the benchmark app in several JVMs at once (another Java, other JVM options: virtual request threads),
# measured in interleaved rounds as benchmarks/ab.sh measures two builds: every path on every JVM in turn, each round
# through benchmarks/threads.sh, so each line gives the requests per second, wrk's p99, and the CPU time and context
# switches per request of the JVM's request threads, of the whole JVM and of its redis-server. Then the medians.
# Usage: [MVN_FLAGS=-o] benchmarks/jvms.sh ROUNDS SECONDS "PATHS" LABEL=JAVA[,OPTION...] ...
# e.g.   benchmarks/jvms.sh 5 8 "/api/cached /redis/cached" \
#            17=java 25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java \
#            25-virtual=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java,-Dbench.virtual-threads=true
# Request threads: Jetty's (qtp) on platform threads; with virtual threads, their carriers (ForkJoinPool) and
# Jetty's pool, which still runs the selectors.
set -euo pipefail
if ! command -v wrk >/dev/null 2>&1; then
  echo "wrk is not installed. On Debian or Ubuntu: sudo apt-get install -y wrk" >&2
  exit 2
fi
usage="usage: benchmarks/jvms.sh ROUNDS SECONDS PATHS LABEL=JAVA[,OPTION...] ..."
rounds=${1:?$usage}
seconds=${2:?$usage}
paths=${3:?$usage}
shift 3
[ $# -gt 0 ] || { echo "$usage" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."
work=$(mktemp -d)
cleanup() {
  exec 3>&-
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mvn -B -q ${MVN_FLAGS:-} -pl benchmarks -am package -DskipTests
# Every app serves until its standard input closes: this script holds it open, and its exit closes it.
mkfifo "$work/stdin"
exec 3<>"$work/stdin"
labels=()
declare -A pid port
for spec in "$@"; do
  label=${spec%%=*}
  IFS=, read -r -a command <<< "${spec#*=}"
  labels+=("$label")
  (cd benchmarks && exec "${command[0]}" -Xms1g -Xmx1g "${command[@]:1}" \
      -cp "target/classes:$(cat target/classpath.txt)" dev.responsecache.benchmarks.BenchApp 0 \
      < "$work/stdin" > "$work/$label.out" 2>&1 3>&-) &
  pid[$label]=$!
done
for label in "${labels[@]}"; do
  until grep -q READY "$work/$label.out" 2>/dev/null; do
    kill -0 "${pid[$label]}" 2>/dev/null || { echo "$label did not start:" >&2; cat "$work/$label.out" >&2; exit 1; }
    sleep 0.5
  done
  port[$label]=$(awk '/^PORT/ {print $2}' "$work/$label.out")
  echo "$label: pid ${pid[$label]}, port ${port[$label]}, $(head -c 200 /proc/"${pid[$label]}"/cmdline | tr '\0' ' ')"
done
echo "load before: $(uptime)"
for path in $paths; do
  for label in "${labels[@]}"; do
    wrk -t2 -c50 -d5s "http://127.0.0.1:${port[$label]}$path" >/dev/null
    wrk -t2 -c50 -d5s "http://127.0.0.1:${port[$label]}$path" >/dev/null
  done
done
# The JVM's CPU time (user and system, in ticks of 10 ms), its threads that ended included: threads.sh sees only the
# threads alive before and after its run, and a virtual thread scheduler's carriers come and go.
ticks() {
  awk '{ print $14 + $15 }' "/proc/$1/stat"
}
# The GETs the JVM's redis-server has answered (0 without one, or without redis-cli): per request, a check that a Redis
# row's hits did read Redis (a breaker judging Redis unhealthy sends them uncached).
gets() {
  local child address
  for child in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
    address=$(tr '\0' ' ' < "/proc/$child/cmdline" | awk '{ print $NF }')
    if [[ $address == *:* ]] && command -v redis-cli >/dev/null 2>&1; then
      redis-cli -h "${address%:*}" -p "${address##*:}" info commandstats 2>/dev/null \
        | awk -F'[=,]' '/^cmdstat_get:/ { n = $2 } END { print n + 0 }' || echo 0
      return
    fi
  done
  echo 0
}
# One line per round, path and JVM: the fields medians reads (5: req/s, 6: p99 ms, 7/8: request threads' CPU and
# context switches, 9/10: the JVM's, 11: redis-server's CPU; CPU in us per request; 12: Redis GETs per request), then
# the load average. The JVM's CPU is the process's; the request threads' is the JVM's less that of its other thread
# groups (the library's threads, the compilers, GC); context switches are of the threads alive throughout.
for round in $(seq 1 "$rounds"); do
  for path in $paths; do
    for label in "${labels[@]}"; do
      gets0=$(gets "${pid[$label]}")
      ticks0=$(ticks "${pid[$label]}")
      out=$("$here/threads.sh" "${pid[$label]}" "${port[$label]}" "$path" "$seconds")
      ticks1=$(ticks "${pid[$label]}")
      gets1=$(gets "${pid[$label]}")
      echo "$out" > "$work/round-$round-$label-${path//\//_}.txt"
      awk -v round="$round" -v label="$label" -v path="$path" -v gets=$((gets1 - gets0)) \
          -v ticks=$((ticks1 - ticks0)) '
        NR == 1 { rate = $2; p99 = $7; sub(/,$/, "", p99); v = p99; u = p99; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
          p99 = u == "us" ? v / 1000 : u == "s" ? v * 1000 : v; load = $10 " " $11 " " $12; requests = $4; next }
        { cpu = $7 + $10; switches = $13 + $15 }
        $1 ~ /^redis-server/ { child += cpu; next }
        { jvmSwitches += switches }
        $1 == "qtp" || $1 == "ForkJoinPool" { requestSwitches += switches; next }
        { others += cpu }
        END { jvm = ticks * 10000 / requests; request = jvm - others
          printf "round %d %s %s %s %.2f %.1f %.2f %.1f %.2f %.1f %.2f load %s\n", round, label, path, rate, p99,
          request, requestSwitches, jvm, jvmSwitches, child, gets / requests, load }' <<< "$out"
    done
  done
done | tee "$work/rounds.txt"
# The median over the rounds of one field of the round lines, per path and JVM: medians FIELD
medians() {
  for key in $(awk '{print $3 "@" $4}' "$work/rounds.txt" | sort -u); do
    awk -v label="${key%@*}" -v path="${key#*@}" -v field="$1" '$3 == label && $4 == path {print $field}' \
        "$work/rounds.txt" | sort -n \
      | awk -v key="${key#*@} ${key%@*}" '{ r[NR] = $1 }
          END { m = NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2; printf "  %-32s %10.2f\n", key, m }'
  done | sort
}
echo "medians: req/s"; medians 5
echo "medians: p99 ms"; medians 6
echo "medians: request threads' CPU, us per request"; medians 7
echo "medians: request threads' context switches per request"; medians 8
echo "medians: the JVM's CPU, us per request"; medians 9
echo "medians: the JVM's context switches per request"; medians 10
echo "medians: redis-server's CPU, us per request"; medians 11
echo "medians: Redis GETs per request"; medians 12
echo "per thread group, every round: $work kept in $here/target/jvms-last"
rm -rf "$here/target/jvms-last"; cp -r "$work" "$here/target/jvms-last"; rm -f "$here/target/jvms-last/stdin"
for label in "${labels[@]}"; do
  echo "$label: Redis judged unhealthy $(grep -c 'judged unhealthy' "$work/$label.out" || true) times"
done
echo "load after: $(uptime)"
