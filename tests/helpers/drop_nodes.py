"""A careless program: it starts two nodes of every kind with threads and closes none.

One of each it keeps to the end, the other it drops (last reference gone) and prints ``DROPPED``;
then it waits for a line on stdin and returns from ``main`` while the kept nodes' threads wait for
work. Prints ``ID <node id> <node kind>`` per node. The dropped nodes must leave at once, and
Python must exit when ``main`` returns, the kept nodes publishing ``dropped`` on the way out.
"""
import argparse
import sys

from amlip_py.node.AsyncComputingNode import AsyncComputingNode
from amlip_py.node.AsyncEdgeNode import AsyncEdgeNode
from amlip_py.node.AsyncInferenceNode import AsyncInferenceNode
from amlip_py.node.AsyncMainNode import AsyncMainNode
from amlip_py.node.MainNode import MainNode
from amlip_py.node.StatusNode import StatusNode

kept = []


def started_nodes(domain: int) -> list:
    computing = AsyncComputingNode("CarelessComputing", domain=domain, callback=lambda job, task, client: job)
    computing.run()
    inference = AsyncInferenceNode("CarelessInference", domain=domain, callback=lambda data, task, client: data)
    inference.run()
    status = StatusNode("CarelessStatus", domain=domain)
    status.process_status_async(callback=lambda status: None)
    return [computing, inference, status,
            AsyncMainNode("CarelessAsyncMain", domain=domain, callback=print),
            AsyncEdgeNode("CarelessEdge", domain=domain, callback=print),
            MainNode("CarelessMain", domain=domain, progress_callback=print)]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--domain", type=int, required=True)
    args = parser.parse_args()
    kept.extend(started_nodes(args.domain))
    dropped = started_nodes(args.domain)
    for node in kept + dropped:
        print("ID", node.get_id(), node.node_kind(), "kept" if node in kept else "dropped", flush=True)
    del node, dropped
    print("DROPPED", flush=True)
    sys.stdin.readline()


if __name__ == "__main__":
    main()
