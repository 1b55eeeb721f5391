#!/usr/bin/env python3
"""Edge node: send MNIST test images to inference nodes and score their answers.

Run ``python3 edge_node.py`` with ``inference_node.py`` running. The first ``--count`` test images
go out in requests of ``--per-request`` images, up to ``--window`` requests in flight; then it
prints the predictions' accuracy against the labels, the latency of a request (p50, p99) and
the images answered per second.
"""
import argparse
import signal
import sys
import threading
import time

import numpy as np

from amlip_py.node.AsyncEdgeNode import AsyncEdgeNode, InferenceSolutionListener
from amlip_py.types.InferenceDataType import InferenceDataType
from py_utils.wait.IntWaitHandler import IntWaitHandler
from py_utils.wait.WaitHandler import AwakeReason

from amlip_compat import add_secret_file_option, close_node, secret_keyword
from aml_jobs.inference_text import decode_answer, encode_request
from loadDatasets import DatasetError, loadMNIST

# Domain ID (the tutorial's main and computing nodes use the same)
DOMAIN_ID = 2


class AnswerCollector(InferenceSolutionListener):
    """Send requests within a window of requests in flight; keep each answer and its latency."""

    def __init__(self, window: int):
        super().__init__()
        self.window = threading.Semaphore(window)
        self.lock = threading.Lock()
        self.in_flight = {}  # task id -> (request number, send time)
        self.answers = {}    # request number -> decoded answer
        self.latencies = []
        self.servers = set()
        self.received = IntWaitHandler(True)

    def send(self, edge_node, number, images) -> bool:
        """Send one request once the window has room; False if interrupted meanwhile."""
        while not self.window.acquire(timeout=0.5):
            if not self.received.enabled():
                return False
        text = encode_request(images)
        with self.lock:  # the answer may come before request_inference returns
            self.in_flight[edge_node.request_inference(InferenceDataType(text))] = (number, time.perf_counter())
        return True

    def inference_received(self, inference, task_id, server_id):
        with self.lock:
            number, sent_at = self.in_flight.pop(task_id)
            self.latencies.append(time.perf_counter() - sent_at)
        try:
            self.answers[number] = decode_answer(inference.to_string())
        except ValueError as error:
            self.answers[number] = {'error': str(error)}
        self.servers.add(str(server_id))
        self.window.release()
        self.received.increase()


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument('--count', type=int, default=1000, help='test images to send (1..10000)')
    parser.add_argument('--per-request', type=int, default=1, help='images per request')
    parser.add_argument('--window', type=int, default=16, help='requests in flight at most')
    parser.add_argument('--target-digit', type=int, default=0, choices=range(10), metavar='0..9',
                        help='with a binary model: the digit it was trained on (main_node.py --target-digit)')
    parser.add_argument('--data', default='MNIST', help='folder with the four MNIST IDX files')
    parser.add_argument('--domain', type=int, default=DOMAIN_ID, help='DDS domain id')
    parser.add_argument('--name', default='PyTestAsyncEdgeNode', help='node name')
    parser.add_argument('--dry-run', action='store_true', help='build the requests, print their sizes and exit')
    add_secret_file_option(parser)
    args = parser.parse_args()
    if not 1 <= args.count <= 10000 or min(args.per_request, args.window) < 1:
        parser.error('--count must be in 1..10000, --per-request and --window at least 1')
    return args


def report(collector, labels, args, seconds) -> bool:
    """Print accuracy, latency and throughput; False if any request failed or went unanswered."""
    answered = [n for n, answer in sorted(collector.answers.items()) if 'error' not in answer]
    failed = {n: answer['error'] for n, answer in collector.answers.items() if 'error' in answer}
    requests = -(-args.count // args.per_request)
    for number, error in sorted(failed.items())[:3]:
        print(f'Request {number} failed: {error}')
    if answered:
        predictions = np.concatenate([np.asarray(collector.answers[n]['predictions']) for n in answered])
        truth = np.concatenate([labels[n * args.per_request:(n + 1) * args.per_request] for n in answered])
        if predictions.dtype == bool:  # a binary model answers "is it the digit?", a ten-digit one the digit
            expected, question = truth == args.target_digit, f'"is it a {args.target_digit}?"'
        else:
            expected, question = truth, 'reading the digit'
        correct = int((predictions == expected).sum())
        p50, p99 = np.percentile(collector.latencies, [50, 99]) * 1000
        print(f'accuracy: {100 * correct / len(truth):.2f} % ({correct} of {len(truth)} images) on {question}')
        print(f'latency per request of {args.per_request} image(s): p50 {p50:.2f} ms, p99 {p99:.2f} ms')
        print(f'throughput: {len(truth) / seconds:.0f} images/s ({len(truth)} images in {seconds:.2f} s, '
              f'answered by {", ".join(sorted(collector.servers))})')
    print(f'{len(answered)} of {requests} requests answered, {len(failed)} failed, '
          f'{requests - len(collector.answers)} missing.')
    return len(answered) == requests


def main():
    """Execute main routine."""
    args = parse_arguments()
    try:
        images, labels = loadMNIST(args.data).load_testing()
    except DatasetError as error:
        sys.exit(f'edge_node.py: {error}')
    images, labels = images[:args.count], labels[:args.count]
    batches = [images[i:i + args.per_request] for i in range(0, args.count, args.per_request)]
    if args.dry_run:
        sizes = [len(encode_request(batch)) for batch in batches]
        print(f'{len(batches)} requests of {args.per_request} image(s), {sum(sizes) / 1e6:.2f} MB in all')
        return
    collector = AnswerCollector(args.window)
    signal.signal(signal.SIGINT, lambda signum, frame: collector.received.disable())
    edge_node = AsyncEdgeNode(args.name, listener=collector, domain=args.domain, **secret_keyword(args.secret_file))
    if args.secret_file:
        print(f'Requests are sealed with the key in {args.secret_file}; answers without it are refused.')
    print(f'Node created: {edge_node.get_id()}. Sending {args.count} test images in {len(batches)} requests...',
          flush=True)
    started = time.perf_counter()
    for number, batch in enumerate(batches):
        if not collector.send(edge_node, number, batch):
            break
    finished = collector.received.wait_equal(len(batches)) is AwakeReason.condition_met
    seconds = time.perf_counter() - started
    close_node(edge_node)
    if not finished:
        print('Interrupted.')
    sys.exit(0 if report(collector, labels, args, seconds) else 1)


if __name__ == '__main__':
    main()
