#!/usr/bin/env python3
"""Main node of the tutorial: split MNIST into jobs, gather the trained atoms, merge and score them.

Run ``python3 main_node.py`` with computing nodes running. Each job is a disjoint shard of the
training images naming the digits to learn; per digit the main node keeps the merge of the shard
models that does best on held-out training images, and with ``--target-digit all`` joins the ten
digits into one classifier. Results (scored on the test images) go to ``results/``.
"""
import argparse
import signal
import sys
import threading
import time
from pathlib import Path


from amlip_py.node.AsyncMainNode import AsyncMainNode, SolutionListener
from amlip_py.types.JobDataType import JobDataType
from py_utils.wait.IntWaitHandler import IntWaitHandler
from py_utils.wait.WaitHandler import AwakeReason

from amlip_compat import ERROR_MARKER, add_secret_file_option, close_node, main_node_options, secret_keyword
from AML_binary_classifier import binarize
from aml_jobs.codec import JobFormatError, decode_solution, solution_models
from aml_jobs.evaluation import evaluate_digits
from aml_jobs.plan import plan_jobs, target_digit
from aml_jobs.progress_display import JobProgress
from aml_jobs.report import done_line, job_rows, job_timings
from aml_jobs.resume import SolutionKeeper, resume_line
from aml_jobs.run_results import write_binary, write_ten_digits
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
    """Keep every solution (or the error a computing node reported) in memory and models on disk too,
    count it, say what is done."""

    def __init__(self, keeper, progress):
        super().__init__()  # eProsima's listeners are SWIG directors: their C++ half is made here
        self.keeper, self.progress = keeper, progress

    def solution_received(self, solution, task_id, server_id):
        started = time.perf_counter()
        text = solution.to_string()
        try:
            decoded = decode_solution(text)
        except JobFormatError as error:
            failed = text.startswith(ERROR_MARKER)
            decoded = {'error': text[len(ERROR_MARKER):] if failed else f'unreadable solution: {error}',
                       'shard': None}
        decoded.update(server=str(server_id), task=task_id, main_parse_seconds=time.perf_counter() - started)
        with solution_lock:
            solution_data[task_id] = decoded
        self.progress.finish(task_id)
        if 'error' in decoded:
            print(f'Task <{task_id}> failed on <{server_id}>: {decoded["error"]}')
        else:
            self.keeper.save(decoded, text, str(server_id))
            digits = ' '.join(str(digit) for digit in solution_models(decoded))
            print(f'Solution for task <{task_id}> from <{server_id}>: shard {decoded["shard"]}, digits {digits}, '
                  f'trained in {decoded["stats"]["train_seconds"]:.1f} s')
        waiter_job.increase()


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument('--jobs', type=int, default=2, help='number of shards of the training images')
    parser.add_argument('--target-digit', type=target_digit, default=0, metavar='{0..9,all}',
                        help='the digit to learn, or all ten (one classifier reading digits)')
    parser.add_argument('--digits-per-job', type=int, default=5,
                        help='with all: digits trained per job; jobs = shards x ceil(10 / this)')
    parser.add_argument('--readout-images', type=int, default=0, metavar='N',
                        help='with all: training images kept out of the shards to fit the read-out rule on; '
                             '0 fits it on the shards\' images (fine for young models, ~60 batches)')
    parser.add_argument('--domain', type=int, default=DOMAIN_ID, help='DDS domain id')
    parser.add_argument('--data', default='MNIST', help='folder with the four MNIST IDX files')
    parser.add_argument('--train-limit', type=int, default=None, metavar='N', help='use the first N training images')
    parser.add_argument('--batches', type=int, default=250, help='training batches per learner')
    parser.add_argument('--learners', type=int, default=1,
                        help='independent learners per computing node, each fed its own batches')
    parser.add_argument('--seed', type=int, default=0, help='seed of the shards and of training')
    parser.add_argument('--out', default='results', help='folder for report.json, model.json and pictures')
    parser.add_argument('--name', default='PyTestAsyncMainNode', help='node name')
    parser.add_argument('--progress-interval', type=float, default=10.0,
                        help='seconds between progress lines (one per job out) when the output is not a terminal')
    parser.add_argument('--job-timeout', type=float, default=None, metavar='S',
                        help='a job S seconds without a solution (or progress) is stuck: it is copied to an idle '
                             'computing node and the first solution wins; None: stuck judged from the other jobs')
    parser.add_argument('--resume', action='store_true',
                        help='reuse the solutions kept in --out of jobs with the same settings and data; send the rest')
    parser.add_argument('--dry-run', action='store_true', help='build the jobs, print their sizes and exit')
    add_secret_file_option(parser)
    args = parser.parse_args()
    args.digits = list(range(10)) if args.target_digit == 'all' else [args.target_digit]
    if args.target_digit != 'all':
        args.readout_images = 0
    if min(args.jobs, args.batches, args.learners, args.digits_per_job) < 1 or args.readout_images < 0:
        parser.error('--jobs, --batches, --learners and --digits-per-job must be at least 1, --readout-images >= 0')
    if args.job_timeout is not None and args.job_timeout <= 0:
        parser.error(f'--job-timeout must be more than 0 seconds, got {args.job_timeout}')
    return args


def load_training(args):
    """Training images and labels, and the disjoint shards cut from them for the jobs."""
    images, labels = loadMNIST(args.data).load_training()
    images, labels = images[:args.train_limit], labels[:args.train_limit]
    n_train = len(images) - len(images) // 6 - args.readout_images
    if n_train < 2 * args.jobs:
        sys.exit(f'main_node.py: {len(images)} training images leave {n_train} for {args.jobs} shards after '
                 f'{len(images) // 6} validation and {args.readout_images} read-out images; use fewer of them')
    return images, labels, [(images[i], labels[i]) for i in disjoint_shards(n_train, args.jobs, args.seed)]


def scoring_images(args, images, labels):
    """Read-out images, validation images (the last sixth of the training images) and test images.

    All are ``(boolean images, labels)``; the gray test images come last. The main node prepares
    them while the jobs train, so only the scoring itself waits for the solutions.
    """
    n_validation = len(images) // 6
    n_train = len(images) - n_validation - args.readout_images
    readout = slice(0 if args.readout_images == 0 else n_train, len(images) - n_validation)
    validation = slice(len(images) - n_validation, None)
    test_images, test_labels = loadMNIST(args.data).load_testing()
    return ((binarize(images[readout]), labels[readout]), (binarize(images[validation]), labels[validation]),
            (binarize(test_images), test_labels), test_images)


def send_and_wait(args, jobs, reused, keeper, progress, started, while_waiting):
    """Send ``jobs`` from a new main node, call ``while_waiting()``, show progress until all are answered;
    False if interrupted."""
    print('Starting Async Main Node Py execution. Creating Node...')
    main_node = AsyncMainNode(args.name, listener=CustomSolutionListener(keeper, progress), domain=args.domain,
                              **secret_keyword(args.secret_file),
                              **main_node_options(AsyncMainNode, progress.record, args.job_timeout))
    if args.secret_file:
        print(f'Jobs are sealed with the key in {args.secret_file}; solutions without it are refused.')
    for job in jobs:
        requested = time.time()
        task_id = main_node.request_job_solution(JobDataType(job.text))
        requested_at[task_id] = requested
        progress.add(task_id, job.settings)
    while_waiting()
    interval = min(args.progress_interval, 1.0) if sys.stdout.isatty() else args.progress_interval
    try:
        while (reason := waiter_job.wait_equal(len(jobs), timeout=interval)) is AwakeReason.timeout:
            progress.show(f'[{time.monotonic() - started:6.0f} s] {len(reused) + waiter_job.get_value()} of '
                          f'{len(reused) + len(jobs)} solutions received; shards done per digit '
                          f'{done_line(reused + solved(), args.digits, args.jobs)}')
        return reason is AwakeReason.condition_met
    finally:
        close_node(main_node)


def solved():
    """The solutions received so far that hold models, by shard."""
    with solution_lock:
        return sorted((s for s in solution_data.values() if 'error' not in s), key=lambda s: s['shard'])


def main():
    """Execute main routine."""
    args = parse_arguments()
    started = time.monotonic()
    signal.signal(signal.SIGINT, lambda signum, frame: waiter_job.disable())
    try:
        images, labels, shards = load_training(args)
    except DatasetError as error:
        sys.exit(f'main_node.py: {error}')
    plan = plan_jobs(shards, args.digits, args.digits_per_job, binary=args.target_digit != 'all',
                     batches=args.batches, seed=args.seed, learners=args.learners)
    print(plan.describe())
    if args.dry_run:
        return
    keeper = SolutionKeeper(args.out, plan.jobs)
    reused, to_send = keeper.split(plan.jobs) if args.resume else ([], plan.jobs)
    if args.resume:
        print(resume_line(args.out, reused, len(plan.jobs)))
    waiting_since, scoring = time.monotonic(), []  # read-out, validation and test images, made while jobs train
    try:
        with JobProgress(live=sys.stdout.isatty() and bool(to_send)) as progress:
            finished = not to_send or send_and_wait(args, to_send, reused, keeper, progress, started,
                                                    lambda: scoring.extend(scoring_images(args, images, labels)))
    except DatasetError as error:
        sys.exit(f'main_node.py: {error}')
    wait_seconds = time.monotonic() - waiting_since
    if not finished:
        sys.exit(f'Interrupted: {len(to_send) - waiter_job.get_value()} of {len(plan.jobs)} solutions missing.')
    solutions = sorted(reused + solved(), key=lambda s: s['shard'])
    if not solutions:
        sys.exit('No computing node returned a model; see the errors above.')

    readout, validation, test, test_images = scoring or scoring_images(args, images, labels)
    print(f'Scoring each digit\'s model on {len(validation[1])} validation and {len(test[1])} test images...', flush=True)
    results = evaluate_digits(solutions, shards, validation, test, args.digits)
    failed = [{'task': s['task'], 'node': s['server'], 'error': s['error']}
              for s in solution_data.values() if 'error' in s]
    report = {'target_digit': args.target_digit, 'failed': failed, 'jobs': job_rows(solutions),
              'bytes': plan.bytes_report(),
              'timings': {**job_timings(requested_at, plan.build_seconds, solutions, time.monotonic() - started),
                          'wait_seconds': wait_seconds}}
    if args.target_digit == 'all':
        write_ten_digits(Path(args.out), report, results, (readout, validation, test), test_images, started)
    else:
        write_binary(Path(args.out), report, results[args.target_digit], solutions, args.target_digit)
    if failed:
        print(f'{len(failed)} of {len(plan.jobs)} jobs failed (see "failed" in report.json); '
              'the models above leave their shards out.')
    print('All jobs finished. Stopping Async Main Node Py execution.')


if __name__ == '__main__':
    main()
