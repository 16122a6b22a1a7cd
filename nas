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
# A small first young generation (-XX:NewSize=8m): tensors live off-heap, so the heap holds little, and
# ParallelGC's default first eden (a third of 1/64 of RAM) was faulted in before the first collection:
# 20-30 MiB of peak RSS for nothing. The adaptive size policy still grows it for programs that allocate
# more (nas search: 7 short young collections instead of 1, same wall time).
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-exports java.base/jdk.internal.misc=ALL-UNNAMED \
  $UNSAFE_OPT -XX:+UseParallelGC -XX:NewSize=8m \
  -Darchway.native.dir="$ROOT/native/build" -Darchway.repo.root="$ROOT" \
  ${ARCHWAY_JAVA_OPTS:-} -jar "$JAR" "$@"
