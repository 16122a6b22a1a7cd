#!/usr/bin/env python3
"""Summarises a JMH JSON result file (./bench/jmh.sh writes one per run) as a Markdown table:
benchmark, parameters, ops/s, GFLOP/s and GB/s (the Work @AuxCounters 'gflop' / 'gbyte' rates)."""
import json, sys

def main(path):
    rows = json.load(open(path))
    print("| benchmark | params | ops/s | GFLOP/s | GB/s |")
    print("|---|---|---:|---:|---:|")
    for r in rows:
        name = r["benchmark"].replace("archway.bench.", "")
        params = " ".join(f"{k}={v}" for k, v in sorted(r.get("params", {}).items()))
        prim = r["primaryMetric"]["score"]
        sec = r.get("secondaryMetrics", {})
        gf = sec.get("gflop", {}).get("score")
        gb = sec.get("gbyte", {}).get("score")
        fmt = lambda v: "" if v is None or v == 0 else f"{v:.3g}"
        print(f"| {name} | {params} | {prim:.4g} | {fmt(gf)} | {fmt(gb)} |")

if __name__ == "__main__":
    main(sys.argv[1])
