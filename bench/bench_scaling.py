"""Speed-up of the tutorial pipeline from one computing node to two, for the same total work.

Both runs send the same jobs (disjoint shards, same batches and seeds) from one main node; with
one computing node the jobs run one after the other, with two they are shared out as nodes come
free. Four jobs by default, so that shards that train at different speeds even out.
The figure is the time from the first job sent to the last solution received. Every process is
real, on a loopback-only DDS domain of its own.

Sample output (2-core machine, 4 jobs of 150 batches on the full training set)::

    nodes   wait s  total s
        1    133.4    146.0
        2     65.0     77.2
    speed-up 1 -> 2 computing nodes: 2.05 (target >= 1.7)
    job building 1.94 s, transfer 0.56 s, parsing 3.59 s: 4.8 % of all job handling and training in the 2-node run (target < 5 %)
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
    parser.add_argument("--jobs", type=int, default=4, help="jobs (shards) sent in each run")
    parser.add_argument("--batches", type=int, default=150, help="training batches per job")
    parser.add_argument("--train-limit", type=int, default=60000, help="training images used")
    parser.add_argument("--digit", type=int, default=0)
    args = parser.parse_args()
    domain, _lock = reserve_loopback_domain()
    with tempfile.TemporaryDirectory(prefix="bench-scaling-") as workdir:
        main_args = ["--jobs", str(args.jobs), "--batches", str(args.batches), "--train-limit", str(args.train_limit),
                     "--target-digit", str(args.digit), "--seed", "1"]
        timings = {nodes: run_report(nodes, main_args, domain, Path(workdir) / f"{nodes}-nodes")["timings"]
                   for nodes in (1, 2)}
    print(f"{'nodes':>5}  {'wait s':>7}  {'total s':>7}")
    for nodes, timing in timings.items():
        print(f"{nodes:>5}  {timing['wait_seconds']:>7.1f}  {timing['total_seconds']:>7.1f}")
    print(f"speed-up 1 -> 2 computing nodes: {timings[1]['wait_seconds'] / timings[2]['wait_seconds']:.2f} "
          "(target >= 1.7)")
    two = timings[2]
    print(f"job building {two['build_seconds']:.2f} s, transfer {two['send_seconds']:.2f} s, parsing "
          f"{two['parse_seconds']:.2f} s: {100 * two['overhead_share']:.1f} % of all job handling and training "
          "in the 2-node run (target < 5 %)")


if __name__ == "__main__":
    main()
