#!/usr/bin/env python3
"""Tables and the seeds' claim from a FlatNAS run directory (nas search --algo flatnas).

Usage: bench/flatnas_table.py RUN_DIR
Prints markdown: the Pareto front (genes summary, error, R, params, MACs, mCE), every member whose corruption
benchmark was measured, and Spearman rank correlations of R against the corruption gap (mCE minus the error on the
same clean images) and against mCE, over those members.
"""
import json
import math
import sys

STAGES = 5
SLOTS = 4
DEPTHS = [2, 3, 4]
KERNELS = [3, 5, 7]
EXPANDS = [3, 4, 6]


def summary(genes):
    d = [DEPTHS[g] for g in genes[:STAGES]]
    ks, es = [], []
    for s in range(STAGES):
        for l in range(d[s]):
            ks.append(KERNELS[genes[STAGES + s * SLOTS + l]])
            es.append(EXPANDS[genes[STAGES + STAGES * SLOTS + s * SLOTS + l]])
    return "d %s, k %.1f, e %.1f" % (",".join(map(str, d)), sum(ks) / len(ks), sum(es) / len(es))


def ranks(xs):
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    r = [0.0] * len(xs)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and xs[order[j + 1]] == xs[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return r


def spearman(xs, ys):
    if len(xs) < 3:
        return float("nan")
    rx, ry = ranks(xs), ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    return sxy / math.sqrt(sxx * syy) if sxx > 0 and syy > 0 else float("nan")


def main(run_dir):
    result = json.load(open(run_dir + "/result.json"))
    print("Front (%d members, sorted by parameters; error and R on the test images, mCE and its clean error on the"
          " corruption benchmark's images):\n" % len(result["front"]))
    print("| architecture (depths; mean kernel, expand) | error % | R | params | MACs | mCE % | clean error % (OOD images) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for m in result["front"]:
        print("| %s | %.2f | %.3f | %s | %s | %s | %s |" % (
            summary(m["genes"]), m["error"], m["flatness"], format(m["params"], ","), format(m["macs"], ","),
            "%.2f" % m["mce"] if "mce" in m else "-",
            "%.2f" % m["ood_clean_error"] if "ood_clean_error" in m else "-"))
    measured = [m for m in result["archive"] if "mce" in m]
    source = "archive"
    if not measured:
        measured = [m for m in result["front"] if "mce" in m]
        source = "front"
    print("\nMembers with the corruption benchmark: %d (from the %s)\n" % (len(measured), source))
    r = [m["flatness"] for m in measured]
    gap = [m["mce"] - m["ood_clean_error"] for m in measured]
    mce = [m["mce"] for m in measured]
    err = [m["error"] for m in measured]
    print("| statistic | n | value |")
    print("|---|---:|---:|")
    print("| Spearman rho(R, mCE - clean error) | %d | %.3f |" % (len(measured), spearman(r, gap)))
    print("| Spearman rho(R, mCE) | %d | %.3f |" % (len(measured), spearman(r, mce)))
    print("| Spearman rho(error, mCE) | %d | %.3f |" % (len(measured), spearman(err, mce)))
    if measured:
        print("\n| member | error % | R | mCE % | clean error % (OOD images) | mCE - clean |")
        print("|---|---:|---:|---:|---:|---:|")
        for m in sorted(measured, key=lambda m: m["flatness"]):
            print("| %s | %.2f | %.3f | %.2f | %.2f | %.2f |" % (summary(m["genes"]), m["error"], m["flatness"],
                                                                m["mce"], m["ood_clean_error"],
                                                                m["mce"] - m["ood_clean_error"]))


if __name__ == "__main__":
    main(sys.argv[1])
