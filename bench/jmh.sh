#!/usr/bin/env bash
# Builds bench/target/benchmarks.jar (JMH, with the engine and the native kernels) and runs it.
#   ./bench/jmh.sh                      every kernel benchmark (several minutes)
#   ./bench/jmh.sh ConvBench            benchmarks whose name matches a regex
#   ./bench/jmh.sh 'ConvBench.forward' -p kind=conv3x3 -p threads=1   any JMH option after the regex
# Results: the console table (gflop = GFLOP/s, gbyte = GB/s, from @AuxCounters) and
# bench/results/jmh-<date>.json. Set JMH_NO_BUILD=1 to reuse the jar.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
cd "$ROOT"
JAR="$ROOT/bench/target/benchmarks.jar"
if [ -z "${JMH_NO_BUILD:-}" ] || [ ! -f "$JAR" ]; then
  echo "jmh.sh: building benchmarks.jar (log: target/bench-build.log) ..." >&2
  mkdir -p "$ROOT/target"
  if ! mvn -B -q -o -DskipTests -pl bench -am package >"$ROOT/target/bench-build.log" 2>&1 \
      && ! mvn -B -q -DskipTests -pl bench -am package >"$ROOT/target/bench-build.log" 2>&1; then
    tail -n 40 "$ROOT/target/bench-build.log" >&2
    echo "jmh.sh: build failed" >&2
    exit 1
  fi
fi
mkdir -p "$ROOT/bench/results"
OUT="$ROOT/bench/results/jmh-$(date +%Y%m%d-%H%M%S).json"
# Forked benchmark JVMs inherit the environment: point them at the freshly built kernels.
export ARCHWAY_NATIVE_DIR="$ROOT/native/build"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-exports java.base/jdk.internal.misc=ALL-UNNAMED \
  -jar "$JAR" -rf json -rff "$OUT" "$@"
if [ -s "$OUT" ] && command -v python3 >/dev/null; then
  python3 "$ROOT/bench/jmh-summary.py" "$OUT" | tee "${OUT%.json}.md"
fi
