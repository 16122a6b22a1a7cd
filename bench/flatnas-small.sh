#!/usr/bin/env bash
# A small FlatNAS search end to end on the bundled fashion-mnist-mini, then its tables and the seeds' claim as
# markdown (bench/results/flatnas-<date>.md). Arguments after the output directory go to nas search (e.g. a smaller
# budget). Usage: bench/flatnas-small.sh OUT_DIR [extra nas search flags]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$1"; shift
CMD=(./nas search --algo flatnas --space mbv3 --dataset fashion-mnist-mini --params-max 3500000 --alpha 0.5
     --initial 6 --iterations 2 --candidates 3 --trial-epochs 2 --train-limit 480 --batch 16 --test-limit 300
     --flatness-draws 3 --ood-members all --ood-limit 40 --slots 2 --threads 1 --seed 0 --out "$OUT" "$@")
cd "$ROOT"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
START=$(date +%s)
"${CMD[@]}" 2>&1 | tee "$OUT.log"
SECONDS_TAKEN=$(( $(date +%s) - START ))
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
{
  echo "command: \`${CMD[*]}\`"
  echo
  echo "CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load average before $LOAD_BEFORE, after $LOAD_AFTER; wall time ${SECONDS_TAKEN} s"
  echo
  python3 "$ROOT/bench/flatnas_table.py" "$OUT"
} > "$OUT.md"
echo "tables: $OUT.md"
