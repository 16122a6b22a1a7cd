#!/usr/bin/env python3
"""Driver of bench/compare-matrix.sh: runs bench/compare-peer.sh on every configuration issue 20 judges
(the NB201 search step, the training step of the best NB201 cell at 28x28x1 and 32x32x3, batch 64 and
256, with passive and default OpenMP waiting, and the largest mbv3 subnet), each in its own folder, and
writes one summary per CPU model: bench/results/matrix-<cpu>-<date>/SUMMARY.md and summary.json.
Standard library only."""
import argparse, datetime, json, os, re, subprocess, sys, time

# name -> compare-peer.sh arguments (and, optionally, environment for Archway). Step counts as in
# bench/results/NOTES.md. The "-avx2" rows force Archway's avx2 build (the peer is unchanged): on a CPU with
# AVX-512 they show what a CPU without it gets from the same library.
CONFIGS = [
    ("search-step", []),
    ("search-step-default-wait", ["--omp-wait", "default"]),
    ("train-28x1-b64", ["--what", "train", "--steps", "40", "--warmup", "10"]),
    ("train-28x1-b64-default-wait", ["--what", "train", "--steps", "40", "--warmup", "10", "--omp-wait", "default"]),
    ("train-32x3-b64", ["--what", "train", "--steps", "40", "--warmup", "10", "--size", "32", "--in-channels", "3"]),
    ("train-28x1-b256", ["--what", "train", "--batch", "256", "--steps", "12", "--warmup", "4"]),
    ("train-32x3-b256", ["--what", "train", "--batch", "256", "--steps", "12", "--warmup", "4", "--size", "32",
                         "--in-channels", "3"]),
    ("train-mbv3-largest", ["--what", "train", "--space", "mbv3", "--size", "32", "--in-channels", "3", "--steps", "10",
                            "--warmup", "3"]),
    ("search-step-avx2", [], {"ARCHWAY_ISA": "avx2"}),
    ("train-28x1-b64-avx2", ["--what", "train", "--steps", "40", "--warmup", "10"], {"ARCHWAY_ISA": "avx2"}),
]
# Issue 20's bar: at least 2x the peer's images/s, at most half its peak RSS (median of the rounds).
MIN_SPEED_RATIO, MAX_RSS_RATIO = 2.0, 0.5


def cpu_identity():
    """(model name, 'family F model M') from /proc/cpuinfo; the second tells apart CPUs sold under one name."""
    name, fam, model = "unknown", "?", "?"
    try:
        for line in open("/proc/cpuinfo"):
            key, _, value = line.partition(":")
            key, value = key.strip(), value.strip()
            if key == "model name" and name == "unknown":
                name = value
            elif key == "cpu family" and fam == "?":
                fam = value
            elif key == "model" and model == "?":
                model = value
    except OSError:
        pass
    return name, f"family {fam} model {model}"


def slug(name, fm):
    s = re.sub(r"\((r|tm)\)", "", name.lower())
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    nums = re.findall(r"\d+", fm)
    return f"{s}-f{nums[0]}m{nums[1]}" if len(nums) == 2 else s


def cpu_flags():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("flags"):
                return set(line.partition(":")[2].split())
    except OSError:
        pass
    return set()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", required=True)
    ap.add_argument("--only", default=None, help="comma-separated configuration names (default: all)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--list", action="store_true", help="print the configurations and exit")
    a = ap.parse_args()
    if a.list:
        for name, args, *env in CONFIGS:
            pre = " ".join(f"{k}={v}" for k, v in (env[0] if env else {}).items())
            print(f"{name:30s} {pre + ' ' if pre else ''}compare-peer.sh {' '.join(args)}")
        return
    configs = CONFIGS
    if a.only:
        wanted = [x.strip() for x in a.only.split(",") if x.strip()]
        unknown = [w for w in wanted if w not in {c[0] for c in CONFIGS}]
        if unknown:
            print(f"compare-matrix: unknown configuration(s) {', '.join(unknown)}; --list names them", file=sys.stderr)
            sys.exit(2)
        configs = [c for c in CONFIGS if c[0] in wanted]

    name, fm = cpu_identity()
    started = datetime.datetime.now()
    run_dir = os.path.join(a.root, "bench", "results", f"matrix-{slug(name, fm)}-{started:%Y%m%d-%H%M%S}")
    os.makedirs(run_dir, exist_ok=True)
    rows = []
    flags = cpu_flags()
    for i, (cfg, args, *extra) in enumerate(configs):
        env = extra[0] if extra else {}
        out_dir = os.path.join(run_dir, cfg)
        cmd = [os.path.join(a.root, "bench", "compare-peer.sh"), "--rounds", str(a.rounds), "--out-dir", out_dir] + args
        if env.get("ARCHWAY_ISA") == "avx2" and "avx2" not in flags:
            print(f"[{i + 1}/{len(configs)}] {cfg}: skipped (this CPU has no AVX2)", file=sys.stderr, flush=True)
            continue
        print(f"[{i + 1}/{len(configs)}] {cfg}: {' '.join(f'{k}={v}' for k, v in env.items())} {' '.join(cmd[1:])}",
              file=sys.stderr, flush=True)
        t0 = time.time()
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, **env})
        if p.returncode != 0:
            sys.stderr.write(p.stdout[-3000:])
            rows.append({"config": cfg, "error": f"compare-peer.sh exited {p.returncode}"})
            continue
        found = sorted(f for f in os.listdir(out_dir) if f.endswith(".json"))
        doc = json.load(open(os.path.join(out_dir, found[-1])))
        s = doc["summary"]
        speed, rss = s["images_per_s_ratio"], s["peak_rss_ratio"]
        rows.append({"config": cfg, "args": args, "env": env, "file": os.path.join(cfg, found[-1][:-5] + ".md"),
                     "speed": speed, "rss": rss, "archway_images_per_s": s["archway_images_per_s"]["median"],
                     "peer_images_per_s": s["peer_images_per_s"]["median"],
                     "omp_wait": doc["config"]["OMP_WAIT_POLICY"], "isa": doc["rounds"][-1]["archway"].get("cpu_features"),
                     "met": speed["median"] >= MIN_SPEED_RATIO and rss["median"] <= MAX_RSS_RATIO,
                     "seconds": round(time.time() - t0)})
        print(f"    images/s {speed['median']:.2f}x (min {speed['min']:.2f}, max {speed['max']:.2f}), "
              f"peak RSS {rss['median']:.2f}x", file=sys.stderr, flush=True)

    isa = next((r["isa"] for r in rows if r.get("isa")), "?")
    lines = [f"# Archway vs PyTorch on {name} ({fm})", "",
             f"- date: {started.isoformat(timespec='seconds')}; {os.cpu_count()} CPUs; {a.rounds} alternating rounds "
             f"per configuration; medians, with min-max",
             f"- archway kernels: {isa}",
             f"- bar (issue 20): images/s ratio >= {MIN_SPEED_RATIO:g}x and peak RSS ratio <= {MAX_RSS_RATIO:g}x",
             "- command: `./bench/compare-matrix.sh" + (f" --only {a.only}" if a.only else "") + "`", "",
             "| configuration | OMP_WAIT_POLICY | archway build | images/s ratio | archway / peer images/s | peak RSS ratio | bar | file |",
             "|---|---|---|---:|---:|---:|---|---|"]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['config']} | | | {r['error']} | | | | |")
            continue
        sp, rs = r["speed"], r["rss"]
        build = (r["isa"] or "?").split(" ")[0] + (" (forced)" if "ARCHWAY_ISA" in r["env"] else "")
        lines.append(f"| {r['config']} | {r['omp_wait']} | {build} | **{sp['median']:.2f}x** ({sp['min']:.2f}-{sp['max']:.2f}) | "
                     f"{r['archway_images_per_s']:.1f} / {r['peer_images_per_s']:.1f} | {rs['median']:.2f}x | "
                     f"{'met' if r['met'] else 'missed'} | [{os.path.basename(r['file'])}]({r['file']}) |")
    lines.append("")
    with open(os.path.join(run_dir, "SUMMARY.md"), "w") as f:
        f.write("\n".join(lines))
    with open(os.path.join(run_dir, "summary.json"), "w") as f:
        json.dump({"cpu": name, "cpu_id": fm, "date": started.isoformat(timespec="seconds"), "rows": rows}, f, indent=2)
        f.write("\n")
    print("\n".join(lines))
    print(f"\nwritten: {run_dir}/SUMMARY.md")
    if any("error" in r for r in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
