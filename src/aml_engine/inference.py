"""Embedding of boolean features as terms, misses of a model, and the cut-off choice.

Why misses: an image is "of the class" iff ``v <= image`` holds, i.e. no atom below ``v``
is missing from the image's lower atomic segment. Counting the missing atoms instead of
testing for zero gives a score whose threshold (the cut-off) is tuned on held-out data.
"""
from __future__ import annotations

import numpy as np

from . import bitset
from .atoms import Atomization

CRITERIA = ("error", "balanced", "mixed")


def embed(features: np.ndarray) -> np.ndarray:
    """Boolean (samples, 2 n + 1) constant sets: feature j true -> j, false -> n + j; the
    last column (the class constant) is never set in a sample."""
    samples = features.shape[0]
    return np.concatenate([features, ~features, np.zeros((samples, 1), dtype=bool)], axis=1)


class MissCounter:
    """:func:`misses` of one model, its atoms below the class constant prepared once.

    Why: a served model answers many requests of one or a few images, where preparing the
    atoms cost more than counting.
    """

    def __init__(self, atoms: Atomization, class_constant: int):
        class_row = bitset.from_indices([class_constant], atoms.n_constants)
        below_class = atoms.bits[bitset.meets(atoms.bits, class_row)] & ~class_row
        self.n_atoms = len(below_class)
        self._rows = bitset.SparseRows(below_class)

    def __call__(self, samples: np.ndarray, block: int = 2048) -> np.ndarray:
        counts = np.zeros(len(samples), dtype=np.int64)
        for begin in range(0, len(samples), block):
            chunk = samples[begin:begin + block]
            counts[begin:begin + len(chunk)] = self.n_atoms - self._rows.meets(chunk).sum(axis=0)
        return counts


def misses(atoms: Atomization, class_constant: int, samples: np.ndarray, block: int = 2048) -> np.ndarray:
    """Per sample, the number of atoms containing ``class_constant`` that the sample misses.

    ``samples`` is a boolean (samples, constants) matrix. Work is done on sparse atom rows
    against blocks of samples, so memory stays bounded for the 10,000-image test set.
    """
    return MissCounter(atoms, class_constant)(samples, block)


def rates(predicted: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    """FPR, FNR, plain error and balanced error of boolean predictions."""
    positives, negatives = labels.sum(), (~labels).sum()
    fpr = float((predicted & ~labels).sum() / max(negatives, 1))
    fnr = float((~predicted & labels).sum() / max(positives, 1))
    return {"fpr": fpr, "fnr": fnr, "error": float((predicted != labels).mean()), "balanced": (fpr + fnr) / 2}


def choose_cutoff(scores: np.ndarray, labels: np.ndarray, criterion: str = "error") -> int:
    """Cut-off (predict positive iff misses < cut-off) that minimises ``criterion`` on the data.

    ``"error"`` minimises plain error, ``"balanced"`` the mean of FPR and FNR, ``"mixed"``
    the sum of the two (a false negative then costs a few false positives, between the
    two extremes; on MNIST digits it meets low plain and low balanced error together). Among equally
    good cut-offs the middle one is taken, the most robust choice between the two classes.
    """
    if criterion not in CRITERIA:
        raise ValueError(f"cutoff criterion must be one of {CRITERIA}, got {criterion!r}")
    cutoffs = np.arange(1, int(scores.max(initial=0)) + 2)
    accepted = scores[None, :] < cutoffs[:, None]
    false_pos = (accepted & ~labels).sum(axis=1)
    false_neg = (~accepted & labels).sum(axis=1)
    plain = (false_pos + false_neg) / len(labels)
    balanced = (false_pos / max((~labels).sum(), 1) + false_neg / max(labels.sum(), 1)) / 2
    cost = {"error": plain, "balanced": balanced, "mixed": plain + balanced}[criterion]
    best = np.flatnonzero(np.isclose(cost, cost.min()))
    return int(cutoffs[best[len(best) // 2]])
