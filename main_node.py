"""Main node of the tutorial: split MNIST into jobs, gather the trained atoms, merge and score them.

Run ``python3 main_node.py`` with one or more ``computing_node.py`` running. Every job is a
disjoint shard of the training images; each computing node trains "is this digit d?" on its
shard and sends back its atoms. The main node merges them into one model, picks each model's
cut-off on held-out training images, scores every model on the 10,000 test images and writes
``results/report.json``, ``results/model.json`` and ``results/atoms.png``.
"""
import argparse
import signal
import sys
import threading
import time
from pathlib import Path

import numpy as np

from amlip_py.node.AsyncMainNode import AsyncMainNode, SolutionListener
from amlip_py.types.JobDataType import JobDataType
from py_utils.wait.IntWaitHandler import IntWaitHandler
from py_utils.wait.WaitHandler import AwakeReason

from amlip_compat import ERROR_MARKER, add_secret_file_option, close_node, secret_keyword
from AML_binary_classifier import binarize, classifier_from_structures, load_aml_structures
from aml_jobs.atoms_image import draw_atoms
from aml_jobs.codec import JobFormatError, JobSettings, decode_solution, encode_job
from aml_jobs.report import format_table, score_model, write_report
from aml_jobs.shards import disjoint_shards
from loadDatasets import DatasetError, loadMNIST

# Global variables
#  Domain ID
DOMAIN_ID = 2
# Holds the solution of every task, by task id (the tutorial's single dict was overwritten)
solution_data = {}
solution_lock = threading.Lock()
# Wall-clock time each task was handed to the node, to time its transfer
requested_at = {}
# IntWaitHandler object to manage waiting for training job completion
waiter_job = IntWaitHandler(True)


class CustomSolutionListener(SolutionListener):
    """Keep every solution (or the error a computing node reported) and count it."""

    def solution_received(self, solution, task_id, server_id):
        started = time.perf_counter()
        text = solution.to_string()
        try:
            decoded = decode_solution(text)
        except JobFormatError as error:
            failed = text.startswith(ERROR_MARKER)
            decoded = {'error': text[len(ERROR_MARKER):] if failed else f'unreadable solution: {error}',
                       'shard': None}
        decoded['server'] = str(server_id)
        decoded['task'] = task_id
        decoded['main_parse_seconds'] = time.perf_counter() - started
        if 'error' in decoded:
            print(f'Task <{task_id}> failed on <{server_id}>: {decoded["error"]}')
        else:
            stats = decoded['stats']
            print(f'Solution for task <{task_id}> (shard {decoded["shard"]}) from <{server_id}>: '
                  f'{len(decoded["model"][str(decoded["model"]["vTerm"][0])])} atoms, '
                  f'trained in {stats["train_seconds"]:.1f} s')
        with solution_lock:
            solution_data[task_id] = decoded
        waiter_job.increase()


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument('--jobs', type=int, default=2, help='number of shards, one job each')
    parser.add_argument('--target-digit', type=int, default=0, choices=range(10), metavar='0..9')
    parser.add_argument('--domain', type=int, default=DOMAIN_ID, help='DDS domain id')
    parser.add_argument('--data', default='MNIST', help='folder with the four MNIST IDX files')
    parser.add_argument('--train-limit', type=int, default=None, metavar='N', help='use the first N training images')
    parser.add_argument('--batches', type=int, default=250, help='training batches per learner')
    parser.add_argument('--learners', type=int, default=1,
                        help='independent learners per computing node, each fed its own batches')
    parser.add_argument('--seed', type=int, default=0, help='seed of the shards and of training')
    parser.add_argument('--out', default='results', help='folder for report.json, model.json, atoms.png')
    parser.add_argument('--name', default='PyTestAsyncMainNode', help='node name')
    parser.add_argument('--progress-interval', type=float, default=10.0, help='seconds between progress lines')
    parser.add_argument('--dry-run', action='store_true', help='build the jobs, print their sizes and exit')
    add_secret_file_option(parser)
    args = parser.parse_args()
    if min(args.jobs, args.batches, args.learners) < 1 or (args.train_limit is not None
                                                          and args.train_limit < 2 * args.jobs):
        parser.error('--jobs, --batches and --learners must be at least 1, --train-limit at least 2 x --jobs')
    return args


def load_data(args):
    """Training images split into disjoint shards plus a validation tail, and the test images."""
    dataset = loadMNIST(args.data)
    images, labels = dataset.load_training()
    images, labels = images[:args.train_limit], labels[:args.train_limit]
    n_validation = len(images) // 6
    n_train = len(images) - n_validation
    shards = [(images[i], labels[i]) for i in disjoint_shards(n_train, args.jobs, args.seed)]
    validation = (binarize(images[n_train:]), labels[n_train:] == args.target_digit)
    test_images, test_labels = dataset.load_testing()
    return shards, validation, (binarize(test_images), test_labels == args.target_digit)


def send_jobs(main_node, shards, args):
    """Request one solution per shard; return the time spent building the job texts."""
    build_seconds = 0.0
    for shard, (images, labels) in enumerate(shards):
        if not waiter_job.enabled():  # Ctrl-C: stop building jobs
            break
        started = time.perf_counter()
        settings = JobSettings(shard=shard, shards=len(shards), target_digit=args.target_digit,
                               batches=args.batches, seed=args.seed + shard, learners=args.learners)
        job_data = JobDataType(encode_job(images, labels, settings))
        build_seconds += time.perf_counter() - started
        print(f'Job for shard {shard}: {len(images)} images, {job_data.data_size() / 1e6:.1f} MB')
        if not args.dry_run:
            requested = time.time()
            requested_at[main_node.request_job_solution(job_data)] = requested
    return build_seconds


def wait_for_solutions(n_jobs, interval, started):
    """Print progress until every solution is in; False if the wait was interrupted."""
    while (reason := waiter_job.wait_equal(n_jobs, timeout=interval)) is AwakeReason.timeout:
        with solution_lock:
            by_node = {}
            for solution in solution_data.values():
                by_node[solution['server']] = by_node.get(solution['server'], 0) + 1
        nodes = ', '.join(f'{node}: {count}' for node, count in sorted(by_node.items())) or 'none yet'
        print(f'[{time.monotonic() - started:6.0f} s] {n_jobs} of {n_jobs} jobs sent, '
              f'{waiter_job.get_value()} of {n_jobs} solutions received ({nodes})')
    return reason is AwakeReason.condition_met


def score_solutions(solutions, shards, validation, test, target_digit):
    """Score each shard model and their merge; cut-offs come from the validation images."""
    shard_rows, models = [], []
    for solution in solutions:
        model = classifier_from_structures(solution['model']).choose_cutoff(*validation)
        models.append(model)
        shard_rows.append({'shard': solution['shard'], 'node': solution['server'], **solution['stats'],
                           **score_model(model, *test)})
    positives = np.vstack([binarize(images[labels == target_digit])
                           for images, labels in (shards[s['shard']] for s in solutions)])
    merged = models[0]
    for model in models[1:]:
        merged = merged.merge(model, positives=positives)
    merged.choose_cutoff(*validation)
    union_atoms = len({tuple(atom.ucs) for model in models for atom in model.atoms_})
    return shard_rows, merged, {**score_model(merged, *test), 'union_atoms': union_atoms}


def job_timings(build_seconds, solutions, total_seconds):
    """Seconds spent building, sending and parsing jobs, and their share of all the work.

    A job travels from its request, or from the moment its computing node came free if it had to
    queue, to its arrival at that node (wall clocks of both machines). The share compares job
    handling with job handling plus training, summed over all jobs and nodes.
    """
    send, free_since = 0.0, {}
    for solution in sorted(solutions, key=lambda s: s['stats']['received_at']):
        stats = solution['stats']
        send += stats['received_at'] - max(requested_at[solution['task']], free_since.get(solution['server'], 0.0))
        free_since[solution['server']] = stats['finished_at']
    parse = sum(s['stats']['parse_seconds'] + s['main_parse_seconds'] for s in solutions)
    overhead = build_seconds + send + parse
    training = sum(s['stats']['train_seconds'] for s in solutions)
    return {'build_seconds': build_seconds, 'send_seconds': send, 'parse_seconds': parse,
            'train_seconds': training, 'total_seconds': total_seconds,
            'overhead_share': overhead / (overhead + training)}


def main():
    """Execute main routine."""
    args = parse_arguments()
    started = time.monotonic()
    try:
        shards, validation, test = load_data(args)
    except DatasetError as error:
        sys.exit(f'main_node.py: {error}')
    print('Starting Async Main Node Py execution. Creating Node...')
    signal.signal(signal.SIGINT, lambda signum, frame: waiter_job.disable())
    main_node = None if args.dry_run else AsyncMainNode(args.name, listener=CustomSolutionListener(),
                                                        domain=args.domain, **secret_keyword(args.secret_file))
    if args.secret_file:
        print(f'Jobs are sealed with the key in {args.secret_file}; solutions without it are refused.')
    build_seconds = send_jobs(main_node, shards, args)
    if args.dry_run:
        return
    waiting_since = time.monotonic()
    finished = wait_for_solutions(len(shards), args.progress_interval, started)
    wait_seconds = time.monotonic() - waiting_since
    close_node(main_node)
    if not finished:
        sys.exit(f'Interrupted: {len(shards) - waiter_job.get_value()} of {len(shards)} solutions missing.')
    solutions = sorted((s for s in solution_data.values() if 'error' not in s), key=lambda s: s['shard'])
    if not solutions:
        sys.exit('No computing node returned a model; see the errors above.')

    shard_rows, merged, merged_row = score_solutions(solutions, shards, validation, test, args.target_digit)
    failed = [{'task': s['task'], 'node': s['server'], 'error': s['error']}
              for s in solution_data.values() if 'error' in s]
    report = {'target_digit': args.target_digit, 'merged': merged_row, 'shards': shard_rows, 'failed': failed,
              'timings': {**job_timings(build_seconds, solutions, time.monotonic() - started),
                          'wait_seconds': wait_seconds}}
    models = {'model': {**load_aml_structures(merged.cmanager_, merged.atoms_), 'cutoff': int(merged.cutoff_)}}
    models.update((f"shard-{s['shard']}", s['model']) for s in solutions)
    write_report(Path(args.out), report, models)
    drawn = draw_atoms([atom.ucs for atom in merged.atoms_], Path(args.out) / 'atoms.png')
    print(format_table(report))
    if failed:
        print(f'{len(failed)} of {len(shards)} jobs failed (see "failed" in report.json); '
              'the models above leave their shards out.')
    print(f'Wrote report.json, model.json, shard models and atoms.png ({drawn} atoms) to {args.out}/')
    print('All jobs finished. Stopping Async Main Node Py execution.')


if __name__ == '__main__':
    main()
