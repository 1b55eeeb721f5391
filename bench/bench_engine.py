"""Benchmark of the AML engine on MNIST: speed per batch, test error rates, shards + merge.

Why: the engine's targets (spec §4.1, §8) are seconds per batch and error rates at a
cut-off chosen on held-out data; both are only meaningful with an in-run baseline, so the
same ``enforce`` calls are also replayed on a plain-Python-set implementation of the same
steps (bench/plain_sets.py) and the ratio is printed. Seeded; never asserts.

Usage: bench/bench_engine.py --digit 0 --batches 250 [--shards 2] [--learners 4] [--data MNIST] [--seed 1]

Sample output (``--digit 0 --batches 250 --shards 2 --seed 1``, one learner per model, on
2 cores shared with other jobs; seed-to-seed spread of error / balanced error at the
held-out cut-off is about +-0.1 / +-0.15 points; ``--learners 4`` lowers both on average):

    speed: 3 batches of 100+900 replayed after 20 warm-up batches (union 2393 atoms)
      packed bitsets (aml_engine)    0.255 s/batch
      plain Python sets (baseline)   1.187 s/batch
      speed-up                         4.6 x

    full training set: 10085 atoms (8589 below v), 0.53 s/batch wall, 0.36 s/batch CPU
      cut-off rule                         cutoff   FPR %   FNR %  error %  bal. %
      held-out, min error                      11    0.16    1.43     0.28    0.79
      held-out, min balanced error             19    0.64    1.22     0.70    0.93
      held-out, min error + balanced error     17    0.51    1.33     0.59    0.92
      cutoff 1 (diagnostic)                     1    0.00   28.57     2.80   14.29
      test-optimal error (diagnostic)          11    0.16    1.43     0.28    0.79
      test-optimal balanced (diagnostic)       11    0.16    1.43     0.28    0.79

    half A (30000 images): 12824 atoms (11343 below v), 0.51 s/batch wall, 0.39 s/batch CPU
      held-out, min error                      24    0.34    1.33     0.44    0.84
    half B (30000 images): 10104 atoms (8633 below v), 0.44 s/batch wall, 0.32 s/batch CPU
      held-out, min error                      26    0.54    1.33     0.62    0.93
    merge took 1.9 s (12824 + 10104 atoms in)
    merge A + B (cross-shard checked): 14860 atoms (13368 below v)
      held-out, min error                      12    0.34    1.22     0.43    0.78
      cutoff 1 (diagnostic)                     1    0.00   21.33     2.09   10.66
      test-optimal balanced (diagnostic)       13    0.37    1.12     0.44    0.74
"""
from __future__ import annotations

import argparse
import copy
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

from aml_engine import BinaryClassifier, Duple, bitset, term
from aml_engine.inference import choose_cutoff, embed, rates

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from plain_sets import PlainSetLearner  # noqa: E402

from AML_binary_classifier import binarize  # noqa: E402
from loadDatasets import loadMNIST  # noqa: E402


def report(name: str, model: BinaryClassifier, X: np.ndarray, y: np.ndarray, seconds: tuple | None) -> None:
    """Rate table of one model on the test set; held-out cut-offs first, test-set ones as diagnostics."""
    misses = model.decision_function(X)
    v_atoms = int(model.atoms_.dense()[:, model.class_constant_].sum())
    speed = f", {seconds[0]:.2f} s/batch wall, {seconds[1]:.2f} s/batch CPU" if seconds is not None else ""
    print(f"\n{name}: {len(model.atoms_)} atoms ({v_atoms} below v){speed}")
    held = model.holdout_labels_
    held_misses = model.decision_function_terms(model.holdout_terms_)
    rows = [("held-out, min error", choose_cutoff(held_misses, held, "error")),
            ("held-out, min balanced error", choose_cutoff(held_misses, held, "balanced")),
            ("held-out, min error + balanced error", choose_cutoff(held_misses, held, "mixed")),
            ("cutoff 1 (diagnostic)", 1),
            ("test-optimal error (diagnostic)", choose_cutoff(misses, y, "error")),
            ("test-optimal balanced (diagnostic)", choose_cutoff(misses, y, "balanced"))]
    print(f"  {'cut-off rule':36s} {'cutoff':>6s} {'FPR %':>7s} {'FNR %':>7s} {'error %':>8s} {'bal. %':>7s}")
    for rule, cutoff in rows:
        r = rates(misses < cutoff, y)
        print(f"  {rule:36s} {cutoff:6d} {100 * r['fpr']:7.2f} {100 * r['fnr']:7.2f} "
              f"{100 * r['error']:8.2f} {100 * r['balanced']:7.2f}")


def fit(X: np.ndarray, y: np.ndarray, args, seed: int) -> tuple[BinaryClassifier, tuple[float, float]]:
    """A fitted model and its (wall, CPU) seconds per batch; CPU time is less hurt by other jobs."""
    model = BinaryClassifier(batches=args.batches, seed=seed, progress=args.progress, learners=args.learners)
    wall, cpu = time.perf_counter(), time.process_time()
    model.fit(X, y)
    return model, ((time.perf_counter() - wall) / args.batches, (time.process_time() - cpu) / args.batches)


def speed_baseline(X: np.ndarray, y: np.ndarray, args) -> None:
    """Replay a few batches of a warm learner on bitsets and on plain sets; print both and the ratio."""
    warm = BinaryClassifier(batches=args.warmup, seed=args.seed, progress=False, holdout_fraction=0).fit(X, y)
    rng = np.random.default_rng(args.seed)
    terms = bitset.pack(embed(X))
    class_term = term([2 * X.shape[1]], warm.learners_[0].n_constants)
    batches = [([Duple(class_term, terms[i], True) for i in rng.choice(np.flatnonzero(y), 100, replace=False)],
                [Duple(class_term, terms[i], False) for i in rng.choice(np.flatnonzero(~y), 900, replace=False)])
               for _ in range(args.replay)]
    bitset_learner, plain_learner = copy.deepcopy(warm.learners_[0]), PlainSetLearner(warm.learners_[0], args.seed)
    started = time.perf_counter()
    for pbatch, nbatch in copy.deepcopy(batches):
        bitset_learner.enforce(pbatch, nbatch)
    bitset_seconds = (time.perf_counter() - started) / args.replay
    started = time.perf_counter()
    for pbatch, nbatch in batches:
        plain_learner.enforce(pbatch, nbatch)
    plain_seconds = (time.perf_counter() - started) / args.replay
    print(f"\nspeed: {args.replay} batches of 100+900 replayed after {args.warmup} warm-up batches "
          f"(union {len(warm.learners_[0].unionModel)} atoms)")
    print(f"  packed bitsets (aml_engine)  {bitset_seconds:7.3f} s/batch")
    print(f"  plain Python sets (baseline) {plain_seconds:7.3f} s/batch")
    print(f"  speed-up                     {plain_seconds / bitset_seconds:7.1f} x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--digit", type=int, default=0, help="target digit (default 0)")
    parser.add_argument("--batches", type=int, default=250, help="enforce calls per model (default 250)")
    parser.add_argument("--shards", type=int, choices=(1, 2), default=1, help="2: also train two halves and merge")
    parser.add_argument("--data", type=Path, default=Path("MNIST"), help="folder of the four IDX .gz files")
    parser.add_argument("--seed", type=int, default=1, help="seed of every random choice (default 1)")
    parser.add_argument("--learners", type=int, default=1, help="independent learners per model (default 1)")
    parser.add_argument("--warmup", type=int, default=20, help="batches before the speed replay (default 20)")
    parser.add_argument("--replay", type=int, default=3, help="batches replayed for the speed ratio (default 3)")
    parser.add_argument("--progress", action="store_true", help="print a line per batch to stderr")
    args = parser.parse_args()
    dataset = loadMNIST(str(args.data))
    images, digits = dataset.load_training()
    test_images, test_digits = dataset.load_testing()
    X, X_test = binarize(images), binarize(test_images)
    y, y_test = digits == args.digit, test_digits == args.digit
    print(f"bench_engine: digit {args.digit}, {args.batches} batches of 100+900, {args.learners} learner(s), "
          f"seed {args.seed}; "
          f"{len(X)} training / {len(X_test)} test images; {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, numpy {np.__version__}")
    speed_baseline(X, y, args)
    model, seconds = fit(X, y, args, args.seed)
    report("full training set", model, X_test, y_test, seconds)
    if args.shards == 2:
        halves = np.array_split(np.random.default_rng(args.seed).permutation(len(X)), 2)
        shards = []
        for number, half in enumerate(halves):
            shard, seconds = fit(X[half], y[half], args, args.seed + 1 + number)
            report(f"half {'AB'[number]} ({len(half)} images)", shard, X_test, y_test, seconds)
            shards.append(shard)
        started = time.perf_counter()
        merged = shards[0].merge(shards[1])
        print(f"\nmerge took {time.perf_counter() - started:.1f} s "
              f"({len(shards[0].atoms_)} + {len(shards[1].atoms_)} atoms in)")
        report("merge A + B (cross-shard checked)", merged, X_test, y_test, None)


if __name__ == "__main__":
    main()
