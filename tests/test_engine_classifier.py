"""BinaryClassifier: fit/predict, cut-off, merge, serialization and input errors."""
from __future__ import annotations

import json

import numpy as np
import pytest

from aml_engine import BinaryClassifier, NotFittedError
from engine_support import mnist_subset


@pytest.fixture(scope="module")
def mnist():
    images, digits = mnist_subset(3000)
    return images, digits == 0


def _fit(X, y, **params) -> BinaryClassifier:
    options = dict(batches=12, positives_per_batch=30, negatives_per_batch=120, seed=0, progress=False)
    options.update(params)
    return BinaryClassifier(**options).fit(X, y)


def _balanced_error(predicted: np.ndarray, labels: np.ndarray) -> float:
    return ((predicted & ~labels).sum() / (~labels).sum() + (~predicted & labels).sum() / labels.sum()) / 2


def test_mnist_subset_beats_chance(mnist):
    X, y = mnist
    model = _fit(X[:2000], y[:2000])
    assert model.atoms_ is model.learners_[0].lastUnionModel
    assert _balanced_error(model.predict(X[2000:]), y[2000:]) < 0.15
    misses = model.decision_function(X[2000:])
    assert misses.dtype.kind == "i" and misses.shape == (1000,)
    assert misses[y[2000:]].mean() < misses[~y[2000:]].mean()


def test_learned_state_and_names(mnist):
    X, y = mnist
    model = _fit(X[:600], y[:600], batches=3)
    assert model.n_features_ == 784
    assert model.cmanager_.getReversedNameDictionary() == {1568: "v"}
    atom = next(iter(model.atoms_))
    assert list(atom.ucs) == sorted(atom.ucs) and isinstance(atom.epoch, int) and isinstance(atom.gen, int)
    assert model.cutoff_ >= 1 and len(model.atoms_) > 0


def test_init_only_stores_and_fit_returns_self(mnist):
    X, y = mnist
    model = BinaryClassifier(batches=2, seed=1, progress=False, holdout_fraction=0)
    assert not hasattr(model, "atoms_")
    assert model.fit(X[:300], y[:300]) is model
    assert model.cutoff_ == 1


def test_same_seed_same_model(mnist):
    X, y = mnist
    first, second = _fit(X[:600], y[:600], batches=4), _fit(X[:600], y[:600], batches=4)
    assert list(first.atoms_) == list(second.atoms_)


def test_progress_goes_to_stderr(mnist, capsys):
    X, y = mnist
    _fit(X[:300], y[:300], batches=2, progress=True)
    captured = capsys.readouterr()
    assert "[2/2 (100%)]" in captured.err and captured.out == ""


def test_merge_keeps_positives_and_is_no_worse_than_mean_shard(mnist):
    X, y = mnist
    halves = [slice(0, 1000), slice(1000, 2000)]
    shards = [_fit(X[part], y[part], batches=40, seed=i) for i, part in enumerate(halves)]
    merged = shards[0].merge(shards[1])
    for shard in shards:
        learned = shard.decision_function_terms(shard.positives_) == 0
        assert learned.mean() > 0.9
        assert (merged.decision_function_terms(shard.positives_[learned]) == 0).all()
    held_X, held_y = X[2000:], y[2000:]
    for model in shards + [merged]:
        model.choose_cutoff(held_X[:500], held_y[:500])
    shard_errors = [_balanced_error(s.predict(held_X[500:]), held_y[500:]) for s in shards]
    assert _balanced_error(merged.predict(held_X[500:]), held_y[500:]) <= np.mean(shard_errors)
    ucs = [atom.ucs for atom in merged.atoms_]
    assert len(ucs) == len(set(ucs))


def test_serialization_round_trip(mnist):
    X, y = mnist
    model = _fit(X[:600], y[:600], batches=3)
    text = json.dumps(model.to_dict())
    assert json.dumps(_fit(X[:600], y[:600], batches=3).to_dict()) == text
    restored = BinaryClassifier.from_dict(json.loads(text))
    assert json.dumps(restored.to_dict()) == text
    assert restored.cutoff_ == model.cutoff_
    assert np.array_equal(restored.decision_function(X[600:900]), model.decision_function(X[600:900]))


def test_on_batch_reports_every_batch_and_stays_out_of_the_model_data(mnist):
    X, y = mnist
    calls = []
    model = _fit(X[:600], y[:600], batches=3, on_batch=lambda *args: calls.append(args))
    assert [(batch, batches) for batch, batches, _, _ in calls] == [(1, 3), (2, 3), (3, 3)]
    assert calls[-1][2] > 0 and all(seconds >= 0 for *_, seconds in calls)
    assert "on_batch" not in json.loads(json.dumps(model.to_dict()))["params"]


def test_from_atoms():
    model = BinaryClassifier.from_atoms(2, [((4, 0), 0, 1), ((4, 3), 1, 2)], cutoff=1)
    X = np.array([[True, True], [True, False], [False, True], [False, False]])
    assert list(model.decision_function(X)) == [1, 0, 2, 1]
    assert list(model.predict(X)) == [False, True, False, False]


def test_bad_inputs_say_what_was_expected(mnist):
    X, y = mnist
    model = BinaryClassifier(batches=1, progress=False)
    with pytest.raises(ValueError, match=r"2-D boolean matrix .* got 1-D array of shape \(5,\)"):
        model.fit(np.zeros(5, bool), np.zeros(5, bool))
    with pytest.raises(ValueError, match="y has 3 labels but X has 4 samples"):
        model.fit(np.zeros((4, 2), bool), np.zeros(3, bool))
    with pytest.raises(ValueError, match=r"values outside \{0, 1\}, e.g. 7"):
        model.fit(np.full((4, 2), 7), np.zeros(4, bool))
    with pytest.raises(ValueError, match="got 0 positive and 4 negative"):
        BinaryClassifier(batches=1, holdout_fraction=0).fit(np.eye(4, dtype=bool), np.zeros(4, bool))
    with pytest.raises(ValueError, match="batches must be an integer >= 1, got 0"):
        BinaryClassifier(batches=0).fit(X[:10], y[:10])
    with pytest.raises(ValueError, match=r"holdout_fraction must be in \[0, 1\), got 1.5"):
        BinaryClassifier(holdout_fraction=1.5).fit(X[:10], y[:10])
    with pytest.raises(NotFittedError, match="not fitted yet"):
        model.predict(X[:3])
    fitted = _fit(X[:300], y[:300], batches=1)
    with pytest.raises(ValueError, match="X has 5 features per sample, but the model was fitted with 784"):
        fitted.predict(np.zeros((2, 5), bool))
    with pytest.raises(ValueError, match="expected a dict with format"):
        BinaryClassifier.from_dict({"format": "other"})
    with pytest.raises(ValueError, match="cannot merge models over 784 and 2 features"):
        fitted.merge(BinaryClassifier.from_atoms(2, [((4,), 0, 0)]))


def test_several_learners_join_their_models(mnist):
    X, y = mnist
    model = _fit(X[:600], y[:600], batches=3, learners=2)
    expected = {atom.ucs for learner in model.learners_ for atom in learner.lastUnionModel}
    assert {atom.ucs for atom in model.atoms_} == expected
    assert len(model.atoms_) == len(expected)
