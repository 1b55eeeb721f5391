"""Run independent pieces of scoring on every core.

Why: scoring many images (the main node's after the last solution, when the computing nodes
are idle) is numpy work that lets go of Python's lock while it counts atom misses, so threads
(no copies of the models or images) put the machine's other cores to work.
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterable, TypeVar

import numpy as np

Item = TypeVar("Item")
Result = TypeVar("Result")
CORES = os.cpu_count() or 1


def map_on_cores(function: Callable[[Item], Result], items: Iterable[Item]) -> list[Result]:
    """``[function(item) for item in items]``, computed on one thread per core, in the items' order."""
    items = list(items)
    if len(items) < 2 or CORES < 2:
        return [function(item) for item in items]
    with ThreadPoolExecutor(min(len(items), CORES)) as pool:
        return list(pool.map(function, items))


def pieces(count: int, most: int) -> list[slice]:
    """Slices cutting ``range(count)`` into near-equal pieces of at most ``most`` items; more than one
    piece are made a multiple of the cores, so no core does a last piece alone while the others wait."""
    n_pieces = -(-count // most)
    if n_pieces > 1:
        n_pieces = -(-n_pieces // CORES) * CORES
    bounds = np.linspace(0, count, n_pieces + 1).round().astype(int)
    return [slice(begin, end) for begin, end in zip(bounds[:-1], bounds[1:])]
