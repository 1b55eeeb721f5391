"""A node whose statuses the tests watch: an AsyncComputingNode that runs, stops and closes.

Waits for a line on stdin before each step, so the test decides the pace:
``run`` -> running, ``stop`` -> stopped, ``close`` -> dropped (then exits).
"""
import argparse
import sys

from amlip_py.node.AsyncComputingNode import AsyncComputingNode


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--domain", type=int, required=True)
    args = parser.parse_args()
    node = AsyncComputingNode("Subject", domain=args.domain, callback=lambda job, task, client: job)
    print("ID", node.get_id(), flush=True)
    for line in sys.stdin:
        step = line.strip()
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
