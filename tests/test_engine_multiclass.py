"""MulticlassClassifier on tiny hand-made ten-class data: fit/predict/score, rules, JSON, merge."""
from __future__ import annotations

import json

import numpy as np
import pytest

from aml_engine import BinaryClassifier, NotFittedError
from aml_engine.multiclass import MulticlassClassifier

CLASSES, PIXELS, FLIPS = 10, 32, 2


def noisy_prototypes(count: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Ten fixed random 32-pixel prototypes, each sample one of them with 2 pixels flipped.

    The prototypes differ in at least 5 pixels, so no image can carry two labels.
    """
    prototypes = np.random.default_rng(7).random((CLASSES, PIXELS)) < 0.5
    assert min((a != b).sum() for i, a in enumerate(prototypes) for b in prototypes[:i]) > 2 * FLIPS
    labels = rng.integers(0, CLASSES, count)
    images = prototypes[labels].copy()
    for column in rng.integers(0, PIXELS, (FLIPS, count)):
        images[np.arange(count), column] ^= True
    return images, labels


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    return noisy_prototypes(1200, rng), noisy_prototypes(600, rng)


def _estimator(**params) -> MulticlassClassifier:
    options = dict(batches=6, positives_per_batch=20, negatives_per_batch=60, seed=0)
    options.update(params)
    return MulticlassClassifier(**options)


@pytest.fixture(scope="module")
def fitted(data):
    (X, y), _ = data
    return _estimator().fit(X, y)


def test_init_only_stores_and_unfitted_use_fails():
    estimator = _estimator(learners=2)
    assert estimator.get_params()["learners"] == 2 and not hasattr(estimator, "models_")
    with pytest.raises(NotFittedError, match="not fitted yet"):
        estimator.predict(np.zeros((1, PIXELS), bool))


def test_fit_predict_score(data, fitted):
    (X, y), (X_test, y_test) = data
    assert fitted.classes_.tolist() == list(range(CLASSES))
    assert all(isinstance(model, BinaryClassifier) for model in fitted.models_.values())
    scores = fitted.decision_function(X_test)
    assert scores.shape == (len(X_test), CLASSES)
    predicted = fitted.predict(X_test)
    assert predicted.tolist() == fitted.classes_[scores.argmax(axis=1)].tolist()
    assert fitted.score(X_test, y_test) == pytest.approx((predicted == y_test).mean())
    assert fitted.score(X_test, y_test) > 0.9


def test_calibration_reports_every_rule_and_keeps_the_best(fitted):
    report = fitted.rule_report_
    assert set(report) == {"raw", "scaled", "readout"} and all(0 <= value <= 1 for value in report.values())
    assert report[fitted.rule_] == max(report.values())


def test_readout_rule_gives_probabilities_and_survives_json(data):
    (X, y), (X_test, y_test) = data
    estimator = _estimator(rules=("readout",), readout_atoms=20).fit(X, y)
    assert estimator.rule_ == "readout"
    probabilities = estimator.predict_proba(X_test)
    assert probabilities.shape == (len(X_test), CLASSES) and np.allclose(probabilities.sum(axis=1), 1)
    assert np.array_equal(probabilities.argmax(axis=1), estimator.predict(X_test))
    assert estimator.score(X_test, y_test) > 0.9
    assert len(estimator.rule_model_.atoms) <= 20 * CLASSES
    rebuilt = MulticlassClassifier.from_dict(json.loads(json.dumps(estimator.to_dict())))
    assert np.allclose(rebuilt.predict_proba(X_test), probabilities, atol=1e-5)


def test_rules_on_misses_give_no_probabilities(fitted, data):
    _, (X_test, _) = data
    raw = MulticlassClassifier.from_binary_models(fitted.models_)
    with pytest.raises(ValueError, match="gives scores, not probabilities"):
        raw.predict_proba(X_test)


def test_calibrate_chooses_among_the_given_rules_only(data):
    (X, y), (X_test, y_test) = data
    estimator = _estimator(rules=("scaled",)).fit(X, y)
    assert estimator.rule_ == "scaled" and list(estimator.rule_report_) == ["scaled"]
    with pytest.raises(ValueError, match="rules must name some of"):
        _estimator(rules=("best",)).fit(X, y)


def test_json_round_trip_gives_identical_predictions(data, fitted):
    _, (X_test, _) = data
    rebuilt = MulticlassClassifier.from_dict(json.loads(json.dumps(fitted.to_dict())))
    assert rebuilt.rule_ == fitted.rule_ and rebuilt.rule_report_ == fitted.rule_report_
    assert np.array_equal(rebuilt.decision_function(X_test), fitted.decision_function(X_test))
    with pytest.raises(ValueError, match="expected a dict with format"):
        MulticlassClassifier.from_dict({"format": "other/1"})


def test_from_binary_models_matches_the_fitted_estimator(data, fitted):
    _, (X_test, y_test) = data
    rebuilt = MulticlassClassifier.from_binary_models(fitted.models_)
    assert rebuilt.rule_ == "raw"
    assert np.array_equal(rebuilt.predict(X_test), fitted.classes_[fitted.misses(X_test).argmin(axis=1)])


def test_merge_of_two_shards_keeps_every_class_and_accuracy(data, fitted):
    (X, y), (X_test, y_test) = data
    halves = [_estimator(seed=seed).fit(X[part], y[part]) for seed, part in ((1, slice(0, 600)), (2, slice(600, None)))]
    merged = halves[0].merge(halves[1], positives=(X, y)).calibrate(X_test[:300], y_test[:300])
    for label in merged.classes_:
        atoms = {atom.ucs for atom in merged.models_[label].atoms_}
        assert atoms <= {atom.ucs for half in halves for atom in half.models_[label].atoms_}
    assert merged.score(X_test[300:], y_test[300:]) >= min(half.score(X_test[300:], y_test[300:]) for half in halves) - 0.02


def test_bad_labels_are_named(data, fitted):
    (X, y), _ = data
    with pytest.raises(ValueError, match="integer class labels"):
        _estimator().fit(X, y.astype(float))
    with pytest.raises(ValueError, match=r"labels \[42\] are not among the classes"):
        fitted.calibrate(X[:3], np.array([0, 1, 42]))
