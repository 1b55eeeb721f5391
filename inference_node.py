#!/usr/bin/env python3
"""Inference node: serve a trained model to edge nodes until Ctrl-C.

Run ``python3 inference_node.py --model results/model.json`` once ``main_node.py`` has written
the model; ``edge_node.py`` then sends it test images. A request carries one or more images in
the job's text form, ``x: [[0,0,12,...],...]``; the answer is JSON with each image's prediction
(a binary model: is it the model's digit? a ten-digit model: which digit) and misses (atoms of
the model the image misses; one count per digit for a ten-digit model), or ``{"error": ...}``
for a request the node cannot read.
"""
import os

# One thread: a request's matrix products are small, and threaded BLAS would only spin.
for variable in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS'):
    os.environ.setdefault(variable, '1')

import argparse
import signal
import sys
import threading

from amlip_py.node.AsyncInferenceNode import AsyncInferenceNode, InferenceReplier
from amlip_py.types.InferenceSolutionDataType import InferenceSolutionDataType

from amlip_compat import add_secret_file_option, close_node, secret_keyword
from aml_jobs.inference_text import decode_request, encode_answer, encode_error
from aml_jobs.model_file import ModelFileError, load_model

# Domain ID (the tutorial's main and computing nodes use the same)
DOMAIN_ID = 2


class ModelReplier(InferenceReplier):
    """Answer each request with the model's predictions, or with what is wrong with it."""

    def __init__(self, model):
        super().__init__()
        self.model = model
        self.requests = 0
        self.images = 0

    def process_inference(self, inference, task_id, client_id):
        self.requests += 1
        try:
            images = decode_request(inference.to_string())
            predictions, misses = self.model.predict_with_misses(images)
        except ValueError as error:
            print(f'Request <{task_id}> from <{client_id}> is malformed, answering with an error:\n{error}',
                  flush=True)
            return InferenceSolutionDataType(encode_error(f'malformed request: {error}'))
        self.images += len(images)
        return InferenceSolutionDataType(encode_answer(predictions, misses))


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument('--model', default='results/model.json', help='model file written by main_node.py')
    parser.add_argument('--domain', type=int, default=DOMAIN_ID, help='DDS domain id')
    parser.add_argument('--name', default='PyTestAsyncInferenceNode', help='node name (letters, digits, _ and .)')
    parser.add_argument('--progress-interval', type=float, default=10.0,
                        help='seconds between lines counting the requests served')
    parser.add_argument('--dry-run', action='store_true', help='load the model, create the node, print its id and exit')
    add_secret_file_option(parser)
    return parser.parse_args()


def main():
    """Execute main routine."""
    args = parse_arguments()
    try:
        model = load_model(args.model)
    except ModelFileError as error:
        sys.exit(f'inference_node.py: {error}')
    print(f'Loaded {args.model}: {model.describe()}')
    replier = ModelReplier(model)
    inference_node = AsyncInferenceNode(args.name, listener=replier, domain=args.domain,
                                        **secret_keyword(args.secret_file))
    if args.secret_file:
        print(f'Only requests sealed with the key in {args.secret_file} are answered; answers are sealed with it.')
    print(f'Node created: {inference_node.get_id()} on domain {args.domain}.', flush=True)
    if not args.dry_run:
        stop_requested = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda signum, frame: stop_requested.set())
        inference_node.run()
        print('Serving inference requests. Waiting SIGINT (C^)...', flush=True)
        reported = 0
        while not stop_requested.wait(timeout=args.progress_interval):
            if replier.requests != reported:
                reported = replier.requests
                print(f'Served {replier.requests} requests, {replier.images} images', flush=True)
        inference_node.stop()
    close_node(inference_node)
    print(f'Finishing Inference Node Py execution: served {replier.requests} requests, {replier.images} images.')


if __name__ == '__main__':
    main()
