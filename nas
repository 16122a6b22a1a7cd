#!/usr/bin/env bash
# Archway launcher: finds a JDK >= 22, builds on first use (or when sources changed), runs the CLI.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

. "$ROOT/scripts/jdk.sh"

JAR="$ROOT/java/target/archway.jar"
stale() {
  [ -f "$JAR" ] || return 0
  [ -n "$(find "$ROOT/java/src" "$ROOT/bindings/src" "$ROOT/native" "$ROOT/cuda-kernels" "$ROOT/pom.xml" \
      "$ROOT/java/pom.xml" "$ROOT/bindings/pom.xml" "$ROOT/data/pom.xml" -newer "$JAR" -type f \
      \( -name '*.java' -o -name '*.cpp' -o -name '*.h' -o -name '*.cu' -o -name 'Makefile' -o -name 'pom.xml' -o -path '*/resources/*' \) \
      -not -path '*/build/*' -print -quit 2>/dev/null)" ]
}
if stale; then
  echo "nas: building Archway (native kernels + Java), log in target/build.log ..." >&2
  mkdir -p "$ROOT/target"
  if ! (cd "$ROOT" && mvn -q -B -DskipTests -pl java -am package >"$ROOT/target/build.log" 2>&1); then
    tail -n 40 "$ROOT/target/build.log" >&2
    echo "nas: build failed (full log: $ROOT/target/build.log)" >&2
    exit 1
  fi
fi
# Hazelcast (nas worker, --cluster) uses sun.misc.Unsafe; JDK 23+ would warn about it on every start.
UNSAFE_OPT=""
[ "$(java_major "$JAVA_HOME")" -ge 23 ] && UNSAFE_OPT="--sun-misc-unsafe-memory-access=allow"
# Memory (peak RSS; tensors live off-heap, so the JVM's own footprint is what these trim):
# - a fixed 8 MiB young generation (-XX:NewSize/MaxNewSize=8m): ParallelGC's first eden (a third of 1/64
#   of RAM) was faulted in before the first collection, and its adaptive policy grew eden to ~24 MiB
#   during start-up although a step allocates almost nothing. More, shorter collections instead (nas
#   search: 36 instead of 7, same wall time).
# - C1 only (-XX:TieredStopAtLevel=1): C2's compile arenas peaked near 19 MiB, which glibc keeps. The hot
#   loops are native; training, search and landscape runs were as fast or faster (bench/results/NOTES.md).
# Later options win: ARCHWAY_JAVA_OPTS="-XX:TieredStopAtLevel=4 -XX:MaxNewSize=1g" lifts both.
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-exports java.base/jdk.internal.misc=ALL-UNNAMED \
  $UNSAFE_OPT -XX:+UseParallelGC -XX:NewSize=8m -XX:MaxNewSize=8m -XX:TieredStopAtLevel=1 \
  -Darchway.native.dir="$ROOT/native/build" -Darchway.repo.root="$ROOT" \
  ${ARCHWAY_JAVA_OPTS:-} -jar "$JAR" "$@"
