#!/usr/bin/env python3
"""Collaborative node: one peer that learns to read digits with others without sharing a single image.

Start one per peer, e.g. ``python3 collaborative_node.py --peers 4 --peer-index 0`` (and 1, 2, 3).
Every peer computes the same split of the training images from ``--seed`` and keeps only its
part. It trains AML models on its own images, publishes small statistics (its image count per
digit and how far it is), takes the others' most informative atoms to share one feature set, then
for ``--rounds`` rounds exchanges read-out weights and joins them digit by digit, keeping a round's
model only if it is no worse on its own validation images. It ends once its rounds are done and
every peer it heard from has finished (or after ``--linger`` seconds), writing report.json and
model.json (served by inference_node.py) to ``--out``.
"""
import os

# One thread: several peers may share a machine, and threaded BLAS would only spin.
for variable in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS'):
    os.environ.setdefault(variable, '1')

import argparse
import json
import signal
import sys
import threading
import time
from pathlib import Path

import numpy as np
from amlip_py.node.ModelManagerReceiverNode import ModelManagerReceiverNode, ModelRequestError
from amlip_py.node.ModelManagerSenderNode import ModelManagerSenderNode
from amlip_py.types.ModelReplyDataType import ModelReplyDataType
from amlip_py.types.ModelRequestDataType import ModelRequestDataType

from amlip_compat import add_secret_file_option, close_node, secret_keyword
from aml_jobs import collab_text as text
from aml_jobs.codec import encode_shard
from aml_jobs.binary_collaboration import BinaryCollaborativePeer
from aml_jobs.collaboration import CollaborativePeer
from aml_jobs.model_file import binarize
from aml_jobs.peer_board import PeerBoard
from aml_jobs.peer_split import SPLITS, peer_images
from loadDatasets import DatasetError, loadMNIST

DOMAIN_ID = 2
stop = threading.Event()


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument('--peers', type=int, default=4, help='number of peers sharing the training images')
    parser.add_argument('--peer-index', type=int, default=0, help='which of them this peer is, 0..peers-1')
    parser.add_argument('--split', choices=SPLITS, default='dirichlet', help='how the images are shared out')
    parser.add_argument('--alpha', type=float, default=0.5, help='with dirichlet: label skew, smaller = more skewed')
    parser.add_argument('--digits-per-peer', type=int, default=None, metavar='K',
                        help='with digits: each peer sees K digits; None: the ten dealt out in blocks')
    parser.add_argument('--target-digit', default='all', choices=['all'] + [str(d) for d in range(10)],
                        help='the digit to learn ("is it d?", models merged by their atoms), or all ten')
    parser.add_argument('--data', default='MNIST', help='folder with the four MNIST IDX files')
    parser.add_argument('--train-limit', type=int, default=50000, metavar='N',
                        help='share out the first N training images (the tutorial keeps the last 10,000 apart)')
    parser.add_argument('--batches', type=int, default=30, help='AML training batches per digit')
    parser.add_argument('--atoms-per-digit', type=int, default=1000, help='shared atoms per digit, all peers together')
    parser.add_argument('--rounds', type=int, default=3, help='read-out exchanges after the atoms are shared')
    parser.add_argument('--seed', type=int, default=0, help='seed of the split and of training')
    parser.add_argument('--domain', type=int, default=DOMAIN_ID, help='DDS domain id')
    parser.add_argument('--name', default=None, help='node name; default CollabPeer<index>')
    parser.add_argument('--out', default=None, help='folder for report.json and model.json; default results/peer-<index>')
    parser.add_argument('--wait', type=float, default=600.0, metavar='S',
                        help='seconds to wait for the other peers at each step before going on without them')
    parser.add_argument('--linger', type=float, default=60.0, metavar='S',
                        help='seconds to keep serving after the last round for peers still working')
    parser.add_argument('--dry-run', action='store_true', help='compute the split, print this peer\'s share and exit')
    add_secret_file_option(parser)
    args = parser.parse_args()
    if args.peers < 2 or not 0 <= args.peer_index < args.peers:
        parser.error(f'--peers must be at least 2 and --peer-index in 0..peers-1, got {args.peers} and {args.peer_index}')
    if min(args.batches, args.atoms_per_digit, args.rounds, args.train_limit) < 1 or args.alpha <= 0:
        parser.error('--batches, --atoms-per-digit, --rounds and --train-limit must be at least 1, --alpha above 0')
    if args.digits_per_peer is not None and not 1 <= args.digits_per_peer <= 10:
        parser.error(f'--digits-per-peer must be in 1..10, got {args.digits_per_peer}')
    if args.wait <= 0 or args.linger < 0:
        parser.error('--wait must be above 0 seconds and --linger at least 0')
    args.name = args.name or f'CollabPeer{args.peer_index}'
    args.out = Path(args.out or f'results/peer-{args.peer_index}')
    return args


def load_own_data(args):
    """This peer's training and validation images (boolean) and labels, the test set, and its job-text bytes."""
    dataset = loadMNIST(args.data)
    images, labels = dataset.load_training()
    images, labels = images[:args.train_limit], labels[:args.train_limit]
    train, held = peer_images(labels, args.peers, args.peer_index, args.split, args.seed, args.alpha,
                              args.digits_per_peer)
    own = np.sort(np.concatenate([train, held]))
    own_bytes = len(encode_shard(images[own], labels[own]))
    test_images, test_labels = dataset.load_testing()
    return ((binarize(images[train]), labels[train]), (binarize(images[held]), labels[held]),
            (binarize(test_images), test_labels), own_bytes)


def make_peer(args, train, validation):
    if args.target_digit == 'all':
        return CollaborativePeer(args.peer_index, train, validation, args.batches, args.seed, args.atoms_per_digit)
    return BinaryCollaborativePeer(args.peer_index, int(args.target_digit), train, validation, args.batches, args.seed)


def request(receiver, board, peer, stage, timeout):
    """The reply of ``peer`` for ``stage`` (bytes), or None after saying why there is none."""
    try:
        reply = receiver.request_model(board.handles[peer], timeout=timeout,
                                       data=ModelRequestDataType(text.encode_request(stage)))
    except ModelRequestError as error:
        print(f'Peer {peer} sent nothing for stage {stage}: {error}')
        return None
    board.count_received(reply.data_size())
    return reply.to_bytes()


def collaborate(args, peer, receiver, board, served, publish, test):
    """Stage 0 shares atoms (or models), stages 1..rounds are rounds; the round records."""
    heard = board.wait(lambda s: True, None, args.wait, stop)
    counts = np.zeros((args.peers, 10), np.int64)
    counts[args.peer_index] = peer.counts
    for other in heard:
        counts[other] = board.counts(other)
    partners, rounds = heard, []
    for stage in range(args.rounds + 1):
        served[stage] = peer.outgoing(stage, counts)
        publish(stage)
        ready = board.wait(lambda s: s['stage'] >= stage, partners, args.wait, stop)
        replies = {other: request(receiver, board, other, stage, args.wait) for other in ready}
        record = peer.incoming(stage, {args.peer_index: served[stage].encode(), **replies}, counts)
        for other, why in record.pop('refused').items():
            print(f'Stage {stage}: refused what peer {other} sent: {why}')
        partners = [other for other in record['peers_joined'] if other != args.peer_index]
        if 'candidate' not in record:
            print(f'Stage 0: {record["shared_atoms"]} atoms shared by peers {record["peers_joined"]}', flush=True)
            continue
        record['accuracy'] = peer.score(record.pop('candidate'), *test)
        rounds.append(record)
        print(f'Round {stage}: joined peers {record["peers_joined"]}, test accuracy {100 * record["accuracy"]:.2f} % '
              f'-> {"kept" if record["kept"] else "not kept (worse on own validation images)"}', flush=True)
    return heard, partners, rounds


def main():
    args = parse_arguments()
    started = time.monotonic()
    try:
        train, validation, test, own_bytes = load_own_data(args)
    except (DatasetError, ValueError) as error:
        sys.exit(f'collaborative_node.py: {error}')
    peer = make_peer(args, train, validation)
    if args.target_digit == 'all' and sum(count > 0 for count in peer.counts) < 2:
        sys.exit(f'collaborative_node.py: peer {args.peer_index} holds images of {sum(c > 0 for c in peer.counts)} '
                 'digit(s); reading digits needs at least two (use more --digits-per-peer, or --target-digit)')
    print(f'Peer {args.peer_index} of {args.peers} ({args.split} split): {len(train[1])} training and '
          f'{len(validation[1])} validation images, per digit {peer.counts}; {own_bytes / 1e6:.1f} MB as job text')
    if args.dry_run:
        return
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda signum, frame: stop.set())
    served, board = {}, PeerBoard(args.peer_index, args.peers)

    def serve(request_data):
        reply = text.answer(served, request_data.to_bytes())
        board.count_sent(len(reply))
        return ModelReplyDataType(reply)

    def publish(stage, done=False):
        statistics = text.encode_statistics(args.peer_index, args.peers, stage, done, peer.counts)
        board.count_sent(len(statistics))
        sender.publish_statistics(text.STATISTICS_NAME, statistics)

    keys = secret_keyword(args.secret_file)
    sender = ModelManagerSenderNode(args.name, domain=args.domain, **keys)
    receiver = ModelManagerReceiverNode(f'{args.name}.rx', ModelRequestDataType(''), domain=args.domain, **keys)
    sender.start(callback=serve)
    receiver.start(callback_statistics=lambda s: board.update(s.to_bytes(), s.server_id()),
                   callback_model=lambda model: True)
    try:
        publish(-1)
        alone = peer.train_alone(lambda d, atoms: print(f'Trained digit {d}: {atoms} atoms', flush=True))
        alone_accuracy = peer.score(alone, *test)
        print(f'Alone: test accuracy {100 * alone_accuracy:.2f} %', flush=True)
        heard, partners, rounds = collaborate(args, peer, receiver, board, served, publish, test)
        publish(args.rounds, done=True)
        print(f'Rounds done; serving up to {args.linger:.0f} s more while peers {partners} finish', flush=True)
        board.wait(lambda s: s['done'], partners, args.linger, stop)
    finally:
        close_node(receiver)
        close_node(sender)
    final = peer.score(peer.kept, *test)
    report = {'peer': args.peer_index, 'peers': args.peers, 'split': args.split, 'alpha': args.alpha,
              'target_digit': args.target_digit, 'seed': args.seed, 'batches': args.batches, 'counts': peer.counts,
              'images': {'train': len(train[1]), 'validation': len(validation[1])},
              'heard': heard, 'alone': {'accuracy': alone_accuracy, 'per_digit': peer.per_digit(alone, *test)},
              'collaborative': {'accuracy': final, 'per_digit': peer.per_digit(peer.kept, *test)}, 'rounds': rounds,
              'bytes': {'sent': board.sent_bytes, 'received': board.received_bytes, 'own_data': own_bytes},
              'seconds': time.monotonic() - started}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / 'report.json').write_text(json.dumps(report, indent=1))
    (args.out / 'model.json').write_text(json.dumps(peer.model_data()))
    print(f'Peer {args.peer_index}: alone {100 * alone_accuracy:.2f} %, collaborative {100 * final:.2f} %; '
          f'received {board.received_bytes / 1e6:.2f} MB = {100 * board.received_bytes / own_bytes:.1f} % of its own '
          f'data\'s {own_bytes / 1e6:.1f} MB; wrote {args.out}/report.json and model.json')


if __name__ == '__main__':
    main()
