"""A linear read-out over atom miss indicators: the ten models' atoms as features.

Why: an atom below a class constant is a learned feature ("none of these pixel facts
holds"), and the raw rule just counts the missed ones of each class's own model, weight 1
each. Many atoms also tell other digits apart (an atom of the "3" model that 5s and 8s miss
but 9s do not), so a softmax regression over the miss indicators of the most informative
atoms of every model reads digits markedly better than counting (measured on MNIST: 97.7 %
against 94.9 % for the same 60-batch models). It may be fitted on the models' own training
images while the models are young (60 batches of 100 positives see each image about once);
mature models (150 batches) miss too few atoms of the images they trained on, and a read-out
fitted on those lost half a point in our runs. Images the models never saw help: the ten-digit
pipeline (``aml_jobs.evaluation``) adds a copy of each fit image moved one pixel.
"""
from __future__ import annotations

import numpy as np

from . import bitset
from .atoms import Atomization
from .cores import map_on_cores, pieces
from .inference import embed


def atom_misses(atoms: Atomization, X: np.ndarray, block: int = 4096) -> np.ndarray:
    """Boolean (samples, atoms): the sample misses the atom (their constant sets are disjoint)."""
    return np.unpackbits(packed_atom_misses(atoms, X, block), axis=1, count=len(atoms)).astype(bool)


def packed_atom_misses(atoms: Atomization, X: np.ndarray, block: int = 4096) -> np.ndarray:
    """:func:`atom_misses` with each row's bits packed 8 to a byte (``np.packbits``): a read-out fitted on
    100,000 images over 20,000 atoms needs 250 MB instead of 2 GB, and no boolean matrix is made.
    Pieces of at most ``block`` images are met on all cores."""
    rows = bitset.SparseRows(atoms.bits)
    pad = (-len(atoms)) % 8
    last_byte = np.uint8((0xFF << pad) & 0xFF)  # the atoms' bits in the last byte; the rest stay 0
    packed = np.zeros((len(X), (len(atoms) + 7) // 8), dtype=np.uint8)

    def fill(piece: slice) -> None:
        missed = ~rows.meets_by_term(embed(X[piece]))
        if pad:
            missed[:, -1] &= last_byte
        packed[piece] = missed

    map_on_cores(fill, pieces(len(X), block))
    return packed


def unpacked(packed: np.ndarray, width: int) -> np.ndarray:
    """Float32 (samples, width) 0/1 features from rows packed by ``np.packbits``."""
    return np.unpackbits(packed, axis=1, count=width).astype(np.float32)


def informative_atoms(atoms: Atomization, X: np.ndarray, labels: np.ndarray, classes: int, count: int) -> Atomization:
    """The ``count`` atoms whose miss rate differs most between classes (std over class miss rates)."""
    if len(atoms) <= count:
        return atoms
    missed = atom_misses(atoms, X)
    rates = np.stack([missed[labels == c].mean(axis=0) if (labels == c).any() else np.zeros(len(atoms))
                      for c in range(classes)])
    return atoms.take(np.sort(np.argsort(-rates.std(axis=0), kind="stable")[:count]))


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def fit_softmax(packed: np.ndarray, width: int, labels: np.ndarray, classes: int, l2: float, epochs: int,
                seed: int, batch: int = 256, rate: float = 0.01,
                start: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Weights (features, classes) and biases of an L2-penalised softmax regression.

    ``packed`` holds the ``width`` binary features of each sample packed by ``np.packbits``.
    Mini-batch Adam: a few passes over the data suffice, where full-batch gradient descent
    needs hundreds, and every pass costs one product of the data with the weights. ``start``
    (weights, biases) continues from a read-out learned before (not changed) instead of zeros.
    """
    rng = np.random.default_rng(seed)
    n = len(packed)
    if start is None:
        weights, biases = np.zeros((width, classes), np.float32), np.zeros(classes, np.float32)
    else:
        weights, biases = np.array(start[0], np.float32), np.array(start[1], np.float32)
        if weights.shape != (width, classes) or biases.shape != (classes,):
            raise ValueError(f"start has weights {weights.shape} and biases {biases.shape}; expected "
                             f"({width}, {classes}) and ({classes},)")
    targets = np.eye(classes, dtype=np.float32)[labels]
    moments = [np.zeros_like(weights), np.zeros_like(weights), np.zeros_like(biases), np.zeros_like(biases)]
    step = 0
    for _ in range(epochs):
        order = rng.permutation(n)
        for begin in range(0, n, batch):
            rows = order[begin:begin + batch]
            x = unpacked(packed[rows], width)
            gradient = (softmax(x @ weights + biases) - targets[rows]) / len(rows)
            step += 1
            for value, grad, first, second in ((weights, x.T @ gradient + l2 * weights, moments[0], moments[1]),
                                               (biases, gradient.sum(axis=0), moments[2], moments[3])):
                first *= 0.9
                first += 0.1 * grad
                second *= 0.999
                second += 0.001 * grad * grad
                value -= rate * (first / (1 - 0.9 ** step)) / (np.sqrt(second / (1 - 0.999 ** step)) + 1e-8)
    return weights, biases


def below_class_atoms(model) -> Atomization:
    """The atoms of a per-class model that can be missed: those containing its class constant."""
    parts = getattr(model, "models", [model])
    atoms = parts[0].atoms_
    for part in parts[1:]:
        atoms = atoms.concat(part.atoms_)
    class_row = bitset.from_indices([parts[0].class_constant_], atoms.n_constants)
    return atoms.take(bitset.meets(atoms.bits, class_row)).deduplicated()


class AtomReadout:
    """Softmax regression over the miss indicators of the most informative atoms of every model.

    Parameters
    ----------
    atoms_per_class : atoms kept from each class's model (ranked on up to ``ranking_images``).
    epochs, l2, seed : the regression's passes, weight penalty and seed. Few passes and no
        penalty measured best on MNIST: stopping early is the regularisation.
    """

    NAME = "readout"

    def __init__(self, atoms_per_class: int = 2000, epochs: int = 5, l2: float = 0.0, seed: int = 0,
                 ranking_images: int = 5000) -> None:
        self.atoms_per_class = atoms_per_class
        self.epochs = epochs
        self.l2 = l2
        self.seed = seed
        self.ranking_images = ranking_images

    def fit_models(self, models: list, X: np.ndarray, positions: np.ndarray) -> "AtomReadout":
        """Keep each model's informative atoms and fit the weights on ``X`` (not the models' training images)."""
        classes = len(models)
        ranked = slice(0, self.ranking_images)
        chosen = [informative_atoms(below_class_atoms(model), X[ranked], positions[ranked], classes,
                                    self.atoms_per_class) for model in models]
        atoms = chosen[0]
        for part in chosen[1:]:
            atoms = atoms.concat(part)
        self.atoms = atoms
        self.weights, self.biases = fit_softmax(packed_atom_misses(atoms, X), len(atoms), positions, classes,
                                                self.l2, self.epochs, self.seed)
        return self

    def fit_misses(self, atoms: Atomization, packed: np.ndarray, positions: np.ndarray, classes: int,
                   start: tuple[np.ndarray, np.ndarray] | None = None, rate: float = 0.01) -> "AtomReadout":
        """Fit the weights over given ``atoms``, their misses ``packed`` = ``packed_atom_misses(atoms, X)``
        already computed, optionally continuing from ``start`` (weights, biases)."""
        self.atoms = atoms
        self.weights, self.biases = fit_softmax(packed, len(atoms), positions, classes, self.l2, self.epochs,
                                                self.seed, rate=rate, start=start)
        return self

    def scores_of(self, X: np.ndarray) -> np.ndarray:
        """(samples, classes) logits, higher = more likely."""
        return self.scores_of_misses(packed_atom_misses(self.atoms, X))

    def scores_of_misses(self, packed: np.ndarray, block: int = 1024) -> np.ndarray:
        """:meth:`scores_of` from misses already computed, ``packed_atom_misses(self.atoms, X)``
        (several read-outs over the same atoms share them); unpacked a block at a time."""
        width = len(self.atoms)
        return np.concatenate([unpacked(packed[begin:begin + block], width) @ self.weights
                               for begin in range(0, len(packed), block)]
                              or [np.zeros((0, self.weights.shape[1]), np.float32)]) + self.biases

    def to_dict(self) -> dict:
        return {"name": self.NAME, "params": {"atoms_per_class": self.atoms_per_class, "epochs": self.epochs,
                                              "l2": self.l2, "seed": self.seed, "ranking_images": self.ranking_images},
                "n_constants": self.atoms.n_constants, "atoms": [list(atom.ucs) for atom in self.atoms],
                "weights": self.weights.tolist(), "biases": self.biases.tolist()}

    @classmethod
    def from_dict(cls, data: dict) -> "AtomReadout":
        readout = cls(**data["params"])
        readout.atoms = Atomization.from_atoms(data["n_constants"], [(ucs, 0, 0) for ucs in data["atoms"]])
        readout.weights = np.array(data["weights"], dtype=np.float32).reshape(len(readout.atoms), -1)
        readout.biases = np.array(data["biases"], dtype=np.float32)
        return readout
