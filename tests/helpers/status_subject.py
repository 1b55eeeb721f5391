"""A computing node the tests drive step by step: an AsyncComputingNode that runs, stops and closes.

Waits for a line on stdin before each step, so the test decides the pace: ``run`` -> running,
``stop`` -> stopped, ``close`` -> dropped (then exits). Prints ``DOING <step>`` before and
``DID <step>`` after each step, and ``JOB <task id> <job text>`` for every job it solves
(the solution is the job text upper-cased).
"""
import argparse
import sys

from amlip_py.node.AsyncComputingNode import AsyncComputingNode
from amlip_py.types.JobSolutionDataType import JobSolutionDataType


def solve(job, task_id, client_id):
    print("JOB", task_id, job.to_string(), flush=True)
    return JobSolutionDataType(job.to_string().upper())


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--domain", type=int, required=True)
    args = parser.parse_args()
    node = AsyncComputingNode("Subject", domain=args.domain, callback=solve)
    print("ID", node.get_id(), flush=True)
    for line in sys.stdin:
        step = line.strip()
        print("DOING", step, flush=True)
        if step == "run":
            node.run()
        elif step == "stop":
            node.stop()
        elif step == "close":
            node.close()
            print("CLOSED", flush=True)
            return
        print("DID", step, flush=True)


if __name__ == "__main__":
    main()
