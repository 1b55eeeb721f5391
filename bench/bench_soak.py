"""Soak benchmark: jobs/s, re-sends, losses and duplicates while computing nodes die and restart.

Why: the test suite runs a short soak (tests/test_soak.py); this longer one, with the same seeded
kill schedule logic, watches for rare losses or duplicates. Each computing node is its own
process, SIGKILLed when a seeded number of solutions has arrived, then replaced; everything stays
on a loopback-only domain of its own. It never asserts; it prints one line per seed.

It also prints resource use at ``--samples`` points of each run, so growth per job shows: of
this process (the main nodes: RSS, threads of the OS, DDS entities of their participants) and of
the computing processes alive then (mean RSS and threads; with kills they are restarted, so use
``--kills 0`` to watch them over the whole run). A steady state looks like flat columns.

Run: ``.venv/bin/python bench/bench_soak.py --seeds 0 1`` (``--jobs 5000 --kills 50`` for longer).

Sample output (2-core machine; the second run without kills)::

    # vm 2 cpus, load 7.5, domain 173, loopback; 2 main nodes, 4 computing processes, 0.03 s per job
         250 solutions: main RSS   43.9 MB,  10 threads,   94 DDS entities; computing RSS  30.7 MB,  7.0 threads
        1000 solutions: main RSS   45.0 MB,  10 threads,  118 DDS entities; computing RSS  31.3 MB,  7.0 threads
        2000 solutions: main RSS   45.7 MB,  10 threads,  148 DDS entities; computing RSS  32.0 MB,  7.0 threads
    seed 0: 2000 jobs in 24.6 s (81.3 jobs/s), 20 computing nodes killed, 17 re-sends, 0 lost, 0 duplicated, 0 wrong
      growth per job after warm-up: main RSS +825 B, threads +0.0000, DDS entities +0.0300; computing RSS +830 B
    # vm 2 cpus, load 8.5, domain 210, loopback; 2 main nodes, 4 computing processes, 0.03 s per job
         250 solutions: main RSS   43.9 MB,  10 threads,   94 DDS entities; computing RSS  30.7 MB,  7.0 threads
        1000 solutions: main RSS   44.3 MB,  10 threads,   94 DDS entities; computing RSS  30.8 MB,  7.0 threads
        2000 solutions: main RSS   44.8 MB,  10 threads,   94 DDS entities; computing RSS  30.8 MB,  7.0 threads
    seed 1: 2000 jobs in 16.9 s (118.4 jobs/s), 0 computing nodes killed, 0 re-sends, 0 lost, 0 duplicated, 0 wrong
      growth per job after warm-up: main RSS +508 B, threads +0.0000, DDS entities +0.0000; computing RSS +71 B

Reading it: this process also keeps every solution for the verdict (about 500 B per job), which
is the main RSS growth; with kills, the main nodes keep the data writers of each killed node for
``participant.UNMATCHED_WRITER_GRACE_SECONDS`` (60 s, longer than this run) before deleting them,
hence the entities; the computing columns of a run with kills average different processes.
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


def proc_status(pid: str | int = "self") -> dict[str, int]:
    """VmRSS (kB) and Threads of a process, from /proc."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "Threads"):
            fields[key] = int(value.split()[0])
    return fields


class ResourceLog:
    """Prints a resource line at each checkpoint and the growth per job over the run."""

    def __init__(self):
        self.rows = []

    def sample(self, solutions: int, main_nodes, computing) -> None:
        own = proc_status()
        entities = sum(node._session.participant.entity_count() for node in main_nodes)
        workers = [proc_status(proc.pid) for proc in computing if proc.poll() is None]
        worker_rss = sum(w["VmRSS"] for w in workers) / max(len(workers), 1) / 1024
        worker_threads = sum(w["Threads"] for w in workers) / max(len(workers), 1)
        self.rows.append((solutions, own["VmRSS"] / 1024, own["Threads"], entities, worker_rss, worker_threads))
        print(f"  {solutions:>6} solutions: main RSS {own['VmRSS'] / 1024:6.1f} MB, {own['Threads']:3d} threads, "
              f"{entities:4d} DDS entities; computing RSS {worker_rss:5.1f} MB, {worker_threads:4.1f} threads",
              flush=True)

    def growth(self) -> str:
        """Change per job between the second checkpoint (after warm-up) and the last."""
        if len(self.rows) < 3:
            return "too few checkpoints for growth"
        first, last = self.rows[1], self.rows[-1]
        jobs = last[0] - first[0]
        return (f"growth per job after warm-up: main RSS {(last[1] - first[1]) * 1024 * 1024 / jobs:+.0f} B, "
                f"threads {(last[2] - first[2]) / jobs:+.4f}, DDS entities {(last[3] - first[3]) / jobs:+.4f}; "
                f"computing RSS {(last[4] - first[4]) * 1024 * 1024 / jobs:+.0f} B")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--jobs", type=int, default=2000, help="jobs per seed")
    parser.add_argument("--mains", type=int, default=2, help="main nodes (in this process)")
    parser.add_argument("--computing", type=int, default=4, help="computing node processes")
    parser.add_argument("--kills", type=int, default=20, help="SIGKILLs per seed")
    parser.add_argument("--job-seconds", type=float, default=0.03, help="time each job takes")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0], help="one run per seed")
    parser.add_argument("--samples", type=int, default=8, help="resource samples per run")
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
            resources = ResourceLog()
            checkpoints = [args.jobs * (index + 1) // args.samples for index in range(args.samples)]
            try:
                result = run_soak(processes, domain, jobs=args.jobs, mains=args.mains, computing=args.computing,
                                  kills=args.kills, job_seconds=args.job_seconds, seed=seed, guard=600.0,
                                  checkpoints=checkpoints, sample=resources.sample)
            finally:
                processes.cleanup()
        print(f"seed {seed}: {result.summary()}\n  {resources.growth()}", flush=True)


if __name__ == "__main__":
    main()
