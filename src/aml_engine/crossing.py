"""``crossAll`` and ``reduce_by_traces``: the trace-preserving sparse crossing of positives.

Why: replacing each discriminant atom ``a`` by a few unions ``a | b`` with atoms ``b`` of
``las(R)``, chosen so that together they miss every indicator ``a`` misses, makes the
duple hold while every constant trace stays the same, so all negative duples keep holding.
"""
from __future__ import annotations

import numpy as np

from .atoms import Atomization
from .duples import Duple


class WorkingModel:
    """The working atomization together with the trace of each atom."""

    def __init__(self, atoms: Atomization, traces: np.ndarray) -> None:
        self.atoms = atoms
        self.traces = traces

    def multi_count(self) -> int:
        """Number of atoms with more than one constant (the growth measure for reductions)."""
        return int((self.atoms.sizes() > 1).sum())

    def keep(self, mask: np.ndarray) -> None:
        self.atoms = self.atoms.take(mask)
        self.traces = self.traces[mask]


def _random(rng: np.random.Generator, options: np.ndarray) -> int:
    return int(options[rng.integers(len(options))])


def cross_duple(model: WorkingModel, duple: Duple, epoch: int, rng: np.random.Generator) -> bool:
    """Cross one positive duple into the model; False if it already held."""
    atoms, traces = model.atoms, model.traces
    in_right = atoms.las(duple.R)
    discriminant = np.flatnonzero(atoms.las(duple.L) & ~in_right)
    if len(discriminant) == 0:
        return False
    partners = np.flatnonzero(in_right)
    if len(partners) == 0:
        raise ValueError("a positive duple's right term meets no atom; every constant needs an atom")
    pairs: list[tuple[int, int]] = []
    for atom in discriminant:
        outside = ~traces[atom]
        if not outside.any():
            pairs.append((atom, _random(rng, partners)))
        while outside.any():
            indicator = _random(rng, np.flatnonzero(outside))
            partner = _random(rng, partners[~traces[partners, indicator]])
            pairs.append((atom, partner))
            outside &= traces[partner]
    left, right = np.array(pairs).T
    crossed = Atomization(atoms.n_constants, atoms.bits[left] | atoms.bits[right],
                          np.full(len(left), epoch), np.maximum(atoms.gen[left], atoms.gen[right]))
    kept = np.ones(len(atoms), dtype=bool)
    kept[discriminant] = False
    model.atoms = atoms.take(kept).concat(crossed)
    model.traces = np.concatenate([traces[kept], traces[left] | traces[right]])
    return True


def reduce_by_traces(model: WorkingModel, stored: np.ndarray, constants: np.ndarray,
                     rng: np.random.Generator) -> None:
    """Keep a subset of atoms that still realises the stored trace of every given constant.

    ``stored`` is the (constants, indicators) table of traces to preserve. For each constant
    in random order, a greedy cover picks atoms containing it until they jointly miss every
    indicator its stored trace misses, preferring atoms already picked.
    """
    traces = model.traces
    holder_constant, holder_atom = np.nonzero(model.atoms.dense().T)
    bounds = np.searchsorted(holder_constant, np.arange(model.atoms.n_constants + 1))
    selected = np.zeros(len(model.atoms), dtype=bool)
    for constant in constants[rng.permutation(len(constants))]:
        holders = holder_atom[bounds[constant]:bounds[constant + 1]]
        outside = ~stored[constant]
        if not outside.any():
            if len(holders) and not selected[holders].any():
                selected[_random(rng, holders)] = True
            continue
        while outside.any():
            indicator = _random(rng, np.flatnonzero(outside))
            candidates = holders[~traces[holders, indicator]]
            if len(candidates) == 0:
                outside[indicator] = False
                continue
            already = candidates[selected[candidates]]
            pick = _random(rng, already) if len(already) else _random(rng, candidates)
            selected[pick] = True
            outside &= traces[pick]
    model.keep(selected)


def cross_all(model: WorkingModel, duples: list[Duple], epoch: int, stored: np.ndarray,
              constants: np.ndarray, rng: np.random.Generator, simplify_threshold: float = 1.5,
              reduction_by_traces: bool = True) -> tuple[list[Duple], int]:
    """Cross every positive duple in order; return the crossed duples and the new epoch counter."""
    crossed: list[Duple] = []
    last = model.multi_count()
    for duple in duples:
        if not cross_duple(model, duple, epoch + 1, rng):
            continue
        epoch += 1
        crossed.append(duple)
        if reduction_by_traces and model.multi_count() > simplify_threshold * last:
            reduce_by_traces(model, stored, constants, rng)
            last = model.multi_count()
    if reduction_by_traces:
        reduce_by_traces(model, stored, constants, rng)
    return crossed, epoch
