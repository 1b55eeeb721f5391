"""A merge that never loses: choose among merge strategies by validation error.

Why: the union of young shard models rejects many true members (a sample is accepted only
if every shard accepts it), so merging can be worse than keeping one shard; mature models
merge well. Instead of guessing which case holds, every candidate is scored on validation
images by the criterion the main node optimises, and the best one is kept. The best shard
alone is always a candidate, so the choice is never worse than it on validation.
"""
from __future__ import annotations

import copy

import numpy as np

from .classifier import FORMAT as BINARY_FORMAT, BinaryClassifier
from .inference import CRITERIA, choose_cutoff, rates
from .validation import check_features, check_labels

VOTE_FORMAT = "aml_engine.ShardVote/1"
VOTE_SCALE = 10


class ShardVote:
    """Soft vote of shard models: the mean of each shard's misses relative to its cut-off.

    Why: unlike a union, a vote does not reject a sample because one young shard misses it;
    each shard's misses are divided by its own validation cut-off so shards of different
    size count alike. Scores are integers (``VOTE_SCALE`` per cut-off), lower = more positive.
    """

    def __init__(self, models: list, cutoff: int = VOTE_SCALE) -> None:
        if not models:
            raise ValueError("a vote needs at least one model")
        self.models = list(models)
        self.n_features_ = self.models[0].n_features_
        self.cutoff_ = int(cutoff)

    @property
    def atoms_count_(self) -> int:
        return sum(len(model.atoms_) for model in self.models)

    def decision_function(self, X) -> np.ndarray:
        """Integer vote score per sample, lower = more positive."""
        return self.vote_of([model.decision_function(X) for model in self.models])

    def vote_of(self, misses: list[np.ndarray]) -> np.ndarray:
        """:meth:`decision_function` from each shard model's misses of the same samples, in model order."""
        relative = np.mean([shard / max(model.cutoff_, 1) for model, shard in zip(self.models, misses)], axis=0)
        return np.rint(VOTE_SCALE * relative).astype(np.int64)

    def predict(self, X) -> np.ndarray:
        return self.decision_function(X) < self.cutoff_

    def choose_cutoff(self, X, y, criterion: str = "error") -> "ShardVote":
        """Re-choose ``cutoff_`` on held-out ``X``, ``y`` and return self."""
        X = check_features(X, self.n_features_)
        self.cutoff_ = choose_cutoff(self.decision_function(X), check_labels(y, len(X)), criterion)
        return self

    def merge(self, other, positives=None) -> "ShardVote":
        """A vote of both sides' models (``positives`` is not needed: a vote drops no atom)."""
        others = other.models if isinstance(other, ShardVote) else [other]
        return ShardVote(self.models + others)

    def to_dict(self) -> dict:
        return {"format": VOTE_FORMAT, "cutoff": self.cutoff_, "models": [model.to_dict() for model in self.models]}

    @classmethod
    def from_dict(cls, data: dict) -> "ShardVote":
        return cls([model_from_dict(model) for model in data["models"]], data["cutoff"])


def model_from_dict(data: dict):
    """Rebuild any model :func:`select_merge` can return from its ``to_dict`` data."""
    loaders = {BINARY_FORMAT: BinaryClassifier.from_dict, VOTE_FORMAT: ShardVote.from_dict}
    found = data.get("format") if isinstance(data, dict) else type(data).__name__
    if found not in loaders:
        raise ValueError(f"expected model data with a format among {sorted(loaders)}, got {found!r}")
    return loaders[found](data)


def _atoms_count(model) -> int:
    return model.atoms_count_ if isinstance(model, ShardVote) else len(model.atoms_)


def _plain_union(models: list) -> BinaryClassifier:
    atoms = models[0].atoms_
    for model in models[1:]:
        atoms = atoms.concat(model.atoms_)
    return BinaryClassifier.from_atomization(models[0].n_features_, atoms.deduplicated(),
                                             **models[0].get_params())


def _cross_checked_union(models: list, positives) -> BinaryClassifier:
    merged = models[0]
    for model in models[1:]:
        merged = merged.merge(model, positives=positives)
    return merged


def select_merge(models: list, X_val, y_val_bool, positives=None, criterion: str = "error") -> tuple:
    """The best of several merges of shard ``models`` on validation data, and a report.

    Candidates, simplest first: the best shard alone, the plain union, the cross-checked
    union (``BinaryClassifier.merge``, checked against ``positives`` too) and a soft vote.
    Each gets its cut-off chosen on ``X_val``, ``y_val_bool`` by ``criterion`` and is scored
    there by the same criterion; ties go to the simplest. Returns ``(model, report)`` with
    report ``{"chosen", "criterion", "candidates": {name: {"error", "balanced_error", "atoms", "cutoff"}}}``.
    Each candidate's validation misses are counted once. The input models are not changed.
    """
    if criterion not in CRITERIA:
        raise ValueError(f"criterion must be one of {CRITERIA}, got {criterion!r}")
    if not models:
        raise ValueError("select_merge needs at least one model")
    X_val = check_features(X_val, models[0].n_features_, "X_val")
    y_val = check_labels(y_val_bool, len(X_val), "y_val_bool")
    shards = [copy.copy(model) for model in models]
    candidates = {f"shard {number}": shard for number, shard in enumerate(shards)}
    misses = {name: shard.decision_function(X_val) for name, shard in candidates.items()}  # each counted once
    for name, shard in candidates.items():
        shard.cutoff_ = choose_cutoff(misses[name], y_val, criterion)
    if len(models) > 1:
        candidates["plain union"] = _plain_union(models)
        candidates["cross-checked union"] = _cross_checked_union(models, positives)
        candidates["vote"] = ShardVote(shards)
        misses["vote"] = candidates["vote"].vote_of(list(misses.values()))
    report, cost = {}, {}
    for name, model in candidates.items():
        if name not in misses:
            misses[name] = model.decision_function(X_val)
        model.cutoff_ = choose_cutoff(misses[name], y_val, criterion)
        measured = rates(misses[name] < model.cutoff_, y_val)
        report[name] = {"error": measured["error"], "balanced_error": measured["balanced"],
                        "atoms": _atoms_count(model), "cutoff": model.cutoff_}
        cost[name] = {"error": measured["error"], "balanced": measured["balanced"],
                      "mixed": measured["error"] + measured["balanced"]}[criterion]
    best_shard = min((name for name in candidates if name.startswith("shard")), key=lambda name: cost[name])
    eligible = [best_shard] + [name for name in candidates if not name.startswith("shard")]
    chosen = min(eligible, key=lambda name: (cost[name], eligible.index(name)))
    return candidates[chosen], {"chosen": chosen, "criterion": criterion, "candidates": report}
