"""Benchmark of the ten-digit AML classifier on MNIST: decision rules and merge selection.

Why: the ten-digit target (>= 97.5 % test accuracy from a 10-minute, 2-node demo) depends
on the class decision rule and on the training settings; both are measured here beside the
raw-misses baseline (class = argmin of misses) in the same run. The split is the main
node's: the first 50,000 training images train the models (and fit the read-out), the last
10,000 are the validation images every choice is made on, and the 10,000 test images are
only scored. With ``--shards 2`` each digit is also trained on two halves and merged by
``select_merge``; its choice is compared with the best shard on validation and test.
Process CPU seconds are printed (the machine is shared, so wall time is noisy). Never asserts.

Usage: bench/bench_multiclass.py [--batches 60] [--learners 1] [--readout-atoms 2000] [--shards 2] [--seed 1]

Sample output: see the bottom of this docstring (filled in from a run on this machine).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from aml_engine import BinaryClassifier
from aml_engine.inference import rates
from aml_engine.merge_selection import select_merge
from aml_engine.multiclass import MulticlassClassifier

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from AML_binary_classifier import binarize  # noqa: E402
from loadDatasets import loadMNIST  # noqa: E402


def train_digit(X: np.ndarray, labels: np.ndarray, digit: int, args, seed: int) -> BinaryClassifier:
    return BinaryClassifier(batches=args.batches, seed=seed, holdout_fraction=0.0, progress=False,
                            learners=args.learners).fit(X, labels == digit)


def ten_digits(name: str, models: dict, data: dict, args) -> None:
    """Calibrate the rule on validation (read-out fitted on the training images); print test accuracy."""
    started = time.process_time()
    estimator = MulticlassClassifier.from_binary_models(models, readout_atoms=args.readout_atoms, seed=args.seed)
    estimator.calibrate(*data["validation"], *data["train"])
    calibration = time.process_time() - started
    raw = MulticlassClassifier.from_binary_models(models)
    X_test, y_test = data["test"]
    print(f"\n{name}: rule chosen on validation: {estimator.rule_} ({calibration:.0f} s CPU to calibrate)")
    print(f"  {'rule':10s} {'validation %':>13s} {'test %':>8s}")
    for rule, accuracy in estimator.rule_report_.items():
        test = f"{100 * estimator.score(X_test, y_test):8.2f}" if rule == estimator.rule_ else f"{'':8s}"
        print(f"  {rule:10s} {100 * accuracy:13.2f} {test}")
    print(f"  raw-misses baseline (same models) test {100 * raw.score(X_test, y_test):.2f} %; "
          f"chosen rule / baseline error ratio "
          f"{(1 - estimator.score(X_test, y_test)) / max(1 - raw.score(X_test, y_test), 1e-9):.2f}")


def merge_per_digit(data: dict, args) -> dict:
    """Per digit: two half-data models, select_merge on validation; print its choice against the best shard."""
    X, y = data["train"]
    X_val, y_val = data["validation"]
    X_test, y_test = data["test"]
    halves = np.array_split(np.random.default_rng(args.seed).permutation(len(X)), 2)
    merged, started = {}, time.process_time()
    print(f"\nmerge selection, 2 shards x {len(halves[0])} images, criterion: error at the validation cut-off")
    print(f"  {'digit':5s} {'chosen':20s} {'val err % chosen':>16s} {'best shard':>10s} "
          f"{'test err % chosen':>17s} {'best shard':>10s}")
    for digit in range(10):
        shards = [train_digit(X[half], y[half], digit, args, args.seed + 10 * digit + part)
                  for part, half in enumerate(halves)]
        model, report = select_merge(shards, X_val, y_val == digit, positives=X[y == digit])
        candidates = report["candidates"]
        best = min(("shard 0", "shard 1"), key=lambda name: candidates[name]["error"])
        shard_model = shards[int(best[-1])].choose_cutoff(X_val, y_val == digit)
        test_chosen = rates(model.predict(X_test), y_test == digit)["error"]
        test_shard = rates(shard_model.predict(X_test), y_test == digit)["error"]
        print(f"  {digit:5d} {report['chosen']:20s} {100 * candidates[report['chosen']]['error']:16.2f} "
              f"{100 * candidates[best]['error']:10.2f} {100 * test_chosen:17.2f} {100 * test_shard:10.2f}")
        merged[digit] = model
    print(f"  shards trained and merged in {time.process_time() - started:.0f} s CPU")
    return merged


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batches", type=int, default=60, help="enforce calls per digit model (default 60)")
    parser.add_argument("--learners", type=int, default=1, help="learners per digit model (default 1)")
    parser.add_argument("--readout-atoms", type=int, default=2000, help="atoms per digit in the read-out (default 2000)")
    parser.add_argument("--shards", type=int, choices=(1, 2), default=1, help="2: also train halves and merge per digit")
    parser.add_argument("--data", type=Path, default=Path("MNIST"), help="folder of the four IDX .gz files")
    parser.add_argument("--seed", type=int, default=1, help="seed of every random choice (default 1)")
    args = parser.parse_args()
    dataset = loadMNIST(str(args.data))
    images, digits = dataset.load_training()
    test_images, test_digits = dataset.load_testing()
    n_train = len(images) - len(images) // 6
    data = {"train": (binarize(images[:n_train]), digits[:n_train].astype(np.int64)),
            "validation": (binarize(images[n_train:]), digits[n_train:].astype(np.int64)),
            "test": (binarize(test_images), test_digits.astype(np.int64))}
    print(f"bench_multiclass: {args.batches} batches of 100+900 per digit, {args.learners} learner(s), "
          f"read-out over {args.readout_atoms} atoms per digit, seed {args.seed}; {n_train} training / "
          f"{len(images) - n_train} validation / {len(test_images)} test images")
    X, y = data["train"]
    started = time.process_time()
    models = {digit: train_digit(X, y, digit, args, args.seed + digit) for digit in range(10)}
    print(f"ten digit models on {n_train} images: {time.process_time() - started:.0f} s CPU")
    ten_digits("ten digits, one model per digit on all training images", models, data, args)
    if args.shards == 2:
        ten_digits("ten digits from the merge selection's models", merge_per_digit(data, args), data, args)


if __name__ == "__main__":
    main()
