"""The dual of a sparse-crossing step: indicators (pinning terms) and their reduction.

Why: traces are computed over indicators, and the crossing only has to preserve traces.
Keeping just a few dozen indicators that still separate every negative duple makes every
later trace a short bit vector. Useful indicator sets are computed per negative duple
directly; free traces over all candidate indicators are never materialised.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import bitset
from .atoms import Atomization
from .duples import Duple
from .errors import InconsistentDataError


@dataclass
class Dual:
    """Kept indicators as pinning terms: row i of ``pinning`` is the constant set ``P_i``.

    The first ``n_negative`` rows come from negative duples, the rest from union atoms
    (``P_u`` = all constants not in ``ucs(u)``). ``n_candidates`` is the number of useful
    indicators before the reduction (a diagnostic).
    """

    pinning: np.ndarray
    n_negative: int
    n_candidates: int

    @property
    def size(self) -> int:
        return len(self.pinning)


def _unique_rows(packed: np.ndarray) -> np.ndarray:
    return packed[bitset.unique_rows(packed)[0]]


def _contained_in(terms: np.ndarray, sets: np.ndarray) -> np.ndarray:
    """Boolean (terms, sets) for dense boolean rows: term t is a subset of set s."""
    return bitset.subset_matrix(bitset.pack(terms), bitset.pack(sets))


def _close_under_positives(negative_sets: np.ndarray, positives: list[Duple], n_constants: int) -> np.ndarray:
    """Add ``L`` to every negative pinning term that contains the ``R`` of a positive duple."""
    if not positives:
        return negative_sets
    lefts = bitset.unpack(np.stack([d.L for d in positives]), n_constants).astype(np.float32)
    rights = bitset.unpack(np.stack([d.R for d in positives]), n_constants)
    while True:
        applies = _contained_in(rights, negative_sets).T
        grown = negative_sets | ((applies.astype(np.float32) @ lefts) > 0)
        if np.array_equal(grown, negative_sets):
            return negative_sets
        negative_sets = grown


def pinning_atoms(union: Atomization, union_fraction: int, rng: np.random.Generator) -> Atomization:
    """Union atoms that enter the dual, in random order; subsampled once ``union_fraction`` > 0."""
    keep = np.ones(len(union), dtype=bool)
    if union_fraction > 0:
        keep = (union.sizes() == 1) | (rng.random(len(union)) < 1.0 / (union_fraction + 1))
    chosen = np.flatnonzero(keep)
    return union.take(chosen[rng.permutation(len(chosen))])


def useful_indicators(negatives: list[Duple], negative_sets: np.ndarray, pinning: Atomization,
                      n_constants: int) -> tuple[np.ndarray, np.ndarray]:
    """Per negative duple, the indicators in ``F(R) \\ F(L)``.

    Returns ``(useful, candidates)``: a boolean matrix (negative duples, negative indicators
    + candidate pinning atoms) and the packed candidate pinning atoms (those meeting some L;
    no other union atom can ever be useful).
    """
    lefts = np.stack([d.L for d in negatives])
    rights = bitset.unpack(np.stack([d.R for d in negatives]), n_constants)
    first, left_index = bitset.unique_rows(lefts)
    distinct_lefts = lefts[first]
    distinct_lefts_dense = bitset.unpack(distinct_lefts, n_constants)
    any_left = np.bitwise_or.reduce(distinct_lefts, axis=0)
    candidates = pinning.bits[bitset.meets(pinning.bits, any_left)]

    in_negative_right = _contained_in(rights, negative_sets)
    in_negative_left = _contained_in(distinct_lefts_dense, negative_sets)[left_index]
    candidate_rows = bitset.SparseRows(candidates)
    pinned_right = ~candidate_rows.met_by_terms(rights)
    pinned_left = ~candidate_rows.met_by_terms(distinct_lefts_dense)[left_index]
    useful = np.concatenate([in_negative_right & ~in_negative_left, pinned_right & ~pinned_left], axis=1)
    return useful, candidates


def reduce_indicators(useful: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Randomised greedy hitting set: a small set of indicators meeting every duple's useful set.

    Returns a boolean mask over the columns of ``useful``.
    """
    n_indicators = useful.shape[1]
    rows, columns = np.nonzero(useful)
    bounds = np.searchsorted(rows, np.arange(len(useful) + 1))
    per_duple = [columns[bounds[k]:bounds[k + 1]] for k in range(len(useful))]
    alive = np.ones(n_indicators, dtype=bool)
    singles = np.zeros(n_indicators, dtype=bool)
    remaining = np.arange(len(useful))
    previous = n_indicators + 1
    while True:
        remaining = remaining[rng.permutation(len(remaining))]
        take = np.zeros(n_indicators, dtype=bool)
        done = np.zeros(len(remaining), dtype=bool)
        for position, duple in enumerate(remaining):
            options = per_duple[duple]
            options = options[alive[options]]
            per_duple[duple] = options
            if len(options) == 0:
                raise InconsistentDataError(f"negative duple {duple} lost all useful indicators")
            if singles[options].any():
                done[position] = True
            elif len(options) == 1:
                singles[options[0]] = True
                done[position] = True
            elif not take[options].any():
                take[options[rng.integers(len(options))]] = True
        take |= singles
        remaining = remaining[~done]
        alive = take
        count = int(take.sum())
        if count >= previous or len(remaining) == 0:
            return alive
        previous = count


def build_dual(negatives: list[Duple], positives: list[Duple], union: Atomization, union_fraction: int,
               n_constants: int, rng: np.random.Generator, reduce: bool = True) -> Dual:
    """Indicators for one ``enforce`` call, closed under the positives and (optionally) reduced."""
    negative_sets = bitset.unpack(_unique_rows(np.stack([d.R for d in negatives])), n_constants)
    negative_sets = _close_under_positives(negative_sets, positives, n_constants)
    negative_sets = bitset.unpack(_unique_rows(bitset.pack(negative_sets)), n_constants)
    pinning = pinning_atoms(union, union_fraction, rng)
    useful, candidates = useful_indicators(negatives, negative_sets, pinning, n_constants)
    empty = np.flatnonzero(~useful.any(axis=1))
    if len(empty):
        raise InconsistentDataError(
            f"{len(empty)} of {len(negatives)} negative duples cannot be separated (first: index "
            f"{empty[0]}); the same terms are probably given as positive and negative examples")
    kept = reduce_indicators(useful, rng) if reduce else useful.any(axis=0)
    n_sets = len(negative_sets)
    kept_sets = negative_sets[kept[:n_sets]]
    kept_atoms = ~bitset.unpack(candidates[kept[n_sets:]], n_constants)
    return Dual(np.concatenate([kept_sets, kept_atoms]), len(kept_sets), int(useful.any(axis=0).sum()))
