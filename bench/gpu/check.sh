#!/usr/bin/env bash
# The one prepared GPU check, for the device machine (nvcc and CUDA libraries, no Java):
#   builds libarchway_cpu and libarchway_cuda (sm_90 + PTX), builds bench/gpu/philox_check (CUDA vs
#   CPU streams, bit for bit, and the fill rate), runs it, and writes everything under $OUT
#   (or bench/gpu/out when OUT is unset). Exit status: the check's (0 pass, 1 fail, 2 no device).
# Usage from the repository root: bash bench/gpu/check.sh
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${OUT:-$ROOT/bench/gpu/out}"
mkdir -p "$OUT"
{
  echo "date: $(date -u +%FT%TZ)"; echo "host: $(hostname)"; nproc
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv 2>&1 || true
  nvcc --version 2>&1 | tail -1
} >"$OUT/machine.txt"
make -C "$ROOT/native" -s -j"$(nproc)" >"$OUT/build.log" 2>&1 && make -C "$ROOT/cuda-kernels" -s >>"$OUT/build.log" 2>&1 || {
  echo "build failed, see $OUT/build.log" >&2; tail -20 "$OUT/build.log" >&2; exit 1; }
nvcc -std=c++20 -O3 -gencode arch=compute_90,code=[sm_90,compute_90] -I"$ROOT/native/include" -I"$ROOT/cuda-kernels" \
  "$ROOT/bench/gpu/philox_check.cu" -L"$ROOT/native/build" -L"$ROOT/cuda-kernels/build" -larchway_cpu -larchway_cuda \
  -Xlinker -rpath="$ROOT/native/build:$ROOT/cuda-kernels/build" -o "$OUT/philox_check" >>"$OUT/build.log" 2>&1 || {
  echo "philox_check build failed, see $OUT/build.log" >&2; exit 1; }
"$OUT/philox_check" | tee "$OUT/philox.json"
exit "${PIPESTATUS[0]}"
