"""Sparse crossing: invariants after every enforce, checked with a plain-Python oracle."""
from __future__ import annotations

import numpy as np
import pytest

from aml_engine import (Atomization, Duple, FullCrossingLearner, InconsistentDataError,
                        SparseCrossingLearner, bitset, term)
from aml_engine.traces import atom_traces, constant_traces
from engine_support import N_CONSTANTS, V, as_sets, bar_images, duples, plain_holds, plain_las, term_set


def _batches(seed: int, count: int, size: int = 24):
    rng = np.random.default_rng(seed)
    images, labels = bar_images(max(count, 4) * size // 2, rng)
    for _ in range(count):
        chosen = rng.choice(len(images), size=size, replace=False)
        yield duples(images[chosen], labels[chosen])


@pytest.mark.parametrize("seed", [3, 13, 23])
def test_enforce_satisfies_batch_and_keeps_traces(seed):
    learner = SparseCrossingLearner(N_CONSTANTS, seed=seed)
    for pbatch, nbatch in _batches(seed=seed, count=8):
        report = learner.enforce(pbatch, nbatch)
        atoms = as_sets(learner.atomization)
        for duple in pbatch + nbatch + learner.exampleSet:
            assert plain_holds(atoms, duple), duple
        traces = atom_traces(learner.atomization.bits, N_CONSTANTS, report.dual.pinning)
        now = constant_traces(learner.atomization.bits, N_CONSTANTS, traces)
        assert np.array_equal(now[report.constants], report.stored_traces[report.constants])


def test_kept_indicators_still_separate_every_negative():
    learner = SparseCrossingLearner(N_CONSTANTS, seed=4)
    for pbatch, nbatch in _batches(seed=4, count=5):
        report = learner.enforce(pbatch, nbatch)
        pinning = [set(np.flatnonzero(row)) for row in report.dual.pinning]
        for duple in nbatch:
            left, right = term_set(duple.L), term_set(duple.R)
            useful = [i for i, p in enumerate(pinning) if right <= p and not left <= p]
            assert useful, "a negative duple lost every useful indicator"


def test_sparse_agrees_with_full_crossing_on_bars():
    rng = np.random.default_rng(5)
    images, labels = bar_images(30, rng)
    positives, negatives = duples(images, labels)
    full = FullCrossingLearner(N_CONSTANTS)
    full.enforce(positives)
    sparse = SparseCrossingLearner(N_CONSTANTS, seed=5)
    sparse.enforce(positives, negatives)
    for learned in (as_sets(full.atomization), as_sets(sparse.atomization)):
        assert all(plain_holds(learned, d) for d in positives + negatives)
    assert len(sparse.atomization) * 5 < len(full.atomization)


def test_same_seed_same_atoms():
    def run(seed: int) -> list:
        learner = SparseCrossingLearner(N_CONSTANTS, seed=seed)
        for pbatch, nbatch in _batches(seed=7, count=4):
            learner.enforce(pbatch, nbatch)
        return list(learner.unionModel)

    assert run(11) == run(11)
    assert run(11) != run(12)


def test_union_filter_drops_atoms_rejecting_new_positives():
    learner = SparseCrossingLearner(N_CONSTANTS, seed=8)
    batches = list(_batches(seed=8, count=6))
    for pbatch, nbatch in batches:
        before = as_sets(learner.unionModel)
        learner.enforce(pbatch, nbatch)
        survivors = as_sets(learner.lastUnionModel)
        assert all(ucs in before for ucs in survivors)
        for duple in pbatch:
            assert plain_holds(survivors, duple)


def test_imported_atoms_are_checked_against_stored_positives():
    learner = SparseCrossingLearner(N_CONSTANTS, seed=9)
    pbatch, nbatch = next(_batches(seed=9, count=1))
    learner.enforce(pbatch, nbatch)
    stored = learner.exampleSet
    assert stored, "the first batch should cross (and store) positives"
    stored_right = term_set(stored[0].R)
    outside = next(c for c in range(2 * 16) if c not in stored_right)
    bad = Atomization.from_atoms(N_CONSTANTS, [((V, outside), 0, 0)])
    learner.externalExtendUnionModel(bad)
    learner.enforce([], nbatch)
    assert {V, outside} not in as_sets(learner.lastUnionModel)


def test_positives_only_batch():
    pbatch, _ = next(_batches(seed=10, count=1))
    learner = SparseCrossingLearner(N_CONSTANTS, seed=10)
    learner.enforce(pbatch, [])
    atoms = as_sets(learner.atomization)
    assert all(plain_holds(atoms, duple) for duple in pbatch)


def test_contradicting_duples_raise():
    left, right = term([V], N_CONSTANTS), term([0, 1], N_CONSTANTS)
    learner = SparseCrossingLearner(N_CONSTANTS, seed=1)
    with pytest.raises(InconsistentDataError, match="cannot be separated"):
        learner.enforce([Duple(left, right, True)], [Duple(left, right, False)])


def test_plain_oracle_by_hand():
    atoms = [{0, 1}, {2}]
    assert plain_las(atoms, {1, 2}) == {0, 1}
    assert plain_holds(atoms, Duple(bitset.from_indices([0], N_CONSTANTS), bitset.from_indices([1], N_CONSTANTS), True))
