"""A main node in its own process: send jobs, check each solution came exactly once, exit 0 if so.

Why a process: the multi-host tests run the main node inside a network namespace, which only a
child process can enter. Job i is ``job <i>`` padded with ``x`` to ``--size`` bytes; the helper
computing nodes answer it upper-cased. Prints ``SOLVED <k> of <n>, <d> duplicated, <w> wrong`` and
``PROGRESS <task> <done>/<total>`` for every progress record.
"""
import argparse
import logging
import sys
import threading
import time

from amlip_py.node.AsyncMainNode import AsyncMainNode
from amlip_py.types.JobDataType import JobDataType

DUPLICATE_GRACE_SECONDS = 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--domain", type=int, required=True)
    parser.add_argument("--jobs", type=int, default=4, help="jobs to send")
    parser.add_argument("--size", type=int, default=0, help="bytes per job (padded)")
    parser.add_argument("--guard", type=float, default=120.0, help="seconds before giving up (a hang guard)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")
    received: dict[int, list[str]] = {}
    cond = threading.Condition()

    def solved(solution, task_id, server_id):
        with cond:
            received.setdefault(task_id, []).append(solution.to_string())
            cond.notify_all()

    def progressed(record):
        print(f"PROGRESS {record.task_id} {record.done}/{record.total}", flush=True)

    with AsyncMainNode("HostMain", domain=args.domain, callback=solved, progress_callback=progressed) as node:
        print("READY", node.get_id(), flush=True)
        started = time.monotonic()
        expected = {}
        for index in range(args.jobs):
            text = f"job {index} ".ljust(args.size, "x")
            expected[node.request_job_solution(JobDataType(text))] = text.upper()
        with cond:
            cond.wait_for(lambda: len(received) == len(expected), args.guard)
        seconds = time.monotonic() - started
        time.sleep(DUPLICATE_GRACE_SECONDS)
    with cond:
        duplicated = sum(len(texts) > 1 for texts in received.values())
        wrong = sum(texts[0] != expected[task] for task, texts in received.items())
    print(f"SOLVED {len(received)} of {len(expected)}, {duplicated} duplicated, {wrong} wrong in {seconds:.1f} s",
          flush=True)
    return 0 if len(received) == len(expected) and not duplicated and not wrong else 1


if __name__ == "__main__":
    sys.exit(main())
