#!/usr/bin/env python3
"""Driver of bench/compare-peer.sh: alternates the PyTorch peer and `nas bench step` (--what step: the
first-order DARTS search step) or `nas bench train` (--what train: the training step of the best NB201
cell, peer bench/pytorch_train_nb201.py) on one configuration, then writes
bench/results/compare-peer[-train]-<date>.{md,json}. Standard library only."""
import argparse, datetime, json, os, platform, shlex, statistics, subprocess, sys, time


def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def loadavg():
    try:
        return open("/proc/loadavg").read().split()[:3]
    except OSError:
        return []


def run_json(cmd, env):
    t0 = time.time()
    p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stderr[-4000:])
        raise SystemExit(f"compare-peer: command failed ({p.returncode}): {shlex.join(cmd)}")
    out = p.stdout.strip()
    start = out.find("{")
    return json.loads(out[start:]), time.time() - t0


def stats(xs):
    return {"min": min(xs), "median": statistics.median(xs), "max": max(xs)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--python", required=True)
    ap.add_argument("--peer", required=True)
    ap.add_argument("--what", choices=["step", "train"], default="step")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--steps", type=int, default=None, help="default: 3 (step), 20 (train)")
    ap.add_argument("--warmup", type=int, default=None, help="default: 1 (step), 3 (train)")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--size", type=int, default=None, help="default: 32 (step), 28 (train)")
    ap.add_argument("--in-channels", type=int, default=None, help="default: 3 (step), 1 (train)")
    ap.add_argument("--channels", type=int, default=16)
    ap.add_argument("--cells", type=int, default=None, help="default: 5 (step), 1 (train)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--space", choices=["nb201", "mbv3"], default="nb201",
                    help="--what train: the network (mbv3: a subnet given by --arch, peer bench/pytorch_train_mbv3.py)")
    ap.add_argument("--arch", default=None, help="--what train: the architecture (default: best NB201 cell / largest mbv3 subnet)")
    ap.add_argument("--omp-wait", choices=["passive", "default"], default="passive",
                    help="OMP_WAIT_POLICY for both engines (passive: idle OpenMP threads sleep instead of spinning)")
    ap.add_argument("--out-dir", default=None)
    a = ap.parse_args()
    train = a.what == "train"
    for name, step_default, train_default in [("steps", 3, 20), ("warmup", 1, 3), ("size", 32, 28),
                                              ("in_channels", 3, 1), ("cells", 5, 1)]:
        if getattr(a, name) is None:
            setattr(a, name, train_default if train else step_default)

    env = dict(os.environ)
    if a.omp_wait == "passive":
        env["OMP_WAIT_POLICY"] = "PASSIVE"
    else:
        env.pop("OMP_WAIT_POLICY", None)
    mbv3 = train and a.space == "mbv3"
    if a.space == "mbv3" and not train:
        ap.error("--space mbv3 needs --what train")
    peer = os.path.join(a.root, "bench", "pytorch_train_mbv3.py" if mbv3 else "pytorch_train_nb201.py") if train else a.peer
    peer_cmd = [a.python, peer, "--batch", str(a.batch), "--size", str(a.size), "--channels", str(a.in_channels),
                "--C", str(a.channels), "--N", str(a.cells), "--steps", str(a.steps), "--warmup", str(a.warmup),
                "--threads", str(a.threads)]
    nas_cmd = [os.path.join(a.root, "nas"), "bench", "train" if train else "step", "--space", a.space]
    nas_cmd += [] if train else ["--algo", "darts"]
    nas_cmd += ["--batch", str(a.batch), "--size", str(a.size), "--in-channels", str(a.in_channels),
               "--channels", str(a.channels), "--cells", str(a.cells), "--steps", str(a.steps),
               "--warmup", str(a.warmup), "--threads", str(a.threads), "--json"]
    if train and a.arch is not None:
        peer_cmd += ["--arch", a.arch]
        nas_cmd += ["--arch", a.arch]

    started = datetime.datetime.now()
    load_start = loadavg()
    rounds = []
    for r in range(a.rounds):
        order = [("peer", peer_cmd), ("archway", nas_cmd)]
        if r % 2 == 1:
            order.reverse()
        res = {"round": r + 1, "order": [n for n, _ in order], "loadavg_before": loadavg()}
        for name, cmd in order:
            out, wall = run_json(cmd, env)
            res[name] = out
            res[name + "_wall_s"] = wall
            print(f"round {r + 1}/{a.rounds} {name:8s} {out['images_per_s']:9.2f} images/s  "
                  f"{out['sec_per_step']:8.3f} s/step  peak RSS {out['peak_rss_mb']:8.1f} MiB", file=sys.stderr)
        if mbv3 and res["peer"].get("params") != res["archway"].get("params"):
            sys.exit(f"compare-peer: the two mbv3 networks differ: {res['peer'].get('params')} parameters (peer) "
                     f"against {res['archway'].get('params')} (archway)")
        res["ips_ratio"] = res["archway"]["images_per_s"] / res["peer"]["images_per_s"]
        res["rss_ratio"] = res["archway"]["peak_rss_mb"] / res["peer"]["peak_rss_mb"]
        rounds.append(res)
    load_end = loadavg()

    summary = {
        "peer_images_per_s": stats([x["peer"]["images_per_s"] for x in rounds]),
        "archway_images_per_s": stats([x["archway"]["images_per_s"] for x in rounds]),
        "peer_peak_rss_mb": stats([x["peer"]["peak_rss_mb"] for x in rounds]),
        "archway_peak_rss_mb": stats([x["archway"]["peak_rss_mb"] for x in rounds]),
        "images_per_s_ratio": stats([x["ips_ratio"] for x in rounds]),
        "peak_rss_ratio": stats([x["rss_ratio"] for x in rounds]),
    }
    try:
        commit = subprocess.run(["git", "-C", a.root, "rev-parse", "--short", "HEAD"], stdout=subprocess.PIPE,
                                text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", a.root, "status", "--porcelain", "--untracked-files=no"],
                               stdout=subprocess.PIPE, text=True).stdout.strip() != ""
    except OSError:
        commit, dirty = "unknown", False
    doc = {
        "date": started.isoformat(timespec="seconds"),
        "machine": {"nproc": os.cpu_count(), "cpu": cpu_model(), "kernel": platform.release(),
                    "loadavg_start": load_start, "loadavg_end": load_end},
        "git_commit": commit + ("-dirty" if dirty else ""),
        "config": {"what": a.what, "space": a.space,
                   "algo": ("training step, mbv3 subnet" if mbv3 else "training step, best NB201 cell") if train
                   else "darts (first order)", "arch": rounds[-1]["archway"].get("arch"),
                   "params": rounds[-1]["archway"].get("params"), "batch": a.batch, "size": a.size,
                   "in_channels": a.in_channels, "channels": a.channels, "cells": a.cells,
                   "threads": a.threads, "steps": a.steps, "warmup": a.warmup, "rounds": a.rounds,
                   "OMP_WAIT_POLICY": env.get("OMP_WAIT_POLICY", "(unset)")},
        "commands": {"peer": shlex.join(peer_cmd), "archway": shlex.join(nas_cmd)},
        "summary": summary,
        "rounds": rounds,
    }
    out_dir = a.out_dir or os.path.join(a.root, "bench", "results")
    os.makedirs(out_dir, exist_ok=True)
    kind = ("compare-peer-train-mbv3-" if mbv3 else "compare-peer-train-") if train else "compare-peer-"
    stem = os.path.join(out_dir, kind + started.strftime("%Y%m%d-%H%M%S"))
    with open(stem + ".json", "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")

    def row(label, s, fmt):
        return f"| {label} | {fmt.format(s['min'])} | {fmt.format(s['median'])} | {fmt.format(s['max'])} |"

    lines = [
        (("# Archway vs PyTorch peer: training step of an mbv3 subnet" if mbv3
          else "# Archway vs PyTorch peer: training step of a discrete network (best NB201 cell)") if train
         else "# Archway vs PyTorch peer: first-order DARTS step, NB201 supernet"),
        "",
        f"- date: {doc['date']}; git: {doc['git_commit']}",
        f"- machine: {doc['machine']['nproc']} CPUs, {doc['machine']['cpu']}, Linux {doc['machine']['kernel']}; "
        f"load average {' '.join(load_start)} at start, {' '.join(load_end)} at end (shared machine: other "
        f"builds and tests ran concurrently, so absolute numbers are noisy; the engines ran alternately)",
        f"- archway kernels: {rounds[-1]['archway'].get('cpu_features', '?')}",
        (f"- config: mbv3 subnet {doc['config']['arch']} ({doc['config']['params']:,} parameters, equal in both), "
         f"batch {a.batch}, " if mbv3 else
         f"- config: C={a.channels}, N={a.cells}, batch {a.batch}{'' if train else ' (x2 per step: weight + arch batch)'}, ")+
        f"{a.in_channels}x{a.size}x{a.size}, {a.threads} threads, {a.steps} timed steps after {a.warmup} warm-up, "
        f"{a.rounds} rounds, OMP_WAIT_POLICY={doc['config']['OMP_WAIT_POLICY']}",
        f"- peer: `{doc['commands']['peer']}`",
        f"- archway: `{doc['commands']['archway']}`",
        "",
        "| ratio (archway / peer) | min | median | max |",
        "|---|---:|---:|---:|",
        row("images/s", summary["images_per_s_ratio"], "{:.2f}x"),
        row("peak RSS", summary["peak_rss_ratio"], "{:.2f}x"),
        "",
        "| engine | metric | min | median | max |",
        "|---|---|---:|---:|---:|",
        "| peer | images/s " + row("", summary["peer_images_per_s"], "{:.2f}")[3:],
        "| archway | images/s " + row("", summary["archway_images_per_s"], "{:.2f}")[3:],
        "| peer | peak RSS MiB " + row("", summary["peer_peak_rss_mb"], "{:.0f}")[3:],
        "| archway | peak RSS MiB " + row("", summary["archway_peak_rss_mb"], "{:.0f}")[3:],
        "",
        "Raw rounds (order alternates):",
        "",
        "| round | order | loadavg before | peer images/s | peer s/step | peer RSS MiB | archway images/s | archway s/step | archway RSS MiB | images/s ratio | RSS ratio |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for x in rounds:
        p, w = x["peer"], x["archway"]
        lines.append(f"| {x['round']} | {' then '.join(x['order'])} | {' '.join(x['loadavg_before'])} | "
                     f"{p['images_per_s']:.2f} | {p['sec_per_step']:.3f} | {p['peak_rss_mb']:.0f} | "
                     f"{w['images_per_s']:.2f} | {w['sec_per_step']:.3f} | {w['peak_rss_mb']:.0f} | "
                     f"{x['ips_ratio']:.2f}x | {x['rss_ratio']:.2f}x |")
    w = rounds[-1]["archway"]
    lines += ["", "Archway per-step phases of the last round (seconds per step):", "",
              "```json", json.dumps(w.get("phases_per_step", {}), indent=2), "```", ""]
    with open(stem + ".md", "w") as f:
        f.write("\n".join(lines))
    print("\n".join(lines[:20]))
    print(f"\nwritten: {stem}.md and {stem}.json")


if __name__ == "__main__":
    main()
