#!/usr/bin/env bash
# The one prepared GPU check, for the device machine (nvcc and CUDA libraries, no Java, no network):
#   1. builds libarchway_cpu and libarchway_cuda (sm_90 + PTX, warnings as errors);
#   2. builds and runs bench/gpu/philox_check (CUDA vs CPU Philox streams, bit for bit, fill rate);
#   3. builds and runs bench/gpu/kernel_check: every archway_cuda_* kernel against libarchway_cpu on the
#      same random data, then timed (median of 50 CUDA-event runs) with GB/s against the measured
#      device-to-device copy bandwidth;
#   4. bench/gpu/backend.sh: the CUDA backend's equivalence checks and nas bench step --device cuda vs the
#      PyTorch peer (needs target/jre + java/target/archway.jar carried, see scripts/jlink-runtime.sh).
# Everything goes under $OUT (or bench/gpu/out when OUT is unset): machine.txt, build.log, philox.json,
# kernels.jsonl (one JSON object per check / timing) and gpu-kernels.md (the table for bench/results/).
# Exit status: 0 all checks pass, 1 a build or check failed, 2 no usable CUDA device. Sized to finish well
# inside 8 minutes (an estimate: never run on a GPU yet); `timeout` caps each part.
# Usage from the repository root: bash bench/gpu/check.sh
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${OUT:-$ROOT/bench/gpu/out}"
mkdir -p "$OUT"
{
  echo "date: $(date -u +%FT%TZ)"; echo "host: $(hostname)"; echo "cpu threads: $(nproc)"
  lscpu 2>/dev/null | grep -m1 'Model name' || true
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv 2>&1 || true
  nvcc --version 2>&1 | tail -1
  echo "commit: $(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)"
} >"$OUT/machine.txt"
command -v nvcc >/dev/null || { echo "check.sh: nvcc not found on PATH" >&2; exit 1; }
NVFLAGS=(-std=c++20 -O2 -Werror all-warnings -gencode "arch=compute_90,code=[sm_90,compute_90]"
         -I"$ROOT/native/include" -L"$ROOT/native/build" -L"$ROOT/cuda-kernels/build" -larchway_cpu -larchway_cuda
         -Xlinker -rpath="$ROOT/native/build:$ROOT/cuda-kernels/build")
{ make -C "$ROOT/native" -s -j"$(nproc)" && make -C "$ROOT/cuda-kernels" -s -j"$(nproc)" &&
  nvcc "${NVFLAGS[@]}" "$ROOT/bench/gpu/philox_check.cu" -o "$OUT/philox_check" &&
  nvcc "${NVFLAGS[@]}" "$ROOT/bench/gpu/kernel_check.cu" -o "$OUT/kernel_check"; } >"$OUT/build.log" 2>&1 || {
  echo "check.sh: build failed, see $OUT/build.log" >&2; tail -20 "$OUT/build.log" >&2; exit 1; }
timeout 60 "$OUT/philox_check" | tee "$OUT/philox.json"
philox=${PIPESTATUS[0]}
[ "$philox" = 2 ] && { echo "check.sh: no usable CUDA device, nothing measured" >&2; exit 2; }
timeout 120 "$OUT/kernel_check" "$OUT/gpu-kernels.md" >"$OUT/kernels.jsonl"
kernels=$?
grep -E '"FAIL"|summary|error' "$OUT/kernels.jsonl" || true
echo "check.sh: philox exit $philox, kernel_check exit $kernels; results in $OUT" >&2

# ---------------------------------------------------------------- 4. the CUDA backend (bench/gpu/backend.sh)
# Needs the carried Java runtime, jar and test classes (scripts/jlink-runtime.sh, then carry target/jre,
# java/target/archway.jar and target/gpu-tests): GPU equivalence tests, then nas bench step --device cuda against the PyTorch peer.
backend=0
if [ -x "$ROOT/target/jre/bin/java" ] && [ -f "$ROOT/java/target/archway.jar" ]; then
  timeout 330 bash "$ROOT/bench/gpu/backend.sh"
  backend=$?
else
  echo "check.sh: no target/jre or java/target/archway.jar carried: CUDA backend section skipped" >&2
  backend=3
fi
echo "check.sh: philox exit $philox, kernel_check exit $kernels, backend exit $backend" >&2
[ "$philox" = 0 ] && [ "$kernels" = 0 ] && [ "$backend" = 0 ]
