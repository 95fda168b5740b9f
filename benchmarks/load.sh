#!/usr/bin/env bash
# The load harness: builds the benchmarks, starts the benchmark app in its own JVM, runs wrk on every row in
# interleaved rounds and prints the table, measures stampedes, then measures heap per cached entry.
# Usage: benchmarks/load.sh [--rounds=5] [--duration=10s] [--warmup=5s] [--threads=2] [--connections=50]
#                           [--stampede-clients=50] [--stampede-rounds=3]
# Set REDIS_URL to measure the Redis rows against an existing server instead of a redis-server it starts itself.
set -euo pipefail
if ! command -v wrk >/dev/null 2>&1; then
  echo "wrk is not installed. On Debian or Ubuntu: sudo apt-get install -y wrk (on macOS: brew install wrk)" >&2
  exit 2
fi
cd "$(dirname "$0")/.."
mvn -B -q -pl benchmarks -am package -DskipTests
cd benchmarks
cp="target/classes:$(cat target/classpath.txt)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')"
echo "load before: $(uptime)"
java -cp "$cp" dev.responsecache.benchmarks.LoadHarness "$@"
java -Xms2g -Xmx2g -cp "$cp" dev.responsecache.benchmarks.HeapPerEntry 20000
echo "load after: $(uptime)"
