#!/usr/bin/env bash
# The CUDA backend on the device machine (part 4 of check.sh; runs alone too, after parts 1-3 built the
# native libraries). NEVER RUN ON A GPU YET: the backend and this script are unverified on hardware.
#   a. the GPU tests (archway.GpuTests: CPU vs CUDA search steps, graph replay vs eager, seeded rerun,
#      backend-ops harness) on the carried runtime;
#   b. the NB201 supernet step (C=16, N=5, 32x32x3) at batch 64 and 256: `nas bench step --device cuda`
#      alternating with the PyTorch peer (eager, then --compile reduce-overhead), ROUNDS rounds (default 1,
#      to stay inside check.sh's 8 minutes: torch.compile alone takes about a minute); images/s
#      ratios and peak GPU memory (nvidia-smi, whole process, sampled every 50 ms, both engines alike;
#      the peer also reports torch's own allocator peak) into $OUT/gpu-backend.md and backend.jsonl.
# Needs target/jre, java/target/archway.jar, target/gpu-tests (scripts/jlink-runtime.sh builds them).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${OUT:-$ROOT/bench/gpu/out}"
mkdir -p "$OUT"
JAVA="$ROOT/target/jre/bin/java"
PEER="$ROOT/bench/gpu/peer/pytorch_nb201_darts.py"
# One directory holding both of Archway's native libraries (built by check.sh parts 1-3 or make).
NATIVE="$OUT/native"
mkdir -p "$NATIVE"
cp "$ROOT/native/build/libarchway_cpu.so" "$ROOT/cuda-kernels/build/libarchway_cuda.so" "$NATIVE/" || {
  echo "backend.sh: build libarchway_cpu / libarchway_cuda first (make -C native; make -C cuda-kernels)" >&2; exit 1; }
# cuBLAS / cuDNN: the CUDA toolkit's lib64 and the NVIDIA wheels inside the Python packages.
PYLIBS=$(python3 - <<'PY' 2>/dev/null
import glob, os, site, sys
roots = site.getsitepackages() + [site.getusersitepackages()]
dirs = sorted({os.path.dirname(p) for r in roots for p in glob.glob(os.path.join(r, "nvidia", "*", "lib", "lib*.so*"))})
print(":".join(dirs))
PY
)
export LD_LIBRARY_PATH="${PYLIBS:+$PYLIBS:}/usr/local/cuda/lib64:${LD_LIBRARY_PATH:-}"
{
  echo "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
  for l in libcudart.so.13 libcublas.so.13 libcudnn.so.9 libcuda.so.1; do
    echo "$l: $(ldconfig -p 2>/dev/null | grep -m1 "$l" | awk '{print $NF}') $(for d in ${LD_LIBRARY_PATH//:/ }; do [ -e "$d/$l" ] && echo "$d/$l"; done | head -1)"
  done
} >"$OUT/backend-libs.txt"
JOPTS=(--enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -Darchway.native.dir="$NATIVE" -Dorg.bytedeco.javacpp.cachedir="$OUT/javacpp-cache")

# a. GPU tests
GT="$ROOT/target/gpu-tests"
tests=0
timeout 80 "$JAVA" "${JOPTS[@]}" -cp "$ROOT/java/target/archway.jar:$GT/classes:$GT/lib/*" archway.GpuTests \
  >"$OUT/gpu-tests.txt" 2>&1 || tests=$?
tail -25 "$OUT/gpu-tests.txt"

# b. throughput and memory, alternating engines
peak_mem() {  # runs "$@", prints "<exit> <peak MiB over the baseline>" (nvidia-smi samples, GPU 0)
  local base log pid rc peak
  base=$(nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -i 0 | head -1)
  log=$(mktemp)
  nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -i 0 -lms 50 >"$log" 2>/dev/null &
  pid=$!
  "$@"
  rc=$?
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  peak=$(sort -n "$log" | tail -1)
  rm -f "$log"
  echo "$rc $(( ${peak:-0} - ${base:-0} ))"
}
: >"$OUT/backend.jsonl"
for round in $(seq 1 "${ROUNDS:-1}"); do
  for b in 64 256; do
    read -r rc mem < <(peak_mem timeout 40 "$JAVA" "${JOPTS[@]}" -jar "$ROOT/java/target/archway.jar" bench step \
      --device cuda --batch "$b" --channels 16 --cells 5 --size 32 --steps 20 --warmup 3 --json \
      --out "$OUT/archway-b$b-r$round.json" >/dev/null 2>"$OUT/archway-b$b-r$round.err")
    echo "{\"engine\":\"archway\",\"batch\":$b,\"round\":$round,\"exit\":$rc,\"peak_gpu_mib_smi\":$mem,\"result\":$(cat "$OUT/archway-b$b-r$round.json" 2>/dev/null || echo null)}" >>"$OUT/backend.jsonl"
    for mode in none reduce-overhead; do
      read -r rc mem < <(peak_mem timeout 90 python3 "$PEER" --device cuda --compile "$mode" --batch "$b" --C 16 --N 5 \
        --size 32 --steps 20 --warmup 3 >"$OUT/peer-$mode-b$b-r$round.json" 2>"$OUT/peer-$mode-b$b-r$round.err")
      echo "{\"engine\":\"pytorch-$mode\",\"batch\":$b,\"round\":$round,\"exit\":$rc,\"peak_gpu_mib_smi\":$mem,\"result\":$(tail -1 "$OUT/peer-$mode-b$b-r$round.json" 2>/dev/null | grep '^{' || echo null)}" >>"$OUT/backend.jsonl"
    done
  done
done
python3 - "$OUT/backend.jsonl" "$OUT/gpu-backend.md" <<'PY'
import json, sys, statistics as st
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def ips(r):
    res = r.get("result") or {}
    return res.get("images_per_s")
out = ["# CUDA backend vs PyTorch peer (NB201 supernet step, C=16, N=5, 32x32x3)", "",
       "| batch | engine | images/s (median of rounds) | Archway / engine | peak GPU MiB (nvidia-smi) | exits |",
       "|---|---|---|---|---|---|"]
for b in sorted({r["batch"] for r in rows}):
    med = {}
    for e in ["archway", "pytorch-none", "pytorch-reduce-overhead"]:
        rs = [r for r in rows if r["batch"] == b and r["engine"] == e]
        v = [ips(r) for r in rs if ips(r)]
        med[e] = st.median(v) if v else None
        mem = max((r["peak_gpu_mib_smi"] for r in rs), default=None)
        ratio = (f"{med['archway'] / med[e]:.2f}x" if med.get("archway") and med[e] else "n/a")
        out.append(f"| {b} | {e} | {med[e] if med[e] else 'failed'} | {ratio} | {mem} | {[r['exit'] for r in rs]} |")
open(sys.argv[2], "w").write("\n".join(out) + "\n")
print("\n".join(out))
PY
echo "backend.sh: GPU tests exit $tests; results in $OUT" >&2
[ "$tests" = 0 ] && ! grep -q '"exit":[1-9]' "$OUT/backend.jsonl"
