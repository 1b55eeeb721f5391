"""Ten-digit accuracy and time of our pipeline beside scikit-learn's MLPs and logistic regression.

Why: a user who only wants to read digits compares what ``make demo-all`` gives (a main node
and two computing nodes as real processes, on a loopback DDS domain of its own) with what
scikit-learn gives in a minute. Both are measured in one run on exactly the same split: the
first 50,000 training images train (the main node also keeps the last 10,000 as validation
images for its choices), binarized at gray > 25.6, and the 10,000 test images score. Wall
times are noisy on a shared machine, so CPU seconds of every process are printed too. With
``--shards 2`` each digit is also trained in-process on two halves and merged by
``select_merge``, whose choice is compared with the best shard on validation and test. Never asserts.

Usage: bench/bench_multiclass.py [--batches B] [--nodes 2] [--seed 0] [--shards 2]

Sample output: see the README (section "All ten digits").
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
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
from ten_digit_runs import TEN_DIGIT_DEFAULTS, demo_main_args, demo_split, measure_baselines, run_pipeline  # noqa: E402

from amlip_py.dds.loopback import reserve_loopback_domain  # noqa: E402


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
        print(f"  {rule:10s} {100 * accuracy:13.2f} {test}".rstrip())
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


def compare_with_rivals(args) -> None:
    """Our pipeline with the demo's settings, then the rivals on the same split; one table."""
    changes = {name: value for name, value in (("batches", args.batches), ("seed", args.seed)) if value is not None}
    main_args = demo_main_args(**changes)
    print(f"our pipeline: main_node.py {' '.join(main_args)} with {args.nodes} computing nodes", flush=True)
    domain, _lock = reserve_loopback_domain()
    with tempfile.TemporaryDirectory(prefix="bench-multiclass-") as workdir:
        ours = run_pipeline(args.nodes, main_args, domain, Path(workdir))
    rules = ", ".join(f"{name} {100 * value:.2f} %" for name, value in ours["rule_report"].items())
    views = ", ".join(f"{count} view{'s' if count != '1' else ''} {100 * value:.2f} %"
                      for count, value in ours["views_report"].items())
    print(f"  rule chosen on validation images: {ours['rule']} (validation accuracy: {rules}; {views})")
    print("rivals on the same 50,000 training images:", flush=True)
    rivals = measure_baselines(demo_split(), args.seed or 0)
    rows = [{"name": f"AML pipeline, {args.nodes} computing nodes", **ours}] + rivals
    print(f"\n{'classifier':42s} {'test %':>7s} {'wall s':>7s} {'CPU s':>7s} {'wall / ours':>11s}")
    for row in rows:
        print(f"{row['name']:42s} {100 * row['accuracy']:7.2f} {row['wall_seconds']:7.0f} {row['cpu_seconds']:7.0f} "
              f"{row['wall_seconds'] / ours['wall_seconds']:10.2f}x")
    print(f"(load average at the end {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--batches", type=int, default=None, help="batches per digit (default: the demo's)")
    parser.add_argument("--nodes", type=int, default=2, help="computing nodes of our pipeline")
    parser.add_argument("--seed", type=int, default=None, help="seed of our pipeline (default: the demo's) "
                                                              "and of the rivals (0)")
    parser.add_argument("--shards", type=int, choices=(1, 2), default=1,
                        help="2: also train halves in-process and merge per digit")
    parser.add_argument("--readout-atoms", type=int, default=2000, help="with --shards 2: atoms per digit in the read-out")
    parser.add_argument("--learners", type=int, default=1, help="with --shards 2: learners per digit model")
    parser.add_argument("--data", type=Path, default=Path("MNIST"), help="folder of the four IDX .gz files")
    args = parser.parse_args()
    compare_with_rivals(args)
    if args.shards == 2:
        merge_analysis(args)


def merge_analysis(args) -> None:
    """In-process: per digit two half-data models merged by select_merge, then read as ten digits."""
    args.seed = 1 if args.seed is None else args.seed
    args.batches = args.batches or TEN_DIGIT_DEFAULTS["batches"]
    dataset = loadMNIST(str(args.data))
    images, digits = dataset.load_training()
    test_images, test_digits = dataset.load_testing()
    n_train = len(images) - len(images) // 6
    data = {"train": (binarize(images[:n_train]), digits[:n_train].astype(np.int64)),
            "validation": (binarize(images[n_train:]), digits[n_train:].astype(np.int64)),
            "test": (binarize(test_images), test_digits.astype(np.int64))}
    print(f"\nmerges in-process: {args.batches} batches of 100+900 per digit and half, seed {args.seed}")
    ten_digits("ten digits from the merge selection's models", merge_per_digit(data, args), data, args)


if __name__ == "__main__":
    main()
