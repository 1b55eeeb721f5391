"""Class decision rules: from per-class misses to one score per class.

Why: each class has its own binary model, and the models' miss counts are not on one
scale (a model with more atoms below ``v`` misses more atoms of every image). A rule maps
the (samples, classes) misses matrix to scores, higher = more likely; which rule is best is
measured on validation images, never on test images.

The rules here have ``fit(misses, labels)`` (``labels`` are class positions 0..k-1),
``scores(misses)``, ``to_dict()`` and ``NAME``; the read-out over single atoms
(:class:`~aml_engine.readout.AtomReadout`) is fitted on images instead. :func:`rule_from_dict`
rebuilds any of them.
"""
from __future__ import annotations

import numpy as np

from .readout import AtomReadout


class RawMisses:
    """The class whose model misses fewest atoms of the sample (the reference's rule)."""

    NAME = "raw"

    def fit(self, misses: np.ndarray, labels: np.ndarray) -> "RawMisses":
        return self

    def scores(self, misses: np.ndarray) -> np.ndarray:
        return -np.asarray(misses, dtype=float)

    def to_dict(self) -> dict:
        return {"name": self.NAME}

    @classmethod
    def from_dict(cls, data: dict) -> "RawMisses":
        return cls()


class ScaledMisses:
    """Misses divided by the mean misses of the class's model on the other classes' samples.

    Why: puts every model's misses on one scale (1 = a typical non-member), so a model with
    many atoms no longer loses every close call.
    """

    NAME = "scaled"

    def __init__(self, scale: np.ndarray | None = None) -> None:
        self.scale = None if scale is None else np.asarray(scale, dtype=float)

    def fit(self, misses: np.ndarray, labels: np.ndarray) -> "ScaledMisses":
        classes = misses.shape[1]
        self.scale = np.array([max(misses[labels != c, c].mean() if (labels != c).any() else 1.0, 1e-9)
                               for c in range(classes)])
        return self

    def scores(self, misses: np.ndarray) -> np.ndarray:
        return -np.asarray(misses, dtype=float) / self.scale

    def to_dict(self) -> dict:
        return {"name": self.NAME, "scale": self.scale.tolist()}

    @classmethod
    def from_dict(cls, data: dict) -> "ScaledMisses":
        return cls(np.array(data["scale"], dtype=float))


MISSES_RULES = {rule.NAME: rule for rule in (RawMisses, ScaledMisses)}
RULES = {**MISSES_RULES, AtomReadout.NAME: AtomReadout}


def rule_from_dict(data: dict):
    """Rebuild a rule written by its ``to_dict``."""
    name = data.get("name") if isinstance(data, dict) else None
    if name not in RULES:
        raise ValueError(f"unknown decision rule {name!r}; known rules: {sorted(RULES)}")
    return RULES[name].from_dict(data)
