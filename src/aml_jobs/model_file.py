"""``model.json``: the trained model as a file, and the one loader every server uses.

A binary run writes the tutorial's JSON shape (``vTerm`` and the atoms below it) plus its
``cutoff`` and ``target_digit`` (or, when the merge chose a vote of shard models, the engine's
data of that vote); a ten-digit run writes the engine's ``MulticlassClassifier`` data plus how
images are turned into features. ``load_model`` reads either and returns a
predictor that takes gray images, so an inference node needs no knowledge of which it got.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from aml_engine import BinaryClassifier
from aml_engine.merge_selection import model_from_dict
from aml_engine.multiclass import MulticlassClassifier
from aml_jobs.shifts import ShiftAveraged

INK_THRESHOLD = 25.6
PIXELS = 784
TEN_DIGIT_FORMAT = "aml_jobs.TenDigitModel/1"


def binarize(images: np.ndarray) -> np.ndarray:
    """Ink mask of gray images (n x 784): True where the pixel is darker than the threshold."""
    return np.asarray(images) > INK_THRESHOLD


def load_aml_structures(constant_manager, lst_atoms) -> dict:
    """Map each named constant (the class constant ``v``) to the atoms that contain it.

    The result is the tutorial's JSON shape: ``vTerm`` lists the named constants, and each of
    them (as a string key) maps to its atoms with ``atom_epoch``, ``atom_gen`` and ``atom_ucs``.
    Only these atoms decide a prediction, so they are all the main node needs.
    """
    named_constants = sorted(int(constant) for constant in constant_manager.getReversedNameDictionary())
    json_dict = {"vTerm": named_constants}
    for constant in named_constants:
        json_dict[str(constant)] = [
            {"atom_epoch": int(atom.epoch), "atom_gen": int(atom.gen),
             "atom_ucs": [int(c) for c in atom.ucs]}
            for atom in lst_atoms if constant in atom.ucs]
    return json_dict


def classifier_from_structures(json_dict: dict, cutoff: int = 1) -> BinaryClassifier:
    """Rebuild a classifier from the tutorial's JSON shape (``vTerm`` and its atoms)."""
    (class_constant,) = json_dict["vTerm"]
    atoms = [(atom["atom_ucs"], atom["atom_epoch"], atom["atom_gen"]) for atom in json_dict[str(class_constant)]]
    return BinaryClassifier.from_atoms(PIXELS, atoms, cutoff=cutoff)


def binary_model_data(model, target_digit: int) -> dict:
    """What ``model.json`` holds for one digit: the tutorial's shape for a classifier with atoms,
    the engine's data for any other merge (a vote of shard models)."""
    if hasattr(model, "atoms_"):
        data = {**load_aml_structures(model.cmanager_, model.atoms_), "cutoff": int(model.cutoff_)}
    else:
        data = model.to_dict()
    return {**data, "target_digit": target_digit}


def ten_digit_model_data(classifier) -> dict:
    """What ``model.json`` holds for a ten-digit model: the classifier, the image embedding and whether
    each image is read as the mean of five views (``shift_views``, see ``aml_jobs.shifts``)."""
    averaged = isinstance(classifier, ShiftAveraged)
    return {"format": TEN_DIGIT_FORMAT, "ink_threshold": INK_THRESHOLD, "pixels": PIXELS, "shift_views": averaged,
            "classifier": (classifier.classifier if averaged else classifier).to_dict()}


class ModelFileError(ValueError):
    """A model file that is missing or not in a shape main_node.py writes; says which."""


class Predictor:
    """A loaded model that reads gray images (n x 784, values 0..255).

    ``kind`` is ``"binary"`` (``predict`` says whether each image is ``target_digit``) or
    ``"ten-digit"`` (``predict`` gives each image's digit).
    """

    def __init__(self, classifier, kind: str, target_digit: int | None = None):
        self.classifier = classifier
        self.kind = kind
        self.target_digit = target_digit

    def predict(self, images: np.ndarray) -> np.ndarray:
        return self.classifier.predict(binarize(images))

    def decision_function(self, images: np.ndarray) -> np.ndarray:
        return self.classifier.decision_function(binarize(images))

    def predict_with_misses(self, images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each image's prediction and the atoms it misses: one count (binary) or one per digit."""
        features = binarize(images)
        if self.kind == "ten-digit":
            return self.classifier.predict(features), self.classifier.misses(features)
        return self.classifier.predict(features), self.classifier.decision_function(features)

    def describe(self) -> str:
        """One line for people: what the model reads and how big it is."""
        if self.kind == "ten-digit":
            return f"ten-digit model (decision rule {self.classifier.rule_!r})"
        digit = "" if self.target_digit is None else f" of digit {self.target_digit}"
        return f"binary model{digit}, cut-off {self.classifier.cutoff_}"


def load_model(path: str | Path) -> Predictor:
    """Read a binary or ten-digit ``model.json``; raises ModelFileError saying what is wrong."""
    path = Path(path)
    try:
        data = json.loads(path.read_text())
    except OSError as error:
        raise ModelFileError(f"cannot read model file {path}: {error.strerror} (run main_node.py first?)") from None
    except json.JSONDecodeError as error:
        raise ModelFileError(f"model file {path} is not JSON: {error.msg} at line {error.lineno}") from None
    try:
        if isinstance(data, dict) and data.get("format") == TEN_DIGIT_FORMAT:
            classifier = MulticlassClassifier.from_dict(data["classifier"])
            return Predictor(ShiftAveraged(classifier) if data.get("shift_views") else classifier, "ten-digit")
        if isinstance(data, dict) and "vTerm" in data and "cutoff" in data:
            return Predictor(classifier_from_structures(data, cutoff=data["cutoff"]), "binary",
                             data.get("target_digit"))
        if isinstance(data, dict) and "format" in data:
            return Predictor(model_from_dict(data), "binary", data.get("target_digit"))
    except (KeyError, TypeError, ValueError) as error:
        raise ModelFileError(f"model file {path} is damaged: {error!r}") from None
    raise ModelFileError(f"{path} is not a model.json of this project: expected format {TEN_DIGIT_FORMAT!r}, "
                         "an engine model's format or the tutorial's binary shape with 'vTerm' and 'cutoff'")
