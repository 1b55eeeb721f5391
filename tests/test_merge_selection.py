"""select_merge on real MNIST: young shard models whose union loses, and a choice that does not."""
from __future__ import annotations

import copy
import json

import numpy as np
import pytest

from aml_engine import BinaryClassifier
from aml_engine.merge_selection import ShardVote, model_from_dict, select_merge
from aml_engine.multiclass import MulticlassClassifier
from engine_support import mnist_subset

DIGIT = 5


@pytest.fixture(scope="module")
def young():
    """Digit 5: a 3,000-image shard after 10 batches and a lagging 400-image shard after 2.

    Both are young (batches of 50 + 450); images 4,000-5,999 are the validation set.
    """
    images, digits = mnist_subset(6000)
    labels = digits == DIGIT
    parts = ((slice(0, 3000), 10), (slice(3000, 3400), 2))
    shards = [BinaryClassifier(batches=batches, positives_per_batch=50, negatives_per_batch=450, seed=seed,
                               holdout_fraction=0, progress=False).fit(images[part], labels[part])
              for seed, (part, batches) in enumerate(parts)]
    positives = images[:3400][labels[:3400]]
    return shards, positives, images[4000:], labels[4000:]


@pytest.fixture(scope="module")
def selected(young):
    shards, positives, X_val, y_val = young
    cutoffs = [shard.cutoff_ for shard in shards]
    model, report = select_merge(shards, X_val, y_val, positives=positives, criterion="balanced")
    assert [shard.cutoff_ for shard in shards] == cutoffs, "select_merge must not change its inputs"
    return model, report


def test_union_of_young_shards_loses_but_the_choice_does_not(selected):
    _, report = selected
    candidates = report["candidates"]
    best_shard = min(candidates[name]["balanced_error"] for name in ("shard 0", "shard 1"))
    assert candidates["plain union"]["balanced_error"] > best_shard
    assert candidates["cross-checked union"]["balanced_error"] > best_shard
    assert candidates[report["chosen"]]["balanced_error"] <= best_shard
    assert report["criterion"] == "balanced"
    assert set(candidates) == {"shard 0", "shard 1", "plain union", "cross-checked union", "vote"}
    assert all(set(figures) == {"error", "balanced_error", "atoms", "cutoff"} for figures in candidates.values())


def test_chosen_model_scores_as_reported(young, selected):
    _, _, X_val, y_val = young
    model, report = selected
    predicted = model.predict(X_val)
    false_pos = (predicted & ~y_val).sum() / (~y_val).sum()
    false_neg = (~predicted & y_val).sum() / y_val.sum()
    assert report["candidates"][report["chosen"]]["balanced_error"] == pytest.approx((false_pos + false_neg) / 2)


def test_ties_go_to_the_simplest_candidate(young):
    shards, _, X_val, y_val = young
    model, report = select_merge([shards[0], shards[0]], X_val, y_val)
    assert report["chosen"] == "shard 0"
    assert np.array_equal(model.atoms_.bits, shards[0].atoms_.bits)


def test_every_candidate_round_trips_through_json(young):
    shards, _, X_val, y_val = young
    vote = ShardVote(shards).choose_cutoff(X_val, y_val)
    for model in (vote, shards[0]):
        rebuilt = model_from_dict(json.loads(json.dumps(model.to_dict())))
        assert type(rebuilt) is type(model) and rebuilt.cutoff_ == model.cutoff_
        assert np.array_equal(rebuilt.decision_function(X_val), model.decision_function(X_val))
    with pytest.raises(ValueError, match="expected model data with a format among"):
        model_from_dict({"format": "nothing/0"})


def test_vote_serves_as_a_class_model(young):
    shards, _, X_val, y_val = young
    vote = ShardVote(shards).choose_cutoff(X_val, y_val)
    estimator = MulticlassClassifier.from_binary_models({0: shards[0], 1: vote})
    labels = y_val.astype(np.int64)
    rebuilt = MulticlassClassifier.from_dict(json.loads(json.dumps(estimator.calibrate(X_val, labels).to_dict())))
    assert isinstance(rebuilt.models_[1], ShardVote)
    assert np.array_equal(rebuilt.predict(X_val), estimator.predict(X_val))


def test_a_vote_counts_from_its_shards_misses_as_from_the_images(young):
    shards, _, X_val, y_val = young
    vote = ShardVote(shards).choose_cutoff(X_val, y_val)
    assert np.array_equal(vote.vote_of([shard.decision_function(X_val) for shard in shards]),
                          vote.decision_function(X_val))


def test_shard_cutoffs_reported_are_those_chosen_on_the_validation_images(young, selected):
    shards, _, X_val, y_val = young
    for number, shard in enumerate(shards):
        chosen = BinaryClassifier.choose_cutoff(copy.copy(shard), X_val, y_val, "balanced").cutoff_
        assert selected[1]["candidates"][f"shard {number}"]["cutoff"] == chosen
