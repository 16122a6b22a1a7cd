#!/usr/bin/env bash
# The one prepared GPU check (first run on an NVIDIA H200 on 2026-11-30: bench/results/gpu-h200-2026-11-30.md).
# For the device machine: nvcc, python3 with PyTorch (cuBLAS and cuDNN inside its nvidia
# wheels), no Java, no network. Java comes in target/gpu-carry/carry.tar.gz (scripts/gpu-carry.sh).
#   1. build: libarchway_cpu, libarchway_cuda (sm_90 + PTX, warnings as errors), philox_check, kernel_check;
#   2. philox_check: CUDA vs CPU Philox streams, bit for bit, and the fill rate;
#   3. kernel_check: every archway_cuda_* kernel against libarchway_cpu on the same random data, then timed
#      (median of 50 CUDA-event runs) with GB/s against the device-to-device copy bandwidth;
#   4. the GPU JUnit tests (archway.GpuTests: CPU vs CUDA search steps, graph replay vs eager, seeded rerun,
#      backend-ops harness, Philox, reductions past the tile cap, a FlatNAS trial on a runner thread) on the
#      carried runtime;
#   5. end to end, as a user runs it, with --device cuda: the README's search (`nas search --epochs 3
#      --channels 8 --cells 1`), a 2-epoch `nas train` of the best NB201 cell, one epoch each of ZO-DARTS++,
#      A2M and beta-DARTS, and a one-iteration FlatNAS and NACHOS search: result.json, wall time;
#   6. the NB201 supernet step (C=16, N=5, 32x32x3) at batch 64 and 256: `nas bench step --device cuda`
#      alternating with the PyTorch peer (eager; PEER_MODES="none reduce-overhead" adds the compiled peer), ROUNDS
#      rounds (default 1): images/s ratios and peak GPU memory (nvidia-smi every 50 ms, whole process, both
#      engines alike; the peer also reports its allocator's peak).
# Without a usable CUDA device parts 2-6 still run as far as they can (the tests report their skips, the
# bench step its one-line error), so a machine without a GPU dry-runs the whole script.
#
# Output under $OUT (else bench/gpu/out), at most 8 files since the device tool returns no more:
#   summary.md (exit status of each part, the tables), check.log (everything printed), machine.txt,
#   gpu-kernels.md, gpu-backend.md, gpu-e2e.md, results.tar.gz (every raw file: build.log, philox.json, kernels.jsonl,
#   gpu-tests.txt, backend.jsonl, each run's JSON and stderr, the libraries found).
# Exit status: 0 every part passed; 1 a build, check or test failed; 2 no usable CUDA device; 3 no carry
# (parts 4-6 need it). Each part has a time cap and the whole stays inside DEADLINE seconds (default 465,
# inside the 8 minutes the check is sized for); what ran out of time is marked in summary.md.
# Usage from the repository root: bash bench/gpu/check.sh
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${OUT:-$ROOT/bench/gpu/out}"
CARRY="${CARRY:-$ROOT/target/gpu-carry/carry.tar.gz}"
DEADLINE="${DEADLINE:-465}"
ROUNDS="${ROUNDS:-1}"
# The PyTorch peer's modes: eager by default. The compiled one (reduce-overhead: CUDA graphs through
# TorchInductor) compiles the whole supernet first, which outlasted 150 s per batch on the H200 (16 cores):
# add it with PEER_MODES="none reduce-overhead" and a PEER_COMPILE_CAP (seconds per run) that fits.
PEER_MODES="${PEER_MODES:-none}"
PEER_COMPILE_CAP="${PEER_COMPILE_CAP:-150}"
# More arguments for the peer, e.g. --no-tf32: PyTorch lets cuDNN run float32 convolutions on TF32 tensor cores
# by default, Archway runs them in FP32 FMA; --no-tf32 compares the same arithmetic.
PEER_ARGS="${PEER_ARGS:-}"
mkdir -p "$OUT"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/archway-gpu.XXXXXX")"
RES="$WORK/results"   # raw files, packed into $OUT/results.tar.gz at the end
mkdir -p "$RES" "$WORK/bin"
exec > >(tee "$OUT/check.log") 2>&1

declare -A STATUS   # part -> "exit N" / "skipped: why"
PARTS=(build philox kernels gpu-tests e2e throughput)
# Seconds a part may take: its cap, or less when the deadline is nearer (at least 1: `timeout 0` never stops).
budget() { local left=$((DEADLINE - SECONDS - 20)); ((left < $1)) && echo $((left > 1 ? left : 1)) || echo "$1"; }
note() { echo "check.sh: $*"; }

finish() {
  local code=$1
  {
    echo "# GPU check $(date -u +%FT%TZ)"
    echo
    echo "Commit ${COMMIT:-$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)}; $(grep -m1 'Model name' "$OUT/machine.txt" 2>/dev/null | sed 's/  */ /g');"
    echo "GPU: $(sed -n 2p "$OUT/machine.txt" 2>/dev/null)"
    echo
    echo "| part | result |"
    echo "|---|---|"
    for p in "${PARTS[@]}"; do echo "| $p | ${STATUS[$p]:-not reached} |"; done
    echo
    echo "check.sh exit status: $code ($SECONDS s)"
    for f in gpu-e2e.md gpu-backend.md gpu-kernels.md; do [ -f "$OUT/$f" ] && { echo; cat "$OUT/$f"; }; done
  } >"$OUT/summary.md"
  tar -czf "$OUT/results.tar.gz" -C "$WORK" results 2>/dev/null
  note "exit $code after $SECONDS s; summary in $OUT/summary.md"
  cat "$OUT/summary.md" | sed -n '5,20p'
  rm -rf "$WORK"
  exit "$code"
}

{
  echo "date: $(date -u +%FT%TZ)"
  if command -v nvidia-smi >/dev/null; then
    nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>&1 | head -1
  else echo "no nvidia-smi on PATH"; fi
  echo "host: $(hostname)"; echo "cpu threads: $(nproc)"
  lscpu 2>/dev/null | grep -m1 'Model name' || true
  nvcc --version 2>&1 | tail -1
  python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "cudnn", torch.backends.cudnn.version())' 2>&1 | tail -1
  echo "commit: ${COMMIT:-$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)}"
} >"$OUT/machine.txt"
cat "$OUT/machine.txt"

# ---------------------------------------------------------------- 1. build
command -v nvcc >/dev/null || { STATUS[build]="nvcc not found on PATH"; finish 1; }
NVFLAGS=(-std=c++20 -O2 -Werror all-warnings -gencode "arch=compute_90,code=[sm_90,compute_90]"
         -I"$ROOT/native/include" -L"$ROOT/native/build" -L"$ROOT/cuda-kernels/build" -larchway_cpu -larchway_cuda
         -Xlinker -rpath="$ROOT/native/build:$ROOT/cuda-kernels/build")
if timeout "$(budget 240)" bash -c "make -C '$ROOT/native' -s -j$(nproc) && make -C '$ROOT/cuda-kernels' -s -j$(nproc) &&
    nvcc ${NVFLAGS[*]@Q} '$ROOT/bench/gpu/philox_check.cu' -o '$WORK/bin/philox_check' &&
    nvcc ${NVFLAGS[*]@Q} '$ROOT/bench/gpu/kernel_check.cu' -o '$WORK/bin/kernel_check'" >"$RES/build.log" 2>&1; then
  STATUS[build]="exit 0"
else
  rc=$?
  STATUS[build]="failed$( ((rc == 124)) && echo ' at its time cap') (results.tar.gz: results/build.log)"
  tail -20 "$RES/build.log"
  finish 1
fi

# ---------------------------------------------------------------- 2-3. kernel checks
timeout "$(budget 60)" "$WORK/bin/philox_check" >"$RES/philox.json"
philox=$?
cat "$RES/philox.json"
STATUS[philox]="exit $philox"
nodevice=0
if [ "$philox" = 2 ]; then
  nodevice=1
  STATUS[philox]="exit 2: no usable CUDA device"
  STATUS[kernels]="skipped: no usable CUDA device"
else
  timeout "$(budget 120)" "$WORK/bin/kernel_check" "$OUT/gpu-kernels.md" >"$RES/kernels.jsonl"
  kernels=$?
  STATUS[kernels]="exit $kernels$( ((kernels == 124)) && echo ' (time cap)')"
  grep -E '"FAIL"|summary|error' "$RES/kernels.jsonl" || true
fi

# ---------------------------------------------------------------- 4-5. the CUDA backend (carried Java)
if [ ! -f "$CARRY" ]; then
  STATUS[gpu-tests]="skipped: no $CARRY (run scripts/gpu-carry.sh and carry target/gpu-carry)"
  STATUS[e2e]="${STATUS[gpu-tests]}"
  STATUS[throughput]="${STATUS[gpu-tests]}"
  finish $((nodevice ? 2 : 3))
fi
tar -xzf "$CARRY" -C "$WORK" || { STATUS[gpu-tests]="carry.tar.gz could not be unpacked"; finish 1; }
JAVA="$WORK/jre/bin/java"
NATIVE="$WORK/native"   # both of Archway's libraries in one folder, as built in part 1
mkdir -p "$NATIVE"
cp "$ROOT/native/build/libarchway_cpu.so" "$ROOT/cuda-kernels/build/libarchway_cuda.so" "$NATIVE/"
# libcudart / libcublas / libcudnn: the NVIDIA wheels inside the Python packages, then the toolkit.
PYLIBS=$(python3 - <<'PY' 2>/dev/null
import glob, os, site
roots = site.getsitepackages() + [site.getusersitepackages()]
libs = [p for r in roots for pat in ("nvidia/*/lib/lib*.so*", "nvidia/*/*/lib/lib*.so*") for p in glob.glob(os.path.join(r, pat))]
print(":".join(sorted({os.path.dirname(p) for p in libs})))
PY
)
export LD_LIBRARY_PATH="${PYLIBS:+$PYLIBS:}/usr/local/cuda/lib64:${LD_LIBRARY_PATH:-}"
{
  echo "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
  for l in libcuda.so.1 libcudart.so.13 libcublas.so.13 libcublasLt.so.13 libcudnn.so.9; do
    found=$(for d in ${LD_LIBRARY_PATH//:/ }; do [ -e "$d/$l" ] && echo "$d/$l"; done | head -1)
    echo "$l: ${found:-$(ldconfig -p 2>/dev/null | grep -m1 " $l " | awk '{print $NF}')}"
  done
} | tee "$RES/libs.txt"
JOPTS=(--enable-native-access=ALL-UNNAMED --add-exports java.base/jdk.internal.misc=ALL-UNNAMED
       --sun-misc-unsafe-memory-access=allow -XX:+UseParallelGC -Djava.awt.headless=true -Darchway.native.dir="$NATIVE"
       -Darchway.repo.root="$ROOT" -Dorg.bytedeco.javacpp.cachedir="$WORK/javacpp" -XX:ErrorFile="$RES/hs_err_%p.log")
CP="$WORK/lib/*"

# 4. GPU JUnit tests
timeout "$(budget 120)" "$JAVA" "${JOPTS[@]}" -cp "$CP:$WORK/tests/classes:$WORK/tests/lib/*" archway.GpuTests \
  >"$RES/gpu-tests.txt" 2>&1
tests=$?
tail -30 "$RES/gpu-tests.txt"
STATUS[gpu-tests]="exit $tests: $(grep -E 'tests (successful|failed|skipped|aborted)' "$RES/gpu-tests.txt" | tr -s ' ' | paste -sd, -)"

# 5. end to end: the README's search and a short training run, on the GPU
e2e() {  # name cap args...: runs `nas ARGS --device cuda --out DIR`; appends a row to gpu-e2e.md
  local name=$1 cap=$2 t rc start secs dir="$RES/e2e-$1"
  shift 2
  t=$(budget "$cap"); ((t > 5)) || { echo "| $name | skipped (deadline) | | |" >>"$OUT/gpu-e2e.md"; return 1; }
  start=$SECONDS
  # cuDNN's own log of errors (level 1), so that a failing call says which CUDA call broke inside it.
  CUDNN_LOGLEVEL_DBG=1 CUDNN_LOGDEST_DBG="$RES/e2e-$name.cudnn.log" \
    timeout "$t" "$JAVA" "${JOPTS[@]}" -cp "$CP" archway.cli.Main "$@" --device cuda --out "$dir" \
    >"$RES/e2e-$name.out" 2>"$RES/e2e-$name.err"
  rc=$?
  secs=$((SECONDS - start))
  tail -3 "$RES/e2e-$name.err"
  echo "| $name | exit $rc | $secs | $(tr -d '\n' <"$dir/result.json" 2>/dev/null | cut -c1-400) |" >>"$OUT/gpu-e2e.md"
  return "$rc"
}
{
  echo "## End to end on the GPU (--device cuda)"
  echo
  echo "| run | exit | wall s | result.json (first 400 characters) |"
  echo "|---|---|---|---|"
} >"$OUT/gpu-e2e.md"
e2e_bad=0
e2e search 90 search --epochs 3 --channels 8 --cells 1 || e2e_bad=1
e2e train 90 train --space nb201 --epochs 2 --seed 1 \
  --arch '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|' || e2e_bad=1
# The algorithms no GPU run had reached by 2026-11-30: one epoch each.
e2e search-zo-darts-pp 60 search --algo zo-darts-pp --epochs 1 --channels 8 --cells 1 || e2e_bad=1
e2e search-a2m 60 search --algo a2m --epochs 1 --channels 8 --cells 1 || e2e_bad=1
e2e search-beta-darts 60 search --base beta-darts --epochs 1 --channels 8 --cells 1 || e2e_bad=1
# Evolutionary searches: trials on the GPU from a trial runner's thread (TrialDevice, DeviceBoundEvaluator).
e2e search-flatnas 60 search --algo flatnas --space mbv3 --iterations 1 --initial 3 --candidates 1 --trial-epochs 1 \
  --train-limit 256 --batch 32 --flatness-draws 2 --test-limit 128 --ood-limit 16 || e2e_bad=1
e2e search-nachos 60 search --algo nachos --space mbv3 --macs-max 5e6 --iterations 1 --initial 3 --candidates 1 \
  --trial-epochs 1 --train-limit 256 --batch 32 || e2e_bad=1
if grep -qh "CUDA graph capture" "$RES"/e2e-*.err 2>/dev/null; then
  { echo; echo "Graph captures that failed (those ranges ran eagerly):"; echo
    grep -h "CUDA graph capture" "$RES"/e2e-*.err | sort | uniq -c | head -5 | sed 's/^/    /'; } >>"$OUT/gpu-e2e.md"
fi
cat "$OUT/gpu-e2e.md"
STATUS[e2e]="$( ((e2e_bad)) && echo "a run failed or was skipped (results.tar.gz: results/e2e-*)" || echo "exit 0")"

# 6. throughput and memory, the engines alternating
peak_mem() {  # stdout-file stderr-file command...: runs it; prints "<exit> <peak MiB over idle, nvidia-smi, GPU 0>"
  local out=$1 err=$2 base log pid rc peak
  shift 2
  base=$(nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -i 0 2>/dev/null | head -1)
  log=$(mktemp)
  nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -i 0 -lms 50 >"$log" 2>/dev/null &
  pid=$!
  "$@" >"$out" 2>"$err"
  rc=$?
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  peak=$(grep -E '^[0-9]+$' "$log" | sort -n | tail -1)
  rm -f "$log"
  echo "$rc $(( ${peak:-0} - ${base:-0} ))"
}
row() {  # engine batch round exit mem result-file
  local res
  # The result file: one JSON document (Archway pretty-prints it; the peer prints one line).
  res=$(python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1]))))' "$6" 2>/dev/null)
  echo "{\"engine\":\"$1\",\"batch\":$2,\"round\":$3,\"exit\":${4:-null},\"peak_gpu_mib_smi\":${5:-null},\"result\":${res:-null}}" >>"$RES/backend.jsonl"
}
: >"$RES/backend.jsonl"
timed_out=""
for round in $(seq 1 "$ROUNDS"); do
  for b in 64 256; do
    t=$(budget 60); ((t > 5)) || { timed_out=" (deadline: later runs skipped)"; break 2; }
    read -r rc mem < <(peak_mem /dev/null "$RES/archway-b$b-r$round.err" timeout "$t" "$JAVA" "${JOPTS[@]}" -cp "$CP" \
      archway.cli.Main bench step --device cuda --batch "$b" --channels 16 --cells 5 --size 32 --steps 20 --warmup 3 \
      --json --out "$RES/archway-b$b-r$round.json")
    row archway "$b" "$round" "$rc" "$mem" "$RES/archway-b$b-r$round.json"
    if ((nodevice)); then
      head -3 "$RES/archway-b$b-r$round.err"
      continue   # the peer needs the GPU as much: nothing to compare
    fi
    # The same step with convolution algorithms chosen by timing (cudnnFind*Ex) instead of the heuristic.
    t=$(budget 60); ((t > 5)) || { timed_out=" (deadline: later runs skipped)"; break 2; }
    read -r rc mem < <(peak_mem /dev/null "$RES/archway-find-b$b-r$round.err" timeout "$t" "$JAVA" "${JOPTS[@]}" \
      -Darchway.cuda.conv.algo=find -cp "$CP" archway.cli.Main bench step --device cuda --batch "$b" --channels 16 \
      --cells 5 --size 32 --steps 20 --warmup 3 --json --out "$RES/archway-find-b$b-r$round.json")
    row archway-find "$b" "$round" "$rc" "$mem" "$RES/archway-find-b$b-r$round.json"
    for mode in $PEER_MODES; do
      t=$(budget $([ "$mode" = none ] && echo 60 || echo "$PEER_COMPILE_CAP")); ((t > 5)) || { timed_out=" (deadline: later runs skipped)"; break 3; }
      read -r rc mem < <(peak_mem "$RES/peer-$mode-b$b-r$round.json" "$RES/peer-$mode-b$b-r$round.err" timeout "$t" \
        python3 "$ROOT/bench/gpu/peer/pytorch_nb201_darts.py" --device cuda --compile "$mode" --batch "$b" --C 16 --N 5 \
        --size 32 --steps 20 --warmup 3 $PEER_ARGS)
      row "pytorch-$mode" "$b" "$round" "$rc" "$mem" "$RES/peer-$mode-b$b-r$round.json"
    done
  done
done
# Where the device time of Archway's step goes: one profiled run (eager, a stream synchronisation after
# every plan step, so each step's time is its device work; the phases outside the plans are not in it).
t=$(budget 60)
if ((t > 5)) && ! ((nodevice)); then
  timeout "$t" "$JAVA" "${JOPTS[@]}" -Darchway.plan.profile=true -cp "$CP" archway.cli.Main bench step --device cuda \
    --batch 64 --channels 16 --cells 5 --size 32 --steps 5 --warmup 2 --json --out "$RES/archway-b64-profile.json" \
    >/dev/null 2>"$RES/archway-b64-profile.err" || head -3 "$RES/archway-b64-profile.err"
fi
# The training step of a discrete network on the GPU (the best NB201 cell, C=16, N=1, batch 256, 3x32x32), the
# number evolutionary searches are made of: Archway, then the PyTorch training peer (eager, its defaults).
t=$(budget 45)
if ((t > 5)) && ! ((nodevice)); then
  timeout "$t" "$JAVA" "${JOPTS[@]}" -cp "$CP" archway.cli.Main bench train --device cuda --batch 256 --size 32 \
    --in-channels 3 --steps 20 --warmup 5 --json --out "$RES/archway-train-b256.json" \
    >/dev/null 2>"$RES/archway-train-b256.err" || head -3 "$RES/archway-train-b256.err"
  t=$(budget 45)
  ((t > 5)) && { timeout "$t" python3 "$ROOT/bench/pytorch_train_nb201.py" --device cuda --batch 256 --size 32 \
    --channels 3 --steps 20 --warmup 5 >"$RES/peer-train-b256.json" 2>"$RES/peer-train-b256.err" \
    || head -3 "$RES/peer-train-b256.err"; }
fi
python3 - "$RES/backend.jsonl" "$OUT/gpu-backend.md" "$RES/archway-b64-profile.json" "$RES/archway-train-b256.json" \
  "$RES/peer-train-b256.json" <<'PY'
import json, sys, statistics as st
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
ips = lambda r: (r.get("result") or {}).get("images_per_s")
out = ["## CUDA backend vs PyTorch peer (NB201 supernet step, C=16, N=5, 32x32x3)", "",
       "Archway runs with cuDNN's heuristic algorithm choice (the default) and with -Darchway.cuda.conv.algo=find.", "",
       "| batch | engine | images/s (median of rounds) | Archway / engine | Archway find / engine | peak GPU MiB (nvidia-smi) | peak MiB (torch allocator) | exits |",
       "|---|---|---|---|---|---|---|---|"]
for b in sorted({r["batch"] for r in rows}):
    med = {}
    for e in ["archway", "archway-find", "pytorch-none", "pytorch-reduce-overhead"]:
        rs = [r for r in rows if r["batch"] == b and r["engine"] == e]
        if not rs:
            continue
        v = [ips(r) for r in rs if ips(r)]
        med[e] = st.median(v) if v else None
        mem = max((r["peak_gpu_mib_smi"] or 0) for r in rs)
        alloc = max(((r.get("result") or {}).get("peak_gpu_mb") or 0) for r in rs) or "-"
        ratio = lambda a: f"{med[a] / med[e]:.2f}x" if med.get(a) and med[e] else "n/a"
        shown = f"{med[e]:.0f}" if med[e] else "failed"
        out.append(f"| {b} | {e} | {shown} | {ratio('archway')} | {ratio('archway-find')} | {mem} | {alloc} | {[r['exit'] for r in rs]} |")
try:
    prof = json.load(open(sys.argv[3])).get("profile_s_per_step") or {}
except (OSError, ValueError):
    prof = {}
if prof:
    total = sum(prof.values())
    out += ["", f"### Profile, batch 64 (eager, synchronised per plan step): {total * 1e3:.2f} ms of plan steps per step", "",
            "| plan step | ms per step | share |", "|---|---|---|"]
    for k, v in sorted(prof.items(), key=lambda kv: -kv[1])[:15]:
        out.append(f"| {k} | {v * 1e3:.3f} | {v / total:.1%} |")
def load(path):
    try:
        return json.load(open(path))
    except (OSError, ValueError):
        return {}
train, peer = load(sys.argv[4]), load(sys.argv[5])
line = "Training step, best NB201 cell (C=16, N=1), batch 256, 3x32x32: "
if train.get("images_per_s"):
    line += f"Archway {train['images_per_s']:.0f} images/s ({train['sec_per_step'] * 1e3:.2f} ms per step)"
    if peer.get("images_per_s"):
        line += (f", PyTorch {peer['images_per_s']:.0f} images/s (TF32 convolutions: {peer.get('tf32_convolutions')}): "
                 f"{train['images_per_s'] / peer['images_per_s']:.2f}x")
    out += ["", line + "."]
else:
    out += ["", "Training step (nas bench train --device cuda): no result."]
open(sys.argv[2], "w").write("\n".join(out) + "\n")
print("\n".join(out))
PY
bad=$(grep -c '"exit":[1-9]' "$RES/backend.jsonl")
STATUS[throughput]="$(wc -l <"$RES/backend.jsonl") runs, $bad failed$timed_out"

if ((nodevice)); then
  finish 2
fi
[ "${STATUS[build]}" = "exit 0" ] && [ "$philox" = 0 ] && [ "${kernels:-1}" = 0 ] && [ "$tests" = 0 ] && [ "$e2e_bad" = 0 ] && [ "$bad" = 0 ] \
  && [ -z "$timed_out" ] && finish 0
finish 1
