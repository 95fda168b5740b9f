#!/usr/bin/env bash
# Runs the JMH benchmarks of the hot pieces (key, codec, hit decision, store get).
# Usage: benchmarks/jmh.sh [JMH options]   e.g.  benchmarks/jmh.sh -prof gc   or   benchmarks/jmh.sh LookupBenchmark
# Defaults: 1 fork, 3 x 2 s warm-up, 5 x 2 s measurement; any option given overrides them (JMH: last one wins).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl benchmarks -am package -DskipTests
cd benchmarks
exec java -cp "target/classes:$(cat target/classpath.txt)" org.openjdk.jmh.Main -f 1 -wi 3 -w 2s -i 5 -r 2s "$@"
