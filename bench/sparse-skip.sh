#!/usr/bin/env bash
# The ZO-DARTS+ saving, measured: the same NB201 supernet step with softmax mixing weights (every
# candidate computed) and with sparsemax(alpha / T) (exact zeros; their candidate ops are skipped
# forward and backward), run alternately for several rounds. alpha ~ ALPHA_SCALE * N(0,1) so that
# sparsemax produces zeros, as it does late in an annealed ZO-DARTS+ search.
# Writes bench/results/sparse-skip-<date>.md (+ .json).
#   ROUNDS=3 STEPS=3 WARMUP=1 C=16 N=5 BATCH=64 TEMPS="1.5 0.5" ./bench/sparse-skip.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS="${ROUNDS:-3}"; STEPS="${STEPS:-3}"; WARMUP="${WARMUP:-1}"; C="${C:-16}"; N="${N:-5}"; BATCH="${BATCH:-64}"
TEMPS="${TEMPS:-1.5 0.5}"; ALPHA_SCALE="${ALPHA_SCALE:-1}"; THREADS="${THREADS:-2}"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
"$ROOT/nas" --version >/dev/null
STAMP="$(date +%Y%m%d-%H%M%S)"
RAW="$(mktemp)"; trap 'rm -f "$RAW"' EXIT
base=("$ROOT/nas" bench step --space nb201 --algo darts --batch "$BATCH" --size 32 --in-channels 3 --channels "$C"
      --cells "$N" --steps "$STEPS" --warmup "$WARMUP" --threads "$THREADS" --alpha-scale "$ALPHA_SCALE" --json)
for r in $(seq 1 "$ROUNDS"); do
  for t in $TEMPS; do
    for s in softmax sparsemax; do
      echo "sparse-skip: round $r, $s T=$t ..." >&2
      "${base[@]}" --simplex "$s" --temperature "$t" | python3 -c "import json,sys; r=json.load(sys.stdin); r['round']=$r; print(json.dumps(r))" >>"$RAW"
    done
  done
done
python3 - "$RAW" "$ROOT/bench/results/sparse-skip-$STAMP" "${base[*]}" <<'PY'
import json, sys, statistics, platform, os
raw, out, cmd = sys.argv[1], sys.argv[2], sys.argv[3]
rows = [json.loads(l) for l in open(raw)]
cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), '?')
lines = [f"# Sparsemax zero-weight skipping vs softmax, NB201 supernet step", "",
         f"- date: {rows[0].get('date', '')}; machine: {os.cpu_count()} CPUs, {cpu}; load average at end {os.getloadavg()}",
         f"- command: `{cmd} --simplex softmax|sparsemax --temperature T` (alternating, {max(r['round'] for r in rows)} rounds)", "",
         "| T | zero weights | softmax images/s (min/median/max) | sparsemax images/s (min/median/max) | speed-up (median) |",
         "|---:|---:|---:|---:|---:|"]
for t in sorted({r['temperature'] for r in rows}, reverse=True):
    sm = [r['images_per_s'] for r in rows if r['temperature'] == t and r['simplex'] == 'softmax']
    sp = [r['images_per_s'] for r in rows if r['temperature'] == t and r['simplex'] == 'sparsemax']
    z = [r['zero_weight_fraction_start'] for r in rows if r['temperature'] == t and r['simplex'] == 'sparsemax'][0]
    f = lambda v: f"{min(v):.1f} / {statistics.median(v):.1f} / {max(v):.1f}"
    lines.append(f"| {t} | {z:.0%} | {f(sm)} | {f(sp)} | {statistics.median(sp) / statistics.median(sm):.2f}x |")
lines += ["", "Softmax weights are never exactly zero, so every candidate op runs; sparsemax zeros skip the guarded",
          "candidate ops (conv, pool) in the forward and backward of both the arch and the weight step."]
open(out + '.md', 'w').write('\n'.join(lines) + '\n')
json.dump(rows, open(out + '.json', 'w'), indent=1)
print('\n'.join(lines))
PY
