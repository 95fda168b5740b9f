#!/usr/bin/env bash
# Runs the JMH benchmarks of the hot pieces (key, codec, hit decision, store get).
# Usage: benchmarks/jmh.sh [JMH options]   e.g.  benchmarks/jmh.sh -prof gc   or   benchmarks/jmh.sh LookupBenchmark -f 2
# Defaults: 1 fork, 3 x 2 s warm-up, 5 x 2 s measurement; an option given replaces its default (JMH refuses an option
# given twice, so a default is passed only when the same option is not among the arguments).
set -euo pipefail
cd "$(dirname "$0")/.."
defaults=(-f 1 -wi 3 -w 2s -i 5 -r 2s)
options=()
for ((d = 0; d < ${#defaults[@]}; d += 2)); do
  given=false
  for arg in "$@"; do
    if [[ "$arg" == "${defaults[d]}" || "$arg" == "${defaults[d]}="* ]]; then
      given=true
    fi
  done
  if [[ "$given" == false ]]; then
    options+=("${defaults[d]}" "${defaults[d + 1]}")
  fi
done
mvn -B -q -pl benchmarks -am package -DskipTests
cd benchmarks
exec java -cp "target/classes:$(cat target/classpath.txt)" org.openjdk.jmh.Main "${options[@]}" "$@"
