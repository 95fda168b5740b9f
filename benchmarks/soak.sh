#!/usr/bin/env bash
# Small-heap soak: the benchmark application in its own JVM with a small heap, driven with requests for distinct ids
# (every response 64 KiB and stored), once with the default bound (bytes) and once bounded by entry count as before.
# Usage: benchmarks/soak.sh [xmx=128m] [seconds=60] [clients=8]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -pl benchmarks -am package -DskipTests
cd benchmarks
cp="target/classes:$(cat target/classpath.txt)"
xmx="${1:-128m}"; seconds="${2:-60}"; clients="${3:-8}"
java -cp "$cp" dev.responsecache.benchmarks.SmallHeapSoak "$xmx" "$seconds" "$clients"
java -cp "$cp" dev.responsecache.benchmarks.SmallHeapSoak "$xmx" "$seconds" "$clients" \
  -Dresponsecache.ehcache.max-entries=10000
