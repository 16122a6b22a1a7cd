#!/usr/bin/env bash
# Training recipe comparison on fashion-mnist-mini: the best NB201 cell (C=16, N=1, 5 epochs, batch 64)
# trained with each (lr steps, augmentation) recipe for 3 seeds; prints one JSON line per run.
#   bench/train-parity.sh [OUTDIR] [THREADS]
# The jar and native library are snapshotted first, so editing sources while it runs changes nothing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/runs/train-parity}"
THREADS="${2:-1}"
ARCH='|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|'
RECIPES="${RECIPES:-epoch:crop step:crop step:flip step:crop+flip}"
SEEDS="${SEEDS:-1 2 3}"
"$ROOT/nas" --version >/dev/null
SNAP="$(mktemp -d)"
trap 'rm -rf "$SNAP"' EXIT
cp "$ROOT/java/target/archway.jar" "$ROOT/native/build/libarchway_cpu.so" "$SNAP/"
. "$ROOT/scripts/jdk.sh"
mkdir -p "$OUT"
for seed in $SEEDS; do
  for recipe in $RECIPES; do
    steps="${recipe%%:*}" aug="${recipe#*:}"
    dir="$OUT/${steps}-${aug/+/-}-s$seed"
    [ -f "$dir/result.json" ] || "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC \
      -Darchway.native.dir="$SNAP" -Darchway.repo.root="$ROOT" -jar "$SNAP/archway.jar" train --space nb201 \
      --arch "$ARCH" --dataset fashion-mnist-mini --epochs 5 --channels 16 --cells 1 --batch 64 --seed "$seed" \
      --threads "$THREADS" --lr-steps "$steps" --augment "$aug" --out "$dir" >/dev/null 2>"$dir.log"
    python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(json.dumps({'lr_steps':sys.argv[2],'augment':sys.argv[3],'seed':int(sys.argv[4]),'test_accuracy':r['test_accuracy'],'seconds':round(r['seconds'],1)}))" \
      "$dir/result.json" "$steps" "$aug" "$seed"
  done
done
