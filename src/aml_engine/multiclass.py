"""A many-class AML classifier: one one-vs-rest binary model per class, one decision rule.

Why: AML learns one binary concept ("is this a 3?") per class constant. Ten such models
trained apart (in-process by :meth:`MulticlassClassifier.fit`, or on computing nodes and
joined by :meth:`MulticlassClassifier.from_binary_models`) read digits only once a rule
turns their ten miss counts into one class; that rule is chosen by measurement on held-out
validation images (:meth:`MulticlassClassifier.calibrate`).
"""
from __future__ import annotations

import numpy as np

from .classifier import BinaryClassifier
from .decision_rules import MISSES_RULES, RULES, rule_from_dict
from .errors import NotFittedError
from .merge_selection import model_from_dict
from .readout import AtomReadout, softmax
from .sampling import stratified_split
from .validation import check_count, check_features

FORMAT = "aml_engine.MulticlassClassifier/1"


def _check_class_labels(y, n_samples: int) -> np.ndarray:
    """A 1-D integer label vector with one label per sample."""
    array = np.asarray(y)
    if array.ndim != 1 or array.dtype.kind not in "iu":
        raise ValueError(f"y must be a 1-D vector of integer class labels, got dtype {array.dtype} "
                         f"and shape {array.shape}")
    if len(array) != n_samples:
        raise ValueError(f"y has {len(array)} labels but X has {n_samples} samples; expected one label per sample")
    return array.astype(np.int64)


class MulticlassClassifier:
    """AML classifier over many classes: one-vs-rest binary models plus a calibrated rule.

    Parameters
    ----------
    batches, positives_per_batch, negatives_per_batch, learners : per-class training, as in
        :class:`BinaryClassifier`.
    seed : seed of every random choice (each class's model gets its own derived seed).
    progress : print a line per batch to stderr.
    validation_fraction : share of each class ``fit`` keeps out of training to calibrate the rule.
    rules : names of the candidate decision rules ``calibrate`` measures (default: all).
    readout_atoms, readout_epochs : atoms kept per class model and passes of the ``"readout"``
        rule (see :class:`~aml_engine.readout.AtomReadout`).
    """

    def __init__(self, batches: int = 60, positives_per_batch: int = 100, negatives_per_batch: int = 900,
                 seed: int | None = None, learners: int = 1, progress: bool = False,
                 validation_fraction: float = 1 / 6, rules: tuple[str, ...] | None = None,
                 readout_atoms: int = 2000, readout_epochs: int = 5) -> None:
        self.batches = batches
        self.positives_per_batch = positives_per_batch
        self.negatives_per_batch = negatives_per_batch
        self.seed = seed
        self.learners = learners
        self.progress = progress
        self.validation_fraction = validation_fraction
        self.rules = rules
        self.readout_atoms = readout_atoms
        self.readout_epochs = readout_epochs

    def get_params(self) -> dict:
        """The hyper-parameters given to ``__init__``."""
        names = ("batches", "positives_per_batch", "negatives_per_batch", "seed", "learners", "progress",
                 "validation_fraction", "rules", "readout_atoms", "readout_epochs")
        params = {name: getattr(self, name) for name in names}
        params["rules"] = None if self.rules is None else list(self.rules)
        return params

    def _candidate_rules(self) -> list[str]:
        names = list(RULES) if self.rules is None else list(self.rules)
        unknown = [name for name in names if name not in RULES]
        if unknown or not names:
            raise ValueError(f"rules must name some of {sorted(RULES)}, got {self.rules!r}")
        return names

    def _check_fitted(self) -> None:
        if not hasattr(self, "models_"):
            raise NotFittedError("this MulticlassClassifier is not fitted yet; call fit(X, y), "
                                 "MulticlassClassifier.from_binary_models(models) or from_dict(d) first")

    def fit(self, X, y) -> "MulticlassClassifier":
        """Train one binary model per class on the training part, then calibrate on the rest."""
        check_count(self.batches, "batches", 1)
        if not 0 < self.validation_fraction < 1:
            raise ValueError(f"validation_fraction must be in (0, 1), got {self.validation_fraction!r}")
        self._candidate_rules()
        X = check_features(X)
        y = _check_class_labels(y, len(X))
        classes = np.unique(y)
        if len(classes) < 2:
            raise ValueError(f"training needs at least two classes, got {classes.tolist()}")
        rng = np.random.default_rng(self.seed)
        train, held = stratified_split(y, self.validation_fraction, rng)
        models = {}
        for label in classes:
            binary = BinaryClassifier(batches=self.batches, positives_per_batch=self.positives_per_batch,
                                      negatives_per_batch=self.negatives_per_batch,
                                      seed=int(rng.integers(2 ** 63)), holdout_fraction=0.0,
                                      progress=self.progress, learners=self.learners)
            models[int(label)] = binary.fit(X[train], y[train] == label)
        self._set_models(models)
        return self.calibrate(X[held], y[held], X[train], y[train])

    def _set_models(self, models: dict) -> None:
        if len(models) < 2:
            raise ValueError(f"a multiclass model needs at least two per-class models, got {len(models)}")
        self.classes_ = np.array(sorted(int(label) for label in models), dtype=np.int64)
        self.models_ = {int(label): models[label] for label in self.classes_}
        self.n_features_ = next(iter(self.models_.values())).n_features_
        self.rule_ = "raw"
        self.rule_model_ = RULES["raw"]()
        self.rule_report_ = {}

    @classmethod
    def from_binary_models(cls, models: dict, **params) -> "MulticlassClassifier":
        """An estimator from per-class models trained elsewhere (class label -> model).

        Each model needs ``decision_function(X)`` giving misses (lower = more of the class)
        and ``n_features_``. The rule is ``"raw"`` until :meth:`calibrate` is called.
        """
        estimator = cls(**params)
        estimator._set_models(dict(models))
        return estimator

    def misses(self, X) -> np.ndarray:
        """(samples, classes) misses of every class's model, columns in ``classes_`` order."""
        self._check_fitted()
        X = check_features(X, self.n_features_)
        return np.stack([self.models_[int(label)].decision_function(X) for label in self.classes_], axis=1)

    def _positions(self, y: np.ndarray) -> np.ndarray:
        positions = np.searchsorted(self.classes_, y)
        unknown = (positions >= len(self.classes_)) | (self.classes_[np.minimum(positions, len(self.classes_) - 1)] != y)
        if unknown.any():
            raise ValueError(f"labels {np.unique(y[unknown]).tolist()} are not among the classes "
                             f"{self.classes_.tolist()}")
        return positions

    def calibrate(self, X_val, y_val, X_fit=None, y_fit=None) -> "MulticlassClassifier":
        """Choose the decision rule by accuracy on validation images (never test images).

        Rules on miss counts are fitted on one half of the validation images and scored on
        the other, both ways round, then refitted on all of them. The ``"readout"`` rule is
        a candidate only when images to fit it on are given (``X_fit``, ``y_fit``: labelled
        images that are not test or validation images, ideally not the models' training
        images either); it is scored on all validation images. The best accuracy wins (ties
        go to the simpler rule, earlier in the candidate list); ``rule_report_`` holds every
        candidate's validation accuracy.
        """
        misses = self.misses(X_val)
        positions = self._positions(_check_class_labels(y_val, len(misses)))
        halves = np.array_split(np.random.default_rng(0).permutation(len(positions)), 2)
        report, fitted = {}, {}
        for name in self._candidate_rules():
            if name in MISSES_RULES:
                correct = 0
                for fit_part, score_part in (halves, halves[::-1]):
                    rule = MISSES_RULES[name]().fit(misses[fit_part], positions[fit_part])
                    correct += int((rule.scores(misses[score_part]).argmax(axis=1) == positions[score_part]).sum())
                report[name] = correct / len(positions)
                fitted[name] = MISSES_RULES[name]().fit(misses, positions)
            elif X_fit is not None:
                X_fit = check_features(X_fit, self.n_features_, "X_fit")
                fit_positions = self._positions(_check_class_labels(y_fit, len(X_fit)))
                readout = AtomReadout(self.readout_atoms, self.readout_epochs, seed=self.seed or 0)
                fitted[name] = readout.fit_models([self.models_[label] for label in self.classes_], X_fit,
                                                  fit_positions)
                report[name] = float((readout.scores_of(check_features(X_val)).argmax(axis=1) == positions).mean())
        self.rule_ = max(report, key=lambda name: (report[name], -list(report).index(name)))
        self.rule_model_ = fitted[self.rule_]
        self.rule_report_ = report
        return self

    def decision_function(self, X) -> np.ndarray:
        """(samples, classes) scores, higher = more likely, columns in ``classes_`` order."""
        self._check_fitted()
        if isinstance(self.rule_model_, AtomReadout):
            return self.rule_model_.scores_of(check_features(X, self.n_features_))
        misses = self.misses(X)
        return self.rule_model_.scores(misses)

    def predict_proba(self, X) -> np.ndarray:
        """(samples, classes) class probabilities; only the ``"readout"`` rule gives them."""
        scores = self.decision_function(X)
        if not isinstance(self.rule_model_, AtomReadout):
            raise ValueError(f"the {self.rule_!r} rule gives scores, not probabilities; "
                             f"use decision_function, or calibrate with X_fit to allow the readout rule")
        return softmax(scores)

    def predict(self, X) -> np.ndarray:
        """The class label of the best score per sample."""
        scores = self.decision_function(X)
        return self.classes_[scores.argmax(axis=1)]

    def score(self, X, y) -> float:
        """Accuracy on ``X``, ``y``."""
        y = _check_class_labels(y, len(np.asarray(X)))
        return float((self.predict(X) == y).mean())

    def merge(self, other: "MulticlassClassifier", positives=None) -> "MulticlassClassifier":
        """Per class, the merge of both sides' models (see ``BinaryClassifier.merge``).

        ``positives`` is an optional pair ``(X, y)`` of labelled samples; each class's merge
        is cross-checked against the samples of that class. The rule is reset to ``"raw"``:
        call :meth:`calibrate` on validation images afterwards.
        """
        self._check_fitted()
        other._check_fitted()
        if self.classes_.tolist() != other.classes_.tolist():
            raise ValueError(f"cannot merge models over classes {self.classes_.tolist()} and "
                             f"{other.classes_.tolist()}")
        if positives is not None:
            X, y = positives
            X = check_features(X, self.n_features_, "positives")
            y = _check_class_labels(y, len(X))
        models = {label: self.models_[label].merge(other.models_[label],
                                                   positives=None if positives is None else X[y == label])
                  for label in self.models_}
        return MulticlassClassifier.from_binary_models(models, **self.get_params())

    def to_dict(self) -> dict:
        """JSON-compatible data: format tag, hyper-parameters, per-class models and the rule."""
        self._check_fitted()
        return {"format": FORMAT, "params": self.get_params(),
                "models": {str(label): self.models_[label].to_dict() for label in self.classes_},
                "rule": self.rule_model_.to_dict(), "rule_report": dict(self.rule_report_)}

    @classmethod
    def from_dict(cls, data: dict) -> "MulticlassClassifier":
        """Rebuild an estimator written by :meth:`to_dict`."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            found = data.get("format") if isinstance(data, dict) else type(data).__name__
            raise ValueError(f"expected a dict with format {FORMAT!r}, got {found!r}")
        missing = [key for key in ("params", "models", "rule", "rule_report") if key not in data]
        if missing:
            raise ValueError(f"model data lacks the keys {missing}")
        models = {int(label): model_from_dict(model) for label, model in data["models"].items()}
        estimator = cls.from_binary_models(models, **data["params"])
        estimator.rule_model_ = rule_from_dict(data["rule"])
        estimator.rule_ = estimator.rule_model_.NAME
        estimator.rule_report_ = dict(data["rule_report"])
        return estimator
