#!/usr/bin/env bash
# Runs every space x algorithm x base combination of `nas search` once at a tiny size (1 epoch, C=4,
# 128 training images) and prints one line per run with its exit code, time and genotype. A quick
# end-to-end check after changing the engine or a search algorithm (about 5 minutes on 2 cores).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${OUT:-$(mktemp -d)}"
"$ROOT/nas" --version >/dev/null || exit 1
fail=0
for space in nb201 darts; do
  cells=1; [ "$space" = darts ] && cells=3
  for algo in darts darts2 a2m; do
    for base in darts beta-darts sdarts-rs pc-darts darts-; do
      dir="$OUT/$space-$algo-$base"; start=$(date +%s)
      "$ROOT/nas" search --space "$space" --algo "$algo" --base "$base" --epochs 1 --channels 4 --cells "$cells" \
        --batch 16 --train-limit 128 --threads 2 --out "$dir" >"$dir.log" 2>&1
      rc=$?; [ "$rc" = 0 ] || fail=1
      echo "$space $algo $base rc=$rc $(( $(date +%s) - start ))s $(grep '^genotype' "$dir.log" | cut -c1-90)"
    done
  done
done
for algo in zo-darts zo-darts-plus; do
  dir="$OUT/nb201-$algo"; start=$(date +%s)
  "$ROOT/nas" search --algo "$algo" --epochs 1 --channels 4 --cells 1 --batch 16 --zo-max-steps 10 --zo-interval 5 \
    --threads 2 --out "$dir" >"$dir.log" 2>&1
  rc=$?; [ "$rc" = 0 ] || fail=1
  echo "nb201 $algo rc=$rc $(( $(date +%s) - start ))s $(grep '^genotype' "$dir.log" | cut -c1-90)"
done
echo "logs and run directories: $OUT"
exit "$fail"
