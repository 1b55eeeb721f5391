"""Time to accuracy of the ten-digit classifier on 1, 2 and 4 computing nodes, same total work.

Distributed training is judged by the wall time to reach a target accuracy (as in MLPerf
Training). Every run sends the same jobs (``--jobs`` shards x two groups of five digits, same
batches and seeds) from one main node, so every run trains the same models and reaches the same
ten-digit test accuracy; the 1-node run sets the target, and the figure is the wall time of each
run, from the main node's start to its report (loading, jobs, training, merging, scoring). The
training CPU seconds and the cores they used while jobs were out show how much of the machine a
run got (other load on a shared machine skews the wall times); ``rest`` is the wall time outside
the solving, mostly the main node's merging and scoring after the last solution. Four nodes on
this 2-core machine are oversubscribed: they share two cores. Every process is real, on a
loopback-only DDS domain of its own.

Sample output: see the README (section "All ten digits").
"""
import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "demo"))
from cluster import run_report  # noqa: E402

from amlip_py.dds.loopback import reserve_loopback_domain  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--jobs", type=int, default=2, help="shards; each is sent with two digit groups")
    parser.add_argument("--batches", type=int, default=30, help="training batches per digit and shard")
    parser.add_argument("--train-limit", type=int, default=12000, help="training images used")
    parser.add_argument("--nodes", type=int, nargs="+", default=[1, 2, 4], help="computing node counts to run")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    main_args = ["--target-digit", "all", "--digits-per-job", "5", "--jobs", str(args.jobs), "--batches",
                 str(args.batches), "--train-limit", str(args.train_limit), "--seed", str(args.seed)]
    domain, _lock = reserve_loopback_domain()
    with tempfile.TemporaryDirectory(prefix="bench-tta-") as workdir:
        reports = {nodes: run_report(nodes, main_args, domain, Path(workdir) / f"{nodes}-nodes") for nodes in args.nodes}

    baseline = reports[args.nodes[0]]
    target = baseline["multiclass"]["accuracy"]
    print(f"{2 * args.jobs} jobs ({args.jobs} shards x 2 digit groups), {args.batches} batches per digit and shard, "
          f"{args.train_limit} training images; target = the {args.nodes[0]}-node accuracy {100 * target:.2f} %")
    print(f"{'nodes':>5} {'accuracy %':>11} {'reached':>8} {'wall s':>8} {'solving s':>10} {'rest s':>7} "
          f"{'train CPU s':>12} {'cores used':>11} {'wall ratio':>11}")
    for nodes, report in reports.items():
        accuracy, timings = report["multiclass"]["accuracy"], report["timings"]
        cpu = sum(job["train_cpu_seconds"] for job in report["jobs"])
        ratio = timings["total_seconds"] / baseline["timings"]["total_seconds"]
        note = "  (oversubscribed: 2 cores)" if nodes > 2 else ""
        print(f"{nodes:>5} {100 * accuracy:>11.2f} {'yes' if accuracy >= target else 'no':>8} "
              f"{timings['total_seconds']:>8.1f} {timings['wait_seconds']:>10.1f} "
              f"{timings['total_seconds'] - timings['wait_seconds']:>7.1f} {cpu:>12.1f} "
              f"{cpu / timings['wait_seconds']:>11.2f} {ratio:>10.3f}x{note}")
    if 1 in reports and 2 in reports:
        ratio = reports[2]["timings"]["total_seconds"] / reports[1]["timings"]["total_seconds"]
        print(f"2 nodes reach the 1-node accuracy in {ratio:.3f}x its wall time (target <= 0.55x); "
              f"bytes sent per run: {baseline['bytes']['line'].split(': ', 1)[1]}")


if __name__ == "__main__":
    main()
