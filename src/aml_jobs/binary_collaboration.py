"""One collaborating peer learning one digit ("is this a d?"): AML models merged by their atoms.

Why apart from the ten-digit peer: for one digit the engine's merge selection is the whole story.
Stage 0 only checks who is there; every round after it each peer shares the atoms of the model it
keeps (with its cut-off; a vote of models is shared as their union); each peer then
runs :func:`~aml_engine.merge_selection.select_merge` over its own model and the ones received
(best one alone, plain and cross-checked unions, vote), scored on its own validation images, and
keeps the choice only if its error there is no worse. A peer with no image of the digit in its
validation set cannot judge: it takes the model of the peer holding most images of the digit.
"""
from __future__ import annotations

import numpy as np

from aml_engine import BinaryClassifier
from aml_engine.inference import rates
from aml_engine.merge_selection import select_merge
from aml_engine.readout import below_class_atoms
from aml_jobs.collab_text import N_DIGITS, PIXELS, decode_atoms, encode_atoms
from aml_jobs.collaboration import refusal
from aml_jobs.model_file import binary_model_data


class BinaryCollaborativePeer:
    """A peer's images (boolean, never sent) and the model of ``digit`` it keeps (None: it has none yet)."""

    def __init__(self, index: int, digit: int, train: tuple, validation: tuple, batches: int = 30, seed: int = 0):
        self.index, self.digit = index, digit
        self.train, self.validation = train, validation
        self.batches, self.seed = batches, seed
        self.counts = np.bincount(train[1], minlength=N_DIGITS)[:N_DIGITS].tolist()

    def train_alone(self, on_digit=None):
        """The model of the digit on the peer's own images (None without any image of it)."""
        X, y = self.train
        self.kept = None
        if self.counts[self.digit]:
            self.kept = BinaryClassifier(batches=self.batches, seed=self.seed + 100 * self.index + self.digit,
                                         holdout_fraction=0.0, progress=False).fit(X, y == self.digit)
            if (self.validation[1] == self.digit).any():
                self.kept.choose_cutoff(self.validation[0], self.validation[1] == self.digit)
            if on_digit is not None:
                on_digit(self.digit, len(self.kept.atoms_))
        self.kept_validation = self.validation_error(self.kept)
        return self.kept

    def validation_error(self, model) -> float:
        return self.error(model, *self.validation)

    def error(self, model, X, y) -> float:
        """Plain error of ``model`` (None: "never the digit") on images X with digit labels y."""
        predicted = np.zeros(len(y), bool) if model is None else model.predict(X)
        return rates(predicted, y == self.digit)["error"]

    def score(self, model, X, y) -> float:
        return 1 - self.error(model, X, y)

    def per_digit(self, model, X, y) -> None:
        """Per-digit shares are for ten-digit models; a binary report has none."""
        return None

    def outgoing(self, stage: int, class_counts) -> str:
        if self.kept is None or stage == 0:
            return encode_atoms(self.index, {})
        members = getattr(self.kept, "models", [self.kept])
        cutoff = sum(member.cutoff_ for member in members) - len(members) + 1  # accepts what all members accept
        return encode_atoms(self.index, {self.digit: below_class_atoms(self.kept)}, {self.digit: max(cutoff, 1)})

    def incoming(self, stage: int, replies: dict[int, bytes | None], class_counts: np.ndarray) -> dict:
        """Merge the received models with the one kept; keep the merge if no worse on validation."""
        received, refused = {}, {}
        for peer, reply in sorted(replies.items()):
            decoded, why = refusal(peer, stage, reply, decode_atoms)
            if why is not None:
                refused[peer] = why
            elif peer != self.index and self.digit in decoded[1]:
                received[peer] = BinaryClassifier.from_atomization(PIXELS, decoded[1][self.digit],
                                                                   cutoff=decoded[2].get(self.digit, 1))
        record = {"stage": stage, "peers_joined": sorted(received), "refused": refused}
        if stage == 0:
            return {**record, "peers_joined": sorted(set(replies) - set(refused)), "shared_atoms": 0}
        if not received:
            return {**record, "chosen": "kept (nothing received)", "kept": False, "candidate": self.kept,
                    "validation_error": self.kept_validation}
        X_val, is_digit = self.validation[0], self.validation[1] == self.digit
        if is_digit.any():
            kept = [] if self.kept is None else getattr(self.kept, "models", [self.kept])  # a vote: its members
            models = kept + list(received.values())
            positives = self.train[0][self.train[1] == self.digit]
            candidate, selection = select_merge(models, X_val, is_digit, positives=positives)
            chosen = selection["chosen"]
        else:
            holder = max(received, key=lambda peer: class_counts[peer][self.digit])
            candidate, chosen = received[holder], f"peer {holder}'s (most images of the digit)"
        error = self.validation_error(candidate)
        kept = error <= self.kept_validation
        if kept:
            self.kept, self.kept_validation = candidate, error
        return {**record, "chosen": chosen, "validation_error": error, "kept": kept, "candidate": candidate}

    def model_data(self) -> dict:
        """What model.json holds: the tutorial's binary shape (or the engine's vote), served by inference_node.py."""
        if self.kept is None:
            raise ValueError(f"peer {self.index} holds no model of digit {self.digit}")
        return binary_model_data(self.kept, self.digit)
