"""Traces of atoms, constants and terms over the reduced indicators, and the trace closure.

Why: sparse crossing only needs to keep the trace of every constant unchanged; with a few
dozen indicators a trace is a short boolean vector, so all traces of a step are small
boolean matrices computed with a handful of numpy operations.
"""
from __future__ import annotations

import numpy as np

from . import bitset
from .errors import InconsistentDataError


def atom_traces(bits: np.ndarray, n_constants: int, pinning: np.ndarray) -> np.ndarray:
    """Boolean (atoms, indicators): ``tau(a)`` = indicators whose pinning term meets ``ucs(a)``."""
    return bitset.meets_matrix(bits, n_constants, pinning)


def constant_traces(bits: np.ndarray, n_constants: int, traces: np.ndarray) -> np.ndarray:
    """Boolean (constants, indicators): AND of the traces of the atoms containing each constant.

    ``bits`` are the packed atoms. A constant that no atom contains has the full trace (its
    lower segment is empty).
    """
    atom_of, constant_of = bitset.coordinates(bits)
    by_constant = np.argsort(constant_of, kind="stable")
    atom_of, constant_of = atom_of[by_constant], constant_of[by_constant]
    missing = np.zeros((n_constants, traces.shape[1]), dtype=bool)
    if len(atom_of):
        starts = np.flatnonzero(np.r_[True, constant_of[1:] != constant_of[:-1]])
        missing[constant_of[starts]] = np.logical_or.reduceat(~traces[atom_of], starts, axis=0)
    return ~missing


def term_traces(terms_dense: np.ndarray, traces_of_constants: np.ndarray) -> np.ndarray:
    """Boolean (terms, indicators): a term's trace is the AND of its constants' traces."""
    missing = terms_dense.astype(np.float32) @ (~traces_of_constants).astype(np.float32)
    return missing == 0


def close_traces(traces_of_terms: np.ndarray, terms_dense: np.ndarray, free: np.ndarray,
                 negatives: np.ndarray, positives: np.ndarray, rng: np.random.Generator) -> list[int]:
    """Add singleton atoms until every duple meets its trace constraint; return their constants.

    ``negatives`` and ``positives`` are (duples, 2) arrays of (left, right) term indices.
    A negative duple needs ``tau(R) \\ tau(L)`` non-empty; a positive one needs
    ``tau(R) <= tau(L)``. Adding ``{c}`` intersects the trace of every term containing
    ``c`` with the free trace ``free[c]``; ``traces_of_terms`` is updated in place.
    """
    added: list[int] = []

    def add(constant: int) -> None:
        traces_of_terms[terms_dense[:, constant]] &= free[constant]
        added.append(constant)

    while True:
        count = len(added)
        for left, right in negatives[rng.permutation(len(negatives))]:
            left_trace, right_trace = traces_of_terms[left], traces_of_terms[right]
            if (right_trace & ~left_trace).any():
                continue
            options = np.flatnonzero(terms_dense[left] & ~terms_dense[right])
            options = options[rng.permutation(len(options))]
            fixes = options[(right_trace & ~(left_trace & free[options])).any(axis=1)]
            if len(fixes) == 0:
                raise InconsistentDataError("a negative duple cannot be separated: no constant of "
                                            "L \\ R fixes its trace constraint")
            add(int(fixes[0]))
        for left, right in positives[rng.permutation(len(positives))]:
            outside = traces_of_terms[right] & ~traces_of_terms[left]
            if not outside.any():
                continue
            options = np.flatnonzero(terms_dense[right])
            options = options[rng.permutation(len(options))]
            fixes = options[(outside & ~free[options]).any(axis=1)]
            if len(fixes):
                add(int(fixes[0]))
        if len(added) == count:
            return added
