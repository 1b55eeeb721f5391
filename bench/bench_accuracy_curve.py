"""Accuracy against wall time of the ten-digit pipeline (1 and 2 computing nodes) beside scikit-learn's MLPs.

Why: how much accuracy each minute of the cluster buys, and where the MLP a user would pick
instead sits on the same axes. Each point is one real run of the pipeline (main node and
computing nodes as processes on a loopback DDS domain of their own) with ``make demo-all``'s
settings but the batches per digit changed; its wall time is the main node's, start to report.
The MLPs are fitted in the same run on the same 50,000 training images and scored on the same
10,000 test images. Writes the points as JSON and the picture as PNG (matplotlib, bench-only).
Other load on the machine stretches wall times: the CPU seconds of every process are kept too.

Usage: bench/bench_accuracy_curve.py [--batches 30 60 120 200] [--nodes 1 2] [--out docs/accuracy_curve.png]

Sample output: see the README (section "All ten digits").
"""
import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from ten_digit_runs import REPO, demo_main_args, demo_split, measure_baselines, run_pipeline

from amlip_py.dds.loopback import reserve_loopback_domain

MLPS = ["MLPClassifier((256,), max_iter=30)", "MLPClassifier((512, 256), max_iter=30)"]


def plot(points: list[dict], rivals: list[dict], target: float, path: Path) -> None:
    """Accuracy (%) against wall seconds: one line per node count, one marker per rival."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ModuleNotFoundError:
        sys.exit("the picture needs matplotlib: .venv/bin/pip install -e '.[bench]'")
    figure, axes = plt.subplots(figsize=(7, 4.5))
    for nodes in sorted({point["nodes"] for point in points}):
        line = sorted((p for p in points if p["nodes"] == nodes), key=lambda p: p["wall_seconds"])
        axes.plot([p["wall_seconds"] for p in line], [100 * p["accuracy"] for p in line], "o-",
                  label=f"AML pipeline, {nodes} computing node{'s' if nodes > 1 else ''}")
        for p in line:
            axes.annotate(f"{p['batches']}", (p["wall_seconds"], 100 * p["accuracy"]), textcoords="offset points",
                          xytext=(4, -10), fontsize=8)
    for rival, marker in zip(rivals, "s^D"):
        axes.plot([rival["wall_seconds"]], [100 * rival["accuracy"]], marker, label=f"scikit-learn {rival['name']}")
    axes.axhline(100 * target, color="gray", linestyle=":", label=f"target {100 * target:.1f} %")
    axes.axvline(600, color="gray", linestyle="--", linewidth=0.8, label="10 minutes")
    axes.set_xlabel("wall seconds on a 2-core machine (numbers: batches per digit)")
    axes.set_ylabel("ten-digit test accuracy %")
    axes.grid(alpha=0.3)
    axes.legend(fontsize=8, loc="best")
    figure.tight_layout()
    figure.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--batches", type=int, nargs="+", default=[30, 60, 120, 200], help="batches per digit")
    parser.add_argument("--nodes", type=int, nargs="+", default=[1, 2], help="computing node counts")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--target", type=float, default=0.981, help="accuracy line drawn")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "accuracy_curve.png",
                        help="picture; the points go beside it as .json")
    args = parser.parse_args()
    domain, _lock = reserve_loopback_domain()
    points = []
    print(f"{'nodes':>5} {'batches':>7} {'test %':>7} {'wall s':>7} {'CPU s':>7}  rule", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-curve-") as workdir:
        for nodes in args.nodes:
            for batches in args.batches:
                run = run_pipeline(nodes, demo_main_args(batches=batches, seed=args.seed), domain,
                                   Path(workdir) / f"{nodes}-{batches}")
                run.pop("report")
                points.append({**run, "batches": batches})
                print(f"{nodes:>5} {batches:>7} {100 * run['accuracy']:7.2f} {run['wall_seconds']:7.0f} "
                      f"{run['cpu_seconds']:7.0f}  {run['rule']}", flush=True)
    print("rivals on the same split:")
    rivals = measure_baselines(demo_split(), args.seed, MLPS)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(json.dumps({"points": points, "rivals": rivals,
                                                         "load_average": os.getloadavg()}, indent=1) + "\n")
    plot(points, rivals, args.target, args.out)
    print(f"wrote {args.out} and {args.out.with_suffix('.json')} (load average now {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
