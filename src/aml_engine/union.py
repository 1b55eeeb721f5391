"""The union model: every atom the learner ever produced, filtered by later positives.

Why: atomizations add up (the union of two models satisfies a positive duple iff both do),
so the union of the working models of all calls keeps every separation found so far; atoms
that reject a positive example arriving later are dropped, which acts as a built-in
validation filter. The same filter is the cross-shard check of a merge.
"""
from __future__ import annotations

import numpy as np

from . import bitset
from .atoms import Atomization
from .duples import Duple


def rejecting_atoms(atoms: Atomization, lefts: np.ndarray, rights: np.ndarray,
                    checked: np.ndarray | None = None, block: int = 1024) -> np.ndarray:
    """Mask of atoms that discriminate at least one positive duple ``(lefts[d], rights[d])``.

    ``lefts`` and ``rights`` are packed term rows; ``checked`` optionally restricts which
    (atom, duple) pairs count, as a boolean (atoms, duples) matrix. Only atoms meeting some
    left term can reject, so the rest are skipped before the sparse products.
    """
    rejects = np.zeros(len(atoms), dtype=bool)
    if len(atoms) == 0 or len(lefts) == 0:
        return rejects
    suspects = np.flatnonzero(bitset.meets(atoms.bits, np.bitwise_or.reduce(lefts, axis=0)))
    bits = atoms.bits[suspects]
    for begin in range(0, len(lefts), block):
        end = begin + block
        meets_left = bitset.meets_matrix(bits, atoms.n_constants, bitset.unpack(lefts[begin:end], atoms.n_constants))
        meets_right = bitset.meets_matrix(bits, atoms.n_constants, bitset.unpack(rights[begin:end], atoms.n_constants))
        discriminates = meets_left & ~meets_right
        if checked is not None:
            discriminates &= checked[suspects, begin:end]
        rejects[suspects] |= discriminates.any(axis=1)
    return rejects


class UnionModel:
    """Union atoms plus, per atom, the union-update counter at which it entered (-1: not yet)."""

    def __init__(self, n_constants: int) -> None:
        self.atoms = Atomization(n_constants)
        self.entrance = np.zeros(0, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.atoms)

    def extend(self, atoms: Atomization, entrance: int) -> None:
        """Append atoms stamped with ``entrance`` and drop duplicates (first kept, epoch min, gen max)."""
        joined = self.atoms.concat(atoms)
        entrances = np.concatenate([self.entrance, np.full(len(atoms), entrance, dtype=np.int64)])
        first, _ = bitset.unique_rows(joined.bits)
        self.atoms = joined.deduplicated()
        self.entrance = entrances[first]

    def filter(self, duples: list[Duple], union_updates: int) -> int:
        """Drop atoms that discriminate a positive duple they were not yet checked against.

        An atom is checked against a duple iff it entered after the duple's last check;
        fresh atoms (entrance -1) are stamped now. Every duple is then stamped as checked.
        Returns the number of atoms dropped.
        """
        self.entrance[self.entrance == -1] = union_updates
        if not duples:
            return 0
        last = np.array([d.lastUnionUpdate for d in duples], dtype=np.int64)
        checked = self.entrance[:, None] > last[None, :]
        rejects = rejecting_atoms(self.atoms, np.stack([d.L for d in duples]),
                                  np.stack([d.R for d in duples]), checked)
        self.atoms = self.atoms.take(~rejects)
        self.entrance = self.entrance[~rejects]
        for duple in duples:
            duple.lastUnionUpdate = union_updates
        return int(rejects.sum())
