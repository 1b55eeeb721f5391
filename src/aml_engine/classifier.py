"""A scikit-learn-style binary classifier on top of the sparse-crossing learner.

Why: other code (nodes, tutorial scripts) wants ``fit`` / ``predict`` on boolean feature
matrices, a model it can merge with models learned on other shards, and a plain-data form
it can send over the network; none of it should need to know about duples or traces.
"""
from __future__ import annotations

import sys
import time
from typing import Iterable

import numpy as np

from . import bitset
from .atoms import Atomization
from .constants import ConstantManager
from .duples import Duple, term
from .errors import NotFittedError
from .inference import CRITERIA, choose_cutoff, embed, misses
from .sampling import CyclicSampler, stratified_split
from .sparse_crossing import SparseCrossingLearner
from .union import rejecting_atoms
from .validation import check_count, check_features, check_labels

FORMAT = "aml_engine.BinaryClassifier/1"


def _constant_manager(n_features: int) -> ConstantManager:
    manager = ConstantManager()
    for _ in range(2 * n_features):
        manager.setNewConstantIndex()
    manager.setNewConstantIndexWithName("v")
    return manager


class BinaryClassifier:
    """AML binary classifier: sample x is of the class iff few atoms below ``v`` miss x.

    Parameters
    ----------
    batches : number of ``enforce`` calls in ``fit``.
    positives_per_batch, negatives_per_batch : duples per call (reference: 100 + 900).
    seed : seed of every random choice; the same seed and data give the same atoms.
    holdout_fraction : share of each class kept out of training to choose ``cutoff_``;
        with 0 the cut-off is 1 (the reference's rule) until ``choose_cutoff`` is called.
    progress : print a line per batch to stderr.
    cutoff_criterion : ``"error"`` (plain error) or ``"balanced"`` (mean of FPR and FNR).
    learners : independent sparse-crossing learners, each fed its own batches; the model is
        the union of their ``lastUnionModel``s (1 = the reference algorithm; more learners
        cost proportionally more time per batch and give a smoother misses score).
    """

    def __init__(self, batches: int = 250, positives_per_batch: int = 100, negatives_per_batch: int = 900,
                 seed: int | None = None, holdout_fraction: float = 0.1, progress: bool = True,
                 cutoff_criterion: str = "error", learners: int = 1) -> None:
        self.batches = batches
        self.positives_per_batch = positives_per_batch
        self.negatives_per_batch = negatives_per_batch
        self.seed = seed
        self.holdout_fraction = holdout_fraction
        self.progress = progress
        self.cutoff_criterion = cutoff_criterion
        self.learners = learners

    def get_params(self) -> dict:
        """The hyper-parameters given to ``__init__``."""
        return {name: getattr(self, name) for name in ("batches", "positives_per_batch", "negatives_per_batch",
                                                        "seed", "holdout_fraction", "progress", "cutoff_criterion",
                                                        "learners")}

    def _check_params(self) -> None:
        check_count(self.batches, "batches", 1)
        check_count(self.positives_per_batch, "positives_per_batch", 1)
        check_count(self.negatives_per_batch, "negatives_per_batch", 1)
        check_count(self.learners, "learners", 1)
        if not 0 <= self.holdout_fraction < 1:
            raise ValueError(f"holdout_fraction must be in [0, 1), got {self.holdout_fraction!r}")
        if self.cutoff_criterion not in CRITERIA:
            raise ValueError(f"cutoff_criterion must be one of {CRITERIA}, got {self.cutoff_criterion!r}")

    def _check_fitted(self) -> None:
        if not hasattr(self, "atoms_"):
            raise NotFittedError("this BinaryClassifier is not fitted yet; call fit(X, y), "
                                 "BinaryClassifier.from_dict(d) or BinaryClassifier.from_atoms(...) first")

    @property
    def class_constant_(self) -> int:
        return 2 * self.n_features_

    def _set_model(self, n_features: int, atoms: Atomization, cutoff: int) -> None:
        self.n_features_ = n_features
        self.cmanager_ = _constant_manager(n_features)
        self.atoms_ = atoms
        self.cutoff_ = int(cutoff)
        width = bitset.n_words(2 * n_features + 1)
        self.positives_ = np.zeros((0, width), np.uint64)
        self.holdout_terms_ = np.zeros((0, width), np.uint64)
        self.holdout_labels_ = np.zeros(0, bool)

    def fit(self, X, y) -> "BinaryClassifier":
        """Learn from boolean features ``X`` (samples x features) and boolean labels ``y``."""
        self._check_params()
        X = check_features(X)
        y = check_labels(y, len(X))
        rng = np.random.default_rng(self.seed)
        train, held = stratified_split(y, self.holdout_fraction, rng, (True, False))
        positives, negatives = train[y[train]], train[~y[train]]
        if len(positives) == 0 or len(negatives) == 0:
            raise ValueError(f"training needs both classes: got {len(positives)} positive and "
                             f"{len(negatives)} negative samples after holding out {len(held)} of {len(y)}")
        n_features = X.shape[1]
        terms = bitset.pack(embed(X[train]))
        row_of = np.full(len(y), -1)
        row_of[train] = np.arange(len(train))
        n_constants = 2 * n_features + 1
        class_term = term([2 * n_features], n_constants)
        self.learners_ = [SparseCrossingLearner(n_constants, seed=int(rng.integers(2 ** 63)))
                          for _ in range(self.learners)]
        walks = [(CyclicSampler(positives, rng), CyclicSampler(negatives, rng)) for _ in range(self.learners)]
        for batch in range(1, self.batches + 1):
            started = time.perf_counter()
            for learner, (positive_walk, negative_walk) in zip(self.learners_, walks):
                pbatch = [Duple(class_term, terms[row_of[i]], True, learner.generation)
                          for i in positive_walk.take(self.positives_per_batch)]
                nbatch = [Duple(class_term, terms[row_of[i]], False, learner.generation)
                          for i in negative_walk.take(self.negatives_per_batch)]
                learner.enforce(pbatch, nbatch)
            if self.progress:
                size = sum(len(learner.lastUnionModel) for learner in self.learners_)
                print(f"[{batch}/{self.batches} ({100 * batch // self.batches}%)] model {size} atoms, "
                      f"{time.perf_counter() - started:.2f} s", file=sys.stderr, flush=True)
        self._set_model(n_features, self._joined_models(), 1)
        self.positives_ = terms[row_of[positives]]
        self.holdout_terms_ = bitset.pack(embed(X[held]))
        self.holdout_labels_ = y[held]
        if len(held) and self.holdout_labels_.any() and not self.holdout_labels_.all():
            self.cutoff_ = choose_cutoff(self.decision_function_terms(self.holdout_terms_),
                                         self.holdout_labels_, self.cutoff_criterion)
        return self

    def _joined_models(self) -> Atomization:
        """The learners' ``lastUnionModel``s; with several learners, their deduplicated union."""
        models = [learner.lastUnionModel for learner in self.learners_]
        joined = models[0]
        for model in models[1:]:
            joined = joined.concat(model)
        return joined.deduplicated() if len(models) > 1 else joined

    def decision_function_terms(self, terms: np.ndarray) -> np.ndarray:
        """Misses of packed embedded samples (rows as made by ``bitset.pack(embed(X))``)."""
        self._check_fitted()
        return misses(self.atoms_, self.class_constant_, bitset.unpack(terms, self.atoms_.n_constants))

    def decision_function(self, X) -> np.ndarray:
        """Per sample, the number of atoms below the class constant missing from it (lower = more positive)."""
        self._check_fitted()
        X = check_features(X, self.n_features_)
        return misses(self.atoms_, self.class_constant_, embed(X))

    def predict(self, X) -> np.ndarray:
        """True where the misses are below ``cutoff_``."""
        return self.decision_function(X) < self.cutoff_

    def choose_cutoff(self, X, y, criterion: str | None = None) -> "BinaryClassifier":
        """Re-choose ``cutoff_`` on held-out ``X``, ``y`` (never the test set) and return self."""
        self._check_fitted()
        X = check_features(X, self.n_features_)
        y = check_labels(y, len(X))
        self.cutoff_ = choose_cutoff(self.decision_function(X), y, criterion or self.cutoff_criterion)
        return self

    def _without_rejecting(self, atoms: Atomization, positives: np.ndarray) -> Atomization:
        """The atoms that miss none of the packed positive samples (cross-shard check)."""
        class_rows = np.broadcast_to(term([self.class_constant_], atoms.n_constants), positives.shape)
        return atoms.take(~rejecting_atoms(atoms, class_rows, positives))

    def merge(self, other: "BinaryClassifier", positives=None) -> "BinaryClassifier":
        """Union of both models after the cross-shard check, deduplicated by ucs.

        Each side's atoms that reject a training positive of the other side (its
        ``positives_``) or a row of the optional boolean matrix ``positives`` are dropped, so
        every positive duple either side satisfies still holds in the merge. The cut-off is
        re-chosen on both sides' held-out data, or, without any, set to
        ``cutoff_ + other.cutoff_ - 1`` (accepts what both accept). Models rebuilt from JSON
        carry no training positives: pass ``positives`` to check against, and call
        :meth:`choose_cutoff` on validation data.
        """
        self._check_fitted()
        other._check_fitted()
        if other.n_features_ != self.n_features_:
            raise ValueError(f"cannot merge models over {self.n_features_} and {other.n_features_} features")
        extra = np.zeros((0, self.positives_.shape[1]), np.uint64)
        if positives is not None:
            extra = bitset.pack(embed(check_features(positives, self.n_features_, "positives")))
        ours = self._without_rejecting(self.atoms_, np.concatenate([other.positives_, extra]))
        theirs = self._without_rejecting(other.atoms_, np.concatenate([self.positives_, extra]))
        atoms = ours.concat(theirs).deduplicated()
        known_positives = np.concatenate([self.positives_, other.positives_, extra])
        merged = BinaryClassifier(**self.get_params())
        merged._set_model(self.n_features_, atoms, self.cutoff_ + other.cutoff_ - 1)
        merged.positives_ = known_positives
        merged.holdout_terms_ = np.concatenate([self.holdout_terms_, other.holdout_terms_])
        merged.holdout_labels_ = np.concatenate([self.holdout_labels_, other.holdout_labels_])
        labels = merged.holdout_labels_
        if labels.any() and not labels.all():
            merged.cutoff_ = choose_cutoff(merged.decision_function_terms(merged.holdout_terms_), labels,
                                           self.cutoff_criterion)
        return merged

    @classmethod
    def from_atomization(cls, n_features: int, atoms: Atomization, cutoff: int = 1,
                         **params) -> "BinaryClassifier":
        """A classifier over an existing :class:`Atomization` (e.g. a union of other models' atoms)."""
        classifier = cls(**params)
        classifier._set_model(check_count(n_features, "n_features", 1), atoms, check_count(cutoff, "cutoff", 0))
        return classifier

    @classmethod
    def from_atoms(cls, n_features: int, atoms: Iterable[tuple[Iterable[int], int, int]],
                   cutoff: int = 1, **params) -> "BinaryClassifier":
        """A classifier from a plain list of ``(ucs, epoch, gen)`` atoms (e.g. received as JSON)."""
        n_features = check_count(n_features, "n_features", 1)
        classifier = cls(**params)
        classifier._set_model(n_features, Atomization.from_atoms(2 * n_features + 1, atoms),
                              check_count(cutoff, "cutoff", 0))
        return classifier

    def to_dict(self) -> dict:
        """JSON-compatible data: format tag, hyper-parameters, constants, cut-off and atoms.

        The same model always gives the same data (atoms in model order), so the JSON text
        is stable across runs.
        """
        self._check_fitted()
        return {"format": FORMAT, "params": self.get_params(), "n_features": self.n_features_,
                "constants": self.cmanager_.to_dict(), "cutoff": self.cutoff_,
                "atoms": [[list(atom.ucs), atom.epoch, atom.gen] for atom in self.atoms_]}

    @classmethod
    def from_dict(cls, data: dict) -> "BinaryClassifier":
        """Rebuild a classifier written by :meth:`to_dict`."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            found = data.get("format") if isinstance(data, dict) else type(data).__name__
            raise ValueError(f"expected a dict with format {FORMAT!r}, got {found!r}")
        missing = [key for key in ("params", "n_features", "constants", "cutoff", "atoms") if key not in data]
        if missing:
            raise ValueError(f"model data lacks the keys {missing}")
        classifier = cls.from_atoms(data["n_features"], data["atoms"], data["cutoff"], **data["params"])
        classifier.cmanager_ = ConstantManager.from_dict(data["constants"])
        return classifier
