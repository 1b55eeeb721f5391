"""Copies of MNIST images moved by one pixel: more images of the same digits, for free.

Why: a digit moved one pixel left is still the same digit, but to a model over pixels it is a
new image. Shifted copies of training images are a classic MNIST gain for any classifier; here
they also give the ten-digit read-out images that no binary model trained on.
"""
from __future__ import annotations

import numpy as np

from aml_engine.readout import softmax

SIDE = 28
ONE_PIXEL = ((1, 0), (-1, 0), (0, 1), (0, -1))  # (right, down) moves: right, left, down, up


def shifted(images: np.ndarray, right: int, down: int) -> np.ndarray:
    """Images (n x 784) moved ``right`` and ``down`` pixels (negative: left, up); blank where nothing moved in."""
    square = np.asarray(images).reshape(-1, SIDE, SIDE)
    moved = np.zeros_like(square)
    rows_to, rows_from = _overlap(down)
    columns_to, columns_from = _overlap(right)
    moved[:, rows_to, columns_to] = square[:, rows_from, columns_from]
    return moved.reshape(len(square), SIDE * SIDE)


def _overlap(step: int) -> tuple[slice, slice]:
    """Target and source slices of one axis for a move of ``step`` pixels."""
    return slice(max(step, 0), SIDE + min(step, 0)), slice(max(-step, 0), SIDE + min(-step, 0))


def with_shifted_copies(images: np.ndarray, labels: np.ndarray, copies: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The images followed by ``copies`` sets of copies, each image moved one pixel in a random direction.

    Each set draws a direction per image; labels repeat accordingly.
    """
    rng = np.random.default_rng(seed)
    parts = [np.asarray(images)]
    for _ in range(copies):
        direction = rng.integers(len(ONE_PIXEL), size=len(images))
        copy = np.empty_like(parts[0])
        for index, (right, down) in enumerate(ONE_PIXEL):
            chosen = direction == index
            copy[chosen] = shifted(parts[0][chosen], right, down)
        parts.append(copy)
    return np.concatenate(parts), np.tile(np.asarray(labels), copies + 1)


class ShiftAveraged:
    """A ten-digit classifier that reads each image as it is and moved one pixel each way.

    Why: the read-out is not invariant to small moves, so its five views of one image err
    differently; the mean of their class probabilities (softmax of each view's scores) reads
    digits better than any one view. Images are the classifier's boolean features (n x 784);
    moving them before or after the ink threshold gives the same pixels.
    """

    def __init__(self, classifier):
        self.classifier = classifier
        self.classes_ = classifier.classes_
        self.rule_ = classifier.rule_

    def misses(self, X) -> np.ndarray:
        """The classifier's misses of the images as they are."""
        return self.classifier.misses(X)

    def decision_function(self, X) -> np.ndarray:
        """(samples, classes) mean probability over the five views, higher = more likely."""
        X = np.asarray(X)
        views = np.concatenate([X] + [shifted(X, right, down) for right, down in ONE_PIXEL])  # scored in one call
        scores = self.classifier.decision_function(views)
        scores = scores.reshape(len(ONE_PIXEL) + 1, len(X), scores.shape[1])
        return np.mean([softmax(view) for view in scores], axis=0)

    def predict(self, X) -> np.ndarray:
        return self.classifier.classes_[self.decision_function(X).argmax(axis=1)]
