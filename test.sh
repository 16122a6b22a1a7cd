#!/usr/bin/env bash
# Builds the native kernels and Java, then runs the whole JUnit suite (the README's test command).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$ROOT/scripts/jdk.sh"
cd "$ROOT"
exec mvn -B -ntp test "$@"
