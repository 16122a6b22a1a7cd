#!/usr/bin/env bash
# The ZO-DARTS+ speed claim (issue 18 item 5: "search time cut up to 3x"): darts, darts2 and zo-darts-plus
# on the NB201 space, fashion-mnist-mini, same size; writes bench/results/zo-speed-<tag>.md and .png
# (SpeedReport.java): search wall time, per-epoch images/s, share of zero sparsemax weights, and the
# NAS-Bench-201 CIFAR-10 accuracy of each result.
#
# Full length: EPOCHS=50 CHANNELS=8 CELLS=1 (three searches, several hours on a quiet 2-core machine).
# Reduced (a smoke run, no conclusion): EPOCHS=8 CHANNELS=4 TRAIN_LIMIT=1024.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
EPOCHS=${EPOCHS:-50}
CHANNELS=${CHANNELS:-8}
CELLS=${CELLS:-1}
BATCH=${BATCH:-64}
TRAIN_LIMIT=${TRAIN_LIMIT:-0}
THREADS=${THREADS:-2}
SEED=${SEED:-0}
ALGOS=${ALGOS:-"darts darts2 zo-darts-plus"}
TAG=${TAG:-e${EPOCHS}-c${CHANNELS}-n${CELLS}-l${TRAIN_LIMIT}}
RUNS=${RUNS:-runs/zo-speed-$TAG}
mkdir -p "$RUNS"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
START=$(date -u +%Y-%m-%dT%H:%M:%SZ)
for algo in $ALGOS; do
  dir="$RUNS/$algo"
  [ -f "$dir/result.json" ] && continue
  resume=()
  [ -f "$dir/checkpoint.bin" ] && resume=(--resume)
  ./nas search --space nb201 --algo "$algo" --dataset fashion-mnist-mini --epochs "$EPOCHS" --channels "$CHANNELS" \
    --cells "$CELLS" --batch "$BATCH" --seed "$SEED" --threads "$THREADS" --train-limit "$TRAIN_LIMIT" \
    --out "$dir" "${resume[@]}" 2>>"$RUNS/search.log" >/dev/null
done
NOTE="Measured $START to $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores, load average at start $LOAD_START (shared machine). Settings: EPOCHS=$EPOCHS CHANNELS=$CHANNELS CELLS=$CELLS BATCH=$BATCH TRAIN_LIMIT=$TRAIN_LIMIT SEED=$SEED THREADS=$THREADS, commit $(git rev-parse --short HEAD). Search seconds include the per-epoch validation pass over the whole validation split."
. scripts/jdk.sh
"$JAVA_HOME/bin/java" -Djava.awt.headless=true -cp java/target/archway.jar bench/zo/SpeedReport.java "$RUNS" \
  "bench/results/zo-speed-$TAG.md" "bench/results/zo-speed-$TAG.png" "$NOTE"
echo "wrote bench/results/zo-speed-$TAG.md and .png"
