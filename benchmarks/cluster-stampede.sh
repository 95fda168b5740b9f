#!/usr/bin/env bash
# The cluster-wide stampede (ClusterStampede): 3 application instances, each a JVM of its own, on one Redis; N
# concurrent requests for one cold key spread across them, with the key lease off, on, and on with its holder killed.
# Usage: benchmarks/cluster-stampede.sh [clients=200] [rounds=3] [work-ms=500]
# Set REDIS_URL to use an existing server instead of a redis-server it starts itself.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl benchmarks -am package -DskipTests
cd benchmarks
echo "machine: $(nproc) cores; load before: $(uptime)"
java -cp "target/classes:$(cat target/classpath.txt)" dev.responsecache.benchmarks.ClusterStampede "$@"
echo "load after: $(uptime)"
