"""Disjoint shards of a training set, one per job.

The published tutorial drew each job with ``random.sample`` from the whole set, so jobs overlapped
and some images were never used. Here every image goes to exactly one shard.
"""
from __future__ import annotations

import numpy as np


def disjoint_shards(n_items: int, n_shards: int, seed: int | None = None) -> list[np.ndarray]:
    """Split ``range(n_items)`` into ``n_shards`` disjoint, shuffled index arrays covering it all.

    Shard sizes differ by at most one. Raises ValueError when there are fewer items than shards.
    """
    if n_shards < 1:
        raise ValueError(f"need at least 1 shard, got {n_shards}")
    if n_items < n_shards:
        raise ValueError(f"cannot split {n_items} items into {n_shards} non-empty shards")
    order = np.random.default_rng(seed).permutation(n_items)
    return [np.sort(part) for part in np.array_split(order, n_shards)]
