"""Benchmark of collaborative AML: peers alone, together round by round, centralized AML and FedAvg.

Why: collaborative_node.py claims that peers holding skewed parts of MNIST, exchanging only atoms
and read-out weights, come close to one model trained on all their images, without a single image
sent. This runs the same learning steps as the script (aml_jobs.collaboration, the same text
payloads, so the bytes are the script's payload bytes) in one process for every peer, beside
the baselines measured in the same run: each peer alone, centralized AML (the main node's recipe
on all the peers' images, same batches per digit) and FedAvg of a 784-128-10 MLP on the same
split for the same number of rounds (and longer, for context). Never asserts.

Usage: bench/bench_collaborative.py [--peers 4] [--splits dirichlet digits] [--alpha 0.5] [--batches 30]
       [--rounds 3] [--train-limit 50000] [--seed 0] [--fedavg-rounds 20]

Sample output: see README ("Learning together").
"""
from __future__ import annotations

import os

for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from aml_jobs.codec import encode_shard  # noqa: E402
from aml_jobs.collab_text import encode_statistics  # noqa: E402
from aml_jobs.collaboration import CollaborativePeer, ten_digit_classifier  # noqa: E402
from aml_jobs.model_file import binarize  # noqa: E402
from aml_jobs.peer_split import peer_digits, peer_images  # noqa: E402
from fedavg_mlp import fedavg, model_bytes  # noqa: E402
from loadDatasets import loadMNIST  # noqa: E402


def collaborate(peers: list[CollaborativePeer], rounds: int, test: tuple) -> tuple[list[list[float]], list[int]]:
    """The script's stages in one process: test accuracy of each peer's round model, and bytes each received."""
    counts = np.array([peer.counts for peer in peers])
    statistics = len(encode_statistics(0, len(peers), 0, False, peers[0].counts)) * (rounds + 3)
    received = [statistics * (len(peers) - 1)] * len(peers)
    accuracies = [[] for _ in peers]
    for stage in range(rounds + 1):
        texts = {peer.index: peer.outgoing(stage, counts).encode() for peer in peers}
        for peer in peers:
            received[peer.index] += sum(len(text) for index, text in texts.items() if index != peer.index)
            record = peer.incoming(stage, texts, counts)
            if "candidate" in record:
                accuracies[peer.index].append(record["candidate"].score(*test))
    return accuracies, received


def run_split(split: str, images: np.ndarray, labels: np.ndarray, test: tuple, args) -> None:
    started = time.process_time()
    X = binarize(images)
    parts = [peer_images(labels, args.peers, index, split, args.seed, args.alpha) for index in range(args.peers)]
    peers = [CollaborativePeer(index, (X[train], labels[train]), (X[held], labels[held]), args.batches, args.seed)
             for index, (train, held) in enumerate(parts)]
    alone = [peer.score(peer.train_alone(), *test[:2]) for peer in peers]
    alone_seconds = time.process_time() - started
    rounds, received = collaborate(peers, args.rounds, test[:2])
    final = [peer.score(peer.kept, *test[:2]) for peer in peers]
    collaborative_seconds = time.process_time() - started - alone_seconds
    union_train, union_held = (np.sort(np.concatenate(column)) for column in zip(*parts))
    central = ten_digit_classifier((X[union_train], labels[union_train]), (X[union_held], labels[union_held]),
                                   args.batches, args.seed).score(*test[:2])
    own_bytes = [len(encode_shard(images[np.concatenate(part)], labels[np.concatenate(part)])) for part in parts]
    gray = images.astype(np.float32) / 255
    fed = fedavg([(gray[np.concatenate(part)], labels[np.concatenate(part)]) for part in parts],
                 (test[2], test[1]), max(args.fedavg_rounds, args.rounds), seed=args.seed)

    name = f"dirichlet({args.alpha})" if split == "dirichlet" else split
    print(f"\n{name} split, {args.peers} peers, {len(labels)} images, {args.batches} batches per digit, "
          f"{args.rounds} rounds, seed {args.seed}")
    head = "".join(f"  round {r}" for r in range(1, args.rounds + 1))
    print(f"peer  images  alone %{head}  final %  vs central pp  received MB  own data MB  received/own")
    for index, peer in enumerate(peers):
        steps = "".join(f"  {100 * a:7.2f}" for a in rounds[index])
        print(f"{index:4d}  {len(parts[index][0]) + len(parts[index][1]):6d}  {100 * alone[index]:7.2f}{steps}"
              f"  {100 * final[index]:7.2f}  {100 * (final[index] - central):+13.2f}  {received[index] / 1e6:11.2f}"
              f"  {own_bytes[index] / 1e6:11.1f}  {100 * received[index] / own_bytes[index]:11.1f} %")
    print(f"centralized AML (all peers' images, same batches): {100 * central:.2f} %")
    fed_steps = " ".join(f"{100 * a:.2f}" for a in fed[:args.rounds])
    print(f"FedAvg MLP 784-128-10 (1 local epoch per round): rounds 1..{args.rounds}: {fed_steps} %; after "
          f"{len(fed)} rounds {100 * fed[-1]:.2f} %; receives {model_bytes() / 1e6:.2f} MB per round (the global "
          f"model), {args.rounds * model_bytes() / 1e6:.2f} MB in {args.rounds} rounds")
    worst = min(final[i] - central for i in range(len(peers)))
    print(f"worst peer vs central {100 * worst:+.2f} pp; peers worse than alone: "
          f"{[i for i in range(len(peers)) if final[i] < alone[i]]}; CPU: alone {alone_seconds:.0f} s, "
          f"collaboration {collaborative_seconds:.0f} s")
    if split == "digits":
        seen = peer_digits(args.peers)
        for index, peer in enumerate(peers):
            never = [d for d in range(10) if d not in seen[index]]
            predicted = peer.kept.predict(test[0])
            recall = np.mean([np.mean(predicted[test[1] == d] == d) for d in never])
            print(f"peer {index} saw digits {seen[index]}: reads {100 * recall:.1f} % of the test images of the "
                  f"digits it never saw (alone: 0 %)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--peers", type=int, default=4)
    parser.add_argument("--splits", nargs="+", choices=("iid", "dirichlet", "digits"), default=["dirichlet", "digits"])
    parser.add_argument("--alpha", type=float, default=0.5)
    parser.add_argument("--batches", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--train-limit", type=int, default=50000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--fedavg-rounds", type=int, default=20, help="FedAvg rounds run in all (for context)")
    args = parser.parse_args()
    dataset = loadMNIST(str(Path(__file__).resolve().parent.parent / "MNIST"))
    images, labels = dataset.load_training()
    test_images, test_labels = dataset.load_testing()
    test = (binarize(test_images), test_labels, test_images.astype(np.float32) / 255)
    print(f"bench_collaborative: {os.cpu_count()} cores; the 10,000 MNIST test images score every model")
    for split in args.splits:
        run_split(split, images[:args.train_limit], labels[:args.train_limit], test, args)


if __name__ == "__main__":
    main()
