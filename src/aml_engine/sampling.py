"""Mini-batch sampling: walk each class's index list cyclically, reshuffling on every wrap.

Why: every example is used once per pass (sampling without replacement per pass), as in
the reference driver, and a seeded generator makes runs reproducible.
"""
from __future__ import annotations

import numpy as np


class CyclicSampler:
    """Hands out indices from a fixed pool, one shuffled pass after another."""

    def __init__(self, pool: np.ndarray, rng: np.random.Generator) -> None:
        self.pool = np.asarray(pool)
        self.rng = rng
        self.order = self.pool[rng.permutation(len(self.pool))]
        self.position = 0

    def take(self, count: int) -> np.ndarray:
        """Up to ``count`` distinct indices (fewer only if the pool is smaller)."""
        count = min(count, len(self.pool))
        taken: list[np.ndarray] = []
        while count > 0:
            if self.position == len(self.order):
                self.order = self.pool[self.rng.permutation(len(self.pool))]
                self.position = 0
            step = min(count, len(self.order) - self.position)
            taken.append(self.order[self.position:self.position + step])
            self.position += step
            count -= step
        return np.concatenate(taken) if taken else np.zeros(0, dtype=self.pool.dtype)


def stratified_split(labels: np.ndarray, fraction: float, rng: np.random.Generator,
                     values=None) -> tuple[np.ndarray, np.ndarray]:
    """Sorted (kept, held-out) indices; ``fraction`` of each label value held out.

    ``values`` fixes the order in which the label values draw from ``rng`` (default: sorted).
    """
    kept, held = [], []
    for value in np.unique(labels) if values is None else values:
        members = rng.permutation(np.flatnonzero(labels == value))
        count = int(round(fraction * len(members)))
        held.append(members[:count])
        kept.append(members[count:])
    return np.sort(np.concatenate(kept)), np.sort(np.concatenate(held))
