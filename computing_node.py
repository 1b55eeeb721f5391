#!/usr/bin/env python3
"""Computing node of the tutorial: train AML binary classifiers on every job received.

Run one per terminal (or machine) with ``python3 computing_node.py``; it serves jobs until
Ctrl-C. Each job carries a shard of MNIST plus the target digit (or digits, for the ten-digit
classifier) and training settings; the answer is each digit's learned atoms in the tutorial's
JSON shape, or an error the main node can show.
"""
import os

# One thread per computing node: AML's matrix products are too small to gain from threaded BLAS,
# whose spinning threads would take the core of a second computing node on the same machine.
# Set before numpy is imported; an explicit setting in the environment wins.
for variable in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS'):
    os.environ.setdefault(variable, '1')

import argparse
import signal
import threading
import time

from amlip_py.node.AsyncComputingNode import AsyncComputingNode, JobReplier
from amlip_py.types.JobSolutionDataType import JobSolutionDataType

from amlip_compat import add_secret_file_option, close_node, report_progress, secret_keyword
from AML_binary_classifier import train_alma
from aml_jobs.codec import JobFormatError, decode_job, encode_error, encode_solution

# Domain ID
DOMAIN_ID = 2


class CustomJobReplier(JobReplier):
    """Decode the job, train on its shard, answer with the model (or with what went wrong)."""

    def __init__(self, show_progress: bool = True, max_job_mb: float = None, max_batches: int = None):
        super().__init__()
        self.show_progress = show_progress
        self.max_job_mb = max_job_mb
        self.max_batches = max_batches
        self.node = None

    def process_job(self, job, task_id, client_id):
        received_at = time.time()
        print(f'Received job <{task_id}> from <{client_id}> ({job.data_size() / 1e6:.1f} MB)')
        if self.max_job_mb is not None and job.data_size() > self.max_job_mb * 1e6:
            print(f'Job <{task_id}> is over --max-job-mb {self.max_job_mb}, answering with an error')
            return JobSolutionDataType(encode_error(
                f'job of {job.data_size() / 1e6:.1f} MB refused: this computing node takes at most '
                f'{self.max_job_mb} MB (--max-job-mb)'))
        started = time.perf_counter()
        try:
            images, labels, settings = decode_job(job.to_string())
        except JobFormatError as error:
            print(f'Job <{task_id}> is malformed, answering with an error:\n{error}')
            return JobSolutionDataType(encode_error(f'malformed job: {error}'))
        if self.max_batches is not None and settings.batches > self.max_batches:
            print(f'Job <{task_id}> asks for {settings.batches} batches, over --max-batches {self.max_batches}')
            return JobSolutionDataType(encode_error(
                f'job of {settings.batches} batches refused: this computing node trains at most '
                f'{self.max_batches} (--max-batches)', settings.shard))
        parse_seconds = time.perf_counter() - started
        digits = ' '.join(str(digit) for digit in settings.digits)
        print(f'Job <{task_id}>: shard {settings.shard + 1} of {settings.shards}, {len(images)} images, '
              f'digits {digits}, {settings.batches} batches x {settings.learners} learners; calling train_alma')
        models, digit_seconds, cpu_started = {}, {}, time.process_time()
        self.train_started = time.perf_counter()
        for index, digit in enumerate(settings.digits):
            started = time.perf_counter()
            self.progress_offset = (index * settings.batches, len(settings.digits) * settings.batches, digit)
            # each digit its own seed: with one seed the ten models draw alike and err alike
            # (the ten-digit read-out lost 0.35 pp of test accuracy to that in our runs)
            seed = None if settings.seed is None else settings.seed + digit
            try:  # the main node picks cut-offs on its own validation images, so train on all of the shard
                models[digit] = train_alma(images, labels, digit, batches=settings.batches,
                                           seed=seed, progress=self.show_progress,
                                           positives_per_batch=settings.positives_per_batch,
                                           negatives_per_batch=settings.negatives_per_batch,
                                           learners=settings.learners, holdout_fraction=0.0,
                                           on_batch=self.publish_progress)
            except ValueError as error:
                print(f'Job <{task_id}> cannot be trained, answering with an error: {error}')
                return JobSolutionDataType(encode_error(f'cannot train digit {digit}: {error}', settings.shard))
            digit_seconds[digit] = time.perf_counter() - started
            print(f'train_alma finished digit {digit} in {digit_seconds[digit]:.1f} s: '
                  f'{len(models[digit][str(models[digit]["vTerm"][0])])} atoms')
        stats = {'node': str(self.node.get_id()), 'images': len(images), 'batches': settings.batches,
                 'train_seconds': sum(digit_seconds.values()), 'digit_seconds': digit_seconds,
                 'train_cpu_seconds': time.process_time() - cpu_started,
                 'parse_seconds': parse_seconds, 'received_at': received_at, 'finished_at': time.time()}
        return JobSolutionDataType(encode_solution(models, settings, stats))

    def publish_progress(self, batch, batches, atoms, seconds):
        """Per batch: batches done of the job's total (all its digits), atoms, ETA, for main and status nodes."""
        done_before, total, digit = self.progress_offset
        done, elapsed = done_before + batch, time.perf_counter() - self.train_started
        report_progress(self.node, done, total, {'digit': digit, 'atoms': atoms, 'batch_seconds': round(seconds, 3),
                                                 'eta': round(elapsed / done * (total - done), 1)})


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument('--domain', type=int, default=DOMAIN_ID, help='DDS domain id')
    parser.add_argument('--name', default='PyTestAsyncComputingNode', help='node name (letters, digits, _ and .)')
    parser.add_argument('--quiet', action='store_true', help='no per-batch training progress')
    parser.add_argument('--max-job-mb', type=float, default=None,
                        help='answer jobs larger than this many MB with an error; None: no limit')
    parser.add_argument('--max-batches', type=int, default=None,
                        help='answer jobs asking for more batches with an error; None: no limit')
    parser.add_argument('--dry-run', action='store_true', help='create the node, print its id and exit')
    add_secret_file_option(parser)
    return parser.parse_args()


def main():
    """Execute main routine."""
    args = parse_arguments()
    print('Starting Async Computing Node Py execution. Creating Node...')
    replier = CustomJobReplier(not args.quiet, args.max_job_mb, args.max_batches)
    computing_node = AsyncComputingNode(args.name, listener=replier, domain=args.domain,
                                        **secret_keyword(args.secret_file))
    if args.secret_file:
        print(f'Only jobs sealed with the key in {args.secret_file} are run; solutions are sealed with it.')
    replier.node = computing_node
    print(f'Node created: {computing_node.get_id()}. Already processing jobs. Waiting SIGINT (C^)...')
    if args.dry_run:
        close_node(computing_node)
        return

    stop_requested = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda signum, frame: stop_requested.set())
    computing_node.run()
    while not stop_requested.wait(timeout=1.0):
        pass

    signal.signal(signal.SIGINT, quit_now)
    print('Stopping: a job in progress is finished and answered first (Ctrl-C again to quit now).')
    close_node(computing_node)
    print('Finishing Async Computing Node Py execution.')


def quit_now(signum, frame):
    """Second Ctrl-C: leave at once; the main node notices the node is gone and re-sends its job."""
    print('Quitting without finishing the job in progress.', flush=True)
    os._exit(130)


if __name__ == '__main__':
    main()
