# Sourced by ./nas and ./test.sh: exports JAVA_HOME as a JDK >= 22 (newest under /usr/lib/jvm unless
# JAVA_HOME already names one), or fails with one clear line.
java_major() { "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(java_major "$JAVA_HOME")" -ge 22 ] 2>/dev/null; then
    echo "$JAVA_HOME"; return
  fi
  local best="" best_v=0 d v
  for d in /usr/lib/jvm/*; do
    [ -x "$d/bin/javac" ] || continue
    v=$(java_major "$d"); [ -n "$v" ] || continue
    if [ "$v" -ge 22 ] && [ "$v" -gt "$best_v" ]; then best="$d"; best_v="$v"; fi
  done
  [ -n "$best" ] && echo "$best"
}
ARCHWAY_JDK="$(find_jdk || true)"
if [ -z "$ARCHWAY_JDK" ]; then
  echo "archway: needs a JDK >= 22 (JDK 25 recommended); set JAVA_HOME or install one under /usr/lib/jvm" >&2
  exit 2
fi
export JAVA_HOME="$ARCHWAY_JDK"
