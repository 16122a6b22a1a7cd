#!/usr/bin/env bash
# Builds the minimal Java runtime the GPU machine needs (it has no Java): java.base, java.logging (JUnit, for the GPU tests), java.management,
# jdk.unsupported, stripped, into target/jre (or $1). With the shaded jar it must fit the device tool's
# 64 MiB carry; the script prints both sizes and fails if the total exceeds it.
# Usage from the repository root: scripts/jlink-runtime.sh [OUTDIR]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
OUTDIR="${1:-$ROOT/target/jre}"
rm -rf "$OUTDIR"
mkdir -p "$(dirname "$OUTDIR")"
"$JAVA_HOME/bin/jlink" --add-modules java.base,java.logging,java.management,jdk.unsupported --strip-debug --no-man-pages \
  --no-header-files --compress=zip-9 --output "$OUTDIR"
JAR="$ROOT/java/target/archway.jar"
[ -f "$JAR" ] || (cd "$ROOT" && mvn -q -B -DskipTests -pl java -am package)
jre=$(du -sb "$OUTDIR" | cut -f1)
jar=$(stat -c %s "$JAR")
total=$((jre + jar))
echo "jlink runtime $((jre / 1048576)) MiB + archway.jar $((jar / 1048576)) MiB = $((total / 1048576)) MiB (limit 64 MiB)"
[ "$total" -le $((64 * 1048576)) ] || { echo "jlink-runtime: over the 64 MiB carry" >&2; exit 1; }
# The GPU tests without Maven: test classes + JUnit jars (archway.GpuTests is the entry point).
GT="$ROOT/target/gpu-tests"
rm -rf "$GT" && mkdir -p "$GT/lib"
(cd "$ROOT" && mvn -q -B -DskipTests -pl tests -am test-compile >/dev/null &&
  mvn -q -B -pl tests dependency:build-classpath -Dmdep.outputFile="$GT/cp.txt" -Dmdep.includeScope=test >/dev/null)
tr ':' '\n' <"$GT/cp.txt" | grep -E '/(junit|opentest4j|apiguardian)[^/]*\.jar$' | xargs -I{} cp {} "$GT/lib/"
cp -r "$ROOT/tests/target/test-classes" "$GT/classes"
gt=$(du -sb "$GT" | cut -f1)
echo "gpu-tests $((gt / 1048576)) MiB; carry total $(((total + gt) / 1048576)) MiB"
[ $((total + gt)) -le $((64 * 1048576)) ] || { echo "jlink-runtime: over the 64 MiB carry with the tests" >&2; exit 1; }
