"""Run computing nodes for the tests until SIGTERM: solution = job upper-cased.

Prints ``READY <id> ...`` once every node serves, ``BEGIN <node id> <task id>`` when a job starts
and ``JOB <node id> <task id> <client id>`` when it is solved. A job whose text contains the
``--fail-on`` word makes the callback raise ValueError. With ``--progress-steps N`` each job
reports N progress steps while it sleeps; with ``--hang`` every callback then blocks forever
(the process and its DDS lease stay alive: a stuck job).
With ``--sync-jobs K`` it runs one blocking ComputingNode for K jobs instead, printing
``SERVED <client id>`` after each, then exits.
"""
import argparse
import signal
import threading
import time

from amlip_py.node.AsyncComputingNode import AsyncComputingNode
from amlip_py.node.ComputingNode import ComputingNode
from amlip_py.protocol import server
from amlip_py.types.JobSolutionDataType import JobSolutionDataType


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--domain", type=int, required=True)
    parser.add_argument("--count", type=int, default=1, help="number of async computing nodes")
    parser.add_argument("--prefix", default="Comp", help="node names are <prefix><index>")
    parser.add_argument("--sleep", type=float, default=0.0, help="seconds each job takes")
    parser.add_argument("--fail-on", default=None, help="raise ValueError for jobs containing this text")
    parser.add_argument("--hang", action="store_true", help="every job callback blocks forever (after its progress steps)")
    parser.add_argument("--progress-steps", type=int, default=0, help="progress records per job")
    parser.add_argument("--sync-jobs", type=int, default=0, help="run one sync ComputingNode for K jobs")
    parser.add_argument("--peer-timeout", type=float, default=None,
                        help="seconds a server waits for a live client's target or data (shortens a test)")
    parser.add_argument("--secret-file", default=None, help="key file sealing jobs and solutions")
    args = parser.parse_args()
    if args.peer_timeout is not None:
        server.PEER_TIMEOUT_SECONDS = args.peer_timeout

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    nodes = []  # the async nodes, once created (solve reports progress through them)

    def solve(job, task_id=None, client_id=None):
        if args.fail_on and args.fail_on in job.to_string():
            raise ValueError(f"job mentions {args.fail_on}")
        steps = max(args.progress_steps, 1)
        for step in range(1, steps + 1):
            time.sleep(args.sleep / steps)
            for node in nodes[:args.progress_steps and len(nodes)]:  # only the busy one sends
                node.report_progress(step, steps, {"step": step})
        if args.hang:
            threading.Event().wait()
        return JobSolutionDataType(job.to_bytes().upper())

    if args.sync_jobs:
        with ComputingNode(f"{args.prefix}0", domain=args.domain, secret=args.secret_file) as node:
            print("READY", node.get_id(), flush=True)
            for _ in range(args.sync_jobs):
                print("SERVED", node.process_job(callback=solve), flush=True)
        return

    for index in range(args.count):
        node = AsyncComputingNode(f"{args.prefix}{index}", domain=args.domain, secret=args.secret_file,
                                  callback=lambda job, task_id, client_id, n=index:
                                  report(nodes[n], job, task_id, client_id, solve))
        nodes.append(node)
    for node in nodes:
        node.run()
    print("READY", *(node.get_id() for node in nodes), flush=True)
    stop.wait()
    for node in nodes:
        node.close()
    print("CLOSED", flush=True)


PRINT_LOCK = threading.Lock()


def report(node, job, task_id, client_id, solve):
    with PRINT_LOCK:
        print(f"BEGIN {node.get_id()} {task_id}", flush=True)
    solution = solve(job)
    with PRINT_LOCK:
        print(f"JOB {node.get_id()} {task_id} {client_id}", flush=True)
    return solution


if __name__ == "__main__":
    main()
