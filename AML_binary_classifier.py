"""AML binary classifier of the tutorial: learn "is this image the digit d?" from MNIST.

The computing node calls ``train_alma`` on its shard and sends back the learned atoms in the
tutorial's JSON shape (``load_aml_structures``); the main node rebuilds a classifier from that
JSON (``classifier_from_structures``; both kept with the model file loader in ``aml_jobs``). The
algebra itself lives in ``aml_engine``; this module only embeds images (``binarize``: a pixel is
ink when its gray value exceeds 25.6) and shapes the results.
"""
from __future__ import annotations

import numpy as np

from aml_engine import BinaryClassifier
from aml_jobs.model_file import binarize, classifier_from_structures, load_aml_structures

__all__ = ["binarize", "classifier_from_structures", "fit_binary_classifier", "load_aml_structures", "train_alma",
           "train_binary_classifier"]
DEFAULT_BATCHES = 100


def fit_binary_classifier(images, labels, target_digit: int, batches: int = DEFAULT_BATCHES,
                          seed: int | None = None, progress: bool = True,
                          **engine_settings) -> BinaryClassifier:
    """Train the engine's classifier for ``target_digit`` on gray images and integer labels."""
    classifier = BinaryClassifier(batches=batches, seed=seed, progress=progress, **engine_settings)
    return classifier.fit(binarize(images), np.asarray(labels) == target_digit)


def train_binary_classifier(images, labels, target_digit: int, **settings):
    """Return ``(cmanager, lst_atoms)``: the constants and the learned union model (lastUnionModel)."""
    classifier = fit_binary_classifier(images, labels, target_digit, **settings)
    return classifier.cmanager_, classifier.atoms_


def train_alma(images, labels, target_digit: int = 0, **settings) -> dict:
    """Train on one shard and return its model in the tutorial's JSON shape."""
    return load_aml_structures(*train_binary_classifier(images, labels, target_digit, **settings))
