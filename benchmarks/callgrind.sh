#!/usr/bin/env bash
# Instructions per request of the benchmark app's paths (HitInstructions), counted by Valgrind's callgrind: a figure
# the machine's load does not move, for comparing two builds of one path. Callgrind counts nothing while the paths warm
# up and counts each path's requests alone, per thread (the requests run on the main thread: its count is the
# request's, both Jetty's handling and the parsing of the response; the others are the JIT and the collector).
# With PERF_MAP=1 the JVM also writes /tmp/perf-<pid>.map, which names the JIT's code in the counts.
# Usage: benchmarks/callgrind.sh [warm-up requests per path=20000] [counted=1000] [paths=/plain,/early/cached,/filtered/page] [out=target/callgrind]
set -euo pipefail
if ! command -v valgrind >/dev/null 2>&1; then
  echo "valgrind is not installed. On Debian or Ubuntu: sudo apt-get install -y valgrind" >&2
  exit 2
fi
warm=${1:-20000}
counted=${2:-1000}
paths=${3:-/plain,/early/cached,/filtered/page}
cd "$(dirname "$0")/.."
mvn -B -q -pl benchmarks -am package -DskipTests
cd benchmarks
out=$(realpath -m "${4:-target/callgrind}")
rm -rf "$out"
mkdir -p "$out"
options=()
if [ "${PERF_MAP:-}" = 1 ]; then
  options=(-XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit)
fi
# Precise registers at memory accesses: the JVM reads the faulting instruction of an implicit null check from the
# signal's context, which is otherwise not exact under Valgrind (the JVM then crashes in its own handler).
coproc APP { exec valgrind --tool=callgrind --instr-atstart=no --separate-threads=yes \
    --vex-iropt-register-updates=allregs-at-mem-access --callgrind-out-file="$out/callgrind.out.%p" \
    java -Xms1g -Xmx1g "${options[@]}" -cp "target/classes:$(cat target/classpath.txt)" \
    dev.responsecache.benchmarks.HitInstructions "$warm" "$counted" "$paths" 2>"$out/valgrind.log"; }
pid=$APP_PID
while read -r line <&"${APP[0]}"; do
  case "$line" in
    MEASURE*)
      callgrind_control -z "$pid" >/dev/null
      callgrind_control -i on "$pid" >/dev/null
      echo go >&"${APP[1]}" ;;
    DONE*)
      path=${line#DONE }
      callgrind_control -d "${path//\//_}" "$pid" >/dev/null
      callgrind_control -i off "$pid" >/dev/null
      echo go >&"${APP[1]}" ;;
    END) break ;;
  esac
done
wait "$pid" || true
# Per path: the main thread's instructions (thread 2; thread 1 is the launcher's) and every thread's, per request.
for file in "$out"/callgrind.out.*-*; do
  trigger=$(sed -n 's/^desc: Trigger: dump //p' "$file")
  [ -n "$trigger" ] && echo "$trigger $(sed -n 's/^thread: //p' "$file") $(sed -n 's/^summary: //p' "$file")"
done | awk -v n="$counted" '{ all[$1] += $3; if ($2 == 2) main[$1] = $3 }
    END { for (p in all) printf "%-24s %9.0f instructions per request on the request thread, %9.0f in every thread\n",
          p, main[p] / n, all[p] / n }' | sort
echo "callgrind's files: $out (callgrind_annotate names the JIT's code with PERF_MAP=1 and the map)"
