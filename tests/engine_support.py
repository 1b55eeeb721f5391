"""Shared data and a plain-Python oracle for the engine tests.

Why a plain-Python oracle: invariants are checked with Python sets, independently of the
packed-bitset code under test.
"""
from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np

from aml_engine import Duple, bitset, term

SIDE = 4
N_PIXELS = SIDE * SIDE
N_CONSTANTS = 2 * N_PIXELS + 1
V = 2 * N_PIXELS
MNIST_DIR = Path(__file__).resolve().parent.parent / "MNIST"


def bar_images(count: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Distinct 4x4 images made of random full rows and columns; positive iff column 0 is ink."""
    seen: dict[bytes, np.ndarray] = {}
    while len(seen) < count:
        image = np.zeros((SIDE, SIDE), dtype=bool)
        image[rng.random(SIDE) < 0.25, :] = True
        image[:, rng.random(SIDE) < 0.3] = True
        seen.setdefault(image.tobytes(), image.ravel())
    images = np.array(list(seen.values()))
    return images, images.reshape(-1, SIDE, SIDE)[:, :, 0].all(axis=1)


def image_term(image: np.ndarray) -> np.ndarray:
    return bitset.pack(np.concatenate([image, ~image, [False]]))


def duples(images: np.ndarray, labels: np.ndarray) -> tuple[list[Duple], list[Duple]]:
    """Positive duples ``v <= image`` for positive images, negative ones for the rest."""
    class_term = term([V], N_CONSTANTS)
    positives = [Duple(class_term, image_term(x), True) for x, label in zip(images, labels) if label]
    negatives = [Duple(class_term, image_term(x), False) for x, label in zip(images, labels) if not label]
    return positives, negatives


def as_sets(atomization) -> list[set[int]]:
    return [set(atom.ucs) for atom in atomization]


def term_set(packed: np.ndarray, n_constants: int = N_CONSTANTS) -> set[int]:
    return set(bitset.to_indices(packed, n_constants))


def plain_las(atoms: list[set[int]], constants: set[int]) -> set[int]:
    return {i for i, ucs in enumerate(atoms) if ucs & constants}


def plain_holds(atoms: list[set[int]], duple: Duple, n_constants: int = N_CONSTANTS) -> bool:
    """Whether a duple holds, evaluated with Python sets only."""
    left = plain_las(atoms, term_set(duple.L, n_constants))
    right = plain_las(atoms, term_set(duple.R, n_constants))
    return left <= right if duple.positive else not left <= right


def _idx(path: Path) -> np.ndarray:
    with gzip.open(path) as handle:
        data = handle.read()
    dims = np.frombuffer(data, ">u4", data[3], 4)
    return np.frombuffer(data, np.uint8, offset=4 + 4 * data[3]).reshape(dims)


def mnist_subset(count: int, split: str = "train") -> tuple[np.ndarray, np.ndarray]:
    """The first ``count`` MNIST images of a split, binarised at 25.6, and their digit labels."""
    prefix = "train" if split == "train" else "t10k"
    images = _idx(MNIST_DIR / f"{prefix}-images-idx3-ubyte.gz")[:count].reshape(count, -1) > 25.6
    return images, _idx(MNIST_DIR / f"{prefix}-labels-idx1-ubyte.gz")[:count]
