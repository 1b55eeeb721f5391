"""One collaborating peer's learning: train on its own images, then learn with others from atoms and read-outs.

Why here: ``collaborative_node.py`` only moves text between peers; every learning step lives
here, without any network, so the benchmark runs the same steps in one process. The steps:

1. alone: one AML model per digit the peer holds images of, joined by the main node's recipe
   (``MulticlassClassifier`` with its rule chosen on the peer's validation images);
2. shared atoms: each peer gives, per digit, its most informative atoms in proportion to its share
   of that digit's images (``atom_budget``); all peers put them together in one order, so they
   hold the same features: per digit, a union of the atoms of the models of those who know it;
3. rounds: each peer fits the read-out over the shared atoms on its own images (round 1 from
   zero, later rounds one pass on from the joint read-out), they exchange the weights and each
   joins them class by class (``join_by_class``). A round's model replaces the one kept only if
   its balanced accuracy on the peer's own validation images is no worse; the joint read-out is
   what the next round starts from, so knowledge keeps travelling either way.
"""
from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from aml_engine import BinaryClassifier, MulticlassClassifier
from aml_engine.atoms import Atomization
from aml_engine.joint_readout import atom_budget, balanced_accuracy, join_by_class
from aml_engine.readout import AtomReadout, below_class_atoms, informative_atoms, packed_atom_misses
from aml_jobs.collab_text import (N_DIGITS, PIXELS, CollabTextError, decode_atoms, decode_readout, encode_atoms,
                                  encode_readout, layout_of)
from aml_jobs.model_file import ten_digit_model_data

ATOMS_PER_DIGIT = 1000
FIRST_EPOCHS, FIRST_RATE = 5, 0.01
LATER_EPOCHS, LATER_RATE = 1, 0.003
RANKING_IMAGES = 5000
_SHARED = _SHARED_SETTINGS = None  # a worker's images and settings (train_digit_models)


def _fit_digit(X: np.ndarray, y: np.ndarray, digit: int, batches: int, seed: int) -> BinaryClassifier:
    return BinaryClassifier(batches=batches, seed=seed + digit, holdout_fraction=0.0, progress=False).fit(X, y == digit)


def _fit_shared_digit(digit: int) -> BinaryClassifier:
    return _fit_digit(*_SHARED, digit, *_SHARED_SETTINGS)


def _share(X, y, batches, seed) -> None:
    global _SHARED, _SHARED_SETTINGS
    _SHARED, _SHARED_SETTINGS = (X, y), (batches, seed)


def train_digit_models(X: np.ndarray, y: np.ndarray, batches: int, seed: int, on_digit=None, workers: int = 1) -> dict:
    """One AML model per digit present in ``y``; digit d trains with ``seed + d``.

    ``workers`` > 1 trains that many digits at once in worker processes (each is sent the images
    once): one learner is one thread, and a machine's other cores would idle.
    """
    digits = [int(digit) for digit in np.unique(y)]
    if workers > 1:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=_share,
                                 initargs=(X, y, batches, seed)) as pool:
            fitted = pool.map(_fit_shared_digit, digits)
    else:
        fitted = (_fit_digit(X, y, digit, batches, seed) for digit in digits)
    models = {}
    for digit, model in zip(digits, fitted):
        models[digit] = model
        if on_digit is not None:
            on_digit(digit, len(model.atoms_))
    return models


def ten_digit_classifier(train: tuple, validation: tuple, batches: int, seed: int, on_digit=None, workers: int = 1):
    """The main node's recipe on one set of images: a model per digit, the rule chosen on validation images."""
    models = train_digit_models(*train, batches, seed, on_digit, workers)
    if len(models) < 2:
        raise ValueError(f"the images hold {len(models)} digit(s); a classifier needs at least two")
    return MulticlassClassifier.from_binary_models(models, seed=seed).calibrate(*validation, *train)


def refusal(peer: int, stage: int, reply: bytes | None, decode):
    """``decode(reply)`` checked to come from ``peer`` for ``stage``: ``(decoded, None)`` or ``(None, why not)``."""
    if reply is None:
        return None, "no reply"
    try:
        decoded = decode(reply)
    except CollabTextError as error:
        return None, str(error)
    if decoded[0] != peer:
        return None, f"the reply says it comes from peer {decoded[0]}, not {peer}"
    return decoded, None


class CollaborativePeer:
    """A peer's images (boolean, never sent), its models and what it keeps, for all ten digits.

    Parameters
    ----------
    train, validation : ``(boolean images n x 784, integer labels)`` of this peer only.
    batches : AML training batches of 100 + 900 per digit.
    seed : seed of training; digit d of peer i trains with ``seed + 100 * i + d``.
    atoms_per_digit : size of each digit's part of the shared feature set, all peers together.
    """

    def __init__(self, index: int, train: tuple, validation: tuple, batches: int = 30, seed: int = 0,
                 atoms_per_digit: int = ATOMS_PER_DIGIT):
        self.index = index
        self.train, self.validation = train, validation
        self.batches, self.seed, self.atoms_per_digit = batches, seed, atoms_per_digit
        self.counts = np.bincount(train[1], minlength=N_DIGITS)[:N_DIGITS].tolist()
        self.predicted, self.shared_misses = {}, (None, None, None)

    def train_alone(self, on_digit=None) -> MulticlassClassifier:
        """One AML model per digit held, and the peer's classifier alone (kept until a round beats it)."""
        self.kept = ten_digit_classifier(self.train, self.validation, self.batches, self.seed + 100 * self.index,
                                         on_digit)
        self.models = self.kept.models_
        self.kept_validation, self.noise = self.validation_accuracy(self.kept)
        return self.kept

    def outgoing(self, stage: int, class_counts: np.ndarray) -> str:
        """What this peer shares at ``stage``: its atoms at 0, its read-out of round ``stage`` after."""
        if stage == 0:
            return encode_atoms(self.index, self.contribution(class_counts))
        weights, biases = self.local_readout(stage)
        return encode_readout(self.index, stage, self.layout, weights, biases, self.classes, self.readout_digits())

    def incoming(self, stage: int, replies: dict[int, bytes | None], class_counts: np.ndarray) -> dict:
        """Take the peers' payloads of ``stage`` (ours included); what was refused and why is in ``refused``."""
        decode = decode_atoms if stage == 0 else (lambda reply: decode_readout(reply, self.layout, len(self.atoms)))
        accepted, refused = {}, {}
        for peer, reply in sorted(replies.items()):
            decoded, why = refusal(peer, stage, reply, decode)
            if decoded is not None and stage > 0 and decoded[1] != stage:
                decoded, why = None, f"the reply is for round {decoded[1]}, not {stage}"
            if why is None:
                accepted[peer] = decoded[-1] if stage > 0 else decoded[1]
            else:
                refused[peer] = why
        if stage == 0:
            self.set_features([accepted[peer] for peer in sorted(accepted)])
            return {"stage": 0, "peers_joined": sorted(accepted), "refused": refused, "shared_atoms": len(self.atoms)}
        return {"stage": stage, **self.join(accepted, class_counts), "refused": refused}

    def score(self, classifier, X, y) -> float:
        """Accuracy of one of this peer's classifiers on images X (boolean) with digit labels y."""
        return float(np.mean(self.predictions(classifier, X) == y))

    def per_digit(self, classifier, X, y) -> list[float]:
        """Share of each digit's images (X boolean, y digit labels) the classifier reads right."""
        predicted = self.predictions(classifier, X)
        return [round(float(np.mean(predicted[y == digit] == digit)), 4) for digit in range(N_DIGITS)]

    def predictions(self, classifier, X) -> np.ndarray:
        """The digits ``classifier`` reads in X, remembered per classifier and image set.

        Why: the peer scores the same test images after every round and breaks its scores down
        by digit; every round's model reads the shared atoms, so their misses are computed once.
        """
        key = (id(classifier), id(X))
        if key not in self.predicted:
            rule = classifier.rule_model_
            if getattr(rule, "atoms", None) is getattr(self, "atoms", False):
                if self.shared_misses[0] is not self.atoms or self.shared_misses[1] is not X:
                    self.shared_misses = (self.atoms, X, packed_atom_misses(self.atoms, X))
                predicted = classifier.classes_[rule.scores_of_misses(self.shared_misses[2]).argmax(axis=1)]
            else:
                predicted = classifier.predict(X)
            self.predicted[key] = (classifier, X, predicted)  # holding both keeps their ids from being reused
        return self.predicted[key][2]

    def model_data(self) -> dict:
        """What model.json holds: the kept classifier, as inference_node.py serves it."""
        return ten_digit_model_data(self.kept)

    def validation_accuracy(self, classifier) -> tuple[float, float]:
        """Balanced accuracy on the peer's own validation images, reading only the digits it holds,
        and its standard error.

        Why only those: its validation images show only them, so on them a model that can also
        answer other digits can only lose; what it gains on digits the peer never saw (which
        alone it reads none of) cannot be measured here. So a round is kept when it reads the
        peer's own digits no worse, each digit counting alike.
        """
        X_val, y_val = self.validation
        held = np.array([position for position, digit in enumerate(classifier.classes_) if self.counts[digit]])
        predicted = classifier.classes_[held][classifier.decision_function(X_val)[:, held].argmax(axis=1)]
        return balanced_accuracy(predicted, y_val)

    def contribution(self, class_counts: np.ndarray) -> dict[int, Atomization]:
        """Per digit, this peer's most informative atoms, as many as its share of the digit's images
        among ``class_counts`` (peers x 10, this peer's row at ``self.index``) gives it."""
        budget = atom_budget(class_counts, self.atoms_per_digit)[self.index]
        X, y = self.train[0][:RANKING_IMAGES], self.train[1][:RANKING_IMAGES]
        return {digit: informative_atoms(below_class_atoms(model), X, y, N_DIGITS, int(budget[digit]))
                for digit, model in self.models.items() if budget[digit] > 0}

    def set_features(self, contributions: list[dict[int, Atomization]]) -> None:
        """The shared atoms: digit by digit, the contributions in peer order (the same at every peer)."""
        parts, self.digit_atoms = [], {}
        for digit in range(N_DIGITS):
            pieces = [given[digit] for given in contributions if digit in given and len(given[digit])]
            if pieces:
                self.digit_atoms[digit] = pieces[0]
                for piece in pieces[1:]:
                    self.digit_atoms[digit] = self.digit_atoms[digit].concat(piece)
                parts.append(self.digit_atoms[digit])
        if len(parts) < 2:
            raise ValueError(f"the shared atoms cover {len(parts)} digit(s); a classifier needs at least two")
        self.atoms = parts[0]
        for part in parts[1:]:
            self.atoms = self.atoms.concat(part)
        self.classes = sorted(self.digit_atoms)
        self.layout = layout_of(self.atoms)
        self.missed = packed_atom_misses(self.atoms, self.train[0])
        self.positions = np.searchsorted(self.classes, self.train[1])
        known = np.isin(self.train[1], self.classes)
        self.missed, self.positions = self.missed[known], self.positions[known]
        self.joint = None

    def local_readout(self, round_number: int) -> tuple[np.ndarray, np.ndarray]:
        """This peer's read-out for the round: from zero in round 1, else one pass on from the joint one."""
        epochs, rate = (FIRST_EPOCHS, FIRST_RATE) if self.joint is None else (LATER_EPOCHS, LATER_RATE)
        readout = AtomReadout(epochs=epochs, seed=self.seed + 100 * self.index + round_number)
        readout.fit_misses(self.atoms, self.missed, self.positions, len(self.classes), start=self.joint, rate=rate)
        self.local = (readout.weights, readout.biases)
        return self.local

    def join(self, readouts: dict[int, dict[int, tuple]], class_counts: np.ndarray) -> dict:
        """Join the peers' read-out columns (``{peer: {digit: (column, bias)}}``, ours included) by class.

        ``class_counts`` (peers x 10) holds each peer's image count per digit. Returns the round's figures:
        the joint model's validation balanced accuracy and whether it is kept.
        """
        weights, biases, counts = [], [], []
        for peer, columns in sorted(readouts.items()):
            matrix = np.zeros_like(self.local[0])
            vector = np.zeros_like(self.local[1])
            held = np.zeros(len(self.classes))
            for digit, (column, bias) in columns.items():
                if digit in self.classes:
                    position = self.classes.index(digit)
                    matrix[:, position], vector[position] = column, bias
                    held[position] = class_counts[peer][digit]
            weights.append(matrix)
            biases.append(vector)
            counts.append(held)
        self.joint = join_by_class(weights, biases, np.array(counts), fallback=self.local)
        candidate = self.classifier(self.joint)
        accuracy = self.validation_accuracy(candidate)[0]
        kept = accuracy >= self.kept_validation - self.noise
        if kept:
            self.kept, self.kept_validation = candidate, max(accuracy, self.kept_validation)
        return {"peers_joined": sorted(readouts), "validation_balanced_accuracy": accuracy, "kept": kept,
                "candidate": candidate}

    def classifier(self, readout: tuple[np.ndarray, np.ndarray]) -> MulticlassClassifier:
        """A ten-digit classifier over the shared atoms: per digit its atoms as a model, the read-out as rule."""
        X_val, y_val = self.validation
        models = {}
        for digit in self.classes:
            model = BinaryClassifier.from_atomization(PIXELS, self.digit_atoms[digit])
            if (y_val == digit).any():
                model.choose_cutoff(X_val, y_val == digit)
            models[digit] = model
        classifier = MulticlassClassifier.from_binary_models(models, seed=self.seed)
        rule = AtomReadout(seed=self.seed)
        rule.atoms, (rule.weights, rule.biases) = self.atoms, readout
        classifier.rule_model_, classifier.rule_ = rule, AtomReadout.NAME
        return classifier

    def readout_digits(self) -> list[int]:
        """The digits whose read-out columns this peer shares: those it holds images of."""
        return [digit for digit in self.classes if self.counts[digit]]
