#!/usr/bin/env bash
# Runs bench/compare-peer.sh on every configuration issue 20 judges (NB201 search step; training step of
# the best NB201 cell at 1x28x28 and 3x32x32, batch 64 and 256; passive and default OpenMP waiting; the
# largest mbv3 subnet) and writes one summary for this CPU model:
# bench/results/matrix-<cpu>-<date>/SUMMARY.md (each configuration's own report beside it).
# About 10 minutes on 2 cores. Needs what compare-peer.sh needs (python3 with torch).
#
#   ./bench/compare-matrix.sh                       all configurations, 3 alternating rounds each
#   ./bench/compare-matrix.sh --list                the configurations and their compare-peer.sh arguments
#   ./bench/compare-matrix.sh --only search-step,train-28x1-b64 --rounds 5
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="$(command -v python3 || true)"
[ -n "$PY" ] || { echo "compare-matrix: needs python3" >&2; exit 2; }
exec "$PY" "$ROOT/bench/compare_matrix.py" --root "$ROOT" "$@"
