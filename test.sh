#!/usr/bin/env bash
# The README's test command: builds the native kernels and Java, runs the whole JUnit suite and installs the
# library jars into the local Maven repository (one 'mvn install'), then builds and runs tests/consumer, a
# separate Maven project that uses Archway only through those installed jars (the README's Java examples).
# Arguments go to the first mvn (e.g. -Dtest=...); SKIP_CONSUMER=1 leaves the consumer out.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$ROOT/scripts/jdk.sh"
cd "$ROOT"
mvn -B -ntp install "$@"
if [ "${SKIP_CONSUMER:-0}" != 1 ]; then
  VERSION="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -1)"
  echo "test.sh: tests/consumer against the installed Archway $VERSION" >&2
  mvn -B -ntp -f tests/consumer/pom.xml -Darchway.version="$VERSION" verify
fi
