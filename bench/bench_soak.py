"""Soak benchmark: jobs/s, re-sends, losses and duplicates while computing nodes die and restart.

Why: the test suite runs a short soak (tests/test_soak.py); this longer one, with the same seeded
kill schedule logic, watches for rare losses or duplicates. Each computing node is its own
process, SIGKILLed when a seeded number of solutions has arrived, then replaced; everything stays
on a loopback-only domain of its own. It never asserts; it prints one line per seed.

Run: ``.venv/bin/python bench/bench_soak.py --seeds 0 1`` (``--jobs 5000 --kills 50`` for longer).

Sample output (2-core machine)::

    # vm 2 cpus, load 3.2, domain 228, loopback; 2 main nodes, 4 computing processes, 0.03 s per job
    seed 0: 2000 jobs in 19.4 s (103.2 jobs/s), 20 computing nodes killed, 20 re-sends, 0 lost, 0 duplicated, 0 wrong
    seed 1: 2000 jobs in 19.7 s (101.8 jobs/s), 20 computing nodes killed, 20 re-sends, 0 lost, 0 duplicated, 0 wrong
"""
import argparse
import logging
import os
import platform
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from conftest import Processes  # noqa: E402
from helpers.soak import run_soak  # noqa: E402

from amlip_py.dds.loopback import loopback_only_config, reserve_loopback_domain  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--jobs", type=int, default=2000, help="jobs per seed")
    parser.add_argument("--mains", type=int, default=2, help="main nodes (in this process)")
    parser.add_argument("--computing", type=int, default=4, help="computing node processes")
    parser.add_argument("--kills", type=int, default=20, help="SIGKILLs per seed")
    parser.add_argument("--job-seconds", type=float, default=0.03, help="time each job takes")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0], help="one run per seed")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    client_logger = logging.getLogger("amlip_py.protocol.client")
    client_logger.setLevel(logging.WARNING)  # counted by run_soak, not printed
    client_logger.propagate = False
    domain, _lock = reserve_loopback_domain()
    os.environ["CYCLONEDDS_URI"] = loopback_only_config()
    print(f"# {platform.node()} {os.cpu_count()} cpus, load {os.getloadavg()[0]:.1f}, domain {domain}, loopback; "
          f"{args.mains} main nodes, {args.computing} computing processes, {args.job_seconds} s per job")
    for seed in args.seeds:
        with tempfile.TemporaryDirectory(prefix="bench-soak-") as logs:
            processes = Processes(Path(logs))
            try:
                result = run_soak(processes, domain, jobs=args.jobs, mains=args.mains, computing=args.computing,
                                  kills=args.kills, job_seconds=args.job_seconds, seed=seed, guard=600.0)
            finally:
                processes.cleanup()
        print(f"seed {seed}: {result.summary()}", flush=True)


if __name__ == "__main__":
    main()
