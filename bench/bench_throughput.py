"""Wall time for one async main node to get 20 jobs of 0.2 s solved by three computing nodes.

Why: eProsima's async main negotiates one job at a time, which leaves computing nodes idle
(measured 4.1-4.3 s for this workload); ours requests every job at once. Each computing node runs
in its own process; the clock starts when the main node is created (discovery included) and stops
at the last solution. Everything stays on loopback.

Run: ``.venv/bin/python bench/bench_throughput.py`` (``--rounds 5`` for more rounds).
Target: at most 2.0 s (ideal 20 * 0.2 / 3 = 1.33 s).
"""
import argparse
import os
import platform
import statistics
import subprocess
import sys
import threading
import time

from amlip_py.dds.loopback import loopback_only_config, reserve_loopback_domain

JOBS = 20
JOB_SECONDS = 0.2
COMPUTING_NODES = 3
EPROSIMA_SECONDS = "4.1-4.3"


def serve(domain: int, index: int) -> None:
    from amlip_py.node.AsyncComputingNode import AsyncComputingNode
    from amlip_py.types.JobSolutionDataType import JobSolutionDataType

    def solve(job, task_id, client_id):
        time.sleep(JOB_SECONDS)
        return JobSolutionDataType(job.to_string().upper())

    with AsyncComputingNode(f"BenchComputing{index}", domain=domain, callback=solve) as node:
        node.run()
        print("READY", flush=True)
        sys.stdin.read()


def one_round(domain: int) -> tuple[float, int]:
    """Seconds from creating the main node to the last of the 20 solutions, and servers used."""
    from amlip_py.node.AsyncMainNode import AsyncMainNode
    from amlip_py.types.JobDataType import JobDataType

    done = threading.Event()
    servers = set()
    solved = []

    def on_solution(solution, task_id, server_id):
        solved.append(task_id)
        servers.add(server_id)
        if len(solved) == JOBS:
            done.set()

    start = time.perf_counter()
    with AsyncMainNode("BenchMain", domain=domain, callback=on_solution) as main:
        for index in range(JOBS):
            main.request_job_solution(JobDataType(f"job {index}"))
        if not done.wait(120):
            raise RuntimeError(f"only {len(solved)} of {JOBS} solutions after 120 s")
        elapsed = time.perf_counter() - start
    return elapsed, len(servers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds (after 1 warm-up round)")
    parser.add_argument("--serve", type=int, nargs=2, metavar=("DOMAIN", "INDEX"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve(*args.serve)

    domain, _lock = reserve_loopback_domain()
    os.environ["CYCLONEDDS_URI"] = loopback_only_config()
    children = [subprocess.Popen([sys.executable, __file__, "--serve", str(domain), str(index)],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, start_new_session=True)
                for index in range(COMPUTING_NODES)]
    try:
        for child in children:
            child.stdout.readline()
        print(f"# {platform.node()} {os.cpu_count()} cpus, load {os.getloadavg()[0]:.1f}, domain {domain}, "
              f"loopback; {JOBS} jobs x {JOB_SECONDS} s on {COMPUTING_NODES} computing processes")
        one_round(domain)  # warm-up
        times = []
        for round_index in range(args.rounds):
            elapsed, used = one_round(domain)
            times.append(elapsed)
            print(f"round {round_index + 1}: {elapsed:.2f} s, {used} computing nodes used", flush=True)
        ideal = JOBS * JOB_SECONDS / COMPUTING_NODES
        print(f"median {statistics.median(times):.2f} s | ideal {ideal:.2f} s | "
              f"eProsima async main {EPROSIMA_SECONDS} s | target <= 2.0 s")
    finally:
        for child in children:
            child.stdin.close()
            child.wait(timeout=30)


if __name__ == "__main__":
    main()
