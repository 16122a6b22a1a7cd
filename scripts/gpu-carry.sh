#!/usr/bin/env bash
# Packs what bench/gpu/check.sh needs on the GPU machine, which has no Java and no network, into ONE file:
# target/gpu-carry/carry.tar.gz = a jlink-ed runtime (java.base, java.logging for the JUnit launcher,
# java.management, jdk.unsupported; libjvm stripped), Archway's jars from this build with their runtime
# libraries (lib/), and the test classes with the JUnit jars (tests/). Left out, to fit the device tool's
# 64 MiB (working tree + carry): hazelcast (the trial cluster only) and archway-data (check.sh reads the
# checkout's data/ through -Darchway.repo.root). Fails when tree + carry exceed 64 MiB.
# Usage from the repository root: scripts/gpu-carry.sh   (then carry target/gpu-carry, see docs/CUDA.md)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
. scripts/jdk.sh
LIMIT=$((64 * 1048576))
DEST="$ROOT/target/gpu-carry"
STAGE="$ROOT/target/gpu-carry-stage"
rm -rf "$DEST" "$STAGE"
mkdir -p "$DEST" "$STAGE/lib" "$STAGE/tests/lib"

mvn -q -B -ntp -DskipTests package   # jars and test classes of this checkout
# Third-party jars: the engine's runtime class path from its own POM (the tests module would take the
# engine's POM from ~/.m2, which may be another build's), JUnit from the tests module. Archway's own jars
# come from this build.
mvn -q -B -ntp -pl java dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$STAGE/cp.txt" >/dev/null
tr ':' '\n' <"$STAGE/cp.txt" | while read -r jar; do
  case "$jar" in
    */dev/archway/*|*/com/hazelcast/*) ;;
    *.jar) cp "$jar" "$STAGE/lib/" ;;
  esac
done
mvn -q -B -ntp -pl tests dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$STAGE/cp.txt" >/dev/null
tr ':' '\n' <"$STAGE/cp.txt" | grep -E '/(org/junit|org/opentest4j|org/apiguardian)/' | xargs -I{} cp {} "$STAGE/tests/lib/"
cp java/target/archway-engine-*[0-9T].jar bindings/target/archway-bindings-*[0-9T].jar "$STAGE/lib/"
cp -r tests/target/test-classes "$STAGE/tests/classes"
rm -f "$STAGE/cp.txt"

"$JAVA_HOME/bin/jlink" --add-modules java.base,java.logging,java.management,jdk.unsupported --strip-debug \
  --no-man-pages --no-header-files --compress=zip-9 --output "$STAGE/jre"
if command -v strip >/dev/null; then strip --strip-unneeded "$STAGE/jre/lib/server/libjvm.so"; fi
"$STAGE/jre/bin/java" -version 2>&1 | head -1

tar -czf "$DEST/carry.tar.gz" -C "$STAGE" jre lib tests
rm -rf "$STAGE"
carry=$(stat -c %s "$DEST/carry.tar.gz")
tree=$( { git ls-files -z; git ls-files -z --others --exclude-standard; } | xargs -0 stat -c %s 2>/dev/null | awk '{s += $1} END {print s + 0}')
echo "gpu-carry: carry.tar.gz $((carry / 1048576)) MiB + working tree $((tree / 1048576)) MiB = $(((carry + tree) / 1048576)) MiB (limit 64 MiB)"
[ $((carry + tree)) -le "$LIMIT" ] || { echo "gpu-carry: over the device tool's 64 MiB" >&2; exit 1; }
