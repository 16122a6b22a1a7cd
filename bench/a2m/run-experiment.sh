#!/usr/bin/env bash
# DARTS vs DARTS+A²M on fashion-mnist-mini (NB201 space): search over several seeds, retrain every found
# cell from scratch, and write bench/results/a2m-fashion-mnist-mini.md (aggregate.py).
#
# Usage: bench/a2m/run-experiment.sh            (from anywhere; runs ./nas at the repo root)
# Sizes come from the environment (defaults below):
#   SEEDS="0 1 2"  SEARCH_EPOCHS=2  CHANNELS=4  CELLS=1  BATCH=64  RHO=  (empty: the nb201 default 1e-2)
#   TRAIN_EPOCHS=2  TRAIN_CHANNELS=16  RUNS=runs/a2m-experiment  THREADS=  (empty: all cores)
# The defaults are sized for a 2-core machine shared with other jobs: the committed run took 44 min while
# the load average fell from 20 to 6 (seed 0 ~25 min at load ~18, seeds 1 and 2 ~9 min each at load ~7, so
# ~25 min for three seeds at moderate load); on an idle machine raise CHANNELS to 8 and SEARCH_EPOCHS to 3. Runs that already have a result.json are kept and a killed run is resumed
# from its checkpoint, so re-running the script after an interruption finishes the remaining runs only.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

SEEDS=${SEEDS:-"0 1 2"}
SEARCH_EPOCHS=${SEARCH_EPOCHS:-2}
CHANNELS=${CHANNELS:-4}
CELLS=${CELLS:-1}
BATCH=${BATCH:-64}
RHO=${RHO:-}
TRAIN_EPOCHS=${TRAIN_EPOCHS:-2}
TRAIN_CHANNELS=${TRAIN_CHANNELS:-16}
RUNS=${RUNS:-runs/a2m-experiment}
THREADS=${THREADS:-}
DATASET=fashion-mnist-mini
REPORT=bench/results/a2m-fashion-mnist-mini.md

mkdir -p "$RUNS"
LOG="$RUNS/experiment.log"
threads_opt=()
[ -n "$THREADS" ] && threads_opt=(--threads "$THREADS")
rho_opt=()
[ -n "$RHO" ] && rho_opt=(--rho "$RHO")

# Machine facts for the report, taken before the runs (the load average says how shared the machine was).
{
  echo "date_start=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "nproc=$(nproc)"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "load_start=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- java 2>/dev/null || echo '+dirty')"
  echo "command=SEEDS=\"$SEEDS\" SEARCH_EPOCHS=$SEARCH_EPOCHS CHANNELS=$CHANNELS CELLS=$CELLS BATCH=$BATCH RHO=$RHO TRAIN_EPOCHS=$TRAIN_EPOCHS TRAIN_CHANNELS=$TRAIN_CHANNELS THREADS=$THREADS bench/a2m/run-experiment.sh"
} > "$RUNS/machine.env"

# run DIR CMD...: runs a nas command into DIR unless DIR has result.json; resumes when a checkpoint is there.
run() {
  local dir=$1; shift
  if [ -f "$dir/result.json" ]; then
    echo "[$(date +%T)] keep $dir" | tee -a "$LOG"
    return
  fi
  local resume=()
  [ -f "$dir/checkpoint.bin" ] && resume=(--resume)
  echo "[$(date +%T)] ./nas $* --out $dir ${resume[*]}" | tee -a "$LOG"
  ./nas "$@" --out "$dir" "${resume[@]}" >>"$LOG" 2>&1
}

genotype() {
  python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["genotype"])' "$1/result.json"
}

for seed in $SEEDS; do
  for algo in darts a2m; do
    sdir="$RUNS/search-$algo-s$seed"
    run "$sdir" search --space nb201 --algo "$algo" --base darts --dataset "$DATASET" --epochs "$SEARCH_EPOCHS" \
      --channels "$CHANNELS" --cells "$CELLS" --batch "$BATCH" --seed "$seed" "${rho_opt[@]}" "${threads_opt[@]}"
    geno=$(genotype "$sdir")
    tdir="$RUNS/train-$algo-s$seed"
    # Training is deterministic in (genotype, seed): when A²M found DARTS's cell, reuse that retraining.
    if [ "$algo" = a2m ] && [ ! -f "$tdir/result.json" ] && [ -f "$RUNS/train-darts-s$seed/result.json" ] \
        && [ "$geno" = "$(genotype "$RUNS/search-darts-s$seed")" ]; then
      echo "[$(date +%T)] same cell as DARTS for seed $seed: reusing its retraining" | tee -a "$LOG"
      mkdir -p "$tdir" && cp "$RUNS/train-darts-s$seed/result.json" "$tdir/result.json"
    fi
    run "$tdir" train --space nb201 --arch "$geno" --dataset "$DATASET" --epochs "$TRAIN_EPOCHS" \
      --channels "$TRAIN_CHANNELS" --cells 1 --seed "$seed" "${threads_opt[@]}"
  done
done

{
  echo "date_end=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "load_end=$(cut -d' ' -f1-3 /proc/loadavg)"
} >> "$RUNS/machine.env"
python3 bench/a2m/aggregate.py "$RUNS" "$REPORT"
echo "wrote $REPORT"
