"""``crossAll`` and ``reduce_by_traces``: the trace-preserving sparse crossing of positives.

Why: replacing each discriminant atom ``a`` by a few unions ``a | b`` with atoms ``b`` of
``las(R)``, chosen so that together they miss every indicator ``a`` misses, makes the
duple hold while every constant trace stays the same, so all negative duples keep holding.
"""
from __future__ import annotations

import random

import numpy as np

from . import bitset
from .atoms import Atomization
from .duples import Duple


class WorkingModel:
    """The working atomization with the trace of each atom, as boolean rows and as ints."""

    def __init__(self, atoms: Atomization, traces: np.ndarray) -> None:
        self.atoms = atoms
        self.traces = traces
        self.trace_ints = trace_ints(traces)

    def multi_count(self) -> int:
        """Number of atoms with more than one constant (the growth measure for reductions)."""
        return int((self.atoms.sizes() > 1).sum())

    def keep(self, mask: np.ndarray) -> None:
        self.atoms = self.atoms.take(mask)
        self.traces = self.traces[mask]
        self.trace_ints = [value for value, kept in zip(self.trace_ints, mask) if kept]


def trace_ints(traces: np.ndarray) -> list[int]:
    """Boolean trace rows as Python int bitsets (bit i = indicator i).

    Why: the greedy loops below test and intersect one trace at a time; on a few dozen
    bits Python int operations cost far less than numpy calls.
    """
    packed = np.packbits(traces, axis=1, bitorder="little")
    return [int.from_bytes(row.tobytes(), "little") for row in packed]


_WORD = (1 << 64) - 1


def _random_bit(value: int, rnd: random.Random) -> int:
    """A uniformly chosen set bit of a non-zero int (walks 64-bit chunks, then bits)."""
    rank = rnd.randrange(value.bit_count())
    shift = 0
    chunk = value & _WORD
    while rank >= chunk.bit_count():
        rank -= chunk.bit_count()
        shift += 64
        chunk = (value >> shift) & _WORD
    for _ in range(rank):
        chunk &= chunk - 1
    return shift + (chunk & -chunk).bit_length() - 1


def _pick(options: np.ndarray, rnd: random.Random) -> int:
    return int(options[rnd.randrange(len(options))])


def cross_duple(model: WorkingModel, duple: Duple, epoch: int, rnd: random.Random) -> bool:
    """Cross one positive duple into the model; False if it already held."""
    atoms, traces, ints = model.atoms, model.traces, model.trace_ints
    in_right = atoms.las(duple.R)
    discriminant = np.flatnonzero(atoms.las(duple.L) & ~in_right)
    if len(discriminant) == 0:
        return False
    partners = np.flatnonzero(in_right)
    if len(partners) == 0:
        raise ValueError("a positive duple's right term meets no atom; every constant needs an atom")
    everything = (1 << traces.shape[1]) - 1
    missing_by_indicator = ~traces[partners].T
    pairs: list[tuple[int, int]] = []
    for atom in discriminant:
        outside = everything & ~ints[atom]
        if not outside:
            pairs.append((atom, _pick(partners, rnd)))
        while outside:
            indicator = _random_bit(outside, rnd)
            partner = _pick(partners[missing_by_indicator[indicator]], rnd)
            pairs.append((atom, partner))
            outside &= ints[partner]
    left, right = np.array(pairs).T
    crossed = Atomization(atoms.n_constants, atoms.bits[left] | atoms.bits[right],
                          np.full(len(left), epoch), np.maximum(atoms.gen[left], atoms.gen[right]))
    kept = np.ones(len(atoms), dtype=bool)
    kept[discriminant] = False
    model.atoms = atoms.take(kept).concat(crossed)
    model.traces = np.concatenate([traces[kept], traces[left] | traces[right]])
    model.trace_ints = [value for value, keep in zip(ints, kept) if keep] + [ints[a] | ints[b] for a, b in pairs]
    return True


def reduce_by_traces(model: WorkingModel, stored: np.ndarray, constants: np.ndarray, rnd: random.Random) -> None:
    """Keep a subset of atoms that still realises the stored trace of every given constant.

    ``stored`` is the (constants, indicators) table of traces to preserve. For each constant
    in random order, a greedy cover picks atoms containing it until they jointly miss every
    indicator its stored trace misses, preferring atoms already picked.
    """
    traces, atom_traces = model.traces, model.trace_ints
    missing_by_indicator = np.ascontiguousarray(~traces.T)
    stored_traces = trace_ints(stored)
    everything = (1 << traces.shape[1]) - 1
    holder_atom, holder_constant = bitset.coordinates(model.atoms.bits)
    by_constant = np.argsort(holder_constant, kind="stable")
    holder_atom = holder_atom[by_constant]
    bounds = np.searchsorted(holder_constant[by_constant], np.arange(model.atoms.n_constants + 1))
    selected = np.zeros(len(model.atoms), dtype=bool)
    order = list(constants)
    rnd.shuffle(order)
    for constant in order:
        holders = holder_atom[bounds[constant]:bounds[constant + 1]]
        outside = everything & ~stored_traces[constant]
        if not outside:
            if len(holders) and not selected[holders].any():
                selected[_pick(holders, rnd)] = True
            continue
        while outside:
            indicator = _random_bit(outside, rnd)
            candidates = holders[missing_by_indicator[indicator, holders]]
            if len(candidates) == 0:
                outside &= ~(1 << indicator)
                continue
            already = candidates[selected[candidates]]
            pick = _pick(already, rnd) if len(already) else _pick(candidates, rnd)
            selected[pick] = True
            outside &= atom_traces[pick]
    model.keep(selected)


def cross_all(model: WorkingModel, duples: list[Duple], epoch: int, stored: np.ndarray,
              constants: np.ndarray, rnd: random.Random, simplify_threshold: float = 1.5,
              reduction_by_traces: bool = True) -> tuple[list[Duple], int]:
    """Cross every positive duple in order; return the crossed duples and the new epoch counter."""
    crossed: list[Duple] = []
    last = model.multi_count()
    for duple in duples:
        if not cross_duple(model, duple, epoch + 1, rnd):
            continue
        epoch += 1
        crossed.append(duple)
        if reduction_by_traces and model.multi_count() > simplify_threshold * last:
            reduce_by_traces(model, stored, constants, rnd)
            last = model.multi_count()
    if reduction_by_traces:
        reduce_by_traces(model, stored, constants, rnd)
    return crossed, epoch
