"""Hand-checked algebra: bitsets, constants, atoms, lower segments, dedup, full crossing."""
from __future__ import annotations

import numpy as np
import pytest

from aml_engine import Atomization, ConstantManager, Duple, FullCrossingLearner, bitset, term
from aml_engine.inference import embed
from aml_engine.readout import atom_misses, packed_atom_misses


def test_pack_roundtrip_and_indices():
    rng = np.random.default_rng(0)
    rows = rng.random((7, 130)) < 0.3
    packed = bitset.pack(rows)
    assert packed.shape == (7, 3) and packed.dtype == np.uint64
    assert np.array_equal(bitset.unpack(packed, 130), rows)
    assert bitset.to_indices(bitset.from_indices([0, 64, 129], 130), 130) == (0, 64, 129)
    assert list(bitset.popcount(packed)) == list(rows.sum(axis=1))


def test_meets_matrix_matches_python_sets():
    rng = np.random.default_rng(1)
    atoms = rng.random((40, 100)) < 0.05
    terms = rng.random((9, 100)) < 0.5
    expected = np.array([[bool(set(np.flatnonzero(a)) & set(np.flatnonzero(t))) for t in terms] for a in atoms])
    assert np.array_equal(bitset.meets_matrix(bitset.pack(atoms), 100, terms, block=16), expected)
    by_term = bitset.SparseRows(bitset.pack(atoms), block=16).meets_by_term(terms)
    assert np.array_equal(np.unpackbits(by_term, axis=1, count=40).astype(bool), expected.T)
    assert np.array_equal(bitset.SparseRows(bitset.pack(atoms), block=16).met_by_terms(terms), expected.T)
    assert bitset.SparseRows(bitset.pack(atoms[:0])).met_by_terms(terms).shape == (9, 0)


@pytest.mark.parametrize("n_rows, n_bits", [(0, 5), (3, 0), (1, 1), (8, 64), (13, 70), (64, 200), (101, 333)])
def test_transpose_packed_is_packbits_of_the_transpose(n_rows, n_bits):
    rows = np.random.default_rng(n_rows).random((n_rows, n_bits)) < 0.4
    turned = bitset.transpose_packed(bitset.pack(rows), n_rows, n_bits)
    assert turned.dtype == np.uint8 and np.array_equal(turned, np.packbits(rows.T, axis=1))


def test_constant_manager_names_and_sets():
    manager = ConstantManager()
    assert [manager.setNewConstantIndex() for _ in range(3)] == [0, 1, 2]
    assert manager.setNewConstantIndexWithName("v") == 3
    assert manager.getReversedNameDictionary() == {3: "v"}
    assert manager.getConstantSet() == {0, 1, 2, 3}
    assert manager.embeddingConstants == 4
    with pytest.raises(ValueError, match="'v' is already id 3"):
        manager.setNewConstantIndexWithName("v")
    assert ConstantManager.from_dict(manager.to_dict()).getReversedNameDictionary() == {3: "v"}


def test_lower_segments_discriminant_and_holds():
    model = Atomization.from_atoms(6, [((0, 1), 0, 0), ((2,), 0, 0), ((1, 3), 0, 0), ((4,), 0, 0)])
    assert list(np.flatnonzero(model.las(term([1], 6)))) == [0, 2]
    assert list(np.flatnonzero(model.las(term([2, 4], 6)))) == [1, 3]
    # las({0}) = {atom 0}; las({1, 2}) = {0, 1, 2}: {0} <= {1, 2} holds.
    assert model.holds(term([0], 6), term([1, 2], 6))
    # las({1}) = {0, 2} but las({0, 4}) = {0, 3}: atom 2 discriminates.
    assert list(np.flatnonzero(model.discriminant(term([1], 6), term([0, 4], 6)))) == [2]
    assert model.holds(term([1], 6), term([0, 4], 6), positive=False)
    assert not model.holds(term([5], 6), term([0], 6), positive=False)


def test_dedup_keeps_first_with_min_epoch_and_max_gen():
    model = Atomization.from_atoms(70, [((1, 2), 5, 1), ((3,), 1, 1), ((1, 2), 2, 9), ((65, 69), 0, 0)])
    assert list(model.deduplicated()) == [((1, 2), 2, 9), ((3,), 1, 1), ((65, 69), 0, 0)]


def test_atom_union_and_redundant_atoms():
    model = Atomization.from_atoms(5, [((0, 1), 0, 0), ((0,), 0, 0), ((1,), 0, 0), ((2, 3), 0, 0), ((2,), 0, 0)])
    assert [atom.ucs for atom in model.without_redundant()] == [(0,), (1,), (2, 3), (2,)]
    union = model.bits[0] | model.bits[3]
    assert bitset.to_indices(union, 5) == (0, 1, 2, 3)


def test_full_crossing_by_hand():
    learner = FullCrossingLearner(4)
    learner.enforce([Duple(term([0], 4), term([1, 2], 4), True)])
    assert sorted(atom.ucs for atom in learner.atomization) == [(0, 1), (0, 2), (1,), (2,), (3,)]
    learner.enforce([Duple(term([0], 4), term([1], 4), True)])
    # (0, 2) is crossed with las({1}) = {(1,), (0, 1)}: gives (0, 1, 2), redundant over (0, 1) and (2,).
    assert sorted(atom.ucs for atom in learner.atomization) == [(0, 1), (1,), (2,), (3,)]
    assert learner.atomization.holds(term([0], 4), term([1], 4))
    assert learner.atomization.holds(term([1], 4), term([0], 4), positive=False)


def test_atomization_rejects_bad_atoms():
    with pytest.raises(ValueError, match=r"constants in 0..3"):
        Atomization.from_atoms(4, [((0, 4), 0, 0)])
    with pytest.raises(ValueError, match="non-empty"):
        Atomization.from_atoms(4, [((), 0, 0)])
    with pytest.raises(ValueError, match="at least one constant"):
        term([], 4)


def test_subset_matrix_matches_python_sets():
    rng = np.random.default_rng(2)
    sets = rng.random((12, 150)) < 0.7
    terms = np.concatenate([sets[:4] & (rng.random((4, 150)) < 0.8), rng.random((5, 150)) < 0.2])
    expected = np.array([[set(np.flatnonzero(t)) <= set(np.flatnonzero(s)) for s in sets] for t in terms])
    assert expected.any()
    assert np.array_equal(bitset.subset_matrix(bitset.pack(terms), bitset.pack(sets)), expected)


def test_atom_misses_are_the_atoms_disjoint_from_each_embedded_image():
    rng = np.random.default_rng(4)
    features = rng.random((37, 20)) < 0.5
    atoms = Atomization.from_atoms(41, [(tuple(int(c) for c in rng.choice(41, size=3, replace=False)), 0, 0)
                                        for _ in range(21)])
    expected = np.array([[not set(atom.ucs) & set(np.flatnonzero(sample)) for atom in atoms] for sample in embed(features)])
    assert np.array_equal(atom_misses(atoms, features, block=8), expected)
    assert np.array_equal(packed_atom_misses(atoms, features, block=8), np.packbits(expected, axis=1))
