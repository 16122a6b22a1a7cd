#!/usr/bin/env bash
# Runs the PyTorch peer (/work/shared/peers/pytorch_nb201_darts.py, or PEER=path) and `nas bench step`
# on the same first-order DARTS configuration, alternately for several rounds, and reports the ratios
# of images/s and of peak RSS (min / median / max). Installs nothing: it needs python3 with torch
# (Debian: apt-get install -y python3-torch). Writes bench/results/compare-peer-<date>.md and .json.
#
#   ./bench/compare-peer.sh                       the issue's target: NB201 C=16 N=5, batch 64, 3x32x32, 2 threads
#   ./bench/compare-peer.sh --rounds 5 --steps 5 --warmup 2 --batch 32
#   ./bench/compare-peer.sh --omp-wait default    leave OMP_WAIT_POLICY unset (see bench/README.md)
#   ./bench/compare-peer.sh --what train          training step of the best NB201 cell (C=16, N=1, 1x28x28) against
#                                                 bench/pytorch_train_nb201.py; --size 32 --in-channels 3 --batch 256 ...
#   ./bench/compare-peer.sh --what train --space mbv3 --size 32 --in-channels 3 [--arch '{"ks":[...],"e":[...],"d":[...]}']
#                                                 training step of an mbv3 subnet (default: the largest) against
#                                                 bench/pytorch_train_mbv3.py (same parameter count, checked)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-/usr/bin/python3}"
[ -x "$PY" ] || PY="$(command -v python3 || true)"
if [ -z "$PY" ] || ! "$PY" -c 'import torch' 2>/dev/null; then
  echo "compare-peer: needs python3 with PyTorch (Debian: apt-get install -y python3-torch); not found via ${PY:-python3}" >&2
  exit 2
fi
PEER="${PEER:-$ROOT/../shared/peers/pytorch_nb201_darts.py}"
[ -f "$PEER" ] || PEER=/work/shared/peers/pytorch_nb201_darts.py
[ -f "$PEER" ] && PEER="$(realpath "$PEER")"
if [ ! -f "$PEER" ]; then
  echo "compare-peer: peer script not found (set PEER=/path/to/pytorch_nb201_darts.py)" >&2
  exit 2
fi
# Build once up front so that no round pays for it.
"$ROOT/nas" --version >/dev/null
exec "$PY" "$ROOT/bench/compare_peer.py" --root "$ROOT" --python "$PY" --peer "$PEER" "$@"
