"""Full crossing: the exact but exponential learner, kept as a test oracle.

Why: on tiny problems it computes the freest model of the positive duples, so sparse
crossing can be checked against it (both must satisfy the same training duples).
"""
from __future__ import annotations

from typing import Iterable

import numpy as np

from .atoms import Atomization
from .duples import Duple


class FullCrossingLearner:
    """Starts from one singleton atom per constant and fully crosses each positive duple.

    Crossing replaces every atom of the duple's discriminant by its unions with all atoms
    of ``las(R)``; duplicates and redundant atoms are removed after every duple.
    """

    def __init__(self, n_constants: int, remove_redundant: bool = True) -> None:
        self.n_constants = n_constants
        self.remove_redundant = remove_redundant
        self.atomization = Atomization.singletons(n_constants, range(n_constants))
        self.epoch = 0
        self.generation = 0

    def enforce(self, positives: Iterable[Duple]) -> None:
        """Make every positive duple hold; duples that already hold are left alone."""
        self.generation += 1
        for duple in positives:
            model = self.atomization
            discriminant = model.discriminant(duple.L, duple.R)
            if not discriminant.any():
                continue
            self.epoch += 1
            left = model.take(discriminant)
            partners = model.take(model.las(duple.R))
            unions = (left.bits[:, None, :] | partners.bits[None, :, :]).reshape(-1, model.bits.shape[1])
            gens = np.maximum(left.gen[:, None], partners.gen[None, :]).ravel()
            crossed = Atomization(self.n_constants, unions, np.full(len(unions), self.epoch), gens)
            model = model.take(~discriminant).concat(crossed).deduplicated()
            self.atomization = model.without_redundant() if self.remove_redundant else model
