"""Terms and duples: the training examples of the algebra.

Why a class and not tuples: the sparse-crossing learner stamps each positive duple with the
union-update counter at which it was last checked, so duples carry one mutable field.
"""
from __future__ import annotations

from typing import Iterable

import numpy as np

from . import bitset


def term(constants: Iterable[int], n_constants: int) -> np.ndarray:
    """A term (a non-empty set of constants) as one packed row."""
    constants = list(constants)
    if not constants:
        raise ValueError("a term needs at least one constant, got an empty set")
    return bitset.from_indices(constants, n_constants)


class Duple:
    """A pair of terms ``(L, R)``: ``L <= R`` must hold if ``positive``, else ``L </= R``.

    ``generation`` is bookkeeping only; ``region`` 0 means "enforce but never store".
    ``lastUnionUpdate`` is the union-update counter at which this duple was last checked
    against the union model (-1: never).
    """

    __slots__ = ("L", "R", "positive", "generation", "region", "lastUnionUpdate")

    def __init__(self, L: np.ndarray, R: np.ndarray, positive: bool,
                 generation: int = 0, region: int = 1) -> None:
        self.L = L
        self.R = R
        self.positive = bool(positive)
        self.generation = generation
        self.region = region
        self.lastUnionUpdate = -1

    def __repr__(self) -> str:
        relation = "<=" if self.positive else "</="
        return f"Duple(L {relation} R, region={self.region}, generation={self.generation})"
