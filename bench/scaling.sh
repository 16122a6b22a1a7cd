#!/usr/bin/env bash
# Scaling table of the first-order DARTS search step: images/s and peak memory against the batch size
# (16..256 at N=5) and the cells per stage (N=1..5 at batch 64), NB201 supernet, one JVM per point.
# Writes bench/results/scaling-<date>.md (+ .json).
#   ./bench/scaling.sh                      cross (batch sweep at N=5, cell sweep at batch 64)
#   ./bench/scaling.sh --grid               every batch x cells combination (25 points, slow)
#   STEPS=3 WARMUP=1 THREADS=2 CHANNELS=16 SPACE=nb201 ./bench/scaling.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STEPS="${STEPS:-2}"; WARMUP="${WARMUP:-1}"; THREADS="${THREADS:-2}"; CHANNELS="${CHANNELS:-16}"
SPACE="${SPACE:-nb201}"; ALGO="${ALGO:-darts}"
BATCHES="${BATCHES:-16 32 64 128 256}"; CELLS="${CELLS:-1 2 3 4 5}"
GRID=0; [ "${1:-}" = "--grid" ] && GRID=1
"$ROOT/nas" --version >/dev/null   # build once, outside the measurements
points=()
if [ "$GRID" = 1 ]; then
  for n in $CELLS; do for b in $BATCHES; do points+=("$b:$n"); done; done
else
  for b in $BATCHES; do points+=("$b:5"); done
  for n in $CELLS; do [ "$n" = 5 ] || points+=("64:$n"); done
fi
mkdir -p "$ROOT/bench/results"
STAMP="$(date +%Y%m%d-%H%M%S)"
TMP="$(mktemp)"
trap 'rm -f "$TMP"' EXIT
for p in "${points[@]}"; do
  b="${p%%:*}"; n="${p##*:}"
  cmd=("$ROOT/nas" bench step --space "$SPACE" --algo "$ALGO" --batch "$b" --size 32 --in-channels 3
       --channels "$CHANNELS" --cells "$n" --steps "$STEPS" --warmup "$WARMUP" --threads "$THREADS" --json)
  echo "scaling: batch $b, cells $n ..." >&2
  echo "$(printf '%q ' "${cmd[@]}")" >"$TMP.cmd"
  "${cmd[@]}" | python3 -c 'import json,sys; d=json.load(sys.stdin); d["loadavg"]=open("/proc/loadavg").read().split()[:3]; d["command"]=open(sys.argv[1]).read().strip(); print(json.dumps(d))' "$TMP.cmd" >>"$TMP"
done
rm -f "$TMP.cmd"
python3 - "$TMP" "$ROOT/bench/results/scaling-$STAMP" "$SPACE" "$ALGO" "$STEPS" "$WARMUP" "$THREADS" "$CHANNELS" <<'PY'
import json, os, sys, platform
src, stem, space, algo, steps, warmup, threads, channels = sys.argv[1:]
rows = [json.loads(l) for l in open(src) if l.strip()]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown")
json.dump({"machine": {"nproc": os.cpu_count(), "cpu": cpu, "kernel": platform.release()}, "points": rows},
          open(stem + ".json", "w"), indent=2)
out = [f"# Search-step scaling: {space} supernet, {algo}, C={channels}, {threads} threads",
       "",
       f"- machine: {os.cpu_count()} CPUs, {cpu}; timings on a small shared machine are noisy"
       f" (load average per point in the last column)",
       f"- each point: one JVM, `nas bench step` with {steps} timed steps after {warmup} warm-up, random 3x32x32 data;"
       f" images/s counts both batches of a step (2 x batch)",
       f"- command per point: `{rows[0]['command'] if rows else ''}` (batch / cells varied)",
       f"- space: {space} (cells: per stage for nb201, in total for darts); OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', '(unset)')}",
       "",
       "| batch | cells N | images/s | s/step | p50 step ms | peak RSS MiB | arena MiB | load avg |",
       "|---:|---:|---:|---:|---:|---:|---:|---|"]
for d in rows:
    out.append(f"| {d['batch']} | {d['cells']} | {d['images_per_s']:.1f} | {d['sec_per_step']:.3f} | "
               f"{d['step_latency_ms']['p50']:.0f} | {d['peak_rss_mb']:.0f} | {d['memory']['workspace_mb']:.0f} | "
               f"{' '.join(d['loadavg'])} |")
open(stem + ".md", "w").write("\n".join(out) + "\n")
print("\n".join(out))
print(f"\nwritten: {stem}.md and {stem}.json", file=sys.stderr)
PY
