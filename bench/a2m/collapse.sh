#!/usr/bin/env bash
# The A²M collapse experiment (issue 18 item 4): DARTS's known failure on NB201 is collapse toward
# parameter-free ops in long searches; A²M claims to prevent it. Searches darts, a2m, beta-darts and
# a2m+beta-darts over SEEDS on fashion-mnist-mini and writes, per configuration and epoch, the share of
# skip / avg pool / none in the argmax cell and that cell's NAS-Bench-201 CIFAR-10 accuracy (mean over seeds)
# as bench/results/a2m-collapse-<tag>.md and .png (CollapseReport.java).
#
# Full length (what the claim needs): EPOCHS=50 CHANNELS=8 CELLS=1 SEEDS="0 1 2" TRAIN_LIMIT=0
#   (12 searches; about 50 x 40 s = 35 min each on a quiet 2-core machine at C=8, N=1: ~7 hours).
# Reduced (a smoke run, no conclusion): EPOCHS=8 CHANNELS=4 SEEDS=0 TRAIN_LIMIT=1024.
# Runs with a result.json are kept; a killed run resumes from its checkpoint.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
SEEDS=${SEEDS:-"0 1 2"}
EPOCHS=${EPOCHS:-50}
CHANNELS=${CHANNELS:-8}
CELLS=${CELLS:-1}
BATCH=${BATCH:-64}
TRAIN_LIMIT=${TRAIN_LIMIT:-0}
THREADS=${THREADS:-2}
CONFIGS=${CONFIGS:-"darts:darts a2m:darts darts:beta-darts a2m:beta-darts"}
TAG=${TAG:-e${EPOCHS}-c${CHANNELS}-n${CELLS}-l${TRAIN_LIMIT}}
RUNS=${RUNS:-runs/a2m-collapse-$TAG}
mkdir -p "$RUNS"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
START=$(date -u +%Y-%m-%dT%H:%M:%SZ)
for cfg in $CONFIGS; do
  algo=${cfg%%:*}; base=${cfg##*:}
  for seed in $SEEDS; do
    dir="$RUNS/$algo+$base/seed-$seed"
    [ -f "$dir/result.json" ] && continue
    resume=()
    [ -f "$dir/checkpoint.bin" ] && resume=(--resume)
    ./nas search --space nb201 --algo "$algo" --base "$base" --dataset fashion-mnist-mini --epochs "$EPOCHS" \
      --channels "$CHANNELS" --cells "$CELLS" --batch "$BATCH" --seed "$seed" --threads "$THREADS" \
      --train-limit "$TRAIN_LIMIT" --out "$dir" "${resume[@]}" 2>>"$RUNS/search.log" >/dev/null
  done
done
NOTE="Measured $START to $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores, load average at start $LOAD_START (shared machine). Settings: EPOCHS=$EPOCHS CHANNELS=$CHANNELS CELLS=$CELLS BATCH=$BATCH TRAIN_LIMIT=$TRAIN_LIMIT SEEDS=\"$SEEDS\" THREADS=$THREADS, commit $(git rev-parse --short HEAD)."
. scripts/jdk.sh
"$JAVA_HOME/bin/java" -Djava.awt.headless=true -cp java/target/archway.jar bench/a2m/CollapseReport.java "$RUNS" \
  "bench/results/a2m-collapse-$TAG.md" "bench/results/a2m-collapse-$TAG.png" "$NOTE"
echo "wrote bench/results/a2m-collapse-$TAG.md and .png"
