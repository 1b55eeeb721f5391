"""Input checks with messages that say what was wrong and what was expected.

Why: the classifier is driven by other people's code; a shape or dtype slip must fail at
the call with the numbers in the message, not deep inside a bitset routine.
"""
from __future__ import annotations

import numpy as np


def check_features(X, n_features: int | None = None, name: str = "X") -> np.ndarray:
    """A 2-D boolean matrix (samples, features); 0/1 integers are accepted as booleans."""
    array = np.asarray(X)
    if array.ndim != 2:
        raise ValueError(f"{name} must be a 2-D boolean matrix (samples x features), "
                         f"got {array.ndim}-D array of shape {array.shape}")
    if array.dtype != bool:
        if array.dtype.kind not in "iuf" or not np.isin(array, (0, 1)).all():
            raise ValueError(f"{name} must be boolean (or only 0/1 values), got dtype {array.dtype}"
                             + ("" if array.dtype.kind not in "iuf" else
                                f" with values outside {{0, 1}}, e.g. {array[~np.isin(array, (0, 1))].ravel()[0]}"))
        array = array.astype(bool)
    if array.shape[1] == 0:
        raise ValueError(f"{name} must have at least one feature column, got shape {array.shape}")
    if n_features is not None and array.shape[1] != n_features:
        raise ValueError(f"{name} has {array.shape[1]} features per sample, but the model was "
                         f"fitted with {n_features}")
    return array


def check_labels(y, n_samples: int, name: str = "y") -> np.ndarray:
    """A 1-D boolean vector with one label per sample."""
    array = np.asarray(y)
    if array.ndim != 1:
        raise ValueError(f"{name} must be a 1-D boolean vector, got shape {array.shape}")
    if len(array) != n_samples:
        raise ValueError(f"{name} has {len(array)} labels but X has {n_samples} samples; "
                         f"expected one label per sample")
    if array.dtype != bool:
        if array.dtype.kind not in "iuf" or not np.isin(array, (0, 1)).all():
            raise ValueError(f"{name} must be boolean (or only 0/1 values), got dtype {array.dtype}")
        array = array.astype(bool)
    return array


def check_count(value, name: str, minimum: int) -> int:
    """An integer hyper-parameter of at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)
