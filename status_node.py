#!/usr/bin/env python3
"""Monitor an AML-IP domain: print nodes joining, working, stopping and leaving.

Run ``python3 status_node.py`` beside the tutorial's nodes (same ``--domain``). Every node,
ours or eProsima's, publishes its status; this prints one line per change until Ctrl-C, and the
training progress our computing nodes report, at most one line per job every ``--progress-interval``.
"""
import argparse
import signal
import threading
import time

from amlip_py.node.StatusNode import StatusNode
from amlip_py.types.StatusDataType import StateKind

from amlip_compat import close_node, node_kind_name, process_status_and_progress
from aml_jobs.progress_display import training_text

# Domain ID of the tutorial's nodes
DOMAIN_ID = 2

WHAT_STATE_MEANS = {StateKind.UNKNOWN.value: 'unknown', StateKind.RUNNING.value: 'running',
                    StateKind.STOPPED.value: 'stopped', StateKind.DROPPED.value: 'left'}


class StatusPrinter:
    """Turn each status sample into a line saying what happened to which node."""

    def __init__(self):
        self.known_nodes = set()

    def __call__(self, status):
        node = str(status.id())
        kind = node_kind_name(status.node_kind())
        event = WHAT_STATE_MEANS.get(status.state(), f'unknown({status.state()})')
        if node not in self.known_nodes and event != 'left':
            self.known_nodes.add(node)
            event = f'joined ({event})'
        print(f'{time.strftime("%H:%M:%S")}  {node:<40} {kind:<10} {event}', flush=True)


class ProgressPrinter:
    """One line per job and interval: batches done of total, model atoms and ETA."""

    def __init__(self, interval):
        self.interval = interval
        self.printed_at = {}

    def __call__(self, record):
        job = (str(record.client_id), record.task_id)
        if 'atoms' not in record.details():  # another use of the progress topic: not training
            return
        last = self.printed_at.get(job)
        if record.done < record.total and last is not None and time.monotonic() - last < self.interval:
            return
        self.printed_at[job] = time.monotonic()
        if record.done == record.total:
            del self.printed_at[job]
        print(f'{time.strftime("%H:%M:%S")}  {str(record.server_id):<40} task {record.task_id} of {job[0]}: '
              f'{training_text(record)}', flush=True)


def main():
    """Execute main routine."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument('--domain', type=int, default=DOMAIN_ID, help='DDS domain id')
    parser.add_argument('--name', default='AML-StatusNode', help='node name')
    parser.add_argument('--progress-interval', type=float, default=10.0,
                        help='seconds between progress lines of one job (0: every batch)')
    args = parser.parse_args()

    status_node = StatusNode(args.name, domain=args.domain)
    print(f'Status Node {status_node.get_id()} watching domain {args.domain}. Waiting SIGINT (C^)...', flush=True)
    stop_requested = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda signum, frame: stop_requested.set())
    process_status_and_progress(status_node, StatusPrinter(), ProgressPrinter(args.progress_interval))
    while not stop_requested.wait(timeout=1.0):
        pass
    close_node(status_node)
    print('Finishing Status Node Py execution.')


if __name__ == '__main__':
    main()
