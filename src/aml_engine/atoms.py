"""Atoms and atomizations stored as packed bitset rows.

Why packed rows: an atom is its upper constant segment ``ucs`` (the constants it lies
below). Keeping all atoms of a model as rows of one ``uint64`` matrix makes lower atomic
segments, discriminants and duplicate removal whole-matrix numpy operations.
"""
from __future__ import annotations

from typing import Iterable, Iterator, NamedTuple

import numpy as np

from . import bitset


class Atom(NamedTuple):
    """One atom as plain Python data: sorted ``ucs`` plus its bookkeeping stamps."""

    ucs: tuple[int, ...]
    epoch: int
    gen: int


class Atomization:
    """A list of atoms: packed ``ucs`` rows with per-atom ``epoch`` and ``gen`` arrays.

    Iterating yields :class:`Atom` tuples; ``len()`` is the number of atoms.
    """

    def __init__(self, n_constants: int, bits: np.ndarray | None = None,
                 epoch: np.ndarray | None = None, gen: np.ndarray | None = None) -> None:
        self.n_constants = n_constants
        width = bitset.n_words(n_constants)
        self.bits = np.zeros((0, width), np.uint64) if bits is None else np.asarray(bits, np.uint64).reshape(-1, width)
        count = len(self.bits)
        self.epoch = np.zeros(count, np.int64) if epoch is None else np.asarray(epoch, np.int64)
        self.gen = np.zeros(count, np.int64) if gen is None else np.asarray(gen, np.int64)

    @classmethod
    def from_atoms(cls, n_constants: int, atoms: Iterable[tuple[Iterable[int], int, int]]) -> "Atomization":
        """Build from ``(ucs, epoch, gen)`` tuples; constants must lie in ``0..n_constants-1``."""
        atoms = list(atoms)
        rows = np.zeros((len(atoms), n_constants), dtype=bool)
        for row, (ucs, _, _) in zip(rows, atoms):
            ucs = list(ucs)
            if not ucs or min(ucs) < 0 or max(ucs) >= n_constants:
                raise ValueError(f"atom ucs {ucs} must be a non-empty list of constants in "
                                 f"0..{n_constants - 1}")
            row[ucs] = True
        return cls(n_constants, bitset.pack(rows), [a[1] for a in atoms], [a[2] for a in atoms])

    @classmethod
    def singletons(cls, n_constants: int, constants: Iterable[int], epoch: int = 0, gen: int = 0) -> "Atomization":
        """One atom ``{c}`` per given constant: the freest model of those constants."""
        constants = np.asarray(list(constants), dtype=np.int64)
        rows = np.zeros((len(constants), n_constants), dtype=bool)
        rows[np.arange(len(constants)), constants] = True
        count = len(constants)
        return cls(n_constants, bitset.pack(rows), np.full(count, epoch), np.full(count, gen))

    def __len__(self) -> int:
        return len(self.bits)

    def __iter__(self) -> Iterator[Atom]:
        rows, columns = bitset.coordinates(self.bits)
        bounds = np.searchsorted(rows, np.arange(len(self) + 1)).tolist()
        columns, epochs, gens = columns.tolist(), self.epoch.tolist(), self.gen.tolist()  # Python ints, made at once
        for i in range(len(self)):
            yield Atom(tuple(columns[bounds[i]:bounds[i + 1]]), epochs[i], gens[i])

    def __repr__(self) -> str:
        return f"Atomization({len(self)} atoms over {self.n_constants} constants)"

    def dense(self) -> np.ndarray:
        """Boolean matrix (atoms, constants)."""
        return bitset.unpack(self.bits, self.n_constants)

    def sizes(self) -> np.ndarray:
        """``|ucs|`` of every atom."""
        return bitset.popcount(self.bits)

    def take(self, index: np.ndarray) -> "Atomization":
        """The atoms selected by a boolean mask or an index array, as a new atomization."""
        return Atomization(self.n_constants, self.bits[index], self.epoch[index], self.gen[index])

    def concat(self, other: "Atomization") -> "Atomization":
        """This atomization followed by ``other`` (duplicates kept)."""
        return Atomization(self.n_constants, np.concatenate([self.bits, other.bits]),
                           np.concatenate([self.epoch, other.epoch]), np.concatenate([self.gen, other.gen]))

    def copy(self) -> "Atomization":
        """An independent copy (no array shared with this one)."""
        return Atomization(self.n_constants, self.bits.copy(), self.epoch.copy(), self.gen.copy())

    def deduplicated(self) -> "Atomization":
        """Atoms with distinct ucs, first occurrence kept; ``epoch`` = min, ``gen`` = max over duplicates.

        Why: duplicates carry no information, but their stamps must be merged.
        """
        first, group = bitset.unique_rows(self.bits)
        result = self.take(first)
        np.minimum.at(result.epoch, group, self.epoch)
        np.maximum.at(result.gen, group, self.gen)
        return result

    def las(self, term: np.ndarray) -> np.ndarray:
        """Lower atomic segment of a packed term: mask of the atoms whose ucs meets it."""
        return bitset.meets(self.bits, term)

    def discriminant(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """Mask of the atoms in ``las(left)`` but not in ``las(right)``."""
        return self.las(left) & ~self.las(right)

    def holds(self, left: np.ndarray, right: np.ndarray, positive: bool = True) -> bool:
        """Whether ``left <= right`` (positive) or ``left </= right`` (negative) holds here."""
        separated = bool(self.discriminant(left, right).any())
        return not separated if positive else separated

    def without_redundant(self) -> "Atomization":
        """Drop atoms whose ucs is the union of the ucs of smaller kept atoms inside it.

        Why: such atoms do not change which duples hold; removing them keeps full crossing
        small. Atoms are visited by increasing ucs size, as in the reference.
        """
        order = np.argsort(self.sizes(), kind="stable")
        kept: list[int] = []
        for index in order:
            row = self.bits[index]
            if kept:
                smaller = self.bits[kept]
                inside = ~((smaller & ~row).any(axis=1)) & (smaller != row).any(axis=1)
                if inside.any() and np.array_equal(np.bitwise_or.reduce(smaller[inside], axis=0), row):
                    continue
            kept.append(int(index))
        return self.take(np.sort(np.asarray(kept, dtype=np.int64)))
